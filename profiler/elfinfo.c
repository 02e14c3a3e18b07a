#include "elfinfo.h"

#include <elf.h>
#include <unistd.h>

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);

	return n == (ssize_t)len ? 0 : -1;
}

static void read_build_id(int fd, const Elf64_Phdr *ph, struct elfinfo *info)
{
	unsigned char buf[4096];
	size_t len = ph->p_filesz < sizeof(buf) ? (size_t)ph->p_filesz : sizeof(buf);
	size_t off = 0;

	if (read_at(fd, buf, len, ph->p_offset))
		return;
	while (off + sizeof(Elf64_Nhdr) <= len) {
		Elf64_Nhdr nh;
		size_t name_at, desc_at;

		memcpy(&nh, buf + off, sizeof(nh));
		name_at = off + sizeof(nh);
		desc_at = name_at + ((nh.n_namesz + 3) & ~3u);
		if (desc_at > len || nh.n_descsz > len - desc_at)
			return;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp(buf + name_at, "GNU", 4) && nh.n_descsz &&
		    nh.n_descsz <= sizeof(info->build_id)) {
			memcpy(info->build_id, buf + desc_at, nh.n_descsz);
			info->build_id_len = (int)nh.n_descsz;
			return;
		}
		off = desc_at + ((nh.n_descsz + 3) & ~3u);
	}
}

int elfinfo_read(int fd, struct elfinfo *info)
{
	Elf64_Ehdr eh;
	int i;

	memset(info, 0, sizeof(*info));
	if (read_at(fd, &eh, sizeof(eh), 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 256)
		return -1;
	info->is_exec = eh.e_type == ET_EXEC;
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (read_at(fd, &ph, sizeof(ph), eh.e_phoff + (uint64_t)i * sizeof(ph)))
			return -1;
		if (ph.p_type == PT_LOAD && info->nloads < ELFINFO_MAX_LOADS) {
			info->loads[info->nloads].vaddr = ph.p_vaddr;
			info->loads[info->nloads].offset = ph.p_offset;
			info->loads[info->nloads].filesz = ph.p_filesz;
			info->loads[info->nloads].align = ph.p_align > 1 ? ph.p_align : 1;
			info->loads[info->nloads].exec = !!(ph.p_flags & PF_X);
			info->nloads++;
		} else if (ph.p_type == PT_NOTE && !info->build_id_len) {
			read_build_id(fd, &ph, info);
		}
	}
	return info->nloads ? 0 : -1;
}

int elfinfo_bias(const struct elfinfo *info, uint64_t start, uint64_t pgoff,
		 uint64_t *bias, uint64_t *base)
{
	uint64_t first = info->loads[0].vaddr & ~(info->loads[0].align - 1);
	size_t i;
	int pass;

	/*
	 * An ET_EXEC file is loaded at its vaddrs (bias 0), but a program can
	 * map a part of it a second time elsewhere (node maps V8's embedded
	 * builtins again): every mapping's bias comes from its file offset
	 * and the PT_LOAD that holds it, whatever the file type.
	 *
	 * A mapping starts at its segment's first page. Segments can share a
	 * page (rust-lld packs them), so prefer the segment that starts in
	 * the mapped page and is executable, then any that covers it.
	 */
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < info->nloads; i++) {
			uint64_t off0 = info->loads[i].offset & ~4095ULL;
			int starts = off0 == pgoff;
			int covers = pgoff >= off0 &&
				     pgoff < info->loads[i].offset + info->loads[i].filesz;

			if (pass == 0 && !(starts && info->loads[i].exec))
				continue;
			if (pass == 1 && !starts)
				continue;
			if (pass == 2 && !covers)
				continue;
			*bias = start - (info->loads[i].vaddr + pgoff - info->loads[i].offset);
			*base = *bias + first;
			return 0;
		}
	}
	/* an ET_EXEC mapping no PT_LOAD explains: where the file says */
	if (info->is_exec) {
		*bias = 0;
		*base = first;
		return 0;
	}
	return -1;
}
