# survey_bridge.R - the questionnaire that feeds a model indicator per unit
# (issue 15) and the reference numbers tests/cli/survey_bridge.sh compares
# egdi with.
#
#   cd tests && Rscript r/survey_bridge.R   (writes data/bridge/survey.csv,
#                                            data/bridge/survey_more.csv and
#                                            r/survey_bridge.out)
#
# The units (data/bridge/units.csv): region R1 甲市 with departments D1
# 甲市公安局, D2 甲市教育局, D3 甲市财政局; region R2 乙市 with D4 乙市公安局.
# Respondents rate (column 部门, by name or by code): D1 40, D2 32 (as "D2"),
# D3 12, the region R1 itself 30 (as "甲市"), two rate no unit (empty).
# Items S1, S2, S3 (reverse-keyed, 1-5) make the scale 满意度; S4 is noise.
# Answers missing: S2 of row 5 (D1), S1 of row 50 (D2).  survey_more.csv:
# 20 more respondents of D3 (its re-import makes the scores stale).
#
# Output: one "key value" line per number (17 significant digits); each
# block says which R call gives its keys.
suppressMessages(library(psych))
out <- file("r/survey_bridge.out", "w")
put <- function(key, v) writeLines(sprintf("%s %.17g", key, v), out)

set.seed(20250115)
cut5 <- function(z) as.integer(cut(z, c(-Inf, -1.3, -0.45, 0.35, 1.15, Inf)))
make <- function(who, mu, n0) {
  n <- length(who)
  lat <- mu[who] + rnorm(n)
  lat[is.na(lat)] <- rnorm(sum(is.na(lat)))
  it <- function() cut5(0.8 * lat + 0.6 * rnorm(n))
  d <- data.frame(编号 = n0 + seq_len(n), 部门 = "", 性别 = sample(c("男", "女"), n, TRUE),
                  S1 = it(), S2 = it(), S3 = 6L - it(), S4 = cut5(rnorm(n)),
                  stringsAsFactors = FALSE)
  d$code <- who
  d
}
mu <- c(D1 = 0.8, D2 = 0.2, D3 = -0.3, R1 = 0.5)
who <- c(rep("D1", 40), rep("D2", 32), rep("D3", 12), rep("R1", 30), NA, NA)
q <- make(who, mu, 0)
label <- c(D1 = "甲市公安局", D2 = "D2", D3 = "甲市财政局", R1 = "甲市")
q$部门 <- ifelse(is.na(q$code), "", label[q$code])
q$S2[5] <- NA
q$S1[50] <- NA
more <- make(rep("D3", 20), mu, 116)
more$部门 <- "甲市财政局"
cols <- c("编号", "部门", "性别", "S1", "S2", "S3", "S4")
write.csv(q[, cols], "data/bridge/survey.csv", row.names = FALSE, na = "", fileEncoding = "UTF-8")
write.csv(more[, cols], "data/bridge/survey_more.csv", row.names = FALSE, na = "",
          fileEncoding = "UTF-8")

# ---- per unit: the scale score = mean(S1, S2, 6 - S3), complete rows -------
# n, mean, sd (n - 1), se = sd / sqrt(n): what `egdi explain` shows and
# `egdi survey anova --y 满意度 --group 部门` prints per group.
units_ref <- function(prefix, d) {
  score <- rowMeans(cbind(d$S1, d$S2, 6 - d$S3))
  for (u in c("D1", "D2", "D3", "R1")) {
    y <- score[!is.na(d$code) & d$code == u & !is.na(score)]
    put(paste0(prefix, ".", u, ".n"), length(y))
    put(paste0(prefix, ".", u, ".mean"), mean(y))
    put(paste0(prefix, ".", u, ".sd"), sd(y))
    put(paste0(prefix, ".", u, ".se"), sd(y) / sqrt(length(y)))
    put(paste0(prefix, ".", u, ".top4"), 100 * mean(y >= 4))
  }
  score
}
sc <- units_ref("first", q)

