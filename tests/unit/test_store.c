/* Unit tests for engine/store/store.c: creation, upgrade, refusal of newer stores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/store/store.h"
#include "engine/store/schema_private.h"

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/egdi-test-store-%ld.db", (long)getpid());
    unlink(path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    sqlite3_step(st);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void missing_store_needs_init(void **state)
{
    (void)state;
    egdi_store *s;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_store_open(&s, path, 0, &e), EGDI_ERR_NOT_FOUND);
    assert_null(s);
    assert_non_null(strstr(e.message, "egdi init"));
    assert_int_equal(access(path, F_OK), -1); /* nothing created */
}

static void create_sets_version_and_wal(void **state)
{
    (void)state;
    egdi_store *s;
    egdi_error e;
    assert_int_equal(egdi_store_open(&s, path, EGDI_STORE_CREATE, &e), EGDI_OK);
    assert_int_equal(egdi_store_found_version(s), 0);
    assert_int_equal(user_version(egdi_store_db(s)), EGDI_SCHEMA_VERSION);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(egdi_store_db(s), "PRAGMA journal_mode", -1, &st, NULL);
    sqlite3_step(st);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_prepare_v2(egdi_store_db(s), "PRAGMA foreign_keys", -1, &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    egdi_store_close(s);
}

/* A store written by version 1 (only the first migration) is upgraded and
 * keeps its data. */
static void older_store_is_upgraded(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, egdi_schema_migration(0), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA user_version = 1;"
                                  "INSERT INTO unit(code, name, kind) VALUES('R1', '南京', 'region');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    egdi_store *s;
    egdi_error e;
    assert_int_equal(egdi_store_open(&s, path, 0, &e), EGDI_OK);
    assert_int_equal(egdi_store_found_version(s), 1);
    assert_int_equal(user_version(egdi_store_db(s)), EGDI_SCHEMA_VERSION);
    sqlite3_stmt *st;
    /* the index from migration 2 exists, the old row is still there */
    sqlite3_prepare_v2(egdi_store_db(s),
                       "SELECT count(*) FROM sqlite_schema WHERE name = 'observation_batch'", -1,
                       &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    int64_t id = 0;
    assert_int_equal(egdi_store_unit_id(s, "R1", &id, &e), EGDI_OK);
    assert_true(id > 0);
    assert_int_equal(egdi_store_unit_id(s, "R2", &id, &e), EGDI_ERR_NOT_FOUND);
    egdi_store_close(s);
}

static void newer_store_is_refused(void **state)
{
    (void)state;
    egdi_store *s;
    egdi_error e;
    assert_int_equal(egdi_store_open(&s, path, EGDI_STORE_CREATE, &e), EGDI_OK);
    assert_int_equal(egdi_store_exec(s, "PRAGMA user_version = 99", &e), EGDI_OK);
    egdi_store_close(s);
    egdi_error_clear(&e);
    assert_int_equal(egdi_store_open(&s, path, 0, &e), EGDI_ERR_SCHEMA);
    assert_null(s);
    assert_non_null(strstr(e.message, "newer egdi"));
    assert_non_null(strstr(e.message, "99"));
}

static void foreign_sqlite_file_is_refused(void **state)
{
    (void)state;
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    egdi_store *s;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_store_open(&s, path, 0, &e), EGDI_ERR_SCHEMA);
    assert_non_null(strstr(e.message, "not an egdi store"));
}

static void not_a_database_is_refused(void **state)
{
    (void)state;
    FILE *f = fopen(path, "w");
    fputs("this is not a database, it is a text file of sufficient length to matter.\n", f);
    fclose(f);
    egdi_store *s;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_not_equal(egdi_store_open(&s, path, 0, &e), EGDI_OK);
    assert_null(s);
    assert_non_null(strstr(e.message, "not a database"));
}

static void rollback_discards(void **state)
{
    (void)state;
    egdi_store *s;
    egdi_error e;
    assert_int_equal(egdi_store_open(&s, ":memory:", EGDI_STORE_CREATE, &e), EGDI_OK);
    assert_int_equal(egdi_store_begin(s, &e), EGDI_OK);
    assert_int_equal(egdi_store_ensure_round(s, 2024, &e), EGDI_OK);
    egdi_store_rollback(s);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(egdi_store_db(s), "SELECT count(*) FROM round", -1, &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    egdi_store_close(s);
    egdi_store_close(NULL); /* harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(missing_store_needs_init, setup, teardown),
        cmocka_unit_test_setup_teardown(create_sets_version_and_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(older_store_is_upgraded, setup, teardown),
        cmocka_unit_test_setup_teardown(newer_store_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_sqlite_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(not_a_database_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(rollback_discards, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
