/*
 * cmd_score.c - `egdi score --round YEAR [--model NAME|FILE]`: scores the
 * round's observations with the model and stores every indicator score,
 * sub-index, EGDI, stage and rank with the model's name, version and hash
 * and the inputs' hash, in one transaction (replacing an earlier run of the
 * same model and round).  Prints a summary (JSON keys: round, model,
 * model_version, model_hash, inputs_hash, run_id, units, rankable,
 * not_rankable, stages{CODE: count}, indicators [{code, kind, units,
 * scored, missing, imputed}], warnings [text]).
 *
 * Then, per indicator and unit kind, how many units had a value, how many
 * had none and were re-weighted away (or imputed); an indicator without a
 * value for more than half the units of a kind is a warning naming it
 * (egdi_score_warnings, the same warnings `egdi rank` and the report
 * carry), counted from the run as stored.
 */
#include "cli/cli.h"
#include "engine/store/store.h"
#include "indicators/model.h"
#include "indicators/score.h"
#include "indicators/score_store.h"

#include <stdlib.h>
#include <string.h>

#define CMD "score"

enum { OPT_ROUND, OPT_MODEL, OPT_FORMAT };

static const cli_option options[] = {
    {OPT_ROUND, "round", 0, "YEAR", "the round whose observations are scored"},
    {OPT_MODEL, "model", 0, "NAME|FILE", "the model (default " EGDI_MODEL_DEFAULT ")"},
    {OPT_FORMAT, "format", 0, "table|csv|json", "the summary (default table)"},
    {0, NULL, 0, NULL, NULL},
};

