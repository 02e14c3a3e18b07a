#include "unit.h"
#include "../../lib/stacks.h"
#include "../../lib/error.h"

static const char *entry(const struct stack_table *t, size_t i, char *buf,
			 size_t size)
{
	snprintf(buf, size, "%.*s %" PRIu64, (int)t->v[i].len, t->v[i].stack,
		 t->v[i].count);
	return buf;
}

TEST(stacks_merge_adds_counts)
{
	struct stack_table t;
	char b[64];

	stack_table_init(&t, 1);
	CHECK(!stack_table_add(&t, "a;b", 3, 2));
	CHECK(!stack_table_add(&t, "a;c", 3, 1));
	CHECK(!stack_table_add(&t, "a;bX", 3, 5));	/* only len bytes count */
	CHECK(t.nr == 2);
	CHECK_STREQ(entry(&t, 0, b, sizeof(b)), "a;b 7");
	CHECK_U64EQ(t.total, 8);
	stack_table_release(&t);
	CHECK(t.nr == 0 && t.v == NULL);
}

TEST(stacks_no_merge_keeps_every_line_but_repeats)
{
	struct stack_table t;
	char b[64];

	stack_table_init(&t, 0);
	stack_table_add(&t, "x", 1, 1);
	stack_table_add(&t, "y", 1, 1);
	stack_table_add(&t, "x", 1, 1);
	CHECK(t.nr == 3);
	/* the same stack at once again is one entry */
	stack_table_add(&t, "x", 1, 2);
	CHECK(t.nr == 3);
	CHECK_U64EQ(t.total, 5);
	stack_table_reverse(&t);
	CHECK_STREQ(entry(&t, 0, b, sizeof(b)), "x 3");
	CHECK_STREQ(entry(&t, 1, b, sizeof(b)), "y 1");
	stack_table_release(&t);
}

TEST(stacks_sort_is_byte_order)
{
	struct stack_table t;
	char b[64];
	static const char *const in[] = { "a;b;c", "a;b", "a;b!x", "B", "\xc3\xa9" };
	size_t i;

	stack_table_init(&t, 1);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		stack_table_add(&t, in[i], strlen(in[i]), i + 1);
	stack_table_sort(&t);
	CHECK_STREQ(entry(&t, 0, b, sizeof(b)), "B 4");
	CHECK_STREQ(entry(&t, 1, b, sizeof(b)), "a;b 2");
	CHECK_STREQ(entry(&t, 2, b, sizeof(b)), "a;b!x 3");
	CHECK_STREQ(entry(&t, 3, b, sizeof(b)), "a;b;c 1");
	CHECK_STREQ(entry(&t, 4, b, sizeof(b)), "\xc3\xa9 5");
	/* the index still finds entries after the sort */
	stack_table_add(&t, "a;b", 3, 10);
	CHECK(t.nr == 5);
	CHECK_STREQ(entry(&t, 1, b, sizeof(b)), "a;b 12");
	stack_table_release(&t);
}

TEST(stacks_overflow_is_an_error_and_changes_nothing)
{
	struct stack_table t;

	stack_table_init(&t, 1);
	CHECK(!stack_table_add(&t, "a", 1, UINT64_MAX - 1));
	CHECK(stack_table_add(&t, "a", 1, 2) == -FG_ERR_COUNT_OVERFLOW);
	CHECK_U64EQ(t.v[0].count, UINT64_MAX - 1);
	CHECK(!stack_table_add(&t, "b", 1, 1));
	CHECK(t.nr == 2);
	stack_table_release(&t);
}

TEST(stacks_many_distinct_and_diff)
{
	struct stack_table t;
	char name[32];
	int i;

	stack_table_init(&t, 1);
	for (i = 0; i < 100000; i++) {
		int n = snprintf(name, sizeof(name), "main;f%d", i % 50000);
		stack_table_add(&t, name, (size_t)n, 1);
	}
	CHECK(t.nr == 50000);
	CHECK_U64EQ(t.total, 100000);
	for (i = 0; i < 50000; i++)
		CHECK(t.v[i].count == 2);
	stack_table_release(&t);

	stack_table_init(&t, 1);
	stack_table_add_diff(&t, "a;b", 3, 5, 7);
	stack_table_add_diff(&t, "a;b", 3, 1, 1);
	CHECK(t.has_diff);
	CHECK_U64EQ(t.v[0].before, 6);
	CHECK_U64EQ(t.v[0].count, 8);
	stack_table_release(&t);
}

TEST(stacks_write_folded)
{
	struct stack_table t;
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);

	stack_table_init(&t, 1);
	stack_table_add(&t, "b;c", 3, 2);
	stack_table_add(&t, "a", 1, 1);
	stack_table_sort(&t);
	CHECK(!stack_table_write(&t, fp));
	fclose(fp);
	CHECK_STREQ(text, "a 1\nb;c 2\n");
	free(text);
	stack_table_release(&t);
}
