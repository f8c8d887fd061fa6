#!/bin/sh
# CLI tests for `egdi survey kmo` and `egdi survey efa` (cli/survey_factor.c).
# Reference values from tests/r/factor_ref.R (tests/r/factor_ref.out):
#   bfi = tests/data/survey/bfi25.csv (psych::bfi items), sim = sim12.csv.
. tests/cli/lib.sh
BFI=$DATA/survey/bfi25.csv
SIM=$DATA/survey/sim12.csv

# psych::KMO(R) = 0.84864523094683952, cortest.bartlett chisq 18146.065577235011,
# pchisq(..., log.p = TRUE) = -8315.1794848185637 on the 2436 complete rows
run "$EGDI" survey kmo --data "$BFI" --lang en
ok "kmo runs"
has "kmo table" "0.849"
has "bartlett chi2" "18146.066"
has "log p when p underflows" "ln p = -8315.18"
has "listwise n" "N = 2436, read 2800"
run "$EGDI" survey kmo --data "$BFI" --format json
has "kmo json" '"kmo": 0.848645230946'
has "msa json A1" '"A1": 0.754071596726'
has "log_p json" '"log_p": -8315.17948481'
has "bartlett df" '"df": 300'
# psych::KMO(bfi25) with NAs = pairwise: 0.8458974925603906;
# cortest.bartlett(bfi25): n = 2800, chisq 20163.788564775223
run "$EGDI" survey kmo --data "$BFI" --missing pairwise --format json
has "pairwise kmo" '"kmo": 0.84589749256'
has "pairwise chi2" '"chi2": 20163.78856477'
has "pairwise n" '"n": 2800'

# psych::fa(R, 3, fm = "pa", min.err = 1e-14): communality of Q01 0.57428726608398406
run "$EGDI" survey efa --data "$SIM" --factors 3 --format json
ok "efa paf json"
has "paf communality Q01" '"Q01": 0.574287266'
has "extraction key" '"extraction": "paf"'
has "converged" '"converged": true'
# the simulated data has 3 factors: Kaiser and parallel analysis both find 3
run "$EGDI" survey efa --data "$SIM" --factors parallel --format json
has "parallel finds 3" '"nfactors": 3'
has "parallel seed" '"seed": 1'
run "$EGDI" survey efa --data "$SIM" --format json
has "kaiser finds 3" '"nfactors": 3'
# stats::factanal(covmat = R, 3, n.obs = 500): uniqueness of Q01 0.42236841594722324
run "$EGDI" survey efa --data "$SIM" --factors 3 --extract ml --rotate none --format json
has "ml uniqueness Q01" '"Q01": 0.422368'
has "ml fit" '"fit"'
# psych mode: PAF stops on the change of the sum (psych::fa communality of Q01
# 0.57372284235979032 with min.err 0.001)
run "$EGDI" survey efa --data "$SIM" --factors 3 --psych-defaults --format json
has "psych mode flag" '"psych_defaults": true'
has "psych mode communality" '"Q01": 0.5737'

# tables
run "$EGDI" survey efa --data "$SIM" --factors 3 --rotate promax --blank 0.3
ok "efa table zh"
has "communalities table" "公因子方差"
has "variance table" "总方差解释"
has "pattern" "模式矩阵"
has "structure" "结构矩阵"
has "phi" "因子相关性矩阵"
run "$EGDI" survey efa --data "$SIM" --factors 3 --extract pca --lang en
has "pca tables" "Rotated component matrix"
run "$EGDI" survey efa --data "$SIM" --factors 3 --format csv --blank 0.99
has "csv keeps small loadings" "Q12,"
run "$EGDI" survey efa --data "$SIM" --factors 3 --rotate promax --format csv --lang en
has "csv names the pattern matrix" "item (pattern),F1,F2,F3"
has "csv names the structure matrix" "item (structure),F1,F2,F3"

# factor scores
run "$EGDI" survey efa --data "$SIM" --factors 3 --scores "$T/scores.csv" --format json
ok "scores written"
same "scores header" "$(head -1 "$T/scores.csv")" "row,F1,F2,F3"
same "one line per respondent" "$(wc -l <"$T/scores.csv" | tr -d ' ')" "501"
same "no temporary file left" "$(ls "$T" | grep -c tmp)" "0"
run "$EGDI" survey efa --data "$SIM" --factors 3 --scores "$T/no/such/dir/s.csv"
fails "scores to a missing directory"

# degenerate input
awk -F, 'BEGIN{OFS=","} NR==1{print; next} {$5=3; print}' "$SIM" >"$T/const.csv"
run "$EGDI" survey efa --data "$T/const.csv"
fails "zero variance item"
err_has "zero variance names the item" "Q05"
awk -F, 'BEGIN{OFS=","} NR==1{print; next} {$8=$1+$2; print}' "$SIM" >"$T/sing.csv"
run "$EGDI" survey kmo --data "$T/sing.csv"
fails "singular matrix"
err_has "singular names the item" "Q08"
head -6 "$SIM" >"$T/few.csv"
run "$EGDI" survey efa --data "$T/few.csv"
fails "fewer respondents than items"
run "$EGDI" survey efa --data "$SIM" --factors 12
fails "too many factors"
run "$EGDI" survey efa --data "$SIM" --factors 3 --max-iter 2
fails "no convergence is an error"
err_has "no convergence message" "次迭代未收敛"
run "$EGDI" survey efa --data "$SIM" --extract minres
same "bad option value is a usage error" "$RC" "2"
run "$EGDI" --lang en survey efa --help
ok "efa help"
has "help says how signs are fixed" "signs so loadings sum to >= 0"
finish
