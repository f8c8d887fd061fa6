/*
 * model.c - reading a model's tables into an egdi_model and checking it.
 *
 * The loader reads rows from one or more readers into a `loader` (settings
 * key/values, node rows, stage rows), then resolve() links the tree and
 * checks everything, collecting every problem as one line.  The model owns
 * all its strings; the loader frees what it made on every path.
 * Writing (canonical form, hash, weights write-back) is in model_write.c.
 */
#include "indicators/model.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "engine/core/embedded.h"
#include "indicators/model_private.h"
#include "engine/core/value.h"

static const char *const builtin[] = {"jiangsu", "un-egdi", NULL};

const char *const *egdi_model_builtin_names(void)
{
    return builtin;
}

static const char *const rule_names[EGDI_RULE_COUNT] = {
    "", "value", "goalpost", "minmax", "zscore", "rank",
    "target", "steps", "yesno", "likert", "ratio",
};

const char *egdi_rule_name(egdi_rule r)
{
    return (r >= 0 && r < EGDI_RULE_COUNT) ? rule_names[r] : NULL;
}

int egdi_rule_parse(const char *s)
{
    for (int i = 1; i < EGDI_RULE_COUNT; i++)
        if (strcasecmp(s, rule_names[i]) == 0)
            return i;
    if (strcasecmp(s, "percentile") == 0)
        return EGDI_RULE_RANK;
    return -1;
}

const char *egdi_missing_name(egdi_missing p)
{
    static const char *const n[] = {"reweight", "mean", "median", "zero", "none"};
    return n[p];
}

const char *egdi_aggregation_name(egdi_aggregation a)
{
    return a == EGDI_AGG_GEOMETRIC ? "geometric" : "arithmetic";
}

bool egdi_node_is_leaf(const egdi_node *n)
{
    return n->rule != EGDI_RULE_NONE;
}

size_t egdi_node_params(const egdi_node *n, const char *names[EGDI_NODE_NPARAMS],
                        double values[EGDI_NODE_NPARAMS])
{
    const struct {
        const char *k;
        double v;
    } p[EGDI_NODE_NPARAMS] = {{"min", n->min},       {"max", n->max},
                              {"target", n->target}, {"tolerance", n->tolerance},
                              {"scale_min", n->scale_min}, {"scale_max", n->scale_max}};
    size_t k = 0;
    for (size_t i = 0; i < EGDI_NODE_NPARAMS; i++)
        if (!isnan(p[i].v)) {
            names[k] = p[i].k;
            values[k++] = p[i].v;
        }
    return k;
}

const char *egdi_node_params_text(const egdi_node *n, char *buf, size_t size)
{
    if (!size)
        return buf;
    buf[0] = '\0';
    const char *names[EGDI_NODE_NPARAMS];
    double values[EGDI_NODE_NPARAMS];
    size_t np = egdi_node_params(n, names, values), len = 0;
    for (size_t i = 0; i < np; i++) {
        int k = snprintf(buf + len, size - len, "%s%s=%g", len ? " " : "", names[i], values[i]);
        if (k < 0 || (size_t)k >= size - len) {
            buf[len] = '\0'; /* whole items only */
            return buf;
        }
        len += (size_t)k;
    }
    for (size_t s = 0; s < n->nsteps; s++) {
        int k = snprintf(buf + len, size - len, "%s%g:%g", s ? ";" : (len ? " steps=" : "steps="),
                         n->steps_x[s], n->steps_y[s]);
        if (k < 0 || (size_t)k >= size - len) {
            buf[len] = '\0'; /* whole items only */
            return buf;
        }
        len += (size_t)k;
    }
    return buf;
}

/* ---- problems --------------------------------------------------------- */

void egdi_model_problems_release(egdi_model_problems *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->lines[i]);
    free(p->lines);
    p->lines = NULL;
    p->n = 0;
    p->truncated = false;
}

