/*
 * uncertainty_store.c - an uncertainty run of a stored round, saved and
 * read back (see uncertainty_store.h).  No SQL here: the rows go to and
 * from engine/store/uncertainty_runs.c as plain values.  Units are matched
 * to store ids through a sorted index (bsearch).
 */
#include "indicators/uncertainty_store.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/store/score_runs.h"
#include "engine/store/uncertainty_runs.h"
#include "indicators/ranking.h"
#include "indicators/score_store.h"
#include "indicators/survey_source.h"

void egdi_uncertainty_stored_release(egdi_uncertainty_stored *u)
{
    if (!u)
        return;
    egdi_round_release(&u->round);
    egdi_uncertainty_result_free(u->result);
    free(u->created_at);
    free(u->program_version);
    free(u->weight_sets);
    free(u->stale);
    memset(u, 0, sizeof *u);
}

static const char *kind_name(egdi_unit_kind k)
{
    return k == EGDI_UNIT_REGION ? "region" : "department";
}

/* The weight sets' SHA-256, comma separated (caller frees), or NULL. */
static char *set_hashes(const egdi_uncertainty_opts *o)
{
    if (o->weights != EGDI_UNCERTAINTY_WEIGHTS_SETS || !o->nsets)
        return NULL;
    char *b = malloc(o->nsets * 65 + 1);
    if (!b)
        return NULL;
    b[0] = '\0';
    for (size_t i = 0; i < o->nsets; i++) {
        if (i)
            strcat(b, ",");
        strcat(b, o->sets[i].model->hash);
    }
    return b;
}

egdi_status egdi_uncertainty_survey_se(egdi_store *s, const egdi_round *round, double **se,
                                       egdi_error *err)
{
    *se = NULL;
    const egdi_model *m = round->model;
    const egdi_round_input *in = &round->in;
    size_t N = m->nnodes, U = in->in.nunits;
    bool any = false;
    for (size_t j = 0; j < N; j++)
        any = any || m->nodes[j].survey != NULL;
    if (!any)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "data: model %s has no indicator computed from a survey (a leaf "
                              "with source survey:NAME), so there is no standard error to draw "
                              "from",
                              m->name);
    egdi_survey_results sv;
    egdi_status st = egdi_survey_load_run(s, round->run_id, m, in, &sv, err);
    if (st)
        return st;
    double *v = malloc((U * N > 0 ? U * N : 1) * sizeof *v);
    if (!v) {
        egdi_survey_results_release(&sv);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t c = 0; c < U * N; c++)
        v[c] = NAN;
    for (size_t i = 0; i < sv.n; i++) {
        const egdi_survey_indicator *ind = &sv.v[i];
        for (size_t u = 0; ind->unit && u < U; u++) {
            const egdi_survey_value *x = &ind->unit[u];
            if (x->state == EGDI_SURVEY_VALUE && x->used == EGDI_USED_SURVEY && isfinite(x->se))
                v[u * N + ind->node] = x->se;
        }
    }
    egdi_survey_results_release(&sv);
    *se = v;
    return EGDI_OK;
}

