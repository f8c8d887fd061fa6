/*
 * ranking.c - competition ranks, scopes, the comparison with an earlier
 * round, stage counts and transitions (see ranking.h).
 *
 * Costs: a ranking is one sort of the round's units (and one of the
 * earlier round's); units are matched between rounds by code through a
 * sorted code index (egdi_round_input_index), O(n log n) - never a loop
 * over both rounds.  Stage codes are matched through a small table from
 * the earlier model's stage indices to the axis.
 */
#include "indicators/ranking.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/store/score_runs.h"
#include "indicators/score_store.h"
#include "indicators/table_input.h"

/* ---- competition ranks ---------------------------------------------- */

/* Decimals a score is first settled to: far below any published digit, far
 * above a double's noise (an index of 0..100 keeps 15 significant digits). */
#define SETTLE_DIGITS 12

/* Rounds by printing: the definition (settled to SETTLE_DIGITS decimals,
 * then half to even on the decimal text). */
static double round_printed(double score, int digits)
{
    char buf[400];
    if (digits >= SETTLE_DIGITS || fabs(score) >= 1e6) {
        snprintf(buf, sizeof buf, "%.*f", digits > 17 ? 17 : digits, score);
        return strtod(buf, NULL);
    }
    /* settle to SETTLE_DIGITS decimals, then round that decimal text half
     * to even: 0.12344999999999999 and 0.12345000000000001 (one ulp apart,
     * the same sum in another order) both become 0.1234 */
    int n = snprintf(buf, sizeof buf, "%.*f", SETTLE_DIGITS, score);
    char *dot = strchr(buf, '.');
    if (n <= 0 || !dot)
        return score;
    char *cut = dot + 1 + digits; /* the first digit dropped */
    bool up = false;
    if (*cut > '5')
        up = true;
    else if (*cut == '5') {
        up = strspn(cut + 1, "0") != strlen(cut + 1); /* more than half */
        if (!up) {
            char last = digits > 0 ? cut[-1] : dot[-1];
            up = (last - '0') % 2 == 1; /* a tie: to even */
        }
    }
    *(digits > 0 ? cut : dot) = '\0';
    double v = strtod(buf, NULL);
    if (up) {
        double step = 1;
        for (int i = 0; i < digits; i++)
            step /= 10;
        snprintf(buf, sizeof buf, "%.*f", digits, fabs(v) + step);
        v = strtod(buf, NULL) * (score < 0 ? -1 : 1);
    }
    return v;
}

double egdi_ranking_round_digits(double score, int digits)
{
    if (digits < 0 || !isfinite(score))
        return score;
    /*
     * The same number without printing: y = score * 10^d is within half an
     * ulp of the exact product, so when y is more than a few ulps from a
     * half-integer the exact product rounds as y does; r / 10^d (r whole,
     * 10^d exact) is then the double nearest the printed decimal, which is
     * what strtod returns.  Settling to SETTLE_DIGITS decimals first moves
     * the score by at most 0.5e-12, 0.5e-12 * 10^d in y: farther than that
     * from a half-integer it cannot cross it.  Near a half-integer, print.
     */
    static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (digits < (int)(sizeof p10 / sizeof p10[0])) {
        double scale = p10[digits], y = score * scale, ay = fabs(y);
        bool settled = digits < SETTLE_DIGITS && fabs(score) < 1e6;
        if (ay < 0x1p51) {
            double half = floor(ay) + 0.5;
            double margin = ay * 1e-15 + 0x1p-1000 + (settled ? 1e-12 * scale : 0);
            if (fabs(ay - half) > margin)
                return nearbyint(y) / scale;
        }
    }
    return round_printed(score, digits);
}

/*
 * The ranker sorts 64-bit keys whose ascending order is the descending
 * order of the rounded scores (the unranked get the largest key), stably:
 * one counting pass into buckets of the keys' top varying bits, then each
 * bucket by insertion (a few keys) or by an LSD radix sort of its bytes.
 */
#define RANKER_BUCKETS 4096
#define RANKER_SMALL 32 /* a bucket this small is sorted by insertion */

struct egdi_ranking_ranker {
    size_t cap;
    uint64_t *key, *key2;
    size_t *idx, *idx2;
    uint32_t bucket[RANKER_BUCKETS + 2];
    uint32_t count[8][256];
};

