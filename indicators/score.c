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

#include "engine/core/bigmem.h"
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

double egdi_score_quantile7(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

size_t egdi_score_median_best(const double *v, size_t n, size_t stride, double *work,
                              double *med, double *best)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i * stride]))
            work[k++] = v[i * stride];
    *med = *best = NAN;
    if (!k)
        return 0;
    qsort(work, k, sizeof *work, cmp_double);
    *med = egdi_score_quantile7(work, k, 0.5);
    *best = work[k - 1];
    return k;
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
    /* units x nodes arrays in huge pages (14 MB each at 50,000 units) */
    r->score = egdi_bigmem_alloc(cells * sizeof *r->score);
    r->weight = egdi_bigmem_alloc(cells * sizeof *r->weight);
    r->contrib = egdi_bigmem_alloc(cells * sizeof *r->contrib);
    r->status = egdi_bigmem_alloc(cells);
    if (r->status)
        memset(r->status, 0, cells);
    r->dept_part = egdi_bigmem_alloc(cells * sizeof *r->dept_part);
    r->own_part = egdi_bigmem_alloc(cells * sizeof *r->own_part);
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
#define BLOCK 64 /* departments scored together (eval_block): the bits of a mask */
#define CACHE 4  /* patterns of children with a score whose divided weights are kept */
/* The lane loops stay functions of their own: inlined, the compiler loses
 * their restrict pointers and no longer vectorises them. */
#if defined(__GNUC__)
#define LANES __attribute__((noinline))
#else
#define LANES
#endif
/* sum_lanes four lanes an instruction where the processor has AVX2: the
 * same products and sums in the same order, so the same bits (no fused
 * multiply-add: ISO C does not contract a * b + c) */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define SUM_LANES __attribute__((noinline, target_clones("avx2", "default")))
#else
#define SUM_LANES LANES
#endif
enum { FILL_MEAN = 0, FILL_MEDIAN = 1 };
#define NFILL 3 /* the policies that fill a missing score: zero, mean, median */
#define OWN_SLOTS 2 /* columns rescored from a variant's raw values kept per leaf */
#define NEAR_SLOTS 2 /* sets of effective weights whose coverages are kept */

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
    double **colS;           /* N x MAXA: the same in lane form (lane_form) */
    uint64_t **colM;         /* N x MAXA: their masks per block */
    double **colL;           /* N x MAXA: log of colS where there is a score, else 0
                                (for geometric means) */
    size_t UP;               /* U rounded up to whole blocks */
    double *fill;            /* N x MAXA x 2 kinds x 2: the round's mean, median */
    unsigned char *plain;    /* U: a department without a given value (eval's blocks) */
    uint64_t *plainM;        /* UP / BLOCK: the same as masks */
    size_t *miss_off, *miss; /* per unit: the leaves that apply to it without a raw value */
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
 * median of the scores that are there (NaN when none is; the median only
 * with median, else NaN: it takes a sort).
 */
static egdi_status score_leaf(const egdi_score_plan *p, size_t j, egdi_rule r, int kk,
                              const double *raw, double *col, double fill[2], bool median,
                              leaf_bufs *b, egdi_error *err)
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
    if (!median)
        return EGDI_OK;
    qsort(b->tmp, have, sizeof *b->tmp, cmp_double);
    fill[FILL_MEDIAN] = have % 2 ? b->tmp[have / 2]
                                 : (b->tmp[have / 2 - 1] + b->tmp[have / 2]) / 2.0;
    return EGDI_OK;
}

/* A column in lane form: S = the score or 0 where there is none, for U
 * units and 0 up to UP; M per block, bit b set where unit b has a score. */
static void lane_form(const double *col, size_t U, size_t UP, double *S, uint64_t *M)
{
    for (size_t u0 = 0; u0 < UP; u0 += BLOCK) {
        uint64_t mk = 0;
        for (size_t b = 0; b < BLOCK; b++) {
            size_t u = u0 + b;
            double x = u < U ? col[u] : NAN;
            bool has = x == x;
            S[u] = has ? x : 0.0;
            mk |= (uint64_t)has << b;
        }
        M[u0 / BLOCK] = mk;
    }
}

/* The mask of the lanes of S above 0. */
LANES static uint64_t positive_lanes(const double *restrict S)
{
    uint64_t mk = 0;
    for (size_t b = 0; b < BLOCK; b++)
        mk |= (uint64_t)(S[b] > 0) << b;
    return mk;
}

