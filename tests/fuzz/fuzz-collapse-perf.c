/*
 * Fuzz target: the perf-script collapser (profiler/collapse-perf.c).
 *
 * The input is collapsed three times: whole, with default options; fed in
 * pieces of random sizes (each piece an exact-size heap copy, so that a
 * read past a piece is caught), with default options, which must give the
 * same stacks and counters as the whole input; and in pieces with every
 * option set (pid/tid roots, addresses, kernel and JIT annotations, an
 * event filter, --skip-after).
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../lib/error.h"
#include "../../lib/stacks.h"
#include "../../profiler/collapse-perf.h"

/*
 * Collapse data (in pieces when rng is given) into profile p (which the
 * caller releases after t, which may point into it), folded into t as
 * view says.
 */
static int collapse(struct profile *p, struct stack_table *t,
		    const struct collapse_opts *opts,
		    const struct profile_view *view, const uint8_t *data,
		    size_t size, struct fuzz_rng *rng, struct collapse_stats *st)
{
	static const struct profile_value_type samples = { "samples", "count" };
	struct collapse_perf *c;
	struct fg_buf err = FG_BUF_INIT;
	const char *w;
	size_t off = 0;
	int ret = 0;

	profile_init(p, &samples, 1);
	c = collapse_perf_new(p, opts);
	while (off < size && !ret) {
		size_t n = size - off;
		char *piece;

		if (rng) {
			/* mostly small pieces, now and then a large one */
			uint64_t r = fuzz_rng_next(rng);
			size_t max = (r & 7) ? 16 : 4096;

			n = 1 + (size_t)((r >> 3) % max);
			if (n > size - off)
				n = size - off;
		}
		piece = xmalloc(n);
		memcpy(piece, data + off, n);
		ret = collapse_perf_feed(c, piece, n, &err);
		free(piece);
		off += n;
		/* valid until the next feed: read it now */
		for (w = collapse_perf_first_weird(c); w && *w; w += strlen(w) + 1)
			if (strlen(w) > 300)
				fuzz_fail("weird line entry of %zu bytes", strlen(w));
	}
	if (!ret)
		ret = collapse_perf_finish(c, &err);
	*st = *collapse_perf_stats(c);
	collapse_perf_free(c);
	/*
	 * Threads of one name fold into one stack, whose count may overflow
	 * where no thread's did: an error the fold reports, the same in
	 * pieces and whole, which the caller compares.
	 */
	if (profile_fold(p, view, t) < 0 && !ret)
		ret = -FG_ERR_COUNT_OVERFLOW;
	fg_buf_release(&err);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const skip[] = { "main", "std::rt::lang_start", NULL };
	static const struct profile_view plain, tids = { .include_pid = 1, .include_tid = 1 };
	struct collapse_opts all = {
		.include_addrs = 1,
		.annotate_kernel = 1,
		.annotate_jit = 1,
		.event_filter = "cycles",
		.skip_after = skip,
	};
	struct stack_table whole, pieces, other;
	struct profile pw, pp, po;
	struct collapse_stats s1, s2, s3;
	struct fuzz_rng rng;
	int r1, r2;
	size_t i;

	fuzz_rng_init(&rng, data, size);
	stack_table_init(&whole, 1);
	stack_table_init(&pieces, 1);
	r1 = collapse(&pw, &whole, NULL, &plain, data, size, NULL, &s1);
	r2 = collapse(&pp, &pieces, NULL, &plain, data, size, &rng, &s2);
	if (r1 != r2)
		fuzz_fail("collapse returned %d whole, %d in pieces", r1, r2);
	if (memcmp(&s1, &s2, sizeof(s1)))
		fuzz_fail("counters differ whole and in pieces (events %" PRIu64
			  "/%" PRIu64 ", lines %" PRIu64 "/%" PRIu64 ")",
			  s1.events, s2.events, s1.lines, s2.lines);
	if (whole.nr != pieces.nr || whole.total != pieces.total)
		fuzz_fail("%zu stacks whole, %zu in pieces", whole.nr, pieces.nr);
	for (i = 0; i < whole.nr; i++) {
		const struct stack_entry *a = &whole.v[i], *b = &pieces.v[i];

		if (a->len != b->len || memcmp(a->stack, b->stack, a->len) ||
		    a->count != b->count)
			fuzz_fail("stack %zu differs whole and in pieces: '%.*s' / '%.*s'",
				  i, (int)a->len, a->stack, (int)b->len, b->stack);
	}
	stack_table_release(&whole);
	stack_table_release(&pieces);
	profile_release(&pw);
	profile_release(&pp);

	stack_table_init(&other, 1);
	collapse(&po, &other, &all, &tids, data, size, &rng, &s3);
	stack_table_release(&other);
	profile_release(&po);
	return 0;
}
