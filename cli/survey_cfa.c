/*
 * survey_cfa.c - `egdi survey cfa`: maximum-likelihood confirmatory factor
 * analysis of a measurement model (surveys/cfa.h), printed as Chinese
 * theses print it (验证性因子分析拟合指标 with the cut-offs and a judgement
 * column, 因子载荷, 因子协方差与相关, 方差, 修正指数) or as JSON (keys in
 * docs/cfa-json.md); and the run `egdi survey validity` shares with it
 * (survey_cfa.h).
 *
 * Ownership: a cfa_run owns the dataset, the model, the covariances and
 * the fit; cfa_run_release() frees them on the one exit path.
 */
#include "cli/survey_cfa.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMD SURVEY_CMD("cfa")

/* Modification indices printed by default. */
#define MI_TOP 10

enum { OPT_MI = CFA_OPT_OWN };

static const cli_option cfa_options[] = {
    CFA_MODEL_OPTIONS,
    {OPT_MI, "mi", 0, "N",
     "print the N largest modification indices (default 10, 0 = none; JSON lists them all)"},
    {0, NULL, 0, NULL, NULL},
};

/* ---- shared with `survey validity` ------------------------------------------------ */

void cfa_args_init(cfa_args *a)
{
    memset(a, 0, sizeof *a);
    egdi_cfa_options_init(&a->cfa);
}

int cfa_option(int id, const char *arg, cfa_args *a, const char *cmd)
{
    long v;
    double x;
    switch (id) {
    case CFA_OPT_MODEL:
        a->model = arg;
        return 1;
    case CFA_OPT_STD_LV:
        a->cfa.std_lv = true;
        return 1;
    case CFA_OPT_MAX_ITER:
        if (!cli_parse_long(arg, 1, 1000000L, &v))
            return cli_usage(cmd, "--max-iter wants a whole number from 1 to 1000000, not '%s'",
                             arg);
        a->cfa.max_iter = (unsigned)v;
        return 1;
    case CFA_OPT_TOL:
        if (!cli_parse_double(arg, &x) || !(x > 0) || !(x < 1))
            return cli_usage(cmd, "--tol wants a number between 0 and 1, not '%s'", arg);
        a->cfa.tol = x;
        return 1;
    default:
        return 0;
    }
}

void cfa_run_release(cfa_run *r)
{
    egdi_cfa_result_release(&r->fit);
    egdi_cov_release(&r->cov);
    egdi_cfa_model_release(&r->model);
    egdi_dataset_free(r->ds);
    memset(r, 0, sizeof *r);
}

int cfa_prepare(const survey_opts *o, const cfa_args *a, const char *cmd, cfa_run *r)
{
    memset(r, 0, sizeof *r);
    if (o->pairwise)
        return cli_usage(cmd, "--missing pairwise is not supported: the model is fitted by ML "
                              "to the covariances of the complete rows (listwise); full-"
                              "information ML for missing answers is not implemented");
    if (o->save_scores && a->model &&
        survey_check_output(o, cmd, "--save-scores", o->save_scores, a->model) != CLI_OK)
        return CLI_FAIL; /* (a --model file is an input too) */
    int rc = survey_open(o, cmd, NULL, 0, &r->ds);
    if (rc != CLI_OK)
        return rc;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st;
    if (a->model)
        st = egdi_cfa_model_load(a->model, &r->model, &err);
    else if (r->ds->nscales == 0)
        return cli_usage(cmd, "no model: give --model 'factor =~ item + item + item; ...' or "
                              "--scales FILE (a stored survey brings its dimensions)");
    else
        st = egdi_cfa_model_from_scales(r->ds, &r->model, &err);
    if (st != EGDI_OK)
        return st == EGDI_ERR_MODEL || st == EGDI_ERR_LIMIT ? cli_usage(cmd, "%s", cli_msg(err.message))
                                                             : survey_error(cmd, &err);
    if ((st = egdi_cfa_dataset_cov(r->ds, &r->model, &r->cov, &r->n_read, &err)) != EGDI_OK)
        return survey_error(cmd, &err);
    if ((st = egdi_cfa_estimate(&r->model, &r->cov, &a->cfa, &r->fit, &err)) != EGDI_OK)
        return cli_fail(cmd, "%s", cli_msg(err.message));
    const egdi_cfa_result *f = &r->fit;
    for (size_t k = 0; k < f->nheywood; k++) {
        size_t j = f->heywood[k];
        fprintf(stderr,
                cli_tr("egdi %s: warning: Heywood case: item %s has a negative residual variance "
                       "(%.4g; standardized loading above 1): the solution is improper, "
                       "interpret with care\n"),
                cmd, r->model.item[j], f->theta[j]);
    }
    for (size_t k = 0; k < f->nneg_factor; k++) {
        size_t g = f->neg_factor[k];
        fprintf(stderr,
                cli_tr("egdi %s: warning: factor %s has a variance of %.4g (not positive): the "
                       "solution is improper\n"),
                cmd, r->model.factor[g].name, f->phi[g * f->m + g]);
    }
    return CLI_OK;
}

