/*
 * import_survey.c - `egdi import survey FILE --survey NAME`.
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
 */
#include "engine/import/import_private.h"
#include "engine/import/answers.h"
#include "engine/import/scales.h"
#include "engine/core/itemlist.h"
#include "engine/store/survey_store.h"
#include "engine/store/survey_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

typedef struct {
    bool *is_item;    /* per header column */
    bool *reversed;
    char **dimension; /* per header column, from --scales; NULL = none */
    long id_col;
    bool u8;
    bool have_scale;
    double lo, hi;
    egdi_labels lt;   /* answer labels (--labels) */
    int64_t survey_id;
    size_t nitems;
} survey_plan;

static void plan_release(survey_plan *p, size_t ncols)
{
    if (p->dimension)
        for (size_t c = 0; c < ncols; c++)
            free(p->dimension[c]);
    free(p->dimension);
    free(p->is_item);
    free(p->reversed);
    egdi_answer_labels_release(&p->lt);
}

/* An answer: the one rule of engine/import/answers.h (a number, percent
 * in points, or a label's code). */
static egdi_status answer_value(const survey_plan *p, const egdi_cell *c, double *v,
                                const char **why)
{
    return egdi_answer_value(c, &p->lt, v, why);
}

/* Without --items: a first pass finds the columns that hold only answers
 * (numbers or labels, within the scale when there is one). */
