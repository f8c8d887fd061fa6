/*
 * rules.h - scoring rules: one indicator's raw values -> scores on 0..100.
 *
 * A rule scores all units of one round (and one unit kind) at once, because
 * some rules (minmax, zscore, rank) depend on the other units' values.
 * raw[i] is NaN for a missing value; score[i] is then NaN too (missing data
 * is handled by the model's policy, in score.c).  Direction: for an
 * indicator where lower is better the rule is mirrored (see each rule).
 * No allocation except rank's sort buffer; nothing is kept.
 *
 *   value     score = raw (already on the model's scale)
 *   goalpost  100 (x - min)/(max - min), clamped to 0..100; lower: 100 (max - x)/(max - min)
 *   minmax    as goalpost with min/max over the units that have a value;
 *             all values equal -> EGDI_ERR_NUMERIC (no score can be given)
 *   zscore    T-score 50 + 10 z (z with the population SD, n in the
 *             denominator), clamped to 0..100; lower: 50 - 10 z;
 *             zero SD -> EGDI_ERR_NUMERIC
 *   rank      percentile rank 100 (r - 1)/(n - 1), r = ascending rank with
 *             ties sharing their mean rank; one unit -> 100; lower: mirrored
 *   target    100 (1 - |x - target| / tolerance), at least 0
 *   steps     higher: the score of the largest threshold <= x (below the
 *             first: 0); lower: the score of the smallest threshold >= x
 *             (above the last: 0)
 *   yesno     x != 0 -> 100, 0 -> 0; lower: reversed
 *   likert    100 (x - scale_min)/(scale_max - scale_min); outside the scale
 *             -> EGDI_ERR_VALUE; lower: 100 minus that
 *   ratio     100 min(1, x / target); lower: 100 min(1, target / x)
 *             (x <= 0 scores 100 for lower, 0 for higher)
 */
#ifndef EGDI_RULES_H
#define EGDI_RULES_H

#include <stddef.h>

#include "engine/core/error.h"
#include "indicators/model.h"

/*
 * Scores raw[0..n) by node n's rule into score[0..n).  `ids` (may be NULL)
 * names the units in error messages.  Errors name the indicator.
 */
egdi_status egdi_rule_apply(const egdi_node *node, const double *raw, size_t n,
                            const char *const *ids, double *score, egdi_error *err);

#endif
