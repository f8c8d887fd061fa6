/*
 * cmd_survey.c - `egdi survey SUBCOMMAND`: the subcommand table, the
 * options every subcommand shares (their table and their parsing) and
 * opening the data (survey_cli.h).
 *
 * Each subcommand's own options are in its file (survey_*.c); the data are
 * read, mapped and checked by surveys/dataset.c, which this file only
 * calls.  Nothing here is owned past a call.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/outfile.h"

const cli_option survey_common_options[] = {
    {OPT_DATA, "data", 0, "FILE", "a CSV or XLSX file; the first non-empty row holds the item codes"},
    {OPT_SHEET, "sheet", 0, "S", "XLSX sheet name or number (default the first)"},
    {OPT_ENCODING, "encoding", 0, "E", "CSV text: auto (default), utf-8 or gbk"},
    {OPT_SURVEY, "survey", 0, "NAME",
     "a survey imported with 'egdi import survey' (its items, reverse keys, dimensions, scale "
     "and answer labels come with it)"},
    {OPT_ITEMS, "items", 0, "LIST",
     "items: ranges in sheet order and names, e.g. A1-A5,B2,C1-C3 (names exact, else ignoring "
     "case; an item listed twice is an error); default: the items of --scales, else the stored "
     "survey's items, else every column whose values are all numbers (id and code columns too: "
     "name the items to leave them out)"},
    {OPT_REVERSE, "reverse", 0, "LIST", "reverse-keyed items (same syntax); needs --scale"},
    {OPT_SCALE, "scale", 0, "MIN-MAX",
     "the answer scale, e.g. 1-5: reversed = MIN + MAX - x, and an answer outside it is an "
     "error naming its cell (psych reverses with the observed max + min: the same when every "
     "answer occurs); default: the stored survey's"},
    {OPT_SCALES, "scales", 0, "FILE",
     "named scales: a table with columns scale, item, reversed (as 'egdi import survey "
     "--scales' takes it); default: the stored survey's dimensions"},
    {OPT_LABELS, "labels", 0, "FILE|LIST",
     "answer labels: a file of rows value,label (as 'egdi import survey --labels' takes it) or "
     "\"1=非常不同意,...,5=非常同意\": a text answer equal to a label counts as its value, as "
     "the import reads it (another text is an error naming its cell); describe prints the "
     "labels; default: the stored survey's"},
    {OPT_MISSING, "missing", 0, "listwise|pairwise",
     "listwise (default, as SPSS: rows answering every item analysed; per scale for alpha) or "
     "pairwise covariances (psych::alpha's default); the n used is printed"},
    {OPT_FORMAT, "format", 0, "table|csv|json",
     "the output (JSON keys: docs/survey-json.md; of kmo and efa: docs/factor-json.md; of "
     "profile, corr, regress, mediate, crosstab: docs/relations-json.md)"},
    {OPT_LANG, "lang", 0, "zh|en", "headings (default zh)"},
    {OPT_MAX_UNZIPPED, "max-unzipped", 0, "SIZE",
     "XLSX zip-bomb limit: bytes inflated per entry (default 4G)"},
    {OPT_MAX_RATIO, "max-ratio", 0, "N",
     "XLSX zip-bomb limit: inflated / compressed size (default 1000)"},
    {OPT_SCORE, "score", 0, "mean|sum",
     "how a scale named as a variable (满意度 wherever a column can be named) is scored: the "
     "mean (default) or the sum of its keyed items; a respondent missing one of them has no "
     "score"},
    {OPT_SAVE_SCORES, "save-scores", 0, "FILE",
     "write every scale's score per respondent to FILE (CSV: the --id, else the source row, "
     "then one column per scale; empty = no score)"},
    {OPT_ID, "id", 0, "COLUMN", "the respondent id column for --save-scores"},
    {OPT_VALUE_LABELS, "value-labels", 0, "COLUMN:LIST|FILE",
     "value labels of a grouping or demographic column, e.g. 性别:1=男,2=女 (or a file of "
     "rows value,label): its codes are shown as the labels and a text answer equal to a label "
     "counts as its code; repeat for each column"},
    {0, NULL, 0, NULL, NULL},
};

void survey_opts_init(survey_opts *o, const cli_ctx *ctx)
{
    memset(o, 0, sizeof *o);
    egdi_dataset_opts_init(&o->data);
    o->fmt = CLI_TABLE;
    o->lang = ctx->lang;
    o->data.db = ctx->db_path;
}

/* The column of a --value-labels argument "COLUMN:SPEC" (an ASCII or a
 * full-width colon) into buf (size bytes; may be 0 to check only); returns
 * SPEC, or NULL when the argument has no column or no SPEC. */
