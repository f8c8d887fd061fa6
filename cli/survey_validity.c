/*
 * survey_validity.c - `egdi survey validity`: the reliability and validity
 * tables of a measurement model (surveys/validity.h) after its CFA (the run
 * of survey_cfa.h): 信度与收敛效度 (alpha with Feldt's interval, omega, CR,
 * AVE, sqrt(AVE)), 区分效度 (Fornell-Larcker, HTMT) and 共同方法偏差
 * (Harman's single factor), or JSON (docs/cfa-json.md).
 *
 * Ownership: the cfa_run and the egdi_validity are freed on the one exit
 * path of run().
 */
#include "cli/survey_cfa.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/validity.h"

#define CMD SURVEY_CMD("validity")

enum { OPT_HTMT2 = CFA_OPT_OWN };

static const cli_option validity_options[] = {
    CFA_MODEL_OPTIONS,
    {OPT_HTMT2, "htmt-geometric", 0, NULL,
     "print HTMT2 (geometric means, semTools' default htmt2 = TRUE) instead of HTMT "
     "(arithmetic means, Henseler et al. 2015); JSON has both"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    cfa_args a;
    bool htmt2;
} validity_args;

static int convergent_table(const survey_opts *o, const cfa_run *r, const egdi_validity *v)
{
    char title[1024];
    snprintf(title, sizeof title,
             SURVEY_L(o,
                      "信度与收敛效度 (%s; N = %zu, 读入 %zu; %s; CR、AVE 由标准化载荷计算, ω 以"
                      "观测方差为分母, 同 semTools::compRelSEM)",
                      "Reliability and convergent validity (%s; N = %zu, read %zu; %s; CR and "
                      "AVE from the standardized loadings, omega over the observed variance as "
                      "semTools::compRelSEM)"),
             r->ds->source, v->n, r->n_read, cfa_missing_note(o));
    const char *h[] = {SURVEY_L(o, "因子", "factor"),
                       SURVEY_L(o, "题项数", "items"),
                       "Cronbach α",
                       SURVEY_L(o, "α 95% 置信区间 (Feldt)", "alpha 95% CI (Feldt)"),
                       "McDonald ω",
                       SURVEY_L(o, "组合信度 CR", "CR"),
                       "AVE",
                       "√AVE",
                       SURVEY_L(o, "判断 (CR ≥ .70, AVE ≥ .50)", "judgement (CR >= .70, AVE >= .50)")};
    cli_table *t = cli_table_new(title, 9, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 8; c++)
        cli_table_right(t, c);
    for (size_t f = 0; f < v->m; f++) {
        cli_table_cell(t, r->model.factor[f].name);
        cli_table_cellf(t, "%zu", r->model.factor[f].n);
        cli_table_num(t, v->alpha[f], 3);
        cli_table_cellf(t, "[%.3f, %.3f]", v->alpha_lo[f], v->alpha_hi[f]);
        cli_table_num(t, v->omega[f], 3);
        cli_table_num(t, v->cr[f], 3);
        cli_table_num(t, v->ave[f], 3);
        cli_table_num(t, v->sqrt_ave[f], 3);
        cli_table_cell(t, egdi_validity_convergent_ok(v, f) ? SURVEY_L(o, "达标", "met")
                                              : SURVEY_L(o, "未达标", "not met"));
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, CMD, true);
}

/* A lower-triangular matrix of the factors: diag (or NULL: blank), below it
 * val, marked by mark(f, g) ("" for none). */
static int matrix_table(const survey_opts *o, const cfa_run *r, const char *title,
                        const double *diag, const double *val,
                        const char *(*mark)(const survey_opts *, const egdi_validity *, size_t,
                                            size_t),
                        const egdi_validity *v)
{
    size_t m = v->m;
    const char **h = malloc((m + 1) * sizeof *h);
    if (!h)
        return cli_fail(CMD, "out of memory");
    h[0] = SURVEY_L(o, "因子", "factor");
    for (size_t f = 0; f < m; f++)
        h[f + 1] = r->model.factor[f].name;
    cli_table *t = cli_table_new(title, m + 1, h);
    free(h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c <= m; c++)
        cli_table_right(t, c);
    for (size_t f = 0; f < m; f++) {
        cli_table_cell(t, r->model.factor[f].name);
        for (size_t g = 0; g < m; g++) {
            if (g > f)
                cli_table_cell(t, "");
            else if (g == f && diag)
                cli_table_num(t, diag[f], 3);
            else if (g == f)
                cli_table_cell(t, ""); /* an HTMT of a factor with itself: none (as the report) */
            else
                cli_table_cellf(t, "%.3f%s", val[f * m + g], mark(o, v, f, g));
        }
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, CMD, false);
}

static const char *fl_mark(const survey_opts *o, const egdi_validity *v, size_t f, size_t g)
{
    (void)o;
    return v->fl_violation[f * v->m + g] ? "*" : "";
}

static const char *htmt_mark(const survey_opts *o, const egdi_validity *v, size_t f, size_t g)
{
    (void)o;
    return egdi_validity_htmt_mark(v->htmt[f * v->m + g]);
}

static const char *htmt2_mark(const survey_opts *o, const egdi_validity *v, size_t f, size_t g)
{
    (void)o;
    return egdi_validity_htmt_mark(v->htmt2[f * v->m + g]);
}

static int harman_table(const survey_opts *o, const egdi_validity *v)
{
    const char *h[] = {SURVEY_L(o, "题项数", "items"),
                       SURVEY_L(o, "第一主成分特征值", "first eigenvalue"),
                       SURVEY_L(o, "解释方差 %", "% of variance"),
                       SURVEY_L(o, "判断标准", "cut-off"), SURVEY_L(o, "判断", "judgement")};
    cli_table *t = cli_table_new(
        SURVEY_L(o, "共同方法偏差（Harman 单因子检验：全部题项未旋转主成分分析）",
                 "Common-method bias (Harman's single-factor test: unrotated principal "
                 "components of all items)"),
        5, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 0; c < 3; c++)
        cli_table_right(t, c);
    cli_table_cellf(t, "%zu", v->p);
    cli_table_num(t, v->harman_eigen, 3);
    cli_table_num(t, 100 * v->harman_share, 2);
    cli_table_cell(t, SURVEY_L(o, "< 40%（严格）；< 50%", "< 40% (strict); < 50%"));
    cli_table_cell(t, egdi_validity_harman_text(v, o->lang == CLI_ZH));
    cli_table_end_row(t);
    return survey_print_table(t, o, CMD, false);
}

static int print_tables(const survey_opts *o, const cfa_run *r, const egdi_validity *v,
                        bool htmt2)
{
    int rc = convergent_table(o, r, v);
    if (rc != CLI_OK)
        return rc;
    if (v->m > 1) {
        rc = matrix_table(o, r,
                          SURVEY_L(o,
                                   "区分效度（Fornell-Larcker 准则：对角线为 √AVE，其下为因子相关"
                                   "系数；* 相关系数不小于其中较小的 √AVE）",
                                   "Discriminant validity (Fornell-Larcker: sqrt(AVE) on the "
                                   "diagonal, factor correlations below; * a correlation at "
                                   "least the smaller sqrt(AVE))"),
                          v->sqrt_ave, v->phi_cor, fl_mark, v);
        if (rc != CLI_OK)
            return rc;
        bool have2 = true;
        for (size_t k = 0; k < v->m * v->m; k++)
            have2 &= isfinite(v->htmt2[k]);
        if (htmt2 && !have2)
            return cli_fail(CMD, "HTMT2 cannot be computed: an item correlation of zero in a "
                                 "geometric mean (use HTMT)");
        rc = matrix_table(o, r,
                          htmt2 ? SURVEY_L(o,
                                           "区分效度（HTMT2，几何平均，同 semTools::htmt 默认；* "
                                           "≥ .85，** ≥ .90）",
                                           "Discriminant validity (HTMT2, geometric means as "
                                           "semTools::htmt's default; * >= .85, ** >= .90)")
                                : SURVEY_L(o,
                                           "区分效度（HTMT，Henseler 等 2015；* ≥ .85，** ≥ .90）",
                                           "Discriminant validity (HTMT, Henseler et al. 2015; "
                                           "* >= .85, ** >= .90)"),
                          NULL, htmt2 ? v->htmt2 : v->htmt, htmt2 ? htmt2_mark : htmt_mark, v);
        if (rc != CLI_OK)
            return rc;
    }
    return harman_table(o, v);
}

static json_t *matrix_json(const double *x, size_t m)
{
    json_t *a = json_array();
    for (size_t f = 0; f < m; f++) {
        json_t *row = json_array();
        for (size_t g = 0; g < m; g++)
            json_array_append_new(row, cli_json_num(x[f * m + g]));
        json_array_append_new(a, row);
    }
    return a;
}

static json_t *validity_json(const cfa_run *r, const egdi_validity *v)
{
    json_t *root = json_object();
    if (!root)
        return NULL;
    size_t m = v->m;
    json_object_set_new(root, "source", json_string(r->ds->source));
    json_object_set_new(root, "n", json_integer((json_int_t)v->n));
    json_object_set_new(root, "n_read", json_integer((json_int_t)r->n_read));
    json_object_set_new(root, "missing", json_string("listwise"));
    json_object_set_new(root, "identification", json_string(r->fit.std_lv ? "std.lv" : "marker"));
    json_t *fac = json_array();
    for (size_t f = 0; f < m; f++) {
        const egdi_cfa_factor *fc = &r->model.factor[f];
        json_t *items = json_array();
        for (size_t t = 0; t < fc->n; t++)
            json_array_append_new(items, json_string(r->model.item[fc->item[t]]));
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(fc->name));
        json_object_set_new(j, "items", items);
        json_object_set_new(j, "alpha", cli_json_num(v->alpha[f]));
        json_object_set_new(j, "alpha_ci",
                            json_pack("[oo]", cli_json_num(v->alpha_lo[f]),
                                      cli_json_num(v->alpha_hi[f])));
        json_object_set_new(j, "omega", cli_json_num(v->omega[f]));
        json_object_set_new(j, "omega_implied", cli_json_num(v->omega_implied[f]));
        json_object_set_new(j, "cr", cli_json_num(v->cr[f]));
        json_object_set_new(j, "ave", cli_json_num(v->ave[f]));
        json_object_set_new(j, "sqrt_ave", cli_json_num(v->sqrt_ave[f]));
        json_object_set_new(j, "ave_semtools", cli_json_num(v->ave_semtools[f]));
        json_object_set_new(j, "convergent_ok", json_boolean(egdi_validity_convergent_ok(v, f)));
        json_array_append_new(fac, j);
    }
    json_object_set_new(root, "factors", fac);
    json_object_set_new(root, "factor_correlations", matrix_json(v->phi_cor, m));
    json_t *viol = json_array();
    for (size_t f = 0; f < m; f++)
        for (size_t g = 0; g < f; g++)
            if (v->fl_violation[f * m + g])
                json_array_append_new(viol, json_pack("[ss]", r->model.factor[f].name,
                                                      r->model.factor[g].name));
    json_object_set_new(root, "fornell_larcker_violations", viol);
    json_object_set_new(root, "htmt", matrix_json(v->htmt, m));
    json_object_set_new(root, "htmt2", matrix_json(v->htmt2, m));
    json_object_set_new(root, "harman",
                        json_pack("{s:I, s:o, s:o}", "n_items", (json_int_t)v->p, "eigenvalue",
                                  cli_json_num(v->harman_eigen), "share",
                                  cli_json_num(v->harman_share)));
    return root;
}

