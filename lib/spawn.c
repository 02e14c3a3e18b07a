#include "spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* execvp()'s search path when PATH is not set (glibc's _CS_PATH). */
#define DEFAULT_PATH "/bin:/usr/bin"

void free_argv(char **argv)
{
	char **p;

	if (!argv)
		return;
	for (p = argv; *p; p++)
		free(*p);
	free(argv);
}

char **split_command(const char *s, int *argc, struct fg_buf *err)
{
	char **argv = NULL;
	size_t nr = 0, alloc = 0;
	struct fg_buf word = FG_BUF_INIT;
	int in_word = 0;

	for (;;) {
		char c = *s;

		if (!c || c == ' ' || c == '\t' || c == '\n') {
			if (in_word) {
				ALLOC_GROW(argv, nr + 2, alloc);
				argv[nr++] = fg_buf_detach(&word, NULL);
				in_word = 0;
			}
			if (!c)
				break;
			s++;
			continue;
		}
		in_word = 1;
		if (c == '\'') {
			const char *end = strchr(s + 1, '\'');

			if (!end)
				goto unterminated;
			fg_buf_add(&word, s + 1, (size_t)(end - s - 1));
			s = end + 1;
		} else if (c == '"') {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1] && strchr("\\\"$`", s[1])) {
					fg_buf_addch(&word, s[1]);
					s += 2;
				} else {
					fg_buf_addch(&word, *s++);
				}
			}
			if (!*s)
				goto unterminated;
			s++;
		} else if (c == '\\') {
			if (s[1]) {
				fg_buf_addch(&word, s[1]);
				s += 2;
			} else {
				s++;
			}
		} else {
			fg_buf_addch(&word, c);
			s++;
		}
	}
	if (!nr) {
		fg_buf_addstr(err, "empty command");
		free(argv);
		return NULL;
	}
	argv[nr] = NULL;
	*argc = (int)nr;
	return argv;

unterminated:
	fg_buf_addstr(err, "unterminated quote in command");
	fg_buf_release(&word);
	if (argv) {
		argv[nr] = NULL;
		free_argv(argv);
	}
	return NULL;
}

/*
 * The PATH search of execvp(): try(candidate, ctx) for prog in each
 * directory of path in turn (an empty entry is the current directory)
 * until one returns 0, building the candidates in buf (size bytes). It
 * allocates nothing: the child runs it between fork and exec. Returns 0
 * with the winner in buf, or the errno value to report: EACCES when a
 * candidate was there but could not be run, ENOENT when none was, or the
 * error that stopped the search (as execvp() stops on it).
 */
static int search_path(const char *path, const char *prog, char *buf, size_t size,
		       int (*try)(const char *cand, void *ctx), void *ctx)
{
	size_t len = strlen(prog);
	int eacces = 0;

	if (!len)
		return ENOENT;
	if (len > NAME_MAX || len >= size)
		return ENAMETOOLONG;
	for (;;) {
		const char *end = strchrnul(path, ':');
		size_t dlen = (size_t)(end - path);

		if (dlen + 1 + len < size) {
			int e;

			memcpy(buf, path, dlen);
			if (dlen)
				buf[dlen++] = '/';
			memcpy(buf + dlen, prog, len + 1);
			e = try(buf, ctx);
			switch (e) {
			case 0:
				return 0;
			case EACCES:
				eacces = 1;
				break;
			case ENOENT:
			case ENOTDIR:
			case ESTALE:
			case ENODEV:
			case ETIMEDOUT:
				break;
			default:
				return e;
			}
		}
		if (!*end)
			break;
		path = end + 1;
	}
	return eacces ? EACCES : ENOENT;
}

/* spawn_find_program()'s test: a regular file we may execute. */
static int try_runnable(const char *cand, void *ctx)
{
	struct stat st;

	(void)ctx;
	if (stat(cand, &st))
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	return access(cand, X_OK) ? errno : 0;
}

char *spawn_find_program(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	int e;

	if (strchr(prog, '/'))
		return xstrdup(prog);
	e = search_path(path ? path : DEFAULT_PATH, prog, buf, sizeof(buf),
			try_runnable, NULL);
	if (e) {
		errno = e;
		return NULL;
	}
	return xstrdup(buf);
}

/* What the child needs to exec, prepared before the fork. */
struct exec_ctx {
	char *const *argv;
	char *const *envp;
	const char **sh_argv;	/* "/bin/sh", [1] the script, then argv[1...] */
};

/*
 * execve() cand as execvp() does: a file that is not an executable
 * format (ENOEXEC) is a script without "#!", run by /bin/sh. Returns
 * the errno value of the failure (it returns only on failure).
 */
