/*
 * cfa_model.c - the measurement model of a CFA (cfa_model.h): parsing the
 * lavaan-style model text, reading it from a file, building it from the
 * scales of a survey dataset, and finding its items among the columns.
 *
 * The parser is a small hand-written lexer (names, "=~", '+', statement
 * ends) and a loop over statements; every error names the line.  The model
 * grows by realloc within the limits of cfa_model.h; it owns all it holds.
 */
#include "surveys/cfa_model.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

void egdi_cfa_model_release(egdi_cfa_model *m)
{
    if (!m)
        return;
    for (size_t f = 0; f < m->nfactors; f++) {
        free(m->factor[f].name);
        free(m->factor[f].item);
    }
    free(m->factor);
    for (size_t i = 0; i < m->nitems; i++)
        free(m->item[i]);
    free(m->item);
    memset(m, 0, sizeof *m);
}

/* ---- building ------------------------------------------------------------ */

/* The factor called name, added when new; SIZE_MAX when out of memory or
 * beyond the limit (*st says which). */
static size_t factor_index(egdi_cfa_model *m, const char *name, egdi_status *st)
{
    for (size_t f = 0; f < m->nfactors; f++)
        if (strcmp(m->factor[f].name, name) == 0)
            return f;
    if (m->nfactors == EGDI_CFA_MAX_FACTORS) {
        *st = EGDI_ERR_LIMIT;
        return SIZE_MAX;
    }
    egdi_cfa_factor *nf = realloc(m->factor, (m->nfactors + 1) * sizeof *nf);
    if (!nf) {
        *st = EGDI_ERR_NOMEM;
        return SIZE_MAX;
    }
    m->factor = nf;
    egdi_cfa_factor *f = &nf[m->nfactors];
    memset(f, 0, sizeof *f);
    if (!(f->name = strdup(name))) {
        *st = EGDI_ERR_NOMEM;
        return SIZE_MAX;
    }
    return m->nfactors++;
}

/* The item called name, added when new (as factor_index). */
static size_t item_index(egdi_cfa_model *m, const char *name, egdi_status *st)
{
    for (size_t i = 0; i < m->nitems; i++)
        if (strcmp(m->item[i], name) == 0)
            return i;
    if (m->nitems == EGDI_CFA_MAX_ITEMS) {
        *st = EGDI_ERR_LIMIT;
        return SIZE_MAX;
    }
    char **ni = realloc(m->item, (m->nitems + 1) * sizeof *ni);
    if (!ni) {
        *st = EGDI_ERR_NOMEM;
        return SIZE_MAX;
    }
    m->item = ni;
    if (!(ni[m->nitems] = strdup(name))) {
        *st = EGDI_ERR_NOMEM;
        return SIZE_MAX;
    }
    return m->nitems++;
}

/* Adds item i to factor f: 1 when f already has it, -1 when out of memory. */
static int factor_add(egdi_cfa_factor *f, size_t i)
{
    for (size_t k = 0; k < f->n; k++)
        if (f->item[k] == i)
            return 1;
    size_t *ni = realloc(f->item, (f->n + 1) * sizeof *ni);
    if (!ni)
        return -1;
    f->item = ni;
    ni[f->n++] = i;
    return 0;
}

/* ---- the lexer ------------------------------------------------------------ */

typedef enum { T_END, T_NAME, T_DEFINE, T_PLUS, T_SEP, T_NEWLINE } tok_kind;

typedef struct {
    const char *s;
    size_t len, pos;
    unsigned line;          /* of the token last read */
    tok_kind kind;
    char name[EGDI_CFA_NAME_MAX + 1];
    const char *source;     /* a file's name for messages, or NULL */
    egdi_error *err;
} lexer;

static egdi_status lex_fail(lexer *lx, egdi_status st, const char *fmt, const char *what)
{
    char msg[EGDI_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, fmt, what);
    if (lx->source)
        return egdi_error_set(lx->err, st, "%s: model line %u: %s", lx->source, lx->line, msg);
    return egdi_error_set(lx->err, st, "model line %u: %s", lx->line, msg);
}

static bool name_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c >= 0x80;
}

