/*
 * error.c - status names and the error record (see error.h).
 */
#include "engine/core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_names[EGDI_STATUS_COUNT] = {
    [EGDI_OK] = "no error",
    [EGDI_DONE] = "no more data",
    [EGDI_ERR_NOMEM] = "out of memory",
    [EGDI_ERR_IO] = "input/output error",
    [EGDI_ERR_FORMAT] = "malformed file",
    [EGDI_ERR_VALUE] = "invalid value",
    [EGDI_ERR_LIMIT] = "safety limit exceeded",
    [EGDI_ERR_NOT_FOUND] = "not found",
    [EGDI_ERR_EXISTS] = "already exists",
    [EGDI_ERR_STORE] = "store error",
    [EGDI_ERR_SCHEMA] = "incompatible store schema",
    [EGDI_ERR_ARG] = "invalid argument",
    [EGDI_ERR_MODEL] = "invalid model",
    [EGDI_ERR_NUMERIC] = "degenerate data",
    [EGDI_ERR_CONVERGE] = "no convergence",
    [EGDI_ERR_ENCODING] = "invalid text encoding",
};

const char *egdi_error_string(egdi_status st)
{
    if ((int)st < 0 || st >= EGDI_STATUS_COUNT || !status_names[st])
        return "unknown error";
    return status_names[st];
}

void egdi_error_clear(egdi_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

/* Copies src into dst, marking a cut with "...". */
static void copy_field(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n < size) {
        memcpy(dst, src, n + 1);
        return;
    }
    memcpy(dst, src, size - 4);
    memcpy(dst + size - 4, "...", 4);
}

egdi_status egdi_error_set(egdi_error *err, egdi_status st, const char *fmt, ...)
{
    if (!err)
        return st;
    err->status = st;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n < 0)
        copy_field(err->message, sizeof err->message, egdi_error_string(st));
    else if ((size_t)n >= sizeof err->message)
        memcpy(err->message + sizeof err->message - 4, "...", 4);
    return st;
}

void egdi_error_at(egdi_error *err, const char *file, const char *sheet,
                   uint32_t row, uint32_t col)
{
    if (!err)
        return;
    if (file)
        copy_field(err->file, sizeof err->file, file);
    if (sheet)
        copy_field(err->sheet, sizeof err->sheet, sheet);
    if (row)
        err->row = row;
    if (col)
        err->col = col;
}

char *egdi_error_col_letters(uint32_t col, char buf[8])
{
    char tmp[8];
    size_t n = 0;
    while (col > 0 && n < sizeof tmp - 1) {
        uint32_t d = (col - 1) % 26;
        tmp[n++] = (char)('A' + d);
        col = (col - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

int egdi_error_format(const egdi_error *err, char *buf, size_t size)
{
    char where[EGDI_ERR_FILE_MAX + EGDI_ERR_SHEET_MAX + 64] = "";
    size_t w = 0;
    char letters[8];

#define APPEND(...)                                                          \
    do {                                                                     \
        int k_ = snprintf(where + w, sizeof where - w, __VA_ARGS__);         \
        if (k_ > 0)                                                          \
            w = (w + (size_t)k_ < sizeof where) ? w + (size_t)k_ : sizeof where - 1; \
    } while (0)

    if (err->file[0])
        APPEND("%s", err->file);
    if (err->sheet[0])
        APPEND("%ssheet \"%s\"", w ? ", " : "", err->sheet);
    if (err->row)
        APPEND("%srow %u", w ? ", " : "", (unsigned)err->row);
    if (err->col)
        APPEND("%scolumn %s", w ? ", " : "", egdi_error_col_letters(err->col, letters));
#undef APPEND
    if (w)
        return snprintf(buf, size, "%s: %s", where, err->message);
    return snprintf(buf, size, "%s", err->message);
}
