/*
 * xlsx_report.c - report.xlsx with libxlsxwriter: sheets Ranking, Regions,
 * Stages, Indicators, Survey (when there is one) and Method, and native
 * Excel charts (the ranking as bars coloured by stage, the stage
 * distribution, the sub-indices per region).
 *
 * Text from the data is only ever written with worksheet_write_string, so a
 * name such as "=HYPERLINK(...)" or "+1" is a string cell, never a formula;
 * a character XML 1.0 does not allow (a C0 control but tab and line
 * breaks, U+FFFE, U+FFFF) becomes a space first, as in the charts and the
 * page, since libxlsxwriter copies cell text raw into the charts' caches;
 * chart series names and categories point at cells (never at text that
 * libxlsxwriter would read as a formula).  Missing numbers are blank cells.
 *
 * Errors: every lxw_error is checked.  The writer keeps the first one in
 * its context (xw.e) and stops at the next check; workbook_close() frees
 * the workbook on every path.  Memory: the workbook owns its sheets, formats
 * and charts; the point arrays given to charts are copied by libxlsxwriter
 * and freed here.
 */
#include "reports/report_private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_CHART_BARS EGDI_CHART_MAX_BARS
#define XLSX_MAX_ROWS  1048575u /* data rows below one header row */

typedef struct {
    lxw_workbook *wb;
    lxw_error e;            /* the first libxlsxwriter error */
    const char *where;      /* what was being written when it happened */
    bool limit;             /* a list does not fit in a sheet */
    lxw_format *head;       /* bold header, grey fill, bottom border */
    lxw_format *bold;
    lxw_format *text;
    lxw_format *num2;       /* 0.00 */
    lxw_format *num3;       /* 0.000 */
    lxw_format *num4;
    lxw_format *intf;       /* 0 */
    lxw_format *chg;        /* +0;-0;0 */
    lxw_format *st_text[EGDI_REPORT_MAX_STAGES + 1]; /* row colours per stage */
    lxw_format *st_num[EGDI_REPORT_MAX_STAGES + 1];
    lxw_format *st_int[EGDI_REPORT_MAX_STAGES + 1];
    lxw_format *st_chg[EGDI_REPORT_MAX_STAGES + 1];
} xw;

/* Keeps the first error; returns true while all is well. */
static bool ok(xw *x, lxw_error e, const char *where)
{
    if (e != LXW_NO_ERROR && x->e == LXW_NO_ERROR) {
        x->e = e;
        x->where = where;
    }
    return x->e == LXW_NO_ERROR && !x->limit;
}

/* A new chart of the type, or NULL with the failure recorded in x. */
static lxw_chart *new_chart(xw *x, uint8_t type)
{
    lxw_chart *ch = workbook_add_chart(x->wb, type);
    if (!ch)
        ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart");
    return ch;
}

/* A new series of ch, or NULL with the failure recorded in x. */
static lxw_chart_series *new_series(xw *x, lxw_chart *ch)
{
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    if (!se)
        ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart series");
    return se;
}

/* s with the characters XML 1.0 does not allow as spaces: s itself when it
 * has none, else a copy in *copy (free it); NULL when out of memory. */
static const char *xml_text(const char *s, char **copy)
{
    *copy = NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (; p[i]; i++)
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') ||
            (p[i] == 0xEF && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF)))
            break;
    if (!p[i])
        return s;
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t w = 0;
    for (i = 0; i < n; i++) {
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') {
            o[w++] = ' ';
        } else if (p[i] == 0xEF && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF)) {
            o[w++] = ' ';
            i += 2;
        } else {
            o[w++] = (char)p[i];
        }
    }
    o[w] = '\0';
    *copy = o;
    return o;
}

/*
 * Is there memory for one more cell?  libxlsxwriter does not check every
 * allocation it makes for a cell (worksheet_write_string crashes in
 * _insert_cell_list when its row could not be allocated), so a cell is
 * written only when ROOM_BYTES more than its text could be allocated just
 * now: the block freed stays in the heap for the cell's few small
 * allocations.  Otherwise the workbook stops with "out of memory".
 */
#define ROOM_BYTES (64 * 1024)

static bool room(xw *x, size_t text)
{
    void *p = malloc(ROOM_BYTES + 2 * text);
    if (p) {
        free(p);
        return true;
    }
    ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell");
    return false;
}

static void put_str(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *f)
{
    if (x->e || !room(x, s ? strlen(s) : 0))
        return;
    if (!s || !*s) {
        if (f)
            ok(x, worksheet_write_blank(ws, r, c, f), "a blank cell");
        return;
    }
    char *copy;
    const char *t = xml_text(s, &copy);
    if (!t) {
        ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a text cell");
        return;
    }
    ok(x, worksheet_write_string(ws, r, c, t, f), "a text cell");
    free(copy);
}

/* A chart's title (XML-legal, as cell text). */
static void set_title(xw *x, lxw_chart *ch, const char *title)
{
    char *copy;
    const char *t = xml_text(title, &copy);
    if (!t) {
        ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart title");
        return;
    }
    chart_title_set_name(ch, t);
    free(copy);
}

static void put_num(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                    lxw_format *f)
{
    if (x->e || !room(x, 0))
        return;
    if (!isfinite(v)) {
        if (f)
            ok(x, worksheet_write_blank(ws, r, c, f), "a blank cell");
        return;
    }
    ok(x, worksheet_write_number(ws, r, c, v, f), "a number cell");
}

static void headers(xw *x, lxw_worksheet *ws, lxw_row_t r, const char *const *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_str(x, ws, r, (lxw_col_t)i, h[i], x->head);
}

static void width(xw *x, lxw_worksheet *ws, lxw_col_t c0, lxw_col_t c1, double w)
{
    if (!x->e)
        ok(x, worksheet_set_column(ws, c0, c1, w, NULL), "a column width");
}

/* A lighter tint of an RGB colour for a row background. */
static uint32_t tint(uint32_t rgb)
{
    uint32_t out = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        uint32_t c = (rgb >> sh) & 0xff;
        c = c + (255 - c) * 55 / 100;
        out |= c << sh;
    }
    return out;
}

