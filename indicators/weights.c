/*
 * weights.c - AHP, entropy and equal weights (see weights.h).  The AHP
 * eigen problem uses a GSL workspace allocated and freed in egdi_weights_ahp().
 */
#include "indicators/weights.h"
#include "indicators/score_store.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "engine/core/value.h"

static const double saaty_ri[EGDI_AHP_MAX_N + 1] = {
    NAN, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
};

double egdi_weights_ahp_random_index(size_t n)
{
    return (n >= 1 && n <= EGDI_AHP_MAX_N) ? saaty_ri[n] : NAN;
}

void egdi_weights_equal(size_t k, double *w)
{
    for (size_t i = 0; i < k; i++)
        w[i] = 1.0 / (double)k;
}

egdi_status egdi_weights_ahp(const double *a, size_t n, egdi_ahp_result *r, egdi_error *err)
{
    memset(r, 0, sizeof *r);
    if (n < 1 || n > EGDI_AHP_MAX_N)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "AHP needs 1 to %d items (Saaty's random index table), not %zu",
                              EGDI_AHP_MAX_N, n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double x = a[i * n + j], y = a[j * n + i];
            if (!(x > 0) || !isfinite(x))
                return egdi_error_set(err, EGDI_ERR_VALUE,
                                      "comparison (%zu, %zu) = %g: entries must be positive", i + 1,
                                      j + 1, x);
            if (i == j && fabs(x - 1.0) > 1e-12)
                return egdi_error_set(err, EGDI_ERR_VALUE,
                                      "comparison (%zu, %zu) = %g: the diagonal must be 1", i + 1,
                                      j + 1, x);
            if (fabs(x * y - 1.0) > 1e-3)
                return egdi_error_set(err, EGDI_ERR_VALUE,
                                      "the matrix is not reciprocal: (%zu, %zu) = %g but (%zu, "
                                      "%zu) = %g (should be %g)",
                                      i + 1, j + 1, x, j + 1, i + 1, y, 1.0 / x);
        }
    r->n = n;
    r->ri = saaty_ri[n];
    if (n == 1) {
        r->w[0] = 1.0;
        r->lambda_max = 1.0;
        return EGDI_OK;
    }
    gsl_matrix *A = gsl_matrix_alloc(n, n);
    gsl_vector_complex *eval = gsl_vector_complex_alloc(n);
    gsl_matrix_complex *evec = gsl_matrix_complex_alloc(n, n);
    gsl_eigen_nonsymmv_workspace *ws = gsl_eigen_nonsymmv_alloc(n);
    egdi_status st = EGDI_OK;
    if (!A || !eval || !evec || !ws) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            gsl_matrix_set(A, i, j, a[i * n + j]);
    if (gsl_eigen_nonsymmv(A, eval, evec, ws) != GSL_SUCCESS) {
        st = egdi_error_set(err, EGDI_ERR_CONVERGE, "the eigenvalue computation did not converge");
        goto done;
    }
    size_t best = 0;
    for (size_t k = 1; k < n; k++)
        if (GSL_REAL(gsl_vector_complex_get(eval, k)) >
            GSL_REAL(gsl_vector_complex_get(eval, best)))
            best = k;
    r->lambda_max = GSL_REAL(gsl_vector_complex_get(eval, best));
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += GSL_REAL(gsl_matrix_complex_get(evec, i, best));
    for (size_t i = 0; i < n; i++)
        r->w[i] = GSL_REAL(gsl_matrix_complex_get(evec, i, best)) / sum;
    r->ci = (r->lambda_max - (double)n) / (double)(n - 1);
    if (n <= 2 || r->ci < 0)
        r->ci = n <= 2 ? 0.0 : r->ci;
    r->cr = r->ri > 0 ? r->ci / r->ri : 0.0;
    if (r->cr > EGDI_AHP_CR_LIMIT)
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "the comparisons are inconsistent: CR = %.4f > %.2f (lambda_max = "
                            "%.4f, CI = %.4f, RI = %.2f); revise the matrix",
                            r->cr, EGDI_AHP_CR_LIMIT, r->lambda_max, r->ci, r->ri);
done:
    gsl_eigen_nonsymmv_free(ws);
    gsl_matrix_complex_free(evec);
    gsl_vector_complex_free(eval);
    gsl_matrix_free(A);
    return st;
}

/* "3", "1/3", "0.333", with spaces (egdi_value_fraction, the one text ->
 * number parser; a percent is no judgement); false on anything else. */
static bool parse_entry(const egdi_cell *c, double *out)
{
    if (c->type == EGDI_CELL_NUMBER) {
        *out = c->num;
        return true;
    }
    if (c->type != EGDI_CELL_TEXT || !c->text)
        return false;
    bool pct;
    return egdi_value_fraction(c->text, c->len, out, &pct, NULL) == EGDI_OK && !pct;
}

