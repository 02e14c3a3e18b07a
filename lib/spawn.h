#ifndef FG_SPAWN_H
#define FG_SPAWN_H

/*
 * Running other programs without a shell: the one way the front-ends
 * start a program (struct spawn: spawn_start(), then spawn_finish()),
 * the PATH search it uses (spawn_find_program()), splitting a command
 * string into words the way a POSIX shell would (quotes and backslashes,
 * no expansion), and a filter whose standard input is a file and whose
 * standard output is collected. A shell runs only when the user's string
 * names one (for example "sh -c '...'").
 *
 * Errors are one line in a struct fg_buf, in the words of the front-ends
 * ("cannot run 'perf': No such file or directory"); nothing here prints
 * or exits. A failure to run the program (not found, not executable, its
 * directory missing) is seen in the child after the fork and reported
 * back to the parent through a close-on-exec pipe, so that spawn_start()
 * fails with it instead of leaving a child that exits with 127.
 *
 * The child does nothing between fork and exec that is not
 * async-signal-safe (no allocation): this is safe with threads running.
 * Not thread-safe in itself: the struct belongs to one thread.
 */

#include "common.h"
#include "buf.h"

#include <signal.h>

/* Where one of the child's standard streams goes. */
enum spawn_stdio_mode {
	SPAWN_INHERIT = 0,	/* ours (the default) */
	SPAWN_NULL,		/* /dev/null */
	SPAWN_PIPE,		/* a pipe to us: our end is left in .fd */
	SPAWN_FD,		/* the descriptor in .fd (not closed) */
};

struct spawn_stdio {
	enum spawn_stdio_mode mode;
	/*
	 * SPAWN_FD: the descriptor to give the child. SPAWN_PIPE: after
	 * spawn_start(), our end of the pipe (the write end for standard
	 * input, the read end otherwise; close-on-exec), which the caller
	 * closes.
	 */
	int fd;
};

/* What failed when spawn_start() did. */
enum spawn_failure {
	SPAWN_STARTED = 0,
	SPAWN_FAILED_SETUP,	/* here: a pipe, the fork; in the child: /dev/null */
	SPAWN_FAILED_CWD,	/* the child could not enter .cwd */
	SPAWN_FAILED_EXEC,	/* the program could not be run (not found, ...) */
};

/*
 * One program to run. Set the options, leave the rest zero (SPAWN_INIT),
 * start it with spawn_start() and reap it with spawn_finish(). Pointers
 * are not owned and must stay valid until spawn_start() returns.
 */
struct spawn {
	/* Options. */
	const char *const *argv;	/* must not be NULL: argv[0] is the program,
					   looked up in PATH unless it has a '/' */
	const char *cwd;		/* the child's directory; may be NULL (ours) */
	const char *const *envp;	/* the child's whole environment, NAME=VALUE,
					   NULL-terminated; may be NULL (ours) */
	const char *const *env;		/* over envp (or ours): NAME=VALUE set, NAME
					   unset; NULL-terminated; may be NULL */
	struct spawn_stdio in, out, err;
	unsigned new_pgrp:1;		/* the child leads a process group of its own */
	unsigned die_with_parent:1;	/* the child is killed (SIGKILL) when we die */
	/*
	 * The child's signal mask, set after its caught signals are back to
	 * their default (so that none arrives in our handlers before the
	 * exec); may be NULL: it keeps ours.
	 */
	const sigset_t *sigmask;

	/* Results. */
	pid_t pid;			/* the child, once started; -1 before */
	enum spawn_failure failure;	/* why spawn_start() failed */
	int errnum;			/* and the errno value of it */
	int status;			/* the wait status, after spawn_finish() */
	int exit_code;			/* its exit code, or -1 when it was killed */
	int signal;			/* the signal that killed it, or 0 */
};

#define SPAWN_INIT { .pid = -1, .exit_code = -1 }

/*
 * Start sp->argv[0] with the options of sp, looked up in the PATH of the
 * environment it gets, after our stdio output is flushed (fflush(NULL)).
 * Returns 0 with sp->pid set and the SPAWN_PIPE ends in
 * sp->in.fd, sp->out.fd, sp->err.fd; or -1 with one line in err and
 * sp->failure and sp->errnum set, no child left and no descriptor open:
 * "cannot create a pipe: ...", "cannot fork: ...", "cannot change to
 * 'DIR': ...", "cannot run 'PROG': ...". When the child itself failed
 * (SPAWN_FAILED_CWD or SPAWN_FAILED_EXEC), it was reaped after it exited
 * with code 127, as sp->status and sp->exit_code say.
 */
int spawn_start(struct spawn *sp, struct fg_buf *err);

/*
 * Wait for the child of spawn_start() to end (through EINTR) and decode
 * its status into sp->status, sp->exit_code and sp->signal. Closes none
 * of the pipes. Returns the wait status, or -1 when it cannot be waited
 * for (errno set).
 */
int spawn_finish(struct spawn *sp);

/*
 * The program execvp() runs for prog, with the same search: a name with a
 * '/' is not looked up and is returned as it is; otherwise the first
 * regular file with execute permission among the directories of $PATH
 * (an empty entry is the current directory; "/bin:/usr/bin" when PATH is
 * unset). Returns a malloc'd path, or NULL with errno set (ENOENT, or
 * EACCES when one was found that cannot be run).
 */
char *spawn_find_program(const char *prog);

/*
 * Split s into words: whitespace separates words; '...' quotes literally;
 * "..." quotes with \\ \" \$ \` escapes; a backslash outside quotes escapes
 * the next character. Returns a NULL-terminated, malloc'd argv (free it
 * with free_argv()) and sets *argc, or NULL with a message in err for an
 * unterminated quote or an empty command.
 */
char **split_command(const char *s, int *argc, struct fg_buf *err);
void free_argv(char **argv);

/*
 * Start argv[0] (looked up in PATH) with its standard input reading from
 * in_fd and its standard output going to a pipe whose read end is
 * returned in *out_fd (stderr is inherited), so that the caller reads
 * its output as it comes: spawn_start() with those options. Returns 0
 * with *pid set, or -1 with a message in err when it could not be started.
 */
int spawn_filter(char *const *argv, int in_fd, pid_t *pid, int *out_fd,
		 struct fg_buf *err);

/* Wait for pid to end (through EINTR); its wait status, or -1. */
int spawn_wait(pid_t pid);

/* Describe a wait status: "exited with code 3", "killed by signal 9 (Killed)". */
void describe_status(struct fg_buf *sb, int status);

#endif
