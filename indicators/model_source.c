/*
 * model_source.c - a leaf computed from a survey: reading, checking and
 * writing back the catalogue columns source, scale, items, statistic,
 * min_n, min_alpha, item_analysis, min_kmo, gate and conflict (model.h,
 * docs/models.md).  Only what the table says is checked here (`egdi model
 * check`); whether the survey, its scale and its items exist is known at
 * score time (indicators/survey_source.c).  The source belongs to its node
 * (model_source_free).
 */
#include "indicators/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indicators/model_private.h"

const char *const model_source_cols[] = {
    "source", "scale", "items", "statistic", "min_n", "min_alpha", "item_analysis",
    "min_kmo", "gate", "conflict", NULL,
};
enum { S_SOURCE, S_SCALE, S_ITEMS, S_STATISTIC, S_MIN_N, S_MIN_ALPHA, S_ITEM_ANALYSIS,
       S_MIN_KMO, S_GATE, S_CONFLICT };

/* The largest min_n a model may ask for. */
#define MODEL_SOURCE_MAX_N 1000000000.0

void model_source_free(egdi_survey_source *src)
{
    if (!src)
        return;
    free(src->survey);
    free(src->scale);
    free(src->items);
    free(src);
}

const char *egdi_source_survey(const egdi_model *m, const egdi_node *n)
{
    if (!n->survey)
        return NULL;
    return n->survey->survey ? n->survey->survey : m->survey;
}

const char *egdi_source_statistic_text(const egdi_survey_source *src, char *buf, size_t size)
{
    if (src->statistic == EGDI_STAT_TOP)
        snprintf(buf, size, "top:%g", src->top);
    else
        snprintf(buf, size, "mean");
    return buf;
}

bool egdi_source_any(const egdi_model *m)
{
    for (size_t i = 0; i < m->nnodes; i++)
        if (m->nodes[i].survey)
            return true;
    return false;
}

/* A share 0..1 (or "none" when none_ok): *v, NaN for "none"; false when
 * it is neither. */
static bool read_share(const char *t, bool none_ok, double *v)
{
    if (none_ok && strcasecmp(t, "none") == 0) {
        *v = NAN;
        return true;
    }
    return model_number(t, v) && !isnan(*v) && *v >= 0 && *v <= 1;
}

void model_source_read(loader *L, egdi_node *n, const char *const *texts)
{
    const char *code = n->code, *w = L->where;
    uint32_t r = n->row;
    const char *so = texts[S_SOURCE];
    bool survey = strncasecmp(so, "survey", 6) == 0 && (so[6] == '\0' || so[6] == ':');
    if (!survey) {
        if (*so && strcasecmp(so, "metric") != 0)
            model_problem(L,
                          "%s row %u: %s: source \"%s\" (use survey:NAME, survey for the "
                          "model's survey setting, or leave it empty for an imported metric)",
                          w, r, code, so);
        for (int k = S_SCALE; k <= S_CONFLICT; k++)
            if (*texts[k]) {
                model_problem(L, "%s row %u: %s: %s \"%s\" is for a survey source (source "
                                 "survey:NAME)",
                              w, r, code, model_source_cols[k], texts[k]);
                break;
            }
        return;
    }
    egdi_survey_source *src = calloc(1, sizeof *src);
    if (!src) {
        L->nomem = true;
        return;
    }
    n->survey = src;
    src->min_n = EGDI_SURVEY_MIN_N;
    src->min_alpha = EGDI_SURVEY_MIN_ALPHA;
    src->item_analysis = true;
    src->min_kmo = NAN;
    src->top = NAN;
    if (so[6] == ':') {
        const char *name = so + 7;
        while (*name == ' ')
            name++;
        if (!*name)
            model_problem(L, "%s row %u: %s: source \"%s\" names no survey (survey:NAME)", w, r,
                          code, so);
        else if (!(src->survey = strdup(name)))
            L->nomem = true;
    }
    const char *scale = texts[S_SCALE], *items = texts[S_ITEMS];
    if (*scale && !(src->scale = strdup(scale)))
        L->nomem = true;
    if (*items && !(src->items = strdup(items)))
        L->nomem = true;
    if (!*scale && !*items)
        model_problem(L, "%s row %u: %s: a survey source needs a scale (a dimension of the "
                         "survey) or items (an item list)",
                      w, r, code);
    else if (*scale && *items)
        model_problem(L, "%s row %u: %s: give the scale or the items of a survey source, not "
                         "both",
                      w, r, code);
    const char *stat = texts[S_STATISTIC];
    if (!*stat || strcasecmp(stat, "mean") == 0)
        src->statistic = EGDI_STAT_MEAN;
    else if (strncasecmp(stat, "top:", 4) == 0 && model_number(stat + 4, &src->top) &&
             !isnan(src->top) && !strchr(stat, '%'))
        src->statistic = EGDI_STAT_TOP;
    else
        model_problem(L, "%s row %u: %s: statistic \"%s\" (use mean, or top:V for the share "
                         "of respondents scoring V or more, e.g. top:4 on a 1-5 scale)",
                      w, r, code, stat);
    double x;
    const char *mn = texts[S_MIN_N];
    if (*mn) {
        if (!model_number(mn, &x) || isnan(x) || x != floor(x) || x < 2 ||
            x > MODEL_SOURCE_MAX_N || strchr(mn, '%'))
            model_problem(L, "%s row %u: %s: min_n \"%s\" must be a whole number of "
                             "respondents, at least 2",
                          w, r, code, mn);
        else
            src->min_n = (size_t)x;
    }
    const char *ma = texts[S_MIN_ALPHA];
    if (*ma && !read_share(ma, true, &src->min_alpha))
        model_problem(L, "%s row %u: %s: min_alpha \"%s\" must be between 0 and 1, or none", w,
                      r, code, ma);
    const char *ia = texts[S_ITEM_ANALYSIS];
    if (!*ia || strcasecmp(ia, "cr") == 0 || strcasecmp(ia, "yes") == 0)
        src->item_analysis = true;
    else if (strcasecmp(ia, "none") == 0 || strcasecmp(ia, "no") == 0)
        src->item_analysis = false;
    else
        model_problem(L, "%s row %u: %s: item_analysis \"%s\" (use cr or none)", w, r, code, ia);
    const char *mk = texts[S_MIN_KMO];
    if (*mk && !read_share(mk, true, &src->min_kmo))
        model_problem(L, "%s row %u: %s: min_kmo \"%s\" must be between 0 and 1, or none", w, r,
                      code, mk);
    const char *g = texts[S_GATE];
    if (!*g || strcasecmp(g, "missing") == 0)
        src->gate = EGDI_GATE_MISSING;
    else if (strcasecmp(g, "refuse") == 0)
        src->gate = EGDI_GATE_REFUSE;
    else
        model_problem(L, "%s row %u: %s: gate \"%s\" (use missing or refuse)", w, r, code, g);
    const char *c = texts[S_CONFLICT];
    if (!*c || strcasecmp(c, "survey") == 0)
        src->conflict = EGDI_PREFER_SURVEY;
    else if (strcasecmp(c, "metric") == 0)
        src->conflict = EGDI_PREFER_METRIC;
    else
        model_problem(L, "%s row %u: %s: conflict \"%s\" (use survey or metric: which wins when "
                         "a metric is imported for the same unit)",
                      w, r, code, c);
}

