/*
 * itemanalysis.c - critical-ratio item analysis (see itemanalysis.h).
 *
 * Work arrays: the totals (n), a sorted copy (n), and the high / low answers
 * of one item at a time (n); all freed before returning.  One sort of the
 * totals; the rest is linear per item plus egdi_alpha's covariances.
 */
#include "itemanalysis.h"
#include "reliability.h"

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

double egdi_percentile_haverage(const double *sorted, size_t n, double q)
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

void egdi_cr_free(egdi_cr *r)
{
    if (!r)
        return;
    free(r->items);
    r->items = NULL;
}

egdi_status egdi_cr_compute(const double *x, size_t n, size_t p, const char *const *names,
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
    egdi_alpha a;
    egdi_status st = egdi_alpha_compute(x, n, p, false, names, &a, err);
    if (st != EGDI_OK)
        return st;
    out->alpha = a.alpha;
    double *total = calloc(n, sizeof *total);
    double *sorted = malloc(n * sizeof *sorted);
    /* one spare slot each: the split below stores before it counts */
    double *hi = malloc((n + 1) * sizeof *hi), *lo = malloc((n + 1) * sizeof *lo);
    unsigned char *grp = malloc(n ? n : 1);
    out->items = calloc(p, sizeof *out->items);
    if (!total || !sorted || !hi || !lo || !grp || !out->items) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t j = 0; j < p; j++) {
        const double *col = x + j * n;
        for (size_t i = 0; i < n; i++)
            total[i] += col[i];
    }
    memcpy(sorted, total, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    out->cut_low = egdi_percentile_haverage(sorted, n, opts->tail);
    out->cut_high = egdi_percentile_haverage(sorted, n, 1 - opts->tail);
    /* the groups once (bit 0 high, bit 1 low; both when the cuts cross) */
    for (size_t i = 0; i < n; i++) {
        unsigned char h = total[i] >= out->cut_high, l = total[i] <= out->cut_low;
        grp[i] = (unsigned char)(h | l << 1);
        out->n_low += l;
        out->n_high += h;
    }
    static const char *const groups[2] = {"the high group", "the low group"};
    for (size_t j = 0; j < p; j++) {
        const double *col = x + j * n;
        size_t nh = 0, nl = 0;
        /* without branches: store always, advance when in the group */
        for (size_t i = 0; i < n; i++) {
            hi[nh] = col[i];
            nh += grp[i] & 1u;
            lo[nl] = col[i];
            nl += grp[i] >> 1;
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
        it->r_total = a.items[j].r_total;
        it->r_corrected = a.items[j].r_corrected;
        it->alpha_if_deleted = a.items[j].alpha_if_deleted;
        it->keep = it->cr >= opts->min_cr && it->cr_p < 0.05 && it->r_corrected >= opts->min_r;
    }
    st = EGDI_OK;
    goto done;
fail:
    egdi_cr_free(out);
done:
    free(total);
    free(sorted);
    free(hi);
    free(lo);
    free(grp);
    egdi_alpha_free(&a);
    return st;
}
