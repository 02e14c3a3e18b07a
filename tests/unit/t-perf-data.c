#include "unit.h"
#include "../../lib/buf.h"
#include "../../lib/error.h"
#include "../../profiler/perf-data.h"

#include <sys/mman.h>
#include <unistd.h>
#include <zstd.h>

/*
 * Synthetic perf.data files, built in memory: one or two events whose
 * samples carry IP, TID, TIME and a user stack copy (and IDENTIFIER when
 * there are two), COMM records with a sample_id_all trailer, rounds.
 */

#define ST_ONE (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
		PERF_SAMPLE_STACK_USER)
#define ST_TWO (ST_ONE | PERF_SAMPLE_IDENTIFIER)

struct file {
	struct fg_buf data;	/* the data section */
	int nattrs;
	uint64_t sample_type;
	size_t attr_size;	/* bytes of attr written (0: ours) */
	int event_desc;		/* write HEADER_EVENT_DESC */
};

static void put64(struct fg_buf *b, uint64_t v)
{
	fg_buf_add(b, &v, 8);
}

static void put32(struct fg_buf *b, uint32_t v)
{
	fg_buf_add(b, &v, 4);
}

static void put_header(struct fg_buf *b, uint32_t type, uint16_t misc, size_t size)
{
	struct perf_event_header h = { type, misc, (uint16_t)size };

	fg_buf_add(b, &h, sizeof(h));
}

static void file_init(struct file *f, int nattrs)
{
	memset(f, 0, sizeof(*f));
	fg_buf_init(&f->data, 0);
	f->nattrs = nattrs;
	f->sample_type = nattrs > 1 ? ST_TWO : ST_ONE;
}

/* A sample of event ev (id 100 + ev) with a stack copy of size bytes. */
static void sample(struct file *f, int ev, uint32_t tid, uint64_t time,
		   uint64_t size, uint64_t dyn)
{
	struct fg_buf *b = &f->data;
	size_t n = 8 + 8 + 8 + 8 + (size_t)size + (size ? 8 : 0) +
		   (f->sample_type & PERF_SAMPLE_IDENTIFIER ? 8 : 0);
	size_t i;

	put_header(b, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, 8 + n);
	if (f->sample_type & PERF_SAMPLE_IDENTIFIER)
		put64(b, 100 + (uint64_t)ev);
	put64(b, 0x401000 + time);		/* ip */
	put32(b, tid);				/* pid */
	put32(b, tid);
	put64(b, time);
	put64(b, size);
	for (i = 0; i < size; i++)
		fg_buf_addch(b, (int)(i & 0xff));
	if (size)
		put64(b, dyn);
}

/* A COMM record with a sample_id_all trailer (TID, TIME[, IDENTIFIER]). */
static void comm(struct file *f, uint32_t tid, uint64_t time, const char *name)
{
	struct fg_buf *b = &f->data;
	char c[16] = { 0 };
	size_t n = 8 + 16 + 8 + 8 + (f->sample_type & PERF_SAMPLE_IDENTIFIER ? 8 : 0);

	snprintf(c, sizeof(c), "%s", name);
	put_header(b, PERF_RECORD_COMM, 0, 8 + n);
	put32(b, tid);
	put32(b, tid);
	fg_buf_add(b, c, 16);
	put32(b, tid);
	put32(b, tid);
	put64(b, time);
	if (f->sample_type & PERF_SAMPLE_IDENTIFIER)
		put64(b, 100);
}

static void round_end(struct file *f)
{
	put_header(&f->data, 68, 0, 8);
}

static void lost(struct file *f, uint64_t n, uint64_t time)
{
	struct fg_buf *b = &f->data;
	size_t sz = 8 + 16 + 16 + (f->sample_type & PERF_SAMPLE_IDENTIFIER ? 8 : 0);

	put_header(b, PERF_RECORD_LOST, 0, sz);
	put64(b, 100);
	put64(b, n);
	put32(b, 1);
	put32(b, 1);
	put64(b, time);
	if (f->sample_type & PERF_SAMPLE_IDENTIFIER)
		put64(b, 100);
}

