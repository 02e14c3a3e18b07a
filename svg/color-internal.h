#ifndef FG_SVG_COLOR_INTERNAL_H
#define FG_SVG_COLOR_INTERNAL_H

/*
 * Frame colours (color.c), private to svg/: the writer asks color_frame()
 * for the colour of each frame and writes it; everything that decides a
 * colour (the palettes, the grey "-"/"--" frames, --color-diffusion,
 * differential colours, the blues of off-CPU state frames, the consistent
 * palette map, the colours of verdicts) is in color.c, which knows
 * nothing of the document.
 * Not thread-safe: a struct color_state belongs to one render.
 */

#include "flamegraph.h"

struct color_rgb {
	uint8_t r, g, b;
};

static inline uint64_t color_pack(struct color_rgb c)
{
	return ((uint64_t)c.r << 16) | ((uint64_t)c.g << 8) | c.b;
}

static inline struct color_rgb color_unpack(uint64_t v)
{
	struct color_rgb c = { (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return c;
}

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
 * diffusion and differential colours are not applied here). rng is used
 * (and must not be NULL) only when neither hash nor deterministic is set.
 */
struct color_rgb color_for_name(enum svg_palette pal, int hash, int deterministic,
				const char *name, size_t len, struct color_rng *rng);

/* inferno's color_scale: white-ish for 0, red for +, blue for -. */
struct color_rgb color_scale(uint64_t mag, int neg, uint64_t max);

/* The two background gradient stops ("#rrggbb") for o. */
void color_background(const struct svg_opts *o, const char **c1, const char **c2);

/* The colour "#rrggbb" names, or black if it is not one. */
struct color_rgb color_from_hex(const char *hex);

/* The colours of one render's frames. */
struct color_state {
	const struct svg_opts *o;	/* palette, hash, negate, palette_map... */
	uint64_t delta_max;		/* the largest |delta|, differential input */
	struct color_rng rng;
};

void color_state_init(struct color_state *cs, const struct svg_opts *o, uint64_t delta_max);

/*
 * The colour of a frame called name (len bytes), width_pct percent of the
 * graph wide; has_delta: differential input, the frame's delta is dmag,
 * negative if dneg. With o->verdicts set, a differential frame is
 * coloured from verdict, the frame's verdict (NULL: it has none), not
 * from its delta; verdict is not looked at otherwise. An off-CPU state
 * name (offcpu_is_state_name()) gets the io palette's colour for it
 * instead of o->palette's. A name new to o->palette_map is added to it,
 * with the colour it got.
 */
struct color_rgb color_frame(struct color_state *cs, const char *name, size_t len,
			     double width_pct, int has_delta, uint64_t dmag, int dneg,
			     const struct svg_verdict *verdict);

#endif
