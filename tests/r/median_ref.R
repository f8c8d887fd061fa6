# Reference for egdi_score_median_best (indicators/score.c), the one median
# of the report's region sections and the scorecards: R's quantile type 7 at
# 0.5 and max over the finite values.  Run: Rscript tests/r/median_ref.R > tests/r/median_ref.out
odd  <- c(71.25, 3.5, 88.125, 40, 12.75)
even <- c(85.59, 64.05, 91.25, 58.97, 40.86, 57.36)
gaps <- c(10.1, NA, 30.3, 20.2, NA, 5.05)
for (nm in c("odd", "even", "gaps")) {
    v <- get(nm)
    cat(sprintf("%s.median %.17g\n", nm, quantile(v, 0.5, type = 7, na.rm = TRUE, names = FALSE)))
    cat(sprintf("%s.max %.17g\n", nm, max(v, na.rm = TRUE)))
}
cat(sprintf("even.q25 %.17g\n", quantile(even, 0.25, type = 7, names = FALSE)))
