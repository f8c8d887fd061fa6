/*
 * fuzz_model.c - libFuzzer target: bytes -> the model loader (one CSV with
 * [settings] / [catalogue] / [stages] markers, from memory).  A loaded
 * model is also turned into its canonical form and scored on one unit, so
 * the checks that let a model through are exercised downstream too.
 * Seed corpus: tests/fuzz/corpus/model/.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "indicators/model.h"
#include "indicators/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    egdi_model *m = NULL;
    egdi_model_problems p;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_model_load_mem(&m, data, size, "fuzz.csv", &p, &err) == EGDI_OK) {
        char *text = NULL;
        size_t len = 0;
        if (egdi_model_canonical(m, &text, &len, &err) == EGDI_OK)
            free(text);
        double *raw = malloc(m->nnodes * sizeof *raw);
        if (raw) {
            for (size_t i = 0; i < m->nnodes; i++)
                raw[i] = egdi_node_is_leaf(&m->nodes[i]) ? (double)(i % 7) : NAN;
            egdi_score_unit u = {"U", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN};
            egdi_score_input in = {1, &u, raw};
            egdi_score_result *r = NULL;
            if (egdi_score_run(m, &in, &r, &err) == EGDI_OK)
                egdi_score_result_free(r);
            free(raw);
        }
        egdi_model_free(m);
    }
    egdi_model_problems_release(&p);
    return 0;
}
