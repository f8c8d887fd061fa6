/*
 * survey_ttest.c - `egdi survey ttest`: independent samples (--y --group),
 * paired (--paired X,Y, or long data --y --group --pair-id) and one sample
 * (--y --mu), on columns or on scales (surveys/ttest.h); several --y at
 * once (independent or one sample) print one row each, the SPSS layout of
 * several variables by one grouping.  The variables, groups and pairs come
 * from the dataset (surveys/dataset.h); rows with a missing value are left
 * out of each test; the n used is printed.  Working arrays are freed
 * before returning.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/ttest.h"

#define CMD SURVEY_CMD("ttest")

enum { OPT_Y, OPT_GROUP, OPT_LEVELS, OPT_PAIRED, OPT_PAIR_ID, OPT_MU, OPT_CONF };

static const cli_option options[] = {
    {OPT_Y, "y", 0, "COLUMN|SCALE",
     "the variable: a column, or a scale (of --scales or the stored survey) scored as the mean "
     "of its keyed items (--score); several, as a list or repeated (--y 有用性,易用性), give "
     "one row each (independent or one sample)"},
    {OPT_GROUP, "group", 0, "COLUMN", "independent samples: the two groups"},
    {OPT_LEVELS, "levels", 0, "A,B", "the two groups of --group to compare"},
    {OPT_PAIRED, "paired", 0, "X,Y", "paired samples: two columns or scales"},
    {OPT_PAIR_ID, "pair-id", 0, "COLUMN",
     "paired long data: --y by --group --levels A,B matched on this id"},
    {OPT_MU, "mu", 0, "M", "one sample: the test value"},
    {OPT_CONF, "conf", 0, "LEVEL", "confidence level of the intervals (default 0.95)"},
    {0, NULL, 0, NULL, NULL},
};

/* The most --y options. */
#define MAX_Y 16

typedef struct {
    const char *y, *group, *levels, *paired, *pair_id;
    double mu, conf;
    bool have_mu;
    const char *y_arg[MAX_Y]; /* each --y as given (a list) */
    size_t ny_arg;
} tt_args;

static int handle(int c, const char *arg, void *ud)
{
    tt_args *a = ud;
    switch (c) {
    case OPT_Y:
        if (a->ny_arg == MAX_Y)
            return cli_usage(CMD, "--y given more than %d times", MAX_Y);
        a->y_arg[a->ny_arg++] = arg;
        a->y = arg;
        return 1;
    case OPT_GROUP:
        a->group = arg;
        return 1;
    case OPT_LEVELS:
        a->levels = arg;
        return 1;
    case OPT_PAIRED:
        a->paired = arg;
        return 1;
    case OPT_PAIR_ID:
        a->pair_id = arg;
        return 1;
    case OPT_MU:
        if (!cli_parse_double(arg, &a->mu))
            return cli_usage(CMD, "--mu wants a number, not '%s'", arg);
        a->have_mu = true;
        return 1;
    case OPT_CONF:
        if (!cli_parse_double(arg, &a->conf) || !(a->conf > 0 && a->conf < 1))
            return cli_usage(CMD, "--conf wants a level in (0, 1), e.g. 0.95, not '%s'", arg);
        return 1;
    default:
        return 0;
    }
}

/* Splits "A,B" into two strings in buf (which it writes). */
static bool split_two(const char *s, char *buf, size_t size, const char **a, const char **b)
{
    int w = snprintf(buf, size, "%s", s);
    if (w < 0 || (size_t)w >= size)
        return false;
    char *comma = strchr(buf, ',');
    if (!comma || strchr(comma + 1, ','))
        return false;
    *comma = '\0';
    *a = buf;
    *b = comma + 1;
    return **a && **b;
}

static int emit(const survey_opts *o, json_t *root, cli_table **tables, size_t nt)
{
    int rc = CLI_OK;
    if (o->fmt == CLI_JSON) {
        if (cli_json_print(root, stdout) != 0)
            rc = cli_fail(CMD, "cannot write the output");
        for (size_t k = 0; k < nt; k++)
            cli_table_free(tables[k]);
    } else {
        for (size_t k = 0; k < nt; k++) {
            int r = rc == CLI_OK ? survey_print_table(tables[k], o, CMD, k == 0) : CLI_FAIL;
            if (r != CLI_OK) {
                if (rc == CLI_OK)
                    rc = r;
                else
                    cli_table_free(tables[k]);
            }
        }
    }
    json_decref(root);
    return rc;
}

