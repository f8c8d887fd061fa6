/*
 * Unit tests for the XLSX reader (engine/readers/xlsx.c, engine/readers/xlsx_sheet.c).
 *
 * Two kinds of workbooks: real ones written by libxlsxwriter into a
 * temporary folder (shared strings, and constant_memory mode which writes
 * inline strings), and small hand-built zips made in memory with libzip for
 * the odd cases no writer produces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "engine/readers/reader.h"
#include "reader_compare.h"
#include "engine/readers/xlsx_sheet_private.h"

static char tmpdir[] = "/tmp/egdi-xlsx-XXXXXX";

/* ---- helpers -------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *data; /* NULL = skip */
} entry;

/* make_zip stores its entries (no compression) while this is set. */
static bool store_entries;

/* A zip in memory holding the entries; caller frees. */
static unsigned char *make_zip(const entry *e, size_t n, size_t *size)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        if (!e[i].data)
            continue;
        zip_source_t *s = zip_source_buffer(za, e[i].data, strlen(e[i].data), 0);
        zip_int64_t k = zip_file_add(za, e[i].name, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
        assert_true(k >= 0);
        if (store_entries)
            assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)k, ZIP_CM_STORE, 0), 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t len = zip_source_tell(src);
    assert_true(len > 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    unsigned char *buf = malloc((size_t)len);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)len), len);
    zip_source_close(src);
    zip_source_free(src);
    *size = (size_t)len;
    return buf;
}

static const char *const ROOT_RELS =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char *const BOOK =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *const BOOK_RELS =
    "<Relationships><Relationship Id=\"rId1\" Type=\"http://x/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://x/sharedStrings\""
    " Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"http://x/styles\" "
    "Target=\"styles.xml\"/><Relationship Id=\"rId9\" Type=\"http://x/theme\" "
    "Target=\"theme/theme1.xml\"/></Relationships>";

/* A one-sheet workbook around sheet (the <sheetData> part unless it starts
 * with '<?' or "<worksheet"); sst and styles may be NULL. */
static unsigned char *book_zip(const char *sheet, const char *sst, const char *styles,
                               const char *book, size_t *size)
{
    char *xml = NULL;
    if (strncmp(sheet, "<?", 2) != 0 && strncmp(sheet, "<worksheet", 10) != 0) {
        size_t n = strlen(sheet) + 200;
        xml = malloc(n);
        snprintf(xml, n, "<?xml version=\"1.0\"?><worksheet><dimension ref=\"A1\"/>%s"
                         "</worksheet>", sheet);
    }
    entry e[] = {{"_rels/.rels", ROOT_RELS},
                 {"xl/workbook.xml", book ? book : BOOK},
                 {"xl/_rels/workbook.xml.rels", BOOK_RELS},
                 {"xl/worksheets/sheet1.xml", xml ? xml : sheet},
                 {"xl/sharedStrings.xml", sst},
                 {"xl/styles.xml", styles}};
    unsigned char *z = make_zip(e, sizeof e / sizeof e[0], size);
    free(xml);
    return z;
}

typedef struct {
    egdi_reader *r;
    unsigned char *zip;
    egdi_error err;
    egdi_status st;
} ctx;

/* Opens a hand-built workbook; st says how it went. */
static void open_sheet(ctx *c, const char *sheet, const char *sst, const char *styles,
                       const char *book, const egdi_read_opts *o)
{
    size_t n;
    memset(c, 0, sizeof *c);
    c->zip = book_zip(sheet, sst, styles, book, &n);
    c->st = egdi_reader_open_mem(&c->r, c->zip, n, "t.xlsx", o, &c->err);
}

static void ctx_done(ctx *c)
{
    egdi_reader_close(c->r);
    free(c->zip);
}

/* Reads every row; returns the status that ended the reading. */
static egdi_status drain(egdi_reader *r, egdi_error *err, size_t *rows)
{
    egdi_row row;
    egdi_status st;
    size_t n = 0;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK)
        n++;
    if (rows)
        *rows = n;
    return st;
}

static void assert_text(const egdi_cell *c, const char *s)
{
    assert_int_equal(c->type, EGDI_CELL_TEXT);
    assert_string_equal(c->text, s);
    assert_int_equal(c->len, strlen(s));
}

static void assert_num(const egdi_cell *c, double v)
{
    assert_int_equal(c->type, EGDI_CELL_NUMBER);
    assert_true(c->num == v);
}

/* ---- workbooks written by libxlsxwriter ------------------------------------ */

