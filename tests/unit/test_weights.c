/*
 * Unit tests for indicators/weights.c: AHP on Saaty's drink-consumption
 * matrix, the consistency refusal, the reciprocal check, the matrix reader,
 * entropy weights and equal weights.  Reference numbers come from
 * tests/r/models_weights.R (R's eigen(), the entropy formula written out),
 * saved in tests/r/models_weights.out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_fixture.h"
#include "indicators/weights.h"

/* Saaty (2008), Int. J. Services Sciences 1(1), Table 2: drinks consumed
 * in the US (coffee, wine, tea, beer, sodas, milk, water). */
static const double drinks[49] = {
    1,       9, 5,       2,       1,       1,       1.0 / 2,
    1.0 / 9, 1, 1.0 / 3, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9,
    1.0 / 5, 3, 1,       1.0 / 3, 1.0 / 4, 1.0 / 3, 1.0 / 9,
    1.0 / 2, 9, 3,       1,       1.0 / 2, 1,       1.0 / 3,
    1,       9, 4,       2,       1,       2,       1.0 / 2,
    1,       9, 3,       1,       1.0 / 2, 1,       1.0 / 3,
    2,       9, 9,       3,       2,       3,       1,
};

static void ahp_saaty_drinks(void **state)
{
    (void)state;
    egdi_ahp_result r;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_weights_ahp(drinks, 7, &r, &err), EGDI_OK);
    /* R: w <- Re(eigen(A)$vectors[, 1]); w / sum(w)  (models_weights.out) */
    const double w[7] = {0.177456747445717, 0.019149476024354, 0.041831181662098,
                         0.116417031734859, 0.189572375326176, 0.128780548538723,
                         0.326792639268074};
    for (int i = 0; i < 7; i++)
        assert_near(r.w[i], w[i], 1e-9);
    /* Saaty's published vector, to his 3 decimals */
    const double pub[7] = {.177, .019, .042, .116, .190, .129, .327};
    for (int i = 0; i < 7; i++)
        assert_near(r.w[i], pub[i], 0.0005);
    assert_near(r.lambda_max, 7.176629039330350, 1e-9); /* Re(eigen(A)$values[1]) */
    assert_near(r.ci, 0.029438173221725, 1e-9);         /* (lmax - 7)/6 */
    assert_near(r.ri, 1.32, 0);                         /* Saaty's RI for n = 7 */
    assert_near(r.cr, 0.022301646380095, 1e-9);
}

static void ahp_refuses_inconsistent(void **state)
{
    (void)state;
    /* a > b (9), b > c (9) but c > a (9).  The matrix is circulant with
       first row (1, 9, 1/9), so lambda_max = 1 + 9 + 1/9 = 10.1111,
       CI = (10.1111 - 3)/2 = 3.5556, CR = CI / 0.58 = 6.1303. */
    const double a[9] = {1, 9, 1.0 / 9, 1.0 / 9, 1, 9, 9, 1.0 / 9, 1};
    egdi_ahp_result r;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_weights_ahp(a, 3, &r, &err), EGDI_ERR_NUMERIC);
    assert_near(r.lambda_max, 1 + 9 + 1.0 / 9, 1e-9);
    assert_near(r.cr, ((1 + 9 + 1.0 / 9) - 3) / 2 / 0.58, 1e-9);
    char want[64];
    snprintf(want, sizeof want, "CR = %.4f > 0.10", r.cr);
    assert_non_null(strstr(err.message, want));
}

static void ahp_reciprocal_check(void **state)
{
    (void)state;
    const double a[4] = {1, 3, 0.5, 1}; /* a21 should be 1/3 */
    egdi_ahp_result r;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_weights_ahp(a, 2, &r, &err), EGDI_ERR_VALUE);
    assert_non_null(strstr(err.message, "not reciprocal"));
    const double b[4] = {1, 3, 0.333, 1}; /* 0.333 is accepted for 1/3 */
    assert_int_equal(egdi_weights_ahp(b, 2, &r, &err), EGDI_OK);
    assert_near(r.w[0], 0.75, 1e-3);
    assert_near(r.cr, 0, 0); /* n = 2 is always consistent */
}

