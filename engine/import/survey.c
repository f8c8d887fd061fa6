/*
 * survey.c - `egdi import survey FILE --survey NAME`.
 *
 * The header gives the column codes.  Item columns come from --items, or,
 * without it, from a first pass over the file: every column (but the id
 * column) whose non-empty cells are all numbers or answer labels.  Other
 * columns are attributes, kept per respondent as a JSON object.  With a
 * scale, a numeric column with values outside it (an age) is no item.  A cell
 * becomes an answer by egdi_answer_value() (answers.h), the rule `egdi survey
 * --data` reads files with too.  Answers are
 * checked against the scale (--scale, else the range of the labels) and
 * stored per respondent in one BLOB (survey_store.h gives the codec).  A
 * survey imported again from another file must have the same columns; its
 * respondents are appended.
 *
 * The unit each respondent rates (--unit-column: 部门, 所属单位, 评价对象
 * ...): its cells are unit codes, or names that one stored unit has
 * (unitref.c), so respondents can score the units (indicators/survey_source.c);
 * an unknown unit is a problem of its cell with the nearest code or name as
 * a suggestion, an empty cell a respondent who rates no unit.  The column
 * stays an attribute too (its text as written), and the survey keeps its
 * heading: a later import of the survey must name the same column.
 * Without --unit-column, a column headed like one is pointed out.
 *
 * Missing answers: empty cells, marks ("—", "N/A", "暂无": the rule of
 * egdi_answer_value) and --na.  The respondent id column is --id, else the
 * leftmost column headed id, respondent, 编号, 序号 or 问卷编号 (a heading that
 * appears twice is not taken).  A repeated heading of a column that is not
 * an item is read once (the first) with a warning; a repeated id is a
 * problem, and a row that repeats an earlier one with the same id too.
 * Ids are remembered (copied, with a hash of their row) and checked once
 * the rows are read.
 */
#include "engine/import/import_private.h"
#include "engine/import/answers.h"
#include "engine/import/scales.h"
#include "engine/core/itemlist.h"
#include "engine/store/survey_store.h"
#include "engine/store/survey_write.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/import/header.h"

#include <jansson.h>

/* A respondent with an id: for the repeated-id check. */
typedef struct {
    char *id;
    uint64_t row_hash; /* of every cell of the row */
    uint32_t row;
} respondent;

typedef struct {
    bool *is_item;    /* per header column */
    bool *is_skipped; /* per header column: a repeated heading, not read */
    bool *reversed;
    char **dimension; /* per header column, from --scales; NULL = none */
    long id_col;
    long unit_col;    /* --unit-column, -1 = none */
    import_unitref *units;
    int64_t *rated;   /* the units rated, for the count of distinct ones */
    size_t nrated, ratedcap;
    bool u8;
    bool have_scale;
    double lo, hi;
    egdi_labels lt;   /* answer labels (--labels) */
    int64_t survey_id;
    size_t nitems;
    respondent *resp;
    size_t nresp, respcap;
} survey_plan;

static void plan_release(survey_plan *p, size_t ncols)
{
    for (size_t i = 0; i < p->nresp; i++)
        free(p->resp[i].id);
    free(p->resp);
    free(p->is_skipped);
    if (p->dimension)
        for (size_t c = 0; c < ncols; c++)
            free(p->dimension[c]);
    free(p->dimension);
    free(p->is_item);
    free(p->reversed);
    import_unitref_free(p->units);
    free(p->rated);
    egdi_answer_labels_release(&p->lt);
}

/* An answer: the one rule of engine/import/answers.h (a number, percent
 * in points, or a label's code; EGDI_DONE for no answer), and the marks
 * of --na. */
static egdi_status answer_value(const import_job *job, const survey_plan *p, const egdi_cell *c,
                                double *v, const char **why)
{
    egdi_status st = egdi_answer_value(c, &p->lt, v, why);
    if (st == EGDI_ERR_VALUE && job->opts->na && c->type == EGDI_CELL_TEXT &&
        egdi_heading_in_list(c->text, c->len, job->opts->na, ',')) {
        *why = "marked missing";
        return EGDI_DONE;
    }
    return st;
}

/* Without --items: a first pass finds the columns that hold only answers
 * (numbers or labels, within the scale when there is one). */
