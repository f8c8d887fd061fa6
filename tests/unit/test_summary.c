/*
 * Unit tests for surveys/summary.h: the report's questionnaire statistics
 * gain the CFA of the dimensions and its validity tables (from the shared
 * covariances when the dimensions hold every item, from their own pass
 * otherwise), and a dimension that cannot be fitted leaves a note instead
 * of failing the summary.  Reference numbers: tests/r/cfa_ref.out (see
 * test_cfa.c): hs.* = lavaan::cfa of the tutorial's model on
 * tests/data/survey/hs1939.csv, semTools::compRelSEM for hs.omega.
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

#include <gsl/gsl_errno.h>

#include "cfa_fixture.h"
#include "surveys/summary.h"

/* Writes a scales table to a temporary file; returns its path (static). */
static const char *scales_file(const char *rows)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/egdi-summary-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("scale,item,reversed\n", f);
    fputs(rows, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static egdi_dataset *open_hs(const char *scales, const char *items)
{
    egdi_dataset_opts d;
    egdi_dataset_opts_init(&d);
    d.data = CFX_HS;
    d.scales = scales;
    d.items = items;
    egdi_dataset *ds;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_open(&d, &ds, &err) != EGDI_OK)
        fail_msg("%s", err.message);
    return ds;
}

static void test_cfa_of_the_dimensions(void **state)
{
    (void)state;
    egdi_dataset *ds = open_hs("tests/data/survey/hs1939_scales.csv", NULL);
    egdi_survey_summary s;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_survey_summary_compute(ds, &s, &err), EGDI_OK);
    assert_true(s.have_cfa);
    assert_int_equal(s.cfa.m, 3);
    assert_int_equal(s.cfa_n_read, 301);
    cfx_near(s.cfa.fit.chisq, cfx_ref1("hs", "chisq"), 1e-6, "chisq (lavaan::fitMeasures)");
    cfx_near(s.cfa.fit.cfi, cfx_ref1("hs", "cfi"), 1e-6, "cfi");
    const cfx_entry *om = cfx_ref("hs", "omega");
    for (size_t f = 0; f < 3; f++)
        cfx_near(s.validity.omega[f], om->v[f], 1e-6, "omega (semTools::compRelSEM)");
    egdi_survey_summary_release(&s);
    egdi_dataset_free(ds);
}

static void test_dimensions_of_some_items(void **state)
{
    (void)state;
    /* two dimensions of six of the nine items: the CFA has its own pass
     * over those six, the same fit as fitting that model directly */
    const char *sc = scales_file("visual,x1,0\nvisual,x2,0\nvisual,x3,0\n"
                                 "textual,x4,0\ntextual,x5,0\ntextual,x6,0\n");
    egdi_dataset *ds = open_hs(sc, "x1-x9");
    egdi_survey_summary s;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_survey_summary_compute(ds, &s, &err), EGDI_OK);
    assert_true(s.have_cfa);
    assert_int_equal(s.cfa.p, 6);
    cfx_fit f;
    cfx_fit_file(&f, CFX_HS, "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6", NULL, 0, 0, NULL);
    cfx_near(s.cfa.fit.chisq, f.r.fit.chisq, 1e-9, "the same fit");
    cfx_fit_release(&f);
    egdi_survey_summary_release(&s);
    egdi_dataset_free(ds);
    remove(sc);
}

static void test_dimension_of_one_item(void **state)
{
    (void)state;
    /* a dimension of one item cannot be a factor: the summary stands and
     * says why there is no CFA */
    const char *sc = scales_file("visual,x1,0\nvisual,x2,0\nvisual,x3,0\n"
                                 "textual,x4,0\ntextual,x5,0\ntextual,x6,0\nspeed,x7,0\n");
    egdi_dataset *ds = open_hs(sc, "x1-x7");
    egdi_survey_summary s;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_survey_summary_compute(ds, &s, &err), EGDI_OK);
    assert_false(s.have_cfa);
    assert_non_null(strstr(s.cfa_note, "factor speed has one item (x7)"));
    assert_true(s.kmo.kmo > 0); /* the rest is there */
    egdi_survey_summary_release(&s);
    egdi_dataset_free(ds);
    remove(sc);
    /* no dimensions: no CFA and no note */
    ds = open_hs(NULL, "x1-x9");
    assert_int_equal(egdi_survey_summary_compute(ds, &s, &err), EGDI_OK);
    assert_false(s.have_cfa);
    assert_string_equal(s.cfa_note, "");
    egdi_survey_summary_release(&s);
    egdi_dataset_free(ds);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cfa_of_the_dimensions),
        cmocka_unit_test(test_dimensions_of_some_items),
        cmocka_unit_test(test_dimension_of_one_item),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
