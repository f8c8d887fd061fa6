/*
 * profile.c - the sample profile (profile.h): the dataset's categories of
 * each column, or a numeric column counted into bins, with percentages.
 * Each variable owns its labels and arrays.
 */
#include "surveys/profile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

static void var_release(egdi_profile_var *v)
{
    if (v->label)
        for (size_t c = 0; c < v->k; c++)
            free(v->label[c]);
    free(v->label);
    free(v->count);
    free(v->percent);
    free(v->valid_percent);
    free(v->cum_percent);
    memset(v, 0, sizeof *v);
}

void egdi_profile_release(egdi_profile_var *v, size_t p)
{
    if (!v)
        return;
    for (size_t j = 0; j < p; j++)
        var_release(&v[j]);
}

/* Room for k categories. */
static int var_alloc(egdi_profile_var *v, size_t k)
{
    v->k = k;
    v->label = calloc(k ? k : 1, sizeof *v->label);
    v->count = calloc(k ? k : 1, sizeof *v->count);
    v->percent = malloc((k ? k : 1) * sizeof *v->percent);
    v->valid_percent = malloc((k ? k : 1) * sizeof *v->valid_percent);
    v->cum_percent = malloc((k ? k : 1) * sizeof *v->cum_percent);
    return v->label && v->count && v->percent && v->valid_percent && v->cum_percent ? 0 : -1;
}

static void percentages(egdi_profile_var *v)
{
    double cum = 0;
    for (size_t c = 0; c < v->k; c++) {
        v->percent[c] = v->total ? 100.0 * (double)v->count[c] / (double)v->total : NAN;
        v->valid_percent[c] = v->valid ? 100.0 * (double)v->count[c] / (double)v->valid : NAN;
        cum += v->valid_percent[c];
        v->cum_percent[c] = cum;
    }
}

/* "%g" of x into buf. */
static const char *num(double x, char buf[32])
{
    snprintf(buf, 32, "%g", x);
    return buf;
}

static egdi_status binned(const egdi_dataset *ds, const egdi_profile_bins *b,
                          egdi_profile_var *v, egdi_error *err)
{
    for (size_t t = 1; t < b->ncuts; t++)
        if (!(b->cut[t] > b->cut[t - 1]))
            return egdi_error_set(err, EGDI_ERR_ARG, "the cut points of %s must increase",
                                  b->column);
    if (b->ncuts == 0 || b->ncuts > EGDI_PROFILE_MAX_CUTS)
        return egdi_error_set(err, EGDI_ERR_ARG, "%s: give 1 to %d cut points", b->column,
                              EGDI_PROFILE_MAX_CUTS);
    double *y;
    egdi_status st = egdi_dataset_variable(ds, b->column, &y, err);
    if (st != EGDI_OK)
        return st;
    v->binned = true;
    if (var_alloc(v, b->ncuts + 1) != 0) {
        free(y);
        return nomem(err);
    }
    char lo[32], hi[32], lab[80];
    for (size_t c = 0; c <= b->ncuts; c++) {
        if (c == 0)
            snprintf(lab, sizeof lab, "< %s", num(b->cut[0], lo));
        else if (c == b->ncuts)
            snprintf(lab, sizeof lab, ">= %s", num(b->cut[c - 1], lo));
        else
            snprintf(lab, sizeof lab, "[%s, %s)", num(b->cut[c - 1], lo), num(b->cut[c], hi));
        if (!(v->label[c] = strdup(lab))) {
            free(y);
            return nomem(err);
        }
    }
    v->total = ds->nrows;
    for (size_t i = 0; i < ds->nrows; i++) {
        if (isnan(y[i])) {
            v->missing++;
            continue;
        }
        size_t c = 0; /* the first cut above the value */
        while (c < b->ncuts && y[i] >= b->cut[c])
            c++;
        v->count[c]++;
        v->valid++;
    }
    free(y);
    percentages(v);
    return EGDI_OK;
}

static egdi_status categorical(const egdi_dataset *ds, size_t j, egdi_profile_var *v,
                               egdi_error *err)
{
    egdi_categories cat;
    egdi_status st = egdi_dataset_categories(ds, j, &cat, err);
    if (st != EGDI_OK)
        return st;
    if (var_alloc(v, cat.k) != 0) {
        egdi_categories_release(&cat);
        return nomem(err);
    }
    for (size_t c = 0; c < cat.k; c++) {
        v->label[c] = cat.label[c];
        cat.label[c] = NULL;
        v->count[c] = cat.count[c];
    }
    v->valid = cat.valid;
    v->missing = cat.missing;
    v->total = ds->nrows;
    egdi_categories_release(&cat);
    percentages(v);
    return EGDI_OK;
}

egdi_status egdi_profile_compute(const egdi_dataset *ds, const char *const *columns, size_t p,
                                 const egdi_profile_bins *bins, size_t nbins,
                                 egdi_profile_var *out, egdi_error *err)
{
    memset(out, 0, p * sizeof *out);
    for (size_t b = 0; b < nbins; b++) {
        bool found = false;
        for (size_t j = 0; j < p && !found; j++)
            found = strcmp(bins[b].column, columns[j]) == 0;
        if (!found)
            return egdi_error_set(err, EGDI_ERR_ARG, "--bins names %s, which is not profiled",
                                  bins[b].column);
    }
    egdi_status st = EGDI_OK;
    for (size_t j = 0; j < p; j++) {
        size_t col;
        if ((st = egdi_dataset_find(ds, columns[j], &col, err)) != EGDI_OK)
            break;
        out[j].column = ds->col[col].name;
        const egdi_profile_bins *b = NULL;
        for (size_t t = 0; t < nbins && !b; t++)
            if (strcmp(bins[t].column, columns[j]) == 0)
                b = &bins[t];
        st = b ? binned(ds, b, &out[j], err) : categorical(ds, col, &out[j], err);
        if (st != EGDI_OK)
            break;
    }
    if (st != EGDI_OK)
        egdi_profile_release(out, p);
    return st;
}
