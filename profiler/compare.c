/*
 * Comparing repeated runs on shares, with a test of each change against
 * the noise between runs: see compare.h.
 */
#include "compare.h"
#include "../lib/buf.h"

#include <cjson/cJSON.h>
#include <math.h>

void compare_side_init(struct compare_side *s, size_t nruns)
{
	memset(s, 0, sizeof(*s));
	s->nruns = nruns;
	s->run_total = xcalloc(nruns ? nruns : 1, sizeof(*s->run_total));
	s->run_samples = xcalloc(nruns ? nruns : 1, sizeof(*s->run_samples));
	strmap_init(&s->names);
}

void compare_side_release(struct compare_side *s)
{
	size_t i;

	for (i = 0; i < s->nfns; i++) {
		free(s->fns[i].self);
		free(s->fns[i].total);
	}
	free(s->fns);
	free(s->seen);
	free(s->run_total);
	free(s->run_samples);
	strmap_release(&s->names);
	memset(s, 0, sizeof(*s));
}

/* The index of the function named name (len bytes), added when new. */
static size_t side_fn(struct compare_side *s, const char *name, size_t len)
{
	int created;
	struct strmap_entry *e = strmap_put(&s->names, name, len, &created);
	struct compare_fn *f;

	if (!created)
		return (size_t)e->val;
	e->val = s->nfns;
	ALLOC_GROW(s->fns, s->nfns + 1, s->fns_alloc);
	ALLOC_GROW(s->seen, s->nfns + 1, s->seen_alloc);
	f = &s->fns[s->nfns];
	f->name = e->key;
	f->len = len;
	f->self = xcalloc(s->nruns, sizeof(*f->self));
	f->total = xcalloc(s->nruns, sizeof(*f->total));
	s->seen[s->nfns] = 0;
	return s->nfns++;
}

static void add_sat(uint64_t *sum, uint64_t v)
{
	if (__builtin_add_overflow(*sum, v, sum))
		*sum = UINT64_MAX;
}

void compare_side_add_run(struct compare_side *s, size_t run,
			  const struct stack_table *t, uint64_t samples)
{
	size_t i;

	if (run >= s->nruns)
		BUG("compare_side_add_run: run %zu of %zu", run, s->nruns);
	for (i = 0; i < t->nr; i++) {
		const struct stack_entry *e = &t->v[i];
		const char *p = e->stack, *end = e->stack + e->len, *semi;
		size_t fn = SIZE_MAX;

		add_sat(&s->run_total[run], e->count);
		s->stamp++;
		/* the root frame, the process name, is no function */
		semi = memchr(p, ';', (size_t)(end - p));
		if (!semi)
			continue;
		for (p = semi + 1; p <= end; p = semi + 1) {
			semi = memchr(p, ';', (size_t)(end - p));
			if (!semi)
				semi = end;
			fn = side_fn(s, p, (size_t)(semi - p));
			if (s->seen[fn] != s->stamp) {
				s->seen[fn] = s->stamp;
				add_sat(&s->fns[fn].total[run], e->count);
			}
		}
		if (fn != SIZE_MAX)
			add_sat(&s->fns[fn].self[run], e->count);
	}
	s->run_samples[run] = samples ? samples : s->run_total[run];
}

/*
 * The shares of function f (NULL: absent, share 0) in the runs of s that
 * have samples, into x; returns how many.
 */
static size_t shares(const struct compare_side *s, const struct compare_fn *f,
		     enum compare_kind kind, double *x)
{
	size_t r, n = 0;

	for (r = 0; r < s->nruns; r++) {
		uint64_t c = !f ? 0 : kind == COMPARE_SELF ? f->self[r] : f->total[r];

		if (s->run_total[r])
			x[n++] = (double)c / (double)s->run_total[r];
	}
	return n;
}

/*
 * The least error a share's mean over runs of about s samples each is
 * taken to have: a count is an integer, known to half a sample (a uniform
 * rounding error has a standard deviation of 1 / sqrt(12)), and the
 * rounding does not average out over runs that round alike. A share that
 * came out the same in every run (1 sample outside main, say) would
 * otherwise make any difference from it look certain, and more runs more
 * certain still.
 */
static double share_floor(const struct stats_summary *s)
{
	return s->mean > 0 ? 1 / (sqrt(12) * s->mean) : 0;
}

/*
 * Set aside a share that went wild in one run of a side of COMPARE_MIN_ASIDE
 * runs or more (at most one run in that many), by at least min_change: the
 * runs kept.
 */
