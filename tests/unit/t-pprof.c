#include "unit.h"
#include "../../profiler/pprof.h"
#include "../../lib/error.h"

#include <libdeflate.h>

static const struct profile_value_type two[] = {
	{ "samples", "count" }, { "cpu", "nanoseconds" },
};

/* ---- protobuf by hand, for the messages the tests make and inspect ---- */

static void pb_varint(struct fg_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		fg_buf_addch(b, (int)((v & 0x7f) | 0x80));
		v >>= 7;
	}
	fg_buf_addch(b, (int)v);
}

static void pb_key(struct fg_buf *b, unsigned field, unsigned wt)
{
	pb_varint(b, (uint64_t)field << 3 | wt);
}

static void pb_uint(struct fg_buf *b, unsigned field, uint64_t v)
{
	pb_key(b, field, 0);
	pb_varint(b, v);
}

static void pb_bytes(struct fg_buf *b, unsigned field, const void *data, size_t len)
{
	pb_key(b, field, 2);
	pb_varint(b, len);
	fg_buf_add(b, data, len);
}

static void pb_str(struct fg_buf *b, unsigned field, const char *s)
{
	pb_bytes(b, field, s, strlen(s));
}

/* Append message m as field `field` of b, and empty m for the next one. */
static void pb_msg(struct fg_buf *b, unsigned field, struct fg_buf *m)
{
	pb_bytes(b, field, m->buf, m->len);
	fg_buf_reset(m);
}

/* A packed run of varints. */
static void pb_packed(struct fg_buf *b, unsigned field, const uint64_t *v, size_t n)
{
	struct fg_buf run = FG_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		pb_varint(&run, v[i]);
	pb_bytes(b, field, run.buf, run.len);
	fg_buf_release(&run);
}

/* A varint at b[*pos] (len bytes in all) into *v: 0, or -1 when cut. */
static int pb_get(const unsigned char *b, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift;

	for (shift = 0; *pos < len && shift < 64; shift += 7) {
		unsigned char c = b[(*pos)++];

		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/*
 * The next field of the message at b (len bytes) from *pos: its number,
 * and its value (*v) or its bytes (*sub, *sublen). Returns 1, 0 at the
 * end, -1 on damage or a wire type the writer does not use.
 */
static int pb_next(const unsigned char *b, size_t len, size_t *pos, unsigned *field,
		   uint64_t *v, const unsigned char **sub, size_t *sublen)
{
	uint64_t key, x;

	if (*pos >= len)
		return 0;
	if (pb_get(b, len, pos, &key))
		return -1;
	*field = (unsigned)(key >> 3);
	if ((key & 7) == 0)
		return pb_get(b, len, pos, v) ? -1 : 1;
	if ((key & 7) != 2 || pb_get(b, len, pos, &x) || x > len - *pos)
		return -1;
	*sub = b + *pos;
	*sublen = (size_t)x;
	*pos += (size_t)x;
	return 1;
}

/* The gzip member at data, decompressed (malloc'd), or NULL. */
static unsigned char *inflate(const char *data, size_t len, size_t *outlen)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t cap = 1 << 20;
	unsigned char *out = xmalloc(cap);

	if (libdeflate_gzip_decompress(d, data, len, out, cap, outlen)) {
		free(out);
		out = NULL;
	}
	libdeflate_free_decompressor(d);
	return out;
}

/* data (len bytes) gzip-compressed, appended to b. */
static void deflate_into(struct fg_buf *b, const void *data, size_t len)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	size_t bound = libdeflate_gzip_compress_bound(c, len);

	fg_buf_grow(b, bound);
	fg_buf_setlen(b, b->len + libdeflate_gzip_compress(c, data, len,
							   b->buf + b->len, bound));
	libdeflate_free_compressor(c);
}

/* pprof_write() p, and the message it compressed (malloc'd). */
static unsigned char *write_message(struct profile *p, struct fg_buf *gz, size_t *len)
{
	struct fg_buf err = FG_BUF_INIT;
	unsigned char *msg;

	CHECK(pprof_write(p, gz, &err) == 0);
	CHECK_STREQ(err.buf, "");
	fg_buf_release(&err);
	msg = inflate(gz->buf, gz->len, len);
	CHECK(msg != NULL);
	return msg;
}

/* ---- the profiles ----------------------------------------------------- */

static const unsigned char prog_id[20] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x00, 0xff,
	0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0,
};
static const unsigned char libc_id[4] = { 0xde, 0xad, 0xbe, 0xef };

/*
 * Every kind of thing a native recording has: mappings with and without
 * a build-id, an inline chain with files and lines, mangled names, a
 * location nothing names, one without a mapping, kernel code, two
 * threads, two sample types, and the metadata.
 */
static void build_rich(struct profile *p)
{
	static const struct profile_line chain[3] = {
		{ "inner::fn", "_ZN5inner2fnEv", "src/inner.rs", 12, 10 },
		{ "middle", NULL, "src/middle.rs", 34, 30 },
		{ "outer::run", "_ZN5outer3runEv", "src/outer.rs", 56, 50 },
	};
	static const struct profile_line main_line = { "main", NULL, "src/main.rs", 7, 5 };
	static const struct profile_line libc_line = { "memcpy", NULL, NULL, 0, 0 };
	static const struct profile_line kernel_line = { "do_syscall_64", NULL, NULL, 0, 0 };
	uint32_t m_prog, m_libc, m_vdso, m_kernel, t1, t2, s;
	uint32_t l_main, l_chain, l_main2, l_libc, l_vdso, l_kernel, l_none;
	uint32_t ids[4];
	uint64_t v[2];

	profile_init(p, two, 2);
	m_prog = profile_add_mapping(p, "/usr/bin/prog", prog_id, 20,
				     0x555555554000, 0x555555600000, 0x1000);
	m_libc = profile_add_mapping(p, "/usr/lib/x86_64-linux-gnu/libc.so.6", libc_id, 4,
				     0x7ffff7c00000, 0x7ffff7e00000, 0x28000);
	m_vdso = profile_add_mapping(p, "[vdso]", NULL, 0, 0x7ffff7fc1000, 0x7ffff7fc3000, 0);
	m_kernel = profile_add_mapping(p, "[kernel.kallsyms]", NULL, 0, 0, 0, 0);
	p->mappings[m_kernel].kernel = 1;

	l_main = profile_add_location(p, m_prog + 1, 0x1100, &main_line, 1);
	l_chain = profile_add_location(p, m_prog + 1, 0x1234, chain, 3);
	l_main2 = profile_add_location(p, m_prog + 1, 0x1180, &main_line, 1);
	l_libc = profile_add_location(p, m_libc + 1, 0x9a0c0, &libc_line, 1);
	l_vdso = profile_add_location(p, m_vdso + 1, 0x950, NULL, 0);
	l_kernel = profile_add_location(p, m_kernel + 1, 0xffffffff81e0007c, &kernel_line, 1);
	l_none = profile_add_location(p, 0, 0, NULL, 0);

	t1 = profile_thread(p, 100, 100, "prog", 4) + 1;
	t2 = profile_thread(p, 100, 101, "worker 1", 8) + 1;

	ids[0] = l_main, ids[1] = l_chain, ids[2] = l_libc, ids[3] = l_kernel;
	s = profile_stack(p, ids, 4);
	v[0] = 3, v[1] = 30303030;
	profile_add(p, s, t1, v);
	v[0] = 1, v[1] = 10101010;
	profile_add(p, s, t2, v);
	ids[0] = l_main2, ids[1] = l_vdso;
	s = profile_stack(p, ids, 2);
	v[0] = 5, v[1] = 50505050;
	profile_add(p, s, t2, v);
	ids[0] = l_main, ids[1] = l_none;
	s = profile_stack(p, ids, 2);
	v[0] = 2, v[1] = 20202020;
	profile_add(p, s, t1, v);

	p->meta.command = profile_string(p, "prog --fast input.txt", 21);
	p->meta.start_ns = 1700000000123456789ULL;
	p->meta.duration_ns = 2500000000ULL;
	p->meta.event = profile_string(p, "cpu-clock", 9);
	p->meta.frequency = 99;
	p->meta.default_type = profile_string(p, "cpu", 3);
}

static int same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/*
 * Are a and b the same profile, as pprof keeps one: types, mappings
 * (not what they have: pprof says it differently), locations and their
 * lines, samples with their stacks, threads and values? The metadata is
 * the caller's to compare.
 */
