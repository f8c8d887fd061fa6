/*
 * score.c - the scoring pipeline of score.h.  Work arrays are allocated
 * once per run and freed on every path; the result owns its arrays.
 */
#include "indicators/score.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/hash.h"
#include "indicators/rules.h"

void egdi_score_result_free(egdi_score_result *r)
{
    if (!r)
        return;
    free(r->score);
    free(r->weight);
    free(r->contrib);
    free(r->status);
    free(r->dept_part);
    free(r->own_part);
    free(r->coverage);
    free(r->rankable);
    free(r->egdi);
    free(r->stage);
    free(r->klass);
    free(r);
}

static unsigned kind_mask(egdi_unit_kind k)
{
    return k == EGDI_UNIT_REGION ? EGDI_APPLIES_REGION : EGDI_APPLIES_DEPARTMENT;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's quantile type 7 of sorted v[0..n). */
static double quantile7(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

/* True when node j or one of its ancestors has a given value for unit u. */
static bool under_given(const egdi_model *m, const egdi_score_input *in, size_t u, size_t j)
{
    for (long k = m->nodes[j].parent_idx; k >= 0; k = m->nodes[k].parent_idx)
        if (!isnan(in->raw[u * m->nnodes + (size_t)k]))
            return true;
    return false;
}

static bool applies(const egdi_model *m, size_t j, egdi_unit_kind kind)
{
    /* a node applies when it and all its ancestors apply */
    for (long k = (long)j; k >= 0; k = m->nodes[k].parent_idx)
        if (!(m->nodes[k].applies & kind_mask(kind)))
            return false;
    return true;
}

typedef struct {
    const egdi_model *m;
    size_t j;
} depth_key;

static int cmp_depth(const void *a, const void *b)
{
    const depth_key *x = a, *y = b;
    unsigned dx = x->m->nodes[x->j].depth, dy = y->m->nodes[y->j].depth;
    if (dx != dy)
        return dx > dy ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

static egdi_status alloc_result(egdi_score_result **out, size_t U, size_t N)
{
    egdi_score_result *r = calloc(1, sizeof *r);
    if (!r)
        return EGDI_ERR_NOMEM;
    r->nunits = U;
    r->nnodes = N;
    size_t cells = U * N, units = U ? U : 1;
    if (cells == 0)
        cells = 1;
    r->score = malloc(cells * sizeof *r->score);
    r->weight = malloc(cells * sizeof *r->weight);
    r->contrib = malloc(cells * sizeof *r->contrib);
    r->status = calloc(cells, 1);
    r->dept_part = malloc(cells * sizeof *r->dept_part);
    r->own_part = malloc(cells * sizeof *r->own_part);
    r->coverage = calloc(units, sizeof *r->coverage);
    r->rankable = calloc(units, sizeof *r->rankable);
    r->egdi = malloc(units * sizeof *r->egdi);
    r->stage = malloc(units * sizeof *r->stage);
    r->klass = malloc(units * sizeof *r->klass);
    if (!r->score || !r->weight || !r->contrib || !r->status || !r->dept_part || !r->own_part ||
        !r->coverage || !r->rankable || !r->egdi || !r->stage || !r->klass) {
        egdi_score_result_free(r);
        return EGDI_ERR_NOMEM;
    }
    for (size_t i = 0; i < U * N; i++)
        r->score[i] = r->weight[i] = r->contrib[i] = r->dept_part[i] = r->own_part[i] = NAN;
    for (size_t u = 0; u < U; u++) {
        r->egdi[u] = NAN;
        r->stage[u] = -1;
        r->klass[u] = -1;
    }
    *out = r;
    return EGDI_OK;
}

egdi_status egdi_score_result_new(egdi_score_result **out, size_t nunits, size_t nnodes,
                                  egdi_error *err)
{
    *out = NULL;
    if (nnodes && nunits > SIZE_MAX / nnodes / sizeof(double))
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many units");
    if (alloc_result(out, nunits, nnodes))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
}

/* ---- the plan ------------------------------------------------------------ */

#define MAXA EGDI_SCORE_MAX_ALTS
enum { FILL_MEAN = 0, FILL_MEDIAN = 1 };

struct egdi_score_plan {
    const egdi_model *m;
    const egdi_score_input *in;
    size_t U, N;
    unsigned char *app;    /* N x 2: node j applies to kind k (0 departments, 1 regions) */
    unsigned char *shadow; /* U x N: an ancestor of node j has a given value for unit u */
    size_t nleaves, *leaves; /* in catalogue order */
    size_t ninner, *inner;   /* deepest first, then catalogue order */
    size_t nbyk[3], *byk[3]; /* units by kind: departments, regions, others; unit order */
    size_t *reg_off, *reg_dep; /* per region: its departments, in unit order */
    size_t nsub;             /* the root's children */
    long *subpos;            /* N: position among the root's children, or -1 */
    unsigned char *nrules;   /* N: rules of leaf j (its own first); 0 for inner nodes */
    egdi_rule *rules;        /* N x MAXA */
    double **col;            /* N x MAXA: the leaf's scores under that rule (U each) */
    double *fill;            /* N x MAXA x 2 kinds x 2: the round's mean, median */
};

/* Buffers for scoring one leaf among the units of one kind. */
typedef struct {
    size_t *idx;
    double *raw, *sc, *tmp;
    const char **ids;
} leaf_bufs;

static void leaf_bufs_free(leaf_bufs *b)
{
    free(b->idx);
    free(b->raw);
    free(b->sc);
    free(b->tmp);
    free(b->ids);
}

static bool leaf_bufs_alloc(leaf_bufs *b, size_t U)
{
    size_t n = U ? U : 1;
    b->idx = malloc(n * sizeof *b->idx);
    b->raw = malloc(n * sizeof *b->raw);
    b->sc = malloc(n * sizeof *b->sc);
    b->tmp = malloc(n * sizeof *b->tmp);
    b->ids = malloc(n * sizeof *b->ids);
    return b->idx && b->raw && b->sc && b->tmp && b->ids;
}

/*
 * Step 1 for leaf j under rule r among the units of kind kk that it is
 * scored for (not under a given value): col[u] for those units (the others
 * are left as they are), and fill[kk][FILL_MEAN / FILL_MEDIAN] the mean and
 * median of the scores that are there (NaN when none is).
 */
static egdi_status score_leaf(const egdi_score_plan *p, size_t j, egdi_rule r, int kk,
                              const double *raw, double *col, double fill[2], leaf_bufs *b,
                              egdi_error *err)
{
    const egdi_model *m = p->m;
    size_t N = p->N, n = 0;
    fill[FILL_MEAN] = fill[FILL_MEDIAN] = NAN;
    for (size_t i = 0; i < p->nbyk[kk]; i++) {
        size_t u = p->byk[kk][i];
        if (p->shadow[u * N + j])
            continue;
        b->idx[n] = u;
        b->raw[n] = raw[u * N + j];
        b->ids[n] = p->in->units[u].id;
        n++;
    }
    if (n == 0)
        return EGDI_OK;
    const egdi_node *nd = &m->nodes[j];
    egdi_status st;
    if (r == nd->rule) {
        st = egdi_rule_apply(nd, b->raw, n, b->ids, b->sc, err);
    } else {
        egdi_node alt = *nd;
        alt.rule = r;
        st = egdi_rule_apply(&alt, b->raw, n, b->ids, b->sc, err);
        if (st && err) {
            char msg[EGDI_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->message);
            egdi_error_set(err, st, "%s (under the alternative rule %s)", msg,
                           egdi_rule_name(r));
        }
    }
    if (st)
        return st;
    size_t have = 0;
    for (size_t i = 0; i < n; i++) {
        col[b->idx[i]] = b->sc[i];
        if (!isnan(b->sc[i]))
            b->tmp[have++] = b->sc[i];
    }
    if (have == 0)
        return EGDI_OK;
    double sum = 0;
    for (size_t i = 0; i < have; i++)
        sum += b->tmp[i];
    fill[FILL_MEAN] = sum / (double)have;
    qsort(b->tmp, have, sizeof *b->tmp, cmp_double);
    fill[FILL_MEDIAN] = have % 2 ? b->tmp[have / 2]
                                 : (b->tmp[have / 2 - 1] + b->tmp[have / 2]) / 2.0;
    return EGDI_OK;
}

void egdi_score_plan_free(egdi_score_plan *p)
{
    if (!p)
        return;
    free(p->app);
    free(p->shadow);
    free(p->leaves);
    free(p->inner);
    for (int k = 0; k < 3; k++)
        free(p->byk[k]);
    free(p->reg_off);
    free(p->reg_dep);
    free(p->subpos);
    free(p->nrules);
    free(p->rules);
    if (p->col)
        for (size_t i = 0; i < p->N * MAXA; i++)
            free(p->col[i]);
    free(p->col);
    free(p->fill);
    free(p);
}

static int kind_slot(egdi_unit_kind k)
{
    return k == EGDI_UNIT_DEPARTMENT ? 0 : k == EGDI_UNIT_REGION ? 1 : 2;
}

egdi_status egdi_score_plan_new(const egdi_model *m, const egdi_score_input *in,
                                const egdi_score_alts *alts, egdi_score_plan **out,
                                egdi_error *err)
{
    *out = NULL;
    size_t U = in->nunits, N = m->nnodes;
    if (N && U > SIZE_MAX / N / sizeof(double))
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many units");
    egdi_status st = EGDI_OK;
    leaf_bufs b;
    memset(&b, 0, sizeof b);
    depth_key *order = NULL;
    egdi_score_plan *p = calloc(1, sizeof *p);
    if (!p)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory scoring %zu units", U);
    p->m = m;
    p->in = in;
    p->U = U;
    p->N = N;
    size_t n1 = N ? N : 1, u1 = U ? U : 1, c1 = (U && N) ? U * N : 1;
    p->app = calloc(2 * n1, 1);
    p->shadow = calloc(c1, 1);
    p->leaves = malloc(n1 * sizeof *p->leaves);
    p->inner = malloc(n1 * sizeof *p->inner);
    for (int k = 0; k < 3; k++)
        p->byk[k] = malloc(u1 * sizeof *p->byk[k]);
    p->reg_off = calloc(U + 1, sizeof *p->reg_off);
    p->subpos = malloc(n1 * sizeof *p->subpos);
    p->nrules = calloc(n1, 1);
    p->rules = calloc(n1 * MAXA, sizeof *p->rules);
    p->col = calloc(n1 * MAXA, sizeof *p->col);
    p->fill = malloc(n1 * MAXA * 4 * sizeof *p->fill);
    order = malloc(n1 * sizeof *order);
    if (!p->app || !p->shadow || !p->leaves || !p->inner || !p->byk[0] || !p->byk[1] ||
        !p->byk[2] || !p->reg_off || !p->subpos || !p->nrules || !p->rules || !p->col ||
        !p->fill || !order || !leaf_bufs_alloc(&b, U))
        goto nomem;
    for (size_t i = 0; i < N * MAXA * 4; i++)
        p->fill[i] = NAN;

    static const egdi_unit_kind kinds[2] = {EGDI_UNIT_DEPARTMENT, EGDI_UNIT_REGION};
    for (size_t j = 0; j < N; j++) {
        for (int k = 0; k < 2; k++)
            p->app[2 * j + k] = applies(m, j, kinds[k]);
        p->subpos[j] = -1;
        if (egdi_node_is_leaf(&m->nodes[j]))
            p->leaves[p->nleaves++] = j;
    }
    for (size_t c = 0; c < m->nodes[m->root].nchildren; c++)
        p->subpos[m->nodes[m->root].children[c]] = (long)c;
    p->nsub = m->nodes[m->root].nchildren;
    for (size_t j = 0; j < N; j++)
        order[j] = (depth_key){m, j};
    qsort(order, N, sizeof *order, cmp_depth);
    for (size_t o = 0; o < N; o++)
        if (!egdi_node_is_leaf(&m->nodes[order[o].j]))
            p->inner[p->ninner++] = order[o].j;
    for (size_t u = 0; u < U; u++) {
        int k = kind_slot(in->units[u].kind);
        p->byk[k][p->nbyk[k]++] = u;
        for (size_t j = 0; j < N; j++)
            p->shadow[u * N + j] = under_given(m, in, u, j);
    }
    /* the regions' departments (a department names its region by code) */
    size_t ndep = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t at = 0;
        for (size_t u = 0; u < U; u++) {
            if (pass == 1)
                p->reg_off[u] = at;
            if (in->units[u].kind != EGDI_UNIT_REGION)
                continue;
            for (size_t d = 0; d < U; d++) {
                const egdi_score_unit *du = &in->units[d];
                if (du->kind == EGDI_UNIT_DEPARTMENT && du->region &&
                    strcmp(du->region, in->units[u].id) == 0) {
                    if (pass == 1)
                        p->reg_dep[at] = d;
                    at++;
                }
            }
        }
        if (pass == 0) {
            ndep = at;
            p->reg_dep = malloc((ndep ? ndep : 1) * sizeof *p->reg_dep);
            if (!p->reg_dep)
                goto nomem;
        } else {
            p->reg_off[U] = at;
        }
    }

    /* every leaf under each of its rules */
    for (size_t li = 0; li < p->nleaves; li++) {
        size_t j = p->leaves[li];
        const egdi_node *nd = &m->nodes[j];
        size_t na = alts && alts->nalt ? alts->nalt[j] : 0;
        if (na + 1 > MAXA) {
            st = egdi_error_set(err, EGDI_ERR_LIMIT, "indicator %s: more than %d rules to score",
                                nd->code, MAXA);
            goto fail;
        }
        p->rules[j * MAXA] = nd->rule;
        p->nrules[j] = 1;
        for (size_t a = 0; a < na; a++) {
            egdi_rule r = alts->alt[j][a];
            if (!egdi_node_rule_fits(nd, r)) {
                const char *rn = egdi_rule_name(r);
                st = egdi_error_set(err, EGDI_ERR_ARG,
                                    "indicator %s cannot be scored by rule %s (it lacks the "
                                    "rule's parameters)",
                                    nd->code, rn ? rn : "?");
                goto fail;
            }
            p->rules[j * MAXA + p->nrules[j]++] = r;
        }
        for (size_t a = 0; a < p->nrules[j]; a++) {
            double *col = malloc(u1 * sizeof *col);
            if (!col)
                goto nomem;
            p->col[j * MAXA + a] = col;
            for (size_t u = 0; u < U; u++)
                col[u] = NAN;
            for (int kk = 0; kk < 2; kk++) {
                if (!p->app[2 * j + kk])
                    continue;
                if ((st = score_leaf(p, j, p->rules[j * MAXA + a], kk, in->raw, col,
                                     &p->fill[((j * MAXA + a) * 2 + (size_t)kk) * 2], &b, err)))
                    goto fail;
            }
        }
    }
    free(order);
    leaf_bufs_free(&b);
    *out = p;
    return EGDI_OK;
nomem:
    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory scoring %zu units", U);
fail:
    free(order);
    leaf_bufs_free(&b);
    egdi_score_plan_free(p);
    return st;
}

const egdi_rule *egdi_score_plan_rules(const egdi_score_plan *p, size_t j, size_t *n)
{
    *n = p->nrules[j];
    return &p->rules[j * MAXA];
}

double egdi_score_plan_leaf(const egdi_score_plan *p, size_t j, size_t a, size_t u)
{
    const double *col = a < p->nrules[j] ? p->col[j * MAXA + a] : NULL;
    return col ? col[u] : NAN;
}

/* ---- evaluating it --------------------------------------------------------- */

struct egdi_score_ws {
    double *s;      /* N: the current unit's node scores */
    double *w;      /* N: weights within the parent */
    double *eff;    /* N: effective weights (coverage) */
    double *cov;    /* U: every unit's coverage */
    double *sub;    /* U x nsub: every unit's scores of the root's children */
    const double **leafcol; /* N: the column each leaf is read from */
    const double **leaffill; /* N: its fills [kind][mean, median] */
    double *own;    /* nleaves x U: the columns rescored from a variant's raw values */
    double *ownfill; /* nleaves x 4 */
    leaf_bufs b;
};

void egdi_score_ws_free(egdi_score_ws *ws)
{
    if (!ws)
        return;
    free(ws->s);
    free(ws->w);
    free(ws->eff);
    free(ws->cov);
    free(ws->sub);
    free(ws->leafcol);
    free(ws->leaffill);
    free(ws->own);
    free(ws->ownfill);
    leaf_bufs_free(&ws->b);
    free(ws);
}

egdi_status egdi_score_ws_new(const egdi_score_plan *p, egdi_score_ws **out, egdi_error *err)
{
    *out = NULL;
    egdi_score_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t n1 = p->N ? p->N : 1, u1 = p->U ? p->U : 1, l1 = p->nleaves ? p->nleaves : 1;
    size_t s1 = p->nsub ? p->nsub : 1;
    ws->s = malloc(n1 * sizeof *ws->s);
    ws->w = malloc(n1 * sizeof *ws->w);
    ws->eff = malloc(n1 * sizeof *ws->eff);
    ws->cov = malloc(u1 * sizeof *ws->cov);
    ws->sub = malloc(u1 * s1 * sizeof *ws->sub);
    ws->leafcol = calloc(n1, sizeof *ws->leafcol);
    ws->leaffill = calloc(n1, sizeof *ws->leaffill);
    if (!ws->s || !ws->w || !ws->eff || !ws->cov || !ws->sub || !ws->leafcol || !ws->leaffill ||
        (l1 > SIZE_MAX / u1 / sizeof(double))) {
        egdi_score_ws_free(ws);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    *out = ws;
    return EGDI_OK;
}

/* The buffers for rescoring leaves from a variant's raw values, on first use. */
static egdi_status ws_own(const egdi_score_plan *p, egdi_score_ws *ws, egdi_error *err)
{
    if (ws->own)
        return EGDI_OK;
    size_t u1 = p->U ? p->U : 1, l1 = p->nleaves ? p->nleaves : 1;
    ws->own = malloc(l1 * u1 * sizeof *ws->own);
    ws->ownfill = malloc(l1 * 4 * sizeof *ws->ownfill);
    if (!ws->own || !ws->ownfill || !leaf_bufs_alloc(&ws->b, p->U))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory rescoring %zu units", p->U);
    return EGDI_OK;
}

/* Inner node q of unit u from its children's scores s[] (step 4). */
static egdi_status aggregate(const egdi_score_plan *p, size_t u, size_t q, const double *w,
                             int agg, double *s, egdi_score_result *d, egdi_error *err)
{
    const egdi_model *m = p->m;
    size_t N = p->N;
    const egdi_node *qn = &m->nodes[q];
    double wsum = 0;
    for (size_t c = 0; c < qn->nchildren; c++) {
        size_t j = qn->children[c];
        if (!isnan(s[j]))
            wsum += w[j];
    }
    if (!(wsum > 0))
        return EGDI_OK; /* nothing to aggregate: stays NaN */
    double acc = 0;
    if (agg == EGDI_AGG_GEOMETRIC) {
        for (size_t c = 0; c < qn->nchildren; c++) {
            size_t j = qn->children[c];
            double x = s[j];
            if (isnan(x))
                continue;
            double wj = w[j] / wsum;
            if (d)
                d->weight[u * N + j] = wj;
            if (wj == 0) { /* left out: the factor x^0 */
                if (d)
                    d->contrib[u * N + j] = 1.0;
                continue;
            }
            if (!(x > 0))
                return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                      "unit %s, indicator %s: score %g cannot enter a geometric "
                                      "mean (it needs scores above 0)",
                                      p->in->units[u].id, m->nodes[j].code, x);
            acc += wj * log(x);
            if (d)
                d->contrib[u * N + j] = pow(x, wj); /* the factor x^w */
        }
        s[q] = exp(acc);
    } else {
        for (size_t c = 0; c < qn->nchildren; c++) {
            size_t j = qn->children[c];
            double x = s[j];
            if (isnan(x))
                continue;
            double wj = w[j] / wsum;
            acc += wj * x;
            if (d) {
                d->weight[u * N + j] = wj;
                d->contrib[u * N + j] = wj * x;
            }
        }
        s[q] = acc;
    }
    if (d && d->status[u * N + q] == EGDI_NODE_NA)
        d->status[u * N + q] = EGDI_NODE_SCORED;
    return EGDI_OK;
}

/* Coverage of unit u of kind slot k (0 departments, else the department
 * mask as for any other kind) from its own leaves (step 3). */
static double own_coverage(const egdi_score_plan *p, size_t u, int k, const double *eff)
{
    size_t N = p->N;
    const double *raw = p->in->raw;
    int a = k == 1 ? 1 : 0;
    double all = 0, got = 0;
    for (size_t li = 0; li < p->nleaves; li++) {
        size_t j = p->leaves[li];
        if (!p->app[2 * j + (size_t)a])
            continue;
        double w = eff[j];
        all += w;
        if (p->shadow[u * N + j] || !isnan(raw[u * N + j]))
            got += w;
    }
    return all > 0 ? got / all : 0.0;
}

egdi_status egdi_score_plan_eval(const egdi_score_plan *p, const egdi_score_variant *v,
                                 egdi_score_ws *ws, const egdi_score_outcome *out,
                                 egdi_score_result *d, egdi_error *err)
{
    const egdi_model *m = p->m;
    const egdi_score_input *in = p->in;
    size_t N = p->N, U = p->U, ns = p->nsub;
    int agg = v && v->aggregation >= 0 ? v->aggregation : (int)m->aggregation;
    int miss = v && v->missing >= 0 ? v->missing : (int)m->missing;
    const double *raw = v && v->raw ? v->raw : in->raw;
    egdi_status st = EGDI_OK;

    /* weights within the parent, and the effective weights coverage uses */
    for (size_t j = 0; j < N; j++) {
        ws->w[j] = v && v->weight ? v->weight[j] : m->nodes[j].weight;
        ws->eff[j] = m->nodes[j].eff_weight;
    }
    if (v && v->weight)
        for (size_t j = 0; j < N; j++) {
            double ew = 1.0;
            for (long k = (long)j; k >= 0 && m->nodes[k].parent_idx >= 0;
                 k = m->nodes[k].parent_idx)
                ew *= isnan(ws->w[k]) ? 0.0 : ws->w[k];
            ws->eff[j] = ew;
        }
    /* 1. each leaf's scores under its rule */
    for (size_t li = 0; li < p->nleaves; li++) {
        size_t j = p->leaves[li];
        size_t a = v && v->alt ? v->alt[j] : 0;
        if (a >= p->nrules[j])
            return egdi_error_set(err, EGDI_ERR_ARG, "indicator %s has no rule number %zu",
                                  m->nodes[j].code, a);
        if (!(v && v->raw)) {
            ws->leafcol[j] = p->col[j * MAXA + a];
            ws->leaffill[j] = &p->fill[(j * MAXA + a) * 4];
            continue;
        }
        if ((st = ws_own(p, ws, err)))
            return st;
        double *col = ws->own + li * U, *fill = ws->ownfill + li * 4;
        for (size_t u = 0; u < U; u++)
            col[u] = NAN;
        for (int kk = 0; kk < 2; kk++) {
            fill[2 * kk] = fill[2 * kk + 1] = NAN;
            if (p->app[2 * j + (size_t)kk] &&
                (st = score_leaf(p, j, p->rules[j * MAXA + a], kk, raw, col, &fill[2 * kk],
                                 &ws->b, err)))
                return st;
        }
        ws->leafcol[j] = col;
        ws->leaffill[j] = fill;
    }

    double *s = ws->s;
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < p->nbyk[k]; i++) {
            size_t u = p->byk[k][i];
            for (size_t j = 0; j < N; j++)
                s[j] = NAN;
            double cov = own_coverage(p, u, k, ws->eff);
            if (k == 2) { /* neither kind: scored by nothing */
                ws->cov[u] = cov;
                out->egdi[u] = NAN;
                out->rankable[u] = false;
                out->stage[u] = -1;
                if (out->coverage)
                    out->coverage[u] = cov;
                if (d)
                    d->coverage[u] = cov;
                continue;
            }
            /* 2. leaves, missing values by the policy */
            for (size_t li = 0; li < p->nleaves; li++) {
                size_t j = p->leaves[li];
                if (!p->app[2 * j + (size_t)k] || p->shadow[u * N + j])
                    continue;
                double x = ws->leafcol[j][u];
                unsigned char how = EGDI_NODE_SCORED;
                if (isnan(x)) {
                    how = EGDI_NODE_MISSING;
                    if (miss == EGDI_MISSING_ZERO) {
                        x = 0;
                        how = EGDI_NODE_IMPUTED;
                    } else if (miss == EGDI_MISSING_MEAN || miss == EGDI_MISSING_MEDIAN) {
                        double f = ws->leaffill[j][2 * k +
                                                   (miss == EGDI_MISSING_MEAN ? FILL_MEAN
                                                                              : FILL_MEDIAN)];
                        if (!isnan(f)) {
                            x = f;
                            how = EGDI_NODE_IMPUTED;
                        }
                    }
                }
                s[j] = x;
                if (d)
                    d->status[u * N + j] = how;
            }
            /* 3. a region's coverage blends with its departments' */
            if (k == 1 && p->reg_off[u + 1] > p->reg_off[u]) {
                double cs = 0;
                for (size_t x = p->reg_off[u]; x < p->reg_off[u + 1]; x++)
                    cs += ws->cov[p->reg_dep[x]];
                double nd = (double)(p->reg_off[u + 1] - p->reg_off[u]);
                cov = m->region_share * (cs / nd) + (1.0 - m->region_share) * cov;
            }
            ws->cov[u] = cov;
            /* 4-5. inner nodes, deepest first */
            for (size_t o = 0; o < p->ninner; o++) {
                size_t q = p->inner[o];
                if (!p->app[2 * q + (size_t)k] || p->shadow[u * N + q])
                    continue;
                double given = raw[u * N + q];
                if (!isnan(given)) {
                    s[q] = given;
                    if (d)
                        d->status[u * N + q] = EGDI_NODE_GIVEN;
                } else if ((st = aggregate(p, u, q, ws->w, agg, s, d, err))) {
                    return st;
                }
                if (k != 1 || m->nodes[q].parent_idx != (long)m->root)
                    continue;
                /* a region's sub-index: blend with its departments */
                double own = s[q], ds = 0, dw = 0;
                size_t c = (size_t)p->subpos[q];
                for (size_t x = p->reg_off[u]; x < p->reg_off[u + 1]; x++) {
                    size_t dd = p->reg_dep[x];
                    double sd = ws->sub[dd * ns + c];
                    double wd = m->region_method == EGDI_REGION_WEIGHTED
                                    ? in->units[dd].region_weight
                                    : 1.0;
                    if (isnan(sd) || isnan(wd))
                        continue;
                    ds += wd * sd;
                    dw += wd;
                }
                double dept = dw > 0 ? ds / dw : NAN;
                if (d) {
                    d->dept_part[u * N + q] = dept;
                    d->own_part[u * N + q] = own;
                }
                if (!isnan(dept) && !isnan(own))
                    s[q] = m->region_share * dept + (1.0 - m->region_share) * own;
                else if (!isnan(dept))
                    s[q] = dept;
                if (d && !isnan(s[q]) && d->status[u * N + q] == EGDI_NODE_NA)
                    d->status[u * N + q] = EGDI_NODE_SCORED;
            }
            for (size_t c = 0; c < ns; c++)
                ws->sub[u * ns + c] = s[m->nodes[m->root].children[c]];
            /* 6. EGDI, stage, rankable */
            double e = s[m->root];
            out->egdi[u] = e;
            out->stage[u] = egdi_model_stage(m, e);
            out->rankable[u] = !isnan(e) && cov + 1e-12 >= m->min_coverage;
            if (out->coverage)
                out->coverage[u] = cov;
            if (d) {
                d->coverage[u] = cov;
                memcpy(d->score + u * N, s, N * sizeof *s);
            }
        }
    }
    return EGDI_OK;
}