void model_source_check(loader *L, const egdi_node *n)
{
    const egdi_survey_source *src = n->survey;
    if (!src)
        return;
    const char *c = n->code;
    if (n->nchildren)
        model_problem(L, "catalogue row %u: %s has children and a survey source (only leaves "
                         "are computed from a survey)",
                      n->row, c);
    if (!src->survey && !L->m->survey)
        model_problem(L, "catalogue row %u: %s: source survey needs the model's survey setting "
                         "(settings row: survey,NAME) or source survey:NAME",
                      n->row, c);
    if (src->statistic == EGDI_STAT_TOP && n->rule == EGDI_RULE_LIKERT)
        model_problem(L, "catalogue row %u: %s: statistic top gives a share 0-100, which rule "
                         "likert cannot score (use goalpost 0-100 or value)",
                      n->row, c);
}

void model_source_cells(const egdi_node *n, void (*put)(void *ctx, const char *cell), void *ctx)
{
    const egdi_survey_source *src = n->survey;
    if (!src) {
        for (int k = 0; k < MODEL_SOURCE_NCOLS; k++)
            put(ctx, "");
        return;
    }
    char t[MODEL_MAX_CELL + 16];
    if (src->survey)
        snprintf(t, sizeof t, "survey:%s", src->survey);
    else
        snprintf(t, sizeof t, "survey");
    put(ctx, t);
    put(ctx, src->scale ? src->scale : "");
    put(ctx, src->items ? src->items : "");
    if (src->statistic == EGDI_STAT_TOP)
        snprintf(t, sizeof t, "top:%.17g", src->top);
    else
        snprintf(t, sizeof t, "mean");
    put(ctx, t);
    snprintf(t, sizeof t, "%zu", src->min_n);
    put(ctx, t);
    if (isnan(src->min_alpha))
        snprintf(t, sizeof t, "none");
    else
        snprintf(t, sizeof t, "%.17g", src->min_alpha);
    put(ctx, t);
    put(ctx, src->item_analysis ? "cr" : "none");
    if (isnan(src->min_kmo))
        t[0] = '\0';
    else
        snprintf(t, sizeof t, "%.17g", src->min_kmo);
    put(ctx, t);
    put(ctx, src->gate == EGDI_GATE_REFUSE ? "refuse" : "missing");
    put(ctx, src->conflict == EGDI_PREFER_METRIC ? "metric" : "survey");
}
