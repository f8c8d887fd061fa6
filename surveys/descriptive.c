/*
 * descriptive.c - item descriptives and frequency tables (see
 * descriptive.h for the definitions).  Two passes over the data: the mean,
 * then the central moments, for accuracy.  The frequency table counts (a
 * byte column into 256 counters, doubles into a small hash table of their
 * distinct values) and sorts a private copy only for doubles with more
 * than FREQ_DISTINCT distinct values; its result arrays belong to the
 * egdi_freq.
 */
#include "surveys/descriptive.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answer i of the doubles x, or (x NULL) of the bytes b keyed by flip -
 * byte when rev: the same double either way. */
static inline double answer(const double *x, const unsigned char *b, bool rev, double flip,
                            size_t i)
{
    if (x)
        return x[i];
    if (b[i] == EGDI_DATASET_NA)
        return NAN;
    return rev ? flip - (double)b[i] : (double)b[i];
}

/* egdi_desc_compute of the doubles x or the bytes b: one code, the same
 * additions in the same order, so both give the same bits. */
static egdi_status desc_impl(const double *x, const unsigned char *b, bool rev, double flip,
                             size_t n, egdi_desc *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    double sum = 0, mn = INFINITY, mx = -INFINITY;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = answer(x, b, rev, flip, i);
        if (isnan(v))
            continue;
        m++;
        sum += v;
        if (v < mn)
            mn = v;
        if (v > mx)
            mx = v;
    }
    out->n = m;
    out->missing = n - m;
    if (m == 0)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "no answers");
    double mean = sum / (double)m;
    double m2 = 0, m3 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        double v = answer(x, b, rev, flip, i);
        if (isnan(v))
            continue;
        double d = v - mean, d2 = d * d;
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

egdi_status egdi_desc_compute(const double *x, size_t n, egdi_desc *out, egdi_error *err)
{
    return desc_impl(x, NULL, false, 0, n, out, err);
}

