#ifndef FG_SESSION_H
#define FG_SESSION_H

/*
 * A profiling session: consumes perf records in time order (from the
 * recorder, or from a perf.data file), keeps the model of every process
 * (threads and their names, executable mappings, a libdwfl unwinder),
 * unwinds each sample at once and adds its chain of code locations to a
 * profile (profile.h), aggregated by (stack, thread): memory grows with the
 * number of distinct stacks, not with the length of the recording. At the
 * end, session_finish() names each distinct location once (symbols, inline
 * frames, kernel symbols, JIT maps) in the profile, which writers read.
 *
 * Errors: functions return 0 or -1 with a message in err. Per-sample
 * problems are counted in struct session_stats, never fatal.
 * Not thread-safe.
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "../lib/stacks.h"
#include "perf-sample.h"
#include "profile.h"

/*
 * What a sample weighs. SESSION_CPU: samples and their periods (CPU
 * time). SESSION_OFF_CPU: blocks, each weighing the nanoseconds from the
 * thread's switch-out sample (fmt->off_cpu) to its switch back in. And
 * SESSION_WALL: both, in nanoseconds of each thread's time.
 */
enum session_time {
	SESSION_CPU = 0,
	SESSION_OFF_CPU,
	SESSION_WALL,
};

struct session_opts {
	int no_inline;			/* only outermost function per address */
	int no_kernel;			/* drop kernel frames */
	/*
	 * The records come from processes running now (not from a file):
	 * a process's executable is read through /proc/PID/exe, so that a
	 * binary rebuilt or replaced on disk meanwhile is still the one it
	 * runs.
	 */
	int live;
	const char *kallsyms;		/* NULL: /proc/kallsyms */
	enum session_time time;
	/*
	 * Each frame's mangled name and the file and line of its function's
	 * declaration too (what pprof keeps), at some cost when naming.
	 */
	int details;
	uint64_t off_cpu_min_ns;	/* shorter blocks are left out */
	int off_cpu_preempted;		/* SESSION_OFF_CPU: count the time of a
					   thread preempted (runnable) too */

};

struct session_stats {
	uint64_t samples;		/* samples seen */
	uint64_t bad_samples;		/* undecodable records */
	uint64_t user_unwound;		/* samples with a user stack walked */
	uint64_t complete;		/* walks that reached the outermost frame */
	uint64_t truncated;		/* walks that stopped early */
	uint64_t kernel_only;		/* samples without user registers */
	uint64_t processes;		/* processes seen */
	uint64_t execs;
	uint64_t build_id_mismatches;	/* mappings whose file changed on disk */
	uint64_t distinct_stacks;	/* distinct chains of locations */
	uint64_t locations;		/* distinct code addresses */
	uint64_t unnamed_frames;	/* frames without a symbol */
	uint64_t frames;		/* frames in folded stacks (weighted) */
	uint64_t files_without_debuginfo;
	uint64_t too_complex;		/* C++ names too costly to demangle */
	uint64_t jit_maps;		/* perf maps and jitdump files read */
	uint64_t jit_named;		/* JIT code locations they named */
	uint64_t blocks;		/* off-CPU: blocks counted */
	uint64_t blocks_short;		/* left out: under the threshold */
	uint64_t blocks_preempted;	/* left out: preempted, not blocked */
	uint64_t off_cpu_ns;		/* their time counted */
};

struct session;

/*
 * Notes gathered while naming frames (JIT map files that were not read,
 * and why), one per line; "" when none. Valid until session_free().
 */
const char *session_notes(const struct session *s);

struct session *session_new(const struct session_opts *o);
void session_free(struct session *s);

/*
 * Seed the model with a running process (for -p): its threads' names and
 * its executable mappings from /proc. Returns 0, or -1 with err.
 */
int session_add_process(struct session *s, pid_t pid, struct fg_buf *err);

/*
 * Name new code locations in a background thread while records come in,
 * so that session_finish() finds them named (the work moves off the time the
 * user waits after the workload ends).
 */
void session_symbolize_while_recording(struct session *s);

/* Consume one record (a record_cb: ctx is the session). Returns 0. */
int session_record(void *ctx, const struct perf_format *fmt,
		   const struct perf_event_header *h);

/*
 * Off-CPU and wall-clock time of an attached process (-p): its threads
 * blocked in a system call when the recording starts (at time, on the
 * records' clock) will not leave the CPU before they wake, so no sample
 * says where they wait; this starts their blocks from what /proc tells
 * of each call (pc and stack pointer) and a copy of stack_size bytes of
 * the stack (process_vm_readv, which takes the same permission as
 * profiling the process). Returns how many threads were found blocked.
 */
size_t session_add_blocked_threads(struct session *s, pid_t pid, uint64_t time,
				   unsigned stack_size);

/*
 * The recording ended at time (the records' clock): the threads still
 * off the CPU then are counted as off it until then.
 */
void session_end_recording(struct session *s, uint64_t time);

/*
 * After the last record: name every location in the profile and count the
 * statistics of names. Calls progress(done, total) now and then when
 * progress is not NULL. Returns 0. Calling it again does nothing.
 */
int session_finish(struct session *s, void (*progress)(uint64_t done, uint64_t total));

/*
 * The session's profile: samples by (stack, thread), with two values: the
 * samples ("samples", "count") and the sum of their periods, ("cpu",
 * "nanoseconds") unless the caller names the event otherwise
 * (profile_set_type()). SESSION_OFF_CPU: ("samples", "count"), the blocks,
 * and ("off-cpu", "nanoseconds"); SESSION_WALL: samples, cpu, off-cpu and
 * ("wall", "nanoseconds"), the sum of both. Complete once session_finish() has run; owned by the
 * session, valid until session_free().
 */
struct profile *session_profile(struct session *s);

const struct session_stats *session_stats(const struct session *s);

/*
 * For tests and debugging: fn (NULL: none) is called for every sample
 * the session aggregates, with the decoded sample and its stack as n
 * profile location ids, outermost first; both are valid during the call
 * only. session_stack_name() turns such ids into folded frames (names
 * joined by ';', without the root frame), replacing the contents of out.
 * It names every location, so call it after the last record.
 */
typedef void (*session_sample_fn)(void *ctx, const struct perf_sample *smp,
				  const uint32_t *ids, size_t n);
void session_set_sample_hook(struct session *s, session_sample_fn fn, void *ctx);
void session_stack_name(struct session *s, const uint32_t *ids, size_t n,
			struct fg_buf *out);

/*
 * Files the samples fell into that have no DWARF debug info or no symbol
 * table, for the diagnostics ("stripped binary"): calls fn for each with
 * its path and what it lacks.
 */
/*
 * Call fn for every mapped file that was not read because it is not a
 * regular file (kind: "a FIFO", "a directory", ...): a FIFO or a device
 * put where a recording names a file is never opened.
 */
void session_for_each_skipped_file(struct session *s,
				   void (*fn)(void *ctx, const char *path, const char *kind),
				   void *ctx);

/*
 * Call fn for every file with samples whose frames may be poorly named:
 * without a symbol table or DWARF, or with frames left unnamed. samples:
 * the samples with a frame in it; unnamed: those with a frame in it that
 * has no name (after session_finish()).
 */
void session_for_each_poor_file(struct session *s,
				void (*fn)(void *ctx, const char *path,
					   int has_symtab, int has_debuginfo,
					   uint64_t samples, uint64_t unnamed),
				void *ctx);

#endif
