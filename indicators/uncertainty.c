/*
 * uncertainty.c - the Monte Carlo of uncertainty.h: the space of declared
 * assumptions (checks, design columns, a design row turned into a scoring
 * variant), the design sources (GSL's Sobol sequence, MT19937) and the
 * threaded run that counts each unit's ranks and stages.
 *
 * The run.  Draws go in waves of WAVE_ROWS rows.  Phase A: each thread
 * scores and ranks its share of the wave (a run of rows), writing the ranks and
 * stages of the units of the kind into the wave's buffers.  Phase B (after
 * a barrier): each thread adds the wave's rows to the counts of its own
 * slice of the units, and thread 0 makes the next wave's design rows.  A
 * second barrier ends the wave.  The counts are integers and each is
 * touched by one thread, so the result does not depend on the number of
 * threads.
 *
 * Memory: the space owns its plan and arrays; a workspace its score
 * workspace, variant arrays and random generator; the run frees every
 * buffer before returning; the result owns its units and counts.
 */
#include "indicators/uncertainty.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "engine/core/cpus.h"
#include "indicators/ranking.h"

#define WAVE_ROWS 512     /* draws per wave (the larger, the fewer misses of the
                             histograms in phase B) */
#define MIN_SHARE 32      /* the fewest draws of a wave worth a thread */
#define MAX_THREADS 64
#define MAXA EGDI_SCORE_MAX_ALTS

const char *egdi_uncertainty_sampler_name(egdi_uncertainty_sampler s)
{
    switch (s) {
    case EGDI_UNCERTAINTY_SOBOL:
        return "sobol";
    case EGDI_UNCERTAINTY_RANDOM:
        return "random";
    default:
        return "auto";
    }
}

const char *egdi_uncertainty_group_name(egdi_uncertainty_group g)
{
    static const char *const names[EGDI_UNCERTAINTY_NGROUPS] = {
        "weights", "normalisation", "aggregation", "missing", "data"};
    return (unsigned)g < EGDI_UNCERTAINTY_NGROUPS ? names[g] : "?";
}

void egdi_uncertainty_opts_init(egdi_uncertainty_opts *o)
{
    memset(o, 0, sizeof *o);
    o->draws = EGDI_UNCERTAINTY_DRAWS;
    o->seed = 1;
    o->kind = EGDI_UNIT_DEPARTMENT;
    o->digits = EGDI_RANKING_MODEL_DIGITS;
}

/* ---- the space --------------------------------------------------------------- */

struct egdi_uncertainty_space {
    const egdi_model *m;
    const egdi_score_input *in;
    egdi_uncertainty_weights weights;
    double width, concentration, data_error;
    const double *se;
    uint64_t seed;
    egdi_score_plan *plan;
    size_t k;                 /* columns */
    unsigned char *group;     /* k */
    size_t *node;             /* k: the node a weight or rule column is about */
    bool varies[EGDI_UNCERTAINTY_NGROUPS];
    double *w0;               /* N: the model's weights */
    bool *renorm;             /* N: an inner node whose children's weights are drawn */
    size_t nsets;             /* weight sets besides the model's */
    double *setw;             /* (nsets + 1) x N */
    int agg[2];
    size_t nagg;
    int pol[4];
    size_t npol;
    /* the plan's alternatives */
    unsigned char *nalt;      /* N */
    egdi_rule *altbuf;        /* N x (MAXA - 1) */
    const egdi_rule **altp;   /* N */
    char *text;
    /* with data: the nodes a draw can change (a value with an error, or
     * outside the node's scale and so clamped), in node order */
    unsigned char *drawn;     /* N: 1 for those */
    size_t ndrawn, *drawnj;   /* ndrawn of them */
};

void egdi_uncertainty_space_free(egdi_uncertainty_space *sp)
{
    if (!sp)
        return;
    egdi_score_plan_free(sp->plan);
    free(sp->group);
    free(sp->node);
    free(sp->w0);
    free(sp->renorm);
    free(sp->setw);
    free(sp->nalt);
    free(sp->altbuf);
    free(sp->altp);
    free(sp->text);
    free(sp->drawn);
    free(sp->drawnj);
    free(sp);
}

size_t egdi_uncertainty_space_columns(const egdi_uncertainty_space *sp)
{
    return sp->k;
}

egdi_uncertainty_group egdi_uncertainty_space_group(const egdi_uncertainty_space *sp, size_t c)
{
    return (egdi_uncertainty_group)sp->group[c];
}

bool egdi_uncertainty_space_varies(const egdi_uncertainty_space *sp, egdi_uncertainty_group g)
{
    return (unsigned)g < EGDI_UNCERTAINTY_NGROUPS && sp->varies[g];
}

const char *egdi_uncertainty_space_text(const egdi_uncertainty_space *sp)
{
    return sp->text ? sp->text : "";
}

const egdi_score_plan *egdi_uncertainty_space_plan(const egdi_uncertainty_space *sp)
{
    return sp->plan;
}

/* The rules a leaf may be given in place of its own as "a normalisation". */
static bool is_normalisation(egdi_rule r)
{
    switch (r) {
    case EGDI_RULE_GOALPOST:
    case EGDI_RULE_MINMAX:
    case EGDI_RULE_ZSCORE:
    case EGDI_RULE_RANK:
    case EGDI_RULE_TARGET:
    case EGDI_RULE_RATIO:
    case EGDI_RULE_LIKERT:
        return true;
    default:
        return false;
    }
}