static const char *value_labels_column(const char *arg, char *buf, size_t size)
{
    const char *c = strchr(arg, ':'), *fw = strstr(arg, "\xEF\xBC\x9A"); /* U+FF1A */
    size_t skip = 1;
    if (fw && (!c || fw < c)) {
        c = fw;
        skip = 3;
    }
    if (!c || c == arg || !c[skip])
        return NULL;
    size_t len = (size_t)(c - arg);
    if (size) {
        if (len >= size)
            return NULL;
        memcpy(buf, arg, len);
        buf[len] = '\0';
    }
    return c + skip;
}

/* Handles common option c: 1, 0 when c is not one, or CLI_USAGE. */
static int common_option(int c, const char *arg, survey_opts *o, const char *cmd)
{
    egdi_dataset_opts *d = &o->data;
    switch (c) {
    case OPT_DATA:
        d->data = arg;
        return 1;
    case OPT_SHEET:
        d->read.sheet = arg;
        return 1;
    case OPT_ENCODING:
        if (egdi_encoding_parse(arg, &d->read.encoding, NULL) != EGDI_OK)
            return cli_usage(cmd, "unknown encoding '%s' (use auto, utf-8 or gbk)", arg);
        return 1;
    case OPT_SURVEY:
        d->survey = arg;
        return 1;
    case OPT_ITEMS:
        d->items = arg;
        return 1;
    case OPT_REVERSE:
        d->reverse = arg;
        return 1;
    case OPT_SCALE:
        if (!cli_parse_range(arg, &d->scale_min, &d->scale_max))
            return cli_usage(cmd, "--scale wants MIN-MAX with MIN < MAX, e.g. 1-5, not '%s'",
                             arg);
        d->have_scale = true;
        return 1;
    case OPT_SCALES:
        d->scales = arg;
        return 1;
    case OPT_LABELS:
        d->labels = arg;
        return 1;
    case OPT_MISSING:
        if (strcmp(arg, "listwise") == 0)
            o->pairwise = false;
        else if (strcmp(arg, "pairwise") == 0)
            o->pairwise = true;
        else
            return cli_usage(cmd, "--missing wants listwise or pairwise, not '%s'", arg);
        return 1;
    case OPT_MAX_UNZIPPED:
    case OPT_MAX_RATIO:
        if (cli_limit_option(c == OPT_MAX_RATIO ? "max-ratio" : "max-unzipped", arg,
                             &d->read.limits, cmd) != CLI_OK)
            return CLI_USAGE;
        return 1;
    case OPT_FORMAT:
        if (!cli_parse_format(arg, &o->fmt))
            return cli_usage(cmd, "--format wants table, csv or json, not '%s'", arg);
        return 1;
    case OPT_LANG:
        if (!cli_parse_lang(arg, &o->lang))
            return cli_usage(cmd, "--lang wants zh or en, not '%s'", arg);
        return 1;
    case OPT_SCORE:
        if (strcmp(arg, "mean") == 0)
            d->score = EGDI_SCORE_MEAN;
        else if (strcmp(arg, "sum") == 0)
            d->score = EGDI_SCORE_SUM;
        else
            return cli_usage(cmd, "--score wants mean or sum, not '%s'", arg);
        return 1;
    case OPT_SAVE_SCORES:
        o->save_scores = arg;
        return 1;
    case OPT_ID:
        o->id = arg;
        return 1;
    case OPT_VALUE_LABELS:
        if (!value_labels_column(arg, NULL, 0))
            return cli_usage(cmd, "--value-labels wants COLUMN:LIST or COLUMN:FILE, e.g. "
                                  "性别:1=男,2=女, not '%s'",
                             arg);
        if (o->nvalue_labels == SURVEY_VALUE_LABELS_MAX)
            return cli_usage(cmd, "--value-labels given more than %d times",
                             SURVEY_VALUE_LABELS_MAX);
        o->value_labels[o->nvalue_labels++] = arg;
        return 1;
    default:
        return 0;
    }
}

