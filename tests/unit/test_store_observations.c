/*
 * Unit tests for engine/store/observations.c: an observation stored with
 * its source cell, a second value for the same round, unit and indicator
 * replacing the first, where a stored value came from, a round's values
 * (unit id then indicator order) and the cells they came from; an import
 * stores its values with one statement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"
#include "engine/import/import.h"
#include "engine/store/observations.h"

/* Units 1..4 (U1..U4), rounds 2023 and 2024, batch 1 from "m-2024.csv". */
static int seeded(void **state)
{
    if (store_setup(state) != 0)
        return -1;
    egdi_store *s = *state;
    char *msg = NULL;
    int rc = sqlite3_exec(egdi_store_db(s),
                          "INSERT INTO round(year) VALUES(2023), (2024);"
                          "INSERT INTO import_batch(id, kind, file, sha256, imported_at)"
                          " VALUES(1, 'metrics', 'm-2024.csv', 'x', 'now');"
                          "INSERT INTO unit(id, code, name, kind) VALUES"
                          " (1, 'U1', 'a', 'department'), (2, 'U2', 'b', 'department'),"
                          " (3, 'U3', 'c', 'department'), (4, 'U4', 'd', 'department');",
                          NULL, NULL, &msg);
    sqlite3_free(msg);
    return rc == SQLITE_OK ? 0 : -1;
}

static void put(egdi_store *s, int round, int64_t unit, const char *ind, double v)
{
    egdi_store_obs o = {round, unit, ind, v, "raw", 1, NULL, 3, 4};
    egdi_error err;
    assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
}

static void put_keeps_the_source_cell(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_obs o = {2024, 2, "GIRI3", 184.5, "184.5", 1, "数据", 7, 9};
    assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
    char buf[128];
    assert_string_equal(sql_text(s, "SELECT round || '|' || unit_id || '|' || indicator || '|' ||"
                                    " value || '|' || raw || '|' || batch_id || '|' || sheet ||"
                                    " '|' || row || '|' || col FROM observation",
                                 buf, sizeof buf),
                        "2024|2|GIRI3|184.5|184.5|1|数据|7|9");
    /* a CSV has no sheet */
    o.indicator = "GIRI4";
    o.sheet = NULL;
    assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT sheet FROM observation WHERE indicator = 'GIRI4'"), -2);
}

static void put_replaces_the_same_value(void **state)
{
    egdi_store *s = *state;
    put(s, 2024, 1, "CBII1", 80);
    put(s, 2024, 1, "CBII1", 85);
    put(s, 2023, 1, "CBII1", 70); /* another round: another value */
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation"), 2);
    assert_int_equal(sql_int(s, "SELECT value FROM observation WHERE round = 2024"), 85);
}

static void source_names_file_and_row(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store_obs o = {2024, 3, "GSI2", 68, "68", 1, NULL, 12, 5};
    assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
    char *file = NULL;
    int row = 0;
    assert_int_equal(egdi_store_obs_source(s, 2024, 3, "GSI2", &file, &row, &err), EGDI_OK);
    assert_string_equal(file, "m-2024.csv");
    assert_int_equal(row, 12);
    free(file);
    /* another round, unit or indicator has none */
    assert_int_equal(egdi_store_obs_source(s, 2023, 3, "GSI2", &file, &row, &err), EGDI_DONE);
    assert_null(file);
    assert_int_equal(egdi_store_obs_source(s, 2024, 2, "GSI2", &file, &row, &err), EGDI_DONE);
    assert_int_equal(egdi_store_obs_source(s, 2024, 3, "GSI3", &file, &row, &err), EGDI_DONE);
    assert_int_equal(err.status, EGDI_OK);
}

typedef struct {
    char text[512];
} collect;

static egdi_status on_value(void *ctx, int64_t unit_id, const char *ind, double v,
                            egdi_error *err)
{
    (void)err;
    collect *c = ctx;
    size_t len = strlen(c->text);
    snprintf(c->text + len, sizeof c->text - len, "%lld:%s=%g ", (long long)unit_id, ind, v);
    return EGDI_OK;
}

static egdi_status on_source(void *ctx, const egdi_store_source_row *r, egdi_error *err)
{
    (void)err;
    collect *c = ctx;
    size_t len = strlen(c->text);
    snprintf(c->text + len, sizeof c->text - len, "%lld:%s@%s!%s!%u,%u ", (long long)r->unit_id,
             r->indicator, r->file, r->sheet ? r->sheet : "-", r->row, r->col);
    return EGDI_OK;
}

