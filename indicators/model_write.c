/*
 * model_write.c - the canonical text of a model's tables, its SHA-256, and
 * writing a copy of the tables with new weights.
 *
 * The canonical form is one CSV with [settings], [catalogue] and [stages]
 * sections, fixed column order, numbers as the shortest text that reads
 * back to the same double (egdi_value_format; a rule's steps, and a survey
 * source's settings in model_source.c, as %.17g), NaN and open bounds as
 * empty cells.  The same model read
 * from CSV, XLSX or the built-in tables gives the same text and hash.
 * A growing buffer (sbuf) is owned by the function that made it.
 */
#include "indicators/model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <errno.h>
#include <sys/stat.h>

#include "engine/core/hash.h"
#include "indicators/model_private.h"
#include "engine/core/outfile.h"
#include "engine/core/value.h"

typedef struct {
    char *p;
    size_t len, cap;
    bool fail;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->fail)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->fail = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* A CSV field, quoted when it holds a comma, quote or line break. */
static void sb_field(sbuf *b, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        sb_put(b, "\"", 1);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                sb_put(b, "\"", 1);
            sb_put(b, p, 1);
        }
        sb_put(b, "\"", 1);
    } else {
        sb_str(b, s);
    }
    sb_str(b, last ? "\n" : ",");
}

static void sb_num(sbuf *b, double v, bool last)
{
    char t[EGDI_VALUE_TEXT_MAX];
    egdi_value_format(v, t); /* 0.8, not 0.80000000000000004, and still exact */
    sb_field(b, t, last);
}

/* Writes the survey-source cells of a node, the last one ending the row. */
typedef struct {
    sbuf *b;
    int k;
} source_ctx;

static void put_source_cell(void *ctx, const char *cell)
{
    source_ctx *sc = ctx;
    sc->k++;
    sb_field(sc->b, cell, sc->k == MODEL_SOURCE_NCOLS);
}

static const char *applies_name(unsigned a)
{
    return a == EGDI_APPLIES_DEPARTMENT ? "department" : a == EGDI_APPLIES_REGION ? "region" : "both";
}

egdi_status egdi_model_canonical(const egdi_model *m, char **out, size_t *len, egdi_error *err)
{
    return model_canonical_weights(m, NULL, NULL, 0, out, len, err);
}

