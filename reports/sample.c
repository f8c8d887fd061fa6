/*
 * sample.c - writing the demonstration data (see sample.h).
 *
 * Everything is drawn from one GSL random generator (MT19937, fixed seed)
 * in a fixed order, so the files are the same on every machine.  The
 * workbooks are written with libxlsxwriter; each file is written under its
 * staging name (engine/core/dirs.h, locked while it is written) and renamed
 * when complete.
 */
#include "reports/sample.h"
#include "reports/report_private.h"

#include "engine/core/dirs.h"
#include "engine/core/outfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <xlsxwriter.h>

const char *const egdi_sample_scale_names[EGDI_SAMPLE_SCALES] = {"网站信息质量", "互动",
                                                                "支撑体系", "满意度"};

static const struct {
    const char *code, *name;
    double level; /* latent development level of the city, 0..1 */
} cities[] = {
    {"NJ", "南京市", 0.80}, {"WX", "无锡市", 0.74}, {"XZ", "徐州市", 0.55},
    {"CZ", "常州市", 0.68}, {"SZ", "苏州市", 0.82}, {"NT", "南通市", 0.62},
    {"LYG", "连云港市", 0.45}, {"HA", "淮安市", 0.47}, {"YC", "盐城市", 0.50},
    {"YZ", "扬州市", 0.60}, {"ZJ", "镇江市", 0.58}, {"TZ", "泰州市", 0.52},
    {"SQ", "宿迁市", 0.38},
};
#define NCITIES (sizeof cities / sizeof cities[0])

static const char *const departments[] = {
    "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局",
    "司法局", "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局",
    "住房和城乡建设局", "城市管理局", "交通运输局", "水务局", "农业农村局", "商务局",
    "文化广电和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
    "国有资产监督管理委员会", "市场监督管理局", "体育局", "统计局", "医疗保障局",
    "政务服务管理办公室", "大数据管理局", "信访局", "人民防空办公室", "机关事务管理局",
    "地方金融监督管理局", "档案局", "行政审批局", "粮食和物资储备局", "税务局",
    "气象局", "住房公积金管理中心", "数据局",
};
#define NDEPTS (sizeof departments / sizeof departments[0])

#define NITEMS 18
/* Items per dimension, and the negatively worded items (0-based). */
static const int item_dim[NITEMS] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3};
static const int item_reversed[NITEMS] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
static const double item_loading[NITEMS] = {0.86, 0.82, 0.80, 0.81, 0.72, 0.85, 0.82,
                                            0.80, 0.78, 0.81, 0.84, 0.74, 0.82, 0.80,
                                            0.79, 0.85, 0.82, 0.80};

/* The departments the questionnaire's respondents work in (部门), by city
 * and position in the city's list, with their share of the respondents:
 * some get enough respondents for a satisfaction score (30, the model's
 * min_n), some too few.  With 500 respondents: 62, 55, 48, 41, 36, 31 in
 * 南京市, 52, 44, 33, 24 in 苏州市, 29, 18, 12 in 徐州市, 9, 6 in 宿迁市. */
static const struct {
    const char *city;
    size_t dept; /* 1-based within the city */
    double share;
} rated[] = {
    {"NJ", 1, 62}, {"NJ", 2, 55}, {"NJ", 3, 48}, {"NJ", 4, 41}, {"NJ", 5, 36}, {"NJ", 6, 31},
    {"SZ", 1, 52}, {"SZ", 2, 44}, {"SZ", 3, 33}, {"SZ", 4, 24}, {"XZ", 1, 29}, {"XZ", 2, 18},
    {"XZ", 3, 12}, {"SQ", 1, 9},  {"SQ", 2, 6},
};
#define NRATED (sizeof rated / sizeof rated[0])
static const char *const answer_labels[5] = {"非常不同意", "不同意", "一般", "同意", "非常同意"};

void egdi_sample_opts_init(egdi_sample_opts *o)
{
    o->seed = 20241;
    o->round1 = 2023;
    o->round2 = 2024;
    o->depts_per_city = 40;
    o->respondents = 500;
}

static double clamp01(double x)
{
    return x < 0.02 ? 0.02 : x > 0.98 ? 0.98 : x;
}

