/*
 * cfa.c - maximum-likelihood confirmatory factor analysis (see cfa.h for
 * the model, the conventions and what each number matches in lavaan).
 *
 * Derivatives.  Every parameter's derivative of Sigma is a symmetric rank-2
 * (or rank-1) matrix  dSigma/dtheta_a = c_a (u_a v_a' + v_a u_a'),  with u,
 * v among the unit vectors e_j, the columns m_f of M = Lambda Phi and the
 * columns l_f of Lambda:
 *     loading  f =~ j     u = e_j, v = m_f, c = 1
 *     residual j ~~ j     u = v = e_j,       c = 1/2
 *     factor   f ~~ f     u = v = l_f,       c = 1/2
 *     factor   f ~~ g     u = l_f, v = l_g,  c = 1
 *     residual j ~~ k     u = e_j, v = e_k,  c = 1     (modification indices)
 * so with A = Sigma^-1 and E = A (Sigma - S) A, the gradient of F_ML is
 *     g_a = tr(E dSigma_a) = 2 c_a u_a' E v_a
 * and the expected information per respondent is
 *     I_ab = 1/2 tr(A dSigma_a A dSigma_b)
 *          = c_a c_b [(u_a'A u_b)(v_a'A v_b) + (u_a'A v_b)(v_a'A u_b)],
 * each a product of entries of the small "forms" X, XM, XL, M'XM, M'XL,
 * L'XL (X = A or E) computed once per iteration: O(p^2 m) per iteration
 * plus O(q^2) for the information and O(q^3) for its Cholesky factor.
 *
 * Ownership: the workspace (struct work) is allocated once per fit and
 * freed on the one exit path; the result owns its arrays.
 */
#include "surveys/cfa.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>

#include "surveys/fa_private.h"

/* Armijo constant of the step-halving line search and its most halvings. */
#define ARMIJO 1e-4
#define MAX_HALVINGS 60
/* When no step lowers F_ML any more, a scoring decrement below this is the
 * limit of double precision: converged. */
#define ROUNDOFF_DECREMENT 1e-12
/* Ridges tried (on the scaled information) when it is singular on the way. */
#define RIDGE_MIN 1e-8
#define RIDGE_MAX 1e2
/* Below this scoring decrement, the full step is taken without testing F_ML. */
#define FULL_STEP 1e-8
/* A pivot of the scaled information below this: not identified. */
#define SINGULAR_PIVOT 1e-10
/* lavaan's cut for the V of a modification index (sqrt(.Machine$double.eps)). */
#define MI_V_MIN 1.4901161193847656e-08
/* RMSEA interval: the roots to this width (lavaan's uniroot: ~1.2e-4). */
#define RMSEA_ROOT_TOL 1e-13
#define RMSEA_H0 0.05

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

void egdi_cfa_options_init(egdi_cfa_options *o)
{
    memset(o, 0, sizeof *o);
    o->tol = EGDI_CFA_TOL;
    o->max_iter = EGDI_CFA_MAX_ITER;
}

void egdi_cfa_result_release(egdi_cfa_result *r)
{
    if (!r)
        return;
    free(r->param);
    free(r->lambda);
    free(r->phi);
    free(r->theta);
    free(r->std_lambda);
    free(r->phi_cor);
    free(r->implied);
    free(r->sample);
    free(r->mi);
    free(r->heywood);
    free(r->neg_factor);
    memset(r, 0, sizeof *r);
}

const char *egdi_cfa_op_text(egdi_cfa_op op)
{
    return op == EGDI_CFA_LOADING ? "=~" : "~~";
}

void egdi_cfa_param_name(const egdi_cfa_model *m, egdi_cfa_op op, size_t a, size_t b, char *buf,
                         size_t size)
{
    const char *l, *r;
    switch (op) {
    case EGDI_CFA_LOADING:
        l = m->factor[a].name;
        r = m->item[b];
        break;
    case EGDI_CFA_FACTOR_COV:
        l = m->factor[a].name;
        r = m->factor[b].name;
        break;
    default:
        l = m->item[a];
        r = m->item[b];
        break;
    }
    snprintf(buf, size, "%s %s %s", l, egdi_cfa_op_text(op), r);
}

/* ---- judging the fit ----------------------------------------------------------- */

static const egdi_cfa_cutoff CUT_P = {'>', 0.05, NAN};
static const egdi_cfa_cutoff CUT_CHISQ_DF = {'<', 3, 5};
static const egdi_cfa_cutoff CUT_CFI = {'g', 0.95, 0.90};
static const egdi_cfa_cutoff CUT_RMSEA = {'l', 0.05, 0.08};
static const egdi_cfa_cutoff CUT_SRMR = {'l', 0.08, NAN};
static const egdi_cfa_cutoff CUT_GFI = {'g', 0.90, 0.80};

static bool passes(char op, double v, double t)
{
    switch (op) {
    case '<':
        return v < t;
    case '>':
        return v > t;
    case 'l':
        return v <= t;
    default:
        return v >= t;
    }
}

static egdi_cfa_verdict judge(const egdi_cfa_cutoff *c, double v)
{
    if (!c || !isfinite(v))
        return EGDI_CFA_NO_VERDICT;
    bool two = !isnan(c->acceptable);
    if (passes(c->op, v, c->good))
        return two ? EGDI_CFA_GOOD : EGDI_CFA_MET;
    if (two && passes(c->op, v, c->acceptable))
        return EGDI_CFA_ACCEPTABLE;
    return EGDI_CFA_NOT_MET;
}

/* ".95", "3", ".08": a threshold as papers write it. */
static void threshold(double t, char *buf, size_t size)
{
    if (t == floor(t))
        snprintf(buf, size, "%.0f", t);
    else if (t > 0 && t < 1) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%.2f", t);
        snprintf(buf, size, "%s", tmp + 1); /* ".95" */
    } else
        snprintf(buf, size, "%g", t);
}

void egdi_cfa_cutoff_text(const egdi_cfa_cutoff *c, bool zh, char *buf, size_t size)
{
    if (!c) {
        snprintf(buf, size, "%s", "");
        return;
    }
    const char *op = c->op == '<' ? "<" : c->op == '>' ? ">" : c->op == 'l' ? "≤" : "≥";
    char a[32], b[32];
    threshold(c->good, a, sizeof a);
    if (isnan(c->acceptable)) {
        snprintf(buf, size, "%s %s", op, a);
        return;
    }
    threshold(c->acceptable, b, sizeof b);
    if (zh)
        snprintf(buf, size, "%s %s（%s %s 可接受）", op, a, op, b);
    else
        snprintf(buf, size, "%s %s (%s %s acceptable)", op, a, op, b);
}

