#ifndef FG_SVG_WRITE_INTERNAL_H
#define FG_SVG_WRITE_INTERNAL_H

/*
 * The document writer of svg/ (private to it): a struct out collects the
 * output in a 1 MB buffer and writes it to a FILE in large blocks, with
 * hand-written number formatting and escaping for each context text can
 * stand in (XML text, attribute, comment, JavaScript string, CSS string).
 * Bytes XML cannot carry (C0 controls other than tab, LF and CR, invalid
 * UTF-8, U+FFFE/U+FFFF) are replaced with U+FFFD, so the document stays
 * well-formed whatever the text holds.
 *
 * A write error is remembered in failed (later writes are dropped), for
 * the caller to check after out_flush(); nothing here reports it.
 */

#include "../lib/common.h"

#define OUT_SIZE (1u << 20)

struct out {
	char *buf;		/* OUT_SIZE bytes */
	size_t len;
	FILE *fp;
	int failed;		/* a write to fp failed */
	int pretty;		/* out_indent() breaks lines */
};

/* Set o up to write to fp; release it with out_release(). */
void out_init(struct out *o, FILE *fp, int pretty);

/* Free the buffer (what was not flushed is lost). */
void out_release(struct out *o);

/* Write what the buffer holds to the FILE. */
void out_flush(struct out *o);

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

/* A string literal, its length known at compile time. */
#define out_lit(o, s) out_add((o), (s), sizeof(s) - 1)

static inline void out_ch(struct out *o, char c)
{
	*out_room(o, 1) = c;
	o->len++;
}

void out_u64(struct out *o, uint64_t v);
void out_i64(struct out *o, int64_t v);

/* A 128-bit scaled integer q as q / 10^dec with dec decimals. */
void out_fixed(struct out *o, unsigned __int128 q, unsigned dec);

/* A count with "," thousands separators. */
void out_thousands(struct out *o, uint64_t v);

/* n decimal digits d (no leading zeros) with "," thousands separators. */
void out_digits_thousands(struct out *o, const char *d, size_t n);

/* n decimal digits d (no leading zeros) read as a number / 10^dec. */
void out_digits_fixed(struct out *o, const char *d, size_t n, unsigned dec);

/* A double in its shortest usual form (for CSS and JS literals); 0 if not finite. */
void out_double(struct out *o, double v);

/* With pretty: a newline and 4 spaces per level (nothing otherwise). */
void out_indent(struct out *o, int level);

/*
 * Bytes of the character at p (avail bytes left, at least 1): a valid
 * UTF-8 sequence that XML can carry, or 1 for a byte that is not one.
 */
size_t out_char_len(const unsigned char *p, size_t avail);

enum esc_mode {
	ESC_TEXT,	/* element content */
	ESC_ATTR,	/* attribute value in double quotes */
	ESC_COMMENT,	/* inside <!-- -->: no "--", no final "-" */
};

/* The len bytes at str, escaped for mode. */
void out_xml(struct out *o, const char *str, size_t len, enum esc_mode mode);

static inline void out_xml_str(struct out *o, const char *s, enum esc_mode mode)
{
	out_xml(o, s, strlen(s), mode);
}

/*
 * A JavaScript string literal in single quotes, safe inside CDATA: no
 * "]]>" (">" is escaped), no raw line terminators, valid UTF-8.
 */
void out_js_string(struct out *o, const char *str);

/* The CSS font-family value: generic families bare, others quoted. */
void out_font_family(struct out *o, const char *font);

#endif
