#ifndef FG_PERF_SAMPLE_H
#define FG_PERF_SAMPLE_H

/*
 * Decoding the records the kernel writes into perf ring buffers (and perf
 * writes into perf.data, which has the same layout): PERF_RECORD_SAMPLE
 * fields in the order sample_type implies, and the sample_id_all trailer of
 * the other records. Nothing here allocates: decoded pointers point into
 * the record, which must outlive the struct perf_sample.
 */

#include "../lib/common.h"

#include <linux/perf_event.h>

/* What the decoder needs to know about the event that wrote a record. */
struct perf_format {
	uint64_t sample_type;
	uint64_t regs_user_mask;
	uint64_t read_format;
	uint64_t branch_sample_type;
	int sample_id_all;
	/*
	 * The event samples a thread each time it leaves the CPU (the
	 * context-switches software event): its samples are where threads
	 * block, not where they compute.
	 */
	int off_cpu;
};

struct perf_sample {
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint32_t cpu;
	uint64_t period;
	uint64_t id;
	uint64_t callchain_nr;
	const uint64_t *callchain;	/* callchain_nr entries, or NULL */
	uint64_t regs_abi;		/* PERF_SAMPLE_REGS_ABI_*; NONE: no regs */
	const uint64_t *regs;		/* popcount(regs_user_mask) values */
	uint64_t stack_size;		/* bytes at stack (the requested size) */
	const unsigned char *stack;
	uint64_t stack_dyn_size;	/* bytes the kernel really copied */
};

/*
 * Decode a PERF_RECORD_SAMPLE. Returns 0, or -1 when the record is shorter
 * than its fields say (a corrupt record: skip it).
 */
int perf_sample_parse(const struct perf_format *fmt,
		      const struct perf_event_header *h, struct perf_sample *s);

/*
 * Time of a non-sample record from its sample_id_all trailer; returns 0 and
 * sets *time, or -1 when the record carries no time.
 */
int perf_record_time(const struct perf_format *fmt,
		     const struct perf_event_header *h, uint64_t *time);

/*
 * Process and thread of a non-sample record from its sample_id_all
 * trailer; returns 0, or -1 when the record does not carry them.
 */
int perf_record_thread(const struct perf_format *fmt,
		       const struct perf_event_header *h, uint32_t *pid, uint32_t *tid);

/*
 * Trimming a DWARF sample's stack copy: the kernel writes stack_size bytes
 * but fills only dyn_size of them. perf_sample_trimmed_size() is the size
 * of record h (decoded into s) once the copy is cut to dyn_size rounded up
 * to 8 bytes (h->size when there is nothing to cut), and
 * perf_sample_trim() writes that record to out (that many bytes, which
 * must not overlap h). The copy decodes to the same sample, with
 * stack_size = the kept bytes.
 */
size_t perf_sample_trimmed_size(const struct perf_event_header *h,
				const struct perf_sample *s);
void perf_sample_trim(const struct perf_event_header *h,
		      const struct perf_sample *s, void *out);

/* Value of perf register bit in a sample's regs, or 0 when not sampled. */
uint64_t perf_sample_reg(const struct perf_format *fmt,
			 const struct perf_sample *s, int bit);

#endif
