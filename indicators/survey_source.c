/*
 * survey_source.c - the model's indicators computed from a survey, per unit
 * (see survey_source.h): the respondents of the round read once per survey
 * through the survey dataset layer, the gates from the statistics' own
 * homes (reliability.c, itemanalysis.c, fa_corr.c), one pass over the
 * respondents grouped by unit, the regions, the merge with imported
 * metrics, and the rows a score run stores and reads back.
 *
 * Units are found by store id through a sorted (id, index) array.  Work
 * arrays are per survey leaf and freed on every path; the results own
 * their strings and arrays (egdi_survey_results_release).
 */
#include "indicators/survey_source.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/store/batches.h"
#include "engine/store/observations.h"
#include "engine/store/survey_scores.h"
#include "surveys/dataset.h"
#include "surveys/descriptive.h"
#include "surveys/factor.h"
#include "surveys/itemanalysis.h"
#include "surveys/reliability.h"

/* The imports told apart per unit; the rest share the last bit. */
#define SURVEY_MAX_BATCHES 64
/* The longest text of gates, items or batches kept. */
#define SURVEY_TEXT_MAX 1024

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

/* ---- the results ---------------------------------------------------------------- */

static void indicator_release(egdi_survey_indicator *ind, size_t nunits)
{
    free(ind->survey);
    free(ind->scale);
    free(ind->items);
    free(ind->statistic);
    free(ind->cr_failed);
    free(ind->failed);
    free(ind->note);
    free(ind->batches);
    if (ind->unit)
        for (size_t u = 0; u < nunits; u++)
            free(ind->unit[u].batches);
    free(ind->unit);
}

