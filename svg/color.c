/*
 * Frame colours, as inferno chooses them: the
 * basic palettes, the multi palettes that pick a basic one from the name,
 * the three ways to get the palette's parameters (--hash, --deterministic,
 * or inferno's reproducible "random" generator), the differential scale,
 * the default backgrounds, the rules that colour one frame, and the
 * consistent palette map (parsed and written here, read from and saved
 * to its file by the front-end).
 *
 * One rule is ours, not inferno's: the state frames off-CPU stacks end in
 * ("[futex]", "[sleep]", ...) are drawn in the io palette's blues whatever
 * the palette, except where colours mean something else (differential
 * graphs, --color-diffusion) or the palette map has a colour for them.
 * So is the colouring of a differential graph by verdicts (struct
 * svg_verdicts) instead of by deltas.
 */
#include "color-internal.h"
#include "../lib/hash.h"
#include "../profiler/offcpu.h"

#include <math.h>

const char *const svg_palette_names[] = {
	[PAL_HOT] = "hot", [PAL_AQUA] = "aqua", [PAL_BLUE] = "blue",
	[PAL_GREEN] = "green", [PAL_IO] = "io", [PAL_JAVA] = "java",
	[PAL_JS] = "js", [PAL_MEM] = "mem", [PAL_ORANGE] = "orange",
	[PAL_PERL] = "perl", [PAL_PYTHON] = "python", [PAL_PURPLE] = "purple",
	[PAL_RED] = "red", [PAL_RUST] = "rust", [PAL_WAKEUP] = "wakeup",
	[PAL_YELLOW] = "yellow", NULL
};

int svg_palette_parse(const char *name, enum svg_palette *out)
{
	size_t i;

	for (i = 0; svg_palette_names[i]; i++) {
		if (!strcmp(name, svg_palette_names[i])) {
			*out = (enum svg_palette)i;
			return 0;
		}
	}
	return -1;
}

int svg_color_check(const char *value)
{
	int i;

	if (!value || value[0] != '#' || strlen(value) != 7)
		return -1;
	for (i = 1; i < 7; i++)
		if (hex_digit((unsigned char)value[i]) < 0)
			return -1;
	return 0;
}

struct color_rgb color_from_hex(const char *hex)
{
	struct color_rgb c = { 0, 0, 0 };

	if (!svg_color_check(hex)) {
		c.r = (uint8_t)(hex_digit((unsigned char)hex[1]) << 4 | hex_digit((unsigned char)hex[2]));
		c.g = (uint8_t)(hex_digit((unsigned char)hex[3]) << 4 | hex_digit((unsigned char)hex[4]));
		c.b = (uint8_t)(hex_digit((unsigned char)hex[5]) << 4 | hex_digit((unsigned char)hex[6]));
	}
	return c;
}

int svg_bgcolor_parse(const char *value, struct svg_opts *o)
{
	static const struct {
		const char *name;
		enum svg_bgcolor bg;
	} named[] = {
		{ "yellow", BG_YELLOW }, { "blue", BG_BLUE },
		{ "green", BG_GREEN }, { "grey", BG_GREY },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(named); i++) {
		if (!strcmp(value, named[i].name)) {
			o->bgcolor = named[i].bg;
			return 0;
		}
	}
	if (svg_color_check(value))
		return -1;
	o->bgcolor = BG_FLAT;
	for (i = 0; i < 7; i++)		/* lower case, as inferno writes it */
		o->bg_flat[i] = (char)(value[i] >= 'A' && value[i] <= 'F'
				       ? value[i] - 'A' + 'a' : value[i]);
	o->bg_flat[7] = '\0';
	return 0;
}

void color_background(const struct svg_opts *o, const char **c1, const char **c2)
{
	enum svg_bgcolor bg = o->bgcolor;

	if (bg == BG_DEFAULT) {
		switch (o->palette) {
		case PAL_MEM:
			bg = BG_GREEN;
			break;
		case PAL_IO:
		case PAL_WAKEUP:
			bg = BG_BLUE;
			break;
		case PAL_RED: case PAL_GREEN: case PAL_BLUE: case PAL_AQUA:
		case PAL_YELLOW: case PAL_PURPLE: case PAL_ORANGE:
			bg = BG_GREY;
			break;
		default:
			bg = BG_YELLOW;
			break;
		}
	}
	switch (bg) {
	case BG_BLUE:
		*c1 = "#eeeeee";
		*c2 = "#e0e0ff";
		break;
	case BG_GREEN:
		*c1 = "#eef2ee";
		*c2 = "#e0ffe0";
		break;
	case BG_GREY:
		*c1 = "#f8f8f8";
		*c2 = "#e8e8e8";
		break;
	case BG_FLAT:
		if (!svg_color_check(o->bg_flat)) {
			*c1 = *c2 = o->bg_flat;
			break;
		}
		/* fall through */
	default:
		*c1 = "#eeeeee";
		*c2 = "#eeeeb0";
		break;
	}
}

