/*
 * From the stack table to frames.
 *
 * merge_lines_build() applies the options that change which lines are
 * drawn and in what order (--base, --reverse, --flamechart, --no-sort, the
 * default byte sort). merge_frames_build() is the flow algorithm of
 * inferno and flamegraph.pl: a frame is shared only between adjacent lines
 * with the same prefix, so "a;b", "a;b!x", "a;b;c" give two "b" frames.
 * It makes one pass over the lines with a stack of open frames, and drops
 * frames narrower than --min-width as they close, so only the frames that
 * will be drawn are ever stored.
 */
#include "svg-internal.h"
#include "../lib/error.h"

#include <pthread.h>

void merge_lines_release(struct merge_lines *ml)
{
	free(ml->v);
	free(ml->arena);
	memset(ml, 0, sizeof(*ml));
}

/* Does frame s[0..len) equal one of the --base symbols? */
static int is_base(const char *const *base, const char *s, size_t len)
{
	for (; *base; base++)
		if (strlen(*base) == len && !memcmp(*base, s, len))
			return 1;
	return 0;
}

/*
 * The offset of the --base frame closest to the leaf of s, or -1 when
 * none of its frames is a base symbol.
 */
static ssize_t base_cut(const char *const *base, const char *s, size_t len)
{
	size_t end = len;

	for (;;) {
		const char *semi = memrchr(s, ';', end);
		size_t start = semi ? (size_t)(semi - s) + 1 : 0;

		if (is_base(base, s + start, end - start))
			return (ssize_t)start;
		if (!semi)
			return -1;
		end = start - 1;
	}
}

/* Write the frames of s in reverse order to dst; returns the length. */
static size_t reverse_frames(char *dst, const char *s, size_t len)
{
	size_t end = len, n = 0;

	for (;;) {
		const char *semi = memrchr(s, ';', end);
		size_t start = semi ? (size_t)(semi - s) + 1 : 0;

		memcpy(dst + n, s + start, end - start);
		n += end - start;
		if (!semi)
			break;
		dst[n++] = ';';
		end = start - 1;
	}
	return n;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\v' || c == '\f';
}

static inline int line_cmp(const struct svg_line *a, const struct svg_line *b)
{
	return stack_cmp(a->s, a->len, b->s, b->len);
}

/*
 * Sorting: a three-way radix quicksort (Bentley & Sedgewick's multikey
 * quicksort) on 8-byte big-endian chunks of the stacks. Folded stacks
 * share long prefixes ("main;run;..."), which makes comparison sorts
 * re-read the same bytes many times; here each level reads one chunk per
 * line into the line's key, and partitions the contiguous array on it.
 */
static inline void swap_lines(struct svg_line *a, struct svg_line *b)
{
	struct svg_line t = *a;
	*a = *b;
	*b = t;
}

/* The 8 bytes of l at offset d, big-endian, zero-padded past the end. */
static inline uint64_t chunk_at(const struct svg_line *l, size_t d)
{
	unsigned char b[8] = { 0 };
	uint64_t k;

	if (d < l->len) {
		size_t n = l->len - d;

		memcpy(b, l->s + d, n < 8 ? n : 8);
	}
	k = (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 |
	    (uint64_t)b[3] << 32 | (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	    (uint64_t)b[6] << 8 | (uint64_t)b[7];
	return k;
}

static void insertion_sort(struct svg_line *v, size_t n, size_t d)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct svg_line x = v[i];

		for (j = i; j > 0; j--) {
			const struct svg_line *p = &v[j - 1];

			/* every line here is at least d long and shares the first d bytes */
			if (stack_cmp(p->s + d, p->len - d, x.s + d, x.len - d) <= 0)
				break;
			v[j] = v[j - 1];
		}
		v[j] = x;
	}
}

static int len_cmp(const void *va, const void *vb)
{
	const struct svg_line *a = va, *b = vb;

	return a->len < b->len ? -1 : a->len > b->len;
}

/* Length of the common prefix of a and b, at most max bytes. */
static size_t common_prefix(const char *a, const char *b, size_t max)
{
	size_t i = 0;

	for (; i + 8 <= max; i += 8) {
		uint64_t x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return i + (size_t)__builtin_ctzll(x ^ y) / 8;
	}
	while (i < max && a[i] == b[i])
		i++;
	return i;
}

/*
 * Bytes from d on that every line of v[0..n) shares. Flame graph stacks
 * share long prefixes ("comm;_start;main;..."): skipping them at once
 * reads each line sequentially instead of one 8-byte chunk per pass.
 */
static size_t group_lcp(const struct svg_line *v, size_t n, size_t d)
{
	size_t lcp = v[0].len - d, i;

	for (i = 1; i < n && lcp; i++) {
		size_t rest = v[i].len - d;

		lcp = common_prefix(v[0].s + d, v[i].s + d, rest < lcp ? rest : lcp);
	}
	return lcp;
}

