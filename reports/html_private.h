/*
 * html_private.h - what the files writing report.html share: the page
 * context (the stream, a sticky write error, the data), escaped output,
 * numbers, stage colours, and the page's parts written by html_sections.c
 * (overview, per-region sections, the unit x indicator heat table).
 *
 * Every function writes to p->f and sets p->bad on the first failed write;
 * later writes do nothing.  Nothing here allocates, except the section
 * writers, which free what they allocate before returning (a failed
 * allocation sets p->nomem and p->bad).
 */
#ifndef EGDI_HTML_PRIVATE_H
#define EGDI_HTML_PRIVATE_H

#include "reports/report_private.h"

typedef struct {
    FILE *f;
    bool bad;   /* a write failed (or memory ran out: nomem) */
    bool nomem;
    const egdi_report_data *d;
} report_page;

void report_page_out(report_page *p, const char *s);
void report_page_outf(report_page *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Text from the data, HTML-escaped (& < > " '; control bytes as spaces). */
void report_page_esc(report_page *p, const char *s);
/* As report_page_esc, at most max characters (code points), then "…". */
void report_page_esc_max(report_page *p, const char *s, size_t max);
/* v with decimals digits; nothing for a missing number. */
void report_page_num(report_page *p, double v, int decimals);

/* The colour of stage s (grey for none) and its light tint for rows. */
uint32_t report_page_stage_rgb(const egdi_report_data *d, int s);
uint32_t report_page_tint(uint32_t rgb);
/* The stage band a score (0..100) falls in, -1 for none. */
int report_page_band(const egdi_report_data *d, double score);

/* A unit's display name: its name, else its code; never NULL. */
const char *report_page_name(const egdi_report_unit *u);

/* ---- parts of the page (html_sections.c) --------------------------- */

/* How many units the movers tables list each way. */
#define EGDI_REPORT_TOP_MOVERS 10

/* The overview: stage counts with the compared round's and the change,
 * the transition matrix, top movers up and down, units near a stage
 * boundary, units not rankable with the reason. */
void report_page_overview(report_page *p);
/* One section per region: its departments ranked, its index and
 * sub-indices against the province (the regions' median and best). */
void report_page_regions(report_page *p);
/* Units x indicators, scores coloured by stage band. */
void report_page_heat(report_page *p);
/* The table of contents entries for the region sections. */
void report_page_toc_regions(report_page *p);

#endif
