/*
 * make_office.c - writes the spreadsheets of this folder the way a
 * provincial office makes them: a merged title banner above the header,
 * Chinese headings (the indicators' names, 单位类型, 上级单位 with city
 * names), a typo in a code (GIRl5), marks for missing values (—, 暂无, N/A,
 * /), numbers with units (4.5分, 85 %, 12个, 3人), percent-formatted cells,
 * and the values' mistakes offices make (a percentage of 120, a Likert mean
 * of 45).  Run once from this folder; the outputs are committed.  Not part
 * of the build.
 *
 *   cc -o /tmp/mk make_office.c -lxlsxwriter && /tmp/mk
 *
 * The units: four cities (合肥市, 芜湖市, 淮南市, 蚌埠市) with three
 * departments each.  Each unit's indicators come from one level L (0-100):
 * a percentage is L, datasets 2L, applications L/5, satisfaction
 * 1 + 4L/100, computers per staff L/80, a leading group when L >= 50,
 * budget share and IT staff per 100 3L/100, standards L/20.  芜湖市's own
 * level is the highest (90) but its departments are weak (45); 淮南市's
 * departments are strong (85) and its own level 50.  A region's score is
 * 0.7 x its departments + 0.3 x its own row (jiangsu), so with the parents
 * read 淮南市 leads the cities and without them 芜湖市 does.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct {
    const char *code, *name, *parent_code, *parent_name;
    double level;
} unit;

static const unit units[] = {
    {"HF", "合肥市", NULL, NULL, 70},
    {"WH", "芜湖市", NULL, NULL, 90},
    {"HN", "淮南市", NULL, NULL, 50},
    {"BB", "蚌埠市", NULL, NULL, 60},
    {"HF01", "合肥市发展和改革委员会", "HF", "合肥市", 72},
    {"HF02", "合肥市教育局", "HF", "合肥市", 70},
    {"HF03", "合肥市公安局", "HF", "合肥市", 68},
    {"WH01", "芜湖市发展和改革委员会", "WH", "芜湖市", 47},
    {"WH02", "芜湖市教育局", "WH", "芜湖市", 45},
    {"WH03", "芜湖市公安局", "WH", "芜湖市", 43},
    {"HN01", "淮南市发展和改革委员会", "HN", "淮南市", 87},
    {"HN02", "淮南市教育局", "HN", "淮南市", 85},
    {"HN03", "淮南市公安局", "HN", "淮南市", 83},
    {"BB01", "蚌埠市发展和改革委员会", "BB", "蚌埠市", 62},
    {"BB02", "蚌埠市教育局", "BB", "蚌埠市", 60},
    {"BB03", "蚌埠市公安局", "BB", "蚌埠市", 58},
};
#define NUNITS (sizeof units / sizeof units[0])

/* The leaf indicators of the jiangsu model: code, Chinese name, how a
 * level becomes the value, region only. */
typedef enum { PCT, DATASETS, APPS, LIKERT, PCS, YESNO, SHARE3, DOCS } how;
typedef struct {
    const char *code, *zh;
    how h;
    int region_only;
} ind;

static const ind inds[] = {
    {"CBII1", "核心业务信息化覆盖率", PCT, 0},
    {"CBII2", "核心业务系统全流程网上办理比例", PCT, 0},
    {"CBII3", "系统集约化与跨部门协同比例", PCT, 0},
    {"CBII4", "日常工作使用信息化的人员比例", PCT, 0},
    {"CBII5", "依托区域共享平台办理的业务比例", PCT, 1},
    {"GIRI1", "信息资源编目比例", PCT, 0},
    {"GIRI2", "跨部门共享的信息资源比例", PCT, 0},
    {"GIRI3", "开放数据集数量", DATASETS, 0},
    {"GIRI4", "开放数据社会利用（应用数）", APPS, 0},
    {"GIRI5", "数据及时性与准确性", PCT, 0},
    {"GIRI6", "用户满意度（问卷均值）", LIKERT, 0},
    {"GSI11", "人均联网计算机台数", PCS, 0},
    {"GSI12", "网络接入率", PCT, 0},
    {"GSI13", "全域电子政务云网覆盖率", PCT, 1},
    {"GSI2", "领导与组织（CIO/领导小组）", YESNO, 0},
    {"GSI3", "信息化经费占比", SHARE3, 0},
    {"GSI4", "每百人信息化人员数", SHARE3, 0},
    {"GSI5", "等级保护合规率", PCT, 0},
    {"GSI6", "现行标准规范数量", DOCS, 0},
};
#define NINDS (sizeof inds / sizeof inds[0])

