/*
 * survey_factor.c - `egdi survey kmo` and `egdi survey efa`: KMO / MSA and
 * Bartlett's test, and exploratory factor analysis (surveys/factor.h),
 * printed as SPSS prints them (KMO 和 Bartlett 检验, 公因子方差, 总方差解释,
 * 成分矩阵 / 旋转后的成分矩阵, 模式矩阵 / 结构矩阵 / 相关性矩阵) or as JSON
 * (keys in docs/factor-json.md).
 *
 * Data: the item matrix of the dataset (surveys/dataset.h; listwise by default; with
 * --missing pairwise every row is kept and the correlations are pairwise,
 * as psych does with raw data; Bartlett's and ML's n is then the number of
 * rows, as psych::cortest.bartlett takes it).
 *
 * Ownership: the command owns the matrix, the correlation buffer, the KMO
 * and factor results and the workspace, all freed on the one exit path.
 * --scores FILE is written to FILE.tmpXXXXXX and renamed over FILE only
 * when complete.
 */
#include "cli/survey_cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "surveys/factor.h"
#include "engine/core/outfile.h"

#define CMD_KMO SURVEY_CMD("kmo")
#define CMD_EFA SURVEY_CMD("efa")

/* A p-value below this prints as "< 1e-300" with its logarithm. */
#define P_TINY 1e-300

enum {
    OPT_EXTRACT, OPT_FACTORS, OPT_ROTATE, OPT_PSYCH, OPT_TOL, OPT_ROT_TOL, OPT_MAX_ITER, OPT_SEED,
    OPT_REPS, OPT_QUANTILE, OPT_BLANK, OPT_SCORES
};

static const cli_option efa_options[] = {
    {OPT_EXTRACT, "extract", 0, "pca|paf|ml",
     "principal components, principal axis from SMCs (default), or maximum likelihood "
     "(factanal)"},
    {OPT_FACTORS, "factors", 0, "K|kaiser|parallel",
     "K factors, eigenvalue > 1 (default), or above the 95th percentile of random data "
     "(parallel analysis)"},
    {OPT_ROTATE, "rotate", 0, "none|varimax|promax|oblimin",
     "varimax (default; Kaiser-normalized), promax (power 4), oblimin as psych (not "
     "normalized)"},
    {OPT_PSYCH, "psych-defaults", 0, NULL,
     "R's early stops (psych's min.err 0.001, varimax eps 1e-5)"},
    {OPT_TOL, "tol", 0, "T", "paf convergence on any communality (default 1e-10)"},
    {OPT_ROT_TOL, "rot-tol", 0, "T", "rotation convergence (default 1e-12)"},
    {OPT_MAX_ITER, "max-iter", 0, "N", "iteration limit of extraction and rotation"},
    {OPT_SEED, "seed", 0, "N", "parallel analysis random seed (default 1)"},
    {OPT_REPS, "parallel-reps", 0, "N", "parallel analysis replications (default 100)"},
    {OPT_QUANTILE, "quantile", 0, "Q", "parallel analysis quantile (default 0.95)"},
    {OPT_BLANK, "blank", 0, "B", "blank loadings below B in the table (e.g. 0.3)"},
    {OPT_SCORES, "scores", 0, "FILE", "write regression factor scores (source row first)"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    egdi_fa_options fa;
    double blank;
    const char *scores;
} efa_args;

/* ---- shared: data, correlation, KMO -------------------------------------- */

typedef struct {
    egdi_dataset *ds;
    egdi_item_matrix m;
    double *r, *mean, *sd;
    egdi_fa_kmo kmo;
} fa_data;

static void fa_data_release(fa_data *d)
{
    egdi_dataset_matrix_release(&d->m);
    egdi_dataset_free(d->ds);
    free(d->r);
    free(d->mean);
    free(d->sd);
    egdi_fa_kmo_release(&d->kmo);
}

/* Loads the items, correlates them and computes KMO and Bartlett. */
static int fa_prepare(const survey_opts *o, const char *cmd, fa_data *d)
{
    memset(d, 0, sizeof *d);
    int rc = survey_open(o, cmd, NULL, 0, &d->ds);
    if (rc != CLI_OK)
        return rc;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_matrix_small(d->ds, d->ds->item, d->ds->nitems, survey_deletion(o), &d->m,
                                  &err) != EGDI_OK)
        return survey_error(cmd, &err);
    size_t p = d->m.p, n = d->m.n;
    if (p < 2)
        return cli_fail(cmd, "%zu item selected: KMO and factor analysis need at least 2", p);
    if (n < 2)
        return cli_fail(cmd, "%zu complete respondent(s) of %zu read: too few to correlate "
                        "(try --missing pairwise?)", n, d->m.n_read);
    d->r = malloc(p * p * sizeof *d->r);
    d->mean = malloc(p * sizeof *d->mean);
    d->sd = malloc(p * sizeof *d->sd);
    if (!d->r || !d->mean || !d->sd)
        return cli_fail(cmd, "out of memory");
    if (egdi_fa_corr_items(&d->m, o->pairwise, d->r, d->mean, d->sd, &err) != EGDI_OK ||
        egdi_fa_kmo_compute(d->r, p, n, d->m.names, &d->kmo, &err) != EGDI_OK)
        return cli_fail(cmd, "%s", cli_msg(err.message));
    return CLI_OK;
}