egdi_status egdi_score_run(const egdi_model *m, const egdi_score_input *in,
                           egdi_score_result **out, egdi_error *err)
{
    *out = NULL;
    egdi_score_plan *p = NULL;
    egdi_score_ws *ws = NULL;
    egdi_score_result *r = NULL;
    egdi_status st;
    if ((st = egdi_score_plan_new(m, in, NULL, &p, err)) || (st = egdi_score_ws_new(p, &ws, err)) ||
        (st = egdi_score_result_new(&r, in->nunits, m->nnodes, err)))
        goto fail;
    egdi_score_outcome o = {r->egdi, r->rankable, r->stage, NULL};
    if ((st = egdi_score_plan_eval(p, NULL, ws, &o, r, err)) ||
        (st = egdi_score_classes(m, in, r, err)))
        goto fail;
    *out = r;
    r = NULL;
fail:
    egdi_score_result_free(r);
    egdi_score_ws_free(ws);
    egdi_score_plan_free(p);
    return st;
}
egdi_status egdi_score_classes(const egdi_model *m, const egdi_score_input *in,
                               egdi_score_result *r, egdi_error *err)
{
    static const egdi_unit_kind kinds[2] = {EGDI_UNIT_DEPARTMENT, EGDI_UNIT_REGION};
    size_t U = in->nunits;
    for (size_t u = 0; u < U; u++)
        r->klass[u] = -1;
    if (!m->classes_quartile)
        return EGDI_OK;
    double *tmp = malloc((U ? U : 1) * sizeof *tmp);
    if (!tmp)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    {
        for (int kk = 0; kk < 2; kk++)
            for (size_t s = 0; s < m->nstages; s++) {
                size_t n = 0;
                for (size_t u = 0; u < U; u++)
                    if (in->units[u].kind == kinds[kk] && r->rankable[u] &&
                        r->stage[u] == (long)s)
                        tmp[n++] = r->egdi[u];
                if (n == 0)
                    continue;
                qsort(tmp, n, sizeof *tmp, cmp_double);
                double q1 = quantile7(tmp, n, 0.25), q2 = quantile7(tmp, n, 0.5),
                       q3 = quantile7(tmp, n, 0.75);
                for (size_t u = 0; u < U; u++)
                    if (in->units[u].kind == kinds[kk] && r->rankable[u] &&
                        r->stage[u] == (long)s) {
                        double e = r->egdi[u];
                        r->klass[u] = e >= q3 ? 0 : e >= q2 ? 1 : e >= q1 ? 2 : 3;
                    }
            }
    }
    free(tmp);
    return EGDI_OK;
}

