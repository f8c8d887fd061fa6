/*
 * survey_regress.c - `egdi survey regress`: OLS regression (回归分析结果),
 * hierarchical by blocks, with dummy variables for categorical predictors
 * (surveys/regress.h), printed as SPSS's model summary, ANOVA and
 * coefficients tables.  Everything parsed or computed is freed before
 * returning.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/regress.h"

#define CMD SURVEY_CMD("regress")

enum { OPT_Y, OPT_X, OPT_BLOCK, OPT_CATEGORICAL, OPT_REF, OPT_CONF };

/* The most --block and --ref options. */
#define MAX_BLOCKS 16
#define MAX_REFS 32

static const cli_option options[] = {
    {OPT_Y, "y", 0, "COLUMN|SCALE", "the dependent variable"},
    {OPT_X, "x", 0, "LIST", "the predictors, entered together (one block)"},
    {OPT_BLOCK, "block", 0, "LIST",
     "a block of predictors, entered after the blocks before it (hierarchical regression: "
     "--block 性别,年龄 --block 有用性,易用性); each model prints its R^2 change, F change and p"},
    {OPT_CATEGORICAL, "categorical", 0, "LIST",
     "coded columns to enter as dummy variables (a column of text, such as 学历 本科/硕士, "
     "always is)"},
    {OPT_REF, "ref", 0, "COLUMN=CATEGORY",
     "the reference category of a categorical predictor (default its first: the lowest "
     "code, else the first text in byte order, as R); repeat for each"},
    {OPT_CONF, "conf", 0, "LEVEL", "confidence level of the coefficients' CIs (default 0.95)"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    const char *y, *x;
    const char *block[MAX_BLOCKS];
    size_t nblocks;
    const char *categorical;
    const char *ref[MAX_REFS];
    size_t nrefs;
    double conf;
} rg_args;

static int handle(int c, const char *arg, void *ud)
{
    rg_args *a = ud;
    switch (c) {
    case OPT_Y:
        a->y = arg;
        return 1;
    case OPT_X:
        a->x = arg;
        return 1;
    case OPT_BLOCK:
        if (a->nblocks == MAX_BLOCKS)
            return cli_usage(CMD, "--block given more than %d times", MAX_BLOCKS);
        a->block[a->nblocks++] = arg;
        return 1;
    case OPT_CATEGORICAL:
        a->categorical = arg;
        return 1;
    case OPT_REF:
        if (!strchr(arg, '=') || arg[0] == '=' || !strchr(arg, '=')[1])
            return cli_usage(CMD, "--ref wants COLUMN=CATEGORY, e.g. 学历=本科, not '%s'", arg);
        if (a->nrefs == MAX_REFS)
            return cli_usage(CMD, "--ref given more than %d times", MAX_REFS);
        a->ref[a->nrefs++] = arg;
        return 1;
    case OPT_CONF:
        if (!cli_parse_double(arg, &a->conf) || !(a->conf > 0 && a->conf < 1))
            return cli_usage(CMD, "--conf wants a level in (0, 1), e.g. 0.95, not '%s'", arg);
        return 1;
    default:
        return 0;
    }
}

static const char *coef_name(const survey_opts *o, const egdi_reg_coef *c, char *buf,
                             size_t size)
{
    if (!c->name)
        return SURVEY_L(o, "(常量)", "(constant)");
    if (!c->ref)
        return c->name;
    snprintf(buf, size, "%s (%s %s)", c->name, SURVEY_L(o, "参照:", "vs"), c->ref);
    return buf;
}

static json_t *json_coef(const egdi_reg_coef *c)
{
    json_t *j = json_object();
    json_object_set_new(j, "name", json_string(c->name ? c->name : "(constant)"));
    if (c->ref)
        json_object_set_new(j, "reference", json_string(c->ref));
    json_object_set_new(j, "b", cli_json_num(c->b));
    json_object_set_new(j, "se", cli_json_num(c->se));
    json_object_set_new(j, "beta", cli_json_num(c->beta));
    json_object_set_new(j, "t", cli_json_num(c->t));
    json_object_set_new(j, "p", cli_json_num(c->p));
    json_object_set_new(j, "ci", json_pack("[oo]", cli_json_num(c->ci_lo), cli_json_num(c->ci_hi)));
    json_object_set_new(j, "tolerance", cli_json_num(c->tolerance));
    json_object_set_new(j, "vif", cli_json_num(c->vif));
    return j;
}

static int print_json(const egdi_dataset *ds, const egdi_regression *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "source", json_string(ds->source));
    json_object_set_new(root, "n_read", json_integer((json_int_t)r->n_read));
    json_object_set_new(root, "n", json_integer((json_int_t)r->n));
    json_object_set_new(root, "y", json_string(r->y));
    json_object_set_new(root, "conf", cli_json_num(r->conf));
    json_t *models = json_array();
    for (size_t k = 0; k < r->nmodels; k++) {
        const egdi_reg_model *m = &r->model[k];
        json_t *j = json_object(), *co = json_array(), *pred = json_array();
        for (size_t c = 1; c <= m->q; c++)
            json_array_append_new(pred, json_string(m->coef[c].name));
        json_object_set_new(j, "predictors", pred);
        json_object_set_new(j, "r", cli_json_num(m->r));
        json_object_set_new(j, "r2", cli_json_num(m->r2));
        json_object_set_new(j, "adj_r2", cli_json_num(m->adj_r2));
        json_object_set_new(j, "se_est", cli_json_num(m->se_est));
        json_object_set_new(j, "ss_reg", cli_json_num(m->ss_reg));
        json_object_set_new(j, "ss_res", cli_json_num(m->ss_res));
        json_object_set_new(j, "ss_tot", cli_json_num(m->ss_tot));
        json_object_set_new(j, "df_reg", cli_json_count(m->df_reg));
        json_object_set_new(j, "df_res", cli_json_count(m->df_res));
        json_object_set_new(j, "ms_reg", cli_json_num(m->ms_reg));
        json_object_set_new(j, "ms_res", cli_json_num(m->ms_res));
        json_object_set_new(j, "F", cli_json_num(m->F));
        json_object_set_new(j, "p", cli_json_num(m->p_F));
        json_object_set_new(j, "dw", cli_json_num(m->dw));
        json_object_set_new(j, "change",
                            json_pack("{s:o,s:o,s:o,s:o,s:o}", "r2", cli_json_num(m->r2_change),
                                      "F", cli_json_num(m->F_change), "df1",
                                      cli_json_count(m->df1_change), "df2",
                                      cli_json_count(m->df2_change), "p",
                                      cli_json_num(m->p_change)));
        for (size_t c = 0; c <= m->q; c++)
            json_array_append_new(co, json_coef(&m->coef[c]));
        json_object_set_new(j, "coefficients", co);
        json_array_append_new(models, j);
    }
    json_object_set_new(root, "models", models);
    return survey_print_json(root, CMD);
}

