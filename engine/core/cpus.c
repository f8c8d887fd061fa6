/*
 * cpus.c - the processors online (cpus.h).
 */
#include "engine/core/cpus.h"

#include <unistd.h>

unsigned egdi_cpus_online(void)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c > 0 ? (unsigned)c : 1;
}