const char *egdi_cfa_verdict_text(egdi_cfa_verdict v, bool zh)
{
    switch (v) {
    case EGDI_CFA_GOOD:
        return zh ? "良好" : "good";
    case EGDI_CFA_ACCEPTABLE:
        return zh ? "可接受" : "acceptable";
    case EGDI_CFA_MET:
        return zh ? "达标" : "met";
    case EGDI_CFA_NOT_MET:
        return zh ? "未达标" : "not met";
    default:
        return "";
    }
}

size_t egdi_cfa_fit_rows(const egdi_cfa_fit *f, egdi_cfa_fit_row *rows)
{
    double chisq_df = f->df > 0 ? f->chisq / f->df : NAN;
    const egdi_cfa_fit_row r[EGDI_CFA_FIT_ROWS] = {
        {"chisq", "卡方 χ²", "chi-square", f->chisq, NAN, 3, NULL, 0},
        {"df", "自由度 df", "df", f->df, NAN, 0, NULL, 0},
        {"pvalue", "p", "p", f->pvalue, NAN, 3, &CUT_P, 0},
        {"chisq_df", "卡方自由度比 χ²/df", "chi-square / df", chisq_df, NAN, 3, &CUT_CHISQ_DF, 0},
        {"cfi", "比较拟合指数 CFI", "CFI", f->cfi, NAN, 3, &CUT_CFI, 0},
        {"tli", "TLI (NNFI)", "TLI (NNFI)", f->tli, NAN, 3, &CUT_CFI, 0},
        {"rmsea", "近似误差均方根 RMSEA", "RMSEA", f->rmsea, NAN, 3, &CUT_RMSEA, 0},
        {"rmsea_ci", "RMSEA 90% 置信区间", "RMSEA 90% CI", f->rmsea_lo, f->rmsea_hi, 3, NULL, 0},
        {"rmsea_pvalue", "p (RMSEA ≤ .05)", "p (RMSEA <= .05)", f->rmsea_pvalue, NAN, 3, &CUT_P, 0},
        {"srmr", "标准化残差均方根 SRMR", "SRMR", f->srmr, NAN, 3, &CUT_SRMR, 0},
        {"gfi", "拟合优度指数 GFI", "GFI", f->gfi, NAN, 3, &CUT_GFI, 0},
        {"agfi", "调整拟合优度指数 AGFI", "AGFI", f->agfi, NAN, 3, &CUT_GFI, 0},
        {"aic", "AIC", "AIC", f->aic, NAN, 3, NULL, 0},
        {"bic", "BIC", "BIC", f->bic, NAN, 3, NULL, 0},
        {"logl", "对数似然", "log-likelihood", f->logl, NAN, 3, NULL, 0},
        {"baseline_chisq", "基准模型卡方", "baseline chi-square", f->baseline_chisq, NAN, 3, NULL, 0},
        {"baseline_df", "基准模型自由度", "baseline df", f->baseline_df, NAN, 0, NULL, 0},
    };
    for (size_t k = 0; k < EGDI_CFA_FIT_ROWS; k++) {
        rows[k] = r[k];
        rows[k].verdict = judge(r[k].cutoff, r[k].value);
    }
    return EGDI_CFA_FIT_ROWS;
}

/* ---- the non-central chi-square -------------------------------------------- */

/* sum_j Poisson(j; ncp/2) * (upper ? Q : P)(x; df + 2j), outward from the
 * largest Poisson weight until the weights fall below 1e-17 of the sum. */
static double nchisq(double x, double df, double ncp, bool upper)
{
    if (!(x > 0))
        return upper ? 1.0 : 0.0;
    if (!(ncp > 0))
        return upper ? gsl_cdf_chisq_Q(x, df) : gsl_cdf_chisq_P(x, df);
    double mu = ncp / 2, z = x / 2;
    double j0 = floor(mu);
    double w0 = exp(-mu + j0 * log(mu) - lgamma(j0 + 1));
    double sum = 0, wsum = 0;
    double w = w0;
    for (double j = j0;; j++) {
        double a = df / 2 + j;
        double t = upper ? gsl_sf_gamma_inc_Q(a, z) : gsl_sf_gamma_inc_P(a, z);
        sum += w * t;
        wsum += w;
        w *= mu / (j + 1);
        if (w < 1e-17 * wsum || w == 0)
            break;
    }
    w = w0;
    for (double j = j0; j > 0; j--) {
        w *= j / mu;
        double a = df / 2 + j - 1;
        double t = upper ? gsl_sf_gamma_inc_Q(a, z) : gsl_sf_gamma_inc_P(a, z);
        sum += w * t;
        wsum += w;
        if (w < 1e-17 * wsum || w == 0)
            break;
    }
    return sum;
}

double egdi_cfa_nchisq_P(double x, double df, double ncp)
{
    return nchisq(x, df, ncp, false);
}

double egdi_cfa_nchisq_Q(double x, double df, double ncp)
{
    return nchisq(x, df, ncp, true);
}

typedef struct {
    double x, df, target;
} nc_root;

static double nc_root_fn(double ncp, void *ctx)
{
    const nc_root *r = ctx;
    return nchisq(r->x, r->df, ncp, false) - r->target;
}

/* The ncp in [lo, hi] where P(x; df, ncp) = target (P falls as ncp grows). */
static double nc_solve(double x, double df, double target, double lo, double hi)
{
    nc_root r = {x, df, target};
    gsl_function fn = {nc_root_fn, &r};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s || gsl_root_fsolver_set(s, &fn, lo, hi) != GSL_SUCCESS) {
        gsl_root_fsolver_free(s);
        return NAN;
    }
    double root = NAN;
    for (int it = 0; it < 200; it++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        root = gsl_root_fsolver_root(s);
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, RMSEA_ROOT_TOL, RMSEA_ROOT_TOL) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return root;
}

/* lavaan's lav_fit_rmsea_ci (level .90) with the roots found to
 * RMSEA_ROOT_TOL. */
static void rmsea_ci(double X2, double df, double N, double *lo, double *hi)
{
    *lo = *hi = 0;
    if (df < 1)
        return;
    if (nchisq(X2, df, 0, false) - 0.95 >= 0) {
        double l = nc_solve(X2, df, 0.95, 0, X2);
        *lo = sqrt(l / (N * df));
    }
    double NR = N > 4 * X2 ? N : 4 * X2;
    if (!(nchisq(X2, df, NR, false) - 0.05 > 0) && !(nchisq(X2, df, 0, false) - 0.05 < 0)) {
        double u = nc_solve(X2, df, 0.05, 0, NR);
        *hi = sqrt(u / (N * df));
    }
}

/* ---- the workspace -------------------------------------------------------------- */

enum { V_E, V_M, V_L }; /* unit vector e_j, column m_f of M, column l_f of Lambda */