static int try_exec(const char *cand, void *vctx)
{
	struct exec_ctx *ctx = vctx;

	execve(cand, ctx->argv, ctx->envp);
	if (errno == ENOEXEC) {
		ctx->sh_argv[1] = cand;
		execve("/bin/sh", (char *const *)ctx->sh_argv, ctx->envp);
		errno = ENOEXEC;
	}
	return errno;
}

/* How the child tells the parent why it could not start. */
struct child_report {
	int failure;		/* enum spawn_failure */
	int errnum;
};

static void NORETURN child_fail(int fd, enum spawn_failure failure, int errnum)
{
	struct child_report r = { failure, errnum };

	if (write(fd, &r, sizeof(r)) < 0)
		_exit(127);
	_exit(127);
}

/* The length of the name of a NAME=VALUE (or NAME) string. */
static size_t env_name_len(const char *s)
{
	return strcspn(s, "=");
}

static int env_find(const char *const *env, size_t from, const char *s)
{
	size_t n = env_name_len(s);

	for (; env && env[from]; from++)
		if (env_name_len(env[from]) == n && !strncmp(env[from], s, n))
			return 1;
	return 0;
}

/*
 * The child's environment: base with the settings of env (NAME=VALUE
 * sets, NAME unsets, the last of a name wins). The strings are not
 * copied: free only the array.
 */
static const char **merge_env(const char *const *base, const char *const *env)
{
	const char **v = NULL;
	size_t nr = 0, alloc = 0, i;

	for (i = 0; base[i]; i++)
		if (!env_find(env, 0, base[i])) {
			ALLOC_GROW(v, nr + 1, alloc);
			v[nr++] = base[i];
		}
	for (i = 0; env[i]; i++)
		if (strchr(env[i], '=') && !env_find(env, i + 1, env[i])) {
			ALLOC_GROW(v, nr + 1, alloc);
			v[nr++] = env[i];
		}
	ALLOC_GROW(v, nr + 1, alloc);
	v[nr] = NULL;
	return v;
}

static const char *env_get(const char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* Every caught signal back to its default, then the mask. */
static void child_reset_signals(const sigset_t *mask)
{
	struct sigaction sa, dfl;
	int sig;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++) {
		if (sigaction(sig, NULL, &sa))
			continue;
		if ((sa.sa_flags & SA_SIGINFO) ||
		    (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN))
			sigaction(sig, &dfl, NULL);
	}
	sigprocmask(SIG_SETMASK, mask, NULL);
}

/*
 * The child, between fork and exec: src[i] (or -1: ours) becomes its
 * descriptor i, then the options of sp; any failure is reported on
 * report_fd. Only async-signal-safe calls.
 */