static int handle(int id, const char *arg, void *ud)
{
    validity_args *a = ud;
    int h = cfa_option(id, arg, &a->a, CMD);
    if (h != 0)
        return h;
    if (id == OPT_HTMT2) {
        a->htmt2 = true;
        return 1;
    }
    return 0;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    validity_args a;
    cfa_args_init(&a.a);
    a.htmt2 = false;
    int rc = survey_getopt(argc, argv, &survey_cmd_validity, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    cfa_run r;
    egdi_validity v;
    memset(&v, 0, sizeof v);
    rc = cfa_prepare(&o, &a.a, CMD, &r);
    if (rc == CLI_OK) {
        egdi_error err;
        egdi_error_clear(&err);
        if (egdi_validity_compute(&r.fit, &r.cov, &v, &err) != EGDI_OK)
            rc = cli_fail(CMD, "%s", cli_msg(err.message));
        else if (o.fmt == CLI_JSON)
            rc = survey_print_json(validity_json(&r, &v), CMD);
        else
            rc = print_tables(&o, &r, &v, a.htmt2);
    }
    egdi_validity_release(&v);
    cfa_run_release(&r);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_validity = {
    .name = "validity",
    .run = run,
    .summary = "reliability and validity after a CFA: alpha, omega, CR, AVE, Fornell-Larcker, "
               "HTMT, Harman",
    .usage = "--data FILE|--survey NAME [--scales FILE | --model TEXT|FILE] [OPTIONS]",
    .options = validity_options,
    .common = survey_common_options,
    .notes = "The model is fitted as by 'egdi survey cfa' (the same rows: listwise over its "
             "items).\n"
             "Per factor: Cronbach's alpha with Feldt's 95% interval (psych::alpha), omega over "
             "the observed variance (semTools::compRelSEM's default obs.var = TRUE), CR and AVE "
             "from the standardized loadings (Fornell & Larcker 1981).\n"
             "Discriminant validity: sqrt(AVE) against the factor correlations; HTMT (semTools::"
             "htmt, htmt2 = FALSE) against .85 / .90.  Common-method bias: Harman's first "
             "unrotated component against 40% / 50%.\n"
             "JSON keys: docs/cfa-json.md.",
};
