/*
 * uncertainty_runs.c - the SQL of stored uncertainty runs (see
 * uncertainty_runs.h).  Each function prepares, uses and finalizes its
 * statements; a save is one transaction.  find copies the run's strings
 * into one buffer the caller frees.
 */
#include "engine/store/uncertainty_runs.h"
#include "engine/store/score_runs.h"
#include "engine/store/store_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_num(sqlite3_stmt *q, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_double(q, i, v);
}

static double col_num(sqlite3_stmt *q, int c)
{
    return sqlite3_column_type(q, c) == SQLITE_NULL ? NAN : sqlite3_column_double(q, c);
}

static void bind_text_or_null(sqlite3_stmt *q, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

static egdi_status save_run(egdi_store *s, egdi_store_uncertainty_run *run, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s, "DELETE FROM uncertainty_run WHERE score_run_id = ?1 AND kind = ?2", &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, run->score_run_id);
    sqlite3_bind_text(q, 2, run->kind, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = egdi_store_fail(s, "replacing an uncertainty run", err);
    sqlite3_finalize(q);
    if (st)
        return st;
    char now[21];
    egdi_store_now(now);
    if ((st = egdi_store_prepare(
             s,
             "INSERT INTO uncertainty_run(score_run_id, kind, varied, sampler, seed, draws, "
             "columns, top_k, rank_digits, model_sha256, inputs_sha256, weight_sets, "
             "program_version, created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
             &q, err)))
        return st;
    sqlite3_bind_int64(q, 1, run->score_run_id);
    sqlite3_bind_text(q, 2, run->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, run->varied, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, run->sampler, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)run->seed);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)run->draws);
    sqlite3_bind_int64(q, 7, (sqlite3_int64)run->columns);
    if (run->top)
        sqlite3_bind_int64(q, 8, (sqlite3_int64)run->top);
    else
        sqlite3_bind_null(q, 8);
    if (run->digits >= 0)
        sqlite3_bind_int(q, 9, run->digits);
    else
        sqlite3_bind_null(q, 9);
    sqlite3_bind_text(q, 10, run->model_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 11, run->inputs_sha256, -1, SQLITE_STATIC);
    bind_text_or_null(q, 12, run->weight_sets);
    sqlite3_bind_text(q, 13, run->program_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 14, now, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = egdi_store_fail(s, "saving an uncertainty run", err);
    else
        run->id = egdi_store_last_id(s);
    sqlite3_finalize(q);
    return st;
}

static egdi_status save_rows(egdi_store *s, int64_t id, const egdi_store_uncertainty_unit *units,
                             size_t nunits, const egdi_store_uncertainty_stage *stages,
                             size_t nstages, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "INSERT INTO uncertainty_unit(run_id, unit_id, nominal_rank, ranked, median_rank, "
        "rank_lo, rank_hi, mean_shift, top_draws) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        &q, err);
    if (st)
        return st;
    for (size_t i = 0; i < nunits && !st; i++) {
        const egdi_store_uncertainty_unit *u = &units[i];
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, u->unit_id);
        if (u->nominal_rank > 0)
            sqlite3_bind_int64(q, 3, u->nominal_rank);
        else
            sqlite3_bind_null(q, 3);
        sqlite3_bind_int64(q, 4, (sqlite3_int64)u->ranked);
        bind_num(q, 5, u->median);
        bind_num(q, 6, u->lo);
        bind_num(q, 7, u->hi);
        bind_num(q, 8, u->shift);
        sqlite3_bind_int64(q, 9, (sqlite3_int64)u->top);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = egdi_store_fail(s, "saving an uncertainty run's units", err);
    }
    sqlite3_finalize(q);
    if (st)
        return st;
    if ((st = egdi_store_prepare(s,
                                 "INSERT INTO uncertainty_stage(run_id, unit_id, stage, draws) "
                                 "VALUES(?1,?2,?3,?4)",
                                 &q, err)))
        return st;
    for (size_t i = 0; i < nstages && !st; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, stages[i].unit_id);
        sqlite3_bind_text(q, 3, stages[i].stage, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 4, (sqlite3_int64)stages[i].draws);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = egdi_store_fail(s, "saving an uncertainty run's stages", err);
    }
    sqlite3_finalize(q);
    return st;
}

egdi_status egdi_store_uncertainty_save(egdi_store *s, egdi_store_uncertainty_run *run,
                                        const egdi_store_uncertainty_unit *units, size_t nunits,
                                        const egdi_store_uncertainty_stage *stages,
                                        size_t nstages, const egdi_store_uncertainty_set *sets,
                                        size_t nsets, egdi_error *err)
{
    egdi_status st = egdi_store_begin(s, err);
    if (st)
        return st;
    for (size_t i = 0; i < nsets && !st; i++)
        st = egdi_store_model_save(s, sets[i].name, sets[i].version, sets[i].sha256,
                                   sets[i].definition, sets[i].len, NULL, err);
    if (st || (st = save_run(s, run, err)) ||
        (st = save_rows(s, run->id, units, nunits, stages, nstages, err)) ||
        (st = egdi_store_commit(s, err))) {
        egdi_store_rollback(s);
        return st;
    }
    return EGDI_OK;
}

