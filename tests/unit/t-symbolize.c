/*
 * The symbolizer on this test's own executable: functions whose names and
 * inline chain are known at compile time, the per-address cache, build-id
 * checks, files that are not ELF, and truncated or bit-flipped copies of
 * the executable (which must never crash, under ASan+UBSan either).
 *
 * Addresses: a return address recorded inside an always_inline function
 * is converted to a file address with the load bias from
 * dl_iterate_phdr(); "minus one" puts it on the call instruction, which
 * GCC and clang attribute to the inlined code at -O1 and -O2 alike.
 */
#include "unit.h"
#include "../../profiler/symbolize.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>

void sym_test_record(void);
void sym_test_outer(void);
int sym_test_plain(int x);

static void *volatile sym_test_ra;
static volatile int sym_test_sink;

__attribute__((noinline)) void sym_test_record(void)
{
	sym_test_ra = __builtin_return_address(0);
	__asm__ volatile("" ::: "memory");
}

static inline __attribute__((always_inline)) void sym_test_inner(void)
{
	sym_test_record();
	sym_test_sink++;	/* no tail call: the call stays inside */
}

static inline __attribute__((always_inline)) void sym_test_middle(void)
{
	sym_test_inner();
	sym_test_sink++;
}

__attribute__((noinline)) void sym_test_outer(void)
{
	sym_test_middle();
	sym_test_sink++;
}

__attribute__((noinline)) int sym_test_plain(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 7 + sym_test_sink;
}

static int self_bias_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(uint64_t *)data = info->dlpi_addr;
	return 1;	/* the first object is the executable */
}

/* File address of a code address of this executable. */
static uint64_t self_addr(const void *p)
{
	uint64_t bias = 0;

	dl_iterate_phdr(self_bias_cb, &bias);
	return (uint64_t)(uintptr_t)p - bias;
}

static uint64_t fn_addr(void (*fn)(void))
{
	union { void (*fn)(void); const void *p; } u;

	u.fn = fn;
	return self_addr(u.p);
}

/* The names at addr joined by ';', outermost first, in a static buffer. */
static const char *joined(struct sym_cache *c, struct sym_file *f,
			  uint64_t addr)
{
	static char out[4096];
	const char *const *names;
	size_t n = sym_lookup(c, f, addr, &names), len = 0;

	out[0] = '\0';
	while (n-- > 0) {
		int w = snprintf(out + len, sizeof(out) - len, "%s%s",
				 names[n], n ? ";" : "");
		if (w < 0 || (size_t)w >= sizeof(out) - len)
			break;
		len += (size_t)w;
	}
	return out;
}

TEST(symbolize_file_properties)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	const struct sym_segment *segs;
	size_t n, i;
	int exec_seg = 0;

	CHECK(f != NULL);
	if (!f)
		goto out;
	CHECK(sym_file_has_debuginfo(f));
	CHECK(sym_file_has_symtab(f));
	n = sym_file_segments(f, &segs);
	CHECK(n >= 1);
	for (i = 0; i < n; i++) {
		if (segs[i].flags & PF_X)
			exec_seg = 1;
		CHECK(segs[i].filesz <= segs[i].memsz);
	}
	CHECK(exec_seg);
	/* The first PT_LOAD is where the executable's own bias comes from. */
	CHECK(sym_file_is_exec(f) == (self_addr(NULL) == 0));
	/* The same path gives the same file. */
	CHECK(sym_file_get(c, "/proc/self/exe", NULL, 0, NULL) == f);
out:
	sym_cache_free(c);
}

TEST(symbolize_build_id_check)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	const unsigned char *id;
	unsigned char bad[64];
	size_t len;
	int mismatch = -1;

	CHECK(f != NULL);
	if (!f)
		goto out;
	len = sym_file_build_id(f, &id);
	CHECK(len == 20);	/* gcc and clang link with --build-id here */
	if (!len || len > sizeof(bad))
		goto out;
	CHECK(sym_file_get(c, "/proc/self/exe", id, len, &mismatch) == f);
	CHECK(mismatch == 0);
	memcpy(bad, id, len);
	bad[len - 1] ^= 1;
	CHECK(sym_file_get(c, "/proc/self/exe", bad, len, &mismatch) == NULL);
	CHECK(mismatch == 1);
	CHECK(sym_file_get(c, "/proc/self/exe", id, len - 1, &mismatch) == NULL);
	CHECK(mismatch == 1);
	/* After a mismatch the file is still there for matching callers. */
	CHECK(sym_file_get(c, "/proc/self/exe", id, len, &mismatch) == f);
	CHECK(mismatch == 0);
out:
	sym_cache_free(c);
}

TEST(symbolize_function_names)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	union { int (*fn)(int); const void *p; } plain = { sym_test_plain };

	CHECK(f != NULL);
	CHECK_STREQ(joined(c, f, fn_addr(sym_test_record)), "sym_test_record");
	CHECK_STREQ(joined(c, f, self_addr(plain.p)), "sym_test_plain");
	CHECK_STREQ(joined(c, f, self_addr(plain.p) + 1), "sym_test_plain");
	/* outside any function */
	CHECK_STREQ(joined(c, f, 0), "");
	CHECK_STREQ(joined(c, f, UINT64_MAX - 8), "");
	sym_cache_free(c);
}

