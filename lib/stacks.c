#include "stacks.h"
#include "error.h"

#include <sys/mman.h>

/*
 * Stack strings live in chunks of at least this size, aligned for huge
 * pages: first-touch page faults dominate the cost of storing strings on
 * virtual machines, and 2 MiB pages make them 512 times rarer.
 */
#define CHUNK_SIZE (8u << 20)
#define CHUNK_ALIGN (2u << 20)

struct stack_chunk {
	struct stack_chunk *next;
	size_t used, size;
	char data[];
};

void stack_table_init(struct stack_table *t, int merge)
{
	memset(t, 0, sizeof(*t));
	t->merge = merge;
}

void stack_table_release(struct stack_table *t)
{
	struct stack_chunk *c = t->chunks;

	while (c) {
		struct stack_chunk *next = c->next;
		free(c);
		c = next;
	}
	free(t->v);
	free(t->slots);
	stack_table_init(t, t->merge);
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	/* 64-bit multiply-xorshift over 8-byte words; good enough for a table. */
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xff51afd7ed558ccdULL);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	if (i < len) {
		uint64_t w = 0;
		memcpy(&w, s + i, len - i);
		h = (h ^ w) * 0x94d049bb133111ebULL;
		h ^= h >> 31;
	}
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

static const char *store(struct stack_table *t, const char *s, size_t len)
{
	struct stack_chunk *c = t->chunks;
	char *p;

	if (!c || c->size - c->used < len) {
		size_t size = len > CHUNK_SIZE ? len : CHUNK_SIZE;
		size_t bytes = st_add(sizeof(*c), size);

		/* The first chunk stays small: most tables are small. */
		if (!c && len < (64u << 10)) {
			size = 64u << 10;
			bytes = sizeof(*c) + size;
			c = xmalloc(bytes);
		} else {
			bytes = (bytes + CHUNK_ALIGN - 1) & ~(size_t)(CHUNK_ALIGN - 1);
			c = xmalloc_huge(bytes);
			size = bytes - sizeof(*c);
		}
		c->size = size;
		c->used = 0;
		c->next = t->chunks;
		t->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	c->used += len;
	return p;
}

/* Rebuild the index with n slots (a power of two). */
static void reindex(struct stack_table *t, size_t n)
{
	size_t i;

	free(t->slots);
	t->slots = xcalloc(n, sizeof(*t->slots));
	t->nslots = n;
	for (i = 0; i < t->nr; i++) {
		size_t s = t->v[i].hash & (n - 1);
		while (t->slots[s])
			s = (s + 1) & (n - 1);
		t->slots[s] = (uint32_t)(i + 1);
	}
}

static struct stack_entry *find_or_add(struct stack_table *t, const char *stack,
				       size_t len, int *created)
{
	uint64_t h = hash_bytes(stack, len);
	struct stack_entry *e;
	size_t s = 0;

	if (t->merge) {
		if ((t->nr + 1) * 4 > t->nslots * 3)
			reindex(t, t->nslots ? t->nslots * 2 : 1024);
		s = h & (t->nslots - 1);
		while (t->slots[s]) {
			e = &t->v[t->slots[s] - 1];
			if (e->hash == h && e->len == len &&
			    !memcmp(e->stack, stack, len)) {
				*created = 0;
				return e;
			}
			s = (s + 1) & (t->nslots - 1);
		}
	}
	if (t->nr >= UINT32_MAX - 1)
		BUG("too many distinct stacks");
	ALLOC_GROW(t->v, t->nr + 1, t->alloc);
	e = &t->v[t->nr++];
	e->stack = store(t, stack, len);
	e->len = len;
	e->count = 0;
	e->before = 0;
	e->hash = h;
	if (t->merge)
		t->slots[s] = (uint32_t)t->nr;
	*created = 1;
	return e;
}

static void drop_new(struct stack_table *t)
{
	/* Undo the entry find_or_add() just created (its string stays). */
	t->nr--;
	if (t->merge)
		reindex(t, t->nslots);
}

int stack_table_add(struct stack_table *t, const char *stack, size_t len,
		    uint64_t count)
{
	int created;
	struct stack_entry *e = find_or_add(t, stack, len, &created);
	uint64_t sum;

	if (__builtin_add_overflow(e->count, count, &sum)) {
		if (created)
			drop_new(t);
		return -FG_ERR_COUNT_OVERFLOW;
	}
	e->count = sum;
	if (__builtin_add_overflow(t->total, count, &t->total))
		t->total = UINT64_MAX;
	return 0;
}

int stack_table_add_diff(struct stack_table *t, const char *stack, size_t len,
			 uint64_t before, uint64_t after)
{
	int created;
	struct stack_entry *e = find_or_add(t, stack, len, &created);
	uint64_t b, a;

	if (__builtin_add_overflow(e->before, before, &b) ||
	    __builtin_add_overflow(e->count, after, &a)) {
		if (created)
			drop_new(t);
		return -FG_ERR_COUNT_OVERFLOW;
	}
	e->before = b;
	e->count = a;
	t->has_diff = 1;
	if (__builtin_add_overflow(t->total, after, &t->total))
		t->total = UINT64_MAX;
	return 0;
}

const struct stack_entry *stack_table_find(const struct stack_table *t,
					   const char *stack, size_t len)
{
	uint64_t h;
	size_t s;

	if (!t->merge)
		BUG("stack_table_find() needs a merging table");
	if (!t->nslots)
		return NULL;
	h = hash_bytes(stack, len);
	for (s = h & (t->nslots - 1); t->slots[s]; s = (s + 1) & (t->nslots - 1)) {
		const struct stack_entry *e = &t->v[t->slots[s] - 1];

		if (e->hash == h && e->len == len && !memcmp(e->stack, stack, len))
			return e;
	}
	return NULL;
}

int stack_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int entry_cmp(const void *va, const void *vb)
{
	const struct stack_entry *a = va, *b = vb;

	return stack_cmp(a->stack, a->len, b->stack, b->len);
}

void stack_table_sort(struct stack_table *t)
{
	if (t->nr > 1)
		qsort(t->v, t->nr, sizeof(*t->v), entry_cmp);
	if (t->merge && t->nslots)
		reindex(t, t->nslots);
}

void stack_table_reverse(struct stack_table *t)
{
	size_t i, j;

	for (i = 0, j = t->nr ? t->nr - 1 : 0; i < j; i++, j--) {
		struct stack_entry tmp = t->v[i];
		t->v[i] = t->v[j];
		t->v[j] = tmp;
	}
	if (t->merge && t->nslots)
		reindex(t, t->nslots);
}

int stack_table_write(const struct stack_table *t, FILE *out)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		const struct stack_entry *e = &t->v[i];

		fwrite(e->stack, 1, e->len, out);
		if (t->has_diff)
			fprintf(out, " %" PRIu64 " %" PRIu64 "\n", e->before, e->count);
		else
			fprintf(out, " %" PRIu64 "\n", e->count);
	}
	return ferror(out) ? -FG_ERR_IO : 0;
}
