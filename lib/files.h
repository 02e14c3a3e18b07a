#ifndef FG_FILES_H
#define FG_FILES_H

/*
 * Opening files that a recording or a binary names (mapped files, debug
 * links, build-id paths, what a perf.data file's records say): such a
 * path may lead to a FIFO, a device or a directory, planted there by the
 * workload or by another user, and open(2) of a FIFO blocks until a
 * writer comes. These files are opened without blocking and used only
 * when they are regular files. Thread-safe.
 */

#include "common.h"
#include "buf.h"

/*
 * Open path read-only (close-on-exec, without blocking, without becoming
 * a controlling terminal) and return the descriptor if it is a regular
 * file (it is then in blocking mode again). Otherwise return -1 with
 * errno set, and, when why is not NULL, append the reason to it ("is a
 * FIFO", "is a directory", or strerror(errno)).
 */
int file_open_regular(const char *path, struct fg_buf *why);

/* What kind of file st is, for messages: "a FIFO", "a directory", ... */
const char *file_kind(mode_t mode);

#endif
