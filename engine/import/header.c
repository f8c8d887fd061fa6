/*
 * header.c - matching column headings to fields and indicators (header.h).
 *
 * Every comparison is between normalised texts written into buffers on the
 * stack (EGDI_HEADING_MAX + 1 bytes); the edit distance runs over code
 * points with two rows of EGDI_HEADING_MAX + 1 counters, also on the stack.
 * A heading is compared with every alias, code and name: an import has a
 * few dozen columns and a catalogue a few dozen indicators.
 */
#include "engine/import/header.h"

#include <stdint.h>
#include <string.h>

/* What an invalid byte decodes as: the readers hand out valid UTF-8, so
 * this only keeps the functions total (normalising stays idempotent). */
#define BAD_BYTE '?'

/* Decodes one UTF-8 code point of t[*i..n) and advances *i; a byte that
 * starts no valid sequence decodes as BAD_BYTE and is skipped. */
static uint32_t utf8_next(const unsigned char *t, size_t n, size_t *i)
{
    unsigned char c = t[*i];
    size_t len = c < 0x80 ? 1 : c >= 0xF8 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 1) {
        (*i)++;
        return c;
    }
    if (len == 0 || n - *i < len) {
        (*i)++;
        return BAD_BYTE;
    }
    uint32_t cp = c & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) {
        if ((t[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            return BAD_BYTE;
        }
        cp = (cp << 6) | (t[*i + k] & 0x3Fu);
    }
    /* overlong forms and surrogates are no characters either */
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
        (*i)++;
        return BAD_BYTE;
    }
    *i += len;
    return cp;
}

static bool dropped(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0 || cp == 0x3000 ||
           cp == '_' || cp == '-' || cp == '*';
}

size_t egdi_heading_normalise(const char *text, size_t len, char *out, size_t size)
{
    if (size == 0)
        return 0;
    out[0] = '\0';
    if (!text)
        return 0;
    const unsigned char *t = (const unsigned char *)text;
    size_t o = 0, i = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = utf8_next(t, len, &i);
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0; /* full-width ASCII */
        else if (cp == 0x3010)
            cp = '(';
        else if (cp == 0x3011)
            cp = ')';
        if (dropped(cp))
            continue;
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        size_t need = cp < 0x80 ? 1 : i - at;
        if (o + need + 1 > size || o + need > EGDI_HEADING_MAX) {
            out[0] = '\0';
            return 0;
        }
        if (cp < 0x80)
            out[o++] = (char)cp;
        else {
            memcpy(out + o, text + at, need); /* as written */
            o += need;
        }
    }
    while (o > 0 && out[o - 1] == ':')
        o--;
    out[o] = '\0';
    return o;
}

/* Code points of s[0..n) into cps (at most cap of them); returns how many. */
static size_t code_points(const char *s, size_t n, uint32_t *cps, size_t cap)
{
    size_t k = 0, i = 0;
    while (i < n && k < cap)
        cps[k++] = utf8_next((const unsigned char *)s, n, &i);
    return k;
}

static size_t cp_count(const char *s)
{
    size_t k = 0, i = 0, n = strlen(s);
    while (i < n) {
        utf8_next((const unsigned char *)s, n, &i);
        k++;
    }
    return k;
}