typedef struct {
    unsigned char kind;
    size_t i;
} vec;

typedef struct {
    egdi_cfa_op op;
    size_t a, b;
    vec u, v;
    double c;
} par;

/* Bilinear forms x'Xy for x, y among the e_j, m_f, l_f. */
typedef struct {
    const double *X; /* p x p */
    double *XM, *XL; /* p x m */
    double *MXM, *MXL, *LXL; /* m x m; MXL[f][g] = m_f' X l_g */
} forms;

typedef struct {
    size_t p, m, q;
    double N;
    const double *S;
    double logdetS;
    double *lambda, *phi, *theta; /* the current parameters */
    par *par;                     /* q free parameters */
    double *Sigma, *A, *E, *D, *tmp; /* p x p */
    double *M;                    /* p x m */
    forms fa, fe;
    double *g, *I, *H, *step, *save; /* q, q x q, q x q, q, q */
    gsl_matrix *chol;             /* p x p: Cholesky factor of Sigma */
} work;

static void work_free(work *w)
{
    free(w->lambda);
    free(w->phi);
    free(w->theta);
    free(w->par);
    free(w->Sigma);
    free(w->A);
    free(w->E);
    free(w->D);
    free(w->tmp);
    free(w->M);
    free(w->fa.XM);
    free(w->fa.XL);
    free(w->fa.MXM);
    free(w->fa.MXL);
    free(w->fa.LXL);
    free(w->fe.XM);
    free(w->fe.XL);
    free(w->fe.MXM);
    free(w->fe.MXL);
    free(w->fe.LXL);
    free(w->g);
    free(w->I);
    free(w->H);
    free(w->step);
    free(w->save);
    if (w->chol)
        gsl_matrix_free(w->chol);
}

static bool forms_alloc(forms *f, size_t p, size_t m)
{
    f->XM = malloc(p * m * sizeof *f->XM);
    f->XL = malloc(p * m * sizeof *f->XL);
    f->MXM = malloc(m * m * sizeof *f->MXM);
    f->MXL = malloc(m * m * sizeof *f->MXL);
    f->LXL = malloc(m * m * sizeof *f->LXL);
    return f->XM && f->XL && f->MXM && f->MXL && f->LXL;
}

static bool work_alloc(work *w, size_t p, size_t m, size_t q)
{
    memset(w, 0, sizeof *w);
    w->p = p;
    w->m = m;
    w->q = q;
    size_t pp = p * p;
    w->lambda = calloc(p * m, sizeof *w->lambda);
    w->phi = calloc(m * m, sizeof *w->phi);
    w->theta = calloc(p, sizeof *w->theta);
    w->par = calloc(q ? q : 1, sizeof *w->par);
    w->Sigma = malloc(pp * sizeof *w->Sigma);
    w->A = malloc(pp * sizeof *w->A);
    w->E = malloc(pp * sizeof *w->E);
    w->D = malloc(pp * sizeof *w->D);
    w->tmp = malloc(pp * sizeof *w->tmp);
    w->M = malloc(p * m * sizeof *w->M);
    w->g = malloc((q ? q : 1) * sizeof *w->g);
    w->I = malloc((q ? q * q : 1) * sizeof *w->I);
    w->H = malloc((q ? q * q : 1) * sizeof *w->H);
    w->step = malloc((q ? q : 1) * sizeof *w->step);
    w->save = malloc((q ? q : 1) * sizeof *w->save);
    w->chol = gsl_matrix_alloc(p, p);
    w->fa.X = w->A;
    w->fe.X = w->E;
    return w->lambda && w->phi && w->theta && w->par && w->Sigma && w->A && w->E && w->D &&
           w->tmp && w->M && w->g && w->I && w->H && w->step && w->save && w->chol &&
           forms_alloc(&w->fa, p, m) && forms_alloc(&w->fe, p, m);
}

/* ---- parameters ------------------------------------------------------------------ */

static double par_get(const work *w, const par *k)
{
    switch (k->op) {
    case EGDI_CFA_LOADING:
        return w->lambda[k->b * w->m + k->a];
    case EGDI_CFA_RESIDUAL:
        return w->theta[k->a];
    case EGDI_CFA_FACTOR_COV:
        return w->phi[k->a * w->m + k->b];
    default:
        return 0;
    }
}

static void par_set(work *w, const par *k, double v)
{
    switch (k->op) {
    case EGDI_CFA_LOADING:
        w->lambda[k->b * w->m + k->a] = v;
        break;
    case EGDI_CFA_RESIDUAL:
        w->theta[k->a] = v;
        break;
    case EGDI_CFA_FACTOR_COV:
        w->phi[k->a * w->m + k->b] = w->phi[k->b * w->m + k->a] = v;
        break;
    default:
        break;
    }
}

/* The derivative's vectors of a parameter (see the top of the file). */
static par par_make(egdi_cfa_op op, size_t a, size_t b)
{
    par k = {op, a, b, {V_E, 0}, {V_E, 0}, 1.0};
    switch (op) {
    case EGDI_CFA_LOADING: /* factor a, item b */
        k.u = (vec){V_E, b};
        k.v = (vec){V_M, a};
        break;
    case EGDI_CFA_RESIDUAL:
        k.u = k.v = (vec){V_E, a};
        k.c = 0.5;
        break;
    case EGDI_CFA_FACTOR_COV:
        k.u = (vec){V_L, a};
        k.v = (vec){V_L, b};
        k.c = a == b ? 0.5 : 1.0;
        break;
    case EGDI_CFA_RESIDUAL_COV:
        k.u = (vec){V_E, a};
        k.v = (vec){V_E, b};
        break;
    }
    return k;
}

/* x' X y */
static double bil(const work *w, const forms *f, vec x, vec y)
{
    if (x.kind > y.kind) {
        vec t = x;
        x = y;
        y = t;
    }
    size_t p = w->p, m = w->m;
    switch (x.kind * 3 + y.kind) {
    case V_E * 3 + V_E:
        return f->X[x.i * p + y.i];
    case V_E * 3 + V_M:
        return f->XM[x.i * m + y.i];
    case V_E * 3 + V_L:
        return f->XL[x.i * m + y.i];
    case V_M * 3 + V_M:
        return f->MXM[x.i * m + y.i];
    case V_M * 3 + V_L:
        return f->MXL[x.i * m + y.i];
    default:
        return f->LXL[x.i * m + y.i];
    }
}

static double grad_of(const work *w, const par *k)
{
    return 2 * k->c * bil(w, &w->fe, k->u, k->v);
}

static double info_of(const work *w, const par *a, const par *b)
{
    return a->c * b->c *
           (bil(w, &w->fa, a->u, b->u) * bil(w, &w->fa, a->v, b->v) +
            bil(w, &w->fa, a->u, b->v) * bil(w, &w->fa, a->v, b->u));
}

