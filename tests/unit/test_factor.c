/*
 * Unit tests for surveys/factor.h against R.
 *
 * Reference numbers: tests/r/factor_ref.out, written by tests/r/factor_ref.R
 * (psych 2.2.9, GPArotation 2022.10.2, R stats) from the data it also wrote:
 * tests/data/survey/bfi25.csv (psych::bfi items A1-O5, 2800 respondents) and
 * tests/data/survey/sim12.csv (500 simulated respondents, 12 items).  Keys
 * "<set>.*" are on the complete rows (na.omit: 2436 for bfi), "pw.*" on all
 * bfi rows with pairwise correlations.  The R call behind each key is named
 * above each comparison.  Factors are compared up to sign and column order.
 *
 * Tolerances: 1e-9 for closed-form values, 1e-6 against R run to full
 * convergence (*.full), 1e-3 against R's defaults (*.psych) with egdi's
 * psych mode.
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

#include "surveys/factor.h"
#include "surveys/fa_private.h"

/* ---- fixtures ------------------------------------------------------- */

typedef struct {
    char key[64];
    size_t nr, nc;
    double *v;
} ref_entry;

static ref_entry refs[256];
static size_t nrefs;

static void load_refs(void)
{
    if (nrefs)
        return;
    FILE *f = fopen("tests/r/factor_ref.out", "r");
    assert_non_null(f);
    char key[64];
    size_t nr, nc;
    while (fscanf(f, "%63s %zu %zu", key, &nr, &nc) == 3) {
        assert_true(nrefs < sizeof refs / sizeof refs[0]);
        ref_entry *e = &refs[nrefs++];
        snprintf(e->key, sizeof e->key, "%s", key);
        e->nr = nr;
        e->nc = nc;
        e->v = malloc(nr * nc * sizeof(double));
        assert_non_null(e->v);
        for (size_t i = 0; i < nr * nc; i++) {
            char tok[64];
            assert_int_equal(fscanf(f, "%63s", tok), 1);
            e->v[i] = strcmp(tok, "NA") == 0 ? NAN : strtod(tok, NULL);
        }
    }
    fclose(f);
}

static const ref_entry *ref(const char *set, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "%s.%s", set, name);
    load_refs();
    for (size_t i = 0; i < nrefs; i++)
        if (strcmp(refs[i].key, key) == 0)
            return &refs[i];
    fail_msg("no reference %s", key);
    return NULL;
}

static double ref1(const char *set, const char *name)
{
    return ref(set, name)->v[0];
}

/* A data set: column-major, NaN = missing. */
typedef struct {
    size_t n, p;
    double *x;
    char names[64][16];
    const char *nameptr[64];
} dataset;

static void load_csv(const char *path, dataset *d, bool listwise)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    assert_non_null(fgets(line, sizeof line, f));
    d->p = 0;
    for (char *tok = strtok(line, ",\r\n"); tok; tok = strtok(NULL, ",\r\n")) {
        size_t L = strlen(tok);
        if (tok[0] == '"') {
            tok++;
            L -= 2;
        }
        snprintf(d->names[d->p], sizeof d->names[0], "%.*s", (int)L, tok);
        d->nameptr[d->p] = d->names[d->p];
        d->p++;
    }
    size_t cap = 4096, n = 0;
    double *rows = malloc(cap * d->p * sizeof(double));
    while (fgets(line, sizeof line, f)) {
        if (n == cap) {
            cap *= 2;
            rows = realloc(rows, cap * d->p * sizeof(double));
        }
        char *s = line;
        bool complete = true;
        for (size_t j = 0; j < d->p; j++) {
            char *end;
            double v = strtod(s, &end);
            if (end == s)
                v = NAN;
            complete = complete && !isnan(v);
            rows[n * d->p + j] = v;
            s = strchr(end, ',');
            s = s ? s + 1 : end;
        }
        if (complete || !listwise)
            n++;
    }
    fclose(f);
    d->n = n;
    d->x = malloc(n * d->p * sizeof(double));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d->p; j++)
            d->x[j * n + i] = rows[i * d->p + j];
    free(rows);
}

static const char *data_path(const char *set)
{
    return strcmp(set, "bfi") == 0 ? "tests/data/survey/bfi25.csv" : "tests/data/survey/sim12.csv";
}

static size_t nfact(const char *set)
{
    return strcmp(set, "bfi") == 0 ? 5 : 3;
}

