/*
 * html_sections.c - the parts of report.html beyond the ranking tables:
 * the overview (stage counts and their change, the transition matrix, top
 * movers, units near a stage boundary, units not rankable and why), one
 * section per region (its departments ranked, its sub-indices against the
 * province) and the unit x indicator heat table.
 *
 * Every table is a plain <table> inside a <div class="scroll"> box (wide
 * tables scroll in their own box on a phone); tables with class "sortable"
 * are sorted and filtered by the page's inline script and read the same
 * without it.  A cell whose shown text is not the number it sorts by
 * carries it in data-v.
 *
 * Memory: the heat table and the movers sort index arrays they allocate
 * and free before returning; a failed allocation sets p->nomem.
 */
#include "reports/html_private.h"
#include "indicators/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define out(p, s) report_page_out(p, s)
#define outf(...) report_page_outf(__VA_ARGS__)
#define esc(p, s) report_page_esc(p, s)

static void nomem(report_page *p)
{
    p->nomem = true;
    p->bad = true;
}

static void top_note(report_page *p, size_t n, size_t total, const char *sheet);

static void th(report_page *p, const char *text)
{
    out(p, "<th>");
    esc(p, text);
    out(p, "</th>");
}

/* A signed change with an arrow class; nothing when either is missing. */
static void change_cell(report_page *p, double ch, int decimals, const char *sortv)
{
    if (!isfinite(ch)) {
        out(p, "<td class=\"n\"></td>");
        return;
    }
    outf(p, "<td class=\"n\" data-v=\"%s%.*f\">", sortv ? sortv : "", decimals, ch);
    if (ch > 0)
        outf(p, "<span class=\"up\">+%.*f</span>", decimals, ch);
    else if (ch < 0)
        outf(p, "<span class=\"down\">&minus;%.*f</span>", decimals, -ch);
    else
        outf(p, "%.*f", decimals, 0.0);
    out(p, "</td>");
}

/* ---- overview ----------------------------------------------------------- */