/* L[b] = log(S[b]) in the lanes of mask `in`, 0 in the others. */
static void log_lanes(const double *S, uint64_t in, double *L)
{
    for (size_t b = 0; b < BLOCK; b++)
        L[b] = (in >> b & 1) ? log(S[b]) : 0.0;
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
    for (size_t i = 0; i < p->N * MAXA; i++) {
        if (p->col)
            free(p->col[i]);
        if (p->colS)
            free(p->colS[i]);
        if (p->colM)
            free(p->colM[i]);
        if (p->colL)
            free(p->colL[i]);
    }
    free(p->col);
    free(p->colS);
    free(p->colM);
    free(p->colL);
    free(p->plainM);
    free(p->miss_off);
    free(p->miss);
    free(p->fill);
    free(p->plain);
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
    p->colS = calloc(n1 * MAXA, sizeof *p->colS);
    p->colM = calloc(n1 * MAXA, sizeof *p->colM);
    p->colL = calloc(n1 * MAXA, sizeof *p->colL);
    p->UP = (U + BLOCK - 1) / BLOCK * BLOCK;
    if (p->UP == 0)
        p->UP = BLOCK;
    p->fill = malloc(n1 * MAXA * 4 * sizeof *p->fill);
    p->plain = calloc(u1, 1);
    order = malloc(n1 * sizeof *order);
    if (!p->app || !p->shadow || !p->leaves || !p->inner || !p->byk[0] || !p->byk[1] ||
        !p->byk[2] || !p->reg_off || !p->subpos || !p->nrules || !p->rules || !p->col || !p->colS || !p->colM || !p->colL ||
        !p->fill || !p->plain || !order || !leaf_bufs_alloc(&b, U))
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
    for (size_t u = 0; u < U; u++) {
        bool plain = in->units[u].kind == EGDI_UNIT_DEPARTMENT;
        for (size_t j = 0; j < N && plain; j++)
            plain = egdi_node_is_leaf(&m->nodes[j]) || isnan(in->raw[u * N + j]);
        p->plain[u] = plain;
    }
    p->plainM = calloc(p->UP / BLOCK, sizeof *p->plainM);
    p->miss_off = calloc(U + 1, sizeof *p->miss_off);
    if (!p->plainM || !p->miss_off)
        goto nomem;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t at = 0;
        for (size_t u = 0; u < U; u++) {
            p->miss_off[u] = at;
            int k = kind_slot(in->units[u].kind);
            for (size_t li = 0; li < p->nleaves && k < 2; li++) {
                size_t j = p->leaves[li];
                if (p->app[2 * j + (size_t)k] && !p->shadow[u * N + j] && isnan(in->raw[u * N + j])) {
                    if (pass)
                        p->miss[at] = j;
                    at++;
                }
            }
        }
        p->miss_off[U] = at;
        if (!pass && !(p->miss = malloc((at ? at : 1) * sizeof *p->miss)))
            goto nomem;
    }
    for (size_t u = 0; u < U; u++)
        p->plainM[u / BLOCK] |= (uint64_t)p->plain[u] << (u % BLOCK);
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
                                     &p->fill[((j * MAXA + a) * 2 + (size_t)kk) * 2], true,
                                     &b, err)))
                    goto fail;
            }
            p->colS[j * MAXA + a] = malloc(p->UP * sizeof(double));
            p->colM[j * MAXA + a] = malloc(p->UP / BLOCK * sizeof(uint64_t));
            if (!p->colS[j * MAXA + a] || !p->colM[j * MAXA + a])
                goto nomem;
            lane_form(col, U, p->UP, p->colS[j * MAXA + a], p->colM[j * MAXA + a]);
            double *L = p->colL[j * MAXA + a] = malloc(p->UP * sizeof(double));
            if (!L)
                goto nomem;
            for (size_t u0 = 0; u0 < p->UP; u0 += BLOCK)
                log_lanes(p->colS[j * MAXA + a] + u0, p->colM[j * MAXA + a][u0 / BLOCK], L + u0);
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

bool egdi_score_plan_applies(const egdi_score_plan *p, size_t j, size_t u)
{
    int k = kind_slot(p->in->units[u].kind);
    return k < 2 && p->app[2 * j + (size_t)k] && !p->shadow[u * p->N + j];
}

/* ---- evaluating it --------------------------------------------------------- */

struct egdi_score_ws {
    double *s;      /* N: the current unit's node scores */
    double *w;      /* N: weights within the parent */
    double *eff;    /* N: effective weights (coverage) */
    double *cov;    /* U: every unit's coverage */
    unsigned char *live; /* N: the node can have a score in a department */
    size_t *kids, *kid_off; /* the live children of each live inner node */
    double *kidw, *kidwn; /* N: their weights, and divided by the full sum */
    double *blk;    /* N x BLOCK: the block's scores of inner and filled nodes */
    double *lg;     /* N x BLOCK: their logarithms, for a geometric parent */
    const double **laneS; /* N: where each node's lanes are read from */
    uint64_t *mask; /* N: the lanes where the node has a score */
    double *zero;   /* BLOCK zeros: a node that cannot have a score */
    const double **xs; /* N: lanes handed to sum_lanes */
    const double **ls; /* N: logarithms' lanes handed to sum_lanes (geometric) */
    double *cl;        /* N: their weights */
    size_t *ncache;   /* per inner node: divided weights kept for this evaluation */
    uint64_t *cpat;   /* per inner node x CACHE: the children with a score */
    double *cwsum;    /* per inner node x CACHE: their weights summed */
    double *cdiv;     /* per kid x CACHE: its weight divided by that sum */
    double *sub;    /* U x nsub: every unit's scores of the root's children */
    const double **leafcol; /* N: the column each leaf is read from */
    const double **leafS;   /* N: the same in lane form */
    const uint64_t **leafM; /* N: its mask per block */
    const double **leafL;   /* N: its logarithms in lane form (the plan's), or NULL */
    const double **lgp;     /* N: the block's logarithms of a node, or NULL: not yet */
    const double **lk;      /* N: those of an inner node's children */
    const double **leaffill; /* N: its fills [kind][mean, median] */
    /* the columns rescored from a variant's raw values, OWN_SLOTS per leaf
     * (slot e = leaf li x OWN_SLOTS + s), each with what it was scored from
     * (a variant's raw_id, 0 = nothing kept) */
    double *own;    /* slots x U */
    double *ownS;   /* slots x UP: the same in lane form */
    double *ownL;   /* slots x UP: their logarithms (as the plan's colL), when ownlog */
    uint64_t *ownM; /* slots x UP / BLOCK */
    double *ownfill; /* slots x 4 */
    uint64_t *ownid; /* slots */
    size_t *owna;    /* slots: the rule */
    unsigned char *ownmed, *ownlog; /* slots: with the median fill; with ownL */
    size_t *ownlast; /* nleaves: the slot used last */
    leaf_bufs b;
    /*
     * Kept from one evaluation to the next, each made on first use from the
     * plan's columns (which never change): colP the masks per block of a
     * plan column's lanes above 0 (geometric means check them); fillS,
     * fillL, fillP a plan column's lanes with those of the departments
     * without a value filled by a policy (zero, mean, median: the lanes
     * eval_block would fill, block by block, in every evaluation), their
     * logarithms and masks above 0.
     */
    size_t ncols;     /* N x MAXA */
    uint64_t **colP;  /* N x MAXA */
    double **fillS;   /* N x MAXA x NFILL */
    double **fillL;   /* N x MAXA x NFILL */
    uint64_t **fillP; /* N x MAXA x NFILL */
    /* this evaluation's, per leaf: the plan column's colP, or NULL (a column
     * rescored from a variant's raw values); its filled lanes, or NULL */
    const uint64_t **leafP;
    const double **leafFS, **leafFL;
    const uint64_t **leafFP;
    uint64_t *pos;    /* N: the block's lanes above 0 of a node, where haspos */
    unsigned char *haspos; /* N */
    uint64_t *kpos;   /* N: those of an inner node's children (geometric) */
    /* per set of effective weights (the last NEAR_SLOTS of them), each plain
     * department's coverage from its leaves without a value (near_coverage) */
    double *neareff;  /* NEAR_SLOTS x N: the effective weights */
    double *near;     /* NEAR_SLOTS x U */
    unsigned char nearok[NEAR_SLOTS];
    size_t nearlast;  /* the slot used last */
};

