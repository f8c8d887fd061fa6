/*
 * Unit tests for the entropy preparation of indicators/weights.c (`egdi
 * model weights entropy`): min-max normalisation with each indicator's
 * direction before the entropy weights, the choice of a parent's children,
 * and the whole path from a store holding the test round.  The store's
 * figures are those of tests/r/models_entropy.R (saved in
 * tests/r/models_entropy.out, 6 decimals).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_fixture.h"
#include "engine/import/import.h"
#include "indicators/weights.h"

/*
 * Three units, three indicators: A = (1, 2, 4), higher is better, becomes
 * (0, 1/3, 1); B = (10, 30, 25), lower is better, becomes (1, 0, 1/4); C is
 * constant and becomes (1, 1, 1).  By hand, with e = -sum p ln p / ln 3:
 *   A: p = (0, 1/4, 3/4), e_A = (1/4 ln 4 + 3/4 ln 4/3) / ln 3
 *   B: p = (4/5, 0, 1/5), e_B = (4/5 ln 5/4 + 1/5 ln 5) / ln 3
 *   C: p = 1/3 each, e_C = 1
 *   w = (1 - e) / sum (1 - e) = (0.472704526107607, 0.527295473892393, 0)
 * Read as higher-is-better, B becomes (0, 1, 3/4), p = (0, 4/7, 3/7), and
 * w = (0.563327376563586, 0.436672623436414, 0).
 */
static void minmax_follows_direction(void **state)
{
    (void)state;
    const double x[9] = {1, 10, 7, 2, 30, 7, 4, 25, 7};
    const int dir[3] = {1, -1, 1};
    double w[3];
    egdi_error err;
    assert_int_equal(egdi_weights_entropy_minmax(x, 3, 3, dir, w, &err), EGDI_OK);
    double da = 1 - (0.25 * log(4) + 0.75 * log(4.0 / 3)) / log(3);
    double db = 1 - (0.8 * log(1.25) + 0.2 * log(5)) / log(3);
    assert_near(w[0], da / (da + db), 1e-14);
    assert_near(w[1], db / (da + db), 1e-14);
    assert_near(w[0], 0.472704526107607, 1e-14);
    assert_near(w[1], 0.527295473892393, 1e-14);
    assert_near(w[2], 0, 1e-14);
    const int up[3] = {1, 1, 1};
    assert_int_equal(egdi_weights_entropy_minmax(x, 3, 3, up, w, &err), EGDI_OK);
    assert_near(w[0], 0.563327376563586, 1e-14);
    assert_near(w[1], 0.436672623436414, 1e-14);
    /* every indicator constant: no weights */
    const double flat[4] = {5, 5, 5, 5};
    assert_int_equal(egdi_weights_entropy_minmax(flat, 2, 2, up, w, &err), EGDI_ERR_NUMERIC);
}

/* Near +-1e308 (issue 19, item 14): hi - lo overflows, yet the min-max
 * step gives the same columns as the values scaled by 1e-300 (halves are
 * exact), so the weights are the same, not an error printing "-nan".  A
 * column whose values add up beyond the largest double is refused by name. */
static void huge_values(void **state)
{
    (void)state;
    /* A = (-1e308, 0, 1e308) -> (0, 1/2, 1); B = (1e308, 5e307, -1e308) lower
     * is better -> (0, 1/4, 1); C = (1e8, 0, -1e8) scaled down */
    const double big[9] = {-1e308, 1e308, 1e8, 0, 5e307, 0, 1e308, -1e308, -1e8};
    const double small[9] = {-1e8, 1e8, 1e8, 0, 5e7, 0, 1e8, -1e8, -1e8};
    const int dir[3] = {1, -1, 1};
    double wb[3], ws[3];
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st0 = egdi_weights_entropy_minmax(small, 3, 3, dir, ws, &err);
    if (st0 != EGDI_OK)
        fail_msg("%s", err.message);
    assert_int_equal(egdi_weights_entropy_minmax(big, 3, 3, dir, wb, &err), EGDI_OK);
    for (int j = 0; j < 3; j++) {
        assert_true(isfinite(wb[j]));
        assert_near(wb[j], ws[j], 1e-12);
    }
    /* raw entropy: 1e308 + 1e308 is beyond the largest double */
    const double over[4] = {1e308, 1e308, 1, 2}; /* column-major: indicator 1 is (1e308, 1e308) */
    egdi_error_clear(&err);
    assert_int_equal(egdi_weights_entropy(over, 2, 2, wb, &err), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(err.message, "indicator 1: its values add up beyond the largest "
                                        "number"));
    assert_null(strstr(err.message, "nan"));
    const double inf[4] = {INFINITY, 1, 1, 2};
    egdi_error_clear(&err);
    assert_int_equal(egdi_weights_entropy(inf, 2, 2, wb, &err), EGDI_ERR_VALUE);
    assert_non_null(strstr(err.message, "need finite values (indicator 1, unit 1"));
}

