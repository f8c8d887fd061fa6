/*
 * Unit tests for surveys/cfa_model.h (the model text) and surveys/cfa.h
 * (ML estimation, fit indices, standard errors, modification indices)
 * against lavaan.
 *
 * Reference numbers: tests/r/cfa_ref.out, written by tests/r/cfa_ref.R
 * (lavaan 0.6-14) from tests/data/survey/hs1939.csv (HolzingerSwineford1939
 * x1-x9) and bfi25.csv (psych::bfi, reverse keys scored 7 - x).  The R calls:
 *   <set>.chisq ... .ntotal  lavaan::fitMeasures(fit, ...)
 *   <set>.par.L op R         lavaan::parameterEstimates(fit, standardized =
 *                            TRUE): est se z pvalue std.all
 *   <set>.mi.L op R          lavaan::modindices(fit): mi epc sepc.all
 *   <set>.implied            fitted(fit)$cov
 *   <set>.rmsea.ci.tight     lavaan's RMSEA interval with uniroot tol 1e-14
 *   nchisq.*                 stats::pchisq(x, df, ncp)
 * where fit = lavaan::cfa(model, data) with every default (ML, likelihood
 * "normal", expected information, first loading fixed) refitted to the
 * optimum (optim.method = "BFGS", reltol 1e-16): compared at 1e-6 (fit
 * indices, estimates, std.all; relative above 1) and 1e-5 (standard errors,
 * z); "hs.def.*" are lavaan's own nlminb stop (rel.tol 1e-10, ~1e-6 from
 * the optimum), compared at 1e-5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "cfa_fixture.h"

/* ---- the model text ---------------------------------------------------- */

static void parse_ok(const char *text, egdi_cfa_model *m)
{
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_cfa_model_parse(text, strlen(text), m, &err) != EGDI_OK)
        fail_msg("'%s': %s", text, err.message);
}

static void parse_fails(const char *text, egdi_status want, const char *msg)
{
    egdi_cfa_model m;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_cfa_model_parse(text, strlen(text), &m, &err);
    if (st != want || !strstr(err.message, msg))
        fail_msg("'%s': status %d, message '%s' (want '%s')", text, st, err.message, msg);
    assert_int_equal(m.nfactors, 0);
    assert_null(m.factor);
}

static void test_model_parse(void **state)
{
    (void)state;
    egdi_cfa_model m;
    /* lavaan's tutorial model, with a comment, blank lines and a
     * statement going on over lines after '+' and on a line that starts
     * with '+' */
    parse_ok("# HS\n visual  =~ x1 + x2 + x3   ! three items\n\n"
             "textual =~ x4 +\n   x5\n   + x6; speed =~ x7 + x8 + x9\n",
             &m);
    assert_int_equal(m.nfactors, 3);
    assert_int_equal(m.nitems, 9);
    assert_string_equal(m.factor[1].name, "textual");
    assert_int_equal(m.factor[1].n, 3);
    assert_string_equal(m.item[m.factor[1].item[2]], "x6");
    assert_string_equal(m.item[8], "x9");
    egdi_cfa_model_release(&m);
    /* a factor named twice gathers its items; a cross-loading; UTF-8 and
     * quoted names */
    parse_ok("满意度 =~ 题1 + 题2\n满意度 =~ \"Q-3\"; g =~ 题2 + b + c", &m);
    assert_int_equal(m.nfactors, 2);
    assert_int_equal(m.factor[0].n, 3);
    assert_string_equal(m.item[m.factor[0].item[2]], "Q-3");
    assert_int_equal(m.nitems, 5);
    assert_int_equal(m.factor[1].item[0], 1); /* 题2 on both factors */
    egdi_cfa_model_release(&m);
    egdi_cfa_model_release(&m); /* harmless twice */
}

