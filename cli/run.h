#ifndef FG_CLI_RUN_H
#define FG_CLI_RUN_H

/*
 * The run pipeline shared by both front-ends: a profile comes in (folded
 * text, perf-script text, pprof, a recording) and goes out in every format
 * asked for, each output written atomically: the SVG and folded text through
 * the folded stack table (with --post-process, --diff-base and the
 * summary), pprof and speedscope from the profile itself. The option rows
 * that set struct fg_run_opts are declared once here (FG_OUTPUT_OPTIONS,
 * FG_COLLAPSE_OPTIONS, FG_RENDER_OPTIONS) and concatenated into each
 * front-end's table.
 *
 * run_render() prints its own messages and returns the process exit status.
 */

#include "options.h"
#include "../svg/flamegraph.h"
#include "../profiler/collapse-perf.h"
#include "../profiler/profile.h"

/* The output formats, in the order of fg_formats[]. */
enum run_format {
	RUN_SVG,
	RUN_FOLDED,
	RUN_PPROF,
	RUN_SPEEDSCOPE,
};

/* One output file, settled by run_opts_finish(). */
struct run_output {
	const char *path;		/* "-": standard output */
	enum run_format format;
	const char *option;		/* the option that named it, for messages */
	int before_diff;		/* --folded-output: the stacks before --diff-base */
};

struct fg_run_opts {
	/* inputs */
	struct fg_strlist from_folded;
	struct fg_strlist from_perf_script;
	const char *from_pprof;		/* --from-pprof FILE (flamegraph only) */
	const char *sample_type;	/* --sample-type NAME, with --from-pprof */
	int value;			/* the sample type drawn; -1: the first */
	const char *input_name;		/* names the input in a speedscope
					   document when the profile has no
					   command line; NULL: none */

	/* outputs */
	struct fg_strlist output;	/* -o, as given */
	const char *format;		/* --format, or NULL: from the extension */
	const char *folded_output;
	const char *post_process;
	int verbose;
	int open;			/* --open */
	int no_summary;			/* --no-summary */
	const char *diff_base;		/* --diff-base: folded stacks or pprof */
	const char *diff_mode;		/* --diff-mode: "shares" or "counts" */
	double diff_min_share;		/* --diff-min-share, percent */
	double diff_alpha;		/* --diff-alpha */
	double diff_min_change;		/* --diff-min-change, points */
	double fail_on_regression;	/* --fail-on-regression POINTS; < 0: none */
	const char *report;		/* --report PATH (.md or .json) */
	struct run_diff *diff;		/* the base and the comparison (cli/diff.h) */
	/*
	 * Every output (-o, then --folded-output), settled by
	 * run_opts_finish(); owned, freed by run_opts_release().
	 */
	struct run_output *outputs;
	size_t noutputs;
	int stdout_output;		/* one of them is standard output */

	/* collapse, and the view of the profile written */
	struct collapse_opts collapse;
	struct fg_strlist skip_after;
	int include_pid;		/* roots "comm-PID" */
	int include_tid;		/* roots "comm-PID/TID" (implies pid) */

	/* render */
	struct svg_opts svg;
	struct fg_strlist base;
	int consistent_palette;
	int palette_set;		/* --palette given */
	const char *count_name_default;	/* svg.count_name before the options:
					   still it, --count-name was not given */
	int flamechart_merge_threads;	/* --flamechart-merge-threads */
};

void run_opts_init(struct fg_run_opts *o);
void run_opts_release(struct fg_run_opts *o);

/*
 * Check combinations the table cannot express (conflicting options) and
 * fill the derived fields: the outputs, each with its format (--format for
 * a single -o, else the extension of each; flamegraph.svg, or
 * flamegraph.EXT of the --format, without -o). Returns 0, or -1 after
 * printing a usage error.
 */
int run_opts_finish(struct fg_run_opts *o);

