/*
 * itemlist.h - choosing columns by name: "A1-A5,B2,C1-C3".
 *
 * A list is comma-separated; each part is a column name or a range FIRST-LAST
 * meaning every column from FIRST to LAST in sheet order.  Names match
 * exactly first, then ignoring ASCII case.  A name that itself contains '-'
 * is taken whole when such a column exists.
 */
#ifndef EGDI_ITEMLIST_H
#define EGDI_ITEMLIST_H

#include <stddef.h>

#include "engine/core/error.h"

/*
 * Resolves spec against names[0..n).  On success *idx (the caller frees it)
 * holds *k column indices in the order the list gives them.  An unknown name,
 * a range that runs backwards, a column named twice or an empty part is
 * EGDI_ERR_ARG naming it.
 */
egdi_status egdi_itemlist_select(const char *spec, const char *const *names, size_t n,
                                 size_t **idx, size_t *k, egdi_error *err);

/* The index of name in names (exact, then ASCII case-insensitive), or -1. */
long egdi_itemlist_find(const char *name, const char *const *names, size_t n);

#endif
