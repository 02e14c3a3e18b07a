#ifndef FG_CLI_PROFILE_H
#define FG_CLI_PROFILE_H

/*
 * Profiling a workload with the native engine: record (profiler/record.h),
 * unwind and aggregate while recording (profiler/session.h), fold, then
 * render through the run pipeline. Shared by flamegraph (-- CMD, -p PID)
 * and cargo-flamegraph.
 *
 * The options are in profile-opts.h (included here for the front-ends);
 * the messages after a recording, shared with the perf backend, in
 * report.h.
 */

#include "run.h"
#include "profile-opts.h"

/*
 * Profile argv (when argc > 0) or the processes of p->pids, then render.
 * Returns the exit status.
 */
int profile_run(struct fg_run_opts *o, struct fg_profile_opts *p,
		int argc, const char **argv);

#endif