/*
 * Check the outputs before any work is done: no empty path, no file (or
 * standard output) named twice (usage errors, EXIT_USAGE), and a directory
 * that exists and takes a new file for each (EXIT_FATAL otherwise, so that
 * a long recording is never lost to a missing directory). Returns 0 or the
 * exit status after printing the error.
 */
int run_check_outputs(const struct fg_run_opts *o);

/*
 * Write the outputs made of folded stacks (SVG, folded text) from t, which
 * the pipeline may reorder or replace: through --post-process, then
 * --folded-output, then --diff-base, then the SVG and folded outputs of
 * -o. source names the input in messages ("'x.folded'"). Returns the exit
 * status.
 */
int run_render(struct fg_run_opts *o, struct stack_table *t, const char *source);

/*
 * Write every output of profile p. The SVG and folded outputs (and the
 * summary, printed first when summary is set) come from a fold of p as the
 * options view it (--include-pid, --include-tid, --skip-after (left to the
 * reader of a text input), counting the sample type o->value, or the
 * first; the timeline's order for --flamechart and --no-sort when p kept
 * one, each thread's events together for a recording's flame chart;
 * the "before" counts of a differential input), through run_render().
 * Then the pprof and speedscope outputs, written from p itself, which
 * they may change (text stacks get their frames). Returns the exit
 * status.
 */
int run_render_profile(struct fg_run_opts *o, struct profile *p,
		       const char *source, int summary);

/*
 * Whether a recording's profile should keep a timeline
 * (profile_keep_timeline() before it starts): a speedscope output, or a
 * flame chart in an SVG output.
 */
int run_wants_timeline(const struct fg_run_opts *o);

/*
 * Whether a recording's frames should carry their mangled names and the
 * file and line of their functions (session_opts.details): a pprof output.
 */
int run_wants_details(const struct fg_run_opts *o);

/*
 * A profile for text inputs: one sample type, ("samples", "count"), with a
 * timeline when the options keep the order of folded lines (--flamechart,
 * --no-sort, a speedscope output).
 */
void run_text_profile(const struct fg_run_opts *o, struct profile *p);

/*
 * Read the --from-pprof input into p (which it initialises: release it
 * with profile_release() whatever is returned), naming it in source, and
 * settle the sample type drawn into o->value (--sample-type, else the
 * file's default type, else its last, as go tool pprof does). Returns 0,
 * or the exit status after printing the error: EXIT_FATAL for a file that
 * cannot be read (damage named by its byte offset), EXIT_USAGE for a
 * --sample-type the file does not have.
 */
int run_load_pprof(struct fg_run_opts *o, struct profile *p,
		   struct fg_buf *source);


/*
 * Read the pprof file at path ('-': standard input) into p, which it
 * initialises (release it with profile_release() whatever is returned).
 * Returns 0, or EXIT_FATAL after printing the error.
 */
int run_read_pprof(const char *path, struct profile *p);

/*
 * Add the folded stacks of the file at path ('-': standard input) to t,
 * warning of lines skipped. Returns 0, or -1 after printing the error.
 */
int run_read_folded(const char *path, struct stack_table *t);

/*
 * Name the event a profile's second sample type sums (cpu-clock and
 * task-clock are ("cpu", "nanoseconds"), which the profile has already).
 */
void run_profile_event(struct profile *p, const char *event);

/*
 * Read the --from-folded / --from-perf-script inputs into p (made by
 * run_text_profile()), naming them in source; exit status.
 */
int run_load_inputs(struct fg_run_opts *o, struct profile *p,
		    struct fg_buf *source);

/*
 * Print the functions with the most self and total samples in t: the
 * totals start below the trunk every stack shares and list one function
 * of each chain (cli/summary.c); the root frame, the process name, is
 * left out.
 */
void run_print_summary(const struct stack_table *t, FILE *out);

/*
 * The summary of an off-CPU or wall-clock profile p (it has the sample
 * type "off-cpu"), drawn as view says: the functions by time (the
 * program's own frames), the time by off-CPU state and, for wall-clock
 * time, the share of each thread's time it spent waiting.
 */
