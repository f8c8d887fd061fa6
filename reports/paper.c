/*
 * paper.c - the researcher's paper tables (egdi_paper_write, report.h):
 * every survey table of an egdi_report_survey written for a thesis as
 *   DIR/tables.html   three-line tables (三线表): the number and title above,
 *                     a heavy rule above and below, a thin one under the
 *                     header, no vertical rules, notes below; the rules are
 *                     inline styles on the cells, so a copy into Word or
 *                     WPS keeps them;
 *   DIR/tables.xlsx   one sheet per table ("表1" / "Table 1"): title in A1,
 *                     header in row 2, the rows, the note;
 *   DIR/csv/tNN.csv   one table each, UTF-8 with a BOM (Excel on a Chinese
 *                     Windows), the header row then the rows, nothing else;
 *   DIR/json/tNN.json one table each: number, title, columns, rows, note.
 * The tables not produced (egdi_report_survey.omitted: no --group, no
 * --regress...) are listed at the end of the page and on a last sheet.
 * A table's p column (egdi_report_table.pcol) is followed by a
 * significance column ("***" < .001, "**" < .01, "*" < .05, "" otherwise);
 * p stays a number in CSV, JSON and XLSX; the page shows "< .001" below
 * .001.  Numbers: CSV and JSON carry them at full precision ("%.15g"),
 * whole numbers as integers; the page and the workbook use the table's
 * decimals.  Item ids and every text are written as given.
 *
 * Files are written into DIR (created when missing; csv/ and json/ too);
 * each file is written whole or the call fails naming it.
 * Memory: nothing is kept; the workbook is freed by workbook_close().
 */
#include "reports/html_private.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

#define PAPER_PATH_MAX 4096
#define PAPER_COLS_MAX 256 /* columns of one table (egdi_paper_write refuses more) */

static const char *stars(double p)
{
    if (!isfinite(p))
        return "";
    return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : "";
}

static bool has_sig(const egdi_report_table *t)
{
    return t->pcol > 0 && (size_t)t->pcol <= t->ncols;
}

/* Does a number of column c carry a mark (egdi_report_cell.mark)? */
static bool has_marks(const egdi_report_table *t, size_t c)
{
    for (size_t r = 0; r < t->nrows; r++) {
        const egdi_report_cell *cell = &t->cells[r * t->ncols + c];
        if (!cell->text && cell->mark && *cell->mark)
            return true;
    }
    return false;
}

/* The columns of the CSV, JSON and workbook: each of the table's, then
 * after the p column its significance column (stars of p), after a column
 * whose numbers carry marks a column of those marks. */
typedef enum { COL_CELL, COL_STARS, COL_MARKS } col_kind;
typedef struct {
    size_t src;
    col_kind kind;
} out_col;

/* Fills map (2 * t->ncols room) and returns the number of columns. */
static size_t col_map(const egdi_report_table *t, out_col *map)
{
    size_t n = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        map[n++] = (out_col){c, COL_CELL};
        if (has_sig(t) && c + 1 == (size_t)t->pcol)
            map[n++] = (out_col){c, COL_STARS};
        else if (has_marks(t, c))
            map[n++] = (out_col){c, COL_MARKS};
    }
    return n;
}

static const char *sig_header(egdi_report_lang lang)
{
    return lang == EGDI_REPORT_EN ? "significance" : "显著性";
}

/* The header of an output column ("显著性"; "2 显著性" after column "2"). */
static const char *col_header(const egdi_report_table *t, out_col oc, egdi_report_lang lang,
                              char *buf, size_t size)
{
    if (oc.kind == COL_CELL)
        return t->headers[oc.src];
    if (oc.kind == COL_STARS)
        return sig_header(lang);
    snprintf(buf, size, "%s %s", report_str(t->headers[oc.src]), sig_header(lang));
    return buf;
}

