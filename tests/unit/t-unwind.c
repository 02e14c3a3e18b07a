/*
 * Unit tests of the unwinder (profiler/unwind.c) on real stacks of this
 * process. A chain of functions t_unwind_a -> t_unwind_b -> t_unwind_c
 * (and one through the C library's qsort) captures, in t_unwind_c, the
 * user registers a perf sample would carry and a copy of the stack from
 * the stack pointer up; the test builds a struct perf_sample from them
 * and reports its executable mappings (from /proc/self/maps, with the
 * module start elfinfo_bias() gives, as session.c does). Frames are named
 * with this executable's symbol table, so the checks are by function, not
 * by address.
 */
#include "unit.h"
#include "../../profiler/unwind.h"
#include "../../profiler/arch.h"
#include "../../profiler/elfinfo.h"

#include <asm/perf_regs.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "t-unwind captures registers with x86_64 assembly: add this architecture's"
#endif

#define MAX_FRAMES 128

/* Not inlined, and not cloned under another name (gcc's constprop, isra). */
#if defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif

/* CHECK that also sets the test's local "bad", to print the frames found. */
#define CHECKB(cond) do { if (!(cond)) { bad = 1; CHECK(cond); } } while (0)
#define CHECKB_STREQ(a, b) do { if (strcmp((a), (b))) { bad = 1; CHECK_STREQ(a, b); } } while (0)

/* What t_unwind_c() captured: registers by perf register number, the stack. */
struct capture {
	uint64_t reg[PERF_REG_X86_64_MAX];
	unsigned char *stack;
	size_t size;
};

static struct capture cap;
static uint64_t stack_top;	/* end of the mapping of the stack we run on */
static volatile int sink;

/*
 * Store the registers in this order: rax rbx rcx rdx rsi rdi rbp rsp, the
 * address of the instruction after the lea (a pc inside the caller, with
 * the stack pointer as stored), r8-r15.
 */
#define CAPTURE_REGS(raw) \
	__asm__ volatile("movq %%rax, 0(%0)\n\t" \
			 "movq %%rbx, 8(%0)\n\t" \
			 "movq %%rcx, 16(%0)\n\t" \
			 "movq %%rdx, 24(%0)\n\t" \
			 "movq %%rsi, 32(%0)\n\t" \
			 "movq %%rdi, 40(%0)\n\t" \
			 "movq %%rbp, 48(%0)\n\t" \
			 "movq %%rsp, 56(%0)\n\t" \
			 "leaq 0(%%rip), %%rax\n\t" \
			 "movq %%rax, 64(%0)\n\t" \
			 "movq %%r8, 72(%0)\n\t" \
			 "movq %%r9, 80(%0)\n\t" \
			 "movq %%r10, 88(%0)\n\t" \
			 "movq %%r11, 96(%0)\n\t" \
			 "movq %%r12, 104(%0)\n\t" \
			 "movq %%r13, 112(%0)\n\t" \
			 "movq %%r14, 120(%0)\n\t" \
			 "movq %%r15, 128(%0)\n\t" \
			 : : "r"(raw) : "rax", "memory")

static const int raw_bit[17] = {
	PERF_REG_X86_AX, PERF_REG_X86_BX, PERF_REG_X86_CX, PERF_REG_X86_DX,
	PERF_REG_X86_SI, PERF_REG_X86_DI, PERF_REG_X86_BP, PERF_REG_X86_SP,
	PERF_REG_X86_IP, PERF_REG_X86_R8, PERF_REG_X86_R9, PERF_REG_X86_R10,
	PERF_REG_X86_R11, PERF_REG_X86_R12, PERF_REG_X86_R13, PERF_REG_X86_R14,
	PERF_REG_X86_R15,
};

/*
 * Copy [sp, stack_top) into cap (called below sp: it leaves that alone).
 * Like the kernel's copy for a perf sample, it goes through the kernel
 * (/proc/self/mem), so the copy is defined memory under valgrind even
 * where the stack holds words never written.
 */
