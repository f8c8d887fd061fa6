#!/bin/sh
# Questionnaires feed the index (issue 15): respondents linked to the unit
# they rate (import survey --unit-column), a model leaf computed per unit
# from a survey's scale with its quality gates, the conflict rule with an
# imported metric, regions, explain, staleness after a re-import, the demo.
#
# Data: tests/data/bridge (units R1 甲市 with D1 D2 D3, R2 乙市 with D4; the
# model bridge: A2 = the 满意度 scale (S1, S2, S3 reverse-keyed) of survey
# 民意调查, rule likert 1-5).  Respondents: D1 40 (one misses S2: 39 with a
# score), D2 32 ("D2" by code; one misses S1: 31), D3 12, R1 itself 30, two
# rate no unit.  Every expected number is a key of tests/r/survey_bridge.out
# (tests/r/survey_bridge.R: rowMeans, sd, psych::alpha, psych::KMO, the item
# analysis as tests/r/survey_ref.R, the region blend 0.7 D + 0.3 R).
. tests/cli/lib.sh
B=$DATA/bridge
REF=tests/r/survey_bridge.out
DB=$T/b.db
E() { "$EGDI" --db "$DB" "$@"; }
ref() { awk -v k="$1" '$1 == k { print $2 }' "$REF"; }
# near NAME GOT KEY: GOT equals the R reference KEY within 1e-12 (relative)
near() {
    if python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-12 * max(1, abs(b)))' "$2" "$(ref "$3")"; then
        pass "$1"
    else
        fail "$1"
        echo "  expected: $(ref "$3") ($3)"
        echo "  got:      $2"
    fi
}
# js FILE EXPR: a value of the JSON in FILE (python, j = the document)
js() { python3 -c "import json,sys; j = json.load(open(sys.argv[1])); print($2)" "$1"; }
# node FILE CODE KEY...: nodes[CODE] of an explain JSON, then the keys
node() {
    f=$1 c=$2
    shift 2
    python3 -c 'import json,sys
n = [x for x in json.load(open(sys.argv[1]))["nodes"] if x["code"] == sys.argv[2]][0]
for k in sys.argv[3:]:
    n = n[k] if not isinstance(n, list) else n[int(k)]
print(n)' "$f" "$c" "$@"
}
# model VARIANT.csv with A2's survey columns (source..conflict) replaced
model() {
    sed "s|^A2,A,.*|A2,A,用户满意度,user satisfaction,0.5,Likert 1-5,higher,both,$2|" \
        "$B/model.csv" >"$T/$1.csv"
}
LIK='likert,,,1,5'
A2='survey,满意度,,mean'

# ---- import: respondents linked to units --------------------------------------
run E init
run E import units "$B/units.csv"
ok "units"
run E import metrics "$B/metrics.csv" --round 2024 --model "$B/model.csv"
ok "metrics (A2 of D1 and of D3 too)"
SV="--survey 民意调查 --round 2024 --scale 1-5 --scales $B/scales.csv --items S1-S4"
run E import survey "$B/survey.csv" $SV
ok "without --unit-column the survey imports"
has "a 部门 column is pointed out" '若它写的是每份答卷所评价的单位，--unit-column "部门" 可把答卷与单位关联'
run E import undo 3
ok "that import undone"
run E import survey "$B/survey.csv" $SV --unit-column 部们
fails "an unknown unit column is refused"
err_has "it names the column that looks like one" '列 "部门" 看来是单位列'
printf '编号,部门,S1,S2,S3,S4\n1,甲市公安厅,3,4,2,3\n2,D1,4,4,2,3\n' >"$T/typo.csv"
run E import survey "$T/typo.csv" --survey typo --round 2024 --scale 1-5 --unit-column 部门
fails "an unknown unit is refused"
err_has "with its cell and the nearest unit" '第 2 行，B 列："甲市公安厅"："甲市公安厅" 既不是数据库中某个单位的代码，也不是其名称（请先导入单位名单）；是否指 D1（甲市公安局）？'
run E import survey "$B/survey.csv" $SV --unit-column 部门 --format json
ok "the survey with --unit-column 部门"
same "JSON: 114 respondents rate 4 units, 82 by name, 2 none" \
    "$(js "$OUT" '[j["rated"][k] for k in ("respondents", "by_name", "without_unit", "units")]')" \
    "[114, 82, 2, 4]"
