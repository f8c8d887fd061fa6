/*
 * options.c - the one option-table mechanism of the egdi program: every
 * command (cli.h: cli_command) declares its options once, as rows of a
 * cli_option table, and this file makes from those rows both the
 * getopt_long arrays (cli_getopt_init, cli_getopt_next) and the text of
 * `egdi CMD [SUB] --help` (cli_help_print); plus the parsers of common
 * option values (--format, --lang, numbers).
 *
 * Nothing here allocates: a cli_getopt holds borrowed pointers into the
 * static tables, and the help is written straight to its FILE.
 */
#include "cli/cli.h"

#include "engine/core/value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long's code for row i of a cli_getopt (above every char). */
#define OPT_CODE_BASE 0x1000

#define HELP_INDENT 2 /* rows start here */
#define HELP_GAP 2    /* at least this between a label and its text */
#define LABEL_SIZE 160

static const char *option_suggest(const cli_getopt *g, const char *a);

/* ---- table -> getopt ------------------------------------------------- */

static bool table_add(cli_getopt *g, const cli_option *rows)
{
    for (const cli_option *r = rows; r && r->name; r++) {
        if (g->n == CLI_OPTIONS_MAX || r->id < 0 || !r->help || !*r->help ||
            (r->letter && !isalnum((unsigned char)r->letter)))
            return false; /* no option without its help line */
        for (size_t i = 0; i < g->n; i++)
            if (strcmp(g->row[i]->name, r->name) == 0 || g->row[i]->id == r->id ||
                (r->letter && g->row[i]->letter == r->letter))
                return false;
        g->row[g->n] = r;
        g->longopts[g->n] = (struct option){r->name, r->arg ? required_argument : no_argument,
                                            NULL, OPT_CODE_BASE + (int)g->n};
        g->n++;
    }
    return true;
}

int cli_getopt_init(cli_getopt *g, const char *cmd, const cli_option *own,
                    const cli_option *common, unsigned flags)
{
    memset(g, 0, sizeof *g);
    g->cmd = cmd;
    if (!table_add(g, own) || !table_add(g, common))
        return cli_fail(cmd, "internal error: a wrong option table");
    /* "+" stops at the first operand; ":" reports a missing value apart */
    size_t k = 0;
    if (flags & CLI_GETOPT_STOP)
        g->shortopts[k++] = '+';
    g->shortopts[k++] = ':';
    for (size_t i = 0; i < g->n; i++)
        if (g->row[i]->letter) {
            g->shortopts[k++] = g->row[i]->letter;
            if (g->row[i]->arg)
                g->shortopts[k++] = ':';
        }
    g->shortopts[k] = '\0';
    optind = 0; /* glibc: a full re-initialisation for the new argv */
    opterr = 0;
    return CLI_OK;
}

int cli_getopt_next(cli_getopt *g, int argc, char **argv, const char **arg)
{
    int c = getopt_long(argc, argv, g->shortopts, g->longopts, NULL);
    *arg = NULL;
    if (c == -1)
        return CLI_OPT_END;
    if (c == ':') {
        cli_usage(g->cmd, "option '%s' needs a value", argv[optind - 1]);
        return CLI_OPT_ERROR;
    }
    const cli_option *r = NULL;
    if (c >= OPT_CODE_BASE && (size_t)(c - OPT_CODE_BASE) < g->n)
        r = g->row[c - OPT_CODE_BASE];
    for (size_t i = 0; !r && c != '?' && i < g->n; i++)
        if (g->row[i]->letter == c)
            r = g->row[i];
    if (!r) {
        const char *a = argv[optind - 1];
        const char *near = option_suggest(g, a);
        if (near)
            cli_usage(g->cmd, "unknown option '%s'; did you mean '--%s'?", a, near);
        else
            cli_usage(g->cmd, "unknown option '%s'", a);
        return CLI_OPT_ERROR;
    }
    *arg = r->arg ? optarg : NULL;
    return r->id;
}

/* ---- near misses ----------------------------------------------------- */

/* The edit distance of a and b (insert, delete, replace, swap two
 * neighbours), capped: anything over 9 is 10. */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 40 || m > 40)
        return 10;
    size_t d[41][41];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < c)
                c = d[i - 2][j - 2] + 1;
            d[i][j] = c;
        }
    return d[n][m] > 9 ? 10 : d[n][m];
}

