/*
 * gen-bench-input: write large, deterministic benchmark inputs.
 *
 *	gen-bench-input perf-script SIZE_MB > file
 *		`perf script` text (at least SIZE_MB * 10^6 bytes, ended at an
 *		event boundary) resembling a profile of a Rust release binary:
 *		several threads, pid/tid, cpu, timestamp, period, cpu-clock
 *		events with 10-40 frames each of demangled Rust names with
 *		generics and closures, libc and [kernel.kallsyms] frames, some
 *		[unknown] frames, some "(inlined)" frames and a few names that
 *		perf left with their hash or half demangled.
 *
 *	gen-bench-input folded NSTACKS > file
 *		folded stacks: exactly NSTACKS distinct lines "a;b;c COUNT" of
 *		5-30 frames each, drawn from one call tree so that stacks share
 *		prefixes as real profiles do.
 *
 *	gen-bench-input pprof SIZE_MB > file
 *		a pprof profile (profile.proto, not gzipped: go tool pprof and
 *		--from-pprof read both) of at least SIZE_MB * 10^6 bytes, as a
 *		recording of a Rust service with a C++ engine would be: sample
 *		types samples/count and cpu/nanoseconds, period 997 Hz, mappings
 *		of the executable, libc and libstdc++ with build-ids and the
 *		vDSO, 6000 functions with Rust and C++ names, mangled names and
 *		source files, locations with addresses and 1-3 lines (inline
 *		frames), samples of 7-40 locations drawn from one call graph so
 *		that stacks share prefixes, labelled pid, tid and thread, one
 *		sample per (stack, thread) with its count. The protobuf
 *		encoding is written here by hand, the program linking nothing.
 *
 * The same arguments always give byte-identical output: every choice comes
 * from a fixed-seed PRNG, and the call trees and graphs are functions of
 * their ids.
 * Standalone on purpose (the Makefile links nothing else into it).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_OUT_SIZE (1u << 20)
#define GEN_MAX_DEPTH 64

/* ------------------------------------------------------------------ */
/* Output */

static char gen_out[GEN_OUT_SIZE];
static size_t gen_out_len;
static uint64_t gen_out_total;

static void gen_flush(void)
{
	if (gen_out_len && fwrite(gen_out, 1, gen_out_len, stdout) != gen_out_len) {
		fprintf(stderr, "gen-bench-input: write error: %s\n", strerror(errno));
		exit(1);
	}
	gen_out_len = 0;
}

static void gen_put(const char *s, size_t n)
{
	gen_out_total += n;
	while (n) {
		size_t room = GEN_OUT_SIZE - gen_out_len;
		size_t k = n < room ? n : room;

		memcpy(gen_out + gen_out_len, s, k);
		gen_out_len += k;
		s += k;
		n -= k;
		if (gen_out_len == GEN_OUT_SIZE)
			gen_flush();
	}
}

static void gen_puts(const char *s)
{
	gen_put(s, strlen(s));
}

static void gen_putc(char ch)
{
	gen_put(&ch, 1);
}

/* Unsigned number in base 10 or 16, right-aligned in width (0: none). */
static void gen_putnum(uint64_t v, unsigned base, unsigned width, char pad)
{
	char tmp[32];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (sizeof(tmp) - i < width && i)
		tmp[--i] = pad;
	gen_put(tmp + i, sizeof(tmp) - i);
}

/* ------------------------------------------------------------------ */
/* Randomness */