static void check_same(const struct profile *a, const struct profile *b)
{
	size_t i, k;

	CHECK_U64EQ(b->ntypes, a->ntypes);
	for (i = 0; i < a->ntypes && i < b->ntypes; i++) {
		CHECK_STREQ(b->types[i].type, a->types[i].type);
		CHECK_STREQ(b->types[i].unit, a->types[i].unit);
	}
	CHECK_U64EQ(b->nmappings, a->nmappings);
	for (i = 0; i < a->nmappings && i < b->nmappings; i++) {
		const struct profile_mapping *x = &a->mappings[i], *y = &b->mappings[i];

		CHECK_STREQ(y->path, x->path);
		CHECK_STREQ(y->base, x->base);
		CHECK(y->build_id_len == x->build_id_len);
		CHECK(!memcmp(y->build_id, x->build_id, (size_t)x->build_id_len));
		CHECK_U64EQ(y->start, x->start);
		CHECK_U64EQ(y->limit, x->limit);
		CHECK_U64EQ(y->offset, x->offset);
		CHECK(y->kernel == x->kernel);
	}
	CHECK_U64EQ(b->nlocations, a->nlocations);
	for (i = 0; i < a->nlocations && i < b->nlocations; i++) {
		const struct profile_location *x = &a->locations[i], *y = &b->locations[i];

		CHECK_U64EQ(y->mapping, x->mapping);
		CHECK_U64EQ(y->address, x->address);
		CHECK_U64EQ(y->nlines, x->nlines);
		for (k = 0; k < x->nlines && k < y->nlines; k++) {
			const struct profile_line *lx = &a->lines[x->first_line + k];
			const struct profile_line *ly = &b->lines[y->first_line + k];

			CHECK_STREQ(ly->function, lx->function);
			CHECK(same_str(ly->system_name, lx->system_name));
			CHECK(same_str(ly->file, lx->file));
			CHECK_U64EQ(ly->line, lx->line);
			CHECK_U64EQ(ly->start_line, lx->start_line);
		}
	}
	CHECK_U64EQ(b->nsamples, a->nsamples);
	for (i = 0; i < a->nsamples && i < b->nsamples; i++) {
		const struct profile_sample *x = &a->samples[i], *y = &b->samples[i];
		size_t nx, ny;
		const uint32_t *ix = profile_stack_ids(a, x->stack, &nx);
		const uint32_t *iy = profile_stack_ids(b, y->stack, &ny);

		CHECK_U64EQ(ny, nx);
		CHECK(nx == ny && (!nx || !memcmp(ix, iy, nx * sizeof(*ix))));
		CHECK(!x->thread == !y->thread);
		if (x->thread && y->thread) {
			const struct profile_thread *tx = &a->threads[x->thread - 1];
			const struct profile_thread *ty = &b->threads[y->thread - 1];

			CHECK(tx->pid == ty->pid && tx->tid == ty->tid);
			CHECK_STREQ(ty->name, tx->name);
		}
		for (k = 0; k < a->ntypes && k < b->ntypes; k++)
			CHECK_U64EQ(profile_values(b, i)[k], profile_values(a, i)[k]);
	}
}

/* pprof_read() that must succeed. */
static void read_ok(const void *data, size_t len, struct profile *p)
{
	struct fg_buf err = FG_BUF_INIT;
	int ret = pprof_read(data, len, p, &err);

	if (ret)
		unit_fail(__FILE__, __LINE__, "pprof_read: %d %s", ret, err.buf);
	fg_buf_release(&err);
}

TEST(pprof_round_trip)
{
	struct profile p, q, r;
	struct fg_buf gz = FG_BUF_INIT, gz2 = FG_BUF_INIT;
	unsigned char *msg, *msg2;
	size_t len, len2;

	build_rich(&p);
	msg = write_message(&p, &gz, &len);
	read_ok(gz.buf, gz.len, &q);
	check_same(&p, &q);

	/* what pprof keeps of the metadata, and of what mappings have */
	CHECK_STREQ(q.meta.command, "prog --fast input.txt");
	CHECK_U64EQ(q.meta.start_ns, 1700000000123456789ULL);
	CHECK_U64EQ(q.meta.duration_ns, 2500000000ULL);
	CHECK_STREQ(q.meta.event, "cpu");	/* the period's type, not the event */
	CHECK_U64EQ(q.meta.period, 1000000000 / 99);
	CHECK_U64EQ(q.meta.frequency, 99);
	CHECK_STREQ(q.meta.default_type, "cpu");
	CHECK(q.mappings[0].has_symtab && q.mappings[0].has_debuginfo);
	CHECK(q.mappings[1].has_symtab && !q.mappings[1].has_debuginfo);
	CHECK(!q.mappings[2].has_symtab && !q.mappings[2].has_debuginfo);
	CHECK(q.mappings[3].kernel && !q.mappings[0].kernel);
	CHECK_STREQ(q.mappings[3].path, "[kernel.kallsyms]");

	/* written again, the same bytes */
	msg2 = write_message(&q, &gz2, &len2);
	CHECK(len2 == len && !memcmp(msg, msg2, len));
	CHECK(gz2.len == gz.len && !memcmp(gz.buf, gz2.buf, gz.len));
	/* and the bare message reads the same */
	read_ok(msg, len, &r);
	check_same(&p, &r);

	free(msg);
	free(msg2);
	fg_buf_release(&gz);
	fg_buf_release(&gz2);
	profile_release(&p);
	profile_release(&q);
	profile_release(&r);
}

/* The fields numbered `field` of message m, as an array of their spans. */
struct part {
	const unsigned char *b;
	size_t len;
	uint64_t v;
};

static size_t fields(const unsigned char *m, size_t len, unsigned want,
		     struct part *out, size_t max)
{
	size_t pos = 0, n = 0;
	unsigned f;
	uint64_t v = 0;
	const unsigned char *sub = NULL;
	size_t sublen = 0;
	int ret;

	while ((ret = pb_next(m, len, &pos, &f, &v, &sub, &sublen)) > 0) {
		if (f != want)
			continue;
		if (n < max) {
			out[n].b = sub;
			out[n].len = sublen;
			out[n].v = v;
		}
		n++;
		sub = NULL;
		sublen = 0;
	}
	CHECK(ret == 0);
	return n;
}

/* The varint field `field` of message m (0 when absent). */
static uint64_t field_uint(const unsigned char *m, size_t len, unsigned field)
{
	struct part x[1] = { { NULL, 0, 0 } };

	return fields(m, len, field, x, 1) ? x[0].v : 0;
}

