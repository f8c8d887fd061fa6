/*
 * crossprod.c - sums and cross-products of an item matrix in one pass
 * (crossprod.h).
 */
#include "surveys/crossprod.h"
#include "surveys/sums_private.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/cpus.h"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_KERNEL 1
#endif

enum { BLOCK = EGDI_XP_BLOCK, TILE = EGDI_XP_TILE };

bool egdi_xprod_simd(void)
{
#ifdef HAVE_AVX2_KERNEL
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

/* The portable kernel: a TILE x TILE tile of column pairs in scalar
 * accumulators, one pass over the block's rows per tile. */
static void block_portable(const double *a, const double *d, size_t nb, size_t pp, double *s,
                           bool sym)
{
    for (size_t j = 0; j < pp; j += TILE) {
        const double *a0 = a + (j + 0) * BLOCK, *a1 = a + (j + 1) * BLOCK;
        const double *a2 = a + (j + 2) * BLOCK, *a3 = a + (j + 3) * BLOCK;
        for (size_t k = sym ? j : 0; k < pp; k += TILE) {
            const double *b0 = d + (k + 0) * BLOCK, *b1 = d + (k + 1) * BLOCK;
            const double *b2 = d + (k + 2) * BLOCK, *b3 = d + (k + 3) * BLOCK;
            double c[TILE][TILE] = {{0}};
            for (size_t i = 0; i < nb; i++) {
                double x0 = a0[i], x1 = a1[i], x2 = a2[i], x3 = a3[i];
                double y0 = b0[i], y1 = b1[i], y2 = b2[i], y3 = b3[i];
                c[0][0] += x0 * y0; c[0][1] += x0 * y1; c[0][2] += x0 * y2; c[0][3] += x0 * y3;
                c[1][0] += x1 * y0; c[1][1] += x1 * y1; c[1][2] += x1 * y2; c[1][3] += x1 * y3;
                c[2][0] += x2 * y0; c[2][1] += x2 * y1; c[2][2] += x2 * y2; c[2][3] += x2 * y3;
                c[3][0] += x3 * y0; c[3][1] += x3 * y1; c[3][2] += x3 * y2; c[3][3] += x3 * y3;
            }
            for (size_t u = 0; u < TILE; u++)
                for (size_t v = 0; v < TILE; v++)
                    s[(j + u) * pp + k + v] += c[u][v];
        }
    }
}

#ifdef HAVE_AVX2_KERNEL
/* The same products with AVX2 + FMA, vectorised along the rows: a 2 x 4
 * tile of column pairs keeps 8 four-lane accumulators in registers (six
 * loads per eight FMAs).  nb is a multiple of 4. */
__attribute__((target("avx2,fma"))) static void
block_avx2(const double *a, const double *d, size_t nb, size_t pp, double *s, bool sym)
{
    for (size_t j = 0; j < pp; j += 2) {
        const double *a0 = a + j * BLOCK, *a1 = a0 + BLOCK;
        for (size_t k = sym ? j / TILE * TILE : 0; k < pp; k += TILE) {
            const double *b0 = d + k * BLOCK, *b1 = b0 + BLOCK;
            const double *b2 = b1 + BLOCK, *b3 = b2 + BLOCK;
            __m256d c00 = _mm256_setzero_pd(), c01 = c00, c02 = c00, c03 = c00;
            __m256d c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            for (size_t i = 0; i < nb; i += 4) {
                __m256d x0 = _mm256_loadu_pd(a0 + i), x1 = _mm256_loadu_pd(a1 + i);
                __m256d y = _mm256_loadu_pd(b0 + i);
                c00 = _mm256_fmadd_pd(x0, y, c00);
                c10 = _mm256_fmadd_pd(x1, y, c10);
                y = _mm256_loadu_pd(b1 + i);
                c01 = _mm256_fmadd_pd(x0, y, c01);
                c11 = _mm256_fmadd_pd(x1, y, c11);
                y = _mm256_loadu_pd(b2 + i);
                c02 = _mm256_fmadd_pd(x0, y, c02);
                c12 = _mm256_fmadd_pd(x1, y, c12);
                y = _mm256_loadu_pd(b3 + i);
                c03 = _mm256_fmadd_pd(x0, y, c03);
                c13 = _mm256_fmadd_pd(x1, y, c13);
            }
            __m256d acc[2][TILE] = {{c00, c01, c02, c03}, {c10, c11, c12, c13}};
            for (size_t u = 0; u < 2; u++)
                for (size_t v = 0; v < TILE; v++) {
                    double lane[4];
                    _mm256_storeu_pd(lane, acc[u][v]);
                    s[(j + u) * pp + k + v] += (lane[0] + lane[1]) + (lane[2] + lane[3]);
                }
        }
    }
}
#endif

void egdi_xprod_block(const double *a, const double *b, size_t nb, size_t pp, double *s, bool sym,
                   bool simd)
{
#ifdef HAVE_AVX2_KERNEL
    if (simd) {
        block_avx2(a, b, (nb + 3) / 4 * 4, pp, s, sym);
        return;
    }
#else
    (void)simd;
#endif
    block_portable(a, b, nb, pp, s, sym);
}

/* dst[i] = src[i] - c for i < m; returns the sum of dst (as sums_private.h adds). */
static double shift_copy(const double *src, size_t m, double c, double *dst)
{
    egdi_acc8 s = {{{0, 0}, {0, 0}, {0, 0}, {0, 0}}};
    const egdi_v2d cv = egdi_v2d_splat(c);
    size_t i = 0;
    for (; i + 8 <= m; i += 8)
        for (int k = 0; k < 4; k++) {
            egdi_v2d u = egdi_v2d_load(src + i + 2 * k) - cv;
            memcpy(dst + i + 2 * k, &u, sizeof u);
            s.a[k] += u;
        }
    double tail = 0;
    for (; i < m; i++) {
        dst[i] = src[i] - c;
        tail += dst[i];
    }
    return egdi_acc8_total(&s, tail);
}

/* At most this many answers of a column, spread evenly over its rows,
 * choose its shift. */
enum { SHIFT_SAMPLE = 128 };

/* The answer nearest the mean of SHIFT_SAMPLE answers taken at even steps
 * through x[0..n) (all of them when n is smaller): near the column's mean
 * however its rows are ordered; NaN when a sampled answer is NaN (the pass
 * finds and names it anyway). */
/* Item j of row i: of the doubles x (n rows) or of the matrix mx. */
static inline double value_at(const double *x, const egdi_item_matrix *mx, size_t n, size_t j,
                              size_t i)
{
    return x ? x[j * n + i] : egdi_item_matrix_at(mx, j, i);
}

static double pick_shift(const double *x, const egdi_item_matrix *mx, size_t n, size_t j)
{
    size_t m = n < SHIFT_SAMPLE ? n : SHIFT_SAMPLE;
    double mean = 0;
    for (size_t k = 0; k < m; k++)
        mean += value_at(x, mx, n, j, k * n / m);
    mean /= (double)m;
    if (isnan(mean))
        return NAN;
    double best = value_at(x, mx, n, j, 0);
    for (size_t k = 1; k < m; k++) {
        double v = value_at(x, mx, n, j, k * n / m);
        if (fabs(v - mean) < fabs(best - mean))
            best = v;
    }
    return best;
}

void egdi_xprod_release(egdi_xprod *xp)
{
    if (!xp)
        return;
    free(xp->shift);
    free(xp->sum);
    free(xp->s);
    xp->shift = xp->sum = xp->s = NULL;
}

/* tmp[0..nb) = rows i0.. of item j of the byte matrix mx as doubles
 * (egdi_item_matrix_at, without its tests per answer). */
static void gather(const egdi_item_matrix *mx, size_t j, size_t i0, size_t nb, double *tmp)
{
    const unsigned char *b = mx->code[j];
    const uint32_t *at = mx->at ? mx->at + i0 : NULL;
    bool rev = mx->reversed[j];
    double flip = mx->flip;
    if (!at)
        b += i0;
    for (size_t i = 0; i < nb; i++) {
        unsigned char v = at ? b[at[i]] : b[i];
        tmp[i] = v == EGDI_DATASET_NA ? NAN : rev ? flip - (double)v : (double)v;
    }
}

/* One share of the pass: the rows [i0, i1) (whole blocks but the last),
 * into its own sums and cross-products. */
typedef struct {
    const double *x;
    const egdi_item_matrix *mx;
    size_t n, p, pp, i0, i1;
    const double *shift;
    bool simd;
    double *sum, *s; /* p sums, pp x pp products (zeroed) */
    double *buf;     /* pp * BLOCK + BLOCK */
    bool bad;        /* a NaN met: in column bad_j of its first such block */
    size_t bad_j;
} share;

static void run_share(share *w)
{
    size_t n = w->n, pp = w->pp;
    double *tmp = w->buf + pp * BLOCK; /* a byte column's block as doubles */
    for (size_t i0 = w->i0; i0 < w->i1; i0 += BLOCK) {
        size_t nb = w->i1 - i0 < BLOCK ? w->i1 - i0 : BLOCK;
        size_t nb4 = (nb + 3) / 4 * 4; /* zero rows pad the last block */
        for (size_t j = 0; j < w->p; j++) {
            double *dst = w->buf + j * BLOCK;
            const double *src = w->x ? w->x + j * n + i0 : tmp;
            if (!w->x)
                gather(w->mx, j, i0, nb, tmp);
            double acc = shift_copy(src, nb, w->shift[j], dst);
            if (isnan(acc)) {
                w->bad = true;
                w->bad_j = j;
                return;
            }
            w->sum[j] += acc;
            for (size_t i = nb; i < nb4; i++)
                dst[i] = 0;
        }
        egdi_xprod_block(w->buf, w->buf, nb, pp, w->s, true, w->simd);
    }
}

static void *share_thread(void *arg)
{
    run_share(arg);
    return NULL;
}

/*
 * Whether the pass may be split between threads and the shares added: only
 * when every product and sum is a whole number well inside a double's 53
 * bits, so that any order of adding gives the same bits - answers read as
 * bytes (whole numbers to 254, reversed as flip - v), whole shifts, and
 * enough rows to be worth a thread.  Doubles are left to one thread: their
 * sums would change in the last bits with the split.
 */
enum { SPLIT_MIN_ROWS = 65536, SPLIT_MAX_THREADS = 4 };

static unsigned split_threads(const egdi_item_matrix *mx, size_t n, const double *shift, size_t p)
{
    if (!mx || n < SPLIT_MIN_ROWS || n > (size_t)1 << 32 || mx->flip != floor(mx->flip) ||
        fabs(mx->flip) > 1024)
        return 1;
    for (size_t j = 0; j < p; j++)
        if (shift[j] != floor(shift[j]))
            return 1;
    unsigned nt = egdi_cpus_online();
    if (nt > SPLIT_MAX_THREADS)
        nt = SPLIT_MAX_THREADS;
    if (nt > n / (SPLIT_MIN_ROWS / 2))
        nt = (unsigned)(n / (SPLIT_MIN_ROWS / 2));
    return nt ? nt : 1;
}

/* The pass over the doubles x, or (x NULL) over the byte matrix mx. */
static egdi_status compute(const double *x, const egdi_item_matrix *mx, size_t n, size_t p,
                           bool simd, egdi_xprod *out, size_t *bad)
{
    memset(out, 0, sizeof *out);
    size_t pp = (p + TILE - 1) / TILE * TILE;
    out->n = n;
    out->p = p;
    out->pp = pp;
    *bad = 0;
    if (n == 0 || p == 0)
        return EGDI_ERR_ARG;
    out->shift = calloc(p, sizeof *out->shift);
    out->sum = calloc(p, sizeof *out->sum);
    out->s = calloc(pp * pp, sizeof *out->s);
    if (!out->shift || !out->sum || !out->s) {
        egdi_xprod_release(out);
        return EGDI_ERR_NOMEM;
    }
    simd = simd && egdi_xprod_simd();
    for (size_t j = 0; j < p; j++)
        out->shift[j] = pick_shift(x, mx, n, j);
    unsigned nt = split_threads(x ? NULL : mx, n, out->shift, p);
    share w[SPLIT_MAX_THREADS];
    pthread_t tid[SPLIT_MAX_THREADS];
    size_t blocks = (n + BLOCK - 1) / BLOCK;
    egdi_status st = EGDI_OK;
    unsigned made = 0, started = 0;
    for (; made < nt; made++) {
        share *v = &w[made];
        *v = (share){x, mx, n, p, pp, blocks * made / nt * BLOCK,
                     blocks * (made + 1) / nt * BLOCK, out->shift, simd, NULL, NULL, NULL,
                     false, 0};
        if (v->i1 > n)
            v->i1 = n;
        v->buf = calloc(pp * BLOCK + BLOCK, sizeof *v->buf);
        v->sum = made ? calloc(p, sizeof *v->sum) : out->sum;
        v->s = made ? calloc(pp * pp, sizeof *v->s) : out->s;
        if (!v->buf || !v->sum || !v->s) {
            made++;
            st = EGDI_ERR_NOMEM;
            break;
        }
    }
    if (st == EGDI_OK) {
        /* the later shares on threads of their own, the first here; a share
         * whose thread cannot start is run here too */
        for (started = 1; started < nt; started++)
            if (pthread_create(&tid[started], NULL, share_thread, &w[started]) != 0)
                break;
        run_share(&w[0]);
        for (unsigned t = 1; t < started; t++)
            pthread_join(tid[t], NULL);
        for (unsigned t = started; t < nt; t++)
            run_share(&w[t]);
        /* the first share (in row order) with a NaN names its column */
        for (unsigned t = 0; t < nt && st == EGDI_OK; t++)
            if (w[t].bad) {
                *bad = w[t].bad_j;
                st = EGDI_ERR_VALUE;
            }
        for (unsigned t = 1; t < nt && st == EGDI_OK; t++) {
            for (size_t j = 0; j < p; j++)
                out->sum[j] += w[t].sum[j];
            for (size_t k = 0; k < pp * pp; k++)
                out->s[k] += w[t].s[k];
        }
    }
    for (unsigned t = 0; t < made; t++) {
        free(w[t].buf);
        if (t) {
            free(w[t].sum);
            free(w[t].s);
        }
    }
    if (st != EGDI_OK)
        egdi_xprod_release(out);
    return st;
}

egdi_status egdi_xprod_compute(const double *x, size_t n, size_t p, bool simd, egdi_xprod *out,
                               size_t *bad)
{
    return compute(x, NULL, n, p, simd, out, bad);
}

egdi_status egdi_xprod_compute_matrix(const egdi_item_matrix *m, bool simd, egdi_xprod *out,
                                      size_t *bad)
{
    return compute(m->x, m->x ? NULL : m, m->n, m->p, simd, out, bad);
}

void egdi_xprod_cov(const egdi_xprod *xp, double *mean, double *cov)
{
    size_t p = xp->p, pp = xp->pp;
    double dn = (double)xp->n;
    for (size_t j = 0; j < p; j++) {
        mean[j] = xp->shift[j] + xp->sum[j] / dn;
        for (size_t k = j; k < p; k++) {
            double v = (xp->s[j * pp + k] - xp->sum[j] * xp->sum[k] / dn) / (dn - 1);
            cov[j * p + k] = cov[k * p + j] = v;
        }
    }
}
