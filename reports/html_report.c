/*
 * html_report.c - report.html: one self-contained page (inline CSS, inline
 * SVG charts, a small inline script that sorts and filters the tables; no
 * URL of any kind), readable with no server, no network and JavaScript off.
 *
 * Layout: title, table of contents, overview (html_sections.c), the region
 * ranking, one section per region (html_sections.c), the unit x indicator
 * heat table, the full ranking, the survey, the method.  Every table sits
 * in a <div class="scroll"> box so that at phone width only the box
 * scrolls; the print stylesheet (A4) starts each section on a new page,
 * repeats table headings and keeps headings with what follows.
 *
 * Every text from the data goes through esc() (& < > " ' escaped).  The
 * charts are gnuplot's SVGs, embedded from their <svg> element on (gnuplot
 * escapes the labels it writes); when a chart was not drawn the ranking and
 * the stage distribution are drawn here as plain SVG, and the other charts
 * are replaced by a line saying why they are missing.
 *
 * Output goes to a caller's FILE; every write is checked through the page
 * context (pg.bad) and a final fflush, so a full disk is an error.
 * Memory: nothing is allocated here (see html_sections.c).
 */
#include "reports/html_private.h"
#include "indicators/uncertainty.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* The primitives live in html_page.c (shared with html_sections.c). */
typedef report_page pg;
#define out(p, s) report_page_out(p, s)
#define outf(...) report_page_outf(__VA_ARGS__)
#define esc(p, s) report_page_esc(p, s)
#define esc_max(p, s, max) report_page_esc_max(p, s, max)
#define num(p, v, decimals) report_page_num(p, v, decimals)
#define stage_rgb(d, s) report_page_stage_rgb(d, s)
#define tint(rgb) report_page_tint(rgb)