const char *cfa_identification(const survey_opts *o, const cfa_run *r)
{
    return r->fit.std_lv ? SURVEY_L(o, "因子方差固定为 1", "factor variances fixed to 1")
                         : SURVEY_L(o, "各因子首个载荷固定为 1", "first loading fixed to 1");
}

const char *cfa_missing_note(const survey_opts *o)
{
    return SURVEY_L(o, "列表删除：回答模型全部题项的样本", "listwise: rows answering every item");
}

/* ---- tables ----------------------------------------------------------------------- */

static void param_sides(const egdi_cfa_model *m, egdi_cfa_op op, size_t a, size_t b,
                        const char **l, const char **r)
{
    if (op == EGDI_CFA_LOADING || op == EGDI_CFA_FACTOR_COV) {
        *l = m->factor[a].name;
        *r = op == EGDI_CFA_LOADING ? m->item[b] : m->factor[b].name;
    } else {
        *l = m->item[a];
        *r = m->item[b];
    }
}

/* est, se, z, p of a parameter (SE "fixed" when fixed). */
static void param_cells(cli_table *t, const survey_opts *o, const egdi_cfa_param *p)
{
    cli_table_num(t, p->est, 3);
    if (!p->free) {
        cli_table_cell(t, SURVEY_L(o, "(固定)", "(fixed)"));
        cli_table_cell(t, "");
        cli_table_cell(t, "");
        return;
    }
    cli_table_num(t, p->se, 3);
    cli_table_num(t, p->z, 3);
    cli_table_num(t, p->p, 3);
}

