#include "files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

const char *file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int file_open_regular(const char *path, struct fg_buf *why)
{
	char self[64];
	struct stat st;
	int pfd, fd, e;

	/*
	 * O_PATH opens nothing: no FIFO waits for a writer, no device acts
	 * on being opened. Only a regular file is then opened for reading,
	 * through the descriptor, so that it is the very file just checked.
	 */
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0) {
		if (why)
			fg_buf_addstr(why, strerror(errno));
		return -1;
	}
	if (fstat(pfd, &st)) {
		e = errno;
		if (why)
			fg_buf_addstr(why, strerror(e));
		close(pfd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		if (why)
			fg_buf_addf(why, "it is %s", file_kind(st.st_mode));
		close(pfd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	e = errno;
	close(pfd);
	if (fd < 0) {
		if (why)
			fg_buf_addstr(why, strerror(e));
		errno = e;
	}
	return fd;
}
