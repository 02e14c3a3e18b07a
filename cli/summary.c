/*
 * The text summary printed after a recording: the functions with the most
 * samples on the CPU themselves (self) and on the stack at all (total), so
 * the hot spot is visible without opening the SVG.
 *
 * The totals leave out what every profile has and what tells nothing:
 *
 *  - The trunk: the frames from the root down that (nearly) every sample
 *    shares (_start, __libc_start_main_impl, main, std::rt::lang_start...).
 *    It is looked for on the stacks without their root frame (the process
 *    or thread name), so threads and processes with roots of their own
 *    share it. The header names its last frame: where the time splits.
 *
 *  - The links of a chain: a function that (nearly) always calls the same
 *    function, which (nearly) only it calls, has the time of that one.
 *    One function of such a chain is listed: for a chain that starts
 *    right below the root or the end of the trunk (the start-up frames of
 *    a thread) the last one, where its time splits; for the others the
 *    first one, what their caller called (thread_cpu_ms, not the
 *    clock_gettime and system call frames always below it).
 *
 * Long names are shortened in the middle at a boundary a reader sees
 * (generic arguments, path segments), never inside a word.
 */
#include "run.h"
#include "../lib/intmap.h"
#include "../lib/strmap.h"

#define SUMMARY_TOP 10
/* The trunk: frames on at least this share of all samples. */
#define TRUNK_SHARE 0.95
/* A link: this share of its samples goes to one callee, and back. */
#define CHAIN_SHARE 0.95
/* Names longer than this (in columns) are shortened. */
#define NAME_COLUMNS 80
#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026, one column */

#define NO_FN ((size_t)-1)

struct fn_stat {
	const char *name;	/* points into the stack table */
	size_t len;
	uint64_t self, total;
	uint64_t occ;		/* samples at its places below the trunk */
	uint64_t top;		/* of those, right below the root or the trunk's end */
	size_t last_stack;	/* index+1 of the last stack counted in total */
	int link;		/* a link of a chain: not listed by total */
};

struct fn_table {
	struct fn_stat *v;
	size_t nr, alloc;
	struct strmap index;	/* name -> index in v */
};

