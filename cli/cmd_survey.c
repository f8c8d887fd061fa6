/*
 * cmd_survey.c - `egdi survey SUBCOMMAND`: the subcommand table, the
 * options every subcommand shares, and loading the data (survey_cli.h,
 * survey_data.h).
 *
 * Data flow: survey_sheet_load() streams the file through the reader
 * (engine/readers/reader.h) once (egdi_reader_next_small when no text is kept:
 * answers arrive as bytes), turning every cell of every headed column into a
 * number (NaN for an empty cell or one that is not a number, remembering
 * the first such cell per column so that using that column as numbers can
 * fail with its location) and keeping the text of the few columns a
 * subcommand asks for (group labels).  Values go straight into growing
 * per-column arrays: one byte per cell while a column holds only whole
 * numbers 0..254 (Likert answers; a 200,000 x 44 survey is then 9 MB, not
 * 70 MB of doubles whose page faults alone cost more than reading it), and
 * doubles from its first other number on.  survey_load_items()
 * then picks the item columns, applies the reverse keys and the declared
 * scale, and deletes incomplete rows (listwise) unless pairwise.
 *
 * Ownership: a survey_sheet, survey_matrix and survey_scaleset own all
 * their arrays and strings; each has its own free function.
 */
#include "cli/survey_cli.h"
#include "cli/survey_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/bigmem.h"
#include "engine/core/itemlist.h"
#include "engine/readers/reader.h"
#include "engine/import/scales.h"
#include "engine/core/value.h"

/* The most cells (rows x headed columns) a survey file may hold in memory:
 * 100 million doubles, 800 MB. */
#define SURVEY_MAX_CELLS 100000000ULL
/* Longest cell text quoted in an error message, in bytes. */
#define SURVEY_QUOTE_MAX 60

enum {
    OPT_DATA = 0x1000,
    OPT_SHEET,
    OPT_ENCODING,
    OPT_SURVEY,
    OPT_ITEMS,
    OPT_REVERSE,
    OPT_SCALE,
    OPT_SCALES,
    OPT_MISSING,
    OPT_FORMAT,
    OPT_LANG,
    OPT_MAX_UNZIPPED,
    OPT_MAX_RATIO,
};

const struct option survey_common_options[] = {
    {"data", required_argument, NULL, OPT_DATA},
    {"sheet", required_argument, NULL, OPT_SHEET},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"survey", required_argument, NULL, OPT_SURVEY},
    {"items", required_argument, NULL, OPT_ITEMS},
    {"reverse", required_argument, NULL, OPT_REVERSE},
    {"scale", required_argument, NULL, OPT_SCALE},
    {"scales", required_argument, NULL, OPT_SCALES},
    {"missing", required_argument, NULL, OPT_MISSING},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"lang", required_argument, NULL, OPT_LANG},
    {"max-unzipped", required_argument, NULL, OPT_MAX_UNZIPPED},
    {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
    {NULL, 0, NULL, 0},
};