void run_print_time_summary(const struct profile *p, const struct profile_view *view,
			    FILE *out);

/*
 * Running as root through sudo: the files we write go to the invoking
 * user (SUDO_UID/SUDO_GID), not to root.
 */
void run_owner_from_sudo(void);

/*
 * The exit status once standard output is flushed: a failure there is an
 * error when the output went there (and ret said nothing of it), while
 * messages a closed pipe did not take are no failure.
 */
int run_close_stdout(const struct fg_run_opts *o, int ret);

/* Flush standard output: 0, or EXIT_FATAL after a one-line error. */
int run_flush_stdout(void);

/* Option callbacks used by the shared rows. */
int opt_palette_cb(const struct fg_option *opt, const char *arg);
int opt_bgcolors_cb(const struct fg_option *opt, const char *arg);
int opt_color_cb(const struct fg_option *opt, const char *arg);
int opt_stroke_cb(const struct fg_option *opt, const char *arg);
int opt_inverted_cb(const struct fg_option *opt, const char *arg);

extern const char *const fg_formats[];
extern const char *const fg_diff_modes[];
extern const char *const fg_palette_choices[];

#define FG_OUTPUT_OPTIONS(o) \
	OPT_GROUP("Output"), \
	OPT_FILENAME_LIST('o', "output", &(o)->output, "PATH", \
		"Write to PATH ('-' for standard output) in the format its " \
		"extension names: .svg, .folded or .txt, .pb.gz or .pprof, " \
		".speedscope.json (one output: --format, else its extension, " \
		"else svg)", \
		FG_DEFAULT_OUTPUT ".svg, or " FG_DEFAULT_OUTPUT \
		".folded, .pb.gz, .speedscope.json with --format"), \
	OPT_CHOICE(0, "format", &(o)->format, "FORMAT", \
		"Format of the one output: an interactive SVG, folded stacks " \
		"sorted by byte order, a gzipped pprof profile (go tool pprof), " \
		"a speedscope JSON document", \
		"from the extension, else " FG_DEFAULT_FORMAT, fg_formats), \
	OPT_FILENAME(0, "folded-output", &(o)->folded_output, "PATH", \
		"Also write the folded stacks to PATH (before --diff-base)", NULL), \
	OPT_STRING(0, "post-process", &(o)->post_process, "CMD", \
		"Pipe the folded stacks through CMD (split into words like a shell " \
		"would, run without a shell) before rendering the SVG and folded " \
		"outputs", NULL), \
	OPT_FILENAME(0, "diff-base", &(o)->diff_base, "FILE", \
		"Compare with the profile in FILE (folded stacks, or pprof with its " \
		"runs): a differential flamegraph (red grew, blue shrank) and, with " \
		"3 runs a side (--repeat), which functions changed beyond the noise", \
		NULL), \
	OPT_CHOICE(0, "diff-mode", &(o)->diff_mode, "MODE", \
		"Compare each function's share of its run's samples, or the raw " \
		"counts (the base's are drawn as they are)", FG_DEFAULT_DIFF_MODE, \
		fg_diff_modes), \
	OPT_DOUBLE(0, "diff-min-share", &(o)->diff_min_share, "PERCENT", \
		"Test the functions whose self or total share reaches PERCENT on " \
		"a side", FG_STR(FG_DEFAULT_DIFF_MIN_SHARE)), \
	OPT_DOUBLE(0, "diff-min-change", &(o)->diff_min_change, "POINTS", \
		"Flag only changes of at least POINTS percentage points (smaller " \
		"ones are within the noise)", FG_STR(FG_DEFAULT_DIFF_MIN_CHANGE)), \
	OPT_DOUBLE(0, "diff-alpha", &(o)->diff_alpha, "P", \
		"The chance that comparing two unchanged programs flags any change " \
		"(family-wise error rate)", FG_STR(FG_DEFAULT_DIFF_ALPHA)), \
	OPT_DOUBLE(0, "fail-on-regression", &(o)->fail_on_regression, "POINTS", \
		"Exit with status 3 when a function's self or total share grew " \
		"significantly by more than POINTS percentage points", NULL), \
	OPT_FILENAME(0, "report", &(o)->report, "PATH", \
		"Write the comparison to PATH: Markdown (.md) or JSON (.json)", NULL), \
	OPT_BOOL(0, "open", &(o)->open, \
		"Open the SVG with the desktop's default program (xdg-open)"), \
	OPT_BOOL(0, "no-summary", &(o)->no_summary, \
		"Do not print the top functions after recording"), \
	OPT_BOOL('v', "verbose", &(o)->verbose, "Print what is being done")

