/*
 * Unit tests for the sample profile (surveys/profile.c) against R
 * (tests/r/relations_ref.R), on relations.csv:
 *   rel.prof.性别 / 学历 / 部门   table(): the counts in R's level order (C
 *                                locale: 女 男; 博士 大专 本科 硕士; 1-4)
 *   rel.prof.学历.missing         sum(is.na())
 *   rel.prof.年龄                 table(cut(年龄, c(-Inf, 30, 40, 50, Inf),
 *                                right = FALSE))
 * 部门 is coded 1-4 and labelled by egdi_dataset_value_labels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "relations_fixture.h"
#include "surveys/profile.h"

static fx_ref *REF;
static egdi_dataset *DS;

static int setup(void **state)
{
    (void)state;
    REF = rel_ref_load();
    DS = rel_open();
    if (!REF || !DS)
        return -1;
    egdi_error e;
    return egdi_dataset_value_labels(DS, "部门", "1=发改委,2=教育局,3=公安局,4=财政局", NULL,
                                     &e) == EGDI_OK
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_ref_free(REF);
    egdi_dataset_free(DS);
    return 0;
}

static void counts_as_r(void **state)
{
    (void)state;
    const char *cols[] = {"性别", "学历", "部门", "年龄"};
    double cuts[] = {30, 40, 50};
    egdi_profile_bins bins = {"年龄", 3, cuts};
    egdi_profile_var v[4];
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_profile_compute(DS, cols, 4, &bins, 1, v, &e), EGDI_OK);
    static const char *const sex[] = {"女", "男"};
    static const char *const edu[] = {"博士", "大专", "本科", "硕士"};
    static const char *const dept[] = {"发改委", "教育局", "公安局", "财政局"};
    static const char *const age[] = {"< 30", "[30, 40)", "[40, 50)", ">= 50"};
    const char *const *labels[] = {sex, edu, dept, age};
    static const size_t k[] = {2, 4, 4, 4};
    for (size_t j = 0; j < 4; j++) {
        assert_string_equal(v[j].column, cols[j]);
        assert_int_equal(v[j].k, k[j]);
        assert_int_equal(v[j].total, 400);
        assert_true(v[j].binned == (j == 3));
        double cum = 0;
        for (size_t c = 0; c < k[j]; c++) {
            assert_string_equal(v[j].label[c], labels[j][c]);
            assert_int_equal(v[j].count[c], (size_t)fx_refv(REF, "rel.prof.%s.%zu", cols[j], c + 1));
            assert_close(v[j].percent[c], 100.0 * (double)v[j].count[c] / 400, 1e-13);
            cum += v[j].valid_percent[c];
            assert_close(v[j].cum_percent[c], cum, 1e-13);
        }
        assert_close(v[j].cum_percent[k[j] - 1], 100, 1e-12);
    }
    assert_int_equal(v[1].missing, (size_t)fx_refv(REF, "rel.prof.学历.missing"));
    assert_int_equal(v[1].valid + v[1].missing, 400);
    assert_close(v[1].valid_percent[0], 100.0 * (double)v[1].count[0] / (double)v[1].valid, 1e-13);
    egdi_profile_release(v, 4);
}

static void refused_bins(void **state)
{
    (void)state;
    const char *cols[] = {"年龄"};
    double down[] = {40, 30};
    egdi_profile_bins b = {"年龄", 2, down};
    egdi_profile_var v[1];
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_profile_compute(DS, cols, 1, &b, 1, v, &e), EGDI_ERR_ARG);
    assert_non_null(strstr(e.message, "must increase"));
    double ok[] = {30};
    egdi_profile_bins other = {"学历", 1, ok};
    assert_int_equal(egdi_profile_compute(DS, cols, 1, &other, 1, v, &e), EGDI_ERR_ARG);
    assert_non_null(strstr(e.message, "not profiled"));
    /* binning a text column names its first text cell */
    const char *text[] = {"学历"};
    egdi_profile_bins tb = {"学历", 1, ok};
    assert_int_equal(egdi_profile_compute(DS, text, 1, &tb, 1, v, &e), EGDI_ERR_VALUE);
    assert_non_null(strstr(e.message, "is not a number"));
    const char *none[] = {"职务"};
    assert_int_equal(egdi_profile_compute(DS, none, 1, NULL, 0, v, &e), EGDI_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_as_r),
        cmocka_unit_test(refused_bins),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