/* The edit distance of two normalised texts, capped (cap + 1 = "more"). */
static unsigned distance_norm(const char *a, const char *b, unsigned cap)
{
    uint32_t x[EGDI_HEADING_MAX], y[EGDI_HEADING_MAX];
    size_t m = code_points(a, strlen(a), x, EGDI_HEADING_MAX);
    size_t n = code_points(b, strlen(b), y, EGDI_HEADING_MAX);
    size_t diff = m > n ? m - n : n - m;
    if (diff > cap)
        return cap + 1;
    unsigned row0[EGDI_HEADING_MAX + 1], row1[EGDI_HEADING_MAX + 1];
    unsigned *prev = row0, *cur = row1;
    for (size_t j = 0; j <= n; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= m; i++) {
        cur[0] = (unsigned)i;
        unsigned best = cur[0];
        for (size_t j = 1; j <= n; j++) {
            unsigned sub = prev[j - 1] + (x[i - 1] != y[j - 1]);
            unsigned del = prev[j] + 1, ins = cur[j - 1] + 1;
            unsigned v = sub < del ? sub : del;
            cur[j] = v < ins ? v : ins;
            if (cur[j] < best)
                best = cur[j];
        }
        if (best > cap)
            return cap + 1;
        unsigned *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[n] > cap ? cap + 1 : prev[n];
}

unsigned egdi_heading_distance(const char *a, const char *b, unsigned cap)
{
    char na[EGDI_HEADING_MAX + 1], nb[EGDI_HEADING_MAX + 1];
    egdi_heading_normalise(a, a ? strlen(a) : 0, na, sizeof na);
    egdi_heading_normalise(b, b ? strlen(b) : 0, nb, sizeof nb);
    return distance_norm(na, nb, cap);
}

unsigned egdi_heading_near_limit(size_t n)
{
    return n < 4 ? 0 : n <= 6 ? 1 : n <= 12 ? 2 : 3;
}

/* ---- matching --------------------------------------------------------- */

typedef struct {
    egdi_heading *out;
    size_t found;           /* distinct matches so far (at most 2 kept) */
    /* the suggestion */
    unsigned best;
    size_t hlen;            /* code points of the heading */
} matcher;

static void add_match(matcher *mt, egdi_heading_kind kind, size_t index, const char *how)
{
    egdi_heading *o = mt->out;
    if (mt->found >= 1 && o->kind == kind && o->index == index)
        return;
    if (mt->found >= 2 && o->other_kind == kind && o->other == index)
        return;
    if (mt->found == 0) {
        o->kind = kind;
        o->index = index;
        o->how = how;
    } else if (mt->found == 1) {
        o->other_kind = kind;
        o->other = index;
        o->other_how = how;
    }
    mt->found++;
}

static void consider_near(matcher *mt, const char *h, const char *cand_norm, const char *cand,
                          size_t cand_len, egdi_heading_kind kind, size_t index)
{
    unsigned limit = egdi_heading_near_limit(mt->hlen);
    if (limit == 0 || mt->best == 0)
        return;
    unsigned cap = mt->best <= limit ? mt->best - 1 : limit;
    unsigned d = distance_norm(h, cand_norm, cap);
    if (d > cap || d == 0 || d >= cp_count(cand_norm))
        return;
    mt->best = d;
    mt->out->near_kind = kind;
    mt->out->near = index;
    mt->out->near_text = cand;
    mt->out->near_len = cand_len;
    mt->out->distance = d;
}

/* Compares h with each '|'-separated alias of list (normalised): exact
 * matches, or with near_only the nearest as a suggestion. */
static bool each_alias(const char *list, const char *h, matcher *mt, size_t index,
                       bool near_only)
{
    bool hit = false;
    const char *a = list;
    while (a && *a) {
        const char *bar = strchr(a, '|');
        size_t len = bar ? (size_t)(bar - a) : strlen(a);
        char na[EGDI_HEADING_MAX + 1];
        if (egdi_heading_normalise(a, len, na, sizeof na) > 0) {
            if (!near_only && strcmp(na, h) == 0) {
                add_match(mt, EGDI_HEADING_FIELD, index, "heading");
                hit = true;
            } else if (near_only) {
                /* the suggestion names the alias as written */
                consider_near(mt, h, na, a, len, EGDI_HEADING_FIELD, index);
            }
        }
        a = bar ? bar + 1 : NULL;
    }
    return hit;
}

/* Exact matches of the normalised heading h. */
static void exact(matcher *mt, const char *h, const egdi_heading_field *fields, size_t nfields,
                  const egdi_import_catalogue *cat, bool codes_only)
{
    if (!codes_only)
        for (size_t f = 0; f < nfields; f++)
            each_alias(fields[f].aliases, h, mt, f, false);
    for (size_t i = 0; cat && i < cat->n; i++) {
        const egdi_import_indicator *ind = &cat->v[i];
        const char *texts[3] = {ind->code, ind->name_zh, ind->name_en};
        static const char *const hows[3] = {"code", "Chinese name", "English name"};
        for (int k = 0; k < (codes_only ? 1 : 3); k++) {
            char nt[EGDI_HEADING_MAX + 1];
            if (texts[k] && egdi_heading_normalise(texts[k], strlen(texts[k]), nt, sizeof nt) &&
                strcmp(nt, h) == 0)
                add_match(mt, EGDI_HEADING_INDICATOR, i, hows[k]);
        }
    }
}

/* "GIRI5数据及时性与准确性" or "数据及时性与准确性GIRI5": a code and its name. */
static void code_and_name(matcher *mt, const char *h, const egdi_import_catalogue *cat)
{
    size_t hl = strlen(h);
    for (size_t i = 0; cat && i < cat->n; i++) {
        const egdi_import_indicator *ind = &cat->v[i];
        char nc[EGDI_HEADING_MAX + 1];
        size_t cl = egdi_heading_normalise(ind->code, strlen(ind->code), nc, sizeof nc);
        if (cl == 0 || cl >= hl)
            continue;
        const char *names[2] = {ind->name_zh, ind->name_en};
        for (int k = 0; k < 2; k++) {
            char nn[EGDI_HEADING_MAX + 1];
            size_t nl = names[k] ? egdi_heading_normalise(names[k], strlen(names[k]), nn,
                                                          sizeof nn)
                                 : 0;
            if (nl == 0 || cl + nl != hl)
                continue;
            if ((memcmp(h, nc, cl) == 0 && memcmp(h + cl, nn, nl) == 0) ||
                (memcmp(h, nn, nl) == 0 && memcmp(h + nl, nc, cl) == 0))
                add_match(mt, EGDI_HEADING_INDICATOR, i, "code and name");
        }
    }
}

void egdi_heading_match(const char *heading, const egdi_heading_field *fields, size_t nfields,
                        const egdi_import_catalogue *cat, egdi_heading *out)
{
    memset(out, 0, sizeof *out);
    char h[EGDI_HEADING_MAX + 1];
    size_t hl = heading ? egdi_heading_normalise(heading, strlen(heading), h, sizeof h) : 0;
    if (hl == 0)
        return;
    matcher mt = {out, 0, UINT32_MAX, cp_count(h)};
    exact(&mt, h, fields, nfields, cat, false);
    /* a bracketed note at the end: "覆盖率(%)", "名称(GIRI5)" */
    char base[EGDI_HEADING_MAX + 1] = "";
    if (mt.found == 0 && h[hl - 1] == ')') {
        char *open = strrchr(h, '(');
        if (open && open > h) {
            size_t bl = (size_t)(open - h);
            memcpy(base, h, bl);
            base[bl] = '\0';
            exact(&mt, base, fields, nfields, cat, false);
            char inner[EGDI_HEADING_MAX + 1];
            size_t il = hl - bl - 2;
            memcpy(inner, open + 1, il);
            inner[il] = '\0';
            if (il)
                exact(&mt, inner, NULL, 0, cat, true);
        }
    }
    if (mt.found == 0)
        code_and_name(&mt, h, cat);
    if (mt.found > 0)
        return;
    /* the nearest alias, code or name */
    const char *near_of = base[0] ? base : h;
    mt.hlen = cp_count(near_of);
    for (size_t f = 0; f < nfields; f++)
        each_alias(fields[f].aliases, near_of, &mt, f, true);
    for (size_t i = 0; cat && i < cat->n; i++) {
        const egdi_import_indicator *ind = &cat->v[i];
        const char *texts[3] = {ind->code, ind->name_zh, ind->name_en};
        for (int k = 0; k < 3; k++) {
            char nt[EGDI_HEADING_MAX + 1];
            if (texts[k] && egdi_heading_normalise(texts[k], strlen(texts[k]), nt, sizeof nt))
                consider_near(&mt, near_of, nt, texts[k], strlen(texts[k]),
                              EGDI_HEADING_INDICATOR, i);
        }
    }
}

bool egdi_heading_codelike(const char *heading)
{
    char h[EGDI_HEADING_MAX + 1];
    /* trimmed, case kept: only the characters matter */
    size_t n = heading ? egdi_heading_normalise(heading, strlen(heading), h, sizeof h) : 0;
    if (n == 0 || n > 16 || !(h[0] >= 'a' && h[0] <= 'z'))
        return false;
    bool digit = false;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (!((c >= 'a' && c <= 'z') || c == '.'))
            return false;
    }
    return digit;
}