static void write_book(const char *path, bool constant_memory)
{
    lxw_workbook_options o = {.constant_memory = constant_memory, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "数据");
    lxw_worksheet *empty = workbook_add_worksheet(wb, "Empty");
    lxw_worksheet *third = workbook_add_worksheet(wb, "Third");
    (void)empty;
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "yyyy\"年\"m\"月\"d\"日\" hh:mm");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format_index(pct, 10); /* 0.00% */
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "\"Dd\"#,##0.00");
    worksheet_write_string(ws, 0, 0, "id", NULL);
    worksheet_write_string(ws, 0, 1, "名称", NULL);
    worksheet_write_string(ws, 0, 2, "score", NULL);
    worksheet_write_number(ws, 1, 0, 1, NULL);
    worksheet_write_string(ws, 1, 1, "北京市 & <Co>", NULL);
    worksheet_write_number(ws, 1, 2, 0.1 + 0.2, NULL);
    worksheet_write_boolean(ws, 1, 3, 1, NULL);
    worksheet_write_number(ws, 2, 0, -2.5e-7, NULL);
    worksheet_write_number(ws, 2, 5, 0.85, pct); /* sparse: B..E empty */
    worksheet_write_formula_num(ws, 2, 6, "=1+2", NULL, 3);
    worksheet_write_formula_str(ws, 2, 7, "=\"a\"&\"b\"", NULL, "ab");
    /* row 4 (index 3) left out entirely */
    lxw_datetime d = {2024, 3, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 4, 0, &d, date);
    lxw_datetime t = {2024, 3, 1, 8, 30, 0};
    worksheet_write_datetime(ws, 4, 1, &t, stamp);
    worksheet_write_number(ws, 4, 2, 1234.5, money);
    worksheet_write_string(ws, 4, 3, "line1\nline2\t_x", NULL);
    worksheet_write_blank(ws, 5, 2, date); /* styled but empty: row 6 is skipped */
    worksheet_write_number(ws, 6, 16383, 42, NULL); /* XFD7 */
    worksheet_write_string(third, 1048575, 0, "last", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void check_book(const char *path)
{
    egdi_reader *r;
    egdi_error err;
    egdi_row row;
    assert_int_equal(egdi_reader_open(&r, path, NULL, &err), EGDI_OK);
    assert_string_equal(egdi_reader_sheet(r), "数据");
    assert_int_equal(egdi_reader_format(r), EGDI_FMT_XLSX);

    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 1);
    assert_int_equal(row.ncells, 3);
    assert_text(&row.cells[0], "id");
    assert_text(&row.cells[1], "名称");
    assert_text(&row.cells[2], "score");

    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 2);
    assert_int_equal(row.ncells, 4);
    assert_num(&row.cells[0], 1);
    assert_text(&row.cells[1], "北京市 & <Co>");
    assert_num(&row.cells[2], 0.3); /* libxlsxwriter writes %.16G: "0.3" */
    assert_false(row.cells[2].percent);
    assert_int_equal(row.cells[3].type, EGDI_CELL_BOOL);
    assert_true(row.cells[3].num == 1);

    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 3);
    assert_int_equal(row.ncells, 8);
    assert_num(&row.cells[0], -2.5e-7);
    assert_string_equal(row.cells[0].text, "-2.5E-07");
    for (int i = 1; i < 5; i++)
        assert_int_equal(row.cells[i].type, EGDI_CELL_EMPTY);
    assert_num(&row.cells[5], 0.85);
    assert_true(row.cells[5].percent);
    assert_num(&row.cells[6], 3);
    assert_text(&row.cells[7], "ab");

    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 5);
    assert_int_equal(row.ncells, 4);
    assert_int_equal(row.cells[0].type, EGDI_CELL_DATE);
    assert_true(row.cells[0].num == 45352); /* =DATE(2024,3,1) in Excel */
    assert_string_equal(row.cells[0].text, "2024-03-01");
    assert_int_equal(row.cells[1].type, EGDI_CELL_DATE);
    assert_true(fabs(row.cells[1].num - (45352 + 8.5 / 24)) < 1e-9);
    assert_string_equal(row.cells[1].text, "2024-03-01T08:30:00");
    assert_num(&row.cells[2], 1234.5); /* "Dd" is quoted: not a date */
    assert_text(&row.cells[3], "line1\nline2\t_x");

    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 7);
    assert_int_equal(row.ncells, 16384);
    assert_num(&row.cells[16383], 42);
    assert_int_equal(row.cells[0].type, EGDI_CELL_EMPTY);
    assert_null(row.cells[0].text);
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_DONE);
    egdi_reader_close(r);

    /* the empty sheet by name, the third by index */
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.sheet = "Empty";
    assert_int_equal(egdi_reader_open(&r, path, &o, &err), EGDI_OK);
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_DONE);
    egdi_reader_close(r);
    o.sheet = "3";
    assert_int_equal(egdi_reader_open(&r, path, &o, &err), EGDI_OK);
    assert_string_equal(egdi_reader_sheet(r), "Third");
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 1048576);
    assert_text(&row.cells[0], "last");
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_DONE);
    egdi_reader_close(r);

    o.sheet = "Nope";
    assert_int_equal(egdi_reader_open(&r, path, &o, &err), EGDI_ERR_NOT_FOUND);
    assert_null(r);
    assert_string_equal(err.message,
                        "no sheet \"Nope\" (the workbook has \"数据\", \"Empty\", \"Third\")");
    assert_string_equal(err.file, path);
    o.sheet = "4";
    assert_int_equal(egdi_reader_open(&r, path, &o, &err), EGDI_ERR_NOT_FOUND);
}

static void shared_strings_book(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/shared.xlsx", tmpdir);
    write_book(path, false);
    check_book(path);
}

static void constant_memory_book(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/inline.xlsx", tmpdir);
    write_book(path, true);
    check_book(path);
}

/* ---- hand-built workbooks ----------------------------------------------- */

static void lying_dimension_and_missing_refs(void **state)
{
    (void)state;
    ctx c;
    open_sheet(&c,
               "<sheetData><row><c><v>1</v></c><c><v>2</v></c><c r=\"E1\"><v>5</v></c>"
               "<c><v>6</v></c></row><row/><row><c r=\"B3\" t=\"inlineStr\"><is><t>x</t>"
               "</is></c></row><row r=\"9\"><c t=\"str\"><v>y</v></c></row></sheetData>",
               NULL, NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    assert_int_equal(row.number, 1);
    assert_int_equal(row.ncells, 6);
    assert_num(&row.cells[0], 1);
    assert_num(&row.cells[1], 2);
    assert_int_equal(row.cells[2].type, EGDI_CELL_EMPTY);
    assert_num(&row.cells[4], 5);
    assert_num(&row.cells[5], 6);
    assert_string_equal(row.cells[5].text, "6"); /* the literal as stored */
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    assert_int_equal(row.number, 3);
    assert_int_equal(row.ncells, 2);
    assert_text(&row.cells[1], "x");
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    assert_int_equal(row.number, 9);
    assert_text(&row.cells[0], "y");
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_DONE);
    ctx_done(&c);
}

