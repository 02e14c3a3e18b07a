/*
 * The document writer (see write-internal.h): the output buffer, number
 * formatting, and escaping for XML, JavaScript and CSS. Numbers are
 * written from integers digit by digit, never through printf, so that the
 * document does not depend on the locale (out_double() aside, which only
 * the options' own values go through).
 */
#include "write-internal.h"

#include <math.h>

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

void out_init(struct out *o, FILE *fp, int pretty)
{
	init_tables();
	memset(o, 0, sizeof(*o));
	o->buf = xmalloc(OUT_SIZE);
	o->fp = fp;
	o->pretty = pretty;
}

void out_release(struct out *o)
{
	FREE_AND_NULL(o->buf);
	o->len = 0;
}

void out_flush(struct out *o)
{
	if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->fp) != o->len)
		o->failed = 1;
	o->len = 0;
}

/* --- numbers --- */

/* The decimal digits of v, written backwards from end; returns the first. */
static char *u64_digits(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void out_u64(struct out *o, uint64_t v)
{
	char tmp[24], *p = u64_digits(tmp + sizeof(tmp), v);

	out_add(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

void out_i64(struct out *o, int64_t v)
{
	if (v < 0) {
		out_ch(o, '-');
		out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		out_u64(o, (uint64_t)v);
	}
}

void out_fixed(struct out *o, unsigned __int128 q, unsigned dec)
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

void out_digits_thousands(struct out *o, const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out_ch(o, ',');
		out_ch(o, d[i]);
	}
}

void out_thousands(struct out *o, uint64_t v)
{
	char tmp[24], *p = u64_digits(tmp + sizeof(tmp), v);

	out_digits_thousands(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

void out_digits_fixed(struct out *o, const char *d, size_t n, unsigned dec)
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

void out_double(struct out *o, double v)
{
	char tmp[64];
	int n;

	if (!isfinite(v))
		v = 0;
	n = snprintf(tmp, sizeof(tmp), "%.15g", v);
	out_add(o, tmp, (size_t)n);
}

void out_indent(struct out *o, int level)
{
	static const char spaces[] = "                                ";

	if (!o->pretty)
		return;
	out_ch(o, '\n');
	out_add(o, spaces, (size_t)level * 4 < sizeof(spaces) - 1
			   ? (size_t)level * 4 : sizeof(spaces) - 1);
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

size_t out_char_len(const unsigned char *p, size_t avail)
{
	size_t n;

	if (*p < 0x80)
		return 1;
	n = utf8_len(p, avail);
	return n ? n : 1;
}

static const char fffd[] = "\xef\xbf\xbd";

/*
 * The references for the ASCII bytes xml_safe does not pass; tab and LF
 * need one only in attributes. The other C0 controls have none.
 */
static const char *const xml_ref[0x80] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
	['\''] = "&apos;", ['\t'] = "&#9;", ['\n'] = "&#10;", ['\r'] = "&#13;",
};

void out_xml(struct out *o, const char *str, size_t len, enum esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)str, *end = p + len;
	int prev_dash = 0;

	while (p < end) {
		const unsigned char *q = p;
		size_t n = 1;

		while (q < end && xml_safe[*q] && !(mode == ESC_COMMENT && *q == '-'))
			q++;
		if (q > p) {
			out_add(o, p, (size_t)(q - p));
			prev_dash = 0;
			p = q;
			if (p == end)
				break;
		}
		if (*p == '-') {	/* only reached in comments */
			if (prev_dash || p + 1 == end) {
				out_lit(o, "&#45;");
				prev_dash = 0;
			} else {
				out_ch(o, '-');
				prev_dash = 1;
			}
			p++;
			continue;
		}
		prev_dash = 0;
		if ((*p == '\t' || *p == '\n') && mode != ESC_ATTR) {
			out_ch(o, (char)*p);
		} else if (*p < 0x80) {
			out_str(o, xml_ref[*p] ? xml_ref[*p] : fffd);
		} else {
			n = utf8_len(p, (size_t)(end - p));
			if (n) {
				out_add(o, p, n);
			} else {
				out_lit(o, fffd);
				n = 1;
			}
		}
		p += n;
	}
}

/* Backslash escapes in a JavaScript string literal. */
static const char *const js_escape[0x80] = {
	['\\'] = "\\\\", ['\''] = "\\'", ['"'] = "\\\"",
	['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
};

void out_js_string(struct out *o, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)str;
	const unsigned char *end = p + strlen(str);

	out_ch(o, '\'');
	while (p < end) {
		unsigned c = *p;
		size_t n = 1;

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
		} else if (js_escape[c]) {
			out_str(o, js_escape[c]);
		} else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
			out_lit(o, "\\u00");
			out_ch(o, hex[c >> 4]);
			out_ch(o, hex[c & 15]);
		} else {
			out_ch(o, (char)c);
		}
		p += n;
	}
	out_ch(o, '\'');
}

/* Escapes in a CSS string in double quotes. */
static const char *const css_escape[0x80] = {
	['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\a ",
};

void out_font_family(struct out *o, const char *font)
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

		if (*p < 0x80 && css_escape[*p]) {
			out_str(o, css_escape[*p]);
		} else if (*p < 0x20 || *p == 0x7f) {
			out_lit(o, fffd);
		} else {
			/* XML-escape the rest (& < > '), keep UTF-8 valid */
			n = out_char_len(p, (size_t)(end - p));
			out_xml(o, (const char *)p, n, ESC_TEXT);
		}
		p += n;
	}
	out_ch(o, '"');
}