/* ---- the model ------------------------------------------------------------------- */

/* C (r x c) = A (r x k) B (k x c), row-major. */
static void mul(const double *a, const double *b, double *c, size_t r, size_t k, size_t cc)
{
    for (size_t i = 0; i < r; i++) {
        double *ci = c + i * cc;
        for (size_t j = 0; j < cc; j++)
            ci[j] = 0;
        for (size_t t = 0; t < k; t++) {
            double v = a[i * k + t];
            if (v == 0)
                continue;
            const double *bt = b + t * cc;
            for (size_t j = 0; j < cc; j++)
                ci[j] += v * bt[j];
        }
    }
}

/* C (m x c) = A' B with A (k x m), B (k x c). */
static void tmul(const double *a, const double *b, double *c, size_t k, size_t m, size_t cc)
{
    memset(c, 0, m * cc * sizeof *c);
    for (size_t t = 0; t < k; t++)
        for (size_t i = 0; i < m; i++) {
            double v = a[t * m + i];
            if (v == 0)
                continue;
            for (size_t j = 0; j < cc; j++)
                c[i * cc + j] += v * b[t * cc + j];
        }
}

/* Sigma, its Cholesky factor, ln|Sigma| and A = Sigma^-1 from the current
 * parameters; false when Sigma is not positive definite. */
static bool implied(work *w, double *logdet)
{
    size_t p = w->p, m = w->m;
    mul(w->lambda, w->phi, w->M, p, m, m);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = 0;
            for (size_t f = 0; f < m; f++)
                v += w->M[i * m + f] * w->lambda[j * m + f];
            if (i == j)
                v += w->theta[i];
            w->Sigma[i * p + j] = w->Sigma[j * p + i] = v;
        }
    gsl_matrix_view sv = gsl_matrix_view_array(w->Sigma, p, p);
    gsl_matrix_memcpy(w->chol, &sv.matrix);
    if (gsl_linalg_cholesky_decomp1(w->chol) != GSL_SUCCESS)
        return false;
    double ld = 0;
    for (size_t i = 0; i < p; i++) {
        double d = gsl_matrix_get(w->chol, i, i);
        if (!(d > 0) || !isfinite(d))
            return false;
        ld += 2 * log(d);
    }
    *logdet = ld;
    if (gsl_linalg_cholesky_invert(w->chol) != GSL_SUCCESS)
        return false;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            w->A[i * p + j] = gsl_matrix_get(w->chol, i, j);
    return true;
}

/* F_ML at the current parameters; +inf when Sigma is not positive definite. */
static double objective(work *w)
{
    double ld;
    if (!implied(w, &ld))
        return INFINITY;
    double tr = 0;
    size_t pp = w->p * w->p;
    for (size_t k = 0; k < pp; k++)
        tr += w->A[k] * w->S[k];
    double F = ld + tr - w->logdetS - (double)w->p;
    return isfinite(F) ? F : INFINITY;
}

static void forms_fill(work *w, forms *f)
{
    size_t p = w->p, m = w->m;
    mul(f->X, w->M, f->XM, p, p, m);
    mul(f->X, w->lambda, f->XL, p, p, m);
    tmul(w->M, f->XM, f->MXM, p, m, m);
    tmul(w->M, f->XL, f->MXL, p, m, m);
    tmul(w->lambda, f->XL, f->LXL, p, m, m);
}

/* The gradient g and the information I (q x q) of the free parameters at
 * the parameters implied() last saw. */
static void derivs(work *w)
{
    size_t p = w->p, q = w->q;
    for (size_t k = 0; k < p * p; k++)
        w->D[k] = w->Sigma[k] - w->S[k];
    mul(w->A, w->D, w->tmp, p, p, p);
    mul(w->tmp, w->A, w->E, p, p, p);
    forms_fill(w, &w->fa);
    forms_fill(w, &w->fe);
    for (size_t a = 0; a < q; a++) {
        w->g[a] = grad_of(w, &w->par[a]);
        for (size_t b = 0; b <= a; b++)
            w->I[a * q + b] = w->I[b * q + a] = info_of(w, &w->par[a], &w->par[b]);
    }
}

/*
 * Cholesky factor (lower, row-major, in place) of the information scaled
 * to unit diagonal (dscale[k] = 1 / sqrt(I_kk)), plus ridge on the
 * diagonal (0 but on the way to the optimum): SIZE_MAX, or the first
 * parameter whose pivot falls below SINGULAR_PIVOT (a linear combination
 * of the parameters before it: not identified).
 */
static size_t info_factor(work *w, double *dscale, double ridge)
{
    size_t q = w->q;
    double *h = w->H;
    for (size_t a = 0; a < q; a++) {
        double d = w->I[a * q + a];
        if (!(d > 0) || !isfinite(d))
            return a;
        dscale[a] = 1 / sqrt(d);
    }
    for (size_t a = 0; a < q; a++)
        for (size_t b = 0; b < q; b++)
            h[a * q + b] = w->I[a * q + b] * dscale[a] * dscale[b] + (a == b ? ridge : 0);
    for (size_t j = 0; j < q; j++) {
        for (size_t i = j; i < q; i++) {
            double v = h[i * q + j];
            for (size_t k = 0; k < j; k++)
                v -= h[i * q + k] * h[j * q + k];
            if (i == j) {
                if (!(v > SINGULAR_PIVOT))
                    return j;
                v = sqrt(v);
            } else {
                v /= h[j * q + j];
            }
            h[i * q + j] = v;
        }
    }
    return SIZE_MAX;
}

/* x = (L L')^-1 b in the scaled metric: solves I x = b with the factor of
 * info_factor (b and x may be the same array). */
static void info_solve(const work *w, const double *dscale, const double *b, double *x)
{
    size_t q = w->q;
    const double *h = w->H;
    for (size_t i = 0; i < q; i++)
        x[i] = b[i] * dscale[i];
    for (size_t i = 0; i < q; i++) {
        double v = x[i];
        for (size_t k = 0; k < i; k++)
            v -= h[i * q + k] * x[k];
        x[i] = v / h[i * q + i];
    }
    for (size_t i = q; i-- > 0;) {
        double v = x[i];
        for (size_t k = i + 1; k < q; k++)
            v -= h[k * q + i] * x[k];
        x[i] = v / h[i * q + i];
    }
    for (size_t i = 0; i < q; i++)
        x[i] *= dscale[i];
}

/* x = L^-1 D b with L the factor of info_factor and D = diag(dscale):
 * b' I^-1 b = |x|^2 (b and x may be the same array). */