/* The text of a stars or marks column's cell; NULL for a plain cell. */
static const char *col_mark(const egdi_report_table *t, out_col oc, size_t r)
{
    const egdi_report_cell *cell = &t->cells[r * t->ncols + oc.src];
    if (oc.kind == COL_CELL)
        return NULL;
    if (cell->text || !isfinite(cell->num))
        return "";
    if (oc.kind == COL_STARS)
        return stars(cell->num);
    return cell->mark ? cell->mark : "";
}

/* ---- the page ------------------------------------------------------------ */

#define RULE_HEAVY "1.5pt solid #000"
#define RULE_THIN  "0.75pt solid #000"

static void html_cell(report_page *p, const char *tag, const char *style, bool num)
{
    report_page_outf(p, "<%s style=\"border:none;%spadding:2pt 8pt;%s\">", tag, style,
                     num ? "text-align:center;" : "text-align:left;");
}

static void html_table(report_page *p, const egdi_report_table *t, size_t number,
                       egdi_report_lang lang)
{
    bool en = lang == EGDI_REPORT_EN;
    int dec = t->decimals < 0 ? 0 : t->decimals > 10 ? 10 : t->decimals;
    report_page_outf(p, "<p class=\"caption\" id=\"t%02zu\" style=\"text-align:center;"
                        "font-weight:bold;margin:18pt 0 4pt\">%s %zu　",
                     number, en ? "Table" : "表", number);
    report_page_esc(p, t->title);
    report_page_out(p, "</p>\n<table class=\"three-line\" style=\"border-collapse:collapse;"
                       "margin:0 auto;border-top:" RULE_HEAVY ";border-bottom:" RULE_HEAVY "\">\n"
                       "<thead><tr>");
    for (size_t c = 0; c < t->ncols + has_sig(t); c++) {
        const char *h = has_sig(t) && c == (size_t)t->pcol ? sig_header(lang)
                        : t->headers[c - (has_sig(t) && c > (size_t)t->pcol)];
        html_cell(p, "th", "border-top:" RULE_HEAVY ";border-bottom:" RULE_THIN ";", c > 0);
        report_page_esc(p, h);
        report_page_out(p, "</th>");
    }
    report_page_out(p, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < t->nrows && !p->bad; r++) {
        const char *style = r + 1 == t->nrows ? "border-bottom:" RULE_HEAVY ";" : "";
        report_page_out(p, "<tr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const egdi_report_cell *cell = &t->cells[r * t->ncols + c];
            html_cell(p, "td", style, c > 0);
            if (cell->text)
                report_page_esc(p, cell->text);
            else if (has_sig(t) && c + 1 == (size_t)t->pcol && isfinite(cell->num) &&
                     cell->num < 0.001)
                report_page_out(p, "&lt; .001");
            else {
                report_page_num(p, cell->num, cell->whole ? 0 : dec);
                if (cell->mark && isfinite(cell->num))
                    report_page_esc(p, cell->mark); /* "0.366***", as a thesis prints it */
            }
            report_page_out(p, "</td>");
            if (has_sig(t) && c + 1 == (size_t)t->pcol) {
                html_cell(p, "td", style, true);
                report_page_out(p, cell->text ? "" : stars(cell->num));
                report_page_out(p, "</td>");
            }
        }
        report_page_out(p, "</tr>\n");
    }
    report_page_out(p, "</tbody></table>\n");
    if (t->note || has_sig(t)) {
        report_page_outf(p, "<p class=\"note\" style=\"font-size:10.5pt;margin:4pt 0 0\">%s",
                         en ? "Note. " : "注：");
        if (t->note)
            report_page_esc(p, t->note);
        if (has_sig(t))
            report_page_out(p, en ? " * p < .05, ** p < .01, *** p < .001."
                                  : " * p < .05，** p < .01，*** p < .001。");
        report_page_out(p, "</p>\n");
    }
}

