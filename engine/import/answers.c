/*
 * answers.c - a survey answer from a cell, and answer labels (answers.h).
 *
 * A label table is two parallel arrays grown by add_label(); lookups are
 * linear (a questionnaire has a handful of labels, EGDI_LABELS_MAX at most).
 */
#include "engine/import/answers.h"

#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/value.h"

void egdi_answer_labels_release(egdi_labels *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nlabels; i++)
        free(l->labels[i]);
    free(l->labels);
    free(l->values);
    free(l->rows);
    memset(l, 0, sizeof *l);
}

/* t[0..*n) without white space (ASCII, U+3000) around it. */
static const char *trimmed(const char *t, size_t *n)
{
    size_t a = 0, b = *n;
    for (;;) {
        if (a < b && (t[a] == ' ' || t[a] == '\t' || t[a] == '\r' || t[a] == '\n'))
            a++;
        else if (b - a >= 3 && memcmp(t + a, "\xE3\x80\x80", 3) == 0)
            a += 3;
        else
            break;
    }
    for (;;) {
        if (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\r' || t[b - 1] == '\n'))
            b--;
        else if (b - a >= 3 && memcmp(t + b - 3, "\xE3\x80\x80", 3) == 0)
            b -= 3;
        else
            break;
    }
    *n = b - a;
    return t + a;
}

bool egdi_answer_labels_code(const egdi_labels *l, const char *text, size_t len, double *v)
{
    if (!l || !text)
        return false;
    const char *t = trimmed(text, &len);
    for (size_t i = 0; i < l->nlabels; i++) {
        size_t ln = strlen(l->labels[i]);
        const char *s = trimmed(l->labels[i], &ln);
        if (ln == len && memcmp(s, t, len) == 0) {
            *v = l->values[i];
            return true;
        }
    }
    return false;
}

const char *egdi_answer_labels_text(const egdi_labels *l, double v)
{
    if (!l)
        return NULL;
    for (size_t i = 0; i < l->nlabels; i++)
        if (l->values[i] == v)
            return l->labels[i];
    return NULL;
}

egdi_status egdi_answer_value(const egdi_cell *c, const egdi_labels *labels, double *v,
                              const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (c->type == EGDI_CELL_EMPTY ||
        (c->type == EGDI_CELL_TEXT && egdi_value_blank(c->text, c->len))) {
        *why = "empty";
        return EGDI_DONE;
    }
    if (c->type == EGDI_CELL_DATE) {
        *why = "a date, not a number";
        return EGDI_ERR_VALUE;
    }
    egdi_status st = egdi_cell_number(c, true, v, why);
    if (st == EGDI_ERR_VALUE && c->type == EGDI_CELL_ERROR && c->text &&
        strcmp(c->text, "#N/A") == 0) {
        *why = "marked missing";
        return EGDI_DONE;
    }
    if (st != EGDI_ERR_VALUE || c->type != EGDI_CELL_TEXT)
        return st;
    if (labels && labels->nlabels) {
        if (egdi_answer_labels_code(labels, c->text, c->len, v))
            return EGDI_OK;
        *why = "neither a number nor one of the answer labels";
    }
    if (egdi_value_missing(c->text, c->len)) {
        *why = "marked missing";
        return EGDI_DONE;
    }
    return EGDI_ERR_VALUE;
}

/* Appends (v, label[0..len)); refuses a value or label already there. */
static egdi_status add_label(egdi_labels *l, double v, const char *label, size_t len,
                             uint32_t row, egdi_error *err)
{
    double dummy;
    unsigned cp;
    if (egdi_value_control(label, len, &cp))
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              "the answer label of %g holds a control character (U+%04X): "
                              "labels are printed, so remove it", v, cp);
    if (egdi_answer_labels_text(l, v) || egdi_answer_labels_code(l, label, len, &dummy))
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              "answer labels repeat a value or a label (%g, \"%.*s\")", v,
                              (int)(len > 100 ? 100 : len), label);
    if (l->nlabels == EGDI_LABELS_MAX)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "more than %d answer labels",
                              EGDI_LABELS_MAX);
    double *nv = realloc(l->values, (l->nlabels + 1) * sizeof *nv);
    if (!nv)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    l->values = nv;
    char **nl = realloc(l->labels, (l->nlabels + 1) * sizeof *nl);
    if (!nl)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    l->labels = nl;
    uint32_t *nr = realloc(l->rows, (l->nlabels + 1) * sizeof *nr);
    if (!nr)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    l->rows = nr;
    char *s = malloc(len + 1);
    if (!s)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    memcpy(s, label, len);
    s[len] = '\0';
    l->values[l->nlabels] = v;
    l->rows[l->nlabels] = row;
    l->labels[l->nlabels++] = s;
    return EGDI_OK;
}

static const egdi_cell empty_cell = {EGDI_CELL_EMPTY, false, 0, NULL, 0};

static const egdi_cell *cell_at(const egdi_row *row, size_t j)
{
    return j < row->ncells ? &row->cells[j] : &empty_cell;
}

/* A cell's text as written ("" for an empty one; a number without its
 * literal as %.15g into buf). */
static const char *cell_text(const egdi_cell *c, char buf[32])
{
    if (c->text)
        return c->text;
    if (c->type == EGDI_CELL_EMPTY)
        return "";
    snprintf(buf, 32, "%.15g", c->num);
    return buf;
}

