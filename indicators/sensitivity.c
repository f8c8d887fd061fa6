/*
 * sensitivity.c - Sobol indices (Saltelli's design, Saltelli 2010 and Jansen
 * estimators, bootstrap intervals) for any model of sensitivity.h, the
 * composite indicator as such a model (the uncertainty space of
 * uncertainty.c, scored and ranked), and the leave-one-out table.
 *
 * The run of egdi_sobol_run: the 2k-column design is made first (N rows,
 * one thread), then threads take chunks of CHUNK rows (chunk c to thread
 * c mod T); for each row the model runs on A, B and the d matrices A_B^i,
 * and the chunk's sums per output are kept; the chunks' sums are added in
 * chunk order at the end.  Kept outputs also keep every run's value for
 * the bootstrap.  Everything is freed before returning; the result owns
 * its arrays.
 */
#include "indicators/sensitivity.h"
#include "indicators/score.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "engine/core/cpus.h"
#include "engine/store/score_runs.h"
#include "indicators/ranking.h"
#include "indicators/score_store.h"
#include "indicators/uncertainty_store.h"

#define CHUNK 64
#define MAX_THREADS 64
#define MAX_DESIGN ((size_t)1 << 27) /* design numbers (1 GiB) */

void egdi_sobol_opts_init(egdi_sobol_opts *o)
{
    memset(o, 0, sizeof *o);
    o->base = EGDI_SOBOL_BASE;
    o->seed = 1;
    o->boot = EGDI_SOBOL_BOOT;
    o->conf = 0.95;
}

void egdi_sobol_result_release(egdi_sobol_result *r)
{
    if (!r)
        return;
    free(r->variance);
    free(r->varies);
    free(r->first);
    free(r->total);
    free(r->keep);
    free(r->first_lo);
    free(r->first_hi);
    free(r->total_lo);
    free(r->total_hi);
    memset(r, 0, sizeof *r);
}

typedef struct {
    const egdi_sobol_problem *p;
    size_t k, d, m, N, nchunks, nkeep;
    unsigned nt;
    const double *design; /* N x 2k */
    const size_t *group;  /* k */
    const size_t *keep;
    const egdi_progress *progress; /* told by thread 0 (the caller's) */
    double *sums;         /* nchunks x m x (2 + 2d): s1, s2, f_i..., t_i... */
    double *kept;         /* nkeep x N x (d + 2): f(A), f(B), f(A_B^i)... */
} sobol_job;

typedef struct {
    sobol_job *J;
    unsigned t;
    void *ws;
    double *x, *y;        /* k; (d + 2) x m */
    size_t fail_row;
    egdi_error err;
    bool here;            /* not started: run by thread 0 */
} sobol_worker;

static void *sobol_work(void *arg)
{
    sobol_worker *W = arg;
    sobol_job *J = W->J;
    const egdi_sobol_problem *p = J->p;
    size_t k = J->k, d = J->d, m = J->m, w2 = 2 + 2 * d;
    for (size_t c = W->t; c < J->nchunks && W->fail_row == SIZE_MAX; c += J->nt) {
        double *S = J->sums + c * m * w2;
        memset(S, 0, m * w2 * sizeof *S);
        for (size_t j = c * CHUNK; j < (c + 1) * CHUNK && j < J->N; j++) {
            const double *A = J->design + j * 2 * k, *B = A + k;
            double *y = W->y;
            egdi_error e;
            egdi_error_clear(&e);
            egdi_status st = p->eval(p->ctx, W->ws, A, y, &e);
            if (!st)
                st = p->eval(p->ctx, W->ws, B, y + m, &e);
            for (size_t i = 0; i < d && !st; i++) {
                for (size_t col = 0; col < k; col++)
                    W->x[col] = (J->group ? J->group[col] : col) == i ? B[col] : A[col];
                if (p->same && p->same(p->ctx, W->x, A)) /* A_B^i is A */
                    memcpy(y + (2 + i) * m, y, m * sizeof *y);
                else
                    st = p->eval(p->ctx, W->ws, W->x, y + (2 + i) * m, &e);
            }
            if (st) {
                W->fail_row = j;
                W->err = e;
                break;
            }
            for (size_t o = 0; o < m; o++) {
                double cen = p->centre ? p->centre[o] : 0.0;
                double a = y[o] - cen, b = y[m + o] - cen;
                double *so = S + o * w2;
                so[0] += a + b;
                so[1] += a * a + b * b;
                for (size_t i = 0; i < d; i++) {
                    double ab = y[(2 + i) * m + o] - cen;
                    so[2 + i] += b * (ab - a);
                    so[2 + d + i] += (a - ab) * (a - ab);
                }
            }
            for (size_t q = 0; q < J->nkeep; q++) {
                size_t o = J->keep[q];
                double *kv = J->kept + (q * J->N + j) * (d + 2);
                for (size_t e2 = 0; e2 < d + 2; e2++)
                    kv[e2] = y[e2 * m + o];
            }
        }
        if (W->t == 0) /* about as far as the others: chunks go round the threads */
            egdi_progress_step(J->progress, (c + 1) * CHUNK < J->N ? (c + 1) * CHUNK : J->N,
                               J->N);
    }
    return NULL;
}

