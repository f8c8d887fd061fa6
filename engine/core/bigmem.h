/*
 * bigmem.h - allocating large arrays (data matrices of a whole survey)
 * without paying for 4 KiB page faults one by one.
 *
 * On the virtual machines egdi runs on, first touching a fresh 4 KiB page
 * costs about 10 us, so a 64 MB matrix costs over 0.15 s before any work.
 * egdi_bigmem_alloc() asks for transparent huge pages for large blocks
 * (aligned to 2 MiB and advised with madvise(MADV_HUGEPAGE)); where huge
 * pages are unavailable it is plain memory.  The block is released with
 * free(); the caller owns it.  Nothing is zeroed.
 */
#ifndef EGDI_BIGMEM_H
#define EGDI_BIGMEM_H

#include <stddef.h>

/* bytes of memory (at least 1), or NULL when out of memory. */
void *egdi_bigmem_alloc(size_t bytes);

#endif
