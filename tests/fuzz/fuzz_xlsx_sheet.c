/*
 * fuzz_xlsx_sheet.c - libFuzzer target: the bytes as raw sheet XML, fed
 * straight to the sheet scanner (no zip framing) in 13-byte reads so that
 * tokens split across reads.  The workbook has three shared strings and
 * styles 1 = date, 2 = percent.
 *
 * Build and run (from the top of the tree):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
 *       -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iengine \
 *       -o fuzz_xlsx_sheet tests/fuzz/fuzz_xlsx_sheet.c engine/xlsx_sheet.c \
 *       engine/error.c -lm
 *   ./fuzz_xlsx_sheet -max_total_time=600 -dict=tests/fuzz/xlsx_sheet.dict \
 *       tests/fuzz/corpus/xlsx_sheet
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <string.h>

#include "xlsx_sheet.h"

#define READ_SIZE 13

typedef struct {
    const uint8_t *p;
    size_t n;
} mem;

static egdi_status mem_read(void *ctx, char *buf, size_t cap, size_t *got, egdi_error *err)
{
    (void)err;
    mem *m = ctx;
    size_t k = m->n < cap ? m->n : cap;
    if (k > READ_SIZE)
        k = READ_SIZE;
    memcpy(buf, m->p, k);
    m->p += k;
    m->n -= k;
    *got = k;
    return EGDI_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sst[] = "alpha\0\0中文";
    static const size_t sst_off[] = {0, 6, 7};
    static const uint32_t sst_len[] = {5, 0, 6};
    static const uint8_t xf[] = {0, EGDI_XLSX_XF_DATE, EGDI_XLSX_XF_PERCENT};
    egdi_xlsx_book book = {sst, sst_off, sst_len, 3, xf, 3, size > 0 && data[0] == ' '};
    egdi_limits lim = {.max_unzipped = 1u << 20, .max_ratio = 100, .max_cell_bytes = 256,
                       .max_depth = 16, .max_cols = 1000, .max_rows = 100000};
    mem m = {data, size};
    egdi_xlsx_sheet *s;
    egdi_error err;
    if (egdi_xlsx_sheet_new(&s, mem_read, &m, &book, &lim, "fuzz.xlsx", "S", &err) != EGDI_OK)
        return 0;
    egdi_row row;
    while (egdi_xlsx_sheet_next(s, &row, &err) == EGDI_OK)
        for (size_t i = 0; i < row.ncells; i++) {
            const egdi_cell *c = &row.cells[i];
            /* the reader's promises: text is NUL-terminated valid UTF-8 of length len,
               EMPTY cells have none, the last cell is not EMPTY */
            if ((c->type == EGDI_CELL_EMPTY) != (c->text == NULL) ||
                (c->text && (strlen(c->text) != c->len ||
                             !egdi_xlsx_utf8_valid(c->text, c->len))) ||
                (i + 1 == row.ncells && c->type == EGDI_CELL_EMPTY))
                abort();
        }
    egdi_xlsx_sheet_free(s);
    return 0;
}