/* The indices of one output from its sums over n rows. */
static void indices(const double *so, size_t d, size_t n, double *V, bool *varies, double *first,
                    double *total)
{
    double n2 = 2.0 * (double)n, mean = so[0] / n2, m2 = so[1] / n2;
    double v = m2 - mean * mean;
    *V = v;
    *varies = v > 0 && v > 1e-12 * m2;
    for (size_t i = 0; i < d; i++) {
        first[i] = *varies ? so[2 + i] / (double)n / v : NAN;
        total[i] = *varies ? so[2 + d + i] / n2 / v : NAN;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t mix64(uint64_t x)
{
    uint64_t z = x + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Percentile intervals of the kept output q from boot resamples of its rows. */
static egdi_status bootstrap(const sobol_job *J, size_t q, const egdi_sobol_opts *o,
                             const double *centre, egdi_sobol_result *r, egdi_error *err)
{
    size_t N = J->N, d = J->d, B = o->boot;
    const double *kv = J->kept + q * N * (d + 2);
    double *fs = malloc(B * d * sizeof *fs), *ts = malloc(B * d * sizeof *ts);
    double *so = malloc((2 + 2 * d) * sizeof *so), *col = malloc(B * sizeof *col);
    double *f1 = malloc(d * sizeof *f1), *t1 = malloc(d * sizeof *t1);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    egdi_status st = EGDI_OK;
    if (!fs || !ts || !so || !col || !f1 || !t1 || !rng) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory for the bootstrap");
        goto out;
    }
    double cen = centre ? centre[J->keep[q]] : 0.0;
    size_t valid = 0;
    for (size_t b = 0; b < B; b++) {
        gsl_rng_set(rng, (unsigned long)mix64(o->seed ^ mix64(b + 1)));
        memset(so, 0, (2 + 2 * d) * sizeof *so);
        for (size_t s = 0; s < N; s++) {
            size_t j = (size_t)gsl_rng_uniform_int(rng, (unsigned long)N);
            const double *y = kv + j * (d + 2);
            double a = y[0] - cen, bb = y[1] - cen;
            so[0] += a + bb;
            so[1] += a * a + bb * bb;
            for (size_t i = 0; i < d; i++) {
                double ab = y[2 + i] - cen;
                so[2 + i] += bb * (ab - a);
                so[2 + d + i] += (a - ab) * (a - ab);
            }
        }
        double V;
        bool varies;
        indices(so, d, N, &V, &varies, f1, t1);
        if (!varies)
            continue;
        for (size_t i = 0; i < d; i++) {
            fs[i * B + valid] = f1[i];
            ts[i * B + valid] = t1[i];
        }
        valid++;
    }
    double lo = (1 - o->conf) / 2, hi = 1 - lo;
    for (size_t i = 0; i < d; i++) {
        double *fl = &r->first_lo[q * d + i], *fh = &r->first_hi[q * d + i];
        double *tl = &r->total_lo[q * d + i], *th = &r->total_hi[q * d + i];
        if (!valid) {
            *fl = *fh = *tl = *th = NAN;
            continue;
        }
        qsort(fs + i * B, valid, sizeof *fs, cmp_double);
        qsort(ts + i * B, valid, sizeof *ts, cmp_double);
        *fl = egdi_score_quantile7(fs + i * B, valid, lo);
        *fh = egdi_score_quantile7(fs + i * B, valid, hi);
        *tl = egdi_score_quantile7(ts + i * B, valid, lo);
        *th = egdi_score_quantile7(ts + i * B, valid, hi);
    }
out:
    free(fs);
    free(ts);
    free(so);
    free(col);
    free(f1);
    free(t1);
    if (rng)
        gsl_rng_free(rng);
    return st;
}

egdi_status egdi_sobol_run(const egdi_sobol_problem *p, const egdi_sobol_opts *o,
                           egdi_sobol_result *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    size_t k = p->k, d = p->d, m = p->m, N = o->base;
    if (k == 0 || d == 0 || m == 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "nothing to vary or to measure");
    if (N < 2 || N > EGDI_SOBOL_MAX_BASE)
        return egdi_error_set(err, EGDI_ERR_ARG, "the base sample N must be 2 to %d, not %zu",
                              EGDI_SOBOL_MAX_BASE, N);
    if (o->boot > EGDI_SOBOL_MAX_BOOT || (o->boot && !(o->conf > 0 && o->conf < 1)))
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "the bootstrap takes at most %d resamples and a confidence "
                              "level between 0 and 1",
                              EGDI_SOBOL_MAX_BOOT);
    if (o->nkeep > EGDI_SOBOL_MAX_KEEP)
        return egdi_error_set(err, EGDI_ERR_ARG, "intervals for at most %d outputs, not %zu",
                              EGDI_SOBOL_MAX_KEEP, o->nkeep);
    for (size_t q = 0; q < o->nkeep; q++)
        if (o->keep[q] >= m)
            return egdi_error_set(err, EGDI_ERR_ARG, "no output %zu", o->keep[q]);
    for (size_t c = 0; p->group && c < k; c++)
        if (p->group[c] >= d)
            return egdi_error_set(err, EGDI_ERR_ARG, "column %zu has no group", c);
    if (N > MAX_DESIGN / (2 * k))
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "a design of %zu rows by %zu columns is too large", N, 2 * k);
    egdi_status st = EGDI_OK;
    sobol_job J;
    memset(&J, 0, sizeof J);
    sobol_worker *W = NULL;
    pthread_t *tid = NULL;
    egdi_uncertainty_design *src = NULL;
    double *design = NULL;
    unsigned nt = o->threads;
    if (nt == 0)
        nt = egdi_cpus_online();
    size_t nchunks = (N + CHUNK - 1) / CHUNK, w2 = 2 + 2 * d;
    if (nt > MAX_THREADS)
        nt = MAX_THREADS;
    if (nt > nchunks)
        nt = (unsigned)nchunks;
    if ((st = egdi_uncertainty_sampler_pick(o->sampler, 2 * k, &out->sampler, err)))
        return st;
    if (m > SIZE_MAX / nchunks / w2 / sizeof(double) / 2) /* also m (d + 2) */
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many outputs");
    design = malloc(N * 2 * k * sizeof *design);
    J.sums = malloc(nchunks * m * w2 * sizeof *J.sums);
    J.kept = malloc((o->nkeep ? o->nkeep : 1) * N * (d + 2) * sizeof *J.kept);
    W = calloc(nt, sizeof *W);
    tid = calloc(nt, sizeof *tid);
    out->variance = malloc(m * sizeof *out->variance);
    out->varies = malloc(m * sizeof *out->varies);
    out->first = malloc(m * d * sizeof *out->first);
    out->total = malloc(m * d * sizeof *out->total);
    out->keep = malloc((o->nkeep ? o->nkeep : 1) * sizeof *out->keep);
    size_t kd = (o->nkeep ? o->nkeep : 1) * d;
    out->first_lo = malloc(kd * sizeof(double));
    out->first_hi = malloc(kd * sizeof(double));
    out->total_lo = malloc(kd * sizeof(double));
    out->total_hi = malloc(kd * sizeof(double));
    if (!design || !J.sums || !J.kept || !W || !tid || !out->variance || !out->varies ||
        !out->first || !out->total || !out->keep || !out->first_lo || !out->first_hi ||
        !out->total_lo || !out->total_hi) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory for %zu x %zu runs", N, d + 2);
        goto fail;
    }
    if ((st = egdi_uncertainty_design_new(out->sampler, 2 * k, o->seed, &src, err)))
        goto fail;
    for (size_t j = 0; j < N; j++)
        egdi_uncertainty_design_next(src, design + j * 2 * k);
    J.p = p;
    J.k = k;
    J.d = d;
    J.m = m;
    J.N = N;
    J.nchunks = nchunks;
    J.progress = o->progress;
    J.nt = nt;
    J.design = design;
    J.group = p->group;
    J.keep = o->keep;
    J.nkeep = o->nkeep;
    for (unsigned t = 0; t < nt; t++) {
        sobol_worker *w = &W[t];
        w->J = &J;
        w->t = t;
        w->fail_row = SIZE_MAX;
        w->x = malloc(k * sizeof *w->x);
        w->y = malloc((d + 2) * m * sizeof *w->y);
        if (!w->x || !w->y) {
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            goto fail;
        }
        if (p->ws_new && (st = p->ws_new(p->ctx, &w->ws, err)))
            goto fail;
    }
    /* thread 0 is this one; a thread that cannot start leaves its chunks to
     * this one, after (the sums do not depend on who adds them) */
    for (unsigned t = 1; t < nt; t++)
        W[t].here = pthread_create(&tid[t], NULL, sobol_work, &W[t]) != 0;
    sobol_work(&W[0]);
    for (unsigned t = 1; t < nt; t++)
        if (!W[t].here)
            pthread_join(tid[t], NULL);
    for (unsigned t = 1; t < nt; t++)
        if (W[t].here) {
            void *own = W[t].ws;
            W[t].ws = W[0].ws;
            sobol_work(&W[t]);
            W[t].ws = own;
        }
    size_t bad = SIZE_MAX;
    for (unsigned t = 0; t < nt; t++)
        if (W[t].fail_row < bad) {
            bad = W[t].fail_row;
            *err = W[t].err;
        }
    if (bad != SIZE_MAX) {
        st = err->status ? err->status : EGDI_ERR_NUMERIC;
        goto fail;
    }
    egdi_progress_step(o->progress, N, N);
    /* the chunks' sums in chunk order */
    double *so = J.sums; /* chunk 0 receives the rest */
    for (size_t c = 1; c < nchunks; c++)
        for (size_t i = 0; i < m * w2; i++)
            so[i] += J.sums[c * m * w2 + i];
    for (size_t o2 = 0; o2 < m; o2++)
        indices(so + o2 * w2, d, N, &out->variance[o2], &out->varies[o2], out->first + o2 * d,
                out->total + o2 * d);
    out->d = d;
    out->m = m;
    out->base = N;
    out->evaluations = N * (d + 2);
    out->boot = o->boot;
    out->conf = o->conf;
    out->threads = nt;
    out->nkeep = o->nkeep;
    for (size_t q = 0; q < o->nkeep; q++) {
        out->keep[q] = o->keep[q];
        if (o->boot && out->varies[o->keep[q]]) {
            if ((st = bootstrap(&J, q, o, p->centre, out, err)))
                goto fail;
        } else {
            for (size_t i = 0; i < d; i++)
                out->first_lo[q * d + i] = out->first_hi[q * d + i] = out->total_lo[q * d + i] =
                    out->total_hi[q * d + i] = NAN;
        }
    }
    goto done;
