#!/bin/sh
# CLI tests for egdi model, rank, score and explain (issue 3).
. tests/cli/lib.sh
UN=$DATA/un/egdi-2018.csv
M=$DATA/models

# ---- model list / show / check ----------------------------------------
run "$EGDI" model list
ok "model list"
has "model list: jiangsu" "jiangsu"
has "model list: un-egdi" "un-egdi"
run "$EGDI" model show jiangsu --lang en
has "show: tree" "    CBII1"
has "show: effective weight of GSI11" "0.0240"
has "show: stages" "90 <= score  融合发展阶段 / integration"
run "$EGDI" model show un-egdi --format json
has "show json" '"effective_weight"'
has "show json: classes" '"VH"'
run "$EGDI" --lang en model check "$(pwd)/data/models/jiangsu"
ok "check the built-in tables"
has "check: valid" "is valid"
run "$EGDI" --lang en model check "$M/bad_weights.csv"
fails "check: weights"
has "check: weights message" "weights under EGDI sum to 0.9, not 1 (tolerance 1e-09)"
err_has "check: count" "1 problem"
run "$EGDI" model check "$M/bad_rules.csv"
fails "check: rules"
same "check: one line per problem" "$(wc -l <"$OUT" | tr -d ' ')" "5"
run "$EGDI" model check "$M/bad_stages.csv"
has "check: stage gap" "low（上限 40）与 mid（下限 50）之间有空档"
run "$EGDI" model show no-such-model
fails "show: unknown model"

# ---- rank --data: the UN model on published values --------------------
run "$EGDI" rank --data "$UN" --model un-egdi --id country-code --name country-name --format csv
ok "rank --data un"
same "csv header" "$(head -1 "$OUT")" "rank,id,name,score,OSI,TII,HCI,stage"
has "Denmark first" "1,DNK,Denmark,0.9150,1.0000,0.7978,0.9472,very_high"
has "Serbia ties at 49" "49,SRB,Serbia,0.7155"
has "Slovakia ties at 49" "49,SVK,Slovakia,0.7155"
has "no rank 50" "51,QAT,Qatar"
has "Somalia last" "193,SOM,Somalia,0.0566"
run "$EGDI" rank --data "$UN" --model un-egdi --id country-code --name country-name --format json
has "json stage_name" '"stage_name": "非常高"'
has "json components" '"components": {'
run "$EGDI" rank --data "$UN" --model un-egdi --id country-code --rank-digits 2 --format csv
has "--rank-digits 2: ties at 0.92" "1,DNK"
# Denmark's index is (1 + 0.7978 + 0.9472) / 3 = 0.915 exactly: 0.92 at 2
# decimals (issue 18: the rounding no longer depends on the binary sum
# falling one ulp below .915, which tied it with Australia's 0.91)
same "--rank-digits 2: Denmark alone first (0.915 -> 0.92)" "$(grep ',DNK,' "$OUT" | cut -d, -f1)" "1"
same "--rank-digits 2: Australia second (0.90527 -> 0.91)" "$(grep ',AUS,' "$OUT" | cut -d, -f1)" "2"
run "$EGDI" rank --data "$UN" --model un-egdi --id country-code --lang en
has "table: rating class" "VH"
run "$EGDI" rank --data "$UN" --model un-egdi --id nope
fails "rank --data: unknown id column"

run "$EGDI" rank --data "$M/metrics-2024.csv" --format csv
ok "rank --data with raw indicator values (jiangsu)"
has "jiangsu from a table: D01 first" "1,D01,,96.96,93.82,98.65,99.46,integration"
has "jiangsu from a table: D06 not rankable" ",D06,,88.18,83.57,,94.31,"

