#ifndef FG_SVG_FLAMEGRAPH_H
#define FG_SVG_FLAMEGRAPH_H

/*
 * The renderer: a folded stack table in, an interactive SVG out, in the
 * document format of inferno's flamegraph (the embedded JavaScript gives
 * click-to-zoom, search, and the details line).
 *
 * Stages, each in its own file: folded.c parses folded text into a
 * struct stack_table; merge.c turns sorted stacks into frames (the "flow"
 * algorithm); color.c holds the palettes and the consistent palette map;
 * name-attr.c parses the --name-attr file; verdict.c holds the verdicts
 * of a comparison of repeated runs; svg.c lays out and writes the
 * document through write.c's buffer and escaping; the script and style
 * come from svg/flamegraph.js, embedded at build time.
 *
 * The renderer reads no file: the front-end reads the palette map and the
 * --name-attr file, hands them over parsed (struct svg_palette_map,
 * struct svg_name_attrs) and writes the palette map back; it computes the
 * verdicts (struct svg_verdicts) of a differential graph itself.
 *
 * Errors: functions return 0 or a negative enum fg_error, with details in
 * the struct fg_buf *err the caller passes (may be NULL). Warnings about the
 * input (skipped lines, fractional counts) are appended to a caller's
 * struct svg_warnings so that front-ends decide how to print them.
 * Not thread-safe: one render at a time per struct svg_opts.
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "../lib/stacks.h"
#include "../lib/strmap.h"

struct svg_name_attrs;
struct svg_palette_map;
struct svg_verdicts;

enum svg_direction {
	SVG_STRAIGHT = 0,	/* root at the bottom (flame graph) */
	SVG_INVERTED,		/* root at the top (icicle graph) */
};

enum svg_palette {
	PAL_HOT = 0, PAL_AQUA, PAL_BLUE, PAL_GREEN, PAL_IO, PAL_JAVA, PAL_JS,
	PAL_MEM, PAL_ORANGE, PAL_PERL, PAL_PYTHON, PAL_PURPLE, PAL_RED,
	PAL_RUST, PAL_WAKEUP, PAL_YELLOW,
};

/* Names in --palette order (index = enum svg_palette), NULL-terminated. */
extern const char *const svg_palette_names[];

enum svg_bgcolor {
	BG_DEFAULT = 0,		/* chosen from the palette */
	BG_YELLOW, BG_BLUE, BG_GREEN, BG_GREY,
	BG_FLAT,		/* one colour, bg_flat */
};

/*
 * What to draw and how. The defaults svg_opts_init() fills in are the
 * FG_DEFAULT_* of lib/defaults.h, named in the comments below.
 */
struct svg_opts {
	const char *title;		/* NULL: default from the mode */
	const char *subtitle;		/* NULL: none */
	const char *notes;		/* NULL or "": empty notes comment */
	const char *count_name;		/* FG_DEFAULT_COUNT_NAME; "ns": durations */
	const char *name_type;		/* FG_DEFAULT_NAME_TYPE */
	const char *font_type;		/* FG_DEFAULT_FONT_TYPE */
	double font_size;		/* FG_DEFAULT_FONT_SIZE */
	double font_width;		/* of the font size, FG_DEFAULT_FONT_WIDTH */
	unsigned frame_height;		/* FG_DEFAULT_FRAME_HEIGHT */
	unsigned image_width;		/* 0: FG_DEFAULT_IMAGE_WIDTH and fluid */
	double min_width;		/* percent of total, FG_DEFAULT_MIN_WIDTH */
	double factor;			/* FG_DEFAULT_FACTOR */
	enum svg_direction direction;
	enum svg_palette palette;	/* FG_DEFAULT_PALETTE */
	enum svg_bgcolor bgcolor;
	char bg_flat[8];		/* "#rrggbb" with BG_FLAT */
	char search_color[8];		/* FG_DEFAULT_SEARCH_COLOR */
	char stroke_color[8];		/* "" = none */
	char ui_color[8];		/* FG_DEFAULT_UI_COLOR */
	int hash;			/* --hash */
	int deterministic;		/* --deterministic */
	int color_diffusion;		/* --color-diffusion */
	int reverse;			/* --reverse */
	int flame_chart;		/* --flamechart */
	int negate;			/* --negate */
	int no_sort;			/* --no-sort */
	int truncate_text_right;	/* --truncate-text-right */
	int pretty_xml;			/* --pretty-xml */
	int no_javascript;		/* hidden --no-javascript (tests) */
	const char *const *base;	/* --base SYM..., NULL-terminated or NULL */
	/*
	 * The maps the front-end loaded, or NULL. svg_render() adds the
	 * names it colours that palette_map lacks, for the front-end to
	 * save; it only reads name_attrs.
	 */
	const struct svg_name_attrs *name_attrs;	/* --name-attr */
	struct svg_palette_map *palette_map;		/* --consistent-palette */
	/*
	 * Differential graphs: colour and title frames by these; NULL: by
	 * each frame's delta. Ignored for other graphs; only read.
	 */
	const struct svg_verdicts *verdicts;
	/*
	 * Where the front-end reads those two maps from (and writes the
	 * palette map back to); svg_render() does not look at them.
	 * NEEDSWORK: they belong in the front-end's own options.
	 */
	const char *name_attr_file;	/* --name-attr FILE or NULL */
	const char *palette_map_file;	/* --consistent-palette: "palette.map" or NULL */
};

