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

enum { OPT_DB, OPT_HELP, OPT_VERSION };

static const cli_option program_options[] = {
    {OPT_DB, "db", 0, "FILE", "the store (default $EGDI_DB, else ./egdi.db)"},
    {OPT_HELP, "help", 'h', NULL, "this help"},
    {OPT_VERSION, "version", 'V', NULL, "the program's version"},
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

    cli_getopt g;
    if (cli_getopt_init(&g, NULL, program_options, NULL, CLI_GETOPT_STOP) != CLI_OK)
        return CLI_FAIL;
    const char *arg;
    int id;
    while ((id = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        switch (id) {
        case OPT_DB:
            ctx.db_path = arg;
            ctx.db_given = true;
            break;
        case OPT_HELP:
            cli_help_print(stdout, NULL, &program);
            return cli_finish_output(NULL);
        case OPT_VERSION:
            printf("egdi %s\n", EGDI_VERSION);
            return cli_finish_output(NULL);
        }
    }
    if (id == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind >= argc) {
        cli_help_print(stderr, NULL, &program);
        return CLI_USAGE;
    }
    const cli_command *cmd = cli_command_find(&program, argv[optind]);
    if (!cmd)
        return cli_usage(NULL, "unknown command '%s'", argv[optind]);
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    if (wants_help(sub_argc, sub_argv)) {
        /* `egdi survey alpha --help`: the subcommand's own help */
        const cli_command *sub = cmd->subs && sub_argc > 1 ? cli_command_find(cmd, sub_argv[1])
                                                           : NULL;
        cli_help_print(stdout, sub ? cmd : NULL, sub ? sub : cmd);
        return cli_finish_output(cmd->name);
    }
    return cmd->run(sub_argc, sub_argv, &ctx);
}
