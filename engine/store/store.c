/*
 * store.c - opening, upgrading and transactions of the SQLite store
 * (see store.h), and the statements it keeps prepared (store_private.h).
 * The egdi_store owns its sqlite3 handle and its cached statements;
 * egdi_store_close() finalizes them, then closes the handle.
 */
#include "engine/store/store.h"
#include "engine/store/schema_private.h"
#include "engine/store/store_private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a writer waits for another before giving up (ms). */
#define EGDI_BUSY_TIMEOUT_MS 30000
/* How often a switch to WAL mode is retried while another holds the file. */
#define EGDI_WAL_RETRY_MS 10

/* A statement kept prepared, keyed on the address of its SQL. */
typedef struct {
    const char *sql;
    sqlite3_stmt *st;
} cached_stmt;

struct egdi_store {
    sqlite3 *db;
    int found_version;
    cached_stmt *cached; /* ncached statements, grown by doubling */
    size_t ncached, capcached;
};

egdi_status egdi_store_col_num(sqlite3_stmt *q, int c, bool null_ok, const char *what,
                               double *out, egdi_error *err)
{
    int type = sqlite3_column_type(q, c);
    *out = NAN;
    if (type == SQLITE_NULL && null_ok)
        return EGDI_OK;
    double v = type == SQLITE_INTEGER || type == SQLITE_FLOAT ? sqlite3_column_double(q, c) : NAN;
    if (!isfinite(v))
        return egdi_error_set(err, EGDI_ERR_STORE,
                              "the store holds %s that is %s, not a finite number: it was "
                              "changed outside egdi or is damaged",
                              what,
                              type == SQLITE_NULL   ? "empty"
                              : type == SQLITE_TEXT || type == SQLITE_BLOB ? "text"
                              : isnan(v)             ? "not a number"
                                                     : v > 0 ? "infinite" : "minus infinite");
    *out = v;
    return EGDI_OK;
}

egdi_status egdi_store_fail(egdi_store *s, const char *what, egdi_error *err)
{
    const char *msg = s && s->db ? sqlite3_errmsg(s->db) : "no store";
    int code = s && s->db ? sqlite3_errcode(s->db) : 0;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return egdi_error_set(err, EGDI_ERR_STORE,
                              "%s: the store is busy (another egdi kept it locked for "
                              "more than %d s): %s",
                              what, EGDI_BUSY_TIMEOUT_MS / 1000, msg);
    if (code == SQLITE_FULL)
        return egdi_error_set(err, EGDI_ERR_IO, "%s: the disk is full", what);
    /* an I/O error whose system call ran out of memory (a map of the
     * file or its WAL index under a memory limit) is out of memory */
    if (code == SQLITE_NOMEM ||
        (code == SQLITE_IOERR && s && s->db && sqlite3_system_errno(s->db) == ENOMEM))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "%s: out of memory", what);
    return egdi_error_set(err, EGDI_ERR_STORE, "%s: %s", what, msg);
}

egdi_status egdi_store_exec(egdi_store *s, const char *sql, egdi_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        egdi_status st;
        if (sqlite3_errcode(s->db) == SQLITE_BUSY)
            st = egdi_store_fail(s, "store", err);
        else
            st = egdi_error_set(err, EGDI_ERR_STORE, "store: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return st;
    }
    return EGDI_OK;
}

egdi_status egdi_store_prepare(egdi_store *s, const char *sql, sqlite3_stmt **st,
                               egdi_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return egdi_store_fail(s, "store", err);
    }
    return EGDI_OK;
}

static egdi_status read_version(egdi_store *s, int *v, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_prepare(s, "PRAGMA user_version", &st, err);
    if (rc != EGDI_OK)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return egdi_store_fail(s, "reading the schema version", err);
    }
    *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return EGDI_OK;
}

/* Is this an egdi store at all (version 0 and tables that are not ours)? */
static egdi_status check_foreign(egdi_store *s, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_prepare(s, "SELECT count(*) FROM sqlite_schema", &st, err);
    if (rc != EGDI_OK)
        return rc;
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (n < 0)
        return egdi_store_fail(s, "reading the store", err);
    if (n > 0)
        return egdi_error_set(err, EGDI_ERR_SCHEMA,
                              "this SQLite file holds tables but is not an egdi store");
    return EGDI_OK;
}

