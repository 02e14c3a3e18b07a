/*
 * The time-ordering queue: an array the records are appended to as they
 * come, sorted by (time, arrival) when some are to go. Records arrive
 * nearly sorted and a flush takes a prefix, so the array stays small: at
 * most what came since the previous flush plus what that one held back.
 */
#include "ordered.h"

void ordered_init(struct ordered_queue *q, uint64_t max_bytes,
		  ordered_deliver_fn deliver, void *ctx)
{
	memset(q, 0, sizeof(*q));
	q->max_bytes = max_bytes;
	q->deliver = deliver;
	q->ctx = ctx;
}

static int entry_cmp(const void *va, const void *vb)
{
	const struct ordered_entry *a = va, *b = vb;

	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void sort_entries(struct ordered_queue *q)
{
	if (q->nr > 1)
		qsort(q->entries, q->nr, sizeof(*q->entries), entry_cmp);
}

/* Deliver the sorted entries up to limit, free them, keep the rest. */
static int flush_sorted(struct ordered_queue *q, uint64_t limit)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < q->nr && q->entries[i].time <= limit; i++) {
		if (!ret)
			ret = q->deliver(q->ctx, q->entries[i].item);
		q->bytes -= q->entries[i].bytes;
		free(q->entries[i].item);
	}
	if (i)
		q->last_time = q->entries[i - 1].time;
	memmove(q->entries, q->entries + i, (q->nr - i) * sizeof(*q->entries));
	q->nr -= i;
	return ret;
}

int ordered_flush(struct ordered_queue *q, uint64_t limit)
{
	/* nothing held (an idle process): no array at all */
	if (!q->nr)
		return 0;
	sort_entries(q);
	return flush_sorted(q, limit);
}

/* Too much held: hand over the older half (and its ties). */
static int flush_half(struct ordered_queue *q)
{
	sort_entries(q);
	q->forced_flushes++;
	return flush_sorted(q, q->entries[q->nr / 2].time);
}

int ordered_add(struct ordered_queue *q, uint64_t time, void *item, size_t bytes)
{
	struct ordered_entry *e;

	if (time < q->last_time)
		q->out_of_order++;
	if (time > q->max_time)
		q->max_time = time;
	ALLOC_GROW(q->entries, q->nr + 1, q->alloc);
	e = &q->entries[q->nr++];
	e->time = time;
	e->seq = q->seq++;
	e->item = item;
	e->bytes = bytes;
	q->bytes += bytes;
	if (q->bytes > q->peak_bytes)
		q->peak_bytes = q->bytes;
	if (q->max_bytes && q->bytes > q->max_bytes)
		return flush_half(q);
	return 0;
}

uint64_t ordered_last_added_time(const struct ordered_queue *q)
{
	return q->nr ? q->entries[q->nr - 1].time : 0;
}

void ordered_release(struct ordered_queue *q)
{
	size_t i;

	for (i = 0; i < q->nr; i++)
		free(q->entries[i].item);
	free(q->entries);
	ordered_init(q, q->max_bytes, q->deliver, q->ctx);
}
