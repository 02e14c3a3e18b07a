#ifndef FG_PROFILE_H
#define FG_PROFILE_H

/*
 * struct profile: one profile in memory, what every reader fills and every
 * writer reads. It keeps what a folded line loses: which thread each
 * sample came from, the code address and the file of every frame, the
 * inline chain at each address, and the unit of the values.
 *
 *   sample types  (type, unit) pairs, e.g. ("samples", "count") and
 *                 ("cpu", "nanoseconds"): each sample has one value of each
 *   mappings      the files code ran from: path, build-id, where it was
 *                 mapped, whether it had a symbol table and DWARF
 *   locations     a mapping and a file-relative address, with the chain of
 *                 functions at that address (inlined ones first, the
 *                 function that holds the code last); text inputs make
 *                 locations with a name and no address
 *   stacks        interned arrays of location ids, outermost frame first
 *                 (the process name is not a frame: it comes from the thread)
 *   threads       pid, tid, the thread's name when sampled, the process name
 *   samples       aggregated: (stack, thread) -> one value per sample type,
 *                 in the order each pair was first seen
 *   runs          a profile of repeated runs of a workload (--repeat) knows
 *                 which run each thread ran in: a thread belongs to one
 *                 run, so a sample does too
 *
 * Ids are indexes, stable once given. The profile owns copies of every
 * string it is given. Memory grows with the distinct (stack, thread) pairs,
 * never with the length of the recording. Not thread-safe.
 *
 * Writers apply views (struct profile_view: pid or tid in the root frame,
 * --skip-after) when they write, so the same profile can be written
 * several ways.
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "../lib/arena.h"
#include "../lib/intmap.h"
#include "../lib/stacks.h"
#include "timeline.h"

#define PROFILE_MAX_TYPES 4

struct profile_value_type {
	const char *type;	/* "samples", "cpu" */
	const char *unit;	/* "count", "nanoseconds" */
};

struct profile_mapping {
	const char *path;		/* as the kernel or the input named it */
	const char *base;		/* its last component */
	unsigned char build_id[20];
	int build_id_len;
	uint64_t start, limit;		/* first mapping of it seen */
	uint64_t offset;		/* file offset of start */
	unsigned has_symtab:1;		/* a symbol table (.symtab or .dynsym) */
	unsigned has_debuginfo:1;	/* DWARF */
	unsigned kernel:1;		/* the kernel's own code */
};

struct profile_line {
	const char *function;		/* demangled, as shown */
	const char *system_name;	/* mangled, or NULL */
	const char *file;		/* source file, or NULL */
	uint32_t line;			/* 0: unknown */
	uint32_t start_line;		/* the function's first line (where it is
					   declared); 0: unknown */
};

struct profile_location {
	uint32_t mapping;	/* mapping id + 1; 0: none */
	uint32_t flags;		/* PROFILE_LOC_* */
	uint64_t address;	/* file-relative; 0 without a mapping */
	uint32_t first_line;	/* index of its first line in p->lines */
	uint32_t nlines;	/* 0: nothing names it */
};

/* A text input's frame: its name is written back as given, untidied. */
#define PROFILE_LOC_VERBATIM 1u
/* No code of the program: a frame naming a state ("[futex]", off-CPU). */
#define PROFILE_LOC_SYNTHETIC 2u

struct profile_thread {
	int32_t pid, tid;
	const char *name;	/* the thread's name (comm) when sampled; "" unknown */
	const char *root;	/* its root frame in folded text: the name
				   without spaces or separators, or "[unknown]" */
	uint32_t run;		/* the run it ran in (--repeat: 1, 2...); 0 none */
};

/*
 * A stack: n location ids from stack_ids[off]. A text input's stack also
 * keeps its text ("a;b;c", a NUL byte read as '?'), which is what a fold
 * writes; its ids are made only when asked (profile_resolve_text()): n is
 * 0 until then. A rooted text stack (profile_rooted_text_stack()) has its
 * thread's root frame and a ';' in the root_len bytes before text, so
 * that a fold finds the whole folded line, and its hash, ready.
 */
struct profile_stack {
	size_t off;
	uint32_t n;
	uint32_t text_len;
	const char *text;	/* NULL: not from text */
	uint32_t root_len;	/* bytes of "root;" before text */
	uint32_t first_sample;	/* index + 1 of its first sample; 0: none */
	uint64_t hash;		/* text stacks: hash_bytes() of the root_len +
				   text_len bytes from text - root_len */
};

struct profile_sample {
	uint32_t stack;
	uint32_t thread;	/* thread id + 1; 0: none (text inputs) */
};

