#ifndef FG_RECORD_H
#define FG_RECORD_H

/*
 * The recorder: samples a workload with the perf_event_open system call,
 * without the perf tool.
 *
 * One event per online CPU follows the workload (inherit=1 makes the kernel
 * follow every thread and child process it creates; the events of further
 * threads of an attached process share the CPU's ring buffer). A thread
 * of the recorder drains each ring on a poll() wake-up: records are copied
 * out (DWARF stack copies trimmed to the bytes the kernel really copied);
 * the calling thread merges them across CPUs in time order and hands them
 * to a callback, so the consumer sees one stream as if from one perf.data
 * file. A slow callback delays the records (they wait in memory, up to a
 * bound) but never keeps the rings from being emptied; records are handed
 * over as soon as the callback keeps up, so memory stays flat however long
 * the recording runs.
 *
 * Errors are returned as -1 with a message in err; the recorder never
 * exits the process. Not thread-safe; recorder_stop() alone may be called
 * from a signal handler.
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "perf-sample.h"

#include <signal.h>

enum record_callgraph {
	CG_DWARF = 0,		/* user registers + stack copy, unwound by us */
	CG_FP,			/* the kernel's frame-pointer walk */
};

/*
 * What is sampled. RECORD_OFF_CPU samples each thread of the workload when
 * it leaves the CPU (the context-switches event, every switch, with the
 * same stacks as CPU samples) and records when threads leave and come
 * back (PERF_RECORD_SWITCH), from which the session weighs each block by
 * its length. RECORD_WALL does both that and the CPU sampling. Both need
 * kernel samples (the switch is taken in the kernel): root, or
 * kernel.perf_event_paranoid <= 1.
 */
enum record_mode {
	RECORD_CPU = 0,
	RECORD_OFF_CPU,
	RECORD_WALL,
};

struct record_opts {
	/*
	 * Settings left 0 (NULL) get their default from lib/defaults.h:
	 * FG_DEFAULT_EVENT, FG_DEFAULT_FREQ, FG_DEFAULT_STACK_SIZE (at most
	 * FG_MAX_STACK_SIZE, rounded down to 8s) and FG_DEFAULT_RING_KB.
	 */
	const char *event;		/* see record_event_names */
	unsigned freq;			/* samples per second */
	enum record_callgraph call_graph;
	unsigned stack_size;		/* DWARF: bytes of stack copied */
	unsigned ring_kb;		/* ring size per CPU in KiB (0: default); raised
					   to hold four samples (record_min_ring_kb) */
	double duration;		/* seconds; 0: until the workload ends */
	int no_kernel;			/* never sample kernel stacks */
	enum record_mode mode;
	int verbose;
	const char *workdir;		/* command: run it there (NULL: here) */
	char *const *env;		/* command: "NAME=VALUE" to add, or NULL */
};

/* Event names -e accepts, NULL-terminated. */
extern const char *const record_event_names[];

struct record_stats {
	uint64_t samples;		/* sample records delivered */
	uint64_t lost;			/* samples the kernel dropped */
	uint64_t lost_records;		/* PERF_RECORD_LOST records */
	uint64_t wakeups;
	uint64_t bytes_in;		/* bytes read from the rings */
	uint64_t bytes_kept;		/* after trimming stack copies */
	int kernel;			/* kernel stacks were recorded */
	int workload_exited;		/* the command ended by itself */
	int workload_status;		/* its wait status */
	int stopped_by_duration;
	int interrupted;		/* recorder_stop() was called */
	double seconds;			/* wall time recorded */
	uint64_t end_time;		/* when recording ended, on the records'
					   clock (CLOCK_MONOTONIC, ns) */
	size_t ring_kb;			/* size of each ring as mapped */
	size_t ring_kb_wanted;		/* as asked for (larger when the
					   locked-memory budget shrank it) */
};

struct recorder;

/*
 * Called for every record, in time order, with the format of the event
 * that wrote it; h is 8-byte aligned and valid during the call only.
 * Returns 0 to go on, or a negative value to stop (see recorder_run()).
 */
typedef int (*record_cb)(void *ctx, const struct perf_format *fmt,
			 const struct perf_event_header *h);

/*
 * Start argv as a child process, ready to be sampled from its exec on.
 * The child inherits our terminal and process group. Returns the
 * recorder, or NULL with a message in err (program not found, events
 * refused: the message says which sysctl to change or to run as root).
 */
struct recorder *recorder_start_command(const struct record_opts *o,
					char *const *argv, struct fg_buf *err);

/* Attach to running processes (and the threads they create later). */
struct recorder *recorder_attach(const struct record_opts *o,
				 const pid_t *pids, size_t npids,
				 struct fg_buf *err);

/*
 * Record until the workload has ended (command: it exited; -p: every
 * process exited), the duration passed (a command is then sent SIGTERM,
 * and SIGKILL if it lingers), or recorder_stop() was called. Every record
 * goes to cb, called in the calling thread. Returns 0, or -1 when cb
 * stopped the recording: the records
 * not handed over yet are dropped, a command still running is left to
 * recorder_end_workload() or recorder_free(), and err is not written (cb
 * knows what failed).
 */
int recorder_run(struct recorder *r, record_cb cb, void *ctx,
		 struct fg_buf *err);

/* Ask recorder_run() to stop soon. Async-signal-safe. */
void recorder_stop(struct recorder *r);

/*
 * End the command if it still runs: send it sig (0: none, it was sent one
 * already, a Ctrl-C through the terminal), wait up to grace_ms for it to
 * exit, then SIGTERM and as long again, then SIGKILL; *hurry (may be
 * NULL) becoming non-zero cuts the waits short. Its wait status is then
 * in the stats.
 */
void recorder_end_workload(struct recorder *r, int sig, int grace_ms,
			   volatile sig_atomic_t *hurry);

const struct record_stats *recorder_stats(const struct recorder *r);

/* Terminates a command still running, closes everything. */
void recorder_free(struct recorder *r);

/* Smallest ring (KiB) that holds four samples with this stack copy. */
static inline unsigned record_min_ring_kb(unsigned stack_size)
{
	return (4 * (stack_size + 4096) + 1023) / 1024;
}

/* The decoded perf_event_paranoid setting, or -1 when unreadable. */
int record_paranoid(void);

/* kernel.perf_event_mlock_kb (KiB per CPU), or -1 when unreadable. */
int record_mlock_kb(void);

#endif
