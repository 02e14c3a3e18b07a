#include "run.h"
#include "diff.h"
#include "../lib/clock.h"
#include "../lib/error.h"
#include "../lib/files.h"
#include "../lib/outfile.h"
#include "../lib/spawn.h"
#include "../profiler/pprof.h"
#include "../profiler/speedscope.h"

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* --format's values, in the order of enum run_format. */
const char *const fg_formats[] = { "svg", "folded", "pprof", "speedscope", NULL };
const char *const fg_diff_modes[] = { "shares", "counts", NULL };

/* What each format is called in messages, and its file without -o. */
static const struct {
	const char *what;
	const char *default_path;
} formats[] = {
	[RUN_SVG] = { "flamegraph", FG_DEFAULT_OUTPUT ".svg" },
	[RUN_FOLDED] = { "folded stacks", FG_DEFAULT_OUTPUT ".folded" },
	[RUN_PPROF] = { "pprof profile", FG_DEFAULT_OUTPUT ".pb.gz" },
	[RUN_SPEEDSCOPE] = { "speedscope profile", FG_DEFAULT_OUTPUT ".speedscope.json" },
};

/* The extensions that name a format, as error messages list them. */
static const struct {
	const char *ext;
	enum run_format format;
} extensions[] = {
	{ ".svg", RUN_SVG },
	{ ".folded", RUN_FOLDED },
	{ ".txt", RUN_FOLDED },
	{ ".pb.gz", RUN_PPROF },
	{ ".pprof", RUN_PPROF },
	{ ".speedscope.json", RUN_SPEEDSCOPE },
};
#define KNOWN_EXTENSIONS ".svg, .folded, .txt, .pb.gz, .pprof or .speedscope.json"

/* Size of the blocks inputs are read in. */
#define READ_BLOCK (8u << 20)

/* The largest pprof file read (compressed, as it is on disk). */
#define PPROF_MAX_FILE ((size_t)2 << 30)

void run_opts_init(struct fg_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->value = -1;
	o->diff_mode = FG_DEFAULT_DIFF_MODE;
	o->diff_min_share = FG_DEFAULT_DIFF_MIN_SHARE;
	o->diff_alpha = FG_DEFAULT_DIFF_ALPHA;
	o->diff_min_change = FG_DEFAULT_DIFF_MIN_CHANGE;
	o->fail_on_regression = NAN;	/* not given (settled by run_opts_finish()) */
	svg_opts_init(&o->svg);
	o->count_name_default = o->svg.count_name;
}

void run_opts_release(struct fg_run_opts *o)
{
	fg_strlist_release(&o->from_folded);
	fg_strlist_release(&o->from_perf_script);
	fg_strlist_release(&o->output);
	fg_strlist_release(&o->skip_after);
	fg_strlist_release(&o->base);
	FREE_AND_NULL(o->outputs);
	o->noutputs = 0;
	run_diff_release(o);
}

int opt_palette_cb(const struct fg_option *opt, const char *arg)
{
	struct fg_run_opts *o = opt->value;

	o->palette_set = 1;
	if (svg_palette_parse(arg, &o->svg.palette)) {
		struct fg_buf list = FG_BUF_INIT;
		const char *const *p;

		for (p = svg_palette_names; *p; p++)
			fg_buf_addf(&list, "%s%s", p == svg_palette_names ? "" : ", ", *p);
		error("invalid value '%s' for '--palette': possible values: %s",
		      arg, list.buf);
		fg_buf_release(&list);
		return -1;
	}
	return 0;
}

int opt_bgcolors_cb(const struct fg_option *opt, const char *arg)
{
	if (svg_bgcolor_parse(arg, opt->value))
		return error("invalid value '%s' for '--bg-colors': expected yellow, blue, green, grey or #rrggbb",
			     arg);
	return 0;
}

static int copy_color(const struct fg_option *opt, const char *arg)
{
	char *dst = opt->value;

	if (svg_color_check(arg))
		return error("invalid value '%s' for '--%s': expected a colour as #rrggbb",
			     arg, opt->long_name);
	memcpy(dst, arg, 7);
	dst[7] = '\0';
	return 0;
}

int opt_color_cb(const struct fg_option *opt, const char *arg)
{
	return copy_color(opt, arg);
}

int opt_stroke_cb(const struct fg_option *opt, const char *arg)
{
	if (!strcmp(arg, "none")) {
		((char *)opt->value)[0] = '\0';
		return 0;
	}
	return copy_color(opt, arg);
}

int opt_inverted_cb(const struct fg_option *opt, const char *arg)
{
	struct svg_opts *s = opt->value;

	(void)arg;
	s->direction = SVG_INVERTED;
	return 0;
}

/* The format path's extension names (case aside), or -1. */
static int format_of_extension(const char *path)
{
	size_t len = strlen(path), i;

	for (i = 0; i < ARRAY_SIZE(extensions); i++) {
		size_t n = strlen(extensions[i].ext);

		if (len > n && !strcasecmp(path + len - n, extensions[i].ext))
			return (int)extensions[i].format;
	}
	return -1;
}

static int format_by_name(const char *name)
{
	int i;

	for (i = 0; fg_formats[i]; i++)
		if (!strcmp(fg_formats[i], name))
			return i;
	BUG("unknown format '%s'", name);
}

static void add_output(struct fg_run_opts *o, size_t *alloc, const char *path,
		       enum run_format format, const char *option)
{
	struct run_output *out;

	ALLOC_GROW(o->outputs, o->noutputs + 1, *alloc);
	out = &o->outputs[o->noutputs++];
	out->path = path;
	out->format = format;
	out->option = option;
	out->before_diff = 0;
	if (!strcmp(path, "-"))
		o->stdout_output = 1;
}

