/*
 * crosstab.c - crosstabs, chi-square, Cramér's V and Fisher's exact test
 * for 2 x 2 (crosstab.h).  The table owns its counts, expected counts and
 * labels; the dataset's categories are released before returning.
 */
#include "surveys/crosstab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

/* fisher.test's tolerance: tables within this relative factor of the
 * observed one's probability count as "no more likely". */
#define FISHER_REL 1e-7
/* An expected count below this is flagged. */
#define LOW_EXPECTED 5.0

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

void egdi_crosstab_release(egdi_crosstab *x)
{
    if (!x)
        return;
    if (x->row_label)
        for (size_t i = 0; i < x->r; i++)
            free(x->row_label[i]);
    if (x->col_label)
        for (size_t j = 0; j < x->c; j++)
            free(x->col_label[j]);
    free(x->row_label);
    free(x->col_label);
    free(x->count);
    free(x->row_total);
    free(x->col_total);
    free(x->expected);
    memset(x, 0, sizeof *x);
}

/* Fisher's exact p of the 2 x 2 table {a b; c d}: with the margins fixed,
 * a ~ hypergeometric; p = the probability of the values of a no more
 * likely than the observed one. */
static double fisher_2x2(size_t a, size_t b, size_t c, size_t d)
{
    size_t m = a + c, nn = b + d, k = a + b;
    size_t lo = a + b > b + d ? a + b - (b + d) : 0; /* max(0, k - n) */
    size_t hi = a + b < a + c ? a + b : a + c;       /* min(k, m) */
    double top = -INFINITY;
    double *lp = malloc((hi - lo + 1) * sizeof *lp);
    if (!lp)
        return NAN;
    for (size_t x = lo; x <= hi; x++) {
        lp[x - lo] = gsl_sf_lnchoose((unsigned)m, (unsigned)x) +
                     gsl_sf_lnchoose((unsigned)nn, (unsigned)(k - x));
        if (lp[x - lo] > top)
            top = lp[x - lo];
    }
    double la = gsl_sf_lnchoose((unsigned)m, (unsigned)a) +
                gsl_sf_lnchoose((unsigned)nn, (unsigned)(k - a));
    double sum = 0, obs = exp(la - top), tail = 0;
    for (size_t x = lo; x <= hi; x++) {
        double p = exp(lp[x - lo] - top);
        sum += p;
        if (p <= obs * (1 + FISHER_REL))
            tail += p;
    }
    free(lp);
    double r = tail / sum;
    return r > 1 ? 1 : r;
}

egdi_status egdi_crosstab_compute(const size_t *count, size_t r, size_t c, egdi_crosstab *out,
                                  egdi_error *err)
{
    memset(out, 0, sizeof *out);
    if (r < 2 || c < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "a %zu x %zu table: a chi-square test needs two rows and two "
                              "columns",
                              r, c);
    out->r = r;
    out->c = c;
    out->count = malloc(r * c * sizeof *out->count);
    out->row_total = calloc(r, sizeof *out->row_total);
    out->col_total = calloc(c, sizeof *out->col_total);
    out->expected = malloc(r * c * sizeof *out->expected);
    if (!out->count || !out->row_total || !out->col_total || !out->expected) {
        egdi_crosstab_release(out);
        return nomem(err);
    }
    memcpy(out->count, count, r * c * sizeof *count);
    for (size_t i = 0; i < r; i++)
        for (size_t j = 0; j < c; j++) {
            out->row_total[i] += count[i * c + j];
            out->col_total[j] += count[i * c + j];
            out->n += count[i * c + j];
        }
    for (size_t i = 0; i < r; i++)
        if (!out->row_total[i]) {
            egdi_crosstab_release(out);
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "row %zu of the table is empty", i + 1);
        }
    for (size_t j = 0; j < c; j++)
        if (!out->col_total[j]) {
            egdi_crosstab_release(out);
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "column %zu of the table is empty",
                                  j + 1);
        }
    double n = (double)out->n, chi2 = 0;
    out->min_expected = INFINITY;
    for (size_t i = 0; i < r; i++)
        for (size_t j = 0; j < c; j++) {
            double e = (double)out->row_total[i] * (double)out->col_total[j] / n;
            double d = (double)count[i * c + j] - e;
            out->expected[i * c + j] = e;
            chi2 += d * d / e;
            out->n_low += e < LOW_EXPECTED;
            if (e < out->min_expected)
                out->min_expected = e;
        }
    out->chi2 = chi2;
    out->df = (double)((r - 1) * (c - 1));
    out->p = gsl_cdf_chisq_Q(chi2, out->df);
    out->cramer_v = sqrt(chi2 / (n * (double)((r < c ? r : c) - 1)));
    if (r == 2 && c == 2) {
        out->have_fisher = true;
        out->fisher_p = fisher_2x2(count[0], count[1], count[2], count[3]);
        if (isnan(out->fisher_p)) {
            egdi_crosstab_release(out);
            return nomem(err);
        }
    }
    return EGDI_OK;
}

