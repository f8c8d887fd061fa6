/*
 * sums_private.h - private to surveys/: sums over long arrays of doubles without one chain of dependent
 * additions (internal to surveys/).
 *
 * A loop "s += x[i]" waits for each addition to finish before the next
 * (four cycles each here) and compilers may not reorder it without
 * -ffast-math.  These sums keep eight independent partial sums in four
 * two-lane vectors (GCC / Clang vector types: SSE2 on any x86-64, plain
 * code elsewhere) and add them up in a fixed order, so a result does not
 * depend on the CPU.  With integer data (Likert answers) every partial sum
 * is exact and so is the result.
 */
#ifndef EGDI_SUMS_PRIVATE_H
#define EGDI_SUMS_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef double egdi_v2d __attribute__((vector_size(16)));
typedef int64_t egdi_v2i __attribute__((vector_size(16)));

/* Eight partial sums: acc[0..3] lanes 0 and 1. */
typedef struct {
    egdi_v2d a[4];
} egdi_acc8;

static inline egdi_v2d egdi_v2d_load(const double *x)
{
    egdi_v2d v;
    memcpy(&v, x, sizeof v);
    return v;
}

static inline egdi_v2d egdi_v2d_splat(double m)
{
    egdi_v2d v = {m, m};
    return v;
}

static inline egdi_v2d egdi_v2d_abs(egdi_v2d v)
{
    const egdi_v2i mask = {INT64_MAX, INT64_MAX};
    return (egdi_v2d)((egdi_v2i)v & mask);
}

static inline double egdi_acc8_total(const egdi_acc8 *s, double tail)
{
    egdi_v2d u = (s->a[0] + s->a[1]) + (s->a[2] + s->a[3]);
    return (u[0] + u[1]) + tail;
}

/* The loops below: eight values per step, f(v) added to the partial sums,
 * then the scalar tail g(x[i]). */
#define EGDI_SUM8(x, n, f, g)                                                 \
    egdi_acc8 s_ = {{{0, 0}, {0, 0}, {0, 0}, {0, 0}}};                          \
    size_t i_ = 0;                                                            \
    for (; i_ + 8 <= (n); i_ += 8)                                            \
        for (int k_ = 0; k_ < 4; k_++) {                                      \
            egdi_v2d v = egdi_v2d_load((x) + i_ + 2 * k_);                    \
            s_.a[k_] += (f);                                                  \
        }                                                                     \
    double t_ = 0;                                                            \
    for (; i_ < (n); i_++) {                                                  \
        double v = (x)[i_];                                                   \
        t_ += (g);                                                            \
    }                                                                         \
    return egdi_acc8_total(&s_, t_)

/* sum of x[0..n) */
static inline double egdi_sum(const double *x, size_t n)
{
    EGDI_SUM8(x, n, v, v);
}

/* sum of (x[i] - m)^2 */
static inline double egdi_sum_sqdev(const double *x, size_t n, double m)
{
    const egdi_v2d mv = egdi_v2d_splat(m);
    EGDI_SUM8(x, n, (v - mv) * (v - mv), (v - m) * (v - m));
}

/* sum of |x[i] - m| */
static inline double egdi_sum_absdev(const double *x, size_t n, double m)
{
    const egdi_v2d mv = egdi_v2d_splat(m);
    EGDI_SUM8(x, n, egdi_v2d_abs(v - mv), v < m ? m - v : v - m);
}

/* sum of (|x[i] - m| - z)^2: Levene's within-group sum of squares */
static inline double egdi_sum_sq_absdev(const double *x, size_t n, double m, double z)
{
    const egdi_v2d mv = egdi_v2d_splat(m), zv = egdi_v2d_splat(z);
    EGDI_SUM8(x, n, (egdi_v2d_abs(v - mv) - zv) * (egdi_v2d_abs(v - mv) - zv),
              ((v < m ? m - v : v - m) - z) * ((v < m ? m - v : v - m) - z));
}

#endif