void egdi_survey_results_release(egdi_survey_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        indicator_release(&r->v[i], r->nunits);
    free(r->v);
    memset(r, 0, sizeof *r);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Appends printf text to buf[0..size) after what it holds, "; " between
 * parts (cut at the end of buf). */
static void add_part(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void add_part(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len && len + 2 < size) {
        memcpy(buf + len, "; ", 3);
        len += 2;
    }
    if (len + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/* A new string of printf text (at most SURVEY_TEXT_MAX bytes), or NULL. */
static char *fmt_dup(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *fmt_dup(const char *fmt, ...)
{
    char t[SURVEY_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    return strdup(t);
}

/* ---- units ---------------------------------------------------------------------- */

typedef struct {
    int64_t id;
    size_t idx;
} unit_key;

static int cmp_unit_key(const void *a, const void *b)
{
    const unit_key *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static unit_key *unit_index(const egdi_round_input *in)
{
    size_t n = in->in.nunits;
    unit_key *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++)
        k[i] = (unit_key){in->unit_ids[i], i};
    qsort(k, n, sizeof *k, cmp_unit_key);
    return k;
}

static long find_unit(const unit_key *k, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k[mid].id < id)
            lo = mid + 1;
        else if (k[mid].id > id)
            hi = mid;
        else
            return (long)k[mid].idx;
    }
    return -1;
}

/* True when node j and its ancestors apply to units of kind. */
static bool applies(const egdi_model *m, size_t j, egdi_unit_kind kind)
{
    unsigned mask = kind == EGDI_UNIT_REGION ? EGDI_APPLIES_REGION : EGDI_APPLIES_DEPARTMENT;
    for (long k = (long)j; k >= 0; k = m->nodes[k].parent_idx)
        if (!(m->nodes[k].applies & mask))
            return false;
    return true;
}

/* ---- the gates ------------------------------------------------------------------ */

/*
 * The gates of ind's items cols[0..p) on the rows answering all of them:
 * alpha, the item analysis, KMO (each computed by its own module), the
 * failures written to failed[].
 */
static egdi_status gates(const egdi_dataset *ds, const size_t *cols, size_t p,
                         const egdi_survey_source *src, egdi_survey_indicator *ind,
                         char *failed, size_t fsize, egdi_error *err)
{
    egdi_item_matrix mx;
    egdi_cov cov = {0};
    egdi_alpha a = {0};
    egdi_cr cr = {0};
    egdi_fa_kmo kmo = {0};
    double *r = NULL;
    egdi_error e;
    egdi_error_clear(&e);
    egdi_status st = egdi_dataset_matrix(ds, cols, p, EGDI_LISTWISE, &mx, &e);
    if (st == EGDI_ERR_NOMEM)
        return nomem(err);
    if (st != EGDI_OK) {
        add_part(failed, fsize, "the items cannot be analysed: %s", e.message);
        return EGDI_OK;
    }
    ind->gate_n = mx.n;
    bool want = !isnan(src->min_alpha) || src->item_analysis || !isnan(src->min_kmo);
    if (p < 2) {
        if (want)
            add_part(failed, fsize,
                     "alpha, the item analysis and KMO need two items or more (%s is one); "
                     "set min_alpha and min_kmo to none and item_analysis to none to use it",
                     mx.names[0]);
        goto done;
    }
    st = egdi_cov_compute(mx.x, mx.n, p, false, mx.names, &cov, &e);
    if (st == EGDI_OK)
        st = egdi_alpha_from_cov(&cov, mx.names, &a, &e);
    if (st == EGDI_ERR_NOMEM)
        goto oom;
    if (st != EGDI_OK) {
        if (want)
            add_part(failed, fsize, "alpha cannot be computed: %s", e.message);
        goto done;
    }
    ind->alpha = a.alpha;
    if (!isnan(src->min_alpha) && !(a.alpha >= src->min_alpha))
        add_part(failed, fsize, "alpha = %.3f < %.2f (n = %zu)", a.alpha, src->min_alpha, mx.n);
    if (src->item_analysis) {
        egdi_cr_opts o;
        egdi_cr_opts_init(&o);
        st = egdi_cr_compute_with(mx.x, mx.n, p, mx.names, &a, &o, &cr, &e);
        if (st == EGDI_ERR_NOMEM)
            goto oom;
        if (st != EGDI_OK)
            add_part(failed, fsize, "the item analysis cannot be run: %s", e.message);
        else {
            char list[SURVEY_TEXT_MAX] = "";
            double lo = INFINITY;
            for (size_t j = 0; j < p; j++) {
                const egdi_cr_item *it = &cr.items[j];
                if (it->cr < lo)
                    lo = it->cr;
                if (!it->keep) {
                    size_t l = strlen(list);
                    snprintf(list + l, sizeof list - l, "%s%s (CR %.2f, p %.3f, r %.2f)",
                             l ? ", " : "", mx.names[j], it->cr, it->cr_p, it->r_corrected);
                }
            }
            ind->cr_min = lo;
            if (list[0]) {
                if (!(ind->cr_failed = strdup(list)))
                    goto oom;
                add_part(failed, fsize,
                         "item analysis: %s fail%s (CR >= %g with p < .05 and r >= %g)", list,
                         strchr(list, ',') ? "" : "s", o.min_cr, o.min_r);
            }
        }
    }
    if (!(r = malloc(p * p * sizeof *r)))
        goto oom;
    st = egdi_fa_corr_from_cov(&cov, mx.names, r, NULL, &e);
    if (st == EGDI_OK)
        st = egdi_fa_kmo_compute(r, p, mx.n, mx.names, &kmo, &e);
    if (st == EGDI_ERR_NOMEM)
        goto oom;
    if (st == EGDI_OK)
        ind->kmo = kmo.kmo;
    else if (!isnan(src->min_kmo))
        add_part(failed, fsize, "KMO cannot be computed: %s", e.message);
    if (!isnan(src->min_kmo) && st == EGDI_OK && !(kmo.kmo >= src->min_kmo))
        add_part(failed, fsize, "KMO = %.3f < %.2f", kmo.kmo, src->min_kmo);
done:
    st = EGDI_OK;
    goto out;
oom:
    st = nomem(err);
out:
    free(r);
    egdi_fa_kmo_release(&kmo);
    egdi_cr_release(&cr);
    egdi_alpha_release(&a);
    egdi_cov_release(&cov);
    egdi_dataset_matrix_release(&mx);
    return st;
}

/* ---- one pass grouped by unit ----------------------------------------------------- */

/* One unit's respondents: their scores' count, mean and SD (the
 * descriptive module's, on the unit's scores in row order: the numbers
 * `egdi survey anova --group` prints for the same group), how many reach
 * top, the imports they came from. */
typedef struct {
    size_t n, top;
    double mean, sd;
    uint64_t batches;
} unit_acc;

/* The value, SD and SE of a unit from its figures (statistic of src). */
static void unit_value(const unit_acc *a, const egdi_survey_source *src, egdi_survey_value *v)
{
    v->n = a->n;
    v->mean = a->n ? a->mean : NAN;
    if (src->statistic == EGDI_STAT_TOP) {
        double p = a->n ? (double)a->top / (double)a->n : NAN;
        v->value = 100.0 * p;
        v->sd = a->n > 1 ? 100.0 * sqrt(p * (1 - p) * (double)a->n / (double)(a->n - 1)) : NAN;
    } else {
        v->value = v->mean;
        v->sd = a->n > 1 ? a->sd : NAN;
    }
    v->se = a->n > 1 ? v->sd / sqrt((double)a->n) : NAN;
}

/* "3,5": the batch ids of mask (bit b = ids[b]) into a new string. */
static char *batch_text(uint64_t mask, const int64_t *ids, size_t nids)
{
    char t[SURVEY_TEXT_MAX] = "";
    for (size_t b = 0; b < nids && b < SURVEY_MAX_BATCHES; b++)
        if (mask >> b & 1) {
            size_t l = strlen(t);
            snprintf(t + l, sizeof t - l, "%s%lld%s", l ? "," : "", (long long)ids[b],
                     b == SURVEY_MAX_BATCHES - 1 && nids > SURVEY_MAX_BATCHES ? ",..." : "");
        }
    return t[0] ? strdup(t) : NULL;
}

/* A region's value from its departments' and its own (step 5). */
static void region_value(const egdi_model *m, const egdi_round_input *in, size_t u,
                         const unit_acc *acc, const egdi_survey_source *src, bool gate_ok,
                         egdi_survey_value *vals, uint64_t *mask)
{
    egdi_survey_value *v = &vals[u];
    const char *code = in->in.units[u].id;
    double ws = 0, wv = 0, wse2 = 0;
    size_t nd = 0, n_used = 0, n_all = acc[u].n;
    *mask = acc[u].batches;
    for (size_t d = 0; d < in->in.nunits; d++) {
        const egdi_score_unit *du = &in->in.units[d];
        if (du->kind != EGDI_UNIT_DEPARTMENT || !du->region || strcmp(du->region, code) != 0)
            continue;
        n_all += acc[d].n;
        if (vals[d].state != EGDI_SURVEY_VALUE)
            continue;
        double w = m->region_method == EGDI_REGION_WEIGHTED ? du->region_weight : 1.0;
        if (isnan(w))
            continue;
        ws += w;
        wv += w * vals[d].value;
        wse2 += w * w * vals[d].se * vals[d].se;
        nd++;
        n_used += vals[d].n;
        *mask |= acc[d].batches;
    }
    double dept = ws > 0 ? wv / ws : NAN, dept_se = ws > 0 ? sqrt(wse2) / ws : NAN;
    egdi_survey_value own = {0};
    unit_value(&acc[u], src, &own);
    bool own_ok = gate_ok && acc[u].n >= src->min_n;
    v->dept_value = dept;
    v->dept_units = nd;
    v->own_n = acc[u].n;
    v->own_value = own_ok ? own.value : NAN;
    double share = m->region_share;
    if (!isnan(dept) && own_ok) {
        v->value = share * dept + (1 - share) * own.value;
        v->se = sqrt(share * share * dept_se * dept_se +
                     (1 - share) * (1 - share) * own.se * own.se);
        n_used += acc[u].n;
    } else if (!isnan(dept)) {
        v->value = dept;
        v->se = dept_se;
    } else if (own_ok) {
        v->value = own.value;
        v->se = own.se;
        n_used = acc[u].n;
    } else {
        v->value = v->se = NAN;
    }
    v->sd = NAN;
    v->mean = src->statistic == EGDI_STAT_MEAN ? v->value : NAN;
    if (!isnan(v->value)) {
        v->state = EGDI_SURVEY_VALUE;
        v->n = n_used;
    } else {
        v->n = n_all;
        v->state = n_all == 0 ? EGDI_SURVEY_NONE : !gate_ok ? EGDI_SURVEY_GATE : EGDI_SURVEY_FEW;
    }
}

/* The items text "S1, S2, S3 (R)" of cols into a new string. */
static char *items_text(const egdi_dataset *ds, const size_t *cols, size_t p)
{
    char t[SURVEY_TEXT_MAX] = "";
    for (size_t k = 0; k < p; k++) {
        size_t l = strlen(t);
        snprintf(t + l, sizeof t - l, "%s%s%s", l ? ", " : "", ds->col[cols[k]].name,
                 ds->col[cols[k]].reversed ? " (R)" : "");
    }
    return strdup(t);
}

/* Computes indicator ind (node j of m) from dataset ds (NULL: the survey
 * is not stored). */
static egdi_status compute_one(const egdi_model *m, size_t j, const egdi_dataset *ds,
                               const egdi_round_input *in, const unit_key *ix,
                               egdi_survey_indicator *ind, egdi_error *err)
{
    const egdi_node *node = &m->nodes[j];
    const egdi_survey_source *src = node->survey;
    size_t U = in->in.nunits;
    size_t *cols = NULL, p = 0, *at = NULL;
    double *y = NULL, *grouped = NULL;
    long *unit_of = NULL, *by_id = NULL;
    unit_acc *acc = NULL;
    char failed[SURVEY_TEXT_MAX] = "";
    egdi_status st = EGDI_OK;
    if (!ds) {
        ind->note = fmt_dup("the store has no survey \"%s\"", ind->survey);
        return ind->note ? EGDI_OK : nomem(err);
    }
    if (ds->nrows == 0) {
        ind->note = ds->n_round
                        ? fmt_dup("none of the %zu respondents of survey \"%s\" in round %d "
                                  "rates a unit (import it with --unit-column)",
                                  ds->n_round, ind->survey, ind->round)
                        : fmt_dup("survey \"%s\" has no respondents of round %d; an import "
                                  "of it with --round %d brings them",
                                  ind->survey, ind->round, ind->round);
        return ind->note ? EGDI_OK : nomem(err);
    }
    /* the items */
    if (src->scale) {
        long k = egdi_dataset_scale_find(ds, src->scale);
        if (k < 0) {
            char names[SURVEY_TEXT_MAX] = "";
            for (size_t q = 0; q < ds->nscales; q++) {
                size_t l = strlen(names);
                snprintf(names + l, sizeof names - l, "%s%s", l ? ", " : "", ds->scale[q].name);
            }
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "%s: survey \"%s\" has no scale \"%s\" (%s%s); fix the model's "
                                  "scale or import the survey with --scales",
                                  node->code, ind->survey, src->scale,
                                  names[0] ? "its scales: " : "it has no scales", names);
        }
        p = ds->scale[k].n;
        if (!(cols = malloc(p * sizeof *cols)))
            return nomem(err);
        memcpy(cols, ds->scale[k].col, p * sizeof *cols);
    } else {
        egdi_error e;
        egdi_error_clear(&e);
        if ((st = egdi_dataset_columns(ds, src->items, &cols, &p, &e)) != EGDI_OK)
            return egdi_error_set(err, st == EGDI_ERR_NOMEM ? st : EGDI_ERR_ARG,
                                  "%s: the items \"%s\" of survey \"%s\": %s", node->code,
                                  src->items, ind->survey, e.message);
        for (size_t k = 0; k < p; k++)
            if (!ds->col[cols[k]].stored_item) {
                st = egdi_error_set(err, EGDI_ERR_ARG, "%s: %s is not an item of survey \"%s\"",
                                    node->code, ds->col[cols[k]].name, ind->survey);
                goto out;
            }
    }
    if (!(ind->items = items_text(ds, cols, p))) {
        st = nomem(err);
        goto out;
    }
    if (node->rule == EGDI_RULE_LIKERT && src->statistic == EGDI_STAT_MEAN && ds->have_scale &&
        (ds->scale_min != node->scale_min || ds->scale_max != node->scale_max)) {
        st = egdi_error_set(err, EGDI_ERR_ARG,
                            "%s: rule likert scores the scale %g-%g, but survey \"%s\" answers "
                            "on %g-%g (set the indicator's scale_min and scale_max)",
                            node->code, node->scale_min, node->scale_max, ind->survey,
                            ds->scale_min, ds->scale_max);
        goto out;
    }
    if ((st = gates(ds, cols, p, src, ind, failed, sizeof failed, err)) != EGDI_OK)
        goto out;
    if (failed[0] && !(ind->failed = strdup(failed))) {
        st = nomem(err);
        goto out;
    }
    if (failed[0] && src->gate == EGDI_GATE_REFUSE) {
        st = egdi_error_set(err, EGDI_ERR_VALUE,
                            "%s: survey \"%s\" round %d, %s %s: %s; the model's gate is refuse, "
                            "so nothing was scored",
                            node->code, ind->survey, ind->round, src->scale ? "scale" : "items",
                            src->scale ? src->scale : src->items, failed);
        goto out;
    }
    /* each respondent's score, then one pass grouped by unit */
    egdi_error e;
    egdi_error_clear(&e);
    if ((st = egdi_dataset_scale_scores(ds, cols, p, &y, &e)) != EGDI_OK) {
        egdi_error_set(err, st, "%s: survey \"%s\": %s", node->code, ind->survey, e.message);
        goto out;
    }
    /* the scores grouped by unit in two passes (count, then place: each
     * unit's scores stay in row order), then each unit's figures */
    if (!(acc = calloc(U ? U : 1, sizeof *acc)) || !(at = malloc((U + 1) * sizeof *at)) ||
        !(unit_of = malloc((ds->nrows ? ds->nrows : 1) * sizeof *unit_of))) {
        st = nomem(err);
        goto out;
    }
    int64_t bids[SURVEY_MAX_BATCHES];
    size_t nb = 0, total = 0, last_b = 0;
    /* store ids are small and dense: a direct table from id to unit when it
     * is not much larger than the units, else the sorted look-up */
    int64_t max_id = U ? ix[U - 1].id : 0;
    if (max_id > 0 && (uint64_t)max_id <= 4 * (uint64_t)U + 1024 &&
        (by_id = malloc(((size_t)max_id + 1) * sizeof *by_id)) != NULL) {
        for (int64_t id = 0; id <= max_id; id++)
            by_id[id] = -1;
        for (size_t k = 0; k < U; k++)
            if (ix[k].id >= 0)
                by_id[ix[k].id] = (long)ix[k].idx;
    }
    for (size_t i = 0; i < ds->nrows; i++) {
        int64_t id = ds->unit_id[i];
        long u = isnan(y[i])                         ? -1
                 : by_id && id >= 0 && id <= max_id ? by_id[id]
                 : by_id                             ? -1
                                                     : find_unit(ix, U, id);
        unit_of[i] = u; /* -1: no score, or a unit the round does not have */
        if (u < 0)
            continue;
        total++;
        size_t b = nb && bids[last_b] == ds->batch_id[i] ? last_b : 0;
        while (b < nb && bids[b] != ds->batch_id[i])
            b++;
        last_b = b < nb ? b : last_b;
        if (b == nb && nb < SURVEY_MAX_BATCHES)
            bids[nb++] = ds->batch_id[i];
        if (b >= SURVEY_MAX_BATCHES)
            b = SURVEY_MAX_BATCHES - 1;
        acc[u].n++;
        acc[u].batches |= (uint64_t)1 << b;
        if (src->statistic == EGDI_STAT_TOP && y[i] >= src->top)
            acc[u].top++;
    }
    if (!(grouped = malloc((total ? total : 1) * sizeof *grouped))) {
        st = nomem(err);
        goto out;
    }
    at[0] = 0;
    for (size_t u = 0; u < U; u++)
        at[u + 1] = at[u] + acc[u].n;
    for (size_t i = 0; i < ds->nrows; i++)
        if (unit_of[i] >= 0)
            grouped[at[unit_of[i]]++] = y[i];
    for (size_t u = 0; u < U; u++) {
        size_t first = at[u] - acc[u].n;
        if (acc[u].n)
            egdi_desc_moments(grouped + first, acc[u].n, 1, &acc[u].mean, &acc[u].sd);
    }
    ind->respondents = total;
    if (nb && !(ind->batches = batch_text(~(uint64_t)0 >> (64 - nb), bids, nb))) {
        st = nomem(err);
        goto out;
    }
    /* departments first, then the regions from them */
    for (int pass = 0; pass < 2; pass++)
        for (size_t u = 0; u < U; u++) {
            bool region = in->in.units[u].kind == EGDI_UNIT_REGION;
            if (region != (pass == 1))
                continue;
            egdi_survey_value *v = &ind->unit[u];
            uint64_t mask = acc[u].batches;
            if (region)
                region_value(m, in, u, acc, src, !failed[0], ind->unit, &mask);
            else {
                unit_value(&acc[u], src, v);
                v->state = acc[u].n == 0              ? EGDI_SURVEY_NONE
                           : acc[u].n < src->min_n    ? EGDI_SURVEY_FEW
                           : failed[0]                ? EGDI_SURVEY_GATE
                                                      : EGDI_SURVEY_VALUE;
                if (v->state != EGDI_SURVEY_VALUE)
                    v->value = NAN;
            }
            if (mask && !(v->batches = batch_text(mask, bids, nb))) {
                st = nomem(err);
                goto out;
            }
        }
out:
    free(cols);
    free(y);
    free(acc);
    free(at);
    free(unit_of);
    free(by_id);
    free(grouped);
    return st;
}

/* The indicator of node j before it is computed: its settings. */
static egdi_status indicator_init(const egdi_model *m, size_t j, int year, size_t nunits,
                                  egdi_survey_indicator *ind, egdi_error *err)
{
    const egdi_survey_source *src = m->nodes[j].survey;
    char stat[64];
    ind->node = j;
    ind->round = year;
    ind->survey = dup_or_null(egdi_source_survey(m, &m->nodes[j]));
    ind->scale = dup_or_null(src->scale);
    ind->statistic = strdup(egdi_source_statistic_text(src, stat, sizeof stat));
    ind->conflict = src->conflict;
    ind->min_n = src->min_n;
    ind->min_alpha = src->min_alpha;
    ind->min_kmo = src->min_kmo;
    ind->item_check = src->item_analysis;
    ind->alpha = ind->cr_min = ind->kmo = NAN;
    ind->unit = calloc(nunits ? nunits : 1, sizeof *ind->unit);
    if (!ind->survey || (src->scale && !ind->scale) || !ind->statistic || !ind->unit)
        return nomem(err);
    for (size_t u = 0; u < nunits; u++) {
        egdi_survey_value *v = &ind->unit[u];
        v->value = v->mean = v->sd = v->se = v->dept_value = v->own_value = v->metric = NAN;
    }
    return EGDI_OK;
}

egdi_status egdi_survey_compute(egdi_store *s, const egdi_model *m, int year,
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
    unit_key *ix = NULL;
    egdi_dataset *ds = NULL;
    const char *ds_name = NULL; /* the survey ds holds (borrowed from the model) */
    egdi_status st = EGDI_OK;
    if (!(out->v = calloc(k, sizeof *out->v)) || !(ix = unit_index(in))) {
        st = nomem(err);
        goto fail;
    }
    for (size_t j = 0; j < m->nnodes; j++) {
        if (!m->nodes[j].survey)
            continue;
        egdi_survey_indicator *ind = &out->v[out->n++];
        if ((st = indicator_init(m, j, year, in->in.nunits, ind, err)) != EGDI_OK)
            goto fail;
        /* the survey of the leaf before is read once */
        if (ds && strcmp(ds_name, ind->survey) != 0) {
            egdi_dataset_free(ds);
            ds = NULL;
        }
        bool stored = true;
        if (!ds) {
            ds_name = egdi_source_survey(m, &m->nodes[j]);
            egdi_error e;
            egdi_error_clear(&e);
            st = egdi_dataset_load_rated(s, ind->survey, year, &ds, &e);
            if (st == EGDI_ERR_NOT_FOUND)
                stored = false;
            else if (st == EGDI_OK)
                st = egdi_dataset_define(ds, NULL, &e);
            if (st != EGDI_OK && stored) {
                egdi_error_set(err, st, "%s: survey \"%s\": %s", m->nodes[j].code, ind->survey,
                               e.message);
                goto fail;
            }
            st = EGDI_OK;
        }
        if ((st = compute_one(m, j, stored ? ds : NULL, in, ix, ind, err)) != EGDI_OK)
            goto fail;
    }
    egdi_dataset_free(ds);
    free(ix);
    return EGDI_OK;
fail:
    egdi_dataset_free(ds);
    free(ix);
    egdi_survey_results_release(out);
    return st;
}

/* ---- the merge with imported metrics ------------------------------------------------ */

void egdi_survey_merge(const egdi_model *m, egdi_survey_results *r, egdi_round_input *in)
{
    size_t N = m->nnodes;
    for (size_t i = 0; i < r->n; i++) {
        egdi_survey_indicator *ind = &r->v[i];
        size_t j = ind->node;
        for (size_t u = 0; u < in->in.nunits; u++) {
            egdi_survey_value *v = &ind->unit[u];
            if (!applies(m, j, in->in.units[u].kind))
                continue;
            double *raw = &in->raw[u * N + j];
            v->metric = *raw;
            bool has_s = v->state == EGDI_SURVEY_VALUE, has_m = !isnan(*raw);
            if (has_s && (!has_m || ind->conflict == EGDI_PREFER_SURVEY)) {
                *raw = v->value;
                v->used = EGDI_USED_SURVEY;
            } else if (has_m)
                v->used = EGDI_USED_METRIC;
            else
                v->used = EGDI_USED_NONE;
        }
    }
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
            if (!applies(m, x->node, c->in->in.units[u].kind) ||
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
    const unit_key *ix;
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
    ind->survey = dup_or_null(row->survey);
    ind->scale = dup_or_null(row->scale);
    ind->items = dup_or_null(row->items);
    ind->statistic = dup_or_null(row->statistic);
    ind->cr_failed = dup_or_null(row->cr_failed);
    ind->failed = dup_or_null(row->failed);
    ind->note = dup_or_null(row->note);
    ind->batches = dup_or_null(row->batches);
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
    long u = find_unit(k->ix, k->in->in.nunits, row->unit_id);
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
    unit_key *ix = unit_index(in);
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
        if (in->in.units[u].kind != kind || !applies(m, ind->node, kind))
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
        if (in->in.units[u].kind != kind || !applies(m, ind->node, kind) ||
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
                text_put(buf, size, &at, "，%zu 个有答卷但没有达到 %zu 人的部门或自身答卷，无问卷值", t.few,
                    ind->min_n);
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
                text_put(buf, size, &at, ", %zu with respondents but neither a department nor respondents of its "
                    "own reaching %zu %s no survey value",
                    t.few, ind->min_n, t.few == 1 ? "has" : "have");
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