fail:
    egdi_sobol_result_release(out);
done:
    for (unsigned t = 0; W && t < nt; t++) {
        if (W[t].ws && p->ws_free)
            p->ws_free(p->ctx, W[t].ws);
        free(W[t].x);
        free(W[t].y);
    }
    free(W);
    free(tid);
    egdi_uncertainty_design_free(src);
    free(design);
    free(J.sums);
    free(J.kept);
    return st;
}

/* ---- the composite indicator as a model ------------------------------------- */

typedef struct {
    const egdi_uncertainty_space *sp;
    size_t U, ns;
    const size_t *scope;
    const long *nominal; /* ns */
    int digits;
} ci_model;

typedef struct {
    egdi_uncertainty_ws *uws;
    egdi_ranking_ranker *ranker;
    double *egdi, *sc;
    bool *rankable, *ok;
    long *stage, *rank;
} ci_ws;

static void ci_ws_free(void *ctx, void *w)
{
    (void)ctx;
    ci_ws *ws = w;
    if (!ws)
        return;
    egdi_uncertainty_ws_free(ws->uws);
    egdi_ranking_ranker_free(ws->ranker);
    free(ws->egdi);
    free(ws->sc);
    free(ws->rankable);
    free(ws->ok);
    free(ws->stage);
    free(ws->rank);
    free(ws);
}

