/*
 * Unit tests for surveys/crossprod.c (the one pass of sums and
 * cross-products behind alpha, the correlations and the item analysis)
 * and the sums of surveys/sums_private.h.  The references are computed here in
 * long double, two-pass (mean first, then centred products): these tests
 * check the arithmetic, not a statistical convention (that is R's job in
 * test_factor.c and test_reliability.c, which run through this
 * code too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/cpus.h"
#include "surveys/crossprod.h"
#include "surveys/dataset.h"
#include "surveys/factor.h"
#include "surveys/fa_private.h"
#include "surveys/reliability.h"
#include "surveys/sums_private.h"

static uint64_t rng_state = 88172645463325252u;

static double uniform(void) /* [0, 1) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static double gauss(void)
{
    double u = uniform() + 1e-300, v = uniform();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* Two-pass covariance of columns j and k in long double. */
static long double ref_cov(const double *x, size_t n, size_t j, size_t k)
{
    long double mj = 0, mk = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        mj += x[j * n + i];
        mk += x[k * n + i];
    }
    mj /= (long double)n;
    mk /= (long double)n;
    for (size_t i = 0; i < n; i++)
        s += (x[j * n + i] - mj) * (x[k * n + i] - mk);
    return s / (long double)(n - 1);
}

static void assert_rel_close(double got, long double want, double tol)
{
    double err = fabs((double)(got - want)) / (fabs((double)want) + 1e-300);
    if (!(err <= tol))
        fail_msg("got %.17g, want %.17Lg (relative error %.3g > %.3g)", got, want, err, tol);
}

/* Every sum of sums_private.h against long double, for every length 0..41 (the
 * vector part, the tail, both). */
/* The covariances of xp (the pass over x, n x p, p <= 9) to 1e-14 of the
 * long double two-pass reference. */
static void assert_cov_exact(const egdi_xprod *xp, const double *x, size_t n, size_t p)
{
    double mean[9], cov[81];
    assert_true(p <= 9);
    egdi_xprod_cov(xp, mean, cov);
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < p; k++)
            assert_rel_close(cov[j * p + k], ref_cov(x, n, j, k), 1e-14);
}

static void sums(void **state)
{
    (void)state;
    double x[41];
    for (size_t n = 0; n <= 41; n++) {
        for (size_t i = 0; i < n; i++)
            x[i] = 3 + gauss();
        double m = 3.1, z = 0.7;
        long double s = 0, sq = 0, ab = 0, sqab = 0;
        for (size_t i = 0; i < n; i++) {
            s += x[i];
            sq += ((long double)x[i] - m) * ((long double)x[i] - m);
            ab += fabsl((long double)x[i] - m);
            sqab += (fabsl((long double)x[i] - m) - z) * (fabsl((long double)x[i] - m) - z);
        }
        assert_true(fabs(egdi_sum(x, n) - (double)s) <= 1e-13 * (1 + fabs((double)s)));
        assert_true(fabs(egdi_sum_sqdev(x, n, m) - (double)sq) <= 1e-13 * (1 + (double)sq));
        assert_true(fabs(egdi_sum_absdev(x, n, m) - (double)ab) <= 1e-13 * (1 + (double)ab));
        assert_true(fabs(egdi_sum_sq_absdev(x, n, m, z) - (double)sqab) <=
                    1e-13 * (1 + (double)sqab));
    }
}

/* Likert answers: every sum is an exact integer, so the SIMD and the
 * portable kernel agree to the bit, and the covariances are exact up to
 * the final division. */
