/*
 * score_store.c - a round from the store, a score run saved and read back,
 * `egdi score` and `egdi explain` (see score_store.h).  No SQL here: rows
 * come from engine/store/units.c and observations.c and go to and from
 * engine/store/score_runs.c as plain values, converted to and from models,
 * round inputs and results.
 * Units are matched to store ids through a sorted id index (bsearch).
 */
#include "indicators/score_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/store/observations.h"
#include "engine/store/score_runs.h"
#include "indicators/ranking.h"
#include "indicators/survey_source.h"

/* ---- store id -> unit index ------------------------------------------- */

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

/* The unit of store id id, or -1.  Rows come by store id, so the entry of
 * the last row's unit (*last, -1 at the start) and the one after it are
 * tried before a binary search. */
static long unit_index_from(const id_index *ix, size_t n, long *last, int64_t id)
{
    long p = *last;
    if (p >= 0 && ix[p].id == id)
        return (long)ix[p].idx;
    if (p + 1 < (long)n && ix[p + 1].id == id) {
        *last = p + 1;
        return (long)ix[p + 1].idx;
    }
    id_index key = {id, 0};
    const id_index *hit = n ? bsearch(&key, ix, n, sizeof *ix, cmp_id) : NULL;
    if (!hit)
        return -1;
    *last = (long)(hit - ix);
    return (long)hit->idx;
}

/* ---- node codes of stored rows ------------------------------------------ */

/*
 * Stored rows come in key order, so each unit's node codes arrive in the
 * same sequence: the node that followed the last one found is tried first
 * (one strcmp) before egdi_model_find's case-insensitive search of every
 * node (2 million rows at 50,000 units; issue 20).  Same answer as
 * egdi_model_find.
 */
typedef struct {
    const egdi_model *m;
    long prev;  /* the node of the last row; -1 at the start and after a non-node */
    long *next; /* nnodes + 1: next[prev + 1] the node that followed prev last time */
} node_lookup;

static egdi_status node_lookup_init(node_lookup *nl, const egdi_model *m, egdi_error *err)
{
    nl->m = m;
    nl->prev = -1;
    nl->next = malloc((m->nnodes + 1) * sizeof *nl->next);
    if (!nl->next)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i <= m->nnodes; i++)
        nl->next[i] = -1;
    return EGDI_OK;
}

static long node_lookup_find(node_lookup *nl, const char *code)
{
    long *slot = &nl->next[nl->prev + 1];
    long j = *slot;
    if (j < 0 || strcmp(nl->m->nodes[j].code, code) != 0) {
        j = egdi_model_find(nl->m, code);
        if (j >= 0)
            *slot = j;
    }
    nl->prev = j;
    return j;
}

/* ---- units into a round input ----------------------------------------- */

/* Growing t's unit arrays while rows arrive. */
typedef struct {
    egdi_round_input *t;
    size_t cap;
    bool *region; /* per unit: of kind region */
    /* egdi_score_load_run: the stored scores, per unit */
    const egdi_model *m;
    double *egdi, *coverage;
    long *stage;
    bool *rankable;
} unit_sink;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static egdi_status grow(unit_sink *k, egdi_error *err)
{
    egdi_round_input *t = k->t;
    if (t->in.nunits < k->cap)
        return EGDI_OK;
    size_t nc = k->cap ? k->cap * 2 : 64;
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
    bool *kr = realloc(k->region, nc * sizeof *kr);
    if (kr)
        k->region = kr;
    bool ok = ni && a && b && c && kr;
    if (ok && k->m) {
        double *e = realloc(k->egdi, nc * sizeof *e);
        if (e)
            k->egdi = e;
        double *cv = realloc(k->coverage, nc * sizeof *cv);
        if (cv)
            k->coverage = cv;
        long *sg = realloc(k->stage, nc * sizeof *sg);
        if (sg)
            k->stage = sg;
        bool *rk = realloc(k->rankable, nc * sizeof *rk);
        if (rk)
            k->rankable = rk;
        ok = e && cv && sg && rk;
    }
    if (!ok)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading units");
    k->cap = nc;
    return EGDI_OK;
}

