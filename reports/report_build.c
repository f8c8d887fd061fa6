/*
 * report_build.c - gathering the report's data from the store (see
 * report_build.h).
 *
 * The bundle keeps every allocation it makes in a list of blocks (`keep`)
 * freed together, plus the structures of the other modules it loaded
 * (model, round input, score result, survey data and summary) freed by
 * their own functions.
 */
#include "reports/report_build.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indicators/model.h"
#include "indicators/rank.h"
#include "indicators/score.h"
#include "indicators/score_store.h"
#include "engine/store/survey_store.h"
#include "surveys/dataset.h"

#define N_SURVEY_TABLES 5

struct egdi_report_bundle {
    egdi_report_data data;
    void **keep;            /* blocks freed with the bundle */
    size_t nkeep, capkeep;
    egdi_model *m, *pm;     /* this round's and the compared round's model */
    egdi_round_input in, pin;
    egdi_score_result *r, *pr;
    egdi_dataset *sd;       /* the survey (surveys/dataset.h) */
    egdi_survey_summary sum;
    bool have_sum;
    char survey_note[EGDI_ERR_MSG_MAX + 300];
    egdi_report_survey survey;
    egdi_report_table tables[N_SURVEY_TABLES];
};

/* Remembers p (may be NULL) to free with the bundle; returns p. */
static void *keep(egdi_report_bundle *b, void *p)
{
    if (!p)
        return NULL;
    if (b->nkeep == b->capkeep) {
        size_t ncap = b->capkeep ? b->capkeep * 2 : 64;
        void **nk = realloc(b->keep, ncap * sizeof *nk);
        if (!nk) {
            free(p);
            return NULL;
        }
        b->keep = nk;
        b->capkeep = ncap;
    }
    b->keep[b->nkeep++] = p;
    return p;
}

static void *alloc(egdi_report_bundle *b, size_t n, size_t size)
{
    return keep(b, calloc(n ? n : 1, size));
}

static char *dup(egdi_report_bundle *b, const char *s)
{
    return s ? keep(b, strdup(s)) : NULL;
}

void egdi_report_bundle_free(egdi_report_bundle *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->nkeep; i++)
        free(b->keep[i]);
    free(b->keep);
    egdi_model_free(b->m);
    egdi_model_free(b->pm);
    egdi_round_input_free(&b->in);
    egdi_round_input_free(&b->pin);
    egdi_score_result_free(b->r);
    egdi_score_result_free(b->pr);
    egdi_dataset_free(b->sd);
    if (b->have_sum)
        egdi_survey_summary_free(&b->sum);
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

static long unit_index(const egdi_round_input *in, const char *code)
{
    for (size_t u = 0; u < in->in.nunits; u++)
        if (strcmp(in->codes[u], code) == 0)
            return (long)u;
    return -1;
}

/* Ranks units of one kind; rank[u] = 0 for the others and the unrankable. */
static egdi_status rank_kind(const egdi_model *m, const egdi_round_input *in,
                             const egdi_score_result *r, egdi_unit_kind kind, long *rank,
                             size_t *order, egdi_error *err)
{
    size_t n = in->in.nunits;
    bool *ok = calloc(n ? n : 1, sizeof *ok);
    if (!ok)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t u = 0; u < n; u++)
        ok[u] = in->units[u].kind == kind && r->rankable[u];
    egdi_status rc = egdi_rank(r->egdi, ok, n, m->rank_digits, rank, order, err);
    free(ok);
    return rc;
}

