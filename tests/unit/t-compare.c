#include "unit.h"
#include "../../profiler/compare.h"
#include "../../lib/error.h"

#include <cjson/cJSON.h>
#include <math.h>

/* ---- sides by hand ---------------------------------------------------- */

/*
 * Add the n folded stacks with their counts (0: left out) to s as run
 * `run`, counted from `samples` samples (0: the counts).
 */
static void add_run(struct compare_side *s, size_t run, const char *const *stacks,
		    const uint64_t *counts, size_t n, uint64_t samples)
{
	struct stack_table t;
	size_t i;

	stack_table_init(&t, 1);
	for (i = 0; i < n; i++)
		if (counts[i])
			CHECK(!stack_table_add(&t, stacks[i], strlen(stacks[i]), counts[i]));
	compare_side_add_run(s, run, &t, samples);
	stack_table_release(&t);
}

/* The function named name in s, or NULL. */
static const struct compare_fn *find_fn(const struct compare_side *s, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < s->nfns; i++)
		if (s->fns[i].len == len && !memcmp(s->fns[i].name, name, len))
			return &s->fns[i];
	return NULL;
}

/* The change of name's share of this kind in r, or NULL. */
static const struct compare_change *find_change(const struct compare_result *r,
						const char *name, enum compare_kind kind)
{
	size_t i, len = strlen(name);

	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].kind == kind && r->changes[i].len == len &&
		    !memcmp(r->changes[i].name, name, len))
			return &r->changes[i];
	return NULL;
}

/* How many changes of r are of name (of either kind). */
static size_t count_changes(const struct compare_result *r, const char *name)
{
	size_t i, n = 0, len = strlen(name);

	for (i = 0; i < r->nchanges; i++)
		n += r->changes[i].len == len && !memcmp(r->changes[i].name, name, len);
	return n;
}

static int near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

/* no threshold on the size of a change: what the test says, alone */
static const struct compare_opts default_opts = { 0.005, 0.01, 0 };

/* What a writer wrote to a memory stream, NUL-terminated (malloc'd). */
struct memout {
	FILE *fp;
	char *text;
	size_t len;
};

static void memout_open(struct memout *m)
{
	m->text = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->text, &m->len);
	if (!m->fp)
		die_errno("open_memstream");
}

static char *memout_close(struct memout *m)
{
	CHECK(fclose(m->fp) == 0);
	return m->text;
}

static char *markdown(const struct compare_result *r, const struct compare_report *info)
{
	struct memout m;

	memout_open(&m);
	CHECK(compare_write_markdown(r, info, m.fp) == 0);
	return memout_close(&m);
}

/* The JSON report of r, parsed back (NULL, and the test failed, if it is not JSON). */
static cJSON *json(const struct compare_result *r, const struct compare_report *info)
{
	struct memout m;
	cJSON *doc;
	char *text;

	memout_open(&m);
	CHECK(compare_write_json(r, info, m.fp) == 0);
	text = memout_close(&m);
	doc = cJSON_Parse(text);
	if (!doc)
		unit_fail(__FILE__, __LINE__, "not JSON: %s", text);
	free(text);
	return doc;
}