static egdi_status write_html(const egdi_report_survey *sv, egdi_report_lang lang,
                              const char *path, egdi_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path, strerror(errno));
    egdi_report_data d = {0};
    d.lang = lang;
    report_page p = {f, false, false, &d};
    bool en = lang == EGDI_REPORT_EN;
    report_page_outf(&p, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<title>", en ? "en" : "zh-CN");
    report_page_esc(&p, sv->name);
    report_page_outf(&p, "</title>\n<style>\nbody{font-family:\"SimSun\",\"Songti SC\",\"Noto Serif CJK SC\","
                         "\"Times New Roman\",serif;font-size:12pt;max-width:1000px;margin:0 auto;"
                         "padding:24px 12px}\n@media print{p.caption{break-after:avoid}"
                         "table{break-inside:auto}tr{break-inside:avoid}}\n</style>\n</head>\n<body>\n"
                         "<h1 style=\"font-size:16pt;text-align:center\">");
    report_page_esc(&p, sv->name);
    report_page_outf(&p, "%s</h1>\n", en ? ": survey tables" : "：问卷统计表");
    for (size_t t = 0; t < sv->ntables && !p.bad; t++)
        html_table(&p, &sv->tables[t], t + 1, lang);
    if (sv->nomitted) { /* nothing silently missing: what was not made, and how to */
        report_page_outf(&p, "<h2 id=\"omitted\" style=\"font-size:13pt;margin-top:24pt\">%s</h2>\n<ul>\n",
                         en ? "Tables not produced" : "未生成的表");
        for (size_t k = 0; k < sv->nomitted; k++) {
            report_page_out(&p, "<li>");
            report_page_esc(&p, sv->omitted[k]);
            report_page_out(&p, "</li>\n");
        }
        report_page_out(&p, "</ul>\n");
    }
    report_page_out(&p, "</body>\n</html>\n");
    if (fflush(f) != 0 || ferror(f))
        p.bad = true;
    if (fclose(f) != 0)
        p.bad = true;
    if (p.bad)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path,
                              strerror(errno ? errno : EIO));
    return EGDI_OK;
}

/* ---- CSV and JSON -------------------------------------------------------- */

static void csv_text(FILE *f, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A number at full precision; a whole number as an integer. */
static void plain_num(FILE *f, double v, const char *missing)
{
    if (!isfinite(v))
        fputs(missing, f);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.15g", v);
}

static void json_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *q = (const unsigned char *)(s ? s : ""); *q; q++) {
        if (*q == '"' || *q == '\\')
            fprintf(f, "\\%c", *q);
        else if (*q < 0x20)
            fprintf(f, "\\u%04x", *q);
        else
            fputc(*q, f);
    }
    fputc('"', f);
}

static egdi_status write_csv(const egdi_report_table *t, egdi_report_lang lang, const char *path,
                             egdi_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path, strerror(errno));
    fputs("\xEF\xBB\xBF", f); /* UTF-8 BOM: Excel reads the Chinese right */
    out_col map[2 * PAPER_COLS_MAX];
    size_t nc = col_map(t, map);
    char hb[512];
    for (size_t c = 0; c < nc; c++) {
        if (c)
            fputc(',', f);
        csv_text(f, col_header(t, map[c], lang, hb, sizeof hb));
    }
    fputs("\r\n", f);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < nc; c++) {
            const egdi_report_cell *cell = &t->cells[r * t->ncols + map[c].src];
            const char *mk = col_mark(t, map[c], r);
            if (c)
                fputc(',', f);
            if (mk)
                fputs(mk, f);
            else if (cell->text)
                csv_text(f, cell->text);
            else
                plain_num(f, cell->num, "");
        }
        fputs("\r\n", f);
    }
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path,
                              strerror(errno ? errno : EIO));
    return EGDI_OK;
}