/* --- parameters: random, hash, deterministic --- */

void color_rng_init(struct color_rng *rng)
{
	rng->state = 1234;
}

/* A float in [0, 1) from the top 53 bits of the next XorShift64 value. */
static float rng_next(struct color_rng *rng)
{
	uint64_t x = rng->state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng->state = x;
	return (float)((double)(x >> 11) * (1.0 / 9007199254740992.0));
}

struct namehash {
	float vector, weight, max;
	unsigned modulo;
};

static void namehash_init(struct namehash *h)
{
	h->vector = 0.0f;
	h->weight = 1.0f;
	h->max = 1.0f;
	h->modulo = 10;
}

static void namehash_update(struct namehash *h, unsigned char c)
{
	float i = (float)(c % h->modulo);

	h->vector += (i / (float)(h->modulo - 1)) * h->weight;
	h->modulo++;
	h->max += h->weight;
	h->weight *= 0.70f;
}

/*
 * flamegraph.pl's name hash: up to three characters weighted 1, .7, .49,
 * starting after the first "`" (a module prefix) if there is one past the
 * first character. rev: read the name backwards.
 */
static float namehash(const char *name, size_t len, int rev)
{
	struct namehash h;
	size_t i, tick = 0;
	int found = 0;

#define AT(k) ((unsigned char)name[rev ? len - 1 - (k) : (k)])
	namehash_init(&h);
	if (!len)
		return 1.0f;
	for (i = 1; i < len; i++) {
		if (AT(i) == '`') {
			tick = i;
			found = 1;
			break;
		}
	}
	if (!found) {
		for (i = 0; i < len && i < 3; i++)
			namehash_update(&h, AT(i));
	} else {
		for (i = tick + 1; i < len && i < tick + 4; i++)
			namehash_update(&h, AT(i));
	}
#undef AT
	return 1.0f - h.vector / h.max;
}

/* --- multi palettes --- */

static int mem_has(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle)) != NULL;
}

static int mem_starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

static int mem_ends(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

/* The annotation letter of a trailing "_[x]", or 0. */
static int annotation(const char *s, size_t len)
{
	if (len >= 4 && s[len - 1] == ']' && s[len - 4] == '_' && s[len - 3] == '[')
		return (unsigned char)s[len - 2];
	return 0;
}

static enum svg_palette resolve_java(const char *s, size_t len)
{
	const char *j = s;
	size_t jl = len;

	switch (annotation(s, len)) {
	case 'k':
		return PAL_ORANGE;
	case 'i':
		return PAL_AQUA;
	case 'j':
		return PAL_GREEN;
	}
	if (jl && *j == 'L') {
		j++;
		jl--;
	}
	if (mem_has(s, len, "::") || mem_starts(s, len, "-[") || mem_starts(s, len, "+["))
		return PAL_YELLOW;	/* C++ or Objective C */
	if (memchr(j, '/', jl) || (memchr(j, '.', jl) && !(jl && *j == '[')) ||
	    (jl && *j >= 'A' && *j <= 'Z'))
		return PAL_GREEN;	/* Java */
	return PAL_RED;
}

static enum svg_palette resolve_js(const char *s, size_t len)
{
	const char *slash;
	size_t i;

	if (len) {
		for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
					s[i] == '\n' || s[i] == '\v' || s[i] == '\f'); i++)
			;
		if (i == len)
			return PAL_GREEN;
	}
	if (mem_ends(s, len, "_[k]"))
		return PAL_ORANGE;
	if (mem_ends(s, len, "_[j]"))
		return memchr(s, '/', len) ? PAL_GREEN : PAL_AQUA;
	if (mem_has(s, len, "::"))
		return PAL_YELLOW;
	if (memchr(s, ':', len))
		return PAL_AQUA;
	slash = memchr(s, '/', len);
	if (slash) {
		size_t rest = len - (size_t)(slash - s);

		if (mem_has(slash, rest, "node_modules/"))
			return PAL_PURPLE;
		if (mem_has(slash, rest, ".js"))
			return PAL_GREEN;
	}
	return PAL_RED;
}

