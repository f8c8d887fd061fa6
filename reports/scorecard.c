/*
 * scorecard.c - one page per unit: the letter each department and each
 * region receives with its result (egdi_scorecard_write, report.h).
 *
 * Data: everything comes from the report data (egdi_report_data).  The
 * departments and the regions go through the same code (sc_ctx, built
 * once for each kind): a unit is set against the median (R type 7) and the
 * best of the rankable units of its own kind, per sub-index and per
 * indicator, and shows each indicator's score in the compared round and
 * the change.  The three indicators where a point of improvement moves the
 * index most are ranked by effective weight x (100 - score): the points
 * the index would gain if the indicator reached 100, with the unit's own
 * effective weight (egdi_report_indicator.weight: after re-weighting, a
 * region's own part; exact for arithmetic aggregation, a first-order guide
 * otherwise, as the page says).  A region's page also counts its
 * departments by stage (egdi_report_stage_counts).
 *
 * Files: DIR/.egdi-scorecards-XXXXXX receives index.html, one CODE.html
 * per unit (a code that is not plain [A-Za-z0-9._-] gets unit-NNNNN.html,
 * region-NNNNN.html for a region) and scorecards.xlsx; then
 * DIR/scorecards (if any) is moved aside and the staging directory renamed
 * into its place.
 *
 * Memory: the comparison arrays (sc_ctx) are allocated once per kind and
 * freed before returning.
 */
#include "reports/html_private.h"
#include "indicators/score.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "engine/core/dirs.h"

#define SC_PATH_MAX   4096
#define SC_MAX_COLS   400  /* indicators compared (the model's leaves) */
#define SC_IMPROVE    3    /* indicators named where improvement pays most */

typedef struct {
    const egdi_report_data *d;
    const egdi_report_unit *units;       /* d->units or d->regions */
    size_t nunits;
    bool regions;                        /* the regions' cards */
    size_t ncols;
    const char *cols[SC_MAX_COLS];       /* indicator codes */
    const char *names[SC_MAX_COLS];      /* indicator names */
    double meff[SC_MAX_COLS];            /* the model's effective weights (NAN = unknown) */
    double *score, *prev, *eff;          /* nunits x ncols each, NAN = none */
    double col_med[SC_MAX_COLS], col_best[SC_MAX_COLS];
    double sub_med[EGDI_REPORT_MAX_SUB + 1], sub_best[EGDI_REPORT_MAX_SUB + 1]; /* [0] = index */
    size_t nranked;                      /* rankable units of the kind */
    char (*stems)[80];                   /* each unit's file stem */
    egdi_report_unit *work;              /* regions: room for a region's departments */
} sc_ctx;

/* Progress: a page or a sheet done, of every page and sheet. */
typedef struct {
    const egdi_progress *progress;
    uint64_t done, total;
} sc_steps;

static void step(sc_steps *k)
{
    k->done++;
    if (k->done % 16 == 0 || k->done == k->total)
        egdi_progress_step(k->progress, k->done, k->total);
}

/* Units sorted by code, to place each indicator row. */
typedef struct {
    const char *code;
    size_t row;
} code_row;

static int cmp_code_row(const void *a, const void *b)
{
    return strcmp(((const code_row *)a)->code, ((const code_row *)b)->code);
}

static void ctx_free(sc_ctx *c)
{
    free(c->score);
    free(c->prev);
    free(c->eff);
    free(c->stems);
    free(c->work);
    c->score = c->prev = c->eff = NULL;
    c->stems = NULL;
    c->work = NULL;
}

static void stem(const egdi_report_unit *u, size_t i, bool region, char *buf, size_t size);

