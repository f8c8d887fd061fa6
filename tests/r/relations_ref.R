# relations_ref.R - the data and the reference numbers of the relations
# between variables (issue 14): correlations, regression, mediation,
# post-hoc tests, crosstabs, the sample profile and the studentized range
# distribution, for tests/unit/test_corr.c, test_regress.c, test_mediate.c,
# test_posthoc.c, test_crosstab.c, test_tukey.c and tests/cli/survey_relations.sh.
#
#   cd tests && Rscript r/relations_ref.R     (writes data/survey/relations.csv,
#                                              data/survey/relations_scales.csv
#                                              and r/relations_ref.out)
#
# Output: one "key value" line per number, 17 significant digits.  Each
# block says which R call made its keys.  Text levels are ordered in the C
# locale (byte order), as egdi orders text categories.
suppressMessages(library(car))
suppressMessages(library(boot))
invisible(Sys.setlocale("LC_COLLATE", "C"))
out <- file("r/relations_ref.out", "w")
put <- function(key, v) {
  for (i in seq_along(v)) {
    k <- if (length(v) > 1) paste0(key, ".", i) else key
    writeLines(sprintf("%s %.17g", k, v[i]), out)
  }
}

# ---- the data: a technology-acceptance questionnaire ----------------------
# 400 civil servants; 易用性 (EU1-EU3, EU3 reverse keyed) -> 有用性 (PU1-PU4)
# -> 满意度 (SA1-SA3) -> 使用意愿 (BI1-BI3); 性别 男/女 and 学历 as text,
# 部门 coded 1-4, 年龄 in years, 培训 是/否; a few answers blank.
set.seed(20250314)
n <- 400
sex <- sample(c("男", "女"), n, replace = TRUE)
edu <- sample(c("大专", "本科", "硕士", "博士"), n, replace = TRUE, prob = c(.2, .45, .28, .07))
dept <- sample(1:4, n, replace = TRUE)
age <- sample(22:59, n, replace = TRUE)
train <- sample(c("是", "否"), n, replace = TRUE, prob = c(.4, .6))
eu <- rnorm(n)
pu <- 0.55 * eu + 0.2 * (edu == "硕士") + rnorm(n, sd = 0.85)
sa <- 0.45 * pu + 0.25 * eu - 0.25 * (sex == "女") + 0.15 * (train == "是") + rnorm(n, sd = 0.8)
bi <- 0.5 * sa + 0.2 * pu + 0.1 * (dept == 3) + rnorm(n, sd = 0.8)
cut5 <- function(z) as.integer(cut(z, c(-Inf, -1.3, -0.45, 0.35, 1.15, Inf)))
item <- function(f, lam) cut5(lam * f / sd(f) + sqrt(1 - lam^2) * rnorm(n))
d <- data.frame(编号 = 1:n, 性别 = sex, 年龄 = age, 学历 = edu, 部门 = dept, 培训 = train,
                PU1 = item(pu, .8), PU2 = item(pu, .75), PU3 = item(pu, .7), PU4 = item(pu, .72),
                EU1 = item(eu, .78), EU2 = item(eu, .74), EU3 = 6L - item(eu, .7),
                SA1 = item(sa, .8), SA2 = item(sa, .77), SA3 = item(sa, .7),
                BI1 = item(bi, .8), BI2 = item(bi, .76), BI3 = item(bi, .72),
                check.names = FALSE)
blank <- cbind(sample(1:n, 12), sample(7:19, 12, replace = TRUE))
for (b in seq_len(nrow(blank))) d[blank[b, 1], blank[b, 2]] <- NA
d$学历[c(17, 230)] <- NA
write.csv(d, "data/survey/relations.csv", row.names = FALSE, na = "", fileEncoding = "UTF-8")
sc <- data.frame(scale = c(rep("有用性", 4), rep("易用性", 3), rep("满意度", 3), rep("使用意愿", 3)),
                 item = c(paste0("PU", 1:4), paste0("EU", 1:3), paste0("SA", 1:3), paste0("BI", 1:3)),
                 reversed = c(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0))
write.csv(sc, "data/survey/relations_scales.csv", row.names = FALSE, fileEncoding = "UTF-8")

