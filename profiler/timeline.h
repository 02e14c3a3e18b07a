#ifndef FG_TIMELINE_H
#define FG_TIMELINE_H

/*
 * struct timeline: events (time, stack, thread, values) in the order they
 * were added, for the outputs that need the order of samples and not only
 * their sums (flame charts, per-thread timelines).
 *
 * Each event is stored as a few variable-length integers (the time as the
 * difference from the previous event's, zigzag-encoded, so a clock that
 * steps back costs nothing more): typically 6 to 12 bytes. Past
 * TIMELINE_MEM_BYTES in memory, the oldest bytes are written to an
 * unlinked temporary file ($TMPDIR, else /tmp), so memory stays bounded
 * however long the recording; reading back goes through the file first,
 * then the bytes still in memory. Not thread-safe.
 */

#include "../lib/common.h"
#include "../lib/buf.h"

#define TIMELINE_MAX_VALUES 8
#define TIMELINE_MEM_BYTES (32u << 20)

struct timeline_event {
	uint64_t time;
	uint32_t stack;
	uint32_t thread;
	size_t nvalues;
	uint64_t values[TIMELINE_MAX_VALUES];
};

struct timeline {
	struct fg_buf mem;		/* encoded events not yet spilled */
	int fd;				/* the spill file, or -1 */
	uint64_t spilled;		/* bytes written to it */
	uint64_t nevents;
	uint64_t last_time;		/* of the last event added */
	size_t mem_limit;		/* TIMELINE_MEM_BYTES (tests lower it) */
	int error;			/* sticky: the spill file failed */

	/* reading */
	struct fg_buf rbuf;		/* bytes read back, not yet decoded */
	size_t rpos;
	uint64_t roff;			/* next file offset to read */
	int rmem;			/* reading the in-memory bytes now */
	uint64_t rtime;
};

void timeline_init(struct timeline *t);
void timeline_release(struct timeline *t);

/*
 * Append one event (nvalues <= TIMELINE_MAX_VALUES). Returns 0, or
 * -FG_ERR_IO when the bytes could not be spilled (errno kept; the
 * timeline then refuses every later event and read).
 */
int timeline_add(struct timeline *t, uint64_t time, uint32_t stack,
		 uint32_t thread, const uint64_t *values, size_t nvalues);

/* Start reading from the first event (again). */
void timeline_rewind(struct timeline *t);

/*
 * The next event into *e: 1, 0 at the end, or -FG_ERR_IO (reading the
 * spill file failed, errno kept). Events may be added again only after
 * the last one was read.
 */
int timeline_next(struct timeline *t, struct timeline_event *e);

#endif