/* Are the names a (alen bytes) and b (blen bytes) the same? */
static int same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	if (alen > 16)
		return !memcmp(a, b, alen);
	/* short names: a loop beats a call */
	for (i = 0; i < alen; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The index of name in t, added with zero counts when new. */
static size_t fn_get(struct fn_table *t, const char *name, size_t len)
{
	int created;
	struct strmap_entry *e = strmap_put(&t->index, name, len, &created);

	if (!created)
		return (size_t)e->val;
	ALLOC_GROW(t->v, t->nr + 1, t->alloc);
	memset(&t->v[t->nr], 0, sizeof(t->v[t->nr]));
	t->v[t->nr].name = name;
	t->v[t->nr].len = len;
	e->val = t->nr;
	return t->nr++;
}

static void fn_table_release(struct fn_table *t)
{
	free(t->v);
	strmap_release(&t->index);
	memset(t, 0, sizeof(*t));
}

/*
 * The frame at *p (up to end): sets *name and *len, moves *p past it and
 * returns whether another frame follows.
 */
static int next_frame(const char **p, const char *end, const char **name,
		      size_t *len)
{
	const char *s = *p;

	/* names are short: a loop beats memchr's set-up */
	while (s < end && *s != ';')
		s++;
	*name = *p;
	*len = (size_t)(s - *p);
	*p = s < end ? s + 1 : end;
	return s < end;
}

struct trunk {
	size_t depth;		/* frames below the root */
	const char *last;	/* its last frame, where the time splits */
	size_t last_len;
	uint64_t count;		/* samples on all of it */
	size_t *matched;	/* per stack: its first frames on the trunk */
};

/*
 * Find the trunk: level by level below the root frames, the frame that
 * at least TRUNK_SHARE of all samples have there, on the stacks that
 * have the trunk so far. Each level is one pass over the stacks: the
 * guess is the frame of the first stack still on the trunk (right but
 * at the end of the trunk); when it falls short, the only other frame
 * that can be the one is the weighted majority, which the same pass
 * finds by a vote (Boyer-Moore). No table, however deep a recursion the
 * trunk goes through.
 */
static void find_trunk(const struct stack_table *t, uint64_t grand,
		       struct trunk *tr)
{
	size_t n = t->nr ? t->nr : 1, i;
	const char **pos = xcalloc(n, sizeof(*pos));	/* NULL: off the trunk */
	const char **after = xcalloc(n, sizeof(*after));
	char *match = xcalloc(n, 1);

	memset(tr, 0, sizeof(*tr));
	tr->matched = xcalloc(n, sizeof(*tr->matched));
	for (i = 0; i < t->nr; i++) {
		const char *p = t->v[i].stack, *end = p + t->v[i].len, *name;
		size_t len;

		/* past the root, when something is below it */
		pos[i] = next_frame(&p, end, &name, &len) ? p : NULL;
	}
	for (;;) {
		const char *guess = NULL, *vote = NULL, *name;
		size_t guess_len = 0, vote_len = 0, len;
		uint64_t weight = 0, on = 0;
		int again;

		for (i = 0; i < t->nr; i++) {
			const char *p = pos[i];
			uint64_t w = t->v[i].count;

			if (!p)
				continue;
			after[i] = next_frame(&p, t->v[i].stack + t->v[i].len, &name, &len)
				   ? p : NULL;
			if (!guess) {
				guess = name;
				guess_len = len;
			}
			match[i] = same_name(name, len, guess, guess_len);
			if (match[i])
				on += w;
			if (vote && same_name(name, len, vote, vote_len)) {
				weight += w;
			} else if (weight >= w) {
				weight -= w;
			} else {
				vote = name;
				vote_len = len;
				weight = w - weight;
			}
		}
		again = guess && (double)on < TRUNK_SHARE * (double)grand &&
			!same_name(vote, vote_len, guess, guess_len);
		if (again) {
			guess = vote;
			guess_len = vote_len;
			for (on = 0, i = 0; i < t->nr; i++) {
				const char *p = pos[i];

				if (!p)
					continue;
				next_frame(&p, t->v[i].stack + t->v[i].len, &name, &len);
				match[i] = same_name(name, len, guess, guess_len);
				if (match[i])
					on += t->v[i].count;
			}
		}
		if (!guess || (double)on < TRUNK_SHARE * (double)grand)
			break;
		tr->depth++;
		tr->last = guess;
		tr->last_len = guess_len;
		tr->count = on;
		for (i = 0; i < t->nr; i++) {
			if (!pos[i])
				continue;
			tr->matched[i] += match[i];
			pos[i] = match[i] ? after[i] : NULL;
		}
	}
	free(pos);
	free(after);
	free(match);
}

/*
 * Hide all but one function of each chain: the last one for a chain that
 * starts right below the root or the end of the trunk (the start of a
 * thread: where its time splits), else the first one (what its caller
 * called, on a side branch of the trunk too). next[f] is
 * the function f always calls (NO_FN: none); a function is called by at
 * most one function that way, so chains are simple paths (or cycles,
 * which have no first function and stay).
 */
static void hide_chain_links(struct fn_table *ft, const size_t *next)
{
	char *called = xcalloc(ft->nr ? ft->nr : 1, 1);
	size_t f, g, steps;

	for (f = 0; f < ft->nr; f++)
		if (next[f] != NO_FN)
			called[next[f]] = 1;
	for (f = 0; f < ft->nr; f++) {
		int from_root;

		if (next[f] == NO_FN || called[f])
			continue;
		from_root = ft->v[f].top * 2 > ft->v[f].occ;
		for (g = f, steps = 0; next[g] != NO_FN && steps < ft->nr; steps++) {
			ft->v[from_root ? g : next[g]].link = 1;
			g = next[g];
		}
	}
	free(called);
}

/*
 * Count self and total samples by function, leaving the trunk out of the
 * totals, and mark the links of chains (see the top of the file).
 */
static void count_functions(const struct stack_table *t, const struct trunk *tr,
			    struct fn_table *ft)
{
	struct intmap edges = INTMAP_INIT;
	uint64_t key, val;
	size_t i, it, *next;

	for (i = 0; i < t->nr; i++) {
		const struct stack_entry *e = &t->v[i];
		const char *p = e->stack, *end = p + e->len, *name;
		size_t depth, len, prev = NO_FN;
		int more = 1;

		for (depth = 0; more; depth++) {
			struct fn_stat *f;
			size_t fi;

			more = next_frame(&p, end, &name, &len);
			/* the root is the process name: it is always 100% */
			if (!depth && more)
				continue;
			fi = fn_get(ft, name, len);
			f = &ft->v[fi];
			if (!more)
				f->self += e->count;
			if (depth && depth - 1 < tr->matched[i])
				continue;
			if (f->last_stack != i + 1) {
				f->total += e->count;
				f->last_stack = i + 1;
			}
			/* recursion: a run of one function is one place */
			if (fi == prev)
				continue;
			f->occ += e->count;
			if (prev == NO_FN) {
				/* not on a side branch of the trunk */
				if (!tr->matched[i] || tr->matched[i] == tr->depth)
					f->top += e->count;
			} else if (prev <= UINT32_MAX && fi <= UINT32_MAX) {
				uint64_t k = (uint64_t)prev << 32 | fi;
				uint64_t *c = intmap_get(&edges, k);

				if (c)
					*c += e->count;
				else
					intmap_put(&edges, k, e->count);
			}
			prev = fi;
		}
	}
	next = xmalloc(st_mult(ft->nr ? ft->nr : 1, sizeof(*next)));
	for (i = 0; i < ft->nr; i++)
		next[i] = NO_FN;
	for (it = 0; intmap_next(&edges, &it, &key, &val);) {
		size_t caller = key >> 32, callee = key & 0xffffffff;

		if ((double)val >= CHAIN_SHARE * (double)ft->v[caller].occ &&
		    (double)val >= CHAIN_SHARE * (double)ft->v[callee].occ)
			next[caller] = callee;
	}
	hide_chain_links(ft, next);
	free(next);
	intmap_release(&edges);
}

/* Columns of s: code points (UTF-8 continuation bytes take none). */
static size_t columns(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* Part of a word: letters, digits, '_', '$', and any non-ASCII byte. */
static int word_char(unsigned char c)
{
	return c >= 0x80 || c == '_' || c == '$' || (c >= '0' && c <= '9') ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

struct group {
	size_t open, close;	/* the brackets */
	size_t depth;		/* 0: not inside another group */
	size_t cols;		/* columns of what is between them */
	int elide;
};

static int by_open(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return x->open < y->open ? -1 : x->open > y->open;
}

static int by_cols(const void *a, const void *b)
{
	const struct group *x = *(const struct group *const *)a;
	const struct group *y = *(const struct group *const *)b;

	if (x->cols != y->cols)
		return x->cols < y->cols ? 1 : -1;
	return x->open < y->open ? -1 : x->open > y->open;
}

/*
 * The bracket groups of name ("<...>", "(...)", "[...]", "{...}"), ordered
 * by their opening bracket. Returns the number, or 0 when the brackets do
 * not pair up (then no group is elided). C++ operator names ("operator<",
 * "operator()") and Rust arrows ("->") are no brackets.
 */
static size_t find_groups(const char *name, size_t len, struct group **out)
{
	static const char opens[] = "<([{", closes[] = ">)]}";
	struct group *g = NULL;
	size_t *stack = NULL, nr = 0, alloc = 0, sp = 0, salloc = 0, i;

	for (i = 0; i < len; i++) {
		char c = name[i];
		const char *o = strchr(opens, c), *cl = strchr(closes, c);

		if (c == 'o' && (!i || !word_char((unsigned char)name[i - 1])) &&
		    len - i >= 8 && !memcmp(name + i, "operator", 8) &&
		    (i + 8 == len || !word_char((unsigned char)name[i + 8]))) {
			i += 8;
			if (len - i >= 2 && (!memcmp(name + i, "()", 2) ||
					     !memcmp(name + i, "[]", 2)))
				i += 2;
			else
				while (i < len && name[i] && strchr("<>=!+-*/%^&|~,", name[i]))
					i++;
			i--;
			continue;
		}
		if (!c || (!o && !cl))
			continue;
		if (c == '>' && i && name[i - 1] == '-')
			continue;
		if (o) {
			ALLOC_GROW(stack, sp + 1, salloc);
			stack[sp++] = i;
			continue;
		}
		if (!sp || name[stack[sp - 1]] != opens[cl - closes]) {
			nr = 0;
			goto out;
		}
		sp--;
		ALLOC_GROW(g, nr + 1, alloc);
		g[nr].open = stack[sp];
		g[nr].close = i;
		g[nr].depth = sp;
		g[nr].cols = columns(name + stack[sp] + 1, i - stack[sp] - 1);
		g[nr].elide = 0;
		nr++;
	}
	if (sp)
		nr = 0;
out:
	free(stack);
	if (!nr) {
		FREE_AND_NULL(g);
	} else {
		qsort(g, nr, sizeof(*g), by_open);
		/* a spare one, for elide_self_type() */
		ALLOC_GROW(g, nr + 1, alloc);
	}
	*out = g;
	return nr;
}

/*
 * In a name that starts with a qualified path "<T as Trait>::f", elide T
 * (as what is left of it counts in *cols): "<… as Trait>::f". T becomes
 * a group of its own, in the spare slot of g, after the path's (they
 * open at the same place). Returns the new number of groups.
 */
static size_t elide_self_type(const char *name, struct group *g, size_t ng,
			      size_t *cols)
{
	struct group self;
	size_t p, k, shown;

	for (p = g[0].open + 1; p + 4 <= g[0].close; p++) {
		if (memcmp(name + p, " as ", 4))
			continue;
		for (k = 1; k < ng; k++)
			if (g[k].open < p && p < g[k].close)
				break;
		if (k == ng)
			break;
	}
	if (p + 4 > g[0].close)
		return ng;
	/* what T shows now: its columns less what its elided groups saved */
	shown = columns(name + 1, p - 1);
	for (k = 1; k < ng; k++)
		if (g[k].elide && g[k].close < p)
			shown -= g[k].cols - 1;
	if (shown <= 1)
		return ng;
	self = (struct group){ .open = 0, .close = p, .depth = 1, .cols = shown,
			       .elide = 1 };
	*cols -= shown - 1;
	memmove(g + 2, g + 1, (ng - 1) * sizeof(*g));
	g[1] = self;
	return ng + 1;
}

/*
 * Elide the contents of candidates, largest first, until *cols fits max.
 * Curly groups ({closure#0}) are names, not arguments: they stay.
 */
static void elide_groups(const char *name, struct group **cand, size_t n,
			 size_t *cols, size_t max)
{
	size_t i;

	qsort(cand, n, sizeof(*cand), by_cols);
	for (i = 0; i < n && *cols > max; i++) {
		if (cand[i]->cols <= 1 || name[cand[i]->open] == '{')
			continue;
		cand[i]->elide = 1;
		*cols -= cand[i]->cols - 1;
	}
}

/* name with the contents of the elided groups replaced by an ellipsis. */
static void add_elided_groups(struct fg_buf *sb, const char *name, size_t len,
			      const struct group *g, size_t ng)
{
	size_t i = 0, k;

	for (k = 0; k < ng; k++) {
		if (!g[k].elide || g[k].open < i)
			continue;
		fg_buf_add(sb, name + i, g[k].open + 1 - i);
		fg_buf_addstr(sb, ELLIPSIS);
		i = g[k].close;
	}
	fg_buf_add(sb, name + i, len - i);
}

/*
 * Keep the first and the last path segments ("::" outside brackets) of
 * s, and as many more of the last ones as fit in max columns.
 */
static void elide_segments(struct fg_buf *sb, size_t max)
{
	size_t *seg = NULL, nseg = 0, alloc = 0, depth = 0, i, k;
	const char *s = sb->buf;

	for (i = 0; i + 1 < sb->len; i++) {
		if (s[i] && strchr("<([{", s[i]))
			depth++;
		else if (s[i] && strchr(">)]}", s[i]) && depth &&
			 !(s[i] == '>' && i && s[i - 1] == '-'))
			depth--;
		else if (!depth && s[i] == ':' && s[i + 1] == ':' && i + 2 < sb->len &&
			 s[i + 2] != '<') {
			ALLOC_GROW(seg, nseg + 1, alloc);
			seg[nseg++] = i;	/* where segment nseg ends */
			i++;
		}
	}
	if (nseg >= 2) {
		struct fg_buf out = FG_BUF_INIT;
		size_t head = columns(s, seg[0]) + 5;	/* "::…::" */

		/* segment k+1 starts at seg[k] + 2; keep at least the last one */
		for (k = 1; k + 1 < nseg; k++)
			if (head + columns(s + seg[k] + 2, sb->len - seg[k] - 2) <= max)
				break;
		fg_buf_add(&out, s, seg[0]);
		fg_buf_addstr(&out, "::" ELLIPSIS "::");
		fg_buf_add(&out, s + seg[k] + 2, sb->len - seg[k] - 2);
		fg_buf_release(sb);
		*sb = out;
	}
	free(seg);
}

/* The end of the token at i: a run of word characters, or one other byte. */
static size_t token_end(const char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	if (word_char((unsigned char)s[i]))
		while (j < len && word_char((unsigned char)s[j]))
			j++;
	return j;
}

/* The start of the token that ends at e, not before min. */
static size_t token_start(const char *s, size_t min, size_t e)
{
	size_t j = e - 1;

	if (word_char((unsigned char)s[j]))
		while (j > min && word_char((unsigned char)s[j - 1]))
			j--;
	return j;
}

/*
 * Keep tokens from both ends of sb, as many as fit in max columns with an
 * ellipsis between them, but at least the first and the last token: a
 * word is never cut.
 */
static void elide_words(struct fg_buf *sb, size_t max)
{
	const char *s = sb->buf;
	size_t len = sb->len, head, tail, cols;
	struct fg_buf out = FG_BUF_INIT;

	if (!len)
		return;
	head = token_end(s, len, 0);
	tail = head < len ? token_start(s, head, len) : len;
	cols = 1 + columns(s, head) + columns(s + tail, len - tail);
	/* then from the end and from the start in turn, while they fit */
	for (;;) {
		int grew = 0;
		size_t n;

		if (tail > head) {
			n = token_start(s, head, tail);
			if (cols + columns(s + n, tail - n) <= max) {
				cols += columns(s + n, tail - n);
				tail = n;
				grew = 1;
			}
		}
		if (tail > head) {
			n = token_end(s, tail, head);
			if (cols + columns(s + head, n - head) <= max) {
				cols += columns(s + head, n - head);
				head = n;
				grew = 1;
			}
		}
		if (!grew)
			break;
	}
	if (head >= tail)
		return;
	fg_buf_add(&out, s, head);
	fg_buf_addstr(&out, ELLIPSIS);
	fg_buf_add(&out, s + tail, len - tail);
	fg_buf_release(sb);
	*sb = out;
}

/*
 * Keep the first and the last columns of sb, max in all with an ellipsis
 * between them, cutting between code points: for a name with a word too
 * long for a line (a hostile binary's megabyte of letters).
 */
static void cut_middle(struct fg_buf *sb, size_t max)
{
	size_t head = (max - 1) / 2, tail = max - 1 - head, i, j, n;
	struct fg_buf out = FG_BUF_INIT;

	for (i = 0, n = 0; i < sb->len; i++)
		if (((unsigned char)sb->buf[i] & 0xc0) != 0x80 && n++ == head)
			break;
	for (j = sb->len, n = 0; j > i; j--)
		if (((unsigned char)sb->buf[j - 1] & 0xc0) != 0x80 && ++n == tail) {
			j--;
			break;
		}
	fg_buf_add(&out, sb->buf, i);
	fg_buf_addstr(&out, ELLIPSIS);
	fg_buf_add(&out, sb->buf + j, sb->len - j);
	fg_buf_release(sb);
	*sb = out;
}

/*
 * Append name to sb, shortened to about max columns when longer: first
 * the generic arguments (or C++ parameters) of the outer name give way
 * to an ellipsis, largest first; then, for a name that starts with a
 * qualified path ("<T as Trait>::f"), T, the arguments inside the path,
 * then all of it; then the middle path segments; and last whole words
 * from the middle. Only a word longer than twice max is cut. Control
 * characters are escaped afterwards.
 */
static void add_short_name(struct fg_buf *sb, const char *name, size_t len,
			   size_t max)
{
	struct fg_buf s = FG_BUF_INIT;
	struct group *g, **cand;
	size_t ng, nc = 0, cols = columns(name, len), k;

	if (cols <= max) {
		fg_buf_add_printable(sb, name, len);
		return;
	}
	ng = find_groups(name, len, &g);
	cand = xcalloc(ng ? ng : 1, sizeof(*cand));
	/* the groups of the outer name, not a leading qualified path */
	for (k = 0; k < ng; k++)
		if (!g[k].depth && g[k].open)
			cand[nc++] = &g[k];
	elide_groups(name, cand, nc, &cols, max);
	if (ng && !g[0].open && cols > max) {
		/* <T as Trait>::f: T, then the arguments inside, then all of it */
		size_t from = 0, n = name[0] == '<' ? elide_self_type(name, g, ng, &cols) : ng;

		if (n > ng)
			from = g[1].close;	/* past T */
		ng = n;
		for (nc = 0, k = 1; cols > max && k < ng; k++)
			if (g[k].depth == 1 && g[k].open > from && g[k].close < g[0].close)
				cand[nc++] = &g[k];
		elide_groups(name, cand, nc, &cols, max);
		if (cols > max) {
			cand[0] = &g[0];
			elide_groups(name, cand, 1, &cols, max);
		}
	}
	add_elided_groups(&s, name, len, g, ng);
	if (columns(s.buf, s.len) > max)
		elide_segments(&s, max);
	if (columns(s.buf, s.len) > max)
		elide_words(&s, max);
	/* a word of its own twice too long: cut, however */
	if (columns(s.buf, s.len) > 2 * max)
		cut_middle(&s, max);
	fg_buf_add_printable(sb, s.buf, s.len);
	fg_buf_release(&s);
	free(cand);
	free(g);
}

/* Sort order of the rows: by count, then by name (the same every run). */
static int before(const struct fn_stat *x, const struct fn_stat *y, int self)
{
	uint64_t a = self ? x->self : x->total, b = self ? y->self : y->total;
	int c;

	if (a != b)
		return a > b;
	c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);
	return c ? c < 0 : x->len < y->len;
}

/*
 * Print the SUMMARY_TOP functions with the most self (or total) samples,
 * leaving out the links of chains from the totals. Returns how many.
 */
static size_t print_top(FILE *out, const struct fn_table *ft, uint64_t grand,
			int self)
{
	const struct fn_stat *top[SUMMARY_TOP];
	size_t i, k, n = 0;

	/* a selection, not a sort: there can be millions of names */
	for (i = 0; i < ft->nr; i++) {
		const struct fn_stat *f = &ft->v[i];

		if (!(self ? f->self : f->total) || (!self && f->link))
			continue;
		if (n == SUMMARY_TOP && !before(f, top[n - 1], self))
			continue;
		k = n < SUMMARY_TOP ? n++ : n - 1;
		for (; k && before(f, top[k - 1], self); k--)
			top[k] = top[k - 1];
		top[k] = f;
	}
	for (i = 0; i < n; i++) {
		uint64_t c = self ? top[i]->self : top[i]->total;
		struct fg_buf name = FG_BUF_INIT;

		/* names come from binaries: no control characters on a terminal */
		add_short_name(&name, top[i]->name, top[i]->len, NAME_COLUMNS);
		fprintf(out, "  %6.2f%%  %s\n", 100.0 * (double)c / (double)grand, name.buf);
		fg_buf_release(&name);
	}
	return n;
}

/*
 * The two lists of functions, under headers that say what is counted:
 * self_what and total_what ("self time (on the CPU itself)"), of what
 * ("samples").
 */
static void print_functions(const struct stack_table *t, FILE *out,
			    const char *self_what, const char *total_what,
			    const char *what)
{
	struct fn_table ft = { 0 };
	struct trunk tr;
	uint64_t grand = 0;
	size_t i;

	for (i = 0; i < t->nr; i++)
		grand += t->v[i].count;
	if (!grand)
		return;
	find_trunk(t, grand, &tr);
	count_functions(t, &tr, &ft);
	if (!ft.nr)
		goto out;
	fprintf(out, "top functions by %s:\n", self_what);
	print_top(out, &ft, grand, 1);
	if (tr.depth) {
		struct fg_buf name = FG_BUF_INIT;

		add_short_name(&name, tr.last, tr.last_len, NAME_COLUMNS);
		fprintf(out, "top functions by %s, below %s (%.2f%% of %s):\n",
			total_what, name.buf, 100.0 * (double)tr.count / (double)grand,
			what);
		fg_buf_release(&name);
	} else {
		fprintf(out, "top functions by %s:\n", total_what);
	}
	if (!print_top(out, &ft, grand, 0) && tr.depth)
		fprintf(out, "  (no function below it)\n");
out:
	free(tr.matched);
	fn_table_release(&ft);
}

void run_print_summary(const struct stack_table *t, FILE *out)
{
	print_functions(t, out, "self time (on the CPU itself)",
			"total time (on the stack)", "samples");
}

/* A duration for people: "1.80 s", "600 ms", "12.5 us". */
static void print_duration(FILE *out, double ns)
{
	if (ns >= 1e9)
		fprintf(out, "%.2f s", ns / 1e9);
	else if (ns >= 1e6)
		fprintf(out, "%.1f ms", ns / 1e6);
	else if (ns >= 1e3)
		fprintf(out, "%.1f us", ns / 1e3);
	else
		fprintf(out, "%.0f ns", ns);
}

#define MAX_STATES 16

/* Time off the CPU by state: the share of value each state frame ends. */
static void print_states(const struct profile *p, int value, FILE *out)
{
	const char *name[MAX_STATES];
	uint64_t sum[MAX_STATES], total = 0;
	size_t i, k, n = 0;

	for (i = 0; i < p->nsamples; i++) {
		size_t len;
		const uint32_t *ids = profile_stack_ids(p, p->samples[i].stack, &len);
		const struct profile_location *l;
		uint64_t v = profile_values(p, i)[value];

		total += v;
		if (!len)
			continue;
		l = &p->locations[ids[len - 1]];
		if (!(l->flags & PROFILE_LOC_SYNTHETIC) || !l->nlines)
			continue;
		for (k = 0; k < n; k++)
			if (!strcmp(name[k], p->lines[l->first_line].function))
				break;
		if (k == n) {
			if (n == MAX_STATES)
				continue;
			name[n] = p->lines[l->first_line].function;
			sum[n++] = 0;
		}
		sum[k] += v;
	}
	if (!n || !total)
		return;
	/* the largest first */
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && sum[k] > sum[k - 1]; k--) {
			const char *tn = name[k];
			uint64_t ts = sum[k];

			name[k] = name[k - 1];
			sum[k] = sum[k - 1];
			name[k - 1] = tn;
			sum[k - 1] = ts;
		}
	fprintf(out, "waiting, by state:");
	for (k = 0; k < n; k++) {
		fprintf(out, "%s %s %.2f%% (", k ? "," : "", name[k],
			100.0 * (double)sum[k] / (double)total);
		print_duration(out, (double)sum[k]);
		fprintf(out, ")");
	}
	fprintf(out, "\n");
}

/* Wall-clock time: each thread's time, and the share of it spent waiting. */
static void print_threads_waiting(const struct profile *p, FILE *out)
{
	int off = profile_type_index(p, "off-cpu"), wall = profile_type_index(p, "wall");
	uint64_t *offs, *walls;
	size_t i, k, shown;

	if (off < 0 || wall < 0 || !p->nthreads)
		return;
	offs = xcalloc(p->nthreads, sizeof(*offs));
	walls = xcalloc(p->nthreads, sizeof(*walls));
	for (i = 0; i < p->nsamples; i++) {
		const uint64_t *v = profile_values(p, i);
		uint32_t t = p->samples[i].thread;

		if (!t)
			continue;
		offs[t - 1] += v[off];
		walls[t - 1] += v[wall];
	}
	fprintf(out, "time waiting (off the CPU), by thread:\n");
	/* the longest first, SUMMARY_TOP of them: a selection, as print_top() */
	for (shown = 0; shown < SUMMARY_TOP; shown++) {
		size_t best = p->nthreads;

		for (k = 0; k < p->nthreads; k++)
			if (walls[k] && (best == p->nthreads || walls[k] > walls[best]))
				best = k;
		if (best == p->nthreads)
			break;
		fprintf(out, "  %6.2f%% of ", 100.0 * (double)offs[best] / (double)walls[best]);
		print_duration(out, (double)walls[best]);
		fprintf(out, "  %s (%d/%d)\n", *p->threads[best].name ? p->threads[best].name :
			"[unknown]", (int)p->threads[best].pid, (int)p->threads[best].tid);
		walls[best] = 0;
	}
	free(offs);
	free(walls);
}

void run_print_time_summary(const struct profile *p, const struct profile_view *view,
			    FILE *out)
{
	struct profile_view fns = *view;
	struct stack_table t;
	int wall = profile_type_index(p, "wall") >= 0;

	/* the functions: the program's own frames, threads together */
	fns.user_only = 1;
	fns.include_pid = fns.include_tid = 0;
	fns.timeline = fns.by_thread = 0;
	stack_table_init(&t, 1);
	if (!profile_fold(p, &fns, &t)) {
		if (wall)
			print_functions(&t, out, "self time (on the CPU, or waiting in it)",
					"total time (on the stack)", "the time");
		else
			print_functions(&t, out, "off-CPU time, where threads wait (the calls "
					"that blocked)", "off-CPU time (on the stack)",
					"the time");
	}
	stack_table_release(&t);
	print_states(p, view->value, out);
	if (wall)
		print_threads_waiting(p, out);
}