TEST(symbolize_inline_chain)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	const char *const *names;
	uint64_t pc;
	size_t n;

	sym_test_outer();
	pc = self_addr(sym_test_ra) - 1;
	CHECK(f != NULL);
	n = sym_lookup(c, f, pc, &names);
	CHECK(n == 3);
	if (n == 3) {
		/* innermost first */
		CHECK_STREQ(names[0], "sym_test_inner");
		CHECK_STREQ(names[1], "sym_test_middle");
		CHECK_STREQ(names[2], "sym_test_outer");
	}
	CHECK_STREQ(joined(c, f, pc),
		    "sym_test_outer;sym_test_middle;sym_test_inner");
	sym_cache_free(c);

	/* --no-inline: only the physical function */
	c = sym_cache_new(0);
	f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	CHECK_STREQ(joined(c, f, pc), "sym_test_outer");
	sym_cache_free(c);
}

TEST(symbolize_cache_and_interning)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	const char *const *a, *const *b;
	uint64_t pc = fn_addr(sym_test_outer);
	struct sym_stats st;
	size_t na, nb;

	sym_test_outer();
	na = sym_lookup(c, f, pc, &a);
	nb = sym_lookup(c, f, pc, &b);
	CHECK(na == nb && na >= 1);
	CHECK(a == b);		/* the cached array itself */
	sym_cache_stats(c, &st);
	CHECK_U64EQ(st.lookups, 2);
	CHECK_U64EQ(st.cache_hits, 1);
	CHECK_U64EQ(st.files, 1);
	CHECK(st.cus_indexed >= 1);
	CHECK(st.funcs_indexed >= 4);
	/* The outermost name is one interned string for every address. */
	nb = sym_lookup(c, f, self_addr(sym_test_ra) - 1, &b);
	CHECK(nb >= 1 && b[nb - 1] == a[na - 1]);
	/* Unknown files and NULL files give nothing, without crashing. */
	CHECK(sym_lookup(c, NULL, pc, &a) == 0 && a == NULL);
	sym_cache_free(c);
	sym_cache_free(NULL);
}

TEST(symbolize_rejects_non_elf)
{
	struct sym_cache *c = sym_cache_new(1);
	int mismatch = -1;
	struct sym_stats st;

	CHECK(sym_file_get(c, "tests/unit/unit.h", NULL, 0, &mismatch) == NULL);
	CHECK(mismatch == 0);
	CHECK(sym_file_get(c, "/nonexistent/file", NULL, 0, &mismatch) == NULL);
	CHECK(sym_file_get(c, "/nonexistent/file", NULL, 0, NULL) == NULL);
	CHECK(sym_file_get(c, NULL, NULL, 0, NULL) == NULL);
	CHECK(sym_file_get(c, "/dev/null", NULL, 0, NULL) == NULL);
	sym_cache_stats(c, &st);
	CHECK_U64EQ(st.files, 3);	/* failures are remembered */
	sym_cache_free(c);
}

/* Read the whole of path into a malloc'd buffer. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t alloc = 0, n = 0, r;

	if (!fp)
		return NULL;
	do {
		ALLOC_GROW(p, n + 65536, alloc);
		r = fread(p + n, 1, alloc - n, fp);
		n += r;
	} while (r);
	fclose(fp);
	*len = n;
	return p;
}

static int spew(const char *path, const unsigned char *p, size_t len)
{
	FILE *fp = fopen(path, "wb");
	int ok;

	if (!fp)
		return -1;
	ok = fwrite(p, 1, len, fp) == len;
	return (fclose(fp) || !ok) ? -1 : 0;
}

/* Open a damaged copy and symbolize a few addresses; must not crash. */
static void try_damaged(const char *path, const uint64_t *addrs, size_t n)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, path, NULL, 0, NULL);
	const struct sym_segment *segs;
	const char *const *names;
	size_t i, k, m;

	if (f) {
		sym_file_segments(f, &segs);
		for (i = 0; i < n; i++) {
			m = sym_lookup(c, f, addrs[i], &names);
			for (k = 0; k < m; k++)
				CHECK(names[k] && strlen(names[k]) < (1u << 21));
		}
	}
	sym_cache_free(c);
}

TEST(symbolize_damaged_files)
{
	char path[4096];
	const char *tmp = getenv("TMPDIR");
	unsigned char *orig, *copy;
	size_t len, i, j;
	uint64_t addrs[6], seed = 0x2545f4914f6cdd1dull;
	int fd;

	sym_test_outer();
	addrs[0] = fn_addr(sym_test_outer);
	addrs[1] = fn_addr(sym_test_record);
	addrs[2] = self_addr(sym_test_ra) - 1;
	addrs[3] = addrs[0] + 3;
	addrs[4] = 0x1000;
	addrs[5] = addrs[1] + 100000;

	orig = slurp("/proc/self/exe", &len);
	CHECK(orig != NULL && len > 4096);
	if (!orig || len <= 4096)
		return;
	snprintf(path, sizeof(path), "%s/t-symbolize.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0) {
		free(orig);
		return;
	}
	close(fd);
	copy = xmalloc(len);

	/* truncated copies */
	for (i = 0; i < 8; i++) {
		size_t cut = i == 0 ? 0 : i == 1 ? 52 : i == 2 ? 4096 :
			     i == 7 ? len - 1 : len / 7 * (i - 2);

		CHECK(spew(path, orig, cut) == 0);
		try_damaged(path, addrs, ARRAY_SIZE(addrs));
	}
	/* bit-flipped copies: a few flips anywhere, or many in the headers */
	for (i = 0; i < 40; i++) {
		memcpy(copy, orig, len);
		for (j = 0; j < (i % 2 ? 8 : 64); j++) {
			size_t pos;

			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			pos = i % 2 ? seed % len : seed % 4096;
			copy[pos] ^= (unsigned char)(1u << (seed >> 61));
		}
		CHECK(spew(path, copy, len) == 0);
		try_damaged(path, addrs, ARRAY_SIZE(addrs));
	}
	unlink(path);
	free(copy);
	free(orig);
}