TEST(pprof_message_layout)
{
	struct profile p;
	struct fg_buf gz = FG_BUF_INIT;
	struct part strings[64], maps[8], samples[8], locs[16], ids[1];
	unsigned char *msg;
	size_t len, nstrings, n, i, pos;
	uint64_t want[4], got;

	build_rich(&p);
	msg = write_message(&p, &gz, &len);
	CHECK(gz.len > 2 && (unsigned char)gz.buf[0] == 0x1f &&
	      (unsigned char)gz.buf[1] == 0x8b);
	nstrings = fields(msg, len, 6, strings, ARRAY_SIZE(strings));
	CHECK(nstrings > 10 && nstrings <= ARRAY_SIZE(strings));
	CHECK(strings[0].len == 0);	/* string_table[0] is "" */

	/* build-ids as readelf -n prints them: lower-case hex; none: "" */
	n = fields(msg, len, 3, maps, ARRAY_SIZE(maps));
	CHECK_U64EQ(n, 4);
	got = field_uint(maps[0].b, maps[0].len, 6);
	CHECK(got < nstrings && strings[got].len == 40 &&
	      !memcmp(strings[got].b, "0123456789abcdef00ff102030405060708090a0", 40));
	got = field_uint(maps[1].b, maps[1].len, 6);
	CHECK(got < nstrings && strings[got].len == 8 && !memcmp(strings[got].b, "deadbeef", 8));
	CHECK_U64EQ(field_uint(maps[2].b, maps[2].len, 6), 0);
	got = field_uint(maps[3].b, maps[3].len, 5);
	CHECK(got < nstrings && strings[got].len == 17 &&
	      !memcmp(strings[got].b, "[kernel.kallsyms]", 17));
	/* ids 1..n; what each mapping's locations have */
	for (i = 0; i < 4; i++)
		CHECK_U64EQ(field_uint(maps[i].b, maps[i].len, 1), i + 1);
	CHECK_U64EQ(field_uint(maps[0].b, maps[0].len, 2), 0x555555554000);
	CHECK_U64EQ(field_uint(maps[0].b, maps[0].len, 3), 0x555555600000);
	CHECK_U64EQ(field_uint(maps[0].b, maps[0].len, 4), 0x1000);
	for (i = 7; i <= 10; i++)
		CHECK_U64EQ(field_uint(maps[0].b, maps[0].len, (unsigned)i), 1);
	CHECK_U64EQ(field_uint(maps[1].b, maps[1].len, 7), 1);
	for (i = 8; i <= 10; i++)
		CHECK_U64EQ(field_uint(maps[1].b, maps[1].len, (unsigned)i), 0);
	for (i = 7; i <= 10; i++)
		CHECK_U64EQ(field_uint(maps[2].b, maps[2].len, (unsigned)i), 0);

	/* the first sample's stack, leaf first: kernel, libc, the chain, main */
	n = fields(msg, len, 2, samples, ARRAY_SIZE(samples));
	CHECK_U64EQ(n, 4);
	CHECK_U64EQ(fields(samples[0].b, samples[0].len, 1, ids, 1), 1);
	want[0] = 6, want[1] = 4, want[2] = 2, want[3] = 1;
	for (i = 0, pos = 0; i < 4; i++) {
		got = 0;
		CHECK(pb_get(ids[0].b, ids[0].len, &pos, &got) == 0);
		CHECK_U64EQ(got, want[i]);
	}
	CHECK(pos == ids[0].len);
	/* three labels: pid, tid, thread */
	CHECK_U64EQ(fields(samples[0].b, samples[0].len, 3, locs, ARRAY_SIZE(locs)), 3);

	/* locations: ids 1..n, the chain's three lines, two functions shared */
	n = fields(msg, len, 4, locs, ARRAY_SIZE(locs));
	CHECK_U64EQ(n, 7);
	CHECK_U64EQ(field_uint(locs[1].b, locs[1].len, 1), 2);
	CHECK_U64EQ(field_uint(locs[1].b, locs[1].len, 2), 1);
	CHECK_U64EQ(field_uint(locs[1].b, locs[1].len, 3), 0x1234);
	CHECK_U64EQ(fields(locs[1].b, locs[1].len, 4, ids, 1), 3);
	CHECK_U64EQ(field_uint(locs[6].b, locs[6].len, 2), 0);	/* no mapping */
	CHECK_U64EQ(fields(msg, len, 5, locs, ARRAY_SIZE(locs)), 6);	/* functions */

	/* the metadata */
	CHECK_U64EQ(field_uint(msg, len, 9), 1700000000123456789ULL);
	CHECK_U64EQ(field_uint(msg, len, 10), 2500000000ULL);
	CHECK_U64EQ(field_uint(msg, len, 12), 1000000000 / 99);
	got = field_uint(msg, len, 13);
	CHECK(got < nstrings && strings[got].len == 21 &&
	      !memcmp(strings[got].b, "prog --fast input.txt", 21));
	got = field_uint(msg, len, 14);
	CHECK(got < nstrings && strings[got].len == 3 && !memcmp(strings[got].b, "cpu", 3));

	free(msg);
	fg_buf_release(&gz);
	profile_release(&p);
}

/*
 * Write a profile with a mapping for each of the n paths (a location in
 * each, sampled by the thread named names[i % nnames]) and read it back:
 * the paths of the mappings read, in order, joined by spaces. Every
 * location must keep its file, whatever the order the mappings were
 * written in, and the profile read must be written again the same.
 */
static char *mapping_order(const char *const *paths, size_t n,
			   const char *const *names, size_t nnames)
{
	static const struct profile_line line = { "f", NULL, NULL, 0, 0 };
	struct profile p, q;
	struct fg_buf gz = FG_BUF_INIT, gz2 = FG_BUF_INIT, out = FG_BUF_INIT;
	size_t i;

	profile_init(&p, two, 2);
	for (i = 0; i < n; i++) {
		uint32_t m = profile_add_mapping(&p, paths[i], NULL, 0, 0x1000 * (i + 1),
						 0x1000 * (i + 2), 0);
		uint32_t loc = profile_add_location(&p, m + 1, 0x10 + i, &line, 1);
		uint32_t s = profile_stack(&p, &loc, 1);
		const char *name = names[i % nnames];
		uint32_t t = profile_thread(&p, 7, 7 + (int32_t)(i % nnames), name,
					    strlen(name)) + 1;
		uint64_t v[2] = { 1, 1000 };

		p.mappings[m].kernel = starts_with(paths[i], "[kernel.");
		profile_add(&p, s, t, v);
	}
	CHECK(pprof_write(&p, &gz, NULL) == 0);
	read_ok(gz.buf, gz.len, &q);
	CHECK_U64EQ(q.nmappings, n);
	CHECK_U64EQ(q.nlocations, n);
	for (i = 0; i < n && i < q.nlocations; i++) {
		uint32_t m = q.locations[i].mapping;

		CHECK(m >= 1 && m <= q.nmappings);
		if (m >= 1 && m <= q.nmappings)
			CHECK_STREQ(q.mappings[m - 1].path, paths[i]);
		CHECK_U64EQ(q.locations[i].address, 0x10 + i);
	}
	for (i = 0; i < q.nmappings; i++)
		fg_buf_addf(&out, "%s%s", i ? " " : "", q.mappings[i].path);
	/* the main binary stays first: written again, the same message */
	CHECK(pprof_write(&q, &gz2, NULL) == 0);
	CHECK(gz2.len == gz.len && !memcmp(gz.buf, gz2.buf, gz.len));
	fg_buf_release(&gz);
	fg_buf_release(&gz2);
	profile_release(&p);
	profile_release(&q);
	return fg_buf_detach(&out, NULL);
}

TEST(pprof_main_binary_first)
{
	/*
	 * The kernel's code named first, the program's thread seen second,
	 * a helper it ran before it.
	 */
	static const char *const rec[] = {
		"[kernel.kallsyms]", "/usr/lib/x86_64-linux-gnu/libc.so.6", "[vdso]",
		"/usr/libexec/helper", "/opt/bin/a-program-with-a-long-name",
		"/usr/lib/x86_64-linux-gnu/libm.so.6",
	};
	static const char *const rec_threads[] = { "worker 1", "a-program-with" };
	static const char *const rec_threads15[] = { "worker 1", "a-program-with-" };
	/* a script: its threads are named after it, its interpreter runs */
	static const char *const script[] = {
		"[kernel.kallsyms]", "/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/usr/lib/libpython3.11.so.1.0", "/usr/lib/libfoo.so", "/usr/bin/python3.11",
		"/usr/bin/other",
	};
	static const char *const script_threads[] = { "build.py" };
	/* a file replaced while it ran */
	static const char *const deleted[] = {
		"/usr/lib/x86_64-linux-gnu/libc.so.6", "/tmp/prog (deleted)",
	};
	static const char *const prog[] = { "prog" };
	/* another profile's order, when nothing says better */
	static const char *const other[] = { "/opt/app/server", "/opt/app/helper" };
	static const char *const other_threads[] = { "main" };
	/* a name no file has; the pseudo-files only */
	static const char *const pseudo[] = { "[kernel.kallsyms]", "[vdso]", "//anon" };
	char *got;

	got = mapping_order(rec, ARRAY_SIZE(rec), rec_threads15, 2);
	CHECK_STREQ(got, "/opt/bin/a-program-with-a-long-name [kernel.kallsyms] "
		    "/usr/lib/x86_64-linux-gnu/libc.so.6 [vdso] /usr/libexec/helper "
		    "/usr/lib/x86_64-linux-gnu/libm.so.6");
	free(got);
	/*
	 * A name of 14 bytes is a whole file name, not the start of one:
	 * then the first file that is no library
	 */
	got = mapping_order(rec, ARRAY_SIZE(rec), rec_threads, 2);
	CHECK_STREQ(got, "/usr/libexec/helper [kernel.kallsyms] "
		    "/usr/lib/x86_64-linux-gnu/libc.so.6 [vdso] "
		    "/opt/bin/a-program-with-a-long-name "
		    "/usr/lib/x86_64-linux-gnu/libm.so.6");
	free(got);
	got = mapping_order(script, ARRAY_SIZE(script), script_threads, 1);
	CHECK_STREQ(got, "/usr/bin/python3.11 [kernel.kallsyms] "
		    "/usr/lib/x86_64-linux-gnu/libc.so.6 /usr/lib/libpython3.11.so.1.0 "
		    "/usr/lib/libfoo.so /usr/bin/other");
	free(got);
	got = mapping_order(deleted, ARRAY_SIZE(deleted), prog, 1);
	CHECK_STREQ(got, "/tmp/prog (deleted) /usr/lib/x86_64-linux-gnu/libc.so.6");
	free(got);
	got = mapping_order(other, ARRAY_SIZE(other), other_threads, 1);
	CHECK_STREQ(got, "/opt/app/server /opt/app/helper");
	free(got);
	got = mapping_order(pseudo, ARRAY_SIZE(pseudo), other_threads, 1);
	CHECK_STREQ(got, "[kernel.kallsyms] [vdso] //anon");
	free(got);
}