static void info_half(const work *w, const double *dscale, const double *b, double *x)
{
    size_t q = w->q;
    const double *h = w->H;
    for (size_t i = 0; i < q; i++) {
        double v = b[i] * dscale[i];
        for (size_t k = 0; k < i; k++)
            v -= h[i * q + k] * x[k];
        x[i] = v / h[i * q + i];
    }
}

/* ---- starting values ------------------------------------------------------------- */

/* Loadings from the first principal axis of each factor's items (an item
 * of several factors at half its loading on the later ones), residual
 * variances from what is left (at least a tenth of the variance), factor
 * covariances from the correlations of the factors' unit-weighted sums. */
static egdi_status start(work *w, const egdi_cfa_model *m, bool std_lv, egdi_error *err)
{
    size_t p = w->p, nf = w->m;
    bool *seen = calloc(p, sizeof *seen);
    double *sum = calloc(nf * nf, sizeof *sum);
    if (!seen || !sum) {
        free(seen);
        free(sum);
        return nomem(err);
    }
    egdi_status st = EGDI_OK;
    for (size_t j = 0; j < p; j++)
        w->theta[j] = 0.5 * w->S[j * p + j];
    for (size_t f = 0; f < nf; f++) {
        const egdi_cfa_factor *fc = &m->factor[f];
        size_t k = fc->n;
        gsl_matrix *sf = gsl_matrix_alloc(k, k), *ev = gsl_matrix_alloc(k, k);
        gsl_vector *val = gsl_vector_alloc(k);
        gsl_eigen_symmv_workspace *ew = gsl_eigen_symmv_alloc(k);
        if (!sf || !ev || !val || !ew) {
            st = nomem(err);
        } else {
            for (size_t a = 0; a < k; a++)
                for (size_t b = 0; b < k; b++)
                    gsl_matrix_set(sf, a, b, w->S[fc->item[a] * p + fc->item[b]]);
            gsl_eigen_symmv(sf, val, ev, ew);
            gsl_eigen_symmv_sort(val, ev, GSL_EIGEN_SORT_VAL_DESC);
            double d = gsl_vector_get(val, 0), vsum = 0;
            double root = sqrt(d > 0 ? d : 0);
            for (size_t a = 0; a < k; a++)
                vsum += gsl_matrix_get(ev, a, 0);
            double sign = vsum < 0 ? -1 : 1;
            double l0 = sign * root * gsl_matrix_get(ev, 0, 0);
            size_t r0 = fc->item[0];
            bool marker_ok = fabs(l0) > 1e-8 * sqrt(w->S[r0 * p + r0]);
            for (size_t a = 0; a < k; a++) {
                size_t j = fc->item[a];
                double l = sign * root * gsl_matrix_get(ev, a, 0);
                double lam = std_lv ? l : marker_ok ? l / l0 : 1.0;
                if (seen[j] && (a > 0 || std_lv))
                    lam *= 0.5; /* the item's variance is shared with its other factor */
                w->lambda[j * nf + f] = lam;
                if (!seen[j]) {
                    double v = w->S[j * p + j], r = v - l * l;
                    w->theta[j] = r > 0.1 * v ? r : 0.1 * v;
                    seen[j] = true;
                }
            }
            w->phi[f * nf + f] = std_lv ? 1.0 : marker_ok ? l0 * l0 : 0.05 * w->S[r0 * p + r0];
        }
        gsl_matrix_free(sf);
        gsl_matrix_free(ev);
        gsl_vector_free(val);
        gsl_eigen_symmv_free(ew);
        if (st != EGDI_OK)
            break;
    }
    /* covariances of the unit-weighted sums of the factors' items */
    for (size_t f = 0; st == EGDI_OK && f < nf; f++)
        for (size_t g = 0; g <= f; g++) {
            double v = 0;
            for (size_t a = 0; a < m->factor[f].n; a++)
                for (size_t b = 0; b < m->factor[g].n; b++)
                    v += w->S[m->factor[f].item[a] * p + m->factor[g].item[b]];
            sum[f * nf + g] = sum[g * nf + f] = v;
        }
    for (size_t f = 0; st == EGDI_OK && f < nf; f++)
        for (size_t g = 0; g < f; g++) {
            double d = sum[f * nf + f] * sum[g * nf + g];
            double r = d > 0 ? sum[f * nf + g] / sqrt(d) : 0;
            double v = r * sqrt(fabs(w->phi[f * nf + f] * w->phi[g * nf + g]));
            w->phi[f * nf + g] = w->phi[g * nf + f] = v;
        }
    free(seen);
    free(sum);
    return st;
}

/* ---- the fit -------------------------------------------------------------------- */

/* The free parameters in lavaan's order, and the fixed ones' values. */
static size_t list_params(const egdi_cfa_model *m, bool std_lv, egdi_cfa_param *out)
{
    size_t k = 0;
    for (size_t f = 0; f < m->nfactors; f++)
        for (size_t t = 0; t < m->factor[f].n; t++) {
            if (out)
                out[k] = (egdi_cfa_param){EGDI_CFA_LOADING, f, m->factor[f].item[t],
                                          std_lv || t > 0, 0, NAN, NAN, NAN, NAN};
            k++;
        }
    for (size_t j = 0; j < m->nitems; j++) {
        if (out)
            out[k] = (egdi_cfa_param){EGDI_CFA_RESIDUAL, j, j, true, 0, NAN, NAN, NAN, NAN};
        k++;
    }
    for (size_t f = 0; f < m->nfactors; f++) {
        if (out)
            out[k] = (egdi_cfa_param){EGDI_CFA_FACTOR_COV, f, f, !std_lv, 0, NAN, NAN, NAN, NAN};
        k++;
    }
    for (size_t f = 0; f < m->nfactors; f++)
        for (size_t g = f + 1; g < m->nfactors; g++) {
            if (out)
                out[k] = (egdi_cfa_param){EGDI_CFA_FACTOR_COV, f, g, true, 0, NAN, NAN, NAN, NAN};
            k++;
        }
    return k;
}

static const char *par_text(const egdi_cfa_model *m, const par *k, char *buf, size_t size)
{
    egdi_cfa_param_name(m, k->op, k->a, k->b, buf, size);
    return buf;
}

static egdi_status not_identified(const egdi_cfa_model *m, const work *w, size_t bad,
                                  egdi_error *err)
{
    char nb[2 * EGDI_CFA_NAME_MAX + 8];
    return egdi_error_set(err, EGDI_ERR_NUMERIC,
                          "the model is not identified: the information matrix is singular at "
                          "%s (it is determined by the parameters before it); fix a loading or "
                          "drop the factor",
                          par_text(m, &w->par[bad], nb, sizeof nb));
}