/* Appends printf text to a growing string (*s, *len, *cap); false on OOM. */
static bool text_add(char **s, size_t *len, size_t *cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static bool text_add(char **s, size_t *len, size_t *cap, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(*s ? *s + *len : NULL, *s ? *cap - *len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return false;
        if (*s && *len + (size_t)n < *cap) {
            *len += (size_t)n;
            return true;
        }
        size_t nc = (*cap ? *cap * 2 : 256) + (size_t)n;
        char *ns = realloc(*s, nc);
        if (!ns)
            return false;
        if (!*s)
            ns[0] = 0;
        *s = ns;
        *cap = nc;
    }
}

/* The list [p, end) "a, b" as "a、b". */
static bool list_zh(const char *p, const char *end, char **out, size_t *len, size_t *cap)
{
    for (const char *first = p; p < end;) {
        const char *comma = strstr(p, ", ");
        if (!comma || comma > end)
            comma = end;
        if (!text_add(out, len, cap, "%s%.*s", p == first ? "" : "、", (int)(comma - p), p))
            return false;
        p = comma < end ? comma + 2 : end;
    }
    return true;
}

/* One clause of a stored `varied` sentence in Chinese (the English
 * templates are the text_add calls of space_weights, space_rules and
 * egdi_uncertainty_space_new); false when it is none of them. */
static bool varied_clause_zh(const char *c, char **out, size_t *len, size_t *cap)
{
    double x;
    size_t a, g;
    int end = -1;
#define WHOLE(fmt, ...) (end = -1, sscanf(c, fmt "%n", __VA_ARGS__, &end) >= 0 && end >= 0 && !c[end])
    if (WHOLE("weights: uniform +-%lf %% of each weight, renormalised (%zu weights in %zu groups)",
              &x, &a, &g))
        return text_add(out, len, cap, "权重：每个权重在 ±%g %% 内均匀变动后同级重新归一（%zu 个权重，%zu 组）",
                        x, a, g);
    if (WHOLE("weights: Dirichlet, concentration %lf around the model's (%zu weights in %zu groups)",
              &x, &a, &g))
        return text_add(out, len, cap,
                        "权重：以模型权重为中心的 Dirichlet 分布，集中度 %g（%zu 个权重，%zu 组）", x,
                        a, g);
    if (strcmp(c, "aggregation: arithmetic or geometric") == 0)
        return text_add(out, len, cap, "聚合方式：算术或几何");
    if (WHOLE("data: every value with a relative error of %lf %%", &x))
        return text_add(out, len, cap, "数据：每个值带 %g %% 的相对误差", x);
    bool data = strncmp(c, "data: ", 6) == 0; /* else after the relative error's clause */
    if (!data && WHOLE("%zu values from their standard errors", &a))
        return text_add(out, len, cap, "%zu 个值从其标准误的抽样分布抽取", a);
    if (data && WHOLE("data: %zu values from their standard errors", &a))
        return text_add(out, len, cap, "数据：%zu 个值从其标准误的抽样分布抽取", a);
    /* the three with a list: "HEAD LIST TAIL(%zu ...)" */
    static const struct {
        const char *head, *tail, *zh_head, *zh_tail;
    } lists[] = {
        {"weights: the model's or one of ", " sets (", "权重：模型的权重或 ", ""},
        {"normalisation: ", " or the indicator's own rule (", "标准化规则：", " 或指标本身的规则（"},
        {"missing: ", " (", "缺失值处理：", "（"},
    };
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        size_t hl = strlen(lists[i].head);
        if (strncmp(c, lists[i].head, hl) != 0)
            continue;
        const char *body = c + hl;
        if (i == 0) { /* "%zu sets (A, B), equally likely" */
            const char *open = strstr(body, lists[i].tail);
            size_t bl = strlen(body), tl = strlen("), equally likely");
            if (!open || sscanf(body, "%zu", &a) != 1 || bl < tl ||
                strcmp(body + bl - tl, "), equally likely") != 0)
                return false;
            const char *names = open + strlen(lists[i].tail);
            int n = (int)(body + bl - tl - names);
            if (n < 0)
                return false;
            size_t listed = 1; /* a name with ", " in it: not worded (English) */
            for (const char *q = names; (q = strstr(q, ", ")) && q < names + n; q += 2)
                listed++;
            if (listed != a)
                return false;
            return text_add(out, len, cap, "%s%zu 套备选权重之一（", lists[i].zh_head, a) &&
                   list_zh(names, names + n, out, len, cap) && text_add(out, len, cap, "），等概率");
        }
        const char *t = strstr(body, lists[i].tail);
        if (!t)
            return false;
        const char *num = t + strlen(lists[i].tail);
        end = -1;
        if (i == 1 ? !(sscanf(num, "%zu indicators)%n", &a, &end) >= 1 && end >= 0 && !num[end])
                   : !(sscanf(num, "%zu values missing)%n", &a, &end) >= 1 && end >= 0 && !num[end]))
            return false;
        if (!text_add(out, len, cap, "%s", lists[i].zh_head))
            return false;
        if (!list_zh(body, t, out, len, cap))
            return false;
        return i == 1 ? text_add(out, len, cap, "%s%zu 个指标）", lists[i].zh_tail, a)
                      : text_add(out, len, cap, "%s%zu 个值缺失）", lists[i].zh_tail, a);
    }
#undef WHOLE
    return false;
}

const char *egdi_uncertainty_varied_zh(const char *varied, char *buf, size_t size)
{
    if (!varied || !buf || !size)
        return NULL;
    char *zh = NULL, *copy = strdup(varied);
    size_t len = 0, cap = 0;
    bool ok = copy != NULL;
    for (char *c = copy, *next; ok && c && *c; c = next) {
        char *semi = strstr(c, "; ");
        next = semi ? semi + 2 : NULL;
        if (semi)
            *semi = 0;
        ok = (!len || text_add(&zh, &len, &cap, "；")) && varied_clause_zh(c, &zh, &len, &cap);
    }
    ok = ok && zh && len < size;
    if (ok)
        memcpy(buf, zh, len + 1);
    free(copy);
    free(zh);
    return ok ? buf : NULL;
}


static egdi_status add_column(egdi_uncertainty_space *sp, egdi_uncertainty_group g, size_t node,
                              egdi_error *err)
{
    size_t n1 = sp->m->nnodes + 8;
    if (sp->k >= 2 * n1)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many design columns");
    sp->group[sp->k] = (unsigned char)g;
    sp->node[sp->k] = node;
    sp->k++;
    sp->varies[g] = true;
    return EGDI_OK;
}

/* Weights: the free nodes (children of a node with two children or more),
 * the sets' weights matched by code. */
static egdi_status space_weights(egdi_uncertainty_space *sp, const egdi_uncertainty_opts *o,
                                 char **txt, size_t *len, size_t *cap, egdi_error *err)
{
    const egdi_model *m = sp->m;
    size_t N = m->nnodes;
    egdi_status st;
    if (o->weights == EGDI_UNCERTAINTY_WEIGHTS_FIXED)
        return EGDI_OK;
    size_t groups = 0, free_nodes = 0;
    for (size_t p = 0; p < N; p++) {
        const egdi_node *pn = &m->nodes[p];
        if (pn->nchildren < 2)
            continue;
        size_t positive = 0;
        for (size_t c = 0; c < pn->nchildren; c++)
            positive += m->nodes[pn->children[c]].weight > 0;
        if (o->weights == EGDI_UNCERTAINTY_WEIGHTS_DIRICHLET && positive < 2)
            continue;
        groups++;
        sp->renorm[p] = true;
        for (size_t c = 0; c < pn->nchildren; c++) {
            size_t j = pn->children[c];
            if (o->weights == EGDI_UNCERTAINTY_WEIGHTS_SETS ||
                (o->weights == EGDI_UNCERTAINTY_WEIGHTS_DIRICHLET && !(m->nodes[j].weight > 0)))
                continue;
            free_nodes++;
        }
    }
    if (groups == 0)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "weights: model %s has no node with two weighted children or more, "
                              "so there is no weight to vary",
                              m->name);
    /* columns in catalogue order of the free nodes */
    if (o->weights != EGDI_UNCERTAINTY_WEIGHTS_SETS)
        for (size_t j = 0; j < N; j++) {
            long p = m->nodes[j].parent_idx;
            if (p < 0 || !sp->renorm[p])
                continue;
            if (o->weights == EGDI_UNCERTAINTY_WEIGHTS_DIRICHLET && !(m->nodes[j].weight > 0))
                continue;
            if ((st = add_column(sp, EGDI_UNCERTAINTY_G_WEIGHTS, j, err)))
                return st;
        }
    switch (o->weights) {
    case EGDI_UNCERTAINTY_WEIGHTS_UNIFORM:
        if (!(o->width >= 0 && o->width < 1))
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "weights: a uniform width is at least 0 and below 1 (0.2 = "
                                  "+-20 %%), not %g",
                                  o->width);
        sp->width = o->width;
        return text_add(txt, len, cap,
                        "weights: uniform +-%g %% of each weight, renormalised (%zu weights in "
                        "%zu groups)",
                        100 * o->width, free_nodes, groups)
                   ? EGDI_OK
                   : egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    case EGDI_UNCERTAINTY_WEIGHTS_DIRICHLET:
        if (!(o->concentration > 0) || !isfinite(o->concentration))
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "weights: a Dirichlet concentration is a number above 0, not "
                                  "%g",
                                  o->concentration);
        sp->concentration = o->concentration;
        return text_add(txt, len, cap,
                        "weights: Dirichlet, concentration %g around the model's (%zu weights "
                        "in %zu groups)",
                        o->concentration, free_nodes, groups)
                   ? EGDI_OK
                   : egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    case EGDI_UNCERTAINTY_WEIGHTS_SETS:
        break;
    default:
        return egdi_error_set(err, EGDI_ERR_ARG, "weights: unknown way of drawing them");
    }
    if (o->nsets == 0 || o->nsets > EGDI_UNCERTAINTY_MAX_SETS)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "weights: name 1 to %d alternative weight sets, not %zu",
                              EGDI_UNCERTAINTY_MAX_SETS, o->nsets);
    sp->nsets = o->nsets;
    sp->setw = malloc((o->nsets + 1) * (N ? N : 1) * sizeof *sp->setw);
    if (!sp->setw)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    memcpy(sp->setw, sp->w0, N * sizeof *sp->w0);
    if (!text_add(txt, len, cap, "weights: the model's or one of %zu sets (", o->nsets))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t s = 0; s < o->nsets; s++) {
        const egdi_model *sm = o->sets[s].model;
        const char *name = o->sets[s].name ? o->sets[s].name : sm->name;
        double *w = sp->setw + (s + 1) * N;
        for (size_t j = 0; j < N; j++) {
            const egdi_node *nd = &m->nodes[j];
            long sj = egdi_model_find(sm, nd->code);
            if (sj < 0)
                return egdi_error_set(err, EGDI_ERR_ARG,
                                      "weights: set %s has no node %s of model %s", name,
                                      nd->code, m->name);
            const egdi_node *sn = &sm->nodes[sj];
            bool root = nd->parent_idx < 0, sroot = sn->parent_idx < 0;
            if (root != sroot ||
                (!root && strcasecmp(m->nodes[nd->parent_idx].code,
                                     sm->nodes[sn->parent_idx].code) != 0))
                return egdi_error_set(err, EGDI_ERR_ARG,
                                      "weights: in set %s, %s is under %s, in model %s under %s",
                                      name, nd->code,
                                      sroot ? "nothing (the root)"
                                            : sm->nodes[sn->parent_idx].code,
                                      m->name,
                                      root ? "nothing (the root)" : m->nodes[nd->parent_idx].code);
            w[j] = sn->weight;
        }
        if (sm->nnodes != N)
            for (size_t sj = 0; sj < sm->nnodes; sj++)
                if (egdi_model_find(m, sm->nodes[sj].code) < 0)
                    return egdi_error_set(err, EGDI_ERR_ARG,
                                          "weights: set %s has a node %s that model %s has not",
                                          name, sm->nodes[sj].code, m->name);
        if (!text_add(txt, len, cap, "%s%s", s ? ", " : "", name))
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    if (!text_add(txt, len, cap, "), equally likely"))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return add_column(sp, EGDI_UNCERTAINTY_G_WEIGHTS, SIZE_MAX, err);
}

