/*
 * survey_anova.c - `egdi survey anova`: one-way ANOVA of --y (a column or a
 * scale) by --group, with per-group descriptives and Levene's test
 * (surveys/anova.h), Welch's ANOVA, and post-hoc comparisons
 * (surveys/posthoc.h); the groups are split by the dataset
 * (surveys/dataset.h).  Rows missing y or the group are left out.  Several
 * --y (repeated or listed) are analysed in turn from one read of the data,
 * the groups found once; their JSON is {group, results: [...]}, one object
 * per variable as one --y gives it (as ttest's several --y).
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/anova.h"
#include "surveys/posthoc.h"

#define CMD SURVEY_CMD("anova")

enum { OPT_Y, OPT_GROUP, OPT_POSTHOC, OPT_CONF };

static const cli_option options[] = {
    {OPT_Y, "y", 0, "COLUMN|SCALE",
     "the variable: a column, or a scale (of --scales or the stored survey); several: repeat "
     "--y or list them (Q1,Q2), each analysed in turn from one read of the data"},
    {OPT_GROUP, "group", 0, "COLUMN", "the groups"},
    {OPT_POSTHOC, "posthoc", 0, "LIST",
     "post-hoc comparisons of every pair of groups: lsd, bonferroni, tukey, scheffe, "
     "games-howell (comma list); Levene's test says which fits (equal variances: LSD, Tukey, "
     "Scheffé; unequal: Games-Howell)"},
    {OPT_CONF, "conf", 0, "LEVEL", "confidence level of the post-hoc CIs (default 0.95)"},
    {0, NULL, 0, NULL, NULL},
};

#define MAX_Y 16

typedef struct {
    const char *y, *group;            /* y: the variable being printed */
    const char *y_arg[MAX_Y];         /* each --y as given (a list) */
    size_t ny_arg;
    bool want[EGDI_POSTHOC_COUNT];
    bool any_posthoc;
    double conf;
} an_args;

/* Parses the --posthoc list into a->want. */
static int parse_posthoc(an_args *a, const char *arg)
{
    char **names;
    size_t n;
    if (!survey_split_list(arg, &names, &n))
        return cli_usage(CMD, "--posthoc wants methods separated by commas, not '%s'", arg);
    for (size_t k = 0; k < n; k++) {
        egdi_posthoc_method m;
        if (!egdi_posthoc_from_name(names[k], strlen(names[k]), &m)) {
            int rc = cli_usage(CMD,
                               "unknown post-hoc method '%s' (use lsd, bonferroni, tukey, "
                               "scheffe or games-howell)",
                               names[k]);
            free(names);
            return rc;
        }
        a->want[m] = true;
        a->any_posthoc = true;
    }
    free(names);
    return 1;
}

static int handle(int c, const char *arg, void *ud)
{
    an_args *a = ud;
    switch (c) {
    case OPT_Y:
        if (a->ny_arg == MAX_Y)
            return cli_usage(CMD, "--y given more than %d times", MAX_Y);
        a->y_arg[a->ny_arg++] = arg;
        return 1;
    case OPT_GROUP:
        a->group = arg;
        return 1;
    case OPT_POSTHOC:
        return parse_posthoc(a, arg);
    case OPT_CONF:
        if (!cli_parse_double(arg, &a->conf) || !(a->conf > 0 && a->conf < 1))
            return cli_usage(CMD, "--conf wants a level in (0, 1), e.g. 0.95, not '%s'", arg);
        return 1;
    default:
        return 0;
    }
}

/* Welch's ANOVA and the post-hoc comparisons asked for (computed before
 * printing, in both formats). */
typedef struct {
    egdi_welch welch;
    bool have_welch;
    char welch_why[EGDI_ERR_MSG_MAX];
    egdi_posthoc ph[EGDI_POSTHOC_COUNT];
    bool have[EGDI_POSTHOC_COUNT];
} an_more;

