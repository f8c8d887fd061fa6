/*
 * common.c - the header row, the column report, batch, problems and the
 * transaction shared by the importers (see import_private.h).  The batch's
 * SQL is the store's (engine/store/batches.h).
 *
 * Finding the header: the first EGDI_IMPORT_HEADER_SCAN rows are read and
 * kept (import_saved_row: copies of their cells); the row with the most
 * headings the importer knows is the header, and the rows after it are
 * handed out again by import_next_row() before the reader goes on.
 */
#include "engine/import/import_private.h"
#include "engine/core/hash.h"
#include "engine/core/stream.h"
#include "engine/import/header.h"
#include "engine/store/batches.h"
#include "engine/store/score_runs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/core/value.h"

/* The longest text of a title row quoted in the header note, in bytes. */
#define HEADER_NOTE_QUOTE 60

void egdi_import_opts_init(egdi_import_opts *o)
{
    memset(o, 0, sizeof *o);
    egdi_read_opts_init(&o->read);
}

const char *egdi_import_column_use_name(egdi_column_use use)
{
    static const char *const names[] = {"field", "indicator", "item", "attribute", "ignored",
                                        "error"};
    return (unsigned)use < sizeof names / sizeof names[0] ? names[use] : "?";
}

void egdi_import_result_release(egdi_import_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nkept; i++) {
        free(r->rejects[i].value);
        free(r->rejects[i].reason);
    }
    free(r->rejects);
    for (size_t i = 0; i < r->ncolumns; i++) {
        free(r->columns[i].heading);
        free(r->columns[i].target);
        free(r->columns[i].note);
    }
    free(r->columns);
    for (size_t i = 0; i < r->nwarnings && i < EGDI_IMPORT_MAX_REJECTS; i++)
        free(r->warnings[i]);
    free(r->warnings);
    for (size_t i = 0; i < r->tree.nregions; i++) {
        free(r->tree.per_region[i].code);
        free(r->tree.per_region[i].name);
    }
    free(r->tree.per_region);
    free(r->sheet);
    free(r->note);
    free(r->header_note);
    memset(r, 0, sizeof *r);
}

const char *import_cell_text(const egdi_cell *c)
{
    if (!c || c->type == EGDI_CELL_EMPTY || !c->text)
        return c && c->type == EGDI_CELL_BOOL ? (c->num != 0 ? "TRUE" : "FALSE") : "";
    return c->text;
}

const egdi_cell *import_cell(const egdi_row *row, size_t col)
{
    static const egdi_cell empty = {EGDI_CELL_EMPTY, false, 0.0, NULL, 0};
    return col < row->ncells ? &row->cells[col] : &empty;
}

const char *import_col_letters(size_t c, char buf[8])
{
    return egdi_error_col_letters((uint32_t)c + 1, buf);
}

/* ---- problems, rejects, warnings --------------------------------------- */

static void add_reject(import_job *job, uint32_t row, uint32_t col, const char *value,
                       const char *fmt, va_list ap)
{
    egdi_import_result *r = job->res;
    r->nrejects++;
    if (r->nkept >= EGDI_IMPORT_MAX_REJECTS)
        return;
    if (r->nkept % 64 == 0) {
        egdi_reject *n = realloc(r->rejects, (r->nkept + 64) * sizeof *n);
        if (!n)
            return; /* counted, not kept */
        r->rejects = n;
    }
    char reason[512];
    vsnprintf(reason, sizeof reason, fmt, ap);
    egdi_reject *rj = &r->rejects[r->nkept];
    rj->row = row;
    rj->col = col;
    rj->value = strdup(value ? value : "");
    rj->reason = strdup(reason);
    if (!rj->value || !rj->reason) {
        free(rj->value);
        free(rj->reason);
        return;
    }
    r->nkept++;
}

void import_reject(import_job *job, uint32_t row, uint32_t col, const egdi_cell *cell,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_reject(job, row, col, import_cell_text(cell), fmt, ap);
    va_end(ap);
}