static void assert_close(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.12g, R %.12g (tolerance %g)", what, got, want, tol);
}

static void assert_vec(const double *got, const ref_entry *want, double tol)
{
    for (size_t i = 0; i < want->nr * want->nc; i++) {
        char what[160];
        snprintf(what, sizeof what, "%s[%zu]", want->key, i);
        assert_close(got[i], want->v[i], tol, what);
    }
}

/*
 * Compares p x k loadings with R's up to sign and column order: each R
 * column is matched with the egdi column (each used once) and sign that
 * fit it best.  perm[a] / sgn[a] receive the match of R column a.
 */
static void assert_loadings(const double *got, const ref_entry *want, double tol, size_t *perm,
                            double *sgn)
{
    size_t p = want->nr, k = want->nc;
    bool used[64] = {false};
    for (size_t a = 0; a < k; a++) {
        double best = INFINITY;
        size_t bc = 0;
        double bs = 1;
        for (size_t c = 0; c < k; c++) {
            if (used[c])
                continue;
            for (int s = -1; s <= 1; s += 2) {
                double m = 0;
                for (size_t i = 0; i < p; i++) {
                    double d = fabs(want->v[i * k + a] - s * got[i * k + c]);
                    if (d > m)
                        m = d;
                }
                if (m < best) {
                    best = m;
                    bc = c;
                    bs = s;
                }
            }
        }
        used[bc] = true;
        if (perm)
            perm[a] = bc;
        if (sgn)
            sgn[a] = bs;
        if (!(best <= tol))
            fail_msg("%s: R column %zu differs from egdi column %zu by %.3g (tolerance %g)",
                     want->key, a + 1, bc + 1, best, tol);
    }
}

static void assert_phi(const double *got, const ref_entry *want, const size_t *perm,
                       const double *sgn, double tol)
{
    size_t k = want->nr;
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) {
            char what[160];
            snprintf(what, sizeof what, "%s[%zu,%zu]", want->key, a, b);
            assert_close(sgn[a] * sgn[b] * got[perm[a] * k + perm[b]], want->v[a * k + b], tol,
                         what);
        }
}

typedef struct {
    dataset d;
    double *r, *mean, *sd;
} fixture;

static void setup_set(fixture *fx, const char *set)
{
    memset(fx, 0, sizeof *fx);
    load_csv(data_path(set), &fx->d, true);
    size_t p = fx->d.p;
    fx->r = malloc(p * p * sizeof(double));
    fx->mean = malloc(p * sizeof(double));
    fx->sd = malloc(p * sizeof(double));
    egdi_error e;
    assert_int_equal(egdi_fa_corr(fx->d.x, fx->d.n, p, fx->d.nameptr, fx->r, fx->mean, fx->sd, &e),
                     EGDI_OK);
}

static void teardown_set(fixture *fx)
{
    free(fx->d.x);
    free(fx->r);
    free(fx->mean);
    free(fx->sd);
}

static void run(fixture *fx, egdi_fa_method m, egdi_fa_rotation rot, bool psych,
                egdi_fa_result *res, size_t k)
{
    egdi_fa_options o;
    egdi_fa_options_init(&o);
    o.method = m;
    o.rotation = rot;
    o.rule = EGDI_FA_NFACT_FIXED;
    o.nfactors = k;
    o.psych = psych;
    o.allow_nonconverged = psych;
    egdi_fa_work *w = egdi_fa_work_alloc(fx->d.p);
    assert_non_null(w);
    egdi_error e;
    egdi_error_clear(&e);
    egdi_status st = egdi_fa_run(fx->r, fx->d.p, fx->d.n, fx->d.nameptr, &o, w, res, &e);
    if (st)
        fail_msg("egdi_fa_run: %s", e.message);
    egdi_fa_work_free(w);
}

/* ---- correlation, KMO, Bartlett -------------------------------------- */