egdi_status egdi_crosstab_dataset(const egdi_dataset *ds, size_t row_col, size_t col_col,
                                  egdi_crosstab *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_categories a = {0}, b = {0};
    size_t *full = NULL, *cnt = NULL, *rmap = NULL, *cmap = NULL;
    char **rl = NULL, **cl = NULL;
    size_t r = 0, c = 0;
    egdi_status st;
    if (row_col == col_col)
        return egdi_error_set(err, EGDI_ERR_ARG, "a crosstab needs two different columns");
    if ((st = egdi_dataset_categories(ds, row_col, &a, err)) != EGDI_OK ||
        (st = egdi_dataset_categories(ds, col_col, &b, err)) != EGDI_OK)
        goto done;
    full = calloc((a.k ? a.k : 1) * (b.k ? b.k : 1), sizeof *full);
    rmap = malloc((a.k ? a.k : 1) * sizeof *rmap);
    cmap = malloc((b.k ? b.k : 1) * sizeof *cmap);
    if (!full || !rmap || !cmap)
        goto oom;
    for (size_t i = 0; i < ds->nrows; i++)
        if (a.of[i] != EGDI_NO_CATEGORY && b.of[i] != EGDI_NO_CATEGORY)
            full[a.of[i] * b.k + b.of[i]]++;
    /* the categories that occur among the rows with both */
    for (size_t i = 0; i < a.k; i++) {
        size_t s = 0;
        for (size_t j = 0; j < b.k; j++)
            s += full[i * b.k + j];
        rmap[i] = s ? r++ : SIZE_MAX;
    }
    for (size_t j = 0; j < b.k; j++) {
        size_t s = 0;
        for (size_t i = 0; i < a.k; i++)
            s += full[i * b.k + j];
        cmap[j] = s ? c++ : SIZE_MAX;
    }
    if (r < 2 || c < 2) {
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "%s has %zu category and %s %zu among the rows that answer both: a "
                            "chi-square test needs two of each",
                            ds->col[row_col].name, r, ds->col[col_col].name, c);
        goto done;
    }
    cnt = calloc(r * c, sizeof *cnt);
    rl = calloc(r, sizeof *rl);
    cl = calloc(c, sizeof *cl);
    if (!cnt || !rl || !cl)
        goto oom;
    for (size_t i = 0; i < a.k; i++)
        for (size_t j = 0; j < b.k; j++)
            if (rmap[i] != SIZE_MAX && cmap[j] != SIZE_MAX)
                cnt[rmap[i] * c + cmap[j]] = full[i * b.k + j];
    for (size_t i = 0; i < a.k; i++)
        if (rmap[i] != SIZE_MAX && !(rl[rmap[i]] = strdup(a.label[i])))
            goto oom;
    for (size_t j = 0; j < b.k; j++)
        if (cmap[j] != SIZE_MAX && !(cl[cmap[j]] = strdup(b.label[j])))
            goto oom;
    if ((st = egdi_crosstab_compute(cnt, r, c, out, err)) != EGDI_OK)
        goto done;
    out->row_label = rl;
    out->col_label = cl;
    out->n_read = ds->nrows;
    rl = cl = NULL;
    goto done;
oom:
    st = nomem(err);
done:
    if (rl)
        for (size_t i = 0; i < r; i++)
            free(rl[i]);
    if (cl)
        for (size_t j = 0; j < c; j++)
            free(cl[j]);
    free(rl);
    free(cl);
    free(full);
    free(cnt);
    free(rmap);
    free(cmap);
    egdi_categories_release(&a);
    egdi_categories_release(&b);
    return st;
}