static int independent(const survey_opts *o, const tt_args *a, const egdi_dataset *ds,
                       const double *y, size_t gcol)
{
    char buf[512];
    const char *lv[2];
    const char *const *levels = NULL;
    if (a->levels) {
        if (!split_two(a->levels, buf, sizeof buf, &lv[0], &lv[1]))
            return cli_usage(CMD, "--levels wants two group labels A,B, not '%s'", a->levels);
        levels = lv;
    }
    egdi_groups g;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_groups(ds, gcol, y, levels, 2, &g, &err) != EGDI_OK)
        return survey_error(CMD, &err);
    int rc;
    if (g.k != 2) {
        char list[256] = "";
        size_t used = 0;
        for (size_t k = 0; k < g.k && used < sizeof list - 1; k++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", g.label[k]);
            if (w < 0)
                break;
            used += (size_t)w < sizeof list - used ? (size_t)w : sizeof list - used - 1;
        }
        rc = cli_usage(CMD, "%s has %zu groups (%s); choose two with --levels A,B", a->group,
                       g.k, list);
        egdi_dataset_groups_release(&g);
        return rc;
    }
    egdi_ttest_ind t;
    if (egdi_ttest_independent(g.x[0], g.n[0], g.x[1], g.n[1], a->conf,
                               (const char *const *)g.label, &t, &err) != EGDI_OK) {
        rc = cli_fail(CMD, "%s by %s: %s", a->y, a->group, cli_msg(err.message));
        egdi_dataset_groups_release(&g);
        return rc;
    }
    json_t *root = NULL;
    cli_table *tab[2] = {NULL, NULL};
    if (o->fmt == CLI_JSON) {
        root = json_object();
        json_object_set_new(root, "test", json_string("independent"));
        json_object_set_new(root, "y", json_string(a->y));
        json_object_set_new(root, "group", json_string(a->group));
        json_object_set_new(root, "n", json_integer((json_int_t)g.n_used));
        json_object_set_new(root, "conf", cli_json_num(a->conf));
        json_t *gr = json_array();
        for (int k = 0; k < 2; k++)
            json_array_append_new(
                gr, json_pack("{s:s,s:I,s:o,s:o}", "group", g.label[k], "n",
                              (json_int_t)(k ? t.n2 : t.n1), "mean",
                              cli_json_num(k ? t.mean2 : t.mean1), "sd",
                              cli_json_num(k ? t.sd2 : t.sd1)));
        json_object_set_new(root, "groups", gr);
        json_object_set_new(root, "levene", survey_json_levene(&t.levene));
        json_object_set_new(root, "student", survey_json_trow(&t.student));
        json_object_set_new(root, "welch", survey_json_trow(&t.welch));
        json_object_set_new(root, "selected", json_string(t.welch_selected ? "welch" : "student"));
        json_object_set_new(root, "mean_diff", cli_json_num(t.diff));
        json_object_set_new(root, "cohen_d", cli_json_num(t.d));
    } else {
        const char *h[] = {SURVEY_L(o, "组别", "group"), "N", SURVEY_L(o, "均值", "mean"),
                           SURVEY_L(o, "标准差", "sd"), SURVEY_L(o, "均值标准误", "SE mean")};
        char title[512];
        snprintf(title, sizeof title, "%s: %s (%s; N = %zu)", SURVEY_L(o, "组统计", "Group statistics"),
                 a->y, a->group, g.n_used);
        tab[0] = cli_table_new(title, 5, h);
        if (tab[0]) {
            for (size_t c = 1; c < 5; c++)
                cli_table_right(tab[0], c);
            for (int k = 0; k < 2; k++) {
                size_t n = k ? t.n2 : t.n1;
                double sd = k ? t.sd2 : t.sd1;
                cli_table_cell(tab[0], g.label[k]);
                cli_table_cellf(tab[0], "%zu", n);
                cli_table_num(tab[0], k ? t.mean2 : t.mean1, 3);
                cli_table_num(tab[0], sd, 3);
                cli_table_num(tab[0], k ? t.se2 : t.se1, 3);
                cli_table_end_row(tab[0]);
            }
        }
        const char *h2[] = {SURVEY_L(o, "方差假设", "variances"), "Levene F",
                            SURVEY_L(o, "Levene 显著性", "Levene p"), "t", "df",
                            SURVEY_L(o, "显著性 (双尾)", "p (2-tailed)"),
                            SURVEY_L(o, "均值差", "mean diff"),
                            SURVEY_L(o, "标准误差值", "SE diff"),
                            SURVEY_L(o, "CI 下限", "CI low"), SURVEY_L(o, "CI 上限", "CI high"),
                            "Cohen's d"};
        snprintf(title, sizeof title, "%s (%s - %s; %.0f%% CI)",
                 SURVEY_L(o, "独立样本 T 检验", "Independent samples t-test"), g.label[0],
                 g.label[1], 100 * a->conf);
        tab[1] = cli_table_new(title, 11, h2);
        if (tab[1]) {
            for (size_t c = 1; c < 11; c++)
                cli_table_right(tab[1], c);
            for (int k = 0; k < 2; k++) {
                const egdi_trow *r = k ? &t.welch : &t.student;
                cli_table_cell(tab[1], k ? SURVEY_L(o, "不假定等方差", "not assumed")
                                         : SURVEY_L(o, "假定等方差", "equal assumed"));
                cli_table_num(tab[1], k ? NAN : t.levene.F, 3);
                cli_table_num(tab[1], k ? NAN : t.levene.p, 3);
                cli_table_num(tab[1], r->t, 3);
                cli_table_num(tab[1], r->df, k ? 3 : 0);
                cli_table_num(tab[1], r->p, 3);
                cli_table_num(tab[1], t.diff, 3);
                cli_table_num(tab[1], r->se, 3);
                cli_table_num(tab[1], r->ci_lo, 3);
                cli_table_num(tab[1], r->ci_hi, 3);
                cli_table_num(tab[1], k ? NAN : t.d, 3);
                cli_table_end_row(tab[1]);
            }
        }
    }
    egdi_dataset_groups_release(&g);
    return emit(o, root, tab, o->fmt == CLI_JSON ? 0 : 2);
}

