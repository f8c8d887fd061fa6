/*
 * undo.c - removing an import batch or a round with what was derived from
 * it (see undo.h).  Each removal is one transaction: counts first, then
 * the checks that may refuse, then the deletes; any failure rolls back.
 * Foreign keys do the cascading (observation, missing_value and
 * survey_response go with their batch; node_score, unit_node_score and
 * unit_score with their run; survey_column and survey_label with their
 * survey).
 */
#include "engine/store/undo.h"
#include "engine/store/score_runs.h"
#include "engine/store/store_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void egdi_store_undone_release(egdi_store_undone *u)
{
    if (!u)
        return;
    free(u->kind);
    free(u->file);
    memset(u, 0, sizeof *u);
}

/* Runs sql binding ?1 to a (an id or a year); *n (may be NULL) receives the
 * first column of the first row (a count) or, for a statement without
 * rows, the number of rows it changed. */
static egdi_status run1(egdi_store *s, const char *sql, int64_t a, int64_t *n, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s, sql, &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, a);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        if (n)
            *n = sqlite3_column_int64(q, 0);
    } else if (step == SQLITE_DONE) {
        if (n)
            *n = sqlite3_changes(egdi_store_db(s));
    } else
        st = egdi_store_fail(s, "undoing", err);
    sqlite3_finalize(q);
    return st;
}

/* The first code of a query of unit codes bound to ?1, or "" (into buf). */
static egdi_status first_code(egdi_store *s, const char *sql, int64_t a, char *buf, size_t size,
                              egdi_error *err)
{
    buf[0] = '\0';
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s, sql, &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, a);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        snprintf(buf, size, "%s", t ? t : "");
    } else if (step != SQLITE_DONE)
        st = egdi_store_fail(s, "undoing", err);
    sqlite3_finalize(q);
    return st;
}

static size_t as_count(int64_t n)
{
    return n > 0 ? (size_t)n : 0;
}

