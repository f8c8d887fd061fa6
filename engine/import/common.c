/*
 * common.c - header, batch, rejects and the transaction shared by the
 * importers (see import_private.h).  The batch's SQL is the store's
 * (engine/store/batches.h).
 */
#include "engine/import/import_private.h"
#include "engine/core/hash.h"
#include "engine/store/batches.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/core/value.h"

void egdi_import_opts_init(egdi_import_opts *o)
{
    memset(o, 0, sizeof *o);
    egdi_read_opts_init(&o->read);
}

void egdi_import_result_release(egdi_import_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nkept; i++) {
        free(r->rejects[i].value);
        free(r->rejects[i].reason);
    }
    free(r->rejects);
    free(r->sheet);
    free(r->note);
    memset(r, 0, sizeof *r);
}

const char *import_cell_text(const egdi_cell *c)
{
    if (!c || c->type == EGDI_CELL_EMPTY || !c->text)
        return c && c->type == EGDI_CELL_BOOL ? (c->num != 0 ? "TRUE" : "FALSE") : "";
    return c->text;
}

const egdi_cell *import_cell(const egdi_row *row, size_t col)
{
    static const egdi_cell empty = {EGDI_CELL_EMPTY, false, 0.0, NULL, 0};
    return col < row->ncells ? &row->cells[col] : &empty;
}

void import_reject(import_job *job, uint32_t row, uint32_t col, const egdi_cell *cell,
                   const char *fmt, ...)
{
    egdi_import_result *r = job->res;
    r->nrejects++;
    if (r->nkept >= EGDI_IMPORT_MAX_REJECTS)
        return;
    if (r->nkept % 64 == 0) {
        egdi_reject *n = realloc(r->rejects, (r->nkept + 64) * sizeof *n);
        if (!n)
            return; /* counted, not kept */
        r->rejects = n;
    }
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    egdi_reject *rj = &r->rejects[r->nkept];
    rj->row = row;
    rj->col = col;
    rj->value = strdup(import_cell_text(cell));
    rj->reason = strdup(reason);
    if (!rj->value || !rj->reason) {
        free(rj->value);
        free(rj->reason);
        return;
    }
    r->nkept++;
}

long import_find_column(const import_job *job, const char *aliases)
{
    const char *a = aliases;
    while (*a) {
        const char *bar = strchr(a, '|');
        size_t len = bar ? (size_t)(bar - a) : strlen(a);
        for (size_t c = 0; c < job->ncols; c++)
            if (strlen(job->headers[c]) == len && strncasecmp(job->headers[c], a, len) == 0)
                return (long)c;
        a += len + (bar ? 1 : 0);
    }
    return -1;
}

egdi_status import_next_row(import_job *job, egdi_row *row, egdi_error *err)
{
    egdi_status st = egdi_reader_next(job->reader, row, err);
    if (st == EGDI_OK)
        job->res->rows_read++;
    return st;
}