static size_t keep(double *x, size_t n, double min_change)
{
	if (n < COMPARE_MIN_ASIDE)
		return n;
	return stats_set_aside(x, n, COMPARE_WILD_MADS, min_change, n / COMPARE_MIN_ASIDE);
}

/* Does f count as many samples as leaf as in all (in every run)? */
static int self_is_total(const struct compare_side *s, const struct compare_fn *f)
{
	size_t r;

	for (r = 0; f && r < s->nruns; r++)
		if (f->self[r] != f->total[r])
			return 0;
	return 1;
}

static void samples_a_run(const struct compare_side *s, struct stats_summary *out)
{
	double *x = xcalloc(s->nruns ? s->nruns : 1, sizeof(*x));
	size_t r, n = 0;

	for (r = 0; r < s->nruns; r++)
		if (s->run_total[r])
			x[n++] = (double)s->run_samples[r];
	stats_summarize(x, n, out);
	free(x);
}

static const struct compare_fn *fn_of(const struct compare_side *s, const char *name,
				      size_t len)
{
	const struct strmap_entry *e = strmap_get(&s->names, name, len);

	return e ? &s->fns[e->val] : NULL;
}

/* Add the change of f's share of this kind when it reaches min_share. */
static void consider(struct compare_result *r, const char *name, size_t len,
		     const struct compare_fn *fb, const struct compare_fn *fn,
		     const struct compare_side *base, const struct compare_side *new,
		     enum compare_kind kind, double *xb, double *xn)
{
	struct compare_change c = { 0 };
	size_t nb = shares(base, fb, kind, xb), nn = shares(new, fn, kind, xn);
	size_t kb = keep(xb, nb, r->opts.min_change);
	size_t kn = keep(xn, nn, r->opts.min_change);

	c.base_aside = nb - kb;
	c.new_aside = nn - kn;
	c.name = name;
	c.len = len;
	c.kind = kind;
	stats_summarize(xb, kb, &c.base);
	stats_summarize(xn, kn, &c.new);
	if (c.base.mean < r->opts.min_share && c.new.mean < r->opts.min_share)
		return;
	c.delta = c.new.mean - c.base.mean;
	if (r->tested) {
		struct stats_summary b = c.base, n = c.new;

		/* the rounding is the same in every run: a floor on the mean's error */
		b.sd = fmax(b.sd, r->base_floor * sqrt((double)b.n));
		n.sd = fmax(n.sd, r->new_floor * sqrt((double)n.n));
		c.p = stats_welch(&b, &n, NULL, NULL);
	} else {
		c.p = NAN;
	}
	ALLOC_GROW(r->changes, r->nchanges + 1, r->changes_alloc);
	r->changes[r->nchanges++] = c;
}

/* Significant ones first, then the largest changes; then by name. */
static int change_cmp(const void *a, const void *b)
{
	const struct compare_change *x = a, *y = b;
	double dx = fabs(x->delta), dy = fabs(y->delta);
	int c;

	if (x->significant != y->significant)
		return y->significant - x->significant;
	if (dx != dy)
		return dx > dy ? -1 : 1;
	c = stack_cmp(x->name, x->len, y->name, y->len);
	return c ? c : (int)x->kind - (int)y->kind;
}

int compare_sides(const struct compare_side *base, const struct compare_side *new,
		  const struct compare_opts *o, struct compare_result *r)
{
	size_t nmax = base->nruns > new->nruns ? base->nruns : new->nruns;
	double *xb = xcalloc(nmax + 1, sizeof(*xb)), *xn = xcalloc(nmax + 1, sizeof(*xn));
	double *p;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->opts = *o;
	samples_a_run(base, &r->base_samples);
	samples_a_run(new, &r->new_samples);
	r->base_runs = r->base_samples.n;
	r->new_runs = r->new_samples.n;
	if (!r->base_runs || !r->new_runs) {
		free(xb);
		free(xn);
		return -FG_ERR_NO_STACKS;
	}
	r->tested = r->base_runs >= COMPARE_MIN_RUNS && r->new_runs >= COMPARE_MIN_RUNS;
	r->base_floor = share_floor(&r->base_samples);
	r->new_floor = share_floor(&r->new_samples);
	for (i = 0; i < base->nfns + new->nfns; i++) {
		const struct compare_fn *f = i < base->nfns ? &base->fns[i] :
					     &new->fns[i - base->nfns];
		const struct compare_fn *fb, *fn;

		if (i >= base->nfns && fn_of(base, f->name, f->len))
			continue;	/* seen as the base's */
		fb = i < base->nfns ? f : NULL;
		fn = fn_of(new, f->name, f->len);
		consider(r, f->name, f->len, fb, fn, base, new, COMPARE_TOTAL, xb, xn);
		if (!self_is_total(base, fb) || !self_is_total(new, fn))
			consider(r, f->name, f->len, fb, fn, base, new, COMPARE_SELF,
				 xb, xn);
	}
	if (r->tested) {
		p = xcalloc(r->nchanges + 1, sizeof(*p));
		for (i = 0; i < r->nchanges; i++)
			p[i] = r->changes[i].p;
		stats_holm(p, r->nchanges);
		for (i = 0; i < r->nchanges; i++) {
			r->changes[i].p = p[i];
			r->changes[i].significant = p[i] <= o->alpha &&
				fabs(r->changes[i].delta) >= o->min_change;
			r->nsignificant += r->changes[i].significant;
		}
		r->ntests = r->nchanges;
		free(p);
	}
	if (r->nchanges)
		qsort(r->changes, r->nchanges, sizeof(*r->changes), change_cmp);
	free(xb);
	free(xn);
	return 0;
}