/* Fisher scoring from the starting values to convergence. */
static egdi_status iterate(work *w, const egdi_cfa_model *m, double tol, unsigned max_iter,
                           unsigned *iterations, double *dscale, egdi_error *err)
{
    double F = objective(w);
    if (!isfinite(F)) {
        /* a start that is not positive definite: no factor covariances */
        for (size_t f = 0; f < w->m; f++)
            for (size_t g = 0; g < w->m; g++)
                if (f != g)
                    w->phi[f * w->m + g] = 0;
        F = objective(w);
        if (!isfinite(F))
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "cannot start: the starting values give a covariance matrix "
                                  "that is not positive definite");
    }
    for (unsigned it = 0;; it++) {
        derivs(w);
        /* on the way, a (near-)singular information gets a ridge (a
         * Levenberg-Marquardt step); at the optimum it must be regular */
        size_t bad = info_factor(w, dscale, 0);
        double ridge = 0;
        for (double r = RIDGE_MIN; bad != SIZE_MAX && ridge == 0 && r <= RIDGE_MAX; r *= 100)
            if (info_factor(w, dscale, r) == SIZE_MAX)
                ridge = r;
        if (bad != SIZE_MAX && ridge == 0)
            return not_identified(m, w, bad, err);
        info_solve(w, dscale, w->g, w->step);
        double dec = 0;
        for (size_t a = 0; a < w->q; a++) {
            w->step[a] *= -0.5; /* -(2I)^-1 g */
            dec -= w->g[a] * w->step[a];
        }
        if (dec < tol) {
            if (ridge > 0)
                return not_identified(m, w, bad, err);
            *iterations = it;
            return EGDI_OK;
        }
        if (it >= max_iter)
            return egdi_error_set(err, EGDI_ERR_CONVERGE,
                                  "no convergence after %u iterations (the last scoring step "
                                  "would still lower F_ML by about %.3g)",
                                  it, dec / 2);
        for (size_t a = 0; a < w->q; a++)
            w->save[a] = par_get(w, &w->par[a]);
        double t = 1, Fn = INFINITY;
        bool ok = false;
        for (int h = 0; h < MAX_HALVINGS; h++, t *= 0.5) {
            for (size_t a = 0; a < w->q; a++)
                par_set(w, &w->par[a], w->save[a] + t * w->step[a]);
            Fn = objective(w);
            /* near the optimum the full scoring step is taken as it is:
             * F_ML cannot resolve changes below its rounding (~1e-15) */
            if (Fn <= F - ARMIJO * t * dec || (h == 0 && dec < FULL_STEP && isfinite(Fn))) {
                ok = true;
                break;
            }
        }
        if (!ok) {
            for (size_t a = 0; a < w->q; a++)
                par_set(w, &w->par[a], w->save[a]);
            (void)objective(w);
            if (dec < ROUNDOFF_DECREMENT) { /* at the limit of double precision */
                derivs(w);
                if (info_factor(w, dscale, 0) != SIZE_MAX)
                    return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                          "the model is not identified: the information "
                                          "matrix is singular");
                *iterations = it;
                return EGDI_OK;
            }
            return egdi_error_set(err, EGDI_ERR_CONVERGE,
                                  "no convergence after %u iterations: no step along the "
                                  "scoring direction lowers F_ML",
                                  it + 1);
        }
        F = Fn;
    }
}

/* The sample covariances with divisor N, their ln|S| and a check that S is
 * positive definite (naming the item when not). */
static egdi_status sample(const egdi_cfa_model *m, const egdi_cov *c, double *S, double *logdet,
                          egdi_error *err)
{
    size_t p = c->p;
    double f = ((double)c->n - 1) / (double)c->n;
    for (size_t k = 0; k < p * p; k++)
        S[k] = c->cov[k] * f;
    double *r = malloc(p * p * sizeof *r);
    gsl_matrix *l = gsl_matrix_alloc(p, p);
    if (!r || !l) {
        free(r);
        if (l)
            gsl_matrix_free(l);
        return nomem(err);
    }
    double lsd = 0;
    egdi_status st = EGDI_OK;
    for (size_t j = 0; j < p; j++) {
        if (!(S[j * p + j] > 0)) {
            st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                "item %s has zero variance (every respondent gave the same "
                                "answer): the covariance matrix is not positive definite",
                                m->item[j]);
            goto done;
        }
        lsd += log(S[j * p + j]);
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            r[i * p + j] = S[i * p + j] / sqrt(S[i * p + i] * S[j * p + j]);
    double ldr;
    if ((st = egdi_fa_cholesky(r, p, (const char *const *)m->item, l, &ldr, err)) != EGDI_OK) {
        char msg[EGDI_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err ? err->message : "");
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "the covariance matrix of the items is not positive definite: %s",
                            msg);
        goto done;
    }
    *logdet = ldr + lsd;
done:
    free(r);
    gsl_matrix_free(l);
    return st;
}

static egdi_status identified(const egdi_cfa_model *m, size_t q, egdi_error *err)
{
    for (size_t f = 0; f < m->nfactors; f++)
        if (m->factor[f].n < 2)
            return egdi_error_set(err, EGDI_ERR_MODEL,
                                  "the model is not identified: factor %s has one item (%s); a "
                                  "factor needs at least two, three when it stands alone",
                                  m->factor[f].name,
                                  m->factor[f].n ? m->item[m->factor[f].item[0]] : "none");
    double moments = (double)m->nitems * ((double)m->nitems + 1) / 2;
    if ((double)q > moments)
        return egdi_error_set(err, EGDI_ERR_MODEL,
                              "the model is not identified: %zu free parameters but %.0f "
                              "variances and covariances (df = %.0f < 0)",
                              q, moments, moments - (double)q);
    return EGDI_OK;
}

/* The standardized solution, factor correlations and the warnings. */
static egdi_status standardize(const work *w, egdi_cfa_result *r, egdi_error *err)
{
    size_t p = w->p, m = w->m;
    r->heywood = malloc(p * sizeof *r->heywood);
    r->neg_factor = malloc(m * sizeof *r->neg_factor);
    if (!r->heywood || !r->neg_factor)
        return nomem(err);
    for (size_t f = 0; f < m; f++) {
        if (!(w->phi[f * m + f] > 0))
            r->neg_factor[r->nneg_factor++] = f;
        for (size_t g = 0; g < m; g++) {
            double d = w->phi[f * m + f] * w->phi[g * m + g];
            r->phi_cor[f * m + g] = d > 0 ? w->phi[f * m + g] / sqrt(d) : NAN;
        }
    }
    for (size_t j = 0; j < p; j++) {
        if (w->theta[j] < 0)
            r->heywood[r->nheywood++] = j;
        double sj = w->Sigma[j * p + j];
        for (size_t f = 0; f < m; f++) {
            double pf = w->phi[f * m + f];
            r->std_lambda[j * m + f] =
                pf > 0 && sj > 0 ? w->lambda[j * m + f] * sqrt(pf) / sqrt(sj) : NAN;
        }
    }
    for (size_t k = 0; k < r->nparams; k++) {
        egdi_cfa_param *t = &r->param[k];
        switch (t->op) {
        case EGDI_CFA_LOADING:
            t->std_all = r->std_lambda[t->b * m + t->a];
            break;
        case EGDI_CFA_RESIDUAL: {
            double sj = w->Sigma[t->a * p + t->a];
            t->std_all = sj > 0 ? w->theta[t->a] / sj : NAN;
            break;
        }
        default:
            t->std_all = r->phi_cor[t->a * m + t->b];
            break;
        }
    }
    return EGDI_OK;
}