egdi_status egdi_desc_bytes(const unsigned char *b, size_t n, bool reversed, double flip,
                            egdi_desc *out, egdi_error *err)
{
    return desc_impl(NULL, b, reversed, flip, n, out, err);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Room for k values and counts in *out; false when out of memory. */
static bool freq_alloc(egdi_freq *out, size_t k)
{
    out->value = malloc((k ? k : 1) * sizeof *out->value);
    out->count = calloc(k ? k : 1, sizeof *out->count);
    if (out->value && out->count)
        return true;
    egdi_freq_release(out);
    return false;
}

/* The frequency table by sorting a copy of the answers: O(n log n). */
static egdi_status freq_sort(const double *x, size_t n, egdi_freq *out, egdi_error *err)
{
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
    if (!freq_alloc(out, k)) {
        free(v);
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

/* Distinct answers a column may have for the counting table of doubles;
 * with more, the answers are sorted. */
enum { FREQ_DISTINCT = 1024, FREQ_SLOTS = 2 * FREQ_DISTINCT };

typedef struct {
    double value;
    size_t count;
} freq_slot;

static int cmp_slot(const void *a, const void *b)
{
    return cmp_double(&((const freq_slot *)a)->value, &((const freq_slot *)b)->value);
}

/* The slot of hash h: the bits of v (0 for -0, which equals 0) mixed. */
static size_t slot_of(double v)
{
    uint64_t u;
    if (v == 0)
        v = 0;
    memcpy(&u, &v, sizeof u);
    u ^= u >> 33;
    u *= 0xff51afd7ed558ccdULL;
    u ^= u >> 33;
    return (size_t)(u & (FREQ_SLOTS - 1));
}

/*
 * The frequency table by counting: one pass into a small hash table of the
 * distinct answers, then the (few) distinct answers sorted.  The same table
 * as freq_sort (the same values, counts, order); returns EGDI_DONE (and
 * fills nothing) when the column has more than FREQ_DISTINCT distinct
 * answers.
 */
static egdi_status freq_count(const double *x, size_t n, egdi_freq *out, egdi_error *err)
{
    freq_slot *t = calloc(FREQ_SLOTS, sizeof *t);
    if (!t)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t k = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        if (isnan(v))
            continue;
        m++;
        size_t h = slot_of(v);
        while (t[h].count && t[h].value != v)
            h = (h + 1) & (FREQ_SLOTS - 1);
        if (!t[h].count++) {
            t[h].value = v;
            if (++k > FREQ_DISTINCT) {
                free(t);
                return EGDI_DONE;
            }
        }
    }
    size_t j = 0;
    for (size_t h = 0; h < FREQ_SLOTS; h++)
        if (t[h].count)
            t[j++] = t[h];
    qsort(t, k, sizeof *t, cmp_slot);
    if (!freq_alloc(out, k)) {
        free(t);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (j = 0; j < k; j++) {
        out->value[j] = t[j].value;
        out->count[j] = t[j].count;
    }
    out->k = k;
    out->valid = m;
    out->total = n;
    free(t);
    return EGDI_OK;
}

egdi_status egdi_freq_compute(const double *x, size_t n, egdi_freq *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_status st = freq_count(x, n, out, err);
    return st == EGDI_DONE ? freq_sort(x, n, out, err) : st;
}

egdi_status egdi_freq_sorted(const double *x, size_t n, egdi_freq *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    return freq_sort(x, n, out, err);
}

egdi_status egdi_freq_bytes(const unsigned char *b, size_t n, egdi_freq *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    size_t c[256] = {0};
    for (size_t i = 0; i < n; i++)
        c[b[i]]++;
    size_t k = 0;
    for (size_t v = 0; v < EGDI_DATASET_NA; v++)
        k += c[v] > 0;
    if (!freq_alloc(out, k))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t j = 0;
    for (size_t v = 0; v < EGDI_DATASET_NA; v++)
        if (c[v]) {
            out->value[j] = (double)v;
            out->count[j++] = c[v];
        }
    out->k = k;
    out->valid = n - c[EGDI_DATASET_NA];
    out->total = n;
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
    egdi_status st = EGDI_OK;
    for (size_t j = 0; j < p && st == EGDI_OK; j++)
        st = egdi_dataset_check(ds, cols[j], true, err);
    if (st != EGDI_OK)
        return st;
    size_t n = ds->nrows;
    double flip = ds->scale_min + ds->scale_max;
    double *keyed = NULL;
    for (size_t j = 0; j < p && st == EGDI_OK; j++) {
        const egdi_dataset_column *c = &ds->col[cols[j]];
        out[j].reversed = c->reversed;
        if (c->code) {
            /* one byte per answer: a counting pass for the table */
            if ((st = egdi_desc_bytes(c->code, n, c->reversed, flip, &out[j].desc, err)) ==
                EGDI_OK)
                st = egdi_freq_bytes(c->code, n, &out[j].freq, err);
        } else {
            const double *x = c->num;
            if (c->reversed) {
                if (!keyed && !(keyed = malloc((n ? n : 1) * sizeof *keyed))) {
                    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                    break;
                }
                for (size_t i = 0; i < n; i++)
                    keyed[i] = flip - c->num[i];
                x = keyed;
            }
            if ((st = egdi_desc_compute(x, n, &out[j].desc, err)) == EGDI_OK)
                st = egdi_freq_compute(c->num, n, &out[j].freq, err);
        }
        if (st != EGDI_OK && err) {
            char why[EGDI_ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", err->message);
            egdi_error_set(err, st, "item %s: %s", c->name, why);
        }
    }
    if (st == EGDI_OK && complete)
        *complete = egdi_dataset_complete(ds, cols, p);
    free(keyed);
    if (st != EGDI_OK)
        egdi_desc_items_release(out, p);
    return st;
}