TEST(pprof_period_of_other_events)
{
	static const struct profile_value_type cycles[] = { { "cycles", "count" } };
	struct profile p, q;
	struct fg_buf gz = FG_BUF_INIT;
	uint32_t loc, s;
	uint64_t one = 1;

	profile_init(&p, cycles, 1);
	loc = profile_named_location(&p, "f", 1);
	s = profile_stack(&p, &loc, 1);
	profile_add(&p, s, 0, &one);
	p.meta.event = profile_string(&p, "cycles", 6);
	p.meta.period = 100003;
	CHECK(pprof_write(&p, &gz, NULL) == 0);
	read_ok(gz.buf, gz.len, &q);
	CHECK_STREQ(q.meta.event, "cycles");
	CHECK_U64EQ(q.meta.period, 100003);
	CHECK_U64EQ(q.meta.frequency, 0);
	CHECK(q.meta.command == NULL && q.meta.default_type == NULL);
	fg_buf_release(&gz);
	profile_release(&p);
	profile_release(&q);
}

TEST(pprof_text_stacks)
{
	struct profile p, q;
	struct profile_view view = { 0 };
	struct fg_buf gz = FG_BUF_INIT;
	uint64_t v = 3;
	size_t i;
	char *out;

	profile_init(&p, two, 1);
	profile_add(&p, profile_text_stack(&p, "main;work;leaf", 14), 0, &v);
	v = 1;
	profile_add(&p, profile_text_stack(&p, "main;other thing", 16), 0, &v);
	CHECK(pprof_write(&p, &gz, NULL) == 0);
	read_ok(gz.buf, gz.len, &q);
	CHECK_U64EQ(q.nlocations, 4);
	CHECK_U64EQ(q.nmappings, 0);
	for (i = 0; i < q.nlocations; i++)
		CHECK(q.locations[i].mapping == 0 && q.locations[i].address == 0 &&
		      q.locations[i].nlines == 1);
	/* no labels and no mapping: one thread, "pprof", ids unknown */
	CHECK_U64EQ(q.nthreads, 1);
	CHECK_STREQ(q.threads[0].name, "pprof");
	CHECK(q.threads[0].pid == -1 && q.threads[0].tid == -1);
	out = unit_fold(&q, &view, UNIT_FOLD_SORTED);
	CHECK_STREQ(out, "pprof;main;other thing 1\npprof;main;work;leaf 3\n");
	free(out);
	fg_buf_release(&gz);
	profile_release(&p);
	profile_release(&q);
}

/*
 * A message made by hand, its fields in an order pprof_write() never
 * uses (samples before their types and locations, the string table
 * last), ids of any size, repeated numbers packed and not, and fields
 * the reader does not know. a gets the first part (up to the mappings),
 * b the rest: a message cut between two fields is two messages that
 * merge into it.
 */
enum {
	S_EMPTY, S_SAMPLES, S_COUNT, S_PROG, S_MAIN, S_WORK, S_WORK_SYS, S_FILE,
	S_BUILD_ID, S_PID, S_TID, S_THREAD, S_WORKER, S_HANDLER, S_COMMAND, S_CPU,
	S_NS, S_NSTRINGS
};

static const char *const hand_strings[S_NSTRINGS] = {
	"", "samples", "count", "/opt/app/bin/myprog", "main", "work", "_Z4workv",
	"work.c", "DEADBEEF00112233", "pid", "tid", "thread", "worker", "handler",
	"myprog --flag", "cpu", "nanoseconds",
};

#define LOC_MAIN UINT64_MAX
#define LOC_WORK ((1ULL << 63) | 5)

static void build_hand(struct fg_buf *a, struct fg_buf *b, int with_mapping)
{
	struct fg_buf m = FG_BUF_INIT, sub = FG_BUF_INIT;
	uint64_t v[2];
	size_t i;

	/* fields of later versions, or of no version */
	pb_uint(a, 99, 12345);
	pb_key(a, 100, 1);
	fg_buf_add(a, "12345678", 8);
	pb_key(a, 101, 5);
	fg_buf_add(a, "1234", 4);
	pb_str(a, 102, "whatever");

	/* a sample, its ids one field each */
	pb_uint(&m, 1, LOC_WORK);
	pb_uint(&m, 1, LOC_MAIN);
	v[0] = 3;
	pb_packed(&m, 2, v, 1);
	pb_uint(&sub, 1, S_PID);
	pb_uint(&sub, 3, 42);
	pb_msg(&m, 3, &sub);
	pb_uint(&sub, 1, S_TID);
	pb_uint(&sub, 3, 43);
	pb_msg(&m, 3, &sub);
	pb_uint(&sub, 1, S_THREAD);
	pb_uint(&sub, 2, S_WORKER);
	pb_msg(&m, 3, &sub);
	pb_msg(a, 2, &m);
	/* the same stack and thread, ids packed, the value not */
	v[0] = LOC_WORK, v[1] = LOC_MAIN;
	pb_packed(&m, 1, v, 2);
	pb_uint(&m, 2, 2);
	pb_uint(&sub, 1, S_THREAD);
	pb_uint(&sub, 2, S_WORKER);
	pb_msg(&m, 3, &sub);
	pb_uint(&sub, 1, S_TID);
	pb_uint(&sub, 3, 43);
	pb_msg(&m, 3, &sub);
	pb_uint(&sub, 1, S_PID);
	pb_uint(&sub, 3, 42);
	pb_msg(&m, 3, &sub);
	pb_msg(a, 2, &m);
	/* no thread labels, only one of the program's own */
	pb_uint(&m, 1, LOC_MAIN);
	pb_uint(&m, 2, 7);
	pb_uint(&sub, 1, S_HANDLER);
	pb_uint(&sub, 2, S_WORK);
	pb_msg(&m, 3, &sub);
	pb_msg(a, 2, &m);

	pb_uint(&sub, 1, S_SAMPLES);
	pb_uint(&sub, 2, S_COUNT);
	pb_msg(a, 1, &sub);

	/* the rest, in b */
	pb_uint(&m, 1, LOC_MAIN);
	if (with_mapping)
		pb_uint(&m, 2, 7);
	pb_uint(&m, 3, 0x401000);
	pb_uint(&sub, 1, 1);
	pb_uint(&sub, 2, 10);
	pb_msg(&m, 4, &sub);
	pb_msg(b, 4, &m);

	pb_uint(&m, 1, LOC_WORK);
	if (with_mapping)
		pb_uint(&m, 2, 7);
	pb_uint(&m, 3, 0x402000);
	pb_uint(&sub, 1, 2);
	pb_uint(&sub, 2, 20);
	pb_uint(&sub, 3, 4);	/* a column, in later versions */
	pb_msg(&m, 4, &sub);
	pb_uint(&sub, 1, 1);
	pb_uint(&sub, 2, 11);
	pb_msg(&m, 4, &sub);
	pb_uint(&m, 5, 0);	/* is_folded */
	pb_msg(b, 4, &m);

	pb_uint(&m, 1, 2);
	pb_uint(&m, 2, S_WORK);
	pb_uint(&m, 3, S_WORK_SYS);
	pb_uint(&m, 4, S_FILE);
	pb_uint(&m, 5, 9);
	pb_msg(b, 5, &m);
	pb_uint(&m, 1, 1);
	pb_uint(&m, 2, S_MAIN);
	pb_uint(&m, 3, S_MAIN);
	pb_uint(&m, 4, S_FILE);
	pb_msg(b, 5, &m);

	if (with_mapping) {
		pb_uint(&m, 1, 7);
		pb_uint(&m, 2, 0x400000);
		pb_uint(&m, 3, 0x500000);
		pb_uint(&m, 4, 0);
		pb_uint(&m, 5, S_PROG);
		pb_uint(&m, 6, S_BUILD_ID);
		pb_uint(&m, 7, 1);
		pb_msg(b, 3, &m);
	}

	pb_uint(b, 9, 123);
	pb_uint(b, 10, 456);
	pb_uint(&sub, 1, S_CPU);
	pb_uint(&sub, 2, S_NS);
	pb_msg(b, 11, &sub);
	pb_uint(b, 12, 10000000);
	v[0] = S_COMMAND, v[1] = S_SAMPLES;
	pb_packed(b, 13, v, 2);
	pb_uint(b, 14, S_SAMPLES);
	for (i = 0; i < S_NSTRINGS; i++)
		pb_str(b, 6, hand_strings[i]);
	fg_buf_release(&m);
	fg_buf_release(&sub);
}

