/*
 * The perf-script collapser (see collapse-perf.h for the contract).
 *
 * Input arrives in pieces of any size. Complete lines are parsed where they
 * lie in the caller's buffer; only a line that straddles two pieces is
 * copied (into c->carry). An event is a header line followed by its
 * callchain, leaf first, one frame per line, ended by a blank line or the
 * end of input. Frame names are appended to c->names as they come and
 * indexed by c->frames; the event's stack is then joined outermost first
 * into c->stack and added to the profile as a text stack (one hash of the
 * text finds a stack seen before) under the event's thread, looked up
 * once for a run of events of the same thread. Nothing is allocated per
 * line once the buffers have grown to the size of the largest event.
 *
 * Semantics follow inferno's collapse-perf, with these deliberate
 * differences:
 *  - bytes, not UTF-8: invalid sequences are kept as they are and names
 *    are sliced on bytes, so no input can break the Rust fix-up;
 *  - text after the event name ("cycles:u:  ffff sym (dso)") is taken as a
 *    one-frame stack only when it looks like "<hex> sym (module)", so
 *    uprobes ("probe_x:func:") and tracepoints with arguments keep their
 *    callchains;
 *  - a filtered single-line event does not swallow the lines after it, and
 *    inside an event an unindented line that reads as an event line starts
 *    a new event (perf indents callchains, and prints no blank line
 *    between samples that have none);
 *  - when the line has no timestamp, the event name is still found;
 *  - names starting with "(anonymous namespace)" are kept, not skipped;
 *  - --event-filter also matches the full event token without its final
 *    colon ("cycles:u", "sched:sched_switch").
 */
#include "collapse-perf.h"
#include "../lib/error.h"
#include "profile.h"

#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* How many weird lines collapse_perf_first_weird() keeps, and how much of each. */
#define COLLAPSE_MAX_WEIRD 5
#define COLLAPSE_WEIRD_MAX_LEN 200
/* Block size of collapse_perf_fd(). */
#define COLLAPSE_READ_SIZE (1u << 20)
/* A Rust legacy hash: 'h' and 16 hex digits. */
#define COLLAPSE_RUST_HASH_LEN 17

enum collapse_skip {
	COLLAPSE_KEEP,		/* collect the frames */
	COLLAPSE_SKIP,		/* event of another type: ignore its lines */
	COLLAPSE_SKIP_REST,	/* --skip-after matched: drop callers and comm */
};

/* One frame of the current event: a slice of c->names. */
struct collapse_frame {
	size_t off, len;
};

struct collapse_perf {
	struct profile *p;
	struct collapse_opts opts;
	struct collapse_stats stats;
	struct fg_buf *err;		/* during feed/finish: where details go */
	int error;			/* sticky negative fg_error */

	struct fg_buf carry;		/* partial line between two pieces */
	uint64_t lines;			/* whole lines read */

	/* the current event */
	int in_event;
	int skip;			/* enum collapse_skip */
	int java;			/* comm starts with "java" */
	uint64_t period;
	struct fg_buf comm;		/* the event's process name */
	int32_t pid, tid;		/* -1: not given */
	uint32_t thread;		/* its profile thread id + 1, 0: not
					   looked up yet (kept while the
					   next events have the same) */
	struct fg_buf names;		/* frame names, leaf first */
	struct collapse_frame *frames;
	size_t nr_frames, alloc_frames;

	/* scratch buffers, reused */
	struct fg_buf stack;		/* the joined stack */
	struct fg_buf rust;		/* Rust fix-up output */
	struct fg_buf fallback;		/* "[module]" for [unknown] */
	struct fg_buf tidy;		/* tidy_generic output */

	char *first_event;		/* the event type kept by default */
	size_t *skip_after_len;		/* strlen of each opts.skip_after */
	size_t nr_skip_after;

	struct fg_buf weird;		/* first weird lines, NUL-terminated each */
	unsigned nr_weird;
};

/*
 * Characters that can make a raw name need more than a copy: '(', ';' and
 * control characters (tidy_generic) and '-' (maybe "->", Java inlining).
 */
