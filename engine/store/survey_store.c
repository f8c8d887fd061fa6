/*
 * survey_store.c - loading a stored survey into memory (see survey_store.h).
 */
#include "engine/store/survey_store.h"
#include "engine/store/store_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

void egdi_survey_encode(bool u8, double v, unsigned char *dst)
{
    if (u8) {
        dst[0] = isnan(v) ? EGDI_SURVEY_MISSING_U8 : (unsigned char)v;
        return;
    }
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; i++)
        dst[i] = (unsigned char)(bits >> (8 * i));
}

double egdi_survey_decode(bool u8, const unsigned char *src)
{
    if (u8)
        return src[0] == EGDI_SURVEY_MISSING_U8 ? NAN : (double)src[0];
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++)
        bits |= (uint64_t)src[i] << (8 * i);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

void egdi_survey_data_free(egdi_survey_data *d)
{
    if (!d)
        return;
    for (size_t c = 0; c < d->ncols; c++) {
        free(d->codes ? d->codes[c] : NULL);
        free(d->dimension ? d->dimension[c] : NULL);
        free(d->num ? d->num[c] : NULL);
        free(d->code ? d->code[c] : NULL);
        if (d->text && d->text[c]) {
            for (size_t i = 0; i < d->n; i++)
                free(d->text[c][i]);
            free(d->text[c]);
        }
    }
    free(d->codes);
    free(d->dimension);
    free(d->num);
    free(d->code);
    free(d->text);
    free(d->is_item);
    free(d->reversed);
    free(d->rows);
    for (size_t i = 0; i < d->nlabels; i++)
        free(d->labels[i]);
    free(d->labels);
    free(d->label_values);
    free(d->name);
    free(d->unit_column);
    free(d->unit_id);
    free(d->batch_id);
    free(d);
}

