#ifndef FG_SVG_INTERNAL_H
#define FG_SVG_INTERNAL_H

/*
 * Private interfaces shared by the files of svg/ (not for other modules).
 *
 * merge.c turns the stack table into an ordered array of lines (cut at
 * --base, reversed, sorted or checked) and then into frames with the flow
 * algorithm; color.c chooses frame colours and holds the palette map and a
 * small string hash map; svg.c writes the document.
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

/* --- colours (color.c) --- */

struct color_rgb {
	uint8_t r, g, b;
};

/* inferno's default "random" colours: XorShift64, seeded 1234. */
struct color_rng {
	uint64_t state;
};

void color_rng_init(struct color_rng *rng);

/*
 * The basic palette a multi palette (java, js, perl, python, rust, wakeup)
 * picks for name; basic palettes return themselves.
 */
enum svg_palette color_resolve(enum svg_palette pal, const char *name, size_t len);

/*
 * The palette colour of a frame name (the grey "-"/"--" rules, colour
 * diffusion and differential colours are not applied here).
 */
struct color_rgb color_for_name(enum svg_palette pal, int hash, int deterministic,
				const char *name, size_t len, struct color_rng *rng);

/* inferno's color_scale: white-ish for 0, red for +, blue for -. */
struct color_rgb color_scale(uint64_t mag, int neg, uint64_t max);

/* The two background gradient stops ("#rrggbb") for o. */
void color_background(const struct svg_opts *o, const char **c1, const char **c2);

/* A string -> value hash map (keys copied). */
struct svg_strmap_entry {
	char *key;
	size_t klen;
	uint64_t hash;
	uint64_t val;
};

struct svg_strmap {
	struct svg_strmap_entry *v;
	size_t nr, alloc;
	uint32_t *slots;	/* entry index + 1; 0 = empty */
	size_t nslots;
};

void svg_strmap_init(struct svg_strmap *m);
void svg_strmap_release(struct svg_strmap *m);
/* The entry for key, or NULL. */
struct svg_strmap_entry *svg_strmap_get(const struct svg_strmap *m,
					const char *key, size_t klen);
/* The entry for key, created with val 0 (*created = 1) if absent. */
struct svg_strmap_entry *svg_strmap_put(struct svg_strmap *m, const char *key,
					size_t klen, int *created);

/*
 * The consistent palette (palette.map): "name->rgb(r,g,b)" lines.
 * color_map_load() reads path if it exists (a missing file is an empty
 * map); lines that do not parse are skipped. color_map_save() writes the
 * whole map sorted by name, to a temporary file renamed over path.
 * Both return 0 or -FG_ERR_IO with a message in err.
 */
int color_map_load(struct svg_strmap *m, const char *path, struct fg_buf *err);
int color_map_save(const struct svg_strmap *m, const char *path, struct fg_buf *err);

static inline uint64_t color_pack(struct color_rgb c)
{
	return ((uint64_t)c.r << 16) | ((uint64_t)c.g << 8) | c.b;
}

static inline struct color_rgb color_unpack(uint64_t v)
{
	struct color_rgb c = { (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return c;
}

#endif
