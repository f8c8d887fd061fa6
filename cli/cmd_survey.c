/*
 * cmd_survey.c - `egdi survey SUBCOMMAND`: the subcommand table, the
 * options every subcommand shares and opening the data (survey_cli.h).
 *
 * The tables (subcommands, options, their help) are in survey_help.h; the
 * data are read, mapped and checked by surveys/dataset.c, which this file
 * only calls.  Nothing here is owned past a call.
 */
#include "cli/survey_cli.h"

#include <stdlib.h>
#include <string.h>

/* `egdi survey --help`, generated from the tables (GCC and clang accept a
 * string literal this long; ISO C promises 4095 bytes). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
const char survey_help_text[] = SURVEY_HELP_TEXT;
#pragma GCC diagnostic pop

static const struct option common_options[] = {SURVEY_COMMON_OPTIONS(SURVEY_OPT_ENTRY)};
#define COMMON_COUNT (sizeof common_options / sizeof common_options[0])

void survey_opts_init(survey_opts *o, const cli_ctx *ctx)
{
    memset(o, 0, sizeof *o);
    egdi_dataset_opts_init(&o->data);
    o->fmt = CLI_TABLE;
    o->lang = CLI_ZH;
    o->data.db = ctx->db_path;
}

static bool parse_scale(const char *s, double *lo, double *hi)
{
    /* MIN-MAX with MIN possibly negative: split at the first '-' after the
     * first character. */
    const char *dash = strchr(s + (*s == '-' ? 1 : 0), '-');
    if (!dash || dash == s)
        return false;
    char a[64];
    size_t n = (size_t)(dash - s);
    if (n >= sizeof a)
        return false;
    memcpy(a, s, n);
    a[n] = '\0';
    return cli_parse_double(a, lo) && cli_parse_double(dash + 1, hi) && *lo < *hi;
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
        if (!parse_scale(arg, &d->scale_min, &d->scale_max))
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
    default:
        return 0;
    }
}

int survey_getopt(int argc, char **argv, const struct option *extra, size_t nextra,
                  survey_opts *o, const char *cmd,
                  int (*handle)(int c, const char *arg, void *ud), void *ud)
{
    struct option all[COMMON_COUNT + SURVEY_MAX_EXTRA + 1];
    if (nextra > SURVEY_MAX_EXTRA)
        return cli_fail(cmd, "internal error: too many options");
    memcpy(all, common_options, sizeof common_options);
    if (nextra)
        memcpy(all + COMMON_COUNT, extra, nextra * sizeof *all);
    memset(&all[COMMON_COUNT + nextra], 0, sizeof *all);
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", all, NULL)) != -1) {
        if (c == '?')
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        if (c == ':')
            return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        int h = common_option(c, optarg, o, cmd);
        if (h == 0 && handle)
            h = handle(c, optarg, ud);
        if (h == 0)
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        if (h != 1)
            return h;
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return CLI_OK;
}

int survey_error(const char *cmd, const egdi_error *err)
{
    if (err->status != EGDI_ERR_ARG)
        return cli_report(cmd, err);
    char line[EGDI_ERR_MSG_MAX + EGDI_ERR_FILE_MAX + EGDI_ERR_SHEET_MAX + 64];
    egdi_error_format(err, line, sizeof line);
    return cli_usage(cmd, "%s", line);
}

int survey_open(const survey_opts *o, const char *cmd, const char *const *keep, size_t nkeep,
                egdi_dataset **ds)
{
    egdi_dataset_opts d = o->data;
    d.keep = keep;
    d.nkeep = nkeep;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_open(&d, ds, &err) != EGDI_OK)
        return survey_error(cmd, &err);
    return CLI_OK;
}

const char *survey_missing_note(const survey_opts *o)
{
    return o->pairwise ? SURVEY_L(o, "成对删除, 同 psych", "pairwise deletion, as psych")
                       : SURVEY_L(o, "列表删除, 同 SPSS", "listwise deletion, as SPSS");
}

int survey_print_table(cli_table *t, const survey_opts *o, const char *cmd, bool first)
{
    if (!t)
        return cli_fail(cmd, "out of memory");
    int rc = 0;
    if (!first && fputc('\n', stdout) == EOF)
        rc = -1;
    if (rc == 0)
        rc = cli_table_print(t, stdout, o->fmt);
    cli_table_free(t);
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
    json_object_set_new(j, "df1", cli_json_num(l->df1));
    json_object_set_new(j, "df2", cli_json_num(l->df2));
    json_object_set_new(j, "p", cli_json_num(l->p));
    return j;
}

json_t *survey_json_trow(const egdi_trow *r)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "t", cli_json_num(r->t));
    json_object_set_new(j, "df", cli_json_num(r->df));
    json_object_set_new(j, "p", cli_json_num(r->p));
    json_object_set_new(j, "se", cli_json_num(r->se));
    json_object_set_new(j, "ci", json_pack("[oo]", cli_json_num(r->ci_lo), cli_json_num(r->ci_hi)));
    return j;
}

/* ---- the command ------------------------------------------------------------ */

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv, cli_ctx *ctx);
    const char *summary;
} survey_sub;

#define SUB_ENTRY(name, pad, summary, options, notes) {#name, survey_cmd_##name, summary},
static const survey_sub subs[] = {SURVEY_SUBCOMMANDS(SUB_ENTRY){NULL, NULL, NULL}};

int cmd_survey(int argc, char **argv, cli_ctx *ctx)
{
    if (argc < 2) {
        fprintf(stderr, "usage: egdi survey SUBCOMMAND [OPTIONS]\n\nsubcommands:\n");
        for (const survey_sub *s = subs; s->name; s++)
            fprintf(stderr, "  %-9s %s\n", s->name, s->summary);
        return CLI_USAGE;
    }
    for (const survey_sub *s = subs; s->name; s++)
        if (strcmp(s->name, argv[1]) == 0) {
            optind = 0; /* full getopt re-init for the subcommand */
            return s->run(argc - 1, argv + 1, ctx);
        }
    return cli_usage("survey", "unknown subcommand '%s'", argv[1]);
}
