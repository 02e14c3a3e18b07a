/*
 * Unit tests for lib/stats.c: summaries, the incomplete beta function, the
 * t tail, Welch's test and Holm's adjustment. Expected values are exact
 * (closed forms, identities, hand computations shown in the comments) or
 * from printed t tables; the two marked "mpmath" were computed with
 * mpmath's betainc at 30 digits.
 */
#include "unit.h"
#include "../../lib/stats.h"

#include <math.h>

/* got within rel (relative) of want; a NaN never is. */
#define CHECK_CLOSE(got, want, rel) \
	do { double g_ = (got), w_ = (want); \
	     if (!(fabs(g_ - w_) <= (rel) * fabs(w_))) \
		unit_fail(__FILE__, __LINE__, "%s ~ %s: %.17g != %.17g", \
			  #got, #want, g_, w_); } while (0)

#define TOL 1e-9

TEST(stats_summarize)
{
	static const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	static const double big[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 };
	static const double same[] = { 0.25, 0.25, 0.25, 0.25 };
	static const double tenth[] = { 0.1, 0.1, 0.1, 0.1, 0.1 };
	double one = 42;
	struct stats_summary s;

	/* sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; var 32/7 */
	stats_summarize(x, ARRAY_SIZE(x), &s);
	CHECK_U64EQ(s.n, 8);
	CHECK(s.mean == 5);
	CHECK_CLOSE(s.sd, sqrt(32.0 / 7), 1e-15);
	/* a large offset does not swamp deviations of 1: var (1+0+1)/2 = 1 */
	stats_summarize(big, ARRAY_SIZE(big), &s);
	CHECK(s.mean == 1e9 + 2);
	CHECK_CLOSE(s.sd, 1, 1e-12);
	stats_summarize(same, ARRAY_SIZE(same), &s);
	CHECK(s.mean == 0.25 && s.sd == 0);
	stats_summarize(tenth, ARRAY_SIZE(tenth), &s);
	CHECK_CLOSE(s.mean, 0.1, 1e-15);
	CHECK(s.sd < 1e-16);
	/* n < 2: no spread */
	stats_summarize(&one, 1, &s);
	CHECK(s.n == 1 && s.mean == 42 && s.sd == 0);
	s.mean = s.sd = -1;
	stats_summarize(NULL, 0, &s);
	CHECK(s.n == 0 && s.mean == 0 && s.sd == 0);
}

/* Identities and closed forms of I_x(a, b). */
TEST(stats_incomplete_beta)
{
	static const double ab[][2] = {
		{ 2.5, 3.5 }, { 0.5, 0.5 }, { 10, 20 }, { 100, 200 }, { 0.2, 7 },
		{ 1e4, 3e4 }, { 0.01, 0.5 },
	};
	static const double xs[] = { 1e-6, 0.01, 0.1, 0.25, 0.3, 0.5, 0.7, 0.999 };
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(ab); i++) {
		double a = ab[i][0], b = ab[i][1];

		/* I_x(a, b) = 1 - I_{1-x}(b, a) */
		for (k = 0; k < ARRAY_SIZE(xs); k++) {
			double x = xs[k], v = stats_incomplete_beta(a, b, x);

			CHECK(v >= 0 && v <= 1);
			CHECK_CLOSE(v + stats_incomplete_beta(b, a, 1 - x), 1, 1e-12);
		}
	}
	for (k = 0; k < ARRAY_SIZE(xs); k++) {
		double x = xs[k];

		/* uniform: I_x(1, 1) = x */
		CHECK_CLOSE(stats_incomplete_beta(1, 1, x), x, 1e-13);
		/* I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b */
		CHECK_CLOSE(stats_incomplete_beta(0.5, 1, x), sqrt(x), 1e-13);
		CHECK_CLOSE(stats_incomplete_beta(3, 1, x), x * x * x, 1e-13);
		CHECK_CLOSE(stats_incomplete_beta(7.5, 1, x), pow(x, 7.5), 1e-12);
		CHECK_CLOSE(stats_incomplete_beta(1, 4, x), -expm1(4 * log1p(-x)), 1e-13);
		/* I_x(2, 2) = 3x^2 - 2x^3 */
		CHECK_CLOSE(stats_incomplete_beta(2, 2, x), x * x * (3 - 2 * x), 1e-13);
		/* arcsine: I_x(1/2, 1/2) = (2 / pi) asin(sqrt(x)) */
		CHECK_CLOSE(stats_incomplete_beta(0.5, 0.5, x),
			    2 / M_PI * asin(sqrt(x)), 1e-13);
	}
	/* symmetric: I_{1/2}(a, a) = 1/2 */
	CHECK_CLOSE(stats_incomplete_beta(0.7, 0.7, 0.5), 0.5, 1e-13);
	CHECK_CLOSE(stats_incomplete_beta(5, 5, 0.5), 0.5, 1e-13);
	CHECK_CLOSE(stats_incomplete_beta(300, 300, 0.5), 0.5, 1e-12);
	/* mpmath */
	CHECK_CLOSE(stats_incomplete_beta(10, 20, 0.4), 0.7853183897628261777, 1e-12);
	CHECK_CLOSE(stats_incomplete_beta(100, 200, 0.3), 0.1088430656449097575, 1e-11);
	CHECK_CLOSE(stats_incomplete_beta(2000, 3000, 0.39), 0.07415054971129805601, 1e-11);
	/* the ends, and out of the domain */
	CHECK(stats_incomplete_beta(2, 3, 0) == 0);
	CHECK(stats_incomplete_beta(2, 3, 1) == 1);
	CHECK(isnan(stats_incomplete_beta(0, 3, 0.5)));
	CHECK(isnan(stats_incomplete_beta(2, -1, 0.5)));
	CHECK(isnan(stats_incomplete_beta(2, 3, 1.5)));
	CHECK(isnan(stats_incomplete_beta(2, 3, -0.1)));
	CHECK(isnan(stats_incomplete_beta(2, 3, NAN)));
}

/* P(|T| >= t) for df = 4: 1 - t / sqrt(t^2 + 4) * (1 + 2 / (t^2 + 4)). */
static double t_tail_df4(double t)
{
	double s = t * t + 4;

	return 1 - fabs(t) / sqrt(s) * (1 + 2 / s);
}

/* Small df in closed form. */
TEST(stats_t_closed_forms)
{
	static const double ts[] = { 1e-4, 0.1, 0.5, 1, 1.5, 3, 10, 40, 1000, -2.5 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ts); i++) {
		double t = ts[i];

		/* df = 1, Cauchy: 1 - (2 / pi) atan(|t|) */
		CHECK_CLOSE(stats_t_two_sided(t, 1), 1 - M_2_PI * atan(fabs(t)), 1e-10);
		/* df = 2: 1 - |t| / sqrt(t^2 + 2) */
		CHECK_CLOSE(stats_t_two_sided(t, 2), 1 - fabs(t) / sqrt(t * t + 2), 1e-10);
		if (fabs(t) < 100)	/* the closed form cancels beyond */
			CHECK_CLOSE(stats_t_two_sided(t, 4), t_tail_df4(t), 1e-10);
		/* two-sided: the sign of t does not matter */
		CHECK(stats_t_two_sided(-t, 3.3) == stats_t_two_sided(t, 3.3));
	}
	/* the far tail keeps its relative precision: 2/pi (1/t - 1/(3t^3)) */
	CHECK_CLOSE(stats_t_two_sided(1e6, 1), 2 / M_PI * (1e-6 - 1e-18 / 3), 1e-12);
	CHECK(stats_t_two_sided(0, 3) == 1);
	CHECK(stats_t_two_sided(INFINITY, 3) == 0);
	CHECK(stats_t_two_sided(-INFINITY, 0.5) == 0);
	CHECK(stats_t_two_sided(1e200, 3) == 0);
	CHECK(stats_t_two_sided(1e-200, 3) == 1);
	CHECK(isnan(stats_t_two_sided(1, 0)));
	CHECK(isnan(stats_t_two_sided(1, -2)));
	CHECK(isnan(stats_t_two_sided(NAN, 5)));
	CHECK(isnan(stats_t_two_sided(1, NAN)));
}