/* Fill o with the defaults (inferno's, kept in lib/defaults.h). */
void svg_opts_init(struct svg_opts *o);

/* Parse a palette name; returns 0 and sets *out, or -1. */
int svg_palette_parse(const char *name, enum svg_palette *out);

/*
 * Parse a --bg-colors value: yellow, blue, green, grey or "#rrggbb".
 * Returns 0 or -1.
 */
int svg_bgcolor_parse(const char *value, struct svg_opts *o);

/* Check a "#rrggbb" colour; returns 0 or -1. */
int svg_color_check(const char *value);

struct svg_warnings {
	uint64_t lines;			/* lines read by the folded parser */
	uint64_t bad_lines;		/* lines skipped by the folded parser */
	int fractional;			/* some counts had a fractional part */
};

/*
 * Parse folded text (len bytes at data) and add its lines to t, following
 * inferno's reader: lines are trimmed, empty lines and lines starting with
 * "# " are skipped, the count is the last token (a fraction is truncated,
 * noted in w->fractional), a line whose stack ends in another number is
 * differential. Unparsable lines are counted in w->bad_lines; so is a
 * count too large for 64 bits.
 *
 * Calls are independent: data may be the whole input or any chunk that
 * ends at a line boundary (a last line without a newline counts as whole),
 * so a caller can feed a large file in blocks. w may be NULL.
 * Returns 0, or -FG_ERR_COUNT_OVERFLOW when the counts of one stack add
 * up past 2^64-1 (message in err).
 */
int folded_parse(struct stack_table *t, const char *data, size_t len,
		 struct svg_warnings *w, struct fg_buf *err);

/*
 * What folded_parse_each() gives each line: the stack (len bytes, not
 * NUL-terminated), and its count, with the "before" count of a
 * differential line (diff set). Returns 0 or a negative fg_error, which
 * stops the parse.
 */
typedef int (*folded_line_fn)(void *ctx, const char *stack, size_t len,
			      int diff, uint64_t before, uint64_t count);

/*
 * folded_parse() for any destination: each line that parses goes to fn.
 * An -FG_ERR_COUNT_OVERFLOW from fn gets the message folded_parse()
 * gives; other errors are fn's to explain.
 */
int folded_parse_each(const char *data, size_t len, struct svg_warnings *w,
		      struct fg_buf *err, folded_line_fn fn, void *ctx);

/* The folded_line_fn of folded_parse(): adds to the stack table ctx. */
int folded_to_table(void *ctx, const char *stack, size_t len, int diff,
		    uint64_t before, uint64_t count);

/*
 * Render t as an SVG to out. The order the options require (sorted,
 * reversed, cut at --base) is built on the side: t itself is not changed.
 * With flame_chart or no_sort the input order matters: t should then be a
 * non-merging table (stack_table_init(t, 0)). Frames are coloured from
 * o->palette_map when it is set (names it lacks are added) and get the
 * attributes o->name_attrs gives them. Off-CPU state frames ("[futex]",
 * offcpu_is_state_name()) are drawn in the io palette's blues whatever
 * o->palette, unless the graph is differential, o->color_diffusion is set
 * or the palette map has their name. With the count name "ns", titles
 * show counts as durations ("600 ms"; the rule is in svg.c). A
 * differential graph with o->verdicts is coloured by them, not by each
 * frame's delta (see struct svg_verdicts).
 * Returns 0; -FG_ERR_NO_STACKS when there is nothing to draw
 * (no entries, or a total of 0: nothing is written to out then);
 * -FG_ERR_UNSORTED with --no-sort and unsorted input; -FG_ERR_COUNT_OVERFLOW
 * when the counts add up past 2^64-1; -FG_ERR_IO when writing failed
 * (details in err).
 *
 * The script settings block holds searchcolor as the CSS colour string
 * given in search_color (FG_DEFAULT_SEARCH_COLOR by default).
 */
