#ifndef FG_STRMAP_H
#define FG_STRMAP_H

/*
 * struct strmap: a hash map from byte strings (any bytes, NUL included,
 * given as pointer and length) to 64-bit values, over an array of entries
 * kept in insertion order (the index of an entry in v is its id: it never
 * changes) and the slot index of lib/hash.h, hashed by hash_bytes().
 *
 * Ownership: the map copies every key it is given into its arena and
 * frees the copies in strmap_release(); a copy is NUL-terminated, aligned
 * for pointers and 64-bit integers (a key may be an array of them), and
 * stays where it is until strmap_release(). Values are plain integers
 * (indexes, packed colours, pointers cast to uintptr_t): the map owns
 * nothing they stand for. Entries are never removed. Pointers to entries
 * stay valid until the next strmap_put() (which may move the entry array)
 * or strmap_release(). Not thread-safe.
 */

#include "common.h"
#include "arena.h"
#include "hash.h"

struct strmap_entry {
	const char *key;	/* NUL-terminated copy; may hold NULs */
	size_t klen;
	uint64_t hash;		/* hash_bytes(key, klen) */
	uint64_t val;
};

struct strmap {
	struct strmap_entry *v;	/* in insertion order */
	size_t nr, alloc;
	struct hash_slots slots;	/* kept at most half full */
	struct arena keys;	/* the copies of the keys */
};

#define STRMAP_INIT { NULL, 0, 0, HASH_SLOTS_INIT, ARENA_INIT }

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

#endif