/* What build_hand() says, in q. */
static void check_hand(const struct profile *q, int with_mapping)
{
	const struct profile_location *l;
	const struct profile_line *ln;
	const uint32_t *ids;
	size_t n;

	CHECK_U64EQ(q->ntypes, 1);
	CHECK_STREQ(q->types[0].type, "samples");
	CHECK_STREQ(q->types[0].unit, "count");
	CHECK_U64EQ(q->nmappings, with_mapping ? 1 : 0);
	if (with_mapping) {
		static const unsigned char id[8] = { 0xde, 0xad, 0xbe, 0xef, 0, 0x11, 0x22, 0x33 };

		CHECK_STREQ(q->mappings[0].path, "/opt/app/bin/myprog");
		CHECK(q->mappings[0].build_id_len == 8 &&
		      !memcmp(q->mappings[0].build_id, id, 8));
		CHECK_U64EQ(q->mappings[0].start, 0x400000);
		CHECK_U64EQ(q->mappings[0].limit, 0x500000);
		CHECK(q->mappings[0].has_symtab && !q->mappings[0].has_debuginfo);
	}
	CHECK_U64EQ(q->nlocations, 2);
	if (q->nlocations != 2 || q->nsamples != 2)
		return;
	l = &q->locations[0];
	CHECK(l->mapping == (with_mapping ? 1u : 0u) && l->address == 0x401000 &&
	      l->nlines == 1);
	ln = &q->lines[l->first_line];
	CHECK_STREQ(ln->function, "main");
	CHECK(ln->system_name == NULL);
	CHECK_STREQ(ln->file, "work.c");
	CHECK_U64EQ(ln->line, 10);
	l = &q->locations[1];
	CHECK(l->address == 0x402000 && l->nlines == 2);
	ln = &q->lines[l->first_line];
	CHECK_STREQ(ln[0].function, "work");
	CHECK_STREQ(ln[0].system_name, "_Z4workv");
	CHECK_U64EQ(ln[0].line, 20);
	CHECK_STREQ(ln[1].function, "main");
	CHECK_U64EQ(ln[1].line, 11);

	/* the two labelled samples are one, outermost first */
	CHECK_U64EQ(q->nsamples, 2);
	ids = profile_stack_ids(q, q->samples[0].stack, &n);
	CHECK(n == 2 && ids[0] == 0 && ids[1] == 1);
	CHECK_U64EQ(profile_values(q, 0)[0], 5);
	CHECK(q->samples[0].thread == 1);
	CHECK(q->threads[0].pid == 42 && q->threads[0].tid == 43);
	CHECK_STREQ(q->threads[0].name, "worker");
	/* without labels: the thread named after the first mapping, or "pprof" */
	ids = profile_stack_ids(q, q->samples[1].stack, &n);
	CHECK(n == 1 && ids[0] == 0);
	CHECK_U64EQ(profile_values(q, 1)[0], 7);
	CHECK(q->samples[1].thread == 2);
	CHECK(q->threads[1].pid == -1 && q->threads[1].tid == -1);
	CHECK_STREQ(q->threads[1].name, with_mapping ? "myprog" : "pprof");

	CHECK_STREQ(q->meta.command, "myprog --flag");
	CHECK_STREQ(q->meta.default_type, "samples");
	CHECK_STREQ(q->meta.event, "cpu");
	CHECK_U64EQ(q->meta.period, 10000000);
	CHECK_U64EQ(q->meta.frequency, 100);
	CHECK_U64EQ(q->meta.start_ns, 123);
	CHECK_U64EQ(q->meta.duration_ns, 456);
}

TEST(pprof_read_hand_made)
{
	struct fg_buf a = FG_BUF_INIT, b = FG_BUF_INIT, gz = FG_BUF_INIT;
	struct profile q;
	int with;

	for (with = 0; with <= 1; with++) {
		fg_buf_reset(&a);
		fg_buf_reset(&b);
		build_hand(&a, &b, with);
		fg_buf_add(&a, b.buf, b.len);
		read_ok(a.buf, a.len, &q);
		check_hand(&q, with);
		profile_release(&q);
	}

	/* written out and read back: what the writer keeps of it */
	fg_buf_reset(&a);
	fg_buf_reset(&b);
	build_hand(&a, &b, 1);
	fg_buf_add(&a, b.buf, b.len);
	read_ok(a.buf, a.len, &q);
	CHECK(pprof_write(&q, &gz, NULL) == 0);
	{
		struct profile r;

		read_ok(gz.buf, gz.len, &r);
		check_same(&q, &r);
		/* an event that is not a sample type: its unit is "count" */
		CHECK_STREQ(r.meta.event, "cpu");
		CHECK_U64EQ(r.meta.period, 10000000);
		CHECK_U64EQ(r.meta.frequency, 0);
		CHECK_STREQ(r.meta.command, "myprog --flag");
		CHECK_STREQ(r.meta.default_type, "samples");
		profile_release(&r);
	}
	profile_release(&q);
	fg_buf_reset(&gz);

	/* gzip in two members: one message in two pieces, merged */
	fg_buf_reset(&a);
	fg_buf_reset(&b);
	build_hand(&a, &b, 1);
	deflate_into(&gz, a.buf, a.len);
	deflate_into(&gz, b.buf, b.len);
	read_ok(gz.buf, gz.len, &q);
	check_hand(&q, 1);
	profile_release(&q);

	fg_buf_release(&a);
	fg_buf_release(&b);
	fg_buf_release(&gz);
}

/* The start of a message: one sample type, ("samples", "count"), and its strings. */
static void one_type(struct fg_buf *b)
{
	struct fg_buf sub = FG_BUF_INIT;

	pb_uint(&sub, 1, 1);
	pb_uint(&sub, 2, 2);
	pb_msg(b, 1, &sub);
	pb_str(b, 6, "");
	pb_str(b, 6, "samples");
	pb_str(b, 6, "count");
	fg_buf_release(&sub);
}

