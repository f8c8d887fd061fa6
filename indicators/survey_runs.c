/*
 * survey_runs.c - a score run's survey indicators stored and read back
 * (engine/store/survey_scores.h), and what `egdi score`, `egdi explain`,
 * the report and the demo say of them: how each fared per unit kind, its
 * conflicts with imported metrics, the line on it, the imports behind a
 * value (see survey_source.h).  The computation is survey_source.c's.
 */
#include "indicators/survey_source.h"
#include "indicators/survey_private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/store/batches.h"
#include "engine/store/observations.h"
#include "engine/store/survey_scores.h"

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

/* ---- saving and reading back -------------------------------------------------------- */

/* Why a unit's survey value is not used, or NULL (into buf). */
static const char *unit_note(const egdi_survey_indicator *ind, const egdi_survey_value *v,
                             char *buf, size_t size)
{
    switch (v->state) {
    case EGDI_SURVEY_FEW:
        snprintf(buf, size, "%zu respondent%s, fewer than %zu", v->n, v->n == 1 ? "" : "s",
                 ind->min_n);
        return buf;
    case EGDI_SURVEY_GATE:
        snprintf(buf, size, "the items failed a gate: %s", ind->failed ? ind->failed : "");
        return buf;
    case EGDI_SURVEY_VALUE:
        if (v->used == EGDI_USED_METRIC) {
            snprintf(buf, size, "a metric was imported too; the model's conflict rule takes it");
            return buf;
        }
        return NULL;
    default:
        return NULL;
    }
}

const char *egdi_survey_value_why(const egdi_survey_indicator *ind, const egdi_survey_value *v,
                                  char *buf, size_t size)
{
    buf[0] = '\0';
    if (v->state == EGDI_SURVEY_VALUE)
        return NULL;
    if (ind->note)
        snprintf(buf, size, "%s", ind->note);
    else if (v->state == EGDI_SURVEY_NONE)
        snprintf(buf, size, "no respondent rates the unit");
    else
        unit_note(ind, v, buf, size);
    return buf;
}

static const char *used_name(unsigned char used)
{
    return used == EGDI_USED_SURVEY ? "survey" : used == EGDI_USED_METRIC ? "metric" : NULL;
}

egdi_status egdi_survey_save(egdi_store *s, int64_t run_id, void *ctx, egdi_error *err)
{
    const egdi_survey_save_ctx *c = ctx;
    const egdi_survey_results *r = c->r;
    const egdi_model *m = c->m;
    if (!r || r->n == 0)
        return EGDI_OK;
    size_t U = r->nunits, nsc = 0;
    egdi_store_survey_indicator *ind = calloc(r->n, sizeof *ind);
    egdi_store_survey_score *sc = malloc((U ? U : 1) * r->n * sizeof *sc);
    char (*notes)[SURVEY_TEXT_MAX] = malloc((U ? U : 1) * r->n * sizeof *notes);
    egdi_status st = EGDI_OK;
    if (!ind || !sc || !notes) {
        st = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < r->n; i++) {
        const egdi_survey_indicator *x = &r->v[i];
        const char *code = m->nodes[x->node].code;
        ind[i] = (egdi_store_survey_indicator){
            .node = code,
            .survey = x->survey,
            .round = x->round,
            .scale = x->scale,
            .items = x->items,
            .statistic = x->statistic,
            .conflict = x->conflict == EGDI_PREFER_METRIC ? "metric" : "survey",
            .respondents = x->respondents,
            .gate_n = x->gate_n,
            .min_n = x->min_n,
            .alpha = x->alpha,
            .min_alpha = x->min_alpha,
            .cr_min = x->cr_min,
            .cr_failed = x->cr_failed,
            .item_check = x->item_check,
            .kmo = x->kmo,
            .min_kmo = x->min_kmo,
            .failed = x->failed,
            .note = x->note,
            .batches = x->batches,
        };
        for (size_t u = 0; u < U; u++) {
            const egdi_survey_value *v = &x->unit[u];
            bool region = c->in->in.units[u].kind == EGDI_UNIT_REGION;
            if (!survey_applies(m, x->node, c->in->in.units[u].kind) ||
                (v->n == 0 && v->own_n == 0 && isnan(v->metric) && !(region && v->dept_units)))
                continue;
            sc[nsc] = (egdi_store_survey_score){
                .unit_id = c->in->unit_ids[u],
                .node = code,
                .n = v->n,
                .value = v->state == EGDI_SURVEY_VALUE ? v->value : NAN,
                .mean = v->mean,
                .sd = v->sd,
                .se = v->se,
                .dept_value = v->dept_value,
                .dept_units = v->dept_units,
                .own_n = v->own_n,
                .own_value = v->own_value,
                .metric = v->metric,
                .used = used_name(v->used),
                .note = unit_note(x, v, notes[nsc], sizeof notes[nsc]),
                .batches = v->batches,
            };
            nsc++;
        }
    }
    st = egdi_store_survey_scores_save(s, run_id, ind, r->n, sc, nsc, err);
out:
    free(ind);
    free(sc);
    free(notes);
    return st;
}

