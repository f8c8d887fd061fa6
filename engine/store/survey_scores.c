/*
 * survey_scores.c - the SQL of a score run's survey indicators and their
 * unit values (see survey_scores.h).  Each function prepares, uses and
 * finalizes its statements; nothing here allocates what it returns.
 */
#include "engine/store/survey_scores.h"
#include "engine/store/store_private.h"

#include <math.h>
#include <stdio.h>

static void bind_num(sqlite3_stmt *q, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_double(q, i, v);
}

static void bind_text(sqlite3_stmt *q, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

static double col_num(sqlite3_stmt *q, int c)
{
    return sqlite3_column_type(q, c) == SQLITE_NULL ? NAN : sqlite3_column_double(q, c);
}

/* A numeric column of a row read back: NULL (no number) or finite; inf,
 * NaN or text (a store changed by hand) is refused naming it (issue 19). */
typedef struct {
    int col;
    const char *name;
} num_col;

static egdi_status check_nums(sqlite3_stmt *q, const num_col *c, size_t n, const char *node,
                              int64_t unit_id, egdi_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char what[200];
        if (unit_id > 0)
            snprintf(what, sizeof what, "the survey %s of %s for unit %lld", c[i].name,
                     node ? node : "?", (long long)unit_id);
        else
            snprintf(what, sizeof what, "the survey %s of %s", c[i].name, node ? node : "?");
        double v;
        egdi_status st = egdi_store_col_num(q, c[i].col, true, what, &v, err);
        if (st != EGDI_OK)
            return st;
    }
    return EGDI_OK;
}

static const char *col_text(sqlite3_stmt *q, int c)
{
    return (const char *)sqlite3_column_text(q, c);
}

static size_t col_count(sqlite3_stmt *q, int c)
{
    sqlite3_int64 v = sqlite3_column_int64(q, c);
    return v > 0 ? (size_t)v : 0;
}

static egdi_status save_indicators(egdi_store *s, int64_t run_id,
                                   const egdi_store_survey_indicator *ind, size_t nind,
                                   egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "INSERT INTO survey_indicator(run_id, node, survey, round, scale, items, statistic,"
        " conflict, respondents, gate_n, min_n, alpha, min_alpha, cr_min, cr_failed,"
        " item_check, kmo, min_kmo, failed, note, batches)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)",
        &q, err);
    for (size_t i = 0; i < nind && !st; i++) {
        const egdi_store_survey_indicator *r = &ind[i];
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, run_id);
        bind_text(q, 2, r->node);
        bind_text(q, 3, r->survey);
        sqlite3_bind_int(q, 4, r->round);
        bind_text(q, 5, r->scale);
        bind_text(q, 6, r->items);
        bind_text(q, 7, r->statistic);
        bind_text(q, 8, r->conflict);
        sqlite3_bind_int64(q, 9, (sqlite3_int64)r->respondents);
        sqlite3_bind_int64(q, 10, (sqlite3_int64)r->gate_n);
        sqlite3_bind_int64(q, 11, (sqlite3_int64)r->min_n);
        bind_num(q, 12, r->alpha);
        bind_num(q, 13, r->min_alpha);
        bind_num(q, 14, r->cr_min);
        bind_text(q, 15, r->cr_failed);
        sqlite3_bind_int(q, 16, r->item_check);
        bind_num(q, 17, r->kmo);
        bind_num(q, 18, r->min_kmo);
        bind_text(q, 19, r->failed);
        bind_text(q, 20, r->note);
        bind_text(q, 21, r->batches);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = egdi_store_fail(s, "saving the survey indicators", err);
    }
    sqlite3_finalize(q);
    return st;
}

static egdi_status save_scores(egdi_store *s, int64_t run_id, const egdi_store_survey_score *sc,
                               size_t nsc, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "INSERT INTO survey_score(run_id, unit_id, node, n, value, mean, sd, se, dept_value,"
        " dept_units, own_n, own_value, metric, used, note, batches)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
        &q, err);
    for (size_t i = 0; i < nsc && !st; i++) {
        const egdi_store_survey_score *r = &sc[i];
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, run_id);
        sqlite3_bind_int64(q, 2, r->unit_id);
        bind_text(q, 3, r->node);
        sqlite3_bind_int64(q, 4, (sqlite3_int64)r->n);
        bind_num(q, 5, r->value);
        bind_num(q, 6, r->mean);
        bind_num(q, 7, r->sd);
        bind_num(q, 8, r->se);
        bind_num(q, 9, r->dept_value);
        sqlite3_bind_int64(q, 10, (sqlite3_int64)r->dept_units);
        sqlite3_bind_int64(q, 11, (sqlite3_int64)r->own_n);
        bind_num(q, 12, r->own_value);
        bind_num(q, 13, r->metric);
        bind_text(q, 14, r->used);
        bind_text(q, 15, r->note);
        bind_text(q, 16, r->batches);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = egdi_store_fail(s, "saving the units' survey values", err);
    }
    sqlite3_finalize(q);
    return st;
}

