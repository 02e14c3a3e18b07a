#include "spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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

int spawn_filter(char *const *argv, int in_fd, pid_t *pid, int *out_fd,
		 struct fg_buf *err)
{
	int out_pipe[2], exec_pipe[2];
	int exec_errno = 0;
	ssize_t n;

	if (pipe2(out_pipe, O_CLOEXEC) < 0) {
		fg_buf_addf(err, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(exec_pipe, O_CLOEXEC) < 0) {
		fg_buf_addf(err, "cannot create a pipe: %s", strerror(errno));
		close(out_pipe[0]);
		close(out_pipe[1]);
		return -1;
	}
	*pid = fork();
	if (*pid < 0) {
		fg_buf_addf(err, "cannot fork: %s", strerror(errno));
		close(out_pipe[0]);
		close(out_pipe[1]);
		close(exec_pipe[0]);
		close(exec_pipe[1]);
		return -1;
	}
	if (!*pid) {
		if (dup2(in_fd, 0) < 0 || dup2(out_pipe[1], 1) < 0)
			_exit(127);
		execvp(argv[0], argv);
		exec_errno = errno;
		if (write(exec_pipe[1], &exec_errno, sizeof(exec_errno)) < 0)
			_exit(127);
		_exit(127);
	}
	close(out_pipe[1]);
	close(exec_pipe[1]);
	do
		n = read(exec_pipe[0], &exec_errno, sizeof(exec_errno));
	while (n < 0 && errno == EINTR);
	close(exec_pipe[0]);
	if (n == (ssize_t)sizeof(exec_errno)) {
		close(out_pipe[0]);
		spawn_wait(*pid);
		fg_buf_addf(err, "cannot run '%s': %s", argv[0], strerror(exec_errno));
		return -1;
	}
	*out_fd = out_pipe[0];
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
