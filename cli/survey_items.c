/*
 * survey_items.c - `egdi survey items`: item analysis by critical ratio
 * (surveys/itemanalysis.h) on the complete rows of the chosen items (the
 * listwise item matrix of surveys/dataset.h), with the verdict per item and
 * the SPSS-style independent-samples t-test table (both rows per item).
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/itemanalysis.h"

#define CMD SURVEY_CMD("items")

enum { OPT_TAIL, OPT_MIN_CR, OPT_MIN_R };

static const cli_option options[] = {
    {OPT_TAIL, "tail", 0, "SHARE", "share of respondents per group (default 0.27)"},
    {OPT_MIN_CR, "min-cr", 0, "CR", "keep an item with CR >= this (default 3)"},
    {OPT_MIN_R, "min-r", 0, "R", "... and corrected item-total r >= this (default 0.4)"},
    {0, NULL, 0, NULL, NULL},
};

static int handle(int c, const char *arg, void *ud)
{
    egdi_cr_opts *o = ud;
    double v;
    switch (c) {
    case OPT_TAIL:
        if (!cli_parse_double(arg, &v) || !(v > 0 && v <= 0.5))
            return cli_usage(CMD, "--tail wants a share in (0, 0.5], e.g. 0.27, not '%s'", arg);
        o->tail = v;
        return 1;
    case OPT_MIN_CR:
        if (!cli_parse_double(arg, &v))
            return cli_usage(CMD, "--min-cr wants a number, not '%s'", arg);
        o->min_cr = v;
        return 1;
    case OPT_MIN_R:
        if (!cli_parse_double(arg, &v) || v < -1 || v > 1)
            return cli_usage(CMD, "--min-r wants a correlation in [-1, 1], not '%s'", arg);
        o->min_r = v;
        return 1;
    default:
        return 0;
    }
}

static json_t *group_json(size_t n, double mean, double sd)
{
    return json_pack("{s:I,s:o,s:o}", "n", (json_int_t)n, "mean", cli_json_num(mean), "sd",
                     cli_json_num(sd));
}

static int print_json(const egdi_item_matrix *m, const char *source, const egdi_cr *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "source", json_string(source));
    json_object_set_new(root, "n", json_integer((json_int_t)r->n));
    json_object_set_new(root, "n_read", json_integer((json_int_t)m->n_read));
    json_object_set_new(root, "tail", cli_json_num(r->opts.tail));
    json_object_set_new(root, "cut_low", cli_json_num(r->cut_low));
    json_object_set_new(root, "cut_high", cli_json_num(r->cut_high));
    json_object_set_new(root, "n_low", json_integer((json_int_t)r->n_low));
    json_object_set_new(root, "n_high", json_integer((json_int_t)r->n_high));
    json_object_set_new(root, "min_cr", cli_json_num(r->opts.min_cr));
    json_object_set_new(root, "min_r", cli_json_num(r->opts.min_r));
    json_object_set_new(root, "alpha", cli_json_num(r->alpha));
    json_t *items = json_array();
    for (size_t j = 0; j < r->p; j++) {
        const egdi_cr_item *it = &r->items[j];
        const egdi_trow *row = it->welch ? &it->t.welch : &it->t.student;
        json_t *o = json_object();
        json_object_set_new(o, "item", json_string(m->names[j]));
        json_object_set_new(o, "reversed", json_boolean(m->reversed[j]));
        json_object_set_new(o, "high", group_json(it->t.n1, it->t.mean1, it->t.sd1));
        json_object_set_new(o, "low", group_json(it->t.n2, it->t.mean2, it->t.sd2));
        json_object_set_new(o, "levene", survey_json_levene(&it->t.levene));
        json_object_set_new(o, "student", survey_json_trow(&it->t.student));
        json_object_set_new(o, "welch", survey_json_trow(&it->t.welch));
        json_object_set_new(o, "cr", cli_json_num(it->cr));
        json_object_set_new(o, "cr_row", json_string(it->welch ? "welch" : "student"));
        json_object_set_new(o, "df", cli_json_count(it->cr_df));
        json_object_set_new(o, "p", cli_json_num(it->cr_p));
        json_object_set_new(o, "mean_diff", cli_json_num(it->t.diff));
        json_object_set_new(o, "ci", json_pack("[oo]", cli_json_num(row->ci_lo),
                                               cli_json_num(row->ci_hi)));
        json_object_set_new(o, "r_total", cli_json_num(it->r_total));
        json_object_set_new(o, "r_corrected", cli_json_num(it->r_corrected));
        json_object_set_new(o, "alpha_if_deleted", cli_json_num(it->alpha_if_deleted));
        json_object_set_new(o, "keep", json_boolean(it->keep));
        json_array_append_new(items, o);
    }
    json_object_set_new(root, "items", items);
    return survey_print_json(root, CMD);
}

static int print_tables(const survey_opts *o, const egdi_item_matrix *m, const char *source,
                        const egdi_cr *r)
{
    const char *h[] = {SURVEY_L(o, "题项", "item"),
                       SURVEY_L(o, "高分组均值", "high mean"),
                       SURVEY_L(o, "高分组标准差", "high sd"),
                       SURVEY_L(o, "低分组均值", "low mean"),
                       SURVEY_L(o, "低分组标准差", "low sd"),
                       SURVEY_L(o, "Levene F", "Levene F"),
                       SURVEY_L(o, "Levene p", "Levene p"),
                       SURVEY_L(o, "决断值 CR", "CR (t)"),
                       "df",
                       "p",
                       SURVEY_L(o, "均值差", "mean diff"),
                       SURVEY_L(o, "95% CI 下限", "95% CI low"),
                       SURVEY_L(o, "95% CI 上限", "95% CI high"),
                       SURVEY_L(o, "题总相关", "item-total r"),
                       SURVEY_L(o, "校正题总相关", "corrected r"),
                       SURVEY_L(o, "删除后α", "alpha if deleted"),
                       SURVEY_L(o, "结论", "verdict")};
    char title[512];
    int w = snprintf(title, sizeof title,
                     SURVEY_L(o,
                              "项目分析 (%s; N = %zu / %zu; 低分组: 总分 ≤ %g, n = %zu; "
                              "高分组: 总分 ≥ %g, n = %zu; 标准: CR ≥ %g 且 p < .05, "
                              "校正题总相关 ≥ %g; α = %.3f)",
                              "Item analysis (%s; N = %zu of %zu; low group: total <= %g, "
                              "n = %zu; high group: total >= %g, n = %zu; keep: CR >= %g and "
                              "p < .05, corrected r >= %g; alpha = %.3f)"),
                     source, r->n, m->n_read, r->cut_low, r->n_low, r->cut_high, r->n_high,
                     r->opts.min_cr, r->opts.min_r, r->alpha);
    if (w < 0 || (size_t)w >= sizeof title)
        snprintf(title, sizeof title, "%s", SURVEY_L(o, "项目分析", "Item analysis"));
    cli_table *t = cli_table_new(title, 17, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 16; c++)
        cli_table_right(t, c);
    for (size_t j = 0; j < r->p; j++) {
        const egdi_cr_item *it = &r->items[j];
        const egdi_trow *row = it->welch ? &it->t.welch : &it->t.student;
        cli_table_cellf(t, "%s%s", m->names[j], m->reversed[j] ? " (R)" : "");
        cli_table_num(t, it->t.mean1, 3);
        cli_table_num(t, it->t.sd1, 3);
        cli_table_num(t, it->t.mean2, 3);
        cli_table_num(t, it->t.sd2, 3);
        cli_table_num(t, it->t.levene.F, 3);
        cli_table_num(t, it->t.levene.p, 3);
        cli_table_num(t, it->cr, 3);
        cli_table_num(t, it->cr_df, it->welch ? 3 : 0);
        cli_table_num(t, it->cr_p, 3);
        cli_table_num(t, it->t.diff, 3);
        cli_table_num(t, row->ci_lo, 3);
        cli_table_num(t, row->ci_hi, 3);
        cli_table_num(t, it->r_total, 3);
        cli_table_num(t, it->r_corrected, 3);
        cli_table_num(t, it->alpha_if_deleted, 3);
        cli_table_cell(t, it->keep ? SURVEY_L(o, "保留", "keep") : SURVEY_L(o, "删除", "drop"));
        cli_table_end_row(t);
    }
    int rc = survey_print_table(t, o, CMD, true);
    if (rc != CLI_OK)
        return rc;
    const char *h2[] = {SURVEY_L(o, "题项", "item"),
                        SURVEY_L(o, "方差假设", "variances"),
                        "Levene F",
                        SURVEY_L(o, "Levene 显著性", "Levene p"),
                        "t",
                        "df",
                        SURVEY_L(o, "显著性 (双尾)", "p (2-tailed)"),
                        SURVEY_L(o, "均值差", "mean diff"),
                        SURVEY_L(o, "标准误差值", "SE diff"),
                        SURVEY_L(o, "95% CI 下限", "95% CI low"),
                        SURVEY_L(o, "95% CI 上限", "95% CI high")};
    t = cli_table_new(SURVEY_L(o, "独立样本 T 检验 (高分组 - 低分组)",
                               "Independent samples t-test (high - low group)"),
                      11, h2);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 2; c < 11; c++)
        cli_table_right(t, c);
    for (size_t j = 0; j < r->p; j++) {
        const egdi_cr_item *it = &r->items[j];
        for (int k = 0; k < 2; k++) {
            const egdi_trow *row = k == 0 ? &it->t.student : &it->t.welch;
            cli_table_cell(t, k == 0 ? m->names[j] : "");
            cli_table_cell(t, k == 0 ? SURVEY_L(o, "假定等方差", "equal assumed")
                                     : SURVEY_L(o, "不假定等方差", "not assumed"));
            if (k == 0) {
                cli_table_num(t, it->t.levene.F, 3);
                cli_table_num(t, it->t.levene.p, 3);
            } else {
                cli_table_cell(t, NULL);
                cli_table_cell(t, NULL);
            }
            cli_table_num(t, row->t, 3);
            cli_table_num(t, row->df, k == 0 ? 0 : 3);
            cli_table_num(t, row->p, 3);
            cli_table_num(t, it->t.diff, 3);
            cli_table_num(t, row->se, 3);
            cli_table_num(t, row->ci_lo, 3);
            cli_table_num(t, row->ci_hi, 3);
            cli_table_end_row(t);
        }
    }
    return survey_print_table(t, o, CMD, false);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    egdi_cr_opts co;
    egdi_cr_opts_init(&co);
    int rc = survey_getopt(argc, argv, &survey_cmd_items, CMD, &o, handle, &co);
    if (rc != CLI_OK)
        return rc;
    if (o.pairwise)
        return cli_usage(CMD, "item analysis needs every answer of a respondent for the "
                              "total score: --missing pairwise is not available");
    egdi_dataset *ds = NULL;
    if ((rc = survey_open(&o, CMD, NULL, 0, &ds)) != CLI_OK)
        return rc;
    egdi_item_matrix m;
    egdi_cr r;
    memset(&r, 0, sizeof r);
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_matrix_small(ds, ds->item, ds->nitems, EGDI_LISTWISE, &m, &err) !=
            EGDI_OK ||
        egdi_cr_compute_matrix(&m, NULL, &co, &r, &err) != EGDI_OK)
        rc = survey_error(CMD, &err);
    else
        rc = o.fmt == CLI_JSON ? print_json(&m, ds->source, &r)
                               : print_tables(&o, &m, ds->source, &r);
    egdi_cr_release(&r);
    egdi_dataset_matrix_release(&m);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_items = {
    .name = "items",
    .run = run,
    .summary = "item analysis by critical ratio (决断值)",
    .usage = "--data FILE|--survey NAME [--tail SHARE] [--min-cr CR] [--min-r R] [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "High/low groups, Levene, pooled and Welch t, CR, item-total r, alpha if deleted, "
             "keep/drop. Cuts are SPSS percentiles (HAVERAGE = R quantile type 6); respondents "
             "at a cut belong to the group; Levene is mean-centred (SPSS); the CR is the Welch t "
             "when Levene's p < .05, else the pooled t; keep = CR >= min-cr, p < .05 and "
             "corrected item-total r >= min-r. Complete answers only (listwise).",
};