/* A raw value for leaf n of a unit at latent level L (0..1). */
static double leaf_value(const egdi_node *n, double L, gsl_rng *rng, bool *yes_no)
{
    *yes_no = false;
    double e = gsl_ran_gaussian(rng, 0.08);
    switch (n->rule) {
    case EGDI_RULE_GOALPOST: {
        double lo = isnan(n->min) ? 0 : n->min, hi = isnan(n->max) ? 100 : n->max;
        double x = lo + (hi - lo) * clamp01(L + e);
        return n->direction < 0 ? hi - (x - lo) : round(x * 10) / 10;
    }
    case EGDI_RULE_STEPS: {
        double top = n->nsteps ? n->steps_x[n->nsteps - 1] : 100;
        return round(top * pow(clamp01(L + e), 1.5) * (0.7 + 0.6 * gsl_rng_uniform(rng)));
    }
    case EGDI_RULE_RANK:
        return round(exp(4.0 * L + gsl_ran_gaussian(rng, 0.5)));
    case EGDI_RULE_RATIO: {
        double t = isnan(n->target) ? 1 : n->target;
        return round(t * (0.3 + 0.9 * clamp01(L + e)) * 100) / 100;
    }
    case EGDI_RULE_YESNO:
        *yes_no = true;
        return gsl_rng_uniform(rng) < 0.2 + 0.8 * L ? 1 : 0;
    case EGDI_RULE_LIKERT: {
        double lo = isnan(n->scale_min) ? 1 : n->scale_min;
        double hi = isnan(n->scale_max) ? 5 : n->scale_max;
        return round((lo + (hi - lo) * (0.25 + 0.65 * clamp01(L + e))) * 100) / 100;
    }
    case EGDI_RULE_TARGET: {
        double t = isnan(n->target) ? 0 : n->target, tol = isnan(n->tolerance) ? 1 : n->tolerance;
        return round((t + tol * (1 - clamp01(L + e)) * (gsl_rng_uniform(rng) < 0.5 ? -1 : 1)) *
                     100) / 100;
    }
    default:
        return round(clamp01(L + e) * 1000) / 10;
    }
}

/* Checks a libxlsxwriter result. */
static egdi_status xlsx_check(lxw_error e, const char *path, egdi_error *err)
{
    if (e == LXW_NO_ERROR)
        return EGDI_OK;
    int sys = errno; /* what the zip writer's last system call said */
    egdi_error_at(err, path, NULL, 0, 0);
    if (sys == ENOSPC)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write the workbook: the disk is full");
    if (sys == ENOMEM || e == LXW_ERROR_MEMORY_MALLOC_FAILED ||
        e == LXW_ERROR_SHARED_STRING_INDEX_NOT_FOUND)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "cannot write the workbook: out of memory");
    return egdi_error_set(err, EGDI_ERR_IO, "cannot write the workbook: %s", lxw_strerror(e));
}

static egdi_status make_path(char *dst, const char *dir, const char *name, egdi_error *err)
{
    int n = snprintf(dst, EGDI_SAMPLE_PATH_MAX, "%s/%s", dir, name);
    if (n < 0 || n >= EGDI_SAMPLE_PATH_MAX)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "the output directory name is too long");
    return EGDI_OK;
}

/* Closes wb (writing tmp) and renames tmp to path; fd holds tmp's staging
 * lock and is closed after the rename. */
static egdi_status finish_workbook(lxw_workbook *wb, const char *tmp, int fd, const char *path,
                                   egdi_error *err)
{
    errno = 0;
    egdi_status rc = xlsx_check(report_xlsx_close(wb), path, err);
    if (rc == EGDI_OK && rename(tmp, path) != 0) {
        egdi_error_at(err, path, NULL, 0, 0);
        rc = egdi_error_set(err, EGDI_ERR_IO, "cannot rename the workbook: %s", strerror(errno));
    }
    if (rc != EGDI_OK)
        unlink(tmp);
    close(fd);
    return rc;
}

/* A new workbook written to path's staging name tmp (locked through *fd:
 * engine/core/dirs.h); NULL with err set when it cannot be made. */
static lxw_workbook *start_workbook(const char *path, char tmp[EGDI_SAMPLE_PATH_MAX + 32],
                                    int *fd, egdi_error *err)
{
    if (egdi_dir_staging_open(path, tmp, EGDI_SAMPLE_PATH_MAX + 32, fd, err) != EGDI_OK)
        return NULL;
    lxw_workbook *wb = workbook_new(tmp);
    if (!wb) {
        unlink(tmp);
        close(*fd);
        egdi_error_at(err, path, NULL, 0, 0);
        egdi_error_set(err, EGDI_ERR_IO, "cannot create the workbook");
    }
    return wb;
}