void import_problem(import_job *job, uint32_t row, uint32_t col, const char *value,
                    const char *fmt, ...)
{
    job->res->nstructural++;
    va_list ap;
    va_start(ap, fmt);
    add_reject(job, row, col, value, fmt, ap);
    va_end(ap);
}

void import_warn(import_job *job, const char *fmt, ...)
{
    egdi_import_result *r = job->res;
    size_t k = r->nwarnings;
    r->nwarnings++;
    if (k >= EGDI_IMPORT_MAX_REJECTS)
        return;
    if (k % 16 == 0) {
        char **n = realloc(r->warnings, (k + 16) * sizeof *n);
        if (!n) {
            r->nwarnings = k;
            return;
        }
        r->warnings = n;
    }
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!(r->warnings[k] = strdup(text)))
        r->nwarnings = k;
}

/* ---- the column report ------------------------------------------------- */

egdi_import_column *import_column(import_job *job, size_t c)
{
    egdi_import_result *r = job->res;
    if (c < job->ncols && c < r->ncolumns)
        return &r->columns[c]; /* the header's columns come first, in order */
    for (size_t i = job->ncols; i < r->ncolumns; i++)
        if (r->columns[i].col == c + 1)
            return &r->columns[i];
    egdi_import_column *n = realloc(r->columns, (r->ncolumns + 1) * sizeof *n);
    if (!n)
        return NULL;
    r->columns = n;
    egdi_import_column *e = &r->columns[r->ncolumns];
    memset(e, 0, sizeof *e);
    e->col = (uint32_t)c + 1;
    e->use = EGDI_COLUMN_IGNORED;
    if (!(e->heading = strdup(c < job->ncols ? job->headers[c] : "")))
        return NULL;
    r->ncolumns++;
    return e;
}

/* Drops the report's columns without a heading and without a cell, and
 * puts the rest in sheet order. */
static void columns_finish(import_job *job)
{
    egdi_import_result *r = job->res;
    size_t k = 0;
    for (size_t i = 0; i < r->ncolumns; i++) {
        egdi_import_column *e = &r->columns[i];
        if (!e->heading[0] && e->values + e->missing + e->bad == 0 &&
            e->use == EGDI_COLUMN_IGNORED) {
            free(e->heading);
            free(e->target);
            free(e->note);
            continue;
        }
        r->columns[k++] = *e;
    }
    r->ncolumns = k;
    /* the columns past the header were added as found: insertion sort */
    for (size_t i = 1; i < k; i++) {
        egdi_import_column e = r->columns[i];
        size_t j = i;
        while (j > 0 && r->columns[j - 1].col > e.col) {
            r->columns[j] = r->columns[j - 1];
            j--;
        }
        r->columns[j] = e;
    }
}

void import_column_use(import_job *job, size_t c, egdi_column_use use, const char *target,
                       const char *note_fmt, ...)
{
    egdi_import_column *e = import_column(job, c);
    if (!e)
        return;
    e->use = use;
    free(e->target);
    free(e->note);
    e->target = target ? strdup(target) : NULL;
    e->note = NULL;
    if (note_fmt) {
        char text[512];
        va_list ap;
        va_start(ap, note_fmt);
        vsnprintf(text, sizeof text, note_fmt, ap);
        va_end(ap);
        e->note = strdup(text);
    }
}

bool import_ignored(const import_job *job, size_t c)
{
    return c < job->ncols && job->headers[c][0] && job->opts->ignore_columns &&
           egdi_heading_in_list(job->headers[c], strlen(job->headers[c]),
                                job->opts->ignore_columns, ',');
}

void import_no_heading(import_job *job, const egdi_row *row, size_t c)
{
    if (c < job->ncols && job->headers[c][0])
        return;
    if (c >= job->nnoted) {
        bool *n = realloc(job->noted, (c + 1) * sizeof *n);
        if (!n)
            return;
        memset(n + job->nnoted, 0, (c + 1 - job->nnoted) * sizeof *n);
        job->noted = n;
        job->nnoted = c + 1;
    }
    egdi_import_column *e = import_column(job, c);
    if (e)
        e->bad++;
    if (job->noted[c])
        return;
    job->noted[c] = true;
    char letters[8];
    import_problem(job, row->number, (uint32_t)c + 1, import_cell_text(&row->cells[c]),
                   "column %s holds values but has no heading in row %u",
                   import_col_letters(c, letters), (unsigned)job->header_row);
    import_column_use(job, c, EGDI_COLUMN_ERROR, NULL, "values without a heading");
}

