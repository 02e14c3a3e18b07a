/*
 * The string map (see strmap.h): entries in an array, in insertion
 * order; a power-of-2 table of slots (entry index + 1, 0 for empty) kept
 * at most half full, probed linearly.
 */
#include "strmap.h"

uint64_t strmap_fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_release(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++)
		free(m->v[i].key);
	free(m->v);
	free(m->slots);
	strmap_init(m);
}

static void reindex(struct strmap *m, size_t n)
{
	size_t i;

	free(m->slots);
	m->slots = xcalloc(n, sizeof(*m->slots));
	m->nslots = n;
	for (i = 0; i < m->nr; i++) {
		size_t s = m->v[i].hash & (n - 1);

		while (m->slots[s])
			s = (s + 1) & (n - 1);
		m->slots[s] = (uint32_t)(i + 1);
	}
}

/* The slot of key (hash h), or the empty slot where it would go. */
static size_t find_slot(const struct strmap *m, const char *key, size_t klen, uint64_t h)
{
	size_t s = h & (m->nslots - 1);

	while (m->slots[s]) {
		const struct strmap_entry *e = &m->v[m->slots[s] - 1];

		if (e->hash == h && e->klen == klen && !memcmp(e->key, key, klen))
			break;
		s = (s + 1) & (m->nslots - 1);
	}
	return s;
}

struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t klen)
{
	size_t s;

	if (!m->nslots)
		return NULL;
	s = find_slot(m, key, klen, strmap_hash(key, klen));
	return m->slots[s] ? &m->v[m->slots[s] - 1] : NULL;
}

struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t klen,
				int *created)
{
	uint64_t h = strmap_hash(key, klen);
	struct strmap_entry *e;
	size_t s;

	if ((m->nr + 1) * 2 > m->nslots)
		reindex(m, m->nslots ? st_mult(m->nslots, 2) : 64);
	s = find_slot(m, key, klen, h);
	if (m->slots[s]) {
		*created = 0;
		return &m->v[m->slots[s] - 1];
	}
	if (m->nr >= UINT32_MAX - 1)
		BUG("string map too large");
	ALLOC_GROW(m->v, m->nr + 1, m->alloc);
	e = &m->v[m->nr++];
	e->key = xmemdupz(key, klen);
	e->klen = klen;
	e->hash = h;
	e->val = 0;
	m->slots[s] = (uint32_t)m->nr;
	*created = 1;
	return e;
}