typedef struct {
    char code[32];
    char name[128];
    bool region;
    int parent;       /* index of the parent unit, -1 */
    int level;
    double L[2];      /* latent level per round */
} sample_unit;

static size_t make_units(sample_unit *u, const egdi_sample_opts *o, gsl_rng *rng)
{
    size_t n = 0;
    for (size_t c = 0; c < NCITIES; c++) {
        size_t city = n;
        snprintf(u[n].code, sizeof u[n].code, "%s", cities[c].code);
        snprintf(u[n].name, sizeof u[n].name, "%s", cities[c].name);
        u[n].region = true;
        u[n].parent = -1; /* the province evaluates its cities: no unit of its own */
        u[n].level = 2;
        u[n].L[0] = cities[c].level;
        n++;
        for (size_t d = 0; d < o->depts_per_city && d < NDEPTS; d++) {
            snprintf(u[n].code, sizeof u[n].code, "%s%02zu", cities[c].code, d + 1);
            snprintf(u[n].name, sizeof u[n].name, "%s%s", cities[c].name, departments[d]);
            u[n].region = false;
            u[n].parent = (int)city;
            u[n].level = 3;
            u[n].L[0] = clamp01(cities[c].level + gsl_ran_gaussian(rng, 0.12));
            n++;
        }
    }
    for (size_t i = 0; i < n; i++)
        u[i].L[1] = clamp01(u[i].L[0] + 0.05 + gsl_ran_gaussian(rng, 0.03));
    return n;
}

static egdi_status write_units(const char *path, const sample_unit *u, size_t n, egdi_error *err)
{
    char tmp[EGDI_SAMPLE_PATH_MAX + 32];
    int fd;
    lxw_workbook *wb = start_workbook(path, tmp, &fd, err);
    if (!wb)
        return err ? err->status : EGDI_ERR_IO;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "单位");
    static const char *const head[] = {"code", "name", "kind", "parent", "level"};
    for (lxw_col_t c = 0; c < 5; c++)
        worksheet_write_string(ws, 0, c, head[c], NULL);
    for (size_t i = 0; i < n; i++) {
        lxw_row_t r = (lxw_row_t)i + 1;
        worksheet_write_string(ws, r, 0, u[i].code, NULL);
        worksheet_write_string(ws, r, 1, u[i].name, NULL);
        worksheet_write_string(ws, r, 2, u[i].region ? "region" : "department", NULL);
        if (u[i].parent >= 0)
            worksheet_write_string(ws, r, 3, u[u[i].parent].code, NULL);
        worksheet_write_number(ws, r, 4, u[i].level, NULL);
    }
    return finish_workbook(wb, tmp, fd, path, err);
}

/* The metrics workbook of round `year`; ri (0, 1) picks the latent level. */
static egdi_status write_metrics(const char *path, const egdi_model *m, const sample_unit *u,
                                 size_t n, int year, int ri, gsl_rng *rng, egdi_error *err)
{
    char tmp[EGDI_SAMPLE_PATH_MAX + 32];
    int fd;
    lxw_workbook *wb = start_workbook(path, tmp, &fd, err);
    if (!wb)
        return err ? err->status : EGDI_ERR_IO;
    char sheet[16];
    snprintf(sheet, sizeof sheet, "%d", year);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    worksheet_write_string(ws, 0, 0, "unit", NULL);
    worksheet_write_string(ws, 0, 1, "name", NULL);
    lxw_col_t col = 2;
    for (size_t j = 0; j < m->nnodes; j++)
        if (egdi_node_is_leaf(&m->nodes[j]))
            worksheet_write_string(ws, 0, col++, m->nodes[j].code, NULL);
    for (size_t i = 0; i < n; i++) {
        lxw_row_t r = (lxw_row_t)i + 1;
        unsigned kind = u[i].region ? EGDI_APPLIES_REGION : EGDI_APPLIES_DEPARTMENT;
        worksheet_write_string(ws, r, 0, u[i].code, NULL);
        worksheet_write_string(ws, r, 1, u[i].name, NULL);
        col = 2;
        for (size_t j = 0; j < m->nnodes; j++) {
            const egdi_node *nd = &m->nodes[j];
            if (!egdi_node_is_leaf(nd))
                continue;
            bool yes_no;
            double v = leaf_value(nd, u[i].L[ri], rng, &yes_no);
            bool missing = gsl_rng_uniform(rng) < 0.01;
            /* the round with the questionnaire takes a survey leaf from it
             * (the spreadsheet column stays, empty); the other round has
             * the value an office averaged by hand */
            if (nd->survey && ri == 1)
                missing = true;
            if ((nd->applies & kind) && !missing) {
                if (yes_no)
                    worksheet_write_string(ws, r, col, v != 0 ? "是" : "否", NULL);
                else
                    worksheet_write_number(ws, r, col, v, NULL);
            }
            col++;
        }
    }
    return finish_workbook(wb, tmp, fd, path, err);
}