/* Critical values from t tables, to 10 digits, and as printed (3 decimals). */
TEST(stats_t_tables)
{
	static const struct { double df, t10, t3, alpha; } v[] = {
		{ 4, 2.7764451052, 2.776, 0.05 },
		{ 8, 2.3060041352, 2.306, 0.05 },
		{ 8, 3.3553873313, 3.355, 0.01 },
		{ 3, 5.8409093097, 5.841, 0.01 },
		{ 30, 2.0422724563, 2.042, 0.05 },
		{ 20, 2.8453397098, 2.845, 0.01 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		CHECK_CLOSE(stats_t_two_sided(v[i].t10, v[i].df), v[i].alpha, 1e-8);
		CHECK_CLOSE(stats_t_two_sided(v[i].t3, v[i].df), v[i].alpha, 1e-3);
	}
}

/* df need not be an integer; as df grows, the tail thins to the normal one. */
TEST(stats_t_df)
{
	double p3 = stats_t_two_sided(2, 3), p4 = stats_t_two_sided(2, 4);
	double p35 = stats_t_two_sided(2, 3.5);
	double z = 1.959963984540054;	/* the normal 97.5% quantile */

	/* df = 4 in closed form: 1 - 2/sqrt(8) (1 + 2/8) = 1 - 1.25/sqrt(2) */
	CHECK_CLOSE(p4, 1 - 1.25 / sqrt(2), 1e-12);
	CHECK(p3 > p35 && p35 > p4);
	CHECK_CLOSE(p35, 0.126138522575913534520, 1e-9);	/* mpmath */
	CHECK(stats_t_two_sided(2, 0.5) > stats_t_two_sided(2, 0.75));
	CHECK(stats_t_two_sided(2, 0.75) > stats_t_two_sided(2, 1));

	CHECK(fabs(stats_t_two_sided(z, 1e6) - 0.05) < 1e-6);
	CHECK_CLOSE(stats_t_two_sided(z, INFINITY), 0.05, 1e-12);
	CHECK(stats_t_two_sided(z, 30) > stats_t_two_sided(z, 1e3));
	CHECK(stats_t_two_sided(z, 1e3) > stats_t_two_sided(z, 1e5));
	CHECK(stats_t_two_sided(z, 1e5) > stats_t_two_sided(z, INFINITY));
	/* the normal: 2 (1 - Phi(3)) */
	CHECK_CLOSE(stats_t_two_sided(3, 1e300), erfc(3 / sqrt(2)), 1e-12);
	CHECK_CLOSE(stats_t_two_sided(3, 1e15), erfc(3 / sqrt(2)), 1e-12);
	/* mpmath; the lgamma() terms of B(4500, 1/2) cancel to 4e-12 */
	CHECK_CLOSE(stats_t_two_sided(3, 9000), 0.00270718785271277275795866, 1e-13);
	/* no seam where large df switch to the asymptotic expansion */
	CHECK_CLOSE(stats_t_two_sided(3, 9999.999999), stats_t_two_sided(3, 1e4), 1e-11);
	CHECK_CLOSE(stats_t_two_sided(3, 1e4), 0.00270644818999766628577, 1e-11);
}

/*
 * a = { 1, 2, 3, 4, 5 }: mean 3, variance (4+1+0+1+4)/4 = 2.5
 * b = { 4, 6, 8 }:       mean 6, variance (4+0+4)/2 = 4
 * squared standard errors: 2.5/5 = 1/2 and 4/3, sum 11/6
 * t = (6 - 3) / sqrt(11/6) = 3 sqrt(6/11) = 2.2156468376279892
 * df = (11/6)^2 / ((1/2)^2 / 4 + (4/3)^2 / 2) = (121/36) / (1/16 + 8/9)
 *    = (121/36) / (137/144) = 484/137 = 3.5328467153284672
 * p: between p(t, df 3) = 0.1135 and p(t, df 4) = 0.0911; mpmath says
 * 0.0999826182036254163731.
 */
TEST(stats_welch_unequal)
{
	static const double xa[] = { 1, 2, 3, 4, 5 }, xb[] = { 4, 6, 8 };
	struct stats_summary a, b;
	double t, df, p;

	stats_summarize(xa, ARRAY_SIZE(xa), &a);
	stats_summarize(xb, ARRAY_SIZE(xb), &b);
	p = stats_welch(&a, &b, &t, &df);
	CHECK_CLOSE(t, 3 * sqrt(6.0 / 11), TOL);
	CHECK_CLOSE(df, 484.0 / 137, TOL);
	CHECK_CLOSE(p, 0.0999826182036254163731, TOL);
	CHECK(p < stats_t_two_sided(t, 3) && p > stats_t_two_sided(t, 4));
	/* the other way round: t changes sign, nothing else */
	CHECK(stats_welch(&b, &a, &t, &df) == p);
	CHECK_CLOSE(t, -3 * sqrt(6.0 / 11), TOL);
	CHECK_CLOSE(df, 484.0 / 137, TOL);
	/* t and df may be NULL */
	CHECK(stats_welch(&a, &b, NULL, NULL) == p);
}

/*
 * a = { 1, 2, 3 }, b = { 4, 5, 6 }: variances 1 and 1, squared standard
 * errors 1/3 each, t = 3 / sqrt(2/3) = sqrt(13.5), df = (2/3)^2 /
 * (2 (1/3)^2 / 2) = 4 (equal n and variances: na + nb - 2), so
 * p = 1 - sqrt(13.5/17.5) (1 + 2/17.5) = 1 - (39/35) sqrt(27/35).
 *
 * a = { 2, 2, 2 }, b = { 1, 2, 3, 4, 5 }: a has no spread, so t =
 * (3 - 2) / sqrt(2.5/5) = sqrt(2), df = nb - 1 = 4 and
 * p = 1 - sqrt(2/6) (1 + 2/6) = 1 - 4 / (3 sqrt(3)).
 */
TEST(stats_welch_df4)
{
	struct stats_summary a = { 3, 2, 1 }, b = { 3, 5, 1 };
	struct stats_summary c = { 3, 2, 0 }, d;
	static const double xd[] = { 1, 2, 3, 4, 5 };
	double t, df;

	CHECK_CLOSE(stats_welch(&a, &b, &t, &df), 1 - 39.0 / 35 * sqrt(27.0 / 35), TOL);
	CHECK_CLOSE(t, sqrt(13.5), TOL);
	CHECK_CLOSE(df, 4, TOL);
	stats_summarize(xd, ARRAY_SIZE(xd), &d);
	CHECK_CLOSE(stats_welch(&c, &d, &t, &df), 1 - 4 / (3 * sqrt(3)), TOL);
	CHECK_CLOSE(t, sqrt(2), TOL);
	CHECK_CLOSE(df, 4, TOL);
}

TEST(stats_welch_degenerate)
{
	struct stats_summary a = { 3, 0.5, 0 }, b = { 4, 0.5, 0 };
	struct stats_summary c = { 2, 0.25, 0 }, one = { 1, 0.9, 0 };
	struct stats_summary none = { 0, 0, 0 }, spread = { 5, 0.4, 0.1 };
	double t, df;

	/* no spread, equal means: nothing changed */
	CHECK(stats_welch(&a, &b, &t, &df) == 1);
	CHECK(t == 0 && df == 5);
	/* no spread, different means: certainly changed */
	CHECK(stats_welch(&a, &c, &t, &df) == 0);
	CHECK(t == -INFINITY && df == 3);
	CHECK(stats_welch(&c, &a, &t, &df) == 0);
	CHECK(t == INFINITY && df == 3);
	/* fewer than 2 runs on a side: no test */
	CHECK(stats_welch(&one, &spread, &t, &df) == 1);
	CHECK(t == 0 && df == 0);
	CHECK(stats_welch(&spread, &one, &t, &df) == 1);
	CHECK(t == 0 && df == 0);
	CHECK(stats_welch(&none, &none, NULL, NULL) == 1);
	/*
	 * spread on one side only: df = n - 1 of that side, 4; t = -0.1 /
	 * sqrt(0.01 / 5) = -sqrt(5), p = 1 - sqrt(5/9) (1 + 2/9) = 1 - 11 sqrt(5) / 27
	 */
	CHECK_CLOSE(stats_welch(&a, &spread, &t, &df), 1 - 11 * sqrt(5) / 27, TOL);
	CHECK_CLOSE(df, 4, TOL);
	CHECK_CLOSE(t, -sqrt(5), TOL);
	/* NaN in, NaN out */
	spread.mean = NAN;
	CHECK(isnan(stats_welch(&a, &spread, &t, NULL)) && isnan(t));
}

/*
 * x = { 5, 1, 3, 2, 40 }: median 3, deviations { 2, 2, 0, 1, 37 }, their
 * median (the MAD) 2; 40 lies 18.5 MADs out, 5 and 1 only 1.
 */
TEST(stats_set_aside)
{
	double x[] = { 5, 1, 3, 2, 40 }, y[] = { 5, 1, 3, 2, 40 };
	double z[] = { -40, 1, 3, 2, 5, 80 }, same[] = { 1, 1, 1, 1, 9 };
	double few[] = { 1, 2, 90 }, nan[] = { 1, 2, NAN, 3, 4 };

	CHECK(stats_set_aside(x, 5, 8, 0, 1) == 4);
	CHECK(x[0] == 5 && x[1] == 1 && x[2] == 3 && x[3] == 2);
	/* not far enough, or nothing may go: all kept, in place */
	CHECK(stats_set_aside(y, 5, 20, 0, 1) == 5 && y[4] == 40);
	CHECK(stats_set_aside(y, 5, 8, 0, 0) == 5 && y[4] == 40);
	/*
	 * z: median 2.5, deviations { 42.5, 1.5, 0.5, 0.5, 2.5, 77.5 }, MAD 2:
	 * the farthest goes first, and no more than max
	 */
	CHECK(stats_set_aside(z, 6, 8, 0, 1) == 5 && z[0] == -40 && z[4] == 5);
	{
		double w[] = { -40, 1, 3, 2, 5, 80 };

		CHECK(stats_set_aside(w, 6, 8, 0, 2) == 4);
		CHECK(w[0] == 1 && w[1] == 3 && w[2] == 2 && w[3] == 5);
	}
	/* nearer than min_dev: kept */
	CHECK(stats_set_aside(y, 5, 8, 38, 1) == 5 && y[4] == 40);
	CHECK(stats_set_aside(y, 5, 8, 37, 1) == 4);
	/* a MAD of 0 (the same value in most runs) sets nothing aside */
	CHECK(stats_set_aside(same, 5, 8, 0, 1) == 5);
	/* fewer than 3 values have no median to speak of; 3 do */
	CHECK(stats_set_aside(few, 2, 8, 0, 1) == 2);
	CHECK(stats_set_aside(few, 3, 8, 0, 1) == 2 && few[0] == 1 && few[1] == 2);
	/* a NaN is never set aside (it makes the test NaN, not a verdict) */
	CHECK(stats_set_aside(nan, 5, 8, 0, 1) == 5);
}

/*
 * p = { 0.008, 0.035, 0.03, 0.005, 0.3, 0.2 }, n = 6, in ascending order:
 *   p_(1) = 0.005 (index 3): 6 * 0.005 = 0.03
 *   p_(2) = 0.008 (index 0): 5 * 0.008 = 0.04
 *   p_(3) = 0.03  (index 2): 4 * 0.03  = 0.12
 *   p_(4) = 0.035 (index 1): 3 * 0.035 = 0.105, below 0.12: 0.12
 *   p_(5) = 0.2   (index 5): 2 * 0.2   = 0.4
 *   p_(6) = 0.3   (index 4): 1 * 0.3   = 0.3, below 0.4: 0.4
 * At alpha = 0.05, indexes 3 and 0 stay significant, 2 and 1 do not.
 */
TEST(stats_holm)
{
	double p[] = { 0.008, 0.035, 0.03, 0.005, 0.3, 0.2 };
	static const double want[] = { 0.04, 0.12, 0.12, 0.03, 0.4, 0.4 };
	size_t i, nsig = 0;

	stats_holm(p, ARRAY_SIZE(p));
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		CHECK_CLOSE(p[i], want[i], 1e-12);
		nsig += p[i] <= 0.05;
	}
	CHECK(nsig == 2 && p[0] <= 0.05 && p[3] <= 0.05);
}

