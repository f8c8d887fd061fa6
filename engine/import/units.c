/*
 * units.c - `egdi import units`: code, name, kind, parent, level.
 *
 * The file is read whole into an array of unit rows (a units file is small;
 * capped at EGDI_MAX_UNITS), checked (duplicate codes, kinds, parents that
 * are regions, no cycles), then written: new codes inserted, codes already
 * stored with the same fields left alone, codes stored with other fields
 * rejected unless --replace.  Parents are set in a second pass so a file may
 * list a department before its region.
 */
#include "engine/import/import_private.h"
#include "engine/store/units.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/core/value.h"

#define EGDI_MAX_UNITS 1000000

#define UNIT_CODE_ALIASES "code|unit|unit_code|id|代码|编码|单位代码|单位编码"
#define UNIT_NAME_ALIASES "name|unit_name|名称|单位名称"
#define UNIT_KIND_ALIASES "kind|type|类型|类别"
#define UNIT_PARENT_ALIASES "parent|region|parent_code|上级|所属地区|上级代码"
#define UNIT_LEVEL_ALIASES "level|级别|层级"

typedef struct {
    char *code, *name, *parent;
    const char *kind; /* static "department" / "region" */
    long level;       /* -1 = none */
    uint32_t row;
    int64_t id;
    bool bad; /* rejected after reading (parent); not written */
} unit_row;

typedef struct {
    unit_row *v;
    size_t n, cap;
} unit_rows;

static void unit_rows_release(unit_rows *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].code);
        free(u->v[i].name);
        free(u->v[i].parent);
    }
    free(u->v);
}

/* "department"/"region" for the words people use, or NULL. */
static const char *parse_kind(const char *t)
{
    static const char *const dept[] = {"department", "dept", "部门", "单位", NULL};
    static const char *const region[] = {"region", "city", "province", "county", "地区",
                                         "区域", "市", "地市", "省", "县", "区", NULL};
    for (size_t i = 0; dept[i]; i++)
        if (strcasecmp(t, dept[i]) == 0)
            return "department";
    for (size_t i = 0; region[i]; i++)
        if (strcasecmp(t, region[i]) == 0)
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

static long find_code(const unit_rows *u, const char *code)
{
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->v[i].code, code) == 0)
            return (long)i;
    return -1;
}

/* Reads and checks one data row; rejects go to the job. */
static egdi_status read_unit(import_job *job, const egdi_row *row, const long col[5],
                             unit_rows *u, egdi_error *err)
{
    const char *code = import_cell_text(import_cell(row, (size_t)col[0]));
    const char *name = import_cell_text(import_cell(row, (size_t)col[1]));
    const char *kind = import_cell_text(import_cell(row, (size_t)col[2]));
    uint32_t r = row->number;
    size_t before = job->res->nrejects;
    if (egdi_value_blank(code, strlen(code)))
        import_reject(job, r, (uint32_t)col[0] + 1, NULL, "the unit code is empty");
    else if (find_code(u, code) >= 0)
        import_reject(job, r, (uint32_t)col[0] + 1, import_cell(row, (size_t)col[0]),
                      "unit code \"%s\" appears twice in the file (first on row %u)", code,
                      u->v[find_code(u, code)].row);
    if (egdi_value_blank(name, strlen(name)))
        import_reject(job, r, (uint32_t)col[1] + 1, NULL, "the unit name is empty");
    const char *k = parse_kind(kind);
    if (!k)
        import_reject(job, r, (uint32_t)col[2] + 1, import_cell(row, (size_t)col[2]),
                      "kind must be department (部门) or region (地区)");
    long level = -1;
    if (col[4] >= 0) {
        const egdi_cell *lc = import_cell(row, (size_t)col[4]);
        double v;
        const char *why = NULL;
        egdi_status st = egdi_cell_number(lc, false, &v, &why);
        if (st == EGDI_OK && v == (double)(long)v && v >= 0 && v < 100)
            level = (long)v;
        else if (st != EGDI_DONE)
            import_reject(job, r, (uint32_t)col[4] + 1, lc, "level must be a whole number 0-99");
    }
    if (job->res->nrejects != before)
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
    ur->code = dup_trim(code);
    ur->name = dup_trim(name);
    const char *parent = col[3] >= 0 ? import_cell_text(import_cell(row, (size_t)col[3])) : "";
    ur->parent = egdi_value_blank(parent, strlen(parent)) ? NULL : dup_trim(parent);
    ur->kind = k;
    ur->level = level;
    ur->row = r;
    u->n++;
    if (!ur->code || !ur->name || (!ur->parent && !egdi_value_blank(parent, strlen(parent))))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
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

/* Parents exist (file or store), are regions, and do not form cycles. */
static egdi_status check_parents(import_job *job, unit_rows *u, long pcol, egdi_error *err)
{
    for (size_t i = 0; i < u->n; i++) {
        unit_row *ur = &u->v[i];
        if (!ur->parent)
            continue;
        uint32_t c = (uint32_t)pcol + 1;
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
        if (strcmp(ur->parent, ur->code) == 0)
            import_reject(job, ur->row, c, &pc, "a unit cannot be its own parent");
        else if (!pk)
            import_reject(job, ur->row, c, &pc, "parent \"%s\" is not a known unit", ur->parent);
        else if (strcmp(pk, "region") != 0)
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

/* Is stored unit su the same as the file's ur? */
static bool same_unit(const egdi_store_unit *su, const unit_row *ur)
{
    return strcmp(su->name, ur->name) == 0 && su->level == ur->level &&
           strcmp(su->kind, ur->kind) == 0 &&
           ((!su->parent && !ur->parent) ||
            (su->parent && ur->parent && strcmp(su->parent, ur->parent) == 0));
}

/* Inserts new units, compares existing ones, then sets parents. */
static egdi_status write_units(import_job *job, unit_rows *u, const long col[5],
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
                import_reject(job, ur->row, (uint32_t)col[0] + 1, &cc,
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
    egdi_status rc = import_start(&job, s, "units", path, o, res, err);
    if (rc != EGDI_OK)
        goto done;
    long col[5] = {import_find_column(&job, UNIT_CODE_ALIASES),
                   import_find_column(&job, UNIT_NAME_ALIASES),
                   import_find_column(&job, UNIT_KIND_ALIASES),
                   import_find_column(&job, UNIT_PARENT_ALIASES),
                   import_find_column(&job, UNIT_LEVEL_ALIASES)};
    static const char *const need[3] = {"code", "name", "kind"};
    for (int i = 0; i < 3; i++) {
        if (col[i] < 0) {
            egdi_error_at(err, path, res->sheet, job.header_row, 0);
            rc = egdi_error_set(err, EGDI_ERR_FORMAT,
                                "no \"%s\" column in the header (a units file has columns "
                                "code, name, kind, parent, level)",
                                need[i]);
            goto done;
        }
    }
    if ((rc = import_new_batch(&job, 0, 0, err)) != EGDI_OK)
        goto done;
    egdi_row row;
    while ((rc = import_next_row(&job, &row, err)) == EGDI_OK)
        if ((rc = read_unit(&job, &row, col, &u, err)) != EGDI_OK)
            goto done;
    if (rc != EGDI_DONE)
        goto done;
    if ((rc = check_parents(&job, &u, col[3], err)) != EGDI_OK)
        goto done;
    if (res->nrejects && !o->skip_bad_rows) {
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