void model_problem(loader *L, const char *fmt, ...)
{
    char line[EGDI_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (k < 0)
        snprintf(line, sizeof line, "(unprintable problem)");
    if (L->nprob == 0)
        snprintf(L->first, sizeof L->first, "%s", line);
    L->nprob++;
    egdi_model_problems *p = L->probs;
    if (!p)
        return;
    if (p->n >= EGDI_MODEL_MAX_PROBLEMS) {
        p->truncated = true;
        return;
    }
    char **nl = realloc(p->lines, (p->n + 1) * sizeof *nl);
    if (!nl) {
        L->nomem = true;
        return;
    }
    p->lines = nl;
    p->lines[p->n] = strdup(line);
    if (!p->lines[p->n]) {
        L->nomem = true;
        return;
    }
    p->n++;
}

/* ---- cells ------------------------------------------------------------ */

char *model_strdup(const char *s)
{
    char *d = strdup(s ? s : "");
    return d;
}

/* The cell's text, trimmed, in buf (numbers formatted); "" when empty. */
static const char *cell_text(const egdi_row *row, long col, char *buf, size_t size)
{
    buf[0] = '\0';
    if (col < 0 || (size_t)col >= row->ncells)
        return buf;
    const egdi_cell *c = &row->cells[col];
    if (c->type == EGDI_CELL_EMPTY)
        return buf;
    if (c->text) {
        const char *s = c->text;
        size_t len = c->len;
        while (len && isspace((unsigned char)*s))
            s++, len--;
        while (len && isspace((unsigned char)s[len - 1]))
            len--;
        if (len >= size)
            len = size - 1;
        memcpy(buf, s, len);
        buf[len] = '\0';
    } else {
        snprintf(buf, size, "%.17g", c->num);
    }
    return buf;
}

/*
 * Reads a number as a person types it in a model table: "0.4", "40%",
 * "1/3" (egdi_value_fraction, the one text -> number parser).  Blank gives
 * NaN and true; anything else unreadable gives false.
 */
bool model_number(const char *s, double *out)
{
    *out = NAN;
    size_t n = strlen(s);
    if (egdi_value_blank(s, n))
        return true;
    double v;
    if (egdi_value_fraction(s, n, &v, NULL, NULL) != EGDI_OK)
        return false;
    *out = v;
    return true;
}

/* ---- sections --------------------------------------------------------- */

enum { SEC_NONE = -1, SEC_SETTINGS = 0, SEC_CATALOGUE, SEC_STAGES };

/* The names a table (section marker or sheet) may have, English first; the
 * Chinese ones are what a Chinese workbook calls them. */
static const char *const sheet_settings[] = {"settings", "设置", "模型设置", NULL};
static const char *const sheet_catalogue[] = {"catalogue", "指标", "指标体系", "目录", NULL};
static const char *const sheet_stages[] = {"stages", "阶段", "发展阶段", NULL};
const char *const *const egdi_model_sheet_names[3] = {sheet_settings, sheet_catalogue,
                                                       sheet_stages};

static int section_of(const char *s)
{
    if (strcasecmp(s, "settings") == 0 || strcasecmp(s, "model") == 0)
        return SEC_SETTINGS;
    if (strcasecmp(s, "catalogue") == 0 || strcasecmp(s, "catalog") == 0 ||
        strcasecmp(s, "indicators") == 0)
        return SEC_CATALOGUE;
    if (strcasecmp(s, "stages") == 0)
        return SEC_STAGES;
    for (int k = 0; k < 3; k++)
        for (size_t a = 0; egdi_model_sheet_names[k][a]; a++)
            if (strcmp(s, egdi_model_sheet_names[k][a]) == 0)
                return k;
    return SEC_NONE;
}

/* "[name]" alone in the first cell (other cells empty) -> its section. */
static int marker_row(const egdi_row *row, char *buf, size_t size, bool *is_marker)
{
    *is_marker = false;
    const char *t = cell_text(row, 0, buf, size);
    size_t n = strlen(t);
    if (n < 3 || t[0] != '[' || t[n - 1] != ']')
        return SEC_NONE;
    for (size_t i = 1; i < row->ncells; i++)
        if (row->cells[i].type != EGDI_CELL_EMPTY && !(row->cells[i].text && row->cells[i].len == 0))
            return SEC_NONE;
    *is_marker = true;
    char name[64];
    size_t k = n - 2 < sizeof name - 1 ? n - 2 : sizeof name - 1;
    memcpy(name, t + 1, k);
    name[k] = '\0';
    return section_of(name);
}

/* The catalogue's columns; a survey source's follow the rule's, in
 * model_source_cols order (model_source.c). */
static const char *const cat_cols[] = {
    "code", "parent", "name_zh", "name_en", "weight", "unit", "direction", "applies",
    "rule", "min", "max", "target", "tolerance", "steps", "scale_min", "scale_max",
    "source", "scale", "items", "statistic", "min_n", "min_alpha", "item_analysis",
    "min_kmo", "gate", "conflict", NULL,
};
enum {
    C_CODE, C_PARENT, C_NAME_ZH, C_NAME_EN, C_WEIGHT, C_UNIT, C_DIRECTION, C_APPLIES,
    C_RULE, C_MIN, C_MAX, C_TARGET, C_TOLERANCE, C_STEPS, C_SCALE_MIN, C_SCALE_MAX,
    C_SOURCE, C_N = C_SOURCE + MODEL_SOURCE_NCOLS
};
static const char *const stage_cols[] = {"code", "name_zh", "name_en", "lower", "upper",
                                         "classes", NULL};
enum { S_CODE, S_NAME_ZH, S_NAME_EN, S_LOWER, S_UPPER, S_CLASSES, S_N };
static const char *const set_cols[] = {"key", "value", NULL};

/* Chinese column headings: {column index, heading}.  A heading is matched
 * exactly (Chinese has no case); the English names without case. */
typedef struct {
    int col;
    const char *zh;
} heading_alias;

static const heading_alias cat_zh[] = {
    {C_CODE, "代码"}, {C_CODE, "指标代码"}, {C_CODE, "编码"}, {C_CODE, "编号"},
    {C_PARENT, "上级"}, {C_PARENT, "上级代码"}, {C_PARENT, "上级指标"}, {C_PARENT, "父级"},
    {C_NAME_ZH, "名称"}, {C_NAME_ZH, "中文名称"}, {C_NAME_ZH, "指标名称"},
    {C_NAME_EN, "英文名称"}, {C_WEIGHT, "权重"}, {C_UNIT, "单位"}, {C_DIRECTION, "方向"},
    {C_APPLIES, "适用"}, {C_APPLIES, "适用对象"}, {C_RULE, "规则"}, {C_RULE, "评分规则"},
    {C_MIN, "最小值"}, {C_MAX, "最大值"}, {C_TARGET, "目标值"}, {C_TARGET, "目标"},
    {C_TOLERANCE, "容差"}, {C_STEPS, "阶梯"}, {C_STEPS, "分档"},
    {C_SCALE_MIN, "量表最小值"}, {C_SCALE_MAX, "量表最大值"},
    {C_SOURCE, "来源"}, {C_SOURCE + 1, "量表"}, {C_SOURCE + 2, "题项"},
    {C_SOURCE + 3, "统计量"}, {C_SOURCE + 4, "最少人数"}, {C_SOURCE + 5, "最低alpha"},
    {C_SOURCE + 6, "项目分析"}, {C_SOURCE + 7, "最低KMO"}, {C_SOURCE + 8, "门槛"},
    {C_SOURCE + 9, "冲突"}, {-1, NULL},
};
static const heading_alias stage_zh[] = {
    {S_CODE, "代码"}, {S_CODE, "编码"}, {S_NAME_ZH, "名称"}, {S_NAME_ZH, "中文名称"},
    {S_NAME_ZH, "阶段名称"}, {S_NAME_EN, "英文名称"}, {S_LOWER, "下限"}, {S_UPPER, "上限"},
    {S_CLASSES, "等级"}, {S_CLASSES, "类别"}, {-1, NULL},
};
static const heading_alias set_zh[] = {
    {0, "键"}, {0, "设置"}, {0, "设置项"}, {0, "项目"}, {1, "值"}, {1, "取值"}, {-1, NULL},
};

/* The column heading h names: its index in names, or -1. */
static int heading_col(const char *const *names, const heading_alias *zh, const char *h)
{
    for (int k = 0; names[k]; k++)
        if (strcasecmp(h, names[k]) == 0)
            return k;
    for (size_t a = 0; zh[a].zh; a++)
        if (strcasecmp(h, zh[a].zh) == 0)
            return zh[a].col;
    return -1;
}

/*
 * Reads a table's header row.  A header without a column the table needs is
 * one problem (the missing columns and the headings not understood, in one
 * line), and the table's rows are then skipped: every row would repeat it
 * ("empty code", "a second root"...).
 */
static void map_header(loader *L, int sec, const egdi_row *row)
{
    const char *const *names = sec == SEC_CATALOGUE ? cat_cols
                             : sec == SEC_STAGES    ? stage_cols
                                                    : set_cols;
    const heading_alias *zh = sec == SEC_CATALOGUE ? cat_zh : sec == SEC_STAGES ? stage_zh : set_zh;
    long *map = L->colmap[sec];
    for (size_t i = 0; i < MODEL_MAX_COLS; i++)
        map[i] = -1;
    char buf[128];
    char unknown[256] = "";
    size_t nunknown = 0;
    for (size_t c = 0; c < row->ncells; c++) {
        const char *h = cell_text(row, (long)c, buf, sizeof buf);
        int k = *h ? heading_col(names, zh, h) : -1;
        if (k >= 0 && map[k] < 0)
            map[k] = (long)c;
        if (k < 0 && *h) {
            size_t used = strlen(unknown);
            if (used + strlen(h) + 8 < sizeof unknown)
                snprintf(unknown + used, sizeof unknown - used, "%s\"%s\"", nunknown ? ", " : "",
                         h);
            nunknown++;
        }
    }
    char missing[256] = "";
    size_t nmissing = 0;
    for (size_t k = 0; names[k]; k++) {
        bool needed = (sec == SEC_CATALOGUE && (k == C_CODE || k == C_PARENT || k == C_WEIGHT)) ||
                      (sec == SEC_STAGES && (k == S_CODE || k == S_LOWER || k == S_UPPER)) ||
                      (sec == SEC_SETTINGS);
        if (needed && map[k] < 0) {
            size_t used = strlen(missing);
            snprintf(missing + used, sizeof missing - used, "%s\"%s\"", nmissing ? ", " : "",
                     names[k]);
            nmissing++;
        }
    }
    if (nmissing) {
        char extra[300] = "";
        if (nunknown)
            snprintf(extra, sizeof extra, " (heading%s not understood: %s)",
                     nunknown == 1 ? "" : "s", unknown);
        model_problem(L, "%s row %u: no column %s%s; the table's rows are not read", L->where,
                      row->number, missing, extra);
        L->broken[sec] = true;
    } else {
        for (size_t c = 0; c < row->ncells; c++) {
            const char *h = cell_text(row, (long)c, buf, sizeof buf);
            if (*h && heading_col(names, zh, h) < 0)
                model_problem(L, "%s row %u: unknown column \"%s\"", L->where, row->number, h);
        }
    }
    L->have_header[sec] = true;
}

static bool row_blank(const egdi_row *row)
{
    for (size_t i = 0; i < row->ncells; i++) {
        const egdi_cell *c = &row->cells[i];
        if (c->type == EGDI_CELL_EMPTY)
            continue;
        if (c->text) {
            for (size_t k = 0; k < c->len; k++)
                if (!isspace((unsigned char)c->text[k]))
                    return false;
            continue;
        }
        return false;
    }
    return true;
}

#define COL(sec, k) (L->colmap[sec][k])

static void read_setting(loader *L, const egdi_row *row)
{
    char key[64], val[256];
    cell_text(row, COL(SEC_SETTINGS, 0), key, sizeof key);
    cell_text(row, COL(SEC_SETTINGS, 1), val, sizeof val);
    if (strlen(key) >= sizeof key - 1 || strlen(val) >= sizeof val - 1) {
        model_problem(L, "settings row %u: setting too long", row->number);
        return;
    }
    if (!*key)
        return;
    if (L->nsettings >= MODEL_MAX_SETTINGS) {
        model_problem(L, "%s row %u: too many settings", L->where, row->number);
        return;
    }
    model_setting *s = &L->settings[L->nsettings++];
    snprintf(s->key, sizeof s->key, "%s", key);
    snprintf(s->value, sizeof s->value, "%s", val);
    s->row = row->number;
}

static void read_node(loader *L, const egdi_row *row)
{
    if (L->m->nnodes >= EGDI_MODEL_MAX_NODES) {
        if (!L->too_many_nodes)
            model_problem(L, "%s row %u: more than %d indicators", L->where, row->number,
                          EGDI_MODEL_MAX_NODES);
        L->too_many_nodes = true;
        return;
    }
    egdi_model *m = L->m;
    if (m->nnodes == L->cap_nodes) {
        size_t cap = L->cap_nodes ? L->cap_nodes * 2 : 16;
        egdi_node *nn = realloc(m->nodes, cap * sizeof *nn);
        if (!nn) {
            L->nomem = true;
            return;
        }
        m->nodes = nn;
        L->cap_nodes = cap;
    }
    egdi_node *n = &m->nodes[m->nnodes];
    memset(n, 0, sizeof *n);
    n->min = n->max = n->target = n->tolerance = n->scale_min = n->scale_max = NAN;
    n->weight = NAN;
    n->parent_idx = -1;
    n->row = row->number;
    m->nnodes++;

    char buf[MODEL_MAX_CELL];
    n->code = model_strdup(cell_text(row, COL(SEC_CATALOGUE, C_CODE), buf, sizeof buf));
    n->parent = model_strdup(cell_text(row, COL(SEC_CATALOGUE, C_PARENT), buf, sizeof buf));
    n->name_zh = model_strdup(cell_text(row, COL(SEC_CATALOGUE, C_NAME_ZH), buf, sizeof buf));
    n->name_en = model_strdup(cell_text(row, COL(SEC_CATALOGUE, C_NAME_EN), buf, sizeof buf));
    n->unit = model_strdup(cell_text(row, COL(SEC_CATALOGUE, C_UNIT), buf, sizeof buf));
    if (!n->code || !n->parent || !n->name_zh || !n->name_en || !n->unit) {
        L->nomem = true;
        return;
    }
    const char *code = n->code;
    uint32_t r = row->number;
    if (!*code)
        model_problem(L, "%s row %u: empty code", L->where, r);

    const char *w = cell_text(row, COL(SEC_CATALOGUE, C_WEIGHT), buf, sizeof buf);
    if (!model_number(w, &n->weight))
        model_problem(L, "%s row %u: %s: weight \"%s\" is not a number", L->where, r, code, w);
    else if (*n->parent && isnan(n->weight))
        model_problem(L, "%s row %u: %s: no weight", L->where, r, code);
    else if (n->weight < 0)
        model_problem(L, "%s row %u: %s: negative weight %g", L->where, r, code, n->weight);

    const char *d = cell_text(row, COL(SEC_CATALOGUE, C_DIRECTION), buf, sizeof buf);
    if (!*d || strcasecmp(d, "higher") == 0 || strcmp(d, "+") == 0 || strcmp(d, "正向") == 0)
        n->direction = 1;
    else if (strcasecmp(d, "lower") == 0 || strcmp(d, "-") == 0 || strcmp(d, "逆向") == 0)
        n->direction = -1;
    else
        model_problem(L, "%s row %u: %s: direction \"%s\" (use higher or lower)", L->where, r,
                      code, d);

    const char *a = cell_text(row, COL(SEC_CATALOGUE, C_APPLIES), buf, sizeof buf);
    if (!*a || strcasecmp(a, "both") == 0)
        n->applies = EGDI_APPLIES_BOTH;
    else if (strcasecmp(a, "department") == 0)
        n->applies = EGDI_APPLIES_DEPARTMENT;
    else if (strcasecmp(a, "region") == 0)
        n->applies = EGDI_APPLIES_REGION;
    else
        model_problem(L, "%s row %u: %s: applies \"%s\" (use department, region or both)",
                      L->where, r, code, a);

    const char *ru = cell_text(row, COL(SEC_CATALOGUE, C_RULE), buf, sizeof buf);
    if (*ru) {
        int k = egdi_rule_parse(ru);
        if (k < 0)
            model_problem(L, "%s row %u: %s: unknown rule \"%s\"", L->where, r, code, ru);
        else
            n->rule = (egdi_rule)k;
    }

    static const int pcols[] = {C_MIN, C_MAX, C_TARGET, C_TOLERANCE, C_SCALE_MIN, C_SCALE_MAX};
    double *pv[] = {&n->min, &n->max, &n->target, &n->tolerance, &n->scale_min, &n->scale_max};
    for (size_t i = 0; i < sizeof pcols / sizeof pcols[0]; i++) {
        const char *t = cell_text(row, COL(SEC_CATALOGUE, pcols[i]), buf, sizeof buf);
        if (!model_number(t, pv[i]))
            model_problem(L, "%s row %u: %s: %s \"%s\" is not a number", L->where, r, code,
                          cat_cols[pcols[i]], t);
    }

    /* a survey source: its cells, each in its own buffer */
    char sbuf[MODEL_SOURCE_NCOLS][MODEL_MAX_CELL];
    const char *stexts[MODEL_SOURCE_NCOLS];
    for (int k = 0; k < MODEL_SOURCE_NCOLS; k++)
        stexts[k] = cell_text(row, COL(SEC_CATALOGUE, C_SOURCE + k), sbuf[k], sizeof sbuf[k]);
    model_source_read(L, n, stexts);
    if (L->nomem)
        return;

    const char *st = cell_text(row, COL(SEC_CATALOGUE, C_STEPS), buf, sizeof buf);
    if (*st) {
        /* "x:score;x:score..." */
        const char *p = st;
        while (*p) {
            char item[128];
            size_t k = strcspn(p, ";");
            if (k >= sizeof item) {
                model_problem(L, "%s row %u: %s: steps item too long", L->where, r, code);
                break;
            }
            memcpy(item, p, k);
            item[k] = '\0';
            p += k;
            if (*p == ';')
                p++;
            char *colon = strchr(item, ':');
            double x, y;
            if (!colon) {
                if (k == 0)
                    continue;
                model_problem(L, "%s row %u: %s: steps item \"%s\" is not x:score", L->where, r,
                              code, item);
                break;
            }
            *colon = '\0';
            while (*item && isspace((unsigned char)item[strlen(item) - 1]))
                item[strlen(item) - 1] = '\0';
            const char *ys = colon + 1;
            while (isspace((unsigned char)*ys))
                ys++;
            const char *xs = item;
            while (isspace((unsigned char)*xs))
                xs++;
            if (!model_number(xs, &x) || !model_number(ys, &y) || isnan(x) || isnan(y)) {
                model_problem(L, "%s row %u: %s: steps item \"%s:%s\" is not x:score", L->where,
                              r, code, xs, ys);
                break;
            }
            if (n->nsteps >= EGDI_MODEL_MAX_STEPS) {
                model_problem(L, "%s row %u: %s: more than %d steps", L->where, r, code,
                              EGDI_MODEL_MAX_STEPS);
                break;
            }
            n->steps_x[n->nsteps] = x;
            n->steps_y[n->nsteps] = y;
            n->nsteps++;
        }
    }
}

static void read_stage(loader *L, const egdi_row *row)
{
    egdi_model *m = L->m;
    if (m->nstages >= EGDI_MODEL_MAX_STAGES) {
        model_problem(L, "%s row %u: more than %d stages", L->where, row->number,
                      EGDI_MODEL_MAX_STAGES);
        return;
    }
    if (!m->stages) {
        m->stages = calloc(EGDI_MODEL_MAX_STAGES, sizeof *m->stages);
        if (!m->stages) {
            L->nomem = true;
            return;
        }
    }
    egdi_stage *s = &m->stages[m->nstages++];
    char buf[MODEL_MAX_CELL];
    s->code = model_strdup(cell_text(row, COL(SEC_STAGES, S_CODE), buf, sizeof buf));
    s->name_zh = model_strdup(cell_text(row, COL(SEC_STAGES, S_NAME_ZH), buf, sizeof buf));
    s->name_en = model_strdup(cell_text(row, COL(SEC_STAGES, S_NAME_EN), buf, sizeof buf));
    if (!s->code || !s->name_zh || !s->name_en) {
        L->nomem = true;
        return;
    }
    uint32_t r = row->number;
    const char *lo = cell_text(row, COL(SEC_STAGES, S_LOWER), buf, sizeof buf);
    if (!model_number(lo, &s->lower) || strchr(lo, '%'))
        model_problem(L, "%s row %u: stage %s: lower \"%s\" is not a number", L->where, r,
                      s->code, lo);
    if (isnan(s->lower))
        s->lower = -INFINITY;
    const char *hi = cell_text(row, COL(SEC_STAGES, S_UPPER), buf, sizeof buf);
    if (!model_number(hi, &s->upper) || strchr(hi, '%'))
        model_problem(L, "%s row %u: stage %s: upper \"%s\" is not a number", L->where, r,
                      s->code, hi);
    if (isnan(s->upper))
        s->upper = INFINITY;
    const char *cl = cell_text(row, COL(SEC_STAGES, S_CLASSES), buf, sizeof buf);
    while (*cl) {
        size_t k = strcspn(cl, ";");
        if (k) {
            if (s->nclasses >= EGDI_MODEL_MAX_CLASSES) {
                model_problem(L, "%s row %u: stage %s: more than %d classes", L->where, r,
                              s->code, EGDI_MODEL_MAX_CLASSES);
                break;
            }
            s->classes[s->nclasses] = strndup(cl, k);
            if (!s->classes[s->nclasses]) {
                L->nomem = true;
                return;
            }
            s->nclasses++;
        }
        cl += k;
        if (*cl == ';')
            cl++;
    }
}

egdi_status model_feed(loader *L, egdi_reader *r, int start_section, egdi_error *err)
{
    int sec = start_section;
    egdi_row row;
    egdi_status st;
    char buf[128];
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        bool marker;
        int ms = marker_row(&row, buf, sizeof buf, &marker);
        if (marker) {
            if (ms == SEC_NONE)
                model_problem(L, "%s row %u: unknown section %s", L->where, row.number, buf);
            sec = ms;
            if (sec != SEC_NONE && L->have_header[sec])
                model_problem(L, "%s row %u: section %s given twice", L->where, row.number, buf);
            if (sec != SEC_NONE)
                L->have_header[sec] = false;
            L->in_header = true;
            continue;
        }
        if (row_blank(&row) || sec == SEC_NONE || L->broken[sec])
            continue;
        /* problems name the table ("catalogue row 7") */
        snprintf(L->where, sizeof L->where, "%s",
                 sec == SEC_SETTINGS ? "settings" : sec == SEC_CATALOGUE ? "catalogue" : "stages");
        if (!L->have_header[sec]) {
            map_header(L, sec, &row);
            continue;
        }
        bool too_long = false;
        for (size_t c = 0; c < row.ncells; c++)
            if (row.cells[c].text && row.cells[c].len >= MODEL_MAX_CELL) {
                char col[8];
                model_problem(L, "%s row %u, column %s: cell of %zu bytes (at most %d)",
                              L->where, row.number, egdi_error_col_letters((uint32_t)c + 1, col),
                              row.cells[c].len, MODEL_MAX_CELL - 1);
                too_long = true;
            }
        if (too_long)
            continue;
        if (sec == SEC_SETTINGS)
            read_setting(L, &row);
        else if (sec == SEC_CATALOGUE)
            read_node(L, &row);
        else
            read_stage(L, &row);
        if (L->nomem)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the model");
    }
    return st == EGDI_DONE ? EGDI_OK : st;
}

