/*
 * The string map (see strmap.h): entries in an array, in insertion
 * order, indexed by a struct hash_slots kept at most half full.
 */
#include "strmap.h"

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_release(struct strmap *m)
{
	free(m->v);
	hash_slots_release(&m->slots);
	arena_release(&m->keys);
	strmap_init(m);
}

/* The slot of key (hash h), or the empty slot where it would go. */
static size_t find_slot(const struct strmap *m, const char *key, size_t klen, uint64_t h)
{
	size_t s;

	for (s = hash_slots_first(&m->slots, h); m->slots.v[s]; s = hash_slots_next(&m->slots, s)) {
		const struct strmap_entry *e = &m->v[m->slots.v[s] - 1];

		if (e->hash == h && e->klen == klen && !memcmp(e->key, key, klen))
			break;
	}
	return s;
}

struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t klen)
{
	size_t s;

	if (!m->slots.n)
		return NULL;
	s = find_slot(m, key, klen, hash_bytes(key, klen));
	return m->slots.v[s] ? &m->v[m->slots.v[s] - 1] : NULL;
}

struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t klen,
				int *created)
{
	uint64_t h = hash_bytes(key, klen);
	struct strmap_entry *e;
	size_t s;
	char *copy;

	if ((m->nr + 1) * 2 > m->slots.n)
		hash_slots_rebuild(&m->slots, m->slots.n ? st_mult(m->slots.n, 2) : 64,
				   m->v, m->nr, sizeof(*m->v),
				   offsetof(struct strmap_entry, hash));
	s = find_slot(m, key, klen, h);
	if (m->slots.v[s]) {
		*created = 0;
		return &m->v[m->slots.v[s] - 1];
	}
	if (m->nr >= UINT32_MAX - 1)
		BUG("string map too large");
	copy = arena_alloc(&m->keys, st_add(klen, 1), sizeof(uint64_t));
	if (klen)
		memcpy(copy, key, klen);
	copy[klen] = '\0';
	ALLOC_GROW(m->v, m->nr + 1, m->alloc);
	e = &m->v[m->nr++];
	e->key = copy;
	e->klen = klen;
	e->hash = h;
	e->val = 0;
	m->slots.v[s] = (uint32_t)m->nr;
	*created = 1;
	return e;
}
