/*
 * bigmem.c - large allocations advised for transparent huge pages
 * (bigmem.h).  Blocks below EGDI_BIG_MIN are plain malloc; larger ones are
 * aligned_alloc'ed at 2 MiB with the size rounded up to 2 MiB (the kernel
 * only backs whole aligned 2 MiB ranges with huge pages) and advised with
 * MADV_HUGEPAGE.  Either way the caller frees with free().
 */
#include "engine/core/bigmem.h"

#include <stdlib.h>
#include <sys/mman.h>

#define EGDI_HUGE_PAGE (2u << 20)
#define EGDI_BIG_MIN   (4u << 20)

void *egdi_bigmem_alloc(size_t bytes)
{
    if (bytes < EGDI_BIG_MIN)
        return malloc(bytes ? bytes : 1);
    if (bytes > (size_t)-1 - EGDI_HUGE_PAGE)
        return NULL;
    size_t size = (bytes + EGDI_HUGE_PAGE - 1) / EGDI_HUGE_PAGE * EGDI_HUGE_PAGE;
    void *p = aligned_alloc(EGDI_HUGE_PAGE, size);
#ifdef MADV_HUGEPAGE
    if (p)
        (void)madvise(p, size, MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
    return p;
}