static int kmo_table(const survey_opts *o, const fa_data *d, const char *cmd)
{
    const egdi_fa_kmo *k = &d->kmo;
    char title[512];
    snprintf(title, sizeof title, "%s (%s; N = %zu, %s %zu; %s)",
             SURVEY_L(o, "KMO 和 Bartlett 检验", "KMO and Bartlett's test"), d->ds->source,
             d->m.n, SURVEY_L(o, "读入", "read"), d->m.n_read, survey_missing_note(o));
    const char *h[] = {"", "", SURVEY_L(o, "值", "value")};
    cli_table *t = cli_table_new(title, 3, h);
    if (!t)
        return cli_fail(cmd, "out of memory");
    cli_table_right(t, 2);
    cli_table_cell(t, SURVEY_L(o, "KMO 取样适切性量数", "Kaiser-Meyer-Olkin measure of sampling adequacy"));
    cli_table_cell(t, "");
    cli_table_num(t, k->kmo, 3);
    cli_table_end_row(t);
    cli_table_cell(t, SURVEY_L(o, "Bartlett 球形度检验", "Bartlett's test of sphericity"));
    cli_table_cell(t, SURVEY_L(o, "近似卡方", "approx. chi-square"));
    cli_table_num(t, k->chi2, 3);
    cli_table_end_row(t);
    cli_table_cell(t, "");
    cli_table_cell(t, SURVEY_L(o, "自由度", "df"));
    cli_table_num(t, k->df, 0);
    cli_table_end_row(t);
    cli_table_cell(t, "");
    cli_table_cell(t, SURVEY_L(o, "显著性", "sig."));
    if (k->p_value < P_TINY)
        cli_table_cellf(t, "< 1e-300 (ln p = %.2f)", k->log_p);
    else if (k->p_value < 0.001)
        cli_table_cellf(t, "%.3g", k->p_value);
    else
        cli_table_num(t, k->p_value, 3);
    cli_table_end_row(t);
    cli_table_cell(t, SURVEY_L(o, "相关矩阵行列式", "determinant of the correlation matrix"));
    cli_table_cell(t, "");
    cli_table_cellf(t, "%.4g", k->det);
    cli_table_end_row(t);
    int rc = survey_print_table(t, o, cmd, true);
    if (rc != CLI_OK)
        return rc;
    const char *h2[] = {SURVEY_L(o, "题项", "item"),
                        SURVEY_L(o, "MSA (反映像相关)", "MSA (anti-image)")};
    t = cli_table_new(SURVEY_L(o, "各题项取样适切性量数", "Measure of sampling adequacy per item"),
                      2, h2);
    if (!t)
        return cli_fail(cmd, "out of memory");
    cli_table_right(t, 1);
    for (size_t j = 0; j < d->m.p; j++) {
        cli_table_cell(t, d->m.names[j]);
        cli_table_num(t, k->msa[j], 3);
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, cmd, false);
}