__attribute__((noinline)) static void copy_stack(const uint64_t *raw)
{
	uint64_t sp;
	size_t i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(raw_bit); i++)
		cap.reg[raw_bit[i]] = raw[i];
	sp = cap.reg[PERF_REG_X86_SP];
	free(cap.stack);
	cap.size = (size_t)(stack_top - sp);
	cap.stack = xmalloc(cap.size);
	fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, cap.stack, cap.size, (off_t)sp) != (ssize_t)cap.size)
		memcpy(cap.stack, (const void *)(uintptr_t)sp, cap.size);
	if (fd >= 0)
		close(fd);
}

/* The chain: each calls the next and does work after it (no tail calls). */
int t_unwind_a(int x);
int t_unwind_b(int x);
int t_unwind_c(int x);
int t_unwind_q(int x);
int t_unwind_cmp(const void *p, const void *q);

NOINLINE int t_unwind_c(int x)
{
	uint64_t raw[17];

	CAPTURE_REGS(raw);
	copy_stack(raw);
	sink += x;
	return x * 3 + 1;
}

NOINLINE int t_unwind_b(int x)
{
	int r = t_unwind_c(x + 1);

	sink ^= r;
	return r + 2;
}

NOINLINE int t_unwind_a(int x)
{
	int r = t_unwind_b(x + 1);

	sink ^= r;
	return r + 3;
}

/* Through libc: t_unwind_q -> qsort -> ... -> t_unwind_cmp -> t_unwind_c. */
static int cmp_calls;

NOINLINE int t_unwind_cmp(const void *p, const void *q)
{
	int a = *(const int *)p, b = *(const int *)q;

	if (!cmp_calls++)
		sink += t_unwind_c(a);
	return (a > b) - (a < b);
}

NOINLINE int t_unwind_q(int x)
{
	int v[2] = { x + 1, x };

	cmp_calls = 0;
	qsort(v, 2, sizeof(v[0]), t_unwind_cmp);
	sink ^= v[0];
	return v[0] + v[1];
}

/* --- naming frames: this executable's symbol table --- */

struct fsym {
	uint64_t start, end;	/* runtime addresses */
	char *name;
};

static struct fsym *syms;
static size_t nsyms, syms_alloc;

static void load_syms(void)
{
	int fd;
	Elf *elf;
	Elf_Scn *scn = NULL;
	uint64_t bias = 0;
	int have_bias = 0;
	size_t i;

	if (nsyms)
		return;
	elf_version(EV_CURRENT);
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	while (elf && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; d && i < n; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    !sym.st_value)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name)
				continue;
			ALLOC_GROW(syms, nsyms + 1, syms_alloc);
			syms[nsyms].start = sym.st_value;
			syms[nsyms].end = sym.st_value + sym.st_size;
			syms[nsyms].name = xstrdup(name);
			if (!strcmp(name, "t_unwind_a")) {
				bias = (uint64_t)(uintptr_t)&t_unwind_a - sym.st_value;
				have_bias = 1;
			}
			nsyms++;
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	for (i = 0; i < nsyms; i++) {
		syms[i].start += have_bias ? bias : 0;
		syms[i].end += have_bias ? bias : 0;
	}
}

/* The function of this executable holding addr, or NULL. */
static const char *exe_func(uint64_t addr)
{
	size_t i;

	load_syms();
	for (i = 0; i < nsyms; i++)
		if (addr >= syms[i].start && addr < syms[i].end)
			return syms[i].name;
	return NULL;
}

/* Name of frame i: pcs after the first are return addresses (look at pc - 1). */
static const char *frame_name(const uint64_t *pcs, size_t i)
{
	uint64_t at = i ? pcs[i] - 1 : pcs[0];
	const char *name = exe_func(at);
	Dl_info info;

	if (name)
		return name;
	if (dladdr((void *)(uintptr_t)at, &info) && info.dli_fname) {
		const char *base = strrchr(info.dli_fname, '/');

		return base ? base + 1 : info.dli_fname;
	}
	return "?";
}

/* Is frame i in a shared object of the C library? */
static int in_libc(const uint64_t *pcs, size_t i)
{
	Dl_info info;

	return !exe_func(pcs[i] - 1) && dladdr((void *)(uintptr_t)(pcs[i] - 1), &info) &&
	       info.dli_fname && strstr(info.dli_fname, "libc.so");
}