/* Fills units (the given kind, in rank order; unranked of that kind last). */
static egdi_status fill_units(egdi_report_bundle *b, egdi_unit_kind kind,
                              egdi_report_unit **out, size_t *nout, egdi_error *err)
{
    const egdi_model *m = b->m;
    const egdi_round_input *in = &b->in;
    size_t n = in->in.nunits;
    long *rank = alloc(b, n, sizeof *rank), *prank = NULL;
    size_t *order = alloc(b, n, sizeof *order);
    egdi_report_unit *units = alloc(b, n, sizeof *units);
    if (!rank || !order || !units)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status rc = rank_kind(m, in, b->r, kind, rank, order, err);
    if (rc != EGDI_OK)
        return rc;
    if (b->pr) {
        prank = alloc(b, b->pin.in.nunits, sizeof *prank);
        if (!prank)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        if ((rc = rank_kind(b->pm, &b->pin, b->pr, kind, prank, NULL, err)) != EGDI_OK)
            return rc;
    }
    const egdi_node *root = &m->nodes[m->root];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t u = order[i];
        if (in->units[u].kind != kind)
            continue;
        egdi_report_unit *ru = &units[k++];
        ru->rank = rank[u] > 0 ? (uint32_t)rank[u] : 0;
        ru->code = in->codes[u];
        ru->name = in->names[u] ? in->names[u] : in->codes[u];
        ru->kind = kind == EGDI_UNIT_REGION ? "region" : "department";
        ru->region = NULL;
        if (in->regions[u]) {
            long ri = unit_index(in, in->regions[u]);
            ru->region = ri >= 0 && in->names[ri] ? in->names[ri] : in->regions[u];
        }
        ru->index = b->r->rankable[u] ? b->r->egdi[u] : NAN;
        for (size_t c = 0; c < root->nchildren && c < EGDI_REPORT_MAX_SUB; c++)
            ru->sub[c] = b->r->score[u * m->nnodes + root->children[c]];
        ru->stage = b->r->rankable[u] ? (int)b->r->stage[u] : -1;
        ru->rankable = b->r->rankable[u];
        ru->prev_stage = -1;
        if (b->pr) {
            long pu = unit_index(&b->pin, in->codes[u]);
            if (pu >= 0) {
                ru->prev_rank = prank[pu] > 0 ? (uint32_t)prank[pu] : 0;
                ru->prev_stage = b->pr->rankable[pu] ? (int)b->pr->stage[pu] : -1;
            }
        }
    }
    *out = units;
    *nout = k;
    return EGDI_OK;
}

typedef struct {
    int64_t unit_id;
    char *indicator;
    char *source;
} provenance;

static int cmp_prov(const void *a, const void *b)
{
    const provenance *x = a, *y = b;
    if (x->unit_id != y->unit_id)
        return x->unit_id < y->unit_id ? -1 : 1;
    return strcasecmp(x->indicator, y->indicator);
}

/* Every observation's source "file!sheet!C5", sorted for look-up. */
static egdi_status load_provenance(egdi_report_bundle *b, egdi_store *s, int round,
                                   provenance **out, size_t *nout, egdi_error *err)
{
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(
        s,
        "SELECT o.unit_id, o.indicator, b.file, o.sheet, o.row, o.col FROM observation o"
        " JOIN import_batch b ON b.id = o.batch_id WHERE o.round = ?1",
        &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int(q, 1, round);
    size_t n = 0, cap = 0;
    provenance *v = NULL;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            provenance *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                free(v);
                sqlite3_finalize(q);
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            }
            v = nv;
        }
        const char *file = (const char *)sqlite3_column_text(q, 2);
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        const char *sheet = (const char *)sqlite3_column_text(q, 3);
        char letters[8], src[512];
        egdi_col_letters((uint32_t)sqlite3_column_int(q, 5), letters);
        snprintf(src, sizeof src, "%s%s%s!%s%d", base, sheet ? "!" : "", sheet ? sheet : "",
                 letters, sqlite3_column_int(q, 4));
        v[n].unit_id = sqlite3_column_int64(q, 0);
        v[n].indicator = dup(b, (const char *)sqlite3_column_text(q, 1));
        v[n].source = dup(b, src);
        if (!v[n].indicator || !v[n].source) {
            free(v);
            sqlite3_finalize(q);
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        }
        n++;
    }
    sqlite3_finalize(q);
    if (n)
        qsort(v, n, sizeof *v, cmp_prov);
    *out = keep(b, v);
    *nout = n;
    return EGDI_OK;
}