static void stage_change(report_page *p)
{
    const egdi_report_data *d = p->d;
    size_t c[EGDI_REPORT_MAX_STAGES + 1], pc[EGDI_REPORT_MAX_STAGES + 1];
    egdi_report_stage_counts(d, d->units, d->nunits, c, pc, NULL);
    bool prev = d->prev_round != 0;
    outf(p, "<h3 id=\"stage-change\">%s</h3>\n<div class=\"scroll\"><table><thead><tr>",
         TR(d, "各发展阶段单位数及变化", "Units per stage and the change"));
    th(p, TR(d, "发展阶段", "stage"));
    if (prev) {
        outf(p, "<th>%d</th><th>%d</th>", d->prev_round, d->round);
        th(p, TR(d, "变化", "change"));
    } else {
        outf(p, "<th>%d</th>", d->round);
    }
    out(p, "</tr></thead><tbody>\n");
    for (size_t s = 0; s <= d->nstages && !p->bad; s++) {
        if (s == d->nstages && !c[s] && (!prev || !pc[s]))
            break;
        outf(p, "<tr style=\"background:#%06lx\"><td>",
             (unsigned long)report_page_tint(report_page_stage_rgb(d, s < d->nstages ? (int)s : -1)));
        esc(p, s < d->nstages ? egdi_report_stage_name(d, (int)s)
                              : TR(d, "无阶段（不可排名）", "no stage (not rankable)"));
        out(p, "</td>");
        if (prev) {
            outf(p, "<td class=\"n\">%zu</td><td class=\"n\">%zu</td>", pc[s], c[s]);
            change_cell(p, (double)c[s] - (double)pc[s], 0, NULL);
        } else {
            outf(p, "<td class=\"n\">%zu</td>", c[s]);
        }
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table></div>\n");
}

static void transitions(report_page *p)
{
    const egdi_report_data *d = p->d;
    size_t ns = d->nstages;
    if (!d->prev_round || !ns)
        return;
    size_t c[EGDI_REPORT_MAX_STAGES + 1];
    size_t *tr = calloc(ns * ns, sizeof *tr);
    if (!tr) {
        nomem(p);
        return;
    }
    egdi_report_stage_counts(d, d->units, d->nunits, c, NULL, tr);
    outf(p, "<h3 id=\"transitions\">%s</h3>\n<p class=\"meta\">", TR(d, "发展阶段转移矩阵",
                                                                    "Stage transitions"));
    outf(p, TR(d, "行：%d 年阶段；列：%d 年阶段；对角线为阶段未变的单位。",
               "rows: stage in %d; columns: stage in %d; the diagonal kept its stage."),
         d->prev_round, d->round);
    out(p, "</p>\n<div class=\"scroll\"><table class=\"matrix\"><thead><tr><th></th>");
    for (size_t s = 0; s < ns; s++)
        th(p, egdi_report_stage_name(d, (int)s));
    out(p, "</tr></thead><tbody>\n");
    for (size_t r = 0; r < ns && !p->bad; r++) {
        out(p, "<tr>");
        th(p, egdi_report_stage_name(d, (int)r));
        for (size_t s = 0; s < ns; s++) {
            size_t v = tr[r * ns + s];
            const char *cls = r == s ? " diag" : s > r ? " up" : " down";
            outf(p, "<td class=\"n%s\">", v ? cls : "");
            if (v)
                outf(p, "%zu", v);
            out(p, "</td>");
        }
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table></div>\n");
    free(tr);
}

static long rank_change(const egdi_report_unit *u)
{
    return (long)u->prev_rank - (long)u->rank;
}

/* A unit and its rank change, sorted largest rise first (ties by rank). */
typedef struct {
    long change;
    uint32_t rank;
    size_t idx;
} mover;

static int cmp_up(const void *a, const void *b)
{
    const mover *x = a, *y = b;
    if (x->change != y->change)
        return x->change > y->change ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static void unit_row_head(report_page *p, const egdi_report_unit *u)
{
    outf(p, "<tr style=\"background:#%06lx\"><td class=\"n\">",
         (unsigned long)report_page_tint(report_page_stage_rgb(p->d, u->stage)));
    if (u->rank && u->rankable)
        outf(p, "%u", (unsigned)u->rank);
    else
        out(p, "&ndash;");
    out(p, "</td><td class=\"name\">");
    esc(p, report_page_name(u));
    out(p, "</td><td class=\"name\">");
    esc(p, u->region);
    out(p, "</td>");
}

static void movers_table(report_page *p, const mover *idx, size_t n, bool up)
{
    const egdi_report_data *d = p->d;
    outf(p, "<h4>%s</h4>\n", up ? TR(d, "排名上升最多", "Largest rises")
                                 : TR(d, "排名下降最多", "Largest falls"));
    out(p, "<div class=\"scroll\"><table class=\"sortable\"><thead><tr>");
    th(p, TR(d, "排名", "rank"));
    th(p, TR(d, "名称", "name"));
    th(p, TR(d, "所属地区", "region"));
    th(p, TR(d, "上期排名", "previous rank"));
    th(p, TR(d, "名次变化", "places"));
    th(p, report_index(d));
    th(p, TR(d, "指数变化", "index change"));
    out(p, "</tr></thead><tbody>\n");
    size_t shown = 0;
    for (size_t k = 0; k < n && shown < EGDI_REPORT_TOP_MOVERS && !p->bad; k++) {
        const egdi_report_unit *u = &d->units[idx[up ? k : n - 1 - k].idx];
        long ch = rank_change(u);
        if ((up && ch <= 0) || (!up && ch >= 0))
            break;
        unit_row_head(p, u);
        outf(p, "<td class=\"n\">%u</td>", (unsigned)u->prev_rank);
        change_cell(p, (double)ch, 0, NULL);
        out(p, "<td class=\"n\">");
        report_page_num(p, u->index, 2);
        out(p, "</td>");
        change_cell(p, u->index - u->prev_index, 2, NULL);
        out(p, "</tr>\n");
        shown++;
    }
    out(p, "</tbody></table></div>\n");
}

static void movers(report_page *p)
{
    const egdi_report_data *d = p->d;
    if (!d->prev_round)
        return;
    mover *idx = malloc((d->nunits ? d->nunits : 1) * sizeof *idx);
    if (!idx) {
        nomem(p);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < d->nunits; i++) {
        const egdi_report_unit *u = &d->units[i];
        if (u->rankable && u->rank && u->prev_rank)
            idx[n++] = (mover){rank_change(u), u->rank, i};
    }
    qsort(idx, n, sizeof *idx, cmp_up);
    outf(p, "<h3 id=\"movers\">%s</h3>\n",
         TR(d, "排名变化最大的单位", "Top movers"));
    movers_table(p, idx, n, true);
    movers_table(p, idx, n, false);
    free(idx);
}

/* The boundary (a stage's lower bound above 0) nearest to index; NAN when
 * the model has none. */
static double nearest_boundary(const egdi_report_data *d, double index)
{
    double best = NAN;
    for (size_t s = 0; s < d->nstages; s++) {
        double lo = d->stages[s].lower;
        if (lo > 0 && (isnan(best) || fabs(index - lo) < fabs(index - best)))
            best = lo;
    }
    return best;
}

/* Units near a stage boundary.  With the round's uncertainty run
 * (d->uncertainty) a unit is flagged when its P(assigned stage) over the
 * draws is below the run's threshold (0.8: egdi_report_unit.stage_uncertain),
 * shown with that probability and its nearest boundary; without one, when
 * its index lies within EGDI_REPORT_NEAR_BOUNDARY points of a boundary. */
static void near_boundary(report_page *p)
{
    const egdi_report_data *d = p->d;
    const egdi_report_uncertainty *un = d->uncertainty;
    outf(p, "<h3 id=\"near\">%s</h3>\n<p class=\"meta\">", TR(d, "临近阶段分界的单位",
                                                            "Units near a stage boundary"));
    if (un)
        outf(p, TR(d, "在不确定性分析（%zu 次蒙特卡洛抽样）中保持当前阶段的概率低于 %.2f 的单位："
                      "其阶段取决于权重与方法的选择。",
                   "Units that keep their stage in fewer of the uncertainty run's %zu Monte "
                   "Carlo draws than a share of %.2f: their stage depends on the choice of "
                   "weights and method."),
             un->draws, un->sure);
    else
        outf(p, TR(d, "指数与某一阶段下限相差不足 %.1f 分的单位：一项指标的小幅变化即可改变其阶段。",
                   "Index within %.1f points of a stage's lower bound: a small change in one "
                   "indicator can move the unit across."),
             EGDI_REPORT_NEAR_BOUNDARY);
    out(p, "</p>\n<div class=\"scroll\"><table class=\"sortable\" id=\"near-table\"><thead><tr>");
    th(p, TR(d, "排名", "rank"));
    th(p, TR(d, "名称", "name"));
    th(p, TR(d, "所属地区", "region"));
    th(p, report_index(d));
    th(p, TR(d, "阶段分界", "boundary"));
    th(p, TR(d, "距分界", "distance"));
    th(p, TR(d, "当前阶段", "stage"));
    if (un)
        th(p, TR(d, "保持该阶段的概率", "P(stage)"));
    out(p, "</tr></thead><tbody>\n");
    size_t shown = 0, found = 0, top = report_top_units(d);
    for (size_t i = 0; i < d->nunits && !p->bad; i++) {
        const egdi_report_unit *u = &d->units[i];
        if (!u->rankable || !isfinite(u->index))
            continue;
        if (shown >= top) {
            /* counted, not listed: the Flags sheet lists them all */
            for (size_t s = 0; s < d->nstages; s++)
                if (un ? (s == 0 && u->stage_uncertain)
                       : (d->stages[s].lower > 0 &&
                          fabs(u->index - d->stages[s].lower) < EGDI_REPORT_NEAR_BOUNDARY))
                    found++;
            continue;
        }
        for (size_t s = 0; s < d->nstages; s++) {
            double lo = d->stages[s].lower;
            if (un) {
                /* once per unit, at its nearest boundary */
                if (!u->stage_uncertain || s > 0)
                    break;
                lo = nearest_boundary(d, u->index);
            } else if (!(lo > 0) || fabs(u->index - lo) >= EGDI_REPORT_NEAR_BOUNDARY)
                continue;
            unit_row_head(p, u);
            out(p, "<td class=\"n\">");
            report_page_num(p, u->index, 2);
            out(p, "</td><td class=\"n\">");
            if (isfinite(lo))
                outf(p, "%g", lo);
            out(p, "</td>");
            change_cell(p, u->index - lo, 2, NULL);
            out(p, "<td>");
            esc(p, egdi_report_stage_name(d, u->stage));
            out(p, "</td>");
            if (un) {
                out(p, "<td class=\"n\">");
                report_page_num(p, u->p_stage, 3);
                out(p, "</td>");
            }
            out(p, "</tr>\n");
            shown++;
        }
    }
    out(p, "</tbody></table></div>\n");
    if (!shown)
        outf(p, "<p>%s</p>\n", TR(d, "无。", "None."));
    if (found)
        top_note(p, shown, shown + found, "Flags");
}

static void unrankable(report_page *p)
{
    const egdi_report_data *d = p->d;
    size_t n = 0;
    for (size_t i = 0; i < d->nunits; i++)
        n += !d->units[i].rankable;
    for (size_t i = 0; i < d->nregions; i++)
        n += !d->regions[i].rankable;
    outf(p, TR(d, "<h3 id=\"unrankable\">未能排名的单位及原因（%zu）</h3>\n",
               "<h3 id=\"unrankable\">Units not ranked, and why (%zu)</h3>\n"),
         n);
    if (!n) {
        outf(p, "<p>%s</p>\n", TR(d, "全部单位均已排名。", "Every unit is ranked."));
        return;
    }
    out(p, "<div class=\"scroll\"><table class=\"sortable\" id=\"unrankable-table\"><thead><tr>");
    th(p, TR(d, "代码", "code"));
    th(p, TR(d, "名称", "name"));
    th(p, TR(d, "所属地区", "region"));
    th(p, TR(d, "数据覆盖率", "coverage"));
    th(p, TR(d, "原因", "reason"));
    out(p, "</tr></thead><tbody>\n");
    size_t shown = 0, top = report_top_units(d);
    for (int pass = 0; pass < 2; pass++) {
        const egdi_report_unit *u = pass ? d->regions : d->units;
        size_t nu = pass ? d->nregions : d->nunits;
        for (size_t i = 0; i < nu && !p->bad && shown < top; i++) {
            if (u[i].rankable)
                continue;
            shown++;
            out(p, "<tr><td class=\"code\">");
            esc(p, u[i].code);
            out(p, "</td><td class=\"name\">");
            esc(p, report_page_name(&u[i]));
            out(p, "</td><td class=\"name\">");
            esc(p, u[i].region);
            out(p, "</td><td class=\"n\">");
            if (isfinite(u[i].coverage) && u[i].reason)
                outf(p, "%.0f%%", 100 * u[i].coverage);
            out(p, "</td><td>");
            esc(p, u[i].reason ? u[i].reason
                               : TR(d, "缺少数据（原因未记录）", "missing data (no detail)"));
            out(p, "</td></tr>\n");
        }
    }
    out(p, "</tbody></table></div>\n");
    if (shown < n)
        top_note(p, shown, n, "Flags");
}

void report_page_overview(report_page *p)
{
    stage_change(p);
    transitions(p);
    movers(p);
    near_boundary(p);
    unrankable(p);
}

/* ---- regions ------------------------------------------------------------ */

void report_page_toc_regions(report_page *p)
{
    const egdi_report_data *d = p->d;
    if (!d->nregions)
        return;
    out(p, "<ol class=\"toc-regions\">");
    for (size_t r = 0; r < d->nregions && !p->bad; r++) {
        outf(p, "<li><a href=\"#region-%zu\">", r + 1);
        esc(p, report_page_name(&d->regions[r]));
        out(p, "</a></li>");
    }
    out(p, "</ol>\n");
}

/* The region's index and sub-indices against the regions' median and best. */
static void region_vs_province(report_page *p, const egdi_report_unit *reg, double *vals,
                               double *work)
{
    const egdi_report_data *d = p->d;
    out(p, "<div class=\"scroll\"><table class=\"vs\"><thead><tr>");
    th(p, TR(d, "指数", "index"));
    th(p, TR(d, "本地区", "this region"));
    th(p, TR(d, "全省地区中位数", "median of regions"));
    th(p, TR(d, "全省地区最高", "best region"));
    th(p, TR(d, "与中位数之差", "vs median"));
    out(p, "</tr></thead><tbody>\n");
    for (size_t j = 0; j <= d->nsub && !p->bad; j++) {
        for (size_t i = 0; i < d->nregions; i++)
            vals[i] = !d->regions[i].rankable ? NAN
                      : j == 0               ? d->regions[i].index
                                             : d->regions[i].sub[j - 1];
        double v = j == 0 ? reg->index : reg->sub[j - 1], med = NAN, best = NAN;
        egdi_score_median_best(vals, d->nregions, 1, work, &med, &best);
        out(p, "<tr>");
        th(p, j == 0 ? report_index(d) : d->sub_codes[j - 1]);
        out(p, "<td class=\"n\">");
        report_page_num(p, v, 2);
        out(p, "</td><td class=\"n\">");
        report_page_num(p, med, 2);
        out(p, "</td><td class=\"n\">");
        report_page_num(p, best, 2);
        out(p, "</td>");
        change_cell(p, v - med, 2, NULL);
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table></div>\n");
}

static void region_departments(report_page *p, const egdi_report_unit *reg)
{
    const egdi_report_data *d = p->d;
    bool prev = d->prev_round != 0;
    out(p, "<div class=\"scroll\"><table class=\"sortable\"><thead><tr>");
    th(p, TR(d, "地区内排名", "rank in region"));
    th(p, TR(d, "全省排名", "rank in province"));
    th(p, TR(d, "名称", "name"));
    th(p, report_index(d));
    for (size_t j = 0; j < d->nsub; j++)
        th(p, d->sub_codes[j]);
    th(p, TR(d, "发展阶段", "stage"));
    if (prev)
        th(p, TR(d, "名次变化", "places"));
    out(p, "</tr></thead><tbody>\n");
    size_t in_region = 0;
    for (size_t i = 0; i < d->nunits && !p->bad; i++) {
        const egdi_report_unit *u = &d->units[i];
        if (!reg->name || !egdi_report_in_region(u, reg))
            continue;
        bool ranked = u->rank && u->rankable;
        outf(p, "<tr style=\"background:#%06lx\"><td class=\"n\">",
             (unsigned long)report_page_tint(report_page_stage_rgb(d, u->stage)));
        if (ranked)
            outf(p, "%zu", ++in_region);
        else
            out(p, "&ndash;");
        out(p, "</td><td class=\"n\">");
        if (ranked)
            outf(p, "%u", (unsigned)u->rank);
        else
            out(p, "&ndash;");
        out(p, "</td><td class=\"name\">");
        esc(p, report_page_name(u));
        out(p, "</td><td class=\"n\">");
        report_page_num(p, u->index, 2);
        out(p, "</td>");
        for (size_t j = 0; j < d->nsub; j++) {
            out(p, "<td class=\"n\">");
            report_page_num(p, u->sub[j], 2);
            out(p, "</td>");
        }
        out(p, "<td>");
        if (ranked)
            esc(p, egdi_report_stage_name(d, u->stage));
        else
            esc(p, u->reason ? u->reason : TR(d, "未排名", "not ranked"));
        out(p, "</td>");
        if (prev) {
            if (ranked && u->prev_rank)
                change_cell(p, (double)rank_change(u), 0, NULL);
            else
                out(p, "<td></td>");
        }
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table></div>\n");
}

void report_page_regions(report_page *p)
{
    const egdi_report_data *d = p->d;
    double *vals = malloc(2 * (d->nregions ? d->nregions : 1) * sizeof *vals);
    if (!vals) {
        nomem(p);
        return;
    }
    for (size_t r = 0; r < d->nregions && !p->bad; r++) {
        const egdi_report_unit *reg = &d->regions[r];
        outf(p, "<section class=\"part region\" id=\"region-%zu\"><h2>", r + 1);
        esc(p, report_page_name(reg));
        out(p, "</h2>\n<p class=\"meta\">");
        if (reg->rank && reg->rankable)
            outf(p, TR(d, "地区排名第 %u 位", "Rank %u among the regions"), (unsigned)reg->rank);
        else
            esc(p, reg->reason ? reg->reason : TR(d, "未排名", "not ranked"));
        out(p, " · ");
        esc(p, report_index(d));
        out(p, " ");
        report_page_num(p, reg->index, 2);
        out(p, " · ");
        esc(p, egdi_report_stage_name(d, reg->stage));
        out(p, "</p>\n");
        region_vs_province(p, reg, vals, vals + d->nregions);
        region_departments(p, reg);
        out(p, "</section>\n");
    }
    free(vals);
}

/* ---- the unit x indicator heat table -------------------------------------- */

/* "Top n of total units; all in report.xlsx, sheet S." under a table that
 * lists only the top of the ranking. */
static void top_note(report_page *p, size_t n, size_t total, const char *sheet)
{
    const egdi_report_data *d = p->d;
    outf(p, "<p class=\"meta top-note\">");
    outf(p, TR(d, "此表按排名仅列出前 %zu 个单位（共 %zu 个）；全部单位见 report.xlsx 的 %s 工作表。",
               "This table lists the top %zu units of the ranking only (of %zu); every unit is "
               "in the %s sheet of report.xlsx."),
         n, total, sheet);
    out(p, "</p>\n");
}

void report_page_heat(report_page *p)
{
    const egdi_report_data *d = p->d;
    report_grid g;
    if (!report_grid_build(d, &g)) {
        nomem(p);
        return;
    }
    size_t top = report_top_units(d), n = d->nunits < top ? d->nunits : top;
    outf(p, "<p class=\"meta\">%s</p>\n",
         TR(d, "各单位各指标得分（0–100），底色为该得分所在的发展阶段区间；点击表头排序。",
            "Each unit's score on each indicator (0-100), shaded by the stage band the "
            "score falls in; click a heading to sort."));
    if (report_grid_csv(d, &g)) {
        /* (issue 20) the full tables are data files, not the workbook's */
        outf(p, "<p class=\"meta top-note\">");
        if (n < d->nunits)
            outf(p, TR(d, "此表按排名仅列出前 %zu 个单位（共 %zu 个）。",
                       "This table lists the top %zu units of the ranking only (of %zu). "),
                 n, d->nunits);
        outf(p, TR(d, "完整的单位 × 指标表（%zu 行 × %zu 个指标）是与本页同目录的 CSV 文件：%s"
                      "（得分）、%s（原始值）、%s（来源）。",
                   "The full units x indicators tables (%zu rows x %zu indicators) are CSV "
                   "files beside this page: %s (scores), %s (raw values), %s (sources)."),
             g.nrows, g.ncols, report_csv_files[1], report_csv_files[0], report_csv_files[2]);
        out(p, "</p>\n");
    } else if (n < d->nunits) {
        top_note(p, n, d->nunits, "Matrix");
    }
    out(p, "<div class=\"scroll heat\"><table class=\"sortable heat\" id=\"heat-table\"><thead><tr>");
    th(p, TR(d, "排名", "rank"));
    th(p, TR(d, "名称", "name"));
    th(p, report_index(d));
    for (size_t c = 0; c < g.ncols; c++) {
        out(p, "<th title=\"");
        esc(p, g.names[c]);
        out(p, "\">");
        esc(p, g.cols[c]);
        out(p, "</th>");
    }
    out(p, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < n && !p->bad; i++) {
        const egdi_report_unit *u = &d->units[i];
        out(p, "<tr><td class=\"n\">");
        if (u->rank && u->rankable)
            outf(p, "%u", (unsigned)u->rank);
        else
            out(p, "&ndash;");
        out(p, "</td><td class=\"name\">");
        esc(p, report_page_name(u));
        outf(p, "</td><td class=\"n\" style=\"background:#%06lx\">",
             (unsigned long)report_page_tint(report_page_stage_rgb(d, u->stage)));
        report_page_num(p, u->index, 1);
        out(p, "</td>");
        for (size_t c = 0; c < g.ncols; c++) {
            const egdi_report_indicator *e = report_grid_at(d, &g, i, c);
            double v = e ? e->score : NAN;
            if (!isfinite(v))
                out(p, "<td class=\"n na\"></td>");
            else {
                outf(p, "<td class=\"n\" style=\"background:#%06lx\">",
                     (unsigned long)report_page_tint(
                         report_page_stage_rgb(d, report_page_band(d, v))));
                report_page_num(p, v, 0);
                out(p, "</td>");
            }
        }
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table></div>\n");
    report_grid_release(&g);
}
