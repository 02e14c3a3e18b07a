/*
 * libtest harnesses: their test filters, their test lists, and the driver
 * that runs several in one recording. See harness.h.
 */
#include "harness.h"
#include "../lib/spawn.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* libtest's options that take a value (libtest --help, Rust 1.95). */
static const char *const value_options[] = {
	"--skip", "--test-threads", "--logfile", "--color", "--format",
	"--shuffle-seed", "-Z", NULL
};

static int takes_value(const char *arg)
{
	const char *const *o;

	for (o = value_options; *o; o++)
		if (!strcmp(arg, *o))
			return 1;
	return 0;
}

size_t harness_filters(int argc, const char *const *argv, struct fg_strlist *filters)
{
	size_t n = 0;
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			/* the rest are free arguments, whatever they look like */
			for (i++; i < argc; i++, n++)
				fg_strlist_append(filters, argv[i]);
			break;
		}
		if (a[0] == '-' && a[1]) {
			/* "--skip X" takes X; "--skip=X" and "-ZX" carry it */
			if (takes_value(a))
				i++;
			continue;
		}
		fg_strlist_append(filters, a);
		n++;
	}
	return n;
}

/* Count the "NAME: test" lines of a listing. */
static size_t count_tests(const char *s)
{
	size_t n = 0;

	while (*s) {
		const char *nl = strchrnul(s, '\n');
		size_t len = (size_t)(nl - s);

		if (len > 6 && !memcmp(nl - 6, ": test", 6))
			n++;
		s = *nl ? nl + 1 : nl;
	}
	return n;
}

int harness_list(const char *exe, int argc, const char *const *argv,
		 const char *workdir, char *const *env, size_t *ntests,
		 struct fg_buf *err)
{
	struct fg_buf out = FG_BUF_INIT;
	struct spawn sp = SPAWN_INIT;
	const char **args;
	int i, n = 0, has_list = 0, status, ret = 0;
	ssize_t rd;

	*ntests = 0;
	args = xcalloc((size_t)argc + 3, sizeof(*args));
	args[n++] = exe;
	for (i = 0; i < argc; i++) {
		args[n++] = argv[i];
		has_list |= !strcmp(argv[i], "--list");
	}
	/* libtest refuses an option given twice */
	if (!has_list)
		args[n++] = "--list";
	sp.argv = args;
	sp.cwd = workdir;
	sp.env = (const char *const *)env;
	sp.in.mode = SPAWN_NULL;
	sp.out.mode = SPAWN_PIPE;
	ret = spawn_start(&sp, err);
	free(args);
	if (ret)
		return -1;
	rd = fg_buf_read_fd(&out, sp.out.fd);
	close(sp.out.fd);
	status = spawn_finish(&sp);
	if (rd < 0) {
		fg_buf_addf(err, "cannot read the output of '%s --list': %s", exe,
			    strerror(errno));
		ret = -1;
	} else if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fg_buf_addf(err, "'%s --list' ", exe);
		if (status < 0)
			fg_buf_addstr(err, "could not be waited for");
		else
			describe_status(err, status);
		ret = -1;
	} else {
		*ntests = count_tests(out.buf);
	}
	fg_buf_release(&out);
	return ret;
}

static void argv_push(struct harness_argv *a, const char *s)
{
	ALLOC_GROW(a->v, a->nr + 2, a->alloc);
	a->v[a->nr++] = xstrdup(s);
	a->v[a->nr] = NULL;
}

static void argv_push_count(struct harness_argv *a, size_t n)
{
	char num[32];

	snprintf(num, sizeof(num), "%zu", n);
	argv_push(a, num);
}

void harness_driver_argv(struct harness_argv *out, const char *self,
			 const struct harness_run *runs, size_t n)
{
	size_t i, k, nenv;

	argv_push(out, self);
	argv_push(out, HARNESS_DRIVER_ARG);
	argv_push_count(out, n);
	/* each: LABEL DIR NENV ENV... NARGS ARGV... ("" for no DIR) */
	for (i = 0; i < n; i++) {
		argv_push(out, runs[i].label);
		argv_push(out, runs[i].workdir ? runs[i].workdir : "");
		for (nenv = 0; runs[i].env && runs[i].env[nenv]; nenv++)
			;
		argv_push_count(out, nenv);
		for (k = 0; k < nenv; k++)
			argv_push(out, runs[i].env[k]);
		argv_push_count(out, (size_t)runs[i].argc);
		for (k = 0; k < (size_t)runs[i].argc; k++)
			argv_push(out, runs[i].argv[k]);
	}
}