# the scale scores as egdi scores them: the mean of the keyed items (EU3
# reversed as 1 + 5 - x), missing when an item is
S <- data.frame(
  有用性 = rowMeans(d[, paste0("PU", 1:4)]),
  易用性 = rowMeans(cbind(d$EU1, d$EU2, 6 - d$EU3)),
  满意度 = rowMeans(d[, paste0("SA", 1:3)]),
  使用意愿 = rowMeans(d[, paste0("BI", 1:3)]), check.names = FALSE)
sums <- rowSums(d[, paste0("PU", 1:4)])
put("rel.score.sum.PU.row1", sums[1])
put("rel.score.mean.EU.row1", S$易用性[1])
put("rel.score.n_complete.PU", sum(!is.na(S$有用性)))

# ---- correlations: cor(), cor.test() ------------------------------------------
vars <- c("有用性", "易用性", "满意度", "使用意愿")
key <- c("PU", "EU", "SA", "BI")
L <- S[complete.cases(S), ]
put("rel.cor.n", nrow(L))
for (m in c("pearson", "spearman")) {
  for (a in 1:4) {
    put(sprintf("rel.cor.%s.mean.%s", m, key[a]), mean(L[[a]]))
    put(sprintf("rel.cor.%s.sd.%s", m, key[a]), sd(L[[a]]))
    for (b in 1:4) if (a < b) {
      ct <- cor.test(L[[a]], L[[b]], method = m, exact = FALSE)
      put(sprintf("rel.cor.%s.r.%s.%s", m, key[a], key[b]), cor(L[[a]], L[[b]], method = m))
      put(sprintf("rel.cor.%s.p.%s.%s", m, key[a], key[b]), ct$p.value)
    }
  }
}
# pairwise: cor(use = "pairwise.complete.obs"), cor.test on each pair's rows
for (m in c("pearson", "spearman")) {
  R <- cor(S, use = "pairwise.complete.obs", method = m)
  for (a in 1:4) for (b in 1:4) if (a < b) {
    ok <- !is.na(S[[a]]) & !is.na(S[[b]])
    put(sprintf("rel.pcor.%s.r.%s.%s", m, key[a], key[b]), R[a, b])
    put(sprintf("rel.pcor.%s.n.%s.%s", m, key[a], key[b]), sum(ok))
    put(sprintf("rel.pcor.%s.p.%s.%s", m, key[a], key[b]),
        cor.test(S[[a]][ok], S[[b]][ok], method = m, exact = FALSE)$p.value)
  }
  for (a in 1:4) {
    put(sprintf("rel.pcor.%s.mean.%s", m, key[a]), mean(S[[a]], na.rm = TRUE))
    put(sprintf("rel.pcor.%s.sd.%s", m, key[a]), sd(S[[a]], na.rm = TRUE))
  }
}

# ---- regression: lm, summary, confint, car::vif, Durbin-Watson, anova ---------
# model 1: 满意度 ~ 性别 + 年龄 + 学历 (reference 本科); model 2: + 有用性 + 易用性
D <- data.frame(y = S$满意度, 性别 = factor(d$性别), 年龄 = d$年龄,
                学历 = relevel(factor(d$学历), ref = "本科"), PU = S$有用性, EU = S$易用性)
