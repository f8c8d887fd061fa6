/*
 * survey_crosstab.c - `egdi survey crosstab`: two categorical columns
 * (卡方检验): the table of counts with row or column percentages, the
 * expected counts, Pearson's chi-square, Cramér's V and, for 2 x 2,
 * Fisher's exact test (surveys/crosstab.h).  Everything is freed before
 * returning.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/crosstab.h"

#define CMD SURVEY_CMD("crosstab")

enum { OPT_ROW, OPT_COL, OPT_PERCENT, OPT_EXPECTED };

typedef enum { PCT_ROW = 0, PCT_COL, PCT_TOTAL } pct_kind;

static const cli_option options[] = {
    {OPT_ROW, "row", 0, "COLUMN", "the rows' column, e.g. 性别"},
    {OPT_COL, "col", 0, "COLUMN", "the columns' column, e.g. 学历"},
    {OPT_PERCENT, "percent", 0, "row|col|total",
     "the percentage beside each count (default row: of its row)"},
    {OPT_EXPECTED, "expected", 0, NULL, "also print the expected counts (< 5 marked *)"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    const char *row, *col;
    pct_kind pct;
    bool expected;
} xt_args;

static int handle(int c, const char *arg, void *ud)
{
    xt_args *a = ud;
    switch (c) {
    case OPT_ROW:
        a->row = arg;
        return 1;
    case OPT_COL:
        a->col = arg;
        return 1;
    case OPT_PERCENT:
        if (strcmp(arg, "row") == 0)
            a->pct = PCT_ROW;
        else if (strcmp(arg, "col") == 0)
            a->pct = PCT_COL;
        else if (strcmp(arg, "total") == 0)
            a->pct = PCT_TOTAL;
        else
            return cli_usage(CMD, "--percent wants row, col or total, not '%s'", arg);
        return 1;
    case OPT_EXPECTED:
        a->expected = true;
        return 1;
    default:
        return 0;
    }
}

static json_t *matrix_json(const egdi_crosstab *x, int what)
{
    json_t *m = json_array();
    for (size_t i = 0; i < x->r; i++) {
        json_t *row = json_array();
        for (size_t j = 0; j < x->c; j++) {
            double n = (double)x->count[i * x->c + j];
            switch (what) {
            case 0:
                json_array_append_new(row, json_integer((json_int_t)x->count[i * x->c + j]));
                break;
            case 1:
                json_array_append_new(row, cli_json_num(x->expected[i * x->c + j]));
                break;
            case 2:
                json_array_append_new(row, cli_json_num(100 * n / (double)x->row_total[i]));
                break;
            default:
                json_array_append_new(row, cli_json_num(100 * n / (double)x->col_total[j]));
                break;
            }
        }
        json_array_append_new(m, row);
    }
    return m;
}

static int print_json(const egdi_dataset *ds, const xt_args *a, const egdi_crosstab *x)
{
    json_t *root = json_object();
    json_object_set_new(root, "source", json_string(ds->source));
    json_object_set_new(root, "n_read", json_integer((json_int_t)x->n_read));
    json_object_set_new(root, "n", json_integer((json_int_t)x->n));
    json_object_set_new(root, "row", json_string(a->row));
    json_object_set_new(root, "col", json_string(a->col));
    json_t *rl = json_array(), *cl = json_array();
    for (size_t i = 0; i < x->r; i++)
        json_array_append_new(rl, json_string(x->row_label[i]));
    for (size_t j = 0; j < x->c; j++)
        json_array_append_new(cl, json_string(x->col_label[j]));
    json_object_set_new(root, "rows", rl);
    json_object_set_new(root, "cols", cl);
    json_object_set_new(root, "count", matrix_json(x, 0));
    json_object_set_new(root, "expected", matrix_json(x, 1));
    json_object_set_new(root, "row_percent", matrix_json(x, 2));
    json_object_set_new(root, "col_percent", matrix_json(x, 3));
    json_object_set_new(root, "chi2", cli_json_num(x->chi2));
    json_object_set_new(root, "df", cli_json_count(x->df));
    json_object_set_new(root, "p", cli_json_num(x->p));
    json_object_set_new(root, "cramer_v", cli_json_num(x->cramer_v));
    json_object_set_new(root, "n_expected_below_5", json_integer((json_int_t)x->n_low));
    json_object_set_new(root, "min_expected", cli_json_num(x->min_expected));
    if (x->have_fisher)
        json_object_set_new(root, "fisher_p", cli_json_num(x->fisher_p));
    return survey_print_json(root, CMD);
}

static int print_tables(const survey_opts *o, const xt_args *a, const egdi_crosstab *x)
{
    size_t nc = x->c + 2;
    const char **h = calloc(nc, sizeof *h);
    if (!h)
        return cli_fail(CMD, "out of memory");
    h[0] = a->row;
    for (size_t j = 0; j < x->c; j++)
        h[1 + j] = x->col_label[j];
    h[nc - 1] = SURVEY_L(o, "合计", "total");
    const char *pw = a->pct == PCT_ROW   ? SURVEY_L(o, "行百分比", "row %")
                     : a->pct == PCT_COL ? SURVEY_L(o, "列百分比", "column %")
                                         : SURVEY_L(o, "总百分比", "total %");
    char title[512];
    snprintf(title, sizeof title, "%s: %s × %s (%s (%s); N = %zu)",
             SURVEY_L(o, "交叉表", "Crosstab"), a->row, a->col,
             SURVEY_L(o, "计数", "count"), pw, x->n);
    cli_table *t = cli_table_new(title, nc, h);
    int rc = CLI_OK;
    if (!t) {
        free(h);
        return cli_fail(CMD, "out of memory");
    }
    for (size_t c = 1; c < nc; c++)
        cli_table_right(t, c);
    double n = (double)x->n;
    for (size_t i = 0; i <= x->r; i++) {
        cli_table_cell(t, i < x->r ? x->row_label[i] : SURVEY_L(o, "合计", "total"));
        for (size_t j = 0; j <= x->c; j++) {
            size_t cnt = i < x->r && j < x->c ? x->count[i * x->c + j]
                         : i < x->r           ? x->row_total[i]
                         : j < x->c           ? x->col_total[j]
                                              : x->n;
            double base = a->pct == PCT_ROW   ? (i < x->r ? (double)x->row_total[i] : n)
                          : a->pct == PCT_COL ? (j < x->c ? (double)x->col_total[j] : n)
                                              : n;
            cli_table_cellf(t, "%zu (%.1f%%)", cnt, 100 * (double)cnt / base);
        }
        cli_table_end_row(t);
    }
    rc = survey_print_table(t, o, CMD, true);
    if (rc == CLI_OK && a->expected) {
        snprintf(title, sizeof title, "%s: %s × %s (* < 5)",
                 SURVEY_L(o, "期望计数", "Expected counts"), a->row, a->col);
        t = cli_table_new(title, nc - 1, h);
        if (!t) {
            free(h);
            return cli_fail(CMD, "out of memory");
        }
        for (size_t c = 1; c < nc - 1; c++)
            cli_table_right(t, c);
        for (size_t i = 0; i < x->r; i++) {
            cli_table_cell(t, x->row_label[i]);
            for (size_t j = 0; j < x->c; j++) {
                double e = x->expected[i * x->c + j];
                cli_table_cellf(t, "%.2f%s", e, e < 5 ? "*" : "");
            }
            cli_table_end_row(t);
        }
        rc = survey_print_table(t, o, CMD, false);
    }
    free(h);
    if (rc != CLI_OK)
        return rc;
    const char *h2[] = {SURVEY_L(o, "检验", "test"), SURVEY_L(o, "值", "value"), "df",
                        SURVEY_L(o, "显著性 (双尾)", "p (two-sided)")};
    snprintf(title, sizeof title, "%s (%s %zu (%.1f%%), %s %.2f)",
             SURVEY_L(o, "卡方检验", "Chi-square tests"),
             SURVEY_L(o, "期望计数小于 5 的单元格:", "cells expected below 5:"), x->n_low,
             100.0 * (double)x->n_low / (double)(x->r * x->c),
             SURVEY_L(o, "最小期望计数", "minimum expected"), x->min_expected);
    t = cli_table_new(title, 4, h2);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 4; c++)
        cli_table_right(t, c);
    char pb[16];
    cli_table_cell(t, SURVEY_L(o, "Pearson 卡方", "Pearson chi-square"));
    cli_table_num(t, x->chi2, 3);
    cli_table_num(t, x->df, 0);
    cli_table_cell(t, survey_p_text(x->p, pb));
    cli_table_end_row(t);
    if (x->have_fisher) {
        cli_table_cell(t, SURVEY_L(o, "Fisher 精确检验", "Fisher's exact test"));
        cli_table_cell(t, NULL);
        cli_table_cell(t, NULL);
        cli_table_cell(t, survey_p_text(x->fisher_p, pb));
        cli_table_end_row(t);
    }
    cli_table_cell(t, "Cramér's V");
    cli_table_num(t, x->cramer_v, 3);
    cli_table_cell(t, NULL);
    cli_table_cell(t, survey_p_text(x->p, pb));
    cli_table_end_row(t);
    cli_table_cell(t, SURVEY_L(o, "有效个案数", "valid cases"));
    cli_table_cellf(t, "%zu", x->n);
    cli_table_end_row(t);
    return survey_print_table(t, o, CMD, false);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    xt_args a = {0};
    int rc = survey_getopt(argc, argv, &survey_cmd_crosstab, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    if (!a.row || !a.col)
        return cli_usage(CMD, "give --row COLUMN and --col COLUMN");
    const char *keep[2] = {a.row, a.col};
    egdi_dataset *ds = NULL;
    egdi_crosstab x = {0};
    size_t rcol, ccol;
    if ((rc = survey_open(&o, CMD, keep, 2, &ds)) != CLI_OK)
        return rc;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_find(ds, a.row, &rcol, &err) != EGDI_OK ||
        egdi_dataset_find(ds, a.col, &ccol, &err) != EGDI_OK ||
        egdi_crosstab_dataset(ds, rcol, ccol, &x, &err) != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    rc = o.fmt == CLI_JSON ? print_json(ds, &a, &x) : print_tables(&o, &a, &x);
done:
    egdi_crosstab_release(&x);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_crosstab = {
    .name = "crosstab",
    .run = run,
    .summary = "crosstab of two categorical columns: chi-square, Cramér's V, Fisher (2 x 2)",
    .usage = "--data FILE|--survey NAME --row COLUMN --col COLUMN [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "Pearson's chi-square without continuity correction (R chisq.test(correct = "
             "FALSE), SPSS's first row), Cramér's V = sqrt(chi2 / (n (min(r, c) - 1))), the "
             "cells with an expected count below 5, and Fisher's exact test for a 2 x 2 "
             "table (R fisher.test). Rows missing either column are left out.",
};
