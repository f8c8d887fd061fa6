# survey_ref.R - makes the questionnaire fixtures and the reference numbers
# that tests/unit/test_survey_*.c and tests/cli/survey.sh compare egdi with.
#
#   cd tests && Rscript r/survey_ref.R      (writes data/survey/*.csv and
#                                            r/survey_ref.out)
#
# Output: one "key value" line per number, value printed with 17 significant
# digits.  Each block below says which R call produced its keys.
suppressMessages(library(psych))
out <- file("r/survey_ref.out", "w")
put <- function(key, v) {
  for (i in seq_along(v)) {
    k <- if (length(v) > 1) paste0(key, ".", i) else key
    writeLines(sprintf("%s %.17g", k, v[i]), out)
  }
}

# ---- data 1: a simulated questionnaire -------------------------------------
# 300 respondents, 12 five-point items in 3 dimensions (Q1-Q4, Q5-Q8,
# Q9-Q12) from a 3-factor model; Q4 and Q8 are reverse keyed; gender (1/2),
# group (text A/B/C), 15 answers blanked.
set.seed(20240607)
n <- 300
f <- matrix(rnorm(n * 3), n, 3)
f[, 2] <- 0.4 * f[, 1] + sqrt(1 - 0.16) * f[, 2]
load <- c(0.8, 0.7, 0.75, 0.6)
raw <- matrix(0, n, 12)
for (d in 1:3) for (j in 1:4) {
  k <- (d - 1) * 4 + j
  raw[, k] <- load[j] * f[, d] + sqrt(1 - load[j]^2) * rnorm(n)
}
raw[, c(4, 8)] <- -raw[, c(4, 8)]
gender <- sample(1:2, n, replace = TRUE)
raw[, 1:4] <- raw[, 1:4] + 0.35 * (gender == 2)
cut5 <- function(z) as.integer(cut(z, c(-Inf, -1.3, -0.45, 0.35, 1.15, Inf)))
items <- apply(raw, 2, cut5)
colnames(items) <- paste0("Q", 1:12)
grp <- sample(c("A", "B", "C"), n, replace = TRUE, prob = c(.3, .4, .3))
items[grp == "C", 5] <- pmin(5L, items[grp == "C", 5] + 1L)
miss <- cbind(sample(1:n, 15), sample(1:12, 15, replace = TRUE))
items[miss] <- NA
q <- data.frame(id = 1:n, gender = gender, group = grp, items)
write.csv(q, "data/survey/questionnaire.csv", row.names = FALSE, na = "")

# The same answers as an XLSX workbook (openxlsx): a notes sheet first, the
# data on the second sheet "问卷", to test --sheet and numeric cells.  (openxlsx
# stamps the time into the file: rerunning changes its bytes, not its cells.)
wb <- openxlsx::createWorkbook()
openxlsx::addWorksheet(wb, "说明")
openxlsx::writeData(wb, "说明", data.frame(note = "data on sheet 问卷"))
openxlsx::addWorksheet(wb, "问卷")
openxlsx::writeData(wb, "问卷", q, keepNA = FALSE)
openxlsx::saveWorkbook(wb, "data/survey/questionnaire.xlsx", overwrite = TRUE)

# ---- data 2: psych::bfi agreeableness and conscientiousness -----------------
# 2800 respondents; A1, C4, C5 are reverse keyed (6-point scale).
data(bfi, package = "psychTools")
b <- bfi[, c("A1", "A2", "A3", "A4", "A5", "C1", "C2", "C3", "C4", "C5",
             "gender", "education", "age")]
write.csv(b, "data/survey/bfi.csv", row.names = FALSE, na = "")

Q <- q[, paste0("Q", 1:12)]
rev5 <- function(x) 6 - x
rev6 <- function(x) 7 - x