static egdi_status load_columns(egdi_store *s, int64_t id, egdi_survey_data *d,
                                egdi_error *err)
{
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(s, "SELECT count(*) FROM survey_column"
                                           " WHERE survey_id = ?1", &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    d->ncols = sqlite3_step(q) == SQLITE_ROW ? (size_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    size_t nc = d->ncols ? d->ncols : 1;
    d->codes = calloc(nc, sizeof *d->codes);
    d->dimension = calloc(nc, sizeof *d->dimension);
    d->is_item = calloc(nc, sizeof *d->is_item);
    d->reversed = calloc(nc, sizeof *d->reversed);
    d->num = calloc(nc, sizeof *d->num);
    d->code = calloc(nc, sizeof *d->code);
    d->text = calloc(nc, sizeof *d->text);
    if (!d->codes || !d->dimension || !d->is_item || !d->reversed || !d->num || !d->code ||
        !d->text)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
    if ((rc = egdi_store_prepare(s, "SELECT code, is_item, reversed, dimension"
                                    " FROM survey_column WHERE survey_id = ?1 ORDER BY pos",
                                 &q, err)) != EGDI_OK)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    for (size_t c = 0; c < d->ncols && sqlite3_step(q) == SQLITE_ROW; c++) {
        d->codes[c] = strdup((const char *)sqlite3_column_text(q, 0));
        d->is_item[c] = sqlite3_column_int(q, 1) != 0;
        d->reversed[c] = sqlite3_column_int(q, 2) != 0;
        if (sqlite3_column_type(q, 3) != SQLITE_NULL)
            d->dimension[c] = strdup((const char *)sqlite3_column_text(q, 3));
        if (!d->codes[c]) {
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
            break;
        }
    }
    sqlite3_finalize(q);
    return rc;
}

static egdi_status load_labels(egdi_store *s, int64_t id, egdi_survey_data *d, egdi_error *err)
{
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(s, "SELECT value, label FROM survey_label"
                                           " WHERE survey_id = ?1 ORDER BY value", &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    while (sqlite3_step(q) == SQLITE_ROW) {
        double *nv = realloc(d->label_values, (d->nlabels + 1) * sizeof *nv);
        if (nv)
            d->label_values = nv;
        char **nl = realloc(d->labels, (d->nlabels + 1) * sizeof *nl);
        if (nl)
            d->labels = nl;
        char *label = strdup((const char *)sqlite3_column_text(q, 1));
        if (!nv || !nl || !label) {
            free(label);
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
            break;
        }
        d->label_values[d->nlabels] = sqlite3_column_double(q, 0);
        d->labels[d->nlabels++] = label;
    }
    sqlite3_finalize(q);
    return rc;
}

static egdi_status load_rows(egdi_store *s, int64_t id, bool u8, egdi_survey_data *d,
                             egdi_error *err)
{
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(s, "SELECT count(*) FROM survey_response"
                                           " WHERE survey_id = ?1", &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    d->n = sqlite3_step(q) == SQLITE_ROW ? (size_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    size_t n = d->n ? d->n : 1, nitems = 0;
    d->rows = calloc(n, sizeof *d->rows);
    if (!d->rows)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
    for (size_t c = 0; c < d->ncols; c++) {
        bool ok;
        if (d->is_item[c]) {
            nitems++;
            if (u8)
                ok = (d->code[c] = malloc(n)) != NULL;
            else
                ok = (d->num[c] = malloc(n * sizeof *d->num[c])) != NULL;
        } else
            ok = (d->text[c] = calloc(n, sizeof *d->text[c])) != NULL;
        if (!ok)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
    }
    if ((rc = egdi_store_prepare(s, "SELECT source_row, answers, attrs FROM survey_response"
                                    " WHERE survey_id = ?1 ORDER BY resp_no",
                                 &q, err)) != EGDI_OK)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    size_t width = u8 ? 1 : 8;
    for (size_t i = 0; i < d->n && sqlite3_step(q) == SQLITE_ROW; i++) {
        d->rows[i] = (uint32_t)sqlite3_column_int(q, 0);
        const unsigned char *blob = sqlite3_column_blob(q, 1);
        if ((size_t)sqlite3_column_bytes(q, 1) != nitems * width) {
            rc = egdi_error_set(err, EGDI_ERR_STORE,
                                "respondent %zu of survey \"%s\" has %d bytes of answers, "
                                "expected %zu: the store is damaged",
                                i + 1, d->name, sqlite3_column_bytes(q, 1), nitems * width);
            break;
        }
        json_t *attrs = NULL;
        if (sqlite3_column_type(q, 2) != SQLITE_NULL)
            attrs = json_loads((const char *)sqlite3_column_text(q, 2), 0, NULL);
        for (size_t c = 0, k = 0; c < d->ncols; c++) {
            if (d->is_item[c]) {
                if (u8)
                    d->code[c][i] = blob[k++];
                else
                    d->num[c][i] = egdi_survey_decode(false, blob + 8 * k++);
                continue;
            }
            const char *t = attrs ? json_string_value(json_object_get(attrs, d->codes[c])) : NULL;
            if (t && !(d->text[c][i] = strdup(t))) {
                rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
                break;
            }
        }
        json_decref(attrs);
        if (rc != EGDI_OK)
            break;
    }
    sqlite3_finalize(q);
    return rc;
}

/* The survey row of name: a new egdi_survey_data with its settings, *id
 * and *u8 (its codec), its columns and labels. */
static egdi_status load_head(egdi_store *s, const char *name, egdi_survey_data **out,
                             int64_t *id, bool *u8, egdi_error *err)
{
    *out = NULL;
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(s, "SELECT id, round, scale_min, scale_max, codec,"
                                           " unit_column FROM survey WHERE name = ?1", &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND,
                              "no survey \"%s\" in the store (see 'egdi status')", name);
    }
    egdi_survey_data *d = calloc(1, sizeof *d);
    if (!d || !(d->name = strdup(name))) {
        sqlite3_finalize(q);
        free(d);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
    }
    *id = sqlite3_column_int64(q, 0);
    d->round = sqlite3_column_int(q, 1);
    d->have_scale = sqlite3_column_type(q, 2) != SQLITE_NULL;
    d->scale_min = sqlite3_column_double(q, 2);
    d->scale_max = sqlite3_column_double(q, 3);
    *u8 = strcmp((const char *)sqlite3_column_text(q, 4), "u8") == 0;
    if (sqlite3_column_type(q, 5) != SQLITE_NULL &&
        !(d->unit_column = strdup((const char *)sqlite3_column_text(q, 5))))
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
    sqlite3_finalize(q);
    if (rc != EGDI_OK || (rc = load_columns(s, *id, d, err)) != EGDI_OK ||
        (rc = load_labels(s, *id, d, err)) != EGDI_OK) {
        egdi_survey_data_free(d);
        return rc;
    }
    *out = d;
    return EGDI_OK;
}

egdi_status egdi_survey_load(egdi_store *s, const char *name, egdi_survey_data **out,
                             egdi_error *err)
{
    int64_t id;
    bool u8;
    egdi_status rc = load_head(s, name, out, &id, &u8, err);
    if (rc == EGDI_OK && (rc = load_rows(s, id, u8, *out, err)) != EGDI_OK) {
        egdi_survey_data_free(*out);
        *out = NULL;
    }
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The ids of survey id's imports that belong to round (their own round,
 * else the survey's), sorted: *ids (malloc'ed), *n. */
static egdi_status round_batches(egdi_store *s, int64_t id, int survey_round, int round,
                                 int64_t **ids, size_t *n, egdi_error *err)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(s, "SELECT id FROM import_batch WHERE survey_id = ?1"
                                           " AND coalesce(round, ?3) = ?2 ORDER BY id",
                                        &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int(q, 2, round);
    if (survey_round)
        sqlite3_bind_int(q, 3, survey_round);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *t = realloc(*ids, cap * sizeof *t);
            if (!t) {
                rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
                break;
            }
            *ids = t;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
    }
    if (rc == EGDI_OK && step != SQLITE_DONE)
        rc = egdi_store_fail(s, "reading the survey's imports", err);
    sqlite3_finalize(q);
    if (rc == EGDI_OK && *n > 1)
        qsort(*ids, *n, sizeof **ids, cmp_i64);
    return rc;
}

/* Growing arrays of the rated respondents while they are read: the answers
 * row by row (nitems * width bytes each), then put in columns. */
typedef struct {
    unsigned char *answers;
    int64_t *unit, *batch;
    uint32_t *rows;
    size_t n, cap;
} rated_rows;

static bool rated_grow(rated_rows *r, size_t rowbytes)
{
    if (r->n < r->cap)
        return true;
    size_t cap = r->cap ? r->cap * 2 : 1024;
    unsigned char *a = realloc(r->answers, cap * (rowbytes ? rowbytes : 1));
    if (a)
        r->answers = a;
    int64_t *u = realloc(r->unit, cap * sizeof *u);
    if (u)
        r->unit = u;
    int64_t *b = realloc(r->batch, cap * sizeof *b);
    if (b)
        r->batch = b;
    uint32_t *w = realloc(r->rows, cap * sizeof *w);
    if (w)
        r->rows = w;
    if (!a || !u || !b || !w)
        return false;
    r->cap = cap;
    return true;
}

egdi_status egdi_survey_load_rated(egdi_store *s, const char *name, int round,
                                   egdi_survey_data **out, egdi_error *err)
{
    *out = NULL;
    int64_t id, *batches = NULL;
    bool u8;
    size_t nb = 0, nitems = 0;
    rated_rows rr = {0};
    sqlite3_stmt *q = NULL;
    egdi_survey_data *d = NULL;
    egdi_status rc = load_head(s, name, &d, &id, &u8, err);
    if (rc != EGDI_OK)
        return rc;
    for (size_t c = 0; c < d->ncols; c++)
        nitems += d->is_item[c];
    size_t width = u8 ? 1 : 8, rowbytes = nitems * width;
    if ((rc = round_batches(s, id, d->round, round, &batches, &nb, err)) != EGDI_OK)
        goto fail;
    if (nb && (rc = egdi_store_prepare(s,
                                       "SELECT batch_id, unit_id, source_row, answers"
                                       " FROM survey_response WHERE survey_id = ?1"
                                       " ORDER BY resp_no",
                                       &q, err)) != EGDI_OK)
        goto fail;
    if (q)
        sqlite3_bind_int64(q, 1, id);
    int step = SQLITE_DONE;
    while (q && (step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t b = sqlite3_column_int64(q, 0);
        if (!bsearch(&b, batches, nb, sizeof *batches, cmp_i64))
            continue;
        d->n_round++;
        if (sqlite3_column_type(q, 1) == SQLITE_NULL)
            continue;
        if ((size_t)sqlite3_column_bytes(q, 3) != rowbytes) {
            rc = egdi_error_set(err, EGDI_ERR_STORE,
                                "a respondent of survey \"%s\" has %d bytes of answers, "
                                "expected %zu: the store is damaged",
                                name, sqlite3_column_bytes(q, 3), rowbytes);
            goto fail;
        }
        if (!rated_grow(&rr, rowbytes)) {
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
            goto fail;
        }
        rr.batch[rr.n] = b;
        rr.unit[rr.n] = sqlite3_column_int64(q, 1);
        rr.rows[rr.n] = (uint32_t)sqlite3_column_int64(q, 2);
        if (rowbytes)
            memcpy(rr.answers + rr.n * rowbytes, sqlite3_column_blob(q, 3), rowbytes);
        rr.n++;
    }
    if (step != SQLITE_DONE) {
        rc = egdi_store_fail(s, "reading the survey's respondents", err);
        goto fail;
    }
    /* the items in columns, as egdi_survey_load has them */
    size_t n = rr.n, alloc = n ? n : 1;
    d->n = n;
    for (size_t c = 0, k = 0; c < d->ncols; c++) {
        if (!d->is_item[c])
            continue;
        if (u8) {
            if (!(d->code[c] = malloc(alloc)))
                goto oom;
            for (size_t i = 0; i < n; i++)
                d->code[c][i] = rr.answers[i * rowbytes + k];
        } else {
            if (!(d->num[c] = malloc(alloc * sizeof *d->num[c])))
                goto oom;
            for (size_t i = 0; i < n; i++)
                d->num[c][i] = egdi_survey_decode(false, rr.answers + i * rowbytes + 8 * k);
        }
        k++;
    }
    d->rows = rr.rows;
    d->unit_id = rr.unit;
    d->batch_id = rr.batch;
    rr.rows = NULL;
    rr.unit = rr.batch = NULL;
    if (!d->rows && !(d->rows = calloc(1, sizeof *d->rows)))
        goto oom;
    if (!d->unit_id && !(d->unit_id = calloc(1, sizeof *d->unit_id)))
        goto oom;
    if (!d->batch_id && !(d->batch_id = calloc(1, sizeof *d->batch_id)))
        goto oom;
    sqlite3_finalize(q);
    free(rr.answers);
    free(batches);
    *out = d;
    return EGDI_OK;
oom:
    rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading the survey");
fail:
    sqlite3_finalize(q);
    free(rr.answers);
    free(rr.unit);
    free(rr.batch);
    free(rr.rows);
    free(batches);
    egdi_survey_data_free(d);
    return rc;
}

egdi_status egdi_survey_find_round(egdi_store *s, int round, char **name, egdi_error *err)
{
    *name = NULL;
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(s, "SELECT name FROM survey WHERE round = ?1"
                                           " ORDER BY id LIMIT 1", &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int(q, 1, round);
    if (sqlite3_step(q) == SQLITE_ROW &&
        !(*name = strdup((const char *)sqlite3_column_text(q, 0))))
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    sqlite3_finalize(q);
    return rc;
}
