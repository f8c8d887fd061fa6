/*
 * score_store.c - loading a round from the store, saving a score run and
 * reading it back (see score_store.h).  Statements are prepared, used and
 * finalized within each function; one transaction per save.
 */
#include "indicators/score_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indicators/rank.h"

void egdi_round_input_free(egdi_round_input *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->in.nunits; i++) {
        if (t->codes)
            free(t->codes[i]);
        if (t->names)
            free(t->names[i]);
        if (t->regions)
            free(t->regions[i]);
    }
    free(t->codes);
    free(t->names);
    free(t->regions);
    free(t->units);
    free(t->unit_ids);
    free(t->raw);
    memset(t, 0, sizeof *t);
}

static char *col_dup(sqlite3_stmt *q, int c)
{
    const unsigned char *s = sqlite3_column_text(q, c);
    return s ? strdup((const char *)s) : NULL;
}

/* Reads the unit table (ordered by kind then code) into t. */
static egdi_status load_units(egdi_store *s, size_t nnodes, egdi_round_input *t,
                              const char *sql, int64_t run, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s, sql, &q, err);
    if (st)
        return st;
    if (run)
        sqlite3_bind_int64(q, 1, run);
    size_t cap = 0, n = 0;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            int64_t *ni = realloc(t->unit_ids, nc * sizeof *ni);
            if (ni)
                t->unit_ids = ni;
            char **a = realloc(t->codes, nc * sizeof *a);
            if (a)
                t->codes = a;
            char **b = realloc(t->names, nc * sizeof *b);
            if (b)
                t->names = b;
            char **c = realloc(t->regions, nc * sizeof *c);
            if (c)
                t->regions = c;
            egdi_score_unit *u = realloc(t->units, nc * sizeof *u);
            if (u)
                t->units = u;
            if (!ni || !a || !b || !c || !u) {
                sqlite3_finalize(q);
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            }
            cap = nc;
        }
        t->unit_ids[n] = sqlite3_column_int64(q, 0);
        t->codes[n] = col_dup(q, 1);
        t->names[n] = col_dup(q, 2);
        t->regions[n] = col_dup(q, 4);
        t->in.nunits = ++n;
        const char *kind = (const char *)sqlite3_column_text(q, 3);
        if (!t->codes[n - 1]) {
            sqlite3_finalize(q);
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        }
        t->units[n - 1] = (egdi_score_unit){
            t->codes[n - 1], t->names[n - 1],
            kind && strcmp(kind, "region") == 0 ? EGDI_UNIT_REGION : EGDI_UNIT_DEPARTMENT,
            t->regions[n - 1], NAN};
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading units", err);
    if (nnodes && n > SIZE_MAX / nnodes / sizeof(double))
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many units");
    size_t cells = n * nnodes;
    t->raw = malloc((cells ? cells : 1) * sizeof *t->raw);
    if (!t->raw)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n * nnodes; i++)
        t->raw[i] = NAN;
    t->in.units = t->units;
    t->in.raw = t->raw;
    return EGDI_OK;
}

/* Store id -> unit index, sorted by id for bsearch. */
typedef struct {
    int64_t id;
    size_t idx;
} id_index;

static int cmp_id(const void *a, const void *b)
{
    const id_index *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* A sorted id index of t's units; caller frees.  NULL on OOM. */
static id_index *make_index(const egdi_round_input *t)
{
    size_t n = t->in.nunits;
    id_index *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix)
        return NULL;
    for (size_t i = 0; i < n; i++)
        ix[i] = (id_index){t->unit_ids[i], i};
    qsort(ix, n, sizeof *ix, cmp_id);
    return ix;
}

static long unit_index(const id_index *ix, size_t n, int64_t id)
{
    id_index key = {id, 0};
    const id_index *hit = n ? bsearch(&key, ix, n, sizeof *ix, cmp_id) : NULL;
    return hit ? (long)hit->idx : -1;
}