egdi_status egdi_uncertainty_round(egdi_store *s, int year, const char *model,
                                   const egdi_uncertainty_opts *o, const char *program_version,
                                   egdi_uncertainty_stored *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    char *name = NULL;
    egdi_status st = model ? egdi_score_model_name(model, &name, err) : EGDI_OK;
    if (!st)
        st = egdi_score_load_run(s, year, name, &out->round, err);
    free(name);
    if (st)
        return st;
    const egdi_model *m = out->round.model;
    const egdi_round_input *in = &out->round.in;
    egdi_store_uncertainty_unit *rows = NULL;
    egdi_store_uncertainty_stage *stages = NULL;
    egdi_store_uncertainty_set *sets = NULL;
    char **defs = NULL;
    size_t nsets = o->weights == EGDI_UNCERTAINTY_WEIGHTS_SETS ? o->nsets : 0;
    double *se = NULL;
    egdi_uncertainty_opts oo = *o;
    oo.digits = egdi_ranking_digits(o->digits, m, in); /* rank_digits auto: the round's */
    if (o->survey_se) {
        if ((st = egdi_uncertainty_survey_se(s, &out->round, &se, err)))
            goto fail;
        oo.se = se;
    }
    if ((st = egdi_score_input_hash(m, &in->in, out->inputs_hash, err)) ||
        (st = egdi_store_score_run_stale(s, out->round.run_id, &out->stale, err)) ||
        (st = egdi_uncertainty_run(m, &in->in, &oo, &out->result, err)))
        goto fail;
    const egdi_uncertainty_result *r = out->result;
    size_t S = r->nstages, nst = 0;
    rows = calloc(r->n ? r->n : 1, sizeof *rows);
    stages = calloc(r->n * (S ? S : 1) + 1, sizeof *stages);
    sets = calloc(nsets ? nsets : 1, sizeof *sets);
    defs = calloc(nsets ? nsets : 1, sizeof *defs);
    out->weight_sets = set_hashes(o);
    if (!rows || !stages || !sets || !defs || (nsets && !out->weight_sets)) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < r->n; i++) {
        const egdi_uncertainty_unit *x = &r->units[i];
        int64_t uid = in->unit_ids[x->unit];
        rows[i] = (egdi_store_uncertainty_unit){uid, x->nominal_rank, x->ranked, x->median,
                                                x->lo, x->hi, x->shift, x->top};
        for (size_t k = 0; k < S; k++)
            if (x->stage[k])
                stages[nst++] = (egdi_store_uncertainty_stage){uid, m->stages[k].code,
                                                               x->stage[k]};
    }
    for (size_t i = 0; i < nsets; i++) {
        const egdi_model *sm = o->sets[i].model;
        size_t len = 0;
        if ((st = egdi_model_canonical(sm, &defs[i], &len, err)))
            goto fail;
        sets[i] = (egdi_store_uncertainty_set){sm->name, sm->version, sm->hash, defs[i], len};
    }
    egdi_store_uncertainty_run run = {
        .score_run_id = out->round.run_id,
        .kind = kind_name(r->kind),
        .varied = r->varied,
        .sampler = egdi_uncertainty_sampler_name(r->sampler),
        .seed = r->seed,
        .draws = r->draws,
        .columns = r->columns,
        .top = r->top,
        .digits = r->digits,
        .model_sha256 = m->hash,
        .inputs_sha256 = out->inputs_hash,
        .weight_sets = out->weight_sets,
        .program_version = program_version,
    };
    if ((st = egdi_store_uncertainty_save(s, &run, rows, r->n, stages, nst, sets, nsets, err)))
        goto fail;
    out->id = run.id;
    goto done;
fail:
    egdi_uncertainty_stored_release(out);
done:
    free(se);
    free(rows);
    free(stages);
    free(sets);
    for (size_t i = 0; defs && i < nsets; i++)
        free(defs[i]);
    free(defs);
    return st;
}

/* ---- reading one back ------------------------------------------------------- */

typedef struct {
    int64_t id;
    size_t idx;
} id_key;