static void odd_markup(void **state)
{
    (void)state;
    ctx c;
    open_sheet(&c,
               "<sheetData><?pi x?><row r='2' x14ac:dyDescent=\"a>b\"><!-- <c> -->"
               "<c\tr='A2'\n foo=\"x>y\" s='0'><v>1</v></c >"
               "<c r=\"B2\"><f>SUM(A1:A2)</f><v>2.5</v></c>"
               "<c r=\"C2\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> x </t></is></c>"
               "<c r=\"D2\" t=\"s\"/><c r=\"E2\" t=\"str\"><v></v></c></row></sheetData>",
               NULL, NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    assert_int_equal(row.number, 2);
    assert_int_equal(row.ncells, 3); /* D2 and E2 hold nothing */
    assert_num(&row.cells[0], 1);
    assert_num(&row.cells[1], 2.5);
    assert_text(&row.cells[2], " x ");
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_DONE);
    ctx_done(&c);

    /* a chart sheet is refused by name */
    entry e[] = {{"_rels/.rels", ROOT_RELS},
                 {"xl/workbook.xml", BOOK},
                 {"xl/_rels/workbook.xml.rels",
                  "<Relationships><Relationship Id=\"rId1\" Type=\"http://x/chartsheet\" "
                  "Target=\"chartsheets/sheet1.xml\"/></Relationships>"}};
    size_t n;
    unsigned char *z = make_zip(e, 3, &n);
    egdi_reader *r;
    assert_int_equal(egdi_reader_open_mem(&r, z, n, "c.xlsx", NULL, &c.err), EGDI_ERR_FORMAT);
    assert_string_equal(c.err.message, "sheet \"S1\" is a chart, not data");
    free(z);
}