/* ---- settings --------------------------------------------------------- */

static void apply_settings(loader *L)
{
    egdi_model *m = L->m;
    for (size_t i = 0; i < L->nsettings; i++) {
        const model_setting *s = &L->settings[i];
        const char *k = s->key, *v = s->value;
        double x;
        if (strcasecmp(k, "name") == 0) {
            free(m->name);
            m->name = model_strdup(v);
        } else if (strcasecmp(k, "version") == 0) {
            free(m->version);
            m->version = model_strdup(v);
        } else if (strcasecmp(k, "aggregation") == 0) {
            if (strcasecmp(v, "arithmetic") == 0)
                m->aggregation = EGDI_AGG_ARITHMETIC;
            else if (strcasecmp(v, "geometric") == 0)
                m->aggregation = EGDI_AGG_GEOMETRIC;
            else
                model_problem(L, "settings row %u: aggregation \"%s\" (use arithmetic or geometric)",
                              s->row, v);
        } else if (strcasecmp(k, "missing") == 0) {
            if (strcasecmp(v, "reweight") == 0)
                m->missing = EGDI_MISSING_REWEIGHT;
            else if (strcasecmp(v, "mean") == 0)
                m->missing = EGDI_MISSING_MEAN;
            else if (strcasecmp(v, "median") == 0)
                m->missing = EGDI_MISSING_MEDIAN;
            else if (strcasecmp(v, "zero") == 0)
                m->missing = EGDI_MISSING_ZERO;
            else if (strcasecmp(v, "none") == 0)
                m->missing = EGDI_MISSING_NONE;
            else
                model_problem(L, "settings row %u: missing \"%s\" (use reweight, mean, median, zero or none)",
                              s->row, v);
        } else if (strcasecmp(k, "min_coverage") == 0) {
            if (!model_number(v, &x) || isnan(x) || x < 0 || x > 1)
                model_problem(L, "settings row %u: min_coverage \"%s\" must be between 0 and 1",
                              s->row, v);
            else
                m->min_coverage = x;
        } else if (strcasecmp(k, "region_method") == 0) {
            if (strcasecmp(v, "mean") == 0) {
                m->region_method = EGDI_REGION_MEAN;
            } else if (strncasecmp(v, "weighted:", 9) == 0 && v[9]) {
                m->region_method = EGDI_REGION_WEIGHTED;
                free(m->region_weight);
                m->region_weight = model_strdup(v + 9);
            } else {
                model_problem(L, "settings row %u: region_method \"%s\" (use mean or weighted:CODE)",
                              s->row, v);
            }
        } else if (strcasecmp(k, "region_share") == 0) {
            if (!model_number(v, &x) || isnan(x) || x < 0 || x > 1)
                model_problem(L, "settings row %u: region_share \"%s\" must be between 0 and 1",
                              s->row, v);
            else
                m->region_share = x;
        } else if (strcasecmp(k, "digits") == 0 || strcasecmp(k, "rank_digits") == 0) {
            bool rank = strcasecmp(k, "rank_digits") == 0;
            if (rank && (!*v || strcasecmp(v, "none") == 0)) {
                m->rank_digits = -1;
            } else if (rank && strcasecmp(v, "auto") == 0) {
                m->rank_digits = EGDI_RANK_DIGITS_AUTO;
            } else if (!model_number(v, &x) || isnan(x) || x < 0 || x > 15 || x != floor(x)) {
                model_problem(L, "settings row %u: %s \"%s\" must be a whole number 0..15", s->row,
                              k, v);
            } else if (rank) {
                m->rank_digits = (int)x;
            } else {
                m->digits = (int)x;
            }
        } else if (strcasecmp(k, "boundary_margin") == 0) {
            if (!model_number(v, &x) || isnan(x) || x < 0)
                model_problem(L, "settings row %u: boundary_margin \"%s\" must be >= 0", s->row, v);
            else
                m->boundary_margin = x;
        } else if (strcasecmp(k, "survey") == 0) {
            free(m->survey);
            m->survey = *v ? model_strdup(v) : NULL;
            if (*v && !m->survey)
                L->nomem = true;
        } else if (strcasecmp(k, "classes") == 0) {
            if (strcasecmp(v, "quartile") == 0)
                m->classes_quartile = true;
            else if (strcasecmp(v, "none") == 0 || !*v)
                m->classes_quartile = false;
            else
                model_problem(L, "settings row %u: classes \"%s\" (use quartile or none)", s->row, v);
        } else {
            model_problem(L, "settings row %u: unknown setting \"%s\"", s->row, k);
        }
        if (!m->name || !m->version || (m->region_method == EGDI_REGION_WEIGHTED && !m->region_weight))
            L->nomem = true;
    }
}