static void test_model_parse_errors(void **state)
{
    (void)state;
    parse_fails("", EGDI_ERR_MODEL, "no 'factor =~ item + item' statement");
    parse_fails("# only a comment\n;;\n", EGDI_ERR_MODEL, "no 'factor =~");
    parse_fails("f =~ a + b\nf ~~ g", EGDI_ERR_MODEL, "model line 2: '~~' is not supported");
    parse_fails("y ~ f", EGDI_ERR_MODEL, "'~' (a regression) is not supported");
    parse_fails("f =~ 1*a + b + c", EGDI_ERR_MODEL, "modifiers such as 1*x1");
    parse_fails("f =~ a + b + a", EGDI_ERR_MODEL, "item a is listed twice under factor f");
    parse_fails("f =~ a + b\ng =~ f + c", EGDI_ERR_MODEL, "factor f is also used as an item");
    parse_fails("f a + b", EGDI_ERR_MODEL, "'f' is not followed by '=~'");
    parse_fails("=~ a", EGDI_ERR_MODEL, "'=~' without a factor name");
    parse_fails("f =~ a b", EGDI_ERR_MODEL, "items must be joined by '+'");
    parse_fails("f =~ a +\n", EGDI_ERR_MODEL, "factor f: an item name is missing");
    parse_fails("f =~ \"a", EGDI_ERR_MODEL, "no closing '\"'");
    parse_fails("f =~ a + b @ c", EGDI_ERR_MODEL, "unexpected '@'");
    parse_fails("p := a*b", EGDI_ERR_MODEL, "':=' (defined parameters)");
    /* limits */
    char *big = malloc(80 * 16 + 1);
    big[0] = '\0';
    for (int k = 0; k < 65; k++) {
        char s[32];
        snprintf(s, sizeof s, "f%d =~ a%d + b%d\n", k, k, k);
        strcat(big, s);
    }
    parse_fails(big, EGDI_ERR_LIMIT, "more than 64 factors");
    free(big);
    char name[300];
    memset(name, 'x', 299);
    name[299] = '\0';
    char text[400];
    snprintf(text, sizeof text, "f =~ %s + b", name);
    parse_fails(text, EGDI_ERR_LIMIT, "a name longer than 256 bytes");
    /* a file that is not there, named */
    egdi_cfa_model m;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_cfa_model_load("/nonexistent/model.txt", &m, &err), EGDI_ERR_IO);
    assert_non_null(strstr(err.message, "/nonexistent/model.txt"));
}

static void test_model_file(void **state)
{
    (void)state;
    char path[] = "/tmp/egdi-cfa-model-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("\xEF\xBB\xBF" "a =~ x1 + x2 + x3\nb =~ x4 + x5 ~ x6\n", f);
    fclose(f);
    egdi_cfa_model m;
    egdi_error err;
    egdi_error_clear(&err);
    /* errors in a file name the file and the line */
    assert_int_equal(egdi_cfa_model_load(path, &m, &err), EGDI_ERR_MODEL);
    assert_non_null(strstr(err.message, path));
    assert_non_null(strstr(err.message, "model line 2"));
    f = fopen(path, "w");
    fputs("\xEF\xBB\xBF" "a =~ x1 + x2 + x3\n", f);
    fclose(f);
    assert_int_equal(egdi_cfa_model_load(path, &m, &err), EGDI_OK);
    assert_string_equal(m.factor[0].name, "a"); /* the BOM is not part of the name */
    egdi_cfa_model_release(&m);
    remove(path);
}

/* ---- estimation against lavaan ------------------------------------------- */

static const char *op_text(egdi_cfa_op op)
{
    return op == EGDI_CFA_LOADING ? "=~" : "~~";
}

static void key_of(const egdi_cfa_model *m, egdi_cfa_op op, size_t a, size_t b, char *buf,
                   size_t size)
{
    const char *l = op == EGDI_CFA_LOADING || op == EGDI_CFA_FACTOR_COV ? m->factor[a].name
                                                                         : m->item[a];
    const char *r = op == EGDI_CFA_LOADING     ? m->item[b]
                    : op == EGDI_CFA_FACTOR_COV ? m->factor[b].name
                                                : m->item[b];
    snprintf(buf, size, "%s%s%s", l, op_text(op), r);
}

