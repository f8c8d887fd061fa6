/*
 * survey_report.c - `egdi survey report --survey NAME [--scales FILE] -o DIR`:
 * the researcher's paper tables of one survey (issue 17) - the sample
 * profile (--profile), descriptives,
 * item analysis, reliability, KMO and Bartlett, the EFA, the CFA and its
 * validity tables, the scales' correlations - as three-line tables
 * (DIR/tables.html), one titled sheet each (DIR/tables.xlsx) and one
 * CSV (UTF-8 with a BOM) and JSON file per table (DIR/csv/, DIR/json/).
 * The tables come from reports/report_build.c (egdi_report_build_survey,
 * the same tables the yearly report shows); the files from reports/paper.c.
 */
#include "cli/survey_cli.h"

#include <stdlib.h>

#include "reports/report.h"
#include "reports/report_build.h"

#define CMD_REPORT SURVEY_CMD("report")

enum { OPT_OUTPUT, OPT_PROFILE };

static const cli_option report_options[] = {
    {OPT_OUTPUT, "output", 'o', "DIR", "where to write the tables (created when missing)"},
    {OPT_PROFILE, "profile", 0, "LIST",
     "demographic columns for the sample profile table first, e.g. 性别,年龄段"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    const char *dir;
    const char *profile;
} report_args;

static int report_handle(int c, const char *arg, void *ud)
{
    report_args *a = ud;
    if (c == OPT_OUTPUT) {
        a->dir = arg;
        return 1;
    }
    if (c == OPT_PROFILE) {
        a->profile = arg;
        return 1;
    }
    return 0;
}

static int run_report(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    report_args a = {NULL, NULL};
    int rc = survey_getopt(argc, argv, &survey_cmd_report, CMD_REPORT, &o, report_handle, &a);
    if (rc != CLI_OK)
        return rc;
    if (!a.dir)
        return cli_usage(CMD_REPORT, "needs -o DIR");
    char **cols = NULL;
    size_t ncols = 0;
    if (a.profile && !survey_split_list(a.profile, &cols, &ncols))
        return cli_usage(CMD_REPORT, "--profile names a list of columns, not '%s'", a.profile);
    egdi_dataset *ds = NULL;
    if ((rc = survey_open(&o, CMD_REPORT, (const char *const *)cols, ncols, &ds)) != CLI_OK) {
        free(cols);
        return rc;
    }
    egdi_error err;
    egdi_error_clear(&err);
    egdi_report_bundle *b = NULL;
    egdi_report_lang lang = o.lang == CLI_EN ? EGDI_REPORT_EN : EGDI_REPORT_ZH;
    const char *name = o.data.survey ? o.data.survey : ds->source;
    if (egdi_report_build_survey(ds, name, (const char *const *)cols, ncols, lang, &b, &err) !=
        EGDI_OK) {
        rc = survey_error(CMD_REPORT, &err);
    } else {
        const egdi_report_survey *sv = egdi_report_bundle_data(b)->survey;
        if (egdi_paper_write(sv, lang, a.dir, &err) != EGDI_OK)
            rc = cli_report(CMD_REPORT, &err);
        else
            printf("%zu tables of %s written to %s/: tables.html, tables.xlsx, csv/, json/\n",
                   sv->ntables, name, a.dir);
    }
    egdi_report_bundle_free(b);
    egdi_dataset_free(ds);
    free(cols);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD_REPORT);
    return rc;
}

const cli_command survey_cmd_report = {
    .name = "report",
    .run = run_report,
    .summary = "every table of a survey for a thesis: three-line HTML, XLSX, CSV and JSON",
    .usage = "--survey NAME|--data FILE [--scales FILE] [--profile LIST] -o DIR [OPTIONS]",
    .options = report_options,
    .common = survey_common_options,
    .notes = "The sample profile (--profile), descriptives, item analysis, reliability, KMO and Bartlett, EFA, CFA and validity "
             "(when the survey has dimensions), the scales' correlations; p stays a number with "
             "a separate significance column; CSV files carry a UTF-8 BOM.",
};