static void integer_answers_exact(void **state)
{
    (void)state;
    size_t n = 1003, p = 7; /* not a multiple of the block, the tile or 4 */
    double *x = malloc(n * p * sizeof *x);
    for (size_t i = 0; i < n * p; i++)
        x[i] = 1 + floor(5 * uniform());
    egdi_xprod a, b;
    size_t bad;
    if (!egdi_xprod_simd())
        print_message("no AVX2 + FMA on this CPU: the portable kernel is compared with itself\n");
    assert_int_equal(egdi_xprod_compute(x, n, p, true, &a, &bad), EGDI_OK);
    assert_int_equal(egdi_xprod_compute(x, n, p, false, &b, &bad), EGDI_OK);
    assert_int_equal(a.pp, 8);
    assert_memory_equal(a.sum, b.sum, p * sizeof(double));
    assert_memory_equal(a.shift, b.shift, p * sizeof(double));
    for (size_t j = 0; j < p; j++) {
        assert_true(a.shift[j] == floor(a.shift[j]) && a.shift[j] >= 1 && a.shift[j] <= 5);
        for (size_t k = j; k < p; k++)
            assert_true(a.s[j * a.pp + k] == b.s[j * b.pp + k]);
    }
    assert_cov_exact(&a, x, n, p);
    egdi_xprod_release(&a);
    egdi_xprod_release(&b);
    free(x);
}

/* Continuous answers far from zero (1e6 + N(0, 0.01^2)): a one-pass formula
 * about zero would lose every digit (1e12 squared means against 1e-4
 * variances); shifted by an answer near the mean, the covariances and the
 * correlations keep nine digits and more. */
static void far_from_zero(void **state)
{
    (void)state;
    size_t n = 5000, p = 5;
    double *x = malloc(n * p * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        double f = gauss();
        for (size_t j = 0; j < p; j++)
            x[j * n + i] = 1e6 + 0.01 * (0.6 * f + 0.8 * gauss());
    }
    egdi_cov c;
    egdi_error e;
    assert_int_equal(egdi_cov_compute(x, n, p, false, NULL, &c, &e), EGDI_OK);
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < p; k++)
            assert_rel_close(c.cov[j * p + k], ref_cov(x, n, j, k), 1e-9);
    double r[25], r2[25], sd[5];
    assert_int_equal(egdi_fa_corr(x, n, p, NULL, r, NULL, sd, &e), EGDI_OK);
    assert_int_equal(egdi_fa_corr_portable(x, n, p, NULL, r2, NULL, NULL, &e), EGDI_OK);
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < p; k++) {
            long double want = ref_cov(x, n, j, k) /
                               sqrtl(ref_cov(x, n, j, j) * ref_cov(x, n, k, k));
            assert_rel_close(r[j * p + k], want, 1e-9);
            assert_rel_close(r2[j * p + k], want, 1e-9);
        }
    /* the correlations from the covariances are the same numbers */
    double r3[25], sd3[5];
    assert_int_equal(egdi_fa_corr_from_cov(&c, NULL, r3, sd3, &e), EGDI_OK);
    assert_memory_equal(r, r3, sizeof r);
    assert_memory_equal(sd, sd3, sizeof sd);
    egdi_cov_release(&c);
    free(x);
}

/* Rows in an unlucky order: the first 600 respondents answered 1e6 + 100,
 * the other 19,400 1e6 + N(0, 1).  The shift comes from answers sampled
 * across the whole column, so it lies near the column's mean (+2.99), not
 * near the first rows' (+100) as a shift taken from the first rows would;
 * and the covariances keep their digits. */
static void unlucky_order(void **state)
{
    (void)state;
    size_t n = 20000, p = 3;
    double *x = malloc(n * p * sizeof *x);
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++)
            x[j * n + i] = 1e6 + (i < 600 ? 100 : gauss());
    egdi_xprod xp;
    size_t bad;
    assert_int_equal(egdi_xprod_compute(x, n, p, true, &xp, &bad), EGDI_OK);
    for (size_t j = 0; j < p; j++) {
        double mean = 1e6 + 600.0 * 100 / (double)n;
        if (!(fabs(xp.shift[j] - mean) < 5))
            fail_msg("shift %.6f is far from the mean %.6f", xp.shift[j], mean);
    }
    egdi_xprod_release(&xp);
    egdi_cov c;
    egdi_error e;
    assert_int_equal(egdi_cov_compute(x, n, p, false, NULL, &c, &e), EGDI_OK);
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < p; k++)
            assert_rel_close(c.cov[j * p + k], ref_cov(x, n, j, k), 1e-11);
    egdi_cov_release(&c);
    free(x);
}

/* A NaN anywhere is found and its item named; a constant item is a zero
 * variance by name. */
