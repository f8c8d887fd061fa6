/*
 * cmd_report.c - `egdi report --round YEAR -o DIR [--lang zh|en]
 * [--compare YEAR] [--model NAME] [--survey NAME] [--no-charts]`: writes
 * DIR/report.xlsx, DIR/report.html and DIR/charts/ for a scored round.
 */
#include "cli/report_cli.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

int report_write_dir(egdi_store *s, const egdi_report_build_opts *o, const char *dir,
                     bool no_charts, const char *cmd, egdi_report_bundle **bundle)
{
    egdi_error err;
    egdi_error_clear(&err);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cli_fail(cmd, "%s: cannot create the directory: %s", dir, strerror(errno));
    egdi_report_bundle *b = NULL;
    if (egdi_report_build(s, o, &b, &err) != EGDI_OK)
        return cli_report(cmd, &err);
    egdi_report_options ro = {NULL, no_charts};
    egdi_report_result res;
    if (egdi_report_write(egdi_report_bundle_data(b), dir, &ro, &res, &err) != EGDI_OK) {
        egdi_report_bundle_free(b);
        return cli_report(cmd, &err);
    }
    const char *note = egdi_report_bundle_survey_note(b);
    if (note[0])
        fprintf(stderr, "egdi %s: no survey statistics in the report: %s\n", cmd, note);
    size_t drawn = 0;
    for (int k = 0; k < EGDI_CHART_COUNT; k++) {
        if (res.charts[k].state == EGDI_CHART_WRITTEN)
            drawn++;
        else if (res.charts[k].state == EGDI_CHART_SKIPPED)
            fprintf(stderr, "egdi %s: chart %s %s\n", cmd, egdi_chart_name((egdi_chart_kind)k),
                    res.charts[k].reason);
    }
    printf("report of round %d written to %s/: report.xlsx, report.html, charts/ "
           "(%zu charts as PNG and SVG)\n",
           o->round, dir, drawn);
    if (bundle)
        *bundle = b;
    else
        egdi_report_bundle_free(b);
    return CLI_OK;
}

int cmd_report(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"round", required_argument, NULL, 'r'},
        {"compare", required_argument, NULL, 'c'},
        {"lang", required_argument, NULL, 'l'},
        {"model", required_argument, NULL, 'm'},
        {"survey", required_argument, NULL, 's'},
        {"no-charts", no_argument, NULL, 'n'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    egdi_report_build_opts o = {0};
    o.program_version = EGDI_VERSION;
    const char *dir = NULL;
    bool no_charts = false;
    long v;
    cli_lang lang = CLI_ZH;
    int c;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
        case 'c':
            if (!cli_parse_long(optarg, 1900, 9999, &v))
                return cli_usage("report", "a round is a year, not '%s'", optarg);
            *(c == 'r' ? &o.round : &o.compare) = (int)v;
            break;
        case 'l':
            if (!cli_parse_lang(optarg, &lang))
                return cli_usage("report", "--lang is zh or en, not '%s'", optarg);
            break;
        case 'm': o.model = optarg; break;
        case 's': o.survey = optarg; break;
        case 'n': no_charts = true; break;
        case 'o': dir = optarg; break;
        default:
            return cli_usage("report", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (!o.round || !dir)
        return cli_usage("report", "needs --round YEAR and -o DIR");
    o.lang = lang == CLI_EN ? EGDI_REPORT_EN : EGDI_REPORT_ZH;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s;
    if (egdi_store_open(&s, ctx->db_path, 0, &err) != EGDI_OK)
        return cli_report("report", &err);
    int rc = report_write_dir(s, &o, dir, no_charts, "report", NULL);
    egdi_store_close(s);
    return rc == CLI_OK ? cli_finish_output("report") : rc;
}
