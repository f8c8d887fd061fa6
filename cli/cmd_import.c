/*
 * cmd_import.c - `egdi import units|metrics|survey FILE [options]`,
 * `egdi import list` and `egdi import undo BATCH`.
 *
 * An import prints a one-line summary, how the header row was found, and
 * the column report: how every column of the sheet was used (a field, an
 * indicator, an item, an attribute, ignored and why, or an error), with
 * its counts of values, missing values and refused cells; then the
 * warnings.  Each problem is one line on stderr (the first --max-errors of
 * them, default 200, then how many more) and, with --rejects FILE, a row
 * of a CSV file (file,sheet,row,column,value,reason) written to a
 * temporary name and renamed when complete.  The column report is printed
 * also when the import fails, so the user sees what was read.
 *
 * JSON (--format json): kind, file, sheet, batch, rows_read, rows_stored,
 * values_stored, rejected, replaced, sha256, note, and header_row,
 * header_note, model, missing, cells_skipped, columns [{column, heading,
 * use, target, values, missing, refused, note}], warnings [..], for units
 * tree {regions, departments, without_region, parents_by_name,
 * per_region: [{code, name, departments}]}, for a survey with
 * --unit-column rated {respondents, by_name, without_unit, units}; on
 * failure also "error".
 *
 * `import list`: the batches (JSON: batch, kind, file, sha256, sheet,
 * round, survey, imported_at, rows_read, values_stored, rejected,
 * missing).  `import undo BATCH`: removes one (engine/store/undo.h).
 */
#include "cli/cli.h"
#include "engine/core/outfile.h"
#include "engine/import/import.h"
#include "engine/store/batches.h"
#include "engine/store/undo.h"
#include "indicators/model_import.h"
#include "indicators/score_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMD "import"
#define DEFAULT_MAX_ERRORS 200

enum {
    OPT_SHEET, OPT_ENCODING, OPT_ROUND, OPT_LAYOUT, OPT_SURVEY, OPT_ITEMS, OPT_REVERSE, OPT_SCALE,
    OPT_LABELS, OPT_SCALES, OPT_ID, OPT_REJECTS, OPT_SKIP, OPT_REPLACE, OPT_FORMAT,
    OPT_MAX_UNZIPPED, OPT_MAX_RATIO, OPT_MODEL, OPT_HEADER_ROW, OPT_IGNORE, OPT_NA,
    OPT_SKIP_CELLS, OPT_MAX_ERRORS, OPT_UNIT_COLUMN
};

static const cli_operand operands[] = {
    {"units FILE", "columns code (单位代码), name (单位名称), kind (单位类型: department|region), "
                   "parent (上级单位: a region's code or unique name), level (级别)"},
    {"metrics FILE", "wide (unit, then a column per indicator, headed by its code or its "
                     "Chinese or English name) or long (unit, indicator, value); needs --round"},
    {"survey FILE", "questionnaire answers, a row per respondent; needs --survey"},
    {"list", "the imports in the store: batch, file, SHA-256, round, time and counts"},
    {"undo BATCH", "removes one import and what was derived from it (the scores of its round "
                   "become stale)"},
    {NULL, NULL},
};