static double value(how h, double L)
{
    switch (h) {
    case PCT: return L;
    case DATASETS: return 2 * L;
    case APPS: return floor(L / 5);
    case LIKERT: return round((1 + 4 * L / 100) * 100) / 100;
    case PCS: return round(L / 80 * 100) / 100;
    case YESNO: return L >= 50;
    case SHARE3: return round(3 * L) / 100;
    case DOCS: return floor(L / 20);
    }
    return 0;
}

static int is_region(const unit *u)
{
    return u->parent_code == NULL;
}

/* A banner merged over the first ncols columns of row 0. */
static void banner(lxw_workbook *wb, lxw_worksheet *ws, int ncols, const char *text)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_bold(f);
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_font_size(f, 14);
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), text, f);
}

/* The units sheet: with a banner and Chinese headings, parents by name
 * (office), or parents by code under 上级单位 (parents). */
static int write_units(const char *path, int office)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "单位名单");
    lxw_row_t r = 0;
    if (office) {
        banner(wb, ws, 6, "2024年度安徽省电子政务发展水平评估单位名单");
        r = 1;
        const char *h[] = {"序号", "单位代码", "单位名称", "单位类型", "上级单位", "备注"};
        for (int c = 0; c < 6; c++)
            worksheet_write_string(ws, r, (lxw_col_t)c, h[c], NULL);
    } else {
        const char *h[] = {"单位代码", "单位名称", "类型", "上级单位"};
        for (int c = 0; c < 4; c++)
            worksheet_write_string(ws, r, (lxw_col_t)c, h[c], NULL);
    }
    for (size_t i = 0; i < NUNITS; i++) {
        const unit *u = &units[i];
        lxw_row_t row = (lxw_row_t)(r + 1 + i);
        lxw_col_t c = 0;
        if (office)
            worksheet_write_number(ws, row, c++, (double)(i + 1), NULL);
        worksheet_write_string(ws, row, c++, u->code, NULL);
        worksheet_write_string(ws, row, c++, u->name, NULL);
        worksheet_write_string(ws, row, c++, is_region(u) ? (office ? "地级市" : "地区") : "部门",
                               NULL);
        if (!is_region(u))
            worksheet_write_string(ws, row, c, office ? u->parent_name : u->parent_code, NULL);
        c++;
        if (office && i == 4)
            worksheet_write_string(ws, row, c, "牵头单位", NULL);
    }
    if (office) {
        /* a provincial department: no region */
        lxw_row_t row = (lxw_row_t)(r + 1 + NUNITS);
        worksheet_write_number(ws, row, 0, (double)(NUNITS + 1), NULL);
        worksheet_write_string(ws, row, 1, "AH-SJJ", NULL);
        worksheet_write_string(ws, row, 2, "安徽省数据资源管理局", NULL);
        worksheet_write_string(ws, row, 3, "部门", NULL);
    }
    return workbook_close(wb) != LXW_NO_ERROR;
}

/* What a metrics sheet looks like. */
enum {
    M_CLEAN = 0, /* codes as headings, numbers */
    M_TYPO,      /* the same, GIRI5 headed GIRl5 */
    M_OFFICE,    /* banner, Chinese names, marks, unit words, percent cells */
    M_RANGE      /* codes; a percentage of 120, a Likert mean of 45, -3 datasets */
};

