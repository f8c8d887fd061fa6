/*
 * units.c - `egdi import units`: code, name, kind, parent, level.
 *
 * The file is read whole into an array of unit rows (a units file is small;
 * capped at EGDI_MAX_UNITS), checked (duplicate codes, kinds, parents that
 * are regions - given by code or by a unique name -, no cycles), then
 * written: new codes inserted, codes already stored with the same fields
 * left alone, codes stored with other fields rejected unless --replace.
 * Parents are set in a second pass so a file may list a department before
 * its region.  Codes and names are looked up through sorted index arrays
 * (bsearch), so a large file costs O(n log n).
 */
#include "engine/import/import_private.h"
#include "engine/import/header.h"
#include "engine/store/units.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/core/value.h"

#define EGDI_MAX_UNITS 1000000
/* Departments without a region named in the warning. */
#define ORPHANS_NAMED 5

enum { F_CODE, F_NAME, F_KIND, F_PARENT, F_LEVEL, F_ROWNO, NFIELDS };

/* The headings of a units file (docs/import.md lists them). */
static const egdi_heading_field unit_fields[NFIELDS] = {
    {"code", "code|unit|unit_code|id|代码|编码|单位代码|单位编码|机构代码|部门代码", true},
    {"name", "name|unit_name|名称|单位名称|单位|机构名称|部门名称", true},
    {"kind", "kind|type|类型|类别|单位类型|单位类别|单位性质", true},
    {"parent",
     "parent|region|parent_code|上级|上级代码|上级单位|上级单位代码|上级地区|所属地区|所属区域|"
     "所属市|所属城市|所属地市|地区",
     true},
    {"level", "level|级别|层级|行政级别", true},
    {"row number", "序号|行号|no|no.|#", false},
};

typedef struct {
    char *code, *name, *parent;
    const char *kind; /* static "department" / "region" */
    long level;       /* -1 = none */
    uint32_t row;
    int64_t id;
    bool bad; /* rejected after reading (parent); not written */
} unit_row;

/* A row's code or name with its index, for the sorted look-ups. */
typedef struct {
    const char *key;
    size_t i;
} unit_key;

typedef struct {
    unit_row *v;
    size_t n, cap;
    unit_key *by_code; /* sorted by code, then row (after reading) */
    unit_key *by_name; /* sorted by name, then row */
} unit_rows;

static void unit_rows_release(unit_rows *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].code);
        free(u->v[i].name);
        free(u->v[i].parent);
    }
    free(u->v);
    free(u->by_code);
    free(u->by_name);
}

/* "department"/"region" for the words people use, or NULL. */
static const char *parse_kind(const char *t)
{
    static const char *const dept[] = {"department", "dept", "部门", "单位", "机关",
                                       "委办局", "市直部门", "省直部门", "县直部门", NULL};
    static const char *const region[] = {"region", "city", "province", "county", "district",
                                         "地区", "区域", "市", "地市", "省", "县", "区",
                                         "城市", "地级市", "设区市", "县区", NULL};
    char n[EGDI_HEADING_MAX + 1];
    if (egdi_heading_normalise(t, strlen(t), n, sizeof n) == 0)
        return NULL;
    for (size_t i = 0; dept[i]; i++)
        if (strcmp(n, dept[i]) == 0)
            return "department";
    for (size_t i = 0; region[i]; i++)
        if (strcmp(n, region[i]) == 0)
            return "region";
    return NULL;
}