static int fit_table(const survey_opts *o, const cfa_run *r)
{
    const egdi_cfa_result *f = &r->fit;
    char title[1024];
    snprintf(title, sizeof title,
             SURVEY_L(o, "验证性因子分析拟合指标 (%s; N = %zu, 读入 %zu; %s; 最大似然, %s; %u 次迭代)",
                      "CFA fit indices (%s; N = %zu, read %zu; %s; maximum likelihood, %s; %u "
                      "iterations)"),
             r->ds->source, f->n, r->n_read, cfa_missing_note(o), cfa_identification(o, r),
             f->iterations);
    const char *h[] = {SURVEY_L(o, "指标", "index"), SURVEY_L(o, "值", "value"),
                       SURVEY_L(o, "判断标准", "cut-off"), SURVEY_L(o, "判断", "judgement")};
    cli_table *t = cli_table_new(title, 4, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    cli_table_right(t, 1);
    egdi_cfa_fit_row rows[EGDI_CFA_FIT_ROWS];
    size_t nr = egdi_cfa_fit_rows(&f->fit, rows);
    bool zh = o->lang == CLI_ZH;
    for (size_t k = 0; k < nr; k++) {
        const egdi_cfa_fit_row *row = &rows[k];
        cli_table_cell(t, zh ? row->label_zh : row->label_en);
        if (!isnan(row->hi))
            cli_table_cellf(t, "[%.*f, %.*f]", row->decimals, row->value, row->decimals, row->hi);
        else if (isfinite(row->value))
            cli_table_num(t, row->value, row->decimals);
        else
            cli_table_cell(t, SURVEY_L(o, "无 (df = 0)", "none (df = 0)"));
        char cut[128];
        egdi_cfa_cutoff_text(row->cutoff, zh, cut, sizeof cut);
        cli_table_cell(t, cut);
        cli_table_cell(t, egdi_cfa_verdict_text(row->verdict, zh));
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, CMD, true);
}

static int loading_table(const survey_opts *o, const cfa_run *r)
{
    const egdi_cfa_result *f = &r->fit;
    const char *h[] = {SURVEY_L(o, "因子", "factor"),       SURVEY_L(o, "题项", "item"),
                       SURVEY_L(o, "非标准化载荷", "estimate"), SURVEY_L(o, "标准误", "SE"),
                       "z",                                "p",
                       SURVEY_L(o, "标准化载荷", "std.all")};
    cli_table *t = cli_table_new(SURVEY_L(o, "因子载荷", "Factor loadings"), 7, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 2; c < 7; c++)
        cli_table_right(t, c);
    size_t last = SIZE_MAX;
    for (size_t k = 0; k < f->nparams; k++) {
        const egdi_cfa_param *p = &f->param[k];
        if (p->op != EGDI_CFA_LOADING)
            continue;
        cli_table_cell(t, p->a == last ? "" : r->model.factor[p->a].name);
        last = p->a;
        const egdi_dataset_column *col = NULL;
        size_t j;
        if (egdi_dataset_find(r->ds, r->model.item[p->b], &j, NULL) == EGDI_OK)
            col = &r->ds->col[j];
        cli_table_cellf(t, "%s%s", r->model.item[p->b], col && col->reversed ? " (R)" : "");
        param_cells(t, o, p);
        cli_table_num(t, p->std_all, 3);
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, CMD, false);
}

static int cov_table(const survey_opts *o, const cfa_run *r)
{
    const egdi_cfa_result *f = &r->fit;
    if (f->m < 2)
        return CLI_OK;
    const char *h[] = {SURVEY_L(o, "因子", "factor"), SURVEY_L(o, "因子", "factor"),
                       SURVEY_L(o, "协方差", "covariance"), SURVEY_L(o, "标准误", "SE"), "z", "p",
                       SURVEY_L(o, "相关系数", "correlation")};
    cli_table *t =
        cli_table_new(SURVEY_L(o, "因子协方差与相关", "Factor covariances and correlations"), 7, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 2; c < 7; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < f->nparams; k++) {
        const egdi_cfa_param *p = &f->param[k];
        if (p->op != EGDI_CFA_FACTOR_COV || p->a == p->b)
            continue;
        cli_table_cell(t, r->model.factor[p->a].name);
        cli_table_cell(t, r->model.factor[p->b].name);
        param_cells(t, o, p);
        cli_table_num(t, p->std_all, 3);
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, CMD, false);
}

static int var_table(const survey_opts *o, const cfa_run *r)
{
    const egdi_cfa_result *f = &r->fit;
    const char *h[] = {SURVEY_L(o, "变量", "variable"), SURVEY_L(o, "方差", "variance"),
                       SURVEY_L(o, "标准误", "SE"),     "z",
                       "p",                             SURVEY_L(o, "标准化", "std.all")};
    cli_table *t = cli_table_new(
        SURVEY_L(o, "方差（因子方差与题项残差方差）", "Variances (factors, then residuals of items)"), 6,
        h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 6; c++)
        cli_table_right(t, c);
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < f->nparams; k++) {
            const egdi_cfa_param *p = &f->param[k];
            if (pass == 0 ? !(p->op == EGDI_CFA_FACTOR_COV && p->a == p->b)
                          : p->op != EGDI_CFA_RESIDUAL)
                continue;
            cli_table_cell(t, pass == 0 ? r->model.factor[p->a].name : r->model.item[p->a]);
            param_cells(t, o, p);
            cli_table_num(t, p->std_all, 3);
            cli_table_end_row(t);
        }
    return survey_print_table(t, o, CMD, false);
}

