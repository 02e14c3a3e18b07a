/*
 * The text summary printed after a recording: the functions with the most
 * samples on the CPU themselves (self) and on the stack at all (total), so
 * the hot spot is visible without opening the SVG.
 */
#include "run.h"

#define SUMMARY_TOP 10

struct fn_stat {
	const char *name;
	size_t len;
	uint64_t self, total;
	size_t last_stack;	/* index+1 of the last stack counted in total */
	uint64_t hash;
};

struct fn_table {
	struct fn_stat *v;
	size_t nr, alloc;
	uint32_t *slots;
	size_t nslots;
};

static uint64_t name_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static struct fn_stat *fn_get(struct fn_table *t, const char *name, size_t len)
{
	uint64_t h = name_hash(name, len);
	size_t s, i;

	if ((t->nr + 1) * 2 > t->nslots) {
		size_t n = t->nslots ? t->nslots * 2 : 256;

		free(t->slots);
		t->slots = xcalloc(n, sizeof(*t->slots));
		t->nslots = n;
		for (i = 0; i < t->nr; i++) {
			s = t->v[i].hash & (n - 1);
			while (t->slots[s])
				s = (s + 1) & (n - 1);
			t->slots[s] = (uint32_t)(i + 1);
		}
	}
	for (s = h & (t->nslots - 1); t->slots[s]; s = (s + 1) & (t->nslots - 1)) {
		struct fn_stat *f = &t->v[t->slots[s] - 1];

		if (f->hash == h && f->len == len && !memcmp(f->name, name, len))
			return f;
	}
	ALLOC_GROW(t->v, t->nr + 1, t->alloc);
	t->slots[s] = (uint32_t)(t->nr + 1);
	memset(&t->v[t->nr], 0, sizeof(t->v[t->nr]));
	t->v[t->nr].name = name;
	t->v[t->nr].len = len;
	t->v[t->nr].hash = h;
	return &t->v[t->nr++];
}

static int by_self(const void *a, const void *b)
{
	const struct fn_stat *x = a, *y = b;

	return x->self < y->self ? 1 : x->self > y->self ? -1 : 0;
}

static int by_total(const void *a, const void *b)
{
	const struct fn_stat *x = a, *y = b;

	return x->total < y->total ? 1 : x->total > y->total ? -1 : 0;
}

static void print_top(FILE *out, const char *what, struct fn_stat *v, size_t n,
		      uint64_t grand, int self)
{
	size_t i, shown = 0;

	fprintf(out, "top functions by %s:\n", what);
	for (i = 0; i < n && shown < SUMMARY_TOP; i++) {
		uint64_t c = self ? v[i].self : v[i].total;

		if (!c)
			break;
		size_t len = v[i].len > 120 ? 120 : v[i].len;
		struct fg_buf name = FG_BUF_INIT;

		/* names come from binaries: no control characters on a terminal */
		fg_buf_add_printable(&name, v[i].name, len);
		fprintf(out, "  %6.2f%%  %s\n", 100.0 * (double)c / (double)grand, name.buf);
		fg_buf_release(&name);
		shown++;
	}
}

void run_print_summary(const struct stack_table *t, FILE *out)
{
	struct fn_table ft = { 0 };
	uint64_t grand = 0;
	size_t i;

	for (i = 0; i < t->nr; i++) {
		const struct stack_entry *e = &t->v[i];
		const char *p = e->stack, *end = p + e->len;
		int depth = 0;

		grand += e->count;
		while (p < end) {
			const char *semi = memchr(p, ';', (size_t)(end - p));
			const char *fe = semi ? semi : end;
			struct fn_stat *f;

			/* the root is the process name: it is always 100% */
			if (depth++ > 0 || !semi) {
				f = fn_get(&ft, p, (size_t)(fe - p));
				if (f->last_stack != i + 1) {
					f->total += e->count;
					f->last_stack = i + 1;
				}
				if (!semi)
					f->self += e->count;
			}
			p = semi ? semi + 1 : end;
		}
	}
	if (!grand || !ft.nr)
		goto out;
	qsort(ft.v, ft.nr, sizeof(*ft.v), by_self);
	print_top(out, "self time (on the CPU itself)", ft.v, ft.nr, grand, 1);
	qsort(ft.v, ft.nr, sizeof(*ft.v), by_total);
	print_top(out, "total time (on the stack)", ft.v, ft.nr, grand, 0);
out:
	free(ft.v);
	free(ft.slots);
}
