/*
 * The SVG writer: the layout of inferno's interactive document and the
 * document itself, written through write.c's buffer and escaping, with
 * the frame colours color.c chooses. A differential graph's frames may
 * have verdicts (verdict.c): color.c colours them, their notes end the
 * titles.
 *
 * Percentages, and counts scaled by --factor, are computed exactly with
 * integer arithmetic (rounded half up) rather than printed from doubles.
 *
 * When the count name is "ns" (off-CPU and wall-clock profiles count
 * nanoseconds), titles show each count as a duration, "main (1.80 s,
 * 100.00%)": three significant digits, rounded half up, in the largest
 * of ns, us, ms and s that leaves a digit before the point ("950 ns",
 * "12.3 us", "600 ms"). Counts under 1000 ns are whole nanoseconds; from
 * 1000 s on, whole seconds with thousands separators ("3,600 s"), there
 * being no larger unit.
 */
#include "svg-internal.h"
#include "color-internal.h"
#include "write-internal.h"
#include "../lib/defaults.h"
#include "../lib/error.h"

#include <math.h>

extern const char svg_flamegraph_js[];
extern const size_t svg_flamegraph_js_len;

#define XPAD 10

void svg_opts_init(struct svg_opts *o)
{
	_Static_assert(sizeof(FG_DEFAULT_SEARCH_COLOR) == sizeof(o->search_color) &&
		       sizeof(FG_DEFAULT_UI_COLOR) == sizeof(o->ui_color),
		       "the default colours are #rrggbb");

	memset(o, 0, sizeof(*o));
	o->count_name = FG_DEFAULT_COUNT_NAME;
	o->name_type = FG_DEFAULT_NAME_TYPE;
	o->font_type = FG_DEFAULT_FONT_TYPE;
	o->font_size = FG_DEFAULT_FONT_SIZE;
	o->font_width = FG_DEFAULT_FONT_WIDTH;
	o->frame_height = FG_DEFAULT_FRAME_HEIGHT;
	o->min_width = FG_DEFAULT_MIN_WIDTH;
	o->factor = FG_DEFAULT_FACTOR;
	o->direction = SVG_STRAIGHT;
	/* the name is the default, shown in --help; it leaves PAL_HOT when unknown */
	svg_palette_parse(FG_DEFAULT_PALETTE, &o->palette);
	o->bgcolor = BG_DEFAULT;
	memcpy(o->search_color, FG_DEFAULT_SEARCH_COLOR, sizeof(o->search_color));
	memcpy(o->ui_color, FG_DEFAULT_UI_COLOR, sizeof(o->ui_color));
}

/* --- exact arithmetic --- */

/* round(a * m / d), half up, exact; d > 0 */
static inline unsigned __int128 muldiv_round(uint64_t a, uint64_t m, uint64_t d)
{
	if (a <= (1ULL << 62) / m && d <= (1ULL << 62)) {
		uint64_t n = a * m;
		return (2 * n + d) / (2 * d);
	}
	return ((unsigned __int128)a * m * 2 + d) / ((unsigned __int128)d * 2);
}

/*
 * Exact arithmetic for --factor. The factor is a double, so exactly
 * m * 2^e with m < 2^53 and -1074 <= e <= 971. A count as titles show
 * it, round(w * m * 2^e), and a delta in hundredths of a percent,
 * round(10^4 * d / (total * m * 2^e)), are then both round(a * 2^sh / b)
 * with a < 2^118, b < 2^117 and |sh| <= 1074: never saturated, but up to
 * 1152 bits long.
 */
#define BIG_LIMBS 40		/* 1280 bits */
#define BIG_DIGITS (BIG_LIMBS * 10)	/* a 32-bit limb has under 10 digits */

struct big {
	uint32_t v[BIG_LIMBS];	/* least significant first */
};

static unsigned bitlen128(unsigned __int128 a)
{
	uint64_t hi = (uint64_t)(a >> 64), lo = (uint64_t)a;

	if (hi)
		return 128 - (unsigned)__builtin_clzll(hi);
	return lo ? 64 - (unsigned)__builtin_clzll(lo) : 0;
}

static void big_set(struct big *q, unsigned __int128 v)
{
	unsigned i;

	memset(q, 0, sizeof(*q));
	for (i = 0; v; i++, v >>= 32)
		q->v[i] = (uint32_t)v;
}

