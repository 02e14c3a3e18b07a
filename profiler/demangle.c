/*
 * Symbol demangling: Rust legacy and v0 decoded here, C++ handed to the
 * C++ runtime. Written from the specifications: the v0 grammar of RFC 2603
 * as amended in the rustc book ("Symbol mangling: v0"), and the legacy
 * scheme (Itanium-style _ZN <len><ident>... E with "$xx$" escapes and a
 * final "17h<16 hex>" hash element). The output follows rustc-demangle's
 * alternate ("{:#}") form, but for v0 closures, anonymous constants and
 * shims, spelled as legacy spells them; see demangle.h for the contract.
 */
#include "demangle.h"

/* From the C++ ABI runtime (libstdc++ or libc++abi); <cxxabi.h> is C++. */
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* v0: nesting depth and work (parse steps) allowed for one symbol. */
#define V0_MAX_DEPTH 300
#define V0_MAX_STEPS (1u << 22)
/* Punycode identifiers longer than this (in code points) are refused. */
#define PUNY_MAX 128

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

/* A Unicode scalar value: not a surrogate, not beyond U+10FFFF. */
static int is_scalar(uint32_t c)
{
	return c <= 0x10ffff && (c < 0xd800 || c > 0xdfff);
}

/* Encode scalar value c as UTF-8 into s (4 bytes of room); return length. */
static size_t utf8_encode(uint32_t c, char *s)
{
	if (c < 0x80) {
		s[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	s[0] = (char)(0xf0 | (c >> 18));
	s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	s[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * Decode one UTF-8 sequence at s (n bytes available). Return its length
 * and store the scalar in *c, or return 0 when the bytes are not UTF-8.
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *c)
{
	size_t len, i;
	uint32_t v;

	if (!n)
		return 0;
	if (s[0] < 0x80) {
		*c = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		v = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		v = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	/* overlong forms and non-scalars */
	if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) ||
	    (len == 4 && v < 0x10000) || !is_scalar(v))
		return 0;
	*c = v;
	return len;
}

/*
 * Whether Rust's Debug formatting shows c as itself. NEEDSWORK: Rust
 * consults Unicode tables; this covers controls, format characters,
 * combining marks, private use and noncharacters, not unassigned ones.
 */
static int is_printable(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0xad)
		return 0;
	if ((c >= 0x300 && c < 0x370) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) ||
	    (c >= 0xe000 && c <= 0xf8ff) || (c >= 0xfe00 && c <= 0xfe0f) ||
	    c == 0xfeff || (c >= 0xfff0 && c <= 0xfffb) || c >= 0xe0000 ||
	    (c & 0xfffe) == 0xfffe)
		return 0;
	return 1;
}

/*
 * Rust-style escaped literal character: quote is the delimiter to escape
 * ('\'' for chars, '"' for strings); characters that do not print are
 * shown as \u{hex}.
 */
static void add_escaped_char(struct fg_buf *out, uint32_t c, int quote)
{
	switch (c) {
	case '\t':
		fg_buf_addstr(out, "\\t");
		return;
	case '\r':
		fg_buf_addstr(out, "\\r");
		return;
	case '\n':
		fg_buf_addstr(out, "\\n");
		return;
	case '\\':
		fg_buf_addstr(out, "\\\\");
		return;
	case '\0':
		fg_buf_addstr(out, "\\0");
		return;
	}
	if (c == (uint32_t)quote) {
		fg_buf_addch(out, '\\');
		fg_buf_addch(out, quote);
	} else if (is_printable(c)) {
		char utf8[4];

		fg_buf_add(out, utf8, utf8_encode(c, utf8));
	} else {
		fg_buf_addf(out, "\\u{%" PRIx32 "}", c);
	}
}

/* ---------------------------------------------------------------- */
/* Rust legacy: _ZN <len><ident>... 17h<16 hex> E [.suffix]          */
/* ---------------------------------------------------------------- */

/* Parse a decimal length at *p (before end); 0 when there is none. */
static size_t legacy_len(const char **p, const char *end)
{
	size_t n = 0;

	if (*p >= end || !is_digit(**p) || **p == '0')
		return 0;
	while (*p < end && is_digit(**p)) {
		if (n > (SIZE_MAX - 9) / 10)
			return 0;
		n = n * 10 + (size_t)(**p - '0');
		(*p)++;
	}
	return n;
}

static int legacy_is_hash(const char *s, size_t n)
{
	size_t i;

	if (n != 17 || s[0] != 'h')
		return 0;
	for (i = 1; i < n; i++)
		if (hex_digit(s[i]) < 0)
			return 0;
	return 1;
}

/* Decode one "$...$" escape (without the dollars) into out. */
static int legacy_escape(struct fg_buf *out, const char *s, size_t n)
{
	static const struct {
		const char *code;
		char c;
	} simple[] = {
		{ "SP", '@' }, { "BP", '*' }, { "RF", '&' }, { "LT", '<' },
		{ "GT", '>' }, { "LP", '(' }, { "RP", ')' }, { "C", ',' },
	};
	char utf8[4];
	uint32_t c = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(simple); i++) {
		if (strlen(simple[i].code) == n && !memcmp(simple[i].code, s, n)) {
			fg_buf_addch(out, simple[i].c);
			return 0;
		}
	}
	if (n < 2 || n > 7 || s[0] != 'u')
		return -1;
	for (i = 1; i < n; i++) {
		int v = hex_digit(s[i]);

		if (v < 0 || is_upper(s[i]))
			return -1;
		c = c * 16 + (uint32_t)v;
	}
	/* control characters would only garble the output */
	if (!is_scalar(c) || c < 0x20 || (c >= 0x7f && c < 0xa0))
		return -1;
	fg_buf_add(out, utf8, utf8_encode(c, utf8));
	return 0;
}

static int legacy_element(struct fg_buf *out, const char *s, size_t n)
{
	const char *end = s + n;

	/* an element may start with "_$" to keep it from starting with "$" */
	if (n >= 2 && s[0] == '_' && s[1] == '$')
		s++;
	while (s < end) {
		if (*s == '.') {
			if (s + 1 < end && s[1] == '.') {
				fg_buf_addstr(out, "::");
				s += 2;
			} else {
				fg_buf_addch(out, '.');
				s++;
			}
		} else if (*s == '$') {
			const char *close = memchr(s + 1, '$', (size_t)(end - s - 1));

			if (!close || legacy_escape(out, s + 1, (size_t)(close - s - 1)))
				return -1;
			s = close + 1;
		} else {
			const char *q = s;

			while (q < end && *q != '.' && *q != '$')
				q++;
			fg_buf_add(out, s, (size_t)(q - s));
			s = q;
		}
	}
	return 0;
}

/* Is the suffix after a Rust symbol like ".cold.1" (kept verbatim)? */
static int symbol_like_suffix(const char *s, size_t n)
{
	size_t i;

	if (!n || s[0] != '.')
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

static int demangle_legacy(struct fg_buf *out, const char *sym, size_t len)
{
	const char *p = sym + 3, *end = sym + len, *last = NULL, *suffix;
	size_t last_len = 0, n, elems = 0;

	/* Pass 1: check the element list and find the hash. */
	while (p < end && *p != 'E') {
		n = legacy_len(&p, end);
		if (!n || n > (size_t)(end - p))
			return -1;
		last = p;
		last_len = n;
		p += n;
		elems++;
	}
	if (p >= end || elems < 2 || !legacy_is_hash(last, last_len))
		return -1;
	suffix = p + 1;
	if (suffix < end && !symbol_like_suffix(suffix, (size_t)(end - suffix)))
		return -1;

	/* Pass 2: print all elements but the hash. */
	p = sym + 3;
	while (--elems) {
		n = legacy_len(&p, end);
		if (legacy_element(out, p, n))
			return -1;
		p += n;
		if (elems > 1)
			fg_buf_addstr(out, "::");
	}
	fg_buf_add(out, suffix, (size_t)(end - suffix));
	return 0;
}

/* ---------------------------------------------------------------- */
/* Rust v0: _R <path> [<instantiating-crate>] [<vendor-suffix>]      */
/* ---------------------------------------------------------------- */

/*
 * The mangled name being read, by both demanglers: the next byte, the one
 * after it, and taking one (0 past the end).
 */
struct dm_input {
	const char *s;
	size_t len, pos;
};

static int in_peek(const struct dm_input *in)
{
	return in->pos < in->len ? (unsigned char)in->s[in->pos] : 0;
}

static int in_peek2(const struct dm_input *in)
{
	return in->pos + 1 < in->len ? (unsigned char)in->s[in->pos + 1] : 0;
}

static int in_next(struct dm_input *in)
{
	return in->pos < in->len ? (unsigned char)in->s[in->pos++] : 0;
}

/* Take the next byte if it is c. */
static int in_eat(struct dm_input *in, int c)
{
	if (in->pos < in->len && in->s[in->pos] == c) {
		in->pos++;
		return 1;
	}
	return 0;
}

struct v0 {
	struct dm_input in;	/* from just after "_R" (backrefs count from
				   there), the bytes of the mangling */
	struct fg_buf *out;	/* NULL while skipping (not printing) */
	size_t out_limit;	/* out->len may not grow beyond this */
	unsigned depth;
	unsigned long steps;
	uint64_t bound_lifetimes;	/* lifetimes bound by enclosing binders */
	int err;		/* sticky: the output is truncated or invalid */
};

struct v0_ident {
	const char *ascii;	/* the part that is not punycode */
	size_t ascii_len;
	const char *puny;	/* punycode deltas, or NULL */
	size_t puny_len;
};

/* Every parsing function starts with this: limits depth and total work. */
static int v0_enter(struct v0 *p)
{
	if (p->err || p->depth >= V0_MAX_DEPTH || ++p->steps > V0_MAX_STEPS) {
		p->err = 1;
		return -1;
	}
	p->depth++;
	return 0;
}

/* Every successful or failed return balances a v0_enter(). */
static int v0_leave(struct v0 *p, int ret)
{
	p->depth--;
	if (ret)
		p->err = 1;
	return p->err ? -1 : 0;
}

/* fn(p, arg) between a v0_enter() and its v0_leave(). */
static int v0_nested(struct v0 *p, int (*fn)(struct v0 *, int), int arg)
{
	if (v0_enter(p))
		return -1;
	return v0_leave(p, fn(p, arg));
}

static void v0_add(struct v0 *p, const char *s, size_t n)
{
	if (!p->out || p->err)
		return;
	if (n > p->out_limit - p->out->len) {
		p->err = 1;
		return;
	}
	fg_buf_add(p->out, s, n);
}

static void v0_puts(struct v0 *p, const char *s)
{
	v0_add(p, s, strlen(s));
}

static void v0_putu64(struct v0 *p, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);

	v0_add(p, num, (size_t)n);
}

/* base-62-number: "_" is 0, otherwise the digits' value plus one. */
static int v0_base62(struct v0 *p, uint64_t *v)
{
	uint64_t x = 0;
	int c;

	if (in_eat(&p->in, '_')) {
		*v = 0;
		return 0;
	}
	for (;;) {
		unsigned d;

		c = in_next(&p->in);
		if (c == '_')
			break;
		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if (is_lower(c))
			d = (unsigned)(c - 'a') + 10;
		else if (is_upper(c))
			d = (unsigned)(c - 'A') + 36;
		else
			return -1;
		if (x > (UINT64_MAX - d) / 62)
			return -1;
		x = x * 62 + d;
	}
	if (x == UINT64_MAX)
		return -1;
	*v = x + 1;
	return 0;
}

/* [tag base-62-number]: absent is 0, present is the number plus one. */
static int v0_opt_base62(struct v0 *p, int tag, uint64_t *v)
{
	if (!in_eat(&p->in, tag)) {
		*v = 0;
		return 0;
	}
	if (v0_base62(p, v) || *v == UINT64_MAX)
		return -1;
	(*v)++;
	return 0;
}