/* The KMO / Bartlett keys, added to root. */
static void kmo_json(json_t *root, const survey_opts *o, const fa_data *d)
{
    const egdi_fa_kmo *k = &d->kmo;
    json_object_set_new(root, "source", json_string(d->ds->source));
    json_object_set_new(root, "n", json_integer((json_int_t)d->m.n));
    json_object_set_new(root, "n_read", json_integer((json_int_t)d->m.n_read));
    json_object_set_new(root, "missing", json_string(o->pairwise ? "pairwise" : "listwise"));
    json_t *items = json_array();
    for (size_t j = 0; j < d->m.p; j++)
        json_array_append_new(items, json_string(d->m.names[j]));
    json_object_set_new(root, "items", items);
    json_object_set_new(root, "kmo", cli_json_num(k->kmo));
    json_t *msa = json_object();
    for (size_t j = 0; j < d->m.p; j++)
        json_object_set_new(msa, d->m.names[j], cli_json_num(k->msa[j]));
    json_object_set_new(root, "msa", msa);
    json_t *b = json_object();
    json_object_set_new(b, "chi2", cli_json_num(k->chi2));
    json_object_set_new(b, "df", cli_json_count(k->df));
    json_object_set_new(b, "p", cli_json_num(k->p_value));
    json_object_set_new(b, "log_p", cli_json_num(k->log_p));
    json_object_set_new(b, "n", cli_json_count(k->n));
    json_object_set_new(root, "bartlett", b);
    json_object_set_new(root, "determinant", cli_json_num(k->det));
    json_object_set_new(root, "log_determinant", cli_json_num(k->log_det));
}

static int run_kmo(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    int rc = survey_getopt(argc, argv, &survey_cmd_kmo, CMD_KMO, &o, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    fa_data d;
    rc = fa_prepare(&o, CMD_KMO, &d);
    if (rc == CLI_OK) {
        if (o.fmt == CLI_JSON) {
            json_t *root = json_object();
            if (root)
                kmo_json(root, &o, &d);
            rc = survey_print_json(root, CMD_KMO);
        } else {
            rc = kmo_table(&o, &d, CMD_KMO);
        }
    }
    fa_data_release(&d);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD_KMO);
    return rc;
}

/* ---- efa ------------------------------------------------------------------- */

static int efa_handle(int c, const char *arg, void *ud)
{
    efa_args *a = ud;
    egdi_fa_options *f = &a->fa;
    long v;
    double x;
    switch (c) {
    case OPT_EXTRACT:
        if (strcmp(arg, "pca") == 0)
            f->method = EGDI_FA_PCA;
        else if (strcmp(arg, "paf") == 0)
            f->method = EGDI_FA_PAF;
        else if (strcmp(arg, "ml") == 0)
            f->method = EGDI_FA_ML;
        else
            return cli_usage(CMD_EFA, "--extract wants pca, paf or ml, not '%s'", arg);
        return 1;
    case OPT_FACTORS:
        if (strcmp(arg, "kaiser") == 0) {
            f->rule = EGDI_FA_NFACT_KAISER;
        } else if (strcmp(arg, "parallel") == 0) {
            f->rule = EGDI_FA_NFACT_PARALLEL;
        } else if (cli_parse_long(arg, 1, 10000, &v)) {
            f->rule = EGDI_FA_NFACT_FIXED;
            f->nfactors = (size_t)v;
        } else {
            return cli_usage(CMD_EFA, "--factors wants a number, kaiser or parallel, not '%s'",
                             arg);
        }
        return 1;
    case OPT_ROTATE:
        if (strcmp(arg, "none") == 0)
            f->rotation = EGDI_FA_ROT_NONE;
        else if (strcmp(arg, "varimax") == 0)
            f->rotation = EGDI_FA_ROT_VARIMAX;
        else if (strcmp(arg, "promax") == 0)
            f->rotation = EGDI_FA_ROT_PROMAX;
        else if (strcmp(arg, "oblimin") == 0)
            f->rotation = EGDI_FA_ROT_OBLIMIN;
        else
            return cli_usage(CMD_EFA, "--rotate wants none, varimax, promax or oblimin, not '%s'",
                             arg);
        return 1;
    case OPT_PSYCH:
        f->psych = true;
        f->allow_nonconverged = true;
        return 1;
    case OPT_TOL:
    case OPT_ROT_TOL:
        if (!cli_parse_double(arg, &x) || !(x > 0) || !(x < 1))
            return cli_usage(CMD_EFA, "%s wants a number between 0 and 1, not '%s'",
                             c == OPT_TOL ? "--tol" : "--rot-tol", arg);
        if (c == OPT_TOL)
            f->tol = x;
        else
            f->rot_tol = x;
        return 1;
    case OPT_MAX_ITER:
        if (!cli_parse_long(arg, 1, 10000000L, &v))
            return cli_usage(CMD_EFA, "--max-iter wants a positive whole number, not '%s'", arg);
        f->max_iter = (unsigned)v;
        f->rot_max_iter = (unsigned)v;
        return 1;
    case OPT_SEED:
        if (!cli_parse_long(arg, 0, 4294967295L, &v))
            return cli_usage(CMD_EFA, "--seed wants a whole number 0 to 4294967295, not '%s'",
                             arg);
        f->seed = (unsigned long)v;
        return 1;
    case OPT_REPS:
        if (!cli_parse_long(arg, 10, 100000, &v))
            return cli_usage(CMD_EFA, "--parallel-reps wants 10 to 100000, not '%s'", arg);
        f->parallel_reps = (unsigned)v;
        return 1;
    case OPT_QUANTILE:
        if (!cli_parse_double(arg, &x) || !(x > 0) || !(x < 1))
            return cli_usage(CMD_EFA, "--quantile wants a number between 0 and 1, not '%s'", arg);
        f->parallel_quantile = x;
        return 1;
    case OPT_BLANK:
        if (!cli_parse_double(arg, &x) || !(x >= 0) || !(x < 1))
            return cli_usage(CMD_EFA, "--blank wants a number from 0 to 1, not '%s'", arg);
        a->blank = x;
        return 1;
    case OPT_SCORES:
        a->scores = arg;
        return 1;
    default:
        return 0;
    }
}