static const cli_option options[] = {
    {OPT_SHEET, "sheet", 0, "NAME|N", "sheet by name or 1-based index (XLSX)"},
    {OPT_ENCODING, "encoding", 0, "auto|utf-8|gbk", "text encoding of a CSV file (default auto)"},
    {OPT_ROUND, "round", 0, "YEAR", "the round of the metrics (required) or of the survey"},
    {OPT_LAYOUT, "layout", 0, "wide|long",
     "the layout of a metrics file (default: long when it has indicator and value columns, "
     "else wide)"},
    {OPT_MODEL, "model", 0, "NAME|FILE",
     "the model whose indicators, units and ranges the metrics are checked against (default: "
     "the model of the store's latest score run, else " EGDI_MODEL_DEFAULT ")"},
    {OPT_HEADER_ROW, "header-row", 0, "N",
     "the row that holds the headings (default: found among the first rows, skipping title "
     "rows)"},
    {OPT_IGNORE, "ignore-columns", 0, "LIST",
     "headings of columns to leave out, comma-separated (a column that looks like an "
     "indicator but matches none is an error otherwise)"},
    {OPT_NA, "na", 0, "LIST",
     "more marks for a missing value, comma-separated (besides empty, -, —, /, N/A, NA, 暂无, "
     "无数据, 缺失)"},
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
    {OPT_UNIT_COLUMN, "unit-column", 0, "COL",
     "the column naming the unit each respondent rates (部门, 所属单位, 评价对象 ...): a unit's "
     "code or its name; links the respondents to the units for the model's survey indicators"},
    {OPT_REJECTS, "rejects", 0, "FILE", "also write the problems as CSV"},
    {OPT_MAX_ERRORS, "max-errors", 0, "N",
     "list at most N problems on stderr, then how many more (default 200)"},
    {OPT_SKIP, "skip-bad-rows", 0, NULL, "import the rows without a bad cell, list the rest"},
    {OPT_SKIP_CELLS, "skip-bad-cells", 0, NULL,
     "import the rest of each row; each bad cell is recorded as a missing value with its "
     "reason"},
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
        return cli_fail(CMD, "--rejects: %s%s", cli_msg(err.message),
                        stored ? cli_tr(" (the good rows were imported)") : "");
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
        return cli_fail(CMD, "--rejects: %s; no rejects file was written%s", cli_msg(err.message),
                        stored ? cli_tr(" (the good rows were imported)") : "");
    return CLI_OK;
}

/* One line per problem, the first max of them.  When the import failed on
 * a single problem, its line also says that nothing was imported, so the
 * error is one line. */
static void print_rejects(const char *file, const egdi_import_result *r, bool failed,
                          size_t max)
{
    const char *tail = failed && r->nrejects == 1 ? "; nothing was imported" : "";
    for (size_t i = 0; i < r->nkept && i < max; i++) {
        const egdi_reject *rj = &r->rejects[i];
        egdi_error e;
        egdi_error_clear(&e);
        egdi_error_at(&e, file, r->sheet, rj->row, rj->col);
        if (rj->value[0])
            egdi_error_set(&e, EGDI_ERR_VALUE, "\"%s\": %s%s", rj->value, rj->reason, tail);
        else
            egdi_error_set(&e, EGDI_ERR_VALUE, "%s%s", rj->reason, tail);
        cli_report(CMD, &e);
    }
    if (r->nrejects > max)
        cli_fail(CMD, "... and %zu more problems (all of them with --rejects FILE)",
                 r->nrejects - max);
}

static int print_columns(const egdi_import_result *r)
{
    static const char *const h[] = {"column", "heading", "use",     "to",
                                    "values", "missing", "refused", "note"};
    cli_table *t = cli_table_new("columns", 8, h);
    if (!t)
        return -1;
    for (int c = 4; c <= 6; c++)
        cli_table_right(t, (size_t)c);
    for (size_t i = 0; i < r->ncolumns; i++) {
        const egdi_import_column *e = &r->columns[i];
        char letters[8];
        cli_table_cell(t, egdi_error_col_letters(e->col, letters));
        cli_table_cell(t, e->heading);
        cli_table_cell(t, cli_tr(egdi_import_column_use_name(e->use)));
        /* a field's name and the note in the language read (the JSON
         * keeps the engine's English) */
        cli_table_cell(t, e->use == EGDI_COLUMN_FIELD && e->target ? cli_msg(e->target)
                                                                   : e->target);
        bool counted = e->use != EGDI_COLUMN_IGNORED || e->values + e->missing + e->bad;
        if (counted) {
            cli_table_cellf(t, "%zu", e->values);
            cli_table_cellf(t, "%zu", e->missing);
            cli_table_cellf(t, "%zu", e->bad);
        } else {
            cli_table_cell(t, NULL);
            cli_table_cell(t, NULL);
            cli_table_cell(t, NULL);
        }
        cli_table_cell(t, e->note ? cli_msg(e->note) : NULL);
        cli_table_end_row(t);
    }
    int rc = cli_table_print(t, stdout, CLI_TABLE);
    cli_table_free(t);
    return rc;
}