static egdi_status add_unit(unit_sink *k, const egdi_store_unit_row *row, egdi_error *err)
{
    egdi_status st = grow(k, err);
    if (st)
        return st;
    egdi_round_input *t = k->t;
    size_t n = t->in.nunits;
    t->unit_ids[n] = row->id;
    t->codes[n] = strdup(row->code);
    t->names[n] = dup_or_null(row->name);
    t->regions[n] = dup_or_null(row->parent_code);
    k->region[n] = row->region;
    t->in.nunits = n + 1; /* counted now so that release frees the strings */
    if (!t->codes[n] || (row->name && !t->names[n]) || (row->parent_code && !t->regions[n]))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading units");
    return EGDI_OK;
}

static egdi_status on_unit(void *ctx, const egdi_store_unit_row *row, egdi_error *err)
{
    return add_unit(ctx, row, err);
}

/* The index of the stage with this code in m, or -1. */
static long stage_of_code(const egdi_model *m, const char *code)
{
    if (!code)
        return -1;
    for (size_t i = 0; i < m->nstages; i++)
        if (strcmp(m->stages[i].code, code) == 0)
            return (long)i;
    return -1;
}

static egdi_status on_unit_score(void *ctx, const egdi_store_unit_score_row *row,
                                 egdi_error *err)
{
    unit_sink *k = ctx;
    egdi_status st = add_unit(k, &row->unit, err);
    if (st)
        return st;
    size_t u = k->t->in.nunits - 1;
    k->egdi[u] = row->egdi;
    k->coverage[u] = row->coverage;
    k->rankable[u] = row->rankable;
    /* the stage decided by this run's model, as stored with it */
    k->stage[u] = stage_of_code(k->m, row->stage);
    return EGDI_OK;
}

/* After the units: the score_unit view and a raw matrix of NaN. */
static egdi_status finish_units(const unit_sink *k, size_t nnodes, egdi_error *err)
{
    egdi_round_input *t = k->t;
    size_t n = t->in.nunits;
    if (nnodes && n > SIZE_MAX / nnodes / sizeof(double))
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many units");
    size_t cells = n * nnodes;
    t->raw = malloc((cells ? cells : 1) * sizeof *t->raw);
    t->units = malloc((n ? n : 1) * sizeof *t->units);
    if (!t->raw || !t->units)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < cells; i++)
        t->raw[i] = NAN;
    for (size_t u = 0; u < n; u++)
        t->units[u] = (egdi_score_unit){
            t->codes[u], t->names[u], k->region[u] ? EGDI_UNIT_REGION : EGDI_UNIT_DEPARTMENT,
            t->regions[u], NAN};
    t->in.units = t->units;
    t->in.raw = t->raw;
    return EGDI_OK;
}

/* ---- a round from the store -------------------------------------------- */

typedef struct {
    const egdi_model *m;
    egdi_round_input *t;
    const id_index *ix;
    size_t nobs;
    long last;         /* unit_index_from */
    node_lookup nl;
    bool *weight_node; /* per node: its code is the model's region_weight */
} value_sink;

/* Under rank_digits auto, the decimals a stored round is published with:
 * as a table read by `rank --data` would say (egdi_value_decimals), from
 * the indicator values imported for the model's leaves (the store keeps
 * the numbers the file gave). */
static void note_decimals(const egdi_model *m, egdi_round_input *t, size_t j, double v)
{
    if (m->rank_digits != EGDI_RANK_DIGITS_AUTO || m->nodes[j].nchildren || !isfinite(v))
        return;
    int d = egdi_value_decimals(v);
    if (d > t->decimals)
        t->decimals = d;
}

static egdi_status on_value(void *ctx, int64_t unit_id, const char *ind, double v,
                            egdi_error *err)
{
    (void)err;
    value_sink *k = ctx;
    long u = unit_index_from(k->ix, k->t->in.nunits, &k->last, unit_id);
    if (u < 0)
        return EGDI_OK;
    const egdi_model *m = k->m;
    long j = node_lookup_find(&k->nl, ind);
    if (m->region_method == EGDI_REGION_WEIGHTED &&
        (j >= 0 ? k->weight_node[j] : strcasecmp(ind, m->region_weight) == 0))
        k->t->units[u].region_weight = v;
    if (j < 0)
        return EGDI_OK;
    k->t->raw[(size_t)u * m->nnodes + (size_t)j] = v;
    k->nobs++;
    note_decimals(m, k->t, (size_t)j, v);
    return EGDI_OK;
}