/* ---- linking and checking --------------------------------------------- */

long egdi_model_find(const egdi_model *m, const char *code)
{
    for (size_t i = 0; i < m->nnodes; i++)
        if (strcasecmp(m->nodes[i].code, code) == 0)
            return (long)i;
    return -1;
}

static bool need(const egdi_node *n, double v)
{
    (void)n;
    return !isnan(v);
}

bool egdi_node_rule_fits(const egdi_node *n, egdi_rule r)
{
    switch (r) {
    case EGDI_RULE_GOALPOST:
        return !isnan(n->min) && !isnan(n->max) && n->max > n->min;
    case EGDI_RULE_TARGET:
        return !isnan(n->target) && n->tolerance > 0;
    case EGDI_RULE_RATIO:
        return n->target > 0;
    case EGDI_RULE_LIKERT:
        return !isnan(n->scale_min) && n->scale_max > n->scale_min;
    case EGDI_RULE_STEPS:
        return n->nsteps > 0;
    case EGDI_RULE_VALUE:
    case EGDI_RULE_MINMAX:
    case EGDI_RULE_ZSCORE:
    case EGDI_RULE_RANK:
    case EGDI_RULE_YESNO:
        return true;
    default:
        return false;
    }
}

static void check_rule(loader *L, const egdi_node *n)
{
    const char *c = n->code;
    const char *w = "catalogue";
    switch (n->rule) {
    case EGDI_RULE_GOALPOST:
        if (!need(n, n->min) || !need(n, n->max))
            model_problem(L, "%s row %u: %s: rule goalpost needs min and max", w, n->row, c);
        else if (!(n->max > n->min))
            model_problem(L, "%s row %u: %s: goalpost max %g must be above min %g", w, n->row, c,
                          n->max, n->min);
        break;
    case EGDI_RULE_TARGET:
        if (!need(n, n->target) || !need(n, n->tolerance))
            model_problem(L, "%s row %u: %s: rule target needs target and tolerance", w, n->row, c);
        else if (!(n->tolerance > 0))
            model_problem(L, "%s row %u: %s: tolerance must be above 0", w, n->row, c);
        break;
    case EGDI_RULE_RATIO:
        if (!need(n, n->target))
            model_problem(L, "%s row %u: %s: rule ratio needs target", w, n->row, c);
        else if (!(n->target > 0))
            model_problem(L, "%s row %u: %s: ratio target must be above 0", w, n->row, c);
        break;
    case EGDI_RULE_STEPS:
        if (n->nsteps == 0)
            model_problem(L, "%s row %u: %s: rule steps needs steps (e.g. \"0:0;50:60;80:100\")",
                          w, n->row, c);
        for (size_t i = 1; i < n->nsteps; i++)
            if (!(n->steps_x[i] > n->steps_x[i - 1])) {
                model_problem(L, "%s row %u: %s: steps thresholds must increase", w, n->row, c);
                break;
            }
        break;
    case EGDI_RULE_LIKERT:
        if (!need(n, n->scale_min) || !need(n, n->scale_max))
            model_problem(L, "%s row %u: %s: rule likert needs scale_min and scale_max", w, n->row,
                          c);
        else if (!(n->scale_max > n->scale_min))
            model_problem(L, "%s row %u: %s: scale_max must be above scale_min", w, n->row, c);
        break;
    default:
        break;
    }
}