/* Normalisation: each leaf's alternatives. */
static egdi_status space_rules(egdi_uncertainty_space *sp, const egdi_uncertainty_opts *o,
                               char **txt, size_t *len, size_t *cap, egdi_error *err)
{
    const egdi_model *m = sp->m;
    size_t N = m->nnodes;
    if (o->nnorm == 0)
        return EGDI_OK;
    const egdi_uncertainty_norm *all = NULL;
    for (size_t i = 0; i < o->nnorm; i++) {
        const egdi_uncertainty_norm *e = &o->norm[i];
        if (e->nrules == 0 || e->nrules > MAXA - 1)
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "normalisation: name 1 to %d alternative rules, not %zu",
                                  MAXA - 1, e->nrules);
        for (size_t r = 0; r < e->nrules; r++)
            if (!is_normalisation(e->rules[r]))
                return egdi_error_set(err, EGDI_ERR_ARG,
                                      "normalisation: %s is not a normalisation (goalpost, "
                                      "minmax, zscore, rank, target, ratio, likert)",
                                      egdi_rule_name(e->rules[r]) ? egdi_rule_name(e->rules[r])
                                                                  : "?");
        if (!e->code) {
            all = e;
            continue;
        }
        long j = egdi_model_find(m, e->code);
        if (j < 0 || !egdi_node_is_leaf(&m->nodes[j]))
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "normalisation: %s is not an indicator of model %s", e->code,
                                  m->name);
    }
    bool used[EGDI_RULE_COUNT] = {false};
    size_t leaves = 0;
    for (size_t j = 0; j < N; j++) {
        const egdi_node *nd = &m->nodes[j];
        if (!egdi_node_is_leaf(nd))
            continue;
        const egdi_uncertainty_norm *e = NULL;
        for (size_t i = 0; i < o->nnorm; i++)
            if (o->norm[i].code && strcasecmp(o->norm[i].code, nd->code) == 0)
                e = &o->norm[i];
        bool named = e != NULL;
        if (!e && all && is_normalisation(nd->rule))
            e = all;
        if (!e)
            continue;
        for (size_t r = 0; r < e->nrules; r++) {
            egdi_rule rule = e->rules[r];
            if (rule == nd->rule)
                continue;
            if (!egdi_node_rule_fits(nd, rule)) {
                if (named)
                    return egdi_error_set(err, EGDI_ERR_ARG,
                                          "normalisation: %s cannot be scored by %s (it has "
                                          "not the rule's parameters)",
                                          nd->code, egdi_rule_name(rule));
                continue;
            }
            bool dup = false;
            for (size_t a = 0; a < sp->nalt[j]; a++)
                dup |= sp->altbuf[j * (MAXA - 1) + a] == rule;
            if (dup)
                continue;
            sp->altbuf[j * (MAXA - 1) + sp->nalt[j]++] = rule;
            used[rule] = true;
        }
        if (sp->nalt[j]) {
            sp->altp[j] = &sp->altbuf[j * (MAXA - 1)];
            leaves++;
        }
    }
    if (all)
        for (size_t r = 0; r < all->nrules; r++) {
            bool own = false;
            for (size_t j = 0; j < N; j++)
                own |= egdi_node_is_leaf(&m->nodes[j]) && m->nodes[j].rule == all->rules[r];
            if (!used[all->rules[r]] && !own)
                return egdi_error_set(err, EGDI_ERR_ARG,
                                      "normalisation: no indicator of model %s can be scored by "
                                      "%s (none has the rule's parameters)",
                                      m->name, egdi_rule_name(all->rules[r]));
        }
    if (leaves == 0)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "normalisation: no indicator of model %s would change its rule (its "
                              "leaves are scored by %s already, or by steps, yes/no or value, "
                              "which are not normalisations)",
                              m->name, "the rules named");
    if (!text_add(txt, len, cap, "%snormalisation: ", *len ? "; " : ""))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    bool first = true;
    for (int r = 0; r < EGDI_RULE_COUNT; r++)
        if (used[r]) {
            if (!text_add(txt, len, cap, "%s%s", first ? "" : ", ", egdi_rule_name((egdi_rule)r)))
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            first = false;
        }
    if (!text_add(txt, len, cap, " or the indicator's own rule (%zu indicators)", leaves))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t j = 0; j < N; j++) {
        egdi_status st;
        if (sp->nalt[j] && (st = add_column(sp, EGDI_UNCERTAINTY_G_NORMALISATION, j, err)))
            return st;
    }
    return EGDI_OK;
}

/* The first leaf score (any rule of the plan, any unit) that is not above 0:
 * *count of them, the unit and node of the first.  A geometric mean needs
 * every score above 0. */
static size_t nonpositive_scores(const egdi_uncertainty_space *sp, size_t *u0, size_t *j0,
                                 size_t *a0)
{
    const egdi_model *m = sp->m;
    size_t count = 0;
    for (size_t j = 0; j < m->nnodes; j++) {
        if (!egdi_node_is_leaf(&m->nodes[j]))
            continue;
        size_t nr;
        egdi_score_plan_rules(sp->plan, j, &nr);
        for (size_t a = 0; a < nr; a++)
            for (size_t u = 0; u < sp->in->nunits; u++) {
                double x = egdi_score_plan_leaf(sp->plan, j, a, u);
                if (!isnan(x) && !(x > 0)) {
                    if (count++ == 0) {
                        *u0 = u;
                        *j0 = j;
                        *a0 = a;
                    }
                }
            }
    }
    return count;
}

