/*
 * Unit tests for reports/: the workbook (read back with libzip + expat),
 * the gnuplot charts (PNG signature and IHDR, SVG parsed by expat), the
 * injection name, the HTML page, and the all-or-nothing writing (read-only
 * directory, /dev/full, a failing gnuplot, a missing gnuplot).
 *
 * The report data are built here: Chinese names, a name made to break out
 * of a gnuplot string (`"; system("touch pwned") #`), and names that look
 * like spreadsheet formulas.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <expat.h>
#include <linux/capability.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "engine/readers/reader.h"
#include "reports/report.h"

#define INJECT "\"; system(\"touch pwned\") #"

#ifndef CLONE_NEWNS
#define CLONE_NEWNS 0x00020000 /* <sched.h> shows it only with _GNU_SOURCE */
#endif

/* ---- test data ----------------------------------------------------------- */

typedef struct {
    char dir[256];
    char inject_abs[512]; /* the injection aimed at an absolute path */
    egdi_report_stage stages[5];
    egdi_report_unit units[8];
    egdi_report_unit regions[3];
    egdi_report_indicator ind[4];
    egdi_report_point pts[3][2];
    egdi_report_series series[3];
    egdi_report_weight weights[4];
    egdi_report_input inputs[1];
    egdi_report_cell cells[6];
    egdi_report_table table;
    double eigen[4], parallel[4], loadings[8];
    egdi_report_survey survey;
    egdi_report_data d;
} fixture;

static const char *const tbl_headers[3] = {"题项", "CR", "=alpha"};
static const char *const items[4] = {"Q1 信息质量", "Q2 互动", "Q3 <支撑>", INJECT};
static const char *const factors[2] = {"因子1", "因子2"};

static egdi_report_unit unit(uint32_t rank, const char *code, const char *name,
                             const char *region, double idx, double a, double b, double c,
                             int stage, uint32_t prev_rank, int prev_stage)
{
    egdi_report_unit u;
    memset(&u, 0, sizeof u);
    u.rank = rank;
    u.code = code;
    u.name = name;
    u.region = region;
    u.kind = region ? "department" : "region";
    u.index = idx;
    u.sub[0] = a;
    u.sub[1] = b;
    u.sub[2] = c;
    u.stage = stage;
    u.prev_rank = prev_rank;
    u.prev_stage = prev_stage;
    u.rankable = rank != 0;
    return u;
}

static void build(fixture *f)
{
    egdi_report_data *d = &f->d;
    memset(d, 0, sizeof *d);
    d->round = 2024;
    d->prev_round = 2023;
    d->lang = EGDI_REPORT_ZH;
    d->nsub = 3;
    d->sub_codes[0] = "CBII";
    d->sub_codes[1] = "GIRI";
    d->sub_codes[2] = "GSI";
    d->nstages = egdi_report_default_stages(f->stages);
    d->stages = f->stages;
    f->stages[0].lower = -INFINITY; /* an open band, as the models code has it */
    snprintf(f->inject_abs, sizeof f->inject_abs, "\"; system(\"touch %s/pwned\") #", f->dir);
    /* index = 0.4 CBII + 0.3 GIRI + 0.3 GSI */
    f->units[0] = unit(1, "D01", "杭州市数据资源管理局", "杭州市", 91.5, 95, 90, 88, 4, 2, 3);
    f->units[1] = unit(2, "D02", INJECT, "宁波市", 80.25, 85, 80, 74.17, 3, 1, 3);
    f->units[2] = unit(3, "D03", "=1+2", "温州市", 70, 70, 70, 70, 2, 3, 2);
    f->units[3] = unit(4, "D04", "+SUM(A1:A9)", "杭州市", 55.5, 60, 50, 55, 1, 5, 1);
    f->units[4] = unit(5, "D05", "-3", "宁波市", 42, 40, 45, 41.67, 1, 4, 2);
    f->units[5] = unit(6, "D06", "@cmd <b>&amp;", "温州市", 21, 20, 22, 21.33, 0, 6, 0);
    f->units[6] = unit(7, "D07", f->inject_abs, "温州市", 12, 10, 14, 12.67, 0, 0, -1);
    f->units[7] = unit(0, "D08", "缺数据的单位", "杭州市", NAN, NAN, 50, NAN, -1, 0, -1);
    f->units[7].coverage = 0.5;
    f->units[7].reason = "数据覆盖率 50% 低于模型要求的 80%；缺少：CBII.1、GSI.2";
    d->nunits = 8;
    d->units = f->units;
    f->regions[0] = unit(1, "R01", "杭州市", NULL, 78.9, 80, 78, 78.33, 3, 1, 3);
    f->regions[1] = unit(2, "R02", "宁波市", NULL, 64.2, 66, 62, 63.93, 2, 3, 1);
    f->regions[2] = unit(3, "R03", "温州市", NULL, 47.1, 45, 50, 46.93, 1, 2, 2);
    d->nregions = 3;
    d->regions = f->regions;
    /* D01's CBII.1 was 90 in 2023; no unit's own weight: the model's */
    f->ind[0] = (egdi_report_indicator){"D01", "杭州市数据资源管理局", "CBII.1", "核心业务信息化覆盖率",
                                        0.92, NULL, 92, "metrics.xlsx!2024!C5", 90, NAN};
    f->ind[1] = (egdi_report_indicator){"D01", NULL, "GSI.2", "领导小组", NAN, "是", 100,
                                        "metrics.xlsx!2024!H5", 100, NAN};
    f->ind[2] = (egdi_report_indicator){"D02", INJECT, "CBII.1", "核心业务信息化覆盖率", 0.85,
                                        NULL, 85, "=HYPERLINK(\"http://x\")", NAN, NAN};
    f->ind[3] = (egdi_report_indicator){"D03", NULL, "CBII.1", "@SUM(1)", NAN, NULL, NAN, NULL,
                                        NAN, NAN};
    d->nindicators = 4;
    d->indicators = f->ind;
    const char *rn[3] = {"杭州市", "宁波市", "温州市 <i>&amp;\""}; /* key titles */
    for (int i = 0; i < 3; i++) {
        f->pts[i][0] = (egdi_report_point){2023, f->regions[i].index - 3 + i * 2};
        f->pts[i][1] = (egdi_report_point){2024, f->regions[i].index};
        f->series[i] = (egdi_report_series){f->regions[i].code, rn[i], 2, f->pts[i]};
    }
    d->nseries = 3;
    d->series = f->series;
    f->weights[0] = (egdi_report_weight){"CBII", "核心业务信息化水平指数", "", 0.4, 0.4};
    f->weights[1] = (egdi_report_weight){"GIRI", "政务信息资源开发利用水平指数", "", 0.3, 0.3};
    f->weights[2] = (egdi_report_weight){"GSI", "综合保障水平指数", "", 0.3, 0.3};
    f->weights[3] = (egdi_report_weight){"CBII.1", "核心业务覆盖率", "CBII", 0.25, 0.1};
    d->method = (egdi_report_method){"pilot", "1.0", "ab12cd", "egdi 0.1.0",
                                     "区域 = 0.7·部门均值 + 0.3·区域指标",
                                     4, f->weights, 1, f->inputs, 0, NULL};
    f->inputs[0] = (egdi_report_input){"metrics-2024.xlsx",
                                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                       2024};
    f->cells[0] = (egdi_report_cell){"A1", 0, false, NULL};
    f->cells[1] = (egdi_report_cell){NULL, 12.3456, false, NULL};
    f->cells[2] = (egdi_report_cell){NULL, 0.912, false, NULL};
    f->cells[3] = (egdi_report_cell){"-A2", 0, false, NULL};
    f->cells[4] = (egdi_report_cell){NULL, 466, true, NULL}; /* a count */
    f->cells[5] = (egdi_report_cell){NULL, NAN, false, NULL};
    f->table = (egdi_report_table){"项目分析（决断值）", 3, 2, tbl_headers, f->cells, 3, NULL, 0};
    double ev[4] = {2.6, 1.1, 0.2, 0.1}, pa[4] = {1.3, 1.1, 0.95, 0.8};
    double ld[8] = {0.81, 0.12, 0.75, 0.2, 0.1, 0.7, -0.3, 0.66};
    memcpy(f->eigen, ev, sizeof ev);
    memcpy(f->parallel, pa, sizeof pa);
    memcpy(f->loadings, ld, sizeof ld);
    f->survey = (egdi_report_survey){"公务员问卷", 1, &f->table, 4, f->eigen, f->parallel,
                                     4, 2, items, factors, f->loadings, 0, NULL};
    d->survey = &f->survey;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/egdi-report-test-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    build(f);
    *state = f;
    return 0;
}

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *dp = opendir(path);
        if (dp) {
            struct dirent *e;
            while ((e = readdir(dp))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                char p[1024];
                snprintf(p, sizeof p, "%s/%s", path, e->d_name);
                rm_rf(p);
            }
            closedir(dp);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!getenv("EGDI_KEEP_REPORT"))
        rm_rf(f->dir);
    free(f);
    return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, fp) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = '\0';
    fclose(fp);
    if (len)
        *len = (size_t)n;
    return b;
}

static char *zip_entry(zip_t *z, const char *name)
{
    zip_stat_t zs;
    if (zip_stat(z, name, 0, &zs) != 0)
        return NULL;
    zip_file_t *zf = zip_fopen(z, name, 0);
    if (!zf)
        return NULL;
    char *b = malloc(zs.size + 1);
    zip_int64_t got = b ? zip_fread(zf, b, zs.size) : -1;
    zip_fclose(zf);
    if (got != (zip_int64_t)zs.size) {
        free(b);
        return NULL;
    }
    b[zs.size] = '\0';
    return b;
}

/* Collected text of an XML document, and what the test looks for in it. */
typedef struct {
    char *text; /* all character data, '\n' between pieces */
    size_t len, cap;
    char root[32];
    int depth;
    /* sheet cells */
    char ref[16], type[8], val[4096];
    bool in_v, in_t, in_f;
    int formulas;
    /* shared strings */
    char *strings[512];
    size_t nstrings;
    char cur[4096];
    size_t curlen;
    bool in_si;
    /* a looked-for cell */
    const char *want_ref;
    char got_type[8], got_val[4096];
    bool got;
} xml_doc;