/* Returns true when following parents from i reaches a node twice. */
static bool on_cycle(const egdi_model *m, size_t i)
{
    size_t steps = 0;
    long k = (long)i;
    while (k >= 0) {
        k = m->nodes[k].parent_idx;
        if (k == (long)i)
            return true;
        if (++steps > m->nnodes)
            return true;
    }
    return false;
}

static int cmp_stage(const void *a, const void *b)
{
    const egdi_stage *x = a, *y = b;
    return (x->lower > y->lower) - (x->lower < y->lower);
}

static void resolve(loader *L)
{
    egdi_model *m = L->m;
    apply_settings(L);
    if (L->nomem)
        return;
    if (m->nnodes == 0) {
        if (!L->broken[SEC_CATALOGUE]) /* else said once, at its header */
            model_problem(L, "catalogue: no indicators");
        return;
    }
    /* duplicates */
    for (size_t i = 0; i < m->nnodes; i++)
        for (size_t j = 0; j < i; j++)
            if (*m->nodes[i].code && strcasecmp(m->nodes[i].code, m->nodes[j].code) == 0) {
                model_problem(L, "catalogue row %u: duplicate code %s (first on row %u)",
                              m->nodes[i].row, m->nodes[i].code, m->nodes[j].row);
                break;
            }
    /* parents */
    size_t nroots = 0;
    for (size_t i = 0; i < m->nnodes; i++) {
        egdi_node *n = &m->nodes[i];
        if (!*n->parent) {
            if (nroots++ == 0)
                m->root = i;
            else
                model_problem(L, "catalogue row %u: %s: a second root (only %s may have no parent)",
                              n->row, n->code, m->nodes[m->root].code);
            continue;
        }
        n->parent_idx = egdi_model_find(m, n->parent);
        if (n->parent_idx < 0)
            model_problem(L, "catalogue row %u: %s: unknown parent %s", n->row, n->code, n->parent);
        else if ((size_t)n->parent_idx == i)
            model_problem(L, "catalogue row %u: %s is its own parent", n->row, n->code);
    }
    if (nroots == 0)
        model_problem(L, "catalogue: no root (one row must have an empty parent)");
    bool cyc = false;
    for (size_t i = 0; i < m->nnodes; i++)
        if (m->nodes[i].parent_idx >= 0 && (size_t)m->nodes[i].parent_idx != i &&
            on_cycle(m, i)) {
            model_problem(L, "catalogue row %u: %s is on a cycle of parents", m->nodes[i].row,
                          m->nodes[i].code);
            cyc = true;
        }
    /* children (in file order) */
    for (size_t i = 0; i < m->nnodes; i++) {
        long p = m->nodes[i].parent_idx;
        if (p < 0 || (size_t)p == i)
            continue;
        egdi_node *pn = &m->nodes[p];
        size_t *nc = realloc(pn->children, (pn->nchildren + 1) * sizeof *nc);
        if (!nc) {
            L->nomem = true;
            return;
        }
        pn->children = nc;
        pn->children[pn->nchildren++] = i;
    }
    for (size_t i = 0; i < m->nnodes; i++) {
        egdi_node *n = &m->nodes[i];
        if (n->nchildren && n->rule != EGDI_RULE_NONE)
            model_problem(L, "catalogue row %u: %s has children and a rule (only leaves are scored by rule)",
                          n->row, n->code);
        if (!n->nchildren && n->rule == EGDI_RULE_NONE && *n->code)
            model_problem(L, "catalogue row %u: %s: a leaf needs a rule", n->row, n->code);
        check_rule(L, n);
        model_source_check(L, n);
        if (!n->nchildren)
            continue;
        /* weights of the children: fixed order, so the sum is reproducible */
        double sum = 0;
        bool all = true;
        for (size_t k = 0; k < n->nchildren; k++) {
            double w = m->nodes[n->children[k]].weight;
            if (isnan(w))
                all = false;
            else
                sum += w;
        }
        if (all && fabs(sum - 1.0) > EGDI_MODEL_WEIGHT_TOL)
            model_problem(L, "catalogue: weights under %s sum to %.12g, not 1 (tolerance %g)",
                          n->code, sum, EGDI_MODEL_WEIGHT_TOL);
    }
    /* depth and effective weight (parents first: iterate until stable) */
    if (!cyc && nroots >= 1) {
        for (size_t i = 0; i < m->nnodes; i++) {
            unsigned d = 0;
            double ew = 1.0;
            long k = (long)i;
            while (k >= 0 && m->nodes[k].parent_idx >= 0 && d <= m->nnodes) {
                ew *= isnan(m->nodes[k].weight) ? 0.0 : m->nodes[k].weight;
                k = m->nodes[k].parent_idx;
                d++;
            }
            m->nodes[i].depth = d;
            m->nodes[i].eff_weight = ew;
        }
    }
    /* stages */
    if (m->nstages == 0) {
        if (!L->broken[SEC_STAGES])
            model_problem(L, "stages: no stage bands");
    } else {
        qsort(m->stages, m->nstages, sizeof *m->stages, cmp_stage);
        for (size_t i = 0; i < m->nstages; i++) {
            egdi_stage *s = &m->stages[i];
            if (!(s->upper > s->lower))
                model_problem(L, "stages: %s: upper %g is not above lower %g", s->code, s->upper,
                              s->lower);
            for (size_t j = 0; j < i; j++)
                if (strcasecmp(s->code, m->stages[j].code) == 0)
                    model_problem(L, "stages: duplicate stage %s", s->code);
            if (m->classes_quartile && s->nclasses != 4)
                model_problem(L, "stages: %s: classes quartile needs 4 class names, has %zu",
                              s->code, s->nclasses);
            if (i == 0)
                continue;
            const egdi_stage *p = &m->stages[i - 1];
            if (s->lower < p->upper)
                model_problem(L, "stages: %s [%g, %g) overlaps %s [%g, %g)", s->code, s->lower,
                              s->upper, p->code, p->lower, p->upper);
            else if (s->lower > p->upper)
                model_problem(L, "stages: gap between %s (upper %g) and %s (lower %g)", p->code,
                              p->upper, s->code, s->lower);
        }
    }
    if ((!m->name || !*m->name) && !L->broken[SEC_SETTINGS])
        model_problem(L, "settings: no name");
}