static void dump_frames(const char *what, const uint64_t *pcs, size_t n, enum unwind_end end)
{
	size_t i;

	printf("# %s: %zu frames, %s\n", what, n,
	       end == UNWIND_COMPLETE ? "complete" :
	       end == UNWIND_TRUNCATED ? "truncated" : "no regs");
	for (i = 0; i < n; i++)
		printf("#   %2zu %#" PRIx64 " %s\n", i, pcs[i], frame_name(pcs, i));
}

/* Index of the first frame from `from` on named name, or -1. */
static long find_frame(const uint64_t *pcs, size_t n, size_t from, const char *name)
{
	size_t i;

	for (i = from; i < n; i++)
		if (!strcmp(frame_name(pcs, i), name))
			return (long)i;
	return -1;
}

/* --- the process's modules and the sample --- */

/*
 * Report every executable file mapping of this process (only_exe: only
 * this executable's) to u. Returns how many unwind_report() took.
 */
static int report_modules(struct unwinder *u, int only_exe)
{
	char line[4096], exe[PATH_MAX], done[32][PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *fp = fopen("/proc/self/maps", "r");
	int ndone = 0, ok = 0, i;

	if (!fp || len <= 0) {
		if (fp)
			fclose(fp);
		return 0;
	}
	exe[len] = '\0';
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long start, end, pgoff;
		char perms[8];
		const char *path;
		struct elfinfo info;
		uint64_t bias, base;
		int n = 0, fd, seen = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &start, &end, perms,
			   &pgoff, &n) < 4 || perms[2] != 'x')
			continue;
		line[strcspn(line, "\n")] = '\0';
		path = line + n;
		while (*path == ' ')
			path++;
		if (*path != '/' || (only_exe && strcmp(path, exe)))
			continue;
		for (i = 0; i < ndone; i++)
			seen |= !strcmp(done[i], path);
		if (seen || ndone == (int)ARRAY_SIZE(done))
			continue;
		snprintf(done[ndone++], sizeof(done[0]), "%s", path);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!elfinfo_read(fd, &info) && !elfinfo_bias(&info, start, pgoff, &bias, &base) &&
		    !(info.is_exec && bias)) {
			const char *name = strrchr(path, '/') + 1;

			/* through the fd for one, by path for the others */
			if (!unwind_report(u, name, path, ok ? -1 : fd, base))
				ok++;
		}
		close(fd);
	}
	fclose(fp);
	return ok;
}

/* The end of the mapping that holds addr (the stack we run on). */
static uint64_t mapping_end(uint64_t addr)
{
	char line[4096];
	FILE *fp = fopen("/proc/self/maps", "r");
	uint64_t end = 0;

	while (fp && fgets(line, sizeof(line), fp)) {
		unsigned long long s, e;

		if (sscanf(line, "%llx-%llx", &s, &e) == 2 && addr >= s && addr < e)
			end = e;
	}
	if (fp)
		fclose(fp);
	return end;
}

struct sample {
	struct perf_format fmt;
	struct perf_sample s;
	uint64_t regs[64];
};

/* A sample of the registers reg[] (by perf number) and stack bytes. */
static void make_sample(struct sample *smp, const uint64_t *reg,
			const unsigned char *stack, size_t size)
{
	uint64_t mask = arch_regs_mask();
	int bit, k = 0;

	memset(smp, 0, sizeof(*smp));
	smp->fmt.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			       PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	smp->fmt.regs_user_mask = mask;
	smp->fmt.sample_id_all = 1;
	for (bit = 0; bit < 64; bit++)
		if (mask & (1ULL << bit))
			smp->regs[k++] = bit < PERF_REG_X86_64_MAX ? reg[bit] : 0;
	smp->s.ip = reg[PERF_REG_X86_IP];
	smp->s.pid = (uint32_t)getpid();
	smp->s.tid = (uint32_t)gettid();
	smp->s.regs_abi = PERF_SAMPLE_REGS_ABI_64;
	smp->s.regs = smp->regs;
	smp->s.stack = stack;
	smp->s.stack_size = size;
	smp->s.stack_dyn_size = size;
}