static void make_attr(const struct file *f, int ev, struct perf_event_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = PERF_TYPE_SOFTWARE;
	a->config = ev ? PERF_COUNT_SW_PAGE_FAULTS : PERF_COUNT_SW_CPU_CLOCK;
	a->freq = !ev;
	a->sample_freq = ev ? 1 : 999;
	a->sample_type = f->sample_type;
	a->sample_stack_user = 4096;
	a->sample_id_all = 1;
}

static void put_string(struct fg_buf *b, const char *s)
{
	uint32_t len = (uint32_t)((strlen(s) + 1 + 7) & ~7u);
	size_t pad = len - strlen(s);

	put32(b, len);
	fg_buf_addstr(b, s);
	while (pad--)
		fg_buf_addch(b, 0);
}

/* The whole file: header, attrs, id sections, data, features. */
static void file_build(const struct file *f, struct fg_buf *out)
{
	size_t asz = f->attr_size ? f->attr_size : sizeof(struct perf_event_attr);
	size_t entry = asz + 16, attrs_off = 104, ids_off, data_off, feat_off;
	struct fg_buf desc = FG_BUF_INIT;
	int i;

	ids_off = attrs_off + (size_t)f->nattrs * entry;
	data_off = ids_off + (size_t)f->nattrs * 8;
	feat_off = data_off + f->data.len;
	fg_buf_reset(out);
	fg_buf_add(out, "PERFILE2", 8);
	put64(out, 104);
	put64(out, entry);
	put64(out, attrs_off);
	put64(out, (uint64_t)f->nattrs * entry);
	put64(out, data_off);
	put64(out, f->data.len);
	put64(out, 0);
	put64(out, 0);
	put64(out, f->event_desc ? 1ULL << 12 : 0);	/* feature bits */
	put64(out, 0);
	put64(out, 0);
	put64(out, 0);
	for (i = 0; i < f->nattrs; i++) {
		struct perf_event_attr a;
		unsigned char raw[512] = { 0 };

		make_attr(f, i, &a);
		memcpy(raw, &a, sizeof(a) < asz ? sizeof(a) : asz);
		memcpy(raw + 4, &(uint32_t){ (uint32_t)asz }, 4);	/* attr.size */
		fg_buf_add(out, raw, asz);
		put64(out, ids_off + (uint64_t)i * 8);
		put64(out, 8);
	}
	for (i = 0; i < f->nattrs; i++)
		put64(out, 100 + (uint64_t)i);
	fg_buf_add(out, f->data.buf, f->data.len);
	if (f->event_desc) {
		put32(&desc, (uint32_t)f->nattrs);
		put32(&desc, (uint32_t)sizeof(struct perf_event_attr));
		for (i = 0; i < f->nattrs; i++) {
			struct perf_event_attr a;

			make_attr(f, i, &a);
			fg_buf_add(&desc, &a, sizeof(a));
			put32(&desc, 1);
			put_string(&desc, i ? "page-faults:u" : "cpu-clock:u");
			put64(&desc, 100 + (uint64_t)i);
		}
		put64(out, feat_off + 16);
		put64(out, desc.len);
		fg_buf_add(out, desc.buf, desc.len);
	}
	fg_buf_release(&desc);
}

/* What the callback saw. */
struct seen {
	int n;
	uint32_t type[64];
	uint64_t time[64];
	uint16_t size[64];
	uint64_t stack_size[64], dyn[64];
	int stop_at;		/* return -42 at this record (0: never) */
	uint64_t samples;	/* all samples, past the first 64 too */
	uint64_t bad_bytes;	/* stack bytes unlike those sample() wrote */
	uint64_t dyn_sum;
};

