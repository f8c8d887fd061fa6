/*
 * xlsx.c - the XLSX reader backend (see reader.h, reader_private.h).
 *
 * The workbook is a zip (libzip, opened from a path or from memory).  The
 * small parts are parsed with expat: _rels/.rels finds the workbook,
 * workbook.xml lists the sheets (and the 1904 flag), its .rels file maps
 * them to part names and names the shared strings and styles, which are
 * read whole.  The chosen sheet is then streamed through zip_fread into the
 * scanner of xlsx_sheet.c, which never holds the sheet XML; a sheet over
 * PIPE_MIN_SIZE is inflated on a second thread a few chunks ahead of the
 * scanner (pipe_t), so inflating and scanning overlap on two cores.
 *
 * Cell conventions (see also xlsx_sheet.h): a style whose number format is
 * a date (built-in 14-22, 27-36, 45-47, 50-58, or a custom code with d, m,
 * y, h or s outside quotes and brackets) makes a DATE; formats 9, 10 or a
 * code with % set egdi_cell.percent.  Parts the workbook's relationships
 * name but the zip lacks (shared strings, styles) are taken as empty.
 *
 * Data structure: an xlsx owns the zip handle, the open sheet entry, the
 * shared strings (one blob of NUL-terminated strings plus pointer and length
 * arrays), one flag byte per cell style, and the scanner.  xlsx_close()
 * frees all of it.  Every entry is read through a counting reader (zin) that
 * enforces the inflated-size and compression-ratio limits on what actually
 * comes out, whatever the zip headers claim.  libzip checks an entry's
 * CRC-32 when it is read to its end, so every entry is: the sheet too,
 * past </sheetData> (drain).
 */
#include "engine/readers/reader_private.h"
#include "engine/readers/xlsx_sheet_private.h"

#include <expat.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define XML_CHUNK      (64 * 1024)
#define RATIO_FLOOR    (64u * 1024u) /* entries below this are never "bombs" */
#define MAX_SHEETS     65536u
#define MAX_RELS       65536u
#define MAX_STYLES     (1u << 20)
#define SST_HINT_MAX   (1u << 16)    /* most entries preallocated from count= */
#define SST_FREE       (1u << 16)    /* shared strings any workbook may hold */
#define SST_CELL_BYTES 20u           /* the least sheet XML that uses one:
                                        <c t="s"><v>0</v></c> is 21 bytes */
#define PIPE_CHUNKS    4
#define PIPE_CHUNK     (256u * 1024u)
#define PIPE_MIN_SIZE  (1u << 20)    /* smaller sheets are inflated in line */

typedef struct {
    zip_file_t *f;
    const char *entry;
    uint64_t got, size, comp;
    const egdi_limits *lim;
} zin;

/*
 * A large sheet is inflated on a second thread, PIPE_CHUNKS chunks ahead
 * of the scanner: chunks [tail, head) are full, the scanner has used `off`
 * bytes of chunk tail.  The producer owns the zip entry while it runs.
 */
typedef struct {
    zin *z;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf[PIPE_CHUNKS];
    size_t len[PIPE_CHUNKS], off;
    uint64_t used; /* bytes handed to the scanner (its side only) */
    unsigned head, tail;
    bool eof, stop;
    egdi_status st;
    egdi_error err;
} pipe_t;

typedef struct {
    char *name, *rid, *part;
} sheet_ref;

typedef struct {
    char *id, *type, *target;
} rel;

typedef struct {
    char *file, *sheet, *part; /* the sheet's name and zip entry */
    egdi_limits lim;
    zip_t *za;
    zin in;
    pipe_t *pipe;
    char *blob;
    size_t blen, bcap;
    size_t *sst_off;
    uint32_t *sst_len;
    size_t nsst, sst_cap;
    uint64_t sst_max;     /* the most shared strings the sheets can use */
    uint64_t sheet_bytes; /* ... from this much worksheet XML */
    uint8_t *xf;
    uint32_t *xf_fmt;
    size_t nxf, xf_cap;
    egdi_xlsx_book book;
    egdi_xlsx_sheet *sc;
    bool drained; /* the sheet entry was read to its end (CRC checked) */
} xlsx;

/* ---- the zip ------------------------------------------------------------- */