static void text_decoding(void **state)
{
    (void)state;
    ctx c;
    open_sheet(&c,
               "<sheetData><row r=\"1\">"
               "<c r=\"A1\" t=\"inlineStr\"><is><r><t>Ri</t></r><r><rPr><b/></rPr>"
               "<t xml:space=\"preserve\">ch </t></r><rPh><t>ignored</t></rPh></is></c>"
               "<c r=\"B1\" t=\"inlineStr\"><is><t>a&amp;b&lt;&gt;&quot;&apos;&#20013;&#x6587;"
               "</t></is></c>"
               "<c r=\"C1\" t=\"s\"><v>0</v></c><c r=\"D1\" t=\"s\"><v>1</v></c>"
               "<c r=\"E1\" t=\"str\"><v>x_x000D_y_x005F_x000D_</v></c>"
               "<c r=\"F1\" t=\"e\"><v>#DIV/0!</v></c>"
               "<c r=\"G1\" t=\"d\"><v>2023-12-31T06:00:00Z</v></c>"
               "<c r=\"H1\" t=\"inlineStr\"><is><t><![CDATA[<raw&>]]></t></is></c>"
               "<c r=\"I1\" t=\"b\"><v>0</v></c>"
               "</row></sheetData>",
               "<sst count=\"999999999\" uniqueCount=\"999999999\"><si><t>plain</t></si>"
               "<si><r><t>r1 </t></r><r><t>r2_x000A_</t></r><rPh><t>no</t></rPh></si></sst>",
               NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    assert_int_equal(row.ncells, 9);
    assert_text(&row.cells[0], "Rich ");
    assert_text(&row.cells[1], "a&b<>\"'中文");
    assert_text(&row.cells[2], "plain");
    assert_text(&row.cells[3], "r1 r2\n");
    assert_text(&row.cells[4], "x\ry_x000D_");
    assert_int_equal(row.cells[5].type, EGDI_CELL_ERROR);
    assert_string_equal(row.cells[5].text, "#DIV/0!");
    assert_int_equal(row.cells[6].type, EGDI_CELL_DATE);
    assert_string_equal(row.cells[6].text, "2023-12-31T06:00:00");
    assert_true(row.cells[6].num == 45291.25); /* =DATE(2023,12,31)+TIME(6,0,0) */
    assert_text(&row.cells[7], "<raw&>");
    assert_int_equal(row.cells[8].type, EGDI_CELL_BOOL);
    assert_true(row.cells[8].num == 0);
    ctx_done(&c);
}

static const char *const STYLES =
    "<styleSheet><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[Red]0.0&quot;d&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.0%\"/></numFmts>"
    "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"22\"/><xf numFmtId=\"9\"/></cellXfs></styleSheet>";

static void dates_1904_and_styles(void **state)
{
    (void)state;
    ctx c;
    const char *book1904 =
        "<workbook xmlns:r=\"r\"><workbookPr date1904=\"1\"/><sheets>"
        "<sheet name=\"S1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    const char *sheet = "<sheetData><row r=\"1\"><c s=\"1\"><v>0</v></c><c s=\"2\"><v>1.5</v>"
                        "</c><c s=\"3\"><v>0.25</v></c><c s=\"4\"><v>43890.75</v></c>"
                        "<c s=\"5\"><v>1</v></c><c s=\"77\"><v>7</v></c></row></sheetData>";
    open_sheet(&c, sheet, NULL, STYLES, book1904, NULL);
    assert_int_equal(c.st, EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    assert_int_equal(row.ncells, 6);
    /* 1904 system: serial 0 is 1904-01-01 = 1462 days after 1899-12-30 */
    assert_int_equal(row.cells[0].type, EGDI_CELL_DATE);
    assert_true(row.cells[0].num == 1462);
    assert_string_equal(row.cells[0].text, "1904-01-01");
    assert_num(&row.cells[1], 1.5); /* "d" was quoted, [Red] bracketed */
    assert_num(&row.cells[2], 0.25);
    assert_true(row.cells[2].percent);
    assert_int_equal(row.cells[3].type, EGDI_CELL_DATE);
    assert_string_equal(row.cells[3].text, "2024-03-01T18:00:00"); /* 43890.75 + 1462 */
    assert_true(row.cells[4].percent);
    assert_num(&row.cells[5], 7); /* an unknown style is plain */
    ctx_done(&c);

    /* the 1900 system and its fake 1900-02-29 */
    open_sheet(&c, "<sheetData><row><c s=\"1\"><v>1</v></c><c s=\"1\"><v>59</v></c>"
                   "<c s=\"1\"><v>61</v></c></row></sheetData>",
               NULL, STYLES, NULL, NULL);
    assert_int_equal(c.st, EGDI_OK);
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    assert_string_equal(row.cells[0].text, "1900-01-01");
    assert_true(row.cells[0].num == 2);
    assert_string_equal(row.cells[1].text, "1900-02-28");
    assert_string_equal(row.cells[2].text, "1900-03-01");
    assert_true(row.cells[2].num == 61);
    ctx_done(&c);
}

/* Opens a workbook whose sheet must fail; checks status and message part. */
static void sheet_fails(const char *sheet, egdi_status want, const char *msg, uint32_t row,
                        uint32_t col)
{
    ctx c;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.limits.max_cell_bytes = 64;
    o.limits.max_cols = 100;
    o.limits.max_depth = 8;
    o.limits.max_rows = 1000;
    open_sheet(&c, sheet, NULL, NULL, NULL, &o);
    if (c.st == EGDI_OK)
        c.st = drain(c.r, &c.err, NULL);
    if (c.st != want || !strstr(c.err.message, msg))
        fail_msg("%s: got %d \"%s\"", sheet, c.st, c.err.message);
    assert_string_equal(c.err.file, "t.xlsx");
    assert_string_equal(c.err.sheet, "S1");
    assert_int_equal(c.err.row, row);
    assert_int_equal(c.err.col, col);
    ctx_done(&c);
}

static void bad_sheets(void **state)
{
    (void)state;
    sheet_fails("<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet><sheetData/></worksheet>",
                EGDI_ERR_FORMAT, "DOCTYPE", 0, 0);
    sheet_fails("<sheetData><row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row></sheetData>",
                EGDI_ERR_FORMAT, "beyond XFD1048576", 2, 0);
    sheet_fails("<sheetData><row r=\"1048577\"><c><v>1</v></c></row></sheetData>",
                EGDI_ERR_FORMAT, "bad row number", 0, 0);
    sheet_fails("<sheetData><row r=\"1001\"><c><v>1</v></c></row></sheetData>",
                EGDI_ERR_LIMIT, "more rows than the limit", 1001, 0);
    sheet_fails("<sheetData><row><c r=\"A1001\"><v>1</v></c></row></sheetData>",
                EGDI_ERR_LIMIT, "more rows than the limit", 1001, 0);
    sheet_fails("<sheetData><row r=\"3\"><c r=\"CW3\"><v>1</v></c></row></sheetData>",
                EGDI_ERR_LIMIT, "more columns", 3, 101);
    sheet_fails("<sheetData><row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>"
                "0123456789012345678901234567890123456789012345678901234567890123456789"
                "</t></is></c></row></sheetData>",
                EGDI_ERR_LIMIT, "longer than the limit", 4, 2);
    sheet_fails("<sheetData><row r=\"5\"><c r=\"C5\" t=\"str\"><v>\xC3\x28</v></c></row>"
                "</sheetData>",
                EGDI_ERR_ENCODING, "UTF-8", 5, 3);
    sheet_fails("<sheetData><row r=\"6\"><c r=\"A6\"><v>1x</v></c></row></sheetData>",
                EGDI_ERR_FORMAT, "\"1x\" is not a number", 6, 1);
    sheet_fails("<sheetData><row r=\"7\"><c r=\"A6\"><v>1</v></c></row></sheetData>",
                EGDI_ERR_FORMAT, "not in row 7", 7, 1);
    sheet_fails("<sheetData><row r=\"8\"><c r=\"A8\" t=\"s\"><v>0</v></c></row></sheetData>",
                EGDI_ERR_FORMAT, "shared string index \"0\"", 8, 1);
    sheet_fails("<sheetData><row r=\"9\"><c r=\"A9\"><v>1</v></row></sheetData>",
                EGDI_ERR_FORMAT, "does not match", 9, 0);
    sheet_fails("<sheetData><row r=\"2\"><c><v>1</v></c></row><row r=\"2\"><c><v>1</v></c>"
                "</row></sheetData>",
                EGDI_ERR_FORMAT, "out of order", 2, 0);
    sheet_fails("<sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>a &bogus; b</t></is></c>"
                "</row></sheetData>",
                EGDI_ERR_FORMAT, "entity \"&bogus;\"", 1, 1);
    sheet_fails("<worksheet><sheetData><row r=\"1\"><c><v>1</v></c></row>", EGDI_ERR_FORMAT,
                "ends inside <sheetData>", 0, 0);
    sheet_fails("<sheetData><row><c><is><r><a><b><c><d><e><f>x</f></e></d></c></b></a></r>"
                "</is></c></row></sheetData>",
                EGDI_ERR_LIMIT, "nests deeper", 1, 0);
}

/* A cell is read as the file says, or refused (issue 19, item 8): two
 * values are not joined into one number, a value holds no element, an
 * inline string given in <v> is its text, and a formula without a cached
 * value is never read as empty. */
static void cells_as_the_file_says(void **state)
{
    (void)state;
    sheet_fails("<sheetData><row r=\"2\"><c r=\"B2\"><v>5</v><v>6</v></c></row></sheetData>",
                EGDI_ERR_FORMAT, "the cell has two values", 2, 2);
    sheet_fails("<sheetData><row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>a</t></is>"
                "<v>6</v></c></row></sheetData>",
                EGDI_ERR_FORMAT, "the cell has two values", 2, 2);
    sheet_fails("<sheetData><row r=\"3\"><c r=\"A3\"><v>5<b/>6</v></c></row></sheetData>",
                EGDI_ERR_FORMAT, "an element <b> inside a cell's value", 3, 1);
    sheet_fails("<sheetData><row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>a<x>b</x></t>"
                "</is></c></row></sheetData>",
                EGDI_ERR_FORMAT, "an element <x> inside a cell's value", 3, 1);
    sheet_fails("<sheetData><row r=\"4\"><c r=\"C4\"><f>1+2</f></c></row></sheetData>",
                EGDI_ERR_FORMAT, "a formula without a cached value", 4, 3);
    sheet_fails("<sheetData><row r=\"4\"><c r=\"C4\"><f t=\"shared\" si=\"0\"/></c></row>"
                "</sheetData>",
                EGDI_ERR_FORMAT, "open and save it in a spreadsheet", 4, 3);
    ctx c;
    open_sheet(&c,
               "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><v>nm</v></c>"
               "<c r=\"B1\"><f>1+2</f><v>3</v></c><c r=\"C1\"><f t=\"shared\" si=\"0\"/>"
               "<v>4</v></c><c r=\"D1\" t=\"str\"><f>\"\"</f><v></v></c>"
               "<c r=\"E1\" t=\"inlineStr\"><is><r><t>a</t></r><r><t>b</t></r></is></c>"
               "</row></sheetData>",
               NULL, NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    assert_int_equal(row.ncells, 5);
    assert_text(&row.cells[0], "nm");
    assert_num(&row.cells[1], 3);
    assert_num(&row.cells[2], 4);
    assert_int_equal(row.cells[3].type, EGDI_CELL_EMPTY); /* a cached empty text */
    assert_text(&row.cells[4], "ab");                     /* rich text runs */
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_DONE);
    ctx_done(&c);
}

/* A sheet changed after it was saved fails its CRC (item 7), also when the
 * change is before </sheetData> and the scanner needs nothing after it. */
static void crc_checked(void **state)
{
    (void)state;
    const char *sheet = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
                        "<is><t>D1</t></is></c></row></sheetData><pageMargins/></worksheet>";
    size_t n;
    store_entries = true;
    unsigned char *z = book_zip(sheet, NULL, NULL, NULL, &n);
    store_entries = false;
    /* the zip stores the sheet: change it */
    unsigned char *p = NULL;
    for (size_t i = 0; i + 4 <= n && !p; i++)
        if (memcmp(z + i, ">D1<", 4) == 0)
            p = z + i + 1;
    assert_non_null(p);
    egdi_reader *r;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_reader_open_mem(&r, z, n, "t.xlsx", NULL, &err), EGDI_OK);
    assert_int_equal(drain(r, &err, NULL), EGDI_DONE); /* as saved: fine */
    egdi_reader_close(r);
    p[0] = 'X';
    assert_int_equal(egdi_reader_open_mem(&r, z, n, "t.xlsx", NULL, &err), EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_string_equal(row.cells[0].text, "X1");
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_ERR_FORMAT);
    assert_non_null(strstr(err.message, "sheet1.xml fails its CRC check"));
    assert_string_equal(err.file, "t.xlsx");
    egdi_reader_close(r);
    free(z);
}

/* Shared strings are capped by what the sheets can use (item 4): a small
 * sheet and 100,000 empty strings are refused; as many strings used by as
 * many cells are read. */
static void shared_strings_capped(void **state)
{
    (void)state;
    size_t k = 100000;
    char *sst = malloc(k * 5 + 16);
    assert_non_null(sst);
    strcpy(sst, "<sst>");
    for (size_t i = 0; i < k; i++)
        memcpy(sst + 5 + i * 5, "<si/>", 5);
    strcpy(sst + 5 + k * 5, "</sst>");
    ctx c;
    open_sheet(&c, "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                   "</sheetData>",
               sst, NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_ERR_LIMIT);
    assert_non_null(strstr(c.err.message, "more than the cells of the workbook's sheets can use"));
    ctx_done(&c);
    /* 100,000 cells referring to them: fine */
    size_t cap = k * 64 + 64, len = 0; /* a row is at most 58 bytes */
    char *sheet = malloc(cap);
    assert_non_null(sheet);
    len += (size_t)snprintf(sheet, cap, "<sheetData>");
    for (size_t i = 0; i < k; i++)
        len += (size_t)snprintf(sheet + len, cap - len,
                                "<row r=\"%zu\"><c r=\"A%zu\" t=\"s\"><v>%zu</v></c></row>",
                                i + 1, i + 1, i);
    snprintf(sheet + len, cap - len, "</sheetData>");
    open_sheet(&c, sheet, sst, NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_OK);
    size_t rows;
    assert_int_equal(drain(c.r, &c.err, &rows), EGDI_DONE);
    assert_int_equal(rows, 0); /* (empty strings: rows with nothing) */
    ctx_done(&c);
    free(sheet);
    free(sst);
}

static void bad_containers(void **state)
{
    (void)state;
    egdi_reader *r;
    egdi_error err;
    size_t n;
    /* truncated */
    unsigned char *z = book_zip("<sheetData/>", NULL, NULL, NULL, &n);
    assert_int_equal(egdi_reader_open_mem(&r, z, n / 2, "cut.xlsx", NULL, &err),
                     EGDI_ERR_FORMAT);
    assert_string_equal(err.file, "cut.xlsx");
    assert_non_null(strstr(err.message, "cannot open the workbook"));
    free(z);
    /* a zip that is not a workbook */
    entry notbook[] = {{"readme.txt", "hello"}};
    z = make_zip(notbook, 1, &n);
    assert_int_equal(egdi_reader_open_mem(&r, z, n, "a.xlsx", NULL, &err), EGDI_ERR_FORMAT);
    assert_string_equal(err.message, "not an XLSX workbook: the zip has no xl/workbook.xml");
    free(z);
    /* a path-like entry name */
    entry evil[] = {{"_rels/.rels", ROOT_RELS}, {"../../etc/passwd", "x"}};
    z = make_zip(evil, 2, &n);
    assert_int_equal(egdi_reader_open_mem(&r, z, n, "e.xlsx", NULL, &err), EGDI_ERR_FORMAT);
    assert_non_null(strstr(err.message, "unsafe path \"../../etc/passwd\""));
    free(z);
    /* a DOCTYPE in workbook.xml */
    ctx c;
    open_sheet(&c, "<sheetData/>", NULL, NULL,
               "<!DOCTYPE lol [<!ENTITY lol \"lol\">]><workbook>&lol;</workbook>", NULL);
    assert_int_equal(c.st, EGDI_ERR_FORMAT);
    assert_string_equal(c.err.message, "xl/workbook.xml: a DOCTYPE is not allowed "
                                       "(DTDs and entities are refused)");
    ctx_done(&c);
    /* malformed shared strings */
    open_sheet(&c, "<sheetData/>", "<sst><si><t>a</si></sst>", NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_ERR_FORMAT);
    assert_non_null(strstr(c.err.message, "xl/sharedStrings.xml: malformed XML at line 1"));
    ctx_done(&c);
}

static void zip_bomb_limits(void **state)
{
    (void)state;
    size_t big = 300 * 1024;
    char *sheet = malloc(big + 1);
    const char *head = "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>";
    const char *tail = "</t></is></c></row></sheetData></worksheet>";
    memset(sheet, 'a', big);
    memcpy(sheet, head, strlen(head));
    memcpy(sheet + big - strlen(tail), tail, strlen(tail) + 1);
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.limits.max_unzipped = 100 * 1024;
    ctx c;
    open_sheet(&c, sheet, NULL, NULL, NULL, &o);
    assert_int_equal(c.st, EGDI_ERR_LIMIT);
    assert_string_equal(c.err.message, "xl/worksheets/sheet1.xml would inflate to 307200 "
                                       "bytes, over the limit of 102400");
    assert_string_equal(c.err.sheet, "S1");
    ctx_done(&c);
    egdi_read_opts_init(&o);
    o.limits.max_ratio = 50;
    open_sheet(&c, sheet, NULL, NULL, NULL, &o);
    assert_int_equal(c.st, EGDI_ERR_LIMIT);
    assert_non_null(strstr(c.err.message, "over the limit of 50 (a zip bomb?)"));
    ctx_done(&c);
    /* with the default limits the long text is refused as a cell */
    open_sheet(&c, sheet, NULL, NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_OK);
    assert_int_equal(drain(c.r, &c.err, NULL), EGDI_ERR_LIMIT);
    assert_non_null(strstr(c.err.message, "cell text is longer than the limit"));
    ctx_done(&c);
    free(sheet);
}

static void absolute_targets_and_prefixes(void **state)
{
    (void)state;
    entry e[] = {
        {"_rels/.rels", ROOT_RELS},
        {"xl/workbook.xml", "<x:workbook xmlns:x=\"m\" xmlns:r=\"r\"><x:sheets>"
                            "<x:sheet name=\"A\" sheetId=\"1\" r:id=\"rId7\"/></x:sheets>"
                            "</x:workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships><Relationship Id=\"rId7\" Type=\"t/worksheet\" "
         "Target=\"/xl/worksheets/../worksheets/s.xml\"/><Relationship Id=\"rId8\" "
         "Type=\"t/sharedStrings\" Target=\"/xl/missing.xml\"/></Relationships>"},
        {"xl/worksheets/s.xml", "\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><x:worksheet "
                                "xmlns:x=\"m\"><x:sheetData><x:row r=\"2\"><x:c r=\"b2\">"
                                "<x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>"}};
    size_t n;
    unsigned char *z = make_zip(e, 4, &n);
    egdi_reader *r;
    egdi_error err;
    egdi_row row;
    assert_int_equal(egdi_reader_open_mem(&r, z, n, "p.xlsx", NULL, &err), EGDI_OK);
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 2);
    assert_int_equal(row.ncells, 2);
    assert_num(&row.cells[1], 7);
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_DONE);
    egdi_reader_close(r);
    free(z);
}