static enum svg_palette resolve_perl(const char *s, size_t len)
{
	if (mem_ends(s, len, "_[k]"))
		return PAL_ORANGE;
	if (mem_has(s, len, "Perl") || mem_has(s, len, ".pl"))
		return PAL_GREEN;
	if (mem_has(s, len, "::"))
		return PAL_YELLOW;
	return PAL_RED;
}

/* Is this path component "pythonX.Y" (or "Python39", or bare "python")? */
static int python_dir(const char *p, size_t n)
{
	size_t i;

	if (n < 6 || (memcmp(p, "python", 6) && memcmp(p, "Python", 6)))
		return 0;
	for (i = 6; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || p[i] == '.'))
			return 0;
	return 1;
}

static enum svg_palette resolve_python(const char *s, size_t len)
{
	size_t i, start = 0;
	int stdlib = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '/' && s[i] != '\\')
			continue;
		if (i - start == 13 && !memcmp(s + start, "site-packages", 13))
			return PAL_AQUA;
		if (python_dir(s + start, i - start))
			stdlib = 1;
		start = i + 1;
	}
	if (stdlib || mem_starts(s, len, "<built-in") || mem_starts(s, len, "<method") ||
	    mem_starts(s, len, "<frozen"))
		return PAL_YELLOW;
	return PAL_RED;
}

static enum svg_palette resolve_rust(const char *s, size_t len)
{
	const char *tick = memchr(s, '`', len);

	if (tick) {
		len -= (size_t)(tick + 1 - s);
		s = tick + 1;
	}
	if (mem_starts(s, len, "core::") || mem_starts(s, len, "std::") ||
	    mem_starts(s, len, "alloc::") ||
	    (mem_starts(s, len, "<core::") &&
	     !mem_starts(s, len, "<core::future::from_generator::GenFuture<T>")) ||
	    mem_starts(s, len, "<std::") || mem_starts(s, len, "<alloc::"))
		return PAL_ORANGE;	/* the standard library */
	if (mem_has(s, len, "::"))
		return PAL_AQUA;	/* user crates */
	return PAL_YELLOW;		/* not Rust */
}

enum svg_palette color_resolve(enum svg_palette pal, const char *s, size_t len)
{
	switch (pal) {
	case PAL_JAVA:
		return resolve_java(s, len);
	case PAL_JS:
		return resolve_js(s, len);
	case PAL_PERL:
		return resolve_perl(s, len);
	case PAL_PYTHON:
		return resolve_python(s, len);
	case PAL_RUST:
		return resolve_rust(s, len);
	case PAL_WAKEUP:
		return PAL_AQUA;
	default:
		return pal;
	}
}

/* base + trunc(scale * v), with inferno's f32 arithmetic */
static inline uint8_t term(unsigned base, float scale, float v)
{
	float x = scale * v;
	unsigned t = x <= 0.0f ? 0 : x >= 255.0f ? 255 : (unsigned)x;

	t += base;
	return (uint8_t)(t > 255 ? 255 : t);
}

/*
 * A basic palette: each of r, g and b is term(base, scale, v[which]) of
 * the three parameters v[] a name gets (a scale of 0 makes it the base).
 */
struct basic_palette {
	int known;
	struct {
		uint8_t base, scale, which;
	} ch[3];
};

static const struct basic_palette basic_palettes[] = {
	[PAL_HOT] = { 1, { { 205, 50, 2 }, { 0, 230, 0 }, { 0, 55, 1 } } },
	[PAL_MEM] = { 1, { { 0, 0, 0 }, { 190, 50, 1 }, { 0, 210, 0 } } },
	[PAL_IO] = { 1, { { 80, 60, 0 }, { 80, 60, 0 }, { 190, 55, 1 } } },
	[PAL_RED] = { 1, { { 200, 55, 0 }, { 50, 80, 0 }, { 50, 80, 0 } } },
	[PAL_GREEN] = { 1, { { 50, 60, 0 }, { 200, 55, 0 }, { 50, 60, 0 } } },
	[PAL_BLUE] = { 1, { { 80, 60, 0 }, { 80, 60, 0 }, { 205, 50, 0 } } },
	[PAL_YELLOW] = { 1, { { 175, 55, 0 }, { 175, 55, 0 }, { 50, 20, 0 } } },
	[PAL_PURPLE] = { 1, { { 190, 65, 0 }, { 80, 60, 0 }, { 190, 65, 0 } } },
	[PAL_AQUA] = { 1, { { 50, 60, 0 }, { 165, 55, 0 }, { 165, 55, 0 } } },
	[PAL_ORANGE] = { 1, { { 190, 65, 0 }, { 90, 65, 0 }, { 0, 0, 0 } } },
};

