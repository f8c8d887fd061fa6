/*
 * survey_corr.c - `egdi survey corr`: the correlation matrix (相关性分析)
 * of items or scale scores, Pearson or Spearman, in the thesis layout:
 * means and SDs in the first columns, r with significance stars in the
 * lower triangle (surveys/corr.h).  The variables come from the dataset
 * (egdi_dataset_variables); with --diag sqrt-ave the diagonal holds each
 * scale's sqrt(AVE) from surveys/validity.c (the Fornell-Larcker layout).
 * Everything is freed before returning.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/corr.h"
#include "surveys/validity.h"

#define CMD SURVEY_CMD("corr")

enum { OPT_VARS, OPT_METHOD, OPT_SHOW_P, OPT_DIAG };

static const cli_option options[] = {
    {OPT_VARS, "vars", 0, "LIST",
     "the variables: columns and scales (of --scales or the stored survey, scored by "
     "--score), e.g. 有用性,易用性,满意度; default: every scale, else the items"},
    {OPT_METHOD, "method", 0, "pearson|spearman",
     "Pearson (default) or Spearman (ranks, ties averaged); p as R's cor.test (Spearman with "
     "its t approximation, exact = FALSE)"},
    {OPT_SHOW_P, "show-p", 0, NULL, "also print the p-values (two-sided) as a table"},
    {OPT_DIAG, "diag", 0, "1|sqrt-ave",
     "the diagonal: 1 (default), or sqrt-ave: each scale's square root of its AVE from one "
     "CFA of all the scales, as 'egdi survey validity' computes it (the Fornell-Larcker "
     "layout; every variable must then be a scale)"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    const char *vars;
    egdi_corr_method method;
    bool show_p;
    bool sqrt_ave;       /* --diag sqrt-ave */
    double *diag;        /* p sqrt(AVE) values for the diagonal, or NULL */
} co_args;

static int handle(int c, const char *arg, void *ud)
{
    co_args *a = ud;
    switch (c) {
    case OPT_VARS:
        a->vars = arg;
        return 1;
    case OPT_METHOD:
        if (strcmp(arg, "pearson") == 0)
            a->method = EGDI_CORR_PEARSON;
        else if (strcmp(arg, "spearman") == 0)
            a->method = EGDI_CORR_SPEARMAN;
        else
            return cli_usage(CMD, "--method wants pearson or spearman, not '%s'", arg);
        return 1;
    case OPT_SHOW_P:
        a->show_p = true;
        return 1;
    case OPT_DIAG:
        if (strcmp(arg, "sqrt-ave") == 0)
            a->sqrt_ave = true;
        else if (strcmp(arg, "1") == 0)
            a->sqrt_ave = false;
        else
            return cli_usage(CMD, "--diag wants 1 or sqrt-ave, not '%s'", arg);
        return 1;
    default:
        return 0;
    }
}

static const char *method_name(const survey_opts *o, egdi_corr_method m)
{
    return m == EGDI_CORR_PEARSON ? "Pearson" : SURVEY_L(o, "Spearman 等级", "Spearman");
}