static int mi_table(const survey_opts *o, const cfa_run *r, size_t top)
{
    const egdi_cfa_result *f = &r->fit;
    if (top == 0)
        return CLI_OK;
    char title[256];
    if (f->mi_skipped)
        snprintf(title, sizeof title,
                 SURVEY_L(o, "修正指数（未计算：超过 %d 个题项）",
                          "Modification indices (not computed: more than %d items)"),
                 EGDI_CFA_MI_MAX_ITEMS);
    else
        snprintf(title, sizeof title,
                 SURVEY_L(o, "修正指数（最大的 %zu 个，共 %zu 个）",
                          "Modification indices (the %zu largest of %zu)"),
                 top < f->nmi ? top : f->nmi, f->nmi);
    const char *h[] = {SURVEY_L(o, "参数", "parameter"), "MI", SURVEY_L(o, "期望参数改变 EPC", "EPC"),
                       SURVEY_L(o, "标准化 EPC", "sepc.all")};
    cli_table *t = cli_table_new(title, 4, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 4; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < f->nmi && k < top; k++) {
        const egdi_cfa_mi *mi = &f->mi[k];
        char name[2 * EGDI_CFA_NAME_MAX + 8];
        egdi_cfa_param_name(&r->model, mi->op, mi->a, mi->b, name, sizeof name);
        cli_table_cell(t, name);
        cli_table_num(t, mi->mi, 3);
        cli_table_num(t, mi->epc, 3);
        cli_table_num(t, mi->sepc_all, 3);
        cli_table_end_row(t);
    }
    return survey_print_table(t, o, CMD, false);
}

/* ---- JSON ------------------------------------------------------------------------- */

static json_t *param_json(const egdi_cfa_model *m, egdi_cfa_op op, size_t a, size_t b)
{
    const char *l, *r;
    param_sides(m, op, a, b, &l, &r);
    return json_pack("{s:s, s:s, s:s}", "lhs", l, "op", egdi_cfa_op_text(op), "rhs", r);
}

static json_t *cfa_json(const survey_opts *o, const cfa_run *r)
{
    const egdi_cfa_result *f = &r->fit;
    json_t *root = json_object();
    if (!root)
        return NULL;
    json_object_set_new(root, "source", json_string(r->ds->source));
    json_object_set_new(root, "n", json_integer((json_int_t)f->n));
    json_object_set_new(root, "n_read", json_integer((json_int_t)r->n_read));
    json_object_set_new(root, "missing", json_string("listwise"));
    json_object_set_new(root, "estimator", json_string("ML"));
    json_object_set_new(root, "identification", json_string(f->std_lv ? "std.lv" : "marker"));
    json_object_set_new(root, "iterations", json_integer(f->iterations));
    json_t *fac = json_array();
    for (size_t g = 0; g < r->model.nfactors; g++) {
        json_t *items = json_array();
        for (size_t t = 0; t < r->model.factor[g].n; t++)
            json_array_append_new(items, json_string(r->model.item[r->model.factor[g].item[t]]));
        json_array_append_new(fac, json_pack("{s:s, s:o}", "name", r->model.factor[g].name,
                                             "items", items));
    }
    json_object_set_new(root, "factors", fac);
    json_t *fit = json_object(), *judge = json_object();
    egdi_cfa_fit_row rows[EGDI_CFA_FIT_ROWS];
    size_t nr = egdi_cfa_fit_rows(&f->fit, rows);
    for (size_t k = 0; k < nr; k++) {
        if (!isnan(rows[k].hi)) {
            json_object_set_new(fit, "rmsea_ci_lower", cli_json_num(rows[k].value));
            json_object_set_new(fit, "rmsea_ci_upper", cli_json_num(rows[k].hi));
            continue;
        }
        /* a row printed without decimals is a count (df, baseline df) */
        json_object_set_new(fit, rows[k].key, rows[k].decimals == 0 ? cli_json_count(rows[k].value)
                                                                    : cli_json_num(rows[k].value));
        if (rows[k].cutoff) {
            char cut[128];
            egdi_cfa_cutoff_text(rows[k].cutoff, false, cut, sizeof cut);
            const char *v = egdi_cfa_verdict_text(rows[k].verdict, false);
            json_object_set_new(judge, rows[k].key,
                                json_pack("{s:s, s:o}", "cutoff", cut, "verdict",
                                          *v ? json_string(v) : json_null()));
        }
    }
    json_object_set_new(fit, "unrestricted_logl", cli_json_num(f->fit.unrestricted_logl));
    json_object_set_new(fit, "baseline_pvalue", cli_json_num(f->fit.baseline_pvalue));
    json_object_set_new(fit, "npar", json_integer((json_int_t)f->fit.npar));
    json_object_set_new(fit, "fmin", cli_json_num(f->fit.fmin));
    json_object_set_new(root, "fit", fit);
    json_object_set_new(root, "judgement", judge);
    json_t *pars = json_array();
    for (size_t k = 0; k < f->nparams; k++) {
        const egdi_cfa_param *p = &f->param[k];
        json_t *j = param_json(&r->model, p->op, p->a, p->b);
        json_object_set_new(j, "free", json_boolean(p->free));
        json_object_set_new(j, "est", cli_json_num(p->est));
        json_object_set_new(j, "se", cli_json_num(p->se));
        json_object_set_new(j, "z", cli_json_num(p->z));
        json_object_set_new(j, "p", cli_json_num(p->p));
        json_object_set_new(j, "std_all", cli_json_num(p->std_all));
        json_array_append_new(pars, j);
    }
    json_object_set_new(root, "parameters", pars);
    json_t *mis = json_array();
    for (size_t k = 0; k < f->nmi; k++) {
        const egdi_cfa_mi *mi = &f->mi[k];
        json_t *j = param_json(&r->model, mi->op, mi->a, mi->b);
        json_object_set_new(j, "mi", cli_json_num(mi->mi));
        json_object_set_new(j, "epc", cli_json_num(mi->epc));
        json_object_set_new(j, "sepc_all", cli_json_num(mi->sepc_all));
        json_array_append_new(mis, j);
    }
    json_object_set_new(root, "modification_indices", f->mi_skipped ? json_null() : mis);
    if (f->mi_skipped)
        json_decref(mis);
    json_t *hw = json_array();
    for (size_t k = 0; k < f->nheywood; k++)
        json_array_append_new(hw, json_string(r->model.item[f->heywood[k]]));
    json_object_set_new(root, "heywood", hw);
    (void)o;
    return root;
}