static double json_num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v)) {
		unit_fail(__FILE__, __LINE__, "\"%s\" is not a number", key);
		return NAN;
	}
	return v->valuedouble;
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* 1 true, 0 false, -1 not a boolean (or absent). */
static int json_bool(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

/* ---- counting --------------------------------------------------------- */

TEST(compare_counts_self_and_total)
{
	static const char *const stacks[] = {
		"prog;main;rec;rec;leaf", "prog;main;rec", "prog;main", "prog",
		"prog;rec;main;rec",
	};
	static const uint64_t counts[] = { 3, 2, 1, 4, 5 };
	struct compare_side s;
	const struct compare_fn *f;

	compare_side_init(&s, 1);
	add_run(&s, 0, stacks, counts, ARRAY_SIZE(stacks), 0);
	CHECK_U64EQ(s.run_total[0], 15);
	CHECK_U64EQ(s.run_samples[0], 15);
	/* the root frame, the process name, is no function */
	CHECK(find_fn(&s, "prog") == NULL);
	CHECK_U64EQ(s.nfns, 3);
	f = find_fn(&s, "main");
	CHECK(f != NULL);
	if (f) {
		CHECK_U64EQ(f->total[0], 3 + 2 + 1 + 5);
		CHECK_U64EQ(f->self[0], 1);
	}
	/* recursion counts once in total; the leaf only is self */
	f = find_fn(&s, "rec");
	CHECK(f != NULL);
	if (f) {
		CHECK_U64EQ(f->total[0], 3 + 2 + 5);
		CHECK_U64EQ(f->self[0], 2 + 5);
	}
	f = find_fn(&s, "leaf");
	CHECK(f != NULL);
	if (f) {
		CHECK_U64EQ(f->total[0], 3);
		CHECK_U64EQ(f->self[0], 3);
	}
	compare_side_release(&s);
}

TEST(compare_counts_run_by_run)
{
	static const char *const stacks[] = { "p;a;b", "p;a", "p;c" };
	static const uint64_t run0[] = { 10, 5, 0 }, run2[] = { 0, 7, 1 };
	struct compare_side s;
	const struct compare_fn *f;

	compare_side_init(&s, 3);
	add_run(&s, 0, stacks, run0, 3, 0);
	/* values that are not samples: nanoseconds from 4 samples */
	add_run(&s, 2, stacks, run2, 3, 4);
	CHECK_U64EQ(s.run_total[0], 15);
	CHECK_U64EQ(s.run_total[1], 0);
	CHECK_U64EQ(s.run_total[2], 8);
	CHECK_U64EQ(s.run_samples[0], 15);	/* 0: the counts */
	CHECK_U64EQ(s.run_samples[1], 0);
	CHECK_U64EQ(s.run_samples[2], 4);
	f = find_fn(&s, "a");
	CHECK(f && f->total[0] == 15 && f->self[0] == 5 && f->total[1] == 0 &&
	      f->total[2] == 7 && f->self[2] == 7);
	f = find_fn(&s, "b");
	CHECK(f && f->total[0] == 10 && f->self[0] == 10 && f->total[2] == 0);
	/* a function first seen in a later run: 0 in the runs before */
	f = find_fn(&s, "c");
	CHECK(f && f->total[0] == 0 && f->self[0] == 0 && f->total[2] == 1 &&
	      f->self[2] == 1);
	compare_side_release(&s);
	CHECK(s.fns == NULL && s.nfns == 0 && s.run_total == NULL);
}

TEST(compare_runs_without_samples_are_not_runs)
{
	static const char *const stacks[] = { "p;a", "p;b" };
	static const uint64_t c1[] = { 60, 40 }, c2[] = { 80, 20 };
	struct compare_side base, new;
	struct compare_result r;

	compare_side_init(&base, 3);
	compare_side_init(&new, 2);
	add_run(&base, 0, stacks, c1, 2, 10);
	add_run(&base, 2, stacks, c2, 2, 30);	/* run 1: nothing */
	add_run(&new, 0, stacks, c1, 2, 0);
	add_run(&new, 1, stacks, c1, 2, 0);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	CHECK_U64EQ(r.base_runs, 2);
	CHECK_U64EQ(r.new_runs, 2);
	/* samples a run: the samples given, else the counts */
	CHECK(r.base_samples.n == 2 && near(r.base_samples.mean, 20));
	CHECK(r.new_samples.n == 2 && near(r.new_samples.mean, 100));
	CHECK(near(r.base_floor, 1 / (sqrt(12) * 20)));
	CHECK(near(r.new_floor, 1 / (sqrt(12) * 100)));
	/* a's share: 0.6 and 0.8 (the empty run is no 0) */
	{
		const struct compare_change *c = find_change(&r, "a", COMPARE_TOTAL);

		CHECK(c && c->base.n == 2 && near(c->base.mean, 0.7) && c->new.n == 2 &&
		      near(c->new.mean, 0.6) && near(c->delta, -0.1));
	}
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

/* ---- a clear change --------------------------------------------------- */

static const char *const growth_stacks[] = {
	"prog;main;hot", "prog;main;cold", "prog;main;work;helper", "prog;main;idle",
	"prog;main",
};

/*
 * Five runs a side of 1000 samples each: hot grows from 20% to 30% (noise
 * of a few samples, the same mean), idle shrinks from 15% to 10% and
 * main's own samples from 5% to none; cold and work;helper stay at 30%,
 * give or take a few samples.
 */
static void growth_sides(struct compare_side *base, struct compare_side *new)
{
	static const int64_t a[5] = { -3, 1, 0, 4, -2 }, b[5] = { 5, -3, 0, -4, 2 };
	static const int64_t a2[5] = { 2, -4, 1, 3, -2 }, b2[5] = { -2, 4, -5, 1, 3 };
	size_t r;

	compare_side_init(base, 5);
	compare_side_init(new, 5);
	for (r = 0; r < 5; r++) {
		uint64_t cb[5], cn[5];

		cb[0] = (uint64_t)(200 + a[r]);
		cb[1] = (uint64_t)(300 + b[r]);
		cb[2] = (uint64_t)(300 - a[r] - b[r]);
		cb[3] = 150;
		cb[4] = 50;
		cn[0] = (uint64_t)(300 + a2[r]);
		cn[1] = (uint64_t)(300 + b2[r]);
		cn[2] = (uint64_t)(300 - a2[r] - b2[r]);
		cn[3] = 100;
		cn[4] = 0;
		add_run(base, r, growth_stacks, cb, 5, 0);
		add_run(new, r, growth_stacks, cn, 5, 0);
		CHECK_U64EQ(base->run_total[r], 1000);
		CHECK_U64EQ(new->run_total[r], 1000);
	}
}

/*
 * Runs of about 2500 samples, hot about 20% of them in the base and 21.8%
 * in the new side; `wild` makes one new run lose 60 of hot's samples, as a
 * stalled sampling timer does (hot at 19.8% in that run of the grown side),
 * and `grow` 0 gives the new side the base's shares.
 */
static void wild_sides(struct compare_side *base, struct compare_side *new,
		       int grow, int wild)
{
	static const char *const stacks[] = { "prog;main;hot", "prog;main;work" };
	static const uint64_t hot[5] = { 499, 500, 498, 501, 500 };
	size_t r;

	compare_side_init(base, 5);
	compare_side_init(new, 5);
	for (r = 0; r < 5; r++) {
		uint64_t cb[2] = { hot[r], 2000 }, cn[2] = { hot[r], 2000 };

		if (grow)
			cn[0] += 56 + r % 2;	/* 555 to 557 of 2555 to 2557 */
		if (wild && r == 2)
			cn[0] -= 60;
		add_run(base, r, stacks, cb, 2, 0);
		add_run(new, r, stacks, cn, 2, 0);
	}
}

/*
 * One run in five that went wrong neither hides a change nor makes one:
 * its share is set aside. (Kept, it would hide this growth: it makes t 3.5
 * on about 4 degrees of freedom, p 0.024 before Holm's adjustment for the
 * 3 tests.)
 */
TEST(compare_one_wild_run)
{
	struct compare_side base, new;
	struct compare_result r;
	const struct compare_change *c;

	wild_sides(&base, &new, 1, 1);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	c = find_change(&r, "hot", COMPARE_TOTAL);
	CHECK(c && c->significant && c->delta > 0.017 && c->delta < 0.018);
	CHECK(c && c->base.n == 5 && c->base_aside == 0);
	CHECK(c && c->new.n == 4 && c->new_aside == 1);
	CHECK(c && near(c->new.mean, (555.0 / 2555 + 557.0 / 2557 + 558.0 / 2558 +
				      556.0 / 2556) / 4));
	if (c) {
		struct fg_buf b = FG_BUF_INIT;

		compare_describe(c, &b);
		CHECK(strstr(b.buf, "21.77% ± 0.04 (1 run set aside), +1.78 points") != NULL);
		fg_buf_release(&b);
	}
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);

	wild_sides(&base, &new, 0, 1);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	CHECK(r.tested && r.ntests > 0);
	CHECK_U64EQ(r.nsignificant, 0);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_finds_a_clear_growth)
{
	struct compare_side base, new;
	struct compare_result r;
	const struct compare_change *c;
	size_t i;

	growth_sides(&base, &new);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	CHECK(r.tested);
	CHECK_U64EQ(r.base_runs, 5);
	CHECK_U64EQ(r.new_runs, 5);
	/*
	 * hot, cold, helper, work, idle: total only (leaves, or no self
	 * share); main: total and self
	 */
	CHECK_U64EQ(r.nchanges, 7);
	CHECK_U64EQ(r.ntests, 7);
	CHECK_U64EQ(r.nsignificant, 3);
	/* the growth first, with its sign and size */
	c = r.nchanges ? &r.changes[0] : NULL;
	CHECK(c && c->len == 3 && !memcmp(c->name, "hot", 3) && c->kind == COMPARE_TOTAL);
	if (c) {
		CHECK(c->significant && c->p <= 0.01);
		CHECK(c->delta > 0 && near(c->delta, 0.1));
		CHECK(near(c->base.mean, 0.2) && near(c->new.mean, 0.3));
		CHECK(c->base.n == 5 && c->new.n == 5);
	}
	/* the shrinking ones are significant too, with a minus sign */
	c = find_change(&r, "idle", COMPARE_TOTAL);
	CHECK(c && c->significant && near(c->delta, -0.05));
	c = find_change(&r, "main", COMPARE_SELF);
	CHECK(c && c->significant && near(c->delta, -0.05) && near(c->new.mean, 0));
	/* the others did not change */
	c = find_change(&r, "cold", COMPARE_TOTAL);
	CHECK(c && !c->significant && c->p > 0.01 && fabs(c->delta) < 0.001);
	c = find_change(&r, "helper", COMPARE_TOTAL);
	CHECK(c && !c->significant && c->p > 0.01);
	c = find_change(&r, "work", COMPARE_TOTAL);
	CHECK(c && !c->significant && c->p > 0.01);
	/* main is every sample on both sides: the same share, p = 1 */
	c = find_change(&r, "main", COMPARE_TOTAL);
	CHECK(c && !c->significant && c->p == 1 && c->delta == 0);
	/* no self share of work (0 on both sides), none apart for leaves */
	CHECK(find_change(&r, "work", COMPARE_SELF) == NULL);
	CHECK(find_change(&r, "hot", COMPARE_SELF) == NULL);
	CHECK_U64EQ(count_changes(&r, "helper"), 1);
	CHECK_U64EQ(count_changes(&r, "prog"), 0);
	/* the significant ones first, then by the size of the change */
	for (i = 0; i + 1 < r.nchanges; i++) {
		const struct compare_change *x = &r.changes[i], *y = &r.changes[i + 1];

		CHECK(x->significant >= y->significant);
		if (x->significant == y->significant)
			CHECK(fabs(x->delta) >= fabs(y->delta));
	}
	CHECK(near(compare_worst_growth(&r), 10));
	compare_result_release(&r);
	CHECK(r.changes == NULL && r.nchanges == 0);
	compare_side_release(&base);
	compare_side_release(&new);
}

/*
 * A change below min_change is within the noise however certain: with a
 * threshold of 6 points, hot's 10 stay flagged, idle's and main's 5 not.
 */
TEST(compare_min_change)
{
	static const struct compare_opts o = { 0.005, 0.01, 0.06 };
	struct compare_side base, new;
	struct compare_result r;
	const struct compare_change *c;

	growth_sides(&base, &new);
	CHECK(compare_sides(&base, &new, &o, &r) == 0);
	CHECK_U64EQ(r.nsignificant, 1);
	c = find_change(&r, "hot", COMPARE_TOTAL);
	CHECK(c && c->significant);
	c = find_change(&r, "idle", COMPARE_TOTAL);
	CHECK(c && !c->significant && c->p <= 0.01);
	c = find_change(&r, "main", COMPARE_SELF);
	CHECK(c && !c->significant && c->p <= 0.01);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_identical_sides)
{
	struct compare_side base, new, other;
	struct compare_result r;
	size_t i;

	/* the base twice: every share the same */
	growth_sides(&base, &new);
	compare_side_release(&new);
	growth_sides(&new, &other);
	compare_side_release(&other);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	CHECK(r.tested);
	CHECK_U64EQ(r.nchanges, 7);
	CHECK_U64EQ(r.ntests, 7);
	CHECK_U64EQ(r.nsignificant, 0);
	for (i = 0; i < r.nchanges; i++) {
		CHECK(r.changes[i].p == 1);
		CHECK(r.changes[i].delta == 0);
		CHECK(!r.changes[i].significant);
	}
	CHECK(compare_worst_growth(&r) == 0);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_aa_noise_is_not_significant)
{
	static const char *const stacks[] = { "p;main;a", "p;main;b", "p;main;c;d" };
	/* the same workload, runs with a few samples of noise each way */
	static const uint64_t base[6][3] = {
		{ 498, 301, 203 }, { 505, 296, 199 }, { 502, 300, 197 },
		{ 495, 305, 201 }, { 500, 299, 204 }, { 503, 297, 198 },
	};
	static const uint64_t new[6][3] = {
		{ 501, 303, 196 }, { 497, 298, 205 }, { 504, 301, 200 },
		{ 499, 296, 202 }, { 496, 302, 199 }, { 500, 300, 203 },
	};
	struct compare_side sb, sn;
	struct compare_result r;
	size_t i;

	compare_side_init(&sb, 6);
	compare_side_init(&sn, 6);
	for (i = 0; i < 6; i++) {
		add_run(&sb, i, stacks, base[i], 3, 0);
		add_run(&sn, i, stacks, new[i], 3, 0);
	}
	CHECK(compare_sides(&sb, &sn, &default_opts, &r) == 0);
	CHECK(r.tested);
	CHECK_U64EQ(r.nsignificant, 0);
	CHECK(r.ntests > 0 && r.ntests == r.nchanges);
	for (i = 0; i < r.nchanges; i++)
		CHECK(r.changes[i].p > 0.01 && r.changes[i].p <= 1);
	CHECK(compare_worst_growth(&r) == 0);
	compare_result_release(&r);
	compare_side_release(&sb);
	compare_side_release(&sn);
}

/* ---- too few runs ----------------------------------------------------- */

static const char *const few_stacks[] = { "p;main;hot", "p;main;x|y", "p;main" };

/* nb runs of base, nn of new: hot 20% -> 40%, x|y 30% -> 10%. */
static void few_sides(struct compare_side *base, struct compare_side *new, size_t nb,
		      size_t nn)
{
	static const uint64_t cb[] = { 20, 30, 50 }, cn[] = { 40, 10, 50 };
	size_t i;

	compare_side_init(base, nb);
	compare_side_init(new, nn);
	for (i = 0; i < nb; i++)
		add_run(base, i, few_stacks, cb, 3, 0);
	for (i = 0; i < nn; i++)
		add_run(new, i, few_stacks, cn, 3, 0);
}

TEST(compare_too_few_runs_is_untested)
{
	static const size_t sizes[][2] = { { 2, 2 }, { 1, 5 }, { 5, 2 }, { 1, 1 } };
	size_t k, i;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct compare_side base, new;
		struct compare_result r;
		const struct compare_change *c;

		few_sides(&base, &new, sizes[k][0], sizes[k][1]);
		CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
		CHECK(!r.tested);
		CHECK_U64EQ(r.base_runs, sizes[k][0]);
		CHECK_U64EQ(r.new_runs, sizes[k][1]);
		CHECK_U64EQ(r.ntests, 0);
		CHECK_U64EQ(r.nsignificant, 0);
		/* main total, main self, hot, x|y: listed with their changes */
		CHECK_U64EQ(r.nchanges, 4);
		for (i = 0; i < r.nchanges; i++) {
			CHECK(isnan(r.changes[i].p));
			CHECK(!r.changes[i].significant);
		}
		c = find_change(&r, "hot", COMPARE_TOTAL);
		CHECK(c && near(c->delta, 0.2));
		c = find_change(&r, "x|y", COMPARE_TOTAL);
		CHECK(c && near(c->delta, -0.2));
		c = find_change(&r, "main", COMPARE_SELF);
		CHECK(c && c->delta == 0);
		/* the largest changes first, then by name */
		CHECK(r.nchanges == 4 && r.changes[0].len == 3 &&
		      !memcmp(r.changes[0].name, "hot", 3));
		CHECK(compare_worst_growth(&r) == 0);
		compare_result_release(&r);
		compare_side_release(&base);
		compare_side_release(&new);
	}
}

