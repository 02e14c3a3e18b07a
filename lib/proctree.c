#include "proctree.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Descendants found in one pass; a larger tree takes several passes. */
#define MAX_PIDS 4096

static pid_t pids[MAX_PIDS];

void proctree_adopt(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/* Decimal digits of v into buf (16 bytes), NUL-terminated. */
static void fmt_int(char *buf, long v)
{
	char tmp[16];
	int n = 0, i = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < 15);
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
}

/* a + b + c + d into buf (of size len), truncating. */
static void join(char *buf, size_t len, const char *a, const char *b,
		 const char *c, const char *d)
{
	const char *parts[4] = { a, b, c, d };
	size_t n = 0, i;

	for (i = 0; i < 4; i++) {
		const char *s = parts[i];

		while (s && *s && n + 1 < len)
			buf[n++] = *s++;
	}
	buf[n] = '\0';
}

/* Append the children of every thread of pid to pids[*n]. */
static void add_children(pid_t pid, int *n)
{
	char dir[64], num[16], path[128], buf[4096];
	int dfd = -1;
	long got;

	fmt_int(num, pid);
	join(dir, sizeof(dir), "/proc/", num, "/task", NULL);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	while ((got = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < got) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			unsigned short reclen;
			const char *name = buf + off + 19;
			char cbuf[1024];
			ssize_t r;
			int fd;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (name[0] < '0' || name[0] > '9')
				continue;
			join(path, sizeof(path), dir, "/", name, "/children");
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			/* "PID PID PID ", a number maybe cut between reads */
			{
				long v = 0;
				int digits = 0;

				while ((r = read(fd, cbuf, sizeof(cbuf))) > 0) {
					ssize_t i;

					for (i = 0; i < r; i++) {
						if (cbuf[i] >= '0' && cbuf[i] <= '9') {
							v = v * 10 + (cbuf[i] - '0');
							digits++;
							continue;
						}
						if (digits && v > 0 && *n < MAX_PIDS)
							pids[(*n)++] = (pid_t)v;
						v = 0;
						digits = 0;
					}
				}
				if (digits && v > 0 && *n < MAX_PIDS)
					pids[(*n)++] = (pid_t)v;
			}
			close(fd);
		}
	}
	close(dfd);
}

/* Every descendant of the calling process, parents first, into pids[]. */
static int find_descendants(void)
{
	int n = 0, i;

	add_children(getpid(), &n);
	for (i = 0; i < n; i++)
		add_children(pids[i], &n);
	return n;
}

int proctree_kill(int sig)
{
	int n = find_descendants(), i;

	for (i = 0; i < n; i++)
		kill(pids[i], sig);
	return n;
}

/* Reap the children that ended; how many of ours are still alive. */
static int reap_and_count(void)
{
	int status;

	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	return find_descendants();
}

void proctree_end(int grace_ms, volatile sig_atomic_t *hurry)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int waited = 0;

	if (!proctree_kill(SIGTERM))
		return;
	/* a stopped process acts on SIGTERM only once continued */
	proctree_kill(SIGCONT);
	while (reap_and_count() && waited < grace_ms && !(hurry && *hurry)) {
		nanosleep(&tick, NULL);
		waited += 20;
	}
	while (proctree_kill(SIGKILL) && waited < grace_ms + 5000) {
		nanosleep(&tick, NULL);
		waited += 20;
		reap_and_count();
	}
}
