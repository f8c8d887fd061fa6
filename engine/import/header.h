/*
 * header.h - matching a column heading, as offices write them, to what an
 * import knows: a field of the import (unit code, name, kind, parent ...,
 * each with its English and Chinese headings) or an indicator of the
 * catalogue (by code, Chinese name or English name).
 *
 * Headings are compared normalised (egdi_heading_normalise): full-width
 * letters, digits and brackets as ASCII, ASCII letters in lower case, and
 * no white space (also U+3000 and line breaks inside a cell), '_', '-',
 * '*' or a final ':'.  A heading also matches when it is a code or a name
 * followed by a bracketed note ("覆盖率(%)", "数据及时性与准确性（GIRI5）")
 * or a code and a name run together ("GIRI5 数据及时性与准确性").
 *
 * When nothing matches, the nearest heading, code or name within a small
 * edit distance (egdi_heading_distance: one edit for 4-6 characters, two up
 * to 12, three beyond; none below 4) is the suggestion: "GIRl5" -> GIRI5,
 * "单位明称" -> 单位名称.
 *
 * Nothing here allocates; texts longer than EGDI_HEADING_MAX bytes match
 * nothing.
 */
#ifndef EGDI_IMPORT_HEADER_H
#define EGDI_IMPORT_HEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/import/import.h"

/* The longest heading compared, in bytes (normalised). */
#define EGDI_HEADING_MAX 512

/* A field an import reads (or knows and leaves alone). */
typedef struct {
    const char *name;    /* as the column report names it: "code", "parent" */
    const char *aliases; /* '|'-separated headings ("code|单位代码|代码") */
    bool used;           /* false: a known heading this import does not use */
} egdi_heading_field;

typedef enum {
    EGDI_HEADING_NONE = 0,
    EGDI_HEADING_FIELD,    /* index: into the fields */
    EGDI_HEADING_INDICATOR /* index: into the catalogue */
} egdi_heading_kind;

/* The outcome of matching one heading. */
typedef struct {
    egdi_heading_kind kind;
    size_t index;
    const char *how;        /* static: "heading", "code", "Chinese name", "English name" */
    egdi_heading_kind other_kind; /* a second, different match: the heading is
                                     ambiguous (NONE when there is none) */
    size_t other;
    const char *other_how;
    egdi_heading_kind near_kind;  /* with kind NONE: the suggestion (NONE when
                                     nothing is near) */
    size_t near;
    const char *near_text;  /* the alias, code or name it is near (borrowed; not
                               NUL-terminated: near_len bytes) */
    size_t near_len;
    unsigned distance;
} egdi_heading;

/*
 * Writes text[0..len) normalised (see above) to out, NUL-terminated, and
 * returns its length; returns 0 with out = "" when the normalised text
 * would not fit in size bytes (or is longer than EGDI_HEADING_MAX).
 */
size_t egdi_heading_normalise(const char *text, size_t len, char *out, size_t size);

/* Levenshtein distance between the normalised forms of a and b, counted in
 * code points; any value above cap is returned as cap + 1. */
unsigned egdi_heading_distance(const char *a, const char *b, unsigned cap);

/* The largest distance a suggestion may have for a text of n code points. */
unsigned egdi_heading_near_limit(size_t n);

/*
 * Matches heading against the fields (nfields of them; may be 0) and the
 * catalogue (may be NULL) and fills *out.
 */
void egdi_heading_match(const char *heading, const egdi_heading_field *fields, size_t nfields,
                        const egdi_import_catalogue *cat, egdi_heading *out);

/* True when heading looks like an indicator code: 1 to 16 ASCII letters,
 * digits, '.', '_' or '-', starting with a letter and holding a digit
 * ("GIRl5", "CB9", "Q12"). */
bool egdi_heading_codelike(const char *heading);

/* True when text is one of the '|'-separated words of list (compared
 * normalised); list may be NULL. */
bool egdi_heading_in_list(const char *text, size_t len, const char *list, char sep);

/* The headings of a survey column that names the unit each respondent
 * rates (docs/import.md lists them): `egdi import survey` points to
 * --unit-column when it sees one. */
#define EGDI_HEADING_UNIT_WORDS                                                                  \
    "unit|unit code|unit name|department|dept|rated unit|部门|部门名称|所属部门|单位|单位名称|"   \
    "单位代码|所属单位|评价对象|被评价单位|被评单位|评价单位|受评单位|被评价部门|机构|机构名称"

/* True when heading is one of EGDI_HEADING_UNIT_WORDS. */
bool egdi_heading_is_unit(const char *heading);

/* The column of headings[0..n) that is name: written the same, else the
 * same normalised (case, width, spaces); -1 when none, -2 when several
 * columns normalise to it. */
long egdi_heading_find(const char *name, const char *const *headings, size_t n);

#endif
