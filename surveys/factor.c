/*
 * factor.c - exploratory factor analysis: the number of factors (Kaiser,
 * parallel analysis), extraction (PCA, iterated principal axis, maximum
 * likelihood), rotation (varimax, promax, oblimin), factor order and signs,
 * and regression score weights.  See factor.h for the contracts.
 *
 * Matrices are row-major double arrays (p x k loadings, k x k rotations);
 * GSL is used through matrix views on them for eigenvectors (symmv), the
 * SVD (varimax), LU inverses (oblimin, promax) and the BFGS minimiser (ML).
 * egdi_fa_work holds every buffer an iteration needs, sized for p items and
 * up to p factors, so no loop allocates.  egdi_fa_result's arrays are
 * allocated once k is known and freed by egdi_fa_result_release.
 *
 * Which R routine each piece follows (and where egdi deliberately differs)
 * is written above each function.
 */
#include "surveys/factor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_vector.h>
#include <gsl/gsl_statistics_double.h>

#include "surveys/fa_private.h"

/* Defaults (factor.h documents them). */
#define PAF_TOL_FULL      1e-10 /* max change of any communality */
#define PAF_TOL_PSYCH     1e-3  /* psych::fa min.err: change of the sum */
#define PAF_MAXIT_PSYCH   50u
#define MAXIT_FULL        10000u
#define VARIMAX_TOL_FULL  1e-12 /* max change of the rotation matrix */
#define VARIMAX_EPS_PSYCH 1e-5  /* stats::varimax eps (relative criterion) */
#define VARIMAX_MAXIT_PSYCH 1000u
#define OBLIMIN_TOL_FULL  1e-8  /* GPFoblq projected-gradient norm; its line
                                   search cannot go much below this in double */
#define OBLIMIN_EPS_PSYCH 1e-5
#define OBLIMIN_FLOOR     1e-6  /* below this, a line search that cannot lower
                                   the criterion means converged */
#define ML_TOL_FULL       1e-9  /* max |dF/dpsi| over the free uniquenesses */
#define ML_LOWER          0.005 /* factanal's lower bound for a uniqueness */
#define ML_BOUND_SNAP     1e-3  /* within this of the bound = on the bound */
#define PROMAX_POWER      4.0
#define PARALLEL_REPS     100u
#define PARALLEL_QUANTILE 0.95
#define PARALLEL_MAX_REPS 100000u

struct egdi_fa_work {
    size_t p;
    gsl_matrix *a, *evec, *chol;
    gsl_vector *eval;
    gsl_eigen_symmv_workspace *esv;
    gsl_eigen_symm_workspace *es;
    double *h, *hnew, *sc;       /* p */
    double *l, *x, *z, *m, *q;   /* p x p (p x k used) */
    double *t, *tn, *b, *u, *v, *g, *gp, *ti, *kk; /* p x p (k x k used) */
    gsl_vector *svs, *svw;       /* p */
    gsl_permutation *perm;       /* p */
    double *psi, *grad;          /* p */
    size_t *order;               /* p */
};

void egdi_fa_options_init(egdi_fa_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = EGDI_FA_PAF;
    o->rule = EGDI_FA_NFACT_KAISER;
    o->rotation = EGDI_FA_ROT_VARIMAX;
    o->seed = 1;
    o->parallel_reps = PARALLEL_REPS;
    o->parallel_quantile = PARALLEL_QUANTILE;
}

const char *egdi_fa_method_name(egdi_fa_method m)
{
    switch (m) {
    case EGDI_FA_PCA: return "pca";
    case EGDI_FA_PAF: return "paf";
    case EGDI_FA_ML: return "ml";
    }
    return "?";
}

const char *egdi_fa_rotation_name(egdi_fa_rotation r)
{
    switch (r) {
    case EGDI_FA_ROT_NONE: return "none";
    case EGDI_FA_ROT_VARIMAX: return "varimax";
    case EGDI_FA_ROT_PROMAX: return "promax";
    case EGDI_FA_ROT_OBLIMIN: return "oblimin";
    }
    return "?";
}

void egdi_fa_work_free(egdi_fa_work *w)
{
    if (!w)
        return;
    gsl_matrix_free(w->a);
    gsl_matrix_free(w->evec);
    gsl_matrix_free(w->chol);
    gsl_vector_free(w->eval);
    if (w->esv)
        gsl_eigen_symmv_free(w->esv);
    if (w->es)
        gsl_eigen_symm_free(w->es);
    double *bufs[] = {w->h, w->hnew, w->sc, w->l, w->x, w->z, w->m, w->q, w->t, w->tn,
                      w->b, w->u, w->v, w->g, w->gp, w->ti, w->kk, w->psi, w->grad};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        free(bufs[i]);
    gsl_vector_free(w->svs);
    gsl_vector_free(w->svw);
    gsl_permutation_free(w->perm);
    free(w->order);
    free(w);
}

egdi_fa_work *egdi_fa_work_alloc(size_t p)
{
    if (p == 0 || p > 100000)
        return NULL;
    egdi_fa_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->p = p;
    size_t pp = p * p;
    w->a = gsl_matrix_alloc(p, p);
    w->evec = gsl_matrix_alloc(p, p);
    w->chol = gsl_matrix_alloc(p, p);
    w->eval = gsl_vector_alloc(p);
    w->esv = gsl_eigen_symmv_alloc(p);
    w->es = gsl_eigen_symm_alloc(p);
    w->svs = gsl_vector_alloc(p);
    w->svw = gsl_vector_alloc(p);
    w->perm = gsl_permutation_alloc(p);
    w->order = calloc(p, sizeof *w->order);
    double **vecs[] = {&w->h, &w->hnew, &w->sc, &w->psi, &w->grad};
    double **mats[] = {&w->l, &w->x, &w->z, &w->m, &w->q, &w->t, &w->tn, &w->b,
                       &w->u, &w->v, &w->g, &w->gp, &w->ti, &w->kk};
    bool ok = w->a && w->evec && w->chol && w->eval && w->esv && w->es && w->svs &&
              w->svw && w->perm && w->order;
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
        ok = (*vecs[i] = calloc(p, sizeof(double))) != NULL && ok;
    for (size_t i = 0; i < sizeof mats / sizeof mats[0]; i++)
        ok = (*mats[i] = calloc(pp, sizeof(double))) != NULL && ok;
    if (!ok) {
        egdi_fa_work_free(w);
        return NULL;
    }
    return w;
}

