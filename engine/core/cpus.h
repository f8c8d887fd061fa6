/*
 * cpus.h - how many threads a computation that splits its work uses when
 * it is not told: the processors online, the one home of that question
 * (the Monte Carlo, the Sobol design, the mediation bootstrap, the
 * cross-product pass).
 */
#ifndef EGDI_CPUS_H
#define EGDI_CPUS_H

/* The processors online (sysconf), at least 1. */
unsigned egdi_cpus_online(void);

#endif
