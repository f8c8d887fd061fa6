/*
 * main.c - the egdi program: global options, then a command from the table.
 *
 *   egdi [--db FILE] COMMAND [ARGS...]
 *
 * Each command lives in its own file (cmd_*.c) and parses its own options
 * with getopt_long.  `egdi --help` and `egdi COMMAND --help` are generated
 * from the table below.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/survey_help.h"

int cmd_init(int argc, char **argv, cli_ctx *ctx);
int cmd_status(int argc, char **argv, cli_ctx *ctx);
int cmd_import(int argc, char **argv, cli_ctx *ctx);
int cmd_model(int argc, char **argv, cli_ctx *ctx);
int cmd_rank(int argc, char **argv, cli_ctx *ctx);
int cmd_score(int argc, char **argv, cli_ctx *ctx);
int cmd_explain(int argc, char **argv, cli_ctx *ctx);
int cmd_survey(int, char **, cli_ctx *);
int cmd_report(int argc, char **argv, cli_ctx *ctx);
int cmd_demo(int argc, char **argv, cli_ctx *ctx);

const cli_command cli_commands[] = {
    {"init", cmd_init, "", "create the store (or upgrade an older one)",
     "  Creates the SQLite store named by --db, $EGDI_DB or ./egdi.db.\n"},
    {"status", cmd_status, "[--format table|csv|json]", "say what the store holds",
     "  --format F   table (default), csv or json\n"},
    {"import", cmd_import, "units|metrics|survey FILE [options]",
     "import units, indicator metrics or survey responses from XLSX or CSV",
     "  units FILE               columns code, name, kind (department|region),\n"
     "                           parent (a region code), level\n"
     "  metrics FILE --round Y   wide (unit, then a column per indicator code) or\n"
     "                           long (unit, indicator, value); --layout wide|long\n"
     "  survey FILE --survey NAME [--round Y] [--items LIST] [--scale MIN-MAX]\n"
     "                           [--reverse LIST] [--labels FILE] [--id COL]\n"
     "                           [--scales FILE]  (rows scale,item,reversed: dimensions)\n"
     "  --sheet NAME|N           sheet by name or 1-based index (XLSX)\n"
     "  --encoding auto|utf-8|gbk  text encoding of a CSV file (default auto)\n"
     "  --rejects FILE           also write the rejected cells as CSV\n"
     "  --skip-bad-rows          import the good rows, list the rest\n"
     "  --replace                replace an earlier import of the same file\n"
     "  --format table|json      the summary as text (default) or JSON\n"
     "  --max-unzipped 4G  --max-ratio 1000  XLSX zip-bomb limits\n"
     "  A file is imported whole or not at all; every rejected cell is listed\n"
     "  with its sheet, row, column, value and reason.\n"},
    {"model", cmd_model, "list | show NAME|FILE | check FILE | weights ahp|entropy|equal ...",
     "list, show and check evaluation models; derive weights",
     "  list                       the built-in models (jiangsu is the default)\n"
     "  show NAME|FILE             the indicator tree with weights and effective weights\n"
     "  check FILE                 every problem of a model table, one line each\n"
     "  weights ahp MATRIX.csv     AHP weights with lambda_max, CI, CR (Saaty's RI);\n"
     "                             CR > 0.10 is refused\n"
     "  weights entropy --round YEAR --parent CODE   entropy weights from the store\n"
     "  weights equal --parent CODE                  1/k for each of k children\n"
     "  --model NAME|FILE          the model (default jiangsu)\n"
     "  --write OUT.csv            with --parent: write a copy of the model with the weights\n"
     "  --format table|csv|json    --lang zh|en (show)\n"},
    {"score", cmd_score, "--round YEAR [--model NAME|FILE]",
     "score a round with a model and store every score",
     "  --round YEAR               the round whose observations are scored\n"
     "  --model NAME|FILE          the model (default jiangsu)\n"
     "  --format table|csv|json    the summary\n"
     "  Stores every indicator score, sub-index, EGDI, stage and rank with the model's\n"
     "  name, version and SHA-256 and the inputs' SHA-256, in one transaction; a new\n"
     "  run replaces an earlier run of the same model and round.\n"},
    {"explain", cmd_explain, "UNIT --round YEAR [--model NAME]", "show how a unit's EGDI was built",
     "  --round YEAR               the scored round\n"
     "  --model NAME|FILE          the model's run (default: the latest run)\n"
     "  --format table|csv|json    --lang zh|en\n"},
    {"rank", cmd_rank,
     "--round YEAR [--kind K] [--within REGION] [--compare YEAR] | --data FILE [--model M]",
     "rank units by EGDI with their stage",
     "  --round YEAR               the stored scores of a round (run 'egdi score' first)\n"
     "  --kind department|region   only units of that kind (default department)\n"
     "  --within REGION            only the departments of a region\n"
     "  --compare YEAR             previous rank, change, previous stage, transitions\n"
     "  --data FILE                rank straight from a table whose headers are indicator\n"
     "                             or component codes (e.g. published OSI, TII, HCI)\n"
     "  --model NAME|FILE          the model (default: the run's, or jiangsu for --data)\n"
     "  --id COL  --name COL       the id and name columns of --data\n"
     "  --sheet NAME|N             sheet of an XLSX --data file\n"
     "  --rank-digits N            rank the score rounded to N decimals (ties share the\n"
     "                             best rank: 1, 2, 2, 4)\n"
     "  --format table|csv|json    --lang zh|en\n"},
    {"survey", cmd_survey, "SUBCOMMAND --data FILE | --survey NAME [OPTIONS]",
     "questionnaire statistics: describe, items, alpha, ttest, anova, kmo, efa", SURVEY_HELP},
    {"report", cmd_report, "--round YEAR -o DIR [--lang zh|en] [--compare YEAR]",
     "write the yearly report: report.xlsx, charts (PNG, SVG) and report.html",
     "  --round YEAR               a scored round (run 'egdi score' first)\n"
     "  -o, --output DIR           where to write (created when missing)\n"
     "  --compare YEAR             a scored earlier round: previous rank, change, transitions\n"
     "  --lang zh|en               the report's language (default zh)\n"
     "  --model NAME               the model's run (default: the round's latest run)\n"
     "  --survey NAME              the questionnaire to analyse (default: the round's)\n"
     "  --no-charts                skip gnuplot (the workbook and page still come out)\n"
     "  Files are written to a staging directory and renamed into place when complete.\n"},
    {"demo", cmd_demo, "[-o DIR] [--lang zh|en]",
     "run the yearly job end to end on the built-in sample",
     "  -o, --output DIR           where to write (default demo-out): data/ (the sample\n"
     "                             spreadsheets), egdi.db (a fresh store), report/\n"
     "  --lang zh|en               the language of the tables and the report\n"},
    {NULL, NULL, NULL, NULL, NULL},
};

const cli_command *cli_find(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void cli_print_help(FILE *out, const cli_command *c)
{
    fprintf(out, "usage: egdi [--db FILE] %s %s\n\n%s.\n\n%s", c->name, c->usage,
            c->summary, c->help ? c->help : "");
}

static void print_main_help(FILE *out)
{
    fprintf(out, "usage: egdi [--db FILE] COMMAND [ARGS...]\n\n"
                 "e-government development-level evaluation engine\n\n"
                 "commands:\n");
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\noptions:\n"
                 "  --db FILE     the store (default $EGDI_DB, else ./egdi.db)\n"
                 "  --help        this help; `egdi COMMAND --help` for a command\n"
                 "  --version     the program's version\n");
}

static int vfail(const char *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "egdi%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    return CLI_FAIL;
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(cmd, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_FAIL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(cmd, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try 'egdi %s --help')\n", cmd ? cmd : "");
    return CLI_USAGE;
}

int cli_report(const char *cmd, const egdi_error *err)
{
    char line[EGDI_ERR_MSG_MAX + EGDI_ERR_FILE_MAX + EGDI_ERR_SHEET_MAX + 64];
    egdi_error_format(err, line, sizeof line);
    return cli_fail(cmd, "%s", line);
}

bool cli_parse_format(const char *s, cli_format *out)
{
    if (strcmp(s, "table") == 0)
        *out = CLI_TABLE;
    else if (strcmp(s, "csv") == 0)
        *out = CLI_CSV;
    else if (strcmp(s, "json") == 0)
        *out = CLI_JSON;
    else
        return false;
    return true;
}

bool cli_parse_lang(const char *s, cli_lang *out)
{
    if (strcmp(s, "zh") == 0)
        *out = CLI_ZH;
    else if (strcmp(s, "en") == 0)
        *out = CLI_EN;
    else
        return false;
    return true;
}

bool cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!*s)
        return false;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool cli_parse_double(const char *s, double *out)
{
    char *end;
    if (!*s)
        return false;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

int cli_finish_output(const char *cmd)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_fail(cmd, "cannot write the output: %s", strerror(errno));
    return CLI_OK;
}

int main(int argc, char **argv)
{
    /* UTF-8 for display widths; numbers keep the C locale. */
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "");
    gsl_set_error_handler_off();

    cli_ctx ctx = {0};
    const char *env = getenv("EGDI_DB");
    ctx.db_path = (env && *env) ? env : "egdi.db";
    ctx.db_given = env && *env;

    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            ctx.db_path = optarg;
            ctx.db_given = true;
            break;
        case 'h':
            print_main_help(stdout);
            return cli_finish_output(NULL);
        case 'V':
            printf("egdi %s\n", EGDI_VERSION);
            return cli_finish_output(NULL);
        default:
            return cli_usage(NULL, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        print_main_help(stderr);
        return CLI_USAGE;
    }
    const cli_command *cmd = cli_find(argv[optind]);
    if (!cmd)
        return cli_usage(NULL, "unknown command '%s'", argv[optind]);
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    for (int i = 1; i < sub_argc; i++) {
        if (strcmp(sub_argv[i], "--") == 0)
            break;
        if (strcmp(sub_argv[i], "--help") == 0 || strcmp(sub_argv[i], "-h") == 0) {
            cli_print_help(stdout, cmd);
            return cli_finish_output(cmd->name);
        }
    }
    optind = 0; /* reset getopt for the command (glibc: full re-init) */
    opterr = 0;
    return cmd->run(sub_argc, sub_argv, &ctx);
}
