/*
 * fuzz_labels.c - libFuzzer target: bytes -> the answer labels
 * (engine/import/answers.c, `--labels`), both ways a user gives them: as a
 * labels file (CSV from memory, or XLSX when the bytes start like a zip) and
 * as an inline list "1=...,5=..." (the bytes up to the first NUL).  Then the
 * promises of a table read: every label is non-empty NUL-terminated text
 * with a finite value, the count is within EGDI_LABELS_MAX, each label is
 * found again by egdi_answer_labels_code with its value's label, holds no
 * control character, and a copy equals the table (rows too); a scale taken
 * from the first bytes refuses the table exactly when a label's value is
 * outside it (egdi_answer_labels_check_scale, naming its row when it came
 * from the file); every failure says why.
 * Seed corpus: tests/fuzz/corpus/labels/.  `make fuzz FUZZ=labels` runs it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/value.h"
#include "engine/import/answers.h"
#include "engine/readers/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scale check: refuses exactly when a value is outside lo..hi. */
static void check_scale(const egdi_labels *l, const uint8_t *data, size_t size)
{
    double lo = size > 0 ? data[0] % 8 : 1, hi = lo + (size > 1 ? data[1] % 8 : 4);
    bool outside = false;
    for (size_t i = 0; i < l->nlabels; i++)
        outside = outside || !(l->values[i] >= lo && l->values[i] <= hi);
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_answer_labels_check_scale(l, lo, hi, "fuzz-labels", &err);
    if ((st != EGDI_OK) != outside || (st != EGDI_OK && err.message[0] == '\0'))
        abort();
}

static void check(const egdi_labels *l)
{
    if (l->nlabels == 0 || l->nlabels > EGDI_LABELS_MAX)
        abort();
    for (size_t i = 0; i < l->nlabels; i++) {
        const char *t = l->labels[i];
        if (!t || !*t || !isfinite(l->values[i]) || egdi_value_control(t, strlen(t), NULL))
            abort();
        double v;
        /* the label finds a value whose label is the same text */
        if (!egdi_answer_labels_code(l, t, strlen(t), &v))
            abort();
        const char *back = egdi_answer_labels_text(l, v);
        if (!back)
            abort();
    }
    egdi_labels c;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_answer_labels_copy(l, &c, &err) != EGDI_OK)
        abort();
    if (c.nlabels != l->nlabels)
        abort();
    for (size_t i = 0; i < c.nlabels; i++)
        if (c.values[i] != l->values[i] || strcmp(c.labels[i], l->labels[i]) != 0 ||
            (l->rows && c.rows[i] != l->rows[i]))
            abort();
    egdi_answer_labels_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_labels l;

    /* as a file */
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = size >= 2 && data[0] == 'P' && data[1] == 'K' ? EGDI_FMT_XLSX : EGDI_FMT_CSV;
    o.limits.max_unzipped = 16u << 20;
    egdi_reader *r = NULL;
    if (egdi_reader_open_mem(&r, data, size, "fuzz-labels", &o, &err) == EGDI_OK) {
        egdi_status st = egdi_answer_labels_read(r, "fuzz-labels", &l, &err);
        if (st == EGDI_OK) {
            check(&l);
            for (size_t i = 0; i < l.nlabels; i++)
                if (l.rows[i] == 0 || (i && l.rows[i] <= l.rows[i - 1]))
                    abort(); /* each label knows its row, in file order */
            check_scale(&l, data, size);
        }
        else if (err.message[0] == '\0')
            abort(); /* every failure says why */
        egdi_answer_labels_release(&l);
        egdi_reader_close(r);
    }

    /* as an inline list */
    char *list = malloc(size + 1);
    if (!list)
        return 0;
    memcpy(list, data, size);
    list[size] = '\0';
    egdi_error_clear(&err);
    egdi_status st = egdi_answer_labels_parse(list, &l, &err);
    if (st == EGDI_OK) {
        check(&l);
        check_scale(&l, data, size);
    }
    else if (err.message[0] == '\0')
        abort();
    egdi_answer_labels_release(&l);
    free(list);
    return 0;
}