static const char *method_label(const survey_opts *o, egdi_fa_method m)
{
    switch (m) {
    case EGDI_FA_PCA: return SURVEY_L(o, "主成分分析", "principal components");
    case EGDI_FA_PAF: return SURVEY_L(o, "主轴因子分解", "principal axis factoring");
    case EGDI_FA_ML: return SURVEY_L(o, "最大似然", "maximum likelihood");
    }
    return "";
}

static const char *rotation_label(const survey_opts *o, egdi_fa_rotation r)
{
    switch (r) {
    case EGDI_FA_ROT_NONE: return SURVEY_L(o, "未旋转", "none");
    case EGDI_FA_ROT_VARIMAX: return SURVEY_L(o, "凯撒正态化最大方差法", "varimax with Kaiser normalization");
    case EGDI_FA_ROT_PROMAX: return SURVEY_L(o, "凯撒正态化 Promax 法 (幂 4)", "promax (power 4) with Kaiser normalization");
    case EGDI_FA_ROT_OBLIMIN: return SURVEY_L(o, "直接斜交法 (oblimin, gamma 0)", "direct oblimin (gamma 0)");
    }
    return "";
}

/* A p x k loading table; |values| below blank print empty (table view).
 * CSV has no titles, so there the first heading names the matrix (what). */
static int loading_table(const survey_opts *o, const fa_data *d, const char *title,
                         const char *what, const double *l, size_t k, bool pca, double blank,
                         bool first)
{
    const char *h[65];
    char names[64][16];
    size_t cols = k + 1;
    if (k > 64)
        return cli_fail(CMD_EFA, "too many factors to print (%zu)", k);
    h[0] = o->fmt == CLI_CSV ? what : SURVEY_L(o, "题项", "item");
    for (size_t j = 0; j < k; j++) {
        snprintf(names[j], sizeof names[j], "%s%zu", pca ? SURVEY_L(o, "成分", "C")
                                                         : SURVEY_L(o, "因子", "F"), j + 1);
        h[j + 1] = names[j];
    }
    cli_table *t = cli_table_new(title, cols, h);
    if (!t)
        return cli_fail(CMD_EFA, "out of memory");
    for (size_t j = 1; j < cols; j++)
        cli_table_right(t, j);
    for (size_t i = 0; i < d->m.p; i++) {
        cli_table_cell(t, d->m.names[i]);
        for (size_t j = 0; j < k; j++) {
            double v = l[i * k + j];
            if (o->fmt == CLI_TABLE && fabs(v) < blank)
                cli_table_cell(t, "");
            else
                cli_table_num(t, v, 3);
        }
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, CMD_EFA, first);
}