/* The cards of one kind: units[0..n) of d (d->units or d->regions). */
static egdi_status ctx_build(sc_ctx *c, const egdi_report_data *d, const egdi_report_unit *units,
                             size_t n, bool regions, egdi_error *err)
{
    memset(c, 0, sizeof *c);
    c->d = d;
    c->units = units;
    c->nunits = n;
    c->regions = regions;
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
        c->meff[k] = NAN;
        for (size_t w = 0; w < d->method.nweights; w++)
            if (d->method.weights[w].code && !strcmp(d->method.weights[w].code, c->cols[k]))
                c->meff[k] = d->method.weights[w].effective;
    }
    size_t nc = c->ncols ? c->ncols : 1, nn = n ? n : 1;
    c->score = malloc(nn * nc * sizeof *c->score);
    c->prev = malloc(nn * nc * sizeof *c->prev);
    c->eff = malloc(nn * nc * sizeof *c->eff);
    c->stems = calloc(nn, sizeof *c->stems);
    if (regions)
        c->work = malloc((d->nunits ? d->nunits : 1) * sizeof *c->work);
    code_row *by = malloc(nn * sizeof *by);
    double *work = malloc(nn * sizeof *work);
    double *tmp = malloc(nn * sizeof *tmp);
    if (!c->score || !c->prev || !c->eff || !c->stems || (regions && !c->work) || !by || !work ||
        !tmp) {
        free(by);
        free(work);
        free(tmp);
        ctx_free(c);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory writing the scorecards");
    }
    for (size_t i = 0; i < n * nc; i++)
        c->score[i] = c->prev[i] = c->eff[i] = NAN;
    for (size_t i = 0; i < n; i++) {
        by[i] = (code_row){units[i].code ? units[i].code : "", i};
        stem(&units[i], i, regions, c->stems[i], sizeof c->stems[i]);
    }
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
            if (!strcmp(c->cols[k], e->indicator_code)) {
                size_t at = hit->row * nc + k;
                c->score[at] = e->score;
                c->prev[at] = d->prev_round ? e->prev_score : NAN;
                /* the unit's own weight; the model's (a department's) when
                 * the data do not say */
                c->eff[at] = isfinite(e->weight) && e->weight > 0 ? e->weight
                             : regions                           ? NAN
                                                                 : c->meff[k];
            }
    }
    /* the comparison: the rankable units of the kind */
    for (size_t i = 0; i < n; i++)
        c->nranked += units[i].rankable;
    for (size_t k = 0; k < c->ncols; k++) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = units[i].rankable ? c->score[i * nc + k] : NAN;
        egdi_score_median_best(tmp, n, 1, work, &c->col_med[k], &c->col_best[k]);
    }
    for (size_t j = 0; j <= d->nsub; j++) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = !units[i].rankable ? NAN : j ? units[i].sub[j - 1] : units[i].index;
        egdi_score_median_best(tmp, n, 1, work, &c->sub_med[j], &c->sub_best[j]);
    }
    free(by);
    free(work);
    free(tmp);
    return EGDI_OK;
}

/* The file stem of unit i's page: its code when plain, else unit-NNNNN
 * (region-NNNNN for a region). */
static void stem(const egdi_report_unit *u, size_t i, bool region, char *buf, size_t size)
{
    const char *s = u->code ? u->code : "";
    bool plain = *s && strlen(s) < 64 && strncmp(s, "unit-", 5) != 0 &&
                 strncmp(s, "region-", 7) != 0 && strcmp(s, "index") != 0 && *s != '.';
    for (const char *q = s; *q && plain; q++)
        plain = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                (*q >= '0' && *q <= '9') || *q == '.' || *q == '_' || *q == '-';
    if (plain)
        snprintf(buf, size, "%s", s);
    else
        snprintf(buf, size, "%s-%05zu", region ? "region" : "unit", i + 1);
}

