/*
 * main.c - the egdi program: its own options, then a command from the
 * table.
 *
 *   egdi [--db FILE] COMMAND [ARGS...]
 *
 * Each command lives in its own file (cmd_*.c) as a cli_command: its
 * option table, summary, usage and notes, and the function that runs it.
 * `egdi --help`, `egdi COMMAND --help` and `egdi COMMAND SUBCOMMAND --help`
 * are printed from those tables (options.c), here, before the command runs.
 */
#include "cli/cli.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

extern const cli_command cmd_init, cmd_status, cmd_import, cmd_model, cmd_score, cmd_explain,
    cmd_rank, cmd_survey, cmd_report, cmd_demo, cmd_round, cmd_uncertainty, cmd_sensitivity;

/* The commands, in the order `egdi --help` lists them. */
static const cli_command *const commands[] = {
    &cmd_init,  &cmd_status, &cmd_import, &cmd_model,  &cmd_score,
    &cmd_explain, &cmd_rank, &cmd_survey, &cmd_report, &cmd_demo, &cmd_round,
    &cmd_uncertainty, &cmd_sensitivity, NULL,
};

enum { OPT_DB, OPT_LANG, OPT_FORMAT, OPT_QUIET, OPT_HELP, OPT_VERSION, OPT_BOM };

static const cli_option program_options[] = {
    {OPT_DB, "db", 0, "FILE",
     "the store (default $EGDI_DB, else ./egdi.db); also after the command"},
    {OPT_LANG, "lang", 0, "zh|en",
     "the language of tables, notes and names (default $EGDI_LANG, else the locale: en for an "
     "English locale, else zh); also after the command"},
    {OPT_FORMAT, "format", 0, "table|csv|json",
     "the output of a command that has --format (as if given after it)"},
    {OPT_QUIET, "quiet", 0, NULL,
     "no progress line (shown on a terminal for a job that runs over a second); also after "
     "the command"},
    {OPT_HELP, "help", 'h', NULL, "this help"},
    {OPT_VERSION, "version", 'V', NULL, "the program's version"},
    {OPT_BOM, "bom", 0, NULL,
     "start CSV output with a UTF-8 BOM (Excel on a Chinese Windows reads it right); also "
     "after the command"},
    {0, NULL, 0, NULL, NULL},
};

static const cli_command program = {
    .summary = "e-government development-level evaluation engine",
    .usage = "COMMAND [ARGS...]",
    .options = program_options,
    .subs = commands,
};

/* True when argv[1..argc) asks for help (before a "--"). */
static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    }
    return false;
}

/* The language of the locale's messages: en when it names English, else zh
 * (the tool's first language; "C" and "POSIX" included). */
static cli_lang locale_lang(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "en", 2) == 0 ? CLI_EN : CLI_ZH;
    }
    return CLI_ZH;
}

/*
 * When argv[*i] is the global option `name` ("--db FILE" or "--db=FILE"),
 * sets *value and moves *i past it; 1 when it was, 0 when not, -1 (after the
 * usage error) when its value is missing.
 */