static void children_of_a_parent(void **state)
{
    (void)state;
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "jiangsu", NULL, &err), EGDI_OK);
    egdi_weights_entropy_children c;
    assert_int_equal(egdi_weights_entropy_children_init(&c, m, "giri", &err), EGDI_OK);
    assert_int_equal(c.k, 6);
    for (size_t i = 0; i < 6; i++) {
        char want[8];
        snprintf(want, sizeof want, "GIRI%zu", i + 1);
        assert_string_equal(c.codes[i], want);
        assert_int_equal(c.direction[i], 1);
    }
    assert_string_equal(c.parent, "giri");
    egdi_weights_entropy_children_release(&c);

    assert_int_equal(egdi_weights_entropy_children_init(&c, m, "NOPE", &err), EGDI_ERR_NOT_FOUND);
    assert_string_equal(err.message, "no indicator NOPE in the model");
    assert_int_equal(egdi_weights_entropy_children_init(&c, m, "GSI", &err), EGDI_ERR_ARG);
    assert_string_equal(err.message, "GSI1 is not a leaf indicator: entropy weights need "
                                     "observed values of every child of GSI");
    assert_int_equal(egdi_weights_entropy_children_init(&c, m, "GIRI3", &err), EGDI_ERR_ARG);
    assert_string_equal(err.message, "GIRI3 has no children");
    assert_null(c.codes); /* nothing left to release */
    egdi_model_free(m);
}

/* The units and the 2024 metrics of tests/data/models in a new store. */
static egdi_store *test_round_store(void)
{
    egdi_store *s = NULL;
    egdi_error err;
    egdi_import_opts o;
    egdi_import_result res;
    egdi_import_opts_init(&o);
    if (egdi_store_open(&s, ":memory:", EGDI_STORE_CREATE, &err) != EGDI_OK ||
        egdi_import_units(s, "tests/data/models/units.csv", &o, &res, &err) != EGDI_OK)
        goto fail;
    egdi_import_result_release(&res);
    o.round = 2024;
    if (egdi_import_metrics(s, "tests/data/models/metrics-2024.csv", &o, &res, &err) != EGDI_OK)
        goto fail;
    egdi_import_result_release(&res);
    return s;
fail:
    fprintf(stderr, "test store: %s\n", err.message);
    egdi_import_result_release(&res);
    egdi_store_close(s);
    return NULL;
}

static void from_store_agrees_with_r(void **state)
{
    (void)state;
    egdi_store *s = test_round_store();
    assert_non_null(s);
    egdi_model *m = NULL;
    egdi_error err;
    assert_int_equal(egdi_model_load(&m, "jiangsu", NULL, &err), EGDI_OK);
    egdi_weights_entropy_children c;
    assert_int_equal(egdi_weights_entropy_children_init(&c, m, "GIRI", &err), EGDI_OK);
    assert_int_equal(egdi_weights_entropy_from_store(&c, s, 2024, &err), EGDI_OK);
    assert_int_equal(c.n, 7); /* 8 units, one without every GIRI value */
    /* tests/r/models_entropy.out */
    const double r[6] = {0.148068, 0.142170, 0.180859, 0.139606, 0.239392, 0.149905};
    for (size_t i = 0; i < 6; i++)
        assert_near(c.w[i], r[i], 5e-7);
    egdi_weights_entropy_children_release(&c);

    /* a round without data */
    assert_int_equal(egdi_weights_entropy_children_init(&c, m, "GIRI", &err), EGDI_OK);
    assert_int_equal(egdi_weights_entropy_from_store(&c, s, 2022, &err), EGDI_ERR_NUMERIC);
    assert_string_equal(err.message, "round 2022 has 0 units with all of GIRI's indicators; "
                                     "entropy weights need 2 or more");
    egdi_weights_entropy_children_release(&c);
    egdi_model_free(m);
    egdi_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minmax_follows_direction),
        cmocka_unit_test(huge_values),
        cmocka_unit_test(children_of_a_parent),
        cmocka_unit_test(from_store_agrees_with_r),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
