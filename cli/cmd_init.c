/*
 * cmd_init.c - `egdi init`: create the store, or upgrade an older one.
 */
#include "cli/cli.h"
#include "engine/store/store.h"

#include <unistd.h>

static int run(int argc, char **argv, cli_ctx *ctx)
{
    cli_getopt g;
    const char *arg;
    if (cli_getopt_init(&g, "init", NULL, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    if (cli_getopt_next(&g, argc, argv, &arg) != CLI_OPT_END)
        return CLI_USAGE; /* it has no options: an error was printed */
    if (optind < argc)
        return cli_usage("init", "unexpected argument '%s'", argv[optind]);
    bool existed = access(ctx->db_path, F_OK) == 0;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s;
    if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_CREATE, &err) != EGDI_OK)
        return cli_report("init", &err);
    int found = egdi_store_found_version(s);
    egdi_store_close(s);
    if (!existed)
        printf(cli_tr("created store %s (schema version %d)\n"), ctx->db_path, EGDI_SCHEMA_VERSION);
    else if (found < EGDI_SCHEMA_VERSION)
        printf(cli_tr("upgraded store %s from schema version %d to %d\n"), ctx->db_path, found,
               EGDI_SCHEMA_VERSION);
    else
        printf(cli_tr("store %s is up to date (schema version %d)\n"), ctx->db_path,
               EGDI_SCHEMA_VERSION);
    return cli_finish_output("init");
}

const cli_command cmd_init = {
    .name = "init",
    .run = run,
    .summary = "create the store (or upgrade an older one)",
    .notes = "Creates the SQLite store named by --db, $EGDI_DB or ./egdi.db.",
};