void egdi_fa_result_release(egdi_fa_result *res)
{
    if (!res)
        return;
    double **arrs[] = {&res->eigenvalues, &res->prop_initial, &res->cum_initial,
                       &res->parallel, &res->comm_initial,
                       &res->communality, &res->uniqueness, &res->unrotated,
                       &res->ss_unrotated, &res->prop_unrotated, &res->cum_unrotated,
                       &res->loadings, &res->structure, &res->phi, &res->rotmat,
                       &res->ss_loadings, &res->proportion_var, &res->cumulative_var,
                       &res->weights};
    for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++) {
        free(*arrs[i]);
        *arrs[i] = NULL;
    }
}

/* ---- small dense helpers (row-major) -------------------------------- */

/* Eigen-decomposition of the p x p symmetric a (copied), eigenvalues
 * descending in w->eval, vectors (columns) in w->evec when vectors. */
static int eigen_desc(egdi_fa_work *w, const double *a, size_t p, bool vectors)
{
    gsl_matrix_view A = gsl_matrix_submatrix(w->a, 0, 0, p, p);
    gsl_matrix_view V = gsl_matrix_submatrix(w->evec, 0, 0, p, p);
    gsl_vector_view E = gsl_vector_subvector(w->eval, 0, p);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            gsl_matrix_set(&A.matrix, i, j, a[i * p + j]);
    int rc;
    if (vectors && p == w->p) {
        rc = gsl_eigen_symmv(&A.matrix, &E.vector, &V.matrix, w->esv);
        if (rc == GSL_SUCCESS)
            rc = gsl_eigen_symmv_sort(&E.vector, &V.matrix, GSL_EIGEN_SORT_VAL_DESC);
    } else {
        rc = gsl_eigen_symm(&A.matrix, &E.vector, w->es);
        if (rc == GSL_SUCCESS) {
            gsl_sort_vector(&E.vector);
            gsl_vector_reverse(&E.vector);
        }
    }
    return rc;
}

/* k x k inverse of t into ti through LU (w->kk is scratch).  0 or -1. */
static int inverse_k(egdi_fa_work *w, const double *t, size_t k, double *ti)
{
    memcpy(w->kk, t, k * k * sizeof(double));
    gsl_matrix_view A = gsl_matrix_view_array(w->kk, k, k);
    gsl_matrix_view I = gsl_matrix_view_array(ti, k, k);
    gsl_permutation pm = {k, w->perm->data};
    int sg;
    if (gsl_linalg_LU_decomp(&A.matrix, &pm, &sg) != GSL_SUCCESS)
        return -1;
    for (size_t i = 0; i < k; i++)
        if (!(fabs(gsl_matrix_get(&A.matrix, i, i)) > 1e-14))
            return -1;
    if (gsl_linalg_LU_invert(&A.matrix, &pm, &I.matrix) != GSL_SUCCESS)
        return -1;
    return 0;
}

/* c (m x n) = a (m x q) b (q x n), row-major; c must not alias a or b
 * (GSL's dgemm). */
static void matmul(const double *a, const double *b, double *c, size_t m, size_t q, size_t n)
{
    gsl_matrix_const_view A = gsl_matrix_const_view_array(a, m, q);
    gsl_matrix_const_view B = gsl_matrix_const_view_array(b, q, n);
    gsl_matrix_view C = gsl_matrix_view_array(c, m, n);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &A.matrix, &B.matrix, 0.0, &C.matrix);
}

/* c (q x n) = a' b with a m x q, b m x n (GSL's dgemm). */
static void matmul_tn(const double *a, const double *b, double *c, size_t m, size_t q, size_t n)
{
    gsl_matrix_const_view A = gsl_matrix_const_view_array(a, m, q);
    gsl_matrix_const_view B = gsl_matrix_const_view_array(b, m, n);
    gsl_matrix_view C = gsl_matrix_view_array(c, q, n);
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &A.matrix, &B.matrix, 0.0, &C.matrix);
}

static void identity(double *t, size_t k)
{
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            t[i * k + j] = i == j;
}

/* Solves r x = b for each of the k columns of b (p x k) with the Cholesky
 * factor in w->chol; result in out (p x k). */
static void chol_solve_cols(const egdi_fa_work *w, size_t p, size_t k, const double *b,
                            double *out)
{
    const gsl_matrix *l = w->chol;
    for (size_t c = 0; c < k; c++) {
        for (size_t i = 0; i < p; i++) { /* L y = b */
            double s = b[i * k + c];
            for (size_t j = 0; j < i; j++)
                s -= gsl_matrix_get(l, i, j) * out[j * k + c];
            out[i * k + c] = s / gsl_matrix_get(l, i, i);
        }
        for (size_t i = p; i-- > 0;) { /* L' x = y */
            double s = out[i * k + c];
            for (size_t j = i + 1; j < p; j++)
                s -= gsl_matrix_get(l, j, i) * out[j * k + c];
            out[i * k + c] = s / gsl_matrix_get(l, i, i);
        }
    }
}

/* ---- number of factors ---------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/*
 * Horn's parallel analysis.  A correlation matrix of n x p independent
 * normal answers has the distribution of cov2cor(W), W ~ Wishart_p(n - 1, I)
 * (the centred cross products), and W = A A' with A lower triangular,
 * A_ii^2 ~ chi2(n - 1 - i), A_ij ~ N(0, 1) below the diagonal (Bartlett's
 * decomposition) - so each replication costs O(p^3), not O(n p^2), and is
 * exactly distributed as psych::fa.parallel's simulated data.  Threshold j
 * is the quantile (R type 7) of the j-th largest eigenvalues; k is the
 * number of leading eigenvalues of r above their thresholds (as psych's
 * which(!(values > sim.pc.ci))[1] - 1, fa = "pc").
 */