/*
 * *q = a * 2^sh / b, rounded half up, or rounded down with down set;
 * a < 2^126, 0 < b < 2^127.
 */
static void big_muldiv(struct big *q, unsigned __int128 a, int sh, unsigned __int128 b,
		       int down)
{
	unsigned __int128 rem = 0;
	unsigned i, top;

	if (sh < 0) {
		unsigned k = (unsigned)-sh;

		/* b * 2^k >= 2^127 > 2a: the quotient rounds to 0 */
		if (k >= 127 || b >> (127 - k)) {
			big_set(q, 0);
			return;
		}
		b <<= k;
		sh = 0;
	}
	if (sh > BIG_LIMBS * 32 - 128)
		BUG("big_muldiv() shift %d out of range", sh);
	top = bitlen128(a) + (unsigned)sh;
	if (top < 128) {
		unsigned __int128 n = a << sh, r = n % b;

		big_set(q, n / b + (!down && r >= b - r));
		return;
	}
	/* long division, a bit at a time: rem < b, so 2 * rem + 1 fits */
	memset(q, 0, sizeof(*q));
	for (i = top; i-- > 0;) {
		unsigned bit = i >= (unsigned)sh ? (unsigned)(a >> (i - (unsigned)sh)) & 1 : 0;

		rem = (rem << 1) | bit;
		if (rem >= b) {
			rem -= b;
			q->v[i / 32] |= 1u << (i % 32);
		}
	}
	if (!down && rem >= b - rem)
		for (i = 0; i < BIG_LIMBS && !++q->v[i]; i++)
			;
}

/* The decimal digits of q (no leading zeros) at the end of buf; q is consumed. */
static const char *big_digits(struct big *q, char buf[BIG_DIGITS], size_t *len)
{
	char *p = buf + BIG_DIGITS;
	unsigned n = BIG_LIMBS, i, k;

	while (n && !q->v[n - 1])
		n--;
	do {
		uint64_t r = 0;

		for (i = n; i-- > 0;) {
			uint64_t cur = r << 32 | q->v[i];

			q->v[i] = (uint32_t)(cur / 1000000000);
			r = cur % 1000000000;
		}
		while (n && !q->v[n - 1])
			n--;
		for (k = 0; k < 9 && (n || r || k == 0); k++) {
			*--p = (char)('0' + r % 10);
			r /= 10;
		}
	} while (n);
	*len = (size_t)(buf + BIG_DIGITS - p);
	return p;
}

static void out_rgb(struct out *o, struct color_rgb c)
{
	out_lit(o, "rgb(");
	out_u64(o, c.r);
	out_ch(o, ',');
	out_u64(o, c.g);
	out_ch(o, ',');
	out_u64(o, c.b);
	out_ch(o, ')');
}

/* --- the document --- */

struct render {
	struct out out;
	const struct svg_opts *o;
	uint64_t total;
	unsigned width;		/* image width */
	uint64_t fs;		/* font size for layout */
	uint64_t fh;		/* frame height */
	int64_t height, ypad1, ypad2;
	uint64_t fmant;		/* the factor is fmant * 2^fexp, fmant odd */
	int fexp;
	double char_pct;	/* width of a character, in percent */
	uint64_t text_dx;	/* 300 / width percent, scaled by 10^4 */
	const char *title;
	const char *count_name;
	int ns;			/* counts are nanoseconds: titles show durations */
	int diff;
	struct color_state colors;
};

static void write_text(struct render *r, int level, const char *id, const char *cls,
		       const char *x, int64_t y, const char *text)
{
	struct out *o = &r->out;

	out_indent(o, level);
	out_lit(o, "<text id=\"");
	out_str(o, id);
	out_ch(o, '"');
	if (cls) {
		out_lit(o, " class=\"");
		out_str(o, cls);
		out_ch(o, '"');
	}
	out_lit(o, " fill=\"");
	out_rgb(o, color_from_hex(r->o->ui_color));
	out_lit(o, "\" x=\"");
	out_str(o, x);
	out_lit(o, "\" y=\"");
	out_i64(o, y);
	out_lit(o, ".00\">");
	out_xml_str(o, text, ESC_TEXT);
	out_lit(o, "</text>");
}

