/*
 * rank.c - competition ranks of rank.h.  One sort of an index array
 * (allocated here, freed before return).
 */
#include "indicators/rank.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

double egdi_round_digits(double score, int digits)
{
    if (digits < 0 || !isfinite(score))
        return score;
    char buf[400];
    snprintf(buf, sizeof buf, "%.*f", digits > 17 ? 17 : digits, score);
    return strtod(buf, NULL);
}

typedef struct {
    double v;
    size_t i;
    bool ok;
} key;

static int cmp_key(const void *a, const void *b)
{
    const key *x = a, *y = b;
    if (x->ok != y->ok)
        return x->ok ? -1 : 1;
    if (x->ok && x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

egdi_status egdi_rank(const double *score, const bool *eligible, size_t n, int digits,
                      long *rank, size_t *order, egdi_error *err)
{
    key *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory ranking %zu units", n);
    for (size_t i = 0; i < n; i++) {
        k[i].i = i;
        k[i].ok = (!eligible || eligible[i]) && !isnan(score[i]);
        k[i].v = k[i].ok ? egdi_round_digits(score[i], digits) : 0;
    }
    qsort(k, n, sizeof *k, cmp_key);
    for (size_t p = 0; p < n; p++) {
        if (!k[p].ok)
            rank[k[p].i] = 0;
        else if (p > 0 && k[p - 1].ok && k[p - 1].v == k[p].v)
            rank[k[p].i] = rank[k[p - 1].i];
        else
            rank[k[p].i] = (long)p + 1;
        if (order)
            order[p] = k[p].i;
    }
    free(k);
    return EGDI_OK;
}
