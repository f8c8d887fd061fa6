/*
 * model_import.c - a model's catalogue as an import's plain description,
 * and the model an import checks against by default (model_import.h).
 *
 * The unit words are a small table keyed by the words of a model's unit
 * text; docs/import.md lists it.  The catalogue copies what it keeps, so
 * the model may be freed before it.
 */
#include "indicators/model_import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/core/value.h"
#include "engine/store/score_runs.h"

/* Unit words by what a model's unit says: a unit text holding `key` (ASCII
 * case ignored) counts, and a number may carry the words. */
static const struct {
    const char *key;
    const char *words;
} count_units[] = {
    {"computers/staff", "台/人|台每人"},
    {"staff/100", "人|名|人/百人"},
    {"datasets", "个|项|个数据集|dataset"},
    {"applications", "个|项|款|application|apps"},
    {"documents", "项|个|部|份|件|document"},
    {"staff", "人|名"},
    {"computers", "台"},
    {"count", "个|项|件"},
    {"个", "个"},
    {"项", "项"},
    {"人", "人|名"},
    {"台", "台"},
    {"件", "件"},
};

/* "... A-B" at the end of unit: *lo, *hi. */
static bool unit_range(const char *unit, double *lo, double *hi)
{
    const char *sp = strrchr(unit, ' ');
    const char *t = sp ? sp + 1 : unit;
    const char *dash = strchr(t + (*t == '-'), '-');
    if (!dash)
        return false;
    const char *why;
    bool pct;
    return egdi_value_number(t, (size_t)(dash - t), lo, &pct, &why) == EGDI_OK && !pct &&
           egdi_value_number(dash + 1, strlen(dash + 1), hi, &pct, &why) == EGDI_OK && !pct &&
           *lo < *hi;
}

static bool holds(const char *text, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = text; *p; p++)
        if (strncasecmp(p, key, n) == 0)
            return true;
    return false;
}

/* The import's view of node n. */
static void describe(const egdi_node *n, egdi_import_indicator *d)
{
    memset(d, 0, sizeof *d);
    d->code = n->code;
    d->name_zh = n->name_zh;
    d->name_en = n->name_en;
    d->unit = n->unit;
    d->applies = (n->applies & EGDI_APPLIES_DEPARTMENT ? EGDI_IMPORT_DEPARTMENT : 0u) |
                 (n->applies & EGDI_APPLIES_REGION ? EGDI_IMPORT_REGION : 0u);
    d->value = EGDI_IMPORT_NUMBER;
    d->lo = -INFINITY;
    d->hi = INFINITY;
    const char *unit = n->unit ? n->unit : "";
    double lo, hi;
    bool leaf = egdi_node_is_leaf(n);
    if (leaf && n->rule == EGDI_RULE_YESNO) {
        d->value = EGDI_IMPORT_YESNO;
        d->lo = 0;
        d->hi = 1;
    } else if (leaf && n->rule == EGDI_RULE_LIKERT) {
        d->value = EGDI_IMPORT_SCALE;
        d->lo = n->scale_min;
        d->hi = n->scale_max;
        d->words = "分|points";
    } else if (strcmp(unit, "%") == 0 || strcasecmp(unit, "percent") == 0) {
        d->value = EGDI_IMPORT_PERCENT;
        d->lo = 0;
        d->hi = 100;
    } else if (unit_range(unit, &lo, &hi)) {
        d->lo = lo;
        d->hi = hi;
        d->words = "分|points";
    } else if (!leaf || n->rule == EGDI_RULE_VALUE) {
        d->lo = 0;
        d->hi = 100;
        d->words = "分|points";
    } else {
        for (size_t i = 0; i < sizeof count_units / sizeof count_units[0]; i++)
            if (holds(unit, count_units[i].key)) {
                d->value = EGDI_IMPORT_COUNT;
                d->lo = 0;
                d->words = count_units[i].words;
                break;
            }
    }
}

egdi_status egdi_model_import_catalogue(const egdi_model *m, egdi_import_catalogue *out,
                                        egdi_error *err)
{
    char text[256];
    snprintf(text, sizeof text, "model %s %s", m->name, m->version);
    egdi_status st = egdi_import_catalogue_init(out, text, err);
    for (size_t j = 0; j < m->nnodes && !st; j++) {
        egdi_import_indicator d;
        describe(&m->nodes[j], &d);
        st = egdi_import_catalogue_add(out, &d, err);
    }
    if (!st && m->region_method == EGDI_REGION_WEIGHTED && m->region_weight &&
        egdi_model_find(m, m->region_weight) < 0) {
        egdi_import_indicator d = {
            .code = m->region_weight,
            .unit = "",
            .value = EGDI_IMPORT_NUMBER,
            .lo = 0,
            .hi = INFINITY,
            .applies = EGDI_IMPORT_DEPARTMENT | EGDI_IMPORT_REGION,
        };
        st = egdi_import_catalogue_add(out, &d, err);
    }
    if (st)
        egdi_import_catalogue_release(out);
    return st;
}

egdi_status egdi_model_import_default(egdi_store *s, egdi_model **out, const char **why,
                                      egdi_error *err)
{
    *out = NULL;
    char *def = NULL;
    size_t len = 0;
    bool found = false;
    egdi_status st = egdi_store_model_latest(s, &found, &def, &len, err);
    if (st)
        return st;
    if (found) {
        st = egdi_model_load_mem(out, def, len, "stored model", NULL, err);
        free(def);
        *why = "the model of the store's latest score run";
        return st;
    }
    *why = "the built-in default";
    return egdi_model_load(out, EGDI_MODEL_DEFAULT, NULL, err);
}
