/*
 * metrics.c - `egdi import metrics FILE --round YEAR`.
 *
 * Two layouts: wide (a row per unit, a column per indicator) and long
 * (unit, indicator, value); detected from the header when not given.
 * Columns and the indicators of a long table are matched to the catalogue
 * by code or name (header.h); a column that matches nothing but looks like
 * an indicator (a code-like heading, a near miss, or numbers in its cells)
 * is a problem, any other is ignored with the reason.  Units are found by
 * code, or by name when the sheet has only a name column.
 *
 * Every cell is read into an array of observations first, so a failure
 * writes nothing and whole-file checks can run (one row per unit; without
 * a catalogue, a yes/no word only in a column of 0/1).  Each observation
 * keeps its source cell.
 *
 * A cell is (metric_cell):
 *   - missing: empty, a mark ("—", "N/A", "暂无", --na), #N/A: recorded as a
 *     missing value with its cell, never 0;
 *   - a number: thousands separators, full-width digits, "85%" = 85, a
 *     percent-formatted XLSX number 0.85 = 85; with a unit word the
 *     indicator allows ("4.5分", "12个");
 *   - a yes/no word (是/否, yes/no) as 1/0, in yes/no indicators;
 *   - anything else, or a value outside the indicator's range, is refused
 *     with its reason (with --skip-bad-cells: recorded as missing with it).
 * The SQL is the store's (engine/store/observations.h).
 */
#include "engine/import/import_private.h"
#include "engine/import/header.h"
#include "engine/store/observations.h"
#include "engine/store/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/core/value.h"

#define EGDI_MAX_INDICATORS 10000
#define EGDI_MAX_OBSERVATIONS 50000000

enum { M_UNIT, M_NAME, M_IND, M_VALUE, M_KIND, M_PARENT, M_LEVEL, M_ROWNO, NMFIELDS };

/* The headings of a metrics sheet besides the indicators (docs/import.md). */
static const egdi_heading_field metric_fields[NMFIELDS] = {
    {"unit", "unit|code|unit_code|单位代码|单位编码|代码|编码|机构代码|部门代码", true},
    {"unit name", "name|unit_name|名称|单位名称|单位|机构名称|部门名称", true},
    {"indicator", "indicator|indicator_code|指标|指标代码|指标编码|指标名称", true},
    {"value", "value|raw|值|数值|原始值|指标值", true},
    {"kind", "kind|type|类型|类别|单位类型|单位类别|单位性质", false},
    {"parent",
     "parent|region|parent_code|上级|上级代码|上级单位|上级单位代码|上级地区|所属地区|所属区域|"
     "所属市|所属城市|所属地市|地区",
     false},
    {"level", "level|级别|层级|行政级别", false},
    {"row number", "序号|行号|no|no.|#", false},
};

/* What a column of a wide sheet is. */
typedef enum {
    MC_NONE = 0,  /* empty heading */
    MC_FIELD,     /* unit, name, indicator, value, or a known unused field */
    MC_INDICATOR, /* ind = the indicator's index in codes */
    MC_UNDECIDED, /* no match: an indicator when its cells hold numbers */
    MC_SKIP       /* ignored or a problem */
} mcol_role;

typedef struct {
    mcol_role role;
    uint32_t ind;
    long cat;              /* the catalogue index, -1 without one */
    size_t numeric;        /* MC_UNDECIDED: cells that are numbers */
} mcol;

typedef struct {
    int64_t unit;
    uint32_t row;
} unit_seen;

typedef struct {
    int64_t unit_id;
    uint32_t ind;   /* index into the indicator codes */
    uint32_t row, col;
    double value;
    bool boolword;  /* came from 是/否, yes/no */
    bool missing;   /* no value: recorded as missing with reason */
    bool bad;       /* missing because the cell was refused (--skip-bad-cells) */
    bool skip;      /* not written (a value another file already gave) */
    char *raw;
    char *reason;   /* missing: why (owned) */
} obs;

typedef struct {
    obs *v;
    size_t n, cap;
    char **codes; /* indicator codes */
    long *cat;    /* per code: its catalogue index, -1 */
    size_t ncodes;
    uint32_t *bad_rows; /* rows with a rejected cell (skip mode drops them) */
    size_t nbad, badcap;
    mcol *cols;   /* wide: per header column */
    /* the unit of the row being read */
    int64_t unit;
    unsigned unit_kind; /* EGDI_IMPORT_DEPARTMENT / REGION, 0 = unknown */
    /* wide: the unit of each row, for repeats */
    unit_seen *seen;
    size_t nseen, seencap;
} metrics;

