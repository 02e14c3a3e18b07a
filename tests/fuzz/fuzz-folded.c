/*
 * Fuzz target: folded text (svg/folded.c) and the renderer behind it.
 *
 * The input is parsed into a merging stack table, once whole and once in
 * two pieces cut at a line boundary (the two tables must be equal, as
 * folded_parse() promises), then rendered with the default options, with
 * then with one of these variants: inverted, reversed, cut at --base, every
 * frame drawn; negated differential colours, --color-diffusion, a narrow
 * image; a flame chart or a --no-sort graph from a non-merging table.
 * Every SVG written must be well-formed XML whatever the frame names hold.
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../lib/stacks.h"
#include "../../svg/flamegraph.h"

static void check_same(const struct stack_table *a, const struct stack_table *b)
{
	size_t i;

	if (a->nr != b->nr || a->total != b->total || a->has_diff != b->has_diff)
		fuzz_fail("folded_parse() in two pieces: %zu stacks (total %" PRIu64
			  "), whole: %zu (total %" PRIu64 ")",
			  b->nr, b->total, a->nr, a->total);
	for (i = 0; i < a->nr; i++) {
		const struct stack_entry *x = &a->v[i], *y = &b->v[i];

		if (x->len != y->len || memcmp(x->stack, y->stack, x->len) ||
		    x->count != y->count || x->before != y->before)
			fuzz_fail("folded_parse() in two pieces: entry %zu differs", i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct stack_table t, halves, chart;
	struct svg_warnings w = { 0 };
	struct fg_buf err = FG_BUF_INIT;
	struct svg_opts o;
	struct fuzz_rng rng;
	const char *base[3] = { "main", NULL, NULL };
	const char *mid;
	char *first = NULL;
	int ret, ret2;

	stack_table_init(&t, 1);
	ret = folded_parse(&t, text, size, &w, &err);

	/* the same input in two pieces, cut after the newline nearest the middle */
	stack_table_init(&halves, 1);
	mid = memchr(text + size / 2, '\n', size - size / 2);
	{
		size_t cut = mid ? (size_t)(mid - text) + 1 : size;

		ret2 = folded_parse(&halves, text, cut, NULL, NULL);
		if (!ret2)
			ret2 = folded_parse(&halves, text + cut, size - cut, NULL, NULL);
	}
	if (ret != ret2)
		fuzz_fail("folded_parse() returned %d whole, %d in two pieces", ret, ret2);
	check_same(&t, &halves);
	stack_table_release(&halves);

	svg_opts_init(&o);
	fuzz_render(&t, &o);

	/*
	 * One variant more, chosen by the input's hash (so that a reproducer
	 * replays the same way): a render costs a 1 MiB output buffer, slow
	 * under ASan, so not every variant runs every time.
	 */
	fuzz_rng_init(&rng, data, size);
	switch (fuzz_rng_next(&rng) % 4) {
	case 0:
		/* --base with the first frame of the first stack */
		if (t.nr) {
			const char *semi = memchr(t.v[0].stack, ';', t.v[0].len);

			first = xmemdupz(t.v[0].stack,
					 semi ? (size_t)(semi - t.v[0].stack) : t.v[0].len);
			base[1] = first;
		}
		o.direction = SVG_INVERTED;
		o.reverse = 1;
		o.base = base;
		o.min_width = 0;
		o.deterministic = 1;
		o.pretty_xml = 1;
		o.truncate_text_right = 1;
		o.no_javascript = 1;
		o.title = "fuzz <&\"'>";
		o.subtitle = "s\x01";
		fuzz_render(&t, &o);
		free(first);
		break;
	case 1:
		o.negate = 1;
		o.color_diffusion = 1;
		o.factor = 0.5;
		o.image_width = 97;
		o.min_width = 0;
		o.hash = 1;
		o.palette = PAL_RUST;
		fuzz_render(&t, &o);
		break;
	default:
		/* a flame chart, and --no-sort, need the input order */
		stack_table_init(&chart, 0);
		folded_parse(&chart, text, size, NULL, NULL);
		o.no_javascript = 1;
		o.min_width = 0;
		o.deterministic = 1;
		if (fuzz_rng_next(&rng) & 1)
			o.flame_chart = 1;
		else
			o.no_sort = 1;
		fuzz_render(&chart, &o);
		stack_table_release(&chart);
		break;
	}

	stack_table_release(&t);
	fg_buf_release(&err);
	return 0;
}