egdi_status egdi_store_uncertainty_find(egdi_store *s, int64_t score_run_id, const char *kind,
                                        bool *found, egdi_store_uncertainty_run *run, char **buf,
                                        egdi_error *err)
{
    *found = false;
    *buf = NULL;
    memset(run, 0, sizeof *run);
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT id, kind, varied, sampler, seed, draws, columns, top_k, rank_digits, "
        "model_sha256, inputs_sha256, weight_sets, program_version, created_at "
        "FROM uncertainty_run WHERE score_run_id = ?1 AND kind = ?2 ORDER BY id DESC LIMIT 1",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, score_run_id);
    sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        /* the texts one after the other in one buffer */
        static const int cols[] = {1, 2, 3, 9, 10, 11, 12, 13};
        size_t need = 0;
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
            need += (size_t)sqlite3_column_bytes(q, cols[c]) + 1;
        char *b = malloc(need ? need : 1);
        if (!b) {
            sqlite3_finalize(q);
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        }
        const char *txt[sizeof cols / sizeof cols[0]];
        size_t at = 0;
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            const unsigned char *t = sqlite3_column_text(q, cols[c]);
            size_t n = (size_t)sqlite3_column_bytes(q, cols[c]);
            if (!t) {
                txt[c] = NULL;
                continue;
            }
            memcpy(b + at, t, n);
            b[at + n] = '\0';
            txt[c] = b + at;
            at += n + 1;
        }
        run->id = sqlite3_column_int64(q, 0);
        run->score_run_id = score_run_id;
        run->kind = txt[0];
        run->varied = txt[1];
        run->sampler = txt[2];
        run->seed = (uint64_t)sqlite3_column_int64(q, 4);
        run->draws = (size_t)sqlite3_column_int64(q, 5);
        run->columns = (size_t)sqlite3_column_int64(q, 6);
        run->top = sqlite3_column_type(q, 7) == SQLITE_NULL ? 0
                                                            : (size_t)sqlite3_column_int64(q, 7);
        run->digits = sqlite3_column_type(q, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 8);
        run->model_sha256 = txt[3];
        run->inputs_sha256 = txt[4];
        run->weight_sets = txt[5];
        run->program_version = txt[6];
        run->created_at = txt[7];
        *buf = b;
        *found = true;
    } else if (step != SQLITE_DONE) {
        st = egdi_store_fail(s, "reading uncertainty runs", err);
    }
    sqlite3_finalize(q);
    return st;
}

egdi_status egdi_store_uncertainty_each(egdi_store *s, int64_t run_id,
                                        egdi_store_uncertainty_unit_fn unit_fn,
                                        egdi_store_uncertainty_stage_fn stage_fn, void *ctx,
                                        egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "SELECT unit_id, nominal_rank, ranked, median_rank, "
                                        "rank_lo, rank_hi, mean_shift, top_draws FROM "
                                        "uncertainty_unit WHERE run_id = ?1 ORDER BY unit_id",
                                        &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, run_id);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_uncertainty_unit u;
        u.unit_id = sqlite3_column_int64(q, 0);
        u.nominal_rank = sqlite3_column_type(q, 1) == SQLITE_NULL
                             ? 0
                             : (long)sqlite3_column_int64(q, 1);
        u.ranked = (size_t)sqlite3_column_int64(q, 2);
        u.median = col_num(q, 3);
        u.lo = col_num(q, 4);
        u.hi = col_num(q, 5);
        u.shift = col_num(q, 6);
        u.top = (size_t)sqlite3_column_int64(q, 7);
        if ((st = unit_fn(ctx, &u, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading an uncertainty run's units", err);
    if (!stage_fn)
        return EGDI_OK;
    if ((st = egdi_store_prepare(s,
                                 "SELECT unit_id, stage, draws FROM uncertainty_stage "
                                 "WHERE run_id = ?1 ORDER BY unit_id, stage",
                                 &q, err)))
        return st;
    sqlite3_bind_int64(q, 1, run_id);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_uncertainty_stage r;
        r.unit_id = sqlite3_column_int64(q, 0);
        r.stage = (const char *)sqlite3_column_text(q, 1);
        r.draws = (size_t)sqlite3_column_int64(q, 2);
        if (!r.stage)
            continue;
        if ((st = stage_fn(ctx, &r, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading an uncertainty run's stages", err);
    return EGDI_OK;
}
