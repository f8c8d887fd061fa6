/*
 * fuzz_xlsx_parts.c - libFuzzer target for the XML parts of a workbook that
 * fuzz_xlsx reaches poorly (a mutation inside a deflated zip entry rarely
 * survives the inflater and the CRC): the workbook, its relationships, the
 * shared strings, the styles and the sheet.  The input is split at NUL
 * bytes into up to five parts, in that order; a missing part (the input
 * ends first) is a small valid default.  The parts are packed into a zip with stored (unpacked)
 * entries and correct CRCs, built here in memory, and the workbook is read
 * through egdi_reader_open_mem like a file.  Every cell must keep the
 * reader's promises (reader.h).
 * Seed corpus: tests/fuzz/corpus/xlsx_parts/.  `make fuzz FUZZ=xlsx_parts`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "engine/readers/reader.h"
#include "engine/readers/xlsx_sheet_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NPARTS 5

static const char *const part_name[NPARTS] = {
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml",
    "xl/worksheets/sheet1.xml"};

static const char *const part_default[NPARTS] = {
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
    "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/></Relationships>",
    "<sst count=\"2\"><si><t>a</t></si><si><r><t>b</t></r></si></sst>",
    "<styleSheet><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
    "</styleSheet>",
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\">"
    "<v>45000</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>"};

static const char root_rels[] =
    "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

typedef struct {
    uint8_t *p;
    size_t n;
} buf;

static void put(buf *b, const void *s, size_t n)
{
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void put16(buf *b, uint32_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(b, x, 2);
}

static void put32(buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

/* One header (local when central is 0) of a stored entry. */
static void header(buf *b, int central, const char *name, const uint8_t *d, size_t n,
                   uint32_t offset)
{
    uint32_t crc = (uint32_t)crc32(0L, d, (uInt)n);
    put32(b, central ? 0x02014b50u : 0x04034b50u);
    if (central)
        put16(b, 20);       /* version made by */
    put16(b, 20);           /* version needed */
    put16(b, 0);            /* flags */
    put16(b, 0);            /* stored */
    put16(b, 0);            /* time */
    put16(b, 0x21);         /* date */
    put32(b, crc);
    put32(b, (uint32_t)n);
    put32(b, (uint32_t)n);
    put16(b, (uint32_t)strlen(name));
    put16(b, 0);            /* extra */
    if (central) {
        put16(b, 0);        /* comment */
        put16(b, 0);        /* disk */
        put16(b, 0);        /* internal attributes */
        put32(b, 0);        /* external attributes */
        put32(b, offset);
    }
    put(b, name, strlen(name));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *pd[NPARTS + 1];
    size_t pn[NPARTS + 1];
    const char *names[NPARTS + 1];
    names[0] = "_rels/.rels";
    pd[0] = (const uint8_t *)root_rels;
    pn[0] = sizeof root_rels - 1;
    size_t at = 0;
    for (int i = 0; i < NPARTS; i++) {
        names[i + 1] = part_name[i];
        if (at < size) {
            const uint8_t *nul = memchr(data + at, 0, size - at);
            size_t end = nul ? (size_t)(nul - data) : size;
            pd[i + 1] = data + at;
            pn[i + 1] = end - at;
            at = nul ? end + 1 : size;
        } else {
            pd[i + 1] = (const uint8_t *)part_default[i];
            pn[i + 1] = strlen(part_default[i]);
        }
    }
    size_t cap = 22;
    for (int i = 0; i <= NPARTS; i++)
        cap += 30 + 46 + 2 * strlen(names[i]) + pn[i];
    buf b = {malloc(cap), 0};
    if (!b.p)
        return 0;
    uint32_t off[NPARTS + 1];
    for (int i = 0; i <= NPARTS; i++) {
        off[i] = (uint32_t)b.n;
        header(&b, 0, names[i], pd[i], pn[i], 0);
        put(&b, pd[i], pn[i]);
    }
    uint32_t cd = (uint32_t)b.n;
    for (int i = 0; i <= NPARTS; i++)
        header(&b, 1, names[i], pd[i], pn[i], off[i]);
    uint32_t cd_size = (uint32_t)b.n - cd;
    put32(&b, 0x06054b50u);
    put16(&b, 0);
    put16(&b, 0);
    put16(&b, NPARTS + 1);
    put16(&b, NPARTS + 1);
    put32(&b, cd_size);
    put32(&b, cd);
    put16(&b, 0);

    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_XLSX;
    o.limits.max_unzipped = 16u << 20;
    o.limits.max_cell_bytes = 4096;
    egdi_reader *r;
    egdi_error err;
    if (egdi_reader_open_mem(&r, b.p, b.n, "fuzz.xlsx", &o, &err) == EGDI_OK) {
        egdi_row row;
        while (egdi_reader_next(r, &row, &err) == EGDI_OK)
            for (size_t i = 0; i < row.ncells; i++) {
                const egdi_cell *c = &row.cells[i];
                if ((c->type == EGDI_CELL_EMPTY) != (c->text == NULL) ||
                    (c->text && (strlen(c->text) != c->len ||
                                 !egdi_xlsx_utf8_valid(c->text, c->len))) ||
                    (i + 1 == row.ncells && c->type == EGDI_CELL_EMPTY))
                    abort();
            }
        egdi_reader_close(r);
    }
    free(b.p);
    return 0;
}
