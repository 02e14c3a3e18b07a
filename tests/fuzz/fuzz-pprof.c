/*
 * Fuzz target: the pprof reader and writer (profiler/pprof.c).
 *
 * The input is read as a pprof file; a bare message is also read once
 * more gzip-compressed, which must give the same result. A failure must
 * leave the profile released with a message. A profile read must hold
 * together (every id in range), fold, and survive the round trip: written
 * out, it reads back as the same profile (values past INT64_MAX clamped,
 * as pprof's int64 holds them), and that one writes the same bytes.
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../lib/error.h"
#include "../../lib/stacks.h"
#include "../../profiler/pprof.h"

#include <libdeflate.h>

static void check_released(const struct profile *p, int ret, const struct fg_buf *err)
{
	if (p->ntypes || p->strings || p->nsamples || p->nlocations)
		fuzz_fail("pprof_read() returned %d and left the profile filled", ret);
	if (!starts_with(err->buf, "pprof: "))
		fuzz_fail("pprof_read() returned %d with the message '%s'", ret, err->buf);
}

/* Every id of p points at something p has. */
static void check_ids(const struct profile *p)
{
	size_t i, j, n;

	if (!p->ntypes || p->ntypes > PROFILE_MAX_TYPES)
		fuzz_fail("%zu sample types", p->ntypes);
	for (i = 0; i < p->nlocations; i++) {
		const struct profile_location *l = &p->locations[i];

		if (l->mapping > p->nmappings ||
		    (size_t)l->first_line + l->nlines > p->nlines)
			fuzz_fail("location %zu: mapping %u, lines %u+%u of %zu", i,
				  l->mapping, l->first_line, l->nlines, p->nlines);
	}
	for (i = 0; i < p->nsamples; i++) {
		const struct profile_sample *s = &p->samples[i];
		const uint32_t *ids;

		if (s->stack >= p->nstacks || !s->thread || s->thread > p->nthreads)
			fuzz_fail("sample %zu: stack %u, thread %u", i, s->stack, s->thread);
		ids = profile_stack_ids(p, s->stack, &n);
		for (j = 0; j < n; j++)
			if (ids[j] >= p->nlocations)
				fuzz_fail("sample %zu: location %u of %zu", i, ids[j],
					  p->nlocations);
	}
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int same_mapping(const struct profile_mapping *x, const struct profile_mapping *y)
{
	return !strcmp(x->path, y->path) && x->build_id_len == y->build_id_len &&
	       !memcmp(x->build_id, y->build_id, (size_t)x->build_id_len) &&
	       x->start == y->start && x->limit == y->limit &&
	       x->offset == y->offset && x->kernel == y->kernel;
}

/*
 * b is a read back from a written out: the same profile. The writer puts
 * the program's mapping first, so the mappings may come in another
 * order: each of a's has its like in b, and each location's mapping is
 * the like of the one it had.
 */
static void check_same(const struct profile *a, const struct profile *b)
{
	size_t i, k, na, nb;

	if (a->ntypes != b->ntypes || a->nmappings != b->nmappings ||
	    a->nlocations != b->nlocations || a->nsamples != b->nsamples ||
	    a->nthreads != b->nthreads)
		fuzz_fail("read back: %zu/%zu/%zu/%zu/%zu types/mappings/locations/"
			  "samples/threads, not %zu/%zu/%zu/%zu/%zu",
			  b->ntypes, b->nmappings, b->nlocations, b->nsamples,
			  b->nthreads, a->ntypes, a->nmappings, a->nlocations,
			  a->nsamples, a->nthreads);
	for (i = 0; i < a->ntypes; i++)
		if (strcmp(a->types[i].type, b->types[i].type) ||
		    strcmp(a->types[i].unit, b->types[i].unit))
			fuzz_fail("read back: sample type %zu differs", i);
	for (i = 0; i < a->nmappings; i++) {
		for (k = 0; k < b->nmappings; k++)
			if (same_mapping(&a->mappings[i], &b->mappings[k]))
				break;
		if (k == b->nmappings)
			fuzz_fail("read back: mapping %zu is missing", i);
	}
	for (i = 0; i < a->nlocations; i++) {
		const struct profile_location *x = &a->locations[i], *y = &b->locations[i];

		if (!x->mapping != !y->mapping || x->address != y->address ||
		    x->nlines != y->nlines ||
		    (x->mapping && !same_mapping(&a->mappings[x->mapping - 1],
						 &b->mappings[y->mapping - 1])))
			fuzz_fail("read back: location %zu differs", i);
		for (k = 0; k < x->nlines; k++) {
			const struct profile_line *lx = &a->lines[x->first_line + k];
			const struct profile_line *ly = &b->lines[y->first_line + k];

			if (strcmp(lx->function, ly->function) ||
			    !same_str(lx->system_name, ly->system_name) ||
			    !same_str(lx->file, ly->file) || lx->line != ly->line)
				fuzz_fail("read back: line %zu of location %zu differs", k, i);
		}
	}
	for (i = 0; i < a->nthreads; i++)
		if (a->threads[i].pid != b->threads[i].pid ||
		    a->threads[i].tid != b->threads[i].tid ||
		    strcmp(a->threads[i].name, b->threads[i].name))
			fuzz_fail("read back: thread %zu differs", i);
	for (i = 0; i < a->nsamples; i++) {
		const uint32_t *ia = profile_stack_ids(a, a->samples[i].stack, &na);
		const uint32_t *ib = profile_stack_ids(b, b->samples[i].stack, &nb);

		if (na != nb || (na && memcmp(ia, ib, na * sizeof(*ia))) ||
		    a->samples[i].thread != b->samples[i].thread)
			fuzz_fail("read back: sample %zu differs", i);
		for (k = 0; k < a->ntypes; k++) {
			uint64_t va = profile_values(a, i)[k], vb = profile_values(b, i)[k];

			if (vb != (va > INT64_MAX ? INT64_MAX : va))
				fuzz_fail("read back: value %zu of sample %zu: %" PRIu64
					  ", not %" PRIu64, k, i, vb, va);
		}
	}
	if (!same_str(a->meta.command, b->meta.command) ||
	    !same_str(a->meta.default_type, b->meta.default_type) ||
	    a->meta.start_ns != b->meta.start_ns ||
	    a->meta.duration_ns != b->meta.duration_ns)
		fuzz_fail("read back: the metadata differs");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_buf err = FG_BUF_INIT, out = FG_BUF_INIT, out2 = FG_BUF_INIT;
	struct fg_buf gz = FG_BUF_INIT;
	struct profile p, q;
	int ret;

	ret = pprof_read(data, size, &p, &err);

	/* a bare message, compressed: the same result */
	if (size < 2 || data[0] != 0x1f || data[1] != 0x8b) {
		struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
		size_t bound = libdeflate_gzip_compress_bound(c, size);
		struct fg_buf err2 = FG_BUF_INIT;
		int ret2;

		fg_buf_grow(&gz, bound);
		fg_buf_setlen(&gz, libdeflate_gzip_compress(c, data, size, gz.buf, bound));
		libdeflate_free_compressor(c);
		ret2 = pprof_read((const unsigned char *)gz.buf, gz.len, &q, &err2);
		if (ret2 != ret || strcmp(err.buf, err2.buf))
			fuzz_fail("compressed: %d (%s), bare: %d (%s)", ret2, err2.buf,
				  ret, err.buf);
		if (!ret2)
			profile_release(&q);
		fg_buf_release(&err2);
	}
	if (ret) {
		check_released(&p, ret, &err);
		goto done;
	}
	check_ids(&p);
	{
		struct profile_view view = { 0 };
		struct stack_table t;

		stack_table_init(&t, 1);
		view.value = (int)p.ntypes - 1;
		view.include_tid = 1;
		if (profile_fold(&p, &view, &t))
			fuzz_fail("profile_fold() of a profile read failed");
		stack_table_release(&t);
	}

	fg_buf_reset(&err);
	if (pprof_write(&p, &out, &err))
		fuzz_fail("pprof_write() failed: %s", err.buf);
	ret = pprof_read((const unsigned char *)out.buf, out.len, &q, &err);
	if (ret)
		fuzz_fail("pprof_read() of what pprof_write() wrote: %d %s", ret, err.buf);
	check_ids(&q);
	check_same(&p, &q);
	if (pprof_write(&q, &out2, &err))
		fuzz_fail("pprof_write() failed: %s", err.buf);
	if (out.len != out2.len || memcmp(out.buf, out2.buf, out.len))
		fuzz_fail("written, read and written again: %zu bytes, not %zu",
			  out2.len, out.len);
	profile_release(&q);
	profile_release(&p);
done:
	fg_buf_release(&err);
	fg_buf_release(&out);
	fg_buf_release(&out2);
	fg_buf_release(&gz);
	return 0;
}