egdi_status egdi_round_input_load(egdi_store *s, const egdi_model *m, int round,
                                  egdi_round_input *t, egdi_error *err)
{
    memset(t, 0, sizeof *t);
    size_t N = m->nnodes;
    egdi_status st = load_units(
        s, N, t,
        "SELECT u.id, u.code, u.name, u.kind, p.code FROM unit u LEFT JOIN unit p ON "
        "p.id = u.parent_id ORDER BY u.kind, u.code",
        0, err);
    if (st)
        goto fail;
    sqlite3_stmt *q = NULL;
    id_index *ix = make_index(t);
    if (!ix) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    st = egdi_store_prepare(s,
                            "SELECT unit_id, indicator, value FROM observation WHERE round = ?1 "
                            "ORDER BY unit_id, indicator",
                            &q, err);
    if (st) {
        free(ix);
        goto fail;
    }
    sqlite3_bind_int(q, 1, round);
    int step;
    size_t nobs = 0;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        long u = unit_index(ix, t->in.nunits, sqlite3_column_int64(q, 0));
        const char *ind = (const char *)sqlite3_column_text(q, 1);
        if (u < 0 || !ind)
            continue;
        double v = sqlite3_column_double(q, 2);
        if (m->region_method == EGDI_REGION_WEIGHTED && strcasecmp(ind, m->region_weight) == 0)
            t->units[u].region_weight = v;
        long j = egdi_model_find(m, ind);
        if (j < 0)
            continue;
        t->raw[(size_t)u * N + (size_t)j] = v;
        nobs++;
    }
    sqlite3_finalize(q);
    free(ix);
    if (step != SQLITE_DONE) {
        st = egdi_store_fail(s, "reading observations", err);
        goto fail;
    }
    if (nobs == 0) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                            "round %d has no observation of an indicator of model %s "
                            "(import metrics with --round %d first)",
                            round, m->name, round);
        goto fail;
    }
    return EGDI_OK;
fail:
    egdi_round_input_free(t);
    return st;
}

static void bind_num(sqlite3_stmt *q, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_double(q, i, v);
}