static egdi_status ci_ws_new(void *ctx, void **out, egdi_error *err)
{
    ci_model *c = ctx;
    *out = NULL;
    ci_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t u1 = c->U ? c->U : 1;
    ws->egdi = malloc(u1 * sizeof *ws->egdi);
    ws->rankable = malloc(u1 * sizeof *ws->rankable);
    ws->stage = malloc(u1 * sizeof *ws->stage);
    ws->sc = malloc(c->ns * sizeof *ws->sc);
    ws->ok = malloc(c->ns * sizeof *ws->ok);
    ws->rank = malloc(c->ns * sizeof *ws->rank);
    egdi_status st = EGDI_OK;
    if (!ws->egdi || !ws->rankable || !ws->stage || !ws->sc || !ws->ok || !ws->rank)
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    if (!st)
        st = egdi_uncertainty_ws_new(c->sp, &ws->uws, err);
    if (!st)
        st = egdi_ranking_ranker_new(c->ns, &ws->ranker, err);
    if (st) {
        ci_ws_free(ctx, ws);
        return st;
    }
    *out = ws;
    return EGDI_OK;
}

/* The mean |rank - nominal rank| over the units ranked both ways, or 0. */
static double mean_shift(const long *rank, const long *nominal, size_t n)
{
    double sum = 0;
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++)
        if (rank[i] > 0 && nominal[i] > 0) {
            sum += (double)labs(rank[i] - nominal[i]);
            cnt++;
        }
    return cnt ? sum / (double)cnt : 0.0;
}

