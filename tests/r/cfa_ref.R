# cfa_ref.R - reference numbers for surveys/cfa.c and surveys/validity.c
# (tests/unit/test_cfa.c, tests/unit/test_validity.c, tests/cli/survey_cfa.sh).
#
#   cd <repo> && Rscript tests/r/cfa_ref.R
#
# lavaan 0.6-14, semTools 0.5-6, psych 2.2.9.
#
# Writes
#   tests/data/survey/hs1939.csv         lavaan::HolzingerSwineford1939, x1-x9
#                                        (301 respondents; write.csv's 15 digits
#                                        hold every value exactly)
#   tests/data/survey/hs1939_scales.csv  the tutorial's three factors as a scales
#                                        table (scale,item,reversed)
#   tests/data/survey/bfi25_scales.csv   the five psych::bfi scales of
#                                        tests/data/survey/bfi25.csv (written by
#                                        factor_ref.R) with psych's reverse keys
#   tests/r/cfa_ref.out                  one line per reference value or matrix:
#                                        KEY NROW NCOL v11 v12 ... (row-major, %.17g)
#
# Every model is fitted on the data read back from the CSV, so R and egdi
# see the same numbers.  Options: lavaan::cfa defaults (estimator ML,
# likelihood "normal": covariances with divisor N, test statistic N * F_ML;
# no mean structure; the first loading of each factor fixed to 1 unless
# std.lv = TRUE; se = "standard" from the expected information, structured:
# lavInspect(fit, "options")$information is "expected", h1.information
# "structured").  Keys:
#   <set>.def.*   lavaan's own stop (nlminb, rel.tol 1e-10): its estimates
#                 sit about 1e-6 from the optimum, so egdi is compared with
#                 them at 1e-5;
#   <set>.*       the same model refitted with optim.method = "BFGS",
#                 control = list(reltol = 1e-16, maxit = 10000) (gradient
#                 below 1e-9; all other options the defaults): the optimum
#                 itself, compared at 1e-6 (fit indices, loadings) and 1e-5
#                 (standard errors);
#   <set>.rmsea.ci.tight  lavaan's RMSEA interval (lav_fit_rmsea_ci) with
#                 uniroot run to tol 1e-14 instead of its default 1.2e-4.
# bfi data: the complete rows of each scale's items (listwise, as egdi), the
# reverse-keyed items scored 7 - x (egdi: MIN + MAX - x with --scale 1-6).
suppressMessages({ library(lavaan); library(semTools); library(psych) })

out <- file("tests/r/cfa_ref.out", "w")
emit <- function(key, m) {
  m <- as.matrix(m)
  cat(key, nrow(m), ncol(m), sprintf("%.17g", as.vector(t(m))), "\n", file = out)
}

# ---- data ---------------------------------------------------------------
hs <- lavaan::HolzingerSwineford1939[, paste0("x", 1:9)]
write.csv(hs, "tests/data/survey/hs1939.csv", row.names = FALSE, quote = FALSE)
hs <- read.csv("tests/data/survey/hs1939.csv")
write.csv(data.frame(scale = rep(c("visual", "textual", "speed"), each = 3),
                     item = paste0("x", 1:9), reversed = 0),
          "tests/data/survey/hs1939_scales.csv", row.names = FALSE, quote = FALSE)

bfi <- read.csv("tests/data/survey/bfi25.csv")
keyed <- c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
write.csv(data.frame(scale = rep(c("A", "C", "E", "N", "O"), each = 5),
                     item = colnames(bfi),
                     reversed = as.integer(colnames(bfi) %in% keyed)),
          "tests/data/survey/bfi25_scales.csv", row.names = FALSE, quote = FALSE)
for (k in keyed) bfi[[k]] <- 7 - bfi[[k]]

cfa_tight <- function(model, data, ...)
  cfa(model, data = data, optim.method = "BFGS",
      control = list(reltol = 1e-16, maxit = 10000), ...)

rmsea_ci_tight <- function(X2, df, N) {
  lo <- function(l) pchisq(X2, df, ncp = l) - 0.95
  hi <- function(l) pchisq(X2, df, ncp = l) - 0.05
  a <- if (df < 1 || lo(0) < 0) 0 else
    sqrt(uniroot(lo, c(0, X2), tol = 1e-14)$root / (N * df))
  NR <- max(N, X2 * 4)
  b <- if (df < 1 || hi(NR) > 0 || hi(0) < 0) 0 else
    sqrt(uniroot(hi, c(0, NR), tol = 1e-14)$root / (N * df))
  c(a, b)
}

measures <- c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower",
              "rmsea.ci.upper", "rmsea.pvalue", "srmr", "gfi", "agfi", "aic", "bic",
              "logl", "unrestricted.logl", "baseline.chisq", "baseline.df",
              "baseline.pvalue", "npar", "fmin", "ntotal")