# ---- describe: psych::describe(x, type = 3) and (type = 2) -------------------
for (it in paste0("Q", 1:12)) {
  d3 <- describe(Q[[it]], type = 3)
  d2 <- describe(Q[[it]], type = 2)
  k <- paste0("q.desc.", it)
  put(paste0(k, ".n"), d3$n)
  put(paste0(k, ".mean"), d3$mean)
  put(paste0(k, ".sd"), d3$sd)
  put(paste0(k, ".min"), d3$min)
  put(paste0(k, ".max"), d3$max)
  put(paste0(k, ".skew3"), d3$skew)
  put(paste0(k, ".kurt3"), d3$kurtosis)
  put(paste0(k, ".skew2"), d2$skew)
  put(paste0(k, ".kurt2"), d2$kurtosis)
  x <- Q[[it]][!is.na(Q[[it]])]
  m <- length(x)
  ses <- sqrt(6 * m * (m - 1) / ((m - 2) * (m + 1) * (m + 3)))
  put(paste0(k, ".se_skew"), ses)
  put(paste0(k, ".se_kurt"), 2 * ses * sqrt((m^2 - 1) / ((m - 3) * (m + 5))))
  put(paste0(k, ".count3"), sum(x == 3))
}

# ---- alpha: psych::alpha ------------------------------------------------------
# listwise: psych::alpha(na.omit(X)); pairwise: psych::alpha(X) (use="pairwise").
# Reverse keys applied beforehand as MIN+MAX-x.  Scale mean/variance if item
# deleted from rowSums of the complete rows (SPSS's definition).
alpha_ref <- function(prefix, X) {
  L <- na.omit(X)
  a <- psych::alpha(L, check.keys = FALSE, warnings = FALSE)
  put(paste0(prefix, ".n"), nrow(L))
  put(paste0(prefix, ".alpha"), a$total$raw_alpha)
  put(paste0(prefix, ".std_alpha"), a$total$std.alpha)
  put(paste0(prefix, ".average_r"), a$total$average_r)
  put(paste0(prefix, ".r_drop"), a$item.stats$r.drop)
  put(paste0(prefix, ".raw_r"), a$item.stats$raw.r)
  put(paste0(prefix, ".alpha_drop"), a$alpha.drop$raw_alpha)
  put(paste0(prefix, ".mean_drop"), sapply(seq_len(ncol(L)), function(i) mean(rowSums(L[, -i]))))
  put(paste0(prefix, ".var_drop"), sapply(seq_len(ncol(L)), function(i) var(rowSums(L[, -i]))))
  put(paste0(prefix, ".scale_mean"), mean(rowSums(L)))
  put(paste0(prefix, ".scale_var"), var(rowSums(L)))
  p <- psych::alpha(X, check.keys = FALSE, warnings = FALSE)
  put(paste0(prefix, ".pw.alpha"), p$total$raw_alpha)
  put(paste0(prefix, ".pw.std_alpha"), p$total$std.alpha)
  put(paste0(prefix, ".pw.r_drop"), p$item.stats$r.drop)
  put(paste0(prefix, ".pw.alpha_drop"), p$alpha.drop$raw_alpha)
}
Qr <- Q
Qr$Q4 <- rev5(Qr$Q4)
Qr$Q8 <- rev5(Qr$Q8)
alpha_ref("q.alpha.all", Qr)
alpha_ref("q.alpha.D1", Qr[, 1:4])
alpha_ref("q.alpha.D2", Qr[, 5:8])
alpha_ref("q.alpha.D3", Qr[, 9:12])
B <- b[, 1:10]
Br <- B
Br$A1 <- rev6(Br$A1)
Br$C4 <- rev6(Br$C4)
Br$C5 <- rev6(Br$C5)
alpha_ref("b.alpha.A", Br[, 1:5])
alpha_ref("b.alpha.C", Br[, 6:10])

# ---- Levene as SPSS: anova of |x - group mean| ----------------------------------
levene <- function(y, g) {
  g <- factor(g)
  z <- abs(y - ave(y, g))
  s <- summary(aov(z ~ g))[[1]]
  c(s[1, "F value"], s[1, "Df"], s[2, "Df"], s[1, "Pr(>F)"])
}

