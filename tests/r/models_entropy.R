# Reference for tests/cli/models.sh: entropy weights of GIRI's children in
# tests/data/models/metrics-2024.csv (units with all six values), each
# indicator min-max normalised first (all are higher-is-better).
# Run from the repository root:
#   Rscript tests/r/models_entropy.R > tests/r/models_entropy.out
d <- read.csv("tests/data/models/metrics-2024.csv", stringsAsFactors = FALSE)
x <- d[, paste0("GIRI", 1:6)]
x <- x[complete.cases(x), ]
x <- apply(x, 2, function(v) (v - min(v)) / (max(v) - min(v)))
p <- sweep(x, 2, colSums(x), "/")
e <- -colSums(ifelse(p > 0, p * log(p), 0)) / log(nrow(x))
w <- (1 - e) / sum(1 - e)
cat(sprintf("%s,%.6f\n", names(w), w), sep = "")
