#ifndef FG_SYMBOLIZE_H
#define FG_SYMBOLIZE_H

/*
 * The symbolizer: turns an address inside an ELF file into the names of
 * the function there and of the functions inlined at that address, using
 * elfutils (libdw for DWARF, libelf for the symbol tables). Names are
 * demangled (Rust legacy and v0, C++).
 *
 * Addresses are file virtual addresses: the address as it appears in the
 * ELF file's own program headers and symbol table (the runtime address
 * minus the load bias). Callers pass return addresses minus one for
 * non-leaf frames, so that the call instruction, not the next one, is
 * looked up.
 *
 * Each file is opened once (ELF + DWARF, separate debug files found through
 * build-id and .gnu_debuglink), its functions are indexed per compilation
 * unit on first use, and every (file, address) result is cached: a second
 * lookup of the same address costs one hash probe. Strings returned stay
 * valid until sym_cache_free(). Not thread-safe: one cache per thread.
 */

#include "../lib/common.h"

struct sym_cache;

/* inline_frames: 0 to report only the outermost function (--no-inline). */
struct sym_cache *sym_cache_new(int inline_frames);
void sym_cache_free(struct sym_cache *c);

/* An opened ELF file, owned by the cache. */
struct sym_file;

/*
 * Open (or find already open) the file at path. build_id (may be NULL)
 * is the build-id the kernel reported for the mapping; when the file on
 * disk has another one, the file is rejected: returns NULL and sets
 * *mismatch. Returns NULL for a file that cannot be read as ELF (the
 * caller names its frames "[basename]").
 */
struct sym_file *sym_file_get(struct sym_cache *c, const char *path,
			      const unsigned char *build_id, size_t build_id_len,
			      int *mismatch);

/*
 * Program headers of the file, to compute load biases: the PT_LOAD
 * segments in file order. Valid until sym_cache_free().
 */
struct sym_segment {
	uint64_t vaddr, offset, filesz, memsz, align;
	int flags;		/* PF_X | PF_W | PF_R */
};
size_t sym_file_segments(const struct sym_file *f,
			 const struct sym_segment **segs);
/* ET_EXEC (not relocatable) files are loaded at their vaddrs. */
int sym_file_is_exec(const struct sym_file *f);
/* Does the file have DWARF debug info (.debug_info), and a .symtab? */
/*
 * Does the file have DWARF debug info (.debug_info), and a .symtab? Both
 * count what a separate debug file found through build-id or
 * .gnu_debuglink provides.
 */
int sym_file_has_debuginfo(const struct sym_file *f);
int sym_file_has_symtab(const struct sym_file *f);

/*
 * The GNU build-id of the file on disk (NT_GNU_BUILD_ID): sets *id and
 * returns its length, 0 when the file has none. Valid until
 * sym_cache_free().
 */
size_t sym_file_build_id(const struct sym_file *f, const unsigned char **id);

/*
 * The frames at file address addr, innermost first: for an address
 * inside an inlined call chain main -> a (inlined) -> b (inlined), names
 * are { "b", "a", "main" }. With inline frames off, only { "main" }.
 * Returns the number of names (0 when nothing is known about addr) and
 * points *names at them.
 *
 * Names: each frame is named by its DWARF DW_AT_linkage_name (followed
 * through abstract_origin/specification), demangled; else by DW_AT_name
 * (for Rust prefixed with its namespaces). The outermost frame falls back
 * to the symbol table (.symtab, else .dynsym; the symbol containing addr,
 * or the nearest preceding sizeless one) without "@VERSION", demangled,
 * when there is no DWARF for addr. So a GCC clone "f.constprop.0" is "f",
 * as addr2line prints it. Equal names are one interned string, and the
 * arrays are shared between addresses: compare names by pointer if that
 * helps. Valid until sym_cache_free().
 */
size_t sym_lookup(struct sym_cache *c, struct sym_file *f, uint64_t addr,
		  const char *const **names);

/*
 * The frames at addr with what a pprof Function holds besides the name,
 * innermost first, parallel to sym_lookup() for the same addr: the same
 * count and the same (pointer-equal) names, whichever of the two is
 * called first. Returns the number of frames (0 when nothing is known
 * about addr) and points *frames at them. Valid until sym_cache_free().
 *
 * The details are found only for the addresses asked for here, on the
 * first call for addr (one walk of its DWARF, or a second one when
 * sym_lookup() answered first), and cached per address like the names:
 * sym_lookup() costs what it did. Each call counts as a lookup in struct
 * sym_stats, answered by the cache when addr's frames were asked for
 * before.
 */
struct sym_frame {
	const char *name;	/* as sym_lookup() gives it (demangled) */
	/*
	 * The linkage (DW_AT_linkage_name) or symbol name before demangling,
	 * as the linker knows the function ("@VERSION" dropped, "@plt" kept);
	 * NULL when it is the name itself or unknown (a C function, a Rust
	 * DIE named by DW_AT_name only).
	 */
	const char *mangled;
	/*
	 * The source file of the function's declaration (DW_AT_decl_file,
	 * through abstract_origin/specification), as the CU's line table
	 * names it, joined with the CU's DW_AT_comp_dir when relative; NULL
	 * when unknown, as for every symbol table name.
	 */
	const char *file;
	uint32_t line;		/* DW_AT_decl_line there; 0: unknown */
};
size_t sym_lookup_frames(struct sym_cache *c, struct sym_file *f, uint64_t addr,
			 const struct sym_frame **frames);

/*
 * Counters for the summary and the benchmarks: lookups and how many were
 * answered by the per-address cache, files opened (including the ones
 * that failed), compilation units indexed and the function ranges found
 * in them, bytes held by the name arena.
 */
struct sym_stats {
	uint64_t lookups, cache_hits, files;
	uint64_t cus_indexed, funcs_indexed, arena_bytes;
	uint64_t too_complex;	/* C++ names left mangled: too costly to demangle */
};
void sym_cache_stats(const struct sym_cache *c, struct sym_stats *st);

#endif
