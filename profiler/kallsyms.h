#ifndef FG_KALLSYMS_H
#define FG_KALLSYMS_H

/*
 * Kernel symbols from /proc/kallsyms: function names for kernel frames.
 * Where the kernel hides addresses (kptr_restrict, not root) every address
 * reads as 0 and the table is empty: kernel frames are then named
 * "[kernel.kallsyms]" as perf names them.
 */

#include "../lib/common.h"

struct kallsyms;

/* Load path (NULL: /proc/kallsyms). Never fails: may return an empty table. */
struct kallsyms *kallsyms_load(const char *path);
void kallsyms_free(struct kallsyms *k);

/* Name of the function containing addr, or NULL. Valid until _free(). */
const char *kallsyms_lookup(const struct kallsyms *k, uint64_t addr);

/* Number of symbols loaded (0 when addresses are hidden). */
size_t kallsyms_count(const struct kallsyms *k);

#endif
