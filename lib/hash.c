/* The slot index of the byte-keyed tables (see hash.h). */
#include "hash.h"

void hash_slots_rebuild(struct hash_slots *hs, size_t n, const void *entries,
			size_t nr, size_t size, size_t hash_off)
{
	const char *e = entries;
	size_t i;

	if (n <= nr || (n & (n - 1)) || nr >= UINT32_MAX)
		BUG("hash_slots_rebuild(): %zu slots for %zu entries", n, nr);
	free(hs->v);
	hs->v = xcalloc(n, sizeof(*hs->v));
	hs->n = n;
	for (i = 0; i < nr; i++, e += size) {
		uint64_t h;
		size_t s;

		memcpy(&h, e + hash_off, sizeof(h));
		for (s = hash_slots_first(hs, h); hs->v[s]; s = hash_slots_next(hs, s))
			;
		hs->v[s] = (uint32_t)(i + 1);
	}
}

void hash_slots_release(struct hash_slots *hs)
{
	free(hs->v);
	hs->v = NULL;
	hs->n = 0;
}