static egdi_status fill_indicators(egdi_report_bundle *b, egdi_store *s, egdi_error *err)
{
    const egdi_model *m = b->m;
    const egdi_round_input *in = &b->in;
    provenance *prov = NULL;
    size_t nprov = 0;
    egdi_status rc = load_provenance(b, s, b->data.round, &prov, &nprov, err);
    if (rc != EGDI_OK)
        return rc;
    size_t cap = 0;
    for (size_t u = 0; u < in->in.nunits; u++)
        for (size_t j = 0; j < m->nnodes; j++)
            cap += egdi_node_is_leaf(&m->nodes[j]) &&
                   b->r->status[u * m->nnodes + j] != EGDI_NODE_NA;
    egdi_report_indicator *v = alloc(b, cap, sizeof *v);
    if (!v)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t u = 0; u < in->in.nunits; u++) {
        for (size_t j = 0; j < m->nnodes; j++) {
            const egdi_node *nd = &m->nodes[j];
            size_t at = u * m->nnodes + j;
            if (!egdi_node_is_leaf(nd) || b->r->status[at] == EGDI_NODE_NA)
                continue;
            egdi_report_indicator *ri = &v[k++];
            ri->unit_code = in->codes[u];
            ri->unit_name = in->names[u];
            ri->indicator_code = nd->code;
            ri->indicator_name = node_name(nd, b->data.lang);
            ri->raw = in->raw[at];
            ri->score = b->r->score[at];
            provenance key = {in->unit_ids[u], (char *)nd->code, NULL};
            provenance *hit = nprov ? bsearch(&key, prov, nprov, sizeof *prov, cmp_prov) : NULL;
            ri->source = hit ? hit->source : NULL;
        }
    }
    b->data.indicators = v;
    b->data.nindicators = k;
    return EGDI_OK;
}