static bool used(egdi_column_use u)
{
    return u != EGDI_COLUMN_IGNORED && u != EGDI_COLUMN_ERROR;
}

/* Each name of --ignore-columns must name a column. */
static void check_ignore_list(import_job *job)
{
    const char *a = job->opts->ignore_columns;
    while (a && *a) {
        const char *e = a;
        size_t skip = 0;
        while (*e) {
            if (*e == ',') {
                skip = 1;
                break;
            }
            if ((unsigned char)e[0] == 0xEF && (unsigned char)e[1] == 0xBC &&
                (unsigned char)e[2] == 0x8C) {
                skip = 3;
                break;
            }
            e++;
        }
        size_t len = (size_t)(e - a);
        bool found = egdi_value_blank(a, len);
        for (size_t c = 0; c < job->ncols && !found; c++)
            found = job->headers[c][0] &&
                    egdi_heading_in_list(a, len, job->headers[c], '\x01');
        if (!found)
            import_problem(job, job->header_row, 0, NULL,
                           "--ignore-columns: no column is headed \"%.*s\"",
                           (int)(len > 100 ? 100 : len), a);
        if (!skip)
            break;
        a = e + skip;
    }
}

void import_check_columns(import_job *job)
{
    egdi_import_result *r = job->res;
    check_ignore_list(job);
    size_t n = r->ncolumns;
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done)
        return;
    char la[8], lb[8];
    for (size_t i = 0; i < n; i++) {
        egdi_import_column *a = &r->columns[i];
        unsigned cp;
        /* a heading that is stored and printed must hold no control character */
        if (used(a->use) && egdi_value_control(a->heading, strlen(a->heading), &cp)) {
            done[i] = true;
            import_problem(job, job->header_row, a->col, NULL,
                           "the heading holds a control character (U+%04X%s): headings are "
                           "printed, so remove it", cp,
                           cp == '\n' || cp == '\r' ? ", a line break" : "");
            a->use = EGDI_COLUMN_ERROR;
            continue;
        }
        /* the same target twice */
        if (a->target && used(a->use) && a->use != EGDI_COLUMN_ATTRIBUTE)
            for (size_t k = 0; k < i; k++) {
                egdi_import_column *b = &r->columns[k];
                if (b->use == a->use && b->target && strcmp(b->target, a->target) == 0) {
                    done[i] = done[k] = true; /* not again as a repeated heading */
                    import_problem(job, job->header_row, a->col, a->heading,
                                   "columns %s (\"%s\") and %s (\"%s\") are both %s %s; keep "
                                   "one (or --ignore-columns the other)",
                                   egdi_error_col_letters(b->col, lb), b->heading,
                                   egdi_error_col_letters(a->col, la), a->heading,
                                   egdi_import_column_use_name(a->use), a->target);
                    a->use = EGDI_COLUMN_ERROR;
                    break;
                }
            }
    }
    for (size_t i = 0; i < n; i++) {
        egdi_import_column *a = &r->columns[i];
        /* the same heading in several columns (unless said above) */
        if (done[i] || !a->heading[0])
            continue;
        size_t same = 0, in_use = 0;
        bool said = false;
        for (size_t k = i; k < n; k++)
            if (strcasecmp(r->columns[k].heading, a->heading) == 0) {
                same++;
                in_use += used(r->columns[k].use);
                /* a column with a problem of its own was said already */
                said = said || done[k] || r->columns[k].use == EGDI_COLUMN_ERROR;
            }
        if (said)
            continue;
        if (same < 2)
            continue;
        char list[128] = "";
        for (size_t k = i; k < n; k++)
            if (strcasecmp(r->columns[k].heading, a->heading) == 0) {
                done[k] = true;
                size_t l = strlen(list);
                if (l + 16 > sizeof list) { /* room for ", XFD" and "...": say the rest is cut */
                    if (!strstr(list, "..."))
                        snprintf(list + l, sizeof list - l, ", ...");
                    continue;
                }
                snprintf(list + l, sizeof list - l, "%s%s", l ? ", " : "",
                         egdi_error_col_letters(r->columns[k].col, la));
            }
        if (in_use >= 2)
            import_problem(job, job->header_row, a->col, a->heading,
                           "heading \"%s\" appears in columns %s: which one is meant? (rename "
                           "the others)",
                           a->heading, list);
        else
            import_warn(job, "heading \"%s\" appears in columns %s; %s", a->heading, list,
                        in_use ? "only the first used one is read, the others are ignored"
                               : "none of them is used");
    }
    free(done);
}