static lxw_format *fmt(xw *x, const char *num, uint32_t bg, bool bold)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) {
        ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell format");
        return NULL;
    }
    if (num)
        format_set_num_format(f, num);
    if (bg) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, bg);
    }
    if (bold)
        format_set_bold(f);
    return f;
}

static void make_formats(xw *x, const egdi_report_data *d)
{
    x->head = fmt(x, NULL, 0xd9d9d9, true);
    if (x->head) {
        format_set_bottom(x->head, LXW_BORDER_THIN);
        format_set_text_wrap(x->head);
        format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
    }
    x->bold = fmt(x, NULL, 0, true);
    x->text = fmt(x, NULL, 0, false);
    x->num2 = fmt(x, "0.00", 0, false);
    x->num3 = fmt(x, "0.000", 0, false);
    x->num4 = fmt(x, "0.0000", 0, false);
    x->intf = fmt(x, "0", 0, false);
    x->chg = fmt(x, "+0;-0;0", 0, false);
    for (size_t s = 0; s <= d->nstages; s++) {
        uint32_t bg = s < d->nstages ? tint(d->stages[s].colour & 0xffffff) : 0xf2f2f2;
        x->st_text[s] = fmt(x, NULL, bg, false);
        x->st_num[s] = fmt(x, "0.00", bg, false);
        x->st_int[s] = fmt(x, "0", bg, false);
        x->st_chg[s] = fmt(x, "+0;-0;0", bg, false);
    }
}

static size_t stage_slot(const egdi_report_data *d, int stage)
{
    return stage >= 0 && (size_t)stage < d->nstages ? (size_t)stage : d->nstages;
}

static lxw_format *decimals_fmt(xw *x, int decimals)
{
    if (decimals <= 0)
        return x->intf;
    if (decimals == 2)
        return x->num2;
    if (decimals == 4)
        return x->num4;
    return x->num3;
}

/* ---- Ranking / Regions ---------------------------------------------------- */

