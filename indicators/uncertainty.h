/*
 * uncertainty.h - how sure a ranking is: a Monte Carlo over the assumptions
 * a user names (OECD/JRC Handbook step 7; COINr's get_sensitivity with
 * SA_type "UA"), each declared explicitly and refused when the model or the
 * round has no such step:
 *
 *   weights        every sibling group perturbed: each weight times
 *                  1 + width (2u - 1) then the group renormalised
 *                  ("uniform"), or the group drawn from a Dirichlet
 *                  distribution with parameters concentration x nominal
 *                  ("dirichlet"); or the whole set of weights drawn among
 *                  the model's and named alternative sets (another model
 *                  with the same codes, e.g. written by `egdi model weights
 *                  ahp --write`), equally likely ("sets");
 *   normalisation  each leaf scored by a normalisation rule (goalpost,
 *                  minmax, zscore, rank, target, ratio, likert) drawn among
 *                  its own rule and the alternatives named for it that it
 *                  can take (egdi_node_rule_fits), equally likely;
 *   aggregation    arithmetic or geometric, equally likely;
 *   missing        the missing-data policy drawn among the model's and the
 *                  policies named (reweight, mean, median, zero);
 *   data           every raw value times 1 + e z (z standard normal, e the
 *                  stated relative error), and, when standard errors are
 *                  given (the hook for survey indicators: opts.se), a value
 *                  with a standard error drawn from N(value, se^2).  A
 *                  Likert value is kept within its scale.
 *
 * The design.  Each assumption owns columns of a design matrix of numbers
 * in (0, 1): one per free weight (uniform, dirichlet), one for the choice
 * of set, one per leaf with a choice of rule, one for the aggregation, one
 * for the missing policy, one for the data (its value seeds that draw's
 * normal deviates).  Rows are drawn from GSL's quasi-random Sobol sequence
 * (gsl_qrng_sobol, at most EGDI_UNCERTAINTY_SOBOL_MAX columns) or from
 * MT19937 seeded with opts.seed; "auto" takes the Sobol sequence when the
 * columns fit.  The matrix is made in draw order by one thread, and each
 * draw is scored through indicators/score.c's plan (one scoring path) and
 * ranked through indicators/ranking.c's ranker, on opts.threads threads.
 * Everything the threads add up is a count, so a seed gives the same
 * result, bit for bit, on any number of threads.
 *
 * Results per unit of the kind ranked: the nominal rank (the model as it
 * is), the median and the 5 % and 95 % quantiles of its rank over the draws
 * in which it was rankable (R's quantile type 7, COINr's choice), the mean
 * absolute rank shift from the nominal rank, the draws in which its score
 * fell in each stage, and the draws in which its rank was at most K.
 *
 * Memory: ranks are counted in a histogram per unit (units^2 counts), so a
 * kind may hold at most EGDI_UNCERTAINTY_MAX_UNITS units.
 *
 * Ownership: the options borrow everything they point at; a space borrows
 * its model, input and options' arrays (they must outlive it) and is
 * read-only once made, so threads share it; a result owns its arrays
 * (egdi_uncertainty_result_free).
 */
#ifndef EGDI_UNCERTAINTY_H
#define EGDI_UNCERTAINTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/core/progress.h"
#include "indicators/model.h"
#include "indicators/score.h"

#define EGDI_UNCERTAINTY_DRAWS 10000        /* the default number of draws */
#define EGDI_UNCERTAINTY_MAX_DRAWS 10000000
#define EGDI_UNCERTAINTY_MAX_UNITS 16384    /* units of the kind ranked */
#define EGDI_UNCERTAINTY_MAX_SETS 16        /* named weight sets */
#define EGDI_UNCERTAINTY_SOBOL_MAX 40       /* gsl_qrng_sobol's dimensions */
#define EGDI_UNCERTAINTY_STAGE_SURE 0.8     /* P(assigned stage) below: "stage uncertain" */
#define EGDI_UNCERTAINTY_LO 0.05            /* the rank interval's quantiles */
#define EGDI_UNCERTAINTY_HI 0.95

typedef enum {
    EGDI_UNCERTAINTY_WEIGHTS_FIXED = 0, /* not varied */
    EGDI_UNCERTAINTY_WEIGHTS_UNIFORM,
    EGDI_UNCERTAINTY_WEIGHTS_DIRICHLET,
    EGDI_UNCERTAINTY_WEIGHTS_SETS
} egdi_uncertainty_weights;

typedef enum {
    EGDI_UNCERTAINTY_AUTO = 0, /* Sobol when the columns fit, else random */
    EGDI_UNCERTAINTY_SOBOL,
    EGDI_UNCERTAINTY_RANDOM
} egdi_uncertainty_sampler;

/* "auto", "sobol", "random"; never NULL. */
const char *egdi_uncertainty_sampler_name(egdi_uncertainty_sampler s);