egdi_status model_canonical_weights(const egdi_model *m, const char *parent, const double *w,
                                    size_t k, char **out, size_t *len, egdi_error *err)
{
    sbuf b = {0};
    char t[64];
    *out = NULL;
    sb_str(&b, "[settings]\nkey,value\n");
    sb_field(&b, "name", false);
    sb_field(&b, m->name, true);
    sb_field(&b, "version", false);
    sb_field(&b, m->version, true);
    sb_field(&b, "aggregation", false);
    sb_field(&b, egdi_aggregation_name(m->aggregation), true);
    sb_field(&b, "missing", false);
    sb_field(&b, egdi_missing_name(m->missing), true);
    sb_field(&b, "min_coverage", false);
    sb_num(&b, m->min_coverage, true);
    sb_field(&b, "region_method", false);
    if (m->region_method == EGDI_REGION_WEIGHTED) {
        snprintf(t, sizeof t, "weighted:%s", m->region_weight);
        sb_field(&b, t, true);
    } else {
        sb_field(&b, "mean", true);
    }
    sb_field(&b, "region_share", false);
    sb_num(&b, m->region_share, true);
    sb_field(&b, "digits", false);
    sb_num(&b, m->digits, true);
    sb_field(&b, "rank_digits", false);
    if (m->rank_digits == EGDI_RANK_DIGITS_AUTO)
        sb_field(&b, "auto", true);
    else if (m->rank_digits < 0)
        sb_field(&b, "none", true);
    else
        sb_num(&b, m->rank_digits, true);
    sb_field(&b, "boundary_margin", false);
    sb_num(&b, m->boundary_margin, true);
    sb_field(&b, "classes", false);
    sb_field(&b, m->classes_quartile ? "quartile" : "none", true);
    if (m->survey) {
        /* written only when set: a model without it keeps its hash */
        sb_field(&b, "survey", false);
        sb_field(&b, m->survey, true);
    }

    /* the survey-source columns only when a leaf has one (a model without
     * survey sources keeps its canonical text and hash) */
    bool sources = egdi_source_any(m);
    sb_str(&b, "\n[catalogue]\ncode,parent,name_zh,name_en,weight,unit,direction,applies,rule,"
               "min,max,target,tolerance,steps,scale_min,scale_max");
    for (int c = 0; sources && c < MODEL_SOURCE_NCOLS; c++) {
        sb_str(&b, ",");
        sb_str(&b, model_source_cols[c]);
    }
    sb_str(&b, "\n");
    long pidx = parent ? egdi_model_find(m, parent) : -1;
    for (size_t i = 0; i < m->nnodes; i++) {
        const egdi_node *n = &m->nodes[i];
        double weight = n->weight;
        if (pidx >= 0 && n->parent_idx == pidx) {
            const egdi_node *p = &m->nodes[pidx];
            for (size_t c = 0; c < p->nchildren && c < k; c++)
                if (p->children[c] == i)
                    weight = w[c];
        }
        sb_field(&b, n->code, false);
        sb_field(&b, n->parent, false);
        sb_field(&b, n->name_zh, false);
        sb_field(&b, n->name_en, false);
        sb_num(&b, weight, false);
        sb_field(&b, n->unit, false);
        sb_field(&b, n->direction < 0 ? "lower" : "higher", false);
        sb_field(&b, applies_name(n->applies), false);
        sb_field(&b, egdi_rule_name(n->rule), false);
        sb_num(&b, n->min, false);
        sb_num(&b, n->max, false);
        sb_num(&b, n->target, false);
        sb_num(&b, n->tolerance, false);
        sbuf st = {0};
        for (size_t s = 0; s < n->nsteps; s++) {
            snprintf(t, sizeof t, "%s%.17g:%.17g", s ? ";" : "", n->steps_x[s], n->steps_y[s]);
            sb_str(&st, t);
        }
        if (st.fail)
            b.fail = true;
        sb_field(&b, st.p ? st.p : "", false);
        free(st.p);
        sb_num(&b, n->scale_min, false);
        sb_num(&b, n->scale_max, !sources);
        if (sources) {
            source_ctx sc = {&b, 0};
            model_source_cells(n, put_source_cell, &sc);
        }
    }

    sb_str(&b, "\n[stages]\ncode,name_zh,name_en,lower,upper,classes\n");
    for (size_t i = 0; i < m->nstages; i++) {
        const egdi_stage *s = &m->stages[i];
        sb_field(&b, s->code, false);
        sb_field(&b, s->name_zh, false);
        sb_field(&b, s->name_en, false);
        sb_num(&b, s->lower, false);
        sb_num(&b, s->upper, false);
        sbuf cl = {0};
        for (size_t c = 0; c < s->nclasses; c++) {
            if (c)
                sb_str(&cl, ";");
            sb_str(&cl, s->classes[c]);
        }
        if (cl.fail)
            b.fail = true;
        sb_field(&b, cl.p ? cl.p : "", true);
        free(cl.p);
    }
    if (b.fail) {
        free(b.p);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory writing the model");
    }
    *out = b.p;
    *len = b.len;
    return EGDI_OK;
}

egdi_status model_hash(egdi_model *m, egdi_error *err)
{
    char *text = NULL;
    size_t len = 0;
    egdi_status st = egdi_model_canonical(m, &text, &len, err);
    if (st)
        return st;
    egdi_sha256_mem(text, len, m->hash);
    free(text);
    return EGDI_OK;
}

egdi_status egdi_model_write_weights(const egdi_model *m, const char *parent, const double *w,
                                     size_t k, const char *path, egdi_error *err)
{
    long p = egdi_model_find(m, parent);
    if (p < 0)
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "no indicator %s in model %s", parent,
                              m->name);
    if (m->nodes[p].nchildren != k)
        return egdi_error_set(err, EGDI_ERR_ARG, "%s has %zu children, %zu weights given", parent,
                              m->nodes[p].nchildren, k);
    char *text = NULL;
    size_t len = 0;
    egdi_status st = model_canonical_weights(m, parent, w, k, &text, &len, err);
    if (st)
        return st;
    egdi_outfile o;
    if ((st = egdi_outfile_open(&o, path, err)) != EGDI_OK) {
        free(text);
        return st;
    }
    fwrite(text, 1, len, o.f);
    free(text);
    return egdi_outfile_commit(&o, err);
}

