#ifndef FG_OUTFILE_H
#define FG_OUTFILE_H

/*
 * Output files written atomically: the data goes to a temporary file in the
 * destination's directory, which is renamed over the destination only when
 * everything was written and flushed. A failure or an interruption leaves
 * no partial file behind. The path "-" means standard output (no rename).
 * A path that exists and is not a regular file (a device, a FIFO) is
 * written in place; a symbolic link is followed (its target is replaced),
 * unless another user planted it in a sticky world-writable directory
 * (see outfile_resolve()).
 *
 * Temporary files still open are removed by outfile_remove_all_temps(),
 * which is async-signal-safe, for use from a fatal signal handler.
 */

#include "common.h"
#include "buf.h"

struct outfile {
	char *path;		/* destination */
	char *tmp;		/* temporary name, NULL for stdout */
	FILE *fp;
	int slot;		/* index in the registry of temporary files */
	int direct;		/* not a regular file: written in place */
};

/*
 * Open a temporary file next to path (or stdout for "-"). Returns 0, or -1
 * with a message in err.
 */
int outfile_open(struct outfile *of, const char *path, struct fg_buf *err);

/*
 * Flush, close and rename the temporary file to its destination. Returns 0,
 * or -1 with a message in err (the temporary file is removed then).
 */
int outfile_commit(struct outfile *of, struct fg_buf *err);

/*
 * The path a write to path really goes to, every symbolic link on the way
 * resolved as the kernel does with fs.protected_symlinks=1, whatever that
 * setting is: a link in a sticky world-writable directory (such as /tmp)
 * is followed only when it belongs to us or to the directory's owner. The
 * last component need not exist (nor the target of a dangling link).
 * Returns 0 and a malloc'd absolute path in *resolved, or -1 with the
 * reason in err.
 */
int outfile_resolve(const char *path, char **resolved, struct fg_buf *err);

/* Close and remove the temporary file; the destination is untouched. */
void outfile_abort(struct outfile *of);

/*
 * Give every file committed from now on to uid:gid (used when running as
 * root on behalf of a user, --root). -1 leaves the owner as it is.
 */
void outfile_set_owner(uid_t uid, gid_t gid);

/* Remove every temporary file still registered. Async-signal-safe. */
void outfile_remove_all_temps(void);

#endif