TEST(stats_holm_edges)
{
	/* 2 * 0.55 = 1.1 clamps to 1; then 0.7 rises to 1 */
	double clamp[] = { 0.7, 0.02, 0.55 };
	/* ties: 3 * 0.01 = 0.03, 2 * 0.01 = 0.02 rises to 0.03 */
	double ties[] = { 0.01, 0.5, 0.01 };
	/* a NaN is last and stays; it counts: 3 * 0.01, 2 * 0.02 */
	double nan[] = { NAN, 0.02, 0.01 };
	double one[] = { 0.3 }, zero[] = { 0, 0 };

	stats_holm(clamp, ARRAY_SIZE(clamp));
	CHECK(clamp[0] == 1 && clamp[2] == 1);
	CHECK_CLOSE(clamp[1], 0.06, 1e-12);
	stats_holm(ties, ARRAY_SIZE(ties));
	CHECK_CLOSE(ties[0], 0.03, 1e-12);
	CHECK(ties[2] == ties[0] && ties[1] == 0.5);
	stats_holm(nan, ARRAY_SIZE(nan));
	CHECK(isnan(nan[0]));
	CHECK_CLOSE(nan[1], 0.04, 1e-12);
	CHECK_CLOSE(nan[2], 0.03, 1e-12);
	stats_holm(one, 1);
	CHECK(one[0] == 0.3);
	stats_holm(zero, 2);
	CHECK(zero[0] == 0 && zero[1] == 0);
	stats_holm(NULL, 0);
}