static egdi_status parallel_thresholds(size_t p, size_t n, const egdi_fa_options *o,
                                       egdi_fa_work *w, double *thr, egdi_error *err)
{
    egdi_status st = EGDI_OK;
    unsigned reps = o->parallel_reps ? o->parallel_reps : PARALLEL_REPS;
    double qt = o->parallel_quantile > 0 ? o->parallel_quantile : PARALLEL_QUANTILE;
    if (reps > PARALLEL_MAX_REPS || qt >= 1)
        return egdi_error_set(err, EGDI_ERR_ARG, "parallel analysis: %u replications, "
                              "quantile %g (at most %u, below 1)", reps, qt,
                              PARALLEL_MAX_REPS);
    if (n <= p)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "parallel analysis needs more "
                              "respondents (%zu) than items (%zu)", n, p);
    double *vals = malloc((size_t)reps * p * sizeof *vals);
    double *col = malloc((size_t)reps * sizeof *col);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!vals || !col || !rng) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory for parallel analysis");
        goto done;
    }
    gsl_rng_set(rng, o->seed);
    double *a = w->x, *c = w->z; /* p x p scratch */
    for (unsigned rep = 0; rep < reps; rep++) {
        memset(a, 0, p * p * sizeof *a);
        for (size_t i = 0; i < p; i++) {
            a[i * p + i] = sqrt(gsl_ran_chisq(rng, (double)(n - 1 - i)));
            for (size_t j = 0; j < i; j++)
                a[i * p + j] = gsl_ran_gaussian_ziggurat(rng, 1.0);
        }
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j <= i; j++) {
                double s = 0;
                for (size_t t = 0; t <= j; t++)
                    s += a[i * p + t] * a[j * p + t];
                c[i * p + j] = c[j * p + i] = s;
            }
        for (size_t i = 0; i < p; i++)
            w->sc[i] = 1 / sqrt(c[i * p + i]);
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++)
                c[i * p + j] *= w->sc[i] * w->sc[j];
        if (eigen_desc(w, c, p, false) != GSL_SUCCESS) {
            st = egdi_error_set(err, EGDI_ERR_NUMERIC, "parallel analysis: eigenvalues failed");
            goto done;
        }
        for (size_t j = 0; j < p; j++)
            vals[(size_t)rep * p + j] = gsl_vector_get(w->eval, j);
    }
    for (size_t j = 0; j < p; j++) {
        for (unsigned rep = 0; rep < reps; rep++)
            col[rep] = vals[(size_t)rep * p + j];
        qsort(col, reps, sizeof *col, cmp_double);
        thr[j] = gsl_stats_quantile_from_sorted_data(col, 1, reps, qt);
    }
done:
    free(vals);
    free(col);
    gsl_rng_free(rng);
    return st;
}

egdi_status egdi_fa_nfactors(const double *r, size_t p, size_t n, const egdi_fa_options *opts,
                             egdi_fa_work *w, size_t *k, double *eigen, double *parallel,
                             egdi_error *err)
{
    if (!w || w->p != p)
        return egdi_error_set(err, EGDI_ERR_ARG, "the factor workspace is not for %zu items", p);
    if (eigen_desc(w, r, p, false) != GSL_SUCCESS)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "eigenvalues of the correlation matrix failed");
    double *ev = w->hnew;
    for (size_t j = 0; j < p; j++)
        ev[j] = gsl_vector_get(w->eval, j);
    if (eigen)
        memcpy(eigen, ev, p * sizeof *ev);
    size_t kk = 0;
    switch (opts->rule) {
    case EGDI_FA_NFACT_FIXED:
        kk = opts->nfactors;
        break;
    case EGDI_FA_NFACT_KAISER:
        while (kk < p && ev[kk] > 1.0)
            kk++;
        if (kk == 0)
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "no eigenvalue exceeds 1 (the items "
                                  "look uncorrelated): no factor to extract");
        break;
    case EGDI_FA_NFACT_PARALLEL: {
        double *thr = w->h;
        egdi_status st = parallel_thresholds(p, n, opts, w, thr, err);
        if (st)
            return st;
        if (parallel)
            memcpy(parallel, thr, p * sizeof *thr);
        while (kk < p && ev[kk] > thr[kk])
            kk++;
        if (kk == 0)
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "parallel analysis: the first "
                                  "eigenvalue (%.4f) does not exceed random data's (%.4f): "
                                  "no factor to extract", ev[0], thr[0]);
        break;
    }
    }
    *k = kk;
    return EGDI_OK;
}

/* ---- extraction ----------------------------------------------------- */

/* Loadings p x k from the first k eigenpairs in w: v_j sqrt(lambda_j). */
static egdi_status loadings_from_eigen(egdi_fa_work *w, size_t p, size_t k, double *l,
                                       const char *what, egdi_error *err)
{
    for (size_t j = 0; j < k; j++) {
        double ev = gsl_vector_get(w->eval, j);
        if (!(ev > 0))
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "%s: eigenvalue %zu is %.3g, not "
                                  "positive: too many factors for these items", what, j + 1, ev);
        double s = sqrt(ev);
        for (size_t i = 0; i < p; i++)
            l[i * k + j] = gsl_matrix_get(w->evec, i, j) * s;
    }
    return EGDI_OK;
}

/* psych::smc: 1 - 1 / diag(R^-1), from the Cholesky factor in w->chol. */
static void smc_from_chol(egdi_fa_work *w, size_t p, double *smc)
{
    /* diag of R^-1 = column sums of squares of L^-1 */
    double *li = w->m; /* p x p, lower triangular inverse */
    for (size_t j = 0; j < p; j++) {
        for (size_t i = 0; i < p; i++) {
            if (i < j) {
                li[i * p + j] = 0;
                continue;
            }
            double s = i == j ? 1.0 : 0.0;
            for (size_t t = j; t < i; t++)
                s -= gsl_matrix_get(w->chol, i, t) * li[t * p + j];
            li[i * p + j] = s / gsl_matrix_get(w->chol, i, i);
        }
    }
    for (size_t j = 0; j < p; j++) {
        double d = 0;
        for (size_t i = 0; i < p; i++)
            d += li[i * p + j] * li[i * p + j];
        smc[j] = 1 - 1 / d;
    }
}

/*
 * Iterated principal axis, psych::fa(fm = "pa"): start from SMCs on the
 * diagonal; each step: loadings from the first k eigenpairs of the reduced
 * matrix, the new diagonal their row sums of squares.  Full mode stops when
 * the largest change of any communality is below tol; psych mode when the
 * change of their sum is below min.err (0.001), or after 50 steps.
 */