void compare_result_release(struct compare_result *r)
{
	free(r->changes);
	memset(r, 0, sizeof(*r));
}

double compare_worst_growth(const struct compare_result *r)
{
	double worst = 0;
	size_t i;

	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].significant && r->changes[i].delta * 100 > worst)
			worst = r->changes[i].delta * 100;
	return worst;
}

static const char *kind_name(enum compare_kind k)
{
	return k == COMPARE_SELF ? "self" : "total";
}

/* A p-value as people read it: 0.0123, 4.1e-05, < 1e-300. */
static void add_p(struct fg_buf *b, double p)
{
	if (isnan(p))
		fg_buf_addstr(b, "untested");
	else if (p < 1e-300)
		fg_buf_addstr(b, "< 1e-300");
	else if (p >= 0.001)
		fg_buf_addf(b, "%.3f", p);
	else
		fg_buf_addf(b, "%.1e", p);
}

/*
 * A share over runs: "20.00% ± 0.21" (the spread in points), and
 * " (1 run set aside)" after it when one was.
 */
static void add_share(struct fg_buf *b, const struct stats_summary *s, size_t aside)
{
	fg_buf_addf(b, "%.2f%%", s->mean * 100);
	if (s->n > 1)
		fg_buf_addf(b, " ± %.2f", s->sd * 100);
	if (aside)
		fg_buf_addf(b, " (%zu run%s set aside)", aside, aside == 1 ? "" : "s");
}

void compare_describe(const struct compare_change *c, struct fg_buf *b)
{
	fg_buf_addf(b, "%s share ", kind_name(c->kind));
	add_share(b, &c->base, c->base_aside);
	fg_buf_addstr(b, " → ");
	add_share(b, &c->new, c->new_aside);
	fg_buf_addf(b, ", %+.2f points", c->delta * 100);
	if (!isnan(c->p)) {
		fg_buf_addstr(b, ", p = ");
		add_p(b, c->p);
	}
}

static const char *method(void)
{
	return "Welch's t-test on the runs' shares, a share that went wild in one run "
	       "of 5 set aside, p-values adjusted by Holm's method";
}

/* --- Markdown --- */

/* A name as Markdown code in a table cell. */
static void md_name(struct fg_buf *b, const char *name, size_t len)
{
	size_t i;

	fg_buf_addch(b, '`');
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch == '|')
			fg_buf_addstr(b, "\\|");
		else if (ch == '`')
			fg_buf_addch(b, '\'');
		else if (ch < 0x20 || ch == 0x7f)
			fg_buf_addch(b, '?');
		else
			fg_buf_addch(b, (char)ch);
	}
	fg_buf_addch(b, '`');
}

static void md_sides(struct fg_buf *b, const struct compare_result *r,
		     const struct compare_report *info)
{
	fg_buf_addstr(b, "| | runs | samples a run |\n|---|---:|---:|\n");
	fg_buf_addstr(b, "| base ");
	md_name(b, info->base_name, strlen(info->base_name));
	fg_buf_addf(b, " | %zu | %.0f ± %.0f |\n", r->base_runs, r->base_samples.mean,
		    r->base_samples.sd);
	fg_buf_addstr(b, "| new ");
	md_name(b, info->new_name, strlen(info->new_name));
	fg_buf_addf(b, " | %zu | %.0f ± %.0f |\n\n", r->new_runs, r->new_samples.mean,
		    r->new_samples.sd);
}