static json_t *json_posthoc(const egdi_posthoc *p, const egdi_groups *g, double levene_p)
{
    json_t *j = json_object(), *pairs = json_array();
    json_object_set_new(j, "method", json_string(egdi_posthoc_name(p->method)));
    json_object_set_new(j, "equal_variances", json_boolean(egdi_posthoc_equal_var(p->method)));
    /* the family Levene's test points to: equal variances unless p < .05 */
    json_object_set_new(j, "fits",
                        json_boolean(egdi_posthoc_equal_var(p->method) == !(levene_p < 0.05)));
    json_object_set_new(j, "conf", cli_json_num(p->conf));
    for (size_t t = 0; t < p->npairs; t++) {
        const egdi_posthoc_pair *q = &p->pair[t];
        json_array_append_new(
            pairs, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:[oo]}", "group_i", g->label[q->i],
                             "group_j", g->label[q->j], "mean_diff", cli_json_num(q->diff), "se",
                             cli_json_num(q->se), "statistic", cli_json_num(q->stat), "df",
                             cli_json_count(q->df), "p", cli_json_num(q->p), "ci",
                             cli_json_num(q->ci_lo), cli_json_num(q->ci_hi)));
    }
    json_object_set_new(j, "pairs", pairs);
    return j;
}

static json_t *build_json(const an_args *a, const egdi_groups *g, const egdi_anova *r,
                          const egdi_group_stats *gs, const an_more *more)
{
    json_t *root = json_object();
    json_object_set_new(root, "y", json_string(a->y));
    json_object_set_new(root, "group", json_string(a->group));
    json_object_set_new(root, "n", json_integer((json_int_t)r->n));
    json_object_set_new(root, "F", cli_json_num(r->F));
    json_object_set_new(root, "df1", cli_json_count(r->df1));
    json_object_set_new(root, "df2", cli_json_count(r->df2));
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
    if (more->have_welch)
        json_object_set_new(root, "welch",
                            json_pack("{s:o,s:o,s:o,s:o}", "F", cli_json_num(more->welch.F),
                                      "df1", cli_json_count(more->welch.df1), "df2",
                                      cli_json_count(more->welch.df2), "p",
                                      cli_json_num(more->welch.p)));
    else
        json_object_set_new(root, "welch", json_null());
    json_object_set_new(root, "posthoc_fits",
                        json_string(egdi_posthoc_fits(r->levene.p) == EGDI_POSTHOC_GAMES_HOWELL
                                        ? "games-howell"
                                        : "lsd,tukey,scheffe"));
    if (a->any_posthoc) {
        json_t *ph = json_array();
        for (int m = 0; m < EGDI_POSTHOC_COUNT; m++)
            if (more->have[m])
                json_array_append_new(ph, json_posthoc(&more->ph[m], g, r->levene.p));
        json_object_set_new(root, "posthoc", ph);
    }
    return root;
}

static const char *method_title(const survey_opts *o, egdi_posthoc_method m)
{
    switch (m) {
    case EGDI_POSTHOC_LSD:
        return "LSD";
    case EGDI_POSTHOC_BONFERRONI:
        return "Bonferroni";
    case EGDI_POSTHOC_TUKEY:
        return "Tukey HSD";
    case EGDI_POSTHOC_SCHEFFE:
        return SURVEY_L(o, "Scheffé", "Scheffé");
    default:
        return "Games-Howell";
    }
}