TEST(pprof_thread_labels)
{
	static const struct {
		unsigned field;		/* of the pid label: 2 str, 3 num, 0 none */
		uint64_t v;
		int32_t pid;
	} cases[] = {
		{ 3, 1234, 1234 },
		{ 2, 4, 1234 },		/* "1234" */
		{ 2, 5, -1 },		/* "12a" */
		{ 2, 6, -1 },		/* "99999999999" */
		{ 3, (uint64_t)-7, -1 },
		{ 3, 1ULL << 31, -1 },
		{ 0, 0, -1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fg_buf m = FG_BUF_INIT, sub = FG_BUF_INIT, lab = FG_BUF_INIT;
		struct profile q;

		one_type(&m);
		pb_str(&m, 6, "pid");
		pb_str(&m, 6, "1234");
		pb_str(&m, 6, "12a");
		pb_str(&m, 6, "99999999999");
		pb_uint(&sub, 2, 1);
		pb_uint(&lab, 1, 3);
		if (cases[i].field)
			pb_uint(&lab, cases[i].field, cases[i].v);
		pb_msg(&sub, 3, &lab);
		pb_msg(&m, 2, &sub);
		read_ok(m.buf, m.len, &q);
		CHECK_U64EQ(q.nthreads, 1);
		if (q.nthreads == 1) {
			CHECK(q.threads[0].pid == cases[i].pid);
			CHECK(q.threads[0].tid == -1);
			CHECK_STREQ(q.threads[0].name, "");
		}
		profile_release(&q);
		fg_buf_release(&m);
		fg_buf_release(&sub);
		fg_buf_release(&lab);
	}
}

TEST(pprof_build_ids)
{
	static const struct {
		const char *hex;
		int len;
	} cases[] = {
		{ "0123456789abcdef00ff102030405060708090a0", 20 },
		{ "0123456789ABCDEF", 8 },
		{ "ab", 1 },
		{ "", 0 },
		{ "abc", 0 },					/* odd */
		{ "0123456789abcdef00ff102030405060708090a0b1", 0 },	/* 21 bytes */
		{ "Zm9vYmFy/aGVsbG8=", 0 },			/* a Go build ID */
		{ "12 4", 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fg_buf m = FG_BUF_INIT, sub = FG_BUF_INIT;
		struct profile q;

		pb_uint(&sub, 1, 1);
		pb_uint(&sub, 2, 2);
		pb_msg(&m, 1, &sub);
		pb_uint(&sub, 1, 1);
		pb_uint(&sub, 5, 3);
		pb_uint(&sub, 6, 4);
		pb_msg(&m, 3, &sub);
		pb_str(&m, 6, "");
		pb_str(&m, 6, "samples");
		pb_str(&m, 6, "count");
		pb_str(&m, 6, "/bin/x");
		pb_str(&m, 6, cases[i].hex);
		read_ok(m.buf, m.len, &q);
		CHECK_U64EQ(q.nmappings, 1);
		if (q.nmappings == 1) {
			CHECK(q.mappings[0].build_id_len == cases[i].len);
			if (cases[i].len == 20)
				CHECK(!memcmp(q.mappings[0].build_id, prog_id, 20));
			if (cases[i].len == 8)
				CHECK(q.mappings[0].build_id[0] == 0x01 &&
				      q.mappings[0].build_id[7] == 0xef);
		}
		profile_release(&q);
		fg_buf_release(&m);
		fg_buf_release(&sub);
	}
}

/* pprof_read() that fails with ret and exactly the message msg. */
static void read_fails(const void *data, size_t len, int ret, const char *msg)
{
	struct fg_buf err = FG_BUF_INIT;
	struct profile q;
	int got;

	memset(&q, 0x5a, sizeof(q));
	got = pprof_read(data, len, &q, &err);
	if (got != ret)
		unit_fail(__FILE__, __LINE__, "pprof_read: %d, not %d (%s)", got, ret, err.buf);
	if (msg)
		CHECK_STREQ(err.buf, msg);
	/* released: as profile_release() leaves a profile */
	CHECK(q.ntypes == 0 && q.strings == NULL && q.nsamples == 0);
	if (!got)
		profile_release(&q);
	fg_buf_release(&err);
}

TEST(pprof_errors_name_the_byte)
{
	struct fg_buf m = FG_BUF_INIT, sub = FG_BUF_INIT;
	uint64_t v[2];
	int i;

	/* a key cut short */
	read_fails("\x0a\x02\x08\x01\x12\x80", 6, -FG_ERR_BAD_INPUT,
		   "pprof: truncated varint at byte 5");
	read_fails("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11, -FG_ERR_BAD_INPUT,
		   "pprof: varint longer than 64 bits at byte 1");
	read_fails("\x0a\x05\x08\x01", 4, -FG_ERR_BAD_INPUT,
		   "pprof: length 5 of field 1 runs past the end of its message "
		   "(2 bytes left) at byte 1");
	read_fails("\x08\x01", 2, -FG_ERR_BAD_INPUT,
		   "pprof: Profile field 1 has wire type 0, not 2 at byte 0");
	read_fails("\x0b\x0c", 2, -FG_ERR_BAD_INPUT,
		   "pprof: unsupported wire type 3 of field 1 at byte 0");
	read_fails("\x00", 1, -FG_ERR_BAD_INPUT, "pprof: bad field number 0 at byte 0");
	read_fails("", 0, -FG_ERR_BAD_INPUT,
		   "pprof: the profile has no sample types at byte 0");
	/* truncated inside a nested message: the offset is in the whole message */
	read_fails("\x0a\x02\x08\x81", 4, -FG_ERR_BAD_INPUT,
		   "pprof: truncated varint at byte 3");

	/* a string index past the table */
	pb_uint(&sub, 1, 1);
	pb_uint(&sub, 2, 99);
	pb_msg(&m, 1, &sub);
	pb_str(&m, 6, "");
	pb_str(&m, 6, "samples");
	read_fails(m.buf, m.len, -FG_ERR_BAD_INPUT,
		   "pprof: string index 99 of a sample type out of range (2 strings) at byte 2");
	fg_buf_reset(&m);
	one_type(&m);
	pb_uint(&sub, 1, 1);
	pb_uint(&sub, 5, 3);
	pb_msg(&m, 3, &sub);
	read_fails(m.buf, m.len, -FG_ERR_BAD_INPUT,
		   "pprof: string index 3 of a mapping's file name out of range "
		   "(3 strings) at byte 26");
	fg_buf_reset(&m);
	one_type(&m);
	pb_uint(&sub, 1, 1);
	pb_uint(&sub, 2, (uint64_t)-1);
	pb_msg(&m, 5, &sub);
	read_fails(m.buf, m.len, -FG_ERR_BAD_INPUT,
		   "pprof: string index -1 of a function's name out of range "
		   "(3 strings) at byte 26");

	/* more sample types than the profile keeps */
	fg_buf_reset(&m);
	for (i = 0; i < PROFILE_MAX_TYPES + 1; i++) {
		pb_uint(&sub, 1, 1);
		pb_uint(&sub, 2, 2);
		pb_msg(&m, 1, &sub);
	}
	read_fails(m.buf, m.len, -FG_ERR_UNSUPPORTED,
		   "pprof: 5 sample types, more than the 4 this program keeps at byte 26");

	/* ids: twice, or not there */
	fg_buf_reset(&m);
	one_type(&m);
	pb_uint(&sub, 1, 5);
	pb_msg(&m, 4, &sub);
	pb_uint(&sub, 1, 5);
	pb_msg(&m, 4, &sub);
	read_fails(m.buf, m.len, -FG_ERR_BAD_INPUT,
		   "pprof: second location with id 5 at byte 30");
	fg_buf_reset(&m);
	one_type(&m);
	pb_uint(&sub, 1, 5);
	pb_uint(&sub, 2, 8);
	pb_msg(&m, 4, &sub);
	read_fails(m.buf, m.len, -FG_ERR_BAD_INPUT,
		   "pprof: location 5 has mapping 8, which the profile does not have at byte 26");
	fg_buf_reset(&m);
	one_type(&m);
	pb_uint(&sub, 1, 5);
	pb_uint(&sub, 1, 6);
	pb_uint(&sub, 2, 1);
	pb_msg(&m, 2, &sub);
	read_fails(m.buf, m.len, -FG_ERR_BAD_INPUT,
		   "pprof: a sample has location 5, which the profile does not have at byte 26");

	/* values: more than the types, negative, summing past 64 bits */
	fg_buf_reset(&m);
	one_type(&m);
	v[0] = 1, v[1] = 2;
	pb_packed(&sub, 2, v, 2);
	pb_msg(&m, 2, &sub);
	read_fails(m.buf, m.len, -FG_ERR_BAD_INPUT,
		   "pprof: a sample has 2 values for 1 sample types at byte 26");
	fg_buf_reset(&m);
	one_type(&m);
	pb_uint(&sub, 2, (uint64_t)-5);
	pb_msg(&m, 2, &sub);
	read_fails(m.buf, m.len, -FG_ERR_UNSUPPORTED,
		   "pprof: negative sample value -5 (a difference of profiles?) at byte 26");
	fg_buf_reset(&m);
	one_type(&m);
	pb_uint(&sub, 2, INT64_MAX);
	pb_msg(&m, 2, &sub);
	pb_uint(&sub, 2, INT64_MAX);
	pb_msg(&m, 2, &sub);
	pb_uint(&sub, 2, INT64_MAX);
	pb_msg(&m, 2, &sub);
	read_fails(m.buf, m.len, -FG_ERR_COUNT_OVERFLOW,
		   "pprof: sample values overflow 64 bits when summed at byte 50");

	fg_buf_release(&m);
	fg_buf_release(&sub);
}

TEST(pprof_gzip_damage_and_bombs)
{
	struct fg_buf a = FG_BUF_INIT, b = FG_BUF_INIT, gz = FG_BUF_INIT;
	unsigned char *zeros;
	size_t n;

	build_hand(&a, &b, 1);
	fg_buf_add(&a, b.buf, b.len);
	deflate_into(&gz, a.buf, a.len);

	/* a trailer that says more than is ever read: refused at once */
	memcpy(gz.buf + gz.len - 4, "\x00\x00\x00\x7f", 4);
	read_fails(gz.buf, gz.len, -FG_ERR_UNSUPPORTED,
		   "pprof: the gzip trailer gives a size of 2130706432 bytes, "
		   "more than the 1024 MiB read");
	/* a trailer that says less than there is: found out */
	memcpy(gz.buf + gz.len - 4, "\x01\x00\x00\x00", 4);
	read_fails(gz.buf, gz.len, -FG_ERR_BAD_INPUT,
		   "pprof: corrupt gzip data in the member at byte 0 of the file");
	/* damage in the compressed data */
	fg_buf_reset(&gz);
	deflate_into(&gz, a.buf, a.len);
	gz.buf[gz.len / 2] ^= 0x55;
	read_fails(gz.buf, gz.len, -FG_ERR_BAD_INPUT,
		   "pprof: corrupt gzip data in the member at byte 0 of the file");
	/* bytes after the last member */
	fg_buf_reset(&gz);
	deflate_into(&gz, a.buf, a.len);
	n = gz.len;
	fg_buf_add(&gz, "\x1f\x8b\x08\x00", 4);
	fg_buf_reset(&a);
	fg_buf_addf(&a, "pprof: corrupt gzip data in the member at byte %zu of the file", n);
	read_fails(gz.buf, gz.len, -FG_ERR_BAD_INPUT, a.buf);

	/* 8 MiB of zeros in 8 KB, said to be 0 bytes: it grows, then fails on them */
	fg_buf_reset(&gz);
	zeros = xcalloc(8 << 20, 1);
	deflate_into(&gz, zeros, 8 << 20);
	free(zeros);
	CHECK(gz.len < 65536);
	memset(gz.buf + gz.len - 4, 0, 4);
	read_fails(gz.buf, gz.len, -FG_ERR_BAD_INPUT,
		   "pprof: corrupt gzip data in the member at byte 0 of the file");

	fg_buf_release(&a);
	fg_buf_release(&b);
	fg_buf_release(&gz);
}

/*
 * Every prefix of a valid message, and every byte of it changed: the
 * reader succeeds or fails with a message, never reads out of bounds
 * (the copy is exact-size, for valgrind and ASan) and leaves nothing
 * behind.
 */
static void try_damaged(const unsigned char *msg, size_t len, int is_gzip)
{
	static const unsigned char flips[] = { 0x01, 0x80, 0xff };
	struct fg_buf err = FG_BUF_INIT;
	size_t cut, i, k, failed = 0;

	for (cut = 0; cut < len; cut++) {
		unsigned char *copy = xmalloc(cut ? cut : 1);
		struct profile q;
		int ret;

		memcpy(copy, msg, cut);
		fg_buf_reset(&err);
		ret = pprof_read(copy, cut, &q, &err);
		if (ret) {
			failed++;
			CHECK(starts_with(err.buf, "pprof: "));
			CHECK(is_gzip || strstr(err.buf, " at byte "));
		} else {
			profile_release(&q);
		}
		free(copy);
	}
	CHECK(failed > len / 2);	/* most prefixes are broken */
	for (i = is_gzip ? 10 : 0; i < len; i++) {
		for (k = 0; k < ARRAY_SIZE(flips); k++) {
			unsigned char *copy = xmalloc(len);
			struct profile q;

			memcpy(copy, msg, len);
			copy[i] ^= flips[k];
			fg_buf_reset(&err);
			if (pprof_read(copy, len, &q, &err))
				CHECK(starts_with(err.buf, "pprof: "));
			else
				profile_release(&q);
			free(copy);
		}
	}
	fg_buf_release(&err);
}

TEST(pprof_damaged_input)
{
	struct fg_buf a = FG_BUF_INIT, b = FG_BUF_INIT, gz = FG_BUF_INIT;
	struct profile p;
	unsigned char *msg;
	size_t len;

	build_hand(&a, &b, 1);
	fg_buf_add(&a, b.buf, b.len);
	try_damaged((const unsigned char *)a.buf, a.len, 0);

	build_rich(&p);
	msg = write_message(&p, &gz, &len);
	try_damaged(msg, len, 0);
	/* the compressed file: only prefixes (a changed byte fails the CRC) */
	try_damaged((const unsigned char *)gz.buf, gz.len > 200 ? 200 : gz.len, 1);
	free(msg);
	profile_release(&p);
	fg_buf_release(&a);
	fg_buf_release(&b);
	fg_buf_release(&gz);
}

/* The whole of path (malloc'd), or NULL. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct fg_buf b = FG_BUF_INIT;
	char tmp[4096];
	size_t n;

	if (!fp)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		fg_buf_add(&b, tmp, n);
	fclose(fp);
	return (unsigned char *)fg_buf_detach(&b, len);
}

/*
 * Value `type` of the samples with function fn at their leaf (flat) and
 * anywhere in their stack (cum), as `go tool pprof -top` counts them.
 */
static void totals(const struct profile *p, const char *fn, size_t type,
		   uint64_t *flat, uint64_t *cum)
{
	size_t i, j, k, n;

	*flat = *cum = 0;
	for (i = 0; i < p->nsamples; i++) {
		const uint32_t *ids = profile_stack_ids(p, p->samples[i].stack, &n);
		uint64_t v = profile_values(p, i)[type];
		int in = 0;

		for (j = 0; j < n; j++) {
			const struct profile_location *l = &p->locations[ids[j]];

			for (k = 0; k < l->nlines; k++) {
				if (strcmp(p->lines[l->first_line + k].function, fn))
					continue;
				in = 1;
				if (j == n - 1 && k == 0)
					*flat += v;
			}
		}
		if (in)
			*cum += v;
	}
}

/*
 * A CPU profile of tests/data/pprof/busy.go as Go's runtime wrote it
 * (fields interleaved, the string table last), and as `go tool pprof
 * -proto` wrote it again: the totals `go tool pprof -top` gives.
 */
TEST(pprof_reads_go_profiles)
{
	static const char *const files[] = {
		"tests/data/pprof/cpu.pb.gz", "tests/data/pprof/cpu-repacked.pb.gz",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		struct profile q;
		uint64_t flat, cum;
		size_t len;
		unsigned char *data = slurp(files[i], &len);

		if (!data) {
			unit_fail(__FILE__, __LINE__, "cannot read %s", files[i]);
			continue;
		}
		read_ok(data, len, &q);
		free(data);
		if (!q.ntypes)
			continue;
		CHECK_U64EQ(q.ntypes, 2);
		CHECK_STREQ(q.types[0].type, "samples");
		CHECK_STREQ(q.types[1].type, "cpu");
		CHECK_STREQ(q.types[1].unit, "nanoseconds");
		CHECK_STREQ(q.meta.event, "cpu");
		CHECK_U64EQ(q.meta.period, 10000000);
		CHECK_U64EQ(q.meta.frequency, 100);
		CHECK(q.meta.start_ns > 0 && q.meta.duration_ns > 0);
		CHECK_U64EQ(q.nthreads, 1);
		CHECK_STREQ(q.threads[0].name, "busy");
		totals(&q, "main.spin", 1, &flat, &cum);
		CHECK_U64EQ(flat, 360000000);
		CHECK_U64EQ(cum, 360000000);
		totals(&q, "main.hot", 1, &flat, &cum);
		CHECK_U64EQ(flat, 0);
		CHECK_U64EQ(cum, 270000000);
		totals(&q, "main.cold", 0, &flat, &cum);
		CHECK_U64EQ(cum, 9);
		totals(&q, "runtime.main", 0, &flat, &cum);
		CHECK_U64EQ(cum, 36);
		profile_release(&q);
	}
}

/* ---- runs (--repeat) -------------------------------------------------- */

/* Does the string table of message msg hold s? */
static int has_string(const unsigned char *msg, size_t len, const char *s)
{
	struct part strings[256];
	size_t n, i;

	n = fields(msg, len, 6, strings, ARRAY_SIZE(strings));
	CHECK(n <= ARRAY_SIZE(strings));
	for (i = 0; i < n && i < ARRAY_SIZE(strings); i++)
		if (strings[i].len == strlen(s) && !memcmp(strings[i].b, s, strings[i].len))
			return 1;
	return 0;
}

/*
 * Three runs of the same program (the same pid, tid and thread name in
 * each), and a sample of a thread of no run.
 */
static void build_runs(struct profile *p)
{
	static const uint32_t runs[] = { 1, 2, 3, 2, 0 };
	uint32_t ids[2], s1, s2;
	size_t i;

	profile_init(p, two, 2);
	ids[0] = profile_named_location(p, "main", 4);
	ids[1] = profile_named_location(p, "work", 4);
	s1 = profile_stack(p, ids, 2);
	s2 = profile_stack(p, ids, 1);
	for (i = 0; i < ARRAY_SIZE(runs); i++) {
		uint64_t v[2] = { i + 1, (i + 1) * 1000 };
		uint32_t t;

		profile_begin_run(p, runs[i]);
		t = profile_thread(p, 100, 100, "prog", 4) + 1;
		CHECK(!profile_add(p, i == 1 ? s2 : s1, t, v));
	}
	profile_begin_run(p, 0);
	CHECK_U64EQ(p->nruns, 3);
	CHECK_U64EQ(p->nthreads, 4);
}

TEST(pprof_runs_round_trip)
{
	struct profile p, q;
	struct profile_view v = { 0 };
	struct fg_buf gz = FG_BUF_INIT;
	struct part samples[8], labels[8];
	unsigned char *msg;
	size_t len, i, n;
	uint32_t run;

	build_runs(&p);
	msg = write_message(&p, &gz, &len);
	CHECK(has_string(msg, len, "run"));
	/* pid, tid, run and thread on the samples of a run; no run else */
	n = fields(msg, len, 2, samples, ARRAY_SIZE(samples));
	CHECK_U64EQ(n, 5);
	for (i = 0; i < n && i < ARRAY_SIZE(samples); i++)
		CHECK_U64EQ(fields(samples[i].b, samples[i].len, 3, labels,
				   ARRAY_SIZE(labels)), i == 4 ? 3 : 4);

	read_ok(gz.buf, gz.len, &q);
	check_same(&p, &q);
	CHECK_U64EQ(q.nruns, 3);
	CHECK_U64EQ(q.nthreads, 4);
	for (i = 0; i < p.nsamples && i < q.nsamples; i++) {
		const struct profile_sample *x = &p.samples[i], *y = &q.samples[i];

		CHECK(x->thread && y->thread);
		if (x->thread && y->thread)
			CHECK_U64EQ(q.threads[y->thread - 1].run, p.threads[x->thread - 1].run);
	}
	for (run = 0; run <= 4; run++) {
		CHECK_U64EQ(profile_run_total(&q, run, 0), profile_run_total(&p, run, 0));
		CHECK_U64EQ(profile_run_total(&q, run, 1), profile_run_total(&p, run, 1));
	}
	CHECK_U64EQ(profile_run_total(&q, 2, 0), 2 + 4);
	/* each run's fold the same */
	for (run = 0; run <= 3; run++) {
		char *a, *b;

		v.run = run;
		a = unit_fold(&p, &v, UNIT_FOLD_SORTED);
		b = unit_fold(&q, &v, UNIT_FOLD_SORTED);
		CHECK_STREQ(b, a);
		free(a);
		free(b);
	}

	/* written again: the same bytes */
	{
		struct fg_buf gz2 = FG_BUF_INIT;
		unsigned char *msg2;
		size_t len2;

		msg2 = write_message(&q, &gz2, &len2);
		CHECK(len2 == len && !memcmp(msg, msg2, len));
		free(msg2);
		fg_buf_release(&gz2);
	}
	free(msg);
	fg_buf_release(&gz);
	profile_release(&p);
	profile_release(&q);
}

TEST(pprof_no_runs_no_run_label)
{
	struct profile p, q;
	struct fg_buf gz = FG_BUF_INIT;
	unsigned char *msg;
	size_t len, i;

	build_rich(&p);
	CHECK_U64EQ(p.nruns, 0);
	msg = write_message(&p, &gz, &len);
	CHECK(!has_string(msg, len, "run"));
	read_ok(gz.buf, gz.len, &q);
	CHECK_U64EQ(q.nruns, 0);
	CHECK(q.run == 0);
	for (i = 0; i < q.nthreads; i++)
		CHECK_U64EQ(q.threads[i].run, 0);
	free(msg);
	fg_buf_release(&gz);
	profile_release(&p);
	profile_release(&q);
}

/*
 * A run label made by hand: a number (field 3) or a string (field 2),
 * with or without the thread's name; 1 to PPROF_MAX_RUNS is a run, any
 * other value none.
 */
TEST(pprof_run_labels_read)
{
	enum { R_RUN = 3, R_SEVEN, R_THREAD, R_W, R_ABC, R_ZERO, R_BIG };
	static const struct {
		unsigned field;		/* 2 str, 3 num */
		uint64_t v;
		int with_thread;
		uint32_t run;		/* the run read; 0 none */
	} cases[] = {
		{ 3, 1, 1, 1 },
		{ 3, 42, 1, 42 },
		{ 3, PPROF_MAX_RUNS, 1, PPROF_MAX_RUNS },
		{ 3, PPROF_MAX_RUNS + 1, 1, 0 },
		{ 3, 0, 1, 0 },
		{ 3, (uint64_t)-1, 1, 0 },
		{ 3, (uint64_t)-42, 1, 0 },
		{ 3, 1ULL << 32, 1, 0 },
		{ 3, (1ULL << 32) + 5, 1, 0 },
		{ 3, UINT64_MAX / 2, 1, 0 },
		{ 2, R_SEVEN, 1, 7 },	/* "7" */
		{ 2, R_ABC, 1, 0 },	/* "abc" */
		{ 2, R_ZERO, 1, 0 },	/* "0" */
		{ 2, R_BIG, 1, 0 },	/* "99999999999" */
		{ 3, 5, 0, 5 },		/* a run, nothing else of the thread */
		{ 3, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fg_buf m = FG_BUF_INIT, sub = FG_BUF_INIT, lab = FG_BUF_INIT;
		struct profile q;

		one_type(&m);
		pb_str(&m, 6, "run");
		pb_str(&m, 6, "7");
		pb_str(&m, 6, "thread");
		pb_str(&m, 6, "w");
		pb_str(&m, 6, "abc");
		pb_str(&m, 6, "0");
		pb_str(&m, 6, "99999999999");
		pb_uint(&sub, 2, 1);
		pb_uint(&lab, 1, R_RUN);
		pb_uint(&lab, cases[i].field, cases[i].v);
		pb_msg(&sub, 3, &lab);
		if (cases[i].with_thread) {
			pb_uint(&lab, 1, R_THREAD);
			pb_uint(&lab, 2, R_W);
			pb_msg(&sub, 3, &lab);
		}
		pb_msg(&m, 2, &sub);
		read_ok(m.buf, m.len, &q);
		if (q.nthreads != 1 || q.nsamples != 1) {
			unit_fail(__FILE__, __LINE__, "case %zu: %zu threads, %zu samples", i,
				  q.nthreads, q.nsamples);
		} else {
			if (q.threads[0].run != cases[i].run || q.nruns != cases[i].run)
				unit_fail(__FILE__, __LINE__, "case %zu: run %u, nruns %u, not %u",
					  i, q.threads[0].run, q.nruns, cases[i].run);
			CHECK(q.samples[0].thread == 1);
			if (cases[i].with_thread) {
				CHECK_STREQ(q.threads[0].name, "w");
				CHECK(q.threads[0].pid == -1 && q.threads[0].tid == -1);
			} else if (cases[i].run) {
				/* the run says the sample has a thread, of no name */
				CHECK_STREQ(q.threads[0].name, "");
			} else {
				/* nothing of a thread: the default one */
				CHECK_STREQ(q.threads[0].name, "pprof");
			}
		}
		profile_release(&q);
		fg_buf_release(&m);
		fg_buf_release(&sub);
		fg_buf_release(&lab);
	}
}

/*
 * Samples of several runs, one with a run the reader ignores: each its
 * own thread, and a run of none after them does not lower nruns.
 */
TEST(pprof_run_labels_of_several_samples)
{
	static const uint64_t runs[] = { 2, 1, 0, 2, 3 };
	struct fg_buf m = FG_BUF_INIT, sub = FG_BUF_INIT, lab = FG_BUF_INIT;
	struct profile q;
	size_t i;

	one_type(&m);
	pb_str(&m, 6, "run");
	pb_str(&m, 6, "tid");
	for (i = 0; i < ARRAY_SIZE(runs); i++) {
		pb_uint(&sub, 2, 10 + i);
		pb_uint(&lab, 1, 3);
		pb_uint(&lab, 3, runs[i]);
		pb_msg(&sub, 3, &lab);
		pb_uint(&lab, 1, 4);
		pb_uint(&lab, 3, 77);
		pb_msg(&sub, 3, &lab);
		pb_msg(&m, 2, &sub);
	}
	pb_uint(&sub, 2, 100);	/* no labels: the default thread, no run */
	pb_msg(&m, 2, &sub);
	read_ok(m.buf, m.len, &q);
	CHECK_U64EQ(q.nruns, 3);
	/* runs 2, 1, none, 3, and the default thread; run 2 twice: one sample */
	CHECK_U64EQ(q.nthreads, 5);
	CHECK_U64EQ(q.nsamples, 5);
	CHECK_U64EQ(profile_run_total(&q, 2, 0), 10 + 13);
	CHECK_U64EQ(profile_run_total(&q, 1, 0), 11);
	CHECK_U64EQ(profile_run_total(&q, 3, 0), 14);
	CHECK_U64EQ(profile_run_total(&q, 0, 0), 12 + 100);
	for (i = 0; i < q.nthreads; i++)
		if (q.threads[i].run)
			CHECK(q.threads[i].tid == 77);
	profile_release(&q);
	fg_buf_release(&m);
	fg_buf_release(&sub);
	fg_buf_release(&lab);
}