bool import_is_missing(const import_job *job, const egdi_cell *c)
{
    switch (c->type) {
    case EGDI_CELL_EMPTY:
        return true;
    case EGDI_CELL_ERROR:
        return c->text && strcmp(c->text, "#N/A") == 0;
    case EGDI_CELL_TEXT:
        return egdi_value_blank(c->text, c->len) || egdi_value_missing(c->text, c->len) ||
               (job->opts->na && egdi_heading_in_list(c->text, c->len, job->opts->na, ','));
    default:
        return false;
    }
}

/* ---- rows --------------------------------------------------------------- */

static void saved_release(import_saved_row *s)
{
    for (size_t i = 0; i < s->ncells; i++)
        free((char *)s->cells[i].text);
    free(s->cells);
    memset(s, 0, sizeof *s);
}

static egdi_status save_row(import_saved_row *s, const egdi_row *row, egdi_error *err)
{
    s->number = row->number;
    s->ncells = 0;
    s->cells = calloc(row->ncells ? row->ncells : 1, sizeof *s->cells);
    if (!s->cells)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the header");
    for (size_t i = 0; i < row->ncells; i++) {
        s->cells[i] = row->cells[i];
        if (row->cells[i].text) {
            char *t = malloc(row->cells[i].len + 1);
            if (!t)
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the header");
            memcpy(t, row->cells[i].text, row->cells[i].len);
            t[row->cells[i].len] = '\0';
            s->cells[i].text = t;
        }
        s->ncells = i + 1;
    }
    return EGDI_OK;
}

static egdi_row as_row(const import_saved_row *s)
{
    egdi_row r = {s->number, s->ncells, s->cells, NULL};
    return r;
}

egdi_status import_next_row(import_job *job, egdi_row *row, egdi_error *err)
{
    egdi_status st;
    if (job->next_pending < job->npending) {
        *row = as_row(&job->pending[job->next_pending++]);
        st = EGDI_OK;
    } else
        st = egdi_reader_next(job->reader, row, err);
    if (st == EGDI_OK && (++job->res->rows_read & 1023) == 0) {
        /* the rows the file holds, foretold from the bytes read so far
         * (a percentage on the terminal; the last step says how many) */
        uint64_t rows = job->res->rows_read, expect = 0;
        if (job->opts->progress)
            expect = (uint64_t)egdi_reader_rows_foretold(job->reader, rows, 0);
        egdi_progress_step(job->opts->progress, rows, expect > rows ? expect : 0);
    } else if (st == EGDI_DONE) /* the rows are known now: all of them are read */
        egdi_progress_step(job->opts->progress, job->res->rows_read, job->res->rows_read);
    return st;
}

/* ---- the header ---------------------------------------------------------- */

