/*
 * cmd_status.c - `egdi status`: what the store holds, as a table of
 * (what, count, detail) rows; JSON keys: schema_version, units
 * {department, region}, rounds [{year, observations, units}], imports,
 * surveys [{name, round, respondents, items}], models, score_runs.
 */
#include "cli/cli.h"
#include "engine/store/store.h"

#include <getopt.h>
#include <string.h>

/* One integer from a query without parameters. */
static egdi_status count(egdi_store *s, const char *sql, long long *out, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_prepare(s, sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = egdi_store_fail(s, "reading the store", err);
    sqlite3_finalize(st);
    return rc;
}

static egdi_status add_counts(egdi_store *s, json_t *j, cli_table *t, egdi_error *err)
{
    static const struct {
        const char *key, *label, *sql;
    } rows[] = {
        {"departments", "departments", "SELECT count(*) FROM unit WHERE kind='department'"},
        {"regions", "regions", "SELECT count(*) FROM unit WHERE kind='region'"},
        {"observations", "observations", "SELECT count(*) FROM observation"},
        {"imports", "import batches", "SELECT count(*) FROM import_batch"},
        {"models", "model versions", "SELECT count(*) FROM model"},
        {"score_runs", "score runs", "SELECT count(*) FROM score_run"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        long long n = 0;
        egdi_status rc = count(s, rows[i].sql, &n, err);
        if (rc != EGDI_OK)
            return rc;
        json_object_set_new(j, rows[i].key, json_integer(n));
        cli_table_cell(t, rows[i].label);
        cli_table_cellf(t, "%lld", n);
        cli_table_cell(t, "");
        cli_table_end_row(t);
    }
    return EGDI_OK;
}

static egdi_status add_rounds(egdi_store *s, json_t *j, cli_table *t, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_prepare(
        s,
        "SELECT r.year, (SELECT count(*) FROM observation o WHERE o.round = r.year),"
        "       (SELECT count(DISTINCT unit_id) FROM observation o WHERE o.round = r.year)"
        " FROM round r ORDER BY r.year",
        &st, err);
    if (rc != EGDI_OK)
        return rc;
    json_t *arr = json_array();
    json_object_set_new(j, "rounds", arr);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int year = sqlite3_column_int(st, 0);
        long long obs = sqlite3_column_int64(st, 1), units = sqlite3_column_int64(st, 2);
        json_array_append_new(arr, json_pack("{s:i,s:I,s:I}", "year", year, "observations",
                                             (json_int_t)obs, "units", (json_int_t)units));
        cli_table_cellf(t, "round %d", year);
        cli_table_cellf(t, "%lld", obs);
        cli_table_cellf(t, "observations of %lld units", units);
        cli_table_end_row(t);
    }
    if (step != SQLITE_DONE)
        rc = egdi_store_fail(s, "reading rounds", err);
    sqlite3_finalize(st);
    return rc;
}

static egdi_status add_surveys(egdi_store *s, json_t *j, cli_table *t, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_prepare(
        s,
        "SELECT v.name, v.round,"
        "  (SELECT count(*) FROM survey_response r WHERE r.survey_id = v.id),"
        "  (SELECT count(*) FROM survey_column c WHERE c.survey_id = v.id AND c.is_item)"
        " FROM survey v ORDER BY v.name",
        &st, err);
    if (rc != EGDI_OK)
        return rc;
    json_t *arr = json_array();
    json_object_set_new(j, "surveys", arr);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        long long resp = sqlite3_column_int64(st, 2), items = sqlite3_column_int64(st, 3);
        json_t *o = json_pack("{s:s,s:I,s:I}", "name", name, "respondents", (json_int_t)resp,
                              "items", (json_int_t)items);
        if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            json_object_set_new(o, "round", json_null());
        else
            json_object_set_new(o, "round", json_integer(sqlite3_column_int(st, 1)));
        json_array_append_new(arr, o);
        cli_table_cellf(t, "survey %s", name);
        cli_table_cellf(t, "%lld", resp);
        cli_table_cellf(t, "respondents, %lld items", items);
        cli_table_end_row(t);
    }
    if (step != SQLITE_DONE)
        rc = egdi_store_fail(s, "reading surveys", err);
    sqlite3_finalize(st);
    return rc;
}

int cmd_status(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    cli_format fmt = CLI_TABLE;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f' && cli_parse_format(optarg, &fmt))
            continue;
        if (c == 'f')
            return cli_usage("status", "unknown format '%s'", optarg);
        return cli_usage("status", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind < argc)
        return cli_usage("status", "unexpected argument '%s'", argv[optind]);

    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
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
        add_counts(s, j, t, &err) != EGDI_OK || add_rounds(s, j, t, &err) != EGDI_OK ||
        add_surveys(s, j, t, &err) != EGDI_OK) {
        rc = cli_report("status", &err);
        goto done;
    }
    json_object_set_new(j, "store", json_string(ctx->db_path));
    json_object_set_new(j, "schema_version", json_integer(EGDI_SCHEMA_VERSION));
    if (fmt == CLI_JSON)
        cli_json_print(j, stdout);
    else {
        if (fmt == CLI_TABLE)
            printf("store %s (schema version %d)\n", ctx->db_path, EGDI_SCHEMA_VERSION);
        cli_table_print(t, stdout, fmt);
    }
    rc = cli_finish_output("status");
done:
    cli_table_free(t);
    json_decref(j);
    egdi_store_close(s);
    return rc;
}
