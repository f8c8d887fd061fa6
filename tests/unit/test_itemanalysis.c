/*
 * Unit tests for surveys/itemanalysis.c (critical ratio) against R
 * (tests/r/survey_ref.R, function cr_ref) on the complete rows of
 * questionnaire.csv (Q4, Q8 reversed as 6 - x; tail 0.27 and 0.20) and
 * bfi.csv (A1-A5, C1-C5; A1, C4, C5 reversed as 7 - x):
 *   cuts     quantile(rowSums(L), c(tail, 1 - tail), type = 6)  (SPSS HAVERAGE)
 *   groups   sum(total <= cut1), sum(total >= cut2)
 *   per item t.test(high, low, var.equal = TRUE / FALSE); Levene by hand
 *            (anova of |x - group mean|); cr = the row Levene selects;
 *            cor(item, total), cor(item, total - item);
 *            psych::alpha(L)$alpha.drop$raw_alpha
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "surveys/itemanalysis.h"
#include "survey_fixture.h"

static fx_data *Q, *B;
static fx_ref *REF;

static int setup(void **state)
{
    (void)state;
    Q = fx_load("tests/data/survey/questionnaire.csv");
    B = fx_load("tests/data/survey/bfi.csv");
    REF = fx_ref_load();
    return Q && B && REF ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_free(Q);
    fx_free(B);
    fx_ref_free(REF);
    return 0;
}

static void check(const fx_data *d, const char *prefix, const char *const *items,
                  const int *rev, size_t p, double maxplus1, double tail)
{
    size_t n;
    double *x = fx_matrix(d, items, rev, p, maxplus1, 1, &n);
    egdi_cr_opts o;
    egdi_cr_opts_init(&o);
    o.tail = tail;
    egdi_cr r;
    egdi_error e;
    assert_int_equal(egdi_cr_compute(x, n, p, items, &o, &r, &e), EGDI_OK);
    assert_int_equal(r.n, (size_t)fx_refv(REF, "%s.n", prefix));
    assert_close(r.cut_low, fx_refv(REF, "%s.cut_low", prefix), 1e-12);
    assert_close(r.cut_high, fx_refv(REF, "%s.cut_high", prefix), 1e-12);
    assert_int_equal(r.n_low, (size_t)fx_refv(REF, "%s.n_low", prefix));
    assert_int_equal(r.n_high, (size_t)fx_refv(REF, "%s.n_high", prefix));
    for (size_t j = 0; j < p; j++) {
        const egdi_cr_item *it = &r.items[j];
        const char *k = items[j];
        assert_int_equal(it->t.n1, r.n_high);
        assert_int_equal(it->t.n2, r.n_low);
        assert_close(it->t.mean1, fx_refv(REF, "%s.%s.mean_high", prefix, k), 1e-12);
        assert_close(it->t.sd1, fx_refv(REF, "%s.%s.sd_high", prefix, k), 1e-12);
        assert_close(it->t.mean2, fx_refv(REF, "%s.%s.mean_low", prefix, k), 1e-12);
        assert_close(it->t.sd2, fx_refv(REF, "%s.%s.sd_low", prefix, k), 1e-12);
        assert_close(it->t.levene.F, fx_refv(REF, "%s.%s.levene_F", prefix, k), 1e-9);
        assert_rel(it->t.levene.p, fx_refv(REF, "%s.%s.levene_p", prefix, k), 1e-6);
        assert_close(it->t.student.t, fx_refv(REF, "%s.%s.student_t", prefix, k), 1e-10);
        assert_close(it->t.student.df, fx_refv(REF, "%s.%s.student_df", prefix, k), 0);
        assert_rel(it->t.student.p, fx_refv(REF, "%s.%s.student_p", prefix, k), 1e-6);
        assert_close(it->t.student.ci_lo, fx_refv(REF, "%s.%s.student_ci.1", prefix, k), 1e-9);
        assert_close(it->t.student.ci_hi, fx_refv(REF, "%s.%s.student_ci.2", prefix, k), 1e-9);
        assert_close(it->t.welch.t, fx_refv(REF, "%s.%s.welch_t", prefix, k), 1e-10);
        assert_close(it->t.welch.df, fx_refv(REF, "%s.%s.welch_df", prefix, k), 1e-9);
        assert_rel(it->t.welch.p, fx_refv(REF, "%s.%s.welch_p", prefix, k), 1e-6);
        assert_close(it->t.welch.ci_lo, fx_refv(REF, "%s.%s.welch_ci.1", prefix, k), 1e-9);
        assert_close(it->t.welch.ci_hi, fx_refv(REF, "%s.%s.welch_ci.2", prefix, k), 1e-9);
        assert_close(it->cr, fx_refv(REF, "%s.%s.cr", prefix, k), 1e-10);
        assert_close(it->r_total, fx_refv(REF, "%s.%s.r_total", prefix, k), 1e-10);
        assert_close(it->r_corrected, fx_refv(REF, "%s.%s.r_corrected", prefix, k), 1e-10);
        assert_close(it->alpha_if_deleted, fx_refv(REF, "%s.%s.alpha_drop", prefix, k), 1e-10);
        assert_true(it->keep == (it->cr >= 3 && it->cr_p < 0.05 && it->r_corrected >= 0.4));
    }
    egdi_cr_release(&r);
    free(x);
}

static const char *const QI[12] = {"Q1", "Q2", "Q3", "Q4", "Q5", "Q6",
                                   "Q7", "Q8", "Q9", "Q10", "Q11", "Q12"};
static const int QR[12] = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};

static void questionnaire(void **state)
{
    (void)state;
    check(Q, "q.cr", QI, QR, 12, 6, 0.27);
    check(Q, "q.cr20", QI, QR, 12, 6, 0.20);
}

static void bfi(void **state)
{
    (void)state;
    static const char *const BI[10] = {"A1", "A2", "A3", "A4", "A5",
                                       "C1", "C2", "C3", "C4", "C5"};
    static const int BR[10] = {1, 0, 0, 0, 0, 0, 0, 0, 1, 1};
    check(B, "b.cr", BI, BR, 10, 7, 0.27);
}

static void percentiles(void **state)
{
    (void)state;
    /* quantile(c(1, 2, 4, 8), c(.1, .27, .5, .73, .9), type = 6) in R:
       1, 1.35, 3, 6.6, 8 (positions 0.5 -> clamped, 1.35, 2.5, 3.65, 4.5 -> clamped) */
    double s[4] = {1, 2, 4, 8};
    assert_close(egdi_cr_percentile(s, 4, 0.10), 1, 1e-15);
    assert_close(egdi_cr_percentile(s, 4, 0.27), 1.35, 1e-14);
    assert_close(egdi_cr_percentile(s, 4, 0.50), 3, 1e-15);
    assert_close(egdi_cr_percentile(s, 4, 0.73), 6.6, 1e-14);
    assert_close(egdi_cr_percentile(s, 4, 0.90), 8, 1e-15);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The selection the item analysis uses gives exactly the percentile of the
 * sorted totals (checked above against R's quantile type 6): many ties
 * (Likert totals), all equal, distinct values, sizes 1 .. 2000, tails and
 * the clamped ends. */
static void percentiles_by_selection(void **state)
{
    (void)state;
    static const double qs[] = {0.001, 0.1, 0.2, 0.27, 0.5, 0.73, 0.8, 0.9, 0.999};
    static const size_t sizes[] = {1, 2, 3, 4, 17, 100, 1001, 2000};
    uint64_t seed = 12345;
    double *a = malloc(2000 * sizeof *a), *sorted = malloc(2000 * sizeof *sorted);
    double *work = malloc(2000 * sizeof *work);
    for (int kind = 0; kind < 4; kind++)
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t n = sizes[si];
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005u + 1442695040888963407u;
                uint64_t r = seed >> 33;
                a[i] = kind == 0   ? (double)(10 + r % 41)        /* totals of 10 items 1-5 */
                       : kind == 1 ? 7.0                          /* all the same */
                       : kind == 2 ? (double)r / 4294967296.0     /* distinct */
                                   : (double)(n - i);             /* descending */
            }
            memcpy(sorted, a, n * sizeof *a);
            qsort(sorted, n, sizeof *sorted, cmp_d);
            for (size_t qi = 0; qi < sizeof qs / sizeof qs[0]; qi++) {
                memcpy(work, a, n * sizeof *a);
                double want = egdi_cr_percentile(sorted, n, qs[qi]);
                assert_true(egdi_cr_percentile_select(work, n, qs[qi]) == want);
            }
        }
    free(a);
    free(sorted);
    free(work);
}

