#include "unit.h"
#include "../../profiler/ordered.h"

/*
 * The time-ordering queue on synthetic records: each item is a malloc'd
 * struct rec naming its time and arrival, and the callback writes down
 * what it was given.
 */

struct rec {
	uint64_t time;
	int id;
};

struct seen {
	int n;
	uint64_t time[64];
	int id[64];
	int stop_at;		/* return -7 at this delivery (0: never) */
};

static int collect(void *ctx, void *item)
{
	struct seen *s = ctx;
	const struct rec *r = item;

	if (s->n >= 64)
		return 0;
	s->time[s->n] = r->time;
	s->id[s->n] = r->id;
	s->n++;
	return s->stop_at && s->n == s->stop_at ? -7 : 0;
}

/* Add a record of time t, counted as size bytes. */
static int add(struct ordered_queue *q, uint64_t t, int id, size_t size)
{
	struct rec *r = xmalloc(sizeof(*r));

	r->time = t;
	r->id = id;
	return ordered_add(q, t, r, size);
}

TEST(ordered_out_of_order_input_comes_out_in_time_order)
{
	static const uint64_t in[] = { 30, 10, 20, 50, 40, 15, 35 };
	static const uint64_t want[] = { 10, 15, 20, 30, 35, 40, 50 };
	struct ordered_queue q;
	struct seen s = { 0 };
	size_t i;

	ordered_init(&q, 0, collect, &s);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		CHECK(!add(&q, in[i], (int)i, 8));
	CHECK_U64EQ(s.n, 0);	/* nothing goes before a flush */
	CHECK_U64EQ(q.bytes, 8 * ARRAY_SIZE(in));
	CHECK_U64EQ(q.max_time, 50);
	CHECK(!ordered_flush(&q, UINT64_MAX));
	CHECK_U64EQ(s.n, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		CHECK_U64EQ(s.time[i], want[i]);
	CHECK_U64EQ(q.bytes, 0);
	CHECK_U64EQ(q.peak_bytes, 8 * ARRAY_SIZE(in));
	CHECK_U64EQ(q.out_of_order, 0);
	CHECK_U64EQ(q.forced_flushes, 0);
	ordered_release(&q);
}

TEST(ordered_ties_keep_arrival_order)
{
	static const int want[] = { 1, 3, 5, 0, 2, 4 };
	struct ordered_queue q;
	struct seen s = { 0 };
	size_t i;

	ordered_init(&q, 0, collect, &s);
	/* ids 0..5 at times 5 3 5 3 5 3 */
	for (i = 0; i < ARRAY_SIZE(want); i++)
		add(&q, i & 1 ? 3 : 5, (int)i, 8);
	CHECK(!ordered_flush(&q, UINT64_MAX));
	CHECK_U64EQ(s.n, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		CHECK_U64EQ(s.id[i], want[i]);

	/* ties split across flushes: the later arrivals still come later */
	s.n = 0;
	add(&q, 7, 10, 8);
	add(&q, 9, 11, 8);
	CHECK(!ordered_flush(&q, 7));
	add(&q, 9, 12, 8);
	add(&q, 9, 13, 8);
	CHECK(!ordered_flush(&q, UINT64_MAX));
	CHECK_U64EQ(s.n, 4);
	CHECK_U64EQ(s.id[0], 10);
	CHECK_U64EQ(s.id[1], 11);
	CHECK_U64EQ(s.id[2], 12);
	CHECK_U64EQ(s.id[3], 13);
	ordered_release(&q);
}

TEST(ordered_flush_stops_at_the_time_bound)
{
	struct ordered_queue q;
	struct seen s = { 0 };

	ordered_init(&q, 0, collect, &s);
	CHECK(!ordered_flush(&q, 100));	/* empty: nothing to do */
	CHECK_U64EQ(ordered_last_added_time(&q), 0);
	add(&q, 10, 0, 8);
	add(&q, 40, 1, 8);
	add(&q, 20, 2, 8);
	add(&q, 30, 3, 8);
	CHECK_U64EQ(ordered_last_added_time(&q), 30);
	CHECK(!ordered_flush(&q, 20));		/* the bound is inclusive */
	CHECK_U64EQ(s.n, 2);
	CHECK_U64EQ(s.time[0], 10);
	CHECK_U64EQ(s.time[1], 20);
	CHECK_U64EQ(q.nr, 2);
	CHECK_U64EQ(q.bytes, 16);
	/* after a flush, the latest time held */
	CHECK_U64EQ(ordered_last_added_time(&q), 40);

	/* a record older than one delivered is counted, and still delivered */
	add(&q, 15, 4, 8);
	CHECK_U64EQ(q.out_of_order, 1);
	CHECK(!ordered_flush(&q, 5));		/* nothing due */
	CHECK_U64EQ(s.n, 2);
	CHECK(!ordered_flush(&q, 30));
	CHECK_U64EQ(s.n, 4);
	CHECK_U64EQ(s.time[2], 15);
	CHECK_U64EQ(s.time[3], 30);
	CHECK(!ordered_flush(&q, UINT64_MAX));
	CHECK_U64EQ(s.n, 5);
	CHECK_U64EQ(s.time[4], 40);
	CHECK_U64EQ(q.nr, 0);
	ordered_release(&q);
}

TEST(ordered_memory_bound_forces_out_the_older_half)
{
	struct ordered_queue q;
	struct seen s = { 0 };
	int i;

	ordered_init(&q, 100, collect, &s);
	for (i = 0; i < 40; i++) {
		/* arrives in pairs swapped: 1 0 3 2 5 4 ... */
		CHECK(!add(&q, (uint64_t)(100 + (i ^ 1)), i, 10));
		CHECK(q.bytes <= 100);
	}
	CHECK(q.forced_flushes > 0);
	CHECK(s.n > 0);
	CHECK(q.peak_bytes <= 110);
	CHECK(!ordered_flush(&q, UINT64_MAX));
	CHECK_U64EQ(s.n, 40);
	for (i = 1; i < s.n; i++)
		CHECK(s.time[i - 1] < s.time[i]);
	ordered_release(&q);
}

TEST(ordered_callback_stops_the_delivery)
{
	struct ordered_queue q;
	struct seen s = { 0 };
	int i;

	ordered_init(&q, 0, collect, &s);
	for (i = 0; i < 6; i++)
		add(&q, (uint64_t)(10 * (i + 1)), i, 8);
	s.stop_at = 2;
	CHECK(ordered_flush(&q, 40) == -7);
	/* the others due were dropped; the later ones are held */
	CHECK_U64EQ(s.n, 2);
	CHECK_U64EQ(q.nr, 2);
	CHECK_U64EQ(q.bytes, 16);
	ordered_release(&q);	/* frees them undelivered */
	CHECK_U64EQ(s.n, 2);
	CHECK_U64EQ(q.nr, 0);
	CHECK_U64EQ(q.bytes, 0);
	CHECK_U64EQ(q.peak_bytes, 0);

	/* released, the queue is as new */
	s.stop_at = 0;
	add(&q, 5, 9, 8);
	CHECK(!ordered_flush(&q, UINT64_MAX));
	CHECK_U64EQ(s.n, 3);
	CHECK_U64EQ(s.id[2], 9);
	ordered_release(&q);
}
