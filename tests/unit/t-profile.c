#include "unit.h"
#include "../../profiler/profile.h"
#include "../../profiler/collapse-perf.h"
#include "../../lib/error.h"

static const struct profile_value_type two[] = {
	{ "samples", "count" }, { "cpu", "nanoseconds" },
};

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
	CHECK(!profile_add(&p, s, t1, v));
	CHECK(!profile_add(&p, s, t1, v));
	CHECK(!profile_add(&p, s, t2, v));
	CHECK_U64EQ(p.nsamples, 2);
	CHECK_U64EQ(profile_values(&p, 0)[0], 2);
	CHECK_U64EQ(profile_values(&p, 0)[1], 2000);
	CHECK_U64EQ(profile_values(&p, 1)[0], 1);
	/* a sum that would overflow: an error, and no value changes */
	v[0] = UINT64_MAX;
	CHECK(profile_add(&p, s, t2, v) == -FG_ERR_COUNT_OVERFLOW);
	CHECK_U64EQ(profile_values(&p, 1)[0], 1);
	CHECK_U64EQ(profile_values(&p, 1)[1], 1000);
	profile_release(&p);
}

TEST(profile_fold_views)
{
	static const char *const skip[] = { "work", NULL };
	struct profile p;
	struct profile_view v = { 0 };
	struct profile_line inl[2] = { { "inner", NULL, NULL, 0, 0 }, { "outer", NULL, NULL, 0, 0 } };
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

	out = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(out, "my_prog:x;main;outer;inner;[libx.so] 3\n");
	free(out);
	v.include_pid = 1;
	out = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(out, "my_prog:x-7;main;outer;inner;[libx.so] 3\n");
	free(out);
	v.include_tid = 1;
	out = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(out, "my_prog:x-7/7;main;outer;inner;[libx.so] 1\n"
			 "my_prog:x-7/8;main;outer;inner;[libx.so] 2\n");
	free(out);
	v.include_tid = 0;
	v.value = 1;
	out = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(out, "my_prog:x-7;main;outer;inner;[libx.so] 30\n");
	free(out);
	/* --skip-after matches any inline name; the root goes too */
	v.value = 0;
	v.include_pid = 0;
	v.skip_after = skip;
	out = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(out, "my_prog:x;main;outer;inner;[libx.so] 3\n");
	free(out);
	{
		static const char *const skip2[] = { "inner", NULL };

		v.skip_after = skip2;
		out = unit_fold(&p, &v, UNIT_FOLD_SORTED);
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
	struct profile_view v = { 0 };
	struct collapse_perf *c;
	struct profile p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tidy_cases); i++) {
		char *got;

		fg_buf_reset(&in);
		fg_buf_addf(&in, "prog 1 1.0: 1 cpu-clock:\n\t1000 %s (/bin/prog)\n\n",
			    tidy_cases[i].in);
		fg_buf_reset(&want);
		fg_buf_addf(&want, "prog;%s 1\n", tidy_cases[i].out);
		profile_init(&p, two, 1);
		c = collapse_perf_new(&p, NULL);
		CHECK(collapse_perf_feed(c, in.buf, in.len, NULL) == 0);
		CHECK(collapse_perf_finish(c, NULL) == 0);
		collapse_perf_free(c);
		got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
		CHECK_STREQ(got, want.buf);
		free(got);
		profile_release(&p);
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
	profile_location_fold(&p, l, 1, &b);
	CHECK_STREQ(b.buf, "[kernel.kallsyms]");
	profile_location_fold(&p, u, 0, &b);
	CHECK_STREQ(b.buf, "[kernel.kallsyms];[unknown]");
	fg_buf_release(&b);
	profile_release(&p);
}

