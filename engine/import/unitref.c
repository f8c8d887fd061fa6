/*
 * unitref.c - the unit a cell names, by code or by name (a survey's
 * --unit-column): every stored unit is read once into two sorted index
 * arrays (by code, by name), so a million respondents cost a binary search
 * each, not a query.  A text that is neither a code nor a name gets the
 * nearest code or name as a suggestion (header.h's edit distance); the
 * suggestions of the first IMPORT_UNITREF_MEMO unknown texts are
 * remembered, so a column of the same unknown name costs one search.
 *
 * The import_unitref owns copies of every code and name and its memo;
 * import_unitref_free() frees them.
 */
#include "engine/import/import_private.h"
#include "engine/import/header.h"
#include "engine/store/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Unknown texts whose suggestion is remembered. */
#define IMPORT_UNITREF_MEMO 256

typedef struct {
    char *code, *name;
    int64_t id;
} ref_unit;

/* A code or a name with its unit, for the sorted look-ups. */
typedef struct {
    const char *key;
    size_t i;
} ref_key;

typedef struct {
    char *text;
    char *why;
} ref_memo;

struct import_unitref {
    ref_unit *v;
    size_t n, cap;
    ref_key *by_code, *by_name; /* sorted by key, then unit */
    ref_memo memo[IMPORT_UNITREF_MEMO];
    size_t nmemo;
};

void import_unitref_free(import_unitref *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].code);
        free(u->v[i].name);
    }
    for (size_t i = 0; i < u->nmemo; i++) {
        free(u->memo[i].text);
        free(u->memo[i].why);
    }
    free(u->v);
    free(u->by_code);
    free(u->by_name);
    free(u);
}

static egdi_status on_unit(void *ctx, const egdi_store_unit_row *row, egdi_error *err)
{
    import_unitref *u = ctx;
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 256;
        ref_unit *v = realloc(u->v, cap * sizeof *v);
        if (!v)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the units");
        u->v = v;
        u->cap = cap;
    }
    ref_unit *r = &u->v[u->n];
    r->id = row->id;
    r->code = strdup(row->code);
    r->name = strdup(row->name ? row->name : "");
    u->n++; /* counted now so that free releases the strings */
    if (!r->code || !r->name)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the units");
    return EGDI_OK;
}

static int cmp_key(const void *a, const void *b)
{
    const ref_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

egdi_status import_unitref_load(egdi_store *s, import_unitref **out, egdi_error *err)
{
    *out = NULL;
    import_unitref *u = calloc(1, sizeof *u);
    if (!u)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status st = egdi_store_units_each(s, on_unit, u, err);
    if (st != EGDI_OK)
        goto fail;
    size_t n = u->n ? u->n : 1;
    u->by_code = malloc(n * sizeof *u->by_code);
    u->by_name = malloc(n * sizeof *u->by_name);
    if (!u->by_code || !u->by_name) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < u->n; i++) {
        u->by_code[i] = (ref_key){u->v[i].code, i};
        u->by_name[i] = (ref_key){u->v[i].name, i};
    }
    qsort(u->by_code, u->n, sizeof *u->by_code, cmp_key);
    qsort(u->by_name, u->n, sizeof *u->by_name, cmp_key);
    *out = u;
    return EGDI_OK;
fail:
    import_unitref_free(u);
    return st;
}

/* The first position in idx[0..n) whose key is >= t. */
static size_t lower(const ref_key *idx, size_t n, const char *t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(idx[mid].key, t) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The nearest code or name of t, as "; did you mean CODE (NAME)?" into buf
 * ("" when nothing is near). */
static void suggest(const import_unitref *u, const char *t, char *buf, size_t size)
{
    buf[0] = '\0';
    char nt[EGDI_HEADING_MAX + 1];
    size_t len = egdi_heading_normalise(t, strlen(t), nt, sizeof nt), cps = 0;
    for (size_t i = 0; i < len; i++)
        cps += ((unsigned char)nt[i] & 0xC0) != 0x80;
    /* a short name is near when one character is off or missing
     * ("公安局" for "市公安局") */
    unsigned limit = egdi_heading_near_limit(cps);
    if (limit == 0 && cps >= 2)
        limit = 1;
    unsigned best = limit + 1;
    for (size_t i = 0; i < u->n && best > 1; i++) {
        const ref_unit *r = &u->v[i];
        const char *texts[2] = {r->code, r->name};
        for (int k = 0; k < 2; k++) {
            if (!texts[k][0])
                continue;
            unsigned d = egdi_heading_distance(t, texts[k], best - 1);
            if (d > 0 && d < best) {
                best = d;
                snprintf(buf, size, "; did you mean %s (%s)?", r->code, r->name);
            }
        }
    }
}

/* Remembers the reason for the unknown text t (when there is room). */
static void remember(import_unitref *u, const char *t, const char *why)
{
    if (u->nmemo == IMPORT_UNITREF_MEMO)
        return;
    ref_memo *m = &u->memo[u->nmemo];
    m->text = strdup(t);
    m->why = strdup(why);
    if (!m->text || !m->why) {
        free(m->text);
        free(m->why);
        return; /* only a cache */
    }
    u->nmemo++;
}

egdi_status import_unitref_find(import_unitref *u, const char *text, int64_t *id, bool *by_name,
                                char *why, size_t size)
{
    *id = 0;
    *by_name = false;
    why[0] = '\0';
    size_t p = lower(u->by_code, u->n, text);
    if (p < u->n && strcmp(u->by_code[p].key, text) == 0) {
        *id = u->v[u->by_code[p].i].id;
        return EGDI_OK;
    }
    p = lower(u->by_name, u->n, text);
    size_t q = p;
    while (q < u->n && strcmp(u->by_name[q].key, text) == 0)
        q++;
    if (q - p == 1) {
        *id = u->v[u->by_name[p].i].id;
        *by_name = true;
        return EGDI_OK;
    }
    if (q - p > 1) {
        char list[256] = "";
        for (size_t k = p; k < q && k < p + 3; k++) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, "%s%s", k > p ? ", " : "",
                     u->v[u->by_name[k].i].code);
        }
        snprintf(why, size, "%zu stored units are named \"%s\" (%s%s); give the unit's code",
                 q - p, text, list, q - p > 3 ? ", ..." : "");
        return EGDI_DONE;
    }
    for (size_t i = 0; i < u->nmemo; i++)
        if (strcmp(u->memo[i].text, text) == 0) {
            snprintf(why, size, "%s", u->memo[i].why);
            return EGDI_DONE;
        }
    char near[300] = "";
    if (u->nmemo < IMPORT_UNITREF_MEMO)
        suggest(u, text, near, sizeof near);
    snprintf(why, size,
             "\"%s\" is neither the code nor the name of a stored unit (import the units "
             "first)%s",
             text, near);
    remember(u, text, why);
    return EGDI_DONE;
}