static const char css[] =
    "*{box-sizing:border-box}\n"
    "body{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\","
    "\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:24px auto;max-width:1200px;"
    "color:#222;padding:0 16px;line-height:1.45;overflow-wrap:anywhere}\n"
    "h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;border-bottom:2px solid #ddd;"
    "padding-bottom:4px;margin-top:32px}h3{font-size:16px}h4{font-size:14px;margin:10px 0 4px}\n"
    ".meta{color:#555}\n"
    ".scroll{overflow-x:auto;max-width:100%;margin:8px 0 16px}\n"
    ".scroll.heat{max-height:80vh;overflow:auto}\n"
    "table{border-collapse:collapse;font-size:14px}\n"
    "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#e8e8e8;position:sticky;top:0}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.name{min-width:9em;max-width:16em}td.code{white-space:nowrap}\n"
    "table.heat{font-size:12px}table.heat td,table.heat th{padding:2px 4px}table.heat th{white-space:nowrap}"
    "table.heat td.na{background:#f4f4f4}\n"
    "table.matrix td.diag{font-weight:bold}\n"
    "table.sortable th{cursor:pointer}table.sortable th[aria-sort=ascending]::after{content:\" \\25B2\"}"
    "table.sortable th[aria-sort=descending]::after{content:\" \\25BC\"}\n"
    "input.filter{margin:4px 0;padding:3px 6px;font-size:14px;max-width:100%}\n"
    "nav.toc ol{padding-left:1.4em;margin:4px 0}nav.toc ol.toc-regions{columns:12em}\n"
    ".legend span.sw{display:inline-block;width:14px;height:14px;vertical-align:middle;"
    "margin:0 6px 0 14px;border:1px solid #777}\n"
    ".chart{margin:12px 0 24px}.chart svg{max-width:100%;height:auto}\n"
    ".note{color:#8a6d3b;background:#fcf8e3;padding:6px 10px;border:1px solid #faebcc}\n"
    ".up{color:#1a7f37}.down{color:#c62828}\n"
    "code{font-size:12px;word-break:break-all}\n"
    "@media (max-width:600px){body{margin:8px auto;padding:0 8px}h1{font-size:21px}"
    "table{font-size:12px}th,td{padding:2px 4px}"
    ".legend span.sw{margin-left:6px}}\n"
    /* print: proportional to the content (tests/report_shots.sh prints the
     * page count): the overview follows the contents on page 1, the
     * regions' sections run on one after another (a heading never alone at
     * a page's foot), the heat table set small on one line per unit */
    "@media print{@page{size:A4;margin:12mm}"
    "body{max-width:none;margin:0;padding:0;font-size:10pt;line-height:1.25}"
    "h1{font-size:18pt;margin:0 0 2px}h2{margin-top:14px}h3{margin:12px 0 4px}"
    "nav.toc ol{columns:2;margin:2px 0}nav.toc ol.toc-regions{columns:4}"
    "input.filter,.screen-only{display:none}"
    "section.part{break-before:page}section#overview,section.region{break-before:auto}"
    "h2,h3,h4{break-after:avoid}"
    ".scroll,.scroll.heat{overflow:visible;max-height:none;margin:4px 0 8px}"
    "thead{display:table-header-group}tr{break-inside:avoid}th{position:static}"
    "table{font-size:8pt}th,td{padding:0 4px}"
    "table.heat{font-size:6pt;line-height:1.15}table.heat td,table.heat th{padding:0 2px}"
    "table.heat td.name{white-space:nowrap;max-width:none;min-width:0}"
    ".chart{break-inside:avoid;margin:6px 0 10px}.chart svg{max-height:110mm}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* Sorting and filtering, plain JavaScript: a click on a heading of a
 * table.sortable sorts its body by that column (numbers by value, data-v
 * when a cell has it, text in the page's language order); a filter box
 * above each sortable table with more than 12 rows hides rows not
 * containing the text.  Without JavaScript the tables read as they are. */
static const char script[] =
    "(function(){\n"
    "function key(td){if(!td)return '';var v=td.getAttribute('data-v');"
    "if(v===null)v=td.textContent.replace(/[\\u2212]/g,'-').replace(/[^0-9eE.+\\-]/g,'');"
    "var x=parseFloat(v);return isNaN(x)?null:x;}\n"
    "function sortBy(t,c){var th=t.tHead.rows[0].cells[c],"
    "dir=th.getAttribute('aria-sort')==='ascending'?-1:1;"
    "for(var i=0;i<t.tHead.rows[0].cells.length;i++)t.tHead.rows[0].cells[i].removeAttribute('aria-sort');"
    "th.setAttribute('aria-sort',dir>0?'ascending':'descending');"
    "var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);"
    "rows.sort(function(r,s){var a=key(r.cells[c]),z=key(s.cells[c]);"
    "if(a!==null&&z!==null)return (a-z)*dir;if(a!==null)return -1;if(z!==null)return 1;"
    "return r.cells[c].textContent.localeCompare(s.cells[c].textContent,document.documentElement.lang)*dir;});"
    "for(var k=0;k<rows.length;k++)b.appendChild(rows[k]);}\n"
    "var ts=document.querySelectorAll('table.sortable');"
    "for(var i=0;i<ts.length;i++){(function(t){if(!t.tHead||!t.tBodies.length)return;"
    "var hs=t.tHead.rows[0].cells;for(var c=0;c<hs.length;c++)(function(c){"
    "hs[c].addEventListener('click',function(){sortBy(t,c);});})(c);"
    "if(t.tBodies[0].rows.length>12){var f=document.createElement('input');"
    "f.type='search';f.className='filter';f.placeholder=document.documentElement.lang==='en'?"
    "'filter rows':'筛选';f.addEventListener('input',function(){var q=f.value.toLowerCase();"
    "var rs=t.tBodies[0].rows;for(var r=0;r<rs.length;r++)rs[r].style.display="
    "rs[r].textContent.toLowerCase().indexOf(q)<0?'none':'';});"
    "var box=t.parentNode.className.indexOf('scroll')>=0?t.parentNode:t;"
    "box.parentNode.insertBefore(f,box);}})(ts[i]);}\n"
    "})();\n";

/* Range of a stage band as text. */
static void band_text(pg *p, const egdi_report_stage *s)
{
    if (!isfinite(s->upper))
        outf(p, "&ge; %g", s->lower);
    else if (s->lower <= 0)
        outf(p, "&lt; %g", s->upper);
    else
        outf(p, "%g &ndash; &lt; %g", s->lower, s->upper);
}

static void legend(pg *p)
{
    const egdi_report_data *d = p->d;
    out(p, "<p class=\"legend\">");
    esc(p, TR(d, "发展阶段：", "Stages:"));
    for (size_t s = 0; s < d->nstages; s++) {
        outf(p, "<span class=\"sw\" style=\"background:#%06lx\"></span>",
             (unsigned long)stage_rgb(d, (int)s));
        esc(p, egdi_report_stage_name(d, (int)s));
        out(p, " (");
        band_text(p, &d->stages[s]);
        out(p, ")");
    }
    out(p, "</p>\n");
}

/* The stage counts as a small table. */
static void stage_table(pg *p)
{
    const egdi_report_data *d = p->d;
    size_t counts[EGDI_REPORT_MAX_STAGES + 1], rc[EGDI_REPORT_MAX_STAGES + 1];
    egdi_report_stage_counts(d, d->units, d->nunits, counts, NULL, NULL);
    egdi_report_stage_counts(d, d->regions, d->nregions, rc, NULL, NULL);
    outf(p, "<div class=\"scroll\"><table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "</tr></thead>\n",
         TR(d, "发展阶段", "stage"), TR(d, "分值区间", "range"), TR(d, "单位数", "units"),
         TR(d, "地区数", "regions"));
    for (size_t s = 0; s < d->nstages; s++) {
        outf(p, "<tr style=\"background:#%06lx\"><td>", (unsigned long)tint(stage_rgb(d, (int)s)));
        esc(p, egdi_report_stage_name(d, (int)s));
        out(p, "</td><td>");
        band_text(p, &d->stages[s]);
        outf(p, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n", counts[s], rc[s]);
    }
    out(p, "</table></div>\n");
}

static void ranking_table(pg *p, const egdi_report_unit *u, size_t n, bool with_region)
{
    const egdi_report_data *d = p->d;
    bool prev = d->prev_round != 0;
    outf(p, "<div class=\"scroll\"><table class=\"ranking sortable\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>",
         TR(d, "排名", "rank"), TR(d, "代码", "code"), TR(d, "名称", "name"));
    if (with_region)
        outf(p, "<th>%s</th>", TR(d, "所属地区", "region"));
    out(p, "<th>");
    esc(p, report_index(d));
    out(p, "</th>");
    for (size_t j = 0; j < d->nsub; j++) {
        out(p, "<th>");
        esc(p, d->sub_codes[j]);
        out(p, "</th>");
    }
    outf(p, "<th>%s</th>", TR(d, "发展阶段", "stage"));
    if (prev)
        outf(p, "<th>%s</th><th>%s</th>", TR(d, "上期排名", "previous rank"),
             TR(d, "变化", "change"));
    bool unc = d->uncertainty && u == d->units;
    if (unc)
        outf(p, "<th>%s</th><th>%s</th><th>%s</th>", TR(d, "排名区间 5%–95%", "rank 5%–95%"),
             TR(d, "阶段概率", "P(stage)"), TR(d, "提示", "note"));
    out(p, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < n && !p->bad; i++) {
        const egdi_report_unit *e = &u[i];
        outf(p, "<tr style=\"background:#%06lx\"><td class=\"n\">",
             (unsigned long)tint(stage_rgb(d, e->stage)));
        if (e->rank && e->rankable)
            outf(p, "%u", (unsigned)e->rank);
        else
            out(p, "&ndash;");
        out(p, "</td><td class=\"code\">");
        esc(p, e->code);
        out(p, "</td><td class=\"name\">");
        esc(p, e->name);
        out(p, "</td>");
        if (with_region) {
            out(p, "<td class=\"name\">");
            esc(p, e->region);
            out(p, "</td>");
        }
        out(p, "<td class=\"n\">");
        num(p, e->index, 2);
        out(p, "</td>");
        for (size_t j = 0; j < d->nsub; j++) {
            out(p, "<td class=\"n\">");
            num(p, e->sub[j], 2);
            out(p, "</td>");
        }
        out(p, "<td>");
        if (!e->rankable && e->reason)
            esc(p, e->reason);
        else
            esc(p, egdi_report_stage_name(d, e->stage));
        out(p, "</td>");
        if (prev) {
            out(p, "<td class=\"n\">");
            if (e->prev_rank)
                outf(p, "%u", (unsigned)e->prev_rank);
            if (e->prev_rank && e->rank && e->rankable)
                outf(p, "</td><td class=\"n\" data-v=\"%ld\">",
                     (long)e->prev_rank - (long)e->rank);
            else
                out(p, "</td><td class=\"n\">");
            if (e->prev_rank && e->rank && e->rankable) {
                long ch = (long)e->prev_rank - (long)e->rank;
                if (ch > 0)
                    outf(p, "<span class=\"up\">&#9650;%ld</span>", ch);
                else if (ch < 0)
                    outf(p, "<span class=\"down\">&#9660;%ld</span>", -ch);
                else
                    out(p, "0");
            }
            out(p, "</td>");
        }
        if (unc) {
            out(p, "<td class=\"n\">");
            if (isfinite(e->rank_lo) && isfinite(e->rank_hi))
                outf(p, "%.4g&ndash;%.4g", e->rank_lo, e->rank_hi);
            out(p, "</td><td class=\"n\">");
            num(p, e->p_stage, 3);
            out(p, "</td><td>");
            if (e->stage_uncertain)
                outf(p, "<span class=\"down\">%s</span>", TR(d, "阶段不确定", "stage uncertain"));
            out(p, "</td>");
        }
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table></div>\n");
}

/* The biggest movers up and down since the compared round, with the
 * largest parts of their change (indicators/change.c). */
static void movers(pg *p)
{
    const egdi_report_data *d = p->d;
    if (!d->nup && !d->ndown)
        return;
    outf(p, "<h2>%s</h2>\n", TR(d, "名次变化最大的单位及其原因", "Why the biggest movers moved"));
    for (int dir = 0; dir < 2; dir++) {
        size_t n = dir ? d->ndown : d->nup;
        const egdi_report_mover *mv = dir ? d->down : d->up;
        if (!n)
            continue;
        outf(p, "<h3>%s</h3><table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                "</tr>\n",
             dir ? TR(d, "下降", "Down") : TR(d, "上升", "Up"), TR(d, "代码", "code"),
             TR(d, "名称", "name"), TR(d, "排名", "rank"), report_index(d),
             TR(d, "主要原因", "top reasons"));
        for (size_t i = 0; i < n && !p->bad; i++) {
            const egdi_report_mover *m = &mv[i];
            out(p, "<tr><td>");
            esc(p, m->code);
            out(p, "</td><td>");
            esc(p, m->name);
            outf(p, "</td><td class=\"n\">%u &rarr; %u</td><td class=\"n\">",
                 (unsigned)m->prev_rank, (unsigned)m->rank);
            num(p, m->prev_index, 2);
            out(p, " &rarr; ");
            num(p, m->index, 2);
            out(p, "</td><td>");
            esc(p, m->reasons);
            out(p, "</td></tr>\n");
        }
        out(p, "</table>\n");
    }
}

/* The ranking as horizontal bars, drawn here (used without gnuplot). */
static void own_bars(pg *p, const egdi_report_unit *u, size_t n)
{
    const egdi_report_data *d = p->d;
    double scale = 0;
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < EGDI_CHART_MAX_BARS; i++)
        if (u[i].rankable && isfinite(u[i].index)) {
            if (u[i].index > scale)
                scale = u[i].index;
            shown++;
        }
    if (shown == 0)
        return;
    scale = scale <= 1.0 ? 1.0 : scale <= 100.0 ? 100.0 : ceil(scale / 10) * 10;
    const int lw = 220, bw = 600, rh = 20;
    int h = (int)shown * rh + 30;
    outf(p, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-size=\"12\">\n", lw + bw + 60, h, lw + bw + 60, h);
    for (size_t s = 0; s < d->nstages; s++) {
        double lo = d->stages[s].lower;
        if (!(lo > 0 && lo < scale))
            continue;
        double xx = lw + lo / scale * bw;
        outf(p, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" "
                "stroke-dasharray=\"4 3\"/>\n", xx, xx, h - 20);
    }
    size_t k = 0;
    for (size_t i = 0; i < n && k < shown; i++) {
        if (!u[i].rankable || !isfinite(u[i].index))
            continue;
        int y = (int)k * rh + 4;
        double w = u[i].index / scale * bw;
        if (w < 0)
            w = 0;
        outf(p, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 6, y + 13);
        esc_max(p, u[i].name && *u[i].name ? u[i].name : u[i].code, 32);
        outf(p, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#%06lx\" "
                "stroke=\"#555\"/>", lw, y, w, rh - 5, (unsigned long)stage_rgb(d, u[i].stage));
        outf(p, "<text x=\"%.1f\" y=\"%d\">%.1f</text>\n", lw + w + 4, y + 13, u[i].index);
        k++;
    }
    outf(p, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", lw, h - 22,
         lw + bw, h - 22);
    for (int t = 0; t <= 5; t++)
        outf(p, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
             lw + t * bw / 5.0, h - 6, scale * t / 5);
    out(p, "</svg>\n");
}

/* Units per stage as columns, drawn here (used without gnuplot). */
static void own_stages(pg *p)
{
    const egdi_report_data *d = p->d;
    size_t ns = d->nstages;
    if (ns == 0)
        return;
    size_t counts[EGDI_REPORT_MAX_STAGES + 1];
    egdi_report_stage_counts(d, d->units, d->nunits, counts, NULL, NULL);
    size_t mx = 1;
    for (size_t s = 0; s < ns; s++)
        if (counts[s] > mx)
            mx = counts[s];
    const int cw = 130, ch = 220;
    int w = (int)ns * cw + 40;
    outf(p, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-size=\"12\">\n", w, ch + 60, w, ch + 60);
    for (size_t s = 0; s < ns; s++) {
        double bh = (double)counts[s] / (double)mx * ch;
        int x0 = 20 + (int)s * cw;
        outf(p, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#%06lx\" "
                "stroke=\"#555\"/>", x0 + 20, 20 + ch - bh, cw - 40, bh,
             (unsigned long)stage_rgb(d, (int)s));
        outf(p, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>", x0 + cw / 2,
             14 + ch - bh, counts[s]);
        outf(p, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x0 + cw / 2, ch + 40);
        esc(p, egdi_report_stage_name(d, (int)s));
        out(p, "</text>\n");
    }
    out(p, "</svg>\n");
}

/* Under the radar and trend charts: what they left out, by name (the top
 * EGDI_CHART_MAX_SERIES regions are drawn; egdi_chart_series). */
static void chart_rest(pg *p, egdi_chart_kind k, const char *svg)
{
    const egdi_report_data *d = p->d;
    size_t idx[EGDI_CHART_MAX_SERIES], rest = 0;
    size_t n = egdi_chart_series(d, k, idx, &rest);
    if (!svg || !rest)
        return;
    bool regions = k == EGDI_CHART_RADAR || d->nregions;
    size_t total = regions ? d->nregions : d->nseries, named = 0;
    outf(p, "<p class=\"meta rest\" id=\"rest-%s\">", egdi_chart_name(k));
    outf(p, TR(d, "图中画出 %zu 个（按排名）；未画出的 %zu 个：",
               "%zu drawn (top of the ranking); the %zu not drawn: "), n, rest);
    for (size_t i = 0; i < total && !p->bad; i++) {
        size_t want = i;
        if (k == EGDI_CHART_TREND && d->nregions) {
            want = SIZE_MAX;
            for (size_t s = 0; s < d->nseries; s++)
                if (d->series[s].code && d->regions[i].code &&
                    !strcmp(d->series[s].code, d->regions[i].code))
                    want = s;
        }
        size_t j = 0;
        while (j < n && idx[j] != want)
            j++;
        if (j < n)
            continue;
        if (named++)
            out(p, TR(d, "、", ", "));
        esc(p, regions ? report_page_name(&d->regions[i])
                       : (d->series[i].name ? d->series[i].name : d->series[i].code));
    }
    out(p, "</p>\n");
}

/* One chart: gnuplot's SVG from its <svg> element, or our own, or a note. */
static void chart(pg *p, egdi_chart_kind k, const char *title, const char *svg,
                  const char *why)
{
    const egdi_report_data *d = p->d;
    const char *start = svg ? strstr(svg, "<svg") : NULL;
    bool own = !start && (k == EGDI_CHART_RANKING || k == EGDI_CHART_REGIONS ||
                          k == EGDI_CHART_STAGES);
    if (!start && !own && !why) /* nothing to draw: say nothing */
        return;
    outf(p, "<div class=\"chart\" id=\"chart-%s\"><h3>", egdi_chart_name(k));
    esc(p, title);
    out(p, "</h3>\n");
    if (start) {
        out(p, start);
    } else if (own) {
        if (k == EGDI_CHART_STAGES)
            own_stages(p);
        else if (k == EGDI_CHART_RANKING)
            own_bars(p, d->units, d->nunits);
        else
            own_bars(p, d->regions, d->nregions);
    } else {
        out(p, "<p class=\"note\">");
        esc(p, TR(d, "图表未生成：", "Chart not drawn: "));
        esc(p, why ? why : "");
        out(p, "</p>");
    }
    out(p, "</div>\n");
}

static void survey(pg *p)
{
    const egdi_report_data *d = p->d;
    const egdi_report_survey *sv = d->survey;
    outf(p, "<section class=\"part\" id=\"survey\"><h2>%s", TR(d, "问卷分析", "Survey"));
    if (sv->name) {
        out(p, "：");
        esc(p, sv->name);
    }
    out(p, "</h2>\n");
    for (size_t t = 0; t < sv->ntables && !p->bad; t++) {
        const egdi_report_table *tb = &sv->tables[t];
        out(p, "<h3>");
        esc(p, tb->title);
        out(p, "</h3>\n<div class=\"scroll\"><table><thead><tr>");
        for (size_t c = 0; c < tb->ncols; c++) {
            out(p, "<th>");
            esc(p, tb->headers[c]);
            out(p, "</th>");
        }
        out(p, "</tr></thead>\n");
        int dec = tb->decimals < 0 ? 0 : tb->decimals > 10 ? 10 : tb->decimals;
        for (size_t r = 0; r < tb->nrows && !p->bad; r++) {
            out(p, "<tr>");
            for (size_t c = 0; c < tb->ncols; c++) {
                const egdi_report_cell *cell = &tb->cells[r * tb->ncols + c];
                if (cell->text) {
                    out(p, "<td>");
                    esc(p, cell->text);
                } else {
                    out(p, "<td class=\"n\">");
                    num(p, cell->num, cell->whole ? 0 : dec);
                    if (cell->mark && isfinite(cell->num))
                        esc(p, cell->mark);
                }
                out(p, "</td>");
            }
            out(p, "</tr>\n");
        }
        out(p, "</table></div>\n");
    }
}

static void method(pg *p)
{
    const egdi_report_data *d = p->d;
    const egdi_report_method *m = &d->method;
    outf(p, "<section class=\"part\" id=\"method\"><h2>%s</h2>\n<div class=\"scroll\"><table>",
         TR(d, "方法说明", "Method"));
    struct {
        const char *k, *v;
    } kv[] = {
        {TR(d, "模型", "model"), m->model_name},
        {TR(d, "模型版本", "model version"), m->model_version},
        {TR(d, "模型哈希", "model hash"), m->model_hash},
        {TR(d, "程序版本", "program version"), m->program_version},
        {TR(d, "地区汇总方法", "region aggregation"), m->aggregation},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        if (!kv[i].v)
            continue;
        outf(p, "<tr><th>%s</th><td><code>", kv[i].k);
        esc(p, kv[i].v);
        out(p, "</code></td></tr>\n");
    }
    out(p, "</table></div>\n");
    if (m->nnotes) {
        outf(p, "<h3>%s</h3><ul>\n", TR(d, "数据提示", "Notes on the data"));
        for (size_t i = 0; i < m->nnotes && !p->bad; i++) {
            out(p, "<li>");
            esc(p, m->notes[i]);
            out(p, "</li>\n");
        }
        out(p, "</ul>\n");
    }
    if (m->nweights) {
        outf(p, "<h3>%s</h3><div class=\"scroll\"><table><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n",
             TR(d, "权重", "Weights"), TR(d, "代码", "code"), TR(d, "名称", "name"),
             TR(d, "上级", "parent"), TR(d, "权重", "weight"),
             TR(d, "有效权重", "effective weight"));
        for (size_t i = 0; i < m->nweights && !p->bad; i++) {
            const egdi_report_weight *w = &m->weights[i];
            out(p, "<tr><td>");
            esc(p, w->code);
            out(p, "</td><td>");
            esc(p, w->name);
            out(p, "</td><td>");
            esc(p, w->parent);
            out(p, "</td><td class=\"n\">");
            num(p, w->weight, 4);
            out(p, "</td><td class=\"n\">");
            num(p, w->effective, 4);
            out(p, "</td></tr>\n");
        }
        out(p, "</table></div>\n");
    }
    if (m->ninputs) {
        outf(p, "<h3>%s</h3><p class=\"meta\">%s</p><div class=\"scroll\"><table><thead><tr>"
                "<th>%s</th><th>%s</th><th>SHA-256</th></tr></thead>\n",
             TR(d, "输入文件", "Input files"),
             TR(d, "文件名相对于数据库所在目录。", "File names are relative to the store's folder."),
             TR(d, "轮次", "round"), TR(d, "文件", "file"));
        for (size_t i = 0; i < m->ninputs && !p->bad; i++) {
            out(p, "<tr><td class=\"n\">");
            if (m->inputs[i].round)
                outf(p, "%d", m->inputs[i].round);
            out(p, "</td><td>");
            esc(p, m->inputs[i].name);
            out(p, "</td><td><code>");
            esc(p, m->inputs[i].sha256);
            out(p, "</code></td></tr>\n");
        }
        out(p, "</table></div>\n");
    }
    out(p, "</section>\n");
}

/* The table of contents. */
static void toc(pg *p)
{
    const egdi_report_data *d = p->d;
    outf(p, "<nav class=\"toc\" id=\"toc\"><h2>%s</h2><ol>\n", TR(d, "目录", "Contents"));
    outf(p, "<li><a href=\"#overview\">%s</a><ol>", TR(d, "概览", "Overview"));
    outf(p, "<li><a href=\"#stage-change\">%s</a></li>", TR(d, "发展阶段分布及变化", "Stages and their change"));
    if (d->prev_round)
        outf(p, "<li><a href=\"#transitions\">%s</a></li><li><a href=\"#movers\">%s</a></li>",
             TR(d, "阶段转移矩阵", "Stage transitions"), TR(d, "排名变化最大的单位", "Top movers"));
    outf(p, "<li><a href=\"#near\">%s</a></li><li><a href=\"#unrankable\">%s</a></li></ol></li>\n",
         TR(d, "临近阶段分界", "Near a stage boundary"), TR(d, "未能排名的单位", "Units not ranked"));
    if (d->nregions) {
        outf(p, "<li><a href=\"#regions\">%s</a>", TR(d, "地区排名", "Ranking of regions"));
        report_page_toc_regions(p);
        out(p, "</li>\n");
    }
    outf(p, "<li><a href=\"#heat\">%s</a></li>\n", TR(d, "单位 × 指标得分", "Units × indicators"));
    outf(p, "<li><a href=\"#ranking\">%s</a></li>\n", TR(d, "单位排名（全部）", "Ranking (all units)"));
    if (d->survey)
        outf(p, "<li><a href=\"#survey\">%s</a></li>\n", TR(d, "问卷分析", "Survey"));
    outf(p, "<li><a href=\"#method\">%s</a></li>\n</ol></nav>\n", TR(d, "方法说明", "Method"));
}

egdi_status egdi_report_html(const egdi_report_data *d, const char *const svg[EGDI_CHART_COUNT],
                             const char *const skipped[EGDI_CHART_COUNT], FILE *f,
                             egdi_error *err)
{
    egdi_status st = egdi_report_check(d, err);
    if (st)
        return st;
    if (!f)
        return egdi_error_set(err, EGDI_ERR_ARG, "report: no output stream");
    pg p = {f, false, false, d};
    const char *none[EGDI_CHART_COUNT] = {0};
    if (!svg)
        svg = none;
    if (!skipped)
        skipped = none;

    outf(&p, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<title>", d->lang == EGDI_REPORT_EN ? "en" : "zh-CN");
    esc(&p, report_title(d));
    outf(&p, " %d</title>\n<style>\n", d->round);
    out(&p, css);
    out(&p, "</style>\n</head>\n<body>\n<h1>");
    esc(&p, report_title(d));
    outf(&p, "</h1>\n<p class=\"meta\">%s %d", TR(d, "评估年度", "Round"), d->round);
    if (d->prev_round)
        outf(&p, TR(d, "（对比 %d 年）", " (compared with %d)"), d->prev_round);
    if (d->method.model_name) {
        out(&p, TR(d, " · 模型 ", " · model "));
        esc(&p, d->method.model_name);
        if (d->method.model_version) {
            out(&p, " ");
            esc(&p, d->method.model_version);
        }
    }
    outf(&p, TR(d, " · 参评单位 %zu 个，地区 %zu 个", " · %zu units, %zu regions"), d->nunits,
         d->nregions);
    out(&p, "</p>\n");
    legend(&p);
    toc(&p);

    outf(&p, "<section class=\"part\" id=\"overview\"><h2>%s</h2>\n", TR(d, "概览", "Overview"));
    stage_table(&p);
    chart(&p, EGDI_CHART_STAGES, TR(d, "发展阶段分布图", "Units per stage"),
          svg[EGDI_CHART_STAGES], skipped[EGDI_CHART_STAGES]);
    report_page_overview(&p);
    out(&p, "</section>\n");

    if (d->nregions) {
        outf(&p, "<section class=\"part\" id=\"regions\"><h2>%s</h2>\n",
             TR(d, "地区排名", "Ranking of regions"));
        chart(&p, EGDI_CHART_REGIONS, TR(d, "地区排名图", "Regions"), svg[EGDI_CHART_REGIONS],
              skipped[EGDI_CHART_REGIONS]);
        chart(&p, EGDI_CHART_RADAR, TR(d, "各地区分指数雷达图", "Sub-indices by region"),
              svg[EGDI_CHART_RADAR], skipped[EGDI_CHART_RADAR]);
        chart_rest(&p, EGDI_CHART_RADAR, svg[EGDI_CHART_RADAR]);
        ranking_table(&p, d->regions, d->nregions, false);
        chart(&p, EGDI_CHART_TREND, TR(d, "历年变化", "Across rounds"), svg[EGDI_CHART_TREND],
              skipped[EGDI_CHART_TREND]);
        chart_rest(&p, EGDI_CHART_TREND, svg[EGDI_CHART_TREND]);
        out(&p, "</section>\n");
        report_page_regions(&p);
    } else {
        chart(&p, EGDI_CHART_TREND, TR(d, "历年变化", "Across rounds"), svg[EGDI_CHART_TREND],
              skipped[EGDI_CHART_TREND]);
        chart_rest(&p, EGDI_CHART_TREND, svg[EGDI_CHART_TREND]);
    }

    outf(&p, "<section class=\"part\" id=\"heat\"><h2>%s</h2>\n",
         TR(d, "单位 × 指标得分", "Units × indicators"));
    report_page_heat(&p);
    out(&p, "</section>\n");

    /* every department is already listed in its region's section: the
     * full table is for the screen when there are regions */
    outf(&p, "<section class=\"part%s\" id=\"ranking\"><h2>%s</h2>\n",
         d->nregions ? " screen-only" : "", TR(d, "单位排名（全部）", "Ranking (all units)"));
    chart(&p, EGDI_CHART_RANKING, TR(d, "排名图", "Ranking chart"), svg[EGDI_CHART_RANKING],
          skipped[EGDI_CHART_RANKING]);
    if (d->uncertainty) {
        chart(&p, EGDI_CHART_INTERVALS, TR(d, "排名区间图", "Rank intervals"),
              svg[EGDI_CHART_INTERVALS], skipped[EGDI_CHART_INTERVALS]);
        out(&p, "<p class=\"meta\">");
        outf(&p, TR(d, "排名区间：%zu 次蒙特卡洛抽样（%s，种子 %llu），变化的假设：",
                    "Rank intervals: %zu Monte Carlo draws (%s, seed %llu) varying "),
             d->uncertainty->draws, report_str(d->uncertainty->sampler),
             (unsigned long long)d->uncertainty->seed);
        char zh[2048];
        const char *varied = d->uncertainty->varied;
        if (d->lang == EGDI_REPORT_ZH && egdi_uncertainty_varied_zh(varied, zh, sizeof zh))
            varied = zh;
        esc(&p, varied);
        outf(&p, TR(d, "；所获阶段的概率低于 %.1f 的单位标为“阶段不确定”。</p>\n",
                    "; a unit whose P(assigned stage) is below %.1f is \"stage uncertain\".</p>\n"),
             d->uncertainty->sure);
    }
    ranking_table(&p, d->units, d->nunits, true);
    movers(&p);
    out(&p, "</section>\n");

    if (d->survey) {
        survey(&p);
        chart(&p, EGDI_CHART_SCREE, TR(d, "碎石图", "Scree plot"), svg[EGDI_CHART_SCREE],
              skipped[EGDI_CHART_SCREE]);
        chart(&p, EGDI_CHART_LOADINGS, TR(d, "因子载荷热图", "Loadings"),
              svg[EGDI_CHART_LOADINGS], skipped[EGDI_CHART_LOADINGS]);
        out(&p, "</section>\n");
    }
    method(&p);
    outf(&p, "<script>\n%s</script>\n", script);
    out(&p, "</body>\n</html>\n");

    if (!p.bad && (fflush(f) != 0 || ferror(f)))
        p.bad = true;
    if (p.nomem)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory writing the page");
    if (p.bad)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write the page: %s",
                              strerror(errno ? errno : EIO));
    return EGDI_OK;
}
