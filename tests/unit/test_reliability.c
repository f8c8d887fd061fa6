/*
 * Unit tests for surveys/reliability.c (Cronbach's alpha) against
 * psych::alpha on tests/data/survey/questionnaire.csv (Q1-Q12, Q4 and Q8
 * reversed as 6 - x) and psych::bfi (A1-A5, C1-C5; A1, C4, C5 reversed as
 * 7 - x).  Reference: tests/r/survey_ref.R, function alpha_ref:
 *   listwise  psych::alpha(na.omit(X))$total$raw_alpha, $std.alpha,
 *             $average_r, $item.stats$r.drop, $raw.r, $alpha.drop$raw_alpha;
 *             mean / var of rowSums(L[, -i]) for the if-deleted scale
 *   pairwise  psych::alpha(X) (use = "pairwise"): raw_alpha, std.alpha,
 *             r.drop, alpha.drop
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "surveys/reliability.h"
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
                  const int *rev, size_t p, double maxplus1)
{
    size_t n;
    double *x = fx_matrix(d, items, rev, p, maxplus1, 1, &n);
    egdi_alpha a;
    egdi_error e;
    assert_int_equal(egdi_alpha_compute(x, n, p, false, items, &a, &e), EGDI_OK);
    assert_int_equal(a.n, (size_t)fx_refv(REF, "%s.n", prefix));
    assert_close(a.alpha, fx_refv(REF, "%s.alpha", prefix), 1e-10);
    assert_close(a.std_alpha, fx_refv(REF, "%s.std_alpha", prefix), 1e-10);
    assert_close(a.average_r, fx_refv(REF, "%s.average_r", prefix), 1e-10);
    assert_close(a.scale_mean, fx_refv(REF, "%s.scale_mean", prefix), 1e-10);
    assert_close(a.scale_var, fx_refv(REF, "%s.scale_var", prefix), 1e-10);
    for (size_t j = 0; j < p; j++) {
        assert_close(a.items[j].r_corrected, fx_refv(REF, "%s.r_drop.%zu", prefix, j + 1), 1e-10);
        assert_close(a.items[j].r_total, fx_refv(REF, "%s.raw_r.%zu", prefix, j + 1), 1e-10);
        assert_close(a.items[j].alpha_if_deleted,
                     fx_refv(REF, "%s.alpha_drop.%zu", prefix, j + 1), 1e-10);
        assert_close(a.items[j].scale_mean_if_deleted,
                     fx_refv(REF, "%s.mean_drop.%zu", prefix, j + 1), 1e-10);
        assert_close(a.items[j].scale_var_if_deleted,
                     fx_refv(REF, "%s.var_drop.%zu", prefix, j + 1), 1e-10);
    }
    egdi_alpha_release(&a);
    free(x);

    x = fx_matrix(d, items, rev, p, maxplus1, 0, &n);
    assert_int_equal(egdi_alpha_compute(x, n, p, true, items, &a, &e), EGDI_OK);
    assert_int_equal(a.n, d->n);
    assert_true(a.n_min <= a.n);
    assert_close(a.alpha, fx_refv(REF, "%s.pw.alpha", prefix), 1e-10);
    assert_close(a.std_alpha, fx_refv(REF, "%s.pw.std_alpha", prefix), 1e-10);
    for (size_t j = 0; j < p; j++) {
        assert_close(a.items[j].r_corrected, fx_refv(REF, "%s.pw.r_drop.%zu", prefix, j + 1),
                     1e-10);
        assert_close(a.items[j].alpha_if_deleted,
                     fx_refv(REF, "%s.pw.alpha_drop.%zu", prefix, j + 1), 1e-10);
    }
    egdi_alpha_release(&a);
    free(x);
}

static const char *const QI[12] = {"Q1", "Q2", "Q3", "Q4", "Q5", "Q6",
                                   "Q7", "Q8", "Q9", "Q10", "Q11", "Q12"};
static const int QR[12] = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};

static void questionnaire_overall(void **state)
{
    (void)state;
    check(Q, "q.alpha.all", QI, QR, 12, 6);
}

static void questionnaire_dimensions(void **state)
{
    (void)state;
    check(Q, "q.alpha.D1", QI, QR, 4, 6);
    check(Q, "q.alpha.D2", QI + 4, QR + 4, 4, 6);
    check(Q, "q.alpha.D3", QI + 8, QR + 8, 4, 6);
}

static void bfi_scales(void **state)
{
    (void)state;
    static const char *const A[5] = {"A1", "A2", "A3", "A4", "A5"};
    static const int AR[5] = {1, 0, 0, 0, 0};
    static const char *const C[5] = {"C1", "C2", "C3", "C4", "C5"};
    static const int CR[5] = {0, 0, 0, 1, 1};
    check(B, "b.alpha.A", A, AR, 5, 7);
    check(B, "b.alpha.C", C, CR, 5, 7);
}

static void degenerate(void **state)
{
    (void)state;
    egdi_alpha a;
    egdi_error e;
    const char *names[3] = {"X1", "X2", "X3"};
    /* X2 constant */
    double x[15] = {1, 2, 3, 4, 5, 3, 3, 3, 3, 3, 2, 2, 4, 5, 5};
    assert_int_equal(egdi_alpha_compute(x, 5, 3, false, names, &a, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "X2"));
    egdi_alpha_release(&a);
    /* 2 respondents, 3 items */
    double y[6] = {1, 2, 2, 3, 5, 4};
    assert_int_equal(egdi_alpha_compute(y, 2, 3, false, names, &a, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "fewer respondents than items"));
    /* an all-missing item, pairwise */
    double z[15] = {1, 2, 3, 4, 5, NAN, NAN, NAN, NAN, NAN, 2, 2, 4, 5, 5};
    assert_int_equal(egdi_alpha_compute(z, 5, 3, true, names, &a, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "X2"));
    /* NaN in a listwise matrix is a caller error */
    assert_int_equal(egdi_alpha_compute(z, 5, 3, false, names, &a, &e), EGDI_ERR_ARG);
}

static void two_items(void **state)
{
    (void)state;
    /* alpha of two items = 2 (1 - (v1 + v2) / (v1 + v2 + 2 c12)):
       x1 = 1..5 (v 2.5), x2 = 2,1,4,3,5 (v 2.5), c12 = 2 -> 2 (1 - 5/9) = 8/9 */
    double x[10] = {1, 2, 3, 4, 5, 2, 1, 4, 3, 5};
    egdi_alpha a;
    egdi_error e;
    assert_int_equal(egdi_alpha_compute(x, 5, 2, false, NULL, &a, &e), EGDI_OK);
    assert_close(a.alpha, 8.0 / 9.0, 1e-14);
    assert_true(isnan(a.items[0].alpha_if_deleted));
    egdi_alpha_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(questionnaire_overall),
        cmocka_unit_test(questionnaire_dimensions),
        cmocka_unit_test(bfi_scales),
        cmocka_unit_test(degenerate),
        cmocka_unit_test(two_items),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
