/*
 * progress.c - a long job's progress on a terminal: "\rimporting: 45%
 * 90112/200000 rows, 52000/s" on stderr, rewritten in place, only when
 * stderr is a terminal (never in a pipe, a file or a CI log), not before the
 * job has run about a second (EGDI_PROGRESS_AFTER seconds), at most ten
 * times a second, and never with --quiet.  The line is cleared at the end,
 * so what stays on the screen is the command's own output.  The library
 * reports through engine/core/progress.h; this is its printer.
 * The record is the caller's (on its stack); nothing to free.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    cli_progress *pr = ctx;
    double t = now(), el = t - pr->start;
    if (!pr->stage || strcmp(pr->stage, what) != 0) {
        /* a job's next stage counts other steps: its rate is its own */
        pr->stage = what;
        pr->stage_start = t;
    }
    if (el < pr->after)
        return;
    if (pr->shown && t - pr->last < 0.1 && !(total && done >= total))
        return;
    pr->last = t;
    pr->shown = true;
    double st = t - pr->stage_start, rate = st > 0 ? (double)done / st : 0;
    if (total)
        fprintf(stderr, "\r%s: %3.0f%% %llu/%llu %s, %.0f/s\033[K", cli_tr(pr->label),
                100.0 * (double)done / (double)total, (unsigned long long)done,
                (unsigned long long)total, cli_tr(what), rate);
    else
        fprintf(stderr, "\r%s: %llu %s, %.0f/s\033[K", cli_tr(pr->label),
                (unsigned long long)done, cli_tr(what), rate);
    fflush(stderr);
}

const egdi_progress *cli_progress_start(cli_progress *pr, const cli_ctx *ctx, const char *label,
                                        const char *what)
{
    memset(pr, 0, sizeof *pr);
    pr->label = label;
    pr->after = 1.0;
    const char *a = getenv("EGDI_PROGRESS_AFTER");
    double v;
    if (a && *a && cli_parse_double(a, &v) && v >= 0)
        pr->after = v;
    pr->start = pr->stage_start = now();
    pr->stage = what;
    pr->p.what = what;
    if (ctx->quiet || !isatty(STDERR_FILENO))
        return NULL; /* the library is told nothing: no cost */
    pr->p.fn = show;
    pr->p.ctx = pr;
    return &pr->p;
}

void cli_progress_end(cli_progress *pr)
{
    if (pr->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    pr->shown = false;
}
