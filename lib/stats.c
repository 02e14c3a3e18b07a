/* Small-sample statistics: summaries, Welch's t-test, Holm's adjustment (see stats.h). */
#include "stats.h"

#include <math.h>

/*
 * The continued fraction stops when a step changes it by less than
 * BETA_EPS relative. Used on the side of its symmetry point where it
 * converges fast, it takes at most a few hundred steps for a and b up to
 * 1e5 (under 100 for the t tail); BETA_MAX_STEPS only bounds the
 * loop. BETA_TINY stands in for a zero denominator, as Lentz's method
 * prescribes.
 */
#define BETA_EPS 1e-15
#define BETA_MAX_STEPS 10000
#define BETA_TINY 1e-300

/* From this df on, the t tail comes from t_tail_large_df(). */
#define T_LARGE_DF 1e4

void stats_summarize(const double *x, size_t n, struct stats_summary *out)
{
	double sum = 0, dev = 0, sq = 0, var;
	size_t i;

	out->n = n;
	out->mean = 0;
	out->sd = 0;
	if (!n)
		return;
	for (i = 0; i < n; i++)
		sum += x[i];
	out->mean = sum / (double)n;
	if (n < 2)
		return;
	/*
	 * Two passes, the second over the deviations from the mean; dev,
	 * which would be 0 in exact arithmetic, corrects the rounding of
	 * the mean.
	 */
	for (i = 0; i < n; i++) {
		double d = x[i] - out->mean;

		dev += d;
		sq += d * d;
	}
	var = (sq - dev * dev / (double)n) / (double)(n - 1);
	out->sd = var > 0 ? sqrt(var) : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the n (> 0) values at x, which it sorts. */
static double median_of(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

size_t stats_set_aside(double *x, size_t n, double k, double min_dev, size_t max)
{
	double *dev, *scratch, med, mad;
	size_t i, kept, gone = 0;

	if (n < 3 || !max)
		return n;
	dev = xmalloc(2 * n * sizeof(*dev));
	scratch = dev + n;
	memcpy(scratch, x, n * sizeof(*x));
	med = median_of(scratch, n);
	for (i = 0; i < n; i++)
		scratch[i] = dev[i] = fabs(x[i] - med);
	mad = median_of(scratch, n);
	/* the farthest first, while it is far enough; NaN is never far */
	while (mad > 0 && gone < max) {
		size_t far = SIZE_MAX;

		for (i = 0; i < n; i++)
			if (dev[i] > k * mad && dev[i] >= min_dev &&
			    (far == SIZE_MAX || dev[i] > dev[far]))
				far = i;
		if (far == SIZE_MAX)
			break;
		dev[far] = -1;		/* set aside */
		gone++;
	}
	for (i = kept = 0; i < n; i++)
		if (dev[i] >= 0 || isnan(dev[i]))
			x[kept++] = x[i];
	free(dev);
	return kept;
}

/*
 * The tail of Stirling's series: lgamma(x) = (x - 1/2) log(x) - x +
 * log(2 pi) / 2 + stirling_tail(x), to 1e-17 for x >= 100.
 */
static double stirling_tail(double x)
{
	double r = 1 / (x * x);

	return (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r / 1680))) / x;
}

/*
 * log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), a, b > 0. When one
 * of them is large, its two lgamma() terms nearly cancel and their
 * rounding would swamp the result (at a = 5e4 only nine digits would
 * be left): Stirling's series gives their difference directly,
 *
 *	lgamma(a) - lgamma(a + b) = -(a - 1/2) log1p(b / a) - b log(a + b)
 *				    + b + stirling_tail(a) - stirling_tail(a + b)
 *
 * lgamma_r(), not lgamma(): the latter sets the global signgam.
 */
static double log_beta(double a, double b)
{
	int sign;

	if (a < b) {
		double tmp = a;

		a = b;
		b = tmp;
	}
	if (a < 100)
		return lgamma_r(a, &sign) + lgamma_r(b, &sign) - lgamma_r(a + b, &sign);
	return lgamma_r(b, &sign) - (a - 0.5) * log1p(b / a) - b * log(a + b) + b +
	       stirling_tail(a) - stirling_tail(a + b);
}

/*
 * I_x(a, b) for 0 < x < 1, y = 1 - x, by its continued fraction
 *
 *	I_x(a, b) = x^a y^b / (a B(a, b)) / (1 + d1 / (1 + d2 / (1 + ...)))
 *
 * with d(2m + 1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
 * d(2m) = m (b - m) x / ((a + 2m - 1)(a + 2m)). It converges fast for
 * x < (a + 1) / (a + b + 2) only: see incomplete_beta().
 */
static double beta_fraction(double a, double b, double x, double y)
{
	double f = 1, c = 1, d = 0, front;
	/* log(x) and log(y), each from the smaller of x and y, the precise one */
	double lx = x < 0.5 ? log(x) : log1p(-y), ly = y < 0.5 ? log(y) : log1p(-x);
	int j;

	/*
	 * The modified Lentz method for f = 1 + d1 / (1 + d2 / (1 + ...)):
	 * c and d are the ratios of successive numerators and denominators
	 * of the convergents, f their running product.
	 */
	for (j = 1; j <= BETA_MAX_STEPS; j++) {
		double m, dj, step;

		if (j & 1) {
			m = (j - 1) / 2;
			dj = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		} else {
			m = j / 2;
			dj = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		}
		d = 1 + dj * d;
		if (fabs(d) < BETA_TINY)
			d = BETA_TINY;
		c = 1 + dj / c;
		if (fabs(c) < BETA_TINY)
			c = BETA_TINY;
		d = 1 / d;
		step = c * d;
		f *= step;
		if (fabs(step - 1) < BETA_EPS)
			break;
	}

	front = exp(a * lx + b * ly - log_beta(a, b)) / a;
	return front / f;
}