static void fit_indices(const work *w, double F, egdi_cfa_result *r)
{
    egdi_cfa_fit *x = &r->fit;
    size_t p = w->p;
    double N = w->N, pd = (double)p;
    double nel = pd * (pd + 1) / 2;
    x->npar = w->q;
    x->fmin = F / 2;
    x->chisq = N * F;
    x->df = nel - (double)w->q;
    x->pvalue = x->df > 0 ? gsl_cdf_chisq_Q(x->chisq, x->df) : NAN;
    double lsd = 0;
    for (size_t j = 0; j < p; j++)
        lsd += log(w->S[j * p + j]);
    x->baseline_chisq = N * (lsd - w->logdetS);
    x->baseline_df = pd * (pd - 1) / 2;
    x->baseline_pvalue =
        x->baseline_df > 0 ? gsl_cdf_chisq_Q(x->baseline_chisq, x->baseline_df) : NAN;
    /* lav_fit_cfi */
    double t1 = fmax(x->chisq - x->df, 0);
    double t2 = fmax(fmax(x->chisq - x->df, x->baseline_chisq - x->baseline_df), 0);
    x->cfi = fabs(t1) < 1.5e-8 && fabs(t2) < 1.5e-8 ? 1.0 : 1 - t1 / t2;
    /* lav_fit_nnfi */
    double u1 = (x->chisq - x->df) * x->baseline_df;
    double u2 = (x->baseline_chisq - x->baseline_df) * x->df;
    x->tli = x->df > 0 && fabs(u2) > 0 ? 1 - u1 / u2 : 1.0;
    /* lav_fit_rmsea, lav_fit_rmsea_ci, lav_fit_rmsea_closefit */
    x->rmsea = x->df > 0 ? sqrt(fmax(x->chisq / N / x->df - 1 / N, 0)) : 0;
    rmsea_ci(x->chisq, x->df, N, &x->rmsea_lo, &x->rmsea_hi);
    x->rmsea_pvalue =
        x->df > 0 ? nchisq(x->chisq, x->df, N * x->df * RMSEA_H0 * RMSEA_H0, true) : NAN;
    /* srmr_bentler; gfi with lavaan's ML weight (Sigma^-1, structured) */
    double ss = 0, trd = 0, trs = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j <= i; j++) {
            double d = (w->S[i * p + j] - w->Sigma[i * p + j]) /
                       sqrt(w->S[i * p + i] * w->S[j * p + j]);
            ss += d * d;
        }
    x->srmr = sqrt(ss / nel);
    double *AD = w->tmp; /* A (S - Sigma) */
    double *AS = w->D;   /* A S */
    for (size_t k = 0; k < p * p; k++)
        w->E[k] = w->S[k] - w->Sigma[k];
    mul(w->A, w->E, AD, p, p, p);
    mul(w->A, w->S, AS, p, p, p);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            trd += AD[i * p + j] * AD[j * p + i];
            trs += AS[i * p + j] * AS[j * p + i];
        }
    x->gfi = 1 - trd / trs;
    x->agfi = x->df > 0 ? 1 - nel / x->df * (1 - x->gfi) : NAN;
    /* lav_fit_aic: the log-likelihoods of the model and of the saturated one */
    double c = pd * log(2 * M_PI);
    x->logl = -N / 2 * (c + w->logdetS + pd + F);
    x->unrestricted_logl = -N / 2 * (c + w->logdetS + pd);
    x->aic = -2 * x->logl + 2 * (double)w->q;
    x->bic = -2 * x->logl + (double)w->q * log(N);
}

static int mi_cmp(const void *a, const void *b)
{
    const egdi_cfa_mi *x = a, *y = b;
    if (x->mi != y->mi)
        return x->mi < y->mi ? 1 : -1;
    return 0;
}

/* lavaan::modindices: every loading and residual covariance not in the
 * model, at the solution (derivs() and info_factor() already done there). */
static egdi_status mod_indices(work *w, const egdi_cfa_model *m, const double *dscale,
                               egdi_cfa_result *r, egdi_error *err)
{
    size_t p = w->p, nf = w->m, q = w->q;
    if (p > EGDI_CFA_MI_MAX_ITEMS) {
        r->mi_skipped = true;
        return EGDI_OK;
    }
    size_t cap = p * nf + p * (p - 1) / 2;
    r->mi = malloc((cap ? cap : 1) * sizeof *r->mi);
    double *row = malloc((q ? q : 1) * sizeof *row), *x = malloc((q ? q : 1) * sizeof *x);
    if (!r->mi || !row || !x) {
        free(row);
        free(x);
        return nomem(err);
    }
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t a = 0; a < (pass ? p : nf); a++)
            for (size_t b = pass ? a + 1 : 0; b < p; b++) {
                if (!pass) {
                    bool in = false;
                    for (size_t t = 0; t < m->factor[a].n && !in; t++)
                        in = m->factor[a].item[t] == b;
                    if (in)
                        continue;
                }
                par e = par_make(pass ? EGDI_CFA_RESIDUAL_COV : EGDI_CFA_LOADING, a, b);
                double ge = grad_of(w, &e) / 2; /* lavaan's objective is F_ML / 2 */
                for (size_t k = 0; k < q; k++)
                    row[k] = info_of(w, &e, &w->par[k]);
                info_half(w, dscale, row, x);
                double V = info_of(w, &e, &e);
                for (size_t k = 0; k < q; k++)
                    V -= x[k] * x[k];
                if (!(V >= MI_V_MIN))
                    continue; /* lavaan leaves these NA */
                egdi_cfa_mi *t = &r->mi[r->nmi++];
                t->op = e.op;
                t->a = a;
                t->b = b;
                t->mi = w->N * ge * ge / V;
                t->epc = -ge / V;
                if (pass) {
                    double d = w->theta[a] * w->theta[b];
                    t->sepc_all = d > 0 ? t->epc / sqrt(d) : NAN;
                } else {
                    double pf = w->phi[a * nf + a], sj = w->Sigma[b * p + b];
                    t->sepc_all = pf > 0 && sj > 0 ? t->epc * sqrt(pf) / sqrt(sj) : NAN;
                }
            }
    free(row);
    free(x);
    /* largest first; equal ones keep lavaan's order (qsort is not stable:
     * order by the position first) */
    for (size_t k = 1; k < r->nmi; k++) {
        egdi_cfa_mi t = r->mi[k];
        size_t j = k;
        while (j > 0 && mi_cmp(&r->mi[j - 1], &t) > 0) {
            r->mi[j] = r->mi[j - 1];
            j--;
        }
        r->mi[j] = t;
    }
    return EGDI_OK;
}

