/*
 * store_fixture.h - helpers for the tests/unit/test_store_*.c programs: a
 * fresh in-memory store, one number or text from a query (read straight
 * from SQLite, so the tests check what the store functions wrote, not what
 * they say), and the statements a store's handle holds and how often each
 * ran (a statement run per row must be prepared once).
 * Header-only; each test program includes it.
 */
#ifndef STORE_FIXTURE_H
#define STORE_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "engine/store/store.h"
#include "engine/store/store_private.h" /* the handle, to set up and inspect */

/* cmocka setup / teardown: *state is a new in-memory store. */
static inline int store_setup(void **state)
{
    egdi_store *s = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_store_open(&s, ":memory:", EGDI_STORE_CREATE, &err) != EGDI_OK) {
        fprintf(stderr, "store: %s\n", err.message);
        return -1;
    }
    *state = s;
    return 0;
}

static inline int store_teardown(void **state)
{
    egdi_store_close(*state);
    return 0;
}

/* The first column of the first row of sql as an integer (-1 when none). */
static inline int64_t sql_int(egdi_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(egdi_store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -2 : sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The same as text into buf ("" when none, "NULL" for NULL). */
static inline const char *sql_text(egdi_store *s, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(egdi_store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, size, "%s", t ? (const char *)t : "NULL");
    }
    sqlite3_finalize(st);
    return buf;
}

/* Runs sql (setup rows); fails the test on an error. */
static inline void sql_exec(egdi_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(egdi_store_db(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
        print_error("%s: %s\n", sql, msg ? msg : "error");
        sqlite3_free(msg);
        fail();
    }
}

/* Statements prepared on the store's handle right now. */
static inline int stmt_count(egdi_store *s)
{
    int n = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(egdi_store_db(s), NULL); st;
         st = sqlite3_next_stmt(egdi_store_db(s), st))
        n++;
    return n;
}

/* How many times the live statement whose SQL contains `part` has run (0
 * when no such statement is prepared): a statement prepared once and kept
 * counts every run, one prepared per call is gone by now. */
static inline int stmt_runs(egdi_store *s, const char *part)
{
    int runs = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(egdi_store_db(s), NULL); st;
         st = sqlite3_next_stmt(egdi_store_db(s), st))
        if (strstr(sqlite3_sql(st), part))
            runs += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0);
    return runs;
}

#endif
