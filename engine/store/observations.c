/*
 * observations.c - the SQL for observations (see observations.h).
 */
#include "engine/store/observations.h"
#include "engine/store/store_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char obs_put_sql[] =
    "INSERT OR REPLACE INTO observation(round, unit_id, indicator, value, raw, batch_id,"
    " sheet, row, col) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char missing_put_sql[] =
    "INSERT OR REPLACE INTO missing_value(round, unit_id, indicator, raw, reason, batch_id,"
    " sheet, row, col) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE NOT EXISTS"
    " (SELECT 1 FROM observation WHERE round = ?1 AND unit_id = ?2 AND indicator = ?3)";
static const char obs_source_sql[] =
    "SELECT b.file, o.row FROM observation o JOIN import_batch b ON b.id = o.batch_id"
    " WHERE o.round = ?1 AND o.unit_id = ?2 AND o.indicator = ?3";

egdi_status egdi_store_obs_put(egdi_store *s, const egdi_store_obs *o, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, obs_put_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int(st, 1, o->round);
    sqlite3_bind_int64(st, 2, o->unit_id);
    sqlite3_bind_text(st, 3, o->indicator, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, o->value);
    sqlite3_bind_text(st, 5, o->raw, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, o->batch_id);
    if (o->sheet)
        sqlite3_bind_text(st, 7, o->sheet, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, o->row);
    sqlite3_bind_int64(st, 9, o->col);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "storing a value", err);
    egdi_store_reset(st);
    return rc;
}

/* obs_put_sql with OBS_BATCH rows of VALUES (?1..?9), (?10..?18), ...:
 * one statement per OBS_BATCH values, so an import of 1.5 million values
 * runs 23,000 statements, not 1.5 million (issue 20); INSERT OR REPLACE
 * takes the rows in order, so a later row wins as before. */
#define OBS_BATCH 64
static char obs_many_sql[OBS_BATCH * 48 + 160];

static const char *obs_many(void)
{
    if (!obs_many_sql[0]) {
        size_t len = (size_t)snprintf(obs_many_sql, sizeof obs_many_sql, "%.*s",
                                      (int)(strstr(obs_put_sql, " VALUES") - obs_put_sql),
                                      obs_put_sql);
        len += (size_t)snprintf(obs_many_sql + len, sizeof obs_many_sql - len, " VALUES");
        for (int r = 0; r < OBS_BATCH; r++)
            len += (size_t)snprintf(obs_many_sql + len, sizeof obs_many_sql - len,
                                    "%s(?,?,?,?,?,?,?,?,?)", r ? "," : "");
    }
    return obs_many_sql;
}

static void obs_bind(sqlite3_stmt *st, int at, const egdi_store_obs *o)
{
    sqlite3_bind_int(st, at + 1, o->round);
    sqlite3_bind_int64(st, at + 2, o->unit_id);
    sqlite3_bind_text(st, at + 3, o->indicator, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, at + 4, o->value);
    sqlite3_bind_text(st, at + 5, o->raw, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, at + 6, o->batch_id);
    if (o->sheet)
        sqlite3_bind_text(st, at + 7, o->sheet, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, at + 7);
    sqlite3_bind_int64(st, at + 8, o->row);
    sqlite3_bind_int64(st, at + 9, o->col);
}

egdi_status egdi_store_obs_put_many(egdi_store *s, const egdi_store_obs *o, size_t n,
                                    egdi_error *err)
{
    egdi_status rc = EGDI_OK;
    size_t i = 0;
    if (n >= OBS_BATCH) {
        sqlite3_stmt *st;
        if ((rc = egdi_store_cached(s, obs_many(), &st, err)) != EGDI_OK)
            return rc;
        for (; i + OBS_BATCH <= n && rc == EGDI_OK; i += OBS_BATCH) {
            for (int r = 0; r < OBS_BATCH; r++)
                obs_bind(st, r * 9, &o[i + (size_t)r]);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = egdi_store_fail(s, "storing a value", err);
            egdi_store_reset(st);
        }
    }
    for (; i < n && rc == EGDI_OK; i++)
        rc = egdi_store_obs_put(s, &o[i], err);
    return rc;
}