/* Every fit measure and parameter of f against set (fitMeasures,
 * parameterEstimates); tol for estimates and indices, setol for SEs. */
static void check_fit(const cfx_fit *f, const char *set, double tol, double setol)
{
    const egdi_cfa_fit *x = &f->r.fit;
    struct {
        const char *key;
        double v;
    } ms[] = {
        {"chisq", x->chisq},
        {"df", x->df},
        {"pvalue", x->pvalue},
        {"cfi", x->cfi},
        {"tli", x->tli},
        {"rmsea", x->rmsea},
        {"rmsea.pvalue", x->rmsea_pvalue},
        {"srmr", x->srmr},
        {"gfi", x->gfi},
        {"agfi", x->agfi},
        {"aic", x->aic},
        {"bic", x->bic},
        {"logl", x->logl},
        {"unrestricted.logl", x->unrestricted_logl},
        {"baseline.chisq", x->baseline_chisq},
        {"baseline.df", x->baseline_df},
        {"baseline.pvalue", x->baseline_pvalue},
        {"npar", (double)x->npar},
        {"fmin", x->fmin},
        {"ntotal", (double)f->r.n},
    };
    char what[160];
    for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++) {
        snprintf(what, sizeof what, "%s.%s", set, ms[k].key);
        cfx_near(ms[k].v, cfx_ref1(set, ms[k].key), tol, what);
    }
    /* lavaan's own interval stops uniroot at 1.2e-4 in ncp: within 1e-6 */
    snprintf(what, sizeof what, "%s.rmsea.ci", set);
    cfx_near(x->rmsea_lo, cfx_ref1(set, "rmsea.ci.lower"), 1e-6, what);
    cfx_near(x->rmsea_hi, cfx_ref1(set, "rmsea.ci.upper"), 1e-6, what);
    if (tol < 1e-5) {
        const cfx_entry *ci = cfx_ref(set, "rmsea.ci.tight");
        cfx_near(x->rmsea_lo, ci->v[0], 1e-9, what);
        cfx_near(x->rmsea_hi, ci->v[1], 1e-9, what);
    }
    for (size_t k = 0; k < f->r.nparams; k++) {
        const egdi_cfa_param *p = &f->r.param[k];
        char key[128];
        key_of(&f->model, p->op, p->a, p->b, key, sizeof key);
        snprintf(what, sizeof what, "par.%s", key);
        const cfx_entry *e = cfx_ref(set, what);
        snprintf(what, sizeof what, "%s %s est", set, key);
        cfx_near(p->est, e->v[0], tol, what);
        assert_int_equal(p->free, !isnan(e->v[1]));
        if (p->free) {
            snprintf(what, sizeof what, "%s %s se", set, key);
            cfx_near(p->se, e->v[1], setol, what);
            snprintf(what, sizeof what, "%s %s z", set, key);
            cfx_near(p->z, e->v[2], setol, what);
            snprintf(what, sizeof what, "%s %s p", set, key);
            cfx_near(p->p, e->v[3], tol, what);
        }
        snprintf(what, sizeof what, "%s %s std.all", set, key);
        cfx_near(p->std_all, e->v[4], tol, what);
    }
    const cfx_entry *imp = cfx_ref(set, "implied");
    assert_int_equal(imp->nr, f->r.p);
    for (size_t k = 0; k < f->r.p * f->r.p; k++)
        cfx_near(f->r.implied[k], imp->v[k], tol, "implied covariance");
    const cfx_entry *smp = cfx_ref(set, "sample");
    for (size_t k = 0; k < f->r.p * f->r.p; k++)
        cfx_near(f->r.sample[k], smp->v[k], 1e-12, "sample covariance (divisor N)");
}