#define FG_COLLAPSE_OPTIONS(o) \
	OPT_GROUP("Collapsing perf script text"), \
	OPT_BOOL(0, "include-pid", &(o)->include_pid, \
		"Root each stack at 'comm-PID' instead of the process name"), \
	OPT_BOOL(0, "include-tid", &(o)->include_tid, \
		"Root each stack at 'comm-PID/TID' (implies --include-pid)"), \
	OPT_BOOL(0, "annotate-kernel", &(o)->collapse.annotate_kernel, \
		"Append _[k] to kernel frames"), \
	OPT_BOOL(0, "annotate-jit", &(o)->collapse.annotate_jit, \
		"Append _[j] to JIT frames"), \
	OPT_BOOL(0, "include-addrs", &(o)->collapse.include_addrs, \
		"Keep the address of frames without a symbol ([module <pc>])"), \
	OPT_STRING(0, "event-filter", &(o)->collapse.event_filter, "EVENT", \
		"Keep only samples of EVENT", "the first event seen"), \
	OPT_STRING_LIST(0, "skip-after", &(o)->skip_after, "FUNCTION", \
		"Drop the callers of FUNCTION (and the process name) from stacks " \
		"that contain it", 0)

#define FG_RENDER_OPTIONS(o) \
	OPT_GROUP("Flamegraph"), \
	OPT_STRING(0, "title", &(o)->svg.title, "STRING", \
		"Title of the graph", "Flame Graph, Icicle Graph or Flame Chart"), \
	OPT_STRING(0, "subtitle", &(o)->svg.subtitle, "STRING", \
		"Second line under the title", NULL), \
	OPT_STRING(0, "notes", &(o)->svg.notes, "STRING", \
		"Text embedded in the SVG as a comment", NULL), \
	OPT_BOOL(0, "deterministic", &(o)->svg.deterministic, \
		"Colour each function by a hash of its name (same name, same colour)"), \
	OPT_BOOL(0, "hash", &(o)->svg.hash, \
		"Colour by a weighted hash of the name (similar names, similar colours)"), \
	OPT_CALLBACK('i', "inverted", &(o)->svg, NULL, \
		"Icicle graph: roots at the top", NULL, opt_inverted_cb, OPT_NOARG), \
	OPT_BOOL(0, "reverse", &(o)->svg.reverse, \
		"Reverse the order of frames in each stack (leaf first)"), \
	OPT_BOOL(0, "flamechart", &(o)->svg.flame_chart, \
		"Keep the stacks in input order instead of sorting them (a flame " \
		"chart); a recording's in time order, one band per thread"), \
	OPT_BOOL(0, "flamechart-merge-threads", &(o)->flamechart_merge_threads, \
		"A flame chart of a recording in time order across all threads, " \
		"rooted at the process name (implies --flamechart)"), \
	OPT_DOUBLE(0, "min-width", &(o)->svg.min_width, "PERCENT", \
		"Leave out frames narrower than PERCENT of the total", \
		FG_STR(FG_DEFAULT_MIN_WIDTH)), \
	OPT_UINT(0, "image-width", &(o)->svg.image_width, "PIXELS", \
		"Fixed image width; without it the graph follows the window width", NULL), \
	OPT_CALLBACK_CHOICE(0, "palette", (o), "PALETTE", \
		"Colour palette", FG_DEFAULT_PALETTE, opt_palette_cb, svg_palette_names), \
	OPT_BOOL(0, "color-diffusion", &(o)->svg.color_diffusion, \
		"Colour by width: wider frames are redder"), \
	OPT_STRING(0, "count-name", &(o)->svg.count_name, "STRING", \
		"What the counts are called in frame titles (without it, the unit " \
		"of what is drawn when that is not a count: nanoseconds, bytes)", \
		FG_DEFAULT_COUNT_NAME), \
	OPT_STRING(0, "name-type", &(o)->svg.name_type, "STRING", \
		"Prefix of the details line", FG_DEFAULT_NAME_TYPE), \
	OPT_STRING(0, "font-type", &(o)->svg.font_type, "FONT", \
		"Font family of the labels", FG_DEFAULT_FONT_TYPE), \
	OPT_DOUBLE(0, "font-size", &(o)->svg.font_size, "SIZE", \
		"Font size of the labels", FG_STR(FG_DEFAULT_FONT_SIZE)), \
	OPT_DOUBLE(0, "font-width", &(o)->svg.font_width, "RATIO", \
		"Average character width as a fraction of the font size", \
		FG_STR(FG_DEFAULT_FONT_WIDTH)), \
	OPT_UINT(0, "frame-height", &(o)->svg.frame_height, "PIXELS", \
		"Height of each frame", FG_STR(FG_DEFAULT_FRAME_HEIGHT)), \
	OPT_DOUBLE(0, "factor", &(o)->svg.factor, "FACTOR", \
		"Multiply the counts shown in titles by FACTOR", FG_STR(FG_DEFAULT_FACTOR)), \
	OPT_CALLBACK(0, "bg-colors", &(o)->svg, "COLOR", \
		"Background: yellow, blue, green, grey or #rrggbb", \
		"from the palette", opt_bgcolors_cb, 0), \
	OPT_CALLBACK(0, "search-color", &(o)->svg.search_color, "#RRGGBB", \
		"Fill of frames matched by a search", FG_DEFAULT_SEARCH_COLOR, \
		opt_color_cb, 0), \
	OPT_CALLBACK(0, "stroke-color", &(o)->svg.stroke_color, "#RRGGBB", \
		"Outline of frames, or 'none'", "none", opt_stroke_cb, 0), \
	OPT_CALLBACK(0, "ui-color", &(o)->svg.ui_color, "#RRGGBB", \
		"Colour of the title, buttons and details line", FG_DEFAULT_UI_COLOR, \
		opt_color_cb, 0), \
	OPT_BOOL(0, "truncate-text-right", &(o)->svg.truncate_text_right, \
		"Cut long labels on the right instead of the left"), \
	OPT_BOOL(0, "negate", &(o)->svg.negate, \
		"Differential graphs: swap the red and blue hues"), \
	OPT_BOOL(0, "no-sort", &(o)->svg.no_sort, \
		"Input lines are already sorted: check, do not sort"), \
	OPT_STRING_LIST(0, "base", &(o)->base, "FUNCTION", \
		"Keep only stacks containing FUNCTION and start them there", 0), \
	OPT_FILENAME(0, "name-attr", &(o)->svg.name_attr_file, "FILE", \
		"Per-function SVG attributes (FUNCTION<TAB>name=value...)", NULL), \
	OPT_BOOL(0, "consistent-palette", &(o)->consistent_palette, \
		"Keep colours across runs in ./palette.map (read and rewritten)"), \
	OPT_BOOL(0, "pretty-xml", &(o)->svg.pretty_xml, \
		"Indent the SVG (for reading and diffing)"), \
	OPT_HIDDEN_BOOL("no-javascript", &(o)->svg.no_javascript, \
		"Leave the script out of the SVG (tests)")

#endif
