/*
 * survey_stored.c - `egdi survey ... --survey NAME`: a survey kept in the
 * store, turned into the survey_sheet the subcommands read (survey_data.h).
 *
 * Items keep their stored answers; attribute columns (gender, department...)
 * are numbers where their text is one (NaN otherwise, with the first such
 * cell remembered as for a file) and keep their text when asked for.  The
 * survey's definition comes along: which columns are items, the reverse
 * keys, the dimensions and the scale.
 */
#include "cli/survey_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/store/store.h"
#include "engine/store/survey_store.h"
#include "engine/core/value.h"

/* The first 40 bytes of t (cut at a UTF-8 boundary). */
static char *short_copy(const char *t)
{
    size_t n = strlen(t), k = n > 40 ? 40 : n;
    while (k < n && k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80)
        k--;
    char *q = malloc(k + 1);
    if (q) {
        memcpy(q, t, k);
        q[k] = '\0';
    }
    return q;
}

static bool wanted(const char *code, const char *const *keep, size_t nkeep)
{
    for (size_t k = 0; k < nkeep; k++)
        if (keep[k] && strcmp(keep[k], code) == 0)
            return true;
    return false;
}

/* Fills column c of sh from d. */
static int fill_column(survey_sheet *sh, const egdi_survey_data *d, size_t c,
                       const char *const *keep, size_t nkeep)
{
    size_t n = d->n ? d->n : 1;
    if (!(sh->header[c] = strdup(d->codes[c])) || !(sh->col[c] = malloc(n * sizeof(double))))
        return -1;
    sh->is_item[c] = d->is_item[c];
    sh->stored_reversed[c] = d->reversed[c];
    if (d->dimension[c] && !(sh->dimension[c] = strdup(d->dimension[c])))
        return -1;
    if (d->is_item[c]) {
        memcpy(sh->col[c], d->num[c], d->n * sizeof(double));
        for (size_t i = 0; i < d->n; i++)
            sh->has_value[c] = sh->has_value[c] || !isnan(d->num[c][i]);
        return 0;
    }
    bool keep_text = wanted(d->codes[c], keep, nkeep);
    if (keep_text && !(sh->text[c] = calloc(n, sizeof(char *))))
        return -1;
    for (size_t i = 0; i < d->n; i++) {
        const char *t = d->text[c][i];
        double v = NAN;
        bool pct;
        const char *why = NULL;
        if (t && egdi_value_number(t, strlen(t), &v, &pct, &why) != EGDI_OK) {
            v = NAN;
            if (!sh->bad_row[c]) {
                sh->bad_row[c] = d->rows[i];
                sh->bad_why[c] = why ? why : "not a number";
                if (!(sh->bad_text[c] = short_copy(t)))
                    return -1;
            }
        }
        sh->col[c][i] = v;
        sh->has_value[c] = sh->has_value[c] || !isnan(v);
        if (keep_text && t && !(sh->text[c][i] = strdup(t)))
            return -1;
    }
    return 0;
}

int survey_sheet_from_store(const survey_opts *o, const char *cmd, const char *const *keep,
                            size_t nkeep, survey_sheet **out)
{
    *out = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *st = NULL;
    egdi_survey_data *d = NULL;
    if (egdi_store_open(&st, o->db_path, 0, &err) != EGDI_OK ||
        egdi_survey_load(st, o->survey, &d, &err) != EGDI_OK) {
        egdi_store_close(st);
        return cli_report(cmd, &err);
    }
    egdi_store_close(st);
    survey_sheet *sh = calloc(1, sizeof *sh);
    size_t nc = d->ncols ? d->ncols : 1;
    char source[300];
    snprintf(source, sizeof source, "survey %s", d->name);
    if (!sh)
        goto nomem;
    sh->ncols = d->ncols;
    sh->nrows = d->n;
    sh->source = strdup(source);
    sh->header = calloc(nc, sizeof *sh->header);
    sh->col = calloc(nc, sizeof *sh->col);
    sh->bad_row = calloc(nc, sizeof *sh->bad_row);
    sh->bad_text = calloc(nc, sizeof *sh->bad_text);
    sh->bad_why = calloc(nc, sizeof *sh->bad_why);
    sh->has_value = calloc(nc, sizeof *sh->has_value);
    sh->text = calloc(nc, sizeof *sh->text);
    sh->is_item = calloc(nc, sizeof *sh->is_item);
    sh->stored_reversed = calloc(nc, sizeof *sh->stored_reversed);
    sh->dimension = calloc(nc, sizeof *sh->dimension);
    sh->rownum = malloc((d->n ? d->n : 1) * sizeof *sh->rownum);
    if (!sh->source || !sh->header || !sh->col || !sh->bad_row || !sh->bad_text ||
        !sh->bad_why || !sh->has_value || !sh->text || !sh->is_item || !sh->stored_reversed ||
        !sh->dimension || !sh->rownum)
        goto nomem;
    memcpy(sh->rownum, d->rows, d->n * sizeof *sh->rownum);
    sh->have_scale = d->have_scale;
    sh->scale_min = d->scale_min;
    sh->scale_max = d->scale_max;
    for (size_t c = 0; c < d->ncols; c++)
        if (fill_column(sh, d, c, keep, nkeep) != 0)
            goto nomem;
    egdi_survey_data_free(d);
    *out = sh;
    return CLI_OK;
nomem:
    egdi_survey_data_free(d);
    survey_sheet_free(sh);
    return cli_fail(cmd, "out of memory loading survey \"%s\"", o->survey);
}