static char *trimmed(const egdi_cell *c)
{
    if (!c->text)
        return strdup("");
    const char *s = c->text;
    size_t n = c->len;
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

void egdi_weights_ahp_matrix_free(char **codes, size_t n, double *a)
{
    if (codes)
        for (size_t i = 0; i < n; i++)
            free(codes[i]);
    free(codes);
    free(a);
}

egdi_status egdi_weights_ahp_read(egdi_reader *r, size_t *n_out, char ***codes_out, double **a_out,
                          egdi_error *err)
{
    *n_out = 0;
    *codes_out = NULL;
    *a_out = NULL;
    const char *file = egdi_reader_name(r);
    egdi_row row;
    egdi_status st = egdi_reader_next(r, &row, err);
    if (st == EGDI_DONE) {
        egdi_error_set(err, EGDI_ERR_FORMAT, "the comparison matrix is empty");
        egdi_error_at(err, file, egdi_reader_sheet(r), 0, 0);
        return EGDI_ERR_FORMAT;
    }
    if (st)
        return st;
    size_t n = row.ncells ? row.ncells - 1 : 0;
    if (n < 1 || n > EGDI_AHP_MAX_N) {
        egdi_error_set(err, EGDI_ERR_FORMAT,
                       "the header row names %zu items; AHP takes 1 to %d", n, EGDI_AHP_MAX_N);
        egdi_error_at(err, file, egdi_reader_sheet(r), row.number, 0);
        return EGDI_ERR_FORMAT;
    }
    char **codes = calloc(n, sizeof *codes);
    double *a = calloc(n * n, sizeof *a);
    if (!codes || !a) {
        egdi_weights_ahp_matrix_free(codes, n, a);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < n; j++) {
        codes[j] = trimmed(&row.cells[j + 1]);
        if (!codes[j]) {
            egdi_weights_ahp_matrix_free(codes, n, a);
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        }
        if (!*codes[j]) {
            egdi_weights_ahp_matrix_free(codes, n, a);
            egdi_error_set(err, EGDI_ERR_FORMAT, "empty item code in the header");
            egdi_error_at(err, file, egdi_reader_sheet(r), row.number, (uint32_t)j + 2);
            return EGDI_ERR_FORMAT;
        }
    }
    size_t i = 0;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        if (i == n) {
            st = egdi_error_set(err, EGDI_ERR_FORMAT, "more rows than the %zu items of the header",
                                n);
            egdi_error_at(err, file, egdi_reader_sheet(r), row.number, 0);
            break;
        }
        char *code = row.ncells ? trimmed(&row.cells[0]) : strdup("");
        if (!code) {
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            break;
        }
        bool same = strcasecmp(code, codes[i]) == 0;
        if (!same) {
            st = egdi_error_set(err, EGDI_ERR_FORMAT, "row item \"%s\" where the header has \"%s\"",
                                code, codes[i]);
            egdi_error_at(err, file, egdi_reader_sheet(r), row.number, 1);
            free(code);
            break;
        }
        free(code);
        for (size_t j = 0; j < n; j++) {
            if (j + 1 >= row.ncells || !parse_entry(&row.cells[j + 1], &a[i * n + j])) {
                st = egdi_error_set(err, EGDI_ERR_VALUE,
                                    "comparison %s over %s is missing or not a number (write 3, "
                                    "1/3 or 0.333)",
                                    codes[i], codes[j]);
                egdi_error_at(err, file, egdi_reader_sheet(r), row.number, (uint32_t)j + 2);
                break;
            }
        }
        if (st)
            break;
        i++;
    }
    if (st == EGDI_DONE && i < n) {
        st = egdi_error_set(err, EGDI_ERR_FORMAT, "%zu rows for %zu items", i, n);
        egdi_error_at(err, file, egdi_reader_sheet(r), 0, 0);
    }
    if (st != EGDI_DONE) {
        egdi_weights_ahp_matrix_free(codes, n, a);
        return st;
    }
    *n_out = n;
    *codes_out = codes;
    *a_out = a;
    return EGDI_OK;
}

egdi_status egdi_weights_entropy(const double *x, size_t n, size_t m, double *w, egdi_error *err)
{
    if (n < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "entropy weights need at least 2 units");
    double dsum = 0;
    for (size_t j = 0; j < m; j++) {
        const double *c = x + j * n;
        double s = 0;
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(c[i]))
                return egdi_error_set(err, EGDI_ERR_VALUE,
                                      "entropy weights need finite values (indicator %zu, unit "
                                      "%zu has none)",
                                      j + 1, i + 1);
            if (!(c[i] >= 0))
                return egdi_error_set(err, EGDI_ERR_VALUE,
                                      "entropy weights need values >= 0 (indicator %zu, unit %zu "
                                      "has %g)",
                                      j + 1, i + 1, c[i]);
            s += c[i];
        }
        if (!isfinite(s))
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "indicator %zu: its values add up beyond the largest number; "
                                  "no entropy weight", j + 1);
        if (!(s > 0))
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "indicator %zu is 0 for every unit: no entropy weight", j + 1);
        double e = 0;
        for (size_t i = 0; i < n; i++) {
            double p = c[i] / s;
            if (p > 0)
                e -= p * log(p);
        }
        e /= log((double)n);
        w[j] = 1.0 - e;
        dsum += w[j];
    }
    if (!(dsum > 1e-15))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "every indicator has the same value for all units: entropy "
                              "weights are undefined");
    for (size_t j = 0; j < m; j++)
        w[j] /= dsum;
    return EGDI_OK;
}