static int print_tables(const survey_opts *o, const egdi_regression *r)
{
    char title[512], pb[16];
    /* model summary */
    const char *h1[] = {SURVEY_L(o, "模型", "model"), "R", "R²",
                        SURVEY_L(o, "调整后 R²", "adj. R²"),
                        SURVEY_L(o, "标准估计误差", "SE of estimate"),
                        SURVEY_L(o, "R² 变化", "R² change"),
                        SURVEY_L(o, "F 变化", "F change"), "df1", "df2",
                        SURVEY_L(o, "显著性 F 变化", "p (F change)"), "Durbin-Watson"};
    snprintf(title, sizeof title, "%s (%s: %s; N = %zu)", SURVEY_L(o, "模型摘要", "Model summary"),
             SURVEY_L(o, "因变量", "dependent"), r->y, r->n);
    cli_table *t = cli_table_new(title, 11, h1);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 11; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < r->nmodels; k++) {
        const egdi_reg_model *m = &r->model[k];
        cli_table_cellf(t, "%zu", k + 1);
        cli_table_num(t, m->r, 3);
        cli_table_num(t, m->r2, 3);
        cli_table_num(t, m->adj_r2, 3);
        cli_table_num(t, m->se_est, 3);
        cli_table_num(t, m->r2_change, 3);
        cli_table_num(t, m->F_change, 3);
        cli_table_num(t, m->df1_change, 0);
        cli_table_num(t, m->df2_change, 0);
        cli_table_cell(t, survey_p_text(m->p_change, pb));
        cli_table_num(t, m->dw, 3);
        cli_table_end_row(t);
    }
    int rc = survey_print_table(t, o, CMD, true);
    if (rc != CLI_OK)
        return rc;
    /* ANOVA */
    const char *h2[] = {SURVEY_L(o, "模型", "model"), "", SURVEY_L(o, "平方和", "sum of squares"),
                        "df", SURVEY_L(o, "均方", "mean square"), "F", SURVEY_L(o, "显著性", "p")};
    t = cli_table_new("ANOVA", 7, h2);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 2; c < 7; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < r->nmodels; k++) {
        const egdi_reg_model *m = &r->model[k];
        cli_table_cellf(t, "%zu", k + 1);
        cli_table_cell(t, SURVEY_L(o, "回归", "regression"));
        cli_table_num(t, m->ss_reg, 3);
        cli_table_num(t, m->df_reg, 0);
        cli_table_num(t, m->ms_reg, 3);
        cli_table_num(t, m->F, 3);
        cli_table_cell(t, survey_p_text(m->p_F, pb));
        cli_table_end_row(t);
        cli_table_cell(t, NULL);
        cli_table_cell(t, SURVEY_L(o, "残差", "residual"));
        cli_table_num(t, m->ss_res, 3);
        cli_table_num(t, m->df_res, 0);
        cli_table_num(t, m->ms_res, 3);
        cli_table_end_row(t);
        cli_table_cell(t, NULL);
        cli_table_cell(t, SURVEY_L(o, "总计", "total"));
        cli_table_num(t, m->ss_tot, 3);
        cli_table_num(t, m->df_reg + m->df_res, 0);
        cli_table_end_row(t);
    }
    if ((rc = survey_print_table(t, o, CMD, false)) != CLI_OK)
        return rc;
    /* coefficients */
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%.0f%% CI %s", 100 * r->conf, SURVEY_L(o, "下限", "low"));
    snprintf(hi, sizeof hi, "%.0f%% CI %s", 100 * r->conf, SURVEY_L(o, "上限", "high"));
    const char *h3[] = {SURVEY_L(o, "模型", "model"), SURVEY_L(o, "变量", "variable"), "B",
                        SURVEY_L(o, "标准误", "SE"), "Beta", "t", SURVEY_L(o, "显著性", "p"),
                        lo, hi, SURVEY_L(o, "容差", "tolerance"), "VIF"};
    snprintf(title, sizeof title, "%s (%s: %s; N = %zu)",
             SURVEY_L(o, "回归分析结果", "Regression coefficients"),
             SURVEY_L(o, "因变量", "dependent"), r->y, r->n);
    t = cli_table_new(title, 11, h3);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 2; c < 11; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < r->nmodels; k++) {
        const egdi_reg_model *m = &r->model[k];
        for (size_t c = 0; c <= m->q; c++) {
            const egdi_reg_coef *co = &m->coef[c];
            char nb[512];
            if (c == 0)
                cli_table_cellf(t, "%zu", k + 1);
            else
                cli_table_cell(t, NULL);
            cli_table_cell(t, coef_name(o, co, nb, sizeof nb));
            cli_table_num(t, co->b, 3);
            cli_table_num(t, co->se, 3);
            cli_table_num(t, co->beta, 3);
            cli_table_num(t, co->t, 3);
            cli_table_cell(t, survey_p_text(co->p, pb));
            cli_table_num(t, co->ci_lo, 3);
            cli_table_num(t, co->ci_hi, 3);
            cli_table_num(t, co->tolerance, 3);
            cli_table_num(t, co->vif, 3);
            cli_table_end_row(t);
        }
    }
    return survey_print_table(t, o, CMD, false);
}

