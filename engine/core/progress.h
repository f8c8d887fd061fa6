/*
 * progress.h - how a long job (an import, scoring, a report, a Monte Carlo
 * run) says how far it is, without printing: the library calls the
 * caller's function, the command line decides whether and how to show it
 * (on a terminal only, never in a pipe; --quiet turns it off).
 *
 * A job calls egdi_progress_step(p, done, total) as it goes (total 0 when
 * it is not known, e.g. the rows of a CSV) and egdi_progress_step(p, total,
 * total) at the end; p may be NULL or have no function (nothing happens).
 * The record is the caller's; the library only borrows it.
 */
#ifndef EGDI_PROGRESS_H
#define EGDI_PROGRESS_H

#include <stdint.h>

typedef struct {
    /* called with what the job is doing ("rows", "units", "resamples"),
     * how many are done and how many there are (0 = unknown) */
    void (*fn)(void *ctx, const char *what, uint64_t done, uint64_t total);
    void *ctx;
    const char *what;
} egdi_progress;

/* Tells p's function that done of total are done (harmless on NULL). */
void egdi_progress_step(const egdi_progress *p, uint64_t done, uint64_t total);

#endif
