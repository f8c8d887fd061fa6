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
 * Big reports (more than STREAM_UNITS units and regions, issue 20) are
 * written in libxlsxwriter's constant-memory mode: each row goes to a
 * temporary file (in the directory of the workbook) as soon as the next
 * one starts, and texts are written inline instead of into the shared
 * string table.  So every sheet writes its rows in order, top to bottom;
 * a cell written to a row already passed is an error, never lost.  The
 * indicator values are wide (one row per unit, one column per indicator:
 * Indicators the raw values, Sources where each came from, Matrix the
 * scores), from the one units x indicators table of grid.c.  With more
 * unit x indicator values than report_csv_cells(d) those three tables are
 * written whole as CSV files beside the workbook (report_csv_files), by a
 * second thread while this one writes and compresses the workbook, through
 * the same sheet functions (put_str / put_num write CSV fields when x->csv
 * is set), and their sheets hold a note and the top of the ranking.
 *
 * Errors: every lxw_error is checked.  The writer keeps the first one in
 * its context (xw.e) and stops at the next check; workbook_close() frees
 * the workbook on every path.  Memory: the workbook owns its sheets, formats
 * and charts; the point arrays given to charts are copied by libxlsxwriter
 * and freed here.
 */
#include "reports/report_private.h"

#include "engine/core/outfile.h"
#include "engine/core/value.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_CHART_BARS EGDI_CHART_MAX_BARS
#define XLSX_MAX_ROWS  1048575u /* data rows below one header row */
/* More units and regions than this: the workbook is written row by row in
 * constant memory (1,000 units x 30 indicators take about 20 MB the other
 * way; 50,000 took 1.75 GB for the first million cells, issue 20). */
#define STREAM_UNITS   5000u

typedef struct {
    lxw_workbook *wb;
    lxw_error e;            /* the first libxlsxwriter error */
    const char *where;      /* what was being written when it happened */
    bool limit;             /* a list does not fit in a sheet */
    bool stream;            /* constant-memory mode: rows written as they end */
    const lxw_worksheet *room_ws; /* the row whose room was checked last */
    lxw_row_t room_row;
    const egdi_progress *progress; /* told rows begun, of about span */
    uint64_t rows, span;
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
    /* (issue 20) the wide sheets: rows above the table (the note that the
     * full table is a CSV file) and the most unit rows shown (0 = all) */
    lxw_row_t top;
    size_t max_rows;
    /* a wide table written as CSV instead of a sheet (report_xlsx_csv):
     * every cell goes to csv, rows in order; cells skipped are empty
     * fields, and each row has the header's fields */
    FILE *csv;
    lxw_row_t csv_row;      /* the row being written */
    size_t csv_next;        /* its next field */
    size_t csv_fields;      /* the header's fields */
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
 * now (before each cell; in constant-memory mode before each row): the
 * block freed stays in the heap for the cell's (the row's) few small
 * allocations.
 * Otherwise the workbook stops with "out of memory".
 */
#define ROOM_BYTES (64 * 1024)
#define ROOM_TEXT 1024 /* a longer text is always checked */

static bool room(xw *x, const lxw_worksheet *ws, lxw_row_t r, size_t text)
{
    /* written row by row, a workbook holds one row of cells at a time:
     * the room is checked once per row (and for each long text), not
     * before each of 1.5 million cells (about 0.7 s at 50,000 units) */
    bool same_row = ws == x->room_ws && r == x->room_row;
    if (x->stream && same_row && text < ROOM_TEXT)
        return true;
    if (!same_row && ++x->rows % 1024 == 0 && x->progress) /* a new row: progress */
        egdi_progress_step(x->progress, x->rows < x->span ? x->rows : x->span - 1, x->span);
    x->room_ws = ws;
    x->room_row = r;
    void *p = malloc(ROOM_BYTES + 2 * text);
    if (p) {
        free(p);
        return true;
    }
    ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell");
    return false;
}

