/*
 * itemlist.c - resolving "A1-A5,B2" against column names (see itemlist.h).
 */
#include "engine/core/itemlist.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

long egdi_itemlist_find(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return (long)i;
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcasecmp(names[i], name) == 0)
            return (long)i;
    return -1;
}

/* Trims ASCII spaces in place; returns the start. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    return s;
}

/* Resolves one part into [*lo, *hi]. */
static egdi_status resolve_part(char *part, const char *const *names, size_t n, size_t *lo,
                                size_t *hi, egdi_error *err)
{
    long i = egdi_itemlist_find(part, names, n);
    if (i >= 0) {
        *lo = *hi = (size_t)i;
        return EGDI_OK;
    }
    /* Try every '-' as the range separator. */
    for (char *dash = strchr(part, '-'); dash; dash = strchr(dash + 1, '-')) {
        *dash = '\0';
        long a = egdi_itemlist_find(trim(part), names, n);
        long b = egdi_itemlist_find(trim(dash + 1), names, n);
        *dash = '-';
        if (a >= 0 && b >= 0) {
            if (b < a)
                return egdi_error_set(err, EGDI_ERR_ARG,
                                      "item range \"%s\" runs backwards in sheet order", part);
            *lo = (size_t)a;
            *hi = (size_t)b;
            return EGDI_OK;
        }
    }
    return egdi_error_set(err, EGDI_ERR_ARG, "no column \"%s\" in the data", part);
}

egdi_status egdi_itemlist_select(const char *spec, const char *const *names, size_t n,
                                 size_t **idx, size_t *k, egdi_error *err)
{
    *idx = NULL;
    *k = 0;
    char *copy = strdup(spec);
    size_t *out = malloc((n ? n : 1) * sizeof *out);
    bool *seen = calloc(n ? n : 1, sizeof *seen);
    egdi_status rc = EGDI_OK;
    size_t m = 0;
    if (!copy || !out || !seen) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    char *save = copy;
    for (char *part = copy; part; part = save) {
        char *comma = strchr(part, ',');
        save = comma ? comma + 1 : NULL;
        if (comma)
            *comma = '\0';
        part = trim(part);
        if (!*part) {
            rc = egdi_error_set(err, EGDI_ERR_ARG, "empty entry in item list \"%s\"", spec);
            goto fail;
        }
        size_t lo = 0, hi = 0;
        if ((rc = resolve_part(part, names, n, &lo, &hi, err)) != EGDI_OK)
            goto fail;
        for (size_t j = lo; j <= hi; j++) {
            if (seen[j]) {
                rc = egdi_error_set(err, EGDI_ERR_ARG, "item \"%s\" is listed twice", names[j]);
                goto fail;
            }
            seen[j] = true;
            out[m++] = j;
        }
    }
    free(copy);
    free(seen);
    *idx = out;
    *k = m;
    return EGDI_OK;
fail:
    free(copy);
    free(out);
    free(seen);
    return rc;
}