int survey_getopt(int argc, char **argv, const cli_command *sub, const char *cmd,
                  survey_opts *o, int (*handle)(int id, const char *arg, void *ud), void *ud)
{
    cli_getopt g;
    const char *arg;
    int id;
    if (cli_getopt_init(&g, cmd, sub->options, sub->common, 0) != CLI_OK)
        return CLI_FAIL;
    while ((id = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        int h = common_option(id, arg, o, cmd);
        if (h == 0 && handle)
            h = handle(id, arg, ud);
        if (h == 0)
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        if (h != 1)
            return h;
    }
    if (id == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return CLI_OK;
}

int survey_error(const char *cmd, const egdi_error *err)
{
    if (err->status != EGDI_ERR_ARG)
        return cli_report(cmd, err);
    char line[EGDI_ERR_MSG_MAX + EGDI_ERR_FILE_MAX + EGDI_ERR_SHEET_MAX + 64];
    cli_error_line(err, line, sizeof line);
    return cli_usage(cmd, "%s", line);
}

/* Writes every scale's score per respondent to o->save_scores. */
static int save_scores(const survey_opts *o, const char *cmd, const egdi_dataset *ds)
{
    egdi_error err;
    egdi_error_clear(&err);
    size_t idcol = 0;
    if (o->id && egdi_dataset_find(ds, o->id, &idcol, &err) != EGDI_OK)
        return survey_error(cmd, &err);
    double *x = NULL;
    if (egdi_dataset_scores(ds, &x, &err) != EGDI_OK)
        return survey_error(cmd, &err);
    egdi_outfile f;
    if (egdi_outfile_open(&f, o->save_scores, &err) != EGDI_OK) {
        free(x);
        return cli_fail(cmd, "--save-scores: %s", cli_msg(err.message));
    }
    int bad = cli_csv_field(f.f, o->id ? ds->col[idcol].name : "row");
    for (size_t k = 0; k < ds->nscales && !bad; k++)
        bad = fputc(',', f.f) == EOF || cli_csv_field(f.f, ds->scale[k].name) != 0;
    bad = bad || fputc('\n', f.f) == EOF;
    size_t n = ds->nrows;
    for (size_t i = 0; i < n && !bad; i++) {
        char buf[32];
        const char *id = NULL;
        if (o->id)
            id = egdi_dataset_cell_text(ds, idcol, i, buf);
        else
            snprintf(buf, sizeof buf, "%lu", (unsigned long)ds->row[i]), id = buf;
        bad = cli_csv_field(f.f, id ? id : "") != 0;
        for (size_t k = 0; k < ds->nscales && !bad; k++) {
            double v = x[k * n + i];
            bad = isnan(v) ? fputc(',', f.f) == EOF : fprintf(f.f, ",%.17g", v) < 0;
        }
        bad = bad || fputc('\n', f.f) == EOF;
    }
    free(x);
    if (bad || ferror(f.f)) {
        egdi_outfile_abort(&f);
        return cli_fail(cmd, "--save-scores: cannot write %s; no scores file was written",
                        o->save_scores);
    }
    if (egdi_outfile_commit(&f, &err) != EGDI_OK)
        return cli_fail(cmd, "--save-scores: %s; no scores file was written", cli_msg(err.message));
    return CLI_OK;
}

int survey_check_output(const survey_opts *o, const char *cmd, const char *opt, const char *out,
                        const char *extra)
{
    /* the store too, also with --data: an output must never replace it */
    const char *in[5 + SURVEY_VALUE_LABELS_MAX] = {o->data.data, o->data.labels, o->data.scales,
                                                   o->data.db, extra};
    size_t n = 5;
    for (size_t v = 0; v < o->nvalue_labels; v++)
        in[n++] = value_labels_column(o->value_labels[v], NULL, 0);
    return cli_check_output(cmd, opt, out, in, n);
}

int survey_open(const survey_opts *o, const char *cmd, const char *const *keep, size_t nkeep,
                egdi_dataset **ds)
{
    if (o->save_scores &&
        survey_check_output(o, cmd, "--save-scores", o->save_scores, NULL) != CLI_OK)
        return CLI_FAIL;
    egdi_dataset_opts d = o->data;
    /* the columns whose text is kept: the command's, --id's, --value-labels' */
    const char *all[64 + 1 + SURVEY_VALUE_LABELS_MAX];
    char vcol[SURVEY_VALUE_LABELS_MAX][256];
    size_t na = 0;
    if (nkeep > 64)
        return cli_fail(cmd, "too many columns to keep");
    for (size_t k = 0; k < nkeep; k++)
        all[na++] = keep[k];
    if (o->id)
        all[na++] = o->id;
    for (size_t v = 0; v < o->nvalue_labels; v++) {
        if (!value_labels_column(o->value_labels[v], vcol[v], sizeof vcol[v]))
            return cli_usage(cmd, "--value-labels: the column name of '%s' is too long",
                             o->value_labels[v]);
        all[na++] = vcol[v];
    }
    d.keep = all;
    d.nkeep = na;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_open(&d, ds, &err) != EGDI_OK)
        return survey_error(cmd, &err);
    for (size_t v = 0; v < o->nvalue_labels; v++) {
        const char *spec = value_labels_column(o->value_labels[v], NULL, 0);
        if (egdi_dataset_value_labels(*ds, vcol[v], spec, &o->data.read, &err) != EGDI_OK) {
            egdi_dataset_free(*ds);
            *ds = NULL;
            return survey_error(cmd, &err);
        }
    }
    int rc = o->save_scores ? save_scores(o, cmd, *ds) : CLI_OK;
    if (rc != CLI_OK) {
        egdi_dataset_free(*ds);
        *ds = NULL;
    }
    return rc;
}

bool survey_split_list(const char *list, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    size_t len = strlen(list), parts = 1;
    for (size_t i = 0; i < len; i++)
        parts += list[i] == ',' || (i + 2 < len && (unsigned char)list[i] == 0xEF &&
                                    (unsigned char)list[i + 1] == 0xBC &&
                                    (unsigned char)list[i + 2] == 0x8C);
    /* one block: the pointers, then a copy of the text */
    char **out = malloc(parts * sizeof *out + len + 1);
    if (!out)
        return false;
    char *text = (char *)(out + parts);
    memcpy(text, list, len + 1);
    size_t k = 0;
    char *p = text;
    for (;;) {
        char *end = p;
        size_t sep = 0;
        while (*end) {
            if (*end == ',') {
                sep = 1;
                break;
            }
            if ((unsigned char)end[0] == 0xEF && (unsigned char)end[1] == 0xBC &&
                (unsigned char)end[2] == 0x8C) {
                sep = 3;
                break;
            }
            end++;
        }
        char *next = sep ? end + sep : NULL;
        *end = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (!*p) {
            free(out);
            return false;
        }
        out[k++] = p;
        if (!next)
            break;
        p = next;
    }
    *names = out;
    *n = k;
    return true;
}

const char *survey_p_text(double p, char buf[16])
{
    if (isnan(p))
        return "";
    if (p < 0.001)
        return "< .001";
    snprintf(buf, 16, "%.3f", p);
    return buf;
}

const char *survey_stars(double p)
{
    return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : "";
}

const char *survey_missing_note(const survey_opts *o)
{
    return o->pairwise ? SURVEY_L(o, "成对删除, 同 psych", "pairwise deletion, as psych")
                       : SURVEY_L(o, "列表删除, 同 SPSS", "listwise deletion, as SPSS");
}

/* The first CSV table of a command, held until we know whether another
 * follows (then both are titled) or the command ends (then it is printed
 * untitled, as a one-table CSV always was).  One command runs per process. */
static cli_table *csv_held;

int survey_print_table(cli_table *t, const survey_opts *o, const char *cmd, bool first)
{
    if (!t)
        return cli_fail(cmd, "out of memory");
    int rc = 0;
    if (o->fmt == CLI_CSV) {
        if (first && !csv_held) {
            csv_held = t;
            return CLI_OK;
        }
        if (csv_held) {
            rc = cli_table_print_csv_titled(csv_held, stdout);
            cli_table_free(csv_held);
            csv_held = NULL;
        }
        if (rc == 0 && fputc('\n', stdout) == EOF)
            rc = -1;
        if (rc == 0)
            rc = cli_table_print_csv_titled(t, stdout);
        cli_table_free(t);
        return rc == 0 ? CLI_OK : cli_fail(cmd, "cannot write the output");
    }
    if (!first && fputc('\n', stdout) == EOF)
        rc = -1;
    if (rc == 0)
        rc = cli_table_print(t, stdout, o->fmt);
    cli_table_free(t);
    return rc == 0 ? CLI_OK : cli_fail(cmd, "cannot write the output");
}

int survey_print_done(const char *cmd)
{
    if (!csv_held)
        return CLI_OK;
    int rc = cli_table_print(csv_held, stdout, CLI_CSV);
    cli_table_free(csv_held);
    csv_held = NULL;
    return rc == 0 ? CLI_OK : cli_fail(cmd, "cannot write the output");
}

int survey_print_json(json_t *root, const char *cmd)
{
    if (!root)
        return cli_fail(cmd, "out of memory");
    int rc = cli_json_print(root, stdout) == 0 ? CLI_OK : cli_fail(cmd, "cannot write the output");
    json_decref(root);
    return rc;
}

json_t *survey_json_levene(const egdi_levene *l)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "F", cli_json_num(l->F));
    json_object_set_new(j, "df1", cli_json_count(l->df1));
    json_object_set_new(j, "df2", cli_json_count(l->df2));
    json_object_set_new(j, "p", cli_json_num(l->p));
    return j;
}