static void print_tree(const egdi_import_tree *tr)
{
    bool zh = cli_lang_now() == CLI_ZH;
    if (zh)
        printf("  单位：%zu 个地区，%zu 个部门", tr->regions, tr->departments);
    else
        printf("  units: %zu region%s, %zu department%s", tr->regions,
               tr->regions == 1 ? "" : "s", tr->departments, tr->departments == 1 ? "" : "s");
    if (tr->nregions) {
        printf(zh ? "（" : " (");
        for (size_t i = 0; i < tr->nregions; i++)
            printf("%s%s %zu", i ? (zh ? "，" : ", ") : "",
                   tr->per_region[i].name ? tr->per_region[i].name : tr->per_region[i].code,
                   tr->per_region[i].departments);
        printf(zh ? "）" : ")");
    }
    printf(zh ? "，%zu 个部门不属于任何地区" : ", %zu without a region", tr->orphans);
    if (tr->by_name && zh)
        printf("；%zu 个上级单位按名称给出，已按其代码读取", tr->by_name);
    else if (tr->by_name)
        printf("; %zu parent%s given by name, read as %s code", tr->by_name,
               tr->by_name == 1 ? "" : "s", tr->by_name == 1 ? "its" : "their");
    printf("\n");
}

static json_t *result_json(const char *what, const char *path, const egdi_import_result *res,
                           const char *model, const char *error)
{
    json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:b,s:s}", "kind", what, "file", path,
                          "batch", (json_int_t)res->batch_id, "rows_read",
                          (json_int_t)res->rows_read, "rows_stored", (json_int_t)res->rows_stored,
                          "values_stored", (json_int_t)res->values_stored, "rejected",
                          (json_int_t)res->nrejects, "replaced", res->replaced, "sha256",
                          res->sha256);
    if (!j)
        return NULL;
    if (res->sheet)
        json_object_set_new(j, "sheet", json_string(res->sheet));
    if (res->note)
        json_object_set_new(j, "note", json_string(res->note));
    if (error)
        json_object_set_new(j, "error", json_string(error));
    json_object_set_new(j, "header_row", json_integer(res->header_row));
    json_object_set_new(j, "header_note",
                        res->header_note ? json_string(res->header_note) : json_null());
    json_object_set_new(j, "model", model ? json_string(model) : json_null());
    json_object_set_new(j, "missing", json_integer((json_int_t)res->missing));
    json_object_set_new(j, "cells_skipped", json_integer((json_int_t)res->cells_skipped));
    json_t *cols = json_array();
    for (size_t i = 0; i < res->ncolumns; i++) {
        const egdi_import_column *e = &res->columns[i];
        char letters[8];
        json_array_append_new(
            cols, json_pack("{s:s,s:s,s:s,s:o,s:I,s:I,s:I,s:o}", "column",
                            egdi_error_col_letters(e->col, letters), "heading", e->heading, "use",
                            egdi_import_column_use_name(e->use), "target",
                            e->target ? json_string(e->target) : json_null(), "values",
                            (json_int_t)e->values, "missing", (json_int_t)e->missing, "refused",
                            (json_int_t)e->bad, "note",
                            e->note ? json_string(e->note) : json_null()));
    }
    json_object_set_new(j, "columns", cols);
    json_t *warn = json_array();
    for (size_t i = 0; i < res->nwarnings && i < EGDI_IMPORT_MAX_REJECTS; i++)
        json_array_append_new(warn, json_string(res->warnings[i]));
    json_object_set_new(j, "warnings", warn);
    if (strcmp(what, "survey") == 0 && res->rated + res->unrated)
        json_object_set_new(j, "rated",
                            json_pack("{s:I,s:I,s:I,s:I}", "respondents", (json_int_t)res->rated,
                                      "by_name", (json_int_t)res->rated_by_name, "without_unit",
                                      (json_int_t)res->unrated, "units",
                                      (json_int_t)res->units_rated));
    if (strcmp(what, "units") == 0) {
        const egdi_import_tree *tr = &res->tree;
        json_t *per = json_array();
        for (size_t i = 0; i < tr->nregions; i++)
            json_array_append_new(per, json_pack("{s:s,s:o,s:I}", "code", tr->per_region[i].code,
                                                 "name",
                                                 tr->per_region[i].name
                                                     ? json_string(tr->per_region[i].name)
                                                     : json_null(),
                                                 "departments",
                                                 (json_int_t)tr->per_region[i].departments));
        json_object_set_new(j, "tree",
                            json_pack("{s:I,s:I,s:I,s:I,s:o}", "regions", (json_int_t)tr->regions,
                                      "departments", (json_int_t)tr->departments,
                                      "without_region", (json_int_t)tr->orphans,
                                      "parents_by_name", (json_int_t)tr->by_name, "per_region",
                                      per));
    }
    return j;
}

