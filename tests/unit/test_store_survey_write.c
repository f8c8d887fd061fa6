/*
 * Unit tests for engine/store/survey_write.c: a survey written with its
 * columns, dimensions and labels and read back by egdi_survey_load; finding
 * it by name with its codec; comparing columns; repeated labels refused;
 * respondents numbered on after those already stored, one statement for
 * all of them (also when egdi_import_survey writes them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include <stdio.h>
#include <unistd.h>

#include "store_fixture.h"
#include "engine/import/import.h"
#include "engine/store/survey_store.h"
#include "engine/store/survey_write.h"

static const char *const codes[4] = {"id", "A1", "A2", "gender"};
static const bool is_item[4] = {false, true, true, false};
static const bool reversed[4] = {false, false, true, false};
static const char *const dimension[4] = {NULL, "trust", "trust", NULL};
static const double label_values[2] = {1, 5};
static const char *const labels[2] = {"非常不同意", "非常同意"};

static egdi_store_survey_def def(void)
{
    egdi_store_survey_def d = {
        .name = "civil",
        .round = 2024,
        .have_scale = true,
        .scale_min = 1,
        .scale_max = 5,
        .u8 = true,
        .ncols = 4,
        .codes = codes,
        .is_item = is_item,
        .reversed = reversed,
        .dimension = dimension,
        .nlabels = 2,
        .label_values = label_values,
        .labels = labels,
    };
    return d;
}

/* Batch 1 (a survey import) for the respondents. */
static int64_t batch(egdi_store *s)
{
    sql_exec(s, "INSERT OR IGNORE INTO import_batch(id, kind, file, sha256, imported_at)"
                " VALUES(1, 'survey', 's.csv', 'x', 'now')");
    return 1;
}

static void add_then_load(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_survey_def d = def();
    int64_t id = 0;
    assert_int_equal(egdi_store_survey_add(s, &d, &id, &err), EGDI_OK);
    assert_true(id > 0);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM round WHERE year = 2024"), 1);
    egdi_store_responses w;
    assert_int_equal(egdi_store_responses_begin(&w, s, id, batch(s), &err), EGDI_OK);
    unsigned char a1[2] = {4, 2}, a2[2] = {5, EGDI_SURVEY_MISSING_U8};
    assert_int_equal(egdi_store_responses_put(&w, 2, a1, 2, "{\"gender\":\"女\"}", &err),
                     EGDI_OK);
    assert_int_equal(egdi_store_responses_put(&w, 4, a2, 2, NULL, &err), EGDI_OK);

    egdi_survey_data *sd = NULL;
    assert_int_equal(egdi_survey_load(s, "civil", &sd, &err), EGDI_OK);
    assert_int_equal(sd->round, 2024);
    assert_true(sd->have_scale && sd->scale_min == 1 && sd->scale_max == 5);
    assert_int_equal(sd->ncols, 4);
    for (size_t c = 0; c < 4; c++) {
        assert_string_equal(sd->codes[c], codes[c]);
        assert_int_equal(sd->is_item[c], is_item[c]);
        assert_int_equal(sd->reversed[c], reversed[c]);
        if (dimension[c])
            assert_string_equal(sd->dimension[c], dimension[c]);
        else
            assert_null(sd->dimension[c]);
    }
    assert_int_equal(sd->nlabels, 2);
    assert_true(sd->label_values[0] == 1 && sd->label_values[1] == 5);
    assert_string_equal(sd->labels[0], "非常不同意");
    assert_string_equal(sd->labels[1], "非常同意");
    assert_int_equal(sd->n, 2);
    assert_int_equal(sd->rows[0], 2);
    assert_int_equal(sd->rows[1], 4);
    /* a "u8" survey's items come back as bytes */
    assert_null(sd->num[1]);
    assert_true(sd->code[1][0] == 4 && sd->code[2][0] == 2);
    assert_true(sd->code[1][1] == 5 && sd->code[2][1] == EGDI_SURVEY_MISSING_U8);
    assert_string_equal(sd->text[3][0], "女");
    assert_null(sd->text[3][1]);
    egdi_survey_data_free(sd);
}

static void find_gives_id_and_codec(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_error_clear(&err);
    int64_t id = 0, found = 0;
    bool u8 = true;
    assert_int_equal(egdi_store_survey_find(s, "civil", &found, &u8, &err), EGDI_DONE);
    assert_int_equal(err.status, EGDI_OK);
    egdi_store_survey_def d = def();
    d.u8 = false;
    d.have_scale = false;
    d.round = 0;
    d.dimension = NULL;
    d.nlabels = 0;
    assert_int_equal(egdi_store_survey_add(s, &d, &id, &err), EGDI_OK);
    assert_int_equal(egdi_store_survey_find(s, "civil", &found, &u8, &err), EGDI_OK);
    assert_int_equal(found, id);
    assert_false(u8);
    char buf[64];
    assert_string_equal(sql_text(s, "SELECT codec || coalesce(round, '-') ||"
                                    " coalesce(scale_min, '-') FROM survey",
                                 buf, sizeof buf),
                        "f64--");
    assert_int_equal(sql_int(s, "SELECT count(*) FROM survey_column WHERE dimension IS NULL"),
                     4);
}

