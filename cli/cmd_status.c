/*
 * cmd_status.c - `egdi status`: what the store holds, as a table of
 * (what, count, detail) rows; JSON keys: schema_version, units
 * {department, region}, rounds [{year, observations, units}], imports,
 * surveys [{name, round, respondents, items}], models, score_runs.
 */
#include "cli/cli.h"
#include "engine/store/status.h"
#include "engine/store/store.h"

#include <string.h>

/* The rows of the table and the keys of the JSON, from the counts. */
static void add_counts(const egdi_store_counts *n, json_t *j, cli_table *t, cli_format fmt)
{
    const struct {
        const char *key, *label;
        int64_t n;
    } rows[] = {
        {"departments", "departments", n->departments},
        {"regions", "regions", n->regions},
        {"observations", "observations", n->observations},
        {"imports", "import batches", n->imports},
        {"models", "model versions", n->models},
        {"score_runs", "score runs", n->score_runs},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        json_object_set_new(j, rows[i].key, json_integer((json_int_t)rows[i].n));
        cli_table_cell(t, cli_trv(fmt, rows[i].label));
        cli_table_cellf(t, "%lld", (long long)rows[i].n);
        cli_table_cell(t, "");
        cli_table_end_row(t);
    }
    json_t *arr = json_array();
    json_object_set_new(j, "rounds", arr);
    for (size_t i = 0; i < n->nrounds; i++) {
        const egdi_store_round_counts *r = &n->rounds[i];
        json_array_append_new(arr, json_pack("{s:i,s:I,s:I}", "year", r->year, "observations",
                                             (json_int_t)r->observations, "units",
                                             (json_int_t)r->units));
        cli_table_cellf(t, cli_trv(fmt, "round %d"), r->year);
        cli_table_cellf(t, "%lld", (long long)r->observations);
        cli_table_cellf(t, cli_trv(fmt, "observations of %lld units"), (long long)r->units);
        cli_table_end_row(t);
    }
    arr = json_array();
    json_object_set_new(j, "surveys", arr);
    for (size_t i = 0; i < n->nsurveys; i++) {
        const egdi_store_survey_counts *v = &n->surveys[i];
        json_t *o = json_pack("{s:s,s:I,s:I}", "name", v->name, "respondents",
                              (json_int_t)v->respondents, "items", (json_int_t)v->items);
        json_object_set_new(o, "round", v->round ? json_integer(v->round) : json_null());
        json_array_append_new(arr, o);
        cli_table_cellf(t, cli_trv(fmt, "survey %s"), v->name);
        cli_table_cellf(t, "%lld", (long long)v->respondents);
        cli_table_cellf(t, cli_trv(fmt, "respondents, %lld items"), (long long)v->items);
        cli_table_end_row(t);
    }
}

enum { OPT_FORMAT };

static const cli_option options[] = {
    {OPT_FORMAT, "format", 0, "table|csv|json", "table (default), csv or json"},
    {0, NULL, 0, NULL, NULL},
};

static int run(int argc, char **argv, cli_ctx *ctx)
{
    cli_format fmt = CLI_TABLE;
    cli_getopt g;
    const char *arg;
    int id;
    if (cli_getopt_init(&g, "status", options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((id = cli_getopt_next(&g, argc, argv, &arg)) >= 0)
        if (id == OPT_FORMAT && !cli_parse_format(arg, &fmt))
            return cli_usage("status", "unknown format '%s'", arg);
    if (id == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind < argc)
        return cli_usage("status", "unexpected argument '%s'", argv[optind]);

    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
    egdi_store_counts n = {0};
    json_t *j = json_object();
    static const char *const heads[] = {"what", "count", "detail"};
    cli_table *t = cli_table_new(NULL, 3, heads);
    int rc = CLI_FAIL;
    if (!j || !t) {
        rc = cli_fail("status", "out of memory");
        goto done;
    }
    cli_table_right(t, 1);
    if (egdi_store_open(&s, ctx->db_path, 0, &err) != EGDI_OK ||
        egdi_store_counts_read(s, &n, &err) != EGDI_OK) {
        rc = cli_report("status", &err);
        goto done;
    }
    add_counts(&n, j, t, fmt);
    json_object_set_new(j, "store", json_string(ctx->db_path));
    json_object_set_new(j, "schema_version", json_integer(EGDI_SCHEMA_VERSION));
    if (fmt == CLI_JSON)
        cli_json_print(j, stdout);
    else {
        if (fmt == CLI_TABLE)
            printf(cli_tr("store %s (schema version %d)\n"), ctx->db_path, EGDI_SCHEMA_VERSION);
        cli_table_print(t, stdout, fmt);
    }
    rc = cli_finish_output("status");
done:
    egdi_store_counts_release(&n);
    cli_table_free(t);
    json_decref(j);
    egdi_store_close(s);
    return rc;
}

const cli_command cmd_status = {
    .name = "status",
    .run = run,
    .summary = "say what the store holds",
    .usage = "[--format table|csv|json]",
    .options = options,
};
