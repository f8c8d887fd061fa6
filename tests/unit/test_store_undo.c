/*
 * Unit tests for engine/store/undo.c and the schema-3 parts of the store it
 * relies on: undoing a metrics import (its values and missing values go,
 * the runs of its round become stale, the others do not), a survey import
 * (the survey goes with its last respondents), a units import (refused
 * while metrics refer to its units or when another import changed them;
 * otherwise its units go), deleting a round with everything of it; a
 * missing value never hides a stored value; the import list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "store_fixture.h"
#include "engine/store/batches.h"
#include "engine/store/observations.h"
#include "engine/store/score_runs.h"
#include "engine/store/undo.h"
#include "engine/store/units.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

/* A units batch with units R (region) and D (department under R): *ub. */
static void two_units(egdi_store *s, int64_t *ub, int64_t *r, int64_t *d)
{
    egdi_error err;
    egdi_store_batch b = {"units", "u.csv", SHA_A, NULL, 0, 0};
    assert_int_equal(egdi_store_batch_add(s, &b, ub, &err), EGDI_OK);
    egdi_store_unit ru = {0, "R", "甲市", "region", -1, NULL};
    egdi_store_unit du = {0, "D", "甲市教育局", "department", -1, NULL};
    assert_int_equal(egdi_store_unit_put(s, &ru, *ub, r, &err), EGDI_OK);
    assert_int_equal(egdi_store_unit_put(s, &du, *ub, d, &err), EGDI_OK);
    assert_int_equal(egdi_store_unit_set_parent(s, *d, "R", &err), EGDI_OK);
}

/* A metrics batch of round with one value and one missing value of unit. */
static int64_t metrics(egdi_store *s, int round, const char *sha, int64_t unit)
{
    egdi_error err;
    int64_t id = 0;
    egdi_store_batch b = {"metrics", "m.xlsx", sha, "数据", round, 0};
    assert_int_equal(egdi_store_batch_add(s, &b, &id, &err), EGDI_OK);
    egdi_store_obs o = {round, unit, "CBII1", 80, "80", id, "数据", 2, 3};
    assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
    egdi_store_missing m = {round, unit, "GIRI5", "—", "marked missing", id, "数据", 2, 4};
    bool rec = false;
    assert_int_equal(egdi_store_missing_put(s, &m, &rec, &err), EGDI_OK);
    assert_true(rec);
    return id;
}

/* A score run of round (its rows need not be complete for the undo). */
static void run_of(egdi_store *s, int round)
{
    assert_int_equal(egdi_store_exec(s, "INSERT OR IGNORE INTO model(name, version, sha256,"
                                        " definition, created_at) VALUES('m', '1', 'h', '', 'x')",
                                     NULL),
                     EGDI_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO score_run(round, model_id, inputs_sha256, program_version, created_at)"
             " VALUES(%d, 1, 'i', 'p', 'x')",
             round);
    assert_int_equal(egdi_store_exec(s, sql, NULL), EGDI_OK);
}

static void undo_metrics_takes_values_and_marks_runs_stale(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    int64_t ub, r, d;
    two_units(s, &ub, &r, &d);
    int64_t m24 = metrics(s, 2024, SHA_B, d);
    metrics(s, 2023, SHA_C, d);
    run_of(s, 2024);
    run_of(s, 2023);
    egdi_store_undone u;
    assert_int_equal(egdi_store_undo_batch(s, m24, &u, &err), EGDI_OK);
    assert_string_equal(u.kind, "metrics");
    assert_string_equal(u.file, "m.xlsx");
    assert_int_equal(u.round, 2024);
    assert_int_equal(u.observations, 1);
    assert_int_equal(u.missing, 1);
    assert_int_equal(u.stale_runs, 1);
    egdi_store_undone_release(&u);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation WHERE round = 2024"), 0);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM missing_value WHERE round = 2024"), 0);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation WHERE round = 2023"), 1);
    /* the run of 2024 is stale and says why; 2023's is not */
    char *why = NULL;
    assert_int_equal(egdi_store_score_run_stale(s, 1, &why, &err), EGDI_OK);
    assert_non_null(why);
    assert_non_null(strstr(why, "was undone"));
    /* ... as facts the command line can word in its language */
    char copy[512];
    egdi_stale_reason sr;
    assert_true(egdi_store_stale_parse(why, &sr, copy, sizeof copy));
    assert_int_equal(sr.kind, EGDI_STALE_UNDO);
    assert_int_equal(sr.batch, m24);
    assert_string_equal(sr.what, "metrics");
    assert_int_equal(strlen(sr.when), 20);
    char again[512];
    assert_string_equal(egdi_store_stale_text(&sr, again, sizeof again), why);
    free(why);
    assert_int_equal(egdi_store_score_run_stale(s, 2, &why, &err), EGDI_OK);
    assert_null(why);
    /* twice: there is no such import */
    assert_int_equal(egdi_store_undo_batch(s, m24, &u, &err), EGDI_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no import"));
}

