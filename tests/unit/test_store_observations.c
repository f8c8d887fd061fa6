/*
 * Unit tests for engine/store/observations.c: an observation stored with
 * its source cell, a second value for the same round, unit and indicator
 * replacing the first, where a stored value came from, and a round's values
 * as a units-by-indicators matrix (complete units only, codes without
 * case, unit id order); an import stores its values with one statement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

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

static void matrix_keeps_complete_units(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    /* U1, U3 have both; U2 lacks B; U4 has both in 2023 only */
    put(s, 2024, 3, "A", 30);
    put(s, 2024, 3, "b", 31); /* codes compare without case */
    put(s, 2024, 1, "A", 10);
    put(s, 2024, 1, "B", 11);
    put(s, 2024, 1, "C", 99); /* not asked for */
    put(s, 2024, 2, "A", 20);
    put(s, 2023, 4, "A", 40);
    put(s, 2023, 4, "B", 41);
    const char *codes[2] = {"a", "B"};
    double *x = NULL;
    size_t n = 0;
    assert_int_equal(egdi_store_obs_matrix(s, 2024, codes, 2, &x, &n, &err), EGDI_OK);
    assert_int_equal(n, 2);
    /* unit id order, row-major */
    const double want[4] = {10, 11, 30, 31};
    for (size_t i = 0; i < 4; i++)
        assert_true(x[i] == want[i]);
    free(x);
    /* columns in the order asked */
    const char *swapped[2] = {"b", "a"};
    assert_int_equal(egdi_store_obs_matrix(s, 2023, swapped, 2, &x, &n, &err), EGDI_OK);
    assert_int_equal(n, 1);
    assert_true(x[0] == 41 && x[1] == 40);
    free(x);
    /* a round without values, and no indicators at all */
    assert_int_equal(egdi_store_obs_matrix(s, 2022, codes, 2, &x, &n, &err), EGDI_OK);
    assert_int_equal(n, 0);
    assert_null(x);
    assert_int_equal(egdi_store_obs_matrix(s, 2024, codes, 0, &x, &n, &err), EGDI_ERR_ARG);
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

/* egdi_import_metrics stores every value with one statement. */
static void an_import_prepares_once(void **state)
{
    egdi_store *s = *state;
    egdi_import_opts o;
    egdi_import_result res;
    egdi_error err;
    egdi_import_opts_init(&o);
    assert_int_equal(egdi_import_units(s, "tests/data/models/units.csv", &o, &res, &err),
                     EGDI_OK);
    egdi_import_result_free(&res);
    o.round = 2024;
    assert_int_equal(egdi_import_metrics(s, "tests/data/models/metrics-2024.csv", &o, &res,
                                         &err),
                     EGDI_OK);
    size_t stored = res.values_stored;
    egdi_import_result_free(&res);
    assert_true(stored > 100);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation"), (int64_t)stored);
    assert_int_equal(stmt_runs(s, "INSERT OR REPLACE INTO observation"), (int)stored);
    /* and asked, for each, whether the round held it already */
    assert_int_equal(stmt_runs(s, "SELECT b.file, o.row FROM observation"), (int)stored);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(put_keeps_the_source_cell, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(put_replaces_the_same_value, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(source_names_file_and_row, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(matrix_keeps_complete_units, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(put_is_prepared_once, seeded, store_teardown),
        cmocka_unit_test_setup_teardown(an_import_prepares_once, store_setup, store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