const char *cli_suggest(const char *word, const char *const *candidates, size_t n)
{
    size_t len = strlen(word), best = 10;
    const char *pick = NULL;
    /* one edit per three letters, at least one, at most three */
    size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, candidates[i]);
        if (d <= limit && d < best) {
            best = d;
            pick = candidates[i];
        }
    }
    return pick;
}

const char *cli_command_suggest(const cli_command *parent, const char *name)
{
    const char *names[64];
    size_t n = 0;
    for (const cli_command *const *s = parent->subs; s && *s && n < 64; s++)
        if ((*s)->name)
            names[n++] = (*s)->name;
    return cli_suggest(name, names, n);
}

/* The option of g nearest to the unknown argument a ("--roud=2024"), or NULL. */
static const char *option_suggest(const cli_getopt *g, const char *a)
{
    if (strncmp(a, "--", 2) != 0)
        return NULL;
    char word[64];
    size_t len = strcspn(a + 2, "=");
    if (len >= sizeof word)
        return NULL;
    memcpy(word, a + 2, len);
    word[len] = '\0';
    const char *names[CLI_OPTIONS_MAX];
    for (size_t i = 0; i < g->n; i++)
        names[i] = g->row[i]->name;
    return cli_suggest(word, names, g->n);
}

int cli_unknown_command(const cli_command *parent, const char *name)
{
    const char *near = cli_command_suggest(parent, name);
    const char *what = cli_tr(parent->name ? "subcommand" : "command");
    if (near)
        return cli_usage(parent->name, "unknown %s '%s'; did you mean '%s'?", what, name, near);
    return cli_usage(parent->name, "unknown %s '%s'", what, name);
}

const cli_command *cli_command_find(const cli_command *parent, const char *name)
{
    for (const cli_command *const *s = parent->subs; s && *s; s++)
        if ((*s)->name && strcmp((*s)->name, name) == 0)
            return *s;
    return NULL;
}

/* ---- table -> help --------------------------------------------------- */

static void pad(FILE *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(' ', out);
}

/* The length of the token at p: up to a space or '\n'; with groups, a
 * space inside [...] or (...) does not end it ("[--format table|csv|json]"). */
/* The bytes of the UTF-8 character at p (1 for a stray byte). */
static size_t char_bytes(const char *p)
{
    unsigned char c = (unsigned char)*p;
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (!p[i])
            return i;
    return n;
}

/* True when the character at p is wide (CJK): a line may break before it. */
static bool wide_char(const char *p)
{
    return (unsigned char)*p >= 0x80 && cli_text_width_n(p, char_bytes(p)) == 2;
}

/* Punctuation that never starts a line (it stays with the character before). */
static bool closing_punct(const char *p)
{
    static const char *const close[] = {"，", "。", "；", "：", "、", "）", "》", "」", "？", "！", NULL};
    for (size_t i = 0; close[i]; i++)
        if (strncmp(p, close[i], strlen(close[i])) == 0)
            return true;
    return false;
}

static size_t token_length(const char *p, bool groups)
{
    if (!groups) {
        /* a word ends at a space or a line break; Chinese, which has no
         * spaces, breaks between characters (not before closing marks) */
        if (wide_char(p)) {
            size_t n = char_bytes(p);
            while (p[n] && closing_punct(p + n))
                n += char_bytes(p + n);
            return n;
        }
        size_t n = 0;
        while (p[n] && p[n] != ' ' && p[n] != '\n' && !wide_char(p + n))
            n += char_bytes(p + n);
        while (p[n] && closing_punct(p + n))
            n += char_bytes(p + n);
        return n;
    }
    size_t n = 0;
    int depth = 0;
    for (; p[n] && p[n] != '\n' && (p[n] != ' ' || depth > 0); n++) {
        if (p[n] == '[' || p[n] == '(')
            depth++;
        else if ((p[n] == ']' || p[n] == ')') && depth > 0)
            depth--;
    }
    return n;
}

/* True for a token of one or two of = < > + - (an operator in a formula). */
static bool is_operator(const char *p, size_t len)
{
    return len > 0 && len <= 2 && strspn(p, "=<>+-") >= len;
}

/* The length of the word at p: a token, and a formula stays whole: each
 * " OP token" that follows is part of it ("MIN + MAX - x", "CR >= 3"). */