/* The improvement candidates of unit i: column indices, best first. */
static size_t improve(const sc_ctx *c, size_t i, size_t out[SC_IMPROVE])
{
    size_t n = 0, nc = c->ncols ? c->ncols : 1;
    double gain[SC_IMPROVE];
    for (size_t k = 0; k < c->ncols; k++) {
        double sc = c->score[i * nc + k], w = c->eff[i * nc + k];
        if (!isfinite(sc) || !isfinite(w))
            continue;
        double g = w * (100 - sc);
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

/* A region's departments by stage (this round), as a one-row table. */
static void departments(report_page *p, const sc_ctx *c, const egdi_report_unit *u)
{
    const egdi_report_data *d = c->d;
    size_t n = 0, counts[EGDI_REPORT_MAX_STAGES + 1];
    for (size_t i = 0; i < d->nunits; i++)
        if (egdi_report_in_region(&d->units[i], u))
            c->work[n++] = d->units[i];
    report_page_outf(p, "<h2>%s</h2>\n", TR(d, "所辖部门", "Its departments"));
    if (!n) {
        report_page_outf(p, "<p>%s</p>\n", TR(d, "无（本轮没有该地区的部门）。",
                                              "None (no department of this region this round)."));
        return;
    }
    egdi_report_stage_counts(d, c->work, n, counts, NULL, NULL);
    report_page_outf(p, "<div class=\"scroll\"><table id=\"departments\"><thead><tr><th>%s</th>",
                     TR(d, "部门数", "departments"));
    for (size_t s = 0; s < d->nstages; s++) {
        report_page_out(p, "<th>");
        report_page_esc(p, egdi_report_stage_name(d, (int)s));
        report_page_out(p, "</th>");
    }
    report_page_outf(p, "<th>%s</th></tr></thead><tbody>\n<tr><td class=\"n\">%zu</td>",
                     TR(d, "未排名", "not ranked"), n);
    for (size_t s = 0; s <= d->nstages; s++)
        report_page_outf(p, "<td class=\"n\">%zu</td>", counts[s]);
    report_page_out(p, "</tr>\n</tbody></table></div>\n");
}

/* The labels that differ between a department's card and a region's. */
static const char *lbl_rank(const sc_ctx *c)
{
    return c->regions ? TR(c->d, "地区排名", "rank among regions") : TR(c->d, "全省排名", "rank");
}

static const char *lbl_med(const sc_ctx *c)
{
    return c->regions ? TR(c->d, "各地区中位数", "regions' median")
                      : TR(c->d, "全省中位数", "province median");
}

static const char *lbl_best(const sc_ctx *c)
{
    return c->regions ? TR(c->d, "各地区最高", "regions' best") : TR(c->d, "全省最高", "province best");
}

static void page(report_page *p, const sc_ctx *c, size_t i)
{
    const egdi_report_data *d = c->d;
    const egdi_report_unit *u = &c->units[i];
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
    } else if (c->regions) {
        report_page_outf(p, " · %s", TR(d, "地区", "region"));
    }
    report_page_outf(p, TR(d, " · %s %d 年评估结果", " · %s, round %d"), report_title(d), d->round);
    report_page_out(p, "</p>\n<div class=\"kpi\">");
    report_page_outf(p, "<div>%s<b>", report_index(d));
    report_page_num(p, u->index, 2);
    report_page_outf(p, "</b></div><div>%s<b>", TR(d, "发展阶段", "stage"));
    report_page_esc(p, u->rankable ? egdi_report_stage_name(d, u->stage) : TR(d, "未排名", "not ranked"));
    report_page_outf(p, "</b></div><div>%s<b>", lbl_rank(c));
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
    report_page_outf(p, "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n", lbl_med(c),
                     lbl_best(c), TR(d, "与中位数之差", "vs median"));
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
    if (c->regions)
        departments(p, c, u);
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
            double sc = c->score[i * nc + k], w = c->eff[i * nc + k];
            report_page_out(p, "<tr><td>");
            report_page_esc(p, c->cols[k]);
            report_page_out(p, "</td><td>");
            report_page_esc(p, c->names[k]);
            report_page_out(p, "</td>");
            cell_num(p, sc, 1);
            cell_num(p, w, 4);
            cell_num(p, w * (100 - sc), 2);
            report_page_out(p, "</tr>\n");
        }
        report_page_outf(p, "</tbody></table></div>\n<p class=\"meta\">%s%s</p>\n",
                         TR(d, "按“有效权重 × (100 − 得分)”排序：该指标达到满分时指数最多可增加的分数"
                               "（加权算术平均下精确；几何平均时为近似）。",
                            "Ranked by effective weight x (100 - score): the most the index gains "
                            "when the indicator reaches 100 (exact for a weighted arithmetic mean; "
                            "approximate under geometric aggregation)."),
                         !c->regions ? ""
                                     : TR(d, "地区的有效权重只计地区级指标部分；所辖部门的部分随各部门得分变化。",
                                          " A region's effective weights are those of its own "
                                          "indicators; its departments' part moves with their scores."));
    } else {
        report_page_outf(p, "<p>%s</p>\n", TR(d, "无（无指标得分或权重）。", "None (no indicator scores or weights)."));
    }
    /* every indicator against the others of its kind, and last round */
    report_page_outf(p, "<h2>%s</h2>\n<div class=\"scroll\"><table id=\"indicators\"><thead><tr>"
                        "<th>%s</th><th>%s</th><th>%d</th>",
                     TR(d, "各项指标", "Indicators"), TR(d, "指标", "indicator"), TR(d, "名称", "name"),
                     d->round);
    if (d->prev_round)
        report_page_outf(p, "<th>%d</th><th>%s</th>", d->prev_round, TR(d, "变化", "change"));
    report_page_outf(p, "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n", lbl_med(c),
                     lbl_best(c), TR(d, "与中位数之差", "vs median"));
    for (size_t k = 0; k < c->ncols && !p->bad; k++) {
        double sc = c->score[i * nc + k], pv = c->prev[i * nc + k];
        if (!isfinite(sc) && !isfinite(c->col_med[k]))
            continue; /* no unit of this kind has it */
        report_page_out(p, "<tr><td>");
        report_page_esc(p, c->cols[k]);
        report_page_out(p, "</td><td>");
        report_page_esc_max(p, c->names[k], 24);
        report_page_out(p, "</td>");
        if (isfinite(sc))
            cell_num(p, sc, 1);
        else
            report_page_outf(p, "<td>%s</td>", TR(d, "无数据", "no data"));
        if (d->prev_round) {
            cell_num(p, pv, 1);
            cell_change(p, sc - pv, 1);
        }
        cell_num(p, c->col_med[k], 1);
        cell_num(p, c->col_best[k], 1);
        cell_change(p, sc - c->col_med[k], 1);
        report_page_out(p, "</tr>\n");
    }
    report_page_outf(p, "</tbody></table></div>\n<p class=\"meta\">%s</p>\n</body>\n</html>\n",
                     c->regions ? TR(d, "各地区中位数与最高值取自全部可排名地区。",
                                     "Regions' median and best: over every ranked region.")
                                : TR(d, "全省中位数与最高值取自全部可排名部门。",
                                     "Province median and best: over every ranked department."));
}

