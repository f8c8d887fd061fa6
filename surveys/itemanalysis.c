/*
 * itemanalysis.c - critical-ratio item analysis (see itemanalysis.h).
 *
 * Work arrays, in one block freed before returning: the totals (n), the
 * high / low answers of one item at a time (n + 1 each; the first also serves
 * as the copy the order statistics are selected from) and the groups.
 * The cut values come from a selection (expected O(n), no sort); the rest
 * is linear per item plus egdi_alpha's covariances, which the caller may
 * pass in when it has them already (egdi_cr_compute_with).
 */
#include "surveys/itemanalysis.h"
#include "engine/core/bigmem.h"
#include "surveys/reliability.h"
#include "surveys/sums_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void egdi_cr_opts_init(egdi_cr_opts *o)
{
    o->tail = 0.27;
    o->min_cr = 3;
    o->min_r = 0.4;
    o->conf = 0.95;
}

double egdi_cr_percentile(const double *sorted, size_t n, double q)
{
    double pos = q * (double)(n + 1);
    if (pos <= 1)
        return sorted[0];
    if (pos >= (double)n)
        return sorted[n - 1];
    size_t k = (size_t)floor(pos); /* 1 <= k < n */
    double frac = pos - (double)k;
    return sorted[k - 1] + frac * (sorted[k] - sorted[k - 1]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/*
 * The k-th smallest (0-based) of a[0..n) (k < n, no NaN), reordering a so
 * that a[0..k) <= a[k] <= a[k+1..n): quickselect with a median-of-three
 * pivot and a three-way partition (totals have many ties), falling back to
 * qsort of the remaining range after 2 log2 n + 8 rounds, so the worst case
 * stays O(n log n).
 */
static double select_kth(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* the k-th smallest is in a[lo..hi) */
    int budget = 8;
    for (size_t m = n; m > 1; m /= 2)
        budget += 2;
    while (hi - lo > 16) {
        if (budget-- == 0) {
            qsort(a + lo, hi - lo, sizeof *a, cmp_double);
            return a[k];
        }
        double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
        double piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        /* a[lo..lt) < piv, a[lt..i) == piv, a[gt..hi) > piv */
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (a[i] < piv)
                swap_d(&a[lt++], &a[i++]);
            else if (a[i] > piv)
                swap_d(&a[i], &a[--gt]);
            else
                i++;
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return piv;
    }
    for (size_t i = lo + 1; i < hi; i++) /* insertion sort of the rest */
        for (size_t j = i; j > lo && a[j - 1] > a[j]; j--)
            swap_d(&a[j - 1], &a[j]);
    return a[k];
}

double egdi_cr_percentile_select(double *a, size_t n, double q)
{
    double pos = q * (double)(n + 1);
    bool clamped = !(pos > 1) || pos >= (double)n; /* (a NaN q: the least) */
    size_t k = !(pos > 1) ? 1 : pos >= (double)n ? n : (size_t)floor(pos); /* 1..n */
    double lo = select_kth(a, n, k - 1);
    if (clamped)
        return lo;
    double hi = a[k]; /* the next order statistic: the least of a[k..n) */
    for (size_t i = k + 1; i < n; i++)
        if (a[i] < hi)
            hi = a[i];
    return lo + (pos - (double)k) * (hi - lo);
}

void egdi_cr_release(egdi_cr *r)
{
    if (!r)
        return;
    free(r->items);
    r->items = NULL;
}

egdi_status egdi_cr_compute(const double *x, size_t n, size_t p, const char *const *names,
                            const egdi_cr_opts *opts, egdi_cr *out, egdi_error *err)
{
    return egdi_cr_compute_with(x, n, p, names, NULL, opts, out, err);
}

/* total[i] = sum of row i of x (n x p, column-major), in blocks of rows that
 * stay in the L1 cache; false when a total is not finite (a missing or
 * infinite answer). */
static bool row_totals(const double *x, const egdi_item_matrix *mx, size_t n, size_t p,
                       double *total)
{
    enum { B = 1024 };
    bool finite = true;
    double buf[B]; /* a byte matrix's block of one item as doubles */
    for (size_t i0 = 0; i0 < n; i0 += B) {
        size_t m = n - i0 < B ? n - i0 : B;
        double *t = total + i0;
        if (x)
            memcpy(t, x + i0, m * sizeof *t);
        else
            for (size_t i = 0; i < m; i++)
                t[i] = egdi_item_matrix_at(mx, 0, i0 + i);
        for (size_t j = 1; j < p; j++) {
            const double *col = x ? x + j * n + i0 : buf;
            if (!x)
                for (size_t i = 0; i < m; i++)
                    buf[i] = egdi_item_matrix_at(mx, j, i0 + i);
            size_t i = 0;
            for (; i + 2 <= m; i += 2) {
                egdi_v2d v = egdi_v2d_load(t + i) + egdi_v2d_load(col + i);
                memcpy(t + i, &v, sizeof v);
            }
            for (; i < m; i++)
                t[i] += col[i];
        }
        finite = finite && isfinite(egdi_sum(t, m));
    }
    return finite;
}

/* The item analysis of the doubles x, or (x NULL) of the byte matrix mx:
 * the same numbers in the same order either way. */
static egdi_status cr_impl(const double *x, const egdi_item_matrix *mx, size_t n, size_t p,
                           const char *const *names, const egdi_alpha *alpha,
                           const egdi_cr_opts *opts, egdi_cr *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_cr_opts def;
    if (!opts) {
        egdi_cr_opts_init(&def);
        opts = &def;
    }
    out->n = n;
    out->p = p;
    out->opts = *opts;
    if (!(opts->tail > 0 && opts->tail <= 0.5))
        return egdi_error_set(err, EGDI_ERR_ARG, "tail %g is not in (0, 0.5]", opts->tail);
    egdi_alpha own = {0};
    const egdi_alpha *a = alpha;
    egdi_status st;
    if (!a) {
        if (x) {
            if ((st = egdi_alpha_compute(x, n, p, false, names, &own, err)) != EGDI_OK)
                return st;
        } else {
            egdi_cov c;
            if ((st = egdi_cov_matrix(mx, false, &c, err)) != EGDI_OK)
                return st;
            st = egdi_alpha_from_cov(&c, names, &own, err);
            egdi_cov_release(&c);
            if (st != EGDI_OK)
                return st;
        }
        a = &own;
    } else if (a->p != p || a->n != n || !a->items) {
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "the alpha passed in is of %zu items x %zu respondents, not "
                              "%zu x %zu", a->p, a->n, p, n);
    }
    out->alpha = a->alpha;
    /* one block (huge pages when large: bigmem.h): the totals, the high /
     * low answers of one item (one spare slot each: the split below stores
     * before it counts; the high buffer first holds the copy the cut
     * values are selected from) and the group of each respondent */
    size_t nd = n + 1;
    double *work = egdi_bigmem_alloc(3 * nd * sizeof *work + n);
    double *total = work, *hi = work ? work + nd : NULL, *lo = work ? work + 2 * nd : NULL;
    double *sorted = hi;
    unsigned char *grp = work ? (unsigned char *)(work + 3 * nd) : NULL;
    out->items = calloc(p, sizeof *out->items);
    if (!work || !out->items) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (!row_totals(x, mx, n, p, total)) {
        st = egdi_error_set(err, EGDI_ERR_ARG,
                            "missing or infinite answers in a listwise matrix");
        goto fail;
    }
    memcpy(sorted, total, n * sizeof *sorted);
    out->cut_low = egdi_cr_percentile_select(sorted, n, opts->tail);
    out->cut_high = egdi_cr_percentile_select(sorted, n, 1 - opts->tail);
    /* the groups once (bit 0 high, bit 1 low; both when the cuts cross) */
    for (size_t i = 0; i < n; i++) {
        unsigned char h = total[i] >= out->cut_high, l = total[i] <= out->cut_low;
        grp[i] = (unsigned char)(h | l << 1);
        out->n_low += l;
        out->n_high += h;
    }
    static const char *const groups[2] = {"the high group", "the low group"};
    for (size_t j = 0; j < p; j++) {
        size_t nh = 0, nl = 0;
        /* without branches: store always, advance when in the group */
        if (x) {
            const double *col = x + j * n;
            for (size_t i = 0; i < n; i++) {
                hi[nh] = col[i];
                nh += grp[i] & 1u;
                lo[nl] = col[i];
                nl += grp[i] >> 1;
            }
        } else {
            for (size_t i = 0; i < n; i++) {
                double v = egdi_item_matrix_at(mx, j, i);
                hi[nh] = v;
                nh += grp[i] & 1u;
                lo[nl] = v;
                nl += grp[i] >> 1;
            }
        }
        egdi_cr_item *it = &out->items[j];
        st = egdi_ttest_independent(hi, nh, lo, nl, opts->conf, groups, &it->t, err);
        if (st != EGDI_OK) {
            char why[EGDI_ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", err ? err->message : "");
            if (names && names[j])
                egdi_error_set(err, st, "item %s: %s", names[j], why);
            else
                egdi_error_set(err, st, "item %zu: %s", j + 1, why);
            goto fail;
        }
        it->welch = it->t.welch_selected;
        const egdi_trow *row = it->welch ? &it->t.welch : &it->t.student;
        it->cr = row->t;
        it->cr_df = row->df;
        it->cr_p = row->p;
        it->r_total = a->items[j].r_total;
        it->r_corrected = a->items[j].r_corrected;
        it->alpha_if_deleted = a->items[j].alpha_if_deleted;
        it->keep = it->cr >= opts->min_cr && it->cr_p < 0.05 && it->r_corrected >= opts->min_r;
    }
    st = EGDI_OK;
    goto done;
fail:
    egdi_cr_release(out);
done:
    free(work);
    egdi_alpha_release(&own);
    return st;
}

egdi_status egdi_cr_compute_with(const double *x, size_t n, size_t p, const char *const *names,
                                 const egdi_alpha *alpha, const egdi_cr_opts *opts,
                                 egdi_cr *out, egdi_error *err)
{
    return cr_impl(x, NULL, n, p, names, alpha, opts, out, err);
}

egdi_status egdi_cr_compute_matrix(const egdi_item_matrix *m, const egdi_alpha *alpha,
                                   const egdi_cr_opts *opts, egdi_cr *out, egdi_error *err)
{
    return cr_impl(m->x, m->x ? NULL : m, m->n, m->p, m->names, alpha, opts, out, err);
}