/* True for entry names that could write outside a folder if extracted. */
static bool unsafe_name(const char *n)
{
    if (n[0] == '/' || n[0] == '\\' || (n[0] && n[1] == ':'))
        return true;
    for (const char *p = n; *p;) {
        size_t k = strcspn(p, "/\\");
        if (k == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p += k + (p[k] != '\0');
    }
    return false;
}

static egdi_status zin_read(void *ctx, char *buf, size_t cap, size_t *got, egdi_error *err)
{
    zin *z = ctx;
    zip_int64_t k = zip_fread(z->f, buf, cap);
    if (k < 0 && zip_error_code_zip(zip_file_get_error(z->f)) == ZIP_ER_CRC)
        return egdi_error_set(err, EGDI_ERR_FORMAT, "%s fails its CRC check: the file is "
                              "damaged or was changed after it was saved", z->entry);
    if (k < 0)
        return egdi_error_set(err, EGDI_ERR_FORMAT, "cannot inflate %s: %s (corrupt zip?)",
                              z->entry, zip_file_strerror(z->f));
    z->got += (uint64_t)k;
    if (z->got > z->lim->max_unzipped)
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "%s inflates to more than %llu bytes (the unzipped size limit)",
                              z->entry, (unsigned long long)z->lim->max_unzipped);
    if (z->got > z->size)
        return egdi_error_set(err, EGDI_ERR_FORMAT, "%s inflates to more than its zip "
                              "header says (corrupt zip?)", z->entry);
    if (z->got > RATIO_FLOOR && z->got / (z->comp ? z->comp : 1) > z->lim->max_ratio)
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "%s inflates more than %u times its compressed size "
                              "(a zip bomb?)", z->entry, z->lim->max_ratio);
    *got = (size_t)k;
    return EGDI_OK;
}

/* Opens entry `part` for reading; EGDI_ERR_NOT_FOUND (err untouched) when
 * the zip has no such entry. */
static egdi_status zin_open(xlsx *x, zin *z, const char *part, egdi_error *err)
{
    memset(z, 0, sizeof *z);
    z->entry = part;
    z->lim = &x->lim;
    zip_int64_t i = zip_name_locate(x->za, part, ZIP_FL_NOCASE);
    if (i < 0)
        return EGDI_ERR_NOT_FOUND;
    zip_stat_t st;
    if (zip_stat_index(x->za, (zip_uint64_t)i, 0, &st) != 0 ||
        !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
        return egdi_error_set(err, EGDI_ERR_FORMAT, "cannot read the zip entry %s", part);
    z->size = st.size;
    z->comp = st.comp_size;
    if (z->size > x->lim.max_unzipped)
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "%s would inflate to %llu bytes, over the limit of %llu", part,
                              (unsigned long long)z->size,
                              (unsigned long long)x->lim.max_unzipped);
    if (z->size > RATIO_FLOOR && z->size / (z->comp ? z->comp : 1) > x->lim.max_ratio)
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "%s would inflate %llu times its compressed size, over the "
                              "limit of %u (a zip bomb?)", part,
                              (unsigned long long)(z->size / (z->comp ? z->comp : 1)),
                              x->lim.max_ratio);
    z->f = zip_fopen_index(x->za, (zip_uint64_t)i, 0);
    if (!z->f)
        return egdi_error_set(err, EGDI_ERR_FORMAT, "cannot open the zip entry %s: %s", part,
                              zip_strerror(x->za));
    return EGDI_OK;
}

static void zin_close(zin *z)
{
    if (z->f)
        zip_fclose(z->f);
    z->f = NULL;
}

static void *pipe_run(void *arg)
{
    pipe_t *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->head - p->tail == PIPE_CHUNKS && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop)
            break;
        unsigned i = p->head % PIPE_CHUNKS;
        pthread_mutex_unlock(&p->mu);
        size_t got = 0;
        egdi_status st = zin_read(p->z, p->buf[i], PIPE_CHUNK, &got, &p->err);
        pthread_mutex_lock(&p->mu);
        p->st = st;
        p->len[i] = got;
        if (st != EGDI_OK || got == 0)
            p->eof = true;
        else
            p->head++;
        pthread_cond_broadcast(&p->cv);
        if (p->eof)
            break;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The scanner's read function over the pipe. */