same "the unit column is a field" "$(js "$OUT" '[c["target"] for c in j["columns"] if c["heading"] == "部门"][0]')" "unit"
run E import survey "$B/survey_more.csv" $SV
fails "a later import of the survey must name its unit column"
err_has "and says which" '请给出 --unit-column "部门"'

# ---- score: A2 from the survey ---------------------------------------------------
run E score --round 2024 --model "$B/model.csv" --format json
ok "score"
cp "$OUT" "$T/score.json"
S='j["surveys"][0]'
near "score: alpha of S1, S2, S3 (R) (psych::alpha)" "$(js "$T/score.json" "$S['alpha']")" first.gates.alpha
near "score: KMO (psych::KMO)" "$(js "$T/score.json" "$S['kmo']")" first.gates.kmo
near "score: the lowest critical ratio (t.test, Levene's choice)" "$(js "$T/score.json" "$S['cr_min']")" first.gates.cr_min
same "score: the gates' n (rated respondents answering every item)" "$(js "$T/score.json" "$S['gate_n']")" "$(ref first.gates.n | cut -d. -f1)"
same "score: every gate passed" "$(js "$T/score.json" "$S['failed']")" "None"
same "score: 2 of 4 departments scored, D3 has too few, D1 is a conflict, D3 takes its metric" \
    "$(js "$T/score.json" "[$S['departments'][k] for k in ('units', 'scored', 'too_few', 'conflicts', 'metric_used', 'fewest', 'most')]")" \
    "[4, 2, 1, 1, 1, 31, 39]"
same "score: the conflict, with both sources" \
    "$(js "$T/score.json" "[(c['unit'], c['metric'], c['used'], c['row']) for c in $S['conflicts']]")" \
    "[('D1', 4.5, 'survey', 3)]"
run E score --round 2024 --model "$B/model.csv" --lang en
has "score's table: the indicator line" "A2 user satisfaction: survey 民意调查 round 2024, scale 满意度 (S1, S2, S3 (R)), alpha 0.828 (n = 112): 2 of 4 departments scored from 31-39 respondents each (70 in all), 1 with 12 respondents (fewer than 30) has no survey value"
has "score's table: the conflict" "conflict: A2 of D1 甲市公安局: survey 3.88 (39 respondents) and imported metric 4.5 ($B/metrics.csv row 3); the survey's value is used"

# ---- explain: n, mean, SD, SE, gates, imports ------------------------------------
for u in D1 D2 D3 R1 R2; do
    run E explain $u --round 2024 --format json
    cp "$OUT" "$T/$u.json"
done
for u in D1 D2; do
    same "explain $u: n" "$(node "$T/$u.json" A2 survey n)" "$(ref first.$u.n | cut -d. -f1)"
    near "explain $u: mean (R rowMeans)" "$(node "$T/$u.json" A2 survey mean)" first.$u.mean
    near "explain $u: SD (R sd)" "$(node "$T/$u.json" A2 survey sd)" first.$u.sd
    near "explain $u: SE = SD / sqrt(n)" "$(node "$T/$u.json" A2 survey se)" first.$u.se
    near "explain $u: the raw value is the mean" "$(node "$T/$u.json" A2 raw)" first.$u.mean
    same "explain $u: the source is the survey" "$(node "$T/$u.json" A2 source)|$(node "$T/$u.json" A2 survey used)" "None|survey"
done
same "explain D1: the likert score is 100 (mean - 1) / 4" \
    "$(python3 -c 'import sys; print(round(100 * (float(sys.argv[1]) - 1) / 4, 9))' "$(ref first.D1.mean)")" \
    "$(python3 -c 'import sys; print(round(float(sys.argv[1]), 9))' "$(node "$T/D1.json" A2 score)")"