/* Leaf cells without a value among the units scored. */
static size_t missing_cells(const egdi_uncertainty_space *sp)
{
    const egdi_model *m = sp->m;
    size_t n = 0, N = m->nnodes;
    for (size_t j = 0; j < N; j++) {
        if (!egdi_node_is_leaf(&m->nodes[j]))
            continue;
        for (size_t u = 0; u < sp->in->nunits; u++)
            n += egdi_score_plan_applies(sp->plan, j, u) && isnan(sp->in->raw[u * N + j]);
    }
    return n;
}

static const char *policy_name(int p)
{
    return egdi_missing_name((egdi_missing)p);
}

egdi_status egdi_uncertainty_space_new(const egdi_model *m, const egdi_score_input *in,
                                       const egdi_uncertainty_opts *o,
                                       egdi_uncertainty_space **out, egdi_error *err)
{
    *out = NULL;
    size_t N = m->nnodes, n1 = N ? N : 1;
    egdi_status st = EGDI_OK;
    char *txt = NULL;
    size_t len = 0, cap = 0;
    egdi_uncertainty_space *sp = calloc(1, sizeof *sp);
    if (!sp)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    sp->m = m;
    sp->in = in;
    sp->weights = o->weights;
    sp->seed = o->seed;
    sp->group = malloc(2 * (n1 + 8));
    sp->node = malloc(2 * (n1 + 8) * sizeof *sp->node);
    sp->w0 = malloc(n1 * sizeof *sp->w0);
    sp->renorm = calloc(n1, sizeof *sp->renorm);
    sp->nalt = calloc(n1, 1);
    sp->altbuf = calloc(n1 * (MAXA - 1), sizeof *sp->altbuf);
    sp->altp = calloc(n1, sizeof *sp->altp);
    if (!sp->group || !sp->node || !sp->w0 || !sp->renorm || !sp->nalt || !sp->altbuf ||
        !sp->altp) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t j = 0; j < N; j++)
        sp->w0[j] = m->nodes[j].weight;
    if ((st = space_weights(sp, o, &txt, &len, &cap, err)) ||
        (st = space_rules(sp, o, &txt, &len, &cap, err)))
        goto fail;
    egdi_score_alts alts = {sp->nalt, sp->altp};
    if ((st = egdi_score_plan_new(m, in, &alts, &sp->plan, err)))
        goto fail;

    /* aggregation */
    sp->agg[0] = (int)m->aggregation;
    sp->nagg = 1;
    if (o->aggregation) {
        bool inner = false;
        for (size_t j = 0; j < N; j++)
            inner |= m->nodes[j].nchildren >= 2;
        if (!inner) {
            st = egdi_error_set(err, EGDI_ERR_ARG,
                                "aggregation: model %s has no node that aggregates two scores "
                                "or more",
                                m->name);
            goto fail;
        }
        size_t u0 = 0, j0 = 0, a0 = 0, bad = nonpositive_scores(sp, &u0, &j0, &a0);
        if (bad) {
            size_t nr = 0;
            const egdi_rule *rules = egdi_score_plan_rules(sp->plan, j0, &nr);
            st = egdi_error_set(err, EGDI_ERR_ARG,
                                "aggregation: a geometric mean needs scores above 0, and %zu "
                                "indicator score%s of this round %s 0 or below (unit %s, %s "
                                "scored by %s: %g)",
                                bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are",
                                in->units[u0].id, m->nodes[j0].code,
                                egdi_rule_name(rules[a0]),
                                egdi_score_plan_leaf(sp->plan, j0, a0, u0));
            goto fail;
        }
        sp->agg[1] = m->aggregation == EGDI_AGG_ARITHMETIC ? EGDI_AGG_GEOMETRIC
                                                           : EGDI_AGG_ARITHMETIC;
        sp->nagg = 2;
        if ((st = add_column(sp, EGDI_UNCERTAINTY_G_AGGREGATION, SIZE_MAX, err)))
            goto fail;
        if (!text_add(&txt, &len, &cap, "%saggregation: arithmetic or geometric", len ? "; " : ""))
            goto nomem;
    }

    /* missing-data policy */
    sp->pol[0] = (int)m->missing;
    sp->npol = 1;
    if (o->nmissing) {
        for (size_t i = 0; i < o->nmissing && i < 4; i++) {
            bool dup = false;
            for (size_t q = 0; q < sp->npol; q++)
                dup |= sp->pol[q] == (int)o->missing[i];
            if (!dup)
                sp->pol[sp->npol++] = (int)o->missing[i];
        }
        if (sp->npol < 2) {
            st = egdi_error_set(err, EGDI_ERR_ARG,
                                "missing: name a policy other than the model's own (%s)",
                                policy_name(sp->pol[0]));
            goto fail;
        }
        size_t miss = missing_cells(sp);
        if (miss == 0) {
            st = egdi_error_set(err, EGDI_ERR_ARG,
                                "missing: the round has no missing indicator value, so the "
                                "missing-data policy changes nothing");
            goto fail;
        }
        if (sp->agg[0] == EGDI_AGG_GEOMETRIC || sp->nagg == 2)
            for (size_t q = 0; q < sp->npol; q++)
                if (sp->pol[q] == EGDI_MISSING_ZERO) {
                    st = egdi_error_set(err, EGDI_ERR_ARG,
                                        "missing: the policy zero gives scores of 0, which a "
                                        "geometric mean cannot take");
                    goto fail;
                }
        if ((st = add_column(sp, EGDI_UNCERTAINTY_G_MISSING, SIZE_MAX, err)))
            goto fail;
        if (!text_add(&txt, &len, &cap, "%smissing: ", len ? "; " : ""))
            goto nomem;
        for (size_t q = 0; q < sp->npol; q++)
            if (!text_add(&txt, &len, &cap, "%s%s", q ? ", " : "", policy_name(sp->pol[q])))
                goto nomem;
        if (!text_add(&txt, &len, &cap, " (%zu values missing)", miss))
            goto nomem;
    }

    /* data */
    if (!(o->data_error >= 0 && o->data_error <= 1)) {
        st = egdi_error_set(err, EGDI_ERR_ARG,
                            "data: a relative error is at least 0 and at most 1 (0.05 = 5 %%), "
                            "not %g",
                            o->data_error);
        goto fail;
    }
    size_t nse = 0;
    if (o->se) {
        for (size_t c = 0; c < in->nunits * N; c++)
            nse += !isnan(o->se[c]) && o->se[c] > 0 && !isnan(in->raw[c]);
        if (nse == 0) {
            st = egdi_error_set(err, EGDI_ERR_ARG,
                                "data: no value of the round has a standard error above 0");
            goto fail;
        }
        sp->se = o->se;
    }
    if (o->data_error > 0 || nse) {
        sp->data_error = o->data_error;
        if ((st = add_column(sp, EGDI_UNCERTAINTY_G_DATA, SIZE_MAX, err)))
            goto fail;
        sp->drawn = calloc(N ? N : 1, 1);
        sp->drawnj = malloc((N ? N : 1) * sizeof *sp->drawnj);
        if (!sp->drawn || !sp->drawnj)
            goto nomem;
        for (size_t c = 0; c < in->nunits * N; c++) {
            double x = in->raw[c];
            const egdi_node *nd = &m->nodes[c % N];
            if (!isnan(x) && (o->data_error > 0 || (o->se && !isnan(o->se[c]) && o->se[c] > 0) ||
                              (!isnan(nd->scale_min) && !isnan(nd->scale_max) &&
                               (x < nd->scale_min || x > nd->scale_max))))
                sp->drawn[c % N] = 1;
        }
        for (size_t j = 0; j < N; j++)
            if (sp->drawn[j])
                sp->drawnj[sp->ndrawn++] = j;
        if (!text_add(&txt, &len, &cap, "%sdata:", len ? "; " : ""))
            goto nomem;
        if (o->data_error > 0 &&
            !text_add(&txt, &len, &cap, " every value with a relative error of %g %%",
                      100 * o->data_error))
            goto nomem;
        if (nse && !text_add(&txt, &len, &cap, "%s %zu values from their standard errors",
                             o->data_error > 0 ? ";" : "", nse))
            goto nomem;
    }
    if (sp->k == 0) {
        st = egdi_error_set(err, EGDI_ERR_ARG,
                            "name at least one assumption to vary (weights, normalisation, "
                            "aggregation, missing or data)");
        goto fail;
    }
    sp->text = txt;
    *out = sp;
    return EGDI_OK;
