/*
 * progress.c - passing a job's progress to the caller (see progress.h).
 * No state; nothing to free.
 */
#include "engine/core/progress.h"

#include <stddef.h>

void egdi_progress_step(const egdi_progress *p, uint64_t done, uint64_t total)
{
    if (p && p->fn)
        p->fn(p->ctx, p->what ? p->what : "", done, total);
}

static void part_step(void *ctx, const char *what, uint64_t done, uint64_t n)
{
    const egdi_progress_part_t *t = ctx;
    (void)what;
    uint64_t at = t->span;
    if (n && done < n) /* (span * done may not fit in 64 bits) */
        at = (uint64_t)((long double)t->span * (long double)done / (long double)n);
    egdi_progress_step(t->up, t->base + at, t->total);
}

const egdi_progress *egdi_progress_part(egdi_progress_part_t *part, const egdi_progress *up,
                                        uint64_t base, uint64_t span, uint64_t total)
{
    if (!up || !up->fn)
        return NULL;
    *part = (egdi_progress_part_t){{part_step, part, up->what}, up, base, span, total};
    return &part->p;
}