/* Writes a ranking table; returns the number of data rows. */
static size_t ranking_sheet(xw *x, const egdi_report_data *d, lxw_worksheet *ws,
                            const egdi_report_unit *u, size_t n, bool with_region,
                            lxw_col_t *index_col)
{
    const char *h[12 + EGDI_REPORT_MAX_SUB];
    size_t nh = 0;
    bool prev = d->prev_round != 0;
    h[nh++] = TR(d, "排名", "rank");
    h[nh++] = TR(d, "代码", "code");
    h[nh++] = TR(d, "名称", "name");
    if (with_region)
        h[nh++] = TR(d, "所属地区", "region");
    lxw_col_t ic = (lxw_col_t)nh;
    h[nh++] = report_index(d);
    for (size_t j = 0; j < d->nsub; j++)
        h[nh++] = report_str(d->sub_codes[j]);
    lxw_col_t sc = (lxw_col_t)nh;
    h[nh++] = TR(d, "发展阶段", "stage");
    if (prev) {
        h[nh++] = TR(d, "上期排名", "previous rank");
        h[nh++] = TR(d, "名次变化", "change");
        h[nh++] = TR(d, "上期阶段", "previous stage");
    }
    bool unc = d->uncertainty && u == d->units;
    if (unc) {
        h[nh++] = TR(d, "排名区间下限 (5%)", "rank 5%");
        h[nh++] = TR(d, "排名区间上限 (95%)", "rank 95%");
        h[nh++] = TR(d, "阶段概率", "P(stage)");
        h[nh++] = TR(d, "阶段不确定", "stage uncertain");
    }
    headers(x, ws, 0, h, nh);
    if (n > XLSX_MAX_ROWS) {
        x->limit = true;
        return 0;
    }
    for (size_t i = 0; i < n && !x->e; i++) {
        const egdi_report_unit *e = &u[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        size_t s = stage_slot(d, e->stage);
        lxw_col_t c = 0;
        if (e->rank && e->rankable)
            put_num(x, ws, r, c, e->rank, x->st_int[s]);
        else
            put_str(x, ws, r, c, TR(d, "不参与排名", "not ranked"), x->st_text[s]);
        c++;
        put_str(x, ws, r, c++, e->code, x->st_text[s]);
        put_str(x, ws, r, c++, e->name, x->st_text[s]);
        if (with_region)
            put_str(x, ws, r, c++, e->region, x->st_text[s]);
        put_num(x, ws, r, c++, e->index, x->st_num[s]);
        for (size_t j = 0; j < d->nsub; j++)
            put_num(x, ws, r, c++, e->sub[j], x->st_num[s]);
        put_str(x, ws, r, c++, egdi_report_stage_name(d, e->stage), x->st_text[s]);
        if (prev) {
            if (e->prev_rank)
                put_num(x, ws, r, c, e->prev_rank, x->st_int[s]);
            else
                put_str(x, ws, r, c, NULL, x->st_int[s]);
            c++;
            if (e->prev_rank && e->rank && e->rankable)
                put_num(x, ws, r, c, (double)e->prev_rank - (double)e->rank, x->st_chg[s]);
            else
                put_str(x, ws, r, c, NULL, x->st_chg[s]);
            c++;
            put_str(x, ws, r, c++, egdi_report_stage_name(d, e->prev_stage), x->st_text[s]);
        }
        if (unc) {
            put_num(x, ws, r, c++, e->rank_lo, x->st_num[s]);
            put_num(x, ws, r, c++, e->rank_hi, x->st_num[s]);
            put_num(x, ws, r, c++, e->p_stage, x->st_num[s]);
            put_str(x, ws, r, c++, e->stage_uncertain ? TR(d, "是", "yes") : NULL,
                    x->st_text[s]);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    width(x, ws, 0, 0, 7);
    width(x, ws, 1, 1, 12);
    width(x, ws, 2, 2, 26);
    if (with_region)
        width(x, ws, 3, 3, 16);
    width(x, ws, ic, (lxw_col_t)(sc - 1), 9);
    width(x, ws, sc, sc, 14);
    if (prev) {
        width(x, ws, (lxw_col_t)(sc + 1), (lxw_col_t)(sc + 2), 10);
        width(x, ws, (lxw_col_t)(sc + 3), (lxw_col_t)(sc + 3), 14);
    }
    if (!x->e)
        ok(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(n ? n : 1), (lxw_col_t)(nh - 1)),
           "the autofilter");
    *index_col = ic;
    return n;
}

/* The biggest movers up and down since the compared round, with the
 * largest parts of their change. */
static void movers_sheet(xw *x, const egdi_report_data *d, lxw_worksheet *ws)
{
    const char *h[] = {TR(d, "方向", "direction"), TR(d, "代码", "code"), TR(d, "名称", "name"),
                       TR(d, "上期排名", "previous rank"), TR(d, "排名", "rank"),
                       TR(d, "上期指数", "previous index"), report_index(d),
                       TR(d, "主要原因", "top reasons")};
    headers(x, ws, 0, h, sizeof h / sizeof h[0]);
    lxw_row_t r = 1;
    for (int dir = 0; dir < 2 && !x->e; dir++) {
        size_t n = dir ? d->ndown : d->nup;
        const egdi_report_mover *mv = dir ? d->down : d->up;
        for (size_t i = 0; i < n && !x->e; i++, r++) {
            put_str(x, ws, r, 0, dir ? TR(d, "下降", "down") : TR(d, "上升", "up"), x->text);
            put_str(x, ws, r, 1, mv[i].code, x->text);
            put_str(x, ws, r, 2, mv[i].name, x->text);
            put_num(x, ws, r, 3, mv[i].prev_rank, x->intf);
            put_num(x, ws, r, 4, mv[i].rank, x->intf);
            put_num(x, ws, r, 5, mv[i].prev_index, x->num2);
            put_num(x, ws, r, 6, mv[i].index, x->num2);
            put_str(x, ws, r, 7, mv[i].reasons, x->text);
        }
    }
    width(x, ws, 0, 1, 12);
    width(x, ws, 2, 2, 26);
    width(x, ws, 3, 6, 12);
    width(x, ws, 7, 7, 60);
}

/* A bar chart of the top of a ranking, each bar in its stage colour. */
static void ranking_chart(xw *x, const egdi_report_data *d, lxw_worksheet *ws,
                          const char *sheet, const egdi_report_unit *u, size_t n,
                          lxw_col_t ic, lxw_col_t at, const char *title)
{
    /* the ranked rows come first (rank order); unranked ones are left out */
    size_t shown = 0;
    while (shown < n && shown < MAX_CHART_BARS && u[shown].rankable && u[shown].rank &&
           isfinite(u[shown].index))
        shown++;
    if (shown == 0 || x->e)
        return;
    lxw_chart *ch = new_chart(x, LXW_CHART_BAR);
    lxw_chart_series *se = ch ? new_series(x, ch) : NULL;
    if (!se)
        return;
    chart_series_set_categories(se, sheet, 1, 2, (lxw_row_t)shown, 2);
    chart_series_set_values(se, sheet, 1, ic, (lxw_row_t)shown, ic);
    chart_series_set_name_range(se, sheet, 0, ic);
    lxw_chart_fill *fills = calloc(shown, sizeof *fills);
    lxw_chart_point *pts = calloc(shown, sizeof *pts);
    lxw_chart_point **pp = calloc(shown + 1, sizeof *pp);
    if (!fills || !pts || !pp) {
        ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "chart colours");
    } else {
        for (size_t i = 0; i < shown; i++) {
            int s = u[i].stage;
            fills[i].color = s >= 0 && (size_t)s < d->nstages ? d->stages[s].colour & 0xffffff
                                                              : 0xaaaaaa;
            pts[i].fill = &fills[i];
            pp[i] = &pts[i];
        }
        ok(x, chart_series_set_points(se, pp), "chart colours");
    }
    free(pp);
    free(pts);
    free(fills);
    set_title(x, ch, title);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    /* in a bar chart Y is the (vertical) category axis: rank 1 at the top */
    lxw_chart_axis *cat = chart_axis_get(ch, LXW_CHART_AXIS_TYPE_Y);
    if (cat)
        chart_axis_set_reverse(cat);
    lxw_chart_options o = {.x_scale = 1.6, .y_scale = 1.0 + (double)shown / 12.0};
    if (!x->e)
        ok(x, worksheet_insert_chart_opt(ws, 1, at, ch, &o), "a chart");
}

/* Sub-indices per region as clustered columns. */
static void region_chart(xw *x, const egdi_report_data *d, lxw_worksheet *ws, size_t n,
                         lxw_col_t ic, lxw_col_t at)
{
    if (n == 0 || d->nsub == 0 || x->e)
        return;
    size_t shown = n < MAX_CHART_BARS ? n : MAX_CHART_BARS;
    lxw_chart *ch = new_chart(x, LXW_CHART_COLUMN);
    if (!ch)
        return;
    for (size_t j = 0; j < d->nsub; j++) {
        lxw_chart_series *se = new_series(x, ch);
        if (!se)
            return;
        lxw_col_t c = (lxw_col_t)(ic + 1 + j);
        chart_series_set_categories(se, "Regions", 1, 2, (lxw_row_t)shown, 2);
        chart_series_set_values(se, "Regions", 1, c, (lxw_row_t)shown, c);
        chart_series_set_name_range(se, "Regions", 0, c);
    }
    char title[160];
    snprintf(title, sizeof title, "%d %s", d->round, TR(d, "各地区分指数", "sub-indices by region"));
    set_title(x, ch, title);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    /* below the ranking chart: a chart is 15 rows high at scale 1, and the
     * ranking chart is scaled by 1 + bars / 12 (see ranking_chart) */
    size_t bars = 0;
    while (bars < n && bars < MAX_CHART_BARS && d->regions[bars].rankable &&
           d->regions[bars].rank && isfinite(d->regions[bars].index))
        bars++;
    double above = bars ? 15.0 * (1.0 + (double)bars / 12.0) : 0.0;
    lxw_chart_options o = {.x_scale = 2.0, .y_scale = 1.4};
    ok(x, worksheet_insert_chart_opt(ws, (lxw_row_t)(1 + ceil(above) + 2), at, ch, &o),
       "a chart");
}

/* ---- Stages --------------------------------------------------------------- */

static void range_text(const egdi_report_stage *s, char *buf, size_t size)
{
    if (!isfinite(s->upper))
        snprintf(buf, size, "≥ %g", s->lower);
    else if (s->lower <= 0)
        snprintf(buf, size, "< %g", s->upper);
    else
        snprintf(buf, size, "%g – < %g", s->lower, s->upper);
}

static void stages_sheet(xw *x, const egdi_report_data *d, lxw_worksheet *ws)
{
    size_t ns = d->nstages;
    size_t counts[EGDI_REPORT_MAX_STAGES + 1], rcounts[EGDI_REPORT_MAX_STAGES + 1];
    size_t prev[EGDI_REPORT_MAX_STAGES + 1];
    size_t trans[EGDI_REPORT_MAX_STAGES * EGDI_REPORT_MAX_STAGES];
    egdi_report_stage_counts(d, d->units, d->nunits, counts, prev, trans);
    egdi_report_stage_counts(d, d->regions, d->nregions, rcounts, NULL, NULL);
    bool has_prev = d->prev_round != 0;
    char rh[64], ph[64];
    snprintf(rh, sizeof rh, TR(d, "%d 年单位数", "units %d"), d->round);
    snprintf(ph, sizeof ph, TR(d, "%d 年单位数", "units %d"), d->prev_round);
    const char *h[7] = {TR(d, "阶段代码", "code"), TR(d, "发展阶段", "stage"),
                        TR(d, "分值区间", "range"), rh, TR(d, "地区数", "regions"),
                        has_prev ? ph : NULL, NULL};
    headers(x, ws, 0, h, has_prev ? 6 : 5);
    lxw_row_t r = 1;
    for (size_t s = 0; s < ns; s++, r++) {
        char range[64];
        range_text(&d->stages[s], range, sizeof range);
        put_str(x, ws, r, 0, d->stages[s].code, x->st_text[s]);
        put_str(x, ws, r, 1, egdi_report_stage_name(d, (int)s), x->st_text[s]);
        put_str(x, ws, r, 2, range, x->st_text[s]);
        put_num(x, ws, r, 3, (double)counts[s], x->st_int[s]);
        put_num(x, ws, r, 4, (double)rcounts[s], x->st_int[s]);
        if (has_prev)
            put_num(x, ws, r, 5, (double)prev[s], x->st_int[s]);
    }
    if (counts[ns] || rcounts[ns]) {
        put_str(x, ws, r, 1, TR(d, "无阶段", "no stage"), x->text);
        put_num(x, ws, r, 3, (double)counts[ns], x->intf);
        put_num(x, ws, r, 4, (double)rcounts[ns], x->intf);
        r++;
    }
    if (has_prev && d->nprev_stages) {
        /* the counts above are by the stage stored with the earlier run:
         * say that its bands were not the ones in the range column */
        r++;
        char t[400];
        snprintf(t, sizeof t,
                 TR(d, "注意：%d 年与 %d 年采用不同的阶段分值区间；%d 年单位数按该轮评分时保存的阶段统计，其分值区间为：",
                    "Note: %d and %d were scored with different stage bands; the %d counts are "
                    "by the stage stored with that round's run, whose bands were:"),
                 d->prev_round, d->round, d->prev_round);
        put_str(x, ws, r++, 0, t, x->bold);
        for (size_t s = 0; s < d->nprev_stages; s++, r++) {
            const egdi_report_stage *ps = &d->prev_stages[s];
            const char *nm = TR(d, ps->name_zh, ps->name_en);
            char range[64];
            range_text(ps, range, sizeof range);
            put_str(x, ws, r, 0, ps->code, x->text);
            put_str(x, ws, r, 1, nm && *nm ? nm : report_str(ps->code), x->text);
            put_str(x, ws, r, 2, range, x->text);
        }
    }
    lxw_row_t chart_row = r + 1;
    if (has_prev && ns) {
        r += 2;
        char t[128];
        snprintf(t, sizeof t, TR(d, "阶段转移矩阵（行：%d 年，列：%d 年）",
                                 "Stage transitions (rows: %d, columns: %d)"),
                 d->prev_round, d->round);
        put_str(x, ws, r++, 0, t, x->bold);
        put_str(x, ws, r, 0, TR(d, "上期 \\ 本期", "previous \\ current"), x->head);
        for (size_t s = 0; s < ns; s++)
            put_str(x, ws, r, (lxw_col_t)(s + 1), egdi_report_stage_name(d, (int)s), x->head);
        r++;
        for (size_t p = 0; p < ns; p++, r++) {
            put_str(x, ws, r, 0, egdi_report_stage_name(d, (int)p), x->head);
            for (size_t s = 0; s < ns; s++)
                put_num(x, ws, r, (lxw_col_t)(s + 1), (double)trans[p * ns + s], x->intf);
        }
        chart_row = r + 1;
    }
    worksheet_freeze_panes(ws, 1, 0);
    width(x, ws, 0, 0, 16);
    width(x, ws, 1, 1, 16);
    width(x, ws, 2, (lxw_col_t)(ns + 1 > 6 ? ns + 1 : 6), 14);
    if (ns == 0 || x->e)
        return;
    lxw_chart *ch = new_chart(x, LXW_CHART_COLUMN);
    lxw_chart_series *se = ch ? new_series(x, ch) : NULL;
    if (!se)
        return;
    chart_series_set_categories(se, "Stages", 1, 1, (lxw_row_t)ns, 1);
    chart_series_set_values(se, "Stages", 1, 3, (lxw_row_t)ns, 3);
    chart_series_set_name_range(se, "Stages", 0, 3);
    lxw_chart_fill fills[EGDI_REPORT_MAX_STAGES];
    lxw_chart_point pts[EGDI_REPORT_MAX_STAGES];
    lxw_chart_point *pp[EGDI_REPORT_MAX_STAGES + 1];
    memset(pts, 0, sizeof pts);
    memset(fills, 0, sizeof fills);
    for (size_t s = 0; s < ns; s++) {
        fills[s].color = d->stages[s].colour & 0xffffff;
        pts[s].fill = &fills[s];
        pp[s] = &pts[s];
    }
    pp[ns] = NULL;
    ok(x, chart_series_set_points(se, pp), "chart colours");
    char title[128];
    snprintf(title, sizeof title, "%d %s", d->round, TR(d, "发展阶段分布", "stage distribution"));
    set_title(x, ch, title);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    if (!x->e)
        ok(x, worksheet_insert_chart(ws, chart_row + 1, 1, ch), "a chart");
}

/* ---- Indicators ------------------------------------------------------------ */

static void indicators_sheet(xw *x, const egdi_report_data *d, lxw_worksheet *ws)
{
    const char *h[7] = {TR(d, "单位代码", "unit code"), TR(d, "单位名称", "unit"),
                        TR(d, "指标代码", "indicator code"), TR(d, "指标名称", "indicator"),
                        TR(d, "原始值", "raw value"), TR(d, "得分", "score"),
                        TR(d, "数据来源", "source cell")};
    headers(x, ws, 0, h, 7);
    if (d->nindicators > XLSX_MAX_ROWS) {
        x->limit = true;
        return;
    }
    for (size_t i = 0; i < d->nindicators && !x->e; i++) {
        const egdi_report_indicator *e = &d->indicators[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        put_str(x, ws, r, 0, e->unit_code, NULL);
        put_str(x, ws, r, 1, e->unit_name, NULL);
        put_str(x, ws, r, 2, e->indicator_code, NULL);
        put_str(x, ws, r, 3, e->indicator_name, NULL);
        if (e->raw_text)
            put_str(x, ws, r, 4, e->raw_text, NULL);
        else
            put_num(x, ws, r, 4, e->raw, NULL);
        put_num(x, ws, r, 5, e->score, x->num2);
        put_str(x, ws, r, 6, e->source, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    width(x, ws, 0, 0, 12);
    width(x, ws, 1, 1, 22);
    width(x, ws, 2, 2, 14);
    width(x, ws, 3, 3, 30);
    width(x, ws, 4, 5, 11);
    width(x, ws, 6, 6, 30);
    if (!x->e)
        ok(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(d->nindicators ? d->nindicators : 1),
                                   6),
           "the autofilter");
}

/* ---- Matrix: units x indicators, wide (issue 17) ------------------------------ */

/* Most indicator columns of the wide sheet. */
#define MATRIX_MAX_COLS 400

static int band_of(const egdi_report_data *d, double v)
{
    if (!isfinite(v))
        return -1;
    for (size_t s = 0; s < d->nstages; s++)
        if (v >= d->stages[s].lower && v < d->stages[s].upper)
            return (int)s;
    return -1;
}

/* One row per unit (ranking order), one column per indicator (first-seen
 * order of d->indicators), the score shaded by the stage band it falls in;
 * each indicator row finds its unit's sheet row through the units sorted
 * by code. */
static void matrix_sheet(xw *x, const egdi_report_data *d, lxw_worksheet *ws)
{
    const char *cols[MATRIX_MAX_COLS];
    size_t ncols = 0;
    for (size_t i = 0; i < d->nindicators; i++) {
        const char *c = d->indicators[i].indicator_code;
        size_t k = 0;
        while (c && k < ncols && strcmp(cols[k], c) != 0)
            k++;
        if (c && k == ncols && ncols < MATRIX_MAX_COLS)
            cols[ncols++] = c;
    }
    const lxw_col_t first = 6;
    const char *h[6] = {TR(d, "排名", "rank"), TR(d, "代码", "code"), TR(d, "名称", "name"),
                        TR(d, "所属地区", "region"), report_index(d), TR(d, "发展阶段", "stage")};
    headers(x, ws, 0, h, 6);
    for (size_t c = 0; c < ncols; c++)
        put_str(x, ws, 0, (lxw_col_t)(first + c), cols[c], x->head);
    if (d->nunits > XLSX_MAX_ROWS) {
        x->limit = true;
        return;
    }
    for (size_t i = 0; i < d->nunits && !x->e; i++) {
        const egdi_report_unit *u = &d->units[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        size_t sl = stage_slot(d, u->stage);
        if (u->rank && u->rankable)
            put_num(x, ws, r, 0, u->rank, x->intf);
        put_str(x, ws, r, 1, u->code, NULL);
        put_str(x, ws, r, 2, u->name, NULL);
        put_str(x, ws, r, 3, u->region, NULL);
        put_num(x, ws, r, 4, u->index, x->st_num[sl]);
        put_str(x, ws, r, 5, u->rankable ? egdi_report_stage_name(d, u->stage) : u->reason,
                x->st_text[sl]);
    }
    /* the scores: each indicator row finds its unit's sheet row */
    size_t *row_of = NULL;
    const char **code_of = NULL;
    if (d->nunits) {
        row_of = malloc(d->nunits * sizeof *row_of);
        code_of = malloc(d->nunits * sizeof *code_of);
    }
    if (d->nunits && (!row_of || !code_of)) {
        free(row_of);
        free(code_of);
        ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the indicator matrix");
        return;
    }
    for (size_t i = 0; i < d->nunits; i++) {
        row_of[i] = i;
        code_of[i] = d->units[i].code ? d->units[i].code : "";
    }
    /* shell sort of (code, row) by code: no comparator context needed */
    for (size_t gap = d->nunits / 2; gap > 0; gap /= 2)
        for (size_t i = gap; i < d->nunits; i++)
            for (size_t j = i; j >= gap && strcmp(code_of[j - gap], code_of[j]) > 0; j -= gap) {
                const char *tc = code_of[j];
                code_of[j] = code_of[j - gap];
                code_of[j - gap] = tc;
                size_t tr = row_of[j];
                row_of[j] = row_of[j - gap];
                row_of[j - gap] = tr;
            }
    for (size_t i = 0; i < d->nindicators && !x->e; i++) {
        const egdi_report_indicator *e = &d->indicators[i];
        if (!e->unit_code || !e->indicator_code)
            continue;
        size_t lo = 0, hi = d->nunits;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(code_of[mid], e->unit_code) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == d->nunits || strcmp(code_of[lo], e->unit_code) != 0)
            continue; /* a region's indicators: not on this sheet */
        size_t c = 0;
        while (c < ncols && strcmp(cols[c], e->indicator_code) != 0)
            c++;
        if (c == ncols)
            continue;
        put_num(x, ws, (lxw_row_t)(row_of[lo] + 1), (lxw_col_t)(first + c), e->score,
                x->st_num[stage_slot(d, band_of(d, e->score))]);
    }
    free(row_of);
    free(code_of);
    worksheet_freeze_panes(ws, 1, 3);
    width(x, ws, 0, 0, 6);
    width(x, ws, 1, 1, 12);
    width(x, ws, 2, 2, 24);
    width(x, ws, 3, 3, 10);
    width(x, ws, 4, 4, 8);
    width(x, ws, 5, 5, 14);
    if (ncols)
        width(x, ws, first, (lxw_col_t)(first + ncols - 1), 8);
    if (!x->e)
        ok(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(d->nunits ? d->nunits : 1),
                                   (lxw_col_t)(first + (ncols ? ncols - 1 : 0))),
           "the autofilter");
}

/* ---- Flags: near a stage boundary, not rankable (issue 17) --------------------- */

static void flags_sheet(xw *x, const egdi_report_data *d, lxw_worksheet *ws)
{
    lxw_row_t r = 0;
    char title[160];
    snprintf(title, sizeof title,
             TR(d, "临近阶段分界的单位（指数与阶段下限相差不足 %g 分）",
                "Units within %g points of a stage's lower bound"),
             EGDI_REPORT_NEAR_BOUNDARY);
    put_str(x, ws, r++, 0, title, x->bold);
    const char *h[6] = {TR(d, "排名", "rank"), TR(d, "代码", "code"), TR(d, "名称", "name"),
                        report_index(d), TR(d, "阶段分界", "boundary"),
                        TR(d, "距分界", "distance")};
    headers(x, ws, r++, h, 6);
    for (size_t i = 0; i < d->nunits && !x->e && r < XLSX_MAX_ROWS - 4; i++) {
        const egdi_report_unit *u = &d->units[i];
        if (!u->rankable || !isfinite(u->index))
            continue;
        for (size_t s = 0; s < d->nstages; s++) {
            double lo = d->stages[s].lower;
            if (!(lo > 0) || fabs(u->index - lo) >= EGDI_REPORT_NEAR_BOUNDARY)
                continue;
            size_t sl = stage_slot(d, u->stage);
            put_num(x, ws, r, 0, u->rank, x->st_int[sl]);
            put_str(x, ws, r, 1, u->code, x->st_text[sl]);
            put_str(x, ws, r, 2, u->name, x->st_text[sl]);
            put_num(x, ws, r, 3, u->index, x->st_num[sl]);
            put_num(x, ws, r, 4, lo, x->st_num[sl]);
            put_num(x, ws, r, 5, u->index - lo, x->st_num[sl]);
            r++;
        }
    }
    r++;
    put_str(x, ws, r++, 0, TR(d, "未能排名的单位及原因", "Units not ranked, and why"), x->bold);
    const char *h2[4] = {TR(d, "代码", "code"), TR(d, "名称", "name"),
                         TR(d, "数据覆盖率", "coverage"), TR(d, "原因", "reason")};
    headers(x, ws, r++, h2, 4);
    for (int pass = 0; pass < 2; pass++) {
        const egdi_report_unit *u = pass ? d->regions : d->units;
        size_t n = pass ? d->nregions : d->nunits;
        for (size_t i = 0; i < n && !x->e && r < XLSX_MAX_ROWS; i++) {
            if (u[i].rankable)
                continue;
            put_str(x, ws, r, 0, u[i].code, NULL);
            put_str(x, ws, r, 1, u[i].name, NULL);
            if (u[i].reason)
                put_num(x, ws, r, 2, u[i].coverage, x->num2);
            put_str(x, ws, r, 3, u[i].reason, NULL);
            r++;
        }
    }
    width(x, ws, 0, 0, 8);
    width(x, ws, 1, 1, 12);
    width(x, ws, 2, 2, 26);
    width(x, ws, 3, 5, 10);
}

/* ---- Survey ----------------------------------------------------------------- */

static void survey_sheet(xw *x, const egdi_report_data *d, lxw_worksheet *ws)
{
    const egdi_report_survey *sv = d->survey;
    lxw_row_t r = 0;
    size_t maxc = 2;
    if (sv->name)
        put_str(x, ws, r++, 0, sv->name, x->bold);
    for (size_t t = 0; t < sv->ntables && !x->e; t++) {
        const egdi_report_table *tb = &sv->tables[t];
        if ((uint64_t)r + tb->nrows + 3 > XLSX_MAX_ROWS) {
            x->limit = true;
            return;
        }
        if (r)
            r++;
        put_str(x, ws, r++, 0, tb->title, x->bold);
        if (tb->ncols > 16383) {
            x->limit = true;
            return;
        }
        headers(x, ws, r++, tb->headers, tb->ncols);
        lxw_format *nf = decimals_fmt(x, tb->decimals);
        for (size_t i = 0; i < tb->nrows && !x->e; i++, r++)
            for (size_t c = 0; c < tb->ncols; c++) {
                const egdi_report_cell *cell = &tb->cells[i * tb->ncols + c];
                if (cell->text)
                    put_str(x, ws, r, (lxw_col_t)c, cell->text, NULL);
                else if (cell->mark && *cell->mark && isfinite(cell->num)) {
                    /* as the page shows it: "0.366***" (a marked cell is
                     * read, not summed; the paper tables keep it a number) */
                    char mk[64];
                    int dc = tb->decimals < 0 ? 0 : tb->decimals > 10 ? 10 : tb->decimals;
                    snprintf(mk, sizeof mk, "%.*f%s", cell->whole ? 0 : dc,
                             cell->num, cell->mark);
                    put_str(x, ws, r, (lxw_col_t)c, mk, NULL);
                } else
                    put_num(x, ws, r, (lxw_col_t)c, cell->num, cell->whole ? x->intf : nf);
            }
        if (tb->ncols > maxc)
            maxc = tb->ncols;
    }
    if (sv->neigen && sv->eigen && !x->e) {
        if ((uint64_t)r + sv->neigen + 3 > XLSX_MAX_ROWS) {
            x->limit = true;
            return;
        }
        r++;
        put_str(x, ws, r++, 0, TR(d, "特征值", "Eigenvalues"), x->bold);
        const char *h[3] = {TR(d, "因子", "factor"), TR(d, "特征值", "eigenvalue"),
                            TR(d, "平行分析", "parallel analysis")};
        headers(x, ws, r++, h, sv->parallel ? 3 : 2);
        for (size_t i = 0; i < sv->neigen; i++, r++) {
            put_num(x, ws, r, 0, (double)(i + 1), x->intf);
            put_num(x, ws, r, 1, sv->eigen[i], x->num3);
            if (sv->parallel)
                put_num(x, ws, r, 2, sv->parallel[i], x->num3);
        }
    }
    if (sv->nitems && sv->nfactors && sv->loadings && !x->e) {
        if ((uint64_t)r + sv->nitems + 3 > XLSX_MAX_ROWS || sv->nfactors > 16000) {
            x->limit = true;
            return;
        }
        r++;
        put_str(x, ws, r++, 0, TR(d, "因子载荷", "Loadings"), x->bold);
        put_str(x, ws, r, 0, TR(d, "题项", "item"), x->head);
        for (size_t j = 0; j < sv->nfactors; j++) {
            char fb[32];
            snprintf(fb, sizeof fb, "F%zu", j + 1);
            put_str(x, ws, r, (lxw_col_t)(j + 1),
                    sv->factors && sv->factors[j] ? sv->factors[j] : fb, x->head);
        }
        r++;
        for (size_t i = 0; i < sv->nitems; i++, r++) {
            put_str(x, ws, r, 0, sv->items ? sv->items[i] : NULL, NULL);
            for (size_t j = 0; j < sv->nfactors; j++)
                put_num(x, ws, r, (lxw_col_t)(j + 1), sv->loadings[i * sv->nfactors + j],
                        x->num3);
        }
        if (sv->nfactors + 1 > maxc)
            maxc = sv->nfactors + 1;
    }
    width(x, ws, 0, 0, 28);
    width(x, ws, 1, (lxw_col_t)(maxc < 16000 ? maxc : 16000), 13);
}

/* ---- Method ----------------------------------------------------------------- */

static void method_sheet(xw *x, const egdi_report_data *d, lxw_worksheet *ws)
{
    const egdi_report_method *m = &d->method;
    lxw_row_t r = 0;
    put_str(x, ws, r++, 0, report_title(d), x->bold);
    struct {
        const char *k;
        const char *v;
    } kv[] = {
        {TR(d, "模型", "model"), m->model_name},
        {TR(d, "模型版本", "model version"), m->model_version},
        {TR(d, "模型哈希", "model hash"), m->model_hash},
        {TR(d, "程序版本", "program version"), m->program_version},
        {TR(d, "地区汇总方法", "region aggregation"), m->aggregation},
    };
    put_str(x, ws, r, 0, TR(d, "评估年度", "round"), x->bold);
    put_num(x, ws, r++, 1, d->round, x->intf);
    if (d->prev_round) {
        put_str(x, ws, r, 0, TR(d, "对比年度", "compared with"), x->bold);
        put_num(x, ws, r++, 1, d->prev_round, x->intf);
    }
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        put_str(x, ws, r, 0, kv[i].k, x->bold);
        put_str(x, ws, r++, 1, kv[i].v, NULL);
    }
    for (size_t i = 0; i < m->nnotes && r < XLSX_MAX_ROWS; i++) {
        put_str(x, ws, r, 0, TR(d, "数据提示", "note on the data"), x->bold);
        put_str(x, ws, r++, 1, m->notes[i], NULL);
    }
    if (m->nweights) {
        if ((uint64_t)r + m->nweights + 3 > XLSX_MAX_ROWS) {
            x->limit = true;
            return;
        }
        r++;
        put_str(x, ws, r++, 0, TR(d, "权重", "Weights"), x->bold);
        const char *h[5] = {TR(d, "代码", "code"), TR(d, "名称", "name"),
                            TR(d, "上级", "parent"), TR(d, "权重", "weight"),
                            TR(d, "有效权重", "effective weight")};
        headers(x, ws, r++, h, 5);
        for (size_t i = 0; i < m->nweights; i++, r++) {
            const egdi_report_weight *w = &m->weights[i];
            put_str(x, ws, r, 0, w->code, NULL);
            put_str(x, ws, r, 1, w->name, NULL);
            put_str(x, ws, r, 2, w->parent, NULL);
            put_num(x, ws, r, 3, w->weight, x->num4);
            put_num(x, ws, r, 4, w->effective, x->num4);
        }
    }
    if (d->nstages) {
        r++;
        put_str(x, ws, r++, 0, TR(d, "发展阶段", "Stage bands"), x->bold);
        const char *h[5] = {TR(d, "代码", "code"), TR(d, "名称", "name"),
                            TR(d, "下限（含）", "lower (incl.)"),
                            TR(d, "上限（不含）", "upper (excl.)"), TR(d, "颜色", "colour")};
        headers(x, ws, r++, h, 5);
        for (size_t s = 0; s < d->nstages; s++, r++) {
            char col[16];
            snprintf(col, sizeof col, "#%06lx", (unsigned long)(d->stages[s].colour & 0xffffff));
            put_str(x, ws, r, 0, d->stages[s].code, x->st_text[s]);
            put_str(x, ws, r, 1, egdi_report_stage_name(d, (int)s), x->st_text[s]);
            if (isfinite(d->stages[s].lower))
                put_num(x, ws, r, 2, d->stages[s].lower, x->st_num[s]);
            else
                put_str(x, ws, r, 2, "-∞", x->st_text[s]);
            if (isfinite(d->stages[s].upper))
                put_num(x, ws, r, 3, d->stages[s].upper, x->st_num[s]);
            else
                put_str(x, ws, r, 3, "∞", x->st_text[s]);
            put_str(x, ws, r, 4, col, x->st_text[s]);
        }
    }
    if (m->ninputs) {
        if ((uint64_t)r + m->ninputs + 3 > XLSX_MAX_ROWS) {
            x->limit = true;
            return;
        }
        r++;
        put_str(x, ws, r++, 0, TR(d, "输入文件", "Input files"), x->bold);
        const char *h[3] = {TR(d, "文件", "file"), "SHA-256", TR(d, "轮次", "round")};
        headers(x, ws, r++, h, 3);
        for (size_t i = 0; i < m->ninputs; i++, r++) {
            put_str(x, ws, r, 0, m->inputs[i].name, NULL);
            put_str(x, ws, r, 1, m->inputs[i].sha256, NULL);
            if (m->inputs[i].round)
                put_num(x, ws, r, 2, m->inputs[i].round, x->intf);
        }
    }
    width(x, ws, 0, 0, 24);
    width(x, ws, 1, 1, 36);
    width(x, ws, 2, 4, 14);
}

/* ---- the workbook ----------------------------------------------------------- */

static lxw_worksheet *sheet(xw *x, const char *name)
{
    if (x->e)
        return NULL;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws)
        ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a worksheet");
    return ws;
}

