#include "stacks.h"
#include "error.h"

void stack_table_init(struct stack_table *t, int merge)
{
	memset(t, 0, sizeof(*t));
	t->merge = merge;
}

void stack_table_release(struct stack_table *t)
{
	arena_release(&t->strings);
	free(t->v);
	hash_slots_release(&t->slots);
	stack_table_init(t, t->merge);
}

/* Index the entries again, in n slots (entries moved, or more of them). */
static void reindex(struct stack_table *t, size_t n)
{
	hash_slots_rebuild(&t->slots, n, t->v, t->nr, sizeof(*t->v),
			   offsetof(struct stack_entry, hash));
}

/* The slot of stack (hash h) in a merging table, or the empty slot where it goes. */
static size_t probe(const struct stack_table *t, const char *stack, size_t len,
		    uint64_t h)
{
	size_t s = hash_slots_first(&t->slots, h);

	for (; t->slots.v[s]; s = hash_slots_next(&t->slots, s)) {
		const struct stack_entry *e = &t->v[t->slots.v[s] - 1];

		if (e->hash == h && e->len == len && !memcmp(e->stack, stack, len))
			break;
	}
	return s;
}

/* The entry of stack, added if new (a copy of it, or stack itself: ref). */
static struct stack_entry *find_or_add(struct stack_table *t, const char *stack,
				       size_t len, uint64_t h, int ref)
{
	struct stack_entry *e;
	char *copy;
	size_t s = 0;

	if (t->merge) {
		if ((t->nr + 1) * 4 > t->slots.n * 3)
			reindex(t, t->slots.n ? t->slots.n * 2 : 1024);
		s = probe(t, stack, len, h);
		if (t->slots.v[s])
			return &t->v[t->slots.v[s] - 1];
	} else if (t->nr) {
		/* the same stack again at once: one entry (drawn the same) */
		e = &t->v[t->nr - 1];
		if (e->hash == h && e->len == len && !memcmp(e->stack, stack, len))
			return e;
	}
	if (t->nr >= UINT32_MAX - 1)
		BUG("too many distinct stacks");
	ALLOC_GROW(t->v, t->nr + 1, t->alloc);
	e = &t->v[t->nr++];
	if (ref) {
		e->stack = stack;
	} else {
		copy = arena_alloc(&t->strings, len, 1);
		if (len)
			memcpy(copy, stack, len);
		e->stack = copy;
	}
	e->len = len;
	e->count = 0;
	e->before = 0;
	e->hash = h;
	if (t->merge)
		t->slots.v[s] = (uint32_t)t->nr;
	return e;
}

/*
 * A new entry has zero counts, so only the counts of an entry that was
 * there already can overflow: on error the table is unchanged.
 */
/* Add count to the entry of stack (a copy of it, or stack itself: ref). */
static int add_count(struct stack_table *t, const char *stack, size_t len,
		     uint64_t h, uint64_t count, int ref)
{
	struct stack_entry *e = find_or_add(t, stack, len, h, ref);
	uint64_t sum;

	if (__builtin_add_overflow(e->count, count, &sum))
		return -FG_ERR_COUNT_OVERFLOW;
	e->count = sum;
	if (__builtin_add_overflow(t->total, count, &t->total))
		t->total = UINT64_MAX;
	return 0;
}

int stack_table_add(struct stack_table *t, const char *stack, size_t len,
		    uint64_t count)
{
	return add_count(t, stack, len, hash_bytes(stack, len), count, 0);
}

/* Add before and after to the entry of stack (a diff entry: has_diff). */
static int add_diff(struct stack_table *t, const char *stack, size_t len,
		    uint64_t h, uint64_t before, uint64_t after, int ref)
{
	struct stack_entry *e = find_or_add(t, stack, len, h, ref);
	uint64_t b, a;

	if (__builtin_add_overflow(e->before, before, &b) ||
	    __builtin_add_overflow(e->count, after, &a))
		return -FG_ERR_COUNT_OVERFLOW;
	e->before = b;
	e->count = a;
	t->has_diff = 1;
	if (__builtin_add_overflow(t->total, after, &t->total))
		t->total = UINT64_MAX;
	return 0;
}

int stack_table_add_diff(struct stack_table *t, const char *stack, size_t len,
			 uint64_t before, uint64_t after)
{
	return add_diff(t, stack, len, hash_bytes(stack, len), before, after, 0);
}

int stack_table_add_ref(struct stack_table *t, const char *stack, size_t len,
			uint64_t hash, int diff, uint64_t before, uint64_t count)
{
	if (diff)
		return add_diff(t, stack, len, hash, before, count, 1);
	return add_count(t, stack, len, hash, count, 1);
}

const struct stack_entry *stack_table_find(const struct stack_table *t,
					   const char *stack, size_t len)
{
	size_t s;

	if (!t->merge)
		BUG("stack_table_find() needs a merging table");
	if (!t->slots.n)
		return NULL;
	s = probe(t, stack, len, hash_bytes(stack, len));
	return t->slots.v[s] ? &t->v[t->slots.v[s] - 1] : NULL;
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
	if (t->merge && t->slots.n)
		reindex(t, t->slots.n);
}

void stack_table_reverse(struct stack_table *t)
{
	size_t i, j;

	for (i = 0, j = t->nr ? t->nr - 1 : 0; i < j; i++, j--) {
		struct stack_entry tmp = t->v[i];
		t->v[i] = t->v[j];
		t->v[j] = tmp;
	}
	if (t->merge && t->slots.n)
		reindex(t, t->slots.n);
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