/*
 * Capture a -> b -> c (or q -> qsort -> cmp -> c) and unwind it with u:
 * the frames are c, b, a, capture_and_unwind, its caller, ...
 */
static size_t capture_and_unwind(struct unwinder *u, int through_qsort,
				 uint64_t *pcs, size_t max, enum unwind_end *end);

NOINLINE
static size_t capture_and_unwind(struct unwinder *u, int through_qsort,
				 uint64_t *pcs, size_t max, enum unwind_end *end)
{
	struct sample smp;
	volatile int here = 0;

	if (!stack_top)
		stack_top = mapping_end((uint64_t)(uintptr_t)&here);
	if (through_qsort)
		sink += t_unwind_q(5);
	else
		sink += t_unwind_a(5);
	make_sample(&smp, cap.reg, cap.stack, cap.size);
	return unwind_sample(u, &smp.fmt, &smp.s, pcs, max, end);
}

static struct unwinder *new_unwinder(int only_exe)
{
	struct unwinder *u = unwind_new(getpid());

	CHECK(u != NULL);
	if (u)
		CHECK(report_modules(u, only_exe) >= 1);
	return u;
}

/* --- the tests --- */

TEST(unwind_own_stack_finds_c_b_a_and_every_caller_to_start)
{
	struct unwinder *u = new_unwinder(0);
	uint64_t pcs[MAX_FRAMES];
	enum unwind_end end = UNWIND_NO_REGS;
	size_t n;
	long m;
	int bad = 0;

	if (!u)
		return;
	n = capture_and_unwind(u, 0, pcs, MAX_FRAMES, &end);
	CHECKB(n >= 5 && n < MAX_FRAMES);
	if (n >= 5) {
		CHECK_U64EQ(pcs[0], cap.reg[PERF_REG_X86_IP]);
		CHECKB_STREQ(frame_name(pcs, 0), "t_unwind_c");
		CHECKB_STREQ(frame_name(pcs, 1), "t_unwind_b");
		CHECKB_STREQ(frame_name(pcs, 2), "t_unwind_a");
		CHECKB_STREQ(frame_name(pcs, 3), "capture_and_unwind");
		CHECKB_STREQ(frame_name(pcs, 4),
			     "test_unwind_own_stack_finds_c_b_a_and_every_caller_to_start");
		/* then the harness's main(), libc's start code, _start: the outermost */
		m = find_frame(pcs, n, 5, "main");
		CHECKB(m >= 5);
		CHECKB(m >= 0 && (size_t)m + 1 < n && in_libc(pcs, (size_t)m + 1));
		CHECKB_STREQ(frame_name(pcs, n - 1), "_start");
	}
	CHECKB(end == UNWIND_COMPLETE);
	if (bad)
		dump_frames("a -> b -> c", pcs, n, end);
	unwind_free(u);
}

TEST(unwind_crosses_libc_qsort_to_the_comparator)
{
	struct unwinder *u = new_unwinder(0);
	uint64_t pcs[MAX_FRAMES];
	enum unwind_end end = UNWIND_NO_REGS;
	size_t n, i;
	long q;
	int bad = 0;

	if (!u)
		return;
	n = capture_and_unwind(u, 1, pcs, MAX_FRAMES, &end);
	CHECKB(n >= 4);
	CHECKB(n >= 2 && !strcmp(frame_name(pcs, 0), "t_unwind_c"));
	CHECKB(n >= 2 && !strcmp(frame_name(pcs, 1), "t_unwind_cmp"));
	/*
	 * qsort's frames (at least one) in libc, then the caller of qsort
	 * (under ASan, its qsort interceptor, in the executable)
	 */
	q = find_frame(pcs, n, 2, "t_unwind_q");
	CHECKB(q >= 3);
	for (i = 2; q >= 3 && i < (size_t)q; i++)
		CHECKB(in_libc(pcs, i) || strstr(frame_name(pcs, i), "qsort"));
	CHECKB(q >= 0 && (size_t)q + 1 < n &&
	       !strcmp(frame_name(pcs, (size_t)q + 1), "capture_and_unwind"));
	CHECKB(end == UNWIND_COMPLETE);
	if (bad)
		dump_frames("q -> qsort -> cmp -> c", pcs, n, end);
	unwind_free(u);
}