egdi_status egdi_weights_entropy_minmax(const double *x, size_t n, size_t k, const int *dir,
                                        double *w, egdi_error *err)
{
    /* column-major for egdi_weights_entropy */
    double *cm = malloc((n * k > 0 ? n * k : 1) * sizeof *cm);
    if (!cm)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t c = 0; c < k; c++) {
        double lo = n ? x[c] : 0, hi = lo;
        for (size_t i = 1; i < n; i++) {
            lo = fmin(lo, x[i * k + c]);
            hi = fmax(hi, x[i * k + c]);
        }
        /* near +-1e308 hi - lo overflows: then halves (exact) are taken */
        double h = isfinite(hi - lo) ? 1.0 : 0.5;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * k + c];
            cm[c * n + i] = hi > lo ? (dir[c] < 0 ? h * hi - h * v : h * v - h * lo) /
                                          (h * hi - h * lo)
                                    : 1.0;
        }
    }
    egdi_status st = egdi_weights_entropy(cm, n, k, w, err);
    free(cm);
    return st;
}

void egdi_weights_entropy_children_release(egdi_weights_entropy_children *c)
{
    if (!c)
        return;
    free(c->codes);
    free(c->node);
    free(c->direction);
    free(c->w);
    memset(c, 0, sizeof *c);
}

egdi_status egdi_weights_entropy_children_init(egdi_weights_entropy_children *c, const egdi_model *m,
                                       const char *parent, egdi_error *err)
{
    memset(c, 0, sizeof *c);
    c->model = m;
    c->parent = parent;
    long p = egdi_model_find(m, parent);
    if (p < 0)
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "no indicator %s in the model", parent);
    const egdi_node *pn = &m->nodes[p];
    size_t k = pn->nchildren;
    c->codes = calloc(k ? k : 1, sizeof *c->codes);
    c->node = calloc(k ? k : 1, sizeof *c->node);
    c->direction = calloc(k ? k : 1, sizeof *c->direction);
    c->w = calloc(k ? k : 1, sizeof *c->w);
    if (!c->codes || !c->node || !c->direction || !c->w) {
        egdi_weights_entropy_children_release(c);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    c->k = k;
    for (size_t i = 0; i < k; i++) {
        const egdi_node *child = &m->nodes[pn->children[i]];
        c->codes[i] = child->code;
        c->node[i] = pn->children[i];
        c->direction[i] = child->direction;
        if (!egdi_node_is_leaf(child)) {
            egdi_status st = egdi_error_set(err, EGDI_ERR_ARG,
                                            "%s is not a leaf indicator: entropy weights need "
                                            "observed values of every child of %s",
                                            child->code, parent);
            egdi_weights_entropy_children_release(c);
            return st;
        }
    }
    if (k == 0) {
        egdi_weights_entropy_children_release(c);
        return egdi_error_set(err, EGDI_ERR_ARG, "%s has no children", parent);
    }
    return EGDI_OK;
}

egdi_status egdi_weights_entropy_from_store(egdi_weights_entropy_children *c, egdi_store *s, int round,
                                    egdi_error *err)
{
    egdi_round_input in;
    egdi_status st = egdi_score_load_round(s, c->model, round, &in, err);
    if (st == EGDI_ERR_NOT_FOUND) { /* no value at all: no unit has them */
        egdi_error_clear(err);
        memset(&in, 0, sizeof in);
    } else if (st != EGDI_OK) {
        return st;
    }
    size_t U = in.in.nunits, k = c->k, N = c->model->nnodes, n = 0;
    double *x = malloc((U * k > 0 ? U * k : 1) * sizeof *x);
    if (!x) {
        egdi_round_input_release(&in);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t u = 0; u < U; u++) {
        bool all = true;
        for (size_t j = 0; j < k && all; j++)
            all = !isnan(in.raw[u * N + c->node[j]]);
        if (!all)
            continue;
        for (size_t j = 0; j < k; j++)
            x[n * k + j] = in.raw[u * N + c->node[j]];
        n++;
    }
    egdi_round_input_release(&in);
    c->n = n;
    if (n < 2)
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "round %d has %zu units with all of %s's indicators; entropy "
                            "weights need 2 or more",
                            round, n, c->parent);
    else
        st = egdi_weights_entropy_minmax(x, n, k, c->direction, c->w, err);
    free(x);
    return st;
}