/* ---- entry points ----------------------------------------------------- */

egdi_model *model_new(void)
{
    egdi_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->name = model_strdup("");
    m->version = model_strdup("");
    m->rank_digits = -1;
    m->digits = 2;
    m->boundary_margin = 1.0;
    m->region_share = 1.0;
    if (!m->name || !m->version) {
        egdi_model_free(m);
        return NULL;
    }
    return m;
}

void egdi_model_free(egdi_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nnodes; i++) {
        egdi_node *n = &m->nodes[i];
        free(n->code);
        free(n->parent);
        free(n->name_zh);
        free(n->name_en);
        free(n->unit);
        free(n->children);
        model_source_free(n->survey);
    }
    free(m->nodes);
    if (m->stages)
        for (size_t i = 0; i < m->nstages; i++) {
            free(m->stages[i].code);
            free(m->stages[i].name_zh);
            free(m->stages[i].name_en);
            for (size_t k = 0; k < m->stages[i].nclasses; k++)
                free(m->stages[i].classes[k]);
        }
    free(m->stages);
    free(m->name);
    free(m->version);
    free(m->region_weight);
    free(m->survey);
    free(m);
}

egdi_status model_finish(loader *L, egdi_model **out, egdi_error *err)
{
    *out = NULL;
    if (!L->nomem)
        resolve(L);
    if (L->nomem) {
        egdi_model_free(L->m);
        L->m = NULL;
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the model");
    }
    if (L->nprob) {
        egdi_model_free(L->m);
        L->m = NULL;
        if (L->nprob == 1)
            return egdi_error_set(err, EGDI_ERR_MODEL, "%s", L->first);
        return egdi_error_set(err, EGDI_ERR_MODEL, "%s (and %zu more problems)", L->first,
                              L->nprob - 1);
    }
    egdi_status st = model_hash(L->m, err);
    if (st) {
        egdi_model_free(L->m);
        L->m = NULL;
        return st;
    }
    *out = L->m;
    L->m = NULL;
    return EGDI_OK;
}

