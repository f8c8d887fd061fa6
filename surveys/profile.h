/*
 * profile.h - the sample profile (人口统计学特征): for each demographic
 * column the counts and percentages of its categories, valid and missing,
 * as SPSS FREQUENCIES prints them for each and a thesis gathers into one
 * table.
 *
 * A column's categories are those of egdi_dataset_categories (text such as
 * 男/女, codes with their value labels); a numeric column may be binned
 * instead at cut points e_1 < ... < e_m: "< e_1", "[e_1, e_2)", ...,
 * ">= e_m" (R's cut(right = FALSE) with -Inf and Inf added), every bin
 * listed, also an empty one.
 *   percent       = count / rows read        (SPSS "Percent")
 *   valid_percent = count / rows with a value ("Valid Percent")
 *   cum_percent   = running sum of valid_percent
 *
 * Each egdi_profile_var owns its labels and arrays; egdi_profile_release()
 * frees an array of them.
 */
#ifndef EGDI_PROFILE_H
#define EGDI_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/dataset.h"

/* The most cut points of one column. */
#define EGDI_PROFILE_MAX_CUTS 100

typedef struct {
    const char *column;  /* a column of the dataset */
    size_t ncuts;
    const double *cut;   /* ncuts increasing cut points */
} egdi_profile_bins;

typedef struct {
    const char *column;  /* borrowed from the dataset */
    bool binned;
    size_t k;
    char **label;        /* k */
    size_t *count;       /* k */
    double *percent, *valid_percent, *cum_percent; /* k, in percent (0-100) */
    size_t valid, missing, total;
} egdi_profile_var;

/*
 * The profile of columns[0..p) of ds into out[0..p) (zeroed first),
 * binning those named in bins[0..nbins).  EGDI_ERR_ARG for cut points that
 * do not increase, more than EGDI_PROFILE_MAX_CUTS, bins of a column not
 * profiled; a binned column must be numbers (its first other cell is named);
 * the categories' errors.  Entries already filled are released on failure.
 */
egdi_status egdi_profile_compute(const egdi_dataset *ds, const char *const *columns, size_t p,
                                 const egdi_profile_bins *bins, size_t nbins,
                                 egdi_profile_var *out, egdi_error *err);
void egdi_profile_release(egdi_profile_var *v, size_t p);

#endif