static void add_text(xml_doc *x, const char *s, size_t n)
{
    if (x->len + n + 2 > x->cap) {
        x->cap = (x->len + n + 2) * 2;
        x->text = realloc(x->text, x->cap);
    }
    memcpy(x->text + x->len, s, n);
    x->len += n;
    x->text[x->len] = '\0';
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xml_doc *x = ud;
    if (x->depth++ == 0)
        snprintf(x->root, sizeof x->root, "%s", name);
    if (!strcmp(name, "c")) {
        x->ref[0] = x->type[0] = x->val[0] = '\0';
        for (int i = 0; atts[i]; i += 2) {
            if (!strcmp(atts[i], "r"))
                snprintf(x->ref, sizeof x->ref, "%s", atts[i + 1]);
            if (!strcmp(atts[i], "t"))
                snprintf(x->type, sizeof x->type, "%s", atts[i + 1]);
        }
    } else if (!strcmp(name, "v")) {
        x->in_v = true;
    } else if (!strcmp(name, "f")) {
        x->formulas++;
    } else if (!strcmp(name, "si")) {
        x->in_si = true;
        x->curlen = 0;
    } else if (!strcmp(name, "t")) {
        x->in_t = true;
    }
}

static void on_end(void *ud, const XML_Char *name)
{
    xml_doc *x = ud;
    x->depth--;
    if (!strcmp(name, "v"))
        x->in_v = false;
    else if (!strcmp(name, "t"))
        x->in_t = false;
    else if (!strcmp(name, "si")) {
        x->in_si = false;
        x->cur[x->curlen] = '\0';
        if (x->nstrings < 512)
            x->strings[x->nstrings++] = strdup(x->cur);
    } else if (!strcmp(name, "c") && x->want_ref && !strcmp(x->ref, x->want_ref)) {
        x->got = true;
        snprintf(x->got_type, sizeof x->got_type, "%s", x->type);
        snprintf(x->got_val, sizeof x->got_val, "%s", x->val);
    }
}

static void on_text(void *ud, const XML_Char *s, int n)
{
    xml_doc *x = ud;
    add_text(x, s, (size_t)n);
    if (x->in_v) {
        size_t l = strlen(x->val);
        if (l + (size_t)n < sizeof x->val) {
            memcpy(x->val + l, s, (size_t)n);
            x->val[l + (size_t)n] = '\0';
        }
    }
    if (x->in_si && x->in_t && x->curlen + (size_t)n < sizeof x->cur) {
        memcpy(x->cur + x->curlen, s, (size_t)n);
        x->curlen += (size_t)n;
    }
}

/* Parses text with expat; true when it is well-formed XML. */
static bool parse_xml(const char *text, size_t len, xml_doc *x)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    bool ok = XML_Parse(p, text, (int)len, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok;
}

static void xml_free(xml_doc *x)
{
    free(x->text);
    for (size_t i = 0; i < x->nstrings; i++)
        free(x->strings[i]);
}

/* The value of cell ref of a sheet: shared strings resolved. */
static void cell(const char *sheet_xml, xml_doc *sst, const char *ref, char *type,
                 char *val, size_t size)
{
    xml_doc x;
    memset(&x, 0, sizeof x);
    x.want_ref = ref;
    assert_true(parse_xml(sheet_xml, strlen(sheet_xml), &x));
    assert_true(x.got);
    snprintf(type, 8, "%s", x.got_type);
    if (!strcmp(x.got_type, "s")) {
        size_t i = (size_t)atoi(x.got_val);
        assert_true(i < sst->nstrings);
        snprintf(val, size, "%s", sst->strings[i]);
    } else {
        snprintf(val, size, "%s", x.got_val);
    }
    xml_free(&x);
}

static void path2(char *buf, size_t size, const char *a, const char *b)
{
    int n = snprintf(buf, size, "%s/%s", a, b);
    assert_true(n > 0 && (size_t)n < size);
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static bool gnuplot_here(void)
{
    return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

/* No file or directory named like a staging directory is left in dir. */
static void no_staging_left(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *e;
    while ((e = readdir(dp))) {
        assert_null(strstr(e->d_name, ".egdi-report-"));
        assert_null(strstr(e->d_name, ".egdi-scorecards-"));
    }
    closedir(dp);
}

/* ---- tests --------------------------------------------------------------- */

static void write_report(fixture *f, const char *sub, egdi_report_result *res)
{
    char dir[512];
    path2(dir, sizeof dir, f->dir, sub);
    assert_int_equal(mkdir(dir, 0755), 0);
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_report_write(&f->d, dir, NULL, res, &err);
    if (st)
        fail_msg("report: %s", err.message);
    no_staging_left(dir);
}

static void workbook_has_sheets_values_and_text_not_formulas(void **state)
{
    fixture *f = *state;
    egdi_report_result res;
    write_report(f, "wb", &res);
    char p[512];
    path2(p, sizeof p, f->dir, "wb/report.xlsx");
    int ze = 0;
    zip_t *z = zip_open(p, ZIP_RDONLY, &ze);
    assert_non_null(z);

    char *wbx = zip_entry(z, "xl/workbook.xml");
    assert_non_null(wbx);
    const char *order[6] = {"\"Ranking\"", "\"Regions\"", "\"Stages\"", "\"Indicators\"",
                            "\"Survey\"", "\"Method\""};
    const char *at = wbx;
    for (int i = 0; i < 6; i++) {
        const char *q = strstr(at, order[i]);
        if (!q)
            fail_msg("sheet %s missing or out of order", order[i]);
        at = q;
    }
    free(wbx);

    char *ssx = zip_entry(z, "xl/sharedStrings.xml");
    assert_non_null(ssx);
    xml_doc sst;
    memset(&sst, 0, sizeof sst);
    assert_true(parse_xml(ssx, strlen(ssx), &sst));
    free(ssx);

    /* Ranking: header row, then rank, code, name, region, EGDI, CBII, GIRI,
     * GSI, stage, previous rank, change, previous stage. */
    char *s1 = zip_entry(z, "xl/worksheets/sheet1.xml");
    assert_non_null(s1);
    char t[8], v[4096];
    cell(s1, &sst, "A1", t, v, sizeof v);
    assert_string_equal(v, "排名");
    cell(s1, &sst, "E1", t, v, sizeof v);
    assert_string_equal(v, "EGDI");
    cell(s1, &sst, "C2", t, v, sizeof v);
    assert_string_equal(t, "s");
    assert_string_equal(v, "杭州市数据资源管理局");
    cell(s1, &sst, "E2", t, v, sizeof v);
    assert_string_equal(t, "");
    assert_float_equal(strtod(v, NULL), 91.5, 1e-12);
    cell(s1, &sst, "H3", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 74.17, 1e-12);
    cell(s1, &sst, "I2", t, v, sizeof v);
    assert_string_equal(v, "融合发展阶段");
    cell(s1, &sst, "J2", t, v, sizeof v); /* previous rank 2 */
    assert_float_equal(strtod(v, NULL), 2, 0);
    cell(s1, &sst, "K2", t, v, sizeof v); /* 2 -> 1: up one */
    assert_float_equal(strtod(v, NULL), 1, 0);
    cell(s1, &sst, "K6", t, v, sizeof v); /* 4 -> 5: down one */
    assert_float_equal(strtod(v, NULL), -1, 0);
    cell(s1, &sst, "A9", t, v, sizeof v);
    assert_string_equal(v, "不参与排名");
    /* the injection and formula-looking names are plain strings */
    cell(s1, &sst, "C3", t, v, sizeof v);
    assert_string_equal(t, "s");
    assert_string_equal(v, INJECT);
    const char *ff[4][2] = {{"C4", "=1+2"}, {"C5", "+SUM(A1:A9)"}, {"C6", "-3"},
                            {"C7", "@cmd <b>&amp;"}};
    for (int i = 0; i < 4; i++) {
        cell(s1, &sst, ff[i][0], t, v, sizeof v);
        assert_string_equal(t, "s");
        assert_string_equal(v, ff[i][1]);
    }
    assert_non_null(strstr(s1, "<pane ")); /* frozen header */
    assert_non_null(strstr(s1, "<autoFilter "));
    assert_non_null(strstr(s1, "<cols>"));
    free(s1);

    /* no formula anywhere in the workbook */
    for (int i = 1; i <= 6; i++) {
        char name[64];
        snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i);
        char *sx = zip_entry(z, name);
        assert_non_null(sx);
        xml_doc x;
        memset(&x, 0, sizeof x);
        assert_true(parse_xml(sx, strlen(sx), &x));
        assert_int_equal(x.formulas, 0);
        xml_free(&x);
        free(sx);
    }

    /* Regions: rank, code, name, EGDI... */
    char *s2 = zip_entry(z, "xl/worksheets/sheet2.xml");
    cell(s2, &sst, "C3", t, v, sizeof v);
    assert_string_equal(v, "宁波市");
    cell(s2, &sst, "D3", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 64.2, 1e-12);
    free(s2);

    /* Stages: counts of the units per stage: preparation 2 (D06, D07),
     * initial 2, supporting 1, deepening 1, integration 1; the transition
     * deepening (2023) -> integration (2024) counts D01: the matrix starts
     * two rows below the "no stage" row (7), title row 10, header row 11,
     * so "deepening" is row 15 and "integration" column F. */
    char *s3 = zip_entry(z, "xl/worksheets/sheet3.xml");
    const char *cnt[5][2] = {{"D2", "2"}, {"D3", "2"}, {"D4", "1"}, {"D5", "1"}, {"D6", "1"}};
    for (int i = 0; i < 5; i++) {
        cell(s3, &sst, cnt[i][0], t, v, sizeof v);
        assert_string_equal(v, cnt[i][1]);
    }
    cell(s3, &sst, "A15", t, v, sizeof v); /* matrix row "deepening" */
    assert_string_equal(v, "深度发展阶段");
    cell(s3, &sst, "F15", t, v, sizeof v);
    assert_string_equal(v, "1");
    free(s3);

    /* Indicators (issue 20: wide): code, name, region, then one column per
     * indicator with the raw value; D01 (row 2) CBII.1 0.92 and GSI.2 "是" */
    char *s4 = zip_entry(z, "xl/worksheets/sheet4.xml");
    cell(s4, &sst, "D1", t, v, sizeof v);
    assert_string_equal(v, "CBII.1");
    cell(s4, &sst, "E1", t, v, sizeof v);
    assert_string_equal(v, "GSI.2");
    cell(s4, &sst, "D2", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 0.92, 1e-12);
    cell(s4, &sst, "E2", t, v, sizeof v);
    assert_string_equal(v, "是");
    cell(s4, &sst, "D3", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 0.85, 1e-12);
    free(s4);
    /* Sources (sheet 9): D01's file and row, the columns in row 2 (so its
     * value cells are blank); D02's formula-looking source is a string */
    char *s9 = zip_entry(z, "xl/worksheets/sheet9.xml");
    assert_non_null(s9);
    cell(s9, &sst, "F2", t, v, sizeof v);
    assert_string_equal(v, "C");
    cell(s9, &sst, "G2", t, v, sizeof v);
    assert_string_equal(v, "H");
    cell(s9, &sst, "D3", t, v, sizeof v);
    assert_string_equal(v, "metrics.xlsx!2024");
    cell(s9, &sst, "E3", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 5, 0);
    cell(s9, &sst, "F4", t, v, sizeof v);
    assert_string_equal(t, "s");
    assert_string_equal(v, "=HYPERLINK(\"http://x\")");
    free(s9);

    /* Survey: name (row 1), table title (row 3), header (row 4): "=alpha"
     * is text; numbers are numbers */
    char *s5 = zip_entry(z, "xl/worksheets/sheet5.xml");
    cell(s5, &sst, "C4", t, v, sizeof v);
    assert_string_equal(t, "s");
    assert_string_equal(v, "=alpha");
    cell(s5, &sst, "B5", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 12.3456, 1e-12);
    cell(s5, &sst, "A6", t, v, sizeof v);
    assert_string_equal(v, "-A2");
    cell(s5, &sst, "B6", t, v, sizeof v); /* a count is a number, not text */
    assert_string_equal(t, "");
    assert_float_equal(strtod(v, NULL), 466, 0);
    free(s5);

    /* Method: model name and the input hash */
    char *s6 = zip_entry(z, "xl/worksheets/sheet6.xml");
    cell(s6, &sst, "B4", t, v, sizeof v);
    assert_string_equal(v, "pilot");
    free(s6);
    bool hash = false;
    for (size_t i = 0; i < sst.nstrings; i++)
        hash = hash || !strcmp(sst.strings[i], f->inputs[0].sha256);
    assert_true(hash);

    /* native charts: ranking, region ranking, sub-indices, stages */
    for (int i = 1; i <= 4; i++) {
        char name[64];
        snprintf(name, sizeof name, "xl/charts/chart%d.xml", i);
        char *cx = zip_entry(z, name);
        if (!cx)
            fail_msg("%s missing", name);
        if (i == 1) { /* the 7 ranked units, names and EGDI, rank 1 on top */
            assert_non_null(strstr(cx, "<c:f>Ranking!$C$2:$C$8</c:f>"));
            assert_non_null(strstr(cx, "<c:f>Ranking!$E$2:$E$8</c:f>"));
            assert_non_null(strstr(cx, "<c:orientation val=\"maxMin\"/>"));
            assert_non_null(strstr(cx, "1A9850")); /* rank 1 in its stage colour */
        }
        free(cx);
    }
    xml_free(&sst);
    zip_close(z);
}

/* Reads row number `want` (1-based) of a sheet with the project's reader. */
static void read_row(const char *path, const char *sheet, uint32_t want,
                     void (*check)(const egdi_row *row))
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.sheet = sheet;
    egdi_reader *r = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_reader_open(&r, path, &o, &err))
        fail_msg("open %s: %s", sheet, err.message);
    egdi_row row;
    egdi_status st;
    while ((st = egdi_reader_next(r, &row, &err)) == EGDI_OK)
        if (row.number == want) {
            check(&row);
            egdi_reader_close(r);
            return;
        }
    egdi_reader_close(r);
    fail_msg("sheet %s has no row %u (%s)", sheet, want, err.message);
}

