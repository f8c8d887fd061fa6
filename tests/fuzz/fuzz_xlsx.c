/*
 * fuzz_xlsx.c - libFuzzer target: the bytes as an XLSX workbook in memory
 * (the zip container, the workbook, relationships, shared strings and
 * styles parts, then every row of the first sheet).
 *
 * Build and run (from the top of the tree; csv.c is needed by reader.c):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 \
 *       -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iengine \
 *       -o fuzz_xlsx tests/fuzz/fuzz_xlsx.c engine/readers/reader.c engine/core/error.c \
 *       engine/readers/csv.c engine/readers/xlsx.c engine/readers/xlsx_sheet.c -lzip -lexpat -lcsv -lm
 *   ./fuzz_xlsx -max_total_time=600 -max_len=65536 tests/fuzz/corpus/xlsx
 * `make check` replays the corpus through tests/fuzz/replay.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/readers/reader.h"
#include "engine/readers/xlsx_sheet_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_XLSX;
    o.limits.max_unzipped = 16u << 20; /* keep each input quick */
    o.limits.max_cell_bytes = 4096;
    egdi_reader *r;
    egdi_error err;
    if (egdi_reader_open_mem(&r, data, size, "fuzz.xlsx", &o, &err) != EGDI_OK)
        return 0;
    egdi_row row;
    while (egdi_reader_next(r, &row, &err) == EGDI_OK)
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
    egdi_reader_close(r);
    return 0;
}
