/*
 * scorecard.c - one page per department: the letter each department
 * receives with its result (egdi_scorecard_write, report.h).
 *
 * Data: everything comes from the report data (egdi_report_data); the
 * province figures a department is set against are the median (R type 7)
 * and the best of the rankable departments, per sub-index and per
 * indicator.  The three indicators where a point of improvement moves the
 * index most are ranked by effective weight x (100 - score): the points
 * the index would gain if the indicator reached 100, with the model's
 * effective weight (exact for arithmetic aggregation without re-weighting;
 * a first-order guide otherwise, as the page says).
 *
 * Files: DIR/.egdi-scorecards-XXXXXX receives index.html, one CODE.html
 * per department (a code that is not plain [A-Za-z0-9._-] gets
 * unit-NNNNN.html) and scorecards.xlsx; then DIR/scorecards (if any) is
 * moved aside and the staging directory renamed into its place.
 *
 * Memory: the comparison arrays (sc_ctx) are allocated once and freed
 * before returning.
 */
#include "reports/html_private.h"
#include "indicators/score.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "engine/core/dirs.h"

#define SC_PATH_MAX   4096
#define SC_MAX_COLS   400  /* indicators compared (the model's leaves) */
#define SC_IMPROVE    3    /* indicators named where improvement pays most */

typedef struct {
    const egdi_report_data *d;
    size_t ncols;
    const char *cols[SC_MAX_COLS];       /* indicator codes */
    const char *names[SC_MAX_COLS];      /* indicator names */
    double eff[SC_MAX_COLS];             /* effective weights (NAN = unknown) */
    double *score;                       /* nunits x ncols, NAN = none */
    double col_med[SC_MAX_COLS], col_best[SC_MAX_COLS];
    double sub_med[EGDI_REPORT_MAX_SUB + 1], sub_best[EGDI_REPORT_MAX_SUB + 1]; /* [0] = index */
    size_t nranked;                      /* rankable departments */
} sc_ctx;

/* Units sorted by code, to place each indicator row. */
typedef struct {
    const char *code;
    size_t row;
} code_row;

static int cmp_code_row(const void *a, const void *b)
{
    return strcmp(((const code_row *)a)->code, ((const code_row *)b)->code);
}

static egdi_status ctx_build(sc_ctx *c, const egdi_report_data *d, egdi_error *err)
{
    memset(c, 0, sizeof *c);
    c->d = d;
    for (size_t i = 0; i < d->nindicators; i++) {
        const char *code = d->indicators[i].indicator_code;
        size_t k = 0;
        while (code && k < c->ncols && strcmp(c->cols[k], code) != 0)
            k++;
        if (code && k == c->ncols && c->ncols < SC_MAX_COLS) {
            c->names[c->ncols] = d->indicators[i].indicator_name;
            c->cols[c->ncols++] = code;
        }
    }
    for (size_t k = 0; k < c->ncols; k++) {
        c->eff[k] = NAN;
        for (size_t w = 0; w < d->method.nweights; w++)
            if (d->method.weights[w].code && !strcmp(d->method.weights[w].code, c->cols[k]))
                c->eff[k] = d->method.weights[w].effective;
    }
    size_t n = d->nunits, nc = c->ncols ? c->ncols : 1;
    c->score = malloc((n ? n : 1) * nc * sizeof *c->score);
    code_row *by = malloc((n ? n : 1) * sizeof *by);
    double *work = malloc((n ? n : 1) * sizeof *work);
    double *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!c->score || !by || !work || !tmp) {
        free(by);
        free(work);
        free(tmp);
        free(c->score);
        c->score = NULL;
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory writing the scorecards");
    }
    for (size_t i = 0; i < n * nc; i++)
        c->score[i] = NAN;
    for (size_t i = 0; i < n; i++)
        by[i] = (code_row){d->units[i].code ? d->units[i].code : "", i};
    qsort(by, n, sizeof *by, cmp_code_row);
    for (size_t i = 0; i < d->nindicators; i++) {
        const egdi_report_indicator *e = &d->indicators[i];
        if (!e->unit_code || !e->indicator_code)
            continue;
        code_row key = {e->unit_code, 0};
        code_row *hit = n ? bsearch(&key, by, n, sizeof *by, cmp_code_row) : NULL;
        if (!hit)
            continue;
        for (size_t k = 0; k < c->ncols; k++)
            if (!strcmp(c->cols[k], e->indicator_code))
                c->score[hit->row * nc + k] = e->score;
    }
    /* the province: rankable departments only */
    for (size_t i = 0; i < n; i++)
        c->nranked += d->units[i].rankable;
    for (size_t k = 0; k < c->ncols; k++) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = d->units[i].rankable ? c->score[i * nc + k] : NAN;
        egdi_score_median_best(tmp, n, 1, work, &c->col_med[k], &c->col_best[k]);
    }
    for (size_t j = 0; j <= d->nsub; j++) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = !d->units[i].rankable ? NAN : j ? d->units[i].sub[j - 1] : d->units[i].index;
        egdi_score_median_best(tmp, n, 1, work, &c->sub_med[j], &c->sub_best[j]);
    }
    free(by);
    free(work);
    free(tmp);
    return EGDI_OK;
}