static size_t word_length(const char *p, bool groups)
{
    size_t n = token_length(p, groups);
    while (p[n] == ' ') {
        size_t op = token_length(p + n + 1, groups);
        if (!is_operator(p + n + 1, op) || p[n + 1 + op] != ' ')
            break;
        size_t next = token_length(p + n + 2 + op, groups);
        if (next == 0)
            break;
        n += 2 + op + next;
    }
    return n;
}

/*
 * Writes text with the cursor at display column `at`, words separated by
 * spaces (runs of spaces count as one), breaking before a word that would
 * pass CLI_HELP_WIDTH; each new line is indented by `indent`, and a '\n'
 * in text starts one.  A word longer than a line stands alone.  Ends the
 * last line.  groups: as word_length().
 */
static void wrap(FILE *out, const char *text, size_t indent, size_t at, bool groups)
{
    size_t col = at;
    bool empty = true; /* nothing written on this line yet */
    const char *p = text;
    bool spaced = false; /* a space stood before this word in text */
    while (*p) {
        if (*p == ' ') {
            p++;
            spaced = true;
            continue;
        }
        if (*p == '\n') {
            fputc('\n', out);
            pad(out, indent);
            col = indent;
            empty = true;
            p++;
            continue;
        }
        size_t len = word_length(p, groups);
        size_t w = cli_text_width_n(p, len);
        size_t gap = spaced ? 1 : 0;
        if (!empty && col + gap + w > CLI_HELP_WIDTH) {
            fputc('\n', out);
            pad(out, indent);
            col = indent;
            empty = true;
        }
        if (!empty && gap) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, len, out);
        col += w;
        empty = false;
        spaced = false;
        p += len;
    }
    fputc('\n', out);
}

void cli_help_row(FILE *out, const char *label, const char *text, size_t column)
{
    pad(out, HELP_INDENT);
    fputs(label, out);
    size_t at = HELP_INDENT + cli_text_width(label);
    if (!text || !*text) {
        fputc('\n', out);
        return;
    }
    if (at + HELP_GAP > column) {
        fputc('\n', out);
        at = 0;
    }
    pad(out, column - at);
    wrap(out, text, column, column, false);
}

/* "-o, --output DIR", "--round YEAR", "--replace". */
static const char *option_label(const cli_option *r, char *buf, size_t size)
{
    if (r->letter)
        snprintf(buf, size, "-%c, --%s%s%s", r->letter, r->name, r->arg ? " " : "",
                 r->arg ? r->arg : "");
    else
        snprintf(buf, size, "--%s%s%s", r->name, r->arg ? " " : "", r->arg ? r->arg : "");
    return buf;
}

/* The widest label up to CLI_HELP_LABEL_MAX, over *w. */
static void widest(size_t *w, const char *label)
{
    size_t lw = cli_text_width(label);
    if (lw <= CLI_HELP_LABEL_MAX && lw > *w)
        *w = lw;
}

/* The column of a section whose widest label is w. */
static size_t column_of(size_t w)
{
    return HELP_INDENT + w + HELP_GAP;
}

static void widest_options(size_t *w, const cli_option *rows)
{
    char buf[LABEL_SIZE];
    for (const cli_option *r = rows; r && r->name; r++)
        widest(w, option_label(r, buf, sizeof buf));
}

static void print_options(FILE *out, const char *heading, const cli_option *rows, size_t column)
{
    if (!rows || !rows->name)
        return;
    fprintf(out, "\n%s\n", cli_tr(heading));
    char buf[LABEL_SIZE];
    for (const cli_option *r = rows; r->name; r++)
        cli_help_row(out, option_label(r, buf, sizeof buf), cli_tr(r->help), column);
}

