/*
 * survey_report.c - `egdi survey report --survey NAME [--scales FILE] -o DIR`:
 * the researcher's paper tables of one survey (issue 17) - the sample
 * profile (--profile), descriptives,
 * item analysis, reliability, KMO and Bartlett, the EFA, the CFA and its
 * validity tables, the scales' correlations, the scale scores by each
 * --group column (t-test or ANOVA) and each --regress model - as three-line tables
 * (DIR/tables.html), one titled sheet each (DIR/tables.xlsx) and one
 * CSV (UTF-8 with a BOM) and JSON file per table (DIR/csv/, DIR/json/).
 * The tables come from reports/report_build.c (egdi_report_build_survey,
 * the same tables the yearly report shows); the files from reports/paper.c.
 */
#include "cli/survey_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "reports/report_build.h"

#define CMD_REPORT SURVEY_CMD("report")

enum { OPT_OUTPUT, OPT_PROFILE, OPT_GROUP, OPT_REGRESS };

static const cli_option report_options[] = {
    {OPT_OUTPUT, "output", 'o', "DIR", "where to write the tables (created when missing)"},
    {OPT_PROFILE, "profile", 0, "LIST",
     "demographic columns for the sample profile table first, e.g. 性别,年龄段"},
    {OPT_GROUP, "group", 0, "COLUMN",
     "a grouping column: every scale score compared across its groups (two: independent "
     "t-test; more: one-way ANOVA), as survey ttest / anova; repeat or list for several"},
    {OPT_REGRESS, "regress", 0, "\"Y ~ X1 + X2\"",
     "a regression (columns or scales; a column of text enters as dummies): its model summary "
     "and coefficients, the numbers survey regress prints for that model; repeat for several"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    const char *dir;
    const char *profile;
    const char *group[EGDI_REPORT_MAX_GROUPS];
    size_t ngroup;
    const char *regress[EGDI_REPORT_MAX_MODELS];
    size_t nregress;
} report_args;

static int report_handle(int c, const char *arg, void *ud)
{
    report_args *a = ud;
    switch (c) {
    case OPT_OUTPUT:
        a->dir = arg;
        return 1;
    case OPT_PROFILE:
        a->profile = arg;
        return 1;
    case OPT_GROUP:
        if (a->ngroup == EGDI_REPORT_MAX_GROUPS)
            return cli_usage(CMD_REPORT, "--group given more than %d times",
                             EGDI_REPORT_MAX_GROUPS);
        a->group[a->ngroup++] = arg;
        return 1;
    case OPT_REGRESS:
        if (a->nregress == EGDI_REPORT_MAX_MODELS)
            return cli_usage(CMD_REPORT, "--regress given more than %d times",
                             EGDI_REPORT_MAX_MODELS);
        a->regress[a->nregress++] = arg;
        return 1;
    default:
        return 0;
    }
}

/* Splits "Y ~ X1 + X2" (or "Y ~ X1, X2") into y and the predictors: *names
 * (one block, free(*names)) holds y first, then the predictors. */
static bool split_formula(const char *f, char ***names, size_t *n)
{
    const char *tilde = strchr(f, '~');
    if (!tilde || strchr(tilde + 1, '~'))
        return false;
    size_t len = strlen(f);
    char *buf = malloc(len + 1);
    if (!buf)
        return false;
    memcpy(buf, f, len + 1);
    buf[tilde - f] = ',';
    for (char *q = buf; *q; q++)
        if (*q == '+')
            *q = ',';
    bool ok = survey_split_list(buf, names, n) && *n >= 2;
    free(buf);
    return ok;
}

static int run_report(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    report_args a = {0};
    int rc = survey_getopt(argc, argv, &survey_cmd_report, CMD_REPORT, &o, report_handle, &a);
    if (rc != CLI_OK)
        return rc;
    if (!a.dir)
        return cli_usage(CMD_REPORT, "needs -o DIR");
    char **cols = NULL, **glist[EGDI_REPORT_MAX_GROUPS] = {NULL},
         **mlist[EGDI_REPORT_MAX_MODELS] = {NULL};
    size_t ncols = 0, ng[EGDI_REPORT_MAX_GROUPS] = {0}, nm[EGDI_REPORT_MAX_MODELS] = {0};
    const char *groups[EGDI_REPORT_MAX_GROUPS], **keep = NULL;
    egdi_report_regression models[EGDI_REPORT_MAX_MODELS];
    size_t ngroups = 0, nkeep = 0;
    egdi_dataset *ds = NULL;
    egdi_report_bundle *b = NULL;
    if (a.profile && !survey_split_list(a.profile, &cols, &ncols)) {
        rc = cli_usage(CMD_REPORT, "--profile names a list of columns, not '%s'", a.profile);
        goto done;
    }
    for (size_t k = 0; k < a.ngroup; k++) {
        if (!survey_split_list(a.group[k], &glist[k], &ng[k])) {
            rc = cli_usage(CMD_REPORT, "--group names a column (or a list), not '%s'", a.group[k]);
            goto done;
        }
        for (size_t j = 0; j < ng[k]; j++) {
            if (ngroups == EGDI_REPORT_MAX_GROUPS) {
                rc = cli_usage(CMD_REPORT, "more than %d --group columns",
                               EGDI_REPORT_MAX_GROUPS);
                goto done;
            }
            groups[ngroups++] = glist[k][j];
        }
    }
    for (size_t k = 0; k < a.nregress; k++) {
        if (!split_formula(a.regress[k], &mlist[k], &nm[k])) {
            rc = cli_usage(CMD_REPORT, "--regress wants a model \"Y ~ X1 + X2\", not '%s'",
                           a.regress[k]);
            goto done;
        }
        models[k] = (egdi_report_regression){mlist[k][0], (const char *const *)mlist[k] + 1,
                                             nm[k] - 1};
    }
    /* the columns whose text is kept: the profile's, the groups', the
     * predictors' (a column of text enters as dummies) */
    size_t cap = ncols + ngroups;
    for (size_t k = 0; k < a.nregress; k++)
        cap += nm[k];
    if (!(keep = malloc((cap ? cap : 1) * sizeof *keep))) {
        rc = cli_fail(CMD_REPORT, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < ncols; j++)
        keep[nkeep++] = cols[j];
    for (size_t j = 0; j < ngroups; j++)
        keep[nkeep++] = groups[j];
    for (size_t k = 0; k < a.nregress; k++)
        for (size_t j = 1; j < nm[k]; j++)
            keep[nkeep++] = mlist[k][j];
    if ((rc = survey_open(&o, CMD_REPORT, keep, nkeep, &ds)) != CLI_OK)
        goto done;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_report_lang lang = o.lang == CLI_EN ? EGDI_REPORT_EN : EGDI_REPORT_ZH;
    const char *name = o.data.survey ? o.data.survey : ds->source;
    egdi_report_paper_opts po = {(const char *const *)cols, ncols, groups, ngroups, models,
                                 a.nregress};
    if (egdi_report_build_survey(ds, name, &po, lang, &b, &err) != EGDI_OK) {
        rc = survey_error(CMD_REPORT, &err);
    } else {
        const egdi_report_survey *sv = egdi_report_bundle_data(b)->survey;
        if (egdi_paper_write(sv, lang, a.dir, &err) != EGDI_OK) {
            rc = cli_report(CMD_REPORT, &err);
        } else {
            printf(cli_tr("%zu tables of %s written to %s/: tables.html, tables.xlsx, csv/, "
                          "json/\n"),
                   sv->ntables, name, a.dir);
            for (size_t k = 0; k < sv->nomitted; k++)
                printf("%s %s\n", lang == EGDI_REPORT_EN ? "not produced:" : "未生成：",
                       sv->omitted[k]);
        }
    }
done:
    egdi_report_bundle_free(b);
    egdi_dataset_free(ds);
    free(cols);
    free(keep);
    for (size_t k = 0; k < EGDI_REPORT_MAX_GROUPS; k++)
        free(glist[k]);
    for (size_t k = 0; k < EGDI_REPORT_MAX_MODELS; k++)
        free(mlist[k]);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD_REPORT);
    return rc;
}

const cli_command survey_cmd_report = {
    .name = "report",
    .run = run_report,
    .summary = "every table of a survey for a thesis: three-line HTML, XLSX, CSV and JSON",
    .usage = "--survey NAME|--data FILE [--scales FILE] [--profile LIST] [--group COLUMN]... "
             "[--regress \"Y ~ X1 + X2\"]... -o DIR [OPTIONS]",
    .options = report_options,
    .common = survey_common_options,
    .notes = "The sample profile (--profile), descriptives, item analysis, reliability, KMO and Bartlett, EFA, CFA and validity "
             "(when the survey has dimensions), the scales' correlations, the scale scores by "
             "each --group (t-test or ANOVA) and each --regress model; tables not produced are "
             "listed with the option that produces them; p stays a number with "
             "a separate significance column; CSV files carry a UTF-8 BOM.",
};
