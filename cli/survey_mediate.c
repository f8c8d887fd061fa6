/*
 * survey_mediate.c - `egdi survey mediate`: simple or parallel mediation
 * (中介效应检验, PROCESS model 4) with a percentile bootstrap of the
 * indirect effects (surveys/mediate.h).  Everything parsed or computed is
 * freed before returning.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/mediate.h"

#define CMD SURVEY_CMD("mediate")

enum { OPT_X, OPT_M, OPT_Y, OPT_BOOT, OPT_SEED, OPT_CONF, OPT_THREADS };

static const cli_option options[] = {
    {OPT_X, "x", 0, "COLUMN|SCALE", "the independent variable X"},
    {OPT_M, "m", 0, "LIST", "the mediator M, or several in parallel (M1,M2; at most 8)"},
    {OPT_Y, "y", 0, "COLUMN|SCALE", "the dependent variable Y"},
    {OPT_BOOT, "boot", 0, "N",
     "bootstrap resamples for the indirect effect's percentile CI (default 5000; 0 = none)"},
    {OPT_SEED, "seed", 0, "N",
     "the bootstrap's seed (default 1): a seed gives the same CI whatever the threads"},
    {OPT_CONF, "conf", 0, "LEVEL", "confidence level (default 0.95)"},
    {OPT_THREADS, "threads", 0, "N", "bootstrap threads (default: the processors online)"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    const char *x, *m, *y;
    egdi_mediate_opts mo;
} md_args;

static int handle(int c, const char *arg, void *ud)
{
    md_args *a = ud;
    long v;
    switch (c) {
    case OPT_X:
        a->x = arg;
        return 1;
    case OPT_M:
        a->m = arg;
        return 1;
    case OPT_Y:
        a->y = arg;
        return 1;
    case OPT_BOOT:
        if (!cli_parse_long(arg, 0, EGDI_MEDIATE_MAX_BOOT, &v))
            return cli_usage(CMD, "--boot wants a whole number 0..%d, not '%s'",
                             EGDI_MEDIATE_MAX_BOOT, arg);
        a->mo.boot = (size_t)v;
        return 1;
    case OPT_SEED:
        if (!cli_parse_long(arg, 0, 2147483647L, &v))
            return cli_usage(CMD, "--seed wants a whole number 0..2147483647, not '%s'", arg);
        a->mo.seed = (uint64_t)v;
        return 1;
    case OPT_CONF:
        if (!cli_parse_double(arg, &a->mo.conf) || !(a->mo.conf > 0 && a->mo.conf < 1))
            return cli_usage(CMD, "--conf wants a level in (0, 1), e.g. 0.95, not '%s'", arg);
        return 1;
    case OPT_THREADS:
        if (!cli_parse_long(arg, 1, 64, &v))
            return cli_usage(CMD, "--threads wants a whole number 1..64, not '%s'", arg);
        a->mo.threads = (unsigned)v;
        return 1;
    default:
        return 0;
    }
}

static json_t *json_path(const egdi_path *p)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:[oo]}", "est", cli_json_num(p->est), "se",
                     cli_json_num(p->se), "t", cli_json_num(p->t), "p", cli_json_num(p->p),
                     "ci", cli_json_num(p->ci_lo), cli_json_num(p->ci_hi));
}

static json_t *json_indirect(const egdi_indirect *d)
{
    json_t *j = json_object();
    json_object_set_new(j, "effect", cli_json_num(d->ab));
    json_object_set_new(j, "boot_se", cli_json_num(d->boot_se));
    json_object_set_new(j, "boot_ci",
                        json_pack("[oo]", cli_json_num(d->boot_lo), cli_json_num(d->boot_hi)));
    json_object_set_new(j, "sobel_se", cli_json_num(d->sobel_se));
    json_object_set_new(j, "sobel_z", cli_json_num(d->sobel_z));
    json_object_set_new(j, "sobel_p", cli_json_num(d->sobel_p));
    json_object_set_new(j, "ratio", cli_json_num(d->ratio));
    return j;
}

static int print_json(const egdi_dataset *ds, const md_args *a, char **m, const egdi_mediation *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "source", json_string(ds->source));
    json_object_set_new(root, "n_read", json_integer((json_int_t)ds->nrows));
    json_object_set_new(root, "n", json_integer((json_int_t)r->n));
    json_object_set_new(root, "x", json_string(a->x));
    json_object_set_new(root, "y", json_string(a->y));
    json_t *ms = json_array(), *pa = json_array(), *pb = json_array(), *ind = json_array();
    for (size_t j = 0; j < r->k; j++) {
        json_array_append_new(ms, json_string(m[j]));
        json_array_append_new(pa, json_path(&r->a[j]));
        json_array_append_new(pb, json_path(&r->b[j]));
        json_t *d = json_indirect(&r->ind[j]);
        json_object_set_new(d, "mediator", json_string(m[j]));
        json_array_append_new(ind, d);
    }
    json_object_set_new(root, "mediators", ms);
    json_object_set_new(root, "boot", json_integer((json_int_t)r->boot));
    json_object_set_new(root, "seed", json_integer((json_int_t)r->seed));
    json_object_set_new(root, "conf", cli_json_num(r->conf));
    json_object_set_new(root, "a", pa);
    json_object_set_new(root, "b", pb);
    json_object_set_new(root, "c", json_path(&r->c));
    json_object_set_new(root, "c_prime", json_path(&r->c_prime));
    json_object_set_new(root, "indirect", ind);
    json_object_set_new(root, "total_indirect", json_indirect(&r->total));
    json_object_set_new(root, "r2_y", cli_json_num(r->r2_y));
    return survey_print_json(root, CMD);
}

static void path_row(cli_table *t, const char *label, const egdi_path *p)
{
    char pb[16];
    cli_table_cell(t, label);
    cli_table_num(t, p->est, 3);
    cli_table_num(t, p->se, 3);
    cli_table_num(t, p->t, 3);
    cli_table_cell(t, survey_p_text(p->p, pb));
    cli_table_num(t, p->ci_lo, 3);
    cli_table_num(t, p->ci_hi, 3);
    cli_table_end_row(t);
}

static void effect_row(const survey_opts *o, cli_table *t, const char *label, double est,
                       double se, double lo, double hi, double ratio, double z, double p)
{
    char pb[16];
    cli_table_cell(t, label);
    cli_table_num(t, est, 3);
    cli_table_num(t, se, 3);
    cli_table_num(t, lo, 3);
    cli_table_num(t, hi, 3);
    if (isnan(ratio))
        cli_table_cell(t, SURVEY_L(o, "无法计算 (c = 0)", "undefined (c = 0)"));
    else
        cli_table_cellf(t, "%.1f%%", 100 * ratio);
    cli_table_num(t, z, 3);
    cli_table_cell(t, survey_p_text(p, pb));
    cli_table_end_row(t);
}

static int print_tables(const survey_opts *o, const md_args *a, char **m, const egdi_mediation *r)
{
    char title[512], lo[32], hi[32], lab[512];
    snprintf(lo, sizeof lo, "%.0f%% CI %s", 100 * r->conf, SURVEY_L(o, "下限", "low"));
    snprintf(hi, sizeof hi, "%.0f%% CI %s", 100 * r->conf, SURVEY_L(o, "上限", "high"));
    const char *h1[] = {SURVEY_L(o, "路径", "path"), SURVEY_L(o, "系数", "coefficient"),
                        SURVEY_L(o, "标准误", "SE"), "t", "p", lo, hi};
    snprintf(title, sizeof title, "%s (X = %s, Y = %s; N = %zu)",
             SURVEY_L(o, "中介效应检验: 路径系数", "Mediation: paths"), a->x, a->y, r->n);
    cli_table *t = cli_table_new(title, 7, h1);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 7; c++)
        cli_table_right(t, c);
    char idx[24] = "";
    for (size_t j = 0; j < r->k; j++) {
        if (r->k > 1)
            snprintf(idx, sizeof idx, "%zu", j + 1);
        snprintf(lab, sizeof lab, "a%s (%s -> %s)", idx, a->x, m[j]);
        path_row(t, lab, &r->a[j]);
    }
    for (size_t j = 0; j < r->k; j++) {
        if (r->k > 1)
            snprintf(idx, sizeof idx, "%zu", j + 1);
        snprintf(lab, sizeof lab, "b%s (%s -> %s)", idx, m[j], a->y);
        path_row(t, lab, &r->b[j]);
    }
    snprintf(lab, sizeof lab, "c (%s -> %s, %s)", a->x, a->y, SURVEY_L(o, "总效应", "total"));
    path_row(t, lab, &r->c);
    snprintf(lab, sizeof lab, "c' (%s -> %s, %s)", a->x, a->y, SURVEY_L(o, "直接效应", "direct"));
    path_row(t, lab, &r->c_prime);
    int rc = survey_print_table(t, o, CMD, true);
    if (rc != CLI_OK)
        return rc;
    char blo[48], bhi[48];
    snprintf(blo, sizeof blo, "Boot %s", lo);
    snprintf(bhi, sizeof bhi, "Boot %s", hi);
    const char *h2[] = {SURVEY_L(o, "效应", "effect"), SURVEY_L(o, "效应值", "estimate"),
                        "Boot SE", blo, bhi, SURVEY_L(o, "效应占比", "ratio"), "Sobel z",
                        "Sobel p"};
    if (r->boot)
        snprintf(title, sizeof title, "%s (%s %zu, seed %llu%s)",
                 SURVEY_L(o, "中介效应检验: 效应分解", "Mediation: effects"),
                 SURVEY_L(o, "百分位 Bootstrap 抽样", "percentile bootstrap,"), r->boot,
                 (unsigned long long)r->seed,
                 SURVEY_L(o, "; 总效应与直接效应为 t 区间", "; total and direct: t intervals"));
    else
        snprintf(title, sizeof title, "%s (%s)",
                 SURVEY_L(o, "中介效应检验: 效应分解", "Mediation: effects"),
                 SURVEY_L(o, "未做 Bootstrap", "no bootstrap"));
    t = cli_table_new(title, 8, h2);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 8; c++)
        cli_table_right(t, c);
    effect_row(o, t, SURVEY_L(o, "总效应 c", "total effect c"), r->c.est, r->c.se, r->c.ci_lo,
               r->c.ci_hi, 1.0, NAN, NAN);
    effect_row(o, t, SURVEY_L(o, "直接效应 c'", "direct effect c'"), r->c_prime.est,
               r->c_prime.se, r->c_prime.ci_lo, r->c_prime.ci_hi,
               r->c.est != 0 ? r->c_prime.est / r->c.est : NAN, NAN, NAN);
    for (size_t j = 0; j < r->k; j++) {
        const egdi_indirect *d = &r->ind[j];
        snprintf(lab, sizeof lab, "%s (%s)", SURVEY_L(o, "间接效应 a×b", "indirect a×b"), m[j]);
        effect_row(o, t, lab, d->ab, d->boot_se, d->boot_lo, d->boot_hi, d->ratio, d->sobel_z,
                   d->sobel_p);
    }
    if (r->k > 1)
        effect_row(o, t, SURVEY_L(o, "总间接效应", "total indirect"), r->total.ab,
                   r->total.boot_se, r->total.boot_lo, r->total.boot_hi, r->total.ratio, NAN,
                   NAN);
    return survey_print_table(t, o, CMD, false);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    md_args a = {0};
    egdi_mediate_opts_init(&a.mo);
    int rc = survey_getopt(argc, argv, &survey_cmd_mediate, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    if (!a.x || !a.m || !a.y)
        return cli_usage(CMD, "give --x X, --m M (or M1,M2) and --y Y");
    if (o.pairwise)
        return cli_usage(CMD, "mediation uses the rows with X, M and Y (listwise); "
                              "--missing pairwise does not apply");
    char **m = NULL;
    size_t k = 0;
    if (!survey_split_list(a.m, &m, &k))
        return cli_usage(CMD, "--m wants names separated by commas, not '%s'", a.m);
    if (k > EGDI_MEDIATE_MAX_M) {
        free(m);
        return cli_usage(CMD, "at most %d mediators, not %zu", EGDI_MEDIATE_MAX_M, k);
    }
    egdi_dataset *ds = NULL;
    egdi_mediation r = {0};
    if ((rc = survey_open(&o, CMD, NULL, 0, &ds)) != CLI_OK)
        goto done;
    egdi_error err;
    egdi_error_clear(&err);
    cli_progress pr;
    a.mo.progress = cli_progress_start(&pr, ctx, "bootstrap", "resamples");
    egdi_status mst = egdi_mediate_dataset(ds, a.x, (const char *const *)m, k, a.y, &a.mo, &r, &err);
    cli_progress_end(&pr);
    if (mst != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    rc = o.fmt == CLI_JSON ? print_json(ds, &a, m, &r) : print_tables(&o, &a, m, &r);
done:
    egdi_mediation_release(&r);
    free(m);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_mediate = {
    .name = "mediate",
    .run = run,
    .summary = "mediation (PROCESS model 4): paths, indirect effect, bootstrap CI, Sobel",
    .usage = "--data FILE|--survey NAME --x X --m M[,M2...] --y Y [--boot N] [--seed N] "
             "[OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "Paths a (M ~ X), b and c' (Y ~ X + M), c (Y ~ X) by OLS, as lm; the indirect "
             "effect a×b with a percentile bootstrap CI (PROCESS's default: percentiles as "
             "SPSS/R type 6 of --boot resamples of the rows), the Sobel test and the effect "
             "ratio a×b / c. Several mediators are parallel (one Y model holds them all). "
             "Rows missing X, a mediator or Y are left out; N is printed.",
};
