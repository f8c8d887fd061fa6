# factor_ref.R - reference numbers for surveys/factor.c (tests/unit/test_factor.c).
#
#   cd <repo> && Rscript tests/r/factor_ref.R
#
# Writes
#   tests/data/survey/bfi25.csv    the 25 personality items of psych::bfi (2800
#                                respondents, NA = empty cell)
#   tests/data/survey/sim12.csv  500 simulated respondents x 12 five-point items
#                                with 3 factors (set.seed(20240601))
#   tests/r/factor_ref.out       one line per reference value or matrix:
#                                KEY NROW NCOL v11 v12 ... (row-major, %.17g)
#
# Data: listwise results use the complete rows (na.omit) and pass the
# correlation matrix, because psych given raw data with NAs uses pairwise
# correlations.  The keys "pw.*" are psych's pairwise results on raw bfi.
#
# Two sets of iterative references:
#   *.psych  R's defaults (psych::fa min.err 0.001 / max.iter 50,
#            stats::varimax eps 1e-5, GPArotation eps 1e-5, factanal's
#            L-BFGS-B defaults) - compared at 1e-3 with egdi's psych mode;
#   *.full   run to full convergence (fa min.err 1e-14 / max.iter 100000,
#            varimax eps 1e-14, oblimin eps 1e-8, factanal factr 1 /
#            pgtol 0) - compared at 1e-6 with egdi's defaults.
suppressMessages({ library(psych); library(GPArotation) })

out <- file("tests/r/factor_ref.out", "w")
emit <- function(key, m) {
  m <- as.matrix(m)
  cat(key, nrow(m), ncol(m), sprintf("%.17g", as.vector(t(m))), "\n", file = out)
}

# ---- data ---------------------------------------------------------------
items <- colnames(psych::bfi)[1:25]
bfi25 <- psych::bfi[, items]
write.csv(bfi25, "tests/data/survey/bfi25.csv", row.names = FALSE, na = "")

set.seed(20240601)
n <- 500
f <- matrix(rnorm(n * 3), n, 3)
f[, 2] <- 0.3 * f[, 1] + sqrt(1 - 0.09) * f[, 2]   # correlated factors
lam <- c(0.8, 0.7, 0.6, 0.5)
sim <- matrix(0, n, 12)
for (j in 1:12) {
  fac <- (j - 1) %/% 4 + 1
  z <- lam[(j - 1) %% 4 + 1] * f[, fac] + rnorm(n) * sqrt(1 - lam[(j - 1) %% 4 + 1]^2)
  sim[, j] <- as.integer(cut(z, c(-Inf, -1.5, -0.5, 0.5, 1.5, Inf)))
}
colnames(sim) <- sprintf("Q%02d", 1:12)
write.csv(sim, "tests/data/survey/sim12.csv", row.names = FALSE)

# ---- pairwise (psych's behaviour on raw data with NAs) -------------------
emit("pw.bfi.r", cor(bfi25, use = "pairwise"))
k <- psych::KMO(bfi25)
emit("pw.bfi.kmo", k$MSA); emit("pw.bfi.msa", k$MSAi)
b <- psych::cortest.bartlett(bfi25)            # n = nrow(bfi25) = 2800
emit("pw.bfi.chi2", b$chisq); emit("pw.bfi.df", b$df)

# ---- per data set --------------------------------------------------------
full_varimax <- function(L) stats::varimax(L, eps = 1e-14)$loadings
# psych's promax (kaiser(L, rotate = "Promax")) with varimax run to eps 1e-14:
# the code of psych::kaiser and psych::Promax with only the eps changed.
full_promax <- function(L, m = 4) {
  h2 <- diag(L %*% t(L)); x <- L / sqrt(h2)
  xx <- stats::varimax(x, eps = 1e-14); x <- xx$loadings
  Q <- x * abs(x)^(m - 1)
  U <- lm.fit(x, Q)$coefficients
  d <- diag(solve(t(U) %*% U))
  U <- U %*% diag(sqrt(d))
  z <- x %*% U
  U <- xx$rotmat %*% U
  ui <- solve(U)
  list(loadings = unclass(z) * sqrt(h2), Phi = ui %*% t(ui))
}

