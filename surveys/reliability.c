/*
 * reliability.c - covariances and Cronbach's alpha (see reliability.h).
 *
 * Listwise covariances: the means first, then the rows in blocks of
 * COV_BLOCK: each block is centred into a small p x COV_BLOCK buffer
 * (item-major, so the inner products run over contiguous memory) and the
 * lower triangle of the cross-product matrix is accumulated.  The buffer
 * is freed before returning; the results belong to the egdi_cov.
 */
#include "reliability.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COV_BLOCK 256

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define HAVE_COV_AVX2 1
typedef double cov_v4 __attribute__((vector_size(32)));

/*
 * The cross-products of one centred block (buf, p items x COV_BLOCK rows,
 * m rows used) added to the lower triangle of cov, with AVX2 and the same
 * bits as the scalar loop in cov_listwise: lane l of a vector accumulator
 * is exactly the scalar sum s_l (rows i = l mod 4, multiplied then added,
 * no FMA), and the lanes are combined as (s0 + s1) + (s2 + s3).  Four
 * pairs (j, k..k+3) share each load of column j.
 */
__attribute__((target("avx2"))) static void block_cross_avx2(const double *buf, size_t m,
                                                             size_t p, double *cov)
{
    size_t m4 = m / 4 * 4;
    for (size_t j = 0; j < p; j++) {
        const double *bj = buf + j * COV_BLOCK;
        size_t k = 0;
        for (; k + 4 <= j + 1; k += 4) {
            const double *b0 = buf + k * COV_BLOCK, *b1 = b0 + COV_BLOCK;
            const double *b2 = b1 + COV_BLOCK, *b3 = b2 + COV_BLOCK;
            cov_v4 a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0;
            for (size_t i = 0; i < m4; i += 4) {
                cov_v4 x, y0, y1, y2, y3;
                memcpy(&x, bj + i, sizeof x);
                memcpy(&y0, b0 + i, sizeof x);
                memcpy(&y1, b1 + i, sizeof x);
                memcpy(&y2, b2 + i, sizeof x);
                memcpy(&y3, b3 + i, sizeof x);
                a0 += x * y0;
                a1 += x * y1;
                a2 += x * y2;
                a3 += x * y3;
            }
            cov_v4 acc[4] = {a0, a1, a2, a3};
            for (size_t u = 0; u < 4; u++) {
                const double *bk = buf + (k + u) * COV_BLOCK;
                double s0 = acc[u][0];
                for (size_t i = m4; i < m; i++)
                    s0 += bj[i] * bk[i];
                cov[j * p + k + u] += (s0 + acc[u][1]) + (acc[u][2] + acc[u][3]);
            }
        }
        for (; k <= j; k++) {
            const double *bk = buf + k * COV_BLOCK;
            cov_v4 a = {0, 0, 0, 0};
            for (size_t i = 0; i < m4; i += 4) {
                cov_v4 x, y;
                memcpy(&x, bj + i, sizeof x);
                memcpy(&y, bk + i, sizeof y);
                a += x * y;
            }
            double s0 = a[0];
            for (size_t i = m4; i < m; i++)
                s0 += bj[i] * bk[i];
            cov[j * p + k] += (s0 + a[1]) + (a[2] + a[3]);
        }
    }
}
#endif

/* Refuse matrices whose p * p cells would not fit a size_t. */
#define COV_MAX_ITEMS 65535u

void egdi_cov_free(egdi_cov *c)
{
    if (!c)
        return;
    free(c->mean);
    free(c->cov);
    c->mean = c->cov = NULL;
}

static egdi_status cov_listwise(const double *x, size_t n, size_t p, egdi_cov *out,
                                egdi_error *err)
{
    for (size_t j = 0; j < p; j++) {
        const double *col = x + j * n;
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += col[i];
        if (isnan(s))
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "missing answers in a listwise matrix (item %zu)", j + 1);
        out->mean[j] = s / (double)n;
    }
    double *buf = malloc(p * COV_BLOCK * sizeof *buf);
    if (!buf)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
