/*
 * Symbol demangling: Rust legacy and v0 decoded here, C++ handed to the
 * C++ runtime. Written from the specifications: the v0 grammar of RFC 2603
 * as amended in the rustc book ("Symbol mangling: v0"), and the legacy
 * scheme (Itanium-style _ZN <len><ident>... E with "$xx$" escapes and a
 * final "17h<16 hex>" hash element). The output follows rustc-demangle's
 * alternate ("{:#}") form; see demangle.h for the contract.
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

static int hex_val(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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
		if (hex_val(s[i]) < 0)
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
		int v = hex_val(s[i]);

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

struct v0 {
	const char *sym;	/* just after "_R": backrefs count from here */
	size_t len;		/* bytes of sym that belong to the mangling */
	size_t pos;
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

static int v0_peek(const struct v0 *p)
{
	return p->pos < p->len ? (unsigned char)p->sym[p->pos] : 0;
}

static int v0_eat(struct v0 *p, int c)
{
	if (p->pos < p->len && p->sym[p->pos] == c) {
		p->pos++;
		return 1;
	}
	return 0;
}

static int v0_next(struct v0 *p)
{
	if (p->pos >= p->len)
		return 0;
	return (unsigned char)p->sym[p->pos++];
}

/* base-62-number: "_" is 0, otherwise the digits' value plus one. */
static int v0_base62(struct v0 *p, uint64_t *v)
{
	uint64_t x = 0;
	int c;

	if (v0_eat(p, '_')) {
		*v = 0;
		return 0;
	}
	for (;;) {
		unsigned d;

		c = v0_next(p);
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
	if (!v0_eat(p, tag)) {
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
	int c = v0_peek(p);

	if (!is_digit(c))
		return -1;
	p->pos++;
	x = (uint64_t)(c - '0');
	if (!x) {
		*v = 0;
		return 0;
	}
	while (is_digit(v0_peek(p))) {
		unsigned d = (unsigned)(v0_next(p) - '0');

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
	int puny = v0_eat(p, 'u');
	uint64_t n;
	const char *s;

	if (v0_decimal(p, &n))
		return -1;
	v0_eat(p, '_');
	if (n > p->len - p->pos)
		return -1;
	s = p->sym + p->pos;
	p->pos += (size_t)n;
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
	size_t start = p->pos - 1, saved;
	uint64_t target;
	int ret;

	if (v0_base62(p, &target) || target >= start)
		return -1;
	if (!p->out)
		return 0;
	saved = p->pos;
	p->pos = (size_t)target;
	ret = fn(p, arg);
	p->pos = saved;
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

	if (v0_eat(p, 'L')) {
		if (v0_base62(p, &lt))
			return -1;
		return v0_print_lifetime(p, lt);
	}
	if (v0_eat(p, 'K'))
		return v0_const(p, 0);
	return v0_type(p);
}

/* {generic-arg} "E", separated by ", " */
static int v0_generic_args(struct v0 *p)
{
	int i;

	for (i = 0; !v0_eat(p, 'E'); i++) {
		if (p->pos >= p->len)
			return -1;
		if (i)
			v0_puts(p, ", ");
		if (v0_generic_arg(p))
			return -1;
	}
	return 0;
}

static int v0_path_inner(struct v0 *p, int in_value)
{
	struct v0_ident id;
	struct fg_buf *saved;
	uint64_t dis;
	int tag = v0_next(p), ns, ret;

	switch (tag) {
	case 'C':	/* crate root: the disambiguator is not shown */
		if (v0_opt_base62(p, 's', &dis) || v0_ident(p, &id))
			return -1;
		v0_print_ident(p, &id);
		return 0;
	case 'N':	/* nested path */
		ns = v0_next(p);
		if (!is_lower(ns) && !is_upper(ns))
			return -1;
		if (v0_path(p, in_value))
			return -1;
		if (v0_opt_base62(p, 's', &dis) || v0_ident(p, &id))
			return -1;
		if (is_upper(ns)) {
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
	if (v0_enter(p))
		return -1;
	return v0_leave(p, v0_path_inner(p, in_value));
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
	if (v0_eat(p, 'B')) {
		size_t start = p->pos - 1;

		if (v0_base62(p, &target) || target >= start)
			return v0_leave(p, -1);
		if (!p->out)
			return v0_leave(p, 0);
		saved = p->pos;
		p->pos = (size_t)target;
		ret = v0_dyn_trait_path(p, open);
		p->pos = saved;
		return v0_leave(p, ret);
	}
	if (v0_eat(p, 'I')) {
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
	for (i = 0; !v0_eat(p, 'E'); i++) {
		if (p->pos >= p->len)
			return -1;
		if (i)
			v0_puts(p, " + ");
		if (v0_dyn_trait_path(p, &open))
			return -1;
		while (v0_eat(p, 'p')) {
			struct v0_ident id;

			v0_puts(p, open ? ", " : "<");
			open = 1;
			if (v0_ident(p, &id))
				return -1;
			v0_print_ident(p, &id);
			v0_puts(p, " = ");
			if (v0_eat(p, 'K') ? v0_const(p, 0) : v0_type(p))
				return -1;
		}
		if (open)
			v0_puts(p, ">");
	}
	p->bound_lifetimes -= bound;
	if (!v0_eat(p, 'L') || v0_base62(p, &lt))
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
	if (v0_eat(p, 'U'))
		v0_puts(p, "unsafe ");
	if (v0_eat(p, 'K')) {
		v0_puts(p, "extern \"");
		if (v0_eat(p, 'C')) {
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
	for (i = 0; !v0_eat(p, 'E'); i++) {
		if (p->pos >= p->len)
			return -1;
		if (i)
			v0_puts(p, ", ");
		if (v0_type(p))
			return -1;
	}
	v0_puts(p, ")");
	if (!v0_eat(p, 'u')) {
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
	switch (v0_next(p)) {
	case 'R':
		if (v0_const(p, 1))
			ret = -1;
		v0_puts(p, "..=");
		if (!ret && v0_const(p, 1))
			ret = -1;
		break;
	case 'O':
		for (i = 0; !ret && !v0_eat(p, 'E'); i++) {
			if (p->pos >= p->len)
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

static int v0_type_inner(struct v0 *p)
{
	uint64_t lt;
	int tag = v0_next(p), i;

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
		if (v0_eat(p, 'L')) {
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
		for (i = 0; !v0_eat(p, 'E'); i++) {
			if (p->pos >= p->len)
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
		p->pos--;
		return v0_path(p, 0);
	}
}

static int v0_type(struct v0 *p)
{
	if (v0_enter(p))
		return -1;
	return v0_leave(p, v0_type_inner(p));
}

/*
 * const-data: ["n"] {hex-digit} "_". Stores the start and count of the
 * hex digits and the sign. With trim, leading zeros are skipped.
 */
static int v0_const_data(struct v0 *p, const char **hex, size_t *n, int *neg,
			 int trim)
{
	const char *s;

	*neg = v0_eat(p, 'n');
	s = p->sym + p->pos;
	while (p->pos < p->len && p->sym[p->pos] != '_') {
		int c = p->sym[p->pos];

		if (!is_digit(c) && !(c >= 'a' && c <= 'f'))
			return -1;
		p->pos++;
	}
	if (!v0_eat(p, '_'))
		return -1;
	*n = (size_t)(p->sym + p->pos - 1 - s);
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
		v = v * 16 + (uint64_t)hex_val(*hex++);
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
		bytes[nb++] = (unsigned char)(hex_val(hex[0]) * 16 + hex_val(hex[1]));
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
	int tag = v0_next(p), neg, i, ret = 0;

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
		if (tag == 'R' && v0_eat(p, 'e'))
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
		for (i = 0; !ret && !v0_eat(p, 'E'); i++) {
			if (p->pos >= p->len)
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
		switch (v0_next(p)) {
		case 'U':
			break;
		case 'T':
			v0_puts(p, "(");
			for (i = 0; !ret && !v0_eat(p, 'E'); i++) {
				if (p->pos >= p->len)
					return -1;
				if (i)
					v0_puts(p, ", ");
				ret = v0_const(p, 1);
			}
			v0_puts(p, ")");
			break;
		case 'S':
			v0_puts(p, " { ");
			for (i = 0; !ret && !v0_eat(p, 'E'); i++) {
				if (p->pos >= p->len)
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
	if (v0_enter(p))
		return -1;
	return v0_leave(p, v0_const_inner(p, in_value));
}

/* Where a Rust symbol's ".llvm.<hex>" suffix starts, or len when none. */
static size_t llvm_suffix(const char *sym, size_t len)
{
	const char *s = sym, *end = sym + len, *q;

	while ((s = memmem(s, (size_t)(end - s), ".llvm.", 6))) {
		for (q = s + 6; q < end; q++)
			if (hex_val(*q) < 0 && *q != '@')
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
		.sym = sym + 2,
		.len = len - 2,
		.out = out,
		.out_limit = st_add(out->len, DEMANGLE_MAX_OUTPUT),
	};
	const char *suffix;

	/* an encoding version number: none is defined yet */
	if (is_digit(v0_peek(&p)))
		return -1;
	if (v0_path(&p, 1))
		return -1;
	/* the instantiating crate is not shown */
	if (p.pos < p.len && is_upper(v0_peek(&p))) {
		p.out = NULL;
		if (v0_path(&p, 0))
			return -1;
		p.out = out;
	}
	suffix = p.sym + p.pos;
	if (p.pos < p.len) {
		if (*suffix == '.' && symbol_like_suffix(suffix, p.len - p.pos))
			v0_add(&p, suffix, p.len - p.pos);
		else if (*suffix != '$')
			return -1;
	}
	return p.err ? -1 : 0;
}

/* ---------------------------------------------------------------- */

static int demangle_cxx(struct fg_buf *out, const char *sym, size_t len)
{
	char *copy = NULL, *res;
	const char *s;
	int status = -1;

	/* ".llvm.<digits>" (ThinLTO) would print as "[clone .llvm.N]" */
	s = len > 6 ? memmem(sym, len, ".llvm.", 6) : NULL;
	if (s && s[6] && strspn(s + 6, "0123456789") == strlen(s + 6))
		sym = copy = xmemdupz(sym, (size_t)(s - sym));
	res = __cxa_demangle(sym, NULL, NULL, &status);
	free(copy);
	if (!res || status) {
		free(res);
		return -1;
	}
	fg_buf_addstr(out, res);
	free(res);
	return 0;
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
	if (!demangle_cxx(out, sym, len))
		return DEMANGLE_CXX;
	return DEMANGLE_NONE;
}

char *demangle_symbol(const char *sym)
{
	struct fg_buf out = FG_BUF_INIT;

	if (demangle_append(&out, sym) == DEMANGLE_NONE) {
		fg_buf_release(&out);
		return NULL;
	}
	return fg_buf_detach(&out, NULL);
}
