#!/bin/sh
# Rankings with their uncertainty (issue 16), on the demo's store:
#   egdi uncertainty   the Monte Carlo; the same seed gives byte-identical
#                      JSON on one and on two threads and when run again;
#                      the run is stored (what was varied, seed, draws,
#                      sampler, model hash) and `rank --uncertainty` reads
#                      back the numbers it printed; zero-width weights
#                      collapse every interval to the nominal rank;
#                      --survey-se draws GIRI6 from its stored SE;
#   egdi rank --uncertainty   the interval and P(stage) columns, "stage
#                      uncertain" exactly where P(assigned stage) < 0.8;
#   egdi sensitivity   Sobol indices with one assumption (S = ST = 1) and
#                      the leave-one-out table;
#   egdi explain --compare    the split adds up to the EGDI change, with
#                      and without a model change;
#   refusals           an assumption the model or round has no step for;
#   egdi report        the intervals chart with an uncertainty run, none
#                      without.
. tests/cli/lib.sh
DB=$T/demo/egdi.db
E() { "$EGDI" --db "$DB" "$@"; }
# py 'expression on j (the JSON in $OUT)': prints the expression
py() { python3 -c "import json,sys; j = json.load(open(sys.argv[1])); print($1)" "$OUT"; }
sql() { python3 -c "import sqlite3,sys; c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]): print('|'.join(str(x) for x in r))" "$DB" "$1"; }

run "$EGDI" demo -o "$T/demo" --lang en
ok "the demo store"
[ -f "$T/demo/report/charts/intervals.png" ] && fail "no intervals chart before an uncertainty run" ||
    pass "no intervals chart before an uncertainty run"

# ---- no uncertainty run yet -------------------------------------------------
run E rank --round 2024 --uncertainty
fails "rank --uncertainty without a run is refused"
err_has "... and says what to run" "run 'egdi uncertainty --round 2024'"

# ---- the Monte Carlo: reproducible ----------------------------------------------
A="--round 2024 --weights uniform:0.3 --data-error 0.03 --draws 1000 --seed 5 --top 10"
run E uncertainty $A --threads 1 --format json
ok "uncertainty on one thread"
cp "$OUT" "$T/t1.json"
run E uncertainty $A --threads 2 --format json
ok "uncertainty on two threads"
cp "$OUT" "$T/t2.json"
if cmp -s "$T/t1.json" "$T/t2.json"; then pass "same seed: byte-identical JSON on 1 and 2 threads"; else
    fail "same seed: byte-identical JSON on 1 and 2 threads"
    diff "$T/t1.json" "$T/t2.json" | head -5
fi
same "it varied the weights and the data" "$(py 'j["varied"]')" \
    "weights: uniform +-30 % of each weight, renormalised (23 weights in 5 groups); data: every value with a relative error of 3 %"
same "Sobol design of 24 columns" "$(py 'j["sampler"], j["dimensions"], j["draws"], j["seed"]')" \
    "sobol 24 1000 5"
same "every department has an interval around... (lo <= median <= hi)" \
    "$(py 'all(u["rank_lo"] <= u["median_rank"] <= u["rank_hi"] for u in j["units"] if u["ranked_draws"])')" "True"
same "P(stage) sums to 1 over the stages of a unit ranked in every draw" \
    "$(py 'all(abs(sum(u["stages"].values()) - 1) < 1e-12 for u in j["units"] if u["ranked_draws"] == j["draws"])')" "True"
same "stage uncertain exactly when P(assigned stage) < 0.8" \
    "$(py 'all(u["stage_uncertain"] == (u["rank"] is not None and u["p_stage"] < 0.8) for u in j["units"])')" "True"
NUNC=$(py 'sum(u["stage_uncertain"] for u in j["units"])')
same "some departments are stage uncertain, most are not" \
    "$(py "0 < $NUNC < len(j['units']) / 2")" "True"

# the run in the store
RID=$(py 'j["run_id"]')
same "stored: what was varied, sampler, seed, draws, model hash" \
    "$(sql "SELECT varied, sampler, seed, draws, top_k, model_sha256 = '$(py 'j["model_hash"]')' FROM uncertainty_run WHERE id = $RID")" \
    "$(py 'j["varied"]')|sobol|5|1000|10|1"
same "one uncertainty run kept per score run and kind" "$(sql 'SELECT count(*) FROM uncertainty_run')" "1"
same "a row per department" "$(sql "SELECT count(*) FROM uncertainty_unit WHERE run_id = $RID")" \
    "$(py 'len(j["units"])')"