/* One kind's list on the index page. */
static void index_list(report_page *p, const sc_ctx *c, const char *id)
{
    const egdi_report_data *d = c->d;
    report_page_outf(p, "<h2>%s</h2>\n<div class=\"scroll\"><table id=\"%s\"><thead><tr><th>%s</th>"
                        "<th>%s</th><th>%s</th>",
                     c->regions ? TR(d, "地区", "Regions") : TR(d, "部门", "Departments"), id,
                     TR(d, "排名", "rank"), TR(d, "代码", "code"), TR(d, "名称", "name"));
    if (!c->regions)
        report_page_outf(p, "<th>%s</th>", TR(d, "所属地区", "region"));
    report_page_outf(p, "<th>%s</th></tr></thead><tbody>\n", report_index(d));
    for (size_t i = 0; i < c->nunits && !p->bad; i++) {
        const egdi_report_unit *u = &c->units[i];
        report_page_out(p, "<tr><td class=\"n\">");
        if (u->rank && u->rankable)
            report_page_outf(p, "%u", (unsigned)u->rank);
        else
            report_page_out(p, "&ndash;");
        report_page_out(p, "</td><td>");
        report_page_esc(p, u->code);
        report_page_out(p, "</td><td><a href=\"");
        report_page_esc(p, c->stems[i]);
        report_page_out(p, ".html\">");
        report_page_esc(p, report_page_name(u));
        report_page_out(p, "</a></td>");
        if (!c->regions) {
            report_page_out(p, "<td>");
            report_page_esc(p, u->region);
            report_page_out(p, "</td>");
        }
        cell_num(p, u->index, 2);
        report_page_out(p, "</tr>\n");
    }
    report_page_out(p, "</tbody></table></div>\n");
}