static void nan_and_constant(void **state)
{
    (void)state;
    size_t n = 1500, p = 6;
    double *x = malloc(n * p * sizeof *x);
    for (size_t i = 0; i < n * p; i++)
        x[i] = 1 + floor(5 * uniform());
    x[4 * n + 1234] = NAN; /* item 5, third block */
    egdi_xprod xp;
    size_t bad = 99;
    assert_int_equal(egdi_xprod_compute(x, n, p, true, &xp, &bad), EGDI_ERR_VALUE);
    assert_int_equal(bad, 4);
    assert_null(xp.s);
    egdi_cov c;
    egdi_error e;
    assert_int_equal(egdi_cov_compute(x, n, p, false, NULL, &c, &e), EGDI_ERR_ARG);
    assert_non_null(strstr(e.message, "item 5"));
    double r[36];
    const char *names[6] = {"A", "B", "C", "D", "E", "F"};
    assert_int_equal(egdi_fa_corr(x, n, p, names, r, NULL, NULL, &e), EGDI_ERR_VALUE);
    assert_non_null(strstr(e.message, "E"));
    x[4 * n + 1234] = 3;
    for (size_t i = 0; i < n; i++)
        x[2 * n + i] = 4;
    assert_int_equal(egdi_cov_compute(x, n, p, false, names, &c, &e), EGDI_OK);
    assert_true(c.cov[2 * p + 2] == 0);
    assert_int_equal(egdi_fa_corr_from_cov(&c, names, r, NULL, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "C has zero variance"));
    egdi_cov_release(&c);
    free(x);
}

/* A byte matrix of 150,001 answers to nine items, two reversed: the pass
 * is split between threads (issue 20: whole numbers, so the shares add up
 * to the same bits in any order) and gives exactly what one thread gives
 * over the same answers as doubles; a missing answer in the later share
 * is named, and of two the one in the earlier rows. */
static void split_pass_exact(void **state)
{
    (void)state;
    size_t n = 150001, p = 9;
    unsigned char *b = malloc(n * p);
    double *x = malloc(n * p * sizeof *x);
    const unsigned char *code[9];
    bool rev[9] = {false, true, false, false, false, false, true, false, false};
    for (size_t j = 0; j < p; j++) {
        code[j] = b + j * n;
        for (size_t i = 0; i < n; i++) {
            b[j * n + i] = (unsigned char)(1 + floor(5 * uniform()));
            x[j * n + i] = rev[j] ? 6.0 - b[j * n + i] : b[j * n + i];
        }
    }
    egdi_item_matrix m = {.n = n, .p = p, .reversed = rev, .code = code, .flip = 6};
    if (egdi_cpus_online() < 2)
        print_message("one processor: the pass is not split here\n");
    egdi_xprod a, d;
    size_t bad = 99;
    assert_int_equal(egdi_xprod_compute_matrix(&m, true, &a, &bad), EGDI_OK);
    assert_int_equal(egdi_xprod_compute(x, n, p, true, &d, &bad), EGDI_OK);
    assert_memory_equal(a.shift, d.shift, p * sizeof(double));
    assert_memory_equal(a.sum, d.sum, p * sizeof(double));
    assert_memory_equal(a.s, d.s, a.pp * a.pp * sizeof(double));
    assert_cov_exact(&a, x, n, p);
    egdi_xprod_release(&a);
    egdi_xprod_release(&d);
    b[5 * n + 140001] = EGDI_DATASET_NA; /* item 6, the last share */
    assert_int_equal(egdi_xprod_compute_matrix(&m, true, &a, &bad), EGDI_ERR_VALUE);
    assert_int_equal(bad, 5);
    b[7 * n + 1001] = EGDI_DATASET_NA; /* item 8, the first share */
    assert_int_equal(egdi_xprod_compute_matrix(&m, true, &a, &bad), EGDI_ERR_VALUE);
    assert_int_equal(bad, 7);
    free(b);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sums),
        cmocka_unit_test(integer_answers_exact),
        cmocka_unit_test(far_from_zero),
        cmocka_unit_test(unlucky_order),
        cmocka_unit_test(nan_and_constant),
        cmocka_unit_test(split_pass_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