static void ahp_reader(void **state)
{
    (void)state;
    /* judgements as people type them: full-width １／３ (Chinese input),
     * spaces around the slash; read by egdi_value_fraction */
    const char *text = "item,A,B,C\nA,1,3,5\nB,\xEF\xBC\x91\xEF\xBC\x8F\xEF\xBC\x93,1,3\n"
                       "C,1 / 5,1/3,1\n";
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    egdi_reader *rd = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_reader_open_mem(&rd, text, strlen(text), "m.csv", &o, &err), EGDI_OK);
    size_t n = 0;
    char **codes = NULL;
    double *a = NULL;
    assert_int_equal(egdi_weights_ahp_read(rd, &n, &codes, &a, &err), EGDI_OK);
    egdi_reader_close(rd);
    assert_int_equal(n, 3);
    assert_string_equal(codes[2], "C");
    assert_near(a[1 * 3 + 0], 1.0 / 3.0, 0);
    assert_true(a[2 * 3 + 0] == 1.0 / 5.0);
    egdi_ahp_result r;
    assert_int_equal(egdi_weights_ahp(a, n, &r, &err), EGDI_OK);
    assert_true(r.w[0] > r.w[1] && r.w[1] > r.w[2]);
    egdi_weights_ahp_matrix_free(codes, n, a);

    const char *bad = "item,A,B\nB,1,3\nA,1/3,1\n";
    assert_int_equal(egdi_reader_open_mem(&rd, bad, strlen(bad), "m.csv", &o, &err), EGDI_OK);
    assert_int_equal(egdi_weights_ahp_read(rd, &n, &codes, &a, &err), EGDI_ERR_FORMAT);
    assert_non_null(strstr(err.message, "row item \"B\" where the header has \"A\""));
    egdi_reader_close(rd);
}

static void entropy(void **state)
{
    (void)state;
    /*
     * Units x indicators (column-major below):
     *        c1  c2  c3
     *   u1    2  10   5
     *   u2    4  10   5
     *   u3    6  10   1
     *   u4    8  10   1
     * By hand: c1 p = .1 .2 .3 .4, -sum p ln p = 0.230259 + 0.321888 +
     * 0.361192 + 0.366516 = 1.279854, e1 = 1.279854 / ln 4 (1.386294) =
     * 0.923220, d1 = 0.076780.  c2 is constant: e2 = 1, d2 = 0.  c3 p =
     * 5/12, 5/12, 1/12, 1/12: -sum = 2 (5/12) ln 2.4 + 2 (1/12) ln 12 =
     * 0.729558 + 0.414151 = 1.143709, e3 = 0.825011, d3 = 0.174989.
     * w = d / (d1 + d3) = 0.304963, 0, 0.695037 (R: models_weights.out).
     */
    const double x[12] = {2, 4, 6, 8, 10, 10, 10, 10, 5, 5, 1, 1};
    double w[3];
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_weights_entropy(x, 4, 3, w, &err), EGDI_OK);
    assert_near(w[0], 0.304963248185798, 1e-12);
    assert_near(w[1], 0, 1e-15);
    assert_near(w[2], 0.695036751814202, 1e-12);
    const double flat[4] = {3, 3, 3, 3};
    assert_int_equal(egdi_weights_entropy(flat, 4, 1, w, &err), EGDI_ERR_NUMERIC);
    const double neg[2] = {1, -1};
    assert_int_equal(egdi_weights_entropy(neg, 2, 1, w, &err), EGDI_ERR_VALUE);
}

static void equal(void **state)
{
    (void)state;
    double w[4];
    egdi_weights_equal(4, w);
    for (int i = 0; i < 4; i++)
        assert_near(w[i], 0.25, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ahp_saaty_drinks),  cmocka_unit_test(ahp_refuses_inconsistent),
        cmocka_unit_test(ahp_reciprocal_check), cmocka_unit_test(ahp_reader),
        cmocka_unit_test(entropy),           cmocka_unit_test(equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