static const unsigned char collapse_special[256] = {
	[0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
	[0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1,
	[0x0d] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1,
	[0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1,
	[0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1,
	[0x1f] = 1, [0x7f] = 1, [0x00] = 1,
	['('] = 1, [';'] = 1, ['-'] = 1,
};

/*
 * The scans below run over every byte of the input, so they look at 16
 * bytes at a time where SSE2 is there (all of x86-64), one at a time
 * elsewhere.
 */

/* Index of the first special character (above) in s[0..n), or n. */
static size_t collapse_find_special(const char *s, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	const __m128i p = _mm_set1_epi8('('), q = _mm_set1_epi8(';');
	const __m128i d = _mm_set1_epi8('-'), del = _mm_set1_epi8(0x7f);
	const __m128i ctl = _mm_set1_epi8(0x1f);

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* v <= 0x1f (unsigned): min(v, 0x1f) == v */
		__m128i c = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v),
					 _mm_cmpeq_epi8(v, del));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, p),
						      _mm_cmpeq_epi8(v, q)),
					 _mm_or_si128(_mm_cmpeq_epi8(v, d), c));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);

		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	for (; i < n; i++)
		if (collapse_special[(unsigned char)s[i]])
			return i;
	return n;
}

/* Index of the first byte of s[0..n) that is neither ' ' nor '\t', or n. */
static size_t collapse_skip_blanks(const char *s, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab));
		unsigned mask = ~(unsigned)_mm_movemask_epi8(m) & 0xffff;

		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static inline int collapse_isspace(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\v' || ch == '\f';
}

static inline int collapse_isdigit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static inline int collapse_isxdigit(unsigned char ch)
{
	return collapse_isdigit(ch) || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f');
}

static inline int collapse_eq(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	return n == m && !memcmp(s, lit, m);
}

static inline int collapse_starts(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	return n >= m && !memcmp(s, lit, m);
}

static inline int collapse_ends(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	return n >= m && !memcmp(s + n - m, lit, m);
}

static inline int collapse_contains(const char *s, size_t n, const char *lit)
{
	return memmem(s, n, lit, strlen(lit)) != NULL;
}