static void print_summary(const char *what, const char *path, const egdi_import_result *res,
                          const char *model, bool ok)
{
    if (ok && res->sheet)
        printf(cli_tr("imported %s from %s (sheet %s): %zu rows read, %zu stored, %zu values"),
               cli_import_kind(what), path, res->sheet, res->rows_read, res->rows_stored,
               res->values_stored);
    else if (ok)
        printf(cli_tr("imported %s from %s: %zu rows read, %zu stored, %zu values"),
               cli_import_kind(what), path, res->rows_read, res->rows_stored, res->values_stored);
    if (ok) {
        if (res->rows_unchanged)
            printf(cli_tr(", %zu unchanged"), res->rows_unchanged);
        if (res->nrejects && res->cells_skipped)
            printf(cli_tr(", %zu cells rejected (recorded as missing)"), res->nrejects);
        else if (res->nrejects)
            printf(cli_tr(", %zu cells rejected (their rows skipped)"), res->nrejects);
        printf(cli_tr(res->replaced ? "; batch %lld, replacing the earlier import\n"
                                    : "; batch %lld\n"),
               (long long)res->batch_id);
        if (res->note)
            printf("  %s\n", cli_msg(res->note));
    } else if (res->sheet)
        printf(cli_tr("not imported: %s (sheet %s)\n"), path, res->sheet);
    else
        printf(cli_tr("not imported: %s\n"), path);
    if (res->header_note)
        printf(cli_tr("  header: %s\n"), cli_msg(res->header_note));
    if (model)
        printf(cli_tr("  checked against %s\n"), model);
    if (strcmp(what, "metrics") == 0 && ok)
        printf(cli_tr("  missing values: %zu recorded with their cells (egdi explain shows "
                      "them)\n"),
               res->missing);
    if (strcmp(what, "units") == 0 && (ok || res->tree.regions + res->tree.departments))
        print_tree(&res->tree);
    if (res->ncolumns)
        print_columns(res);
    for (size_t i = 0; i < res->nwarnings && i < EGDI_IMPORT_MAX_REJECTS; i++)
        printf("%s%s\n", cli_tr("warning: "), cli_msg(res->warnings[i]));
}

/* ---- import list / undo ----------------------------------------------------- */

typedef struct {
    cli_table *t;
    json_t *arr;
    cli_format fmt;
} list_ctx;

static egdi_status on_batch(void *ctx, const egdi_store_batch_row *b, egdi_error *err)
{
    (void)err;
    list_ctx *k = ctx;
    if (k->arr) {
        json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:I,s:I,s:I,s:I}", "batch",
                              (json_int_t)b->id, "kind", b->kind, "file", b->file, "sha256",
                              b->sha256, "sheet", b->sheet ? json_string(b->sheet) : json_null(),
                              "round", b->round ? json_integer(b->round) : json_null(), "survey",
                              b->survey ? json_string(b->survey) : json_null(), "imported_at",
                              b->imported_at, "rows_read", (json_int_t)b->rows_read,
                              "values_stored", (json_int_t)b->values_stored, "rejected",
                              (json_int_t)b->rejected, "missing", (json_int_t)b->missing);
        json_array_append_new(k->arr, o);
        return EGDI_OK;
    }
    cli_table_cellf(k->t, "%lld", (long long)b->id);
    cli_table_cell(k->t, k->fmt == CLI_TABLE ? cli_import_kind(b->kind) : b->kind);
    cli_table_cell(k->t, b->file);
    cli_table_cell(k->t, b->sheet);
    if (b->round)
        cli_table_cellf(k->t, "%d", b->round);
    else
        cli_table_cell(k->t, NULL);
    cli_table_cell(k->t, b->survey);
    cli_table_cell(k->t, b->imported_at);
    cli_table_cellf(k->t, "%lld", (long long)b->rows_read);
    cli_table_cellf(k->t, "%lld", (long long)b->values_stored);
    cli_table_cellf(k->t, "%lld", (long long)b->missing);
    cli_table_cellf(k->t, "%lld", (long long)b->rejected);
    cli_table_cellf(k->t, "%.12s", b->sha256);
    cli_table_end_row(k->t);
    return EGDI_OK;
}