typedef struct {
    const egdi_model *m;
    const egdi_round_input *in;
    egdi_survey_results *r;
    const survey_unit_key *ix;
    size_t cap; /* r->v has room for the model's survey leaves */
} load_sink;

static egdi_survey_indicator *indicator_of(egdi_survey_results *r, const egdi_model *m,
                                           const char *node)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcasecmp(m->nodes[r->v[i].node].code, node) == 0)
            return &r->v[i];
    return NULL;
}

static egdi_status on_indicator(void *ctx, const egdi_store_survey_indicator *row,
                                egdi_error *err)
{
    load_sink *k = ctx;
    long j = egdi_model_find(k->m, row->node);
    if (j < 0 || !k->m->nodes[j].survey || k->r->n == k->cap)
        return EGDI_OK; /* not a survey leaf of the run's model */
    egdi_survey_indicator *ind = &k->r->v[k->r->n];
    memset(ind, 0, sizeof *ind);
    k->r->n++; /* counted now so that release frees what is set */
    ind->node = (size_t)j;
    ind->round = row->round;
    ind->conflict = row->conflict && strcmp(row->conflict, "metric") == 0 ? EGDI_PREFER_METRIC
                                                                         : EGDI_PREFER_SURVEY;
    ind->respondents = row->respondents;
    ind->gate_n = row->gate_n;
    ind->min_n = row->min_n;
    ind->alpha = row->alpha;
    ind->min_alpha = row->min_alpha;
    ind->cr_min = row->cr_min;
    ind->item_check = row->item_check;
    ind->kmo = row->kmo;
    ind->min_kmo = row->min_kmo;
    ind->survey = survey_strdup(row->survey);
    ind->scale = survey_strdup(row->scale);
    ind->items = survey_strdup(row->items);
    ind->statistic = survey_strdup(row->statistic);
    ind->cr_failed = survey_strdup(row->cr_failed);
    ind->failed = survey_strdup(row->failed);
    ind->note = survey_strdup(row->note);
    ind->batches = survey_strdup(row->batches);
    size_t U = k->in->in.nunits;
    ind->unit = calloc(U ? U : 1, sizeof *ind->unit);
    if (!ind->survey || !ind->statistic || !ind->unit || (row->scale && !ind->scale) ||
        (row->items && !ind->items) || (row->cr_failed && !ind->cr_failed) ||
        (row->failed && !ind->failed) || (row->note && !ind->note) ||
        (row->batches && !ind->batches))
        return nomem(err);
    for (size_t u = 0; u < U; u++) {
        egdi_survey_value *v = &ind->unit[u];
        v->value = v->mean = v->sd = v->se = v->dept_value = v->own_value = v->metric = NAN;
    }
    return EGDI_OK;
}