static void check_corr_kmo(const char *set)
{
    fixture fx;
    setup_set(&fx, set);
    size_t p = fx.d.p;
    /* R: nrow(na.omit(x)); cor(na.omit(x)) */
    assert_int_equal(fx.d.n, (size_t)ref1(set, "n"));
    assert_vec(fx.r, ref(set, "r"), 1e-12);
    /* the portable kernel (CPUs without AVX2) gives the same matrix */
    double *r2 = malloc(p * p * sizeof(double)), m2[64], s2[64];
    egdi_error e0;
    assert_int_equal(egdi_fa_corr_portable(fx.d.x, fx.d.n, p, NULL, r2, m2, s2, &e0), EGDI_OK);
    assert_vec(r2, ref(set, "r"), 1e-12);
    for (size_t j = 0; j < p; j++) {
        assert_close(m2[j], fx.mean[j], 1e-12, "mean");
        assert_close(s2[j], fx.sd[j], 1e-12, "sd");
    }
    free(r2);
    /* psych::KMO(R): $MSA, $MSAi; psych::cortest.bartlett(R, n = nrow); det(R);
     * pchisq(chisq, df, lower.tail = FALSE, log.p = TRUE) */
    egdi_fa_kmo k;
    egdi_error e;
    assert_int_equal(egdi_fa_kmo_compute(fx.r, p, fx.d.n, fx.d.nameptr, &k, &e), EGDI_OK);
    assert_close(k.kmo, ref1(set, "kmo"), 1e-10, "kmo");
    assert_vec(k.msa, ref(set, "msa"), 1e-10);
    assert_close(k.chi2 / ref1(set, "chi2"), 1, 1e-10, "bartlett chi2 (relative)");
    assert_close(k.df, ref1(set, "df"), 0, "bartlett df");
    assert_close(k.p_value, ref1(set, "p"), 1e-12 + 1e-8 * ref1(set, "p"), "bartlett p");
    assert_close(k.log_p / ref1(set, "logp"), 1, 1e-9, "bartlett log p (relative)");
    assert_true(isfinite(k.log_p));
    assert_close(k.det / ref1(set, "det"), 1, 1e-9, "det (relative)");
    egdi_fa_kmo_release(&k);
    egdi_fa_kmo_release(&k); /* harmless twice */
    teardown_set(&fx);
}

static void corr_kmo_bfi(void **state)
{
    (void)state;
    check_corr_kmo("bfi");
}

static void corr_kmo_sim(void **state)
{
    (void)state;
    check_corr_kmo("sim");
}

/* Correlations do not depend on location: answers + 1e9 (where summing raw
 * squares would cancel every digit) give R's cor(sim) to 1e-9, both kernels. */
static void corr_shifted(void **state)
{
    (void)state;
    fixture fx;
    setup_set(&fx, "sim");
    size_t n = fx.d.n, p = fx.d.p;
    double *x = malloc(n * p * sizeof(double)), *r = malloc(p * p * sizeof(double));
    for (size_t i = 0; i < n * p; i++)
        x[i] = fx.d.x[i] + 1e9;
    egdi_error e;
    assert_int_equal(egdi_fa_corr(x, n, p, NULL, r, NULL, NULL, &e), EGDI_OK);
    assert_vec(r, ref("sim", "r"), 1e-9);
    assert_int_equal(egdi_fa_corr_portable(x, n, p, NULL, r, NULL, NULL, &e), EGDI_OK);
    assert_vec(r, ref("sim", "r"), 1e-9);
    free(x);
    free(r);
    teardown_set(&fx);
}

/* R: cor(bfi25, use = "pairwise"); psych::KMO(bfi25); psych::cortest.bartlett(bfi25),
 * which takes n = nrow(bfi25) = 2800. */
static void pairwise_bfi(void **state)
{
    (void)state;
    dataset d;
    load_csv("tests/data/survey/bfi25.csv", &d, false);
    assert_int_equal(d.n, 2800);
    double *r = malloc(d.p * d.p * sizeof(double));
    egdi_error e;
    assert_int_equal(egdi_fa_corr_pairwise(d.x, d.n, d.p, d.nameptr, r, NULL, &e), EGDI_OK);
    assert_vec(r, ref("pw", "bfi.r"), 1e-12);
    /* portable kernel; and the pair counts (A1 has 16 missing answers) */
    size_t *np = malloc(d.p * d.p * sizeof(size_t));
    assert_int_equal(egdi_fa_corr_pairwise_portable(d.x, d.n, d.p, d.nameptr, r, np, &e), EGDI_OK);
    assert_vec(r, ref("pw", "bfi.r"), 1e-12);
    size_t a1 = 0;
    for (size_t i = 0; i < d.n; i++)
        a1 += !isnan(d.x[i]);
    assert_int_equal(np[0], a1);
    assert_int_equal(a1, 2800 - 16);
    free(np);
    egdi_fa_kmo k;
    assert_int_equal(egdi_fa_kmo_compute(r, d.p, d.n, d.nameptr, &k, &e), EGDI_OK);
    assert_close(k.kmo, ref1("pw", "bfi.kmo"), 1e-10, "pairwise kmo");
    assert_vec(k.msa, ref("pw", "bfi.msa"), 1e-10);
    assert_close(k.chi2 / ref1("pw", "bfi.chi2"), 1, 1e-10, "pairwise chi2");
    /* and the listwise routine refuses the NaNs, naming the item */
    assert_int_equal(egdi_fa_corr(d.x, d.n, d.p, d.nameptr, r, NULL, NULL, &e), EGDI_ERR_VALUE);
    assert_non_null(strstr(e.message, "A1"));
    egdi_fa_kmo_release(&k);
    free(r);
    free(d.x);
}