same "explain D1: the metric imported too" "$(node "$T/D1.json" A2 survey metric)" "4.5"
same "explain D1: its import batch" "$(node "$T/D1.json" A2 survey batches 0 file)" "$B/survey.csv"
same "explain D1: the gates" "$(node "$T/D1.json" A2 survey gates min_n)|$(node "$T/D1.json" A2 survey gates min_alpha)|$(node "$T/D1.json" A2 survey gates item_analysis)" "30|0.7|True"
same "explain D3: too few respondents, the metric stands in" \
    "$(node "$T/D3.json" A2 survey state)|$(node "$T/D3.json" A2 survey n)|$(node "$T/D3.json" A2 survey used)|$(node "$T/D3.json" A2 raw)" \
    "too_few|12|metric|2.2"
near "explain D3: its mean all the same" "$(node "$T/D3.json" A2 survey mean)" first.D3.mean
near "explain R1: 0.7 x mean(D1, D2) + 0.3 x its own respondents" "$(node "$T/R1.json" A2 raw)" first.region.R1.value
near "explain R1: SE from the parts" "$(node "$T/R1.json" A2 survey se)" first.region.R1.se
near "explain R1: the departments' part" "$(node "$T/R1.json" A2 survey departments value)" first.region.R1.dept
same "explain R1: 2 departments (D3 has too few), its own 30, 100 respondents" \
    "$(node "$T/R1.json" A2 survey departments units)|$(node "$T/R1.json" A2 survey own n)|$(node "$T/R1.json" A2 survey n)" \
    "2|30|100"
same "explain R2: no respondent, no value" "$(node "$T/R2.json" A2 survey state)|$(node "$T/R2.json" A2 status)" "none|missing"
run E explain D3 --round 2024 --lang en
has "explain's table: n, mean, SD, SE" "n = 12 respondents, mean 2.9444, SD 0.8971, SE 0.2590"
has "explain's table: the gates" "gates (112 respondents answering every item): alpha 0.828 >= 0.70; item analysis: every item passes"
has "explain's table: too few" "12 respondents, fewer than 30: no survey value"

