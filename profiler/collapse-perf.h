#ifndef FG_COLLAPSE_PERF_H
#define FG_COLLAPSE_PERF_H

/*
 * The perf-script collapser: turns the text `perf script` prints into
 * samples of a profile (profile.h: each frame a location known by its
 * tidied name, each event under its thread (process name, pid, tid), its
 * period added to the first sample type), which fold into what inferno's
 * collapse-perf gives, with its semantics (see README
 * "Input formats"): a blank line or the end of input ends an event; the
 * event's period is its weight; names are tidied (offsets removed, Rust
 * names fixed up, argument lists cut); [unknown] frames get the module
 * name; only the first event type is kept unless an event filter is given.
 *
 * Input is fed in pieces of any size with collapse_perf_feed() (a line may
 * straddle two pieces), so that an input of any size is read with bounded
 * memory: the profile grows with the number of distinct stacks only.
 * Not thread-safe: one struct collapse_perf per input.
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "profile.h"

struct collapse_opts {
	int include_addrs;		/* [unknown] frames keep their address */
	int annotate_kernel;		/* append _[k] to kernel frames */
	int annotate_jit;		/* append _[j] to JIT frames */
	/*
	 * Keep only this event type. It matches the event name (the word
	 * before the first colon of "cycles:u:") or the whole token without
	 * its last colon ("cycles:u", "sched:sched_switch"). NULL: the first
	 * event type seen.
	 */
	const char *event_filter;
	/*
	 * NULL-terminated, or NULL: an event with a frame of one of these
	 * names (as perf names it, before _[k] or _[j]) is cut there, its
	 * callers and its thread left out.
	 */
	const char *const *skip_after;
};

struct collapse_stats {
	uint64_t events;		/* event lines read */
	uint64_t events_kept;		/* events that produced a stack */
	uint64_t weird_events;		/* unparsable event lines */
	uint64_t weird_stack_lines;	/* unparsable stack lines */
	uint64_t filtered;		/* events of another event type */
	uint64_t lines;			/* lines read */
};

struct collapse_perf;

/*
 * Create a collapser adding to p (which it does not own; p must outlive
 * it). opts (NULL: all defaults) is copied, but the strings it points to
 * must stay valid.
 */
struct collapse_perf *collapse_perf_new(struct profile *p,
					const struct collapse_opts *opts);

/*
 * Feed len bytes of perf-script text. Returns 0 or a negative fg_error
 * (count overflow), with details appended to err (which may be NULL).
 * Weird lines are counted, never an error. After an error the collapser
 * stops: every later call returns the same error.
 */
int collapse_perf_feed(struct collapse_perf *c, const char *data, size_t len,
		       struct fg_buf *err);

/* Signal the end of input (flushes the last event). Returns as _feed(). */
int collapse_perf_finish(struct collapse_perf *c, struct fg_buf *err);

/* Counters so far; valid until collapse_perf_free(). */
const struct collapse_stats *collapse_perf_stats(const struct collapse_perf *c);

/*
 * The first few (at most 5) weird lines, for warnings; NULL when none.
 * Each entry reads "weird event line: LINE" or "weird stack line: LINE"
 * (LINE cut to 200 bytes, bytes kept as they were) and ends with a NUL;
 * an empty entry ends the list:
 *
 *	for (p = collapse_perf_first_weird(c); p && *p; p += strlen(p) + 1)
 *		warning("%s", p);
 *
 * Valid until the next collapse_perf_feed() or collapse_perf_free().
 */
const char *collapse_perf_first_weird(const struct collapse_perf *c);

void collapse_perf_free(struct collapse_perf *c);

/*
 * Convenience: collapse a whole file descriptor (read in large blocks).
 * Returns 0 or a negative fg_error (-FG_ERR_IO with errno text in err).
 */
int collapse_perf_fd(struct profile *p, const struct collapse_opts *opts,
		     int fd, struct collapse_stats *stats, struct fg_buf *err);

#endif