static void NORETURN child_run(const struct spawn *sp, int src[3],
			       struct exec_ctx *ctx, const char *path,
			       pid_t parent, int report_fd)
{
	char buf[PATH_MAX];
	int i, e;

	/* out of the way of the dup2()s below first */
	for (i = 0; i < 3; i++)
		if (src[i] >= 0 && src[i] < 3 && src[i] != i &&
		    (src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 3)) < 0)
			child_fail(report_fd, SPAWN_FAILED_SETUP, errno);
	for (i = 0; i < 3; i++) {
		if (src[i] < 0)
			continue;
		if (src[i] == i ? fcntl(i, F_SETFD, 0) < 0 : dup2(src[i], i) < 0)
			child_fail(report_fd, SPAWN_FAILED_SETUP, errno);
	}
	if (sp->new_pgrp)
		setpgid(0, 0);
	if (sp->die_with_parent) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);	/* it died already: nobody is told */
	}
	if (sp->sigmask)
		child_reset_signals(sp->sigmask);
	if (sp->cwd && chdir(sp->cwd) < 0)
		child_fail(report_fd, SPAWN_FAILED_CWD, errno);
	if (strchr(ctx->argv[0], '/'))
		e = try_exec(ctx->argv[0], ctx);
	else
		e = search_path(path, ctx->argv[0], buf, sizeof(buf), try_exec, ctx);
	child_fail(report_fd, SPAWN_FAILED_EXEC, e);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void decode_status(struct spawn *sp, int status)
{
	sp->status = status;
	sp->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	sp->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

int spawn_start(struct spawn *sp, struct fg_buf *err)
{
	struct spawn_stdio *io[3] = { &sp->in, &sp->out, &sp->err };
	int child_fd[3] = { -1, -1, -1 }, our_fd[3] = { -1, -1, -1 };
	int report[2] = { -1, -1 }, src[3], null_fd = -1, i, ret = -1;
	const char *const *base = sp->envp ? sp->envp : (const char *const *)environ;
	const char **merged = NULL, *path;
	struct child_report r;
	struct exec_ctx ctx = { 0 };
	size_t argc;
	ssize_t n;
	pid_t parent = getpid();

	sp->pid = -1;
	sp->failure = SPAWN_FAILED_SETUP;
	sp->errnum = 0;
	for (i = 0; i < 3; i++) {
		int fds[2];

		if (io[i]->mode != SPAWN_PIPE)
			continue;
		if (pipe2(fds, O_CLOEXEC) < 0)
			goto pipe_failed;
		/* the child reads its standard input, writes the others */
		child_fd[i] = fds[i ? 1 : 0];
		our_fd[i] = fds[i ? 0 : 1];
	}
	if (pipe2(report, O_CLOEXEC) < 0)
		goto pipe_failed;
	if (sp->env)
		base = merged = merge_env(base, sp->env);
	path = env_get(base, "PATH");
	for (argc = 0; sp->argv[argc]; argc++)
		;
	ctx.argv = (char *const *)sp->argv;
	ctx.envp = (char *const *)base;
	ctx.sh_argv = xcalloc(argc + 2, sizeof(*ctx.sh_argv));
	ctx.sh_argv[0] = "/bin/sh";
	if (argc > 1)
		memcpy(&ctx.sh_argv[2], &sp->argv[1], (argc - 1) * sizeof(*ctx.sh_argv));
	for (i = 0; i < 3; i++)
		src[i] = io[i]->mode == SPAWN_PIPE ? child_fd[i] :
			 io[i]->mode == SPAWN_FD ? io[i]->fd : -1;
	if (sp->in.mode == SPAWN_NULL || sp->out.mode == SPAWN_NULL ||
	    sp->err.mode == SPAWN_NULL) {
		null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null_fd < 0) {
			sp->errnum = errno;
			fg_buf_addf(err, "cannot open '/dev/null': %s", strerror(errno));
			goto out;
		}
		for (i = 0; i < 3; i++)
			if (io[i]->mode == SPAWN_NULL)
				src[i] = null_fd;
	}

	fflush(NULL);
	sp->pid = fork();
	if (!sp->pid)
		child_run(sp, src, &ctx, path ? path : DEFAULT_PATH, parent, report[1]);
	if (sp->pid < 0) {
		sp->errnum = errno;
		fg_buf_addf(err, "cannot fork: %s", strerror(errno));
		goto out;
	}
	close_fd(&report[1]);
	do
		n = read(report[0], &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(r)) {
		int status = spawn_wait(sp->pid);

		if (status >= 0)
			decode_status(sp, status);
		sp->pid = -1;
		sp->failure = r.failure;
		sp->errnum = r.errnum;
		if (r.failure == SPAWN_FAILED_CWD)
			fg_buf_addf(err, "cannot change to '%s': %s", sp->cwd,
				    strerror(r.errnum));
		else if (r.failure == SPAWN_FAILED_EXEC)
			fg_buf_addf(err, "cannot run '%s': %s", sp->argv[0],
				    strerror(r.errnum));
		else
			fg_buf_addf(err, "cannot start '%s': %s", sp->argv[0],
				    strerror(r.errnum));
		goto out;
	}
	sp->failure = SPAWN_STARTED;
	for (i = 0; i < 3; i++)
		if (io[i]->mode == SPAWN_PIPE) {
			io[i]->fd = our_fd[i];
			our_fd[i] = -1;
		}
	ret = 0;
	goto out;

pipe_failed:
	sp->errnum = errno;
	fg_buf_addf(err, "cannot create a pipe: %s", strerror(errno));
out:
	for (i = 0; i < 3; i++) {
		close_fd(&child_fd[i]);
		close_fd(&our_fd[i]);
	}
	close_fd(&report[0]);
	close_fd(&report[1]);
	close_fd(&null_fd);
	free(merged);
	free(ctx.sh_argv);
	return ret;
}

int spawn_finish(struct spawn *sp)
{
	int status = spawn_wait(sp->pid);

	if (status < 0)
		return -1;
	decode_status(sp, status);
	return status;
}

int spawn_filter(char *const *argv, int in_fd, pid_t *pid, int *out_fd,
		 struct fg_buf *err)
{
	struct spawn sp = SPAWN_INIT;

	sp.argv = (const char *const *)argv;
	sp.in.mode = SPAWN_FD;
	sp.in.fd = in_fd;
	sp.out.mode = SPAWN_PIPE;
	if (spawn_start(&sp, err))
		return -1;
	*pid = sp.pid;
	*out_fd = sp.out.fd;
	return 0;
}

int spawn_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

void describe_status(struct fg_buf *sb, int status)
{
	if (WIFEXITED(status))
		fg_buf_addf(sb, "exited with code %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fg_buf_addf(sb, "killed by signal %d (%s)", WTERMSIG(status),
			    strsignal(WTERMSIG(status)));
	else
		fg_buf_addf(sb, "ended with status 0x%x", status);
}
