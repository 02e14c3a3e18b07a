#include "profile.h"
#include "diff.h"
#include "perf-backend.h"
#include "report.h"
#include "signals.h"
#include "../lib/clock.h"
#include "../lib/proctree.h"
#include "../lib/spawn.h"
#include "../lib/stats.h"
#include "../profiler/compare.h"
#include "../profiler/session.h"

#include <pwd.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long an interrupted command gets to exit by itself, in ms. */
#define STOP_GRACE_MS 1000

static struct recorder *volatile active;

/*
 * --root with the native engine: run this same command line again under
 * sudo, with --owner so that the files written belong to the user.
 * Returns the exit status of that run.
 */
static int rerun_as_root(struct fg_profile_opts *p)
{
	struct fg_strlist args = { 0 };
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT;
	char self[PATH_MAX], *owner;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int i, ret;

	if (n <= 0) {
		error("cannot find our own executable: %s", strerror(errno));
		return EXIT_FATAL;
	}
	self[n] = '\0';
	owner = xstrfmt("--owner=%d:%d", (int)getuid(), (int)getgid());
	fg_strlist_append(&args, "sudo");
	if (*p->root)
		fg_strlist_append(&args, p->root);
	fg_strlist_append(&args, self);
	fg_strlist_append(&args, owner);
	for (i = 1; i < p->argc; i++) {
		const char *a = p->argv[i];

		if (!strcmp(a, "--")) {
			for (; i < p->argc; i++)
				fg_strlist_append(&args, p->argv[i]);
			break;
		}
		if (!strcmp(a, "--root") || starts_with(a, "--root="))
			continue;
		fg_strlist_append(&args, a);
	}
	sp.argv = args.v;
	if (spawn_start(&sp, &err)) {
		error("%s", err.buf);
		ret = EXIT_FATAL;
	} else {
		/* Ctrl-C reaches sudo and the recording through the terminal. */
		signals_forward_mode(sp.pid);
		spawn_finish(&sp);
		signals_abort_mode();
		ret = sp.exit_code >= 0 ? sp.exit_code : EXIT_FATAL;
	}
	fg_buf_release(&err);
	free(owner);
	fg_strlist_release(&args);
	return ret;
}

/* Stop mode's stop function: the recording ends, the outputs are written. */
static void stop_recording(void *ctx)
{
	(void)ctx;
	if (active)
		recorder_stop(active);
}

/* How the recording was stopped, for the message after it. */
static const char *stop_reason(int sig)
{
	switch (sig) {
	case SIGINT:
		return "an interrupt (Ctrl-C)";
	case SIGHUP:
		return "SIGHUP (the terminal was closed)";
	case SIGTERM:
		return "SIGTERM";
	default:
		return "a signal";
	}
}

/*
 * Does running prog (looked up in PATH) give it privileges we do not
 * have (setuid or setgid to another user or group, file capabilities)?
 * The kernel then ends the profiling of it at exec. Says which in what.
 */
static int gains_privileges(const char *prog, struct fg_buf *what)
{
	char *full;
	struct stat st;

	if (geteuid() == 0)
		return 0;
	full = spawn_find_program(prog);
	if (!full || stat(full, &st) || !S_ISREG(st.st_mode)) {
		free(full);
		return 0;
	}
	if ((st.st_mode & S_ISUID) && st.st_uid != geteuid()) {
		struct passwd *pw = getpwuid(st.st_uid);

		fg_buf_addf(what, "'%s' is setuid %s", full, pw ? pw->pw_name : "another user");
	} else if ((st.st_mode & S_ISGID) && st.st_gid != getegid()) {
		fg_buf_addf(what, "'%s' is setgid", full);
	} else if (getxattr(full, "security.capability", NULL, 0) > 0) {
		fg_buf_addf(what, "'%s' has file capabilities", full);
	}
	free(full);
	return what->len > 0;
}

/*
 * Why pid cannot be profiled, told before trying: a zombie, a kernel
 * thread, another user's process. 0 when nothing is known against it
 * (perf_event_open may still refuse it, and says why).
 */
