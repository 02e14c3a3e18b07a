/*
 * Fuzz target: the perf.data reader (profiler/perf-data.c) and the sample
 * decoder it feeds (profiler/perf-sample.c).
 *
 * The input is read as a file (a memfd, read with pread()) and, when it
 * fits in a pipe buffer, once more through a pipe (sequential, pipe mode)
 * with a tiny reordering budget. The callback checks what the reader
 * promises about each record (8-byte aligned, at least a header) and
 * decodes samples: every decoded array must lie inside the record, and a
 * trimmed copy must decode to the same sample.
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../profiler/perf-data.h"

#include <fcntl.h>
#include <unistd.h>

struct counts {
	uint64_t records, samples, sum;
};

static void inside(const struct perf_event_header *h, const void *p, uint64_t n,
		   const char *what)
{
	const char *b = (const char *)h, *e = b + h->size, *q = p;

	if (!n)
		return;
	if (!q || q < b || q > e || n > (uint64_t)(e - q))
		fuzz_fail("sample %s (%" PRIu64 " bytes) outside its %u-byte record",
			  what, n, h->size);
}

static void check_sample(struct counts *c, const struct perf_format *fmt,
			 const struct perf_event_header *h)
{
	struct perf_sample s, t;
	uint64_t i, nregs = (uint64_t)__builtin_popcountll(fmt->regs_user_mask);
	size_t size;
	void *copy;

	if (perf_sample_parse(fmt, h, &s))
		return;
	c->samples++;
	inside(h, s.callchain, s.callchain_nr * 8, "callchain");
	for (i = 0; i < s.callchain_nr; i++)
		c->sum += s.callchain[i];
	if (s.regs) {
		inside(h, s.regs, nregs * 8, "registers");
		for (i = 0; i < nregs; i++)
			c->sum += s.regs[i];
	}
	if (s.stack) {
		inside(h, s.stack, s.stack_size, "stack copy");
		for (i = 0; i < s.stack_size; i += 64)
			c->sum += s.stack[i];
	}

	size = perf_sample_trimmed_size(h, &s);
	if (size < sizeof(*h) || size > h->size)
		fuzz_fail("trimmed size %zu of a %u-byte sample", size, h->size);
	copy = xmalloc(size);
	perf_sample_trim(h, &s, copy);
	if (((struct perf_event_header *)copy)->size != size)
		fuzz_fail("trimmed copy says %u bytes, not %zu",
			  ((struct perf_event_header *)copy)->size, size);
	if (perf_sample_parse(fmt, copy, &t))
		fuzz_fail("a trimmed sample does not decode");
	if (t.ip != s.ip || t.pid != s.pid || t.tid != s.tid || t.time != s.time ||
	    t.period != s.period || t.callchain_nr != s.callchain_nr ||
	    t.regs_abi != s.regs_abi || t.stack_size > s.stack_size)
		fuzz_fail("a trimmed sample decodes differently");
	free(copy);
}

static int count(void *ctx, const struct perf_format *fmt,
		 const struct perf_event_header *h)
{
	struct counts *c = ctx;
	uint64_t time;

	if ((uintptr_t)h % 8)
		fuzz_fail("record not 8-byte aligned");
	if (h->size < sizeof(*h))
		fuzz_fail("record of %u bytes", h->size);
	c->records++;
	if (h->type == PERF_RECORD_SAMPLE)
		check_sample(c, fmt, h);
	else if (!perf_record_time(fmt, h, &time))
		c->sum += time;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perf_data_opts o = { 0 };
	struct perf_data_stats st;
	struct fg_buf err = FG_BUF_INIT;
	struct counts c = { 0 };
	int fd, pfd[2];

	fuzz_file(data, size, &fd);
	if (perf_data_read_fd(fd, "fuzz.data", NULL, count, &c, &st, &err) < 0 &&
	    !err.len)
		fuzz_fail("perf_data_read_fd() failed without a message");
	if (st.delivered != c.records)
		fuzz_fail("%" PRIu64 " records delivered, %" PRIu64 " seen",
			  st.delivered, c.records);

	if (size <= 65536 && !pipe(pfd)) {
		ssize_t n = 0;

		fcntl(pfd[1], F_SETPIPE_SZ, 65536);
		if (size)
			n = write(pfd[1], data, size);
		close(pfd[1]);
		if (n == (ssize_t)size) {
			memset(&c, 0, sizeof(c));
			fg_buf_reset(&err);
			o.max_pending = 1024;
			perf_data_read_fd(pfd[0], "pipe", &o, count, &c, &st, &err);
		}
		close(pfd[0]);
	}
	fg_buf_release(&err);
	return 0;
}