static egdi_status on_score(void *ctx, const egdi_store_survey_score *row, egdi_error *err)
{
    load_sink *k = ctx;
    egdi_survey_indicator *ind = indicator_of(k->r, k->m, row->node);
    long u = survey_find_unit(k->ix, k->in->in.nunits, row->unit_id);
    if (!ind || u < 0)
        return EGDI_OK;
    egdi_survey_value *v = &ind->unit[u];
    v->n = row->n;
    v->value = row->value;
    v->mean = row->mean;
    v->sd = row->sd;
    v->se = row->se;
    v->dept_value = row->dept_value;
    v->dept_units = row->dept_units;
    v->own_n = row->own_n;
    v->own_value = row->own_value;
    v->metric = row->metric;
    v->used = row->used && strcmp(row->used, "survey") == 0   ? EGDI_USED_SURVEY
              : row->used && strcmp(row->used, "metric") == 0 ? EGDI_USED_METRIC
                                                              : EGDI_USED_NONE;
    bool region = k->in->in.units[u].kind == EGDI_UNIT_REGION;
    v->state = !isnan(row->value)                                  ? EGDI_SURVEY_VALUE
               : ind->failed && (v->n >= ind->min_n || region)     ? EGDI_SURVEY_GATE
               : row->n > 0                                        ? EGDI_SURVEY_FEW
                                                                   : EGDI_SURVEY_NONE;
    if (row->batches && !(v->batches = strdup(row->batches)))
        return nomem(err);
    return EGDI_OK;
}

egdi_status egdi_survey_load_run(egdi_store *s, int64_t run_id, const egdi_model *m,
                                 const egdi_round_input *in, egdi_survey_results *out,
                                 egdi_error *err)
{
    memset(out, 0, sizeof *out);
    out->nunits = in->in.nunits;
    size_t k = 0;
    for (size_t j = 0; j < m->nnodes; j++)
        k += m->nodes[j].survey != NULL;
    if (k == 0)
        return EGDI_OK;
    survey_unit_key *ix = survey_unit_index(in);
    if (!ix || !(out->v = calloc(k, sizeof *out->v))) {
        free(ix);
        return nomem(err);
    }
    load_sink ls = {m, in, out, ix, k};
    egdi_status st = egdi_store_survey_indicators_each(s, run_id, on_indicator, &ls, err);
    if (st == EGDI_OK)
        st = egdi_store_survey_scores_each(s, run_id, 0, on_score, &ls, err);
    free(ix);
    if (st != EGDI_OK)
        egdi_survey_results_release(out);
    return st;
}

/* ---- how an indicator fared ---------------------------------------------------------- */

void egdi_survey_tally_kind(const egdi_model *m, const egdi_round_input *in,
                            const egdi_survey_indicator *ind, egdi_unit_kind kind,
                            egdi_survey_tally *t)
{
    memset(t, 0, sizeof *t);
    for (size_t u = 0; u < in->in.nunits; u++) {
        if (in->in.units[u].kind != kind || !survey_applies(m, ind->node, kind))
            continue;
        const egdi_survey_value *v = &ind->unit[u];
        t->units++;
        if (v->state == EGDI_SURVEY_VALUE) {
            if (t->valued == 0 || v->n < t->n_min)
                t->n_min = v->n;
            if (v->n > t->n_max)
                t->n_max = v->n;
            t->valued++;
            t->respondents += v->n;
            t->conflicts += !isnan(v->metric);
        } else if (v->state == EGDI_SURVEY_FEW)
            t->few++;
        else if (v->state == EGDI_SURVEY_GATE)
            t->gated++;
        t->metric_used += v->used == EGDI_USED_METRIC;
    }
}

egdi_status egdi_survey_conflicts_each(egdi_store *s, const egdi_model *m,
                                       const egdi_round_input *in,
                                       const egdi_survey_indicator *ind, int year,
                                       egdi_survey_conflict_fn fn, void *ctx, egdi_error *err)
{
    for (size_t u = 0; u < in->in.nunits; u++) {
        const egdi_survey_value *v = &ind->unit[u];
        if (v->state != EGDI_SURVEY_VALUE || isnan(v->metric))
            continue;
        char *file = NULL;
        int row = 0;
        egdi_status st = egdi_store_obs_source(s, year, in->unit_ids[u],
                                               m->nodes[ind->node].code, &file, &row, err);
        if (st != EGDI_OK && st != EGDI_DONE)
            return st;
        egdi_survey_conflict c = {u, v->value, v->n, v->metric, file, row,
                                  v->used == EGDI_USED_SURVEY};
        st = fn(ctx, &c, err);
        free(file);
        if (st != EGDI_OK)
            return st;
    }
    return EGDI_OK;
}

