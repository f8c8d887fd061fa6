/* Unit tests for engine/store/store.c: creation, upgrade, refusal of newer stores,
 * the statements the store keeps prepared. */
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
#include "engine/store/store_private.h"

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

/* A store written by version 2 is upgraded to 3: its units keep their data
 * and learn the import that created them, missing values and stale runs
 * have their places. */
static void version_2_store_is_upgraded(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, egdi_schema_migration(0), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, egdi_schema_migration(1), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "PRAGMA user_version = 2;"
                     "INSERT INTO import_batch(id, kind, file, sha256, imported_at)"
                     "  VALUES(4, 'units', 'u.csv', 'aa', 'x');"
                     "INSERT INTO unit(code, name, kind, batch_id) VALUES('R1', '南京', 'region', 4);"
                     "INSERT INTO unit(code, name, kind) VALUES('R2', '苏州', 'region');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    egdi_store *s;
    egdi_error e;
    assert_int_equal(egdi_store_open(&s, path, 0, &e), EGDI_OK);
    assert_int_equal(egdi_store_found_version(s), 2);
    assert_int_equal(user_version(egdi_store_db(s)), EGDI_SCHEMA_VERSION);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(egdi_store_db(s),
                       "SELECT group_concat(code || ':' || coalesce(created_batch, '-'), ' ')"
                       " FROM (SELECT code, created_batch FROM unit ORDER BY code)",
                       -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "R1:4 R2:-");
    sqlite3_finalize(st);
    /* the new table and columns are there */
    assert_int_equal(egdi_store_exec(s,
                                     "SELECT raw, reason FROM missing_value;"
                                     "SELECT stale FROM score_run;"
                                     "SELECT missing FROM import_batch",
                                     &e),
                     EGDI_OK);
    egdi_store_close(s);
}

/* A store written by version 3 is upgraded to 4: its respondents keep
 * their answers and rate no unit, its surveys have no unit column, the
 * survey indicators of runs have their tables. */
static void version_3_store_is_upgraded(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 0; v < 3; v++)
        assert_int_equal(sqlite3_exec(db, egdi_schema_migration(v), NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "PRAGMA user_version = 3;"
                     "INSERT INTO survey(id, name, codec, created_at) VALUES(1, 's', 'u8', 'x');"
                     "INSERT INTO import_batch(id, kind, file, sha256, imported_at, survey_id)"
                     "  VALUES(2, 'survey', 's.csv', 'aa', 'x', 1);"
                     "INSERT INTO survey_response(survey_id, resp_no, batch_id, source_row,"
                     "  answers) VALUES(1, 1, 2, 2, x'0304');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    egdi_store *s;
    egdi_error e;
    assert_int_equal(egdi_store_open(&s, path, 0, &e), EGDI_OK);
    assert_int_equal(egdi_store_found_version(s), 3);
    assert_int_equal(user_version(egdi_store_db(s)), EGDI_SCHEMA_VERSION);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(egdi_store_db(s),
                       "SELECT hex(answers) || ':' || coalesce(unit_id, '-') || ':' ||"
                       " coalesce((SELECT unit_column FROM survey), '-') FROM survey_response",
                       -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "0304:-:-");
    sqlite3_finalize(st);
    assert_int_equal(egdi_store_exec(s,
                                     "SELECT node, survey, alpha, failed FROM survey_indicator;"
                                     "SELECT unit_id, n, value, se, metric, used"
                                     " FROM survey_score",
                                     &e),
                     EGDI_OK);
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

/* A statement asked for again is the same one, reset with no bindings;
 * egdi_store_close() finalizes them all (the sanitizer build would report a
 * leak, and sqlite3_close would refuse to close). */
static void cached_statements(void **state)
{
    (void)state;
    static const char one[] = "SELECT ?1";
    static const char two[] = "SELECT count(*) FROM round";
    egdi_store *s;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_store_open(&s, ":memory:", EGDI_STORE_CREATE, &e), EGDI_OK);
    sqlite3_stmt *a, *b, *c;
    assert_int_equal(egdi_store_cached(s, one, &a, &e), EGDI_OK);
    assert_int_equal(egdi_store_cached(s, two, &c, &e), EGDI_OK);
    assert_ptr_not_equal(a, c);
    sqlite3_bind_int(a, 1, 42);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(a, 0), 42);
    egdi_store_reset(a);
    assert_int_equal(egdi_store_cached(s, one, &b, &e), EGDI_OK);
    assert_ptr_equal(a, b);
    assert_int_equal(sqlite3_step(b), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(b, 0), SQLITE_NULL); /* bindings cleared */
    egdi_store_reset(b);
    egdi_store_reset(NULL); /* harmless */
    /* many statements: the cache grows */
    static const char many[40][24] = {
        "SELECT 0", "SELECT 1", "SELECT 2", "SELECT 3", "SELECT 4", "SELECT 5", "SELECT 6",
        "SELECT 7", "SELECT 8", "SELECT 9", "SELECT 10", "SELECT 11", "SELECT 12", "SELECT 13",
        "SELECT 14", "SELECT 15", "SELECT 16", "SELECT 17", "SELECT 18", "SELECT 19",
        "SELECT 20", "SELECT 21", "SELECT 22", "SELECT 23", "SELECT 24", "SELECT 25",
        "SELECT 26", "SELECT 27", "SELECT 28", "SELECT 29", "SELECT 30", "SELECT 31",
        "SELECT 32", "SELECT 33", "SELECT 34", "SELECT 35", "SELECT 36", "SELECT 37",
        "SELECT 38", "SELECT 39"};
    for (int i = 0; i < 40; i++) {
        assert_int_equal(egdi_store_cached(s, many[i], &a, &e), EGDI_OK);
        assert_int_equal(sqlite3_step(a), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(a, 0), i);
        egdi_store_reset(a);
    }
    assert_int_equal(egdi_store_cached(s, many[3], &b, &e), EGDI_OK);
    assert_int_equal(sqlite3_step(b), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(b, 0), 3);
    egdi_store_reset(b);
    /* SQL that does not prepare: the SQLite message, nothing cached */
    static const char bad[] = "SELEKT 1";
    assert_int_equal(egdi_store_cached(s, bad, &a, &e), EGDI_ERR_STORE);
    assert_null(a);
    assert_non_null(strstr(e.message, "syntax error"));
    egdi_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(missing_store_needs_init, setup, teardown),
        cmocka_unit_test_setup_teardown(create_sets_version_and_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(older_store_is_upgraded, setup, teardown),
        cmocka_unit_test_setup_teardown(version_2_store_is_upgraded, setup, teardown),
        cmocka_unit_test_setup_teardown(version_3_store_is_upgraded, setup, teardown),
        cmocka_unit_test_setup_teardown(newer_store_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_sqlite_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(not_a_database_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(rollback_discards, setup, teardown),
        cmocka_unit_test(cached_statements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
