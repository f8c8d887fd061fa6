#!/bin/sh
# Small things of issue 18 (item 6, and --write of item 3):
# - survey ttest --pair-id on a grouping with exactly two conditions needs
#   no --levels;
# - AHP on a consistent matrix prints CI = 0.0000 and CR = 0.0000, never
#   -0.0000;
# - model weights --write names a new version (derived, or --as-version)
#   and writes numbers as a person would (min_coverage 0.8, not
#   0.80000000000000004), and the file written passes `model check`;
# - model list and model check count the same indicators.
. tests/cli/lib.sh

# ---- ttest --pair-id with two conditions --------------------------------------
{
    echo "id,time,score"
    echo "1,pre,3"; echo "1,post,4"; echo "2,pre,2"; echo "2,post,4"
    echo "3,pre,5"; echo "3,post,5"; echo "4,post,2"; echo "4,pre,1"; echo "5,pre,3"
} >"$T/long.csv"
run "$EGDI" survey ttest --data "$T/long.csv" --y score --group time --pair-id id --format json
ok "ttest --pair-id without --levels (two conditions)"
# the same as --levels post,pre (tests/cli/survey.sh): differences 1, 2, 0, 1
has "four pairs" '"n": 4'
python3 -c 'import json,sys,math
j = json.load(open(sys.argv[1]))
sys.exit(0 if abs(j["t"] - 1 / (math.sqrt(2/3) / 2)) < 1e-12 else 1)' "$OUT" &&
    pass "t = 1 / (sqrt(2/3) / 2), as with --levels post,pre" || fail "t of the pairs"
echo "6,mid,3" >>"$T/long.csv"
run "$EGDI" survey ttest --data "$T/long.csv" --y score --group time --pair-id id
fails "three conditions still need --levels"
err_has "says so" "time 有 3 个条件；配对的长格式数据需要 --levels A,B"

# ---- AHP: no negative zero -----------------------------------------------------
printf 'item,CBII,GIRI,GSI\nCBII,1,2,2\nGIRI,1/2,1,1\nGSI,1/2,1,1\n' >"$T/ahp.csv"
run "$EGDI" model weights ahp "$T/ahp.csv"
ok "ahp on a consistent matrix"
has "CI = 0.0000" "CI = 0.0000,"
has "CR = 0.0000" "CR = 0.0000"
hasnt "no -0.0000" "-0.0000"

# ---- --write: a new version, plain numbers -------------------------------------
run "$EGDI" model weights ahp "$T/ahp.csv" --parent EGDI --write "$T/w.csv"
ok "ahp --write"
err_has "says the version written" "版本 2024.1-ahp-EGDI"
run "$EGDI" --lang en model weights ahp "$T/ahp.csv" --parent EGDI --write "$T/w-en.csv"
err_has "en: says the version written" "version 2024.1-ahp-EGDI"
grep -q '^min_coverage,0.8$' "$T/w.csv" && pass "min_coverage written as 0.8" ||
    fail "min_coverage written as $(grep min_coverage "$T/w.csv")"
grep -q '^version,2024.1-ahp-EGDI$' "$T/w.csv" && pass "a derived version" || fail "derived version"
grep -q '^CBII,EGDI,[^,]*,[^,]*,0\.5' "$T/w.csv" && pass "the AHP weight 0.5" || fail "weight 0.5"
run "$EGDI" --lang en model check "$T/w.csv"
ok "the written model checks"
has "and is that version" "model jiangsu 2024.1-ahp-EGDI is valid"
run "$EGDI" model weights equal --parent EGDI --write "$T/e.csv" --as-version 2025-draft
ok "--as-version"
grep -q '^version,2025-draft$' "$T/e.csv" && pass "the version given" || fail "version given"
run "$EGDI" model weights equal --parent EGDI --write "$T/e.csv" --as-version 'a,b'
fails "a version with a comma is refused"

# ---- model list and model check count alike ------------------------------------
run "$EGDI" model list --format json
n_list=$(python3 -c 'import json,sys
print([m["indicators"] for m in json.load(open(sys.argv[1])) if m["name"] == "jiangsu"][0])' "$OUT")
run "$EGDI" --lang en model check data/models/jiangsu
has "model check: the indicators model list counts ($n_list)" "($n_list indicators,"
finish
