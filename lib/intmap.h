#ifndef FG_INTMAP_H
#define FG_INTMAP_H

/*
 * struct intmap: a hash map from 64-bit keys to 64-bit values (ids,
 * indexes or pointers cast to uintptr_t), open addressing with linear
 * probing, keys spread by hash_mix64() (lib/hash.h, which keys made of
 * several fields can use too). Key UINT64_MAX is reserved (it marks empty
 * slots). The map owns nothing the values point to. Not thread-safe.
 */

#include "common.h"
#include "hash.h"

struct intmap {
	uint64_t *keys;
	uint64_t *vals;
	size_t cap, nr;
};

#define INTMAP_INIT { NULL, NULL, 0, 0 }

/* Pointer to the value of key, or NULL when absent. */
uint64_t *intmap_get(const struct intmap *m, uint64_t key);
/* Set key to val (insert or replace). */
void intmap_put(struct intmap *m, uint64_t key, uint64_t val);
/*
 * For maps from a hash of something else (a string, a struct) to the index
 * of its entry, which the caller keeps: equal hashes of different things
 * take the next keys (h, h + 1, ..., top bit cleared). Returns the value
 * of the entry same(ctx, value) confirms, or NULL with *key the free key
 * where that entry goes (intmap_put()).
 */
uint64_t *intmap_find_hashed(const struct intmap *m, uint64_t h,
			     int (*same)(const void *ctx, uint64_t val),
			     const void *ctx, uint64_t *key);

/* Remove key; returns 1 when it was present. */
int intmap_del(struct intmap *m, uint64_t key);
void intmap_release(struct intmap *m);

/* Iterate: for (i = 0; intmap_next(m, &i, &k, &v); ) ... */
int intmap_next(const struct intmap *m, size_t *iter, uint64_t *key,
		uint64_t *val);

#endif