static egdi_status loader_init(loader *L, egdi_model_problems *probs, egdi_error *err)
{
    memset(L, 0, sizeof *L);
    L->probs = probs;
    if (probs)
        memset(probs, 0, sizeof *probs);
    L->m = model_new();
    if (!L->m)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (int s = 0; s < 3; s++)
        for (size_t i = 0; i < MODEL_MAX_COLS; i++)
            L->colmap[s][i] = -1;
    return EGDI_OK;
}

egdi_status egdi_model_load_reader(egdi_model **out, egdi_reader *r, const char *section,
                                   egdi_model_problems *probs, egdi_error *err)
{
    loader L;
    *out = NULL;
    egdi_status st = loader_init(&L, probs, err);
    if (st)
        return st;
    int sec = section ? section_of(section) : SEC_CATALOGUE;
    st = model_feed(&L, r, sec, err);
    if (st) {
        egdi_model_free(L.m);
        return st;
    }
    return model_finish(&L, out, err);
}

egdi_status egdi_model_load_mem(egdi_model **out, const void *buf, size_t size,
                                const char *name, egdi_model_problems *probs, egdi_error *err)
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
    o.format = EGDI_FMT_CSV;
    egdi_reader *r = NULL;
    *out = NULL;
    if (probs)
        memset(probs, 0, sizeof *probs);
    egdi_status st = egdi_reader_open_mem(&r, buf, size, name, &o, err);
    if (st)
        return st;
    st = egdi_model_load_reader(out, r, "catalogue", probs, err);
    egdi_reader_close(r);
    return st;
}

