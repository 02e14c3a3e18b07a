/* x86_64's PLT entries. */
#include "../../arch.h"

int arch_plt_got_slot(const unsigned char *code, size_t len, uint64_t addr,
		      uint64_t *slot)
{
	size_t i;

	/*
	 * Every x86_64 PLT entry that reaches a function does so with
	 * "jmp *disp32(%rip)" (ff 25), maybe after endbr64 (f3 0f 1e fa) and
	 * with a bnd prefix (f2): .plt entries of lazy binding, .plt.sec
	 * (IBT) and .plt.got entries alike. The first entry of .plt pushes
	 * (ff 35) before its jump, to the resolver.
	 */
	for (i = 0; i + 6 <= len && i < 8; i++) {
		int32_t disp;

		if (code[i] != 0xff || code[i + 1] != 0x25)
			continue;
		memcpy(&disp, code + i + 2, sizeof(disp));
		*slot = addr + i + 6 + (uint64_t)(int64_t)disp;
		return 0;
	}
	return -1;
}