nomem:
    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
fail:
    free(txt);
    egdi_uncertainty_space_free(sp);
    return st;
}

/* ---- a design row into a scoring -------------------------------------------- */

/* With data: the values of the last DATA_SLOTS draws, each with the bits
 * of the design number it was drawn from and an id for the score
 * workspace (egdi_score_variant.raw_id; 0 = none yet).  A Sobol design
 * scores the same data column of a row several times (A and each A_B^i
 * but the data's): those draws are made once. */
#define DATA_SLOTS 2

struct egdi_uncertainty_ws {
    egdi_score_ws *score;
    double *w;         /* N */
    unsigned char *alt; /* N */
    double *raw[DATA_SLOTS]; /* U x N each, with data */
    uint64_t bits[DATA_SLOTS], id[DATA_SLOTS];
    uint64_t ids;      /* the last id given */
    size_t last;       /* the slot used last */
    gsl_rng *rng;      /* with data */
};

void egdi_uncertainty_ws_free(egdi_uncertainty_ws *ws)
{
    if (!ws)
        return;
    egdi_score_ws_free(ws->score);
    free(ws->w);
    free(ws->alt);
    for (size_t i = 0; i < DATA_SLOTS; i++)
        free(ws->raw[i]);
    if (ws->rng)
        gsl_rng_free(ws->rng);
    free(ws);
}

egdi_status egdi_uncertainty_ws_new(const egdi_uncertainty_space *sp, egdi_uncertainty_ws **out,
                                    egdi_error *err)
{
    *out = NULL;
    size_t N = sp->m->nnodes, U = sp->in->nunits;
    egdi_uncertainty_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status st = egdi_score_ws_new(sp->plan, &ws->score, err);
    if (st) {
        free(ws);
        return st;
    }
    ws->w = malloc((N ? N : 1) * sizeof *ws->w);
    ws->alt = calloc(N ? N : 1, 1);
    bool nomem = false;
    if (sp->varies[EGDI_UNCERTAINTY_G_DATA]) {
        ws->rng = gsl_rng_alloc(gsl_rng_taus2);
        nomem = !ws->rng;
        for (size_t i = 0; i < DATA_SLOTS; i++) {
            ws->raw[i] = malloc(((U && N) ? U * N : 1) * sizeof *ws->raw[i]);
            nomem |= !ws->raw[i];
            if (ws->raw[i] && U && N) /* the cells no draw changes stay so */
                memcpy(ws->raw[i], sp->in->raw, U * N * sizeof *ws->raw[i]);
        }
    }
    if (!ws->w || !ws->alt || nomem) {
        egdi_uncertainty_ws_free(ws);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    *out = ws;
    return EGDI_OK;
}

static uint64_t splitmix64(uint64_t x)
{
    uint64_t z = x + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* floor(x * n) within 0 .. n - 1. */
static size_t pick(double x, size_t n)
{
    double f = floor(x * (double)n);
    return f < 0 ? 0 : f >= (double)n ? n - 1 : (size_t)f;
}

/* Each drawn group's weights divided by their sum. */
static void renormalise(const egdi_uncertainty_space *sp, double *w)
{
    const egdi_model *m = sp->m;
    for (size_t p = 0; p < m->nnodes; p++) {
        if (!sp->renorm[p])
            continue;
        const egdi_node *pn = &m->nodes[p];
        double sum = 0;
        for (size_t c = 0; c < pn->nchildren; c++)
            sum += w[pn->children[c]];
        if (!(sum > 0)) { /* every draw underflowed: the model's */
            for (size_t c = 0; c < pn->nchildren; c++)
                w[pn->children[c]] = sp->w0[pn->children[c]];
            continue;
        }
        for (size_t c = 0; c < pn->nchildren; c++)
            w[pn->children[c]] /= sum;
    }
}

/* The data of one draw: every value with its errors (in unit, node order;
 * the cells of nodes no draw changes are the input's, set once), into a
 * slot of ws, whose number it returns; a slot that holds the draw of xd
 * already is returned as it is. */
static size_t draw_data(const egdi_uncertainty_space *sp, double xd, egdi_uncertainty_ws *ws)
{
    const egdi_model *m = sp->m;
    size_t N = m->nnodes, U = sp->in->nunits;
    uint64_t bits;
    memcpy(&bits, &xd, sizeof bits);
    for (size_t i = 0; i < DATA_SLOTS; i++)
        if (ws->id[i] && ws->bits[i] == bits)
            return ws->last = i;
    size_t slot = (ws->last + 1) % DATA_SLOTS; /* the slot not used last */
    double *raw = ws->raw[slot];
    gsl_rng_set(ws->rng, (unsigned long)splitmix64(sp->seed ^ splitmix64(bits)));
    for (size_t u = 0; u < U; u++)
        for (size_t i = 0; i < sp->ndrawn; i++) {
            size_t j = sp->drawnj[i], c = u * N + j;
            double v = sp->in->raw[c];
            if (!isnan(v)) {
                if (sp->se && !isnan(sp->se[c]) && sp->se[c] > 0)
                    v += sp->se[c] * gsl_ran_ugaussian(ws->rng);
                if (sp->data_error > 0)
                    v *= 1.0 + sp->data_error * gsl_ran_ugaussian(ws->rng);
                const egdi_node *nd = &m->nodes[j];
                if (!isnan(nd->scale_min) && !isnan(nd->scale_max))
                    v = v < nd->scale_min ? nd->scale_min : v > nd->scale_max ? nd->scale_max : v;
            }
            raw[c] = v;
        }
    ws->bits[slot] = bits;
    ws->id[slot] = ++ws->ids;
    return ws->last = slot;
}

egdi_status egdi_uncertainty_space_eval(const egdi_uncertainty_space *sp, const double *x,
                                        egdi_uncertainty_ws *ws, const egdi_score_outcome *out,
                                        egdi_error *err)
{
    if (!x)
        return egdi_score_plan_eval(sp->plan, NULL, ws->score, out, NULL, err);
    const egdi_model *m = sp->m;
    size_t N = m->nnodes;
    egdi_score_variant v = {NULL, NULL, -1, -1, NULL, NULL, 0};
    bool wdrawn = false;
    for (size_t c = 0; c < sp->k; c++) {
        size_t j = sp->node[c];
        switch ((egdi_uncertainty_group)sp->group[c]) {
        case EGDI_UNCERTAINTY_G_WEIGHTS:
            if (sp->weights == EGDI_UNCERTAINTY_WEIGHTS_SETS) {
                size_t s = pick(x[c], sp->nsets + 1);
                v.weight = s ? sp->setw + s * N : NULL;
                break;
            }
            if (!wdrawn) {
                memcpy(ws->w, sp->w0, N * sizeof *ws->w);
                wdrawn = true;
            }
            if (sp->weights == EGDI_UNCERTAINTY_WEIGHTS_UNIFORM)
                ws->w[j] = sp->w0[j] * (1.0 + sp->width * (2.0 * x[c] - 1.0));
            else
                ws->w[j] = gsl_cdf_gamma_Pinv(x[c], sp->concentration * sp->w0[j], 1.0);
            break;
        case EGDI_UNCERTAINTY_G_NORMALISATION:
            ws->alt[j] = (unsigned char)pick(x[c], (size_t)sp->nalt[j] + 1);
            v.alt = ws->alt;
            break;
        case EGDI_UNCERTAINTY_G_AGGREGATION:
            v.aggregation = sp->agg[pick(x[c], sp->nagg)];
            break;
        case EGDI_UNCERTAINTY_G_MISSING:
            v.missing = sp->pol[pick(x[c], sp->npol)];
            break;
        case EGDI_UNCERTAINTY_G_DATA: {
            size_t slot = draw_data(sp, x[c], ws);
            v.raw = ws->raw[slot];
            v.raw_id = ws->id[slot];
            v.drawn = sp->drawn;
            break;
        }
        default:
            break;
        }
    }
    if (wdrawn) {
        renormalise(sp, ws->w);
        v.weight = ws->w;
    }
    return egdi_score_plan_eval(sp->plan, &v, ws->score, out, NULL, err);
}

bool egdi_uncertainty_space_same(const egdi_uncertainty_space *sp, const double *x,
                                 const double *y)
{
    for (size_t c = 0; c < sp->k; c++) {
        size_t j = sp->node[c], n = 0;
        switch ((egdi_uncertainty_group)sp->group[c]) {
        case EGDI_UNCERTAINTY_G_WEIGHTS:
            n = sp->weights == EGDI_UNCERTAINTY_WEIGHTS_SETS ? sp->nsets + 1 : 0;
            break;
        case EGDI_UNCERTAINTY_G_NORMALISATION:
            n = (size_t)sp->nalt[j] + 1;
            break;
        case EGDI_UNCERTAINTY_G_AGGREGATION:
            n = sp->nagg;
            break;
        case EGDI_UNCERTAINTY_G_MISSING:
            n = sp->npol;
            break;
        default: /* data: the draws are seeded by the number's bits */
            break;
        }
        if (n ? pick(x[c], n) != pick(y[c], n) : memcmp(&x[c], &y[c], sizeof x[c]) != 0)
            return false;
    }
    return true;
}

/* ---- design rows ------------------------------------------------------------ */

egdi_status egdi_uncertainty_sampler_pick(egdi_uncertainty_sampler s, size_t columns,
                                          egdi_uncertainty_sampler *used, egdi_error *err)
{
    if (s == EGDI_UNCERTAINTY_RANDOM) {
        *used = s;
        return EGDI_OK;
    }
    if (columns <= EGDI_UNCERTAINTY_SOBOL_MAX) {
        *used = EGDI_UNCERTAINTY_SOBOL;
        return EGDI_OK;
    }
    if (s == EGDI_UNCERTAINTY_SOBOL)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "the draws need %zu dimensions and GSL's Sobol sequence has %d; "
                              "use the random sampler (or vary fewer weights or rules)",
                              columns, EGDI_UNCERTAINTY_SOBOL_MAX);
    *used = EGDI_UNCERTAINTY_RANDOM;
    return EGDI_OK;
}

struct egdi_uncertainty_design {
    size_t k;
    gsl_qrng *q;
    gsl_rng *r;
};

egdi_status egdi_uncertainty_design_new(egdi_uncertainty_sampler used, size_t columns,
                                        uint64_t seed, egdi_uncertainty_design **out,
                                        egdi_error *err)
{
    *out = NULL;
    if (columns == 0 ||
        (used == EGDI_UNCERTAINTY_SOBOL && columns > EGDI_UNCERTAINTY_SOBOL_MAX))
        return egdi_error_set(err, EGDI_ERR_ARG, "a design of %zu columns for the %s sampler",
                              columns, egdi_uncertainty_sampler_name(used));
    egdi_uncertainty_design *d = calloc(1, sizeof *d);
    if (!d)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    d->k = columns;
    if (used == EGDI_UNCERTAINTY_SOBOL) {
        d->q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)columns);
    } else {
        d->r = gsl_rng_alloc(gsl_rng_mt19937);
        if (d->r)
            gsl_rng_set(d->r, (unsigned long)seed);
    }
    if (!d->q && !d->r) {
        free(d);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    *out = d;
    return EGDI_OK;
}