/* The file stem of unit i's page: its code when plain, else unit-NNNNN. */
static void stem(const egdi_report_unit *u, size_t i, char *buf, size_t size)
{
    const char *s = u->code ? u->code : "";
    bool plain = *s && strlen(s) < 64 && strncmp(s, "unit-", 5) != 0 && *s != '.';
    for (const char *q = s; *q && plain; q++)
        plain = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                (*q >= '0' && *q <= '9') || *q == '.' || *q == '_' || *q == '-';
    if (plain)
        snprintf(buf, size, "%s", s);
    else
        snprintf(buf, size, "unit-%05zu", i + 1);
}

/* The improvement candidates of unit i: column indices, best first. */
static size_t improve(const sc_ctx *c, size_t i, size_t out[SC_IMPROVE])
{
    size_t n = 0, nc = c->ncols ? c->ncols : 1;
    double gain[SC_IMPROVE];
    for (size_t k = 0; k < c->ncols; k++) {
        double sc = c->score[i * nc + k];
        if (!isfinite(sc) || !isfinite(c->eff[k]))
            continue;
        double g = c->eff[k] * (100 - sc);
        if (!(g > 0))
            continue;
        size_t at = n < SC_IMPROVE ? n++ : SC_IMPROVE;
        if (at == SC_IMPROVE) {
            if (g <= gain[SC_IMPROVE - 1])
                continue;
            at = SC_IMPROVE - 1;
        }
        while (at > 0 && gain[at - 1] < g) {
            gain[at] = gain[at - 1];
            out[at] = out[at - 1];
            at--;
        }
        gain[at] = g;
        out[at] = k;
    }
    return n;
}

/* ---- the page --------------------------------------------------------- */