static egdi_status stop_at_second(void *ctx, int64_t unit_id, const char *ind, double v,
                                  egdi_error *err)
{
    (void)unit_id;
    (void)ind;
    (void)v;
    int *seen = ctx;
    if (++*seen == 2)
        return egdi_error_set(err, EGDI_ERR_ARG, "stop");
    return EGDI_OK;
}

static void each_value_and_source_of_a_round(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_error_clear(&err);
    put(s, 2024, 3, "B", 31);
    put(s, 2024, 1, "B", 11);
    put(s, 2024, 1, "A", 10);
    put(s, 2023, 4, "A", 40); /* another round */
    egdi_store_obs o = {2024, 2, "C", 2.5, "2.5", 1, "数据", 7, 9};
    assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
    collect c = {""};
    assert_int_equal(egdi_store_obs_each(s, 2024, on_value, &c, &err), EGDI_OK);
    assert_string_equal(c.text, "1:A=10 1:B=11 2:C=2.5 3:B=31 ");
    c.text[0] = '\0';
    assert_int_equal(egdi_store_obs_each(s, 2022, on_value, &c, &err), EGDI_OK);
    assert_string_equal(c.text, "");
    /* a callback's failure stops the reading and is returned */
    int seen = 0;
    assert_int_equal(egdi_store_obs_each(s, 2024, stop_at_second, &seen, &err), EGDI_ERR_ARG);
    assert_int_equal(seen, 2);
    assert_string_equal(err.message, "stop");
    /* where they came from: every unit, or one */
    c.text[0] = '\0';
    assert_int_equal(egdi_store_obs_sources_each(s, 2024, 0, on_source, &c, &err), EGDI_OK);
    assert_string_equal(c.text, "1:A@m-2024.csv!-!3,4 1:B@m-2024.csv!-!3,4 "
                                "2:C@m-2024.csv!数据!7,9 3:B@m-2024.csv!-!3,4 ");
    c.text[0] = '\0';
    assert_int_equal(egdi_store_obs_sources_each(s, 2024, 2, on_source, &c, &err), EGDI_OK);
    assert_string_equal(c.text, "2:C@m-2024.csv!数据!7,9 ");
}

static void put_is_prepared_once(void **state)
{
    egdi_store *s = *state;
    char ind[16];
    for (int i = 0; i < 2000; i++) {
        snprintf(ind, sizeof ind, "I%d", i);
        put(s, 2024, 1 + i % 4, ind, i);
    }
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation"), 2000);
    assert_int_equal(sql_int(s, "SELECT sum(value) FROM observation"), 1999 * 1000);
    assert_int_equal(stmt_runs(s, "INSERT OR REPLACE INTO observation"), 2000);
}

/* egdi_import_metrics stores its values 64 to a statement (issue 20): they
 * go to the store 256 at a time (engine/import/metrics.c, OBS_PENDING), each
 * lot as lot / 64 statements of 64 rows and lot % 64 of one; and asks
 * whether the round held a value already only when the round holds any. */
static void an_import_prepares_once(void **state)
{
    egdi_store *s = *state;
    egdi_import_opts o;
    egdi_import_result res;
    egdi_error err;
    egdi_import_opts_init(&o);
    assert_int_equal(egdi_import_units(s, "tests/data/models/units.csv", &o, &res, &err),
                     EGDI_OK);
    egdi_import_result_release(&res);
    o.round = 2024;
    assert_int_equal(egdi_import_metrics(s, "tests/data/models/metrics-2024.csv", &o, &res,
                                         &err),
                     EGDI_OK);
    size_t stored = res.values_stored;
    egdi_import_result_release(&res);
    assert_true(stored > 100);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation"), (int64_t)stored);
    size_t last = stored % 256;
    int runs = (int)(stored / 256 * 4 + last / 64 + last % 64);
    assert_int_equal(stmt_runs(s, "INSERT OR REPLACE INTO observation"), runs);
    assert_true(runs < (int)stored / 8);
    /* a new round: nothing to look up */
    assert_int_equal(stmt_runs(s, "SELECT b.file, o.row FROM observation"), 0);
    /* another file of the same round: each of its values is looked up, and
     * each one the round holds is refused */
    assert_int_equal(egdi_import_metrics(s, "tests/data/models/metrics-2023.csv", &o, &res,
                                         &err),
                     EGDI_ERR_VALUE);
    int looked = stmt_runs(s, "SELECT b.file, o.row FROM observation");
    assert_true(looked > 100);
    assert_true(res.nrejects > 100 && res.nrejects <= (size_t)looked);
    egdi_import_result_release(&res);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation"), (int64_t)stored);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(put_keeps_the_source_cell, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(put_replaces_the_same_value, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(source_names_file_and_row, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(each_value_and_source_of_a_round, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(put_is_prepared_once, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(an_import_prepares_once, store_setup, store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