static egdi_status migrate(egdi_store *s, egdi_error *err)
{
    int v;
    egdi_status rc = egdi_store_begin(s, err);
    if (rc != EGDI_OK)
        return rc;
    if ((rc = read_version(s, &v, err)) != EGDI_OK)
        goto fail;
    if (v == 0 && (rc = check_foreign(s, err)) != EGDI_OK)
        goto fail;
    for (; v < EGDI_SCHEMA_VERSION; v++) {
        if ((rc = egdi_store_exec(s, egdi_schema_migration(v), err)) != EGDI_OK)
            goto fail;
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if ((rc = egdi_store_exec(s, sql, err)) != EGDI_OK)
            goto fail;
    }
    return egdi_store_commit(s, err);
fail:
    egdi_store_rollback(s);
    return rc;
}

/*
 * Puts the store in WAL mode.  The switch needs the file to itself, and
 * SQLite answers SQLITE_BUSY at once instead of calling the busy handler
 * (or leaves the old mode and says so), so two egdi opening a new store at
 * the same moment would fail with "database is locked": retry here, up to
 * the busy timeout.  A store already in WAL mode takes no lock.
 */
static egdi_status set_wal(egdi_store *s, egdi_error *err)
{
    const struct timespec nap = {0, EGDI_WAL_RETRY_MS * 1000000L};
    for (long waited = 0;; waited += EGDI_WAL_RETRY_MS) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
        bool wal = false;
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st);
            if (rc == SQLITE_ROW) {
                const unsigned char *mode = sqlite3_column_text(st, 0);
                wal = mode && strcmp((const char *)mode, "wal") == 0;
                rc = SQLITE_OK;
            }
        }
        sqlite3_finalize(st);
        if (wal)
            return EGDI_OK;
        bool busy = rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
        if (!busy || waited >= EGDI_BUSY_TIMEOUT_MS) {
            if (rc == SQLITE_OK)
                return egdi_error_set(err, EGDI_ERR_STORE,
                                      "cannot switch the store to WAL mode (another program "
                                      "kept it open for more than %d s)",
                                      EGDI_BUSY_TIMEOUT_MS / 1000);
            return egdi_store_fail(s, "switching the store to WAL mode", err);
        }
        nanosleep(&nap, NULL);
    }
}

egdi_status egdi_store_open(egdi_store **out, const char *path, unsigned flags,
                            egdi_error *err)
{
    *out = NULL;
    bool memory = strcmp(path, ":memory:") == 0;
    struct stat sb;
    if (!memory && stat(path, &sb) != 0 && !(flags & EGDI_STORE_CREATE)) {
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                              "no store here (run 'egdi init', or give --db FILE)");
    }
    egdi_store *s = calloc(1, sizeof *s);
    if (!s)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the store");
    int oflags = (flags & EGDI_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                               : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    egdi_status rc;
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        rc = egdi_store_fail(s, "cannot open the store", err);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 0);
    sqlite3_busy_timeout(s->db, EGDI_BUSY_TIMEOUT_MS);
    if ((rc = read_version(s, &s->found_version, err)) != EGDI_OK) {
        /* "file is not a database" arrives here */
        goto fail;
    }
    if (s->found_version > EGDI_SCHEMA_VERSION) {
        rc = egdi_error_set(err, EGDI_ERR_SCHEMA,
                            "the store has schema version %d, written by a newer egdi; "
                            "this egdi knows up to version %d: upgrade egdi",
                            s->found_version, EGDI_SCHEMA_VERSION);
        goto fail;
    }
    if (!(flags & EGDI_STORE_READONLY)) {
        if (!memory && (rc = set_wal(s, err)) != EGDI_OK)
            goto fail;
        /* a page cache of up to 128 MiB (SQLite's default is 2 MiB): an
         * import or a score of 50,000 units writes 1.5 to 2 million rows
         * whose indexes then stay in memory instead of being re-read and
         * rewritten (issue 20: import metrics 20.7 s -> 9.3 s, score
         * 17.9 s -> 9.7 s on a loaded machine); it grows only as used */
        if ((rc = egdi_store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
                                  "PRAGMA cache_size = -131072",
                                  err)) != EGDI_OK)
            goto fail;
        char scan[64];
        snprintf(scan, sizeof scan, "PRAGMA cache_size = -%d", EGDI_STORE_SCAN_CACHE);
        if ((flags & EGDI_STORE_SCAN) && (rc = egdi_store_exec(s, scan, err)) != EGDI_OK)
            goto fail;
        if (s->found_version < EGDI_SCHEMA_VERSION && (rc = migrate(s, err)) != EGDI_OK)
            goto fail;
    } else {
        if (s->found_version < EGDI_SCHEMA_VERSION) {
            rc = egdi_error_set(err, EGDI_ERR_SCHEMA,
                                "the store has schema version %d and needs an upgrade "
                                "(open it once without read-only mode)",
                                s->found_version);
            goto fail;
        }
        if ((rc = egdi_store_exec(s, "PRAGMA foreign_keys = ON", err)) != EGDI_OK)
            goto fail;
    }
    *out = s;
    return EGDI_OK;
