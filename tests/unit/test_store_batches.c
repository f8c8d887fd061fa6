/*
 * Unit tests for engine/store/batches.c: recording an import batch, finding
 * an earlier import of the same file (by kind, round and survey), removing
 * one (--replace: its observations go, its units stay) and its counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_fixture.h"
#include "engine/store/batches.h"
#include "engine/store/observations.h"
#include "engine/store/units.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void add_records_every_field(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_batch b = {"metrics", "m-2024.xlsx", SHA_A, "数据", 2024, 0};
    int64_t id = 0;
    assert_int_equal(egdi_store_batch_add(s, &b, &id, &err), EGDI_OK);
    assert_int_equal(id, 1);
    char buf[128];
    assert_string_equal(sql_text(s, "SELECT kind || '|' || file || '|' || sheet || '|' || round"
                                    " || '|' || coalesce(survey_id, 'none') FROM import_batch",
                                 buf, sizeof buf),
                        "metrics|m-2024.xlsx|数据|2024|none");
    assert_string_equal(sql_text(s, "SELECT sha256 FROM import_batch", buf, sizeof buf), SHA_A);
    /* the round was added with the batch */
    assert_int_equal(sql_int(s, "SELECT count(*) FROM round WHERE year = 2024"), 1);
    /* imported_at is an ISO 8601 UTC time */
    sql_text(s, "SELECT imported_at FROM import_batch", buf, sizeof buf);
    assert_int_equal(strlen(buf), 20);
    assert_int_equal(buf[10], 'T');
    assert_int_equal(buf[19], 'Z');
    /* a CSV has no sheet, a units file no round */
    egdi_store_batch u = {"units", "units.csv", SHA_B, NULL, 0, 0};
    assert_int_equal(egdi_store_batch_add(s, &u, &id, &err), EGDI_OK);
    assert_int_equal(id, 2);
    assert_string_equal(sql_text(s, "SELECT coalesce(sheet, 'NULL') || coalesce(round, 'NULL')"
                                    " FROM import_batch WHERE id = 2",
                                 buf, sizeof buf),
                        "NULLNULL");
}

static void find_is_by_hash_kind_round(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_batch b = {"metrics", "m.csv", SHA_A, NULL, 2024, 0};
    int64_t id = 0, found = 0;
    char when[EGDI_STORE_WHEN_MAX] = "";
    assert_int_equal(egdi_store_batch_find(s, &b, &found, when, &err), EGDI_DONE);
    assert_int_equal(egdi_store_batch_add(s, &b, &id, &err), EGDI_OK);
    assert_int_equal(egdi_store_batch_find(s, &b, &found, when, &err), EGDI_OK);
    assert_int_equal(found, id);
    char buf[64];
    assert_string_equal(when, sql_text(s, "SELECT imported_at FROM import_batch", buf,
                                       sizeof buf));
    /* the same file into another round, as another kind, or another file */
    egdi_store_batch other_round = {"metrics", "m.csv", SHA_A, NULL, 2023, 0};
    egdi_store_batch other_kind = {"units", "m.csv", SHA_A, NULL, 0, 0};
    egdi_store_batch other_file = {"metrics", "m.csv", SHA_B, NULL, 2024, 0};
    assert_int_equal(egdi_store_batch_find(s, &other_round, &found, when, &err), EGDI_DONE);
    assert_int_equal(egdi_store_batch_find(s, &other_kind, &found, when, &err), EGDI_DONE);
    assert_int_equal(egdi_store_batch_find(s, &other_file, &found, when, &err), EGDI_DONE);
    /* round 0: any round */
    egdi_store_batch any = {"metrics", "m.csv", SHA_A, NULL, 0, 0};
    found = 0;
    assert_int_equal(egdi_store_batch_find(s, &any, &found, when, &err), EGDI_OK);
    assert_int_equal(found, id);
}

