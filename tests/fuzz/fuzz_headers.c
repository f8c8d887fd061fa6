/*
 * fuzz_headers.c - libFuzzer target: bytes -> the heading matcher
 * (engine/import/header.c) and the text -> number parts an import adds on
 * egdi_value_number (engine/core/value.c: the marks for no value and a
 * number with a unit word).  The bytes are split into lines; each line is
 * a heading matched against a small catalogue and a few fields, and a cell
 * read as a number with a unit.  The promises checked:
 *   - normalising is idempotent and its length fits EGDI_HEADING_MAX;
 *   - a match names a real field or indicator, an ambiguous one two
 *     different ones, a suggestion a real one at a distance of 1 to the
 *     limit for the heading's length; a heading's distance to itself is 0;
 *   - a heading equal to a code matches that code;
 *   - a number with a unit word reads, before the word, exactly what
 *     egdi_value_number reads; without a word it is egdi_value_number;
 *   - a mark for "no value" is never a number;
 *   - a heading finds itself among headings (a survey's --unit-column), and
 *     is a unit heading exactly when its normalised form is.
 * Seed corpus: tests/fuzz/corpus/headers/.  `make fuzz FUZZ=headers` runs it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/value.h"
#include "engine/import/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const egdi_heading_field fields[] = {
    {"code", "code|单位代码|代码|编码", true},
    {"name", "name|单位名称|名称", true},
    {"parent", "parent|上级单位|所属地区", true},
    {"row number", "序号|no.", false},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static void catalogue(egdi_import_catalogue *c)
{
    static const egdi_import_indicator inds[] = {
        {"GIRI5", "数据及时性与准确性", "data timeliness and accuracy", "%",
         EGDI_IMPORT_PERCENT, 0, 100, NULL, 3},
        {"GIRI6", "用户满意度（问卷均值）", "user satisfaction", "Likert 1-5",
         EGDI_IMPORT_SCALE, 1, 5, "分|points", 3},
        {"GIRI3", "开放数据集数量", "open datasets", "datasets", EGDI_IMPORT_COUNT, 0, INFINITY,
         "个|项", 3},
        {"CB1", "覆盖率", "coverage", "%", EGDI_IMPORT_PERCENT, 0, 100, NULL, 1},
        {"X", NULL, NULL, NULL, EGDI_IMPORT_NUMBER, -INFINITY, INFINITY, NULL, 2},
    };
    egdi_import_catalogue_init(c, "fuzz", NULL);
    for (size_t i = 0; i < sizeof inds / sizeof inds[0]; i++)
        if (egdi_import_catalogue_add(c, &inds[i], NULL) != EGDI_OK)
            abort();
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void one(const egdi_import_catalogue *c, const char *t, size_t len)
{
    char n1[EGDI_HEADING_MAX + 1], n2[EGDI_HEADING_MAX + 1];
    size_t l1 = egdi_heading_normalise(t, len, n1, sizeof n1);
    if (l1 > EGDI_HEADING_MAX || strlen(n1) != l1)
        abort();
    size_t l2 = egdi_heading_normalise(n1, l1, n2, sizeof n2);
    if (l2 != l1 || strcmp(n1, n2) != 0)
        abort();
    if (egdi_heading_distance(t, t, 3) != 0)
        abort();

    egdi_heading h;
    egdi_heading_match(t, fields, NFIELDS, c, &h);
    size_t limit_of[3] = {0, NFIELDS, c->n};
    if (h.kind != EGDI_HEADING_NONE) {
        if (h.index >= limit_of[h.kind] || !h.how)
            abort();
        if (h.other_kind != EGDI_HEADING_NONE &&
            (h.other >= limit_of[h.other_kind] ||
             (h.other_kind == h.kind && h.other == h.index)))
            abort();
    } else if (h.near_kind != EGDI_HEADING_NONE) {
        if (h.near >= limit_of[h.near_kind] || !h.near_text || h.distance == 0)
            abort();
    }
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->v[i].code) == len && memcmp(c->v[i].code, t, len) == 0 &&
            !(h.kind == EGDI_HEADING_INDICATOR && h.index == i))
            abort();
    (void)code_points;
    egdi_heading_codelike(t);

    /* the same text as a cell */
    double v, w;
    bool pct, pct2;
    const char *unit, *why;
    size_t ulen;
    egdi_status st = egdi_value_number_unit(t, len, &v, &pct, &unit, &ulen, &why);
    if (st == EGDI_OK) {
        size_t before = ulen ? (size_t)(unit - t) : len;
        if (ulen && (unit < t || unit + ulen > t + len))
            abort();
        if (egdi_value_number(t, before, &w, &pct2, &why) != EGDI_OK || w != v || pct2 != pct)
            abort();
    } else if (!why)
        abort();
    if (egdi_value_missing(t, len) && egdi_value_number(t, len, &w, &pct2, &why) == EGDI_OK)
        abort();
    egdi_heading_in_list(t, len, "个|项|分", '|');

    /* a survey's unit column: a heading finds itself among headings, and a
     * unit heading stays one when its spaces or case change */
    if (len && egdi_heading_find(t, &t, 1) != 0)
        abort();
    const char *pair[2] = {t, t};
    if (len && egdi_heading_find(t, pair, 2) != 0)
        abort(); /* the first exact match */
    if (egdi_heading_is_unit(t) != egdi_heading_is_unit(n1))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    egdi_import_catalogue c;
    catalogue(&c);
    /* a copy with a NUL: the matcher reads NUL-terminated headings */
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *line = buf;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || buf[i] == '\n' || buf[i] == '\0') {
            buf[i] = '\0';
            one(&c, line, strlen(line));
            line = buf + i + 1;
        }
    }
    free(buf);
    egdi_import_catalogue_release(&c);
    return 0;
}