static egdi_status write_json(const egdi_report_table *t, size_t number, egdi_report_lang lang,
                              const char *path, egdi_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path, strerror(errno));
    fprintf(f, "{\n  \"number\": %zu,\n  \"title\": ", number);
    json_text(f, t->title);
    fputs(",\n  \"columns\": [", f);
    out_col map[2 * PAPER_COLS_MAX];
    size_t nc = col_map(t, map);
    char hb[512];
    for (size_t c = 0; c < nc; c++) {
        if (c)
            fputs(", ", f);
        json_text(f, col_header(t, map[c], lang, hb, sizeof hb));
    }
    fputs("],\n  \"rows\": [", f);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(r ? ",\n    [" : "\n    [", f);
        for (size_t c = 0; c < nc; c++) {
            const egdi_report_cell *cell = &t->cells[r * t->ncols + map[c].src];
            const char *mk = col_mark(t, map[c], r);
            if (c)
                fputs(", ", f);
            if (mk)
                json_text(f, mk);
            else if (cell->text)
                json_text(f, cell->text);
            else
                plain_num(f, cell->num, "null");
        }
        fputc(']', f);
    }
    fputs(t->nrows ? "\n  ],\n  \"note\": " : "],\n  \"note\": ", f);
    if (t->note)
        json_text(f, t->note);
    else
        fputs("null", f);
    fputs("\n}\n", f);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path,
                              strerror(errno ? errno : EIO));
    return EGDI_OK;
}

/* ---- the workbook ------------------------------------------------------- */

static egdi_status write_xlsx(const egdi_report_survey *sv, egdi_report_lang lang,
                              const char *path, egdi_error *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": cannot start the workbook",
                              path);
    lxw_error e = LXW_NO_ERROR;
    lxw_format *bold = workbook_add_format(wb), *head = workbook_add_format(wb);
    lxw_format *fmt[11];
    for (int k = 0; k <= 10; k++) {
        fmt[k] = workbook_add_format(wb);
        char nf[16] = "0";
        if (k > 0) {
            nf[1] = '.';
            memset(nf + 2, '0', (size_t)k);
            nf[2 + k] = '\0';
        }
        if (fmt[k])
            format_set_num_format(fmt[k], nf);
    }
    if (bold)
        format_set_bold(bold);
    if (head) {
        format_set_bold(head);
        format_set_top(head, LXW_BORDER_MEDIUM);
        format_set_bottom(head, LXW_BORDER_THIN);
    }
    for (size_t n = 0; n < sv->ntables && e == LXW_NO_ERROR; n++) {
        const egdi_report_table *t = &sv->tables[n];
        char name[32];
        snprintf(name, sizeof name, lang == EGDI_REPORT_EN ? "Table %zu" : "表%zu", n + 1);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws) {
            e = LXW_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        char title[1024];
        snprintf(title, sizeof title, "%s %zu　%s", lang == EGDI_REPORT_EN ? "Table" : "表", n + 1,
                 report_str(t->title));
        e = worksheet_write_string(ws, 0, 0, title, bold);
        out_col map[2 * PAPER_COLS_MAX];
        size_t nc = col_map(t, map);
        char hb[512];
        for (size_t c = 0; c < nc && !e; c++)
            e = worksheet_write_string(ws, 1, (lxw_col_t)c, col_header(t, map[c], lang, hb, sizeof hb),
                                       head);
        int dec = t->decimals < 0 ? 0 : t->decimals > 10 ? 10 : t->decimals;
        for (size_t r = 0; r < t->nrows && !e; r++) {
            for (size_t c = 0; c < nc && !e; c++) {
                const egdi_report_cell *cell = &t->cells[r * t->ncols + map[c].src];
                const char *mk = col_mark(t, map[c], r);
                lxw_row_t row = (lxw_row_t)(r + 2);
                lxw_col_t oc = (lxw_col_t)c;
                if (mk) {
                    if (*mk)
                        e = worksheet_write_string(ws, row, oc, mk, NULL);
                } else if (cell->text && *cell->text)
                    e = worksheet_write_string(ws, row, oc, cell->text, NULL);
                else if (!cell->text && isfinite(cell->num))
                    e = worksheet_write_number(ws, row, oc, cell->num,
                                               fmt[cell->whole ? 0 : dec]);
            }
        }
        if (t->note && !e)
            e = worksheet_write_string(ws, (lxw_row_t)(t->nrows + 3), 0, t->note, NULL);
        if (!e)
            e = worksheet_set_column(ws, 0, 0, 22, NULL);
        if (!e && nc > 1)
            e = worksheet_set_column(ws, 1, (lxw_col_t)(nc - 1), 13, NULL);
    }
    if (sv->nomitted && e == LXW_NO_ERROR) {
        lxw_worksheet *ws =
            workbook_add_worksheet(wb, lang == EGDI_REPORT_EN ? "Not produced" : "未生成的表");
        if (!ws)
            e = LXW_ERROR_MEMORY_MALLOC_FAILED;
        for (size_t k = 0; k < sv->nomitted && !e; k++)
            e = worksheet_write_string(ws, (lxw_row_t)k, 0, report_str(sv->omitted[k]), NULL);
    }
    lxw_error ce = report_xlsx_close(wb);
    if (e == LXW_NO_ERROR)
        e = ce;
    if (e != LXW_NO_ERROR)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path, lxw_strerror(e));
    return EGDI_OK;
}

