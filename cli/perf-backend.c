#include "perf-backend.h"
#include "report.h"
#include "signals.h"
#include "../lib/clock.h"
#include "../lib/error.h"
#include "../lib/spawn.h"
#include "../profiler/perf-data.h"
#include "../profiler/session.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int perf_backend_wanted(const struct fg_profile_opts *p)
{
	return p->custom_cmd || p->compression;
}

/* Is prog runnable: a path to an executable file, or found in PATH? */
static int can_run(const char *prog)
{
	char *path = spawn_find_program(prog);
	int ok = path && !access(path, X_OK);

	free(path);
	return ok;
}

/* $PERF or "perf"; NULL after an error message when it cannot run. */
static const char *perf_program(void)
{
	const char *env = getenv("PERF");

	if (env && *env) {
		if (!can_run(env)) {
			error("perf not found at '%s' (from the PERF environment variable)", env);
			return NULL;
		}
		return env;
	}
	if (!can_run("perf")) {
		error("perf is not installed or not present in $PATH; "
		      "on Debian it comes with the package linux-perf "
		      "(the native engine, without -c or -z, needs no perf)");
		return NULL;
	}
	return "perf";
}

static void push(struct fg_strlist *l, const char *s)
{
	fg_strlist_append(l, s);
}

/* Words of s split on whitespace, as flamegraph-rs splits -c (no quoting). */
static char **split_ws(const char *s, int *n)
{
	char **v = NULL;
	size_t nr = 0, alloc = 0;

	while (*s) {
		const char *start;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		start = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
		ALLOC_GROW(v, nr + 2, alloc);
		v[nr++] = xmemdupz(start, (size_t)(s - start));
	}
	ALLOC_GROW(v, nr + 1, alloc);
	v[nr] = NULL;
	*n = (int)nr;
	return v;
}

/*
 * Run argv in workdir (may be NULL) with env (may be NULL) added to its
 * environment, in the foreground: Ctrl-C goes to it (and to its
 * workload) through the terminal, while we wait. Returns the wait
 * status (127 when it could not be run, after the error), or -1.
 */
static int run_foreground(const char *const *argv, const char *workdir,
			  char *const *env)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT;
	int status;

	sp.argv = argv;
	sp.cwd = workdir;
	sp.env = (const char *const *)env;
	if (spawn_start(&sp, &err)) {
		error("%s", err.buf);
		fg_buf_release(&err);
		return sp.failure == SPAWN_FAILED_SETUP ? -1 : sp.status;
	}
	signals_forward_mode(sp.pid);
	status = spawn_finish(&sp);
	signals_abort_mode();
	return status;
}

/* Move an existing data file to NAME.old; 0, or -1 after an error. */
static int set_aside(const char *data)
{
	struct stat st;
	char *old;
	int ret = 0;

	if (lstat(data, &st))
		return 0;
	old = xstrfmt("%s.old", data);
	if (rename(data, old))
		ret = error("cannot set the old '%s' aside (to '%s') before recording: %s",
			    data, old, strerror(errno));
	free(old);
	return ret;
}

/* sudo [FLAGS] prefix of --root. */
static void push_sudo(struct fg_strlist *l, const char *root)
{
	if (!root)
		return;
	push(l, "sudo");
	if (*root)
		push(l, root);	/* one argument, as flamegraph-rs passes it */
}