fail:
    egdi_error_at(err, memory ? NULL : path, NULL, 0, 0);
    egdi_store_close(s);
    return rc;
}

void egdi_store_close(egdi_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncached; i++)
        sqlite3_finalize(s->cached[i].st);
    free(s->cached);
    sqlite3_close(s->db);
    free(s);
}

egdi_status egdi_store_cached(egdi_store *s, const char *sql, sqlite3_stmt **st,
                              egdi_error *err)
{
    for (size_t i = 0; i < s->ncached; i++)
        if (s->cached[i].sql == sql) {
            *st = s->cached[i].st;
            return EGDI_OK;
        }
    *st = NULL;
    if (s->ncached == s->capcached) {
        size_t ncap = s->capcached ? s->capcached * 2 : 16;
        cached_stmt *n = realloc(s->cached, ncap * sizeof *n);
        if (!n)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory preparing a statement");
        s->cached = n;
        s->capcached = ncap;
    }
    sqlite3_stmt *p = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &p, NULL) != SQLITE_OK)
        return egdi_store_fail(s, "store", err);
    s->cached[s->ncached].sql = sql;
    s->cached[s->ncached].st = p;
    s->ncached++;
    *st = p;
    return EGDI_OK;
}

void egdi_store_reset(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int64_t egdi_store_last_id(egdi_store *s)
{
    return sqlite3_last_insert_rowid(s->db);
}

sqlite3 *egdi_store_db(egdi_store *s)
{
    return s->db;
}

int egdi_store_found_version(const egdi_store *s)
{
    return s->found_version;
}

egdi_status egdi_store_begin(egdi_store *s, egdi_error *err)
{
    /* BEGIN IMMEDIATE takes the write lock now, so a concurrent writer waits
     * here (busy timeout) instead of failing later on an upgrade attempt. */
    return egdi_store_exec(s, "BEGIN IMMEDIATE", err);
}

egdi_status egdi_store_commit(egdi_store *s, egdi_error *err)
{
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        egdi_status rc = egdi_store_fail(s, "cannot commit", err);
        egdi_store_rollback(s);
        return rc;
    }
    return EGDI_OK;
}

void egdi_store_rollback(egdi_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

egdi_status egdi_store_ensure_round(egdi_store *s, int year, egdi_error *err)
{
    static const char sql[] = "INSERT OR IGNORE INTO round(year) VALUES(?1)";
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int(st, 1, year);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "adding the round", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_unit_id(egdi_store *s, const char *code, int64_t *id, egdi_error *err)
{
    static const char sql[] = "SELECT id FROM unit WHERE code = ?1";
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (step == SQLITE_DONE)
        rc = EGDI_DONE;
    else
        rc = egdi_store_fail(s, "looking up a unit", err);
    egdi_store_reset(st);
    if (rc == EGDI_DONE)
        rc = egdi_error_set(err, EGDI_ERR_NOT_FOUND, "unknown unit \"%s\"", code);
    return rc;
}

void egdi_store_now(char buf[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
