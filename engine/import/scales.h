/*
 * scales.h - the scales table of `egdi survey --scales FILE` and `egdi import
 * survey --scales FILE`: a first row naming the columns scale (dimension,
 * 量表, 维度), item (题项) and optionally reversed (反向), in any order and
 * ASCII case, then one row per item; or, when the first row names none of
 * them, rows of scale, item, reversed in that order from the first row on.
 * Rows whose scale or item is blank are skipped.  An item listed twice
 * (ASCII case ignored) with different reversed is an error naming both
 * rows, and so is an item in two scales where an item has one scale
 * (EGDI_SCALES_ONE: the survey import, which stores one dimension per
 * column; the survey commands may score an item in several scales).  The reader hands each row to a
 * callback, so the caller decides what an item name means (a column of its
 * data) and owns whatever it builds; the reader keeps nothing after it
 * returns.
 */
#ifndef EGDI_SCALES_H
#define EGDI_SCALES_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/readers/reader.h"

/* egdi_scales_read flags: an item belongs to one scale. */
#define EGDI_SCALES_ONE 1u

/* The most item rows, and bytes of scale and item text, a table may hold. */
#define EGDI_SCALES_MAX_ROWS 65536
#define EGDI_SCALES_MAX_TEXT (16 << 20)

/* Called once per item row, in file order.  scale and item are
 * NUL-terminated, non-blank and borrowed for the call only; row is the
 * file's 1-based row number and item_col the item column's 1-based number
 * (for error locations).  Returning anything but EGDI_OK stops the read,
 * and egdi_scales_read returns that status with err as the callback left it. */
typedef egdi_status (*egdi_scales_fn)(void *ctx, const char *scale, const char *item,
                                      bool reversed, uint32_t row, uint32_t item_col,
                                      egdi_error *err);

/*
 * Reads the scales table from r (positioned at its first row) and, when it
 * is all good, calls fn for every item row in file order.  source names the
 * file in errors.  Fails with EGDI_ERR_FORMAT when the first row names some
 * columns but not both scale and item, with EGDI_ERR_VALUE (at the cell)
 * when a reversed cell is not a yes/no value or an item is said twice
 * differently (flags: EGDI_SCALES_ONE or 0), EGDI_ERR_LIMIT beyond EGDI_SCALES_MAX_ROWS or
 * EGDI_SCALES_MAX_TEXT, and with the reader's own errors.  r stays the
 * caller's to close.
 */
egdi_status egdi_scales_read(egdi_reader *r, const char *source, unsigned flags,
                             egdi_scales_fn fn, void *ctx, egdi_error *err);

#endif