/* Copies s[0..n) without leading/trailing ASCII space. */
static char *trimmed_copy(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Known headings in row; *texts: non-empty cells, all of them text that
 * is no number. */
static size_t row_score(const egdi_row *row, import_known_fn known, void *ctx, bool *texts)
{
    size_t score = 0, filled = 0;
    bool all_text = true;
    for (size_t c = 0; c < row->ncells; c++) {
        const egdi_cell *cell = &row->cells[c];
        const char *t = import_cell_text(cell);
        if (egdi_value_blank(t, strlen(t)))
            continue;
        filled++;
        double v;
        if (cell->type != EGDI_CELL_TEXT ||
            egdi_value_number(cell->text, cell->len, &v, NULL, NULL) == EGDI_OK)
            all_text = false;
        char *h = trimmed_copy(t, strlen(t));
        if (h && known && known(ctx, h))
            score++;
        free(h);
    }
    *texts = filled >= 2 && all_text;
    return score;
}

/* The first non-empty text of a row, quoted for the header note. */
static void quote_row(const egdi_row *row, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t c = 0; c < row->ncells; c++) {
        const char *t = import_cell_text(&row->cells[c]);
        if (egdi_value_blank(t, strlen(t)))
            continue;
        size_t n = strlen(t);
        if (n > HEADER_NOTE_QUOTE) {
            n = HEADER_NOTE_QUOTE;
            while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
                n--; /* whole characters only */
            snprintf(buf, size, "\"%.*s...\"", (int)n, t);
        } else
            snprintf(buf, size, "\"%s\"", t);
        return;
    }
}

static egdi_status take_header(import_job *job, const egdi_row *row, egdi_error *err)
{
    job->header_row = row->number;
    job->res->header_row = row->number;
    job->ncols = row->ncells;
    job->headers = calloc(row->ncells ? row->ncells : 1, sizeof *job->headers);
    if (!job->headers)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the header");
    for (size_t c = 0; c < row->ncells; c++) {
        const char *t = import_cell_text(&row->cells[c]);
        if (!(job->headers[c] = trimmed_copy(t, strlen(t))))
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the header");
    }
    return EGDI_OK;
}

