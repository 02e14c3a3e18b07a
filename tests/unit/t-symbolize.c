/*
 * The symbolizer on this test's own executable: functions whose names and
 * inline chain are known at compile time, the per-address cache, build-id
 * checks, files that are not ELF, and truncated or bit-flipped copies of
 * the executable (which must never crash, under ASan+UBSan either). The
 * frames' details (sym_lookup_frames()): linkage names of functions given
 * a mangled one with an asm label, in DWARF and (written in assembly) in
 * the symbol table only, and declaration lines known here by __LINE__;
 * none on a copy without its DWARF.
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
/* linkage names that demangle (Rust legacy, C++) */
int sym_test_mangled(int x) __asm__("_ZN7sym_tst7mangled17h0123456789abcdefE");
void sym_test_asm(void) __asm__("_ZN7sym_tst5plainEv");

static void *volatile sym_test_ra;
static volatile int sym_test_sink;

__attribute__((noinline)) void sym_test_record(void)
{
	sym_test_ra = __builtin_return_address(0);
	__asm__ volatile("" ::: "memory");
}

/* where the functions' names are: their DW_AT_decl_line */
enum { SYM_TEST_INNER_LINE = __LINE__ + 1 };
static inline __attribute__((always_inline)) void sym_test_inner(void)
{
	sym_test_record();
	sym_test_sink++;	/* no tail call: the call stays inside */
}

enum { SYM_TEST_MIDDLE_LINE = __LINE__ + 1 };
static inline __attribute__((always_inline)) void sym_test_middle(void)
{
	sym_test_inner();
	sym_test_sink++;
}

enum { SYM_TEST_OUTER_LINE = __LINE__ + 1 };
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

enum { SYM_TEST_MANGLED_LINE = __LINE__ + 1 };
__attribute__((noinline)) int sym_test_mangled(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 5 + sym_test_sink;
}

/* no DWARF: a symbol table name only */
__asm__(".text\n"
	".globl _ZN7sym_tst5plainEv\n"
	".type _ZN7sym_tst5plainEv, %function\n"
	"_ZN7sym_tst5plainEv:\n"
	"\tnop\n\tnop\n\tret\n"
	".size _ZN7sym_tst5plainEv, .-_ZN7sym_tst5plainEv\n");

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

/* ---- sym_lookup_frames() -------------------------------------------- */

/* Is s (may be NULL) a file name ending in this test's? */
static int is_this_file(const char *s)
{
	return s && ends_with(s, "/t-symbolize.c");
}

static uint64_t mangled_addr(void)
{
	union { int (*fn)(int); const void *p; } u = { sym_test_mangled };

	return self_addr(u.p);
}

TEST(symbolize_frames_inline_decl_lines)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	const struct sym_frame *fr;
	uint64_t pc;
	size_t n, k;

	sym_test_outer();
	pc = self_addr(sym_test_ra) - 1;
	CHECK(f != NULL);
	n = sym_lookup_frames(c, f, pc, &fr);
	CHECK(n == 3);
	if (n == 3) {
		/* innermost first, each where its function is declared */
		CHECK_STREQ(fr[0].name, "sym_test_inner");
		CHECK_STREQ(fr[1].name, "sym_test_middle");
		CHECK_STREQ(fr[2].name, "sym_test_outer");
		CHECK_U64EQ(fr[0].line, SYM_TEST_INNER_LINE);
		CHECK_U64EQ(fr[1].line, SYM_TEST_MIDDLE_LINE);
		CHECK_U64EQ(fr[2].line, SYM_TEST_OUTER_LINE);
	}
	for (k = 0; k < n; k++) {
		/* C names are no linkage names; the file made absolute */
		CHECK(fr[k].mangled == NULL);
		CHECK(fr[k].file && fr[k].file[0] == '/');
		CHECK(fr[k].file && (ends_with(fr[k].file, "/" __FILE__) ||
				     !strcmp(fr[k].file, __FILE__)));
		CHECK(fr[k].file == fr[0].file);	/* one interned string */
	}
	sym_cache_free(c);

	/* --no-inline: the physical function only, with its details */
	c = sym_cache_new(0);
	f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	n = sym_lookup_frames(c, f, pc, &fr);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STREQ(fr[0].name, "sym_test_outer");
		CHECK_U64EQ(fr[0].line, SYM_TEST_OUTER_LINE);
		CHECK(is_this_file(fr[0].file));
	}
	sym_cache_free(c);
}