TEST(unwind_without_libc_stops_after_main_truncated)
{
	struct unwinder *u = new_unwinder(1);
	uint64_t pcs[MAX_FRAMES];
	enum unwind_end end = UNWIND_NO_REGS;
	size_t n;
	long m;
	int bad = 0;

	if (!u)
		return;
	n = capture_and_unwind(u, 0, pcs, MAX_FRAMES, &end);
	CHECKB(n >= 3);
	CHECKB(n >= 3 && !strcmp(frame_name(pcs, 0), "t_unwind_c"));
	CHECKB(n >= 3 && !strcmp(frame_name(pcs, 1), "t_unwind_b"));
	CHECKB(n >= 3 && !strcmp(frame_name(pcs, 2), "t_unwind_a"));
	/* main's return address is in libc, which has no module: the end */
	m = find_frame(pcs, n, 3, "main");
	CHECKB(m >= 0 && (size_t)m + 2 >= n);
	CHECKB(end == UNWIND_TRUNCATED);
	if (bad)
		dump_frames("exe only", pcs, n, end);
	unwind_free(u);
}

/* Where, in the stack copy, return address ra is kept (from from on), or -1. */
static long ra_slot(uint64_t ra, size_t from)
{
	size_t off;

	for (off = from; off + 8 <= cap.size; off += 8) {
		uint64_t v;

		memcpy(&v, cap.stack + off, 8);
		if (v == ra)
			return (long)off;
	}
	return -1;
}

TEST(unwind_stack_copy_cut_after_a_return_address_ends_there_truncated)
{
	struct unwinder *u = new_unwinder(0);
	uint64_t full[MAX_FRAMES], pcs[MAX_FRAMES];
	enum unwind_end end;
	size_t nfull, n, k, i;
	long slot = 0;

	if (!u)
		return;
	nfull = capture_and_unwind(u, 0, full, MAX_FRAMES, &end);
	CHECK(nfull >= 5 && end == UNWIND_COMPLETE);
	/*
	 * Cut the copy just after the slot of the return address of frame
	 * k: frames 0..k are found, frame k's caller is not.
	 */
	for (k = 1; k < 5 && k < nfull; k++) {
		struct sample smp;

		slot = ra_slot(full[k], (size_t)slot);
		CHECK(slot >= 0);
		if (slot < 0)
			break;
		make_sample(&smp, cap.reg, cap.stack, (size_t)slot + 8);
		end = UNWIND_COMPLETE;
		n = unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end);
		if (n != k + 1 || end != UNWIND_TRUNCATED) {
			printf("# cut after frame %zu's return address (%ld bytes)\n", k, slot + 8);
			dump_frames("cut", pcs, n, end);
		}
		CHECK_U64EQ(n, k + 1);
		CHECK(end == UNWIND_TRUNCATED);
		for (i = 0; i < n && i <= k; i++)
			CHECK_U64EQ(pcs[i], full[i]);
		slot += 8;
	}
	/* No stack at all: the sampled pc only (no frame-pointer record either). */
	{
		struct sample smp;

		make_sample(&smp, cap.reg, cap.stack, 0);
		n = unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end);
		CHECK_U64EQ(n, 1);
		CHECK_U64EQ(pcs[0], full[0]);
		CHECK(end == UNWIND_TRUNCATED);
	}
	unwind_free(u);
}

