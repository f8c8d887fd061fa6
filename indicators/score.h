/*
 * score.h - scoring one round of units with a model: indicator scores,
 * aggregation up the tree, missing data, coverage, regions, EGDI and stage.
 *
 * Input: the units (departments and regions, each department naming its
 * region) and a matrix of values, one row per unit and one column per model
 * node (raw[u * nnodes + j], NaN = missing).  A leaf's value is its raw
 * value, scored by the leaf's rule among the units of the same kind.  An
 * inner node's value, when given, is used as that node's score and its
 * subtree is not looked at (this is how published sub-indices such as the
 * UN's OSI / TII / HCI are ranked).
 *
 * Steps, each in a fixed order (results are bit-identical run to run):
 *  1. leaves: rule scores, per unit kind (a leaf applies to department,
 *     region or both; a unit of another kind skips it entirely);
 *  2. missing leaves by the model's policy: reweight (left out, the
 *     siblings' weights re-scaled to sum to 1), mean / median (the round's
 *     mean / median score of that indicator among units of the same kind),
 *     zero (score 0);
 *  3. coverage = sum of the effective weights of the unit's applicable
 *     leaves that have data (or lie under a given node) / sum over all its
 *     applicable leaves; a region with departments gets
 *     share * (mean coverage of its departments) + (1 - share) * its own;
 *     below min_coverage the unit is not rankable;
 *  4. inner nodes deepest first: weighted arithmetic mean, or weighted
 *     geometric mean (a zero or negative input is refused, naming the unit
 *     and indicator);
 *  5. regions: each sub-index (child of the root) is
 *        share * D + (1 - share) * R
 *     with D the mean (or the mean weighted by each department's
 *     `region_weight`) of the region's departments' sub-index and R the
 *     region's own sub-index from region-level indicators; when one part is
 *     missing the other is used alone;
 *  6. EGDI = the root's score; stage from the stage table; with
 *     classes=quartile, the rating class within the stage (quartiles of
 *     the rankable units of the same kind in that stage, R type 7: class 1
 *     for score >= Q3, 2 for >= Q2, 3 for >= Q1, else 4).
 *
 * The result owns its arrays; egdi_score_result_free() frees them.
 */
#ifndef EGDI_SCORE_H
#define EGDI_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "indicators/model.h"

typedef enum { EGDI_UNIT_DEPARTMENT = 1, EGDI_UNIT_REGION = 2 } egdi_unit_kind;

typedef struct {
    const char *id;     /* unit code (borrowed) */
    const char *name;   /* may be NULL */
    egdi_unit_kind kind;
    const char *region; /* a department's region code, or NULL */
    double region_weight; /* weight in its region (weighted method); NaN = none */
} egdi_score_unit;

typedef struct {
    size_t nunits;
    const egdi_score_unit *units;
    const double *raw; /* nunits x model->nnodes */
} egdi_score_input;

/* What happened to one node of one unit. */
typedef enum {
    EGDI_NODE_NA = 0,   /* does not apply to this unit's kind */
    EGDI_NODE_SCORED,   /* scored from data */
    EGDI_NODE_GIVEN,    /* an inner node's score given in the input */
    EGDI_NODE_IMPUTED,  /* missing, filled by the policy */
    EGDI_NODE_MISSING   /* missing, left out (reweight) */
} egdi_node_status;

typedef struct {
    size_t nunits, nnodes;
    double *score;    /* nunits x nnodes; NaN when missing / not applicable */
    double *weight;   /* the weight used within the parent (re-scaled), NaN if unused */
    double *contrib;  /* arithmetic: weight * score, the part of the parent's
                         score; geometric: the factor score^weight */
    unsigned char *status; /* egdi_node_status */
    double *dept_part;  /* regions: nunits x nnodes, the departments' part D (NaN) */
    double *own_part;   /* regions: the region's own part R (NaN) */
    double *coverage;   /* per unit, 0..1 */
    bool *rankable;
    double *egdi;       /* per unit: the root's score */
    long *stage;        /* per unit: stage index, -1 */
    long *klass;        /* per unit: rating class 0..3 within the stage, -1 */
} egdi_score_result;

/* Allocates a result for nunits x nnodes with every score NaN. */
egdi_status egdi_score_result_new(egdi_score_result **out, size_t nunits, size_t nnodes,
                                  egdi_error *err);

/* "scored", "given", "imputed", "missing" or "n/a"; never NULL. */
const char *egdi_node_status_name(unsigned char status);