/* The script's settings block: a "var name = value;" line each. */
static void write_settings(struct render *r)
{
	enum { JS_STRING, JS_NUMBER, JS_LITERAL };
	const struct svg_opts *opt = r->o;
	const struct {
		const char *name;
		int kind;
		const char *s;		/* JS_STRING, JS_LITERAL */
		double num;		/* JS_NUMBER */
	} vars[] = {
		{ "nametype", JS_STRING,
		  opt->name_type ? opt->name_type : FG_DEFAULT_NAME_TYPE, 0 },
		{ "fontsize", JS_NUMBER, NULL, opt->font_size },
		{ "fontwidth", JS_NUMBER, NULL, opt->font_width },
		{ "xpad", JS_LITERAL, "10", 0 },
		{ "inverted", JS_LITERAL, opt->direction == SVG_INVERTED ? "true" : "false", 0 },
		{ "searchcolor", JS_STRING,
		  svg_color_check(opt->search_color) ? FG_DEFAULT_SEARCH_COLOR
						     : opt->search_color, 0 },
		{ "fluiddrawing", JS_LITERAL, opt->image_width ? "false" : "true", 0 },
		{ "truncate_text_right", JS_LITERAL, opt->truncate_text_right ? "true" : "false", 0 },
	};
	struct out *o = &r->out;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vars); i++) {
		out_lit(o, "var ");
		out_str(o, vars[i].name);
		out_lit(o, " = ");
		if (vars[i].kind == JS_STRING)
			out_js_string(o, vars[i].s);
		else if (vars[i].kind == JS_NUMBER)
			out_double(o, vars[i].num);
		else
			out_str(o, vars[i].s);
		out_lit(o, ";\n");
	}
}