/* egdi_cr_compute_with with the alpha computed beforehand (the report's
 * path: one pass for the covariances) gives the same numbers as
 * egdi_cr_compute, and takes alpha and the item-total statistics from the
 * alpha passed in (a doctored copy shows through); an alpha of another
 * shape is refused. */
static void with_alpha(void **state)
{
    (void)state;
    size_t n;
    double *x = fx_matrix(Q, QI, QR, 12, 6, 1, &n);
    egdi_alpha a;
    egdi_cr r1, r2;
    egdi_error e;
    assert_int_equal(egdi_alpha_compute(x, n, 12, false, QI, &a, &e), EGDI_OK);
    assert_int_equal(egdi_cr_compute(x, n, 12, QI, NULL, &r1, &e), EGDI_OK);
    assert_int_equal(egdi_cr_compute_with(x, n, 12, QI, &a, NULL, &r2, &e), EGDI_OK);
    assert_true(r1.alpha == r2.alpha && r1.cut_low == r2.cut_low && r1.cut_high == r2.cut_high);
    assert_true(r1.n_low == r2.n_low && r1.n_high == r2.n_high);
    for (size_t j = 0; j < 12; j++) {
        assert_true(r1.items[j].cr == r2.items[j].cr);
        assert_true(r1.items[j].r_corrected == r2.items[j].r_corrected);
        assert_true(r1.items[j].alpha_if_deleted == r2.items[j].alpha_if_deleted);
    }
    egdi_cr_release(&r2);
    /* item 1's corrected r lifted to 0.99 and 0.05 (and alpha changed) */
    a.alpha = 0.123;
    a.items[0].r_corrected = 0.99;
    a.items[0].alpha_if_deleted = 0.456;
    assert_int_equal(egdi_cr_compute_with(x, n, 12, QI, &a, NULL, &r2, &e), EGDI_OK);
    assert_true(r2.alpha == 0.123);
    assert_true(r2.items[0].r_corrected == 0.99 && r2.items[0].alpha_if_deleted == 0.456);
    assert_true(r2.items[0].keep == (r1.items[0].cr >= 3 && r1.items[0].cr_p < 0.05));
    egdi_cr_release(&r2);
    a.items[0].r_corrected = 0.05;
    assert_int_equal(egdi_cr_compute_with(x, n, 12, QI, &a, NULL, &r2, &e), EGDI_OK);
    assert_false(r2.items[0].keep);
    egdi_cr_release(&r1);
    egdi_cr_release(&r2);
    assert_int_equal(egdi_cr_compute_with(x, n, 11, QI, &a, NULL, &r2, &e), EGDI_ERR_ARG);
    assert_non_null(strstr(e.message, "12 items"));
    egdi_alpha_release(&a);
    free(x);
}

static void degenerate(void **state)
{
    (void)state;
    egdi_cr r;
    egdi_error e;
    egdi_cr_opts o;
    egdi_cr_opts_init(&o);
    const char *names[2] = {"X1", "X2"};
    /* X2 is the same as X1 but the high/low groups are then constant in both */
    double x[12] = {1, 1, 1, 5, 5, 5, 1, 1, 1, 5, 5, 5};
    assert_int_equal(egdi_cr_compute(x, 6, 2, names, &o, &r, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "X1"));
    o.tail = 0.7;
    assert_int_equal(egdi_cr_compute(x, 6, 2, names, &o, &r, &e), EGDI_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(questionnaire),
        cmocka_unit_test(bfi),
        cmocka_unit_test(percentiles),
        cmocka_unit_test(percentiles_by_selection),
        cmocka_unit_test(with_alpha),
        cmocka_unit_test(degenerate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
