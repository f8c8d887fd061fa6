/*
 * errors.c - what the program says on stderr when something goes wrong:
 * one line "egdi CMD: ...", a usage error with a pointer to the help, a
 * library error record, and a failed write of the output.  No state but
 * that of the stderr filter (cli_stderr_filter): the line it is in.
 */
#define _GNU_SOURCE /* fopencookie */
#include "cli/cli.h"
#include "engine/core/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "egdi CMD: " and the message, its control characters shown as \xHH (a
 * value quoted from a file must not rewrite the terminal nor add a line). */
static int vfail(const char *cmd, const char *fmt, va_list ap)
{
    char buf[2048], *copy;
    va_list aq;
    va_copy(aq, ap);
    fmt = cli_tr(fmt); /* the message in the language read */
    int n = vsnprintf(buf, sizeof buf, fmt, aq);
    va_end(aq);
    char *big = n >= (int)sizeof buf ? malloc((size_t)n + 1) : NULL;
    if (big)
        vsnprintf(big, (size_t)n + 1, fmt, ap);
    fprintf(stderr, "egdi%s%s: %s", cmd ? " " : "", cmd ? cmd : "",
            cli_term_text(n < 0 ? "" : big ? big : buf, &copy));
    free(copy);
    free(big);
    return CLI_FAIL;
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(cmd, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_FAIL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(cmd, fmt, ap);
    va_end(ap);
    fprintf(stderr, cli_tr(" (try 'egdi%s%s --help')\n"), cmd ? " " : "", cmd ? cmd : "");
    return CLI_USAGE;
}

int cli_report(const char *cmd, const egdi_error *err)
{
    char line[EGDI_ERR_MSG_MAX + EGDI_ERR_FILE_MAX + EGDI_ERR_SHEET_MAX + 64];
    cli_error_line(err, line, sizeof line);
    return cli_fail(cmd, "%s", line);
}

int cli_finish_output(const char *cmd)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_fail(cmd, "cannot write the output: %s", strerror(errno));
    return CLI_OK;
}

int cli_check_output(const char *cmd, const char *opt, const char *out,
                     const char *const *inputs, size_t n)
{
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_outfile_check(out, inputs, n, &err) != EGDI_OK)
        return cli_fail(cmd, "%s: %s", opt, cli_msg(err.message));
    return CLI_OK;
}

/* ---- libxlsxwriter's own lines ---------------------------------------- */

/*
 * libxlsxwriter prints "[ERROR]..." and "[WARNING]..." lines on stderr
 * itself (out of memory, a full disk); egdi reports every failure of it in
 * its own one line, so those lines are dropped.  stderr becomes a stream
 * whose writes go to descriptor 2 line by line, except a line that begins
 * with one of those tags.  A line is held only while it could still begin
 * with one (it starts with '['), at most TAG_MAX bytes.
 */
#define TAG_MAX 9 /* strlen("[WARNING]") */

static struct {
    char held[TAG_MAX];
    size_t nheld;
    enum { LINE_START, LINE_HOLD, LINE_PASS, LINE_DROP } state;
} filter;

static void put2(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(2, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return;
        p += k;
        n -= (size_t)k;
    }
}

static bool tag_prefix(const char *p, size_t n, bool *whole)
{
    static const char *const tags[2] = {"[ERROR]", "[WARNING]"};
    for (int t = 0; t < 2; t++) {
        size_t k = strlen(tags[t]);
        if (strncmp(p, tags[t], n < k ? n : k) == 0) {
            *whole = n >= k;
            return true;
        }
    }
    return false;
}

static ssize_t filter_write(void *cookie, const char *buf, size_t size)
{
    (void)cookie;
    size_t i = 0;
    while (i < size) {
        char c = buf[i];
        if (filter.state == LINE_START)
            filter.state = c == '[' ? LINE_HOLD : LINE_PASS;
        if (filter.state == LINE_HOLD) {
            filter.held[filter.nheld++] = c;
            bool whole = false;
            if (c == '\n' || !tag_prefix(filter.held, filter.nheld, &whole)) {
                put2(filter.held, filter.nheld); /* not a tag: the line as it is */
                filter.state = c == '\n' ? LINE_START : LINE_PASS;
                filter.nheld = 0;
            } else if (whole) {
                filter.state = LINE_DROP;
                filter.nheld = 0;
            }
            i++;
            continue;
        }
        const char *nl = memchr(buf + i, '\n', size - i);
        size_t k = nl ? (size_t)(nl - (buf + i)) + 1 : size - i;
        if (filter.state == LINE_PASS)
            put2(buf + i, k);
        if (nl)
            filter.state = LINE_START;
        i += k;
    }
    return (ssize_t)size;
}

static void filter_flush(void)
{
    fflush(stderr);
    if (filter.state == LINE_HOLD)
        put2(filter.held, filter.nheld);
    filter.nheld = 0;
}

void cli_stderr_filter(void)
{
    cookie_io_functions_t io = {NULL, filter_write, NULL, NULL};
    FILE *f = fopencookie(NULL, "w", io);
    if (!f)
        return; /* stderr stays as it is */
    setvbuf(f, NULL, _IOLBF, 0);
    stderr = f;
    atexit(filter_flush);
}