static void text_is(const egdi_row *row, size_t col, const char *want)
{
    assert_true(col < row->ncells);
    assert_int_equal(row->cells[col].type, EGDI_CELL_TEXT);
    assert_string_equal(row->cells[col].text, want);
}

static void number_is(const egdi_row *row, size_t col, double want)
{
    assert_true(col < row->ncells);
    assert_int_equal(row->cells[col].type, EGDI_CELL_NUMBER);
    assert_float_equal(row->cells[col].num, want, 1e-12);
}

static void ranking_header(const egdi_row *r)
{
    const char *h[12] = {"排名", "代码", "名称", "所属地区", "EGDI", "CBII", "GIRI", "GSI",
                         "发展阶段", "上期排名", "名次变化", "上期阶段"};
    assert_int_equal(r->ncells, 12);
    for (size_t i = 0; i < 12; i++)
        text_is(r, i, h[i]);
}

static void ranking_row2(const egdi_row *r)
{
    number_is(r, 0, 1);
    text_is(r, 1, "D01");
    text_is(r, 2, "杭州市数据资源管理局");
    text_is(r, 3, "杭州市");
    number_is(r, 4, 91.5);
    number_is(r, 5, 95);
    number_is(r, 6, 90);
    number_is(r, 7, 88);
    text_is(r, 8, "融合发展阶段");
    number_is(r, 9, 2);
    number_is(r, 10, 1);
    text_is(r, 11, "深度发展阶段");
}

static void ranking_row3(const egdi_row *r) { text_is(r, 2, INJECT); }
static void ranking_row4(const egdi_row *r) { text_is(r, 2, "=1+2"); number_is(r, 4, 70); }
static void ranking_row5(const egdi_row *r) { text_is(r, 2, "+SUM(A1:A9)"); }
static void ranking_row6(const egdi_row *r) { text_is(r, 2, "-3"); }
static void ranking_row7(const egdi_row *r) { text_is(r, 2, "@cmd <b>&amp;"); }
static void ranking_row9(const egdi_row *r)
{
    text_is(r, 0, "不参与排名");
    assert_int_equal(r->cells[4].type, EGDI_CELL_EMPTY); /* missing EGDI */
    number_is(r, 6, 50);
}
static void regions_row2(const egdi_row *r)
{
    text_is(r, 2, "杭州市");
    number_is(r, 3, 78.9);
}
static void stages_row2(const egdi_row *r)
{
    text_is(r, 0, "preparation");
    text_is(r, 1, "准备发展阶段");
    text_is(r, 2, "< 30");
    number_is(r, 3, 2);
}
static void indicators_row3(const egdi_row *r)
{
    text_is(r, 0, "D02");
    text_is(r, 1, INJECT);
    text_is(r, 2, "宁波市");
    number_is(r, 3, 0.85);
}
static void sources_row4(const egdi_row *r)
{
    text_is(r, 0, "D02");
    text_is(r, 5, "=HYPERLINK(\"http://x\")");
}
static void survey_row4(const egdi_row *r) { text_is(r, 2, "=alpha"); }
static void method_row4(const egdi_row *r) { text_is(r, 1, "pilot"); }

/* The workbook through the project's own XLSX reader: every sheet opens by
 * name, values and types are as written. */
static void workbook_reads_back_with_egdi_reader(void **state)
{
    fixture *f = *state;
    egdi_report_result res;
    egdi_report_options opt = {.no_charts = true};
    char dir[512], p[512];
    path2(dir, sizeof dir, f->dir, "rd");
    assert_int_equal(mkdir(dir, 0755), 0);
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_report_write(&f->d, dir, &opt, &res, &err), EGDI_OK);
    path2(p, sizeof p, dir, "report.xlsx");
    read_row(p, "Ranking", 1, ranking_header);
    read_row(p, "Ranking", 2, ranking_row2);
    read_row(p, "Ranking", 3, ranking_row3);
    read_row(p, "Ranking", 4, ranking_row4);
    read_row(p, "Ranking", 5, ranking_row5);
    read_row(p, "Ranking", 6, ranking_row6);
    read_row(p, "Ranking", 7, ranking_row7);
    read_row(p, "Ranking", 9, ranking_row9);
    read_row(p, "Regions", 2, regions_row2);
    read_row(p, "Stages", 2, stages_row2);
    read_row(p, "Indicators", 3, indicators_row3);
    read_row(p, "Sources", 4, sources_row4);
    read_row(p, "Survey", 4, survey_row4);
    read_row(p, "Method", 4, method_row4);
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.sheet = "Charts";
    egdi_reader *r = NULL;
    assert_int_equal(egdi_reader_open(&r, p, &o, &err), EGDI_ERR_NOT_FOUND);
    assert_null(r);
}

/* PNG: signature, then an IHDR chunk with a non-zero size. */
static void check_png(const char *path)
{
    size_t n = 0;
    unsigned char *b = (unsigned char *)slurp(path, &n);
    if (!b)
        fail_msg("%s missing", path);
    assert_true(n > 33);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    uint32_t w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    uint32_t h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
    assert_true(w >= 300 && w <= 4000);
    assert_true(h >= 200 && h <= 8000);
    free(b);
}

/* SVG: well-formed XML with an <svg> root; returns its text content. */
static char *check_svg(const char *path)
{
    size_t n = 0;
    char *b = slurp(path, &n);
    if (!b)
        fail_msg("%s missing", path);
    xml_doc x;
    memset(&x, 0, sizeof x);
    if (!parse_xml(b, n, &x))
        fail_msg("%s is not well-formed XML", path);
    assert_string_equal(x.root, "svg");
    free(b);
    char *text = x.text ? x.text : strdup("");
    x.text = NULL;
    xml_free(&x);
    return text;
}

static void charts_are_png_and_svg_and_injection_is_a_label(void **state)
{
    fixture *f = *state;
    if (!gnuplot_here())
        fail_msg("gnuplot is not installed (make deps)");
    /* the scripts ask for this font; without it Chinese shows as boxes */
    if (system("fc-list 2>/dev/null | grep -q 'Noto Sans CJK SC'") != 0)
        fail_msg("font \"Noto Sans CJK SC\" missing (fonts-noto-cjk; make deps)");
    /* control: the detection below would see a command that ran */
    char ctl[600];
    snprintf(ctl, sizeof ctl, "gnuplot -e 'system(\"touch %s/control\")' 2>/dev/null", f->dir);
    assert_int_equal(system(ctl), 0);
    char p[512];
    path2(p, sizeof p, f->dir, "control");
    assert_true(exists(p));

    /* an uncertainty run, so that the intervals chart is drawn too */
    static const egdi_report_uncertainty unc = {1, "weights: uniform +-20 %", "sobol", 1, 1000,
                                                0.8};
    f->d.uncertainty = &unc;
    for (size_t i = 0; i < f->d.nunits; i++) {
        double r = (double)f->units[i].rank;
        f->units[i].rank_lo = r > 0 ? (r > 1 ? r - 1 : 1) : NAN;
        f->units[i].rank_hi = r > 0 ? r + 1 : NAN;
        f->units[i].p_stage = i == 1 ? 0.6 : 1;
        f->units[i].stage_uncertain = i == 1;
    }
    egdi_report_result res;
    write_report(f, "ch", &res);
    for (int k = 0; k < EGDI_CHART_COUNT; k++) {
        if (res.charts[k].state != EGDI_CHART_WRITTEN)
            fail_msg("chart %s: %s", egdi_chart_name((egdi_chart_kind)k), res.charts[k].reason);
        char name[128];
        snprintf(name, sizeof name, "ch/charts/%s.png", egdi_chart_name((egdi_chart_kind)k));
        path2(p, sizeof p, f->dir, name);
        check_png(p);
        snprintf(name, sizeof name, "ch/charts/%s.svg", egdi_chart_name((egdi_chart_kind)k));
        path2(p, sizeof p, f->dir, name);
        free(check_svg(p));
    }
    /* the injection ran nothing, here, in the report or in the cwd */
    path2(p, sizeof p, f->dir, "pwned");
    assert_false(exists(p));
    path2(p, sizeof p, f->dir, "ch/pwned");
    assert_false(exists(p));
    path2(p, sizeof p, f->dir, "ch/charts/pwned");
    assert_false(exists(p));
    assert_false(exists("pwned"));
    /* ... and is a label of the ranking chart, as written; so are the
     * Chinese names */
    path2(p, sizeof p, f->dir, "ch/charts/ranking.svg");
    char *text = check_svg(p);
    assert_non_null(strstr(text, INJECT));
    assert_non_null(strstr(text, f->inject_abs));
    assert_non_null(strstr(text, "杭州市数据资源管理局"));
    assert_non_null(strstr(text, "@cmd <b>&amp;"));
    assert_non_null(strstr(text, "融合发展阶段")); /* stage legend */
    free(text);
    path2(p, sizeof p, f->dir, "ch/charts/loadings.svg");
    text = check_svg(p);
    assert_non_null(strstr(text, INJECT)); /* an item label */
    assert_non_null(strstr(text, "Q3 <支撑>"));
    free(text);
    path2(p, sizeof p, f->dir, "ch/charts/trend.svg");
    text = check_svg(p);
    assert_non_null(strstr(text, "温州市 <i>&amp;\"")); /* a key title, as written */
    free(text);
}