static egdi_status extract_paf(const double *r, size_t p, size_t k, const egdi_fa_options *o,
                               const char *const *names, egdi_fa_work *w, egdi_fa_result *res,
                               egdi_error *err)
{
    double tol = o->tol > 0 ? o->tol : (o->psych ? PAF_TOL_PSYCH : PAF_TOL_FULL);
    unsigned maxit = o->max_iter ? o->max_iter : (o->psych ? PAF_MAXIT_PSYCH : MAXIT_FULL);
    double *a = w->q, *h = w->h, *l = res->unrotated;
    char nb[32];
    memcpy(h, res->comm_initial, p * sizeof *h);
    memcpy(a, r, p * p * sizeof *a);
    double delta = INFINITY;
    unsigned it = 0;
    res->converged = false;
    while (it < maxit) {
        for (size_t i = 0; i < p; i++)
            a[i * p + i] = h[i];
        if (eigen_desc(w, a, p, true) != GSL_SUCCESS)
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "principal axis: eigen-decomposition "
                                  "failed at iteration %u", it + 1);
        egdi_status st = loadings_from_eigen(w, p, k, l, "principal axis", err);
        if (st)
            return st;
        it++;
        double sum_old = 0, sum_new = 0, maxd = 0;
        for (size_t i = 0; i < p; i++) {
            double s = 0;
            for (size_t j = 0; j < k; j++)
                s += l[i * k + j] * l[i * k + j];
            double d = fabs(s - h[i]);
            if (d > maxd)
                maxd = d;
            sum_old += h[i];
            sum_new += s;
            h[i] = s;
            if (s >= 1.0)
                return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                      "Heywood case: the communality of %s reached %.4f (>= 1) "
                                      "at iteration %u of principal axis factoring; extract "
                                      "fewer factors, drop the item, or use --extract ml",
                                      egdi_fa_item_name(names, i, nb), s, it);
        }
        delta = o->psych ? fabs(sum_new - sum_old) : maxd;
        if (o->psych ? !(delta > tol) : delta < tol) {
            res->converged = true;
            break;
        }
    }
    res->iterations = it;
    if (!res->converged && !o->allow_nonconverged)
        return egdi_error_set(err, EGDI_ERR_CONVERGE, "principal axis factoring did not "
                              "converge in %u iterations (last change %.3g, tolerance %.3g); "
                              "raise --max-iter or --tol", it, delta, tol);
    for (size_t i = 0; i < p; i++) {
        res->communality[i] = h[i];
        res->uniqueness[i] = 1 - h[i];
    }
    return EGDI_OK;
}

/* ML: the state the objective and its gradient read. */
typedef struct {
    const double *r;
    size_t p, k;
    egdi_fa_work *w;
    const size_t *free_idx; /* free uniquenesses (the others stay in w->psi) */
    size_t nfree;
} ml_ctx;

static double ml_psi_of(double t)
{
    return ML_LOWER + (1 - ML_LOWER) / (1 + exp(-t));
}

static double ml_t_of(double psi)
{
    double s = (psi - ML_LOWER) / (1 - ML_LOWER);
    if (s < 1e-9)
        s = 1e-9;
    if (s > 1 - 1e-9)
        s = 1 - 1e-9;
    return log(s / (1 - s));
}

/*
 * stats::factanal's objective at uniquenesses psi (w->psi):
 *   F = sum_{j > k} (e_j - ln e_j) + k - p, e the eigenvalues of
 *   Psi^-1/2 R Psi^-1/2; the gradient (when grad) dF/dpsi_i =
 *   (Lambda Lambda' + Psi - R)_ii / psi_i^2, Lambda as factanal's FAout.
 * Loadings (p x k) go to w->l when grad.  Returns F (NaN on failure).
 */
static double ml_eval(const double *r, size_t p, size_t k, egdi_fa_work *w, double *grad)
{
    double *s = w->m, *psi = w->psi;
    for (size_t i = 0; i < p; i++)
        w->sc[i] = 1 / sqrt(psi[i]);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            s[i * p + j] = r[i * p + j] * w->sc[i] * w->sc[j];
    if (eigen_desc(w, s, p, grad != NULL) != GSL_SUCCESS)
        return NAN;
    double f = (double)k - (double)p;
    for (size_t j = k; j < p; j++) {
        double e = gsl_vector_get(w->eval, j);
        if (!(e > 0))
            return NAN;
        f += e - log(e);
    }
    if (grad) {
        for (size_t j = 0; j < k; j++) {
            double e = gsl_vector_get(w->eval, j) - 1;
            double sq = e > 0 ? sqrt(e) : 0;
            for (size_t i = 0; i < p; i++)
                w->l[i * k + j] = sqrt(psi[i]) * gsl_matrix_get(w->evec, i, j) * sq;
        }
        for (size_t i = 0; i < p; i++) {
            double h = 0;
            for (size_t j = 0; j < k; j++)
                h += w->l[i * k + j] * w->l[i * k + j];
            grad[i] = (h + psi[i] - r[i * p + i]) / (psi[i] * psi[i]);
        }
    }
    return f;
}

static void ml_set(const gsl_vector *t, const ml_ctx *c)
{
    for (size_t q = 0; q < c->nfree; q++)
        c->w->psi[c->free_idx[q]] = ml_psi_of(gsl_vector_get(t, q));
}

static double ml_f(const gsl_vector *t, void *params)
{
    const ml_ctx *c = params;
    ml_set(t, c);
    double f = ml_eval(c->r, c->p, c->k, c->w, NULL);
    return isfinite(f) ? f : GSL_POSINF;
}

static void ml_fdf(const gsl_vector *t, void *params, double *f, gsl_vector *g)
{
    const ml_ctx *c = params;
    ml_set(t, c);
    double v = ml_eval(c->r, c->p, c->k, c->w, c->w->grad);
    *f = isfinite(v) ? v : GSL_POSINF;
    for (size_t q = 0; q < c->nfree; q++) {
        size_t i = c->free_idx[q];
        double psi = c->w->psi[i];
        double dpsi = (psi - ML_LOWER) * (1 - psi) / (1 - ML_LOWER);
        gsl_vector_set(g, q, c->w->grad[i] * dpsi);
    }
}

static void ml_df(const gsl_vector *t, void *params, gsl_vector *g)
{
    double f;
    ml_fdf(t, params, &f, g);
}

/* A uniqueness within ML_BOUND_SNAP of a bound whose gradient pushes it
 * against that bound (a KKT point of factanal's box constraint). */
static bool ml_at_bound(double psi, double grad)
{
    return (psi - ML_LOWER < ML_BOUND_SNAP && grad > 0) || (1 - psi < ML_BOUND_SNAP && grad < 0);
}