/* ---- what is tested --------------------------------------------------- */

TEST(compare_leaf_tested_once_unless_it_calls)
{
	static const char *const stacks[] = { "p;main;f", "p;main;f;g", "p;main" };
	/* f is a leaf in base; in one run of new it calls g */
	static const uint64_t leaf[] = { 50, 0, 50 }, calls[] = { 40, 10, 50 };
	struct compare_side base, new;
	struct compare_result r;
	size_t i;

	compare_side_init(&base, 3);
	compare_side_init(&new, 3);
	for (i = 0; i < 3; i++) {
		add_run(&base, i, stacks, leaf, 3, 0);
		add_run(&new, i, stacks, i == 1 ? calls : leaf, 3, 0);
	}
	CHECK(compare_sides(&base, &base, &default_opts, &r) == 0);
	CHECK_U64EQ(count_changes(&r, "f"), 1);
	CHECK(find_change(&r, "f", COMPARE_TOTAL) != NULL);
	compare_result_release(&r);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	CHECK_U64EQ(count_changes(&r, "f"), 2);
	CHECK(find_change(&r, "f", COMPARE_TOTAL) != NULL);
	CHECK(find_change(&r, "f", COMPARE_SELF) != NULL);
	/* g: only in new, a leaf */
	CHECK_U64EQ(count_changes(&r, "g"), 1);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_min_share)
{
	static const char *const stacks[] = {
		"p;main;big", "p;main;tiny", "p;main;gone", "p;main;born", "p;main;edge",
	};
	/* tiny: 0.2% on both sides; gone: 1% in base only; born: 1% in new only */
	static const uint64_t cb[] = { 978, 2, 10, 0, 10 }, cn[] = { 978, 2, 0, 10, 10 };
	struct compare_side base, new;
	struct compare_result r;
	struct compare_opts o = default_opts;
	const struct compare_change *c;
	size_t i;

	compare_side_init(&base, 3);
	compare_side_init(&new, 3);
	for (i = 0; i < 3; i++) {
		add_run(&base, i, stacks, cb, 5, 0);
		add_run(&new, i, stacks, cn, 5, 0);
	}
	CHECK(compare_sides(&base, &new, &o, &r) == 0);
	CHECK(find_change(&r, "tiny", COMPARE_TOTAL) == NULL);
	CHECK_U64EQ(count_changes(&r, "tiny"), 0);
	c = find_change(&r, "gone", COMPARE_TOTAL);
	CHECK(c && near(c->base.mean, 0.01) && c->new.mean == 0 && near(c->delta, -0.01));
	c = find_change(&r, "born", COMPARE_TOTAL);
	CHECK(c && c->base.mean == 0 && near(c->new.mean, 0.01) && near(c->delta, 0.01));
	CHECK(find_change(&r, "big", COMPARE_TOTAL) != NULL);
	/* 1% on both sides, unchanged: listed */
	CHECK(find_change(&r, "edge", COMPARE_TOTAL) != NULL);
	CHECK_U64EQ(r.ntests, r.nchanges);
	compare_result_release(&r);
	/* a lower threshold lists tiny too */
	o.min_share = 0.001;
	CHECK(compare_sides(&base, &new, &o, &r) == 0);
	CHECK(find_change(&r, "tiny", COMPARE_TOTAL) != NULL);
	compare_result_release(&r);
	/* a higher one leaves out all but big and main */
	o.min_share = 0.5;
	CHECK(compare_sides(&base, &new, &o, &r) == 0);
	CHECK_U64EQ(r.nchanges, 2);
	CHECK(find_change(&r, "big", COMPARE_TOTAL) != NULL);
	CHECK(find_change(&r, "main", COMPARE_TOTAL) != NULL);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

/*
 * A share that comes out the same in every run of a side: nrare of 1000
 * samples in base, nrare2 in new, over n runs a side.
 */
static void constant_sides(struct compare_side *base, struct compare_side *new,
			   size_t n, uint64_t nrare, uint64_t nrare2)
{
	static const char *const stacks[] = { "p;main;rare", "p;main" };
	size_t i;

	compare_side_init(base, n);
	compare_side_init(new, n);
	for (i = 0; i < n; i++) {
		uint64_t cb[2] = { nrare, 1000 - nrare }, cn[2] = { nrare2, 1000 - nrare2 };

		add_run(base, i, stacks, cb, 2, 0);
		add_run(new, i, stacks, cn, 2, 0);
	}
}

/*
 * The floor on a share's spread: a count is whole, so one sample more in
 * every run is no evidence of a change, however many runs agree on it;
 * forty more in every run are.
 */
TEST(compare_floor_on_the_spread)
{
	static const struct compare_opts o = { 0.0005, 0.01, 0 };
	static const size_t runs[] = { 3, 5, 10 };
	size_t k;

	for (k = 0; k < ARRAY_SIZE(runs); k++) {
		struct compare_side base, new;
		struct compare_result r;
		const struct compare_change *c;

		constant_sides(&base, &new, runs[k], 1, 2);
		CHECK(compare_sides(&base, &new, &o, &r) == 0);
		CHECK(r.tested);
		CHECK(near(r.base_floor, 1 / (sqrt(12) * 1000)));
		c = find_change(&r, "rare", COMPARE_TOTAL);
		CHECK(c && near(c->delta, 0.001) && c->base.sd < 1e-12 && c->new.sd < 1e-12);
		if (c && c->significant)
			unit_fail(__FILE__, __LINE__, "%zu runs a side: 1 -> 2 samples of 1000 "
				  "significant, p = %g", runs[k], c->p);
		c = find_change(&r, "main", COMPARE_SELF);
		CHECK(c && near(c->delta, -0.001));
		if (c && c->significant)
			unit_fail(__FILE__, __LINE__, "%zu runs a side: 999 -> 998 samples of "
				  "1000 significant, p = %g", runs[k], c->p);
		compare_result_release(&r);
		compare_side_release(&base);
		compare_side_release(&new);

		constant_sides(&base, &new, runs[k], 10, 50);
		CHECK(compare_sides(&base, &new, &o, &r) == 0);
		c = find_change(&r, "rare", COMPARE_TOTAL);
		CHECK(c && c->significant && near(c->delta, 0.04));
		CHECK(near(compare_worst_growth(&r), 4));
		compare_result_release(&r);
		compare_side_release(&base);
		compare_side_release(&new);
	}
}

TEST(compare_empty_side)
{
	static const char *const stacks[] = { "p;a" };
	static const uint64_t one[] = { 1 }, none[] = { 0 };
	struct compare_side base, new, empty, empty_runs;
	struct compare_result r;

	compare_side_init(&base, 3);
	compare_side_init(&new, 3);
	compare_side_init(&empty, 3);
	compare_side_init(&empty_runs, 2);
	add_run(&base, 0, stacks, one, 1, 0);
	add_run(&new, 1, stacks, one, 1, 0);
	add_run(&empty_runs, 0, stacks, none, 1, 0);
	add_run(&empty_runs, 1, stacks, none, 1, 0);
	CHECK(compare_sides(&base, &empty, &default_opts, &r) == -FG_ERR_NO_STACKS);
	compare_result_release(&r);
	CHECK(compare_sides(&empty, &new, &default_opts, &r) == -FG_ERR_NO_STACKS);
	compare_result_release(&r);
	CHECK(compare_sides(&empty_runs, &new, &default_opts, &r) == -FG_ERR_NO_STACKS);
	compare_result_release(&r);
	/* one run a side is a comparison, untested */
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	CHECK(!r.tested && r.base_runs == 1 && r.new_runs == 1);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
	compare_side_release(&empty);
	compare_side_release(&empty_runs);
}

/* ---- the reports ------------------------------------------------------ */

TEST(compare_markdown_tested)
{
	struct compare_side base, new;
	struct compare_result r;
	struct compare_report info = { "base|1.pb", "new.pb", -1 };
	char *md;

	growth_sides(&base, &new);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);

	md = markdown(&r, &info);
	CHECK(starts_with(md, "## Profile comparison\n\n"));
	CHECK(strstr(md, "| base `base\\|1.pb` | 5 | 1000 ± 0 |\n") != NULL);
	CHECK(strstr(md, "| new `new.pb` | 5 | 1000 ± 0 |\n") != NULL);
	CHECK(strstr(md, "**3 significant changes** of share in 7 tested") != NULL);
	CHECK(strstr(md, "| function | share | base | new | change (points) | p |\n"
		     "|---|---|---:|---:|---:|---:|\n| `hot` | total | 20.00% ± ") != NULL);
	CHECK(strstr(md, "| +10.00 |") != NULL);
	CHECK(strstr(md, "| `main` | self | 5.00% ± 0.00 | 0.00% ± 0.00 | -5.00 |") != NULL);
	/* only the significant ones are in the table */
	CHECK(strstr(md, "`cold`") == NULL);
	CHECK(strstr(md, "No significance") == NULL);
	/* no threshold: nothing said of regressions */
	CHECK(strstr(md, "Regression") == NULL);
	CHECK(strstr(md, "--fail-on-regression") == NULL);
	free(md);

	info.fail_points = 5;
	md = markdown(&r, &info);
	CHECK(strstr(md, "**Regression** (more than the allowed growth, "
		     "--fail-on-regression):\n\n- `hot`: total share grew by 10.00 points, "
		     "more than the 5 allowed\n") != NULL);
	free(md);

	info.fail_points = 20;
	md = markdown(&r, &info);
	CHECK(strstr(md, "Regression**") == NULL);
	CHECK(strstr(md, "No share grew significantly by more than 20 points "
		     "(--fail-on-regression).\n") != NULL);
	free(md);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_markdown_nothing_significant)
{
	struct compare_side base, new, other;
	struct compare_result r;
	struct compare_report info = { "a.pb", "b.pb", 1 };
	char *md;

	growth_sides(&base, &other);
	compare_side_release(&other);
	growth_sides(&new, &other);
	compare_side_release(&other);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	md = markdown(&r, &info);
	CHECK(strstr(md, "**No significant change** of share in 7 tested") != NULL);
	CHECK(strstr(md, "| function |") == NULL);
	CHECK(strstr(md, "No share grew significantly by more than 1 points") != NULL);
	free(md);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_markdown_untested)
{
	struct compare_side base, new;
	struct compare_result r;
	struct compare_report info = { "a.pb", "b.pb", 5 };
	char *md;

	few_sides(&base, &new, 2, 2);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	md = markdown(&r, &info);
	CHECK(strstr(md, "**No significance can be given**: the base has 2 runs and the "
		     "new profile 2; at least 3 runs a side are needed (`--repeat 3`). "
		     "The largest changes of share, untested:\n\n") != NULL);
	/* no p column */
	CHECK(strstr(md, "| function | share | base | new | change (points) |\n"
		     "|---|---|---:|---:|---:|\n") != NULL);
	CHECK(strstr(md, "| `x\\|y` | total | 30.00% ± 0.00 | 10.00% ± 0.00 | -20.00 |\n")
	      != NULL);
	CHECK(strstr(md, "| `hot` | total | 20.00% ± 0.00 | 40.00% ± 0.00 | +20.00 |\n")
	      != NULL);
	CHECK(strstr(md, "`x|y`") == NULL);
	/* untested: no regression can be claimed */
	CHECK(strstr(md, "Regression") == NULL);
	free(md);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);

	/* one run: "1 run"; a lone run's share has no spread */
	few_sides(&base, &new, 1, 3);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	md = markdown(&r, &info);
	CHECK(strstr(md, "the base has 1 run and the new profile 3;") != NULL);
	CHECK(strstr(md, "| `hot` | total | 20.00% | 40.00% ± 0.00 | +20.00 |\n") != NULL);
	free(md);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_json_tested)
{
	struct compare_side base, new;
	struct compare_result r;
	struct compare_report info = { "base.pb", "new \"x\".pb", 5 };
	const cJSON *changes, *c, *side;
	cJSON *doc;

	growth_sides(&base, &new);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	doc = json(&r, &info);
	if (doc) {
		CHECK(json_bool(doc, "tested") == 1);
		CHECK_STREQ(json_str(doc, "test"), "welch-t");
		CHECK_STREQ(json_str(doc, "correction"), "holm");
		CHECK(json_num(doc, "alpha") == 0.01);
		CHECK(json_num(doc, "min_share") == 0.005);
		CHECK(json_num(doc, "tests") == 7);
		CHECK(json_num(doc, "significant") == 3);
		CHECK(json_num(doc, "fail_on_regression") == 5);
		CHECK(json_bool(doc, "regression") == 1);
		side = cJSON_GetObjectItemCaseSensitive(doc, "new");
		CHECK_STREQ(json_str(side, "profile"), "new \"x\".pb");
		CHECK(json_num(side, "runs") == 5);
		CHECK(json_num(cJSON_GetObjectItemCaseSensitive(side, "samples_per_run"),
			       "mean") == 1000);
		changes = cJSON_GetObjectItemCaseSensitive(doc, "changes");
		CHECK(cJSON_IsArray(changes) && cJSON_GetArraySize(changes) == 7);
		c = cJSON_GetArrayItem(changes, 0);
		CHECK_STREQ(json_str(c, "function"), "hot");
		CHECK_STREQ(json_str(c, "share"), "total");
		CHECK(near(json_num(c, "change_points"), 10));
		CHECK(near(json_num(cJSON_GetObjectItemCaseSensitive(c, "base"), "mean"), 0.2));
		CHECK(near(json_num(cJSON_GetObjectItemCaseSensitive(c, "new"), "mean"), 0.3));
		CHECK(json_num(cJSON_GetObjectItemCaseSensitive(c, "new"), "runs") == 5);
		CHECK(json_num(cJSON_GetObjectItemCaseSensitive(c, "new"), "set_aside") == 0);
		CHECK(json_num(c, "p") <= 0.01);
		CHECK(json_bool(c, "significant") == 1);
		c = cJSON_GetArrayItem(changes, 6);
		CHECK(json_bool(c, "significant") == 0);
		CHECK(json_num(c, "p") > 0.01);
		cJSON_Delete(doc);
	}

	/* a threshold above the growth: no regression; none: no keys */
	info.fail_points = 10.5;
	doc = json(&r, &info);
	CHECK(doc && json_bool(doc, "regression") == 0);
	cJSON_Delete(doc);
	info.fail_points = -1;
	doc = json(&r, &info);
	CHECK(doc && !cJSON_GetObjectItemCaseSensitive(doc, "regression") &&
	      !cJSON_GetObjectItemCaseSensitive(doc, "fail_on_regression"));
	cJSON_Delete(doc);

	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_json_untested)
{
	struct compare_side base, new;
	struct compare_result r;
	struct compare_report info = { "a.pb", "b.pb", 5 };
	const cJSON *changes, *c;
	cJSON *doc;
	int i;

	few_sides(&base, &new, 2, 2);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	doc = json(&r, &info);
	if (doc) {
		CHECK(json_bool(doc, "tested") == 0);
		CHECK(json_num(doc, "tests") == 0);
		CHECK(json_num(doc, "significant") == 0);
		CHECK(json_bool(doc, "regression") == 0);
		changes = cJSON_GetObjectItemCaseSensitive(doc, "changes");
		CHECK(cJSON_IsArray(changes) && cJSON_GetArraySize(changes) == 4);
		for (i = 0; i < cJSON_GetArraySize(changes); i++) {
			c = cJSON_GetArrayItem(changes, i);
			CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c, "p")));
			CHECK(json_bool(c, "significant") == 0);
			CHECK(json_str(c, "function") != NULL);
		}
		c = cJSON_GetArrayItem(changes, 1);
		CHECK_STREQ(json_str(c, "function"), "x|y");
		CHECK(near(json_num(c, "change_points"), -20));
		cJSON_Delete(doc);
	}
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
}