static int list_batches(cli_ctx *ctx, cli_format fmt)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
    if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_READONLY, &err))
        return cli_report(CMD, &err);
    static const char *const h[] = {"batch",  "kind",   "file",    "sheet",   "round",   "survey",
                                    "imported", "rows", "values", "missing", "rejected", "sha256"};
    list_ctx k = {NULL, NULL, fmt};
    if (fmt == CLI_JSON)
        k.arr = json_array();
    else
        k.t = cli_table_new("imports", 12, h);
    int rc = CLI_OK;
    if (!k.arr && !k.t) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t c = 7; k.t && c <= 10; c++)
        cli_table_right(k.t, c);
    if (egdi_store_batches_each(s, on_batch, &k, &err)) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    if (k.arr)
        cli_json_print(k.arr, stdout);
    else
        cli_table_print(k.t, stdout, fmt);
    rc = cli_finish_output(CMD);
done:
    cli_table_free(k.t);
    json_decref(k.arr);
    egdi_store_close(s);
    return rc;
}

static int undo_batch(cli_ctx *ctx, const char *arg, cli_format fmt)
{
    long id;
    if (!cli_parse_long(arg, 1, 9007199254740991L, &id))
        return cli_usage(CMD, "undo takes a batch number (see 'egdi import list'), not '%s'", arg);
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
    egdi_store_undone u;
    memset(&u, 0, sizeof u);
    int rc;
    if (egdi_store_open(&s, ctx->db_path, 0, &err) || egdi_store_undo_batch(s, id, &u, &err)) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    if (fmt == CLI_JSON) {
        json_t *j = json_pack("{s:I,s:s,s:s,s:o,s:I,s:I,s:I,s:I,s:I,s:I}", "batch",
                              (json_int_t)id, "kind", u.kind, "file", u.file, "round",
                              u.round ? json_integer(u.round) : json_null(), "observations",
                              (json_int_t)u.observations, "missing", (json_int_t)u.missing,
                              "respondents", (json_int_t)u.respondents, "units",
                              (json_int_t)u.units, "surveys", (json_int_t)u.surveys,
                              "stale_score_runs", (json_int_t)u.stale_runs);
        cli_json_print(j, stdout);
        json_decref(j);
    } else {
        bool zh = cli_lang_now() == CLI_ZH;
        printf(cli_tr("undid import %ld (%s %s"), id, cli_import_kind(u.kind), u.file);
        if (u.round)
            printf(cli_tr(", round %d"), u.round);
        printf(cli_tr("): removed %zu values, %zu missing values, %zu respondents, %zu units"),
               u.observations, u.missing, u.respondents, u.units);
        if (u.surveys)
            printf(zh ? "，%zu 份问卷" : ", %zu survey%s", u.surveys, u.surveys == 1 ? "" : "s");
        printf("\n");
        if (u.stale_runs && u.round)
            printf(zh ? "  %zu 个评分记录已过时%s：请重新运行 'egdi score --round %d'\n"
                      : "  %zu score run%s now stale: run 'egdi score --round %d' again\n",
                   u.stale_runs, zh ? "" : u.stale_runs == 1 ? " is" : "s are", u.round);
        else if (u.stale_runs)
            printf(zh ? "  %zu 个评分记录已过时%s：请为%s重新评分\n"
                      : "  %zu score run%s now stale: score %s again\n",
                   u.stale_runs, zh ? "" : u.stale_runs == 1 ? " is" : "s are",
                   zh ? "相应轮次" : u.stale_runs == 1 ? "its round" : "their rounds");
    }
    rc = cli_finish_output(CMD);
done:
    egdi_store_undone_release(&u);
    egdi_store_close(s);
    return rc;
}