TEST(profile_text_stacks_are_written_as_given)
{
	static const struct profile_value_type one = { "samples", "count" };
	struct profile_view v = { 0 };
	struct profile p;
	uint64_t n1 = 1, n2 = 2;
	uint32_t s1, s2, s3, s4;
	char *got;

	profile_init(&p, &one, 1);
	s1 = profile_text_stack(&p, "main;foo(int);bar", 17);
	s2 = profile_text_stack(&p, "main;foo(int);bar", 17);
	s3 = profile_text_stack(&p, ";main;;bar;", 11);
	s4 = profile_text_stack(&p, "a\0b;c", 5);
	CHECK(s1 == s2 && s1 != s3 && s3 != s4);
	CHECK(profile_text_stack(&p, "a?b;c", 5) == s4);
	/* no frames until asked for */
	CHECK_U64EQ(p.nlocations, 0);
	profile_resolve_text(&p);
	/* frames are shared by name: main, foo(int), bar, "", a?b, c */
	CHECK_U64EQ(p.nlocations, 6);
	{
		size_t n;
		const uint32_t *ids = profile_stack_ids(&p, s3, &n);

		CHECK(n == 5 && ids[0] == ids[2] && ids[2] == ids[4]);
		CHECK_STREQ(p.lines[p.locations[ids[3]].first_line].function, "bar");
	}
	profile_resolve_text(&p);	/* once is enough */
	CHECK_U64EQ(p.nlocations, 6);
	CHECK(!profile_add(&p, s1, 0, &n1));
	CHECK(!profile_add(&p, s3, 0, &n2));
	CHECK(!profile_add(&p, s4, 0, &n1));
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	/* no tidying: the argument list stays, empty frames stay */
	CHECK_STREQ(got, ";main;;bar; 2\na?b;c 1\nmain;foo(int);bar 1\n");
	free(got);
	profile_release(&p);
}

TEST(profile_add_overflows_or_saturates_with_a_timeline)
{
	static const struct profile_value_type one = { "samples", "count" };
	struct profile p;
	uint64_t big = UINT64_MAX - 1, two = 2;
	uint32_t s;

	profile_init(&p, &one, 1);
	s = profile_text_stack(&p, "a", 1);
	CHECK(!profile_add(&p, s, 0, &big));
	CHECK(profile_add(&p, s, 0, &two) == -FG_ERR_COUNT_OVERFLOW);
	CHECK_U64EQ(profile_values(&p, 0)[0], UINT64_MAX - 1);
	profile_keep_timeline(&p);
	CHECK(!profile_add_at(&p, 1, s, 0, &two));
	CHECK_U64EQ(profile_values(&p, 0)[0], UINT64_MAX);
	profile_release(&p);
}

TEST(profile_add_type_keeps_the_values_so_far)
{
	static const struct profile_value_type one = { "samples", "count" };
	struct profile_view v = { 0 };
	struct profile p;
	uint64_t vals[2] = { 5, 0 };
	uint32_t a, b;
	size_t before;
	char *got;

	profile_init(&p, &one, 1);
	a = profile_text_stack(&p, "x;a", 3);
	b = profile_text_stack(&p, "x;b", 3);
	CHECK(!profile_add(&p, a, 0, vals));
	before = profile_add_type(&p, "before", "count");
	CHECK_U64EQ(before, 1);
	CHECK(profile_add_type(&p, "before", "count") == before);
	CHECK_U64EQ(p.ntypes, 2);
	vals[0] = 7;
	vals[1] = 3;
	CHECK(!profile_add(&p, b, 0, vals));
	CHECK(!profile_add(&p, a, 0, vals));
	CHECK_U64EQ(profile_values(&p, 0)[0], 12);
	CHECK_U64EQ(profile_values(&p, 0)[1], 3);
	v.before = (int)before + 1;
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(got, "x;a 12\nx;b 7\n");
	free(got);
	profile_release(&p);
}

/* Every event of p's timeline as "time stack thread v0 v1\n" lines. */
static char *timeline_text(struct profile *p)
{
	struct fg_buf b = FG_BUF_INIT;
	struct timeline_event e;
	int ret;

	timeline_rewind(p->timeline);
	while ((ret = timeline_next(p->timeline, &e)) > 0)
		fg_buf_addf(&b, "%" PRIu64 " %u %u %" PRIu64 " %" PRIu64 "\n", e.time,
			    e.stack, e.thread, e.values[0],
			    e.nvalues > 1 ? e.values[1] : 0);
	CHECK(ret == 0);
	return fg_buf_detach(&b, NULL);
}

