/*
 * round.c - releasing a round's input and a scored round, and the code
 * index used to match units by code (see round.h).
 */
#include "indicators/round.h"

#include <stdlib.h>
#include <string.h>

void egdi_round_input_release(egdi_round_input *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->in.nunits; i++) {
        if (t->codes)
            free(t->codes[i]);
        if (t->names)
            free(t->names[i]);
        if (t->regions)
            free(t->regions[i]);
    }
    free(t->codes);
    free(t->names);
    free(t->regions);
    free(t->units);
    free(t->raw);
    free(t->unit_ids);
    free(t->rows);
    free(t->has_column);
    memset(t, 0, sizeof *t);
}

void egdi_round_release(egdi_round *r)
{
    if (!r)
        return;
    egdi_score_result_free(r->result);
    egdi_round_input_release(&r->in);
    egdi_model_free(r->model);
    memset(r, 0, sizeof *r);
}

/* qsort_r is not C11: the codes travel in the keys. */
typedef struct {
    const char *code;
    size_t idx;
} code_key;

static int cmp_code_key(const void *a, const void *b)
{
    const code_key *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

egdi_status egdi_round_input_index(const egdi_round_input *t, size_t **out, egdi_error *err)
{
    size_t n = t->in.nunits;
    *out = NULL;
    code_key *k = malloc((n ? n : 1) * sizeof *k);
    size_t *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!k || !ix) {
        free(k);
        free(ix);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory indexing %zu units", n);
    }
    for (size_t i = 0; i < n; i++)
        k[i] = (code_key){t->codes[i] ? t->codes[i] : "", i};
    qsort(k, n, sizeof *k, cmp_code_key);
    for (size_t i = 0; i < n; i++)
        ix[i] = k[i].idx;
    free(k);
    *out = ix;
    return EGDI_OK;
}

long egdi_round_input_find(const egdi_round_input *t, const size_t *ix, const char *code)
{
    if (!code || !ix)
        return -1;
    size_t lo = 0, hi = t->in.nunits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *c = t->codes[ix[mid]] ? t->codes[ix[mid]] : "";
        int d = strcmp(c, code);
        if (d == 0) {
            /* the first of equal codes (codes are unique in practice) */
            while (mid > lo && strcmp(t->codes[ix[mid - 1]] ? t->codes[ix[mid - 1]] : "",
                                      code) == 0)
                mid--;
            return (long)ix[mid];
        }
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