/* A units batch: the checks that may refuse, then its units go. */
static egdi_status undo_units(egdi_store *s, int64_t id, egdi_store_undone *out, const char *why,
                              egdi_error *err)
{
    char code[256];
    int64_t n = 0;
    egdi_status st;
    if ((st = first_code(s,
                         "SELECT u.code FROM unit u JOIN observation o ON o.unit_id = u.id"
                         " WHERE u.created_batch = ?1 ORDER BY u.code LIMIT 1",
                         id, code, sizeof code, err)))
        return st;
    if (!code[0] && (st = first_code(s,
                                     "SELECT u.code FROM unit u JOIN missing_value m"
                                     " ON m.unit_id = u.id WHERE u.created_batch = ?1"
                                     " ORDER BY u.code LIMIT 1",
                                     id, code, sizeof code, err)))
        return st;
    if (code[0])
        return egdi_error_set(err, EGDI_ERR_EXISTS,
                              "import %lld brought unit \"%s\", which metrics refer to; undo "
                              "those metrics imports first (see 'egdi import list')",
                              (long long)id, code);
    if ((st = first_code(s,
                         "SELECT u.code FROM unit u WHERE u.created_batch = ?1 AND EXISTS"
                         " (SELECT 1 FROM survey_response r WHERE r.unit_id = u.id)"
                         " ORDER BY u.code LIMIT 1",
                         id, code, sizeof code, err)))
        return st;
    if (code[0])
        return egdi_error_set(err, EGDI_ERR_EXISTS,
                              "import %lld brought unit \"%s\", which survey respondents rate; "
                              "undo those survey imports first (see 'egdi import list')",
                              (long long)id, code);
    if ((st = first_code(s,
                         "SELECT c.code FROM unit c JOIN unit p ON p.id = c.parent_id"
                         " WHERE p.created_batch = ?1 AND c.created_batch IS NOT ?1"
                         " ORDER BY c.code LIMIT 1",
                         id, code, sizeof code, err)))
        return st;
    if (code[0])
        return egdi_error_set(err, EGDI_ERR_EXISTS,
                              "unit \"%s\" of another import has a parent from import %lld; "
                              "undo that import first",
                              code, (long long)id);
    if ((st = first_code(s,
                         "SELECT code FROM unit WHERE (batch_id = ?1 AND created_batch IS NOT ?1)"
                         " OR (created_batch = ?1 AND batch_id IS NOT ?1) ORDER BY code LIMIT 1",
                         id, code, sizeof code, err)))
        return st;
    if (code[0])
        return egdi_error_set(err, EGDI_ERR_EXISTS,
                              "import %lld and another import both changed unit \"%s\" (its "
                              "earlier details are not kept); it cannot be undone",
                              (long long)id, code);
    /* the runs that scored its units are stale; their rows of these units go */
    sqlite3_stmt *q = NULL;
    if ((st = egdi_store_prepare(s,
                                 "UPDATE score_run SET stale = ?2 WHERE stale IS NULL AND id IN"
                                 " (SELECT us.run_id FROM unit_score us JOIN unit u"
                                 " ON u.id = us.unit_id WHERE u.created_batch = ?1)",
                                 &q, err)))
        return st;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_text(q, 2, why, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = egdi_store_fail(s, "undoing", err);
    else
        out->stale_runs = (size_t)sqlite3_changes(egdi_store_db(s));
    sqlite3_finalize(q);
    if (st ||
        (st = run1(s,
                   "DELETE FROM node_score WHERE unit_id IN"
                   " (SELECT id FROM unit WHERE created_batch = ?1)",
                   id, NULL, err)) ||
        (st = run1(s,
                   "DELETE FROM unit_node_score WHERE unit_id IN"
                   " (SELECT id FROM unit WHERE created_batch = ?1)",
                   id, NULL, err)) ||
        (st = run1(s,
                   "DELETE FROM unit_score WHERE unit_id IN"
                   " (SELECT id FROM unit WHERE created_batch = ?1)",
                   id, NULL, err)) ||
        (st = run1(s,
                   "DELETE FROM survey_score WHERE unit_id IN"
                   " (SELECT id FROM unit WHERE created_batch = ?1)",
                   id, NULL, err)) ||
        (st = run1(s, "DELETE FROM unit WHERE created_batch = ?1", id, &n, err)))
        return st;
    out->units = as_count(n);
    return EGDI_OK;
}

egdi_status egdi_store_undo_batch(egdi_store *s, int64_t id, egdi_store_undone *out,
                                  egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_status st = egdi_store_begin(s, err);
    if (st)
        return st;
    sqlite3_stmt *q = NULL;
    int64_t survey = 0, n = 0;
    if ((st = egdi_store_prepare(s,
                                 "SELECT kind, file, round, survey_id FROM import_batch"
                                 " WHERE id = ?1",
                                 &q, err)))
        goto fail;
    sqlite3_bind_int64(q, 1, id);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(q, 0);
        const char *f = (const char *)sqlite3_column_text(q, 1);
        out->kind = strdup(k ? k : "");
        out->file = strdup(f ? f : "");
        out->round = sqlite3_column_int(q, 2);
        survey = sqlite3_column_int64(q, 3);
    }
    sqlite3_finalize(q);
    if (step == SQLITE_DONE) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                            "there is no import %lld (see 'egdi import list')", (long long)id);
        goto fail;
    }
    if (step != SQLITE_ROW) {
        st = egdi_store_fail(s, "reading the import", err);
        goto fail;
    }
    if (!out->kind || !out->file) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    char now[21], why[512];
    egdi_store_now(now);
    egdi_stale_reason r = {EGDI_STALE_UNDO, (long long)id, out->kind, out->file, now};
    egdi_store_stale_text(&r, why, sizeof why);
    out->batches = 1;
    if ((st = run1(s, "SELECT count(*) FROM observation WHERE batch_id = ?1", id, &n, err)))
        goto fail;
    out->observations = as_count(n);
    if ((st = run1(s, "SELECT count(*) FROM missing_value WHERE batch_id = ?1", id, &n, err)))
        goto fail;
    out->missing = as_count(n);
    if ((st = run1(s, "SELECT count(*) FROM survey_response WHERE batch_id = ?1", id, &n, err)))
        goto fail;
    out->respondents = as_count(n);
    if (strcmp(out->kind, "units") == 0 && (st = undo_units(s, id, out, why, err)))
        goto fail;
    if (strcmp(out->kind, "metrics") == 0 && out->round &&
        (st = egdi_store_score_runs_stale(s, out->round, why, &out->stale_runs, err)))
        goto fail;
    /* respondents who rate units feed the scores of their round (of every
     * round when the import had none) */
    int64_t rated = 0;
    if (strcmp(out->kind, "survey") == 0 &&
        ((st = run1(s,
                    "SELECT count(*) FROM survey_response WHERE batch_id = ?1"
                    " AND unit_id IS NOT NULL",
                    id, &rated, err)) ||
         (rated > 0 &&
          (st = egdi_store_score_runs_stale(s, out->round, why, &out->stale_runs, err)))))
        goto fail;
    if ((st = run1(s, "DELETE FROM import_batch WHERE id = ?1", id, NULL, err)))
        goto fail;
    if (survey) {
        /* a survey left without respondents goes too */
        if ((st = run1(s,
                       "DELETE FROM survey WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM"
                       " survey_response WHERE survey_id = ?1) AND NOT EXISTS (SELECT 1 FROM"
                       " import_batch WHERE survey_id = ?1)",
                       survey, &n, err)))
            goto fail;
        out->surveys = as_count(n);
    }
    if ((st = egdi_store_commit(s, err)))
        goto fail;
    return EGDI_OK;