static int one_result(const survey_opts *o, const tt_args *a, const char *test,
                      const char *label, const egdi_ttest_one *t, double mean1, double mean2,
                      const char *xname, const char *yname)
{
    json_t *root = NULL;
    cli_table *tab[1] = {NULL};
    bool paired = strcmp(test, "paired") == 0;
    if (o->fmt == CLI_JSON) {
        root = json_object();
        json_object_set_new(root, "test", json_string(test));
        if (paired) {
            json_object_set_new(root, "x", json_string(xname));
            json_object_set_new(root, "y", json_string(yname));
            json_object_set_new(root, "mean_x", cli_json_num(mean1));
            json_object_set_new(root, "mean_y", cli_json_num(mean2));
        } else {
            json_object_set_new(root, "y", json_string(xname));
            json_object_set_new(root, "mu", cli_json_num(t->mu));
        }
        json_object_set_new(root, "n", json_integer((json_int_t)t->n));
        json_object_set_new(root, "conf", cli_json_num(a->conf));
        json_object_set_new(root, "mean", cli_json_num(t->mean));
        json_object_set_new(root, "sd", cli_json_num(t->sd));
        json_object_set_new(root, "mean_diff", cli_json_num(t->diff));
        json_object_set_new(root, "t", cli_json_num(t->row.t));
        json_object_set_new(root, "df", cli_json_count(t->row.df));
        json_object_set_new(root, "p", cli_json_num(t->row.p));
        json_object_set_new(root, "se", cli_json_num(t->row.se));
        json_object_set_new(root, "ci", json_pack("[oo]", cli_json_num(t->row.ci_lo),
                                                  cli_json_num(t->row.ci_hi)));
        json_object_set_new(root, "cohen_d", cli_json_num(t->d));
        return emit(o, root, tab, 0);
    }
    const char *h[] = {paired ? SURVEY_L(o, "配对", "pair") : SURVEY_L(o, "变量", "variable"),
                       "N",
                       paired ? SURVEY_L(o, "均值差", "mean diff") : SURVEY_L(o, "均值", "mean"),
                       SURVEY_L(o, "标准差", "sd"),
                       SURVEY_L(o, "标准误", "SE"),
                       SURVEY_L(o, "CI 下限", "CI low"),
                       SURVEY_L(o, "CI 上限", "CI high"),
                       "t",
                       "df",
                       SURVEY_L(o, "显著性 (双尾)", "p (2-tailed)"),
                       "Cohen's d"};
    char title[512];
    if (paired)
        snprintf(title, sizeof title, "%s (%s: %.3f, %s: %.3f; %.0f%% CI)",
                 SURVEY_L(o, "配对样本 T 检验", "Paired samples t-test"), xname, mean1, yname,
                 mean2, 100 * a->conf);
    else
        snprintf(title, sizeof title, "%s (%s = %g; %s; %.0f%% CI)",
                 SURVEY_L(o, "单样本 T 检验", "One-sample t-test"),
                 SURVEY_L(o, "检验值", "test value"), t->mu,
                 SURVEY_L(o, "CI 为均值差的区间", "CI of mean - test value"), 100 * a->conf);
    tab[0] = cli_table_new(title, 11, h);
    if (tab[0]) {
        for (size_t c = 1; c < 11; c++)
            cli_table_right(tab[0], c);
        cli_table_cell(tab[0], label);
        cli_table_cellf(tab[0], "%zu", t->n);
        cli_table_num(tab[0], paired ? t->diff : t->mean, 3);
        cli_table_num(tab[0], t->sd, 3);
        cli_table_num(tab[0], t->row.se, 3);
        cli_table_num(tab[0], t->row.ci_lo, 3);
        cli_table_num(tab[0], t->row.ci_hi, 3);
        cli_table_num(tab[0], t->row.t, 3);
        cli_table_num(tab[0], t->row.df, 0);
        cli_table_num(tab[0], t->row.p, 3);
        cli_table_num(tab[0], t->d, 3);
        cli_table_end_row(tab[0]);
    }
    return emit(o, root, tab, 1);
}