static int check_attachable(pid_t pid)
{
	char path[64], buf[1024], comm[64] = "?", state = 0;
	unsigned long flags = 0;
	unsigned uid = (unsigned)-1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return 0;	/* gone: the attach says it does not exist */
	if (fgets(buf, sizeof(buf), fp)) {
		char *open = strchr(buf, '('), *close = strrchr(buf, ')');

		if (open && close && close > open) {
			snprintf(comm, sizeof(comm), "%.*s", (int)(close - open - 1), open + 1);
			/* state ppid pgrp session tty_nr tpgid flags */
			if (sscanf(close + 1, " %c %*d %*d %*d %*d %*d %lu", &state, &flags) < 1)
				state = 0;
		}
	}
	fclose(fp);
	if (state == 'Z')
		return error("process %d (%s) is a zombie: it has exited and only waits for "
			     "its parent to collect its status; there is nothing left to profile",
			     (int)pid, comm);
	if (flags & 0x00200000)	/* PF_KTHREAD */
		return error("process %d (%s) is a kernel thread: it runs no program of its "
			     "own to profile", (int)pid, comm);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return 0;
	while (fgets(buf, sizeof(buf), fp))
		if (sscanf(buf, "Uid: %*u %u", &uid) == 1)
			break;
	fclose(fp);
	if (geteuid() != 0 && uid != (unsigned)-1 && uid != geteuid()) {
		struct passwd *pw = getpwuid(uid);

		return error("process %d (%s) belongs to another user (%s, uid %u): only "
			     "root can profile it; run flamegraph as root, or with --root",
			     (int)pid, comm, pw ? pw->pw_name : "unknown", uid);
	}
	return 0;
}

static int progress_shown;
static double progress_start;	/* ms */

static void show_progress(uint64_t done, uint64_t total)
{
	if (!isatty(2))
		return;
	if (!progress_shown && fg_now_ms() - progress_start < 500)
		return;
	progress_shown = 1;
	fprintf(stderr, "\rsymbolizing: %" PRIu64 "/%" PRIu64 " stacks", done, total);
	if (done == total)
		fprintf(stderr, "\n");
}

/*
 * What to do about samples the kernel dropped. A larger --ring-kb helps
 * only when the rings got the size asked for; when the locked-memory
 * budget shrank them, the budget is what to raise.
 */
static void advise_on_loss(struct fg_buf *sb, const struct record_stats *st)
{
	if (st->ring_kb && st->ring_kb < st->ring_kb_wanted)
		fg_buf_addf(sb, "they were limited to %zu KB of the %zu KB asked for by the "
			    "locked-memory budget (kernel.perf_event_mlock_kb is %d KB per CPU); "
			    "raise it with 'sudo sysctl kernel.perf_event_mlock_kb=%zu', or "
			    "lower -F or the stack copy (--call-graph dwarf,16384)",
			    st->ring_kb, st->ring_kb_wanted, record_mlock_kb(),
			    st->ring_kb_wanted + 4);
	else
		fg_buf_addstr(sb, "try a lower -F, a smaller stack copy "
			      "(--call-graph dwarf,16384), or a larger --ring-kb");
}

static void describe_workload_end(const struct record_stats *st, const char *what)
{
	int status = st->workload_status;

	if (!st->workload_exited)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status))
		fprintf(stderr, "%s exited with code %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "%s was killed by signal %d (%s)%s\n", what,
			WTERMSIG(status), strsignal(WTERMSIG(status)),
			WCOREDUMP(status) ? ", core dumped" : "");
}