static int global_option(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
        return 0;
    if (a[2 + n] == '=') {
        *value = a + 3 + n;
        return 1;
    }
    if (a[2 + n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_usage(NULL, "option '--%s' needs a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

int main(int argc, char **argv)
{
    /* UTF-8 for display widths; numbers keep the C locale. */
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "");
    gsl_set_error_handler_off();
    cli_stderr_filter();

    cli_ctx ctx = {0};
    const char *env = getenv("EGDI_DB");
    ctx.db_path = (env && *env) ? env : "egdi.db";
    ctx.db_given = env && *env;
    ctx.lang = locale_lang();
    const char *lenv = getenv("EGDI_LANG");
    if (lenv && *lenv && !cli_parse_lang(lenv, &ctx.lang))
        return cli_usage(NULL, "EGDI_LANG is zh or en, not '%s'", lenv);
    /* --lang anywhere wins: look for it before anything is printed */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *v = NULL;
        if (strncmp(argv[i], "--lang=", 7) == 0)
            v = argv[i] + 7;
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            v = argv[i + 1];
        cli_lang l;
        if (v && cli_parse_lang(v, &l))
            ctx.lang = l;
    }
    cli_lang_use(ctx.lang);

    /*
     * The global options --db and --lang are taken wherever they stand
     * (before a "--"); --format before the command goes to the command.
     * What is left is the command's argv: its name, then its arguments.
     */
    char **av = malloc(((size_t)argc + 3) * sizeof *av);
    if (!av)
        return cli_fail(NULL, "out of memory");
    int ac = 0, rc = CLI_USAGE;
    const char *format = NULL;
    bool rest = false; /* after "--": operands only */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int g = 0;
        if (!rest && strcmp(a, "--") == 0)
            rest = true;
        if (!rest && strcmp(a, "--bom") == 0) { /* a flag: CSV output gets a UTF-8 BOM */
            cli_csv_bom(true);
            continue;
        }
        if (!rest && (g = global_option(argc, argv, &i, "db", &v)) == 1) {
            ctx.db_path = v;
            ctx.db_given = true;
            continue;
        }
        if (!rest && g == 0 && (g = global_option(argc, argv, &i, "lang", &v)) == 1) {
            if (!cli_parse_lang(v, &ctx.lang)) {
                rc = cli_usage(ac ? av[0] : NULL, "--lang is zh or en, not '%s'", v);
                goto done;
            }
            cli_lang_use(ctx.lang);
            continue;
        }
        if (!rest && g == 0 && strcmp(a, "--quiet") == 0) {
            ctx.quiet = true;
            continue;
        }
        if (!rest && ac == 0 && g == 0 && (g = global_option(argc, argv, &i, "format", &v)) == 1) {
            format = v;
            continue;
        }
        if (g < 0)
            goto done;
        if (ac == 0 && !rest && a[0] == '-') {
            if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                cli_help_print(stdout, NULL, &program);
                rc = cli_finish_output(NULL);
                goto done;
            }
            if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
                printf("egdi %s\n", EGDI_VERSION);
                rc = cli_finish_output(NULL);
                goto done;
            }
            const char *names[] = {"db", "lang", "format", "quiet", "help", "version", "bom"};
            const char *near = strncmp(a, "--", 2) == 0 ? cli_suggest(a + 2, names, 7) : NULL;
            if (near)
                rc = cli_usage(NULL, "unknown option '%s'; did you mean '--%s'?", a, near);
            else
                rc = cli_usage(NULL, "unknown option '%s'", a);
            goto done;
        }
        if (rest && ac == 0 && strcmp(a, "--") == 0)
            continue;
        av[ac++] = argv[i];
    }
    if (ac == 0) {
        cli_help_print(stderr, NULL, &program);
        goto done;
    }
    const cli_command *cmd = cli_command_find(&program, av[0]);
    if (!cmd) {
        rc = cli_unknown_command(&program, av[0]);
        goto done;
    }
    if (format) {
        /* as if it followed the command's other options (before a "--") */
        int at = 1;
        while (at < ac && strcmp(av[at], "--") != 0)
            at++;
        memmove(av + at + 2, av + at, (size_t)(ac - at) * sizeof *av);
        av[at] = "--format";
        av[at + 1] = (char *)format;
        ac += 2;
    }
    av[ac] = NULL;
    if (wants_help(ac, av)) {
        /* `egdi survey alpha --help`: the subcommand's own help */
        const cli_command *sub = cmd->subs && ac > 1 ? cli_command_find(cmd, av[1]) : NULL;
        cli_help_print(stdout, sub ? cmd : NULL, sub ? sub : cmd);
        rc = cli_finish_output(cmd->name);
        goto done;
    }
    rc = cmd->run(ac, av, &ctx);
done:
    free(av);
    return rc;
}
