/*
 * The symbolizer (see symbolize.h for the contract).
 *
 * Each file is reported to its own offline Dwfl, which opens it once and
 * finds its separate debug file (build-id, .gnu_debuglink). Everything
 * below works in file addresses; the Dwfl bias (where libdwfl placed the
 * module) and the DWARF bias (a separate debug file may differ) are
 * applied at the edges.
 *
 * Lookup of one address:
 *   1. the per-address cache: the file's map addr -> interned name array;
 *   2. the compilation unit containing addr (.debug_aranges through
 *      dwarf_addrdie(), else our own table of CU ranges, since clang and
 *      older LLVM write no aranges);
 *   3. the CU's function index, built on first use by one walk over its
 *      DIEs (descending into namespaces, types, subprograms and lexical
 *      blocks, where Rust and C++ nest their functions) and sorted by
 *      address, then binary search;
 *   4. a walk inside that subprogram along the DIEs containing addr,
 *      collecting the DW_TAG_inlined_subroutine chain;
 *   5. the symbol table (.symtab, else .dynsym), sorted once per file, for
 *      addresses without DWARF.
 * dwarf_getscopes() is not used: it prunes the DW_TAG_namespace DIEs in
 * which LLVM nests Rust functions, and walks the whole CU per address.
 *
 * Separate debug files whose DWARF sections are compressed (Debian's
 * -dbgsym and libc6-dbg packages) are not handed to libdw as they are:
 * libdw inflates every debug section with zlib when it opens a file,
 * line tables and location lists included, which costs about 0.1 s of
 * CPU for glibc's. sym_open_debug_image() inflates only the sections the
 * symbolizer reads, with libdeflate (several times faster; zstd sections
 * with libzstd, which this libdw cannot read at all), into one in-memory
 * ELF image that libdw opens without further work.
 *
 * NEEDSWORK: indexing costs about 8 ms per MB of .debug_info (0.25 s for
 * a Rust crate with 32 MB, on an idle machine), because LLVM writes no
 * DW_AT_sibling: libdw skips a subtree by parsing it, once for every
 * namespace level we walk through. A single preorder pass over the raw
 * DIEs (attribute lengths from the forms) would parse each DIE once.
 *
 * Names are interned in a struct strmap (its arena holds them), each
 * entry remembering its display name, so a raw name is demangled once;
 * the name arrays are interned in another, keyed by their bytes, so that
 * the many addresses of one function share one array.
 *
 * sym_lookup_frames() adds to each name its linkage name and where the
 * function is declared (for pprof's Function). Nothing of that is looked
 * for by sym_lookup(): an address asked for with details is walked again
 * (steps 2 to 5, which find the same DIEs), its frames interned like the
 * name arrays and cached per address beside the names. File names are
 * the only reason to read the line tables, so a debug image inflates
 * them on the first one asked for.
 */
#include "../lib/common.h"
#include "../lib/buf.h"
#include "../lib/files.h"
#include "../lib/intmap.h"
#include "../lib/strmap.h"
#include "demangle.h"
#include "symbolize.h"
#include "arch.h"

#include <dwarf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <libdeflate.h>
#include <unistd.h>
#include <zstd.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>

/* Longest inline chain reported; deeper DIE nesting is corrupt input. */
#define SYM_MAX_INLINE 64
/* Nesting depth the CU walk follows (namespaces, types, functions). */
#define SYM_MAX_DEPTH 64
/* Longest build-id kept (GNU build-ids are 20 bytes; some tools use 16). */
#define SYM_MAX_BUILD_ID 64
/* How far back the binary searches look for an enclosing range. */
#define SYM_BACKSCAN 16

/* ---- per-file data -------------------------------------------------- */

/* One symbol: [addr, end) in file addresses. */
struct sym_symbol {
	uint64_t addr, end;
	const char *name;	/* raw, points into the ELF's string table */
};

/* One range of a concrete subprogram, in file addresses. */
struct sym_func {
	uint64_t low, high;
	Dwarf_Off die;
};

struct sym_cu {
	Dwarf_Off off;		/* of the CU DIE */
	struct sym_func *funcs;
	size_t nfuncs;
	int indexed;
};

/* An address range of a CU (the fallback when there are no aranges). */
struct sym_curange {
	uint64_t low, high;
	size_t cu;		/* index into sym_file.cus */
};

/*
 * The entry containing addr among n entries of size bytes at v, sorted by
 * start, each starting with its range [start, end) as two uint64_t
 * (struct sym_symbol, sym_func, sym_curange): index + 1, or 0 when none.
 * Ranges may nest or overlap: the nearest start at or below addr is tried
 * first, then up to SYM_BACKSCAN earlier ones.
 */
