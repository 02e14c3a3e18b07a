/*
 * x86_64's user registers: the perf register numbers of <asm/perf_regs.h>
 * and their DWARF register numbers.
 */
#include "../../arch.h"

#include <asm/perf_regs.h>

uint64_t arch_regs_mask(void)
{
	/* AX BX CX DX SI DI BP SP IP (bits 0-8) and R8-R15 (bits 16-23). */
	return 0xff01ffULL;
}

/* DWARF register n is perf register perf_bit[n]. */
static const int perf_bit[ARCH_NR_DWARF_REGS] = {
	PERF_REG_X86_AX, PERF_REG_X86_DX, PERF_REG_X86_CX, PERF_REG_X86_BX,
	PERF_REG_X86_SI, PERF_REG_X86_DI, PERF_REG_X86_BP, PERF_REG_X86_SP,
	PERF_REG_X86_R8, PERF_REG_X86_R9, PERF_REG_X86_R10, PERF_REG_X86_R11,
	PERF_REG_X86_R12, PERF_REG_X86_R13, PERF_REG_X86_R14, PERF_REG_X86_R15,
	PERF_REG_X86_IP,
};

int arch_dwarf_regs(const struct perf_format *fmt, const struct perf_sample *s,
		    uint64_t *regs)
{
	int i;

	if (!s->regs || s->regs_abi == PERF_SAMPLE_REGS_ABI_NONE)
		return -1;
	for (i = 0; i < ARCH_NR_DWARF_REGS; i++)
		regs[i] = perf_sample_reg(fmt, s, perf_bit[i]);
	return 0;
}

uint64_t arch_sample_sp(const struct perf_format *fmt, const struct perf_sample *s)
{
	return perf_sample_reg(fmt, s, PERF_REG_X86_SP);
}

uint64_t arch_sample_fp(const struct perf_format *fmt, const struct perf_sample *s)
{
	return perf_sample_reg(fmt, s, PERF_REG_X86_BP);
}

uint64_t arch_pc_sp_regs(uint64_t pc, uint64_t sp, uint64_t regs[2])
{
	/* SP (bit 7) comes before IP (bit 8) */
	regs[0] = sp;
	regs[1] = pc;
	return 1ULL << PERF_REG_X86_SP | 1ULL << PERF_REG_X86_IP;
}

uint64_t arch_sample_pc(const struct perf_format *fmt, const struct perf_sample *s)
{
	return perf_sample_reg(fmt, s, PERF_REG_X86_IP);
}
