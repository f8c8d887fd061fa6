/*
 * fuzz_ahp.c - libFuzzer target: bytes -> the AHP comparison-matrix reader
 * (CSV from memory), then the AHP computation on what it read.
 * Seed corpus: tests/fuzz/corpus/ahp/.
 */
#include <stdint.h>
#include <stdlib.h>

#include "engine/readers/reader.h"
#include "indicators/weights.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    egdi_reader *r = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_reader_open_mem(&r, data, size, "fuzz.csv", &o, &err) != EGDI_OK)
        return 0;
    size_t n = 0;
    char **codes = NULL;
    double *a = NULL;
    if (egdi_weights_ahp_read(r, &n, &codes, &a, &err) == EGDI_OK) {
        egdi_ahp_result res;
        egdi_weights_ahp(a, n, &res, &err);
        egdi_weights_ahp_matrix_free(codes, n, a);
    }
    egdi_reader_close(r);
    return 0;
}