static int paired_run(const survey_opts *o, const tt_args *a, const double *x, const double *y,
                      size_t n, const char *xname, const char *yname)
{
    egdi_ttest_one t;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_ttest_paired(x, y, n, a->conf, &t, &err) != EGDI_OK)
        return cli_fail(CMD, "%s - %s: %s", xname, yname, cli_msg(err.message));
    char label[256];
    snprintf(label, sizeof label, "%s - %s", xname, yname);
    return one_result(o, a, "paired", label, &t, t.mean_x, t.mean_y, xname, yname);
}

/* Long data: y by group level A / B, matched on the pair id. */
static int paired_long(const survey_opts *o, const tt_args *a, const egdi_dataset *ds,
                       const double *y, size_t gcol, size_t icol)
{
    char buf[512];
    const char *lv[2];
    egdi_error err;
    egdi_error_clear(&err);
    if (!a->levels) {
        /* exactly two conditions: nothing to choose */
        egdi_categories cat;
        if (egdi_dataset_categories(ds, gcol, &cat, &err) != EGDI_OK)
            return survey_error(CMD, &err);
        size_t k = cat.k;
        int w = k == 2 ? snprintf(buf, sizeof buf, "%s%c%s", cat.label[0], '\0', cat.label[1])
                       : 0;
        if (k == 2 && w > 0 && (size_t)w < sizeof buf) {
            lv[0] = buf;
            lv[1] = buf + strlen(buf) + 1;
        }
        egdi_categories_release(&cat);
        if (k != 2 || w <= 0 || (size_t)w >= sizeof buf)
            return cli_usage(CMD, "%s has %zu conditions; paired long data needs --levels A,B "
                                  "(the two to compare)", a->group, k);
    } else if (!split_two(a->levels, buf, sizeof buf, &lv[0], &lv[1]))
        return cli_usage(CMD, "--levels wants two group labels A,B, not '%s'", a->levels);
    double *x1 = NULL, *x2 = NULL;
    size_t n = 0;
    if (egdi_dataset_pairs(ds, gcol, icol, y, lv[0], lv[1], &x1, &x2, &n, &err) != EGDI_OK)
        return survey_error(CMD, &err);
    char n1[256], n2[256];
    snprintf(n1, sizeof n1, "%s[%s]", a->y, lv[0]);
    snprintf(n2, sizeof n2, "%s[%s]", a->y, lv[1]);
    int rc = paired_run(o, a, x1, x2, n, n1, n2);
    free(x1);
    free(x2);
    return rc;
}