void harness_argv_release(struct harness_argv *a)
{
	size_t i;

	for (i = 0; i < a->nr; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/*
 * The driver's side. Its harnesses point into its own argv, with argv and
 * env of each copied into NULL-terminated arrays of pointers (freed by
 * free_runs()).
 */

/* A NULL-terminated copy of the n pointers at v. */
static const char **slice(const char **v, size_t n)
{
	const char **copy = xcalloc(n + 1, sizeof(*copy));

	memcpy(copy, v, n * sizeof(*copy));
	return copy;
}

static void free_runs(struct harness_run *runs, size_t n)
{
	size_t i;

	for (i = 0; runs && i < n; i++) {
		free((void *)runs[i].env);
		free((void *)runs[i].argv);
	}
	free(runs);
}

/* A count at argv[*i] that leaves room for at least min_each * n more. */
static int take_count(int argc, const char **argv, int *i, size_t min_each,
		      size_t *n)
{
	char *end;
	unsigned long v;

	if (*i >= argc || !argv[*i][0])
		return -1;
	errno = 0;
	v = strtoul(argv[*i], &end, 10);
	if (*end || errno || argv[*i][0] == '-' ||
	    v > (unsigned long)(argc - *i - 1) / (min_each ? min_each : 1))
		return -1;
	(*i)++;
	*n = v;
	return 0;
}

static int parse_driver_args(int argc, const char **argv, struct harness_run **runs,
			     size_t *nruns)
{
	int i = 2;
	size_t n, r, cnt;

	/* each harness takes at least LABEL DIR NENV NARGS ARG0 */
	if (take_count(argc, argv, &i, 5, &n) || !n)
		return -1;
	*runs = xcalloc(n, sizeof(**runs));
	*nruns = n;
	for (r = 0; r < n; r++) {
		struct harness_run *h = &(*runs)[r];

		if (i + 2 > argc)
			return -1;
		h->label = argv[i++];
		h->workdir = *argv[i] ? argv[i] : NULL;
		i++;
		if (take_count(argc, argv, &i, 1, &cnt))
			return -1;
		/* NAME=VALUE strings, as putenv() wants them */
		h->env = (char *const *)slice(&argv[i], cnt);
		i += (int)cnt;
		if (take_count(argc, argv, &i, 1, &cnt) || !cnt)
			return -1;
		h->argc = (int)cnt;
		h->argv = slice(&argv[i], cnt);
		i += (int)cnt;
	}
	return i == argc ? 0 : -1;
}

static volatile sig_atomic_t driver_signal;
static volatile pid_t driver_child;

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* A stop signal for us is one for the running harness too. */
static void driver_forward(int sig)
{
	int saved = errno;

	driver_signal = sig;
	if (driver_child > 0)
		kill(driver_child, sig);
	errno = saved;
}

/* Die of sig, as a harness did (without a core file of ours). */
static void NORETURN die_of(int sig)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t set;

	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* a signal whose default is not to end the process */
	exit(128 + sig);
}

/*
 * Start h with the stop signals blocked, so driver_child is set before
 * one is forwarded; the harness starts with our mask of before and its
 * handlers back to their default.
 */
static pid_t start_harness(const struct harness_run *h, struct fg_buf *err)
{
	struct spawn sp = SPAWN_INIT;
	sigset_t block, old;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&block, forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	sp.argv = h->argv;
	sp.cwd = h->workdir;
	sp.env = (const char *const *)h->env;
	sp.sigmask = &old;
	/* a driver killed outright takes its harness along */
	sp.die_with_parent = 1;
	if (!spawn_start(&sp, err))
		driver_child = sp.pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return sp.pid;
}

int harness_driver_main(int argc, const char **argv)
{
	struct harness_run *runs = NULL;
	struct sigaction sa;
	struct fg_buf msg = FG_BUF_INIT;
	size_t nruns = 0, i;
	int failed = 0, first = 0;

	if (parse_driver_args(argc, argv, &runs, &nruns)) {
		free_runs(runs, nruns);
		error("'%s' is for cargo flamegraph's own use: it runs test harnesses "
		      "it has built", HARNESS_DRIVER_ARG);
		return EXIT_USAGE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = driver_forward;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &sa, NULL);

	for (i = 0; i < nruns && !driver_signal; i++) {
		int status;
		pid_t pid;

		fg_buf_reset(&msg);
		if (nruns > 1) {
			fflush(stdout);
			fprintf(stderr, "running the unit tests of %s\n", runs[i].label);
		}
		pid = start_harness(&runs[i], &msg);
		if (pid < 0) {
			error("%s", msg.buf);
			if (!failed++)
				first = 127 << 8;	/* as a shell says it */
			continue;
		}
		status = spawn_wait(pid);
		if (status < 0)
			status = 127 << 8;
		driver_child = 0;
		if (!status || driver_signal)
			continue;
		fg_buf_reset(&msg);
		describe_status(&msg, status);
		fflush(stdout);
		fprintf(stderr, "the unit tests of %s %s\n", runs[i].label, msg.buf);
		if (!failed++)
			first = status;
	}
	free_runs(runs, nruns);
	fg_buf_release(&msg);
	if (driver_signal)
		die_of(driver_signal);
	if (!failed)
		return 0;
	if (WIFSIGNALED(first))
		die_of(WTERMSIG(first));
	return WIFEXITED(first) ? WEXITSTATUS(first) : EXIT_FATAL;
}