static char *dup_trim(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Turns each line break (CR, LF, CRLF) of s into one space, in place. */
static void one_line(char *s)
{
    char *o = s;
    for (const char *p = s; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            continue;
        *o++ = *p == '\r' || *p == '\n' ? ' ' : *p;
    }
    *o = '\0';
}

/* ---- the columns --------------------------------------------------------- */

typedef struct {
    const egdi_import_catalogue *cat;
} units_known;

static bool known_heading(void *ctx, const char *heading)
{
    const units_known *k = ctx;
    egdi_heading h;
    egdi_heading_match(heading, unit_fields, NFIELDS, k->cat, &h);
    return h.kind != EGDI_HEADING_NONE;
}

/* Decides every column; col[F_*] = the column of each field, or -1. */
static void map_columns(import_job *job, long col[NFIELDS])
{
    const egdi_import_catalogue *cat = job->opts->catalogue;
    for (int f = 0; f < NFIELDS; f++)
        col[f] = -1;
    for (size_t c = 0; c < job->ncols; c++) {
        const char *hd = job->headers[c];
        if (!hd[0])
            continue;
        if (import_ignored(job, c)) {
            import_column_use(job, c, EGDI_COLUMN_IGNORED, NULL, "--ignore-columns");
            continue;
        }
        egdi_heading h;
        egdi_heading_match(hd, unit_fields, NFIELDS, cat, &h);
        char letters[8];
        import_col_letters(c, letters);
        if (h.kind != EGDI_HEADING_NONE && h.other_kind != EGDI_HEADING_NONE) {
            import_problem(job, job->header_row, (uint32_t)c + 1, hd,
                           "heading \"%s\" is ambiguous: it matches both %s and %s", hd,
                           h.kind == EGDI_HEADING_FIELD ? unit_fields[h.index].name
                                                        : cat->v[h.index].code,
                           h.other_kind == EGDI_HEADING_FIELD ? unit_fields[h.other].name
                                                              : cat->v[h.other].code);
            import_column_use(job, c, EGDI_COLUMN_ERROR, NULL, "ambiguous");
        } else if (h.kind == EGDI_HEADING_FIELD && unit_fields[h.index].used) {
            import_column_use(job, c, EGDI_COLUMN_FIELD, unit_fields[h.index].name, NULL);
            if (col[h.index] < 0)
                col[h.index] = (long)c;
        } else if (h.kind == EGDI_HEADING_FIELD) {
            import_column_use(job, c, EGDI_COLUMN_IGNORED, NULL, "a %s column",
                              unit_fields[h.index].name);
        } else if (h.kind == EGDI_HEADING_INDICATOR) {
            import_column_use(job, c, EGDI_COLUMN_IGNORED, NULL,
                              "indicator %s (by %s): its values go in with 'egdi import metrics'",
                              cat->v[h.index].code, h.how);
        } else if (h.near_kind == EGDI_HEADING_FIELD) {
            const egdi_heading_field *f = &unit_fields[h.near];
            import_problem(job, job->header_row, (uint32_t)c + 1, hd,
                           "heading \"%s\" matches no field of a units file; did you mean "
                           "\"%.*s\" (%s)? (or --ignore-columns \"%s\")",
                           hd, (int)h.near_len, h.near_text, f->name, hd);
            import_column_use(job, c, EGDI_COLUMN_ERROR, NULL, "did you mean \"%.*s\" (%s)?",
                              (int)h.near_len, h.near_text, f->name);
        } else {
            import_column_use(job, c, EGDI_COLUMN_IGNORED, NULL, "not a field of a units file");
        }
    }
    static const char *const zh[3] = {"单位代码", "单位名称", "单位类型"};
    for (int f = F_CODE; f <= F_KIND; f++)
        if (col[f] < 0)
            import_problem(job, job->header_row, 0, NULL,
                           "no \"%s\" column (%s): a units file has the columns code (单位代码), "
                           "name (单位名称) and kind (单位类型), and may have parent (上级单位) "
                           "and level (级别)",
                           unit_fields[f].name, zh[f]);
}

/* ---- reading --------------------------------------------------------------- */

/* Reads and checks one data row; rejects go to the job. */
static egdi_status read_unit(import_job *job, const egdi_row *row, const long col[NFIELDS],
                             unit_rows *u, egdi_error *err)
{
    uint32_t r = row->number;
    size_t before = job->res->nrejects;
    const char *cells[NFIELDS];
    for (int f = 0; f < NFIELDS; f++)
        cells[f] = col[f] >= 0 ? import_cell_text(import_cell(row, (size_t)col[f])) : "";
    for (size_t c = job->ncols; c < row->ncells; c++)
        if (row->cells[c].type != EGDI_CELL_EMPTY)
            import_no_heading(job, row, c);
    for (int f = 0; f < NFIELDS; f++)
        if (col[f] >= 0) {
            egdi_import_column *e = import_column(job, (size_t)col[f]);
            if (e && egdi_value_blank(cells[f], strlen(cells[f])))
                e->missing++;
            else if (e)
                e->values++;
        }
    if (col[F_CODE] >= 0 && egdi_value_blank(cells[F_CODE], strlen(cells[F_CODE])))
        import_reject(job, r, (uint32_t)col[F_CODE] + 1, NULL, "the unit code is empty");
    if (col[F_NAME] >= 0 && egdi_value_blank(cells[F_NAME], strlen(cells[F_NAME])))
        import_reject(job, r, (uint32_t)col[F_NAME] + 1, NULL, "the unit name is empty");
    /* names are printed: no control character (a line break in a name,
     * as Alt+Enter makes in a spreadsheet, is read as a space) */
    static const int named[3] = {F_CODE, F_NAME, F_PARENT};
    for (int k = 0; k < 3; k++) {
        unsigned cp;
        int f = named[k];
        const char *t = cells[f];
        if (col[f] < 0 || !egdi_value_control(t, strlen(t), &cp))
            continue;
        char *flat = f == F_NAME ? dup_trim(t) : NULL; /* (a name may break lines) */
        if (flat)
            one_line(flat);
        bool breaks_only = flat && !egdi_value_control(flat, strlen(flat), &cp);
        free(flat);
        if (!breaks_only)
            import_reject(job, r, (uint32_t)col[f] + 1, NULL,
                          "the %s holds a control character (U+%04X%s): names are printed, "
                          "so remove it", f == F_CODE ? "unit code" : f == F_NAME ? "unit name"
                                                                                : "parent",
                          cp, cp == '\n' || cp == '\r' ? ", a line break" : "");
    }
    const char *k = parse_kind(cells[F_KIND]);
    if (col[F_KIND] >= 0 && !k)
        import_reject(job, r, (uint32_t)col[F_KIND] + 1, import_cell(row, (size_t)col[F_KIND]),
                      "kind must be department (部门, 单位) or region (地区, 市, 县, 区)");
    long level = -1;
    if (col[F_LEVEL] >= 0) {
        const egdi_cell *lc = import_cell(row, (size_t)col[F_LEVEL]);
        double v;
        const char *why = NULL;
        egdi_status st = egdi_cell_number(lc, false, &v, &why);
        if (st == EGDI_OK && v == (double)(long)v && v >= 0 && v < 100)
            level = (long)v;
        else if (st != EGDI_DONE && !import_is_missing(job, lc))
            import_reject(job, r, (uint32_t)col[F_LEVEL] + 1, lc,
                          "level must be a whole number 0-99");
    }
    if (job->res->nrejects != before || col[F_CODE] < 0 || col[F_NAME] < 0 || col[F_KIND] < 0)
        return EGDI_OK;
    if (u->n == EGDI_MAX_UNITS)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "more than %d units in one file",
                              EGDI_MAX_UNITS);
    if (u->n == u->cap) {
        size_t ncap = u->cap ? u->cap * 2 : 64;
        unit_row *nv = realloc(u->v, ncap * sizeof *nv);
        if (!nv)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        u->v = nv;
        u->cap = ncap;
    }
    unit_row *ur = &u->v[u->n];
    memset(ur, 0, sizeof *ur);
    ur->code = dup_trim(cells[F_CODE]);
    ur->name = dup_trim(cells[F_NAME]);
    if (ur->name && strpbrk(ur->name, "\r\n")) {
        one_line(ur->name);
        import_warn(job, "row %u: the unit name held a line break, read as a space: \"%s\"", r,
                    ur->name);
    }
    const char *parent = cells[F_PARENT];
    const egdi_cell *pc = col[F_PARENT] >= 0 ? import_cell(row, (size_t)col[F_PARENT]) : NULL;
    bool no_parent = !pc || import_is_missing(job, pc);
    ur->parent = no_parent ? NULL : dup_trim(parent);
    ur->kind = k;
    ur->level = level;
    ur->row = r;
    u->n++;
    if (!ur->code || !ur->name || (!ur->parent && !no_parent))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
}