/* A sheet big enough to be inflated on the second thread, read whole and
 * also closed half-way. */
static void large_sheet_threaded(void **state)
{
    (void)state;
    size_t rows = 40000, cap = rows * 128 + 200, k = 0;
    char *xml = malloc(cap);
    k += (size_t)snprintf(xml + k, cap - k, "<worksheet><sheetData>");
    for (size_t i = 1; i <= rows; i++)
        k += (size_t)snprintf(xml + k, cap - k,
                              "<row r=\"%zu\"><c r=\"A%zu\"><v>%zu</v></c><c r=\"C%zu\" "
                              "t=\"inlineStr\"><is><t>r%zu</t></is></c></row>",
                              i, i, i, i, i % 7);
    k += (size_t)snprintf(xml + k, cap - k, "</sheetData></worksheet>");
    assert_true(k < cap && k > (1u << 20));
    ctx c;
    open_sheet(&c, xml, NULL, NULL, NULL, NULL);
    assert_int_equal(c.st, EGDI_OK);
    egdi_row row;
    double sum = 0;
    size_t n = 0;
    uint64_t done, total, last = 0;
    assert_true(egdi_reader_position(c.r, &done, &total));
    assert_int_equal(total, k); /* the sheet's XML, unzipped */
    while ((c.st = egdi_reader_next(c.r, &row, &c.err)) == EGDI_OK) {
        n++;
        /* the XML handed to the scanner: growing, a buffer ahead */
        assert_true(egdi_reader_position(c.r, &done, &total));
        assert_true(done >= last && done <= total && done > 0);
        if (n == rows / 2)
            assert_true(done < total);
        last = done;
        assert_int_equal(row.number, n);
        assert_int_equal(row.ncells, 3);
        assert_int_equal(row.cells[1].type, EGDI_CELL_EMPTY);
        assert_int_equal(row.cells[2].len, 2);
        sum += row.cells[0].num;
    }
    assert_int_equal(c.st, EGDI_DONE);
    assert_int_equal(n, rows);
    assert_true(sum == 40000.0 * 40001.0 / 2);
    assert_true(egdi_reader_position(c.r, &done, &total));
    assert_int_equal(done, total);
    ctx_done(&c);
    open_sheet(&c, xml, NULL, NULL, NULL, NULL);
    assert_int_equal(egdi_reader_next(c.r, &row, &c.err), EGDI_OK);
    ctx_done(&c); /* the inflating thread is stopped */
    free(xml);
}