/*
 * I_x(a, b) with y = 1 - x given too, so that callers which know y more
 * precisely than 1 - x would give it (the t tail, for small t) keep that
 * precision.
 */
static double incomplete_beta(double a, double b, double x, double y)
{
	if (isnan(a) || isnan(b) || isnan(x) || isnan(y) || a <= 0 || b <= 0 ||
	    x < 0 || x > 1)
		return NAN;
	if (x == 0)
		return 0;
	if (y == 0)
		return 1;
	/* Past the point where the fraction is slow, by symmetry. */
	if (x >= (a + 1) / (a + b + 2))
		return 1 - beta_fraction(b, a, y, x);
	return beta_fraction(a, b, x, y);
}

double stats_incomplete_beta(double a, double b, double x)
{
	return incomplete_beta(a, b, x, 1 - x);
}

/*
 * The t tail for large df from the normal one, by Hill's asymptotic
 * expansion (G. W. Hill, Algorithm 395, Comm. ACM 13, 1970): with
 * a = df - 1/2 and z^2 = a log(1 + t^2 / df), P(|T| >= t) = P(|Z| >= y)
 * for the y below. Its error falls as about df^-6: under 1e-12 relative
 * from df = 1e4 on, where the continued fraction starts losing digits to
 * cancellation (about df * 1e-16).
 */
static double t_tail_large_df(double t, double df)
{
	double a = df - 0.5, b = 48 * a * a;
	double z2 = a * log1p(t * t / df), y;

	y = ((((-0.4 * z2 - 3.3) * z2 - 24) * z2 - 85.5) / (0.8 * z2 * z2 + 100 + b) +
	     z2 + 3) / b + 1;
	return erfc(y * sqrt(z2) / sqrt(2));
}

double stats_t_two_sided(double t, double df)
{
	double r, x, y;

	if (isnan(t) || isnan(df) || df <= 0)
		return NAN;
	t = fabs(t);
	if (t == 0)
		return 1;
	if (isinf(t))
		return 0;
	if (isinf(df))
		return erfc(t / sqrt(2));
	if (df >= T_LARGE_DF)
		return t_tail_large_df(t, df);
	/*
	 * P(|T| >= t) = I_x(df / 2, 1 / 2) with x = df / (df + t^2), and
	 * y = 1 - x = t^2 / (df + t^2), both from r = t^2 / df so that
	 * neither overflows nor loses the small one to cancellation.
	 */
	r = t * t / df;
	if (r <= 1) {
		x = 1 / (1 + r);
		y = r / (1 + r);
	} else {
		r = 1 / r;
		x = r / (1 + r);
		y = 1 / (1 + r);
	}
	return incomplete_beta(df / 2, 0.5, x, y);
}

double stats_welch(const struct stats_summary *a, const struct stats_summary *b,
		   double *t, double *df)
{
	double na = (double)a->n, nb = (double)b->n;
	double va, vb, se2, diff, tv, dfv, p;

	if (a->n < 2 || b->n < 2) {
		tv = 0;
		dfv = 0;
		p = 1;
		goto out;
	}
	/* The squared standard errors of the two means, and of their difference. */
	va = a->sd * a->sd / na;
	vb = b->sd * b->sd / nb;
	se2 = va + vb;
	diff = b->mean - a->mean;
	if (se2 == 0 && !isnan(diff)) {
		tv = diff == 0 ? 0 : copysign(INFINITY, diff);
		dfv = na + nb - 2;
		p = diff == 0 ? 1 : 0;
		goto out;
	}
	tv = diff / sqrt(se2);
	/*
	 * Welch-Satterthwaite: df = se2^2 / (va^2 / (na - 1) + vb^2 / (nb - 1)),
	 * computed on va / se2 and vb / se2 (both in [0, 1]) so that tiny
	 * variances do not underflow when squared.
	 */
	va /= se2;
	vb /= se2;
	dfv = 1 / (va * va / (na - 1) + vb * vb / (nb - 1));
	p = stats_t_two_sided(tv, dfv);
out:
	if (t)
		*t = tv;
	if (df)
		*df = dfv;
	return p;
}

struct holm_rank {
	double p;
	size_t i;	/* where p is in the caller's array */
};

/* Ascending p, NaN last; equal p-values by index, for a stable order. */
static int holm_cmp(const void *va, const void *vb)
{
	const struct holm_rank *a = va, *b = vb;
	int na = !!isnan(a->p), nb = !!isnan(b->p);

	if (na != nb)
		return na - nb;
	if (!na && a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

void stats_holm(double *p, size_t n)
{
	struct holm_rank *r;
	double run = 0;
	size_t k;

	if (!n)
		return;
	r = xmalloc(st_mult(n, sizeof(*r)));
	for (k = 0; k < n; k++) {
		r[k].p = p[k];
		r[k].i = k;
	}
	qsort(r, n, sizeof(*r), holm_cmp);
	/* r[k] is p_(k + 1): its factor is n - (k + 1) + 1 = n - k. */
	for (k = 0; k < n && !isnan(r[k].p); k++) {
		double adj = (double)(n - k) * r[k].p;

		if (adj > 1)
			adj = 1;
		if (adj < run)
			adj = run;
		run = adj;
		p[r[k].i] = adj;
	}
	free(r);
}
