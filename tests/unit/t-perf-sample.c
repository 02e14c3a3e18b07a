#include "unit.h"
#include "../../profiler/perf-sample.h"

/*
 * A PERF_RECORD_SWITCH record with the sample_id_all trailer sample_type
 * asks for: pid 7, tid 9, time 1234, id 55, stream id 66, cpu 1,
 * identifier 77, each field only when asked for.
 */
static size_t switch_record(uint64_t sample_type, uint64_t *rec)
{
	struct perf_event_header h = { PERF_RECORD_SWITCH, PERF_RECORD_MISC_SWITCH_OUT, 0 };
	size_t n = 1;

	if (sample_type & PERF_SAMPLE_TID)
		rec[n++] = 7 | (uint64_t)9 << 32;
	if (sample_type & PERF_SAMPLE_TIME)
		rec[n++] = 1234;
	if (sample_type & PERF_SAMPLE_ID)
		rec[n++] = 55;
	if (sample_type & PERF_SAMPLE_STREAM_ID)
		rec[n++] = 66;
	if (sample_type & PERF_SAMPLE_CPU)
		rec[n++] = 1;
	if (sample_type & PERF_SAMPLE_IDENTIFIER)
		rec[n++] = 77;
	h.size = (uint16_t)(n * 8);
	memcpy(rec, &h, sizeof(h));
	return n;
}

TEST(perf_record_trailer_time_and_thread)
{
	static const uint64_t types[] = {
		PERF_SAMPLE_TID | PERF_SAMPLE_TIME,
		PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU,
		PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID |
			PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER,
		PERF_SAMPLE_TIME | PERF_SAMPLE_IDENTIFIER,
		PERF_SAMPLE_TID | PERF_SAMPLE_IDENTIFIER,
		PERF_SAMPLE_IP | PERF_SAMPLE_PERIOD,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct perf_format fmt = { .sample_type = types[i], .sample_id_all = 1 };
		uint64_t rec[8], time = 0;
		uint32_t pid = 0, tid = 0;
		const struct perf_event_header *h = (const void *)rec;

		switch_record(types[i], rec);
		if (types[i] & PERF_SAMPLE_TIME) {
			CHECK(!perf_record_time(&fmt, h, &time));
			CHECK_U64EQ(time, 1234);
		} else {
			CHECK(perf_record_time(&fmt, h, &time) == -1);
		}
		if (types[i] & PERF_SAMPLE_TID) {
			CHECK(!perf_record_thread(&fmt, h, &pid, &tid));
			CHECK_U64EQ(pid, 7);
			CHECK_U64EQ(tid, 9);
		} else {
			CHECK(perf_record_thread(&fmt, h, &pid, &tid) == -1);
		}
		/* without sample_id_all, no trailer */
		fmt.sample_id_all = 0;
		CHECK(perf_record_time(&fmt, h, &time) == -1);
		CHECK(perf_record_thread(&fmt, h, &pid, &tid) == -1);
	}
}

/* A record too short for the trailer its format says it has. */
TEST(perf_record_trailer_truncated)
{
	struct perf_format fmt = {
		.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU,
		.sample_id_all = 1,
	};
	uint64_t rec[8], time;
	uint32_t pid, tid;
	struct perf_event_header *h = (void *)rec;

	switch_record(fmt.sample_type, rec);
	h->size = 16;	/* the header and one field of three */
	CHECK(perf_record_time(&fmt, h, &time) == -1);
	CHECK(perf_record_thread(&fmt, h, &pid, &tid) == -1);
	h->size = 24;	/* two of three: there is no room for TID */
	CHECK(perf_record_thread(&fmt, h, &pid, &tid) == -1);
}