static void md_table(struct fg_buf *b, const struct compare_result *r, size_t n,
		     int with_p)
{
	size_t i;

	fg_buf_addf(b, "| function | share | base | new | change (points) |%s\n",
		    with_p ? " p |" : "");
	fg_buf_addf(b, "|---|---|---:|---:|---:|%s\n", with_p ? "---:|" : "");
	for (i = 0; i < n; i++) {
		const struct compare_change *c = &r->changes[i];

		fg_buf_addstr(b, "| ");
		md_name(b, c->name, c->len);
		fg_buf_addf(b, " | %s | ", kind_name(c->kind));
		add_share(b, &c->base, c->base_aside);
		fg_buf_addstr(b, " | ");
		add_share(b, &c->new, c->new_aside);
		fg_buf_addf(b, " | %+.2f |", c->delta * 100);
		if (with_p) {
			fg_buf_addch(b, ' ');
			add_p(b, c->p);
			fg_buf_addstr(b, " |");
		}
		fg_buf_addch(b, '\n');
	}
	fg_buf_addch(b, '\n');
}

/* The significant growths past the threshold, as a sentence each. */
static size_t md_regressions(struct fg_buf *b, const struct compare_result *r,
			     double points)
{
	size_t i, n = 0;

	for (i = 0; i < r->nchanges; i++) {
		const struct compare_change *c = &r->changes[i];

		if (!c->significant || !(c->delta * 100 > points))
			continue;
		fg_buf_addstr(b, n++ ? "- " : "**Regression** (more than the "
			      "allowed growth, --fail-on-regression):\n\n- ");
		md_name(b, c->name, c->len);
		fg_buf_addf(b, ": %s share grew by %.2f points, more than the %g allowed\n",
			    kind_name(c->kind), c->delta * 100, points);
	}
	if (n)
		fg_buf_addch(b, '\n');
	return n;
}

#define MD_UNTESTED_ROWS 10

int compare_write_markdown(const struct compare_result *r,
			   const struct compare_report *info, FILE *out)
{
	struct fg_buf b = FG_BUF_INIT;
	int ret = 0;

	fg_buf_addstr(&b, "## Profile comparison\n\n");
	md_sides(&b, r, info);
	if (!r->tested) {
		fg_buf_addf(&b, "**No significance can be given**: the base has %zu run%s "
			    "and the new profile %zu; at least %d runs a side are needed "
			    "(`--repeat %d`).", r->base_runs, r->base_runs == 1 ? "" : "s",
			    r->new_runs, COMPARE_MIN_RUNS, COMPARE_MIN_RUNS);
		if (r->nchanges) {
			fg_buf_addstr(&b, " The largest changes of share, untested:\n\n");
			md_table(&b, r, r->nchanges < MD_UNTESTED_ROWS ? r->nchanges :
				 MD_UNTESTED_ROWS, 0);
		} else {
			fg_buf_addstr(&b, "\n\n");
		}
	} else {
		if (r->nsignificant)
			fg_buf_addf(&b, "**%zu significant change%s** of share", r->nsignificant,
				    r->nsignificant == 1 ? "" : "s");
		else
			fg_buf_addstr(&b, "**No significant change** of share");
		fg_buf_addf(&b, " in %zu tested (%s; family-wise error rate %g%%; shares of "
			    "at least %.2f%% on a side; changes of at least %.2f points).\n\n",
			    r->ntests, method(), r->opts.alpha * 100, r->opts.min_share * 100,
			    r->opts.min_change * 100);
		if (r->nsignificant)
			md_table(&b, r, r->nsignificant, 1);
		if (info->fail_points >= 0 && !md_regressions(&b, r, info->fail_points))
			fg_buf_addf(&b, "No share grew significantly by more than %g points "
				    "(--fail-on-regression).\n", info->fail_points);
	}
	if (fwrite(b.buf, 1, b.len, out) != b.len)
		ret = -FG_ERR_IO;
	fg_buf_release(&b);
	return ret;
}

/* --- JSON --- */

static cJSON *json_summary(const struct stats_summary *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "mean", s->mean);
	cJSON_AddNumberToObject(o, "sd", s->sd);
	return o;
}

/* A side of a change: its share's summary, the runs kept and set aside. */
static cJSON *json_share(const struct stats_summary *s, size_t aside)
{
	cJSON *o = json_summary(s);

	cJSON_AddNumberToObject(o, "runs", (double)s->n);
	cJSON_AddNumberToObject(o, "set_aside", (double)aside);
	return o;
}