static void write_header(struct render *r)
{
	static const char css[] =
		"#matched { text-anchor:end; }\n"
		"#search { text-anchor:end; opacity:0.1; cursor:pointer; }\n"
		"#search:hover, #search.show { opacity:1; }\n"
		"#subtitle { text-anchor:middle; font-color:rgb(160,160,160); }\n"
		"#unzoom { cursor:pointer; }\n"
		"#frames > *:hover { stroke:black; stroke-width:0.5; cursor:pointer; }\n"
		".hide { display:none; }\n"
		".parent { opacity:0.5; }\n";
	const struct svg_opts *opt = r->o;
	struct out *o = &r->out;
	const char *bg1, *bg2;
	char xbuf[32];

	out_lit(o, "<?xml version=\"1.0\" standalone=\"no\"?>"
		"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
		"\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">");
	out_lit(o, "<svg version=\"1.1\" width=\"");
	out_u64(o, r->width);
	out_lit(o, "\" height=\"");
	out_i64(o, r->height);
	out_lit(o, "\" onload=\"init(evt)\" viewBox=\"0 0 ");
	out_u64(o, r->width);
	out_ch(o, ' ');
	out_i64(o, r->height);
	out_lit(o, "\" xmlns=\"http://www.w3.org/2000/svg\" "
		"xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		"xmlns:fg=\"http://github.com/jonhoo/inferno\">");
	out_indent(o, 1);
	out_lit(o, "<!--Flame graph stack visualization. See "
		"https://github.com/brendangregg/FlameGraph for latest version, and "
		"http://www.brendangregg.com/flamegraphs.html for examples.-->");
	out_indent(o, 1);
	out_lit(o, "<!--NOTES: ");
	if (opt->notes)
		out_xml_str(o, opt->notes, ESC_COMMENT);
	out_lit(o, "-->");

	color_background(opt, &bg1, &bg2);
	out_indent(o, 1);
	out_lit(o, "<defs>");
	out_indent(o, 2);
	out_lit(o, "<linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">");
	out_indent(o, 3);
	out_lit(o, "<stop stop-color=\"");
	out_str(o, bg1);
	out_lit(o, "\" offset=\"5%\"/>");
	out_indent(o, 3);
	out_lit(o, "<stop stop-color=\"");
	out_str(o, bg2);
	out_lit(o, "\" offset=\"95%\"/>");
	out_indent(o, 2);
	out_lit(o, "</linearGradient>");
	out_indent(o, 1);
	out_lit(o, "</defs>");

	out_indent(o, 1);
	out_lit(o, "<style type=\"text/css\">\ntext { font-family:");
	out_font_family(o, opt->font_type ? opt->font_type : FG_DEFAULT_FONT_TYPE);
	out_lit(o, "; font-size:");
	out_double(o, opt->font_size);
	out_lit(o, "px }\n#title { text-anchor:middle; font-size:");
	out_double(o, opt->font_size + 5);
	out_lit(o, "px; }\n");
	if (opt->stroke_color[0] && !svg_color_check(opt->stroke_color)) {
		out_lit(o, "#frames > g > rect, #frames > a > rect { stroke:");
		out_str(o, opt->stroke_color);
		out_lit(o, "; stroke-width:1; }\n");
	}
	out_lit(o, css);
	out_lit(o, "</style>");

	out_indent(o, 1);
	out_lit(o, "<script type=\"text/ecmascript\"><![CDATA[");
	write_settings(r);
	out_lit(o, "]]>");
	if (!opt->no_javascript && svg_flamegraph_js_len) {
		const char *js = svg_flamegraph_js, *jend = js + svg_flamegraph_js_len;

		/* "]]>" cannot appear inside CDATA: split the section there */
		out_lit(o, "<![CDATA[");
		while (js < jend) {
			const char *m = memmem(js, (size_t)(jend - js), "]]>", 3);

			if (!m) {
				out_add(o, js, (size_t)(jend - js));
				break;
			}
			out_add(o, js, (size_t)(m - js) + 2);
			out_lit(o, "]]><![CDATA[");
			js = m + 2;
		}
		out_lit(o, "]]>");
	}
	out_lit(o, "</script>");

	out_indent(o, 1);
	out_lit(o, "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"");
	out_i64(o, r->height);
	out_lit(o, "\" fill=\"url(#background)\"/>");

	write_text(r, 1, "title", NULL, "50.0000%", (int64_t)r->fs * 2, r->title);
	if (opt->subtitle && *opt->subtitle)
		write_text(r, 1, "subtitle", NULL, "50.0000%", (int64_t)r->fs * 4,
			   opt->subtitle);
	write_text(r, 1, "details", NULL, "10",
		   opt->direction == SVG_INVERTED ? r->ypad1 - (int64_t)r->fs
						  : r->height - r->ypad2 / 2, " ");
	write_text(r, 1, "unzoom", "hide", "10", (int64_t)r->fs * 2, "Reset Zoom");
	snprintf(xbuf, sizeof(xbuf), "%u", r->width > XPAD ? r->width - XPAD : 0);
	write_text(r, 1, "search", NULL, xbuf, (int64_t)r->fs * 2, "Search");
	write_text(r, 1, "matched", NULL, xbuf, r->height - r->ypad2 / 2, " ");

	out_indent(o, 1);
	out_lit(o, "<svg id=\"frames\" x=\"10\" width=\"");
	out_u64(o, r->width > 2 * XPAD ? r->width - 2 * XPAD : 0);
	out_lit(o, "\" total_samples=\"");
	out_u64(o, r->total);
	out_lit(o, "\">");
}

/*
 * The count of w samples as titles show it: w * factor, rounded half up,
 * exactly (a factor of 1e300 makes a number of 300 digits).
 */
static void out_samples(struct render *r, uint64_t w)
{
	struct big q;
	char buf[BIG_DIGITS];
	const char *d;
	size_t n;

	if (r->fmant == 1 && !r->fexp) {
		out_thousands(&r->out, w);
		return;
	}
	big_muldiv(&q, (unsigned __int128)w * r->fmant, r->fexp, 1, 0);
	d = big_digits(&q, buf, &n);
	out_digits_thousands(&r->out, d, n);
}

/*
 * A duration of n decimal digits d (no leading zeros) of nanoseconds, the
 * digits dropped rounded half up, as the header of this file says.
 */
static void out_duration(struct out *o, const char *d, size_t n)
{
	static const char *const units[] = { " us", " ms", " s" };
	char sig[3], sec[BIG_DIGITS + 1], *p;
	size_t e = n - 1, m, i;
	unsigned v;

	if (n <= 3) {
		out_add(o, d, n);
		out_lit(o, " ns");
		return;
	}
	v = (unsigned)(d[0] - '0') * 100 + (unsigned)(d[1] - '0') * 10 +
	    (unsigned)(d[2] - '0') + (d[3] >= '5');
	if (v == 1000) {	/* 999.5 us is 1.00 ms */
		v = 100;
		e++;
	}
	if (e < 12) {
		sig[0] = (char)('0' + v / 100);
		sig[1] = (char)('0' + v / 10 % 10);
		sig[2] = (char)('0' + v % 10);
		out_digits_fixed(o, sig, 3, (unsigned)(2 - e % 3));
		out_str(o, units[e / 3 - 1]);
		return;
	}
	/*
	 * 1000 s and more: whole seconds, rounded from all the digits, as
	 * three digits would end in zeros that are not the count's.
	 */
	m = n - 9;
	sec[0] = '0';		/* room for a carry */
	memcpy(sec + 1, d, m);
	if (d[m] >= '5') {
		for (i = m; sec[i] == '9'; i--)
			sec[i] = '0';
		sec[i]++;
	}
	p = sec[0] == '0' ? sec + 1 : sec;
	out_digits_thousands(o, p, (size_t)(sec + m + 1 - p));
	out_lit(o, " s");
}

/*
 * "N samples" (N as out_samples() writes it, then the count name) or,
 * when the counts are nanoseconds, the duration w * factor.
 */
static void out_count(struct render *r, uint64_t w)
{
	struct big q;
	char buf[BIG_DIGITS];
	const char *d;
	size_t n;

	if (!r->ns) {
		out_samples(r, w);
		out_ch(&r->out, ' ');
		out_xml_str(&r->out, r->count_name, ESC_TEXT);
		return;
	}
	/*
	 * Rounding w * factor to whole nanoseconds and then to three
	 * digits would round twice: 1234.5 ns would become 1235 ns, then
	 * 1.24 us. Rounded down to whole nanoseconds, it rounds as the
	 * exact value would: the fraction lost, under 1 ns, never decides
	 * whether the digits dropped reach half a unit of the last digit
	 * kept. When no digit is dropped (under 1000 ns), the count is
	 * rounded as out_samples() rounds it.
	 */
	big_muldiv(&q, (unsigned __int128)w * r->fmant, r->fexp, 1, 1);
	d = big_digits(&q, buf, &n);
	if (n <= 3) {
		big_muldiv(&q, (unsigned __int128)w * r->fmant, r->fexp, 1, 0);
		d = big_digits(&q, buf, &n);
	}
	out_duration(&r->out, d, n);
}

/*
 * The delta of f in percent with 2 decimals, without its sign. The factor
 * divides it, as in inferno: 100 * |delta| / (total * factor).
 */
static void out_delta_pct(struct render *r, const struct svg_frame *f)
{
	struct big q;
	char buf[BIG_DIGITS];
	const char *d;
	size_t n;

	big_muldiv(&q, (unsigned __int128)f->dmag * 10000, -r->fexp,
		   (unsigned __int128)r->total * r->fmant, 0);
	d = big_digits(&q, buf, &n);
	out_digits_fixed(&r->out, d, n, 2);
}

/*
 * "name (N samples, P%)", or "name (1.80 s, P%)" for nanoseconds, with
 * "; D%" for a differential frame. The percentage is of the unscaled width
 * against the unscaled total: the factor scales both, so it does not
 * change it.
 */
static void write_title(struct render *r, const struct svg_frame *f)
{
	const struct svg_opts *opt = r->o;
	struct out *o = &r->out;
	uint64_t w = f->end - f->start;

	if (!f->depth && !f->len) {
		out_lit(o, "all (");
		out_count(r, w);
		out_lit(o, ", 100%)");
		return;
	}
	out_xml(o, f->name, svg_deannotate_len(f->name, f->len), ESC_TEXT);
	out_lit(o, " (");
	out_count(r, w);
	out_lit(o, ", ");
	out_fixed(o, muldiv_round(w, 10000, r->total), 2);
	out_ch(o, '%');
	if (f->has_delta) {
		out_lit(o, "; ");
		if (f->dmag) {
			out_ch(o, (f->dneg ^ (opt->negate != 0)) ? '-' : '+');
			out_delta_pct(r, f);
		} else {
			out_lit(o, "0.00");
		}
		out_ch(o, '%');
	}
	out_ch(o, ')');
}

/* The static label: the name cut to fit, on character boundaries. */
static void write_label(struct render *r, const struct svg_frame *f, double width_pct)
{
	const unsigned char *p, *end;
	double fit = width_pct / r->char_pct;
	size_t fitchars, nchars = 0, len;

	if (!f->depth && !f->len) {
		if (fit >= 3)
			out_lit(&r->out, "all");
		return;
	}
	if (!(fit >= 3))
		return;
	fitchars = fit > 1e9 ? 1000000000 : (size_t)fit;
	len = svg_deannotate_len(f->name, f->len);
	p = (const unsigned char *)f->name;
	end = p + len;
	/* count characters up to fitchars; remember where fitchars - 2 ends */
	{
		const unsigned char *q = p, *cut = p;

		while (q < end && nchars < fitchars) {
			q += out_char_len(q, (size_t)(end - q));
			nchars++;
			if (nchars == fitchars - 2)
				cut = q;
		}
		if (nchars < fitchars) {
			out_xml(&r->out, f->name, len, ESC_TEXT);
		} else {
			out_xml(&r->out, f->name, (size_t)(cut - p), ESC_TEXT);
			out_lit(&r->out, "..");
		}
	}
}

static void write_frame(struct render *r, const struct svg_frame *f)
{
	const struct svg_opts *opt = r->o;
	struct out *o = &r->out;
	const struct svg_attr_set *set = NULL;
	const struct svg_verdict *verdict = NULL;
	double x1 = (double)f->start * (100.0 / (double)r->total);
	double x2 = (double)f->end * (100.0 / (double)r->total);
	unsigned __int128 qx = muldiv_round(f->start, 1000000, r->total);
	int64_t y1, y2, ty;
	size_t i;

	if (opt->name_attrs)
		set = name_attrs_find(opt->name_attrs, f->name, f->len);
	if (r->diff && opt->verdicts && f->depth)
		verdict = verdicts_find_frame(opt->verdicts, f->name, f->len);
	if (opt->direction == SVG_INVERTED) {
		y1 = r->ypad1 + (int64_t)(f->depth * r->fh);
		y2 = r->ypad1 + (int64_t)((f->depth + 1) * r->fh) - 1;
	} else {
		y1 = r->height - r->ypad2 - (int64_t)((f->depth + 1) * r->fh) + 1;
		y2 = r->height - r->ypad2 - (int64_t)(f->depth * r->fh);
	}

	out_indent(o, 2);
	if (set && set->has_href)
		out_lit(o, "<a");
	else
		out_lit(o, "<g");
	for (i = 0; set && i < set->nr; i++) {
		out_ch(o, ' ');
		out_str(o, set->v[i].name);
		out_lit(o, "=\"");
		out_xml_str(o, set->v[i].value, ESC_ATTR);
		out_ch(o, '"');
	}
	out_ch(o, '>');

	out_indent(o, 3);
	out_lit(o, "<title>");
	if (set && set->title)
		out_xml_str(o, set->title, ESC_TEXT);
	else
		write_title(r, f);
	if (verdict && verdict->note && *verdict->note) {
		out_lit(o, " \xe2\x80\x94 ");	/* an em dash, U+2014 */
		out_xml_str(o, verdict->note, ESC_TEXT);
	}
	out_lit(o, "</title>");

	out_indent(o, 3);
	out_lit(o, "<rect x=\"");
	out_fixed(o, qx, 4);
	out_lit(o, "%\" y=\"");
	out_i64(o, y1);
	out_lit(o, "\" width=\"");
	out_fixed(o, muldiv_round(f->end - f->start, 1000000, r->total), 4);
	out_lit(o, "%\" height=\"");
	out_i64(o, y2 - y1);
	out_lit(o, "\" fill=\"");
	out_rgb(o, color_frame(&r->colors, f->name, f->len, x2 - x1, f->has_delta,
			       f->dmag, f->dneg, verdict));
	out_lit(o, "\" fg:x=\"");
	out_u64(o, f->start);
	out_lit(o, "\" fg:w=\"");
	out_u64(o, f->end - f->start);
	out_lit(o, "\"/>");

	out_indent(o, 3);
	out_lit(o, "<text x=\"");
	out_fixed(o, qx + r->text_dx, 4);
	out_lit(o, "%\" y=\"");
	ty = y1 + y2 + 6;	/* 3 + (y1 + y2) / 2, times 2 */
	if (ty < 0) {
		out_ch(o, '-');
		ty = -ty;
	}
	out_i64(o, ty / 2);
	if (ty & 1)
		out_lit(o, ".50\">");
	else
		out_lit(o, ".00\">");
	write_label(r, f, x2 - x1);
	out_lit(o, "</text>");

	out_indent(o, 2);
	if (set && set->has_href)
		out_lit(o, "</a>");
	else
		out_lit(o, "</g>");
}

static int render_setup(struct render *r, const struct svg_opts *opt,
			const struct merge_lines *ml, const struct merge_frames *mf,
			int diff)
{
	double fs = opt->font_size, factor;
	int64_t sub;

	r->o = opt;
	r->total = ml->total;
	r->count_name = opt->count_name ? opt->count_name : FG_DEFAULT_COUNT_NAME;
	r->ns = !strcmp(r->count_name, "ns");
	r->diff = diff;
	r->width = opt->image_width ? opt->image_width : FG_DEFAULT_IMAGE_WIDTH;
	if (!isfinite(fs) || fs <= 0 || fs > 1e6)
		fs = FG_DEFAULT_FONT_SIZE;
	r->fs = (uint64_t)(fs + 0.5);
	r->fh = opt->frame_height ? opt->frame_height : FG_DEFAULT_FRAME_HEIGHT;
	factor = isfinite(opt->factor) && opt->factor > 0 ? opt->factor : FG_DEFAULT_FACTOR;
	r->fmant = (uint64_t)ldexp(frexp(factor, &r->fexp), 53);
	r->fexp -= 53;
	while (!(r->fmant & 1)) {
		r->fmant >>= 1;
		r->fexp++;
	}
	sub = opt->subtitle && *opt->subtitle ? (int64_t)r->fs * 2 : 0;
	if (opt->direction == SVG_INVERTED) {
		r->ypad1 = (int64_t)r->fs * 4 + sub + 4;
		r->ypad2 = (int64_t)r->fs + 10;
	} else {
		r->ypad1 = (int64_t)r->fs * 3 + sub;
		r->ypad2 = (int64_t)r->fs * 2 + 10;
	}
	r->height = (int64_t)((mf->depth_max + 1) * r->fh) + r->ypad1 + r->ypad2;
	r->char_pct = 100.0 * fs * (isfinite(opt->font_width) && opt->font_width > 0
				    ? opt->font_width : FG_DEFAULT_FONT_WIDTH) / (double)r->width;
	r->text_dx = (3000000 + r->width / 2) / r->width;
	if (opt->title)
		r->title = opt->title;
	else if (opt->flame_chart)
		r->title = "Flame Chart";
	else if (opt->direction == SVG_INVERTED)
		r->title = "Icicle Graph";
	else
		r->title = "Flame Graph";
	color_state_init(&r->colors, opt, ml->delta_max);
	return 0;
}

int svg_render(struct stack_table *t, const struct svg_opts *opt, FILE *out,
	       struct fg_buf *err)
{
	struct merge_lines ml;
	struct merge_frames mf = { 0 };
	struct render r;
	size_t i;
	int ret;

	memset(&r, 0, sizeof(r));
	ret = merge_lines_build(&ml, t, opt);
	if (ret < 0) {
		if (err && ret == -FG_ERR_UNSORTED) {
			const struct svg_line *a = &ml.v[ml.unsorted - 1], *b = a + 1;

			fg_buf_addf(err, "--no-sort says the input is sorted, but stack %zu "
				    "('%.*s%s') sorts before stack %zu ('%.*s%s') in byte order; "
				    "sort it (LC_ALL=C sort) or leave out --no-sort",
				    ml.unsorted + 1, (int)(b->len > 60 ? 60 : b->len), b->s,
				    b->len > 60 ? "..." : "", ml.unsorted,
				    (int)(a->len > 60 ? 60 : a->len), a->s, a->len > 60 ? "..." : "");
		}
		goto out;
	}
	if (!ml.nr || !ml.total) {
		ret = -FG_ERR_NO_STACKS;
		goto out;
	}

	merge_frames_build(&mf, &ml, t->has_diff, opt->min_width);
	render_setup(&r, opt, &ml, &mf, t->has_diff);
	out_init(&r.out, out, opt->pretty_xml);

	write_header(&r);
	for (i = 0; i < mf.nr; i++)
		write_frame(&r, &mf.v[i]);
	out_indent(&r.out, 1);
	out_lit(&r.out, "</svg>");
	out_indent(&r.out, 0);
	out_lit(&r.out, "</svg>");
	if (r.out.pretty)
		out_ch(&r.out, '\n');
	out_flush(&r.out);
	if (r.out.failed || fflush(out) || ferror(out)) {
		if (err)
			fg_buf_addf(err, "cannot write the SVG: %s", strerror(errno));
		ret = -FG_ERR_IO;
		goto out;
	}
	ret = 0;
out:
	out_release(&r.out);
	merge_frames_release(&mf);
	merge_lines_release(&ml);
	return ret;
}