static bool ci_same(void *ctx, const double *x, const double *a)
{
    ci_model *c = ctx;
    return egdi_uncertainty_space_same(c->sp, x, a);
}

static egdi_status ci_eval(void *ctx, void *w, const double *x, double *y, egdi_error *err)
{
    ci_model *c = ctx;
    ci_ws *ws = w;
    egdi_score_outcome out = {ws->egdi, ws->rankable, ws->stage, NULL};
    egdi_status st = egdi_uncertainty_space_eval(c->sp, x, ws->uws, &out, err);
    if (st)
        return st;
    for (size_t i = 0; i < c->ns; i++) {
        ws->sc[i] = ws->egdi[c->scope[i]];
        ws->ok[i] = ws->rankable[c->scope[i]];
        y[1 + i] = ws->sc[i];
    }
    egdi_ranking_ranker_rank(ws->ranker, ws->sc, ws->ok, c->ns, c->digits, ws->rank, NULL);
    y[0] = mean_shift(ws->rank, c->nominal, c->ns);
    return EGDI_OK;
}

void egdi_sensitivity_result_free(egdi_sensitivity_result *r)
{
    if (!r)
        return;
    free(r->varied);
    egdi_sobol_result_release(&r->sobol);
    free(r->units);
    free(r->nominal);
    free(r->loo);
    free(r);
}

/* Ranks the units scope[0..ns) by their scores egdi[] (rankable[]) into rank. */
static void rank_scope(egdi_ranking_ranker *rk, const size_t *scope, size_t ns,
                       const double *egdi, const bool *rankable, int digits, double *sc, bool *ok,
                       long *rank)
{
    for (size_t i = 0; i < ns; i++) {
        sc[i] = egdi[scope[i]];
        ok[i] = rankable[scope[i]];
    }
    egdi_ranking_ranker_rank(rk, sc, ok, ns, digits, rank, NULL);
}

