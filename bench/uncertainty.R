# bench/uncertainty.R - the Monte Carlo of bench step unc.mc written in
# plain R the usual way (a loop over the draws; each draw scores the round
# with vectorised columns and ranks it with rank()), for the ratio `make
# bench` prints (step unc.r).  Same model (bench/units-model.csv), same
# round (units-2025.csv), same assumptions: every weight times 1 + 0.2 (2u -
# 1) and each sibling group renormalised; every leaf scored by its own rule,
# minmax or zscore, equally likely; missing values re-weighted away;
# competition ranks of the rankable units (coverage >= min_coverage); per
# unit the 5 %, 50 %, 95 % rank quantiles (type 7), mean |rank shift| and
# the draws in each stage.  Its draws are R's, not egdi's: the figures
# agree in distribution, not digit for digit.
#
#   Rscript --vanilla bench/uncertainty.R MODEL.csv UNITS.csv DRAWS
args <- commandArgs(trailingOnly = TRUE)
model_path <- args[1]
units_path <- args[2]
draws <- as.integer(args[3])
set.seed(1)

# ---- the model: [settings], [catalogue], [stages] sections ----
lines <- readLines(model_path, encoding = "UTF-8")
section <- function(name) {
    start <- which(lines == paste0("[", name, "]"))
    rest <- lines[(start + 1):length(lines)]
    end <- which(rest == "" | startsWith(rest, "["))
    if (length(end)) rest <- rest[seq_len(end[1] - 1)]
    read.csv(text = rest, stringsAsFactors = FALSE, na.strings = "")
}
settings <- section("settings")
min_cov <- as.numeric(settings$value[settings$key == "min_coverage"])
cat_ <- section("catalogue")
stages <- section("stages")
stages$lower[is.na(stages$lower)] <- -Inf

units <- read.csv(units_path, stringsAsFactors = FALSE, check.names = FALSE)
leaves <- cat_$code[!is.na(cat_$rule)]
raw <- as.matrix(units[, leaves])
n <- nrow(raw)

clamp <- function(x) pmin(100, pmax(0, x))
score_leaf <- function(x, node, rule) {
    lower <- node$direction == "lower"
    if (rule == "goalpost" || rule == "minmax") {
        lo <- if (rule == "goalpost") node$min else min(x, na.rm = TRUE)
        hi <- if (rule == "goalpost") node$max else max(x, na.rm = TRUE)
        s <- clamp(100 * (x - lo) / (hi - lo))
        if (lower) 100 - s else s
    } else if (rule == "zscore") {
        m <- mean(x, na.rm = TRUE)
        sd <- sqrt(mean((x - m)^2, na.rm = TRUE))
        z <- (x - m) / sd
        clamp(if (lower) 50 - 10 * z else 50 + 10 * z)
    } else if (rule == "rank") {
        r <- rank(x, na.last = "keep", ties.method = "average")
        p <- 100 * (r - 1) / (sum(!is.na(x)) - 1)
        if (lower) 100 - p else p
    } else if (rule == "target") {
        pmax(0, 100 * (1 - abs(x - node$target) / node$tolerance))
    } else if (rule == "ratio") {
        if (lower) ifelse(x <= 0, 100, 100 * pmin(1, node$target / x))
        else ifelse(x <= 0, 0, 100 * pmin(1, x / node$target))
    } else stop("rule ", rule)
}

# every leaf's scores under each rule it may take, computed once
alts <- lapply(leaves, function(code) {
    node <- cat_[cat_$code == code, ]
    rules <- unique(c(node$rule, "minmax", "zscore"))
    sapply(rules, function(r) score_leaf(raw[, code], node, r))
})
names(alts) <- leaves

# the tree: inner nodes deepest first
depth <- function(code) {
    d <- 0
    p <- cat_$parent[cat_$code == code]
    while (!is.na(p)) { d <- d + 1; p <- cat_$parent[cat_$code == p] }
    d
}
inner <- cat_$code[is.na(cat_$rule)]
inner <- inner[order(-sapply(inner, depth))]
root <- cat_$code[is.na(cat_$parent)]
w0 <- setNames(cat_$weight, cat_$code)
children <- lapply(setNames(inner, inner), function(q) cat_$code[!is.na(cat_$parent) & cat_$parent == q])

one_draw <- function(w, pick) {
    s <- matrix(NA_real_, n, nrow(cat_), dimnames = list(NULL, cat_$code))
    cov <- matrix(0, n, nrow(cat_), dimnames = list(NULL, cat_$code))
    for (code in leaves) {
        s[, code] <- alts[[code]][, pick[[code]]]
        cov[, code] <- ifelse(is.na(s[, code]), 0, 1)
    }
    for (q in inner) {
        ch <- children[[q]]
        wq <- w[ch] / sum(w[ch])
        v <- s[, ch, drop = FALSE]
        has <- !is.na(v)
        wsum <- has %*% wq
        v[!has] <- 0
        s[, q] <- ifelse(wsum > 0, (v %*% wq) / wsum, NA)
        cov[, q] <- cov[, ch, drop = FALSE] %*% wq
    }
    egdi <- s[, root]
    ok <- !is.na(egdi) & cov[, root] + 1e-12 >= min_cov
    rk <- rep(NA_integer_, n)
    rk[ok] <- rank(-round(egdi[ok], 2), ties.method = "min")
    st <- findInterval(egdi, stages$lower)
    list(rank = rk, stage = ifelse(ok, st, NA))
}

nominal <- one_draw(w0, setNames(as.list(rep(1L, length(leaves))), leaves))
ranks <- matrix(NA_integer_, draws, n)
stage_count <- matrix(0L, n, nrow(stages))
for (d in seq_len(draws)) {
    w <- w0 * (1 + 0.2 * (2 * runif(length(w0)) - 1))
    pick <- lapply(alts, function(a) sample.int(ncol(a), 1))
    r <- one_draw(w, pick)
    ranks[d, ] <- r$rank
    i <- which(!is.na(r$stage))
    stage_count[cbind(i, r$stage[i])] <- stage_count[cbind(i, r$stage[i])] + 1L
}
q <- apply(ranks, 2, function(x) quantile(x, c(0.05, 0.5, 0.95), na.rm = TRUE, type = 7))
shift <- colMeans(abs(sweep(ranks, 2, nominal$rank)), na.rm = TRUE)
cat(sprintf("R: %d draws x %d units x %d indicators; mean |rank shift| %.3f\n", draws, n,
            length(leaves), mean(shift, na.rm = TRUE)), file = stderr())
