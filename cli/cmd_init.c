/*
 * cmd_init.c - `egdi init`: create the store, or upgrade an older one.
 */
#include "cli/cli.h"
#include "engine/store/store.h"

#include <unistd.h>

int cmd_init(int argc, char **argv, cli_ctx *ctx)
{
    if (argc > 1)
        return cli_usage("init", "unexpected argument '%s'", argv[1]);
    bool existed = access(ctx->db_path, F_OK) == 0;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s;
    if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_CREATE, &err) != EGDI_OK)
        return cli_report("init", &err);
    int found = egdi_store_found_version(s);
    egdi_store_close(s);
    if (!existed)
        printf("created store %s (schema version %d)\n", ctx->db_path, EGDI_SCHEMA_VERSION);
    else if (found < EGDI_SCHEMA_VERSION)
        printf("upgraded store %s from schema version %d to %d\n", ctx->db_path, found,
               EGDI_SCHEMA_VERSION);
    else
        printf("store %s is up to date (schema version %d)\n", ctx->db_path,
               EGDI_SCHEMA_VERSION);
    return cli_finish_output("init");
}