static egdi_status detect_items(import_job *job, survey_plan *p, egdi_error *err)
{
    egdi_reader *r;
    egdi_status st = import_open_reader(job, &r, err);
    if (st != EGDI_OK)
        return st;
    bool *seen = calloc(job->ncols ? job->ncols : 1, sizeof *seen);
    if (!seen) {
        egdi_reader_close(r);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t c = 0; c < job->ncols; c++)
        p->is_item[c] = (long)c != p->id_col && (long)c != p->unit_col && job->headers[c][0] &&
                        !p->is_skipped[c];
    egdi_row row;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        if (row.number <= job->header_row)
            continue; /* the header and the title rows above it */
        for (size_t c = 0; c < row.ncells && c < job->ncols; c++) {
            if (!p->is_item[c] || row.cells[c].type == EGDI_CELL_EMPTY)
                continue;
            double v;
            const char *why;
            egdi_status as = answer_value(job, p, &row.cells[c], &v, &why);
            if (as == EGDI_DONE)
                continue; /* blank */
            if (as != EGDI_OK || (p->have_scale && (v < p->lo || v > p->hi)))
                p->is_item[c] = false;
            else
                seen[c] = true;
        }
    }
    for (size_t c = 0; c < job->ncols; c++)
        if (!seen[c])
            p->is_item[c] = false; /* an empty column is no item */
    free(seen);
    egdi_reader_close(r);
    return st == EGDI_DONE ? EGDI_OK : st;
}

static egdi_status select_items(import_job *job, survey_plan *p, egdi_error *err)
{
    const egdi_import_opts *o = job->opts;
    const char *const *names = (const char *const *)job->headers;
    egdi_status st;
    if (o->items) {
        size_t *idx, k;
        if ((st = egdi_itemlist_select(o->items, names, job->ncols, &idx, &k, err)) != EGDI_OK)
            return st;
        for (size_t i = 0; i < k; i++)
            p->is_item[idx[i]] = !p->is_skipped[idx[i]]; /* --ignore-columns wins */
        free(idx);
        if (p->id_col >= 0 && p->is_item[p->id_col])
            return egdi_error_set(err, EGDI_ERR_ARG, "the id column \"%s\" cannot be an item",
                                  job->headers[p->id_col]);
        if (p->unit_col >= 0 && p->is_item[p->unit_col])
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "the unit column \"%s\" (--unit-column) cannot be an item",
                                  job->headers[p->unit_col]);
    } else if ((st = detect_items(job, p, err)) != EGDI_OK)
        return st;
    for (size_t c = 0; c < job->ncols; c++)
        p->nitems += p->is_item[c];
    if (p->nitems == 0) {
        egdi_error_at(err, job->path, job->res->sheet, 0, 0);
        return egdi_error_set(err, EGDI_ERR_FORMAT,
                              "no item columns (columns of numeric answers) found; "
                              "name them with --items");
    }
    if (o->reverse) {
        size_t *idx, k;
        if ((st = egdi_itemlist_select(o->reverse, names, job->ncols, &idx, &k, err)) != EGDI_OK)
            return st;
        for (size_t i = 0; i < k; i++) {
            if (!p->is_item[idx[i]]) {
                free(idx);
                return egdi_error_set(err, EGDI_ERR_ARG, "reverse-keyed \"%s\" is not an item",
                                      job->headers[idx[i]]);
            }
            p->reversed[idx[i]] = true;
        }
        free(idx);
        if (!p->have_scale)
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "reverse-keyed items need the scale (--scale MIN-MAX)");
    }
    return EGDI_OK;
}

typedef struct {
    import_job *job;
    survey_plan *p;
} scales_ctx;

/* egdi_scales_fn: an item row of the scales table gives the item its
 * dimension and, when reversed, marks it reverse-keyed. */
