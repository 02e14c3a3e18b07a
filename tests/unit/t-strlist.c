#include "unit.h"
#include "../../lib/strlist.h"

TEST(strlist_zero_is_empty)
{
	struct fg_strlist l = { 0 };

	CHECK(l.nr == 0);
	CHECK(fg_strlist_nullterm(&l) == NULL);
	fg_strlist_release(&l);
	CHECK(l.v == NULL && l.nr == 0 && l.alloc == 0);
}

TEST(strlist_append_keeps_order_and_terminates)
{
	struct fg_strlist l = { 0 };
	char names[1000][8];
	const char *const *v;
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(names[i], sizeof(names[i]), "s%d", i);
		fg_strlist_append(&l, names[i]);
		/* NULL-terminated after every append, usable as an argv */
		CHECK(l.v[l.nr] == NULL);
	}
	CHECK(l.nr == 1000);
	CHECK(l.alloc > l.nr);
	v = fg_strlist_nullterm(&l);
	CHECK(v == l.v);
	CHECK_STREQ(v[0], "s0");
	CHECK_STREQ(v[999], "s999");
	CHECK(v[1000] == NULL);
	/* the strings are not copied */
	CHECK(v[42] == names[42]);
	fg_strlist_release(&l);
	CHECK(l.v == NULL && l.nr == 0 && l.alloc == 0);
}

TEST(strlist_reusable_after_release)
{
	struct fg_strlist l = { 0 };

	fg_strlist_append(&l, "a");
	fg_strlist_append(&l, "b");
	fg_strlist_release(&l);
	CHECK(fg_strlist_nullterm(&l) == NULL);
	fg_strlist_append(&l, "c");
	CHECK(l.nr == 1);
	CHECK_STREQ(fg_strlist_nullterm(&l)[0], "c");
	CHECK(l.v[1] == NULL);
	fg_strlist_release(&l);
}
