#ifndef FG_ARCH_REGS_H
#define FG_ARCH_REGS_H

/*
 * The per-architecture seam of the unwinder: which user registers to ask
 * the kernel for, and how they map to DWARF register numbers. One .c file
 * per architecture implements it (x86_64_regs.c); callers hold no #ifdefs.
 */

#include "../perf-sample.h"

/* PERF_SAMPLE_REGS_USER mask of the registers DWARF unwinding needs. */
uint64_t arch_regs_mask(void);

/* DWARF numbers of the stack and frame pointers, for the unwinder's fast path. */
#define ARCH_DWARF_SP 7
#define ARCH_DWARF_FP 6

/* Number of DWARF registers arch_dwarf_regs() fills (the last is the pc). */
#define ARCH_NR_DWARF_REGS 17

/*
 * Fill regs[0..ARCH_NR_DWARF_REGS) in DWARF numbering from a sample's user
 * registers. Returns 0, or -1 when the sample carries none.
 */
int arch_dwarf_regs(const struct perf_format *fmt, const struct perf_sample *s,
		    uint64_t *regs);

/* Stack pointer, frame pointer and pc of a sample (0 when absent). */
uint64_t arch_sample_sp(const struct perf_format *fmt, const struct perf_sample *s);
uint64_t arch_sample_fp(const struct perf_format *fmt, const struct perf_sample *s);
uint64_t arch_sample_pc(const struct perf_format *fmt, const struct perf_sample *s);

/*
 * PLT entries: the GOT slot the entry of len bytes at addr (code) jumps
 * through, in the same address space as addr. Returns 0, or -1 when the
 * entry jumps through none (the resolver's entry). The relocations that
 * name a slot are of types ARCH_R_JUMP_SLOT and ARCH_R_GLOB_DAT.
 */
int arch_plt_got_slot(const unsigned char *code, size_t len, uint64_t addr,
		      uint64_t *slot);
#define ARCH_R_JUMP_SLOT 7	/* R_X86_64_JUMP_SLOT */
#define ARCH_R_GLOB_DAT 6	/* R_X86_64_GLOB_DAT */

#endif