static int collect(void *ctx, const struct perf_format *fmt,
		   const struct perf_event_header *h)
{
	struct seen *s = ctx;
	uint64_t t = 0;

	CHECK(!((uintptr_t)h & 7));
	if (h->type == PERF_RECORD_SAMPLE) {
		struct perf_sample smp;
		uint64_t i;

		CHECK(!perf_sample_parse(fmt, h, &smp));
		s->samples++;
		s->dyn_sum += smp.stack_dyn_size;
		for (i = 0; i < smp.stack_size; i++)
			s->bad_bytes += smp.stack[i] != (i & 0xff);
	}
	if (s->n >= 64)
		return 0;
	s->type[s->n] = h->type;
	s->size[s->n] = h->size;
	if (h->type == PERF_RECORD_SAMPLE) {
		struct perf_sample smp;

		CHECK(!perf_sample_parse(fmt, h, &smp));
		t = smp.time;
		s->stack_size[s->n] = smp.stack_size;
		s->dyn[s->n] = smp.stack_dyn_size;
	} else if (perf_record_time(fmt, h, &t)) {
		t = 0;
	}
	s->time[s->n] = t;
	s->n++;
	return s->stop_at && s->n == s->stop_at ? -42 : 0;
}

/* Read bytes as a perf.data file (a memfd: seekable, like a file). */
static int read_mem(const void *p, size_t len, const struct perf_data_opts *o,
		    struct seen *s, struct perf_data_stats *st, struct fg_buf *err)
{
	int fd = memfd_create("perf.data", MFD_CLOEXEC), ret;

	if (fd < 0 || write(fd, p, len) != (ssize_t)len) {
		unit_fail(__FILE__, __LINE__, "memfd: %s", strerror(errno));
		return -1;
	}
	ret = perf_data_read_fd(fd, "test.data", o, collect, s, st, err);
	close(fd);
	return ret;
}

/* Read bytes through a pipe (pipe mode; must fit the pipe buffer). */
static int read_pipe(const void *p, size_t len, struct seen *s,
		     struct perf_data_stats *st, struct fg_buf *err)
{
	int fds[2], ret;

	if (pipe(fds) || write(fds[1], p, len) != (ssize_t)len) {
		unit_fail(__FILE__, __LINE__, "pipe: %s", strerror(errno));
		return -1;
	}
	close(fds[1]);
	ret = perf_data_read_fd(fds[0], "pipe", NULL, collect, s, st, err);
	close(fds[0]);
	return ret;
}

/* Rounds as perf writes them: three CPUs' chunks, not in time order. */
static void three_rounds(struct file *f)
{
	comm(f, 7, 5, "work");
	sample(f, 0, 7, 30, 64, 16);
	sample(f, 0, 7, 10, 64, 16);
	round_end(f);
	sample(f, 0, 7, 20, 64, 16);
	sample(f, 0, 7, 40, 64, 16);
	round_end(f);
	sample(f, 0, 7, 50, 64, 16);
	sample(f, 0, 7, 35, 64, 16);
}

