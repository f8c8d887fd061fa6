/*
 * report_build.c - gathering the report's data from the store (see
 * report_build.h).
 *
 * The ranking part comes from indicators/ranking.c (departments and regions
 * each ranked within their kind, compared with the earlier round: previous
 * rank, the previous stage stored with that round's run, stage axis and
 * bands); the store's rows from engine/store/ (observations.c for where
 * each value came from, score_runs.c for the regions' trend, batches.c for
 * the input files).
 *
 * The bundle keeps every allocation it makes in a list of blocks (`keep`)
 * freed together, plus the structures of the other modules it loaded
 * (the two rounds, their rankings, survey data and summary) freed by their
 * own functions.
 */
#include "reports/report_build.h"
#include "reports/build_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/store/batches.h"
#include "engine/store/observations.h"
#include "engine/store/score_runs.h"
#include "engine/store/survey_store.h"
#include "indicators/change.h"
#include "indicators/model.h"
#include "indicators/ranking.h"
#include "indicators/round.h"
#include "indicators/score.h"
#include "indicators/survey_source.h"
#include "indicators/uncertainty_store.h"
#include "surveys/corr.h"
#include "surveys/dataset.h"
#include "surveys/descriptive.h"
#include "surveys/profile.h"

/* item analysis, reliability, KMO, variance, loadings; then, with the
 * dimensions' CFA: fit, convergent validity, Fornell-Larcker, HTMT, Harman
 * (or one table saying why the CFA is missing) */
#define N_SURVEY_TABLES 5
#define N_SURVEY_TABLES_MAX (N_SURVEY_TABLES + 5 + 3 + EGDI_REPORT_MAX_GROUPS + \
                             2 * EGDI_REPORT_MAX_MODELS) /* + profile, descriptives,
                                                            correlations, group tests,
                                                            regressions */

struct egdi_report_bundle {
    egdi_report_data data;
    report_keep mem;        /* blocks freed with the bundle (report_keep.c) */
    egdi_round cur, prev;   /* this round's and the compared round's stored runs */
    egdi_ranking *dep, *reg; /* departments and regions, ranked and compared */
    egdi_dataset *sd;       /* the survey (surveys/dataset.h) */
    bool sd_borrowed;       /* egdi_report_build_survey: the caller's */
    egdi_survey_summary sum;
    bool have_sum;
    char survey_note[EGDI_ERR_MSG_MAX + 300];
    egdi_report_survey survey;
    egdi_report_table tables[N_SURVEY_TABLES_MAX];
};

static void *alloc(egdi_report_bundle *b, size_t n, size_t size)
{
    return report_keep_alloc(&b->mem, n, size);
}

static char *dup(egdi_report_bundle *b, const char *s)
{
    return report_keep_dup(&b->mem, s);
}

void egdi_report_bundle_free(egdi_report_bundle *b)
{
    if (!b)
        return;
    report_keep_free(&b->mem);
    egdi_ranking_free(b->dep);
    egdi_ranking_free(b->reg);
    egdi_round_release(&b->cur);
    egdi_round_release(&b->prev);
    if (!b->sd_borrowed)
        egdi_dataset_free(b->sd);
    if (b->have_sum)
        egdi_survey_summary_release(&b->sum);
    free(b);
}

const egdi_report_data *egdi_report_bundle_data(const egdi_report_bundle *b)
{
    return &b->data;
}

const egdi_survey_summary *egdi_report_bundle_survey(const egdi_report_bundle *b)
{
    return b->have_sum ? &b->sum : NULL;
}

const char *egdi_report_bundle_survey_note(const egdi_report_bundle *b)
{
    return b->survey_note;
}

static const char *node_name(const egdi_node *n, egdi_report_lang lang)
{
    const char *s = lang == EGDI_REPORT_EN ? n->name_en : n->name_zh;
    return s && *s ? s : n->code;
}

/* Why unit u is not rankable, in the report language: its coverage
 * against the model's minimum and the applicable indicators without a
 * value (at most REASON_LEAVES named, then how many more). */
#define REASON_LEAVES 8

static const char *unrankable_reason(egdi_report_bundle *b, size_t u)
{
    const egdi_model *m = b->cur.model;
    const egdi_score_result *r = b->cur.result;
    bool en = b->data.lang == EGDI_REPORT_EN;
    char text[1024];
    size_t len = 0, named = 0, more = 0;
    int n;
    if (isfinite(r->coverage[u]) && r->coverage[u] < m->min_coverage)
        n = snprintf(text, sizeof text,
                     en ? "coverage %.0f%% below the model's minimum %.0f%%"
                        : "数据覆盖率 %.0f%% 低于模型要求的 %.0f%%",
                     100 * r->coverage[u], 100 * m->min_coverage);
    else
        n = snprintf(text, sizeof text, "%s", en ? "no index could be computed" : "无法计算指数");
    if (n < 0 || (size_t)n >= sizeof text)
        return NULL;
    len = (size_t)n;
    for (size_t j = 0; j < m->nnodes; j++) {
        unsigned char st = r->status[u * m->nnodes + j];
        if (!egdi_node_is_leaf(&m->nodes[j]) ||
            (st != EGDI_NODE_MISSING && st != EGDI_NODE_IMPUTED))
            continue;
        if (named == REASON_LEAVES) {
            more++;
            continue;
        }
        n = snprintf(text + len, sizeof text - len, "%s%s",
                     named ? (en ? ", " : "、") : (en ? "; no value: " : "；缺少："),
                     m->nodes[j].code);
        if (n < 0 || (size_t)n >= sizeof text - len)
            break;
        len += (size_t)n;
        named++;
    }
    if (more)
        snprintf(text + len, sizeof text - len, en ? " and %zu more" : " 等 %zu 项", more + named);
    return dup(b, text);
}

/* The units of one ranking (departments or regions), in its order: ranked
 * first, then the unranked of that kind.  cix: the round's code index;
 * pcix: the compared round's (NULL without one). */
static egdi_status fill_units(egdi_report_bundle *b, const egdi_ranking *k, const size_t *cix,
                              const size_t *pcix, egdi_report_unit **out, size_t *nout,
                              egdi_error *err)
{
    const egdi_model *m = b->cur.model;
    const egdi_round_input *in = &b->cur.in;
    const egdi_score_result *r = b->cur.result;
    egdi_report_unit *units = alloc(b, k->n, sizeof *units);
    if (!units)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    const egdi_node *root = &m->nodes[m->root];
    for (size_t p = 0; p < k->n; p++) {
        size_t u = k->order[p];
        egdi_report_unit *ru = &units[p];
        ru->rank = k->rank[u] > 0 ? (uint32_t)k->rank[u] : 0;
        ru->code = in->codes[u];
        ru->name = in->names[u] ? in->names[u] : in->codes[u];
        ru->kind = in->in.units[u].kind == EGDI_UNIT_REGION ? "region" : "department";
        ru->region = NULL;
        ru->region_code = in->regions[u];
        if (in->regions[u]) {
            long ri = egdi_round_input_find(in, cix, in->regions[u]);
            ru->region = ri >= 0 && in->names[ri] ? in->names[ri] : in->regions[u];
        }
        ru->index = r->rankable[u] ? r->egdi[u] : NAN;
        for (size_t c = 0; c < root->nchildren && c < EGDI_REPORT_MAX_SUB; c++)
            ru->sub[c] = r->score[u * m->nnodes + root->children[c]];
        ru->stage = (int)k->stage[u];
        ru->rankable = r->rankable[u];
        ru->prev_rank = k->prev_rank && k->prev_rank[u] > 0 ? (uint32_t)k->prev_rank[u] : 0;
        ru->prev_stage = k->prev_stage ? (int)k->prev_stage[u] : -1;
        ru->coverage = r->coverage[u];
        ru->reason = NULL;
        if (!ru->rankable && !(ru->reason = unrankable_reason(b, u)))
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        ru->prev_index = NAN;
        for (size_t c = 0; c < EGDI_REPORT_MAX_SUB; c++)
            ru->prev_sub[c] = NAN;
        /* none until the uncertainty run says (it ranks departments) */
        ru->rank_lo = ru->rank_hi = ru->p_stage = NAN;
        long pu = pcix ? egdi_round_input_find(&b->prev.in, pcix, in->codes[u]) : -1;
        if (pu >= 0) {
            const egdi_model *pm = b->prev.model;
            const egdi_score_result *pr = b->prev.result;
            const egdi_node *proot = &pm->nodes[pm->root];
            ru->prev_index = pr->rankable[pu] ? pr->egdi[pu] : NAN;
            /* sub-indices matched by code (the models may differ) */
            for (size_t c = 0; c < root->nchildren && c < EGDI_REPORT_MAX_SUB; c++)
                for (size_t q = 0; q < proot->nchildren; q++)
                    if (strcmp(pm->nodes[proot->children[q]].code,
                               m->nodes[root->children[c]].code) == 0)
                        ru->prev_sub[c] = pr->score[(size_t)pu * pm->nnodes + proot->children[q]];
        }
    }
    *out = units;
    *nout = k->n;
    return EGDI_OK;
}