static size_t sym_range_find(const void *v, size_t n, size_t size, uint64_t addr)
{
	const char *base = v;
	size_t lo = 0, hi = n, i, stop;
	uint64_t r[2];

	while (lo < hi) {	/* the first entry starting above addr */
		size_t mid = lo + (hi - lo) / 2;

		memcpy(r, base + mid * size, sizeof(r));
		if (r[0] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	stop = lo > SYM_BACKSCAN ? lo - SYM_BACKSCAN : 0;
	for (i = lo; i > stop; i--) {
		memcpy(r, base + (i - 1) * size, sizeof(r));
		if (addr < r[1])
			return i;
	}
	return 0;
}

/* The line tables of a file's DWARF: can libdw read them? */
enum sym_lines {
	SYM_LINES_THERE,	/* as libdw opened them, or absent */
	SYM_LINES_LATER,	/* a place in the debug image, not filled yet */
	SYM_LINES_READY,	/* filled */
	SYM_LINES_FAILED,	/* not filled: libdw must not read them */
};

struct sym_file {
	struct sym_file *next;
	char *path;
	Dwfl *dwfl;		/* NULL: not a usable ELF file */
	Dwfl_Module *mod;
	Elf *elf;
	uint64_t bias;		/* Dwfl address = file address + bias */
	Dwarf *dw;		/* may be NULL */
	uint64_t dw_adj;	/* file address = DWARF address + dw_adj */

	unsigned char build_id[SYM_MAX_BUILD_ID];
	size_t build_id_len;
	struct sym_segment *segs;
	size_t nsegs;
	int is_exec, has_debuginfo, has_symtab;

	int syms_loaded;
	struct sym_symbol *syms;
	size_t nsyms;
	char *plt_names;	/* "NAME@plt\0"..., the PLT entries' names */

	int cus_loaded, curanges_loaded;
	struct sym_cu *cus;
	size_t ncus;
	struct sym_curange *curanges;
	size_t ncuranges;

	/* Rust DIEs without a linkage name: DIE offset -> qualified name */
	struct intmap qnames;
	/* the per-address cache: addr -> index + 1 in c->arrays, 0: no names */
	struct intmap addrs;
	/* sym_lookup_frames()'s: addr -> index + 1 in c->frames, 0: none */
	struct intmap frame_addrs;

	/* sym_open_debug_image(): the image, its Elf and Dwarf (ours to end) */
	unsigned char *img;
	Elf *img_elf;
	Dwarf *img_dw;
	enum sym_lines img_lines;
	uint64_t img_line_off, img_line_size;	/* SYM_LINES_LATER's place */
};

/* ---- the cache ------------------------------------------------------ */

struct sym_cache {
	int inline_frames;
	struct sym_file *files;
	/* interned names -> their display name (uintptr_t), 0: not known yet */
	struct strmap names;
	/* interned name arrays, keyed by their bytes (the pointers) */
	struct strmap arrays;
	/* interned struct sym_frame arrays (sym_lookup_frames()), likewise */
	struct strmap frames;
	struct fg_buf scratch;
	struct sym_stats stats;
};

static char *sym_debuginfo_path;

#define SYM_BUILD_ID_PATH_MAX (64 + 2 * SYM_MAX_BUILD_ID)

/* The build-id debug file path: /usr/lib/debug/.build-id/xx/rest.debug. */
static void sym_build_id_path(char path[SYM_BUILD_ID_PATH_MAX],
			      const unsigned char *id, size_t n)
{
	size_t len = (size_t)snprintf(path, SYM_BUILD_ID_PATH_MAX,
				      "/usr/lib/debug/.build-id/%02x/", id[0]);
	size_t i;

	for (i = 1; i < n && i < SYM_MAX_BUILD_ID; i++)
		len += (size_t)snprintf(path + len, SYM_BUILD_ID_PATH_MAX - len, "%02x", id[i]);
	snprintf(path + len, SYM_BUILD_ID_PATH_MAX - len, ".debug");
}

/* The CRC-32 of the file at fd (the one .gnu_debuglink records); 0 on error. */
static int sym_file_crc(int fd, uint32_t *crc)
{
	unsigned char buf[1 << 16];
	uint32_t c = 0;
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		c = libdeflate_crc32(c, buf, (size_t)n);
		off += n;
	}
	if (n < 0)
		return -1;
	*crc = c;
	return 0;
}

/*
 * Open path as the separate debug file of a module with build-id id (n
 * bytes; 0: none, then the file's CRC must be crc), not the file main
 * itself. Regular files only (a FIFO put there is never waited on).
 * Returns the descriptor, or -1.
 */
static int sym_try_debug_file(const char *path, const unsigned char *id, int n,
			      uint32_t crc, const struct stat *main)
{
	struct stat st;
	int fd = file_open_regular(path, NULL), ok = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || (main && st.st_dev == main->st_dev && st.st_ino == main->st_ino)) {
		close(fd);
		return -1;
	}
	if (n > 0) {
		Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		const void *bits;

		ok = e && dwelf_elf_gnu_build_id(e, &bits) == n && !memcmp(bits, id, (size_t)n);
		if (e)
			elf_end(e);
	} else {
		uint32_t c;

		ok = !sym_file_crc(fd, &c) && c == crc;
	}
	if (!ok) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The separate debug file of a module, looked for on this machine only:
 * by build-id under /usr/lib/debug/.build-id, then by .gnu_debuglink next
 * to the file, in its .debug/ and under /usr/lib/debug (for the file's
 * path and for the path it resolves to: the symbolizer opens files
 * through /proc/self/fd). Each candidate is checked (the same build-id,
 * or the CRC the link gives). libdwfl's own search is not used: it opens
 * candidates with open(2), which waits forever on a FIFO, and as a last
 * resort loads libdebuginfod and asks a debuginfod server over the
 * network, which a profiler must not do behind the user's back.
 */
static int sym_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			      GElf_Addr base, const char *file_name,
			      const char *debuglink_file, GElf_Word debuglink_crc,
			      char **debuginfo_file_name)
{
	const unsigned char *id;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(mod, &id, &vaddr), fd, i, k;
	struct stat main_st;
	char *dirs[2] = { NULL, NULL };

	(void)userdata;
	(void)modname;
	(void)base;
	if (n > 0) {
		char path[SYM_BUILD_ID_PATH_MAX];

		sym_build_id_path(path, id, (size_t)n);
		fd = sym_try_debug_file(path, id, n, 0, NULL);
		if (fd >= 0) {
			*debuginfo_file_name = xstrdup(path);
			return fd;
		}
	}
	if (!file_name || !debuglink_file || !*debuglink_file || strchr(debuglink_file, '/'))
		return -1;
	if (stat(file_name, &main_st))
		return -1;
	for (i = 0; i < 2; i++) {
		char *f = i ? realpath(file_name, NULL) : xstrdup(file_name);
		char *slash = f ? strrchr(f, '/') : NULL;

		if (slash) {
			*slash = '\0';
			dirs[i] = f;
		} else {
			free(f);
		}
	}
	fd = -1;
	for (i = 0; i < 2 && fd < 0; i++) {
		if (!dirs[i] || (i && dirs[0] && !strcmp(dirs[0], dirs[1])))
			continue;
		for (k = 0; k < 3 && fd < 0; k++) {
			char *path;

			if (k == 2 && dirs[i][0] != '/')
				continue;
			path = xstrfmt(k == 0 ? "%s/%s" : k == 1 ? "%s/.debug/%s" :
				       "/usr/lib/debug%s/%s", dirs[i], debuglink_file);
			fd = sym_try_debug_file(path, id, n > 0 ? n : 0, debuglink_crc, &main_st);
			if (fd >= 0)
				*debuginfo_file_name = path;
			else
				free(path);
		}
	}
	free(dirs[0]);
	free(dirs[1]);
	return fd;
}

static const Dwfl_Callbacks sym_offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = sym_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &sym_debuginfo_path,
};

struct sym_cache *sym_cache_new(int inline_frames)
{
	struct sym_cache *c = xcalloc(1, sizeof(*c));

	c->inline_frames = inline_frames;
	fg_buf_init(&c->scratch, 256);
	return c;
}

static void sym_file_free(struct sym_file *f)
{
	size_t i;

	if (f->dwfl)
		dwfl_end(f->dwfl);
	if (f->img_dw)
		dwarf_end(f->img_dw);
	if (f->img_elf)
		elf_end(f->img_elf);
	free(f->img);
	for (i = 0; i < f->ncus; i++)
		free(f->cus[i].funcs);
	free(f->cus);
	free(f->curanges);
	free(f->syms);
	free(f->plt_names);
	free(f->segs);
	intmap_release(&f->qnames);
	intmap_release(&f->addrs);
	intmap_release(&f->frame_addrs);
	free(f->path);
	free(f);
}

void sym_cache_free(struct sym_cache *c)
{
	if (!c)
		return;
	while (c->files) {
		struct sym_file *next = c->files->next;

		sym_file_free(c->files);
		c->files = next;
	}
	strmap_release(&c->names);
	strmap_release(&c->arrays);
	strmap_release(&c->frames);
	fg_buf_release(&c->scratch);
	free(c);
}

void sym_cache_stats(const struct sym_cache *c, struct sym_stats *st)
{
	*st = c->stats;
	st->arena_bytes = c->names.keys.bytes + c->arrays.keys.bytes +
			  c->frames.keys.bytes;
}

/* ---- interning ------------------------------------------------------ */

static const char *sym_intern(struct sym_cache *c, const char *s, size_t len)
{
	int created;

	return strmap_put(&c->names, s, len, &created)->key;
}

/*
 * The display name of a raw symbol or linkage name (len bytes, not
 * necessarily NUL-terminated): demangled when it is mangled, interned.
 */
static const char *sym_display_name(struct sym_cache *c, const char *raw,
				    size_t len)
{
	int created;
	struct strmap_entry *e = strmap_put(&c->names, raw, len, &created);
	size_t id = (size_t)(e - c->names.v);
	const char *display, *key = e->key;
	enum demangle_scheme scheme;

	if (e->val)
		return (const char *)(uintptr_t)e->val;
	fg_buf_reset(&c->scratch);
	scheme = demangle_append(&c->scratch, key);
	if (scheme == DEMANGLE_TOO_COMPLEX)
		c->stats.too_complex++;
	if (scheme != DEMANGLE_NONE && scheme != DEMANGLE_TOO_COMPLEX && c->scratch.len)
		display = sym_intern(c, c->scratch.buf, c->scratch.len);
	else
		display = key;
	c->names.v[id].val = (uintptr_t)display;	/* e may have moved */
	return display;
}

/*
 * Intern an array of interned names (pointer equality is string equality):
 * returns its index in c->arrays, whose key is the array.
 */
static size_t sym_intern_array(struct sym_cache *c, const char **v, size_t n)
{
	int created;
	struct strmap_entry *e = strmap_put(&c->arrays, (const char *)v,
					    n * sizeof(*v), &created);

	return (size_t)(e - c->arrays.v);
}

/* ---- opening files -------------------------------------------------- */

static int sym_section_is(Elf *elf, size_t shstrndx, GElf_Shdr *shdr,
			  const char *name)
{
	const char *s = elf_strptr(elf, shstrndx, shdr->sh_name);

	return s && !strcmp(s, name);
}

/* Does elf have a .symtab; does it have a .debug_info with contents? */
static void sym_scan_sections(Elf *elf, int *symtab, int *debuginfo)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t guard = 0;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return;
	while ((scn = elf_nextscn(elf, scn)) && guard++ < 65536) {
		if (!gelf_getshdr(scn, &shdr))
			continue;
		if (shdr.sh_type == SHT_SYMTAB)
			*symtab = 1;
		else if (debuginfo && shdr.sh_type == SHT_PROGBITS &&
			 shdr.sh_size &&
			 sym_section_is(elf, shstrndx, &shdr, ".debug_info"))
			*debuginfo = 1;
	}
}

