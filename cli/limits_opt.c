/*
 * limits_opt.c - the zip-bomb limit options shared by `egdi import` and
 * `egdi survey`: --max-unzipped SIZE (bytes inflated from one zip entry,
 * with an optional K, M or G suffix, powers of 1024) and --max-ratio N
 * (inflated / compressed size of one entry).  They fill an egdi_limits
 * (engine/readers/reader.h); no state of its own.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool cli_parse_size(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || v == 0)
        return false;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (*end || v > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

int cli_limit_option(const char *name, const char *arg, egdi_limits *lim, const char *cmd)
{
    if (strcmp(name, "max-unzipped") == 0) {
        if (!cli_parse_size(arg, &lim->max_unzipped))
            return cli_usage(cmd, "--max-unzipped wants a size in bytes such as 500M or 2G, "
                                  "not '%s'", arg);
        return CLI_OK;
    }
    long v;
    if (!cli_parse_long(arg, 1, 1000000000L, &v))
        return cli_usage(cmd, "--max-ratio wants a whole number from 1, not '%s'", arg);
    lim->max_ratio = (uint32_t)v;
    return CLI_OK;
}
