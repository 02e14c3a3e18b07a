#ifndef FG_CLI_DIFF_H
#define FG_CLI_DIFF_H

/*
 * --diff-base and what goes with it: the base profile (folded stacks, or
 * pprof with the runs of --repeat), the comparison of the profile drawn
 * with it on shares (profiler/compare.h), the differential table the SVG
 * and folded outputs draw (the base scaled to the new profile's total, or
 * as it is with --diff-mode counts), the verdicts the SVG colours by,
 * --report and --fail-on-regression. The state lives in o->diff, freed
 * by run_opts_release().
 *
 * Each function returns 0 or an exit status, after printing the error.
 */

#include "run.h"

/*
 * Read o->diff_base (once; later calls do nothing), before a recording
 * when there is one, so that a bad base costs no recording. A base that
 * cannot show significance (fewer than 3 runs) is an error with
 * --fail-on-regression.
 */
int run_diff_load(struct fg_run_opts *o);

/*
 * Compare p, as view folds it (its sample type, --skip-after), with the
 * base, run by run; with 3 runs a side the SVG outputs get verdicts
 * (o->svg.verdicts).
 */
int run_diff_compare(struct fg_run_opts *o, const struct profile *p,
		     const struct profile_view *view, const char *source);

/* Replace t by the differential table of the base (before) and t (after). */
int run_diff_table(struct fg_run_opts *o, struct stack_table *t);

/*
 * After every output (ret: the exit status so far): the --report file,
 * the comparison on standard error, and EXIT_REGRESSION when a share grew
 * significantly past --fail-on-regression. Returns the exit status.
 */
int run_diff_finish(struct fg_run_opts *o, int ret);

void run_diff_release(struct fg_run_opts *o);

#endif