egdi_status egdi_store_obs_any(egdi_store *s, int round, bool *any, egdi_error *err)
{
    static const char sql[] = "SELECT EXISTS(SELECT 1 FROM observation WHERE round = ?1)";
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int(st, 1, round);
    if (sqlite3_step(st) == SQLITE_ROW)
        *any = sqlite3_column_int(st, 0) != 0;
    else
        rc = egdi_store_fail(s, "looking up a round's values", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_obs_source(egdi_store *s, int round, int64_t unit_id,
                                  const char *indicator, char **file, int *row,
                                  egdi_error *err)
{
    *file = NULL;
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, obs_source_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int(st, 1, round);
    sqlite3_bind_int64(st, 2, unit_id);
    sqlite3_bind_text(st, 3, indicator, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const unsigned char *f = sqlite3_column_text(st, 0);
        *row = sqlite3_column_int(st, 1);
        if (!(*file = strdup(f ? (const char *)f : "")))
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    } else if (step == SQLITE_DONE)
        rc = EGDI_DONE;
    else
        rc = egdi_store_fail(s, "looking up a stored value", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_obs_each(egdi_store *s, int round, egdi_store_value_fn fn, void *ctx,
                                egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "SELECT unit_id, indicator, value FROM observation "
                                        "WHERE round = ?1 ORDER BY unit_id, indicator",
                                        &q, err);
    if (st)
        return st;
    sqlite3_bind_int(q, 1, round);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *ind = (const char *)sqlite3_column_text(q, 1);
        if (!ind)
            continue;
        double v;
        if (egdi_store_col_num(q, 2, false, NULL, &v, NULL) != EGDI_OK) { /* say which */
            char what[160];
            snprintf(what, sizeof what, "the value of %.64s for unit %lld in round %d", ind,
                     (long long)sqlite3_column_int64(q, 0), round);
            st = egdi_store_col_num(q, 2, false, what, &v, err);
        }
        if (st || (st = fn(ctx, sqlite3_column_int64(q, 0), ind, v, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading observations", err);
    return EGDI_OK;
}

/* The import batches' files by id, for the rows of a big read: a join
 * per row cost a third of reading a round's 1.5 million sources. */
typedef struct {
    int64_t id;
    char *file;
} batch_file;

static void batch_files_free(batch_file *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(b[i].file);
    free(b);
}

/* Every batch with its file, by id (SQLite's rowid order). */
static egdi_status batch_files(egdi_store *s, batch_file **out, size_t *nout, egdi_error *err)
{
    *out = NULL;
    *nout = 0;
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s, "SELECT id, file FROM import_batch ORDER BY id", &q,
                                        err);
    if (st)
        return st;
    batch_file *b = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *f = (const char *)sqlite3_column_text(q, 1);
        if (!f)
            continue;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            batch_file *nb = realloc(b, ncap * sizeof *nb);
            if (!nb)
                goto nomem;
            b = nb;
            cap = ncap;
        }
        b[n].id = sqlite3_column_int64(q, 0);
        if (!(b[n].file = strdup(f)))
            goto nomem;
        n++;
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE) {
        batch_files_free(b, n);
        return egdi_store_fail(s, "reading the import batches", err);
    }
    *out = b;
    *nout = n;
    return EGDI_OK;
nomem:
    sqlite3_finalize(q);
    batch_files_free(b, n);
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the import batches");
}

static const char *batch_file_of(const batch_file *b, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && b[lo].id == id ? b[lo].file : NULL;
}

egdi_status egdi_store_obs_sources_each(egdi_store *s, int round, int64_t unit_id,
                                    egdi_store_source_fn fn, void *ctx, egdi_error *err)
{
    batch_file *files = NULL;
    size_t nfiles = 0;
    egdi_status st = batch_files(s, &files, &nfiles, err);
    if (st)
        return st;
    sqlite3_stmt *q = NULL;
    st = egdi_store_prepare(
        s,
        "SELECT o.unit_id, o.indicator, o.batch_id, o.sheet, o.row, o.col FROM observation o"
        " WHERE o.round = ?1 AND (?2 = 0 OR o.unit_id = ?2) ORDER BY o.unit_id, o.indicator",
        &q, err);
    if (st) {
        batch_files_free(files, nfiles);
        return st;
    }
    sqlite3_bind_int(q, 1, round);
    sqlite3_bind_int64(q, 2, unit_id);
    int step;
    int64_t last_batch = 0;
    const char *last_file = NULL;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_source_row row;
        row.unit_id = sqlite3_column_int64(q, 0);
        row.indicator = (const char *)sqlite3_column_text(q, 1);
        int64_t batch = sqlite3_column_int64(q, 2);
        if (!last_file || batch != last_batch) {
            last_batch = batch;
            last_file = batch_file_of(files, nfiles, batch);
        }
        row.file = last_file;
        row.sheet = (const char *)sqlite3_column_text(q, 3);
        int r = sqlite3_column_int(q, 4), c = sqlite3_column_int(q, 5);
        row.row = r > 0 ? (uint32_t)r : 0;
        row.col = c > 0 ? (uint32_t)c : 0;
        if (!row.indicator || !row.file)
            continue; /* (a batch without a file, as the join left it out) */
        if ((st = fn(ctx, &row, err))) {
            sqlite3_finalize(q);
            batch_files_free(files, nfiles);
            return st;
        }
    }
    sqlite3_finalize(q);
    batch_files_free(files, nfiles);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading where the values came from", err);
    return EGDI_OK;
}

egdi_status egdi_store_missing_put(egdi_store *s, const egdi_store_missing *m, bool *recorded,
                                   egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, missing_put_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int(st, 1, m->round);
    sqlite3_bind_int64(st, 2, m->unit_id);
    sqlite3_bind_text(st, 3, m->indicator, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->raw ? m->raw : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, m->reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, m->batch_id);
    if (m->sheet)
        sqlite3_bind_text(st, 7, m->sheet, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, m->row);
    sqlite3_bind_int64(st, 9, m->col);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "recording a missing value", err);
    else if (recorded)
        *recorded = sqlite3_changes(egdi_store_db(s)) > 0;
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_missing_each(egdi_store *s, int round, int64_t unit_id,
                                    egdi_store_missing_fn fn, void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT m.unit_id, m.indicator, m.raw, m.reason, b.file, m.sheet, m.row, m.col"
        " FROM missing_value m JOIN import_batch b ON b.id = m.batch_id WHERE m.round = ?1"
        " AND (?2 = 0 OR m.unit_id = ?2) ORDER BY m.id",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_int(q, 1, round);
    sqlite3_bind_int64(q, 2, unit_id);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_missing_row row;
        row.unit_id = sqlite3_column_int64(q, 0);
        row.indicator = (const char *)sqlite3_column_text(q, 1);
        row.raw = (const char *)sqlite3_column_text(q, 2);
        row.reason = (const char *)sqlite3_column_text(q, 3);
        row.file = (const char *)sqlite3_column_text(q, 4);
        row.sheet = (const char *)sqlite3_column_text(q, 5);
        int r = sqlite3_column_int(q, 6), c = sqlite3_column_int(q, 7);
        row.row = r > 0 ? (uint32_t)r : 0;
        row.col = c > 0 ? (uint32_t)c : 0;
        if (!row.indicator || !row.raw || !row.reason || !row.file)
            continue;
        if ((st = fn(ctx, &row, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading the missing values", err);
    return EGDI_OK;
}