/* decimal-number: "0", or a non-zero digit followed by digits. */
static int v0_decimal(struct v0 *p, uint64_t *v)
{
	uint64_t x;
	int c = in_peek(&p->in);

	if (!is_digit(c))
		return -1;
	p->in.pos++;
	x = (uint64_t)(c - '0');
	if (!x) {
		*v = 0;
		return 0;
	}
	while (is_digit(in_peek(&p->in))) {
		unsigned d = (unsigned)(in_next(&p->in) - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/* undisambiguated-identifier: ["u"] decimal-number ["_"] bytes */
static int v0_ident(struct v0 *p, struct v0_ident *id)
{
	int puny = in_eat(&p->in, 'u');
	uint64_t n;
	const char *s;

	if (v0_decimal(p, &n))
		return -1;
	in_eat(&p->in, '_');
	if (n > p->in.len - p->in.pos)
		return -1;
	s = p->in.s + p->in.pos;
	p->in.pos += (size_t)n;
	memset(id, 0, sizeof(*id));
	id->ascii = s;
	id->ascii_len = (size_t)n;
	if (puny) {
		/* the last '_' separates the basic characters from the deltas */
		size_t i = (size_t)n;

		while (i > 0 && s[i - 1] != '_')
			i--;
		id->ascii_len = i ? i - 1 : 0;
		id->puny = s + i;
		id->puny_len = (size_t)n - i;
		if (!id->puny_len)
			return -1;
	}
	return 0;
}

static size_t puny_adapt(size_t delta, size_t npoints, int first)
{
	size_t k = 0;

	delta = first ? delta / 700 : delta / 2;
	delta += delta / npoints;
	while (delta > (36 - 1) * 26 / 2) {
		delta /= 36 - 1;
		k += 36;
	}
	return k + 36 * delta / (delta + 38);
}

/* Decode RFC 3492 punycode (base 36, tmin 1, tmax 26, skew 38, damp 700). */
static int puny_decode(const struct v0_ident *id, uint32_t *cp, size_t *ncp)
{
	const char *q = id->puny, *end = id->puny + id->puny_len;
	size_t n_out = 0, i = 0, bias = 72;
	uint32_t n = 128;

	if (id->ascii_len > PUNY_MAX)
		return -1;
	for (; n_out < id->ascii_len; n_out++) {
		if ((unsigned char)id->ascii[n_out] >= 0x80)
			return -1;
		cp[n_out] = (unsigned char)id->ascii[n_out];
	}
	while (q < end) {
		size_t old_i = i, w = 1, k;

		for (k = 36;; k += 36) {
			size_t digit, t;
			int c = *q++;

			if (is_lower(c))
				digit = (size_t)(c - 'a');
			else if (is_digit(c))
				digit = (size_t)(c - '0') + 26;
			else
				return -1;
			/* i and w stay far below SIZE_MAX with these caps */
			if (digit > (0x10ffffu * (PUNY_MAX + 1) - i) / w)
				return -1;
			i += digit * w;
			t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
			if (digit < t)
				break;
			if (w > 0x10ffffu * (PUNY_MAX + 1) / (36 - t))
				return -1;
			w *= 36 - t;
			if (q >= end)
				return -1;
		}
		if (n_out >= PUNY_MAX)
			return -1;
		bias = puny_adapt(i - old_i, n_out + 1, old_i == 0);
		if (i / (n_out + 1) > 0x10ffffu - n)
			return -1;
		n += (uint32_t)(i / (n_out + 1));
		i %= n_out + 1;
		if (!is_scalar(n))
			return -1;
		memmove(cp + i + 1, cp + i, (n_out - i) * sizeof(*cp));
		cp[i++] = n;
		n_out++;
	}
	*ncp = n_out;
	return 0;
}

static void v0_print_ident(struct v0 *p, const struct v0_ident *id)
{
	uint32_t cp[PUNY_MAX];
	size_t ncp, i;
	char utf8[4];

	if (!p->out)
		return;
	if (!id->puny) {
		v0_add(p, id->ascii, id->ascii_len);
		return;
	}
	if (puny_decode(id, cp, &ncp)) {
		p->err = 1;
		return;
	}
	for (i = 0; i < ncp; i++)
		v0_add(p, utf8, utf8_encode(cp[i], utf8));
}

static int v0_path(struct v0 *p, int in_value);
static int v0_type(struct v0 *p);
static int v0_const(struct v0 *p, int in_value);

/*
 * backref: "B" base-62-number, an offset into sym before the backref
 * itself, so that following backrefs always moves backwards. While
 * printing, run fn at the target; while skipping, there is nothing to do.
 */
static int v0_backref(struct v0 *p, int (*fn)(struct v0 *, int), int arg)
{
	size_t start = p->in.pos - 1, saved;
	uint64_t target;
	int ret;

	if (v0_base62(p, &target) || target >= start)
		return -1;
	if (!p->out)
		return 0;
	saved = p->in.pos;
	p->in.pos = (size_t)target;
	ret = fn(p, arg);
	p->in.pos = saved;
	return ret;
}

static int v0_type_fn(struct v0 *p, int unused)
{
	(void)unused;
	return v0_type(p);
}

/* Print a lifetime given as a de Bruijn index: 'a, 'b, ... or '_. */
static int v0_print_lifetime(struct v0 *p, uint64_t idx)
{
	uint64_t level;

	if (!idx) {
		v0_puts(p, "'_");
		return 0;
	}
	if (idx > p->bound_lifetimes)
		return -1;
	level = p->bound_lifetimes - idx;
	if (level < 26) {
		char lt[2] = { '\'', (char)('a' + level) };

		v0_add(p, lt, 2);
	} else {
		v0_puts(p, "'_");
		v0_putu64(p, level);
	}
	return 0;
}

/* binder: ["G" base-62-number], printed as "for<'a, 'b> ". */
static int v0_binder(struct v0 *p, uint64_t *count)
{
	uint64_t n, i;

	if (v0_opt_base62(p, 'G', &n))
		return -1;
	if (n > (uint64_t)V0_MAX_STEPS || p->bound_lifetimes > UINT64_MAX - n)
		return -1;
	*count = n;
	if (!n)
		return 0;
	if (!p->out) {
		p->bound_lifetimes += n;
		return 0;
	}
	v0_puts(p, "for<");
	for (i = 0; i < n && !p->err; i++) {
		if (i)
			v0_puts(p, ", ");
		p->bound_lifetimes++;
		v0_print_lifetime(p, 1);
	}
	if (i < n)
		p->bound_lifetimes += n - i;
	v0_puts(p, "> ");
	return 0;
}

/* generic-arg: lifetime | type | "K" const */
static int v0_generic_arg(struct v0 *p)
{
	uint64_t lt;

	if (in_eat(&p->in, 'L')) {
		if (v0_base62(p, &lt))
			return -1;
		return v0_print_lifetime(p, lt);
	}
	if (in_eat(&p->in, 'K'))
		return v0_const(p, 0);
	return v0_type(p);
}

/* {generic-arg} "E", separated by ", " */
static int v0_generic_args(struct v0 *p)
{
	int i;

	for (i = 0; !in_eat(&p->in, 'E'); i++) {
		if (p->in.pos >= p->in.len)
			return -1;
		if (i)
			v0_puts(p, ", ");
		if (v0_generic_arg(p))
			return -1;
	}
	return 0;
}

/*
 * The legacy scheme's name of the shim that v0 calls id (a "S"
 * namespace), or NULL when legacy has none. Legacy appends it to the
 * shimmed function ("call_once{{vtable.shim}}") where v0 nests it
 * ("call_once::{shim:vtable#0}"); rustc writes both (legacy.rs, v0.rs).
 */
static const char *v0_legacy_shim(const struct v0_ident *id)
{
	static const struct {
		const char *v0, *legacy;
	} shims[] = {
		{ "vtable", "vtable.shim" },
		{ "reify", "reify.shim" },
		{ "reify_fnptr", "reify.shim.fnptr" },
		{ "reify_vtable", "reify.shim.vtable" },
		{ "tls", "tls.shim" },
		{ "by_move", "by.move.shim" },
		{ "by_ref", "by.ref.shim" },
		{ "drop", "drop.shim" },
	};
	size_t i;

	if (id->puny)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(shims); i++)
		if (strlen(shims[i].v0) == id->ascii_len &&
		    !memcmp(shims[i].v0, id->ascii, id->ascii_len))
			return shims[i].legacy;
	return NULL;
}

static int v0_path_inner(struct v0 *p, int in_value)
{
	struct v0_ident id;
	struct fg_buf *saved;
	const char *legacy;
	uint64_t dis;
	int tag = in_next(&p->in), ns, ret;

	switch (tag) {
	case 'C':	/* crate root: the disambiguator is not shown */
		if (v0_opt_base62(p, 's', &dis) || v0_ident(p, &id))
			return -1;
		v0_print_ident(p, &id);
		return 0;
	case 'N':	/* nested path */
		ns = in_next(&p->in);
		if (!is_lower(ns) && !is_upper(ns))
			return -1;
		if (v0_path(p, in_value))
			return -1;
		if (v0_opt_base62(p, 's', &dis) || v0_ident(p, &id))
			return -1;
		legacy = ns == 'S' ? v0_legacy_shim(&id) : NULL;
		if ((ns == 'C' || ns == 'K') && !id.ascii_len && !id.puny) {
			/* closure, anonymous constant: as legacy spells them */
			v0_puts(p, ns == 'C' ? "::{{closure}}" : "::{{constant}}");
		} else if (legacy) {
			v0_puts(p, "{{");
			v0_puts(p, legacy);
			v0_puts(p, "}}");
		} else if (is_upper(ns)) {
			char c = (char)ns;

			v0_puts(p, "::{");
			if (ns == 'C')
				v0_puts(p, "closure");
			else if (ns == 'S')
				v0_puts(p, "shim");
			else
				v0_add(p, &c, 1);
			if (id.ascii_len || id.puny) {
				v0_puts(p, ":");
				v0_print_ident(p, &id);
			}
			v0_puts(p, "#");
			v0_putu64(p, dis);
			v0_puts(p, "}");
		} else if (id.ascii_len || id.puny) {
			v0_puts(p, "::");
			v0_print_ident(p, &id);
		}
		return 0;
	case 'M':	/* <T> */
	case 'X':	/* <T as Trait> */
	case 'Y':	/* <T as Trait>, in a trait definition */
		if (tag != 'Y') {
			/* impl-path: where the impl is; not shown */
			if (v0_opt_base62(p, 's', &dis))
				return -1;
			saved = p->out;
			p->out = NULL;
			ret = v0_path(p, 0);
			p->out = saved;
			if (ret)
				return -1;
		}
		v0_puts(p, "<");
		if (v0_type(p))
			return -1;
		if (tag != 'M') {
			v0_puts(p, " as ");
			if (v0_path(p, 0))
				return -1;
		}
		v0_puts(p, ">");
		return 0;
	case 'I':	/* generic args: path::<A, B> (value) or path<A, B> */
		if (v0_path(p, in_value))
			return -1;
		v0_puts(p, in_value ? "::<" : "<");
		if (v0_generic_args(p))
			return -1;
		v0_puts(p, ">");
		return 0;
	case 'B':
		return v0_backref(p, v0_path, in_value);
	default:
		return -1;
	}
}

static int v0_path(struct v0 *p, int in_value)
{
	return v0_nested(p, v0_path_inner, in_value);
}

/*
 * The trait of a dyn bound, leaving its generic argument list open
 * (*open set) so that associated-type bindings can join it:
 * "Iterator<Item = u32>" is "I...Iterator E" followed by "p4Item m".
 */
static int v0_dyn_trait_path(struct v0 *p, int *open)
{
	size_t saved;
	uint64_t target;
	int ret;

	if (v0_enter(p))
		return -1;
	*open = 0;
	if (in_eat(&p->in, 'B')) {
		size_t start = p->in.pos - 1;

		if (v0_base62(p, &target) || target >= start)
			return v0_leave(p, -1);
		if (!p->out)
			return v0_leave(p, 0);
		saved = p->in.pos;
		p->in.pos = (size_t)target;
		ret = v0_dyn_trait_path(p, open);
		p->in.pos = saved;
		return v0_leave(p, ret);
	}
	if (in_eat(&p->in, 'I')) {
		if (v0_path(p, 0))
			return v0_leave(p, -1);
		v0_puts(p, "<");
		*open = 1;
		return v0_leave(p, v0_generic_args(p));
	}
	return v0_leave(p, v0_path(p, 0));
}

/* dyn-bounds lifetime, after "D" */
static int v0_dyn(struct v0 *p)
{
	uint64_t bound, lt;
	int i, open;

	v0_puts(p, "dyn ");
	if (v0_binder(p, &bound))
		return -1;
	for (i = 0; !in_eat(&p->in, 'E'); i++) {
		if (p->in.pos >= p->in.len)
			return -1;
		if (i)
			v0_puts(p, " + ");
		if (v0_dyn_trait_path(p, &open))
			return -1;
		while (in_eat(&p->in, 'p')) {
			struct v0_ident id;

			v0_puts(p, open ? ", " : "<");
			open = 1;
			if (v0_ident(p, &id))
				return -1;
			v0_print_ident(p, &id);
			v0_puts(p, " = ");
			if (in_eat(&p->in, 'K') ? v0_const(p, 0) : v0_type(p))
				return -1;
		}
		if (open)
			v0_puts(p, ">");
	}
	p->bound_lifetimes -= bound;
	if (!in_eat(&p->in, 'L') || v0_base62(p, &lt))
		return -1;
	if (lt) {
		v0_puts(p, " + ");
		return v0_print_lifetime(p, lt);
	}
	return 0;
}

/* fn-sig, after "F" */
static int v0_fn_sig(struct v0 *p)
{
	uint64_t bound;
	int i;

	if (v0_binder(p, &bound))
		return -1;
	if (in_eat(&p->in, 'U'))
		v0_puts(p, "unsafe ");
	if (in_eat(&p->in, 'K')) {
		v0_puts(p, "extern \"");
		if (in_eat(&p->in, 'C')) {
			v0_puts(p, "C");
		} else {
			struct v0_ident id;
			size_t j;

			/* the ABI name with '-' spelt '_' */
			if (v0_ident(p, &id) || id.puny)
				return -1;
			for (j = 0; j < id.ascii_len; j++)
				v0_add(p, id.ascii[j] == '_' ? "-" : id.ascii + j, 1);
		}
		v0_puts(p, "\" ");
	}
	v0_puts(p, "fn(");
	for (i = 0; !in_eat(&p->in, 'E'); i++) {
		if (p->in.pos >= p->in.len)
			return -1;
		if (i)
			v0_puts(p, ", ");
		if (v0_type(p))
			return -1;
	}
	v0_puts(p, ")");
	if (!in_eat(&p->in, 'u')) {
		v0_puts(p, " -> ");
		if (v0_type(p))
			return -1;
	}
	p->bound_lifetimes -= bound;
	return 0;
}

/* pattern-kind of a pattern type: "R" const const | "O" {pattern} "E" */
static int v0_pattern(struct v0 *p)
{
	int i, ret = 0;

	if (v0_enter(p))
		return -1;
	switch (in_next(&p->in)) {
	case 'R':
		if (v0_const(p, 1))
			ret = -1;
		v0_puts(p, "..=");
		if (!ret && v0_const(p, 1))
			ret = -1;
		break;
	case 'O':
		for (i = 0; !ret && !in_eat(&p->in, 'E'); i++) {
			if (p->in.pos >= p->in.len)
				ret = -1;
			else if (i)
				v0_puts(p, " | ");
			if (!ret && v0_pattern(p))
				ret = -1;
		}
		break;
	default:
		ret = -1;
	}
	return v0_leave(p, ret);
}

static const char *const v0_basic_types[26] = {
	['a' - 'a'] = "i8", ['b' - 'a'] = "bool", ['c' - 'a'] = "char",
	['d' - 'a'] = "f64", ['e' - 'a'] = "str", ['f' - 'a'] = "f32",
	['h' - 'a'] = "u8", ['i' - 'a'] = "isize", ['j' - 'a'] = "usize",
	['l' - 'a'] = "i32", ['m' - 'a'] = "u32", ['n' - 'a'] = "i128",
	['o' - 'a'] = "u128", ['p' - 'a'] = "_", ['s' - 'a'] = "i16",
	['t' - 'a'] = "u16", ['u' - 'a'] = "()", ['v' - 'a'] = "...",
	['x' - 'a'] = "i64", ['y' - 'a'] = "u64", ['z' - 'a'] = "!",
};

static int v0_type_inner(struct v0 *p, int unused)
{
	(void)unused;
	uint64_t lt;
	int tag = in_next(&p->in), i;

	if (is_lower(tag)) {
		if (!v0_basic_types[tag - 'a'])
			return -1;
		v0_puts(p, v0_basic_types[tag - 'a']);
		return 0;
	}
	switch (tag) {
	case 'R':
	case 'Q':
		v0_puts(p, "&");
		if (in_eat(&p->in, 'L')) {
			if (v0_base62(p, &lt))
				return -1;
			if (lt) {
				if (v0_print_lifetime(p, lt))
					return -1;
				v0_puts(p, " ");
			}
		}
		if (tag == 'Q')
			v0_puts(p, "mut ");
		return v0_type(p);
	case 'P':
		v0_puts(p, "*const ");
		return v0_type(p);
	case 'O':
		v0_puts(p, "*mut ");
		return v0_type(p);
	case 'A':
		v0_puts(p, "[");
		if (v0_type(p))
			return -1;
		v0_puts(p, "; ");
		if (v0_const(p, 1))
			return -1;
		v0_puts(p, "]");
		return 0;
	case 'S':
		v0_puts(p, "[");
		if (v0_type(p))
			return -1;
		v0_puts(p, "]");
		return 0;
	case 'T':
		v0_puts(p, "(");
		for (i = 0; !in_eat(&p->in, 'E'); i++) {
			if (p->in.pos >= p->in.len)
				return -1;
			if (i)
				v0_puts(p, ", ");
			if (v0_type(p))
				return -1;
		}
		v0_puts(p, i == 1 ? ",)" : ")");
		return 0;
	case 'F':
		return v0_fn_sig(p);
	case 'D':
		return v0_dyn(p);
	case 'W':
		if (v0_type(p))
			return -1;
		v0_puts(p, " is ");
		return v0_pattern(p);
	case 'B':
		return v0_backref(p, v0_type_fn, 0);
	default:
		if (!tag)
			return -1;
		p->in.pos--;
		return v0_path(p, 0);
	}
}

static int v0_type(struct v0 *p)
{
	return v0_nested(p, v0_type_inner, 0);
}

/*
 * const-data: ["n"] {hex-digit} "_". Stores the start and count of the
 * hex digits and the sign. With trim, leading zeros are skipped.
 */
static int v0_const_data(struct v0 *p, const char **hex, size_t *n, int *neg,
			 int trim)
{
	const char *s;

	*neg = in_eat(&p->in, 'n');
	s = p->in.s + p->in.pos;
	while (p->in.pos < p->in.len && p->in.s[p->in.pos] != '_') {
		int c = p->in.s[p->in.pos];

		if (!is_digit(c) && !(c >= 'a' && c <= 'f'))
			return -1;
		p->in.pos++;
	}
	if (!in_eat(&p->in, '_'))
		return -1;
	*n = (size_t)(p->in.s + p->in.pos - 1 - s);
	while (trim && *n && *s == '0') {
		s++;
		(*n)--;
	}
	*hex = s;
	return 0;
}

static uint64_t hex_u64(const char *hex, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v * 16 + (uint64_t)hex_digit(*hex++);
	return v;
}

/* A str constant: hex-encoded UTF-8 bytes, printed as a "literal". */
static int v0_const_str(struct v0 *p)
{
	const char *hex;
	unsigned char bytes[4];
	size_t n, nb = 0, used;
	uint32_t c;
	int neg;

	if (v0_const_data(p, &hex, &n, &neg, 0) || neg || (n & 1))
		return -1;
	v0_puts(p, "\"");
	for (; n; n -= 2, hex += 2) {
		bytes[nb++] = (unsigned char)(hex_digit(hex[0]) * 16 + hex_digit(hex[1]));
		used = utf8_decode(bytes, nb, &c);
		if (!used) {
			if (nb == 4 || bytes[0] < 0xc0)
				return -1;
			continue;
		}
		if (p->out && !p->err)
			add_escaped_char(p->out, c, '"');
		nb = 0;
	}
	if (nb)
		return -1;
	v0_puts(p, "\"");
	return 0;
}

static int v0_const_fn(struct v0 *p, int in_value)
{
	return v0_const(p, in_value);
}

/* Open a brace around a composite constant in a generic argument list. */
static void v0_const_open(struct v0 *p, int in_value)
{
	if (!in_value)
		v0_puts(p, "{");
}

static void v0_const_close(struct v0 *p, int in_value)
{
	if (!in_value)
		v0_puts(p, "}");
}

static int v0_const_inner(struct v0 *p, int in_value)
{
	struct v0_ident id;
	const char *hex;
	uint64_t dis;
	size_t n;
	int tag = in_next(&p->in), neg, i, ret = 0;

	switch (tag) {
	case 'p':
		v0_puts(p, "_");
		return 0;
	case 'B':
		return v0_backref(p, v0_const_fn, in_value);
	case 'a': case 's': case 'l': case 'x': case 'n': case 'i':
	case 'h': case 't': case 'm': case 'y': case 'o': case 'j':
		if (v0_const_data(p, &hex, &n, &neg, 1))
			return -1;
		if (neg && !strchr("aslxni", tag))
			return -1;
		if (neg)
			v0_puts(p, "-");
		if (n > 16) {
			v0_puts(p, "0x");
			v0_add(p, hex, n);
		} else {
			v0_putu64(p, hex_u64(hex, n));
		}
		return 0;
	case 'b':
		if (v0_const_data(p, &hex, &n, &neg, 1) || neg || n > 1)
			return -1;
		v0_puts(p, n ? "true" : "false");
		if (n && hex[0] != '1')
			return -1;
		return 0;
	case 'c':
		if (v0_const_data(p, &hex, &n, &neg, 1) || neg || n > 6 ||
		    !is_scalar((uint32_t)hex_u64(hex, n)))
			return -1;
		v0_puts(p, "'");
		if (p->out && !p->err)
			add_escaped_char(p->out, (uint32_t)hex_u64(hex, n), '\'');
		v0_puts(p, "'");
		return 0;
	case 'e':	/* str: shown as *"..." (it is unsized) */
		v0_const_open(p, in_value);
		v0_puts(p, "*");
		ret = v0_const_str(p);
		v0_const_close(p, in_value);
		return ret;
	case 'R':
	case 'Q':
		if (tag == 'R' && in_eat(&p->in, 'e'))
			return v0_const_str(p);
		v0_const_open(p, in_value);
		v0_puts(p, tag == 'R' ? "&" : "&mut ");
		ret = v0_const(p, 1);
		v0_const_close(p, in_value);
		return ret;
	case 'A':
	case 'T':
		v0_const_open(p, in_value);
		v0_puts(p, tag == 'A' ? "[" : "(");
		for (i = 0; !ret && !in_eat(&p->in, 'E'); i++) {
			if (p->in.pos >= p->in.len)
				return -1;
			if (i)
				v0_puts(p, ", ");
			ret = v0_const(p, 1);
		}
		if (tag == 'T' && i == 1)
			v0_puts(p, ",");
		v0_puts(p, tag == 'A' ? "]" : ")");
		v0_const_close(p, in_value);
		return ret;
	case 'V':	/* a value of an ADT: path then fields */
		v0_const_open(p, in_value);
		if (v0_path(p, 1))
			return -1;
		switch (in_next(&p->in)) {
		case 'U':
			break;
		case 'T':
			v0_puts(p, "(");
			for (i = 0; !ret && !in_eat(&p->in, 'E'); i++) {
				if (p->in.pos >= p->in.len)
					return -1;
				if (i)
					v0_puts(p, ", ");
				ret = v0_const(p, 1);
			}
			v0_puts(p, ")");
			break;
		case 'S':
			v0_puts(p, " { ");
			for (i = 0; !ret && !in_eat(&p->in, 'E'); i++) {
				if (p->in.pos >= p->in.len)
					return -1;
				if (i)
					v0_puts(p, ", ");
				if (v0_opt_base62(p, 's', &dis) || v0_ident(p, &id))
					return -1;
				v0_print_ident(p, &id);
				v0_puts(p, ": ");
				ret = v0_const(p, 1);
			}
			v0_puts(p, " }");
			break;
		default:
			return -1;
		}
		v0_const_close(p, in_value);
		return ret;
	default:
		return -1;
	}
}

static int v0_const(struct v0 *p, int in_value)
{
	return v0_nested(p, v0_const_inner, in_value);
}

/* Where a Rust symbol's ".llvm.<hex>" suffix starts, or len when none. */
static size_t llvm_suffix(const char *sym, size_t len)
{
	const char *s = sym, *end = sym + len, *q;

	while ((s = memmem(s, (size_t)(end - s), ".llvm.", 6))) {
		for (q = s + 6; q < end; q++)
			if (hex_digit(*q) < 0 && *q != '@')
				break;
		if (q == end)
			return (size_t)(s - sym);
		s++;
	}
	return len;
}

static int demangle_v0(struct fg_buf *out, const char *sym, size_t len)
{
	struct v0 p = {
		.in = { .s = sym + 2, .len = len - 2 },
		.out = out,
		.out_limit = st_add(out->len, DEMANGLE_MAX_OUTPUT),
	};
	const char *suffix;

	/* an encoding version number: none is defined yet */
	if (is_digit(in_peek(&p.in)))
		return -1;
	if (v0_path(&p, 1))
		return -1;
	/* the instantiating crate is not shown */
	if (p.in.pos < p.in.len && is_upper(in_peek(&p.in))) {
		p.out = NULL;
		if (v0_path(&p, 0))
			return -1;
		p.out = out;
	}
	suffix = p.in.s + p.in.pos;
	if (p.in.pos < p.in.len) {
		if (*suffix == '.' && symbol_like_suffix(suffix, p.in.len - p.in.pos))
			v0_add(&p, suffix, p.in.len - p.in.pos);
		else if (*suffix != '$')
			return -1;
	}
	return p.err ? -1 : 0;
}

/* ---------------------------------------------------------------- */
/* C++: _Z... through __cxa_demangle(), after bounding its cost      */
/* ---------------------------------------------------------------- */

/*
 * __cxa_demangle() (libiberty's cp-demangle.c inside libstdc++) parses a
 * symbol into a tree of at most two nodes per byte, then prints the
 * tree, and nothing bounds the printing: a substitution ("S3_") or a
 * template parameter ("T_") prints an earlier subtree again, so a
 * 311-byte symbol whose 28 template arguments each name the previous
 * one twice prints 2^28 copies of the first (67 s and 8.9 GB here). Some
 * trees cost time without output: a pack expansion looks for its pack
 * by walking its pattern as a tree, where a postfix "x++" holds its
 * operand twice (60 bytes: 2^24 steps); nested pack expansions multiply
 * (85 bytes: 827 MB); and the parser backtracks over the template
 * arguments that follow a template parameter in a conversion operator's
 * type, which nests (100 bytes: 0.3 s, doubling every level).
 *
 * The runtime cannot be stopped once called: libstdc++ exports only
 * __cxa_demangle(), and libiberty (which has a callback variant) is
 * LGPL and static-only here. Demangling in a forked child under limits
 * was the other choice; it is not safe in a multi-threaded caller, its
 * time limit makes the result depend on the machine's speed (valgrind,
 * ASan), and it costs a fork. So the symbol is parsed here first, along
 * the runtime's grammar and building the same substitution table, and
 * each node gets a bound on what printing it costs, in lengths, never
 * strings (struct cxx_cost): a reference costs what its target costs, a
 * pack expansion its pattern times the longest argument list plus one,
 * a template parameter what the costliest argument of the template it
 * is looked up in costs. That template is the function template whose
 * type holds the parameter (cxx_resolve()), or for "R T_" the one saved
 * the first time (cxx_ref_param()); where that cannot be told (conversion
 * operators, arguments that hold parameters of an outer template), any
 * argument of the symbol, up to the depth the runtime allows
 * (cxx_tparm_cost()). A symbol whose bound passes DEMANGLE_MAX_OUTPUT or
 * CXX_MAX_SCAN, or whose parse passes CXX_MAX_STEPS, is not given to the
 * runtime. On the C++ symbols of this machine's libraries and programs
 * the bound is 1.7 times the output on average, never below it.
 *
 * Written from the Itanium C++ ABI's mangling grammar, checked against
 * the runtime's behaviour (GCC 12's libstdc++): where the runtime
 * swallows a failed sub-parse and goes on, the estimate gives up
 * ("unsure") instead of guessing where the runtime stopped; a symbol the
 * estimate cannot parse goes to the runtime only when it has no
 * reference that could repeat anything (cxx_is_linear()).
 */

/*
 * Our parser's recursion (real symbols nest up to 41 deep), and its steps
 * (the runtime's parse is alike): real symbols take fewer than 3 per byte.
 */
#define CXX_MAX_DEPTH 256
#define CXX_MAX_STEPS(len) (4096 + 32 * (unsigned long)(len))
/* List-walking steps allowed while printing (see struct cxx_cost). */
#define CXX_MAX_SCAN (UINT64_C(1) << 26)
/* Symbols up to this long may go to the runtime unchecked (cxx_is_linear()). */
#define CXX_LINEAR_MAX 1024
/* Table entries on the stack (substitutions, scopes) before the heap. */
#define CXX_STACK_ENTRIES 48
/* Template parameters are told apart modulo this in struct cxx_cost. */
#define CXX_REF_BITS 32
/* Costs saturate here, far beyond every cap. */
#define CXX_SAT (UINT64_C(1) << 60)

/*
 * What printing a node may cost the runtime: out bounds the bytes
 * printed plus the nodes visited (a walk that looks for a pack visits
 * nodes without printing); scan counts visits that also walk a list (the
 * pending type modifiers, the saved template scopes, the template
 * parameter stack, an argument list), none longer than the walk bound
 * of cxx_finish(). Each template parameter printed prints a template
 * argument: rel counts those still to be priced in the scope the node
 * is printed in (see cxx_resolve()), lam those in a lambda's parameters
 * (printed as "auto:N" there, priced like rel if printed elsewhere), and
 * tparm all of them, for the coarser bound of cxx_tparm_cost(). rmask:
 * the references to template parameters it holds (cxx_ref_param()), one
 * bit per parameter modulo CXX_REF_BITS.
 */
struct cxx_cost {
	uint64_t out;
	uint64_t scan;
	uint64_t rel;
	uint64_t lam;
	uint64_t tparm;
	uint64_t rmask;
};

/* What printing one template argument may cost, in one scope. */
struct cxx_val {
	uint64_t out, scan;
};

/* The kinds of node the runtime's parser looks at again. */
enum cxx_kind {
	CXX_OTHER,
	CXX_SUB_STD,		/* Sa, Ss, ...: not a substitution candidate */
	CXX_LAMBDA,		/* Ul...E_: no discriminator in a local name */
	CXX_UNNAMED,		/* Ut_: likewise */
	CXX_NULLPTR,		/* Dn: "LDnE" is a literal */
	CXX_TPARM,		/* T_: "RT_" saves a template scope */
};

struct cxx_node {
	struct cxx_cost cost;
	unsigned char kind;
	unsigned char has_ret;	/* a function of this name has a return type */
	unsigned char cdc;	/* names a constructor, destructor, conversion */
	unsigned char tmpl;	/* a template name: its encoding's type sees args */
	/* for a template name, or a template argument list: the costliest argument */
	uint64_t arg_out, arg_scan, arg_rel;
	long sub;		/* its index in the substitution table, or -1 */
};

enum cxx_status {
	CXX_OK,
	CXX_INVALID,		/* the runtime rejects it too (or should) */
	CXX_UNSURE,		/* the runtime might accept it: cannot tell */
	CXX_COSTLY,		/* over a cap */
};

enum cxx_op_kind { CXX_OP, CXX_OP_VENDOR, CXX_OP_CAST, CXX_OP_CONV };

struct cxx_op {
	enum cxx_op_kind kind;
	int args;		/* operands in an expression */
	char code[3];
};

struct cxx {
	struct dm_input in;
	unsigned depth;
	unsigned long steps;	/* all runs together */
	enum cxx_status status;
	/* parser state the runtime keeps */
	int in_expression, in_conversion;
	int unresolved_new;	/* read "sr <prefix>" the C++11 way first */
	int unresolved_tried;	/* ... and that way was taken */
	int have_last_name;	/* a name a constructor would repeat */
	uint64_t max_name;	/* the longest such name, printed */
	struct cxx_node *subs;	/* the substitution table */
	size_t nsubs;
	int in_lambda;		/* in a lambda's parameter types */
	/* scopes: the top (0) and function templates' types (see cxx_resolve()) */
	size_t scope, nscopes;
	struct cxx_val *scope_val;	/* a template parameter in each scope */
	/* references to template parameters (see cxx_ref_param()) */
	struct cxx_val *ref_val;	/* per substitution index */
	unsigned char *ref_used;	/* per substitution index, this run */
	size_t ref_init;	/* ref_val entries set so far */
	size_t cap;		/* entries of the tables above */
	char *heap;		/* the tables once they outgrew the stack */
	struct cxx_val bit_val[CXX_REF_BITS];	/* scopes using a reference */
	unsigned char bit_used[CXX_REF_BITS];
	int dirty;		/* a value grew after it was used: parse again */
	int coarse;		/* scopes do not tell: use cxx_tparm_cost() */
	int record_args;	/* fill targs, for cxx_tparm_cost() */
	/* what template parameters and pack expansions may print */
	struct cxx_cost *targs;	/* template arguments that print parameters */
	size_t ntargs, targs_alloc;
	uint64_t targ_out, targ_scan;	/* the costliest other argument */
	size_t max_list;	/* longest template argument list */
	size_t pack_len;	/* pack length to assume, 0: max_list so far */
	size_t pack_low;	/* smallest max_list a pack expansion used */
	int packs;		/* pack expansions seen */
	size_t ntparm;		/* template parameters parsed */
	size_t nref;		/* references (R, O) parsed */
	struct cxx_cost total;	/* the whole symbol, once parsed */
};

static uint64_t cxx_add(uint64_t a, uint64_t b)
{
	return a + b > CXX_SAT ? CXX_SAT : a + b;
}

static uint64_t cxx_mul(uint64_t a, uint64_t k)
{
	return k && a > CXX_SAT / k ? CXX_SAT : a * k;
}

static void cost_add(struct cxx_cost *c, const struct cxx_cost *d)
{
	c->out = cxx_add(c->out, d->out);
	c->scan = cxx_add(c->scan, d->scan);
	c->rel = cxx_add(c->rel, d->rel);
	c->lam = cxx_add(c->lam, d->lam);
	c->tparm = cxx_add(c->tparm, d->tparm);
	c->rmask |= d->rmask;
}

static void cost_mul(struct cxx_cost *c, uint64_t k)
{
	c->out = cxx_mul(c->out, k);
	c->scan = cxx_mul(c->scan, k);
	c->rel = cxx_mul(c->rel, k);
	c->lam = cxx_mul(c->lam, k);
	c->tparm = cxx_mul(c->tparm, k);
}

/* *v = max(*v, *w); returns whether *v grew. */
static int val_raise(struct cxx_val *v, const struct cxx_val *w)
{
	int grew = 0;

	if (w->out > v->out) {
		v->out = w->out;
		grew = 1;
	}
	if (w->scan > v->scan) {
		v->scan = w->scan;
		grew = 1;
	}
	return grew;
}

/* A node printing at most out bytes and components, walking scan lists. */
static void node_leaf(struct cxx_node *n, uint64_t out, uint64_t scan)
{
	memset(n, 0, sizeof(*n));
	n->cost.out = out;
	n->cost.scan = scan;
	n->sub = -1;
}

/*
 * n becomes a new node around itself and d (may be NULL): has_ret and
 * cdc kept for the caller to set, the rest reset.
 */
static void node_wrap(struct cxx_node *n, const struct cxx_node *d,
		      uint64_t out, uint64_t scan)
{
	struct cxx_cost own = { out, scan, 0, 0, 0, 0 };

	if (d)
		cost_add(&n->cost, &d->cost);
	cost_add(&n->cost, &own);
	n->kind = CXX_OTHER;
	n->tmpl = 0;
	n->sub = -1;
}

/* Like node_wrap(), for a node that stands for the same name (a::b -> b). */
static void node_wrap_name(struct cxx_node *n, const struct cxx_node *d,
			   uint64_t out)
{
	int tmpl = n->tmpl;

	node_wrap(n, d, out, 0);
	n->tmpl = tmpl;
}

/* a::b: a constructor, destructor or conversion when b is one. */
static void node_qual(struct cxx_node *n, const struct cxx_node *right)
{
	node_wrap(n, right, 3, 0);
	n->has_ret = 0;
	n->cdc = right->cdc;
}

/* name<args>: a function template has a return type (unless a ctor...). */
static void node_template(struct cxx_node *n, const struct cxx_node *args)
{
	node_wrap(n, args, 5, 0);
	n->has_ret = !n->cdc;
	n->cdc = 0;
	n->tmpl = 1;
	n->arg_out = args->arg_out;
	n->arg_scan = args->arg_scan;
	n->arg_rel = args->arg_rel;
}

/* Every recursive parsing function starts with this. */
static int cxx_enter(struct cxx *c)
{
	if (c->status != CXX_OK)
		return -1;
	if (++c->steps > CXX_MAX_STEPS(c->in.len)) {
		c->status = CXX_COSTLY;
		return -1;
	}
	if (c->depth >= CXX_MAX_DEPTH) {
		c->status = CXX_UNSURE;
		return -1;
	}
	c->depth++;
	return 0;
}

static int cxx_leave(struct cxx *c, int ret)
{
	c->depth--;
	if (ret && c->status == CXX_OK)
		c->status = CXX_INVALID;
	return c->status == CXX_OK ? 0 : -1;
}

/*
 * The runtime would go on after this failure (with what it parsed so far
 * dropped): our estimate cannot follow it.
 */
static int cxx_unsure(struct cxx *c)
{
	if (c->status == CXX_OK || c->status == CXX_INVALID)
		c->status = CXX_UNSURE;
	return -1;
}

/*
 * The tables start on the stack; when they fill up they move to the
 * heap, with one entry per byte of the symbol (the most any can need).
 */
static void cxx_grow(struct cxx *c)
{
	size_t n = c->in.len + 1;
	struct cxx_node *subs;
	struct cxx_val *scope_val, *ref_val;
	unsigned char *ref_used;

	if (c->heap)
		BUG("C++ demangler tables full");
	c->heap = xmalloc(st_mult(n, sizeof(*subs) + 2 * sizeof(*ref_val) + 1));
	subs = (struct cxx_node *)c->heap;
	scope_val = (struct cxx_val *)(subs + n);
	ref_val = scope_val + n;
	ref_used = (unsigned char *)(ref_val + n);
	memcpy(subs, c->subs, c->nsubs * sizeof(*subs));
	memcpy(scope_val, c->scope_val, (c->nscopes + 1) * sizeof(*scope_val));
	memcpy(ref_val, c->ref_val, c->ref_init * sizeof(*ref_val));
	memcpy(ref_used, c->ref_used, c->nsubs);
	c->subs = subs;
	c->scope_val = scope_val;
	c->ref_val = ref_val;
	c->ref_used = ref_used;
	c->cap = n;
}

static int cxx_add_sub(struct cxx *c, struct cxx_node *n)
{
	/* the runtime's table has one entry per byte of the symbol */
	if (c->nsubs >= c->in.len)
		return -1;
	if (c->nsubs >= c->cap)
		cxx_grow(c);
	/* ref_val lasts across runs, ref_used is for this run */
	if (c->nsubs >= c->ref_init) {
		memset(&c->ref_val[c->nsubs], 0, sizeof(*c->ref_val));
		c->ref_init = c->nsubs + 1;
	}
	c->ref_used[c->nsubs] = 0;
	n->sub = (long)c->nsubs;
	c->subs[c->nsubs++] = *n;
	return 0;
}

/* [n] decimal digits as the runtime reads them: -1 on int overflow. */
static long cxx_number(struct cxx *c)
{
	int neg = in_eat(&c->in, 'n');
	long v = 0;

	while (is_digit(in_peek(&c->in))) {
		int d = in_peek(&c->in) - '0';

		if (v > (INT_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		c->in.pos++;
	}
	return neg ? -v : v;
}

/* "_" is 0, <number> "_" is number + 1; -1 when invalid. */
static long cxx_compact_number(struct cxx *c)
{
	long n;

	if (in_peek(&c->in) == '_')
		n = 0;
	else if (in_peek(&c->in) == 'n')
		return -1;
	else
		n = cxx_number(c) + 1;
	if (n < 0 || n > INT_MAX || !in_eat(&c->in, '_'))
		return -1;
	return n;
}

/* [_ <digit>] or [__ <number> _]: a local entity's discriminator. */
static int cxx_discriminator(struct cxx *c)
{
	int wide;
	long n;

	if (!in_eat(&c->in, '_'))
		return 0;
	wide = in_eat(&c->in, '_');
	n = cxx_number(c);
	if (n < 0 || (wide && n >= 10 && !in_eat(&c->in, '_')))
		return -1;
	return 0;
}

static int cxx_type(struct cxx *c, struct cxx_node *n);
static int cxx_parmlist(struct cxx *c, struct cxx_node *n);
static int cxx_name(struct cxx *c, struct cxx_node *n);
static int cxx_encoding(struct cxx *c, struct cxx_node *n);
static int cxx_expression(struct cxx *c, struct cxx_node *n);
static int cxx_expression1(struct cxx *c, struct cxx_node *n);
static int cxx_template_args(struct cxx *c, struct cxx_node *n);
static int cxx_template_args1(struct cxx *c, struct cxx_node *n);
static int cxx_unqualified_name(struct cxx *c, struct cxx_node *n);
static int cxx_prefix(struct cxx *c, int subst, struct cxx_node *n);
static void cxx_sub_used(struct cxx *c, struct cxx_node *n);

/* <source-name>: a length and that many bytes. */
static int cxx_source_name(struct cxx *c, struct cxx_node *n)
{
	static const char anon[] = "_GLOBAL_";
	const char *id;
	long len = cxx_number(c);
	uint64_t shown;

	if (len <= 0 || (size_t)len > c->in.len - c->in.pos)
		return -1;
	id = c->in.s + c->in.pos;
	c->in.pos += (size_t)len;
	shown = (uint64_t)len;
	/* printed as "(anonymous namespace)" */
	if (len >= 10 && !memcmp(id, anon, 8) && strchr("._$", id[8]) &&
	    id[9] == 'N')
		shown = 21;
	c->have_last_name = 1;
	if (shown > c->max_name)
		c->max_name = shown;
	node_leaf(n, 1 + shown, 0);
	return 0;
}

/* The two-letter operator codes and their operand counts. */
static const char cxx_operators[] =
	"aN2aS2aa2ad1an2at1aw1az1cc2cl2cm2co1dV2dX3da1dc2de1di2dl1ds2dt2dv2"
	"dx2eO2eo2eq2fL3fR3fl2fr2ge2gs1gt2ix2lS2le2li1ls2lt2mI2mL2mi2ml2mm1"
	"na3ne2ng1nt1nw3oR2oo2or2pL2pl2pm2pp1ps1pt2qu3rM2rS2rc2rm2rs2sP1sZ1"
	"sc2ss2st1sz1tr0tw1";

/*
 * <operator-name>: "cv <type>" is a conversion (a cast in an expression),
 * "v <digit> <source-name>" a vendor operator. Printed as "operator" and
 * a name of at most 16 bytes, or as the name alone in an expression.
 */
static int cxx_operator(struct cxx *c, struct cxx_node *n, struct cxx_op *op)
{
	int c1 = in_next(&c->in), c2 = in_next(&c->in);
	const char *p;

	memset(op, 0, sizeof(*op));
	if (c1 == 'v' && is_digit(c2)) {
		op->kind = CXX_OP_VENDOR;
		op->args = c2 - '0';
		if (cxx_source_name(c, n))
			return -1;
		node_wrap(n, NULL, 10, 0);
		return 0;
	}
	if (c1 == 'c' && c2 == 'v') {
		int was = c->in_conversion, ret;

		c->in_conversion = !c->in_expression;
		op->kind = c->in_conversion ? CXX_OP_CONV : CXX_OP_CAST;
		op->args = 1;
		ret = cxx_type(c, n);
		c->in_conversion = was;
		if (ret)
			return -1;
		/* its parameters are looked up in whatever template prints it */
		if (n->cost.rel || n->cost.lam || n->cost.rmask)
			c->coarse = 1;
		node_wrap(n, NULL, 14, 0);
		n->has_ret = 0;
		n->cdc = op->kind == CXX_OP_CONV;
		return 0;
	}
	for (p = cxx_operators; *p; p += 3) {
		if (p[0] == c1 && p[1] == c2) {
			op->kind = CXX_OP;
			op->args = p[2] - '0';
			op->code[0] = (char)c1;
			op->code[1] = (char)c2;
			node_leaf(n, 27, 0);
			return 0;
		}
	}
	return -1;
}

/* <abi-tags> after a name: name[abi:tag]... */
static int cxx_abi_tags(struct cxx *c, struct cxx_node *n)
{
	int had = c->have_last_name;

	while (in_eat(&c->in, 'B')) {
		struct cxx_node tag;

		if (cxx_source_name(c, &tag))
			return -1;
		node_wrap(n, &tag, 7, 0);
		n->has_ret = n->cdc = 0;
	}
	c->have_last_name = had;
	return 0;
}

/* C1..C5, CI1..CI5 <type>, D0..D5 (no D3): prints the class name again. */
static int cxx_ctor_dtor_name(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node base;

	if (in_peek(&c->in) == 'C') {
		int inheriting = in_peek2(&c->in) == 'I';

		if (inheriting)
			c->in.pos++;
		if (in_peek2(&c->in) < '1' || in_peek2(&c->in) > '5')
			return -1;
		c->in.pos += 2;
		/* the base class is parsed (substitutions!) but not printed */
		if (inheriting && cxx_type(c, &base))
			return cxx_unsure(c);
	} else {
		if (!in_peek2(&c->in) || !strchr("01245", in_peek2(&c->in)))
			return -1;
		c->in.pos += 2;
	}
	if (!c->have_last_name)
		return -1;
	node_leaf(n, 3 + c->max_name, 0);
	n->cdc = 1;
	return 0;
}

/* Ul <parameter types> E [<number>] _: "{lambda(...)#N}". */
static int cxx_lambda(struct cxx *c, struct cxx_node *n);

/* Ut [<number>] _: "{unnamed type#N}", a substitution by itself. */
static int cxx_unnamed_type(struct cxx *c, struct cxx_node *n)
{
	c->in.pos += 2;
	if (cxx_compact_number(c) < 0)
		return -1;
	node_leaf(n, 27, 0);
	n->kind = CXX_UNNAMED;
	return cxx_add_sub(c, n);
}

static int cxx_unqualified_name_1(struct cxx *c, struct cxx_node *n)
{
	int p = in_peek(&c->in);

	if (is_digit(p)) {
		if (cxx_source_name(c, n))
			return -1;
	} else if (is_lower(p)) {
		struct cxx_op op;
		int was = c->in_expression, ret;

		/* "on": an operator name where an expression could be */
		if (p == 'o' && in_peek2(&c->in) == 'n') {
			c->in.pos += 2;
			c->in_expression = 0;
		}
		ret = cxx_operator(c, n, &op);
		c->in_expression = was;
		if (ret)
			return -1;
		if (op.kind == CXX_OP && !strcmp(op.code, "li")) {
			struct cxx_node suffix;

			/* operator"" _suffix */
			if (cxx_source_name(c, &suffix))
				return -1;
			node_wrap(n, &suffix, 4, 0);
		}
	} else if (p == 'C' || p == 'D') {
		if (cxx_ctor_dtor_name(c, n))
			return -1;
	} else if (p == 'L') {
		c->in.pos++;
		if (cxx_source_name(c, n) || cxx_discriminator(c))
			return -1;
	} else if (p == 'U' && in_peek2(&c->in) == 'l') {
		if (cxx_lambda(c, n))
			return -1;
	} else if (p == 'U' && in_peek2(&c->in) == 't') {
		if (cxx_unnamed_type(c, n))
			return -1;
	} else {
		return -1;
	}
	return in_peek(&c->in) == 'B' ? cxx_abi_tags(c, n) : 0;
}

static int cxx_unqualified_name(struct cxx *c, struct cxx_node *n)
{
	if (cxx_enter(c))
		return -1;
	return cxx_leave(c, cxx_unqualified_name_1(c, n));
}

/* The standard abbreviations after "S": printed length, and as a prefix. */
static const struct {
	char code;
	unsigned char len, full_len, last_name;
} cxx_std_subs[] = {
	/* std, std::allocator, std::basic_string, std::string (as
	 * std::basic_string<char, std::char_traits<char>,
	 * std::allocator<char> > before a constructor), std::istream, ... */
	{ 't', 3, 3, 0 }, { 'a', 14, 14, 9 }, { 'b', 17, 17, 12 },
	{ 's', 11, 70, 12 }, { 'i', 12, 49, 13 }, { 'o', 12, 49, 13 },
	{ 'd', 13, 50, 14 },
};

/*
 * <substitution>: S_, S <base-36 seq-id> _ (an earlier candidate) or a
 * standard abbreviation; in_prefix when it starts a nested name's prefix.
 */
static int cxx_substitution(struct cxx *c, int in_prefix, struct cxx_node *n)
{
	int ch;
	size_t i;

	if (!in_eat(&c->in, 'S'))
		return -1;
	ch = in_next(&c->in);
	if (ch == '_' || is_digit(ch) || is_upper(ch)) {
		/* unsigned int arithmetic, wrapping as the runtime's does */
		uint32_t id = 0;

		if (ch != '_') {
			do {
				uint32_t next;

				if (is_digit(ch))
					next = id * 36 + (uint32_t)(ch - '0');
				else if (is_upper(ch))
					next = id * 36 + (uint32_t)(ch - 'A') + 10;
				else
					return -1;
				if (next < id)
					return -1;
				id = next;
				ch = in_next(&c->in);
			} while (ch != '_');
			id++;
		}
		if (id >= c->nsubs)
			return -1;
		*n = c->subs[id];
		cxx_sub_used(c, n);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cxx_std_subs); i++) {
		int full;

		if (cxx_std_subs[i].code != ch)
			continue;
		full = in_prefix && (in_peek(&c->in) == 'C' || in_peek(&c->in) == 'D');
		if (cxx_std_subs[i].last_name) {
			c->have_last_name = 1;
			if (cxx_std_subs[i].last_name > c->max_name)
				c->max_name = cxx_std_subs[i].last_name;
		}
		node_leaf(n, 1 + (full ? cxx_std_subs[i].full_len :
				  cxx_std_subs[i].len), 0);
		n->kind = CXX_SUB_STD;
		/* with ABI tags it becomes a candidate */
		n->sub = -1;
		if (in_peek(&c->in) == 'B')
			return cxx_abi_tags(c, n) || cxx_add_sub(c, n);
		return 0;
	}
	return -1;
}

/* T_ or T <number> _: prints a template argument (cxx_finish()). */
static int cxx_template_param(struct cxx *c, struct cxx_node *n)
{
	if (!in_eat(&c->in, 'T') || cxx_compact_number(c) < 0)
		return -1;
	c->ntparm++;
	node_leaf(n, 1, 1);
	n->cost.tparm = 1;
	if (c->in_lambda)
		n->cost.lam = 1;
	else
		n->cost.rel = 1;
	n->kind = CXX_TPARM;
	return 0;
}

/*
 * [r] [V] [K] [Dx] [Do | DO <expression> E | Dw <types> E]: the
 * qualifiers' costs are added to *cost, their number to *count.
 */
static int cxx_qualifiers(struct cxx *c, struct cxx_cost *cost, int *count)
{
	struct cxx_node sub;
	struct cxx_cost own = { 0, 1, 0, 0, 0, 0 };

	*count = 0;
	for (;;) {
		int p = in_peek(&c->in), q = in_peek2(&c->in);

		if (p == 'r' || p == 'V' || p == 'K') {
			c->in.pos++;
			own.out = 10;
		} else if (p == 'D' && (q == 'x' || q == 'o')) {
			c->in.pos += 2;
			own.out = 18;
		} else if (p == 'D' && q == 'O') {
			c->in.pos += 2;
			if (cxx_expression(c, &sub) || !in_eat(&c->in, 'E'))
				return -1;
			cost_add(cost, &sub.cost);
			own.out = 12;
		} else if (p == 'D' && q == 'w') {
			/* throw(<types>) */
			c->in.pos += 2;
			if (cxx_parmlist(c, &sub) || !in_eat(&c->in, 'E'))
				return -1;
			cost_add(cost, &sub.cost);
			own.out = 8;
		} else {
			return 0;
		}
		cost_add(cost, &own);
		(*count)++;
	}
}

/* <type>+ (parameters); at least one. */
static int cxx_parmlist(struct cxx *c, struct cxx_node *n)
{
	size_t count = 0;

	node_leaf(n, 1, 0);
	for (;;) {
		struct cxx_node t;
		int p = in_peek(&c->in);

		if (!p || p == 'E' || p == '.' ||
		    ((p == 'R' || p == 'O') && in_peek2(&c->in) == 'E'))
			break;
		if (cxx_type(c, &t))
			return -1;
		node_wrap(n, &t, 3, 0);
		count++;
	}
	return count ? 0 : -1;
}

static int cxx_lambda(struct cxx *c, struct cxx_node *n)
{
	int ret;

	c->in.pos += 2;
	c->in_lambda++;
	ret = cxx_parmlist(c, n);
	c->in_lambda--;
	if (ret || !in_eat(&c->in, 'E') || cxx_compact_number(c) < 0)
		return -1;
	/* its parameters print template parameters as "auto:N" */
	n->cost.lam = 0;
	node_wrap(n, NULL, 24, 0);
	n->kind = CXX_LAMBDA;
	n->has_ret = n->cdc = 0;
	return 0;
}

/* [J] <type>+: with a return type first when has_ret. */
static int cxx_bare_function_type(struct cxx *c, int has_ret, struct cxx_node *n)
{
	struct cxx_node ret;

	if (in_eat(&c->in, 'J'))
		has_ret = 1;
	if (has_ret && cxx_type(c, &ret))
		return -1;
	if (cxx_parmlist(c, n))
		return -1;
	if (has_ret)
		node_wrap(n, &ret, 0, 0);
	/* parentheses, a space, a (*) for a pointer; walks the modifiers */
	node_wrap(n, NULL, 10, 1);
	n->has_ret = n->cdc = 0;
	return 0;
}

/* F [Y] <bare-function-type> [R | O] E */
static int cxx_function_type(struct cxx *c, struct cxx_node *n)
{
	if (!in_eat(&c->in, 'F'))
		return -1;
	in_eat(&c->in, 'Y');
	/* the runtime accepts a failed parameter list followed by R or O */
	if (cxx_bare_function_type(c, 1, n))
		return cxx_unsure(c);
	if (in_peek(&c->in) == 'R' || in_peek(&c->in) == 'O') {
		c->in.pos++;
		node_wrap(n, NULL, 4, 0);
	}
	return in_eat(&c->in, 'E') ? 0 : -1;
}

/* A [<number> | <expression>] _ <type> */
static int cxx_array_type(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node dim, elt;

	c->in.pos++;
	node_leaf(&dim, 0, 0);
	if (is_digit(in_peek(&c->in))) {
		size_t start = c->in.pos;

		while (is_digit(in_peek(&c->in)))
			c->in.pos++;
		node_leaf(&dim, 1 + c->in.pos - start, 0);
	} else if (in_peek(&c->in) != '_' && cxx_expression(c, &dim)) {
		return -1;
	}
	if (!in_eat(&c->in, '_') || cxx_type(c, &elt))
		return -1;
	*n = elt;
	/* " (", ")", " [", "]", and qualifiers printed again (3 at most) */
	node_wrap(n, &dim, 40, 1);
	return 0;
}

/* Dv <number> _ <type> or Dv _ <expression> _ <type> */
static int cxx_vector_type(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node dim, elt;

	if (in_eat(&c->in, '_')) {
		if (cxx_expression(c, &dim))
			return -1;
	} else {
		cxx_number(c);
		node_leaf(&dim, 12, 0);
	}
	if (!in_eat(&c->in, '_') || cxx_type(c, &elt))
		return -1;
	*n = elt;
	node_wrap(n, &dim, 13, 0);
	return 0;
}

/* What a pack expansion of pattern n costs: see cxx_finish(). */
static void cxx_pack_expansion(struct cxx *c, struct cxx_node *n)
{
	size_t len = c->pack_len ? c->pack_len : c->max_list;

	if (!c->packs++ || c->max_list < c->pack_low)
		c->pack_low = c->max_list;
	/* a walk looking for the pack, then the pattern once per element */
	cost_mul(&n->cost, (uint64_t)len + 1);
	node_wrap(n, NULL, 2 * (uint64_t)len + 6, 1);
	n->has_ret = n->cdc = 0;
}

/* Record a template argument: a template parameter may print it. */
static void cxx_template_arg_seen(struct cxx *c, const struct cxx_cost *cost)
{
	if (!c->record_args)
		return;
	if (!cost->tparm) {
		if (cost->out > c->targ_out)
			c->targ_out = cost->out;
		if (cost->scan > c->targ_scan)
			c->targ_scan = cost->scan;
		return;
	}
	ALLOC_GROW(c->targs, c->ntargs + 1, c->targs_alloc);
	c->targs[c->ntargs++] = *cost;
}

/*
 * The runtime prints a template parameter by looking it up in the
 * template on top of a stack, and prints the argument with that
 * template popped. A function template pushes its template while its
 * type prints, so a parameter in that type prints one of the template's
 * arguments, whose own parameters resolve in the scope outside: cost
 * (out, scan, rel) becomes the cost outside, rel parameters each
 * printing the costliest argument of the template name tmpl.
 */
static void cxx_resolve(struct cxx_cost *cost, const struct cxx_node *tmpl)
{
	cost->out = cxx_add(cost->out, cxx_mul(cost->rel, tmpl->arg_out));
	cost->scan = cxx_add(cost->scan, cxx_mul(cost->rel, tmpl->arg_scan));
	cost->rel = 0;
}

/* What a template parameter prints in the current scope. */
static const struct cxx_val *cxx_scope_val(const struct cxx *c)
{
	return &c->scope_val[c->scope];
}

/*
 * A reference to a template parameter, "R T_" or "O T_": the first time
 * one prints, the runtime saves the template stack for that parameter,
 * and every later one looks the parameter up there, whatever the scope
 * it prints in. So each costs what the parameter costs in the costliest
 * scope any reference to it is parsed or used in (ref_val, by the
 * parameter's substitution index, and bit_val for the references held in
 * substitutions). When that grows after it was used, the symbol is
 * parsed again with the larger values (c->dirty).
 */
static void cxx_ref_param(struct cxx *c, struct cxx_node *n)
{
	struct cxx_val v;
	size_t x = (size_t)n->sub;
	unsigned bit;

	if (n->sub < 0) {
		c->coarse = 1;
		return;
	}
	bit = (unsigned)(x % CXX_REF_BITS);
	if (val_raise(&c->ref_val[x], cxx_scope_val(c)) && c->ref_used[x])
		c->dirty = 1;
	v = c->ref_val[x];
	val_raise(&v, &c->bit_val[bit]);
	c->ref_used[x] = 1;
	c->bit_used[bit] = 1;
	/* the parameter prints in the saved scope, not in this one */
	n->cost.rel = n->cost.lam = 0;
	n->cost.out = cxx_add(n->cost.out, v.out);
	n->cost.scan = cxx_add(n->cost.scan, v.scan);
	n->cost.rmask |= UINT64_C(1) << bit;
}

/*
 * A substitution is used here: its template parameters resolve in this
 * scope, or print as "auto:N" in a lambda's parameters, and its
 * references to template parameters may be the first to print.
 */
static void cxx_sub_used(struct cxx *c, struct cxx_node *n)
{
	uint64_t mask = n->cost.rmask;

	if (!c->in_lambda) {
		n->cost.rel = cxx_add(n->cost.rel, n->cost.lam);
		n->cost.lam = 0;
	} else {
		n->cost.lam = cxx_add(n->cost.lam, n->cost.rel);
		n->cost.rel = 0;
	}
	while (mask) {
		unsigned bit = (unsigned)__builtin_ctzll(mask);

		mask &= mask - 1;
		if (val_raise(&c->bit_val[bit], cxx_scope_val(c)) &&
		    c->bit_used[bit])
			c->dirty = 1;
	}
}

static int cxx_type_1(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node sub;
	int p = in_peek(&c->in), q = in_peek2(&c->in), can_subst = 1;

	/* qualified types: the plain and the fully qualified are candidates */
	if (p == 'r' || p == 'V' || p == 'K' ||
	    (p == 'D' && (q == 'x' || q == 'o' || q == 'O' || q == 'w'))) {
		struct cxx_cost quals = { 0, 0, 0, 0, 0, 0 };
		int count, ret;

		if (cxx_qualifiers(c, &quals, &count))
			return -1;
		/* qualifiers before a function type apply to "this" */
		ret = in_peek(&c->in) == 'F' ? cxx_function_type(c, n) : cxx_type(c, n);
		if (ret)
			return -1;
		cost_add(&n->cost, &quals);
		n->kind = CXX_OTHER;
		n->has_ret = n->cdc = 0;
		return cxx_add_sub(c, n);
	}

	switch (p) {
	case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'g':
	case 'h': case 'i': case 'j': case 'l': case 'm': case 'n': case 'o':
	case 's': case 't': case 'v': case 'w': case 'x': case 'y': case 'z': {
		/* the longest builtin name, "unsigned long long", is 18 */
		static const char lens[] = "\013\004\004\006\013\005\012\015\003\014"
			"\000\004\015\010\021\000\000\000\005\016\000\004\007\011\022\003";

		c->in.pos++;
		node_leaf(n, 1 + (unsigned char)lens[p - 'a'], 0);
		return 0;
	}
	case 'u':
		c->in.pos++;
		if (cxx_source_name(c, n))
			return -1;
		node_wrap(n, NULL, 1, 0);
		break;
	case 'F':
		if (cxx_function_type(c, n))
			return -1;
		break;
	case 'N':
	case 'Z':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if (cxx_name(c, n))
			return -1;
		break;
	case 'A':
		if (cxx_array_type(c, n))
			return -1;
		break;
	case 'M':
		c->in.pos++;
		if (cxx_type(c, &sub) || cxx_type(c, n))
			return -1;
		/* " A::*", a parenthesis; walks the modifiers */
		node_wrap(n, &sub, 8, 1);
		break;
	case 'T':
		if (cxx_template_param(c, n))
			return -1;
		if (in_peek(&c->in) != 'I')
			break;
		/* a template template parameter with its arguments */
		if (!c->in_conversion) {
			if (cxx_add_sub(c, n) || cxx_template_args(c, &sub))
				return -1;
			node_template(n, &sub);
		} else {
			/*
			 * In a conversion operator's type the arguments may
			 * belong to the operator: the runtime parses them,
			 * keeps them if more arguments follow, else backtracks.
			 */
			size_t pos = c->in.pos, nsubs = c->nsubs;

			if (cxx_template_args(c, &sub))
				return cxx_unsure(c);
			if (in_peek(&c->in) == 'I') {
				struct cxx_node param = *n;

				if (cxx_add_sub(c, &param))
					return -1;
				node_template(n, &sub);
			} else {
				c->in.pos = pos;
				c->nsubs = nsubs;
			}
		}
		break;
	case 'S':
		if (is_digit(q) || q == '_' || is_upper(q)) {
			if (cxx_substitution(c, 0, n))
				return -1;
			if (in_peek(&c->in) != 'I')
				return 0;
			if (cxx_template_args(c, &sub))
				return -1;
			node_template(n, &sub);
		} else {
			if (cxx_name(c, n))
				return -1;
			if (n->kind == CXX_SUB_STD)
				return 0;
		}
		break;
	case 'P': case 'R': case 'O': case 'C': case 'G':
		c->in.pos++;
		if (p == 'R' || p == 'O')
			c->nref++;
		if (cxx_type(c, n))
			return -1;
		if ((p == 'R' || p == 'O') && n->kind == CXX_TPARM)
			cxx_ref_param(c, n);
		/*
		 * "*", "&&", " _Imaginary"; a reference to a template
		 * parameter looks up and saves template scopes
		 */
		node_wrap(n, NULL, 12, 1);
		n->has_ret = n->cdc = 0;
		break;
	case 'U':
		c->in.pos++;
		if (cxx_source_name(c, &sub))
			return -1;
		if (in_peek(&c->in) == 'I') {
			struct cxx_node args;

			if (cxx_template_args(c, &args))
				return -1;
			node_template(&sub, &args);
		}
		if (cxx_type(c, n))
			return -1;
		node_wrap(n, &sub, 4, 0);
		n->has_ret = n->cdc = 0;
		break;
	case 'D':
		c->in.pos += 2;
		can_subst = 0;
		switch (q) {
		case 'T':
		case 't':
			if (cxx_expression(c, n) || in_next(&c->in) != 'E')
				return -1;
			node_wrap(n, NULL, 12, 0);
			can_subst = 1;
			break;
		case 'p':
			if (cxx_type(c, n))
				return -1;
			cxx_pack_expansion(c, n);
			can_subst = 1;
			break;
		case 'a': case 'c': case 'f': case 'd': case 'e': case 'h':
		case 'u': case 's': case 'i': case 'n':
			/* "decltype(nullptr)" is the longest */
			node_leaf(n, 18, 0);
			if (q == 'n')
				n->kind = CXX_NULLPTR;
			break;
		case 'F':
			/* fixed point: DF [<number>] <type> <number> <s|n> */
			if (is_digit(in_peek(&c->in)))
				cxx_number(c);
			if (cxx_type(c, n))
				return -1;
			cxx_number(c);
			in_next(&c->in);
			node_wrap(n, NULL, 14, 0);
			break;
		case 'v':
			if (cxx_vector_type(c, n))
				return -1;
			can_subst = 1;
			break;
		default:
			return -1;
		}
		n->kind = q == 'n' ? CXX_NULLPTR : CXX_OTHER;
		n->has_ret = n->cdc = 0;
		break;
	default:
		return -1;
	}
	if (n->kind != CXX_NULLPTR && n->kind != CXX_TPARM)
		n->kind = CXX_OTHER;
	return can_subst ? cxx_add_sub(c, n) : 0;
}

static int cxx_type(struct cxx *c, struct cxx_node *n)
{
	if (cxx_enter(c))
		return -1;
	return cxx_leave(c, cxx_type_1(c, n));
}

/* <template-arg>: a type, X <expression> E, L <literal> E or a pack. */
static int cxx_expr_primary(struct cxx *c, struct cxx_node *n);

static int cxx_template_arg(struct cxx *c, struct cxx_node *n)
{
	switch (in_peek(&c->in)) {
	case 'X':
		c->in.pos++;
		return cxx_expression(c, n) || !in_eat(&c->in, 'E') ? -1 : 0;
	case 'L':
		return cxx_expr_primary(c, n);
	case 'I':
	case 'J':
		return cxx_template_args(c, n);
	default:
		return cxx_type(c, n);
	}
}

/* <template-arg>* E (after I or J): "<a, b>" */
static int cxx_template_args1_1(struct cxx *c, struct cxx_node *n)
{
	struct cxx_cost max = { 0, 0, 0, 0, 0, 0 };
	int had = c->have_last_name;
	size_t count = 0;

	node_leaf(n, 1, 0);
	if (in_eat(&c->in, 'E'))
		return 0;
	do {
		struct cxx_node arg;

		if (cxx_template_arg(c, &arg))
			return -1;
		cxx_template_arg_seen(c, &arg.cost);
		node_wrap(n, &arg, 3, 0);
		if (arg.cost.out > max.out)
			max.out = arg.cost.out;
		if (arg.cost.scan > max.scan)
			max.scan = arg.cost.scan;
		if (arg.cost.rel > max.rel)
			max.rel = arg.cost.rel;
		count++;
	} while (!in_eat(&c->in, 'E'));
	/* arguments do not change the name a constructor repeats */
	c->have_last_name = had;
	if (count > c->max_list)
		c->max_list = count;
	n->has_ret = n->cdc = 0;
	n->arg_out = max.out;
	n->arg_scan = max.scan;
	n->arg_rel = max.rel;
	return 0;
}

static int cxx_template_args1(struct cxx *c, struct cxx_node *n)
{
	if (cxx_enter(c))
		return -1;
	return cxx_leave(c, cxx_template_args1_1(c, n));
}

static int cxx_template_args(struct cxx *c, struct cxx_node *n)
{
	if (in_peek(&c->in) != 'I' && in_peek(&c->in) != 'J')
		return -1;
	c->in.pos++;
	return cxx_template_args1(c, n);
}

/* <expression>* up to term: "a, b" */
static int cxx_exprlist(struct cxx *c, int term, struct cxx_node *n)
{
	node_leaf(n, 1, 0);
	if (in_eat(&c->in, term))
		return 0;
	do {
		struct cxx_node e;

		if (cxx_expression(c, &e))
			return -1;
		node_wrap(n, &e, 3, 0);
	} while (!in_eat(&c->in, term));
	return 0;
}

/* L <type> [n] <value> E, L <mangled-name> E, or LDnE. */
static int cxx_expr_primary(struct cxx *c, struct cxx_node *n)
{
	if (!in_eat(&c->in, 'L'))
		return -1;
	if (in_peek(&c->in) == '_' || in_peek(&c->in) == 'Z') {
		/* a nested mangled name: "_Z" (or a bare "Z") <encoding> */
		in_eat(&c->in, '_');
		if (!in_eat(&c->in, 'Z') || cxx_encoding(c, n))
			return -1;
	} else {
		size_t start;

		if (cxx_type(c, n))
			return -1;
		if (n->kind == CXX_NULLPTR && in_eat(&c->in, 'E'))
			return 0;
		in_eat(&c->in, 'n');
		start = c->in.pos;
		while (in_peek(&c->in) != 'E') {
			if (c->in.pos >= c->in.len)
				return -1;
			c->in.pos++;
		}
		/* "(type)-value", "[value]" for floats, "ull" */
		node_wrap(n, NULL, 12 + c->in.pos - start, 0);
		n->kind = CXX_OTHER;
		n->has_ret = n->cdc = 0;
	}
	return in_eat(&c->in, 'E') ? 0 : -1;
}

/*
 * sr <type> <name>, sr <prefix> E <name> (the C++11 syntax, tried first
 * when unresolved_new: the runtime parses the whole symbol again the old
 * way when that fails, and so does cxx_estimate()).
 */
static int cxx_unresolved_name(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node name;
	int p;

	c->in.pos += 2;
	p = in_peek(&c->in);
	if (c->unresolved_new &&
	    (is_digit(p) || is_lower(p) || p == 'C' || p == 'U' || p == 'L')) {
		c->unresolved_tried = 1;
		if (cxx_prefix(c, 0, n))
			return -1;
		in_eat(&c->in, 'E');
	} else if (cxx_type(c, n)) {
		return -1;
	}
	if (cxx_unqualified_name(c, &name))
		return -1;
	if (in_peek(&c->in) == 'I') {
		struct cxx_node args;

		if (cxx_template_args(c, &args))
			return -1;
		node_template(&name, &args);
	}
	node_qual(n, &name);
	return 0;
}

/* Add an operator node's cost (printed twice by a binary fold). */
static void cxx_operands(struct cxx_node *n, const struct cxx_node *op,
			 const struct cxx_node *a, const struct cxx_node *b,
			 const struct cxx_node *d, uint64_t out)
{
	node_leaf(n, out, 0);
	cost_add(&n->cost, &op->cost);
	if (a)
		cost_add(&n->cost, &a->cost);
	if (b)
		cost_add(&n->cost, &b->cost);
	if (d)
		cost_add(&n->cost, &d->cost);
}

static int cxx_expression1_1(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node op, a, b, d;
	struct cxx_op info;
	int p = in_peek(&c->in), q = in_peek2(&c->in);

	if (p == 'L')
		return cxx_expr_primary(c, n);
	if (p == 'T')
		return cxx_template_param(c, n);
	if (p == 's' && q == 'r')
		return cxx_unresolved_name(c, n);
	if (p == 's' && q == 'p') {
		c->in.pos += 2;
		if (cxx_expression1(c, n))
			return -1;
		cxx_pack_expansion(c, n);
		return 0;
	}
	if (p == 'f' && q == 'p') {
		/* "this" or "{parm#N}" */
		c->in.pos += 2;
		if (!in_eat(&c->in, 'T')) {
			long k = cxx_compact_number(c);

			if (k < 0 || k >= INT_MAX)
				return -1;
		}
		node_leaf(n, 19, 0);
		return 0;
	}
	if (is_digit(p) || (p == 'o' && q == 'n')) {
		if (p == 'o')
			c->in.pos += 2;
		if (cxx_unqualified_name(c, n))
			return -1;
		if (in_peek(&c->in) == 'I') {
			if (cxx_template_args(c, &a))
				return -1;
			node_template(n, &a);
		}
		return 0;
	}
	if ((p == 'i' || p == 't') && q == 'l') {
		/* [type]{a, b} */
		node_leaf(&a, 0, 0);
		c->in.pos += 2;
		if (p == 't' && cxx_type(c, &a))
			return cxx_unsure(c);
		if (!in_peek(&c->in) || !in_peek2(&c->in) || cxx_exprlist(c, 'E', n))
			return -1;
		node_wrap(n, &a, 4, 0);
		return 0;
	}
	if (p == 'u') {
		/* vendor expression: name(args) */
		c->in.pos++;
		if (cxx_source_name(c, &a) || cxx_template_args1(c, n))
			return -1;
		node_wrap(n, &a, 4, 0);
		return 0;
	}

	if (cxx_operator(c, &op, &info))
		return -1;
	if (info.kind == CXX_OP && !strcmp(info.code, "st")) {
		/* sizeof (type) */
		if (cxx_type(c, &a))
			return -1;
		cxx_operands(n, &op, &a, NULL, NULL, 8);
		return 0;
	}
	if (info.kind == CXX_OP_CONV)
		return -1;
	switch (info.args) {
	case 0:
		cxx_operands(n, &op, NULL, NULL, NULL, 2);
		return 0;
	case 1: {
		int pre = info.code[0] && strchr("pm", info.code[0]) &&
			  info.code[1] == info.code[0];
		int postfix = pre && !in_eat(&c->in, '_');
		int ret;

		if (info.kind == CXX_OP_CAST && in_eat(&c->in, '_'))
			ret = cxx_exprlist(c, 'E', &a);
		else if (!strcmp(info.code, "sP"))
			ret = cxx_template_args1(c, &a);
		else
			ret = cxx_expression1(c, &a);
		if (ret)
			return -1;
		/* a postfix x++ holds x twice: walks visit it twice */
		cxx_operands(n, &op, &a, postfix ? &a : NULL, NULL, 10);
		return 0;
	}
	case 2:
		if (info.kind != CXX_OP)
			return -1;
		if (info.code[1] == 'c' && strchr("sdcr", info.code[0])) {
			if (cxx_type(c, &a))
				return -1;
		} else if (info.code[0] == 'f') {
			struct cxx_op fold;

			/* fold: the operator is printed twice */
			if (cxx_operator(c, &a, &fold))
				return -1;
			cost_mul(&a.cost, 2);
		} else if (!strcmp(info.code, "di")) {
			if (cxx_unqualified_name(c, &a))
				return -1;
		} else if (cxx_expression1(c, &a)) {
			return -1;
		}
		if (!strcmp(info.code, "cl")) {
			if (cxx_exprlist(c, 'E', &b))
				return -1;
		} else if ((!strcmp(info.code, "dt") || !strcmp(info.code, "pt")) &&
			   !((in_peek(&c->in) == 'g' && in_peek2(&c->in) == 's') ||
			     (in_peek(&c->in) == 's' && in_peek2(&c->in) == 'r'))) {
			if (cxx_unqualified_name(c, &b))
				return -1;
			if (in_peek(&c->in) == 'I') {
				if (cxx_template_args(c, &d))
					return -1;
				node_template(&b, &d);
			}
		} else if (cxx_expression1(c, &b)) {
			return -1;
		}
		cxx_operands(n, &op, &a, &b, NULL, 24);
		return 0;
	case 3:
		if (info.kind != CXX_OP)
			return -1;
		if (!strcmp(info.code, "qu") || !strcmp(info.code, "dX")) {
			if (cxx_expression1(c, &a) || cxx_expression1(c, &b) ||
			    cxx_expression1(c, &d))
				return -1;
		} else if (info.code[0] == 'f') {
			struct cxx_op fold;

			if (cxx_operator(c, &a, &fold))
				return -1;
			cost_mul(&a.cost, 2);
			if (cxx_expression1(c, &b) || cxx_expression1(c, &d))
				return -1;
		} else if (info.code[0] == 'n' &&
			   (info.code[1] == 'w' || info.code[1] == 'a')) {
			/* new (placement) type (init) */
			if (cxx_exprlist(c, '_', &a) || cxx_type(c, &b))
				return -1;
			node_leaf(&d, 0, 0);
			if (in_eat(&c->in, 'E')) {
				/* no initializer */
			} else if (in_peek(&c->in) == 'p' && in_peek2(&c->in) == 'i') {
				c->in.pos += 2;
				if (cxx_exprlist(c, 'E', &d))
					return -1;
			} else if (in_peek(&c->in) == 'i' && in_peek2(&c->in) == 'l') {
				if (cxx_expression1(c, &d))
					return -1;
			} else {
				return -1;
			}
		} else {
			return -1;
		}
		cxx_operands(n, &op, &a, &b, &d, 24);
		return 0;
	default:
		return -1;
	}
}

static int cxx_expression1(struct cxx *c, struct cxx_node *n)
{
	if (cxx_enter(c))
		return -1;
	if (cxx_leave(c, cxx_expression1_1(c, n)))
		return -1;
	n->kind = CXX_OTHER;
	n->has_ret = n->cdc = 0;
	return 0;
}

static int cxx_expression(struct cxx *c, struct cxx_node *n)
{
	int was = c->in_expression, ret;

	c->in_expression = 1;
	ret = cxx_expression1(c, n);
	c->in_expression = was;
	return ret;
}

/*
 * <prefix> up to (not including) the E of a nested name: each component
 * and each component with its template arguments is a candidate, unless
 * it is the last one, came from a substitution or !subst.
 */
static int cxx_prefix_1(struct cxx *c, int subst, struct cxx_node *n)
{
	int have = 0;

	for (;;) {
		struct cxx_node d;
		int p = in_peek(&c->in), ret, is_args = 0;

		if (p == 'D' && (in_peek2(&c->in) == 'T' || in_peek2(&c->in) == 't')) {
			ret = cxx_type(c, &d);
		} else if (is_digit(p) || is_lower(p) || p == 'C' || p == 'D' ||
			   p == 'U' || p == 'L') {
			ret = cxx_unqualified_name(c, &d);
		} else if (p == 'S') {
			ret = cxx_substitution(c, 1, &d);
		} else if (p == 'I') {
			if (!have)
				return -1;
			is_args = 1;
			ret = cxx_template_args(c, &d);
		} else if (p == 'T') {
			ret = cxx_template_param(c, &d);
		} else if (p == 'E') {
			return have ? 0 : -1;
		} else if (p == 'M') {
			/* a lambda's initializer scope: nothing to print */
			if (!have)
				return -1;
			c->in.pos++;
			continue;
		} else {
			return -1;
		}
		if (ret) {
			/*
			 * The runtime drops the prefix so far and goes on
			 * when no substitution is added at this point.
			 */
			if (p == 'S' || !subst)
				return cxx_unsure(c);
			return -1;
		}
		if (!have)
			*n = d;
		else if (is_args)
			node_template(n, &d);
		else
			node_qual(n, &d);
		have = 1;
		if (p != 'S' && in_peek(&c->in) != 'E' && subst && cxx_add_sub(c, n))
			return -1;
	}
}

static int cxx_prefix(struct cxx *c, int subst, struct cxx_node *n)
{
	if (cxx_enter(c))
		return -1;
	return cxx_leave(c, cxx_prefix_1(c, subst, n));
}

/* N [<qualifiers>] [R | O] <prefix> E */
static int cxx_nested_name(struct cxx *c, struct cxx_node *n)
{
	struct cxx_cost quals = { 0, 0, 0, 0, 0, 0 };
	int count, ref = 0;

	c->in.pos++;
	if (cxx_qualifiers(c, &quals, &count))
		return -1;
	if (in_peek(&c->in) == 'R' || in_peek(&c->in) == 'O') {
		c->in.pos++;
		ref = 1;
	}
	if (cxx_prefix(c, 1, n) || !in_eat(&c->in, 'E'))
		return -1;
	if (count || ref) {
		/* qualifiers of "this": has_ret passes through them */
		cost_add(&n->cost, &quals);
		node_wrap_name(n, NULL, 4 * (uint64_t)ref);
		n->cdc = 0;
	}
	return 0;
}

/* Z <encoding> E <entity> [<discriminator>], also E s and E d <n> _ */
static int cxx_local_name(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node fn;
	long arg = -1;

	c->in.pos++;
	if (cxx_encoding(c, &fn) || !in_eat(&c->in, 'E'))
		return -1;
	if (in_eat(&c->in, 's')) {
		if (cxx_discriminator(c))
			return -1;
		node_leaf(n, 15, 0);
	} else {
		if (in_eat(&c->in, 'd')) {
			/* default argument scope */
			arg = cxx_compact_number(c);
			if (arg < 0)
				return -1;
		}
		if (cxx_name(c, n))
			return arg >= 0 ? cxx_unsure(c) : -1;
		if (n->kind != CXX_LAMBDA && n->kind != CXX_UNNAMED &&
		    cxx_discriminator(c))
			return -1;
		if (arg >= 0) {
			node_wrap_name(n, NULL, 28);
			n->has_ret = n->cdc = 0;
		}
	}
	/* the encoding's type sees the entity's template arguments */
	node_wrap_name(n, &fn, 3);
	return 0;
}

static int cxx_name_1(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node args;
	int from_sub = 0;

	switch (in_peek(&c->in)) {
	case 'N':
		return cxx_nested_name(c, n);
	case 'Z':
		return cxx_local_name(c, n);
	case 'U':
		return cxx_unqualified_name(c, n);
	case 'S':
		if (in_peek2(&c->in) != 't') {
			if (cxx_substitution(c, 0, n))
				return -1;
			from_sub = 1;
		} else {
			c->in.pos += 2;
			if (cxx_unqualified_name(c, n))
				return -1;
			/* std::name */
			node_wrap(n, NULL, 7, 0);
			n->has_ret = 0;
		}
		break;
	default:
		if (cxx_unqualified_name(c, n))
			return -1;
	}
	if (in_peek(&c->in) != 'I')
		return 0;
	if ((!from_sub && cxx_add_sub(c, n)) || cxx_template_args(c, &args))
		return -1;
	node_template(n, &args);
	return 0;
}

static int cxx_name(struct cxx *c, struct cxx_node *n)
{
	if (cxx_enter(c))
		return -1;
	return cxx_leave(c, cxx_name_1(c, n));
}

/* h <number> _ or v <number> _ <number> _ (ch: the letter, or 0: read it) */
static int cxx_call_offset(struct cxx *c, int ch)
{
	if (!ch)
		ch = in_next(&c->in);
	if (ch != 'h' && ch != 'v')
		return -1;
	cxx_number(c);
	if (ch == 'v') {
		if (!in_eat(&c->in, '_'))
			return -1;
		cxx_number(c);
	}
	return in_eat(&c->in, '_') ? 0 : -1;
}

/* T... and G... names: vtables, typeinfo, thunks, guard variables. */
static int cxx_special_name(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node sub;
	int ch = in_next(&c->in), what = in_next(&c->in);

	if (ch == 'T') {
		switch (what) {
		case 'V': case 'T': case 'I': case 'S': case 'F': case 'J':
			if (cxx_type(c, n))
				return -1;
			break;
		case 'h':
		case 'v':
			if (cxx_call_offset(c, what) || cxx_encoding(c, n))
				return -1;
			break;
		case 'c':
			if (cxx_call_offset(c, 0) || cxx_call_offset(c, 0) ||
			    cxx_encoding(c, n))
				return -1;
			break;
		case 'C':
			/* construction vtable for base-in-derived */
			if (cxx_type(c, &sub) || cxx_number(c) < 0 ||
			    !in_eat(&c->in, '_') || cxx_type(c, n))
				return -1;
			node_wrap(n, &sub, 0, 0);
			break;
		case 'H':
		case 'W':
			if (cxx_name(c, n))
				return -1;
			break;
		case 'A':
			if (cxx_template_arg(c, n))
				return -1;
			break;
		default:
			return -1;
		}
	} else {
		switch (what) {
		case 'V':
			if (cxx_name(c, n))
				return -1;
			break;
		case 'R':
			/* reference temporary #N for name */
			if (cxx_name(c, n))
				return -1;
			cxx_number(c);
			break;
		case 'A':
			if (cxx_encoding(c, n))
				return -1;
			break;
		case 'T':
			in_next(&c->in);
			if (cxx_encoding(c, n))
				return -1;
			break;
		case 'r':
			/* a Java resource: not followed here */
			return cxx_unsure(c);
		default:
			return -1;
		}
	}
	/* "construction vtable for ", "-in-", "reference temporary #N for " */
	node_wrap(n, NULL, 48, 0);
	n->has_ret = n->cdc = 0;
	n->kind = CXX_OTHER;
	return 0;
}

/* <encoding>: a function name and its type, a data name, a special name. */
static int cxx_encoding_1(struct cxx *c, struct cxx_node *n)
{
	struct cxx_node type;
	unsigned outer = c->scope;
	int p = in_peek(&c->in), ret;

	if (p == 'G' || p == 'T')
		return cxx_special_name(c, n);
	if (cxx_name(c, n))
		return -1;
	p = in_peek(&c->in);
	if (!p || p == 'E')
		return 0;
	/* a function template's type sees its template arguments */
	if (n->tmpl) {
		struct cxx_val *v;

		if (c->nscopes + 1 > c->in.len)
			return -1;
		if (c->nscopes + 1 >= c->cap)
			cxx_grow(c);
		c->scope = ++c->nscopes;
		v = &c->scope_val[c->scope];
		v->out = n->arg_out;
		v->scan = n->arg_scan;
		/*
		 * Arguments that print parameters of an outer template; a
		 * function template in a lambda's parameters, whose own may
		 * print outside it.
		 */
		if (n->arg_rel || c->in_lambda)
			c->coarse = 1;
	}
	ret = cxx_bare_function_type(c, n->has_ret, &type);
	c->scope = outer;
	if (ret)
		return -1;
	if (n->tmpl)
		cxx_resolve(&type.cost, n);
	/* the name goes inside the type; qualifiers of "this" after it */
	node_wrap(n, &type, 6, 0);
	n->has_ret = n->cdc = 0;
	return 0;
}

static int cxx_encoding(struct cxx *c, struct cxx_node *n)
{
	if (cxx_enter(c))
		return -1;
	if (cxx_leave(c, cxx_encoding_1(c, n)))
		return -1;
	n->kind = CXX_OTHER;
	return 0;
}

/* _Z <encoding> [.clone-suffix]...: the whole symbol. */
static int cxx_mangled_name(struct cxx *c, struct cxx_node *n)
{
	if (!in_eat(&c->in, '_') || !in_eat(&c->in, 'Z') || cxx_encoding(c, n))
		return -1;
	while (in_peek(&c->in) == '.' && (is_lower(in_peek2(&c->in)) ||
				      is_digit(in_peek2(&c->in)) || in_peek2(&c->in) == '_')) {
		/* " [clone .cold.1]": .name then .digits */
		size_t start = c->in.pos;

		c->in.pos += 2;
		while (is_lower(in_peek(&c->in)) || is_digit(in_peek(&c->in)) ||
		       in_peek(&c->in) == '_')
			c->in.pos++;
		while (in_peek(&c->in) == '.' && is_digit(in_peek2(&c->in))) {
			c->in.pos += 2;
			while (is_digit(in_peek(&c->in)))
				c->in.pos++;
		}
		node_wrap(n, NULL, 11 + c->in.pos - start, 0);
	}
	return c->in.pos == c->in.len ? 0 : -1;
}

/*
 * The coarse bound, for symbols where scopes do not tell which template
 * a parameter is looked up in (cxx->coarse): a template parameter may
 * print the costliest template argument of the symbol, whose own
 * parameters print arguments in turn. The runtime
 * looks a parameter up on a stack of templates and pops it while
 * printing the argument; a component is never printed inside itself
 * more than twice, so one printing path resolves at most two
 * parameters per template parameter and per reference parsed (a
 * reference to a parameter looks it up itself), and the iteration
 * stops there.
 */
static void cxx_tparm_cost(struct cxx *c, struct cxx_cost *tp)
{
	uint64_t rounds = 2 * ((uint64_t)c->ntparm + c->nref) + 2, maxmul = 0, k;
	size_t i;

	tp->out = c->targ_out;
	tp->scan = c->targ_scan;
	tp->tparm = 0;
	for (i = 0; i < c->ntargs; i++) {
		if (c->targs[i].tparm > maxmul)
			maxmul = c->targs[i].tparm;
		if (c->targs[i].out > tp->out)
			tp->out = c->targs[i].out;
		if (c->targs[i].scan > tp->scan)
			tp->scan = c->targs[i].scan;
	}
	if (maxmul == 0)
		return;
	if (maxmul == 1) {
		/* each round adds at most the costliest argument */
		tp->out = cxx_mul(tp->out, rounds);
		tp->scan = cxx_mul(tp->scan, rounds);
		return;
	}
	/* more than doubles each round: saturates within 64 rounds */
	for (k = 1; k < rounds && tp->out < CXX_SAT; k++) {
		struct cxx_cost next = { c->targ_out, c->targ_scan, 0, 0, 0, 0 };

		for (i = 0; i < c->ntargs; i++) {
			uint64_t o = cxx_add(c->targs[i].out,
					     cxx_mul(c->targs[i].tparm, tp->out));
			uint64_t s = cxx_add(c->targs[i].scan,
					     cxx_mul(c->targs[i].tparm, tp->scan));

			if (o > next.out)
				next.out = o;
			if (s > next.scan)
				next.scan = s;
		}
		if (next.out == tp->out && next.scan == tp->scan)
			break;
		*tp = next;
	}
}

/* One parse of the symbol; fills c->total. */
static enum cxx_status cxx_run(struct cxx *c, int unresolved_new, size_t pack_len)
{
	struct cxx_node n;

	node_leaf(&n, 0, 0);
	c->in.pos = 0;
	c->depth = 0;
	c->status = CXX_OK;
	c->in_expression = c->in_conversion = 0;
	c->unresolved_new = unresolved_new;
	c->unresolved_tried = 0;
	c->have_last_name = 0;
	c->max_name = 0;
	c->nsubs = 0;
	c->ntargs = 0;
	c->targ_out = c->targ_scan = 0;
	c->max_list = 0;
	c->pack_len = pack_len;
	c->pack_low = 0;
	c->packs = 0;
	c->ntparm = 0;
	c->nref = 0;
	c->scope = c->nscopes = 0;
	c->in_lambda = 0;
	c->dirty = 0;
	c->coarse = 0;
	memset(c->bit_used, 0, sizeof(c->bit_used));
	memset(&c->scope_val[0], 0, sizeof(c->scope_val[0]));
	if (cxx_mangled_name(c, &n) && c->status == CXX_OK)
		c->status = CXX_INVALID;
	c->total = n.cost;
	return c->status;
}

/*
 * Parse, and again with the pack length known when a pack expansion came
 * before the longest argument list, with the template arguments recorded
 * when the coarse bound is needed, and while the cost of a reference
 * to a template parameter grew after it was used. A reference prints
 * its parameter's argument, which may hold references printing theirs,
 * and so on, but never through the same parameter more than twice on one
 * printing path: the values found after 2 * (parameters) + 2 parses
 * bound the costs even when they still grow.
 */
static enum cxx_status cxx_run_packs(struct cxx *c, int unresolved_new)
{
	size_t pack_len = 0, round = 0;
	enum cxx_status st;

	for (;;) {
		st = cxx_run(c, unresolved_new, pack_len);
		if (st != CXX_OK)
			return st;
		if (c->packs && c->pack_low < c->max_list && pack_len != c->max_list)
			pack_len = c->max_list;
		else if (c->coarse && !c->record_args)
			c->record_args = 1;
		else if (!c->dirty || ++round > 2 * c->ntparm + 2)
			return st;
	}
}

/*
 * Price the template parameters; COSTLY when over a cap. Parameters left
 * unresolved at the top print nothing: the runtime stops at the first
 * one it cannot look up.
 */
static enum cxx_status cxx_finish(struct cxx *c, uint64_t *bound)
{
	uint64_t out = c->total.out, scan = c->total.scan, walk_bound;

	if (c->coarse) {
		struct cxx_cost tp;

		cxx_tparm_cost(c, &tp);
		out = cxx_add(out, cxx_mul(c->total.tparm, tp.out));
		scan = cxx_add(scan, cxx_mul(c->total.tparm, tp.scan));
	}
	/*
	 * The walks of one visit: the printing recursion (each of the at
	 * most 2 * len components is on it at most twice), the saved scopes
	 * (two per reference), an argument list, the modifier stack (two per
	 * modifier) three times over: 8 * len covers them.
	 */
	walk_bound = 8 * (uint64_t)c->in.len + 16;
	*bound = out;
	if (out > DEMANGLE_MAX_OUTPUT || cxx_mul(scan, walk_bound) > CXX_MAX_SCAN)
		return CXX_COSTLY;
	return CXX_OK;
}

/*
 * Bound what __cxa_demangle() costs on sym (len bytes: the runtime is
 * given them NUL-terminated): CXX_OK with *bound set (it prints fewer
 * bytes), CXX_COSTLY, or CXX_INVALID / CXX_UNSURE when the symbol could
 * not be followed.
 */
static enum cxx_status cxx_estimate(const char *sym, size_t len, uint64_t *bound)
{
	struct cxx_node subs[CXX_STACK_ENTRIES];
	struct cxx_val scope_val[CXX_STACK_ENTRIES], ref_val[CXX_STACK_ENTRIES];
	unsigned char ref_used[CXX_STACK_ENTRIES];
	struct cxx c = {
		.in = { .s = sym, .len = len }, .subs = subs, .scope_val = scope_val,
		.ref_val = ref_val, .ref_used = ref_used,
		.cap = CXX_STACK_ENTRIES,
	};
	enum cxx_status st;

	*bound = 0;
	st = cxx_run_packs(&c, 1);
	if (st == CXX_OK)
		st = cxx_finish(&c, bound);
	/*
	 * The runtime reads "sr" the old way when the new way fails. Take
	 * the costlier of the two when both parse: which one the runtime
	 * keeps depends on its parse failing, which ours only mirrors.
	 */
	if (c.unresolved_tried && (st == CXX_OK || st == CXX_INVALID)) {
		enum cxx_status old_way = cxx_run_packs(&c, 0);
		uint64_t b = 0;

		if (old_way == CXX_OK)
			old_way = cxx_finish(&c, &b);
		if (st != CXX_OK || old_way == CXX_COSTLY)
			st = old_way;
		if (b > *bound)
			*bound = b;
	}
	free(c.heap);
	free(c.targs);
	return st;
}

/* Where a C++ symbol's ".llvm.<digits>" (ThinLTO) suffix starts, or len. */
static size_t cxx_llvm_suffix(const char *sym, size_t len)
{
	const char *s = len > 6 ? memmem(sym, len, ".llvm.", 6) : NULL;

	if (s && s[6] && strspn(s + 6, "0123456789") == strlen(s + 6))
		return (size_t)(s - sym);
	return len;
}

/*
 * Whether the runtime's work on s is small without our estimate: only
 * references repeat anything (substitutions, template parameters); pack
 * expansions, postfix operators and conversion operators (backtracking)
 * multiply; and in an unresolved name ("sr") a prefix component that
 * fails without reading anything makes the runtime loop forever
 * ("_Z1fDTsr1fDx"). Without them the work is linear, but for constructor
 * and destructor names, each printing the class name again: quadratic,
 * under DEMANGLE_MAX_OUTPUT up to CXX_LINEAR_MAX bytes (GCC's runtime
 * refuses longer symbols anyway). The codes may occur inside names too:
 * this errs on the side of "no".
 */
static int cxx_is_linear(const char *s, size_t len)
{
	const char *end = s + len, *p;

	if (len > CXX_LINEAR_MAX)
		return 0;
	/* by the first letter of each code */
	for (p = s; p + 1 < end; p++) {
		int q = p[1];

		switch (*p) {
		case 'S':
			if (q == '_' || is_digit(q) || is_upper(q))
				return 0;
			break;
		case 'T':
			if (q == '_' || is_digit(q))
				return 0;
			break;
		case 'D':
		case 'p':
			if (q == 'p')
				return 0;
			break;
		case 's':
			if (q == 'p' || q == 'r')
				return 0;
			break;
		case 'm':
			if (q == 'm')
				return 0;
			break;
		case 'c':
			if (q == 'v')
				return 0;
			break;
		}
	}
	return 1;
}

int demangle_cxx_bound(const char *sym, uint64_t *bound)
{
	size_t len = strlen(sym);

	switch (cxx_estimate(sym, cxx_llvm_suffix(sym, len), bound)) {
	case CXX_OK:
		return 0;
	case CXX_COSTLY:
		return 1;
	case CXX_INVALID:
		return -1;
	default:
		return -2;
	}
}

/* ---------------------------------------------------------------- */
/* C++: a function template's return type, left out                 */
/* ---------------------------------------------------------------- */

/*
 * The mangling holds a function's return type for templates only, and
 * __cxa_demangle() prints it before the name ("void ns::f<int>(int)",
 * "int* g<A>()"), or around it when the function returns a pointer or a
 * reference to a function or an array ("void (*fp<char>())(int)",
 * "int (&a<int>()) [4]"). It is cut out of the printed name here (why:
 * demangle.h), by a scanner of the printed form that knows how the
 * runtime prints: it follows (), [], {} and <> (a '<' opens template
 * arguments only right after a name; in an expression it compares:
 * "I<(3)<(2)>"), takes "operator<", "operator()", "operator new" and
 * the like as one name, reads a name's components back from its
 * parameter list ("ns::f<int>(int)::{lambda()#1}::operator()<long>"),
 * and keeps the string whole whenever anything has a shape it does not
 * know, so that a name is never cut. It is linear in the output; names
 * without a '<', and those whose parameter list does not follow a '>' or
 * a ')' (cxxret_maybe()), are not scanned at all.
 */

/* Tokens of one bracket level of a printed name. */
enum cxxret_kind {
	CXXRET_WORD,	/* identifier or keyword, "~Dtor" */
	CXXRET_OP,	/* "operator" and its symbol: "operator<<", "operator new" */
	CXXRET_CONV,	/* "operator" and a conversion type, up to its '(' */
	CXXRET_SCOPE,	/* "::" */
	CXXRET_SPACE,
	CXXRET_PUNCT,	/* any other character: '*', '&', ',', ... */
	CXXRET_PAREN,	/* a whole group, brackets included: (...) */
	CXXRET_ANGLE,	/* <...> */
	CXXRET_SQUARE,	/* [...] */
	CXXRET_BRACE,	/* {...} */
};

struct cxxret_tok {
	size_t start, end;	/* [start, end) in the printed name */
	enum cxxret_kind kind;
};

/* Tokens of one level followed; a name with more is kept whole. */
#define CXXRET_MAX_TOKS 128
/* Bracket nesting followed inside one group. */
#define CXXRET_MAX_NEST 512
/* Levels of "(*...)" around a name (pointers to functions returning ...). */
#define CXXRET_MAX_LEVELS 8

struct cxxret_toks {
	struct cxxret_tok t[CXXRET_MAX_TOKS];
	int n;
};

static int is_ident(int c)
{
	return (unsigned)((c | 0x20) - 'a') < 26 || (unsigned)(c - '0') < 10 ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static int cxxret_at(const char *s, size_t i, size_t e, const char *w)
{
	size_t n = strlen(w);

	return e - i >= n && !memcmp(s + i, w, n);
}

/*
 * s[i] is just after the word "operator": return the end of the
 * operator's name, a symbol ("<<=", "()", ...), " new", " delete" (maybe
 * with "[]"), " co_await" or a literal operator's "\"\" _x". A
 * conversion operator (a type follows) returns i and sets *conv.
 */
static size_t cxxret_operator_end(const char *s, size_t i, size_t e, int *conv)
{
	static const char *const symbols[] = {
		"<<=", ">>=", "<=>", "->*", "<<", ">>", "<=", ">=", "->", "()",
		"[]", "==", "!=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=",
		"%=", "&=", "|=", "^=", "<", ">", "+", "-", "*", "/", "%", "^",
		"&", "|", "~", "!", "=", ",",
	};
	static const char *const words[] = {
		" new[]", " delete[]", " new", " delete", " co_await",
	};
	size_t k, n;

	*conv = 0;
	for (k = 0; k < ARRAY_SIZE(symbols); k++)
		if (cxxret_at(s, i, e, symbols[k]))
			return i + strlen(symbols[k]);
	for (k = 0; k < ARRAY_SIZE(words); k++) {
		n = strlen(words[k]);
		if (cxxret_at(s, i, e, words[k]) &&
		    (i + n == e || (!is_ident(s[i + n]) && s[i + n] != '[')))
			return i + n;
	}
	if (cxxret_at(s, i, e, "\"\"")) {
		i += 2;
		if (i < e && s[i] == ' ')
			i++;
		while (i < e && is_ident(s[i]))
			i++;
		return i;
	}
	*conv = 1;
	return i;
}

/*
 * The end of the word at s[i] (an identifier; '~' may start a
 * destructor's), or of "operator" and its symbol (*op set, and *conv for
 * a conversion operator, whose type is not included).
 */
static size_t cxxret_word_end(const char *s, size_t i, size_t e, int *op, int *conv)
{
	size_t j = i + (s[i] == '~');

	*op = *conv = 0;
	while (j < e && is_ident(s[j]))
		j++;
	if (j - i == 8 && !memcmp(s + i, "operator", 8)) {
		*op = 1;
		return cxxret_operator_end(s, j, e, conv);
	}
	return j;
}

static int cxxret_word_start(const char *s, size_t i, size_t e)
{
	return is_ident(s[i]) || (s[i] == '~' && i + 1 < e && is_ident(s[i + 1]));
}

/*
 * Whether a '<' at i opens template arguments: right after a name
 * (name_end: just past an identifier, an operator's symbol or an ABI
 * tag's ']'), or one space after an operator ("operator< <int>").
 */
static int cxxret_opens(const char *s, size_t i, size_t name_end, size_t op_end)
{
	return i == name_end || (op_end < i && i == op_end + 1 && s[op_end] == ' ');
}

/*
 * s[i] opens a group: return the index just past the bracket that
 * closes it, or 0 when brackets do not match in s[i, e) or nest deeper
 * than CXXRET_MAX_NEST. Inside parentheses a '>' that closes nothing is
 * an operator ("((3)>(2))"); elsewhere it means the scan went wrong.
 */
static size_t cxxret_group_end(const char *s, size_t i, size_t e)
{
	char stack[CXXRET_MAX_NEST];
	size_t depth = 0, name_end = SIZE_MAX, op_end = SIZE_MAX;
	int op, conv;

	stack[depth++] = s[i++];
	while (i < e) {
		int c = s[i];

		if (cxxret_word_start(s, i, e)) {
			i = cxxret_word_end(s, i, e, &op, &conv);
			name_end = i;
			op_end = op && !conv ? i : SIZE_MAX;
			continue;
		}
		switch (c) {
		case '<':
			if (!cxxret_opens(s, i, name_end, op_end))
				break;
			/* fall through */
		case '(':
		case '[':
		case '{':
			if (depth == CXXRET_MAX_NEST)
				return 0;
			stack[depth++] = (char)c;
			break;
		case '>':
			if (stack[depth - 1] == '<')
				depth--;
			else if (stack[depth - 1] != '(')
				return 0;
			break;
		case '-':
			/* "(p)->m" */
			if (i + 1 < e && s[i + 1] == '>')
				i++;
			break;
		case ')':
		case ']':
		case '}':
			if (stack[depth - 1] != (c == ')' ? '(' : c == ']' ? '[' : '{'))
				return 0;
			depth--;
			if (c == ']')
				name_end = i + 1;
			break;
		default:
			break;
		}
		i++;
		if (!depth)
			return i;
	}
	return 0;
}

static int cxxret_add(struct cxxret_toks *tk, size_t start, size_t end,
		      enum cxxret_kind kind)
{
	if (tk->n == CXXRET_MAX_TOKS)
		return -1;
	tk->t[tk->n].start = start;
	tk->t[tk->n].end = end;
	tk->t[tk->n].kind = kind;
	tk->n++;
	return 0;
}

/*
 * Split s[b, e) into the tokens of its own bracket level. A conversion
 * operator's token runs to the '(' of its parameter list. Returns -1
 * when brackets do not match, a '>' closes nothing, or there are more
 * than CXXRET_MAX_TOKS tokens.
 */
static int cxxret_tokenize(const char *s, size_t b, size_t e, struct cxxret_toks *tk)
{
	size_t i = b, j, name_end = SIZE_MAX, op_end = SIZE_MAX;
	enum cxxret_kind kind;
	int op, conv, in_conv = 0;

	tk->n = 0;
	while (i < e) {
		int c = s[i];

		if (cxxret_word_start(s, i, e)) {
			j = cxxret_word_end(s, i, e, &op, &conv);
			kind = conv ? CXXRET_CONV : op ? CXXRET_OP : CXXRET_WORD;
			name_end = j;
			op_end = op && !conv ? j : SIZE_MAX;
		} else if (c == ':' && i + 1 < e && s[i + 1] == ':') {
			kind = CXXRET_SCOPE;
			j = i + 2;
		} else if (c == ' ') {
			kind = CXXRET_SPACE;
			j = i + 1;
		} else if (c == '(' || c == '[' || c == '{' ||
			   (c == '<' && cxxret_opens(s, i, name_end, op_end))) {
			j = cxxret_group_end(s, i, e);
			if (!j)
				return -1;
			kind = c == '(' ? CXXRET_PAREN : c == '[' ? CXXRET_SQUARE :
			       c == '{' ? CXXRET_BRACE : CXXRET_ANGLE;
			if (c == '[')
				name_end = j;
		} else if (strchr("<>)]}", c)) {
			return -1;
		} else {
			kind = CXXRET_PUNCT;
			j = i + 1;
		}
		if (in_conv && kind != CXXRET_PAREN) {
			tk->t[tk->n - 1].end = j;
		} else {
			in_conv = kind == CXXRET_CONV;
			if (cxxret_add(tk, i, j, kind))
				return -1;
		}
		i = j;
	}
	return 0;
}

static int cxxret_is(const char *s, const struct cxxret_tok *t, const char *w)
{
	size_t n = strlen(w);

	return t->end - t->start == n && !memcmp(s + t->start, w, n);
}

static int cxxret_is_punct(const char *s, const struct cxxret_tok *t, int c)
{
	return t->kind == CXXRET_PUNCT && s[t->start] == c;
}

static int cxxret_is_anon(const char *s, const struct cxxret_tok *t)
{
	return t->kind == CXXRET_PAREN && cxxret_is(s, t, "(anonymous namespace)");
}

/* "[abi:cxx11]" */
static int cxxret_is_tag(const char *s, const struct cxxret_tok *t)
{
	return t->kind == CXXRET_SQUARE && cxxret_at(s, t->start, t->end, "[abi:");
}

/* " [clone .cold]" */
static int cxxret_is_clone(const char *s, const struct cxxret_tok *t)
{
	return t->kind == CXXRET_SQUARE && cxxret_at(s, t->start, t->end, "[clone ");
}

/*
 * Tokens [0, k] may end with a function's qualifiers (" const",
 * " volatile", " restrict", " &", " &&", " transaction_safe",
 * " noexcept", " throw(...)"): the index of the last token before them.
 */
static int cxxret_skip_quals(const char *s, const struct cxxret_toks *tk, int k)
{
	static const char *const quals[] = {
		"const", "volatile", "restrict", "transaction_safe", "noexcept", "throw",
	};
	const struct cxxret_tok *t = tk->t;

	for (;;) {
		int j = k, q;
		size_t i;

		if (j >= 1 && t[j].kind == CXXRET_PAREN &&
		    (cxxret_is(s, &t[j - 1], "throw") || cxxret_is(s, &t[j - 1], "noexcept")))
			j--;
		if (j >= 1 && t[j].kind == CXXRET_WORD && t[j - 1].kind == CXXRET_SPACE) {
			for (i = 0; i < ARRAY_SIZE(quals); i++)
				if (cxxret_is(s, &t[j], quals[i]))
					break;
			if (i < ARRAY_SIZE(quals)) {
				k = j - 2;
				continue;
			}
		}
		for (j = k, q = 0; j >= 0 && q < 2 && cxxret_is_punct(s, &t[j], '&'); j--)
			q++;
		if (q && j >= 0 && t[j].kind == CXXRET_SPACE) {
			k = j - 1;
			continue;
		}
		return k;
	}
}

/*
 * Walk back over the qualified name whose last token is k: components
 * ("ns", "Box<int>", "get[abi:cxx11]", "operator< <int>",
 * "{lambda(int)#1}", "(anonymous namespace)", and a local name's
 * enclosing function "f<int>(int) const") joined by "::". Returns the
 * index of its first token, or -1. *targs: the last component has
 * template arguments; *conv: it is a conversion operator.
 */
static int cxxret_name_start(const char *s, const struct cxxret_toks *tk, int k,
			     int *targs, int *conv)
{
	const struct cxxret_tok *t = tk->t;
	int last = 1;

	*targs = *conv = 0;
	for (;;) {
		if (!last) {
			int q = cxxret_skip_quals(s, tk, k);

			if (q >= 0 && t[q].kind == CXXRET_PAREN && !cxxret_is_anon(s, &t[q]))
				k = q - 1;
			else if (q != k)
				return -1;
		}
		while (k >= 0 && (t[k].kind == CXXRET_ANGLE || cxxret_is_tag(s, &t[k]))) {
			if (t[k].kind == CXXRET_ANGLE) {
				*targs |= last;
				if (k >= 2 && t[k - 1].kind == CXXRET_SPACE &&
				    t[k - 2].kind == CXXRET_OP)
					k--;
			}
			k--;
		}
		if (k < 0)
			return -1;
		switch (t[k].kind) {
		case CXXRET_CONV:
			*conv |= last;
			break;
		case CXXRET_WORD:
		case CXXRET_OP:
		case CXXRET_BRACE:
			break;
		case CXXRET_PAREN:
			if (cxxret_is_anon(s, &t[k]))
				break;
			return -1;
		default:
			return -1;
		}
		if (k < 1 || t[k - 1].kind != CXXRET_SCOPE)
			return k;
		k -= 2;
		last = 0;
	}
}

/*
 * Whether tokens [0, k) are a return type and the space after it. Words
 * "to" and "for" mean a special name ("non-virtual thunk to ..."): kept.
 */
static int cxxret_is_type(const char *s, const struct cxxret_toks *tk, int k)
{
	int i;

	if (k < 2 || tk->t[k - 1].kind != CXXRET_SPACE)
		return 0;
	for (i = 0; i < k - 1; i++) {
		const struct cxxret_tok *t = &tk->t[i];

		switch (t->kind) {
		case CXXRET_OP:
		case CXXRET_CONV:
			return 0;
		case CXXRET_WORD:
			if (cxxret_is(s, t, "to") || cxxret_is(s, t, "for"))
				return 0;
			break;
		case CXXRET_PUNCT:
			if (s[t->start] != '*' && s[t->start] != '&')
				return 0;
			break;
		case CXXRET_SQUARE:
			if (!cxxret_is_tag(s, t))
				return 0;
			break;
		default:
			break;
		}
	}
	return 1;
}

/*
 * Whether tokens [0, k) are what precedes the name inside "(...)":
 * pointers and references ("*", "&", "&&", "**") after the class of a
 * pointer to member ("ns::A::*").
 */
static int cxxret_is_declarator(const char *s, const struct cxxret_toks *tk, int k)
{
	int i = 0;

	if (k < 1)
		return 0;
	while (i < k && tk->t[i].kind != CXXRET_PUNCT) {
		switch (tk->t[i].kind) {
		case CXXRET_WORD:
		case CXXRET_SCOPE:
		case CXXRET_ANGLE:
			break;
		default:
			return 0;
		}
		i++;
	}
	if (i && tk->t[i - 1].kind != CXXRET_SCOPE)
		return 0;
	for (; i < k; i++)
		if (!cxxret_is_punct(s, &tk->t[i], '*') && !cxxret_is_punct(s, &tk->t[i], '&'))
			return 0;
	return 1;
}

/*
 * A cheap look before the scan: s can have a return type in front only
 * when its parameter list (the last parenthesised group, less clone
 * suffixes and qualifiers) follows a '>' (template arguments, or an
 * operator such as "operator>") or a ')' (a returned pointer to a
 * function, or "operator()"), or when s ends with an array's ']'. The
 * runtime prints parentheses balanced, so the group is found from the end.
 */
static int cxxret_maybe(const char *s, size_t len)
{
	size_t e = len, i, depth;
	const char *p;

	while (e && s[e - 1] == ']' && (p = memrchr(s, '[', e)) && p > s &&
	       p[-1] == ' ' && cxxret_at(s, (size_t)(p - s), e, "[clone "))
		e = (size_t)(p - s) - 1;
	for (;;) {
		while (e && s[e - 1] != ')' && s[e - 1] != ']') {
			if (!is_ident(s[e - 1]) && s[e - 1] != ' ' && s[e - 1] != '&')
				return 0;
			e--;
		}
		if (!e)
			return 0;
		if (s[e - 1] == ']')
			return 1;
		for (i = e - 1, depth = 0;; i--) {
			depth += s[i] == ')';
			if (s[i] == '(' && !--depth)
				break;
			if (!i)
				return 0;
		}
		/* " throw(...)", " noexcept(...)": qualifiers too */
		if (i >= 6 && !memcmp(s + i - 6, " throw", 6))
			e = i - 6;
		else if (i >= 9 && !memcmp(s + i - 9, " noexcept", 9))
			e = i - 9;
		else
			return i && (s[i - 1] == '>' || s[i - 1] == ')');
	}
}

/*
 * Find in s (len bytes, as __cxa_demangle() printed it) the name,
 * parameter list and qualifiers of a function template printed with its
 * return type, s[*keep, *keep_end), and its clone suffixes, s[*suffix,
 * len). Returns 1 when found, 0 when s is to be kept whole.
 */
static int cxxret_find(const char *s, size_t len, size_t *keep, size_t *keep_end,
		       size_t *suffix)
{
	struct cxxret_toks tk;
	size_t b = 0, e = len;
	int level, n, k, g, first, targs, conv;

	if (!memchr(s, '<', len) || !cxxret_maybe(s, len))
		return 0;
	for (level = 0; level < CXXRET_MAX_LEVELS; level++) {
		if (cxxret_tokenize(s, b, e, &tk))
			return 0;
		n = tk.n;
		if (!level) {
			while (n >= 2 && cxxret_is_clone(s, &tk.t[n - 1]) &&
			       tk.t[n - 2].kind == CXXRET_SPACE)
				n -= 2;
			if (!n)
				return 0;
			*suffix = tk.t[n - 1].end;
		}
		k = cxxret_skip_quals(s, &tk, n - 1);
		if (k < 1)
			return 0;
		g = -1;
		if (tk.t[k].kind == CXXRET_SQUARE) {
			/* returns a reference or pointer to an array */
			for (g = k; g >= 0 && tk.t[g].kind == CXXRET_SQUARE; g--)
				if (cxxret_is_tag(s, &tk.t[g]))
					return 0;
			if (g >= 0 && tk.t[g].kind == CXXRET_SPACE)
				g--;
			if (g < 0 || tk.t[g].kind != CXXRET_PAREN)
				return 0;
		} else if (tk.t[k].kind == CXXRET_PAREN && tk.t[k - 1].kind == CXXRET_PAREN &&
			   tk.t[k - 1].end == tk.t[k].start) {
			/* returns a pointer or a reference to a function */
			g = k - 1;
		}
		if (g >= 0) {
			if (cxxret_is_anon(s, &tk.t[g]) ||
			    !(level ? cxxret_is_declarator(s, &tk, g) : cxxret_is_type(s, &tk, g)))
				return 0;
			b = tk.t[g].start + 1;
			e = tk.t[g].end - 1;
			continue;
		}
		if (tk.t[k].kind != CXXRET_PAREN || cxxret_is_anon(s, &tk.t[k]))
			return 0;
		first = cxxret_name_start(s, &tk, k - 1, &targs, &conv);
		if (first < 0 || !targs || conv ||
		    !(level ? cxxret_is_declarator(s, &tk, first) : cxxret_is_type(s, &tk, first)))
			return 0;
		*keep = tk.t[first].start;
		*keep_end = tk.t[n - 1].end;
		return 1;
	}
	return 0;
}

static enum demangle_scheme demangle_cxx(struct fg_buf *out, const char *sym,
					 size_t len)
{
	char *copy = NULL, *res;
	enum cxx_status st;
	uint64_t bound;
	size_t rlen = cxx_llvm_suffix(sym, len), keep, keep_end, suffix;
	int status = -1;

	/* symbols without references (a third) need no estimate */
	if (!cxx_is_linear(sym, rlen)) {
		st = cxx_estimate(sym, rlen, &bound);
		if (st != CXX_OK)
			return DEMANGLE_TOO_COMPLEX;
	}
	/* ".llvm.<digits>" would print as "[clone .llvm.N]" */
	if (rlen < len)
		sym = copy = xmemdupz(sym, rlen);
	res = __cxa_demangle(sym, NULL, NULL, &status);
	free(copy);
	if (!res || status) {
		free(res);
		return DEMANGLE_NONE;
	}
	rlen = strlen(res);
	if (cxxret_find(res, rlen, &keep, &keep_end, &suffix)) {
		fg_buf_add(out, res + keep, keep_end - keep);
		fg_buf_add(out, res + suffix, rlen - suffix);
	} else {
		fg_buf_add(out, res, rlen);
	}
	free(res);
	return DEMANGLE_CXX;
}

enum demangle_scheme demangle_append(struct fg_buf *out, const char *sym)
{
	size_t start = out->len, len, rlen;

	if (!sym)
		return DEMANGLE_NONE;
	len = strlen(sym);
	if (len < 3 || sym[0] != '_')
		return DEMANGLE_NONE;
	rlen = llvm_suffix(sym, len);
	if (sym[1] == 'R') {
		if (!demangle_v0(out, sym, rlen))
			return DEMANGLE_RUST_V0;
		fg_buf_setlen(out, start);
		return DEMANGLE_NONE;
	}
	if (sym[1] != 'Z')
		return DEMANGLE_NONE;
	if (sym[2] == 'N') {
		if (!demangle_legacy(out, sym, rlen))
			return DEMANGLE_RUST_LEGACY;
		fg_buf_setlen(out, start);
	}
	return demangle_cxx(out, sym, len);
}

char *demangle_symbol(const char *sym)
{
	struct fg_buf out = FG_BUF_INIT;
	enum demangle_scheme scheme = demangle_append(&out, sym);

	if (scheme == DEMANGLE_NONE || scheme == DEMANGLE_TOO_COMPLEX) {
		fg_buf_release(&out);
		return NULL;
	}
	return fg_buf_detach(&out, NULL);
}