TEST(compare_print_and_describe)
{
	struct compare_side base, new;
	struct compare_result r;
	struct fg_buf b = FG_BUF_INIT;
	struct memout m;
	char *text;

	growth_sides(&base, &new);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	compare_describe(&r.changes[0], &b);
	CHECK(starts_with(b.buf, "total share 20.00% ± "));
	CHECK(strstr(b.buf, " → 30.00% ± ") != NULL);
	CHECK(strstr(b.buf, ", +10.00 points, p = ") != NULL);

	memout_open(&m);
	compare_print(&r, 2, m.fp);
	text = memout_close(&m);
	CHECK(starts_with(text, "compared on shares: 5 runs (1000 ± 0 samples a run) "
			  "against 5 in the base (1000 ± 0)\n"
			  "3 significant changes in the 7 shares tested (1% family-wise "
			  "error rate):\n   +10.00  hot: total share 20.00% ± "));
	CHECK(strstr(text, "  ... and 1 more\n") != NULL);
	free(text);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);

	/* untested: no p-value said, and why */
	few_sides(&base, &new, 2, 2);
	CHECK(compare_sides(&base, &new, &default_opts, &r) == 0);
	fg_buf_reset(&b);
	compare_describe(&r.changes[0], &b);
	CHECK_STREQ(b.buf, "total share 20.00% ± 0.00 → 40.00% ± 0.00, +20.00 points");
	memout_open(&m);
	compare_print(&r, 10, m.fp);
	text = memout_close(&m);
	CHECK(strstr(text, "no significance can be given: at least 3 runs a side are "
		     "needed (--repeat 3)\n") != NULL);
	free(text);
	compare_result_release(&r);
	compare_side_release(&base);
	compare_side_release(&new);
	fg_buf_release(&b);
}
