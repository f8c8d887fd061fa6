/*
 * change.c - a unit's EGDI change split into a model change, indicators and
 * re-weighting (see change.h).  The earlier round is rescored with this
 * round's model through egdi_score_run (the one scoring path); the terms
 * of a scoring are read from its result (weights used, scores, statuses,
 * a region's two parts).  An egdi_change owns the rescored round's raw
 * matrix and result; a unit's split owns its terms.
 */
#include "indicators/change.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "indicators/ranking.h"
#include "indicators/score_store.h"

struct egdi_change {
    const egdi_round *cur, *prev;
    bool same;                 /* one model: E0' is E0 */
    double *raw;               /* prev's units x cur's nodes */
    egdi_score_input in;       /* prev's units with raw */
    egdi_score_result *again;  /* prev scored with cur's model (NULL when same) */
    size_t *pix;               /* prev's code index */
};

void egdi_change_free(egdi_change *c)
{
    if (!c)
        return;
    free(c->raw);
    egdi_score_result_free(c->again);
    free(c->pix);
    free(c);
}

bool egdi_change_same_model(const egdi_change *c)
{
    return c->same;
}

egdi_status egdi_change_build(const egdi_round *cur, const egdi_round *prev, egdi_change **out,
                              egdi_error *err)
{
    *out = NULL;
    const egdi_model *m = cur->model, *pm = prev->model;
    if (m->aggregation != EGDI_AGG_ARITHMETIC)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "model %s aggregates geometrically: a change splits into "
                              "indicators only under arithmetic aggregation",
                              m->name);
    egdi_change *c = calloc(1, sizeof *c);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    c->cur = cur;
    c->prev = prev;
    c->same = strcmp(m->hash, pm->hash) == 0;
    egdi_status st = egdi_round_input_index(&prev->in, &c->pix, err);
    if (st)
        goto fail;
    if (!c->same) {
        size_t U = prev->in.in.nunits, N = m->nnodes, N0 = pm->nnodes;
        c->raw = malloc(((U && N) ? U * N : 1) * sizeof *c->raw);
        if (!c->raw) {
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            goto fail;
        }
        for (size_t j = 0; j < N; j++) {
            long j0 = egdi_model_find(pm, m->nodes[j].code);
            for (size_t u = 0; u < U; u++)
                c->raw[u * N + j] = j0 >= 0 ? prev->in.raw[u * N0 + (size_t)j0] : NAN;
        }
        c->in = (egdi_score_input){U, prev->in.in.units, c->raw};
        if ((st = egdi_score_run(m, &c->in, &c->again, err)))
            goto fail;
    }
    *out = c;
    return EGDI_OK;
fail:
    egdi_change_free(c);
    return st;
}

/* The terms of unit u in result r (model m): per node, its score and
 * effective weight (NaN / 0 when not a term), the departments' parts apart;
 * s, ds, dw and imp may be NULL (egdi_change_weights wants w alone). */
typedef struct {
    double *s, *w, *ds, *dw;
    bool *imp;
} terms;

static void collect(const egdi_model *m, const egdi_score_result *r, size_t u, size_t q, double e,
                    terms *t)
{
    size_t N = m->nnodes, cq = u * N + q;
    unsigned char how = r->status[cq];
    if (egdi_node_is_leaf(&m->nodes[q]) || how == EGDI_NODE_GIVEN) {
        if (!isnan(r->score[cq])) {
            if (t->s)
                t->s[q] = r->score[cq];
            t->w[q] = e;
            if (t->imp)
                t->imp[q] = how == EGDI_NODE_IMPUTED;
        }
        return;
    }
    double dp = r->dept_part[cq], op = r->own_part[cq], ec = e;
    if (!isnan(dp)) { /* a region's sub-index with its departments' part */
        double share = isnan(op) ? 1.0 : m->region_share;
        if (t->ds)
            t->ds[q] = dp;
        if (t->dw)
            t->dw[q] = e * share;
        if (isnan(op))
            return;
        ec = e * (1.0 - m->region_share);
    }
    const egdi_node *qn = &m->nodes[q];
    for (size_t k = 0; k < qn->nchildren; k++) {
        size_t j = qn->children[k];
        double w = r->weight[u * N + j];
        if (!isnan(w))
            collect(m, r, u, j, ec * w, t);
    }
}

void egdi_change_weights(const egdi_model *m, const egdi_score_result *r, size_t u, double *w)
{
    for (size_t j = 0; j < m->nnodes; j++)
        w[j] = 0;
    terms t = {NULL, w, NULL, NULL, NULL};
    collect(m, r, u, m->root, 1.0, &t);
}

static bool terms_alloc(terms *t, size_t N)
{
    size_t n = N ? N : 1;
    t->s = malloc(n * sizeof *t->s);
    t->w = malloc(n * sizeof *t->w);
    t->ds = malloc(n * sizeof *t->ds);
    t->dw = malloc(n * sizeof *t->dw);
    t->imp = calloc(n, sizeof *t->imp);
    if (!t->s || !t->w || !t->ds || !t->dw || !t->imp)
        return false;
    for (size_t j = 0; j < N; j++) {
        t->s[j] = t->ds[j] = NAN;
        t->w[j] = t->dw[j] = 0;
    }
    return true;
}

static void terms_free(terms *t)
{
    free(t->s);
    free(t->w);
    free(t->ds);
    free(t->dw);
    free(t->imp);
}

void egdi_change_unit_release(egdi_change_unit *x)
{
    if (!x)
        return;
    free(x->terms);
    memset(x, 0, sizeof *x);
}