D <- D[complete.cases(D), ]
put("rel.reg.n", nrow(D))
m1 <- lm(y ~ 性别 + 年龄 + 学历, data = D)
m2 <- lm(y ~ 性别 + 年龄 + 学历 + PU + EU, data = D)
X2 <- model.matrix(m2)
# model.matrix columns: (Intercept) 性别男 年龄 学历博士 学历大专 学历硕士 PU EU
# (levels of 学历 after relevel: 本科, then the others in C order: 博士 大专 硕士)
lev <- levels(D$学历)
put("rel.reg.levels_ok", as.numeric(identical(lev, c("本科", "博士", "大专", "硕士"))))
for (mi in 1:2) {
  m <- list(m1, m2)[[mi]]
  s <- summary(m)
  co <- s$coefficients
  ci <- confint(m)
  k <- sprintf("rel.reg.m%d", mi)
  put(paste0(k, ".r2"), s$r.squared)
  put(paste0(k, ".adj_r2"), s$adj.r.squared)
  put(paste0(k, ".F"), s$fstatistic[1])
  put(paste0(k, ".df1"), s$fstatistic[2])
  put(paste0(k, ".df2"), s$fstatistic[3])
  put(paste0(k, ".p_F"), pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE))
  put(paste0(k, ".se_est"), s$sigma)
  put(paste0(k, ".dw"), durbinWatsonTest(m, max.lag = 1, simulate = FALSE)$dw)
  e <- residuals(m)
  put(paste0(k, ".dw_formula"), sum(diff(e)^2) / sum(e^2))
  V <- vif(m)  # GVIF for the 3-level factor: the per-dummy VIF is taken below
  mm <- model.matrix(m)[, -1]
  for (j in seq_len(nrow(co))) {
    nm <- rownames(co)[j]
    put(sprintf("%s.b.%s", k, nm), co[j, 1])
    put(sprintf("%s.se.%s", k, nm), co[j, 2])
    put(sprintf("%s.t.%s", k, nm), co[j, 3])
    put(sprintf("%s.p.%s", k, nm), co[j, 4])
    put(sprintf("%s.lo.%s", k, nm), ci[j, 1])
    put(sprintf("%s.hi.%s", k, nm), ci[j, 2])
    if (j > 1) {
      # standardized beta: b sd(x) / sd(y); VIF of the dummy column itself:
      # 1 / (1 - R^2 of it on the other columns) (car::vif reports GVIF for
      # a factor; with dummies entered as columns it is this VIF)
      put(sprintf("%s.beta.%s", k, nm), co[j, 1] * sd(mm[, nm]) / sd(D$y))
      others <- mm[, colnames(mm) != nm, drop = FALSE]
      r2 <- summary(lm(mm[, nm] ~ others))$r.squared
      put(sprintf("%s.vif.%s", k, nm), 1 / (1 - r2))
    }
  }
}
# car::vif on a model of numeric predictors only: 满意度 ~ 年龄 + PU + EU, on
# its own complete rows
D3 <- data.frame(y = S$满意度, 年龄 = d$年龄, PU = S$有用性, EU = S$易用性)
D3 <- D3[complete.cases(D3), ]
put("rel.reg.m3.n", nrow(D3))
m3 <- lm(y ~ 年龄 + PU + EU, data = D3)
V3 <- vif(m3)
put("rel.reg.m3.vif.年龄", V3[["年龄"]])
put("rel.reg.m3.vif.PU", V3[["PU"]])
put("rel.reg.m3.vif.EU", V3[["EU"]])
a12 <- anova(m1, m2)
put("rel.reg.change.F", a12$F[2])
put("rel.reg.change.df1", a12$Df[2])
put("rel.reg.change.df2", a12$Res.Df[2])
put("rel.reg.change.p", a12$`Pr(>F)`[2])
put("rel.reg.change.r2", summary(m2)$r.squared - summary(m1)$r.squared)

