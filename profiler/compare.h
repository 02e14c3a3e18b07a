#ifndef FG_COMPARE_H
#define FG_COMPARE_H

/*
 * Comparing two profiles made of repeated runs (--repeat) function by
 * function, on shares: a function's self share in a run is the samples
 * whose leaf it is over all the run's samples; its total share counts
 * the samples whose stack holds it anywhere (once, however often it
 * recurses). Shares, not counts, so that runs of different lengths
 * compare.
 *
 * Each side is the functions' counts in each of its runs (struct
 * compare_side, filled a run at a time from folded stacks, the root
 * frame, the process name, left out). compare_sides() then tests, when
 * both sides have at least COMPARE_MIN_RUNS runs, each function whose
 * mean self (or total) share reaches min_share on either side for a
 * change of that share: Welch's t-test over the runs' shares (sound for a
 * handful of runs: it does not assume that both sides vary alike; a share
 * that went wild in one run of five or more is set aside first, see
 * COMPARE_WILD_MADS), the
 * p-values of all the tests made adjusted together by Holm's method, so
 * that alpha bounds the chance that a comparison of two unchanged
 * programs flags anything at all. A change smaller than min_change is
 * within the noise however certain it is (as criterion's noise threshold):
 * when one function grows, every other one's share shrinks a little, and
 * that is no news. A share's spread is taken to be at
 * least what rounding a count to a whole sample gives (see share_floor()).
 * A function whose self count equals its
 * total count in every run (a leaf) is tested once, on its total share.
 *
 * The report writers say the same in Markdown (for a CI comment) and in
 * JSON, and compare_print() in a few lines for the terminal.
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "../lib/error.h"
#include "../lib/stacks.h"
#include "../lib/stats.h"
#include "../lib/strmap.h"

/* The fewest runs a side for which significance is given. */
#define COMPARE_MIN_RUNS 3

/*
 * A share that lies more than COMPARE_WILD_MADS median absolute deviations
 * and at least min_change from its median over a side's runs is set aside,
 * in at most one run in COMPARE_MIN_ASIDE (sides of fewer runs keep all).
 * Such a run went wrong: on a virtual machine the host stalls the sampling
 * timer now and then for tens of milliseconds, the samples of that moment
 * are lost and the function that ran then loses points of its share in
 * that run alone. Kept, its spread would hide any change of that share.
 * (Of 5-run sides of the shares fixture recorded here, quiet and busy,
 * under 7 in 100 of the main shares lost a run, and the A/A false alarms
 * stayed under 1 in 200.)
 */
#define COMPARE_WILD_MADS 8
#define COMPARE_MIN_ASIDE 5

/* A function's counts, run by run. */
struct compare_fn {
	const char *name;	/* the map's copy, NUL-terminated */
	size_t len;
	uint64_t *self, *total;	/* nruns each */
};

struct compare_side {
	size_t nruns;
	uint64_t *run_total;	/* every value of each run (what shares are of) */
	uint64_t *run_samples;	/* the samples of each run (what the values
				   were counted from: their precision) */
	struct strmap names;	/* name -> index in fns */
	struct compare_fn *fns;
	size_t nfns, fns_alloc;
	uint64_t stamp;		/* the stack being counted (total once) */
	uint64_t *seen;		/* by function: the stamp it was last counted at */
	size_t seen_alloc;
};

void compare_side_init(struct compare_side *s, size_t nruns);
void compare_side_release(struct compare_side *s);

/*
 * Add the folded stacks of t (its counts; not differential) as run `run`
 * (0 to nruns - 1) of s, counted from `samples` samples (0: t's counts
 * are samples).
 */
void compare_side_add_run(struct compare_side *s, size_t run,
			  const struct stack_table *t, uint64_t samples);

enum compare_kind { COMPARE_SELF, COMPARE_TOTAL };

/* One share compared: its runs on each side, the change and the test. */
struct compare_change {
	const char *name;	/* the function, the sides' copy */
	size_t len;
	enum compare_kind kind;
	struct stats_summary base, new;	/* the runs' shares (0 to 1) kept */
	size_t base_aside, new_aside;	/* the runs set aside (wild) */
	double delta;			/* new.mean - base.mean */
	double p;			/* Holm-adjusted p-value; NAN: not tested */
	int significant;		/* p <= alpha and |delta| >= min_change */
};

struct compare_opts {
	double min_share;	/* a share tested reaches it on a side (0.005) */
	double alpha;		/* the family-wise error rate (0.01) */
	double min_change;	/* a smaller change is within the noise (0.005) */
};

struct compare_result {
	size_t base_runs, new_runs;
	struct stats_summary base_samples, new_samples;	/* samples a run */
	int tested;		/* both sides have COMPARE_MIN_RUNS runs */
	size_t ntests;		/* the tests made (0 when not tested) */
	size_t nsignificant;
	/*
	 * Every share compared (a function's self and total share reaching
	 * min_share on a side), the significant ones first, then by the size
	 * of the change, largest first.
	 */
	struct compare_change *changes;
	size_t nchanges, changes_alloc;
	struct compare_opts opts;
	double base_floor, new_floor;	/* the least spread of a share a side */
};

/*
 * Compare new against base (their sides must outlive r, which points to
 * their names). Returns 0, or -FG_ERR_NO_STACKS when a side has no
 * samples.
 */
int compare_sides(const struct compare_side *base, const struct compare_side *new,
		  const struct compare_opts *o, struct compare_result *r);
void compare_result_release(struct compare_result *r);

/*
 * The largest significant growth of a share, in percentage points (0 when
 * none grew significantly).
 */
double compare_worst_growth(const struct compare_result *r);

/* What the report says of the two sides and of the threshold of failure. */
struct compare_report {
	const char *base_name;		/* the base file */
	const char *new_name;		/* what was compared with it */
	double fail_points;		/* --fail-on-regression; < 0: none */
};

/* The comparison as Markdown, or as a JSON document. 0 or -FG_ERR_IO. */
int compare_write_markdown(const struct compare_result *r,
			   const struct compare_report *info, FILE *out);
int compare_write_json(const struct compare_result *r,
		       const struct compare_report *info, FILE *out);

/*
 * The comparison in a few lines for the terminal: the runs, then the
 * significant changes (at most max), or why none could be given.
 */
void compare_print(const struct compare_result *r, size_t max, FILE *out);

/*
 * One change in words for a frame's title or a table: "total share
 * 20.00% ± 0.21 → 22.31% ± 0.18, +2.31 points, p = 4.1e-05", appended to b.
 */
void compare_describe(const struct compare_change *c, struct fg_buf *b);

#endif