static void undo_units_refused_while_referred_to(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    int64_t ub, r, d;
    two_units(s, &ub, &r, &d);
    int64_t m = metrics(s, 2024, SHA_B, d);
    egdi_store_undone u;
    assert_int_equal(egdi_store_undo_batch(s, ub, &u, &err), EGDI_ERR_EXISTS);
    assert_non_null(strstr(err.message, "\"D\""));
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit"), 2); /* rolled back */
    assert_int_equal(egdi_store_undo_batch(s, m, &u, &err), EGDI_OK);
    egdi_store_undone_release(&u);
    assert_int_equal(egdi_store_undo_batch(s, ub, &u, &err), EGDI_OK);
    assert_int_equal(u.units, 2);
    egdi_store_undone_release(&u);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit"), 0);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM import_batch"), 0);
}

static void undo_units_refused_when_another_import_changed_them(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    int64_t ub, r, d, ub2, id;
    two_units(s, &ub, &r, &d);
    egdi_store_batch b = {"units", "u2.csv", SHA_C, NULL, 0, 0};
    assert_int_equal(egdi_store_batch_add(s, &b, &ub2, &err), EGDI_OK);
    egdi_store_unit du = {d, "D", "甲市教育局（新）", "department", -1, NULL};
    assert_int_equal(egdi_store_unit_put(s, &du, ub2, &id, &err), EGDI_OK);
    egdi_store_undone u;
    /* the first created D, the second changed it: neither can be undone alone */
    assert_int_equal(egdi_store_undo_batch(s, ub, &u, &err), EGDI_ERR_EXISTS);
    assert_non_null(strstr(err.message, "both changed unit \"D\""));
    assert_int_equal(egdi_store_undo_batch(s, ub2, &u, &err), EGDI_ERR_EXISTS);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit"), 2);
}

static void undo_survey_takes_the_survey_with_its_last_respondents(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    assert_int_equal(egdi_store_exec(s, "INSERT INTO survey(id, name, codec, created_at)"
                                        " VALUES(7, 'civil', 'u8', 'x')",
                                     NULL),
                     EGDI_OK);
    int64_t b1, b2;
    egdi_store_batch a = {"survey", "q1.csv", SHA_A, NULL, 0, 7};
    egdi_store_batch b = {"survey", "q2.csv", SHA_B, NULL, 0, 7};
    assert_int_equal(egdi_store_batch_add(s, &a, &b1, &err), EGDI_OK);
    assert_int_equal(egdi_store_batch_add(s, &b, &b2, &err), EGDI_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO survey_response(survey_id, resp_no, batch_id, source_row, answers)"
             " VALUES(7, 1, %lld, 2, x'01'), (7, 2, %lld, 3, x'02'), (7, 3, %lld, 2, x'03')",
             (long long)b1, (long long)b1, (long long)b2);
    assert_int_equal(egdi_store_exec(s, sql, NULL), EGDI_OK);
    egdi_store_undone u;
    assert_int_equal(egdi_store_undo_batch(s, b1, &u, &err), EGDI_OK);
    assert_int_equal(u.respondents, 2);
    assert_int_equal(u.surveys, 0);
    egdi_store_undone_release(&u);
    assert_int_equal(egdi_store_undo_batch(s, b2, &u, &err), EGDI_OK);
    assert_int_equal(u.respondents, 1);
    assert_int_equal(u.surveys, 1);
    egdi_store_undone_release(&u);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM survey"), 0);
}