egdi_status egdi_score_load_round(egdi_store *s, const egdi_model *m, int year,
                                  egdi_round_input *t, egdi_error *err)
{
    memset(t, 0, sizeof *t);
    unit_sink ks;
    memset(&ks, 0, sizeof ks);
    ks.t = t;
    id_index *ix = NULL;
    egdi_status st = egdi_store_units_each(s, on_unit, &ks, err);
    if (!st)
        st = finish_units(&ks, m->nnodes, err);
    if (st)
        goto fail;
    ix = make_index(t);
    if (!ix) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    value_sink vs = {m, t, ix, 0, -1, {0}, NULL};
    if ((st = node_lookup_init(&vs.nl, m, err)))
        goto fail;
    vs.weight_node = malloc((m->nnodes ? m->nnodes : 1) * sizeof *vs.weight_node);
    if (!vs.weight_node) {
        free(vs.nl.next);
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t j = 0; j < m->nnodes; j++)
        vs.weight_node[j] = m->region_method == EGDI_REGION_WEIGHTED &&
                            strcasecmp(m->nodes[j].code, m->region_weight) == 0;
    st = egdi_store_obs_each(s, year, on_value, &vs, err);
    free(vs.nl.next);
    free(vs.weight_node);
    if (st)
        goto fail;
    if (vs.nobs == 0) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                            "round %d has no observation of an indicator of model %s "
                            "(import metrics with --round %d first)",
                            year, m->name, year);
        goto fail;
    }
    free(ix);
    free(ks.region);
    return EGDI_OK;
fail:
    free(ix);
    free(ks.region);
    egdi_round_input_release(t);
    return st;
}

/* ---- saving a run -------------------------------------------------------- */

/* egdi_score_save with more rows saved in the run's transaction
 * (egdi_store_score_run.also; NULL: none). */
static egdi_status save_run(egdi_store *s, const egdi_model *m, int year,
                            const egdi_round_input *in, const egdi_score_result *r,
                            const char *program_version, int64_t *run_id, char inputs_hash[65],
                            egdi_status (*also)(egdi_store *, int64_t, void *, egdi_error *),
                            void *also_ctx, const egdi_progress *progress, egdi_error *err);

egdi_status egdi_score_save(egdi_store *s, const egdi_model *m, int year,
                            const egdi_round_input *in, const egdi_score_result *r,
                            const char *program_version, int64_t *run_id, char inputs_hash[65],
                            egdi_error *err)
{
    return save_run(s, m, year, in, r, program_version, run_id, inputs_hash, NULL, NULL, NULL,
                    err);
}

static egdi_status save_run(egdi_store *s, const egdi_model *m, int year,
                            const egdi_round_input *in, const egdi_score_result *r,
                            const char *program_version, int64_t *run_id, char inputs_hash[65],
                            egdi_status (*also)(egdi_store *, int64_t, void *, egdi_error *),
                            void *also_ctx, const egdi_progress *progress, egdi_error *err)
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
    size_t U = in->in.nunits, N = m->nnodes, cells = U * N;
    long *rank = malloc((U ? U : 1) * sizeof *rank);
    const char **stage = malloc((U ? U : 1) * sizeof *stage);
    const char **nodes = malloc((N ? N : 1) * sizeof *nodes);
    const char **how = malloc((cells ? cells : 1) * sizeof *how);
    if (!rank || !stage || !nodes || !how) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((st = egdi_ranking_by_kind(in, r, egdi_ranking_digits(EGDI_RANKING_MODEL_DIGITS, m, in),
                                   rank, err)))
        goto out;
    for (size_t u = 0; u < U; u++)
        stage[u] = r->stage[u] >= 0 ? m->stages[r->stage[u]].code : NULL;
    for (size_t j = 0; j < N; j++)
        nodes[j] = m->nodes[j].code;
    for (size_t c = 0; c < cells; c++)
        how[c] = r->status[c] == EGDI_NODE_NA && isnan(in->raw[c])
                     ? NULL
                     : egdi_node_status_name(r->status[c]);
    egdi_store_score_run run = {
        .round = year,
        .model_name = m->name,
        .model_version = m->version,
        .model_sha256 = m->hash,
        .definition = def,
        .definition_len = deflen,
        .inputs_sha256 = ih,
        .program_version = program_version,
        .nunits = U,
        .unit_ids = in->unit_ids,
        .egdi = r->egdi,
        .stage = stage,
        .coverage = r->coverage,
        .rankable = r->rankable,
        .rank = rank,
        .nnodes = N,
        .nodes = nodes,
        .raw = in->raw,
        .score = r->score,
        .weight = r->weight,
        .contribution = r->contrib,
        .how = how,
        .dept = r->dept_part,
        .own = r->own_part,
        .also = also,
        .also_ctx = also_ctx,
        .progress = progress,
    };
    st = egdi_store_score_run_save(s, &run, run_id, err);