int svg_render(struct stack_table *t, const struct svg_opts *o, FILE *out,
	       struct fg_buf *err);

/*
 * The consistent palette (--consistent-palette): the colour each frame
 * name got, kept across runs in a file of "name->rgb(r,g,b)" lines so
 * that a function keeps its colour from one graph to the next. The map
 * owns copies of the names. Release it with svg_palette_map_release().
 */
struct svg_palette_map {
	struct strmap names;		/* name -> 0xrrggbb */
};

void svg_palette_map_init(struct svg_palette_map *pm);
void svg_palette_map_release(struct svg_palette_map *pm);

/*
 * Add the "name->rgb(r,g,b)" lines of the len bytes at data to pm (a
 * later line for a name wins). Lines that do not parse are skipped.
 */
void svg_palette_map_parse(struct svg_palette_map *pm, const char *data, size_t len);

/*
 * Write pm to fp as the palette file, sorted by name. A write error is
 * left for the caller to find with ferror() or when closing fp.
 */
void svg_palette_map_write(const struct svg_palette_map *pm, FILE *fp);

/*
 * The --name-attr file: attributes for the frames of named functions,
 * one function a line, "NAME<TAB>attr=value<TAB>...", as inferno reads
 * it (title, href, id, class, target, g_extra and a_extra). The struct
 * owns copies of everything it holds. Release it with
 * svg_name_attrs_release().
 */
struct svg_attr_set;

struct svg_name_attrs {
	struct strmap funcs;		/* function name -> index in sets */
	struct svg_attr_set *sets;	/* private to svg/name-attr.c */
	size_t nr, alloc;
};

void svg_name_attrs_init(struct svg_name_attrs *na);
void svg_name_attrs_release(struct svg_name_attrs *na);

/*
 * Add the lines of the len bytes at data to na. What cannot be used
 * (an invalid or repeated attribute, an extra attribute without a value)
 * is skipped with a warning appended to warn, one per line; after ten
 * warnings only a count is added, naming the file as source. warn may
 * be NULL.
 */
void svg_name_attrs_parse(struct svg_name_attrs *na, const char *data, size_t len,
			  const char *source, struct fg_buf *warn);

/*
 * The verdicts of a comparison of repeated runs, by function: which
 * functions' share of a differential graph changed significantly. When
 * struct svg_opts has them, svg_render() colours each frame of a
 * differential graph from its function's verdict instead of from the
 * frame's own delta: red for a share that grew, blue for one that shrank
 * (swapped by --negate), deeper as the verdict is stronger; every other
 * frame (a function without a verdict, or with sign 0) gets the colour of
 * a zero delta, rgb(250,250,250). A verdict's note is appended to the
 * frame's title (the generated one or the --name-attr one) after an em
 * dash, U+2014, between spaces. --color-diffusion and the grey "-"/"--"
 * frames win over verdicts, as they do over deltas.
 *
 * A frame finds its verdict by its full name, else by its name without
 * an annotation ("_[k]", "_[w]", "_[i]", "_[j]"); the root has none.
 * The struct owns copies of the names and notes. Release it with
 * svg_verdicts_release(). Not thread-safe.
 */

/* One function's verdict in a comparison of repeated runs. */
struct svg_verdict {
	int sign;		/* +1 grew significantly, -1 shrank, 0 no significant change */
	double strength;	/* 0..1: how strongly to colour it (1: the largest change) */
	const char *note;	/* appended to the frame's title, or NULL; copied */
};

struct svg_verdict_entry;

struct svg_verdicts {
	struct strmap names;		/* function name -> index in v */
	struct svg_verdict_entry *v;	/* private to svg/verdict.c */
	size_t nr, alloc;
};

void svg_verdicts_init(struct svg_verdicts *v);

/* Free everything v holds; v is then as after svg_verdicts_init(). */
void svg_verdicts_release(struct svg_verdicts *v);

/*
 * Add the verdict of the function called name (len bytes, a folded
 * frame name, any bytes), or replace the one it had. The name and
 * verdict->note are copied. Any positive sign means grew, any negative
 * one shrank; a strength outside 0..1 is clamped when colouring (NaN
 * counts as 0).
 */
void svg_verdicts_add(struct svg_verdicts *v, const char *name, size_t len,
		      const struct svg_verdict *verdict);

/*
 * The verdict of the function called name (len bytes, matched exactly),
 * or NULL. The pointer (and its note) is valid until the next
 * svg_verdicts_add() or svg_verdicts_release().
 */
const struct svg_verdict *svg_verdicts_find(const struct svg_verdicts *v,
					    const char *name, size_t len);

#endif
