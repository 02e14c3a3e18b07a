#ifndef FG_ERROR_H
#define FG_ERROR_H

/*
 * The catalogue of errors returned by the libraries (lib/, svg/, profiler/).
 * Functions return 0 on success or a negative enum fg_error; fg_strerror()
 * gives the message. Details that only the failing call knows (a file name,
 * an errno, a line number) go into a struct fg_buf the caller passes in.
 *
 * Adding an error: add one X() row; the enum and the message table are
 * both expanded from it, so they cannot disagree.
 */

#define FG_ERRORS \
	X(OK, "success") \
	X(IO, "input/output error") \
	X(NO_STACKS, "no stack counts found") \
	X(UNSORTED, "unsorted input lines detected") \
	X(COUNT_OVERFLOW, "sample count overflows a 64-bit integer") \
	X(BAD_OPTION, "bad option value") \
	X(BAD_INPUT, "malformed input") \
	X(LINE_TOO_LONG, "a line is longer than 64 MB") \
	X(NO_MEMORY, "out of memory") \
	X(NO_PERF_ACCESS, "perf_event_open denied; see perf_event_paranoid") \
	X(SPAWN, "cannot start program") \
	X(CHILD_FAILED, "child program failed") \
	X(UNSUPPORTED, "input uses a feature this reader does not support")

enum fg_error {
#define X(name, msg) FG_ERR_##name,
	FG_ERRORS
#undef X
	FG_ERR__COUNT
};

/* Message for err, which may be given negated (as functions return it). */
const char *fg_strerror(int err);

#endif