/* ---- look-ups ---------------------------------------------------------------- */

static int cmp_keyed(const void *a, const void *b)
{
    const unit_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static egdi_status index_rows(unit_rows *u, egdi_error *err)
{
    u->by_code = malloc((u->n ? u->n : 1) * sizeof *u->by_code);
    u->by_name = malloc((u->n ? u->n : 1) * sizeof *u->by_name);
    if (!u->by_code || !u->by_name)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < u->n; i++) {
        u->by_code[i] = (unit_key){u->v[i].code, i};
        u->by_name[i] = (unit_key){u->v[i].name, i};
    }
    qsort(u->by_code, u->n, sizeof *u->by_code, cmp_keyed);
    qsort(u->by_name, u->n, sizeof *u->by_name, cmp_keyed);
    return EGDI_OK;
}

/* The first position of the sorted index ix whose key is t; n when there
 * is none. */
static size_t lower(const unit_key *ix, size_t n, const char *t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix[mid].key, t) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(ix[lo].key, t) == 0 ? lo : n;
}

/* The first row of the file with this code, or -1. */
static long find_code(const unit_rows *u, const char *code)
{
    size_t p = lower(u->by_code, u->n, code);
    return p < u->n ? (long)u->by_code[p].i : -1;
}

/* Duplicate codes: every later row is a problem naming the first. */
static void check_duplicates(import_job *job, const unit_rows *u, long code_col)
{
    for (size_t p = 1; p < u->n; p++) {
        if (strcmp(u->by_code[p - 1].key, u->by_code[p].key) != 0)
            continue;
        size_t first = p - 1;
        while (first > 0 && strcmp(u->by_code[first - 1].key, u->by_code[p].key) == 0)
            first--;
        const unit_row *b = &u->v[u->by_code[p].i];
        import_problem(job, b->row, (uint32_t)code_col + 1, b->code,
                       "unit code \"%s\" appears twice in the file (first on row %u)", b->code,
                       u->v[u->by_code[first].i].row);
    }
}