static int print_json(const co_args *a, const egdi_dataset *ds, const egdi_item_matrix *m,
                      const egdi_corr *c, const survey_opts *o)
{
    size_t p = c->p;
    json_t *root = json_object();
    json_object_set_new(root, "source", json_string(ds->source));
    json_object_set_new(root, "n_read", json_integer((json_int_t)ds->nrows));
    json_object_set_new(root, "method",
                        json_string(a->method == EGDI_CORR_PEARSON ? "pearson" : "spearman"));
    json_object_set_new(root, "missing", json_string(o->pairwise ? "pairwise" : "listwise"));
    json_object_set_new(root, "n", json_integer((json_int_t)c->n));
    json_t *vars = json_array(), *r = json_array(), *pv = json_array(), *np = json_array();
    for (size_t j = 0; j < p; j++) {
        json_array_append_new(vars, json_pack("{s:s,s:o,s:o}", "name", m->names[j], "mean",
                                              cli_json_num(c->mean[j]), "sd",
                                              cli_json_num(c->sd[j])));
        json_t *rr = json_array(), *pp = json_array(), *nn = json_array();
        for (size_t k = 0; k < p; k++) {
            json_array_append_new(rr, cli_json_num(c->r[j * p + k]));
            json_array_append_new(pp, cli_json_num(c->p_value[j * p + k]));
            json_array_append_new(nn, json_integer((json_int_t)c->npair[j * p + k]));
        }
        json_array_append_new(r, rr);
        json_array_append_new(pv, pp);
        json_array_append_new(np, nn);
    }
    json_object_set_new(root, "variables", vars);
    json_object_set_new(root, "diag", json_string(a->diag ? "sqrt_ave" : "1"));
    if (a->diag) {
        json_t *d = json_array();
        for (size_t j = 0; j < p; j++)
            json_array_append_new(d, cli_json_num(a->diag[j]));
        json_object_set_new(root, "sqrt_ave", d);
    }
    json_object_set_new(root, "r", r);
    json_object_set_new(root, "p", pv);
    json_object_set_new(root, "n_pairs", np);
    return survey_print_json(root, CMD);
}

static int print_tables(const co_args *a, const egdi_item_matrix *m, const egdi_corr *c,
                        const survey_opts *o)
{
    size_t p = c->p, nc = 3 + p;
    const char **h = calloc(nc, sizeof *h);
    char (*num)[24] = calloc(p, sizeof *num);
    if (!h || !num) {
        free(h);
        free(num);
        return cli_fail(CMD, "out of memory");
    }
    h[0] = SURVEY_L(o, "变量", "variable");
    h[1] = SURVEY_L(o, "均值", "mean");
    h[2] = SURVEY_L(o, "标准差", "sd");
    for (size_t j = 0; j < p; j++) {
        snprintf(num[j], sizeof num[j], "%zu", j + 1);
        h[3 + j] = num[j];
    }
    char nbuf[64], title[512];
    if (o->pairwise) {
        size_t hi = 0;
        for (size_t k = 0; k < p * p; k++)
            if (c->npair[k] > hi && k / p != k % p)
                hi = c->npair[k];
        snprintf(nbuf, sizeof nbuf, "N = %zu-%zu", c->n, hi);
    } else {
        snprintf(nbuf, sizeof nbuf, "N = %zu", c->n);
    }
    snprintf(title, sizeof title, "%s (%s; %s; %s; %s%s)",
             SURVEY_L(o, "相关性分析", "Correlations"), method_name(o, a->method), nbuf,
             survey_missing_note(o),
             SURVEY_L(o, "* p < .05, ** p < .01, *** p < .001, 双尾",
                      "* p < .05, ** p < .01, *** p < .001, two-tailed"),
             a->diag ? SURVEY_L(o, "; 对角线为 √AVE", "; diagonal: √AVE") : "");
    cli_table *t = cli_table_new(title, nc, h);
    int rc = CLI_OK;
    if (!t) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t k = 1; k < nc; k++)
        cli_table_right(t, k);
    for (size_t j = 0; j < p; j++) {
        cli_table_cellf(t, "%zu %s", j + 1, m->names[j]);
        cli_table_num(t, c->mean[j], 3);
        cli_table_num(t, c->sd[j], 3);
        for (size_t k = 0; k <= j; k++) {
            if (k == j && a->diag)
                cli_table_num(t, a->diag[j], 3);
            else if (k == j)
                cli_table_cell(t, "1");
            else
                cli_table_cellf(t, "%.3f%s", c->r[j * p + k], survey_stars(c->p_value[j * p + k]));
        }
        cli_table_end_row(t);
    }
    rc = survey_print_table(t, o, CMD, true);
    if (rc != CLI_OK || !a->show_p)
        goto done;
    snprintf(title, sizeof title, "%s (%s)", SURVEY_L(o, "显著性 (双尾)", "p (two-tailed)"),
             method_name(o, a->method));
    h[2] = h[0]; /* the p table's headings: h[2] (the variable), h[3 ..] */
    t = cli_table_new(title, 1 + p, h + 2);
    if (!t) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t k = 1; k < 1 + p; k++)
        cli_table_right(t, k);
    for (size_t j = 0; j < p; j++) {
        cli_table_cellf(t, "%zu %s", j + 1, m->names[j]);
        for (size_t k = 0; k < j; k++) {
            char pb[16];
            cli_table_cell(t, survey_p_text(c->p_value[j * p + k], pb));
        }
        cli_table_end_row(t);
    }
    rc = survey_print_table(t, o, CMD, false);
