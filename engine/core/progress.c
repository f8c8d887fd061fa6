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