struct color_rgb color_for_name(enum svg_palette pal, int hash, int deterministic,
				const char *name, size_t len, struct color_rng *rng)
{
	const struct basic_palette *bp;
	struct color_rgb c;
	float v[3];
	size_t basic;

	if (hash) {
		v[0] = namehash(name, len, 0);
		v[1] = v[2] = namehash(name, len, 1);
	} else if (deterministic) {
		const uint64_t prime = 0x100000001b3ULL;	/* FNV's */
		uint64_t h = hash_fnv1a(name, len);

		v[0] = (float)((double)h / (double)UINT64_MAX);
		h *= prime;
		v[1] = (float)((double)h / (double)UINT64_MAX);
		h *= prime;
		v[2] = (float)((double)h / (double)UINT64_MAX);
	} else {
		v[0] = rng_next(rng);
		v[1] = rng_next(rng);
		v[2] = rng_next(rng);
	}

	basic = (size_t)color_resolve(pal, name, len);
	if (basic >= ARRAY_SIZE(basic_palettes) || !basic_palettes[basic].known)
		basic = PAL_HOT;
	bp = &basic_palettes[basic];
	c.r = term(bp->ch[0].base, bp->ch[0].scale, v[bp->ch[0].which]);
	c.g = term(bp->ch[1].base, bp->ch[1].scale, v[bp->ch[1].which]);
	c.b = term(bp->ch[2].base, bp->ch[2].scale, v[bp->ch[2].which]);
	return c;
}

struct color_rgb color_scale(uint64_t mag, int neg, uint64_t max)
{
	struct color_rgb c;
	unsigned v;

	if (!mag) {
		c.r = c.g = c.b = 250;
		return c;
	}
	if (!max || mag > max)
		max = mag;
	/* 100 + 150 * (max - |v|) / max, truncated; exact in 128 bits */
	v = 100 + (unsigned)((unsigned __int128)150 * (max - mag) / max);
	if (neg) {
		c.r = c.g = (uint8_t)v;
		c.b = 255;
	} else {
		c.r = 255;
		c.g = c.b = (uint8_t)v;
	}
	return c;
}

/* --- one frame --- */

void color_state_init(struct color_state *cs, const struct svg_opts *o, uint64_t delta_max)
{
	cs->o = o;
	cs->delta_max = delta_max;
	color_rng_init(&cs->rng);
}

static struct color_rgb grey(uint8_t v)
{
	struct color_rgb c = { v, v, v };

	return c;
}

/*
 * The colour of a verdict (NULL: none), on the differential scale: a
 * verdict without a significant change gets the colour of a zero delta;
 * a significant one at least 35% of the scale's strongest colour, so that
 * the smallest significant change still stands out from the neutral
 * frames, and all of it at strength 1.
 */
static struct color_rgb color_verdict(const struct svg_verdict *verdict, int negate)
{
	enum { VERDICT_MAX = 1000, VERDICT_MIN = 350 };
	double s;

	if (!verdict || !verdict->sign)
		return color_scale(0, 0, VERDICT_MAX);
	s = verdict->strength;
	if (!(s > 0))		/* NaN too */
		s = 0;
	else if (s > 1)
		s = 1;
	return color_scale(VERDICT_MIN + (uint64_t)((VERDICT_MAX - VERDICT_MIN) * s + 0.5),
			   (verdict->sign < 0) ^ (negate != 0), VERDICT_MAX);
}