bool egdi_heading_in_list(const char *text, size_t len, const char *list, char sep)
{
    char h[EGDI_HEADING_MAX + 1];
    if (!list || egdi_heading_normalise(text, len, h, sizeof h) == 0)
        return false;
    const char *a = list;
    while (*a) {
        /* the separator, or a full-width comma when it is ',' */
        const char *e = a;
        size_t skip = 0;
        while (*e) {
            if (*e == sep) {
                skip = 1;
                break;
            }
            if (sep == ',' && (unsigned char)e[0] == 0xEF && (unsigned char)e[1] == 0xBC &&
                (unsigned char)e[2] == 0x8C) {
                skip = 3;
                break;
            }
            e++;
        }
        char w[EGDI_HEADING_MAX + 1];
        if (egdi_heading_normalise(a, (size_t)(e - a), w, sizeof w) > 0 && strcmp(w, h) == 0)
            return true;
        if (!skip)
            break;
        a = e + skip;
    }
    return false;
}

bool egdi_heading_is_unit(const char *heading)
{
    return heading && egdi_heading_in_list(heading, strlen(heading), EGDI_HEADING_UNIT_WORDS, '|');
}

long egdi_heading_find(const char *name, const char *const *headings, size_t n)
{
    for (size_t c = 0; c < n; c++)
        if (strcmp(headings[c], name) == 0)
            return (long)c;
    char want[EGDI_HEADING_MAX + 1], h[EGDI_HEADING_MAX + 1];
    if (egdi_heading_normalise(name, strlen(name), want, sizeof want) == 0)
        return -1;
    long found = -1;
    for (size_t c = 0; c < n; c++)
        if (egdi_heading_normalise(headings[c], strlen(headings[c]), h, sizeof h) &&
            strcmp(h, want) == 0) {
            if (found >= 0)
                return -2;
            found = (long)c;
        }
    return found;
}
