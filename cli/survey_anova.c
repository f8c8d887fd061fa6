/*
 * survey_anova.c - `egdi survey anova`: one-way ANOVA of --y (a column or a
 * scale) by --group, with per-group descriptives and Levene's test
 * (surveys/anova.h); the groups are split by the dataset
 * (surveys/dataset.h).  Rows missing y or the group are left out.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/anova.h"

#define CMD SURVEY_CMD("anova")

enum { OPT_Y, OPT_GROUP };

static const cli_option options[] = {
    {OPT_Y, "y", 0, "COLUMN|SCALE",
     "the variable: a column, or a scale (of --scales or the stored survey)"},
    {OPT_GROUP, "group", 0, "COLUMN", "the groups"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    const char *y, *group;
} an_args;

static int handle(int c, const char *arg, void *ud)
{
    an_args *a = ud;
    if (c == OPT_Y)
        a->y = arg;
    else if (c == OPT_GROUP)
        a->group = arg;
    else
        return 0;
    return 1;
}

static int print_json(const an_args *a, const egdi_groups *g, const egdi_anova *r,
                      const egdi_group_stats *gs)
{
    json_t *root = json_object();
    json_object_set_new(root, "y", json_string(a->y));
    json_object_set_new(root, "group", json_string(a->group));
    json_object_set_new(root, "n", json_integer((json_int_t)r->n));
    json_object_set_new(root, "F", cli_json_num(r->F));
    json_object_set_new(root, "df1", cli_json_num(r->df1));
    json_object_set_new(root, "df2", cli_json_num(r->df2));
    json_object_set_new(root, "p", cli_json_num(r->p));
    json_object_set_new(root, "eta2", cli_json_num(r->eta2));
    json_object_set_new(root, "ss_between", cli_json_num(r->ss_between));
    json_object_set_new(root, "ss_within", cli_json_num(r->ss_within));
    json_object_set_new(root, "ss_total", cli_json_num(r->ss_total));
    json_object_set_new(root, "ms_between", cli_json_num(r->ms_between));
    json_object_set_new(root, "ms_within", cli_json_num(r->ms_within));
    json_object_set_new(root, "levene", survey_json_levene(&r->levene));
    json_t *groups = json_array();
    for (size_t k = 0; k < g->k; k++)
        json_array_append_new(groups, json_pack("{s:s,s:I,s:o,s:o}", "group", g->label[k], "n",
                                                (json_int_t)gs[k].n, "mean",
                                                cli_json_num(gs[k].mean), "sd",
                                                cli_json_num(gs[k].sd)));
    json_object_set_new(root, "groups", groups);
    return survey_print_json(root, CMD);
}

static int print_tables(const survey_opts *o, const an_args *a, const egdi_groups *g,
                        const egdi_anova *r, const egdi_group_stats *gs)
{
    const char *h[] = {SURVEY_L(o, "组别", "group"), "N", SURVEY_L(o, "均值", "mean"),
                       SURVEY_L(o, "标准差", "sd"), SURVEY_L(o, "标准误", "SE")};
    char title[512], lev[128];
    /* Levene's F is undefined when every absolute deviation within each
     * group is the same (e.g. two answers per group): say so, never "nan" */
    if (isfinite(r->levene.F) && isfinite(r->levene.p))
        snprintf(lev, sizeof lev, "Levene F(%g, %g) = %.3f, p = %.3f", r->levene.df1,
                 r->levene.df2, r->levene.F, r->levene.p);
    else
        snprintf(lev, sizeof lev, "%s", SURVEY_L(o, "Levene 检验无法计算（组内离差相同）",
                                                "Levene's test undefined (equal deviations "
                                                "within groups)"));
    snprintf(title, sizeof title, "%s: %s (%s; N = %zu; %s)",
             SURVEY_L(o, "描述统计", "Descriptives"), a->y, a->group, r->n, lev);
    cli_table *t = cli_table_new(title, 5, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 5; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < g->k; k++) {
        cli_table_cell(t, g->label[k]);
        cli_table_cellf(t, "%zu", gs[k].n);
        cli_table_num(t, gs[k].mean, 3);
        cli_table_num(t, gs[k].sd, 3);
        cli_table_num(t, gs[k].se, 3);
        cli_table_end_row(t);
    }
    int rc = survey_print_table(t, o, CMD, true);
    if (rc != CLI_OK)
        return rc;
    const char *h2[] = {"", SURVEY_L(o, "平方和", "sum of squares"), "df",
                        SURVEY_L(o, "均方", "mean square"), "F",
                        SURVEY_L(o, "显著性", "p"), "η²"};
    t = cli_table_new(SURVEY_L(o, "单因素方差分析 (ANOVA)", "One-way ANOVA"), 7, h2);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 7; c++)
        cli_table_right(t, c);
    cli_table_cell(t, SURVEY_L(o, "组间", "between groups"));
    cli_table_num(t, r->ss_between, 3);
    cli_table_num(t, r->df1, 0);
    cli_table_num(t, r->ms_between, 3);
    cli_table_num(t, r->F, 3);
    cli_table_num(t, r->p, 3);
    cli_table_num(t, r->eta2, 3);
    cli_table_end_row(t);
    cli_table_cell(t, SURVEY_L(o, "组内", "within groups"));
    cli_table_num(t, r->ss_within, 3);
    cli_table_num(t, r->df2, 0);
    cli_table_num(t, r->ms_within, 3);
    cli_table_end_row(t);
    cli_table_cell(t, SURVEY_L(o, "总计", "total"));
    cli_table_num(t, r->ss_total, 3);
    cli_table_num(t, r->df1 + r->df2, 0);
    cli_table_end_row(t);
    return survey_print_table(t, o, CMD, false);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    an_args a = {0};
    int rc = survey_getopt(argc, argv, &survey_cmd_anova, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    if (!a.y || !a.group)
        return cli_usage(CMD, "give --y COLUMN|SCALE and --group COLUMN");
    const char *keep[1] = {a.group};
    egdi_dataset *ds = NULL;
    egdi_groups g = {0};
    double *y = NULL;
    egdi_group_stats *gs = NULL;
    size_t gc;
    egdi_error err;
    egdi_error_clear(&err);
    if ((rc = survey_open(&o, CMD, keep, 1, &ds)) != CLI_OK)
        return rc;
    if (egdi_dataset_variable(ds, a.y, &y, &err) != EGDI_OK ||
        egdi_dataset_find(ds, a.group, &gc, &err) != EGDI_OK ||
        egdi_dataset_groups(ds, gc, y, NULL, 0, &g, &err) != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    gs = calloc(g.k ? g.k : 1, sizeof *gs);
    if (!gs) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    egdi_anova r;
    if (egdi_anova_oneway((const double *const *)g.x, g.n, g.k, (const char *const *)g.label,
                          &r, gs, &err) != EGDI_OK) {
        rc = cli_fail(CMD, "%s by %s: %s", a.y, a.group, err.message);
        goto done;
    }
    rc = o.fmt == CLI_JSON ? print_json(&a, &g, &r, gs) : print_tables(&o, &a, &g, &r, gs);
done:
    free(gs);
    free(y);
    egdi_dataset_groups_release(&g);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_anova = {
    .name = "anova",
    .run = run,
    .summary = "one-way ANOVA with Levene's test",
    .usage = "--data FILE|--survey NAME --y Y --group G [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "F, df, p, eta squared, group descriptives, Levene (mean-centred).",
};