TEST(profile_timeline_keeps_every_addition_in_order)
{
	struct profile_view v = { .timeline = 1 };
	struct stack_table t;
	struct profile p;
	uint64_t vals[2] = { 1, 10 };
	uint32_t a, b, th;
	char *got;

	profile_init(&p, two, 2);
	profile_keep_timeline(&p);
	a = profile_text_stack(&p, "a", 1);
	b = profile_text_stack(&p, "b", 1);
	th = profile_thread(&p, 7, 8, "w", 1) + 1;
	CHECK(!profile_add_at(&p, 1000, b, th, vals));
	CHECK(!profile_add_at(&p, 900, a, 0, vals));	/* a step back */
	vals[0] = 2;
	CHECK(!profile_add_at(&p, UINT64_MAX, b, th, vals));
	got = timeline_text(&p);
	CHECK_STREQ(got, "1000 1 1 1 10\n900 0 0 1 10\n18446744073709551615 1 1 2 10\n");
	free(got);
	/* the sums as usual */
	CHECK_U64EQ(p.nsamples, 2);
	CHECK_U64EQ(profile_values(&p, 0)[0], 3);
	/* folded in order, not merged */
	stack_table_init(&t, 0);
	CHECK(profile_fold(&p, &v, &t) == 0);
	CHECK_U64EQ(t.nr, 3);
	CHECK(t.nr == 3 && t.v[0].len == 3 && !memcmp(t.v[0].stack, "w;b", 3) &&
	      t.v[1].len == 1 && !memcmp(t.v[1].stack, "a", 1) &&
	      t.v[2].count == 2);
	stack_table_release(&t);
	profile_release(&p);
}

TEST(profile_timeline_spills_to_a_file_and_reads_back)
{
	struct profile p;
	struct timeline_event e;
	uint64_t vals[2], i, bad = 0;
	uint32_t s;
	int ret;

	profile_init(&p, two, 2);
	profile_keep_timeline(&p);
	p.timeline->mem_limit = 4096;	/* spill every 4 KB */
	s = profile_text_stack(&p, "a", 1);
	for (i = 0; i < 100000; i++) {
		vals[0] = i;
		vals[1] = i * 1000003;
		CHECK(!profile_add_at(&p, i * 997, s, 0, vals));
	}
	CHECK(p.timeline->spilled > 0);
	CHECK(p.timeline->mem.len < 4096);
	/* twice: rewinding reads it all again */
	for (int pass = 0; pass < 2; pass++) {
		timeline_rewind(p.timeline);
		for (i = 0; (ret = timeline_next(p.timeline, &e)) > 0; i++)
			if (e.time != i * 997 || e.stack != s || e.nvalues != 2 ||
			    e.values[0] != i || e.values[1] != i * 1000003)
				bad++;
		CHECK(ret == 0);
		CHECK_U64EQ(i, 100000);
		CHECK_U64EQ(bad, 0);
	}
	profile_release(&p);
}

TEST(profile_text_stacks_skip_after_as_named_frames)
{
	static const struct profile_value_type one = { "samples", "count" };
	static const char *const skip[] = { "work", NULL };
	struct profile_view v = { .skip_after = skip };
	struct profile p;
	uint64_t n1 = 1;
	uint32_t th;
	char *text, *named;

	profile_init(&p, &one, 1);
	th = profile_thread(&p, 1, 1, "prog", 4) + 1;
	CHECK(!profile_add(&p, profile_text_stack(&p, "main;work;x;work;y", 18), th, &n1));
	CHECK(!profile_add(&p, profile_text_stack(&p, "work;z", 6), th, &n1));
	CHECK(!profile_add(&p, profile_text_stack(&p, "main;other", 10), th, &n1));
	CHECK(!profile_add(&p, profile_text_stack(&p, "main;worker", 11), 0, &n1));
	text = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(text, "main;worker 1\nprog;main;other 1\nwork;y 1\nwork;z 1\n");
	/* the same as the frames the text resolves to */
	profile_resolve_text(&p);
	p.stacks[0].text = NULL;
	p.stacks[1].text = NULL;
	p.stacks[2].text = NULL;
	p.stacks[3].text = NULL;
	named = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(named, text);
	free(text);
	free(named);
	profile_release(&p);
}

