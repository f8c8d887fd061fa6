/*
 * change.h - what moved a unit between two rounds: its EGDI change split
 * into a change of model, each indicator's contribution and re-weighting
 * for missing values (`egdi explain UNIT --round Y --compare Y0`, and the
 * report's biggest movers).
 *
 * Three scorings of the unit: E0, the earlier round's stored run (its own
 * model); E0', the earlier round's values as that run stored them, scored
 * with this round's model (an indicator the earlier model had not counts
 * as missing); E1, this round's stored run.  Then
 *
 *   E1 - E0 = (E0' - E0)                        the model change
 *           + sum_t (s1_t - s0_t) (e0_t + e1_t)/2   each indicator
 *           + sum_t (e1_t - e0_t) (s0_t + s1_t)/2   re-weighting
 *
 * over the terms t of E0' and E1, both under this round's model.  A term
 * is what enters the EGDI linearly: a leaf (or an inner node whose score
 * was given) with its effective weight e = the product of the weights used
 * from the root down (after re-weighting for missing siblings), and, for a
 * region, the departments' part of a sub-index (weight: the sub-index's
 * times the region share).  A term present in one scoring only (a value
 * missing in the other round) enters re-weighting whole.  The split is
 * exact (two-factor, symmetric) for arithmetic aggregation; a model that
 * aggregates geometrically is refused.
 *
 * Ownership: an egdi_change borrows its two rounds and owns the earlier
 * round rescored; an egdi_change_unit owns its terms.
 */
#ifndef EGDI_CHANGE_H
#define EGDI_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "engine/store/store.h"
#include "indicators/round.h"

typedef struct {
    size_t node;           /* a node of this round's model */
    bool departments;      /* a region's departments' part of sub-index node */
    bool imputed;          /* its score was imputed in a round */
    double score0, score1; /* in E0' and E1; NaN = not a term there */
    double weight0, weight1; /* effective weights; 0 = not a term there */
    double indicator;      /* (s1 - s0) x mean weight; 0 when in one scoring only */
    double reweight;       /* (w1 - w0) x mean score, or the whole term */
} egdi_change_term;

typedef struct {
    size_t unit, unit0;    /* its index in this round and in the earlier one */
    double egdi0, egdi0_model, egdi1; /* E0, E0', E1 */
    double model;          /* E0' - E0 */
    double indicators;     /* the sum of the terms' indicator parts */
    double reweighting;    /* the sum of their re-weighting parts */
    size_t nterms;
    egdi_change_term *terms; /* this round's model's order (catalogue), the departments'
                                parts after their sub-index's leaves */
} egdi_change_unit;

typedef struct egdi_change egdi_change;

/*
 * Prepares the split between round prev and round cur (both scored, with
 * their models): scores prev's values with cur's model.  EGDI_ERR_ARG for
 * a model that aggregates geometrically.
 */
egdi_status egdi_change_build(const egdi_round *cur, const egdi_round *prev, egdi_change **out,
                              egdi_error *err);
void egdi_change_free(egdi_change *c);

/*
 * The effective weight of each term of unit u in result r (model m, the
 * model r was scored with): w[j] (nnodes) = the product of the weights
 * used from the root down to node j (after re-weighting for missing
 * siblings; for a region, times 1 - region share below a sub-index with a
 * departments' part), 0 when j is not a term (an inner node, a leaf
 * without a score, or not applicable).  The weights the split uses: for
 * arithmetic aggregation, a point more on leaf j moves the EGDI by w[j]
 * (the scorecards' "where improvement pays most").
 */
void egdi_change_weights(const egdi_model *m, const egdi_score_result *r, size_t u, double *w);

/* True when the two rounds were scored with the same model (hash): the
 * model change is then 0 and E0' is E0. */
bool egdi_change_same_model(const egdi_change *c);

/*
 * The split for unit u of cur (matched in prev by code).  EGDI_ERR_NOT_FOUND
 * when prev has no such unit; EGDI_ERR_NUMERIC when the unit has no EGDI in
 * one of the three scorings (saying which).
 */
egdi_status egdi_change_unit_split(const egdi_change *c, size_t u, egdi_change_unit *out,
                                   egdi_error *err);
void egdi_change_unit_release(egdi_change_unit *x);

/* `egdi explain UNIT --round Y --compare Y0`: the stored runs and the split. */
typedef struct {
    egdi_round cur, prev;  /* the latest runs of Y (of model, or any) and of Y0 (the same
                              model's name) */
    egdi_change *change;
    egdi_change_unit unit;
    long rank0, rank1;     /* among the units of its kind; 0 = not ranked */
} egdi_change_explained;

egdi_status egdi_change_explain(egdi_store *s, const char *code, int year, int year0,
                                const char *model, egdi_change_explained *out, egdi_error *err);
void egdi_change_explained_release(egdi_change_explained *e);

#endif