static cJSON *json_side(const char *name, size_t runs, const struct stats_summary *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "profile", name);
	cJSON_AddNumberToObject(o, "runs", (double)runs);
	cJSON_AddItemToObject(o, "samples_per_run", json_summary(s));
	return o;
}

int compare_write_json(const struct compare_result *r,
		       const struct compare_report *info, FILE *out)
{
	cJSON *doc = cJSON_CreateObject(), *list;
	double worst = compare_worst_growth(r);
	struct fg_buf name = FG_BUF_INIT;
	char *text;
	size_t i;
	int ret = 0;

	cJSON_AddItemToObject(doc, "base", json_side(info->base_name, r->base_runs,
						     &r->base_samples));
	cJSON_AddItemToObject(doc, "new", json_side(info->new_name, r->new_runs,
						    &r->new_samples));
	cJSON_AddBoolToObject(doc, "tested", r->tested);
	cJSON_AddStringToObject(doc, "test", "welch-t");
	cJSON_AddStringToObject(doc, "correction", "holm");
	cJSON_AddNumberToObject(doc, "alpha", r->opts.alpha);
	cJSON_AddNumberToObject(doc, "min_share", r->opts.min_share);
	cJSON_AddNumberToObject(doc, "min_change_points", r->opts.min_change * 100);
	cJSON_AddNumberToObject(doc, "tests", (double)r->ntests);
	cJSON_AddNumberToObject(doc, "significant", (double)r->nsignificant);
	if (info->fail_points >= 0) {
		cJSON_AddNumberToObject(doc, "fail_on_regression", info->fail_points);
		cJSON_AddBoolToObject(doc, "regression", worst > info->fail_points);
	}
	list = cJSON_AddArrayToObject(doc, "changes");
	for (i = 0; i < r->nchanges; i++) {
		const struct compare_change *c = &r->changes[i];
		cJSON *o = cJSON_CreateObject();

		fg_buf_reset(&name);
		fg_buf_add(&name, c->name, c->len);
		cJSON_AddStringToObject(o, "function", name.buf);
		cJSON_AddStringToObject(o, "share", kind_name(c->kind));
		cJSON_AddItemToObject(o, "base", json_share(&c->base, c->base_aside));
		cJSON_AddItemToObject(o, "new", json_share(&c->new, c->new_aside));
		cJSON_AddNumberToObject(o, "change_points", c->delta * 100);
		if (isnan(c->p))
			cJSON_AddNullToObject(o, "p");
		else
			cJSON_AddNumberToObject(o, "p", c->p);
		cJSON_AddBoolToObject(o, "significant", c->significant);
		cJSON_AddItemToArray(list, o);
	}
	text = cJSON_Print(doc);
	if (!text)
		die("out of memory writing a JSON report");
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF)
		ret = -FG_ERR_IO;
	free(text);
	cJSON_Delete(doc);
	fg_buf_release(&name);
	return ret;
}

/* --- the terminal --- */

void compare_print(const struct compare_result *r, size_t max, FILE *out)
{
	struct fg_buf b = FG_BUF_INIT;
	size_t i;

	fprintf(out, "compared on shares: %zu run%s (%.0f ± %.0f samples a run) against "
		"%zu in the base (%.0f ± %.0f)\n", r->new_runs, r->new_runs == 1 ? "" : "s",
		r->new_samples.mean, r->new_samples.sd, r->base_runs, r->base_samples.mean,
		r->base_samples.sd);
	if (!r->tested) {
		fprintf(out, "no significance can be given: at least %d runs a side are "
			"needed (--repeat %d)\n", COMPARE_MIN_RUNS, COMPARE_MIN_RUNS);
		return;
	}
	if (!r->nsignificant) {
		fprintf(out, "no significant change in the %zu shares tested (%g%% "
			"family-wise error rate)\n", r->ntests, r->opts.alpha * 100);
		return;
	}
	fprintf(out, "%zu significant change%s in the %zu shares tested (%g%% family-wise "
		"error rate):\n", r->nsignificant, r->nsignificant == 1 ? "" : "s",
		r->ntests, r->opts.alpha * 100);
	for (i = 0; i < r->nsignificant && i < max; i++) {
		const struct compare_change *c = &r->changes[i];

		fg_buf_reset(&b);
		compare_describe(c, &b);
		fprintf(out, "  %+7.2f  %.*s: %s\n", c->delta * 100, (int)c->len, c->name,
			b.buf);
	}
	if (r->nsignificant > max)
		fprintf(out, "  ... and %zu more\n", r->nsignificant - max);
	fg_buf_release(&b);
}