TEST(unwind_max_frames_caps_the_walk_truncated)
{
	struct unwinder *u = new_unwinder(0);
	uint64_t full[MAX_FRAMES], pcs[3];
	struct sample smp;
	enum unwind_end end;
	size_t nfull, n, max;

	if (!u)
		return;
	nfull = capture_and_unwind(u, 0, full, MAX_FRAMES, &end);
	CHECK(nfull > 3);
	make_sample(&smp, cap.reg, cap.stack, cap.size);
	for (max = 1; max <= 3; max++) {
		memset(pcs, 0, sizeof(pcs));
		n = unwind_sample(u, &smp.fmt, &smp.s, pcs, max, &end);
		CHECK_U64EQ(n, max);
		CHECK(end == UNWIND_TRUNCATED);
		CHECK(!memcmp(pcs, full, max * sizeof(pcs[0])));
	}
	/* exactly as many as there are frames: complete */
	{
		uint64_t *exact = xcalloc(nfull, sizeof(*exact));

		n = unwind_sample(u, &smp.fmt, &smp.s, exact, nfull, &end);
		CHECK_U64EQ(n, nfull);
		CHECK(end == UNWIND_COMPLETE);
		free(exact);
	}
	unwind_free(u);
}

TEST(unwind_fast_path_agrees_with_libdwfl_on_real_stacks)
{
	struct unwinder *u = new_unwinder(0);
	uint64_t pcs[MAX_FRAMES];
	enum unwind_end end;
	const struct unwind_check_stats *st = unwind_check_stats();
	uint64_t same, differ, slow;
	size_t n1, n2;

	if (!u)
		return;
	same = st->same;
	differ = st->differ;
	slow = st->slow;
	unwind_check(1);
	n1 = capture_and_unwind(u, 0, pcs, MAX_FRAMES, &end);
	n2 = capture_and_unwind(u, 1, pcs, MAX_FRAMES, &end);
	unwind_check(0);
	CHECK(n1 >= 5 && n2 >= 5);
	/*
	 * Both went through the fast path, and libdwfl found the same frames
	 * (with FG_UNWIND_SLOW=1, libdwfl alone: nothing is compared).
	 */
	if (getenv("FG_UNWIND_SLOW") && *getenv("FG_UNWIND_SLOW") == '1')
		CHECK_U64EQ(st->same, same);
	else
		CHECK_U64EQ(st->same - same, 2);
	CHECK_U64EQ(st->differ, differ);
	CHECK_U64EQ(st->slow, slow);
	unwind_free(u);
}

/* xorshift64: garbage, the same every run */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

TEST(unwind_garbage_registers_and_stack_give_few_frames)
{
	struct unwinder *u = new_unwinder(0);
	uint64_t pcs[MAX_FRAMES], reg[PERF_REG_X86_64_MAX], x = 0x9e3779b97f4a7c15ULL;
	unsigned char *junk = xmalloc(4096);
	struct sample smp;
	enum unwind_end end;
	size_t n, i, round;
	int bad = 0;

	if (!u) {
		free(junk);
		return;
	}
	capture_and_unwind(u, 0, pcs, MAX_FRAMES, &end);
	for (i = 0; i < 4096; i += 8) {
		uint64_t v = rnd(&x);

		memcpy(junk + i, &v, 8);
	}
	for (round = 0; round < 400 && !bad; round++) {
		int kind = (int)(round % 4);

		for (i = 0; i < ARRAY_SIZE(reg); i++)
			reg[i] = rnd(&x);
		/*
		 * 0: every register random; 1: the real pc, a random sp; 2: the
		 * real pc, an sp near the top of the address space (addresses
		 * computed from it wrap); 3: the real pc and sp over a stack of
		 * random words. Even rounds give the real stack copy, odd ones
		 * the random one.
		 */
		if (kind >= 1)
			reg[PERF_REG_X86_IP] = cap.reg[PERF_REG_X86_IP];
		if (kind == 2)
			reg[PERF_REG_X86_SP] = UINT64_MAX - 16;
		if (kind == 3)
			reg[PERF_REG_X86_SP] = cap.reg[PERF_REG_X86_SP];
		if (kind == 3 || (round & 1))
			make_sample(&smp, reg, junk, 4096);
		else
			make_sample(&smp, reg, cap.stack, cap.size);
		end = UNWIND_NO_REGS;
		n = unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end);
		/* the sampled pc, maybe one random return address, no more */
		CHECKB(n >= 1 && n <= 2);
		CHECKB(n >= 1 && pcs[0] == reg[PERF_REG_X86_IP]);
		CHECKB(end == UNWIND_TRUNCATED);
		if (bad) {
			printf("# garbage round %zu\n", round);
			dump_frames("garbage", pcs, n, end);
		}
	}
	free(junk);
	unwind_free(u);
}