void survey_opts_init(survey_opts *o, const cli_ctx *ctx)
{
    memset(o, 0, sizeof *o);
    o->fmt = CLI_TABLE;
    o->lang = CLI_ZH;
    o->db_path = ctx->db_path;
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

int survey_common_option(int c, const char *arg, survey_opts *o, const char *cmd)
{
    switch (c) {
    case OPT_DATA:
        o->data = arg;
        return 1;
    case OPT_SHEET:
        o->sheet = arg;
        return 1;
    case OPT_ENCODING: {
        egdi_encoding enc;
        if (egdi_encoding_parse(arg, &enc, NULL) != EGDI_OK)
            return cli_usage(cmd, "unknown encoding '%s' (use auto, utf-8 or gbk)", arg);
        o->encoding = arg;
        return 1;
    }
    case OPT_SURVEY:
        o->survey = arg;
        return 1;
    case OPT_ITEMS:
        o->items = arg;
        return 1;
    case OPT_REVERSE:
        o->reverse = arg;
        return 1;
    case OPT_SCALE:
        if (!parse_scale(arg, &o->scale_min, &o->scale_max))
            return cli_usage(cmd, "--scale wants MIN-MAX with MIN < MAX, e.g. 1-5, not '%s'",
                             arg);
        o->have_scale = true;
        return 1;
    case OPT_SCALES:
        o->scales = arg;
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
        if (cli_limit_option(c == OPT_MAX_RATIO ? "max-ratio" : "max-unzipped", arg, &o->limits,
                             cmd) != CLI_OK)
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

/* ---- reading the sheet -------------------------------------------------- */

void survey_sheet_free(survey_sheet *s)
{
    if (!s)
        return;
    for (size_t j = 0; j < s->ncols; j++) {
        if (s->header)
            free(s->header[j]);
        if (s->bad_text)
            free(s->bad_text[j]);
        if (s->text && s->text[j]) {
            for (size_t i = 0; i < s->nrows; i++)
                free(s->text[j][i]);
            free(s->text[j]);
        }
    }
    if (s->dimension)
        for (size_t j = 0; j < s->ncols; j++)
            free(s->dimension[j]);
    free(s->dimension);
    free(s->is_item);
    free(s->stored_reversed);
    free(s->header);
    free(s->bad_text);
    free(s->bad_why);
    free(s->bad_row);
    free(s->has_value);
    free(s->text);
    if (s->col)
        for (size_t j = 0; j < s->ncols; j++)
            free(s->col[j]);
    free(s->col);
    if (s->code)
        for (size_t j = 0; j < s->ncols; j++)
            free(s->code[j]);
    free(s->code);
    free(s->rownum);
    free(s->source);
    free(s->sheet);
    free(s);
}

/* A copy of the cell as text (a number without its literal as %.15g). */
static char *cell_text(const egdi_cell *c)
{
    if (c->type == EGDI_CELL_EMPTY)
        return NULL;
    if (c->text)
        return strdup(c->text);
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", c->num);
    return strdup(buf);
}

/* The cell as a number: OK, DONE for missing, VALUE (with why) otherwise.
 * Dates are not answers; blank text is missing. */
static egdi_status cell_value(const egdi_cell *c, double *v, const char **why)
{
    /* fast path: a short run of ASCII digits, what Likert answers are */
    if (c->type == EGDI_CELL_TEXT && c->len > 0 && c->len <= 6) {
        unsigned long u = 0;
        size_t k = 0;
        while (k < c->len && c->text[k] >= '0' && c->text[k] <= '9')
            u = u * 10 + (unsigned long)(c->text[k++] - '0');
        if (k == c->len) {
            *v = (double)u;
            return EGDI_OK;
        }
    }
    if (c->type == EGDI_CELL_TEXT && egdi_text_blank(c->text, c->len))
        return EGDI_DONE;
    if (c->type == EGDI_CELL_DATE) {
        *why = "a date, not a number";
        return EGDI_ERR_VALUE;
    }
    return egdi_cell_number(c, true, v, why);
}

typedef struct {
    double **col;      /* per column, growing while reading (NULL while code) */
    unsigned char **code; /* per column: one byte per value while they fit */
    uint32_t *rownum;
    char ***text;      /* per kept column: growing array of strings */
    size_t cap;
} grow_buf;

static int grow(survey_sheet *s, grow_buf *g, const bool *kept)
{
    if (s->nrows < g->cap)
        return 0;
    size_t ncap = g->cap ? g->cap * 2 : 64;
    if ((unsigned long long)ncap * s->ncols > SURVEY_MAX_CELLS)
        ncap = (size_t)(SURVEY_MAX_CELLS / s->ncols);
    if (ncap <= s->nrows)
        return -2;
    for (size_t j = 0; j < s->ncols; j++) {
        if (g->code[j]) {
            unsigned char *c = realloc(g->code[j], ncap);
            if (!c)
                return -1;
            g->code[j] = c;
            continue;
        }
        double *c = realloc(g->col[j], ncap * sizeof *c);
        if (!c)
            return -1;
        g->col[j] = c;
    }
    uint32_t *rn = realloc(g->rownum, ncap * sizeof *rn);
    if (!rn)
        return -1;
    g->rownum = rn;
    for (size_t j = 0; j < s->ncols; j++) {
        if (!kept[j])
            continue;
        char **t = realloc(g->text[j], ncap * sizeof *t);
        if (!t)
            return -1;
        g->text[j] = t;
    }
    g->cap = ncap;
    return 0;
}

/* Stores v as row i of column j: as a byte while the column's values fit
 * (whole numbers 0..254 or NaN; not -0), else as a double, widening the
 * column at its first value that does not fit.  -1 on OOM. */
static int put_value(grow_buf *g, size_t j, size_t i, double v)
{
    unsigned char *code = g->code[j];
    if (code) {
        if (isnan(v)) {
            code[i] = SURVEY_CODE_NA;
            return 0;
        }
        if (v >= 0 && v < SURVEY_CODE_NA && v == (double)(int)v && !signbit(v)) {
            code[i] = (unsigned char)(int)v;
            return 0;
        }
        double *c = malloc(g->cap * sizeof *c);
        if (!c)
            return -1;
        for (size_t k = 0; k < i; k++)
            c[k] = code[k] == SURVEY_CODE_NA ? NAN : (double)code[k];
        free(code);
        g->code[j] = NULL;
        g->col[j] = c;
    }
    g->col[j][i] = v;
    return 0;
}

static char *quote_text(const char *t)
{
    size_t n = strlen(t);
    if (n <= SURVEY_QUOTE_MAX)
        return strdup(t);
    /* cut at a UTF-8 boundary */
    size_t k = SURVEY_QUOTE_MAX;
    while (k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80)
        k--;
    char *q = malloc(k + 4);
    if (q) {
        memcpy(q, t, k);
        memcpy(q + k, "...", 4);
    }
    return q;
}

int survey_sheet_load(const survey_opts *o, const char *cmd, const char *const *keep,
                      size_t nkeep, survey_sheet **out)
{
    *out = NULL;
    if (o->survey && o->data)
        return cli_usage(cmd, "give --data FILE or --survey NAME, not both");
    if (o->survey)
        return survey_sheet_from_store(o, cmd, keep, nkeep, out);
    if (!o->data)
        return cli_usage(cmd, "no data: give --data FILE or --survey NAME");
    egdi_read_opts ro;
    egdi_read_opts_init(&ro);
    ro.sheet = o->sheet;
    ro.limits = o->limits;
    egdi_error err;
    egdi_error_clear(&err);
    if (o->encoding && egdi_encoding_parse(o->encoding, &ro.encoding, &err) != EGDI_OK)
        return cli_report(cmd, &err);
    egdi_reader *r = NULL;
    survey_sheet *s = calloc(1, sizeof *s);
    bool *kept = NULL;
    grow_buf g = {0};
    int rc = CLI_FAIL;
    if (!s)
        goto nomem;
    if (egdi_reader_open(&r, o->data, &ro, &err) != EGDI_OK) {
        rc = cli_report(cmd, &err);
        goto fail;
    }
    s->source = strdup(o->data);
    if (!s->source)
        goto nomem;
    if (egdi_reader_sheet(r) && !(s->sheet = strdup(egdi_reader_sheet(r))))
        goto nomem;
    egdi_row row;
    egdi_status st;
    bool have_header = false;
    /* after the header, small whole numbers (answers) come as bytes without
     * a cell, unless the text of some column is kept (group labels such as
     * "01" must stay as written) */
    const bool use_small = nkeep == 0;
    while ((st = have_header && use_small ? egdi_reader_next_small(r, &row, &err)
                                          : egdi_reader_next(r, &row, &err)) == EGDI_OK) {
        if (!have_header) {
            bool any = false;
            for (size_t j = 0; j < row.ncells; j++)
                if (row.cells[j].type != EGDI_CELL_EMPTY &&
                    !(row.cells[j].type == EGDI_CELL_TEXT &&
                      egdi_text_blank(row.cells[j].text, row.cells[j].len)))
                    any = true;
            if (!any)
                continue;
            have_header = true;
            s->ncols = row.ncells;
            s->header = calloc(s->ncols, sizeof *s->header);
            s->bad_text = calloc(s->ncols, sizeof *s->bad_text);
            s->bad_why = calloc(s->ncols, sizeof *s->bad_why);
            s->bad_row = calloc(s->ncols, sizeof *s->bad_row);
            s->has_value = calloc(s->ncols, sizeof *s->has_value);
            s->text = calloc(s->ncols, sizeof *s->text);
            kept = calloc(s->ncols, sizeof *kept);
            g.text = calloc(s->ncols, sizeof *g.text);
            g.col = calloc(s->ncols, sizeof *g.col);
            g.code = calloc(s->ncols, sizeof *g.code);
            if (!g.col || !g.code || !s->header || !s->bad_text || !s->bad_why || !s->bad_row || !s->has_value ||
                !s->text || !kept || !g.text)
                goto nomem;
            for (size_t j = 0; j < s->ncols; j++) {
                char *h = cell_text(&row.cells[j]);
                if (!h && !(h = strdup("")))
                    goto nomem;
                /* trim surrounding ASCII spaces of the item code */
                size_t a = 0, b = strlen(h);
                while (h[a] == ' ' || h[a] == '\t')
                    a++;
                while (b > a && (h[b - 1] == ' ' || h[b - 1] == '\t' || h[b - 1] == '\r'))
                    b--;
                memmove(h, h + a, b - a);
                h[b - a] = '\0';
                s->header[j] = h;
                if (!(g.code[j] = malloc(1)))
                    goto nomem;
                for (size_t k = 0; k < nkeep; k++)
                    if (keep[k] && *h && strcmp(keep[k], h) == 0)
                        kept[j] = true;
            }
            continue;
        }
        int gr = grow(s, &g, kept);
        if (gr == -1)
            goto nomem;
        if (gr == -2) {
            rc = cli_fail(cmd, "%s: more than %llu cells; too large to analyse in memory",
                          o->data, SURVEY_MAX_CELLS);
            goto fail;
        }
        size_t i = s->nrows;
        g.rownum[i] = row.number;
        for (size_t j = 0; j < s->ncols; j++) {
            if (row.small && j < row.ncells && row.small[j] != EGDI_SMALL_NONE) {
                s->has_value[j] = true;
                if (put_value(&g, j, i, row.small[j]) != 0)
                    goto nomem;
                continue; /* (no column is kept when rows come with small) */
            }
            const egdi_cell *c = j < row.ncells ? &row.cells[j] : NULL;
            double v = NAN;
            if (c) {
                const char *why = NULL;
                egdi_status cs = cell_value(c, &v, &why);
                if (cs == EGDI_OK) {
                    s->has_value[j] = true;
                } else {
                    v = NAN;
                    if (cs != EGDI_DONE && !s->bad_row[j]) {
                        s->bad_row[j] = row.number;
                        s->bad_why[j] = why ? why : "not a number";
                        char *t = cell_text(c);
                        s->bad_text[j] = t ? quote_text(t) : strdup("");
                        free(t);
                        if (!s->bad_text[j])
                            goto nomem;
                    }
                }
            }
            if (put_value(&g, j, i, v) != 0)
                goto nomem;
            if (kept[j]) {
                char *t = NULL;
                if (c && c->type != EGDI_CELL_EMPTY &&
                    !(c->type == EGDI_CELL_TEXT && egdi_text_blank(c->text, c->len))) {
                    t = cell_text(c);
                    if (!t)
                        goto nomem;
                }
                g.text[j][i] = t;
            }
        }
        s->nrows++;
    }
    if (st != EGDI_DONE) {
        rc = cli_report(cmd, &err);
        goto fail;
    }
    if (!have_header) {
        rc = cli_fail(cmd, "%s: no header row (the file is empty)", o->data);
        goto fail;
    }
    /* transpose to column-major */
    s->rownum = malloc((s->nrows ? s->nrows : 1) * sizeof *s->rownum);
    if (!s->rownum)
        goto nomem;
    memcpy(s->rownum, g.rownum, s->nrows * sizeof *s->rownum);
    s->col = g.col; /* the growing arrays become the columns */
    g.col = NULL;
    s->code = g.code;
    g.code = NULL;
    for (size_t j = 0; j < s->ncols; j++)
        if (kept[j]) {
            s->text[j] = g.text[j];
            g.text[j] = NULL;
            if (!s->text[j] && !(s->text[j] = calloc(1, sizeof(char *))))
                goto nomem;
        }
    rc = CLI_OK;
    *out = s;
    s = NULL;
    goto done;
nomem:
    rc = cli_fail(cmd, "out of memory reading %s", o->data);
fail:
done:
    if (g.text && s) {
        for (size_t j = 0; j < s->ncols; j++)
            if (g.text[j]) {
                for (size_t i = 0; i < s->nrows; i++)
                    free(g.text[j][i]);
                free(g.text[j]);
            }
    }
    free(g.text);
    if (g.col && s)
        for (size_t j = 0; j < s->ncols; j++)
            free(g.col[j]);
    free(g.col);
    if (g.code && s)
        for (size_t j = 0; j < s->ncols; j++)
            free(g.code[j]);
    free(g.code);
    free(g.rownum);
    free(kept);
    survey_sheet_free(s);
    egdi_reader_close(r);
    return rc;
}

const char *survey_sheet_text(const survey_sheet *s, size_t j, size_t i)
{
    return s->text[j] ? s->text[j][i] : NULL;
}

long survey_sheet_find(const survey_sheet *s, const char *name, const char *cmd, bool report)
{
    long found = -1;
    for (size_t j = 0; j < s->ncols; j++) {
        if (strcmp(s->header[j], name) != 0)
            continue;
        if (found >= 0) {
            if (report) {
                char a[8], b[8];
                cli_fail(cmd, "%s: the column name \"%s\" appears twice (columns %s and %s)",
                         s->source, name, egdi_col_letters((uint32_t)found + 1, a),
                         egdi_col_letters((uint32_t)j + 1, b));
            }
            return -2;
        }
        found = (long)j;
    }
    if (found < 0 && report)
        cli_usage(cmd, "%s has no column \"%s\"", s->source, name);
    return found;
}

int survey_sheet_check_numeric(const survey_sheet *s, size_t j, const char *cmd)
{
    if (!s->bad_row[j])
        return CLI_OK;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_error_at(&err, s->source, s->sheet, s->bad_row[j], (uint32_t)j + 1);
    egdi_error_set(&err, EGDI_ERR_VALUE, "\"%s\" in %s is not a number (%s)", s->bad_text[j],
                   s->header[j], s->bad_why[j]);
    return cli_report(cmd, &err);
}

/* Appends column j unless already present. */
static int push_idx(size_t **idx, size_t *n, size_t *cap, size_t j)
{
    for (size_t k = 0; k < *n; k++)
        if ((*idx)[k] == j)
            return 0;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        size_t *t = realloc(*idx, nc * sizeof *t);
        if (!t)
            return -1;
        *idx = t;
        *cap = nc;
    }
    (*idx)[(*n)++] = j;
    return 0;
}

int survey_parse_list(const survey_sheet *s, const char *list, const char *cmd,
                      size_t **idx, size_t *n)
{
    *idx = NULL;
    *n = 0;
    char *copy = strdup(list);
    if (!copy)
        return cli_fail(cmd, "out of memory");
    /* a full-width comma (U+FF0C, typed with Chinese input) separates too */
    char *w = copy;
    for (const char *r = copy; *r;) {
        if ((unsigned char)r[0] == 0xEF && (unsigned char)r[1] == 0xBC &&
            (unsigned char)r[2] == 0x8C) {
            *w++ = ',';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_itemlist_select(copy, (const char *const *)s->header, s->ncols, idx, n,
                                          &err);
    free(copy);
    if (st == EGDI_ERR_NOMEM)
        return cli_fail(cmd, "out of memory");
    if (st != EGDI_OK) {
        if (s->sheet)
            return cli_usage(cmd, "%s, sheet \"%s\": %s", s->source, s->sheet, err.message);
        return cli_usage(cmd, "%s: %s", s->source, err.message);
    }
    /* columns without a header are not items; a name used twice is ambiguous */
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        size_t j = (*idx)[i];
        if (!s->header[j][0])
            continue;
        if (survey_sheet_find(s, s->header[j], cmd, true) == -2) {
            free(*idx);
            *idx = NULL;
            *n = 0;
            return CLI_USAGE;
        }
        (*idx)[k++] = j;
    }
    *n = k;
    if (k == 0) {
        free(*idx);
        *idx = NULL;
        return cli_usage(cmd, "the item list \"%s\" names no column", list);
    }
    return CLI_OK;
}

/* ---- scales --------------------------------------------------------------- */

void survey_scales_free(survey_scaleset *set)
{
    if (!set)
        return;
    for (size_t s = 0; s < set->k; s++) {
        free(set->name[s]);
        free(set->item[s]);
        free(set->reversed[s]);
    }
    free(set->name);
    free(set->count);
    free(set->item);
    free(set->reversed);
    memset(set, 0, sizeof *set);
}

/* Finds or adds scale name; returns its index or -1 on OOM. */
static long scale_slot(survey_scaleset *set, const char *name)
{
    for (size_t s = 0; s < set->k; s++)
        if (strcmp(set->name[s], name) == 0)
            return (long)s;
    size_t k = set->k + 1;
    char **nm = realloc(set->name, k * sizeof *nm);
    if (!nm)
        return -1;
    set->name = nm;
    size_t *cnt = realloc(set->count, k * sizeof *cnt);
    if (!cnt)
        return -1;
    set->count = cnt;
    size_t **it = realloc(set->item, k * sizeof *it);
    if (!it)
        return -1;
    set->item = it;
    bool **rv = realloc(set->reversed, k * sizeof *rv);
    if (!rv)
        return -1;
    set->reversed = rv;
    set->name[set->k] = strdup(name);
    set->count[set->k] = 0;
    set->item[set->k] = NULL;
    set->reversed[set->k] = NULL;
    if (!set->name[set->k])
        return -1;
    set->k = k;
    return (long)(k - 1);
}

/* Adds sheet column j (reversed or not) to scale `name`; -1 on OOM. */
static int scale_add(survey_scaleset *set, const char *name, size_t j, bool rev)
{
    long s = scale_slot(set, name);
    if (s < 0)
        return -1;
    size_t c = set->count[s] + 1;
    size_t *it = realloc(set->item[s], c * sizeof *it);
    if (!it)
        return -1;
    set->item[s] = it;
    bool *rv = realloc(set->reversed[s], c * sizeof *rv);
    if (!rv)
        return -1;
    set->reversed[s] = rv;
    it[c - 1] = j;
    rv[c - 1] = rev;
    set->count[s] = c;
    return 0;
}

typedef struct {
    const survey_sheet *sh;
    const char *cmd;
    const char *source;
    survey_scaleset *out;
} scales_ctx;

/* egdi_scales_fn: one row of the scales table into the set. */
static egdi_status scales_row(void *ctx, const char *scale, const char *item, bool rev,
                              uint32_t row, uint32_t item_col, egdi_error *err)
{
    scales_ctx *c = ctx;
    long j = survey_sheet_find(c->sh, item, c->cmd, false);
    if (j < 0) {
        egdi_error_at(err, c->source, NULL, row, item_col);
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "item \"%s\" is not a column of %s%s",
                              item, c->sh->source, j == -2 ? " (or is there twice)" : "");
    }
    if (scale_add(c->out, scale, (size_t)j, rev) != 0)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
}

int survey_scales_load(const survey_opts *o, const survey_sheet *sh, const char *cmd,
                       survey_scaleset *out)
{
    memset(out, 0, sizeof *out);
    if (!o->scales && sh->dimension) { /* a stored survey's own dimensions */
        for (size_t j = 0; j < sh->ncols; j++)
            if (sh->dimension[j] &&
                scale_add(out, sh->dimension[j], j, sh->stored_reversed[j]) != 0) {
                survey_scales_free(out);
                return cli_fail(cmd, "out of memory");
            }
        return CLI_OK;
    }
    if (!o->scales)
        return CLI_OK;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_reader *r = NULL;
    egdi_read_opts ro;
    egdi_read_opts_init(&ro);
    ro.limits = o->limits;
    if (egdi_reader_open(&r, o->scales, &ro, &err) != EGDI_OK)
        return cli_report(cmd, &err);
    int rc;
    scales_ctx ctx = {sh, cmd, o->scales, out};
    if (egdi_scales_read(r, o->scales, scales_row, &ctx, &err) != EGDI_OK)
        rc = cli_report(cmd, &err);
    else if (out->k == 0)
        rc = cli_fail(cmd, "%s defines no scale", o->scales);
    else
        rc = CLI_OK;
    egdi_reader_close(r);
    if (rc != CLI_OK)
        survey_scales_free(out);
    return rc;
}

/* Checks x against the declared scale; names the cell on failure. */
static int check_in_scale(const survey_opts *o, const survey_sheet *s, size_t j,
                          const char *cmd)
{
    if (!o->have_scale)
        return CLI_OK;
    for (size_t i = 0; i < s->nrows; i++) {
        double x = survey_sheet_at(s, j, i);
        if (isnan(x) || (x >= o->scale_min && x <= o->scale_max))
            continue;
        egdi_error err;
        egdi_error_clear(&err);
        egdi_error_at(&err, s->source, s->sheet, s->rownum[i], (uint32_t)j + 1);
        egdi_error_set(&err, EGDI_ERR_VALUE, "%s = %g is outside the scale %g-%g",
                       s->header[j], x, o->scale_min, o->scale_max);
        return cli_report(cmd, &err);
    }
    return CLI_OK;
}

/* o, with a stored survey's scale when --scale was not given. */
static survey_opts with_stored_scale(const survey_opts *o, const survey_sheet *s)
{
    survey_opts e = *o;
    if (!o->have_scale && s->have_scale) {
        e.have_scale = true;
        e.scale_min = s->scale_min;
        e.scale_max = s->scale_max;
    }
    return e;
}

int survey_variable(const survey_opts *opts, const survey_sheet *s, const survey_scaleset *set,
                    const char *name, const char *cmd, double **y)
{
    survey_opts eff = with_stored_scale(opts, s);
    const survey_opts *o = &eff;
    *y = NULL;
    for (size_t k = 0; k < set->k; k++) {
        if (strcmp(set->name[k], name) != 0)
            continue;
        bool any_rev = false;
        for (size_t t = 0; t < set->count[k]; t++) {
            size_t j = set->item[k][t];
            int rc = survey_sheet_check_numeric(s, j, cmd);
            if (rc == CLI_OK)
                rc = check_in_scale(o, s, j, cmd);
            if (rc != CLI_OK)
                return rc;
            any_rev |= set->reversed[k][t];
        }
        if (any_rev && !o->have_scale)
            return cli_usage(cmd, "scale %s has reverse-keyed items: give --scale MIN-MAX",
                             name);
        double *v = malloc((s->nrows ? s->nrows : 1) * sizeof *v);
        if (!v)
            return cli_fail(cmd, "out of memory");
        for (size_t i = 0; i < s->nrows; i++) {
            double sum = 0;
            for (size_t t = 0; t < set->count[k]; t++) {
                double x = survey_sheet_at(s, set->item[k][t], i);
                sum += set->reversed[k][t] ? o->scale_min + o->scale_max - x : x;
            }
            v[i] = sum / (double)set->count[k];
        }
        *y = v;
        return CLI_OK;
    }
    long j = survey_sheet_find(s, name, cmd, true);
    if (j < 0)
        return j == -2 ? CLI_FAIL : CLI_USAGE;
    int rc = survey_sheet_check_numeric(s, (size_t)j, cmd);
    if (rc != CLI_OK)
        return rc;
    if (!s->has_value[j])
        return cli_fail(cmd, "column %s has no answers", name);
    double *v = malloc((s->nrows ? s->nrows : 1) * sizeof *v);
    if (!v)
        return cli_fail(cmd, "out of memory");
    for (size_t i = 0; i < s->nrows; i++)
        v[i] = survey_sheet_at(s, (size_t)j, i);
    *y = v;
    return CLI_OK;
}

/* ---- the item matrix ---------------------------------------------------- */

void survey_matrix_free(survey_matrix *m)
{
    if (!m)
        return;
    if (m->names)
        for (size_t j = 0; j < m->p; j++)
            free(m->names[j]);
    free(m->names);
    free(m->x);
    free(m->rows);
    free(m->reversed);
    free(m->source);
    memset(m, 0, sizeof *m);
}

/* The item columns: --items, else the items of --scales, else every column
 * whose values are all numbers (and that has at least one). */
static int choose_items(const survey_opts *o, const survey_sheet *s,
                        const survey_scaleset *set, const char *cmd, size_t **idx, size_t *n)
{
    if (o->items)
        return survey_parse_list(s, o->items, cmd, idx, n);
    *idx = NULL;
    *n = 0;
    size_t cap = 0;
    if (set->k > 0) {
        for (size_t k = 0; k < set->k; k++)
            for (size_t t = 0; t < set->count[k]; t++)
                if (push_idx(idx, n, &cap, set->item[k][t]) != 0)
                    return cli_fail(cmd, "out of memory");
        return CLI_OK;
    }
    for (size_t j = 0; j < s->ncols; j++)
        if (s->header[j][0] && !s->bad_row[j] && s->has_value[j] &&
            (!s->is_item || s->is_item[j]) &&
            push_idx(idx, n, &cap, j) != 0)
            return cli_fail(cmd, "out of memory");
    if (*n == 0)
        return cli_fail(cmd, "%s has no column of numbers; name the items with --items",
                        s->source);
    return CLI_OK;
}

/* Loads the matrix from a file or a stored survey (survey_sheet_load). */
static int load_from_file(const survey_opts *opts, const char *cmd, survey_matrix *m,
                          survey_scaleset *scales_out)
{
    survey_sheet *s = NULL;
    survey_scaleset set = {0};
    size_t *idx = NULL, nidx = 0, *rev = NULL, nrev = 0;
    unsigned char *drop = NULL;
    int rc = survey_sheet_load(opts, cmd, NULL, 0, &s);
    if (rc != CLI_OK)
        return rc;
    /* a stored survey brings its scale (unless --scale overrides it) */
    survey_opts stored = with_stored_scale(opts, s);
    const survey_opts *o = &stored;
    if ((rc = survey_scales_load(o, s, cmd, &set)) != CLI_OK)
        goto fail;
    if ((rc = choose_items(o, s, &set, cmd, &idx, &nidx)) != CLI_OK)
        goto fail;
    m->p = nidx;
    m->n_read = s->nrows;
    m->names = calloc(nidx, sizeof *m->names);
    m->reversed = calloc(nidx, sizeof *m->reversed);
    m->source = strdup(s->source);
    if (!m->names || !m->reversed || !m->source)
        goto nomem;
    for (size_t j = 0; j < nidx; j++) {
        if ((rc = survey_sheet_check_numeric(s, idx[j], cmd)) != CLI_OK)
            goto fail;
        if (!s->has_value[idx[j]]) {
            rc = cli_fail(cmd, "item %s has no answers (an empty column)", s->header[idx[j]]);
            goto fail;
        }
        if ((rc = check_in_scale(o, s, idx[j], cmd)) != CLI_OK)
            goto fail;
        if (!(m->names[j] = strdup(s->header[idx[j]])))
            goto nomem;
    }
    /* reverse keys: --reverse, and the scales table's reversed column */
    if (o->reverse && (rc = survey_parse_list(s, o->reverse, cmd, &rev, &nrev)) != CLI_OK)
        goto fail;
    for (size_t r = 0; r < nrev; r++) {
        bool found = false;
        for (size_t j = 0; j < nidx; j++)
            if (idx[j] == rev[r])
                m->reversed[j] = found = true;
        if (!found) {
            rc = cli_usage(cmd, "--reverse names %s, which is not among the items",
                           s->header[rev[r]]);
            goto fail;
        }
    }
    for (size_t k = 0; k < set.k; k++)
        for (size_t t = 0; t < set.count[k]; t++)
            if (set.reversed[k][t])
                for (size_t j = 0; j < nidx; j++)
                    if (idx[j] == set.item[k][t])
                        m->reversed[j] = true;
    if (s->stored_reversed) /* reverse keys stored with the survey */
        for (size_t j = 0; j < nidx; j++)
            m->reversed[j] = m->reversed[j] || s->stored_reversed[idx[j]];
    bool any_rev = false;
    for (size_t j = 0; j < nidx; j++)
        any_rev |= m->reversed[j];
    if (any_rev && !o->have_scale) {
        rc = cli_usage(cmd, "reverse-keyed items need the scale: give --scale MIN-MAX "
                            "(reversed = MIN + MAX - x)");
        goto fail;
    }
    /* rows kept: one sequential pass per column */
    drop = calloc(s->nrows ? s->nrows : 1, sizeof *drop);
    if (!drop)
        goto nomem;
    if (!o->pairwise)
        for (size_t j = 0; j < nidx; j++) {
            const unsigned char *code = s->code ? s->code[idx[j]] : NULL;
            const double *col = s->col[idx[j]];
            if (code)
                for (size_t i = 0; i < s->nrows; i++)
                    drop[i] = (unsigned char)(drop[i] | (code[i] == SURVEY_CODE_NA));
            else
                for (size_t i = 0; i < s->nrows; i++)
                    drop[i] = (unsigned char)(drop[i] | (isnan(col[i]) ? 1 : 0));
        }
    size_t keep = 0;
    for (size_t i = 0; i < s->nrows; i++)
        keep += !drop[i];
    m->n = keep;
    m->x = egdi_big_alloc((keep ? keep : 1) * (nidx ? nidx : 1) * sizeof *m->x);
    m->rows = malloc((keep ? keep : 1) * sizeof *m->rows);
    if (!m->x || !m->rows)
        goto nomem;
    for (size_t i = 0, r = 0; i < s->nrows; i++)
        if (!drop[i])
            m->rows[r++] = s->rownum[i];
    for (size_t j = 0; j < nidx; j++) {
        const unsigned char *code = s->code ? s->code[idx[j]] : NULL;
        const double *col = s->col[idx[j]];
        double *dst = m->x + j * keep;
        double flip = o->scale_min + o->scale_max;
        size_t r = 0;
        if (code) {
            /* NaN only on dropped rows unless pairwise */
            for (size_t i = 0; i < s->nrows; i++)
                if (!drop[i]) {
                    double x = code[i] == SURVEY_CODE_NA ? NAN : (double)code[i];
                    dst[r++] = m->reversed[j] ? flip - x : x;
                }
        } else {
            for (size_t i = 0; i < s->nrows; i++)
                if (!drop[i])
                    dst[r++] = m->reversed[j] ? flip - col[i] : col[i];
        }
    }
    if (scales_out) {
        /* sheet columns -> matrix columns */
        for (size_t k = 0; k < set.k; k++)
            for (size_t t = 0; t < set.count[k]; t++) {
                size_t j = 0;
                while (j < nidx && idx[j] != set.item[k][t])
                    j++;
                if (j == nidx) {
                    rc = cli_usage(cmd, "scale %s uses %s, which is not among the --items",
                                   set.name[k], s->header[set.item[k][t]]);
                    goto fail;
                }
                set.item[k][t] = j;
            }
        *scales_out = set;
        memset(&set, 0, sizeof set);
    }
    rc = CLI_OK;
    goto done;
nomem:
    rc = cli_fail(cmd, "out of memory");
fail:
    survey_matrix_free(m);
done:
    free(drop);
    free(idx);
    free(rev);
    survey_scales_free(&set);
    survey_sheet_free(s);
    return rc;
}

int survey_load_items_scales(const survey_opts *o, cli_ctx *ctx, const char *cmd,
                             survey_matrix *m, survey_scaleset *scales)
{
    (void)ctx;
    memset(m, 0, sizeof *m);
    if (scales)
        memset(scales, 0, sizeof *scales);
    return load_from_file(o, cmd, m, scales);
}

int survey_load_items(const survey_opts *o, cli_ctx *ctx, const char *cmd, survey_matrix *m)
{
    return survey_load_items_scales(o, ctx, cmd, m, NULL);
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

int survey_getopt(int argc, char **argv, const struct option *extra, size_t nextra,
                  survey_opts *o, const char *cmd,
                  int (*handle)(int c, const char *arg, void *ud), void *ud)
{
    struct option all[SURVEY_COMMON_OPTION_COUNT + SURVEY_MAX_EXTRA + 1];
    if (nextra > SURVEY_MAX_EXTRA)
        return cli_fail(cmd, "internal error: too many options");
    memcpy(all, survey_common_options, SURVEY_COMMON_OPTION_COUNT * sizeof *all);
    if (nextra)
        memcpy(all + SURVEY_COMMON_OPTION_COUNT, extra, nextra * sizeof *all);
    memset(&all[SURVEY_COMMON_OPTION_COUNT + nextra], 0, sizeof *all);
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", all, NULL)) != -1) {
        if (c == '?')
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        if (c == ':')
            return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        int h = survey_common_option(c, optarg, o, cmd);
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

/* ---- groups ---------------------------------------------------------------- */

void survey_groups_free(survey_groups *g)
{
    if (!g)
        return;
    for (size_t k = 0; k < g->k; k++) {
        if (g->label)
            free(g->label[k]);
        if (g->x)
            free(g->x[k]);
    }
    free(g->label);
    free(g->n);
    free(g->x);
    memset(g, 0, sizeof *g);
}

static int cmp_label(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    double u, v;
    if (cli_parse_double(x, &u) && cli_parse_double(y, &v))
        return (u > v) - (u < v);
    return strcmp(x, y);
}

static long label_index(char **labels, size_t k, const char *t)
{
    for (size_t g = 0; g < k; g++)
        if (strcmp(labels[g], t) == 0)
            return (long)g;
    return -1;
}

int survey_group_values(const survey_sheet *s, size_t gcol, const double *y,
                        const char *const *levels, size_t nlevels, const char *cmd,
                        survey_groups *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    if (levels) {
        out->label = calloc(nlevels, sizeof *out->label);
        if (!out->label)
            goto nomem;
        for (size_t g = 0; g < nlevels; g++)
            if (!(out->label[g] = strdup(levels[g])))
                goto nomem;
        out->k = nlevels;
    } else {
        for (size_t i = 0; i < s->nrows; i++) {
            const char *t = survey_sheet_text(s, gcol, i);
            if (!t || isnan(y[i]) || label_index(out->label, out->k, t) >= 0)
                continue;
            if (out->k == cap) {
                size_t nc = cap ? cap * 2 : 8;
                char **l = realloc(out->label, nc * sizeof *l);
                if (!l)
                    goto nomem;
                out->label = l;
                cap = nc;
            }
            if (!(out->label[out->k] = strdup(t)))
                goto nomem;
            out->k++;
        }
        qsort(out->label, out->k, sizeof *out->label, cmp_label);
    }
    out->n = calloc(out->k ? out->k : 1, sizeof *out->n);
    out->x = calloc(out->k ? out->k : 1, sizeof *out->x);
    if (!out->n || !out->x)
        goto nomem;
    for (size_t g = 0; g < out->k; g++)
        if (!(out->x[g] = malloc((s->nrows ? s->nrows : 1) * sizeof **out->x)))
            goto nomem;
    for (size_t i = 0; i < s->nrows; i++) {
        const char *t = survey_sheet_text(s, gcol, i);
        if (!t || isnan(y[i]))
            continue;
        long g = label_index(out->label, out->k, t);
        if (g < 0)
            continue;
        out->x[g][out->n[g]++] = y[i];
        out->n_used++;
    }
    return CLI_OK;
nomem:
    survey_groups_free(out);
    return cli_fail(cmd, "out of memory");
}

/* ---- the command ------------------------------------------------------------ */

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv, cli_ctx *ctx);
    const char *summary;
} survey_sub;

static const survey_sub subs[] = {
    {"describe", survey_cmd_describe, "item descriptives, frequency tables, response rate"},
    {"items", survey_cmd_items, "item analysis by critical ratio (决断值)"},
    {"alpha", survey_cmd_alpha, "Cronbach's alpha overall and per scale, item-total statistics"},
    {"ttest", survey_cmd_ttest, "independent, paired and one-sample t-tests"},
    {"anova", survey_cmd_anova, "one-way ANOVA with Levene's test"},
    {"kmo", survey_cmd_kmo, "KMO, per-item MSA, Bartlett's test of sphericity"},
    {"efa", survey_cmd_efa, "exploratory factor analysis: pca|paf|ml, rotations, scores"},
    {NULL, NULL, NULL},
};

static void sub_list(FILE *out)
{
    for (const survey_sub *s = subs; s->name; s++)
        fprintf(out, "  %-9s %s\n", s->name, s->summary);
}

int cmd_survey(int argc, char **argv, cli_ctx *ctx)
{
    if (argc < 2) {
        fprintf(stderr, "usage: egdi survey SUBCOMMAND [OPTIONS]\n\nsubcommands:\n");
        sub_list(stderr);
        return CLI_USAGE;
    }
    for (const survey_sub *s = subs; s->name; s++)
        if (strcmp(s->name, argv[1]) == 0) {
            optind = 0; /* full getopt re-init for the subcommand */
            return s->run(argc - 1, argv + 1, ctx);
        }
    return cli_usage("survey", "unknown subcommand '%s'", argv[1]);
}