static int efa_tables(const survey_opts *o, const fa_data *d, const egdi_fa_result *r,
                      const efa_args *a)
{
    int rc = kmo_table(o, d, CMD_EFA);
    if (rc != CLI_OK)
        return rc;
    size_t p = r->p, k = r->k;
    bool pca = r->method == EGDI_FA_PCA;
    char note[256];
    if (pca)
        snprintf(note, sizeof note, "%s: %s", SURVEY_L(o, "提取方法", "extraction"),
                 method_label(o, r->method));
    else
        snprintf(note, sizeof note, "%s: %s; %u %s%s", SURVEY_L(o, "提取方法", "extraction"),
                 method_label(o, r->method), r->iterations, SURVEY_L(o, "次迭代", "iterations"),
                 r->converged ? "" : SURVEY_L(o, ", 未收敛", ", NOT converged"));
    char title[512];

    /* communalities */
    snprintf(title, sizeof title, "%s (%s)", SURVEY_L(o, "公因子方差", "Communalities"), note);
    const char *hc[] = {SURVEY_L(o, "题项", "item"), SURVEY_L(o, "初始", "initial"),
                        SURVEY_L(o, "提取", "extraction")};
    cli_table *t = cli_table_new(title, 3, hc);
    if (!t)
        return cli_fail(CMD_EFA, "out of memory");
    cli_table_right(t, 1);
    cli_table_right(t, 2);
    for (size_t i = 0; i < p; i++) {
        cli_table_cell(t, d->m.names[i]);
        cli_table_num(t, r->comm_initial[i], 3);
        cli_table_num(t, r->communality[i], 3);
        cli_table_end_row(t);
    }
    if ((rc = survey_print_table(t, o, CMD_EFA, false)) != CLI_OK)
        return rc;

    /* total variance explained */
    bool rot = r->rotation != EGDI_FA_ROT_NONE;
    const char *hv[12];
    size_t nc = 0;
    hv[nc++] = pca ? SURVEY_L(o, "成分", "component") : SURVEY_L(o, "因子", "factor");
    hv[nc++] = SURVEY_L(o, "初始特征值 总计", "initial eigenvalue");
    hv[nc++] = SURVEY_L(o, "方差%", "% of variance");
    hv[nc++] = SURVEY_L(o, "累积%", "cumulative %");
    if (r->parallel)
        hv[nc++] = SURVEY_L(o, "随机数据阈值", "random-data threshold");
    hv[nc++] = SURVEY_L(o, "提取载荷平方和 总计", "extraction SS loadings");
    hv[nc++] = SURVEY_L(o, "方差%", "% of variance");
    hv[nc++] = SURVEY_L(o, "累积%", "cumulative %");
    if (rot) {
        hv[nc++] = SURVEY_L(o, "旋转载荷平方和 总计", "rotation SS loadings");
        if (!r->oblique) {
            hv[nc++] = SURVEY_L(o, "方差%", "% of variance");
            hv[nc++] = SURVEY_L(o, "累积%", "cumulative %");
        }
    }
    snprintf(title, sizeof title, "%s (%s)", SURVEY_L(o, "总方差解释", "Total variance explained"),
             note);
    t = cli_table_new(title, nc, hv);
    if (!t)
        return cli_fail(CMD_EFA, "out of memory");
    for (size_t c = 1; c < nc; c++)
        cli_table_right(t, c);
    for (size_t j = 0; j < p; j++) {
        cli_table_cellf(t, "%zu", j + 1);
        cli_table_num(t, r->eigenvalues[j], 3);
        cli_table_num(t, 100 * r->prop_initial[j], 3);
        cli_table_num(t, 100 * r->cum_initial[j], 3);
        if (r->parallel)
            cli_table_num(t, r->parallel[j], 3);
        if (j < k) {
            cli_table_num(t, r->ss_unrotated[j], 3);
            cli_table_num(t, 100 * r->prop_unrotated[j], 3);
            cli_table_num(t, 100 * r->cum_unrotated[j], 3);
            if (rot) {
                cli_table_num(t, r->ss_loadings[j], 3);
                if (!r->oblique) {
                    cli_table_num(t, 100 * r->proportion_var[j], 3);
                    cli_table_num(t, 100 * r->cumulative_var[j], 3);
                }
            }
        }
        cli_table_end_row(t);
    }
    if ((rc = survey_print_table(t, o, CMD_EFA, false)) != CLI_OK)
        return rc;

    /* ML test of fit */
    if (r->method == EGDI_FA_ML) {
        const char *hf[] = {SURVEY_L(o, "卡方", "chi-square"), SURVEY_L(o, "自由度", "df"),
                            SURVEY_L(o, "显著性", "sig."), SURVEY_L(o, "目标函数", "objective")};
        t = cli_table_new(SURVEY_L(o, "拟合优度检验", "Goodness-of-fit test"), 4, hf);
        if (!t)
            return cli_fail(CMD_EFA, "out of memory");
        for (size_t c = 0; c < 4; c++)
            cli_table_right(t, c);
        cli_table_num(t, r->chi2, 3);
        cli_table_num(t, r->df, 0);
        if (r->p_value < P_TINY)
            cli_table_cellf(t, "< 1e-300 (ln p = %.2f)", r->log_p);
        else
            cli_table_cellf(t, "%.4g", r->p_value);
        cli_table_num(t, r->objective, 5);
        cli_table_end_row(t);
        if ((rc = survey_print_table(t, o, CMD_EFA, false)) != CLI_OK)
            return rc;
    }

    /* loadings */
    snprintf(title, sizeof title, "%s (%s)",
             pca ? SURVEY_L(o, "成分矩阵", "Component matrix")
                 : SURVEY_L(o, "因子矩阵", "Factor matrix"), note);
    if ((rc = loading_table(o, d, title, "item (unrotated)", r->unrotated, k, pca, a->blank, false)) != CLI_OK)
        return rc;
    if (!rot)
        return CLI_OK;
    char rnote[256];
    snprintf(rnote, sizeof rnote, "%s: %s; %u %s%s", SURVEY_L(o, "旋转方法", "rotation"),
             rotation_label(o, r->rotation), r->rot_iterations, SURVEY_L(o, "次迭代", "iterations"),
             r->rot_converged ? "" : SURVEY_L(o, ", 未收敛", ", NOT converged"));
    if (!r->oblique) {
        snprintf(title, sizeof title, "%s (%s)",
                 pca ? SURVEY_L(o, "旋转后的成分矩阵", "Rotated component matrix")
                     : SURVEY_L(o, "旋转后的因子矩阵", "Rotated factor matrix"), rnote);
        return loading_table(o, d, title, "item (rotated)", r->loadings, k, pca, a->blank, false);
    }
    snprintf(title, sizeof title, "%s (%s)", SURVEY_L(o, "模式矩阵", "Pattern matrix"), rnote);
    if ((rc = loading_table(o, d, title, "item (pattern)", r->loadings, k, pca, a->blank,
                            false)) != CLI_OK)
        return rc;
    snprintf(title, sizeof title, "%s (%s)", SURVEY_L(o, "结构矩阵", "Structure matrix"), rnote);
    if ((rc = loading_table(o, d, title, "item (structure)", r->structure, k, pca, a->blank,
                            false)) != CLI_OK)
        return rc;
    const char *hp[65];
    char names[64][16];
    hp[0] = o->fmt == CLI_CSV ? "phi" : "";
    for (size_t j = 0; j < k && j < 64; j++) {
        snprintf(names[j], sizeof names[j], "%zu", j + 1);
        hp[j + 1] = names[j];
    }
    t = cli_table_new(pca ? SURVEY_L(o, "成分相关性矩阵", "Component correlation matrix")
                          : SURVEY_L(o, "因子相关性矩阵", "Factor correlation matrix"),
                      k + 1, hp);
    if (!t)
        return cli_fail(CMD_EFA, "out of memory");
    for (size_t j = 1; j <= k; j++)
        cli_table_right(t, j);
    for (size_t i = 0; i < k; i++) {
        cli_table_cellf(t, "%zu", i + 1);
        for (size_t j = 0; j < k; j++)
            cli_table_num(t, r->phi[i * k + j], 3);
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, CMD_EFA, false);
}

