/*
 * The SVG writer: inferno's interactive document (reference section 2.3).
 *
 * Output goes through a private 1 MB buffer with hand-written number
 * formatting; percentages, and counts scaled by --factor, are computed
 * exactly with integer arithmetic (rounded half up) rather than printed
 * from doubles. Every piece of text that comes from the input or the
 * options is escaped for its context (XML text, attribute, comment,
 * JavaScript string, CSS string), and bytes that XML cannot carry (C0
 * controls other than tab, LF and CR, invalid UTF-8, U+FFFE/U+FFFF) are
 * replaced with U+FFFD, so the document is always well-formed whatever
 * the frame names hold.
 */
#include "svg-internal.h"
#include "../lib/error.h"

#include <fcntl.h>
#include <math.h>
#include <unistd.h>

extern const char svg_flamegraph_js[];
extern const size_t svg_flamegraph_js_len;

#define XPAD 10
#define DEFAULT_WIDTH 1200
#define OUT_SIZE (1u << 20)

void svg_opts_init(struct svg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->count_name = "samples";
	o->name_type = "Function:";
	o->font_type = "monospace";
	o->font_size = 12;
	o->font_width = 0.59;
	o->frame_height = 16;
	o->min_width = 0.01;
	o->factor = 1.0;
	o->direction = SVG_STRAIGHT;
	o->palette = PAL_HOT;
	o->bgcolor = BG_DEFAULT;
	memcpy(o->search_color, "#e600e6", 8);
	memcpy(o->ui_color, "#000000", 8);
}

/* --- the output buffer --- */

struct out {
	char *buf;
	size_t len;
	FILE *fp;
	int failed;
	int pretty;
};

static void out_flush(struct out *o)
{
	if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->fp) != o->len)
		o->failed = 1;
	o->len = 0;
}

/* Room for n more bytes (n <= OUT_SIZE). */
static inline char *out_room(struct out *o, size_t n)
{
	if (OUT_SIZE - o->len < n)
		out_flush(o);
	return o->buf + o->len;
}

static inline void out_add(struct out *o, const void *data, size_t n)
{
	if (n > OUT_SIZE / 2) {
		out_flush(o);
		if (!o->failed && fwrite(data, 1, n, o->fp) != n)
			o->failed = 1;
		return;
	}
	memcpy(out_room(o, n), data, n);
	o->len += n;
}