#ifdef HAVE_COV_AVX2
    bool avx2 = __builtin_cpu_supports("avx2");
#endif
    for (size_t i0 = 0; i0 < n; i0 += COV_BLOCK) {
        size_t m = n - i0 < COV_BLOCK ? n - i0 : COV_BLOCK;
        for (size_t j = 0; j < p; j++) {
            const double *col = x + j * n + i0;
            double *b = buf + j * COV_BLOCK, mj = out->mean[j];
            for (size_t i = 0; i < m; i++)
                b[i] = col[i] - mj;
        }
#ifdef HAVE_COV_AVX2
        if (avx2) {
            block_cross_avx2(buf, m, p, out->cov);
            continue;
        }
#endif
        for (size_t j = 0; j < p; j++) {
            const double *bj = buf + j * COV_BLOCK;
            for (size_t k = 0; k <= j; k++) {
                const double *bk = buf + k * COV_BLOCK;
                /* four independent sums: no chain of dependent additions */
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                size_t i = 0;
                for (; i + 4 <= m; i += 4) {
                    s0 += bj[i] * bk[i];
                    s1 += bj[i + 1] * bk[i + 1];
                    s2 += bj[i + 2] * bk[i + 2];
                    s3 += bj[i + 3] * bk[i + 3];
                }
                for (; i < m; i++)
                    s0 += bj[i] * bk[i];
                out->cov[j * p + k] += (s0 + s1) + (s2 + s3);
            }
        }
    }
    free(buf);
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k <= j; k++) {
            double v = out->cov[j * p + k] / (double)(n - 1);
            out->cov[j * p + k] = out->cov[k * p + j] = v;
        }
    out->n_min = n;
    return EGDI_OK;
}

static const char *item_name(const char *const *names, size_t j, char buf[32])
{
    if (names && names[j])
        return names[j];
    snprintf(buf, 32, "item %zu", j + 1);
    return buf;
}

static egdi_status cov_pairwise(const double *x, size_t n, size_t p,
                                const char *const *names, egdi_cov *out, egdi_error *err)
{
    size_t nmin = n;
    for (size_t j = 0; j < p; j++) {
        const double *a = x + j * n;
        double s = 0;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(a[i])) {
                s += a[i];
                m++;
            }
        out->mean[j] = m ? s / (double)m : NAN;
        for (size_t k = 0; k <= j; k++) {
            const double *b = x + k * n;
            double sa = 0, sb = 0;
            size_t c = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(a[i]) && !isnan(b[i])) {
                    sa += a[i];
                    sb += b[i];
                    c++;
                }
            if (c < 2) {
                char b1[32], b2[32];
                if (k == j)
                    return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                          "item %s has %zu answer%s; a variance needs two",
                                          item_name(names, j, b1), c, c == 1 ? "" : "s");
                return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                      "items %s and %s have %zu respondent%s in common; "
                                      "a covariance needs two",
                                      item_name(names, k, b1), item_name(names, j, b2), c,
                                      c == 1 ? "" : "s");
            }
            double ma = sa / (double)c, mb = sb / (double)c, s2 = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(a[i]) && !isnan(b[i]))
                    s2 += (a[i] - ma) * (b[i] - mb);
            out->cov[j * p + k] = out->cov[k * p + j] = s2 / (double)(c - 1);
            if (c < nmin)
                nmin = c;
        }
    }
    out->n_min = nmin;
    return EGDI_OK;
}

