/*
 * --diff-base: the base, the comparison on shares, the differential
 * table, the report and the verdict. See diff.h.
 */
#include "diff.h"
#include "../lib/outfile.h"
#include "../profiler/compare.h"

#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

struct run_diff {
	const char *name;		/* the base in messages */
	int is_pprof;
	struct profile base;		/* a pprof base */
	struct stack_table table;	/* the base as the graph draws it */
	size_t base_runs;		/* 1 for folded stacks */
	struct compare_side base_side, new_side;
	struct compare_result result;
	int compared;
	struct svg_verdicts verdicts;
	char *new_name;			/* what was compared, for the report */
};

/*
 * Is the base a pprof file? By its extension, else (a regular file) by
 * gzip's magic bytes; anything else is read as folded stacks.
 */
static int is_pprof(const char *path)
{
	static const char *const exts[] = { ".pb.gz", ".pb", ".pprof", ".gz" };
	size_t len = strlen(path), i;
	unsigned char magic[2];
	struct stat st;
	int fd, ret = 0;

	for (i = 0; i < ARRAY_SIZE(exts); i++) {
		size_t n = strlen(exts[i]);

		if (len > n && !strcmp(path + len - n, exts[i]))
			return 1;
	}
	if (!strcmp(path, "-") || stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (read(fd, magic, 2) == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
		ret = 1;
	close(fd);
	return ret;
}

int run_diff_load(struct fg_run_opts *o)
{
	struct run_diff *d;

	if (o->diff || !o->diff_base)
		return 0;
	d = o->diff = xcalloc(1, sizeof(*d));
	d->name = strcmp(o->diff_base, "-") ? o->diff_base : "standard input";
	stack_table_init(&d->table, 1);
	svg_verdicts_init(&d->verdicts);
	d->is_pprof = is_pprof(o->diff_base);
	if (d->is_pprof) {
		if (run_read_pprof(o->diff_base, &d->base))
			return EXIT_FATAL;
		d->base_runs = d->base.nruns ? d->base.nruns : 1;
	} else {
		if (run_read_folded(o->diff_base, &d->table))
			return EXIT_FATAL;
		if (d->table.has_diff) {
			error("'%s' is already differential: give the folded stacks of one "
			      "profile", d->name);
			return EXIT_FATAL;
		}
		d->base_runs = 1;
	}
	if (o->fail_on_regression >= 0 && d->base_runs < COMPARE_MIN_RUNS) {
		error("'--fail-on-regression' needs %d runs a side to tell a regression "
		      "from noise: '%s' has %zu (save the base with --repeat %d -o "
		      "base.pb.gz)", COMPARE_MIN_RUNS, d->name, d->base_runs,
		      COMPARE_MIN_RUNS);
		return EXIT_FATAL;
	}
	return 0;
}

/*
 * Add each run of p (one when it has none), folded as view says, to side
 * (initialised for them).
 */
static int side_of_profile(struct compare_side *side, const struct profile *p,
			   const struct profile_view *view)
{
	size_t runs = p->nruns ? p->nruns : 1, r;
	struct profile_view v = *view;
	int samples = profile_type_index(p, "samples"), ret = 0;

	/* the values' precision: the samples they were counted from */
	if (samples >= 0 && strcmp(p->types[samples].unit, "count"))
		samples = -1;
	compare_side_init(side, runs);
	for (r = 0; r < runs && !ret; r++) {
		struct stack_table t;

		stack_table_init(&t, 1);
		v.run = p->nruns ? (uint32_t)r + 1 : 0;
		ret = profile_fold(p, &v, &t);
		if (!ret)
			compare_side_add_run(side, r, &t, samples < 0 ? 0 :
					     profile_run_total(p, v.run, samples));
		stack_table_release(&t);
	}
	return ret;
}

/*
 * The notes and colours of the SVG: every function tested, its figures
 * in its frames' titles, coloured by its largest significant change (the
 * others stay neutral).
 */
static void make_verdicts(struct run_diff *d)
{
	const struct compare_result *r = &d->result;
	struct fg_buf note = FG_BUF_INIT;
	double largest = 0;
	size_t i, j;

	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].significant && fabs(r->changes[i].delta) > largest)
			largest = fabs(r->changes[i].delta);
	for (i = 0; i < r->nchanges; i++) {
		const struct compare_change *c = &r->changes[i];
		const struct compare_change *strongest = NULL;
		struct svg_verdict v = { 0 };

		if (svg_verdicts_find(&d->verdicts, c->name, c->len))
			continue;	/* said with its first change */
		fg_buf_reset(&note);
		for (j = i; j < r->nchanges; j++) {
			const struct compare_change *e = &r->changes[j];

			if (e->len != c->len || memcmp(e->name, c->name, c->len))
				continue;
			if (note.len)
				fg_buf_addstr(&note, "; ");
			if (!e->significant)
				fg_buf_addstr(&note, "no significant change: ");
			compare_describe(e, &note);
			if (e->significant && (!strongest ||
					       fabs(e->delta) > fabs(strongest->delta)))
				strongest = e;
		}
		if (strongest) {
			v.sign = strongest->delta > 0 ? 1 : -1;
			v.strength = largest > 0 ? fabs(strongest->delta) / largest : 1;
		}
		v.note = note.buf;
		svg_verdicts_add(&d->verdicts, c->name, c->len, &v);
	}
	fg_buf_release(&note);
}