/*
 * The outputs of -o and --folded-output, each with its format: --format
 * (one -o), else the extension, else svg for a single -o. With several
 * -o an extension that names no format is a usage error: guessing would
 * write a format the name does not say.
 */
static int settle_outputs(struct fg_run_opts *o)
{
	size_t alloc = 0, i;

	FREE_AND_NULL(o->outputs);
	o->noutputs = 0;
	o->stdout_output = 0;
	if (o->format && o->output.nr > 1)
		return error("'--format' cannot be used with several outputs: each "
			     "output's extension says its format (" KNOWN_EXTENSIONS ")");
	if (!o->output.nr) {
		enum run_format f = o->format ? format_by_name(o->format) : RUN_SVG;

		add_output(o, &alloc, formats[f].default_path, f, "--output");
	}
	for (i = 0; i < o->output.nr; i++) {
		const char *path = o->output.v[i];
		int f = o->format ? format_by_name(o->format) : format_of_extension(path);

		/* an empty path is run_check_outputs()'s to report */
		if (f < 0 && o->output.nr > 1 && *path) {
			if (!strcmp(path, "-"))
				return error("cannot tell the format of standard output "
					     "('-o -') among several outputs: write it alone, "
					     "with --format");
			return error("cannot tell the format of '%s' from its extension: "
				     "with several outputs, each is named " KNOWN_EXTENSIONS,
				     path);
		}
		add_output(o, &alloc, path, f < 0 ? RUN_SVG : (enum run_format)f, "--output");
	}
	if (o->folded_output) {
		add_output(o, &alloc, o->folded_output, RUN_FOLDED, "--folded-output");
		o->outputs[o->noutputs - 1].before_diff = 1;
	}
	return 0;
}

/*
 * The comparison's options: what it writes or decides needs --diff-base
 * (the settings of the comparison are only unused without it).
 */
static int settle_diff(struct fg_run_opts *o)
{
	const char *given = !isnan(o->fail_on_regression) ? "--fail-on-regression" :
			    o->report ? "--report" : NULL;
	size_t len;

	if (given && !o->diff_base)
		return error("'%s' needs '--diff-base' (the profile to compare with)", given);
	if (!(o->diff_min_change >= 0 && o->diff_min_change <= 100))
		return error("invalid value '%g' for '--diff-min-change': expected "
			     "percentage points from 0 to 100", o->diff_min_change);
	if (!(o->diff_min_share >= 0 && o->diff_min_share <= 100))
		return error("invalid value '%g' for '--diff-min-share': expected a "
			     "percentage from 0 to 100", o->diff_min_share);
	if (!(o->diff_alpha > 0 && o->diff_alpha < 1))
		return error("invalid value '%g' for '--diff-alpha': expected a "
			     "probability above 0 and below 1", o->diff_alpha);
	if (isnan(o->fail_on_regression)) {
		o->fail_on_regression = -1;
	} else if (!(o->fail_on_regression >= 0 && o->fail_on_regression <= 100)) {
		return error("invalid value '%g' for '--fail-on-regression': expected "
			     "percentage points from 0 to 100", o->fail_on_regression);
	}
	if (o->fail_on_regression >= 0 && !strcmp(o->diff_mode, "counts"))
		return error("'--fail-on-regression' compares shares: it cannot be used "
			     "with '--diff-mode counts'");
	len = o->report ? strlen(o->report) : 0;
	if (o->report && !(len > 3 && !strcmp(o->report + len - 3, ".md")) &&
	    !(len > 5 && !strcmp(o->report + len - 5, ".json")))
		return error("invalid value '%s' for '--report': expected a path "
			     "ending in .md (Markdown) or .json", o->report);
	return 0;
}

int run_opts_finish(struct fg_run_opts *o)
{
	struct svg_opts *s = &o->svg;
	const char *chart = o->flamechart_merge_threads ? "--flamechart-merge-threads" :
			    "--flamechart";

	if (o->flamechart_merge_threads)
		s->flame_chart = 1;
	if (s->hash && s->deterministic)
		return error("'--hash' cannot be used with '--deterministic'");
	if (s->reverse && s->flame_chart)
		return error("'--reverse' cannot be used with '%s'", chart);
	if (s->reverse && s->no_sort)
		return error("'--reverse' cannot be used with '--no-sort'");
	if (s->color_diffusion && o->palette_set)
		return error("'--color-diffusion' cannot be used with '--palette'");
	if (s->min_width < 0 || s->min_width > 100)
		return error("invalid value '%g' for '--min-width': expected a percentage from 0 to 100",
			     s->min_width);
	if (s->font_size <= 0 || s->font_size > 1000)
		return error("invalid value '%g' for '--font-size': expected a size above 0",
			     s->font_size);
	if (s->font_width <= 0 || s->font_width > 100)
		return error("invalid value '%g' for '--font-width': expected a ratio above 0",
			     s->font_width);
	if (!s->frame_height || s->frame_height > 10000)
		return error("invalid value '%u' for '--frame-height': expected 1 to 10000",
			     s->frame_height);
	if (s->image_width && (s->image_width < 100 || s->image_width > 1000000))
		return error("invalid value '%u' for '--image-width': expected 100 to 1000000",
			     s->image_width);
	if (s->factor <= 0)
		return error("invalid value '%g' for '--factor': expected a number above 0",
			     s->factor);
	if (o->sample_type && !o->from_pprof)
		return error("'--sample-type' needs '--from-pprof' (other inputs have "
			     "one type of value)");
	if (settle_diff(o))
		return -1;
	if (o->include_tid)
		o->include_pid = 1;
	o->collapse.skip_after = fg_strlist_nullterm(&o->skip_after);
	s->base = fg_strlist_nullterm(&o->base);
	if (o->consistent_palette)
		s->palette_map_file = "palette.map";
	return settle_outputs(o);
}

