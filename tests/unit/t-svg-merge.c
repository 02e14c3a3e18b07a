/* Unit tests for svg/merge.c: line preparation and the flow algorithm. */
#include "unit.h"
#include "../../svg/svg-internal.h"
#include "../../lib/error.h"

static void load(struct stack_table *t, int merge, const char *text)
{
	stack_table_init(t, merge);
	if (folded_parse(t, text, strlen(text), NULL, NULL))
		unit_fail(__FILE__, __LINE__, "parse failed");
}

/* "name@depth[start,end)" for every frame, in order, joined by spaces */
static char *frames_str(const struct merge_frames *mf)
{
	struct fg_buf sb = FG_BUF_INIT;
	size_t i;

	for (i = 0; i < mf->nr; i++) {
		const struct svg_frame *f = &mf->v[i];

		fg_buf_addf(&sb, "%s%.*s@%u[%" PRIu64 ",%" PRIu64 ")", i ? " " : "",
			    (int)f->len, f->name, f->depth, f->start, f->end);
	}
	return fg_buf_detach(&sb, NULL);
}

static char *run(const char *text, const struct svg_opts *o, double min_width,
		 uint32_t *depth_max)
{
	struct stack_table t;
	struct merge_lines ml;
	struct merge_frames mf;
	char *s;

	load(&t, !(o->flame_chart || o->no_sort), text);
	if (merge_lines_build(&ml, &t, o)) {
		merge_lines_release(&ml);
		stack_table_release(&t);
		return xstrdup("error");
	}
	merge_frames_build(&mf, &ml, t.has_diff, min_width);
	s = frames_str(&mf);
	if (depth_max)
		*depth_max = mf.depth_max;
	merge_frames_release(&mf);
	merge_lines_release(&ml);
	stack_table_release(&t);
	return s;
}

TEST(flow_adjacent_lines_only)
{
	struct svg_opts o;
	uint32_t dm;
	char *s;

	svg_opts_init(&o);
	/* '!' sorts between ' ' and ';': two separate "b" frames */
	s = run("a;b;c 3\na;b 1\na;b!x 2\n", &o, 0, &dm);
	CHECK_STREQ(s, "b@2[0,1) b!x@2[1,3) @0[0,6) a@1[0,6) b@2[3,6) c@3[3,6)");
	CHECK_U64EQ(dm, 3);
	free(s);
}

TEST(flow_shared_prefix_and_close_order)
{
	struct svg_opts o;
	char *s;

	svg_opts_init(&o);
	s = run("m;f;g 2\nm;f;h;i 3\nm;k 1\n", &o, 0, NULL);
	CHECK_STREQ(s, "g@3[0,2) f@2[0,5) h@3[2,5) i@4[2,5) @0[0,6) m@1[0,6) k@2[5,6)");
	free(s);
}

TEST(flow_min_width_prunes)
{
	struct svg_opts o;
	uint32_t dm;
	char *s;

	svg_opts_init(&o);
	/* 1 of 1000 samples is 0.1%: dropped at min-width 0.5 */
	s = run("a;b;c;d 1\na;x 999\n", &o, 0.5, &dm);
	CHECK_STREQ(s, "@0[0,1000) a@1[0,1000) x@2[1,1000)");
	CHECK_U64EQ(dm, 2);
	free(s);
}

TEST(flow_differential_leaf_only)
{
	struct stack_table t;
	struct svg_opts o;
	struct merge_lines ml;
	struct merge_frames mf;
	size_t i;

	svg_opts_init(&o);
	load(&t, 1, "a;b 10 4\na;c 1 5\n");
	CHECK(!merge_lines_build(&ml, &t, &o));
	CHECK_U64EQ(ml.delta_max, 6);
	merge_frames_build(&mf, &ml, 1, 0);
	for (i = 0; i < mf.nr; i++) {
		const struct svg_frame *f = &mf.v[i];

		CHECK(f->has_delta);
		if (f->len == 1 && f->name[0] == 'b')
			CHECK(f->dmag == 6 && f->dneg);
		else if (f->len == 1 && f->name[0] == 'c')
			CHECK(f->dmag == 4 && !f->dneg);
		else
			CHECK_U64EQ(f->dmag, 0);
	}
	merge_frames_release(&mf);
	merge_lines_release(&ml);
	stack_table_release(&t);
}