struct profile_meta {
	const char *command;		/* command line, or NULL */
	uint64_t start_ns;		/* wall-clock start, 0 unknown */
	uint64_t duration_ns;		/* 0 unknown */
	const char *event;		/* "cpu-clock", NULL unknown */
	uint64_t frequency;		/* samples per second, 0 unknown */
	uint64_t period;		/* fixed period, 0 unknown */
	uint64_t lost;			/* samples the kernel dropped */
	uint64_t stacks_walked;		/* user stacks unwound */
	uint64_t stacks_complete;	/* of them, to the outermost frame */
	const char *default_type;	/* the sample type to show first (pprof's
					   default_sample_type), or NULL */
	/*
	 * Filled from text (folded stacks, perf script): locations are
	 * names only, and the reader applied --skip-after (perf script) or
	 * never did (folded stacks), so views leave it out.
	 */
	int from_text;
};

struct profile {
	struct profile_value_type types[PROFILE_MAX_TYPES];
	size_t ntypes;

	struct profile_mapping *mappings;
	size_t nmappings, mappings_alloc;
	struct profile_location *locations;
	size_t nlocations, locations_alloc;
	struct profile_line *lines;
	size_t nlines, lines_alloc;
	struct profile_thread *threads;
	size_t nthreads, threads_alloc;

	/* stacks: location ids of stack i are stack_ids[stacks[i].off ...] */
	uint32_t *stack_ids;
	size_t nstack_ids, stack_ids_alloc;
	struct profile_stack *stacks;
	size_t nstacks, stacks_alloc;

	struct profile_sample *samples;
	size_t nsamples, samples_alloc;
	uint64_t *values;		/* nsamples * ntypes */
	size_t values_alloc;

	struct profile_meta meta;

	/* runs: the threads added now belong to run `run` (0: none) */
	uint32_t run;
	uint32_t nruns;			/* the highest run begun; 0: no runs */

	/* every addition in order, when profile_keep_timeline() asked for it */
	struct timeline *timeline;

	/* private: interning */
	struct intmap stack_map, sample_map, thread_map, string_map, named_map;
	struct intmap text_map;
	struct arena texts;
	char **strings;
	size_t nstrings, strings_alloc;
};

/*
 * Start an empty profile with the given sample types (at least one, at
 * most PROFILE_MAX_TYPES). Release with profile_release().
 */
void profile_init(struct profile *p, const struct profile_value_type *types,
		  size_t ntypes);
void profile_release(struct profile *p);

/* A copy of str owned by the profile, the same pointer for equal strings. */
const char *profile_string(struct profile *p, const char *str, size_t len);

/* Add a mapping; returns its id. */
uint32_t profile_add_mapping(struct profile *p, const char *path,
			     const unsigned char *build_id, int build_id_len,
			     uint64_t start, uint64_t limit, uint64_t offset);

/*
 * Add a location (mapping: id + 1, 0 for none) with its lines, innermost
 * first (n may be 0: nothing names it). Returns its id. Locations are
 * not merged: readers add each distinct address once.
 */
uint32_t profile_add_location(struct profile *p, uint32_t mapping,
			      uint64_t address,
			      const struct profile_line *lines, size_t n);

/*
 * Fill location loc again (its lines so far stay in p->lines, unused): for
 * readers that give a location its id when first seen and name it later.
 */
void profile_set_location(struct profile *p, uint32_t loc, uint32_t mapping,
			  uint64_t address, const struct profile_line *lines, size_t n);

/*
 * The location of a function known only by name (text inputs): one per
 * distinct name, written back as given (PROFILE_LOC_VERBATIM). The name
 * holds no ';'; a NUL byte, which no name holds, becomes '?'.
 */
uint32_t profile_named_location(struct profile *p, const char *name, size_t len);

/*
 * The stack of a text input's frames: "a;b;c" (len bytes, outermost
 * first, split at every ';', so "a;;b" has an empty frame). The same text
 * gives the same stack, found with one hash of the text. Its frames
 * become named locations only when profile_resolve_text() is called: a
 * reader pays one lookup per line, and the writers that fold (SVG,
 * folded text) write the text as it came.
 */
uint32_t profile_text_stack(struct profile *p, const char *frames, size_t len);

/*
 * The text stack of the frames of a thread's sample: text is the thread's
 * root frame (profile_thread_root()), a ';', and the frames (len bytes in
 * all, root_len of them before the frames). A fold that shows roots as
 * they are (no pid or tid) hands the text to the stack table as it is,
 * with its hash: perf script text is hashed once per event, not again per
 * distinct stack. The frames hold no NUL byte (names are tidied first).
 */
uint32_t profile_rooted_text_stack(struct profile *p, const char *text, size_t len,
				   size_t root_len);

/*
 * Give every text stack its location ids (each frame a named location),
 * for writers that need frames (profile_stack_ids() of a text stack is
 * empty before).
 */
void profile_resolve_text(struct profile *p);

/*
 * The id of the thread (pid, tid, name) of the current run (p->run),
 * added on first use.
 */
uint32_t profile_thread(struct profile *p, int32_t pid, int32_t tid,
			const char *name, size_t len);

/*
 * The threads added from now on ran in run `run` (1, 2...; 0: none): the
 * recording of a repeated workload, or a reader's run label. A profile
 * has runs 1 to p->nruns, the highest begun.
 */
