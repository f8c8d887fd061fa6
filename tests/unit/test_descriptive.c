/*
 * Unit tests for surveys/descriptive.c against R on
 * tests/data/survey/questionnaire.csv (reference: tests/r/survey_ref.R,
 * block "describe": psych::describe(x, type = 3) and type = 2; SPSS's SE of
 * skewness / kurtosis by formula; sum(x == 3) for the frequency table).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "surveys/descriptive.h"
#include "survey_fixture.h"

static fx_data *Q;
static fx_ref *REF;

static int setup(void **state)
{
    (void)state;
    Q = fx_load("tests/data/survey/questionnaire.csv");
    REF = fx_ref_load();
    return Q && REF ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_free(Q);
    fx_ref_free(REF);
    return 0;
}

static void describe_matches_psych(void **state)
{
    (void)state;
    for (int j = 1; j <= 12; j++) {
        char it[8];
        snprintf(it, sizeof it, "Q%d", j);
        egdi_desc d;
        egdi_error e;
        assert_int_equal(egdi_desc_compute(fx_col(Q, it), Q->n, &d, &e), EGDI_OK);
        /* psych::describe(x, type = 3)$n, $mean, $sd, $min, $max */
        assert_int_equal(d.n, (size_t)fx_refv(REF, "q.desc.%s.n", it));
        assert_int_equal(d.n + d.missing, Q->n);
        assert_close(d.mean, fx_refv(REF, "q.desc.%s.mean", it), 1e-12);
        assert_close(d.sd, fx_refv(REF, "q.desc.%s.sd", it), 1e-12);
        assert_close(d.min, fx_refv(REF, "q.desc.%s.min", it), 0);
        assert_close(d.max, fx_refv(REF, "q.desc.%s.max", it), 0);
        /* psych::describe(x, type = 3)$skew, $kurtosis */
        assert_close(d.skew3, fx_refv(REF, "q.desc.%s.skew3", it), 1e-10);
        assert_close(d.kurt3, fx_refv(REF, "q.desc.%s.kurt3", it), 1e-10);
        /* psych::describe(x, type = 2)$skew, $kurtosis (SPSS) */
        assert_close(d.skew2, fx_refv(REF, "q.desc.%s.skew2", it), 1e-10);
        assert_close(d.kurt2, fx_refv(REF, "q.desc.%s.kurt2", it), 1e-10);
        /* sqrt(6n(n-1)/((n-2)(n+1)(n+3))), 2 SES sqrt((n^2-1)/((n-3)(n+5))) */
        assert_close(d.se_skew, fx_refv(REF, "q.desc.%s.se_skew", it), 1e-12);
        assert_close(d.se_kurt, fx_refv(REF, "q.desc.%s.se_kurt", it), 1e-12);
    }
}

static void frequency_table(void **state)
{
    (void)state;
    for (int j = 1; j <= 12; j++) {
        char it[8];
        snprintf(it, sizeof it, "Q%d", j);
        egdi_freq f;
        egdi_error e;
        assert_int_equal(egdi_freq_compute(fx_col(Q, it), Q->n, &f, &e), EGDI_OK);
        assert_int_equal(f.total, Q->n);
        assert_int_equal(f.valid, (size_t)fx_refv(REF, "q.desc.%s.n", it));
        size_t sum = 0, three = 0;
        for (size_t k = 0; k < f.k; k++) {
            sum += f.count[k];
            if (k > 0)
                assert_true(f.value[k] > f.value[k - 1]);
            if (f.value[k] == 3)
                three = f.count[k];
        }
        assert_int_equal(sum, f.valid);
        /* sum(x == 3, na.rm = TRUE) */
        assert_int_equal(three, (size_t)fx_refv(REF, "q.desc.%s.count3", it));
        egdi_freq_release(&f);
    }
}

static void degenerate_items(void **state)
{
    (void)state;
    egdi_desc d;
    egdi_error e;
    double none[3] = {NAN, NAN, NAN};
    assert_int_equal(egdi_desc_compute(none, 3, &d, &e), EGDI_ERR_NUMERIC);
    double same[4] = {3, 3, NAN, 3};
    assert_int_equal(egdi_desc_compute(same, 4, &d, &e), EGDI_OK);
    assert_int_equal(d.n, 3);
    assert_true(d.sd == 0);
    assert_true(isnan(d.skew2) && isnan(d.kurt3));
    /* {1, 2, 6}: sd = sqrt(((-2)^2 + (-1)^2 + 3^2) / 2) = sqrt(7); n = 3 has no kurtosis */
    double three[3] = {1, 2, 6};
    assert_int_equal(egdi_desc_compute(three, 3, &d, &e), EGDI_OK);
    assert_close(d.sd, sqrt(7.0), 1e-15);
    assert_true(isnan(d.kurt2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(describe_matches_psych),
        cmocka_unit_test(frequency_table),
        cmocka_unit_test(degenerate_items),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