/* One BFGS run over the free uniquenesses; returns iterations, sets *conv. */
static egdi_status ml_minimise(ml_ctx *c, double tol, unsigned maxit, unsigned *iters,
                               bool *conv, egdi_error *err)
{
    egdi_status st = EGDI_OK;
    gsl_multimin_function_fdf fn = {ml_f, ml_df, ml_fdf, c->nfree, c};
    gsl_vector *t0 = gsl_vector_alloc(c->nfree);
    gsl_multimin_fdfminimizer *mm =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, c->nfree);
    if (!t0 || !mm) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory (ML)");
        goto done;
    }
    for (size_t q = 0; q < c->nfree; q++)
        gsl_vector_set(t0, q, ml_t_of(c->w->psi[c->free_idx[q]]));
    gsl_multimin_fdfminimizer_set(mm, &fn, t0, 0.1, 0.1);
    *conv = false;
    unsigned it = 0;
    while (it < maxit) {
        it++;
        int rc = gsl_multimin_fdfminimizer_iterate(mm);
        ml_set(mm->x, c);
        ml_eval(c->r, c->p, c->k, c->w, c->w->grad);
        double gmax = 0;
        for (size_t q = 0; q < c->nfree; q++) {
            size_t i = c->free_idx[q];
            if (ml_at_bound(c->w->psi[i], c->w->grad[i]))
                continue; /* projected gradient: pushing against a bound */
            double g = fabs(c->w->grad[i]);
            if (g > gmax)
                gmax = g;
        }
        if (gmax < tol) {
            *conv = true;
            break;
        }
        if (rc != GSL_SUCCESS) {
            /* no further progress possible: accept a gradient at rounding level */
            *conv = gmax < 1e3 * tol;
            break;
        }
    }
    ml_set(mm->x, c);
    *iters += it;
done:
    gsl_multimin_fdfminimizer_free(mm);
    gsl_vector_free(t0);
    return st;
}

/*
 * Maximum likelihood as stats::factanal (factanal.fit.mle): minimise the
 * objective over uniquenesses in [0.005, 1] from factanal's start
 * (1 - 0.5 k/p) / diag(R^-1).  The bounds are kept by a logistic
 * reparametrisation; a uniqueness that ends near 0.005 is fixed there and
 * the rest re-optimised (factanal's L-BFGS-B answer on the bound), and is
 * reported as a Heywood case.
 */
static egdi_status extract_ml(const double *r, size_t p, size_t k, const egdi_fa_options *o,
                              egdi_fa_work *w, egdi_fa_result *res, egdi_error *err)
{
    double tol = o->tol > 0 ? o->tol : ML_TOL_FULL;
    unsigned maxit = o->max_iter ? o->max_iter : MAXIT_FULL;
    size_t *free_idx = w->order;
    /* start: diag(R^-1) = 1 / (1 - smc) */
    for (size_t i = 0; i < p; i++) {
        double s = (1 - 0.5 * (double)k / (double)p) * (1 - res->comm_initial[i]);
        if (s < ML_LOWER)
            s = ML_LOWER;
        if (s > 1)
            s = 1;
        w->psi[i] = s;
        free_idx[i] = i;
    }
    ml_ctx c = {r, p, k, w, free_idx, p};
    unsigned iters = 0;
    bool conv = false;
    res->heywood = -1;
    egdi_status st = ml_minimise(&c, tol, maxit, &iters, &conv, err);
    if (st)
        return st;
    size_t nf = 0;
    bool fixed = false;
    ml_eval(r, p, k, w, w->grad);
    for (size_t i = 0; i < p; i++) {
        if (!ml_at_bound(w->psi[i], w->grad[i])) {
            free_idx[nf++] = i;
            continue;
        }
        fixed = true;
        if (w->psi[i] - ML_LOWER < ML_BOUND_SNAP) {
            w->psi[i] = ML_LOWER;
            if (res->heywood < 0)
                res->heywood = (long)i;
        } else {
            w->psi[i] = 1; /* communality 0: the item shares nothing */
        }
    }
    if (fixed && nf > 0) {
        c.nfree = nf;
        st = ml_minimise(&c, tol, maxit, &iters, &conv, err);
        if (st)
            return st;
    }
    res->iterations = iters;
    res->converged = conv;
    if (!conv && !o->allow_nonconverged)
        return egdi_error_set(err, EGDI_ERR_CONVERGE, "maximum likelihood did not converge in "
                              "%u iterations; raise --max-iter or try fewer factors", iters);
    double f = ml_eval(r, p, k, w, w->grad);
    if (!isfinite(f))
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "maximum likelihood: the objective is "
                              "not finite at the solution");
    memcpy(res->unrotated, w->l, p * k * sizeof(double));
    for (size_t i = 0; i < p; i++) {
        double h = 0;
        for (size_t j = 0; j < k; j++)
            h += w->l[i * k + j] * w->l[i * k + j];
        res->communality[i] = h;
        res->uniqueness[i] = w->psi[i];
    }
    double dn = (double)res->n, dp = (double)p, dk = (double)k;
    res->objective = f;
    res->df = ((dp - dk) * (dp - dk) - (dp + dk)) / 2;
    res->chi2 = (dn - 1 - (2 * dp + 5) / 6 - 2 * dk / 3) * f;
    if (res->chi2 < 0)
        res->chi2 = 0;
    res->p_value = gsl_cdf_chisq_Q(res->chi2, res->df);
    res->log_p = res->p_value > 1e-300 ? log(res->p_value)
                                        : egdi_fa_chisq_log_q(res->chi2, res->df);
    return EGDI_OK;
}

/* ---- rotation ------------------------------------------------------- */

/*
 * Varimax with Kaiser normalisation (stats::varimax): rows of l scaled to
 * unit length, T updated from the SVD of x'(z^3 - z diag(z'z)/p).  Full
 * mode stops when no element of T changes by tol; psych mode when the
 * criterion sum(d) improves by less than a relative eps.  The normalised
 * rotated loadings are left in w->z, the row norms in w->sc, T in t.
 */
static void varimax(egdi_fa_work *w, const double *l, size_t p, size_t k, bool psych,
                    double tol, unsigned maxit, double *t, unsigned *iters, bool *conv)
{
    double *x = w->x, *z = w->z, *m = w->m, *b = w->b, *tn = w->tn;
    for (size_t i = 0; i < p; i++) {
        double s = 0;
        for (size_t j = 0; j < k; j++)
            s += l[i * k + j] * l[i * k + j];
        w->sc[i] = s > 0 ? sqrt(s) : 1;
        for (size_t j = 0; j < k; j++)
            x[i * k + j] = l[i * k + j] / w->sc[i];
    }
    identity(t, k);
    double d = 0, dp = (double)p;
    unsigned it = 0;
    *conv = false;
    gsl_matrix_view U = gsl_matrix_view_array(b, k, k);
    gsl_matrix_view V = gsl_matrix_view_array(w->v, k, k);
    gsl_vector_view S = gsl_vector_subvector(w->svs, 0, k);
    gsl_vector_view W = gsl_vector_subvector(w->svw, 0, k);
    while (it < maxit) {
        it++;
        matmul(x, t, z, p, k, k);
        for (size_t j = 0; j < k; j++) {
            double cs = 0;
            for (size_t i = 0; i < p; i++)
                cs += z[i * k + j] * z[i * k + j];
            for (size_t i = 0; i < p; i++) {
                double v = z[i * k + j];
                m[i * k + j] = v * v * v - v * cs / dp;
            }
        }
        matmul_tn(x, m, b, p, k, k);
        gsl_linalg_SV_decomp(&U.matrix, &V.matrix, &S.vector, &W.vector);
        /* tn = U V' */
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                double s = 0;
                for (size_t q = 0; q < k; q++)
                    s += b[i * k + q] * w->v[j * k + q];
                tn[i * k + j] = s;
            }
        double dpast = d, change = 0;
        d = 0;
        for (size_t j = 0; j < k; j++)
            d += gsl_vector_get(&S.vector, j);
        for (size_t i = 0; i < k * k; i++) {
            double c = fabs(tn[i] - t[i]);
            if (c > change)
                change = c;
        }
        memcpy(t, tn, k * k * sizeof *t);
        if (psych ? d < dpast * (1 + tol) : change < tol) {
            *conv = true;
            break;
        }
    }
    matmul(x, t, z, p, k, k);
    *iters = it;
}

