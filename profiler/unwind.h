#ifndef FG_UNWIND_H
#define FG_UNWIND_H

/*
 * The unwinder: the chain of return addresses of a sampled user stack,
 * from the registers and the stack bytes the kernel copied into the sample.
 *
 * One struct unwinder per process holds a libdwfl session (modules
 * reported from the process's executable mappings, CFI caches), reused for
 * every sample of the process. DWARF CFI (.eh_frame, .debug_frame) drives
 * the walk; where it is missing for the first frame, the frame-pointer
 * chain in the stack copy is followed instead. Memory reads are served from
 * the sample's stack copy only.
 *
 * Not thread-safe: one thread per unwinder.
 */

#include "../lib/common.h"
#include "perf-sample.h"

struct unwinder;

struct unwinder *unwind_new(pid_t pid);
void unwind_free(struct unwinder *u);

/*
 * Tell the unwinder that the ELF file at path (read through fd when fd is
 * not -1: the unwinder takes a duplicate) is mapped in the process. base is
 * the runtime address of its first PT_LOAD segment's page-aligned p_vaddr
 * (load bias + that p_vaddr; what libdwfl calls the module start).
 * Returns 0, or -1 when libdwfl cannot use the file (its frames will then
 * end the walk).
 */
int unwind_report(struct unwinder *u, const char *name, const char *path,
		  int fd, uint64_t base);

enum unwind_end {
	UNWIND_COMPLETE,	/* CFI said the outermost frame was reached */
	UNWIND_TRUNCATED,	/* ran off the stack copy or lost the CFI */
	UNWIND_NO_REGS,		/* the sample had no user registers */
};

/*
 * Unwind one sample of this process: pcs[0] is the sampled pc, pcs[1..]
 * return addresses (callers), at most max. Returns the number of pcs and
 * sets *end.
 */
size_t unwind_sample(struct unwinder *u, const struct perf_format *fmt,
		     const struct perf_sample *s, uint64_t *pcs, size_t max,
		     enum unwind_end *end);

/*
 * A check of the fast path (a cache of simple CFI rows) against libdwfl:
 * with unwind_check(1), every sample the fast path unwinds is unwound by
 * libdwfl too and the two compared (the first differences are printed on
 * stderr); libdwfl's answer is used. FG_UNWIND_SLOW=1 in the environment
 * turns the fast path off.
 */
struct unwind_check_stats {
	uint64_t same, differ;	/* fast-path samples: libdwfl agreed or not */
	uint64_t slow;		/* samples the fast path left to libdwfl */
};

void unwind_check(int on);
const struct unwind_check_stats *unwind_check_stats(void);

#endif