ref <- function(tag, x, k) {
  x <- na.omit(x)
  n <- nrow(x)
  R <- cor(x)
  emit(paste0(tag, ".n"), n)
  emit(paste0(tag, ".r"), R)
  # psych::KMO(R); psych::cortest.bartlett(R, n); det(R)
  km <- psych::KMO(R)
  emit(paste0(tag, ".kmo"), km$MSA)
  emit(paste0(tag, ".msa"), km$MSAi)
  b <- psych::cortest.bartlett(R, n = n)
  emit(paste0(tag, ".chi2"), b$chisq)
  emit(paste0(tag, ".df"), b$df)
  emit(paste0(tag, ".p"), b$p.value)
  emit(paste0(tag, ".logp"), pchisq(b$chisq, b$df, lower.tail = FALSE, log.p = TRUE))
  emit(paste0(tag, ".det"), det(R))
  emit(paste0(tag, ".eigen"), eigen(R)$values)
  emit(paste0(tag, ".smc"), psych::smc(R))
  emit(paste0(tag, ".kaiser"), sum(eigen(R)$values > 1))

  # psych::principal(R, k, rotate = "none" / "varimax") (closed form + varimax)
  pc <- psych::principal(R, nfactors = k, rotate = "none")
  emit(paste0(tag, ".pca.none"), unclass(pc$loadings))
  emit(paste0(tag, ".pca.comm"), pc$communality)
  pcv <- psych::principal(R, nfactors = k, rotate = "varimax")
  emit(paste0(tag, ".pca.varimax.psych"), unclass(pcv$loadings))
  emit(paste0(tag, ".pca.varimax.full"), full_varimax(unclass(pc$loadings)))

  # psych::fa(R, k, n.obs = n, fm = "pa", ...)
  pa <- psych::fa(R, nfactors = k, n.obs = n, fm = "pa", rotate = "none",
                  min.err = 1e-14, max.iter = 100000)
  Lpa <- unclass(pa$loadings)
  emit(paste0(tag, ".paf.none.full"), Lpa)
  emit(paste0(tag, ".paf.comm.full"), pa$communality)
  emit(paste0(tag, ".paf.varimax.full"), full_varimax(Lpa))
  pr <- full_promax(Lpa)
  emit(paste0(tag, ".paf.promax.full"), pr$loadings)
  emit(paste0(tag, ".paf.promax.phi.full"), pr$Phi)
  ob <- GPArotation::oblimin(Lpa, eps = 1e-8, maxit = 100000)
  emit(paste0(tag, ".paf.oblimin.full"), unclass(ob$loadings))
  emit(paste0(tag, ".paf.oblimin.phi.full"), ob$Phi)

  pa0 <- psych::fa(R, nfactors = k, n.obs = n, fm = "pa", rotate = "none")
  emit(paste0(tag, ".paf.none.psych"), unclass(pa0$loadings))
  emit(paste0(tag, ".paf.comm.psych"), pa0$communality)
  emit(paste0(tag, ".paf.iter.psych"), length(pa0$communality.iterations))
  pav <- psych::fa(R, nfactors = k, n.obs = n, fm = "pa", rotate = "varimax")
  emit(paste0(tag, ".paf.varimax.psych"), unclass(pav$loadings))
  pap <- psych::fa(R, nfactors = k, n.obs = n, fm = "pa", rotate = "promax")
  emit(paste0(tag, ".paf.promax.psych"), unclass(pap$loadings))
  emit(paste0(tag, ".paf.promax.phi.psych"), pap$Phi)
  pao <- psych::fa(R, nfactors = k, n.obs = n, fm = "pa", rotate = "oblimin")
  emit(paste0(tag, ".paf.oblimin.psych"), unclass(pao$loadings))
  emit(paste0(tag, ".paf.oblimin.phi.psych"), pao$Phi)

  # stats::factanal(covmat = R, k, n.obs = n)
  ml <- stats::factanal(covmat = R, factors = k, n.obs = n, rotation = "none",
                        control = list(opt = list(factr = 1, pgtol = 0, maxit = 10000)))
  emit(paste0(tag, ".ml.none.full"), unclass(ml$loadings))
  emit(paste0(tag, ".ml.uniq.full"), ml$uniquenesses)
  emit(paste0(tag, ".ml.objective.full"), ml$criteria[["objective"]])
  emit(paste0(tag, ".ml.chi2.full"), ml$STATISTIC)
  emit(paste0(tag, ".ml.df"), ml$dof)
  emit(paste0(tag, ".ml.p.full"), ml$PVAL)
  mlv <- stats::factanal(covmat = R, factors = k, n.obs = n, rotation = "varimax",
                         control = list(opt = list(factr = 1, pgtol = 0, maxit = 10000),
                                        rotate = list(eps = 1e-14)))
  emit(paste0(tag, ".ml.varimax.full"), unclass(mlv$loadings))
  ml0 <- stats::factanal(covmat = R, factors = k, n.obs = n, rotation = "varimax")
  emit(paste0(tag, ".ml.varimax.psych"), unclass(ml0$loadings))
  emit(paste0(tag, ".ml.chi2.psych"), ml0$STATISTIC)
  mlp <- psych::fa(R, nfactors = k, n.obs = n, fm = "ml", rotate = "none")
  emit(paste0(tag, ".fa_ml.none.psych"), unclass(mlp$loadings))

  # psych::factor.scores(x, f = full varimax PAF loadings, method = "Thurstone")
  Lv <- full_varimax(Lpa)
  fs <- psych::factor.scores(x, f = Lv, method = "Thurstone")
  emit(paste0(tag, ".scores.weights"), fs$weights)
  emit(paste0(tag, ".scores.head"), fs$scores[1:5, ])
}

ref("bfi", bfi25, 5)
ref("sim", as.data.frame(sim), 3)

# A Heywood case: one factor for this matrix wants a communality above 1;
# factanal leaves the first uniqueness on its lower bound 0.005.
r4 <- matrix(c(1, .8, .8, .1, .8, 1, .62, .1, .8, .62, 1, .1, .1, .1, .1, 1), 4)
hw <- stats::factanal(covmat = r4, factors = 1, n.obs = 200,
                      control = list(opt = list(factr = 1, pgtol = 0)))
emit("heywood.ml.uniq", hw$uniquenesses)
emit("heywood.ml.loadings", unclass(hw$loadings))
emit("heywood.ml.chi2", hw$STATISTIC)
close(out)
