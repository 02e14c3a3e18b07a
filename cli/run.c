#include "run.h"
#include "../lib/clock.h"
#include "../lib/error.h"
#include "../lib/files.h"
#include "../lib/outfile.h"
#include "../lib/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const fg_formats[] = { "svg", "folded", NULL };

/* Size of the blocks inputs are read in. */
#define READ_BLOCK (8u << 20)

void run_opts_init(struct fg_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = FG_DEFAULT_FORMAT;
	svg_opts_init(&o->svg);
}

void run_opts_release(struct fg_run_opts *o)
{
	fg_strlist_release(&o->from_folded);
	fg_strlist_release(&o->from_perf_script);
	fg_strlist_release(&o->skip_after);
	fg_strlist_release(&o->base);
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

int run_opts_finish(struct fg_run_opts *o)
{
	struct svg_opts *s = &o->svg;

	if (s->hash && s->deterministic)
		return error("'--hash' cannot be used with '--deterministic'");
	if (s->reverse && s->flame_chart)
		return error("'--reverse' cannot be used with '--flamechart'");
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
	if (o->include_tid)
		o->include_pid = 1;
	o->collapse.skip_after = fg_strlist_nullterm(&o->skip_after);
	s->base = fg_strlist_nullterm(&o->base);
	if (o->consistent_palette)
		s->palette_map_file = "palette.map";
	if (!o->output)
		o->output = strcmp(o->format, "folded") ? "flamegraph.svg"
							: "flamegraph.folded";
	return 0;
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
	const char *outs[3] = { o->output, o->folded_output,
				o->consistent_palette ? "palette.map" : NULL };
	const char *names[3] = { "--output", "--folded-output", "--consistent-palette" };
	int i, j;

	for (i = 0; i < 3; i++) {
		if (!outs[i])
			continue;
		if (!*outs[i]) {
			error("invalid value '' for '%s': expected a path, or '-' for standard output",
			      names[i]);
			return EXIT_USAGE;
		}
		for (j = 0; j < i; j++)
			if (outs[j] && same_output(outs[i], outs[j])) {
				if (!strcmp(outs[i], "-"))
					error("'%s' and '%s' cannot both write to standard output",
					      names[j], names[i]);
				else
					error("'%s' and '%s' cannot both write '%s'",
					      names[j], names[i], outs[i]);
				return EXIT_USAGE;
			}
	}
	for (i = 0; i < 3; i++)
		if (outs[i] && strcmp(outs[i], "-") && check_output_dir(outs[i]))
			return EXIT_FATAL;
	return 0;
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
	/* the order of folded lines matters to flame charts and --no-sort */
	if (o->from_folded.nr && (o->svg.flame_chart || o->svg.no_sort))
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

int run_render_profile(struct fg_run_opts *o, const struct profile *p,
		       const char *source, int summary)
{
	struct stack_table t;
	struct profile_view view = { 0 };
	int ret;

	view.include_pid = o->include_pid;
	view.include_tid = o->include_tid;
	/* a text input's reader applied it already (perf script) or never */
	if (!p->meta.from_text)
		view.skip_after = o->collapse.skip_after;
	view.before = profile_type_index(p, "before") + 1;
	view.timeline = p->timeline != NULL;
	stack_table_init(&t, !view.timeline);
	ret = profile_fold(p, &view, &t);
	if (ret == -FG_ERR_IO) {
		error("cannot read the profile's timeline back: %s", strerror(errno));
		ret = EXIT_FATAL;
	} else if (ret < 0) {
		error("cannot fold the stacks of %s: a count overflows a 64-bit integer",
		      source);
		ret = EXIT_FATAL;
	} else {
		if (summary)
			run_print_summary(&t, stderr);
		ret = run_render(o, &t, source);
	}
	stack_table_release(&t);
	return ret;
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
	if (!ret && o->output && !strcmp(o->output, "-"))
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
		     const char *source)
{
	struct fg_buf err = FG_BUF_INIT, warn = FG_BUF_INIT;
	struct svg_opts so = o->svg;
	struct svg_name_attrs attrs;
	struct svg_palette_map pmap;
	struct outfile of;
	double start = fg_now_ms();
	int ret;

	if (outfile_open(&of, o->output, &err)) {
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

/*
 * Replace t by the differential table of base (before) against t (after):
 * every stack of either, with both counts.
 */
static int make_diff(struct fg_run_opts *o, struct stack_table *t)
{
	struct stack_table base, diff;
	struct svg_warnings w = { 0 };
	struct fg_buf source = FG_BUF_INIT;
	int fd = open_input(o->diff_base), ret = 0;
	size_t i;

	if (fd < 0)
		return -1;
	stack_table_init(&base, 1);
	ret = load_folded_fd(folded_to_table, &base, fd, o->diff_base, &w);
	if (fd)
		close(fd);
	if (ret) {
		stack_table_release(&base);
		return -1;
	}
	if (base.has_diff) {
		stack_table_release(&base);
		return error("'%s' is already differential: give the folded stacks of one profile",
			     o->diff_base);
	}
	if (w.bad_lines)
		warning("ignored %" PRIu64 " lines with invalid format in '%s'",
			w.bad_lines, o->diff_base);
	stack_table_init(&diff, 1);
	for (i = 0; i < t->nr && !ret; i++) {
		const struct stack_entry *e = &t->v[i];
		const struct stack_entry *b = stack_table_find(&base, e->stack, e->len);

		ret = stack_table_add_diff(&diff, e->stack, e->len, b ? b->count : 0,
					   e->count);
	}
	for (i = 0; i < base.nr && !ret; i++) {
		const struct stack_entry *b = &base.v[i];

		if (!t->merge || !stack_table_find(t, b->stack, b->len))
			ret = stack_table_add_diff(&diff, b->stack, b->len, b->count, 0);
	}
	diff.has_diff = 1;
	stack_table_release(&base);
	fg_buf_release(&source);
	if (ret < 0) {
		stack_table_release(&diff);
		return error("cannot build the differential stacks: %s", fg_strerror(ret));
	}
	stack_table_release(t);
	*t = diff;
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
	FILE *msg = strcmp(o->output, "-") ? stdout : stderr;
	int ret;

	if (o->post_process && post_process(o, t))
		return EXIT_FATAL;
	if (!t->nr || !t->total) {
		error("no stack counts found in %s", source);
		return EXIT_FATAL;
	}
	if (o->folded_output && write_folded(t, o->folded_output))
		return EXIT_FATAL;
	if (o->diff_base && make_diff(o, t))
		return EXIT_FATAL;
	if (!strcmp(o->format, "folded")) {
		if (write_folded(t, o->output))
			return EXIT_FATAL;
		return 0;
	}
	fprintf(msg, "writing flamegraph to \"%s\"\n", o->output);
	/* a message nobody reads (a closed pipe) is no failure */
	if (fflush(msg))
		clearerr(msg);
	ret = write_svg(o, t, source);
	if (!ret && o->open && strcmp(o->output, "-"))
		open_output(o->output);
	return ret;
}
