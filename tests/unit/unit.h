#ifndef FG_UNIT_H
#define FG_UNIT_H

/*
 * A minimal unit-test harness. Each test file defines tests with
 *
 *	TEST(buf_add_grows) { ... CHECK(x == 1); CHECK_STREQ(a, b); ... }
 *
 * and nothing else: unit.c provides main(), which runs every test in
 * definition order and prints one "ok - NAME" or "not ok - NAME" line per
 * test (the format tests/run-tests.sh counts). A failed CHECK prints the
 * file, line and values, marks the test failed and goes on.
 */

#include "../../lib/common.h"

typedef void (*unit_fn)(void);
void unit_register(const char *name, unit_fn fn);
void unit_fail(const char *file, int line, const char *fmt, ...) FG_PRINTF(3, 4);

struct profile;
struct profile_view;
/*
 * The folded text of p as view says, one "stack count\n" line per stack:
 * merged and sorted (UNIT_FOLD_SORTED), or in the order profile_fold()
 * makes them (UNIT_FOLD_IN_ORDER). NULL, and the test failed, when
 * profile_fold() fails. The caller frees it.
 */
enum { UNIT_FOLD_IN_ORDER, UNIT_FOLD_SORTED };
char *unit_fold(const struct profile *p, const struct profile_view *v, int how);

#define TEST(name) \
	static void test_##name(void); \
	__attribute__((constructor)) static void register_##name(void) \
	{ unit_register(#name, test_##name); } \
	static void test_##name(void)

#define CHECK(cond) \
	do { if (!(cond)) unit_fail(__FILE__, __LINE__, "%s", #cond); } while (0)

#define CHECK_STREQ(a, b) \
	do { const char *a_ = (a), *b_ = (b); \
	     if (!a_ || !b_ || strcmp(a_, b_)) \
		unit_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
			  a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)

#define CHECK_U64EQ(a, b) \
	do { uint64_t a_ = (a), b_ = (b); \
	     if (a_ != b_) \
		unit_fail(__FILE__, __LINE__, "%s == %s: %" PRIu64 " != %" PRIu64, \
			  #a, #b, a_, b_); } while (0)

#endif
