/* Unit tests for svg/folded.c: the folded stack reader. */
#include "unit.h"
#include "../../svg/flamegraph.h"
#include "../../lib/error.h"

static const struct stack_entry *find(const struct stack_table *t, const char *stack)
{
	size_t i, n = strlen(stack);

	for (i = 0; i < t->nr; i++)
		if (t->v[i].len == n && !memcmp(t->v[i].stack, stack, n))
			return &t->v[i];
	return NULL;
}

static int parse(struct stack_table *t, const char *text, struct svg_warnings *w)
{
	return folded_parse(t, text, strlen(text), w, NULL);
}

TEST(folded_basic_and_merge)
{
	struct stack_table t;
	struct svg_warnings w = { 0 };

	stack_table_init(&t, 1);
	CHECK(!parse(&t, "a;b;c 3\na;b 2\na;b;c 4\n", &w));
	CHECK_U64EQ(t.nr, 2);
	CHECK_U64EQ(find(&t, "a;b;c")->count, 7);
	CHECK_U64EQ(find(&t, "a;b")->count, 2);
	CHECK_U64EQ(t.total, 9);
	CHECK_U64EQ(w.bad_lines, 0);
	CHECK(!w.fractional);
	CHECK(!t.has_diff);
	stack_table_release(&t);
}

TEST(folded_trim_comments_empty)
{
	struct stack_table t;
	struct svg_warnings w = { 0 };

	stack_table_init(&t, 1);
	CHECK(!parse(&t, "  main;f 1 \r\n\n   \n# austin: header 5\n#x;y 2\n\tmain;f   4\r\n", &w));
	CHECK_U64EQ(t.nr, 2);
	CHECK_U64EQ(find(&t, "main;f")->count, 5);
	CHECK(find(&t, "#x;y") != NULL);	/* only "# " starts a comment */
	CHECK_U64EQ(w.bad_lines, 0);
	stack_table_release(&t);
}

TEST(folded_bad_lines)
{
	struct stack_table t;
	struct svg_warnings w = { 0 };

	stack_table_init(&t, 1);
	CHECK(!parse(&t, "nocount\n5\na;b x\na;b 1x\na;b .5\na;b -3\n"
		      "a;b 99999999999999999999\nok 1\n", &w));
	CHECK_U64EQ(w.bad_lines, 7);
	CHECK_U64EQ(t.nr, 1);
	CHECK_U64EQ(find(&t, "ok")->count, 1);
	stack_table_release(&t);
}

TEST(folded_fractions)
{
	struct stack_table t;
	struct svg_warnings w = { 0 };

	stack_table_init(&t, 1);
	CHECK(!parse(&t, "a 1.000\nb 2.\n", &w));
	CHECK(!w.fractional);
	CHECK_U64EQ(find(&t, "b")->count, 2);
	CHECK(!parse(&t, "a 3.75\n", &w));
	CHECK(w.fractional);
	CHECK_U64EQ(find(&t, "a")->count, 4);	/* 1 + 3 (truncated) */
	stack_table_release(&t);
}

TEST(folded_differential)
{
	struct stack_table t;
	struct svg_warnings w = { 0 };
	const struct stack_entry *e;

	stack_table_init(&t, 1);
	CHECK(!parse(&t, "a;b 10 4\na;c 0 7\na;b 1 1\n", &w));
	CHECK(t.has_diff);
	e = find(&t, "a;b");
	CHECK_U64EQ(e->before, 11);
	CHECK_U64EQ(e->count, 5);
	CHECK_U64EQ(find(&t, "a;c")->count, 7);
	CHECK_U64EQ(t.total, 12);
	/* a stack that ends in a number: "5 6" is stack "5", count 6 */
	stack_table_release(&t);
	stack_table_init(&t, 1);
	CHECK(!parse(&t, "5 6\n", &w));
	CHECK(!t.has_diff);
	CHECK_U64EQ(find(&t, "5")->count, 6);
	stack_table_release(&t);
}

TEST(folded_chunks_equal_whole)
{
	static const char text[] = "x;y 1\nx;z 2\nx;y 3\n# c 1\nq 4";
	struct stack_table a, b;
	struct svg_warnings w = { 0 };
	size_t i;

	stack_table_init(&a, 1);
	stack_table_init(&b, 1);
	CHECK(!parse(&a, text, &w));
	/* feed line by line: every chunk ends at a line boundary */
	for (i = 0; i < sizeof(text) - 1;) {
		const char *nl = memchr(text + i, '\n', sizeof(text) - 1 - i);
		size_t n = nl ? (size_t)(nl - text) + 1 - i : sizeof(text) - 1 - i;

		CHECK(!folded_parse(&b, text + i, n, &w, NULL));
		i += n;
	}
	CHECK_U64EQ(a.nr, b.nr);
	CHECK_U64EQ(find(&b, "x;y")->count, 4);
	CHECK_U64EQ(find(&b, "q")->count, 4);
	stack_table_release(&a);
	stack_table_release(&b);
}

TEST(folded_count_overflow)
{
	struct stack_table t;
	struct svg_warnings w = { 0 };
	struct fg_buf err = FG_BUF_INIT;
	static const char text[] = "a 18446744073709551615\na 1\n";

	stack_table_init(&t, 1);
	CHECK(folded_parse(&t, text, sizeof(text) - 1, &w, &err) == -FG_ERR_COUNT_OVERFLOW);
	CHECK(err.len > 0);
	CHECK_U64EQ(find(&t, "a")->count, UINT64_MAX);
	fg_buf_release(&err);
	stack_table_release(&t);
}

TEST(folded_no_merge_keeps_order)
{
	struct stack_table t;

	stack_table_init(&t, 0);
	CHECK(!parse(&t, "b 1\na 2\nb 3\n", NULL));
	CHECK_U64EQ(t.nr, 3);
	CHECK(t.v[0].len == 1 && t.v[0].stack[0] == 'b');
	CHECK_U64EQ(t.v[2].count, 3);
	stack_table_release(&t);
}