static int print_more(const survey_opts *o, const an_args *a, const egdi_groups *g,
                      const egdi_anova *r, const an_more *more)
{
    char title[EGDI_ERR_MSG_MAX + 256];
    const char *h[] = {"", SURVEY_L(o, "统计", "statistic"), "df1", "df2",
                       SURVEY_L(o, "显著性", "p")};
    if (more->have_welch)
        snprintf(title, sizeof title, "%s", SURVEY_L(o, "均值相等性的稳健检验 (Welch)",
                                                     "Robust test of equality of means (Welch)"));
    else
        snprintf(title, sizeof title, "%s: %s",
                 SURVEY_L(o, "均值相等性的稳健检验 (Welch) 无法计算",
                          "Robust test of equality of means (Welch) undefined"),
                 more->welch_why);
    cli_table *t = cli_table_new(title, 5, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 5; c++)
        cli_table_right(t, c);
    char pb[16];
    if (more->have_welch) {
        cli_table_cell(t, "Welch");
        cli_table_num(t, more->welch.F, 3);
        cli_table_num(t, more->welch.df1, 0);
        cli_table_num(t, more->welch.df2, 3);
        cli_table_cell(t, survey_p_text(more->welch.p, pb));
        cli_table_end_row(t);
    }
    int rc = survey_print_table(t, o, CMD, false);
    if (rc != CLI_OK || !a->any_posthoc)
        return rc;
    bool unequal = r->levene.p < 0.05;
    char lev[160];
    if (isfinite(r->levene.p))
        snprintf(lev, sizeof lev, "Levene p = %.3f %s", r->levene.p,
                 unequal ? SURVEY_L(o, "< .05, 方差不齐: 宜看 Games-Howell",
                                    "< .05, unequal variances: read Games-Howell")
                         : SURVEY_L(o, ">= .05, 方差齐性: 宜看 LSD、Tukey、Scheffé",
                                    ">= .05, equal variances: read LSD, Tukey, Scheffé"));
    else
        snprintf(lev, sizeof lev, "%s", SURVEY_L(o, "Levene 检验无法计算", "Levene undefined"));
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%.0f%% CI %s", 100 * a->conf, SURVEY_L(o, "下限", "low"));
    snprintf(hi, sizeof hi, "%.0f%% CI %s", 100 * a->conf, SURVEY_L(o, "上限", "high"));
    const char *h2[] = {SURVEY_L(o, "方法", "method"), "(I)", "(J)",
                        SURVEY_L(o, "均值差 (I-J)", "mean diff (I-J)"),
                        SURVEY_L(o, "标准误", "SE"), SURVEY_L(o, "显著性", "p"), lo, hi};
    snprintf(title, sizeof title, "%s: %s (%s; %s)",
             SURVEY_L(o, "事后多重比较", "Post-hoc multiple comparisons"), a->y, a->group, lev);
    t = cli_table_new(title, 8, h2);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 3; c < 8; c++)
        cli_table_right(t, c);
    for (int m = 0; m < EGDI_POSTHOC_COUNT; m++) {
        if (!more->have[m])
            continue;
        const egdi_posthoc *p = &more->ph[m];
        for (size_t k = 0; k < p->npairs; k++) {
            const egdi_posthoc_pair *q = &p->pair[k];
            cli_table_cell(t, k == 0 ? method_title(o, (egdi_posthoc_method)m) : NULL);
            cli_table_cell(t, g->label[q->i]);
            cli_table_cell(t, g->label[q->j]);
            cli_table_cellf(t, "%.3f%s", q->diff, survey_stars(q->p));
            cli_table_num(t, q->se, 3);
            cli_table_cell(t, survey_p_text(q->p, pb));
            cli_table_num(t, q->ci_lo, 3);
            cli_table_num(t, q->ci_hi, 3);
            cli_table_end_row(t);
        }
    }
    return survey_print_table(t, o, CMD, false);
}

static int print_tables(const survey_opts *o, const an_args *a, const egdi_groups *g,
                        const egdi_anova *r, const egdi_group_stats *gs, const an_more *more)
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
    if ((rc = survey_print_table(t, o, CMD, false)) != CLI_OK)
        return rc;
    return print_more(o, a, g, r, more);
}

/* The ANOVA of a->y by column gc (categories cat) of ds, printed as a
 * table or added to the JSON array all (may be NULL: printed alone). */
