#ifndef FG_ORDERED_H
#define FG_ORDERED_H

/*
 * A time-ordering queue of records (the recorder's, merging its per-CPU
 * rings, and the perf.data reader's, merging perf's rounds): records come
 * in roughly in time order and leave strictly in time order, records of
 * equal time in the order they came. Records are delivered only when the
 * caller says: ordered_flush() hands over, through the callback, every
 * held record up to a time bound. Memory is bounded too: when the records
 * held pass max_bytes, ordered_add() hands over the older half at once,
 * whatever the time.
 *
 * Ownership: an item given to ordered_add() is a malloc'd block that
 * belongs to the queue from then on. The queue passes it to the deliver
 * callback (which may read it, but neither frees nor keeps it) and then
 * frees it with free(); items never delivered (after the callback asked
 * to stop, or at ordered_release()) are freed the same way.
 *
 * Errors: the only failure is the callback's; its non-zero value is
 * returned. Not thread-safe.
 */

#include "../lib/common.h"

/*
 * Called with each item in time order; ctx is the one given to
 * ordered_init(). Returns 0 to go on; non-zero stops this delivery: the
 * other items due are freed without being delivered, and the value is
 * returned by the call that delivered.
 */
typedef int (*ordered_deliver_fn)(void *ctx, void *item);

struct ordered_entry {
	uint64_t time;
	uint64_t seq;		/* arrival number: ties keep arrival order */
	void *item;
	size_t bytes;
};

/*
 * Callers may read the members below "read-only"; the others are the
 * queue's own.
 */
struct ordered_queue {
	struct ordered_entry *entries;
	size_t nr, alloc;
	uint64_t seq;
	uint64_t max_bytes;	/* 0: no bound */
	uint64_t last_time;	/* time of the last item delivered */
	ordered_deliver_fn deliver;
	void *ctx;

	/* read-only */
	uint64_t bytes;		/* held now, as ordered_add() counted them */
	uint64_t max_time;	/* largest time added so far */
	uint64_t peak_bytes;	/* most bytes held at once */
	uint64_t out_of_order;	/* items added older than a delivered one */
	uint64_t forced_flushes; /* times max_bytes forced the older half out */
};

/*
 * Start an empty queue that hands items to deliver (must not be NULL)
 * with ctx (may be NULL). max_bytes bounds the bytes held (as counted by
 * ordered_add()); 0 means no bound.
 */
void ordered_init(struct ordered_queue *q, uint64_t max_bytes,
		  ordered_deliver_fn deliver, void *ctx);

/*
 * Hold item (a malloc'd block, now the queue's) until its time comes;
 * bytes is what it counts against max_bytes. Returns 0, or when holding
 * it went over max_bytes, what the forced flush of the older half
 * returned (see ordered_flush()).
 */
int ordered_add(struct ordered_queue *q, uint64_t time, void *item, size_t bytes);

/*
 * Hand over, in time order, every held item whose time is at most limit
 * (all of them when limit is UINT64_MAX); later ones stay held. Returns
 * 0, or the first non-zero value of the callback (the items up to limit
 * are freed all the same).
 */
int ordered_flush(struct ordered_queue *q, uint64_t limit);

/*
 * The time of the last entry held: the item added last, or after a flush
 * (when nothing was added since) the latest time still held. 0 when
 * nothing is held.
 */
uint64_t ordered_last_added_time(const struct ordered_queue *q);

/*
 * Free the items still held, without delivering them. q is then as
 * ordered_init() left it (same callback and bound, statistics cleared).
 */
void ordered_release(struct ordered_queue *q);

#endif