void profile_begin_run(struct profile *p, uint32_t run);

/*
 * The sum of sample type `value` over the samples of run `run` (0: the
 * samples of no run), saturating at UINT64_MAX.
 */
uint64_t profile_run_total(const struct profile *p, uint32_t run, int value);

/* The root frame of thread (id + 1) in folded text: see profile_thread. */
static inline const char *profile_thread_root(const struct profile *p, uint32_t thread)
{
	return p->threads[thread - 1].root;
}

/* The id of a stack (n location ids, outermost first), added on first use. */
uint32_t profile_stack(struct profile *p, const uint32_t *ids, size_t n);

/*
 * Location ids of a stack and their number (0, and NULL, for a text
 * stack not resolved yet).
 */
static inline const uint32_t *profile_stack_ids(const struct profile *p,
						uint32_t stack, size_t *n)
{
	*n = p->stacks[stack].n;
	return *n ? p->stack_ids + p->stacks[stack].off : NULL;
}

/*
 * Add values (one per sample type) to the sample (stack, thread), where
 * thread is a thread id + 1 (0: none). Returns 0, or
 * -FG_ERR_COUNT_OVERFLOW when a sum would overflow (the sample is then
 * unchanged).
 */
int profile_add(struct profile *p, uint32_t stack, uint32_t thread,
		const uint64_t *values);

/*
 * Keep a timeline from now on: profile_add_at() then also records each
 * addition, in order (timeline.h).
 */
void profile_keep_timeline(struct profile *p);

/*
 * profile_add() at a time (nanoseconds, or any increasing count: a text
 * input gives its line number). With a timeline, every addition is kept
 * there and the sums saturate at UINT64_MAX instead of failing; the
 * return is then 0, or -FG_ERR_IO when the timeline could not grow.
 */
int profile_add_at(struct profile *p, uint64_t time, uint32_t stack,
		   uint32_t thread, const uint64_t *values);

/* The values of sample i. */
static inline const uint64_t *profile_values(const struct profile *p, size_t i)
{
	return p->values + i * p->ntypes;
}

/*
 * Add a sample type (values 0 in every sample so far); returns its index,
 * or the index of type when the profile has it already.
 */
size_t profile_add_type(struct profile *p, const char *type, const char *unit);

/* Rename sample type i (the reader learnt what its values are). */
void profile_set_type(struct profile *p, size_t i, const char *type, const char *unit);

/* The index of sample type `type`, or -1. */
int profile_type_index(const struct profile *p, const char *type);

/*
 * How a writer shows a profile as folded stacks: the root frame is the
 * thread's name, with "-PID" (include_pid) or "-PID/TID" (include_tid);
 * with skip_after, a stack that holds one of these functions starts at
 * the one nearest the leaf (its callers and the root are left out).
 */
struct profile_view {
	int include_pid;
	int include_tid;
	const char *const *skip_after;	/* NULL-terminated, or NULL */
	int value;			/* index of the sample type to count */
	int before;			/* differential: index + 1 of the type of
					   the "before" counts; 0 none */
	int timeline;			/* every addition of the timeline in
					   order, not the sums */
	int by_thread;			/* with timeline: each thread's events
					   together (in time order), threads in
					   the order of their first event */
	int user_only;			/* leave out kernel frames and synthetic
					   ones (PROFILE_LOC_SYNTHETIC) */
	uint32_t run;			/* only the samples of this run (1...);
					   0: every sample */
};

/*
 * The folded name of a location's lines, outermost first, joined by ';'
 * and tidied as folded text needs (no ';' or control characters in a
 * frame, a C++ argument list cut), appended to out after a ';' unless it
 * is the first frame. A location nothing names is "[base of its
 * mapping]", or "[unknown]" without one; a text input's is its name as
 * given, empty too.
 */
void profile_location_fold(const struct profile *p, uint32_t loc, int first,
			   struct fg_buf *out);

/*
 * Add every sample (or with view->timeline, every event of the timeline,
 * which out should not merge) to out as folded stacks, as view says.
 * Returns 0 or a negative fg_error (a count overflow in out, or
 * -FG_ERR_IO reading the timeline back). out may point into p's text
 * stacks (stack_table_add_ref()): release it before p.
 */
int profile_fold(const struct profile *p, const struct profile_view *view,
		 struct stack_table *out);

/*
 * Tidy one function name (len bytes) for folded text, appended to b, the
 * same way for every input: ';' separates frames, so it becomes ':';
 * control characters become '?' (a line ends a stack, and names reach
 * terminals); the name is cut at its first '(' at depth 0 (depth counted
 * over "<{[(" and ">}])", so a stray closer leaves it negative and the
 * name whole), which drops a C++ argument list, except at its first byte,
 * in Go's ".(" and in "(anonymous namespace)".
 */
void profile_tidy_name(struct fg_buf *b, const char *name, size_t len);

#endif