/* Every modification index of f against set (lavaan::modindices). */
static void check_mi(const cfx_fit *f, const char *set)
{
    assert_int_equal(f->r.nmi, (size_t)cfx_ref1(set, "mi.count"));
    char key[160], what[200];
    for (size_t k = 0; k < f->r.nmi; k++) {
        const egdi_cfa_mi *mi = &f->r.mi[k];
        char name[128];
        key_of(&f->model, mi->op, mi->a, mi->b, name, sizeof name);
        snprintf(key, sizeof key, "mi.%s", name);
        const cfx_entry *e = cfx_ref(set, key);
        snprintf(what, sizeof what, "%s %s mi", set, name);
        cfx_near(mi->mi, e->v[0], 1e-5, what);
        snprintf(what, sizeof what, "%s %s epc", set, name);
        cfx_near(mi->epc, e->v[1], 1e-6, what);
        snprintf(what, sizeof what, "%s %s sepc.all", set, name);
        cfx_near(mi->sepc_all, e->v[2], 1e-6, what);
        if (k > 0)
            assert_true(f->r.mi[k - 1].mi >= mi->mi); /* largest first */
    }
}

static void test_hs(void **state)
{
    (void)state;
    cfx_fit f;
    cfx_fit_file(&f, CFX_HS, CFX_HS_MODEL, NULL, 0, 0, NULL);
    /* the tutorial's figures: chi2 = 85.306, df = 24, CFI = .931, TLI =
     * .896, RMSEA = .092 [.071, .114], SRMR = .065 */
    assert_true(fabs(f.r.fit.chisq - 85.306) < 5e-4);
    assert_true(fabs(f.r.fit.rmsea_lo - 0.071) < 5e-4 && fabs(f.r.fit.rmsea_hi - 0.114) < 5e-4);
    check_fit(&f, "hs", 1e-6, 1e-5);
    check_fit(&f, "hs.def", 1e-5, 1e-5);
    check_mi(&f, "hs");
    /* the fit table: CFI .931 acceptable, TLI .896 not met, RMSEA .092 not
     * met, SRMR .065 met, GFI .943 good */
    egdi_cfa_fit_row rows[EGDI_CFA_FIT_ROWS];
    assert_int_equal(egdi_cfa_fit_rows(&f.r.fit, rows), EGDI_CFA_FIT_ROWS);
    for (size_t k = 0; k < EGDI_CFA_FIT_ROWS; k++) {
        const char *key = rows[k].key;
        egdi_cfa_verdict want = strcmp(key, "cfi") == 0        ? EGDI_CFA_ACCEPTABLE
                                : strcmp(key, "tli") == 0      ? EGDI_CFA_NOT_MET
                                : strcmp(key, "rmsea") == 0    ? EGDI_CFA_NOT_MET
                                : strcmp(key, "srmr") == 0     ? EGDI_CFA_MET
                                : strcmp(key, "gfi") == 0      ? EGDI_CFA_GOOD
                                : strcmp(key, "chisq_df") == 0 ? EGDI_CFA_ACCEPTABLE
                                : strcmp(key, "pvalue") == 0   ? EGDI_CFA_NOT_MET
                                                               : (egdi_cfa_verdict)-1;
        if ((int)want >= 0)
            assert_int_equal(rows[k].verdict, want);
        if (strcmp(key, "chisq") == 0 || strcmp(key, "aic") == 0)
            assert_int_equal(rows[k].verdict, EGDI_CFA_NO_VERDICT);
    }
    char cut[128];
    egdi_cfa_cutoff_text(rows[4].cutoff, true, cut, sizeof cut);
    assert_string_equal(cut, "≥ .95（≥ .90 可接受）");
    egdi_cfa_cutoff_text(rows[6].cutoff, false, cut, sizeof cut);
    assert_string_equal(cut, "≤ .05 (≤ .08 acceptable)");
    assert_string_equal(egdi_cfa_verdict_text(EGDI_CFA_NOT_MET, true), "未达标");
    assert_int_equal(f.r.nheywood, 0);
    cfx_fit_release(&f);
}

static void test_hs_std_lv(void **state)
{
    (void)state;
    egdi_cfa_options o;
    egdi_cfa_options_init(&o);
    o.std_lv = true;
    cfx_fit f;
    cfx_fit_file(&f, CFX_HS, CFX_HS_MODEL, NULL, 0, 0, &o);
    check_fit(&f, "hs.stdlv", 1e-6, 1e-5);
    cfx_fit_release(&f);
}

