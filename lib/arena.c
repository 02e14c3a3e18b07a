/*
 * The arena (see arena.h): a list of chunks, the one being filled at its
 * head. An object too large for the chunk sizes goes into a chunk of its
 * own behind the head, so the head keeps being filled.
 */
#include "arena.h"

#define ARENA_MIN_CHUNK ((size_t)64 << 10)
#define ARENA_MAX_CHUNK ((size_t)8 << 20)
#define ARENA_HUGE ((size_t)2 << 20)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	char data[];
};

void arena_init(struct arena *a)
{
	a->chunks = NULL;
	a->bytes = 0;
}

void arena_release(struct arena *a)
{
	while (a->chunks) {
		struct arena_chunk *next = a->chunks->next;

		free(a->chunks);
		a->chunks = next;
	}
	arena_init(a);
}

/* The offset in c where size bytes aligned to align fit, or SIZE_MAX. */
static size_t fit(const struct arena_chunk *c, size_t size, size_t align)
{
	uintptr_t at = (uintptr_t)(c->data + c->used);
	size_t off = c->used + ((align - (at & (align - 1))) & (align - 1));

	if (off > c->size || size > c->size - off)
		return SIZE_MAX;
	return off;
}

static struct arena_chunk *new_chunk(struct arena *a, size_t size)
{
	size_t bytes = st_add(sizeof(struct arena_chunk), size);
	struct arena_chunk *c;

	if (bytes >= ARENA_HUGE) {
		bytes = st_add(bytes, ARENA_HUGE - 1) & ~(ARENA_HUGE - 1);
		c = xmalloc_huge(bytes);
	} else {
		c = xmalloc(bytes);
	}
	c->used = 0;
	c->size = bytes - sizeof(*c);
	a->bytes += bytes;
	return c;
}

void *arena_alloc(struct arena *a, size_t size, size_t align)
{
	struct arena_chunk *c = a->chunks;
	size_t off, chunk;

	if (!align || (align & (align - 1)) || align > 4096)
		BUG("arena_alloc(): alignment %zu", align);
	if (c && (off = fit(c, size, align)) != SIZE_MAX) {
		c->used = off + size;
		return c->data + off;
	}
	chunk = a->bytes < ARENA_MIN_CHUNK ? ARENA_MIN_CHUNK :
		a->bytes > ARENA_MAX_CHUNK ? ARENA_MAX_CHUNK : a->bytes;
	if (size > chunk / 4) {
		/* a chunk of its own, behind the one being filled */
		struct arena_chunk *own = new_chunk(a, st_add(size, align - 1));

		if (c) {
			own->next = c->next;
			c->next = own;
		} else {
			own->next = NULL;
			a->chunks = own;
		}
		c = own;
	} else {
		c = new_chunk(a, chunk);
		c->next = a->chunks;
		a->chunks = c;
	}
	off = fit(c, size, align);
	c->used = off + size;
	return c->data + off;
}

char *arena_memdupz(struct arena *a, const void *data, size_t len)
{
	char *p = arena_alloc(a, st_add(len, 1), 1);

	if (len)
		memcpy(p, data, len);
	p[len] = '\0';
	return p;
}