void cli_help_print(FILE *out, const cli_command *parent, const cli_command *c)
{
    char path[LABEL_SIZE];
    snprintf(path, sizeof path, "%s%s%s", parent && parent->name ? parent->name : "",
             parent && parent->name && c->name ? " " : "", c->name ? c->name : "");

    /* usage: one line per form; a bracketed group is never broken */
    const char *form = c->usage ? c->usage : "";
    for (int first = 1;; first = 0) {
        size_t len = strcspn(form, "\n");
        char line[512];
        snprintf(line, sizeof line, "egdi [--db FILE]%s%s%s%.*s", path[0] ? " " : "", path,
                 len ? " " : "", (int)len, form);
        fputs(first ? cli_tr("usage: ") : cli_tr("   or: "), out);
        wrap(out, line, 7, 7, true);
        if (!form[len])
            break;
        form += len + 1;
    }
    if (c->summary) {
        char line[512];
        snprintf(line, sizeof line, "%s%s", cli_tr(c->summary),
                 cli_lang_now() == CLI_ZH && strcmp(cli_tr(c->summary), c->summary) ? "。" : ".");
        fputc('\n', out);
        wrap(out, line, 0, 0, false);
    }

    /* each section has its column; the own and the common options share one */
    size_t w = 0;
    if (c->operands && c->operands->term) {
        for (const cli_operand *o = c->operands; o->term; o++)
            widest(&w, o->term);
        fputs(cli_tr("\narguments:\n"), out);
        for (const cli_operand *o = c->operands; o->term; o++)
            cli_help_row(out, o->term, cli_tr(o->help), column_of(w));
    }
    if (c->subs && *c->subs) {
        w = 0;
        for (const cli_command *const *s = c->subs; *s; s++)
            widest(&w, (*s)->name);
        fprintf(out, "\n%s%s\n", cli_tr(c->name ? "subcommands" : "commands"),
                cli_lang_now() == CLI_ZH ? "：" : ":");
        for (const cli_command *const *s = c->subs; *s; s++)
            cli_help_row(out, (*s)->name, cli_tr((*s)->summary), column_of(w));
    }
    w = 0;
    widest_options(&w, c->options);
    widest_options(&w, c->common);
    print_options(out, "options:", c->options, column_of(w));
    print_options(out, "options of every subcommand:", c->common, column_of(w));
    if (c->notes) {
        fputc('\n', out);
        wrap(out, cli_tr(c->notes), 0, 0, false);
    }
    if (c->subs && *c->subs) {
        char line[LABEL_SIZE + 64];
        snprintf(line, sizeof line, cli_tr("'egdi %s%s%s --help' prints the options of a %s."),
                 path, path[0] ? " " : "", c->name ? "SUBCOMMAND" : "COMMAND",
                 cli_lang_now() == CLI_ZH ? (c->name ? "子命令" : "命令")
                                          : (c->name ? "subcommand" : "command"));
        fputc('\n', out);
        wrap(out, line, 0, 0, false);
    }
}

/* ---- option values ---------------------------------------------------- */

bool cli_parse_format(const char *s, cli_format *out)
{
    if (strcmp(s, "table") == 0)
        *out = CLI_TABLE;
    else if (strcmp(s, "csv") == 0)
        *out = CLI_CSV;
    else if (strcmp(s, "json") == 0)
        *out = CLI_JSON;
    else
        return false;
    return true;
}

bool cli_parse_lang(const char *s, cli_lang *out)
{
    if (strcmp(s, "zh") == 0)
        *out = CLI_ZH;
    else if (strcmp(s, "en") == 0)
        *out = CLI_EN;
    else
        return false;
    return true;
}

/* Option values are numbers as people type them, read by the one text ->
 * number parser (engine/core/value.h): full-width digits and thousands
 * separators are fine, a percent sign is not (no option takes a share). */
bool cli_parse_double(const char *s, double *out)
{
    double v;
    bool pct;
    if (egdi_value_number(s, strlen(s), &v, &pct, NULL) != EGDI_OK || pct)
        return false;
    *out = v;
    return true;
}

bool cli_parse_long(const char *s, long lo, long hi, long *out)
{
    double v;
    if (!cli_parse_double(s, &v) || v != floor(v) || v < (double)lo || v > (double)hi)
        return false;
    *out = (long)v;
    return true;
}

bool cli_parse_range(const char *s, double *lo, double *hi)
{
    /* MIN-MAX: the first '-' (after a sign of MIN) at which both sides are
     * numbers, so "-2-2" and "1e-5-2" split where they should */
    size_t n = strlen(s);
    for (size_t i = 1; i < n; i++) {
        if (s[i] != '-')
            continue;
        double a, b;
        bool pa, pb;
        if (egdi_value_number(s, i, &a, &pa, NULL) == EGDI_OK && !pa &&
            egdi_value_number(s + i + 1, n - i - 1, &b, &pb, NULL) == EGDI_OK && !pb) {
            if (!(a < b))
                return false;
            *lo = a;
            *hi = b;
            return true;
        }
    }
    return false;
}