static const char sc_css[] =
    "*{box-sizing:border-box}body{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\","
    "\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:900px;margin:16px auto;"
    "padding:0 12px;color:#222;font-size:14px;line-height:1.4}\n"
    "h1{font-size:20px;margin:0 0 2px}h2{font-size:15px;margin:12px 0 4px;"
    "border-bottom:1px solid #ccc;break-after:avoid}.meta{color:#555;margin:0}\n"
    ".kpi{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}.kpi div{border:1px solid #ccc;"
    "padding:4px 10px;min-width:7em}.kpi b{display:block;font-size:18px}\n"
    ".scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:13px}"
    "th,td{border:1px solid #ccc;padding:2px 6px}th{background:#eee}"
    "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    ".up{color:#1a7f37}.down{color:#c62828}\n"
    "@media print{@page{size:A4;margin:10mm}body{margin:0;max-width:none;font-size:9pt}"
    "table{font-size:8pt}th,td{padding:1px 4px}h1{font-size:14pt}h2{font-size:10.5pt;margin:6px 0 2px}"
    ".kpi b{font-size:12pt}nav{display:none}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void cell_num(report_page *p, double v, int dec)
{
    report_page_out(p, "<td class=\"n\">");
    report_page_num(p, v, dec);
    report_page_out(p, "</td>");
}

static void cell_change(report_page *p, double ch, int dec)
{
    if (!isfinite(ch)) {
        report_page_out(p, "<td class=\"n\"></td>");
        return;
    }
    if (ch > 0)
        report_page_outf(p, "<td class=\"n up\">+%.*f</td>", dec, ch);
    else if (ch < 0)
        report_page_outf(p, "<td class=\"n down\">&minus;%.*f</td>", dec, -ch);
    else
        report_page_outf(p, "<td class=\"n\">%.*f</td>", dec, 0.0);
}

static void page(report_page *p, const sc_ctx *c, size_t i)
{
    const egdi_report_data *d = c->d;
    const egdi_report_unit *u = &d->units[i];
    bool en = d->lang == EGDI_REPORT_EN;
    bool prev = d->prev_round && u->prev_rank;
    size_t nc = c->ncols ? c->ncols : 1;
    report_page_outf(p, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<title>", en ? "en" : "zh-CN");
    report_page_esc(p, report_page_name(u));
    report_page_outf(p, " %d</title>\n<style>\n%s</style>\n</head>\n<body>\n", d->round, sc_css);
    report_page_outf(p, "<nav><a href=\"index.html\">%s</a></nav>\n",
                     TR(d, "← 全部单位", "← all units"));
    report_page_out(p, "<h1>");
    report_page_esc(p, report_page_name(u));
    report_page_out(p, "</h1>\n<p class=\"meta\">");
    report_page_esc(p, u->code);
    if (u->region) {
        report_page_out(p, " · ");
        report_page_esc(p, u->region);
    }
    report_page_outf(p, TR(d, " · %s %d 年评估结果", " · %s, round %d"), report_title(d), d->round);
    report_page_out(p, "</p>\n<div class=\"kpi\">");
    report_page_outf(p, "<div>%s<b>", report_index(d));
    report_page_num(p, u->index, 2);
    report_page_outf(p, "</b></div><div>%s<b>", TR(d, "发展阶段", "stage"));
    report_page_esc(p, u->rankable ? egdi_report_stage_name(d, u->stage) : TR(d, "未排名", "not ranked"));
    report_page_outf(p, "</b></div><div>%s<b>", TR(d, "全省排名", "rank"));
    if (u->rank && u->rankable)
        report_page_outf(p, "%u / %zu", (unsigned)u->rank, c->nranked);
    else
        report_page_out(p, "&ndash;");
    report_page_out(p, "</b>");
    if (d->uncertainty && isfinite(u->rank_lo) && isfinite(u->rank_hi))
        report_page_outf(p, TR(d, "区间 %.4g–%.4g", "interval %.4g-%.4g"), u->rank_lo,
                         u->rank_hi);
    report_page_out(p, "</div>");
    if (prev) {
        long ch = (long)u->prev_rank - (long)u->rank;
        report_page_outf(p, TR(d, "<div>%d 年排名<b>%u</b></div>", "<div>rank in %d<b>%u</b></div>"),
                         d->prev_round, (unsigned)u->prev_rank);
        report_page_outf(p, "<div>%s<b class=\"%s\">%s%ld</b></div>", TR(d, "名次变化", "places"),
                         ch > 0 ? "up" : ch < 0 ? "down" : "", ch > 0 ? "+" : "", ch);
    }
    report_page_outf(p, "<div>%s<b>", TR(d, "数据覆盖率", "coverage"));
    if (isfinite(u->coverage))
        report_page_outf(p, "%.0f%%", 100 * u->coverage);
    report_page_out(p, "</b></div></div>\n");
    if (!u->rankable && u->reason) {
        report_page_outf(p, "<p>%s", TR(d, "未能排名：", "Not ranked: "));
        report_page_esc(p, u->reason);
        report_page_out(p, "</p>\n");
    }
    /* the index and sub-indices */
    report_page_outf(p, "<h2>%s</h2>\n<div class=\"scroll\"><table><thead><tr><th>%s</th><th>%d</th>",
                     TR(d, "指数与分指数", "Index and sub-indices"), TR(d, "指数", "index"), d->round);
    if (d->prev_round)
        report_page_outf(p, "<th>%d</th><th>%s</th>", d->prev_round, TR(d, "变化", "change"));
    report_page_outf(p, "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                     TR(d, "全省中位数", "province median"), TR(d, "全省最高", "province best"),
                     TR(d, "与中位数之差", "vs median"));
    for (size_t j = 0; j <= d->nsub; j++) {
        double v = j ? u->sub[j - 1] : u->index;
        double pv = prev ? (j ? u->prev_sub[j - 1] : u->prev_index) : NAN;
        report_page_out(p, "<tr><th>");
        report_page_esc(p, j ? d->sub_codes[j - 1] : report_index(d));
        report_page_out(p, "</th>");
        cell_num(p, v, 2);
        if (d->prev_round) {
            cell_num(p, pv, 2);
            cell_change(p, v - pv, 2);
        }
        cell_num(p, c->sub_med[j], 2);
        cell_num(p, c->sub_best[j], 2);
        cell_change(p, v - c->sub_med[j], 2);
        report_page_out(p, "</tr>\n");
    }
    report_page_out(p, "</tbody></table></div>\n");
    /* where a point pays most */
    size_t best[SC_IMPROVE];
    size_t nb = improve(c, i, best);
    report_page_outf(p, "<h2>%s</h2>\n", TR(d, "提升空间最大的三项指标", "Three indicators where improvement pays most"));
    if (nb) {
        report_page_outf(p, "<div class=\"scroll\"><table id=\"improve\"><thead><tr><th>%s</th>"
                            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                         TR(d, "指标", "indicator"), TR(d, "名称", "name"), TR(d, "得分", "score"),
                         TR(d, "每提高 1 分指数增加（有效权重）", "index gain per point (effective weight)"),
                         TR(d, "达到 100 分时指数增加", "index gain at 100"));
        for (size_t b = 0; b < nb; b++) {
            size_t k = best[b];
            double sc = c->score[i * nc + k];
            report_page_out(p, "<tr><td>");
            report_page_esc(p, c->cols[k]);
            report_page_out(p, "</td><td>");
            report_page_esc(p, c->names[k]);
            report_page_out(p, "</td>");
            cell_num(p, sc, 1);
            cell_num(p, c->eff[k], 4);
            cell_num(p, c->eff[k] * (100 - sc), 2);
            report_page_out(p, "</tr>\n");
        }
        report_page_outf(p, "</tbody></table></div>\n<p class=\"meta\">%s</p>\n",
                         TR(d, "按“有效权重 × (100 − 得分)”排序：该指标达到满分时指数最多可增加的分数"
                               "（加权算术平均下精确；几何平均或缺项重新加权时为近似）。",
                            "Ranked by effective weight x (100 - score): the most the index gains "
                            "when the indicator reaches 100 (exact for a weighted arithmetic mean; "
                            "approximate under geometric aggregation or re-weighting)."));
    } else {
        report_page_outf(p, "<p>%s</p>\n", TR(d, "无（无指标得分或权重）。", "None (no indicator scores or weights)."));
    }
    /* every indicator against the province */
    report_page_outf(p, "<h2>%s</h2>\n<div class=\"scroll\"><table><thead><tr><th>%s</th><th>%s</th>"
                        "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                     TR(d, "各项指标", "Indicators"), TR(d, "指标", "indicator"), TR(d, "名称", "name"),
                     TR(d, "得分", "score"), TR(d, "全省中位数", "province median"),
                     TR(d, "全省最高", "province best"), TR(d, "与中位数之差", "vs median"));
    for (size_t k = 0; k < c->ncols && !p->bad; k++) {
        double sc = c->score[i * nc + k];
        if (!isfinite(sc) && !isfinite(c->col_med[k]))
            continue; /* no department has it (a region's indicator) */
        report_page_out(p, "<tr><td>");
        report_page_esc(p, c->cols[k]);
        report_page_out(p, "</td><td>");
        report_page_esc_max(p, c->names[k], 24);
        report_page_out(p, "</td>");
        if (isfinite(sc))
            cell_num(p, sc, 1);
        else
            report_page_outf(p, "<td>%s</td>", TR(d, "无数据", "no data"));
        cell_num(p, c->col_med[k], 1);
        cell_num(p, c->col_best[k], 1);
        cell_change(p, sc - c->col_med[k], 1);
        report_page_out(p, "</tr>\n");
    }
    report_page_outf(p, "</tbody></table></div>\n<p class=\"meta\">%s</p>\n</body>\n</html>\n",
                     TR(d, "全省中位数与最高值取自全部可排名部门。",
                        "Province median and best: over every ranked department."));
}

static void index_page(report_page *p, const sc_ctx *c, char (*stems)[80])
{
    const egdi_report_data *d = c->d;
    report_page_outf(p, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<title>%s %d</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
                     d->lang == EGDI_REPORT_EN ? "en" : "zh-CN", TR(d, "单位评估结果单", "Scorecards"),
                     d->round, sc_css);
    report_page_esc(p, report_title(d));
    report_page_outf(p, TR(d, " · %d 年单位评估结果单</h1>\n", ", round %d: scorecards</h1>\n"), d->round);
    report_page_outf(p, "<p class=\"meta\">%s</p>\n",
                     TR(d, "每个单位一页，可直接打印（A4）；scorecards.xlsx 每个单位一个工作表。",
                        "One page per unit, printable on A4; scorecards.xlsx has a sheet per unit."));
    report_page_outf(p, "<div class=\"scroll\"><table id=\"scorecards\"><thead><tr><th>%s</th><th>%s</th>"
                        "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                     TR(d, "排名", "rank"), TR(d, "代码", "code"), TR(d, "名称", "name"),
                     TR(d, "所属地区", "region"), report_index(d));
    for (size_t i = 0; i < d->nunits && !p->bad; i++) {
        const egdi_report_unit *u = &d->units[i];
        report_page_out(p, "<tr><td class=\"n\">");
        if (u->rank && u->rankable)
            report_page_outf(p, "%u", (unsigned)u->rank);
        else
            report_page_out(p, "&ndash;");
        report_page_out(p, "</td><td>");
        report_page_esc(p, u->code);
        report_page_out(p, "</td><td><a href=\"");
        report_page_esc(p, stems[i]);
        report_page_out(p, ".html\">");
        report_page_esc(p, report_page_name(u));
        report_page_out(p, "</a></td><td>");
        report_page_esc(p, u->region);
        report_page_out(p, "</td>");
        cell_num(p, u->index, 2);
        report_page_out(p, "</tr>\n");
    }
    report_page_out(p, "</tbody></table></div>\n</body>\n</html>\n");
}

/* ---- the workbook ------------------------------------------------------ */

static bool xok(lxw_error *first, lxw_error e)
{
    if (e != LXW_NO_ERROR && *first == LXW_NO_ERROR)
        *first = e;
    return *first == LXW_NO_ERROR;
}

static void xnum(lxw_error *e, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col, double v,
                 lxw_format *f)
{
    if (isfinite(v))
        xok(e, worksheet_write_number(ws, r, col, v, f));
}

static void xstr(lxw_error *e, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col, const char *s,
                 lxw_format *f)
{
    if (s && *s)
        xok(e, worksheet_write_string(ws, r, col, s, f));
}

static egdi_status workbook(const sc_ctx *c, const char *path, const char *shown,
                            egdi_error *err)
{
    const egdi_report_data *d = c->d;
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": cannot start the workbook",
                              shown);
    lxw_error e = LXW_NO_ERROR;
    lxw_format *bold = workbook_add_format(wb), *n2 = workbook_add_format(wb);
    if (bold)
        format_set_bold(bold);
    if (n2)
        format_set_num_format(n2, "0.00");
    size_t nc = c->ncols ? c->ncols : 1;
    lxw_worksheet *ix = workbook_add_worksheet(wb, "Index");
    if (!ix)
        xok(&e, LXW_ERROR_MEMORY_MALLOC_FAILED);
    const char *ih[5] = {TR(d, "排名", "rank"), TR(d, "代码", "code"), TR(d, "名称", "name"),
                         TR(d, "工作表", "sheet"), report_index(d)};
    for (lxw_col_t k = 0; ix && k < 5; k++)
        xstr(&e, ix, 0, k, ih[k], bold);
    for (size_t i = 0; i < d->nunits && e == LXW_NO_ERROR; i++) {
        const egdi_report_unit *u = &d->units[i];
        char name[32];
        const char *code = u->code ? u->code : "";
        snprintf(name, sizeof name, "%s", code);
        if (strlen(code) > 31 || !*code || workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
            snprintf(name, sizeof name, "U%05zu", i + 1);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws) {
            xok(&e, LXW_ERROR_MEMORY_MALLOC_FAILED);
            break;
        }
        lxw_row_t r = (lxw_row_t)(i + 1);
        if (u->rank && u->rankable)
            xnum(&e, ix, r, 0, u->rank, NULL);
        xstr(&e, ix, r, 1, code, NULL);
        xstr(&e, ix, r, 2, u->name, NULL);
        xstr(&e, ix, r, 3, name, NULL);
        xnum(&e, ix, r, 4, u->index, n2);
        /* the unit's sheet: key figures, then indices, then indicators */
        lxw_row_t w = 0;
        xstr(&e, ws, w, 0, report_page_name(u), bold);
        xstr(&e, ws, w++, 1, code, NULL);
        xstr(&e, ws, w, 0, TR(d, "所属地区", "region"), bold);
        xstr(&e, ws, w++, 1, u->region, NULL);
        xstr(&e, ws, w, 0, report_index(d), bold);
        xnum(&e, ws, w++, 1, u->index, n2);
        xstr(&e, ws, w, 0, TR(d, "发展阶段", "stage"), bold);
        xstr(&e, ws, w++, 1, u->rankable ? egdi_report_stage_name(d, u->stage) : u->reason, NULL);
        xstr(&e, ws, w, 0, TR(d, "全省排名", "rank"), bold);
        if (u->rank && u->rankable)
            xnum(&e, ws, w, 1, u->rank, NULL);
        w++;
        if (d->uncertainty && isfinite(u->rank_lo) && isfinite(u->rank_hi)) {
            xstr(&e, ws, w, 0, TR(d, "排名区间", "rank interval"), bold);
            xnum(&e, ws, w, 1, u->rank_lo, NULL);
            xnum(&e, ws, w++, 2, u->rank_hi, NULL);
        }
        if (d->prev_round && u->prev_rank) {
            xstr(&e, ws, w, 0, TR(d, "上期排名", "previous rank"), bold);
            xnum(&e, ws, w++, 1, u->prev_rank, NULL);
        }
        xstr(&e, ws, w, 0, TR(d, "数据覆盖率", "coverage"), bold);
        xnum(&e, ws, w++, 1, u->coverage, n2);
        w++;
        const char *h1[6] = {TR(d, "指数", "index"), TR(d, "本期", "this round"),
                             TR(d, "上期", "previous round"), TR(d, "全省中位数", "province median"),
                             TR(d, "全省最高", "province best"), TR(d, "与中位数之差", "vs median")};
        for (lxw_col_t k = 0; k < 6; k++)
            xstr(&e, ws, w, k, h1[k], bold);
        w++;
        bool prev = d->prev_round && u->prev_rank;
        for (size_t j = 0; j <= d->nsub; j++, w++) {
            double v = j ? u->sub[j - 1] : u->index;
            xstr(&e, ws, w, 0, j ? d->sub_codes[j - 1] : report_index(d), NULL);
            xnum(&e, ws, w, 1, v, n2);
            if (prev)
                xnum(&e, ws, w, 2, j ? u->prev_sub[j - 1] : u->prev_index, n2);
            xnum(&e, ws, w, 3, c->sub_med[j], n2);
            xnum(&e, ws, w, 4, c->sub_best[j], n2);
            xnum(&e, ws, w, 5, v - c->sub_med[j], n2);
        }
        w++;
        const char *h2[7] = {TR(d, "指标", "indicator"), TR(d, "名称", "name"), TR(d, "得分", "score"),
                             TR(d, "全省中位数", "province median"), TR(d, "全省最高", "province best"),
                             TR(d, "有效权重", "effective weight"),
                             TR(d, "达到 100 分时指数增加", "index gain at 100")};
        for (lxw_col_t k = 0; k < 7; k++)
            xstr(&e, ws, w, k, h2[k], bold);
        w++;
        for (size_t k = 0; k < c->ncols && e == LXW_NO_ERROR; k++) {
            double sc = c->score[i * nc + k];
            if (!isfinite(sc) && !isfinite(c->col_med[k]))
                continue; /* no department has it (a region's indicator) */
            xstr(&e, ws, w, 0, c->cols[k], NULL);
            xstr(&e, ws, w, 1, c->names[k], NULL);
            xnum(&e, ws, w, 2, sc, n2);
            xnum(&e, ws, w, 3, c->col_med[k], n2);
            xnum(&e, ws, w, 4, c->col_best[k], n2);
            xnum(&e, ws, w, 5, c->eff[k], NULL);
            xnum(&e, ws, w, 6, c->eff[k] * (100 - sc), n2);
            w++;
        }
        xok(&e, worksheet_set_column(ws, 0, 0, 16, NULL));
        xok(&e, worksheet_set_column(ws, 1, 1, 28, NULL));
        xok(&e, worksheet_set_column(ws, 2, 6, 12, NULL));
    }
    lxw_error ce = workbook_close(wb);
    if (e == LXW_NO_ERROR)
        e = ce;
    if (e != LXW_NO_ERROR)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", shown, lxw_strerror(e));
    return EGDI_OK;
}

/* ---- everything -------------------------------------------------------- */

/* buf = a/b (b a printf format of one string); EGDI_ERR_LIMIT when too long. */
static egdi_status path_of(char *buf, size_t size, const char *a, const char *b, const char *name,
                           egdi_error *err)
{
    int n = snprintf(buf, size, "%s/%s%s", a, b, name);
    if (n < 0 || (size_t)n >= size)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "path too long: \"%s/%s%s\"", a, b, name);
    return EGDI_OK;
}