/* ---- eigenvalues, Kaiser, extraction -------------------------------- */

static void check_pca(const char *set)
{
    fixture fx;
    setup_set(&fx, set);
    egdi_fa_result res;
    size_t k = nfact(set);
    /* eigen(R)$values; sum(eigen(R)$values > 1) */
    egdi_fa_work *w = egdi_fa_work_alloc(fx.d.p);
    egdi_fa_options o;
    egdi_fa_options_init(&o);
    size_t kk;
    double ev[64];
    egdi_error e;
    assert_int_equal(egdi_fa_nfactors(fx.r, fx.d.p, fx.d.n, &o, w, &kk, ev, NULL, &e), EGDI_OK);
    assert_vec(ev, ref(set, "eigen"), 1e-10);
    assert_int_equal(kk, (size_t)ref1(set, "kaiser"));
    egdi_fa_work_free(w);
    /* psych::principal(R, k, rotate = "none"): loadings, communality */
    run(&fx, EGDI_FA_PCA, EGDI_FA_ROT_NONE, false, &res, k);
    assert_loadings(res.loadings, ref(set, "pca.none"), 1e-9, NULL, NULL);
    assert_vec(res.communality, ref(set, "pca.comm"), 1e-9);
    assert_vec(res.eigenvalues, ref(set, "eigen"), 1e-10);
    for (size_t j = 0; j < k; j++) /* SS loadings of components = eigenvalues */
        assert_close(res.ss_unrotated[j], ref(set, "eigen")->v[j], 1e-9, "pca ss");
    /* SPSS "Initial Eigenvalues": % of variance = eigen(R)$values / p,
     * cumsum(eigen(R)$values) / p, ending at 1 (the trace of R is p) */
    double cum = 0;
    for (size_t j = 0; j < fx.d.p; j++) {
        double want = ref(set, "eigen")->v[j] / (double)fx.d.p;
        cum += want;
        assert_close(res.prop_initial[j], want, 1e-10, "initial % of variance");
        assert_close(res.cum_initial[j], cum, 1e-10, "initial cumulative %");
    }
    assert_close(res.cum_initial[fx.d.p - 1], 1, 1e-12, "initial cumulative % ends at 100");
    egdi_fa_result_release(&res);
    /* stats::varimax(principal(R, k, rotate = "none")$loadings, eps = 1e-14) */
    run(&fx, EGDI_FA_PCA, EGDI_FA_ROT_VARIMAX, false, &res, k);
    assert_loadings(res.loadings, ref(set, "pca.varimax.full"), 1e-6, NULL, NULL);
    egdi_fa_result_release(&res);
    /* psych::principal(R, k, rotate = "varimax") (stats::varimax eps 1e-5) */
    run(&fx, EGDI_FA_PCA, EGDI_FA_ROT_VARIMAX, true, &res, k);
    assert_loadings(res.loadings, ref(set, "pca.varimax.psych"), 1e-3, NULL, NULL);
    egdi_fa_result_release(&res);
    teardown_set(&fx);
}

static void pca_bfi(void **state)
{
    (void)state;
    check_pca("bfi");
}

static void pca_sim(void **state)
{
    (void)state;
    check_pca("sim");
}

/* unrotated x rotmat = loadings, for every rotation (header contract). */
static void assert_rotmat(const egdi_fa_result *res)
{
    size_t p = res->p, k = res->k;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++) {
            double v = 0;
            for (size_t m = 0; m < k; m++)
                v += res->unrotated[i * k + m] * res->rotmat[m * k + j];
            assert_close(v, res->loadings[i * k + j], 1e-10, "unrotated x rotmat");
        }
}

