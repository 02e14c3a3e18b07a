#ifndef FG_ARENA_H
#define FG_ARENA_H

/*
 * struct arena: a bump allocator for many small objects (interned names,
 * folded stacks, small arrays) that are all freed together by
 * arena_release(). Objects are never freed one by one and never move:
 * pointers into the arena stay valid until arena_release().
 *
 * Memory comes in chunks: the first is small (most arenas hold little),
 * each next one as large as all before it, up to 8 MiB. Chunks of 2 MiB
 * and more are on transparent huge pages (xmalloc_huge()): first-touch
 * page faults dominate the cost of filling fresh memory on some virtual
 * machines. A request larger than a quarter of a chunk gets a chunk of
 * its own. Out of memory aborts, as every x*alloc() does. Not thread-safe.
 */

#include "common.h"

struct arena_chunk;

struct arena {
	struct arena_chunk *chunks;	/* the one being filled first */
	size_t bytes;			/* held in chunks, for statistics */
};

#define ARENA_INIT { NULL, 0 }

void arena_init(struct arena *a);

/*
 * size bytes (0 is allowed) aligned to align (a power of 2, at most 4096),
 * uninitialized. Never returns NULL.
 */
void *arena_alloc(struct arena *a, size_t size, size_t align);

/* A copy of the len bytes at data (no alignment) followed by a NUL. */
char *arena_memdupz(struct arena *a, const void *data, size_t len);

/* Free every chunk; a is then as after arena_init() and can be reused. */
void arena_release(struct arena *a);

#endif
