/*
 * cmd_import.c - `egdi import units|metrics|survey FILE [options]`.
 *
 * Prints a one-line summary on success.  Each rejected cell is one line on
 * stderr (the first EGDI_STDERR_REJECTS of them) and, with --rejects FILE,
 * a row of a CSV file (file,sheet,row,column,value,reason) written to a
 * temporary name and renamed when complete.
 */
#include "cli/cli.h"
#include "engine/import/import.h"
#include "engine/core/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EGDI_STDERR_REJECTS 50

enum {
    OPT_SHEET, OPT_ENCODING, OPT_ROUND, OPT_LAYOUT, OPT_SURVEY, OPT_ITEMS, OPT_REVERSE, OPT_SCALE,
    OPT_LABELS, OPT_SCALES, OPT_ID, OPT_REJECTS, OPT_SKIP, OPT_REPLACE, OPT_FORMAT,
    OPT_MAX_UNZIPPED, OPT_MAX_RATIO
};

static const cli_operand operands[] = {
    {"units FILE", "columns code, name, kind (department|region), parent (a region code), level"},
    {"metrics FILE", "wide (unit, then a column per indicator code) or long (unit, indicator, "
                     "value); needs --round"},
    {"survey FILE", "questionnaire answers, a row per respondent; needs --survey"},
    {NULL, NULL},
};

static const cli_option options[] = {
    {OPT_SHEET, "sheet", 0, "NAME|N", "sheet by name or 1-based index (XLSX)"},
    {OPT_ENCODING, "encoding", 0, "auto|utf-8|gbk", "text encoding of a CSV file (default auto)"},
    {OPT_ROUND, "round", 0, "YEAR", "the round of the metrics (required) or of the survey"},
    {OPT_LAYOUT, "layout", 0, "wide|long",
     "the layout of a metrics file (default: long when it has indicator and value columns, "
     "else wide)"},
    {OPT_SURVEY, "survey", 0, "NAME", "the name the survey is stored under (required)"},
    {OPT_ITEMS, "items", 0, "LIST",
     "the item columns, e.g. A1-A5,B2 (default: every column but the id whose answers are all "
     "numbers or answer labels)"},
    {OPT_SCALE, "scale", 0, "MIN-MAX", "the answer scale, e.g. 1-5"},
    {OPT_REVERSE, "reverse", 0, "LIST", "reverse-keyed items (same syntax as --items)"},
    {OPT_LABELS, "labels", 0, "FILE", "answer labels: a file of rows value,label"},
    {OPT_ID, "id", 0, "COL",
     "the respondent id column (default: one headed id, respondent, 编号, 序号 or 问卷编号)"},
    {OPT_SCALES, "scales", 0, "FILE", "the survey's dimensions: a file of rows scale,item,reversed"},
    {OPT_REJECTS, "rejects", 0, "FILE", "also write the rejected cells as CSV"},
    {OPT_SKIP, "skip-bad-rows", 0, NULL, "import the good rows, list the rest"},
    {OPT_REPLACE, "replace", 0, NULL, "replace an earlier import of the same file"},
    {OPT_FORMAT, "format", 0, "table|json", "the summary as text (default) or JSON"},
    {OPT_MAX_UNZIPPED, "max-unzipped", 0, "SIZE",
     "XLSX zip-bomb limit: bytes inflated per entry (default 4G)"},
    {OPT_MAX_RATIO, "max-ratio", 0, "N",
     "XLSX zip-bomb limit: inflated / compressed size (default 1000)"},
    {0, NULL, 0, NULL, NULL},
};

