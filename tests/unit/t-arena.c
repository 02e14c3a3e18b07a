/* Unit tests for lib/arena.c: the bump allocator. */
#include "unit.h"
#include "../../lib/arena.h"

TEST(arena_alloc_aligns_and_keeps)
{
	struct arena a = ARENA_INIT;
	char *p[1000];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		size_t align = (size_t)1 << (i % 6);

		p[i] = arena_alloc(&a, i % 37, align);
		CHECK((uintptr_t)p[i] % align == 0);
		memset(p[i], (int)(i & 0xff), i % 37);
	}
	/* nothing moved or overlapped */
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		size_t j;

		for (j = 0; j < i % 37; j++)
			if ((unsigned char)p[i][j] != (i & 0xff))
				break;
		CHECK(j == i % 37);
	}
	CHECK(a.bytes >= 64 << 10);
	arena_release(&a);
	CHECK(a.chunks == NULL && a.bytes == 0);
}

TEST(arena_memdupz)
{
	struct arena a;
	char *s, *t;

	arena_init(&a);
	s = arena_memdupz(&a, "abcdef", 3);
	CHECK_STREQ(s, "abc");
	t = arena_memdupz(&a, "", 0);
	CHECK(t[0] == '\0' && t != s);
	s = arena_memdupz(&a, "a\0b", 3);
	CHECK(s[1] == '\0' && s[2] == 'b' && s[3] == '\0');
	arena_release(&a);
}

/*
 * A large object gets a chunk of its own behind the one being filled, so
 * small objects keep filling that chunk; chunks grow with the arena.
 */
TEST(arena_large_and_growth)
{
	struct arena a = ARENA_INIT;
	char *small1, *small2, *big;
	size_t before, i;

	small1 = arena_alloc(&a, 10, 1);
	before = a.bytes;
	big = arena_alloc(&a, 1 << 20, 16);
	CHECK((uintptr_t)big % 16 == 0);
	memset(big, 1, 1 << 20);
	CHECK(a.bytes >= before + (1 << 20));
	small2 = arena_alloc(&a, 10, 1);
	CHECK(small2 == small1 + 10);	/* same chunk, right after */
	/* fill 20 MiB in 1 KiB pieces: chunks up to 8 MiB, huge pages */
	for (i = 0; i < 20 * 1024; i++)
		memset(arena_alloc(&a, 1024, 8), 2, 1024);
	CHECK(a.bytes >= (size_t)21 << 20);
	CHECK(a.bytes < (size_t)40 << 20);
	CHECK(arena_alloc(&a, 0, 1) != NULL);
	arena_release(&a);
	/* usable again after release */
	CHECK_STREQ(arena_memdupz(&a, "again", 5), "again");
	arena_release(&a);
}
