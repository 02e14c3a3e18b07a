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

/*
 * May the symbolic link st (found in the directory dir) be followed? Not
 * when it sits in a sticky, world-writable directory (such as /tmp) and
 * belongs neither to us nor to the directory's owner: another user may
 * have planted it there to make us overwrite a file of ours. This is the
 * rule of the kernel's fs.protected_symlinks, applied whatever that
 * setting is.
 */
static int link_trusted(const char *dir, const struct stat *st, struct fg_buf *err,
			const char *link)
{
	struct stat dst;

	if (stat(*dir ? dir : "/", &dst))
		return 1;
	if (!(dst.st_mode & S_ISVTX) || !(dst.st_mode & S_IWOTH) ||
	    st->st_uid == geteuid() || st->st_uid == dst.st_uid)
		return 1;
	fg_buf_addf(err, "refusing to follow the symbolic link '%s': it belongs to another "
		    "user (uid %d) in the shared directory '%s'", link, (int)st->st_uid,
		    *dir ? dir : "/");
	return 0;
}

int outfile_resolve(const char *path, char **resolved, struct fg_buf *err)
{
	struct fg_buf cur = FG_BUF_INIT, rest = FG_BUF_INIT, next = FG_BUF_INIT;
	int links = 0, ret = 0;

	*resolved = NULL;
	if (!*path) {
		fg_buf_addstr(err, "an empty path");
		return -1;
	}
	if (path[0] != '/') {
		char *cwd = getcwd(NULL, 0);

		if (!cwd) {
			fg_buf_addf(err, "cannot find the current directory: %s", strerror(errno));
			return -1;
		}
		fg_buf_addstr(&cur, strcmp(cwd, "/") ? cwd : "");
		free(cwd);
	}
	fg_buf_addstr(&rest, path);
	/* cur: a resolved directory ("" for the root); rest: what is left */
	while (rest.len) {
		const char *r = rest.buf, *slash;
		size_t clen;
		struct stat st;

		while (*r == '/')
			r++;
		if (!*r)
			break;
		slash = strchr(r, '/');
		clen = slash ? (size_t)(slash - r) : strlen(r);
		fg_buf_reset(&next);
		fg_buf_add(&next, r, clen);
		memmove(rest.buf, r + clen, strlen(r + clen) + 1);
		fg_buf_setlen(&rest, strlen(rest.buf));
		if (!strcmp(next.buf, "."))
			continue;
		if (!strcmp(next.buf, "..")) {
			char *up = strrchr(cur.buf, '/');

			fg_buf_setlen(&cur, up ? (size_t)(up - cur.buf) : 0);
			continue;
		}
		{
			size_t keep = cur.len;

			fg_buf_addch(&cur, '/');
			fg_buf_add(&cur, next.buf, next.len);
			if (lstat(cur.buf, &st) || !S_ISLNK(st.st_mode))
				continue;	/* a directory, a file, or nothing yet */
			fg_buf_setlen(&cur, keep);
			if (!link_trusted(cur.buf, &st, err, path)) {
				ret = -1;
				break;
			}
			if (++links > 40) {
				fg_buf_addf(err, "too many levels of symbolic links in '%s'", path);
				ret = -1;
				break;
			}
			{
				char target[PATH_MAX];
				ssize_t n;

				fg_buf_addch(&cur, '/');
				fg_buf_add(&cur, next.buf, next.len);
				n = readlink(cur.buf, target, sizeof(target) - 1);
				fg_buf_setlen(&cur, keep);
				if (n <= 0) {
					fg_buf_addf(err, "cannot read the symbolic link in '%s': %s",
						    path, n < 0 ? strerror(errno) : "empty");
					ret = -1;
					break;
				}
				target[n] = '\0';
				if (target[0] == '/')
					fg_buf_reset(&cur);
				/* the target's components come before the rest */
				fg_buf_reset(&next);
				fg_buf_addstr(&next, target);
				fg_buf_addch(&next, '/');
				fg_buf_add(&next, rest.buf, rest.len);
				fg_buf_reset(&rest);
				fg_buf_add(&rest, next.buf, next.len);
			}
		}
	}
	if (!ret)
		*resolved = cur.len ? fg_buf_detach(&cur, NULL) : xstrdup("/");
	fg_buf_release(&cur);
	fg_buf_release(&rest);
	fg_buf_release(&next);
	return ret;
}

/* The signals that remove temporary files, held off while one is made. */
static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, old);
}

int outfile_open(struct outfile *of, const char *path, struct fg_buf *err)
{
	const char *slash, *base;
	struct stat st;
	sigset_t old;
	mode_t mask;
	size_t blen;
	int fd;

	memset(of, 0, sizeof(*of));
	of->slot = -1;
	if (!strcmp(path, "-")) {
		of->path = xstrdup(path);
		of->fp = stdout;
		return 0;
	}
	/* Symbolic links are followed (their target is replaced), if trusted. */
	if (outfile_resolve(path, &of->path, err)) {
		struct fg_buf why = FG_BUF_INIT;

		fg_buf_addstr(&why, err->buf);
		fg_buf_reset(err);
		fg_buf_addf(err, "cannot write '%s': %s", path, why.buf);
		fg_buf_release(&why);
		return -1;
	}
	path = of->path;
	/*
	 * Not a regular file (a device such as /dev/stdout, a FIFO): write to
	 * it directly, never replace it.
	 */
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		fg_buf_addf(err, "cannot write '%s': it is a directory", path);
		FREE_AND_NULL(of->path);
		return -1;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		of->fp = fopen(path, "w");
		if (!of->fp) {
			fg_buf_addf(err, "cannot open '%s': %s", path, strerror(errno));
			FREE_AND_NULL(of->path);
			return -1;
		}
		of->direct = 1;
		return 0;
	}
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	/* ".NAME.tmpXXXXXX" must fit NAME_MAX too */
	blen = strlen(base);
	if (blen > NAME_MAX - 11)
		blen = NAME_MAX - 11;
	of->tmp = xstrfmt("%.*s.%.*s.tmpXXXXXX", (int)(base - path), path, (int)blen, base);
	block_signals(&old);
	fd = mkstemp(of->tmp);
	if (fd >= 0)
		of->slot = register_temp(of->tmp);
	sigprocmask(SIG_SETMASK, &old, NULL);
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
		outfile_abort(of);
		return -1;
	}
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