/* The committed fixtures (tests/data/xlsx, made by make_odd.py and
 * make_xlsxwriter.c there) that the CLI tests and fuzz seeds use. */
static void committed_files(void **state)
{
    (void)state;
    egdi_reader *r;
    egdi_error err;
    egdi_row row;
    assert_int_equal(egdi_reader_open(&r, "tests/data/xlsx/odd.xlsx", NULL, &err), EGDI_OK);
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.ncells, 4);
    assert_text(&row.cells[3], "share");
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 2);
    assert_text(&row.cells[1], "R&D line1\r\nline2");
    assert_string_equal(row.cells[2].text, "1904-01-01T12:00:00");
    assert_true(row.cells[3].percent);
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 5);
    assert_text(&row.cells[0], "北京 <ok>");
    assert_int_equal(row.cells[1].type, EGDI_CELL_EMPTY);
    assert_string_equal(row.cells[2].text, "2024-03-01T12:00:00");
    assert_int_equal(row.cells[3].type, EGDI_CELL_ERROR);
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_DONE);
    egdi_reader_close(r);

    /* units.xlsx: shared strings as Excel writes them */
    assert_int_equal(egdi_reader_open(&r, "tests/data/xlsx/units.xlsx", NULL, &err), EGDI_OK);
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_text(&row.cells[4], "level");
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.ncells, 5);
    assert_text(&row.cells[1], "省本级");
    assert_int_equal(row.cells[3].type, EGDI_CELL_EMPTY);
    assert_num(&row.cells[4], 1);
    size_t rows;
    assert_int_equal(drain(r, &err, &rows), EGDI_DONE);
    assert_int_equal(rows, 2);
    egdi_reader_close(r);

    static const struct {
        const char *file;
        egdi_status st;
        const char *msg;
    } bad[] = {
        {"bad_doctype", EGDI_ERR_FORMAT, "the sheet XML has a DOCTYPE; DTDs and entities are "
                                         "refused"},
        {"bad_utf8", EGDI_ERR_ENCODING, "invalid UTF-8 in a cell"},
        {"beyond_xfd", EGDI_ERR_FORMAT, "bad cell reference \"XFE2\" (beyond XFD1048576 or not "
                                        "A1 style)"},
        {"bomb", EGDI_ERR_LIMIT, "xl/worksheets/sheet1.xml would inflate 1019 times its "
                                 "compressed size, over the limit of 1000 (a zip bomb?)"},
        {"evil_path", EGDI_ERR_FORMAT, "the zip holds an entry with an unsafe path "
                                       "\"../../evil.txt\""},
        {"not_xlsx", EGDI_ERR_FORMAT, "not an XLSX workbook: the zip has no xl/workbook.xml"},
        {"truncated", EGDI_ERR_FORMAT, "cannot open the workbook: Not a zip archive (is it "
                                       "truncated?)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "tests/data/xlsx/%s.xlsx", bad[i].file);
        egdi_status st = egdi_reader_open(&r, path, NULL, &err);
        if (st == EGDI_OK) {
            st = drain(r, &err, NULL);
            egdi_reader_close(r);
        }
        assert_int_equal(st, bad[i].st);
        assert_string_equal(err.message, bad[i].msg);
        assert_string_equal(err.file, path);
    }
}