static void mkqsort(struct svg_line *v, size_t n, size_t d)
{
	while (n > 24) {
		size_t lt = 0, gt = n - 1, i, ended;
		uint64_t pivot;

		for (i = 0; i < n; i++)
			v[i].key = chunk_at(&v[i], d);
		/* All lines share this chunk and go on: skip the shared part. */
		for (i = 1; i < n && v[i].key == v[0].key; i++)
			;
		if (i == n) {
			for (i = 0; i < n && v[i].len > d + 8; i++)
				;
			if (i == n) {
				d += 8 + group_lcp(v, n, d + 8);
				continue;
			}
		}
		/* median of three */
		{
			uint64_t a = v[0].key, b = v[n / 2].key, c = v[n - 1].key;
			size_t m = (a < b) ? ((b < c) ? n / 2 : (a < c ? n - 1 : 0))
					   : ((a < c) ? 0 : (b < c ? n - 1 : n / 2));
			swap_lines(&v[0], &v[m]);
		}
		pivot = v[0].key;
		i = 1;
		while (i <= gt) {
			uint64_t k = v[i].key;

			if (k < pivot)
				swap_lines(&v[lt++], &v[i++]);
			else if (k > pivot)
				swap_lines(&v[i], &v[gt--]);
			else
				i++;
		}
		/* v[0..lt) < pivot, v[lt..gt] == pivot, v(gt..n) > pivot */
		mkqsort(v, lt, d);
		mkqsort(v + gt + 1, n - gt - 1, d);
		v += lt;
		n = gt - lt + 1;
		/*
		 * Lines that end within this chunk are prefixes of every other
		 * line of the group: they go first, shorter first.
		 */
		for (i = 0, ended = 0; i < n; i++)
			if (v[i].len <= d + 8)
				swap_lines(&v[ended++], &v[i]);
		if (ended > 1)
			qsort(v, ended, sizeof(*v), len_cmp);
		v += ended;
		n -= ended;
		d += 8;
	}
	if (n > 1)
		insertion_sort(v, n, d);
}

/* Below this many lines one thread sorts faster than two. */
#define PARALLEL_SORT_MIN 20000

struct sort_job {
	struct svg_line *v;
	size_t n;
};

static void *sort_thread(void *arg)
{
	struct sort_job *job = arg;

	mkqsort(job->v, job->n, 0);
	return NULL;
}

/*
 * Sort v[0..n): big inputs are sorted in two halves on two threads, then
 * merged. Sorting is bound by cache misses on lines spread over memory,
 * and two cores wait for two streams of misses at once.
 */
static void sort_lines(struct svg_line *v, size_t n)
{
	struct sort_job job;
	struct svg_line *tmp;
	pthread_t th;
	size_t half = n / 2, i = 0, j = half, k = 0;

	if (n < PARALLEL_SORT_MIN) {
		mkqsort(v, n, 0);
		return;
	}
	job.v = v + half;
	job.n = n - half;
	if (pthread_create(&th, NULL, sort_thread, &job)) {
		mkqsort(v, n, 0);
		return;
	}
	mkqsort(v, half, 0);
	pthread_join(th, NULL);
	tmp = xmalloc(st_mult(n, sizeof(*tmp)));
	while (i < half && j < n)
		tmp[k++] = line_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < half)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
	free(tmp);
}

/* The first line that sorts before the one above it, or 0: sorted. */
static size_t first_unsorted(const struct svg_line *v, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (line_cmp(&v[i - 1], &v[i]) > 0)
			return i;
	return 0;
}

int merge_lines_build(struct merge_lines *ml, const struct stack_table *t,
		      const struct svg_opts *o)
{
	size_t i, arena_len = 0;
	int has_base = o->base && o->base[0];

	memset(ml, 0, sizeof(*ml));
	ml->delta_max = 1;
	ALLOC_GROW(ml->v, t->nr, ml->alloc);
	for (i = 0; i < t->nr; i++) {
		const struct stack_entry *e = &t->v[i];
		struct svg_line *l = &ml->v[ml->nr];

		l->s = e->stack;
		l->len = e->len;
		l->count = e->count;
		l->before = e->before;
		if (has_base) {
			ssize_t cut = base_cut(o->base, l->s, l->len);

			if (cut < 0)
				continue;
			l->s += cut;
			l->len -= (size_t)cut;
		}
		if (__builtin_add_overflow(ml->total, l->count, &ml->total))
			return -FG_ERR_COUNT_OVERFLOW;
		if (t->has_diff) {
			uint64_t d = l->count > l->before ? l->count - l->before
							  : l->before - l->count;
			if (d > ml->delta_max)
				ml->delta_max = d;
		}
		arena_len += l->len;
		ml->nr++;
	}

	if (o->reverse) {
		char *p;

		ml->arena = xmalloc(arena_len ? arena_len : 1);
		p = ml->arena;
		for (i = 0; i < ml->nr; i++) {
			struct svg_line *l = &ml->v[i];
			size_t n = reverse_frames(p, l->s, l->len), start = 0;

			/*
			 * Trim the result, as inferno does (PR #338): a Rust
			 * type like "[u8; 8]" split on ';' leaves a frame with
			 * a leading space, which may now start the stack.
			 */
			while (start < n && is_space((unsigned char)p[start]))
				start++;
			while (n > start && is_space((unsigned char)p[n - 1]))
				n--;
			l->s = p + start;
			l->len = n - start;
			p += l->len + start;
		}
	} else if (o->flame_chart) {
		/* inferno draws the last input line leftmost */
		for (i = 0; ml->nr && i < ml->nr / 2; i++)
			swap_lines(&ml->v[i], &ml->v[ml->nr - 1 - i]);
		return 0;
	} else if (o->no_sort) {
		ml->unsorted = first_unsorted(ml->v, ml->nr);
		return ml->unsorted ? -FG_ERR_UNSORTED : 0;
	}
	if (first_unsorted(ml->v, ml->nr))
		sort_lines(ml->v, ml->nr);
	return 0;
}