void egdi_uncertainty_design_next(egdi_uncertainty_design *d, double *row)
{
    if (d->q) {
        gsl_qrng_get(d->q, row);
        return;
    }
    for (size_t c = 0; c < d->k; c++)
        row[c] = gsl_rng_uniform_pos(d->r);
}

void egdi_uncertainty_design_free(egdi_uncertainty_design *d)
{
    if (!d)
        return;
    if (d->q)
        gsl_qrng_free(d->q);
    if (d->r)
        gsl_rng_free(d->r);
    free(d);
}

/* ---- the Monte Carlo ---------------------------------------------------------- */

double egdi_uncertainty_hist_quantile(const uint32_t *hist, size_t n, size_t total, double p)
{
    double h = (double)(total - 1) * p;
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    size_t cum = 0, xlo = 0, xhi = 0;
    for (size_t r = 1; r <= n; r++) {
        cum += hist[r];
        if (!xlo && cum > lo)
            xlo = r;
        if (cum > lo + 1) {
            xhi = r;
            break;
        }
    }
    if (!xhi)
        xhi = xlo;
    return frac == 0 ? (double)xlo : (double)xlo + frac * (double)(xhi - xlo);
}

typedef struct run run;

typedef struct {
    run *R;
    unsigned t;
    egdi_uncertainty_ws *ws;
    egdi_ranking_ranker *ranker;
    double *egdi, *sc;   /* U; ns */
    bool *rankable, *ok; /* U; ns */
    long *stage, *rank;  /* U; ns */
    size_t fail_draw;    /* the first draw that failed, SIZE_MAX none */
    egdi_error err;
} worker;

struct run {
    const egdi_uncertainty_space *sp;
    const egdi_uncertainty_opts *o;
    size_t U, ns, S, k, draws, wave;
    unsigned nt;
    int digits;
    const size_t *scope;  /* ns unit indices */
    const long *nominal;  /* ns nominal ranks */
    double *design;       /* wave x k */
    egdi_uncertainty_design *dsrc;
    uint32_t *rk;         /* ns x wave: each unit's ranks in the wave's draws */
    signed char *sg;      /* ns x wave: its stages (-1 = none) */
    uint32_t *hist;       /* ns x (ns + 1) */
    uint64_t *shiftsum;   /* ns */
    size_t *ranked, *top; /* ns */
    size_t *counts;       /* ns x (S + 1): [0] no stage, [1 + s] stage s */
    pthread_barrier_t bar;
    atomic_int failed;    /* set by a worker; all read it after a barrier */
    pthread_mutex_t mu;   /* the start gate: */
    pthread_cond_t cv;
    int go;               /* 0 wait, 1 run, 2 stop */
};

static void fill_design(run *R, size_t first)
{
    size_t rows = R->draws - first < R->wave ? R->draws - first : R->wave;
    for (size_t r = 0; r < rows; r++)
        egdi_uncertainty_design_next(R->dsrc, R->design + r * R->k);
}