static json_t *json_vec(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, cli_json_num(v[i]));
    return a;
}

/* {item: [k values]} from a p x k matrix. */
static json_t *json_rows(const fa_data *d, const double *l, size_t k)
{
    json_t *o = json_object();
    for (size_t i = 0; i < d->m.p; i++)
        json_object_set_new(o, d->m.names[i], json_vec(l + i * k, k));
    return o;
}

static json_t *json_items(const fa_data *d, const double *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < d->m.p; i++)
        json_object_set_new(o, d->m.names[i], cli_json_num(v[i]));
    return o;
}

static const char *rule_name(egdi_fa_nfact_rule r)
{
    return r == EGDI_FA_NFACT_FIXED ? "fixed" : r == EGDI_FA_NFACT_KAISER ? "kaiser" : "parallel";
}

static json_t *efa_json(const survey_opts *o, const fa_data *d, const egdi_fa_result *r,
                        const efa_args *a)
{
    json_t *root = json_object();
    if (!root)
        return NULL;
    size_t k = r->k, p = r->p;
    kmo_json(root, o, d);
    json_object_set_new(root, "extraction", json_string(egdi_fa_method_name(r->method)));
    json_object_set_new(root, "rotation", json_string(egdi_fa_rotation_name(r->rotation)));
    json_object_set_new(root, "oblique", json_boolean(r->oblique));
    json_object_set_new(root, "psych_defaults", json_boolean(a->fa.psych));
    json_object_set_new(root, "factors_rule", json_string(rule_name(a->fa.rule)));
    json_object_set_new(root, "nfactors", json_integer((json_int_t)k));
    if (r->parallel) {
        json_t *pa = json_object();
        json_object_set_new(pa, "thresholds", json_vec(r->parallel, p));
        json_object_set_new(pa, "seed", json_integer((json_int_t)a->fa.seed));
        json_object_set_new(pa, "replications", json_integer((json_int_t)(
                                a->fa.parallel_reps ? a->fa.parallel_reps : 100)));
        json_object_set_new(pa, "quantile", cli_json_num(a->fa.parallel_quantile > 0
                                                             ? a->fa.parallel_quantile : 0.95));
        json_object_set_new(root, "parallel", pa);
    }
    json_object_set_new(root, "eigenvalues", json_vec(r->eigenvalues, p));
    json_object_set_new(root, "communalities_initial", json_items(d, r->comm_initial));
    json_object_set_new(root, "communalities", json_items(d, r->communality));
    json_object_set_new(root, "uniquenesses", json_items(d, r->uniqueness));
    json_object_set_new(root, "unrotated_loadings", json_rows(d, r->unrotated, k));
    json_object_set_new(root, "ss_unrotated", json_vec(r->ss_unrotated, k));
    json_object_set_new(root, "proportion_var_unrotated", json_vec(r->prop_unrotated, k));
    json_object_set_new(root, "cumulative_var_unrotated", json_vec(r->cum_unrotated, k));
    json_object_set_new(root, "loadings", json_rows(d, r->loadings, k));
    json_object_set_new(root, "structure", json_rows(d, r->structure, k));
    json_t *phi = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append_new(phi, json_vec(r->phi + i * k, k));
    json_object_set_new(root, "phi", phi);
    json_t *rm = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append_new(rm, json_vec(r->rotmat + i * k, k));
    json_object_set_new(root, "rotation_matrix", rm);
    json_object_set_new(root, "ss_loadings", json_vec(r->ss_loadings, k));
    json_object_set_new(root, "proportion_var", json_vec(r->proportion_var, k));
    json_object_set_new(root, "cumulative_var", json_vec(r->cumulative_var, k));
    json_object_set_new(root, "score_weights", json_rows(d, r->weights, k));
    json_object_set_new(root, "iterations", json_integer((json_int_t)r->iterations));
    json_object_set_new(root, "converged", json_boolean(r->converged));
    json_object_set_new(root, "rotation_iterations", json_integer((json_int_t)r->rot_iterations));
    json_object_set_new(root, "rotation_converged", json_boolean(r->rot_converged));
    if (r->method == EGDI_FA_ML) {
        json_t *ml = json_object();
        json_object_set_new(ml, "objective", cli_json_num(r->objective));
        json_object_set_new(ml, "chi2", cli_json_num(r->chi2));
        json_object_set_new(ml, "df", cli_json_count(r->df));
        json_object_set_new(ml, "p", cli_json_num(r->p_value));
        json_object_set_new(ml, "log_p", cli_json_num(r->log_p));
        json_object_set_new(ml, "heywood",
                            r->heywood >= 0 ? json_string(d->m.names[r->heywood]) : json_null());
        json_object_set_new(root, "fit", ml);
    }
    if (a->scores)
        json_object_set_new(root, "scores_file", json_string(a->scores));
    return root;
}