/* Kind of stored unit `code` ("department" / "region"), or NULL when there
 * is none. */
static egdi_status stored_kind(egdi_store *s, const char *code, const char **kind,
                               egdi_error *err)
{
    egdi_store_unit su;
    egdi_status rc = egdi_store_unit_get(s, code, &su, err);
    *kind = rc == EGDI_OK ? su.kind : NULL;
    egdi_store_unit_release(&su);
    return rc == EGDI_DONE ? EGDI_OK : rc;
}

/* Units named like a parent: the file's and the store's, by code. */
typedef struct {
    size_t n;
    char code[3][128]; /* the first three, for the message */
    const char *kind[3];
    char first_code[256];
    const char *first_kind;
} named;

static void named_add(named *nm, const char *code, const char *kind)
{
    for (size_t i = 0; i < nm->n && i < 3; i++)
        if (strcmp(nm->code[i], code) == 0)
            return;
    if (nm->n == 0) {
        snprintf(nm->first_code, sizeof nm->first_code, "%s", code);
        nm->first_kind = kind;
    }
    if (nm->n < 3) {
        snprintf(nm->code[nm->n], sizeof nm->code[nm->n], "%s", code);
        nm->kind[nm->n] = kind;
    }
    nm->n++;
}

static egdi_status on_named(void *ctx, const egdi_store_unit_row *row, egdi_error *err)
{
    (void)err;
    named_add(ctx, row->code, row->region ? "region" : "department");
    return EGDI_OK;
}