static void *work(void *arg)
{
    worker *W = arg;
    run *R = W->R;
    if (W->t > 0) { /* wait until every thread has started (or not) */
        pthread_mutex_lock(&R->mu);
        while (R->go == 0)
            pthread_cond_wait(&R->cv, &R->mu);
        int go = R->go;
        pthread_mutex_unlock(&R->mu);
        if (go != 1 || W->t >= R->nt)
            return NULL;
    }
    size_t ns = R->ns, S = R->S;
    size_t lo = ns * W->t / R->nt, hi = ns * (W->t + 1) / R->nt;
    egdi_score_outcome out = {W->egdi, W->rankable, W->stage, NULL};
    for (size_t first = 0; first < R->draws; first += R->wave) {
        size_t rows = R->draws - first < R->wave ? R->draws - first : R->wave;
        /* phase A: this thread's block of the wave */
        size_t r0 = R->wave * W->t / R->nt, r1 = R->wave * (W->t + 1) / R->nt;
        for (size_t row = r0; row < r1 && row < rows && !atomic_load(&R->failed); row++) {
            egdi_error e;
            egdi_error_clear(&e);
            if (egdi_uncertainty_space_eval(R->sp, R->design + row * R->k, W->ws, &out, &e)) {
                if (W->fail_draw == SIZE_MAX) {
                    W->fail_draw = first + row;
                    W->err = e;
                }
                atomic_store(&R->failed, 1);
                break;
            }
            for (size_t i = 0; i < ns; i++) {
                size_t u = R->scope[i];
                W->sc[i] = W->egdi[u];
                W->ok[i] = W->rankable[u];
            }
            egdi_ranking_ranker_rank(W->ranker, W->sc, W->ok, ns, R->digits, W->rank, NULL);
            /* unit-major, so that phase B reads each unit's rows in a run */
            size_t wave = R->wave;
            for (size_t i = 0; i < ns; i++) {
                long s = W->stage[R->scope[i]];
                R->rk[i * wave + row] = (uint32_t)W->rank[i];
                R->sg[i * wave + row] = (signed char)(W->rank[i] > 0 && s >= 0 ? s : -1);
            }
        }
        pthread_barrier_wait(&R->bar);
        if (atomic_load(&R->failed))
            break;
        /* phase B: this thread's units (branch-free: rank 0 = not ranked
         * counts in h[0], stage -1 in slot 0) */
        uint32_t K = R->o->top > UINT32_MAX ? UINT32_MAX : (uint32_t)R->o->top;
        for (size_t i = lo; i < hi; i++) {
            uint32_t *h = R->hist + i * (ns + 1);
            int64_t nom = R->nominal[i];
            uint64_t shift = 0;
            size_t ranked = 0, top = 0;
            size_t *cnt = R->counts + i * (S + 1);
            const uint32_t *rk = R->rk + i * R->wave;
            const signed char *sg = R->sg + i * R->wave;
            for (size_t row = 0; row < rows; row++) {
                uint32_t r = rk[row];
                h[r]++;
                uint64_t on = r != 0;
                ranked += on;
                int64_t d = (int64_t)r - nom;
                shift += on * (uint64_t)(d < 0 ? -d : d);
                top += on & (r <= K);
                cnt[sg[row] + 1]++;
            }
            R->shiftsum[i] += nom > 0 ? shift : 0;
            R->ranked[i] += ranked;
            R->top[i] += top;
        }
        if (W->t == 0 && first + R->wave < R->draws)
            fill_design(R, first + R->wave);
        if (W->t == 0) /* the caller's thread */
            egdi_progress_step(R->o->progress, first + rows, R->draws);
        pthread_barrier_wait(&R->bar);
    }
    return NULL;
}

void egdi_uncertainty_result_free(egdi_uncertainty_result *r)
{
    if (!r)
        return;
    free(r->varied);
    free(r->units);
    free(r->counts);
    free(r);
}

double egdi_uncertainty_p_stage(const egdi_uncertainty_result *r, const egdi_uncertainty_unit *x,
                                size_t s)
{
    return s < r->nstages && r->draws ? (double)x->stage[s] / (double)r->draws : 0.0;
}

bool egdi_uncertainty_stage_uncertain(const egdi_uncertainty_result *r,
                                      const egdi_uncertainty_unit *x)
{
    return x->nominal_stage >= 0 &&
           egdi_uncertainty_p_stage(r, x, (size_t)x->nominal_stage) < EGDI_UNCERTAINTY_STAGE_SURE;
}

