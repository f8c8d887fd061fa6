/*
 * model_xlsx.c - writing a model's tables as an XLSX workbook (see
 * model_xlsx.h).  The rows are the canonical CSV (egdi_model_canonical),
 * read back through the CSV reader: one home for what the tables hold;
 * a [section] marker row starts the sheet of that name.  The canonical
 * text and the reader are owned and freed here.
 */
#include "reports/model_xlsx.h"
#include "reports/report_private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "engine/readers/reader.h"

/* True when text is a number that prints back as the same text (0.4, 100,
 * -5): written as a number; "01", "1e3", codes and names stay text. */
static bool plain_number(const char *text, size_t len, double *v)
{
    char buf[64], back[64];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    *v = strtod(buf, &end);
    if (*end || errno || !isfinite(*v))
        return false;
    for (int p = 15; p <= 17; p++) {
        snprintf(back, sizeof back, "%.*g", p, *v);
        if (strcmp(back, buf) == 0)
            return true;
    }
    return false;
}

egdi_status egdi_model_xlsx_write(const egdi_model *m, const char *path, egdi_error *err)
{
    char *text = NULL;
    size_t len = 0;
    egdi_reader *r = NULL;
    lxw_workbook *wb = NULL;
    char *tmp = NULL;
    egdi_status st = egdi_model_canonical(m, &text, &len, err);
    if (st)
        return st;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    if ((st = egdi_reader_open_mem(&r, text, len, "model", &o, err)) != EGDI_OK)
        goto fail;
    size_t plen = strlen(path);
    tmp = malloc(plen + 5);
    if (!tmp) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    snprintf(tmp, plen + 5, "%s.tmp", path);
    wb = workbook_new(tmp);
    if (!wb) {
        egdi_error_at(err, path, NULL, 0, 0);
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot create the workbook: %s", strerror(errno));
        goto fail;
    }
    lxw_worksheet *ws = NULL;
    lxw_row_t y = 0;
    egdi_row row;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        const egdi_cell *c0 = row.ncells ? &row.cells[0] : NULL;
        if (c0 && c0->text && c0->len > 2 && c0->text[0] == '[' && c0->text[c0->len - 1] == ']') {
            char name[32];
            size_t k = c0->len - 2 < sizeof name - 1 ? c0->len - 2 : sizeof name - 1;
            memcpy(name, c0->text + 1, k);
            name[k] = '\0';
            ws = workbook_add_worksheet(wb, name);
            y = 0;
            continue;
        }
        if (!ws || row.ncells == 0)
            continue; /* the blank line between sections */
        bool blank = true;
        for (size_t x = 0; x < row.ncells; x++)
            if (row.cells[x].text && row.cells[x].len)
                blank = false;
        if (blank)
            continue;
        for (size_t x = 0; x < row.ncells; x++) {
            const egdi_cell *c = &row.cells[x];
            if (!c->text || c->len == 0)
                continue;
            double v;
            if (y > 0 && plain_number(c->text, c->len, &v)) {
                worksheet_write_number(ws, y, (lxw_col_t)x, v, NULL);
            } else {
                char *s = strndup(c->text, c->len);
                if (!s) {
                    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                    goto fail;
                }
                worksheet_write_string(ws, y, (lxw_col_t)x, s, NULL);
                free(s);
            }
        }
        y++;
    }
    if (st != EGDI_DONE)
        goto fail;
    st = EGDI_OK;
    errno = 0;
    lxw_error e = report_xlsx_close(wb);
    wb = NULL;
    if (e != LXW_NO_ERROR) {
        egdi_error_at(err, path, NULL, 0, 0);
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write the workbook: %s", lxw_strerror(e));
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        egdi_error_at(err, path, NULL, 0, 0);
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot rename the workbook: %s", strerror(errno));
        goto fail;
    }
    egdi_reader_close(r);
    free(tmp);
    free(text);
    return EGDI_OK;
fail:
    if (wb)
        report_xlsx_close(wb);
    if (tmp)
        unlink(tmp);
    egdi_reader_close(r);
    free(tmp);
    free(text);
    return st;
}
