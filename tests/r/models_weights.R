# Reference values for tests/unit/test_model_weights.c.
# Run: Rscript tests/r/models_weights.R > tests/r/models_weights.out
options(digits = 15)

# AHP: Saaty's drink-consumption matrix (T. L. Saaty, "Decision making with
# the analytic hierarchy process", Int. J. Services Sciences 1(1), 2008,
# Table 2: which drink is consumed more in the US), rows/columns coffee,
# wine, tea, beer, sodas, milk, water.  Saaty reports the eigenvector
# .177 .019 .042 .116 .190 .129 .327.
A <- matrix(c(
  1,   9, 5,   2,   1,   1,   1/2,
  1/9, 1, 1/3, 1/9, 1/9, 1/9, 1/9,
  1/5, 3, 1,   1/3, 1/4, 1/3, 1/9,
  1/2, 9, 3,   1,   1/2, 1,   1/3,
  1,   9, 4,   2,   1,   2,   1/2,
  1,   9, 3,   1,   1/2, 1,   1/3,
  2,   9, 9,   3,   2,   3,   1), nrow = 7, byrow = TRUE)
e <- eigen(A)
k <- which.max(Re(e$values))
lmax <- Re(e$values[k])
w <- Re(e$vectors[, k]); w <- w / sum(w)
n <- nrow(A)
CI <- (lmax - n) / (n - 1)
RI <- 1.32  # Saaty's random index for n = 7
cat("ahp_w", sprintf("%.15f", w), "\n")
cat("ahp_lambda_max", sprintf("%.15f", lmax), "\n")
cat("ahp_ci", sprintf("%.15f", CI), "\n")
cat("ahp_cr", sprintf("%.15f", CI / RI), "\n")

# Entropy weights on a 4 x 3 table (rows units, columns indicators).
X <- matrix(c(2, 10, 5,
              4, 10, 5,
              6, 10, 1,
              8, 10, 1), nrow = 4, byrow = TRUE)
P <- sweep(X, 2, colSums(X), "/")
E <- -colSums(ifelse(P > 0, P * log(P), 0)) / log(nrow(X))
D <- 1 - E
cat("entropy_e", sprintf("%.15f", E), "\n")
cat("entropy_w", sprintf("%.15f", D / sum(D)), "\n")