# ---- item analysis (critical ratio) -----------------------------------------
# Complete rows; total = rowSums; cuts quantile(total, c(tail, 1-tail),
# type = 6) (SPSS HAVERAGE); low = total <= cut1, high = total >= cut2;
# per item t.test(high, low, var.equal = TRUE / FALSE), Levene above,
# cor(item, total), cor(item, total - item), psych::alpha(L)$alpha.drop.
cr_ref <- function(prefix, X, tail = 0.27) {
  L <- na.omit(X)
  tot <- rowSums(L)
  cuts <- quantile(tot, c(tail, 1 - tail), type = 6, names = FALSE)
  put(paste0(prefix, ".n"), nrow(L))
  put(paste0(prefix, ".cut_low"), cuts[1])
  put(paste0(prefix, ".cut_high"), cuts[2])
  lo <- tot <= cuts[1]
  hi <- tot >= cuts[2]
  put(paste0(prefix, ".n_low"), sum(lo))
  put(paste0(prefix, ".n_high"), sum(hi))
  ad <- psych::alpha(L, check.keys = FALSE, warnings = FALSE)$alpha.drop$raw_alpha
  for (i in seq_len(ncol(L))) {
    it <- colnames(L)[i]
    k <- paste0(prefix, ".", it)
    h <- L[hi, i]
    l <- L[lo, i]
    s <- t.test(h, l, var.equal = TRUE)
    w <- t.test(h, l, var.equal = FALSE)
    lv <- levene(c(h, l), c(rep(1, length(h)), rep(2, length(l))))
    put(paste0(k, ".mean_high"), mean(h))
    put(paste0(k, ".sd_high"), sd(h))
    put(paste0(k, ".mean_low"), mean(l))
    put(paste0(k, ".sd_low"), sd(l))
    put(paste0(k, ".levene_F"), lv[1])
    put(paste0(k, ".levene_p"), lv[4])
    put(paste0(k, ".student_t"), s$statistic)
    put(paste0(k, ".student_df"), s$parameter)
    put(paste0(k, ".student_p"), s$p.value)
    put(paste0(k, ".student_ci"), s$conf.int)
    put(paste0(k, ".welch_t"), w$statistic)
    put(paste0(k, ".welch_df"), w$parameter)
    put(paste0(k, ".welch_p"), w$p.value)
    put(paste0(k, ".welch_ci"), w$conf.int)
    put(paste0(k, ".cr"), if (lv[4] < 0.05) w$statistic else s$statistic)
    put(paste0(k, ".r_total"), cor(L[, i], tot))
    put(paste0(k, ".r_corrected"), cor(L[, i], tot - L[, i]))
    put(paste0(k, ".alpha_drop"), ad[i])
  }
}
cr_ref("q.cr", Qr)
cr_ref("q.cr20", Qr, 0.20)
cr_ref("b.cr", Br)

# ---- t-tests: stats::t.test ---------------------------------------------------
# independent: t.test(y[g==1], y[g==2], var.equal = TRUE / FALSE);
# Cohen's d = (m1 - m2) / pooled sd.
tt_ref <- function(prefix, y, g, l1, l2) {
  ok <- !is.na(y) & !is.na(g)
  y1 <- y[ok & g == l1]
  y2 <- y[ok & g == l2]
  s <- t.test(y1, y2, var.equal = TRUE)
  w <- t.test(y1, y2, var.equal = FALSE)
  lv <- levene(c(y1, y2), c(rep(1, length(y1)), rep(2, length(y2))))
  n1 <- length(y1); n2 <- length(y2)
  sp <- sqrt(((n1 - 1) * var(y1) + (n2 - 1) * var(y2)) / (n1 + n2 - 2))
  put(paste0(prefix, ".n1"), n1)
  put(paste0(prefix, ".n2"), n2)
  put(paste0(prefix, ".mean1"), mean(y1))
  put(paste0(prefix, ".mean2"), mean(y2))
  put(paste0(prefix, ".sd1"), sd(y1))
  put(paste0(prefix, ".sd2"), sd(y2))
  put(paste0(prefix, ".levene"), lv)
  put(paste0(prefix, ".student_t"), s$statistic)
  put(paste0(prefix, ".student_df"), s$parameter)
  put(paste0(prefix, ".student_p"), s$p.value)
  put(paste0(prefix, ".student_ci"), s$conf.int)
  put(paste0(prefix, ".welch_t"), w$statistic)
  put(paste0(prefix, ".welch_df"), w$parameter)
  put(paste0(prefix, ".welch_p"), w$p.value)
  put(paste0(prefix, ".welch_ci"), w$conf.int)
  put(paste0(prefix, ".d"), (mean(y1) - mean(y2)) / sp)
}
tt_ref("q.tt.Q1", Q$Q1, q$gender, 1, 2)
# scale score = mean of the keyed items of D1 (Q4 reversed), needing all items
D1 <- rowMeans(Qr[, 1:4])
tt_ref("q.tt.D1", D1, q$gender, 1, 2)
Ascore <- rowMeans(Br[, 1:5])
tt_ref("b.tt.A", Ascore, b$gender, 1, 2)