/* The annual report's parts (issue 17): contents, overview (stage change,
 * transitions, movers, near a boundary, not rankable and why), a section
 * per region with its sub-indices against the province, the heat table,
 * both rounds' inputs, the phone and print stylesheets. */
static void html_has_contents_overview_regions_and_heat(void **state)
{
    fixture *f = *state;
    f->units[4].index = 30.4; /* D05: 0.4 above the initial stage's lower bound 30 */
    egdi_report_result res;
    write_report(f, "parts", &res);
    char p[512];
    path2(p, sizeof p, f->dir, "parts/report.html");
    char *h = slurp(p, NULL);
    assert_non_null(h);
    /* contents link every part and every region */
    assert_non_null(strstr(h, "<nav class=\"toc\" id=\"toc\">"));
    assert_non_null(strstr(h, "<li><a href=\"#region-1\">杭州市</a></li>"));
    assert_non_null(strstr(h, "<li><a href=\"#region-3\">温州市</a></li>"));
    assert_non_null(strstr(h, "href=\"#heat\""));
    assert_non_null(strstr(h, "<section class=\"part\" id=\"overview\">"));
    /* stage counts 2023 -> 2024 with the change: supporting (stage 2) had
     * D03, D05 (prev 2), now D03 only: 2 -> 1, -1 */
    assert_non_null(strstr(h, "<td>支撑发展阶段</td><td class=\"n\">2</td><td class=\"n\">1</td>"
                              "<td class=\"n\" data-v=\"-1\"><span class=\"down\">&minus;1</span>"));
    /* transitions (row = 2023 stage): deepening -> deepening (D02) and
     * deepening -> integration (D01); supporting -> initial (D05) and
     * supporting -> supporting (D03) */
    assert_non_null(strstr(h, "<td class=\"n diag\">1</td><td class=\"n up\">1</td></tr>"));
    assert_non_null(strstr(h, "<td class=\"n down\">1</td><td class=\"n diag\">1</td>"));
    /* movers: D01 rose from 2 to 1 first; D05 fell from 4 to 5 */
    const char *up = strstr(h, "排名上升最多");
    const char *down = strstr(h, "排名下降最多");
    assert_true(up && down && up < down);
    const char *d01 = strstr(up, "杭州市数据资源管理局");
    assert_true(d01 && d01 < down);
    assert_non_null(strstr(down, "<td class=\"name\">-3</td><td class=\"name\">宁波市</td>"
                                 "<td class=\"n\">4</td>"));
    /* near a boundary: D05 at 30.40, 0.40 above 30 */
    const char *near = strstr(h, "id=\"near-table\"");
    assert_non_null(near);
    assert_non_null(strstr(near, "<td class=\"n\">30.40</td><td class=\"n\">30</td>"
                                 "<td class=\"n\" data-v=\"0.40\"><span class=\"up\">+0.40</span>"));
    /* not rankable, with the reason, in the overview and in its region */
    const char *unr = strstr(h, "id=\"unrankable-table\"");
    assert_non_null(unr);
    assert_non_null(strstr(unr, "<td class=\"code\">D08</td><td class=\"name\">缺数据的单位</td>"
                                "<td class=\"name\">杭州市</td><td class=\"n\">50%</td>"
                                "<td>数据覆盖率 50% 低于模型要求的 80%；缺少：CBII.1、GSI.2</td>"));
    /* region 1 (杭州市): its index against the regions' median (64.2, the
     * middle of 78.9, 64.2, 47.1) and best (78.9): +14.70 */
    const char *r1 = strstr(h, "<section class=\"part region\" id=\"region-1\"><h2>杭州市</h2>");
    assert_non_null(r1);
    const char *r2 = strstr(h, "id=\"region-2\"");
    assert_true(r2 && r1 < r2);
    const char *vs = strstr(r1, "<th>EGDI</th><td class=\"n\">78.90</td><td class=\"n\">64.20</td>"
                                "<td class=\"n\">78.90</td><td class=\"n\" data-v=\"14.70\">"
                                "<span class=\"up\">+14.70</span>");
    assert_true(vs && vs < r2);
    /* its departments: D01 first in the region and in the province, D04
     * second in the region and 4th in the province, D08 with its reason */
    const char *a = strstr(r1, "<td class=\"n\">1</td><td class=\"n\">1</td><td class=\"name\">"
                               "杭州市数据资源管理局</td>");
    const char *b = strstr(r1, "<td class=\"n\">2</td><td class=\"n\">4</td><td class=\"name\">"
                               "+SUM(A1:A9)</td>");
    const char *c = strstr(r1, "<td>数据覆盖率 50%");
    assert_true(a && b && c && a < b && b < c && c < r2);
    /* heat table: D01's CBII.1 92 and GSI.2 100 in the integration tint,
     * D02's 85 in the deepening tint (#91cf60 -> #cde9b7), D03 empty */
    const char *heat = strstr(h, "id=\"heat-table\"");
    assert_non_null(heat);
    assert_non_null(strstr(heat, "<th title=\"核心业务信息化覆盖率\">CBII.1</th>"
                                 "<th title=\"领导小组\">GSI.2</th>"));
    assert_non_null(strstr(heat, "<td class=\"n\" style=\"background:#97d0b0\">92</td>"
                                 "<td class=\"n\" style=\"background:#97d0b0\">100</td></tr>"));
    assert_non_null(strstr(heat, "<td class=\"n\" style=\"background:#cde9b7\">85</td>"
                                 "<td class=\"n na\"></td></tr>"));
    /* inputs with their round */
    assert_non_null(strstr(h, "<tr><td class=\"n\">2024</td><td>metrics-2024.xlsx</td>"));
    /* phone: tables scroll in their own box; print: A4, a page per part
     * (the overview on page 1 after the contents, the regions' sections
     * running on), headings kept with what follows, table headings
     * repeated, the heat table one line per unit */
    assert_non_null(strstr(h, ".scroll{overflow-x:auto;max-width:100%"));
    assert_non_null(strstr(h, "@media (max-width:600px)"));
    assert_non_null(strstr(h, "@media print{@page{size:A4"));
    assert_non_null(strstr(h, "section.part{break-before:page}section#overview,section.region"
                              "{break-before:auto}h2,h3,h4{break-after:avoid}"));
    assert_non_null(strstr(h, "table.heat td.name{white-space:nowrap"));
    assert_non_null(strstr(h, "thead{display:table-header-group}"));
    /* every table sits in a scroll box (the box opens right before it) */
    for (const char *q = strstr(h, "<table"); q; q = strstr(q + 1, "<table")) {
        const char *open = q - 1;
        while (open > h && *open != '<')
            open--;
        if (strncmp(open, "<div class=\"scroll", 18) != 0)
            fail_msg("a table outside a scroll box: %.60s", q);
    }
    free(h);
}

/* The workbook's unit x indicator sheet and the flags sheet (issue 17). */
static void workbook_has_matrix_and_flags(void **state)
{
    fixture *f = *state;
    egdi_report_result res;
    write_report(f, "mx", &res);
    char p[512];
    path2(p, sizeof p, f->dir, "mx/report.xlsx");
    int ze = 0;
    zip_t *z = zip_open(p, ZIP_RDONLY, &ze);
    assert_non_null(z);
    char *wbx = zip_entry(z, "xl/workbook.xml");
    assert_non_null(wbx);
    const char *m = strstr(wbx, "\"Method\""), *mx = strstr(wbx, "\"Matrix\""),
               *fl = strstr(wbx, "\"Flags\"");
    assert_true(m && mx && fl && m < mx && mx < fl);
    free(wbx);
    char *ssx = zip_entry(z, "xl/sharedStrings.xml");
    xml_doc sst;
    memset(&sst, 0, sizeof sst);
    assert_true(parse_xml(ssx, strlen(ssx), &sst));
    free(ssx);
    char t[8], v[4096];
    /* Matrix (sheet 7): rank, code, name, region, EGDI, stage, then one
     * column per indicator; D01 (row 2) 92 and 100, D02 (row 3) 85 */
    char *s7 = zip_entry(z, "xl/worksheets/sheet7.xml");
    assert_non_null(s7);
    cell(s7, &sst, "G1", t, v, sizeof v);
    assert_string_equal(v, "CBII.1");
    cell(s7, &sst, "H1", t, v, sizeof v);
    assert_string_equal(v, "GSI.2");
    cell(s7, &sst, "B2", t, v, sizeof v);
    assert_string_equal(v, "D01");
    cell(s7, &sst, "G2", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 92, 0);
    cell(s7, &sst, "H2", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 100, 0);
    cell(s7, &sst, "G3", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 85, 0);
    cell(s7, &sst, "F9", t, v, sizeof v); /* D08: the reason as its stage */
    assert_string_equal(v, "数据覆盖率 50% 低于模型要求的 80%；缺少：CBII.1、GSI.2");
    free(s7);
    /* Flags (sheet 8): no unit near a boundary in the fixture, then D08 */
    char *s8 = zip_entry(z, "xl/worksheets/sheet8.xml");
    assert_non_null(s8);
    cell(s8, &sst, "A6", t, v, sizeof v);
    assert_string_equal(v, "D08");
    cell(s8, &sst, "C6", t, v, sizeof v);
    assert_float_equal(strtod(v, NULL), 0.5, 0);
    free(s8);
    xml_free(&sst);
    zip_close(z);
}

/* The radar and the trend chart draw the top EGDI_CHART_MAX_SERIES (20)
 * regions with 20 distinct styles and name the rest in the picture and
 * under it; the PNG is twice the SVG's size. */
