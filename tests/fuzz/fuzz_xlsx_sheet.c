/*
 * fuzz_xlsx_sheet.c - libFuzzer target: the bytes as raw sheet XML, fed
 * straight to the sheet scanner (no zip framing) in 13-byte reads so that
 * tokens split across reads.  The workbook has three shared strings and
 * styles 1 = date, 2 = percent.
 *
 * Oracle: the same XML with every "<c " written "<c\t" skips the scanner's
 * fast path for cells; both runs must give the same rows and the same final
 * status, and every cell must keep the reader's promises (reader.h).
 *
 * Build and run (from the top of the tree):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 \
 *       -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iengine \
 *       -o fuzz_xlsx_sheet tests/fuzz/fuzz_xlsx_sheet.c engine/readers/xlsx_sheet.c \
 *       engine/core/error.c -lm
 *   ./fuzz_xlsx_sheet -max_total_time=600 -dict=tests/fuzz/xlsx_sheet.dict \
 *       tests/fuzz/corpus/xlsx_sheet
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/readers/xlsx_sheet_private.h"

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

/* The reader's promises for one cell. */
static void check_cell(const egdi_row *row, size_t i)
{
    const egdi_cell *c = &row->cells[i];
    if ((c->type == EGDI_CELL_EMPTY) != (c->text == NULL) ||
        (c->text && (strlen(c->text) != c->len || !egdi_xlsx_utf8_valid(c->text, c->len))) ||
        (i + 1 == row->ncells && c->type == EGDI_CELL_EMPTY))
        abort();
}

static bool same_row(const egdi_row *a, const egdi_row *b)
{
    if (a->number != b->number || a->ncells != b->ncells)
        return false;
    for (size_t i = 0; i < a->ncells; i++) {
        const egdi_cell *x = &a->cells[i], *y = &b->cells[i];
        if (x->type != y->type || x->percent != y->percent || x->len != y->len ||
            memcmp(&x->num, &y->num, sizeof x->num) != 0 ||
            (x->text && memcmp(x->text, y->text, x->len) != 0))
            return false;
    }
    return true;
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
    uint8_t *slow = malloc(size ? size : 1);
    if (!slow)
        return 0;
    memcpy(slow, data, size);
    for (size_t i = 0; i + 2 < size; i++)
        if (slow[i] == '<' && slow[i + 1] == 'c' && slow[i + 2] == ' ')
            slow[i + 2] = '\t';
    mem ma = {data, size}, mb = {slow, size};
    egdi_xlsx_sheet *a = NULL, *b = NULL;
    egdi_error ea, eb;
    if (egdi_xlsx_sheet_new(&a, mem_read, &ma, &book, &lim, "f.xlsx", "S", &ea) == EGDI_OK &&
        egdi_xlsx_sheet_new(&b, mem_read, &mb, &book, &lim, "f.xlsx", "S", &eb) == EGDI_OK) {
        egdi_row ra, rb;
        egdi_status sa, sb;
        do {
            sa = egdi_xlsx_sheet_next(a, &ra, &ea);
            sb = egdi_xlsx_sheet_next(b, &rb, &eb);
            if (sa != sb || (sa == EGDI_OK && !same_row(&ra, &rb)))
                abort();
            for (size_t i = 0; sa == EGDI_OK && i < ra.ncells; i++)
                check_cell(&ra, i);
        } while (sa == EGDI_OK);
    }
    egdi_xlsx_sheet_free(a);
    egdi_xlsx_sheet_free(b);
    free(slow);
    return 0;
}