/* ---- the command ------------------------------------------------------------------ */

typedef struct {
    cfa_args a;
    size_t top;
} cfa_cmd_args;

static int handle(int id, const char *arg, void *ud)
{
    cfa_cmd_args *c = ud;
    int h = cfa_option(id, arg, &c->a, CMD);
    if (h != 0)
        return h;
    if (id == OPT_MI) {
        long v;
        if (!cli_parse_long(arg, 0, 100000, &v))
            return cli_usage(CMD, "--mi wants a whole number from 0 to 100000, not '%s'", arg);
        c->top = (size_t)v;
        return 1;
    }
    return 0;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    cfa_cmd_args c;
    cfa_args_init(&c.a);
    c.top = MI_TOP;
    int rc = survey_getopt(argc, argv, &survey_cmd_cfa, CMD, &o, handle, &c);
    if (rc != CLI_OK)
        return rc;
    cfa_run r;
    rc = cfa_prepare(&o, &c.a, CMD, &r);
    if (rc == CLI_OK) {
        if (o.fmt == CLI_JSON)
            rc = survey_print_json(cfa_json(&o, &r), CMD);
        else if ((rc = fit_table(&o, &r)) == CLI_OK && (rc = loading_table(&o, &r)) == CLI_OK &&
                 (rc = cov_table(&o, &r)) == CLI_OK && (rc = var_table(&o, &r)) == CLI_OK)
            rc = mi_table(&o, &r, c.top);
    }
    cfa_run_release(&r);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_cfa = {
    .name = "cfa",
    .run = run,
    .summary = "confirmatory factor analysis (ML): fit indices with cut-offs, loadings, MI",
    .usage = "--data FILE|--survey NAME [--scales FILE | --model TEXT|FILE] [--std-lv] "
             "[OPTIONS]",
    .options = cfa_options,
    .common = survey_common_options,
    .notes = "Maximum likelihood as lavaan::cfa with its defaults: covariances of the complete "
             "rows with divisor N, chi-square = N F_ML, standard errors from the expected "
             "information; fit indices as lavaan::fitMeasures (srmr = Bentler's), modification "
             "indices as lavaan::modindices.\n"
             "Fisher scoring with analytic derivatives (GSL), converged when g'(2I)^-1 g < "
             "1e-20.\n"
             "Refused: a factor of one item, df < 0, a covariance matrix that is not positive "
             "definite, no convergence; a negative residual variance (Heywood case) is a "
             "warning naming the item.\n"
             "Missing answers: listwise (full-information ML is not implemented).\n"
             "JSON keys: docs/cfa-json.md.",
};
