#ifndef FG_CLI_PROFILE_OPTS_H
#define FG_CLI_PROFILE_OPTS_H

/*
 * The recording options both front-ends share: struct fg_profile_opts,
 * the option rows that set it (FG_RECORD_OPTIONS, concatenated into each
 * front-end's table) and their callbacks, and profile_opts_finish(), which
 * settles the text given into what the native engine (profile.h) and the
 * perf backend (perf-backend.h) read. The struct owns only the -p list and
 * the settled pids, freed by profile_opts_release(). Usage errors are
 * printed (error()) and returned as -1. Not thread-safe.
 */

#include "options.h"
#include "../profiler/record.h"

struct fg_profile_opts {
	struct fg_strlist pid_args;	/* -p values as given, "1,2" allowed */
	const char *event;
	unsigned freq;
	int freq_set;
	const char *call_graph_arg;	/* --call-graph as given: "dwarf[,BYTES]" or "fp" */
	double duration;
	int no_inline;
	int ignore_status;
	unsigned ring_kb;		/* --ring-kb (0: the default too) */
	const char *workdir;		/* run the command there (cargo tests) */
	char *const *env;		/* "NAME=VALUE" added to its environment */
	const char *what;		/* the workload in messages, or NULL */
	const char *told_about;		/* a file whose missing symbols or debug
					   info the front-end told of already */
	int off_cpu;			/* --off-cpu */
	int wall;			/* --wall */
	const char *off_cpu_threshold;	/* --off-cpu-threshold as given */
	int off_cpu_preempted;		/* --off-cpu-include-preempted */
	unsigned repeat;		/* --repeat: runs of the command */

	/* The perf backend (cli/perf-backend.c). */
	const char *custom_cmd;		/* -c: perf arguments, "record" included */
	const char *compression;	/* -z level, or NULL */
	const char *root;		/* --root sudo flags ("" for none), or NULL */
	const char *perfdata;		/* --perfdata FILE (flamegraph only) */
	int root_via_perf;		/* --root records with sudo perf (cargo) */
	int argc;			/* the command line, for --root to run */
	const char **argv;		/* ourselves again under sudo */

	/*
	 * What --call-graph and -p come to, settled by profile_opts_finish():
	 * everything after it (the native engine, the perf backend) reads
	 * these, never the text given.
	 */
	enum record_callgraph call_graph;
	unsigned stack_size;		/* CG_DWARF: bytes copied, a multiple of 8 */
	pid_t *pids;			/* -p, in the order given; NULL when none */
	size_t npids;
	enum record_mode mode;		/* --off-cpu, --wall */
	uint64_t off_cpu_min_ns;	/* --off-cpu-threshold */
};

/* The hidden --owner UID:GID: files written are given to that user. */
int opt_owner_cb(const struct fg_option *opt, const char *arg);

void profile_opts_init(struct fg_profile_opts *p);

/*
 * Settle p->call_graph_arg and p->pid_args into p->call_graph,
 * p->stack_size, p->pids and p->npids (replacing an earlier settling, so
 * it may be called again). profile_run() calls it first. Returns 0, or -1
 * after printing a usage error.
 */
int profile_opts_finish(struct fg_profile_opts *p);

/* Free the -p list and the settled pids (the other fields own nothing). */
void profile_opts_release(struct fg_profile_opts *p);

int opt_freq_cb(const struct fg_option *opt, const char *arg);

#define FG_RECORD_OPTIONS(p) \
	OPT_GROUP("Recording"), \
	OPT_CALLBACK('F', "freq", (p), "HZ", \
		"Sampling frequency in samples per second", FG_STR(FG_DEFAULT_FREQ), \
		opt_freq_cb, 0), \
	OPT_CHOICE('e', "event", &(p)->event, "EVENT", \
		"What to sample on", FG_DEFAULT_EVENT, record_event_names), \
	OPT_STRING_VALUES(0, "call-graph", &(p)->call_graph_arg, "MODE", \
		"How stacks are recorded: dwarf[,BYTES] (a copy of BYTES of the user " \
		"stack, unwound with DWARF CFI) or fp (frame pointers, for programs " \
		"built with them)", FG_DEFAULT_CALL_GRAPH, \
		FG_VALUES("dwarf", "dwarf,16384", "dwarf,32768", \
			  "dwarf," FG_STR(FG_MAX_STACK_SIZE), "fp")), \
	OPT_DOUBLE(0, "duration", &(p)->duration, "SECS", \
		"Stop recording after SECS seconds (a command is then terminated)", NULL), \
	OPT_BOOL(0, "no-inline", &(p)->no_inline, \
		"Do not show inlined functions as frames of their own"), \
	OPT_BOOL(0, "ignore-status", &(p)->ignore_status, \
		"Exit 0 even when the profiled command failed"), \
	OPT_UINT(0, "repeat", &(p)->repeat, "N", \
		"Run the command N times, each run a part of the profile (pprof " \
		"label 'run'), so that --diff-base can tell changes from noise", \
		FG_STR(FG_DEFAULT_REPEAT)), \
	OPT_UINT(0, "ring-kb", &(p)->ring_kb, "KB", \
		"Size of each per-CPU ring buffer", FG_STR(FG_DEFAULT_RING_KB)), \
	OPT_BOOL(0, "off-cpu", &(p)->off_cpu, \
		"Profile where threads wait off the CPU (locks, sleeps, I/O), weighted " \
		"by how long, instead of where they compute"), \
	OPT_BOOL(0, "wall", &(p)->wall, \
		"Profile each thread's whole time, on the CPU and off it, in " \
		"nanoseconds (one root per thread)"), \
	OPT_STRING(0, "off-cpu-threshold", &(p)->off_cpu_threshold, "DURATION", \
		"Leave out blocks shorter than DURATION (500ns, 10us, 2ms, 1s)", "0"), \
	OPT_BOOL(0, "off-cpu-include-preempted", &(p)->off_cpu_preempted, \
		"With --off-cpu, count the time threads wait for a CPU after being " \
		"preempted too"), \
	OPT_STRING('c', "cmd", &(p)->custom_cmd, "ARGS", \
		"Record with perf instead of the native engine, with these perf " \
		"arguments ('record' included; split on whitespace; '-o FILE' " \
		"names the data file, else perf.data)", NULL), \
	{ .type = OPTION_STRING, .short_name = 'z', .long_name = "compression-level", \
	  .value = &(p)->compression, .argh = "N", .flags = OPT_OPTARG, \
	  .optarg_default = "1", \
	  .help = "Record with perf, compressing perf.data with zstd level N (1 when " \
		  "no level is given)" }, \
	{ .type = OPTION_STRING, .long_name = "root", .value = &(p)->root, \
	  .argh = "SUDO_FLAGS", .flags = OPT_OPTARG, .optarg_default = "", \
	  .help = "Record as root through sudo (with SUDO_FLAGS); the files " \
		  "written stay owned by you" }

#endif