/* oblimin criterion (GPArotation vgQ.oblimin, gam = 0): gq and f at l. */
static double oblimin_vgq(const double *l, size_t p, size_t k, double *gq)
{
    double f = 0;
    for (size_t i = 0; i < p; i++) {
        double rs = 0;
        for (size_t j = 0; j < k; j++)
            rs += l[i * k + j] * l[i * k + j];
        for (size_t j = 0; j < k; j++) {
            double v = l[i * k + j], xx = rs - v * v;
            gq[i * k + j] = v * xx;
            f += v * v * xx;
        }
    }
    return f / 4;
}

/*
 * Oblimin (quartimin, gam = 0) by GPArotation's GPFoblq, not normalised
 * (psych::fa calls GPArotation::oblimin(L, Tmat) with normalize = FALSE).
 * pattern = A (T')^-1, Phi = T'T.  Result pattern in out, T in t.
 */
static egdi_status oblimin(egdi_fa_work *w, const double *a, size_t p, size_t k, double eps,
                           unsigned maxit, double *out, double *t, unsigned *iters, bool *conv,
                           egdi_error *err)
{
    double *ti = w->ti, *gq = w->m, *g = w->g, *gp = w->gp, *tt = w->tn, *kb = w->b;
    double *lt = w->z;
    identity(t, k);
    memcpy(out, a, p * k * sizeof *out);
    double f = oblimin_vgq(out, p, k, gq);
    /* G = -(L' Gq T^-1)' with T = I */
    matmul_tn(out, gq, kb, p, k, k);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            g[i * k + j] = -kb[j * k + i];
    double al = 1, s = INFINITY;
    unsigned it = 0;
    *conv = false;
    for (it = 0; it <= maxit; it++) {
        /* Gp = G - T diag(colSums(T * G)) */
        double ss = 0;
        for (size_t j = 0; j < k; j++) {
            double cs = 0;
            for (size_t i = 0; i < k; i++)
                cs += t[i * k + j] * g[i * k + j];
            for (size_t i = 0; i < k; i++) {
                gp[i * k + j] = g[i * k + j] - t[i * k + j] * cs;
                ss += gp[i * k + j] * gp[i * k + j];
            }
        }
        s = sqrt(ss);
        if (s < eps) {
            *conv = true;
            break;
        }
        if (it == maxit)
            break;
        al *= 2;
        double ft = f;
        bool improved = false;
        for (int ls = 0; ls <= 10; ls++) {
            for (size_t j = 0; j < k; j++) {
                double cn = 0;
                for (size_t i = 0; i < k; i++) {
                    double v = t[i * k + j] - al * gp[i * k + j];
                    tt[i * k + j] = v;
                    cn += v * v;
                }
                cn = 1 / sqrt(cn);
                for (size_t i = 0; i < k; i++)
                    tt[i * k + j] *= cn;
            }
            if (inverse_k(w, tt, k, ti) != 0)
                return egdi_error_set(err, EGDI_ERR_NUMERIC, "oblimin: the rotation became "
                                      "singular (factors collapsed into one)");
            /* L = A (Tt^-1)' */
            for (size_t i = 0; i < p; i++)
                for (size_t j = 0; j < k; j++) {
                    double v = 0;
                    for (size_t q = 0; q < k; q++)
                        v += a[i * k + q] * ti[j * k + q];
                    lt[i * k + j] = v;
                }
            ft = oblimin_vgq(lt, p, k, gq);
            if (f - ft > 0.5 * s * s * al) {
                improved = true;
                break;
            }
            al /= 2;
        }
        if (!improved && s < OBLIMIN_FLOOR) {
            /* f no longer decreases in double precision: the gradient is at
             * its rounding floor (GPFoblq would loop on to maxit here) */
            *conv = true;
            break;
        }
        memcpy(t, tt, k * k * sizeof *t);
        memcpy(out, lt, p * k * sizeof *out);
        f = ft;
        /* G = -(L' Gq Tt^-1)' */
        matmul_tn(out, gq, kb, p, k, k);
        matmul(kb, ti, w->kk, k, k, k);
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                g[i * k + j] = -w->kk[j * k + i];
    }
    *iters = it;
    return EGDI_OK;
}

/*
 * psych's promax: kaiser(L, rotate = "Promax"): rows normalised by their
 * communality, varimax, target Q = x |x|^(m-1), U = least squares (x'x)^-1
 * x'Q, columns of U rescaled by sqrt(diag((U'U)^-1)), pattern = x U
 * de-normalised, rotation T U, Phi = (TU)^-1 (TU)^-T.
 */
static egdi_status promax(egdi_fa_work *w, const double *l, size_t p, size_t k, bool psych,
                          double tol, unsigned maxit, double *out, double *rot, double *phi,
                          unsigned *iters, bool *conv, egdi_error *err)
{
    double *t = w->t, *x = w->z, *q = w->q, *u = w->u, *kb = w->b, *ti = w->ti;
    varimax(w, l, p, k, psych, tol, maxit, t, iters, conv);
    /* x = normalised varimax loadings (w->z); row norms in w->sc */
    for (size_t i = 0; i < p * k; i++)
        q[i] = x[i] * pow(fabs(x[i]), PROMAX_POWER - 1);
    matmul_tn(x, x, w->tn, p, k, k);
    if (inverse_k(w, w->tn, k, ti) != 0)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "promax: singular loadings");
    matmul_tn(x, q, kb, p, k, k);       /* x'Q */
    matmul(ti, kb, u, k, k, k);         /* U = (x'x)^-1 x'Q */
    matmul_tn(u, u, w->tn, k, k, k);    /* U'U */
    if (inverse_k(w, w->tn, k, ti) != 0)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "promax: the factors are exactly "
                              "uncorrelated (singular target); use varimax");
    for (size_t j = 0; j < k; j++) {
        double d = ti[j * k + j];
        if (!(d > 0))
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "promax: singular target");
        d = sqrt(d);
        for (size_t i = 0; i < k; i++)
            u[i * k + j] *= d;
    }
    matmul(x, u, out, p, k, k);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++)
            out[i * k + j] *= w->sc[i];
    matmul(t, u, rot, k, k, k);
    if (inverse_k(w, rot, k, ti) != 0)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "promax: singular rotation");
    /* Phi = ui ui' */
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double s = 0;
            for (size_t c = 0; c < k; c++)
                s += ti[i * k + c] * ti[j * k + c];
            phi[i * k + j] = s;
        }
    return EGDI_OK;
}

