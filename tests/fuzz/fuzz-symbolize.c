/*
 * Fuzz target: ELF files, as the symbolizer (profiler/symbolize.c, libdw
 * and libelf underneath) and the cheap header reader (profiler/elfinfo.c)
 * see them. The input is written to a memfd and opened by its
 * /proc/self/fd path with a fresh cache; a spread of addresses is looked
 * up: the starts, middles and ends of the PT_LOAD segments, and addresses
 * taken from the input itself.
 */
#include "fuzz.h"
#include "../../profiler/elfinfo.h"
#include "../../profiler/symbolize.h"

static void lookup(struct sym_cache *c, struct sym_file *f, uint64_t addr)
{
	const char *const *names;
	size_t i, n = sym_lookup(c, f, addr, &names);

	for (i = 0; i < n; i++)
		if (!names[i] || strlen(names[i]) > (16u << 20))
			fuzz_fail("bad name %zu at 0x%" PRIx64, i, addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elfinfo info;
	struct sym_cache *c;
	struct sym_file *f;
	const struct sym_segment *segs;
	const unsigned char *id;
	const char *path;
	size_t nsegs, i;
	int fd, mismatch = 0;

	path = fuzz_file(data, size, &fd);
	if (!elfinfo_read(fd, &info)) {
		uint64_t bias, base;

		if (info.nloads > ELFINFO_MAX_LOADS)
			fuzz_fail("elfinfo: %zu loads", info.nloads);
		if (info.build_id_len < 0 || info.build_id_len > 20)
			fuzz_fail("elfinfo: build-id of %d bytes", info.build_id_len);
		for (i = 0; i < info.nloads; i++)
			elfinfo_bias(&info, 0x7f0000000000ull, info.loads[i].offset,
				     &bias, &base);
	}

	c = sym_cache_new(size & 1);
	f = sym_file_get(c, path, NULL, 0, &mismatch);
	if (f) {
		struct fuzz_rng rng;

		nsegs = sym_file_segments(f, &segs);
		sym_file_is_exec(f);
		sym_file_has_debuginfo(f);
		sym_file_has_symtab(f);
		sym_file_build_id(f, &id);
		for (i = 0; i < nsegs && i < 8; i++) {
			lookup(c, f, segs[i].vaddr);
			lookup(c, f, segs[i].vaddr + segs[i].memsz / 2);
			lookup(c, f, segs[i].vaddr + segs[i].memsz / 3);
			lookup(c, f, segs[i].vaddr + segs[i].memsz - 1);
		}
		/* again: the per-address cache answers */
		if (nsegs)
			lookup(c, f, segs[0].vaddr + segs[0].memsz / 2);
		fuzz_rng_init(&rng, data, size);
		for (i = 0; i < 16; i++) {
			uint64_t a = 0;

			if (size >= 8) {
				size_t off = (size_t)(fuzz_rng_next(&rng) % (size - 7)) & ~(size_t)7;

				memcpy(&a, data + off, 8);
			}
			lookup(c, f, a);
		}
		lookup(c, f, 0);
		lookup(c, f, UINT64_MAX);
	}
	sym_cache_free(c);
	return 0;
}