static egdi_status pipe_read(void *ctx, char *buf, size_t cap, size_t *got, egdi_error *err)
{
    pipe_t *p = ctx;
    pthread_mutex_lock(&p->mu);
    while (p->head == p->tail && !p->eof)
        pthread_cond_wait(&p->cv, &p->mu);
    if (p->head == p->tail) {
        egdi_status st = p->st;
        pthread_mutex_unlock(&p->mu);
        if (st != EGDI_OK && err)
            egdi_error_set(err, st, "%s", p->err.message);
        *got = 0;
        return st;
    }
    unsigned i = p->tail % PIPE_CHUNKS;
    pthread_mutex_unlock(&p->mu);
    size_t n = p->len[i] - p->off < cap ? p->len[i] - p->off : cap;
    memcpy(buf, p->buf[i] + p->off, n);
    p->off += n;
    p->used += n;
    *got = n;
    if (p->off == p->len[i]) {
        pthread_mutex_lock(&p->mu);
        p->tail++;
        p->off = 0;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    return EGDI_OK;
}

static void pipe_free(pipe_t *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    for (int i = 0; i < PIPE_CHUNKS; i++)
        free(p->buf[i]);
    free(p);
}

/* Starts inflating z on a second thread; NULL when that is not possible
 * (the caller then reads in line). */
static pipe_t *pipe_start(zin *z)
{
    pipe_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->z = z;
    bool ok = true;
    for (int i = 0; i < PIPE_CHUNKS; i++)
        ok = ok && (p->buf[i] = malloc(PIPE_CHUNK)) != NULL;
    if (ok && pthread_mutex_init(&p->mu, NULL) == 0) {
        if (pthread_cond_init(&p->cv, NULL) == 0) {
            if (pthread_create(&p->th, NULL, pipe_run, p) == 0)
                return p;
            pthread_cond_destroy(&p->cv);
        }
        pthread_mutex_destroy(&p->mu);
    }
    for (int i = 0; i < PIPE_CHUNKS; i++)
        free(p->buf[i]);
    free(p);
    return NULL;
}

/* ---- expat ----------------------------------------------------------------- */

typedef struct xml_job xml_job;
struct xml_job {
    xlsx *x;
    const char *part;
    egdi_error *err;
    egdi_status st;
    XML_Parser p;
    uint32_t depth;
    void (*start)(xml_job *, const char *name, const char **atts);
    void (*end)(xml_job *, const char *name);
    void (*text)(xml_job *, const char *s, size_t n);
    void *u;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void job_fail(xml_job *j, egdi_status st, const char *fmt, ...)
{
    if (j->st != EGDI_OK)
        return;
    char msg[EGDI_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    j->st = egdi_error_set(j->err, st, "%s: %s", j->part, n < 0 ? "bad part" : msg);
    XML_StopParser(j->p, XML_FALSE);
}

/* The local part of a qualified name ("r:id" -> "id"). */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

/* The value of attribute `name` (local name; prefixed when `prefixed`). */
static const char *att(const char **atts, const char *name, bool prefixed)
{
    for (; atts[0]; atts += 2)
        if (strcmp(local(atts[0]), name) == 0 && (strchr(atts[0], ':') != NULL) == prefixed)
            return atts[1];
    return NULL;
}

static void XMLCALL on_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    xml_job *j = u;
    if (++j->depth > j->x->lim.max_depth) {
        job_fail(j, EGDI_ERR_LIMIT, "the XML nests deeper than the limit of %u",
                 j->x->lim.max_depth);
        return;
    }
    if (j->start && j->st == EGDI_OK)
        j->start(j, local(name), atts);
}

static void XMLCALL on_end(void *u, const XML_Char *name)
{
    xml_job *j = u;
    j->depth--;
    if (j->end && j->st == EGDI_OK)
        j->end(j, local(name));
}

static void XMLCALL on_text(void *u, const XML_Char *s, int n)
{
    xml_job *j = u;
    if (j->text && j->st == EGDI_OK)
        j->text(j, s, (size_t)n);
}

static void XMLCALL on_doctype(void *u, const XML_Char *name, const XML_Char *sys,
                               const XML_Char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    job_fail(u, EGDI_ERR_FORMAT, "a DOCTYPE is not allowed (DTDs and entities are refused)");
}

/* Parses the part j->part with j's handlers.  A missing part is
 * EGDI_ERR_NOT_FOUND with err untouched. */
static egdi_status parse_part(xml_job *j)
{
    zin z;
    egdi_status st = zin_open(j->x, &z, j->part, j->err);
    if (st != EGDI_OK)
        return st;
    j->p = XML_ParserCreate(NULL);
    if (!j->p) {
        zin_close(&z);
        return egdi_error_set(j->err, EGDI_ERR_NOMEM, "out of memory parsing %s", j->part);
    }
    XML_SetUserData(j->p, j);
    XML_SetElementHandler(j->p, on_start, on_end);
    XML_SetCharacterDataHandler(j->p, on_text);
    XML_SetStartDoctypeDeclHandler(j->p, on_doctype);
    for (;;) {
        void *buf = XML_GetBuffer(j->p, XML_CHUNK);
        size_t got = 0;
        if (!buf) {
            st = egdi_error_set(j->err, EGDI_ERR_NOMEM, "out of memory parsing %s", j->part);
            break;
        }
        if ((st = zin_read(&z, buf, XML_CHUNK, &got, j->err)) != EGDI_OK)
            break;
        if (XML_ParseBuffer(j->p, (int)got, got == 0) != XML_STATUS_OK) {
            st = j->st;
            if (st == EGDI_OK)
                st = egdi_error_set(j->err, EGDI_ERR_FORMAT, "%s: malformed XML at line %lu: %s",
                                    j->part, (unsigned long)XML_GetCurrentLineNumber(j->p),
                                    XML_ErrorString(XML_GetErrorCode(j->p)));
            break;
        }
        if (got == 0)
            break;
    }
    XML_ParserFree(j->p);
    zin_close(&z);
    return st;
}

/* ---- relationships ----------------------------------------------------------- */

typedef struct {
    rel *r;
    size_t n, cap;
} rels;

static void rels_release(rels *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->r[i].id);
        free(rs->r[i].type);
        free(rs->r[i].target);
    }
    free(rs->r);
}