# ---- mediation (PROCESS model 4): lm for the paths, boot for the CI ------------
# X = 易用性, M = 有用性, Y = 使用意愿; complete rows of the three
M <- data.frame(x = S$易用性, m = S$有用性, m2 = S$满意度, y = S$使用意愿)
M1 <- M[complete.cases(M[, c("x", "m", "y")]), ]
put("rel.med.n", nrow(M1))
fa <- summary(lm(m ~ x, data = M1))$coefficients
fb <- summary(lm(y ~ x + m, data = M1))$coefficients
fc <- summary(lm(y ~ x, data = M1))$coefficients
path <- function(k, co, row) {
  put(paste0(k, ".est"), co[row, 1]); put(paste0(k, ".se"), co[row, 2])
  put(paste0(k, ".t"), co[row, 3]); put(paste0(k, ".p"), co[row, 4])
}
path("rel.med.a", fa, "x")
path("rel.med.b", fb, "m")
path("rel.med.cprime", fb, "x")
path("rel.med.c", fc, "x")
ab <- fa["x", 1] * fb["m", 1]
put("rel.med.ab", ab)
sobel_se <- sqrt(fb["m", 1]^2 * fa["x", 2]^2 + fa["x", 1]^2 * fb["m", 2]^2)
put("rel.med.sobel.z", ab / sobel_se)
put("rel.med.sobel.p", 2 * pnorm(-abs(ab / sobel_se)))
put("rel.med.ratio", ab / fc["x", 1])
set.seed(1)
bt <- boot(M1, function(D, i) {
  a <- coef(lm(m ~ x, data = D[i, ]))[2]
  b <- coef(lm(y ~ x + m, data = D[i, ]))[3]
  a * b
}, R = 5000)
put("rel.med.boot.se", sd(bt$t[, 1]))
put("rel.med.boot.lo", quantile(bt$t[, 1], 0.025, type = 6))
put("rel.med.boot.hi", quantile(bt$t[, 1], 0.975, type = 6))
# two parallel mediators: M1 = 有用性, M2 = 满意度
P <- M[complete.cases(M), ]
put("rel.med2.n", nrow(P))
a1 <- summary(lm(m ~ x, data = P))$coefficients
a2 <- summary(lm(m2 ~ x, data = P))$coefficients
bb <- summary(lm(y ~ x + m + m2, data = P))$coefficients
cc <- summary(lm(y ~ x, data = P))$coefficients
path("rel.med2.a1", a1, "x")
path("rel.med2.a2", a2, "x")
path("rel.med2.b1", bb, "m")
path("rel.med2.b2", bb, "m2")
path("rel.med2.cprime", bb, "x")
path("rel.med2.c", cc, "x")
put("rel.med2.ab1", a1["x", 1] * bb["m", 1])
put("rel.med2.ab2", a2["x", 1] * bb["m2", 1])
set.seed(2)
bt2 <- boot(P, function(D, i) {
  A1 <- coef(lm(m ~ x, data = D[i, ]))[2]
  A2 <- coef(lm(m2 ~ x, data = D[i, ]))[2]
  B <- coef(lm(y ~ x + m + m2, data = D[i, ]))
  c(A1 * B[3], A2 * B[4], A1 * B[3] + A2 * B[4])
}, R = 5000)
for (j in 1:3) {
  k <- c("ab1", "ab2", "total")[j]
  put(sprintf("rel.med2.boot.%s.lo", k), quantile(bt2$t[, j], 0.025, type = 6))
  put(sprintf("rel.med2.boot.%s.hi", k), quantile(bt2$t[, j], 0.975, type = 6))
}

# ---- ANOVA and post-hoc: oneway.test, TukeyHSD, pairwise.t.test, formulas -------
# 满意度 by 学历 (4 groups, C-locale order 博士 大专 本科 硕士)
A <- data.frame(y = S$满意度, g = factor(d$学历))
A <- A[complete.cases(A), ]
lv <- levels(A$g)
k <- length(lv)
ng <- as.vector(table(A$g)); mg <- tapply(A$y, A$g, mean); vg <- tapply(A$y, A$g, var)
N <- nrow(A); dfw <- N - k
msw <- sum((ng - 1) * vg) / dfw
put("rel.aov.n", N)
put("rel.aov.msw", msw)
w <- oneway.test(y ~ g, data = A, var.equal = FALSE)
put("rel.aov.welch.F", w$statistic)
put("rel.aov.welch.df1", w$parameter[1])
put("rel.aov.welch.df2", w$parameter[2])
put("rel.aov.welch.p", w$p.value)
cl <- oneway.test(y ~ g, data = A, var.equal = TRUE)
put("rel.aov.F", cl$statistic)
put("rel.aov.p", cl$p.value)
tk <- TukeyHSD(aov(y ~ g, data = A), conf.level = 0.95)$g
p_lsd <- pairwise.t.test(A$y, A$g, p.adjust.method = "none", pool.sd = TRUE)$p.value
p_bon <- pairwise.t.test(A$y, A$g, p.adjust.method = "bonferroni", pool.sd = TRUE)$p.value
# the Copenhaver-Holland integral by integrate() (for the exact Tukey p)
Wup <- function(w, k) {
  f <- function(z) {
    a <- pnorm(z, lower.tail = FALSE); b <- pnorm(z + w) - pnorm(z)
    s <- 0; for (j in 0:(k - 2)) s <- s + a^j * b^(k - 2 - j)
    k * dnorm(z) * pnorm(z + w, lower.tail = FALSE) * s
  }
  c0 <- -w / 2
  integrate(f, min(c0 - 14, -13), max(c0 + 14, 13), rel.tol = 1e-13, abs.tol = 0,
            subdivisions = 2000)$value
}
Pup <- function(q, k, df) {
  g <- function(s) exp(log(2) + (df / 2) * log(df / 2) - lgamma(df / 2) + (df - 1) * log(s) - df * s^2 / 2)
  integrate(function(s) sapply(s, function(si) g(si) * Wup(q * si, k)), 0, Inf,
            rel.tol = 1e-12, abs.tol = 0, subdivisions = 2000)$value
}
Qexact <- function(alpha, k, df)
  uniroot(function(q) log(Pup(q, k, df)) - log(alpha), c(1, 10), tol = 1e-13)$root
