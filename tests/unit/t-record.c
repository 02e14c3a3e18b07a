/*
 * Unit tests of the recorder (profiler/record.c) on real small workloads.
 * The workload is this test program itself, run again with
 * FG_T_RECORD_CHILD in its environment: a constructor then spins for a
 * given amount of its own CPU time in t_record_spin() (kept in a section
 * of its own, so samples can be matched to it by address) and exits with a
 * given status, before the harness's main() runs. Every amount checked
 * follows from the child's CPU time, not from the wall clock, so a busy
 * machine changes nothing; only user-space samples are required, so the
 * tests pass unprivileged with kernel.perf_event_paranoid=2.
 */
#include "unit.h"
#include "../../lib/buf.h"
#include "../../profiler/record.h"
#include "../../profiler/arch.h"
#include "../../profiler/elfinfo.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* --- the workload (the child) --- */

#define SPIN_SECTION "t_record_spin_text"

/* The linker defines these around the section of that name. */
extern const char __start_t_record_spin_text[];
extern const char __stop_t_record_spin_text[];

static volatile uint64_t spin_sink;

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void t_record_spin(unsigned ms);

/* Burn ms milliseconds of this process's CPU time, nearly all in here. */
__attribute__((noinline, section(SPIN_SECTION))) void t_record_spin(unsigned ms)
{
	uint64_t end = cpu_ns() + (uint64_t)ms * 1000000ULL, x = 88172645463325252ULL;

	do {
		int i;

		for (i = 0; i < 200000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		spin_sink += x;
	} while (cpu_ns() < end);
}

/*
 * FG_T_RECORD_CHILD="MS STATUS PIDFD GOFD": write our pid to fd PIDFD
 * (unless -1), wait for a byte on fd GOFD (unless -1), spin MS ms of CPU
 * time, exit with STATUS.
 */
__attribute__((constructor)) static void t_record_child(void)
{
	const char *spec = getenv("FG_T_RECORD_CHILD");
	unsigned ms;
	int status, pidfd, gofd;
	pid_t pid = getpid();
	char c;

	if (!spec || sscanf(spec, "%u %d %d %d", &ms, &status, &pidfd, &gofd) != 4)
		return;
	if (pidfd >= 0) {
		if (write(pidfd, &pid, sizeof(pid)) != (ssize_t)sizeof(pid))
			_exit(125);
		close(pidfd);
	}
	if (gofd >= 0 && read(gofd, &c, 1) != 1)
		_exit(126);
	t_record_spin(ms);
	_exit(status);
}

/* --- the parent --- */

static char exe[PATH_MAX];

static const char *exe_path(void)
{
	ssize_t n;

	if (!exe[0]) {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
	}
	return exe;
}

/* Runtime minus file address of the executable mapped at start from pgoff. */
static int exe_bias(uint64_t start, uint64_t pgoff, uint64_t *bias)
{
	struct elfinfo info;
	uint64_t base;
	int fd = open(exe_path(), O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = elfinfo_read(fd, &info) || elfinfo_bias(&info, start, pgoff, bias, &base) ? -1 : 0;
	close(fd);
	return ret;
}

/* The load bias of our executable in process pid (the same file). */
static int exe_bias_of(pid_t pid, uint64_t *bias)
{
	char path[64], line[4096];
	FILE *fp;
	int found = -1;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fp = fopen(path, "r");
	while (fp && found && fgets(line, sizeof(line), fp)) {
		unsigned long long s, e, off;
		char perms[8];
		int n = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &s, &e, perms, &off, &n) < 4 ||
		    perms[2] != 'x')
			continue;
		line[strcspn(line, "\n")] = '\0';
		while (line[n] == ' ')
			n++;
		if (!strcmp(line + n, exe_path()))
			found = exe_bias(s, off, bias);
	}
	if (fp)
		fclose(fp);
	return found;
}

/* Our own load bias. */
static int own_bias(uint64_t *bias)
{
	return exe_bias_of(getpid(), bias);
}