TEST(lines_base_reverse_flamechart)
{
	struct svg_opts o;
	const char *base[] = { "run", "main", NULL };
	char *s;

	svg_opts_init(&o);
	o.base = base;
	/* cut at the base closest to the leaf; lines without one dropped */
	s = run("start;main;x;run;y 2\nstart;main;z 1\nother;q 5\n", &o, 0, NULL);
	CHECK_STREQ(s, "main@1[0,1) z@2[0,1) @0[0,3) run@1[1,3) y@2[1,3)");
	free(s);

	svg_opts_init(&o);
	o.reverse = 1;
	/* "[u8; 8]" split on ';' leaves " 8]", trimmed when it leads */
	s = run("f;[u8; 8] 1\na;b 2\n", &o, 0, NULL);
	CHECK_STREQ(s, "8]@1[0,1) [u8@2[0,1) f@3[0,1) @0[0,3) b@1[1,3) a@2[1,3)");
	free(s);

	svg_opts_init(&o);
	o.flame_chart = 1;
	/* inferno: the last input line is drawn first; no merging */
	s = run("a;b 1\nc 2\na;b 3\n", &o, 0, NULL);
	CHECK_STREQ(s, "a@1[0,3) b@2[0,3) c@1[3,5) @0[0,6) a@1[5,6) b@2[5,6)");
	free(s);
}

TEST(lines_no_sort)
{
	struct svg_opts o;
	char *s;

	svg_opts_init(&o);
	o.no_sort = 1;
	s = run("a 1\nb 2\n", &o, 0, NULL);
	CHECK_STREQ(s, "a@1[0,1) @0[0,3) b@1[1,3)");
	free(s);
	s = run("b 1\na 2\n", &o, 0, NULL);
	CHECK_STREQ(s, "error");
	free(s);
}

static int cmp_lines(const void *a, const void *b)
{
	const struct svg_line *x = a, *y = b;

	return stack_cmp(x->s, x->len, y->s, y->len);
}

TEST(lines_sort_matches_memcmp_order)
{
	static const char alphabet[] = { ';', 'a', 'b', '!', ' ', '\0', (char)0xe9 };
	struct stack_table t;
	struct svg_opts o;
	struct merge_lines ml;
	struct svg_line *ref;
	uint64_t x = 88172645463325252ULL;
	size_t i, j;
	char buf[64];

	svg_opts_init(&o);
	stack_table_init(&t, 1);
	for (i = 0; i < 3000; i++) {
		size_t n;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = 1 + x % 40;
		/* a long common prefix, then random bytes */
		for (j = 0; j < n; j++)
			buf[j] = j < 12 ? "common;pref;"[j]
				: alphabet[(x >> (j % 50)) % sizeof(alphabet)];
		stack_table_add(&t, buf, n, 1);
	}
	CHECK(!merge_lines_build(&ml, &t, &o));
	ref = xcalloc(ml.nr, sizeof(*ref));
	for (i = 0; i < t.nr; i++) {
		ref[i].s = t.v[i].stack;
		ref[i].len = t.v[i].len;
	}
	qsort(ref, t.nr, sizeof(*ref), cmp_lines);
	CHECK_U64EQ(ml.nr, t.nr);
	for (i = 0; i < ml.nr; i++)
		if (ml.v[i].s != ref[i].s) {
			CHECK(!"sorted order differs");
			break;
		}
	free(ref);
	merge_lines_release(&ml);
	stack_table_release(&t);
}

TEST(lines_total_overflow)
{
	struct stack_table t;
	struct svg_opts o;
	struct merge_lines ml;

	svg_opts_init(&o);
	stack_table_init(&t, 1);
	stack_table_add(&t, "a", 1, UINT64_MAX - 1);
	stack_table_add(&t, "b", 1, 2);
	CHECK(merge_lines_build(&ml, &t, &o) == -FG_ERR_COUNT_OVERFLOW);
	merge_lines_release(&ml);
	stack_table_release(&t);
}

TEST(deannotate)
{
	CHECK_U64EQ(svg_deannotate_len("foo_[k]", 7), 3);
	CHECK_U64EQ(svg_deannotate_len("foo_[j]", 7), 3);
	CHECK_U64EQ(svg_deannotate_len("foo_[x]", 7), 7);
	CHECK_U64EQ(svg_deannotate_len("_[i]", 4), 0);
	CHECK_U64EQ(svg_deannotate_len("[k]", 3), 3);
}