/* ---- order and signs ------------------------------------------------ */

/*
 * psych's last steps: flip each factor so its loadings sum to >= 0, then
 * order the factors by ss (column sums of squares; oblique: diag(Phi L'L)),
 * descending.  l is p x k; phi and rot (k x k) are permuted along (may be
 * NULL).  ss receives the sorted sums.
 */
static void sign_and_sort(egdi_fa_work *w, size_t p, size_t k, double *l, double *phi,
                          double *rot, double *ss)
{
    for (size_t j = 0; j < k; j++) {
        double cs = 0;
        for (size_t i = 0; i < p; i++)
            cs += l[i * k + j];
        if (cs < 0) {
            for (size_t i = 0; i < p; i++)
                l[i * k + j] = -l[i * k + j];
            if (rot)
                for (size_t i = 0; i < k; i++)
                    rot[i * k + j] = -rot[i * k + j];
            if (phi)
                for (size_t i = 0; i < k; i++) {
                    phi[i * k + j] = -phi[i * k + j];
                    phi[j * k + i] = -phi[j * k + i];
                }
        }
    }
    double *ev = w->hnew;
    matmul_tn(l, l, w->kk, p, k, k);
    for (size_t j = 0; j < k; j++) {
        if (phi) {
            double s = 0;
            for (size_t m = 0; m < k; m++)
                s += phi[j * k + m] * w->kk[m * k + j];
            ev[j] = s;
        } else {
            ev[j] = w->kk[j * k + j];
        }
    }
    size_t *ord = w->order;
    for (size_t j = 0; j < k; j++)
        ord[j] = j;
    for (size_t j = 1; j < k; j++) { /* stable insertion sort, descending */
        size_t v = ord[j], i = j;
        while (i > 0 && ev[ord[i - 1]] < ev[v]) {
            ord[i] = ord[i - 1];
            i--;
        }
        ord[i] = v;
    }
    double *tmp = w->x;
    memcpy(tmp, l, p * k * sizeof *tmp);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++)
            l[i * k + j] = tmp[i * k + ord[j]];
    if (rot) {
        memcpy(tmp, rot, k * k * sizeof *tmp);
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                rot[i * k + j] = tmp[i * k + ord[j]];
    }
    if (phi) {
        memcpy(tmp, phi, k * k * sizeof *tmp);
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                phi[i * k + j] = tmp[ord[i] * k + ord[j]];
    }
    for (size_t j = 0; j < k; j++)
        ss[j] = ev[ord[j]];
}

/* ---- the whole analysis --------------------------------------------- */

static egdi_status alloc_result(egdi_fa_result *res, size_t p, size_t k, bool parallel)
{
    struct {
        double **a;
        size_t n;
    } arrs[] = {
        {&res->eigenvalues, p}, {&res->prop_initial, p}, {&res->cum_initial, p},
        {&res->comm_initial, p}, {&res->communality, p},
        {&res->uniqueness, p}, {&res->unrotated, p * k}, {&res->ss_unrotated, k},
        {&res->prop_unrotated, k}, {&res->cum_unrotated, k}, {&res->loadings, p * k},
        {&res->structure, p * k}, {&res->phi, k * k}, {&res->rotmat, k * k},
        {&res->ss_loadings, k}, {&res->proportion_var, k}, {&res->cumulative_var, k},
        {&res->weights, p * k}, {&res->parallel, parallel ? p : 0},
    };
    for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++) {
        if (arrs[i].n == 0)
            continue;
        *arrs[i].a = calloc(arrs[i].n, sizeof(double));
        if (!*arrs[i].a)
            return EGDI_ERR_NOMEM;
    }
    return EGDI_OK;
}

static bool all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

