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

/* Aggregates inner node p of unit u from its children's scores. */
static egdi_status aggregate(const egdi_model *m, const egdi_score_input *in,
                             egdi_score_result *r, size_t u, size_t p, egdi_error *err)
{
    size_t N = m->nnodes;
    const egdi_node *pn = &m->nodes[p];
    double wsum = 0;
    for (size_t c = 0; c < pn->nchildren; c++) {
        size_t j = pn->children[c];
        if (!isnan(r->score[u * N + j]))
            wsum += m->nodes[j].weight;
        else if (m->missing == EGDI_MISSING_NONE && r->status[u * N + j] != EGDI_NODE_NA) {
            r->status[u * N + p] = EGDI_NODE_MISSING;
            return EGDI_OK; /* a child missing: no score */
        }
    }
    if (!(wsum > 0))
        return EGDI_OK; /* nothing to aggregate: stays NaN */
    double acc = 0;
    for (size_t c = 0; c < pn->nchildren; c++) {
        size_t j = pn->children[c];
        double s = r->score[u * N + j];
        if (isnan(s))
            continue;
        double w = m->nodes[j].weight / wsum;
        r->weight[u * N + j] = w;
        if (m->aggregation == EGDI_AGG_GEOMETRIC) {
            if (!(s > 0))
                return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                      "unit %s, indicator %s: score %g cannot enter a geometric "
                                      "mean (it needs scores above 0)",
                                      in->units[u].id, m->nodes[j].code, s);
            acc += w * log(s);
            r->contrib[u * N + j] = pow(s, w); /* the factor s^w */
        } else {
            acc += w * s;
            r->contrib[u * N + j] = w * s;
        }
    }
    r->score[u * N + p] = m->aggregation == EGDI_AGG_GEOMETRIC ? exp(acc) : acc;
    if (r->status[u * N + p] == EGDI_NODE_NA)
        r->status[u * N + p] = EGDI_NODE_SCORED;
    return EGDI_OK;
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