/* Does some output have format f? */
static int has_format(const struct fg_run_opts *o, enum run_format f)
{
	size_t i;

	for (i = 0; i < o->noutputs; i++)
		if (o->outputs[i].format == f)
			return 1;
	return 0;
}

int run_wants_timeline(const struct fg_run_opts *o)
{
	return has_format(o, RUN_SPEEDSCOPE) ||
	       (o->svg.flame_chart && has_format(o, RUN_SVG));
}

int run_wants_details(const struct fg_run_opts *o)
{
	return has_format(o, RUN_PPROF);
}

/*
 * An output's directory, checked before a long recording is made for
 * nothing: it must exist and take a new file (an existing device or FIFO
 * is written in place and needs neither).
 */
static int check_output_dir(const char *path)
{
	struct fg_buf err = FG_BUF_INIT;
	char *real = NULL, *slash;
	struct stat st;
	int ret = 0;

	if (outfile_resolve(path, &real, &err)) {
		ret = error("cannot write '%s': %s", path, err.buf);
		goto out;
	}
	if (!stat(real, &st)) {
		if (S_ISDIR(st.st_mode))
			ret = error("cannot write '%s': it is a directory", path);
		else if (!S_ISREG(st.st_mode))
			goto out;
	}
	slash = strrchr(real, '/');
	*slash = '\0';
	if (stat(*real ? real : "/", &st))
		ret = error("cannot write '%s': the directory '%s' %s", path,
			    *real ? real : "/", errno == ENOENT ? "does not exist" : strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		ret = error("cannot write '%s': '%s' is not a directory", path, real);
	else if (access(*real ? real : "/", W_OK | X_OK))
		ret = error("cannot write '%s': no permission to create files in '%s'",
			    path, *real ? real : "/");
out:
	free(real);
	fg_buf_release(&err);
	return ret;
}

/* The same file, by the path it resolves to. */
static int same_output(const char *a, const char *b)
{
	struct fg_buf err = FG_BUF_INIT;
	char *ra = NULL, *rb = NULL;
	int same;

	if (!strcmp(a, "-") || !strcmp(b, "-"))
		return !strcmp(a, b);
	same = !outfile_resolve(a, &ra, &err) && !outfile_resolve(b, &rb, &err) &&
	       !strcmp(ra, rb);
	free(ra);
	free(rb);
	fg_buf_release(&err);
	return same;
}

int run_check_outputs(const struct fg_run_opts *o)
{
	size_t n = o->noutputs + 2, i, j;
	const char **outs = xcalloc(n, sizeof(*outs)), **names = xcalloc(n, sizeof(*names));
	int ret = 0;

	for (i = 0; i < o->noutputs; i++) {
		outs[i] = o->outputs[i].path;
		names[i] = o->outputs[i].option;
	}
	outs[i] = o->consistent_palette ? "palette.map" : NULL;
	names[i++] = "--consistent-palette";
	outs[i] = o->report;
	names[i] = "--report";
	for (i = 0; i < n && !ret; i++) {
		if (!outs[i])
			continue;
		if (!*outs[i]) {
			error("invalid value '' for '%s': expected a path, or '-' for standard output",
			      names[i]);
			ret = EXIT_USAGE;
		}
		for (j = 0; j < i && !ret; j++) {
			if (!outs[j] || !same_output(outs[i], outs[j]))
				continue;
			if (!strcmp(outs[i], "-") && !strcmp(names[i], names[j]))
				error("'%s' names standard output twice", names[i]);
			else if (!strcmp(outs[i], "-"))
				error("'%s' and '%s' cannot both write to standard output",
				      names[j], names[i]);
			else if (!strcmp(names[i], names[j]))
				error("'%s' names '%s' twice", names[i], outs[i]);
			else
				error("'%s' and '%s' cannot both write '%s'",
				      names[j], names[i], outs[i]);
			ret = EXIT_USAGE;
		}
	}
	for (i = 0; i < n && !ret; i++)
		if (outs[i] && strcmp(outs[i], "-") && check_output_dir(outs[i]))
			ret = EXIT_FATAL;
	free(outs);
	free(names);
	return ret;
}

static int open_input(const char *path)
{
	int fd;

	if (!strcmp(path, "-"))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		error("cannot open '%s': %s", path, strerror(errno));
	return fd;
}

static const char *input_name(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

/*
 * Read folded text from fd in large blocks, handing whole lines to the
 * parser, so that memory follows the number of distinct stacks.
 */
static int load_folded_fd(folded_line_fn fn, void *ctx, int fd, const char *name,
			  struct svg_warnings *w)
{
	struct fg_buf buf = FG_BUF_INIT, err = FG_BUF_INIT;
	int ret = 0, eof = 0;

	while (!eof) {
		size_t keep;
		char *nl;
		ssize_t n;

		fg_buf_grow(&buf, READ_BLOCK);
		n = read(fd, buf.buf + buf.len, READ_BLOCK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = error("cannot read '%s': %s", name, strerror(errno));
			break;
		}
		if (!n) {
			eof = 1;
			keep = 0;
			if (buf.len && buf.buf[buf.len - 1] != '\n')
				fg_buf_addch(&buf, '\n');
		} else {
			size_t old = buf.len;

			fg_buf_setlen(&buf, old + (size_t)n);
			nl = memrchr(buf.buf + old, '\n', (size_t)n);
			if (!nl && buf.len > FG_MAX_LINE) {
				ret = error("cannot read '%s': line %" PRIu64 " is longer than %zu MB",
					    name, w->lines + 1, FG_MAX_LINE >> 20);
				break;
			}
			if (!nl)
				continue;	/* a line longer than the buffer */
			keep = buf.len - (size_t)(nl + 1 - buf.buf);
		}
		ret = folded_parse_each(buf.buf, buf.len - keep, w, &err, fn, ctx);
		if (ret < 0) {
			error("cannot read '%s': %s%s%s (line %" PRIu64 ")", name, fg_strerror(ret),
			      err.len ? ": " : "", err.buf, w->lines);
			break;
		}
		memmove(buf.buf, buf.buf + buf.len - keep, keep);
		fg_buf_setlen(&buf, keep);
	}
	fg_buf_release(&buf);
	fg_buf_release(&err);
	return ret < 0 ? -1 : 0;
}

static int load_perf_script(struct fg_run_opts *o, struct profile *p,
			    int fd, const char *name)
{
	struct collapse_stats stats;
	struct fg_buf err = FG_BUF_INIT;
	int ret = collapse_perf_fd(p, &o->collapse, fd, &stats, &err);

	if (ret == -FG_ERR_LINE_TOO_LONG) {
		error("cannot read '%s': %s", name, err.buf);
		fg_buf_release(&err);
		return -1;
	}
	if (ret < 0) {
		error("cannot collapse '%s': %s%s%s", name, fg_strerror(ret),
		      err.len ? ": " : "", err.buf);
		fg_buf_release(&err);
		return -1;
	}
	if (stats.weird_events || stats.weird_stack_lines)
		warning("ignored %" PRIu64 " event lines and %" PRIu64
			" stack lines of unexpected format in '%s'",
			stats.weird_events, stats.weird_stack_lines, name);
	if (o->verbose)
		fprintf(stderr, "%s: %" PRIu64 " events, %" PRIu64 " kept, %"
			PRIu64 " of other event types\n", name, stats.events,
			stats.events_kept, stats.filtered);
	fg_buf_release(&err);
	return 0;
}

/* A folded line into the profile ctx: its line number is its time. */
struct folded_reader {
	struct profile *p;
	uint64_t line;
};

static int add_folded_line(void *ctx, const char *stack, size_t len, int diff,
			   uint64_t before, uint64_t count)
{
	struct folded_reader *r = ctx;
	uint64_t values[PROFILE_MAX_TYPES] = { 0 };
	uint32_t st = profile_text_stack(r->p, stack, len);

	values[0] = count;
	if (diff)
		values[profile_add_type(r->p, "before", "count")] = before;
	return profile_add_at(r->p, ++r->line, st, 0, values);
}

void run_text_profile(const struct fg_run_opts *o, struct profile *p)
{
	static const struct profile_value_type samples = { "samples", "count" };

	profile_init(p, &samples, 1);
	p->meta.from_text = 1;
	/*
	 * the order of folded lines matters to flame charts, --no-sort and
	 * speedscope's time order (perf script text gives no order: the
	 * collapser sums)
	 */
	if (o->from_folded.nr &&
	    (o->svg.flame_chart || o->svg.no_sort || has_format(o, RUN_SPEEDSCOPE)))
		profile_keep_timeline(p);
}

int run_load_inputs(struct fg_run_opts *o, struct profile *p,
		    struct fg_buf *source)
{
	struct folded_reader reader = { p, 0 };
	struct svg_warnings w = { 0 };
	double start = fg_now_ms();
	size_t i;
	int ret = 0;

	for (i = 0; i < o->from_folded.nr && !ret; i++) {
		const char *path = o->from_folded.v[i];
		int fd = open_input(path);

		if (fd < 0)
			return EXIT_FATAL;
		fg_buf_addf(source, "%s'%s'", source->len ? ", " : "", input_name(path));
		if (!o->input_name)
			o->input_name = input_name(path);
		ret = load_folded_fd(add_folded_line, &reader, fd, input_name(path), &w);
		if (fd)
			close(fd);
	}
	for (i = 0; i < o->from_perf_script.nr && !ret; i++) {
		const char *path = o->from_perf_script.v[i];
		int fd = open_input(path);

		if (fd < 0)
			return EXIT_FATAL;
		fg_buf_addf(source, "%s'%s'", source->len ? ", " : "", input_name(path));
		if (!o->input_name)
			o->input_name = input_name(path);
		ret = load_perf_script(o, p, fd, input_name(path));
		if (fd)
			close(fd);
	}
	if (ret)
		return EXIT_FATAL;
	if (w.bad_lines)
		warning("ignored %" PRIu64 " lines with invalid format in %s",
			w.bad_lines, source->buf);
	if (w.fractional)
		warning("the input has fractional sample counts that were truncated to integers");
	if (o->verbose)
		fprintf(stderr, "read %zu distinct stacks in %.1f ms\n", p->nsamples,
			fg_now_ms() - start);
	return 0;
}

/*
 * Read all of fd into sb, at most max bytes: 0, -1 with errno, or -2 when
 * there is more. A regular file is sized first (a pipe or a FIFO is read
 * as it comes).
 */
static int read_bounded(int fd, struct fg_buf *sb, size_t max)
{
	struct stat st;

	if (!fstat(fd, &st) && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > max)
			return -2;
		fg_buf_grow(sb, (size_t)st.st_size + 1);
	}
	for (;;) {
		size_t room;
		ssize_t n;

		if (sb->alloc - sb->len < 2)
			fg_buf_grow(sb, sb->len < (1u << 16) ? (1u << 16) : sb->len);
		room = sb->alloc - sb->len - 1;
		if (room > max + 1 - sb->len)
			room = max + 1 - sb->len;
		n = read(fd, sb->buf + sb->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			return 0;
		fg_buf_setlen(sb, sb->len + (size_t)n);
		if (sb->len > max)
			return -2;
	}
}

/* "samples, cpu": the sample types of p, for messages. */
static void list_types(struct fg_buf *sb, const struct profile *p)
{
	size_t i;

	for (i = 0; i < p->ntypes; i++)
		fg_buf_addf(sb, "%s%s", i ? ", " : "", p->types[i].type);
}

int run_read_pprof(const char *path, struct profile *p)
{
	const char *name = input_name(path);
	struct fg_buf data = FG_BUF_INIT, err = FG_BUF_INIT;
	int fd, r, ret = 0;

	memset(p, 0, sizeof(*p));
	fd = open_input(path);
	if (fd < 0)
		return EXIT_FATAL;
	r = read_bounded(fd, &data, PPROF_MAX_FILE);
	if (fd)
		close(fd);
	if (r == -1) {
		error("cannot read '%s': %s", name, strerror(errno));
		ret = EXIT_FATAL;
	} else if (r == -2) {
		error("cannot read '%s': a pprof file larger than %zu GiB is not read",
		      name, PPROF_MAX_FILE >> 30);
		ret = EXIT_FATAL;
	} else if ((r = pprof_read((const unsigned char *)data.buf, data.len, p, &err)) < 0) {
		error("cannot read '%s': %s", name, err.len ? err.buf : fg_strerror(r));
		ret = EXIT_FATAL;
	}
	fg_buf_release(&data);
	fg_buf_release(&err);
	return ret;
}

int run_read_folded(const char *path, struct stack_table *t)
{
	struct svg_warnings w = { 0 };
	int fd = open_input(path), ret;

	if (fd < 0)
		return -1;
	ret = load_folded_fd(folded_to_table, t, fd, input_name(path), &w);
	if (fd)
		close(fd);
	if (!ret && w.bad_lines)
		warning("ignored %" PRIu64 " lines with invalid format in '%s'",
			w.bad_lines, input_name(path));
	return ret;
}

int run_load_pprof(struct fg_run_opts *o, struct profile *p, struct fg_buf *source)
{
	const char *name = input_name(o->from_pprof);
	struct fg_buf err = FG_BUF_INIT;
	int ret;

	fg_buf_addf(source, "'%s'", name);
	o->input_name = name;
	ret = run_read_pprof(o->from_pprof, p);
	if (ret)
		return ret;
	if (o->sample_type) {
		o->value = profile_type_index(p, o->sample_type);
		if (o->value < 0) {
			fg_buf_reset(&err);
			list_types(&err, p);
			error("invalid value '%s' for '--sample-type': '%s' has the sample "
			      "types %s", o->sample_type, name, err.buf);
			ret = EXIT_USAGE;
		}
	} else {
		/* as go tool pprof: the default type, else the last one */
		o->value = p->meta.default_type ?
			   profile_type_index(p, p->meta.default_type) : -1;
		if (o->value < 0)
			o->value = (int)p->ntypes - 1;
	}
	if (!ret && o->verbose) {
		fg_buf_reset(&err);
		list_types(&err, p);
		fprintf(stderr, "%s: %zu samples, sample types %s; drawing '%s'\n", name,
			p->nsamples, err.buf, p->types[o->value].type);
	}
	fg_buf_release(&err);
	return ret;
}

/* Folded text of t into a memory file, for a child's standard input. */
static int folded_to_memfd(const struct stack_table *t)
{
	int fd = memfd_create("folded", MFD_CLOEXEC);
	FILE *fp;

	if (fd < 0)
		return error("cannot create a memory file: %s", strerror(errno));
	fp = fdopen(dup(fd), "w");
	if (!fp || stack_table_write(t, fp) || fclose(fp)) {
		close(fd);
		return error("cannot write the folded stacks: %s", strerror(errno));
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/*
 * Replace t by what the --post-process command makes of its folded text.
 * Its output is read as it comes, into the stack table, so that memory
 * follows the distinct stacks it prints, not the length of its output.
 */
static int post_process(struct fg_run_opts *o, struct stack_table *t)
{
	struct fg_buf err = FG_BUF_INIT;
	struct svg_warnings w = { 0 };
	struct stack_table result;
	char **argv;
	int argc, fd, out_fd, status, ret;
	pid_t pid;

	argv = split_command(o->post_process, &argc, &err);
	if (!argv) {
		error("unable to parse post-process command '%s': %s",
		      o->post_process, err.buf);
		fg_buf_release(&err);
		return -1;
	}
	if (o->verbose)
		fprintf(stderr, "post-process: running '%s'\n", o->post_process);
	stack_table_sort(t);
	fd = folded_to_memfd(t);
	if (fd < 0) {
		free_argv(argv);
		return -1;
	}
	ret = spawn_filter(argv, fd, &pid, &out_fd, &err);
	close(fd);
	if (ret) {
		error("unable to execute post-process command: %s", err.buf);
		goto out;
	}
	stack_table_init(&result, t->merge);
	ret = load_folded_fd(folded_to_table, &result, out_fd, "the output of the post-process command", &w);
	if (ret)
		kill(pid, SIGTERM);	/* what it prints next is of no use */
	close(out_fd);
	status = spawn_wait(pid);
	if (!ret && (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status))) {
		fg_buf_reset(&err);
		describe_status(&err, status);
		ret = error("post-process command '%s' failed: it %s",
			    o->post_process, err.buf);
	}
	if (!ret && !result.nr)
		ret = error("the post-process command '%s' printed no stacks "
			    "(it must print folded stacks: 'frame;frame COUNT' lines)",
			    o->post_process);
	if (ret) {
		stack_table_release(&result);
		goto out;
	}
	if (w.bad_lines)
		warning("ignored %" PRIu64 " lines with invalid format in the output of the post-process command",
			w.bad_lines);
	stack_table_release(t);
	*t = result;
out:
	free_argv(argv);
	fg_buf_release(&err);
	return ret;
}

/* Write the folded stacks of t, merged and sorted, to path. */
static int write_folded(struct stack_table *t, const char *path)
{
	struct fg_buf err = FG_BUF_INIT;
	struct stack_table merged, *src = t;
	struct outfile of;
	int ret = 0;

	if (!t->merge) {
		size_t i;

		/* Input order mattered for the graph: fold a copy. */
		stack_table_init(&merged, 1);
		for (i = 0; i < t->nr; i++) {
			const struct stack_entry *e = &t->v[i];

			if (t->has_diff)
				stack_table_add_diff(&merged, e->stack, e->len,
						     e->before, e->count);
			else
				stack_table_add(&merged, e->stack, e->len, e->count);
		}
		merged.has_diff = t->has_diff;
		src = &merged;
	}
	stack_table_sort(src);
	if (outfile_open(&of, path, &err)) {
		ret = error("%s", err.buf);
	} else if (stack_table_write(src, of.fp)) {
		ret = error("cannot write '%s': %s", path, strerror(errno));
		outfile_abort(&of);
	} else if (outfile_commit(&of, &err)) {
		ret = error("%s", err.buf);
	}
	if (src != t)
		stack_table_release(&merged);
	fg_buf_release(&err);
	return ret;
}

/* The sum of sample type value over p's samples, saturating. */
static uint64_t profile_total(const struct profile *p, int value)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < p->nsamples; i++) {
		uint64_t v = profile_values(p, i)[value];

		total = total + v < total ? UINT64_MAX : total + v;
	}
	return total;
}

/* Does some output come from the folded stack table (SVG, folded text)? */
static int has_folded_outputs(const struct fg_run_opts *o)
{
	return has_format(o, RUN_SVG) || has_format(o, RUN_FOLDED);
}

/*
 * The summary and the outputs made of folded stacks, from the fold of p
 * that view says. Returns the exit status.
 */
static int render_folded(struct fg_run_opts *o, const struct profile *p,
			 const struct profile_view *view, const char *source,
			 int summary)
{
	struct stack_table t;
	int ret;

	stack_table_init(&t, !view->timeline);
	ret = profile_fold(p, view, &t);
	if (ret == -FG_ERR_IO) {
		error("cannot read the profile's timeline back: %s", strerror(errno));
		ret = EXIT_FATAL;
	} else if (ret < 0) {
		error("cannot fold the stacks of %s: a count overflows a 64-bit integer",
		      source);
		ret = EXIT_FATAL;
	} else {
		if (summary && profile_type_index(p, "off-cpu") >= 0)
			run_print_time_summary(p, view, stderr);
		else if (summary)
			run_print_summary(&t, stderr);
		ret = has_folded_outputs(o) ? run_render(o, &t, source) : 0;
	}
	stack_table_release(&t);
	return ret;
}

/*
 * Say which output is written ("writing flamegraph to "PATH""): on
 * standard output, or standard error when an output goes there. Data
 * other than an SVG written to standard output is not announced: it is
 * piped into another program, whose error output is no place for it.
 */
static void announce(const struct fg_run_opts *o, const struct run_output *out)
{
	FILE *msg = o->stdout_output ? stderr : stdout;

	if (out->format != RUN_SVG && !strcmp(out->path, "-"))
		return;

	fprintf(msg, "writing %s to \"%s\"\n", formats[out->format].what, out->path);
	/* a message nobody reads (a closed pipe) is no failure */
	if (fflush(msg))
		clearerr(msg);
}

/* p as a gzipped profile.proto message at path. Returns the exit status. */
static int write_pprof(struct profile *p, const char *path)
{
	struct fg_buf buf = FG_BUF_INIT, err = FG_BUF_INIT;
	struct outfile of;
	int ret = 0;

	if (pprof_write(p, &buf, &err) < 0) {
		ret = error("cannot write '%s': %s", path, err.buf);
	} else if (outfile_open(&of, path, &err)) {
		ret = error("%s", err.buf);
	} else if (fwrite(buf.buf, 1, buf.len, of.fp) != buf.len) {
		ret = error("cannot write '%s': %s", path, strerror(errno));
		outfile_abort(&of);
	} else if (outfile_commit(&of, &err)) {
		ret = error("%s", err.buf);
	}
	fg_buf_release(&buf);
	fg_buf_release(&err);
	return ret ? EXIT_FATAL : 0;
}

/*
 * p as a speedscope document at path, sample type value as the weights.
 * Returns the exit status.
 */
static int write_speedscope(struct profile *p, int value, const char *name,
			    const char *path)
{
	struct fg_buf err = FG_BUF_INIT;
	struct outfile of;
	int ret = 0;

	if (outfile_open(&of, path, &err)) {
		ret = error("%s", err.buf);
	} else if (speedscope_write(p, value, name, of.fp, &err) < 0) {
		ret = error("cannot write '%s': %s", path, err.buf);
		outfile_abort(&of);
	} else if (outfile_commit(&of, &err)) {
		ret = error("%s", err.buf);
	}
	fg_buf_release(&err);
	return ret ? EXIT_FATAL : 0;
}

int run_render_profile(struct fg_run_opts *o, struct profile *p,
		       const char *source, int summary)
{
	const struct svg_opts *s = &o->svg;
	struct profile_view view = { 0 };
	int value = o->value >= 0 ? o->value : 0, cpu, ret = 0;
	const char *unit = p->types[value].unit;
	size_t i;

	view.include_pid = o->include_pid;
	view.include_tid = o->include_tid;
	/* a text input's reader applied it already (perf script) or never */
	if (!p->meta.from_text)
		view.skip_after = o->collapse.skip_after;
	view.value = value;
	view.before = profile_type_index(p, "before") + 1;
	if (view.before == value + 1)
		view.before = 0;
	/*
	 * The timeline's order is the graph's only for a flame chart and
	 * --no-sort of folded lines, never because a speedscope output made
	 * the profile keep one. A recording's flame chart puts each thread's
	 * events together, rooted at the thread, unless merged.
	 */
	view.timeline = p->timeline && (s->flame_chart || (s->no_sort && p->meta.from_text));
	if (view.timeline && s->flame_chart && !p->meta.from_text &&
	    !o->flamechart_merge_threads) {
		view.by_thread = 1;
		view.include_pid = view.include_tid = 1;
	}
	/*
	 * What is counted, when it is not a count: bytes, ...; time as "ns",
	 * which the SVG's titles show as durations (1.80 s, 600 ms).
	 */
	if (o->svg.count_name == o->count_name_default && unit && *unit &&
	    strcmp(unit, "count"))
		o->svg.count_name = !strcmp(unit, "nanoseconds") ? "ns" : unit;
	if (!o->post_process && !profile_total(p, value)) {
		if (o->value >= 0)
			error("no stack counts of sample type '%s' found in %s",
			      p->types[value].type, source);
		else
			error("no stack counts found in %s", source);
		return EXIT_FATAL;
	}
	/* the comparison first: the SVG shows its verdicts */
	if (o->diff_base)
		ret = run_diff_compare(o, p, &view, source);
	if (!ret && (summary || has_folded_outputs(o)))
		ret = render_folded(o, p, &view, source, summary);
	/*
	 * pprof readers show the default type first: the one drawn when it
	 * was chosen (a pprof input) or when it is not the last (the counts
	 * of a differential input, before its "before" counts). Recordings
	 * leave it to them: the last type, the CPU time.
	 */
	if (o->value >= 0 || view.before)
		p->meta.default_type = p->types[value].type;
	/* speedscope's weights: CPU time in nanoseconds, where there is one */
	cpu = profile_type_index(p, "cpu");
	for (i = 0; !ret && i < o->noutputs; i++) {
		const struct run_output *out = &o->outputs[i];

		if (out->format == RUN_PPROF) {
			announce(o, out);
			ret = write_pprof(p, out->path);
		} else if (out->format == RUN_SPEEDSCOPE) {
			announce(o, out);
			ret = write_speedscope(p, o->value >= 0 ? o->value :
					       cpu >= 0 ? cpu : value,
					       p->meta.command ? p->meta.command :
					       o->input_name, out->path);
		}
	}
	return o->diff_base ? run_diff_finish(o, ret) : ret;
}

void run_profile_event(struct profile *p, const char *event)
{
	if (event && *event && strcmp(event, "cpu-clock") && strcmp(event, "task-clock"))
		profile_set_type(p, 1, event, "count");
}

void run_owner_from_sudo(void)
{
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");
	char *end;
	unsigned long u, g;

	if (geteuid() != 0 || !uid || !gid)
		return;
	u = strtoul(uid, &end, 10);
	if (*end || !*uid)
		return;
	g = strtoul(gid, &end, 10);
	if (*end || !*gid)
		return;
	outfile_set_owner((uid_t)u, (gid_t)g);
}

int run_flush_stdout(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		error("cannot write to standard output: %s",
		      strerror(errno ? errno : EIO));
		return EXIT_FATAL;
	}
	return 0;
}