/* The terms of one block from its list; categorical and reference marks
 * from the options.  terms has room for n. */
static int block_terms(const rg_args *a, char **names, size_t n, char **cat, size_t ncat,
                       egdi_reg_term *terms)
{
    for (size_t k = 0; k < n; k++) {
        terms[k] = (egdi_reg_term){names[k], false, NULL};
        for (size_t c = 0; c < ncat; c++)
            if (strcmp(cat[c], names[k]) == 0)
                terms[k].categorical = true;
        size_t len = strlen(names[k]);
        for (size_t r = 0; r < a->nrefs; r++)
            if (strncmp(a->ref[r], names[k], len) == 0 && a->ref[r][len] == '=')
                terms[k].ref = a->ref[r] + len + 1;
    }
    return CLI_OK;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    rg_args a = {0};
    a.conf = 0.95;
    int rc = survey_getopt(argc, argv, &survey_cmd_regress, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    if (!a.y)
        return cli_usage(CMD, "--y is missing (the dependent variable)");
    if (a.x && a.nblocks)
        return cli_usage(CMD, "give the predictors with --x LIST or with --block LIST (blocks), "
                              "not both");
    if (!a.x && !a.nblocks)
        return cli_usage(CMD, "give the predictors: --x LIST, or --block LIST for each block");
    if (a.x)
        a.block[a.nblocks++] = a.x;
    char **bl[MAX_BLOCKS] = {NULL}, **cat = NULL;
    size_t nb[MAX_BLOCKS] = {0}, ncat = 0, nkeep = 0;
    egdi_reg_term *terms[MAX_BLOCKS] = {NULL};
    const char **keep = NULL;
    egdi_dataset *ds = NULL;
    egdi_regression r = {0};
    for (size_t b = 0; b < a.nblocks; b++) {
        if (!survey_split_list(a.block[b], &bl[b], &nb[b])) {
            rc = cli_usage(CMD, "%s wants names separated by commas, not '%s'",
                           a.x ? "--x" : "--block", a.block[b]);
            goto done;
        }
        nkeep += nb[b];
    }
    if (a.categorical && !survey_split_list(a.categorical, &cat, &ncat)) {
        rc = cli_usage(CMD, "--categorical wants names separated by commas, not '%s'",
                       a.categorical);
        goto done;
    }
    for (size_t r2 = 0; r2 < a.nrefs; r2++) {
        bool found = false;
        for (size_t b = 0; b < a.nblocks; b++)
            for (size_t k = 0; k < nb[b]; k++) {
                size_t len = strlen(bl[b][k]);
                found = found || (strncmp(a.ref[r2], bl[b][k], len) == 0 && a.ref[r2][len] == '=');
            }
        if (!found) {
            rc = cli_usage(CMD, "--ref %s names no predictor", a.ref[r2]);
            goto done;
        }
    }
    keep = malloc((nkeep ? nkeep : 1) * sizeof *keep);
    if (!keep) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    nkeep = 0;
    for (size_t b = 0; b < a.nblocks; b++) {
        if (!(terms[b] = calloc(nb[b] ? nb[b] : 1, sizeof **terms))) {
            rc = cli_fail(CMD, "out of memory");
            goto done;
        }
        block_terms(&a, bl[b], nb[b], cat, ncat, terms[b]);
        for (size_t k = 0; k < nb[b]; k++)
            keep[nkeep++] = bl[b][k];
    }
    if (nkeep > 64)
        nkeep = 64; /* the text of more predictors is not kept: they are numbers */
    if ((rc = survey_open(&o, CMD, keep, nkeep, &ds)) != CLI_OK)
        goto done;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_regress_dataset(ds, a.y, (const egdi_reg_term *const *)terms, nb, a.nblocks, a.conf,
                             &r, &err) != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    rc = o.fmt == CLI_JSON ? print_json(ds, &r) : print_tables(&o, &r);
done:
    egdi_regression_release(&r);
    for (size_t b = 0; b < a.nblocks; b++) {
        free(bl[b]);
        free(terms[b]);
    }
    free(cat);
    free(keep);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_regress = {
    .name = "regress",
    .run = run,
    .summary = "linear regression (OLS), hierarchical by blocks, with dummy variables",
    .usage = "--data FILE|--survey NAME --y Y --x LIST [OPTIONS]\n"
             "--data FILE|--survey NAME --y Y --block LIST --block LIST ... [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "As R's lm + summary + confint and SPSS REGRESSION (METHOD=ENTER per block): B, "
             "SE, standardized Beta, t, p, CI, tolerance and VIF; R, R², adjusted R², the SE "
             "of the estimate, F and p, Durbin-Watson (residuals in row order), and per block "
             "the R² change with its F change and p (anova(m1, m2)). Rows are deleted "
             "listwise over y and every predictor of every block; N is printed. A collinear "
             "design is refused naming the predictors.",
};