# Emits the fit, the estimates and (with mi) the modification indices of fit.
emit_fit <- function(tag, fit, mi = TRUE) {
  fm <- fitMeasures(fit, measures)
  for (k in measures) emit(paste0(tag, ".", k), fm[[k]])
  emit(paste0(tag, ".rmsea.ci.tight"),
       rmsea_ci_tight(fm[["chisq"]], fm[["df"]], fm[["ntotal"]]))
  pe <- parameterEstimates(fit, standardized = TRUE)
  # one row per parameter: est se z pvalue std.all (se/z/p NaN when fixed)
  for (i in seq_len(nrow(pe))) {
    r <- pe[i, ]
    emit(paste0(tag, ".par.", r$lhs, r$op, r$rhs),
         c(r$est, ifelse(r$se == 0, NaN, r$se), ifelse(is.na(r$z), NaN, r$z),
           ifelse(is.na(r$pvalue), NaN, r$pvalue), r$std.all))
  }
  emit(paste0(tag, ".implied"), fitted(fit)$cov)
  emit(paste0(tag, ".sample"), lavInspect(fit, "sampstat")$cov)
  if (mi) {
    # lavaan::modindices(fit): every cross-loading and residual covariance
    # not in the model: mi epc sepc.all
    m <- modindices(fit)
    emit(paste0(tag, ".mi.count"), nrow(m))
    for (i in seq_len(nrow(m)))
      emit(paste0(tag, ".mi.", m$lhs[i], m$op[i], m$rhs[i]),
           c(m$mi[i], m$epc[i], m$sepc.all[i]))
  }
}

# Reliability and validity of fit on data x with the model text model:
# semTools::compRelSEM (omega; obs.var = TRUE: the observed total variance,
# its default, and obs.var = FALSE: model-implied), semTools::AVE (default
# obs.var = TRUE), AVE and CR from the standardized loadings (Fornell &
# Larcker), semTools::htmt (htmt2 = FALSE: arithmetic means, Henseler et al.
# 2015; and its default htmt2 = TRUE: geometric means), psych::alpha with
# its Feldt interval (alpha.ci), Harman's single factor (first eigenvalue of
# the correlation matrix of all the model's items / p).
emit_validity <- function(tag, fit, model, x) {
  emit(paste0(tag, ".omega"), compRelSEM(fit))
  emit(paste0(tag, ".omega.implied"), compRelSEM(fit, obs.var = FALSE))
  emit(paste0(tag, ".ave.semtools"), AVE(fit))
  std <- lavInspect(fit, "std")$lambda
  facs <- colnames(std)
  cr <- ave <- numeric(length(facs))
  for (f in seq_along(facs)) {
    l <- std[std[, f] != 0, f]
    cr[f] <- sum(l)^2 / (sum(l)^2 + sum(1 - l^2))
    ave[f] <- mean(l^2)
  }
  emit(paste0(tag, ".cr"), cr)
  emit(paste0(tag, ".ave"), ave)
  emit(paste0(tag, ".phi.cor"), lavInspect(fit, "cor.lv"))
  emit(paste0(tag, ".htmt"), unclass(htmt(model, x, htmt2 = FALSE)))
  emit(paste0(tag, ".htmt2"), unclass(htmt(model, x)))
  for (f in seq_along(facs)) {
    items <- rownames(std)[std[, f] != 0]
    capture.output(a <- suppressMessages(suppressWarnings(
      psych::alpha(x[, items], check.keys = FALSE, warnings = FALSE))))
    emit(paste0(tag, ".alpha.", facs[f]),
         c(a$total$raw_alpha, a$feldt$lower.ci, a$feldt$upper.ci))
  }
  ev <- eigen(cor(x[, rownames(std)]))$values
  emit(paste0(tag, ".harman"), c(ev[1], ev[1] / length(ev)))
}

# ---- HolzingerSwineford1939: the lavaan tutorial's three factors ----------
hs.model <- " visual  =~ x1 + x2 + x3
              textual =~ x4 + x5 + x6
              speed   =~ x7 + x8 + x9 "
fit0 <- cfa(hs.model, data = hs)
# the standard errors egdi matches: lavaan's defaults for ML with complete data
opts <- lavInspect(fit0, "options")
stopifnot(opts$se == "standard", opts$information[1] == "expected",
          opts$h1.information[1] == "structured", opts$likelihood == "normal",
          opts$missing == "listwise", !opts$meanstructure)
emit_fit("hs.def", fit0, mi = FALSE)
fit <- cfa_tight(hs.model, hs)
emit_fit("hs", fit)
emit_validity("hs", fit, hs.model, hs)
emit("hs.grad", max(abs(lavInspect(fit, "gradient"))))
# std.lv = TRUE: factor variances fixed to 1, every loading free
fit.s <- cfa_tight(hs.model, hs, std.lv = TRUE)
emit_fit("hs.stdlv", fit.s, mi = FALSE)

# ---- psych::bfi: one factor per scale, then all five --------------------
for (s in c("A", "C", "E", "N", "O")) {
  items <- paste0(s, 1:5)
  x <- na.omit(bfi[, items])
  model <- paste(s, "=~", paste(items, collapse = " + "))
  f1 <- cfa_tight(model, x)
  emit_fit(paste0("bfi", s), f1)
  emit_validity(paste0("bfi", s), f1, model, x)
}
x <- na.omit(bfi)
bfi.model <- paste(sapply(c("A", "C", "E", "N", "O"), function(s)
  paste(s, "=~", paste(paste0(s, 1:5), collapse = " + "))), collapse = "\n")
f5 <- cfa_tight(bfi.model, x)
emit_fit("bfi5", f5)
emit_validity("bfi5", f5, bfi.model, x)

# ---- the non-central chi-square (stats::pchisq with ncp; R switches
# algorithm at ncp = 80) -------------------------------------------------
nc <- rbind(c(85.3, 24, 40), c(50, 10, 100), c(4000, 3000, 900), c(10, 5, 0.5),
            c(200, 150, 79), c(200, 150, 81), c(1.5, 3, 2))
emit("nchisq.args", nc)
emit("nchisq.P", apply(nc, 1, function(a) pchisq(a[1], a[2], ncp = a[3])))
emit("nchisq.Q", apply(nc, 1, function(a) pchisq(a[1], a[2], ncp = a[3], lower.tail = FALSE)))

close(out)