static egdi_status write_page(const char *path, const char *shown, const sc_ctx *c, size_t i,
                              char (*stems)[80], egdi_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", shown, strerror(errno));
    report_page p = {f, false, false, c->d};
    if (stems)
        index_page(&p, c, stems);
    else
        page(&p, c, i);
    if (fflush(f) != 0 || ferror(f))
        p.bad = true;
    if (fclose(f) != 0)
        p.bad = true;
    if (p.bad)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", shown,
                              strerror(errno ? errno : EIO));
    return EGDI_OK;
}

egdi_status egdi_scorecard_write(const egdi_report_data *d, const char *dir,
                                 egdi_scorecard_result *res, egdi_error *err)
{
    egdi_status st = egdi_report_check(d, err);
    if (st)
        return st;
    if (!dir || !*dir)
        return egdi_error_set(err, EGDI_ERR_ARG, "scorecards: no output directory");
    char stage[SC_PATH_MAX], final[SC_PATH_MAX], old[SC_PATH_MAX], path[SC_PATH_MAX],
        shown[SC_PATH_MAX];
    int n1 = snprintf(stage, sizeof stage, "%s/.egdi-scorecards-XXXXXX", dir);
    int n2 = snprintf(final, sizeof final, "%s/scorecards", dir);
    int n3 = snprintf(old, sizeof old, "%s/.egdi-scorecards-old", dir);
    if (n1 < 0 || n2 < 0 || n3 < 0 || (size_t)n1 >= sizeof stage || (size_t)n3 >= sizeof old)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "path too long: \"%s\"", dir);
    sc_ctx c;
    if ((st = ctx_build(&c, d, err)))
        return st;
    char(*stems)[80] = calloc(d->nunits ? d->nunits : 1, sizeof *stems);
    if (!stems) {
        free(c.score);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory writing the scorecards");
    }
    if (!mkdtemp(stage)) {
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", final, strerror(errno));
        free(stems);
        free(c.score);
        return st;
    }
    for (size_t i = 0; i < d->nunits && !st; i++) {
        stem(&d->units[i], i, stems[i], sizeof stems[i]);
        if (!(st = path_of(path, sizeof path, stage, stems[i], ".html", err)) &&
            !(st = path_of(shown, sizeof shown, final, stems[i], ".html", err)))
            st = write_page(path, shown, &c, i, NULL, err);
    }
    if (!st && !(st = path_of(path, sizeof path, stage, "index", ".html", err)) &&
        !(st = path_of(shown, sizeof shown, final, "index", ".html", err)))
        st = write_page(path, shown, &c, 0, stems, err);
    if (!st && !(st = path_of(path, sizeof path, stage, "scorecards", ".xlsx", err)) &&
        !(st = path_of(shown, sizeof shown, final, "scorecards", ".xlsx", err)))
        st = workbook(&c, path, shown, err);
    if (!st) { /* publish: the old set aside, the new in place, the old removed */
        struct stat sb;
        bool had = lstat(final, &sb) == 0;
        egdi_dir_remove(old, NULL);
        if (had && rename(final, old) != 0)
            st = egdi_error_set(err, EGDI_ERR_IO, "cannot replace \"%s\": %s", final,
                                strerror(errno));
        else if (rename(stage, final) != 0) {
            st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", final,
                                strerror(errno));
            if (had)
                rename(old, final);
        } else if (had) {
            egdi_dir_remove(old, NULL);
        }
    }
    if (st)
        egdi_dir_remove(stage, NULL);
    else if (res)
        res->units = d->nunits;
    free(stems);
    free(c.score);
    return st;
}