static void rels_start(xml_job *j, const char *name, const char **atts)
{
    rels *rs = j->u;
    if (strcmp(name, "Relationship") != 0)
        return;
    const char *id = att(atts, "Id", false), *type = att(atts, "Type", false);
    const char *target = att(atts, "Target", false), *mode = att(atts, "TargetMode", false);
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (rs->n == rs->cap) {
        if (rs->cap >= MAX_RELS) {
            job_fail(j, EGDI_ERR_LIMIT, "more than %u relationships", MAX_RELS);
            return;
        }
        size_t ncap = rs->cap ? rs->cap * 2 : 16;
        rel *nr = realloc(rs->r, ncap * sizeof *nr);
        if (!nr) {
            job_fail(j, EGDI_ERR_NOMEM, "out of memory");
            return;
        }
        rs->r = nr;
        rs->cap = ncap;
    }
    rel *r = &rs->r[rs->n];
    r->id = strdup(id);
    r->type = strdup(type);
    r->target = strdup(target);
    rs->n++;
    if (!r->id || !r->type || !r->target)
        job_fail(j, EGDI_ERR_NOMEM, "out of memory");
}

static egdi_status read_rels(xlsx *x, const char *part, rels *rs, egdi_error *err)
{
    xml_job j = {.x = x, .part = part, .err = err, .start = rels_start, .u = rs};
    return parse_part(&j);
}

/* The relationship whose Type ends in "/suffix" (first one), or NULL. */
static const rel *rel_by_type(const rels *rs, const char *suffix)
{
    size_t k = strlen(suffix);
    for (size_t i = 0; i < rs->n; i++) {
        size_t n = strlen(rs->r[i].type);
        if (n > k && rs->r[i].type[n - k - 1] == '/' && strcmp(rs->r[i].type + n - k, suffix) == 0)
            return &rs->r[i];
    }
    return NULL;
}

/*
 * The part name that target (relative to the folder of part base, or
 * absolute from the root when it starts with '/') points at, normalised;
 * NULL when it leaves the root or memory runs out.  Caller frees.
 */
static char *resolve(const char *base, const char *target)
{
    size_t dir = 0;
    if (target[0] == '/')
        target++;
    else if (strrchr(base, '/'))
        dir = (size_t)(strrchr(base, '/') - base) + 1;
    size_t n = dir + strlen(target);
    char *in = malloc(n + 1), *out = malloc(n + 1);
    if (!in || !out)
        goto fail;
    memcpy(in, base, dir);
    strcpy(in + dir, target);
    size_t o = 0;
    for (char *p = in; *p;) {
        size_t k = strcspn(p, "/");
        if (k == 2 && p[0] == '.' && p[1] == '.') {
            if (o == 0)
                goto fail;
            o--;
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else if (k > 0 && !(k == 1 && p[0] == '.')) {
            memcpy(out + o, p, k);
            o += k;
            if (p[k] == '/')
                out[o++] = '/';
        }
        p += k + (p[k] == '/');
    }
    out[o] = '\0';
    free(in);
    return out;
fail:
    free(in);
    free(out);
    return NULL;
}

/* ---- workbook.xml ------------------------------------------------------------ */

typedef struct {
    sheet_ref *s;
    size_t n, cap;
    bool date1904;
} sheets;

static void sheets_release(sheets *ss)
{
    for (size_t i = 0; i < ss->n; i++) {
        free(ss->s[i].name);
        free(ss->s[i].rid);
        free(ss->s[i].part);
    }
    free(ss->s);
}

static void book_start(xml_job *j, const char *name, const char **atts)
{
    sheets *ss = j->u;
    if (strcmp(name, "workbookPr") == 0) {
        const char *v = att(atts, "date1904", false);
        ss->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
        return;
    }
    if (strcmp(name, "sheet") != 0)
        return;
    const char *sn = att(atts, "name", false), *rid = att(atts, "id", true);
    if (!sn || !rid) {
        job_fail(j, EGDI_ERR_FORMAT, "a <sheet> without a name or r:id");
        return;
    }
    if (ss->n == ss->cap) {
        if (ss->cap >= MAX_SHEETS) {
            job_fail(j, EGDI_ERR_LIMIT, "more than %u sheets", MAX_SHEETS);
            return;
        }
        size_t ncap = ss->cap ? ss->cap * 2 : 8;
        sheet_ref *ns = realloc(ss->s, ncap * sizeof *ns);
        if (!ns) {
            job_fail(j, EGDI_ERR_NOMEM, "out of memory");
            return;
        }
        ss->s = ns;
        ss->cap = ncap;
    }
    sheet_ref *s = &ss->s[ss->n++];
    s->name = strdup(sn);
    s->rid = strdup(rid);
    s->part = NULL;
    if (!s->name || !s->rid)
        job_fail(j, EGDI_ERR_NOMEM, "out of memory");
}

/* Picks the sheet asked for (name, else 1-based index, else the first). */
static egdi_status pick_sheet(const sheets *ss, const char *want, size_t *out, egdi_error *err)
{
    if (ss->n == 0)
        return egdi_error_set(err, EGDI_ERR_FORMAT, "the workbook has no sheets");
    if (!want) {
        *out = 0;
        return EGDI_OK;
    }
    for (size_t i = 0; i < ss->n; i++)
        if (strcmp(ss->s[i].name, want) == 0) {
            *out = i;
            return EGDI_OK;
        }
    char *end;
    unsigned long k = want[0] >= '1' && want[0] <= '9' ? strtoul(want, &end, 10) : 0;
    if (k >= 1 && *end == '\0' && k <= ss->n) {
        *out = k - 1;
        return EGDI_OK;
    }
    char list[EGDI_ERR_MSG_MAX / 2];
    size_t o = 0;
    for (size_t i = 0; i < ss->n && o < sizeof list; i++) {
        int r = snprintf(list + o, sizeof list - o, "%s\"%s\"", i ? ", " : "", ss->s[i].name);
        if (r < 0 || (size_t)r >= sizeof list - o) {
            snprintf(list + (o < sizeof list - 6 ? o : sizeof list - 6), 6, ", ...");
            break;
        }
        o += (size_t)r;
    }
    return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "no sheet \"%s\" (the workbook has %s)",
                          want, list);
}