out:
    free(def);
    free(rank);
    free(stage);
    free(nodes);
    free(how);
    return st;
}

/* ---- reading a run back ------------------------------------------------ */

static egdi_node_status how_status(const char *how)
{
    if (!how)
        return EGDI_NODE_NA;
    static const egdi_node_status all[] = {EGDI_NODE_SCORED, EGDI_NODE_GIVEN, EGDI_NODE_IMPUTED,
                                           EGDI_NODE_MISSING};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(how, egdi_node_status_name((unsigned char)all[i])) == 0)
            return all[i];
    return EGDI_NODE_NA;
}

typedef struct {
    const egdi_model *m;
    egdi_round_input *t;
    egdi_score_result *r;
    const id_index *ix;
    long last; /* unit_index_from */
    node_lookup nl;
} node_sink;

static egdi_status on_node_score(void *ctx, const egdi_store_node_score_row *row,
                                 egdi_error *err)
{
    (void)err;
    node_sink *k = ctx;
    long u = unit_index_from(k->ix, k->t->in.nunits, &k->last, row->unit_id);
    long j = node_lookup_find(&k->nl, row->node);
    if (u < 0 || j < 0)
        return EGDI_OK;
    size_t c = (size_t)u * k->m->nnodes + (size_t)j;
    k->t->raw[c] = row->raw;
    egdi_node_status how = how_status(row->how);
    if (k->t->in.units[u].kind != EGDI_UNIT_REGION &&
        (how == EGDI_NODE_SCORED || how == EGDI_NODE_GIVEN))
        note_decimals(k->m, k->t, (size_t)j, row->raw); /* (a region's are its departments') */
    k->r->score[c] = row->score;
    k->r->weight[c] = row->weight;
    k->r->contrib[c] = row->contribution;
    k->r->status[c] = (unsigned char)how;
    k->r->dept_part[c] = row->dept;
    k->r->own_part[c] = row->own;
    return EGDI_OK;
}

egdi_status egdi_score_load_run(egdi_store *s, int year, const char *model_name,
                                egdi_round *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    unit_sink ks;
    memset(&ks, 0, sizeof ks);
    id_index *ix = NULL;
    char *def = NULL;
    size_t deflen = 0;
    bool found = false;
    int64_t run = 0;
    egdi_status st =
        egdi_store_score_run_find(s, year, model_name, &found, &run, &def, &deflen, err);
    if (st)
        return st;
    if (!found) {
        if (model_name)
            return egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                                  "round %d has no scores of model %s (run 'egdi score --round "
                                  "%d --model %s')",
                                  year, model_name, year, model_name);
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                              "round %d has not been scored (run 'egdi score --round %d')", year,
                              year);
    }
    st = egdi_model_load_mem(&out->model, def, deflen, "stored model", NULL, err);
    free(def);
    if (st)
        return st;
    out->year = year;
    out->run_id = run;
    const egdi_model *m = out->model;
    egdi_round_input *t = &out->in;
    ks.t = t;
    ks.m = m;
    if ((st = egdi_store_unit_scores_each(s, run, on_unit_score, &ks, err)) ||
        (st = finish_units(&ks, m->nnodes, err)))
        goto fail;
    size_t U = t->in.nunits;
    egdi_score_result *r = NULL;
    if ((st = egdi_score_result_new(&r, U, m->nnodes, err)))
        goto fail;
    out->result = r;
    for (size_t u = 0; u < U; u++) {
        r->egdi[u] = ks.egdi[u];
        r->stage[u] = ks.stage[u];
        r->coverage[u] = ks.coverage[u];
        r->rankable[u] = ks.rankable[u];
    }
    ix = make_index(t);
    if (!ix) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    node_sink ns = {m, t, r, ix, -1, {0}};
    if ((st = node_lookup_init(&ns.nl, m, err)))
        goto fail;
    st = egdi_store_node_scores_each(s, run, on_node_score, &ns, err);
    free(ns.nl.next);
    if (st || (st = egdi_score_classes(m, &t->in, r, err)))
        goto fail;
    goto done;
