/*
 * catalogue.c - the indicators an import checks against (import.h,
 * egdi_import_catalogue): a growing array of copied entries.  The
 * catalogue owns the array and every string; release frees them.
 */
#include "engine/import/import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The largest catalogue: a model's cap on nodes, and some room. */
#define EGDI_IMPORT_CATALOGUE_MAX 8192

egdi_status egdi_import_catalogue_init(egdi_import_catalogue *c, const char *model,
                                       egdi_error *err)
{
    memset(c, 0, sizeof *c);
    if (model && !(c->model = strdup(model)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
}

/* The strings a catalogue holds are its own copies (const only to the
 * readers). */
static void indicator_release(egdi_import_indicator *d)
{
    free((char *)d->code);
    free((char *)d->name_zh);
    free((char *)d->name_en);
    free((char *)d->unit);
    free((char *)d->words);
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

egdi_status egdi_import_catalogue_add(egdi_import_catalogue *c, const egdi_import_indicator *ind,
                                      egdi_error *err)
{
    if (!ind->code || !*ind->code)
        return egdi_error_set(err, EGDI_ERR_ARG, "an indicator of the catalogue has no code");
    if (c->n == EGDI_IMPORT_CATALOGUE_MAX)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "more than %d indicators in a catalogue",
                              EGDI_IMPORT_CATALOGUE_MAX);
    egdi_import_indicator *nv = realloc(c->v, (c->n + 1) * sizeof *nv);
    if (!nv)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    c->v = nv;
    egdi_import_indicator *d = &c->v[c->n];
    bool oom = false;
    *d = *ind;
    d->code = dup_or_null(ind->code, &oom);
    d->name_zh = dup_or_null(ind->name_zh, &oom);
    d->name_en = dup_or_null(ind->name_en, &oom);
    d->unit = dup_or_null(ind->unit, &oom);
    d->words = dup_or_null(ind->words, &oom);
    if (oom) {
        indicator_release(d);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    c->n++;
    return EGDI_OK;
}

long egdi_import_catalogue_find(const egdi_import_catalogue *c, const char *code)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (strcasecmp(c->v[i].code, code) == 0)
            return (long)i;
    return -1;
}

void egdi_import_catalogue_release(egdi_import_catalogue *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        indicator_release(&c->v[i]);
    free(c->v);
    free(c->model);
    memset(c, 0, sizeof *c);
}

const char *egdi_import_indicator_describe(const egdi_import_indicator *ind, char *buf,
                                           size_t size)
{
    switch (ind->value) {
    case EGDI_IMPORT_PERCENT:
        snprintf(buf, size, "a percentage %g-%g", ind->lo, ind->hi);
        break;
    case EGDI_IMPORT_SCALE:
        snprintf(buf, size, "a mean on the scale %g-%g", ind->lo, ind->hi);
        break;
    case EGDI_IMPORT_COUNT:
        snprintf(buf, size, "a count or rate (not negative)");
        break;
    case EGDI_IMPORT_YESNO:
        snprintf(buf, size, "a yes/no answer (是/否, 1/0)");
        break;
    case EGDI_IMPORT_NUMBER:
    default:
        if (isfinite(ind->lo) && isfinite(ind->hi))
            snprintf(buf, size, "a number %g-%g", ind->lo, ind->hi);
        else if (isfinite(ind->lo))
            snprintf(buf, size, "a number of at least %g", ind->lo);
        else if (isfinite(ind->hi))
            snprintf(buf, size, "a number of at most %g", ind->hi);
        else
            snprintf(buf, size, "a number");
        break;
    }
    return buf;
}
