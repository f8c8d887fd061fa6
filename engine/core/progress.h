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

/* One stage of a job told as a share of the whole: a step "done of n" of
 * the stage reaches up as base + span * done / n of total (span = the
 * whole's steps the stage takes).  egdi_progress_part returns the stage's
 * record to hand to the stage (NULL when up tells nobody); part is the
 * caller's, alive while the stage runs. */
typedef struct {
    egdi_progress p;
    const egdi_progress *up;
    uint64_t base, span, total;
} egdi_progress_part_t;

const egdi_progress *egdi_progress_part(egdi_progress_part_t *part, const egdi_progress *up,
                                        uint64_t base, uint64_t span, uint64_t total);

#endif