TEST(perf_data_orders_records_by_rounds)
{
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
	struct seen s = { 0 };
	struct perf_data_stats st;
	static const uint64_t want[] = { 5, 10, 20, 30, 35, 40, 50 };
	size_t i;

	file_init(&f, 1);
	three_rounds(&f);
	file_build(&f, &b);
	CHECK(!read_mem(b.buf, b.len, NULL, &s, &st, &err));
	CHECK_U64EQ(s.n, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		CHECK_U64EQ(s.time[i], want[i]);
	CHECK(s.type[0] == PERF_RECORD_COMM);
	CHECK_U64EQ(st.samples, 6);
	CHECK_U64EQ(st.rounds, 2);
	CHECK_U64EQ(st.records, 9);
	CHECK_U64EQ(st.out_of_order, 0);
	/* never more than two rounds held */
	CHECK(st.pending_peak < 5 * (8 + 40 + 16 + 8));
	CHECK_STREQ(st.event, "cpu-clock");
	CHECK(st.freq && st.sample_freq == 999);
	CHECK(st.dwarf == 0 && st.callchain == 0 && st.stack_size == 4096);
	fg_buf_release(&b);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

TEST(perf_data_trims_stack_copies)
{
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
	struct seen s = { 0 };
	struct perf_data_stats st;

	file_init(&f, 1);
	sample(&f, 0, 7, 10, 4096, 100);	/* 104 bytes kept */
	sample(&f, 0, 7, 20, 4096, 4096);	/* full: nothing to trim */
	sample(&f, 0, 7, 30, 0, 0);		/* no stack at all */
	file_build(&f, &b);
	CHECK(!read_mem(b.buf, b.len, NULL, &s, &st, &err));
	CHECK_U64EQ(s.n, 3);
	CHECK_U64EQ(s.stack_size[0], 104);
	CHECK_U64EQ(s.dyn[0], 100);
	CHECK_U64EQ(s.size[0], 8 + 32 + 104 + 8);
	CHECK_U64EQ(s.stack_size[1], 4096);
	CHECK_U64EQ(s.size[2], 8 + 32);
	CHECK_U64EQ(st.trimmed_bytes, 4096 - 104);
	fg_buf_release(&b);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

TEST(perf_data_reads_large_samples_in_parts)
{
	/* The used part of each stack, deep and shallow, in rounds. */
	static const uint64_t dyns[] = { 100, 3000, 20000, 40000, 8, 39990, 0, 12000 };
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
	struct seen s = { 0 };
	struct perf_data_stats st;
	uint64_t want_dyn = 0, t;

	file_init(&f, 1);
	comm(&f, 7, 1, "work");
	for (t = 0; t < 120; t++) {
		uint64_t dyn = dyns[t % ARRAY_SIZE(dyns)];

		/* out of order within a round, as the CPUs' buffers are */
		sample(&f, 0, 7, 10 + (t ^ 1), 40000, dyn);
		want_dyn += dyn;
		if (t % 10 == 9)
			round_end(&f);
	}
	file_build(&f, &b);
	CHECK(b.len > (3u << 20));	/* more than a read block */
	CHECK(!read_mem(b.buf, b.len, NULL, &s, &st, &err));
	CHECK_U64EQ(s.samples, 120);
	CHECK_U64EQ(s.dyn_sum, want_dyn);
	CHECK_U64EQ(s.bad_bytes, 0);
	CHECK_U64EQ(st.out_of_order, 0);
	for (t = 1; t < 64; t++)
		CHECK(s.time[t] > s.time[t - 1]);
	/* the kept bytes: dyn_size rounded up to 8 */
	CHECK_U64EQ(s.stack_size[2], 104);	/* times 10, 11, ...: t = 1, 0, 3, 2 */
	CHECK_U64EQ(s.stack_size[3], 40000);
	/* deep stacks after shallow ones: read when handed over */
	CHECK(st.deferred_stacks > 0 && st.deferred_stacks < 120);
	/* truncated inside a large record's stack, and before its tail */
	CHECK(read_mem(b.buf, b.len - 30000, NULL, &s, &st, &err) == -FG_ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "truncated"));
	fg_buf_reset(&err);
	CHECK(read_mem(b.buf, b.len - 4, NULL, &s, &st, &err) == -FG_ERR_BAD_INPUT);
	fg_buf_release(&b);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

TEST(perf_data_equal_times_keep_file_order_and_timeless_records_go_first)
{
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
	struct seen s = { 0 };

	file_init(&f, 1);
	sample(&f, 0, 7, 10, 8, 8);
	comm(&f, 7, 10, "same-time");
	comm(&f, 8, 0, "no-time");	/* synthesized: handed over at once */
	file_build(&f, &b);
	CHECK(!read_mem(b.buf, b.len, NULL, &s, NULL, &err));
	CHECK_U64EQ(s.n, 3);
	CHECK(s.type[0] == PERF_RECORD_COMM && s.time[0] == 0);
	CHECK(s.type[1] == PERF_RECORD_SAMPLE);
	CHECK(s.type[2] == PERF_RECORD_COMM && s.time[2] == 10);
	fg_buf_release(&b);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

/* The data section as COMPRESSED (or COMPRESSED2) records in chunks. */
static void compress_data(struct file *f, int type, size_t chunk)
{
	struct fg_buf out = FG_BUF_INIT;
	ZSTD_CStream *cs = ZSTD_createCStream();
	size_t off = 0;

	ZSTD_initCStream(cs, 3);
	while (off < f->data.len) {
		size_t n = f->data.len - off < chunk ? f->data.len - off : chunk;
		unsigned char z[8192];
		ZSTD_inBuffer in = { f->data.buf + off, n, 0 };
		ZSTD_outBuffer o = { z, sizeof(z), 0 };
		size_t pad;

		ZSTD_compressStream(cs, &o, &in);
		ZSTD_flushStream(cs, &o);
		CHECK(in.pos == in.size);
		if (type == 83) {
			pad = (8 - (o.pos + 16) % 8) % 8;
			put_header(&out, 83, 0, 16 + o.pos + pad);
			put64(&out, o.pos);
		} else {
			pad = 0;
			put_header(&out, 81, 0, 8 + o.pos);
		}
		fg_buf_add(&out, z, o.pos);
		while (pad--)
			fg_buf_addch(&out, 0);
		off += n;
	}
	ZSTD_freeCStream(cs);
	fg_buf_release(&f->data);
	f->data = out;
}

TEST(perf_data_expands_compressed_chunks)
{
	int type;

	for (type = 81; type <= 83; type += 2) {
		struct file f;
		struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
		struct seen s = { 0 }, plain = { 0 };
		struct perf_data_stats st;
		int i;

		file_init(&f, 1);
		three_rounds(&f);
		file_build(&f, &b);
		CHECK(!read_mem(b.buf, b.len, NULL, &plain, NULL, &err));
		/* 50-byte chunks: records straddle them */
		compress_data(&f, type, 50);
		file_build(&f, &b);
		CHECK(!read_mem(b.buf, b.len, NULL, &s, &st, &err));
		if (err.len)
			unit_fail(__FILE__, __LINE__, "%s", err.buf);
		CHECK_U64EQ(s.n, plain.n);
		for (i = 0; i < s.n && i < plain.n; i++) {
			CHECK_U64EQ(s.time[i], plain.time[i]);
			CHECK_U64EQ(s.size[i], plain.size[i]);
		}
		CHECK(st.compressed);
		CHECK(st.compressed_records > 5);
		CHECK_U64EQ(st.rounds, 2);
		CHECK(st.decompressed_bytes > st.compressed_bytes / 2);
		fg_buf_release(&b);
		fg_buf_release(&err);
		fg_buf_release(&f.data);
	}
}

TEST(perf_data_keeps_one_event_by_id_and_name)
{
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
	struct seen s = { 0 };
	struct perf_data_stats st;
	struct perf_data_opts o = { 0 };

	file_init(&f, 2);
	f.event_desc = 1;
	comm(&f, 7, 1, "work");
	sample(&f, 0, 7, 10, 8, 8);
	sample(&f, 1, 7, 11, 8, 8);
	sample(&f, 1, 7, 12, 8, 8);
	lost(&f, 3, 13);
	file_build(&f, &b);

	CHECK(!read_mem(b.buf, b.len, NULL, &s, &st, &err));
	CHECK_STREQ(st.event, "cpu-clock:u");
	CHECK_U64EQ(st.nr_events, 2);
	CHECK_U64EQ(st.samples, 1);
	CHECK_U64EQ(st.other_samples, 2);
	CHECK_U64EQ(st.lost, 3);
	CHECK_U64EQ(s.n, 3);		/* comm, sample, lost */

	memset(&s, 0, sizeof(s));
	o.event = "page-faults";
	CHECK(!read_mem(b.buf, b.len, &o, &s, &st, &err));
	CHECK_STREQ(st.event, "page-faults:u");
	CHECK_U64EQ(st.samples, 2);
	CHECK(!st.freq && st.sample_freq == 1);

	o.event = "cycles";
	CHECK(read_mem(b.buf, b.len, &o, &s, &st, &err) == -FG_ERR_BAD_OPTION);
	CHECK(strstr(err.buf, "'cpu-clock:u' 'page-faults:u'") != NULL);
	fg_buf_release(&b);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

TEST(perf_data_reads_smaller_and_larger_attrs)
{
	size_t sizes[] = { PERF_ATTR_SIZE_VER3, sizeof(struct perf_event_attr) + 24 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct file f;
		struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
		struct seen s = { 0 };
		struct perf_data_stats st;

		file_init(&f, 1);
		f.attr_size = sizes[i];
		sample(&f, 0, 7, 10, 64, 8);
		file_build(&f, &b);
		CHECK(!read_mem(b.buf, b.len, NULL, &s, &st, &err));
		CHECK_U64EQ(st.samples, 1);
		CHECK_U64EQ(s.stack_size[0], 8);
		fg_buf_release(&b);
		fg_buf_release(&err);
		fg_buf_release(&f.data);
	}
}

TEST(perf_data_reads_pipe_mode)
{
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT, rec = FG_BUF_INIT;
	struct seen s = { 0 };
	struct perf_data_stats st;
	struct perf_event_attr a;

	file_init(&f, 1);
	three_rounds(&f);
	make_attr(&f, 0, &a);
	fg_buf_add(&b, "PERFILE2", 8);
	put64(&b, 16);
	put_header(&b, 64, 0, 8 + sizeof(a) + 8);	/* HEADER_ATTR */
	fg_buf_add(&b, &a, sizeof(a));
	put64(&b, 100);
	fg_buf_add(&b, f.data.buf, f.data.len);
	CHECK(!read_pipe(b.buf, b.len, &s, &st, &err));
	CHECK(st.pipe_mode);
	CHECK_U64EQ(st.samples, 6);
	CHECK_U64EQ(s.time[1], 10);
	CHECK_U64EQ(s.time[6], 50);
	/* the same bytes from a file */
	memset(&s, 0, sizeof(s));
	CHECK(!read_mem(b.buf, b.len, NULL, &s, &st, &err));
	CHECK_U64EQ(st.samples, 6);
	fg_buf_release(&b);
	fg_buf_release(&rec);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

/*
 * Events announced after records that wait to be ordered: the records
 * keep their event's format (the list of events grows under them).
 */
TEST(perf_data_pipe_mode_events_after_records)
{
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
	struct seen s = { 0 };
	struct perf_data_stats st;
	struct perf_event_attr a;
	int i;

	file_init(&f, 2);
	fg_buf_add(&b, "PERFILE2", 8);
	put64(&b, 16);
	for (i = 0; i < 2; i++) {
		make_attr(&f, i, &a);
		put_header(&b, 64, 0, 8 + sizeof(a) + 8);	/* HEADER_ATTR */
		fg_buf_add(&b, &a, sizeof(a));
		put64(&b, 100 + (uint64_t)i);
	}
	sample(&f, 0, 7, 30, 64, 16);
	sample(&f, 0, 7, 10, 64, 16);
	fg_buf_add(&b, f.data.buf, f.data.len);
	fg_buf_reset(&f.data);
	for (i = 0; i < 60; i++) {
		make_attr(&f, 1, &a);
		put_header(&b, 64, 0, 8 + sizeof(a) + 8);
		fg_buf_add(&b, &a, sizeof(a));
		put64(&b, 200 + (uint64_t)i);
	}
	sample(&f, 0, 7, 20, 64, 16);
	fg_buf_add(&b, f.data.buf, f.data.len);
	CHECK(!read_pipe(b.buf, b.len, &s, &st, &err));
	CHECK_U64EQ(st.samples, 3);
	CHECK(s.n == 3);
	CHECK_U64EQ(s.time[0], 10);
	CHECK_U64EQ(s.time[1], 20);
	CHECK_U64EQ(s.time[2], 30);
	CHECK_U64EQ(s.dyn[0], 16);
	CHECK_U64EQ(s.bad_bytes, 0);
	fg_buf_release(&b);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

TEST(perf_data_stops_when_the_callback_says_so)
{
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
	struct seen s = { 0 };

	file_init(&f, 1);
	three_rounds(&f);
	file_build(&f, &b);
	s.stop_at = 2;
	CHECK(read_mem(b.buf, b.len, NULL, &s, NULL, &err) == -42);
	CHECK_U64EQ(s.n, 2);
	fg_buf_release(&b);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

TEST(perf_data_forces_out_the_oldest_half_without_rounds)
{
	struct file f;
	struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
	struct seen s = { 0 };
	struct perf_data_stats st;
	struct perf_data_opts o = { 0 };
	int i;

	file_init(&f, 1);
	for (i = 0; i < 40; i++)
		sample(&f, 0, 7, (uint64_t)(100 + i), 8, 8);
	file_build(&f, &b);
	o.max_pending = 500;
	CHECK(!read_mem(b.buf, b.len, &o, &s, &st, &err));
	CHECK_U64EQ(s.n, 40);
	CHECK(st.forced_flushes > 0);
	CHECK(st.pending_peak <= 500 + 64);
	for (i = 1; i < s.n; i++)
		CHECK(s.time[i - 1] < s.time[i]);
	fg_buf_release(&b);
	fg_buf_release(&err);
	fg_buf_release(&f.data);
}

TEST(perf_data_rejects_foreign_files)
{
	struct fg_buf err = FG_BUF_INIT;
	struct seen s = { 0 };
	unsigned char hdr[104] = { 0 };

	memcpy(hdr, "2ELIFREP", 8);
	CHECK(read_mem(hdr, sizeof(hdr), NULL, &s, NULL, &err) == -FG_ERR_UNSUPPORTED);
	CHECK(strstr(err.buf, "byte order") != NULL);
	fg_buf_reset(&err);
	memcpy(hdr, "PERFFILE", 8);
	CHECK(read_mem(hdr, sizeof(hdr), NULL, &s, NULL, &err) == -FG_ERR_UNSUPPORTED);
	fg_buf_reset(&err);
	memcpy(hdr, "ELF\0\0\0\0\0", 8);
	CHECK(read_mem(hdr, sizeof(hdr), NULL, &s, NULL, &err) == -FG_ERR_BAD_INPUT);
	fg_buf_reset(&err);
	CHECK(read_mem(hdr, 3, NULL, &s, NULL, &err) == -FG_ERR_BAD_INPUT);
	fg_buf_reset(&err);
	CHECK(perf_data_read("/nonexistent/perf.data", NULL, collect, &s, NULL, &err) ==
	      -FG_ERR_IO);
	CHECK(strstr(err.buf, "No such file") != NULL);
	fg_buf_release(&err);
}

/* Every prefix of a valid file is an error (and no crash). */
TEST(perf_data_truncated_files_are_errors)
{
	int comp;

	for (comp = 0; comp < 2; comp++) {
		struct file f;
		struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
		size_t len;

		file_init(&f, 2);
		f.event_desc = 1;
		three_rounds(&f);
		if (comp)
			compress_data(&f, 81, 70);
		file_build(&f, &b);
		for (len = 0; len < b.len; len++) {
			struct seen s = { 0 };
			int ret = read_mem(b.buf, len, NULL, &s, NULL, &err);

			if (ret != -FG_ERR_BAD_INPUT)
				unit_fail(__FILE__, __LINE__, "prefix %zu: %d", len, ret);
			CHECK(err.len > 0);
			fg_buf_reset(&err);
		}
		fg_buf_release(&b);
		fg_buf_release(&err);
		fg_buf_release(&f.data);
	}
}

/* Random damage: any result but a crash (ASan/UBSan builds check more). */
TEST(perf_data_survives_corruption)
{
	int comp;
	uint64_t rnd = 12345;

	for (comp = 0; comp < 2; comp++) {
		struct file f;
		struct fg_buf b = FG_BUF_INIT, err = FG_BUF_INIT;
		unsigned char *copy;
		int i, k;

		file_init(&f, 2);
		f.event_desc = 1;
		three_rounds(&f);
		sample(&f, 1, 9, 60, 200, 40);
		if (comp)
			compress_data(&f, 83, 90);
		file_build(&f, &b);
		copy = xmalloc(b.len);
		for (i = 0; i < 1500; i++) {
			struct seen s = { 0 };
			int ret;

			memcpy(copy, b.buf, b.len);
			for (k = 0; k < 1 + i % 4; k++) {
				rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
				copy[(rnd >> 33) % b.len] = (unsigned char)(rnd >> 20);
			}
			ret = read_mem(copy, b.len, NULL, &s, NULL, &err);
			CHECK(ret == 0 || ret == -FG_ERR_BAD_INPUT || ret == -FG_ERR_UNSUPPORTED ||
			      ret == -FG_ERR_BAD_OPTION);
			CHECK(!ret || err.len);
			fg_buf_reset(&err);
		}
		free(copy);
		fg_buf_release(&b);
		fg_buf_release(&err);
		fg_buf_release(&f.data);
	}
}