static const char *const part_names[3] = {"settings", "catalogue", "stages"};

/* Feeds the three parts found by `open_part` into L. */
static egdi_status load_parts(loader *L, const char *base, bool builtin_model, egdi_error *err)
{
    for (int s = 0; s < 3; s++) {
        egdi_reader *r = NULL;
        egdi_status st;
        egdi_read_opts o;
        egdi_read_opts_init(&o);
        o.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
        o.format = EGDI_FMT_CSV;
        char path[1024];
        if (builtin_model) {
            if (snprintf(path, sizeof path, "models/%s/%s.csv", base, part_names[s]) >=
                (int)sizeof path)
                return egdi_error_set(err, EGDI_ERR_ARG, "model name too long");
            const egdi_embedded_file *f = egdi_embedded_find(path);
            if (!f)
                return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "built-in model %s has no %s table",
                                      base, part_names[s]);
            st = egdi_reader_open_mem(&r, f->data, f->size, path, &o, err);
        } else {
            if (snprintf(path, sizeof path, "%s/%s.csv", base, part_names[s]) >= (int)sizeof path)
                return egdi_error_set(err, EGDI_ERR_ARG, "path too long");
            st = egdi_reader_open(&r, path, &o, err);
        }
        if (st)
            return st;
        st = model_feed(L, r, s, err);
        egdi_reader_close(r);
        if (st)
            return st;
    }
    return EGDI_OK;
}

/* Opens the sheet of table sec in an XLSX workbook under any of its names
 * (settings or 设置...); EGDI_ERR_NOT_FOUND naming the English one when it
 * has none of them. */
static egdi_status open_sheet(egdi_reader **r, const char *path, int sec, egdi_error *err)
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
    egdi_status st = EGDI_ERR_NOT_FOUND;
    for (size_t a = 0; egdi_model_sheet_names[sec][a]; a++) {
        egdi_error e;
        egdi_error_clear(&e);
        o.sheet = egdi_model_sheet_names[sec][a];
        st = egdi_reader_open(r, path, &o, &e);
        if (st == EGDI_OK)
            return EGDI_OK;
        if (a == 0 || st != EGDI_ERR_NOT_FOUND)
            *err = e; /* the first name's "no sheet", or a real failure */
        if (st != EGDI_ERR_NOT_FOUND)
            return st;
    }
    return st;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

egdi_status egdi_model_load(egdi_model **out, const char *name_or_path,
                            egdi_model_problems *probs, egdi_error *err)
{
    *out = NULL;
    loader L;
    egdi_status st = loader_init(&L, probs, err);
    if (st)
        return st;
    struct stat sb;
    bool is_builtin = false;
    for (size_t i = 0; builtin[i]; i++)
        if (strcmp(name_or_path, builtin[i]) == 0)
            is_builtin = true;
    if (is_builtin && stat(name_or_path, &sb) != 0) {
        st = load_parts(&L, name_or_path, true, err);
    } else if (stat(name_or_path, &sb) != 0) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                            "no model \"%s\" (not a built-in model, not a file: %s)", name_or_path,
                            strerror(errno));
    } else if (S_ISDIR(sb.st_mode)) {
        st = load_parts(&L, name_or_path, false, err);
    } else if (ends_with(name_or_path, ".xlsx")) {
        egdi_read_opts o;
        egdi_read_opts_init(&o);
        o.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
        egdi_reader *r = NULL;
        st = open_sheet(&r, name_or_path, SEC_SETTINGS, err);
        if (st == EGDI_ERR_NOT_FOUND) {
            /* one sheet with markers */
            egdi_error_clear(err);
            o.sheet = NULL;
            st = egdi_reader_open(&r, name_or_path, &o, err);
            if (!st)
                st = model_feed(&L, r, SEC_CATALOGUE, err);
            egdi_reader_close(r);
        } else if (!st) {
            for (int s = 0; s < 3 && !st; s++) {
                if (s > 0 && (st = open_sheet(&r, name_or_path, s, err)) != EGDI_OK)
                    break;
                st = model_feed(&L, r, s, err);
                egdi_reader_close(r);
                r = NULL;
            }
        }
    } else {
        egdi_read_opts o;
        egdi_read_opts_init(&o);
        o.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
        egdi_reader *r = NULL;
        st = egdi_reader_open(&r, name_or_path, &o, err);
        if (!st)
            st = model_feed(&L, r, SEC_CATALOGUE, err);
        egdi_reader_close(r);
    }
    if (st) {
        egdi_model_free(L.m);
        return st;
    }
    return model_finish(&L, out, err);
}

/* ---- stages ----------------------------------------------------------- */

long egdi_model_stage(const egdi_model *m, double score)
{
    if (isnan(score))
        return -1;
    for (size_t i = 0; i < m->nstages; i++)
        if (score >= m->stages[i].lower && score < m->stages[i].upper)
            return (long)i;
    return -1;
}

bool egdi_model_near_boundary(const egdi_model *m, double score)
{
    if (isnan(score) || m->boundary_margin <= 0)
        return false;
    /* only the bounds between two bands: the ends of the scale do not count */
    for (size_t i = 1; i < m->nstages; i++) {
        double b = m->stages[i].lower;
        if (isfinite(b) && fabs(score - b) < m->boundary_margin)
            return true;
    }
    return false;
}
