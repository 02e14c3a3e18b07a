#ifndef FG_COMMON_H
#define FG_COMMON_H

/*
 * Included first by every .c file of the project: system headers we always
 * need, allocation wrappers that abort with a message on out-of-memory, the
 * array growth helper, and the front-end reporting functions.
 *
 * Reporting: die() prints "error: ..." (or "fatal: ...") and exits 2; error()
 * prints "error: ..." and returns -1 so that "return error(...)" reads well;
 * warning() prints "warning: ...". Libraries (svg/, profiler/, lib/) do not
 * call die(): they return a negative enum fg_error (see error.h).
 * BUG() reports a broken invariant with file and line, then aborts.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define NORETURN __attribute__((__noreturn__))
#define FG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED __attribute__((unused))

/* Exit codes, documented in --help. */
enum {
	EXIT_OK = 0,
	EXIT_PARTIAL = 1,	/* written, but some samples were lost or bad */
	EXIT_FATAL = 2,		/* nothing written */
	EXIT_REGRESSION = 3,	/* written; a share grew significantly past
				   --fail-on-regression */
	EXIT_USAGE = 64,
};

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/*
 * A large buffer (freed with free()), on transparent huge pages where the
 * system allows them: touching fresh memory one 4 KB page at a time costs
 * a page fault each, which is slow on some virtual machines.
 */
void *xmalloc_huge(size_t size);
char *xstrdup(const char *s);
char *xmemdupz(const void *data, size_t len);
char *xstrfmt(const char *fmt, ...) FG_PRINTF(1, 2);

/* a * b, aborting on overflow. */
size_t st_mult(size_t a, size_t b);
/* a + b, aborting on overflow. */
size_t st_add(size_t a, size_t b);

#define alloc_nr(x) (((x) + 16) * 3 / 2)

/*
 * Make sure x[] has room for at least nr elements, where alloc holds the
 * number currently allocated. Grows geometrically.
 */
#define ALLOC_GROW(x, nr, alloc) \
	do { \
		if ((nr) > (alloc)) { \
			if (alloc_nr(alloc) < (nr)) \
				(alloc) = (nr); \
			else \
				(alloc) = alloc_nr(alloc); \
			(x) = xrealloc((x), st_mult(sizeof(*(x)), (alloc))); \
		} \
	} while (0)

#define FREE_AND_NULL(p) do { free(p); (p) = NULL; } while (0)

/* The program name used as prefix by the usage functions ("flamegraph"). */
extern const char *fg_progname;

/*
 * Called by die() (and so on out-of-memory) before it exits: the front-end
 * removes its temporary files and ends the processes it started. May be
 * NULL.
 */
extern void (*fg_die_hook)(void);
NORETURN void die(const char *fmt, ...) FG_PRINTF(1, 2);
NORETURN void die_errno(const char *fmt, ...) FG_PRINTF(1, 2);
int error(const char *fmt, ...) FG_PRINTF(1, 2);
int error_errno(const char *fmt, ...) FG_PRINTF(1, 2);
void warning(const char *fmt, ...) FG_PRINTF(1, 2);
NORETURN void BUG_fl(const char *file, int line, const char *fmt, ...)
	FG_PRINTF(3, 4);
#define BUG(...) BUG_fl(__FILE__, __LINE__, __VA_ARGS__)

/* How many warning() calls were made so far (for the exit status). */
extern unsigned fg_warning_count;

/* The value of hexadecimal digit c (either case), or -1. */
static inline int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static inline int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !memcmp(s + n - m, suffix, m);
}

#include "banned.h"

#endif
