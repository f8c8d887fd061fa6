/*
 * mediate.c - mediation with a parallel percentile bootstrap (mediate.h).
 *
 * The paths are regressions of surveys/regress.c.  The bootstrap keeps the
 * centred rows (x, m_1..m_k, y) in one row-major array (a row padded to a
 * multiple of four doubles, so that a draw touches one 32- or 64-byte
 * piece), and each replicate sums its n drawn rows: the sums and the
 * cross-products, from which the two regressions are solved (a Cholesky of
 * at most 9 x 9).  Indices are drawn in batches and their rows prefetched,
 * so that the random reads overlap.  The working arrays (rows, estimates,
 * threads) are freed before returning; the result owns its arrays.
 */
#include "surveys/mediate.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "engine/core/bigmem.h"
#include "engine/core/cpus.h"
#include "surveys/itemanalysis.h"
#include "surveys/regress.h"

/* Rows drawn ahead of their use (prefetched). */
#define BATCH 64
/* A Cholesky pivot below this (relative) in a resample: collinear. */
#define RESAMPLE_PIVOT 1e-12
/* Draws of one replicate after which it gives up (never in practice). */
#define MAX_REDRAW 1000

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

void egdi_mediate_opts_init(egdi_mediate_opts *o)
{
    o->boot = 5000;
    o->seed = 1;
    o->conf = 0.95;
    o->threads = 0;
    o->progress = NULL;
}

void egdi_mediation_release(egdi_mediation *r)
{
    if (!r)
        return;
    free(r->a);
    free(r->b);
    free(r->ind);
    memset(r, 0, sizeof *r);
}

/* ---- random draws ---------------------------------------------------------- */

