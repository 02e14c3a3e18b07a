/* Unit tests for lib/strmap.c, the string -> value hash map, and lib/hash.h. */
#include "unit.h"
#include "../../lib/strmap.h"

TEST(strmap_put_get)
{
	struct strmap m = STRMAP_INIT;
	struct strmap_entry *e;
	char key[32];
	int i, created;

	CHECK(strmap_get(&m, "a", 1) == NULL);
	for (i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof(key), "key%d", i);

		e = strmap_put(&m, key, (size_t)n, &created);
		CHECK(created && e->val == 0);
		e->val = (uint64_t)i * 3;
	}
	CHECK_U64EQ(m.nr, 10000);
	CHECK(m.slots.n >= 2 * m.nr);
	for (i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof(key), "key%d", i);

		e = strmap_get(&m, key, (size_t)n);
		CHECK(e && e->val == (uint64_t)i * 3 && e->klen == (size_t)n);
	}
	/* a key is found again, not added */
	e = strmap_put(&m, "key42", 5, &created);
	CHECK(!created && e->val == 126);
	CHECK_U64EQ(m.nr, 10000);
	/* a prefix of a key is another key */
	CHECK(strmap_get(&m, "key4", 3) == NULL);
	/* insertion order is kept */
	CHECK_STREQ(m.v[0].key, "key0");
	CHECK_STREQ(m.v[9999].key, "key9999");
	strmap_release(&m);
	CHECK(m.nr == 0 && m.v == NULL && m.slots.v == NULL && m.slots.n == 0);
	/* released is as new: usable again */
	strmap_put(&m, "x", 1, &created);
	CHECK(created && strmap_get(&m, "x", 1));
	strmap_release(&m);
}

/* Keys are byte strings: NUL bytes and the empty key are keys like others. */
TEST(strmap_binary_keys)
{
	struct strmap m;
	struct strmap_entry *e;
	int created;

	strmap_init(&m);
	strmap_put(&m, "a\0b", 3, &created)->val = 1;
	strmap_put(&m, "a\0c", 3, &created)->val = 2;
	strmap_put(&m, "", 0, &created)->val = 3;
	CHECK(created);
	CHECK_U64EQ(m.nr, 3);
	e = strmap_get(&m, "a\0c", 3);
	CHECK(e && e->val == 2 && e->key[3] == '\0');
	CHECK(strmap_get(&m, "a", 1) == NULL);
	e = strmap_get(&m, "", 0);
	CHECK(e && e->val == 3 && e->klen == 0 && e->key[0] == '\0');
	strmap_release(&m);
}

/* The map copies its keys: the caller's buffer can change after a put. */
TEST(strmap_copies_keys)
{
	struct strmap m = STRMAP_INIT;
	char buf[8] = "name";
	int created;

	strmap_put(&m, buf, 4, &created)->val = 7;
	memcpy(buf, "nope", 4);
	CHECK(strmap_get(&m, "nope", 4) == NULL);
	CHECK(strmap_get(&m, "name", 4) && strmap_get(&m, "name", 4)->val == 7);
	strmap_release(&m);
}

/* The one hash of lib/hash.h: FNV-1a (--deterministic colours depend on it). */
TEST(hash_fnv1a)
{
	CHECK_U64EQ(hash_fnv1a("", 0), 0xcbf29ce484222325ULL);
	CHECK_U64EQ(hash_fnv1a(NULL, 0), 0xcbf29ce484222325ULL);
	CHECK_U64EQ(hash_fnv1a("a", 1), 0xaf63dc4c8601ec8cULL);
	CHECK_U64EQ(hash_fnv1a("foobar", 6), 0x85944171f73967e8ULL);
	CHECK_U64EQ(hash_mix64(0), 0);
	CHECK(hash_mix64(1) != 1 && hash_mix64(1) != hash_mix64(2));
}

/* Keys are copied aligned for pointers: an array of them can be a key. */
TEST(strmap_array_keys)
{
	struct strmap m = STRMAP_INIT;
	static const char a[] = "a", b[] = "b";
	const char *v[2] = { a, b }, *w[2] = { b, a };
	const struct strmap_entry *e;
	int created, i;

	for (i = 0; i < 100; i++)
		strmap_put(&m, "xxxxxx", (size_t)(i % 7), &created);
	e = strmap_put(&m, (const char *)v, sizeof(v), &created);
	CHECK(created && (uintptr_t)e->key % sizeof(void *) == 0);
	CHECK(((const char *const *)(const void *)e->key)[1] == b);
	CHECK(strmap_put(&m, (const char *)w, sizeof(w), &created) && created);
	CHECK(strmap_get(&m, (const char *)v, sizeof(v)) == &m.v[7]);
	strmap_release(&m);
}

/* The slot index on its own: equal hashes are all kept, in order. */
TEST(hash_slots_rebuild)
{
	struct ent { uint32_t pad; uint64_t hash; } v[5] = {
		{ 0, 3 }, { 0, 3 }, { 0, 1ULL << 40 }, { 0, 4 }, { 0, 3 },
	};
	struct hash_slots hs = HASH_SLOTS_INIT;
	size_t s, seen = 0, order[5];

	hash_slots_rebuild(&hs, 8, v, 5, sizeof(v[0]), offsetof(struct ent, hash));
	CHECK_U64EQ(hs.n, 8);
	for (s = hash_slots_first(&hs, 3); hs.v[s]; s = hash_slots_next(&hs, s))
		if (v[hs.v[s] - 1].hash == 3)
			order[seen++] = hs.v[s] - 1;
	CHECK_U64EQ(seen, 3);
	CHECK(order[0] == 0 && order[1] == 1 && order[2] == 4);
	hash_slots_rebuild(&hs, 16, v, 5, sizeof(v[0]), offsetof(struct ent, hash));
	CHECK_U64EQ(hs.n, 16);
	hash_slots_release(&hs);
	CHECK(hs.v == NULL && hs.n == 0);
}