static void check_paf(const char *set)
{
    fixture fx;
    setup_set(&fx, set);
    size_t k = nfact(set), perm[8];
    double sgn[8];
    egdi_fa_result res;
    /* psych::fa(R, k, n.obs, fm = "pa", rotate = "none", min.err = 1e-14, max.iter = 1e5) */
    run(&fx, EGDI_FA_PAF, EGDI_FA_ROT_NONE, false, &res, k);
    assert_vec(res.comm_initial, ref(set, "smc"), 1e-10); /* psych::smc(R) */
    assert_loadings(res.loadings, ref(set, "paf.none.full"), 1e-6, NULL, NULL);
    assert_vec(res.communality, ref(set, "paf.comm.full"), 1e-6);
    assert_true(res.converged);
    assert_true(res.iterations > 1);
    egdi_fa_result_release(&res);
    /* stats::varimax(<that>$loadings, eps = 1e-14) */
    run(&fx, EGDI_FA_PAF, EGDI_FA_ROT_VARIMAX, false, &res, k);
    assert_loadings(res.loadings, ref(set, "paf.varimax.full"), 1e-6, NULL, NULL);
    assert_true(res.rot_converged);
    assert_rotmat(&res);
    /* an orthogonal rotation keeps the total SS: sum ss = sum communalities */
    double sss = 0, sh = 0;
    for (size_t j = 0; j < k; j++)
        sss += res.ss_loadings[j];
    for (size_t i = 0; i < res.p; i++)
        sh += res.communality[i];
    assert_close(sss, sh, 1e-10, "SS after varimax");
    /* SS loadings are sorted, and the rotation keeps the communalities */
    for (size_t j = 1; j < k; j++)
        assert_true(res.ss_loadings[j - 1] >= res.ss_loadings[j]);
    for (size_t j = 0; j < k; j++) {
        double cs = 0;
        for (size_t i = 0; i < res.p; i++)
            cs += res.loadings[i * k + j];
        assert_true(cs >= 0);
    }
    /* psych::factor.scores(x, f = that varimax solution, method = "Thurstone") */
    assert_loadings(res.weights, ref(set, "scores.weights"), 1e-6, perm, sgn);
    double *sc = malloc(fx.d.n * k * sizeof(double));
    egdi_error e;
    assert_int_equal(egdi_fa_scores(&res, fx.d.x, fx.d.n, fx.mean, fx.sd, sc, &e), EGDI_OK);
    const ref_entry *head = ref(set, "scores.head");
    for (size_t i = 0; i < 5; i++)
        for (size_t a = 0; a < k; a++)
            assert_close(sgn[a] * sc[i * k + perm[a]], head->v[i * k + a], 1e-6, "score");
    free(sc);
    egdi_fa_result_release(&res);
    /* psych's promax code (kaiser(L, "Promax")) with varimax eps 1e-14 */
    run(&fx, EGDI_FA_PAF, EGDI_FA_ROT_PROMAX, false, &res, k);
    assert_true(res.oblique);
    assert_loadings(res.loadings, ref(set, "paf.promax.full"), 1e-6, perm, sgn);
    assert_phi(res.phi, ref(set, "paf.promax.phi.full"), perm, sgn, 1e-6);
    assert_rotmat(&res);
    /* structure = pattern x Phi */
    for (size_t i = 0; i < res.p; i++)
        for (size_t j = 0; j < k; j++) {
            double s = 0;
            for (size_t m = 0; m < k; m++)
                s += res.loadings[i * k + m] * res.phi[m * k + j];
            assert_close(res.structure[i * k + j], s, 1e-12, "structure");
        }
    egdi_fa_result_release(&res);
    /* GPArotation::oblimin(<PAF loadings>, eps = 1e-8, maxit = 1e5) */
    run(&fx, EGDI_FA_PAF, EGDI_FA_ROT_OBLIMIN, false, &res, k);
    assert_loadings(res.loadings, ref(set, "paf.oblimin.full"), 1e-6, perm, sgn);
    assert_phi(res.phi, ref(set, "paf.oblimin.phi.full"), perm, sgn, 1e-6);
    assert_rotmat(&res);
    egdi_fa_result_release(&res);

    /* R defaults with --psych-defaults, at 1e-3:
     * psych::fa(R, k, n.obs, fm = "pa", rotate = "none" / "varimax" / "promax" / "oblimin") */
    run(&fx, EGDI_FA_PAF, EGDI_FA_ROT_NONE, true, &res, k);
    assert_loadings(res.loadings, ref(set, "paf.none.psych"), 1e-3, NULL, NULL);
    assert_vec(res.communality, ref(set, "paf.comm.psych"), 1e-3);
    /* length(fa(...)$communality.iterations): the same number of steps */
    assert_int_equal(res.iterations, (unsigned)ref1(set, "paf.iter.psych"));
    egdi_fa_result_release(&res);
    run(&fx, EGDI_FA_PAF, EGDI_FA_ROT_VARIMAX, true, &res, k);
    assert_loadings(res.loadings, ref(set, "paf.varimax.psych"), 1e-3, NULL, NULL);
    egdi_fa_result_release(&res);
    run(&fx, EGDI_FA_PAF, EGDI_FA_ROT_PROMAX, true, &res, k);
    assert_loadings(res.loadings, ref(set, "paf.promax.psych"), 1e-3, perm, sgn);
    assert_phi(res.phi, ref(set, "paf.promax.phi.psych"), perm, sgn, 1e-3);
    egdi_fa_result_release(&res);
    run(&fx, EGDI_FA_PAF, EGDI_FA_ROT_OBLIMIN, true, &res, k);
    assert_loadings(res.loadings, ref(set, "paf.oblimin.psych"), 1e-3, perm, sgn);
    assert_phi(res.phi, ref(set, "paf.oblimin.phi.psych"), perm, sgn, 1e-3);
    egdi_fa_result_release(&res);
    teardown_set(&fx);
}