int run_close_stdout(const struct fg_run_opts *o, int ret)
{
	if (!ret && o->stdout_output)
		return run_flush_stdout();
	fflush(stdout);
	return ret;
}

/*
 * Read the maps the renderer takes into so: the --name-attr file (its
 * warnings appended to warn) and the consistent palette (a missing file
 * is an empty map; the file is found, not named by the user, so a FIFO
 * there is not waited on). Returns 0, or -FG_ERR_IO with the reason in
 * err.
 */
static int load_svg_maps(struct svg_opts *so, struct svg_name_attrs *attrs,
			 struct svg_palette_map *pmap, struct fg_buf *warn,
			 struct fg_buf *err)
{
	struct fg_buf sb = FG_BUF_INIT, why = FG_BUF_INIT;
	const char *path;
	int fd, ret = 0;

	if ((path = so->name_attr_file)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fg_buf_read_fd(&sb, fd) < 0) {
			fg_buf_addf(err, "cannot read name-attr file '%s': %s", path,
				    strerror(errno));
			ret = -FG_ERR_IO;
		} else {
			svg_name_attrs_parse(attrs, sb.buf, sb.len, path, warn);
			so->name_attrs = attrs;
		}
		if (fd >= 0)
			close(fd);
	}
	if (!ret && (path = so->palette_map_file)) {
		fg_buf_reset(&sb);
		fd = file_open_regular(path, &why);
		if (fd < 0 && errno != ENOENT) {
			fg_buf_addf(err, "cannot open palette map '%s': %s", path, why.buf);
			ret = -FG_ERR_IO;
		} else if (fd >= 0 && fg_buf_read_fd(&sb, fd) < 0) {
			fg_buf_addf(err, "cannot read palette map '%s': %s", path,
				    strerror(errno));
			ret = -FG_ERR_IO;
		} else {
			svg_palette_map_parse(pmap, sb.buf, sb.len);
			so->palette_map = pmap;
		}
		if (fd >= 0)
			close(fd);
	}
	fg_buf_release(&why);
	fg_buf_release(&sb);
	return ret;
}