static void metrics_release(metrics *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].raw);
        free(m->v[i].reason);
    }
    free(m->v);
    for (size_t i = 0; i < m->ncodes; i++)
        free(m->codes[i]);
    free(m->codes);
    free(m->cat);
    free(m->bad_rows);
    free(m->cols);
    free(m->seen);
}

static void mark_bad(metrics *m, uint32_t row)
{
    if (m->nbad && m->bad_rows[m->nbad - 1] == row)
        return;
    if (m->nbad == m->badcap) {
        size_t ncap = m->badcap ? m->badcap * 2 : 64;
        uint32_t *nb = realloc(m->bad_rows, ncap * sizeof *nb);
        if (!nb)
            return;
        m->bad_rows = nb;
        m->badcap = ncap;
    }
    m->bad_rows[m->nbad++] = row;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sorts the bad rows and drops repeats, for is_bad(). */
static void sort_bad(metrics *m)
{
    if (m->nbad == 0)
        return;
    qsort(m->bad_rows, m->nbad, sizeof *m->bad_rows, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < m->nbad; i++)
        if (k == 0 || m->bad_rows[k - 1] != m->bad_rows[i])
            m->bad_rows[k++] = m->bad_rows[i];
    m->nbad = k;
}

static bool is_bad(const metrics *m, uint32_t row)
{
    return bsearch(&row, m->bad_rows, m->nbad, sizeof row, cmp_u32) != NULL;
}

/* Index of an indicator code, adding it when new. */
static egdi_status intern(metrics *m, const char *code, long cat, uint32_t *out, egdi_error *err)
{
    for (size_t i = 0; i < m->ncodes; i++)
        if (strcmp(m->codes[i], code) == 0) {
            *out = (uint32_t)i;
            return EGDI_OK;
        }
    if (m->ncodes == EGDI_MAX_INDICATORS)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "more than %d indicator codes",
                              EGDI_MAX_INDICATORS);
    char **nc = realloc(m->codes, (m->ncodes + 1) * sizeof *nc);
    if (!nc)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    m->codes = nc;
    long *ncat = realloc(m->cat, (m->ncodes + 1) * sizeof *ncat);
    if (!ncat)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    m->cat = ncat;
    if (!(m->codes[m->ncodes] = strdup(code)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    m->cat[m->ncodes] = cat;
    *out = (uint32_t)m->ncodes++;
    return EGDI_OK;
}

static const egdi_import_indicator *indicator_of(const import_job *job, const metrics *m,
                                                 uint32_t ind)
{
    long k = m->cat[ind];
    return k >= 0 ? &job->opts->catalogue->v[k] : NULL;
}

/* ---- units ---------------------------------------------------------------- */

typedef struct {
    size_t n;
    int64_t id;
    unsigned kind;
    char codes[256];
} named_units;

static egdi_status on_named(void *ctx, const egdi_store_unit_row *row, egdi_error *err)
{
    (void)err;
    named_units *nu = ctx;
    if (nu->n == 0) {
        nu->id = row->id;
        nu->kind = row->region ? EGDI_IMPORT_REGION : EGDI_IMPORT_DEPARTMENT;
    }
    size_t l = strlen(nu->codes);
    if (nu->n < 3)
        snprintf(nu->codes + l, sizeof nu->codes - l, "%s%s", l ? ", " : "", row->code);
    nu->n++;
    return EGDI_OK;
}

/* m->unit = the unit of the row (by the code in column ucol, else by the
 * name in column ncol), or 0 after rejecting the cell. */
static egdi_status unit_of(import_job *job, metrics *m, const egdi_row *row, long ucol,
                           long ncol, egdi_error *err)
{
    m->unit = 0;
    m->unit_kind = 0;
    bool by_name = ucol < 0;
    size_t col = (size_t)(by_name ? ncol : ucol);
    const egdi_cell *c = import_cell(row, col);
    const char *text = import_cell_text(c);
    egdi_import_column *e = import_column(job, col);
    if (egdi_value_blank(text, strlen(text))) {
        import_reject(job, row->number, (uint32_t)col + 1, c,
                      by_name ? "the unit name is empty" : "the unit code is empty");
        mark_bad(m, row->number);
        if (e)
            e->bad++;
        return EGDI_OK;
    }
    char *t = strdup(text);
    if (!t)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        t[--n] = '\0';
    const char *code = t;
    while (*code == ' ' || *code == '\t')
        code++;
    egdi_status st = EGDI_OK;
    if (by_name) {
        named_units nu = {0};
        if ((st = egdi_store_units_named(job->store, code, on_named, &nu, err)) != EGDI_OK)
            goto done;
        if (nu.n == 1) {
            m->unit = nu.id;
            m->unit_kind = nu.kind;
        } else if (nu.n == 0)
            import_reject(job, row->number, (uint32_t)col + 1, c,
                          "no stored unit is named \"%s\" (import the units first, or add a "
                          "unit code column 单位代码)",
                          code);
        else
            import_reject(job, row->number, (uint32_t)col + 1, c,
                          "%zu stored units are named \"%s\" (%s%s); add a unit code column "
                          "(单位代码)",
                          nu.n, code, nu.codes, nu.n > 3 ? ", ..." : "");
    } else {
        egdi_store_unit su;
        st = egdi_store_unit_get(job->store, code, &su, err);
        if (st == EGDI_OK) {
            m->unit = su.id;
            m->unit_kind = strcmp(su.kind, "region") == 0 ? EGDI_IMPORT_REGION
                                                          : EGDI_IMPORT_DEPARTMENT;
        }
        egdi_store_unit_release(&su);
        if (st == EGDI_DONE) {
            st = EGDI_OK;
            import_reject(job, row->number, (uint32_t)col + 1, c,
                          "unknown unit code \"%s\" (import the units first)", code);
        }
    }
    if (st == EGDI_OK && !m->unit) {
        mark_bad(m, row->number);
        if (e)
            e->bad++;
    } else if (st == EGDI_OK && e)
        e->values++;
done:
    free(t);
    return st;
}

/* ---- cells ----------------------------------------------------------------- */

typedef enum { CELL_VALUE, CELL_MISSING, CELL_BAD } cell_kind;

/* Is the unit word w[0..n) one that ind allows (its words, or its unit)? */
static bool word_allowed(const egdi_import_indicator *ind, const char *w, size_t n)
{
    return egdi_heading_in_list(w, n, ind->words, '|') ||
           (ind->unit && egdi_heading_in_list(w, n, ind->unit, '\x01'));
}

/* What cell c of indicator ind (NULL without a catalogue) holds: the value,
 * or why it is refused (into why). */
static cell_kind metric_cell(const import_job *job, const egdi_import_indicator *ind,
                             const egdi_cell *c, double *v, bool *boolword, char *why,
                             size_t size)
{
    *boolword = false;
    if (import_is_missing(job, c))
        return CELL_MISSING;
    const char *w = NULL;
    bool percent = false;
    egdi_status st;
    char d[96];
    switch (c->type) {
    case EGDI_CELL_TEXT:
        st = egdi_value_number(c->text, c->len, v, &percent, &w);
        break;
    case EGDI_CELL_DATE:
        st = EGDI_ERR_VALUE;
        w = "a date, not a number";
        break;
    case EGDI_CELL_BOOL:
        if (ind && ind->value != EGDI_IMPORT_YESNO) {
            snprintf(why, size, "a yes/no answer, but %s takes %s", ind->code,
                     egdi_import_indicator_describe(ind, d, sizeof d));
            return CELL_BAD;
        }
        *boolword = true;
        st = egdi_cell_number(c, true, v, &w);
        break;
    default:
        percent = c->type == EGDI_CELL_NUMBER && c->percent;
        st = egdi_cell_number(c, true, v, &w);
        break;
    }
    if (st != EGDI_OK && c->type == EGDI_CELL_TEXT) {
        bool b;
        const char *w2;
        bool yesno = egdi_value_bool(c->text, c->len, &b, &w2) == EGDI_OK;
        if (yesno && (!ind || ind->value == EGDI_IMPORT_YESNO)) {
            *v = b ? 1.0 : 0.0;
            *boolword = true;
            return CELL_VALUE;
        }
        if (yesno) {
            snprintf(why, size, "a yes/no answer, but %s takes %s", ind->code,
                     egdi_import_indicator_describe(ind, d, sizeof d));
            return CELL_BAD;
        }
        if (ind && ind->value == EGDI_IMPORT_YESNO) {
            snprintf(why, size, "%s", w2);
            return CELL_BAD;
        }
        const char *unit;
        size_t ulen;
        bool pct;
        if (ind && egdi_value_number_unit(c->text, c->len, v, &pct, &unit, &ulen, &w2) ==
                       EGDI_OK && ulen > 0) {
            if (!word_allowed(ind, unit, ulen)) {
                snprintf(why, size, "\"%.*s\" is not a unit of %s (%s)", (int)ulen, unit,
                         ind->code, ind->unit ? ind->unit : "no unit");
                return CELL_BAD;
            }
            st = EGDI_OK;
            percent = pct;
        }
    }
    if (st != EGDI_OK) {
        snprintf(why, size, "%s", w ? w : "not a number");
        return CELL_BAD;
    }
    if (!ind)
        return CELL_VALUE;
    if (percent && ind->value != EGDI_IMPORT_PERCENT && ind->value != EGDI_IMPORT_NUMBER) {
        snprintf(why, size, "a percentage, but %s takes %s", ind->code,
                 egdi_import_indicator_describe(ind, d, sizeof d));
        return CELL_BAD;
    }
    if (ind->value == EGDI_IMPORT_YESNO && *v != 0.0 && *v != 1.0) {
        snprintf(why, size, "%s takes %s, not %g", ind->code,
                 egdi_import_indicator_describe(ind, d, sizeof d), *v);
        return CELL_BAD;
    }
    if (*v < ind->lo || *v > ind->hi) {
        snprintf(why, size, "outside the range of %s, %s", ind->code,
                 egdi_import_indicator_describe(ind, d, sizeof d));
        return CELL_BAD;
    }
    return CELL_VALUE;
}

static egdi_status push(metrics *m, egdi_error *err)
{
    if (m->n == EGDI_MAX_OBSERVATIONS)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "more than %d values in one file",
                              EGDI_MAX_OBSERVATIONS);
    if (m->n == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        obs *nv = realloc(m->v, ncap * sizeof *nv);
        if (!nv)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        m->v = nv;
        m->cap = ncap;
    }
    memset(&m->v[m->n], 0, sizeof m->v[m->n]);
    return EGDI_OK;
}

/* Reads one value cell of indicator ind for the row's unit. */
static egdi_status add_value(import_job *job, metrics *m, const egdi_row *row, size_t col,
                             uint32_t ind, egdi_error *err)
{
    const egdi_cell *c = import_cell(row, col);
    const egdi_import_indicator *ci = indicator_of(job, m, ind);
    egdi_import_column *e = import_column(job, col);
    double v = 0;
    bool boolword;
    char why[300];
    cell_kind k = metric_cell(job, ci, c, &v, &boolword, why, sizeof why);
    /* an empty cell of an indicator the unit's kind has no use for is no
     * news: neither counted nor recorded */
    if (k == CELL_MISSING && ci && m->unit_kind && !(ci->applies & m->unit_kind) &&
        c->type == EGDI_CELL_EMPTY)
        return EGDI_OK;
    if (e)
        *(k == CELL_VALUE ? &e->values : k == CELL_MISSING ? &e->missing : &e->bad) += 1;
    if (k == CELL_BAD) {
        import_reject(job, row->number, (uint32_t)col + 1, c, "%s", why);
        if (!job->opts->skip_bad_cells)
            mark_bad(m, row->number);
    }
    if (!m->unit)
        return EGDI_OK;
    egdi_status st = push(m, err);
    if (st)
        return st;
    obs *o = &m->v[m->n];
    o->unit_id = m->unit;
    o->ind = ind;
    o->row = row->number;
    o->col = (uint32_t)col + 1;
    o->value = v;
    o->boolword = boolword;
    o->missing = k != CELL_VALUE;
    o->bad = k == CELL_BAD;
    o->raw = strdup(import_cell_text(c));
    if (o->missing)
        o->reason = strdup(k == CELL_BAD ? why
                           : egdi_value_blank(o->raw ? o->raw : "", o->raw ? strlen(o->raw) : 0)
                               ? "empty"
                               : "marked missing");
    if (!o->raw || (o->missing && !o->reason)) {
        free(o->raw);
        free(o->reason);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    m->n++;
    return EGDI_OK;
}

/* ---- columns ---------------------------------------------------------------- */

static bool known_heading(void *ctx, const char *heading)
{
    const egdi_import_catalogue *cat = ctx;
    egdi_heading h;
    egdi_heading_match(heading, metric_fields, NMFIELDS, cat, &h);
    return h.kind != EGDI_HEADING_NONE;
}

static const char *target_name(const egdi_import_catalogue *cat, egdi_heading_kind kind,
                               size_t index)
{
    return kind == EGDI_HEADING_FIELD ? metric_fields[index].name : cat->v[index].code;
}

/* Decides each column; col[M_*] = the column of each used field, or -1. */
static egdi_status map_columns(import_job *job, metrics *m, long col[NMFIELDS], egdi_error *err)
{
    const egdi_import_catalogue *cat = job->opts->catalogue;
    const char *model = cat && cat->model ? cat->model : "the model";
    for (int f = 0; f < NMFIELDS; f++)
        col[f] = -1;
    m->cols = calloc(job->ncols ? job->ncols : 1, sizeof *m->cols);
    if (!m->cols)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t c = 0; c < job->ncols; c++) {
        const char *hd = job->headers[c];
        mcol *mc = &m->cols[c];
        mc->cat = -1;
        if (!hd[0])
            continue;
        if (import_ignored(job, c)) {
            mc->role = MC_SKIP;
            import_column_use(job, c, EGDI_COLUMN_IGNORED, NULL, "--ignore-columns");
            continue;
        }
        egdi_heading h;
        egdi_heading_match(hd, metric_fields, NMFIELDS, cat, &h);
        if (h.kind != EGDI_HEADING_NONE && h.other_kind != EGDI_HEADING_NONE) {
            mc->role = MC_SKIP;
            import_problem(job, job->header_row, (uint32_t)c + 1, hd,
                           "heading \"%s\" is ambiguous: it matches %s (by %s) and %s (by %s)",
                           hd, target_name(cat, h.kind, h.index), h.how,
                           target_name(cat, h.other_kind, h.other), h.other_how);
            import_column_use(job, c, EGDI_COLUMN_ERROR, NULL, "ambiguous");
        } else if (h.kind == EGDI_HEADING_FIELD) {
            mc->role = MC_FIELD;
            if (metric_fields[h.index].used) {
                import_column_use(job, c, EGDI_COLUMN_FIELD, metric_fields[h.index].name, NULL);
                if (col[h.index] < 0)
                    col[h.index] = (long)c;
            } else
                import_column_use(job, c, EGDI_COLUMN_IGNORED, NULL, "a %s column%s",
                                  metric_fields[h.index].name,
                                  h.index == M_ROWNO ? "" : " (of a units file)");
        } else if (h.kind == EGDI_HEADING_INDICATOR) {
            mc->role = MC_INDICATOR;
            mc->cat = (long)h.index;
            import_column_use(job, c, EGDI_COLUMN_INDICATOR, cat->v[h.index].code, "by %s",
                              h.how);
        } else if (!cat) {
            /* no catalogue: every other heading is an indicator code */
            mc->role = MC_INDICATOR;
            import_column_use(job, c, EGDI_COLUMN_INDICATOR, hd, NULL);
        } else if (h.near_kind != EGDI_HEADING_NONE) {
            mc->role = MC_SKIP;
            bool ind = h.near_kind == EGDI_HEADING_INDICATOR;
            char mean[300];
            if (ind)
                snprintf(mean, sizeof mean, "%s (%s)", cat->v[h.near].code,
                         cat->v[h.near].name_zh ? cat->v[h.near].name_zh
                                                : cat->v[h.near].name_en ? cat->v[h.near].name_en
                                                                         : "");
            else
                snprintf(mean, sizeof mean, "\"%.*s\" (%s)", (int)h.near_len, h.near_text,
                         metric_fields[h.near].name);
            import_problem(job, job->header_row, (uint32_t)c + 1, hd,
                           "heading \"%s\" matches no %s of %s; did you mean %s? (or "
                           "--ignore-columns \"%s\")",
                           hd, ind ? "indicator" : "field", ind ? model : "a metrics sheet", mean,
                           hd);
            import_column_use(job, c, EGDI_COLUMN_ERROR, NULL, "did you mean %s?", mean);
        } else if (egdi_heading_codelike(hd)) {
            mc->role = MC_SKIP;
            import_problem(job, job->header_row, (uint32_t)c + 1, hd,
                           "heading \"%s\" looks like an indicator code but %s has no such "
                           "indicator (see 'egdi model show'; or --ignore-columns \"%s\")",
                           hd, model, hd);
            import_column_use(job, c, EGDI_COLUMN_ERROR, NULL, "no such indicator");
        } else
            mc->role = MC_UNDECIDED;
    }
    for (size_t c = 0; c < job->ncols; c++) {
        mcol *mc = &m->cols[c];
        if (mc->role != MC_INDICATOR)
            continue;
        const char *code = mc->cat >= 0 ? cat->v[mc->cat].code : job->headers[c];
        egdi_status st = intern(m, code, mc->cat, &mc->ind, err);
        if (st)
            return st;
    }
    return EGDI_OK;
}

/* After the rows: an undecided column holding numbers is a problem, one
 * holding only text is ignored. */
static void decide_columns(import_job *job, metrics *m)
{
    const egdi_import_catalogue *cat = job->opts->catalogue;
    for (size_t c = 0; c < job->ncols; c++) {
        mcol *mc = &m->cols[c];
        if (mc->role != MC_UNDECIDED)
            continue;
        if (mc->numeric) {
            import_problem(job, job->header_row, (uint32_t)c + 1, job->headers[c],
                           "column \"%s\" holds numbers (%zu cells) but is no indicator of %s "
                           "(see 'egdi model show'; or --ignore-columns \"%s\")",
                           job->headers[c], mc->numeric, cat && cat->model ? cat->model : "the model",
                           job->headers[c]);
            import_column_use(job, c, EGDI_COLUMN_ERROR, NULL, "numbers, but no indicator");
        } else
            import_column_use(job, c, EGDI_COLUMN_IGNORED, NULL,
                              "text, not a field or an indicator");
    }
}

/* ---- the layouts -------------------------------------------------------------- */

/* Wide: remembers the row's unit, for the repeats check. */
static egdi_status remember_unit(metrics *m, const egdi_row *row, egdi_error *err)
{
    if (m->nseen == m->seencap) {
        size_t ncap = m->seencap ? m->seencap * 2 : 64;
        unit_seen *a = realloc(m->seen, ncap * sizeof *a);
        if (!a)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        m->seen = a;
        m->seencap = ncap;
    }
    m->seen[m->nseen++] = (unit_seen){m->unit, row->number};
    return EGDI_OK;
}

static int cmp_seen(const void *a, const void *b)
{
    const unit_seen *x = a, *y = b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Wide: a unit on two rows is a problem (one row per unit). */
static void check_repeats(import_job *job, metrics *m, long ucol)
{
    if (m->nseen)
        qsort(m->seen, m->nseen, sizeof *m->seen, cmp_seen);
    for (size_t i = 1; i < m->nseen; i++) {
        if (m->seen[i].unit != m->seen[i - 1].unit)
            continue;
        size_t first = i - 1;
        while (first > 0 && m->seen[first - 1].unit == m->seen[i].unit)
            first--;
        import_problem(job, m->seen[i].row, (uint32_t)ucol + 1, NULL,
                       "this unit appears again (first on row %u); one row per unit",
                       (unsigned)m->seen[first].row);
    }
}

static egdi_status read_wide(import_job *job, metrics *m, long ucol, long ncol,
                             egdi_error *err)
{
    egdi_row row;
    egdi_status rc;
    while ((rc = import_next_row(job, &row, err)) == EGDI_OK) {
        if ((rc = unit_of(job, m, &row, ucol, ncol, err)) != EGDI_OK)
            return rc;
        if (m->unit && (rc = remember_unit(m, &row, err)))
            return rc;
        for (size_t c = 0; c < row.ncells || c < job->ncols; c++) {
            if ((long)c == ucol || (long)c == ncol)
                continue;
            if (c >= job->ncols || !job->headers[c][0]) {
                if (c < row.ncells && row.cells[c].type != EGDI_CELL_EMPTY)
                    import_no_heading(job, &row, c);
                continue;
            }
            mcol *mc = &m->cols[c];
            if (mc->role == MC_UNDECIDED) {
                double v;
                if (c < row.ncells && egdi_cell_number(&row.cells[c], true, &v, NULL) == EGDI_OK)
                    mc->numeric++;
                continue;
            }
            if (mc->role != MC_INDICATOR)
                continue;
            if ((rc = add_value(job, m, &row, c, mc->ind, err)) != EGDI_OK)
                return rc;
        }
    }
    return rc == EGDI_DONE ? EGDI_OK : rc;
}

static egdi_status read_long(import_job *job, metrics *m, long ucol, long ncol, long icol,
                             long vcol, egdi_error *err)
{
    const egdi_import_catalogue *cat = job->opts->catalogue;
    egdi_row row;
    egdi_status rc;
    while ((rc = import_next_row(job, &row, err)) == EGDI_OK) {
        if ((rc = unit_of(job, m, &row, ucol, ncol, err)) != EGDI_OK)
            return rc;
        const egdi_cell *ic = import_cell(&row, (size_t)icol);
        const char *code = import_cell_text(ic);
        egdi_import_column *e = import_column(job, (size_t)icol);
        if (egdi_value_blank(code, strlen(code))) {
            import_reject(job, row.number, (uint32_t)icol + 1, ic, "the indicator code is empty");
            mark_bad(m, row.number);
            if (e)
                e->bad++;
            continue;
        }
        long k = -1;
        if (cat) {
            egdi_heading h;
            egdi_heading_match(code, NULL, 0, cat, &h);
            if (h.kind == EGDI_HEADING_INDICATOR && h.other_kind == EGDI_HEADING_NONE)
                k = (long)h.index;
            else {
                if (h.other_kind != EGDI_HEADING_NONE)
                    import_reject(job, row.number, (uint32_t)icol + 1, ic,
                                  "\"%s\" matches both %s and %s", code, cat->v[h.index].code,
                                  cat->v[h.other].code);
                else if (h.near_kind == EGDI_HEADING_INDICATOR)
                    import_reject(job, row.number, (uint32_t)icol + 1, ic,
                                  "no indicator \"%s\" in %s; did you mean %s (%s)?", code,
                                  cat->model ? cat->model : "the model", cat->v[h.near].code,
                                  cat->v[h.near].name_zh ? cat->v[h.near].name_zh : "");
                else
                    import_reject(job, row.number, (uint32_t)icol + 1, ic,
                                  "no indicator \"%s\" in %s (see 'egdi model show')", code,
                                  cat->model ? cat->model : "the model");
                mark_bad(m, row.number);
                if (e)
                    e->bad++;
                continue;
            }
        }
        if (e)
            e->values++;
        uint32_t ind;
        if ((rc = intern(m, k >= 0 ? cat->v[k].code : code, k, &ind, err)) != EGDI_OK)
            return rc;
        if ((rc = add_value(job, m, &row, (size_t)vcol, ind, err)) != EGDI_OK)
            return rc;
    }
    return rc == EGDI_DONE ? EGDI_OK : rc;
}

static int cmp_obs(const void *a, const void *b)
{
    const obs *x = a, *y = b;
    if (x->unit_id != y->unit_id)
        return x->unit_id < y->unit_id ? -1 : 1;
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Whole-file checks: one value per unit and indicator (long layout); without
 * a catalogue, yes/no words only in columns of 0/1. */
static void check_columns(import_job *job, metrics *m, bool wide)
{
    if (m->n)
        qsort(m->v, m->n, sizeof *m->v, cmp_obs);
    for (size_t i = 1; i < m->n && !wide; i++) {
        obs *a = &m->v[i - 1], *b = &m->v[i];
        if (a->unit_id == b->unit_id && a->ind == b->ind && a->row != b->row)
            import_problem(job, b->row, b->col, b->raw,
                           "a second value for indicator %s of this unit (first on row %u)",
                           m->codes[b->ind], a->row);
    }
    for (uint32_t k = 0; k < m->ncodes; k++) {
        if (m->cat[k] >= 0)
            continue; /* the catalogue says what it takes */
        bool words = false, numeric = false;
        for (size_t i = 0; i < m->n; i++) {
            if (m->v[i].ind != k || m->v[i].missing)
                continue;
            if (m->v[i].boolword)
                words = true;
            else if (m->v[i].value != 0.0 && m->v[i].value != 1.0)
                numeric = true;
        }
        if (!(words && numeric))
            continue;
        for (size_t i = 0; i < m->n; i++) {
            obs *o = &m->v[i];
            if (o->ind != k || !o->boolword)
                continue;
            egdi_cell c = {EGDI_CELL_TEXT, false, 0, o->raw, strlen(o->raw)};
            import_reject(job, o->row, o->col, &c,
                          "a yes/no answer in indicator %s, whose other values are numbers",
                          m->codes[k]);
            mark_bad(m, o->row);
        }
    }
    sort_bad(m);
}

static egdi_status write_values(import_job *job, metrics *m, int round, egdi_error *err)
{
    egdi_status rc;
    /* Values already stored from another file: refused unless --replace
     * (none can be when the round holds no value yet). */
    bool any = false;
    if (!job->opts->replace &&
        (rc = egdi_store_obs_any(job->store, round, &any, err)) != EGDI_OK)
        return rc;
    if (any) {
        for (size_t i = 0; i < m->n; i++) {
            obs *o = &m->v[i];
            if (o->missing)
                continue;
            char *file = NULL;
            int row = 0;
            rc = egdi_store_obs_source(job->store, round, o->unit_id, m->codes[o->ind], &file,
                                       &row, err);
            if (rc == EGDI_DONE)
                continue;
            if (rc != EGDI_OK)
                return rc;
            egdi_cell c = {EGDI_CELL_TEXT, false, 0, o->raw, strlen(o->raw)};
            import_reject(job, o->row, o->col, &c,
                          "round %d already has this value from %s row %d; use "
                          "--replace to overwrite it",
                          round, file, row);
            free(file);
            if (job->opts->skip_bad_cells)
                o->skip = true;
            else
                mark_bad(m, o->row);
        }
        sort_bad(m);
        if (job->res->nrejects && !job->opts->skip_bad_rows && !job->opts->skip_bad_cells)
            return EGDI_OK;
    }
    /* values go to the store OBS_PENDING at a time, in file order; a
     * missing cell of a unit and indicator still pending sends them first
     * (it is recorded only when no value is stored) */
    enum { OBS_PENDING = 256 };
    egdi_store_obs pending[OBS_PENDING];
    size_t npending = 0;
    for (size_t i = 0; i < m->n; i++) {
        obs *o = &m->v[i];
        if (o->skip || (m->nbad && is_bad(m, o->row)))
            continue;
        if (o->missing) {
            for (size_t p = 0; p < npending; p++)
                if (pending[p].unit_id == o->unit_id &&
                    strcmp(pending[p].indicator, m->codes[o->ind]) == 0) {
                    if ((rc = egdi_store_obs_put_many(job->store, pending, npending, err)) !=
                        EGDI_OK)
                        return rc;
                    npending = 0;
                }
            egdi_store_missing sm = {round,        o->unit_id,        m->codes[o->ind],
                                     o->raw,       o->reason,         job->res->batch_id,
                                     job->res->sheet, o->row,          o->col};
            bool recorded = false;
            if ((rc = egdi_store_missing_put(job->store, &sm, &recorded, err)) != EGDI_OK)
                return rc;
            job->res->missing += recorded;
            job->res->cells_skipped += o->bad;
            continue;
        }
        egdi_store_obs so = {round,    o->unit_id,           m->codes[o->ind], o->value, o->raw,
                             job->res->batch_id, job->res->sheet, o->row,    o->col};
        pending[npending++] = so;
        if (npending == OBS_PENDING) {
            if ((rc = egdi_store_obs_put_many(job->store, pending, npending, err)) != EGDI_OK)
                return rc;
            npending = 0;
        }
        job->res->values_stored++;
    }
    if (npending && (rc = egdi_store_obs_put_many(job->store, pending, npending, err)) != EGDI_OK)
        return rc;
    job->res->rows_stored = job->res->rows_read - m->nbad;
    return EGDI_OK;
}

egdi_status egdi_import_metrics(egdi_store *s, const char *path, const egdi_import_opts *o,
                                egdi_import_result *res, egdi_error *err)
{
    import_job job;
    metrics m = {0};
    egdi_status rc;
    if (o->round <= 0) {
        memset(res, 0, sizeof *res);
        return egdi_error_set(err, EGDI_ERR_ARG, "metrics need a round (--round YEAR)");
    }
    if ((rc = import_start(&job, s, "metrics", path, o, res, known_heading,
                           (void *)o->catalogue, err)) != EGDI_OK)
        goto done;
    long col[NMFIELDS];
    if ((rc = map_columns(&job, &m, col, err)) != EGDI_OK)
        goto done;
    egdi_layout layout = o->layout;
    if (layout == EGDI_LAYOUT_AUTO)
        layout = (col[M_IND] >= 0 && col[M_VALUE] >= 0) ? EGDI_LAYOUT_LONG : EGDI_LAYOUT_WIDE;
    long ucol = col[M_UNIT], ncol = col[M_NAME];
    if (ucol < 0 && ncol < 0 && job.ncols > 0 && m.cols[0].role == MC_UNDECIDED) {
        /* the first column holds the unit codes */
        ucol = 0;
        m.cols[0].role = MC_FIELD;
        import_column_use(&job, 0, EGDI_COLUMN_FIELD, "unit", "the first column");
    }
    if (ucol >= 0 && ncol >= 0)
        import_column_use(&job, (size_t)ncol, EGDI_COLUMN_IGNORED, NULL,
                          "unit names (units are found by code)");
    if (layout == EGDI_LAYOUT_LONG && ((ucol < 0 && ncol < 0) || col[M_IND] < 0 ||
                                       col[M_VALUE] < 0)) {
        egdi_error_at(err, path, res->sheet, job.header_row, 0);
        rc = egdi_error_set(err, EGDI_ERR_FORMAT,
                            "a long table needs the columns unit, indicator and value");
        goto done;
    }
    if (ucol < 0 && ncol < 0)
        import_problem(&job, job.header_row, 0, NULL,
                       "no unit column: a metrics sheet needs the unit codes (单位代码) or the "
                       "unit names (单位名称)");
    import_check_columns(&job);
    if ((rc = import_new_batch(&job, o->round, 0, err)) != EGDI_OK)
        goto done;
    if (ucol >= 0 || ncol >= 0) {
        rc = layout == EGDI_LAYOUT_LONG
                 ? read_long(&job, &m, ucol, ucol >= 0 ? -1 : ncol, col[M_IND], col[M_VALUE], err)
                 : read_wide(&job, &m, ucol, ucol >= 0 ? -1 : ncol, err);
        if (rc != EGDI_OK)
            goto done;
    }
    decide_columns(&job, &m);
    res->note = strdup(layout == EGDI_LAYOUT_LONG ? "long layout (unit, indicator, value)"
                                                  : "wide layout (a column per indicator)");
    if (layout == EGDI_LAYOUT_WIDE)
        check_repeats(&job, &m, ucol >= 0 ? ucol : ncol);
    check_columns(&job, &m, layout == EGDI_LAYOUT_WIDE);
    if (res->nstructural == 0 && (res->nrejects == 0 || o->skip_bad_rows || o->skip_bad_cells) &&
        (rc = write_values(&job, &m, o->round, err)) != EGDI_OK)
        goto done;
    rc = import_end(&job, err);
done:
    import_job_release(&job);
    metrics_release(&m);
    return rc;
}