static void paf_bfi(void **state)
{
    (void)state;
    check_paf("bfi");
}

static void paf_sim(void **state)
{
    (void)state;
    check_paf("sim");
}

static void check_ml(const char *set)
{
    fixture fx;
    setup_set(&fx, set);
    size_t k = nfact(set);
    egdi_fa_result res;
    /* stats::factanal(covmat = R, k, n.obs, rotation = "none",
     *                 control = list(opt = list(factr = 1, pgtol = 0, maxit = 10000))) */
    run(&fx, EGDI_FA_ML, EGDI_FA_ROT_NONE, false, &res, k);
    assert_loadings(res.unrotated, ref(set, "ml.none.full"), 1e-6, NULL, NULL);
    assert_vec(res.uniqueness, ref(set, "ml.uniq.full"), 1e-6);
    assert_close(res.objective, ref1(set, "ml.objective.full"), 1e-9, "ml objective");
    assert_close(res.chi2, ref1(set, "ml.chi2.full"), 1e-6, "ml chi2 ($STATISTIC)");
    assert_close(res.df, ref1(set, "ml.df"), 0, "ml df ($dof)");
    double pv = ref1(set, "ml.p.full");
    assert_close(res.p_value / pv, 1, 1e-5, "ml p ($PVAL, relative)");
    assert_int_equal(res.heywood, -1);
    egdi_fa_result_release(&res);
    /* factanal(..., rotation = "varimax", control = list(rotate = list(eps = 1e-14))) */
    run(&fx, EGDI_FA_ML, EGDI_FA_ROT_VARIMAX, false, &res, k);
    assert_loadings(res.loadings, ref(set, "ml.varimax.full"), 1e-6, NULL, NULL);
    egdi_fa_result_release(&res);
    /* factanal(covmat = R, k, n.obs, rotation = "varimax") with its defaults,
     * and psych::fa(R, k, n.obs, fm = "ml", rotate = "none"), at 1e-3 */
    run(&fx, EGDI_FA_ML, EGDI_FA_ROT_VARIMAX, true, &res, k);
    assert_loadings(res.loadings, ref(set, "ml.varimax.psych"), 1e-3, NULL, NULL);
    assert_close(res.chi2 / ref1(set, "ml.chi2.psych"), 1, 1e-3, "ml chi2 (defaults)");
    egdi_fa_result_release(&res);
    run(&fx, EGDI_FA_ML, EGDI_FA_ROT_NONE, true, &res, k);
    assert_loadings(res.loadings, ref(set, "fa_ml.none.psych"), 1e-3, NULL, NULL);
    egdi_fa_result_release(&res);
    teardown_set(&fx);
}

static void ml_bfi(void **state)
{
    (void)state;
    check_ml("bfi");
}

