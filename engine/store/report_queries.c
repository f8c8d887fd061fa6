/*
 * report_queries.c - the SQL of report_queries.h.  Each function prepares,
 * steps and finalizes its own statement; nothing is allocated for the
 * caller.
 */
#include "engine/store/report_queries.h"

#include <stddef.h>

egdi_status egdi_store_sources_each(egdi_store *s, int round, int64_t unit_id,
                                    egdi_store_source_fn fn, void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT o.unit_id, o.indicator, b.file, o.sheet, o.row, o.col FROM observation o"
        " JOIN import_batch b ON b.id = o.batch_id WHERE o.round = ?1"
        " AND (?2 = 0 OR o.unit_id = ?2) ORDER BY o.id",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_int(q, 1, round);
    sqlite3_bind_int64(q, 2, unit_id);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_source_row row;
        row.unit_id = sqlite3_column_int64(q, 0);
        row.indicator = (const char *)sqlite3_column_text(q, 1);
        row.file = (const char *)sqlite3_column_text(q, 2);
        row.sheet = (const char *)sqlite3_column_text(q, 3);
        int r = sqlite3_column_int(q, 4), c = sqlite3_column_int(q, 5);
        row.row = r > 0 ? (uint32_t)r : 0;
        row.col = c > 0 ? (uint32_t)c : 0;
        if (!row.indicator || !row.file)
            continue;
        if ((st = fn(ctx, &row, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading where the values came from", err);
    return EGDI_OK;
}

egdi_status egdi_store_region_series_each(egdi_store *s, const char *model_name,
                                          egdi_store_series_fn fn, void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT sr.round, u.code, us.egdi FROM unit_score us"
        " JOIN score_run sr ON sr.id = us.run_id JOIN model m ON m.id = sr.model_id"
        " JOIN unit u ON u.id = us.unit_id"
        " WHERE u.kind = 'region' AND m.name = ?1 AND us.egdi IS NOT NULL AND us.rankable"
        " AND sr.id = (SELECT max(s2.id) FROM score_run s2 JOIN model m2 ON m2.id = s2.model_id"
        "              WHERE s2.round = sr.round AND m2.name = m.name)"
        " ORDER BY u.code, sr.round",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_text(q, 1, model_name, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(q, 1);
        if (!code)
            continue;
        if ((st = fn(ctx, sqlite3_column_int(q, 0), code, sqlite3_column_double(q, 2), err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading the regions' scores across rounds", err);
    return EGDI_OK;
}

egdi_status egdi_store_round_inputs_each(egdi_store *s, int round, egdi_store_input_fn fn,
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