/* What a run varied (the result's `varied`, stored with the run in English
 * as the space built it: "weights: uniform +-20 % of each weight,
 * renormalised (24 weights in 5 groups); normalisation: ...") in Chinese,
 * clause by clause: "权重：每个权重在 ±20 % 内均匀变动后同级重新归一（24 个权重，
 * 5 组）；...".  Returns buf, or NULL (buf untouched) when a clause is not one
 * this version writes (a run stored by another egdi): print the English. */
const char *egdi_uncertainty_varied_zh(const char *varied, char *buf, size_t size);

/* The assumption groups, in the order of the design's columns. */
typedef enum {
    EGDI_UNCERTAINTY_G_WEIGHTS = 0,
    EGDI_UNCERTAINTY_G_NORMALISATION,
    EGDI_UNCERTAINTY_G_AGGREGATION,
    EGDI_UNCERTAINTY_G_MISSING,
    EGDI_UNCERTAINTY_G_DATA,
    EGDI_UNCERTAINTY_NGROUPS
} egdi_uncertainty_group;

/* "weights", "normalisation", "aggregation", "missing", "data". */
const char *egdi_uncertainty_group_name(egdi_uncertainty_group g);

/* Rules named as alternatives for one leaf, or for every leaf scored by a
 * normalisation rule (code NULL; a leaf named on its own takes its own
 * list instead). */
typedef struct {
    const char *code;
    size_t nrules;
    egdi_rule rules[EGDI_SCORE_MAX_ALTS - 1];
} egdi_uncertainty_norm;

/* A named alternative weight set: the weights of model, matched by code. */
typedef struct {
    const char *name;
    const egdi_model *model;
} egdi_uncertainty_set;

typedef struct {
    /* the assumptions */
    egdi_uncertainty_weights weights;
    double width;                 /* uniform: 0 <= width < 1 (0.2 = +-20 %) */
    double concentration;         /* dirichlet: > 0 */
    size_t nsets;                 /* sets: <= EGDI_UNCERTAINTY_MAX_SETS */
    const egdi_uncertainty_set *sets;
    size_t nnorm;
    const egdi_uncertainty_norm *norm;
    bool aggregation;             /* draw arithmetic and geometric */
    size_t nmissing;              /* policies named (the model's is added) */
    egdi_missing missing[4];
    double data_error;            /* relative SD of every raw value; 0 = none */
    const double *se;             /* nunits x nnodes standard errors (NaN = none) of
                                     survey indicators, or NULL */
    bool survey_se;               /* a stored round: se filled from the survey indicators
                                     stored with its score run (egdi_uncertainty_survey_se,
                                     uncertainty_store.h) */
    /* the run */
    egdi_uncertainty_sampler sampler;
    size_t draws;                 /* 1 .. EGDI_UNCERTAINTY_MAX_DRAWS */
    uint64_t seed;
    unsigned threads;             /* 0 = the processors online */
    egdi_unit_kind kind;          /* the units ranked (0 = departments) */
    size_t top;                   /* K of P(rank <= K); 0 = none */
    int digits;                   /* rank digits; EGDI_RANKING_MODEL_DIGITS = the model's */
    const egdi_progress *progress; /* told the draws done, from the calling thread
                                      (borrowed; NULL: none) */
} egdi_uncertainty_opts;

/* Defaults: nothing varied, auto sampler, EGDI_UNCERTAINTY_DRAWS draws,
 * seed 1, all processors, departments, the model's rank digits. */
void egdi_uncertainty_opts_init(egdi_uncertainty_opts *o);

/* ---- the space of assumptions -------------------------------------------- */

typedef struct egdi_uncertainty_space egdi_uncertainty_space;

/*
 * Checks the assumptions o names against model m and the round in (see
 * the list above; EGDI_ERR_ARG naming the assumption and why the model or
 * the round has no such step, or what is wrong with it) and prepares the
 * scoring plan with every rule a leaf may be given.  The sampler and the
 * run's settings are not looked at here.
 */
egdi_status egdi_uncertainty_space_new(const egdi_model *m, const egdi_score_input *in,
                                       const egdi_uncertainty_opts *o,
                                       egdi_uncertainty_space **out, egdi_error *err);
void egdi_uncertainty_space_free(egdi_uncertainty_space *sp);

/* The design's columns, and the group of column c. */
size_t egdi_uncertainty_space_columns(const egdi_uncertainty_space *sp);
egdi_uncertainty_group egdi_uncertainty_space_group(const egdi_uncertainty_space *sp, size_t c);
/* True when the space varies group g. */
bool egdi_uncertainty_space_varies(const egdi_uncertainty_space *sp, egdi_uncertainty_group g);

/* What is varied, one line ("weights: uniform +-20 % (22 weights); ..."),
 * borrowed from the space. */
const char *egdi_uncertainty_space_text(const egdi_uncertainty_space *sp);