egdi_status egdi_model_set_version(egdi_model *m, const char *version, egdi_error *err)
{
    if (!*version || strpbrk(version, ",\"\r\n"))
        return egdi_error_set(err, EGDI_ERR_ARG, "model version \"%s\": give a word without "
                              "commas, quotes or line breaks", version);
    char *v = strdup(version);
    if (!v)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    free(m->version);
    m->version = v;
    return model_hash(m, err);
}

egdi_status egdi_model_write_weights_by_code(const egdi_model *m, const char *parent,
                                             const char *const *codes, const double *w,
                                             size_t k, const char *path, egdi_error *err)
{
    long p = egdi_model_find(m, parent);
    if (p < 0)
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "no indicator %s in model %s", parent,
                              m->name);
    const egdi_node *pn = &m->nodes[p];
    if (k != pn->nchildren)
        return egdi_error_set(err, EGDI_ERR_ARG, "%s has %zu children but %zu weights were derived",
                              parent, pn->nchildren, k);
    double *cw = malloc((k ? k : 1) * sizeof *cw);
    if (!cw)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status st = EGDI_OK;
    for (size_t c = 0; c < pn->nchildren && !st; c++) {
        const char *code = m->nodes[pn->children[c]].code;
        size_t hits = 0;
        for (size_t i = 0; i < k; i++)
            if (strcasecmp(codes[i], code) == 0) {
                cw[c] = w[i];
                hits++;
            }
        if (hits == 0)
            st = egdi_error_set(err, EGDI_ERR_ARG, "no weight for %s (a child of %s)", code,
                                parent);
        else if (hits > 1)
            st = egdi_error_set(err, EGDI_ERR_ARG, "%zu weights for %s (a child of %s)", hits,
                                code, parent);
    }
    if (!st)
        st = egdi_model_write_weights(m, parent, cw, k, path, err);
    free(cw);
    return st;
}

/* ---- export: a model a person can start from ---------------------------- */

/* Writes len bytes of text to path whole (a temporary file renamed). */
static egdi_status write_whole(const char *path, const char *text, size_t len, egdi_error *err)
{
    egdi_outfile o;
    egdi_status st = egdi_outfile_open(&o, path, err);
    if (st)
        return st;
    if (len && fwrite(text, 1, len, o.f) != len) {
        egdi_outfile_abort(&o);
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write: %s", strerror(errno));
    }
    return egdi_outfile_commit(&o, err);
}

egdi_status egdi_model_export_csv(const egdi_model *m, const char *path, egdi_error *err)
{
    char *text = NULL;
    size_t len = 0;
    egdi_status st = egdi_model_canonical(m, &text, &len, err);
    if (st)
        return st;
    st = write_whole(path, text, len, err);
    free(text);
    return st;
}

egdi_status egdi_model_export_dir(const egdi_model *m, const char *dir, egdi_error *err)
{
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (mkdir(dir, 0777) != 0) {
            egdi_error_at(err, dir, NULL, 0, 0);
            return egdi_error_set(err, EGDI_ERR_IO, "cannot create the directory: %s",
                                  strerror(errno));
        }
    } else if (!S_ISDIR(sb.st_mode)) {
        egdi_error_at(err, dir, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_ARG, "not a directory");
    }
    char *text = NULL;
    size_t len = 0;
    egdi_status st = egdi_model_canonical(m, &text, &len, err);
    if (st)
        return st;
    /* the canonical text is "[settings]\n...\n[catalogue]\n...\n[stages]\n...":
     * each section, without its marker and the blank line before the next,
     * is one file of the directory form */
    static const char *const parts[3] = {"settings", "catalogue", "stages"};
    for (int s = 0; s < 3 && !st; s++) {
        char marker[32];
        snprintf(marker, sizeof marker, "[%s]\n", parts[s]);
        const char *a = strstr(text, marker);
        if (!a) {
            st = egdi_error_set(err, EGDI_ERR_FORMAT, "canonical model without [%s]", parts[s]);
            break;
        }
        a += strlen(marker);
        const char *b = strstr(a, "\n[");
        size_t n = b ? (size_t)(b - a) + 1 : strlen(a);
        while (n > 1 && a[n - 1] == '\n' && a[n - 2] == '\n')
            n--; /* the blank line that separates sections */
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s.csv", dir, parts[s]) >= (int)sizeof path) {
            st = egdi_error_set(err, EGDI_ERR_LIMIT, "the directory name is too long");
            break;
        }
        st = write_whole(path, a, n, err);
    }
    free(text);
    return st;
}
