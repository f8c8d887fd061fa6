/*
 * html_page.c - the page primitives of report.html shared by html_report.c
 * and html_sections.c (see html_private.h): checked writes, escaping,
 * numbers, stage colours and bands.  Nothing is allocated.
 */
#include "reports/html_private.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

void report_page_out(report_page *p, const char *s)
{
    if (!p->bad && fputs(s, p->f) == EOF)
        p->bad = true;
}

void report_page_outf(report_page *p, const char *fmt, ...)
{
    if (p->bad)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(p->f, fmt, ap) < 0)
        p->bad = true;
    va_end(ap);
}

void report_page_esc(report_page *p, const char *s)
{
    if (!s || p->bad)
        return;
    for (; *s; s++) {
        const char *r = NULL;
        switch (*s) {
        case '&': r = "&amp;"; break;
        case '<': r = "&lt;"; break;
        case '>': r = "&gt;"; break;
        case '"': r = "&quot;"; break;
        case '\'': r = "&#39;"; break;
        default: break;
        }
        if (r)
            report_page_out(p, r);
        else if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
            report_page_out(p, " ");
        else if (fputc(*s, p->f) == EOF)
            p->bad = true;
    }
}

void report_page_esc_max(report_page *p, const char *s, size_t max)
{
    if (!s)
        return;
    size_t chars = 0, cut = 0;
    for (size_t i = 0; s[i]; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80) {
            if (chars == max)
                cut = i;
            chars++;
        }
    if (chars <= max) {
        report_page_esc(p, s);
        return;
    }
    char buf[512];
    if (cut >= sizeof buf)
        cut = sizeof buf - 1;
    while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
        cut--;
    memcpy(buf, s, cut);
    buf[cut] = '\0';
    report_page_esc(p, buf);
    report_page_out(p, "…");
}

void report_page_num(report_page *p, double v, int decimals)
{
    if (isfinite(v))
        report_page_outf(p, "%.*f", decimals, v);
}

uint32_t report_page_stage_rgb(const egdi_report_data *d, int s)
{
    return s >= 0 && (size_t)s < d->nstages ? d->stages[s].colour & 0xffffff : 0xaaaaaa;
}

uint32_t report_page_tint(uint32_t rgb)
{
    uint32_t o = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        uint32_t c = (rgb >> sh) & 0xff;
        o |= (c + (255 - c) * 55 / 100) << sh;
    }
    return o;
}

int report_page_band(const egdi_report_data *d, double score)
{
    if (!isfinite(score))
        return -1;
    for (size_t s = 0; s < d->nstages; s++)
        if (score >= d->stages[s].lower && score < d->stages[s].upper)
            return (int)s;
    return -1;
}

const char *report_page_name(const egdi_report_unit *u)
{
    return u->name && *u->name ? u->name : report_str(u->code);
}