/* Scores the input.  On failure *out is NULL and err says why. */
egdi_status egdi_score_run(const egdi_model *m, const egdi_score_input *in,
                           egdi_score_result **out, egdi_error *err);

/* (Re)computes r->klass from r->egdi, r->stage and r->rankable (step 6). */
egdi_status egdi_score_classes(const egdi_model *m, const egdi_score_input *in,
                               egdi_score_result *r, egdi_error *err);

void egdi_score_result_free(egdi_score_result *r);

/* R's quantile(v, p, type = 7) of sorted v[0..n), n >= 1: the rating
 * classes' quartiles here, and the one median of the reports (below). */
double egdi_score_quantile7(const double *sorted, size_t n, double p);
/* The median (R type 7) and the maximum of the finite values v[i * stride],
 * i < n: the "province median / best" of the report's region sections and
 * of the scorecards.  work holds n doubles (the finite values, sorted, on
 * return).  Returns how many were finite; med and best are NaN when none. */
size_t egdi_score_median_best(const double *v, size_t n, size_t stride, double *work,
                              double *med, double *best);

/* ---- scoring many times: a plan and its workspace ------------------------
 *
 * The Monte Carlo of indicators/uncertainty.c and the analyses of
 * indicators/sensitivity.c score one round thousands of times with other
 * weights, rules, aggregation or missing-data policy.  A plan holds what
 * does not change between those runs, computed once: which nodes apply to
 * which kind, which nodes lie under a given value, the regions'
 * departments, the inner nodes in their order, and every leaf's scores under
 * each rule it may be given (egdi_score_plan_new's alternatives) with the
 * round's mean and median of those scores.  egdi_score_plan_eval() then runs
 * steps 2-6 for one variant without allocating.  egdi_score_run() is
 * egdi_score_plan_new + egdi_score_plan_eval with every detail: there is
 * one scoring path.
 *
 * A plan borrows m and in (they must outlive it) and is read-only after
 * egdi_score_plan_new, so threads may share it; each thread evaluates with
 * its own egdi_score_ws.  egdi_score_plan_free / egdi_score_ws_free free
 * them (harmless on NULL).
 */
typedef struct egdi_score_plan egdi_score_plan;
typedef struct egdi_score_ws egdi_score_ws;

/* The most rules a leaf may be given in one plan (its own included). */
#define EGDI_SCORE_MAX_ALTS 8

/*
 * The rules each leaf may be scored with besides its own: alt[j][0..nalt[j])
 * for node j (its own rule is alternative 0 and is not listed here; a rule
 * the leaf cannot take, see egdi_node_rule_fits, is an EGDI_ERR_ARG).
 * NULL arrays = none.
 */
typedef struct {
    const unsigned char *nalt;  /* nnodes: alternatives besides the model's rule */
    const egdi_rule *const *alt; /* nnodes: the alternatives, NULL when nalt is 0 */
} egdi_score_alts;

/*
 * Builds a plan (see above).  Scoring a leaf under one of its rules can
 * fail as egdi_score_run fails (all values equal under minmax or zscore,
 * a Likert value off the scale): the error names the indicator and, for an
 * alternative, the rule.
 */
egdi_status egdi_score_plan_new(const egdi_model *m, const egdi_score_input *in,
                                const egdi_score_alts *alts, egdi_score_plan **out,
                                egdi_error *err);
void egdi_score_plan_free(egdi_score_plan *p);

/* The rules of leaf j in the plan: *n of them, rules[0] the model's.
 * Returns the array (borrowed from the plan). */
const egdi_rule *egdi_score_plan_rules(const egdi_score_plan *p, size_t j, size_t *n);

/*
 * The score of leaf j of unit u under alternative a, before the missing
 * policy (NaN = no value, or the leaf does not apply / lies under a given
 * value).  For checks such as "a geometric mean needs scores above 0".
 */
double egdi_score_plan_leaf(const egdi_score_plan *p, size_t j, size_t a, size_t u);

/* True when leaf j is scored for unit u: it applies to the unit's kind and
 * lies under no given value. */
bool egdi_score_plan_applies(const egdi_score_plan *p, size_t j, size_t u);

/* A workspace for evaluating plan p (one per thread). */
egdi_status egdi_score_ws_new(const egdi_score_plan *p, egdi_score_ws **out, egdi_error *err);
void egdi_score_ws_free(egdi_score_ws *ws);