egdi_status egdi_cfa_estimate(const egdi_cfa_model *m, const egdi_cov *c,
                              const egdi_cfa_options *o, egdi_cfa_result *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_cfa_options def;
    if (!o) {
        egdi_cfa_options_init(&def);
        o = &def;
    }
    double tol = o->tol > 0 ? o->tol : EGDI_CFA_TOL;
    unsigned max_iter = o->max_iter ? o->max_iter : EGDI_CFA_MAX_ITER;
    size_t p = m->nitems, nf = m->nfactors;
    if (c->p != p || p == 0 || nf == 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "cfa: %zu covariances for a model of %zu items",
                              c->p, p);
    if (c->n < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "cfa: %zu respondent(s): too few", c->n);
    work w;
    double *S = malloc(p * p * sizeof *S), *dscale = NULL;
    size_t nparams = list_params(m, o->std_lv, NULL);
    egdi_status st;
    out->param = malloc(nparams * sizeof *out->param);
    if (!S || !out->param) {
        free(S);
        egdi_cfa_result_release(out);
        return nomem(err);
    }
    out->nparams = list_params(m, o->std_lv, out->param);
    size_t q = 0;
    for (size_t k = 0; k < nparams; k++)
        q += out->param[k].free;
    if (!work_alloc(&w, p, nf, q) || !(dscale = malloc((q ? q : 1) * sizeof *dscale))) {
        st = nomem(err);
        goto fail;
    }
    if ((st = identified(m, q, err)) != EGDI_OK ||
        (st = sample(m, c, S, &w.logdetS, err)) != EGDI_OK)
        goto fail;
    w.S = S;
    w.N = (double)c->n;
    for (size_t k = 0, a = 0; k < nparams; k++)
        if (out->param[k].free)
            w.par[a++] = par_make(out->param[k].op, out->param[k].a, out->param[k].b);
    if ((st = start(&w, m, o->std_lv, err)) != EGDI_OK)
        goto fail;
    /* fixed values: marker loadings 1 (start() set them), or variances 1 */
    if ((st = iterate(&w, m, tol, max_iter, &out->iterations, dscale, err)) != EGDI_OK)
        goto fail;
    double F = objective(&w);
    derivs(&w);
    if (info_factor(&w, dscale, 0) != SIZE_MAX) {
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "the model is not identified: the information matrix is singular");
        goto fail;
    }
    out->model = m;
    out->n = c->n;
    out->p = p;
    out->m = nf;
    out->std_lv = o->std_lv;
    out->lambda = malloc(p * nf * sizeof *out->lambda);
    out->phi = malloc(nf * nf * sizeof *out->phi);
    out->theta = malloc(p * sizeof *out->theta);
    out->std_lambda = malloc(p * nf * sizeof *out->std_lambda);
    out->phi_cor = malloc(nf * nf * sizeof *out->phi_cor);
    out->implied = malloc(p * p * sizeof *out->implied);
    out->sample = S;
    S = NULL;
    double *cov = malloc((q ? q * q : 1) * sizeof *cov), *e = malloc((q ? q : 1) * sizeof *e);
    if (!out->lambda || !out->phi || !out->theta || !out->std_lambda || !out->phi_cor ||
        !out->implied || !cov || !e) {
        free(cov);
        free(e);
        st = nomem(err);
        goto fail;
    }
    memcpy(out->lambda, w.lambda, p * nf * sizeof *out->lambda);
    memcpy(out->phi, w.phi, nf * nf * sizeof *out->phi);
    memcpy(out->theta, w.theta, p * sizeof *out->theta);
    memcpy(out->implied, w.Sigma, p * p * sizeof *out->implied);
    /* standard errors: the diagonal of (N I)^-1, column by column */
    for (size_t a = 0; a < q; a++) {
        for (size_t k = 0; k < q; k++)
            e[k] = k == a ? 1.0 : 0.0;
        info_solve(&w, dscale, e, e);
        cov[a] = e[a] / w.N;
    }
    for (size_t k = 0, a = 0; k < nparams; k++) {
        egdi_cfa_param *t = &out->param[k];
        par pk = par_make(t->op, t->a, t->b);
        t->est = par_get(&w, &pk);
        if (!t->free)
            continue;
        t->se = cov[a] > 0 ? sqrt(cov[a]) : NAN;
        t->z = t->est / t->se;
        t->p = 2 * gsl_cdf_ugaussian_Q(fabs(t->z));
        a++;
    }
    free(cov);
    free(e);
    if ((st = standardize(&w, out, err)) != EGDI_OK)
        goto fail;
    fit_indices(&w, F, out);
    /* fit_indices() used E and D as scratch: the forms of A are intact, and
     * the modification indices need only those and the gradient forms */
    derivs(&w);
    if ((st = mod_indices(&w, m, dscale, out, err)) != EGDI_OK)
        goto fail;
    work_free(&w);
    free(dscale);
    return EGDI_OK;
fail:
    work_free(&w);
    free(dscale);
    free(S);
    egdi_cfa_result_release(out);
    return st;
}

egdi_status egdi_cfa_dataset_cov(const egdi_dataset *ds, const egdi_cfa_model *m, egdi_cov *out,
                                 size_t *n_read, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    size_t p = m->nitems;
    size_t *cols = malloc((p ? p : 1) * sizeof *cols);
    if (!cols)
        return nomem(err);
    egdi_item_matrix mat;
    memset(&mat, 0, sizeof mat);
    egdi_status st;
    if ((st = egdi_cfa_model_columns(m, ds, cols, err)) != EGDI_OK ||
        (st = egdi_dataset_matrix(ds, cols, p, EGDI_LISTWISE, &mat, err)) != EGDI_OK)
        goto done;
    if (n_read)
        *n_read = mat.n_read;
    if (mat.n <= p) {
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "%s: %zu complete respondents (of %zu) for %zu items: the "
                            "covariance matrix needs more respondents than items",
                            ds->source, mat.n, mat.n_read, p);
        goto done;
    }
    st = egdi_cov_compute(mat.x, mat.n, p, false, mat.names, out, err);
done:
    egdi_dataset_matrix_release(&mat);
    free(cols);
    return st;
}