# ---- weights -----------------------------------------------------------
printf 'item,CBII,GIRI,GSI\nCBII,1,2,2\nGIRI,1/2,1,1\nGSI,1/2,1,1\n' >"$T/ahp.csv"
run "$EGDI" model weights ahp "$T/ahp.csv" --format csv
ok "ahp"
has "ahp: 0.5" "CBII,0.500000"
has "ahp: 0.25" "GSI,0.250000"
printf 'item,A,B,C\nA,1,9,1/9\nB,1/9,1,9\nC,9,1/9,1\n' >"$T/bad.csv"
run "$EGDI" model weights ahp "$T/bad.csv"
fails "ahp: inconsistent"
err_has "ahp: CR figure" "CR = 6.1303 > 0.10"
printf 'item,A,B\nA,1,3\nB,1/2,1\n' >"$T/nonrec.csv"
run "$EGDI" model weights ahp "$T/nonrec.csv"
err_has "ahp: reciprocal" "不是互反矩阵"
run "$EGDI" model weights ahp "$T/ahp.csv" --parent EGDI --write "$T/m.csv"
ok "ahp --write"
run "$EGDI" model show "$T/m.csv" --format csv
has "written weights" "CBII,核心业务信息化水平指数,0.5,0.5000"
run "$EGDI" model weights equal --parent CBII --write "$T/eq.csv"
run "$EGDI" model check "$T/eq.csv"
ok "equal weights written and valid"

# ---- the store: score, rank --round, --compare, explain ----------------
DB=$T/e.db
"$EGDI" --db "$DB" init >/dev/null
"$EGDI" --db "$DB" import units "$M/units.csv" >/dev/null
"$EGDI" --db "$DB" import metrics "$M/metrics-2023.csv" --round 2023 >/dev/null
"$EGDI" --db "$DB" import metrics "$M/metrics-2024.csv" --round 2024 >/dev/null
run "$EGDI" --db "$DB" score --round 2023
ok "score 2023"
run "$EGDI" --db "$DB" score --round 2024 --format json
ok "score 2024"
has "score: model hash" '"model_hash"'
has "score: not rankable" '"not_rankable": 1'
run "$EGDI" --db "$DB" rank --round 2024 --format json
cp "$OUT" "$T/first.json"
"$EGDI" --db "$DB" score --round 2024 >/dev/null
run "$EGDI" --db "$DB" rank --round 2024 --format json
same "scoring twice gives identical results" "$(cat "$OUT")" "$(cat "$T/first.json")"
same "one run per model and round" "$(sqlite3 "$DB" 'SELECT count(*) FROM score_run WHERE round=2024')" "1"
run "$EGDI" --db "$DB" rank --round 2024 --compare 2023 --format csv
ok "rank --compare"
same "compare header" "$(head -1 "$OUT")" \
    "rank,id,name,region,score,CBII,GIRI,GSI,stage,previous_rank,change,previous_stage"
has "D01 first both years" "1,D01,省发展改革委,R1,96.96"
has "D06 not rankable" ",D06,省人社厅,R2,"
run "$EGDI" --db "$DB" rank --round 2024 --compare 2023 --lang en
has "transition matrix" "stage transitions 2023 -> 2024"
has "boundary flag" "* near a stage boundary"
has "not rankable note" "not rankable (coverage 46%)"
run "$EGDI" --db "$DB" rank --round 2024 --kind region --format csv
has "regions" "1,R1,南京市,,83.58"
run "$EGDI" --db "$DB" rank --round 2024 --within R2 --format csv
has "within R2" "1,D04,"
hasnt "within R2: not R1's" "D01"
run "$EGDI" --db "$DB" explain D01 --round 2024 --format csv
ok "explain"
has "explain: source cell" "metrics-2024.csv!B4"
has "explain: rule" "goalpost min=0 max=100"
run "$EGDI" --db "$DB" explain R1 --round 2024 --lang en
has "explain: region blend" "departments 79.9 x 0.7, region 76.55 x 0.3"
has "explain: stage" "EGDI 83.58 -> deepening; coverage 100.0%; rank 1 among regions"
run "$EGDI" --db "$DB" explain NOPE --round 2024
fails "explain: unknown unit"
run "$EGDI" --db "$DB" rank --round 2022
fails "rank: round not scored"
err_has "rank: hint" "egdi score --round 2022"
run "$EGDI" --db "$DB" model weights entropy --round 2024 --parent GIRI --format csv
ok "entropy weights from the store"
# R: tests/r/models_entropy.R (min-max normalised, then entropy), 6 decimals
same "entropy weights agree with R" "$(tail -n +2 "$OUT")" "$(cat tests/r/models_entropy.out)"
run "$EGDI" --db "$DB" model weights entropy --round 2024 --parent GSI
fails "entropy: an inner child is refused"
finish