typedef struct {
    uint64_t s[4];
    uint64_t spare; /* the low half of the last 64 bits, when unused */
    int have_spare;
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The stream of replicate r of a run with this seed. */
static void rng_seed(rng *g, uint64_t seed, uint64_t r)
{
    uint64_t x = seed ^ ((r + 1) * 0xD1B54A32D192ED03ULL);
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix64(&x);
    g->have_spare = 0;
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman & Vigna). */
static inline uint64_t rng_next(rng *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static inline uint32_t rng_u32(rng *g)
{
    if (g->have_spare) {
        g->have_spare = 0;
        return (uint32_t)g->spare;
    }
    uint64_t v = rng_next(g);
    g->spare = v;
    g->have_spare = 1;
    return (uint32_t)(v >> 32);
}

/* A uniform integer in [0, n), n >= 1 (Lemire's method, unbiased). */
static inline uint32_t rng_below(rng *g, uint32_t n)
{
    uint64_t m = (uint64_t)rng_u32(g) * n;
    uint32_t l = (uint32_t)m;
    if (l < n) {
        uint32_t t = (uint32_t)(-n) % n;
        while (l < t) {
            m = (uint64_t)rng_u32(g) * n;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/* ---- one replicate ------------------------------------------------------------ */

typedef struct {
    const double *v;  /* n rows of `stride` doubles: x, m_1..m_k, y (centred) */
    size_t n, k, d, stride;
    uint64_t seed;
    size_t boot;
    double *est;      /* boot x (k + 1): ab_1 .. ab_k, their sum */
    unsigned nthreads;
    const egdi_progress *progress; /* told by thread 0 (the caller's) */
} boot_job;

typedef struct {
    const boot_job *job;
    unsigned t;       /* this thread's number */
    size_t redrawn;
    int failed;       /* a replicate found no usable resample */
} boot_thread;

/* Solves the indirect effects of one resample from its sums s[d] and
 * cross-products P[d][d] (upper); false when X has no variance or the
 * design is collinear. */
static bool solve_resample(const boot_job *job, const double *s, double P[][EGDI_MEDIATE_MAX_M + 2],
                           double *ab)
{
    size_t d = job->d, k = job->k, q = k + 1;
    double dn = (double)job->n;
    double C[EGDI_MEDIATE_MAX_M + 2][EGDI_MEDIATE_MAX_M + 2];
    for (size_t a = 0; a < d; a++)
        for (size_t b = a; b < d; b++)
            C[a][b] = C[b][a] = P[a][b] - s[a] * s[b] / dn;
    if (!(C[0][0] > 0))
        return false;
    /* a_j = C(x, m_j) / C(x, x); Y ~ X + M by Cholesky of C[0..q)[0..q) */
    double L[EGDI_MEDIATE_MAX_M + 1][EGDI_MEDIATE_MAX_M + 1], z[EGDI_MEDIATE_MAX_M + 1];
    for (size_t j = 0; j < q; j++) {
        for (size_t i = j; i < q; i++) {
            double v = C[i][j];
            for (size_t t = 0; t < j; t++)
                v -= L[i][t] * L[j][t];
            if (i == j) {
                if (!(v > RESAMPLE_PIVOT * C[j][j]))
                    return false;
                L[j][j] = sqrt(v);
            } else {
                L[i][j] = v / L[j][j];
            }
        }
    }
    for (size_t i = 0; i < q; i++) { /* L z = C[.][y] */
        double v = C[i][d - 1];
        for (size_t t = 0; t < i; t++)
            v -= L[i][t] * z[t];
        z[i] = v / L[i][i];
    }
    for (size_t i = q; i-- > 0;) { /* L' beta = z */
        double v = z[i];
        for (size_t t = i + 1; t < q; t++)
            v -= L[t][i] * z[t];
        z[i] = v / L[i][i];
    }
    double total = 0;
    for (size_t j = 0; j < k; j++) {
        ab[j] = C[0][j + 1] / C[0][0] * z[j + 1];
        total += ab[j];
    }
    ab[k] = total;
    return true;
}

/* The sums of one resample of n rows from g. */
static void draw_sums(const boot_job *job, rng *g, double *s, double P[][EGDI_MEDIATE_MAX_M + 2])
{
    size_t n = job->n, d = job->d, stride = job->stride;
    const double *v = job->v;
    uint32_t idx[BATCH];
    if (d == 3) { /* one mediator: the common case, kept in registers */
        double sx = 0, sm = 0, sy = 0, xx = 0, xm = 0, xy = 0, mm = 0, my = 0, yy = 0;
        for (size_t i0 = 0; i0 < n; i0 += BATCH) {
            size_t nb = n - i0 < BATCH ? n - i0 : BATCH;
            for (size_t t = 0; t < nb; t++) {
                idx[t] = rng_below(g, (uint32_t)n);
                __builtin_prefetch(v + (size_t)idx[t] * stride);
            }
            for (size_t t = 0; t < nb; t++) {
                const double *r = v + (size_t)idx[t] * stride;
                double x = r[0], m = r[1], y = r[2];
                sx += x;
                sm += m;
                sy += y;
                xx += x * x;
                xm += x * m;
                xy += x * y;
                mm += m * m;
                my += m * y;
                yy += y * y;
            }
        }
        s[0] = sx, s[1] = sm, s[2] = sy;
        P[0][0] = xx, P[0][1] = xm, P[0][2] = xy;
        P[1][1] = mm, P[1][2] = my, P[2][2] = yy;
        return;
    }
    for (size_t a = 0; a < d; a++) {
        s[a] = 0;
        for (size_t b = a; b < d; b++)
            P[a][b] = 0;
    }
    for (size_t i0 = 0; i0 < n; i0 += BATCH) {
        size_t nb = n - i0 < BATCH ? n - i0 : BATCH;
        for (size_t t = 0; t < nb; t++) {
            idx[t] = rng_below(g, (uint32_t)n);
            __builtin_prefetch(v + (size_t)idx[t] * stride);
        }
        for (size_t t = 0; t < nb; t++) {
            const double *r = v + (size_t)idx[t] * stride;
            for (size_t a = 0; a < d; a++) {
                s[a] += r[a];
                for (size_t b = a; b < d; b++)
                    P[a][b] += r[a] * r[b];
            }
        }
    }
}

static void *boot_worker(void *arg)
{
    boot_thread *th = arg;
    const boot_job *job = th->job;
    double s[EGDI_MEDIATE_MAX_M + 2], P[EGDI_MEDIATE_MAX_M + 2][EGDI_MEDIATE_MAX_M + 2];
    for (size_t r = th->t; r < job->boot; r += job->nthreads) {
        if (th->t == 0 && (r / job->nthreads) % 64 == 0) /* the others keep pace */
            egdi_progress_step(job->progress, r, job->boot);
        rng g;
        rng_seed(&g, job->seed, r);
        int tries = 0;
        for (;;) {
            draw_sums(job, &g, s, P);
            if (solve_resample(job, s, P, job->est + r * (job->k + 1)))
                break;
            th->redrawn++;
            if (++tries == MAX_REDRAW) {
                th->failed = 1;
                return NULL;
            }
        }
    }
    return NULL;
}

/* Runs the replicates over the threads; false when one found no usable
 * resample. */
static bool run_boot(boot_job *job, size_t *redrawn, egdi_error *err, egdi_status *st)
{
    unsigned nt = job->nthreads;
    boot_thread *th = calloc(nt, sizeof *th);
    pthread_t *tid = calloc(nt, sizeof *tid);
    bool *started = calloc(nt, sizeof *started);
    *st = EGDI_OK;
    if (!th || !tid || !started) {
        free(th);
        free(tid);
        free(started);
        *st = nomem(err);
        return false;
    }
    for (unsigned t = 0; t < nt; t++) {
        th[t].job = job;
        th[t].t = t;
        if (t > 0)
            started[t] = pthread_create(&tid[t], NULL, boot_worker, &th[t]) == 0;
    }
    boot_worker(&th[0]);
    for (unsigned t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            boot_worker(&th[t]); /* no thread: the same replicates here */
    }
    bool ok = true;
    *redrawn = 0;
    for (unsigned t = 0; t < nt; t++) {
        *redrawn += th[t].redrawn;
        ok = ok && !th[t].failed;
    }
    free(th);
    free(tid);
    free(started);
    if (!ok)
        *st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                             "the bootstrap found no resample with variance in X and "
                             "independent mediators (too few rows)");
    return ok;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentile CI and SE of column j (of k + 1) of the estimates. */
static egdi_status boot_summary(const double *est, size_t boot, size_t cols, size_t j,
                                double conf, egdi_indirect *ind, egdi_error *err)
{
    double *v = malloc(boot * sizeof *v);
    if (!v)
        return nomem(err);
    double mean = 0;
    for (size_t r = 0; r < boot; r++) {
        v[r] = est[r * cols + j];
        mean += v[r];
    }
    mean /= (double)boot;
    double ss = 0;
    for (size_t r = 0; r < boot; r++)
        ss += (v[r] - mean) * (v[r] - mean);
    qsort(v, boot, sizeof *v, cmp_double);
    ind->boot_se = boot > 1 ? sqrt(ss / (double)(boot - 1)) : NAN;
    ind->boot_lo = egdi_cr_percentile(v, boot, (1 - conf) / 2);
    ind->boot_hi = egdi_cr_percentile(v, boot, (1 + conf) / 2);
    free(v);
    return EGDI_OK;
}

static void take_path(const egdi_reg_coef *c, egdi_path *p)
{
    *p = (egdi_path){c->b, c->se, c->t, c->p, c->ci_lo, c->ci_hi};
}

/* One regression of ys on the columns cols[0..q), its coefficients. */
static egdi_status ols(const double *const *cols, size_t q, const double *ys, size_t n,
                       const char *const *names, const char *yname, double conf,
                       egdi_regression *r, egdi_error *err)
{
    double *x = egdi_bigmem_alloc(n * q * sizeof *x);
    if (!x)
        return nomem(err);
    for (size_t j = 0; j < q; j++)
        memcpy(x + j * n, cols[j], n * sizeof *x);
    size_t end = q;
    egdi_status st = egdi_regress_fit(x, ys, n, q, names, NULL, &end, 1, yname, conf, r, err);
    free(x);
    return st;
}

egdi_status egdi_mediate_compute(const double *x, const double *const *m, size_t k,
                                 const double *y, size_t n, const char *const *names,
                                 const egdi_mediate_opts *o, egdi_mediation *out,
                                 egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_mediate_opts def;
    egdi_mediate_opts_init(&def);
    if (!o)
        o = &def;
    if (k < 1 || k > EGDI_MEDIATE_MAX_M)
        return egdi_error_set(err, EGDI_ERR_ARG, "mediation takes 1 to %d mediators, not %zu",
                              EGDI_MEDIATE_MAX_M, k);
    if (o->boot > EGDI_MEDIATE_MAX_BOOT)
        return egdi_error_set(err, EGDI_ERR_ARG, "at most %d bootstrap resamples, not %zu",
                              EGDI_MEDIATE_MAX_BOOT, o->boot);
    if (!(o->conf > 0 && o->conf < 1))
        return egdi_error_set(err, EGDI_ERR_ARG, "the confidence level must be in (0, 1)");
    if (n > UINT32_MAX)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many rows for the bootstrap");
    const char *nm[EGDI_MEDIATE_MAX_M + 2];
    char defname[EGDI_MEDIATE_MAX_M + 2][8];
    for (size_t j = 0; j < k + 2; j++) {
        snprintf(defname[j], sizeof defname[j], j == 0 ? "X" : j == k + 1 ? "Y" : "M%zu", j);
        nm[j] = names && names[j] ? names[j] : defname[j];
    }
    out->n = n;
    out->k = k;
    out->conf = o->conf;
    out->boot = o->boot;
    out->seed = o->seed;
    out->a = calloc(k, sizeof *out->a);
    out->b = calloc(k, sizeof *out->b);
    out->ind = calloc(k, sizeof *out->ind);
    if (!out->a || !out->b || !out->ind) {
        egdi_mediation_release(out);
        return nomem(err);
    }
    egdi_regression r = {0};
    egdi_status st;
    double *rows = NULL, *est = NULL;
    /* a_j: M_j ~ X */
    for (size_t j = 0; j < k; j++) {
        const double *cx[1] = {x};
        if ((st = ols(cx, 1, m[j], n, nm, nm[j + 1], o->conf, &r, err)) != EGDI_OK)
            goto fail;
        take_path(&r.model[0].coef[1], &out->a[j]);
        egdi_regression_release(&r);
    }
    /* c: Y ~ X */
    {
        const double *cx[1] = {x};
        if ((st = ols(cx, 1, y, n, nm, nm[k + 1], o->conf, &r, err)) != EGDI_OK)
            goto fail;
        take_path(&r.model[0].coef[1], &out->c);
        egdi_regression_release(&r);
    }
    /* b_j, c': Y ~ X + M */
    {
        const double *cx[EGDI_MEDIATE_MAX_M + 1];
        cx[0] = x;
        for (size_t j = 0; j < k; j++)
            cx[j + 1] = m[j];
        if ((st = ols(cx, k + 1, y, n, nm, nm[k + 1], o->conf, &r, err)) != EGDI_OK)
            goto fail;
        take_path(&r.model[0].coef[1], &out->c_prime);
        for (size_t j = 0; j < k; j++)
            take_path(&r.model[0].coef[j + 2], &out->b[j]);
        out->r2_y = r.model[0].r2;
        egdi_regression_release(&r);
    }
    double total = 0;
    for (size_t j = 0; j < k; j++) {
        egdi_indirect *ind = &out->ind[j];
        double a = out->a[j].est, b = out->b[j].est;
        ind->ab = a * b;
        total += ind->ab;
        ind->sobel_se = sqrt(b * b * out->a[j].se * out->a[j].se +
                             a * a * out->b[j].se * out->b[j].se);
        ind->sobel_z = ind->ab / ind->sobel_se;
        ind->sobel_p = 2 * gsl_cdf_ugaussian_Q(fabs(ind->sobel_z));
        ind->ratio = out->c.est != 0 ? ind->ab / out->c.est : NAN;
        ind->boot_se = ind->boot_lo = ind->boot_hi = NAN;
    }
    out->total = k == 1 ? out->ind[0]
                        : (egdi_indirect){total, NAN, NAN, NAN, NAN, NAN, NAN,
                                          out->c.est != 0 ? total / out->c.est : NAN};
    if (o->boot == 0)
        return EGDI_OK;
    /* the bootstrap */
    size_t d = k + 2, stride = (d + 3) / 4 * 4, cols = k + 1;
    rows = egdi_bigmem_alloc(n * stride * sizeof *rows);
    est = malloc(o->boot * cols * sizeof *est);
    if (!rows || !est) {
        st = nomem(err);
        goto fail;
    }
    double mean[EGDI_MEDIATE_MAX_M + 2];
    for (size_t a = 0; a < d; a++) {
        const double *col = a == 0 ? x : a == d - 1 ? y : m[a - 1];
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += col[i];
        mean[a] = s / (double)n;
        for (size_t i = 0; i < n; i++)
            rows[i * stride + a] = col[i] - mean[a];
    }
    for (size_t i = 0; i < n; i++)
        for (size_t a = d; a < stride; a++)
            rows[i * stride + a] = 0;
    unsigned nt = o->threads;
    if (nt == 0)
        nt = egdi_cpus_online();
    if (nt > o->boot)
        nt = (unsigned)o->boot;
    if (nt > 64)
        nt = 64;
    boot_job job = {rows, n, k, d, stride, o->seed, o->boot, est, nt, o->progress};
    if (!run_boot(&job, &out->redrawn, err, &st))
        goto fail;
    egdi_progress_step(o->progress, o->boot, o->boot);
    for (size_t j = 0; j < k; j++)
        if ((st = boot_summary(est, o->boot, cols, j, o->conf, &out->ind[j], err)) != EGDI_OK)
            goto fail;
    if (k == 1)
        out->total = out->ind[0];
    else if ((st = boot_summary(est, o->boot, cols, k, o->conf, &out->total, err)) != EGDI_OK)
        goto fail;
    free(rows);
    free(est);
    return EGDI_OK;
fail:
    egdi_regression_release(&r);
    free(rows);
    free(est);
    egdi_mediation_release(out);
    return st;
}

egdi_status egdi_mediate_dataset(const egdi_dataset *ds, const char *x, const char *const *m,
                                 size_t k, const char *y, const egdi_mediate_opts *o,
                                 egdi_mediation *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    if (k < 1 || k > EGDI_MEDIATE_MAX_M)
        return egdi_error_set(err, EGDI_ERR_ARG, "mediation takes 1 to %d mediators, not %zu",
                              EGDI_MEDIATE_MAX_M, k);
    const char *names[EGDI_MEDIATE_MAX_M + 2];
    names[0] = x;
    for (size_t j = 0; j < k; j++)
        names[j + 1] = m[j];
    names[k + 1] = y;
    egdi_item_matrix mat;
    egdi_status st = egdi_dataset_variables(ds, names, k + 2, EGDI_LISTWISE, &mat, err);
    if (st != EGDI_OK)
        return st;
    const double *mc[EGDI_MEDIATE_MAX_M];
    for (size_t j = 0; j < k; j++)
        mc[j] = mat.x + (j + 1) * mat.n;
    st = egdi_mediate_compute(mat.x, mc, k, mat.x + (k + 1) * mat.n, mat.n, mat.names, o, out,
                              err);
    egdi_dataset_matrix_release(&mat);
    return st;
}