static int write_rejects(const char *path, const char *file, const egdi_import_result *r,
                         bool stored)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_outfile o;
    if (egdi_outfile_open(&o, path, &err) != EGDI_OK)
        return cli_fail("import", "--rejects: %s%s", err.message,
                        stored ? " (the good rows were imported)" : "");
    FILE *f = o.f;
    fputs("file,sheet,row,column,value,reason\n", f);
    for (size_t i = 0; i < r->nkept; i++) {
        const egdi_reject *rj = &r->rejects[i];
        char col[8] = "";
        if (rj->col)
            egdi_error_col_letters(rj->col, col);
        cli_csv_field(f, file);
        fputc(',', f);
        cli_csv_field(f, r->sheet ? r->sheet : "");
        fprintf(f, ",%u,%s,", (unsigned)rj->row, col);
        cli_csv_field(f, rj->value);
        fputc(',', f);
        cli_csv_field(f, rj->reason);
        fputc('\n', f);
    }
    if (egdi_outfile_commit(&o, &err) != EGDI_OK)
        return cli_fail("import", "--rejects: %s; no rejects file was written%s", err.message,
                        stored ? " (the good rows were imported)" : "");
    return CLI_OK;
}

/* One line per rejected cell.  When the import failed on a single cell, its
 * line also says that nothing was imported, so the error is one line. */