static void sym_read_segments(struct sym_file *f)
{
	size_t n, i, alloc = 0;
	GElf_Phdr ph;

	if (elf_getphdrnum(f->elf, &n) != 0)
		return;
	if (n > 65535)
		n = 65535;
	for (i = 0; i < n; i++) {
		struct sym_segment *s;

		if (!gelf_getphdr(f->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		ALLOC_GROW(f->segs, f->nsegs + 1, alloc);
		s = &f->segs[f->nsegs++];
		s->vaddr = ph.p_vaddr;
		s->offset = ph.p_offset;
		s->filesz = ph.p_filesz;
		s->memsz = ph.p_memsz;
		s->align = ph.p_align;
		s->flags = (int)ph.p_flags;
	}
}

/*
 * The DWARF sections the symbolizer reads (no locations). The line
 * tables, which only sym_lookup_frames() reads (for file names), get
 * their place in the image but are inflated on first use.
 */
#define SYM_LAZY_LINE ".debug_line"
static const char *const sym_image_sections[] = {
	".debug_info", ".debug_abbrev", ".debug_str", ".debug_line_str",
	".debug_str_offsets", ".debug_addr", ".debug_ranges", ".debug_rnglists",
	".debug_aranges", ".debug_types", SYM_LAZY_LINE,
};

#define SYM_IMAGE_MAX (1ULL << 30)	/* a larger image is not believed */
#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2		/* newer than this <elf.h> */
#endif

struct sym_image_scn {
	Elf_Scn *scn;
	GElf_Shdr shdr;
	const char *name;
	const unsigned char *data;	/* raw bytes, after the Chdr if compressed */
	size_t len;
	uint32_t ctype;			/* ELFCOMPRESS_* or 0 */
	uint64_t size, align;		/* uncompressed */
	uint64_t off;			/* in the image */
};

/* Inflate or copy one section into dst (size bytes). */
static int sym_image_fill(const struct sym_image_scn *sc, unsigned char *dst,
			  struct libdeflate_decompressor **dd)
{
	size_t got;

	switch (sc->ctype) {
	case 0:
		memcpy(dst, sc->data, sc->len);
		return 0;
	case ELFCOMPRESS_ZLIB:
		if (!*dd && !(*dd = libdeflate_alloc_decompressor()))
			return -1;
		return libdeflate_zlib_decompress(*dd, sc->data, sc->len, dst,
						  (size_t)sc->size, &got) ==
			       LIBDEFLATE_SUCCESS && got == sc->size ? 0 : -1;
	case ELFCOMPRESS_ZSTD:
		got = ZSTD_decompress(dst, (size_t)sc->size, sc->data, sc->len);
		return !ZSTD_isError(got) && got == sc->size ? 0 : -1;
	}
	return -1;
}

/*
 * Where the section scn of de (named name) is, raw, and how large it is
 * inflated. Returns 0, or -1 for a section that cannot be read or a
 * compression the image does not know.
 */
static int sym_image_scn_read(Elf_Scn *scn, const char *name,
			      struct sym_image_scn *sc)
{
	Elf_Data *raw;

	sc->scn = scn;
	sc->name = name;
	if (!gelf_getshdr(scn, &sc->shdr))
		return -1;
	raw = elf_rawdata(scn, NULL);
	if (!raw || !raw->d_buf)
		return -1;
	sc->data = raw->d_buf;
	sc->len = raw->d_size;
	sc->ctype = 0;
	sc->size = raw->d_size;
	sc->align = sc->shdr.sh_addralign ? sc->shdr.sh_addralign : 1;
	if (sc->shdr.sh_flags & SHF_COMPRESSED) {
		Elf64_Chdr ch;

		if (sc->len < sizeof(ch))
			return -1;
		memcpy(&ch, sc->data, sizeof(ch));
		sc->ctype = ch.ch_type;
		sc->size = ch.ch_size;
		sc->align = ch.ch_addralign ? ch.ch_addralign : 1;
		sc->data += sizeof(ch);
		sc->len -= sizeof(ch);
		if (sc->ctype != ELFCOMPRESS_ZLIB && sc->ctype != ELFCOMPRESS_ZSTD)
			return -1;
	}
	return sc->size > SYM_IMAGE_MAX ? -1 : 0;
}

/*
 * The build-id debug file of f (/usr/lib/debug/.build-id/xx/rest.debug),
 * opened when it is a 64-bit little-endian ELF file of the same build:
 * its Elf (and *fd, which the caller closes after elf_end()), or NULL.
 */
static Elf *sym_debug_file_open(const struct sym_file *f, int *fd,
				size_t *shstrndx, GElf_Ehdr *eh)
{
	char path[SYM_BUILD_ID_PATH_MAX];
	const void *id;
	Elf *de;

	sym_build_id_path(path, f->build_id, f->build_id_len);
	*fd = file_open_regular(path, NULL);
	if (*fd < 0)
		return NULL;
	de = elf_begin(*fd, ELF_C_READ_MMAP, NULL);
	if (de && gelf_getehdr(de, eh) && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	    eh->e_ident[EI_DATA] == ELFDATA2LSB && !elf_getshdrstrndx(de, shstrndx) &&
	    dwelf_elf_gnu_build_id(de, &id) == (ssize_t)f->build_id_len &&
	    !memcmp(id, f->build_id, f->build_id_len))
		return de;
	if (de)
		elf_end(de);
	close(*fd);
	*fd = -1;
	return NULL;
}

/*
 * The build-id debug file of f, when its DWARF is compressed: the wanted
 * sections, inflated into an ELF image in memory, opened with libdw.
 * Returns NULL to leave the file to libdwfl (no such debug file, nothing
 * compressed, another build-id, addresses that do not line up, a
 * supplementary dwz file, damage). The line tables are left out until
 * sym_image_lines() inflates them: libdw reads nothing of a section
 * before it is asked for (the image is its memory as it is, not a copy).
 */
static Dwarf *sym_open_debug_image(struct sym_file *f)
{
	struct sym_image_scn scns[ARRAY_SIZE(sym_image_sections)];
	struct libdeflate_decompressor *dd = NULL;
	size_t nscns = 0, shstrndx, i, n, strsz = 1, len, lazy = SIZE_MAX;
	Elf *de = NULL;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	uint64_t total;
	Elf64_Ehdr *ih;
	Elf64_Shdr *ish;
	unsigned char *img = NULL;
	char *names;
	int fd, compressed = 0, guard = 0;
	const char *env = getenv("FG_SYMBOLIZE_SLOW");

	if ((env && *env == '1') || !f->build_id_len || !f->nsegs)
		return NULL;
	de = sym_debug_file_open(f, &fd, &shstrndx, &eh);
	if (!de)
		return NULL;
	/* the same build, laid out at the same addresses */
	if (elf_getphdrnum(de, &n))
		goto fail;
	for (i = 0; i < n; i++)
		if (gelf_getphdr(de, (int)i, &ph) && ph.p_type == PT_LOAD)
			break;
	if (i == n || ph.p_vaddr != f->segs[0].vaddr)
		goto fail;

	while ((scn = elf_nextscn(de, scn)) && guard++ < 65536) {
		struct sym_image_scn *sc = &scns[nscns];
		GElf_Shdr shdr;
		const char *name;
		size_t k;

		if (!gelf_getshdr(scn, &shdr))
			goto fail;
		name = elf_strptr(de, shstrndx, shdr.sh_name);
		if (!name)
			goto fail;
		if (!strcmp(name, ".gnu_debugaltlink") || !strncmp(name, ".zdebug", 7))
			goto fail;	/* dwz or old GNU compression: libdwfl's job */
		for (k = 0; k < ARRAY_SIZE(sym_image_sections); k++)
			if (!strcmp(name, sym_image_sections[k]))
				break;
		if (k == ARRAY_SIZE(sym_image_sections) || shdr.sh_type == SHT_NOBITS)
			continue;
		if (nscns == ARRAY_SIZE(scns))
			goto fail;	/* a section twice */
		if (sym_image_scn_read(scn, name, sc))
			goto fail;
		if (sc->ctype)
			compressed = 1;
		if (!strcmp(name, SYM_LAZY_LINE))
			lazy = nscns;
		strsz += strlen(sc->name) + 1;
		nscns++;
	}
	if (!compressed)
		goto fail;	/* nothing to inflate: libdwfl maps it as it is */

	/* ELF header, the sections, their names, the section headers */
	total = sizeof(Elf64_Ehdr);
	for (i = 0; i < nscns; i++) {
		total = (total + 7) & ~7ULL;
		scns[i].off = total;
		total += scns[i].size;
	}
	total = (total + strsz + 7) & ~7ULL;
	if (total > SYM_IMAGE_MAX)
		goto fail;
	total += (nscns + 2) * sizeof(Elf64_Shdr);
	img = xmalloc_huge((size_t)total);
	memset(img, 0, sizeof(Elf64_Ehdr));
	names = (char *)img + (scns[nscns - 1].off + scns[nscns - 1].size);
	memset(names, 0, (size_t)(total - (uint64_t)(names - (char *)img)));
	for (i = 0; i < nscns; i++)
		if (i != lazy && sym_image_fill(&scns[i], img + scns[i].off, &dd))
			goto fail;

	ih = (Elf64_Ehdr *)(void *)img;
	memcpy(ih->e_ident, ELFMAG, SELFMAG);
	ih->e_ident[EI_CLASS] = ELFCLASS64;
	ih->e_ident[EI_DATA] = ELFDATA2LSB;
	ih->e_ident[EI_VERSION] = EV_CURRENT;
	ih->e_type = eh.e_type;
	ih->e_machine = eh.e_machine;
	ih->e_version = EV_CURRENT;
	ih->e_ehsize = sizeof(Elf64_Ehdr);
	ih->e_shentsize = sizeof(Elf64_Shdr);
	ih->e_shnum = (Elf64_Half)(nscns + 2);
	ih->e_shstrndx = (Elf64_Half)(nscns + 1);
	ih->e_shoff = total - (nscns + 2) * sizeof(Elf64_Shdr);
	ish = (Elf64_Shdr *)(void *)(img + ih->e_shoff);
	len = 1;
	for (i = 0; i < nscns; i++) {
		Elf64_Shdr *sh = &ish[i + 1];

		sh->sh_name = (Elf64_Word)len;
		memcpy(names + len, scns[i].name, strlen(scns[i].name) + 1);
		len += strlen(scns[i].name) + 1;
		sh->sh_type = scns[i].shdr.sh_type;
		sh->sh_flags = scns[i].shdr.sh_flags & ~(uint64_t)SHF_COMPRESSED;
		sh->sh_offset = scns[i].off;
		sh->sh_size = scns[i].size;
		sh->sh_addralign = scns[i].align;
		sh->sh_entsize = scns[i].shdr.sh_entsize;
	}
	ish[nscns + 1].sh_type = SHT_STRTAB;
	ish[nscns + 1].sh_offset = (uint64_t)((unsigned char *)names - img);
	ish[nscns + 1].sh_size = len;
	ish[nscns + 1].sh_addralign = 1;
	/* the debug file's .symtab stays libdwfl's (dwfl_module_getsymtab) */
	sym_scan_sections(de, &f->has_symtab, NULL);

	f->img_elf = elf_memory((char *)img, (size_t)total);
	if (!f->img_elf)
		goto fail;
	f->img_dw = dwarf_begin_elf(f->img_elf, DWARF_C_READ, NULL);
	if (!f->img_dw) {
		elf_end(f->img_elf);
		f->img_elf = NULL;
		goto fail;
	}
	f->img = img;
	if (lazy != SIZE_MAX) {
		f->img_lines = SYM_LINES_LATER;
		f->img_line_off = scns[lazy].off;
		f->img_line_size = scns[lazy].size;
	}
	libdeflate_free_decompressor(dd);
	elf_end(de);
	close(fd);
	return f->img_dw;

fail:
	if (dd)
		libdeflate_free_decompressor(dd);
	free(img);
	elf_end(de);
	close(fd);
	return NULL;
}

/*
 * Inflate the line tables into the image of f, once: the debug file is
 * opened again (the same build-id, the same size inflated). Returns
 * whether libdw may read them: not when they are still garbage.
 */
static int sym_image_lines(struct sym_file *f)
{
	struct libdeflate_decompressor *dd = NULL;
	struct sym_image_scn sc;
	Elf *de;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Shdr shdr;
	size_t shstrndx;
	int fd, guard = 0;

	if (f->img_lines != SYM_LINES_LATER)
		return f->img_lines != SYM_LINES_FAILED;
	f->img_lines = SYM_LINES_FAILED;
	de = sym_debug_file_open(f, &fd, &shstrndx, &eh);
	if (!de)
		return 0;
	while ((scn = elf_nextscn(de, scn)) && guard++ < 65536) {
		const char *name;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type == SHT_NOBITS ||
		    !(name = elf_strptr(de, shstrndx, shdr.sh_name)) ||
		    strcmp(name, SYM_LAZY_LINE))
			continue;
		if (!sym_image_scn_read(scn, name, &sc) && sc.size == f->img_line_size &&
		    !sym_image_fill(&sc, f->img + f->img_line_off, &dd))
			f->img_lines = SYM_LINES_READY;
		break;
	}
	if (dd)
		libdeflate_free_decompressor(dd);
	elf_end(de);
	close(fd);
	return f->img_lines == SYM_LINES_READY;
}

/*
 * Open path as a new sym_file. On failure the returned file has no Dwfl
 * (remembered, so that a bad path is not reopened for every sample).
 */
static struct sym_file *sym_file_open(const char *path)
{
	struct sym_file *f = xcalloc(1, sizeof(*f));
	const char *base = strrchr(path, '/');
	const void *bits;
	GElf_Ehdr ehdr;
	GElf_Addr bias = 0;
	Dwarf_Addr dwbias = 0;
	ssize_t idlen;
	int fd;

	f->path = xstrdup(path);
	/* regular files only: libdwfl would wait forever on a FIFO */
	fd = file_open_regular(path, NULL);
	if (fd < 0)
		return f;
	f->dwfl = dwfl_begin(&sym_offline_callbacks);
	if (!f->dwfl) {
		close(fd);
		return f;
	}
	dwfl_report_begin(f->dwfl);
	/* libdwfl owns fd from here on */
	f->mod = dwfl_report_offline(f->dwfl, base ? base + 1 : path, path, fd);
	if (dwfl_report_end(f->dwfl, NULL, NULL) != 0 || !f->mod)
		goto bad;
	f->elf = dwfl_module_getelf(f->mod, &bias);
	if (!f->elf || !gelf_getehdr(f->elf, &ehdr) ||
	    (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN))
		goto bad;
	f->bias = bias;
	f->is_exec = ehdr.e_type == ET_EXEC;

	idlen = dwelf_elf_gnu_build_id(f->elf, &bits);
	if (idlen > 0 && idlen <= SYM_MAX_BUILD_ID) {
		memcpy(f->build_id, bits, (size_t)idlen);
		f->build_id_len = (size_t)idlen;
	}
	sym_read_segments(f);
	if (!f->nsegs)		/* truncated, or nothing that can be mapped */
		goto bad;
	sym_scan_sections(f->elf, &f->has_symtab, NULL);

	f->dw = sym_open_debug_image(f);
	if (f->dw) {
		/* the same addresses as the file's: no DWARF bias */
		f->dw_adj = 0;
		f->has_debuginfo = 1;
		return f;
	}
	/* This also finds the separate debug file, if any. */
	f->dw = dwfl_module_getdwarf(f->mod, &dwbias);
	if (f->dw) {
		Elf *dwelf = dwarf_getelf(f->dw);

		f->dw_adj = (uint64_t)dwbias - f->bias;
		if (dwelf)
			sym_scan_sections(dwelf, &f->has_symtab,
					  &f->has_debuginfo);
		if (!f->has_debuginfo)
			f->dw = NULL;
	}
	return f;

bad:
	FREE_AND_NULL(f->segs);
	f->nsegs = 0;
	f->has_symtab = 0;
	dwfl_end(f->dwfl);
	f->dwfl = NULL;
	f->mod = NULL;
	f->elf = NULL;
	return f;
}

struct sym_file *sym_file_get(struct sym_cache *c, const char *path,
			      const unsigned char *build_id, size_t build_id_len,
			      int *mismatch)
{
	struct sym_file *f;

	if (mismatch)
		*mismatch = 0;
	if (!path)
		return NULL;
	for (f = c->files; f; f = f->next)
		if (!strcmp(f->path, path))
			break;
	if (!f) {
		f = sym_file_open(path);
		f->next = c->files;
		c->files = f;
		c->stats.files++;
	}
	if (!f->dwfl)
		return NULL;
	if (build_id && build_id_len &&
	    (build_id_len != f->build_id_len ||
	     memcmp(build_id, f->build_id, build_id_len))) {
		if (mismatch)
			*mismatch = 1;
		return NULL;
	}
	return f;
}

size_t sym_file_segments(const struct sym_file *f,
			 const struct sym_segment **segs)
{
	*segs = f ? f->segs : NULL;
	return f ? f->nsegs : 0;
}

int sym_file_is_exec(const struct sym_file *f)
{
	return f && f->is_exec;
}

int sym_file_has_debuginfo(const struct sym_file *f)
{
	return f && f->has_debuginfo;
}

int sym_file_has_symtab(const struct sym_file *f)
{
	return f && f->has_symtab;
}

size_t sym_file_build_id(const struct sym_file *f, const unsigned char **id)
{
	*id = f ? f->build_id : NULL;
	return f ? f->build_id_len : 0;
}

/* Is the file address inside an executable PT_LOAD segment? */
static int sym_in_text(const struct sym_file *f, uint64_t addr)
{
	size_t i;
	int any = 0;

	for (i = 0; i < f->nsegs; i++) {
		if (!(f->segs[i].flags & PF_X))
			continue;
		any = 1;
		if (addr >= f->segs[i].vaddr &&
		    addr - f->segs[i].vaddr < f->segs[i].memsz)
			return 1;
	}
	return !any;
}

/* ---- symbol table --------------------------------------------------- */

struct sym_symtmp {
	struct sym_symbol s;
	int rank, sized;
};

/*
 * Among aliases at one address, which name to show: a sized symbol, then
 * GLOBAL over WEAK over LOCAL, then fewer leading underscores, then the
 * shorter name (so "free" beats "__libc_free" and "__GI___libc_free").
 */
static int sym_alias_rank(const GElf_Sym *sym, const char *name)
{
	int bind = GELF_ST_BIND(sym->st_info), r = 0, u = 0;

	if (sym->st_size)
		r += 1 << 20;
	if (bind == STB_GLOBAL)
		r += 2 << 16;
	else if (bind == STB_WEAK)
		r += 1 << 16;
	while (name[u] == '_' && u < 255)
		u++;
	r += (255 - u) << 8;
	return r;
}

static int sym_symtmp_cmp(const void *a, const void *b)
{
	const struct sym_symtmp *x = a, *y = b;
	size_t lx, ly;

	if (x->s.addr != y->s.addr)
		return x->s.addr < y->s.addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	lx = strlen(x->s.name);
	ly = strlen(y->s.name);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->s.name, y->s.name);
}