/* An answer 1..5 from a continuous response. */
static int likert(double y)
{
    static const double cut[4] = {-1.5, -0.6, 0.3, 1.2};
    int a = 1;
    while (a < 5 && y > cut[a - 1])
        a++;
    return a;
}

/* The unit of rated[k] among u[0..n) (-1 when the sample has no such
 * department). */
static long rated_unit(const sample_unit *u, size_t n, size_t k)
{
    char code[32];
    snprintf(code, sizeof code, "%s%02zu", rated[k].city, rated[k].dept);
    for (size_t i = 0; i < n; i++)
        if (!u[i].region && strcmp(u[i].code, code) == 0)
            return (long)i;
    return -1;
}

static egdi_status write_survey(const char *path, const egdi_sample_opts *o,
                                const sample_unit *u, size_t nu, gsl_rng *rng, egdi_error *err)
{
    char tmp[EGDI_SAMPLE_PATH_MAX + 32];
    int fd;
    lxw_workbook *wb = start_workbook(path, tmp, &fd, err);
    if (!wb)
        return err ? err->status : EGDI_ERR_IO;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "问卷");
    static const char *const attrs[] = {"编号", "性别", "年龄段", "城市", "部门"};
    static const char *const ages[] = {"30岁以下", "30-39岁", "40-49岁", "50岁及以上"};
    enum { NATTRS = 5 };
    for (lxw_col_t c = 0; c < NATTRS; c++)
        worksheet_write_string(ws, 0, c, attrs[c], NULL);
    for (int k = 0; k < NITEMS; k++) {
        char h[8];
        snprintf(h, sizeof h, "Q%d", k + 1);
        worksheet_write_string(ws, 0, (lxw_col_t)(NATTRS + k), h, NULL);
    }
    /* each respondent's department: rated[] by its share, in shuffled order */
    size_t n = o->respondents;
    size_t *dept = malloc((n ? n : 1) * sizeof *dept);
    if (!dept) {
        report_xlsx_close(wb);
        unlink(tmp);
        close(fd); /* (ends tmp's staging lock) */
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    double total = 0;
    for (size_t k = 0; k < NRATED; k++)
        total += rated[k].share;
    for (size_t i = 0, k = 0; i < n; i++) {
        double at = ((double)i + 0.5) / (double)n * total, cum = 0;
        for (k = 0; k + 1 < NRATED && at >= cum + rated[k].share; k++)
            cum += rated[k].share;
        dept[i] = k;
    }
    if (n > 1)
        gsl_ran_shuffle(rng, dept, n, sizeof *dept);
    for (size_t i = 0; i < n; i++) {
        lxw_row_t r = (lxw_row_t)i + 1;
        long du = rated_unit(u, nu, dept[i]);
        /* four correlated dimensions: a general factor plus specific ones;
         * satisfaction also follows the department's development level */
        double g = gsl_ran_gaussian(rng, 1.0), f[4];
        for (int d = 0; d < 4; d++)
            f[d] = 0.6 * g + 0.8 * gsl_ran_gaussian(rng, 1.0);
        if (du >= 0)
            f[3] += 2.0 * (u[du].L[1] - 0.6);
        worksheet_write_number(ws, r, 0, (double)(i + 1), NULL);
        worksheet_write_string(ws, r, 1, gsl_rng_uniform(rng) < 0.55 ? "男" : "女", NULL);
        worksheet_write_string(ws, r, 2, ages[gsl_rng_uniform_int(rng, 4)], NULL);
        if (du >= 0) {
            worksheet_write_string(ws, r, 3, u[u[du].parent].name, NULL);
            worksheet_write_string(ws, r, 4, u[du].name, NULL);
        }
        for (int k = 0; k < NITEMS; k++) {
            double lam = item_loading[k];
            double y = lam * f[item_dim[k]] + sqrt(1 - lam * lam) * gsl_ran_gaussian(rng, 1.0);
            if (item_reversed[k])
                y = -y;
            if (gsl_rng_uniform(rng) < 0.004)
                continue; /* an unanswered item */
            worksheet_write_number(ws, r, (lxw_col_t)(NATTRS + k), likert(y), NULL);
        }
    }
    free(dept);
    return finish_workbook(wb, tmp, fd, path, err);
}