static egdi_status scales_row(void *ctx, const char *scale, const char *item, bool rev,
                              uint32_t row, uint32_t item_col, egdi_error *err)
{
    scales_ctx *c = ctx;
    survey_plan *p = c->p;
    import_job *job = c->job;
    (void)item_col;
    long col = egdi_itemlist_find(item, (const char *const *)job->headers, job->ncols);
    if (col < 0 || !p->is_item[col]) {
        egdi_error_at(err, job->opts->scales, NULL, row, 0);
        return egdi_error_set(err, EGDI_ERR_VALUE, "\"%s\" is not an item of the survey file",
                              item);
    }
    if (rev && !p->have_scale) {
        egdi_error_at(err, job->opts->scales, NULL, row, 0);
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "reverse-keyed items need the scale (--scale MIN-MAX)");
    }
    free(p->dimension[col]);
    if (!(p->dimension[col] = strdup(scale)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    p->reversed[col] = p->reversed[col] || rev;
    return EGDI_OK;
}

/* --scales FILE (engine/import/scales.h, the table `egdi survey --scales`
 * reads): each item's dimension and reverse key. */
static egdi_status read_scales(import_job *job, survey_plan *p, egdi_error *err)
{
    const char *path = job->opts->scales;
    egdi_read_opts ro;
    egdi_read_opts_init(&ro);
    ro.encoding = job->opts->read.encoding;
    ro.limits = job->opts->read.limits;
    ro.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
    egdi_reader *r;
    egdi_status st = egdi_reader_open(&r, path, &ro, err);
    if (st != EGDI_OK)
        return st;
    p->dimension = calloc(job->ncols ? job->ncols : 1, sizeof *p->dimension);
    if (!p->dimension) {
        egdi_reader_close(r);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    scales_ctx ctx = {job, p};
    st = egdi_scales_read(r, path, EGDI_SCALES_ONE, scales_row, &ctx, err);
    egdi_reader_close(r);
    return st;
}

/* A survey imported before links its respondents to units by the same
 * column (or by none: this import's column becomes the survey's). */
static egdi_status same_unit_column(import_job *job, survey_plan *p, const char *unit_heading,
                                    egdi_error *err)
{
    char *stored = NULL;
    egdi_status rc = egdi_store_survey_unit_column(job->store, p->survey_id, &stored, err);
    if (rc != EGDI_OK)
        return rc;
    if (!stored && unit_heading)
        rc = egdi_store_survey_set_unit_column(job->store, p->survey_id, unit_heading, err);
    else if (stored && !unit_heading)
        rc = egdi_error_set(err, EGDI_ERR_ARG,
                            "survey \"%s\" links its respondents to the units they rate by the "
                            "column \"%s\": give --unit-column \"%s\"",
                            job->opts->survey, stored, stored);
    else if (stored && egdi_heading_find(stored, &unit_heading, 1) < 0)
        rc = egdi_error_set(err, EGDI_ERR_ARG,
                            "survey \"%s\" links its respondents to units by the column \"%s\", "
                            "not \"%s\"; import this file under another name",
                            job->opts->survey, stored, unit_heading);
    free(stored);
    return rc;
}

/* Finds or creates the survey; an existing one must have the same columns.
 * The survey's columns are the header's, without the ones without a heading
 * and the repeats that are not read. */
static egdi_status survey_row(import_job *job, survey_plan *p, egdi_error *err)
{
    egdi_store *s = job->store;
    const egdi_import_opts *o = job->opts;
    size_t n = job->ncols ? job->ncols : 1, k = 0;
    const char **codes = malloc(n * sizeof *codes);
    const char **dims = malloc(n * sizeof *dims);
    bool *is_item = malloc(n * sizeof *is_item), *rev = malloc(n * sizeof *rev);
    egdi_status rc = EGDI_OK;
    if (!codes || !dims || !is_item || !rev) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < job->ncols; c++) {
        if (!job->headers[c][0] || p->is_skipped[c])
            continue;
        codes[k] = job->headers[c];
        dims[k] = p->dimension ? p->dimension[c] : NULL;
        is_item[k] = p->is_item[c];
        rev[k] = p->reversed[c];
        k++;
    }
    const char *unit_heading = p->unit_col >= 0 ? job->headers[p->unit_col] : NULL;
    rc = egdi_store_survey_find(s, o->survey, &p->survey_id, &p->u8, err);
    if (rc == EGDI_OK) {
        bool same;
        if ((rc = egdi_store_survey_same_columns(s, p->survey_id, codes, is_item, k, &same,
                                                 err)) != EGDI_OK)
            goto done;
        if (!same) {
            rc = egdi_error_set(err, EGDI_ERR_FORMAT,
                                "survey \"%s\" already exists with other columns or items; "
                                "import this file under another name",
                                o->survey);
            goto done;
        }
        rc = same_unit_column(job, p, unit_heading, err);
        goto done;
    }
    if (rc != EGDI_DONE)
        goto done;
    egdi_store_survey_def d = {
        .name = o->survey,
        .round = o->round,
        .have_scale = p->have_scale,
        .scale_min = p->lo,
        .scale_max = p->hi,
        .u8 = p->u8,
        .ncols = k,
        .codes = codes,
        .is_item = is_item,
        .reversed = rev,
        .dimension = p->dimension ? dims : NULL,
        .nlabels = p->lt.nlabels,
        .label_values = p->lt.values,
        .labels = (const char *const *)p->lt.labels,
        .unit_column = unit_heading,
    };
    rc = egdi_store_survey_add(s, &d, &p->survey_id, err);
done:
    free(codes);
    free(dims);
    free(is_item);
    free(rev);
    return rc;
}

/* FNV-1a over the row's cells (type and text), for the repeated-row check. */
static uint64_t row_hash(const egdi_row *row)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t c = 0; c < row->ncells; c++) {
        const egdi_cell *cell = &row->cells[c];
        const char *t = import_cell_text(cell);
        h = (h ^ (uint64_t)cell->type) * 1099511628211ull;
        for (const unsigned char *q = (const unsigned char *)t; *q; q++)
            h = (h ^ *q) * 1099511628211ull;
        h = (h ^ 0x1F) * 1099511628211ull; /* the cell ends */
    }
    return h;
}