/* End of the section shndx of elf, in file addresses of f (0: unknown). */
static uint64_t sym_section_end(struct sym_file *f, Elf *elf, GElf_Word shndx,
				Dwarf_Addr bias)
{
	Elf_Scn *scn;
	GElf_Shdr shdr;

	if (!elf || shndx == SHN_UNDEF || shndx >= SHN_LORESERVE)
		return 0;
	scn = elf_getscn(elf, shndx);
	if (!scn || !gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_ALLOC))
		return 0;
	return shdr.sh_addr + shdr.sh_size + bias - f->bias;
}

/* A GOT slot and the symbol a relocation binds it to. */
struct sym_slot {
	uint64_t got;
	const char *name;
};

static int sym_slot_cmp(const void *va, const void *vb)
{
	const struct sym_slot *a = va, *b = vb;

	return a->got < b->got ? -1 : a->got > b->got;
}

/*
 * Symbols for the PLT entries of f, named "FUNCTION@plt" as perf names
 * them: each entry's GOT slot (from its jump) is matched with the
 * JUMP_SLOT or GLOB_DAT relocation that names the function. Appended to
 * tmp; their names live in f->plt_names.
 */
static void sym_add_plt_symbols(struct sym_file *f, struct sym_symtmp **tmp,
				size_t *nr, size_t *alloc)
{
	struct sym_slot *slots = NULL;
	size_t nslots = 0, slots_alloc = 0, first = *nr, i;
	struct fg_buf names = FG_BUF_INIT;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (!f->elf || elf_getshdrstrndx(f->elf, &shstrndx))
		return;
	/* the relocations of the dynamic symbols: slot -> name */
	while ((scn = elf_nextscn(f->elf, scn))) {
		Elf_Scn *symscn;
		GElf_Shdr symsh;
		Elf_Data *rel, *syms;
		size_t k, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || !sh.sh_entsize)
			continue;
		symscn = elf_getscn(f->elf, sh.sh_link);
		if (!symscn || !gelf_getshdr(symscn, &symsh) || symsh.sh_type != SHT_DYNSYM)
			continue;
		rel = elf_getdata(scn, NULL);
		syms = elf_getdata(symscn, NULL);
		if (!rel || !syms)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (k = 0; k < n; k++) {
			GElf_Rela r;
			GElf_Sym s;
			const char *name;
			uint32_t type;

			if (!gelf_getrela(rel, (int)k, &r))
				break;
			type = (uint32_t)GELF_R_TYPE(r.r_info);
			if ((type != ARCH_R_JUMP_SLOT && type != ARCH_R_GLOB_DAT) ||
			    !GELF_R_SYM(r.r_info) ||
			    !gelf_getsym(syms, (int)GELF_R_SYM(r.r_info), &s))
				continue;
			name = elf_strptr(f->elf, symsh.sh_link, s.st_name);
			if (!name || !*name)
				continue;
			ALLOC_GROW(slots, nslots + 1, slots_alloc);
			slots[nslots].got = r.r_offset;
			slots[nslots++].name = name;
		}
	}
	if (!nslots)
		return;
	qsort(slots, nslots, sizeof(*slots), sym_slot_cmp);
	/* the entries of .plt, .plt.sec and .plt.got */
	scn = NULL;
	while ((scn = elf_nextscn(f->elf, scn))) {
		const char *sname;
		Elf_Data *code;
		uint64_t ent, off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		sname = elf_strptr(f->elf, shstrndx, sh.sh_name);
		if (!sname || (strcmp(sname, ".plt") && strcmp(sname, ".plt.sec") &&
			       strcmp(sname, ".plt.got")))
			continue;
		ent = sh.sh_entsize >= 8 && sh.sh_entsize <= 32 ? sh.sh_entsize : ARCH_PLT_ENTSIZE;
		code = elf_getdata(scn, NULL);
		if (!code || !code->d_buf || code->d_size < sh.sh_size)
			continue;
		for (off = 0; off + ent <= sh.sh_size; off += ent) {
			struct sym_slot key, *hit;
			struct sym_symtmp *t;
			const char *at;

			if (arch_plt_got_slot((const unsigned char *)code->d_buf + off,
					      (size_t)ent, sh.sh_addr + off, &key.got))
				continue;
			hit = bsearch(&key, slots, nslots, sizeof(*slots), sym_slot_cmp);
			if (!hit || !sym_in_text(f, sh.sh_addr + off))
				continue;
			ALLOC_GROW(*tmp, *nr + 1, *alloc);
			t = &(*tmp)[(*nr)++];
			memset(t, 0, sizeof(*t));
			t->s.addr = sh.sh_addr + off;
			t->s.end = sh.sh_addr + off + ent;
			t->sized = 1;
			t->rank = 0;
			/* the offset of the name for now: names may move */
			t->s.name = (const char *)(uintptr_t)names.len;
			at = strchr(hit->name, '@');
			fg_buf_add(&names, hit->name, at ? (size_t)(at - hit->name) :
				   strlen(hit->name));
			fg_buf_addstr(&names, "@plt");
			fg_buf_addch(&names, '\0');
		}
	}
	free(slots);
	if (*nr == first) {
		fg_buf_release(&names);
		return;
	}
	f->plt_names = fg_buf_detach(&names, NULL);
	for (i = first; i < *nr; i++)
		(*tmp)[i].s.name = f->plt_names + (uintptr_t)(*tmp)[i].s.name;
}