static uint32_t png_width(const char *path)
{
    size_t n = 0;
    unsigned char *b = (unsigned char *)slurp(path, &n);
    assert_non_null(b);
    assert_true(n > 24);
    uint32_t w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    free(b);
    return w;
}

static void charts_draw_the_top_and_name_the_rest(void **state)
{
    fixture *f = *state;
    enum { NR = 26 };
    static egdi_report_unit regs[NR];
    static egdi_report_series ser[NR];
    static egdi_report_point pts[NR][2];
    static char codes[NR][8], names[NR][32];
    for (int i = 0; i < NR; i++) {
        snprintf(codes[i], sizeof codes[i], "R%02d", i + 1);
        snprintf(names[i], sizeof names[i], "地区%02d", i + 1);
        double v = 90 - i;
        regs[i] = unit((uint32_t)i + 1, codes[i], names[i], NULL, v, v, v - 1, v - 2, 3, 0, -1);
        pts[i][0] = (egdi_report_point){2023, v - 2};
        pts[i][1] = (egdi_report_point){2024, v};
        /* series in code order, as the store gives them: reversed here */
        ser[NR - 1 - i] = (egdi_report_series){codes[i], names[i], 2, pts[i]};
    }
    regs[3].sub[1] = NAN; /* 地区04 lacks a sub-index: not on the radar */
    f->d.regions = regs;
    f->d.nregions = NR;
    f->d.series = ser;
    f->d.nseries = NR;
    size_t idx[EGDI_CHART_MAX_SERIES], rest = 0;
    /* radar: the first 20 complete regions in rank order (地区04 skipped),
     * 6 left out (地区04 and 地区22..26) */
    assert_int_equal(egdi_chart_series(&f->d, EGDI_CHART_RADAR, idx, &rest), 20);
    assert_int_equal(rest, 6);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[3], 4);
    assert_int_equal(idx[19], 20);
    /* trend: the series of the top 20 regions, in rank order */
    assert_int_equal(egdi_chart_series(&f->d, EGDI_CHART_TREND, idx, &rest), 20);
    assert_int_equal(rest, 6);
    assert_int_equal(idx[0], NR - 1);
    assert_int_equal(idx[19], NR - 20);
    egdi_report_result res;
    write_report(f, "top", &res);
    assert_int_equal(res.charts[EGDI_CHART_RADAR].state, EGDI_CHART_WRITTEN);
    char p[512];
    path2(p, sizeof p, f->dir, "top/charts/radar.svg");
    char *text = check_svg(p);
    assert_non_null(strstr(text, "另有 6 个未画出：地区04、地区22、地区23、地区24、地区25、地区26"));
    assert_null(strstr(text, "地区21、"));
    free(text);
    path2(p, sizeof p, f->dir, "top/charts/trend.svg");
    text = check_svg(p);
    assert_non_null(strstr(text, "另有 6 个未画出：地区21、地区22、地区23、地区24、地区25、地区26"));
    free(text);
    /* the page names them under each chart */
    path2(p, sizeof p, f->dir, "top/report.html");
    char *h = slurp(p, NULL);
    assert_non_null(h);
    assert_non_null(strstr(h, "<p class=\"meta rest\" id=\"rest-radar\">图中画出 20 个（按排名）；"
                              "未画出的 6 个：地区04、地区22、地区23、地区24、地区25、地区26</p>"));
    assert_non_null(strstr(h, "id=\"rest-trend\">图中画出 20 个（按排名）；未画出的 6 个：地区21、"));
    free(h);
    /* 20 line styles: colour, dash and marker each set, cycling after 20 */
    path2(p, sizeof p, f->dir, "top/charts/radar.svg");
    char *svg = slurp(p, NULL);
    assert_non_null(svg);
    size_t colours = 0;
    static const char *const pal[20] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
                                        "#0b3d91", "#b8860b", "#006400", "#8b0000", "#4b0082",
                                        "#ff1493", "#2f4f4f", "#c5a000", "#6b8e23", "#00868b"};
    for (int i = 0; i < 20; i++) {
        char want[32];
        snprintf(want, sizeof want, "rgb(%3d, %3d, %3d)", (int)strtol(pal[i] + 1, NULL, 16) >> 16,
                 (int)(strtol(pal[i] + 1, NULL, 16) >> 8) & 0xff,
                 (int)strtol(pal[i] + 1, NULL, 16) & 0xff);
        colours += strstr(svg, want) != NULL;
    }
    assert_int_equal(colours, 20);
    assert_non_null(strstr(svg, "stroke-dasharray")); /* the dashed ten */
    free(svg);
    /* PNG at twice the SVG's width (980 px) */
    path2(p, sizeof p, f->dir, "top/charts/radar.png");
    assert_int_equal(png_width(p), 1960);
    path2(p, sizeof p, f->dir, "top/charts/trend.png");
    assert_int_equal(png_width(p), 1960);
}

/* The paper tables (issue 17) name the tables not produced, with the
 * option that produces them, at the end of the page and on a last sheet;
 * with none, neither is there. */
static void paper_lists_tables_not_produced(void **state)
{
    fixture *f = *state;
    egdi_report_survey sv = f->survey;
    static const char *const om[1] = {"回归分析：请用 --regress \"Y ~ X1 + X2\" 给出模型"};
    sv.nomitted = 1;
    sv.omitted = om;
    char dir[512], p[600];
    path2(dir, sizeof dir, f->dir, "paper");
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_paper_write(&sv, EGDI_REPORT_ZH, dir, &err))
        fail_msg("paper: %s", err.message);
    path2(p, sizeof p, dir, "tables.html");
    char *h = slurp(p, NULL);
    assert_non_null(h);
    const char *o = strstr(h, "<h2 id=\"omitted\"");
    assert_non_null(o);
    assert_non_null(strstr(o, "未生成的表</h2>\n<ul>\n<li>回归分析：请用 --regress &quot;Y ~ X1 + X2&quot; "
                              "给出模型</li>\n</ul>"));
    free(h);
    path2(p, sizeof p, dir, "tables.xlsx");
    int ze = 0;
    zip_t *z = zip_open(p, ZIP_RDONLY, &ze);
    assert_non_null(z);
    char *wbx = zip_entry(z, "xl/workbook.xml");
    assert_non_null(wbx);
    const char *t1 = strstr(wbx, "name=\"表1\""), *no = strstr(wbx, "name=\"未生成的表\"");
    assert_true(t1 && no && t1 < no);
    free(wbx);
    zip_close(z);
    sv.nomitted = 0;
    if (egdi_paper_write(&sv, EGDI_REPORT_ZH, dir, &err))
        fail_msg("paper again: %s", err.message);
    path2(p, sizeof p, dir, "tables.html");
    h = slurp(p, NULL);
    assert_non_null(h);
    assert_null(strstr(h, "id=\"omitted\""));
    free(h);
}

/* Scorecards (issue 17): a page per department and per region with its
 * figures against the others of its kind and the compared round, the
 * improvement that pays most, an index page and a workbook with a sheet
 * per unit. */
