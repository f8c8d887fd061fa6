/*
 * survey_profile.c - `egdi survey profile`: the sample profile (人口统计学
 * 特征), counts and percentages of each demographic column's categories,
 * valid and missing, in one table (surveys/profile.h).  The columns' texts
 * are kept by the dataset; --bins cuts numeric columns.  Everything parsed
 * or computed is freed before returning.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/profile.h"

#define CMD SURVEY_CMD("profile")

enum { OPT_COLUMNS, OPT_BINS };

/* The most --bins options. */
#define MAX_BINS 32

static const cli_option options[] = {
    {OPT_COLUMNS, "columns", 0, "LIST",
     "the demographic columns, e.g. 性别,年龄段,学历,部门 (text or coded; codes shown with "
     "their --value-labels)"},
    {OPT_BINS, "bins", 0, "COLUMN:C1,C2,...",
     "count a numeric column in bins cut at C1 < C2 < ...: < C1, [C1, C2), ..., >= Cm (R's "
     "cut(right = FALSE)); repeat for each column"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    const char *columns;
    const char *bins[MAX_BINS];
    size_t nbins;
} pr_args;

static int handle(int c, const char *arg, void *ud)
{
    pr_args *a = ud;
    switch (c) {
    case OPT_COLUMNS:
        a->columns = arg;
        return 1;
    case OPT_BINS:
        if (a->nbins == MAX_BINS)
            return cli_usage(CMD, "--bins given more than %d times", MAX_BINS);
        a->bins[a->nbins++] = arg;
        return 1;
    default:
        return 0;
    }
}

/* Parses "COLUMN:C1,C2" into b (column into colbuf, cuts into cuts). */
static bool parse_bins(const char *arg, char *colbuf, size_t size, double *cuts,
                       egdi_profile_bins *b)
{
    const char *c = strchr(arg, ':');
    if (!c || c == arg || (size_t)(c - arg) >= size)
        return false;
    memcpy(colbuf, arg, (size_t)(c - arg));
    colbuf[c - arg] = '\0';
    char **parts;
    size_t n;
    if (!survey_split_list(c + 1, &parts, &n))
        return false;
    bool ok = n <= EGDI_PROFILE_MAX_CUTS;
    for (size_t k = 0; k < n && ok; k++)
        ok = cli_parse_double(parts[k], &cuts[k]);
    free(parts);
    b->column = colbuf;
    b->ncuts = n;
    b->cut = cuts;
    return ok;
}

static int print_json(const survey_opts *o, const egdi_dataset *ds, const egdi_profile_var *v,
                      size_t p)
{
    (void)o;
    json_t *root = json_object();
    json_object_set_new(root, "source", json_string(ds->source));
    json_object_set_new(root, "n_read", json_integer((json_int_t)ds->nrows));
    json_t *vars = json_array();
    for (size_t j = 0; j < p; j++) {
        json_t *cats = json_array();
        for (size_t c = 0; c < v[j].k; c++)
            json_array_append_new(
                cats, json_pack("{s:s,s:I,s:o,s:o,s:o}", "category", v[j].label[c], "n",
                                (json_int_t)v[j].count[c], "percent",
                                cli_json_num(v[j].percent[c]), "valid_percent",
                                cli_json_num(v[j].valid_percent[c]), "cum_percent",
                                cli_json_num(v[j].cum_percent[c])));
        json_array_append_new(vars, json_pack("{s:s,s:b,s:I,s:I,s:o,s:o}", "variable",
                                              v[j].column, "binned", v[j].binned, "valid",
                                              (json_int_t)v[j].valid, "missing",
                                              (json_int_t)v[j].missing, "missing_percent",
                                              cli_json_num(v[j].total
                                                               ? 100.0 * (double)v[j].missing /
                                                                     (double)v[j].total
                                                               : NAN),
                                              "categories", cats));
    }
    json_object_set_new(root, "variables", vars);
    return survey_print_json(root, CMD);
}

static int print_table(const survey_opts *o, const egdi_dataset *ds, const egdi_profile_var *v,
                       size_t p)
{
    const char *h[] = {SURVEY_L(o, "变量", "variable"), SURVEY_L(o, "类别", "category"),
                       SURVEY_L(o, "频数", "n"), SURVEY_L(o, "百分比 (%)", "percent"),
                       SURVEY_L(o, "有效百分比 (%)", "valid percent"),
                       SURVEY_L(o, "累计百分比 (%)", "cumulative percent")};
    char title[256];
    snprintf(title, sizeof title, "%s (N = %zu)",
             SURVEY_L(o, "人口统计学特征", "Sample profile"), ds->nrows);
    cli_table *t = cli_table_new(title, 6, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 2; c < 6; c++)
        cli_table_right(t, c);
    for (size_t j = 0; j < p; j++) {
        for (size_t c = 0; c < v[j].k; c++) {
            cli_table_cell(t, c == 0 ? v[j].column : NULL);
            cli_table_cell(t, v[j].label[c]);
            cli_table_cellf(t, "%zu", v[j].count[c]);
            cli_table_num(t, v[j].percent[c], 1);
            cli_table_num(t, v[j].valid_percent[c], 1);
            cli_table_num(t, v[j].cum_percent[c], 1);
            cli_table_end_row(t);
        }
        if (v[j].missing) {
            cli_table_cell(t, v[j].k ? NULL : v[j].column);
            cli_table_cell(t, SURVEY_L(o, "缺失", "missing"));
            cli_table_cellf(t, "%zu", v[j].missing);
            cli_table_num(t, 100.0 * (double)v[j].missing / (double)v[j].total, 1);
            cli_table_end_row(t);
        }
    }
    return survey_print_table(t, o, CMD, true);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    pr_args a = {0};
    int rc = survey_getopt(argc, argv, &survey_cmd_profile, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    if (!a.columns)
        return cli_usage(CMD, "give --columns LIST (the demographic columns)");
    char **cols = NULL;
    size_t p = 0;
    if (!survey_split_list(a.columns, &cols, &p))
        return cli_usage(CMD, "--columns wants names separated by commas, not '%s'", a.columns);
    egdi_profile_bins bins[MAX_BINS];
    char bcol[MAX_BINS][256];
    double *cuts = malloc(MAX_BINS * EGDI_PROFILE_MAX_CUTS * sizeof *cuts);
    egdi_profile_var *v = calloc(p, sizeof *v);
    egdi_dataset *ds = NULL;
    if (!cuts || !v) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t b = 0; b < a.nbins; b++)
        if (!parse_bins(a.bins[b], bcol[b], sizeof bcol[b], cuts + b * EGDI_PROFILE_MAX_CUTS,
                        &bins[b])) {
            rc = cli_usage(CMD,
                           "--bins wants COLUMN:C1,C2,... with at most %d numbers, not '%s'",
                           EGDI_PROFILE_MAX_CUTS, a.bins[b]);
            goto done;
        }
    if ((rc = survey_open(&o, CMD, (const char *const *)cols, p, &ds)) != CLI_OK)
        goto done;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_profile_compute(ds, (const char *const *)cols, p, bins, a.nbins, v, &err) !=
        EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    rc = o.fmt == CLI_JSON ? print_json(&o, ds, v, p) : print_table(&o, ds, v, p);
    egdi_profile_release(v, p);
done:
    free(v);
    free(cuts);
    free(cols);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_profile = {
    .name = "profile",
    .run = run,
    .summary = "the sample profile: counts and percentages of the demographic columns",
    .usage = "--data FILE|--survey NAME --columns LIST [--bins COLUMN:C1,C2,...] [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "One table, as SPSS FREQUENCIES prints each column: the categories (text as "
             "written, codes in order with their --value-labels), their counts, percent of all "
             "rows read, valid percent (of the rows with an answer) and cumulative percent, "
             "and the missing rows.",
};