# rank --uncertainty reads back what uncertainty printed
run E rank --round 2024 --uncertainty --format json
ok "rank --uncertainty, JSON"
cp "$OUT" "$T/rank.json"
same "rank --uncertainty: the stored run's settings" "$(py 'j["uncertainty"]["run_id"], j["uncertainty"]["draws"], j["uncertainty"]["seed"], j["uncertainty"]["sampler"]')" \
    "$RID 1000 5 sobol"
same "rank --uncertainty: each unit's interval, median, shift and P(stage) as computed" \
    "$(python3 -c 'import json,sys
a = {u["id"]: u for u in json.load(open(sys.argv[1]))["units"]}
bad = [u["id"] for u in json.load(open(sys.argv[2]))["units"] if u["id"] in a and u.get("uncertainty")
       and any(u["uncertainty"][k] != a[u["id"]][k]
               for k in ("rank_lo", "median_rank", "rank_hi", "mean_shift", "p_stage",
                         "stage_uncertain", "stages"))]
n = sum(1 for u in json.load(open(sys.argv[2]))["units"] if u.get("uncertainty"))
print(n == len(a), bad[:3])' "$T/t1.json" "$T/rank.json")" "True []"
run E rank --round 2024 --uncertainty --lang en
ok "rank --uncertainty, table"
has "the interval column" "rank 5-95%"
has "the stage probability column" "P(stage)"
same "the table flags as many as the JSON" "$(grep -c '^ *[0-9].*  stage uncertain[; ]' "$OUT")" "$NUNC"
has "the footnote says what was varied and how many are flagged" \
    "1000 draws (sobol, seed 5) varying weights: uniform +-30 %"
