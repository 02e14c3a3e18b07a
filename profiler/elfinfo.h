#ifndef FG_ELFINFO_H
#define FG_ELFINFO_H

/*
 * What the recording path needs to know about an ELF file, read cheaply
 * (the ELF header, program headers and the build-id note, with pread; no
 * section or DWARF parsing): its PT_LOAD segments, to compute load biases,
 * whether it is ET_EXEC, and its GNU build-id.
 */

#include "../lib/common.h"

#define ELFINFO_MAX_LOADS 16

struct elfinfo {
	int is_exec;			/* ET_EXEC: loaded at its vaddrs */
	size_t nloads;
	struct {
		uint64_t vaddr, offset, filesz, align;
		int exec;		/* PF_X */
	} loads[ELFINFO_MAX_LOADS];	/* in file order */
	unsigned char build_id[20];
	int build_id_len;		/* 0 when the file has none */
};

/*
 * Read the file open as fd. Returns 0, or -1 when it is not a 64-bit
 * little-endian ELF file (or unreadable).
 */
int elfinfo_read(int fd, struct elfinfo *info);

/*
 * Load bias (runtime address - file address) of a mapping of the file at
 * start with file offset pgoff, and libdwfl's module start (the runtime
 * address of the first PT_LOAD's aligned vaddr). Returns 0, or -1 when no
 * PT_LOAD covers pgoff.
 */
int elfinfo_bias(const struct elfinfo *info, uint64_t start, uint64_t pgoff,
		 uint64_t *bias, uint64_t *base);

#endif