/* How one evaluation departs from the model; a NULL array or a negative
 * enum value means "as the model says". */
typedef struct {
    const double *weight;      /* nnodes: each node's weight within its parent (the
                                  siblings' weights need not sum to 1: aggregation
                                  divides by their sum; 0 leaves the node out) */
    const unsigned char *alt;  /* nnodes: each leaf's rule, an index into
                                  egdi_score_plan_rules (0 = the model's) */
    int aggregation;           /* -1 or an egdi_aggregation */
    int missing;               /* -1 or an egdi_missing */
    const double *raw;         /* nunits x nnodes: values scored instead of the
                                  input's (the same cells missing); NULL = the input's */
    const unsigned char *drawn; /* nnodes, with raw: 1 for a leaf whose column of raw
                                   may differ from the input's (the others are not
                                   rescored); NULL = every leaf rescored */
    uint64_t raw_id;           /* with raw: 0, or a number the caller gives these raw
                                  values in this workspace (the same number, the same
                                  values): the workspace then keeps the leaves it
                                  rescored from them for the next evaluations */
} egdi_score_variant;

/* What one evaluation gives per unit; arrays of nunits, the caller's. */
typedef struct {
    double *egdi;     /* the root's score, NaN when none */
    bool *rankable;
    long *stage;      /* stage index or -1 */
    double *coverage; /* may be NULL */
} egdi_score_outcome;

/*
 * Scores the plan's round under variant v (NULL = the model as it is)
 * into out; with detail (NULL for none, else a result of the plan's size
 * from egdi_score_result_new) every node's score, weight, contribution and
 * status as egdi_score_run gives them (rating classes are not computed:
 * egdi_score_classes).  Fails only for a geometric mean over a score that
 * is not above 0 (the unit and indicator named) or a leaf that cannot be
 * rescored from v->raw.
 */
egdi_status egdi_score_plan_eval(const egdi_score_plan *p, const egdi_score_variant *v,
                                 egdi_score_ws *ws, const egdi_score_outcome *out,
                                 egdi_score_result *detail, egdi_error *err);

/* ---- how each indicator fared ------------------------------------------ */

/* One leaf indicator among the units of one kind it applies to (a unit
 * whose value is given at an inner node above it is not counted). */
typedef struct {
    size_t units;    /* units of the kind it applies to */
    size_t scored;   /* with a value */
    size_t missing;  /* without one, left out and its siblings re-weighted */
    size_t imputed;  /* without one, filled by the model's missing policy */
} egdi_score_count;

/*
 * counts[2 * j + k] for node j and kind k (0 departments, 1 regions), from
 * the statuses of r (a fresh result or a stored run read back); inner nodes
 * stay zero.  counts needs 2 * m->nnodes entries.
 */
void egdi_score_counts(const egdi_model *m, const egdi_score_input *in,
                       const egdi_score_result *r, egdi_score_count *counts);

/* An indicator without a value for more than this share of the units of a
 * kind is warned about. */
#define EGDI_SCORE_MISSING_WARN 0.5

typedef struct {
    size_t node;
    egdi_unit_kind kind;
    egdi_score_count count;
} egdi_score_warning;

/*
 * The indicators whose units without a value (missing + imputed) are more
 * than EGDI_SCORE_MISSING_WARN of the units of a kind: w[0..return), in
 * catalogue order, departments first.  w needs 2 * m->nnodes entries.
 */
size_t egdi_score_warnings(const egdi_model *m, const egdi_score_count *counts,
                           egdi_score_warning *w);

/*
 * One line for a warning: `GIRI5 数据及时性与准确性: no value for 12 of 16
 * departments (re-weighted away)` (english: the English name and kind
 * words).  Returns buf.
 */
const char *egdi_score_warning_text(const egdi_model *m, const egdi_score_warning *w,
                                    bool english, char *buf, size_t size);

/* The same warning in Chinese, for a person reading Chinese: "GIRI5
 * 数据及时性与准确性：12 个部门中 12 个没有值（已重新加权略去）".  Returns buf. */
const char *egdi_score_warning_zh(const egdi_model *m, const egdi_score_warning *w, char *buf,
                                  size_t size);

/*
 * SHA-256 (hex) of the input as scored: unit ids, kinds and regions and the
 * raw values (as 8-byte IEEE doubles, little-endian) in order.
 */
egdi_status egdi_score_input_hash(const egdi_model *m, const egdi_score_input *in,
                                  char hex[65], egdi_error *err);

#endif
