/*
 * out.c - results as aligned tables, CSV or JSON (see cli.h).
 *
 * A cli_table holds copies of its cells in one growing array, row-major;
 * the table owns them and cli_table_free() frees them all.
 */
#define _XOPEN_SOURCE 700
#include "cli/cli.h"

#include "engine/core/outfile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct cli_table {
    char *title;
    size_t ncols;
    char **headers;
    bool *right;
    char **cells; /* nrows * ncols */
    size_t nrows;
    size_t cap;   /* allocated cells */
    size_t cur;   /* cells in the current (unfinished) row */
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

cli_table *cli_table_new(const char *title, size_t ncols, const char *const *headers)
{
    cli_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols;
    t->title = title ? dup_str(title) : NULL;
    t->headers = calloc(ncols, sizeof *t->headers);
    t->right = calloc(ncols, sizeof *t->right);
    if ((title && !t->title) || !t->headers || !t->right)
        goto fail;
    for (size_t i = 0; i < ncols; i++)
        if (!(t->headers[i] = dup_str(headers[i])))
            goto fail;
    return t;
fail:
    cli_table_free(t);
    return NULL;
}

void cli_table_right(cli_table *t, size_t col)
{
    if (col < t->ncols)
        t->right[col] = true;
}

int cli_table_cell(cli_table *t, const char *text)
{
    if (t->cur == t->ncols)
        return -1;
    size_t idx = t->nrows * t->ncols + t->cur;
    if (idx >= t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : t->ncols * 16;
        char **nc = realloc(t->cells, ncap * sizeof *nc);
        if (!nc)
            return -1;
        t->cells = nc;
        t->cap = ncap;
    }
    t->cells[idx] = dup_str(text ? text : "");
    if (!t->cells[idx])
        return -1;
    t->cur++;
    return 0;
}

int cli_table_cellf(cli_table *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof buf)
        return cli_table_cell(t, buf);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = cli_table_cell(t, big);
    free(big);
    return rc;
}

int cli_table_num(cli_table *t, double v, int decimals)
{
    if (!isfinite(v))
        return cli_table_cell(t, "");
    return cli_table_cellf(t, "%.*f", decimals, v);
}

int cli_table_end_row(cli_table *t)
{
    while (t->cur < t->ncols)
        if (cli_table_cell(t, "") != 0)
            return -1;
    t->nrows++;
    t->cur = 0;
    return 0;
}

size_t cli_text_width(const char *s)
{
    return cli_text_width_n(s, strlen(s));
}

size_t cli_text_width_n(const char *s, size_t len)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t w = 0;
    while (len > 0) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s, len, &st);
        if (k == (size_t)-1 || k == (size_t)-2) { /* not UTF-8: one column a byte */
            memset(&st, 0, sizeof st);
            w++;
            s++;
            len--;
            continue;
        }
        if (k == 0)
            break;
        int cw = wcwidth(wc);
        w += cw > 0 ? (size_t)cw : 0;
        s += k;
        len -= k;
    }
    return w;
}

/* The control character at s (its code), or -1; *len its bytes. */
static int control_at(const unsigned char *s, size_t *len)
{
    *len = 1;
    if (s[0] < 0x20 || s[0] == 0x7F)
        return s[0];
    if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) {
        *len = 2;
        return s[1];
    }
    return -1;
}

const char *cli_term_text(const char *s, char **copy)
{
    *copy = NULL;
    size_t n = 0, k;
    bool any = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += k) {
        any = any || control_at(p, &k) >= 0;
        n += 4;
    }
    if (!any)
        return s;
    char *o = malloc(n + 1);
    if (!o)
        return "?";
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += k) {
        int c = control_at(p, &k);
        if (c >= 0)
            w += (size_t)snprintf(o + w, 5, "\\x%02x", (unsigned)c);
        else
            o[w++] = (char)*p;
    }
    o[w] = '\0';
    *copy = o;
    return o;
}

static int pad(FILE *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fputc(' ', out) == EOF)
            return -1;
    return 0;
}

/* The text of row r (0 the header, then the cells) and column c as the
 * terminal shows it (cli_term_text); *copy as there. */
static const char *shown(const cli_table *t, size_t r, size_t c, char **copy)
{
    /* the view a person reads: headings in the language (cli_tr) */
    return cli_term_text(r == 0 ? cli_tr(t->headers[c]) : t->cells[(r - 1) * t->ncols + c], copy);
}