/* Copies s[0..n) without leading/trailing ASCII space. */
static char *trimmed_copy(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static egdi_status read_header(import_job *job, egdi_error *err)
{
    egdi_row row;
    egdi_status st = egdi_reader_next(job->reader, &row, err);
    const char *sheet = egdi_reader_sheet(job->reader);
    if (st == EGDI_DONE) {
        egdi_error_at(err, job->path, sheet, 0, 0);
        return egdi_error_set(err, EGDI_ERR_FORMAT, "the file is empty (no header row)");
    }
    if (st != EGDI_OK)
        return st;
    job->header_row = row.number;
    job->ncols = row.ncells;
    job->headers = calloc(row.ncells ? row.ncells : 1, sizeof *job->headers);
    if (!job->headers)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the header");
    for (size_t c = 0; c < row.ncells; c++) {
        const char *t = import_cell_text(&row.cells[c]);
        job->headers[c] = trimmed_copy(t, strlen(t));
        if (!job->headers[c])
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the header");
        for (size_t p = 0; p < c; p++) {
            if (job->headers[c][0] && strcasecmp(job->headers[p], job->headers[c]) == 0) {
                egdi_error_at(err, job->path, sheet, row.number, (uint32_t)c + 1);
                return egdi_error_set(err, EGDI_ERR_FORMAT,
                                      "column heading \"%s\" appears twice (also column %zu)",
                                      job->headers[c], p + 1);
            }
        }
    }
    return EGDI_OK;
}

egdi_status import_start(import_job *job, egdi_store *s, const char *kind, const char *path,
                         const egdi_import_opts *o, egdi_import_result *res, egdi_error *err)
{
    memset(job, 0, sizeof *job);
    memset(res, 0, sizeof *res);
    job->store = s;
    job->path = path;
    job->opts = o;
    job->res = res;
    job->kind = kind;
    egdi_status st = egdi_sha256_file(path, res->sha256, err);
    if (st != EGDI_OK)
        return st;
    if ((st = egdi_reader_open(&job->reader, path, &o->read, err)) != EGDI_OK)
        return st;
    const char *sheet = egdi_reader_sheet(job->reader);
    if (sheet && !(res->sheet = strdup(sheet)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    if ((st = read_header(job, err)) != EGDI_OK)
        return st;
    if ((st = egdi_store_begin(s, err)) != EGDI_OK)
        return st;
    job->in_tx = true;
    return EGDI_OK;
}

egdi_status import_new_batch(import_job *job, int round, int64_t survey_id, egdi_error *err)
{
    egdi_store_batch b = {job->kind, job->path, job->res->sha256, job->res->sheet, round,
                          survey_id};
    int64_t old = 0;
    char when[EGDI_STORE_WHEN_MAX] = "";
    egdi_status rc = egdi_store_batch_find(job->store, &b, &old, when, err);
    if (rc == EGDI_DONE)
        old = 0;
    else if (rc != EGDI_OK)
        return rc;
    if (old && !job->opts->replace) {
        egdi_error_at(err, job->path, NULL, 0, 0);
        if (round)
            return egdi_error_set(err, EGDI_ERR_EXISTS,
                                  "this file (SHA-256 %.12s...) was already imported into "
                                  "round %d on %s (batch %lld); use --replace to replace it",
                                  job->res->sha256, round, when, (long long)old);
        return egdi_error_set(err, EGDI_ERR_EXISTS,
                              "this file (SHA-256 %.12s...) was already imported on %s "
                              "(batch %lld); use --replace to replace it",
                              job->res->sha256, when, (long long)old);
    }
    if (old) {
        /* Units stay (other data refers to them); their rows are updated. */
        if ((rc = egdi_store_batch_delete(job->store, old, err)) != EGDI_OK)
            return rc;
        job->res->replaced = true;
    }
    return egdi_store_batch_add(job->store, &b, &job->res->batch_id, err);
}

egdi_status import_end(import_job *job, egdi_error *err)
{
    egdi_import_result *r = job->res;
    if (r->nrejects && !job->opts->skip_bad_rows) {
        egdi_store_rollback(job->store);
        job->in_tx = false;
        r->batch_id = 0;
        egdi_error_at(err, job->path, r->sheet, 0, 0);
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              "%zu cell%s rejected; nothing was imported", r->nrejects,
                              r->nrejects == 1 ? "" : "s");
    }
    egdi_status rc = egdi_store_batch_counts(job->store, r->batch_id, r->rows_read,
                                             r->values_stored, r->nrejects, err);
    if (rc != EGDI_OK)
        return rc;
    rc = egdi_store_commit(job->store, err);
    job->in_tx = false;
    return rc;
}

void import_job_release(import_job *job)
{
    if (job->in_tx) {
        egdi_store_rollback(job->store);
        job->res->batch_id = 0;
    }
    egdi_reader_close(job->reader);
    if (job->headers)
        for (size_t c = 0; c < job->ncols; c++)
            free(job->headers[c]);
    free(job->headers);
    memset(job, 0, sizeof *job);
}