egdi_status egdi_ranking_ranker_new(size_t n, egdi_ranking_ranker **out, egdi_error *err)
{
    *out = NULL;
    egdi_ranking_ranker *k = calloc(1, sizeof *k);
    size_t c = n ? n : 1;
    if (k && n > UINT32_MAX) {
        free(k);
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many units to rank (%zu)", n);
    }
    if (k) {
        k->cap = n;
        k->key = malloc(c * sizeof *k->key);
        k->key2 = malloc(c * sizeof *k->key2);
        k->idx = malloc(c * sizeof *k->idx);
        k->idx2 = malloc(c * sizeof *k->idx2);
    }
    if (!k || !k->key || !k->key2 || !k->idx || !k->idx2) {
        egdi_ranking_ranker_free(k);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory ranking %zu units", n);
    }
    *out = k;
    return EGDI_OK;
}

void egdi_ranking_ranker_free(egdi_ranking_ranker *k)
{
    if (!k)
        return;
    free(k->key);
    free(k->key2);
    free(k->idx);
    free(k->idx2);
    free(k);
}

/* A key whose ascending order is the descending order of v (not NaN). */
static uint64_t desc_key(double v)
{
    v += 0.0; /* -0 ranks with 0 */
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    uint64_t asc = (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
    return ~asc;
}

/* Stable LSD radix sort of key[0..n) with idx, through key2 / idx2; the
 * sorted keys end in key / idx. */
static void radix_sort(egdi_ranking_ranker *k, uint64_t *key, size_t *idx, uint64_t *key2,
                       size_t *idx2, size_t n)
{
    uint64_t *k0 = key;
    size_t *i0 = idx;
    memset(k->count, 0, sizeof k->count);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            k->count[b][(key[i] >> (8 * b)) & 0xff]++;
    for (int b = 0; b < 8; b++) {
        uint32_t *c = k->count[b];
        if (n == 0 || c[(key[0] >> (8 * b)) & 0xff] == n)
            continue; /* one value of this byte: nothing moves */
        uint32_t at = 0;
        for (int v = 0; v < 256; v++) {
            uint32_t t = c[v];
            c[v] = at;
            at += t;
        }
        for (size_t i = 0; i < n; i++) {
            uint32_t to = c[(key[i] >> (8 * b)) & 0xff]++;
            key2[to] = key[i];
            idx2[to] = idx[i];
        }
        uint64_t *tk = key;
        key = key2;
        key2 = tk;
        size_t *ti = idx;
        idx = idx2;
        idx2 = ti;
    }
    if (key != k0) {
        memcpy(k0, key, n * sizeof *key);
        memcpy(i0, idx, n * sizeof *idx);
    }
}

/* Stable insertion sort of key[0..n) with idx. */
static void insertion_sort(uint64_t *key, size_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = key[i];
        size_t xi = idx[i], j = i;
        for (; j > 0 && key[j - 1] > x; j--) {
            key[j] = key[j - 1];
            idx[j] = idx[j - 1];
        }
        key[j] = x;
        idx[j] = xi;
    }
}