# paired: t.test(x, y, paired = TRUE) on complete pairs
pr <- function(prefix, x, y) {
  ok <- !is.na(x) & !is.na(y)
  s <- t.test(x[ok], y[ok], paired = TRUE)
  put(paste0(prefix, ".n"), sum(ok))
  put(paste0(prefix, ".mean_diff"), mean(x[ok] - y[ok]))
  put(paste0(prefix, ".sd_diff"), sd(x[ok] - y[ok]))
  put(paste0(prefix, ".t"), s$statistic)
  put(paste0(prefix, ".df"), s$parameter)
  put(paste0(prefix, ".p"), s$p.value)
  put(paste0(prefix, ".ci"), s$conf.int)
}
pr("q.paired.Q1Q2", Q$Q1, Q$Q2)
pr("b.paired.A2A3", b$A2, b$A3)

# one-sample: t.test(x, mu = m)
os <- function(prefix, x, mu) {
  x <- x[!is.na(x)]
  s <- t.test(x, mu = mu)
  put(paste0(prefix, ".n"), length(x))
  put(paste0(prefix, ".mean"), mean(x))
  put(paste0(prefix, ".sd"), sd(x))
  put(paste0(prefix, ".t"), s$statistic)
  put(paste0(prefix, ".df"), s$parameter)
  put(paste0(prefix, ".p"), s$p.value)
  put(paste0(prefix, ".ci"), s$conf.int)
  put(paste0(prefix, ".d"), (mean(x) - mu) / sd(x))
}
os("q.one.Q1", Q$Q1, 3)
os("b.one.A2", b$A2, 4.5)

# ---- one-way ANOVA: summary(aov(y ~ factor(g))), eta2 = SSb/SSt ---------------
an <- function(prefix, y, g) {
  ok <- !is.na(y) & !is.na(g)
  y <- y[ok]; g <- factor(g[ok])
  s <- summary(aov(y ~ g))[[1]]
  put(paste0(prefix, ".F"), s[1, "F value"])
  put(paste0(prefix, ".df1"), s[1, "Df"])
  put(paste0(prefix, ".df2"), s[2, "Df"])
  put(paste0(prefix, ".p"), s[1, "Pr(>F)"])
  put(paste0(prefix, ".eta2"), s[1, "Sum Sq"] / sum(s[, "Sum Sq"]))
  put(paste0(prefix, ".ss_between"), s[1, "Sum Sq"])
  put(paste0(prefix, ".ss_within"), s[2, "Sum Sq"])
  put(paste0(prefix, ".levene"), levene(y, g))
  put(paste0(prefix, ".group_n"), as.vector(table(g)))
  put(paste0(prefix, ".group_mean"), as.vector(tapply(y, g, mean)))
  put(paste0(prefix, ".group_sd"), as.vector(tapply(y, g, sd)))
  o <- oneway.test(y ~ g, var.equal = TRUE)
  put(paste0(prefix, ".oneway_F"), o$statistic)
}
an("q.anova.Q5", Q$Q5, q$group)
an("b.anova.A", Ascore, b$education)
# ---- a small GBK-encoded CSV with Chinese item codes (tests/cli/survey.sh writes
# the same table through iconv): psych::alpha and t.test on it
g <- data.frame(s1 = c(4, 3, 5, 2, 4), s2 = c(5, 3, 4, 2, 4), s3 = c(4, 2, 5, 3, 4),
                sex = c("男", "女", "男", "女", "男"))
put("gbk.alpha", psych::alpha(g[, 1:3], warnings = FALSE)$total$raw_alpha)
put("gbk.welch_t", t.test(g$s1[g$sex == "女"], g$s1[g$sex == "男"])$statistic)
close(out)
