/*
 * errors.c - what the program says on stderr when something goes wrong:
 * one line "egdi CMD: ...", a usage error with a pointer to the help, a
 * library error record, and a failed write of the output.  No state.
 */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>

static int vfail(const char *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "egdi%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, cli_tr(fmt), ap);
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
    egdi_error_format(err, line, sizeof line);
    return cli_fail(cmd, "%s", line);
}

int cli_finish_output(const char *cmd)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_fail(cmd, "cannot write the output: %s", strerror(errno));
    return CLI_OK;
}