/* ---- sharedStrings.xml ------------------------------------------------------- */

typedef struct {
    bool in_si, in_t, in_rph;
    size_t start;
} sst_state;

static bool blob_add(xlsx *x, const char *s, size_t n)
{
    if (x->blen + n + 1 > x->bcap) {
        size_t ncap = x->bcap ? x->bcap : 4096;
        while (ncap < x->blen + n + 1)
            ncap *= 2;
        char *nb = realloc(x->blob, ncap);
        if (!nb)
            return false;
        x->blob = nb;
        x->bcap = ncap;
    }
    memcpy(x->blob + x->blen, s, n);
    x->blen += n;
    return true;
}

static void sst_start(xml_job *j, const char *name, const char **atts)
{
    sst_state *ss = j->u;
    xlsx *x = j->x;
    if (strcmp(name, "sst") == 0 && !x->sst_off) {
        const char *c = att(atts, "uniqueCount", false);
        if (!c)
            c = att(atts, "count", false);
        unsigned long n = c ? strtoul(c, NULL, 10) : 0;
        x->sst_cap = n < 16 ? 16 : n > SST_HINT_MAX ? SST_HINT_MAX : n;
        x->sst_off = malloc(x->sst_cap * sizeof *x->sst_off);
        x->sst_len = malloc(x->sst_cap * sizeof *x->sst_len);
        if (!x->sst_off || !x->sst_len)
            job_fail(j, EGDI_ERR_NOMEM, "out of memory");
    } else if (strcmp(name, "si") == 0) {
        if (!x->sst_off) {
            job_fail(j, EGDI_ERR_FORMAT, "<si> outside <sst>");
            return;
        }
        ss->in_si = true;
        ss->start = x->blen;
    } else if (strcmp(name, "t") == 0) {
        ss->in_t = ss->in_si && !ss->in_rph;
    } else if (strcmp(name, "rPh") == 0) {
        ss->in_rph = true;
    }
}

static void sst_end(xml_job *j, const char *name)
{
    sst_state *ss = j->u;
    xlsx *x = j->x;
    if (strcmp(name, "t") == 0) {
        ss->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        ss->in_rph = false;
    } else if (strcmp(name, "si") == 0 && ss->in_si) {
        ss->in_si = false;
        size_t n = x->blen - ss->start;
        if (n)
            n = egdi_xlsx_unescape(x->blob + ss->start, n);
        x->blen = ss->start + n;
        if (n > x->lim.max_cell_bytes) {
            job_fail(j, EGDI_ERR_LIMIT, "shared string %zu is longer than the cell text limit",
                     x->nsst + 1);
            return;
        }
        if (x->nsst >= x->sst_max) {
            job_fail(j, EGDI_ERR_LIMIT,
                     "more than %llu shared strings, more than the cells of the workbook's "
                     "sheets can use (%llu bytes of sheet XML; a crafted file?)",
                     (unsigned long long)x->sst_max, (unsigned long long)x->sheet_bytes);
            return;
        }
        if (x->nsst == x->sst_cap) {
            size_t ncap = x->sst_cap * 2;
            size_t *np = realloc(x->sst_off, ncap * sizeof *np);
            if (np)
                x->sst_off = np;
            uint32_t *nl = realloc(x->sst_len, ncap * sizeof *nl);
            if (nl)
                x->sst_len = nl;
            if (!np || !nl) {
                job_fail(j, EGDI_ERR_NOMEM, "out of memory");
                return;
            }
            x->sst_cap = ncap;
        }
        if (!blob_add(x, "", 1)) {
            job_fail(j, EGDI_ERR_NOMEM, "out of memory");
            return;
        }
        x->sst_off[x->nsst] = ss->start;
        x->sst_len[x->nsst++] = (uint32_t)n;
    }
}

static void sst_text(xml_job *j, const char *s, size_t n)
{
    sst_state *ss = j->u;
    if (ss->in_t && !blob_add(j->x, s, n))
        job_fail(j, EGDI_ERR_NOMEM, "out of memory");
    else if (ss->in_t && j->x->blen - ss->start > 8 * (size_t)j->x->lim.max_cell_bytes)
        job_fail(j, EGDI_ERR_LIMIT, "shared string %zu is longer than the cell text limit",
                 j->x->nsst + 1);
}