static int print_aligned(const cli_table *t, FILE *out)
{
    size_t *w = calloc(t->ncols, sizeof *w);
    if (!w)
        return -1;
    char *copy;
    for (size_t c = 0; c < t->ncols; c++)
        for (size_t r = 0; r <= t->nrows; r++) {
            size_t cw = cli_text_width(shown(t, r, c, &copy));
            free(copy);
            if (cw > w[c])
                w[c] = cw;
        }
    int rc = 0;
    size_t total = 0;
    for (size_t c = 0; c < t->ncols; c++)
        total += w[c] + (c ? 2 : 0);
    if (t->title && fprintf(out, "%s\n", cli_term_text(cli_tr(t->title), &copy)) < 0)
        rc = -1;
    if (t->title)
        free(copy);
    for (size_t r = 0; r <= t->nrows + 1 && rc == 0; r++) {
        if (r == 1) { /* rule under the header */
            for (size_t i = 0; i < total; i++)
                fputc('-', out);
            fputc('\n', out);
            continue;
        }
        size_t tr = r == 0 ? 0 : r - 1; /* (the table's row: 0 the header) */
        for (size_t c = 0; c < t->ncols; c++) {
            const char *text = shown(t, tr, c, &copy);
            size_t cw = cli_text_width(text);
            size_t gap = w[c] - cw;
            bool last = c + 1 == t->ncols;
            if (c && pad(out, 2) != 0)
                rc = -1;
            if (t->right[c] && pad(out, gap) != 0)
                rc = -1;
            if (fputs(text, out) == EOF)
                rc = -1;
            free(copy);
            if (!t->right[c] && !last && pad(out, gap) != 0)
                rc = -1;
        }
        if (fputc('\n', out) == EOF)
            rc = -1;
    }
    free(w);
    return rc;
}

int cli_csv_field(FILE *out, const char *s)
{
    return egdi_outfile_csv_field(out, s);
}

/* egdi --bom: CSV output starts with a UTF-8 byte-order mark (once per
 * run, before the first table), so Excel on a Chinese Windows reads it as
 * UTF-8.  Program-wide by nature: one option of the whole command line. */
static bool csv_bom, csv_bom_done;

void cli_csv_bom(bool on)
{
    csv_bom = on;
}

static int print_csv(const cli_table *t, FILE *out, bool titled)
{
    if (csv_bom && !csv_bom_done) {
        csv_bom_done = true;
        if (fputs("\xEF\xBB\xBF", out) == EOF)
            return -1;
    }
    if (titled) {
        size_t n = strlen(CLI_CSV_TITLE) + (t->title ? strlen(t->title) : 0) + 1;
        char *row = malloc(n);
        if (!row)
            return -1;
        snprintf(row, n, "%s%s", CLI_CSV_TITLE, t->title ? t->title : "");
        int rc = cli_csv_field(out, row);
        free(row);
        if (rc != 0 || fputc('\n', out) == EOF)
            return -1;
    }
    for (size_t r = 0; r <= t->nrows; r++) {
        char *const *row = r == 0 ? t->headers : t->cells + (r - 1) * t->ncols;
        for (size_t c = 0; c < t->ncols; c++) {
            if (c && fputc(',', out) == EOF)
                return -1;
            if (cli_csv_field(out, row[c]) != 0)
                return -1;
        }
        if (fputc('\n', out) == EOF)
            return -1;
    }
    return 0;
}

int cli_table_print(const cli_table *t, FILE *out, cli_format fmt)
{
    return fmt == CLI_CSV ? print_csv(t, out, false) : print_aligned(t, out);
}

int cli_table_print_csv_titled(const cli_table *t, FILE *out)
{
    return print_csv(t, out, true);
}

void cli_table_free(cli_table *t)
{
    if (!t)
        return;
    size_t n = t->nrows * t->ncols + t->cur;
    for (size_t i = 0; i < n; i++)
        free(t->cells[i]);
    free(t->cells);
    if (t->headers)
        for (size_t i = 0; i < t->ncols; i++)
            free(t->headers[i]);
    free(t->headers);
    free(t->right);
    free(t->title);
    free(t);
}

int cli_json_print(json_t *j, FILE *out)
{
    if (json_dumpf(j, out, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0)
        return -1;
    return fputc('\n', out) == EOF ? -1 : 0;
}

json_t *cli_json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

json_t *cli_json_count(double v)
{
    /* a whole number within the doubles' exact integers prints as one */
    if (isfinite(v) && v == floor(v) && fabs(v) <= 9007199254740992.0)
        return json_integer((json_int_t)v);
    return cli_json_num(v);
}