/* Ends the CSV row being written: the header's fields, a line break. */
static void csv_end_row(xw *x)
{
    if (x->csv_row == 0 && x->csv_next > x->csv_fields)
        x->csv_fields = x->csv_next;
    for (; x->csv_next < x->csv_fields; x->csv_next++)
        putc(',', x->csv);
    fputs("\r\n", x->csv);
    x->csv_next = 0;
}

/* Moves the CSV writer to field c of row r (rows and fields in order; a
 * row with nothing written is left out). */
static void csv_at(xw *x, lxw_row_t r, lxw_col_t c)
{
    if (r != x->csv_row) {
        csv_end_row(x);
        x->csv_row = r;
    }
    for (; x->csv_next < (size_t)c + 1; x->csv_next++)
        if (x->csv_next)
            putc(',', x->csv);
}

static void put_str(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *f)
{
    if (x->csv) {
        if (s && *s) {
            csv_at(x, r, c);
            egdi_outfile_csv_field(x->csv, s);
        }
        return;
    }
    if (x->e || !room(x, ws, r, s ? strlen(s) : 0))
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
    if (x->csv) {
        if (isfinite(v)) {
            char t[EGDI_VALUE_TEXT_MAX];
            size_t n = egdi_value_format(v, t);
            csv_at(x, r, c);
            fwrite(t, 1, n, x->csv);
        }
        return;
    }
    if (x->e || !room(x, ws, r, 0))
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

/* ---- the wide sheets: Indicators, Sources, Matrix (issue 20) ------------------ */

static int band_of(const egdi_report_data *d, double v)
{
    if (!isfinite(v))
        return -1;
    for (size_t s = 0; s < d->nstages; s++)
        if (v >= d->stages[s].lower && v < d->stages[s].upper)
            return (int)s;
    return -1;
}

/* The unit of grid row r: a unit, then a region. */
static const egdi_report_unit *grid_unit(const egdi_report_data *d, const report_grid *g,
                                         size_t r)
{
    return r < g->nunits ? &d->units[r] : &d->regions[r - g->nunits];
}

/* Whether grid row r is a sheet row: every unit, a region with values. */
static bool grid_shown(const report_grid *g, size_t r)
{
    return r < g->nunits || !report_grid_row_empty(g, r);
}

/* After a wide sheet's last row r - 1: a note, in bold two rows below,
 * of the values the table could not hold (never silently). */
static void grid_note(xw *x, const egdi_report_data *d, const report_grid *g,
                      lxw_worksheet *ws, lxw_row_t r)
{
    if (!g->outside || x->e || x->csv)
        return;
    char t[400];
    snprintf(t, sizeof t,
             TR(d, "注意：另有 %zu 个指标值不在本表中（指标超过 %d 列、单位不在排名中或重复）。",
                "Note: %zu indicator values are not in this table (more than %d indicators, "
                "a unit not in the ranking, or a repeated value)."),
             g->outside, REPORT_GRID_MAX_COLS);
    put_str(x, ws, r + 1, 0, t, x->bold);
}

/* The code, name and region columns of a wide sheet's row; returns the next column. */
static lxw_col_t unit_cols(xw *x, lxw_worksheet *ws, lxw_row_t r, const egdi_report_unit *u)
{
    put_str(x, ws, r, 0, u->code, NULL);
    put_str(x, ws, r, 1, u->name, NULL);
    put_str(x, ws, r, 2, u->region, NULL);
    return 3;
}

/* Whether a wide sheet whose first data row is first has room for row r
 * (x->max_rows rows at most, when set). */
static bool wide_more(const xw *x, lxw_row_t r, lxw_row_t first)
{
    return !x->max_rows || (size_t)(r - first) < x->max_rows;
}

/* Row 0 of a wide sheet whose full table is the CSV file `file`: what the
 * sheet holds, where the rest is, and why. */
static void wide_note(xw *x, const egdi_report_data *d, const report_grid *g,
                      lxw_worksheet *ws, const char *file)
{
    char t[800];
    snprintf(t, sizeof t,
             TR(d, "本表仅列出排名前 %zu 个单位。完整的表（%zu 行 × %zu 个指标）在与本工作簿同目录的 %s 中："
                   "单位 × 指标的值超过 %zu 个时，这些表作为数据文件（CSV，UTF-8）写出，而不放进工作表。",
                "This sheet lists the top %zu units of the ranking only. The full table (%zu rows "
                "x %zu indicators) is %s beside this workbook: with more than %zu unit x "
                "indicator values these tables are written as data files (CSV, UTF-8), not as "
                "sheets."),
             x->max_rows, g->nrows, g->ncols, file, report_csv_cells(d));
    put_str(x, ws, 0, 0, t, x->bold);
}

/* Indicators: one row per unit (ranking order, then the regions with
 * values), one column per indicator holding the raw value as imported
 * (Sources says where it came from, Matrix its score). */
static void indicators_sheet(xw *x, const egdi_report_data *d, const report_grid *g,
                             lxw_worksheet *ws)
{
    const lxw_col_t first = 3;
    const char *h[3] = {TR(d, "单位代码", "unit code"), TR(d, "单位名称", "unit"),
                        TR(d, "所属地区", "region")};
    const lxw_row_t top = x->top;
    headers(x, ws, top, h, 3);
    for (size_t c = 0; c < g->ncols; c++)
        put_str(x, ws, top, (lxw_col_t)(first + c), g->cols[c], x->head);
    if (g->nrows > XLSX_MAX_ROWS) {
        x->limit = true;
        return;
    }
    lxw_row_t r = top + 1;
    for (size_t i = 0; i < g->nrows && !x->e && wide_more(x, r, top + 1); i++) {
        if (!grid_shown(g, i))
            continue;
        unit_cols(x, ws, r, grid_unit(d, g, i));
        for (size_t c = 0; c < g->ncols; c++) {
            const egdi_report_indicator *e = report_grid_at(d, g, i, c);
            if (!e)
                continue;
            if (e->raw_text)
                put_str(x, ws, r, (lxw_col_t)(first + c), e->raw_text, NULL);
            else
                put_num(x, ws, r, (lxw_col_t)(first + c), e->raw, NULL);
        }
        r++;
    }
    grid_note(x, d, g, ws, r);
    if (x->csv)
        return;
    worksheet_freeze_panes(ws, top + 1, 2);
    width(x, ws, 0, 0, 12);
    width(x, ws, 1, 1, 22);
    width(x, ws, 2, 2, 14);
    if (g->ncols)
        width(x, ws, first, (lxw_col_t)(first + g->ncols - 1), 10);
    if (!x->e)
        ok(x, worksheet_autofilter(ws, top, 0, r > top + 1 ? r - 1 : top + 1,
                                   (lxw_col_t)(first + (g->ncols ? g->ncols - 1 : 0))),
           "the autofilter");
}

/* A source cell "FILE[!SHEET]!C5" cut into its place (FILE[!SHEET]), its
 * column letters and its row; false for any other text. */
typedef struct {
    const char *place;
    size_t nplace;
    const char *col;
    size_t ncol;
    unsigned long row;
} source_parts;

static bool source_split(const char *s, source_parts *o)
{
    if (!s)
        return false;
    const char *bang = strrchr(s, '!');
    if (!bang || bang == s)
        return false;
    const char *c = bang + 1, *q = c;
    while (*q >= 'A' && *q <= 'Z')
        q++;
    if (q == c || q - c > 3 || *q < '1' || *q > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long row = strtoul(q, &end, 10);
    if (*end || errno || row > XLSX_MAX_ROWS + 1)
        return false;
    *o = (source_parts){s, (size_t)(bang - s), c, (size_t)(q - c), row};
    return true;
}

static bool same_span(const char *a, size_t na, const char *b, size_t nb)
{
    return na == nb && memcmp(a, b, na) == 0;
}

/* Sources: where each value came from, compactly.  The rows of Indicators;
 * per unit its source file (and sheet) and source row; row 2 gives each
 * indicator's column in the source file.  A blank cell means "the unit's
 * file, the indicator's column, the unit's row" (metrics.xlsx!2024!C5); any
 * value from elsewhere has its source cell written out, and one whose
 * source was not recorded says so.  A unit without a value has a blank
 * cell here too (and in Indicators).  As a CSV file (one header row, no
 * row 2) every value's source cell is written out in full, and the unit's
 * file and row are those of its first value with a source cell. */
static void sources_sheet(xw *x, const egdi_report_data *d, const report_grid *g,
                          lxw_worksheet *ws)
{
    const lxw_col_t first = 5;
    const char *h[5] = {TR(d, "单位代码", "unit code"), TR(d, "单位名称", "unit"),
                        TR(d, "所属地区", "region"), TR(d, "来源文件", "source file"),
                        TR(d, "来源行", "source row")};
    const lxw_row_t top = x->top;
    const bool csv = x->csv != NULL;
    headers(x, ws, top, h, 5);
    for (size_t c = 0; c < g->ncols; c++)
        put_str(x, ws, top, (lxw_col_t)(first + c), g->cols[c], x->head);
    if (g->nrows + 1 > XLSX_MAX_ROWS) {
        x->limit = true;
        return;
    }
    /* each indicator's column: the one most of its values came from (when
     * more than half did: Boyer and Moore's majority vote, then a count) */
    source_parts col[REPORT_GRID_MAX_COLS];
    bool has_col[REPORT_GRID_MAX_COLS] = {false};
    size_t nvote = x->max_rows && x->max_rows < g->nrows ? x->max_rows : g->nrows;
    for (size_t c = 0; c < g->ncols && !csv; c++) {
        size_t votes = 0, n = 0, agree = 0;
        source_parts sp;
        for (size_t i = 0; i < nvote; i++) {
            const egdi_report_indicator *e = report_grid_at(d, g, i, c);
            if (!e || !source_split(e->source, &sp))
                continue;
            if (votes == 0) {
                col[c] = sp;
                votes = 1;
            } else {
                votes += same_span(sp.col, sp.ncol, col[c].col, col[c].ncol) ? 1 : (size_t)-1;
            }
        }
        for (size_t i = 0; i < nvote && votes; i++) {
            const egdi_report_indicator *e = report_grid_at(d, g, i, c);
            if (!e || !source_split(e->source, &sp))
                continue;
            n++;
            agree += same_span(sp.col, sp.ncol, col[c].col, col[c].ncol);
        }
        has_col[c] = votes && 2 * agree > n;
    }
    if (!csv)
        put_str(x, ws, top + 1, 0,
                TR(d, "各指标在来源文件中的列；下方空白单元格表示该值来自“来源文件!列+来源行”（如 "
                      "metrics.xlsx!2024!C5），其他来源逐格写出",
                   "each indicator's column in the source file; a blank cell below means the "
                   "value came from source file!column+source row (metrics.xlsx!2024!C5); any "
                   "other source is written out"),
                x->bold);
    for (size_t c = 0; c < g->ncols; c++)
        if (has_col[c]) {
            char t[8];
            snprintf(t, sizeof t, "%.*s", (int)col[c].ncol, col[c].col);
            put_str(x, ws, top + 1, (lxw_col_t)(first + c), t, x->head);
        }
    char place[1024];
    const lxw_row_t first_row = csv ? top + 1 : top + 2;
    lxw_row_t r = first_row;
    for (size_t i = 0; i < g->nrows && !x->e && wide_more(x, r, first_row); i++) {
        if (!grid_shown(g, i))
            continue;
        unit_cols(x, ws, r, grid_unit(d, g, i));
        /* the unit's file and row: those of its first value from its
         * indicator's column */
        source_parts up;
        bool has_up = false;
        for (size_t c = 0; c < g->ncols && !has_up; c++) {
            const egdi_report_indicator *e = report_grid_at(d, g, i, c);
            has_up = csv ? e && source_split(e->source, &up)
                         : has_col[c] && e && source_split(e->source, &up) &&
                               same_span(up.col, up.ncol, col[c].col, col[c].ncol);
        }
        if (has_up && up.nplace < sizeof place) {
            snprintf(place, sizeof place, "%.*s", (int)up.nplace, up.place);
            put_str(x, ws, r, 3, place, NULL);
            put_num(x, ws, r, 4, (double)up.row, x->intf);
        } else {
            has_up = false;
        }
        for (size_t c = 0; c < g->ncols; c++) {
            const egdi_report_indicator *e = report_grid_at(d, g, i, c);
            if (!e)
                continue;
            source_parts sp;
            if (!e->source && !e->raw_text && !isfinite(e->raw))
                continue; /* no value (Indicators is blank too) */
            if (!e->source)
                put_str(x, ws, r, (lxw_col_t)(first + c), TR(d, "（未记录）", "(not recorded)"),
                        NULL);
            else if (csv || !has_up || !has_col[c] || !source_split(e->source, &sp) ||
                     sp.row != up.row || !same_span(sp.place, sp.nplace, up.place, up.nplace) ||
                     !same_span(sp.col, sp.ncol, col[c].col, col[c].ncol))
                put_str(x, ws, r, (lxw_col_t)(first + c), e->source, NULL);
        }
        r++;
    }
    grid_note(x, d, g, ws, r);
    if (csv)
        return;
    worksheet_freeze_panes(ws, top + 2, 2);
    width(x, ws, 0, 0, 12);
    width(x, ws, 1, 1, 22);
    width(x, ws, 2, 2, 14);
    width(x, ws, 3, 3, 24);
    width(x, ws, 4, 4, 8);
    if (g->ncols)
        width(x, ws, first, (lxw_col_t)(first + g->ncols - 1), 8);
}

/* Matrix: one row per unit (ranking order, then the regions with values),
 * rank, code, name, region, index, stage, then the score of each
 * indicator, shaded by the stage band it falls in. */
static void matrix_sheet(xw *x, const egdi_report_data *d, const report_grid *g,
                         lxw_worksheet *ws)
{
    const lxw_col_t first = 6;
    const char *h[6] = {TR(d, "排名", "rank"), TR(d, "代码", "code"), TR(d, "名称", "name"),
                        TR(d, "所属地区", "region"), report_index(d), TR(d, "发展阶段", "stage")};
    const lxw_row_t top = x->top;
    headers(x, ws, top, h, 6);
    for (size_t c = 0; c < g->ncols; c++)
        put_str(x, ws, top, (lxw_col_t)(first + c), g->cols[c], x->head);
    if (g->nrows > XLSX_MAX_ROWS) {
        x->limit = true;
        return;
    }
    lxw_row_t r = top + 1;
    for (size_t i = 0; i < g->nrows && !x->e && wide_more(x, r, top + 1); i++) {
        if (!grid_shown(g, i))
            continue;
        const egdi_report_unit *u = grid_unit(d, g, i);
        size_t sl = stage_slot(d, u->stage);
        if (u->rank && u->rankable)
            put_num(x, ws, r, 0, u->rank, x->intf);
        put_str(x, ws, r, 1, u->code, NULL);
        put_str(x, ws, r, 2, u->name, NULL);
        put_str(x, ws, r, 3, u->region, NULL);
        put_num(x, ws, r, 4, u->index, x->st_num[sl]);
        put_str(x, ws, r, 5, u->rankable ? egdi_report_stage_name(d, u->stage) : u->reason,
                x->st_text[sl]);
        for (size_t c = 0; c < g->ncols; c++) {
            const egdi_report_indicator *e = report_grid_at(d, g, i, c);
            if (e)
                put_num(x, ws, r, (lxw_col_t)(first + c), e->score,
                        x->st_num[stage_slot(d, band_of(d, e->score))]);
        }
        r++;
    }
    grid_note(x, d, g, ws, r);
    if (x->csv)
        return;
    worksheet_freeze_panes(ws, top + 1, 3);
    width(x, ws, 0, 0, 6);
    width(x, ws, 1, 1, 12);
    width(x, ws, 2, 2, 24);
    width(x, ws, 3, 3, 10);
    width(x, ws, 4, 4, 8);
    width(x, ws, 5, 5, 14);
    if (g->ncols)
        width(x, ws, first, (lxw_col_t)(first + g->ncols - 1), 8);
    if (!x->e)
        ok(x, worksheet_autofilter(ws, top, 0, r > top + 1 ? r - 1 : top + 1,
                                   (lxw_col_t)(first + (g->ncols ? g->ncols - 1 : 0))),
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

lxw_error report_xlsx_close(lxw_workbook *wb)
{
    if (!wb)
        return LXW_NO_ERROR;
    void *room = malloc(REPORT_XLSX_CLOSE_ROOM);
    if (!room) {
        lxw_workbook_free(wb);
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    }
    free(room);
    return workbook_close(wb);
}

uint64_t report_xlsx_rows(const egdi_report_data *d)
{
    /* Ranking and Regions, then Indicators, Matrix and Sources (a row per
     * unit and region each), and the small sheets */
    uint64_t u = (uint64_t)d->nunits + d->nregions;
    return 4 * u + 64;
}

/* The wide tables as CSV files, in the order of report_csv_files. */
typedef void (*wide_table)(xw *, const egdi_report_data *, const report_grid *,
                           lxw_worksheet *);
static const wide_table wide_tables[REPORT_CSV_FILES] = {indicators_sheet, matrix_sheet,
                                                         sources_sheet};

/* dir of path (up to and with its last '/', or "") + name into buf. */
static bool beside(char *buf, size_t size, const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    int n = snprintf(buf, size, "%.*s%s", slash ? (int)(slash - path + 1) : 0, path, name);
    return n > 0 && (size_t)n < size;
}

/* Writes each wide table of g as report_csv_files[k] beside path (shown
 * names them in errors): a UTF-8 BOM, the sheet's header row, then every
 * row the sheet would have. */
static egdi_status wide_csv(const egdi_report_data *d, const report_grid *g, const char *path,
                            const char *shown, egdi_error *err)
{
    for (size_t k = 0; k < REPORT_CSV_FILES; k++) {
        char file[4096], named[4096];
        if (!beside(file, sizeof file, path, report_csv_files[k]) ||
            !beside(named, sizeof named, shown, report_csv_files[k]))
            return egdi_error_set(err, EGDI_ERR_LIMIT, "path too long: \"%s\"", shown);
        FILE *f = fopen(file, "wb");
        if (!f)
            return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", named,
                                  strerror(errno));
        /* a big buffer: a few million short fields */
        setvbuf(f, NULL, _IOFBF, 1u << 20);
        fputs("\xEF\xBB\xBF", f); /* UTF-8 BOM: Excel reads the Chinese right */
        xw c;
        memset(&c, 0, sizeof c);
        c.csv = f;
        wide_tables[k](&c, d, g, NULL);
        csv_end_row(&c);
        errno = 0;
        bool bad = ferror(f) != 0;
        int e = errno;
        if (fclose(f) != 0 && !bad) {
            bad = true;
            e = errno;
        }
        if (bad || c.e || c.limit) {
            unlink(file);
            if (c.limit)
                return egdi_error_set(err, EGDI_ERR_LIMIT, "cannot write \"%s\": more rows "
                                      "than a table of the report holds", named);
            return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", named,
                                  e == ENOSPC ? "the disk is full" : strerror(e ? e : EIO));
        }
    }
    return EGDI_OK;
}

/* The CSV tables, written by a second thread while this one writes and
 * compresses the workbook (they share d and the grid, read-only; no
 * progress is told from that thread). */
typedef struct {
    const egdi_report_data *d;
    const report_grid *g;
    const char *path, *shown;
    egdi_status st;
    egdi_error err;
} csv_job;

static void *csv_worker(void *arg)
{
    csv_job *j = arg;
    j->st = wide_csv(j->d, j->g, j->path, j->shown, &j->err);
    return NULL;
}

egdi_status report_xlsx_named(const egdi_report_data *d, const char *path, const char *shown,
                              const egdi_progress *progress, bool *csv, egdi_error *err)
{
    if (csv)
        *csv = false;
    egdi_status st = egdi_report_check(d, err);
    if (st)
        return st;
    if (!path)
        return egdi_error_set(err, EGDI_ERR_ARG, "report: no workbook path");
    if (!shown)
        shown = path;
    report_grid g;
    if (!report_grid_build(d, &g))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "cannot write \"%s\": out of memory", shown);
    /* a big workbook row by row, its temporary files beside it */
    char tmpdir[4096];
    const char *slash = strrchr(path, '/');
    int tn = slash ? snprintf(tmpdir, sizeof tmpdir, "%.*s", (int)(slash - path + 1), path)
                   : snprintf(tmpdir, sizeof tmpdir, ".");
    bool stream = d->nunits + d->nregions > STREAM_UNITS;
    lxw_workbook_options wo = {.constant_memory = stream,
                               .tmpdir = stream && tn > 0 && (size_t)tn < sizeof tmpdir ? tmpdir
                                                                                      : NULL};
    xw x;
    memset(&x, 0, sizeof x);
    errno = 0;
    x.wb = workbook_new_opt(path, &wo);
    if (!x.wb) {
        report_grid_release(&g);
        if (errno == ENOMEM)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "cannot write \"%s\": out of memory",
                                  shown);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": cannot start the workbook",
                              shown);
    }
    x.stream = stream;
    x.progress = progress;
    x.span = report_xlsx_rows(d);
    make_formats(&x, d);
    /* (issue 20) many unit x indicator values: the wide tables are CSV
     * files, and their sheets the top of the ranking under a note */
    bool wide = report_grid_csv(d, &g);
    csv_job job = {d, &g, path, shown, EGDI_OK, {0}};
    pthread_t csv_thread;
    bool threaded = false;
    if (wide) {
        x.top = 1;
        x.max_rows = report_top_units(d);
        egdi_error_clear(&job.err);
        threaded = pthread_create(&csv_thread, NULL, csv_worker, &job) == 0;
    }

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
    if ((ws = sheet(&x, "Indicators"))) {
        if (wide)
            wide_note(&x, d, &g, ws, report_csv_files[0]);
        indicators_sheet(&x, d, &g, ws);
    }

    if (d->survey && (ws = sheet(&x, "Survey")))
        survey_sheet(&x, d, ws);
    if ((ws = sheet(&x, "Method")))
        method_sheet(&x, d, ws);
    if ((ws = sheet(&x, "Matrix"))) {
        if (wide)
            wide_note(&x, d, &g, ws, report_csv_files[1]);
        matrix_sheet(&x, d, &g, ws);
    }
    if ((ws = sheet(&x, "Flags")))
        flags_sheet(&x, d, ws);
    if ((ws = sheet(&x, "Sources"))) {
        if (wide)
            wide_note(&x, d, &g, ws, report_csv_files[2]);
        sources_sheet(&x, d, &g, ws);
    }
    lxw_error e = x.e;
    bool limit = x.limit;
    errno = 0;
    lxw_error ce = report_xlsx_close(x.wb); /* frees the workbook in every case */
    int sys = errno; /* what the zip writer's last system call said */
    if (threaded)
        pthread_join(csv_thread, NULL);
    else if (wide && !e && !limit)
        csv_worker(&job); /* no thread: here */
    egdi_status cst = job.st;
    egdi_error cerr = job.err;
    report_grid_release(&g);
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
    if (!st && cst) {
        st = cst;
        if (err)
            *err = cerr;
    }
    if (st) {
        if (!cst)
            egdi_error_at(err, shown, NULL, 0, 0);
        struct stat sb;
        if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            unlink(path); /* never leave a half workbook */
        for (size_t k = 0; wide && k < REPORT_CSV_FILES; k++) {
            char file[4096];
            if (beside(file, sizeof file, path, report_csv_files[k]))
                unlink(file); /* nor a half table */
        }
    } else if (csv) {
        *csv = wide;
    }
    return st;
}

egdi_status egdi_report_xlsx(const egdi_report_data *d, const char *path, egdi_error *err)
{
    return report_xlsx_named(d, path, path, NULL, NULL, err);
}