TEST(symbolize_frames_mangled)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	const struct sym_frame *fr;
	uint64_t asm_addr = fn_addr(sym_test_asm);
	size_t n;

	CHECK(f != NULL);
	/* DWARF: the linkage name, demangled, and the declaration */
	n = sym_lookup_frames(c, f, mangled_addr(), &fr);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STREQ(fr[0].name, "sym_tst::mangled");
		CHECK_STREQ(fr[0].mangled, "_ZN7sym_tst7mangled17h0123456789abcdefE");
		CHECK(is_this_file(fr[0].file));
		CHECK_U64EQ(fr[0].line, SYM_TEST_MANGLED_LINE);
	}
	/* the symbol table only: the symbol, nothing of where it is */
	n = sym_lookup_frames(c, f, asm_addr + 1, &fr);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STREQ(fr[0].name, "sym_tst::plain()");
		CHECK_STREQ(fr[0].mangled, "_ZN7sym_tst5plainEv");
		CHECK(fr[0].file == NULL);
		CHECK_U64EQ(fr[0].line, 0);
	}
	sym_cache_free(c);
}

/* The addresses the parallel test looks up, in both orders. */
static size_t parallel_addrs(uint64_t *v)
{
	union { int (*fn)(int); const void *p; } plain = { sym_test_plain };
	size_t n = 0;

	sym_test_outer();
	v[n++] = self_addr(sym_test_ra) - 1;
	v[n++] = fn_addr(sym_test_outer);
	v[n++] = self_addr(plain.p);
	v[n++] = self_addr(plain.p) + 1;
	v[n++] = mangled_addr();
	v[n++] = fn_addr(sym_test_asm);
	v[n++] = 0;
	v[n++] = UINT64_MAX;	/* never cached */
	return n;
}

TEST(symbolize_frames_parallel_to_names)
{
	struct sym_cache *c[2];
	struct sym_file *f[2];
	const struct sym_frame *fr[2][8];
	size_t nfr[2][8], i, k, n;
	uint64_t addrs[8];
	int order;

	n = parallel_addrs(addrs);
	/* names first, then frames; frames first, then names */
	for (order = 0; order < 2; order++) {
		c[order] = sym_cache_new(1);
		f[order] = sym_file_get(c[order], "/proc/self/exe", NULL, 0, NULL);
		CHECK(f[order] != NULL);
		for (i = 0; i < n; i++) {
			const char *const *names;
			size_t m;

			if (order == 0) {
				m = sym_lookup(c[order], f[order], addrs[i], &names);
				nfr[order][i] = sym_lookup_frames(c[order], f[order],
								  addrs[i], &fr[order][i]);
			} else {
				nfr[order][i] = sym_lookup_frames(c[order], f[order],
								  addrs[i], &fr[order][i]);
				m = sym_lookup(c[order], f[order], addrs[i], &names);
			}
			CHECK(m == nfr[order][i]);
			CHECK((m == 0) == (fr[order][i] == NULL));
			for (k = 0; k < m && k < nfr[order][i]; k++)
				CHECK(fr[order][i][k].name == names[k]);
		}
	}
	/* and the same details either way */
	for (i = 0; i < n; i++) {
		CHECK(nfr[0][i] == nfr[1][i]);
		for (k = 0; k < nfr[0][i] && k < nfr[1][i]; k++) {
			const struct sym_frame *a = &fr[0][i][k], *b = &fr[1][i][k];

			CHECK_STREQ(a->name, b->name);
			CHECK((a->mangled == NULL) == (b->mangled == NULL));
			if (a->mangled && b->mangled)
				CHECK_STREQ(a->mangled, b->mangled);
			CHECK((a->file == NULL) == (b->file == NULL));
			if (a->file && b->file)
				CHECK_STREQ(a->file, b->file);
			CHECK_U64EQ(a->line, b->line);
		}
	}
	CHECK(nfr[0][0] == 3);
	CHECK(nfr[0][6] == 0 && nfr[0][7] == 0);
	/* two addresses of one function share one array */
	CHECK(fr[0][2] == fr[0][3] && fr[0][2] != NULL);
	sym_cache_free(c[0]);
	sym_cache_free(c[1]);
}

