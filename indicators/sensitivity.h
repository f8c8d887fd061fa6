/*
 * sensitivity.h - which assumption moves a ranking: variance-based (Sobol)
 * first- and total-order indices with bootstrap confidence intervals, and
 * the leave-one-out table of the indicators and sub-indices (OECD/JRC
 * Handbook step 7; COINr's get_sensitivity with SA_type "SA", and its
 * remove_elements).
 *
 * The estimators (Saltelli et al. 2010, "Variance based sensitivity
 * analysis of model output", Comput. Phys. Commun. 181:259-270, table 2):
 * two independent design matrices A and B of N rows (the first and the
 * last k columns of a 2k-column design from uncertainty.h's sources) and,
 * for each group i of columns, A_B^i: A with group i's columns from B.
 * The model is run on A, B and every A_B^i: N (d + 2) runs.  Then, with
 * V the variance of the 2N outputs of A and B (divisor 2N, as SALib),
 *
 *   S_i  = (1/N) sum_j f(B)_j (f(A_B^i)_j - f(A)_j) / V     (Saltelli 2010, b)
 *   ST_i = (1/2N) sum_j (f(A)_j - f(A_B^i)_j)^2 / V         (Jansen 1999, f)
 *
 * Each output is taken minus a centre (the nominal value) before it is
 * summed: the estimators of S_i are the same in expectation and lose no
 * digits to a large mean.  A group is a set of columns varied together
 * (all the weights, all the rules): its indices are those of the group.
 * Confidence intervals: the N rows resampled with replacement (boot times,
 * MT19937 seeded from the seed and the resample's number), the percentile
 * interval (R's quantile type 7).  An output whose variance is 0 has no
 * indices (it does not vary): varies[o] is false and its indices NaN.
 *
 * Threads: rows are evaluated in chunks of a fixed size whose sums are
 * added in chunk order, so a seed gives the same numbers on any number of
 * threads.
 *
 * Ownership: results own their arrays (egdi_sobol_result_release,
 * egdi_sensitivity_result_free); problems and options borrow.
 */
#ifndef EGDI_SENSITIVITY_H
#define EGDI_SENSITIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/core/progress.h"
#include "engine/store/store.h"
#include "indicators/model.h"
#include "indicators/round.h"
#include "indicators/score.h"
#include "indicators/uncertainty.h"

#define EGDI_SOBOL_BASE 2048          /* the default N */
#define EGDI_SOBOL_MAX_BASE 1048576   /* 2^20 */
#define EGDI_SOBOL_BOOT 1000          /* the default number of resamples */
#define EGDI_SOBOL_MAX_BOOT 100000
#define EGDI_SOBOL_MAX_KEEP 64        /* outputs with confidence intervals */

/* A model for the indices: x (k numbers in (0, 1)) -> y (m outputs). */
typedef struct {
    size_t k;               /* columns */
    size_t d;               /* groups */
    const size_t *group;    /* k: the group of each column; NULL = column c is group c */
    size_t m;               /* outputs */
    const double *centre;   /* m centres, or NULL (0) */
    /* a workspace per thread (ws_new may be NULL: none) */
    egdi_status (*ws_new)(void *ctx, void **ws, egdi_error *err);
    void (*ws_free)(void *ctx, void *ws);
    egdi_status (*eval)(void *ctx, void *ws, const double *x, double *y, egdi_error *err);
    void *ctx;
    /* may be NULL; true when rows x and a give the same outputs (a run of
     * A_B^i whose group i of B changes nothing then copies A's outputs
     * instead of running the model) */
    bool (*same)(void *ctx, const double *x, const double *a);
} egdi_sobol_problem;

typedef struct {
    size_t base;                      /* N: 1 .. EGDI_SOBOL_MAX_BASE */
    egdi_uncertainty_sampler sampler; /* of the 2k-column design */
    uint64_t seed;
    unsigned threads;                 /* 0 = the processors online */
    size_t boot;                      /* resamples; 0 = no intervals */
    double conf;                      /* 0 < conf < 1 */
    size_t nkeep;                     /* outputs with intervals (<= EGDI_SOBOL_MAX_KEEP) */
    const size_t *keep;
    const egdi_progress *progress;    /* told the base rows done, then (its function
                                         and context, what = "resamples") the
                                         bootstrap's resamples, from the calling
                                         thread (borrowed; NULL: none) */
} egdi_sobol_opts;

/* base EGDI_SOBOL_BASE, auto sampler, seed 1, all processors,
 * EGDI_SOBOL_BOOT resamples, conf 0.95, no outputs kept. */
