/*
 * import_survey.c - `egdi import survey FILE --survey NAME`.
 *
 * The header gives the column codes.  Item columns come from --items, or,
 * without it, from a first pass over the file: every column (but the id
 * column) whose non-empty cells are all numbers or answer labels.  Other
 * columns are attributes, kept per respondent as a JSON object.  With a
 * scale, a numeric column with values outside it (an age) is no item.  Answers are
 * checked against the scale (--scale, else the range of the labels) and
 * stored per respondent in one BLOB (survey_store.h gives the codec).  A
 * survey imported again from another file must have the same columns; its
 * respondents are appended.
 */
#include "engine/import/import_private.h"
#include "engine/core/itemlist.h"
#include "engine/store/survey_store.h"
#include "engine/store/survey_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "engine/core/value.h"

#define EGDI_MAX_LABELS 1000

typedef struct {
    size_t nlabels;
    double values[EGDI_MAX_LABELS];
    char *labels[EGDI_MAX_LABELS];
} label_table;

typedef struct {
    bool *is_item;    /* per header column */
    bool *reversed;
    char **dimension; /* per header column, from --scales; NULL = none */
    long id_col;
    bool u8;
    bool have_scale;
    double lo, hi;
    label_table lt;
    int64_t survey_id;
    size_t nitems;
} survey_plan;

static void plan_free(survey_plan *p, size_t ncols)
{
    if (p->dimension)
        for (size_t c = 0; c < ncols; c++)
            free(p->dimension[c]);
    free(p->dimension);
    free(p->is_item);
    free(p->reversed);
    for (size_t i = 0; i < p->lt.nlabels; i++)
        free(p->lt.labels[i]);
}

/* An answer: a number, or a label's value. */
static egdi_status answer_value(const survey_plan *p, const egdi_cell *c, double *v,
                                const char **why)
{
    egdi_status st = egdi_cell_number(c, false, v, why);
    if (st != EGDI_ERR_VALUE || c->type != EGDI_CELL_TEXT)
        return st;
    for (size_t i = 0; i < p->lt.nlabels; i++)
        if (strcmp(p->lt.labels[i], c->text) == 0) {
            *v = p->lt.values[i];
            return EGDI_OK;
        }
    *why = p->lt.nlabels ? "neither a number nor one of the answer labels" : "not a number";
    return EGDI_ERR_VALUE;
}

static egdi_status read_labels(const char *path, const egdi_import_opts *o, label_table *lt,
                               egdi_error *err)
{
    egdi_reader *r;
    egdi_read_opts ro;
    egdi_read_opts_init(&ro);
    ro.encoding = o->read.encoding;
    ro.limits = o->read.limits;
    egdi_status st = egdi_reader_open(&r, path, &ro, err);
    if (st != EGDI_OK)
        return st;
    egdi_row row;
    bool header = true;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        const egdi_cell *vc = import_cell(&row, 0), *lc = import_cell(&row, 1);
        double v;
        const char *why = NULL;
        if (egdi_cell_number(vc, false, &v, &why) != EGDI_OK) {
            if (header) { /* a heading row such as "value,label" */
                header = false;
                continue;
            }
            egdi_error_at(err, path, egdi_reader_sheet(r), row.number, 1);
            st = egdi_error_set(err, EGDI_ERR_VALUE, "answer value \"%s\": %s",
                                import_cell_text(vc), why ? why : "not a number");
            break;
        }
        header = false;
        const char *label = import_cell_text(lc);
        if (!*label) {
            egdi_error_at(err, path, egdi_reader_sheet(r), row.number, 2);
            st = egdi_error_set(err, EGDI_ERR_VALUE, "the label of answer %g is empty", v);
            break;
        }
        if (lt->nlabels == EGDI_MAX_LABELS) {
            st = egdi_error_set(err, EGDI_ERR_LIMIT, "more than %d answer labels",
                                EGDI_MAX_LABELS);
            break;
        }
        if (!(lt->labels[lt->nlabels] = strdup(label))) {
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            break;
        }
        lt->values[lt->nlabels++] = v;
    }
    egdi_reader_close(r);
    if (st == EGDI_DONE && lt->nlabels == 0) {
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_FORMAT, "no answer labels in the file");
    }
    return st == EGDI_DONE ? EGDI_OK : st;
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
            if (answer_value(p, &row.cells[c], &v, &why) != EGDI_OK ||
                (p->have_scale && (v < p->lo || v > p->hi)))
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

/*
 * --scales FILE: rows scale,item,reversed give each item its dimension and,
 * when reversed is 1 (是, yes), mark it reverse-keyed.  A heading row is
 * recognised by its first cell "scale" (or 维度 / dimension).
 */
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
    egdi_row row;
    bool first = true;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        const char *scale = import_cell_text(import_cell(&row, 0));
        const char *item = import_cell_text(import_cell(&row, 1));
        const egdi_cell *rc = import_cell(&row, 2);
        if (first && (strcasecmp(scale, "scale") == 0 || strcasecmp(scale, "dimension") == 0 ||
                      strcmp(scale, "维度") == 0)) {
            first = false;
            continue;
        }
        first = false;
        egdi_error_at(err, path, egdi_reader_sheet(r), row.number, 0);
        long c = egdi_itemlist_find(item, (const char *const *)job->headers, job->ncols);
        if (!*scale) {
            st = egdi_error_set(err, EGDI_ERR_VALUE, "the scale name is empty");
            break;
        }
        if (c < 0 || !p->is_item[c]) {
            st = egdi_error_set(err, EGDI_ERR_VALUE, "\"%s\" is not an item of the survey file",
                                item);
            break;
        }
        bool rev = false;
        const char *why = NULL;
        if (rc->type != EGDI_CELL_EMPTY &&
            (rc->type == EGDI_CELL_TEXT ? egdi_value_bool(rc->text, rc->len, &rev, &why)
                                        : (rev = rc->num != 0, EGDI_OK)) != EGDI_OK) {
            st = egdi_error_set(err, EGDI_ERR_VALUE, "reversed must be 1/0 or yes/no, not \"%s\"",
                                import_cell_text(rc));
            break;
        }
        free(p->dimension[c]);
        if (!(p->dimension[c] = strdup(scale))) {
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            break;
        }
        if (rev && !p->have_scale) {
            st = egdi_error_set(err, EGDI_ERR_ARG,
                                "reverse-keyed items need the scale (--scale MIN-MAX)");
            break;
        }
        p->reversed[c] = p->reversed[c] || rev;
    }
    egdi_reader_close(r);
    if (st == EGDI_DONE) {
        egdi_error_clear(err);
        return EGDI_OK;
    }
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
    if (o->labels && (rc = read_labels(o->labels, o, &p.lt, err)) != EGDI_OK)
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
    plan_free(&p, job.ncols);
    import_job_release(&job);
    return rc;
early:
    plan_free(&p, 0);
    return rc;
}