egdi_status egdi_uncertainty_run(const egdi_model *m, const egdi_score_input *in,
                                 const egdi_uncertainty_opts *o, egdi_uncertainty_result **out,
                                 egdi_error *err)
{
    *out = NULL;
    egdi_status st = EGDI_OK;
    size_t U = in->nunits, S = m->nstages;
    egdi_unit_kind kind = o->kind ? o->kind : EGDI_UNIT_DEPARTMENT;
    const char *kname = kind == EGDI_UNIT_REGION ? "regions" : "departments";
    if (o->draws < 1 || o->draws > EGDI_UNCERTAINTY_MAX_DRAWS)
        return egdi_error_set(err, EGDI_ERR_ARG, "draws must be 1 to %d, not %zu",
                              EGDI_UNCERTAINTY_MAX_DRAWS, o->draws);
    if (o->digits != EGDI_RANKING_MODEL_DIGITS && (o->digits < -1 || o->digits > 15))
        return egdi_error_set(err, EGDI_ERR_ARG, "rank digits must be 0 to 15, not %d",
                              o->digits);
    egdi_uncertainty_space *sp = NULL;
    egdi_uncertainty_result *res = NULL;
    egdi_uncertainty_ws *ws0 = NULL;
    egdi_ranking_ranker *rk0 = NULL;
    size_t *scope = NULL, *order = NULL;
    long *nominal = NULL, *nstage = NULL;
    double *negdi = NULL, *sc = NULL;
    bool *nrankable = NULL, *ok = NULL;
    run R;
    memset(&R, 0, sizeof R);
    worker *W = NULL;
    pthread_t *tid = NULL;
    unsigned nt_alloc = 0;
    bool barrier = false, mutex = false, cond = false;

    size_t ns = 0;
    for (size_t u = 0; u < U; u++)
        ns += in->units[u].kind == kind;
    if (ns == 0)
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "the round has no %s to rank", kname);
    if (ns > EGDI_UNCERTAINTY_MAX_UNITS)
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "%zu %s: the uncertainty analysis ranks at most %d units of a kind",
                              ns, kname, EGDI_UNCERTAINTY_MAX_UNITS);
    if ((st = egdi_uncertainty_space_new(m, in, o, &sp, err)))
        return st;
    res = calloc(1, sizeof *res);
    if (!res)
        goto nomem;
    if ((st = egdi_uncertainty_sampler_pick(o->sampler, sp->k, &res->sampler, err)))
        goto fail;
    int digits = egdi_ranking_digits(o->digits, m, NULL); /* (auto: the caller's round) */
    size_t u1 = U ? U : 1;
    scope = malloc(ns * sizeof *scope);
    order = malloc(ns * sizeof *order);
    nominal = malloc(ns * sizeof *nominal);
    nstage = malloc(u1 * sizeof *nstage);
    negdi = malloc(u1 * sizeof *negdi);
    nrankable = malloc(u1 * sizeof *nrankable);
    sc = malloc(ns * sizeof *sc);
    ok = malloc(ns * sizeof *ok);
    res->varied = strdup(sp->text);
    res->units = calloc(ns, sizeof *res->units);
    res->counts = calloc(ns * (S + 1), sizeof *res->counts);
    if (!scope || !order || !nominal || !nstage || !negdi || !nrankable || !sc || !ok ||
        !res->varied || !res->units || !res->counts)
        goto nomem;
    ns = 0;
    for (size_t u = 0; u < U; u++)
        if (in->units[u].kind == kind)
            scope[ns++] = u;

    /* the nominal ranking: the model as it is */
    if ((st = egdi_uncertainty_ws_new(sp, &ws0, err)) ||
        (st = egdi_ranking_ranker_new(ns, &rk0, err)))
        goto fail;
    egdi_score_outcome no = {negdi, nrankable, nstage, NULL};
    if ((st = egdi_uncertainty_space_eval(sp, NULL, ws0, &no, err)))
        goto fail;
    for (size_t i = 0; i < ns; i++) {
        sc[i] = negdi[scope[i]];
        ok[i] = nrankable[scope[i]];
    }
    egdi_ranking_ranker_rank(rk0, sc, ok, ns, digits, nominal, order);

    /* threads and buffers */
    unsigned nt = o->threads;
    if (nt == 0)
        nt = egdi_cpus_online();
    if (nt > MAX_THREADS)
        nt = MAX_THREADS;
    size_t wave = o->draws < WAVE_ROWS ? o->draws : WAVE_ROWS;
    size_t shares = (wave + MIN_SHARE - 1) / MIN_SHARE;
    if (nt > shares)
        nt = (unsigned)shares;
    R.sp = sp;
    R.o = o;
    R.U = U;
    R.ns = ns;
    R.S = S;
    R.k = sp->k;
    R.draws = o->draws;
    R.nt = nt;
    R.wave = wave;
    R.digits = digits;
    R.scope = scope;
    R.nominal = nominal;
    R.design = malloc(R.wave * R.k * sizeof *R.design);
    R.rk = malloc(R.wave * ns * sizeof *R.rk);
    R.sg = malloc(R.wave * ns);
    R.hist = calloc(ns * (ns + 1), sizeof *R.hist);
    R.shiftsum = calloc(ns, sizeof *R.shiftsum);
    R.ranked = calloc(ns, sizeof *R.ranked);
    R.top = calloc(ns, sizeof *R.top);
    R.counts = res->counts;
    W = calloc(nt, sizeof *W);
    tid = calloc(nt, sizeof *tid);
    nt_alloc = W ? nt : 0;
    if (!R.design || !R.rk || !R.sg || !R.hist || !R.shiftsum || !R.ranked || !R.top || !W ||
        !tid)
        goto nomem;
    if ((st = egdi_uncertainty_design_new(res->sampler, R.k, o->seed, &R.dsrc, err)))
        goto fail;
    for (unsigned t = 0; t < nt; t++) {
        worker *w = &W[t];
        w->R = &R;
        w->t = t;
        w->fail_draw = SIZE_MAX;
        w->egdi = malloc(u1 * sizeof *w->egdi);
        w->rankable = malloc(u1 * sizeof *w->rankable);
        w->stage = malloc(u1 * sizeof *w->stage);
        w->sc = malloc(ns * sizeof *w->sc);
        w->ok = malloc(ns * sizeof *w->ok);
        w->rank = malloc(ns * sizeof *w->rank);
        if (!w->egdi || !w->rankable || !w->stage || !w->sc || !w->ok || !w->rank)
            goto nomem;
        if ((st = egdi_uncertainty_ws_new(sp, &w->ws, err)) ||
            (st = egdi_ranking_ranker_new(ns, &w->ranker, err)))
            goto fail;
    }
    if (pthread_mutex_init(&R.mu, NULL) != 0 || (mutex = true, false) ||
        pthread_cond_init(&R.cv, NULL) != 0) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "cannot make a thread gate");
        goto fail;
    }
    cond = true;
    /* start the threads; those that could not be started leave their share
     * to the others (the result does not depend on how many there are) */
    unsigned started = 1;
    for (unsigned t = 1; t < nt; t++) {
        if (pthread_create(&tid[t], NULL, work, &W[t]) != 0)
            break;
        started++;
    }
    R.nt = started;
    fill_design(&R, 0); /* before any thread reads it */
    int bst = pthread_barrier_init(&R.bar, NULL, started);
    pthread_mutex_lock(&R.mu);
    R.go = bst == 0 ? 1 : 2;
    pthread_cond_broadcast(&R.cv);
    pthread_mutex_unlock(&R.mu);
    if (bst != 0) {
        for (unsigned t = 1; t < started; t++)
            pthread_join(tid[t], NULL);
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "cannot make a thread barrier");
        goto fail;
    }
    barrier = true;
    work(&W[0]);
    for (unsigned t = 1; t < started; t++)
        pthread_join(tid[t], NULL);
    if (atomic_load(&R.failed)) {
        size_t best = SIZE_MAX;
        for (unsigned t = 0; t < started; t++)
            if (W[t].fail_draw < best) {
                best = W[t].fail_draw;
                *err = W[t].err;
            }
        char msg[EGDI_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->message);
        st = egdi_error_set(err, err->status ? err->status : EGDI_ERR_NUMERIC, "draw %zu: %s",
                            best + 1, msg);
        goto fail;
    }

    /* the results, in nominal rank order */
    res->columns = sp->k;
    res->draws = o->draws;
    res->seed = o->seed;
    res->threads = R.nt;
    res->top = o->top;
    res->digits = digits;
    res->kind = kind;
    res->nstages = S;
    res->n = ns;
    double msum = 0;
    size_t mn = 0;
    for (size_t p = 0; p < ns; p++) {
        size_t i = order[p];
        egdi_uncertainty_unit *x = &res->units[p];
        const uint32_t *h = R.hist + i * (ns + 1);
        x->unit = scope[i];
        x->nominal_rank = nominal[i];
        x->nominal_stage = nominal[i] > 0 ? nstage[scope[i]] : -1;
        x->nominal_score = negdi[scope[i]];
        x->ranked = R.ranked[i];
        x->top = R.top[i];
        x->stage = res->counts + i * (S + 1) + 1;
        if (x->ranked) {
            x->median = egdi_uncertainty_hist_quantile(h, ns, x->ranked, 0.5);
            x->lo = egdi_uncertainty_hist_quantile(h, ns, x->ranked, EGDI_UNCERTAINTY_LO);
            x->hi = egdi_uncertainty_hist_quantile(h, ns, x->ranked, EGDI_UNCERTAINTY_HI);
        } else {
            x->median = x->lo = x->hi = NAN;
        }
        x->shift = x->ranked && nominal[i] > 0 ? (double)R.shiftsum[i] / (double)x->ranked : NAN;
        if (!isnan(x->shift)) {
            msum += x->shift;
            mn++;
        }
    }
    res->mean_shift = mn ? msum / (double)mn : NAN;
    *out = res;
    res = NULL;
    goto done;
nomem:
    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory for %zu draws of %zu units", o->draws,
                        ns);
fail:
done:
    if (barrier)
        pthread_barrier_destroy(&R.bar);
    if (mutex)
        pthread_mutex_destroy(&R.mu);
    if (cond)
        pthread_cond_destroy(&R.cv);
    for (unsigned t = 0; W && t < nt_alloc; t++) {
        egdi_uncertainty_ws_free(W[t].ws);
        egdi_ranking_ranker_free(W[t].ranker);
        free(W[t].egdi);
        free(W[t].rankable);
        free(W[t].stage);
        free(W[t].sc);
        free(W[t].ok);
        free(W[t].rank);
    }
    free(W);
    free(tid);
    egdi_uncertainty_design_free(R.dsrc);
    free(R.design);
    free(R.rk);
    free(R.sg);
    free(R.hist);
    free(R.shiftsum);
    free(R.ranked);
    free(R.top);
    egdi_uncertainty_result_free(res);
    egdi_uncertainty_ws_free(ws0);
    egdi_ranking_ranker_free(rk0);
    egdi_uncertainty_space_free(sp);
    free(scope);
    free(order);
    free(nominal);
    free(nstage);
    free(negdi);
    free(nrankable);
    free(sc);
    free(ok);
    return st;
}