egdi_status egdi_sensitivity_loo_run(const egdi_model *m, const egdi_score_input *in,
                                     egdi_unit_kind kind, int digits,
                                     egdi_sensitivity_loo **out, size_t *nout, egdi_error *err)
{
    *out = NULL;
    *nout = 0;
    size_t U = in->nunits, N = m->nnodes, u1 = U ? U : 1, ns = 0;
    kind = kind ? kind : EGDI_UNIT_DEPARTMENT;
    digits = egdi_ranking_digits(digits, m, NULL); /* (auto: the caller's round) */
    for (size_t u = 0; u < U; u++)
        ns += in->units[u].kind == kind;
    egdi_status st = EGDI_OK;
    egdi_score_plan *plan = NULL;
    egdi_score_ws *ws = NULL;
    egdi_ranking_ranker *rk = NULL;
    egdi_sensitivity_loo *rows = calloc(N ? N : 1, sizeof *rows);
    size_t *scope = malloc((ns ? ns : 1) * sizeof *scope);
    double *egdi = malloc(u1 * sizeof *egdi), *sc = malloc((ns ? ns : 1) * sizeof *sc);
    double *w = malloc((N ? N : 1) * sizeof *w);
    bool *rankable = malloc(u1 * sizeof *rankable), *ok = malloc((ns ? ns : 1) * sizeof *ok);
    long *stage = malloc(u1 * sizeof *stage), *nominal = malloc((ns ? ns : 1) * sizeof *nominal);
    long *rank = malloc((ns ? ns : 1) * sizeof *rank);
    if (!rows || !scope || !egdi || !sc || !w || !rankable || !ok || !stage || !nominal ||
        !rank) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    ns = 0;
    for (size_t u = 0; u < U; u++)
        if (in->units[u].kind == kind)
            scope[ns++] = u;
    if ((st = egdi_score_plan_new(m, in, NULL, &plan, err)) ||
        (st = egdi_score_ws_new(plan, &ws, err)) ||
        (st = egdi_ranking_ranker_new(ns, &rk, err)))
        goto fail;
    egdi_score_outcome o = {egdi, rankable, stage, NULL};
    if ((st = egdi_score_plan_eval(plan, NULL, ws, &o, NULL, err)))
        goto fail;
    rank_scope(rk, scope, ns, egdi, rankable, digits, sc, ok, nominal);
    unsigned mask = kind == EGDI_UNIT_REGION ? EGDI_APPLIES_REGION : EGDI_APPLIES_DEPARTMENT;
    size_t n = 0;
    for (size_t j = 0; j < N; j++) {
        if (m->nodes[j].parent_idx < 0)
            continue;
        bool app = true;
        for (long a = (long)j; a >= 0 && app; a = m->nodes[a].parent_idx)
            app = (m->nodes[a].applies & mask) != 0;
        if (!app)
            continue;
        for (size_t i = 0; i < N; i++)
            w[i] = m->nodes[i].weight;
        w[j] = 0;
        egdi_score_variant v = {w, NULL, -1, -1, NULL, NULL, 0};
        if ((st = egdi_score_plan_eval(plan, &v, ws, &o, NULL, err)))
            goto fail;
        rank_scope(rk, scope, ns, egdi, rankable, digits, sc, ok, rank);
        egdi_sensitivity_loo *r = &rows[n++];
        r->node = j;
        double sum = 0;
        for (size_t i = 0; i < ns; i++) {
            if (nominal[i] > 0 && rank[i] == 0)
                r->lost++;
            if (nominal[i] <= 0 || rank[i] <= 0)
                continue;
            long ch = nominal[i] - rank[i];
            long a = labs(ch);
            sum += (double)a;
            r->ranked_both++;
            if (a > r->max_change)
                r->max_change = a;
            /* the most moved, first in unit order on a tie */
            size_t at = r->nmovers;
            while (at > 0 && labs(r->change[at - 1]) < a)
                at--;
            if (at < EGDI_SENSITIVITY_MOVERS && a > 0) {
                size_t last = r->nmovers < EGDI_SENSITIVITY_MOVERS ? r->nmovers
                                                                    : EGDI_SENSITIVITY_MOVERS - 1;
                for (size_t s = last; s > at; s--) {
                    r->mover[s] = r->mover[s - 1];
                    r->change[s] = r->change[s - 1];
                }
                r->mover[at] = scope[i];
                r->change[at] = ch;
                if (r->nmovers < EGDI_SENSITIVITY_MOVERS)
                    r->nmovers++;
            }
        }
        r->mean_change = r->ranked_both ? sum / (double)r->ranked_both : NAN;
    }
    *out = rows;
    *nout = n;
    rows = NULL;
fail:
    free(rows);
    free(scope);
    free(egdi);
    free(sc);
    free(w);
    free(rankable);
    free(ok);
    free(stage);
    free(nominal);
    free(rank);
    egdi_ranking_ranker_free(rk);
    egdi_score_ws_free(ws);
    egdi_score_plan_free(plan);
    return st;
}

