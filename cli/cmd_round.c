/*
 * cmd_round.c - `egdi round delete YEAR`: removes a round from the store,
 * with its imports (their values, missing values and respondents), its
 * surveys and its score runs, in one transaction (engine/store/undo.h).
 * Prints what went.  JSON: round, imports, observations, missing,
 * respondents, surveys, score_runs.
 */
#include "cli/cli.h"
#include "engine/store/undo.h"

#include <string.h>

#define CMD "round"

enum { OPT_FORMAT };

static const cli_option options[] = {
    {OPT_FORMAT, "format", 0, "table|json", "what was removed, as text (default) or JSON"},
    {0, NULL, 0, NULL, NULL},
};

static const cli_operand operands[] = {
    {"delete YEAR", "removes round YEAR: its imports with their values, missing values and "
                    "respondents, its surveys and its score runs"},
    {NULL, NULL},
};

static int run(int argc, char **argv, cli_ctx *ctx)
{
    cli_format fmt = CLI_TABLE;
    cli_getopt g;
    const char *arg;
    int c;
    if (cli_getopt_init(&g, CMD, options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0)
        if (c == OPT_FORMAT && !cli_parse_format(arg, &fmt))
            return cli_usage(CMD, "unknown format '%s'", arg);
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (argc - optind != 2 || strcmp(argv[optind], "delete") != 0)
        return cli_usage(CMD, "expected 'delete YEAR'");
    long year;
    if (!cli_parse_long(argv[optind + 1], 1900, 9999, &year))
        return cli_usage(CMD, "delete takes a year, not '%s'", argv[optind + 1]);
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
    egdi_store_undone u;
    memset(&u, 0, sizeof u);
    int rc;
    if (egdi_store_open(&s, ctx->db_path, 0, &err) ||
        egdi_store_undo_round(s, (int)year, &u, &err)) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    if (fmt == CLI_JSON) {
        json_t *j = json_pack("{s:i,s:I,s:I,s:I,s:I,s:I,s:I}", "round", (int)year, "imports",
                              (json_int_t)u.batches, "observations", (json_int_t)u.observations,
                              "missing", (json_int_t)u.missing, "respondents",
                              (json_int_t)u.respondents, "surveys", (json_int_t)u.surveys,
                              "score_runs", (json_int_t)u.score_runs);
        cli_json_print(j, stdout);
        json_decref(j);
    } else if (cli_lang_now() == CLI_ZH)
        printf("已删除 %ld 年度：%zu 次导入、%zu 个数值、%zu 个缺失值、%zu 名受访者、%zu 份问卷、"
               "%zu 个评分记录\n",
               year, u.batches, u.observations, u.missing, u.respondents, u.surveys,
               u.score_runs);
    else
        printf("deleted round %ld: %zu import%s, %zu values, %zu missing values, %zu "
               "respondents, %zu survey%s, %zu score run%s\n",
               year, u.batches, u.batches == 1 ? "" : "s", u.observations, u.missing,
               u.respondents, u.surveys, u.surveys == 1 ? "" : "s", u.score_runs,
               u.score_runs == 1 ? "" : "s");
    rc = cli_finish_output(CMD);
done:
    egdi_store_undone_release(&u);
    egdi_store_close(s);
    return rc;
}

const cli_command cmd_round = {
    .name = CMD,
    .run = run,
    .summary = "delete a round from the store (a mistaken import into the wrong year)",
    .usage = "delete YEAR [--format table|json]",
    .operands = operands,
    .options = options,
    .notes = "Everything of the round goes in one transaction; the units stay.  To take back a "
             "single import, use 'egdi import undo BATCH'.",
};