/* The stage axis of the ranking as report bands (this round's model's
 * stages coloured along the ramp, stages only the earlier round had in
 * grey) and, when the rounds used different stage tables, the earlier
 * round's own bands. */
#define PREVIOUS_ONLY_COLOUR 0xaaaaaa

static void band(egdi_report_stage *dst, const egdi_stage *s, uint32_t colour)
{
    *dst = (egdi_report_stage){s->code, s->name_zh, s->name_en, s->lower, s->upper, colour};
}

static egdi_status fill_stages(egdi_report_bundle *b, egdi_error *err)
{
    const egdi_ranking *k = b->dep;
    egdi_report_data *d = &b->data;
    egdi_report_stage *st = alloc(b, k->nstages, sizeof *st);
    if (!st)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    d->nstages = k->nstages < EGDI_REPORT_MAX_STAGES ? k->nstages : EGDI_REPORT_MAX_STAGES;
    for (size_t i = 0; i < d->nstages; i++)
        band(&st[i], k->stages[i],
             i < k->ncurrent ? egdi_report_stage_colour(i, k->ncurrent) : PREVIOUS_ONLY_COLOUR);
    d->stages = st;
    if (k->prev && !k->same_bands) {
        const egdi_model *pm = k->prev->model;
        egdi_report_stage *ps = alloc(b, pm->nstages, sizeof *ps);
        if (!ps)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        d->nprev_stages =
            pm->nstages < EGDI_REPORT_MAX_STAGES ? pm->nstages : EGDI_REPORT_MAX_STAGES;
        for (size_t i = 0; i < d->nprev_stages; i++)
            band(&ps[i], &pm->stages[i], egdi_report_stage_colour(i, d->nprev_stages));
        d->prev_stages = ps;
    }
    return EGDI_OK;
}

/* ---- where each value came from ------------------------------------------ */

/* The sources of the round's values (issue 20: 1.5 million of them at
 * 50,000 units): src[u * nnodes + j] is the source cell of unit u's value
 * of leaf j ("metrics.xlsx!2024!C5", the file's base name), carved from
 * 8 MiB text blocks the bundle keeps (huge pages), or NULL.  Units are found by store id
 * (a sorted index), leaves by code (case-insensitive, as the store matches
 * them); a later observation of the same value replaces an earlier one. */
#define PROV_BLOCK (8u << 20)

typedef struct {
    int64_t id;
    size_t u;
} unit_at;

