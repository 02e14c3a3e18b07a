#ifndef FG_HASH_H
#define FG_HASH_H

/*
 * The hashes of the project: hash_bytes() for every table keyed by bytes
 * (eight bytes at a time: stacks of folded text are long, and hashing
 * them is on the hot path of every input), hash_mix64() for keys made of
 * integers, and the slot index that the tables keyed by byte strings
 * (lib/strmap.c, lib/stacks.c) share. hash_fnv1a() is not for tables: it
 * is the hash inferno colours frames by (--deterministic, --hash), so its
 * values are part of the output: never change them.
 *
 * struct hash_slots indexes an array of entries the caller keeps: each
 * slot holds an entry index + 1, or 0 when empty; linear probing from
 * hash_slots_first(). The caller owns the entries and compares keys; the
 * index owns only its slots. Not thread-safe.
 */

#include "common.h"

/* 64-bit FNV-1a of the len bytes at data (data may be NULL when len is 0). */
static inline uint64_t hash_fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * The table hash of the len bytes at data (data may be NULL when len is
 * 0): multiply-xorshift over 8-byte words, then a final mix, so that every
 * bit of the result depends on every byte.
 */
static inline uint64_t hash_bytes(const void *data, size_t len)
{
	const unsigned char *s = data;
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

/* A 64-bit mix (MurmurHash3's finalizer), for keys made of integers. */
static inline uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

struct hash_slots {
	uint32_t *v;		/* entry index + 1; 0: empty */
	size_t n;		/* 0 or a power of 2 */
};

#define HASH_SLOTS_INIT { NULL, 0 }

/*
 * The first slot to probe for hash h (n must not be 0), from its low bits
 * with the high bits folded in.
 */
static inline size_t hash_slots_first(const struct hash_slots *hs, uint64_t h)
{
	return (size_t)(h ^ (h >> 29)) & (hs->n - 1);
}

/* The slot probed after s. */
static inline size_t hash_slots_next(const struct hash_slots *hs, size_t s)
{
	return (s + 1) & (hs->n - 1);
}

/*
 * Make n slots (a power of 2, more than nr) and index in them the nr
 * entries of the array at entries, each of size bytes with its hash (a
 * uint64_t) at byte offset hash_off. Entries with equal keys are all
 * indexed, in array order. The old slots are freed.
 */
void hash_slots_rebuild(struct hash_slots *hs, size_t n, const void *entries,
			size_t nr, size_t size, size_t hash_off);

/* Free the slots; hs is then as HASH_SLOTS_INIT. */
void hash_slots_release(struct hash_slots *hs);

#endif