void egdi_sobol_opts_init(egdi_sobol_opts *o);

typedef struct {
    size_t d, m, base, evaluations, boot;
    double conf;
    egdi_uncertainty_sampler sampler; /* the one used */
    unsigned threads;
    double *variance;     /* m */
    bool *varies;         /* m: variance above 0 */
    double *first, *total; /* m x d */
    size_t nkeep;
    size_t *keep;         /* nkeep output numbers */
    double *first_lo, *first_hi, *total_lo, *total_hi; /* nkeep x d; NaN when the
                                                          output does not vary */
} egdi_sobol_result;

/* Computes the indices of problem p (see above) into out. */
egdi_status egdi_sobol_run(const egdi_sobol_problem *p, const egdi_sobol_opts *o,
                           egdi_sobol_result *out, egdi_error *err);
void egdi_sobol_result_release(egdi_sobol_result *r);

/* ---- a composite indicator's assumptions ---------------------------------- */

/* One row of the leave-one-out table. */
#define EGDI_SENSITIVITY_MOVERS 3
typedef struct {
    size_t node;          /* the model node left out */
    double mean_change;   /* mean |rank change| over the units ranked both ways */
    long max_change;      /* the largest |rank change| */
    size_t ranked_both;
    size_t lost;          /* units ranked with it and not ranked without it */
    size_t nmovers;
    size_t mover[EGDI_SENSITIVITY_MOVERS];  /* input indices, most moved first */
    long change[EGDI_SENSITIVITY_MOVERS];   /* their rank change, + = up */
} egdi_sensitivity_loo;

typedef struct {
    char *varied;          /* what the assumptions vary (one line) */
    size_t d;
    egdi_uncertainty_group groups[EGDI_UNCERTAINTY_NGROUPS]; /* the d groups varied */
    egdi_sobol_result sobol; /* output 0: the mean absolute rank shift against the
                                nominal ranking; output 1 + i: the score of units[i] */
    size_t n;
    size_t *units;         /* the units of the kind, in input order */
    double *nominal;       /* their nominal scores */
    size_t nloo;
    egdi_sensitivity_loo *loo; /* every node that applies to the kind, in catalogue
                                  order (without the root) */
} egdi_sensitivity_result;

/*
 * Sobol indices of the assumptions o->... names (as egdi_uncertainty_run
 * checks them; none named: no indices, d = 0) for the mean absolute rank
 * shift and each unit's score, and the leave-one-out table.  so->keep
 * numbers outputs as above (0 = the rank shift).  The seed, threads, kind
 * and digits are o's; the sampler and N are so's.
 */
egdi_status egdi_sensitivity_run(const egdi_model *m, const egdi_score_input *in,
                                 const egdi_uncertainty_opts *o, const egdi_sobol_opts *so,
                                 egdi_sensitivity_result **out, egdi_error *err);
void egdi_sensitivity_result_free(egdi_sensitivity_result *r);

/*
 * The leave-one-out table alone: each node that applies to kind left out
 * in turn (its weight 0, its siblings re-weighted), ranked with digits.
 * *out (caller frees) gets *n rows.
 */
egdi_status egdi_sensitivity_loo_run(const egdi_model *m, const egdi_score_input *in,
                                     egdi_unit_kind kind, int digits,
                                     egdi_sensitivity_loo **out, size_t *n, egdi_error *err);

/* ---- a stored round ------------------------------------------------------ */

/* `egdi sensitivity`: the latest score run of a round and its analysis. */
typedef struct {
    egdi_round round;                  /* the score run analysed (its model and raw values) */
    egdi_sensitivity_result *result;
    size_t nci;                        /* units with intervals: their positions in
                                          result->units (output 1 + position) */
    size_t ci[EGDI_SOBOL_MAX_KEEP];
    char *stale;                       /* why the score run no longer matches, or NULL */
} egdi_sensitivity_stored;

/*
 * Loads the latest score run of year (of model, NULL = any) and runs
 * egdi_sensitivity_run on it, with intervals for the mean absolute rank
 * shift and the units codes[0..ncodes) (EGDI_ERR_NOT_FOUND for a code that
 * is not a unit of the kind ranked).
 */
egdi_status egdi_sensitivity_round(egdi_store *s, int year, const char *model,
                                   const egdi_uncertainty_opts *o, const egdi_sobol_opts *so,
                                   const char *const *codes, size_t ncodes,
                                   egdi_sensitivity_stored *out, egdi_error *err);
void egdi_sensitivity_stored_release(egdi_sensitivity_stored *u);

#endif