static int analyse(const survey_opts *o, const an_args *a, const egdi_dataset *ds,
                   const egdi_categories *cat, egdi_tukey_work *w, json_t *all)
{
    egdi_groups g = {0};
    double *y = NULL;
    egdi_group_stats *gs = NULL;
    an_more more;
    memset(&more, 0, sizeof more);
    egdi_error err;
    egdi_error_clear(&err);
    int rc = CLI_OK;
    if (egdi_dataset_variable(ds, a->y, &y, &err) != EGDI_OK ||
        egdi_dataset_groups_by(ds, cat, y, NULL, 0, &g, &err) != EGDI_OK) {
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
        rc = cli_fail(CMD, "%s by %s: %s", a->y, a->group, cli_msg(err.message));
        goto done;
    }
    egdi_error werr;
    egdi_error_clear(&werr);
    more.have_welch = egdi_anova_welch(gs, g.k, (const char *const *)g.label, &more.welch,
                                       &werr) == EGDI_OK;
    if (!more.have_welch)
        snprintf(more.welch_why, sizeof more.welch_why, "%s", cli_msg(werr.message));
    for (int m = 0; m < EGDI_POSTHOC_COUNT; m++) {
        if (!a->want[m])
            continue;
        if (egdi_posthoc_compute(gs, g.k, (const char *const *)g.label, r.ms_within, r.df2,
                                 (egdi_posthoc_method)m, a->conf, w, &more.ph[m],
                                 &err) != EGDI_OK) {
            rc = cli_fail(CMD, "%s by %s, %s: %s", a->y, a->group,
                          egdi_posthoc_name((egdi_posthoc_method)m), cli_msg(err.message));
            goto done;
        }
        more.have[m] = true;
    }
    if (o->fmt != CLI_JSON)
        rc = print_tables(o, a, &g, &r, gs, &more);
    else if (all)
        json_array_append_new(all, build_json(a, &g, &r, gs, &more));
    else
        rc = survey_print_json(build_json(a, &g, &r, gs, &more), CMD);
done:
    for (int m = 0; m < EGDI_POSTHOC_COUNT; m++)
        egdi_posthoc_release(&more.ph[m]);
    free(gs);
    free(y);
    egdi_dataset_groups_release(&g);
    return rc;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    an_args a = {0};
    a.conf = 0.95;
    int rc = survey_getopt(argc, argv, &survey_cmd_anova, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    if (!a.ny_arg || !a.group)
        return cli_usage(CMD, "give --y COLUMN|SCALE and --group COLUMN");
    /* the --y names: each --y may be a list (blocks[k] holds the names of
     * the k-th, freed at the end) */
    char **blocks[MAX_Y] = {NULL}, *ys[MAX_Y * 64];
    size_t ny = 0;
    for (size_t k = 0; k < a.ny_arg; k++) {
        size_t np;
        if (!survey_split_list(a.y_arg[k], &blocks[k], &np) || ny + np > MAX_Y * 64) {
            for (size_t t = 0; t < k; t++)
                free(blocks[t]);
            return cli_usage(CMD, "--y wants a name or names separated by commas, not '%s'",
                             a.y_arg[k]);
        }
        for (size_t t = 0; t < np; t++)
            ys[ny++] = blocks[k][t];
    }
    const char *keep[1] = {a.group};
    egdi_dataset *ds = NULL;
    egdi_tukey_work *w = NULL;
    json_t *all = NULL;
    egdi_categories cat;
    memset(&cat, 0, sizeof cat);
    size_t gc;
    egdi_error err;
    egdi_error_clear(&err);
    if ((rc = survey_open(&o, CMD, keep, 1, &ds)) != CLI_OK)
        goto done;
    /* the groups once for every --y (issue 20) */
    if (egdi_dataset_find(ds, a.group, &gc, &err) != EGDI_OK ||
        egdi_dataset_categories(ds, gc, &cat, &err) != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    if (a.any_posthoc && !(w = egdi_tukey_work_alloc())) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    if (o.fmt == CLI_JSON && ny > 1 && !(all = json_array())) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t v = 0; v < ny && rc == CLI_OK; v++) {
        a.y = ys[v];
        rc = analyse(&o, &a, ds, &cat, w, all);
    }
    if (rc == CLI_OK && all) {
        /* as ttest's several --y: {group, results: [...]} */
        json_t *root = json_object();
        if (root) {
            json_object_set_new(root, "group", json_string(a.group));
            json_object_set_new(root, "results", all);
        } else {
            json_decref(all);
        }
        all = NULL;
        rc = survey_print_json(root, CMD);
    }
done:
    json_decref(all);
    egdi_tukey_work_free(w);
    egdi_categories_release(&cat);
    egdi_dataset_free(ds);
    for (size_t k = 0; k < a.ny_arg; k++)
        free(blocks[k]);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_anova = {
    .name = "anova",
    .run = run,
    .summary = "one-way ANOVA with Levene's test, Welch's ANOVA and post-hoc comparisons",
    .usage = "--data FILE|--survey NAME --y Y[,Y...] --group G [--posthoc LIST] [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "F, df, p, eta squared, group descriptives, Levene (mean-centred); Welch's F "
             "(R oneway.test(var.equal = FALSE), SPSS's robust test). Post-hoc: LSD and "
             "Bonferroni as pairwise.t.test(pool.sd = TRUE), Tukey-Kramer as TukeyHSD, Scheffé "
             "and Games-Howell by their formulas; the studentized range is computed to about "
             "1e-12 (R's ptukey is good to about 1e-7, qtukey to 1e-4, so TukeyHSD's p and "
             "CI differ from egdi's in those digits).",
};
