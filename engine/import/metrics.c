/*
 * metrics.c - `egdi import metrics FILE --round YEAR`.
 *
 * Two layouts: wide (a row per unit, a column per indicator code) and long
 * (unit, indicator, value); detected from the header when not given.  Every
 * value is read into an array of observations first, so whole columns can be
 * checked (a yes/no answer in a column of percentages is refused) and a
 * failure writes nothing.  Each observation keeps its source cell.
 *
 * Values: numbers (thousands separators, full-width digits, "85%" = 85; a
 * percent-formatted XLSX number 0.85 = 85), and yes/no words (是/否, yes/no)
 * as 1/0 in columns that hold nothing else but 0/1.  Empty cells are missing
 * and not stored; anything else is rejected with its reason.  The SQL is the
 * store's (engine/store/observations.h).
 */
#include "engine/import/import_private.h"
#include "engine/store/observations.h"

#include <stdlib.h>
#include <string.h>

#include "engine/core/value.h"

#define EGDI_MAX_INDICATORS 10000
#define EGDI_MAX_OBSERVATIONS 50000000

#define MET_UNIT_ALIASES "unit|code|unit_code|单位代码|单位编码|代码|编码"
#define MET_NAME_ALIASES "name|unit_name|名称|单位名称"
#define MET_IND_ALIASES "indicator|indicator_code|指标|指标代码"
#define MET_VALUE_ALIASES "value|raw|值|数值|原始值"

typedef struct {
    int64_t unit_id;
    uint32_t ind;  /* index into the indicator codes */
    uint32_t row, col;
    double value;
    bool boolword; /* came from 是/否, yes/no */
    char *raw;
} obs;

typedef struct {
    obs *v;
    size_t n, cap;
    char **codes; /* indicator codes */
    size_t ncodes;
    uint32_t *bad_rows; /* rows with a rejected cell (skip mode drops them) */
    size_t nbad, badcap;
} metrics;