/* Reads the next token into lx. */
static egdi_status lex_next(lexer *lx)
{
    const char *s = lx->s;
    for (;;) {
        while (lx->pos < lx->len && (s[lx->pos] == ' ' || s[lx->pos] == '\t' ||
                                     s[lx->pos] == '\r' || s[lx->pos] == '\v' ||
                                     s[lx->pos] == '\f'))
            lx->pos++;
        if (lx->pos < lx->len && (s[lx->pos] == '#' || s[lx->pos] == '!')) {
            while (lx->pos < lx->len && s[lx->pos] != '\n')
                lx->pos++;
            continue;
        }
        break;
    }
    if (lx->pos >= lx->len || s[lx->pos] == '\0') {
        lx->kind = T_END;
        return EGDI_OK;
    }
    unsigned char c = (unsigned char)s[lx->pos];
    if (c == '\n') {
        lx->pos++;
        lx->kind = T_NEWLINE;
        lx->line++;
        return EGDI_OK;
    }
    if (c == ';') {
        lx->pos++;
        lx->kind = T_SEP;
        return EGDI_OK;
    }
    if (c == '+') {
        lx->pos++;
        lx->kind = T_PLUS;
        return EGDI_OK;
    }
    if (c == '=' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '~') {
        lx->pos += 2;
        lx->kind = T_DEFINE;
        return EGDI_OK;
    }
    size_t n = 0;
    if (c == '"') {
        size_t k = lx->pos + 1;
        while (k < lx->len && s[k] != '"' && s[k] != '\n' && s[k] != '\0')
            k++;
        if (k >= lx->len || s[k] != '"')
            return lex_fail(lx, EGDI_ERR_MODEL, "%s", "a quoted name has no closing '\"'");
        n = k - lx->pos - 1;
        if (n == 0)
            return lex_fail(lx, EGDI_ERR_MODEL, "%s", "an empty quoted name");
        if (n > EGDI_CFA_NAME_MAX)
            return lex_fail(lx, EGDI_ERR_LIMIT, "a name longer than %s bytes", "256");
        memcpy(lx->name, s + lx->pos + 1, n);
        lx->pos = k + 1;
    } else if (name_byte(c)) {
        size_t k = lx->pos;
        while (k < lx->len && name_byte((unsigned char)s[k]))
            k++;
        n = k - lx->pos;
        if (n > EGDI_CFA_NAME_MAX)
            return lex_fail(lx, EGDI_ERR_LIMIT, "a name longer than %s bytes", "256");
        memcpy(lx->name, s + lx->pos, n);
        lx->pos = k;
    } else {
        /* an operator of lavaan's syntax that egdi does not take */
        const char *rest = s + lx->pos;
        size_t left = lx->len - lx->pos;
        if (left >= 2 && rest[0] == '~' && rest[1] == '~')
            return lex_fail(lx, EGDI_ERR_MODEL, "%s",
                            "'~~' is not supported: factors correlate freely, and residual "
                            "covariances cannot be added");
        if (c == '~')
            return lex_fail(lx, EGDI_ERR_MODEL, "%s",
                            "'~' (a regression) is not supported: only 'factor =~ item + item'");
        if (c == '*')
            return lex_fail(lx, EGDI_ERR_MODEL, "%s",
                            "modifiers such as 1*x1 or NA*x1 are not supported (--std-lv fixes "
                            "the factor variances instead of the first loadings)");
        if (left >= 2 && rest[0] == ':' && rest[1] == '=')
            return lex_fail(lx, EGDI_ERR_MODEL, "%s", "':=' (defined parameters) is not supported");
        char what[8];
        if (c >= 0x20 && c < 0x7f)
            snprintf(what, sizeof what, "'%c'", c);
        else
            snprintf(what, sizeof what, "0x%02x", c);
        return lex_fail(lx, EGDI_ERR_MODEL, "unexpected %s (only 'factor =~ item + item')", what);
    }
    lx->name[n] = '\0';
    lx->kind = T_NAME;
    return EGDI_OK;
}

/* The next token that is not a line end (a statement goes on after '=~' and
 * '+'). */