/* The column called name into *j; prints the error. */
static int find(const egdi_dataset *ds, const char *name, size_t *j)
{
    egdi_error err;
    egdi_error_clear(&err);
    return egdi_dataset_find(ds, name, j, &err) == EGDI_OK ? CLI_OK : survey_error(CMD, &err);
}

/* The values of variable name into *y; prints the error. */
static int variable(const egdi_dataset *ds, const char *name, double **y)
{
    egdi_error err;
    egdi_error_clear(&err);
    return egdi_dataset_variable(ds, name, y, &err) == EGDI_OK ? CLI_OK : survey_error(CMD, &err);
}

/* ---- several variables ---------------------------------------------------------- */

/* The independent t-tests of ys[0..ny) by column gcol, one row each. */
static int independent_many(const survey_opts *o, const tt_args *a, const egdi_dataset *ds,
                            char **ys, size_t ny, size_t gcol)
{
    char buf[512];
    const char *lv[2];
    const char *const *levels = NULL;
    if (a->levels) {
        if (!split_two(a->levels, buf, sizeof buf, &lv[0], &lv[1]))
            return cli_usage(CMD, "--levels wants two group labels A,B, not '%s'", a->levels);
        levels = lv;
    }
    egdi_ttest_ind *t = calloc(ny, sizeof *t);
    egdi_groups *g = calloc(ny, sizeof *g);
    json_t *root = NULL;
    cli_table *tab[2] = {NULL, NULL};
    int rc = CLI_OK;
    if (!t || !g) {
        free(t);
        free(g);
        return cli_fail(CMD, "out of memory");
    }
    egdi_error err;
    egdi_error_clear(&err);
    /* the groups once for every --y (issue 20) */
    egdi_categories cat;
    if (egdi_dataset_categories(ds, gcol, &cat, &err) != EGDI_OK) {
        free(t);
        free(g);
        return survey_error(CMD, &err);
    }
    for (size_t v = 0; v < ny && rc == CLI_OK; v++) {
        double *y = NULL;
        if (egdi_dataset_variable(ds, ys[v], &y, &err) != EGDI_OK ||
            egdi_dataset_groups_by(ds, &cat, y, levels, 2, &g[v], &err) != EGDI_OK) {
            rc = survey_error(CMD, &err);
        } else if (g[v].k != 2) {
            rc = cli_usage(CMD, "%s has %zu groups among the answers to %s; choose two with "
                                "--levels A,B",
                           a->group, g[v].k, ys[v]);
        } else if (egdi_ttest_independent(g[v].x[0], g[v].n[0], g[v].x[1], g[v].n[1], a->conf,
                                          (const char *const *)g[v].label, &t[v],
                                          &err) != EGDI_OK) {
            rc = cli_fail(CMD, "%s by %s: %s", ys[v], a->group, cli_msg(err.message));
        }
        free(y);
        /* the answers are tested: only the labels are printed */
        for (size_t k = 0; g[v].x && k < g[v].k; k++) {
            free(g[v].x[k]);
            g[v].x[k] = NULL;
        }
    }
    egdi_categories_release(&cat);
    if (rc != CLI_OK)
        goto done;
    if (o->fmt == CLI_JSON) {
        root = json_object();
        json_object_set_new(root, "test", json_string("independent"));
        json_object_set_new(root, "group", json_string(a->group));
        json_object_set_new(root, "conf", cli_json_num(a->conf));
        json_t *res = json_array();
        for (size_t v = 0; v < ny; v++) {
            json_t *j = json_object(), *gr = json_array();
            json_object_set_new(j, "y", json_string(ys[v]));
            json_object_set_new(j, "n", json_integer((json_int_t)g[v].n_used));
            for (int k = 0; k < 2; k++)
                json_array_append_new(
                    gr, json_pack("{s:s,s:I,s:o,s:o}", "group", g[v].label[k], "n",
                                  (json_int_t)(k ? t[v].n2 : t[v].n1), "mean",
                                  cli_json_num(k ? t[v].mean2 : t[v].mean1), "sd",
                                  cli_json_num(k ? t[v].sd2 : t[v].sd1)));
            json_object_set_new(j, "groups", gr);
            json_object_set_new(j, "levene", survey_json_levene(&t[v].levene));
            json_object_set_new(j, "student", survey_json_trow(&t[v].student));
            json_object_set_new(j, "welch", survey_json_trow(&t[v].welch));
            json_object_set_new(j, "selected",
                                json_string(t[v].welch_selected ? "welch" : "student"));
            json_object_set_new(j, "mean_diff", cli_json_num(t[v].diff));
            json_object_set_new(j, "cohen_d", cli_json_num(t[v].d));
            json_array_append_new(res, j);
        }
        json_object_set_new(root, "results", res);
        rc = emit(o, root, tab, 0);
        root = NULL;
        goto done;
    }
    const char *h[] = {SURVEY_L(o, "变量", "variable"), SURVEY_L(o, "组别", "group"), "N",
                       SURVEY_L(o, "均值", "mean"), SURVEY_L(o, "标准差", "sd"),
                       SURVEY_L(o, "均值标准误", "SE mean")};
    char title[512];
    snprintf(title, sizeof title, "%s (%s)", SURVEY_L(o, "组统计", "Group statistics"), a->group);
    tab[0] = cli_table_new(title, 6, h);
    const char *h2[] = {SURVEY_L(o, "变量", "variable"), SURVEY_L(o, "方差假设", "variances"),
                        "Levene F", SURVEY_L(o, "Levene 显著性", "Levene p"), "t", "df",
                        SURVEY_L(o, "显著性 (双尾)", "p (2-tailed)"),
                        SURVEY_L(o, "均值差", "mean diff"), SURVEY_L(o, "标准误差值", "SE diff"),
                        SURVEY_L(o, "CI 下限", "CI low"), SURVEY_L(o, "CI 上限", "CI high"),
                        "Cohen's d"};
    snprintf(title, sizeof title, "%s (%s; %.0f%% CI)",
             SURVEY_L(o, "独立样本 T 检验", "Independent samples t-test"), a->group,
             100 * a->conf);
    tab[1] = cli_table_new(title, 12, h2);
    if (tab[0] && tab[1]) {
        for (size_t c = 2; c < 6; c++)
            cli_table_right(tab[0], c);
        for (size_t c = 2; c < 12; c++)
            cli_table_right(tab[1], c);
        for (size_t v = 0; v < ny; v++) {
            for (int k = 0; k < 2; k++) {
                cli_table_cell(tab[0], k ? NULL : ys[v]);
                cli_table_cell(tab[0], g[v].label[k]);
                cli_table_cellf(tab[0], "%zu", k ? t[v].n2 : t[v].n1);
                cli_table_num(tab[0], k ? t[v].mean2 : t[v].mean1, 3);
                cli_table_num(tab[0], k ? t[v].sd2 : t[v].sd1, 3);
                cli_table_num(tab[0], k ? t[v].se2 : t[v].se1, 3);
                cli_table_end_row(tab[0]);
                const egdi_trow *r = k ? &t[v].welch : &t[v].student;
                char vl[512];
                snprintf(vl, sizeof vl, "%s (%s - %s)", ys[v], g[v].label[0], g[v].label[1]);
                cli_table_cell(tab[1], k ? NULL : vl);
                cli_table_cell(tab[1], k ? SURVEY_L(o, "不假定等方差", "not assumed")
                                         : SURVEY_L(o, "假定等方差", "equal assumed"));
                cli_table_num(tab[1], k ? NAN : t[v].levene.F, 3);
                cli_table_num(tab[1], k ? NAN : t[v].levene.p, 3);
                cli_table_num(tab[1], r->t, 3);
                cli_table_num(tab[1], r->df, k ? 3 : 0);
                cli_table_num(tab[1], r->p, 3);
                cli_table_num(tab[1], t[v].diff, 3);
                cli_table_num(tab[1], r->se, 3);
                cli_table_num(tab[1], r->ci_lo, 3);
                cli_table_num(tab[1], r->ci_hi, 3);
                cli_table_num(tab[1], k ? NAN : t[v].d, 3);
                cli_table_end_row(tab[1]);
            }
        }
    }
    rc = emit(o, NULL, tab, 2);
done:
    for (size_t v = 0; v < ny; v++)
        egdi_dataset_groups_release(&g[v]);
    free(g);
    free(t);
    json_decref(root);
    return rc;
}

