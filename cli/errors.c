/*
 * errors.c - what the program says on stderr when something goes wrong:
 * one line "egdi CMD: ...", a usage error with a pointer to the help, a
 * library error record, and a failed write of the output.  No state.
 */
#include "cli/cli.h"
#include "engine/core/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "egdi CMD: " and the message, its control characters shown as \xHH (a
 * value quoted from a file must not rewrite the terminal nor add a line). */
static int vfail(const char *cmd, const char *fmt, va_list ap)
{
    char buf[2048], *copy;
    va_list aq;
    va_copy(aq, ap);
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
    fprintf(stderr, " (try 'egdi%s%s --help')\n", cmd ? " " : "", cmd ? cmd : "");
    return CLI_USAGE;
}

int cli_report(const char *cmd, const egdi_error *err)
{
    char line[EGDI_ERR_MSG_MAX + EGDI_ERR_FILE_MAX + EGDI_ERR_SHEET_MAX + 64];
    egdi_error_format(err, line, sizeof line);
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
        return cli_fail(cmd, "%s: %s", opt, err.message);
    return CLI_OK;
}