/* A suggestion for a parent that is neither a code nor a name: the
 * nearest region code or name of the file or the store. */
typedef struct {
    const char *text;
    unsigned limit, best;
    char *buf;
    size_t size;
} near_ctx;

static void near_try(near_ctx *k, const char *code, const char *name)
{
    const char *texts[2] = {code, name};
    for (int i = 0; i < 2; i++) {
        unsigned d = texts[i] ? egdi_heading_distance(k->text, texts[i], k->limit) : k->limit + 1;
        if (d > 0 && d < k->best) {
            k->best = d;
            snprintf(k->buf, k->size, "; did you mean %s (%s)?", code, name ? name : "");
        }
    }
}

static egdi_status on_near(void *ctx, const egdi_store_unit_row *row, egdi_error *err)
{
    (void)err;
    if (row->region)
        near_try(ctx, row->code, row->name);
    return EGDI_OK;
}

static egdi_status near_region(import_job *job, const unit_rows *u, const char *t, char *buf,
                               size_t size, egdi_error *err)
{
    char n[EGDI_HEADING_MAX + 1];
    size_t len = egdi_heading_normalise(t, strlen(t), n, sizeof n);
    size_t cps = 0;
    for (size_t i = 0; i < len; i++)
        cps += ((unsigned char)n[i] & 0xC0) != 0x80;
    /* a name is near when one character (of a short name) is off or
     * missing ("合肥" for "合肥市") */
    unsigned limit = egdi_heading_near_limit(cps);
    if (limit == 0 && cps >= 2)
        limit = 1;
    near_ctx k = {t, limit, limit + 1, buf, size};
    buf[0] = '\0';
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->v[i].kind, "region") == 0)
            near_try(&k, u->v[i].code, u->v[i].name);
    return egdi_store_units_each(job->store, on_near, &k, err);
}

/* Parents exist (file or store, by code or by a unique name), are regions,
 * and do not form cycles.  A parent given by name is replaced by its
 * code. */
static egdi_status check_parents(import_job *job, unit_rows *u, long pcol, egdi_error *err)
{
    uint32_t c = (uint32_t)pcol + 1;
    for (size_t i = 0; i < u->n; i++) {
        unit_row *ur = &u->v[i];
        if (!ur->parent)
            continue;
        size_t before = job->res->nrejects;
        egdi_cell pc = {EGDI_CELL_TEXT, false, 0, ur->parent, strlen(ur->parent)};
        long in_file = find_code(u, ur->parent);
        const char *pk = NULL;
        if (in_file >= 0)
            pk = u->v[in_file].kind;
        else {
            egdi_status rc = stored_kind(job->store, ur->parent, &pk, err);
            if (rc != EGDI_OK)
                return rc;
        }
        if (!pk && strcmp(ur->parent, ur->code) != 0) {
            /* not a code: a name? */
            named nm = {0};
            for (size_t p = lower(u->by_name, u->n, ur->parent);
                 p < u->n && strcmp(u->by_name[p].key, ur->parent) == 0; p++)
                named_add(&nm, u->v[u->by_name[p].i].code, u->v[u->by_name[p].i].kind);
            egdi_status rc = egdi_store_units_named(job->store, ur->parent, on_named, &nm, err);
            if (rc != EGDI_OK)
                return rc;
            if (nm.n == 1) {
                char *code = strdup(nm.first_code);
                if (!code)
                    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                free(ur->parent);
                ur->parent = code;
                pk = nm.first_kind;
                in_file = find_code(u, code);
                job->res->tree.by_name++;
            } else if (nm.n > 1) {
                char list[512] = "";
                for (size_t k = 0; k < nm.n && k < 3; k++) {
                    size_t l = strlen(list);
                    snprintf(list + l, sizeof list - l, "%s%s (%s)", k ? ", " : "", nm.code[k],
                             nm.kind[k]);
                }
                import_reject(job, ur->row, c, &pc,
                              "parent \"%s\" is the name of %zu units: %s%s; give the code",
                              ur->parent, nm.n, list, nm.n > 3 ? ", ..." : "");
                ur->bad = true;
                continue;
            }
        }
        if (strcmp(ur->parent, ur->code) == 0)
            import_reject(job, ur->row, c, &pc, "a unit cannot be its own parent");
        else if (!pk) {
            char near[300];
            egdi_status rc = near_region(job, u, ur->parent, near, sizeof near, err);
            if (rc != EGDI_OK)
                return rc;
            import_reject(job, ur->row, c, &pc,
                          "parent \"%s\" is neither the code nor the name of a unit of the file "
                          "or the store%s",
                          ur->parent, near);
        } else if (strcmp(pk, "region") != 0)
            import_reject(job, ur->row, c, &pc, "parent \"%s\" is a department, not a region",
                          ur->parent);
        else {
            /* walk up inside the file; a cycle comes back to i */
            long at = in_file;
            for (size_t steps = 0; at >= 0 && steps <= u->n; steps++) {
                if ((size_t)at == i) {
                    import_reject(job, ur->row, c, &pc, "parents form a cycle through \"%s\"",
                                  ur->code);
                    break;
                }
                at = u->v[at].parent ? find_code(u, u->v[at].parent) : -1;
            }
        }
        ur->bad = job->res->nrejects != before;
    }
    return EGDI_OK;
}