static void index_page(report_page *p, const sc_ctx *dep, const sc_ctx *reg)
{
    const egdi_report_data *d = dep->d;
    report_page_outf(p, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<title>%s %d</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
                     d->lang == EGDI_REPORT_EN ? "en" : "zh-CN", TR(d, "单位评估结果单", "Scorecards"),
                     d->round, sc_css);
    report_page_esc(p, report_title(d));
    report_page_outf(p, TR(d, " · %d 年单位评估结果单</h1>\n", ", round %d: scorecards</h1>\n"), d->round);
    report_page_outf(p, "<p class=\"meta\">%s</p>\n",
                     TR(d, "每个部门和地区一页，可直接打印（A4）；scorecards.xlsx 每个单位一个工作表。",
                        "One page per department and per region, printable on A4; "
                        "scorecards.xlsx has a sheet per unit."));
    if (reg->nunits)
        index_list(p, reg, "scorecards-regions");
    index_list(p, dep, "scorecards");
    report_page_out(p, "</body>\n</html>\n");
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

/* Unit i's sheet: key figures, then indices, then indicators. */
static void unit_sheet(lxw_error *e, lxw_worksheet *ws, const sc_ctx *c, size_t i, lxw_format *bold,
                       lxw_format *n2)
{
    const egdi_report_data *d = c->d;
    const egdi_report_unit *u = &c->units[i];
    size_t nc = c->ncols ? c->ncols : 1;
    lxw_row_t w = 0;
    xstr(e, ws, w, 0, report_page_name(u), bold);
    xstr(e, ws, w++, 1, u->code, NULL);
    if (!c->regions) {
        xstr(e, ws, w, 0, TR(d, "所属地区", "region"), bold);
        xstr(e, ws, w++, 1, u->region, NULL);
    }
    xstr(e, ws, w, 0, report_index(d), bold);
    xnum(e, ws, w++, 1, u->index, n2);
    xstr(e, ws, w, 0, TR(d, "发展阶段", "stage"), bold);
    xstr(e, ws, w++, 1, u->rankable ? egdi_report_stage_name(d, u->stage) : u->reason, NULL);
    xstr(e, ws, w, 0, lbl_rank(c), bold);
    if (u->rank && u->rankable)
        xnum(e, ws, w, 1, u->rank, NULL);
    w++;
    if (d->uncertainty && isfinite(u->rank_lo) && isfinite(u->rank_hi)) {
        xstr(e, ws, w, 0, TR(d, "排名区间", "rank interval"), bold);
        xnum(e, ws, w, 1, u->rank_lo, NULL);
        xnum(e, ws, w++, 2, u->rank_hi, NULL);
    }
    if (d->prev_round && u->prev_rank) {
        xstr(e, ws, w, 0, TR(d, "上期排名", "previous rank"), bold);
        xnum(e, ws, w++, 1, u->prev_rank, NULL);
    }
    xstr(e, ws, w, 0, TR(d, "数据覆盖率", "coverage"), bold);
    xnum(e, ws, w++, 1, u->coverage, n2);
    if (c->regions) {
        size_t n = 0, counts[EGDI_REPORT_MAX_STAGES + 1];
        for (size_t k = 0; k < d->nunits; k++)
            if (egdi_report_in_region(&d->units[k], u))
                c->work[n++] = d->units[k];
        egdi_report_stage_counts(d, c->work, n, counts, NULL, NULL);
        xstr(e, ws, w, 0, TR(d, "所辖部门", "departments"), bold);
        xnum(e, ws, w++, 1, (double)n, NULL);
        for (size_t s = 0; n && s <= d->nstages; s++, w++) {
            xstr(e, ws, w, 0, s < d->nstages ? egdi_report_stage_name(d, (int)s)
                                              : TR(d, "未排名", "not ranked"), NULL);
            xnum(e, ws, w, 1, (double)counts[s], NULL);
        }
    }
    w++;
    const char *h1[6] = {TR(d, "指数", "index"), TR(d, "本期", "this round"),
                         TR(d, "上期", "previous round"), lbl_med(c), lbl_best(c),
                         TR(d, "与中位数之差", "vs median")};
    for (lxw_col_t k = 0; k < 6; k++)
        xstr(e, ws, w, k, h1[k], bold);
    w++;
    bool prev = d->prev_round && u->prev_rank;
    for (size_t j = 0; j <= d->nsub; j++, w++) {
        double v = j ? u->sub[j - 1] : u->index;
        xstr(e, ws, w, 0, j ? d->sub_codes[j - 1] : report_index(d), NULL);
        xnum(e, ws, w, 1, v, n2);
        if (prev)
            xnum(e, ws, w, 2, j ? u->prev_sub[j - 1] : u->prev_index, n2);
        xnum(e, ws, w, 3, c->sub_med[j], n2);
        xnum(e, ws, w, 4, c->sub_best[j], n2);
        xnum(e, ws, w, 5, v - c->sub_med[j], n2);
    }
    w++;
    const char *h2[9] = {TR(d, "指标", "indicator"), TR(d, "名称", "name"), TR(d, "本期", "this round"),
                         TR(d, "上期", "previous round"), TR(d, "变化", "change"), lbl_med(c),
                         lbl_best(c), TR(d, "有效权重", "effective weight"),
                         TR(d, "达到 100 分时指数增加", "index gain at 100")};
    for (lxw_col_t k = 0; k < 9; k++)
        xstr(e, ws, w, k, h2[k], bold);
    w++;
    for (size_t k = 0; k < c->ncols && *e == LXW_NO_ERROR; k++) {
        double sc = c->score[i * nc + k], pv = c->prev[i * nc + k], ew = c->eff[i * nc + k];
        if (!isfinite(sc) && !isfinite(c->col_med[k]))
            continue; /* no unit of this kind has it */
        xstr(e, ws, w, 0, c->cols[k], NULL);
        xstr(e, ws, w, 1, c->names[k], NULL);
        xnum(e, ws, w, 2, sc, n2);
        xnum(e, ws, w, 3, pv, n2);
        xnum(e, ws, w, 4, sc - pv, n2);
        xnum(e, ws, w, 5, c->col_med[k], n2);
        xnum(e, ws, w, 6, c->col_best[k], n2);
        xnum(e, ws, w, 7, ew, NULL);
        xnum(e, ws, w, 8, ew * (100 - sc), n2);
        w++;
    }
    xok(e, worksheet_set_column(ws, 0, 0, 16, NULL));
    xok(e, worksheet_set_column(ws, 1, 1, 28, NULL));
    xok(e, worksheet_set_column(ws, 2, 8, 12, NULL));
}

/* The index sheet of one kind: its header row. */
static void index_header(lxw_error *e, lxw_worksheet *ix, const egdi_report_data *d,
                         lxw_format *bold)
{
    const char *ih[5] = {TR(d, "排名", "rank"), TR(d, "代码", "code"), TR(d, "名称", "name"),
                         TR(d, "工作表", "sheet"), report_index(d)};
    for (lxw_col_t k = 0; ix && k < 5; k++)
        xstr(e, ix, 0, k, ih[k], bold);
}

/* The sheets of one kind: one per unit, each listed on ix. */
static void kind_sheets(lxw_error *e, lxw_workbook *wb, lxw_worksheet *ix, const sc_ctx *c,
                        lxw_format *bold, lxw_format *n2, sc_steps *k)
{
    for (size_t i = 0; i < c->nunits && *e == LXW_NO_ERROR; i++) {
        const egdi_report_unit *u = &c->units[i];
        char name[32];
        const char *code = u->code ? u->code : "";
        snprintf(name, sizeof name, "%s", code);
        if (strlen(code) > 31 || !*code || !strcasecmp(code, "Index") ||
            !strcasecmp(code, "Regions") || workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
            snprintf(name, sizeof name, "%c%05zu", c->regions ? 'R' : 'U', i + 1);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws) {
            xok(e, LXW_ERROR_MEMORY_MALLOC_FAILED);
            break;
        }
        lxw_row_t r = (lxw_row_t)(i + 1);
        if (u->rank && u->rankable)
            xnum(e, ix, r, 0, u->rank, NULL);
        xstr(e, ix, r, 1, code, NULL);
        xstr(e, ix, r, 2, u->name, NULL);
        xstr(e, ix, r, 3, name, NULL);
        xnum(e, ix, r, 4, u->index, n2);
        unit_sheet(e, ws, c, i, bold, n2);
        step(k);
    }
}

static egdi_status workbook(const sc_ctx *dep, const sc_ctx *reg, const char *path,
                            const char *shown, sc_steps *k, egdi_error *err)
{
    const egdi_report_data *d = dep->d;
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
    /* Index (the departments), Regions, then a sheet per department and
     * per region */
    lxw_worksheet *ix = workbook_add_worksheet(wb, "Index");
    lxw_worksheet *rx = reg->nunits ? workbook_add_worksheet(wb, "Regions") : NULL;
    if (!ix || (reg->nunits && !rx))
        xok(&e, LXW_ERROR_MEMORY_MALLOC_FAILED);
    else {
        index_header(&e, ix, d, bold);
        if (rx)
            index_header(&e, rx, d, bold);
        kind_sheets(&e, wb, ix, dep, bold, n2, k);
        if (rx)
            kind_sheets(&e, wb, rx, reg, bold, n2, k);
    }
    lxw_error ce = report_xlsx_close(wb);
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
                              const sc_ctx *reg, egdi_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", shown, strerror(errno));
    report_page p = {f, false, false, c->d};
    if (reg)
        index_page(&p, c, reg);
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

/* The pages of one kind into stage (shown as final). */
static egdi_status kind_pages(const sc_ctx *c, const char *stage, const char *final,
                              sc_steps *k, egdi_error *err)
{
    char path[SC_PATH_MAX], shown[SC_PATH_MAX];
    egdi_status st = EGDI_OK;
    for (size_t i = 0; i < c->nunits && !st; i++) {
        if (!(st = path_of(path, sizeof path, stage, c->stems[i], ".html", err)) &&
            !(st = path_of(shown, sizeof shown, final, c->stems[i], ".html", err)))
            st = write_page(path, shown, c, i, NULL, err);
        step(k);
    }
    return st;
}

egdi_status egdi_scorecard_write(const egdi_report_data *d, const char *dir,
                                 const egdi_progress *progress, egdi_scorecard_result *res,
                                 egdi_error *err)
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
    sc_ctx dep, reg;
    if ((st = ctx_build(&dep, d, d->units, d->nunits, false, err)))
        return st;
    if ((st = ctx_build(&reg, d, d->regions, d->nregions, true, err))) {
        ctx_free(&dep);
        return st;
    }
    if (!mkdtemp(stage)) {
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", final, strerror(errno));
        ctx_free(&dep);
        ctx_free(&reg);
        return st;
    }
    /* a page and a sheet per unit and region, the index page, the published set */
    sc_steps k = {progress, 0, 2 * ((uint64_t)dep.nunits + reg.nunits) + 2};
    if (!(st = kind_pages(&dep, stage, final, &k, err)))
        st = kind_pages(&reg, stage, final, &k, err);
    if (!st && !(st = path_of(path, sizeof path, stage, "index", ".html", err)) &&
        !(st = path_of(shown, sizeof shown, final, "index", ".html", err)))
        st = write_page(path, shown, &dep, 0, &reg, err);
    if (!st)
        step(&k);
    if (!st && !(st = path_of(path, sizeof path, stage, "scorecards", ".xlsx", err)) &&
        !(st = path_of(shown, sizeof shown, final, "scorecards", ".xlsx", err)))
        st = workbook(&dep, &reg, path, shown, &k, err);
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
    else {
        k.done = k.total - 1;
        step(&k);
        if (res) {
            res->units = d->nunits;
            res->regions = d->nregions;
        }
    }
    ctx_free(&dep);
    ctx_free(&reg);
    return st;
}