/* Remembers the respondent of row (when there is an id column). */
static egdi_status remember(survey_plan *p, const egdi_row *row, egdi_error *err)
{
    const char *id = import_cell_text(import_cell(row, (size_t)p->id_col));
    if (egdi_value_blank(id, strlen(id)))
        return EGDI_OK;
    if (p->nresp == p->respcap) {
        size_t ncap = p->respcap ? p->respcap * 2 : 1024;
        respondent *n = realloc(p->resp, ncap * sizeof *n);
        if (!n)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        p->resp = n;
        p->respcap = ncap;
    }
    respondent *r = &p->resp[p->nresp];
    if (!(r->id = strdup(id)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    r->row = row->number;
    r->row_hash = row_hash(row);
    p->nresp++;
    return EGDI_OK;
}

static int cmp_resp(const void *a, const void *b)
{
    const respondent *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* A repeated id is a problem; a repeated row (same id, same cells) says so. */
static void check_ids(import_job *job, survey_plan *p)
{
    if (p->nresp)
        qsort(p->resp, p->nresp, sizeof *p->resp, cmp_resp);
    uint32_t col = (uint32_t)p->id_col + 1;
    for (size_t i = 1; i < p->nresp; i++) {
        const respondent *b = &p->resp[i];
        if (strcmp(p->resp[i - 1].id, b->id) != 0)
            continue;
        size_t first = i - 1;
        while (first > 0 && strcmp(p->resp[first - 1].id, b->id) == 0)
            first--;
        const respondent *a = &p->resp[first];
        if (a->row_hash == b->row_hash)
            import_problem(job, b->row, 0, NULL,
                           "this row repeats row %u (respondent \"%s\", every cell the same)",
                           (unsigned)a->row, b->id);
        else
            import_problem(job, b->row, col, b->id,
                           "respondent id \"%s\" appears twice (first on row %u)", b->id,
                           (unsigned)a->row);
    }
}

/* The unit the respondent of row rates (its cell of --unit-column): *unit
 * (0 for an empty cell, or after rejecting the cell). */
static egdi_status unit_of(import_job *job, survey_plan *p, const egdi_row *row,
                           const egdi_cell *cell, int64_t *unit, bool *by_name, egdi_error *err)
{
    (void)err;
    *unit = 0;
    *by_name = false;
    const char *t = import_cell_text(cell);
    size_t len = strlen(t);
    while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
        len--;
    while (len && (*t == ' ' || *t == '\t'))
        t++, len--;
    if (len == 0 || import_is_missing(job, cell))
        return EGDI_OK;
    char text[EGDI_HEADING_MAX + 1];
    if (len >= sizeof text) {
        import_reject(job, row->number, (uint32_t)p->unit_col + 1, cell,
                      "names no unit (a unit code or name is at most %d bytes)",
                      EGDI_HEADING_MAX);
        job->res->columns[p->unit_col].bad++;
        return EGDI_OK;
    }
    memcpy(text, t, len);
    text[len] = '\0';
    char why[EGDI_ERR_MSG_MAX];
    if (import_unitref_find(p->units, text, unit, by_name, why, sizeof why) != EGDI_OK) {
        import_reject(job, row->number, (uint32_t)p->unit_col + 1, cell, "%s", why);
        job->res->columns[p->unit_col].bad++;
    }
    return EGDI_OK;
}

/* Remembers that unit was rated (the distinct units are counted at the
 * end). */
static egdi_status count_rated(survey_plan *p, int64_t unit, egdi_error *err)
{
    if (p->nrated && p->rated[p->nrated - 1] == unit)
        return EGDI_OK; /* the same unit as the row before */
    if (p->nrated == p->ratedcap) {
        size_t cap = p->ratedcap ? p->ratedcap * 2 : 1024;
        int64_t *n = realloc(p->rated, cap * sizeof *n);
        if (!n)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        p->rated = n;
        p->ratedcap = cap;
    }
    p->rated[p->nrated++] = unit;
    return EGDI_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static size_t distinct_units(survey_plan *p)
{
    if (p->nrated == 0)
        return 0;
    qsort(p->rated, p->nrated, sizeof *p->rated, cmp_i64);
    size_t k = 1;
    for (size_t i = 1; i < p->nrated; i++)
        k += p->rated[i] != p->rated[i - 1];
    return k;
}

/* Checks and stores the respondents. */
static egdi_status store_rows(import_job *job, survey_plan *p, egdi_error *err)
{
    egdi_store *s = job->store;
    size_t width = p->u8 ? 1 : 8;
    unsigned char *blob = malloc(p->nitems * width);
    json_t *attrs = NULL;
    egdi_store_responses out;
    egdi_status rc;
    bool skip_cells = job->opts->skip_bad_cells;
    if (!blob)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    if ((rc = egdi_store_responses_begin(&out, s, p->survey_id, job->res->batch_id, err)) !=
        EGDI_OK)
        goto done;
    bool blank_heading = false; /* a column without a heading: its cells are problems */
    for (size_t c = 0; c < job->ncols; c++)
        blank_heading = blank_heading || !job->headers[c][0];
    egdi_row row;
    while ((rc = import_next_row(job, &row, err)) == EGDI_OK) {
        size_t before = job->res->nrejects, k = 0, answered = 0, missing = 0;
        int64_t unit = 0;
        bool by_name = false;
        json_decref(attrs);
        attrs = NULL;
        for (size_t c = 0; c < job->ncols; c++) {
            const egdi_cell *cell = import_cell(&row, c);
            size_t cell_before = job->res->nrejects;
            if ((long)c == p->unit_col && (rc = unit_of(job, p, &row, cell, &unit, &by_name,
                                                        err)) != EGDI_OK)
                goto done;
            if (!p->is_item[c]) {
                if (cell->type == EGDI_CELL_EMPTY || p->is_skipped[c] || !job->headers[c][0] ||
                    job->res->nrejects != cell_before)
                    continue;
                if (!attrs && !(attrs = json_object())) {
                    rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                    goto done;
                }
                json_object_set_new(attrs, job->headers[c], json_string(import_cell_text(cell)));
                job->res->columns[c].values++;
                continue;
            }
            double v;
            const char *why = NULL;
            egdi_status vs = answer_value(job, p, cell, &v, &why);
            bool bad = true;
            if (vs == EGDI_DONE) {
                v = NAN;
                bad = false;
                missing++;
            } else if (vs != EGDI_OK)
                import_reject(job, row.number, (uint32_t)c + 1, cell, "%s", why);
            else if (p->have_scale && (v < p->lo || v > p->hi))
                import_reject(job, row.number, (uint32_t)c + 1, cell,
                              "outside the answer scale %g-%g", p->lo, p->hi);
            else if (p->u8 && v != floor(v))
                import_reject(job, row.number, (uint32_t)c + 1, cell,
                              "not a whole answer on the scale %g-%g", p->lo, p->hi);
            else {
                bad = false;
                answered++;
            }
            if (bad) {
                job->res->columns[c].bad++;
                v = NAN; /* with --skip-bad-cells: a missing answer */
            } else if (isnan(v))
                job->res->columns[c].missing++;
            else
                job->res->columns[c].values++;
            egdi_survey_encode(p->u8, v, blob + k * width);
            k++;
        }
        for (size_t c = blank_heading ? 0 : job->ncols; c < row.ncells; c++)
            if (row.cells[c].type != EGDI_CELL_EMPTY && (c >= job->ncols || !job->headers[c][0]))
                import_no_heading(job, &row, c);
        if (p->id_col >= 0 && (rc = remember(p, &row, err)) != EGDI_OK)
            goto done;
        size_t bad_cells = job->res->nrejects - before;
        if ((bad_cells && !skip_cells) || answered == 0)
            continue; /* a row without a single answer is no respondent */
        char *js = attrs ? json_dumps(attrs, JSON_COMPACT) : NULL;
        rc = egdi_store_responses_put_unit(&out, row.number, blob, p->nitems * width, js, unit,
                                           err);
        free(js);
        if (rc != EGDI_OK || (unit && (rc = count_rated(p, unit, err)) != EGDI_OK))
            goto done;
        if (p->unit_col >= 0) {
            job->res->rated += unit != 0;
            job->res->rated_by_name += unit != 0 && by_name;
            job->res->unrated += unit == 0;
        }
        job->res->rows_stored++;
        job->res->values_stored += answered;
        job->res->missing += missing + bad_cells;
        job->res->cells_skipped += bad_cells;
    }
    if (rc == EGDI_DONE)
        rc = EGDI_OK;
done:
    json_decref(attrs);
    free(blob);
    return rc;
}

static bool is_id_heading(const char *heading)
{
    static const egdi_heading_field id_field = {"respondent id",
                                                "id|respondent|编号|序号|问卷编号", true};
    egdi_heading h;
    egdi_heading_match(heading, &id_field, 1, NULL, &h);
    return h.kind == EGDI_HEADING_FIELD;
}

static bool known_heading(void *ctx, const char *heading)
{
    (void)ctx;
    return is_id_heading(heading);
}

/* True when column c's heading appears in another column too. */
static bool repeated(const import_job *job, size_t c)
{
    for (size_t k = 0; k < job->ncols; k++)
        if (k != c && strcasecmp(job->headers[k], job->headers[c]) == 0)
            return true;
    return false;
}

/* The id column: --id, else the leftmost id heading that is not repeated. */
static egdi_status find_id(import_job *job, survey_plan *p, egdi_error *err)
{
    p->id_col = -1;
    const char *want = job->opts->id_col;
    if (want) {
        p->id_col = egdi_itemlist_find(want, (const char *const *)job->headers, job->ncols);
        if (p->id_col < 0)
            return egdi_error_set(err, EGDI_ERR_ARG, "no id column \"%s\" in the header", want);
        if (repeated(job, (size_t)p->id_col))
            import_problem(job, job->header_row, (uint32_t)p->id_col + 1, want,
                           "--id %s: the heading \"%s\" appears in more than one column", want,
                           job->headers[p->id_col]);
        return EGDI_OK;
    }
    const char *skipped = NULL;
    for (size_t c = 0; c < job->ncols && p->id_col < 0; c++)
        if (job->headers[c][0] && is_id_heading(job->headers[c])) {
            if (!repeated(job, c))
                p->id_col = (long)c;
            else if (!skipped)
                skipped = job->headers[c];
        }
    if (p->id_col < 0 && skipped)
        import_warn(job,
                    "the heading \"%s\" is in more than one column, so none of them is taken "
                    "for the respondent id (give --id COLUMN); respondents are not checked for "
                    "repeats",
                    skipped);
    return EGDI_OK;
}

/* The unit column (--unit-column): its heading, written as in the sheet
 * or the same normalised; without the option a column headed like one
 * (EGDI_HEADING_UNIT_WORDS) gets a note. */
static egdi_status find_unit(import_job *job, survey_plan *p, egdi_error *err)
{
    p->unit_col = -1;
    const char *want = job->opts->unit_col;
    if (!want)
        return EGDI_OK;
    long c = egdi_heading_find(want, (const char *const *)job->headers, job->ncols);
    if (c == -2)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "--unit-column %s: more than one column is headed so", want);
    if (c < 0) {
        /* the nearest heading, or the headings that name a unit */
        char near[512] = "";
        size_t cps = 0;
        for (const char *q = want; *q; q++)
            cps += ((unsigned char)*q & 0xC0) != 0x80;
        unsigned best = egdi_heading_near_limit(cps) + 1;
        for (size_t k = 0; k < job->ncols; k++) {
            unsigned d = job->headers[k][0]
                             ? egdi_heading_distance(want, job->headers[k], best - 1)
                             : best;
            if (d < best) {
                best = d;
                snprintf(near, sizeof near, "; did you mean \"%s\"?", job->headers[k]);
            }
        }
        for (size_t k = 0; k < job->ncols && !near[0]; k++)
            if (egdi_heading_is_unit(job->headers[k]))
                snprintf(near, sizeof near, "; the column \"%s\" looks like one",
                         job->headers[k]);
        egdi_error_at(err, job->path, job->res->sheet, job->header_row, 0);
        return egdi_error_set(err, EGDI_ERR_ARG, "--unit-column %s: no such heading%s", want,
                              near);
    }
    if (c == p->id_col)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "--unit-column %s is the respondent id column; the unit column "
                              "names the unit each respondent rates",
                              want);
    if (repeated(job, (size_t)c))
        import_problem(job, job->header_row, (uint32_t)c + 1, job->headers[c],
                       "--unit-column %s: the heading \"%s\" appears in more than one column",
                       want, job->headers[c]);
    p->unit_col = c;
    return import_unitref_load(job->store, &p->units, err);
}

/* A repeated heading of a column that is not an item is read once: the
 * later columns are skipped (import_check_columns warns). */
static void skip_repeats(import_job *job, survey_plan *p)
{
    for (size_t c = 0; c < job->ncols; c++) {
        if (!job->headers[c][0] || p->is_item[c] || (long)c == p->id_col)
            continue;
        for (size_t k = 0; k < c; k++)
            if (!p->is_item[k] && strcasecmp(job->headers[k], job->headers[c]) == 0) {
                p->is_skipped[c] = true;
                break;
            }
    }
}

/* The column report: id, items, attributes, skipped repeats. */
static void report_columns(import_job *job, const survey_plan *p)
{
    for (size_t c = 0; c < job->ncols; c++) {
        if (!job->headers[c][0])
            continue;
        if ((long)c == p->id_col)
            import_column_use(job, c, EGDI_COLUMN_FIELD, "respondent id", NULL);
        else if ((long)c == p->unit_col)
            import_column_use(job, c, EGDI_COLUMN_FIELD, "unit",
                              "the unit each respondent rates (code or name); kept per "
                              "respondent too");
        else if (p->is_item[c])
            import_column_use(job, c, EGDI_COLUMN_ITEM, job->headers[c],
                              p->dimension && p->dimension[c] ? "dimension %s%s" : NULL,
                              p->dimension && p->dimension[c] ? p->dimension[c] : "",
                              p->reversed[c] ? ", reverse-keyed" : "");
        else if (p->is_skipped[c])
            import_column_use(job, c, EGDI_COLUMN_IGNORED, NULL, "the heading again");
        else if (!job->opts->unit_col && egdi_heading_is_unit(job->headers[c]))
            import_column_use(job, c, EGDI_COLUMN_ATTRIBUTE, job->headers[c],
                              "kept per respondent; if it names the unit each respondent "
                              "rates, --unit-column \"%s\" links them to it (the units' "
                              "survey indicators)",
                              job->headers[c]);
        else
            import_column_use(job, c, EGDI_COLUMN_ATTRIBUTE, job->headers[c],
                              "kept per respondent");
    }
}

egdi_status egdi_import_survey(egdi_store *s, const char *path, const egdi_import_opts *o,
                               egdi_import_result *res, egdi_error *err)
{
    import_job job;
    survey_plan p = {0};
    egdi_status rc;
    p.unit_col = -1;
    memset(res, 0, sizeof *res);
    memset(&job, 0, sizeof job);
    if (!o->survey || !*o->survey)
        return egdi_error_set(err, EGDI_ERR_ARG, "a survey import needs --survey NAME");
    if (o->labels && (rc = egdi_answer_labels_get(o->labels, &o->read, &p.lt, err)) != EGDI_OK)
        goto early;
    p.have_scale = o->have_scale;
    p.lo = o->scale_min;
    p.hi = o->scale_max;
    if (p.have_scale && p.lt.nlabels &&
        (rc = egdi_answer_labels_check_scale(&p.lt, p.lo, p.hi, o->labels, err)) != EGDI_OK)
        goto early; /* (a label outside the scale would drop its item) */
    if (!p.have_scale && p.lt.nlabels) {
        p.have_scale = true;
        p.lo = p.hi = p.lt.values[0];
        for (size_t i = 1; i < p.lt.nlabels; i++) {
            p.lo = fmin(p.lo, p.lt.values[i]);
            p.hi = fmax(p.hi, p.lt.values[i]);
        }
    }
    p.u8 = p.have_scale && p.lo >= 0 && p.hi < EGDI_SURVEY_MISSING_U8 && p.lo == floor(p.lo) &&
           p.hi == floor(p.hi);
    if ((rc = import_start(&job, s, "survey", path, o, res, known_heading, NULL, err)) !=
        EGDI_OK)
        goto done;
    p.is_item = calloc(job.ncols ? job.ncols : 1, sizeof *p.is_item);
    p.reversed = calloc(job.ncols ? job.ncols : 1, sizeof *p.reversed);
    p.is_skipped = calloc(job.ncols ? job.ncols : 1, sizeof *p.is_skipped);
    if (!p.is_item || !p.reversed || !p.is_skipped) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = find_id(&job, &p, err)) != EGDI_OK || (rc = find_unit(&job, &p, err)) != EGDI_OK)
        goto done;
    for (size_t c = 0; c < job.ncols; c++)
        p.is_skipped[c] = (long)c != p.id_col && (long)c != p.unit_col && import_ignored(&job, c);
    if ((rc = select_items(&job, &p, err)) != EGDI_OK ||
        (o->scales && (rc = read_scales(&job, &p, err)) != EGDI_OK))
        goto done;
    skip_repeats(&job, &p);
    report_columns(&job, &p);
    for (size_t c = 0; c < job.ncols; c++)
        if (p.is_skipped[c] && import_ignored(&job, c))
            import_column_use(&job, c, EGDI_COLUMN_IGNORED, NULL, "--ignore-columns");
    import_check_columns(&job);
    if ((rc = survey_row(&job, &p, err)) != EGDI_OK ||
        (rc = import_new_batch(&job, o->round, p.survey_id, err)) != EGDI_OK ||
        (rc = store_rows(&job, &p, err)) != EGDI_OK)
        goto done;
    check_ids(&job, &p);
    if (res->rows_stored == 0 && res->nrejects == 0) {
        egdi_error_at(err, path, res->sheet, 0, 0);
        rc = egdi_error_set(err, EGDI_ERR_FORMAT, "no respondents in the file (only a header)");
        goto done;
    }
    char note[512];
    int len = snprintf(note, sizeof note, "%zu items, %zu other columns, answers stored as %s",
                       p.nitems, job.ncols - p.nitems, p.u8 ? "bytes" : "doubles");
    if (p.unit_col >= 0 && len > 0 && (size_t)len < sizeof note) {
        res->units_rated = distinct_units(&p);
        snprintf(note + len, sizeof note - (size_t)len,
                 "; %zu respondents rate %zu unit%s (column %s: %zu by code, %zu by name)%s",
                 res->rated, res->units_rated, res->units_rated == 1 ? "" : "s",
                 job.headers[p.unit_col], res->rated - res->rated_by_name, res->rated_by_name,
                 res->unrated ? ", the others none (an empty cell)" : "");
    }
    res->note = strdup(note);
    rc = import_end(&job, err);
done:
    plan_release(&p, job.ncols);
    import_job_release(&job);
    return rc;
early:
    plan_release(&p, 0);
    return rc;
}