static void test_bfi_one_factor(void **state)
{
    (void)state;
    const char *scales[] = {"A", "C", "E", "N", "O"};
    for (size_t s = 0; s < 5; s++) {
        char model[128], set[16];
        const char *x = scales[s];
        snprintf(model, sizeof model, "%s =~ %s1 + %s2 + %s3 + %s4 + %s5", x, x, x, x, x, x);
        snprintf(set, sizeof set, "bfi%s", x);
        cfx_fit f;
        cfx_fit_file(&f, CFX_BFI, model, CFX_BFI_SCALES, 1, 6, NULL);
        check_fit(&f, set, 1e-6, 1e-5);
        check_mi(&f, set);
        cfx_fit_release(&f);
    }
}

static void test_bfi_five_factors(void **state)
{
    (void)state;
    cfx_fit f;
    cfx_fit_file(&f, CFX_BFI, CFX_BFI5_MODEL, CFX_BFI_SCALES, 1, 6, NULL);
    check_fit(&f, "bfi5", 1e-6, 1e-5);
    check_mi(&f, "bfi5");
    cfx_fit_release(&f);
}

static void test_nchisq(void **state)
{
    (void)state;
    const cfx_entry *a = cfx_ref("nchisq", "args");
    const cfx_entry *P = cfx_ref("nchisq", "P"), *Q = cfx_ref("nchisq", "Q");
    /* 1e-11: R's pnchisq itself is good to about 1e-12 for ncp >= 80 (it
     * then leaves the Poisson series; pchisq's help: "errmax 1e-12") */
    for (size_t k = 0; k < a->nr; k++) {
        const double *r = a->v + 3 * k;
        cfx_near(egdi_cfa_nchisq_P(r[0], r[1], r[2]), P->v[k], 1e-11, "pchisq(x, df, ncp)");
        cfx_near(egdi_cfa_nchisq_Q(r[0], r[1], r[2]), Q->v[k], 1e-11,
                 "pchisq(x, df, ncp, lower.tail = FALSE)");
    }
}

/* ---- a known model recovered from its implied covariances ------------------ */

typedef struct {
    size_t m, p;
    char text[4096];
    double lambda[64 * 8], phi[64], theta[64];
} known;

/* A random model: 1-4 factors of 3-6 items, loadings 0.4-1.5 (the first of
 * each factor 1), Phi = B B' + 0.5 I, residual variances 0.2-1.0, and with
 * some chance one item of the second factor loading on the first too. */
static void known_make(gsl_rng *rng, known *k)
{
    memset(k, 0, sizeof *k);
    k->m = 1 + gsl_rng_uniform_int(rng, 4);
    size_t nk[8];
    for (size_t f = 0; f < k->m; f++) {
        nk[f] = 3 + gsl_rng_uniform_int(rng, 4);
        size_t len = strlen(k->text);
        snprintf(k->text + len, sizeof k->text - len, "%sF%zu =~ ", f ? "\n" : "", f + 1);
        for (size_t t = 0; t < nk[f]; t++) {
            size_t j = k->p++;
            len = strlen(k->text);
            snprintf(k->text + len, sizeof k->text - len, "%sv%zu", t ? " + " : "", j + 1);
            k->lambda[j * k->m + f] = t == 0 ? 1.0 : 0.4 + 1.1 * gsl_rng_uniform(rng);
            k->theta[j] = 0.2 + 0.8 * gsl_rng_uniform(rng);
        }
    }
    if (k->m >= 2 && gsl_rng_uniform(rng) < 0.4) {
        size_t j = nk[0] + 1; /* the second item of factor 2 */
        size_t len = strlen(k->text);
        snprintf(k->text + len, sizeof k->text - len, "\nF1 =~ v%zu", j + 1);
        k->lambda[j * k->m + 0] = 0.3 + 0.3 * gsl_rng_uniform(rng);
    }
    double b[64];
    for (size_t i = 0; i < k->m * k->m; i++)
        b[i] = gsl_rng_uniform(rng) - 0.3;
    for (size_t f = 0; f < k->m; f++)
        for (size_t g = 0; g < k->m; g++) {
            double v = f == g ? 0.5 : 0;
            for (size_t t = 0; t < k->m; t++)
                v += b[f * k->m + t] * b[g * k->m + t];
            k->phi[f * k->m + g] = v;
        }
}