void merge_frames_release(struct merge_frames *mf)
{
	free(mf->v);
	memset(mf, 0, sizeof(*mf));
}

struct open_frame {
	const char *name;
	size_t len;
	uint64_t start;
	uint64_t dmag;
	uint8_t dneg, has_delta;
};

struct flow {
	struct open_frame *open;	/* open[d] is the frame at depth d */
	size_t nr, alloc;
	struct merge_frames *mf;
	double min_time;
};

/* Close open frames from depth `from` upwards (shallow first, as inferno). */
static void close_from(struct flow *f, size_t from, uint64_t time)
{
	size_t d;

	for (d = from; d < f->nr; d++) {
		const struct open_frame *of = &f->open[d];
		struct svg_frame *fr;

		if ((double)(time - of->start) < f->min_time)
			continue;
		ALLOC_GROW(f->mf->v, f->mf->nr + 1, f->mf->alloc);
		fr = &f->mf->v[f->mf->nr++];
		fr->name = of->name;
		fr->len = of->len;
		fr->start = of->start;
		fr->end = time;
		fr->dmag = of->dmag;
		fr->dneg = of->dneg;
		fr->has_delta = of->has_delta;
		fr->depth = (uint32_t)d;
		if (fr->depth > f->mf->depth_max)
			f->mf->depth_max = fr->depth;
	}
	if (from < f->nr)
		f->nr = from;
}

static void open_frame(struct flow *f, const char *name, size_t len,
		       uint64_t time, int diff, int leaf, const struct svg_line *l)
{
	struct open_frame *of;

	if (f->nr >= UINT32_MAX)
		BUG("stack too deep");
	ALLOC_GROW(f->open, f->nr + 1, f->alloc);
	of = &f->open[f->nr++];
	of->name = name;
	of->len = len;
	of->start = time;
	of->has_delta = (uint8_t)diff;
	of->dmag = 0;
	of->dneg = 0;
	if (diff && leaf) {
		if (l->count >= l->before) {
			of->dmag = l->count - l->before;
		} else {
			of->dmag = l->before - l->count;
			of->dneg = 1;
		}
	}
}

void merge_frames_build(struct merge_frames *mf, const struct merge_lines *ml,
			int diff, double min_width)
{
	struct flow f = { .mf = mf };
	uint64_t time = 0;
	size_t i;

	memset(mf, 0, sizeof(*mf));
	if (!ml->nr)
		return;
	/* the same arithmetic as inferno, so that the same frames survive */
	f.min_time = min_width / (100.0 / (double)ml->total);

	for (i = 0; i < ml->nr; i++) {
		const struct svg_line *l = &ml->v[i];
		const char *s = l->s, *end = s + l->len;

		if (i + 4 < ml->nr) {	/* sorted lines sit all over memory */
			const struct svg_line *ahead = &ml->v[i + 4];
			size_t off;

			for (off = 0; off < ahead->len && off < 512; off += 64)
				__builtin_prefetch(ahead->s + off);
		}
		size_t depth = 1;
		int matching = 1;

		if (!f.nr)
			open_frame(&f, "", 0, time, diff, 0, l);	/* the root, "all" */
		for (;;) {
			const char *semi = memchr(s, ';', (size_t)(end - s));
			const char *fe = semi ? semi : end;
			size_t flen = (size_t)(fe - s);

			if (matching) {
				if (depth < f.nr && f.open[depth].len == flen &&
				    !memcmp(f.open[depth].name, s, flen)) {
					depth++;
					if (!semi)
						break;
					s = semi + 1;
					continue;
				}
				close_from(&f, depth, time);
				matching = 0;
			}
			open_frame(&f, s, flen, time, diff, !semi, l);
			depth++;
			if (!semi)
				break;
			s = semi + 1;
		}
		if (matching)
			close_from(&f, depth, time);	/* a prefix of the last line */
		time += l->count;
	}
	close_from(&f, 0, time);
	free(f.open);
}

size_t svg_deannotate_len(const char *name, size_t len)
{
	if (len >= 4 && name[len - 1] == ']' && name[len - 4] == '_' &&
	    name[len - 3] == '[' && strchr("kwij", name[len - 2]) && name[len - 2])
		return len - 4;
	return len;
}