int perf_backend_record(struct fg_run_opts *o, struct fg_profile_opts *p,
			int argc, const char **argv)
{
	struct fg_strlist cmd = { 0 };
	struct fg_buf pids = FG_BUF_INIT, msg = FG_BUF_INIT;
	const char *perf, *data = "perf.data";
	char **custom = NULL, *level = NULL, *freq = NULL, *cg = NULL, *abs_data = NULL;
	int ncustom = 0, dashdash = -1, user_o = 0, i, status, ret, failed;
	size_t k;

	if (p->custom_cmd && p->freq_set) {
		error("Cannot pass both a custom command and a frequency.");
		return EXIT_USAGE;
	}
	if (p->perfdata) {
		error("'--perfdata' cannot be used with '-c' or '-z'");
		return EXIT_USAGE;
	}
	if (!argc && !p->npids) {
		error("no workload given to generate a flamegraph for");
		return EXIT_USAGE;
	}
	perf = perf_program();
	if (!perf)
		return EXIT_FATAL;

	push_sudo(&cmd, p->root);
	push(&cmd, perf);
	if (p->custom_cmd && p->compression)
		warning("'-z' is ignored with '-c': put perf's --compression-level in the custom command");
	if (p->custom_cmd) {
		custom = split_ws(p->custom_cmd, &ncustom);
		for (i = 0; i < ncustom; i++) {
			if (!strcmp(custom[i], "-o")) {
				if (i + 1 >= ncustom) {
					error("missing '-o' argument");
					ret = EXIT_USAGE;
					goto out;
				}
				data = custom[i + 1];
				user_o = 1;
			}
			if (!strcmp(custom[i], "--") && dashdash < 0)
				dashdash = i;
		}
		/* perf stat, perf top...: nothing to render, ever */
		for (i = 0; i < (dashdash < 0 ? ncustom : dashdash); i++)
			if (!strcmp(custom[i], "record"))
				break;
		if (i == (dashdash < 0 ? ncustom : dashdash)) {
			error("'-c %s' runs 'perf %s', which writes no perf.data to render: -c takes "
			      "the arguments of a recording, 'record' first (for example "
			      "-c 'record -e cycles -g')", p->custom_cmd,
			      ncustom ? custom[0] : "");
			ret = EXIT_USAGE;
			goto out;
		}
		/* Our additions go before a "--" of the user's (their #265). */
		for (i = 0; i < (dashdash < 0 ? ncustom : dashdash); i++)
			push(&cmd, custom[i]);
	} else {
		freq = xstrfmt("%u", p->freq);
		push(&cmd, "record");
		push(&cmd, "-F");
		push(&cmd, freq);
		if (p->call_graph == CG_FP) {
			push(&cmd, "-g");
		} else {
			cg = xstrfmt("dwarf,%u", p->stack_size);
			push(&cmd, "--call-graph");
			push(&cmd, cg);
			push(&cmd, "-g");
		}
		if (p->compression) {
			level = xstrfmt("--compression-level=%s", p->compression);
			push(&cmd, level);
		}
	}
	if (!user_o) {
		/* in our directory even when perf runs in another */
		if (p->workdir) {
			char cwd[PATH_MAX];

			if (getcwd(cwd, sizeof(cwd)))
				data = abs_data = xstrfmt("%s/perf.data", cwd);
		}
		push(&cmd, "-o");
		push(&cmd, data);
	}
	if (p->npids) {
		for (k = 0; k < p->npids; k++)
			fg_buf_addf(&pids, "%s%d", k ? "," : "", (int)p->pids[k]);
		push(&cmd, "-p");
		push(&cmd, pids.buf);
	}
	if (dashdash >= 0)
		for (i = dashdash; i < ncustom; i++)
			push(&cmd, custom[i]);
	if (argc) {
		if (dashdash < 0)
			push(&cmd, "--");
		for (i = 0; i < argc; i++)
			push(&cmd, argv[i]);
	}

	if (o->verbose) {
		fprintf(stderr, "command");
		for (k = 0; k < cmd.nr; k++)
			fprintf(stderr, " '%s'", cmd.v[k]);
		fprintf(stderr, "\n");
	}
	/*
	 * An old data file is set aside (as perf itself does, to NAME.old)
	 * before perf runs: when perf fails before writing one, the data of
	 * an earlier run must never be rendered as this one's.
	 */
	if (set_aside(data)) {
		ret = EXIT_FATAL;
		goto out;
	}
	/* cargo's tests run in their package directory, with its variables */
	status = run_foreground(cmd.v, p->workdir, p->env);
	if (status == -1) {
		ret = EXIT_FATAL;
		goto out;
	}
	failed = !(WIFSIGNALED(status) &&
		   (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM)) &&
		 !(WIFEXITED(status) && !WEXITSTATUS(status));
	if (failed) {
		describe_status(&msg, status);
		fprintf(stderr, "perf record %s (the profiled command's status, "
			"or a perf error above)\n", msg.buf);
	}
	if (p->root && geteuid()) {
		/* perf ran as root: give the data file back to the user. */
		struct fg_strlist chown_cmd = { 0 };
		char *owner = xstrfmt("%d:%d", (int)getuid(), (int)getgid());

		push_sudo(&chown_cmd, p->root);
		push(&chown_cmd, "chown");
		push(&chown_cmd, owner);
		push(&chown_cmd, data);
		if (run_foreground(chown_cmd.v, NULL, NULL) != 0)
			warning("cannot give '%s' back to you: it stays owned by root", data);
		free(owner);
		fg_strlist_release(&chown_cmd);
	}
	if (access(data, F_OK)) {
		error("perf wrote no data file '%s'%s", data,
		      failed ? " (it failed: see its message above)" : "");
		ret = EXIT_FATAL;
		goto out;
	}
	fprintf(stderr, "perf data is in '%s'\n", data);
	ret = perfdata_render(o, p, data, failed);
out:
	if (custom) {
		for (i = 0; i < ncustom; i++)
			free(custom[i]);
		free(custom);
	}
	free(level);
	free(freq);
	free(cg);
	free(abs_data);
	fg_buf_release(&pids);
	fg_buf_release(&msg);
	fg_strlist_release(&cmd);
	return ret;
}