/* ---- helpers of the scanner ------------------------------------------------- */

static void numbers_match_strtod(void **state)
{
    (void)state;
    const char *fixed[] = {"0",    "-0",    "1",          "0.1",     "123.456", "1e22",
                           "1e23", "1E-5",  "-2.5e-7",    "9007199254740993",
                           "0.30000000000000004",         "4.9406564584124654e-324",
                           "1.7976931348623157e308",      "123456789012345678901234",
                           ".5",   "5.",    "+3",         "00012.5000"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        double a, b = strtod(fixed[i], NULL);
        assert_true(egdi_xlsx_parse_number(fixed[i], strlen(fixed[i]), &a));
        assert_memory_equal(&a, &b, sizeof a);
    }
    const char *bad[] = {"", "-", "1e", "1.2.3", "inf", "nan", " 1", "1 ", "0x10", ".",
                         "1e999", "-2e308"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double a;
        assert_false(egdi_xlsx_parse_number(bad[i], strlen(bad[i]), &a));
    }
    /* random short decimals: bit-identical to strtod */
    uint64_t seed = 88172645463325252ull;
    for (int i = 0; i < 200000; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        char s[64];
        int nd = (int)(seed % 19) + 1, dot = (int)((seed >> 8) % (uint64_t)(nd + 1));
        size_t k = 0;
        if ((seed >> 16) & 1)
            s[k++] = '-';
        uint64_t d = seed >> 20;
        for (int j = 0; j < nd; j++) {
            if (j == dot && j > 0)
                s[k++] = '.';
            s[k++] = (char)('0' + (d % 10));
            d = d / 10 ? d / 10 : seed;
        }
        if ((seed >> 40) % 4 == 0)
            k += (size_t)snprintf(s + k, sizeof s - k, "e%d", (int)((seed >> 44) % 60) - 30);
        s[k] = '\0';
        double a, b = strtod(s, NULL);
        assert_true(egdi_xlsx_parse_number(s, k, &a));
        if (memcmp(&a, &b, sizeof a) != 0)
            fail_msg("%s: %.17g != strtod %.17g", s, a, b);
    }
}