static void cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const ind *d, const unit *u,
                 size_t ui, int kind, lxw_format *pct)
{
    double v = value(d->h, u->level);
    char buf[64];
    if (kind == M_OFFICE) {
        /* the marks and the unit words, on chosen cells */
        if (strcmp(d->code, "GIRI5") == 0 && ui == 5) {
            worksheet_write_string(ws, r, c, "—", NULL);
            return;
        }
        if (strcmp(d->code, "GIRI4") == 0 && ui == 6) {
            worksheet_write_string(ws, r, c, "暂无", NULL);
            return;
        }
        if (strcmp(d->code, "GSI5") == 0 && ui == 7) {
            worksheet_write_string(ws, r, c, "N/A", NULL);
            return;
        }
        if (strcmp(d->code, "GSI12") == 0 && ui == 8) {
            worksheet_write_string(ws, r, c, "/", NULL);
            return;
        }
        if (d->h == LIKERT) {
            snprintf(buf, sizeof buf, "%g分", v);
            worksheet_write_string(ws, r, c, buf, NULL);
            return;
        }
        if (d->h == DATASETS) {
            snprintf(buf, sizeof buf, "%g个", v);
            worksheet_write_string(ws, r, c, buf, NULL);
            return;
        }
        if (d->h == SHARE3 && strcmp(d->code, "GSI4") == 0) {
            snprintf(buf, sizeof buf, "%g人", v);
            worksheet_write_string(ws, r, c, buf, NULL);
            return;
        }
        if (d->h == YESNO) {
            worksheet_write_string(ws, r, c, v ? "是" : "否", NULL);
            return;
        }
        if (strcmp(d->code, "CBII1") == 0) {
            snprintf(buf, sizeof buf, "%g %%", v);
            worksheet_write_string(ws, r, c, buf, NULL);
            return;
        }
        if (strcmp(d->code, "CBII2") == 0) {
            worksheet_write_number(ws, r, c, v / 100, pct); /* shown as 72% */
            return;
        }
    }
    if (kind == M_RANGE) {
        if (strcmp(d->code, "CBII1") == 0 && ui == 4) {
            worksheet_write_number(ws, r, c, 120, NULL);
            return;
        }
        if (strcmp(d->code, "GIRI6") == 0 && ui == 5) {
            worksheet_write_number(ws, r, c, 45, NULL);
            return;
        }
        if (strcmp(d->code, "GIRI3") == 0 && ui == 6) {
            worksheet_write_number(ws, r, c, -3, NULL);
            return;
        }
    }
    if (d->h == YESNO)
        worksheet_write_string(ws, r, c, v ? "是" : "否", NULL);
    else
        worksheet_write_number(ws, r, c, v, NULL);
}

static int write_metrics(const char *path, int kind)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "2024");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format_index(pct, 9);
    lxw_row_t r = 0;
    lxw_col_t c = 0;
    if (kind == M_OFFICE) {
        banner(wb, ws, 2 + (int)NINDS, "2024年度电子政务发展水平评估指标汇总表（单位：%、个、人、分）");
        r = 1;
    }
    worksheet_write_string(ws, r, c++, kind == M_OFFICE ? "单位代码" : "unit", NULL);
    worksheet_write_string(ws, r, c++, kind == M_OFFICE ? "单位名称" : "name", NULL);
    for (size_t j = 0; j < NINDS; j++) {
        const ind *d = &inds[j];
        char h[128];
        if (kind == M_OFFICE)
            snprintf(h, sizeof h, "%s%s", d->zh, d->h == PCT ? "(%)" : "");
        else if (kind == M_TYPO && strcmp(d->code, "GIRI5") == 0)
            snprintf(h, sizeof h, "GIRl5");
        else
            snprintf(h, sizeof h, "%s", d->code);
        worksheet_write_string(ws, r, c++, h, NULL);
    }
    for (size_t i = 0; i < NUNITS; i++) {
        const unit *u = &units[i];
        lxw_row_t row = (lxw_row_t)(r + 1 + i);
        worksheet_write_string(ws, row, 0, u->code, NULL);
        worksheet_write_string(ws, row, 1, u->name, NULL);
        for (size_t j = 0; j < NINDS; j++) {
            if (inds[j].region_only && !is_region(u))
                continue;
            cell(ws, row, (lxw_col_t)(2 + j), &inds[j], u, i, kind, pct);
        }
    }
    return workbook_close(wb) != LXW_NO_ERROR;
}

int main(void)
{
    return write_units("units_parents.xlsx", 0) | write_units("units_office.xlsx", 1) |
           write_metrics("metrics_2024.xlsx", M_CLEAN) |
           write_metrics("metrics_typo.xlsx", M_TYPO) |
           write_metrics("metrics_office.xlsx", M_OFFICE) |
           write_metrics("metrics_range.xlsx", M_RANGE);
}