static void scorecards_one_page_per_department(void **state)
{
    fixture *f = *state;
    /* the region R01 (杭州市) has an indicator of its own, with its own
     * effective weight */
    egdi_report_indicator ind[5];
    memcpy(ind, f->ind, sizeof f->ind);
    ind[4] = (egdi_report_indicator){"R01", "杭州市", "CBII.1", "核心业务信息化覆盖率", 0.7, NULL,
                                     70, NULL, 75, 0.03};
    f->d.indicators = ind;
    f->d.nindicators = 5;
    /* an uncertainty run's interval, shown when the round has such a run */
    static const egdi_report_uncertainty unc = {1, "weights: uniform +-20 %", "sobol", 1, 1000,
                                                0.8};
    f->d.uncertainty = &unc;
    for (size_t i = 0; i < f->d.nunits; i++)
        f->units[i].rank_lo = f->units[i].rank_hi = NAN;
    f->units[0].rank_lo = 1;
    f->units[0].rank_hi = 2;
    char dir[512], p[600];
    path2(dir, sizeof dir, f->dir, "sc");
    assert_int_equal(mkdir(dir, 0755), 0);
    egdi_error err;
    egdi_error_clear(&err);
    egdi_scorecard_result res = {0};
    if (egdi_scorecard_write(&f->d, dir, NULL, &res, &err))
        fail_msg("scorecards: %s", err.message);
    assert_int_equal(res.units, 8);
    assert_int_equal(res.regions, 3);
    no_staging_left(dir);
    path2(p, sizeof p, dir, "scorecards/D01.html");
    char *h = slurp(p, NULL);
    assert_non_null(h);
    assert_non_null(strstr(h, "<h1>杭州市数据资源管理局</h1>"));
    /* rank 1 of the 7 ranked departments, its interval, 2023's rank 2 */
    assert_non_null(strstr(h, "<b>1 / 7</b>区间 1–2</div>"));
    assert_non_null(strstr(h, "<div>2023 年排名<b>2</b></div>"));
    /* EGDI 91.50 against the median of the 7 ranked departments' EGDI
     * (91.5 80.25 70 55.5 42 21 12: 55.50) and the best (91.50) */
    assert_non_null(strstr(h, "<tr><th>EGDI</th><td class=\"n\">91.50</td>"));
    assert_non_null(strstr(h, "<td class=\"n\">55.50</td><td class=\"n\">91.50</td>"
                              "<td class=\"n up\">+36.00</td></tr>"));
    /* CBII.1: 92, 90 in 2023 (+2.0), against the median of 92 and 85
     * (88.5) and the best; where a point pays most: CBII.1, effective
     * weight 0.1 (the model's) x (100 - 92) */
    assert_non_null(strstr(h, "<tr><td>CBII.1</td><td>核心业务信息化覆盖率</td><td class=\"n\">92.0</td>"
                              "<td class=\"n\">90.0</td><td class=\"n up\">+2.0</td>"
                              "<td class=\"n\">88.5</td><td class=\"n\">92.0</td>"
                              "<td class=\"n up\">+3.5</td></tr>"));
    const char *imp = strstr(h, "id=\"improve\"");
    assert_non_null(imp);
    assert_non_null(strstr(imp, "<td class=\"n\">92.0</td><td class=\"n\">0.1000</td>"
                                "<td class=\"n\">0.80</td>"));
    assert_non_null(strstr(h, "@media print{@page{size:A4"));
    free(h);
    /* the unit not ranked says why */
    path2(p, sizeof p, dir, "scorecards/D08.html");
    h = slurp(p, NULL);
    assert_non_null(h);
    assert_non_null(strstr(h, "<p>未能排名：数据覆盖率 50% 低于模型要求的 80%；缺少：CBII.1、GSI.2</p>"));
    free(h);
    /* a region's page: its rank among the 3 regions, its own indicator
     * against the regions' (R01 alone has it), 75 in 2023, its own
     * weight 0.03 x (100 - 70) = 0.90, its departments by stage (杭州市:
     * D01 integration, D04 initial, D08 not ranked) */
    path2(p, sizeof p, dir, "scorecards/R01.html");
    h = slurp(p, NULL);
    assert_non_null(h);
    assert_non_null(strstr(h, "<h1>杭州市</h1>"));
    assert_non_null(strstr(h, "<div>地区排名<b>1 / 3</b>"));
    assert_non_null(strstr(h, "<tr><th>EGDI</th><td class=\"n\">78.90</td>"));
    assert_non_null(strstr(h, "<th>各地区中位数</th><th>各地区最高</th>"));
    assert_non_null(strstr(h, "<tr><td>CBII.1</td><td>核心业务信息化覆盖率</td><td class=\"n\">70.0</td>"
                              "<td class=\"n\">75.0</td><td class=\"n down\">&minus;5.0</td>"
                              "<td class=\"n\">70.0</td><td class=\"n\">70.0</td>"
                              "<td class=\"n\">0.0</td></tr>"));
    imp = strstr(h, "id=\"improve\"");
    assert_non_null(imp);
    assert_non_null(strstr(imp, "<td class=\"n\">70.0</td><td class=\"n\">0.0300</td>"
                                "<td class=\"n\">0.90</td>"));
    const char *deps = strstr(h, "id=\"departments\"");
    assert_non_null(deps);
    assert_non_null(strstr(deps, "<tr><td class=\"n\">3</td><td class=\"n\">0</td>"
                                 "<td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">0</td>"
                                 "<td class=\"n\">1</td><td class=\"n\">1</td></tr>"));
    assert_non_null(strstr(h, "各地区中位数与最高值取自全部可排名地区。"));
    free(h);
    /* the index links the regions and the departments */
    path2(p, sizeof p, dir, "scorecards/index.html");
    h = slurp(p, NULL);
    assert_non_null(h);
    assert_non_null(strstr(h, "<a href=\"D01.html\">杭州市数据资源管理局</a>"));
    assert_non_null(strstr(h, "<a href=\"D08.html\">缺数据的单位</a>"));
    const char *regs = strstr(h, "id=\"scorecards-regions\"");
    assert_non_null(regs);
    assert_non_null(strstr(regs, "<a href=\"R03.html\">温州市</a>"));
    free(h);
    path2(p, sizeof p, dir, "scorecards/scorecards.xlsx");
    int ze = 0;
    zip_t *z = zip_open(p, ZIP_RDONLY, &ze);
    assert_non_null(z);
    char *wbx = zip_entry(z, "xl/workbook.xml");
    assert_non_null(wbx);
    const char *ix = strstr(wbx, "name=\"Index\""), *d1 = strstr(wbx, "name=\"D01\""),
               *d8 = strstr(wbx, "name=\"D08\""), *rx = strstr(wbx, "name=\"Regions\""),
               *r1 = strstr(wbx, "name=\"R01\"");
    assert_true(ix && d1 && d8 && ix < d1 && d1 < d8);
    assert_true(rx && r1 && ix < rx && rx < d1 && d8 < r1);
    free(wbx);
    /* D01's sheet (the third): CBII.1 92, 90 in 2023, +2 */
    char *d1x = zip_entry(z, "xl/worksheets/sheet3.xml");
    assert_non_null(d1x);
    const char *v92 = strstr(d1x, "<v>92</v>");
    assert_non_null(v92);
    assert_non_null(strstr(v92, "<v>90</v></c><c r=\"E"));
    assert_non_null(strstr(v92, "<v>2</v>"));
    free(d1x);
    zip_close(z);
    /* written again: replaced whole, nothing left aside */
    if (egdi_scorecard_write(&f->d, dir, NULL, &res, &err))
        fail_msg("scorecards again: %s", err.message);
    no_staging_left(dir);
    path2(p, sizeof p, dir, ".egdi-scorecards-old");
    struct stat sb;
    assert_int_not_equal(lstat(p, &sb), 0);
    f->d.indicators = f->ind;
    f->d.nindicators = 4;
}

static void html_has_ranking_escaped_and_nothing_external(void **state)
{
    fixture *f = *state;
    egdi_report_result res;
    write_report(f, "ht", &res);
    char p[512];
    path2(p, sizeof p, f->dir, "ht/report.html");
    char *h = slurp(p, NULL);
    assert_non_null(h);
    assert_non_null(strstr(h, "<table class=\"ranking sortable\">"));
    /* rank 1 row with name, region, EGDI and stage, in its stage colour
     * (integration #1a9850 tinted 55 % toward white, per channel
     * c + (255 - c) * 55 / 100: 0x1a -> 0x97, 0x98 -> 0xd0, 0x50 -> 0xb0) */
    const char *row1 = strstr(h, "<td class=\"name\">杭州市数据资源管理局</td><td class=\"name\">杭州市</td><td class=\"n\">91.50</td>");
    assert_non_null(row1);
    assert_non_null(strstr(h, "<tr style=\"background:#97d0b0\"><td class=\"n\">1</td><td class=\"code\">D01</td>"));
    assert_non_null(strstr(h, "&quot;; system(&quot;touch pwned&quot;) #"));
    assert_non_null(strstr(h, "@cmd &lt;b&gt;&amp;amp;"));
    assert_null(strstr(h, "<b>"));
    assert_non_null(strstr(h, "Q3 &lt;支撑")); /* gnuplot's SVG escapes < and & */
    /* survey table numbers with the table's 3 decimals, a count with none */
    assert_non_null(strstr(h, "<td class=\"n\">12.346</td>"));
    assert_non_null(strstr(h, "<td class=\"n\">466</td>"));
    assert_null(strstr(h, "466.000"));
    /* ranks in order */
    const char *a = strstr(h, "<td class=\"code\">D01</td>"),
               *b = strstr(h, "<td class=\"code\">D02</td>"),
               *c = strstr(h, "<td class=\"code\">D07</td>");
    assert_true(a && b && c && a < b && b < c);
    /* the stage legend and the method summary */
    assert_non_null(strstr(h, "class=\"legend\""));
    assert_non_null(strstr(h, "准备发展阶段"));
    assert_non_null(strstr(h, "<code>pilot</code>"));
    /* charts are inline SVG; the only URLs are XML namespace names */
    assert_non_null(strstr(h, "<svg"));
    /* one inline script (sorting, filtering), loading nothing */
    const char *js = strstr(h, "<script>");
    assert_non_null(js);
    assert_null(strstr(js + 1, "<script"));
    assert_null(strstr(h, "<script src"));
    assert_null(strstr(h, "<link"));
    assert_null(strstr(h, "src="));
    for (const char *q = strstr(h, "url("); q; q = strstr(q + 1, "url("))
        assert_int_equal(q[4], '#'); /* only references inside the page */
    for (const char *q = strstr(h, "http"); q; q = strstr(q + 1, "http")) {
        bool ns = !strncmp(q, "http://www.w3.org/", 18) || !strncmp(q, "http://x", 8);
        if (!ns)
            fail_msg("external URL in the page: %.40s", q);
    }
    /* the =HYPERLINK(...) source is only in the workbook, not the page */
    free(h);
}

/* Drops the capability that lets root write into a read-only directory. */
static void drop_dac_override(void)
{
    struct __user_cap_header_struct hd = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct cd[2];
    if (syscall(SYS_capget, &hd, cd) == 0) {
        cd[0].effective &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
        (void)syscall(SYS_capset, &hd, cd);
    }
}

static void read_only_directory_fails_and_keeps_old_report(void **state)
{
    fixture *f = *state;
    egdi_report_result res;
    write_report(f, "ro", &res);
    char dir[512], html[512];
    path2(dir, sizeof dir, f->dir, "ro");
    path2(html, sizeof html, dir, "report.html");
    char *before = slurp(html, NULL);
    assert_non_null(before);
    assert_int_equal(chmod(dir, 0555), 0);

    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pfd[0]);
        drop_dac_override();
        /* the control: this process really cannot write there */
        char probe[600];
        snprintf(probe, sizeof probe, "%s/probe", dir);
        FILE *pf = fopen(probe, "w");
        if (pf) {
            fclose(pf);
            unlink(probe);
            _exit(90);
        }
        egdi_report_data d2 = f->d;
        d2.round = 2099; /* a different report, so a partial write would show */
        egdi_error err;
        egdi_error_clear(&err);
        egdi_status st = egdi_report_write(&d2, dir, NULL, NULL, &err);
        (void)!write(pfd[1], err.message, strlen(err.message));
        _exit(st == EGDI_ERR_IO ? 0 : 91);
    }
    close(pfd[1]);
    char msg[600] = "";
    ssize_t n = read(pfd[0], msg, sizeof msg - 1);
    close(pfd[0]);
    if (n > 0)
        msg[n] = '\0';
    int status = 0;
    waitpid(pid, &status, 0);
    chmod(dir, 0755);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 90) { /* e.g. capabilities cannot be dropped here */
        free(before);
        skip();
    }
    assert_int_equal(WEXITSTATUS(status), 0);
    /* the message names the file and the directory */
    assert_non_null(strstr(msg, "report.xlsx"));
    assert_non_null(strstr(msg, dir));
    assert_non_null(strstr(msg, "Permission denied"));
    char *after = slurp(html, NULL);
    assert_string_equal(before, after);
    no_staging_left(dir);
    free(before);
    free(after);
}

/* A full file system (a 256 KiB tmpfs in a private mount namespace, filled
 * up but for 8 KiB): the report fails naming the file, and the earlier
 * report.html and the directory are left as they were. */
