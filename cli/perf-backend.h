#ifndef FG_CLI_PERF_BACKEND_H
#define FG_CLI_PERF_BACKEND_H

/*
 * The perf backend, for what the native engine does not do: recording with
 * `perf record` and the user's own perf arguments (-c), compressed perf.data
 * (-z), and rendering existing recordings (--perfdata). perf.data files are
 * read natively (profiler/perf-data.h); `perf script` is run only for what
 * the native reader cannot handle, its text streamed into the collapser.
 *
 * The perf program is $PERF, or "perf" from PATH.
 */

#include "profile-opts.h"
#include "run.h"

/* Does p ask for perf (-c or -z)? */
int perf_backend_wanted(const struct fg_profile_opts *p);

/*
 * Record argv (argc > 0) or p->pids with perf record, then render the data
 * as perfdata_render() does. Returns the exit status.
 */
int perf_backend_record(struct fg_run_opts *o, struct fg_profile_opts *p,
			int argc, const char **argv);

/*
 * Render the perf.data file at path. workload_failed: the recorded
 * command failed (the exit status is then 1 unless --ignore-status).
 * Returns the exit status.
 */
int perfdata_render(struct fg_run_opts *o, struct fg_profile_opts *p,
		    const char *path, int workload_failed);

#endif