/* One term of the split from its two scorings. */
static egdi_change_term split_term(size_t j, bool dept, double s0, double w0, double s1, double w1)
{
    egdi_change_term t = {j, dept, false, s0, s1, w0, w1, 0, 0};
    bool a = !isnan(s0) && w0 != 0, b = !isnan(s1) && w1 != 0;
    if (a && b) {
        t.indicator = (s1 - s0) * (w0 + w1) / 2;
        t.reweight = (w1 - w0) * (s0 + s1) / 2;
    } else if (b) {
        t.reweight = s1 * w1;
    } else if (a) {
        t.reweight = -s0 * w0;
    }
    return t;
}

egdi_status egdi_change_unit_split(const egdi_change *c, size_t u, egdi_change_unit *out,
                                   egdi_error *err)
{
    memset(out, 0, sizeof *out);
    const egdi_round *cur = c->cur, *prev = c->prev;
    const egdi_model *m = cur->model;
    size_t N = m->nnodes;
    const char *code = cur->in.codes[u];
    long u0 = egdi_round_input_find(&prev->in, c->pix, code);
    if (u0 < 0)
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "unit %s was not scored in round %d", code,
                              prev->year);
    const egdi_score_result *ra = c->same ? prev->result : c->again;
    out->unit = u;
    out->unit0 = (size_t)u0;
    out->egdi0 = prev->result->egdi[u0];
    out->egdi0_model = ra->egdi[u0];
    out->egdi1 = cur->result->egdi[u];
    const char *none = isnan(out->egdi1)         ? "this round"
                       : isnan(out->egdi0)       ? "the earlier round"
                       : isnan(out->egdi0_model) ? "the earlier round under this round's model"
                                                 : NULL;
    if (none)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "unit %s has no EGDI in %s: nothing to split",
                              code, none);
    out->model = c->same ? 0.0 : out->egdi0_model - out->egdi0;
    terms ta, tb;
    memset(&ta, 0, sizeof ta);
    memset(&tb, 0, sizeof tb);
    egdi_status st = EGDI_OK;
    out->terms = malloc(2 * (N ? N : 1) * sizeof *out->terms);
    if (!out->terms || !terms_alloc(&ta, N) || !terms_alloc(&tb, N)) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    collect(m, ra, (size_t)u0, m->root, 1.0, &ta);
    collect(m, cur->result, u, m->root, 1.0, &tb);
    for (size_t j = 0; j < N; j++) {
        if ((!isnan(ta.s[j]) && ta.w[j] != 0) || (!isnan(tb.s[j]) && tb.w[j] != 0)) {
            egdi_change_term t = split_term(j, false, ta.s[j], ta.w[j], tb.s[j], tb.w[j]);
            t.imputed = ta.imp[j] || tb.imp[j];
            out->terms[out->nterms++] = t;
        }
    }
    for (size_t j = 0; j < N; j++)
        if ((!isnan(ta.ds[j]) && ta.dw[j] != 0) || (!isnan(tb.ds[j]) && tb.dw[j] != 0))
            out->terms[out->nterms++] = split_term(j, true, ta.ds[j], ta.dw[j], tb.ds[j],
                                                   tb.dw[j]);
    for (size_t i = 0; i < out->nterms; i++) {
        out->indicators += out->terms[i].indicator;
        out->reweighting += out->terms[i].reweight;
    }
    terms_free(&ta);
    terms_free(&tb);
    return EGDI_OK;
fail:
    terms_free(&ta);
    terms_free(&tb);
    egdi_change_unit_release(out);
    return st;
}

/* ---- egdi explain --compare ---------------------------------------------------- */

void egdi_change_explained_release(egdi_change_explained *e)
{
    if (!e)
        return;
    egdi_change_unit_release(&e->unit);
    egdi_change_free(e->change);
    egdi_round_release(&e->cur);
    egdi_round_release(&e->prev);
    memset(e, 0, sizeof *e);
}

/* The rank of unit u among the units of its kind in round r. */
static egdi_status kind_rank(const egdi_round *r, size_t u, long *rank, egdi_error *err)
{
    size_t U = r->in.in.nunits;
    long *all = malloc((U ? U : 1) * sizeof *all);
    if (!all)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status st = egdi_ranking_by_kind(&r->in, r->result, r->model->rank_digits, all, err);
    *rank = st ? 0 : all[u];
    free(all);
    return st;
}

egdi_status egdi_change_explain(egdi_store *s, const char *code, int year, int year0,
                                const char *model, egdi_change_explained *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    size_t *cix = NULL;
    egdi_status st = egdi_ranking_load_rounds(s, year, year0, model, &out->cur, &out->prev, err);
    if (st)
        return st;
    if ((st = egdi_round_input_index(&out->cur.in, &cix, err)))
        goto fail;
    long u = egdi_round_input_find(&out->cur.in, cix, code);
    free(cix);
    if (u < 0) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND, "unit %s was not scored in round %d", code,
                            year);
        goto fail;
    }
    if ((st = egdi_change_build(&out->cur, &out->prev, &out->change, err)) ||
        (st = egdi_change_unit_split(out->change, (size_t)u, &out->unit, err)) ||
        (st = kind_rank(&out->cur, (size_t)u, &out->rank1, err)) ||
        (st = kind_rank(&out->prev, out->unit.unit0, &out->rank0, err)))
        goto fail;
    return EGDI_OK;
fail:
    egdi_change_explained_release(out);
    return st;
}