egdi_status egdi_sensitivity_run(const egdi_model *m, const egdi_score_input *in,
                                 const egdi_uncertainty_opts *o, const egdi_sobol_opts *so,
                                 egdi_sensitivity_result **out, egdi_error *err)
{
    *out = NULL;
    egdi_status st = EGDI_OK;
    egdi_unit_kind kind = o->kind ? o->kind : EGDI_UNIT_DEPARTMENT;
    int digits = egdi_ranking_digits(o->digits, m, NULL); /* (auto: the caller's round) */
    size_t U = in->nunits, ns = 0;
    for (size_t u = 0; u < U; u++)
        ns += in->units[u].kind == kind;
    if (ns == 0)
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "the round has no %s to rank",
                              kind == EGDI_UNIT_REGION ? "regions" : "departments");
    egdi_sensitivity_result *r = calloc(1, sizeof *r);
    egdi_uncertainty_space *sp = NULL;
    egdi_uncertainty_ws *uws = NULL;
    egdi_ranking_ranker *rk = NULL;
    double *egdi = NULL, *sc = NULL, *centre = NULL;
    bool *rankable = NULL, *ok = NULL;
    long *stage = NULL, *nominal = NULL;
    size_t *group = NULL, *keep = NULL;
    if (!r)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t u1 = U ? U : 1;
    r->units = malloc(ns * sizeof *r->units);
    r->nominal = malloc(ns * sizeof *r->nominal);
    egdi = malloc(u1 * sizeof *egdi);
    rankable = malloc(u1 * sizeof *rankable);
    stage = malloc(u1 * sizeof *stage);
    sc = malloc(ns * sizeof *sc);
    ok = malloc(ns * sizeof *ok);
    nominal = malloc(ns * sizeof *nominal);
    centre = malloc((ns + 1) * sizeof *centre);
    if (!r->units || !r->nominal || !egdi || !rankable || !stage || !sc || !ok || !nominal ||
        !centre) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    r->n = ns;
    ns = 0;
    for (size_t u = 0; u < U; u++)
        if (in->units[u].kind == kind)
            r->units[ns++] = u;
    if ((st = egdi_sensitivity_loo_run(m, in, kind, digits, &r->loo, &r->nloo, err)))
        goto fail;

    /* the indices, when an assumption is named */
    bool any = o->weights || o->nnorm || o->aggregation || o->nmissing || o->data_error > 0 ||
               o->se;
    if (!any) {
        for (size_t i = 0; i < ns; i++)
            r->nominal[i] = NAN;
        *out = r;
        r = NULL;
        goto done;
    }
    if ((st = egdi_uncertainty_space_new(m, in, o, &sp, err)) ||
        (st = egdi_uncertainty_ws_new(sp, &uws, err)) ||
        (st = egdi_ranking_ranker_new(ns, &rk, err)))
        goto fail;
    r->varied = strdup(egdi_uncertainty_space_text(sp));
    size_t k = egdi_uncertainty_space_columns(sp);
    group = malloc(k * sizeof *group);
    if (!r->varied || !group) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (int g = 0; g < EGDI_UNCERTAINTY_NGROUPS; g++)
        if (egdi_uncertainty_space_varies(sp, (egdi_uncertainty_group)g))
            r->groups[r->d++] = (egdi_uncertainty_group)g;
    for (size_t c = 0; c < k; c++) {
        egdi_uncertainty_group g = egdi_uncertainty_space_group(sp, c);
        for (size_t i = 0; i < r->d; i++)
            if (r->groups[i] == g)
                group[c] = i;
    }
    egdi_score_outcome no = {egdi, rankable, stage, NULL};
    if ((st = egdi_uncertainty_space_eval(sp, NULL, uws, &no, err)))
        goto fail;
    rank_scope(rk, r->units, ns, egdi, rankable, digits, sc, ok, nominal);
    centre[0] = 0;
    for (size_t i = 0; i < ns; i++) {
        r->nominal[i] = egdi[r->units[i]];
        centre[1 + i] = isnan(r->nominal[i]) ? 0 : r->nominal[i];
    }
    ci_model cm = {sp, U, ns, r->units, nominal, digits};
    egdi_sobol_problem prob = {k,         r->d,       group,   ns + 1, centre,
                               ci_ws_new, ci_ws_free, ci_eval, &cm,    ci_same};
    egdi_sobol_opts sopt = *so;
    sopt.seed = o->seed;
    sopt.threads = o->threads;
    if ((st = egdi_sobol_run(&prob, &sopt, &r->sobol, err)))
        goto fail;
    *out = r;
    r = NULL;
    goto done;
