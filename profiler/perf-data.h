#ifndef FG_PERF_DATA_H
#define FG_PERF_DATA_H

/*
 * A native reader of perf.data files (what `perf record` writes), so that
 * a recording made elsewhere is unwound and named by our own session
 * without the perf binary. It reads the PERFILE2 header, the event
 * attributes (with their sample ids and, from HEADER_EVENT_DESC, the names
 * perf gave them) and streams the data section in large blocks, expanding
 * zstd-compressed chunks (`perf record -z`) and pipe-mode streams
 * (`perf record -o -`, a file or standard input). Records come out in time
 * order, with perf's rule: at each FINISHED_ROUND, buffered records up to
 * the largest time seen before the previous FINISHED_ROUND are sorted and
 * handed over. DWARF stack copies are trimmed to the bytes the kernel
 * filled before they are buffered, so memory stays at about two rounds of
 * trimmed records whatever the size of the file.
 *
 * Errors: perf_data_read() returns 0 or a negative enum fg_error with a
 * message in err. Nothing is ever trusted: every size and offset is
 * checked, so a corrupt file gives -FG_ERR_BAD_INPUT, never a crash.
 * Not thread-safe; no state outlives a call.
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "perf-sample.h"
#include "record.h"

struct perf_data_opts {
	/*
	 * Keep the samples of this event only: a name as perf printed it
	 * ("cpu-clock", "cycles:u") or its part before the first colon.
	 * NULL: the first event that is not a "dummy" tracking event.
	 * Samples of other events are counted and dropped; all other
	 * records are handed over.
	 */
	const char *event;
	/*
	 * Bytes of records held back for reordering before the oldest half
	 * is handed over regardless (and counted in forced_flushes); 0 means
	 * 512 MiB. Only files without FINISHED_ROUND records reach it.
	 */
	size_t max_pending;
};

struct perf_data_stats {
	uint64_t records;		/* records read, decompressed ones too */
	uint64_t delivered;		/* records handed to the callback */
	uint64_t samples;		/* samples of the kept event delivered */
	uint64_t other_samples;		/* samples of other events, dropped */
	uint64_t bad_samples;		/* samples that did not decode, dropped */
	uint64_t lost;			/* samples the kernel lost (LOST records) */
	uint64_t rounds;		/* FINISHED_ROUND records */
	uint64_t compressed_records;	/* COMPRESSED / COMPRESSED2 records */
	uint64_t compressed_bytes;	/* zstd payload bytes read */
	uint64_t decompressed_bytes;	/* bytes of records they expanded to */
	uint64_t trimmed_bytes;		/* stack-copy bytes dropped unread */
	uint64_t deferred_stacks;	/* large samples whose stack was read later */
	uint64_t pending_peak;		/* most bytes held for reordering */
	uint64_t out_of_order;		/* records older than a delivered one */
	uint64_t forced_flushes;	/* reordering hit max_pending */
	uint64_t skipped_records;	/* perf's own record types, ignored */
	uint64_t data_bytes;		/* bytes of the data section */
	int pipe_mode;			/* a `perf record -o -` stream */
	int unfinished;			/* header said no data (perf killed?):
					   read to the end of the file */
	int compressed;			/* zstd chunks were seen */
	unsigned nr_events;		/* events (attributes) in the file */
	char event[64];			/* name of the kept event ("" if none) */
	int freq;			/* sampled by frequency: sample_freq Hz */
	uint64_t sample_freq;		/* Hz when freq, else the period */
	int callchain;			/* samples carry a kernel callchain */
	int dwarf;			/* ... user registers and a stack copy */
	uint32_t stack_size;		/* bytes of stack copied per sample */
	char arch[32];			/* HEADER_ARCH ("x86_64"), or "" */
	char cmdline[256];		/* HEADER_CMDLINE, joined, or "" */
};

/*
 * Read the perf.data file at path ("-": standard input, pipe mode only)
 * and hand every record to cb in time order, with the format of the event
 * that wrote it (for non-sample records, that of the event their id names,
 * else the first event). h is 8-byte aligned and valid during the call
 * only. A sample's stack copy may have been trimmed to its dyn_size. cb
 * returns 0 to go on, or a negative value to stop: perf_data_read() then
 * returns that value. o may be NULL (defaults); st may be NULL, else it is
 * cleared and filled (also on errors, as far as the reader came).
 *
 * Returns 0, or:
 *   -FG_ERR_IO           the file cannot be opened or read (errno in err)
 *   -FG_ERR_BAD_INPUT    not a perf.data file, or corrupt or truncated:
 *                        the records before the damage were handed over
 *   -FG_ERR_BAD_OPTION   o->event names no event of the file (err lists
 *                        the events it has)
 *   -FG_ERR_UNSUPPORTED  a valid file this reader cannot use (byte-swapped
 *                        or version 1 files, directory output of
 *                        `perf record --threads`, hardware trace data,
 *                        non-zstd compression, another architecture's
 *                        registers): err says what; `perf script` can
 *                        read it. Some records may have been handed over
 *                        already: the caller starts afresh.
 */
int perf_data_read(const char *path, const struct perf_data_opts *o,
		   record_cb cb, void *ctx, struct perf_data_stats *st,
		   struct fg_buf *err);

/*
 * Same, from an open file descriptor (not closed): seekable files are read
 * with pread() from offset 0; pipes and sockets sequentially (pipe mode).
 * name is used in messages.
 */
int perf_data_read_fd(int fd, const char *name, const struct perf_data_opts *o,
		      record_cb cb, void *ctx, struct perf_data_stats *st,
		      struct fg_buf *err);

#endif