static int cmp_unit_at(const void *a, const void *b)
{
    const unit_at *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct {
    egdi_report_bundle *b;
    const egdi_model *m;
    unit_at *units;         /* by store id */
    size_t nunits;
    const char **src;       /* nunits x nnodes */
    char *block;            /* the text block being filled */
    size_t used;
    const char *file, *sheet; /* the place of the last row, and its text */
    char place[512];
    size_t nplace;
    size_t last_j;
    int64_t last_id;        /* the unit of the last row, and where it is */
    const unit_at *last_unit;
} prov_sink;

/* The leaf of code, trying the one after the last first; SIZE_MAX if none. */
static size_t leaf_of(prov_sink *k, const char *code)
{
    const egdi_model *m = k->m;
    size_t j = k->last_j + 1 < m->nnodes ? k->last_j + 1 : 0;
    for (size_t n = 0; n < m->nnodes; n++, j = j + 1 < m->nnodes ? j + 1 : 0)
        if (egdi_node_is_leaf(&m->nodes[j]) && strcasecmp(m->nodes[j].code, code) == 0)
            return k->last_j = j;
    return SIZE_MAX;
}

/* One observation's source as "file!sheet!C5" (the file's base name). */
static egdi_status on_source(void *ctx, const egdi_store_source_row *row, egdi_error *err)
{
    prov_sink *k = ctx;
    const unit_at *ua = k->last_unit;
    if (!ua || row->unit_id != k->last_id) { /* rows come unit by unit */
        unit_at key = {row->unit_id, 0};
        ua = k->nunits ? bsearch(&key, k->units, k->nunits, sizeof key, cmp_unit_at) : NULL;
        k->last_id = row->unit_id;
        k->last_unit = ua;
    }
    size_t j = ua ? leaf_of(k, row->indicator) : SIZE_MAX;
    if (j == SIZE_MAX)
        return EGDI_OK; /* a unit or indicator this round's run does not show */
    if (!k->file || strcmp(k->file, row->file) != 0 ||
        (k->sheet == NULL) != (row->sheet == NULL) ||
        (row->sheet && strcmp(k->sheet, row->sheet) != 0)) {
        const char *base = strrchr(row->file, '/');
        base = base ? base + 1 : row->file;
        int n = snprintf(k->place, sizeof k->place, "%s%s%s!", base, row->sheet ? "!" : "",
                         row->sheet ? row->sheet : "");
        k->nplace = n < 0 ? 0 : (size_t)n < sizeof k->place ? (size_t)n : sizeof k->place - 1;
        k->file = dup(k->b, row->file);
        k->sheet = row->sheet ? dup(k->b, row->sheet) : NULL;
        if (!k->file || (row->sheet && !k->sheet))
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    /* the cell "C5": its column letters and row, without snprintf (1.5
     * million of them) */
    char cell[32], digits[12];
    egdi_error_col_letters(row->col, cell);
    size_t nc = strlen(cell), nd = 0;
    uint32_t rn = row->row;
    do {
        digits[nd++] = (char)('0' + rn % 10);
        rn /= 10;
    } while (rn);
    while (nd)
        cell[nc++] = digits[--nd];
    size_t need = k->nplace + nc + 1;
    if (!k->block || k->used + need > PROV_BLOCK) {
        k->block = alloc(k->b, PROV_BLOCK, 1);
        k->used = 0;
        if (!k->block)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    char *o = k->block + k->used;
    memcpy(o, k->place, k->nplace);
    memcpy(o + k->nplace, cell, need - k->nplace - 1);
    o[need - 1] = '\0';
    k->used += need;
    k->src[ua->u * k->m->nnodes + j] = o;
    return EGDI_OK;
}

/* Every value's source of round (see prov_sink); *out NULL when there are
 * no units. */
static egdi_status load_provenance(egdi_report_bundle *b, egdi_store *s, int round,
                                   const char ***out, egdi_error *err)
{
    const egdi_model *m = b->cur.model;
    const egdi_round_input *in = &b->cur.in;
    *out = NULL;
    if (!in->in.nunits || !m->nnodes || !in->unit_ids)
        return EGDI_OK;
    prov_sink k = {.b = b, .m = m, .nunits = in->in.nunits};
    k.units = malloc(k.nunits * sizeof *k.units);
    k.src = alloc(b, k.nunits * m->nnodes, sizeof *k.src);
    if (!k.units || !k.src) {
        free(k.units);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t u = 0; u < k.nunits; u++)
        k.units[u] = (unit_at){in->unit_ids[u], u};
    qsort(k.units, k.nunits, sizeof *k.units, cmp_unit_at);
    egdi_status rc = egdi_store_obs_sources_each(s, round, 0, on_source, &k, err);
    free(k.units);
    if (rc == EGDI_OK)
        *out = k.src;
    return rc;
}

/* Every indicator value of the round with its source, its effective weight
 * in the unit's index and, with a compared round (pcix: its code index),
 * the unit's score of the same indicator (matched by code) in that round's
 * stored run. */
static egdi_status fill_indicators(egdi_report_bundle *b, egdi_store *s, const size_t *pcix,
                                   egdi_error *err)
{
    const egdi_model *m = b->cur.model;
    const egdi_round_input *in = &b->cur.in;
    const egdi_score_result *r = b->cur.result;
    const egdi_model *pm = pcix ? b->prev.model : NULL;
    const char **src = NULL;
    egdi_status rc = load_provenance(b, s, b->data.round, &src, err);
    if (rc != EGDI_OK)
        return rc;
    double *w = alloc(b, m->nnodes, sizeof *w);
    long *pnode = alloc(b, m->nnodes, sizeof *pnode); /* node j in the earlier model */
    if (!w || !pnode)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t j = 0; j < m->nnodes; j++) {
        pnode[j] = -1;
        for (size_t q = 0; pm && q < pm->nnodes && pnode[j] < 0; q++)
            if (strcmp(pm->nodes[q].code, m->nodes[j].code) == 0)
                pnode[j] = (long)q;
    }
    size_t cap = 0;
    for (size_t u = 0; u < in->in.nunits; u++)
        for (size_t j = 0; j < m->nnodes; j++)
            cap += egdi_node_is_leaf(&m->nodes[j]) && r->status[u * m->nnodes + j] != EGDI_NODE_NA;
    egdi_report_indicator *v = alloc(b, cap, sizeof *v);
    if (!v)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t u = 0; u < in->in.nunits; u++) {
        egdi_change_weights(m, r, u, w);
        long pu = pcix ? egdi_round_input_find(&b->prev.in, pcix, in->codes[u]) : -1;
        for (size_t j = 0; j < m->nnodes; j++) {
            const egdi_node *nd = &m->nodes[j];
            size_t at = u * m->nnodes + j;
            if (!egdi_node_is_leaf(nd) || r->status[at] == EGDI_NODE_NA)
                continue;
            egdi_report_indicator *ri = &v[k++];
            ri->unit_code = in->codes[u];
            ri->unit_name = in->names[u];
            ri->indicator_code = nd->code;
            ri->indicator_name = node_name(nd, b->data.lang);
            ri->raw = in->raw[at];
            ri->score = r->score[at];
            ri->source = src ? src[at] : NULL;
            ri->weight = w[j] > 0 ? w[j] : NAN;
            ri->prev_score = pu >= 0 && pnode[j] >= 0
                                 ? b->prev.result->score[(size_t)pu * pm->nnodes + (size_t)pnode[j]]
                                 : NAN;
        }
    }
    b->data.indicators = v;
    b->data.nindicators = k;
    return EGDI_OK;
}

/* ---- the regions across rounds ------------------------------------------ */

typedef struct {
    size_t region; /* index into data.regions */
    egdi_report_point pt;
} tagged;

typedef struct {
    const egdi_report_data *d;
    const size_t *by_code; /* region indices sorted by code */
    tagged *all;
    size_t n, cap;
} series_sink;

static long region_index(const series_sink *k, const char *code)
{
    size_t lo = 0, hi = k->d->nregions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(k->d->regions[k->by_code[mid]].code, code);
        if (c == 0)
            return (long)k->by_code[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static egdi_status on_series(void *ctx, int round, const char *code, double egdi,
                             egdi_error *err)
{
    series_sink *k = ctx;
    long r = region_index(k, code);
    if (r < 0)
        return EGDI_OK;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 256;
        tagged *na = realloc(k->all, cap * sizeof *na);
        if (!na)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        k->all = na;
        k->cap = cap;
    }
    k->all[k->n++] = (tagged){(size_t)r, {round, egdi}};
    return EGDI_OK;
}

/* Sorting region indices by code: the codes travel with the indices. */
typedef struct {
    const char *code;
    size_t idx;
} region_key;

static int cmp_region_key(const void *a, const void *b)
{
    return strcmp(((const region_key *)a)->code, ((const region_key *)b)->code);
}

/* The EGDI of every region in every scored round of the model. */
static egdi_status fill_series(egdi_report_bundle *b, egdi_store *s, egdi_error *err)
{
    size_t nregions = b->data.nregions;
    egdi_report_series *series = alloc(b, nregions, sizeof *series);
    size_t *by_code = alloc(b, nregions, sizeof *by_code);
    region_key *rk = malloc((nregions ? nregions : 1) * sizeof *rk);
    if (!series || !by_code || !rk) {
        free(rk);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < nregions; i++)
        rk[i] = (region_key){b->data.regions[i].code, i};
    qsort(rk, nregions, sizeof *rk, cmp_region_key);
    for (size_t i = 0; i < nregions; i++)
        by_code[i] = rk[i].idx;
    free(rk);
    series_sink k = {&b->data, by_code, NULL, 0, 0};
    egdi_status rc = egdi_store_region_series_each(s, b->cur.model->name, on_series, &k, err);
    egdi_report_point *pts = rc == EGDI_OK ? alloc(b, k.n, sizeof *pts) : NULL;
    if (rc == EGDI_OK && !pts)
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    if (rc != EGDI_OK) {
        free(k.all);
        return rc;
    }
    /* rows come sorted by region code then round: one run per region */
    size_t at = 0, ns = 0;
    for (size_t i = 0; i < k.n;) {
        size_t r = k.all[i].region, start = at;
        while (i < k.n && k.all[i].region == r)
            pts[at++] = k.all[i++].pt;
        series[ns].code = b->data.regions[r].code;
        series[ns].name = b->data.regions[r].name;
        series[ns].points = pts + start;
        series[ns].npoints = at - start;
        ns++;
    }
    free(k.all);
    b->data.series = series;
    b->data.nseries = ns;
    return EGDI_OK;
}

/* ---- method ------------------------------------------------------------ */

typedef struct {
    egdi_report_bundle *b;
    egdi_report_input *v;
    size_t n, cap;
    const char *store_dir; /* the store's folder ("" = unknown) */
    int round;             /* the round being listed */
} input_sink;

/* An input file's name as the report shows it: relative to the store's
 * folder when it lies inside it (the office's other paths stay private),
 * else its base name. */
static const char *shown_path(const char *store_dir, const char *file)
{
    size_t n = strlen(store_dir);
    if (n && strncmp(file, store_dir, n) == 0 && file[n] == '/' && file[n + 1])
        return file + n + 1;
    const char *base = strrchr(file, '/');
    return base ? base + 1 : file;
}

static egdi_status on_input(void *ctx, const char *file, const char *sha256, egdi_error *err)
{
    input_sink *k = ctx;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        egdi_report_input *nv = alloc(k->b, cap, sizeof *nv);
        if (!nv)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        if (k->n)
            memcpy(nv, k->v, k->n * sizeof *nv);
        k->v = nv;
        k->cap = cap;
    }
    k->v[k->n].name = dup(k->b, shown_path(k->store_dir, file));
    k->v[k->n].round = k->round;
    k->v[k->n].sha256 = dup(k->b, sha256);
    if (!k->v[k->n].name || !k->v[k->n].sha256)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    k->n++;
    return EGDI_OK;
}

/* The notes of the Method part: a stale run, and the warnings `egdi score`
 * prints (egdi_score_warnings), in the report's language. */
static egdi_status fill_notes(egdi_report_bundle *b, egdi_store *s, egdi_error *err)
{
    const egdi_model *m = b->cur.model;
    size_t N = m->nnodes;
    bool en = b->data.lang == EGDI_REPORT_EN;
    char *stale = NULL;
    egdi_status rc = egdi_store_score_run_stale(s, b->cur.run_id, &stale, err);
    if (rc != EGDI_OK)
        return rc;
    /* the indicators computed from a survey: how many units got a value
     * from how many respondents, or the gate that failed */
    egdi_survey_results sv;
    if ((rc = egdi_survey_load_run(s, b->cur.run_id, m, &b->cur.in, &sv, err)) != EGDI_OK) {
        free(stale);
        return rc;
    }
    egdi_score_count *cnt = malloc(2 * (N ? N : 1) * sizeof *cnt);
    egdi_score_warning *w = malloc(2 * (N ? N : 1) * sizeof *w);
    const char **notes = alloc(b, 2 * N + 1 + sv.n, sizeof *notes);
    size_t n = 0;
    if (!cnt || !w || !notes) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    char line[1024];
    if (stale) {
        if (en)
            snprintf(line, sizeof line, "The scores of round %d are stale: %s.", b->data.round,
                     stale);
        else
            snprintf(line, sizeof line, "第%d轮的得分已过期：%s（请重新运行 egdi score）。",
                     b->data.round, stale);
        if (!(notes[n++] = dup(b, line))) {
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    egdi_score_counts(m, &b->cur.in.in, b->cur.result, cnt);
    size_t nw = egdi_score_warnings(m, cnt, w);
    for (size_t i = 0; i < nw; i++) {
        char text[512];
        egdi_score_warning_text(m, &w[i], en, text, sizeof text);
        if (!(notes[n++] = dup(b, text))) {
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < sv.n; i++) {
        char text[2048];
        egdi_survey_indicator_text(m, &b->cur.in, &sv.v[i], !en, text, sizeof text);
        if (!(notes[n++] = dup(b, text))) {
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    b->data.method.notes = notes;
    b->data.method.nnotes = n;
done:
    egdi_survey_results_release(&sv);
    free(stale);
    free(cnt);
    free(w);
    return rc;
}

static egdi_status fill_method(egdi_report_bundle *b, egdi_store *s, const char *version,
                               const char *store_path, egdi_error *err)
{
    const egdi_model *m = b->cur.model;
    egdi_report_method *mt = &b->data.method;
    mt->model_name = m->name;
    mt->model_version = m->version;
    mt->model_hash = m->hash;
    mt->program_version = version;
    char agg[256];
    if (b->data.lang == EGDI_REPORT_EN)
        snprintf(agg, sizeof agg,
                 "region sub-index = %.2f x %s of its departments + %.2f x region-level "
                 "indicators; %s aggregation; missing data: %s",
                 m->region_share, m->region_method == EGDI_REGION_WEIGHTED ? "weighted mean"
                                                                           : "mean",
                 1 - m->region_share, egdi_aggregation_name(m->aggregation),
                 egdi_missing_name(m->missing));
    else
        snprintf(agg, sizeof agg,
                 "地区子指数 = %.2f × 所属部门%s + %.2f × 地区级指标；%s聚合；缺失数据：%s",
                 m->region_share, m->region_method == EGDI_REGION_WEIGHTED ? "加权平均" : "平均",
                 1 - m->region_share,
                 m->aggregation == EGDI_AGG_GEOMETRIC ? "加权几何平均" : "加权算术平均",
                 egdi_missing_name(m->missing));
    mt->aggregation = dup(b, agg);
    egdi_report_weight *w = alloc(b, m->nnodes, sizeof *w);
    if (!w || !mt->aggregation)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t j = 0; j < m->nnodes; j++) {
        if (j == m->root)
            continue;
        w[k].code = m->nodes[j].code;
        w[k].name = node_name(&m->nodes[j], b->data.lang);
        w[k].parent = m->nodes[j].parent;
        w[k].weight = m->nodes[j].weight;
        w[k].effective = m->nodes[j].eff_weight;
        k++;
    }
    mt->weights = w;
    mt->nweights = k;
    /* the store's folder, absolute, for the relative names */
    char store_dir[4096] = "";
    if (store_path && strcmp(store_path, ":memory:") != 0) {
        char *abs = realpath(store_path, NULL);
        if (abs) {
            char *slash = strrchr(abs, '/');
            if (slash)
                *slash = '\0';
            snprintf(store_dir, sizeof store_dir, "%s", abs);
            free(abs);
        }
    }
    input_sink is = {b, NULL, 0, 0, store_dir, b->data.round};
    egdi_status rc = egdi_store_batch_inputs_each(s, b->data.round, on_input, &is, err);
    if (rc != EGDI_OK)
        return rc;
    /* the compared round's own files (the units' file is listed once) */
    if (b->data.prev_round) {
        size_t before = is.n;
        is.round = b->data.prev_round;
        if ((rc = egdi_store_batch_inputs_each(s, b->data.prev_round, on_input, &is, err)))
            return rc;
        size_t keepn = before;
        for (size_t i = before; i < is.n; i++) {
            bool seen = false;
            for (size_t j = 0; j < before && !seen; j++)
                if (strcmp(is.v[j].sha256, is.v[i].sha256) == 0 &&
                    strcmp(is.v[j].name, is.v[i].name) == 0) {
                    seen = true;
                    is.v[j].round = 0; /* feeds both rounds (the units) */
                }
            if (!seen)
                is.v[keepn++] = is.v[i];
        }
        is.n = keepn;
    }
    mt->inputs = is.v;
    mt->ninputs = is.n;
    return fill_notes(b, s, err);
}

/* ---- survey tables ---------------------------------------------------- */

/* Allocates table t with nrows x ncols cells; headers are static strings. */
static egdi_report_cell *table(egdi_report_bundle *b, egdi_report_table *t, const char *title,
                               size_t ncols, const char *const *headers, size_t nrows,
                               int decimals)
{
    return report_keep_table(&b->mem, t, title, ncols, headers, nrows, decimals);
}

/* A factor matrix, lower triangle: diag (NULL: blank) on the diagonal,
 * val below it, each a number with the mark of mark(f, g) ("*"). */
static egdi_status factor_matrix(egdi_report_bundle *b, egdi_report_table *t, const char *title,
                                 const char *const *names, size_t m, const double *diag,
                                 const double *val, const char *(*mark)(const egdi_validity *,
                                                                         size_t, size_t),
                                 const egdi_validity *v, bool en, egdi_error *err)
{
    const char **h = alloc(b, m + 1, sizeof *h);
    egdi_report_cell *c = h ? table(b, t, title, m + 1, h, m, 3) : NULL;
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    h[0] = en ? "factor" : "因子";
    for (size_t f = 0; f < m; f++) {
        h[f + 1] = names[f];
        c[f * (m + 1)] = report_cell_text(names[f]);
        for (size_t g = 0; g < m; g++) {
            egdi_report_cell *cell = &c[f * (m + 1) + 1 + g];
            const char *mk = g < f ? mark(v, f, g) : "";
            if (g > f || (g == f && !diag))
                *cell = report_cell_num(NAN); /* blank; null in JSON */
            else if (g == f)
                *cell = report_cell_num(diag[f]);
            else
                *cell = report_cell_marked(val[f * m + g], mk);
        }
    }
    return EGDI_OK;
}

static const char *fl_mark(const egdi_validity *v, size_t f, size_t g)
{
    return v->fl_violation[f * v->m + g] ? "*" : "";
}

static const char *htmt_mark(const egdi_validity *v, size_t f, size_t g)
{
    return egdi_validity_htmt_mark(v->htmt[f * v->m + g]);
}

/* The dimensions' CFA: its fit with the cut-offs and the judgement
 * (egdi_cfa_fit_rows, as `egdi survey cfa` prints it), then the tables of
 * `egdi survey validity`; or one table saying why there is no CFA. */
static egdi_status fill_cfa_tables(egdi_report_bundle *b, size_t *ntables, egdi_error *err)
{
    const egdi_survey_summary *s = &b->sum;
    bool en = b->data.lang == EGDI_REPORT_EN;
    egdi_report_table *t = &b->tables[*ntables];
    if (!s->have_cfa) {
        if (!s->cfa_note[0])
            return EGDI_OK; /* no dimensions: no CFA */
        static const char *const h_zh[] = {"说明"}, *const h_en[] = {"note"};
        egdi_report_cell *c = table(b, t, en ? "Confirmatory factor analysis" : "验证性因子分析", 1,
                                    en ? h_en : h_zh, 1, 3);
        char *msg = dup(b, s->cfa_note);
        if (!c || !msg)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        c[0] = report_cell_text(msg);
        (*ntables)++;
        return EGDI_OK;
    }
    const egdi_cfa_result *r = &s->cfa;
    const egdi_validity *v = &s->validity;
    const egdi_cfa_model *m = s->cfa_model;
    /* fit */
    /* an interval row of egdi_cfa_fit_rows (RMSEA's 90 % CI: value = the
     * lower end, hi = the upper) goes into two number columns of the row
     * above it (RMSEA), not a row of text "[lo, hi]" */
    static const char *const h_fit_zh[] = {"指标", "值", "90% 置信区间下限", "90% 置信区间上限",
                                           "判断标准", "判断"};
    static const char *const h_fit_en[] = {"index", "value", "90% CI lower", "90% CI upper",
                                           "cut-off", "judgement"};
    egdi_cfa_fit_row rows[EGDI_CFA_FIT_ROWS];
    size_t nr = egdi_cfa_fit_rows(&r->fit, rows), nshown = 0;
    for (size_t k = 0; k < nr; k++)
        nshown += k == 0 || isnan(rows[k].hi);
    char title[512];
    snprintf(title, sizeof title,
             en ? "CFA fit indices (each dimension a factor; ML, N = %zu)"
                : "验证性因子分析拟合指标（各维度为一个因子；最大似然，N = %zu）",
             r->n);
    egdi_report_cell *c = table(b, t, dup(b, title), 6, en ? h_fit_en : h_fit_zh, nshown, 3);
    if (!c || !t->title)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_report_cell *fr = NULL;
    for (size_t k = 0; k < nr; k++) {
        if (k > 0 && !isnan(rows[k].hi)) {
            fr[2] = report_cell_num(rows[k].value);
            fr[3] = report_cell_num(rows[k].hi);
            continue;
        }
        fr = fr ? fr + 6 : c;
        fr[0] = report_cell_text(en ? rows[k].label_en : rows[k].label_zh);
        if (!isfinite(rows[k].value))
            fr[1] = report_cell_text(en ? "none (df = 0)" : "无（df = 0）");
        else
            fr[1] = rows[k].decimals == 0 ? (egdi_report_cell){NULL, rows[k].value, true, NULL}
                                           : report_cell_num(rows[k].value);
        fr[2] = report_cell_num(NAN);
        fr[3] = report_cell_num(NAN);
        char cut[128];
        egdi_cfa_cutoff_text(rows[k].cutoff, !en, cut, sizeof cut);
        fr[4] = report_cell_text(dup(b, cut));
        fr[5] = report_cell_text(egdi_cfa_verdict_text(rows[k].verdict, !en));
        if (!fr[4].text)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    t++;
    /* reliability and convergent validity */
    static const char *const h_cv_zh[] = {"因子", "题项数", "Cronbach α", "α 95% 置信区间下限",
                                          "α 95% 置信区间上限", "ω", "CR", "AVE", "√AVE", "判断"};
    static const char *const h_cv_en[] = {"factor", "items", "Cronbach's alpha",
                                          "alpha 95% CI lower", "alpha 95% CI upper", "omega",
                                          "CR", "AVE", "√AVE", "judgement"};
    snprintf(title, sizeof title,
             en ? "Reliability and convergent validity (N = %zu; alpha CI: Feldt; omega: "
                  "observed variance, as semTools::compRelSEM; judgement: CR >= .70 and AVE >= "
                  ".50)"
                : "信度与收敛效度（N = %zu；α 区间：Feldt；ω 以观测方差为分母，同 "
                  "semTools::compRelSEM；判断：CR ≥ .70 且 AVE ≥ .50）",
             v->n);
    c = table(b, t, dup(b, title), 10, en ? h_cv_en : h_cv_zh, v->m, 3);
    if (!c || !t->title)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    const char **fnames = alloc(b, v->m, sizeof *fnames);
    if (!fnames)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t f = 0; f < v->m; f++) {
        egdi_report_cell *row = c + f * 10;
        fnames[f] = m->factor[f].name;
        row[0] = report_cell_text(m->factor[f].name);
        row[1] = report_cell_count((double)m->factor[f].n);
        row[2] = report_cell_num(v->alpha[f]);
        row[3] = report_cell_num(v->alpha_lo[f]);
        row[4] = report_cell_num(v->alpha_hi[f]);
        row[5] = report_cell_num(v->omega[f]);
        row[6] = report_cell_num(v->cr[f]);
        row[7] = report_cell_num(v->ave[f]);
        row[8] = report_cell_num(v->sqrt_ave[f]);
        bool ok = egdi_validity_convergent_ok(v, f);
        row[9] = report_cell_text(ok ? (en ? "met" : "达标") : (en ? "not met" : "未达标"));
    }
    t++;
    egdi_status rc;
    if (v->m > 1) {
        if ((rc = factor_matrix(b, t++,
                                en ? "Discriminant validity (Fornell-Larcker: sqrt(AVE) on the "
                                     "diagonal, factor correlations below; * at least the "
                                     "smaller sqrt(AVE))"
                                   : "区分效度（Fornell-Larcker 准则：对角线为 √AVE，其下为因子"
                                     "相关系数；* 不小于其中较小的 √AVE）",
                                fnames, v->m, v->sqrt_ave, v->phi_cor, fl_mark, v, en, err)) !=
                EGDI_OK ||
            (rc = factor_matrix(b, t++,
                                en ? "Discriminant validity (HTMT, Henseler et al. 2015; * >= "
                                     ".85, ** >= .90)"
                                   : "区分效度（HTMT，Henseler 等 2015；* ≥ .85，** ≥ .90）",
                                fnames, v->m, NULL, v->htmt, htmt_mark, v, en, err)) != EGDI_OK)
            return rc;
    }
    /* Harman */
    static const char *const h_hm_zh[] = {"题项数", "第一主成分特征值", "解释方差 %", "判断"};
    static const char *const h_hm_en[] = {"items", "first eigenvalue", "% of variance",
                                          "judgement"};
    c = table(b, t,
              en ? "Common-method bias (Harman's single factor: unrotated principal components "
                   "of all items; < 40% strict, < 50%)"
                 : "共同方法偏差（Harman 单因子检验：全部题项未旋转主成分；< 40% 严格，< 50%）",
              4, en ? h_hm_en : h_hm_zh, 1, 3);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    c[0] = report_cell_count((double)v->p);
    c[1] = report_cell_num(v->harman_eigen);
    c[2] = report_cell_num(100 * v->harman_share);
    c[3] = report_cell_text(egdi_validity_harman_text(v, !en));
    t++;
    *ntables = (size_t)(t - b->tables);
    return EGDI_OK;
}

static egdi_status fill_survey_tables(egdi_report_bundle *b, const char *name, egdi_error *err)
{
    const egdi_survey_summary *s = &b->sum;
    bool en = b->data.lang == EGDI_REPORT_EN;
    static const char *const h_items_zh[] = {"题项", "反向计分", "决断值 CR", "p", "校正项总相关",
                                             "删除后 α", "结论"};
    static const char *const h_items_en[] = {"item", "reversed", "CR", "p",
                                             "corrected item-total r", "alpha if deleted",
                                             "verdict"};
    egdi_report_cell *c = table(b, &b->tables[0], en ? "Item analysis (critical ratio)" : "项目分析（决断值）",
                                7, en ? h_items_en : h_items_zh, s->p, 3);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    b->tables[0].pcol = 4;
    for (size_t j = 0; j < s->p; j++) {
        const egdi_cr_item *it = &s->cr.items[j];
        bool rev = j < b->sd->nitems && b->sd->col[b->sd->item[j]].reversed;
        c[j * 7 + 0] = report_cell_text(s->items[j]);
        c[j * 7 + 1] = report_cell_text(rev ? (en ? "yes" : "是") : (en ? "no" : "否"));
        c[j * 7 + 2] = report_cell_num(it->cr);
        c[j * 7 + 3] = report_cell_num(it->cr_p);
        c[j * 7 + 4] = report_cell_num(it->r_corrected);
        c[j * 7 + 5] = report_cell_num(it->alpha_if_deleted);
        c[j * 7 + 6] = report_cell_text(it->keep ? (en ? "keep" : "保留") : (en ? "drop" : "删除"));
    }
    /* alpha per scale is listwise on that scale's items (SPSS RELIABILITY
     * per scale, as `egdi survey alpha`): each row says its n */
    static const char *const h_rel_zh[] = {"量表", "题项数", "N", "Cronbach α", "标准化 α"};
    static const char *const h_rel_en[] = {"scale", "items", "N", "Cronbach's alpha",
                                           "standardized alpha"};
    c = table(b, &b->tables[1],
              en ? "Reliability (N: respondents answering every item of the scale; "
                   "listwise per scale, as SPSS)"
                 : "可靠性统计（N：回答该量表全部题项的样本；按量表列删，同 SPSS）",
              5, en ? h_rel_en : h_rel_zh, 1 + s->nscales, 3);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    c[0] = report_cell_text(en ? "all items" : "总量表");
    c[1] = report_cell_count((double)s->p);
    c[2] = report_cell_count((double)s->alpha.n);
    c[3] = report_cell_num(s->alpha.alpha);
    c[4] = report_cell_num(s->alpha.std_alpha);
    for (size_t k = 0; k < s->nscales; k++) {
        const egdi_alpha *a = &s->scale_alpha[k];
        egdi_report_cell *row = c + (k + 1) * 5;
        row[0] = report_cell_text(s->scale_names[k]);
        row[1] = report_cell_count((double)b->sd->scale[k].n);
        /* no alpha for one item */
        row[2] = a->p ? report_cell_count((double)a->n) : report_cell_num(NAN);
        row[3] = report_cell_num(a->p ? a->alpha : NAN);
        row[4] = report_cell_num(a->p ? a->std_alpha : NAN);
    }
    /* one row: KMO, Bartlett's chi-square, df, p (a number; the paper
     * tables add its significance column), the listwise N */
    static const char *const h_kmo_zh[] = {"KMO", "Bartlett 近似卡方", "df", "p",
                                           "有效样本（列删）"};
    static const char *const h_kmo_en[] = {"KMO", "Bartlett chi-square", "df", "p",
                                           "respondents (listwise)"};
    c = table(b, &b->tables[2], en ? "KMO and Bartlett's test" : "KMO 和 Bartlett 检验", 5,
              en ? h_kmo_en : h_kmo_zh, 1, 3);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    b->tables[2].pcol = 4;
    c[0] = report_cell_num(s->kmo.kmo);
    c[1] = report_cell_num(s->kmo.chi2);
    c[2] = (egdi_report_cell){NULL, s->kmo.df, true, NULL};
    c[3] = report_cell_num(s->kmo.p_value);
    c[4] = report_cell_count((double)s->n);
    size_t kf = s->fa.k;
    static const char *const h_var_zh[] = {"成分", "初始特征值", "旋转后方差 %", "累积 %"};
    static const char *const h_var_en[] = {"component", "eigenvalue", "% of variance (rotated)",
                                           "cumulative %"};
    c = table(b, &b->tables[3], en ? "Total variance explained" : "总方差解释", 4,
              en ? h_var_en : h_var_zh, kf, 3);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    char **fnames = alloc(b, kf, sizeof *fnames);
    if (!fnames)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t f = 0; f < kf; f++) {
        char nm[32];
        snprintf(nm, sizeof nm, "%s%zu", en ? "RC" : "成分", f + 1);
        fnames[f] = dup(b, nm);
        c[f * 4 + 0] = report_cell_text(fnames[f]);
        c[f * 4 + 1] = report_cell_num(s->fa.eigenvalues[f]);
        c[f * 4 + 2] = report_cell_num(100 * s->fa.proportion_var[f]);
        c[f * 4 + 3] = report_cell_num(100 * s->fa.cumulative_var[f]);
    }
    const char **h_load = alloc(b, kf + 1, sizeof *h_load);
    if (!h_load)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    h_load[0] = en ? "item" : "题项";
    for (size_t f = 0; f < kf; f++)
        h_load[f + 1] = fnames[f];
    c = table(b, &b->tables[4], en ? "Rotated component matrix (varimax)" : "旋转成分矩阵（最大方差法）",
              kf + 1, h_load, s->p, 3);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t j = 0; j < s->p; j++) {
        c[j * (kf + 1)] = report_cell_text(s->items[j]);
        for (size_t f = 0; f < kf; f++)
            c[j * (kf + 1) + 1 + f] = report_cell_num(s->fa.loadings[j * kf + f]);
    }
    egdi_report_survey *rs = &b->survey;
    if (!(rs->name = dup(b, name)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    rs->ntables = N_SURVEY_TABLES;
    rs->tables = b->tables;
    egdi_status rc = fill_cfa_tables(b, &rs->ntables, err);
    if (rc != EGDI_OK)
        return rc;
    rs->neigen = s->p;
    rs->eigen = s->fa.eigenvalues;
    rs->parallel = s->fa.parallel;
    rs->nitems = s->p;
    rs->nfactors = kf;
    rs->items = (const char *const *)s->items;
    rs->factors = (const char *const *)fnames;
    rs->loadings = s->fa.loadings;
    b->data.survey = rs;
    return EGDI_OK;
}

static egdi_status fill_survey(egdi_report_bundle *b, egdi_store *s, const char *name,
                               egdi_error *err)
{
    char *found = NULL;
    egdi_status rc;
    if (!name) {
        if ((rc = egdi_survey_find_round(s, b->data.round, &found, err)) != EGDI_OK)
            return rc;
        if (!found)
            return EGDI_OK; /* no survey this round */
        name = found;
    }
    /* the survey as stored: its items, reverse keys, scale and dimensions,
     * the same data `egdi survey ... --survey NAME` analyses */
    if ((rc = egdi_dataset_load_store(s, name, NULL, &b->sd, err)) != EGDI_OK) {
        free(found);
        return rc;
    }
    egdi_error serr;
    egdi_error_clear(&serr);
    if (egdi_dataset_define(b->sd, NULL, &serr) != EGDI_OK ||
        egdi_survey_summary_compute(b->sd, &b->sum, &serr) != EGDI_OK) {
        /* a degenerate survey does not stop the ranking report: say why */
        snprintf(b->survey_note, sizeof b->survey_note, "survey \"%s\": %s", name,
                 serr.message);
        free(found);
        return EGDI_OK;
    }
    b->have_sum = true;
    rc = fill_survey_tables(b, name, err);
    free(found);
    return rc;
}

/* ---- uncertainty and movers (issue 16) ------------------------------------- */

/* The departments' rank intervals and stage probabilities from the round's
 * stored uncertainty run, when there is one. */
static egdi_status fill_uncertainty(egdi_report_bundle *b, egdi_store *s, egdi_report_unit *units,
                                    egdi_error *err)
{
    egdi_report_data *d = &b->data;
    for (size_t i = 0; i < d->nunits; i++) {
        units[i].rank_lo = units[i].rank_hi = units[i].p_stage = NAN;
        units[i].stage_uncertain = false;
    }
    bool found = false;
    egdi_uncertainty_result *r = NULL;
    egdi_uncertainty_stored info;
    egdi_status st = egdi_uncertainty_load(s, &b->cur, EGDI_UNIT_DEPARTMENT, &found, &r, &info,
                                           err);
    if (st || !found)
        return st;
    if (r->digits != b->dep->digits) { /* ranked otherwise: not shown */
        egdi_uncertainty_result_free(r);
        egdi_uncertainty_stored_release(&info);
        return EGDI_OK;
    }
    egdi_report_uncertainty *ru = alloc(b, 1, sizeof *ru);
    const egdi_uncertainty_unit **of = alloc(b, b->cur.in.in.nunits, sizeof *of);
    if (!ru || !of) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto out;
    }
    ru->run_id = info.id;
    ru->varied = dup(b, r->varied);
    ru->sampler = egdi_uncertainty_sampler_name(r->sampler);
    ru->seed = r->seed;
    ru->draws = r->draws;
    ru->sure = EGDI_UNCERTAINTY_STAGE_SURE;
    for (size_t i = 0; i < r->n; i++)
        of[r->units[i].unit] = &r->units[i];
    for (size_t p = 0; p < b->dep->n; p++) {
        const egdi_uncertainty_unit *x = of[b->dep->order[p]];
        if (!x)
            continue;
        units[p].rank_lo = x->lo;
        units[p].rank_hi = x->hi;
        units[p].p_stage = x->nominal_stage >= 0
                               ? egdi_uncertainty_p_stage(r, x, (size_t)x->nominal_stage)
                               : NAN;
        units[p].stage_uncertain = egdi_uncertainty_stage_uncertain(r, x);
    }
    d->uncertainty = ru;
out:
    egdi_uncertainty_result_free(r);
    egdi_uncertainty_stored_release(&info);
    return st;
}

typedef struct {
    size_t u;
    long change;
} move;

static int cmp_move(const void *a, const void *b)
{
    const move *x = a, *y = b;
    long ax = labs(x->change), ay = labs(y->change);
    if (ax != ay)
        return ax > ay ? -1 : 1;
    return (x->u > y->u) - (x->u < y->u);
}

typedef struct {
    char label[96];
    double v;
} reason;

static int cmp_reason(const void *a, const void *b)
{
    const reason *x = a, *y = b;
    double ax = fabs(x->v), ay = fabs(y->v);
    if (ax != ay)
        return ax > ay ? -1 : 1;
    return strcmp(x->label, y->label);
}

/* "GSI6 +1.35, GSI4 +1.12, model change -0.20": the three largest parts. */
static char *reasons_text(egdi_report_bundle *b, const egdi_change_unit *x)
{
    const egdi_model *m = b->cur.model;
    bool en = b->data.lang == EGDI_REPORT_EN;
    reason *rs = calloc(x->nterms + 2, sizeof *rs);
    if (!rs)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < x->nterms; i++) {
        const egdi_change_term *t = &x->terms[i];
        snprintf(rs[n].label, sizeof rs[n].label, "%s%s", m->nodes[t->node].code,
                 t->departments ? (en ? " (departments)" : "（所辖部门）") : "");
        rs[n++].v = t->indicator;
    }
    snprintf(rs[n].label, sizeof rs[n].label, "%s", en ? "re-weighting" : "缺失值重新加权");
    rs[n++].v = x->reweighting;
    snprintf(rs[n].label, sizeof rs[n].label, "%s", en ? "model change" : "模型变化");
    rs[n++].v = x->model;
    qsort(rs, n, sizeof *rs, cmp_reason);
    char buf[400] = "";
    size_t len = 0;
    for (size_t i = 0, shown = 0; i < n && shown < 3; i++) {
        if (!(fabs(rs[i].v) >= 0.005))
            break;
        int w = snprintf(buf + len, sizeof buf - len, "%s%s %+.2f", shown ? ", " : "",
                         rs[i].label, rs[i].v);
        if (w < 0 || (size_t)w >= sizeof buf - len)
            break;
        len += (size_t)w;
        shown++;
    }
    free(rs);
    return dup(b, buf);
}

/* The departments that moved most up and down since the compared round,
 * each with the largest parts of its EGDI change (indicators/change.c); none
 * when the split is not defined (a geometric model). */
static egdi_status fill_movers(egdi_report_bundle *b, egdi_error *err)
{
    egdi_report_data *d = &b->data;
    const egdi_ranking *k = b->dep;
    if (!d->prev_round || !k->prev_rank)
        return EGDI_OK;
    egdi_change *c = NULL;
    egdi_error lerr;
    egdi_error_clear(&lerr);
    if (egdi_change_build(&b->cur, &b->prev, &c, &lerr))
        return lerr.status == EGDI_ERR_NOMEM ? (*err = lerr, lerr.status) : EGDI_OK;
    egdi_status st = EGDI_OK;
    move *mv = calloc(k->n ? k->n : 1, sizeof *mv);
    egdi_report_mover *up = alloc(b, EGDI_REPORT_MOVERS, sizeof *up);
    egdi_report_mover *down = alloc(b, EGDI_REPORT_MOVERS, sizeof *down);
    if (!mv || !up || !down) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t n = 0;
    for (size_t p = 0; p < k->n; p++) {
        size_t u = k->order[p];
        if (k->rank[u] > 0 && k->prev_rank[u] > 0 && k->prev_rank[u] != k->rank[u])
            mv[n++] = (move){u, k->prev_rank[u] - k->rank[u]};
    }
    qsort(mv, n, sizeof *mv, cmp_move);
    for (size_t i = 0; i < n; i++) {
        bool is_up = mv[i].change > 0;
        size_t *cnt = is_up ? &d->nup : &d->ndown;
        if (*cnt >= EGDI_REPORT_MOVERS)
            continue;
        egdi_change_unit x;
        egdi_error e2;
        if (egdi_change_unit_split(c, mv[i].u, &x, &e2))
            continue; /* no EGDI in a scoring: not explained, left out */
        egdi_report_mover *r = is_up ? &up[*cnt] : &down[*cnt];
        size_t u = mv[i].u;
        r->code = b->cur.in.codes[u];
        r->name = b->cur.in.names[u] ? b->cur.in.names[u] : b->cur.in.codes[u];
        r->prev_rank = (uint32_t)k->prev_rank[u];
        r->rank = (uint32_t)k->rank[u];
        r->prev_index = x.egdi0;
        r->index = x.egdi1;
        r->reasons = reasons_text(b, &x);
        egdi_change_unit_release(&x);
        if (!r->reasons) {
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            goto out;
        }
        (*cnt)++;
    }
    d->up = up;
    d->down = down;
out:
    free(mv);
    egdi_change_free(c);
    return st;
}

/* ---- everything ------------------------------------------------------- */


egdi_status egdi_report_build(egdi_store *s, const egdi_report_build_opts *o,
                              egdi_report_bundle **out, egdi_error *err)
{
    *out = NULL;
    egdi_report_bundle *b = calloc(1, sizeof *b);
    if (!b)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_report_data *d = &b->data;
    d->round = o->round;
    d->lang = o->lang;
    size_t *cix = NULL, *pcix = NULL;
    egdi_status rc =
        egdi_ranking_load_rounds(s, o->round, o->compare, o->model, &b->cur, &b->prev, err);
    if (rc != EGDI_OK)
        goto fail;
    d->prev_round = o->compare;
    const egdi_round *prev = o->compare ? &b->prev : NULL;
    egdi_ranking_scope deps = {EGDI_UNIT_DEPARTMENT, NULL}, regs = {EGDI_UNIT_REGION, NULL};
    if ((rc = egdi_ranking_build(&b->cur, prev, &deps, EGDI_RANKING_MODEL_DIGITS, &b->dep, err)) ||
        (rc = egdi_ranking_build(&b->cur, prev, &regs, EGDI_RANKING_MODEL_DIGITS, &b->reg, err)) ||
        (rc = egdi_round_input_index(&b->cur.in, &cix, err)) ||
        (prev && (rc = egdi_round_input_index(&b->prev.in, &pcix, err))))
        goto fail;
    const egdi_model *m = b->cur.model;
    const egdi_node *root = &m->nodes[m->root];
    d->index_code = root->code;
    d->nsub = root->nchildren < EGDI_REPORT_MAX_SUB ? root->nchildren : EGDI_REPORT_MAX_SUB;
    for (size_t c = 0; c < d->nsub; c++)
        d->sub_codes[c] = m->nodes[root->children[c]].code;
    egdi_report_unit *units, *regions;
    if ((rc = fill_stages(b, err)) != EGDI_OK ||
        (rc = fill_units(b, b->dep, cix, pcix, &units, &d->nunits, err)) != EGDI_OK ||
        (rc = fill_units(b, b->reg, cix, pcix, &regions, &d->nregions, err)) != EGDI_OK)
        goto fail;
    d->units = units;
    d->regions = regions;
    if ((rc = fill_uncertainty(b, s, units, err)) != EGDI_OK ||
        (rc = fill_movers(b, err)) != EGDI_OK)
        goto fail;
    if ((rc = fill_indicators(b, s, pcix, err)) != EGDI_OK || (rc = fill_series(b, s, err)) != EGDI_OK ||
        (rc = fill_method(b, s, o->program_version, o->store_path, err)) != EGDI_OK ||
        (rc = fill_survey(b, s, o->survey, err)) != EGDI_OK)
        goto fail;
    if ((rc = egdi_report_check(d, err)) != EGDI_OK)
        goto fail;
    free(cix);
    free(pcix);
    *out = b;
    return EGDI_OK;
fail:
    free(cix);
    free(pcix);
    egdi_report_bundle_free(b);
    return rc;
}

/* ---- the survey tables alone (egdi survey report) ------------------------ */

/* The items' descriptives (every answer of each item, as `egdi survey
 * describe`): n, mean, SD, min, max, skewness and kurtosis (SPSS type 2). */
static egdi_status fill_descriptives(egdi_report_bundle *b, egdi_report_table *t, egdi_error *err)
{
    const egdi_dataset *ds = b->sd;
    bool en = b->data.lang == EGDI_REPORT_EN;
    size_t p = ds->nitems;
    egdi_desc_item *di = calloc(p ? p : 1, sizeof *di);
    if (!di)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status rc = egdi_desc_items(ds, ds->item, p, di, NULL, err);
    if (rc != EGDI_OK) {
        egdi_desc_items_release(di, p);
        free(di);
        return rc;
    }
    static const char *const h_zh[] = {"题项", "反向计分", "N", "均值", "标准差", "最小值",
                                       "最大值", "偏度", "峰度"};
    static const char *const h_en[] = {"item", "reversed", "N", "mean", "SD", "min", "max",
                                       "skewness", "kurtosis"};
    egdi_report_cell *c = table(b, t, en ? "Descriptive statistics of the items"
                                         : "各题项描述性统计",
                                9, en ? h_en : h_zh, p, 3);
    if (!c) {
        egdi_desc_items_release(di, p);
        free(di);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    t->note = en ? "N: every answer of the item (no listwise deletion); reverse-keyed items "
                   "as analysed (MIN + MAX - x); skewness and kurtosis as SPSS."
                 : "N：该题项的全部有效回答（不做列删）；反向题按计分后的值（MIN + MAX − x）；"
                   "偏度、峰度同 SPSS。";
    for (size_t j = 0; j < p; j++) {
        const egdi_desc *d = &di[j].desc;
        egdi_report_cell *row = c + j * 9;
        row[0] = report_cell_text(ds->col[ds->item[j]].name);
        row[1] = report_cell_text(di[j].reversed ? (en ? "yes" : "是") : (en ? "no" : "否"));
        row[2] = report_cell_count((double)d->n);
        row[3] = report_cell_num(d->mean);
        row[4] = report_cell_num(d->sd);
        row[5] = (egdi_report_cell){NULL, d->min, d->min == floor(d->min), NULL};
        row[6] = (egdi_report_cell){NULL, d->max, d->max == floor(d->max), NULL};
        row[7] = report_cell_num(d->skew2);
        row[8] = report_cell_num(d->kurt2);
    }
    egdi_desc_items_release(di, p);
    free(di);
    return EGDI_OK;
}

/* The scale scores' Pearson correlations (listwise, as `egdi survey corr`):
 * mean, SD, then the lower triangle with stars; the p values in a note. */
static egdi_status fill_correlations(egdi_report_bundle *b, egdi_report_table *t, egdi_error *err)
{
    const egdi_dataset *ds = b->sd;
    bool en = b->data.lang == EGDI_REPORT_EN;
    size_t k = ds->nscales, n = ds->nrows;
    double *x = NULL;
    egdi_status rc = egdi_dataset_scores(ds, &x, err);
    if (rc != EGDI_OK)
        return rc;
    /* listwise: the rows with every scale score */
    double *y = malloc((n ? n : 1) * (k ? k : 1) * sizeof *y);
    const char **names = alloc(b, k, sizeof *names);
    if (!y || !names) {
        free(x);
        free(y);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool all = true;
        for (size_t s = 0; s < k && all; s++)
            all = !isnan(x[s * n + i]);
        if (!all)
            continue;
        for (size_t s = 0; s < k; s++)
            y[s * n + m] = x[s * n + i];
        m++;
    }
    /* compact to m rows, column-major */
    for (size_t s = 1; s < k; s++)
        memmove(y + s * m, y + s * n, m * sizeof *y);
    for (size_t s = 0; s < k; s++)
        names[s] = ds->scale[s].name;
    egdi_corr cr;
    rc = egdi_corr_compute(y, m, k, EGDI_CORR_PEARSON, false, names, &cr, err);
    free(x);
    free(y);
    if (rc != EGDI_OK)
        return rc;
    size_t nc = k + 3;
    const char **h = alloc(b, nc, sizeof *h);
    char title[256];
    snprintf(title, sizeof title,
             en ? "Means, standard deviations and correlations of the scales (Pearson, N = %zu)"
                : "各量表均值、标准差与相关系数（Pearson，N = %zu）",
             cr.n);
    egdi_report_cell *c = h ? table(b, t, dup(b, title), nc, h, k, 3) : NULL;
    if (!c || !t->title) {
        egdi_corr_release(&cr);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    t->note = en ? "* p < .05, ** p < .01, *** p < .001 (two-sided); listwise deletion."
                 : "* p < .05，** p < .01，*** p < .001（双侧）；列删。";
    h[0] = en ? "scale" : "量表";
    h[1] = en ? "mean" : "均值";
    h[2] = en ? "SD" : "标准差";
    for (size_t s = 0; s < k; s++) {
        char nm[32];
        snprintf(nm, sizeof nm, "%zu", s + 1);
        h[3 + s] = dup(b, nm);
    }
    for (size_t s = 0; s < k; s++) {
        egdi_report_cell *row = c + s * nc;
        char nm[256];
        snprintf(nm, sizeof nm, "%zu. %s", s + 1, names[s]);
        row[0] = report_cell_text(dup(b, nm));
        row[1] = report_cell_num(cr.mean[s]);
        row[2] = report_cell_num(cr.sd[s]);
        for (size_t q = 0; q < k; q++) {
            if (q > s)
                row[3 + q] = report_cell_num(NAN); /* blank; null in JSON */
            else if (q == s)
                row[3 + q] = report_cell_count(1);
            else {
                double pv = cr.p_value[s * k + q];
                const char *st = pv < 0.001 ? "***" : pv < 0.01 ? "**" : pv < 0.05 ? "*" : "";
                row[3 + q] = report_cell_marked(cr.r[s * k + q], st);
            }
        }
    }
    egdi_corr_release(&cr);
    return EGDI_OK;
}

/* The sample profile (surveys/profile.c, as `egdi survey profile`): one
 * row per category of each column: count, percent of the rows read, valid
 * percent. */
static egdi_status fill_profile(egdi_report_bundle *b, egdi_report_table *t,
                                const char *const *cols, size_t ncols, egdi_error *err)
{
    bool en = b->data.lang == EGDI_REPORT_EN;
    egdi_profile_var *v = calloc(ncols, sizeof *v);
    if (!v)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status rc = egdi_profile_compute(b->sd, cols, ncols, NULL, 0, v, err);
    if (rc != EGDI_OK) {
        free(v);
        return rc;
    }
    size_t rows = 0;
    for (size_t i = 0; i < ncols; i++)
        rows += v[i].k;
    static const char *const h_zh[] = {"变量", "类别", "频数", "百分比 (%)", "有效百分比 (%)"};
    static const char *const h_en[] = {"variable", "category", "n", "percent", "valid percent"};
    char title[128];
    snprintf(title, sizeof title, en ? "Sample profile (N = %zu)" : "样本基本情况（N = %zu）",
             ncols ? v[0].total : (size_t)0);
    egdi_report_cell *c = table(b, t, dup(b, title), 5, en ? h_en : h_zh, rows, 1);
    if (!c || !t->title) {
        egdi_profile_release(v, ncols);
        free(v);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    t->note = en ? "Percent of the respondents read; valid percent of those with a value."
                 : "百分比以全部样本为分母，有效百分比以该变量有效回答为分母。";
    size_t r = 0;
    for (size_t i = 0; i < ncols; i++)
        for (size_t k = 0; k < v[i].k; k++, r++) {
            egdi_report_cell *row = c + r * 5;
            row[0] = report_cell_text(dup(b, v[i].column));
            row[1] = report_cell_text(dup(b, v[i].label[k]));
            row[2] = report_cell_count((double)v[i].count[k]);
            row[3] = report_cell_num(v[i].percent[k]);
            row[4] = report_cell_num(v[i].valid_percent[k]);
            if (!row[0].text || !row[1].text) {
                egdi_profile_release(v, ncols);
                free(v);
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            }
        }
    egdi_profile_release(v, ncols);
    free(v);
    return EGDI_OK;
}

egdi_status egdi_report_build_survey(const egdi_dataset *ds, const char *name,
                                     const egdi_report_paper_opts *o, egdi_report_lang lang,
                                     egdi_report_bundle **out, egdi_error *err)
{
    *out = NULL;
    static const egdi_report_paper_opts none = {0};
    if (!o)
        o = &none;
    if (o->ngroups > EGDI_REPORT_MAX_GROUPS || o->nmodels > EGDI_REPORT_MAX_MODELS)
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "survey tables: at most %d grouping columns and %d regressions",
                              EGDI_REPORT_MAX_GROUPS, EGDI_REPORT_MAX_MODELS);
    egdi_report_bundle *b = calloc(1, sizeof *b);
    if (!b)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    b->data.lang = lang;
    b->sd = (egdi_dataset *)ds;
    b->sd_borrowed = true;
    bool en = lang == EGDI_REPORT_EN;
    egdi_status rc = egdi_survey_summary_compute(ds, &b->sum, err);
    if (rc != EGDI_OK)
        goto fail;
    b->have_sum = true;
    if ((rc = fill_survey_tables(b, name, err)) != EGDI_OK)
        goto fail;
    /* profile and descriptives first, correlations, group tests and
     * regressions last: the order of a thesis */
    egdi_report_survey *rs = &b->survey;
    size_t nt = rs->ntables, front = o->nprofile ? 2 : 1;
    memmove(&b->tables[front], &b->tables[0], nt * sizeof b->tables[0]);
    memset(&b->tables[0], 0, front * sizeof b->tables[0]);
    nt += front;
    if ((o->nprofile &&
         (rc = fill_profile(b, &b->tables[0], o->profile, o->nprofile, err)) != EGDI_OK) ||
        (rc = fill_descriptives(b, &b->tables[front - 1], err)) != EGDI_OK)
        goto fail;
    const char **omitted = alloc(b, 3, sizeof *omitted);
    if (!omitted) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    size_t nom = 0;
    if (ds->nscales >= 2) {
        if ((rc = fill_correlations(b, &b->tables[nt], err)) != EGDI_OK)
            goto fail;
        nt++;
    } else {
        omitted[nom++] = en ? "Correlations of the scale scores: the survey has fewer than two "
                              "scales (dimensions); give --scales FILE."
                            : "量表得分相关矩阵：问卷的维度（量表）少于两个；请用 --scales FILE 给出维度。";
    }
    for (size_t g = 0; g < o->ngroups; g++)
        if ((rc = report_build_group_table(&b->mem, ds, o->groups[g], lang, &b->tables[nt++], err)))
            goto fail;
    if (!o->ngroups)
        omitted[nom++] = en ? "Group differences (independent t-test, one-way ANOVA) of the scale "
                              "scores: give --group COLUMN (e.g. --group 性别), once per grouping."
                            : "差异分析（独立样本 t 检验、单因素方差分析）：请用 --group 列名 "
                              "给出分组变量（如 --group 性别），可重复。";
    for (size_t m = 0; m < o->nmodels; m++, nt += 2)
        if ((rc = report_build_regression_tables(&b->mem, ds, &o->models[m], lang, &b->tables[nt],
                                                 err)))
            goto fail;
    if (!o->nmodels)
        omitted[nom++] = en ? "Regression: give --regress \"Y ~ X1 + X2\" (a column or scale on "
                              "columns or scales), once per model."
                            : "回归分析：请用 --regress \"Y ~ X1 + X2\" 给出模型（因变量与自变量为列或量表），"
                              "可重复。";
    rs->ntables = nt;
    rs->tables = b->tables;
    rs->nomitted = nom;
    rs->omitted = omitted;
    *out = b;
    return EGDI_OK;
fail:
    egdi_report_bundle_free(b);
    return rc;
}
