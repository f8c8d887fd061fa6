/*
 * answers.h - a survey answer from a cell, and the answer labels that map
 * a text answer ("非常同意") to its code (5).
 *
 * One rule for every path that reads survey answers: the survey import
 * (engine/import/survey.c) stores what egdi_answer_value() returns, and the
 * survey dataset (surveys/dataset.c) analyses a file with the same function,
 * so a file gives the same numbers by `egdi survey ... --data FILE` as after
 * `egdi import survey FILE`.
 *
 * Labels come from a file of rows "value,label" (`--labels FILE`, an
 * optional heading row first) or from a list "1=非常不同意,...,5=非常同意";
 * both give an egdi_labels table.  The table owns its arrays and strings;
 * egdi_answer_labels_release() frees them (harmless on a zeroed table).
 */
#ifndef EGDI_ANSWERS_H
#define EGDI_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/readers/reader.h"

/* The most labels a table holds. */
#define EGDI_LABELS_MAX 1000

typedef struct {
    size_t nlabels;
    double *values; /* nlabels codes, in the order given */
    char **labels;  /* nlabels texts */
    uint32_t *rows; /* nlabels rows of the file they came from (0: a list) */
} egdi_labels;

/*
 * The answer in cell c:
 *   - EGDI_DONE (no answer, *why = "empty") for an empty cell or blank text;
 *   - EGDI_DONE (no answer, *why = "marked missing") for a mark people
 *     write for "no value" ("—", "N/A", "暂无": egdi_value_missing, after
 *     the labels, so a label wins) and the spreadsheet error #N/A;
 *   - a number as egdi_cell_number(c, true) reads it: a percent is taken in
 *     points, "5%" and a 5 % formatted cell both give 5 (as the metrics
 *     import reads them); a yes/no cell gives 1/0;
 *   - text that is no number: the code of the label equal to it (surrounding
 *     white space ignored) when labels (may be NULL) has one;
 *   - otherwise EGDI_ERR_VALUE with *why (static text): a date, a spreadsheet
 *     error, or "not a number" / "neither a number nor one of the answer
 *     labels".
 * The answer scale is the caller's to check.
 */
egdi_status egdi_answer_value(const egdi_cell *c, const egdi_labels *labels, double *v,
                              const char **why);

/*
 * Reads labels from r (positioned at its first row): column 1 the value (a
 * number), column 2 the label.  A first row whose value is no number is a
 * heading.  source names the file in errors, which carry the row and
 * column: a value that is no number (EGDI_ERR_VALUE), an empty label
 * (EGDI_ERR_VALUE), no labels at all (EGDI_ERR_FORMAT), more than
 * EGDI_LABELS_MAX (EGDI_ERR_LIMIT).  out is zeroed first; r stays the
 * caller's to close.
 */
egdi_status egdi_answer_labels_read(egdi_reader *r, const char *source, egdi_labels *out,
                                    egdi_error *err);

/* egdi_answer_labels_read() of the file at path, opened with ro (NULL =
 * defaults; the sheet of ro is not used: labels are on the first sheet). */
egdi_status egdi_answer_labels_load(const char *path, const egdi_read_opts *ro,
                                    egdi_labels *out, egdi_error *err);

/*
 * Parses a list "VALUE=LABEL,VALUE=LABEL,..." (a full-width comma separates
 * too).  EGDI_ERR_ARG naming the part that is not VALUE=LABEL with a number
 * and a non-empty label.  out is zeroed first.
 */
egdi_status egdi_answer_labels_parse(const char *list, egdi_labels *out, egdi_error *err);

/*
 * The labels of an option such as --labels: the file spec names, or, when
 * no such file exists and spec holds '=', the list spec is.  ro as for
 * egdi_answer_labels_load().
 */
egdi_status egdi_answer_labels_get(const char *spec, const egdi_read_opts *ro, egdi_labels *out,
                                   egdi_error *err);

/*
 * Refuses labels whose code is outside the answer scale lo..hi (--scale):
 * such a label could never be an answer, so a column using it would not be
 * read as an item.  EGDI_ERR_VALUE at the label's row of source (the file
 * the labels came from; for a list, the label is named).
 */
egdi_status egdi_answer_labels_check_scale(const egdi_labels *l, double lo, double hi,
                                           const char *source, egdi_error *err);

/* Copies src into out (zeroed first). */
egdi_status egdi_answer_labels_copy(const egdi_labels *src, egdi_labels *out, egdi_error *err);

/* The code of the label equal to text[0..len) (white space around either
 * ignored); false when none. */
bool egdi_answer_labels_code(const egdi_labels *l, const char *text, size_t len, double *v);

/* The label of code v, or NULL. */
const char *egdi_answer_labels_text(const egdi_labels *l, double v);

void egdi_answer_labels_release(egdi_labels *l);

#endif