static egdi_status set_header_note(import_job *job, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static egdi_status set_header_note(import_job *job, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    free(job->res->header_note);
    job->res->header_note = strdup(text);
    return job->res->header_note ? EGDI_OK : EGDI_ERR_NOMEM;
}

/* --header-row N: the rows above it are skipped. */
static egdi_status given_header(import_job *job, egdi_error *err)
{
    uint32_t want = job->opts->header_row;
    const char *sheet = egdi_reader_sheet(job->reader);
    egdi_row row;
    egdi_status st;
    while ((st = egdi_reader_next(job->reader, &row, err)) == EGDI_OK) {
        if (row.number < want)
            continue;
        if (row.number > want)
            break;
        if ((st = take_header(job, &row, err)))
            return st;
        if (set_header_note(job, "row %u (--header-row)", (unsigned)want))
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        return EGDI_OK;
    }
    if (st != EGDI_OK && st != EGDI_DONE)
        return st;
    egdi_error_at(err, job->path, sheet, want, 0);
    return egdi_error_set(err, EGDI_ERR_FORMAT,
                          "--header-row %u: that row is empty or past the end of the sheet",
                          (unsigned)want);
}

static egdi_status find_header(import_job *job, import_known_fn known, void *ctx,
                               egdi_error *err)
{
    const char *sheet = egdi_reader_sheet(job->reader);
    job->pending = calloc(EGDI_IMPORT_HEADER_SCAN, sizeof *job->pending);
    if (!job->pending)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the header");
    egdi_row row;
    egdi_status st = EGDI_OK;
    size_t best = 0, best_score = 0, first_text = SIZE_MAX;
    while (job->npending < EGDI_IMPORT_HEADER_SCAN &&
           (st = egdi_reader_next(job->reader, &row, err)) == EGDI_OK) {
        size_t k = job->npending;
        if ((st = save_row(&job->pending[k], &row, err)))
            return st;
        job->npending++;
        bool texts;
        size_t score = row_score(&row, known, ctx, &texts);
        if (score > best_score) {
            best_score = score;
            best = k;
        }
        if (texts && first_text == SIZE_MAX)
            first_text = k;
    }
    if (st != EGDI_OK && st != EGDI_DONE)
        return st;
    if (job->npending == 0) {
        egdi_error_at(err, job->path, sheet, 0, 0);
        return egdi_error_set(err, EGDI_ERR_FORMAT, "the file is empty (no header row)");
    }
    bool matched = best_score > 0;
    if (!matched)
        best = first_text != SIZE_MAX ? first_text : 0;
    egdi_row h = as_row(&job->pending[best]);
    if ((st = take_header(job, &h, err)))
        return st;
    char quote[HEADER_NOTE_QUOTE + 16] = "";
    if (best > 0) {
        egdi_row above = as_row(&job->pending[0]);
        quote_row(&above, quote, sizeof quote);
    }
    egdi_status ns;
    if (best == 0)
        ns = set_header_note(job, "row %u%s", (unsigned)h.number,
                             matched ? ""
                                     : " (no heading there is a known field or indicator; give "
                                       "--header-row N if the headings are on another row)");
    else {
        /* the title quoted as one piece (": \"...\""), so that the note's
         * pieces can be told apart where it is read in another language */
        char said[sizeof quote + 2] = "";
        if (quote[0])
            snprintf(said, sizeof said, ": %s", quote);
        ns = set_header_note(job, "row %u (%s; %s above it %s a title%s, skipped)",
                             (unsigned)h.number,
                             matched ? "the first row of known headings"
                                     : "the first row of headings; --header-row N names "
                                       "another",
                             best == 1 ? "the row" : "the rows", best == 1 ? "is" : "are", said);
    }
    if (ns)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    /* the rows above the header are not data; the ones after it are */
    for (size_t k = 0; k <= best; k++)
        saved_release(&job->pending[k]);
    job->next_pending = best + 1;
    return EGDI_OK;
}

egdi_status import_open_reader(const import_job *job, egdi_reader **r, egdi_error *err)
{
    if (job->stream)
        return egdi_reader_open_mem(r, job->stream, job->stream_len, job->path,
                                    &job->opts->read, err);
    return egdi_reader_open(r, job->path, &job->opts->read, err);
}

egdi_status import_start(import_job *job, egdi_store *s, const char *kind, const char *path,
                         const egdi_import_opts *o, egdi_import_result *res,
                         import_known_fn known, void *known_ctx, egdi_error *err)
{
    memset(job, 0, sizeof *job);
    memset(res, 0, sizeof *res);
    job->store = s;
    job->path = path;
    job->opts = o;
    job->res = res;
    job->kind = kind;
    egdi_status st;
    if (egdi_stream_is(path)) { /* hashed and read from the same bytes */
        uint64_t max = o->read.limits.max_stream ? o->read.limits.max_stream
                                                  : EGDI_DEFAULT_MAX_STREAM;
        if ((st = egdi_stream_read(path, max, &job->stream, &job->stream_len, err)) != EGDI_OK)
            return st;
        egdi_sha256_mem(job->stream, job->stream_len, res->sha256);
    } else if ((st = egdi_sha256_file(path, res->sha256, err)) != EGDI_OK) {
        return st;
    }
    if ((st = import_open_reader(job, &job->reader, err)) != EGDI_OK)
        return st;
    const char *sheet = egdi_reader_sheet(job->reader);
    if (sheet && !(res->sheet = strdup(sheet)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    st = o->header_row ? given_header(job, err) : find_header(job, known, known_ctx, err);
    if (st != EGDI_OK)
        return st;
    for (size_t c = 0; c < job->ncols; c++)
        if (!import_column(job, c))
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    if ((st = egdi_store_begin(s, err)) != EGDI_OK)
        return st;
    job->in_tx = true;
    return EGDI_OK;
}

egdi_status import_new_batch(import_job *job, int round, int64_t survey_id, egdi_error *err)
{
    egdi_store_batch b = {job->kind, job->path, job->res->sha256, job->res->sheet, round,
                          survey_id};
    int64_t old = 0;
    char when[EGDI_STORE_WHEN_MAX] = "";
    egdi_status rc = egdi_store_batch_find(job->store, &b, &old, when, err);
    if (rc == EGDI_DONE)
        old = 0;
    else if (rc != EGDI_OK)
        return rc;
    if (old && !job->opts->replace) {
        egdi_error_at(err, job->path, NULL, 0, 0);
        if (round)
            return egdi_error_set(err, EGDI_ERR_EXISTS,
                                  "this file (SHA-256 %.12s...) was already imported into "
                                  "round %d on %s (batch %lld); use --replace to replace it",
                                  job->res->sha256, round, when, (long long)old);
        return egdi_error_set(err, EGDI_ERR_EXISTS,
                              "this file (SHA-256 %.12s...) was already imported on %s "
                              "(batch %lld); use --replace to replace it",
                              job->res->sha256, when, (long long)old);
    }
    if (old) {
        /* Units stay (other data refers to them); their rows are updated. */
        if ((rc = egdi_store_batch_delete(job->store, old, err)) != EGDI_OK)
            return rc;
        job->res->replaced = true;
    }
    return egdi_store_batch_add(job->store, &b, &job->res->batch_id, err);
}

/* A metrics import changes its round's inputs, a units import every
 * round's, a survey import whose respondents rate units its round's (every
 * round's when it has none): the score runs made before it are stale. */
static egdi_status mark_stale(import_job *job, egdi_error *err)
{
    egdi_import_result *r = job->res;
    bool metrics = strcmp(job->kind, "metrics") == 0;
    bool units = strcmp(job->kind, "units") == 0 && r->rows_stored > 0;
    bool rated = strcmp(job->kind, "survey") == 0 && r->rated > 0;
    if (!metrics && !units && !rated)
        return EGDI_OK;
    char now[21], why[512];
    egdi_store_now(now);
    egdi_stale_reason sr = {EGDI_STALE_IMPORT, (long long)r->batch_id, job->kind, job->path,
                            now};
    egdi_store_stale_text(&sr, why, sizeof why);
    return egdi_store_score_runs_stale(job->store, metrics || rated ? job->opts->round : 0, why,
                                       NULL, err);
}

egdi_status import_end(import_job *job, egdi_error *err)
{
    egdi_import_result *r = job->res;
    bool skip = job->opts->skip_bad_rows || job->opts->skip_bad_cells;
    if (r->nstructural || (r->nrejects && !skip)) {
        egdi_store_rollback(job->store);
        job->in_tx = false;
        r->batch_id = 0;
        egdi_error_at(err, job->path, r->sheet, 0, 0);
        size_t cells = r->nrejects - r->nstructural;
        if (r->nstructural == 0)
            return egdi_error_set(err, EGDI_ERR_VALUE, "%zu cell%s rejected; nothing was imported",
                                  cells, cells == 1 ? "" : "s");
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              "%zu problem%s (%zu with the sheet's columns or rows, %zu cell%s); "
                              "nothing was imported",
                              r->nrejects, r->nrejects == 1 ? "" : "s", r->nstructural, cells,
                              cells == 1 ? "" : "s");
    }
    egdi_status rc = egdi_store_batch_counts(job->store, r->batch_id, r->rows_read,
                                             r->values_stored, r->nrejects, err);
    if (rc == EGDI_OK && r->missing)
        rc = egdi_store_batch_missing(job->store, r->batch_id, r->missing, err);
    if (rc == EGDI_OK)
        rc = mark_stale(job, err);
    if (rc != EGDI_OK)
        return rc;
    rc = egdi_store_commit(job->store, err);
    job->in_tx = false;
    return rc;
}

void import_job_release(import_job *job)
{
    if (job->res)
        columns_finish(job);
    if (job->in_tx) {
        egdi_store_rollback(job->store);
        job->res->batch_id = 0;
    }
    egdi_reader_close(job->reader);
    if (job->headers)
        for (size_t c = 0; c < job->ncols; c++)
            free(job->headers[c]);
    free(job->headers);
    for (size_t k = 0; k < job->npending; k++)
        saved_release(&job->pending[k]);
    free(job->pending);
    free(job->noted);
    free(job->stream);
    memset(job, 0, sizeof *job);
}