TEST(unwind_pc_without_cfi_follows_the_frame_pointer_chain)
{
	struct unwinder *u = new_unwinder(0);
	uint64_t pcs[MAX_FRAMES], reg[PERF_REG_X86_64_MAX] = { 0 }, stack[16] = { 0 };
	uint64_t sp = 0x7f0000100000ULL;
	struct sample smp;
	enum unwind_end end;
	size_t n;

	if (!u)
		return;
	/* frame records at sp+16, sp+48 and sp+96; the last links to itself */
	stack[2] = sp + 48;
	stack[3] = 0x1111;
	stack[6] = sp + 96;
	stack[7] = 0x2222;
	stack[12] = sp + 96;
	stack[13] = 0x3333;
	reg[PERF_REG_X86_IP] = 0x1000;	/* no module there */
	reg[PERF_REG_X86_SP] = sp;
	reg[PERF_REG_X86_BP] = sp + 16;
	make_sample(&smp, reg, (const unsigned char *)stack, sizeof(stack));
	n = unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end);
	CHECK_U64EQ(n, 4);
	CHECK(n == 4 && pcs[0] == 0x1000 && pcs[1] == 0x1111 && pcs[2] == 0x2222 &&
	      pcs[3] == 0x3333);
	CHECK(end == UNWIND_TRUNCATED);
	/* a zero return address ends the chain; max bounds it */
	stack[7] = 0;
	n = unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end);
	CHECK_U64EQ(n, 2);
	stack[7] = 0x2222;
	n = unwind_sample(u, &smp.fmt, &smp.s, pcs, 2, &end);
	CHECK_U64EQ(n, 2);
	/* a frame record past the end of the copy is not read */
	make_sample(&smp, reg, (const unsigned char *)stack, 56);
	n = unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end);
	CHECK_U64EQ(n, 2);
	unwind_free(u);
}

TEST(unwind_sample_without_registers_or_modules)
{
	struct unwinder *u = unwind_new(getpid());
	uint64_t pcs[MAX_FRAMES];
	struct sample smp;
	enum unwind_end end = UNWIND_COMPLETE;
	size_t n;

	CHECK(u != NULL);
	if (!u)
		return;
	capture_and_unwind(u, 0, pcs, MAX_FRAMES, &end);
	/* no module reported: the sampled pc only */
	CHECK(end == UNWIND_TRUNCATED);
	make_sample(&smp, cap.reg, cap.stack, cap.size);
	n = unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end);
	CHECK_U64EQ(n, 1);
	CHECK_U64EQ(pcs[0], cap.reg[PERF_REG_X86_IP]);
	CHECK(end == UNWIND_TRUNCATED);
	/* files libdwfl cannot use are refused, and change nothing */
	CHECK(unwind_report(u, "nothing", "/nonexistent/t-unwind.so", -1, 0x10000) == -1);
	CHECK(unwind_report(u, "null", "/dev/null", -1, 0x10000) == -1);
	n = unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end);
	CHECK_U64EQ(n, 1);
	/* a sample without user registers (a kernel thread's) */
	smp.s.regs_abi = PERF_SAMPLE_REGS_ABI_NONE;
	end = UNWIND_COMPLETE;
	CHECK_U64EQ(unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end), 0);
	CHECK(end == UNWIND_NO_REGS);
	smp.s.regs_abi = PERF_SAMPLE_REGS_ABI_64;
	smp.s.regs = NULL;
	end = UNWIND_COMPLETE;
	CHECK_U64EQ(unwind_sample(u, &smp.fmt, &smp.s, pcs, MAX_FRAMES, &end), 0);
	CHECK(end == UNWIND_NO_REGS);
	unwind_free(u);
	unwind_free(NULL);
}

TEST(unwind_release_test_state)
{
	size_t i;

	for (i = 0; i < nsyms; i++)
		free(syms[i].name);
	FREE_AND_NULL(syms);
	nsyms = syms_alloc = 0;
	FREE_AND_NULL(cap.stack);
	CHECK(1);
}