static void ml_sim(void **state)
{
    (void)state;
    check_ml("sim");
}

/* ---- number of factors, log p, degenerate input --------------------- */

/* Parallel analysis is seeded: the same seed gives the same thresholds; the
 * simulated data was built with 3 factors and psych::fa.parallel(sim) finds 3
 * components too (not stored: R's random numbers differ). */
static void parallel_analysis(void **state)
{
    (void)state;
    fixture fx;
    setup_set(&fx, "sim");
    size_t p = fx.d.p, k1, k2;
    egdi_fa_options o;
    egdi_fa_options_init(&o);
    o.rule = EGDI_FA_NFACT_PARALLEL;
    egdi_fa_work *w = egdi_fa_work_alloc(p);
    double t1[12], t2[12], ev[12];
    egdi_error e;
    assert_int_equal(egdi_fa_nfactors(fx.r, p, fx.d.n, &o, w, &k1, ev, t1, &e), EGDI_OK);
    assert_int_equal(egdi_fa_nfactors(fx.r, p, fx.d.n, &o, w, &k2, ev, t2, &e), EGDI_OK);
    assert_int_equal(k1, 3);
    assert_int_equal(k2, 3);
    assert_memory_equal(t1, t2, sizeof t1);
    /* random-data eigenvalues of 500 x 12: the first near (1 + sqrt(12/500))^2 */
    assert_true(t1[0] > 1.1 && t1[0] < 1.5);
    for (size_t j = 1; j < p; j++)
        assert_true(t1[j] < t1[j - 1]);
    o.seed = 2;
    assert_int_equal(egdi_fa_nfactors(fx.r, p, fx.d.n, &o, w, &k2, ev, t2, &e), EGDI_OK);
    assert_memory_not_equal(t1, t2, sizeof t1);
    egdi_fa_work_free(w);
    teardown_set(&fx);
}

/* pchisq(x, df, lower.tail = FALSE, log.p = TRUE) */
static void log_upper_tail(void **state)
{
    (void)state;
    assert_close(egdi_fa_chisq_log_q(ref1("bfi", "chi2"), 300), ref1("bfi", "logp"), 1e-7,
                 "log p bfi");
    assert_close(egdi_fa_chisq_log_q(ref1("sim", "chi2"), 66), ref1("sim", "logp"), 1e-8,
                 "log p sim");
    assert_close(egdi_fa_chisq_log_q(3.0, 4.0), log(0.55782540037107464), 1e-12, "small x");
}

static void degenerate(void **state)
{
    (void)state;
    fixture fx;
    setup_set(&fx, "sim");
    size_t n = fx.d.n, p = fx.d.p;
    egdi_error e;
    double *r = malloc(p * p * sizeof(double));
    /* a zero-variance item */
    double *x = malloc(n * p * sizeof(double));
    memcpy(x, fx.d.x, n * p * sizeof(double));
    for (size_t i = 0; i < n; i++)
        x[4 * n + i] = 3;
    assert_int_equal(egdi_fa_corr(x, n, p, fx.d.nameptr, r, NULL, NULL, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "Q05"));
    assert_non_null(strstr(e.message, "zero variance"));
    /* an item equal to the sum of two others: singular, named */
    memcpy(x, fx.d.x, n * p * sizeof(double));
    for (size_t i = 0; i < n; i++)
        x[7 * n + i] = x[0 * n + i] + x[1 * n + i];
    assert_int_equal(egdi_fa_corr(x, n, p, fx.d.nameptr, r, NULL, NULL, &e), EGDI_OK);
    egdi_fa_kmo k;
    assert_int_equal(egdi_fa_kmo_compute(r, p, n, fx.d.nameptr, &k, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "Q08"));
    assert_non_null(strstr(e.message, "linear combination"));
    egdi_fa_result res;
    egdi_fa_options o;
    egdi_fa_options_init(&o);
    egdi_fa_work *w = egdi_fa_work_alloc(p);
    assert_int_equal(egdi_fa_run(r, p, n, fx.d.nameptr, &o, w, &res, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "Q08"));
    /* fewer respondents than items */
    assert_int_equal(egdi_fa_run(fx.r, p, 10, fx.d.nameptr, &o, w, &res, &e), EGDI_ERR_NUMERIC);
    assert_int_equal(egdi_fa_kmo_compute(fx.r, p, 5, fx.d.nameptr, &k, &e), EGDI_ERR_NUMERIC);
    /* too many factors for ML's test of fit: 12 items, 8 factors -> df < 0 */
    o.method = EGDI_FA_ML;
    o.rule = EGDI_FA_NFACT_FIXED;
    o.nfactors = 8;
    assert_int_equal(egdi_fa_run(fx.r, p, n, fx.d.nameptr, &o, w, &res, &e), EGDI_ERR_ARG);
    o.nfactors = 12;
    o.method = EGDI_FA_PAF;
    assert_int_equal(egdi_fa_run(fx.r, p, n, fx.d.nameptr, &o, w, &res, &e), EGDI_ERR_ARG);
    /* non-convergence: PAF with 2 iterations */
    o.nfactors = 3;
    o.max_iter = 2;
    assert_int_equal(egdi_fa_run(fx.r, p, n, fx.d.nameptr, &o, w, &res, &e), EGDI_ERR_CONVERGE);
    o.allow_nonconverged = true;
    assert_int_equal(egdi_fa_run(fx.r, p, n, fx.d.nameptr, &o, w, &res, &e), EGDI_OK);
    assert_false(res.converged);
    assert_int_equal(res.iterations, 2);
    egdi_fa_result_release(&res);
    egdi_fa_result_release(&res);
    egdi_fa_work_free(w);
    free(x);
    free(r);
    teardown_set(&fx);
}