q_tk <- Qexact(0.05, k, dfw)
put("rel.ph.tukey.q95_exact", q_tk)
put("rel.ph.tukey.q95_qtukey", qtukey(0.95, k, dfw))
tq <- qt(0.975, dfw); m_pairs <- k * (k - 1) / 2; tb <- qt(1 - 0.05 / (2 * m_pairs), dfw)
fs <- sqrt((k - 1) * qf(0.95, k - 1, dfw))
for (i in 1:(k - 1)) for (j in (i + 1):k) {
  pk <- sprintf("%d.%d", i, j)
  diff <- mg[i] - mg[j]   # egdi: mean_i - mean_j (SPSS's (I) - (J))
  se <- sqrt(msw * (1 / ng[i] + 1 / ng[j]))
  put(paste0("rel.ph.diff.", pk), diff)
  put(paste0("rel.ph.se.", pk), se)
  # TukeyHSD row "j-i" is mean_j - mean_i
  row <- paste0(lv[j], "-", lv[i])
  put(paste0("rel.ph.tukey.diff_r.", pk), tk[row, "diff"])
  put(paste0("rel.ph.tukey.p_r.", pk), tk[row, "p adj"])
  put(paste0("rel.ph.tukey.lwr_r.", pk), tk[row, "lwr"])
  q <- abs(diff) / sqrt(msw / 2 * (1 / ng[i] + 1 / ng[j]))
  put(paste0("rel.ph.tukey.q.", pk), q)
  put(paste0("rel.ph.tukey.p_exact.", pk), Pup(q, k, dfw))
  put(paste0("rel.ph.tukey.lo_exact.", pk), diff - q_tk / sqrt(2) * se)
  put(paste0("rel.ph.tukey.hi_exact.", pk), diff + q_tk / sqrt(2) * se)
  put(paste0("rel.ph.lsd.p.", pk), p_lsd[lv[j], lv[i]])
  put(paste0("rel.ph.lsd.lo.", pk), diff - tq * se)
  put(paste0("rel.ph.lsd.hi.", pk), diff + tq * se)
  put(paste0("rel.ph.bonf.p.", pk), p_bon[lv[j], lv[i]])
  put(paste0("rel.ph.bonf.lo.", pk), diff - tb * se)
  put(paste0("rel.ph.bonf.hi.", pk), diff + tb * se)
  # Scheffe: F = diff^2 / ((k - 1) se^2) on (k - 1, N - k) df
  put(paste0("rel.ph.scheffe.p.", pk), pf(diff^2 / ((k - 1) * se^2), k - 1, dfw, lower.tail = FALSE))
  put(paste0("rel.ph.scheffe.lo.", pk), diff - fs * se)
  put(paste0("rel.ph.scheffe.hi.", pk), diff + fs * se)
  # Games-Howell: se from each group's variance, Welch df, studentized range
  gse <- sqrt(vg[i] / ng[i] + vg[j] / ng[j])
  gdf <- (vg[i] / ng[i] + vg[j] / ng[j])^2 /
         ((vg[i] / ng[i])^2 / (ng[i] - 1) + (vg[j] / ng[j])^2 / (ng[j] - 1))
  gq <- abs(diff) / (gse / sqrt(2))
  put(paste0("rel.ph.gh.se.", pk), gse)
  put(paste0("rel.ph.gh.df.", pk), gdf)
  put(paste0("rel.ph.gh.p_ptukey.", pk), ptukey(gq, k, gdf, lower.tail = FALSE))
  put(paste0("rel.ph.gh.p_exact.", pk), Pup(gq, k, gdf))
  qg <- Qexact(0.05, k, gdf)
  put(paste0("rel.ph.gh.lo_exact.", pk), diff - qg / sqrt(2) * gse)
  put(paste0("rel.ph.gh.hi_exact.", pk), diff + qg / sqrt(2) * gse)
}