static egdi_status lex_next_skip(lexer *lx)
{
    egdi_status st;
    do {
        if ((st = lex_next(lx)) != EGDI_OK)
            return st;
    } while (lx->kind == T_NEWLINE);
    return EGDI_OK;
}

/* True when the next line's first token is '+' (the statement goes on);
 * the lexer is left on that '+' then, else where it was. */
static bool continues(lexer *lx)
{
    lexer probe = *lx;
    probe.err = NULL;
    if (lex_next_skip(&probe) == EGDI_OK && probe.kind == T_PLUS) {
        egdi_error *err = lx->err;
        *lx = probe;
        lx->err = err;
        return true;
    }
    return false;
}

/* ---- the parser ------------------------------------------------------------ */

static egdi_status add_item(lexer *lx, egdi_cfa_model *m, size_t f)
{
    egdi_status st = EGDI_OK;
    size_t i = item_index(m, lx->name, &st);
    if (i == SIZE_MAX)
        return st == EGDI_ERR_NOMEM ? nomem(lx->err)
                                    : lex_fail(lx, EGDI_ERR_LIMIT, "more than %s items",
                                               "1000");
    int r = factor_add(&m->factor[f], i);
    if (r < 0)
        return nomem(lx->err);
    if (r > 0) {
        char msg[2 * EGDI_CFA_NAME_MAX + 64];
        snprintf(msg, sizeof msg, "item %s is listed twice under factor %s", lx->name,
                 m->factor[f].name);
        return lex_fail(lx, EGDI_ERR_MODEL, "%s", msg);
    }
    return EGDI_OK;
}

/* One statement "NAME =~ NAME (+ NAME)*", the lexer on its first token. */
static egdi_status statement(lexer *lx, egdi_cfa_model *m)
{
    egdi_status st;
    if (lx->kind != T_NAME)
        return lex_fail(lx, EGDI_ERR_MODEL, "%s",
                        lx->kind == T_DEFINE ? "'=~' without a factor name before it"
                                             : "a statement must start with a factor name");
    char factor[EGDI_CFA_NAME_MAX + 1];
    memcpy(factor, lx->name, sizeof factor);
    if ((st = lex_next(lx)) != EGDI_OK)
        return st;
    if (lx->kind != T_DEFINE)
        return lex_fail(lx, EGDI_ERR_MODEL, "'%s' is not followed by '=~'", factor);
    size_t f = factor_index(m, factor, &st);
    if (f == SIZE_MAX)
        return st == EGDI_ERR_NOMEM ? nomem(lx->err)
                                    : lex_fail(lx, EGDI_ERR_LIMIT, "more than %s factors", "64");
    for (;;) {
        if ((st = lex_next_skip(lx)) != EGDI_OK)
            return st;
        if (lx->kind != T_NAME)
            return lex_fail(lx, EGDI_ERR_MODEL, "factor %s: an item name is missing", factor);
        if ((st = add_item(lx, m, f)) != EGDI_OK || (st = lex_next(lx)) != EGDI_OK)
            return st;
        if (lx->kind == T_PLUS)
            continue;
        if (lx->kind == T_NEWLINE && continues(lx))
            continue;
        if (lx->kind == T_NAME || lx->kind == T_DEFINE)
            return lex_fail(lx, EGDI_ERR_MODEL, "factor %s: items must be joined by '+'", factor);
        return EGDI_OK; /* T_SEP, T_NEWLINE, T_END */
    }
}