/* Writes regression factor scores, one row per respondent (source row
 * number first), to path via a temporary file renamed over it. */
static int write_scores(fa_data *d, const egdi_fa_result *r, const char *path)
{
    size_t n = d->m.n, k = r->k;
    double *sc = malloc((n ? n : 1) * k * sizeof *sc);
    if (!sc)
        return cli_fail(CMD_EFA, "out of memory for the factor scores");
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_item_matrix_doubles(&d->m, &err) != EGDI_OK ||
        egdi_fa_scores(r, d->m.x, n, d->mean, d->sd, sc, &err) != EGDI_OK) {
        free(sc);
        return cli_fail(CMD_EFA, "%s", cli_msg(err.message));
    }
    egdi_outfile o;
    if (egdi_outfile_open(&o, path, &err) != EGDI_OK) {
        free(sc);
        return cli_fail(CMD_EFA, "--scores: %s", cli_msg(err.message));
    }
    FILE *f = o.f;
    fprintf(f, "row");
    for (size_t j = 0; j < k; j++)
        fprintf(f, ",%s%zu", r->method == EGDI_FA_PCA ? "C" : "F", j + 1);
    fputc('\n', f);
    for (size_t i = 0; i < n && !ferror(f); i++) {
        fprintf(f, "%lu", (unsigned long)d->m.rows[i]);
        for (size_t j = 0; j < k; j++) {
            double v = sc[i * k + j];
            if (isfinite(v))
                fprintf(f, ",%.17g", v);
            else
                fputc(',', f);
        }
        fputc('\n', f);
    }
    free(sc);
    if (egdi_outfile_commit(&o, &err) != EGDI_OK)
        return cli_fail(CMD_EFA, "--scores: %s; no scores file was written", cli_msg(err.message));
    return CLI_OK;
}