/* Sigma of k as the covariances (n - 1 denominators) of n respondents. */
static void known_cov(const known *k, size_t n, egdi_cov *c)
{
    size_t p = k->p, m = k->m;
    c->n = c->n_min = n;
    c->p = p;
    c->mean = calloc(p, sizeof *c->mean);
    c->cov = malloc(p * p * sizeof *c->cov);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double v = i == j ? k->theta[i] : 0;
            for (size_t f = 0; f < m; f++)
                for (size_t g = 0; g < m; g++)
                    v += k->lambda[i * m + f] * k->phi[f * m + g] * k->lambda[j * m + g];
            c->cov[i * p + j] = v * (double)n / ((double)n - 1);
        }
}

static void test_recover_known_models(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20240613);
    for (int rep = 0; rep < 40; rep++) {
        known k;
        known_make(rng, &k);
        egdi_cov c;
        known_cov(&k, 400, &c);
        egdi_cfa_model m;
        parse_ok(k.text, &m);
        for (int std_lv = 0; std_lv < 2; std_lv++) {
            egdi_cfa_options o;
            egdi_cfa_options_init(&o);
            o.std_lv = std_lv;
            egdi_cfa_result r;
            egdi_error err;
            egdi_error_clear(&err);
            if (egdi_cfa_estimate(&m, &c, &o, &r, &err) != EGDI_OK)
                fail_msg("model %d (%s): %s", rep, k.text, err.message);
            /* the model-implied covariances are the data: a perfect fit */
            assert_true(r.fit.chisq < 1e-8);
            cfx_near(r.fit.cfi, 1.0, 1e-9, "CFI of a perfect fit");
            assert_true(r.fit.rmsea == 0.0);
            assert_true(r.fit.srmr < 1e-9);
            for (size_t j = 0; j < k.p; j++) {
                cfx_near(r.theta[j], k.theta[j], 1e-8, "residual variance");
                for (size_t f = 0; f < k.m; f++) {
                    /* std.lv: lambda * sqrt(phi_ff) */
                    double want = k.lambda[j * k.m + f] * (std_lv ? sqrt(k.phi[f * k.m + f]) : 1);
                    cfx_near(r.lambda[j * k.m + f], want, 1e-8, "loading");
                }
            }
            for (size_t f = 0; f < k.m; f++)
                for (size_t g = 0; g < k.m; g++) {
                    double want = k.phi[f * k.m + g];
                    if (std_lv)
                        want /= sqrt(k.phi[f * k.m + f] * k.phi[g * k.m + g]);
                    cfx_near(r.phi[f * k.m + g], want, 1e-8, "factor covariance");
                }
            egdi_cfa_result_release(&r);
        }
        egdi_cfa_model_release(&m);
        egdi_cov_release(&c);
    }
    gsl_rng_free(rng);
}

/* ---- refusals and warnings -------------------------------------------------- */

static egdi_status fit_text(const char *text, const egdi_cov *c, const egdi_cfa_options *o,
                            egdi_cfa_result *r, egdi_error *err)
{
    egdi_cfa_model m;
    parse_ok(text, &m);
    egdi_status st = egdi_cfa_estimate(&m, c, o, r, err);
    if (st == EGDI_OK)
        assert_true(r->model == &m);
    egdi_cfa_result_release(r);
    egdi_cfa_model_release(&m);
    return st;
}

