#ifndef FG_ARCH_H
#define FG_ARCH_H

/*
 * The seam between the profiler and the machine it runs on: which user
 * registers to ask the kernel for and how they map to DWARF register
 * numbers, the frame layout the frame-pointer walk follows, and how PLT
 * entries reach their GOT slots. One directory per architecture,
 * profiler/arch/<arch>/, implements it; the Makefile builds the one of
 * the machine (ARCH, by default `uname -m`) and puts it on the include
 * path, so callers hold no #ifdefs. Nothing here allocates or keeps
 * state; everything is thread-safe.
 *
 * arch-defs.h of that directory defines these constants:
 *
 *	ARCH_NR_DWARF_REGS	DWARF registers arch_dwarf_regs() fills,
 *				numbered from 0; the last one is the pc
 *	ARCH_DWARF_SP		DWARF numbers of the stack pointer and the
 *	ARCH_DWARF_FP		frame pointer (for the unwinder's fast path)
 *	ARCH_FRAME_RA_OFFSET	where a frame record keeps the return
 *				address, from the frame pointer (the caller's
 *				frame pointer is at the frame pointer itself)
 *	ARCH_R_JUMP_SLOT	the types of the relocations that name the
 *	ARCH_R_GLOB_DAT		function a GOT slot is for
 *	ARCH_PLT_ENTSIZE	bytes of a PLT entry when the section does
 *				not say
 */

#include "perf-sample.h"
#include "arch-defs.h"

/* PERF_SAMPLE_REGS_USER mask of the registers DWARF unwinding needs. */
uint64_t arch_regs_mask(void);

/*
 * Fill regs[0..ARCH_NR_DWARF_REGS) in DWARF numbering from the user
 * registers of sample s, decoded with fmt. Returns 0, or -1 when the
 * sample carries none.
 */
int arch_dwarf_regs(const struct perf_format *fmt, const struct perf_sample *s,
		    uint64_t *regs);

/* Stack pointer, frame pointer and pc of a sample (0 when absent). */
uint64_t arch_sample_sp(const struct perf_format *fmt, const struct perf_sample *s);
uint64_t arch_sample_fp(const struct perf_format *fmt, const struct perf_sample *s);
uint64_t arch_sample_pc(const struct perf_format *fmt, const struct perf_sample *s);

/*
 * The user registers of a thread known only by its pc and stack pointer
 * (a thread blocked in a system call, from /proc/PID/task/TID/syscall):
 * fills regs in the order of the returned PERF_SAMPLE_REGS_USER mask.
 */
uint64_t arch_pc_sp_regs(uint64_t pc, uint64_t sp, uint64_t regs[2]);

/*
 * The GOT slot that the PLT entry of len bytes at code (loaded at addr)
 * jumps through, in addr's address space, into *slot. Returns 0, or -1
 * when the entry jumps through none (the resolver's entry).
 */
int arch_plt_got_slot(const unsigned char *code, size_t len, uint64_t addr,
		      uint64_t *slot);

#endif