static void round_delete_takes_everything_of_the_round(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    int64_t ub, r, d;
    two_units(s, &ub, &r, &d);
    metrics(s, 2030, SHA_B, d);
    metrics(s, 2024, SHA_C, d);
    run_of(s, 2030);
    assert_int_equal(egdi_store_exec(s, "INSERT INTO survey(name, round, codec, created_at)"
                                        " VALUES('s30', 2030, 'u8', 'x')",
                                     NULL),
                     EGDI_OK);
    egdi_store_undone u;
    assert_int_equal(egdi_store_undo_round(s, 2030, &u, &err), EGDI_OK);
    assert_int_equal(u.batches, 1);
    assert_int_equal(u.observations, 1);
    assert_int_equal(u.missing, 1);
    assert_int_equal(u.surveys, 1);
    assert_int_equal(u.score_runs, 1);
    egdi_store_undone_release(&u);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM round WHERE year = 2030"), 0);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation"), 1); /* 2024's */
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit"), 2);
    assert_int_equal(egdi_store_undo_round(s, 2030, &u, &err), EGDI_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no round 2030"));
}

static void a_missing_value_never_hides_a_value(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    int64_t ub, r, d, b = 0;
    two_units(s, &ub, &r, &d);
    metrics(s, 2024, SHA_B, d); /* CBII1 = 80 */
    egdi_store_batch mb = {"metrics", "m2.xlsx", SHA_C, NULL, 2024, 0};
    assert_int_equal(egdi_store_batch_add(s, &mb, &b, &err), EGDI_OK);
    egdi_store_missing m = {2024, d, "CBII1", "", "empty", b, NULL, 5, 2};
    bool rec = true;
    assert_int_equal(egdi_store_missing_put(s, &m, &rec, &err), EGDI_OK);
    assert_false(rec);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM missing_value WHERE indicator = 'CBII1'"),
                     0);
}

typedef struct {
    int n;
    char files[4][32];
    int64_t missing[4];
} list_ctx;

static egdi_status on_batch(void *ctx, const egdi_store_batch_row *row, egdi_error *err)
{
    (void)err;
    list_ctx *k = ctx;
    snprintf(k->files[k->n], sizeof k->files[k->n], "%s:%s:%d", row->kind, row->file, row->round);
    k->missing[k->n++] = row->missing;
    return EGDI_OK;
}

static void the_list_of_imports(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    int64_t ub, r, d;
    two_units(s, &ub, &r, &d);
    int64_t m = metrics(s, 2024, SHA_B, d);
    assert_int_equal(egdi_store_batch_missing(s, m, 1, &err), EGDI_OK);
    list_ctx k = {0};
    assert_int_equal(egdi_store_batches_each(s, on_batch, &k, &err), EGDI_OK);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.files[0], "units:u.csv:0");
    assert_string_equal(k.files[1], "metrics:m.xlsx:2024");
    assert_int_equal(k.missing[1], 1);
}

/* The store's stale sentences read back as facts, a file name with spaces
 * and parentheses too; any other text is not taken for one. */
static void stale_reasons_read_back(void **state)
{
    (void)state;
    static const egdi_stale_reason cases[] = {
        {EGDI_STALE_IMPORT, 7, "metrics", "data/m (2024) on 1.csv", "2026-12-02T20:36:29Z"},
        {EGDI_STALE_UNDO, 12, "survey", "a) was undone on b.xlsx", "2026-01-01T00:00:00Z"},
        {EGDI_STALE_IMPORT, 1, "units", "u.csv", "2025-05-05T05:05:05Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512], copy[512];
        egdi_store_stale_text(&cases[i], text, sizeof text);
        egdi_stale_reason r;
        assert_true(egdi_store_stale_parse(text, &r, copy, sizeof copy));
        assert_int_equal(r.kind, cases[i].kind);
        assert_int_equal(r.batch, cases[i].batch);
        assert_string_equal(r.what, cases[i].what);
        assert_string_equal(r.file, cases[i].file);
        assert_string_equal(r.when, cases[i].when);
    }
    char copy[64];
    egdi_stale_reason r;
    assert_false(egdi_store_stale_parse("the model changed", &r, copy, sizeof copy));
    assert_false(egdi_store_stale_parse("import x (metrics a.csv) on now came after the scores",
                                        &r, copy, sizeof copy));
    assert_false(egdi_store_stale_parse("import 3 (metrics a.csv) on  came after the scores"
                                        " and more text than the copy holds",
                                        &r, copy, 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(undo_metrics_takes_values_and_marks_runs_stale,
                                        store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(undo_units_refused_while_referred_to, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(undo_units_refused_when_another_import_changed_them,
                                        store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(undo_survey_takes_the_survey_with_its_last_respondents,
                                        store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(round_delete_takes_everything_of_the_round, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(a_missing_value_never_hides_a_value, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(the_list_of_imports, store_setup, store_teardown),
        cmocka_unit_test(stale_reasons_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