/*
 * perf script events: the text carries its thread's root, folded without
 * a copy or a second hash when roots are shown as they are; with pid or
 * tid, and with --skip-after, the root is made from the thread again.
 */
TEST(profile_rooted_text_stacks)
{
	static const struct profile_value_type one = { "samples", "count" };
	static const char *const skip[] = { "work", NULL };
	struct profile_view plain = { 0 }, pid = { .include_pid = 1 };
	struct profile_view cut = { .skip_after = skip };
	struct profile p;
	uint64_t n1 = 1, n2 = 2;
	uint32_t a, b, c, s1, s2;
	char *text;

	profile_init(&p, &one, 1);
	a = profile_thread(&p, 10, 11, "my prog", 7) + 1;
	b = profile_thread(&p, 12, 12, "my prog", 7) + 1;	/* same root */
	c = profile_thread(&p, 13, 13, "", 0) + 1;
	CHECK_STREQ(profile_thread_root(&p, a), "my_prog");
	CHECK_STREQ(profile_thread_root(&p, c), "[unknown]");
	s1 = profile_rooted_text_stack(&p, "my_prog;main;work;x", 19, 8);
	s2 = profile_rooted_text_stack(&p, "[unknown];main", 14, 10);
	CHECK(profile_rooted_text_stack(&p, "my_prog;main;work;x", 19, 8) == s1);
	CHECK(profile_text_stack(&p, "main;work;x", 11) != s1);
	CHECK(!profile_add(&p, s1, a, &n1));
	CHECK(!profile_add(&p, s1, b, &n2));	/* a second thread: the map */
	CHECK(!profile_add(&p, s1, a, &n2));	/* the first again */
	CHECK(!profile_add(&p, s2, c, &n1));
	CHECK_U64EQ(p.nsamples, 3);
	CHECK_U64EQ(profile_values(&p, 0)[0], 3);
	CHECK_U64EQ(profile_values(&p, 1)[0], 2);
	CHECK_STREQ(p.stacks[s1].text, "main;work;x");
	text = unit_fold(&p, &plain, UNIT_FOLD_SORTED);
	CHECK_STREQ(text, "[unknown];main 1\nmy_prog;main;work;x 5\n");
	free(text);
	text = unit_fold(&p, &pid, UNIT_FOLD_SORTED);
	CHECK_STREQ(text, "[unknown]-13;main 1\nmy_prog-10;main;work;x 3\n"
		      "my_prog-12;main;work;x 2\n");
	free(text);
	text = unit_fold(&p, &cut, UNIT_FOLD_SORTED);
	CHECK_STREQ(text, "[unknown];main 1\nwork;x 5\n");
	free(text);
	profile_resolve_text(&p);
	CHECK_U64EQ(p.stacks[s1].n, 3);
	profile_release(&p);
}

/*
 * A flame chart of a recording: each thread's events together, threads in
 * the order they first ran, and the same stack at once again one line.
 */