static void print_rejects(const char *file, const egdi_import_result *r, bool failed)
{
    const char *tail = failed && r->nrejects == 1 ? "; nothing was imported" : "";
    for (size_t i = 0; i < r->nkept && i < EGDI_STDERR_REJECTS; i++) {
        const egdi_reject *rj = &r->rejects[i];
        egdi_error e;
        egdi_error_clear(&e);
        egdi_error_at(&e, file, r->sheet, rj->row, rj->col);
        if (rj->value[0])
            egdi_error_set(&e, EGDI_ERR_VALUE, "\"%s\": %s%s", rj->value, rj->reason, tail);
        else
            egdi_error_set(&e, EGDI_ERR_VALUE, "%s%s", rj->reason, tail);
        cli_report("import", &e);
    }
    if (r->nrejects > EGDI_STDERR_REJECTS)
        cli_fail("import", "... and %zu more rejected cells (all of them with --rejects FILE)",
                 r->nrejects - EGDI_STDERR_REJECTS);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    egdi_import_opts o;
    egdi_import_opts_init(&o);
    const char *rejects = NULL;
    cli_format fmt = CLI_TABLE;
    egdi_error err;
    egdi_error_clear(&err);
    cli_getopt g;
    const char *arg;
    int c;
    long v;
    if (cli_getopt_init(&g, "import", options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        switch (c) {
        case OPT_SHEET: o.read.sheet = arg; break;
        case OPT_ENCODING:
            if (egdi_encoding_parse(arg, &o.read.encoding, &err) != EGDI_OK)
                return cli_usage("import", "%s", err.message);
            break;
        case OPT_ROUND:
            if (!cli_parse_long(arg, 1900, 2999, &v))
                return cli_usage("import", "--round must be a year, not '%s'", arg);
            o.round = (int)v;
            break;
        case OPT_LAYOUT:
            if (strcmp(arg, "wide") == 0)
                o.layout = EGDI_LAYOUT_WIDE;
            else if (strcmp(arg, "long") == 0)
                o.layout = EGDI_LAYOUT_LONG;
            else
                return cli_usage("import", "--layout is wide or long, not '%s'", arg);
            break;
        case OPT_SURVEY: o.survey = arg; break;
        case OPT_ITEMS: o.items = arg; break;
        case OPT_REVERSE: o.reverse = arg; break;
        case OPT_SCALE:
            if (!cli_parse_range(arg, &o.scale_min, &o.scale_max))
                return cli_usage("import", "--scale is MIN-MAX such as 1-5, not '%s'", arg);
            o.have_scale = true;
            break;
        case OPT_LABELS: o.labels = arg; break;
        case OPT_SCALES: o.scales = arg; break;
        case OPT_ID: o.id_col = arg; break;
        case OPT_REJECTS: rejects = arg; break;
        case OPT_SKIP: o.skip_bad_rows = true; break;
        case OPT_REPLACE: o.replace = true; break;
        case OPT_FORMAT:
            if (!cli_parse_format(arg, &fmt))
                return cli_usage("import", "unknown format '%s'", arg);
            break;
        case OPT_MAX_UNZIPPED:
        case OPT_MAX_RATIO:
            if (cli_limit_option(c == OPT_MAX_RATIO ? "max-ratio" : "max-unzipped", arg,
                                 &o.read.limits, "import") != CLI_OK)
                return CLI_USAGE;
            break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (argc - optind != 2)
        return cli_usage("import", "expected 'units|metrics|survey FILE'");
    const char *what = argv[optind], *path = argv[optind + 1];
    egdi_status (*fn)(egdi_store *, const char *, const egdi_import_opts *,
                      egdi_import_result *, egdi_error *);
    if (strcmp(what, "units") == 0)
        fn = egdi_import_units;
    else if (strcmp(what, "metrics") == 0)
        fn = egdi_import_metrics;
    else if (strcmp(what, "survey") == 0)
        fn = egdi_import_survey;
    else
        return cli_usage("import", "import what? units, metrics or survey, not '%s'", what);
    if (fn == egdi_import_metrics && !o.round)
        return cli_usage("import", "metrics need --round YEAR");
    if (fn == egdi_import_survey && !o.survey)
        return cli_usage("import", "a survey needs --survey NAME");

    egdi_store *s = NULL;
    egdi_import_result res;
    memset(&res, 0, sizeof res);
    int rc;
    if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_CREATE, &err) != EGDI_OK) {
        rc = cli_report("import", &err);
        goto done;
    }
    egdi_status st = fn(s, path, &o, &res, &err);
    if (res.nrejects)
        print_rejects(path, &res, st != EGDI_OK);
    if (rejects && res.nrejects && write_rejects(rejects, path, &res, st == EGDI_OK) != CLI_OK) {
        rc = CLI_FAIL;
        goto done;
    }
    if (st != EGDI_OK) {
        rc = (st == EGDI_ERR_VALUE && res.nrejects == 1 && res.nkept == 1) ? CLI_FAIL : cli_report("import", &err);
        goto done;
    }
    if (fmt == CLI_JSON) {
        json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:b,s:s}", "kind", what, "file",
                              path, "batch", (json_int_t)res.batch_id, "rows_read",
                              (json_int_t)res.rows_read, "rows_stored",
                              (json_int_t)res.rows_stored, "values_stored",
                              (json_int_t)res.values_stored, "rejected",
                              (json_int_t)res.nrejects, "replaced", res.replaced, "sha256",
                              res.sha256);
        if (res.sheet)
            json_object_set_new(j, "sheet", json_string(res.sheet));
        if (res.note)
            json_object_set_new(j, "note", json_string(res.note));
        cli_json_print(j, stdout);
        json_decref(j);
    } else {
        printf("imported %s from %s%s%s%s: %zu rows read, %zu stored, %zu values", what, path,
               res.sheet ? " (sheet " : "", res.sheet ? res.sheet : "", res.sheet ? ")" : "",
               res.rows_read, res.rows_stored, res.values_stored);
        if (res.rows_unchanged)
            printf(", %zu unchanged", res.rows_unchanged);
        if (res.nrejects)
            printf(", %zu cells rejected (their rows skipped)", res.nrejects);
        printf("; batch %lld%s\n", (long long)res.batch_id, res.replaced ? ", replacing the earlier import" : "");
        if (res.note)
            printf("  %s\n", res.note);
    }
    rc = cli_finish_output("import");
done:
    egdi_import_result_release(&res);
    egdi_store_close(s);
    return rc;
}

const cli_command cmd_import = {
    .name = "import",
    .run = run,
    .summary = "import units, indicator metrics or survey responses from XLSX or CSV",
    .usage = "units|metrics|survey FILE [OPTIONS]",
    .operands = operands,
    .options = options,
    .notes = "A file is imported whole or not at all (unless --skip-bad-rows); every rejected "
             "cell is listed with its sheet, row, column, value and reason.",
};
