/*
 * The folded stack reader: "frame;frame;leaf COUNT" or, for differential
 * input, "frame;frame;leaf BEFORE AFTER", one per line, as inferno reads
 * them.
 *
 * folded_parse() is stateless between calls: each call handles the lines
 * of its buffer, and a last line without a newline is taken as complete.
 * The input can therefore be given whole or in any chunks that end at a
 * line boundary (the end of the input counts as one). Memory grows with
 * the number of distinct stacks only: the stack table merges duplicates.
 *
 * A count that does not fit in 64 bits makes its line a bad line (counted
 * in w->bad_lines), like any other count that does not parse; a sum of
 * counts for one stack that overflows is an error (-FG_ERR_COUNT_OVERFLOW).
 */
#include "svg-internal.h"
#include "../lib/error.h"

static inline int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\v' || c == '\f';
}

static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Parse a count token "digits[.digits]". Returns 1 and sets *out (and
 * *frac when a non-zero fraction was dropped), or 0 when the token is not
 * a count or overflows.
 */
static int parse_count(const char *s, size_t len, uint64_t *out, int *frac)
{
	size_t i = 0;
	uint64_t v = 0;

	if (!len || !is_digit((unsigned char)s[0]))
		return 0;
	for (; i < len && is_digit((unsigned char)s[i]); i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
	}
	if (i < len) {
		int nonzero = 0;

		if (s[i] != '.')
			return 0;
		for (i++; i < len; i++) {
			if (!is_digit((unsigned char)s[i]))
				return 0;
			if (s[i] != '0')
				nonzero = 1;
		}
		if (nonzero)
			*frac = 1;
	}
	*out = v;
	return 1;
}

/* The start of the last space-separated token of s[0..len), or NULL. */
static const char *last_token(const char *s, size_t len)
{
	const char *sp = memrchr(s, ' ', len);

	return sp ? sp + 1 : NULL;
}

static size_t rtrim(const char *s, size_t len)
{
	while (len && is_space((unsigned char)s[len - 1]))
		len--;
	return len;
}

/*
 * Handle one line (without its newline). Returns 0 (added or skipped) or a
 * negative fg_error.
 */
static int parse_line(const char *s, size_t len, struct svg_warnings *w,
		      struct fg_buf *err, folded_line_fn fn, void *ctx)
{
	const char *tok;
	uint64_t after, before;
	size_t stack_len;
	int frac = 0, ret;

	while (len && is_space((unsigned char)*s)) {
		s++;
		len--;
	}
	len = rtrim(s, len);
	if (!len || (len >= 2 && s[0] == '#' && s[1] == ' '))
		return 0;

	tok = last_token(s, len);
	if (!tok || !parse_count(tok, (size_t)(s + len - tok), &after, &frac))
		goto bad;
	stack_len = rtrim(s, (size_t)(tok - 1 - s));

	/* A second number before it makes the line differential. */
	tok = last_token(s, stack_len);
	if (tok && parse_count(tok, (size_t)(s + stack_len - tok), &before, &frac)) {
		stack_len = rtrim(s, (size_t)(tok - 1 - s));
		if (!stack_len)
			goto bad;
		ret = fn(ctx, s, stack_len, 1, before, after);
	} else {
		if (!stack_len)
			goto bad;
		ret = fn(ctx, s, stack_len, 0, 0, after);
	}
	if (ret == -FG_ERR_COUNT_OVERFLOW) {
		if (err)
			fg_buf_addf(err, "the counts of stack '%.*s' overflow a 64-bit integer",
				    stack_len > 200 ? 200 : (int)stack_len, s);
		return ret;
	}
	if (ret < 0)
		return ret;
	if (frac && w)
		w->fractional = 1;
	return 0;
bad:
	if (w)
		w->bad_lines++;
	return 0;
}

int folded_parse_each(const char *data, size_t len, struct svg_warnings *w,
		      struct fg_buf *err, folded_line_fn fn, void *ctx)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		int ret;

		if (w)
			w->lines++;
		ret = parse_line(p, (size_t)(eol - p), w, err, fn, ctx);
		if (ret < 0)
			return ret;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int folded_to_table(void *ctx, const char *stack, size_t len, int diff,
		    uint64_t before, uint64_t count)
{
	struct stack_table *t = ctx;

	if (diff)
		return stack_table_add_diff(t, stack, len, before, count);
	return stack_table_add(t, stack, len, count);
}

int folded_parse(struct stack_table *t, const char *data, size_t len,
		 struct svg_warnings *w, struct fg_buf *err)
{
	return folded_parse_each(data, len, w, err, folded_to_table, t);
}