/* Per indicator and kind: units, with a value, re-weighted away, imputed. */
static void print_counts(const egdi_model *m, const egdi_score_count *cnt)
{
    static const char *const h[] = {"indicator", "name", "kind",    "units",
                                    "value",     "missing (re-weighted)", "imputed"};
    cli_table *t = cli_table_new("indicators: how many units had a value", 7, h);
    if (!t)
        return;
    for (size_t c = 3; c <= 6; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < 2; k++)
        for (size_t j = 0; j < m->nnodes; j++) {
            const egdi_score_count *c = &cnt[2 * j + k];
            if (!c->units)
                continue;
            cli_table_cell(t, m->nodes[j].code);
            cli_table_cell(t, m->nodes[j].name_zh);
            cli_table_cell(t, k ? "region" : "department");
            cli_table_cellf(t, "%zu", c->units);
            cli_table_cellf(t, "%zu", c->scored);
            cli_table_cellf(t, "%zu", c->missing);
            cli_table_cellf(t, "%zu", c->imputed);
            cli_table_end_row(t);
        }
    printf("\n");
    cli_table_print(t, stdout, CLI_TABLE);
    cli_table_free(t);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    long round = 0;
    const char *model = EGDI_MODEL_DEFAULT;
    cli_format fmt = CLI_TABLE;
    cli_getopt g;
    const char *arg;
    int c;
    if (cli_getopt_init(&g, CMD, options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        switch (c) {
        case OPT_ROUND:
            if (!cli_parse_long(arg, 1900, 9999, &round))
                return cli_usage(CMD, "bad --round '%s'", arg);
            break;
        case OPT_MODEL:
            model = arg;
            break;
        case OPT_FORMAT:
            if (!cli_parse_format(arg, &fmt))
                return cli_usage(CMD, "bad --format '%s'", arg);
            break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind != argc)
        return cli_usage(CMD, "unexpected '%s'", argv[optind]);
    if (!round)
        return cli_usage(CMD, "needs --round YEAR");
    egdi_error err;
    egdi_error_clear(&err);
    egdi_model *m = NULL;
    egdi_store *s = NULL;
    egdi_score_summary sum;
    int rc = CLI_OK;
    if (egdi_model_load(&m, model, NULL, &err) ||
        egdi_store_open(&s, ctx->db_path, 0, &err) ||
        egdi_score_round(s, m, (int)round, EGDI_VERSION, &sum, &err)) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    /* how each indicator fared, from the run as stored */
    egdi_round rd;
    if (egdi_score_load_run(s, (int)round, m->name, &rd, &err)) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    size_t N = rd.model->nnodes;
    egdi_score_count *cnt = malloc(2 * (N ? N : 1) * sizeof *cnt);
    egdi_score_warning *warn = malloc(2 * (N ? N : 1) * sizeof *warn);
    if (!cnt || !warn) {
        free(cnt);
        free(warn);
        egdi_round_release(&rd);
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    egdi_score_counts(rd.model, &rd.in.in, rd.result, cnt);
    size_t nwarn = egdi_score_warnings(rd.model, cnt, warn);
    const size_t *counts = sum.stage_counts;
    size_t ranked = sum.rankable, units = sum.units;
    if (fmt == CLI_JSON) {
        json_t *j = json_pack("{s:i,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I}", "round", (int)round,
                              "model", m->name, "model_version", m->version, "model_hash",
                              m->hash, "inputs_hash", sum.inputs_hash, "run_id", (json_int_t)sum.run_id,
                              "units", (json_int_t)units, "rankable", (json_int_t)ranked,
                              "not_rankable", (json_int_t)(units - ranked));
        json_t *sc = json_object();
        for (size_t i = 0; i < m->nstages; i++)
            json_object_set_new(sc, m->stages[i].code, json_integer((json_int_t)counts[i]));
        json_object_set_new(j, "stages", sc);
        json_t *inds = json_array(), *wa = json_array();
        for (size_t k = 0; k < 2; k++)
            for (size_t jn = 0; jn < N; jn++) {
                const egdi_score_count *cc = &cnt[2 * jn + k];
                if (cc->units)
                    json_array_append_new(
                        inds, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "code",
                                        rd.model->nodes[jn].code, "kind",
                                        k ? "region" : "department", "units",
                                        (json_int_t)cc->units, "scored", (json_int_t)cc->scored,
                                        "missing", (json_int_t)cc->missing, "imputed",
                                        (json_int_t)cc->imputed));
            }
        for (size_t w = 0; w < nwarn; w++) {
            char line[512];
            json_array_append_new(
                wa, json_string(egdi_score_warning_text(rd.model, &warn[w], false, line,
                                                        sizeof line)));
        }
        json_object_set_new(j, "indicators", inds);
        json_object_set_new(j, "warnings", wa);
        cli_json_print(j, stdout);
        json_decref(j);
    } else {
        static const char *const h[] = {"what", "value"};
        char title[128];
        snprintf(title, sizeof title, "scored round %ld", round);
        cli_table *t = cli_table_new(title, 2, h);
        cli_table_cell(t, "model");
        cli_table_cellf(t, "%s %s", m->name, m->version);
        cli_table_end_row(t);
        cli_table_cell(t, "model sha256");
        cli_table_cell(t, m->hash);
        cli_table_end_row(t);
        cli_table_cell(t, "inputs sha256");
        cli_table_cell(t, sum.inputs_hash);
        cli_table_end_row(t);
        cli_table_cell(t, "units");
        cli_table_cellf(t, "%zu (%zu rankable, %zu not rankable)", units, ranked,
                        units - ranked);
        cli_table_end_row(t);
        for (size_t i = 0; i < m->nstages; i++) {
            cli_table_cellf(t, "stage %s", m->stages[i].code);
            cli_table_cellf(t, "%zu", counts[i]);
            cli_table_end_row(t);
        }
        cli_table_print(t, stdout, fmt);
        cli_table_free(t);
        if (fmt == CLI_TABLE)
            print_counts(rd.model, cnt);
        for (size_t w = 0; w < nwarn; w++) {
            char line[512];
            egdi_score_warning_text(rd.model, &warn[w], false, line, sizeof line);
            if (fmt == CLI_TABLE)
                printf("warning: %s\n", line);
            else
                cli_fail(CMD, "warning: %s", line);
        }
    }
    free(cnt);
    free(warn);
    egdi_round_release(&rd);
    rc = cli_finish_output(CMD);
done:
    egdi_store_close(s);
    egdi_model_free(m);
    return rc;
}

const cli_command cmd_score = {
    .name = CMD,
    .run = run,
    .summary = "score a round with a model and store every score",
    .usage = "--round YEAR [--model NAME|FILE] [--format table|csv|json]",
    .options = options,
    .notes = "Stores every indicator score, sub-index, EGDI, stage and rank with the model's "
             "name, version and SHA-256 and the inputs' SHA-256, in one transaction; a new run "
             "replaces an earlier run of the same model and round.",
};
