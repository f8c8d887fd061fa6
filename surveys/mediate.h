/*
 * mediate.h - simple and parallel mediation (Hayes' PROCESS model 4;
 * 中介效应检验): X -> M_j -> Y with k >= 1 mediators.
 *
 *   a_j     M_j ~ X                       (OLS, egdi_regress_fit)
 *   b_j, c' Y ~ X + M_1 + ... + M_k
 *   c       Y ~ X                         (the total effect; c = c' + sum a_j b_j)
 *   a_j b_j the indirect effect through M_j, with
 *           - a percentile bootstrap CI (PROCESS's default): the estimate
 *             on `boot` resamples of the n rows drawn with replacement;
 *             the CI bounds are the (1 - conf)/2 and (1 + conf)/2
 *             percentiles of the resampled estimates as SPSS computes
 *             percentiles (HAVERAGE, R quantile(type = 6)), the bootstrap
 *             SE their sd;
 *           - the Sobel test z = a b / sqrt(b^2 SE_a^2 + a^2 SE_b^2),
 *             p two-sided from the normal;
 *           - the effect ratio a b / c (中介效应占比).
 *   total   the sum of the indirect effects (k > 1), with its bootstrap CI.
 *
 * The resamples: replicate r draws its n rows from its own random stream
 * (xoshiro256** seeded by splitmix64 from seed and r; unbiased bounded
 * draws), so a run is the same for a given seed whatever the number of
 * threads; the replicates are spread over `threads` POSIX threads.  Each
 * replicate accumulates the sums and cross-products of the centred
 * (x, m_1..m_k, y) of its rows and solves the two regressions from them.
 * A resample whose X has no variance or whose mediators are collinear
 * (possible only with very few rows) is drawn again from the same stream.
 *
 * egdi_mediation owns its arrays: egdi_mediation_release().
 */
#ifndef EGDI_MEDIATE_H
#define EGDI_MEDIATE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/core/progress.h"
#include "engine/core/error.h"
#include "surveys/dataset.h"

/* The most mediators (parallel). */
#define EGDI_MEDIATE_MAX_M 8
/* The most bootstrap resamples. */
#define EGDI_MEDIATE_MAX_BOOT 1000000

typedef struct {
    size_t boot;       /* resamples; 0 = no bootstrap (default 5000) */
    uint64_t seed;     /* default 1 */
    double conf;       /* of every CI (default 0.95) */
    unsigned threads;  /* 0 = the processors online */
    const egdi_progress *progress; /* resamples done (from the calling thread);
                                      NULL = none */
} egdi_mediate_opts;

void egdi_mediate_opts_init(egdi_mediate_opts *o);

typedef struct {
    double est, se, t, p, ci_lo, ci_hi; /* an OLS coefficient, t-based CI */
} egdi_path;

typedef struct {
    double ab;                        /* the point estimate */
    double boot_se, boot_lo, boot_hi; /* NaN without bootstrap */
    double sobel_se, sobel_z, sobel_p; /* NaN for the total of several */
    double ratio;                     /* ab / c */
} egdi_indirect;

typedef struct {
    size_t n, k;
    size_t boot, redrawn;  /* resamples, and how many were drawn again */
    uint64_t seed;
    double conf;
    egdi_path c, c_prime;
    egdi_path *a, *b;      /* k */
    egdi_indirect *ind;    /* k */
    egdi_indirect total;   /* the sum (k > 1; for k = 1 the same as ind[0]) */
    double r2_y;           /* R^2 of Y ~ X + M */
} egdi_mediation;

/*
 * Mediation on complete rows: x, m[0..k), y each n values (no NaN,
 * caller-owned).  names (k + 2: x, the mediators, y; may be NULL) word the
 * errors.  EGDI_ERR_ARG for k outside 1..EGDI_MEDIATE_MAX_M, boot above the
 * cap, conf outside (0, 1); the regressions' errors (no variance, collinear,
 * too few rows).  A total effect c of exactly 0 leaves the ratio NaN (the
 * caller says it is undefined).  out is zeroed first.
 */
egdi_status egdi_mediate_compute(const double *x, const double *const *m, size_t k,
                                 const double *y, size_t n, const char *const *names,
                                 const egdi_mediate_opts *o, egdi_mediation *out,
                                 egdi_error *err);

/* The same on variables of a dataset (columns or scales, scored as
 * ds->score), listwise over x, the mediators and y. */
egdi_status egdi_mediate_dataset(const egdi_dataset *ds, const char *x, const char *const *m,
                                 size_t k, const char *y, const egdi_mediate_opts *o,
                                 egdi_mediation *out, egdi_error *err);

void egdi_mediation_release(egdi_mediation *r);

#endif
