/*
 * report_keep.c - the blocks a report bundle keeps (build_private.h): each
 * table, cell array and copied text of the data a bundle exposes, freed
 * together with it.  report_build.c and paper_tests.c both allocate here.
 */
#include "reports/build_private.h"

#include "engine/core/bigmem.h"

#include <stdlib.h>
#include <string.h>

/* Remembers p (may be NULL) to free with k; returns p, or NULL (p freed)
 * when it cannot be remembered. */
static void *keep(report_keep *k, void *p)
{
    if (!p)
        return NULL;
    if (k->n == k->cap) {
        size_t ncap = k->cap ? k->cap * 2 : 64;
        void **np = realloc(k->p, ncap * sizeof *np);
        if (!np) {
            free(p);
            return NULL;
        }
        k->p = np;
        k->cap = ncap;
    }
    k->p[k->n++] = p;
    return p;
}

void *report_keep_alloc(report_keep *k, size_t n, size_t size)
{
    if (!n)
        n = 1;
    if (size && n > (size_t)-1 / size)
        return NULL;
    /* a big block (the indicator rows of 50,000 units take 120 MB) in
     * huge pages: touching it page by page cost a fault per 4 KiB */
    void *p = egdi_bigmem_alloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return keep(k, p);
}

char *report_keep_dup(report_keep *k, const char *s)
{
    return s ? keep(k, strdup(s)) : NULL;
}

egdi_report_cell *report_keep_table(report_keep *k, egdi_report_table *t, const char *title,
                                    size_t ncols, const char *const *headers, size_t nrows,
                                    int decimals)
{
    t->title = title;
    t->ncols = ncols;
    t->nrows = nrows;
    t->headers = headers;
    t->decimals = decimals;
    egdi_report_cell *c = report_keep_alloc(k, nrows * ncols, sizeof *c);
    t->cells = c;
    return c;
}

void report_keep_free(report_keep *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->p[i]);
    free(k->p);
    *k = (report_keep){0};
}