static void full_directory_fails_and_keeps_old_report(void **state)
{
    fixture *f = *state;
    char dir[512];
    path2(dir, sizeof dir, f->dir, "full");
    assert_int_equal(mkdir(dir, 0755), 0);
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pfd[0]);
        if (syscall(SYS_unshare, CLONE_NEWNS) != 0 ||
            mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
            mount("tmpfs", dir, "tmpfs", 0, "size=256k") != 0)
            _exit(90);
        char p[600];
        snprintf(p, sizeof p, "%s/report.html", dir);
        FILE *old = fopen(p, "w");
        if (!old || fputs("OLD REPORT", old) == EOF || fclose(old) != 0)
            _exit(92);
        snprintf(p, sizeof p, "%s/filler", dir);
        FILE *fill = fopen(p, "w");
        static char block[1024];
        long room = 0;
        while (fill && fwrite(block, 1, sizeof block, fill) == sizeof block &&
               fflush(fill) == 0)
            room++;
        if (fill)
            fclose(fill);
        if (truncate(p, (room - 8) * 1024) != 0) /* leave 8 KiB */
            _exit(93);
        egdi_report_options opt = {.no_charts = true};
        egdi_error err;
        egdi_error_clear(&err);
        egdi_status st = egdi_report_write(&f->d, dir, &opt, NULL, &err);
        snprintf(p, sizeof p, "%s/report.html", dir);
        char *html = slurp(p, NULL);
        bool kept = html && !strcmp(html, "OLD REPORT");
        free(html);
        int others = 0;
        DIR *dp = opendir(dir);
        struct dirent *e;
        while (dp && (e = readdir(dp)))
            others += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
                      strcmp(e->d_name, "report.html") && strcmp(e->d_name, "filler");
        if (dp)
            closedir(dp);
        (void)!write(pfd[1], err.message, strlen(err.message));
        _exit(st != EGDI_ERR_IO ? 94 : !kept ? 95 : others ? 96 : 0);
    }
    close(pfd[1]);
    char msg[600] = "";
    ssize_t n = read(pfd[0], msg, sizeof msg - 1);
    close(pfd[0]);
    if (n > 0)
        msg[n] = '\0';
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 90) /* no private mounts here */
        skip();
    if (WEXITSTATUS(status) != 0)
        fail_msg("exit %d: %s", WEXITSTATUS(status), msg);
    char want[600];
    snprintf(want, sizeof want, "\"%s/report.xlsx\"", dir);
    if (!strstr(msg, want) || !strstr(msg, "the disk is full"))
        fail_msg("message: %s", msg);
}

static void full_device_is_a_clear_error(void **state)
{
    fixture *f = *state;
    egdi_error err;
    egdi_error_clear(&err);
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        fail_msg("no /dev/full");
    assert_int_equal(egdi_report_html(&f->d, NULL, NULL, full, &err), EGDI_ERR_IO);
    assert_non_null(strstr(err.message, "No space left"));
    fclose(full);
    egdi_error_clear(&err);
    assert_int_equal(egdi_report_xlsx(&f->d, "/dev/full", &err), EGDI_ERR_IO);
    assert_non_null(strstr(err.message, "/dev/full"));
    assert_string_equal(err.file, "/dev/full");
    struct stat st;
    assert_int_equal(stat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode)); /* still there */
}

/* A gnuplot that fails: its exit status and stderr are in the error, and
 * the earlier report is left exactly as it was. */
static void failing_gnuplot_keeps_old_report(void **state)
{
    fixture *f = *state;
    egdi_report_result res;
    write_report(f, "fg", &res);
    char dir[512], html[512], fake[512];
    path2(dir, sizeof dir, f->dir, "fg");
    path2(html, sizeof html, dir, "report.html");
    path2(fake, sizeof fake, f->dir, "fake-gnuplot");
    FILE *fp = fopen(fake, "w");
    assert_non_null(fp);
    fputs("#!/bin/sh\necho 'line 7: boom' >&2\nexit 3\n", fp);
    fclose(fp);
    chmod(fake, 0755);
    char *before = slurp(html, NULL);
    egdi_report_data d2 = f->d;
    d2.round = 2099;
    egdi_report_options opt = {.gnuplot = fake};
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_report_write(&d2, dir, &opt, &res, &err), EGDI_ERR_IO);
    assert_non_null(strstr(err.message, "exit 3"));
    assert_non_null(strstr(err.message, "line 7: boom"));
    char *after = slurp(html, NULL);
    assert_string_equal(before, after);
    no_staging_left(dir);
    char png[512];
    path2(png, sizeof png, dir, "charts/ranking.png");
    check_png(png);
    free(before);
    free(after);
}

static void missing_gnuplot_skips_charts_only(void **state)
{
    fixture *f = *state;
    char dir[512];
    path2(dir, sizeof dir, f->dir, "ng");
    assert_int_equal(mkdir(dir, 0755), 0);
    egdi_report_options opt = {.gnuplot = "/nonexistent/gnuplot"};
    egdi_report_result res;
    egdi_error err;
    egdi_error_clear(&err);
    f->d.lang = EGDI_REPORT_EN;
    egdi_status st = egdi_report_write(&f->d, dir, &opt, &res, &err);
    if (st)
        fail_msg("%s", err.message);
    for (int k = 0; k < EGDI_CHART_COUNT; k++) {
        assert_int_equal(res.charts[k].state, EGDI_CHART_SKIPPED);
        assert_string_equal(res.charts[k].reason, "skipped: gnuplot not found");
    }
    char p[512];
    path2(p, sizeof p, dir, "report.xlsx");
    assert_true(exists(p));
    path2(p, sizeof p, dir, "charts/ranking.png");
    assert_false(exists(p));
    path2(p, sizeof p, dir, "report.html");
    char *h = slurp(p, NULL);
    assert_non_null(h);
    /* our own ranking bars, with the injection as escaped text */
    const char *own = strstr(h, "<div class=\"chart\" id=\"chart-ranking\">");
    assert_non_null(own);
    assert_non_null(strstr(own, "<svg"));
    assert_non_null(strstr(own, "&quot;; system(&quot;touch pwned&quot;) #</text>"));
    /* a label longer than 32 characters is cut with an ellipsis */
    assert_non_null(strstr(own, "&quot;; system(&quot;touch /tmp/egdi-repor…</text>"));
    assert_non_null(strstr(h, "Chart not drawn: skipped: gnuplot not found"));
    assert_non_null(strstr(h, "<th>rank</th>"));
    free(h);
    f->d.lang = EGDI_REPORT_ZH;
}

/* A second report without a survey removes the survey charts of the first,
 * so DIR/charts never mixes two reports. */
static void stale_charts_are_removed(void **state)
{
    fixture *f = *state;
    if (!gnuplot_here())
        fail_msg("gnuplot is not installed (make deps)");
    egdi_report_result res;
    write_report(f, "st", &res);
    char dir[512], scree[512];
    path2(dir, sizeof dir, f->dir, "st");
    path2(scree, sizeof scree, dir, "charts/scree.png");
    check_png(scree);
    f->d.survey = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_report_write(&f->d, dir, NULL, &res, &err), EGDI_OK);
    assert_int_equal(res.charts[EGDI_CHART_SCREE].state, EGDI_CHART_EMPTY);
    assert_false(exists(scree));
    path2(scree, sizeof scree, dir, "charts/loadings.svg");
    assert_false(exists(scree));
    path2(scree, sizeof scree, dir, "charts/ranking.svg");
    free(check_svg(scree));
}

/* 60 ranked units: the ranking chart shows the top 50 and says so. */
static void ranking_chart_shows_the_top(void **state)
{
    fixture *f = *state;
    if (!gnuplot_here())
        fail_msg("gnuplot is not installed (make deps)");
    egdi_report_unit many[60];
    char codes[60][16];
    for (int i = 0; i < 60; i++) {
        snprintf(codes[i], sizeof codes[i], "U%02d", i + 1);
        double v = 95.0 - i * 1.5;
        many[i] = unit((uint32_t)i + 1, codes[i], codes[i], "杭州市", v, v, v, v,
                       v >= 90 ? 4 : v >= 75 ? 3 : v >= 60 ? 2 : v >= 30 ? 1 : 0, 0, -1);
    }
    f->d.units = many;
    f->d.nunits = 60;
    char dir[512], p[512];
    path2(dir, sizeof dir, f->dir, "top");
    assert_int_equal(mkdir(dir, 0755), 0);
    egdi_chart_result cr;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_chart_draw(&f->d, EGDI_CHART_RANKING, dir, NULL, &cr, &err), EGDI_OK);
    assert_int_equal(cr.state, EGDI_CHART_WRITTEN);
    path2(p, sizeof p, dir, "ranking.svg");
    char *text = check_svg(p);
    assert_non_null(strstr(text, "前 50 名，共 60 个单位"));
    assert_non_null(strstr(text, "U50"));
    assert_null(strstr(text, "U51"));
    free(text);
    path2(p, sizeof p, dir, "ranking.png");
    check_png(p);
    /* nothing but the two charts is left in the directory */
    DIR *dp = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        n += e->d_name[0] != '.';
    closedir(dp);
    assert_int_equal(n, 2);
    f->d.units = f->units;
    f->d.nunits = 8;
}

/* ---- many units (issue 20) -------------------------------------------------- */

/* More units than the workbook keeps in memory (5,000: then it is written
 * row by row, texts inline); the last 60 not ranked.  Indicator rows in
 * the order of the store (by code), not the ranking: unit u's I2 is
 * missing when u % 10 == 3, its I3 is the text "是" when u % 50 == 0, its
 * value of I1 came from another file when u % 100 == 7 and has no
 * recorded source when u % 100 == 8. */
enum { BIG_UNITS = 6000, BIG_UNRANKED = 60, BIG_IND = 3, BIG_TOP = 40 };

static double big_raw(size_t u, size_t j) { return (double)u + (double)j / 10; }
static double big_score(size_t u, size_t j) { return (double)((u * 7 + j) % 100) + 0.25; }
static bool big_missing(size_t u, size_t j) { return j == 1 && u % 10 == 3; }
static bool big_text(size_t u, size_t j) { return j == 2 && u % 50 == 0; }

typedef struct {
    egdi_report_unit *units;
    egdi_report_indicator *ind;
    char *text; /* codes, names, sources */
    size_t nind;
} big_data;

/* Unit u is ranked BIG_UNITS - u (so ranking and code order differ). */
static void big_build(fixture *f, big_data *b)
{
    b->units = calloc(BIG_UNITS, sizeof *b->units);
    b->ind = calloc(BIG_UNITS * BIG_IND, sizeof *b->ind);
    b->text = calloc(BIG_UNITS, 160);
    assert_true(b->units && b->ind && b->text);
    size_t ranked = BIG_UNITS - BIG_UNRANKED;
    for (size_t u = 0; u < BIG_UNITS; u++) {
        char *code = b->text + u * 160, *name = code + 16, *src = name + 32;
        snprintf(code, 16, "U%05zu", u);
        snprintf(name, 32, "单位%zu", u);
        /* rank order: u = BIG_UNITS - 1 - BIG_UNRANKED first; the unranked last */
        size_t at = u < ranked ? ranked - 1 - u : u;
        egdi_report_unit *e = &b->units[at];
        *e = unit(u < ranked ? (uint32_t)(at + 1) : 0, code, name, "杭州市",
                  u < ranked ? 90 - (double)at / 100 : NAN, 50, 50, 50, u < ranked ? 2 : -1, 0,
                  -1);
        if (u >= ranked)
            e->reason = "数据覆盖率 0% 低于模型要求的 80%";
        for (size_t j = 0; j < BIG_IND; j++) {
            if (big_missing(u, j))
                continue;
            static const char *const codes[BIG_IND] = {"I1", "I2", "I3"};
            egdi_report_indicator *r = &b->ind[b->nind++];
            r->unit_code = code;
            r->unit_name = name;
            r->indicator_code = codes[j];
            r->indicator_name = codes[j];
            r->raw = big_text(u, j) ? NAN : big_raw(u, j);
            r->raw_text = big_text(u, j) ? "是" : NULL;
            r->score = big_score(u, j);
            if (j == 0 && u % 100 == 7)
                r->source = "fix.csv!B2";
            else if (j == 0 && u % 100 == 8)
                r->source = NULL;
            else {
                snprintf(src + 24 * j, 24, "m.csv!%c%zu", (char)('C' + j), u + 2);
                r->source = src + 24 * j;
            }
        }
    }
    f->d.units = b->units;
    f->d.nunits = BIG_UNITS;
    f->d.nregions = 0;
    f->d.regions = NULL;
    f->d.nseries = 0;
    f->d.indicators = b->ind;
    f->d.nindicators = b->nind;
    f->d.top_units = BIG_TOP;
}