/*
 * Write the palette map back to path, like every output: atomically, its
 * temporary file removed by a signal, a planted symbolic link refused.
 * The graph is written by then: a failure is only a warning, added to warn.
 */
static void save_palette_map(const struct svg_palette_map *pmap, const char *path,
			     struct fg_buf *warn)
{
	struct fg_buf msg = FG_BUF_INIT;
	struct outfile of;
	int failed = outfile_open(&of, path, &msg);

	if (!failed) {
		svg_palette_map_write(pmap, of.fp);
		failed = outfile_commit(&of, &msg);
	}
	if (failed) {
		if (warn->len)		/* one warning a line */
			fg_buf_addch(warn, '\n');
		fg_buf_addf(warn, "cannot write palette map: %s", msg.buf);
	}
	fg_buf_release(&msg);
}

static int write_svg(struct fg_run_opts *o, struct stack_table *t,
		     const char *path, const char *source)
{
	struct fg_buf err = FG_BUF_INIT, warn = FG_BUF_INIT;
	struct svg_opts so = o->svg;
	struct svg_name_attrs attrs;
	struct svg_palette_map pmap;
	struct outfile of;
	double start = fg_now_ms();
	int ret;

	if (outfile_open(&of, path, &err)) {
		error("%s", err.buf);
		fg_buf_release(&err);
		return EXIT_FATAL;
	}
	svg_name_attrs_init(&attrs);
	svg_palette_map_init(&pmap);
	ret = load_svg_maps(&so, &attrs, &pmap, &warn, &err);
	if (!ret)
		ret = svg_render(t, &so, of.fp, &err);
	if (!ret && so.palette_map)
		save_palette_map(&pmap, so.palette_map_file, &warn);
	svg_name_attrs_release(&attrs);
	svg_palette_map_release(&pmap);
	if (ret < 0)
		fg_buf_release(&warn);
	if (ret == -FG_ERR_NO_STACKS) {
		outfile_abort(&of);
		error("no stack counts found in %s", source);
		fg_buf_release(&err);
		return EXIT_FATAL;
	}
	if (ret == -FG_ERR_UNSORTED) {
		outfile_abort(&of);
		error("cannot render the flamegraph: %s", err.buf);
		fg_buf_release(&err);
		return EXIT_FATAL;
	}
	if (ret < 0) {
		outfile_abort(&of);
		error("cannot render the flamegraph: %s%s%s", fg_strerror(ret),
		      err.len ? ": " : "", err.buf);
		fg_buf_release(&err);
		return EXIT_FATAL;
	}
	if (warn.len)
		warning("%s", warn.buf);
	fg_buf_release(&warn);
	if (outfile_commit(&of, &err)) {
		error("%s", err.buf);
		fg_buf_release(&err);
		return EXIT_FATAL;
	}
	if (o->verbose)
		fprintf(stderr, "rendered %zu stacks in %.1f ms\n", t->nr,
			fg_now_ms() - start);
	fg_buf_release(&err);
	return 0;
}