TEST(symbolize_frames_cache)
{
	struct sym_cache *c = sym_cache_new(1);
	struct sym_file *f = sym_file_get(c, "/proc/self/exe", NULL, 0, NULL);
	union { int (*fn)(int); const void *p; } plain = { sym_test_plain };
	const struct sym_frame *a, *b;
	const char *const *names;
	uint64_t pc = self_addr(plain.p);
	struct sym_stats st;
	size_t na, nb;

	na = sym_lookup_frames(c, f, pc, &a);
	nb = sym_lookup_frames(c, f, pc, &b);
	CHECK(na == 1 && nb == 1);
	CHECK(a == b);		/* the cached array itself */
	sym_cache_stats(c, &st);
	CHECK_U64EQ(st.lookups, 2);
	CHECK_U64EQ(st.cache_hits, 1);
	/* the names were cached with the frames */
	CHECK(sym_lookup(c, f, pc, &names) == 1 && names[0] == a[0].name);
	sym_cache_stats(c, &st);
	CHECK_U64EQ(st.cache_hits, 2);
	/* unknown files and NULL files give nothing, without crashing */
	CHECK(sym_lookup_frames(c, NULL, pc, &a) == 0 && a == NULL);
	sym_cache_free(c);
}

/*
 * Write a copy of this executable whose DWARF is gone, as readers see
 * "strip --strip-debug": every .debug_* section made SHT_NOBITS (no
 * contents). Returns 0, or -1 when the file is not the 64-bit ELF file
 * this expects.
 */
static int write_without_dwarf(const char *path)
{
	unsigned char *p;
	size_t len, i, patched = 0;
	Elf64_Ehdr eh;
	Elf64_Shdr sh, strsh;
	int ret = -1;

	p = slurp("/proc/self/exe", &len);
	if (!p)
		return -1;
	if (len < sizeof(eh))
		goto out;
	memcpy(&eh, p, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize != sizeof(sh) || eh.e_shstrndx >= eh.e_shnum ||
	    eh.e_shoff > len || (len - eh.e_shoff) / sizeof(sh) < eh.e_shnum)
		goto out;
	memcpy(&strsh, p + eh.e_shoff + eh.e_shstrndx * sizeof(sh), sizeof(sh));
	if (strsh.sh_offset > len || strsh.sh_size > len - strsh.sh_offset)
		goto out;
	for (i = 0; i < eh.e_shnum; i++) {
		unsigned char *at = p + eh.e_shoff + i * sizeof(sh);
		const char *name;

		memcpy(&sh, at, sizeof(sh));
		if (sh.sh_name + 8 > strsh.sh_size)
			continue;
		name = (const char *)p + strsh.sh_offset + sh.sh_name;
		if (strncmp(name, ".debug_", 7))
			continue;
		sh.sh_type = SHT_NOBITS;
		memcpy(at, &sh, sizeof(sh));
		patched++;
	}
	if (patched)
		ret = spew(path, p, len);
out:
	free(p);
	return ret;
}

TEST(symbolize_frames_without_dwarf)
{
	char path[4096];
	const char *tmp = getenv("TMPDIR");
	struct sym_cache *c;
	struct sym_file *f;
	const struct sym_frame *fr;
	const char *const *names;
	uint64_t pc;
	size_t n, k;
	int fd;

	sym_test_outer();
	pc = self_addr(sym_test_ra) - 1;
	snprintf(path, sizeof(path), "%s/t-symbolize.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	CHECK(write_without_dwarf(path) == 0);
	c = sym_cache_new(1);
	f = sym_file_get(c, path, NULL, 0, NULL);
	CHECK(f != NULL);
	CHECK(!sym_file_has_debuginfo(f));
	CHECK(sym_file_has_symtab(f));

	/* the function from the symbol table: no inline frames, no file */
	n = sym_lookup_frames(c, f, pc, &fr);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STREQ(fr[0].name, "sym_test_outer");
		CHECK(fr[0].mangled == NULL);
		CHECK(fr[0].file == NULL);
		CHECK_U64EQ(fr[0].line, 0);
	}
	n = sym_lookup_frames(c, f, mangled_addr(), &fr);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STREQ(fr[0].name, "sym_tst::mangled");
		CHECK_STREQ(fr[0].mangled, "_ZN7sym_tst7mangled17h0123456789abcdefE");
		CHECK(fr[0].file == NULL);
		CHECK_U64EQ(fr[0].line, 0);
	}
	CHECK(sym_lookup(c, f, mangled_addr(), &names) == n);
	for (k = 0; k < n; k++)
		CHECK(names[k] == fr[k].name);
	sym_cache_free(c);
	unlink(path);
}