egdi_status egdi_store_survey_scores_save(egdi_store *s, int64_t run_id,
                                          const egdi_store_survey_indicator *ind, size_t nind,
                                          const egdi_store_survey_score *sc, size_t nsc,
                                          egdi_error *err)
{
    egdi_status st = save_indicators(s, run_id, ind, nind, err);
    return st ? st : save_scores(s, run_id, sc, nsc, err);
}

egdi_status egdi_store_survey_indicators_each(egdi_store *s, int64_t run_id,
                                              egdi_store_survey_indicator_fn fn, void *ctx,
                                              egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT node, survey, round, scale, items, statistic, conflict, respondents, gate_n,"
        " min_n, alpha, min_alpha, cr_min, cr_failed, item_check, kmo, min_kmo, failed, note,"
        " batches FROM survey_indicator WHERE run_id = ?1 ORDER BY node",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, run_id);
    int step = SQLITE_DONE;
    while (!st && (step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_survey_indicator r = {
            .node = col_text(q, 0),
            .survey = col_text(q, 1),
            .round = sqlite3_column_int(q, 2),
            .scale = col_text(q, 3),
            .items = col_text(q, 4),
            .statistic = col_text(q, 5),
            .conflict = col_text(q, 6),
            .respondents = col_count(q, 7),
            .gate_n = col_count(q, 8),
            .min_n = col_count(q, 9),
            .alpha = col_num(q, 10),
            .min_alpha = col_num(q, 11),
            .cr_min = col_num(q, 12),
            .cr_failed = col_text(q, 13),
            .item_check = sqlite3_column_int(q, 14) != 0,
            .kmo = col_num(q, 15),
            .min_kmo = col_num(q, 16),
            .failed = col_text(q, 17),
            .note = col_text(q, 18),
            .batches = col_text(q, 19),
        };
        static const num_col nums[] = {{10, "alpha"}, {11, "minimum alpha"},
                                       {12, "minimum CR"}, {15, "KMO"}, {16, "minimum KMO"}};
        st = check_nums(q, nums, sizeof nums / sizeof *nums, r.node, 0, err);
        if (!st)
            st = fn(ctx, &r, err);
    }
    if (!st && step != SQLITE_DONE)
        st = egdi_store_fail(s, "reading the survey indicators", err);
    sqlite3_finalize(q);
    return st;
}

egdi_status egdi_store_survey_scores_each(egdi_store *s, int64_t run_id, int64_t unit_id,
                                          egdi_store_survey_score_fn fn, void *ctx,
                                          egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT unit_id, node, n, value, mean, sd, se, dept_value, dept_units, own_n,"
        " own_value, metric, used, note, batches FROM survey_score"
        " WHERE run_id = ?1 AND (?2 = 0 OR unit_id = ?2) ORDER BY node, unit_id",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, run_id);
    sqlite3_bind_int64(q, 2, unit_id);
    int step = SQLITE_DONE;
    while (!st && (step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_survey_score r = {
            .unit_id = sqlite3_column_int64(q, 0),
            .node = col_text(q, 1),
            .n = col_count(q, 2),
            .value = col_num(q, 3),
            .mean = col_num(q, 4),
            .sd = col_num(q, 5),
            .se = col_num(q, 6),
            .dept_value = col_num(q, 7),
            .dept_units = col_count(q, 8),
            .own_n = col_count(q, 9),
            .own_value = col_num(q, 10),
            .metric = col_num(q, 11),
            .used = col_text(q, 12),
            .note = col_text(q, 13),
            .batches = col_text(q, 14),
        };
        static const num_col nums[] = {{3, "value"},         {4, "mean"},   {5, "SD"},
                                       {6, "SE"},            {7, "department value"},
                                       {10, "own value"},    {11, "metric"}};
        st = check_nums(q, nums, sizeof nums / sizeof *nums, r.node, r.unit_id, err);
        if (!st)
            st = fn(ctx, &r, err);
    }
    if (!st && step != SQLITE_DONE)
        st = egdi_store_fail(s, "reading the units' survey values", err);
    sqlite3_finalize(q);
    return st;
}