/* The index of the base's sample type that is p's type `value`. */
static int base_type(const struct run_diff *d, const struct profile *p, int value)
{
	const char *type = p->types[value].type;
	int i = profile_type_index(&d->base, type);

	if (i < 0 && d->base.ntypes == 1 && p->ntypes == 1)
		i = 0;	/* one type a side: the same thing, named apart */
	if (i < 0)
		error("'%s' has no sample type '%s' to compare with", d->name, type);
	return i;
}

int run_diff_compare(struct fg_run_opts *o, const struct profile *p,
		     const struct profile_view *view, const char *source)
{
	struct compare_opts co = { o->diff_min_share / 100, o->diff_alpha,
				   o->diff_min_change / 100 };
	struct profile_view sv = { 0 };
	struct run_diff *d;
	int ret = run_diff_load(o);

	if (ret)
		return ret;
	d = o->diff;
	if (view->before) {
		error("%s is already differential: it cannot be compared with '%s'", source,
		      d->name);
		return EXIT_FATAL;
	}
	/* functions by name: roots as process names, whatever the graph shows */
	sv.skip_after = view->skip_after;
	sv.value = view->value;
	if (side_of_profile(&d->new_side, p, &sv)) {
		error("cannot fold the stacks of %s: a count overflows a 64-bit integer",
		      source);
		return EXIT_FATAL;
	}
	if (d->is_pprof) {
		struct profile_view bv = *view;

		sv.value = base_type(d, p, view->value);
		if (sv.value < 0)
			return EXIT_FATAL;
		/* a pprof base is not text: --skip-after is the view's */
		sv.skip_after = o->collapse.skip_after;
		bv.value = sv.value;
		bv.skip_after = sv.skip_after;
		bv.timeline = bv.by_thread = 0;
		bv.before = 0;
		if (side_of_profile(&d->base_side, &d->base, &sv) ||
		    profile_fold(&d->base, &bv, &d->table)) {
			error("cannot fold the stacks of '%s': a count overflows a 64-bit "
			      "integer", d->name);
			return EXIT_FATAL;
		}
	} else {
		compare_side_init(&d->base_side, 1);
		compare_side_add_run(&d->base_side, 0, &d->table, 0);
	}
	if (compare_sides(&d->base_side, &d->new_side, &co, &d->result) < 0) {
		error("no stack counts found in '%s' to compare with", d->name);
		return EXIT_FATAL;
	}
	d->compared = 1;
	d->new_name = xstrdup(p->meta.command ? p->meta.command : source);
	if (o->fail_on_regression >= 0 && !d->result.tested) {
		error("'--fail-on-regression' needs %d runs a side to tell a regression "
		      "from noise: %s has %zu (--repeat %d)", COMPARE_MIN_RUNS, source,
		      d->result.new_runs, COMPARE_MIN_RUNS);
		return EXIT_FATAL;
	}
	if (d->result.tested) {
		make_verdicts(d);
		o->svg.verdicts = &d->verdicts;
	}
	return 0;
}