/* The fewest and most respondents of the units of kind with too few. */
static void few_range(const egdi_model *m, const egdi_round_input *in,
                      const egdi_survey_indicator *ind, egdi_unit_kind kind, size_t *lo,
                      size_t *hi)
{
    *lo = *hi = 0;
    bool any = false;
    for (size_t u = 0; u < in->in.nunits; u++) {
        const egdi_survey_value *v = &ind->unit[u];
        if (in->in.units[u].kind != kind || !survey_applies(m, ind->node, kind) ||
            v->state != EGDI_SURVEY_FEW)
            continue;
        if (!any || v->n < *lo)
            *lo = v->n;
        if (v->n > *hi)
            *hi = v->n;
        any = true;
    }
}

/* Appends printf text at buf + *at (buf holds size bytes; cut at the end). */
static void text_put(char *buf, size_t size, size_t *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void text_put(char *buf, size_t size, size_t *at, const char *fmt, ...)
{
    if (*at + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *at, size - *at, fmt, ap);
    va_end(ap);
    *at = k > 0 && (size_t)k < size - *at ? *at + (size_t)k : size - 1;
}

const char *egdi_survey_indicator_text(const egdi_model *m, const egdi_round_input *in,
                                       const egdi_survey_indicator *ind, bool zh, char *buf,
                                       size_t size)
{
    const egdi_node *n = &m->nodes[ind->node];
    int len = snprintf(buf, size, zh ? "%s %s：问卷 %s（第 %d 轮）" : "%s %s: survey %s round %d",
                       n->code, zh ? n->name_zh : n->name_en, ind->survey, ind->round);
    size_t at = len > 0 && (size_t)len < size ? (size_t)len : size ? size - 1 : 0;
    if (ind->note) {
        egdi_survey_tally t;
        egdi_survey_tally_kind(m, in, ind, EGDI_UNIT_DEPARTMENT, &t);
        size_t used = t.metric_used;
        egdi_survey_tally_kind(m, in, ind, EGDI_UNIT_REGION, &t);
        used += t.metric_used;
        if (zh) {
            /* the note in Chinese, by its kind (compute_one writes three) */
            char why[SURVEY_TEXT_MAX];
            if (strncmp(ind->note, "the store has no survey", 23) == 0)
                snprintf(why, sizeof why, "数据库中没有问卷“%s”", ind->survey);
            else if (strncmp(ind->note, "none of the", 11) == 0)
                snprintf(why, sizeof why, "问卷“%s”第 %d 轮的答卷未关联被评单位（导入时用 "
                                          "--unit-column）",
                         ind->survey, ind->round);
            else
                snprintf(why, sizeof why, "问卷“%s”没有第 %d 轮的答卷（导入时用 --round %d）",
                         ind->survey, ind->round, ind->round);
            text_put(buf, size, &at, "：无问卷值（%s）；%zu 个单位使用导入的指标值", why, used);
        } else
            text_put(buf, size, &at, ": no survey value (%s); %zu unit%s took the imported metric", ind->note, used,
                used == 1 ? "" : "s");
        return buf;
    }
    if (zh)
        text_put(buf, size, &at, "，%s %s（%s）", ind->scale ? "量表" : "题项", ind->scale ? ind->scale : "",
            ind->items ? ind->items : "");
    else
        text_put(buf, size, &at, ", %s%s%s(%s)", ind->scale ? "scale " : "items ", ind->scale ? ind->scale : "",
            ind->scale ? " " : "", ind->items ? ind->items : "");
    if (!isnan(ind->alpha))
        text_put(buf, size, &at, zh ? "，α = %.3f（n = %zu）" : ", alpha %.3f (n = %zu)", ind->alpha, ind->gate_n);
    if (ind->failed) {
        text_put(buf, size, &at, zh ? "；未通过质量检验：%s，所有单位均无问卷值" : "; failed its gates: %s, so no unit has a survey value",
            ind->failed);
        return buf;
    }
    static const egdi_unit_kind kinds[2] = {EGDI_UNIT_DEPARTMENT, EGDI_UNIT_REGION};
    bool first = true;
    for (int k = 0; k < 2; k++) {
        egdi_survey_tally t;
        egdi_survey_tally_kind(m, in, ind, kinds[k], &t);
        if (!t.units)
            continue;
        bool region = kinds[k] == EGDI_UNIT_REGION;
        size_t flo, fhi;
        few_range(m, in, ind, kinds[k], &flo, &fhi);
        char vr[48], fr[48];
        if (t.n_min == t.n_max)
            snprintf(vr, sizeof vr, "%zu", t.n_min);
        else
            snprintf(vr, sizeof vr, zh ? "%zu–%zu" : "%zu-%zu", t.n_min, t.n_max);
        if (flo == fhi)
            snprintf(fr, sizeof fr, "%zu", flo);
        else
            snprintf(fr, sizeof fr, zh ? "%zu–%zu" : "%zu-%zu", flo, fhi);
        if (zh) {
            text_put(buf, size, &at, "%s%zu 个%s中 %zu 个由问卷得分", first ? "：" : "；", t.units,
                region ? "地区" : "部门", t.valued);
            if (t.valued && !region)
                text_put(buf, size, &at, "（每个 %s 人，共 %zu 人）", vr, t.respondents);
            if (t.few && !region)
                text_put(buf, size, &at, "，%zu 个不足 %zu 人（%s 人）无问卷值", t.few, ind->min_n, fr);
            else if (t.few)
                text_put(buf, size, &at, "，另有 %zu 个有答卷，但没有 %zu 人以上的部门、自身答卷也不足 %zu 人，无问卷值",
                         t.few, ind->min_n, ind->min_n);
        } else {
            const char *what = region ? (t.units == 1 ? "region" : "regions")
                                      : (t.units == 1 ? "department" : "departments");
            text_put(buf, size, &at, "%s%zu of %zu %s scored", first ? ": " : "; ", t.valued, t.units, what);
            if (t.valued && !region)
                text_put(buf, size, &at, " from %s respondents each (%zu in all)", vr, t.respondents);
            if (t.few && !region)
                text_put(buf, size, &at, ", %zu with %s respondent%s (fewer than %zu) %s no survey value", t.few, fr,
                    fhi == 1 ? "" : "s", ind->min_n, t.few == 1 ? "has" : "have");
            else if (t.few)
                text_put(buf, size, &at,
                         ", %zu other%s respondents but no department with %zu or more and "
                         "fewer than %zu of %s own (no survey value)",
                         t.few, t.few == 1 ? " has" : "s have", ind->min_n, ind->min_n,
                         t.few == 1 ? "its" : "their");
        }
        if (t.conflicts)
            text_put(buf, size, &at, zh ? "，%zu 个同时导入了指标值（冲突，采用%s）"
                   : ", %zu also had an imported metric (a conflict: the %s's value used)",
                t.conflicts,
                ind->conflict == EGDI_PREFER_METRIC ? (zh ? "指标值" : "metric")
                                                    : (zh ? "问卷值" : "survey"));
        if (t.metric_used)
            text_put(buf, size, &at, zh ? "，%zu 个采用导入的指标值" : ", %zu took the imported metric",
                t.metric_used);
        first = false;
    }
    return buf;
}

const egdi_survey_indicator *egdi_survey_results_find(const egdi_survey_results *r, size_t j)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].node == j)
            return &r->v[i];
    return NULL;
}

typedef struct {
    const char *batches;
    egdi_status (*fn)(void *, int64_t, const char *, const char *, egdi_error *);
    void *ctx;
} batches_ctx;

/* True when id is one of the comma-separated ids of list. */
static bool listed(const char *list, int64_t id)
{
    for (const char *p = list; *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            return false;
        if (v == id)
            return true;
        p = *end == ',' ? end + 1 : end;
        if (*p == '.')
            return false; /* "..." */
    }
    return false;
}

static egdi_status on_batch(void *ctx, const egdi_store_batch_row *row, egdi_error *err)
{
    batches_ctx *k = ctx;
    if (!listed(k->batches, row->id))
        return EGDI_OK;
    return k->fn(k->ctx, row->id, row->file, row->imported_at, err);
}

egdi_status egdi_survey_batches_each(egdi_store *s, const char *batches,
                                     egdi_status (*fn)(void *ctx, int64_t id, const char *file,
                                                       const char *imported_at,
                                                       egdi_error *err),
                                     void *ctx, egdi_error *err)
{
    if (!batches || !*batches)
        return EGDI_OK;
    batches_ctx k = {batches, fn, ctx};
    return egdi_store_batches_each(s, on_batch, &k, err);
}
