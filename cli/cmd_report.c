/*
 * cmd_report.c - `egdi report --round YEAR -o DIR [--lang zh|en]
 * [--compare YEAR] [--model NAME] [--survey NAME] [--no-charts]
 * [--scorecards] [--csv-cells N]`: writes DIR/report.xlsx, DIR/report.html
 * and DIR/charts/ for a scored round (and DIR/indicators.csv, matrix.csv,
 * sources.csv when it has more unit x indicator values than N); with
 * --scorecards also DIR/scorecards/.
 */
#include "cli/report_cli.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int report_write_dir(egdi_store *s, const egdi_report_build_opts *o, const char *dir,
                     bool no_charts, size_t csv_cells, const char *cmd, const cli_ctx *ctx,
                     egdi_report_bundle **bundle)
{
    egdi_error err;
    egdi_error_clear(&err);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cli_fail(cmd, "%s: cannot create the directory: %s", dir, strerror(errno));
    egdi_report_bundle *b = NULL;
    cli_progress pr;
    egdi_report_options ro = {NULL, no_charts, NULL};
    ro.progress = cli_progress_start(&pr, ctx, "writing the report", "rows");
    if (egdi_report_build(s, o, &b, &err) != EGDI_OK) {
        cli_progress_end(&pr);
        return cli_report(cmd, &err);
    }
    egdi_report_result res;
    egdi_report_data d = *egdi_report_bundle_data(b); /* (borrows the bundle's arrays) */
    d.csv_cells = csv_cells;
    egdi_status wst = egdi_report_write(&d, dir, &ro, &res, &err);
    cli_progress_end(&pr);
    if (wst != EGDI_OK) {
        egdi_report_bundle_free(b);
        return cli_report(cmd, &err);
    }
    const char *note = egdi_report_bundle_survey_note(b);
    if (note[0])
        fprintf(stderr, cli_tr("egdi %s: no survey statistics in the report: %s\n"), cmd,
                cli_msg(note));
    size_t drawn = 0;
    for (int k = 0; k < EGDI_CHART_COUNT; k++) {
        if (res.charts[k].state == EGDI_CHART_WRITTEN)
            drawn++;
        else if (res.charts[k].state == EGDI_CHART_SKIPPED && !no_charts)
            /* (with --no-charts none is drawn, as asked: the closing line
             * says 0, without a line a chart) */
            fprintf(stderr, cli_tr("egdi %s: chart %s %s\n"), cmd,
                    egdi_chart_name((egdi_chart_kind)k), cli_msg(res.charts[k].reason));
    }
    printf(cli_tr("report of round %d written to %s/: report.xlsx, report.html, charts/ "
                  "(%zu charts as PNG and SVG)\n"),
           o->round, dir, drawn);
    if (res.ncsv) {
        char list[256] = "";
        for (size_t i = 0; i < res.ncsv; i++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n, "%s%s", i ? cli_tr(", ") : "", res.csv[i]);
        }
        printf(cli_tr("  and the units x indicators tables as CSV files (more than %zu values): "
                      "%s\n"),
               csv_cells ? csv_cells : (size_t)EGDI_REPORT_CSV_CELLS, list);
    }
    if (bundle)
        *bundle = b;
    else
        egdi_report_bundle_free(b);
    return CLI_OK;
}

enum { OPT_ROUND, OPT_OUTPUT, OPT_COMPARE, OPT_LANG, OPT_MODEL, OPT_SURVEY, OPT_NO_CHARTS,
       OPT_SCORECARDS, OPT_CSV_CELLS };

static const cli_option options[] = {
    {OPT_ROUND, "round", 0, "YEAR", "a scored round (run 'egdi score' first)"},
    {OPT_OUTPUT, "output", 'o', "DIR", "where to write (created when missing)"},
    {OPT_COMPARE, "compare", 0, "YEAR",
     "a scored earlier round: previous rank, change, transitions"},
    {OPT_LANG, "lang", 0, "zh|en", "the report's language (default zh)"},
    {OPT_MODEL, "model", 0, "NAME", "the model's run (default: the round's latest run)"},
    {OPT_SURVEY, "survey", 0, "NAME", "the questionnaire to analyse (default: the round's)"},
    {OPT_NO_CHARTS, "no-charts", 0, NULL, "skip gnuplot (the workbook and page still come out)"},
    {OPT_SCORECARDS, "scorecards", 0, NULL,
     "also one page per department and per region in DIR/scorecards/ (HTML for A4, "
     "scorecards.xlsx)"},
    {OPT_CSV_CELLS, "csv-cells", 0, "N",
     "with more unit x indicator values than N (default 300000: 10,000 units x 30), the "
     "Indicators, Matrix and Sources tables are written whole as indicators.csv, matrix.csv "
     "and sources.csv beside the workbook, whose sheets then list the top 1,000 units"},
    {0, NULL, 0, NULL, NULL},
};