/* What the callback saw. */
struct seen {
	struct recorder *r;
	pid_t child;
	uint64_t spin_lo, spin_hi;	/* file addresses of t_record_spin's section */
	int stop_at;			/* recorder_stop() at this sample (0: never) */
	int fail_at;			/* return -5 at this sample (0: never) */

	uint64_t records, samples, comm_exec, mmaps, exe_mmaps, lost;
	uint64_t foreign;		/* samples of another pid or tid */
	uint64_t kernel_mode;		/* samples not in user mode */
	uint64_t in_spin;		/* samples in t_record_spin */
	uint64_t periods;		/* sum of sample periods */
	uint64_t no_callchain, bad_regs, bad_stack;
	uint64_t untimed, backwards;	/* records without a time, or earlier */
	uint64_t last_time;
	uint64_t after_fail;		/* records delivered after we failed */
	int failed;
	char comm[32];
	uint64_t child_bias;
	int have_bias;
};

static void check_sample(struct seen *w, const struct perf_format *fmt,
			 const struct perf_event_header *h, const struct perf_sample *s)
{
	w->samples++;
	w->periods += s->period;
	if (s->pid != (uint32_t)w->child || s->tid != (uint32_t)w->child)
		w->foreign++;
	if ((h->misc & PERF_RECORD_MISC_CPUMODE_MASK) != PERF_RECORD_MISC_USER)
		w->kernel_mode++;
	else if (w->have_bias && s->ip - w->child_bias >= w->spin_lo &&
		 s->ip - w->child_bias < w->spin_hi)
		w->in_spin++;
	if (!(fmt->sample_type & PERF_SAMPLE_REGS_USER)) {
		if (!s->callchain_nr)
			w->no_callchain++;
		return;
	}
	/* DWARF: user registers (the pc is the sampled ip) and a trimmed stack copy */
	if ((h->misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_USER &&
	    (s->regs_abi != PERF_SAMPLE_REGS_ABI_64 || !s->regs ||
	     arch_sample_pc(fmt, s) != s->ip || !arch_sample_sp(fmt, s)))
		w->bad_regs++;
	if ((h->misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_USER &&
	    (!s->stack || !s->stack_dyn_size || s->stack_size != ((s->stack_dyn_size + 7) & ~7ULL)))
		w->bad_stack++;
}

static int count_record(void *ctx, const struct perf_format *fmt,
			const struct perf_event_header *h)
{
	struct seen *w = ctx;
	struct perf_sample s;
	uint64_t t;

	if (w->failed) {
		w->after_fail++;
		return -5;
	}
	w->records++;
	if (h->type == PERF_RECORD_SAMPLE) {
		CHECK(!perf_sample_parse(fmt, h, &s));
		t = s.time;
		check_sample(w, fmt, h, &s);
	} else if (perf_record_time(fmt, h, &t)) {
		w->untimed++;
		t = w->last_time;
	}
	if (t < w->last_time)
		w->backwards++;
	w->last_time = t;

	if (h->type == PERF_RECORD_COMM && (h->misc & PERF_RECORD_MISC_COMM_EXEC)) {
		const uint32_t *ids = (const void *)(h + 1);

		if (ids[0] == (uint32_t)w->child) {
			w->comm_exec++;
			snprintf(w->comm, sizeof(w->comm), "%s", (const char *)(ids + 2));
		}
	}
	if (h->type == PERF_RECORD_MMAP2 || h->type == PERF_RECORD_MMAP) {
		const unsigned char *p = (const void *)(h + 1);
		uint32_t pid;
		uint64_t addr, pgoff;
		const char *name;
		uint32_t prot = PROT_EXEC;	/* MMAP records are of code only */

		memcpy(&pid, p, 4);
		memcpy(&addr, p + 8, 8);
		memcpy(&pgoff, p + 24, 8);
		if (h->type == PERF_RECORD_MMAP2) {
			memcpy(&prot, p + 56, 4);
			name = (const char *)p + 64;
		} else {
			name = (const char *)p + 32;
		}
		w->mmaps++;
		if (pid == (uint32_t)w->child && (prot & PROT_EXEC) &&
		    !strcmp(name, exe_path())) {
			w->exe_mmaps++;
			if (!exe_bias(addr, pgoff, &w->child_bias))
				w->have_bias = 1;
		}
	}
	if (h->type == PERF_RECORD_LOST)
		w->lost++;
	if (h->type == PERF_RECORD_SAMPLE) {
		if (w->stop_at && w->samples == (uint64_t)w->stop_at)
			recorder_stop(w->r);
		if (w->fail_at && w->samples == (uint64_t)w->fail_at) {
			w->failed = 1;
			return -5;
		}
	}
	return 0;
}

/*
 * Start the workload: this program spinning ms ms of CPU time, then
 * exiting with status. Fills w (the child's pid, as it tells us through a
 * pipe, and where t_record_spin is). Returns the recorder or NULL.
 */
static struct recorder *start_spinner(const struct record_opts *o, unsigned ms,
				      int status, struct seen *w, struct fg_buf *err)
{
	char var[128], *env[2] = { var, NULL };
	char *argv[2] = { (char *)exe_path(), NULL };
	struct record_opts opts = *o;
	struct recorder *r;
	uint64_t bias = 0;
	int p[2];

	CHECK(!own_bias(&bias));
	w->spin_lo = (uint64_t)(uintptr_t)__start_t_record_spin_text - bias;
	w->spin_hi = (uint64_t)(uintptr_t)__stop_t_record_spin_text - bias;
	if (pipe2(p, O_CLOEXEC) || fcntl(p[1], F_SETFD, 0)) {
		CHECK(!"pipe");
		return NULL;
	}
	snprintf(var, sizeof(var), "FG_T_RECORD_CHILD=%u %d %d -1", ms, status, p[1]);
	opts.env = env;
	r = recorder_start_command(&opts, argv, err);
	close(p[1]);
	if (r && read(p[0], &w->child, sizeof(w->child)) != (ssize_t)sizeof(w->child))
		CHECK(!"the workload did not say its pid");
	close(p[0]);
	w->r = r;
	if (!r)
		printf("# recorder_start_command: %s\n", err->buf);
	return r;
}

/* No child of ours is left, running or a zombie. */
static int no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static void print_seen(const struct seen *w, const struct record_stats *st)
{
	printf("# records %" PRIu64 ": samples %" PRIu64 " (in spin %" PRIu64 ", kernel %" PRIu64
	       ", foreign %" PRIu64 ", periods %" PRIu64 " ns), comm exec %" PRIu64
	       " '%s', mmaps %" PRIu64 " (exe %" PRIu64 "), untimed %" PRIu64 ", backwards %" PRIu64 "\n",
	       w->records, w->samples, w->in_spin, w->kernel_mode, w->foreign, w->periods,
	       w->comm_exec, w->comm, w->mmaps, w->exe_mmaps, w->untimed, w->backwards);
	printf("# stats: samples %" PRIu64 ", lost %" PRIu64 "/%" PRIu64 ", kernel %d, exited %d"
	       " (status %#x), by duration %d, interrupted %d, %.3f s, ring %zu/%zu KB\n",
	       st->samples, st->lost, st->lost_records, st->kernel, st->workload_exited,
	       st->workload_status, st->stopped_by_duration, st->interrupted, st->seconds,
	       st->ring_kb, st->ring_kb_wanted);
}

/* The checks every complete recording of the spinner passes. */
static void check_stream(const struct seen *w, const struct record_stats *st)
{
	CHECK(w->child > 0);
	CHECK_U64EQ(w->samples, st->samples);	/* each one handed over */
	CHECK_U64EQ(w->foreign, 0);
	CHECK_U64EQ(w->backwards, 0);
	CHECK_U64EQ(w->untimed, 0);		/* sample_id_all: every record has a time */
	CHECK_U64EQ(st->lost, 0);
	CHECK_U64EQ(st->lost_records, 0);
	CHECK_U64EQ(w->lost, 0);
	CHECK_U64EQ(w->after_fail, 0);
	if (!st->kernel)
		CHECK_U64EQ(w->kernel_mode, 0);
	CHECK(st->bytes_kept <= st->bytes_in);
	CHECK(st->ring_kb > 0 && st->ring_kb <= st->ring_kb_wanted);
	/* the exec: its COMM record and the executable's mapping */
	CHECK_U64EQ(w->comm_exec, 1);
	CHECK(!strncmp(w->comm, strrchr(exe_path(), '/') + 1, 15));
	CHECK(w->exe_mmaps >= 1 && w->have_bias);
}

/*
 * Most user-space samples are in t_record_spin (the rest: the dynamic
 * loader and the libc start-up, a few milliseconds of CPU time). Kernel
 * samples (root) are left out: exec and page faults.
 */
static int mostly_in_spin(const struct seen *w)
{
	uint64_t user = w->samples - w->kernel_mode;

	return user >= 20 && w->in_spin * 10 >= user * 9;
}

static const struct record_opts fp_opts = {
	.event = "cpu-clock",
	.freq = 997,
	.call_graph = CG_FP,
};

TEST(record_command_spinning_200ms_of_cpu)
{
	struct fg_buf err = FG_BUF_INIT;
	struct seen w = { 0 };
	struct recorder *r = start_spinner(&fp_opts, 200, 7, &w, &err);
	const struct record_stats *st;

	CHECK(r != NULL);
	if (!r)
		goto out;
	CHECK(recorder_run(r, count_record, &w, &err) == 0);
	st = recorder_stats(r);
	print_seen(&w, st);
	check_stream(&w, st);
	CHECK(st->workload_exited);
	CHECK(WIFEXITED(st->workload_status) && WEXITSTATUS(st->workload_status) == 7);
	CHECK(!st->stopped_by_duration && !st->interrupted);
	CHECK(st->seconds > 0);
	/*
	 * cpu-clock at 997 Hz over >= 200 ms of the child's CPU time: about
	 * 200 samples whose periods add up to that time; nearly all of them
	 * in t_record_spin.
	 */
	CHECK(w.samples >= 100 && w.samples <= 400);
	CHECK(w.periods >= 150000000ULL && w.periods <= 400000000ULL);
	CHECK(mostly_in_spin(&w));
	CHECK_U64EQ(w.no_callchain, 0);
	recorder_free(r);
	CHECK(no_children());
out:
	fg_buf_release(&err);
}

TEST(record_dwarf_samples_carry_registers_and_a_trimmed_stack)
{
	struct record_opts o = { .event = "cpu-clock", .freq = 199, .call_graph = CG_DWARF,
				 .stack_size = 65528 };
	struct fg_buf err = FG_BUF_INIT;
	struct seen w = { 0 };
	struct recorder *r = start_spinner(&o, 200, 0, &w, &err);
	const struct record_stats *st;

	CHECK(r != NULL);
	if (!r)
		goto out;
	CHECK(recorder_run(r, count_record, &w, &err) == 0);
	st = recorder_stats(r);
	print_seen(&w, st);
	check_stream(&w, st);
	CHECK(st->workload_exited && WIFEXITED(st->workload_status) &&
	      WEXITSTATUS(st->workload_status) == 0);
	/* 199 Hz over 200 ms of CPU time: about 40 */
	CHECK(w.samples >= 20 && w.samples <= 80);
	CHECK(mostly_in_spin(&w));
	CHECK_U64EQ(w.bad_regs, 0);
	CHECK_U64EQ(w.bad_stack, 0);
	/*
	 * The kernel copies the stack up to the end of its mapping: the
	 * spinner's frames and, above them, the environment and arguments,
	 * far less than 64 KB (8 KB would not do: an environment can be
	 * that large). So the copies were cut.
	 */
	CHECK(st->bytes_kept < st->bytes_in);
	recorder_free(r);
	CHECK(no_children());
out:
	fg_buf_release(&err);
}

TEST(record_stop_from_the_callback_leaves_the_workload_running)
{
	struct fg_buf err = FG_BUF_INIT;
	struct seen w = { .stop_at = 20 };
	struct recorder *r = start_spinner(&fp_opts, 60000, 0, &w, &err);
	const struct record_stats *st;

	CHECK(r != NULL);
	if (!r)
		goto out;
	CHECK(recorder_run(r, count_record, &w, &err) == 0);
	st = recorder_stats(r);
	CHECK(st->interrupted);
	CHECK(!st->stopped_by_duration);
	CHECK(w.samples >= 20);
	CHECK_U64EQ(w.samples, st->samples);
	CHECK_U64EQ(w.foreign, 0);
	CHECK_U64EQ(w.backwards, 0);
	/* 60 s of CPU time: far from done; ending it is ours to ask */
	CHECK(!st->workload_exited);
	recorder_end_workload(r, SIGTERM, 5000, NULL);
	CHECK(st->workload_exited);
	CHECK(WIFSIGNALED(st->workload_status) && WTERMSIG(st->workload_status) == SIGTERM);
	recorder_free(r);
	CHECK(no_children());
out:
	fg_buf_release(&err);
}

TEST(record_stop_before_run_returns_at_once)
{
	struct fg_buf err = FG_BUF_INIT;
	struct seen w = { 0 };
	struct recorder *r = start_spinner(&fp_opts, 60000, 0, &w, &err);
	const struct record_stats *st;

	CHECK(r != NULL);
	if (!r)
		goto out;
	recorder_stop(r);
	CHECK(recorder_run(r, count_record, &w, &err) == 0);
	st = recorder_stats(r);
	CHECK(st->interrupted);
	CHECK(!st->workload_exited);
	CHECK_U64EQ(w.samples, st->samples);
	CHECK_U64EQ(w.backwards, 0);
	/* recorder_free() ends the workload and reaps it */
	recorder_free(r);
	CHECK(no_children());
out:
	fg_buf_release(&err);
}

TEST(record_duration_ends_a_longer_workload)
{
	struct record_opts o = fp_opts;
	struct fg_buf err = FG_BUF_INIT;
	struct seen w = { 0 };
	struct recorder *r;
	const struct record_stats *st;

	o.duration = 0.4;
	r = start_spinner(&o, 60000, 0, &w, &err);
	CHECK(r != NULL);
	if (!r)
		goto out;
	CHECK(recorder_run(r, count_record, &w, &err) == 0);
	st = recorder_stats(r);
	print_seen(&w, st);
	CHECK(st->stopped_by_duration);
	CHECK(!st->interrupted);
	CHECK(st->seconds >= 0.4);
	/* sent SIGTERM when the time was up, and reaped */
	CHECK(st->workload_exited);
	CHECK(WIFSIGNALED(st->workload_status) && WTERMSIG(st->workload_status) == SIGTERM);
	CHECK_U64EQ(w.samples, st->samples);
	CHECK_U64EQ(w.foreign, 0);
	CHECK_U64EQ(w.backwards, 0);
	CHECK_U64EQ(st->lost, 0);
	recorder_free(r);
	CHECK(no_children());
out:
	fg_buf_release(&err);
}

TEST(record_callback_error_stops_delivery)
{
	struct fg_buf err = FG_BUF_INIT;
	struct seen w = { .fail_at = 10 };
	struct recorder *r = start_spinner(&fp_opts, 60000, 0, &w, &err);

	CHECK(r != NULL);
	if (!r)
		goto out;
	CHECK(recorder_run(r, count_record, &w, &err) == -1);
	/* nothing handed over after the callback failed; err left alone */
	CHECK_U64EQ(w.samples, 10);
	CHECK_U64EQ(w.after_fail, 0);
	CHECK_U64EQ(err.len, 0);
	CHECK(!recorder_stats(r)->workload_exited);
	recorder_free(r);
	CHECK(no_children());
out:
	fg_buf_release(&err);
}

TEST(record_attach_to_a_running_process)
{
	struct fg_buf err = FG_BUF_INIT;
	struct seen w = { 0 };
	struct recorder *r;
	const struct record_stats *st;
	uint64_t bias = 0;
	int go[2], status = 0;
	pid_t pid;

	CHECK(!own_bias(&bias));
	w.spin_lo = (uint64_t)(uintptr_t)__start_t_record_spin_text - bias;
	w.spin_hi = (uint64_t)(uintptr_t)__stop_t_record_spin_text - bias;
	if (pipe(go)) {
		CHECK(!"pipe");
		return;
	}
	fflush(NULL);
	pid = fork();
	if (!pid) {
		char var[128];
		char *argv[2] = { exe, NULL };
		char *env[2] = { var, NULL };

		close(go[1]);
		snprintf(var, sizeof(var), "FG_T_RECORD_CHILD=200 3 -1 %d", go[0]);
		execve(exe_path(), argv, env);
		_exit(127);
	}
	close(go[0]);
	CHECK(pid > 0);
	w.child = pid;
	/* the process runs (blocked on the pipe) before we attach */
	r = recorder_attach(&fp_opts, &pid, 1, &err);
	CHECK(r != NULL);
	if (!r) {
		printf("# recorder_attach: %s\n", err.buf);
		close(go[1]);
		waitpid(pid, NULL, 0);
		goto out;
	}
	w.r = r;
	/* attached after its exec: no COMM or MMAP records; we know where it runs */
	CHECK(!exe_bias_of(pid, &w.child_bias));
	w.have_bias = 1;
	CHECK(write(go[1], "g", 1) == 1);
	close(go[1]);
	CHECK(recorder_run(r, count_record, &w, &err) == 0);
	st = recorder_stats(r);
	print_seen(&w, st);
	CHECK(!st->workload_exited);	/* not ours to wait for: a -p process */
	CHECK(!st->stopped_by_duration && !st->interrupted);
	CHECK(w.samples >= 100 && w.samples <= 400);
	CHECK(mostly_in_spin(&w));
	CHECK_U64EQ(w.samples, st->samples);
	CHECK_U64EQ(w.foreign, 0);
	CHECK_U64EQ(w.backwards, 0);
	CHECK_U64EQ(st->lost, 0);
	recorder_free(r);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	CHECK(no_children());
out:
	fg_buf_release(&err);
}

TEST(record_missing_command_is_a_clear_error)
{
	static const char *const cmds[] = {
		"/nonexistent/fg-t-record-no-such-command",
		"fg-t-record-no-such-command",	/* looked up in PATH */
	};
	/*
	 * A PATH of searchable directories: execvp() reports EACCES rather
	 * than ENOENT when a directory of PATH could not be searched (an
	 * unprivileged user with /root/... in PATH).
	 */
	char path[] = "PATH=/usr/bin:/bin", *env[2] = { path, NULL };
	struct record_opts o = fp_opts;
	struct fg_buf err = FG_BUF_INIT;
	size_t i;

	o.env = env;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		char *argv[2] = { (char *)cmds[i], NULL };
		struct fg_buf want = FG_BUF_INIT;

		fg_buf_reset(&err);
		CHECK(recorder_start_command(&o, argv, &err) == NULL);
		fg_buf_addf(&want, "cannot run '%s': %s", cmds[i], strerror(ENOENT));
		CHECK_STREQ(err.buf, want.buf);
		fg_buf_release(&want);
		/* the child that could not exec was reaped */
		CHECK(no_children());
	}
	fg_buf_release(&err);
}

TEST(record_unknown_event_is_refused_before_anything_runs)
{
	struct record_opts o = fp_opts;
	struct fg_buf err = FG_BUF_INIT;
	char *argv[2] = { (char *)exe_path(), NULL };

	o.event = "no-such-event";
	CHECK(recorder_start_command(&o, argv, &err) == NULL);
	CHECK_STREQ(err.buf, "unknown event 'no-such-event'");
	CHECK(no_children());
	fg_buf_release(&err);
}