egdi_status egdi_cov_compute(const double *x, size_t n, size_t p, bool pairwise,
                             const char *const *names, egdi_cov *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->p = p;
    if (p == 0 || p > COV_MAX_ITEMS)
        return egdi_error_set(err, EGDI_ERR_ARG, "%zu items (1 to %u allowed)", p,
                              COV_MAX_ITEMS);
    if (n < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%zu respondent%s: covariances need at least two", n,
                              n == 1 ? "" : "s");
    out->mean = calloc(p, sizeof *out->mean);
    out->cov = calloc(p * p, sizeof *out->cov);
    if (!out->mean || !out->cov) {
        egdi_cov_free(out);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    egdi_status st = pairwise ? cov_pairwise(x, n, p, names, out, err) : cov_listwise(x, n, p, out, err);
    if (st != EGDI_OK)
        egdi_cov_free(out);
    return st;
}

void egdi_alpha_free(egdi_alpha *a)
{
    if (!a)
        return;
    free(a->items);
    a->items = NULL;
}

egdi_status egdi_alpha_from_cov(const egdi_cov *c, const char *const *names,
                                egdi_alpha *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    size_t p = c->p;
    out->n = c->n;
    out->p = p;
    out->n_min = c->n_min;
    char buf[32];
    if (p < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "alpha needs at least two items");
    if (c->n < p)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%zu respondents for %zu items: fewer respondents than items",
                              c->n, p);
    for (size_t j = 0; j < p; j++)
        if (!(c->cov[j * p + j] > 0))
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "item %s has zero variance (every answer is %g)",
                                  item_name(names, j, buf), c->mean[j]);
    out->items = calloc(p, sizeof *out->items);
    double *rowc = calloc(p, sizeof *rowc), *rowr = calloc(p, sizeof *rowr);
    if (!out->items || !rowc || !rowr) {
        free(rowc);
        free(rowr);
        egdi_alpha_free(out);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    double sumc = 0, trc = 0, sumr = 0, summean = 0, dp = (double)p;
    for (size_t j = 0; j < p; j++) {
        double cjj = c->cov[j * p + j];
        trc += cjj;
        summean += c->mean[j];
        for (size_t k = 0; k < p; k++) {
            double v = c->cov[j * p + k];
            double r = v / sqrt(cjj * c->cov[k * p + k]);
            rowc[j] += v;
            rowr[j] += r;
        }
        sumc += rowc[j];
        sumr += rowr[j];
    }
    if (!(sumc > 0)) {
        free(rowc);
        free(rowr);
        egdi_alpha_free(out);
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "the total score has zero variance (items cancel out)");
    }
    out->alpha = dp / (dp - 1) * (1 - trc / sumc);
    out->std_alpha = dp / (dp - 1) * (1 - dp / sumr);
    out->average_r = (sumr - dp) / (dp * (dp - 1));
    out->scale_mean = summean;
    out->scale_var = sumc;
    for (size_t j = 0; j < p; j++) {
        egdi_alpha_item *it = &out->items[j];
        double cjj = c->cov[j * p + j];
        double vdrop = sumc - 2 * rowc[j] + cjj;
        it->mean = c->mean[j];
        it->sd = sqrt(cjj);
        it->scale_mean_if_deleted = summean - c->mean[j];
        it->scale_var_if_deleted = vdrop;
        it->r_total = rowc[j] / sqrt(cjj * sumc);
        it->r_corrected = vdrop > 0 ? (rowc[j] - cjj) / sqrt(cjj * vdrop) : NAN;
        it->alpha_if_deleted = it->std_alpha_if_deleted = NAN;
        if (p > 2 && vdrop > 0) {
            double q = dp - 1;
            it->alpha_if_deleted = q / (q - 1) * (1 - (trc - cjj) / vdrop);
            double srd = sumr - 2 * rowr[j] + 1;
            it->std_alpha_if_deleted = q / (q - 1) * (1 - q / srd);
        }
    }
    free(rowc);
    free(rowr);
    return EGDI_OK;
}

egdi_status egdi_alpha_compute(const double *x, size_t n, size_t p, bool pairwise,
                               const char *const *names, egdi_alpha *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_cov c;
    egdi_status st = egdi_cov_compute(x, n, p, pairwise, names, &c, err);
    if (st != EGDI_OK)
        return st;
    st = egdi_alpha_from_cov(&c, names, out, err);
    egdi_cov_free(&c);
    return st;
}
