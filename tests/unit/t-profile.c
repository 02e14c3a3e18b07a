#include "unit.h"
#include "../../profiler/profile.h"
#include "../../profiler/collapse-perf.h"

static const struct profile_value_type two[] = {
	{ "samples", "count" }, { "cpu", "nanoseconds" },
};

/* Fold p as view says, sorted, into one string of "stack count\n" lines. */
static char *fold(const struct profile *p, const struct profile_view *v)
{
	struct stack_table t;
	struct fg_buf b = FG_BUF_INIT;
	size_t i;

	stack_table_init(&t, 1);
	if (profile_fold(p, v, &t))
		return NULL;
	stack_table_sort(&t);
	for (i = 0; i < t.nr; i++)
		fg_buf_addf(&b, "%.*s %" PRIu64 "\n", (int)t.v[i].len, t.v[i].stack,
			    t.v[i].count);
	stack_table_release(&t);
	return fg_buf_detach(&b, NULL);
}

TEST(profile_interns_strings_threads_stacks)
{
	struct profile p;
	uint32_t a, b, s1, s2, s3, t1, t2;
	uint32_t ids[3];

	profile_init(&p, two, 2);
	CHECK(profile_string(&p, "abc", 3) == profile_string(&p, "abcdef", 3));
	CHECK(profile_string(&p, "abc", 3) != profile_string(&p, "ab", 2));
	a = profile_named_location(&p, "main", 4);
	b = profile_named_location(&p, "work", 4);
	CHECK(a != b);
	CHECK(profile_named_location(&p, "main", 4) == a);
	ids[0] = a;
	ids[1] = b;
	s1 = profile_stack(&p, ids, 2);
	s2 = profile_stack(&p, ids, 1);
	s3 = profile_stack(&p, ids, 2);
	CHECK(s1 == s3 && s1 != s2);
	CHECK_U64EQ(p.nstacks, 2);
	t1 = profile_thread(&p, 10, 11, "w", 1);
	t2 = profile_thread(&p, 10, 11, "x", 1);
	CHECK(t1 != t2);
	CHECK(profile_thread(&p, 10, 11, "w", 1) == t1);
	CHECK(profile_thread(&p, 10, 12, "w", 1) != t1);
	CHECK(profile_type_index(&p, "cpu") == 1);
	CHECK(profile_type_index(&p, "wall") == -1);
	profile_release(&p);
}

TEST(profile_aggregates_by_stack_and_thread)
{
	struct profile p;
	uint32_t ids[2], s, t1, t2;
	uint64_t v[2] = { 1, 1000 };

	profile_init(&p, two, 2);
	ids[0] = profile_named_location(&p, "main", 4);
	ids[1] = profile_named_location(&p, "work", 4);
	s = profile_stack(&p, ids, 2);
	t1 = profile_thread(&p, 1, 1, "prog", 4) + 1;
	t2 = profile_thread(&p, 1, 2, "prog", 4) + 1;
	profile_add(&p, s, t1, v);
	profile_add(&p, s, t1, v);
	profile_add(&p, s, t2, v);
	CHECK_U64EQ(p.nsamples, 2);
	CHECK_U64EQ(profile_values(&p, 0)[0], 2);
	CHECK_U64EQ(profile_values(&p, 0)[1], 2000);
	CHECK_U64EQ(profile_values(&p, 1)[0], 1);
	v[0] = UINT64_MAX;
	profile_add(&p, s, t2, v);
	CHECK_U64EQ(profile_values(&p, 1)[0], UINT64_MAX);
	profile_release(&p);
}