struct color_rgb color_frame(struct color_state *cs, const char *name, size_t len,
			     double width_pct, int has_delta, uint64_t dmag, int dneg,
			     const struct svg_verdict *verdict)
{
	const struct svg_opts *o = cs->o;
	enum svg_palette pal = o->palette;
	struct strmap_entry *e;
	int created;

	if (len == 2 && name[0] == '-' && name[1] == '-')
		return grey(160);
	if (len == 1 && name[0] == '-')
		return grey(200);
	if (o->color_diffusion) {
		double v = sqrt(width_pct / 100.0) * 2000.0;

		return color_scale(v > 0 ? (uint64_t)v : 0, 0, 2000);
	}
	if (has_delta && o->verdicts)
		return color_verdict(verdict, o->negate);
	if (has_delta)
		return color_scale(dmag, dneg ^ (o->negate != 0), cs->delta_max);
	/*
	 * The frame an off-CPU stack ends in names what the thread waited
	 * for: in io's blues, whatever the palette, waiting stands apart
	 * from computing. Its parameters come as any name's do (the
	 * generator is drawn from just the same), so the other frames keep
	 * their colours, and the states still differ from one another.
	 */
	if (offcpu_is_state_name(name, len))
		pal = PAL_IO;
	if (!o->palette_map)
		return color_for_name(pal, o->hash, o->deterministic, name, len, &cs->rng);
	/* a colour the map holds wins, for a state too: the user chose it */
	e = strmap_put(&o->palette_map->names, name, len, &created);
	if (created)
		e->val = color_pack(color_for_name(pal, o->hash, o->deterministic,
						   name, len, &cs->rng));
	return color_unpack(e->val);
}

/* --- the consistent palette file --- */

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* Parse " N " (0..255) up to the byte stop; returns the end or NULL. */
static const char *parse_u8(const char *p, const char *end, int stop, unsigned *out)
{
	unsigned v = 0;
	int digits = 0;

	p = skip_ws(p, end);
	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p++ - '0');
		if (v > 255)
			return NULL;
		digits++;
	}
	p = skip_ws(p, end);
	if (!digits || p >= end || *p != stop)
		return NULL;
	*out = v;
	return p + 1;
}

/* "name->rgb(r,g,b)": 0 and the parts, or -1. */
static int parse_map_line(const char *s, size_t len, size_t *name_len,
			  struct color_rgb *c)
{
	const char *arrow = memmem(s, len, "->", 2), *p, *end = s + len;
	unsigned r, g, b;

	if (!arrow || memmem(arrow + 2, (size_t)(end - arrow - 2), "->", 2))
		return -1;
	p = skip_ws(arrow + 2, end);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (end - p < 5 || memcmp(p, "rgb(", 4))
		return -1;
	p += 4;
	if (!(p = parse_u8(p, end, ',', &r)) || !(p = parse_u8(p, end, ',', &g)) ||
	    !(p = parse_u8(p, end, ')', &b)) || p != end)
		return -1;
	*name_len = (size_t)(arrow - s);
	c->r = (uint8_t)r;
	c->g = (uint8_t)g;
	c->b = (uint8_t)b;
	return 0;
}

void svg_palette_map_init(struct svg_palette_map *pm)
{
	strmap_init(&pm->names);
}

void svg_palette_map_release(struct svg_palette_map *pm)
{
	strmap_release(&pm->names);
}

void svg_palette_map_parse(struct svg_palette_map *pm, const char *data, size_t len)
{
	const char *p, *end;

	for (p = data, end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		struct color_rgb c;
		size_t nlen;

		if (!parse_map_line(p, (size_t)(eol - p), &nlen, &c)) {
			int created;

			strmap_put(&pm->names, p, nlen, &created)->val = color_pack(c);
		}
		p = nl ? nl + 1 : end;
	}
}

static int entry_cmp(const void *va, const void *vb)
{
	const struct strmap_entry *const *a = va, *const *b = vb;

	return stack_cmp((*a)->key, (*a)->klen, (*b)->key, (*b)->klen);
}

void svg_palette_map_write(const struct svg_palette_map *pm, FILE *fp)
{
	const struct strmap *m = &pm->names;
	const struct strmap_entry **sorted;
	size_t i;

	sorted = xcalloc(m->nr ? m->nr : 1, sizeof(*sorted));
	for (i = 0; i < m->nr; i++)
		sorted[i] = &m->v[i];
	if (m->nr > 1)
		qsort(sorted, m->nr, sizeof(*sorted), entry_cmp);
	for (i = 0; i < m->nr; i++) {
		struct color_rgb c = color_unpack(sorted[i]->val);

		fwrite(sorted[i]->key, 1, sorted[i]->klen, fp);
		fprintf(fp, "->rgb(%u,%u,%u)\n", c.r, c.g, c.b);
	}
	free(sorted);
}