/* The tree the file describes: counts, departments per region, and a
 * warning for departments without a region. */
static egdi_status count_tree(import_job *job, const unit_rows *u, bool have_parent,
                              egdi_error *err)
{
    egdi_import_tree *t = &job->res->tree;
    char orphans[256] = "";
    for (size_t i = 0; i < u->n; i++) {
        const unit_row *ur = &u->v[i];
        if (ur->bad)
            continue;
        if (strcmp(ur->kind, "region") == 0) {
            t->regions++;
            continue;
        }
        t->departments++;
        if (!ur->parent) {
            if (t->orphans < ORPHANS_NAMED) {
                size_t l = strlen(orphans);
                snprintf(orphans + l, sizeof orphans - l, "%s%s", l ? ", " : "", ur->code);
            }
            t->orphans++;
            continue;
        }
        size_t k = 0;
        while (k < t->nregions && strcmp(t->per_region[k].code, ur->parent) != 0)
            k++;
        if (k == t->nregions) {
            egdi_import_region *n = realloc(t->per_region, (k + 1) * sizeof *n);
            if (!n)
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            t->per_region = n;
            long f = find_code(u, ur->parent);
            n[k].code = strdup(ur->parent);
            n[k].name = NULL;
            n[k].departments = 0;
            t->nregions++;
            if (f >= 0)
                n[k].name = strdup(u->v[f].name);
            else {
                egdi_store_unit su;
                egdi_status rc = egdi_store_unit_get(job->store, ur->parent, &su, err);
                if (rc == EGDI_OK) {
                    n[k].name = su.name;
                    su.name = NULL;
                }
                egdi_store_unit_release(&su);
                if (rc != EGDI_OK && rc != EGDI_DONE)
                    return rc;
            }
            if (!n[k].code)
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        }
        t->per_region[k].departments++;
    }
    if (t->orphans)
        import_warn(job,
                    "%zu department%s without a region (%s%s): %s",
                    t->orphans, t->orphans == 1 ? "" : "s", orphans,
                    t->orphans > ORPHANS_NAMED ? ", ..." : "",
                    have_parent ? (t->orphans == 1 ? "its parent cell is empty, so no region's "
                                                     "score includes it"
                                                   : "their parent cells are empty, so no "
                                                     "region's score includes them")
                                : "the file has no parent column (上级单位), so no region's "
                                  "score includes any department");
    return EGDI_OK;
}