static egdi_status detect_items(import_job *job, survey_plan *p, egdi_error *err)
{
    egdi_reader *r;
    egdi_status st = egdi_reader_open(&r, job->path, &job->opts->read, err);
    if (st != EGDI_OK)
        return st;
    bool *seen = calloc(job->ncols ? job->ncols : 1, sizeof *seen);
    if (!seen) {
        egdi_reader_close(r);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t c = 0; c < job->ncols; c++)
        p->is_item[c] = (long)c != p->id_col && job->headers[c][0];
    egdi_row row;
    bool header = true;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        if (header) {
            header = false;
            continue;
        }
        for (size_t c = 0; c < row.ncells && c < job->ncols; c++) {
            if (!p->is_item[c] || row.cells[c].type == EGDI_CELL_EMPTY)
                continue;
            double v;
            const char *why;
            egdi_status as = answer_value(p, &row.cells[c], &v, &why);
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
            p->is_item[idx[i]] = true;
        free(idx);
        if (p->id_col >= 0 && p->is_item[p->id_col])
            return egdi_error_set(err, EGDI_ERR_ARG, "the id column \"%s\" cannot be an item",
                                  job->headers[p->id_col]);
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
    st = egdi_scales_read(r, path, scales_row, &ctx, err);
    egdi_reader_close(r);
    return st;
}

/* Finds or creates the survey; an existing one must have the same columns. */
static egdi_status survey_row(import_job *job, survey_plan *p, egdi_error *err)
{
    egdi_store *s = job->store;
    const egdi_import_opts *o = job->opts;
    const char *const *codes = (const char *const *)job->headers;
    egdi_status rc = egdi_store_survey_find(s, o->survey, &p->survey_id, &p->u8, err);
    if (rc == EGDI_OK) {
        bool same;
        if ((rc = egdi_store_survey_same_columns(s, p->survey_id, codes, p->is_item, job->ncols,
                                                 &same, err)) != EGDI_OK)
            return rc;
        if (!same)
            return egdi_error_set(err, EGDI_ERR_FORMAT,
                                  "survey \"%s\" already exists with other columns or items; "
                                  "import this file under another name",
                                  o->survey);
        return EGDI_OK;
    }
    if (rc != EGDI_DONE)
        return rc;
    for (size_t c = 0; c < job->ncols; c++)
        if (!job->headers[c][0])
            return egdi_error_set(err, EGDI_ERR_FORMAT, "column %zu has no heading", c + 1);
    egdi_store_survey_def d = {
        .name = o->survey,
        .round = o->round,
        .have_scale = p->have_scale,
        .scale_min = p->lo,
        .scale_max = p->hi,
        .u8 = p->u8,
        .ncols = job->ncols,
        .codes = codes,
        .is_item = p->is_item,
        .reversed = p->reversed,
        .dimension = (const char *const *)p->dimension,
        .nlabels = p->lt.nlabels,
        .label_values = p->lt.values,
        .labels = (const char *const *)p->lt.labels,
    };
    return egdi_store_survey_add(s, &d, &p->survey_id, err);
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
    if (!blob)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    if ((rc = egdi_store_responses_begin(&out, s, p->survey_id, job->res->batch_id, err)) !=
        EGDI_OK)
        goto done;
    egdi_row row;
    while ((rc = import_next_row(job, &row, err)) == EGDI_OK) {
        size_t before = job->res->nrejects, k = 0, answered = 0;
        json_decref(attrs);
        attrs = NULL;
        for (size_t c = 0; c < job->ncols; c++) {
            const egdi_cell *cell = import_cell(&row, c);
            if (!p->is_item[c]) {
                if (cell->type == EGDI_CELL_EMPTY)
                    continue;
                if (!attrs && !(attrs = json_object())) {
                    rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                    goto done;
                }
                json_object_set_new(attrs, job->headers[c], json_string(import_cell_text(cell)));
                continue;
            }
            double v;
            const char *why = NULL;
            egdi_status vs = answer_value(p, cell, &v, &why);
            if (vs == EGDI_DONE)
                v = NAN;
            else if (vs != EGDI_OK)
                import_reject(job, row.number, (uint32_t)c + 1, cell, "%s", why);
            else if (p->have_scale && (v < p->lo || v > p->hi))
                import_reject(job, row.number, (uint32_t)c + 1, cell,
                              "outside the answer scale %g-%g", p->lo, p->hi);
            else if (p->u8 && v != floor(v))
                import_reject(job, row.number, (uint32_t)c + 1, cell,
                              "not a whole answer on the scale %g-%g", p->lo, p->hi);
            else
                answered++;
            egdi_survey_encode(p->u8, v, blob + k * width);
            k++;
        }
        for (size_t c = job->ncols; c < row.ncells; c++)
            if (row.cells[c].type != EGDI_CELL_EMPTY)
                import_reject(job, row.number, (uint32_t)c + 1, &row.cells[c],
                              "this column has no heading");
        if (job->res->nrejects != before || answered == 0)
            continue; /* a row without a single answer is no respondent */
        char *js = attrs ? json_dumps(attrs, JSON_COMPACT) : NULL;
        rc = egdi_store_responses_put(&out, row.number, blob, p->nitems * width, js, err);
        free(js);
        if (rc != EGDI_OK)
            goto done;
        job->res->rows_stored++;
        job->res->values_stored += answered;
    }
    if (rc == EGDI_DONE)
        rc = EGDI_OK;
done:
    json_decref(attrs);
    free(blob);
    return rc;
}

egdi_status egdi_import_survey(egdi_store *s, const char *path, const egdi_import_opts *o,
                               egdi_import_result *res, egdi_error *err)
{
    import_job job;
    survey_plan p = {0};
    egdi_status rc;
    memset(res, 0, sizeof *res);
    if (!o->survey || !*o->survey)
        return egdi_error_set(err, EGDI_ERR_ARG, "a survey import needs --survey NAME");
    if (o->labels && (rc = egdi_answer_labels_get(o->labels, &o->read, &p.lt, err)) != EGDI_OK)
        goto early;
    p.have_scale = o->have_scale;
    p.lo = o->scale_min;
    p.hi = o->scale_max;
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
    if ((rc = import_start(&job, s, "survey", path, o, res, err)) != EGDI_OK)
        goto done;
    p.is_item = calloc(job.ncols ? job.ncols : 1, sizeof *p.is_item);
    p.reversed = calloc(job.ncols ? job.ncols : 1, sizeof *p.reversed);
    if (!p.is_item || !p.reversed) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    p.id_col = -1;
    if (o->id_col) {
        p.id_col = egdi_itemlist_find(o->id_col, (const char *const *)job.headers, job.ncols);
        if (p.id_col < 0) {
            rc = egdi_error_set(err, EGDI_ERR_ARG, "no id column \"%s\" in the header",
                                o->id_col);
            goto done;
        }
    } else
        p.id_col = import_find_column(&job, "id|respondent|编号|序号|问卷编号");
    if ((rc = select_items(&job, &p, err)) != EGDI_OK ||
        (o->scales && (rc = read_scales(&job, &p, err)) != EGDI_OK) ||
        (rc = survey_row(&job, &p, err)) != EGDI_OK ||
        (rc = import_new_batch(&job, o->round, p.survey_id, err)) != EGDI_OK ||
        (rc = store_rows(&job, &p, err)) != EGDI_OK)
        goto done;
    if (res->rows_stored == 0 && res->nrejects == 0) {
        egdi_error_at(err, path, res->sheet, 0, 0);
        rc = egdi_error_set(err, EGDI_ERR_FORMAT, "no respondents in the file (only a header)");
        goto done;
    }
    char note[160];
    snprintf(note, sizeof note, "%zu items, %zu other columns, answers stored as %s", p.nitems,
             job.ncols - p.nitems, p.u8 ? "bytes" : "doubles");
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