void egdi_ranking_ranker_rank(egdi_ranking_ranker *k, const double *score, const bool *eligible,
                              size_t n, int digits, long *rank, size_t *order)
{
    uint64_t *key = k->key, *key2 = k->key2;
    size_t *idx = k->idx, *idx2 = k->idx2;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        bool ok = (!eligible || eligible[i]) && !isnan(score[i]);
        /* the unranked last: no rounded score has this key */
        uint64_t x = ok ? desc_key(egdi_ranking_round_digits(score[i], digits)) : UINT64_MAX;
        key[i] = x;
        if (ok) {
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
    }
    /* buckets of the top varying bits of the ranked keys; the unranked in
     * the last bucket */
    int shift = 0;
    if (lo < hi) {
        int bits = 0;
        for (uint64_t range = hi - lo; range; range >>= 1)
            bits++;
        shift = bits > 12 ? bits - 12 : 0;
    }
    uint32_t *c = k->bucket;
    memset(c, 0, sizeof k->bucket);
    for (size_t i = 0; i < n; i++) {
        size_t b = key[i] == UINT64_MAX ? RANKER_BUCKETS : (size_t)((key[i] - lo) >> shift);
        c[b + 1]++;
    }
    uint32_t biggest = 0;
    for (size_t b = 1; b <= RANKER_BUCKETS; b++)
        biggest = c[b] > biggest ? c[b] : biggest;
    for (size_t b = 1; b <= RANKER_BUCKETS + 1; b++)
        c[b] += c[b - 1];
    for (size_t i = 0; i < n; i++) {
        size_t b = key[i] == UINT64_MAX ? RANKER_BUCKETS : (size_t)((key[i] - lo) >> shift);
        uint32_t to = c[b]++;
        key2[to] = key[i];
        idx2[to] = i;
    }
    if (biggest <= RANKER_SMALL) {
        /* every key is in its bucket: one insertion pass moves each only
         * within it */
        insertion_sort(key2, idx2, n);
    } else {
        /* c[b] is now the end of bucket b: sort each ranked bucket */
        size_t start = 0;
        for (size_t b = 0; b < RANKER_BUCKETS; b++) {
            size_t end = c[b], len = end - start;
            if (len > RANKER_SMALL)
                radix_sort(k, key2 + start, idx2 + start, key + start, idx + start, len);
            else if (len > 1)
                insertion_sort(key2 + start, idx2 + start, len);
            start = end;
        }
    }
    key = key2;
    idx = idx2;
    for (size_t p = 0; p < n; p++) {
        size_t i = idx[p];
        if (key[p] == UINT64_MAX)
            rank[i] = 0;
        else if (p > 0 && key[p - 1] == key[p])
            rank[i] = rank[idx[p - 1]];
        else
            rank[i] = (long)p + 1;
        if (order)
            order[p] = i;
    }
}

egdi_status egdi_ranking_competition(const double *score, const bool *eligible, size_t n,
                                     int digits, long *rank, size_t *order, egdi_error *err)
{
    egdi_ranking_ranker *k = NULL;
    egdi_status st = egdi_ranking_ranker_new(n, &k, err);
    if (st)
        return st;
    egdi_ranking_ranker_rank(k, score, eligible, n, digits, rank, order);
    egdi_ranking_ranker_free(k);
    return EGDI_OK;
}

/* ---- scopes ---------------------------------------------------------- */

bool egdi_ranking_in_scope(const egdi_ranking_scope *sc, const egdi_round_input *in, size_t u)
{
    const egdi_score_unit *unit = &in->in.units[u];
    if (sc && sc->within)
        return unit->kind == EGDI_UNIT_DEPARTMENT && unit->region &&
               strcmp(unit->region, sc->within) == 0;
    egdi_unit_kind kind = sc && sc->kind ? sc->kind : EGDI_UNIT_DEPARTMENT;
    return unit->kind == kind;
}

egdi_status egdi_ranking_by_kind(const egdi_round_input *in, const egdi_score_result *r,
                                 int digits, long *rank, egdi_error *err)
{
    size_t U = in->in.nunits;
    bool *ok = malloc((U ? U : 1) * sizeof *ok);
    long *rk = malloc((U ? U : 1) * sizeof *rk);
    egdi_status st = EGDI_OK;
    if (!ok || !rk) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory ranking %zu units", U);
        goto out;
    }
    for (size_t u = 0; u < U; u++)
        rank[u] = 0;
    static const egdi_unit_kind kinds[2] = {EGDI_UNIT_DEPARTMENT, EGDI_UNIT_REGION};
    for (int k = 0; k < 2 && !st; k++) {
        for (size_t u = 0; u < U; u++)
            ok[u] = r->rankable[u] && in->in.units[u].kind == kinds[k];
        st = egdi_ranking_competition(r->egdi, ok, U, digits, rk, NULL, err);
        for (size_t u = 0; u < U && !st; u++)
            if (ok[u])
                rank[u] = rk[u];
    }
out:
    free(ok);
    free(rk);
    return st;
}

/* ---- stage counts and transitions ------------------------------------ */

void egdi_ranking_tally_clear(egdi_ranking_tally *t)
{
    size_t S = t->nstages;
    if (t->counts)
        memset(t->counts, 0, (S + 1) * sizeof *t->counts);
    if (t->prev_counts)
        memset(t->prev_counts, 0, (S + 1) * sizeof *t->prev_counts);
    if (t->transitions && S)
        memset(t->transitions, 0, S * S * sizeof *t->transitions);
}