json_t *survey_json_trow(const egdi_trow *r)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "t", cli_json_num(r->t));
    json_object_set_new(j, "df", cli_json_count(r->df));
    json_object_set_new(j, "p", cli_json_num(r->p));
    json_object_set_new(j, "se", cli_json_num(r->se));
    json_object_set_new(j, "ci", json_pack("[oo]", cli_json_num(r->ci_lo), cli_json_num(r->ci_hi)));
    return j;
}

/* ---- the command ------------------------------------------------------------ */

static const cli_command *const subs[] = {
    &survey_cmd_describe, &survey_cmd_items,   &survey_cmd_alpha,   &survey_cmd_ttest,
    &survey_cmd_anova,    &survey_cmd_kmo,     &survey_cmd_efa,     &survey_cmd_cfa,
    &survey_cmd_validity, &survey_cmd_profile, &survey_cmd_corr,    &survey_cmd_regress,
    &survey_cmd_mediate,  &survey_cmd_crosstab,
    &survey_cmd_report,
    NULL,
};

extern const cli_command cmd_survey;

static int run(int argc, char **argv, cli_ctx *ctx)
{
    if (argc < 2) {
        cli_help_print(stderr, NULL, &cmd_survey);
        return CLI_USAGE;
    }
    const cli_command *sub = cli_command_find(&cmd_survey, argv[1]);
    if (!sub)
        return cli_unknown_command(&cmd_survey, argv[1]);
    int rc = sub->run(argc - 1, argv + 1, ctx);
    int done = survey_print_done("egdi survey");
    return rc == CLI_OK ? done : rc;
}

const cli_command cmd_survey = {
    .name = "survey",
    .run = run,
    .summary = "questionnaire statistics: describe, items, alpha, ttest, anova, kmo, efa, cfa, "
               "validity, profile, corr, regress, mediate, crosstab",
    .usage = "SUBCOMMAND --data FILE|--survey NAME [OPTIONS]",
    .common = survey_common_options,
    .subs = subs,
};