static void same_columns_compares_codes_and_items(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_survey_def d = def();
    int64_t id;
    assert_int_equal(egdi_store_survey_add(s, &d, &id, &err), EGDI_OK);
    bool same = false;
    assert_int_equal(egdi_store_survey_same_columns(s, id, codes, is_item, 4, &same, &err),
                     EGDI_OK);
    assert_true(same);
    /* one item fewer */
    const bool other_items[4] = {false, true, false, false};
    assert_int_equal(egdi_store_survey_same_columns(s, id, codes, other_items, 4, &same, &err),
                     EGDI_OK);
    assert_false(same);
    /* a column fewer, a column more, another heading */
    assert_int_equal(egdi_store_survey_same_columns(s, id, codes, is_item, 3, &same, &err),
                     EGDI_OK);
    assert_false(same);
    const char *const more[5] = {"id", "A1", "A2", "gender", "age"};
    const bool more_items[5] = {false, true, true, false, false};
    assert_int_equal(egdi_store_survey_same_columns(s, id, more, more_items, 5, &same, &err),
                     EGDI_OK);
    assert_false(same);
    const char *const renamed[4] = {"id", "A1", "A3", "gender"};
    assert_int_equal(egdi_store_survey_same_columns(s, id, renamed, is_item, 4, &same, &err),
                     EGDI_OK);
    assert_false(same);
}

static void repeated_labels_are_refused(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store_survey_def d = def();
    const double values[3] = {1, 2, 3};
    const char *const same_label[3] = {"不同意", "一般", "不同意"};
    d.nlabels = 3;
    d.label_values = values;
    d.labels = same_label;
    int64_t id;
    assert_int_equal(egdi_store_survey_add(s, &d, &id, &err), EGDI_ERR_FORMAT);
    assert_string_equal(err.message, "answer labels repeat a value or a label (\"不同意\")");
}

static void respondents_number_on(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_survey_def d = def();
    int64_t id;
    assert_int_equal(egdi_store_survey_add(s, &d, &id, &err), EGDI_OK);
    unsigned char a[2] = {3, 3};
    egdi_store_responses w;
    assert_int_equal(egdi_store_responses_begin(&w, s, id, batch(s), &err), EGDI_OK);
    for (uint32_t r = 2; r < 1002; r++)
        assert_int_equal(egdi_store_responses_put(&w, r, a, 2, NULL, &err), EGDI_OK);
    /* a second import appends after respondent 1000 */
    assert_int_equal(egdi_store_responses_begin(&w, s, id, batch(s), &err), EGDI_OK);
    assert_int_equal(w.resp_no, 1000);
    assert_int_equal(egdi_store_responses_put(&w, 2, a, 2, NULL, &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT max(resp_no) FROM survey_response"), 1001);
    assert_int_equal(sql_int(s, "SELECT source_row FROM survey_response WHERE resp_no = 1001"),
                     2);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM survey_response WHERE attrs IS NULL"),
                     1001);
    assert_int_equal(stmt_runs(s, "INSERT INTO survey_response"), 1001);
}

/* An import of 3,000 respondents runs one insert statement 3,000 times. */
static void an_import_prepares_once(void **state)
{
    egdi_store *s = *state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/egdi-test-survey-write-%ld.csv", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,Q1,Q2,Q3,dept\n", f);
    for (int i = 0; i < 3000; i++)
        fprintf(f, "%d,%d,%d,%d,d%d\n", i + 1, 1 + i % 5, 1 + (i / 5) % 5, 1 + (i / 25) % 5,
                i % 7);
    assert_int_equal(fclose(f), 0);
    egdi_import_opts o;
    egdi_import_opts_init(&o);
    o.survey = "big";
    o.items = "Q1-Q3";
    o.id_col = "id";
    egdi_import_result res;
    egdi_error err;
    assert_int_equal(egdi_import_survey(s, path, &o, &res, &err), EGDI_OK);
    assert_int_equal(res.rows_stored, 3000);
    assert_int_equal(res.values_stored, 9000);
    egdi_import_result_release(&res);
    unlink(path);
    assert_int_equal(stmt_runs(s, "INSERT INTO survey_response"), 3000);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM survey_response"), 3000);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM survey_response WHERE attrs IS NULL"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(add_then_load, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(find_gives_id_and_codec, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(same_columns_compares_codes_and_items, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(repeated_labels_are_refused, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(respondents_number_on, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(an_import_prepares_once, store_setup, store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