egdi_status egdi_fa_run(const double *r, size_t p, size_t n, const char *const *names,
                        const egdi_fa_options *opts, egdi_fa_work *w, egdi_fa_result *res,
                        egdi_error *err)
{
    egdi_status st;
    memset(res, 0, sizeof *res);
    res->heywood = -1;
    if (!w || w->p != p)
        return egdi_error_set(err, EGDI_ERR_ARG, "the factor workspace is not for %zu items", p);
    if (p < 2)
        return egdi_error_set(err, EGDI_ERR_ARG, "factor analysis needs at least 2 items, "
                              "got %zu", p);
    if (n <= p)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "%zu respondents for %zu items: factor "
                              "analysis needs more respondents than items", n, p);
    if (!all_finite(r, p * p))
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "the correlation matrix has missing "
                              "entries");
    double log_det;
    st = egdi_fa_cholesky(r, p, names, w->chol, &log_det, err);
    if (st)
        return st;
    size_t k;
    double *thr = w->q;
    st = egdi_fa_nfactors(r, p, n, opts, w, &k, w->u, thr, err);
    if (st)
        return st;
    size_t kmax = opts->method == EGDI_FA_PCA ? p : p - 1;
    if (k < 1 || k > kmax)
        return egdi_error_set(err, EGDI_ERR_ARG, "%zu factors for %zu items: choose 1 to %zu",
                              k, p, kmax);
    double dp = (double)p, dk = (double)k;
    if (opts->method == EGDI_FA_ML && !((dp - dk) * (dp - dk) - (dp + dk) > 0))
        return egdi_error_set(err, EGDI_ERR_ARG, "%zu factors are too many for maximum "
                              "likelihood with %zu items (the test of fit has no degrees of "
                              "freedom)", k, p);
    if (alloc_result(res, p, k, opts->rule == EGDI_FA_NFACT_PARALLEL)) {
        egdi_fa_result_release(res);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    res->p = p;
    res->k = k;
    res->n = n;
    res->method = opts->method;
    res->rotation = k >= 2 ? opts->rotation : EGDI_FA_ROT_NONE;
    res->oblique = res->rotation == EGDI_FA_ROT_PROMAX || res->rotation == EGDI_FA_ROT_OBLIMIN;
    memcpy(res->eigenvalues, w->u, p * sizeof(double));
    if (res->parallel)
        memcpy(res->parallel, thr, p * sizeof(double));

    /* extraction */
    switch (opts->method) {
    case EGDI_FA_PCA:
        for (size_t i = 0; i < p; i++)
            res->comm_initial[i] = 1;
        if (eigen_desc(w, r, p, true) != GSL_SUCCESS) {
            st = egdi_error_set(err, EGDI_ERR_NUMERIC, "eigen-decomposition failed");
            goto fail;
        }
        st = loadings_from_eigen(w, p, k, res->unrotated, "principal components", err);
        if (st)
            goto fail;
        for (size_t i = 0; i < p; i++) {
            double h = 0;
            for (size_t j = 0; j < k; j++)
                h += res->unrotated[i * k + j] * res->unrotated[i * k + j];
            res->communality[i] = h;
            res->uniqueness[i] = 1 - h;
        }
        res->converged = true;
        break;
    case EGDI_FA_PAF:
        smc_from_chol(w, p, res->comm_initial);
        st = extract_paf(r, p, k, opts, names, w, res, err);
        if (st)
            goto fail;
        break;
    case EGDI_FA_ML:
        smc_from_chol(w, p, res->comm_initial);
        st = extract_ml(r, p, k, opts, w, res, err);
        if (st)
            goto fail;
        break;
    }
    sign_and_sort(w, p, k, res->unrotated, NULL, NULL, res->ss_unrotated);
    double cum = 0;
    for (size_t j = 0; j < p; j++) {
        res->prop_initial[j] = res->eigenvalues[j] / dp;
        cum += res->prop_initial[j];
        res->cum_initial[j] = cum;
    }
    cum = 0;
    for (size_t j = 0; j < k; j++) {
        res->prop_unrotated[j] = res->ss_unrotated[j] / dp;
        cum += res->prop_unrotated[j];
        res->cum_unrotated[j] = cum;
    }

    /* rotation */
    bool psych = opts->psych;
    double rtol = opts->rot_tol;
    unsigned rmax = opts->rot_max_iter ? opts->rot_max_iter
                                       : (psych ? VARIMAX_MAXIT_PSYCH : MAXIT_FULL);
    identity(res->phi, k);
    identity(res->rotmat, k);
    res->rot_converged = true;
    switch (res->rotation) {
    case EGDI_FA_ROT_NONE:
        memcpy(res->loadings, res->unrotated, p * k * sizeof(double));
        break;
    case EGDI_FA_ROT_VARIMAX:
        if (!(rtol > 0))
            rtol = psych ? VARIMAX_EPS_PSYCH : VARIMAX_TOL_FULL;
        varimax(w, res->unrotated, p, k, psych, rtol, rmax, res->rotmat, &res->rot_iterations,
                &res->rot_converged);
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < k; j++)
                res->loadings[i * k + j] = w->z[i * k + j] * w->sc[i];
        break;
    case EGDI_FA_ROT_PROMAX:
        if (!(rtol > 0))
            rtol = psych ? VARIMAX_EPS_PSYCH : VARIMAX_TOL_FULL;
        st = promax(w, res->unrotated, p, k, psych, rtol, rmax, res->loadings, res->rotmat,
                    res->phi, &res->rot_iterations, &res->rot_converged, err);
        if (st)
            goto fail;
        break;
    case EGDI_FA_ROT_OBLIMIN: {
        if (!(rtol > 0))
            rtol = psych ? OBLIMIN_EPS_PSYCH : OBLIMIN_TOL_FULL;
        double *t = w->t;
        st = oblimin(w, res->unrotated, p, k, rtol, rmax, res->loadings, t,
                     &res->rot_iterations, &res->rot_converged, err);
        if (st)
            goto fail;
        /* Phi = T'T; rotmat = (T^-1)' so that unrotated x rotmat = pattern */
        matmul_tn(t, t, res->phi, k, k, k);
        if (inverse_k(w, t, k, w->ti) != 0) {
            st = egdi_error_set(err, EGDI_ERR_NUMERIC, "oblimin: singular rotation");
            goto fail;
        }
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                res->rotmat[i * k + j] = w->ti[j * k + i];
        break;
    }
    }
    if (!res->rot_converged && !opts->allow_nonconverged) {
        st = egdi_error_set(err, EGDI_ERR_CONVERGE, "%s rotation did not converge in %u "
                            "iterations; raise --max-iter", egdi_fa_rotation_name(res->rotation),
                            res->rot_iterations);
        goto fail;
    }
    sign_and_sort(w, p, k, res->loadings, res->oblique ? res->phi : NULL, res->rotmat,
                  res->ss_loadings);
    cum = 0;
    for (size_t j = 0; j < k; j++) {
        res->proportion_var[j] = res->ss_loadings[j] / dp;
        cum += res->proportion_var[j];
        res->cumulative_var[j] = cum;
    }
    matmul(res->loadings, res->phi, res->structure, p, k, k);
    chol_solve_cols(w, p, k, res->structure, res->weights);

    if (!all_finite(res->unrotated, p * k) || !all_finite(res->loadings, p * k) ||
        !all_finite(res->phi, k * k) || !all_finite(res->weights, p * k) ||
        !all_finite(res->communality, p) || !all_finite(res->comm_initial, p) ||
        !isfinite(res->chi2) || !isfinite(res->log_p)) {
        st = egdi_error_set(err, EGDI_ERR_NUMERIC, "the factor solution is degenerate "
                            "(not a number in the result)");
        goto fail;
    }
    return EGDI_OK;
fail:
    egdi_fa_result_release(res);
    return st;
}

egdi_status egdi_fa_scores(const egdi_fa_result *res, const double *x, size_t n,
                           const double *mean, const double *sd, double *scores,
                           egdi_error *err)
{
    size_t p = res->p, k = res->k;
    if (!res->weights)
        return egdi_error_set(err, EGDI_ERR_ARG, "no factor solution");
    for (size_t i = 0; i < n * k; i++)
        scores[i] = 0;
    for (size_t j = 0; j < p; j++) {
        if (!(sd[j] > 0))
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "item %zu has zero variance", j + 1);
        const double *col = x + j * n;
        for (size_t i = 0; i < n; i++) {
            double zv = (col[i] - mean[j]) / sd[j];
            for (size_t f = 0; f < k; f++)
                scores[i * k + f] += zv * res->weights[j * k + f];
        }
    }
    return EGDI_OK;
}