/* ---- an import ---------------------------------------------------------------- */

static int run(int argc, char **argv, cli_ctx *ctx)
{
    egdi_import_opts o;
    egdi_import_opts_init(&o);
    const char *rejects = NULL, *model_arg = NULL;
    cli_format fmt = CLI_TABLE;
    size_t max_errors = DEFAULT_MAX_ERRORS;
    egdi_error err;
    egdi_error_clear(&err);
    cli_getopt g;
    const char *arg;
    int c;
    long v;
    if (cli_getopt_init(&g, CMD, options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        switch (c) {
        case OPT_SHEET: o.read.sheet = arg; break;
        case OPT_ENCODING:
            if (egdi_encoding_parse(arg, &o.read.encoding, &err) != EGDI_OK)
                return cli_usage(CMD, "%s", cli_msg(err.message));
            break;
        case OPT_ROUND:
            if (!cli_parse_long(arg, 1900, 2999, &v))
                return cli_usage(CMD, "--round must be a year, not '%s'", arg);
            o.round = (int)v;
            break;
        case OPT_LAYOUT:
            if (strcmp(arg, "wide") == 0)
                o.layout = EGDI_LAYOUT_WIDE;
            else if (strcmp(arg, "long") == 0)
                o.layout = EGDI_LAYOUT_LONG;
            else
                return cli_usage(CMD, "--layout is wide or long, not '%s'", arg);
            break;
        case OPT_MODEL: model_arg = arg; break;
        case OPT_HEADER_ROW:
            if (!cli_parse_long(arg, 1, 1048576, &v))
                return cli_usage(CMD, "--header-row is a row number, not '%s'", arg);
            o.header_row = (uint32_t)v;
            break;
        case OPT_IGNORE: o.ignore_columns = arg; break;
        case OPT_NA: o.na = arg; break;
        case OPT_SURVEY: o.survey = arg; break;
        case OPT_ITEMS: o.items = arg; break;
        case OPT_REVERSE: o.reverse = arg; break;
        case OPT_SCALE:
            if (!cli_parse_range(arg, &o.scale_min, &o.scale_max))
                return cli_usage(CMD, "--scale is MIN-MAX such as 1-5, not '%s'", arg);
            o.have_scale = true;
            break;
        case OPT_LABELS: o.labels = arg; break;
        case OPT_SCALES: o.scales = arg; break;
        case OPT_ID: o.id_col = arg; break;
        case OPT_UNIT_COLUMN: o.unit_col = arg; break;
        case OPT_REJECTS: rejects = arg; break;
        case OPT_MAX_ERRORS:
            if (!cli_parse_long(arg, 0, 1000000, &v))
                return cli_usage(CMD, "--max-errors is a count, not '%s'", arg);
            max_errors = (size_t)v;
            break;
        case OPT_SKIP: o.skip_bad_rows = true; break;
        case OPT_SKIP_CELLS: o.skip_bad_cells = true; break;
        case OPT_REPLACE: o.replace = true; break;
        case OPT_FORMAT:
            if (!cli_parse_format(arg, &fmt))
                return cli_usage(CMD, "unknown format '%s'", arg);
            break;
        case OPT_MAX_UNZIPPED:
        case OPT_MAX_RATIO:
            if (cli_limit_option(c == OPT_MAX_RATIO ? "max-ratio" : "max-unzipped", arg,
                                 &o.read.limits, CMD) != CLI_OK)
                return CLI_USAGE;
            break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (argc - optind == 1 && strcmp(argv[optind], "list") == 0)
        return list_batches(ctx, fmt);
    if (argc - optind == 2 && strcmp(argv[optind], "undo") == 0)
        return undo_batch(ctx, argv[optind + 1], fmt);
    if (argc - optind != 2)
        return cli_usage(CMD, "expected 'units|metrics|survey FILE', 'list' or 'undo BATCH'");
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
        return cli_usage(CMD, "import what? units, metrics or survey, not '%s'", what);
    if (fn == egdi_import_metrics && !o.round)
        return cli_usage(CMD, "metrics need --round YEAR");
    if (fn == egdi_import_survey && !o.survey)
        return cli_usage(CMD, "a survey needs --survey NAME");
    if (o.skip_bad_rows && o.skip_bad_cells)
        return cli_usage(CMD, "--skip-bad-rows and --skip-bad-cells exclude each other");
    if (model_arg && fn == egdi_import_survey)
        return cli_usage(CMD, "--model is for units and metrics");
    const char *inputs[] = {path, o.labels, o.scales, model_arg, ctx->db_path};
    if (rejects && cli_check_output(CMD, "--rejects", rejects, inputs,
                                    sizeof inputs / sizeof inputs[0]) != CLI_OK)
        return CLI_FAIL;

    egdi_store *s = NULL;
    egdi_model *m = NULL;
    egdi_import_catalogue cat;
    memset(&cat, 0, sizeof cat);
    egdi_import_result res;
    memset(&res, 0, sizeof res);
    char model_text[400] = "", model_shown[400] = "";
    int rc;
    if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_CREATE, &err) != EGDI_OK) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    if (fn != egdi_import_survey) {
        const char *why = "--model";
        egdi_status ms = model_arg ? egdi_score_model_open(s, model_arg, &m, &err)
                                   : egdi_model_import_default(s, &m, &why, &err);
        if (ms || egdi_model_import_catalogue(m, &cat, &err)) {
            rc = cli_report(CMD, &err);
            goto done;
        }
        snprintf(model_text, sizeof model_text, "%s (%s)", cat.model, why);
        snprintf(model_shown, sizeof model_shown, cli_tr("model %s %s (%s)"), m->name,
                 m->version, cli_tr(why));
        o.catalogue = &cat;
    }
    cli_progress pr;
    o.progress = cli_progress_start(&pr, ctx, "importing", "rows");
    egdi_status st = fn(s, path, &o, &res, &err);
    cli_progress_end(&pr);
    if (res.nrejects)
        print_rejects(path, &res, st != EGDI_OK, max_errors);
    if (rejects && res.nrejects && write_rejects(rejects, path, &res, st == EGDI_OK) != CLI_OK) {
        rc = CLI_FAIL;
        goto done;
    }
    const char *model = model_text[0] ? model_text : NULL;
    bool read = res.header_row > 0;
    if (fmt == CLI_JSON && (st == EGDI_OK || read)) {
        char line[EGDI_ERR_MSG_MAX + EGDI_ERR_FILE_MAX + EGDI_ERR_SHEET_MAX + 64];
        if (st != EGDI_OK)
            egdi_error_format(&err, line, sizeof line);
        json_t *j = result_json(what, path, &res, model, st == EGDI_OK ? NULL : line);
        cli_json_print(j, stdout);
        json_decref(j);
    } else if (fmt != CLI_JSON && (st == EGDI_OK || read))
        print_summary(what, path, &res, model ? model_shown : NULL, st == EGDI_OK);
    if (st != EGDI_OK) {
        rc = (st == EGDI_ERR_VALUE && res.nrejects == 1 && res.nkept == 1)
                 ? CLI_FAIL
                 : cli_report(CMD, &err);
        goto done;
    }
    rc = cli_finish_output(CMD);
done:
    egdi_import_result_release(&res);
    egdi_import_catalogue_release(&cat);
    egdi_model_free(m);
    egdi_store_close(s);
    return rc;
}

const cli_command cmd_import = {
    .name = CMD,
    .run = run,
    .summary = "import units, indicator metrics or survey responses from XLSX or CSV; list or "
               "undo imports",
    .usage = "units|metrics|survey FILE [OPTIONS]\nlist [--format table|json]\n"
             "undo BATCH [--format table|json]",
    .operands = operands,
    .options = options,
    .notes = "A file is imported whole or not at all (unless --skip-bad-rows or "
             "--skip-bad-cells); every problem is listed with its sheet, row, column, value and "
             "reason, all of them in one run.  The column report says how every column was "
             "used; empty cells and the marks of a missing value are recorded as missing, never "
             "as 0.  docs/import.md lists the headings and marks that are recognised.",
};