/* A Heywood case: three items that correlate .9, .9 and .2 cannot be one
 * factor with communalities below 1 (h1 = r12 r13 / r23 = 4.05). */
static void heywood(void **state)
{
    (void)state;
    double r[9] = {1, .9, .9, .9, 1, .2, .9, .2, 1};
    /* not positive definite: named */
    egdi_fa_options o;
    egdi_fa_options_init(&o);
    o.rule = EGDI_FA_NFACT_FIXED;
    o.nfactors = 1;
    egdi_fa_work *w = egdi_fa_work_alloc(3);
    egdi_fa_result res;
    egdi_error e;
    assert_int_equal(egdi_fa_run(r, 3, 100, NULL, &o, w, &res, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "item 3"));
    /* positive definite, 4 items, but a Heywood case for one-factor PAF */
    double r4[16] = {1, .8, .8, .1, .8, 1, .62, .1, .8, .62, 1, .1, .1, .1, .1, 1};
    egdi_fa_work_free(w);
    w = egdi_fa_work_alloc(4);
    const char *names[] = {"H1", "H2", "H3", "H4"};
    assert_int_equal(egdi_fa_run(r4, 4, 200, names, &o, w, &res, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "Heywood"));
    assert_non_null(strstr(e.message, "H1"));
    /* ML on the same matrix: uniqueness of H1 on factanal's 0.005 bound;
     * stats::factanal(covmat = r4, 1, n.obs = 200, control = list(opt =
     * list(factr = 1, pgtol = 0))): $uniquenesses, $loadings, $STATISTIC */
    o.method = EGDI_FA_ML;
    assert_int_equal(egdi_fa_run(r4, 4, 200, names, &o, w, &res, &e), EGDI_OK);
    assert_int_equal(res.heywood, 0);
    assert_close(res.uniqueness[0], 0.005, 1e-12, "ML uniqueness on the bound");
    assert_vec(res.uniqueness, ref("heywood", "ml.uniq"), 1e-6);
    assert_loadings(res.unrotated, ref("heywood", "ml.loadings"), 1e-6, NULL, NULL);
    assert_close(res.chi2, ref1("heywood", "ml.chi2"), 1e-6, "Heywood ML chi2");
    egdi_fa_result_release(&res);
    egdi_fa_work_free(w);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corr_kmo_bfi),
        cmocka_unit_test(corr_kmo_sim),
        cmocka_unit_test(pairwise_bfi),
        cmocka_unit_test(corr_shifted),
        cmocka_unit_test(pca_bfi),
        cmocka_unit_test(pca_sim),
        cmocka_unit_test(paf_bfi),
        cmocka_unit_test(paf_sim),
        cmocka_unit_test(ml_bfi),
        cmocka_unit_test(ml_sim),
        cmocka_unit_test(parallel_analysis),
        cmocka_unit_test(log_upper_tail),
        cmocka_unit_test(degenerate),
        cmocka_unit_test(heywood),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    for (size_t i = 0; i < nrefs; i++)
        free(refs[i].v);
    return rc;
}