void egdi_ranking_tally_add(egdi_ranking_tally *t, long stage, long prev_stage)
{
    size_t S = t->nstages;
    bool cur = stage >= 0 && (size_t)stage < S, prev = prev_stage >= 0 && (size_t)prev_stage < S;
    if (t->counts)
        t->counts[cur ? (size_t)stage : S]++;
    if (t->prev_counts)
        t->prev_counts[prev ? (size_t)prev_stage : S]++;
    if (t->transitions && cur && prev)
        t->transitions[(size_t)prev_stage * S + (size_t)stage]++;
}

/* ---- a ranking -------------------------------------------------------- */

/* Ranks rd's units in scope; rank[] for every unit (0 outside), order[]
 * (may be NULL) the n units in scope, ranked first. */
static egdi_status rank_scope(const egdi_round *rd, const egdi_ranking_scope *sc, int digits,
                              long *rank, size_t *order, size_t *n_out, egdi_error *err)
{
    const egdi_round_input *in = &rd->in;
    const egdi_score_result *r = rd->result;
    size_t U = in->in.nunits;
    bool *ok = calloc(U ? U : 1, sizeof *ok);
    bool *scope = calloc(U ? U : 1, sizeof *scope);
    size_t *all = malloc((U ? U : 1) * sizeof *all);
    egdi_status st = EGDI_OK;
    if (!ok || !scope || !all) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory ranking %zu units", U);
        goto out;
    }
    for (size_t u = 0; u < U; u++) {
        scope[u] = egdi_ranking_in_scope(sc, in, u);
        ok[u] = r->rankable[u] && scope[u];
    }
    if ((st = egdi_ranking_competition(r->egdi, ok, U, digits, rank, all, err)))
        goto out;
    size_t n = 0;
    for (size_t p = 0; p < U; p++)
        if (scope[all[p]]) {
            if (order)
                order[n] = all[p];
            n++;
        }
    if (n_out)
        *n_out = n;
out:
    free(ok);
    free(scope);
    free(all);
    return st;
}

static bool same_bands(const egdi_model *a, const egdi_model *b)
{
    if (a->nstages != b->nstages)
        return false;
    for (size_t i = 0; i < a->nstages; i++)
        if (strcmp(a->stages[i].code, b->stages[i].code) != 0 ||
            a->stages[i].lower != b->stages[i].lower || a->stages[i].upper != b->stages[i].upper)
            return false;
    return true;
}

/* The axis: m's stages, then the codes only pm has; pmap[i] = the axis
 * index of pm's stage i. */
static egdi_status make_axis(egdi_ranking *k, const egdi_model *m, const egdi_model *pm,
                             long *pmap, egdi_error *err)
{
    size_t cap = m->nstages + (pm ? pm->nstages : 0);
    k->stages = malloc((cap ? cap : 1) * sizeof *k->stages);
    if (!k->stages)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < m->nstages; i++)
        k->stages[n++] = &m->stages[i];
    k->ncurrent = n;
    for (size_t i = 0; pm && i < pm->nstages; i++) {
        long at = -1;
        for (size_t a = 0; a < n && at < 0; a++)
            if (strcmp(k->stages[a]->code, pm->stages[i].code) == 0)
                at = (long)a;
        if (at < 0) {
            at = (long)n;
            k->stages[n++] = &pm->stages[i];
        }
        pmap[i] = at;
    }
    k->nstages = n;
    k->same_bands = !pm || same_bands(m, pm);
    return EGDI_OK;
}

int egdi_ranking_digits(int digits, const egdi_model *m, const egdi_round_input *in)
{
    int d = digits == EGDI_RANKING_MODEL_DIGITS ? m->rank_digits : digits;
    if (d == EGDI_RANK_DIGITS_AUTO)
        d = in && in->decimals > 0 ? in->decimals : -1;
    return d;
}

static int resolve_digits(int digits, const egdi_round *rd)
{
    return egdi_ranking_digits(digits, rd->model, &rd->in);
}

