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

/*
 * Name the n kernel addresses addrs[] in one pass over path (NULL:
 * /proc/kallsyms), keeping only the names they need: names[i] receives
 * what kallsyms_lookup() would give for addrs[i] (or NULL), valid until
 * the returned table is freed with kallsyms_free(). Far cheaper than a
 * whole load when few addresses are wanted, which is the usual case.
 */
struct kallsyms *kallsyms_resolve(const char *path, const uint64_t *addrs,
				  size_t n, const char **names);

/* Number of symbols loaded (0 when addresses are hidden). */
size_t kallsyms_count(const struct kallsyms *k);

#endif