static int run_efa(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    efa_args a;
    memset(&a, 0, sizeof a);
    egdi_fa_options_init(&a.fa);
    int rc = survey_getopt(argc, argv, &survey_cmd_efa, CMD_EFA, &o, efa_handle, &a);
    if (rc != CLI_OK)
        return rc;
    fa_data d;
    egdi_fa_result res;
    memset(&res, 0, sizeof res);
    egdi_fa_work *w = NULL;
    if (a.scores && survey_check_output(&o, CMD_EFA, "--scores", a.scores, NULL) != CLI_OK)
        return CLI_FAIL;
    rc = fa_prepare(&o, CMD_EFA, &d);
    if (rc != CLI_OK)
        goto done;
    w = egdi_fa_work_alloc(d.m.p);
    if (!w) {
        rc = cli_fail(CMD_EFA, "out of memory");
        goto done;
    }
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_fa_run(d.r, d.m.p, d.m.n, d.m.names, &a.fa, w, &res, &err) !=
        EGDI_OK) {
        rc = cli_fail(CMD_EFA, "%s", cli_msg(err.message));
        goto done;
    }
    if (!res.converged)
        fprintf(stderr,
                cli_tr("egdi %s: warning: %s stopped after %u iterations without converging "
                       "(psych's limit)\n"), CMD_EFA, egdi_fa_method_name(res.method), res.iterations);
    if (!res.rot_converged)
        fprintf(stderr,
                cli_tr("egdi %s: warning: %s rotation stopped after %u iterations without "
                       "converging\n"), CMD_EFA, egdi_fa_rotation_name(res.rotation), res.rot_iterations);
    if (res.heywood >= 0)
        fprintf(stderr,
                cli_tr("egdi %s: warning: Heywood case: the uniqueness of %s sits on the "
                       "0.005 bound (communality near 1); interpret with care\n"), CMD_EFA,
                d.m.names[res.heywood]);
    if (a.scores && (rc = write_scores(&d, &res, a.scores)) != CLI_OK)
        goto done;
    rc = o.fmt == CLI_JSON ? survey_print_json(efa_json(&o, &d, &res, &a), CMD_EFA)
                           : efa_tables(&o, &d, &res, &a);
done:
    egdi_fa_result_release(&res);
    egdi_fa_work_free(w);
    fa_data_release(&d);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD_EFA);
    return rc;
}

const cli_command survey_cmd_kmo = {
    .name = "kmo",
    .run = run_kmo,
    .summary = "KMO, per-item MSA, Bartlett's test of sphericity",
    .usage = "--data FILE|--survey NAME [--items LIST] [OPTIONS]",
    .common = survey_common_options,
    .notes = "psych::KMO, cortest.bartlett (n = the rows used); ln p when p underflows; the "
             "determinant of the correlation matrix.",
};

const cli_command survey_cmd_efa = {
    .name = "efa",
    .run = run_efa,
    .summary = "exploratory factor analysis: pca|paf|ml, rotations, scores",
    .usage = "--data FILE|--survey NAME [--extract M] [--factors K] [--rotate R] [OPTIONS]",
    .options = efa_options,
    .common = survey_common_options,
    .notes = "Full convergence by default; --psych-defaults = R's early stops.\n"
             "Factors sorted by SS loadings; signs so loadings sum to >= 0.\n"
             "Details: docs/factor-json.md.",
};
