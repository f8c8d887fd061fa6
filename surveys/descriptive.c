/*
 * descriptive.c - item descriptives and frequency tables (see
 * descriptive.h for the definitions).  Two passes over the data: the mean,
 * then the central moments, for accuracy.  The frequency table sorts a
 * private copy, which it frees; its result arrays belong to the egdi_freq.
 */
#include "surveys/descriptive.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

egdi_status egdi_desc_compute(const double *x, size_t n, egdi_desc *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    double sum = 0, mn = INFINITY, mx = -INFINITY;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        m++;
        sum += x[i];
        if (x[i] < mn)
            mn = x[i];
        if (x[i] > mx)
            mx = x[i];
    }
    out->n = m;
    out->missing = n - m;
    if (m == 0)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "no answers");
    double mean = sum / (double)m;
    double m2 = 0, m3 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        double d = x[i] - mean, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    double dn = (double)m;
    out->mean = mean;
    out->min = mn;
    out->max = mx;
    out->sd = m > 1 ? sqrt(m2 / (dn - 1)) : NAN;
    out->skew3 = out->kurt3 = out->skew2 = out->kurt2 = NAN;
    out->se_skew = out->se_kurt = NAN;
    if (m > 2)
        out->se_skew = sqrt(6 * dn * (dn - 1) / ((dn - 2) * (dn + 1) * (dn + 3)));
    if (m > 3)
        out->se_kurt = 2 * out->se_skew * sqrt((dn * dn - 1) / ((dn - 3) * (dn + 5)));
    m2 /= dn;
    m3 /= dn;
    m4 /= dn;
    if (m < 2 || !(m2 > 0))
        return EGDI_OK;
    double g1 = m3 / pow(m2, 1.5), g2 = m4 / (m2 * m2) - 3;
    double r = (dn - 1) / dn;
    out->skew3 = g1 * pow(r, 1.5);
    out->kurt3 = (g2 + 3) * r * r - 3;
    if (m > 2)
        out->skew2 = g1 * sqrt(dn * (dn - 1)) / (dn - 2);
    if (m > 3)
        out->kurt2 = ((dn + 1) * g2 + 6) * (dn - 1) / ((dn - 2) * (dn - 3));
    return EGDI_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

egdi_status egdi_freq_compute(const double *x, size_t n, egdi_freq *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            v[m++] = x[i];
    qsort(v, m, sizeof *v, cmp_double);
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (i == 0 || v[i] != v[i - 1])
            k++;
    out->value = malloc((k ? k : 1) * sizeof *out->value);
    out->count = calloc(k ? k : 1, sizeof *out->count);
    if (!out->value || !out->count) {
        free(v);
        egdi_freq_release(out);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    size_t j = 0;
    for (size_t i = 0; i < m; i++) {
        if (i > 0 && v[i] != v[i - 1])
            j++;
        out->value[j] = v[i];
        out->count[j]++;
    }
    out->k = k;
    out->valid = m;
    out->total = n;
    free(v);
    return EGDI_OK;
}

void egdi_freq_release(egdi_freq *f)
{
    if (!f)
        return;
    free(f->value);
    free(f->count);
    f->value = NULL;
    f->count = NULL;
    f->k = 0;
}

void egdi_desc_moments(const double *x, size_t n, size_t p, double *mean, double *sd)
{
    for (size_t j = 0; j < p; j++) {
        const double *c = x + j * n;
        double s = 0, ss = 0;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(c[i])) {
                s += c[i];
                k++;
            }
        mean[j] = k ? s / (double)k : NAN;
        for (size_t i = 0; i < n; i++)
            if (!isnan(c[i]))
                ss += (c[i] - mean[j]) * (c[i] - mean[j]);
        sd[j] = k > 1 ? sqrt(ss / (double)(k - 1)) : NAN;
    }
}

void egdi_desc_items_release(egdi_desc_item *d, size_t p)
{
    if (!d)
        return;
    for (size_t j = 0; j < p; j++)
        egdi_freq_release(&d[j].freq);
}

egdi_status egdi_desc_items(const egdi_dataset *ds, const size_t *cols, size_t p,
                            egdi_desc_item *out, size_t *complete, egdi_error *err)
{
    memset(out, 0, p * sizeof *out);
    egdi_item_matrix m;
    egdi_status st = egdi_dataset_matrix(ds, cols, p, EGDI_PAIRWISE, &m, err);
    if (st != EGDI_OK)
        return st;
    double *given = malloc((m.n ? m.n : 1) * sizeof *given);
    if (!given) {
        egdi_dataset_matrix_release(&m);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < p && st == EGDI_OK; j++) {
        out[j].reversed = m.reversed[j];
        for (size_t i = 0; i < m.n; i++)
            given[i] = egdi_dataset_at(ds, cols[j], i);
        if ((st = egdi_desc_compute(m.x + j * m.n, m.n, &out[j].desc, err)) == EGDI_OK)
            st = egdi_freq_compute(given, m.n, &out[j].freq, err);
        if (st != EGDI_OK && err) {
            char why[EGDI_ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", err->message);
            egdi_error_set(err, st, "item %s: %s", m.names[j], why);
        }
    }
    if (st == EGDI_OK && complete)
        *complete = egdi_dataset_complete(ds, cols, p);
    free(given);
    egdi_dataset_matrix_release(&m);
    if (st != EGDI_OK)
        egdi_desc_items_release(out, p);
    return st;
}