/* One-sample t-tests of ys[0..ny) against a->mu, one row each. */
static int one_sample_many(const survey_opts *o, const tt_args *a, const egdi_dataset *ds,
                           char **ys, size_t ny)
{
    egdi_ttest_one *t = calloc(ny, sizeof *t);
    if (!t)
        return cli_fail(CMD, "out of memory");
    egdi_error err;
    egdi_error_clear(&err);
    int rc = CLI_OK;
    for (size_t v = 0; v < ny && rc == CLI_OK; v++) {
        double *y = NULL;
        if (egdi_dataset_variable(ds, ys[v], &y, &err) != EGDI_OK)
            rc = survey_error(CMD, &err);
        else if (egdi_ttest_one_sample(y, ds->nrows, a->mu, a->conf, &t[v], &err) != EGDI_OK)
            rc = cli_fail(CMD, "%s: %s", ys[v], cli_msg(err.message));
        free(y);
    }
    if (rc != CLI_OK) {
        free(t);
        return rc;
    }
    json_t *root = NULL;
    cli_table *tab[1] = {NULL};
    if (o->fmt == CLI_JSON) {
        root = json_object();
        json_object_set_new(root, "test", json_string("one-sample"));
        json_object_set_new(root, "mu", cli_json_num(a->mu));
        json_object_set_new(root, "conf", cli_json_num(a->conf));
        json_t *res = json_array();
        for (size_t v = 0; v < ny; v++) {
            json_t *j = json_object();
            json_object_set_new(j, "y", json_string(ys[v]));
            json_object_set_new(j, "n", json_integer((json_int_t)t[v].n));
            json_object_set_new(j, "mean", cli_json_num(t[v].mean));
            json_object_set_new(j, "sd", cli_json_num(t[v].sd));
            json_object_set_new(j, "mean_diff", cli_json_num(t[v].diff));
            json_object_set_new(j, "t", cli_json_num(t[v].row.t));
            json_object_set_new(j, "df", cli_json_count(t[v].row.df));
            json_object_set_new(j, "p", cli_json_num(t[v].row.p));
            json_object_set_new(j, "se", cli_json_num(t[v].row.se));
            json_object_set_new(j, "ci", json_pack("[oo]", cli_json_num(t[v].row.ci_lo),
                                                   cli_json_num(t[v].row.ci_hi)));
            json_object_set_new(j, "cohen_d", cli_json_num(t[v].d));
            json_array_append_new(res, j);
        }
        json_object_set_new(root, "results", res);
        free(t);
        return emit(o, root, tab, 0);
    }
    const char *h[] = {SURVEY_L(o, "变量", "variable"), "N", SURVEY_L(o, "均值", "mean"),
                       SURVEY_L(o, "标准差", "sd"), SURVEY_L(o, "标准误", "SE"),
                       SURVEY_L(o, "CI 下限", "CI low"), SURVEY_L(o, "CI 上限", "CI high"),
                       "t", "df", SURVEY_L(o, "显著性 (双尾)", "p (2-tailed)"), "Cohen's d"};
    char title[512];
    snprintf(title, sizeof title, "%s (%s = %g; %s; %.0f%% CI)",
             SURVEY_L(o, "单样本 T 检验", "One-sample t-test"),
             SURVEY_L(o, "检验值", "test value"), a->mu,
             SURVEY_L(o, "CI 为均值差的区间", "CI of mean - test value"), 100 * a->conf);
    tab[0] = cli_table_new(title, 11, h);
    if (tab[0]) {
        for (size_t c = 1; c < 11; c++)
            cli_table_right(tab[0], c);
        for (size_t v = 0; v < ny; v++) {
            cli_table_cell(tab[0], ys[v]);
            cli_table_cellf(tab[0], "%zu", t[v].n);
            cli_table_num(tab[0], t[v].mean, 3);
            cli_table_num(tab[0], t[v].sd, 3);
            cli_table_num(tab[0], t[v].row.se, 3);
            cli_table_num(tab[0], t[v].row.ci_lo, 3);
            cli_table_num(tab[0], t[v].row.ci_hi, 3);
            cli_table_num(tab[0], t[v].row.t, 3);
            cli_table_num(tab[0], t[v].row.df, 0);
            cli_table_num(tab[0], t[v].row.p, 3);
            cli_table_num(tab[0], t[v].d, 3);
            cli_table_end_row(tab[0]);
        }
    }
    free(t);
    return emit(o, NULL, tab, 1);
}