/* The scoring plan the space evaluates with (borrowed). */
const egdi_score_plan *egdi_uncertainty_space_plan(const egdi_uncertainty_space *sp);

/* True when design rows x and y make the same scoring: every column
 * gives the same choice (a weight column the same number, a rule, an
 * aggregation, a policy or a set the same pick, data the same draws). */
bool egdi_uncertainty_space_same(const egdi_uncertainty_space *sp, const double *x,
                                 const double *y);

/* A thread's workspace for egdi_uncertainty_space_eval. */
typedef struct egdi_uncertainty_ws egdi_uncertainty_ws;
egdi_status egdi_uncertainty_ws_new(const egdi_uncertainty_space *sp, egdi_uncertainty_ws **out,
                                    egdi_error *err);
void egdi_uncertainty_ws_free(egdi_uncertainty_ws *ws);

/*
 * Scores the round under design row x (the space's columns, each in
 * (0, 1)) into out (arrays of nunits), with the plan of the space.
 * x NULL = the model as it is (the nominal scoring).
 */
egdi_status egdi_uncertainty_space_eval(const egdi_uncertainty_space *sp, const double *x,
                                        egdi_uncertainty_ws *ws, const egdi_score_outcome *out,
                                        egdi_error *err);

/*
 * The sampler a run with `columns` columns uses when asked for s: auto
 * gives Sobol when columns <= EGDI_UNCERTAINTY_SOBOL_MAX, else random;
 * Sobol beyond that is EGDI_ERR_ARG.
 */
egdi_status egdi_uncertainty_sampler_pick(egdi_uncertainty_sampler s, size_t columns,
                                          egdi_uncertainty_sampler *used, egdi_error *err);

/*
 * A source of design rows: rows of `columns` numbers in (0, 1), in order,
 * from the Sobol sequence or from MT19937 seeded with seed.  Not shared
 * between threads.
 */
typedef struct egdi_uncertainty_design egdi_uncertainty_design;
egdi_status egdi_uncertainty_design_new(egdi_uncertainty_sampler used, size_t columns,
                                        uint64_t seed, egdi_uncertainty_design **out,
                                        egdi_error *err);
void egdi_uncertainty_design_next(egdi_uncertainty_design *d, double *row);
void egdi_uncertainty_design_free(egdi_uncertainty_design *d);

/* ---- the Monte Carlo ------------------------------------------------------ */

typedef struct {
    size_t unit;          /* its index in the input */
    long nominal_rank;    /* among the units of the kind; 0 = not ranked */
    long nominal_stage;   /* stage index, -1 = none (or not ranked) */
    double nominal_score;
    size_t ranked;        /* draws in which it was rankable */
    double median, lo, hi; /* quantiles of its rank over those draws; NaN when ranked is 0 */
    double shift;         /* mean |rank - nominal rank| over those draws; NaN when it
                             is not ranked nominally or ranked is 0 */
    size_t top;           /* draws with rank <= K */
    size_t *stage;        /* model->nstages: draws in which it was rankable and its
                             score fell in that stage (points into the result) */
} egdi_uncertainty_unit;

typedef struct {
    char *varied;            /* egdi_uncertainty_space_text */
    egdi_uncertainty_sampler sampler; /* the one used (sobol or random) */
    size_t columns, draws;
    uint64_t seed;
    unsigned threads;        /* the threads used */
    size_t top;
    int digits;              /* the rank digits used (-1 = none) */
    egdi_unit_kind kind;
    size_t nstages;
    size_t n;                /* units of the kind */
    egdi_uncertainty_unit *units; /* nominal rank order, the unranked last */
    double mean_shift;       /* mean of units[].shift over the units that have one; NaN
                                when none does */
    size_t *counts;          /* owned: n x (nstages + 1) stage counts (the units' stage
                                arrays point into it; [0] of each: no stage) */
} egdi_uncertainty_result;

/* Runs the Monte Carlo of o over round in scored with m. */
egdi_status egdi_uncertainty_run(const egdi_model *m, const egdi_score_input *in,
                                 const egdi_uncertainty_opts *o, egdi_uncertainty_result **out,
                                 egdi_error *err);

/* P(stage s) of unit x: x->stage[s] / draws. */
double egdi_uncertainty_p_stage(const egdi_uncertainty_result *r, const egdi_uncertainty_unit *x,
                                size_t s);

/* P(assigned stage) below EGDI_UNCERTAINTY_STAGE_SURE (a unit with a
 * nominal stage only). */
bool egdi_uncertainty_stage_uncertain(const egdi_uncertainty_result *r,
                                      const egdi_uncertainty_unit *x);

void egdi_uncertainty_result_free(egdi_uncertainty_result *r);

/*
 * R's quantile type 7 of the ranks counted in hist[1..n] (hist[r] = how
 * many times rank r occurred; total = their sum > 0), at probability p.
 */
double egdi_uncertainty_hist_quantile(const uint32_t *hist, size_t n, size_t total, double p);

#endif