void egdi_score_ws_free(egdi_score_ws *ws)
{
    if (!ws)
        return;
    free(ws->s);
    free(ws->w);
    free(ws->eff);
    free(ws->cov);
    free(ws->live);
    free(ws->kids);
    free(ws->kid_off);
    free(ws->kidw);
    free(ws->kidwn);
    free(ws->blk);
    free(ws->lg);
    free(ws->laneS);
    free(ws->mask);
    free(ws->zero);
    free(ws->xs);
    free(ws->ls);
    free(ws->cl);
    free(ws->ncache);
    free(ws->cpat);
    free(ws->cwsum);
    free(ws->cdiv);
    free(ws->sub);
    free(ws->leafcol);
    free(ws->leafS);
    free(ws->leafM);
    free(ws->leafL);
    free(ws->lgp);
    free(ws->lk);
    free(ws->leaffill);
    free(ws->own);
    free(ws->ownS);
    free(ws->ownM);
    free(ws->ownfill);
    free(ws->ownL);
    free(ws->ownid);
    free(ws->owna);
    free(ws->ownmed);
    free(ws->ownlog);
    free(ws->ownlast);
    leaf_bufs_free(&ws->b);
    for (size_t i = 0; i < ws->ncols; i++) {
        if (ws->colP)
            free(ws->colP[i]);
        for (size_t f = 0; f < NFILL; f++) {
            if (ws->fillS)
                free(ws->fillS[i * NFILL + f]);
            if (ws->fillL)
                free(ws->fillL[i * NFILL + f]);
            if (ws->fillP)
                free(ws->fillP[i * NFILL + f]);
        }
    }
    free(ws->colP);
    free(ws->fillS);
    free(ws->fillL);
    free(ws->fillP);
    free(ws->leafP);
    free(ws->leafFS);
    free(ws->leafFL);
    free(ws->leafFP);
    free(ws->pos);
    free(ws->kpos);
    free(ws->neareff);
    free(ws->near);
    free(ws->haspos);
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
    ws->live = malloc(n1);
    ws->kids = malloc(n1 * sizeof *ws->kids);
    ws->kid_off = malloc((n1 + 1) * sizeof *ws->kid_off);
    ws->kidw = malloc(n1 * sizeof *ws->kidw);
    ws->kidwn = malloc(n1 * sizeof *ws->kidwn);
    ws->blk = malloc(n1 * BLOCK * sizeof *ws->blk);
    ws->lg = malloc(n1 * BLOCK * sizeof *ws->lg);
    ws->laneS = calloc(n1, sizeof *ws->laneS);
    ws->mask = calloc(n1, sizeof *ws->mask);
    ws->zero = calloc(BLOCK, sizeof *ws->zero);
    ws->xs = malloc(n1 * sizeof *ws->xs);
    ws->ls = malloc(n1 * sizeof *ws->ls);
    ws->cl = malloc(n1 * sizeof *ws->cl);
    ws->ncache = calloc(n1, sizeof *ws->ncache);
    ws->cpat = malloc(n1 * CACHE * sizeof *ws->cpat);
    ws->cwsum = malloc(n1 * CACHE * sizeof *ws->cwsum);
    ws->cdiv = malloc(n1 * CACHE * sizeof *ws->cdiv);
    ws->sub = malloc(u1 * s1 * sizeof *ws->sub);
    ws->leafcol = calloc(n1, sizeof *ws->leafcol);
    ws->leafS = calloc(n1, sizeof *ws->leafS);
    ws->leafM = calloc(n1, sizeof *ws->leafM);
    ws->leafL = calloc(n1, sizeof *ws->leafL);
    ws->lgp = calloc(n1, sizeof *ws->lgp);
    ws->lk = calloc(n1, sizeof *ws->lk);
    ws->leaffill = calloc(n1, sizeof *ws->leaffill);
    ws->ncols = n1 * MAXA;
    ws->colP = calloc(ws->ncols, sizeof *ws->colP);
    ws->fillS = calloc(ws->ncols * NFILL, sizeof *ws->fillS);
    ws->fillL = calloc(ws->ncols * NFILL, sizeof *ws->fillL);
    ws->fillP = calloc(ws->ncols * NFILL, sizeof *ws->fillP);
    ws->leafP = calloc(n1, sizeof *ws->leafP);
    ws->leafFS = calloc(n1, sizeof *ws->leafFS);
    ws->leafFL = calloc(n1, sizeof *ws->leafFL);
    ws->leafFP = calloc(n1, sizeof *ws->leafFP);
    ws->pos = calloc(n1, sizeof *ws->pos);
    ws->kpos = calloc(n1, sizeof *ws->kpos);
    ws->neareff = malloc(NEAR_SLOTS * n1 * sizeof *ws->neareff);
    ws->near = malloc(NEAR_SLOTS * u1 * sizeof *ws->near);
    ws->haspos = calloc(n1, 1);
    if (!ws->colP || !ws->fillS || !ws->fillL || !ws->fillP || !ws->leafP || !ws->leafFS ||
        !ws->leafFL || !ws->leafFP || !ws->pos || !ws->kpos || !ws->haspos || !ws->neareff ||
        !ws->near) {
        egdi_score_ws_free(ws);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    if (!ws->s || !ws->w || !ws->eff || !ws->cov || !ws->live || !ws->kids || !ws->kid_off ||
        !ws->kidw || !ws->kidwn || !ws->blk || !ws->lg || !ws->laneS || !ws->mask || !ws->zero || !ws->xs || !ws->ls || !ws->cl ||
        !ws->ncache || !ws->cpat || !ws->cwsum || !ws->cdiv || !ws->sub || !ws->leafcol ||
        !ws->leafS || !ws->leafM || !ws->leafL || !ws->lgp || !ws->lk || !ws->leaffill || (l1 > SIZE_MAX / u1 / sizeof(double))) {
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
    size_t u1 = p->U ? p->U : 1, l1 = p->nleaves ? p->nleaves : 1, e = l1 * OWN_SLOTS;
    ws->own = malloc(e * u1 * sizeof *ws->own);
    ws->ownS = malloc(e * p->UP * sizeof *ws->ownS);
    ws->ownL = malloc(e * p->UP * sizeof *ws->ownL);
    ws->ownM = malloc(e * (p->UP / BLOCK) * sizeof *ws->ownM);
    ws->ownfill = malloc(e * 4 * sizeof *ws->ownfill);
    ws->ownid = calloc(e, sizeof *ws->ownid);
    ws->owna = calloc(e, sizeof *ws->owna);
    ws->ownmed = calloc(e, 1);
    ws->ownlog = calloc(e, 1);
    ws->ownlast = calloc(l1, sizeof *ws->ownlast);
    if (!ws->own || !ws->ownS || !ws->ownL || !ws->ownM || !ws->ownfill || !ws->ownid ||
        !ws->owna || !ws->ownmed || !ws->ownlog || !ws->ownlast ||
        !leaf_bufs_alloc(&ws->b, p->U)) {
        /* all freed: the next call tries again */
        free(ws->own);
        free(ws->ownS);
        free(ws->ownL);
        free(ws->ownM);
        free(ws->ownfill);
        free(ws->ownid);
        free(ws->owna);
        free(ws->ownmed);
        free(ws->ownlog);
        free(ws->ownlast);
        ws->own = ws->ownS = ws->ownL = ws->ownfill = NULL;
        ws->ownM = ws->ownid = NULL;
        ws->owna = ws->ownlast = NULL;
        ws->ownmed = ws->ownlog = NULL;
        leaf_bufs_free(&ws->b);
        memset(&ws->b, 0, sizeof ws->b);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory rescoring %zu units", p->U);
    }
    return EGDI_OK;
}

/* The masks per block of plan column ja's lanes above 0, made on first use. */
static const uint64_t *plan_pos(const egdi_score_plan *p, egdi_score_ws *ws, size_t ja)
{
    if (!ws->colP[ja]) {
        uint64_t *P = malloc(p->UP / BLOCK * sizeof *P);
        if (!P)
            return NULL;
        for (size_t u0 = 0; u0 < p->UP; u0 += BLOCK)
            P[u0 / BLOCK] = positive_lanes(p->colS[ja] + u0);
        ws->colP[ja] = P;
    }
    return ws->colP[ja];
}

/* Plan column ja with its missing lanes filled by policy f (0 zero, 1 mean,
 * 2 median: the value fill), as eval_block fills them: the lanes, their
 * logarithms and masks above 0, made on first use; false on OOM. */
static bool plan_filled(const egdi_score_plan *p, egdi_score_ws *ws, size_t ja, size_t f,
                        double fill)
{
    size_t e = ja * NFILL + f;
    if (ws->fillS[e])
        return true;
    double *S = malloc(p->UP * sizeof *S), *L = malloc(p->UP * sizeof *L);
    uint64_t *P = malloc(p->UP / BLOCK * sizeof *P);
    if (!S || !L || !P) {
        free(S);
        free(L);
        free(P);
        return false;
    }
    const double *S0 = p->colS[ja], *L0 = p->colL[ja];
    double lf = log(fill);
    for (size_t u0 = 0; u0 < p->UP; u0 += BLOCK) {
        uint64_t mj = p->colM[ja][u0 / BLOCK];
        for (size_t b = 0; b < BLOCK; b++) {
            S[u0 + b] = (mj >> b & 1) ? S0[u0 + b] : fill;
            L[u0 + b] = (mj >> b & 1) ? L0[u0 + b] : lf;
        }
        P[u0 / BLOCK] = positive_lanes(S + u0);
    }
    ws->fillS[e] = S;
    ws->fillL[e] = L;
    ws->fillP[e] = P;
    return true;
}

/* Inner node q of unit u from its children's scores s[] (step 4). */
static egdi_status aggregate(const egdi_score_plan *p, size_t u, int k, size_t q,
                             const double *w, int agg, int miss, double *s,
                             egdi_score_result *d, egdi_error *err)
{
    const egdi_model *m = p->m;
    size_t N = p->N;
    const egdi_node *qn = &m->nodes[q];
    double wsum = 0;
    for (size_t c = 0; c < qn->nchildren; c++) {
        size_t j = qn->children[c];
        if (!isnan(s[j]))
            wsum += w[j];
        else if (miss == EGDI_MISSING_NONE && p->app[2 * j + (size_t)k]) {
            if (d)
                d->status[u * N + q] = EGDI_NODE_MISSING;
            return EGDI_OK; /* a child missing: no score */
        }
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

/*
 * Departments without a given value are scored BLOCK at a time, node by
 * node: a node's scores are a row of BLOCK lanes (0 where it has none) and
 * a mask of the lanes where it has one.  The arithmetic runs across the
 * lanes, so the compiler can vectorise it, and gives the same bits as the
 * steps for one unit: a parent of children that all have a score sums
 * w / wsum x with each w / wsum divided once per evaluation (a child
 * without a score adds an exact +0 there, and such lanes are then redone);
 * a lane where a child has none takes the sums of aggregate(), in the same
 * order, with the divisions kept per pattern of children that have one.
 */
static void prepare_blocks(const egdi_score_plan *p, egdi_score_ws *ws)
{
    const egdi_model *m = p->m;
    for (size_t li = 0; li < p->nleaves; li++) {
        size_t j = p->leaves[li];
        ws->live[j] = p->app[2 * j];
    }
    size_t nk = 0;
    for (size_t o = 0; o < p->ninner; o++) {
        size_t q = p->inner[o];
        const egdi_node *qn = &m->nodes[q];
        double wsum = 0;
        ws->kid_off[o] = nk;
        ws->ncache[o] = 0;
        for (size_t c = 0; c < qn->nchildren; c++) {
            size_t j = qn->children[c];
            if (ws->live[j]) {
                wsum += ws->w[j];
                ws->kids[nk++] = j;
            }
        }
        for (size_t k = ws->kid_off[o]; k < nk; k++) {
            ws->kidw[k] = ws->w[ws->kids[k]];
            ws->kidwn[k] = ws->w[ws->kids[k]] / wsum;
        }
        ws->live[q] = p->app[2 * q] && wsum > 0;
    }
    ws->kid_off[p->ninner] = nk;
}

/*
 * out[b] = c[0] X[0][b] + c[1] X[1][b] + ..., summed from 0 in that order,
 * for every lane, sixteen lanes at a time in registers.
 */
SUM_LANES static void sum_lanes(size_t nk, const double *const *X, const double *c,
                                double *restrict out)
{
    for (size_t b0 = 0; b0 < BLOCK; b0 += 16) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        double a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0;
        for (size_t k = 0; k < nk; k++) {
            const double *x = X[k] + b0;
            double ck = c[k];
            a0 += ck * x[0];
            a1 += ck * x[1];
            a2 += ck * x[2];
            a3 += ck * x[3];
            a4 += ck * x[4];
            a5 += ck * x[5];
            a6 += ck * x[6];
            a7 += ck * x[7];
            a8 += ck * x[8];
            a9 += ck * x[9];
            a10 += ck * x[10];
            a11 += ck * x[11];
            a12 += ck * x[12];
            a13 += ck * x[13];
            a14 += ck * x[14];
            a15 += ck * x[15];
        }
        double *o = out + b0;
        o[0] = a0;
        o[1] = a1;
        o[2] = a2;
        o[3] = a3;
        o[4] = a4;
        o[5] = a5;
        o[6] = a6;
        o[7] = a7;
        o[8] = a8;
        o[9] = a9;
        o[10] = a10;
        o[11] = a11;
        o[12] = a12;
        o[13] = a13;
        o[14] = a14;
        o[15] = a15;
    }
}

/* The lowest set bit's position (x != 0). */
static unsigned low_bit(uint64_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned b = 0;
    while (!(x & 1)) {
        x >>= 1;
        b++;
    }
    return b;
#endif
}

/* The weights of inner node o's children with a score in pattern pat
 * (bit k = child k), divided by their sum (*wsum), kept per evaluation. */
static const double *divided(egdi_score_ws *ws, size_t o, uint64_t pat, double *wsum)
{
    size_t k0 = ws->kid_off[o], nk = ws->kid_off[o + 1] - k0;
    size_t n = ws->ncache[o];
    for (size_t e = 0; e < n; e++)
        if (ws->cpat[o * CACHE + e] == pat) {
            *wsum = ws->cwsum[o * CACHE + e];
            return ws->cdiv + k0 * CACHE + e * nk;
        }
    size_t e = n < CACHE ? n : CACHE - 1; /* full: the last slot is rewritten */
    double s = 0;
    for (size_t k = 0; k < nk; k++)
        if (pat >> k & 1)
            s += ws->kidw[k0 + k];
    double *d = ws->cdiv + k0 * CACHE + e * nk;
    for (size_t k = 0; k < nk; k++)
        d[k] = (pat >> k & 1) ? ws->kidw[k0 + k] / s : 0.0;
    ws->cpat[o * CACHE + e] = pat;
    ws->cwsum[o * CACHE + e] = s;
    if (n < CACHE)
        ws->ncache[o] = n + 1;
    *wsum = s;
    return d;
}


/* 1 - (the effective weights of its leaves without a value) / all of each
 * plain department (the coverage eval_block takes when it is far from the
 * threshold), for the workspace's effective weights eff: kept for the last
 * NEAR_SLOTS sets of them (a row of a Sobol design scores two). */
static const double *near_coverage(const egdi_score_plan *p, egdi_score_ws *ws, double all)
{
    size_t N = p->N, U = p->U;
    for (size_t sl = 0; sl < NEAR_SLOTS; sl++)
        if (ws->nearok[sl] && memcmp(ws->neareff + sl * N, ws->eff, N * sizeof *ws->eff) == 0) {
            ws->nearlast = sl;
            return ws->near + sl * U;
        }
    size_t sl = (ws->nearlast + 1) % NEAR_SLOTS;
    double *nv = ws->near + sl * U;
    for (size_t u = 0; u < U; u++) {
        if (!p->plain[u])
            continue;
        double gone = 0;
        for (size_t x = p->miss_off[u]; x < p->miss_off[u + 1]; x++)
            gone += ws->eff[p->miss[x]];
        nv[u] = all > 0 ? 1.0 - gone / all : 0.0;
    }
    memcpy(ws->neareff + sl * N, ws->eff, N * sizeof *ws->eff);
    ws->nearok[sl] = 1;
    ws->nearlast = sl;
    return nv;
}

/*
 * Steps 2-6 for the departments without a given value among units
 * u0 .. u0 + BLOCK - 1 (see above).  The other lanes are computed and not
 * written out.  A geometric mean sums w / wsum log x in the lanes as
 * aggregate() does (a child of weight 0 left out) and takes exp of the sum;
 * a score not above 0 that would enter one returns false: the caller then
 * scores every unit the slow way, which names it.
 */
static bool eval_block(const egdi_score_plan *p, egdi_score_ws *ws, size_t u0, int agg,
                       int miss, double all, const double *near_cov,
                       const egdi_score_outcome *out)
{
    bool geo = agg == EGDI_AGG_GEOMETRIC;
    const egdi_model *m = p->m;
    const unsigned char *live = ws->live;
    size_t blk = u0 / BLOCK, n = p->U - u0 < BLOCK ? p->U - u0 : BLOCK;
    uint64_t valid = n == BLOCK ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
    uint64_t plain = p->plainM[blk] & valid, rawmiss = 0;
    for (size_t li = 0; li < p->nleaves; li++) {
        size_t j = p->leaves[li];
        ws->lgp[j] = NULL;
        ws->haspos[j] = 0;
        if (!live[j]) {
            ws->laneS[j] = ws->zero;
            ws->mask[j] = 0;
            continue;
        }
        const double *S0 = ws->leafS[j] + u0;
        uint64_t mj = ws->leafM[j][blk];
        rawmiss |= ~mj;
        if (ws->leafFS[j]) { /* filled once for the workspace */
            ws->laneS[j] = ws->leafFS[j] + u0;
            ws->mask[j] = ~UINT64_C(0);
            if (geo) {
                ws->lgp[j] = ws->leafFL[j] + u0;
                ws->pos[j] = ws->leafFP[j][blk];
                ws->haspos[j] = 1;
            }
            continue;
        }
        const double *L0 = geo && ws->leafL[j] ? ws->leafL[j] + u0 : NULL;
        ws->lgp[j] = L0;
        if (geo && ws->leafP[j]) {
            ws->pos[j] = ws->leafP[j][blk];
            ws->haspos[j] = 1;
        }
        double fill = miss == EGDI_MISSING_ZERO     ? 0.0
                      : miss == EGDI_MISSING_MEAN   ? ws->leaffill[j][FILL_MEAN]
                      : miss == EGDI_MISSING_MEDIAN ? ws->leaffill[j][FILL_MEDIAN]
                                                    : NAN;
        ws->laneS[j] = S0;
        ws->mask[j] = mj;
        if (fill != fill || mj == ~UINT64_C(0))
            continue;
        double *S = ws->blk + j * BLOCK;
        for (size_t b = 0; b < BLOCK; b++)
            S[b] = (mj >> b & 1) ? S0[b] : fill;
        if (L0) {
            double *L = ws->lg + j * BLOCK, lf = log(fill);
            for (size_t b = 0; b < BLOCK; b++)
                L[b] = (mj >> b & 1) ? L0[b] : lf;
            ws->lgp[j] = L;
        }
        ws->laneS[j] = S;
        ws->mask[j] = ~UINT64_C(0);
        ws->haspos[j] = 0;
    }
    rawmiss &= plain;
    for (size_t o = 0; o < p->ninner; o++) {
        size_t q = p->inner[o];
        ws->haspos[q] = 0;
        if (!live[q]) {
            ws->laneS[q] = ws->zero;
            ws->mask[q] = 0;
            continue;
        }
        double *Q = ws->blk + q * BLOCK;
        size_t k0 = ws->kid_off[o], nk = ws->kid_off[o + 1] - k0;
        uint64_t need = 0;
        for (size_t k = 0; k < nk; k++) {
            size_t j = ws->kids[k0 + k];
            ws->xs[k] = ws->laneS[j];
            need |= ~ws->mask[j];
        }
        uint64_t qm = ~UINT64_C(0);
        if (geo) {
            if (nk > 64)
                return false;
            /* the children's logarithms, and the lanes where all have a score */
            size_t nc = 0;
            for (size_t k = 0; k < nk; k++) {
                size_t j = ws->kids[k0 + k];
                uint64_t in = ws->mask[j] & plain;
                const double *L = ws->lgp[j];
                if (!L) {
                    log_lanes(ws->xs[k], in, ws->lg + j * BLOCK);
                    L = ws->lg + j * BLOCK;
                }
                ws->lk[k] = L;
                uint64_t pk = ws->haspos[j] ? ws->pos[j] : positive_lanes(ws->xs[k]);
                ws->kpos[k] = pk;
                double c = ws->kidwn[k0 + k];
                if (c == 0)
                    continue;
                if (in & ~need & ~pk)
                    return false;
                ws->cl[nc] = c;
                ws->ls[nc++] = L;
            }
            sum_lanes(nc, ws->ls, ws->cl, Q);
            uint64_t qpos = 0; /* the plain lanes above 0 */
            for (uint64_t t = plain & ~need; t; t &= t - 1) {
                unsigned b = low_bit(t);
                Q[b] = exp(Q[b]);
                qpos |= (uint64_t)(Q[b] > 0) << b;
            }
            for (need &= plain; need; need &= need - 1) {
                unsigned b = low_bit(need);
                double a = 0, wsum = 0;
                uint64_t pat = 0;
                for (size_t k = 0; k < nk; k++)
                    pat |= (uint64_t)(ws->mask[ws->kids[k0 + k]] >> b & 1) << k;
                const double *dv = divided(ws, o, pat, &wsum);
                if (!(wsum > 0)) {
                    Q[b] = 0;
                    qm &= ~(UINT64_C(1) << b);
                    continue;
                }
                for (size_t k = 0; k < nk; k++) {
                    if (!(pat >> k & 1) || dv[k] == 0)
                        continue;
                    if (!(ws->kpos[k] >> b & 1)) /* xs[k][b] not above 0 */
                        return false;
                    a += dv[k] * ws->lk[k][b];
                }
                Q[b] = exp(a);
                qpos |= (uint64_t)(Q[b] > 0) << b;
            }
            ws->laneS[q] = Q;
            ws->mask[q] = qm;
            ws->lgp[q] = NULL;
            ws->pos[q] = qpos;
            ws->haspos[q] = 1;
            continue;
        }
        sum_lanes(nk, ws->xs, ws->kidwn + k0, Q);
        for (need &= plain; need; need &= need - 1) {
            unsigned b = low_bit(need);
            double a = 0, wsum = 0;
            if (nk <= 64) {
                uint64_t pat = 0;
                for (size_t k = 0; k < nk; k++)
                    pat |= (uint64_t)(ws->mask[ws->kids[k0 + k]] >> b & 1) << k;
                const double *d = divided(ws, o, pat, &wsum);
                for (size_t k = 0; k < nk; k++)
                    if (pat >> k & 1)
                        a += d[k] * ws->xs[k][b];
            } else {
                for (size_t k = 0; k < nk; k++)
                    if (ws->mask[ws->kids[k0 + k]] >> b & 1)
                        wsum += ws->kidw[k0 + k];
                for (size_t k = 0; k < nk; k++)
                    if (ws->mask[ws->kids[k0 + k]] >> b & 1)
                        a += ws->kidw[k0 + k] / wsum * ws->xs[k][b];
            }
            if (!(wsum > 0)) {
                Q[b] = 0;
                qm &= ~(UINT64_C(1) << b);
                continue;
            }
            Q[b] = a;
        }
        ws->laneS[q] = Q;
        ws->mask[q] = qm;
    }
    size_t ns = p->nsub, root = m->root;
    const double *RS = ws->laneS[root];
    uint64_t RM = ws->mask[root];
    for (uint64_t left = plain; left; left &= left - 1) {
        unsigned b = low_bit(left);
        size_t u = u0 + b;
        if (p->nbyk[1])
            for (size_t c = 0; c < ns; c++) {
                size_t j = m->nodes[root].children[c];
                ws->sub[u * ns + c] = (ws->mask[j] >> b & 1) ? ws->laneS[j][b] : NAN;
            }
        double cov = all > 0 ? 1.0 : 0.0;
        bool rankable = true;
        if (rawmiss >> b & 1) {
            /* a leaf without a value: the coverage is the sum over the leaves
             * with one, in their order; without an output of coverages, a
             * rankable decision far from the threshold is taken from the
             * missing leaves alone (within a few ulps of the sum) */
            double near = near_cov[u];
            if (!out->coverage && fabs(near + 1e-12 - m->min_coverage) > 1e-9) {
                cov = near;
                rankable = near + 1e-12 >= m->min_coverage;
            } else {
                double got = 0;
                for (size_t li = 0; li < p->nleaves; li++) {
                    size_t j = p->leaves[li];
                    if (live[j] && (ws->leafM[j][blk] >> b & 1))
                        got += ws->eff[j];
                }
                cov = all > 0 ? got / all : 0.0;
                rankable = cov + 1e-12 >= m->min_coverage;
            }
        } else {
            rankable = cov + 1e-12 >= m->min_coverage;
        }
        double e = (RM >> b & 1) ? RS[b] : NAN;
        ws->cov[u] = cov;
        out->egdi[u] = e;
        out->stage[u] = egdi_model_stage(m, e);
        out->rankable[u] = !isnan(e) && rankable;
        if (out->coverage)
            out->coverage[u] = cov;
    }
    return true;
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
    /*
     * A complete department (every leaf that applies has a value, nothing
     * given) has a score at every node that applies and aggregates some
     * weight: the same sums in the same order as aggregate(), with each
     * w / wsum divided once here instead of once per unit (eval_block).
     */
    bool fast = !d && (agg == EGDI_AGG_ARITHMETIC || agg == EGDI_AGG_GEOMETRIC) &&
                miss != EGDI_MISSING_NONE;
    /* the policy that fills a missing score in the blocks: 0 zero, 1 mean,
     * 2 median, -1 none */
    int fillby = !fast                      ? -1
                 : miss == EGDI_MISSING_ZERO ? 0
                 : miss == EGDI_MISSING_MEAN ? 1
                 : miss == EGDI_MISSING_MEDIAN ? 2
                                             : -1;
    /* 1. each leaf's scores under its rule */
    for (size_t li = 0; li < p->nleaves; li++) {
        size_t j = p->leaves[li];
        size_t a = v && v->alt ? v->alt[j] : 0;
        if (a >= p->nrules[j])
            return egdi_error_set(err, EGDI_ERR_ARG, "indicator %s has no rule number %zu",
                                  m->nodes[j].code, a);
        ws->leafP[j] = NULL;
        ws->leafFS[j] = ws->leafFL[j] = NULL;
        ws->leafFP[j] = NULL;
        if (!(v && v->raw) || (v->drawn && !v->drawn[j])) {
            size_t ja = j * MAXA + a;
            ws->leafcol[j] = p->col[ja];
            ws->leafS[j] = p->colS[ja];
            ws->leafM[j] = p->colM[ja];
            ws->leafL[j] = p->colL[ja];
            ws->leaffill[j] = &p->fill[ja * 4];
            if (fast && agg == EGDI_AGG_GEOMETRIC && !(ws->leafP[j] = plan_pos(p, ws, ja)))
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            double fill = fillby == 0   ? 0.0
                          : fillby == 1 ? ws->leaffill[j][FILL_MEAN]
                          : fillby == 2 ? ws->leaffill[j][FILL_MEDIAN]
                                        : NAN;
            if (fill == fill) {
                if (!plan_filled(p, ws, ja, (size_t)fillby, fill))
                    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                ws->leafFS[j] = ws->fillS[ja * NFILL + (size_t)fillby];
                ws->leafFL[j] = ws->fillL[ja * NFILL + (size_t)fillby];
                ws->leafFP[j] = ws->fillP[ja * NFILL + (size_t)fillby];
            }
            continue;
        }
        if ((st = ws_own(p, ws, err)))
            return st;
        /* rescored from these raw values under this rule already? */
        bool med = miss == EGDI_MISSING_MEDIAN;
        size_t e = li * OWN_SLOTS, sl = 0;
        while (sl < OWN_SLOTS && !(v->raw_id && ws->ownid[e + sl] == v->raw_id &&
                                   ws->owna[e + sl] == a && (ws->ownmed[e + sl] || !med)))
            sl++;
        if (sl == OWN_SLOTS) { /* no: into the slot not used last */
            sl = (ws->ownlast[li] + 1) % OWN_SLOTS;
            e += sl;
            ws->ownid[e] = 0;
            double *col = ws->own + e * U, *fill = ws->ownfill + e * 4;
            for (size_t u = 0; u < U; u++)
                col[u] = NAN;
            for (int kk = 0; kk < 2; kk++) {
                fill[2 * kk] = fill[2 * kk + 1] = NAN;
                if (p->app[2 * j + (size_t)kk] &&
                    (st = score_leaf(p, j, p->rules[j * MAXA + a], kk, raw, col, &fill[2 * kk],
                                     med, &ws->b, err)))
                    return st;
            }
            lane_form(col, U, p->UP, ws->ownS + e * p->UP, ws->ownM + e * (p->UP / BLOCK));
            ws->ownid[e] = v->raw_id;
            ws->owna[e] = a;
            ws->ownmed[e] = med;
            ws->ownlog[e] = 0;
        } else {
            e += sl;
        }
        ws->ownlast[li] = sl;
        if (fast && agg == EGDI_AGG_GEOMETRIC && !ws->ownlog[e]) {
            for (size_t u0 = 0; u0 < p->UP; u0 += BLOCK)
                log_lanes(ws->ownS + e * p->UP + u0, ws->ownM[e * (p->UP / BLOCK) + u0 / BLOCK],
                          ws->ownL + e * p->UP + u0);
            ws->ownlog[e] = 1;
        }
        ws->leafcol[j] = ws->own + e * U;
        ws->leafS[j] = ws->ownS + e * p->UP;
        ws->leafM[j] = ws->ownM + e * (p->UP / BLOCK);
        ws->leafL[j] = ws->ownlog[e] ? ws->ownL + e * p->UP : NULL;
        ws->leaffill[j] = ws->ownfill + e * 4;
    }

    if (fast) {
        prepare_blocks(p, ws);
        double all = 0;
        for (size_t li = 0; li < p->nleaves; li++)
            if (p->app[2 * p->leaves[li]])
                all += ws->eff[p->leaves[li]];
        const double *near = near_coverage(p, ws, all);
        for (size_t u0 = 0; u0 < p->U; u0 += BLOCK)
            if (p->plainM[u0 / BLOCK] && !eval_block(p, ws, u0, agg, miss, all, near, out)) {
                fast = false; /* a score not above 0 in a geometric mean */
                break;
            }
    }

    double *s = ws->s;
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < p->nbyk[k]; i++) {
            size_t u = p->byk[k][i];
            if (fast && k == 0 && p->plain[u])
                continue;
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
                } else if ((st = aggregate(p, u, k, q, ws->w, agg, miss, s, d, err))) {
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
                double q1 = egdi_score_quantile7(tmp, n, 0.25), q2 = egdi_score_quantile7(tmp, n, 0.5),
                       q3 = egdi_score_quantile7(tmp, n, 0.75);
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
