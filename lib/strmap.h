#ifndef FG_STRMAP_H
#define FG_STRMAP_H

/*
 * struct strmap: a hash map from byte strings (any bytes, NUL included,
 * given as pointer and length) to 64-bit values, open addressing with
 * linear probing over an array of entries kept in insertion order.
 *
 * Ownership: the map copies every key it is given and frees the copies in
 * strmap_release(); values are plain integers (indexes, packed colours),
 * the map owns nothing they stand for. Entries are never removed.
 * Pointers to entries stay valid until the next strmap_put() (which may
 * move the entry array) or strmap_release(). Not thread-safe.
 */

#include "common.h"

struct strmap_entry {
	char *key;		/* NUL-terminated copy; may hold NULs */
	size_t klen;
	uint64_t hash;		/* strmap_hash(key, klen) */
	uint64_t val;
};

struct strmap {
	struct strmap_entry *v;	/* in insertion order */
	size_t nr, alloc;
	uint32_t *slots;	/* entry index + 1; 0 = empty */
	size_t nslots;		/* 0 or a power of 2, at least 2 * nr */
};

#define STRMAP_INIT { NULL, 0, 0, NULL, 0 }

void strmap_init(struct strmap *m);

/* Free the keys and the tables; m is then as after strmap_init(). */
void strmap_release(struct strmap *m);

/* The entry for the klen bytes at key, or NULL when absent. */
struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t klen);

/*
 * The entry for the klen bytes at key. When absent it is added with val 0
 * and *created is set to 1 (else 0); created must not be NULL.
 */
struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t klen,
				int *created);

/* 64-bit FNV-1a of the len bytes at s. */
uint64_t strmap_fnv1a(const char *s, size_t len);

/* The map's hash of the len bytes at s: FNV-1a, its high bits folded down. */
static inline uint64_t strmap_hash(const char *s, size_t len)
{
	uint64_t h = strmap_fnv1a(s, len);

	return h ^ (h >> 29);
}

#endif