fail:
    egdi_round_release(out);
done:
    free(ix);
    free(ks.region);
    free(ks.egdi);
    free(ks.coverage);
    free(ks.stage);
    free(ks.rankable);
    return st;
}

egdi_status egdi_score_model_name(const char *model, char **name, egdi_error *err)
{
    *name = NULL;
    egdi_model *given = NULL;
    egdi_error lerr;
    egdi_error_clear(&lerr);
    egdi_status st = egdi_model_load(&given, model, NULL, &lerr);
    if (st && (st != EGDI_ERR_NOT_FOUND || strchr(model, '/'))) {
        *err = lerr;
        return st;
    }
    *name = strdup(given ? given->name : model);
    egdi_model_free(given);
    if (!*name)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
}

egdi_status egdi_score_model_open(egdi_store *s, const char *model, egdi_model **out,
                                  egdi_error *err)
{
    *out = NULL;
    egdi_error lerr;
    egdi_error_clear(&lerr);
    egdi_status st = egdi_model_load(out, model, NULL, &lerr);
    if (!st)
        return EGDI_OK;
    if (st != EGDI_ERR_NOT_FOUND || strchr(model, '/') || !s) {
        *err = lerr;
        return st;
    }
    bool found = false;
    int64_t run = 0;
    char *def = NULL;
    size_t len = 0;
    if ((st = egdi_store_score_run_find(s, 0, model, &found, &run, &def, &len, err)))
        return st;
    if (!found) {
        *err = lerr; /* "no model NAME": neither built in, a file, nor stored */
        return EGDI_ERR_NOT_FOUND;
    }
    st = egdi_model_load_mem(out, def, len, "stored model", NULL, err);
    free(def);
    return st;
}

/* ---- egdi score --------------------------------------------------------- */

egdi_status egdi_score_round(egdi_store *s, const egdi_model *m, int year,
                             const char *program_version, const egdi_progress *progress,
                             egdi_score_summary *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_round_input in;
    egdi_score_result *r = NULL;
    egdi_survey_results sv;
    memset(&sv, 0, sizeof sv);
    egdi_status st = egdi_score_load_round(s, m, year, &in, err);
    if (st)
        return st;
    /* the indicators computed from a survey (indicators/survey_source.h),
     * merged into the raw values and stored with the run */
    egdi_survey_save_ctx sc = {m, &in, &sv};
    if ((st = egdi_survey_compute(s, m, year, &in, &sv, err)))
        goto done;
    egdi_survey_merge(m, &sv, &in);
    /* progress in units, three times over: read, scored, saved */
    uint64_t U = in.in.nunits;
    egdi_progress_step(progress, U, 3 * U);
    egdi_progress_part_t saving;
    if ((st = egdi_score_run(m, &in.in, &r, err)))
        goto done;
    egdi_progress_step(progress, 2 * U, 3 * U);
    if ((st = save_run(s, m, year, &in, r, program_version, &out->run_id, out->inputs_hash,
                       sv.n ? egdi_survey_save : NULL, &sc,
                       egdi_progress_part(&saving, progress, 2 * U, U, 3 * U), err)))
        goto done;
    egdi_ranking_tally tally = {m->nstages, out->stage_counts, NULL, NULL};
    egdi_ranking_tally_clear(&tally);
    out->units = in.in.nunits;
    for (size_t u = 0; u < in.in.nunits; u++) {
        out->rankable += r->rankable[u];
        egdi_ranking_tally_add(&tally, r->rankable[u] ? r->stage[u] : -1, -1);
    }
done:
    egdi_survey_results_release(&sv);
    egdi_score_result_free(r);
    egdi_round_input_release(&in);
    return st;
}