# ---- the gates, on the rated respondents answering every item --------------
# psych::alpha(check.keys = FALSE)$total$raw_alpha; psych::KMO(cor(L))$MSA;
# the item analysis as tests/r/survey_ref.R (quantile type 6, 27 % groups,
# Levene centred on the means picks t.test var.equal TRUE / FALSE; keep =
# CR >= 3, p < .05, corrected r >= .40).
levene <- function(y, g) {
  g <- factor(g)
  z <- abs(y - ave(y, g))
  s <- summary(aov(z ~ g))[[1]]
  s[1, "Pr(>F)"]
}
cr_keep <- function(L, tail = 0.27) {
  tot <- rowSums(L)
  cuts <- quantile(tot, c(tail, 1 - tail), type = 6, names = FALSE)
  lo <- tot <= cuts[1]
  hi <- tot >= cuts[2]
  res <- NULL
  for (i in seq_len(ncol(L))) {
    h <- L[hi, i]
    l <- L[lo, i]
    p <- levene(c(h, l), c(rep(1, length(h)), rep(2, length(l))))
    t <- t.test(h, l, var.equal = p >= 0.05)
    r <- cor(L[, i], tot - L[, i])
    res <- rbind(res, c(t$statistic, t$p.value, r,
                        t$statistic >= 3 && t$p.value < 0.05 && r >= 0.4))
  }
  res
}
gates_ref <- function(prefix, d, items) {
  X <- d[!is.na(d$code), items]
  if ("S3" %in% items) X$S3 <- 6 - X$S3
  L <- na.omit(X)
  put(paste0(prefix, ".n"), nrow(L))
  put(paste0(prefix, ".alpha"), psych::alpha(L, check.keys = FALSE, warnings = FALSE)$total$raw_alpha)
  put(paste0(prefix, ".kmo"), psych::KMO(cor(L))$MSA)
  cr <- cr_keep(as.matrix(L))
  put(paste0(prefix, ".cr_min"), min(cr[, 1]))
  for (i in seq_along(items)) put(paste0(prefix, ".", items[i], ".keep"), cr[i, 4])
}
gates_ref("first.gates", q, c("S1", "S2", "S3"))
gates_ref("first.gates4", q, c("S1", "S2", "S3", "S4"))

# ---- region R1 (region_share 0.7, region_method mean) ----------------------
# the departments with n >= 30 (D1, D2; D3 has 12) and R1's own 30:
# value = 0.7 * mean(D1, D2) + 0.3 * R1; se = sqrt(0.49 * (se1^2 + se2^2) / 4
# + 0.09 * seR^2).
region_ref <- function(prefix, d, score, depts, share = 0.7) {
  stat <- function(u) {
    y <- score[!is.na(d$code) & d$code == u & !is.na(score)]
    c(mean(y), sd(y) / sqrt(length(y)), length(y))
  }
  D <- sapply(depts, stat)
  R <- stat("R1")
  dv <- mean(D[1, ])
  dse <- sqrt(sum(D[2, ]^2)) / length(depts)
  put(paste0(prefix, ".region.R1.dept"), dv)
  put(paste0(prefix, ".region.R1.value"), share * dv + (1 - share) * R[1])
  put(paste0(prefix, ".region.R1.se"), sqrt(share^2 * dse^2 + (1 - share)^2 * R[2]^2))
  put(paste0(prefix, ".region.R1.n"), sum(D[3, ]) + R[3])
}
region_ref("first", q, sc, c("D1", "D2"))

# ---- after survey_more.csv: D3 has 12 + 20 respondents ---------------------
both <- rbind(q, more)
sc2 <- units_ref("second", both)
gates_ref("second.gates", both, c("S1", "S2", "S3"))
region_ref("second", both, sc2, c("D1", "D2", "D3"))
close(out)