egdi_status egdi_score_run(const egdi_model *m, const egdi_score_input *in,
                           egdi_score_result **out, egdi_error *err)
{
    *out = NULL;
    size_t U = in->nunits, N = m->nnodes;
    if (N && U > SIZE_MAX / N / sizeof(double))
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many units");
    egdi_score_result *r = NULL;
    double *raw = malloc((U ? U : 1) * sizeof *raw);
    double *sc = malloc((U ? U : 1) * sizeof *sc);
    const char **ids = malloc((U ? U : 1) * sizeof *ids);
    size_t *idx = malloc((U ? U : 1) * sizeof *idx);
    depth_key *order = malloc((N ? N : 1) * sizeof *order);
    double *tmp = malloc((U ? U : 1) * sizeof *tmp);
    egdi_status st = EGDI_OK;
    if (!raw || !sc || !ids || !idx || !order || !tmp || alloc_result(&r, U, N)) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory scoring %zu units", U);
        goto fail;
    }

    /* 1-2. leaves, per kind */
    static const egdi_unit_kind kinds[2] = {EGDI_UNIT_DEPARTMENT, EGDI_UNIT_REGION};
    for (size_t j = 0; j < N; j++) {
        const egdi_node *nd = &m->nodes[j];
        if (!egdi_node_is_leaf(nd))
            continue;
        for (int kk = 0; kk < 2; kk++) {
            egdi_unit_kind kind = kinds[kk];
            if (!applies(m, j, kind))
                continue;
            size_t n = 0;
            for (size_t u = 0; u < U; u++) {
                if (in->units[u].kind != kind || under_given(m, in, u, j))
                    continue;
                idx[n] = u;
                raw[n] = in->raw[u * N + j];
                ids[n] = in->units[u].id;
                n++;
            }
            if (n == 0)
                continue;
            st = egdi_rule_apply(nd, raw, n, ids, sc, err);
            if (st)
                goto fail;
            size_t have = 0;
            for (size_t i = 0; i < n; i++) {
                size_t u = idx[i];
                r->score[u * N + j] = sc[i];
                r->status[u * N + j] = isnan(sc[i]) ? EGDI_NODE_MISSING : EGDI_NODE_SCORED;
                if (!isnan(sc[i]))
                    tmp[have++] = sc[i];
            }
            if (have == n || m->missing == EGDI_MISSING_REWEIGHT || m->missing == EGDI_MISSING_NONE)
                continue;
            double fill = 0;
            if (m->missing == EGDI_MISSING_MEAN || m->missing == EGDI_MISSING_MEDIAN) {
                if (have == 0)
                    continue; /* nobody has it: stays missing */
                if (m->missing == EGDI_MISSING_MEAN) {
                    double s = 0;
                    for (size_t i = 0; i < have; i++)
                        s += tmp[i];
                    fill = s / (double)have;
                } else {
                    qsort(tmp, have, sizeof *tmp, cmp_double);
                    fill = have % 2 ? tmp[have / 2] : (tmp[have / 2 - 1] + tmp[have / 2]) / 2.0;
                }
            }
            for (size_t i = 0; i < n; i++) {
                size_t u = idx[i];
                if (isnan(r->score[u * N + j])) {
                    r->score[u * N + j] = fill;
                    r->status[u * N + j] = EGDI_NODE_IMPUTED;
                }
            }
        }
    }

    /* 3. coverage */
    for (size_t u = 0; u < U; u++) {
        double all = 0, got = 0;
        for (size_t j = 0; j < N; j++) {
            if (!egdi_node_is_leaf(&m->nodes[j]) || !applies(m, j, in->units[u].kind))
                continue;
            double w = m->nodes[j].eff_weight;
            all += w;
            if (under_given(m, in, u, j) || !isnan(in->raw[u * N + j]))
                got += w;
        }
        r->coverage[u] = all > 0 ? got / all : 0.0;
    }
    /* a region with departments: its coverage blends like its sub-indices */
    for (size_t u = 0; u < U; u++) {
        if (in->units[u].kind != EGDI_UNIT_REGION)
            continue;
        double cs = 0;
        size_t nd = 0;
        for (size_t d = 0; d < U; d++)
            if (in->units[d].kind == EGDI_UNIT_DEPARTMENT && in->units[d].region &&
                strcmp(in->units[d].region, in->units[u].id) == 0) {
                cs += r->coverage[d];
                nd++;
            }
        if (nd)
            r->coverage[u] = m->region_share * (cs / (double)nd) +
                             (1.0 - m->region_share) * r->coverage[u];
    }

    /* 4-5. inner nodes, departments before regions */
    for (size_t j = 0; j < N; j++)
        order[j] = (depth_key){m, j};
    qsort(order, N, sizeof *order, cmp_depth);
    for (int kk = 0; kk < 2; kk++) {
        for (size_t u = 0; u < U; u++) {
            const egdi_score_unit *unit = &in->units[u];
            if (unit->kind != kinds[kk])
                continue;
            for (size_t o = 0; o < N; o++) {
                size_t p = order[o].j;
                const egdi_node *pn = &m->nodes[p];
                if (egdi_node_is_leaf(pn) || !applies(m, p, unit->kind) ||
                    under_given(m, in, u, p))
                    continue;
                double given = in->raw[u * N + p];
                if (!isnan(given)) {
                    r->score[u * N + p] = given;
                    r->status[u * N + p] = EGDI_NODE_GIVEN;
                } else {
                    st = aggregate(m, in, r, u, p, err);
                    if (st)
                        goto fail;
                }
                if (unit->kind != EGDI_UNIT_REGION || pn->parent_idx != (long)m->root)
                    continue;
                /* a region's sub-index: blend with its departments */
                double own = r->score[u * N + p], ds = 0, dw = 0;
                for (size_t d = 0; d < U; d++) {
                    const egdi_score_unit *du = &in->units[d];
                    if (du->kind != EGDI_UNIT_DEPARTMENT || !du->region ||
                        strcmp(du->region, unit->id) != 0)
                        continue;
                    double s = r->score[d * N + p];
                    double w = m->region_method == EGDI_REGION_WEIGHTED ? du->region_weight : 1.0;
                    if (isnan(s) || isnan(w))
                        continue;
                    ds += w * s;
                    dw += w;
                }
                double dept = dw > 0 ? ds / dw : NAN;
                r->dept_part[u * N + p] = dept;
                r->own_part[u * N + p] = own;
                if (!isnan(dept) && !isnan(own))
                    r->score[u * N + p] = m->region_share * dept + (1.0 - m->region_share) * own;
                else if (!isnan(dept))
                    r->score[u * N + p] = dept;
                if (!isnan(r->score[u * N + p]) && r->status[u * N + p] == EGDI_NODE_NA)
                    r->status[u * N + p] = EGDI_NODE_SCORED;
            }
        }
    }

    /* 6. EGDI, stage, rankable */
    for (size_t u = 0; u < U; u++) {
        double e = r->score[u * N + m->root];
        r->egdi[u] = e;
        r->stage[u] = egdi_model_stage(m, e);
        r->rankable[u] = !isnan(e) && r->coverage[u] + 1e-12 >= m->min_coverage;
    }
    if ((st = egdi_score_classes(m, in, r, err)))
        goto fail;
    *out = r;
    r = NULL;
fail:
    egdi_score_result_free(r);
    free(raw);
    free(sc);
    free(ids);
    free(idx);
    free(order);
    free(tmp);
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

const char *egdi_score_warning_zh(const egdi_model *m, const egdi_score_warning *w, char *buf,
                                  size_t size)
{
    const egdi_node *n = &m->nodes[w->node];
    const egdi_score_count *c = &w->count;
    const char *what = w->kind == EGDI_UNIT_REGION ? "地区" : "部门";
    const char *how = c->imputed == 0   ? "已重新加权略去"
                      : c->missing == 0 ? "按模型的缺失值规则插补"
                                        : "已重新加权略去或插补";
    snprintf(buf, size, "%s %s：%zu 个%s中 %zu 个没有值（%s）", n->code, n->name_zh, c->units,
             what, c->missing + c->imputed, how);
    return buf;
}