static int run(int argc, char **argv, cli_ctx *ctx)
{
    egdi_report_build_opts o = {0};
    o.program_version = EGDI_VERSION;
    const char *dir = NULL;
    bool no_charts = false, scorecards = false;
    size_t csv_cells = 0;
    long v;
    cli_lang lang = ctx->lang;
    cli_getopt g;
    const char *arg;
    int c;
    if (cli_getopt_init(&g, "report", options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        switch (c) {
        case OPT_ROUND:
        case OPT_COMPARE:
            if (!cli_parse_long(arg, 1900, 9999, &v))
                return cli_usage("report", "a round is a year, not '%s'", arg);
            *(c == OPT_ROUND ? &o.round : &o.compare) = (int)v;
            break;
        case OPT_LANG:
            if (!cli_parse_lang(arg, &lang))
                return cli_usage("report", "--lang is zh or en, not '%s'", arg);
            break;
        case OPT_MODEL: o.model = arg; break;
        case OPT_SURVEY: o.survey = arg; break;
        case OPT_NO_CHARTS: no_charts = true; break;
        case OPT_SCORECARDS: scorecards = true; break;
        case OPT_CSV_CELLS:
            if (!cli_parse_long(arg, 1, 1000000000, &v))
                return cli_usage("report", "--csv-cells is a count of values, not '%s'", arg);
            csv_cells = (size_t)v;
            break;
        case OPT_OUTPUT: dir = arg; break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind != argc)
        return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (!o.round || !dir)
        return cli_usage("report", "needs --round YEAR and -o DIR");
    o.lang = lang == CLI_EN ? EGDI_REPORT_EN : EGDI_REPORT_ZH;
    static const char *const files[] = {"report.xlsx",    "report.html", "report.sha256",
                                        "indicators.csv", "matrix.csv",  "sources.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char out[4096];
        int n = snprintf(out, sizeof out, "%s/%s", dir, files[i]);
        if (n > 0 && (size_t)n < sizeof out &&
            cli_check_output("report", "-o", out, &ctx->db_path, 1) != CLI_OK)
            return CLI_FAIL; /* the store itself must never be replaced */
    }
    egdi_error err;
    egdi_error_clear(&err);
    o.store_path = ctx->db_path;
    egdi_store *s;
    if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_SCAN, &err) != EGDI_OK)
        return cli_report("report", &err);
    egdi_report_bundle *b = NULL;
    int rc = report_write_dir(s, &o, dir, no_charts, csv_cells, "report", ctx,
                              scorecards ? &b : NULL);
    egdi_store_close(s);
    if (rc == CLI_OK && scorecards) {
        egdi_scorecard_result sr = {0};
        cli_progress pr;
        const egdi_progress *p = cli_progress_start(&pr, ctx, "writing the scorecards",
                                                    "pages and sheets");
        egdi_status st = egdi_scorecard_write(egdi_report_bundle_data(b), dir, p, &sr, &err);
        cli_progress_end(&pr);
        if (st != EGDI_OK)
            rc = cli_report("report", &err);
        else
            printf(cli_tr("scorecards of %zu departments and %zu regions written to "
                          "%s/scorecards/: index.html, one page each, scorecards.xlsx\n"),
                   sr.units, sr.regions, dir);
    }
    egdi_report_bundle_free(b);
    return rc == CLI_OK ? cli_finish_output("report") : rc;
}

const cli_command cmd_report = {
    .name = "report",
    .run = run,
    .summary = "write the yearly report: report.xlsx, charts (PNG, SVG) and report.html",
    .usage = "--round YEAR -o DIR [--compare YEAR] [--lang zh|en] [OPTIONS]",
    .options = options,
    .notes = "Files are written to a staging directory and renamed into place when complete.",
};