fail:
    egdi_store_rollback(s);
    egdi_store_undone_release(out);
    return st;
}

egdi_status egdi_store_undo_round(egdi_store *s, int year, egdi_store_undone *out,
                                  egdi_error *err)
{
    memset(out, 0, sizeof *out);
    out->round = year;
    egdi_status st = egdi_store_begin(s, err);
    if (st)
        return st;
    int64_t n = 0;
    if ((st = run1(s, "SELECT count(*) FROM round WHERE year = ?1", year, &n, err)))
        goto fail;
    if (n == 0) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND, "the store has no round %d", year);
        goto fail;
    }
    struct {
        size_t *out;
        const char *sql;
    } counts[] = {
        {&out->batches, "SELECT count(*) FROM import_batch WHERE round = ?1 OR survey_id IN"
                        " (SELECT id FROM survey WHERE round = ?1)"},
        {&out->observations, "SELECT count(*) FROM observation WHERE round = ?1"},
        {&out->missing, "SELECT count(*) FROM missing_value WHERE round = ?1"},
        {&out->respondents, "SELECT count(*) FROM survey_response WHERE batch_id IN"
                            " (SELECT id FROM import_batch WHERE round = ?1 OR survey_id IN"
                            " (SELECT id FROM survey WHERE round = ?1))"},
        {&out->surveys, "SELECT count(*) FROM survey WHERE round = ?1"},
        {&out->score_runs, "SELECT count(*) FROM score_run WHERE round = ?1"},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        if ((st = run1(s, counts[i].sql, year, &n, err)))
            goto fail;
        *counts[i].out = as_count(n);
    }
    static const char *const deletes[] = {
        "DELETE FROM score_run WHERE round = ?1",
        "DELETE FROM import_batch WHERE round = ?1",
        "DELETE FROM observation WHERE round = ?1",
        "DELETE FROM missing_value WHERE round = ?1",
        "DELETE FROM survey WHERE round = ?1",
        "DELETE FROM round WHERE year = ?1",
    };
    for (size_t i = 0; i < sizeof deletes / sizeof deletes[0]; i++)
        if ((st = run1(s, deletes[i], year, NULL, err)))
            goto fail;
    if ((st = egdi_store_commit(s, err)))
        goto fail;
    return EGDI_OK;
fail:
    egdi_store_rollback(s);
    return st;
}
