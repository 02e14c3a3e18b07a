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
 * The same arguments always give byte-identical output: every choice comes
 * from a fixed-seed PRNG, and the call trees are functions of node ids.
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

/*
 * Append the Rust-like name of function id to buf (size >= 512). Shapes:
 * paths, generics, trait impls, closures, drop_in_place.
 */
static size_t gen_rust_name(uint64_t id, char *buf, size_t size)
{
	uint64_t h = gen_mix(id ^ 0xa5a5a5a5a5a5a5a5ULL);
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

/* Pick a child index, skewed toward the first ones (hot paths). */
static unsigned gen_skewed(unsigned fanout)
{
	unsigned i = 0;

	while (i + 1 < fanout && gen_chance(45))
		i++;
	return i;
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

static int gen_usage(void)
{
	fprintf(stderr, "usage: gen-bench-input perf-script SIZE_MB\n"
			"       gen-bench-input folded NSTACKS\n");
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