# explain's numbers are those of the closest grouped statistic egdi has:
# `survey anova --y 满意度 --group 部门` (`survey describe` has no --group)
run E survey anova --survey 民意调查 --y 满意度 --group 部门 --format json
ok "survey anova by 部门"
cp "$OUT" "$T/anova.json"
for p in D1:甲市公安局 D2:D2 D3:甲市财政局; do
    u=${p%%:*} g=${p#*:}
    same "explain $u = anova's group $g (n, mean, SD, SE = SD / sqrt(n))" \
        "$(js "$T/anova.json" "[(x['n'], x['mean'], x['sd'], x['sd'] / x['n'] ** 0.5) for x in j['groups'] if x['group'] == '$g'][0]")" \
        "$(python3 -c 'import json,sys
n = [x for x in json.load(open(sys.argv[1]))["nodes"] if x["code"] == "A2"][0]["survey"]
print((n["n"], n["mean"], n["sd"], n["se"]))' "$T/$u.json")"
done

# ---- the gates on both sides of each threshold ------------------------------------
# alpha = first.gates.alpha (0.828): .82 passes, .83 fails
gate() { # VARIANT: the first survey's failed text
    run E score --round 2024 --model "$T/$1.csv" --format json
    js "$OUT" 'j["surveys"][0]["failed"]'
}
model a82 "$LIK,$A2,,0.82,,,,"
same "min_alpha 0.82 < alpha: passes" "$(gate a82)" "None"
model a83 "$LIK,$A2,,0.83,,,,"
same "min_alpha 0.83 > alpha: fails, with the figure" "$(gate a83)" "alpha = 0.828 < 0.83 (n = 112)"
same "a failed gate: no department has a survey value" \
    "$(js "$OUT" '[j["surveys"][0]["departments"][k] for k in ("scored", "metric_used")]')" "[0, 2]"
run E score --round 2024 --model "$T/a83.csv" --lang en
has "score's table says which gate failed" "failed its gates: alpha = 0.828 < 0.83 (n = 112), so no unit has a survey value"
run E explain D2 --round 2024 --format json
same "a failed gate: D2's A2 is missing, the gate its reason" "$(node "$OUT" A2 status)|$(node "$OUT" A2 survey state)" "missing|gate"
# KMO = first.gates.kmo (0.721)
model k72 "$LIK,$A2,,,,0.72,,"
same "min_kmo 0.72 < KMO: passes" "$(gate k72)" "None"
model k73 "$LIK,$A2,,,,0.73,,"
same "min_kmo 0.73 > KMO: fails" "$(gate k73)" "KMO = 0.721 < 0.73"
# the item analysis: S4 (noise) fails it (first.gates4.S4.keep 0)
model cr4 "$LIK,survey,,S1-S4,mean,,none,cr,,,"
same "items S1-S4: S4 fails the item analysis" "$(gate cr4 | sed 's/ (CR.*//')" "item analysis: S4"
model nocr4 "$LIK,survey,,S1-S4,mean,,none,none,,,"
same "item_analysis none: the same items pass" "$(gate nocr4)" "None"
near "items S1-S4: alpha of the four (psych::alpha)" "$(js "$OUT" 'j["surveys"][0]["alpha"]')" first.gates4.alpha
# min_n: D2 has 31 respondents, R1 itself 30
model n31 "$LIK,$A2,31,,,,,"
run E score --round 2024 --model "$T/n31.csv" --format json
same "min_n 31: D1 and D2 scored" "$(js "$OUT" 'j["surveys"][0]["departments"]["scored"]')" "2"
run E explain R1 --round 2024 --format json
near "min_n 31: R1's own 30 are too few, its departments' part alone" "$(node "$OUT" A2 raw)" first.region.R1.dept
model n32 "$LIK,$A2,32,,,,,"
run E score --round 2024 --model "$T/n32.csv" --format json
same "min_n 32: D2's 31 are too few" "$(js "$OUT" '[j["surveys"][0]["departments"][k] for k in ("scored", "too_few")]')" "[1, 2]"
run E explain D2 --round 2024 --format json
same "min_n 32: D2's A2 is missing with that reason" "$(node "$OUT" A2 status)|$(node "$OUT" A2 missing reason)" "missing|31 respondents, fewer than 32"
run E explain D2 --round 2024 --lang en
has "explain's table says so" "(missing: 31 respondents, fewer than 32)"
# gate refuse
model refuse "$LIK,$A2,,0.83,,,refuse,"
run E score --round 2024 --model "$T/refuse.csv"
fails "gate refuse: score stops"
err_has "gate refuse: with the gate and its figure" "A2：问卷 \"民意调查\" 2024 年度，维度 满意度：alpha = 0.828 < 0.83（n = 112）；模型的 gate 为 refuse，因此未评分"

# ---- the conflict rule, the statistic, a missing survey ---------------------------
model metric "$LIK,$A2,,,,,,metric"
run E score --round 2024 --model "$T/metric.csv"
ok "conflict metric"
run E explain D1 --round 2024 --model "$T/metric.csv" --format json
same "conflict metric: D1 takes its imported 4.5" "$(node "$OUT" A2 raw)|$(node "$OUT" A2 survey used)" "4.5|metric"
sed "s|^A2,A,.*|A2,A,满意率,top two boxes,0.5,%,higher,both,goalpost,0,100,,,survey,满意度,,top:4,,,,,,|" \
    "$B/model.csv" >"$T/top.csv"
run E score --round 2024 --model "$T/top.csv"
ok "statistic top:4"
run E explain D1 --round 2024 --model "$T/top.csv" --format json
near "top:4: D1's share of scores >= 4 (R mean(y >= 4))" "$(node "$OUT" A2 raw)" first.D1.top4
sed 's/^survey,民意调查$/survey,没有的问卷/' "$B/model.csv" >"$T/nosurvey.csv"
run E score --round 2024 --model "$T/nosurvey.csv" --format json
ok "a survey the store does not have"
same "its note, and the imported metrics stand" \
    "$(js "$OUT" '(j["surveys"][0]["note"], j["surveys"][0]["departments"]["metric_used"])')" \
    "('the store has no survey \"没有的问卷\"', 2)"
model noscale "$LIK,survey,认同度,,mean,,,,,,"
run E score --round 2024 --model "$T/noscale.csv"
fails "a scale the survey does not have is refused"
err_has "naming the scales it has" 'A2：问卷 "民意调查" 没有维度 "认同度"（其维度：满意度）'

# ---- staleness after a re-import ---------------------------------------------------
run E score --round 2024 --model "$B/model.csv"
ok "scored again"
run E rank --round 2024 --model bridge --lang en
hasnt "not stale yet" "stale"
run E import survey "$B/survey_more.csv" $SV --unit-column 部门 --format json
ok "20 more respondents of D3"
MORE=$(js "$OUT" 'j["batch"]')
run E rank --round 2024 --model bridge --lang en
has "rank says the scores are stale" "the scores of round 2024 are stale: import $MORE (survey $B/survey_more.csv)"
run E report --round 2024 -o "$T/rep" --no-charts --lang en
ok "report"
if grep -qF "The scores of round 2024 are stale" "$T/rep/report.html"; then pass "the report says so"; else fail "the report says so"; fi
run E score --round 2024 --model "$B/model.csv"
ok "scored once more"
run E rank --round 2024 --model bridge --lang en
hasnt "no longer stale" "stale"
run E explain D3 --round 2024 --format json
same "D3 now has 32 respondents and a survey value" "$(node "$OUT" A2 survey n)|$(node "$OUT" A2 survey used)" "32|survey"
near "D3's mean" "$(node "$OUT" A2 raw)" second.D3.mean
run E explain R1 --round 2024 --format json
near "R1 now combines D1, D2 and D3" "$(node "$OUT" A2 raw)" second.region.R1.value
same "R1: the two survey imports behind it" "$(node "$OUT" A2 survey batches 1 file)" "$B/survey_more.csv"
run E import undo "$MORE"
ok "undo those respondents"
run E rank --round 2024 --model bridge --lang en
has "the undo makes the scores stale too" "import $MORE (survey $B/survey_more.csv) was undone"
printf 'code,name,kind,parent\nD5,乙市财政局,department,R2\n' >"$T/units2.csv"
run E import units "$T/units2.csv" --format json
U2=$(js "$OUT" 'j["batch"]')
printf '编号,部门,S1,S2,S3,S4\n1,D5,3,4,2,3\n' >"$T/d5.csv"
run E import survey "$T/d5.csv" --survey d5 --round 2024 --scale 1-5 --unit-column 部门
ok "a respondent rates D5"
run E import undo "$U2"
fails "D5's import cannot be undone while a respondent rates it"
err_has "it says why" "带入了单位 \"D5\"，有问卷受访者评价它；请先撤销这些问卷导入"

# ---- the model -----------------------------------------------------------------
run "$EGDI" --lang en model show jiangsu
has "jiangsu's GIRI6 comes from the survey its setting names" "GIRI6: survey 公务员问卷 (the model's survey setting), scale 满意度, mean; gates: at least 30 respondents per unit, alpha >= 0.7, every item passes the item analysis (CR), KMO not checked"
sed "s|^A2,A,.*|A2,A,x,x,0.5,%,higher,both,likert,,,1,5,survey,,,top:4,1,2,maybe,,stop,both|" "$B/model.csv" >"$T/bad.csv"
run "$EGDI" model check "$T/bad.csv"
same "model check: every survey-source problem" "$(grep -c 'A2：' "$OUT")" "7"
has "model check: no scale or items" "A2：问卷来源需要 scale（问卷的维度）或 items（题项列表）"
has "model check: min_n" 'A2：min_n "1" 须为受访者人数，至少为 2 的整数'
has "model check: likert cannot score a share" "A2：统计量 top 给出 0-100 的比例，likert 规则无法评分"

# ---- the demo -------------------------------------------------------------------
run "$EGDI" demo -o "$T/demo" --lang en
ok "demo"
has "demo: how many departments got a satisfaction score from how many respondents" \
    "9 of 520 departments scored from 31-61 respondents each (396 in all), 6 with 6-29 respondents (fewer than 30) have no survey value; 2 of 13 regions scored"
has "demo: 2023 has no questionnaire, the metrics stand" "no survey value (survey \"公务员问卷\" has no respondents of round 2023; an import of it with --round 2023 brings them); 522 units took the imported metric"
if grep -qF "9 of 520 departments scored from 31-61 respondents each" "$T/demo/report/report.html"; then pass "the demo's report says it"; else fail "the demo's report says it"; fi
run "$EGDI" --db "$T/demo/egdi.db" explain NJ01 --round 2024 --format json
same "demo: NJ01's GIRI6 from the survey" "$(node "$OUT" GIRI6 survey used)|$(node "$OUT" GIRI6 survey scale)" "survey|满意度"
finish