static void sym_load_symbols(struct sym_file *f)
{
	struct sym_symtmp *tmp = NULL;
	size_t nr = 0, alloc = 0, i, j, out;
	int n, ndx;

	f->syms_loaded = 1;
	n = dwfl_module_getsymtab(f->mod);
	for (ndx = 1; ndx < n; ndx++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		Elf *elf = NULL;
		Dwarf_Addr bias = 0;
		const char *name = dwfl_module_getsym_info(f->mod, ndx, &sym,
							   &addr, &shndx,
							   &elf, &bias);
		int type = GELF_ST_TYPE(sym.st_info);
		struct sym_symtmp *t;

		if (!name || !*name || sym.st_shndx == SHN_UNDEF ||
		    (type != STT_FUNC && type != STT_GNU_IFUNC))
			continue;
		addr -= f->bias;
		if (!addr || !sym_in_text(f, addr))
			continue;
		ALLOC_GROW(tmp, nr + 1, alloc);
		t = &tmp[nr++];
		t->s.addr = addr;
		t->s.name = name;
		t->rank = sym_alias_rank(&sym, name);
		t->sized = sym.st_size && addr + sym.st_size > addr;
		if (t->sized) {
			t->s.end = addr + sym.st_size;
		} else {
			/* sizeless: up to the end of its section, at most */
			t->s.end = sym_section_end(f, elf, shndx, bias);
			if (t->s.end <= addr)
				t->s.end = UINT64_MAX;
		}
	}
	sym_add_plt_symbols(f, &tmp, &nr, &alloc);
	if (!nr)
		return;
	qsort(tmp, nr, sizeof(*tmp), sym_symtmp_cmp);
	f->syms = xmalloc(st_mult(nr, sizeof(*f->syms)));
	for (i = out = 0; i < nr; i = j) {
		/* one group of aliases: the best name comes first */
		uint64_t next, end = 0, sizeless_end = 0;
		size_t k;

		for (j = i; j < nr && tmp[j].s.addr == tmp[i].s.addr; j++)
			;
		next = j < nr ? tmp[j].s.addr : UINT64_MAX;
		for (k = i; k < j; k++) {
			if (tmp[k].sized) {
				if (tmp[k].s.end > end)
					end = tmp[k].s.end;
			} else if (tmp[k].s.end > sizeless_end) {
				/* a sizeless symbol ends at the next one */
				sizeless_end = tmp[k].s.end < next ?
					       tmp[k].s.end : next;
			}
		}
		f->syms[out] = tmp[i].s;
		f->syms[out++].end = end ? end : sizeless_end;
	}
	f->nsyms = out;
	free(tmp);
}

