/*
 * Unit tests for crosstabs (surveys/crosstab.c) against R
 * (tests/r/relations_ref.R), on relations.csv:
 *   rel.xt.*     性别 x 学历 (2 x 4): chisq.test(correct = FALSE) statistic,
 *                parameter, p.value, expected (by rows); Cramér's V =
 *                sqrt(chi2 / (n (min(r, c) - 1)))
 *   rel.xt2.*    性别 x 培训 (2 x 2): the counts, chisq.test(correct = FALSE),
 *                fisher.test()$p.value
 *   rel.xt3.*    fisher.test(matrix(c(12, 1, 2, 15), 2)) (a small p) and its
 *                chi-square
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>

#include "relations_fixture.h"
#include "surveys/crosstab.h"

static fx_ref *REF;
static egdi_dataset *DS;

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    REF = rel_ref_load();
    DS = rel_open();
    return REF && DS ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_ref_free(REF);
    egdi_dataset_free(DS);
    return 0;
}

static size_t col(const char *name)
{
    size_t j;
    egdi_error e;
    assert_int_equal(egdi_dataset_find(DS, name, &j, &e), EGDI_OK);
    return j;
}

static void sex_by_education(void **state)
{
    (void)state;
    egdi_crosstab x;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_crosstab_dataset(DS, col("性别"), col("学历"), &x, &e), EGDI_OK);
    assert_int_equal(x.r, 2);
    assert_int_equal(x.c, 4);
    assert_string_equal(x.row_label[0], "女");
    assert_string_equal(x.col_label[0], "博士");
    assert_string_equal(x.col_label[3], "硕士");
    assert_int_equal(x.n, (size_t)fx_refv(REF, "rel.xt.n"));
    assert_int_equal(x.n_read, 400);
    assert_rel(x.chi2, fx_refv(REF, "rel.xt.chi2"), 1e-12);
    assert_true(x.df == fx_refv(REF, "rel.xt.df"));
    assert_rel(x.p, fx_refv(REF, "rel.xt.p"), 1e-9);
    assert_rel(x.cramer_v, fx_refv(REF, "rel.xt.V"), 1e-12);
    for (size_t k = 0; k < 8; k++)
        assert_close(x.expected[k], fx_refv(REF, "rel.xt.expected.%zu", k + 1), 1e-13);
    assert_int_equal(x.n_low, (size_t)fx_refv(REF, "rel.xt.n_expected_lt5"));
    assert_false(x.have_fisher);
    egdi_crosstab_release(&x);
}

static void two_by_two(void **state)
{
    (void)state;
    egdi_crosstab x;
    egdi_error e;
    assert_int_equal(egdi_crosstab_dataset(DS, col("性别"), col("培训"), &x, &e), EGDI_OK);
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(x.count[k], (size_t)fx_refv(REF, "rel.xt2.count.%zu", k + 1));
    assert_rel(x.chi2, fx_refv(REF, "rel.xt2.chi2"), 1e-12);
    assert_rel(x.p, fx_refv(REF, "rel.xt2.p"), 1e-9);
    assert_true(x.have_fisher);
    assert_rel(x.fisher_p, fx_refv(REF, "rel.xt2.fisher_p"), 1e-9);
    egdi_crosstab_release(&x);
    /* a small table with a small p (R's matrix(c(12, 1, 2, 15), 2) is by
     * columns: rows {12, 2} and {1, 15}) */
    size_t t[4] = {12, 2, 1, 15};
    assert_int_equal(egdi_crosstab_compute(t, 2, 2, &x, &e), EGDI_OK);
    assert_rel(x.fisher_p, fx_refv(REF, "rel.xt3.fisher_p"), 1e-9);
    assert_rel(x.chi2, fx_refv(REF, "rel.xt3.chi2"), 1e-12);
    assert_int_equal(x.n_low, 0); /* margins 14, 16 and 13, 17 */
    assert_close(x.min_expected, 14.0 * 13 / 30, 1e-14);
    egdi_crosstab_release(&x);
    size_t few[4] = {3, 1, 1, 4}; /* expected counts 2.22 ... 2.78: all below 5 */
    assert_int_equal(egdi_crosstab_compute(few, 2, 2, &x, &e), EGDI_OK);
    assert_int_equal(x.n_low, 4);
    egdi_crosstab_release(&x);
}

static void refused_tables(void **state)
{
    (void)state;
    egdi_crosstab x;
    egdi_error e;
    egdi_error_clear(&e);
    size_t one_row[3] = {1, 2, 3};
    assert_int_equal(egdi_crosstab_compute(one_row, 1, 3, &x, &e), EGDI_ERR_NUMERIC);
    size_t empty_col[4] = {1, 0, 2, 0};
    assert_int_equal(egdi_crosstab_compute(empty_col, 2, 2, &x, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "column 2"));
    assert_int_equal(egdi_crosstab_dataset(DS, col("性别"), col("性别"), &x, &e), EGDI_ERR_ARG);
    /* a column of more than EGDI_CATEGORIES_MAX values is no grouping column */
    egdi_error_clear(&e);
    assert_int_equal(egdi_crosstab_dataset(DS, col("性别"), col("编号"), &x, &e), EGDI_OK);
    egdi_crosstab_release(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sex_by_education),
        cmocka_unit_test(two_by_two),
        cmocka_unit_test(refused_tables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