static void test_heywood(void **state)
{
    (void)state;
    /* one factor whose first item has a residual variance of -0.05: the
     * ML solution reproduces it, reported by item, not refused */
    known k = {.m = 1, .p = 4, .text = "f =~ a + b + c + d"};
    double lam[] = {1, 0.9, 0.8, 0.7}, th[] = {-0.05, 0.3, 0.4, 0.5};
    for (size_t j = 0; j < 4; j++) {
        k.lambda[j] = lam[j];
        k.theta[j] = th[j];
    }
    k.phi[0] = 1;
    egdi_cov c;
    known_cov(&k, 300, &c);
    egdi_cfa_model m;
    parse_ok(k.text, &m);
    egdi_cfa_result r;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_cfa_estimate(&m, &c, NULL, &r, &err), EGDI_OK);
    assert_int_equal(r.nheywood, 1);
    assert_int_equal(r.heywood[0], 0);
    cfx_near(r.theta[0], -0.05, 1e-8, "negative residual variance");
    assert_true(r.std_lambda[0] > 1);
    egdi_cfa_result_release(&r);
    egdi_cfa_model_release(&m);
    egdi_cov_release(&c);
}

static void test_refusals(void **state)
{
    (void)state;
    cfx_fit f;
    cfx_fit_file(&f, CFX_HS, CFX_HS_MODEL, NULL, 0, 0, NULL);
    egdi_cfa_result r;
    egdi_error err;
    egdi_error_clear(&err);
    /* a factor with one item */
    egdi_cov c3 = f.cov;
    c3.p = 4;
    double sub[16];
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++)
            sub[i * 4 + j] = f.cov.cov[i * 9 + j];
    c3.cov = sub;
    assert_int_equal(fit_text("f =~ x1; g =~ x2 + x3 + x4", &c3, NULL, &r, &err), EGDI_ERR_MODEL);
    assert_non_null(strstr(err.message, "factor f has one item (x1)"));
    /* df < 0: one factor of two items */
    c3.p = 2;
    double sub2[4] = {sub[0], sub[1], sub[4], sub[5]};
    c3.cov = sub2;
    assert_int_equal(fit_text("f =~ x1 + x2", &c3, NULL, &r, &err), EGDI_ERR_MODEL);
    assert_non_null(strstr(err.message, "df = -1 < 0"));
    /* no convergence within the iterations allowed, with the count */
    egdi_cfa_options o;
    egdi_cfa_options_init(&o);
    o.max_iter = 3;
    assert_int_equal(egdi_cfa_estimate(&f.model, &f.cov, &o, &r, &err), EGDI_ERR_CONVERGE);
    assert_non_null(strstr(err.message, "no convergence after 3 iterations"));
    assert_null(r.param);
    /* a covariance matrix that is not positive definite: x4 = x1 + x2 */
    double sing[16];
    memcpy(sing, sub, sizeof sing);
    for (size_t j = 0; j < 4; j++) {
        double v = sub[0 * 4 + j] + sub[1 * 4 + j];
        sing[3 * 4 + j] = sing[j * 4 + 3] = v;
    }
    sing[15] = sub[0] + sub[5] + 2 * sub[1];
    c3.p = 4;
    c3.cov = sing;
    assert_int_equal(fit_text("f =~ x1 + x2 + x3 + x4", &c3, NULL, &r, &err), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(err.message, "not positive definite"));
    assert_non_null(strstr(err.message, "x4 is a linear combination"));
    /* covariances that do not fit the model's items */
    assert_int_equal(fit_text("f =~ x1 + x2 + x3", &c3, NULL, &r, &err), EGDI_ERR_ARG);
    cfx_fit_release(&f);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_parse),
        cmocka_unit_test(test_model_parse_errors),
        cmocka_unit_test(test_model_file),
        cmocka_unit_test(test_hs),
        cmocka_unit_test(test_hs_std_lv),
        cmocka_unit_test(test_bfi_one_factor),
        cmocka_unit_test(test_bfi_five_factors),
        cmocka_unit_test(test_nchisq),
        cmocka_unit_test(test_recover_known_models),
        cmocka_unit_test(test_heywood),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