/* The raw symbol containing addr, or NULL. */
static const char *sym_symtab_find(struct sym_file *f, uint64_t addr)
{
	size_t i;

	if (!f->syms_loaded)
		sym_load_symbols(f);
	i = sym_range_find(f->syms, f->nsyms, sizeof(*f->syms), addr);
	return i ? f->syms[i - 1].name : NULL;
}

/* The display name of the symbol at addr, "@VERSION" stripped. */
static const char *sym_symtab_name(struct sym_cache *c, struct sym_file *f,
				   uint64_t addr)
{
	const char *raw = sym_symtab_find(f, addr);
	const char *at, *name;
	size_t len;

	if (!raw)
		return NULL;
	at = strchr(raw, '@');
	name = sym_display_name(c, raw, at ? (size_t)(at - raw) : strlen(raw));
	if (!at || strcmp(at, "@plt"))
		return name;
	/* a PLT entry: the function's name as shown, then "@plt" (as perf) */
	len = strlen(name);
	fg_buf_reset(&c->scratch);
	fg_buf_add(&c->scratch, name, len);
	fg_buf_addstr(&c->scratch, "@plt");
	return sym_intern(c, c->scratch.buf, c->scratch.len);
}

/* ---- DWARF: compilation units --------------------------------------- */

static int sym_cu_cmp(const void *a, const void *b)
{
	const struct sym_cu *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static void sym_load_cus(struct sym_file *f)
{
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Half version;
	uint8_t type;
	Dwarf_Die cudie, subdie;
	size_t alloc = 0;

	f->cus_loaded = 1;
	while (dwarf_get_units(f->dw, cu, &next, &version, &type, &cudie,
			       &subdie) == 0) {
		cu = next;
		if (type != DW_UT_compile && type != DW_UT_partial)
			continue;
		ALLOC_GROW(f->cus, f->ncus + 1, alloc);
		memset(&f->cus[f->ncus], 0, sizeof(f->cus[0]));
		f->cus[f->ncus++].off = dwarf_dieoffset(&cudie);
	}
	if (f->ncus)
		qsort(f->cus, f->ncus, sizeof(*f->cus), sym_cu_cmp);
}

static struct sym_cu *sym_cu_by_offset(struct sym_file *f, Dwarf_Off off)
{
	size_t lo = 0, hi = f->ncus;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->cus[mid].off == off)
			return &f->cus[mid];
		if (f->cus[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int sym_curange_cmp(const void *a, const void *b)
{
	const struct sym_curange *x = a, *y = b;

	if (x->low != y->low)
		return x->low < y->low ? -1 : 1;
	return x->high > y->high ? -1 : x->high < y->high;
}

/* Our own CU address table, for files without (complete) aranges. */
static void sym_load_curanges(struct sym_file *f)
{
	size_t i, alloc = 0;

	f->curanges_loaded = 1;
	for (i = 0; i < f->ncus; i++) {
		Dwarf_Die cudie;
		Dwarf_Addr base, start, end;
		ptrdiff_t off = 0;
		unsigned guard = 0;

		if (!dwarf_offdie(f->dw, f->cus[i].off, &cudie))
			continue;
		while ((off = dwarf_ranges(&cudie, off, &base, &start,
					   &end)) > 0 && guard++ < 1000000) {
			uint64_t lo = start + f->dw_adj, hi = end + f->dw_adj;

			if (start >= end || !lo || !sym_in_text(f, lo))
				continue;
			ALLOC_GROW(f->curanges, f->ncuranges + 1, alloc);
			f->curanges[f->ncuranges].low = lo;
			f->curanges[f->ncuranges].high = hi;
			f->curanges[f->ncuranges++].cu = i;
		}
	}
	if (f->ncuranges)
		qsort(f->curanges, f->ncuranges, sizeof(*f->curanges),
		      sym_curange_cmp);
}

static struct sym_cu *sym_find_cu(struct sym_file *f, uint64_t addr)
{
	Dwarf_Die cudie;
	size_t i;

	if (!f->cus_loaded)
		sym_load_cus(f);
	if (dwarf_addrdie(f->dw, addr - f->dw_adj, &cudie)) {
		struct sym_cu *cu = sym_cu_by_offset(f, dwarf_dieoffset(&cudie));

		if (cu)
			return cu;
	}
	if (!f->curanges_loaded)
		sym_load_curanges(f);
	i = sym_range_find(f->curanges, f->ncuranges, sizeof(*f->curanges), addr);
	return i ? &f->cus[f->curanges[i - 1].cu] : NULL;
}

/* ---- DWARF: the per-CU function index ------------------------------- */

struct sym_funcvec {
	struct sym_func *v;
	size_t nr, alloc;
};

static void sym_add_ranges(struct sym_file *f, Dwarf_Die *die,
			   struct sym_funcvec *fv)
{
	Dwarf_Addr base, start, end;
	ptrdiff_t off = 0;
	unsigned guard = 0;

	while ((off = dwarf_ranges(die, off, &base, &start, &end)) > 0 &&
	       guard++ < 100000) {
		uint64_t lo = start + f->dw_adj;

		/* lld and ld.bfd leave discarded functions at 0 (tombstones) */
		if (start >= end || !lo || !sym_in_text(f, lo))
			continue;
		ALLOC_GROW(fv->v, fv->nr + 1, fv->alloc);
		fv->v[fv->nr].low = lo;
		fv->v[fv->nr].high = end + f->dw_adj;
		fv->v[fv->nr++].die = dwarf_dieoffset(die);
	}
}

/*
 * Collect the ranges of the concrete subprograms under parent. Functions
 * hide in namespaces and types (Rust, C++), and in other functions and
 * their blocks (GNU C nested functions); inlined subroutines, variables
 * and the like hold none and are skipped whole. Rust has no functions
 * inside functions in its DWARF (closures sit in namespaces), so Rust
 * subprograms are not entered: libdw has to parse every DIE of a subtree
 * again to skip it, once per level that we walk, and most DIEs of a Rust
 * CU are inside subprograms.
 */
static void sym_index_walk(struct sym_file *f, Dwarf_Die *parent,
			   struct sym_funcvec *fv, int nested_funcs, int depth)
{
	Dwarf_Die child;

	if (depth > SYM_MAX_DEPTH || dwarf_child(parent, &child) != 0)
		return;
	do {
		switch (dwarf_tag(&child)) {
		case DW_TAG_subprogram:
			sym_add_ranges(f, &child, fv);
			if (nested_funcs && dwarf_haschildren(&child))
				sym_index_walk(f, &child, fv, nested_funcs,
					       depth + 1);
			break;
		case DW_TAG_namespace:
		case DW_TAG_module:
		case DW_TAG_structure_type:
		case DW_TAG_class_type:
		case DW_TAG_union_type:
		case DW_TAG_interface_type:
		case DW_TAG_enumeration_type:
		case DW_TAG_variant_part:
		case DW_TAG_variant:
		case DW_TAG_lexical_block:
			if (dwarf_haschildren(&child))
				sym_index_walk(f, &child, fv, nested_funcs,
					       depth + 1);
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

static int sym_func_cmp(const void *a, const void *b)
{
	const struct sym_func *x = a, *y = b;

	if (x->low != y->low)
		return x->low < y->low ? -1 : 1;
	/* the larger range first, so that a nested one is found first */
	if (x->high != y->high)
		return x->high > y->high ? -1 : 1;
	return x->die < y->die ? -1 : x->die > y->die;
}

static void sym_index_cu(struct sym_cache *c, struct sym_file *f,
			 struct sym_cu *cu)
{
	struct sym_funcvec fv = { NULL, 0, 0 };
	Dwarf_Die cudie;

	cu->indexed = 1;
	c->stats.cus_indexed++;
	if (!dwarf_offdie(f->dw, cu->off, &cudie))
		return;
	sym_index_walk(f, &cudie, &fv, dwarf_srclang(&cudie) != DW_LANG_Rust,
		       0);
	if (!fv.nr) {
		free(fv.v);
		return;
	}
	qsort(fv.v, fv.nr, sizeof(*fv.v), sym_func_cmp);
	cu->funcs = xrealloc(fv.v, st_mult(fv.nr, sizeof(*fv.v)));
	cu->nfuncs = fv.nr;
	c->stats.funcs_indexed += fv.nr;
}

/* The concrete subprogram DIE containing addr. */
static int sym_find_function(struct sym_cache *c, struct sym_file *f,
			     uint64_t addr, Dwarf_Die *sp)
{
	struct sym_cu *cu = sym_find_cu(f, addr);
	size_t i;

	if (!cu)
		return 0;
	if (!cu->indexed)
		sym_index_cu(c, f, cu);
	i = sym_range_find(cu->funcs, cu->nfuncs, sizeof(*cu->funcs), addr);
	return i && dwarf_offdie(f->dw, cu->funcs[i - 1].die, sp) != NULL;
}

/*
 * The DW_TAG_inlined_subroutine DIEs containing pc (a DWARF address)
 * inside subprogram sp, outermost first. Returns how many.
 */
static int sym_inline_chain(Dwarf_Die *sp, Dwarf_Addr pc, Dwarf_Die *chain,
			    int max)
{
	Dwarf_Die cur = *sp, child;
	int n = 0, depth;

	for (depth = 0; depth < 4 * SYM_MAX_INLINE; depth++) {
		int found = 0, tag = 0;

		if (dwarf_child(&cur, &child) != 0)
			break;
		do {
			tag = dwarf_tag(&child);
			if ((tag == DW_TAG_inlined_subroutine ||
			     tag == DW_TAG_lexical_block ||
			     tag == DW_TAG_try_block ||
			     tag == DW_TAG_catch_block) &&
			    dwarf_haspc(&child, pc) == 1) {
				found = 1;
				break;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
		if (!found)
			break;
		if (tag == DW_TAG_inlined_subroutine) {
			if (n == max)
				break;
			chain[n++] = child;
		}
		cur = child;
	}
	return n;
}

/* ---- DWARF: names --------------------------------------------------- */

/* Follow abstract_origin/specification to the DIE that holds DW_AT_name. */
static int sym_name_owner(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Die cur = *die, next;
	Dwarf_Attribute attr;
	int i;

	for (i = 0; i < 16; i++) {
		if (dwarf_hasattr(&cur, DW_AT_name)) {
			*out = cur;
			return 1;
		}
		if (!dwarf_attr(&cur, DW_AT_abstract_origin, &attr) &&
		    !dwarf_attr(&cur, DW_AT_specification, &attr))
			return 0;
		if (!dwarf_formref_die(&attr, &next))
			return 0;
		cur = next;
	}
	return 0;
}

static int sym_is_scope_tag(int tag)
{
	switch (tag) {
	case DW_TAG_namespace:
	case DW_TAG_module:
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_interface_type:
	case DW_TAG_enumeration_type:
		return 1;
	default:
		return 0;
	}
}

/*
 * Append the names of the namespaces and types enclosing the DIE at
 * target (in cu), each followed by "::". DIE offsets grow in document
 * order, so the ancestor at each level is the last child that starts at
 * or before target. Returns 0, or -1 when target is not found.
 */
static int sym_scope_path(Dwarf_Die *cu, Dwarf_Off target, struct fg_buf *out)
{
	Dwarf_Die cur = *cu, child, best;
	int depth;

	for (depth = 0; depth < SYM_MAX_DEPTH; depth++) {
		Dwarf_Off o;
		int have = 0;

		if (dwarf_child(&cur, &child) != 0)
			return -1;
		do {
			o = dwarf_dieoffset(&child);
			if (o > target)
				break;
			best = child;
			have = 1;
			if (o == target)
				return 0;
		} while (dwarf_siblingof(&child, &child) == 0);
		if (!have)
			return -1;
		if (sym_is_scope_tag(dwarf_tag(&best))) {
			const char *s = dwarf_diename(&best);

			if (s && *s) {
				fg_buf_addstr(out, s);
				fg_buf_addstr(out, "::");
			}
		}
		cur = best;
	}
	return -1;
}

/* The name of a Rust DIE without linkage name, qualified by its scopes. */
static const char *sym_rust_qualified(struct sym_cache *c, struct sym_file *f,
				      Dwarf_Die *owner, Dwarf_Die *cu,
				      const char *name)
{
	Dwarf_Off off = dwarf_dieoffset(owner);
	int memo = off && off != UINT64_MAX && dwarf_cu_getdwarf(owner->cu) == f->dw;
	const char *res;
	uint64_t *known;

	if (memo && (known = intmap_get(&f->qnames, off)))
		return (const char *)(uintptr_t)*known;
	fg_buf_reset(&c->scratch);
	if (sym_scope_path(cu, off, &c->scratch) < 0)
		fg_buf_reset(&c->scratch);
	fg_buf_addstr(&c->scratch, name);
	res = sym_intern(c, c->scratch.buf, c->scratch.len);
	if (memo)
		intmap_put(&f->qnames, off, (uintptr_t)res);
	return res;
}

/*
 * The display name of a subprogram or inlined subroutine: its linkage
 * name (through abstract_origin/specification), demangled; else its
 * DW_AT_name, qualified by namespaces for Rust. NULL when it has none.
 */
static const char *sym_die_name(struct sym_cache *c, struct sym_file *f,
				Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Die owner, cu;
	const char *s;

	if ((dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) ||
	     dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr)) &&
	    (s = dwarf_formstring(&attr)) && *s)
		return sym_display_name(c, s, strlen(s));
	if (!sym_name_owner(die, &owner))
		return NULL;
	s = dwarf_formstring(dwarf_attr(&owner, DW_AT_name, &attr));
	if (!s || !*s)
		return NULL;
	if (dwarf_diecu(&owner, &cu, NULL, NULL) &&
	    dwarf_srclang(&cu) == DW_LANG_Rust)
		return sym_rust_qualified(c, f, &owner, &cu, s);
	return sym_intern(c, s, strlen(s));
}

/* ---- frame details (sym_lookup_frames()) ----------------------------- */

/*
 * The file of the declaration of die (DW_AT_decl_file, through
 * abstract_origin/specification: the index is into the line table of the
 * CU holding the attribute, which LTO may make another CU), joined with
 * that CU's DW_AT_comp_dir when the line table gives a relative name.
 * libdw has joined the name with its directory, and directory 0 is the
 * compilation directory: a relative comp_dir (-fdebug-prefix-map=DIR=.
 * gives "./stdlib") is then there already, and not added twice.
 * Interned; NULL when unknown.
 *
 * NEEDSWORK: libdw (0.188) gets a CU's file table by decoding and
 * sorting its whole line program, which is most of what details cost
 * (about as much again as the names, per CU); the header alone would do.
 */
static const char *sym_decl_file(struct sym_cache *c, struct sym_file *f,
				 Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word idx;
	Dwarf_Die cudie;
	Dwarf_Half version;
	Dwarf_Files *files;
	size_t nfiles, len;
	const char *name, *dir;

	if (!dwarf_attr_integrate(die, DW_AT_decl_file, &attr) ||
	    dwarf_formudata(&attr, &idx) ||
	    !dwarf_cu_die(attr.cu, &cudie, &version, NULL, NULL, NULL, NULL, NULL))
		return NULL;
	/* before DWARF 5, file 0 means none (libdw names it "???") */
	if (version < 5 && !idx)
		return NULL;
	/* the image's line tables are inflated now, if ever */
	if (f->img_dw && dwarf_cu_getdwarf(attr.cu) == f->img_dw &&
	    !sym_image_lines(f))
		return NULL;
	if (dwarf_getsrcfiles(&cudie, &files, &nfiles) || idx >= nfiles)
		return NULL;
	name = dwarf_filesrc(files, idx, NULL, NULL);
	if (!name || !*name)
		return NULL;
	if (name[0] == '/' ||
	    !(dir = dwarf_formstring(dwarf_attr(&cudie, DW_AT_comp_dir, &attr))) ||
	    !*dir)
		return sym_intern(c, name, strlen(name));
	len = strlen(dir);
	if (!strncmp(name, dir, len) && (name[len] == '/' || dir[len - 1] == '/'))
		return sym_intern(c, name, strlen(name));
	fg_buf_reset(&c->scratch);
	fg_buf_add(&c->scratch, dir, len);
	if (dir[len - 1] != '/')
		fg_buf_addch(&c->scratch, '/');
	fg_buf_addstr(&c->scratch, name);
	return sym_intern(c, c->scratch.buf, c->scratch.len);
}

/*
 * The details of the frame of die, named name by sym_die_name(): its
 * linkage name when that is not the name, where it is declared.
 */
static void sym_die_frame(struct sym_cache *c, struct sym_file *f,
			  Dwarf_Die *die, const char *name, struct sym_frame *fr)
{
	Dwarf_Attribute attr;
	const char *s;
	int line;

	memset(fr, 0, sizeof(*fr));	/* the padding too: arrays are keys */
	fr->name = name;
	/* sym_die_name()'s choice, so this is the key it demangled */
	if ((dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) ||
	     dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr)) &&
	    (s = dwarf_formstring(&attr)) && *s) {
		s = sym_intern(c, s, strlen(s));
		fr->mangled = s != name ? s : NULL;
	}
	fr->file = sym_decl_file(c, f, die);
	if (!dwarf_decl_line(die, &line) && line > 0)
		fr->line = (uint32_t)line;
}

/*
 * The details of the symbol table's frame at addr, named name by
 * sym_symtab_name(): its symbol (without "@VERSION"; a PLT entry's
 * "FUNCTION@plt" whole) when that is not the name.
 */
static void sym_symtab_frame(struct sym_cache *c, struct sym_file *f,
			     uint64_t addr, const char *name,
			     struct sym_frame *fr)
{
	const char *raw = sym_symtab_find(f, addr), *at, *s;

	memset(fr, 0, sizeof(*fr));
	fr->name = name;
	if (!raw)
		return;
	at = strchr(raw, '@');
	if (at && !strcmp(at, "@plt"))
		at = NULL;
	s = sym_intern(c, raw, at ? (size_t)(at - raw) : strlen(raw));
	fr->mangled = s != name ? s : NULL;
}

/* ---- lookup --------------------------------------------------------- */

/*
 * Names at addr, innermost first, into v[SYM_MAX_INLINE + 1]; with fr
 * (sym_lookup_frames() only), their details into fr[] alongside, from
 * the same DIEs and symbol.
 */
static size_t sym_resolve(struct sym_cache *c, struct sym_file *f,
			  uint64_t addr, const char **v, struct sym_frame *fr)
{
	Dwarf_Die sp, chain[SYM_MAX_INLINE];
	const char *outer = NULL;
	size_t n = 0;
	int nchain = 0, i;

	if (f->dw && sym_find_function(c, f, addr, &sp)) {
		if (c->inline_frames)
			nchain = sym_inline_chain(&sp, addr - f->dw_adj, chain,
						  SYM_MAX_INLINE);
		for (i = nchain - 1; i >= 0; i--) {
			const char *s = sym_die_name(c, f, &chain[i]);

			if (!s)
				continue;
			if (fr)
				sym_die_frame(c, f, &chain[i], s, &fr[n]);
			v[n++] = s;
		}
		outer = sym_die_name(c, f, &sp);
		if (outer && fr)
			sym_die_frame(c, f, &sp, outer, &fr[n]);
	}
	if (!outer) {
		outer = sym_symtab_name(c, f, addr);
		if (outer && fr)
			sym_symtab_frame(c, f, addr, outer, &fr[n]);
	}
	if (outer)
		v[n++] = outer;
	return n;
}

size_t sym_lookup(struct sym_cache *c, struct sym_file *f, uint64_t addr,
		  const char *const **names)
{
	const char *v[SYM_MAX_INLINE + 1];
	const struct strmap_entry *e;
	uint64_t *known, id;
	size_t n;

	c->stats.lookups++;
	*names = NULL;
	if (!f || !f->dwfl)
		return 0;
	known = intmap_get(&f->addrs, addr);	/* never there: UINT64_MAX */
	if (known) {
		c->stats.cache_hits++;
		id = *known;
	} else {
		n = sym_resolve(c, f, addr, v, NULL);
		id = n ? sym_intern_array(c, v, n) + 1 : 0;
		if (addr != UINT64_MAX)
			intmap_put(&f->addrs, addr, id);
	}
	if (!id)
		return 0;
	e = &c->arrays.v[id - 1];
	*names = (const char *const *)(const void *)e->key;
	return e->klen / sizeof(*v);
}

size_t sym_lookup_frames(struct sym_cache *c, struct sym_file *f, uint64_t addr,
			 const struct sym_frame **frames)
{
	struct sym_frame fr[SYM_MAX_INLINE + 1];
	const char *v[SYM_MAX_INLINE + 1];
	const struct strmap_entry *e;
	uint64_t *known, id;
	size_t n, k;
	int created;

	c->stats.lookups++;
	*frames = NULL;
	if (!f || !f->dwfl)
		return 0;
	known = intmap_get(&f->frame_addrs, addr);
	if (known) {
		c->stats.cache_hits++;
		id = *known;
	} else {
		n = sym_resolve(c, f, addr, v, fr);
		known = intmap_get(&f->addrs, addr);
		if (known) {
			/*
			 * sym_lookup() answered first: its names are the
			 * answer. The same walk finds the same ones; should
			 * it not, the details of other names are not these.
			 */
			const char *const *names = NULL;
			size_t m = 0;

			if (*known) {
				e = &c->arrays.v[*known - 1];
				names = (const char *const *)(const void *)e->key;
				m = e->klen / sizeof(*v);
			}
			for (k = 0; k < n && n == m && names[k] == v[k]; k++)
				;
			if (k != m) {
				for (k = 0; k < m; k++) {
					memset(&fr[k], 0, sizeof(fr[k]));
					fr[k].name = names[k];
				}
			}
			n = m;
		} else if (addr != UINT64_MAX) {
			/* and sym_lookup() will answer with these names */
			intmap_put(&f->addrs, addr,
				   n ? sym_intern_array(c, v, n) + 1 : 0);
		}
		id = n ? (size_t)(strmap_put(&c->frames, (const char *)fr,
					     n * sizeof(*fr), &created) -
				  c->frames.v) + 1 : 0;
		if (addr != UINT64_MAX)
			intmap_put(&f->frame_addrs, addr, id);
	}
	if (!id)
		return 0;
	e = &c->frames.v[id - 1];
	*frames = (const struct sym_frame *)(const void *)e->key;
	return e->klen / sizeof(**frames);
}