done:
    free(h);
    free(num);
    return rc;
}

/* a->diag[j] = sqrt(AVE) of the scale named names[j] (egdi_validity_sqrt_ave). */
static int sqrt_ave_diag(co_args *a, const egdi_dataset *ds, const char *const *names, size_t p)
{
    size_t *which = malloc((p ? p : 1) * sizeof *which);
    double *all = malloc((ds->nscales ? ds->nscales : 1) * sizeof *all);
    a->diag = malloc((p ? p : 1) * sizeof *a->diag);
    int rc = CLI_OK;
    if (!which || !all || !a->diag) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < p; j++) {
        size_t k = 0;
        while (k < ds->nscales && strcmp(ds->scale[k].name, names[j]) != 0)
            k++;
        if (k == ds->nscales) {
            rc = cli_usage(CMD, "--diag sqrt-ave needs scales: %s is not one (give --scales, "
                                "or a survey stored with its dimensions)", names[j]);
            goto done;
        }
        which[j] = k;
    }
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_validity_sqrt_ave(ds, all, &err) != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    for (size_t j = 0; j < p; j++)
        a->diag[j] = all[which[j]];
done:
    free(which);
    free(all);
    return rc;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    co_args a = {0};
    int rc = survey_getopt(argc, argv, &survey_cmd_corr, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    char **vars = NULL;
    size_t p = 0;
    if (a.vars && !survey_split_list(a.vars, &vars, &p))
        return cli_usage(CMD, "--vars wants names separated by commas, not '%s'", a.vars);
    egdi_dataset *ds = NULL;
    egdi_item_matrix m = {0};
    egdi_corr c = {0};
    const char **names = NULL;
    if ((rc = survey_open(&o, CMD, NULL, 0, &ds)) != CLI_OK)
        goto done;
    if (!vars) { /* every scale, else the items */
        p = ds->nscales ? ds->nscales : ds->nitems;
        names = malloc((p ? p : 1) * sizeof *names);
        if (!names) {
            rc = cli_fail(CMD, "out of memory");
            goto done;
        }
        for (size_t j = 0; j < p; j++)
            names[j] = ds->nscales ? ds->scale[j].name : ds->col[ds->item[j]].name;
    }
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_variables(ds, vars ? (const char *const *)vars : names, p,
                               survey_deletion(&o), &m, &err) != EGDI_OK ||
        egdi_corr_compute(m.x, m.n, m.p, a.method, o.pairwise, m.names, &c, &err) != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    if (a.sqrt_ave && (rc = sqrt_ave_diag(&a, ds, vars ? (const char *const *)vars : names, p)) !=
                          CLI_OK)
        goto done;
    rc = o.fmt == CLI_JSON ? print_json(&a, ds, &m, &c, &o) : print_tables(&a, &m, &c, &o);
done:
    free(a.diag);
    egdi_corr_release(&c);
    egdi_dataset_matrix_release(&m);
    free(names);
    free(vars);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_corr = {
    .name = "corr",
    .run = run,
    .summary = "correlation matrix of items or scales with means, SDs and significance stars",
    .usage = "--data FILE|--survey NAME [--vars LIST] [--method pearson|spearman] [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "The thesis layout: mean and SD first, then r in the lower triangle with * p < "
             ".05, ** p < .01, *** p < .001 (two-tailed, t on n - 2 df as R's cor.test). "
             "Listwise (default: the rows with every variable) or --missing pairwise (each r "
             "on its pair's rows; means and SDs over each variable's own values). JSON has "
             "every r, p and n.",
};