/* Fills prev_rank / prev_stage of k's units from the earlier round. */
static egdi_status compare(egdi_ranking *k, const long *pmap, egdi_error *err)
{
    const egdi_round *cur = k->round, *prev = k->prev;
    size_t U = cur->in.in.nunits, PU = prev->in.in.nunits;
    long *prank = malloc((PU ? PU : 1) * sizeof *prank);
    size_t *pix = NULL;
    egdi_status st = EGDI_OK;
    if (!prank) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((st = rank_scope(prev, &k->scope, k->prev_digits, prank, NULL, NULL, err)) ||
        (st = egdi_round_input_index(&prev->in, &pix, err)))
        goto out;
    for (size_t u = 0; u < U; u++) {
        long p = egdi_round_input_find(&prev->in, pix, cur->in.codes[u]);
        k->prev_rank[u] = p >= 0 ? prank[p] : 0;
        long ps = p >= 0 && prank[p] > 0 ? prev->result->stage[p] : -1;
        /* the stage stored with the earlier run, matched by its code */
        k->prev_stage[u] = ps >= 0 && (size_t)ps < prev->model->nstages ? pmap[ps] : -1;
    }
out:
    free(prank);
    free(pix);
    return st;
}

egdi_status egdi_ranking_build(const egdi_round *round, const egdi_round *prev,
                               const egdi_ranking_scope *scope, int digits,
                               egdi_ranking **out, egdi_error *err)
{
    *out = NULL;
    egdi_ranking *k = calloc(1, sizeof *k);
    if (!k)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status st = EGDI_OK;
    long *pmap = NULL;
    const egdi_model *m = round->model, *pm = prev ? prev->model : NULL;
    const egdi_round_input *in = &round->in;
    size_t U = in->in.nunits;
    k->round = round;
    k->prev = prev;
    if (scope)
        k->scope = *scope;
    if (k->scope.within) {
        k->within_copy = strdup(k->scope.within);
        if (!k->within_copy)
            goto nomem;
        k->scope.within = k->within_copy;
        bool found = false;
        for (size_t u = 0; u < U && !found; u++)
            found = in->in.units[u].kind == EGDI_UNIT_REGION &&
                    strcmp(in->codes[u], k->scope.within) == 0;
        if (!found) {
            st = egdi_error_set(err, EGDI_ERR_NOT_FOUND, "no region %s in round %d",
                                k->scope.within, round->year);
            goto fail;
        }
    }
    k->digits = resolve_digits(digits, round);
    k->prev_digits = prev ? resolve_digits(digits, prev) : k->digits;
    k->rank = malloc((U ? U : 1) * sizeof *k->rank);
    k->order = malloc((U ? U : 1) * sizeof *k->order);
    k->stage = malloc((U ? U : 1) * sizeof *k->stage);
    pmap = malloc((pm && pm->nstages ? pm->nstages : 1) * sizeof *pmap);
    if (!k->rank || !k->order || !k->stage || !pmap)
        goto nomem;
    if ((st = rank_scope(round, &k->scope, k->digits, k->rank, k->order, &k->n, err)) ||
        (st = make_axis(k, m, pm, pmap, err)))
        goto fail;
    for (size_t u = 0; u < U; u++)
        k->stage[u] = k->rank[u] > 0 ? round->result->stage[u] : -1;
    size_t S = k->nstages;
    k->counts = calloc(S + 1, sizeof *k->counts);
    if (!k->counts)
        goto nomem;
    if (prev) {
        k->prev_rank = calloc(U ? U : 1, sizeof *k->prev_rank);
        k->prev_stage = malloc((U ? U : 1) * sizeof *k->prev_stage);
        k->prev_counts = calloc(S + 1, sizeof *k->prev_counts);
        k->transitions = calloc(S ? S * S : 1, sizeof *k->transitions);
        if (!k->prev_rank || !k->prev_stage || !k->prev_counts || !k->transitions)
            goto nomem;
        if ((st = compare(k, pmap, err)))
            goto fail;
    }
    egdi_ranking_tally t = {S, k->counts, k->prev_counts, k->transitions};
    egdi_ranking_tally_clear(&t);
    for (size_t p = 0; p < k->n; p++) {
        size_t u = k->order[p];
        egdi_ranking_tally_add(&t, k->stage[u], prev ? k->prev_stage[u] : -1);
    }
    free(pmap);
    *out = k;
    return EGDI_OK;
nomem:
    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory ranking %zu units", U);
fail:
    free(pmap);
    egdi_ranking_free(k);
    return st;
}