/* `perf script` on path, its output streamed into the collapser. */
static int perf_script_fallback(struct fg_run_opts *o, struct fg_profile_opts *p,
				const char *path, struct profile *prof)
{
	struct fg_strlist cmd = { 0 };
	struct fg_buf err = FG_BUF_INIT, errtext = FG_BUF_INIT;
	struct collapse_stats cs;
	struct spawn sp = SPAWN_INIT;
	const char *perf = perf_program();
	int status, ret = 0;

	if (!perf)
		return -1;
	push_sudo(&cmd, p->root);
	push(&cmd, perf);
	push(&cmd, "script");
	push(&cmd, "--force");
	if (p->no_inline)
		push(&cmd, "--no-inline");
	push(&cmd, "-i");
	push(&cmd, path);
	sp.argv = cmd.v;
	sp.out.mode = SPAWN_PIPE;
	sp.err.mode = SPAWN_PIPE;
	if (spawn_start(&sp, &errtext)) {
		/* not run: its status (127) and why are said below */
		if (sp.failure == SPAWN_FAILED_SETUP)
			ret = error("%s", errtext.buf);
		status = sp.status;
	} else {
		/* perf script's stderr is small; read it after its output. */
		if (collapse_perf_fd(prof, &o->collapse, sp.out.fd, &cs, &err) < 0)
			ret = error("cannot collapse the output of perf script: %s", err.buf);
		close(sp.out.fd);
		fg_buf_read_fd(&errtext, sp.err.fd);
		close(sp.err.fd);
		status = spawn_finish(&sp);
	}
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		fg_buf_reset(&err);
		describe_status(&err, status);
		ret = error("unable to run 'perf script': (%s) %s", err.buf, errtext.buf);
	}
	fg_strlist_release(&cmd);
	fg_buf_release(&err);
	fg_buf_release(&errtext);
	return ret;
}

int perfdata_render(struct fg_run_opts *o, struct fg_profile_opts *p,
		    const char *path, int workload_failed)
{
	struct session_opts so = { 0 };
	struct perf_data_opts po = { 0 };
	struct perf_data_stats st;
	struct fg_buf err = FG_BUF_INIT, source = FG_BUF_INIT;
	struct profile text, *prof = NULL;
	struct session *s;
	double t0 = fg_now_ms(), t1;
	int ret;

	so.no_inline = p->no_inline;
	so.details = run_wants_details(o);
	po.event = o->collapse.event_filter;
	fg_buf_addf(&source, "'%s'", path);
	o->input_name = path;
	run_text_profile(o, &text);

	s = session_new(&so);
	/* every sample with its time, for a flame chart or speedscope */
	if (run_wants_timeline(o))
		profile_keep_timeline(session_profile(s));
	/*
	 * The second core names code locations while this one reads and
	 * unwinds the samples.
	 */
	session_symbolize_while_recording(s);
	ret = perf_data_read(path, &po, session_record, s, &st, &err);
	if (ret == -FG_ERR_UNSUPPORTED) {
		fprintf(stderr, "reading '%s' with perf script: %s\n", path, err.buf);
		session_free(s);
		s = NULL;
		if (perf_script_fallback(o, p, path, &text)) {
			ret = EXIT_FATAL;
			goto out;
		}
		prof = &text;
	} else if (ret < 0) {
		error("cannot read '%s': %s", path, err.len ? err.buf : fg_strerror(ret));
		ret = EXIT_FATAL;
		goto out;
	} else {
		const struct session_stats *ss;

		t1 = fg_now_ms();
		if (o->verbose)
			fprintf(stderr, "read and unwound %" PRIu64 " samples (%" PRIu64
				" MB of data) in %.1f ms\n", st.samples,
				st.data_bytes >> 20, t1 - t0);
		session_finish(s, NULL);
		prof = session_profile(s);
		run_profile_event(prof, st.event);
		if (st.event[0])
			prof->meta.event = profile_string(prof, st.event, strlen(st.event));
		prof->meta.lost = st.lost;
		ss = session_stats(s);
		profile_report_files(s, 0, NULL);
		if (o->verbose)
			fprintf(stderr, "symbolized %" PRIu64 " code locations in %.1f ms\n",
				ss->locations, fg_now_ms() - t1);
		fprintf(stderr, "read %" PRIu64 " sample%s of %s from '%s'", st.samples,
			st.samples == 1 ? "" : "s",
			st.event[0] ? st.event : "the first event", path);
		profile_report_unwinding(stderr, st.lost, ss);
		if (ss->build_id_mismatches)
			warning("%" PRIu64 " files recorded in '%s' changed on disk since "
				"(their build-id differs): their frames are shown as [file name]",
				ss->build_id_mismatches, path);
	}
	ret = run_render_profile(o, prof, source.buf, !o->no_summary);
	if (o->verbose)
		fprintf(stderr, "--perfdata took %.1f ms\n", fg_now_ms() - t0);
	if (!ret && workload_failed && !p->ignore_status)
		ret = EXIT_PARTIAL;
out:
	session_free(s);
	profile_release(&text);
	fg_buf_release(&err);
	fg_buf_release(&source);
	return ret;
}