static inline void out_str(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

#define out_lit(o, s) out_add((o), (s), sizeof(s) - 1)

static inline void out_ch(struct out *o, char c)
{
	*out_room(o, 1) = c;
	o->len++;
}

static void out_u64(struct out *o, uint64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_add(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void out_i64(struct out *o, int64_t v)
{
	if (v < 0) {
		out_ch(o, '-');
		out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		out_u64(o, (uint64_t)v);
	}
}

/* A 128-bit scaled integer q as q / 10^dec with dec decimals. */
static void out_fixed(struct out *o, unsigned __int128 q, unsigned dec)
{
	char tmp[48], *p = tmp + sizeof(tmp);
	unsigned i;

	for (i = 0; i < dec; i++) {
		*--p = (char)('0' + (unsigned)(q % 10));
		q /= 10;
	}
	if (dec)
		*--p = '.';
	do {
		*--p = (char)('0' + (unsigned)(q % 10));
		q /= 10;
	} while (q);
	out_add(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* n decimal digits (no leading zeros) with "," thousands separators. */
static void out_digits_thousands(struct out *o, const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out_ch(o, ',');
		out_ch(o, d[i]);
	}
}

/* A count with "," thousands separators. */
static void out_thousands(struct out *o, uint64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_digits_thousands(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* n decimal digits (no leading zeros) read as a number / 10^dec. */
static void out_digits_fixed(struct out *o, const char *d, size_t n, unsigned dec)
{
	size_t i;

	if (n > dec)
		out_add(o, d, n - dec);
	else
		out_ch(o, '0');
	if (!dec)
		return;
	out_ch(o, '.');
	for (i = n; i < dec; i++)
		out_ch(o, '0');
	out_add(o, n > dec ? d + n - dec : d, n > dec ? dec : n);
}

/* A double in its shortest usual form (for CSS and JS literals). */
static void out_double(struct out *o, double v)
{
	char tmp[64];
	int n;

	if (!isfinite(v))
		v = 0;
	n = snprintf(tmp, sizeof(tmp), "%.15g", v);
	out_add(o, tmp, (size_t)n);
}

static void out_indent(struct out *o, int level)
{
	static const char spaces[] = "                                ";

	if (!o->pretty)
		return;
	out_ch(o, '\n');
	out_add(o, spaces, (size_t)level * 4 < sizeof(spaces) - 1
			   ? (size_t)level * 4 : sizeof(spaces) - 1);
}

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

/* *q = round(a * 2^sh / b), half up; a < 2^126, 0 < b < 2^127. */
static void big_muldiv(struct big *q, unsigned __int128 a, int sh, unsigned __int128 b)
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

		big_set(q, n / b + (r >= b - r));
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
	if (rem >= b - rem)
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

/* --- UTF-8 and escaping --- */

/*
 * Length of the valid UTF-8 sequence at p that XML can carry (1..4), or 0
 * when the bytes there are not one.
 */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return avail >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;

		if (avail < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xef && p[1] == 0xbf && p[2] >= 0xbe)
			return 0;	/* U+FFFE, U+FFFF: not XML characters */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;

		if (avail < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

/* Bytes of the next character: a valid sequence, or one bad byte. */
static inline size_t char_len(const unsigned char *p, size_t avail)
{
	size_t n;

	if (*p < 0x80)
		return 1;
	n = utf8_len(p, avail);
	return n ? n : 1;
}

/* 1: printable ASCII that needs no escape in any XML context */
static unsigned char xml_safe[256];

static void init_tables(void)
{
	int c;

	if (xml_safe['a'])
		return;
	for (c = 0x20; c < 0x7f; c++)
		xml_safe[c] = 1;
	xml_safe['&'] = xml_safe['<'] = xml_safe['>'] = 0;
	xml_safe['"'] = xml_safe['\''] = 0;
	xml_safe[0x7f] = 1;
}

enum esc_mode {
	ESC_TEXT,	/* element content */
	ESC_ATTR,	/* attribute value in double quotes */
	ESC_COMMENT,	/* inside <!-- -->: no "--", no final "-" */
};

static const char fffd[] = "\xef\xbf\xbd";

static void out_xml(struct out *o, const char *str, size_t len, enum esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)str, *end = p + len;
	int prev_dash = 0;

	while (p < end) {
		const unsigned char *q = p;
		size_t n;

		while (q < end && xml_safe[*q] && !(mode == ESC_COMMENT && *q == '-'))
			q++;
		if (q > p) {
			out_add(o, p, (size_t)(q - p));
			prev_dash = 0;
			p = q;
			if (p == end)
				break;
		}
		switch (*p) {
		case '&':
			out_lit(o, "&amp;");
			break;
		case '<':
			out_lit(o, "&lt;");
			break;
		case '>':
			out_lit(o, "&gt;");
			break;
		case '"':
			out_lit(o, "&quot;");
			break;
		case '\'':
			out_lit(o, "&apos;");
			break;
		case '-':	/* only reached in comments */
			if (prev_dash || p + 1 == end) {
				out_lit(o, "&#45;");
				prev_dash = 0;
			} else {
				out_ch(o, '-');
				prev_dash = 1;
			}
			p++;
			continue;
		case '\t':
			if (mode == ESC_ATTR)
				out_lit(o, "&#9;");
			else
				out_ch(o, '\t');
			break;
		case '\n':
			if (mode == ESC_ATTR)
				out_lit(o, "&#10;");
			else
				out_ch(o, '\n');
			break;
		case '\r':
			out_lit(o, "&#13;");
			break;
		default:
			n = *p < 0x80 ? 0 : utf8_len(p, (size_t)(end - p));
			if (n) {
				out_add(o, p, n);
				p += n;
			} else {
				out_lit(o, fffd);
				p++;
			}
			prev_dash = 0;
			continue;
		}
		prev_dash = 0;
		p++;
	}
}

static inline void out_xml_str(struct out *o, const char *s, enum esc_mode mode)
{
	out_xml(o, s, strlen(s), mode);
}

/*
 * A JavaScript string literal in single quotes, safe inside CDATA: no
 * "]]>" (">" is escaped), no raw line terminators, valid UTF-8.
 */
static void out_js_string(struct out *o, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)str;
	const unsigned char *end = p + strlen(str);

	out_ch(o, '\'');
	while (p < end) {
		unsigned c = *p;
		size_t n;

		if (c >= 0x80) {
			n = utf8_len(p, (size_t)(end - p));
			if (n == 3 && c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
				out_lit(o, "\\u202");
				out_ch(o, p[2] == 0xa8 ? '8' : '9');
			} else if (n) {
				out_add(o, p, n);
			} else {
				out_lit(o, "\\ufffd");
				n = 1;
			}
			p += n;
			continue;
		}
		switch (c) {
		case '\\':
			out_lit(o, "\\\\");
			break;
		case '\'':
			out_lit(o, "\\'");
			break;
		case '"':
			out_lit(o, "\\\"");
			break;
		case '\n':
			out_lit(o, "\\n");
			break;
		case '\r':
			out_lit(o, "\\r");
			break;
		case '\t':
			out_lit(o, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
				out_lit(o, "\\u00");
				out_ch(o, hex[c >> 4]);
				out_ch(o, hex[c & 15]);
			} else {
				out_ch(o, (char)c);
			}
		}
		p++;
	}
	out_ch(o, '\'');
}

/* The CSS font-family value: generic families bare, others quoted. */
static void out_font_family(struct out *o, const char *font)
{
	static const char *const generic[] = {
		"cursive", "fantasy", "monospace", "serif", "sans-serif",
	};
	const unsigned char *p = (const unsigned char *)font;
	const unsigned char *end = p + strlen(font);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(generic); i++) {
		if (!strcmp(font, generic[i])) {
			out_str(o, font);
			return;
		}
	}
	out_ch(o, '"');
	while (p < end) {
		size_t n = 1;

		switch (*p) {
		case '"':
			out_lit(o, "\\\"");
			break;
		case '\\':
			out_lit(o, "\\\\");
			break;
		case '\n':
			out_lit(o, "\\a ");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				out_lit(o, fffd);
			} else {
				/* XML-escape the rest (& < > '), keep UTF-8 valid */
				n = char_len(p, (size_t)(end - p));
				out_xml(o, (const char *)p, n, ESC_TEXT);
			}
		}
		p += n;
	}
	out_ch(o, '"');
}

/* "#rrggbb" as "rgb(r,g,b)" (black if it does not parse). */
static void out_rgb_hex(struct out *o, const char *hex)
{
	unsigned v[3] = { 0, 0, 0 };
	int i;

	if (!svg_color_check(hex)) {
		for (i = 0; i < 3; i++) {
			char tmp[3] = { hex[1 + 2 * i], hex[2 + 2 * i], 0 };
			v[i] = (unsigned)strtoul(tmp, NULL, 16);
		}
	}
	out_lit(o, "rgb(");
	out_u64(o, v[0]);
	out_ch(o, ',');
	out_u64(o, v[1]);
	out_ch(o, ',');
	out_u64(o, v[2]);
	out_ch(o, ')');
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

/* --- the --name-attr file --- */

struct attr {
	char *name, *value;
	size_t nlen;
	uint64_t hash;		/* of the name */
};

/*
 * The attributes of one function, in the order they were first given.
 * A set of up to ATTR_SCAN_MAX attributes is searched in that order; a
 * larger one also gets an index of its names (open addressing), so that
 * loading n attributes for one function takes time linear in n.
 */
#define ATTR_SCAN_MAX 8

struct attr_set {
	char *title;		/* NULL: the generated title */
	struct attr *v;
	size_t nr, alloc;
	size_t *index;		/* position in v + 1; 0 is empty; or NULL */
	size_t nindex;		/* a power of 2, more than 2 * nr */
	int has_href;
};

struct name_attrs {
	struct svg_strmap map;	/* function name -> index in sets */
	struct attr_set *sets;
	size_t nr, alloc;
};

/*
 * At most NAME_ATTR_WARN_MAX warnings about a name-attr file are kept,
 * then only counted: a file that repeats one attribute 100,000 times
 * would otherwise make as many lines, each naming the function again.
 */
#define NAME_ATTR_WARN_MAX 10

struct attr_warn {
	struct fg_buf *buf;	/* may be NULL: nothing is kept */
	size_t nr;		/* warnings so far, kept or not */
};

static void name_attrs_release(struct name_attrs *na)
{
	size_t i, j;

	for (i = 0; i < na->nr; i++) {
		for (j = 0; j < na->sets[i].nr; j++) {
			free(na->sets[i].v[j].name);
			free(na->sets[i].v[j].value);
		}
		free(na->sets[i].v);
		free(na->sets[i].index);
		free(na->sets[i].title);
	}
	free(na->sets);
	svg_strmap_release(&na->map);
	memset(na, 0, sizeof(*na));
}

static int ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void trim(const char **s, size_t *len)
{
	while (*len && ascii_space((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && ascii_space((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/*
 * Can name be written as an attribute name of a frame's <g>/<a>? It must
 * be an XML name; the only namespace prefixes declared are xlink and fg
 * (and xml), and xmlns attributes would redefine them.
 */
static int attr_name_ok(const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len);
	size_t i;

	if (!len || !(ascii_alpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.' || c == ':'))
			return 0;
	}
	if ((len == 5 && !memcmp(s, "xmlns", 5)) || (len > 5 && !memcmp(s, "xmlns:", 6)))
		return 0;
	if (colon) {
		size_t plen = (size_t)(colon - s);

		if (memchr(colon + 1, ':', len - plen - 1) || plen + 1 == len)
			return 0;
		if (!((plen == 5 && !memcmp(s, "xlink", 5)) || (plen == 3 && !memcmp(s, "xml", 3)) ||
		      (plen == 2 && !memcmp(s, "fg", 2))))
			return 0;
	}
	return 1;
}

/* Append one warning line to warn (lines are separated by newlines). */
static void warn_vadd(struct fg_buf *warn, const char *fmt, va_list ap)
{
	if (warn->len)
		fg_buf_addch(warn, '\n');
	fg_buf_vaddf(warn, fmt, ap);
}

FG_PRINTF(2, 3)
static void warn_add(struct fg_buf *warn, const char *fmt, ...)
{
	va_list ap;

	if (!warn)
		return;
	va_start(ap, fmt);
	warn_vadd(warn, fmt, ap);
	va_end(ap);
}

/* A warning about the name-attr file: kept if fewer than the maximum are. */
FG_PRINTF(2, 3)
static void attr_warn(struct attr_warn *w, const char *fmt, ...)
{
	va_list ap;

	if (w->nr++ >= NAME_ATTR_WARN_MAX || !w->buf)
		return;
	va_start(ap, fmt);
	warn_vadd(w->buf, fmt, ap);
	va_end(ap);
}

/* FNV-1a */
static uint64_t attr_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ (h >> 29);
}

/* Enter v[i] in the index (which has room). */
static void attr_index_put(struct attr_set *set, size_t i)
{
	size_t mask = set->nindex - 1, s = set->v[i].hash & mask;

	while (set->index[s])
		s = (s + 1) & mask;
	set->index[s] = i + 1;
}

/* (Re)build the index with twice the slots (or its first size). */
static void attr_index_grow(struct attr_set *set)
{
	size_t i;

	free(set->index);
	set->nindex = set->nindex ? st_mult(set->nindex, 2) : 4 * ATTR_SCAN_MAX;
	set->index = xcalloc(set->nindex, sizeof(*set->index));
	for (i = 0; i < set->nr; i++)
		attr_index_put(set, i);
}

static int attr_is(const struct attr *a, const char *name, size_t nlen, uint64_t h)
{
	return a->hash == h && a->nlen == nlen && !memcmp(a->name, name, nlen);
}

/* The attribute of set called name (hash h), or NULL. */
static struct attr *attr_find(const struct attr_set *set, const char *name, size_t nlen,
			      uint64_t h)
{
	size_t i, mask = set->nindex - 1;

	if (!set->index) {
		for (i = 0; i < set->nr; i++)
			if (attr_is(&set->v[i], name, nlen, h))
				return &set->v[i];
		return NULL;
	}
	for (i = h & mask; set->index[i]; i = (i + 1) & mask)
		if (attr_is(&set->v[set->index[i] - 1], name, nlen, h))
			return &set->v[set->index[i] - 1];
	return NULL;
}

static void attr_add(struct attr_set *set, const char *func, const char *name, size_t nlen,
		     const char *value, size_t vlen, struct attr_warn *warn)
{
	uint64_t h = attr_hash(name, nlen);
	struct attr *a;

	if (!attr_name_ok(name, nlen)) {
		attr_warn(warn, "invalid attribute name '%.*s' for '%s' in name-attr file; ignored",
			  (int)nlen, name, func);
		return;
	}
	a = attr_find(set, name, nlen, h);
	if (a) {
		attr_warn(warn, "duplicate attribute '%.*s' in name-attr file for '%s'; replacing value \"%s\" with \"%.*s\"",
			  (int)nlen, name, func, a->value, (int)vlen, value);
		free(a->value);
		a->value = xmemdupz(value, vlen);
		return;
	}
	ALLOC_GROW(set->v, set->nr + 1, set->alloc);
	a = &set->v[set->nr++];
	a->name = xmemdupz(name, nlen);
	a->value = xmemdupz(value, vlen);
	a->nlen = nlen;
	a->hash = h;
	if (set->index ? set->nr * 2 >= set->nindex : set->nr > ATTR_SCAN_MAX)
		attr_index_grow(set);
	else if (set->index)
		attr_index_put(set, set->nr - 1);
	if (nlen == 10 && !memcmp(name, "xlink:href", 10))
		set->has_href = 1;
}

/* g_extra / a_extra: a list of k="v" or k=v, as inferno reads it. */
static void parse_extra(struct attr_set *set, const char *func, const char *s, size_t len,
			struct attr_warn *warn)
{
	const char *end = s + len;

	while (s < end) {
		const char *eq = memchr(s, '=', (size_t)(end - s));
		const char *name, *nend, *v, *vend;

		if (!eq)
			return;
		name = s;
		nend = eq;
		while (nend > name && ascii_space((unsigned char)nend[-1]))
			nend--;
		while (name < nend && ascii_space((unsigned char)*name))
			name++;
		if (name == nend) {
			attr_warn(warn, "\"=\" with no name in extra attributes for '%s'", func);
			return;
		}
		/* words before the last one have no value */
		{
			const char *w = nend;

			while (w > name && !ascii_space((unsigned char)w[-1]))
				w--;
			if (w > name)
				attr_warn(warn, "extra attribute '%.*s' for '%s' has no value (did you mean to quote the value?)",
					  (int)(w - name), name, func);
			name = w;
		}
		v = eq + 1;
		while (v < end && ascii_space((unsigned char)*v))
			v++;
		if (v < end && *v == '"') {
			const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));

			if (!q) {
				attr_warn(warn, "no end quote for extra attribute '%.*s' for '%s'",
					  (int)(nend - name), name, func);
				return;
			}
			v++;
			vend = q;
			s = q + 1;
		} else {
			vend = v;
			while (vend < end && !ascii_space((unsigned char)*vend))
				vend++;
			s = vend < end ? vend + 1 : end;
		}
		attr_add(set, func, name, (size_t)(nend - name), v, (size_t)(vend - v), warn);
	}
}

static void parse_name_attr_line(struct name_attrs *na, const char *s, size_t len,
				 struct attr_warn *warn)
{
	const char *tab, *end;
	struct svg_strmap_entry *e;
	struct attr_set *set;
	char *func;
	int created;

	trim(&s, &len);
	end = s + len;
	tab = memchr(s, '\t', len);
	if (!len || tab == s)
		return;
	e = svg_strmap_put(&na->map, s, tab ? (size_t)(tab - s) : len, &created);
	if (created) {
		ALLOC_GROW(na->sets, na->nr + 1, na->alloc);
		memset(&na->sets[na->nr], 0, sizeof(na->sets[0]));
		e->val = na->nr++;
	}
	set = &na->sets[e->val];
	func = e->key;
	if (!tab)
		return;
	for (s = tab + 1; s <= end;) {
		const char *fe = memchr(s, '\t', (size_t)(end - s));
		const char *name, *eq, *v;
		size_t nlen, vlen;

		fe = fe ? fe : end;
		name = s;
		eq = memchr(s, '=', (size_t)(fe - s));
		s = fe + 1;
		if (!eq)
			continue;
		nlen = (size_t)(eq - name);
		trim(&name, &nlen);
		if (!nlen)
			continue;
		v = eq + 1;
		vlen = (size_t)(fe - v);
		trim(&v, &vlen);
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (nlen == 5 && !memcmp(name, "title", 5)) {
			free(set->title);
			set->title = xmemdupz(v, vlen);
		} else if (nlen == 4 && !memcmp(name, "href", 4)) {
			attr_add(set, func, "xlink:href", 10, v, vlen, warn);
		} else if ((nlen == 2 && !memcmp(name, "id", 2)) ||
			   (nlen == 5 && !memcmp(name, "class", 5)) ||
			   (nlen == 6 && !memcmp(name, "target", 6))) {
			attr_add(set, func, name, nlen, v, vlen, warn);
		} else if ((nlen == 7 && !memcmp(name, "g_extra", 7)) ||
			   (nlen == 7 && !memcmp(name, "a_extra", 7))) {
			parse_extra(set, func, v, vlen, warn);
		} else {
			attr_warn(warn, "invalid attribute '%.*s' found for '%s' in name-attr file",
				  (int)nlen, name, func);
		}
	}
	if (set->has_href && !attr_find(set, "target", 6, attr_hash("target", 6)))
		attr_add(set, func, "target", 6, "_top", 4, warn);
}

static int name_attrs_load(struct name_attrs *na, const char *path, struct fg_buf *err)
{
	struct fg_buf sb = FG_BUF_INIT;
	struct attr_warn warn = { err, 0 };
	const char *p, *end;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fg_buf_read_fd(&sb, fd) < 0) {
		if (err)
			fg_buf_addf(err, "cannot read name-attr file '%s': %s", path,
				    strerror(errno));
		if (fd >= 0)
			close(fd);
		fg_buf_release(&sb);
		return -FG_ERR_IO;
	}
	close(fd);
	for (p = sb.buf, end = sb.buf + sb.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		parse_name_attr_line(na, p, (size_t)(eol - p), &warn);
		p = nl ? nl + 1 : end;
	}
	if (warn.nr > NAME_ATTR_WARN_MAX)
		warn_add(err, "... and %zu more warnings about name-attr file '%s'",
			 warn.nr - NAME_ATTR_WARN_MAX, path);
	fg_buf_release(&sb);
	return 0;
}

/* --- the document --- */

struct render {
	struct out out;
	const struct svg_opts *o;
	uint64_t total;
	uint64_t delta_max;
	unsigned width;		/* image width */
	uint64_t fs;		/* font size for layout */
	uint64_t fh;		/* frame height */
	int64_t height, ypad1, ypad2;
	uint64_t fmant;		/* the factor is fmant * 2^fexp, fmant odd */
	int fexp;
	double char_pct;	/* width of a character, in percent */
	uint64_t text_dx;	/* 300 / width percent, scaled by 10^4 */
	const char *title;
	int diff;
	struct color_rng rng;
	struct svg_strmap *palette_map;
	struct name_attrs *attrs;
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
	out_rgb_hex(o, r->o->ui_color);
	out_lit(o, "\" x=\"");
	out_str(o, x);
	out_lit(o, "\" y=\"");
	out_i64(o, y);
	out_lit(o, ".00\">");
	out_xml_str(o, text, ESC_TEXT);
	out_lit(o, "</text>");
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
	out_font_family(o, opt->font_type ? opt->font_type : "monospace");
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
	out_lit(o, "<script type=\"text/ecmascript\"><![CDATA[var nametype = ");
	out_js_string(o, opt->name_type ? opt->name_type : "Function:");
	out_lit(o, ";\nvar fontsize = ");
	out_double(o, opt->font_size);
	out_lit(o, ";\nvar fontwidth = ");
	out_double(o, opt->font_width);
	out_lit(o, ";\nvar xpad = 10;\nvar inverted = ");
	out_str(o, opt->direction == SVG_INVERTED ? "true" : "false");
	out_lit(o, ";\nvar searchcolor = ");
	out_js_string(o, svg_color_check(opt->search_color) ? "#e600e6" : opt->search_color);
	out_lit(o, ";\nvar fluiddrawing = ");
	out_str(o, opt->image_width ? "false" : "true");
	out_lit(o, ";\nvar truncate_text_right = ");
	out_str(o, opt->truncate_text_right ? "true" : "false");
	out_lit(o, ";\n]]>");
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
	big_muldiv(&q, (unsigned __int128)w * r->fmant, r->fexp, 1);
	d = big_digits(&q, buf, &n);
	out_digits_thousands(&r->out, d, n);
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
		   (unsigned __int128)r->total * r->fmant);
	d = big_digits(&q, buf, &n);
	out_digits_fixed(&r->out, d, n, 2);
}

/*
 * "name (N samples, P%)", with "; D%" for a differential frame. The
 * percentage is of the unscaled width against the unscaled total: the
 * factor scales both, so it does not change it.
 */
static void write_title(struct render *r, const struct svg_frame *f)
{
	const struct svg_opts *opt = r->o;
	struct out *o = &r->out;
	uint64_t w = f->end - f->start;
	const char *cname = opt->count_name ? opt->count_name : "samples";

	if (!f->depth && !f->len) {
		out_lit(o, "all (");
		out_samples(r, w);
		out_ch(o, ' ');
		out_xml_str(o, cname, ESC_TEXT);
		out_lit(o, ", 100%)");
		return;
	}
	out_xml(o, f->name, svg_deannotate_len(f->name, f->len), ESC_TEXT);
	out_lit(o, " (");
	out_samples(r, w);
	out_ch(o, ' ');
	out_xml_str(o, cname, ESC_TEXT);
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

static struct color_rgb frame_color(struct render *r, const struct svg_frame *f,
				    double width_pct)
{
	const struct svg_opts *opt = r->o;
	struct color_rgb c;

	if (f->len == 2 && f->name[0] == '-' && f->name[1] == '-') {
		c.r = c.g = c.b = 160;
	} else if (f->len == 1 && f->name[0] == '-') {
		c.r = c.g = c.b = 200;
	} else if (opt->color_diffusion) {
		double v = sqrt(width_pct / 100.0) * 2000.0;

		c = color_scale(v > 0 ? (uint64_t)v : 0, 0, 2000);
	} else if (f->has_delta) {
		c = color_scale(f->dmag, f->dneg ^ (opt->negate != 0), r->delta_max);
	} else if (r->palette_map) {
		int created;
		struct svg_strmap_entry *e = svg_strmap_put(r->palette_map, f->name,
							    f->len, &created);

		if (created)
			e->val = color_pack(color_for_name(opt->palette, opt->hash,
							   opt->deterministic, f->name,
							   f->len, &r->rng));
		c = color_unpack(e->val);
	} else {
		c = color_for_name(opt->palette, opt->hash, opt->deterministic,
				   f->name, f->len, &r->rng);
	}
	return c;
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
			q += char_len(q, (size_t)(end - q));
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
	const struct attr_set *set = NULL;
	double x1 = (double)f->start * (100.0 / (double)r->total);
	double x2 = (double)f->end * (100.0 / (double)r->total);
	unsigned __int128 qx = muldiv_round(f->start, 1000000, r->total);
	int64_t y1, y2, ty;
	size_t i;

	if (r->attrs) {
		const struct svg_strmap_entry *e = svg_strmap_get(&r->attrs->map, f->name, f->len);

		if (e)
			set = &r->attrs->sets[e->val];
	}
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
	out_rgb(o, frame_color(r, f, x2 - x1));
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
	r->delta_max = ml->delta_max;
	r->diff = diff;
	r->width = opt->image_width ? opt->image_width : DEFAULT_WIDTH;
	if (!isfinite(fs) || fs <= 0 || fs > 1e6)
		fs = 12;
	r->fs = (uint64_t)(fs + 0.5);
	r->fh = opt->frame_height ? opt->frame_height : 16;
	factor = isfinite(opt->factor) && opt->factor > 0 ? opt->factor : 1.0;
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
				    ? opt->font_width : 0.59) / (double)r->width;
	r->text_dx = (3000000 + r->width / 2) / r->width;
	if (opt->title)
		r->title = opt->title;
	else if (opt->flame_chart)
		r->title = "Flame Chart";
	else if (opt->direction == SVG_INVERTED)
		r->title = "Icicle Graph";
	else
		r->title = "Flame Graph";
	color_rng_init(&r->rng);
	return 0;
}

int svg_render(struct stack_table *t, const struct svg_opts *opt, FILE *out,
	       struct fg_buf *err)
{
	struct merge_lines ml;
	struct merge_frames mf = { 0 };
	struct render r;
	struct name_attrs attrs = { 0 };
	struct svg_strmap pmap;
	size_t i;
	int ret;

	init_tables();
	memset(&r, 0, sizeof(r));
	svg_strmap_init(&pmap);

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
	if (opt->name_attr_file) {
		ret = name_attrs_load(&attrs, opt->name_attr_file, err);
		if (ret < 0)
			goto out;
		r.attrs = &attrs;
	}
	if (opt->palette_map_file) {
		ret = color_map_load(&pmap, opt->palette_map_file, err);
		if (ret < 0)
			goto out;
		r.palette_map = &pmap;
	}

	merge_frames_build(&mf, &ml, t->has_diff, opt->min_width);
	render_setup(&r, opt, &ml, &mf, t->has_diff);
	r.out.buf = xmalloc(OUT_SIZE);
	r.out.fp = out;
	r.out.pretty = opt->pretty_xml;

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
	if (opt->palette_map_file) {
		struct fg_buf msg = FG_BUF_INIT;

		/* the graph is written: a map we cannot save is only a warning */
		if (color_map_save(&pmap, opt->palette_map_file, &msg) < 0)
			warn_add(err, "%s", msg.buf);
		fg_buf_release(&msg);
	}
	ret = 0;
out:
	free(r.out.buf);
	merge_frames_release(&mf);
	merge_lines_release(&ml);
	name_attrs_release(&attrs);
	svg_strmap_release(&pmap);
	return ret;
}