egdi_status report_xlsx_named(const egdi_report_data *d, const char *path, const char *shown,
                                egdi_error *err)
{
    egdi_status st = egdi_report_check(d, err);
    if (st)
        return st;
    if (!path)
        return egdi_error_set(err, EGDI_ERR_ARG, "report: no workbook path");
    if (!shown)
        shown = path;
    xw x;
    memset(&x, 0, sizeof x);
    errno = 0;
    x.wb = workbook_new(path);
    if (!x.wb && errno == ENOMEM)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "cannot write \"%s\": out of memory", shown);
    if (!x.wb)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": cannot start the workbook",
                              shown);
    make_formats(&x, d);

    lxw_col_t ic = 0;
    lxw_worksheet *ws = sheet(&x, "Ranking");
    if (ws) {
        size_t n = ranking_sheet(&x, d, ws, d->units, d->nunits, true, &ic);
        char title[160];
        snprintf(title, sizeof title, "%d %s %s", d->round, report_index(d),
                 TR(d, "排名", "ranking"));
        lxw_col_t last = (lxw_col_t)(ic + d->nsub + (d->prev_round ? 5 : 2) +
                                     (d->uncertainty ? 4 : 0));
        ranking_chart(&x, d, ws, "Ranking", d->units, n, ic, last, title);
    }
    ws = sheet(&x, "Regions");
    if (ws) {
        size_t n = ranking_sheet(&x, d, ws, d->regions, d->nregions, false, &ic);
        char title[160];
        snprintf(title, sizeof title, "%d %s %s", d->round, report_index(d),
                 TR(d, "地区排名", "ranking of regions"));
        lxw_col_t last = (lxw_col_t)(ic + d->nsub + (d->prev_round ? 5 : 2));
        ranking_chart(&x, d, ws, "Regions", d->regions, n, ic, last, title);
        region_chart(&x, d, ws, n, ic, last);
    }
    if ((d->nup || d->ndown) && (ws = sheet(&x, "Movers")))
        movers_sheet(&x, d, ws);
    if ((ws = sheet(&x, "Stages")))
        stages_sheet(&x, d, ws);
    if ((ws = sheet(&x, "Indicators")))
        indicators_sheet(&x, d, ws);

    if (d->survey && (ws = sheet(&x, "Survey")))
        survey_sheet(&x, d, ws);
    if ((ws = sheet(&x, "Method")))
        method_sheet(&x, d, ws);
    if ((ws = sheet(&x, "Matrix")))
        matrix_sheet(&x, d, ws);
    if ((ws = sheet(&x, "Flags")))
        flags_sheet(&x, d, ws);

    lxw_error e = x.e;
    bool limit = x.limit;
    errno = 0;
    lxw_error ce = workbook_close(x.wb); /* frees the workbook in every case */
    int sys = errno; /* what the zip writer's last system call said */
    bool nomem = e == LXW_ERROR_MEMORY_MALLOC_FAILED || ce == LXW_ERROR_MEMORY_MALLOC_FAILED ||
                 /* (its string table could not grow) */
                 e == LXW_ERROR_SHARED_STRING_INDEX_NOT_FOUND || sys == ENOMEM;
    if (limit)
        st = egdi_error_set(err, EGDI_ERR_LIMIT, "cannot write \"%s\": more rows than a "
                            "worksheet holds", shown);
    else if ((e != LXW_NO_ERROR || ce != LXW_NO_ERROR) && nomem)
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "cannot write \"%s\": out of memory", shown);
    else if (ce != LXW_NO_ERROR && sys == ENOSPC)
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": the disk is full", shown);
    else if (e != LXW_NO_ERROR)
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s (%s)", shown,
                            lxw_strerror(e), x.where ? x.where : "workbook");
    else if (ce != LXW_NO_ERROR)
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s%s%s", shown,
                            lxw_strerror(ce), errno ? ": " : "", errno ? strerror(errno) : "");
    if (st) {
        egdi_error_at(err, shown, NULL, 0, 0);
        struct stat sb;
        if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            unlink(path); /* never leave a half workbook */
    }
    return st;
}

egdi_status egdi_report_xlsx(const egdi_report_data *d, const char *path, egdi_error *err)
{
    return report_xlsx_named(d, path, path, err);
}