fail:
done:
    egdi_sensitivity_result_free(r);
    egdi_uncertainty_ws_free(uws);
    egdi_uncertainty_space_free(sp);
    egdi_ranking_ranker_free(rk);
    free(egdi);
    free(rankable);
    free(stage);
    free(sc);
    free(ok);
    free(nominal);
    free(centre);
    free(group);
    free(keep);
    return st;
}

/* ---- a stored round ---------------------------------------------------------- */

void egdi_sensitivity_stored_release(egdi_sensitivity_stored *u)
{
    if (!u)
        return;
    egdi_round_release(&u->round);
    egdi_sensitivity_result_free(u->result);
    free(u->stale);
    memset(u, 0, sizeof *u);
}

egdi_status egdi_sensitivity_round(egdi_store *s, int year, const char *model,
                                   const egdi_uncertainty_opts *o, const egdi_sobol_opts *so,
                                   const char *const *codes, size_t ncodes,
                                   egdi_sensitivity_stored *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    if (ncodes + 1 > EGDI_SOBOL_MAX_KEEP)
        return egdi_error_set(err, EGDI_ERR_ARG, "intervals for at most %d units, not %zu",
                              EGDI_SOBOL_MAX_KEEP - 1, ncodes);
    char *name = NULL;
    egdi_status st = model ? egdi_score_model_name(model, &name, err) : EGDI_OK;
    if (!st)
        st = egdi_score_load_run(s, year, name, &out->round, err);
    free(name);
    if (st)
        return st;
    egdi_unit_kind kind = o->kind ? o->kind : EGDI_UNIT_DEPARTMENT;
    const egdi_round_input *in = &out->round.in;
    double *se = NULL;
    size_t keep[EGDI_SOBOL_MAX_KEEP];
    keep[0] = 0;
    /* the units' outputs follow the kind's units in input order */
    for (size_t c = 0; c < ncodes; c++) {
        size_t pos = 0;
        bool found = false;
        for (size_t u = 0; u < in->in.nunits && !found; u++) {
            if (in->in.units[u].kind != kind)
                continue;
            if (strcmp(in->codes[u], codes[c]) == 0)
                found = true;
            else
                pos++;
        }
        if (!found) {
            st = egdi_error_set(err, EGDI_ERR_NOT_FOUND, "no %s %s in round %d",
                                kind == EGDI_UNIT_REGION ? "region" : "department", codes[c],
                                year);
            goto fail;
        }
        out->ci[out->nci++] = pos;
        keep[1 + c] = 1 + pos;
    }
    egdi_sobol_opts sopt = *so;
    sopt.keep = keep;
    sopt.nkeep = 1 + ncodes;
    egdi_uncertainty_opts oo = *o;
    oo.digits = egdi_ranking_digits(o->digits, out->round.model, in); /* auto: the round's */
    if (o->survey_se) {
        if ((st = egdi_uncertainty_survey_se(s, &out->round, &se, err)))
            goto fail;
        oo.se = se;
    }
    if ((st = egdi_store_score_run_stale(s, out->round.run_id, &out->stale, err)) ||
        (st = egdi_sensitivity_run(out->round.model, &in->in, &oo, &sopt, &out->result, err)))
        goto fail;
    free(se);
    return EGDI_OK;
fail:
    free(se);
    egdi_sensitivity_stored_release(out);
    return st;
}
