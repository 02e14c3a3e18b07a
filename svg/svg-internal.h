#ifndef FG_SVG_INTERNAL_H
#define FG_SVG_INTERNAL_H

/*
 * Private interfaces shared by the files of svg/ (not for other modules).
 *
 * merge.c turns the stack table into an ordered array of lines (cut at
 * --base, reversed, sorted or checked) and then into frames with the flow
 * algorithm; name-attr.c holds the attributes the --name-attr file gives
 * to functions; verdict.c finds a frame's verdict; svg.c writes the
 * document. The colours (color.c) and the output buffer (write.c) have
 * headers of their own, color-internal.h and write-internal.h, which
 * need nothing from here.
 *
 * Frames and lines point into strings owned by the stack table or by the
 * struct merge_lines that produced them; nothing here copies names.
 */

#include "flamegraph.h"

/* One folded line, as the flow algorithm sees it. */
struct svg_line {
	const char *s;		/* the stack, not NUL-terminated */
	size_t len;
	uint64_t count;		/* width (the "after" count of a diff) */
	uint64_t before;	/* differential input: the first count */
	uint64_t key;		/* scratch for sorting */
};

struct merge_lines {
	struct svg_line *v;
	size_t nr, alloc;
	char *arena;		/* reversed stacks (--reverse), or NULL */
	uint64_t total;		/* sum of counts */
	uint64_t delta_max;	/* max |after - before|, at least 1 */
	size_t unsorted;	/* --no-sort: the first line out of order
				   (it sorts before line unsorted - 1), or 0 */
};

/*
 * Build the lines to draw from t, as the options ask: cut each stack at
 * the --base symbol closest to its leaf (dropping stacks without one),
 * reverse the frames (--reverse, then sort), reverse the line order
 * (--flamechart), check the order (--no-sort) or sort (the default).
 * Returns 0, -FG_ERR_UNSORTED, or -FG_ERR_COUNT_OVERFLOW when the counts
 * add up to more than 2^64-1. Release ml with merge_lines_release().
 */
int merge_lines_build(struct merge_lines *ml, const struct stack_table *t,
		      const struct svg_opts *o);
void merge_lines_release(struct merge_lines *ml);

/* A drawn frame: name, depth and [start, end) in samples. */
struct svg_frame {
	const char *name;	/* points into a line; not NUL-terminated */
	size_t len;
	uint64_t start, end;
	uint64_t dmag;		/* |delta| (differential only) */
	uint32_t depth;		/* 0 is the root ("all") */
	uint8_t dneg;		/* delta < 0 */
	uint8_t has_delta;	/* differential input */
};

struct merge_frames {
	struct svg_frame *v;	/* in the order the flow closes them */
	size_t nr, alloc;
	uint32_t depth_max;	/* over the frames kept */
};

/*
 * The flow algorithm (see the reference, section 1): frames are shared
 * only between adjacent lines. Frames narrower than min_width percent of
 * the total are dropped as they close. diff: lines carry "before".
 */
void merge_frames_build(struct merge_frames *mf, const struct merge_lines *ml,
			int diff, double min_width);
void merge_frames_release(struct merge_frames *mf);

/* Strip a trailing _[k], _[w], _[i] or _[j] annotation: the new length. */
size_t svg_deannotate_len(const char *name, size_t len);

/*
 * The verdict of the frame called name (len bytes): the one v has for the
 * full name, else for the name without its annotation; NULL if neither.
 */
const struct svg_verdict *verdicts_find_frame(const struct svg_verdicts *v,
					      const char *name, size_t len);

/* --- the --name-attr file (name-attr.c) --- */

struct svg_attr {
	char *name, *value;
	size_t nlen;
};

/*
 * The attributes of one function, in the order they were first given.
 * A set of up to ATTR_SCAN_MAX attributes is searched in that order; a
 * larger one also gets an index of its names, so that loading n
 * attributes for one function takes time linear in n.
 */
struct svg_attr_set {
	char *title;		/* NULL: the generated title */
	struct svg_attr *v;
	size_t nr, alloc;
	struct strmap index;	/* name -> position in v; empty while small */
	int has_href;		/* the frame is an <a>, not a <g> */
};

/* The attributes na gives the function called name (len bytes), or NULL. */
const struct svg_attr_set *name_attrs_find(const struct svg_name_attrs *na,
					   const char *name, size_t len);

#endif