int run_diff_table(struct fg_run_opts *o, struct stack_table *t)
{
	struct run_diff *d = o->diff;
	const struct stack_table *base;
	struct stack_table diff;
	double scale = 1;
	size_t i;
	int ret = 0;

	if (!d)
		BUG("run_diff_table before run_diff_compare");
	base = &d->table;
	if (t->has_diff) {
		error("the stacks are already differential: they cannot be compared with '%s'",
		      d->name);
		return -1;
	}
	/* on shares: the base drawn as if it had as many samples as t */
	if (!strcmp(o->diff_mode, "shares") && base->total)
		scale = (double)t->total / (double)base->total;
	stack_table_init(&diff, 1);
	for (i = 0; i < t->nr && !ret; i++) {
		const struct stack_entry *e = &t->v[i];
		const struct stack_entry *b = stack_table_find(base, e->stack, e->len);

		ret = stack_table_add_diff(&diff, e->stack, e->len,
					   b ? (uint64_t)llround((double)b->count * scale) : 0,
					   e->count);
	}
	for (i = 0; i < base->nr && !ret; i++) {
		const struct stack_entry *b = &base->v[i];

		if (!t->merge || !stack_table_find(t, b->stack, b->len))
			ret = stack_table_add_diff(&diff, b->stack, b->len,
						   (uint64_t)llround((double)b->count * scale), 0);
	}
	diff.has_diff = 1;
	if (ret < 0) {
		stack_table_release(&diff);
		return error("cannot build the differential stacks: %s", fg_strerror(ret));
	}
	stack_table_release(t);
	*t = diff;
	return 0;
}

/* The --report file, Markdown or JSON by its extension. */
static int write_report(const struct fg_run_opts *o, const struct run_diff *d)
{
	struct compare_report info = { d->name, d->new_name, o->fail_on_regression };
	struct fg_buf err = FG_BUF_INIT;
	size_t len = strlen(o->report);
	struct outfile of;
	int ret;

	if (outfile_open(&of, o->report, &err)) {
		error("%s", err.buf);
		fg_buf_release(&err);
		return EXIT_FATAL;
	}
	if (len > 5 && !strcmp(o->report + len - 5, ".json"))
		ret = compare_write_json(&d->result, &info, of.fp);
	else
		ret = compare_write_markdown(&d->result, &info, of.fp);
	if (ret) {
		error("cannot write '%s': %s", o->report, strerror(errno));
		outfile_abort(&of);
	} else if (outfile_commit(&of, &err)) {
		error("%s", err.buf);
		ret = -1;
	}
	fg_buf_release(&err);
	return ret ? EXIT_FATAL : 0;
}

int run_diff_finish(struct fg_run_opts *o, int ret)
{
	struct run_diff *d = o->diff;
	const struct compare_change *c;
	double worst;
	size_t i;

	if (ret || !d || !d->compared)
		return ret;
	if (o->report) {
		FILE *msg = o->stdout_output ? stderr : stdout;

		fprintf(msg, "writing comparison to \"%s\"\n", o->report);
		fflush(msg);
		ret = write_report(o, d);
		if (ret)
			return ret;
	}
	compare_print(&d->result, 10, stderr);
	if (o->fail_on_regression < 0)
		return 0;
	worst = compare_worst_growth(&d->result);
	if (!(worst > o->fail_on_regression))
		return 0;
	for (i = 0; i < d->result.nchanges; i++) {
		c = &d->result.changes[i];
		if (c->significant && c->delta * 100 > o->fail_on_regression)
			fprintf(stderr, "regression: the %s share of %.*s grew by %.2f "
				"points, more than the %g allowed (--fail-on-regression)\n",
				c->kind == COMPARE_SELF ? "self" : "total", (int)c->len,
				c->name, c->delta * 100, o->fail_on_regression);
	}
	return EXIT_REGRESSION;
}

void run_diff_release(struct fg_run_opts *o)
{
	struct run_diff *d = o->diff;

	if (!d)
		return;
	if (d->is_pprof)
		profile_release(&d->base);
	stack_table_release(&d->table);
	compare_side_release(&d->base_side);
	compare_side_release(&d->new_side);
	compare_result_release(&d->result);
	svg_verdicts_release(&d->verdicts);
	free(d->new_name);
	free(d);
	o->diff = NULL;
	o->svg.verdicts = NULL;
}