static size_t collapse_rtrim(const char *s, size_t n)
{
	while (n && collapse_isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

static void collapse_trim(const char **s, size_t *n)
{
	while (*n && collapse_isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	*n = collapse_rtrim(*s, *n);
}

/* ------------------------------------------------------------------ */
/* Module classification */

/* The module ends in "vmlinux" followed only by [A-Za-z0-9._-]. */
static int collapse_is_vmlinux(const char *m, size_t n)
{
	size_t r = n;

	while (r) {
		unsigned char ch = (unsigned char)m[r - 1];

		if (!(collapse_isdigit(ch) || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') ||
		      ch == '.' || ch == '_' || ch == '-'))
			break;
		r--;
	}
	/*
	 * "vmlinux" has no character outside the class, so its last
	 * occurrence is followed by class characters only iff it lies in
	 * the trailing run.
	 */
	return memmem(m + r, n - r, "vmlinux", 7) != NULL;
}

static int collapse_is_kernel(const char *m, size_t n)
{
	if (collapse_eq(m, n, "[unknown]"))
		return 0;
	return (n && m[0] == '[') || collapse_ends(m, n, ".ko") ||
	       collapse_is_vmlinux(m, n);
}

static int collapse_is_jit(const char *m, size_t n)
{
	if (collapse_starts(m, n, "/tmp/perf-") && collapse_ends(m, n, ".map"))
		return 1;
	return collapse_contains(m, n, "/jitted-") && collapse_ends(m, n, ".so");
}

/* ------------------------------------------------------------------ */
/* Name fix-ups */

/* Does s end in a Rust legacy hash "h" + 16 hex digits? */
static int collapse_has_rust_hash(const char *s, size_t n)
{
	size_t i;

	if (n < COLLAPSE_RUST_HASH_LEN || s[n - COLLAPSE_RUST_HASH_LEN] != 'h')
		return 0;
	for (i = n - COLLAPSE_RUST_HASH_LEN + 1; i < n; i++)
		if (!collapse_isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static const struct {
	const char *esc, *text;
} collapse_rust_escapes[] = {
	{ "$SP$", "@" }, { "$BP$", "*" }, { "$RF$", "&" }, { "$LT$", "<" },
	{ "$GT$", ">" }, { "$LP$", "(" }, { "$RP$", ")" }, { "$C$", "," },
	{ "$u7e$", "~" }, { "$u20$", " " }, { "$u27$", "'" }, { "$u3d$", "=" },
	{ "$u5b$", "[" }, { "$u5d$", "]" }, { "$u7b$", "{" }, { "$u7d$", "}" },
	{ "$u3b$", ";" }, { "$u2b$", "+" }, { "$u21$", "!" }, { "$u22$", "\"" },
};

/*
 * Fix a partially demangled Rust legacy symbol ending in a hash (perf
 * sometimes leaves "_$LT$a..b$GT$::f::h0123456789abcdef"): drop the hash
 * and a "::" before it, a leading '_' before '$', decode the $..$ escapes
 * and turn ".." into "::". An unknown escape ends the decoding: the rest is
 * copied as it is. Works on bytes. The caller checked the hash.
 */
static void collapse_fix_rust(const char *s, size_t n, struct fg_buf *out)
{
	size_t i;

	fg_buf_reset(out);
	n -= COLLAPSE_RUST_HASH_LEN;
	if (collapse_ends(s, n, "::"))
		n -= 2;
	if (collapse_starts(s, n, "_$")) {
		s++;
		n--;
	}
	i = 0;
	while (i < n) {
		if (s[i] == '.') {
			if (i + 1 < n && s[i + 1] == '.') {
				fg_buf_add(out, "::", 2);
				i += 2;
			} else {
				fg_buf_addch(out, '.');
				i++;
			}
		} else if (s[i] == '$') {
			size_t k;

			for (k = 0; k < ARRAY_SIZE(collapse_rust_escapes); k++)
				if (collapse_starts(s + i, n - i, collapse_rust_escapes[k].esc))
					break;
			if (k == ARRAY_SIZE(collapse_rust_escapes)) {
				fg_buf_add(out, s + i, n - i);
				return;
			}
			fg_buf_addstr(out, collapse_rust_escapes[k].text);
			i += strlen(collapse_rust_escapes[k].esc);
		} else {
			size_t j = i;

			while (j < n && s[j] != '$' && s[j] != '.')
				j++;
			fg_buf_add(out, s + i, j - i);
			i = j;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Frames and events */

struct collapse_stack_line {
	const char *pc, *func, *module;
	size_t pc_len, func_len, module_len;
};

/*
 * Split a stack line "<pc> <rawfunc> (<module>)": pc is the first word,
 * module the last (which must be wrapped in parentheses, removed here),
 * rawfunc what lies between, trimmed, or " " when empty. Returns 0 when
 * the line has another shape.
 */
static int collapse_stack_line_parts(const char *s, size_t n,
				     struct collapse_stack_line *sl)
{
	const char *sp, *last;
	const char *rest;
	size_t rest_len, i;

	i = collapse_skip_blanks(s, n);
	s += i;
	n -= i;
	collapse_trim(&s, &n);
	sp = memchr(s, ' ', n);
	if (!sp)
		return 0;
	sl->pc = s;
	sl->pc_len = collapse_rtrim(s, (size_t)(sp - s));
	rest = sp + 1;
	rest_len = n - (size_t)(rest - s);
	last = memrchr(rest, ' ', rest_len);
	if (!last)
		return 0;
	sl->module = last + 1;
	sl->module_len = rest_len - (size_t)(sl->module - rest);
	if (sl->module_len < 2 || sl->module[0] != '(' ||
	    sl->module[sl->module_len - 1] != ')')
		return 0;
	sl->module++;
	sl->module_len -= 2;
	sl->func = rest;
	sl->func_len = (size_t)(last - rest);
	collapse_trim(&sl->func, &sl->func_len);
	if (!sl->func_len) {
		sl->func = " ";
		sl->func_len = 1;
	}
	return 1;
}

static void collapse_push_frame(struct collapse_perf *c, size_t off)
{
	ALLOC_GROW(c->frames, c->nr_frames + 1, c->alloc_frames);
	c->frames[c->nr_frames].off = off;
	c->frames[c->nr_frames].len = c->names.len - off;
	c->nr_frames++;
}

/*
 * Add one frame from the part of a raw name (the whole name, or one piece
 * of a Java "a->b->c"): [unknown] gets the module's name, then tidy (when
 * the name may need it), Java tidying and the annotation.
 */
static void collapse_add_part(struct collapse_perf *c, const char *s, size_t n,
			      const struct collapse_stack_line *sl, int inlined,
			      int may_need_tidy)
{
	size_t off = c->names.len;

	if (collapse_eq(s, n, "[unknown]")) {
		const char *m = sl->module;
		size_t mn = sl->module_len;

		if (collapse_eq(m, mn, "[unknown]")) {
			if (!c->opts.include_addrs)
				goto plain;
			m = "unknown";
			mn = 7;
		} else {
			const char *slash = memrchr(m, '/', mn);

			if (slash) {
				mn -= (size_t)(slash + 1 - m);
				m = slash + 1;
			}
		}
		fg_buf_reset(&c->fallback);
		fg_buf_addch(&c->fallback, '[');
		fg_buf_add(&c->fallback, m, mn);
		if (c->opts.include_addrs) {
			fg_buf_add(&c->fallback, " <", 2);
			fg_buf_add(&c->fallback, sl->pc, sl->pc_len);
			fg_buf_addch(&c->fallback, '>');
		}
		fg_buf_addch(&c->fallback, ']');
		s = c->fallback.buf;
		n = c->fallback.len;
		may_need_tidy = 1;
	}
	if (may_need_tidy) {
		/* tidy_generic: the same for every input (profile.h) */
		fg_buf_reset(&c->tidy);
		profile_tidy_name(&c->tidy, s, n);
		s = c->tidy.buf;
		n = c->tidy.len;
	}
plain:
	if (c->java && n && s[0] == 'L' && memchr(s, '/', n)) {
		s++;
		n--;
	}
	fg_buf_add(&c->names, s, n);
	if (inlined) {
		if (!collapse_contains(s, n, "_[i]"))
			fg_buf_add(&c->names, "_[i]", 4);
	} else if (c->opts.annotate_kernel &&
		   collapse_is_kernel(sl->module, sl->module_len)) {
		fg_buf_add(&c->names, "_[k]", 4);
	} else if (c->opts.annotate_jit &&
		   collapse_is_jit(sl->module, sl->module_len) &&
		   !collapse_contains(s, n, "_[j]")) {
		fg_buf_add(&c->names, "_[j]", 4);
	}
	collapse_push_frame(c, off);
}

static int collapse_skip_after_match(const struct collapse_perf *c,
				     const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < c->nr_skip_after; i++)
		if (c->skip_after_len[i] == n && !memcmp(c->opts.skip_after[i], s, n))
			return 1;
	return 0;
}

/* Process one frame of the current (kept) event. */
static void collapse_on_frame(struct collapse_perf *c,
			      const struct collapse_stack_line *sl)
{
	const char *s = sl->func;
	size_t n = sl->func_len, i, first;
	int special = 0;

	/* Strip an offset "+0x<hex>" (the last "+0x", only hex after it). */
	for (i = n; i && collapse_isxdigit((unsigned char)s[i - 1]); i--)
		;
	if (i >= 3 && s[i - 1] == 'x' && s[i - 2] == '0' && s[i - 3] == '+')
		n = i - 3;

	/*
	 * Frames like "(/usr/lib/libc.so)" name a process or a module only.
	 * inferno also drops "(anonymous namespace)::f", which its own tidy
	 * rule means to keep; we keep it.
	 */
	if (n && s[0] == '(' && !collapse_starts(s, n, "(anonymous namespace)"))
		return;

	if (collapse_has_rust_hash(s, n)) {
		collapse_fix_rust(s, n, &c->rust);
		s = c->rust.buf;
		n = c->rust.len;
	}

	for (i = collapse_find_special(s, n); i < n;
	     i += 1 + collapse_find_special(s + i + 1, n - i - 1)) {
		if (s[i] != '-' || (i + 1 < n && s[i + 1] == '>')) {
			special = 1;
			break;
		}
	}

	first = c->nr_frames;
	if (!special) {
		collapse_add_part(c, s, n, sl, 0, 0);
	} else {
		/*
		 * Java inlining: "a->b->c" is a, then b and c inlined into
		 * it; root first they read a;b;c, so leaf first c;b;a.
		 */
		size_t start = 0, lo, hi;
		int idx = 0;

		for (;;) {
			const char *arrow = memmem(s + start, n - start, "->", 2);
			size_t end = arrow ? (size_t)(arrow - s) : n;

			collapse_add_part(c, s + start, end - start, sl, idx > 0, 1);
			if (!arrow)
				break;
			start = end + 2;
			idx++;
		}
		for (lo = first, hi = c->nr_frames - 1; lo < hi; lo++, hi--) {
			struct collapse_frame tmp = c->frames[lo];

			c->frames[lo] = c->frames[hi];
			c->frames[hi] = tmp;
		}
	}

	if (c->nr_skip_after && collapse_skip_after_match(c, s, n))
		c->skip = COLLAPSE_SKIP_REST;
}

static void collapse_record_weird(struct collapse_perf *c, const char *what,
				  const char *line, size_t len)
{
	if (c->nr_weird >= COLLAPSE_MAX_WEIRD)
		return;
	if (len > COLLAPSE_WEIRD_MAX_LEN) {
		len = COLLAPSE_WEIRD_MAX_LEN;
		/* do not cut a UTF-8 sequence */
		while (len && ((unsigned char)line[len] & 0xc0) == 0x80)
			len--;
	}
	fg_buf_addstr(&c->weird, what);
	fg_buf_add(&c->weird, line, len);
	fg_buf_addch(&c->weird, '\0');
	c->nr_weird++;
}

static void collapse_on_stack_line(struct collapse_perf *c, const char *line,
				   size_t len)
{
	struct collapse_stack_line sl;

	if (!collapse_stack_line_parts(line, len, &sl)) {
		c->stats.weird_stack_lines++;
		collapse_record_weird(c, "weird stack line: ", line, len);
		return;
	}
	collapse_on_frame(c, &sl);
}

static void collapse_reset_event(struct collapse_perf *c)
{
	c->in_event = 0;
	c->skip = COLLAPSE_KEEP;
	c->period = 1;
	c->nr_frames = 0;
	fg_buf_reset(&c->names);
}

/*
 * The event ends: add its stack, outermost first, to the profile, under
 * its thread (none when --skip-after dropped the callers and the root).
 */
static int collapse_end_event(struct collapse_perf *c)
{
	struct fg_buf *sb = &c->stack;
	uint64_t values[PROFILE_MAX_TYPES] = { 0 };
	uint32_t stack, thread = 0;
	size_t i, need = 1, root_len = 0;
	char *p;
	int ret = 0;

	if (!c->nr_frames) {
		collapse_reset_event(c);
		return 0;
	}
	/* the thread's root frame first, unless --skip-after cut it */
	fg_buf_reset(sb);
	if (c->skip != COLLAPSE_SKIP_REST) {
		if (!c->thread)
			c->thread = profile_thread(c->p, c->pid, c->tid, c->comm.buf,
						   c->comm.len) + 1;
		thread = c->thread;
		fg_buf_addstr(sb, profile_thread_root(c->p, thread));
		fg_buf_addch(sb, ';');
		root_len = sb->len;
	}
	for (i = 0; i < c->nr_frames; i++)
		need += c->frames[i].len + 1;
	fg_buf_grow(sb, need);
	p = sb->buf + root_len;
	for (i = c->nr_frames; i-- > 0;) {
		memcpy(p, c->names.buf + c->frames[i].off, c->frames[i].len);
		p += c->frames[i].len;
		*p++ = ';';
	}
	fg_buf_setlen(sb, (size_t)(p - sb->buf) - 1);

	stack = profile_rooted_text_stack(c->p, sb->buf, sb->len, root_len);
	values[0] = c->period;
	ret = profile_add(c->p, stack, thread, values);
	if (ret < 0) {
		if (c->err)
			fg_buf_addf(c->err, "the count of stack '%.*s%s' overflows at line %" PRIu64,
				    sb->len > 100 ? 100 : (int)sb->len, sb->buf,
				    sb->len > 100 ? "..." : "", c->stats.lines);
	} else {
		c->stats.events_kept++;
	}
	collapse_reset_event(c);
	return ret;
}

struct collapse_event_parts {
	const char *comm, *pid, *tid;
	size_t comm_len, pid_len, tid_len;
	size_t rest;			/* offset just past the pid word's space */
};

/*
 * Find the comm and the pid word of an event line: the comm is everything
 * before the first word (not the first one) made of digits, optionally with
 * a '/' ("PID/TID"; a lone number is the TID and the pid is "?"), followed
 * by a space. Returns 0 if there is none.
 */
static int collapse_event_line_parts(const char *line, size_t len,
				     struct collapse_event_parts *ep)
{
	size_t i, word_start = 0, slash = SIZE_MAX;
	int all_digits = 0, last_was_space = 0;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch == ' ') {
			if (all_digits && !last_was_space) {
				if (slash != SIZE_MAX) {
					ep->pid = line + word_start;
					ep->pid_len = slash - word_start;
					ep->tid = line + slash + 1;
					ep->tid_len = i - slash - 1;
				} else {
					ep->pid = "?";
					ep->pid_len = 1;
					ep->tid = line + word_start;
					ep->tid_len = i - word_start;
				}
				ep->comm = line;
				ep->comm_len = word_start - 1;
				collapse_trim(&ep->comm, &ep->comm_len);
				ep->rest = i + 1;
				return 1;
			}
			word_start = i + 1;
			all_digits = 1;
		} else if (ch == '/') {
			if (all_digits)
				slash = i;
		} else if (!collapse_isdigit(ch)) {
			all_digits = 0;
			slash = SIZE_MAX;
		}
		last_was_space = ch == ' ';
	}
	return 0;
}

struct collapse_event_tail {
	const char *name;		/* NULL: no event name on the line */
	size_t name_len;
	const char *full;		/* the whole token, e.g. "cycles:u" */
	size_t full_len;
	int has_period;
	uint64_t period;
	const char *trail;		/* text after the event token */
	size_t trail_len;
};

/*
 * Parse what follows the pid word: "[cpu] time: [period] event[:mods]:
 * [trailing text]". The event name is the last word before the colon that
 * follows the timestamp (so "cycles:u:" is "cycles"); the word before it,
 * if it is a number (that fits in 64 bits), is the period.
 */
static void collapse_event_tail(const char *s, size_t n,
			       struct collapse_event_tail *et)
{
	const char *c1, *c2, *part, *part_end, *end = s + n, *sp, *p;
	size_t w;

	memset(et, 0, sizeof(*et));
	c1 = memchr(s, ':', n);
	if (!c1)
		return;
	/*
	 * The word before the first colon: a timestamp, or (with no time
	 * field) already the event name.
	 */
	for (w = (size_t)(c1 - s); w && !collapse_isspace((unsigned char)s[w - 1]); w--)
		;
	part = c1 + 1;
	for (p = s + w; p < c1; p++) {
		if (!collapse_isdigit((unsigned char)*p) && *p != '.') {
			part = s;
			break;
		}
	}
	c2 = memchr(part, ':', (size_t)(end - part));
	part_end = c2 ? c2 : end;

	/* [period] event */
	sp = memrchr(part, ' ', (size_t)(part_end - part));
	et->name = sp ? sp + 1 : part;
	et->name_len = (size_t)(part_end - et->name);
	if (sp) {
		const char *ps = memrchr(part, ' ', (size_t)(sp - part));
		uint64_t v = 0;

		ps = ps ? ps + 1 : part;
		if (ps < sp) {
			for (p = ps; p < sp && collapse_isdigit((unsigned char)*p); p++)
				if (__builtin_mul_overflow(v, 10, &v) ||
				    __builtin_add_overflow(v, (uint64_t)(*p - '0'), &v))
					break;
			if (p == sp) {
				et->has_period = 1;
				et->period = v;
			}
		}
	}

	/*
	 * The token goes on up to the next white space ("cycles:uppp:",
	 * "probe_x:func:"); what follows is trailing text.
	 */
	p = part_end;
	while (p < end && !collapse_isspace((unsigned char)*p))
		p++;
	et->full = et->name;
	et->full_len = (size_t)(p - et->name);
	if (et->full_len > et->name_len && et->full[et->full_len - 1] == ':')
		et->full_len--;
	while (p < end && collapse_isspace((unsigned char)*p))
		p++;
	et->trail = p;
	et->trail_len = (size_t)(end - p);
}

/* Is the trailing text of an event line a frame "<hex> sym (module)"? */
static int collapse_trail_is_frame(const char *s, size_t n,
				   struct collapse_stack_line *sl)
{
	size_t i;

	if (!n || !collapse_stack_line_parts(s, n, sl) || !sl->pc_len)
		return 0;
	for (i = 0; i < sl->pc_len; i++)
		if (!collapse_isxdigit((unsigned char)sl->pc[i]))
			return 0;
	return 1;
}

/* Does this event belong to the kept event type? */
static int collapse_event_wanted(struct collapse_perf *c,
				 const struct collapse_event_tail *et)
{
	const char *f = c->opts.event_filter;

	if (!et->name)
		return 1;
	if (f) {
		return collapse_eq(et->name, et->name_len, f) ||
		       collapse_eq(et->full, et->full_len, f);
	}
	if (!c->first_event) {
		c->first_event = xmemdupz(et->name, et->name_len);
		return 1;
	}
	return collapse_eq(et->name, et->name_len, c->first_event);
}

/* A pid or tid word: its number, or -1 ("?", or too large). */
static int32_t collapse_id(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		if (!collapse_isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > INT32_MAX)
			return -1;
	}
	return (int32_t)v;
}

/* The event's thread, looked up in the profile when an event is kept. */
static void collapse_set_thread(struct collapse_perf *c,
				const struct collapse_event_parts *ep)
{
	int32_t pid = collapse_id(ep->pid, ep->pid_len);
	int32_t tid = collapse_id(ep->tid, ep->tid_len);

	c->java = collapse_starts(ep->comm, ep->comm_len, "java");
	if (c->thread && pid == c->pid && tid == c->tid &&
	    c->comm.len == ep->comm_len && !memcmp(c->comm.buf, ep->comm, ep->comm_len))
		return;		/* the same thread as the last event */
	fg_buf_reset(&c->comm);
	fg_buf_add(&c->comm, ep->comm, ep->comm_len);
	c->pid = pid;
	c->tid = tid;
	c->thread = 0;
}

static int collapse_on_event_line(struct collapse_perf *c, const char *line,
				  size_t len)
{
	struct collapse_event_parts ep;
	struct collapse_event_tail et;
	struct collapse_stack_line sl;
	int single;

	if (!collapse_event_line_parts(line, len, &ep)) {
		c->stats.weird_events++;
		collapse_record_weird(c, "weird event line: ", line, len);
		return 0;
	}
	collapse_event_tail(line + ep.rest, len - ep.rest, &et);
	c->stats.events++;
	c->in_event = 1;
	single = collapse_trail_is_frame(et.trail, et.trail_len, &sl);
	if (!collapse_event_wanted(c, &et)) {
		c->stats.filtered++;
		if (single) {
			collapse_reset_event(c);
		} else {
			c->skip = COLLAPSE_SKIP;
		}
		return 0;
	}
	c->period = et.has_period ? et.period : 1;
	collapse_set_thread(c, &ep);
	if (single) {
		/* a sample without callchain: its one frame is on the line */
		collapse_on_frame(c, &sl);
		return collapse_end_event(c);
	}
	return 0;
}

/*
 * Inside an event, is this line rather the start of the next one? perf
 * indents callchain lines, so an unindented line that reads as an event
 * line with an event name is one (even when, being a single-line event,
 * it also reads as a stack line).
 */
static int collapse_is_new_event(const char *line, size_t len)
{
	struct collapse_event_parts ep;
	struct collapse_event_tail et;

	if (collapse_isspace((unsigned char)line[0]) ||
	    !collapse_event_line_parts(line, len, &ep))
		return 0;
	collapse_event_tail(line + ep.rest, len - ep.rest, &et);
	return et.name != NULL;
}

static int collapse_process_line(struct collapse_perf *c, const char *line,
				 size_t len)
{
	c->stats.lines++;
	if (len && line[0] == '#')
		return 0;
	len = collapse_rtrim(line, len);
	if (!len)
		return collapse_end_event(c);
	if (!c->in_event)
		return collapse_on_event_line(c, line, len);
	if (!collapse_isspace((unsigned char)line[0]) &&
	    collapse_is_new_event(line, len)) {
		int ret = collapse_end_event(c);

		if (ret)
			return ret;
		return collapse_on_event_line(c, line, len);
	}
	if (c->skip == COLLAPSE_KEEP)
		collapse_on_stack_line(c, line, len);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The API */

struct collapse_perf *collapse_perf_new(struct profile *p,
					const struct collapse_opts *opts)
{
	struct collapse_perf *c = xcalloc(1, sizeof(*c));
	size_t i;

	c->p = p;
	if (opts)
		c->opts = *opts;
	fg_buf_init(&c->carry, 0);
	fg_buf_init(&c->comm, 64);
	fg_buf_init(&c->names, 4096);
	fg_buf_init(&c->stack, 4096);
	fg_buf_init(&c->rust, 0);
	fg_buf_init(&c->fallback, 0);
	fg_buf_init(&c->tidy, 0);
	fg_buf_init(&c->weird, 0);
	if (c->opts.skip_after) {
		while (c->opts.skip_after[c->nr_skip_after])
			c->nr_skip_after++;
		c->skip_after_len = xcalloc(c->nr_skip_after + 1, sizeof(size_t));
		for (i = 0; i < c->nr_skip_after; i++)
			c->skip_after_len[i] = strlen(c->opts.skip_after[i]);
	}
	collapse_reset_event(c);
	return c;
}

static int collapse_fail(struct collapse_perf *c, int ret)
{
	c->error = ret;
	c->err = NULL;
	return ret;
}

static int collapse_too_long(struct collapse_perf *c, struct fg_buf *err)
{
	if (err)
		fg_buf_addf(err, "line %" PRIu64 " is longer than %zu MB", c->lines + 1,
			    FG_MAX_LINE >> 20);
	return collapse_fail(c, -FG_ERR_LINE_TOO_LONG);
}

int collapse_perf_feed(struct collapse_perf *c, const char *data, size_t len,
		       struct fg_buf *err)
{
	const char *p = data, *end = data + len, *nl;
	int ret;

	if (c->error)
		return c->error;
	if (!len)
		return 0;
	c->err = err;
	if (c->carry.len) {
		nl = memchr(p, '\n', len);
		if (!nl) {
			fg_buf_add(&c->carry, p, len);
			if (c->carry.len > FG_MAX_LINE)
				return collapse_too_long(c, err);
			c->err = NULL;
			return 0;
		}
		fg_buf_add(&c->carry, p, (size_t)(nl - p));
		c->lines++;
		ret = collapse_process_line(c, c->carry.buf, c->carry.len);
		fg_buf_reset(&c->carry);
		if (ret)
			return collapse_fail(c, ret);
		p = nl + 1;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			fg_buf_add(&c->carry, p, (size_t)(end - p));
			if (c->carry.len > FG_MAX_LINE)
				return collapse_too_long(c, err);
			break;
		}
		c->lines++;
		ret = collapse_process_line(c, p, (size_t)(nl - p));
		if (ret)
			return collapse_fail(c, ret);
		p = nl + 1;
	}
	c->err = NULL;
	return 0;
}

int collapse_perf_finish(struct collapse_perf *c, struct fg_buf *err)
{
	int ret;

	if (c->error)
		return c->error;
	c->err = err;
	if (c->carry.len) {
		ret = collapse_process_line(c, c->carry.buf, c->carry.len);
		fg_buf_reset(&c->carry);
		if (ret)
			return collapse_fail(c, ret);
	}
	ret = collapse_end_event(c);
	if (ret)
		return collapse_fail(c, ret);
	c->err = NULL;
	return 0;
}

const struct collapse_stats *collapse_perf_stats(const struct collapse_perf *c)
{
	return &c->stats;
}

const char *collapse_perf_first_weird(const struct collapse_perf *c)
{
	return c->nr_weird ? c->weird.buf : NULL;
}

void collapse_perf_free(struct collapse_perf *c)
{
	if (!c)
		return;
	fg_buf_release(&c->carry);
	fg_buf_release(&c->comm);
	fg_buf_release(&c->names);
	fg_buf_release(&c->stack);
	fg_buf_release(&c->rust);
	fg_buf_release(&c->fallback);
	fg_buf_release(&c->tidy);
	fg_buf_release(&c->weird);
	free(c->frames);
	free(c->first_event);
	free(c->skip_after_len);
	free(c);
}

int collapse_perf_fd(struct profile *p, const struct collapse_opts *opts,
		     int fd, struct collapse_stats *stats, struct fg_buf *err)
{
	struct collapse_perf *c = collapse_perf_new(p, opts);
	char *block = xmalloc(COLLAPSE_READ_SIZE);
	int ret = 0;

	for (;;) {
		ssize_t n = read(fd, block, COLLAPSE_READ_SIZE);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (err)
				fg_buf_addf(err, "cannot read perf script input: %s",
					    strerror(errno));
			ret = -FG_ERR_IO;
			break;
		}
		if (!n) {
			ret = collapse_perf_finish(c, err);
			break;
		}
		ret = collapse_perf_feed(c, block, (size_t)n, err);
		if (ret)
			break;
	}
	if (stats)
		*stats = c->stats;
	free(block);
	collapse_perf_free(c);
	return ret;
}