void egdi_ranking_free(egdi_ranking *k)
{
    if (!k)
        return;
    free(k->order);
    free(k->rank);
    free(k->stage);
    free(k->prev_rank);
    free(k->prev_stage);
    free(k->stages);
    free(k->counts);
    free(k->prev_counts);
    free(k->transitions);
    free(k->within_copy);
    free(k->stale);
    free(k->prev_stale);
    egdi_round_release(&k->own_round);
    egdi_round_release(&k->own_prev);
    free(k);
}

/* ---- from the store, from a table ------------------------------------ */

egdi_status egdi_ranking_load_rounds(egdi_store *s, int round, int compare_round,
                                     const char *model, egdi_round *cur, egdi_round *prev,
                                     egdi_error *err)
{
    memset(cur, 0, sizeof *cur);
    if (prev)
        memset(prev, 0, sizeof *prev);
    char *name = NULL;
    if (model) {
        egdi_status ms = egdi_score_model_name(model, &name, err);
        if (ms)
            return ms;
    }
    egdi_status st = egdi_score_load_run(s, round, name, cur, err);
    if (!st && compare_round) {
        if (!prev)
            st = egdi_error_set(err, EGDI_ERR_ARG, "no place for the compared round");
        else
            st = egdi_score_load_run(s, compare_round, cur->model->name, prev, err);
    }
    free(name);
    if (st) {
        egdi_round_release(cur);
        egdi_round_release(prev);
    }
    return st;
}

egdi_status egdi_ranking_load(egdi_store *s, const egdi_ranking_opts *o, egdi_ranking **out,
                              egdi_error *err)
{
    *out = NULL;
    egdi_round cur, prev;
    egdi_status st = egdi_ranking_load_rounds(s, o->round, o->compare, o->model, &cur, &prev, err);
    if (st)
        return st;
    /* built over the local rounds, which then move into the ranking (the
     * arrays and models they point at stay where they are) */
    egdi_ranking *k = NULL;
    st = egdi_ranking_build(&cur, o->compare ? &prev : NULL, &o->scope, o->digits, &k, err);
    if (st) {
        egdi_round_release(&cur);
        egdi_round_release(&prev);
        return st;
    }
    k->own_round = cur;
    k->own_prev = prev;
    k->round = &k->own_round;
    k->prev = o->compare ? &k->own_prev : NULL;
    /* a run made before a later import or an undo says so */
    if ((st = egdi_store_score_run_stale(s, cur.run_id, &k->stale, err)) ||
        (o->compare && (st = egdi_store_score_run_stale(s, prev.run_id, &k->prev_stale, err)))) {
        egdi_ranking_free(k);
        return st;
    }
    *out = k;
    return EGDI_OK;
}

egdi_status egdi_ranking_load_table(const char *model, const char *file,
                                    const egdi_read_opts *ro, const char *id_col,
                                    const char *name_col, int digits, egdi_ranking **out,
                                    egdi_error *err)
{
    *out = NULL;
    egdi_round rd;
    memset(&rd, 0, sizeof rd);
    egdi_reader *r = NULL;
    egdi_model_problems probs;
    egdi_status st = egdi_model_load(&rd.model, model, &probs, err);
    egdi_model_problems_release(&probs);
    if (st)
        return st;
    if ((st = egdi_reader_open(&r, file, ro, err)) ||
        (st = egdi_table_input_read(rd.model, r, id_col, name_col, &rd.in, err)) ||
        (st = egdi_score_run(rd.model, &rd.in.in, &rd.result, err)))
        goto fail;
    egdi_reader_close(r);
    r = NULL;
    egdi_ranking *k = NULL;
    egdi_ranking_scope all = {EGDI_UNIT_DEPARTMENT, NULL};
    if ((st = egdi_ranking_build(&rd, NULL, &all, digits, &k, err)))
        goto fail;
    k->own_round = rd;
    k->round = &k->own_round;
    *out = k;
    return EGDI_OK;
fail:
    egdi_reader_close(r);
    egdi_round_release(&rd);
    return st;
}
