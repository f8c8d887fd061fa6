/*
 * survey_source.c - the model's indicators computed from a survey, per unit
 * (see survey_source.h): the respondents of the round read once per survey
 * through the survey dataset layer, the gates from the statistics' own
 * homes (reliability.c, itemanalysis.c, fa_corr.c), one pass over the
 * respondents grouped by unit, the regions, the merge with imported
 * metrics.  The rows a score run stores and reads back, and the texts on
 * them, are survey_runs.c's.
 *
 * Units are found by store id through a sorted (id, index) array.  Work
 * arrays are per survey leaf and freed on every path; the results own
 * their strings and arrays (egdi_survey_results_release).
 */
#include "indicators/survey_source.h"
#include "indicators/survey_private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "surveys/dataset.h"
#include "surveys/descriptive.h"
#include "surveys/factor.h"
#include "surveys/itemanalysis.h"
#include "surveys/reliability.h"

/* The imports told apart per unit; the rest share the last bit. */
#define SURVEY_MAX_BATCHES 64

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

char *survey_strdup(const char *s)
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

static int cmp_unit_key(const void *a, const void *b)
{
    const survey_unit_key *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

survey_unit_key *survey_unit_index(const egdi_round_input *in)
{
    size_t n = in->in.nunits;
    survey_unit_key *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++)
        k[i] = (survey_unit_key){in->unit_ids[i], i};
    qsort(k, n, sizeof *k, cmp_unit_key);
    return k;
}

long survey_find_unit(const survey_unit_key *k, size_t n, int64_t id)
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
bool survey_applies(const egdi_model *m, size_t j, egdi_unit_kind kind)
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
                               const egdi_round_input *in, const survey_unit_key *ix,
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
                                                     : survey_find_unit(ix, U, id);
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
    ind->survey = survey_strdup(egdi_source_survey(m, &m->nodes[j]));
    ind->scale = survey_strdup(src->scale);
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
    survey_unit_key *ix = NULL;
    egdi_dataset *ds = NULL;
    const char *ds_name = NULL; /* the survey ds holds (borrowed from the model) */
    egdi_status st = EGDI_OK;
    if (!(out->v = calloc(k, sizeof *out->v)) || !(ix = survey_unit_index(in))) {
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
            if (!survey_applies(m, j, in->in.units[u].kind))
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
