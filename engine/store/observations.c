/*
 * observations.c - the SQL for observations (see observations.h).
 */
#include "engine/store/observations.h"
#include "engine/store/store_private.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char obs_put_sql[] =
    "INSERT OR REPLACE INTO observation(round, unit_id, indicator, value, raw, batch_id,"
    " sheet, row, col) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char obs_source_sql[] =
    "SELECT b.file, o.row FROM observation o JOIN import_batch b ON b.id = o.batch_id"
    " WHERE o.round = ?1 AND o.unit_id = ?2 AND o.indicator = ?3";
static const char obs_round_sql[] =
    "SELECT unit_id, indicator, value FROM observation WHERE round = ?1 ORDER BY unit_id";

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

/* Appends row[0..k) to *x (n rows, capacity *cap rows). */
static egdi_status append_row(double **x, size_t *n, size_t *cap, const double *row, size_t k,
                              egdi_error *err)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        double *nx = realloc(*x, ncap * k * sizeof *nx);
        if (!nx)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        *x = nx;
        *cap = ncap;
    }
    memcpy(*x + *n * k, row, k * sizeof *row);
    (*n)++;
    return EGDI_OK;
}

egdi_status egdi_store_obs_matrix(egdi_store *s, int round, const char *const *codes, size_t k,
                                  double **x, size_t *n, egdi_error *err)
{
    *x = NULL;
    *n = 0;
    if (k == 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "no indicators to read");
    /* iterated while the caller's other statements may run: not cached */
    sqlite3_stmt *st = NULL;
    double *row = malloc((k ? k : 1) * sizeof *row);
    size_t cap = 0;
    egdi_status rc;
    if (!row) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((rc = egdi_store_prepare(s, obs_round_sql, &st, err)) != EGDI_OK)
        goto fail;
    sqlite3_bind_int(st, 1, round);
    int64_t cur = -1;
    for (;;) {
        int step = sqlite3_step(st);
        int64_t uid = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -2;
        if (uid != cur) {
            /* the unit before is complete: keep it when it has all k */
            bool all = cur >= 0;
            for (size_t c = 0; c < k && all; c++)
                all = !isnan(row[c]);
            if (all && (rc = append_row(x, n, &cap, row, k, err)) != EGDI_OK)
                goto fail;
            cur = uid;
            for (size_t c = 0; c < k; c++)
                row[c] = NAN;
        }
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = egdi_store_fail(s, "reading observations", err);
            goto fail;
        }
        const char *ind = (const char *)sqlite3_column_text(st, 1);
        for (size_t c = 0; c < k; c++)
            if (ind && strcasecmp(ind, codes[c]) == 0)
                row[c] = sqlite3_column_double(st, 2);
    }
    sqlite3_finalize(st);
    free(row);
    if (*n == 0) {
        free(*x);
        *x = NULL;
    }
    return EGDI_OK;
fail:
    sqlite3_finalize(st);
    free(row);
    free(*x);
    *x = NULL;
    *n = 0;
    return rc;
}
