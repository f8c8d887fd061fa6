/*
 * crosstab.h - the crosstabulation of two categorical columns (卡方检验):
 * counts, row and column percentages, expected counts, Pearson's
 * chi-square (chisq.test(correct = FALSE)), Cramér's V, the cells expected
 * below 5, and for a 2 x 2 table Fisher's exact test (fisher.test: the
 * two-sided p sums the hypergeometric probabilities of the tables no more
 * likely than the one observed, within a relative 1e-7 as R).
 *
 *   expected_ij = row_i col_j / n,  chi2 = sum (O - E)^2 / E,
 *   df = (r - 1)(c - 1),  V = sqrt(chi2 / (n (min(r, c) - 1))).
 *
 * egdi_crosstab owns its arrays and labels: egdi_crosstab_release().
 */
#ifndef EGDI_CROSSTAB_H
#define EGDI_CROSSTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/dataset.h"

typedef struct {
    size_t r, c, n;
    char **row_label;      /* r (egdi_crosstab_dataset; else NULL) */
    char **col_label;      /* c */
    size_t *count;         /* r x c, row-major */
    size_t *row_total;     /* r */
    size_t *col_total;     /* c */
    double *expected;      /* r x c */
    double chi2, df, p, cramer_v;
    size_t n_low;          /* cells with an expected count below 5 */
    double min_expected;
    bool have_fisher;      /* a 2 x 2 table */
    double fisher_p;
    size_t n_read;         /* rows of the dataset (egdi_crosstab_dataset) */
} egdi_crosstab;

/*
 * The statistics of the r x c table count (row-major, caller-owned).
 * EGDI_ERR_NUMERIC when a row or column total is 0 or r or c is below 2
 * (no test).  out is zeroed first.
 */
egdi_status egdi_crosstab_compute(const size_t *count, size_t r, size_t c, egdi_crosstab *out,
                                  egdi_error *err);

/*
 * The table of columns row_col by col_col of ds, their categories
 * (egdi_dataset_categories: text, codes, value labels) among the rows that
 * have both, labelled.  The column names word the errors.
 */
egdi_status egdi_crosstab_dataset(const egdi_dataset *ds, size_t row_col, size_t col_col,
                                  egdi_crosstab *out, egdi_error *err);

void egdi_crosstab_release(egdi_crosstab *x);

#endif