/* ---- styles.xml ----------------------------------------------------------------- */

/* Custom formats: flags[id] | FMT_DEFINED for each numFmt in <numFmts>. */
#define MAX_FMT_ID  65536u
#define FMT_DEFINED 0x80u

typedef struct {
    uint8_t *flags;
    bool in_fmts, in_xfs;
} styles_state;

/* Date / percent flags of a format code: d m y h s outside quotes,
 * brackets and escapes make a date; a % makes a percentage. */
static uint8_t format_flags(const char *f)
{
    uint8_t fl = 0;
    for (; *f; f++) {
        char c = *f;
        if (c == '"' || c == '[') {
            f = strchr(f + 1, c == '"' ? '"' : ']');
            if (!f)
                break;
        } else if (c == '\\' || c == '_' || c == '*') {
            if (!*++f)
                break;
        } else if (strchr("dDmMyYhHsS", c)) {
            fl |= EGDI_XLSX_XF_DATE;
        } else if (c == '%') {
            fl |= EGDI_XLSX_XF_PERCENT;
        }
    }
    return fl & EGDI_XLSX_XF_DATE ? EGDI_XLSX_XF_DATE : fl;
}

static uint8_t builtin_flags(uint32_t id)
{
    if (id == 9 || id == 10)
        return EGDI_XLSX_XF_PERCENT;
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
        (id >= 50 && id <= 58))
        return EGDI_XLSX_XF_DATE;
    return 0;
}

static void styles_start(xml_job *j, const char *name, const char **atts)
{
    styles_state *ss = j->u;
    xlsx *x = j->x;
    const char *v = att(atts, "numFmtId", false);
    unsigned long id = v ? strtoul(v, NULL, 10) : 0;
    if (strcmp(name, "cellXfs") == 0) {
        ss->in_xfs = true;
    } else if (strcmp(name, "numFmts") == 0) {
        ss->in_fmts = true;
    } else if (strcmp(name, "numFmt") == 0 && ss->in_fmts && v && id < MAX_FMT_ID) {
        const char *code = att(atts, "formatCode", false);
        if (!ss->flags && !(ss->flags = calloc(MAX_FMT_ID, 1))) {
            job_fail(j, EGDI_ERR_NOMEM, "out of memory");
            return;
        }
        ss->flags[id] = (uint8_t)(FMT_DEFINED | (code ? format_flags(code) : 0));
    } else if (strcmp(name, "xf") == 0 && ss->in_xfs) {
        if (x->nxf == x->xf_cap) {
            size_t ncap = x->xf_cap ? x->xf_cap * 2 : 64;
            uint32_t *nf = ncap <= MAX_STYLES ? realloc(x->xf_fmt, ncap * sizeof *nf) : NULL;
            if (!nf) {
                job_fail(j, EGDI_ERR_LIMIT, "more than %u cell styles", MAX_STYLES);
                return;
            }
            x->xf_fmt = nf;
            x->xf_cap = ncap;
        }
        x->xf_fmt[x->nxf++] = id < MAX_FMT_ID ? (uint32_t)id : 0;
    }
}

static void styles_end(xml_job *j, const char *name)
{
    styles_state *ss = j->u;
    if (strcmp(name, "cellXfs") == 0)
        ss->in_xfs = false;
    else if (strcmp(name, "numFmts") == 0)
        ss->in_fmts = false;
}

/* Reads the styles part into x->xf: the date / percent flags per style. */
static egdi_status read_styles(xlsx *x, const char *part, egdi_error *err)
{
    styles_state ss = {0};
    xml_job j = {.x = x, .part = part, .err = err, .start = styles_start, .end = styles_end,
                 .u = &ss};
    egdi_status st = parse_part(&j);
    if (st == EGDI_OK && x->nxf && !(x->xf = malloc(x->nxf)))
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the styles");
    for (size_t i = 0; st == EGDI_OK && i < x->nxf; i++) {
        uint32_t id = x->xf_fmt[i];
        x->xf[i] = ss.flags && (ss.flags[id] & FMT_DEFINED)
                       ? (uint8_t)(ss.flags[id] & ~FMT_DEFINED) : builtin_flags(id);
    }
    free(ss.flags);
    return st;
}

/* ---- the backend ------------------------------------------------------------------ */

static void xlsx_close(void *self)
{
    xlsx *x = self;
    if (!x)
        return;
    egdi_xlsx_sheet_free(x->sc);
    pipe_free(x->pipe);
    zin_close(&x->in);
    if (x->za)
        zip_discard(x->za);
    free(x->blob);
    free(x->sst_off);
    free(x->sst_len);
    free(x->xf);
    free(x->xf_fmt);
    free(x->file);
    free(x->sheet);
    free(x->part);
    free(x);
}

/* Reads what follows </sheetData> to the end of the entry, so that its
 * CRC is checked (zin_read) whatever part of it the scanner needed. */
