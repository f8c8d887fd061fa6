/*
 * rank.h - competition ranking ("1224": ties share the best rank) on
 * scores optionally rounded to a number of decimals first, as the UN ranks
 * its published (rounded) EGDI.
 *
 * Rounding: the score is printed with "%.*f" (the binary value rounded to
 * nearest, ties to even on that exact value) and read back, so two units
 * tie exactly when their printed scores are equal.
 */
#ifndef EGDI_RANK_H
#define EGDI_RANK_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"

/* score rounded to digits decimals; digits < 0 returns score. */
double egdi_round_digits(double score, int digits);

/*
 * Ranks the units i with eligible[i] (eligible may be NULL: all) and a
 * non-NaN score: rank[i] = 1 + the number of eligible units with a strictly
 * higher (rounded) score; 0 for the others.  order[0..n) (may be NULL)
 * receives the indices sorted by rank, ties and the unranked (last) in
 * index order.
 */
egdi_status egdi_rank(const double *score, const bool *eligible, size_t n, int digits,
                      long *rank, size_t *order, egdi_error *err);

#endif
