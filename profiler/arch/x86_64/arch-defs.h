#ifndef FG_ARCH_DEFS_H
#define FG_ARCH_DEFS_H

/*
 * x86_64's constants for profiler/arch.h (which says what each means).
 * Included through arch.h only.
 */

#if !defined(__x86_64__)
#error "profiler/arch/x86_64 built for another target: set ARCH to its directory"
#endif

/* DWARF numbers 0-16: AX DX CX BX SI DI BP SP R8-R15 and the return address (the pc). */
#define ARCH_NR_DWARF_REGS 17
#define ARCH_DWARF_SP 7
#define ARCH_DWARF_FP 6

/* push %rbp; mov %rsp,%rbp: the caller's %rbp at %rbp, the return address above it */
#define ARCH_FRAME_RA_OFFSET 8

#define ARCH_R_JUMP_SLOT 7	/* R_X86_64_JUMP_SLOT */
#define ARCH_R_GLOB_DAT 6	/* R_X86_64_GLOB_DAT */

/* .plt, .plt.sec and .plt.got entries alike */
#define ARCH_PLT_ENTSIZE 16

#endif