static egdi_status drain(xlsx *x, egdi_error *err)
{
    char buf[16384];
    size_t got;
    egdi_status st;
    do {
        st = x->pipe ? pipe_read(x->pipe, buf, sizeof buf, &got, err)
                     : zin_read(&x->in, buf, sizeof buf, &got, err);
    } while (st == EGDI_OK && got > 0);
    return st;
}

static egdi_status xlsx_next(void *self, egdi_row *row, egdi_error *err)
{
    xlsx *x = self;
    egdi_status st = egdi_xlsx_sheet_next(x->sc, row, err);
    if (st == EGDI_DONE && !x->drained) {
        x->drained = true;
        egdi_status d = drain(x, err);
        if (d != EGDI_OK) {
            egdi_error_at(err, x->file, x->sheet, 0, 0);
            return d;
        }
    }
    return st;
}

static const char *xlsx_sheet(const void *self)
{
    return ((const xlsx *)self)->sheet;
}

/* The sheet's XML handed to the scanner, of its unzipped size (the pipe's
 * count: the producer owns the entry's while it runs). */
static bool xlsx_position(const void *self, uint64_t *done, uint64_t *total)
{
    const xlsx *x = self;
    *done = x->pipe ? x->pipe->used : x->in.got;
    *total = x->in.size;
    return x->in.size > 0;
}

static const egdi_reader_ops xlsx_ops = {xlsx_next, xlsx_close, xlsx_sheet, NULL,
                                         xlsx_position};

static egdi_status open_zip(xlsx *x, const char *path, const void *buf, size_t size,
                            egdi_error *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    if (path) {
        int code = 0;
        x->za = zip_open(path, ZIP_RDONLY, &code);
        zip_error_init_with_code(&ze, code);
    } else {
        zip_source_t *src = zip_source_buffer_create(buf, size, 0, &ze);
        if (src && !(x->za = zip_open_from_source(src, ZIP_RDONLY, &ze)))
            zip_source_free(src);
    }
    if (!x->za) {
        int code = zip_error_code_zip(&ze);
        egdi_status st = code == ZIP_ER_MEMORY ? EGDI_ERR_NOMEM
                       : code == ZIP_ER_OPEN || code == ZIP_ER_READ ? EGDI_ERR_IO
                                                                   : EGDI_ERR_FORMAT;
        egdi_error_set(err, st, "cannot open the workbook: %s%s", zip_error_strerror(&ze),
                       st == EGDI_ERR_FORMAT ? " (is it truncated?)" : "");
        zip_error_fini(&ze);
        return st;
    }
    zip_error_fini(&ze);
    zip_int64_t n = zip_get_num_entries(x->za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(x->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
        if (name && unsafe_name(name))
            return egdi_error_set(err, EGDI_ERR_FORMAT,
                                  "the zip holds an entry with an unsafe path \"%.100s\"", name);
    }
    return EGDI_OK;
}

/*
 * The most shared strings the workbook can justify: a few for any file,
 * plus one per SST_CELL_BYTES of its worksheets' XML (each size as the zip
 * says, but no more than the limits let it inflate), since a string no
 * cell can use is of no use.  So millions of <si/> beside a small sheet are
 * refused after a few, instead of filling memory with an index of them.
 */
static uint64_t sst_justified(xlsx *x, const char *book, const rels *wrels)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < wrels->n; i++) {
        size_t tn = strlen(wrels->r[i].type);
        if (tn < 10 || strcmp(wrels->r[i].type + tn - 10, "/worksheet") != 0)
            continue;
        char *part = resolve(book, wrels->r[i].target);
        zip_int64_t k = part ? zip_name_locate(x->za, part, ZIP_FL_NOCASE) : -1;
        zip_stat_t st;
        if (k >= 0 && zip_stat_index(x->za, (zip_uint64_t)k, 0, &st) == 0 &&
            (st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE)) {
            uint64_t most = st.comp_size * (uint64_t)x->lim.max_ratio;
            if (most < RATIO_FLOOR)
                most = RATIO_FLOOR;
            if (most > x->lim.max_unzipped)
                most = x->lim.max_unzipped;
            bytes += st.size < most ? st.size : most;
        }
        free(part);
    }
    x->sheet_bytes = bytes;
    return SST_FREE + bytes / SST_CELL_BYTES;
}