/* The unit of sheet row `row` whose first data row is `first`. */
static size_t big_unit_of(uint32_t row, uint32_t first)
{
    size_t at = row - first, ranked = BIG_UNITS - BIG_UNRANKED;
    return at < ranked ? ranked - 1 - at : at;
}

/* Two regions of the same name: a department belongs to the one its region
 * code names (by name only when the code is not known). */
static void region_by_code_not_name(void **state)
{
    (void)state;
    egdi_report_unit r1 = {.code = "BJ05", .name = "朝阳区"}, r2 = {.code = "CC04", .name = "朝阳区"};
    egdi_report_unit d1 = {.code = "BJ0501", .region = "朝阳区", .region_code = "BJ05"};
    egdi_report_unit d2 = {.code = "CC0401", .region = "朝阳区", .region_code = "CC04"};
    assert_true(egdi_report_in_region(&d1, &r1));
    assert_false(egdi_report_in_region(&d1, &r2));
    assert_true(egdi_report_in_region(&d2, &r2));
    assert_false(egdi_report_in_region(&d2, &r1));
    /* data built by hand, without codes: by name, or by code for a region
     * without a name */
    egdi_report_unit byname = {.code = "X1", .region = "朝阳区"};
    assert_true(egdi_report_in_region(&byname, &r1));
    egdi_report_unit unnamed = {.code = "Q"}, inq = {.code = "Q1", .region = "Q"};
    assert_true(egdi_report_in_region(&inq, &unnamed));
    /* a region is in no region */
    assert_false(egdi_report_in_region(&r1, &r2));
}

/* What a report's progress was told. */
typedef struct {
    size_t calls, backwards;
    uint64_t last, total, totals_differ;
} steps_seen;

static void on_step(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    steps_seen *s = ctx;
    (void)what;
    s->backwards += s->calls && done < s->last;
    s->totals_differ += s->calls && total != s->total;
    s->calls++;
    s->last = done;
    s->total = total;
}

static void many_units_wide_sheets_and_top_notes(void **state)
{
    fixture *f = *state;
    big_data b = {0};
    big_build(f, &b);
    steps_seen seen = {0};
    egdi_progress pr = {on_step, &seen, "rows"};
    egdi_report_options opt = {.no_charts = true, .progress = &pr};
    char dir[512], p[512];
    path2(dir, sizeof dir, f->dir, "big");
    assert_int_equal(mkdir(dir, 0755), 0);
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_report_write(&f->d, dir, &opt, NULL, &err);
    if (st)
        fail_msg("report: %s", err.message);
    path2(p, sizeof p, dir, "report.xlsx");

    /* progress: the charts, then every 1,024th workbook row begun (Ranking,
     * Indicators, Matrix, Sources: 4 x 6,001 rows and the small sheets),
     * the page and the published set; never backwards, one total, the last
     * step the total */
    assert_true(seen.calls >= 1 + 4 * BIG_UNITS / 1024 + 2);
    assert_int_equal(seen.backwards, 0);
    assert_int_equal(seen.totals_differ, 0);
    assert_int_equal(seen.last, seen.total);
    assert_int_equal(seen.total, 3 * (BIG_UNITS + 1) + (4 * BIG_UNITS + 64));

    /* written row by row: texts inline, no shared string table */
    int ze = 0;
    zip_t *z = zip_open(p, ZIP_RDONLY, &ze);
    assert_non_null(z);
    char *s4 = zip_entry(z, "xl/worksheets/sheet4.xml");
    assert_non_null(s4);
    assert_non_null(strstr(s4, "t=\"inlineStr\""));
    free(s4);
    zip_close(z);

    /* every cell of Indicators, Matrix and Sources, read back */
    static const char *const sheets[3] = {"Indicators", "Matrix", "Sources"};
    for (int k = 0; k < 3; k++) {
        egdi_read_opts o;
        egdi_read_opts_init(&o);
        o.sheet = sheets[k];
        egdi_reader *r = NULL;
        if (egdi_reader_open(&r, p, &o, &err))
            fail_msg("open %s: %s", sheets[k], err.message);
        egdi_row row;
        size_t rows = 0;
        uint32_t first = k == 2 ? 3 : 2; /* Sources: the columns in row 2 */
        size_t c0 = k == 0 ? 3 : k == 1 ? 6 : 5;
        while (egdi_reader_next(r, &row, &err) == EGDI_OK) {
            if (row.number == 1) {
                text_is(&row, c0, "I1");
                text_is(&row, c0 + 2, "I3");
                continue;
            }
            if (row.number == 2 && k == 2) {
                text_is(&row, 5, "C");
                text_is(&row, 6, "D");
                text_is(&row, 7, "E");
                continue;
            }
            size_t u = big_unit_of(row.number, first);
            assert_true(u < BIG_UNITS);
            char code[16];
            snprintf(code, sizeof code, "U%05zu", u);
            text_is(&row, k == 1 ? 1 : 0, code);
            rows++;
            for (size_t j = 0; j < BIG_IND; j++) {
                size_t c = c0 + j;
                bool empty = c >= row.ncells || row.cells[c].type == EGDI_CELL_EMPTY;
                if (big_missing(u, j)) {
                    assert_true(empty);
                } else if (k == 0 && big_text(u, j)) {
                    text_is(&row, c, "是");
                } else if (k == 0) {
                    number_is(&row, c, big_raw(u, j));
                } else if (k == 1) {
                    number_is(&row, c, big_score(u, j));
                } else if (j == 0 && u % 100 == 7) {
                    text_is(&row, c, "fix.csv!B2");
                } else if (j == 0 && u % 100 == 8) {
                    text_is(&row, c, "（未记录）");
                } else {
                    assert_true(empty); /* m.csv, the indicator's column, the unit's row */
                }
            }
            if (k == 2) {
                text_is(&row, 3, "m.csv");
                /* u % 100 == 8: the first value with a source is I2 (or I3) */
                number_is(&row, 4, (double)(u + 2));
            }
        }
        egdi_reader_close(r);
        assert_int_equal(rows, BIG_UNITS);
    }

    /* the page: the heat table lists the top 40 and says where all are;
     * so does the table of units not ranked; the ranking has every unit */
    path2(p, sizeof p, dir, "report.html");
    size_t n = 0;
    char *html = slurp(p, &n);
    assert_non_null(html);
    assert_non_null(strstr(html, "此表按排名仅列出前 40 个单位（共 6000 个）；全部单位见 "
                                 "report.xlsx 的 Matrix 工作表。"));
    assert_non_null(strstr(html, "此表按排名仅列出前 40 个单位（共 60 个）；全部单位见 "
                                 "report.xlsx 的 Flags 工作表。"));
    const char *heat = strstr(html, "id=\"heat-table\"");
    assert_non_null(heat);
    const char *end = strstr(heat, "</table>");
    size_t trs = 0;
    for (const char *q = heat; (q = strstr(q, "<tr>")) && q < end; q++)
        trs++;
    assert_int_equal(trs, 1 + BIG_TOP);
    const char *rank = strstr(html, "class=\"ranking sortable\"");
    assert_non_null(rank);
    assert_non_null(strstr(rank, "<td class=\"code\">U05999</td>"));
    free(html);
    free(b.units);
    free(b.ind);
    free(b.text);
}

static void bad_data_is_refused(void **state)
{
    fixture *f = *state;
    egdi_report_data d2 = f->d;
    egdi_report_unit u[1];
    u[0] = f->units[0];
    u[0].stage = 7; /* only 5 stages */
    d2.units = u;
    d2.nunits = 1;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_report_check(&d2, &err), EGDI_ERR_ARG);
    assert_non_null(strstr(err.message, "D01"));
    assert_int_equal(egdi_report_write(&d2, f->dir, NULL, NULL, &err), EGDI_ERR_ARG);
    no_staging_left(f->dir);
    /* the colour ramp: five stages get the five default colours */
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(egdi_report_stage_colour(i, 5), f->stages[i].colour);
    /* four (UN groups): the ends are the first and last colours; stage 1
     * sits at 4/3 along the 5-colour ramp, a third of the way from #fc8d59
     * to #fee08b: r = 252 + 2/3 -> 253 (0xfd), g = 141 + 83/3 = 168.67 ->
     * 169 (0xa9), b = 89 + 50/3 = 105.67 -> 106 (0x6a) */
    assert_int_equal(egdi_report_stage_colour(0, 4), 0xd73027);
    assert_int_equal(egdi_report_stage_colour(1, 4), 0xfda96a);
    assert_int_equal(egdi_report_stage_colour(3, 4), 0x1a9850);
    size_t counts[6], trans[25];
    egdi_report_stage_counts(&f->d, f->d.units, f->d.nunits, counts, NULL, trans);
    assert_int_equal(counts[0], 2);
    assert_int_equal(counts[5], 1); /* D08 has no stage */
    assert_int_equal(trans[3 * 5 + 4], 1); /* deepening -> integration */
    assert_int_equal(trans[3 * 5 + 3], 1); /* D02 stayed deepening */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(workbook_has_sheets_values_and_text_not_formulas, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(workbook_reads_back_with_egdi_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(charts_are_png_and_svg_and_injection_is_a_label, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(html_has_contents_overview_regions_and_heat, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(workbook_has_matrix_and_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(charts_draw_the_top_and_name_the_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(scorecards_one_page_per_department, setup, teardown),
        cmocka_unit_test_setup_teardown(paper_lists_tables_not_produced, setup, teardown),
        cmocka_unit_test_setup_teardown(html_has_ranking_escaped_and_nothing_external, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(read_only_directory_fails_and_keeps_old_report, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(full_directory_fails_and_keeps_old_report, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(full_device_is_a_clear_error, setup, teardown),
        cmocka_unit_test_setup_teardown(failing_gnuplot_keeps_old_report, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_gnuplot_skips_charts_only, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_charts_are_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(ranking_chart_shows_the_top, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_data_is_refused, setup, teardown),
        cmocka_unit_test(region_by_code_not_name),
        cmocka_unit_test_setup_teardown(many_units_wide_sheets_and_top_notes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
