/*
 * Unit tests for engine/store/status.c: the counts behind `egdi status`
 * on an empty store and on one holding units, two rounds of observations,
 * import batches, two surveys (one without a round), a model and a score
 * run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_fixture.h"
#include "engine/store/status.h"

static void empty_store(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_counts c;
    assert_int_equal(egdi_store_counts_read(s, &c, &err), EGDI_OK);
    assert_int_equal(c.departments + c.regions + c.observations + c.imports + c.models +
                         c.score_runs,
                     0);
    assert_int_equal(c.nrounds, 0);
    assert_int_equal(c.nsurveys, 0);
    egdi_store_counts_release(&c);
    egdi_store_counts_release(&c); /* harmless twice */
}

static void full_store(void **state)
{
    egdi_store *s = *state;
    sql_exec(s,
             "INSERT INTO round(year) VALUES(2024), (2023), (2025);"
             "INSERT INTO import_batch(id, kind, file, sha256, imported_at) VALUES"
             " (1, 'units', 'u.csv', 'a', 'now'), (2, 'metrics', 'm.csv', 'b', 'now'),"
             " (3, 'survey', 's.csv', 'c', 'now');"
             "INSERT INTO unit(id, code, name, kind) VALUES (1, 'R1', 'r', 'region'),"
             " (2, 'D1', 'a', 'department'), (3, 'D2', 'b', 'department'),"
             " (4, 'D3', 'c', 'department');"
             "INSERT INTO observation(round, unit_id, indicator, value, batch_id) VALUES"
             " (2024, 1, 'A', 1, 2), (2024, 1, 'B', 1, 2), (2024, 2, 'A', 1, 2),"
             " (2023, 3, 'A', 1, 2);"
             "INSERT INTO survey(id, name, round, codec, created_at) VALUES"
             " (1, 'zeta', 2024, 'u8', 'now'), (2, 'alpha', NULL, 'f64', 'now');"
             "INSERT INTO survey_column(survey_id, pos, code, is_item) VALUES"
             " (1, 0, 'id', 0), (1, 1, 'Q1', 1), (1, 2, 'Q2', 1), (2, 0, 'Q1', 1);"
             "INSERT INTO survey_response(survey_id, resp_no, batch_id, source_row, answers)"
             " VALUES (1, 1, 3, 2, x'0102'), (1, 2, 3, 3, x'0203'), (1, 3, 3, 4, x'0304');"
             "INSERT INTO model(id, name, version, sha256, definition, created_at)"
             " VALUES (1, 'jiangsu', '1', 'h', 'd', 'now');"
             "INSERT INTO score_run(round, model_id, inputs_sha256, program_version, created_at)"
             " VALUES (2024, 1, 'i', '0.1.0', 'now'), (2023, 1, 'i', '0.1.0', 'now');");
    egdi_error err;
    egdi_store_counts c;
    assert_int_equal(egdi_store_counts_read(s, &c, &err), EGDI_OK);
    assert_int_equal(c.departments, 3);
    assert_int_equal(c.regions, 1);
    assert_int_equal(c.observations, 4);
    assert_int_equal(c.imports, 3);
    assert_int_equal(c.models, 1);
    assert_int_equal(c.score_runs, 2);
    /* rounds by year, each with its observations and observed units */
    assert_int_equal(c.nrounds, 3);
    assert_int_equal(c.rounds[0].year, 2023);
    assert_int_equal(c.rounds[0].observations, 1);
    assert_int_equal(c.rounds[0].units, 1);
    assert_int_equal(c.rounds[1].year, 2024);
    assert_int_equal(c.rounds[1].observations, 3);
    assert_int_equal(c.rounds[1].units, 2);
    assert_int_equal(c.rounds[2].year, 2025);
    assert_int_equal(c.rounds[2].observations, 0);
    assert_int_equal(c.rounds[2].units, 0);
    /* surveys by name */
    assert_int_equal(c.nsurveys, 2);
    assert_string_equal(c.surveys[0].name, "alpha");
    assert_int_equal(c.surveys[0].round, 0); /* none */
    assert_int_equal(c.surveys[0].respondents, 0);
    assert_int_equal(c.surveys[0].items, 1);
    assert_string_equal(c.surveys[1].name, "zeta");
    assert_int_equal(c.surveys[1].round, 2024);
    assert_int_equal(c.surveys[1].respondents, 3);
    assert_int_equal(c.surveys[1].items, 2);
    egdi_store_counts_release(&c);
    assert_null(c.surveys);
    assert_int_equal(c.nrounds, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(empty_store, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(full_store, store_setup, store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