/* Reads the workbook parts and opens the sheet asked for. */
static egdi_status open_book(xlsx *x, const char *want, egdi_error *err)
{
    rels root = {0}, wrels = {0};
    sheets ss = {0};
    char *book = NULL, *book_rels = NULL, *part = NULL;
    egdi_status st = read_rels(x, "_rels/.rels", &root, err);
    if (st != EGDI_OK && st != EGDI_ERR_NOT_FOUND)
        goto fail;
    const rel *r = rel_by_type(&root, "officeDocument");
    book = resolve("", r ? r->target : "xl/workbook.xml");
    if (!book) {
        st = egdi_error_set(err, EGDI_ERR_FORMAT, "_rels/.rels points outside the zip");
        goto fail;
    }
    xml_job j = {.x = x, .part = book, .err = err, .start = book_start, .u = &ss};
    if ((st = parse_part(&j)) == EGDI_ERR_NOT_FOUND)
        st = egdi_error_set(err, EGDI_ERR_FORMAT,
                            "not an XLSX workbook: the zip has no %s", book);
    if (st != EGDI_OK)
        goto fail;
    x->book.date1904 = ss.date1904;
    const char *slash = strrchr(book, '/');
    size_t dir = slash ? (size_t)(slash - book) + 1 : 0;
    size_t n = strlen(book) + 12;
    if (!(book_rels = malloc(n)) ||
        snprintf(book_rels, n, "%.*s_rels/%s.rels", (int)dir, book, book + dir) >= (int)n) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((st = read_rels(x, book_rels, &wrels, err)) == EGDI_ERR_NOT_FOUND)
        st = egdi_error_set(err, EGDI_ERR_FORMAT, "not an XLSX workbook: the zip has no %s",
                            book_rels);
    if (st != EGDI_OK)
        goto fail;
    size_t pick = 0;
    if ((st = pick_sheet(&ss, want, &pick, err)) != EGDI_OK)
        goto fail;
    if (!(x->sheet = strdup(ss.s[pick].name))) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < wrels.n && !part; i++) {
        const rel *w = &wrels.r[i];
        size_t tn = strlen(w->type);
        if (strcmp(w->id, ss.s[pick].rid) != 0)
            continue;
        if (tn >= 11 && strcmp(w->type + tn - 11, "/chartsheet") == 0) {
            st = egdi_error_set(err, EGDI_ERR_FORMAT, "sheet \"%s\" is a chart, not data",
                                x->sheet);
            goto fail;
        }
        if (!(part = resolve(book, w->target))) {
            st = egdi_error_set(err, EGDI_ERR_FORMAT, "%s points outside the zip", book_rels);
            goto fail;
        }
    }
    if (!part) {
        st = egdi_error_set(err, EGDI_ERR_FORMAT, "%s has no relationship %s for the sheet",
                            book_rels, ss.s[pick].rid);
        goto fail;
    }
    x->sst_max = sst_justified(x, book, &wrels);
    for (int k = 0; k < 2; k++) {
        r = rel_by_type(&wrels, k == 0 ? "sharedStrings" : "styles");
        char *p = r ? resolve(book, r->target) : NULL;
        if (r && !p) {
            st = egdi_error_set(err, EGDI_ERR_FORMAT, "%s points outside the zip", book_rels);
            goto fail;
        }
        sst_state sst = {0};
        xml_job jj = {.x = x, .part = p, .err = err, .start = sst_start, .end = sst_end,
                      .text = sst_text, .u = &sst};
        st = !p ? EGDI_OK : k == 0 ? parse_part(&jj) : read_styles(x, p, err);
        free(p);
        if (st != EGDI_OK && st != EGDI_ERR_NOT_FOUND)
            goto fail; /* a missing optional part is fine */
    }
    x->book.sst = x->blob;
    x->book.sst_off = x->sst_off;
    x->book.sst_len = x->sst_len;
    x->book.nsst = x->nsst;
    x->book.xf = x->xf;
    x->book.nxf = x->xf ? x->nxf : 0;
    x->part = part;
    part = NULL;
    if ((st = zin_open(x, &x->in, x->part, err)) == EGDI_ERR_NOT_FOUND)
        st = egdi_error_set(err, EGDI_ERR_FORMAT, "the zip has no %s for the sheet", x->part);
    if (st != EGDI_OK) {
        egdi_error_at(err, NULL, x->sheet, 0, 0);
        goto fail;
    }
    if (x->in.size >= PIPE_MIN_SIZE)
        x->pipe = pipe_start(&x->in);
    st = egdi_xlsx_sheet_new(&x->sc, x->pipe ? pipe_read : zin_read,
                             x->pipe ? (void *)x->pipe : (void *)&x->in, &x->book, &x->lim,
                             x->file, x->sheet, err);
fail:
    if (st != EGDI_OK) {
        pipe_free(x->pipe);
        x->pipe = NULL;
        zin_close(&x->in);
    }
    rels_release(&root);
    rels_release(&wrels);
    sheets_release(&ss);
    free(book);
    free(book_rels);
    free(part);
    return st;
}

egdi_status egdi_xlsx_open(void **self, const egdi_reader_ops **ops, const char *path,
                           const void *buf, size_t size, const char *name,
                           const egdi_read_opts *opts, egdi_error *err)
{
    *self = NULL;
    xlsx *x = calloc(1, sizeof *x);
    egdi_status st;
    if (!x || !(x->file = strdup(name))) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the workbook");
        goto fail;
    }
    x->lim = egdi_limits_resolve(opts ? &opts->limits : NULL);
    if ((st = open_zip(x, path, buf, size, err)) != EGDI_OK ||
        (st = open_book(x, opts ? opts->sheet : NULL, err)) != EGDI_OK)
        goto fail;
    *self = x;
    *ops = &xlsx_ops;
    return EGDI_OK;
fail:
    xlsx_close(x);
    egdi_error_at(err, name, NULL, 0, 0);
    return st;
}