TEST(profile_timeline_by_thread)
{
	struct profile_view by = { .timeline = 1, .by_thread = 1, .include_tid = 1 };
	struct profile_view merged = { .timeline = 1 };
	struct profile p;
	uint64_t vals[2] = { 1, 10 };
	uint32_t a, b, t1, t2, t3;
	char *got;

	profile_init(&p, two, 2);
	profile_keep_timeline(&p);
	a = profile_text_stack(&p, "a", 1);
	b = profile_text_stack(&p, "b", 1);
	t2 = profile_thread(&p, 1, 2, "w", 1) + 1;	/* ids do not give the order */
	t1 = profile_thread(&p, 1, 1, "w", 1) + 1;
	t3 = profile_thread(&p, 1, 3, "w", 1) + 1;
	CHECK(!profile_add_at(&p, 1, a, t1, vals));
	CHECK(!profile_add_at(&p, 2, b, t2, vals));
	CHECK(!profile_add_at(&p, 3, a, t1, vals));
	CHECK(!profile_add_at(&p, 4, b, t1, vals));
	CHECK(!profile_add_at(&p, 5, a, t2, vals));
	CHECK(!profile_add_at(&p, 6, a, t3, vals));
	CHECK(!profile_add_at(&p, 7, a, t1, vals));
	got = unit_fold(&p, &by, UNIT_FOLD_IN_ORDER);
	CHECK_STREQ(got, "w-1/1;a 2\nw-1/1;b 1\nw-1/1;a 1\nw-1/2;b 1\nw-1/2;a 1\n"
		    "w-1/3;a 1\n");
	free(got);
	got = unit_fold(&p, &merged, UNIT_FOLD_IN_ORDER);
	CHECK_STREQ(got, "w;a 1\nw;b 1\nw;a 1\nw;b 1\nw;a 3\n");
	free(got);
	profile_release(&p);
}

/*
 * Repeated runs (--repeat): a thread belongs to the run it was added in,
 * so the same pid, tid and name in two runs are two threads, and a fold
 * can keep the samples of one run.
 */
TEST(profile_threads_of_runs)
{
	struct profile p;
	uint32_t t0, t1, t2, t1b;

	profile_init(&p, two, 2);
	CHECK(p.run == 0 && p.nruns == 0);
	t0 = profile_thread(&p, 5, 6, "w", 1);
	profile_begin_run(&p, 1);
	t1 = profile_thread(&p, 5, 6, "w", 1);
	profile_begin_run(&p, 2);
	t2 = profile_thread(&p, 5, 6, "w", 1);
	CHECK(t0 != t1 && t1 != t2 && t0 != t2);
	CHECK_U64EQ(p.nthreads, 3);
	CHECK_U64EQ(p.threads[t0].run, 0);
	CHECK_U64EQ(p.threads[t1].run, 1);
	CHECK_U64EQ(p.threads[t2].run, 2);
	CHECK_STREQ(p.threads[t1].name, "w");
	CHECK_STREQ(p.threads[t1].root, p.threads[t2].root);
	/* back in run 1: its thread again; another name or tid is another */
	profile_begin_run(&p, 1);
	t1b = profile_thread(&p, 5, 6, "w", 1);
	CHECK(t1b == t1);
	CHECK(profile_thread(&p, 5, 7, "w", 1) != t1);
	CHECK(profile_thread(&p, 5, 6, "v", 1) != t1);
	profile_begin_run(&p, 0);
	CHECK(profile_thread(&p, 5, 6, "w", 1) == t0);
	CHECK_U64EQ(p.nthreads, 5);
	profile_release(&p);
}

TEST(profile_nruns_is_the_highest_run_begun)
{
	struct profile p;

	profile_init(&p, two, 1);
	profile_begin_run(&p, 3);
	CHECK(p.run == 3 && p.nruns == 3);
	profile_begin_run(&p, 1);
	CHECK(p.run == 1 && p.nruns == 3);
	profile_begin_run(&p, 0);
	CHECK(p.run == 0 && p.nruns == 3);
	profile_begin_run(&p, 7);
	CHECK(p.run == 7 && p.nruns == 7);
	profile_release(&p);
	/* released: as after init */
	profile_init(&p, two, 1);
	CHECK(p.run == 0 && p.nruns == 0);
	profile_release(&p);
}

