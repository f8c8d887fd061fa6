/*
 * fuzz_scales.c - libFuzzer target: bytes -> the scales table reader
 * (engine/import/scales.c, `egdi survey --scales FILE`), as CSV from memory and,
 * when the bytes start like a zip, as XLSX.  The callback checks the
 * reader's promises: scale and item are non-blank NUL-terminated text,
 * row numbers increase and the item column is a real column.  Every fifth
 * item is refused with an error, as an unknown item would be, so the stop
 * path runs too.
 * Seed corpus: tests/fuzz/corpus/scales/.  `make fuzz FUZZ=scales` runs it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/readers/reader.h"
#include "engine/import/scales.h"
#include "engine/core/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    uint32_t last_row;
    size_t n;
} seen;

static egdi_status row_cb(void *ctx, const char *scale, const char *item, bool reversed,
                          uint32_t row, uint32_t item_col, egdi_error *err)
{
    seen *s = ctx;
    (void)reversed;
    if (!scale || !item || egdi_value_blank(scale, strlen(scale)) ||
        egdi_value_blank(item, strlen(item)) || row <= s->last_row || item_col == 0)
        abort();
    s->last_row = row;
    if (++s->n % 5 == 0)
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "item \"%s\" refused", item);
    return EGDI_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = size >= 2 && data[0] == 'P' && data[1] == 'K' ? EGDI_FMT_XLSX : EGDI_FMT_CSV;
    o.limits.max_unzipped = 16u << 20;
    egdi_reader *r = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_reader_open_mem(&r, data, size, "fuzz-scales", &o, &err) != EGDI_OK)
        return 0;
    seen s = {0, 0};
    egdi_status st = egdi_scales_read(r, "fuzz-scales", size % 2 ? EGDI_SCALES_ONE : 0, row_cb,
                                      &s, &err);
    if (st != EGDI_OK && err.message[0] == '\0')
        abort(); /* every failure says why */
    egdi_reader_close(r);
    return 0;
}