static int workload_failed(const struct record_stats *st)
{
	int status = st->workload_status;

	if (!st->workload_exited || st->stopped_by_duration || st->interrupted)
		return 0;
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/* The workload in messages: as the front-end names it, or the command. */
static const char *workload_name(const struct fg_profile_opts *p, int argc,
				 const char **argv)
{
	if (!argc)
		return "the process";
	return p->what ? p->what : argv[0];
}

/*
 * What a profile says of its recording: the command line (or the pids
 * attached to), when it started and how long it ran, the event and its
 * frequency, the samples lost.
 */
static void describe_recording(struct profile *p, const struct record_opts *ro,
			       const struct record_stats *st, uint64_t start_ns,
			       const struct fg_profile_opts *po, int argc,
			       const char **argv)
{
	struct profile_meta *m = &p->meta;
	struct fg_buf b = FG_BUF_INIT;
	int i;

	if (argc) {
		for (i = 0; i < argc; i++)
			fg_buf_addf(&b, "%s%s", i ? " " : "", argv[i]);
	} else {
		fg_buf_addstr(&b, "-p");
		for (i = 0; i < (int)po->npids; i++)
			fg_buf_addf(&b, "%s%d", i ? "," : " ", (int)po->pids[i]);
	}
	m->command = profile_string(p, b.buf, b.len);
	m->start_ns = start_ns;
	m->duration_ns = (uint64_t)(st->seconds * 1e9);
	if (ro->mode == RECORD_OFF_CPU) {
		/* every switch is sampled: no frequency */
		m->event = profile_string(p, "context-switches", strlen("context-switches"));
	} else {
		m->event = profile_string(p, ro->event ? ro->event : FG_DEFAULT_EVENT,
					  strlen(ro->event ? ro->event : FG_DEFAULT_EVENT));
		m->frequency = ro->freq;
	}
	m->lost = st->lost;
	fg_buf_release(&b);
}

/* --repeat: how much the runs differ, in samples (the first sample type). */
static void report_runs(const struct profile *p)
{
	double *x;
	struct stats_summary s;
	uint32_t r;

	if (p->nruns < 2)
		return;
	x = xcalloc(p->nruns, sizeof(*x));
	for (r = 0; r < p->nruns; r++)
		x[r] = (double)profile_run_total(p, r + 1, 0);
	stats_summarize(x, p->nruns, &s);
	fprintf(stderr, "%u runs: %.0f samples a run on average, spread %.0f (%.1f%%)\n",
		p->nruns, s.mean, s.sd, s.mean > 0 ? s.sd / s.mean * 100 : 0);
	free(x);
}

/* Off-CPU and wall-clock recordings: the blocks counted, and those left out. */
static void report_blocks(const struct session_stats *ss, const struct fg_profile_opts *p)
{
	fprintf(stderr, "off the CPU: %" PRIu64 " block%s, %.3f s", ss->blocks,
		ss->blocks == 1 ? "" : "s", (double)ss->off_cpu_ns / 1e9);
	if (ss->blocks_short)
		fprintf(stderr, "; %" PRIu64 " shorter than --off-cpu-threshold %s left out",
			ss->blocks_short, p->off_cpu_threshold);
	if (ss->blocks_preempted)
		fprintf(stderr, "; %" PRIu64 " preemptions left out "
			"(--off-cpu-include-preempted counts them)", ss->blocks_preempted);
	fprintf(stderr, "\n");
}

/*
 * Off-CPU and wall-clock recordings are drawn in nanoseconds of time off
 * the CPU, or of all of it, with one root per thread for wall-clock time
 * (a thread's width is then its life).
 */
static void draw_time(struct fg_run_opts *o, struct profile *prof, enum record_mode mode)
{
	int v = profile_type_index(prof, mode == RECORD_WALL ? "wall" : "off-cpu");

	if (v < 0)
		BUG("draw_time: a %s profile without its sample type",
		    mode == RECORD_WALL ? "wall-clock" : "off-CPU");
	if (o->value < 0)
		o->value = v;
	if (o->svg.count_name == o->count_name_default)
		o->svg.count_name = "ns";
	if (mode == RECORD_WALL)
		o->include_tid = 1;
}

/*
 * The recordings of a profile_run(): one, or the runs of --repeat one
 * after another into the same session (each a run of its profile, the
 * files read once for all), their statistics added up.
 */
struct recording {
	struct session *session;
	const struct record_opts *ro;
	const struct fg_profile_opts *p;
	int argc;
	const char **argv;
	int verbose;
	struct record_stats last;	/* of the last run */
	struct record_stats total;	/* of every run: sums, and the last
					   run's rings and kernel access */
	int failed;			/* the command failed in some run */
};

static void add_run_stats(struct recording *rc, const struct record_stats *st)
{
	struct record_stats *t = &rc->total;

	rc->last = *st;
	t->samples += st->samples;
	t->lost += st->lost;
	t->lost_records += st->lost_records;
	t->wakeups += st->wakeups;
	t->bytes_in += st->bytes_in;
	t->bytes_kept += st->bytes_kept;
	t->kernel = st->kernel;
	t->workload_exited = st->workload_exited;
	t->workload_status = st->workload_status;
	t->stopped_by_duration |= st->stopped_by_duration;
	t->interrupted |= st->interrupted;
	t->seconds += st->seconds;
	t->end_time = st->end_time;
	t->ring_kb = st->ring_kb;
	t->ring_kb_wanted = st->ring_kb_wanted;
	rc->failed |= workload_failed(st);
}

/*
 * Record run `run` (1...) of the command, or the processes the session
 * has (-p), into rc->session, until it ends. Returns 0, or -1 after
 * printing the error.
 */
static int record_one(struct recording *rc, unsigned run)
{
	const struct fg_profile_opts *p = rc->p;
	const struct record_opts *ro = rc->ro;
	struct session *session = rc->session;
	uint64_t before = session_stats(session)->samples;
	const struct record_stats *st;
	struct fg_buf err = FG_BUF_INIT;
	struct recorder *r;
	size_t i;
	int ret;

	if (p->repeat > 1)
		profile_begin_run(session_profile(session), run);
	if (rc->argc) {
		char **args = xcalloc((size_t)rc->argc + 1, sizeof(*args));

		for (i = 0; i < (size_t)rc->argc; i++)
			args[i] = (char *)rc->argv[i];
		r = recorder_start_command(ro, args, &err);
		free(args);
	} else {
		r = recorder_attach(ro, p->pids, p->npids, &err);
	}
	if (!r) {
		error("%s", err.buf);
		fg_buf_release(&err);
		return -1;
	}
	active = r;
	if (signals_stops())
		recorder_stop(r);	/* a signal came while it started */
	/* attached threads already waiting will not say where until they wake */
	if (!rc->argc && p->mode != RECORD_CPU) {
		uint64_t now = fg_now_ns();

		for (i = 0; i < p->npids; i++)
			session_add_blocked_threads(session, p->pids[i], now,
						    ro->call_graph == CG_DWARF ? p->stack_size : 0);
	}
	session_symbolize_while_recording(session);
	if (rc->verbose && run == 1)
		fprintf(stderr, "recording %s at %u Hz, %s stacks, rings of %zu KB\n",
			ro->event ? ro->event : FG_DEFAULT_EVENT, ro->freq,
			ro->call_graph == CG_FP ? "frame-pointer" : "DWARF",
			recorder_stats(r)->ring_kb);
	ret = recorder_run(r, session_record, session, &err);
	active = NULL;
	st = recorder_stats(r);
	/* threads still waiting when it ended waited until then */
	if (!ret)
		session_end_recording(session, st->end_time);
	if (st->interrupted || st->stopped_by_duration) {
		/*
		 * The command, and whatever it started, is ended for sure: a
		 * Ctrl-C reached it through the terminal, SIGTERM and SIGHUP
		 * came to us alone and are passed on; a second signal, or the
		 * grace period, ends it with SIGKILL.
		 */
		int sig = signals_last_stop();

		recorder_end_workload(r, st->interrupted && sig != SIGINT ? sig : 0,
				      STOP_GRACE_MS, &signals_hurry);
		if (rc->argc)
			proctree_end(STOP_GRACE_MS, &signals_hurry);
	}
	if (ret) {
		error("recording failed: %s", err.buf);
		recorder_free(r);
		fg_buf_release(&err);
		return -1;
	}
	add_run_stats(rc, st);
	describe_workload_end(st, rc->argc ? "the profiled command" : "the process");
	if (p->repeat > 1)
		fprintf(stderr, "run %u of %u: %" PRIu64 " sample%s in %.2f s\n", run,
			p->repeat, session_stats(session)->samples - before,
			session_stats(session)->samples - before == 1 ? "" : "s",
			st->seconds);
	recorder_free(r);
	fg_buf_release(&err);
	return 0;
}

int profile_run(struct fg_run_opts *o, struct fg_profile_opts *p,
		int argc, const char **argv)
{
	struct record_opts ro = { 0 };
	struct session_opts so = { 0 };
	struct fg_buf err = FG_BUF_INIT, source = FG_BUF_INIT, privileged = FG_BUF_INIT;
	const struct record_stats *st;
	const struct session_stats *ss;
	struct session *session;
	struct recording rc = { 0 };
	uint64_t start_ns;
	unsigned run;
	size_t i;
	int ret;

	if (profile_opts_finish(p))
		return EXIT_USAGE;
	/* said before any back-end runs it (perf would say less) */
	if (argc && strchr(argv[0], '/')) {
		struct stat st;

		if (!stat(argv[0], &st) && S_ISDIR(st.st_mode)) {
			error("cannot run '%s': it is a directory, not a program", argv[0]);
			return EXIT_FATAL;
		}
	}
	if (p->repeat > 1 && (perf_backend_wanted(p) || (p->root && p->root_via_perf))) {
		error("'--repeat' records with the native engine: it cannot be used "
		      "with '-c', '-z' or a recording through sudo perf");
		return EXIT_USAGE;
	}
	if (perf_backend_wanted(p) || (p->root && p->root_via_perf))
		return perf_backend_record(o, p, argc, argv);
	if (p->root && geteuid() != 0) {
		if (!p->argv)
			BUG("--root needs the command line");
		return rerun_as_root(p);
	}
	if (argc && p->npids) {
		error("cannot pass in command with --pid");
		return EXIT_USAGE;
	}
	if (p->duration < 0) {
		error("invalid value '%g' for '--duration': expected seconds above 0",
		      p->duration);
		return EXIT_USAGE;
	}
	if (o->fail_on_regression >= 0 && p->repeat < COMPARE_MIN_RUNS) {
		error("'--fail-on-regression' needs %d runs a side to tell a regression "
		      "from noise: give '--repeat %d' or more", COMPARE_MIN_RUNS,
		      COMPARE_MIN_RUNS);
		return EXIT_USAGE;
	}
	/* a base that cannot be read costs no recording */
	ret = run_diff_load(o);
	if (ret)
		return ret;
	ro.call_graph = p->call_graph;
	ro.stack_size = p->stack_size;
	if (ro.call_graph == CG_DWARF && p->ring_kb &&
	    p->ring_kb < record_min_ring_kb(ro.stack_size))
		warning("--ring-kb %u cannot hold %u-byte stack copies; using %u",
			p->ring_kb, ro.stack_size, record_min_ring_kb(ro.stack_size));
	ro.event = p->event;
	ro.freq = p->freq;
	ro.duration = p->duration;
	ro.ring_kb = p->ring_kb;
	if (p->mode != RECORD_CPU && p->ring_kb == FG_DEFAULT_RING_KB)
		ro.ring_kb = FG_DEFAULT_OFF_CPU_RING_KB;
	ro.verbose = o->verbose;
	ro.workdir = p->workdir;
	ro.env = p->env;
	ro.mode = p->mode;
	so.no_inline = p->no_inline;
	so.details = run_wants_details(o);
	so.live = 1;
	so.time = p->mode == RECORD_WALL ? SESSION_WALL :
		  p->mode == RECORD_OFF_CPU ? SESSION_OFF_CPU : SESSION_CPU;
	so.off_cpu_min_ns = p->off_cpu_min_ns;
	so.off_cpu_preempted = p->off_cpu_preempted;

	session = session_new(&so);
	/* every sample with its time, for a flame chart or speedscope */
	if (run_wants_timeline(o))
		profile_keep_timeline(session_profile(session));
	start_ns = fg_wall_ns();
	if (argc) {
		gains_privileges(argv[0], &privileged);
		fg_buf_addf(&source, "the recording of '%s'", workload_name(p, argc, argv));
	} else {
		for (i = 0; i < p->npids; i++)
			if (check_attachable(p->pids[i])) {
				session_free(session);
				fg_buf_release(&source);
				fg_buf_release(&privileged);
				return EXIT_FATAL;
			}
		for (i = 0; i < p->npids; i++)
			if (session_add_process(session, p->pids[i], &err)) {
				if (kill(p->pids[i], 0) && errno == ESRCH) {
					fg_buf_reset(&err);
					fg_buf_addf(&err, "process %d does not exist",
						    (int)p->pids[i]);
				}
				error("%s", err.buf);
				session_free(session);
				fg_buf_release(&err);
				fg_buf_release(&source);
				fg_buf_release(&privileged);
				return EXIT_FATAL;
			}
		fg_buf_addf(&source, "the recording of process %d%s", (int)p->pids[0],
			    p->npids > 1 ? " and others" : "");
	}
	rc.session = session;
	rc.ro = &ro;
	rc.p = p;
	rc.argc = argc;
	rc.argv = argv;
	rc.verbose = o->verbose;
	/*
	 * A Ctrl-C reaches the workload through the terminal; we record on,
	 * and make no further run.
	 */
	signals_stop_mode(stop_recording, NULL);
	for (run = 1; run <= p->repeat; run++) {
		if (run > 1 && signals_stops())
			break;
		if (record_one(&rc, run)) {
			signals_abort_mode();
			session_free(session);
			fg_buf_release(&err);
			fg_buf_release(&source);
			fg_buf_release(&privileged);
			return EXIT_FATAL;
		}
		if (rc.last.interrupted)
			break;
		if (run < p->repeat && workload_failed(&rc.last) && !p->ignore_status) {
			fprintf(stderr, "the command failed in run %u: the %u run%s left "
				"were not made\n", run, p->repeat - run,
				p->repeat - run == 1 ? "" : "s");
			break;
		}
	}
	/* From here on, an interruption aborts cleanly. */
	signals_abort_mode();
	st = &rc.total;
	if (st->interrupted && signals_stops())
		fprintf(stderr, "recording stopped by %s\n", stop_reason(signals_last_stop()));
	if (st->stopped_by_duration)
		fprintf(stderr, "recording stopped after %g s%s\n", ro.duration,
			p->repeat > 1 ? " in a run" : "");

	progress_start = fg_now_ms();
	/* From the end of the recording to the SVG: what users wait for. */
	session_finish(session, show_progress);
	run_profile_event(session_profile(session), p->event);
	ss = session_stats(session);
	describe_recording(session_profile(session), &ro, st, start_ns, p, argc, argv);
	if (o->verbose)
		fprintf(stderr, "symbolized %" PRIu64 " code locations in %.1f ms\n",
			ss->locations, fg_now_ms() - progress_start);
	profile_report_files(session, 1, p->told_about);
	fprintf(stderr, "recorded %" PRIu64 " sample%s in %.2f s", ss->samples,
		ss->samples == 1 ? "" : "s", st->seconds);
	profile_report_unwinding(stderr, st->lost, ss);
	report_runs(session_profile(session));
	if (p->mode != RECORD_CPU)
		report_blocks(ss, p);
	if (!st->kernel)
		fprintf(stderr, "note: user space only: kernel frames need root or "
			"kernel.perf_event_paranoid <= 1 (it is %d)\n", record_paranoid());
	if (privileged.len && ss->samples)
		warning("%s: the kernel stops profiling it when it starts, so its own "
			"code is missing; profile it as root (--root)", privileged.buf);
	if (ss->build_id_mismatches)
		warning("%" PRIu64 " mapped files were replaced on disk while the workload ran "
			"(their build-id changed): their frames are shown as [file name]",
			ss->build_id_mismatches);
	if (st->lost) {
		struct fg_buf advice = FG_BUF_INIT;

		advise_on_loss(&advice, st);
		warning("the kernel dropped %" PRIu64 " samples: the ring buffers filled up; %s",
			st->lost, advice.buf);
		fg_buf_release(&advice);
	}
	if (o->verbose)
		fprintf(stderr, "%" PRIu64 " distinct stacks, %" PRIu64 " code locations, %"
			PRIu64 " processes, %" PRIu64 " execs, %" PRIu64 " KB read, %" PRIu64
			" KB kept\n", ss->distinct_stacks, ss->locations, ss->processes,
			ss->execs, st->bytes_in / 1024, st->bytes_kept / 1024);
	if (!ss->samples && st->lost) {
		struct fg_buf advice = FG_BUF_INIT;

		advise_on_loss(&advice, st);
		error("no samples were kept: the kernel dropped all %" PRIu64 " of them "
		      "because the ring buffers filled up; %s", st->lost, advice.buf);
		fg_buf_release(&advice);
		ret = EXIT_FATAL;
	} else if (!ss->samples && privileged.len) {
		error("no samples were recorded: %s, and the kernel stops profiling a program "
		      "that gains privileges when it starts; profile it as root (--root)",
		      privileged.buf);
		ret = EXIT_FATAL;
	} else if (!ss->samples && st->seconds >= 0.25 &&
		   (!strcmp(ro.event ? ro.event : FG_DEFAULT_EVENT, "cpu-clock") ||
		    !strcmp(ro.event, "task-clock"))) {
		error("no samples were recorded: %s used no CPU time worth a sample in the %.2f s "
		      "recorded (it was waiting or sleeping); %s counts time on the CPU only",
		      workload_name(p, argc, argv), st->seconds,
		      ro.event ? ro.event : FG_DEFAULT_EVENT);
		ret = EXIT_FATAL;
	} else if (!ss->samples) {
		error("no samples were recorded: %s ran for %.3f s, too short to be sampled at %u Hz; "
		      "raise the frequency with -F, or make it run longer",
		      workload_name(p, argc, argv), st->seconds, ro.freq);
		ret = EXIT_FATAL;
	} else {
		if (p->mode != RECORD_CPU)
			draw_time(o, session_profile(session), p->mode);
		ret = run_render_profile(o, session_profile(session), source.buf,
					 !o->no_summary);
		if (o->verbose)
			fprintf(stderr, "post-processing took %.1f ms\n",
				fg_now_ms() - progress_start);
		/* a command that failed says more than a regression */
		if ((!ret || ret == EXIT_REGRESSION) && rc.failed && !p->ignore_status)
			ret = EXIT_PARTIAL;
	}
	session_free(session);
	fg_buf_release(&err);
	fg_buf_release(&source);
	fg_buf_release(&privileged);
	return ret;
}
