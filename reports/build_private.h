/*
 * build_private.h - what report_build.c shares with the paper tables built
 * in paper_tests.c (group tests, regressions): the blocks a bundle keeps
 * (report_keep.c; freed by egdi_report_bundle_free), a table and its cells.
 */
#ifndef EGDI_BUILD_PRIVATE_H
#define EGDI_BUILD_PRIVATE_H

#include <math.h>

#include "reports/report_build.h"
#include "surveys/dataset.h"

/* The blocks kept with a bundle, freed with it. */
typedef struct {
    void **p;
    size_t n, cap;
} report_keep;

/* n x size zeroed bytes kept with k; NULL when out of memory. */
void *report_keep_alloc(report_keep *k, size_t n, size_t size);
/* A copy of s kept with k; NULL for NULL or out of memory. */
char *report_keep_dup(report_keep *k, const char *s);
/* Sets t's title, headers (kept by the caller) and decimals and gives it
 * nrows x ncols cells kept with k; NULL when out of memory. */
egdi_report_cell *report_keep_table(report_keep *k, egdi_report_table *t, const char *title,
                                    size_t ncols, const char *const *headers, size_t nrows,
                                    int decimals);
/* Frees every block and the list. */
void report_keep_free(report_keep *k);

static inline egdi_report_cell report_cell_text(const char *t)
{
    return (egdi_report_cell){t, NAN, false, NULL};
}

static inline egdi_report_cell report_cell_num(double v)
{
    return (egdi_report_cell){NULL, v, false, NULL};
}

static inline egdi_report_cell report_cell_count(double v)
{
    return (egdi_report_cell){NULL, v, true, NULL};
}

/* A number with its significance or criterion mark ("***"; static). */
static inline egdi_report_cell report_cell_marked(double v, const char *mark)
{
    return (egdi_report_cell){NULL, v, false, mark};
}

/* paper_tests.c: each scale score of ds by the groups of column (a t-test
 * for two, a one-way ANOVA for more), one row per scale, into t. */
egdi_status report_build_group_table(report_keep *b, const egdi_dataset *ds,
                                     const char *column, egdi_report_lang lang,
                                     egdi_report_table *t, egdi_error *err);
/* paper_tests.c: the regression m on ds: its model summary into t[0] and
 * its coefficients into t[1]. */
egdi_status report_build_regression_tables(report_keep *b, const egdi_dataset *ds,
                                           const egdi_report_regression *m,
                                           egdi_report_lang lang, egdi_report_table t[2],
                                           egdi_error *err);

#endif
