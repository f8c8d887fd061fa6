/*
 * fuzz_scales.c - libFuzzer target: bytes -> the scales table reader
 * (engine/import/scales.c, `egdi survey --scales FILE`), as CSV from memory and,
 * when the bytes start like a zip, as XLSX.  The callback checks the
 * reader's promises: scale and item are non-blank NUL-terminated text
 * without control characters, row numbers increase and the item column is
 * a real column; and once the read succeeds, no item (ASCII case ignored)
 * came twice with different reversed, nor, with EGDI_SCALES_ONE (odd
 * sizes), in two scales.  Every fifth item is refused with an error, as an
 * unknown item would be, so the stop path runs too (then nothing more is
 * checked).
 * Seed corpus: tests/fuzz/corpus/scales/.  `make fuzz FUZZ=scales` runs it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/readers/reader.h"
#include "engine/import/scales.h"
#include "engine/core/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEEP 256 /* item rows remembered for the consistency check */

typedef struct {
    uint32_t last_row;
    size_t n;
    char *item[KEEP], *scale[KEEP];
    bool rev[KEEP];
} seen;

static egdi_status row_cb(void *ctx, const char *scale, const char *item, bool reversed,
                          uint32_t row, uint32_t item_col, egdi_error *err)
{
    seen *s = ctx;
    (void)reversed;
    if (!scale || !item || egdi_value_blank(scale, strlen(scale)) ||
        egdi_value_blank(item, strlen(item)) || row <= s->last_row || item_col == 0 ||
        egdi_value_control(scale, strlen(scale), NULL) ||
        egdi_value_control(item, strlen(item), NULL))
        abort();
    s->last_row = row;
    if (s->n < KEEP) {
        s->item[s->n] = strdup(item);
        s->scale[s->n] = strdup(scale);
        s->rev[s->n] = reversed;
    }
    if (++s->n % 5 == 0)
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "item \"%s\" refused", item);
    return EGDI_OK;
}

/* After a successful read: each item said one way (and in one scale). */
static void consistent(const seen *s, bool one)
{
    size_t n = s->n < KEEP ? s->n : KEEP;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++) {
            if (!s->item[i] || !s->item[k] || strcasecmp(s->item[i], s->item[k]) != 0)
                continue;
            if (s->rev[i] != s->rev[k] || (one && strcmp(s->scale[i], s->scale[k]) != 0))
                abort();
        }
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
    seen *s = calloc(1, sizeof *s);
    if (!s) {
        egdi_reader_close(r);
        return 0;
    }
    bool one = size % 2;
    egdi_status st = egdi_scales_read(r, "fuzz-scales", one ? EGDI_SCALES_ONE : 0, row_cb, s,
                                      &err);
    if (st != EGDI_OK && err.message[0] == '\0')
        abort(); /* every failure says why */
    if (st == EGDI_OK)
        consistent(s, one);
    for (size_t i = 0; i < KEEP; i++) {
        free(s->item[i]);
        free(s->scale[i]);
    }
    free(s);
    egdi_reader_close(r);
    return 0;
}