static void escapes_utf8_dates(void **state)
{
    (void)state;
    char s[] = "a_x0041__x00e9__xD83D__xDE00_b_x12__x0000__xDC00_";
    size_t n = egdi_xlsx_unescape(s, strlen(s));
    s[n] = '\0';
    assert_string_equal(s, "aA\xC3\xA9\xF0\x9F\x98\x80" "b_x12__x0000__xDC00_");
    assert_true(egdi_xlsx_utf8_valid("中文 ok", strlen("中文 ok")));
    assert_false(egdi_xlsx_utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(egdi_xlsx_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(egdi_xlsx_utf8_valid("abcdefg\xE4\xB8", 9));  /* cut */
    assert_false(egdi_xlsx_utf8_valid("abcdefgh\0ijklmnop", 17)); /* NUL */
    assert_false(egdi_xlsx_utf8_valid("ab\0", 3));
    char d[32];
    assert_true(egdi_xlsx_format_date(45352, d));
    assert_string_equal(d, "2024-03-01");
    assert_true(egdi_xlsx_format_date(45352.999999, d)); /* rounds to the next day */
    assert_string_equal(d, "2024-03-02");
    assert_true(egdi_xlsx_format_date(2958465.5, d));
    assert_string_equal(d, "9999-12-31T12:00:00");
    assert_false(egdi_xlsx_format_date(3e6, d));
    assert_true(egdi_xlsx_serial_days(60, false) == 60);
    assert_true(egdi_xlsx_serial_days(59, false) == 60);
    assert_true(egdi_xlsx_serial_days(0, true) == 1462);
}

/* egdi_reader_next_small on workbooks (reader.c fills small from the cells)
 * agrees with egdi_reader_next: the committed files, and a sheet of numbers
 * that are (3, 254, "7" as text) and are not small (255, 3.5, -0, 100 %, a
 * date, a boolean, -1), with a numeric literal longer than Excel's
 * character limit whose value is 3 (it must fail the limit either way). */
static void small_numbers(void **state)
{
    (void)state;
    static const char *const files[] = {"basic.xlsx", "inline.xlsx", "odd.xlsx", "units.xlsx",
                                        "bad_utf8.xlsx", "beyond_xfd.xlsx", "truncated.xlsx"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[256];
        snprintf(path, sizeof path, "tests/data/xlsx/%s", files[f]);
        egdi_reader *r1, *r2;
        egdi_error e;
        if (egdi_reader_open(&r1, path, NULL, &e) != EGDI_OK)
            continue; /* (files that fail at open: no rows to compare) */
        assert_int_equal(egdi_reader_open(&r2, path, NULL, &e), EGDI_OK);
        egdi_status fin;
        (void)compare_small_readers(r1, r2, &fin);
        egdi_reader_close(r1);
        egdi_reader_close(r2);
    }
    egdi_reader *q1, *q2;
    egdi_error e;
    egdi_status fin;
    egdi_read_opts qo;
    egdi_read_opts_init(&qo);
    qo.sheet = "2"; /* the answers */
    assert_int_equal(egdi_reader_open(&q1, "tests/data/survey/questionnaire.xlsx", &qo, &e),
                     EGDI_OK);
    assert_int_equal(egdi_reader_open(&q2, "tests/data/survey/questionnaire.xlsx", &qo, &e),
                     EGDI_OK);
    assert_true(compare_small_readers(q1, q2, &fin) > 1000); /* the answers */
    assert_int_equal(fin, EGDI_DONE);
    egdi_reader_close(q1);
    egdi_reader_close(q2);

    const char *sheet =
        "<sheetData><row r=\"1\"><c r=\"A1\"><v>3</v></c><c r=\"B1\"><v>254</v></c>"
        "<c r=\"C1\"><v>255</v></c><c r=\"D1\"><v>3.5</v></c><c r=\"E1\"><v>-0</v></c>"
        "<c r=\"F1\" s=\"5\"><v>1</v></c><c r=\"G1\" s=\"1\"><v>45000</v></c>"
        "<c r=\"H1\" t=\"b\"><v>1</v></c><c r=\"I1\" t=\"inlineStr\"><is><t>7</t></is></c>"
        "<c r=\"J1\"><v>-1</v></c></row></sheetData>";
    static const unsigned want[] = {3, 254, EGDI_SMALL_NONE, EGDI_SMALL_NONE, EGDI_SMALL_NONE,
                                    EGDI_SMALL_NONE, EGDI_SMALL_NONE, EGDI_SMALL_NONE, 7,
                                    EGDI_SMALL_NONE};
    ctx c1, c2;
    open_sheet(&c1, sheet, NULL, STYLES, NULL, NULL);
    open_sheet(&c2, sheet, NULL, STYLES, NULL, NULL);
    assert_int_equal(c1.st, EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next_small(c2.r, &row, &e), EGDI_OK);
    assert_int_equal(row.ncells, 10);
    for (size_t j = 0; j < 10; j++)
        assert_int_equal(row.small[j], want[j]);
    ctx_done(&c2);
    open_sheet(&c2, sheet, NULL, STYLES, NULL, NULL);
    (void)compare_small_readers(c1.r, c2.r, &fin);
    assert_int_equal(fin, EGDI_DONE);
    ctx_done(&c1);
    ctx_done(&c2);

    size_t zeros = 40000;
    char *longlit = malloc(zeros + 200);
    assert_non_null(longlit);
    int k = snprintf(longlit, 200, "<sheetData><row r=\"1\"><c r=\"A1\"><v>");
    memset(longlit + k, '0', zeros);
    snprintf(longlit + k + zeros, 200, "3</v></c></row></sheetData>");
    open_sheet(&c1, longlit, NULL, NULL, NULL, NULL);
    open_sheet(&c2, longlit, NULL, NULL, NULL, NULL);
    assert_int_equal(c1.st, EGDI_OK);
    (void)compare_small_readers(c1.r, c2.r, &fin);
    assert_int_equal(fin, EGDI_ERR_LIMIT);
    ctx_done(&c1);
    ctx_done(&c2);
    free(longlit);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shared_strings_book),
        cmocka_unit_test(constant_memory_book),
        cmocka_unit_test(lying_dimension_and_missing_refs),
        cmocka_unit_test(odd_markup),
        cmocka_unit_test(text_decoding),
        cmocka_unit_test(dates_1904_and_styles),
        cmocka_unit_test(bad_sheets),
        cmocka_unit_test(cells_as_the_file_says),
        cmocka_unit_test(crc_checked),
        cmocka_unit_test(shared_strings_capped),
        cmocka_unit_test(bad_containers),
        cmocka_unit_test(zip_bomb_limits),
        cmocka_unit_test(absolute_targets_and_prefixes),
        cmocka_unit_test(large_sheet_threaded),
        cmocka_unit_test(committed_files),
        cmocka_unit_test(numbers_match_strtod),
        cmocka_unit_test(escapes_utf8_dates),
        cmocka_unit_test(small_numbers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