static void find_is_by_survey(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    sql_exec(s, "INSERT INTO survey(id, name, codec, created_at) VALUES"
                " (7, 'a', 'u8', 'now'), (8, 'b', 'u8', 'now')");
    egdi_store_batch b = {"survey", "s.csv", SHA_A, NULL, 0, 7};
    int64_t id = 0, found = 0;
    char when[EGDI_STORE_WHEN_MAX];
    assert_int_equal(egdi_store_batch_add(s, &b, &id, &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT survey_id FROM import_batch"), 7);
    assert_int_equal(egdi_store_batch_find(s, &b, &found, when, &err), EGDI_OK);
    assert_int_equal(found, id);
    b.survey_id = 8; /* the same file into another survey is no repeat */
    assert_int_equal(egdi_store_batch_find(s, &b, &found, when, &err), EGDI_DONE);
}

static void delete_takes_observations_keeps_units(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_batch ub = {"units", "u.csv", SHA_A, NULL, 0, 0};
    egdi_store_batch mb = {"metrics", "m.csv", SHA_B, NULL, 2024, 0};
    int64_t ubid, mbid, unit;
    assert_int_equal(egdi_store_batch_add(s, &ub, &ubid, &err), EGDI_OK);
    egdi_store_unit u = {0, "D01", "省发展改革委", "department", 2, NULL};
    assert_int_equal(egdi_store_unit_put(s, &u, ubid, &unit, &err), EGDI_OK);
    assert_int_equal(egdi_store_batch_add(s, &mb, &mbid, &err), EGDI_OK);
    egdi_store_obs o = {2024, unit, "CBII1", 90, "90", mbid, NULL, 2, 2};
    assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
    o.indicator = "CBII2";
    assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation"), 2);

    assert_int_equal(egdi_store_batch_delete(s, mbid, &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM observation"), 0);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM import_batch"), 1);

    /* the units batch: the unit stays, no longer pointing to it */
    assert_int_equal(egdi_store_batch_delete(s, ubid, &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM import_batch"), 0);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit WHERE code = 'D01'"), 1);
    assert_int_equal(sql_int(s, "SELECT batch_id FROM unit WHERE code = 'D01'"), -2); /* NULL */
}

static void counts_are_recorded(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_store_batch b = {"metrics", "m.csv", SHA_A, NULL, 2024, 0};
    int64_t id;
    assert_int_equal(egdi_store_batch_add(s, &b, &id, &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT rows_read + values_stored + rejected FROM import_batch"),
                     0);
    assert_int_equal(egdi_store_batch_counts(s, id, 8, 137, 3, &err), EGDI_OK);
    char buf[64];
    assert_string_equal(sql_text(s, "SELECT rows_read || ',' || values_stored || ',' || rejected"
                                    " FROM import_batch",
                                 buf, sizeof buf),
                        "8,137,3");
}

/* A thousand batches prepare each statement once. */
static void statements_are_prepared_once(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    char sha[65], file[32];
    int64_t id, found;
    char when[EGDI_STORE_WHEN_MAX];
    int before = -1;
    for (int i = 0; i < 1000; i++) {
        snprintf(sha, sizeof sha, "%064d", i);
        snprintf(file, sizeof file, "f%d.csv", i);
        egdi_store_batch b = {"metrics", file, sha, NULL, 2024, 0};
        assert_int_equal(egdi_store_batch_find(s, &b, &found, when, &err), EGDI_DONE);
        assert_int_equal(egdi_store_batch_add(s, &b, &id, &err), EGDI_OK);
        assert_int_equal(egdi_store_batch_counts(s, id, 1, 1, 0, &err), EGDI_OK);
        if (i == 0)
            before = stmt_count(s);
    }
    assert_int_equal(stmt_count(s), before);
    assert_int_equal(stmt_runs(s, "INSERT INTO import_batch"), 1000);
    assert_int_equal(stmt_runs(s, "SELECT id, imported_at FROM import_batch"), 1000);
    assert_int_equal(stmt_runs(s, "UPDATE import_batch SET rows_read"), 1000);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM import_batch"), 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(add_records_every_field, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(find_is_by_hash_kind_round, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(find_is_by_survey, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(delete_takes_observations_keeps_units, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(counts_are_recorded, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(statements_are_prepared_once, store_setup,
                                        store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
