#ifndef FG_SPAWN_H
#define FG_SPAWN_H

/*
 * Running other programs without a shell: split a command string into
 * words the way a POSIX shell would (quotes and backslashes, no expansion),
 * and run a filter whose standard input is a file and whose standard output
 * is collected. A shell runs only when the user's string names one
 * (for example "sh -c '...'").
 */

#include "common.h"
#include "buf.h"

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
 * its output as it comes. Returns 0 with *pid set, or -1 with a message
 * in err when it could not be started.
 */
int spawn_filter(char *const *argv, int in_fd, pid_t *pid, int *out_fd,
		 struct fg_buf *err);

/* Wait for pid to end; its wait status, or -1. */
int spawn_wait(pid_t pid);

/* Describe a wait status: "exited with code 3", "killed by signal 9 (Killed)". */
void describe_status(struct fg_buf *sb, int status);

#endif
