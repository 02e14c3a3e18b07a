#include "outfile.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TEMPS 8

static uid_t owner_uid = (uid_t)-1;
static gid_t owner_gid = (gid_t)-1;

void outfile_set_owner(uid_t uid, gid_t gid)
{
	owner_uid = uid;
	owner_gid = gid;
}

/* Registry of temporary files, read by the signal handler. */
static char *volatile temps[MAX_TEMPS];

static int register_temp(char *path)
{
	int i;

	for (i = 0; i < MAX_TEMPS; i++)
		if (!temps[i]) {
			temps[i] = path;
			return i;
		}
	BUG("too many open output files");
}

static void unregister_temp(int slot)
{
	if (slot >= 0)
		temps[slot] = NULL;
}

void outfile_remove_all_temps(void)
{
	int i;

	for (i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			unlink(temps[i]);
}

int outfile_open(struct outfile *of, const char *path, struct fg_buf *err)
{
	const char *slash;
	struct stat st;
	mode_t mask;
	char *real = NULL;
	int fd;

	memset(of, 0, sizeof(*of));
	of->slot = -1;
	if (!strcmp(path, "-")) {
		of->path = xstrdup(path);
		of->fp = stdout;
		return 0;
	}
	/* A symbolic link: write (atomically) where it points. */
	if (!lstat(path, &st) && S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		if (!real) {
			/* a dangling link: its target, next to the link if relative */
			char target[PATH_MAX];
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			const char *dir_end = strrchr(path, '/');

			if (n > 0) {
				target[n] = '\0';
				if (target[0] == '/' || !dir_end)
					real = xstrdup(target);
				else
					real = xstrfmt("%.*s/%s", (int)(dir_end - path),
						       path, target);
			}
		}
		if (real)
			path = real;
	}
	/*
	 * Not a regular file (a device such as /dev/stdout, a FIFO): write to
	 * it directly, never replace it.
	 */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		of->fp = fopen(path, "w");
		if (!of->fp) {
			fg_buf_addf(err, "cannot open '%s': %s", path, strerror(errno));
			free(real);
			return -1;
		}
		of->path = xstrdup(path);
		of->direct = 1;
		free(real);
		return 0;
	}
	of->path = xstrdup(path);
	free(real);
	path = of->path;
	slash = strrchr(path, '/');
	if (slash)
		of->tmp = xstrfmt("%.*s.%s.tmpXXXXXX", (int)(slash - path + 1),
				  path, slash + 1);
	else
		of->tmp = xstrfmt(".%s.tmpXXXXXX", path);
	fd = mkstemp(of->tmp);
	if (fd < 0) {
		fg_buf_addf(err, "cannot create '%s': %s", path, strerror(errno));
		FREE_AND_NULL(of->tmp);
		FREE_AND_NULL(of->path);
		return -1;
	}
	/* mkstemp() makes 0600; give the file the mode open(2) would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0) {
		/* not fatal: the file is still ours */
	}
	if ((owner_uid != (uid_t)-1 || owner_gid != (gid_t)-1) &&
	    fchown(fd, owner_uid, owner_gid) < 0) {
		fg_buf_addf(err, "cannot give '%s' to uid %d: %s", path,
			    (int)owner_uid, strerror(errno));
		close(fd);
		unlink(of->tmp);
		FREE_AND_NULL(of->tmp);
		FREE_AND_NULL(of->path);
		return -1;
	}
	of->slot = register_temp(of->tmp);
	of->fp = fdopen(fd, "w");
	if (!of->fp) {
		fg_buf_addf(err, "cannot open '%s': %s", of->tmp, strerror(errno));
		close(fd);
		outfile_abort(of);
		return -1;
	}
	setvbuf(of->fp, NULL, _IOFBF, 1 << 16);
	return 0;
}

int outfile_commit(struct outfile *of, struct fg_buf *err)
{
	int ret = 0;

	if (of->direct) {
		if (ferror(of->fp) || fflush(of->fp) || fclose(of->fp)) {
			fg_buf_addf(err, "cannot write '%s': %s", of->path, strerror(errno));
			ret = -1;
		}
		of->fp = NULL;
		FREE_AND_NULL(of->path);
		return ret;
	}
	if (!of->tmp) {
		if (fflush(of->fp) || ferror(of->fp)) {
			fg_buf_addf(err, "cannot write to standard output: %s",
				    strerror(errno));
			ret = -1;
		}
		FREE_AND_NULL(of->path);
		of->fp = NULL;
		return ret;
	}
	if (ferror(of->fp) || fflush(of->fp)) {
		fg_buf_addf(err, "cannot write '%s': %s", of->path, strerror(errno));
		outfile_abort(of);
		return -1;
	}
	if (fclose(of->fp)) {
		of->fp = NULL;
		fg_buf_addf(err, "cannot write '%s': %s", of->path, strerror(errno));
		outfile_abort(of);
		return -1;
	}
	of->fp = NULL;
	if (rename(of->tmp, of->path)) {
		fg_buf_addf(err, "cannot rename '%s' to '%s': %s", of->tmp,
			    of->path, strerror(errno));
		outfile_abort(of);
		return -1;
	}
	unregister_temp(of->slot);
	FREE_AND_NULL(of->tmp);
	FREE_AND_NULL(of->path);
	return 0;
}

void outfile_abort(struct outfile *of)
{
	if (of->fp && of->fp != stdout)
		fclose(of->fp);
	of->fp = NULL;
	if (of->tmp) {
		unlink(of->tmp);
		unregister_temp(of->slot);
		FREE_AND_NULL(of->tmp);
	}
	FREE_AND_NULL(of->path);
}
