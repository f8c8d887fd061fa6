/*
 * descriptive.h - descriptive statistics and frequency tables of one item.
 *
 * Input is a caller-owned array of answers in which NaN marks a missing
 * answer.  Results are plain structs filled by the functions; a frequency
 * table's arrays are allocated here and freed with egdi_freq_release().
 *
 * Skewness and kurtosis, with g1 = m3 / m2^1.5 and g2 = m4 / m2^2 - 3 from
 * the central moments m_k = sum((x - mean)^k) / n:
 *   type 3 (R psych::describe's default, also e1071 type 3, MINITAB):
 *     b1 = g1 * ((n-1)/n)^1.5          b2 = (g2 + 3) * ((n-1)/n)^2 - 3
 *   type 2 (SPSS, SAS, Excel SKEW/KURT):
 *     G1 = g1 * sqrt(n(n-1)) / (n-2)   G2 = ((n+1) g2 + 6) (n-1) / ((n-2)(n-3))
 * with SPSS's standard errors
 *     SES = sqrt(6n(n-1) / ((n-2)(n+1)(n+3)))
 *     SEK = 2 SES sqrt((n^2-1) / ((n-3)(n+5))).
 */
#ifndef EGDI_DESCRIPTIVE_H
#define EGDI_DESCRIPTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/dataset.h"

typedef struct {
    size_t n;          /* answers present */
    size_t missing;    /* NaN answers */
    double mean, sd;   /* sd with n - 1 */
    double min, max;
    double skew3, kurt3;       /* psych type 3; NaN when sd == 0 or n < 2 */
    double skew2, kurt2;       /* SPSS type 2; NaN when sd == 0, n < 3 / n < 4 */
    double se_skew, se_kurt;   /* SPSS; NaN when n < 3 / n < 4 */
} egdi_desc;

/*
 * Describes x[0..n).  Fails with EGDI_ERR_NUMERIC when no answer is
 * present (the caller names the item in its message).  A constant item
 * has sd 0 and NaN skewness / kurtosis (undefined), not an error.
 */
egdi_status egdi_desc_compute(const double *x, size_t n, egdi_desc *out, egdi_error *err);

/* egdi_desc_compute of a byte column b[0..n) (EGDI_DATASET_NA missing),
 * each answer keyed as flip - byte when reversed: bit-identical to
 * egdi_desc_compute of the same answers as doubles. */
egdi_status egdi_desc_bytes(const unsigned char *b, size_t n, bool reversed, double flip,
                            egdi_desc *out, egdi_error *err);

typedef struct {
    size_t k;          /* distinct answers */
    double *value;     /* ascending */
    size_t *count;
    size_t valid;      /* answers present */
    size_t total;      /* answers present + missing */
} egdi_freq;

/*
 * Counts the distinct answers of x[0..n) (NaN = missing).  percent of a
 * value = count / total, valid percent = count / valid.  One counting pass
 * while x has at most 1,024 distinct answers, else sorts a copy
 * (O(n log n)); the table is the same either way.  out is freed with
 * egdi_freq_release().
 */
egdi_status egdi_freq_compute(const double *x, size_t n, egdi_freq *out, egdi_error *err);

/* The same table always by sorting a copy (the reference the counting
 * paths are tested against). */
egdi_status egdi_freq_sorted(const double *x, size_t n, egdi_freq *out, egdi_error *err);

/* The table of a byte column b[0..n) (surveys/dataset.h: 0..254 answers,
 * EGDI_DATASET_NA missing) by one counting pass: the table egdi_freq_compute
 * gives of the same answers as doubles. */
egdi_status egdi_freq_bytes(const unsigned char *b, size_t n, egdi_freq *out, egdi_error *err);
void egdi_freq_release(egdi_freq *f);

/*
 * Mean and sd (n - 1 denominator) of each column of the column-major n x p
 * matrix x over the answers present (NaN = missing), as a pairwise analysis
 * takes them: NaN when a column has no answer (mean) or one (sd).
 */
void egdi_desc_moments(const double *x, size_t n, size_t p, double *mean, double *sd);

/* One item of `egdi survey describe`. */
typedef struct {
    egdi_desc desc;  /* of the answers as analysed: MIN + MAX - x when keyed */
    egdi_freq freq;  /* of the answers as given (codes before any reversal) */
    bool reversed;   /* reverse-keyed */
} egdi_desc_item;

/*
 * Describes columns cols[0..p) of ds, every answer of each item (no
 * listwise deletion; the items are checked as by egdi_dataset_matrix).
 * *complete (may be NULL) = the rows answering every item.  out[0..p) is
 * zeroed first and freed with egdi_desc_items_release() (also on failure).
 * A failure of an item names it ("item Q3: ...").
 */
egdi_status egdi_desc_items(const egdi_dataset *ds, const size_t *cols, size_t p,
                            egdi_desc_item *out, size_t *complete, egdi_error *err);
void egdi_desc_items_release(egdi_desc_item *d, size_t p);

#endif