/* Several --y: independent (--group) or one sample (--mu). */
static int run_many(const survey_opts *o, const tt_args *a, char **ys, size_t ny)
{
    if (a->paired || a->pair_id)
        return cli_usage(CMD, "several --y are compared by --group (independent) or against "
                              "--mu (one sample), not paired");
    const char *keep[1] = {a->group};
    egdi_dataset *ds = NULL;
    int rc = survey_open(o, CMD, keep, a->group ? 1 : 0, &ds);
    if (rc != CLI_OK)
        return rc;
    if (a->have_mu) {
        rc = one_sample_many(o, a, ds, ys, ny);
    } else {
        size_t g;
        egdi_error err;
        egdi_error_clear(&err);
        if (egdi_dataset_find(ds, a->group, &g, &err) != EGDI_OK)
            rc = survey_error(CMD, &err);
        else
            rc = independent_many(o, a, ds, ys, ny, g);
    }
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    tt_args a = {0};
    a.conf = 0.95;
    int rc = survey_getopt(argc, argv, &survey_cmd_ttest, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    int modes = (a.paired != NULL) + a.have_mu + (a.group != NULL);
    if (modes != 1)
        return cli_usage(CMD, "choose one test: --y Y --group G (independent), --paired X,Y "
                              "or --y Y --group G --pair-id ID (paired), --y Y --mu M (one "
                              "sample)");
    if (!a.paired && !a.y)
        return cli_usage(CMD, "--y is missing");
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
    if (ny > 1) {
        rc = run_many(&o, &a, ys, ny);
        for (size_t k = 0; k < a.ny_arg; k++)
            free(blocks[k]);
        return rc;
    }
    if (ny == 1)
        a.y = ys[0];
    const char *keep[2] = {a.group, a.pair_id};
    egdi_dataset *ds = NULL;
    double *y = NULL, *y2 = NULL;
    if ((rc = survey_open(&o, CMD, keep, 2, &ds)) != CLI_OK)
        goto done;
    if (a.paired) {
        char buf[512];
        const char *xa, *xb;
        if (!split_two(a.paired, buf, sizeof buf, &xa, &xb))
            rc = cli_usage(CMD, "--paired wants two columns X,Y, not '%s'", a.paired);
        else if ((rc = variable(ds, xa, &y)) == CLI_OK && (rc = variable(ds, xb, &y2)) == CLI_OK)
            rc = paired_run(&o, &a, y, y2, ds->nrows, xa, xb);
        goto done;
    }
    if ((rc = variable(ds, a.y, &y)) != CLI_OK)
        goto done;
    if (a.have_mu) {
        egdi_ttest_one t;
        egdi_error err;
        egdi_error_clear(&err);
        if (egdi_ttest_one_sample(y, ds->nrows, a.mu, a.conf, &t, &err) != EGDI_OK)
            rc = cli_fail(CMD, "%s: %s", a.y, cli_msg(err.message));
        else
            rc = one_result(&o, &a, "one-sample", a.y, &t, NAN, NAN, a.y, NULL);
        goto done;
    }
    size_t g, id;
    if ((rc = find(ds, a.group, &g)) != CLI_OK)
        goto done;
    if (a.pair_id) {
        if ((rc = find(ds, a.pair_id, &id)) == CLI_OK)
            rc = paired_long(&o, &a, ds, y, g, id);
    } else {
        rc = independent(&o, &a, ds, y, g);
    }
done:
    free(y);
    free(y2);
    egdi_dataset_free(ds);
    for (size_t k = 0; k < a.ny_arg; k++)
        free(blocks[k]);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_ttest = {
    .name = "ttest",
    .run = run,
    .summary = "independent, paired and one-sample t-tests",
    .usage = "--data FILE|--survey NAME --y Y --group G [--levels A,B] [OPTIONS]\n"
             "--data FILE|--survey NAME --paired X,Y [OPTIONS]\n"
             "--data FILE|--survey NAME --y Y --group G --pair-id ID --levels A,B [OPTIONS]\n"
             "--data FILE|--survey NAME --y Y --mu M [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "Independent, paired (two columns, or long data matched on --pair-id) or one "
             "sample. Levene mean-centred; pooled and Welch rows; Cohen's d with the pooled sd "
             "(one-sample / paired: mean difference / sd). The CI is of the mean difference "
             "(SPSS); R's one-sample t.test prints it plus mu.",
};