/* ---- everything --------------------------------------------------------- */

static egdi_status sub(char *buf, size_t size, const char *dir, const char *fmt, size_t n,
                       egdi_error *err)
{
    char name[64];
    snprintf(name, sizeof name, fmt, n);
    int w = snprintf(buf, size, "%s/%s", dir, name);
    if (w < 0 || (size_t)w >= size)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "path too long: \"%s/%s\"", dir, name);
    return EGDI_OK;
}

static egdi_status mkdir_p(const char *path, egdi_error *err)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot create \"%s\": %s", path, strerror(errno));
    return EGDI_OK;
}

egdi_status egdi_paper_write(const egdi_report_survey *sv, egdi_report_lang lang, const char *dir,
                             egdi_error *err)
{
    if (!sv || !dir || !*dir)
        return egdi_error_set(err, EGDI_ERR_ARG, "paper tables: no tables or no directory");
    for (size_t t = 0; t < sv->ntables; t++) {
        const egdi_report_table *tb = &sv->tables[t];
        if ((tb->ncols && !tb->headers) || (tb->nrows && tb->ncols && !tb->cells) ||
            tb->pcol < 0)
            return egdi_error_set(err, EGDI_ERR_ARG, "paper tables: table %zu is malformed",
                                  t + 1);
        if (tb->ncols > PAPER_COLS_MAX)
            return egdi_error_set(err, EGDI_ERR_LIMIT,
                                  "paper tables: table %zu has %zu columns (at most %d)", t + 1,
                                  tb->ncols, PAPER_COLS_MAX);
    }
    char path[PAPER_PATH_MAX], csv[PAPER_PATH_MAX], json[PAPER_PATH_MAX];
    egdi_status st;
    if ((st = mkdir_p(dir, err)) || (st = sub(csv, sizeof csv, dir, "csv", 0, err)) ||
        (st = sub(json, sizeof json, dir, "json", 0, err)) || (st = mkdir_p(csv, err)) ||
        (st = mkdir_p(json, err)))
        return st;
    if ((st = sub(path, sizeof path, dir, "tables.html", 0, err)) ||
        (st = write_html(sv, lang, path, err)) ||
        (st = sub(path, sizeof path, dir, "tables.xlsx", 0, err)) ||
        (st = write_xlsx(sv, lang, path, err)))
        return st;
    for (size_t t = 0; t < sv->ntables; t++) {
        if ((st = sub(path, sizeof path, csv, "t%02zu.csv", t + 1, err)) ||
            (st = write_csv(&sv->tables[t], lang, path, err)) ||
            (st = sub(path, sizeof path, json, "t%02zu.json", t + 1, err)) ||
            (st = write_json(&sv->tables[t], t + 1, lang, path, err)))
            return st;
    }
    return EGDI_OK;
}