static void metrics_release(metrics *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].raw);
    free(m->v);
    for (size_t i = 0; i < m->ncodes; i++)
        free(m->codes[i]);
    free(m->codes);
    free(m->bad_rows);
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
static egdi_status intern(metrics *m, const char *code, uint32_t *out, egdi_error *err)
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
    if (!(m->codes[m->ncodes] = strdup(code)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    *out = (uint32_t)m->ncodes++;
    return EGDI_OK;
}

/* *unit = the unit id of the code in cell c, or 0 after rejecting it. */
static egdi_status unit_of(import_job *job, metrics *m, const egdi_row *row, size_t col,
                           int64_t *unit, egdi_error *err)
{
    *unit = 0;
    const egdi_cell *c = import_cell(row, col);
    const char *code = import_cell_text(c);
    if (egdi_value_blank(code, strlen(code))) {
        import_reject(job, row->number, (uint32_t)col + 1, c, "the unit code is empty");
        mark_bad(m, row->number);
        return EGDI_OK;
    }
    egdi_error e;
    egdi_error_clear(&e);
    egdi_status st = egdi_store_unit_id(job->store, code, unit, &e);
    if (st == EGDI_OK)
        return EGDI_OK;
    *unit = 0;
    if (st != EGDI_ERR_NOT_FOUND) {
        if (err)
            *err = e;
        return st;
    }
    import_reject(job, row->number, (uint32_t)col + 1, c,
                  "unknown unit code \"%s\" (import the units first)", code);
    mark_bad(m, row->number);
    return EGDI_OK;
}

/* Reads one value cell into the observations; empty cells are skipped. */
static egdi_status add_value(import_job *job, metrics *m, const egdi_row *row, size_t col,
                             int64_t unit, uint32_t ind, egdi_error *err)
{
    const egdi_cell *c = import_cell(row, col);
    double v;
    bool boolword = false;
    const char *why = NULL;
    egdi_status st = egdi_cell_number(c, true, &v, &why);
    if (st == EGDI_DONE)
        return EGDI_OK;
    if (st != EGDI_OK && c->type == EGDI_CELL_TEXT) {
        bool b;
        const char *why2;
        if (egdi_value_bool(c->text, c->len, &b, &why2) == EGDI_OK) {
            v = b ? 1.0 : 0.0;
            boolword = true;
            st = EGDI_OK;
        }
    }
    if (st != EGDI_OK) {
        import_reject(job, row->number, (uint32_t)col + 1, c, "%s", why ? why : "not a number");
        mark_bad(m, row->number);
        return EGDI_OK;
    }
    if (!unit)
        return EGDI_OK;
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
    obs *o = &m->v[m->n];
    o->unit_id = unit;
    o->ind = ind;
    o->row = row->number;
    o->col = (uint32_t)col + 1;
    o->value = v;
    o->boolword = boolword;
    o->raw = strdup(import_cell_text(c));
    if (!o->raw)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    m->n++;
    return EGDI_OK;
}

static egdi_status read_wide(import_job *job, metrics *m, egdi_error *err)
{
    long ucol = import_find_column(job, MET_UNIT_ALIASES);
    long ncol = import_find_column(job, MET_NAME_ALIASES);
    if (ucol < 0)
        ucol = 0; /* the first column holds the unit codes */
    uint32_t *ind = calloc(job->ncols ? job->ncols : 1, sizeof *ind);
    if (!ind)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status rc = EGDI_OK;
    for (size_t c = 0; c < job->ncols; c++)
        if ((long)c != ucol && (long)c != ncol && job->headers[c][0] &&
            (rc = intern(m, job->headers[c], &ind[c], err)) != EGDI_OK)
            goto done;
    egdi_row row;
    while ((rc = import_next_row(job, &row, err)) == EGDI_OK) {
        int64_t unit;
        if ((rc = unit_of(job, m, &row, (size_t)ucol, &unit, err)) != EGDI_OK)
            goto done;
        for (size_t c = 0; c < row.ncells; c++) {
            if ((long)c == ucol || (long)c == ncol)
                continue;
            if (c >= job->ncols || !job->headers[c][0]) {
                if (row.cells[c].type != EGDI_CELL_EMPTY) {
                    import_reject(job, row.number, (uint32_t)c + 1, &row.cells[c],
                                  "this column has no indicator code in the header");
                    mark_bad(m, row.number);
                }
                continue;
            }
            if ((rc = add_value(job, m, &row, c, unit, ind[c], err)) != EGDI_OK)
                goto done;
        }
    }
    if (rc == EGDI_DONE)
        rc = EGDI_OK;
done:
    free(ind);
    return rc;
}

static egdi_status read_long(import_job *job, metrics *m, long ucol, long icol, long vcol,
                             egdi_error *err)
{
    egdi_row row;
    egdi_status rc;
    while ((rc = import_next_row(job, &row, err)) == EGDI_OK) {
        int64_t unit;
        if ((rc = unit_of(job, m, &row, (size_t)ucol, &unit, err)) != EGDI_OK)
            return rc;
        const egdi_cell *ic = import_cell(&row, (size_t)icol);
        const char *code = import_cell_text(ic);
        if (egdi_value_blank(code, strlen(code))) {
            import_reject(job, row.number, (uint32_t)icol + 1, ic, "the indicator code is empty");
            mark_bad(m, row.number);
            continue;
        }
        uint32_t ind;
        if ((rc = intern(m, code, &ind, err)) != EGDI_OK)
            return rc;
        if ((rc = add_value(job, m, &row, (size_t)vcol, unit, ind, err)) != EGDI_OK)
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

/* Whole-file checks: one value per unit and indicator; yes/no words only in
 * columns of 0/1. */
static void check_columns(import_job *job, metrics *m)
{
    if (m->n)
        qsort(m->v, m->n, sizeof *m->v, cmp_obs);
    for (size_t i = 1; i < m->n; i++) {
        obs *a = &m->v[i - 1], *b = &m->v[i];
        if (a->unit_id == b->unit_id && a->ind == b->ind) {
            egdi_cell c = {EGDI_CELL_TEXT, false, 0, b->raw, strlen(b->raw)};
            import_reject(job, b->row, b->col, &c,
                          "a second value for indicator %s of this unit (first on row %u)",
                          m->codes[b->ind], a->row);
            mark_bad(m, b->row);
        }
    }
    for (uint32_t k = 0; k < m->ncodes; k++) {
        bool words = false, numeric = false;
        for (size_t i = 0; i < m->n; i++) {
            if (m->v[i].ind != k)
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
    /* Values already stored from another file: refused unless --replace. */
    if (!job->opts->replace) {
        for (size_t i = 0; i < m->n; i++) {
            obs *o = &m->v[i];
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
            mark_bad(m, o->row);
        }
        sort_bad(m);
        if (job->res->nrejects && !job->opts->skip_bad_rows)
            return EGDI_OK;
    }
    for (size_t i = 0; i < m->n; i++) {
        obs *o = &m->v[i];
        if (m->nbad && is_bad(m, o->row))
            continue;
        egdi_store_obs so = {round,    o->unit_id,           m->codes[o->ind], o->value, o->raw,
                             job->res->batch_id, job->res->sheet, o->row,    o->col};
        if ((rc = egdi_store_obs_put(job->store, &so, err)) != EGDI_OK)
            return rc;
        job->res->values_stored++;
    }
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
    if ((rc = import_start(&job, s, "metrics", path, o, res, err)) != EGDI_OK)
        goto done;
    long ucol = import_find_column(&job, MET_UNIT_ALIASES);
    long icol = import_find_column(&job, MET_IND_ALIASES);
    long vcol = import_find_column(&job, MET_VALUE_ALIASES);
    egdi_layout layout = o->layout;
    if (layout == EGDI_LAYOUT_AUTO)
        layout = (icol >= 0 && vcol >= 0) ? EGDI_LAYOUT_LONG : EGDI_LAYOUT_WIDE;
    if (layout == EGDI_LAYOUT_LONG && (ucol < 0 || icol < 0 || vcol < 0)) {
        egdi_error_at(err, path, res->sheet, job.header_row, 0);
        rc = egdi_error_set(err, EGDI_ERR_FORMAT,
                            "a long table needs the columns unit, indicator and value");
        goto done;
    }
    if ((rc = import_new_batch(&job, o->round, 0, err)) != EGDI_OK)
        goto done;
    rc = layout == EGDI_LAYOUT_LONG ? read_long(&job, &m, ucol, icol, vcol, err)
                                    : read_wide(&job, &m, err);
    if (rc != EGDI_OK)
        goto done;
    res->note = strdup(layout == EGDI_LAYOUT_LONG ? "long layout (unit, indicator, value)"
                                                  : "wide layout (a column per indicator)");
    check_columns(&job, &m);
    if ((res->nrejects == 0 || o->skip_bad_rows) &&
        (rc = write_values(&job, &m, o->round, err)) != EGDI_OK)
        goto done;
    rc = import_end(&job, err);
done:
    import_job_release(&job);
    metrics_release(&m);
    return rc;
}
