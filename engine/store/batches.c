/*
 * batches.c - the SQL for import batches (see batches.h).
 */
#include "engine/store/batches.h"
#include "engine/store/store_private.h"

#include <stdio.h>

static const char batch_find_sql[] =
    "SELECT id, imported_at FROM import_batch WHERE sha256 = ?1 AND kind = ?2"
    " AND (?3 = 0 OR round = ?3) AND (?4 = 0 OR survey_id = ?4)";
static const char batch_units_sql[] = "UPDATE unit SET batch_id = NULL WHERE batch_id = ?1";
static const char batch_delete_sql[] = "DELETE FROM import_batch WHERE id = ?1";
static const char batch_add_sql[] =
    "INSERT INTO import_batch(kind, file, sha256, sheet, round, survey_id, imported_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char batch_missing_sql[] = "UPDATE import_batch SET missing = ?1 WHERE id = ?2";
static const char batch_counts_sql[] =
    "UPDATE import_batch SET rows_read = ?1, values_stored = ?2, rejected = ?3 WHERE id = ?4";

egdi_status egdi_store_batch_find(egdi_store *s, const egdi_store_batch *b, int64_t *id,
                                  char when[EGDI_STORE_WHEN_MAX], egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, batch_find_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_text(st, 1, b->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, b->round);
    sqlite3_bind_int64(st, 4, b->survey_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        const unsigned char *t = sqlite3_column_text(st, 1);
        snprintf(when, EGDI_STORE_WHEN_MAX, "%s", t ? (const char *)t : "");
    } else if (step == SQLITE_DONE)
        rc = EGDI_DONE;
    else
        rc = egdi_store_fail(s, "looking for an earlier import", err);
    egdi_store_reset(st);
    return rc;
}

/* Runs one cached statement with id as its only parameter. */
static egdi_status run_with_id(egdi_store *s, const char *sql, int64_t id, const char *what,
                               egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, what, err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_batch_delete(egdi_store *s, int64_t id, egdi_error *err)
{
    /* "store: <SQLite message>", as every failure of this removal has said */
    egdi_status rc = run_with_id(s, batch_units_sql, id, "store", err);
    if (rc != EGDI_OK)
        return rc;
    return run_with_id(s, batch_delete_sql, id, "store", err);
}

egdi_status egdi_store_batch_add(egdi_store *s, const egdi_store_batch *b, int64_t *id,
                                 egdi_error *err)
{
    egdi_status rc;
    if (b->round && (rc = egdi_store_ensure_round(s, b->round, err)) != EGDI_OK)
        return rc;
    char now[21];
    egdi_store_now(now);
    sqlite3_stmt *st;
    if ((rc = egdi_store_cached(s, batch_add_sql, &st, err)) != EGDI_OK)
        return rc;
    sqlite3_bind_text(st, 1, b->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b->file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, b->sha256, -1, SQLITE_STATIC);
    if (b->sheet)
        sqlite3_bind_text(st, 4, b->sheet, -1, SQLITE_STATIC);
    if (b->round)
        sqlite3_bind_int(st, 5, b->round);
    if (b->survey_id)
        sqlite3_bind_int64(st, 6, b->survey_id);
    sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "recording the import", err);
    else
        *id = egdi_store_last_id(s);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_batch_counts(egdi_store *s, int64_t id, size_t rows_read,
                                    size_t values_stored, size_t rejected, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, batch_counts_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)rows_read);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)values_stored);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)rejected);
    sqlite3_bind_int64(st, 4, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "recording the import", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_batch_inputs_each(egdi_store *s, int round, egdi_store_input_fn fn,
                                         void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "SELECT file, sha256 FROM import_batch"
                                        " WHERE round = ?1 OR kind = 'units' ORDER BY id",
                                        &q, err);
    if (st)
        return st;
    sqlite3_bind_int(q, 1, round);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *file = (const char *)sqlite3_column_text(q, 0);
        const char *sha = (const char *)sqlite3_column_text(q, 1);
        if ((st = fn(ctx, file ? file : "", sha ? sha : "", err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading the input files", err);
    return EGDI_OK;
}

egdi_status egdi_store_batch_missing(egdi_store *s, int64_t id, size_t missing,
                                     egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, batch_missing_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)missing);
    sqlite3_bind_int64(st, 2, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "recording the import", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_batches_each(egdi_store *s, egdi_store_batch_fn fn, void *ctx,
                                    egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT b.id, b.kind, b.file, b.sha256, b.sheet, b.round, v.name, b.imported_at,"
        " b.rows_read, b.values_stored, b.rejected, b.missing FROM import_batch b"
        " LEFT JOIN survey v ON v.id = b.survey_id ORDER BY b.id",
        &q, err);
    if (st)
        return st;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_batch_row row;
        row.id = sqlite3_column_int64(q, 0);
        row.kind = (const char *)sqlite3_column_text(q, 1);
        row.file = (const char *)sqlite3_column_text(q, 2);
        row.sha256 = (const char *)sqlite3_column_text(q, 3);
        row.sheet = (const char *)sqlite3_column_text(q, 4);
        row.round = sqlite3_column_int(q, 5);
        row.survey = (const char *)sqlite3_column_text(q, 6);
        row.imported_at = (const char *)sqlite3_column_text(q, 7);
        row.rows_read = sqlite3_column_int64(q, 8);
        row.values_stored = sqlite3_column_int64(q, 9);
        row.rejected = sqlite3_column_int64(q, 10);
        row.missing = sqlite3_column_int64(q, 11);
        if (!row.kind || !row.file || !row.sha256 || !row.imported_at)
            continue;
        if ((st = fn(ctx, &row, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading the imports", err);
    return EGDI_OK;
}