egdi_status egdi_score_save(egdi_store *s, const egdi_model *m, int round,
                            const egdi_round_input *in, const egdi_score_result *r,
                            const char *program_version, int64_t *run_id, char inputs_hash[65],
                            egdi_error *err)
{
    char ih[65];
    egdi_status st = egdi_score_input_hash(m, &in->in, ih, err);
    if (st)
        return st;
    if (inputs_hash)
        memcpy(inputs_hash, ih, 65);
    char *def = NULL;
    size_t deflen = 0;
    if ((st = egdi_model_canonical(m, &def, &deflen, err)))
        return st;
    size_t U = in->in.nunits, N = m->nnodes;
    long *rank = malloc((U ? U : 1) * sizeof *rank);
    double *sc = malloc((U ? U : 1) * sizeof *sc);
    bool *ok = malloc((U ? U : 1) * sizeof *ok);
    sqlite3_stmt *q = NULL;
    if (!rank || !sc || !ok) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* ranks within each kind */
    for (size_t u = 0; u < U; u++)
        rank[u] = 0;
    for (int k = 1; k <= 2; k++) {
        for (size_t u = 0; u < U; u++) {
            sc[u] = r->egdi[u];
            ok[u] = r->rankable[u] && (int)in->units[u].kind == k;
        }
        long *rk = malloc((U ? U : 1) * sizeof *rk);
        if (!rk) {
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            goto out;
        }
        st = egdi_rank(sc, ok, U, m->rank_digits, rk, NULL, err);
        for (size_t u = 0; u < U && !st; u++)
            if (ok[u])
                rank[u] = rk[u];
        free(rk);
        if (st)
            goto out;
    }
    if ((st = egdi_store_begin(s, err)))
        goto out;
    char now[21];
    egdi_store_now(now);
    /* the model, once per hash */
    if ((st = egdi_store_prepare(s,
                                 "INSERT OR IGNORE INTO model(name, version, sha256, definition, "
                                 "created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                                 &q, err)))
        goto rollback;
    sqlite3_bind_text(q, 1, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, m->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, m->hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, def, (int)deflen, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE) {
        st = egdi_store_fail(s, "saving the model", err);
        goto rollback;
    }
    sqlite3_finalize(q);
    q = NULL;
    int64_t model_id = 0;
    if ((st = egdi_store_prepare(s, "SELECT id FROM model WHERE sha256 = ?1", &q, err)))
        goto rollback;
    sqlite3_bind_text(q, 1, m->hash, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        st = egdi_store_fail(s, "finding the model", err);
        goto rollback;
    }
    model_id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    if ((st = egdi_store_ensure_round(s, round, err)))
        goto rollback;
    /* replace an earlier run of the same model and round */
    if ((st = egdi_store_prepare(s, "DELETE FROM score_run WHERE round = ?1 AND model_id = ?2", &q,
                                 err)))
        goto rollback;
    sqlite3_bind_int(q, 1, round);
    sqlite3_bind_int64(q, 2, model_id);
    if (sqlite3_step(q) != SQLITE_DONE) {
        st = egdi_store_fail(s, "replacing the earlier run", err);
        goto rollback;
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((st = egdi_store_prepare(s,
                                 "INSERT INTO score_run(round, model_id, inputs_sha256, "
                                 "program_version, created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                                 &q, err)))
        goto rollback;
    sqlite3_bind_int(q, 1, round);
    sqlite3_bind_int64(q, 2, model_id);
    sqlite3_bind_text(q, 3, ih, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, program_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE) {
        st = egdi_store_fail(s, "saving the run", err);
        goto rollback;
    }
    sqlite3_finalize(q);
    q = NULL;
    int64_t run = sqlite3_last_insert_rowid(egdi_store_db(s));
    if ((st = egdi_store_prepare(s,
                                 "INSERT INTO node_score(run_id, unit_id, node, raw, score, "
                                 "weight, contribution, note) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
                                 &q, err)))
        goto rollback;
    for (size_t u = 0; u < U; u++)
        for (size_t j = 0; j < N; j++) {
            size_t c = u * N + j;
            if (r->status[c] == EGDI_NODE_NA && isnan(in->raw[c]))
                continue;
            char note[160];
            if (!isnan(r->dept_part[c]) || !isnan(r->own_part[c]))
                snprintf(note, sizeof note, "%s dept=%.17g own=%.17g", egdi_node_status_name(r->status[c]),
                         r->dept_part[c], r->own_part[c]);
            else
                snprintf(note, sizeof note, "%s", egdi_node_status_name(r->status[c]));
            sqlite3_reset(q);
            sqlite3_bind_int64(q, 1, run);
            sqlite3_bind_int64(q, 2, in->unit_ids[u]);
            sqlite3_bind_text(q, 3, m->nodes[j].code, -1, SQLITE_STATIC);
            bind_num(q, 4, in->raw[c]);
            bind_num(q, 5, r->score[c]);
            bind_num(q, 6, r->weight[c]);
            bind_num(q, 7, r->contrib[c]);
            sqlite3_bind_text(q, 8, note, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(q) != SQLITE_DONE) {
                st = egdi_store_fail(s, "saving indicator scores", err);
                goto rollback;
            }
        }
    sqlite3_finalize(q);
    q = NULL;
    if ((st = egdi_store_prepare(s,
                                 "INSERT INTO unit_score(run_id, unit_id, egdi, stage, coverage, "
                                 "rankable, rank) VALUES(?1,?2,?3,?4,?5,?6,?7)",
                                 &q, err)))
        goto rollback;
    for (size_t u = 0; u < U; u++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, run);
        sqlite3_bind_int64(q, 2, in->unit_ids[u]);
        bind_num(q, 3, r->egdi[u]);
        if (r->stage[u] >= 0)
            sqlite3_bind_text(q, 4, m->stages[r->stage[u]].code, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(q, 4);
        sqlite3_bind_double(q, 5, r->coverage[u]);
        sqlite3_bind_int(q, 6, r->rankable[u]);
        if (rank[u] > 0)
            sqlite3_bind_int64(q, 7, rank[u]);
        else
            sqlite3_bind_null(q, 7);
        if (sqlite3_step(q) != SQLITE_DONE) {
            st = egdi_store_fail(s, "saving unit scores", err);
            goto rollback;
        }
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((st = egdi_store_commit(s, err)))
        goto rollback;
    if (run_id)
        *run_id = run;
    goto out;
rollback:
    sqlite3_finalize(q);
    q = NULL;
    egdi_store_rollback(s);
out:
    sqlite3_finalize(q);
    free(def);
    free(rank);
    free(sc);
    free(ok);
    return st;
}

static egdi_node_status note_status(const char *note)
{
    if (!note)
        return EGDI_NODE_NA;
    if (strncmp(note, "scored", 6) == 0)
        return EGDI_NODE_SCORED;
    if (strncmp(note, "given", 5) == 0)
        return EGDI_NODE_GIVEN;
    if (strncmp(note, "imputed", 7) == 0)
        return EGDI_NODE_IMPUTED;
    if (strncmp(note, "missing", 7) == 0)
        return EGDI_NODE_MISSING;
    return EGDI_NODE_NA;
}

static double col_num(sqlite3_stmt *q, int c)
{
    return sqlite3_column_type(q, c) == SQLITE_NULL ? NAN : sqlite3_column_double(q, c);
}

egdi_status egdi_score_load_run(egdi_store *s, int round, const char *model_name,
                                egdi_model **mout, egdi_round_input *t, egdi_score_result **rout,
                                int64_t *run_id, egdi_error *err)
{
    *mout = NULL;
    *rout = NULL;
    memset(t, 0, sizeof *t);
    sqlite3_stmt *q = NULL;
    egdi_model *m = NULL;
    egdi_score_result *r = NULL;
    id_index *ix = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT sr.id, m.definition, m.name FROM score_run sr JOIN model m ON m.id = sr.model_id "
        "WHERE sr.round = ?1 AND (?2 IS NULL OR m.name = ?2) ORDER BY sr.id DESC LIMIT 1",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_int(q, 1, round);
    if (model_name)
        sqlite3_bind_text(q, 2, model_name, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 2);
    int step = sqlite3_step(q);
    if (step != SQLITE_ROW) {
        sqlite3_finalize(q);
        if (step != SQLITE_DONE)
            return egdi_store_fail(s, "reading score runs", err);
        if (model_name)
            return egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                                  "round %d has no scores of model %s (run 'egdi score --round "
                                  "%d --model %s')",
                                  round, model_name, round, model_name);
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                              "round %d has not been scored (run 'egdi score --round %d')", round,
                              round);
    }
    int64_t run = sqlite3_column_int64(q, 0);
    const void *def = sqlite3_column_text(q, 1);
    int deflen = sqlite3_column_bytes(q, 1);
    st = egdi_model_load_mem(&m, def, (size_t)deflen, "stored model", NULL, err);
    sqlite3_finalize(q);
    q = NULL;
    if (st)
        return st;
    size_t N = m->nnodes;
    st = load_units(s, N, t,
                    "SELECT u.id, u.code, u.name, u.kind, p.code FROM unit_score us JOIN unit u "
                    "ON u.id = us.unit_id LEFT JOIN unit p ON p.id = u.parent_id WHERE "
                    "us.run_id = ?1 ORDER BY u.kind, u.code",
                    run, err);
    if (st)
        goto fail;
    size_t U = t->in.nunits;
    if ((st = egdi_score_result_new(&r, U, N, err)))
        goto fail;
    ix = make_index(t);
    if (!ix) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((st = egdi_store_prepare(s,
                                 "SELECT unit_id, egdi, stage, coverage, rankable FROM unit_score "
                                 "WHERE run_id = ?1",
                                 &q, err)))
        goto fail;
    sqlite3_bind_int64(q, 1, run);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        long u = unit_index(ix, U, sqlite3_column_int64(q, 0));
        if (u < 0)
            continue;
        r->egdi[u] = col_num(q, 1);
        r->stage[u] = egdi_model_stage(m, r->egdi[u]);
        r->coverage[u] = sqlite3_column_double(q, 3);
        r->rankable[u] = sqlite3_column_int(q, 4) != 0;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (step != SQLITE_DONE) {
        st = egdi_store_fail(s, "reading unit scores", err);
        goto fail;
    }
    if ((st = egdi_store_prepare(s,
                                 "SELECT unit_id, node, raw, score, weight, contribution, note "
                                 "FROM node_score WHERE run_id = ?1",
                                 &q, err)))
        goto fail;
    sqlite3_bind_int64(q, 1, run);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        long u = unit_index(ix, U, sqlite3_column_int64(q, 0));
        const char *node = (const char *)sqlite3_column_text(q, 1);
        long j = node ? egdi_model_find(m, node) : -1;
        if (u < 0 || j < 0)
            continue;
        size_t c = (size_t)u * N + (size_t)j;
        t->raw[c] = col_num(q, 2);
        r->score[c] = col_num(q, 3);
        r->weight[c] = col_num(q, 4);
        r->contrib[c] = col_num(q, 5);
        const char *note = (const char *)sqlite3_column_text(q, 6);
        r->status[c] = (unsigned char)note_status(note);
        const char *d = note ? strstr(note, "dept=") : NULL;
        const char *o = note ? strstr(note, "own=") : NULL;
        if (d)
            r->dept_part[c] = strtod(d + 5, NULL);
        if (o)
            r->own_part[c] = strtod(o + 4, NULL);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (step != SQLITE_DONE) {
        st = egdi_store_fail(s, "reading indicator scores", err);
        goto fail;
    }
    if ((st = egdi_score_classes(m, &t->in, r, err)))
        goto fail;
    free(ix);
    *mout = m;
    *rout = r;
    if (run_id)
        *run_id = run;
    return EGDI_OK;
fail:
    free(ix);
    sqlite3_finalize(q);
    egdi_score_result_free(r);
    egdi_round_input_free(t);
    egdi_model_free(m);
    return st;
}