has "... and how many are flagged" "$NUNC with P(assigned stage) below 0.8 are \"stage uncertain\""
# the first flagged unit's row: its P(stage) below 0.8
FIRST=$(python3 -c 'import json,sys
print([u["id"] for u in json.load(open(sys.argv[1]))["units"] if u["stage_uncertain"]][0])' "$T/t1.json")
same "a flagged row shows P(stage) below 0.80" \
    "$(grep "  $FIRST  " "$OUT" | awk '{ print ($NF < 0.8) }')" "1"

# another seed of the random sampler gives other draws; the same one the same
run E uncertainty $A --sampler random --format json
cp "$OUT" "$T/r5.json"
run E uncertainty $A --sampler random --format json
if cmp -s "$OUT" "$T/r5.json"; then pass "random sampler: the same seed, the same JSON"; else
    fail "random sampler: the same seed, the same JSON"
fi
run E uncertainty --round 2024 --weights uniform:0.3 --data-error 0.03 --draws 1000 --seed 6 --top 10 --sampler random --format json
if cmp -s "$OUT" "$T/r5.json"; then fail "random sampler: another seed, other draws"; else
    pass "random sampler: another seed, other draws"
fi

# ---- zero width ----------------------------------------------------------------
run E uncertainty --round 2024 --weights uniform:0 --draws 200 --format json
ok "zero-width weights"
same "zero width: every interval is the nominal rank, P(assigned stage) 1, shift 0" \
    "$(py 'all(u["rank_lo"] == u["median_rank"] == u["rank_hi"] == u["rank"] and u["p_stage"] == 1 and u["mean_shift"] == 0 and not u["stage_uncertain"] for u in j["units"] if u["rank"] is not None)')" \
    "True"
same "zero width: mean shift 0" "$(py 'j["mean_shift"]')" "0.0"

# ---- the survey's standard errors ------------------------------------------------
run E uncertainty --round 2024 --survey-se --draws 500 --format json
ok "--survey-se on the demo (GIRI6 from the questionnaire)"
same "--survey-se: the departments and regions with a survey value are drawn" "$(py 'j["varied"]')" \
    "data: $(sql "SELECT count(*) FROM survey_score s JOIN score_run r ON r.id = s.run_id WHERE r.round = 2024 AND s.used = 'survey' AND s.se > 0 AND r.id = (SELECT max(id) FROM score_run WHERE round = 2024)") values from their standard errors"
same "--survey-se moves some ranks" "$(py 'j["mean_shift"] > 0')" "True"

# ---- sensitivity ------------------------------------------------------------------
# One assumption, a choice of two (the missing-data policy: reweight or
# mean): it explains all of the variance, S = ST = 1.  Exactly so on the
# Sobol design: its first two columns put N/4 rows in each pair of halves,
# so with y = a or b, V = (a - b)^2 / 4, the Jansen sum is (N/2)(a - b)^2 /
# 2N and the Saltelli sum (N/4)(a - b)^2 / N (whatever the centre).
run E sensitivity --round 2024 --missing mean --base 1024 --boot 200 --unit NJ26 --format json
ok "sensitivity, one assumption"
cp "$OUT" "$T/sens.json"
same "sensitivity: one group, N (d + 2) runs, Sobol" "$(py 'j["assumptions"], j["evaluations"], j["sampler"]')" \
    "['missing'] 3072 sobol"
same "one assumption explains all: S = ST = 1 for the rank shift" \
    "$(py 'abs(j["rank_shift"]["first"]["missing"] - 1) < 1e-9 and abs(j["rank_shift"]["total"]["missing"] - 1) < 1e-9')" "True"
same "... and for every unit's score that varies" \
    "$(py 'all(abs(u["first"]["missing"] - 1) < 1e-9 and abs(u["total"]["missing"] - 1) < 1e-9 for u in j["units"] if u["varies"])')" "True"
same "the bootstrap intervals hold 1" \
    "$(py 'all(lo <= 1 <= hi for lo, hi in (j["rank_shift"]["first_ci"]["missing"], j["rank_shift"]["total_ci"]["missing"]))')" "True"
same "leave one out: a row per node under the root that departments have" \
    "$(py '" ".join(r["code"] for r in j["leave_one_out"])')" \
    "$(awk -F, 'NR > 1 && $2 != "" && $8 != "region" { printf "%s%s", n++ ? " " : "", $1 }' data/models/jiangsu/catalogue.csv)"
run E sensitivity --round 2024 --weights uniform:0.3 --normalisation minmax,zscore --base 256 --boot 100 --lang en
ok "sensitivity, table"
has "the design is named" "Saltelli's design: N = 256"
has "the leave-one-out table" "leave one out"

# ---- explain --compare --------------------------------------------------------------
# "change = model_change + indicators + reweighting, and the terms add up"
adds_up() {
    python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
t = j["terms"]
ok = abs(j["change"] - (j["egdi"] - j["compare_egdi"])) < 1e-9
ok = ok and abs(j["model_change"] + j["indicators"] + j["reweighting"] - j["change"]) < 1e-9
ok = ok and abs(sum(x["indicator"] for x in t) - j["indicators"]) < 1e-9
ok = ok and abs(sum(x["reweighting"] for x in t) - j["reweighting"]) < 1e-9
ok = ok and abs(j["model_change"] - (j["compare_egdi_this_model"] - j["compare_egdi"])) < 1e-9
print(ok, j["same_model"], j["model_change"] != 0)' "$OUT"
}
for u in NJ26 SZ37 HA28 NJ; do
    run E explain "$u" --round 2024 --compare 2023 --format json
    ok "explain $u --compare 2023"
    same "explain $u --compare: the split sums to the EGDI change (one model)" "$(adds_up)" \
        "True True False"
done
run E explain NJ26 --round 2024 --compare 2023 --lang en
has "the table names the change" "EGDI 93.46 (2023) -> 97.26 (2024): +3.80"
has "and its parts" "re-weighting for missing"
# 2023 scored with a model whose CBII1 goalpost reaches 120: a model change
mkdir -p "$T/m120"
cp data/models/jiangsu/settings.csv data/models/jiangsu/stages.csv "$T/m120/"
sed 's/^\(CBII1,.*,goalpost,0,\)100,/\1120,/' data/models/jiangsu/catalogue.csv >"$T/m120/catalogue.csv"
run E score --round 2023 --model "$T/m120"
ok "2023 scored with another model"
for u in NJ26 SZ37; do
    run E explain "$u" --round 2024 --compare 2023 --format json
    ok "explain $u --compare 2023 (another model)"
    same "explain $u --compare: the split with a model change sums to the EGDI change" \
        "$(adds_up)" "True False True"
done

# ---- refusals: an assumption the model or round has no step for ----------------------
run E uncertainty --round 2024 --draws 10
fails "nothing to vary is refused"
err_has "... naming the assumptions" "请至少给出一个要变动的假设"
run E uncertainty --round 2024 --normalisation Q9=minmax --draws 10
fails "a rule for an indicator the model has not"
err_has "... named" "标准化：Q9 不是模型 jiangsu 的指标"
run E uncertainty --round 2024 --missing reweight --draws 10
fails "the model's own missing policy is no alternative"
err_has "... said" "缺失值：请给出模型自身（reweight）以外的处理方式"
run E uncertainty --round 2024 --aggregation --normalisation minmax --draws 10
fails "a geometric mean of a score of 0 (minmax gives 0)"
err_has "... with the unit, indicator and rule" "按 minmax 评分：0）"
run E sensitivity --round 2024 --aggregation --normalisation minmax --base 16
fails "sensitivity refuses it too"
# a model without survey leaves: no SE to draw from
mkdir -p "$T/nosv"
cp data/models/jiangsu/stages.csv "$T/nosv/"
grep -v '^survey,' data/models/jiangsu/settings.csv >"$T/nosv/settings.csv"
python3 -c 'import csv,sys
r = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
h = r[0]
for row in r[1:]:
    for c in ("source", "scale", "items", "statistic", "min_n", "min_alpha", "item_analysis", "min_kmo", "gate", "conflict"):
        row[h.index(c)] = ""
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(r)' \
    data/models/jiangsu/catalogue.csv "$T/nosv/catalogue.csv"
run E score --round 2024 --model "$T/nosv"
ok "2024 scored with a model without survey leaves"
run E uncertainty --round 2024 --model "$T/nosv" --survey-se --draws 10
fails "--survey-se with a model without survey leaves is refused"
err_has "... saying why" "数据：模型 jiangsu 没有由问卷计算的指标"

# ---- the report --------------------------------------------------------------------
run E score --round 2024
ok "2024 scored with the built-in model again"
run E uncertainty $A
ok "an uncertainty run of that score run"
run E report --round 2024 -o "$T/rep" --lang en
ok "report with the uncertainty run"
[ -s "$T/rep/charts/intervals.png" ] && [ -s "$T/rep/charts/intervals.svg" ] &&
    pass "the report draws the intervals chart (PNG and SVG)" ||
    fail "the report draws the intervals chart (PNG and SVG)"
if grep -q "Rank intervals: 1000 Monte Carlo draws" "$T/rep/report.html"; then
    pass "the page says how the intervals were drawn"
else fail "the page says how the intervals were drawn"; fi
same "the page flags the stage-uncertain units" \
    "$(grep -o '<span class="down">stage uncertain</span>' "$T/rep/report.html" | wc -l | tr -d ' ')" \
    "$(python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
print(sum(u["stage_uncertain"] for u in j["units"]))' "$T/t1.json")"
# the near-boundary flags and the scorecards use the uncertainty run (issue 17):
# the near table lists exactly the stage-uncertain units, each with P(stage) < 0.8
same "near-boundary table: the stage-uncertain units, each P(stage) < 0.8" \
    "$(python3 -c 'import re,sys
h = open(sys.argv[1], encoding="utf-8").read()
t = h[h.index("id=\"near-table\""):]
t = t[:t.index("</table>")]
rows = re.findall(r"<tr[^>]*>(.*?)</tr>", t)[1:]
ps = [float(re.findall(r"<td[^>]*>([^<]*)</td>", r)[-1]) for r in rows]
print(len(rows), all(p < 0.8 for p in ps))' "$T/rep/report.html")" \
    "$(python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
print(sum(u["stage_uncertain"] for u in j["units"]), True)' "$T/t1.json")"
has_near=$(grep -c 'Monte Carlo draws than a share of 0.80' "$T/rep/report.html")
same "the near-boundary section says it uses the uncertainty run" "$has_near" 1
run E report --round 2024 -o "$T/rep-sc" --scorecards --no-charts
ok "report --scorecards with the uncertainty run"
# the Chinese page words what the run varied in Chinese (stored in English)
if grep -q '变化的假设：权重：每个权重在 ±[0-9]* % 内均匀变动后同级重新归一' "$T/rep-sc/report.html" &&
    ! grep -q 'renormalised' "$T/rep-sc/report.html"; then
    pass "the Chinese page says in Chinese what the run varied"
else fail "the Chinese page says in Chinese what the run varied"; fi
if grep -l '区间 [0-9.]*–[0-9.]*' "$T/rep-sc/scorecards/"*.html 2>/dev/null | grep -vq index.html; then
    pass "a scorecard shows its rank interval from the uncertainty run"
else
    fail "a scorecard shows its rank interval from the uncertainty run"
fi
# the run ranks departments: a region's card has no interval (not "0-0")
regs=$(grep -l '地区排名' "$T/rep-sc/scorecards/"*.html 2>/dev/null | wc -l | tr -d ' ')
if [ "$regs" -gt 0 ] && ! grep -l '地区排名' "$T/rep-sc/scorecards/"*.html | xargs grep -q '区间'; then
    pass "the $regs region cards show no rank interval"
else
    fail "the region cards show no rank interval ($regs region cards)"
fi
finish