/* Open path with the desktop's default program; a warning when there is none. */
static void open_output(const char *path)
{
	const char *argv[] = { "xdg-open", path, NULL };
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT;
	int started;

	sp.argv = argv;
	sp.in.mode = sp.out.mode = sp.err.mode = SPAWN_NULL;
	started = !spawn_start(&sp, &err);
	fg_buf_release(&err);
	if (started) {
		spawn_finish(&sp);
	} else if (sp.failure == SPAWN_FAILED_SETUP) {
		warning("cannot open '%s': %s", path, strerror(sp.errnum));
		return;
	}
	/* not run: it exited with 127 */
	if (sp.exit_code == 127)
		warning("cannot open '%s': xdg-open is not installed "
			"(Debian: apt install xdg-utils); open it in a web browser", path);
	else if (sp.exit_code)
		warning("cannot open '%s': xdg-open found no program for SVG files; "
			"open it in a web browser", path);
}

int run_render(struct fg_run_opts *o, struct stack_table *t, const char *source)
{
	const struct run_output *out;
	size_t i;
	int diffed = 0, ret = 0;

	if (o->post_process && post_process(o, t))
		return EXIT_FATAL;
	if (!t->nr || !t->total) {
		error("no stack counts found in %s", source);
		return EXIT_FATAL;
	}
	/* --folded-output: the stacks as they are, before --diff-base */
	for (i = 0; i < o->noutputs; i++) {
		out = &o->outputs[i];
		if (!out->before_diff)
			continue;
		announce(o, out);
		if (write_folded(t, out->path))
			return EXIT_FATAL;
	}
	for (i = 0; i < o->noutputs && !ret; i++) {
		out = &o->outputs[i];
		if (out->before_diff || (out->format != RUN_SVG && out->format != RUN_FOLDED))
			continue;
		if (o->diff_base && !diffed++ && run_diff_table(o, t))
			return EXIT_FATAL;
		announce(o, out);
		if (out->format == RUN_FOLDED) {
			ret = write_folded(t, out->path) ? EXIT_FATAL : 0;
			continue;
		}
		ret = write_svg(o, t, out->path, source);
		if (!ret && o->open && strcmp(out->path, "-"))
			open_output(out->path);
	}
	return ret;
}
