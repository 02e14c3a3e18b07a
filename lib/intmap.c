#include "intmap.h"

#define EMPTY UINT64_MAX

static size_t slot_of(const struct intmap *m, uint64_t key)
{
	return (size_t)hash_mix64(key) & (m->cap - 1);
}

uint64_t *intmap_get(const struct intmap *m, uint64_t key)
{
	size_t s;

	if (!m->cap || key == EMPTY)
		return NULL;
	for (s = slot_of(m, key); m->keys[s] != EMPTY; s = (s + 1) & (m->cap - 1))
		if (m->keys[s] == key)
			return &m->vals[s];
	return NULL;
}

uint64_t *intmap_find_hashed(const struct intmap *m, uint64_t h,
			     int (*same)(const void *ctx, uint64_t val),
			     const void *ctx, uint64_t *key)
{
	const uint64_t mask = ~(1ULL << 63);	/* never the reserved key */
	uint64_t *v;

	for (h &= mask;; h = (h + 1) & mask) {
		v = intmap_get(m, h);
		if (!v || same(ctx, *v))
			break;
	}
	*key = h;
	return v;
}

static void grow(struct intmap *m)
{
	struct intmap n;
	size_t i;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.nr = 0;
	n.keys = xmalloc(st_mult(n.cap, sizeof(*n.keys)));
	n.vals = xmalloc(st_mult(n.cap, sizeof(*n.vals)));
	memset(n.keys, 0xff, n.cap * sizeof(*n.keys));
	for (i = 0; i < m->cap; i++)
		if (m->keys[i] != EMPTY)
			intmap_put(&n, m->keys[i], m->vals[i]);
	free(m->keys);
	free(m->vals);
	*m = n;
}

void intmap_put(struct intmap *m, uint64_t key, uint64_t val)
{
	size_t s;

	if (key == EMPTY)
		BUG("intmap key UINT64_MAX is reserved");
	if ((m->nr + 1) * 4 > m->cap * 3)
		grow(m);
	for (s = slot_of(m, key); m->keys[s] != EMPTY; s = (s + 1) & (m->cap - 1))
		if (m->keys[s] == key) {
			m->vals[s] = val;
			return;
		}
	m->keys[s] = key;
	m->vals[s] = val;
	m->nr++;
}

int intmap_del(struct intmap *m, uint64_t key)
{
	size_t s, j;

	if (!m->cap || key == EMPTY)
		return 0;
	for (s = slot_of(m, key); m->keys[s] != key; s = (s + 1) & (m->cap - 1))
		if (m->keys[s] == EMPTY)
			return 0;
	/* Backward-shift deletion keeps probe chains intact. */
	m->keys[s] = EMPTY;
	m->nr--;
	for (j = (s + 1) & (m->cap - 1); m->keys[j] != EMPTY; j = (j + 1) & (m->cap - 1)) {
		size_t home = slot_of(m, m->keys[j]);
		int move = (j > s) ? (home <= s || home > j) : (home <= s && home > j);

		if (move) {
			m->keys[s] = m->keys[j];
			m->vals[s] = m->vals[j];
			m->keys[j] = EMPTY;
			s = j;
		}
	}
	return 1;
}

void intmap_release(struct intmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

int intmap_next(const struct intmap *m, size_t *iter, uint64_t *key,
		uint64_t *val)
{
	while (*iter < m->cap) {
		size_t i = (*iter)++;

		if (m->keys[i] != EMPTY) {
			*key = m->keys[i];
			*val = m->vals[i];
			return 1;
		}
	}
	return 0;
}