egdi_status egdi_score_input_hash(const egdi_model *m, const egdi_score_input *in,
                                  char hex[65], egdi_error *err)
{
    size_t N = m->nnodes, U = in->nunits;
    size_t cap = 64, len = 0;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
#define PUT(p, n)                                                                                 \
    do {                                                                                          \
        size_t n_ = (n);                                                                          \
        if (len + n_ > cap) {                                                                     \
            while (len + n_ > cap)                                                                \
                cap *= 2;                                                                         \
            unsigned char *nb = realloc(buf, cap);                                                \
            if (!nb) {                                                                            \
                free(buf);                                                                        \
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");                      \
            }                                                                                     \
            buf = nb;                                                                             \
        }                                                                                         \
        memcpy(buf + len, (p), n_);                                                               \
        len += n_;                                                                                \
    } while (0)
    for (size_t u = 0; u < U; u++) {
        const egdi_score_unit *x = &in->units[u];
        PUT(x->id, strlen(x->id) + 1);
        unsigned char k = (unsigned char)x->kind;
        PUT(&k, 1);
        const char *reg = x->region ? x->region : "";
        PUT(reg, strlen(reg) + 1);
        double vals[1];
        for (size_t j = 0; j <= N; j++) {
            vals[0] = j < N ? in->raw[u * N + j] : x->region_weight;
            uint64_t bits;
            memcpy(&bits, vals, 8);
            if (vals[0] != vals[0])
                bits = 0x7ff8000000000000ULL; /* one NaN */
            unsigned char le[8];
            for (int b = 0; b < 8; b++)
                le[b] = (unsigned char)(bits >> (8 * b));
            PUT(le, 8);
        }
    }
#undef PUT
    egdi_sha256_mem(buf, len, hex);
    free(buf);
    return EGDI_OK;
}

const char *egdi_node_status_name(unsigned char status)
{
    switch (status) {
    case EGDI_NODE_SCORED:
        return "scored";
    case EGDI_NODE_GIVEN:
        return "given";
    case EGDI_NODE_IMPUTED:
        return "imputed";
    case EGDI_NODE_MISSING:
        return "missing";
    default:
        return "n/a";
    }
}

/* ---- how each indicator fared ---------------------------------------------- */

void egdi_score_counts(const egdi_model *m, const egdi_score_input *in,
                       const egdi_score_result *r, egdi_score_count *counts)
{
    size_t N = m->nnodes;
    memset(counts, 0, 2 * N * sizeof *counts);
    for (size_t u = 0; u < in->nunits; u++) {
        size_t k = in->units[u].kind == EGDI_UNIT_REGION ? 1 : 0;
        for (size_t j = 0; j < N; j++) {
            if (!egdi_node_is_leaf(&m->nodes[j]))
                continue;
            egdi_score_count *c = &counts[2 * j + k];
            switch (r->status[u * N + j]) {
            case EGDI_NODE_SCORED:
            case EGDI_NODE_GIVEN:
                c->scored++;
                break;
            case EGDI_NODE_MISSING:
                c->missing++;
                break;
            case EGDI_NODE_IMPUTED:
                c->imputed++;
                break;
            default:
                continue; /* does not apply */
            }
            c->units++;
        }
    }
}

size_t egdi_score_warnings(const egdi_model *m, const egdi_score_count *counts,
                           egdi_score_warning *w)
{
    size_t n = 0;
    for (size_t k = 0; k < 2; k++)
        for (size_t j = 0; j < m->nnodes; j++) {
            const egdi_score_count *c = &counts[2 * j + k];
            if (c->units == 0 ||
                !((double)(c->missing + c->imputed) > EGDI_SCORE_MISSING_WARN * (double)c->units))
                continue;
            w[n].node = j;
            w[n].kind = k ? EGDI_UNIT_REGION : EGDI_UNIT_DEPARTMENT;
            w[n].count = *c;
            n++;
        }
    return n;
}

const char *egdi_score_warning_text(const egdi_model *m, const egdi_score_warning *w,
                                    bool english, char *buf, size_t size)
{
    const egdi_node *n = &m->nodes[w->node];
    const egdi_score_count *c = &w->count;
    bool region = w->kind == EGDI_UNIT_REGION;
    const char *what = c->units == 1 ? (region ? "region" : "department")
                                     : (region ? "regions" : "departments");
    const char *how = c->imputed == 0    ? "re-weighted away"
                      : c->missing == 0  ? "imputed by the model's missing policy"
                                         : "re-weighted away or imputed";
    snprintf(buf, size, "%s %s: no value for %zu of %zu %s (%s)", n->code,
             english ? n->name_en : n->name_zh, c->missing + c->imputed, c->units, what, how);
    return buf;
}
