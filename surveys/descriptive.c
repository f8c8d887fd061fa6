/*
 * descriptive.c - item descriptives and frequency tables (see
 * descriptive.h for the definitions).  Two passes over the data: the mean,
 * then the central moments, for accuracy.  The frequency table sorts a
 * private copy, which it frees; its result arrays belong to the egdi_freq.
 */
#include "surveys/descriptive.h"

#include <math.h>
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
        egdi_freq_free(out);
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

void egdi_freq_free(egdi_freq *f)
{
    if (!f)
        return;
    free(f->value);
    free(f->count);
    f->value = NULL;
    f->count = NULL;
    f->k = 0;
}