static uint64_t gen_mix(uint64_t x)
{
	/* splitmix64 finaliser */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t gen_state = 0x5eed5eed12345678ULL;

static uint64_t gen_rand(void)
{
	gen_state += 0x9e3779b97f4a7c15ULL;
	return gen_mix(gen_state);
}

/* Uniform in [0, n). */
static unsigned gen_below(unsigned n)
{
	return (unsigned)(gen_rand() % n);
}

/* True with probability percent/100. */
static int gen_chance(unsigned percent)
{
	return gen_below(100) < percent;
}

/* ------------------------------------------------------------------ */
/* Names */

static const char *const gen_crates[] = {
	"myapp", "myapp", "myapp", "myapp_core", "serde_json", "regex_automata",
	"hashbrown", "tokio", "rayon_core", "alloc", "core", "std", "smallvec",
	"indexmap", "bytes", "futures_util", "tracing", "crossbeam_channel",
};

static const char *const gen_modules[] = {
	"parser", "lexer", "eval", "ast", "codegen", "runtime", "sync", "io",
	"de", "ser", "raw", "map", "vec", "iter", "fmt", "task", "scheduler",
	"pool", "worker", "util", "cache", "graph", "index", "query", "storage",
	"planner", "optimizer", "exec", "net", "proto",
};

static const char *const gen_types[] = {
	"Parser", "Lexer", "Interpreter", "Vec", "HashMap", "RawTable",
	"Deserializer", "Serializer", "Worker", "Registry", "Context", "Node",
	"Expr", "Token", "Chunk", "Buffer", "Reader", "Writer", "Graph", "Index",
	"Cache", "Query", "Table", "Scope", "Planner", "Executor", "Batch",
	"Connection", "Frame", "Schema",
};

static const char *const gen_methods[] = {
	"parse_expr", "next_token", "eval", "visit", "insert", "get",
	"reserve_rehash", "find", "deserialize_map", "serialize_field", "run",
	"poll", "execute", "push", "extend", "from_iter", "fold", "for_each",
	"next", "clone", "lookup", "resolve", "compile", "emit", "flush",
	"read_buf", "write_all", "hash_one", "eq", "new", "with_capacity",
	"process_batch", "try_fold", "advance", "step", "handle_frame",
};

static const char *const gen_generics[] = {
	"u8", "usize", "u64", "alloc::string::String", "myapp::ast::Node",
	"&str", "alloc::vec::Vec<u8>", "core::option::Option<usize>",
	"(u64, myapp::ast::Expr)", "alloc::sync::Arc<myapp::exec::Context>",
	"myapp::query::Batch", "serde_json::value::Value", "T",
};

static const char *const gen_traits[] = {
	"core::iter::traits::iterator::Iterator",
	"core::clone::Clone",
	"core::hash::Hash",
	"serde::de::Deserialize",
	"core::ops::function::FnOnce<()>",
	"core::fmt::Display",
	"core::future::future::Future",
	"alloc::vec::spec_from_iter::SpecFromIter<T,I>",
	"core::ops::drop::Drop",
	"core::cmp::PartialEq",
};

#define GEN_NR(arr) ((unsigned)(sizeof(arr) / sizeof((arr)[0])))
#define GEN_PICK(arr, h) ((arr)[(h) % GEN_NR(arr)])

/* What the Rust-like name of function id is made of (and its file). */
static uint64_t gen_rust_hash(uint64_t id)
{
	return gen_mix(id ^ 0xa5a5a5a5a5a5a5a5ULL);
}

/*
 * Append the Rust-like name of function id to buf (size >= 512). Shapes:
 * paths, generics, trait impls, closures, drop_in_place.
 */
static size_t gen_rust_name(uint64_t id, char *buf, size_t size)
{
	uint64_t h = gen_rust_hash(id);
	const char *cr = GEN_PICK(gen_crates, h >> 8);
	const char *mo = GEN_PICK(gen_modules, h >> 16);
	const char *ty = GEN_PICK(gen_types, h >> 24);
	const char *me = GEN_PICK(gen_methods, h >> 32);
	const char *ge = GEN_PICK(gen_generics, h >> 40);
	const char *tr = GEN_PICK(gen_traits, h >> 48);
	int n;

	switch (h % 16) {
	case 0: case 1: case 2: case 3:
		n = snprintf(buf, size, "%s::%s::%s::%s", cr, mo, ty, me);
		break;
	case 4: case 5:
		n = snprintf(buf, size, "%s::%s::%s<%s>::%s", cr, mo, ty, ge, me);
		break;
	case 6: case 7:
		n = snprintf(buf, size, "<%s::%s::%s<%s> as %s>::%s", cr, mo, ty,
			     ge, tr, me);
		break;
	case 8: case 9:
		n = snprintf(buf, size, "%s::%s::%s", cr, mo, me);
		break;
	case 10: case 11:
		n = snprintf(buf, size, "%s::%s::%s::%s::{{closure}}", cr, mo, ty, me);
		break;
	case 12:
		n = snprintf(buf, size, "core::ptr::drop_in_place<%s::%s::%s>", cr, mo, ty);
		break;
	case 13:
		n = snprintf(buf, size, "<alloc::vec::Vec<%s> as alloc::vec::spec_extend::SpecExtend<%s,I>>::spec_extend",
			     ge, ge);
		break;
	case 14:
		n = snprintf(buf, size, "%s::%s::%s<%s>::%s::{{closure}}::{{closure}}",
			     cr, mo, ty, ge, me);
		break;
	default:
		n = snprintf(buf, size, "<%s as %s>::%s", ty, tr, me);
		break;
	}
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* ------------------------------------------------------------------ */
/* The call tree: node ids derived from the parent's, nothing stored */

static uint64_t gen_child(uint64_t parent, unsigned i)
{
	return gen_mix(parent * 31 + i + 1);
}

/* How many children a node has (at least 1). */
static unsigned gen_fanout(uint64_t id, unsigned depth, unsigned max)
{
	unsigned lo = depth < 3 ? 2 : 1;

	return lo + (unsigned)(gen_mix(id ^ 0xf00dULL) % (max - lo + 1));
}

/*
 * Pick a child index, skewed toward the first ones (hot paths): each next
 * one with a chance of percent/100.
 */
static unsigned gen_skewed_by(unsigned fanout, unsigned percent)
{
	unsigned i = 0;

	while (i + 1 < fanout && gen_chance(percent))
		i++;
	return i;
}

static unsigned gen_skewed(unsigned fanout)
{
	return gen_skewed_by(fanout, 45);
}

/* ------------------------------------------------------------------ */
/* perf script */

struct gen_frame {
	uint64_t addr;
	const char *fixed;	/* a fixed name, or NULL: Rust name of id */
	uint64_t id;
	const char *module;
	int style;		/* 0 plain, 1 hash suffix, 2 half demangled */
};

static const char gen_bin[] = "/usr/local/bin/myapp";
static const char gen_libc[] = "/usr/lib/x86_64-linux-gnu/libc.so.6";
static const char gen_kernel[] = "[kernel.kallsyms]";

static const char *const gen_libc_leaves[] = {
	"__memmove_avx_unaligned_erms", "malloc", "_int_malloc", "_int_free",
	"cfree@GLIBC_2.2.5", "__memcmp_avx2_movbe", "__memset_avx2_unaligned_erms",
	"realloc", "_int_realloc", "__strlen_avx2", "pthread_mutex_lock",
};

static const char *const gen_kernel_write[] = {
	"entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_write",
	"ksys_write", "vfs_write", "new_sync_write", "sock_write_iter",
	"sock_sendmsg", "tcp_sendmsg", "tcp_sendmsg_locked", "tcp_push",
	"__tcp_push_pending_frames", "tcp_write_xmit",
};

static const char *const gen_kernel_fault[] = {
	"asm_exc_page_fault", "exc_page_fault", "do_user_addr_fault",
	"handle_mm_fault", "__handle_mm_fault", "do_anonymous_page",
	"alloc_pages_vma", "__alloc_pages", "get_page_from_freelist",
	"clear_page_erms",
};

static const char *const gen_main_root[] = {
	"_start", "__libc_start_main_impl", "__libc_start_call_main", "main",
	"std::rt::lang_start_internal",
	"std::rt::lang_start::{{closure}}",
	"std::sys_common::backtrace::__rust_begin_short_backtrace",
	"myapp::main",
};

static const char *const gen_thread_root[] = {
	"__clone3", "start_thread",
	"std::sys::unix::thread::Thread::new::thread_start",
	"<alloc::boxed::Box<F,A> as core::ops::function::FnOnce<Args>>::call_once",
	"core::ops::function::FnOnce::call_once{{vtable.shim}}",
	"std::thread::Builder::spawn_unchecked_::{{closure}}",
	"std::sys_common::backtrace::__rust_begin_short_backtrace",
};

static const struct {
	const char *comm;
	unsigned tid_off;
	int worker;
} gen_threads[] = {
	{ "myapp", 0, 0 },
	{ "tokio-runtime-w", 1, 1 },
	{ "tokio-runtime-w", 2, 1 },
	{ "tokio-runtime-w", 3, 1 },
	{ "rayon-worker-0", 4, 1 },
	{ "rayon-worker-1", 5, 1 },
	{ "Blocking Worker", 6, 1 },
};

static uint64_t gen_addr_of(const char *name, uint64_t base)
{
	uint64_t h = 1469598103934665603ULL;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 1099511628211ULL;
	return base + (gen_mix(h) & 0xfffff0);
}

static void gen_put_frame(const struct gen_frame *f, int inlined_name)
{
	char name[600];
	size_t n;

	gen_putc('\t');
	gen_putnum(f->addr, 16, 16, ' ');
	gen_putc(' ');
	if (f->fixed) {
		gen_puts(f->fixed);
	} else {
		uint64_t id = inlined_name ? gen_child(f->id, 97) : f->id;

		n = gen_rust_name(id, name, sizeof(name) - 64);
		if (!inlined_name && f->style == 2) {
			/* half demangled, as perf leaves some legacy names */
			gen_puts("_$LT$myapp..exec..Batch$LT$T$GT$$u20$as$u20$core..iter..traits..iterator..Iterator$GT$::next");
		} else {
			gen_put(name, n);
		}
		if (!inlined_name && f->style) {
			gen_puts("::h");
			gen_putnum(gen_mix(f->id) | (1ULL << 63), 16, 16, '0');
		}
	}
	if (!inlined_name && gen_chance(90)) {
		gen_puts("+0x");
		gen_putnum(gen_below(0x400) + 1, 16, 0, '0');
	} else if (inlined_name) {
		gen_puts("+0x");
		gen_putnum(f->addr & 0x3ff, 16, 0, '0');
	}
	gen_puts(" (");
	gen_puts(inlined_name ? "inlined" : f->module);
	gen_puts(")\n");
}

#define GEN_LIBC_BASE 0x7f3a1c000000ULL
#define GEN_BIN_BASE 0x55d0c8a00000ULL
#define GEN_KERNEL_BASE 0xffffffff81000000ULL

/* A frame with a fixed name, at an address fixed by the name. */
static struct gen_frame gen_fixed(const char *name, const char *module)
{
	uint64_t base = module == gen_libc ? GEN_LIBC_BASE :
			module == gen_kernel ? GEN_KERNEL_BASE : GEN_BIN_BASE;
	struct gen_frame f = { gen_addr_of(name, base), name, 0, module, 0 };

	return f;
}

static void gen_perf_script(uint64_t min_bytes)
{
	struct gen_frame st[GEN_MAX_DEPTH];
	uint64_t ts_us = 81234567890ULL; /* 81234.567890 s */
	const unsigned pid = 48213;

	while (gen_out_total < min_bytes) {
		unsigned t = gen_below(8);
		unsigned th = t < 2 ? 0 : 1 + gen_below(GEN_NR(gen_threads) - 1);
		unsigned n = 0, i, depth, max_frames;
		uint64_t node;
		int unknown_root = gen_chance(4);
		unsigned kernel = gen_below(100);

		/* root side, root first */
		if (unknown_root) {
			st[n] = gen_fixed("[unknown]", "[unknown]");
			st[n++].addr = gen_rand() & 0x7fffffffffffULL;
		} else if (!gen_threads[th].worker) {
			for (i = 0; i < GEN_NR(gen_main_root); i++) {
				st[n++] = gen_fixed(gen_main_root[i],
						    i == 1 || i == 2 ? gen_libc : gen_bin);
			}
		} else {
			for (i = 0; i < GEN_NR(gen_thread_root); i++) {
				st[n++] = gen_fixed(gen_thread_root[i],
						    i < 2 ? gen_libc : gen_bin);
			}
		}

		/*
		 * The application's call tree. Whether a function calls on,
		 * calls into libc or could not be named is a property of the
		 * function (of its node), as in a real program, so hot paths
		 * repeat and the stacks have a realistic share of duplicates.
		 */
		node = 0x1234 + gen_threads[th].worker;
		depth = 0;
		/* at most 40 frames in all, kernel and libc included */
		max_frames = kernel < 12 ? 40 - 14 : 40 - 1;
		while (n < GEN_MAX_DEPTH - 24) {
			uint64_t h;

			node = gen_child(node, gen_skewed(gen_fanout(node, depth, 4)));
			h = gen_mix(node ^ 0x1eafULL);
			depth++;
			st[n].addr = GEN_BIN_BASE + (gen_mix(node) & 0x3ffff0) + gen_below(0x200);
			st[n].fixed = NULL;
			st[n].id = node;
			st[n].module = gen_bin;
			st[n].style = h % 50 == 1 ? 1 : h % 200 == 2 ? 2 : 0;
			if (h % 60 == 0) {
				/* a function perf could not name */
				st[n].fixed = "[unknown]";
				st[n].module = h & 0x100 ? "[unknown]" : gen_bin;
			}
			n++;
			if (n >= max_frames || (n >= 10 && (h >> 8) % 100 < 9))
				break;	/* a leaf function */
		}

		/* leaf side */
		if (gen_mix(node) % 10 < 3) {
			st[n++] = gen_fixed(GEN_PICK(gen_libc_leaves, gen_mix(node) >> 8),
					    gen_libc);
		}
		if (kernel < 12) {
			/* a write system call or a page fault, whole or cut short */
			const char *const *k = kernel < 6 ? gen_kernel_write : gen_kernel_fault;
			unsigned kn = kernel < 6 ? GEN_NR(gen_kernel_write) : GEN_NR(gen_kernel_fault);
			unsigned upto = kn - (kernel & 1) * 3;

			for (i = 0; i < upto && n < GEN_MAX_DEPTH; i++)
				st[n++] = gen_fixed(k[i], gen_kernel);
		}

		/* the event line */
		ts_us += 200 + gen_below(100);
		gen_puts(gen_threads[th].comm);
		gen_putc(' ');
		gen_putnum(pid, 10, 6, ' ');
		gen_putc('/');
		gen_putnum(pid + gen_threads[th].tid_off, 10, 0, ' ');
		gen_puts(" [");
		gen_putnum(gen_below(16), 10, 3, '0');
		gen_puts("] ");
		gen_putnum(ts_us / 1000000, 10, 0, ' ');
		gen_putc('.');
		gen_putnum(ts_us % 1000000, 10, 6, '0');
		gen_puts(":     ");
		gen_putnum(gen_chance(90) ? 250000 : 240000 + gen_below(20000), 10, 0, ' ');
		gen_puts(" cpu-clock:ppp: \n");

		/* the callchain, leaf first */
		for (i = n; i-- > 0;) {
			if (!st[i].fixed && st[i].id % 8 == 0)
				gen_put_frame(&st[i], 1);
			gen_put_frame(&st[i], 0);
		}
		gen_putc('\n');
	}
}

/* ------------------------------------------------------------------ */
/* folded */

/* One folded line: at most 30 frames of < 600 bytes. */
static char line[30 * 600 + 64];
static size_t line_len;

static void gen_line_add(const char *s)
{
	size_t n = strlen(s);

	memcpy(line + line_len, s, n);
	line_len += n;
}

static void gen_folded(uint64_t nstacks)
{
	uint64_t cap = 1024, done = 0;
	uint64_t *seen;

	while (cap < nstacks * 2)
		cap *= 2;
	seen = calloc(cap, sizeof(*seen));
	if (!seen) {
		fprintf(stderr, "gen-bench-input: out of memory\n");
		exit(1);
	}
	while (done < nstacks) {
		unsigned len = 5 + gen_below(26), i, th = gen_below(4);
		uint64_t h = 1469598103934665603ULL, slot, node = 0x777 + th;
		size_t k;

		/* build the stack text, then keep it only if it is new */
		line_len = 0;
		gen_line_add(th == 3 ? "Blocking Worker" : th == 2 ? "rayon-worker-0" :
			     th == 1 ? "tokio-runtime-w" : "myapp");
		for (i = 0; i < len; i++) {
			node = gen_child(node, gen_skewed(gen_fanout(node, i, 8)));
			gen_line_add(";");
			gen_rust_name(node, line + line_len, sizeof(line) - line_len);
			line_len += strlen(line + line_len);
		}
		for (k = 0; k < line_len; k++)
			h = (h ^ (unsigned char)line[k]) * 1099511628211ULL;
		h = gen_mix(h) | 1;	/* 0 marks an empty slot */
		for (slot = h & (cap - 1); seen[slot]; slot = (slot + 1) & (cap - 1))
			if (seen[slot] == h)
				break;
		if (seen[slot])
			continue;	/* drawn before */
		seen[slot] = h;
		done++;

		gen_put(line, line_len);
		gen_putc(' ');
		gen_putnum(1 + gen_below(gen_chance(10) ? 5000 : 50), 10, 0, ' ');
		gen_putc('\n');
	}
	free(seen);
}

/* ------------------------------------------------------------------ */
/* pprof */

/*
 * The program the profile is of: a Rust service ("myapp") with a C++
 * engine linked in, libc, libstdc++ and the vDSO, 15 threads. It has a
 * static call graph: every function has call sites, each calling one
 * fixed function (a property of the code, as in a real program), and
 * places in its own code where samples land; a location is one call site
 * or one such place, so there are a few per function, and some have
 * inline frames. A sample walks the graph from its thread's entry,
 * choosing call sites skewed toward the first ones, so stacks share
 * prefixes and hot paths repeat; the samples of one (stack, thread) are
 * one Sample with their count, as profilers aggregate them.
 */

/* Wire types and field numbers of profile.proto (perftools.profiles). */
enum {
	PB_VARINT = 0,
	PB_LEN = 2,

	P_SAMPLE_TYPE = 1, P_SAMPLE = 2, P_MAPPING = 3, P_LOCATION = 4,
	P_FUNCTION = 5, P_STRING_TABLE = 6, P_TIME_NANOS = 9,
	P_DURATION_NANOS = 10, P_PERIOD_TYPE = 11, P_PERIOD = 12,
	P_COMMENT = 13,
	VT_TYPE = 1, VT_UNIT = 2,
	S_LOCATION_ID = 1, S_VALUE = 2, S_LABEL = 3,
	LB_KEY = 1, LB_STR = 2, LB_NUM = 3,
	M_ID = 1, M_START = 2, M_LIMIT = 3, M_OFFSET = 4, M_FILENAME = 5,
	M_BUILD_ID = 6, M_HAS_FUNCTIONS = 7, M_HAS_FILENAMES = 8,
	M_HAS_LINE_NUMBERS = 9, M_HAS_INLINE_FRAMES = 10,
	L_ID = 1, L_MAPPING_ID = 2, L_ADDRESS = 3, L_LINE = 4,
	LN_FUNCTION_ID = 1, LN_LINE = 2,
	FN_ID = 1, FN_NAME = 2, FN_SYSTEM_NAME = 3, FN_FILENAME = 4,
	FN_START_LINE = 5,
};

struct gen_buf {
	unsigned char *p;
	size_t len, alloc;
};

static void gen_oom(void)
{
	fprintf(stderr, "gen-bench-input: out of memory\n");
	exit(1);
}

static void *gen_realloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		gen_oom();
	return p;
}

static void gen_buf_add(struct gen_buf *b, const void *data, size_t n)
{
	if (b->alloc - b->len < n) {
		while (b->alloc - b->len < n)
			b->alloc = b->alloc ? 2 * b->alloc : 4096;
		b->p = gen_realloc(b->p, b->alloc);
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void gen_buf_str(struct gen_buf *b, const char *s)
{
	gen_buf_add(b, s, strlen(s));
}

/* Little-endian groups of 7 bits, the high bit set on all but the last. */
static void pb_varint(struct gen_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	while (v >= 0x80) {
		tmp[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (unsigned char)v;
	gen_buf_add(b, tmp, n);
}

static void pb_key(struct gen_buf *b, unsigned field, unsigned wire_type)
{
	pb_varint(b, (uint64_t)field << 3 | wire_type);
}

/* A number field, left out when 0 (its default), as protobuf writers do. */
static void pb_num(struct gen_buf *b, unsigned field, uint64_t v)
{
	if (v) {
		pb_key(b, field, PB_VARINT);
		pb_varint(b, v);
	}
}

/* A string, a nested message or a packed run: its length, then itself. */
static void pb_bytes(struct gen_buf *b, unsigned field, const void *data, size_t n)
{
	pb_key(b, field, PB_LEN);
	pb_varint(b, n);
	gen_buf_add(b, data, n);
}

/*
 * The string table: every string once, index 0 the empty string as
 * profile.proto wants. Interned through an open-addressing table of
 * index + 1 (0: an empty slot).
 */
static struct gen_buf gen_str_text;
static size_t *gen_str_off;	/* string i: gen_str_off[i] .. gen_str_off[i + 1] */
static size_t gen_nstrs, gen_str_alloc;
static uint32_t *gen_str_slot;
static size_t gen_str_nslots;

static uint64_t gen_hash_bytes(const void *data, size_t n)
{
	const unsigned char *s = data;
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ *s++) * 1099511628211ULL;
	return gen_mix(h);
}

static uint32_t gen_intern_bytes(const char *s, size_t n)
{
	size_t i, slot;

	if (gen_nstrs * 2 >= gen_str_nslots) {
		gen_str_nslots = gen_str_nslots ? 2 * gen_str_nslots : 4096;
		free(gen_str_slot);
		gen_str_slot = calloc(gen_str_nslots, sizeof(*gen_str_slot));
		if (!gen_str_slot)
			gen_oom();
		for (i = 0; i < gen_nstrs; i++) {
			size_t off = gen_str_off[i], len = gen_str_off[i + 1] - off;

			slot = gen_hash_bytes(gen_str_text.p + off, len) & (gen_str_nslots - 1);
			while (gen_str_slot[slot])
				slot = (slot + 1) & (gen_str_nslots - 1);
			gen_str_slot[slot] = (uint32_t)i + 1;
		}
	}
	slot = gen_hash_bytes(s, n) & (gen_str_nslots - 1);
	for (; gen_str_slot[slot]; slot = (slot + 1) & (gen_str_nslots - 1)) {
		i = gen_str_slot[slot] - 1;
		if (gen_str_off[i + 1] - gen_str_off[i] == n &&
		    (!n || !memcmp(gen_str_text.p + gen_str_off[i], s, n)))
			return (uint32_t)i;
	}
	if (gen_nstrs + 2 > gen_str_alloc) {
		gen_str_alloc = gen_str_alloc ? 2 * gen_str_alloc : 4096;
		gen_str_off = gen_realloc(gen_str_off, gen_str_alloc * sizeof(*gen_str_off));
	}
	gen_str_off[gen_nstrs] = gen_str_text.len;
	gen_buf_add(&gen_str_text, s, n);
	gen_str_off[gen_nstrs + 1] = gen_str_text.len;
	gen_str_slot[slot] = (uint32_t)gen_nstrs + 1;
	return (uint32_t)gen_nstrs++;
}

static uint32_t gen_intern(const char *s)
{
	return gen_intern_bytes(s, strlen(s));
}

/* The mappings: ids are positions + 1. */
enum { MAP_APP = 1, MAP_LIBC, MAP_LIBSTDCXX, MAP_VDSO };

static const struct {
	const char *path;
	uint64_t start, limit, offset;
	int has_build_id;
} gen_maps[] = {
	{ "/usr/local/bin/myapp", 0x55d0c8a48000ULL, 0x55d0ca248000ULL, 0x48000, 1 },
	{ "/usr/lib/x86_64-linux-gnu/libc.so.6", 0x7f3a1c028000ULL, 0x7f3a1c1bd000ULL,
	  0x28000, 1 },
	{ "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", 0x7f3a1c2a9000ULL,
	  0x7f3a1c3c1000ULL, 0x99000, 1 },
	{ "[vdso]", 0x7ffd5a3f1000ULL, 0x7ffd5a3f3000ULL, 0, 0 },
};

/*
 * Functions with fixed names: the threads' start-up, functions only seen
 * inlined, and the library functions the program calls.
 */
enum {
	FX_START, FX_LIBC_START_MAIN, FX_LIBC_CALL_MAIN, FX_MAIN,
	FX_LANG_START_INTERNAL, FX_LANG_START_CLOSURE, FX_SHORT_BACKTRACE,
	FX_CLONE3, FX_START_THREAD, FX_THREAD_START, FX_CALL_ONCE_SHIM,
	FX_SPAWN_CLOSURE,
	FX_CATCH_UNWIND, FX_BOX_CALL_ONCE,
	FX_MALLOC, FX_INT_MALLOC, FX_FREE, FX_INT_FREE, FX_REALLOC,
	FX_INT_REALLOC, FX_MEMMOVE, FX_MEMCMP, FX_MEMSET, FX_STRLEN,
	FX_MUTEX_LOCK, FX_LLL_LOCK_WAIT, FX_WRITE, FX_CLOCK_GETTIME,
	FX_VDSO_CLOCK_GETTIME, FX_NEW, FX_DELETE, FX_RB_INCREMENT,
	FX_NEED_REHASH, FX_MUTATE,
	FX_N
};

/* The callee of a thread's start-up functions: the next one, or its entry. */
#define GEN_STARTUP (-2)

/* How a fixed function's system name is spelled. */
enum { SYS_SAME, SYS_RUST, SYS_GIVEN };

#define GEN_RUSTC "/rustc/5c1e3a9f0b7d24e68c21f4d9a0e3b7c6d8f2a415/library/"

static const struct {
	const char *name;
	int sys_kind;
	const char *sys;	/* SYS_GIVEN: the mangled name */
	const char *file;
	unsigned mapping;
	int callee;		/* what its call site calls; -1: no call site */
	unsigned nself;		/* places in its own code where samples land */
	unsigned selfpct;	/* chance a sample stops in it, in percent */
	int inlined;		/* a function inlined at its locations, or -1 */
} gen_fixed_fns[FX_N] = {
	[FX_START] = { "_start", SYS_SAME, NULL, "", MAP_APP, GEN_STARTUP, 0, 0, -1 },
	[FX_LIBC_START_MAIN] = { "__libc_start_main_impl", SYS_SAME, NULL,
		"../csu/libc-start.c", MAP_LIBC, GEN_STARTUP, 0, 0, -1 },
	[FX_LIBC_CALL_MAIN] = { "__libc_start_call_main", SYS_SAME, NULL,
		"../sysdeps/nptl/libc_start_call_main.h", MAP_LIBC, GEN_STARTUP, 0, 0, -1 },
	[FX_MAIN] = { "main", SYS_SAME, NULL, "", MAP_APP, GEN_STARTUP, 0, 0, -1 },
	[FX_LANG_START_INTERNAL] = { "std::rt::lang_start_internal", SYS_RUST, NULL,
		GEN_RUSTC "std/src/rt.rs", MAP_APP, GEN_STARTUP, 0, 0, FX_CATCH_UNWIND },
	[FX_LANG_START_CLOSURE] = { "std::rt::lang_start::{{closure}}", SYS_RUST, NULL,
		GEN_RUSTC "std/src/rt.rs", MAP_APP, GEN_STARTUP, 0, 0, -1 },
	[FX_SHORT_BACKTRACE] = { "std::sys_common::backtrace::__rust_begin_short_backtrace",
		SYS_RUST, NULL, GEN_RUSTC "std/src/sys_common/backtrace.rs", MAP_APP,
		GEN_STARTUP, 0, 0, -1 },
	[FX_CLONE3] = { "__clone3", SYS_SAME, NULL,
		"../sysdeps/unix/sysv/linux/x86_64/clone3.S", MAP_LIBC, GEN_STARTUP, 0, 0, -1 },
	[FX_START_THREAD] = { "start_thread", SYS_SAME, NULL, "./nptl/pthread_create.c",
		MAP_LIBC, GEN_STARTUP, 0, 0, -1 },
	[FX_THREAD_START] = { "std::sys::unix::thread::Thread::new::thread_start",
		SYS_RUST, NULL, GEN_RUSTC "std/src/sys/unix/thread.rs", MAP_APP, GEN_STARTUP, 0, 0,
		FX_BOX_CALL_ONCE },
	[FX_CALL_ONCE_SHIM] = { "core::ops::function::FnOnce::call_once{{vtable.shim}}",
		SYS_RUST, NULL, GEN_RUSTC "core/src/ops/function.rs", MAP_APP, GEN_STARTUP,
		0, 0, -1 },
	[FX_SPAWN_CLOSURE] = { "std::thread::Builder::spawn_unchecked_::{{closure}}",
		SYS_RUST, NULL, GEN_RUSTC "std/src/thread/mod.rs", MAP_APP, GEN_STARTUP, 0, 0,
		FX_CATCH_UNWIND },
	[FX_CATCH_UNWIND] = { "std::panic::catch_unwind", SYS_RUST, NULL,
		GEN_RUSTC "std/src/panic.rs", MAP_APP, -1, 0, 0, -1 },
	[FX_BOX_CALL_ONCE] = {
		"<alloc::boxed::Box<F,A> as core::ops::function::FnOnce<Args>>::call_once",
		SYS_RUST, NULL, GEN_RUSTC "alloc/src/boxed.rs", MAP_APP, -1, 0, 0, -1 },
	[FX_MALLOC] = { "malloc", SYS_SAME, NULL, "./malloc/malloc.c", MAP_LIBC,
		FX_INT_MALLOC, 1, 30, -1 },
	[FX_INT_MALLOC] = { "_int_malloc", SYS_SAME, NULL, "./malloc/malloc.c", MAP_LIBC,
		-1, 3, 0, -1 },
	[FX_FREE] = { "free", SYS_SAME, NULL, "./malloc/malloc.c", MAP_LIBC,
		FX_INT_FREE, 1, 40, -1 },
	[FX_INT_FREE] = { "_int_free", SYS_SAME, NULL, "./malloc/malloc.c", MAP_LIBC,
		-1, 2, 0, -1 },
	[FX_REALLOC] = { "realloc", SYS_SAME, NULL, "./malloc/malloc.c", MAP_LIBC,
		FX_INT_REALLOC, 1, 20, -1 },
	[FX_INT_REALLOC] = { "_int_realloc", SYS_SAME, NULL, "./malloc/malloc.c",
		MAP_LIBC, FX_INT_MALLOC, 1, 40, -1 },
	[FX_MEMMOVE] = { "__memmove_avx_unaligned_erms", SYS_SAME, NULL,
		"../sysdeps/x86_64/multiarch/memmove-vec-unaligned-erms.S", MAP_LIBC,
		-1, 2, 0, -1 },
	[FX_MEMCMP] = { "__memcmp_avx2_movbe", SYS_SAME, NULL,
		"../sysdeps/x86_64/multiarch/memcmp-avx2-movbe.S", MAP_LIBC, -1, 1, 0, -1 },
	[FX_MEMSET] = { "__memset_avx2_unaligned_erms", SYS_SAME, NULL,
		"../sysdeps/x86_64/multiarch/memset-vec-unaligned-erms.S", MAP_LIBC,
		-1, 1, 0, -1 },
	[FX_STRLEN] = { "__strlen_avx2", SYS_SAME, NULL,
		"../sysdeps/x86_64/multiarch/strlen-avx2.S", MAP_LIBC, -1, 1, 0, -1 },
	[FX_MUTEX_LOCK] = { "___pthread_mutex_lock", SYS_SAME, NULL,
		"./nptl/pthread_mutex_lock.c", MAP_LIBC, FX_LLL_LOCK_WAIT, 1, 50, -1 },
	[FX_LLL_LOCK_WAIT] = { "__lll_lock_wait", SYS_SAME, NULL, "./nptl/lowlevellock.c",
		MAP_LIBC, -1, 1, 0, -1 },
	[FX_WRITE] = { "__GI___libc_write", SYS_SAME, NULL,
		"../sysdeps/unix/sysv/linux/write.c", MAP_LIBC, -1, 1, 0, -1 },
	[FX_CLOCK_GETTIME] = { "__GI___clock_gettime", SYS_SAME, NULL,
		"../sysdeps/unix/sysv/linux/clock_gettime.c", MAP_LIBC,
		FX_VDSO_CLOCK_GETTIME, 1, 10, -1 },
	[FX_VDSO_CLOCK_GETTIME] = { "__vdso_clock_gettime", SYS_SAME, NULL, "", MAP_VDSO,
		-1, 2, 0, -1 },
	[FX_NEW] = { "operator new(unsigned long)", SYS_GIVEN, "_Znwm",
		"../../../../libstdc++-v3/libsupc++/new_op.cc", MAP_LIBSTDCXX, FX_MALLOC,
		1, 10, -1 },
	[FX_DELETE] = { "operator delete(void*, unsigned long)", SYS_GIVEN, "_ZdlPvm",
		"../../../../libstdc++-v3/libsupc++/del_ops.cc", MAP_LIBSTDCXX, FX_FREE,
		1, 10, -1 },
	[FX_RB_INCREMENT] = { "std::_Rb_tree_increment(std::_Rb_tree_node_base*)",
		SYS_GIVEN, "_ZSt18_Rb_tree_incrementPSt18_Rb_tree_node_base",
		"../../../../../libstdc++-v3/src/c++98/tree.cc", MAP_LIBSTDCXX, -1, 1, 0, -1 },
	[FX_NEED_REHASH] = {
		"std::__detail::_Prime_rehash_policy::_M_need_rehash"
		"(unsigned long, unsigned long, unsigned long) const",
		SYS_GIVEN, "_ZNKSt8__detail20_Prime_rehash_policy14_M_need_rehashEmmm",
		"../../../../../libstdc++-v3/src/c++11/hashtable_c++0x.cc", MAP_LIBSTDCXX,
		-1, 1, 0, -1 },
	[FX_MUTATE] = {
		"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
		"::_M_mutate(unsigned long, unsigned long, char const*, unsigned long)",
		SYS_GIVEN, "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_mutateEmmPKcm",
		"/usr/include/c++/12/bits/basic_string.tcc", MAP_LIBSTDCXX, FX_NEW, 1, 30, -1 },
};

/* The library functions the program's own code calls. */
static const int gen_lib_calls[] = {
	FX_MALLOC, FX_MALLOC, FX_FREE, FX_FREE, FX_REALLOC, FX_MEMMOVE, FX_MEMMOVE,
	FX_MEMCMP, FX_MEMSET, FX_STRLEN, FX_MUTEX_LOCK, FX_WRITE, FX_CLOCK_GETTIME,
	FX_NEW, FX_DELETE, FX_RB_INCREMENT, FX_NEED_REHASH, FX_MUTATE,
};

/* Where each kind of thread starts, root first, before its entry function. */
static const int gen_main_prefix[] = {
	FX_START, FX_LIBC_START_MAIN, FX_LIBC_CALL_MAIN, FX_MAIN,
	FX_LANG_START_INTERNAL, FX_LANG_START_CLOSURE, FX_SHORT_BACKTRACE,
};
static const int gen_thread_prefix[] = {
	FX_CLONE3, FX_START_THREAD, FX_THREAD_START, FX_CALL_ONCE_SHIM,
	FX_SPAWN_CLOSURE, FX_SHORT_BACKTRACE,
};

/* The program's own functions; the first ones are the threads' entries. */
#define GEN_NAPP 6000
#define GEN_CRATES "/home/build/.cargo/registry/src/index.crates.io-6f17d22bba15001f/"
static const struct {
	const char *name, *file;
} gen_entries[] = {
	{ "myapp::main", "/home/build/myapp/src/main.rs" },
	{ "tokio::runtime::scheduler::multi_thread::worker::run",
	  GEN_CRATES "tokio-1.35.1/src/runtime/scheduler/multi_thread/worker.rs" },
	{ "rayon_core::registry::WorkerThread::wait_until_cold",
	  GEN_CRATES "rayon-core-1.12.0/src/registry.rs" },
	{ "tokio::runtime::blocking::pool::Inner::run",
	  GEN_CRATES "tokio-1.35.1/src/runtime/blocking/pool.rs" },
};

#define GEN_PID 48213
static const struct {
	const char *name;
	unsigned tid_off;
	unsigned entry;		/* the entry function (gen_entries) */
} gen_pp_threads[] = {
	{ "myapp", 0, 0 },
	{ "tokio-runtime-w", 1, 1 }, { "tokio-runtime-w", 2, 1 },
	{ "tokio-runtime-w", 3, 1 }, { "tokio-runtime-w", 4, 1 },
	{ "tokio-runtime-w", 5, 1 }, { "tokio-runtime-w", 6, 1 },
	{ "tokio-runtime-w", 7, 1 }, { "tokio-runtime-w", 8, 1 },
	{ "rayon-worker-0", 9, 2 }, { "rayon-worker-1", 10, 2 },
	{ "rayon-worker-2", 11, 2 }, { "rayon-worker-3", 12, 2 },
	{ "Blocking Worker", 13, 3 }, { "Blocking Worker", 14, 3 },
};

/* 997 Hz, as a recording at the default frequency */
#define GEN_PERIOD_NS 1003009

struct gen_fn {
	uint32_t name, sys, file;	/* string indexes */
	uint32_t line;			/* its first line, 0: unknown */
	unsigned mapping;
	uint64_t addr;
	uint32_t size;
	uint32_t nsites, nself;		/* call sites, places of its own */
	uint32_t loc;			/* its first location's index */
	int callee;			/* what its call sites call; -1: a hash decides */
	unsigned selfpct;
	int inlined;			/* fixed functions: see gen_fixed_fns */
};

static struct gen_fn gen_fns[FX_N + GEN_NAPP];
static uint32_t gen_nlocs;

/* A legacy Rust symbol of name: _ZN, the path's parts, a hash, E. */
static void gen_rust_mangle(struct gen_buf *out, const char *name, uint64_t hash)
{
	char part[4096], num[32];
	size_t n = 0;
	int depth = 0;
	const char *s;

	out->len = 0;
	gen_buf_str(out, "_ZN");
	for (s = name;; s++) {
		const char *esc = NULL;

		if (!*s || (!depth && s[0] == ':' && s[1] == ':')) {
			/* a part starting with an escape gets a '_' before it */
			int esc_first = n && part[0] == '$';

			snprintf(num, sizeof(num), "%zu%s", n + esc_first, esc_first ? "_" : "");
			gen_buf_str(out, num);
			gen_buf_add(out, part, n);
			n = 0;
			if (!*s)
				break;
			s++;
			continue;
		}
		switch (*s) {
		case '<': depth++; esc = "$LT$"; break;
		case '>': depth--; esc = "$GT$"; break;
		case ':': esc = "."; break;
		case ' ': esc = "$u20$"; break;
		case ',': esc = "$C$"; break;
		case '&': esc = "$RF$"; break;
		case '*': esc = "$BP$"; break;
		case '(': esc = "$LP$"; break;
		case ')': esc = "$RP$"; break;
		case '{': esc = "$u7b$"; break;
		case '}': esc = "$u7d$"; break;
		default: break;
		}
		if (n + 8 >= sizeof(part))
			continue;	/* names are far shorter */
		if (esc) {
			memcpy(part + n, esc, strlen(esc));
			n += strlen(esc);
		} else {
			part[n++] = *s;
		}
	}
	snprintf(num, sizeof(num), "17h%016" PRIx64 "E", hash);
	gen_buf_str(out, num);
}

static void gen_rust_file(uint64_t id, char *buf, size_t size)
{
	uint64_t h = gen_rust_hash(id);
	const char *cr = GEN_PICK(gen_crates, h >> 8);
	const char *mo = GEN_PICK(gen_modules, h >> 16);
	uint64_t v = gen_hash_bytes(cr, strlen(cr));

	if (!strcmp(cr, "core") || !strcmp(cr, "alloc") || !strcmp(cr, "std"))
		snprintf(buf, size, GEN_RUSTC "%s/src/%s.rs", cr, mo);
	else if (!strcmp(cr, "myapp"))
		snprintf(buf, size, "/home/build/myapp/src/%s.rs", mo);
	else if (!strcmp(cr, "myapp_core"))
		snprintf(buf, size, "/home/build/myapp/core/src/%s/mod.rs", mo);
	else
		snprintf(buf, size, GEN_CRATES "%s-%u.%u.%u/src/%s.rs",
			 cr, (unsigned)(v % 2), (unsigned)(v >> 8) % 40,
			 (unsigned)(v >> 16) % 120, mo);
}

static const char *const gen_cxx_ns[] = {
	"engine", "storage", "db", "net", "rpc", "util", "sql", "io",
};

static const char *const gen_cxx_classes[] = {
	"Table", "BlockCache", "Compaction", "WriteBatch", "Arena", "Parser",
	"Connection", "Scheduler", "Iterator", "BloomFilter", "Codec", "Session",
	"MemTable", "LogWriter",
};

static const char *const gen_cxx_methods[] = {
	"Get", "Put", "Seek", "Next", "Flush", "Compact", "Decode", "Encode",
	"Lookup", "Insert", "Run", "Process", "Read", "Write", "Hash", "Append",
	"Merge", "Release",
};

/* Parameter lists and their Itanium ABI codes. */
static const struct {
	const char *text, *code;
} gen_cxx_args[] = {
	{ "", "v" }, { "int", "i" }, { "unsigned long", "m" }, { "char const*", "PKc" },
	{ "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&",
	  "RKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE" },
	{ "double", "d" }, { "bool", "b" }, { "void*", "Pv" },
	{ "unsigned long, unsigned long", "mm" },
	{ "std::vector<int, std::allocator<int> > const&", "RKSt6vectorIiSaIiEE" },
}, gen_cxx_targs[] = {
	{ "int", "i" }, { "unsigned long", "m" }, { "char", "c" }, { "double", "d" },
};

/*
 * The C++ name of function id, its mangled name and its file. Shapes:
 * methods (const or not), of class templates, free functions in a
 * namespace, lambdas, destructors.
 */
static void gen_cxx_fn(uint64_t id, char *name, char *sys, char *file, size_t size)
{
	uint64_t h = gen_mix(id ^ 0xc0ffee15c0ffee15ULL);
	const char *ns = GEN_PICK(gen_cxx_ns, h >> 8);
	const char *cl = GEN_PICK(gen_cxx_classes, h >> 16);
	const char *me = GEN_PICK(gen_cxx_methods, h >> 24);
	const char *at = GEN_PICK(gen_cxx_args, h >> 32).text;
	const char *ac = GEN_PICK(gen_cxx_args, h >> 32).code;
	const char *tt = GEN_PICK(gen_cxx_targs, h >> 40).text;
	const char *tc = GEN_PICK(gen_cxx_targs, h >> 40).code;
	size_t lns = strlen(ns), lcl = strlen(cl), lme = strlen(me);

	snprintf(file, size, "/home/build/myapp/engine/src/%s/%s.cc", ns, cl);
	switch (h % 8) {
	case 3:
		snprintf(name, size, "%s::%s::%s(%s) const", ns, cl, me, at);
		snprintf(sys, size, "_ZNK%zu%s%zu%s%zu%sE%s", lns, ns, lcl, cl, lme, me, ac);
		break;
	case 4:
		snprintf(name, size, "%s::%s<%s>::%s(%s)", ns, cl, tt, me, at);
		snprintf(sys, size, "_ZN%zu%s%zu%sI%sE%zu%sE%s", lns, ns, lcl, cl, tc,
			 lme, me, ac);
		snprintf(file, size, "/home/build/myapp/engine/include/%s/%s.h", ns, cl);
		break;
	case 5:
		snprintf(name, size, "%s::detail::%s(%s)", ns, me, at);
		snprintf(sys, size, "_ZN%zu%s6detail%zu%sE%s", lns, ns, lme, me, ac);
		break;
	case 6:
		snprintf(name, size, "%s::%s::%s(%s)::{lambda(int)#1}::operator()(int) const",
			 ns, cl, me, at);
		snprintf(sys, size, "_ZZN%zu%s%zu%s%zu%sE%sENKUliE_clEi", lns, ns, lcl, cl,
			 lme, me, ac);
		break;
	case 7:
		snprintf(name, size, "%s::%s::~%s()", ns, cl, cl);
		snprintf(sys, size, "_ZN%zu%s%zu%sD2Ev", lns, ns, lcl, cl);
		break;
	default:
		snprintf(name, size, "%s::%s::%s(%s)", ns, cl, me, at);
		snprintf(sys, size, "_ZN%zu%s%zu%s%zu%sE%s", lns, ns, lcl, cl, lme, me, ac);
		break;
	}
}

/* Functions, laid out one after another in their mappings; locations. */
static void gen_pp_functions(void)
{
	uint64_t next[GEN_NR(gen_maps) + 1];
	struct gen_buf sys = { 0 };
	char name[1024], sysname[1024], file[1024];
	size_t i;

	for (i = 0; i < GEN_NR(gen_maps); i++)
		next[i + 1] = gen_maps[i].start + 0x1c0;
	for (i = 0; i < GEN_NR(gen_fixed_fns) + GEN_NAPP; i++) {
		struct gen_fn *f = &gen_fns[i];
		uint64_t h = gen_mix(i ^ 0xf0f0f0f0ULL);

		if (i < FX_N) {
			f->name = gen_intern(gen_fixed_fns[i].name);
			if (gen_fixed_fns[i].sys_kind == SYS_RUST) {
				gen_rust_mangle(&sys, gen_fixed_fns[i].name, gen_mix(h));
				f->sys = gen_intern_bytes((const char *)sys.p, sys.len);
			} else if (gen_fixed_fns[i].sys_kind == SYS_GIVEN) {
				f->sys = gen_intern(gen_fixed_fns[i].sys);
			} else {
				f->sys = f->name;
			}
			f->file = gen_intern(gen_fixed_fns[i].file);
			f->mapping = gen_fixed_fns[i].mapping;
			f->callee = gen_fixed_fns[i].callee;
			f->nsites = gen_fixed_fns[i].callee != -1;
			f->nself = gen_fixed_fns[i].nself;
			f->selfpct = gen_fixed_fns[i].selfpct;
			f->inlined = gen_fixed_fns[i].inlined;
			f->line = *gen_fixed_fns[i].file ? 30 + h % 600 : 0;
		} else {
			size_t k = i - FX_N;

			if (k < GEN_NR(gen_entries) || h % 4) {
				/* Rust */
				if (k < GEN_NR(gen_entries)) {
					snprintf(name, sizeof(name), "%s", gen_entries[k].name);
					snprintf(file, sizeof(file), "%s", gen_entries[k].file);
				} else {
					gen_rust_name(k, name, sizeof(name));
					gen_rust_file(k, file, sizeof(file));
				}
				gen_rust_mangle(&sys, name, gen_mix(h));
				f->sys = gen_intern_bytes((const char *)sys.p, sys.len);
			} else {
				gen_cxx_fn(k, name, sysname, file, sizeof(name));
				f->sys = gen_intern(sysname);
			}
			f->name = gen_intern(name);
			f->file = gen_intern(file);
			f->mapping = MAP_APP;
			f->callee = -1;
			/*
			 * An entry calls on; a few functions call nothing,
			 * and samples seldom stop in the others, so that
			 * stacks are as deep as a Rust program's are.
			 */
			f->nsites = k < GEN_NR(gen_entries) ? 4 :
				    h % 100 < 6 ? 0 : 1 + (unsigned)(h >> 8) % 6;
			f->nself = 1 + (unsigned)(h >> 16) % 3;
			f->selfpct = k < GEN_NR(gen_entries) ? 1 : (unsigned)(h >> 24) % 6;
			f->inlined = -1;
			f->line = 20 + (uint32_t)(h >> 32) % 2500;
		}
		f->size = 48 + 32 * (uint32_t)((h >> 40) % 60);
		f->addr = next[f->mapping];
		next[f->mapping] += f->size;
		f->loc = gen_nlocs;
		gen_nlocs += f->nsites + f->nself;
	}
	free(sys.p);
}

/* What call site s of function f calls. */
static int gen_pp_callee(int f, unsigned s)
{
	uint64_t h;

	if (gen_fns[f].callee >= 0)
		return gen_fns[f].callee;
	h = gen_mix((uint64_t)f * 16 + s + 0xca11);
	if (h % 100 < 6)
		return gen_lib_calls[(h >> 8) % GEN_NR(gen_lib_calls)];
	/* never an entry: those only start threads */
	return FX_N + (int)GEN_NR(gen_entries) +
	       (int)((h >> 16) % (GEN_NAPP - GEN_NR(gen_entries)));
}

/*
 * A Location message: location index loc is place k of function f. It has
 * f's line, and in a quarter of them one or two functions inlined there
 * (their lines first, innermost first, as profile.proto orders them).
 */
static void gen_pp_location(struct gen_buf *out, struct gen_buf *sub, int f, uint32_t k,
			    uint32_t loc)
{
	const struct gen_fn *fn = &gen_fns[f];
	uint64_t h = gen_mix(loc ^ 0x11e11e11eULL);
	uint32_t nlocs = fn->nsites + fn->nself, i, ninl = 0;
	int inl[2];

	if (fn->inlined >= 0) {
		inl[ninl++] = fn->inlined;
	} else if (f >= FX_N && h % 100 < 27) {
		ninl = h % 100 < 20 ? 1 : 2;
		for (i = 0; i < ninl; i++)
			inl[i] = FX_N + (int)GEN_NR(gen_entries) +
				 (int)((h >> (8 + 16 * i)) % (GEN_NAPP - GEN_NR(gen_entries)));
	}
	out->len = 0;
	pb_num(out, L_ID, loc + 1);
	pb_num(out, L_MAPPING_ID, fn->mapping);
	pb_num(out, L_ADDRESS, fn->addr + 4 + (uint64_t)(k + 1) * (fn->size - 8) / (nlocs + 1));
	for (i = ninl; i-- > 0;) {
		const struct gen_fn *in = &gen_fns[inl[i]];

		sub->len = 0;
		pb_num(sub, LN_FUNCTION_ID, (uint64_t)inl[i] + 1);
		pb_num(sub, LN_LINE, in->line ? in->line + 1 + (h >> 48) % 20 + i : 0);
		pb_bytes(out, L_LINE, sub->p, sub->len);
	}
	sub->len = 0;
	pb_num(sub, LN_FUNCTION_ID, (uint64_t)f + 1);
	pb_num(sub, LN_LINE, fn->line ? fn->line + 1 + 3 * k + (h >> 40) % 3 : 0);
	pb_bytes(out, L_LINE, sub->p, sub->len);
}

/*
 * One sample's stack, root first, into locs (room for 40): its thread's
 * start-up, then a walk from the thread's entry to a depth of 5 to 40,
 * fewer where a function stops it (a leaf, or its own code sampled).
 */
static unsigned gen_pp_walk(unsigned th, uint32_t *locs)
{
	const int *prefix = gen_pp_threads[th].entry ? gen_thread_prefix : gen_main_prefix;
	unsigned nprefix = gen_pp_threads[th].entry ? GEN_NR(gen_thread_prefix) :
			   GEN_NR(gen_main_prefix);
	unsigned n, want = 5 + gen_below(18) + gen_below(19);
	int f = FX_N + (int)gen_pp_threads[th].entry;

	for (n = 0; n < nprefix; n++)
		locs[n] = gen_fns[prefix[n]].loc;
	for (;;) {
		const struct gen_fn *fn = &gen_fns[f];
		unsigned s;

		if (n + 1 >= want || !fn->nsites ||
		    (n >= nprefix + 2 && gen_chance(fn->selfpct))) {
			locs[n++] = fn->loc + fn->nsites + gen_skewed(fn->nself);
			return n;
		}
		s = gen_skewed_by(fn->nsites, 55);
		locs[n++] = fn->loc + s;
		f = gen_pp_callee(f, s);
	}
}

/*
 * The samples, aggregated by (stack, thread) as profilers write them: a
 * stack drawn again adds to its sample's count. Each keeps its stack's
 * location ids (in gen_stk) and the size of its encoding, so the size of
 * the message is known as it grows.
 */
struct gen_sample {
	uint64_t hash, count;
	uint32_t at;		/* its stack: gen_stk[at .. at + n - 1], root first */
	uint16_t ids_size;	/* bytes of its packed location ids */
	uint8_t n, thread;
};

static struct gen_sample *gen_smp;
static size_t gen_nsmp, gen_smp_alloc;
static uint32_t *gen_stk;
static size_t gen_stk_len, gen_stk_alloc;
static uint32_t *gen_smp_slot;	/* open addressing: sample index + 1, 0 empty */
static size_t gen_smp_nslots;
static size_t gen_labels_size[GEN_NR(gen_pp_threads)];

static size_t gen_varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* The bytes of a sample's Sample message, its key and length included. */
static size_t gen_sample_size(const struct gen_sample *s)
{
	size_t vals = gen_varint_size(s->count) + gen_varint_size(s->count * GEN_PERIOD_NS);
	size_t len = 1 + gen_varint_size(s->ids_size) + s->ids_size +
		     1 + gen_varint_size(vals) + vals + gen_labels_size[s->thread];

	return 1 + gen_varint_size(len) + len;
}

/* Count one sample of (locs, thread); returns how many bytes it added. */
static size_t gen_sample_add(const uint32_t *locs, unsigned n, unsigned thread)
{
	unsigned char key[1 + 40 * 4];
	struct gen_sample *s;
	size_t i, slot, before;
	uint64_t h;

	key[0] = (unsigned char)thread;
	memcpy(key + 1, locs, 4 * (size_t)n);
	h = gen_hash_bytes(key, 1 + 4 * (size_t)n);
	if (gen_nsmp * 2 >= gen_smp_nslots) {
		gen_smp_nslots = gen_smp_nslots ? 2 * gen_smp_nslots : 65536;
		free(gen_smp_slot);
		gen_smp_slot = calloc(gen_smp_nslots, sizeof(*gen_smp_slot));
		if (!gen_smp_slot)
			gen_oom();
		for (i = 0; i < gen_nsmp; i++) {
			for (slot = gen_smp[i].hash & (gen_smp_nslots - 1); gen_smp_slot[slot];
			     slot = (slot + 1) & (gen_smp_nslots - 1))
				;
			gen_smp_slot[slot] = (uint32_t)i + 1;
		}
	}
	for (slot = h & (gen_smp_nslots - 1); gen_smp_slot[slot];
	     slot = (slot + 1) & (gen_smp_nslots - 1)) {
		s = &gen_smp[gen_smp_slot[slot] - 1];
		if (s->hash == h && s->thread == thread && s->n == n &&
		    !memcmp(gen_stk + s->at, locs, 4 * (size_t)n)) {
			before = gen_sample_size(s);
			s->count++;
			return gen_sample_size(s) - before;
		}
	}
	if (gen_nsmp == gen_smp_alloc) {
		gen_smp_alloc = gen_smp_alloc ? 2 * gen_smp_alloc : 65536;
		gen_smp = gen_realloc(gen_smp, gen_smp_alloc * sizeof(*gen_smp));
	}
	if (gen_stk_alloc - gen_stk_len < n) {
		gen_stk_alloc = gen_stk_alloc ? 2 * gen_stk_alloc : 1 << 20;
		gen_stk = gen_realloc(gen_stk, gen_stk_alloc * sizeof(*gen_stk));
	}
	s = &gen_smp[gen_nsmp];
	s->hash = h;
	s->count = 1;
	s->at = (uint32_t)gen_stk_len;
	s->n = (uint8_t)n;
	s->thread = (uint8_t)thread;
	s->ids_size = 0;
	for (i = 0; i < n; i++)
		s->ids_size += (uint16_t)gen_varint_size((uint64_t)locs[i] + 1);
	memcpy(gen_stk + gen_stk_len, locs, 4 * (size_t)n);
	gen_stk_len += n;
	gen_smp_slot[slot] = (uint32_t)++gen_nsmp;
	return gen_sample_size(s);
}

/* A ValueType message as field field of out. */
static void gen_pp_value_type(struct gen_buf *out, struct gen_buf *sub, unsigned field,
			      const char *type, const char *unit)
{
	sub->len = 0;
	pb_num(sub, VT_TYPE, gen_intern(type));
	pb_num(sub, VT_UNIT, gen_intern(unit));
	pb_bytes(out, field, sub->p, sub->len);
}

/*
 * The Profile message in the order Go writes it: sample types, samples,
 * mappings, locations, functions, the string table, then the rest. All
 * but the samples is built first (it has every location, used or not);
 * then samples are drawn until the whole reaches the size asked for, and
 * written.
 */
static void gen_pprof(uint64_t min_bytes)
{
	struct gen_buf head = { 0 }, tail = { 0 }, msg = { 0 }, sub = { 0 };
	struct gen_buf labels[GEN_NR(gen_pp_threads)];
	uint32_t locs[40];
	char build_id[41];
	uint32_t comment;
	uint64_t size, draws, duration;
	size_t i;
	unsigned k;

	memset(labels, 0, sizeof(labels));
	gen_intern("");
	gen_pp_value_type(&head, &sub, P_SAMPLE_TYPE, "samples", "count");
	gen_pp_value_type(&head, &sub, P_SAMPLE_TYPE, "cpu", "nanoseconds");
	for (i = 0; i < GEN_NR(gen_pp_threads); i++) {
		sub.len = 0;
		pb_num(&sub, LB_KEY, gen_intern("pid"));
		pb_num(&sub, LB_NUM, GEN_PID);
		pb_bytes(&labels[i], S_LABEL, sub.p, sub.len);
		sub.len = 0;
		pb_num(&sub, LB_KEY, gen_intern("tid"));
		pb_num(&sub, LB_NUM, GEN_PID + gen_pp_threads[i].tid_off);
		pb_bytes(&labels[i], S_LABEL, sub.p, sub.len);
		sub.len = 0;
		pb_num(&sub, LB_KEY, gen_intern("thread"));
		pb_num(&sub, LB_STR, gen_intern(gen_pp_threads[i].name));
		pb_bytes(&labels[i], S_LABEL, sub.p, sub.len);
	}
	gen_pp_functions();

	for (i = 0; i < GEN_NR(gen_maps); i++) {
		uint64_t h = gen_mix(i + 0xb1d);

		snprintf(build_id, sizeof(build_id), "%016" PRIx64 "%016" PRIx64 "%08" PRIx32,
			 h, gen_mix(h), (uint32_t)gen_mix(h + 1));
		msg.len = 0;
		pb_num(&msg, M_ID, i + 1);
		pb_num(&msg, M_START, gen_maps[i].start);
		pb_num(&msg, M_LIMIT, gen_maps[i].limit);
		pb_num(&msg, M_OFFSET, gen_maps[i].offset);
		pb_num(&msg, M_FILENAME, gen_intern(gen_maps[i].path));
		pb_num(&msg, M_BUILD_ID, gen_maps[i].has_build_id ? gen_intern(build_id) : 0);
		pb_num(&msg, M_HAS_FUNCTIONS, 1);
		pb_num(&msg, M_HAS_FILENAMES, 1);
		pb_num(&msg, M_HAS_LINE_NUMBERS, 1);
		pb_num(&msg, M_HAS_INLINE_FRAMES, 1);
		pb_bytes(&tail, P_MAPPING, msg.p, msg.len);
	}
	for (i = 0; i < FX_N + GEN_NAPP; i++) {
		for (k = 0; k < gen_fns[i].nsites + gen_fns[i].nself; k++) {
			gen_pp_location(&msg, &sub, (int)i, k, gen_fns[i].loc + k);
			pb_bytes(&tail, P_LOCATION, msg.p, msg.len);
		}
	}
	for (i = 0; i < FX_N + GEN_NAPP; i++) {
		msg.len = 0;
		pb_num(&msg, FN_ID, i + 1);
		pb_num(&msg, FN_NAME, gen_fns[i].name);
		pb_num(&msg, FN_SYSTEM_NAME, gen_fns[i].sys);
		pb_num(&msg, FN_FILENAME, gen_fns[i].file);
		pb_num(&msg, FN_START_LINE, gen_fns[i].line);
		pb_bytes(&tail, P_FUNCTION, msg.p, msg.len);
	}
	/* the last strings, before the table is written */
	sub.len = 0;
	pb_num(&sub, VT_TYPE, gen_intern("cpu"));
	pb_num(&sub, VT_UNIT, gen_intern("nanoseconds"));
	comment = gen_intern("/usr/local/bin/myapp --config /etc/myapp/config.toml --workers 8");
	for (i = 0; i < gen_nstrs; i++)
		pb_bytes(&tail, P_STRING_TABLE, gen_str_text.p + gen_str_off[i],
			 gen_str_off[i + 1] - gen_str_off[i]);
	pb_num(&tail, P_TIME_NANOS, 1733230800123456789ULL);
	pb_bytes(&tail, P_PERIOD_TYPE, sub.p, sub.len);
	pb_num(&tail, P_PERIOD, GEN_PERIOD_NS);
	pb_num(&tail, P_COMMENT, comment);

	/*
	 * Draw samples until the message is large enough (a thousand at
	 * least: the rest is more than a megabyte), then write it. The
	 * duration, last, is that of the samples drawn, as if 12 threads
	 * were on the CPU all along.
	 */
	for (i = 0; i < GEN_NR(gen_pp_threads); i++)
		gen_labels_size[i] = labels[i].len;
	size = head.len + tail.len;
	for (draws = 0;; draws++) {
		unsigned th = gen_below(100) < 12 ? 0 : 1 + gen_below(GEN_NR(gen_pp_threads) - 1);
		unsigned n;

		duration = draws * GEN_PERIOD_NS / 12;
		if (draws >= 1000 && size + 1 + gen_varint_size(duration) >= min_bytes)
			break;
		n = gen_pp_walk(th, locs);
		size += gen_sample_add(locs, n, th);
	}
	pb_num(&tail, P_DURATION_NANOS, duration);
	gen_put((const char *)head.p, head.len);
	for (i = 0; i < gen_nsmp; i++) {
		const struct gen_sample *s = &gen_smp[i];

		msg.len = 0;
		sub.len = 0;
		for (k = s->n; k-- > 0;)	/* the leaf first */
			pb_varint(&sub, (uint64_t)gen_stk[s->at + k] + 1);
		pb_bytes(&msg, S_LOCATION_ID, sub.p, sub.len);
		sub.len = 0;
		pb_varint(&sub, s->count);
		pb_varint(&sub, s->count * GEN_PERIOD_NS);
		pb_bytes(&msg, S_VALUE, sub.p, sub.len);
		gen_buf_add(&msg, labels[s->thread].p, labels[s->thread].len);

		sub.len = 0;
		pb_key(&sub, P_SAMPLE, PB_LEN);
		pb_varint(&sub, msg.len);
		gen_put((const char *)sub.p, sub.len);
		gen_put((const char *)msg.p, msg.len);
	}
	gen_put((const char *)tail.p, tail.len);

	for (i = 0; i < GEN_NR(gen_pp_threads); i++)
		free(labels[i].p);
	free(head.p);
	free(tail.p);
	free(msg.p);
	free(sub.p);
	free(gen_smp);
	free(gen_stk);
	free(gen_smp_slot);
	free(gen_str_slot);
	free(gen_str_off);
	free(gen_str_text.p);
}

/* ------------------------------------------------------------------ */

static int gen_usage(void)
{
	fprintf(stderr, "usage: gen-bench-input perf-script SIZE_MB\n"
			"       gen-bench-input folded NSTACKS\n"
			"       gen-bench-input pprof SIZE_MB   (uncompressed profile.proto)\n");
	return 64;
}

static int gen_parse(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && end != s && !*end && *v > 0 && s[0] != '-';
}

int main(int argc, char **argv)
{
	uint64_t v;

	if (argc != 3 || !gen_parse(argv[2], &v))
		return gen_usage();
	if (!strcmp(argv[1], "perf-script")) {
		if (v > 1000000)
			return gen_usage();
		gen_perf_script(v * 1000000);
	} else if (!strcmp(argv[1], "folded")) {
		if (v > (1ULL << 32))
			return gen_usage();
		gen_folded(v);
	} else if (!strcmp(argv[1], "pprof")) {
		/* our reader takes at most 1 GiB uncompressed */
		if (v > 1000)
			return gen_usage();
		gen_pprof(v * 1000000);
	} else {
		return gen_usage();
	}
	gen_flush();
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		fprintf(stderr, "gen-bench-input: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