TEST(profile_run_totals_and_folds)
{
	struct profile p;
	struct profile_view v = { 0 };
	uint64_t vals[2];
	uint32_t a, b, th0, th1, th2;
	char *got;

	profile_init(&p, two, 2);
	a = profile_text_stack(&p, "main;a", 6);
	b = profile_text_stack(&p, "main;b", 6);
	th0 = profile_thread(&p, 1, 1, "prog", 4) + 1;
	profile_begin_run(&p, 1);
	th1 = profile_thread(&p, 1, 1, "prog", 4) + 1;
	profile_begin_run(&p, 2);
	th2 = profile_thread(&p, 1, 1, "prog", 4) + 1;
	vals[0] = 3, vals[1] = 30;
	CHECK(!profile_add(&p, a, th1, vals));
	vals[0] = 1, vals[1] = 10;
	CHECK(!profile_add(&p, b, th1, vals));
	vals[0] = 5, vals[1] = 50;
	CHECK(!profile_add(&p, a, th2, vals));
	vals[0] = 2, vals[1] = 20;
	CHECK(!profile_add(&p, b, th0, vals));	/* a thread of no run */
	vals[0] = 4, vals[1] = 40;
	CHECK(!profile_add(&p, b, 0, vals));	/* no thread */
	CHECK_U64EQ(p.nruns, 2);

	CHECK_U64EQ(profile_run_total(&p, 1, 0), 4);
	CHECK_U64EQ(profile_run_total(&p, 1, 1), 40);
	CHECK_U64EQ(profile_run_total(&p, 2, 0), 5);
	CHECK_U64EQ(profile_run_total(&p, 2, 1), 50);
	CHECK_U64EQ(profile_run_total(&p, 0, 0), 6);	/* th0 and no thread */
	CHECK_U64EQ(profile_run_total(&p, 3, 0), 0);

	/* every sample, the runs' threads merged by their root */
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(got, "main;b 4\nprog;main;a 8\nprog;main;b 3\n");
	free(got);
	v.run = 1;
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(got, "prog;main;a 3\nprog;main;b 1\n");
	free(got);
	v.run = 2;
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(got, "prog;main;a 5\n");
	free(got);
	v.value = 1;
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(got, "prog;main;a 50\n");
	free(got);
	v.value = 0;
	v.run = 3;
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(got, "");
	free(got);
	/* with the pid, as with names: the run is not in the root */
	v.run = 1;
	v.include_tid = 1;
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(got, "prog-1/1;main;a 3\nprog-1/1;main;b 1\n");
	free(got);
	profile_release(&p);
}

/* A run's fold of located (not text) stacks, and of a timeline. */
TEST(profile_run_fold_of_frames_and_timeline)
{
	static const struct profile_value_type one = { "samples", "count" };
	struct profile_view v = { .run = 2 };
	struct profile_view tl = { .timeline = 1, .run = 1 };
	struct profile p;
	uint64_t n1 = 1;
	uint32_t ids[2], s, s2, th1, th2;
	char *got;

	profile_init(&p, &one, 1);
	profile_keep_timeline(&p);
	ids[0] = profile_named_location(&p, "main", 4);
	ids[1] = profile_named_location(&p, "f", 1);
	s = profile_stack(&p, ids, 2);
	ids[1] = profile_named_location(&p, "g", 1);
	s2 = profile_stack(&p, ids, 2);
	profile_begin_run(&p, 1);
	th1 = profile_thread(&p, 9, 9, "x", 1) + 1;
	profile_begin_run(&p, 2);
	th2 = profile_thread(&p, 9, 9, "x", 1) + 1;
	CHECK(!profile_add_at(&p, 1, s, th1, &n1));
	CHECK(!profile_add_at(&p, 2, s, th2, &n1));
	CHECK(!profile_add_at(&p, 3, s2, th2, &n1));
	CHECK(!profile_add_at(&p, 4, s2, th1, &n1));
	CHECK(!profile_add_at(&p, 5, s2, th1, &n1));
	got = unit_fold(&p, &v, UNIT_FOLD_SORTED);
	CHECK_STREQ(got, "x;main;f 1\nx;main;g 1\n");
	free(got);
	/* run 1's events in order, run 2's between them left out */
	got = unit_fold(&p, &tl, UNIT_FOLD_IN_ORDER);
	CHECK_STREQ(got, "x;main;f 1\nx;main;g 2\n");
	free(got);
	profile_release(&p);
}