static egdi_status parse(const char *text, size_t len, const char *source, egdi_cfa_model *out,
                         egdi_error *err)
{
    memset(out, 0, sizeof *out);
    lexer lx = {.s = text, .len = len, .line = 1, .source = source, .err = err};
    if (len > EGDI_CFA_MODEL_MAX_TEXT)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "%s%smodel text of %zu bytes (at most %u)",
                              source ? source : "", source ? ": " : "", len,
                              EGDI_CFA_MODEL_MAX_TEXT);
    egdi_status st;
    for (;;) {
        if ((st = lex_next(&lx)) != EGDI_OK)
            goto fail;
        if (lx.kind == T_END)
            break;
        if (lx.kind == T_SEP || lx.kind == T_NEWLINE)
            continue;
        if ((st = statement(&lx, out)) != EGDI_OK)
            goto fail;
        if (lx.kind == T_END)
            break;
    }
    if (out->nfactors == 0) {
        lx.line = 1;
        st = lex_fail(&lx, EGDI_ERR_MODEL, "%s", "no 'factor =~ item + item' statement");
        goto fail;
    }
    for (size_t f = 0; f < out->nfactors; f++)
        for (size_t i = 0; i < out->nitems; i++)
            if (strcmp(out->factor[f].name, out->item[i]) == 0) {
                st = egdi_error_set(err, EGDI_ERR_MODEL,
                                    "%s%sfactor %s is also used as an item: second-order "
                                    "factors are not supported",
                                    source ? source : "", source ? ": " : "",
                                    out->factor[f].name);
                goto fail;
            }
    return EGDI_OK;
fail:
    egdi_cfa_model_release(out);
    return st;
}

egdi_status egdi_cfa_model_parse(const char *text, size_t len, egdi_cfa_model *out,
                                 egdi_error *err)
{
    return parse(text, len, NULL, out, err);
}

egdi_status egdi_cfa_model_load(const char *arg, egdi_cfa_model *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    if (strstr(arg, "=~"))
        return parse(arg, strlen(arg), NULL, out, err);
    FILE *f = fopen(arg, "rb");
    if (!f)
        return egdi_error_set(err, EGDI_ERR_IO,
                              "--model %s: no '=~' in it, and no file of that name (%s)", arg,
                              strerror(errno));
    char *buf = malloc(EGDI_CFA_MODEL_MAX_TEXT + 1);
    if (!buf) {
        fclose(f);
        return nomem(err);
    }
    size_t n = fread(buf, 1, EGDI_CFA_MODEL_MAX_TEXT + 1, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    egdi_status st;
    if (bad)
        st = egdi_error_set(err, EGDI_ERR_IO, "%s: cannot read the model file", arg);
    else if (n > EGDI_CFA_MODEL_MAX_TEXT)
        st = egdi_error_set(err, EGDI_ERR_LIMIT, "%s: a model file over %u bytes", arg,
                            EGDI_CFA_MODEL_MAX_TEXT);
    else {
        size_t skip = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* UTF-8 BOM */
        st = parse(buf + skip, n - skip, arg, out, err);
    }
    free(buf);
    return st;
}

egdi_status egdi_cfa_model_from_scales(const egdi_dataset *ds, egdi_cfa_model *out,
                                       egdi_error *err)
{
    memset(out, 0, sizeof *out);
    if (ds->nscales == 0)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "%s has no scales: give --scales FILE or --model", ds->source);
    egdi_status st = EGDI_OK;
    for (size_t k = 0; k < ds->nscales; k++) {
        const egdi_dataset_scale *s = &ds->scale[k];
        size_t f = factor_index(out, s->name, &st);
        if (f == SIZE_MAX)
            goto fail;
        for (size_t t = 0; t < s->n; t++) {
            size_t i = item_index(out, ds->col[s->col[t]].name, &st);
            if (i == SIZE_MAX)
                goto fail;
            if (factor_add(&out->factor[f], i) < 0) {
                st = EGDI_ERR_NOMEM;
                goto fail;
            }
        }
    }
    return EGDI_OK;
fail:
    egdi_cfa_model_release(out);
    if (st == EGDI_ERR_LIMIT)
        return egdi_error_set(err, st, "%s: more than %d scales or %d items in the model",
                              ds->source, EGDI_CFA_MAX_FACTORS, EGDI_CFA_MAX_ITEMS);
    return nomem(err);
}

egdi_status egdi_cfa_model_columns(const egdi_cfa_model *m, const egdi_dataset *ds, size_t *cols,
                                   egdi_error *err)
{
    for (size_t i = 0; i < m->nitems; i++) {
        egdi_status st = egdi_dataset_find(ds, m->item[i], &cols[i], err);
        if (st != EGDI_OK) {
            char msg[EGDI_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err ? err->message : "");
            return egdi_error_set(err, st, "model item %s: %s", m->item[i], msg);
        }
    }
    return EGDI_OK;
}