/* The EGDI of every region in every scored round of the model. */
static egdi_status fill_series(egdi_report_bundle *b, egdi_store *s, egdi_error *err)
{
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(
        s,
        "SELECT sr.round, u.code, us.egdi FROM unit_score us"
        " JOIN score_run sr ON sr.id = us.run_id JOIN model m ON m.id = sr.model_id"
        " JOIN unit u ON u.id = us.unit_id"
        " WHERE u.kind = 'region' AND m.name = ?1 AND us.egdi IS NOT NULL AND us.rankable"
        " AND sr.id = (SELECT max(s2.id) FROM score_run s2 JOIN model m2 ON m2.id = s2.model_id"
        "              WHERE s2.round = sr.round AND m2.name = m.name)"
        " ORDER BY u.code, sr.round",
        &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_text(q, 1, b->m->name, -1, SQLITE_STATIC);
    size_t nregions = b->data.nregions;
    egdi_report_series *series = alloc(b, nregions, sizeof *series);
    egdi_report_point *pts = NULL;
    size_t npts = 0, cap = 0;
    typedef struct { size_t region; egdi_report_point pt; } tagged;
    tagged *all = NULL;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(q, 1);
        size_t r = nregions;
        for (size_t i = 0; i < nregions; i++)
            if (strcmp(b->data.regions[i].code, code) == 0)
                r = i;
        if (r == nregions)
            continue;
        if (npts == cap) {
            cap = cap ? cap * 2 : 256;
            tagged *na = realloc(all, cap * sizeof *na);
            if (!na) {
                free(all);
                sqlite3_finalize(q);
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            }
            all = na;
        }
        all[npts].region = r;
        all[npts].pt.round = sqlite3_column_int(q, 0);
        all[npts].pt.value = sqlite3_column_double(q, 2);
        npts++;
    }
    sqlite3_finalize(q);
    pts = alloc(b, npts, sizeof *pts);
    if (!series || !pts) {
        free(all);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    /* rows come sorted by region code then round: one run per region */
    size_t k = 0, ns = 0;
    for (size_t i = 0; i < npts;) {
        size_t r = all[i].region, start = k;
        while (i < npts && all[i].region == r)
            pts[k++] = all[i++].pt;
        series[ns].code = b->data.regions[r].code;
        series[ns].name = b->data.regions[r].name;
        series[ns].points = pts + start;
        series[ns].npoints = k - start;
        ns++;
    }
    free(all);
    b->data.series = series;
    b->data.nseries = ns;
    return EGDI_OK;
}

static egdi_status fill_method(egdi_report_bundle *b, egdi_store *s, const char *version,
                               egdi_error *err)
{
    const egdi_model *m = b->m;
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
    sqlite3_stmt *q;
    egdi_status rc = egdi_store_prepare(
        s,
        "SELECT file, sha256 FROM import_batch WHERE round = ?1 OR kind = 'units'"
        " ORDER BY id",
        &q, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int(q, 1, b->data.round);
    size_t n = 0, cap = 16;
    egdi_report_input *inputs = alloc(b, cap, sizeof *inputs);
    while (inputs && sqlite3_step(q) == SQLITE_ROW) {
        if (n == cap) {
            egdi_report_input *ni = alloc(b, cap * 2, sizeof *ni);
            if (!ni)
                break;
            memcpy(ni, inputs, n * sizeof *ni);
            inputs = ni;
            cap *= 2;
        }
        inputs[n].name = dup(b, (const char *)sqlite3_column_text(q, 0));
        inputs[n].sha256 = dup(b, (const char *)sqlite3_column_text(q, 1));
        n++;
    }
    sqlite3_finalize(q);
    if (!inputs)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    mt->inputs = inputs;
    mt->ninputs = n;
    return EGDI_OK;
}

/* ---- survey tables ---------------------------------------------------- */

static egdi_report_cell txt(const char *t)
{
    return (egdi_report_cell){t, NAN};
}

static egdi_report_cell num(double v)
{
    return (egdi_report_cell){NULL, v};
}

/* Allocates table t with nrows x ncols cells; headers are static strings. */
static egdi_report_cell *table(egdi_report_bundle *b, egdi_report_table *t, const char *title,
                               size_t ncols, const char *const *headers, size_t nrows,
                               int decimals)
{
    t->title = title;
    t->ncols = ncols;
    t->nrows = nrows;
    t->headers = headers;
    t->decimals = decimals;
    egdi_report_cell *c = alloc(b, nrows * ncols, sizeof *c);
    t->cells = c;
    return c;
}

/* An integer as a text cell (counts print without decimals). */
static egdi_report_cell count(egdi_report_bundle *b, size_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", v);
    return txt(dup(b, buf));
}

static egdi_status fill_survey_tables(egdi_report_bundle *b, const char *name, egdi_error *err)
{
    const egdi_survey_summary *s = &b->sum;
    bool en = b->data.lang == EGDI_REPORT_EN;
    static const char *const h_items_zh[] = {"题项", "决断值 CR", "p", "校正项总相关", "删除后 α", "结论"};
    static const char *const h_items_en[] = {"item", "CR", "p", "corrected item-total r",
                                             "alpha if deleted", "verdict"};
    egdi_report_cell *c = table(b, &b->tables[0], en ? "Item analysis (critical ratio)" : "项目分析（决断值）",
                                6, en ? h_items_en : h_items_zh, s->p, 3);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t j = 0; j < s->p; j++) {
        const egdi_cr_item *it = &s->cr.items[j];
        c[j * 6 + 0] = txt(s->items[j]);
        c[j * 6 + 1] = num(it->cr);
        c[j * 6 + 2] = num(it->cr_p);
        c[j * 6 + 3] = num(it->r_corrected);
        c[j * 6 + 4] = num(it->alpha_if_deleted);
        c[j * 6 + 5] = txt(it->keep ? (en ? "keep" : "保留") : (en ? "drop" : "删除"));
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
    c[0] = txt(en ? "all items" : "总量表");
    c[1] = count(b, s->p);
    c[2] = count(b, s->alpha.n);
    c[3] = num(s->alpha.alpha);
    c[4] = num(s->alpha.std_alpha);
    bool oom = !c[1].text || !c[2].text;
    for (size_t k = 0; k < s->nscales; k++) {
        const egdi_alpha *a = &s->scale_alpha[k];
        egdi_report_cell *row = c + (k + 1) * 5;
        row[0] = txt(s->scale_names[k]);
        row[1] = count(b, b->sd->scale[k].n);
        row[2] = a->p ? count(b, a->n) : num(NAN); /* no alpha for one item */
        row[3] = num(a->p ? a->alpha : NAN);
        row[4] = num(a->p ? a->std_alpha : NAN);
        oom = oom || !row[1].text || (a->p && !row[2].text);
    }
    if (oom)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    static const char *const h_kmo_zh[] = {"统计量", "值"};
    static const char *const h_kmo_en[] = {"statistic", "value"};
    c = table(b, &b->tables[2], en ? "KMO and Bartlett's test" : "KMO 和 Bartlett 检验", 2,
              en ? h_kmo_en : h_kmo_zh, 5, 3);
    if (!c)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    c[0] = txt("KMO");
    c[1] = num(s->kmo.kmo);
    c[2] = txt(en ? "Bartlett chi-square" : "Bartlett 近似卡方");
    c[3] = num(s->kmo.chi2);
    c[4] = txt("df");
    c[5] = num(s->kmo.df);
    c[6] = txt(en ? "p (sig.)" : "显著性 p");
    c[7] = num(s->kmo.p_value);
    c[8] = txt(en ? "respondents (listwise)" : "有效样本（列删）");
    c[9] = num((double)s->n);
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
        c[f * 4 + 0] = txt(fnames[f]);
        c[f * 4 + 1] = num(s->fa.eigenvalues[f]);
        c[f * 4 + 2] = num(100 * s->fa.proportion_var[f]);
        c[f * 4 + 3] = num(100 * s->fa.cumulative_var[f]);
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
        c[j * (kf + 1)] = txt(s->items[j]);
        for (size_t f = 0; f < kf; f++)
            c[j * (kf + 1) + 1 + f] = num(s->fa.loadings[j * kf + f]);
    }
    egdi_report_survey *rs = &b->survey;
    if (!(rs->name = dup(b, name)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    rs->ntables = N_SURVEY_TABLES;
    rs->tables = b->tables;
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
        egdi_survey_summarise(b->sd, &b->sum, &serr) != EGDI_OK) {
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
    egdi_status rc = egdi_score_load_run(s, o->round, o->model, &b->m, &b->in, &b->r, NULL, err);
    if (rc != EGDI_OK)
        goto fail;
    if (o->compare) {
        rc = egdi_score_load_run(s, o->compare, b->m->name, &b->pm, &b->pin, &b->pr, NULL, err);
        if (rc != EGDI_OK)
            goto fail;
        d->prev_round = o->compare;
    }
    const egdi_model *m = b->m;
    const egdi_node *root = &m->nodes[m->root];
    d->index_code = root->code;
    d->nsub = root->nchildren < EGDI_REPORT_MAX_SUB ? root->nchildren : EGDI_REPORT_MAX_SUB;
    for (size_t c = 0; c < d->nsub; c++)
        d->sub_codes[c] = m->nodes[root->children[c]].code;
    egdi_report_stage *st = alloc(b, m->nstages, sizeof *st);
    if (!st) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    d->nstages = m->nstages < EGDI_REPORT_MAX_STAGES ? m->nstages : EGDI_REPORT_MAX_STAGES;
    for (size_t i = 0; i < d->nstages; i++) {
        st[i].code = m->stages[i].code;
        st[i].name_zh = m->stages[i].name_zh;
        st[i].name_en = m->stages[i].name_en;
        st[i].lower = m->stages[i].lower;
        st[i].upper = m->stages[i].upper;
        st[i].colour = egdi_report_stage_colour(i, d->nstages);
    }
    d->stages = st;
    egdi_report_unit *units, *regions;
    if ((rc = fill_units(b, EGDI_UNIT_DEPARTMENT, &units, &d->nunits, err)) != EGDI_OK ||
        (rc = fill_units(b, EGDI_UNIT_REGION, &regions, &d->nregions, err)) != EGDI_OK)
        goto fail;
    d->units = units;
    d->regions = regions;
    if ((rc = fill_indicators(b, s, err)) != EGDI_OK || (rc = fill_series(b, s, err)) != EGDI_OK ||
        (rc = fill_method(b, s, o->program_version, err)) != EGDI_OK ||
        (rc = fill_survey(b, s, o->survey, err)) != EGDI_OK)
        goto fail;
    if ((rc = egdi_report_check(d, err)) != EGDI_OK)
        goto fail;
    *out = b;
    return EGDI_OK;
fail:
    egdi_report_bundle_free(b);
    return rc;
}