# ---- crosstabs: chisq.test(correct = FALSE), fisher.test ------------------------
X <- table(d$性别, d$学历)   # rows 女 男, columns 博士 大专 本科 硕士 (C order)
put("rel.xt.n", sum(X))
ch <- suppressWarnings(chisq.test(X, correct = FALSE))
put("rel.xt.chi2", ch$statistic)
put("rel.xt.df", ch$parameter)
put("rel.xt.p", ch$p.value)
put("rel.xt.V", sqrt(ch$statistic / (sum(X) * (min(dim(X)) - 1))))
put("rel.xt.expected", as.vector(t(ch$expected)))   # by rows
put("rel.xt.n_expected_lt5", sum(ch$expected < 5))
Y <- table(d$性别, d$培训)   # rows 女 男, columns 否 是
put("rel.xt2.count", as.vector(t(Y)))
c2 <- chisq.test(Y, correct = FALSE)
put("rel.xt2.chi2", c2$statistic)
put("rel.xt2.p", c2$p.value)
put("rel.xt2.fisher_p", fisher.test(Y)$p.value)
# a small 2 x 2 with a tiny p: fisher.test(matrix(c(12, 1, 2, 15), 2))
put("rel.xt3.fisher_p", fisher.test(matrix(c(12, 1, 2, 15), 2))$p.value)
put("rel.xt3.chi2", suppressWarnings(chisq.test(matrix(c(12, 1, 2, 15), 2), correct = FALSE))$statistic)

# ---- t-tests of several variables by 性别: t.test --------------------------------
for (a in 1:4) {
  y <- S[[a]]; g <- d$性别; ok <- !is.na(y)
  s <- t.test(y[ok & g == "女"], y[ok & g == "男"], var.equal = TRUE)
  w <- t.test(y[ok & g == "女"], y[ok & g == "男"], var.equal = FALSE)
  put(sprintf("rel.tt.%s.t", key[a]), s$statistic)
  put(sprintf("rel.tt.%s.p", key[a]), s$p.value)
  put(sprintf("rel.tt.%s.welch_t", key[a]), w$statistic)
  put(sprintf("rel.tt.%s.welch_df", key[a]), w$parameter)
}

# ---- the sample profile: table(), cut(right = FALSE) -----------------------------
put("rel.prof.性别", as.vector(table(d$性别)))              # 女 男
put("rel.prof.学历", as.vector(table(d$学历)))              # 博士 大专 本科 硕士
put("rel.prof.学历.missing", sum(is.na(d$学历)))
put("rel.prof.部门", as.vector(table(d$部门)))
put("rel.prof.年龄", as.vector(table(cut(d$年龄, c(-Inf, 30, 40, 50, Inf), right = FALSE))))

# ---- the studentized range distribution: ptukey, pt, integrate ------------------
# (a) R's ptukey over a grid; (b) k = 2 in closed form, P(Q > q) =
# 2 pt(-q / sqrt(2), df); (c) the Copenhaver-Holland integral by integrate()
for (q in c(0.5, 1, 2, 3, 3.5, 4, 5, 6, 8))
  for (kk in c(2, 3, 4, 5, 10))
    for (df in c(5, 10, 20, 60, 120, 1000, 30000, Inf)) {
      kq <- sprintf("%g.%g.%g", q, kk, df)
      put(paste0("rel.ptukey.", kq), ptukey(q, kk, df, lower.tail = FALSE))
    }
for (q in c(0.5, 2, 4, 8, 15, 25))
  for (df in c(1, 2, 5, 30, 1000))
    put(sprintf("rel.pt2.%g.%g", q, df), 2 * pt(-q / sqrt(2), df))
for (a in list(c(3.5, 3, 20), c(2, 4, 5), c(5, 10, 60), c(3, 5, 1000), c(8, 20, 10),
               c(25, 20, 2), c(25, 4, 60), c(0.5, 20, 2), c(6, 6, 3)))
  put(sprintf("rel.ptukey_exact.%g.%g.%g", a[1], a[2], a[3]), Pup(a[1], a[2], a[3]))
put("rel.qtukey_exact.0.05.3.27", Qexact(0.05, 3, 27))
put("rel.qtukey_exact.0.01.4.1000", Qexact(0.01, 4, 1000))
put("rel.qtukey.0.05.3.27", qtukey(0.95, 3, 27))
close(out)