egdi_status egdi_answer_labels_read(egdi_reader *r, const char *source, egdi_labels *out,
                                    egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_row row;
    egdi_status st;
    bool first = true;
    char buf[32];
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        const egdi_cell *vc = cell_at(&row, 0), *lc = cell_at(&row, 1);
        double v;
        const char *why = NULL;
        if (egdi_cell_number(vc, true, &v, &why) != EGDI_OK) {
            if (first) { /* a heading row such as "value,label" */
                first = false;
                continue;
            }
            egdi_error_at(err, source, egdi_reader_sheet(r), row.number, 1);
            st = egdi_error_set(err, EGDI_ERR_VALUE, "answer value \"%s\": %s",
                                cell_text(vc, buf), why ? why : "not a number");
            break;
        }
        first = false;
        const char *label = cell_text(lc, buf);
        size_t len = strlen(label);
        const char *t = trimmed(label, &len);
        if (len == 0) {
            egdi_error_at(err, source, egdi_reader_sheet(r), row.number, 2);
            st = egdi_error_set(err, EGDI_ERR_VALUE, "the label of answer %g is empty", v);
            break;
        }
        if ((st = add_label(out, v, t, len, row.number, err)) != EGDI_OK) {
            egdi_error_at(err, source, egdi_reader_sheet(r), row.number, 2);
            break;
        }
    }
    if (st == EGDI_DONE && out->nlabels == 0) {
        egdi_error_at(err, source, NULL, 0, 0);
        st = egdi_error_set(err, EGDI_ERR_FORMAT, "no answer labels in the file");
    }
    if (st != EGDI_DONE) {
        egdi_answer_labels_release(out);
        return st;
    }
    return EGDI_OK;
}

egdi_status egdi_answer_labels_load(const char *path, const egdi_read_opts *ro,
                                    egdi_labels *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    if (ro) {
        o.encoding = ro->encoding;
        o.limits = ro->limits;
    }
    o.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
    egdi_reader *r;
    egdi_status st = egdi_reader_open(&r, path, &o, err);
    if (st != EGDI_OK)
        return st;
    st = egdi_answer_labels_read(r, path, out, err);
    egdi_reader_close(r);
    return st;
}

egdi_status egdi_answer_labels_parse(const char *list, egdi_labels *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    const char *p = list;
    egdi_status st = EGDI_OK;
    while (st == EGDI_OK) {
        /* one part: up to ',' or a full-width comma (U+FF0C) */
        const char *e = p;
        size_t sep = 0;
        while (*e) {
            if (*e == ',') {
                sep = 1;
                break;
            }
            if ((unsigned char)e[0] == 0xEF && (unsigned char)e[1] == 0xBC &&
                (unsigned char)e[2] == 0x8C) {
                sep = 3;
                break;
            }
            e++;
        }
        const char *eq = memchr(p, '=', (size_t)(e - p));
        double v;
        bool pct;
        const char *why;
        size_t len = eq ? (size_t)(e - eq - 1) : 0;
        const char *label = eq ? trimmed(eq + 1, &len) : NULL;
        if (!eq || len == 0 || egdi_value_number(p, (size_t)(eq - p), &v, &pct, &why) != EGDI_OK) {
            size_t plen = (size_t)(e - p);
            egdi_answer_labels_release(out);
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "answer labels: \"%.*s\" is not VALUE=LABEL "
                                  "(e.g. 1=disagree,5=agree)",
                                  (int)(plen > 100 ? 100 : plen), p);
        }
        if ((st = add_label(out, v, label, len, 0, err)) != EGDI_OK)
            break;
        if (!sep)
            break;
        p = e + sep;
    }
    if (st != EGDI_OK)
        egdi_answer_labels_release(out);
    return st;
}

egdi_status egdi_answer_labels_check_scale(const egdi_labels *l, double lo, double hi,
                                           const char *source, egdi_error *err)
{
    for (size_t i = 0; l && i < l->nlabels; i++) {
        double v = l->values[i];
        if (v >= lo && v <= hi)
            continue;
        uint32_t row = l->rows ? l->rows[i] : 0;
        if (row)
            egdi_error_at(err, source, NULL, row, 1);
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              "the answer label \"%s\" is %g, outside the answer scale %g-%g "
                              "(--scale): no answer can be %g",
                              l->labels[i], v, lo, hi, v);
    }
    return EGDI_OK;
}

egdi_status egdi_answer_labels_copy(const egdi_labels *src, egdi_labels *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; src && i < src->nlabels; i++) {
        egdi_status st = add_label(out, src->values[i], src->labels[i], strlen(src->labels[i]),
                                   src->rows ? src->rows[i] : 0, err);
        if (st != EGDI_OK) {
            egdi_answer_labels_release(out);
            return st;
        }
    }
    return EGDI_OK;
}

egdi_status egdi_answer_labels_get(const char *spec, const egdi_read_opts *ro, egdi_labels *out,
                                   egdi_error *err)
{
    struct stat sb;
    if (strchr(spec, '=') && stat(spec, &sb) != 0)
        return egdi_answer_labels_parse(spec, out, err);
    return egdi_answer_labels_load(spec, ro, out, err);
}
