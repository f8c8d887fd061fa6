/*
 * report_private.h - what the files of reports/ share and nobody else needs:
 * texts in the report language, the index code, label cleaning, and the
 * display-name variants of the writers (so errors name the final file, not
 * the staging copy).
 */
#ifndef EGDI_REPORT_PRIVATE_H
#define EGDI_REPORT_PRIVATE_H

#include "reports/report.h"

/* zh or en, by d->lang.  A macro so the compiler checks both formats. */
#define TR(d, zh, en) ((d)->lang == EGDI_REPORT_EN ? (en) : (zh))

/* d->index_code or "EGDI". */
const char *report_index(const egdi_report_data *d);

/* The report title (d->title or a default in the report language). */
const char *report_title(const egdi_report_data *d);

/* s, or "" when s is NULL. */
const char *report_str(const char *s);

/* As egdi_report_xlsx, naming shown (not path) in errors. */
egdi_status report_xlsx_named(const egdi_report_data *d, const char *path, const char *shown,
                                egdi_error *err);

/* A unit's index within this margin of a stage's lower bound is flagged
 * as near the boundary, on the page and in the workbook (a small change in
 * one indicator moves its stage). */
#define EGDI_REPORT_NEAR_BOUNDARY 1.0

/* Maximum bytes of one chart SVG read back for the page. */
#define EGDI_RPT_MAX_SVG (32u << 20)

#endif