/* ---- egdi explain ------------------------------------------------------- */

typedef struct {
    const egdi_model *m;
    egdi_score_source *src;
} source_sink;

static egdi_status on_source(void *ctx, const egdi_store_source_row *row, egdi_error *err)
{
    source_sink *k = ctx;
    long j = egdi_model_find(k->m, row->indicator);
    if (j < 0 || k->src[j].file)
        return EGDI_OK; /* not a node, or already found */
    egdi_score_source *sc = &k->src[j];
    sc->file = strdup(row->file);
    sc->sheet = dup_or_null(row->sheet);
    sc->row = row->row;
    sc->col = row->col;
    if (!sc->file || (row->sheet && !sc->sheet))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
}

/* A missing value recorded at import, for a node the run has no value of. */
static egdi_status on_missing(void *ctx, const egdi_store_missing_row *row, egdi_error *err)
{
    source_sink *k = ctx;
    long j = egdi_model_find(k->m, row->indicator);
    if (j < 0 || k->src[j].file)
        return EGDI_OK; /* not a node, or a value was found */
    egdi_score_source *sc = &k->src[j];
    sc->file = strdup(row->file);
    sc->sheet = dup_or_null(row->sheet);
    sc->row = row->row;
    sc->col = row->col;
    sc->missing_raw = strdup(row->raw);
    sc->missing_why = strdup(row->reason);
    if (!sc->file || (row->sheet && !sc->sheet) || !sc->missing_raw || !sc->missing_why)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
}

void egdi_score_explanation_release(egdi_score_explanation *e)
{
    if (!e)
        return;
    if (e->source && e->round.model)
        for (size_t j = 0; j < e->round.model->nnodes; j++) {
            free(e->source[j].file);
            free(e->source[j].sheet);
            free(e->source[j].missing_raw);
            free(e->source[j].missing_why);
        }
    free(e->source);
    egdi_survey_results_release(&e->surveys);
    egdi_round_release(&e->round);
    memset(e, 0, sizeof *e);
}

egdi_status egdi_score_explain(egdi_store *s, int year, const char *model,
                               const char *code, egdi_score_explanation *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    long *rank = NULL;
    size_t *cix = NULL;
    char *name = NULL;
    egdi_status st = model ? egdi_score_model_name(model, &name, err) : EGDI_OK;
    if (!st)
        st = egdi_score_load_run(s, year, name, &out->round, err);
    free(name);
    if (st)
        return st;
    const egdi_round_input *in = &out->round.in;
    const egdi_model *m = out->round.model;
    if ((st = egdi_round_input_index(in, &cix, err)))
        goto fail;
    long u = egdi_round_input_find(in, cix, code);
    if (u < 0) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND, "unit %s was not scored in round %d", code,
                            year);
        goto fail;
    }
    out->unit = (size_t)u;
    rank = malloc((in->in.nunits ? in->in.nunits : 1) * sizeof *rank);
    out->source = calloc(m->nnodes ? m->nnodes : 1, sizeof *out->source);
    if (!rank || !out->source) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((st = egdi_ranking_by_kind(in, out->round.result,
                                   egdi_ranking_digits(EGDI_RANKING_MODEL_DIGITS, m, in), rank,
                                   err)))
        goto fail;
    out->rank = rank[u];
    source_sink ss = {m, out->source};
    if ((st = egdi_store_obs_sources_each(s, year, in->unit_ids[u], on_source, &ss, err)))
        goto fail;
    if ((st = egdi_store_missing_each(s, year, in->unit_ids[u], on_missing, &ss, err)))
        goto fail;
    /* the indicators computed from a survey */
    if ((st = egdi_survey_load_run(s, out->round.run_id, m, in, &out->surveys, err)))
        goto fail;
    free(rank);
    free(cix);
    return EGDI_OK;
fail:
    free(rank);
    free(cix);
    egdi_score_explanation_release(out);
    return st;
}