/* Is stored unit su the same as the file's ur? */
static bool same_unit(const egdi_store_unit *su, const unit_row *ur)
{
    return strcmp(su->name, ur->name) == 0 && su->level == ur->level &&
           strcmp(su->kind, ur->kind) == 0 &&
           ((!su->parent && !ur->parent) ||
            (su->parent && ur->parent && strcmp(su->parent, ur->parent) == 0));
}

/* Inserts new units, compares existing ones, then sets parents. */
static egdi_status write_units(import_job *job, unit_rows *u, const long col[NFIELDS],
                               egdi_error *err)
{
    egdi_store_unit su = {0};
    egdi_status rc = EGDI_OK;
    for (size_t i = 0; i < u->n; i++) {
        unit_row *ur = &u->v[i];
        if (ur->bad)
            continue;
        egdi_store_unit_release(&su);
        rc = egdi_store_unit_get(job->store, ur->code, &su, err);
        if (rc != EGDI_OK && rc != EGDI_DONE)
            goto done;
        if (rc == EGDI_OK) {
            ur->id = su.id;
            if (same_unit(&su, ur)) {
                job->res->rows_unchanged++;
                continue;
            }
            if (!job->opts->replace) {
                egdi_cell cc = {EGDI_CELL_TEXT, false, 0, ur->code, strlen(ur->code)};
                import_reject(job, ur->row, (uint32_t)col[F_CODE] + 1, &cc,
                              "unit \"%s\" is already stored as \"%s\" (%s) with other "
                              "details; use --replace to update it",
                              ur->code, su.name, su.kind);
                ur->id = 0; /* rejected: its parent is not set either */
                continue;
            }
        }
        egdi_store_unit w = {ur->id, ur->code, ur->name, ur->kind, ur->level, NULL};
        if ((rc = egdi_store_unit_put(job->store, &w, job->res->batch_id, &ur->id, err)) !=
            EGDI_OK)
            goto done;
        job->res->rows_stored++;
        job->res->values_stored++;
    }
    rc = EGDI_OK;
    for (size_t i = 0; i < u->n; i++) {
        unit_row *ur = &u->v[i];
        if (ur->id &&
            (rc = egdi_store_unit_set_parent(job->store, ur->id, ur->parent, err)) != EGDI_OK)
            goto done;
    }
done:
    egdi_store_unit_release(&su);
    return rc;
}

egdi_status egdi_import_units(egdi_store *s, const char *path, const egdi_import_opts *o,
                              egdi_import_result *res, egdi_error *err)
{
    import_job job;
    unit_rows u = {0};
    units_known kn = {o->catalogue};
    long col[NFIELDS];
    egdi_status rc = import_start(&job, s, "units", path, o, res, known_heading, &kn, err);
    if (rc != EGDI_OK)
        goto done;
    map_columns(&job, col);
    import_check_columns(&job);
    if ((rc = import_new_batch(&job, 0, 0, err)) != EGDI_OK)
        goto done;
    egdi_row row;
    while ((rc = import_next_row(&job, &row, err)) == EGDI_OK)
        if ((rc = read_unit(&job, &row, col, &u, err)) != EGDI_OK)
            goto done;
    if (rc != EGDI_DONE)
        goto done;
    if ((rc = index_rows(&u, err)) != EGDI_OK)
        goto done;
    check_duplicates(&job, &u, col[F_CODE]);
    if (col[F_PARENT] >= 0 && (rc = check_parents(&job, &u, col[F_PARENT], err)) != EGDI_OK)
        goto done;
    if ((rc = count_tree(&job, &u, col[F_PARENT] >= 0, err)) != EGDI_OK)
        goto done;
    if (res->nstructural || (res->nrejects && !o->skip_bad_rows && !o->skip_bad_cells)) {
        rc = import_end(&job, err);
        goto done;
    }
    if ((rc = write_units(&job, &u, col, err)) != EGDI_OK)
        goto done;
    rc = import_end(&job, err);
done:
    import_job_release(&job);
    unit_rows_release(&u);
    return rc;
}
