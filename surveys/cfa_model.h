/*
 * cfa_model.h - the measurement model of a confirmatory factor analysis:
 * factors, each measured by named items (columns of the survey data), as
 * `egdi survey cfa` and `egdi survey validity` take it:
 *
 *   - lavaan-style model text (--model): one statement per line or per ';',
 *         visual  =~ x1 + x2 + x3
 *         textual =~ x4 + x5 + x6; speed =~ x7 + x8 + x9
 *     '#' or '!' starts a comment to the end of the line; a statement may
 *     go on over lines after '=~' or '+', or on a line that starts with
 *     '+'; a factor named twice gathers both lists (as lavaan does).  A
 *     name is letters, digits, '_' and '.', or any UTF-8 text (bytes 0x80
 *     and up: 题项 names), or "double-quoted" (any character but '"' and a
 *     line end: "Q1-2").  Only '=~' is understood: factors always
 *     correlate freely and identification is chosen by an option
 *     (egdi_cfa_options.std_lv), so '~~', '~', ':=', modifiers (1*x1,
 *     NA*x1) and the like are refused by name, as is a factor used as an
 *     item (no second-order factors);
 *   - the scales table (--scales, or a stored survey's dimensions): each
 *     scale a factor measured by its items.
 *
 * An item may load on more than one factor (a cross-loading); within one
 * factor an item is listed once.
 *
 * Ownership: egdi_cfa_model owns every string and array it holds;
 * egdi_cfa_model_release() frees them (harmless on a zeroed model).
 */
#ifndef EGDI_CFA_MODEL_H
#define EGDI_CFA_MODEL_H

#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/dataset.h"

/* Limits on model text: what a questionnaire can need, many times over. */
#define EGDI_CFA_MODEL_MAX_TEXT (1u << 20) /* bytes of text or file */
#define EGDI_CFA_MAX_FACTORS 64
#define EGDI_CFA_MAX_ITEMS 1000
#define EGDI_CFA_NAME_MAX 256 /* bytes of one name */

typedef struct {
    char *name;
    size_t n;     /* its items */
    size_t *item; /* n indices into egdi_cfa_model.item, in the order given */
} egdi_cfa_factor;

typedef struct {
    size_t nfactors;
    egdi_cfa_factor *factor; /* in the order first named */
    size_t nitems;
    char **item;             /* item names in the order first named (lavaan's
                                order of the observed variables) */
} egdi_cfa_model;

/*
 * Parses model text (len bytes; need not end in NUL).  EGDI_ERR_MODEL with
 * "model line L: ..." naming what is wrong (an unknown operator, a missing
 * '=~', an item listed twice under one factor, a second-order factor, no
 * statement at all); EGDI_ERR_LIMIT beyond the limits above.  out is zeroed
 * first and released on failure.
 */
egdi_status egdi_cfa_model_parse(const char *text, size_t len, egdi_cfa_model *out,
                                 egdi_error *err);

/*
 * The model of arg, as --model takes it: text when it contains "=~", else
 * the path of a file holding the text (read whole, at most
 * EGDI_CFA_MODEL_MAX_TEXT bytes; EGDI_ERR_IO naming the file when it cannot
 * be read).  Errors in a file's text name the file.
 */
egdi_status egdi_cfa_model_load(const char *arg, egdi_cfa_model *out, egdi_error *err);

/*
 * The model of the scales of ds (ds->scale[0..nscales): each a factor, its
 * items by their column names).  EGDI_ERR_ARG when ds has no scales.
 */
egdi_status egdi_cfa_model_from_scales(const egdi_dataset *ds, egdi_cfa_model *out,
                                       egdi_error *err);

/*
 * The dataset column of every item of m: cols[i] for m->item[i] (cols holds
 * m->nitems), by egdi_dataset_find (EGDI_ERR_ARG "model item X: ..." for a
 * name that is no column).
 */
egdi_status egdi_cfa_model_columns(const egdi_cfa_model *m, const egdi_dataset *ds, size_t *cols,
                                   egdi_error *err);

void egdi_cfa_model_release(egdi_cfa_model *m);

#endif