static int cmp_id(const void *a, const void *b)
{
    const id_key *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

typedef struct {
    const egdi_round *round;
    egdi_uncertainty_result *r;
    const id_key *ix;
    size_t nix;
    size_t *pos; /* per input unit: its position in r->units + 1, 0 = none */
} load_sink;

static long find_unit(const load_sink *k, int64_t id)
{
    id_key key = {id, 0};
    const id_key *hit = k->nix ? bsearch(&key, k->ix, k->nix, sizeof *k->ix, cmp_id) : NULL;
    return hit ? (long)hit->idx : -1;
}

static egdi_status on_unit(void *ctx, const egdi_store_uncertainty_unit *row, egdi_error *err)
{
    load_sink *k = ctx;
    long u = find_unit(k, row->unit_id);
    if (u < 0)
        return EGDI_OK; /* a unit gone from the store since */
    egdi_uncertainty_result *r = k->r;
    if (r->n >= k->round->in.in.nunits)
        return egdi_error_set(err, EGDI_ERR_STORE, "an uncertainty run lists a unit twice");
    size_t S = r->nstages;
    egdi_uncertainty_unit *x = &r->units[r->n];
    x->unit = (size_t)u;
    x->nominal_rank = row->nominal_rank;
    x->nominal_score = k->round->result->egdi[u];
    x->nominal_stage = row->nominal_rank > 0 ? k->round->result->stage[u] : -1;
    x->ranked = row->ranked;
    x->median = row->median;
    x->lo = row->lo;
    x->hi = row->hi;
    x->shift = row->shift;
    x->top = row->top;
    x->stage = r->counts + r->n * (S + 1) + 1;
    k->pos[u] = ++r->n;
    return EGDI_OK;
}

static egdi_status on_stage(void *ctx, const egdi_store_uncertainty_stage *row, egdi_error *err)
{
    (void)err;
    load_sink *k = ctx;
    long u = find_unit(k, row->unit_id);
    if (u < 0 || !k->pos[u])
        return EGDI_OK;
    const egdi_model *m = k->round->model;
    for (size_t s = 0; s < m->nstages; s++)
        if (strcmp(m->stages[s].code, row->stage) == 0)
            k->r->units[k->pos[u] - 1].stage[s] = row->draws;
    return EGDI_OK;
}

static int cmp_nominal(const void *a, const void *b)
{
    const egdi_uncertainty_unit *x = a, *y = b;
    long rx = x->nominal_rank > 0 ? x->nominal_rank : LONG_MAX;
    long ry = y->nominal_rank > 0 ? y->nominal_rank : LONG_MAX;
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

egdi_status egdi_uncertainty_load(egdi_store *s, const egdi_round *round, egdi_unit_kind kind,
                                  bool *found, egdi_uncertainty_result **result,
                                  egdi_uncertainty_stored *info, egdi_error *err)
{
    *found = false;
    *result = NULL;
    if (info)
        memset(info, 0, sizeof *info);
    kind = kind ? kind : EGDI_UNIT_DEPARTMENT;
    egdi_store_uncertainty_run run;
    char *buf = NULL;
    egdi_status st = egdi_store_uncertainty_find(s, round->run_id, kind_name(kind), found, &run,
                                                 &buf, err);
    if (st || !*found)
        return st;
    const egdi_round_input *in = &round->in;
    size_t U = in->in.nunits, S = round->model->nstages;
    egdi_uncertainty_result *r = calloc(1, sizeof *r);
    id_key *ix = malloc((U ? U : 1) * sizeof *ix);
    size_t *pos = calloc(U ? U : 1, sizeof *pos);
    if (r) {
        r->varied = strdup(run.varied ? run.varied : "");
        r->units = calloc(U ? U : 1, sizeof *r->units);
        r->counts = calloc((U ? U : 1) * (S + 1), sizeof *r->counts);
    }
    if (!r || !ix || !pos || !r->varied || !r->units || !r->counts) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (info) {
        info->created_at = strdup(run.created_at ? run.created_at : "");
        info->program_version = strdup(run.program_version ? run.program_version : "");
        info->weight_sets = run.weight_sets ? strdup(run.weight_sets) : NULL;
        memcpy(info->inputs_hash, run.inputs_sha256 ? run.inputs_sha256 : "",
               run.inputs_sha256 && strlen(run.inputs_sha256) == 64 ? 65 : 1);
        info->id = run.id;
        if (!info->created_at || !info->program_version || (run.weight_sets && !info->weight_sets)) {
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    r->sampler = run.sampler && strcmp(run.sampler, "sobol") == 0 ? EGDI_UNCERTAINTY_SOBOL
                                                                    : EGDI_UNCERTAINTY_RANDOM;
    r->columns = run.columns;
    r->draws = run.draws;
    r->seed = run.seed;
    r->top = run.top;
    r->digits = run.digits;
    r->kind = kind;
    r->nstages = S;
    for (size_t u = 0; u < U; u++)
        ix[u] = (id_key){in->unit_ids ? in->unit_ids[u] : 0, u};
    qsort(ix, U, sizeof *ix, cmp_id);
    load_sink k = {round, r, ix, U, pos};
    if ((st = egdi_store_uncertainty_each(s, run.id, on_unit, on_stage, &k, err)))
        goto fail;
    /* nominal rank order (the order a run keeps), the stage-less draws */
    qsort(r->units, r->n, sizeof *r->units, cmp_nominal);
    double msum = 0;
    size_t mn = 0;
    for (size_t i = 0; i < r->n; i++) {
        egdi_uncertainty_unit *x = &r->units[i];
        size_t in_stage = 0;
        for (size_t sidx = 0; sidx < S; sidx++)
            in_stage += x->stage[sidx];
        x->stage[-1] = r->draws > in_stage ? r->draws - in_stage : 0;
        if (!isnan(x->shift)) {
            msum += x->shift;
            mn++;
        }
    }
    r->mean_shift = mn ? msum / (double)mn : NAN;
    *result = r;
    r = NULL;
    goto done;
fail:
    *found = false;
    if (info)
        egdi_uncertainty_stored_release(info);
done:
    egdi_uncertainty_result_free(r);
    free(ix);
    free(pos);
    free(buf);
    return st;
}
