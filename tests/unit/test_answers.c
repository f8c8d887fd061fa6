/*
 * Unit tests for engine/import/answers.c, the marks for "no value" in the
 * one rule of a survey answer (egdi_answer_value): "N/A", "—", "暂无" and
 * the spreadsheet error #N/A are no answer (EGDI_DONE, "marked missing"),
 * never 0; a label spelled like a mark wins over the mark; other text and
 * other spreadsheet errors stay refused.  (The rest of the rule is tested
 * with the dataset layer, test_dataset.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/import/answers.h"

static egdi_cell text(const char *t)
{
    return (egdi_cell){EGDI_CELL_TEXT, false, 0, t, strlen(t)};
}

static void marks_are_no_answer(void **state)
{
    (void)state;
    static const char *const marks[] = {"N/A", "na", "—", "-", "/", "暂无", "无数据", "缺失"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        egdi_cell c = text(marks[i]);
        double v = 7;
        const char *why = NULL;
        assert_int_equal(egdi_answer_value(&c, NULL, &v, &why), EGDI_DONE);
        assert_string_equal(why, "marked missing");
        assert_true(v == 7); /* untouched: never 0 */
    }
    egdi_cell na = {EGDI_CELL_ERROR, false, 0, "#N/A", 4};
    const char *why = NULL;
    double v;
    assert_int_equal(egdi_answer_value(&na, NULL, &v, &why), EGDI_DONE);
    egdi_cell div = {EGDI_CELL_ERROR, false, 0, "#DIV/0!", 7};
    assert_int_equal(egdi_answer_value(&div, NULL, &v, &why), EGDI_ERR_VALUE);
    egdi_cell other = text("不知道");
    assert_int_equal(egdi_answer_value(&other, NULL, &v, &why), EGDI_ERR_VALUE);
}

static void a_label_wins_over_a_mark(void **state)
{
    (void)state;
    egdi_labels l;
    egdi_error e;
    assert_int_equal(egdi_answer_labels_parse("0=N/A,1=是", &l, &e), EGDI_OK);
    egdi_cell c = text("N/A");
    double v = 7;
    assert_int_equal(egdi_answer_value(&c, &l, &v, NULL), EGDI_OK);
    assert_true(v == 0);
    c = text("暂无");
    assert_int_equal(egdi_answer_value(&c, &l, &v, NULL), EGDI_DONE);
    egdi_answer_labels_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(marks_are_no_answer),
        cmocka_unit_test(a_label_wins_over_a_mark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
