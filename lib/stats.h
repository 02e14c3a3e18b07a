#ifndef FG_STATS_H
#define FG_STATS_H

/*
 * Small-sample statistics, to tell whether a function's share of the
 * samples changed between two sets of repeated runs (a handful to a few
 * tens of runs a side): mean and standard deviation of a set of runs,
 * the setting aside of a wild one, Welch's two-sample t-test on two such
 * summaries, and the Holm-Bonferroni adjustment when many functions are
 * tested at once. The special functions behind the test (incomplete beta,
 * Student's t tail) are public so that they can be checked against tables.
 *
 * Functions of their arguments only: no global state, nothing owned,
 * thread-safe. Out-of-domain arguments give NaN and NaN inputs give NaN
 * results, never an error. Only stats_holm() and stats_set_aside()
 * allocate (scratch arrays, with xmalloc()).
 */

#include "common.h"

/* n values: their mean, and sd the sample standard deviation (n - 1). */
struct stats_summary {
	size_t n;
	double mean, sd;
};

/*
 * Summarize the n values at x into *out (which must not be NULL). mean is
 * 0 when n is 0; sd is 0 when n < 2. x may be NULL when n is 0.
 */
void stats_summarize(const double *x, size_t n, struct stats_summary *out);

/*
 * Set aside, of the n values at x, up to max of those farthest from their
 * median, each only when it lies more than k times the median absolute
 * deviation (MAD) from it, the MAD is not 0 and it lies at least min_dev
 * from it: one value that went wild among a handful, which would drown a
 * test in its spread. The values kept are moved to the front of x, in
 * their order; returns how many.
 */
size_t stats_set_aside(double *x, size_t n, double k, double min_dev, size_t max);

/*
 * The regularized incomplete beta function I_x(a, b) =
 * B(x; a, b) / B(a, b), for a > 0, b > 0 and 0 <= x <= 1 (NaN outside),
 * by its continued fraction (Lentz's method). Relative error about 1e-13
 * for a and b up to 1e3, growing as about max(a, b) * 1e-15 beyond.
 */
double stats_incomplete_beta(double a, double b, double x);

/*
 * The two-sided tail of Student's t distribution with df > 0 degrees of
 * freedom, P(|T| >= |t|): 1 at t = 0, 0 at t = +-INFINITY. df need not be
 * an integer; df = INFINITY is the normal distribution. NaN when df <= 0.
 * Relative error about 1e-13, 1e-12 at worst (t beyond 30, p below 1e-190).
 */
double stats_t_two_sided(double t, double df);

/*
 * Welch's two-sample t-test of a against b (unequal variances,
 * Welch-Satterthwaite degrees of freedom): returns the two-sided p-value
 * and, when t and df are not NULL, stores there the statistic (positive
 * when b's mean is above a's) and the degrees of freedom.
 *
 * Degenerate cases: when a or b has n < 2 the test cannot be made, p is 1,
 * *t 0 and *df 0. When both standard deviations are 0, p is 1 if the
 * means are equal (*t 0) and 0 if not (*t +-INFINITY); *df is then
 * a->n + b->n - 2, the value for equal variances.
 */
double stats_welch(const struct stats_summary *a, const struct stats_summary *b,
		   double *t, double *df);

/*
 * Holm-Bonferroni step-down adjustment of the n p-values at p, in place,
 * each one staying at its index: with p_(1) <= ... <= p_(n) in ascending
 * order, the adjusted p_(i) is the maximum over j <= i of
 * min(1, (n - j + 1) p_(j)). A test is significant at family-wise error
 * rate alpha when its adjusted p-value is <= alpha. A NaN is ordered after
 * every number and stays NaN (it still counts in n). p may be NULL when n
 * is 0.
 */
void stats_holm(double *p, size_t n);

#endif
