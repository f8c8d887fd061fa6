/*
 * Unit tests for engine/store/units.c: a unit written and read back with
 * every field, an update, parents set by code (a department before its
 * region), a code that is not there, and one statement per kind of write
 * however many units.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_fixture.h"
#include "engine/store/units.h"

/* Writes a new unit as part of import batch `batch` (created when new). */
static int64_t put(egdi_store *s, const char *code, const char *name, const char *kind,
                   long level, int64_t batch)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "INSERT OR IGNORE INTO import_batch(id, kind, file, sha256, imported_at)"
             " VALUES(%lld, 'units', 'u.csv', 'x', 'now')",
             (long long)batch);
    sql_exec(s, sql);
    egdi_store_unit u = {0, (char *)code, (char *)name, kind, level, NULL};
    int64_t id = 0;
    egdi_error err;
    assert_int_equal(egdi_store_unit_put(s, &u, batch, &id, &err), EGDI_OK);
    return id;
}

static void put_then_get(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    int64_t r1 = put(s, "R1", "南京市", "region", 1, 5);
    int64_t d1 = put(s, "D01", "省发展改革委", "department", -1, 5);
    assert_true(r1 > 0 && d1 > r1);
    egdi_store_unit u;
    assert_int_equal(egdi_store_unit_get(s, "R1", &u, &err), EGDI_OK);
    assert_int_equal(u.id, r1);
    assert_string_equal(u.code, "R1");
    assert_string_equal(u.name, "南京市");
    assert_string_equal(u.kind, "region");
    assert_int_equal(u.level, 1);
    assert_null(u.parent);
    egdi_store_unit_release(&u);
    assert_int_equal(egdi_store_unit_get(s, "D01", &u, &err), EGDI_OK);
    assert_string_equal(u.kind, "department");
    assert_int_equal(u.level, -1); /* stored as NULL */
    egdi_store_unit_release(&u);
    assert_int_equal(sql_int(s, "SELECT level FROM unit WHERE code = 'D01'"), -2);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit WHERE batch_id = 5"), 2);
    /* the public look-up of an id agrees */
    int64_t id = 0;
    assert_int_equal(egdi_store_unit_id(s, "D01", &id, &err), EGDI_OK);
    assert_int_equal(id, d1);
}

static void unknown_code_is_done(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store_unit u = {.id = 99};
    assert_int_equal(egdi_store_unit_get(s, "NOPE", &u, &err), EGDI_DONE);
    assert_int_equal(u.id, 0);
    assert_null(u.name);
    assert_int_equal(err.status, EGDI_OK); /* not an error */
    egdi_store_unit_release(&u);
    int64_t id;
    assert_int_equal(egdi_store_unit_id(s, "NOPE", &id, &err), EGDI_ERR_NOT_FOUND);
    assert_string_equal(err.message, "unknown unit \"NOPE\"");
}

static void update_keeps_the_id(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    int64_t id = put(s, "D01", "old name", "department", 2, 1);
    egdi_store_unit u = {id, "D01", "新名称", "region", 3, NULL};
    int64_t got = 0;
    assert_int_equal(egdi_store_unit_put(s, &u, 1, &got, &err), EGDI_OK);
    assert_int_equal(got, id);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit"), 1);
    char buf[64];
    assert_string_equal(sql_text(s, "SELECT name || '|' || kind || '|' || level FROM unit", buf,
                                 sizeof buf),
                        "新名称|region|3");
}

static void parents_by_code(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    /* the department first, its region after: parents are a second pass */
    int64_t d = put(s, "D04", "省民政厅", "department", 2, 1);
    int64_t r = put(s, "R2", "苏州市", "region", 1, 1);
    assert_int_equal(egdi_store_unit_set_parent(s, d, "R2", &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT parent_id FROM unit WHERE code = 'D04'"), r);
    egdi_store_unit u;
    assert_int_equal(egdi_store_unit_get(s, "D04", &u, &err), EGDI_OK);
    assert_string_equal(u.parent, "R2");
    egdi_store_unit_release(&u);
    /* NULL clears it */
    assert_int_equal(egdi_store_unit_set_parent(s, d, NULL, &err), EGDI_OK);
    assert_int_equal(sql_int(s, "SELECT parent_id FROM unit WHERE code = 'D04'"), -2);
}

static void statements_are_prepared_once(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    char code[16];
    for (int i = 0; i < 500; i++) {
        snprintf(code, sizeof code, "U%03d", i);
        egdi_store_unit u;
        assert_int_equal(egdi_store_unit_get(s, code, &u, &err), EGDI_DONE);
        int64_t id = put(s, code, code, "department", -1, 1);
        assert_int_equal(egdi_store_unit_set_parent(s, id, NULL, &err), EGDI_OK);
    }
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit"), 500);
    assert_int_equal(stmt_runs(s, "INSERT INTO unit"), 500);
    assert_int_equal(stmt_runs(s, "LEFT JOIN unit p"), 500);
    assert_int_equal(stmt_runs(s, "SET parent_id"), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(put_then_get, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(unknown_code_is_done, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(update_keeps_the_id, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(parents_by_code, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(statements_are_prepared_once, store_setup,
                                        store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