/* Writes text to path through a temporary file. */
static egdi_status write_text(const char *path, const char *text, egdi_error *err)
{
    egdi_outfile o;
    egdi_status st = egdi_outfile_open(&o, path, err);
    if (st != EGDI_OK)
        return st;
    if (fputs(text, o.f) < 0) {
        int e = errno;
        egdi_outfile_abort(&o);
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write: %s",
                              e == ENOSPC ? "the disk is full" : strerror(e));
    }
    return egdi_outfile_commit(&o, err);
}

egdi_status egdi_sample_paths(const char *dir, const egdi_sample_opts *o, egdi_sample_files *out,
                              egdi_error *err)
{
    egdi_sample_opts defaults;
    if (!o) {
        egdi_sample_opts_init(&defaults);
        o = &defaults;
    }
    memset(out, 0, sizeof *out);
    char name[64];
    egdi_status rc = make_path(out->units, dir, "units.xlsx", err);
    int rounds[2] = {o->round1, o->round2};
    for (int r = 0; r < 2 && rc == EGDI_OK; r++) {
        snprintf(name, sizeof name, "metrics_%d.xlsx", rounds[r]);
        rc = make_path(out->metrics[r], dir, name, err);
    }
    if (rc == EGDI_OK)
        rc = make_path(out->survey, dir, "survey.xlsx", err);
    if (rc == EGDI_OK)
        rc = make_path(out->labels, dir, "labels.csv", err);
    if (rc == EGDI_OK)
        rc = make_path(out->scales, dir, "scales.csv", err);
    return rc;
}

egdi_status egdi_sample_write(const char *dir, const egdi_model *m, const egdi_sample_opts *o,
                              egdi_sample_files *out, egdi_error *err)
{
    egdi_sample_opts defaults;
    if (!o) {
        egdi_sample_opts_init(&defaults);
        o = &defaults;
    }
    size_t cap = NCITIES * (1 + NDEPTS);
    sample_unit *u = calloc(cap, sizeof *u);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    egdi_status rc = egdi_sample_paths(dir, o, out, err);
    if (rc != EGDI_OK)
        goto done;
    if (!u || !rng) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    gsl_rng_set(rng, o->seed);
    size_t n = make_units(u, o, rng);
    if ((rc = write_units(out->units, u, n, err)) != EGDI_OK)
        goto done;
    int rounds[2] = {o->round1, o->round2};
    for (int r = 0; r < 2; r++)
        if ((rc = write_metrics(out->metrics[r], m, u, n, rounds[r], r, rng, err)) != EGDI_OK)
            goto done;
    if ((rc = write_survey(out->survey, o, u, n, rng, err)) != EGDI_OK)
        goto done;
    char text[2048];
    size_t len = (size_t)snprintf(text, sizeof text, "value,label\n");
    for (int a = 0; a < 5; a++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%d,%s\n", a + 1, answer_labels[a]);
    if ((rc = write_text(out->labels, text, err)) != EGDI_OK)
        goto done;
    len = (size_t)snprintf(text, sizeof text, "scale,item,reversed\n");
    for (int k = 0; k < NITEMS; k++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s,Q%d,%d\n",
                                egdi_sample_scale_names[item_dim[k]], k + 1, item_reversed[k]);
    if ((rc = write_text(out->scales, text, err)) != EGDI_OK)
        goto done;
    out->nunits = n;
    out->nregions = NCITIES;
    out->ndepartments = n - out->nregions;
done:
    gsl_rng_free(rng);
    free(u);
    return rc;
}