TEST(profile_fold_views)
{
	static const char *const skip[] = { "work", NULL };
	struct profile p;
	struct profile_view v = { 0 };
	struct profile_line inl[2] = { { "inner", NULL, NULL, 0 }, { "outer", NULL, NULL, 0 } };
	uint32_t ids[3], s, t1, t2, m;
	uint64_t one[2] = { 1, 10 };
	char *out;

	profile_init(&p, two, 2);
	m = profile_add_mapping(&p, "/usr/lib/libx.so", NULL, 0, 0x1000, 0x2000, 0);
	ids[0] = profile_named_location(&p, "main", 4);
	ids[1] = profile_add_location(&p, m + 1, 0x10, inl, 2);
	ids[2] = profile_add_location(&p, m + 1, 0x20, NULL, 0);
	s = profile_stack(&p, ids, 3);
	t1 = profile_thread(&p, 7, 7, "my prog;x", 9) + 1;
	t2 = profile_thread(&p, 7, 8, "my prog;x", 9) + 1;
	profile_add(&p, s, t1, one);
	profile_add(&p, s, t2, one);
	profile_add(&p, s, t2, one);

	out = fold(&p, &v);
	CHECK_STREQ(out, "my_prog:x;main;outer;inner;[libx.so] 3\n");
	free(out);
	v.include_pid = 1;
	out = fold(&p, &v);
	CHECK_STREQ(out, "my_prog:x-7;main;outer;inner;[libx.so] 3\n");
	free(out);
	v.include_tid = 1;
	out = fold(&p, &v);
	CHECK_STREQ(out, "my_prog:x-7/7;main;outer;inner;[libx.so] 1\n"
			 "my_prog:x-7/8;main;outer;inner;[libx.so] 2\n");
	free(out);
	v.include_tid = 0;
	v.value = 1;
	out = fold(&p, &v);
	CHECK_STREQ(out, "my_prog:x-7;main;outer;inner;[libx.so] 30\n");
	free(out);
	/* --skip-after matches any inline name; the root goes too */
	v.value = 0;
	v.include_pid = 0;
	v.skip_after = skip;
	out = fold(&p, &v);
	CHECK_STREQ(out, "my_prog:x;main;outer;inner;[libx.so] 3\n");
	free(out);
	{
		static const char *const skip2[] = { "inner", NULL };

		v.skip_after = skip2;
		out = fold(&p, &v);
		CHECK_STREQ(out, "outer;inner;[libx.so] 3\n");
		free(out);
	}
	profile_release(&p);
}

/*
 * One table of names and their folded form, for every input: the native
 * path (profile_tidy_name) and perf script text (the collapser).
 */
static const struct { const char *in, *out; } tidy_cases[] = {
	{ "foo(int, char)", "foo" },
	{ "ns::f<void (int)>(int)", "ns::f<void (int)>" },
	{ "std::function<void (int, int)>::operator(int, int)",
	  "std::function<void (int, int)>::operator" },
	{ "(anonymous namespace)::g(int)", "(anonymous namespace)::g" },
	{ "go/build.(*importReader).readByte", "go/build.(*importReader).readByte" },
	{ "main.(*T).Run(x)", "main.(*T).Run" },
	{ "a;b", "a:b" },
	{ "tab\there", "tab?here" },
	{ "esc\x1b[31m", "esc?[31m" },
	{ "del\x7f", "del?" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "{closure}(x)", "{closure}" },
	{ "f)(x)", "f)(x)" },
	{ "a>(b)", "a>(b)" },
	{ "[vdso]", "[vdso]" },
	{ "a<b>::c() const", "a<b>::c" },
};

TEST(profile_tidy_names)
{
	struct fg_buf b = FG_BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tidy_cases); i++) {
		fg_buf_reset(&b);
		profile_tidy_name(&b, tidy_cases[i].in, strlen(tidy_cases[i].in));
		CHECK_STREQ(b.buf, tidy_cases[i].out);
	}
	fg_buf_release(&b);
}

TEST(profile_tidy_names_same_in_perf_script)
{
	struct fg_buf in = FG_BUF_INIT, want = FG_BUF_INIT;
	struct stack_table t;
	struct collapse_perf *c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tidy_cases); i++) {
		fg_buf_reset(&in);
		fg_buf_addf(&in, "prog 1 1.0: 1 cpu-clock:\n\t1000 %s (/bin/prog)\n\n",
			    tidy_cases[i].in);
		fg_buf_reset(&want);
		fg_buf_addf(&want, "prog;%s", tidy_cases[i].out);
		stack_table_init(&t, 1);
		c = collapse_perf_new(&t, NULL);
		CHECK(collapse_perf_feed(c, in.buf, in.len, NULL) == 0);
		CHECK(collapse_perf_finish(c, NULL) == 0);
		collapse_perf_free(c);
		CHECK(t.nr == 1);
		if (t.nr == 1) {
			char *got = xmemdupz(t.v[0].stack, t.v[0].len);

			CHECK_STREQ(got, want.buf);
			free(got);
		}
		stack_table_release(&t);
	}
	fg_buf_release(&in);
	fg_buf_release(&want);
}

TEST(profile_unnamed_locations)
{
	struct profile p;
	struct fg_buf b = FG_BUF_INIT;
	uint32_t k, l, u;

	profile_init(&p, two, 1);
	k = profile_add_mapping(&p, "[kernel.kallsyms]", NULL, 0, 0, 0, 0);
	l = profile_add_location(&p, k + 1, 0xffffffff81000000ULL, NULL, 0);
	u = profile_add_location(&p, 0, 0, NULL, 0);
	profile_location_fold(&p, l, &b);
	CHECK_STREQ(b.buf, "[kernel.kallsyms]");
	fg_buf_reset(&b);
	profile_location_fold(&p, u, &b);
	CHECK_STREQ(b.buf, "[unknown]");
	fg_buf_release(&b);
	profile_release(&p);
}
