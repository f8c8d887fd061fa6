#!/bin/sh
# CLI tests of `egdi survey`: the real program on the fixtures in
# tests/data/survey/, JSON values compared with the R reference numbers in
# tests/r/survey_ref.out (made by tests/r/survey_ref.R; the key names say
# which R call: q.cr.* = cr_ref (t.test, quantile type 6, Levene by hand),
# q.alpha.* = psych::alpha, q.desc.* = psych::describe, q.tt.* / q.paired.*
# / q.one.* = stats::t.test, q.anova.* = summary(aov)).
. tests/cli/lib.sh
S=$DATA/survey
Q=$S/questionnaire.csv
B=$S/bfi.csv
REF=tests/r/survey_ref.out

# near NAME PYEXPR KEY [TOL]: the JSON value PYEXPR (on j = parsed stdout)
# agrees with the reference KEY to TOL (relative when |ref| > 1; default 1e-9).
near() {
    want=$(awk -v k="$3" '$1 == k { print $2 }' "$REF")
    if [ -z "$want" ]; then fail "$1 (no reference $3)"; return; fi
    if python3 - "$OUT" "$2" "$want" "${4:-1e-9}" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
got = eval(sys.argv[2], {"j": j})
want = float(sys.argv[3]); tol = float(sys.argv[4])
scale = max(1.0, abs(want))
sys.exit(0 if got is not None and abs(float(got) - want) <= tol * scale else 1)
PY
    then pass "$1"; else fail "$1 (want $want for $2)"; fi
}
# jis NAME PYEXPR VALUE: the JSON value printed by Python equals VALUE
jis() {
    got=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT" "$2" 2>&1)
    same "$1" "$got" "$3"
}

# ---- items (critical ratio) ---------------------------------------------------
run $EGDI survey items --data $Q --items Q1-Q12 --reverse Q4,Q8 --scale 1-5 --format json
ok "items runs"
near "items n (complete rows)" 'j["n"]' q.cr.n 0
jis "items n_read" 'j["n_read"]' 300
near "items lower cut = quantile type 6" 'j["cut_low"]' q.cr.cut_low
near "items upper cut" 'j["cut_high"]' q.cr.cut_high
near "items low group size" 'j["n_low"]' q.cr.n_low 0
near "items high group size" 'j["n_high"]' q.cr.n_high 0
near "items Q1 CR (t.test var.equal=TRUE)" 'j["items"][0]["cr"]' q.cr.Q1.cr
jis "items Q1 pooled row (Levene p >= .05)" 'j["items"][0]["cr_row"]' student
near "items Q5 CR = Welch t (Levene p < .05)" 'j["items"][4]["cr"]' q.cr.Q5.welch_t
jis "items Q5 Welch row" 'j["items"][4]["cr_row"]' welch
near "items Q5 Welch df" 'j["items"][4]["welch"]["df"]' q.cr.Q5.welch_df
near "items Q5 Levene F" 'j["items"][4]["levene"]["F"]' q.cr.Q5.levene_F
near "items Q5 Levene p" 'j["items"][4]["levene"]["p"]' q.cr.Q5.levene_p
near "items Q4 (reversed) mean of high group" 'j["items"][3]["high"]["mean"]' q.cr.Q4.mean_high
near "items Q3 student CI low" 'j["items"][2]["student"]["ci"][0]' q.cr.Q3.student_ci.1
near "items Q3 student p" 'j["items"][2]["student"]["p"]' q.cr.Q3.student_p
near "items Q9 corrected r (cor(item, total - item))" 'j["items"][8]["r_corrected"]' q.cr.Q9.r_corrected
near "items Q9 item-total r" 'j["items"][8]["r_total"]' q.cr.Q9.r_total
near "items Q12 alpha if deleted (psych alpha.drop)" 'j["items"][11]["alpha_if_deleted"]' q.cr.Q12.alpha_drop
jis "items Q3 kept (CR >= 3, r >= .4)" 'j["items"][2]["keep"]' True
jis "items Q9 dropped (r < .4)" 'j["items"][8]["keep"]' False

run $EGDI survey items --data $Q --items Q1-Q12 --reverse Q4,Q8 --scale 1-5 --tail 0.2 --format json
near "items --tail 0.2 lower cut" 'j["cut_low"]' q.cr20.cut_low
near "items --tail 0.2 high group" 'j["n_high"]' q.cr20.n_high 0
near "items --tail 0.2 Q7 CR" 'j["items"][6]["cr"]' q.cr20.Q7.cr

run $EGDI survey items --data $B --scales $S/bfi_scales.csv --scale 1-6 --format json
ok "items on bfi with the scales table"
near "bfi items n" 'j["n"]' b.cr.n 0
near "bfi items A1 (reversed) CR" 'j["items"][0]["cr"]' b.cr.A1.cr
near "bfi items C5 (reversed) Welch t" 'j["items"][9]["welch"]["t"]' b.cr.C5.welch_t

run $EGDI survey items --data $Q --items Q1-Q12 --reverse Q4,Q8 --scale 1-5
ok "items table"
has "items table heading" "项目分析"
has "items t-test table" "独立样本 T 检验"
has "items verdict" "保留"
run $EGDI survey items --data $Q --items Q1-Q12 --reverse Q4,Q8 --scale 1-5 --lang en --format csv
has "items csv header" "item,high mean,high sd"
# several tables in one CSV (issue 17): each starts with its title row, one
# field "# table: TITLE"; the title never stands as a bare line
same "items csv: first line is the first table's title row" \
    "$(head -1 "$OUT" | sed 's/ (.*//')" '"# table: Item analysis'
same "items csv: the title appears only in title rows" \
    "$(grep -c 'Item analysis' "$OUT")" "$(grep -c '^"# table: Item analysis' "$OUT")"
same "items csv: the t-test table has its title row after a blank line" \
    "$(grep -B1 '^# table: Independent samples t-test (high - low group)$' "$OUT" | head -1)" ""
same "items csv: the header row follows each title row" \
    "$(grep -A1 '^"\{0,1\}# table: ' "$OUT" | grep -v '^"\{0,1\}# table: \|^--$' | cut -d, -f1-2 | tr '\n' '|')" \
    "item,high mean|item,variances|"
same "items csv: two tables, two title rows, one blank line" \
    "$(grep -c '^"\{0,1\}# table: ' "$OUT") $(grep -c '^$' "$OUT")" "2 1"
run $EGDI survey alpha --data $Q --items Q1-Q12 --reverse Q4,Q8 --scale 1-5 --format csv
same "alpha csv: both tables titled" "$(grep -a '^"\{0,1\}# table: ' "$OUT" | sed 's/ (.*//' | tr '\n' '|')" \
    '"# table: 可靠性统计|# table: 项总计统计|'
run $EGDI --bom survey alpha --data $Q --items Q1-Q12 --format csv
same "--bom: the BOM comes before the first title row" "$(head -c 4 "$OUT" | od -An -tx1 | tr -d ' \n')" "efbbbf22"
run $EGDI survey efa --data $Q --items Q1-Q12 --factors 2 --format csv
same "efa csv: every table titled (as many title rows as blank-line-separated tables)" \
    "$(grep -c '^"\{0,1\}# table: ' "$OUT")" "$(($(grep -c '^$' "$OUT") + 1))"
run $EGDI survey items --data $Q --items Q1-Q4 --missing pairwise
fails "items refuses pairwise"

# ---- alpha ----------------------------------------------------------------------
run $EGDI survey alpha --data $Q --scales $S/questionnaire_scales.csv --scale 1-5 --format json
ok "alpha with scales"
near "alpha overall (psych::alpha(na.omit(X)))" 'j["alpha"]' q.alpha.all.alpha
near "alpha overall standardized" 'j["std_alpha"]' q.alpha.all.std_alpha
near "alpha overall n" 'j["n"]' q.alpha.all.n 0
near "alpha D1 per-scale listwise" 'j["scales"][0]["alpha"]' q.alpha.D1.alpha
near "alpha D1 n" 'j["scales"][0]["n"]' q.alpha.D1.n 0
near "alpha D2 std" 'j["scales"][1]["std_alpha"]' q.alpha.D2.std_alpha
near "alpha D3 Q12 r.drop" 'j["scales"][2]["items"][3]["r_corrected"]' q.alpha.D3.r_drop.4
near "alpha D1 Q4 alpha if deleted" 'j["scales"][0]["items"][3]["alpha_if_deleted"]' q.alpha.D1.alpha_drop.4
near "alpha D1 Q2 scale variance if deleted" 'j["scales"][0]["items"][1]["scale_var_if_deleted"]' q.alpha.D1.var_drop.2
near "alpha D1 Q2 scale mean if deleted" 'j["scales"][0]["items"][1]["scale_mean_if_deleted"]' q.alpha.D1.mean_drop.2

run $EGDI survey alpha --data $Q --scales $S/questionnaire_scales.csv --scale 1-5 --missing pairwise --format json
near "alpha pairwise (psych default)" 'j["alpha"]' q.alpha.all.pw.alpha
near "alpha pairwise D2" 'j["scales"][1]["alpha"]' q.alpha.D2.pw.alpha
near "alpha pairwise D2 Q8 alpha if deleted" 'j["scales"][1]["items"][3]["alpha_if_deleted"]' q.alpha.D2.pw.alpha_drop.4
jis "alpha pairwise says so" 'j["missing"]' pairwise

run $EGDI survey alpha --data $B --items A1-A5 --reverse A1 --scale 1-6 --format json
near "bfi A alpha listwise" 'j["alpha"]' b.alpha.A.alpha
near "bfi A std alpha" 'j["std_alpha"]' b.alpha.A.std_alpha
run $EGDI survey alpha --data $B --items C1-C5 --reverse C4,C5 --scale 1-6 --missing pairwise --format json
near "bfi C alpha pairwise" 'j["alpha"]' b.alpha.C.pw.alpha
near "bfi C C1 r.drop pairwise" 'j["items"][0]["r_corrected"]' b.alpha.C.pw.r_drop.1

run $EGDI survey alpha --data $Q --scales $S/questionnaire_scales.csv --scale 1-5
has "alpha table heading" "可靠性统计"
has "alpha item-total heading" "项总计统计"
has "alpha marks reversed items" "Q4 (R)"

# ---- the same data as XLSX (numeric cells; data on the second sheet) ------------------
X=$S/questionnaire.xlsx
run $EGDI survey alpha --data $X --sheet 问卷 --scales $S/questionnaire_scales.csv --scale 1-5 --format json
ok "alpha from XLSX, sheet by name"
near "XLSX alpha overall" 'j["alpha"]' q.alpha.all.alpha
near "XLSX alpha D1" 'j["scales"][0]["alpha"]' q.alpha.D1.alpha
run $EGDI survey anova --data $X --sheet 2 --y Q5 --group group --format json
near "XLSX anova, sheet by number" 'j["F"]' q.anova.Q5.F
run $EGDI survey items --data $X --sheet 问卷 --items Q1-Q12 --reverse Q4,Q8 --scale 1-5 --format json
near "XLSX items Q5 CR" 'j["items"][4]["cr"]' q.cr.Q5.cr
run $EGDI survey alpha --data $X --items Q1-Q4
fails "XLSX first sheet has no items"
err_has "the error names the sheet" '工作表 "说明"'

# ---- GBK CSV with Chinese item codes and group labels ----------------------------------
printf '编号,性别,满意1,满意2,满意3\n1,男,4,5,4\n2,女,3,3,2\n3,男,5,4,5\n4,女,2,2,3\n5,男,4,4,4\n' |
    iconv -f UTF-8 -t GBK >"$T/gbk.csv"
run $EGDI survey alpha --data "$T/gbk.csv" --items 满意1-满意3 --format json
near "GBK CSV: alpha over a Chinese range" 'j["alpha"]' gbk.alpha
run $EGDI survey ttest --data "$T/gbk.csv" --y 满意1 --group 性别 --format json
near "GBK CSV: t-test by 性别 (女 - 男, byte order)" 'j["welch"]["t"]' gbk.welch_t
jis "GBK CSV: group label decoded" 'j["groups"][1]["group"]' 男

# ---- describe --------------------------------------------------------------------
run $EGDI survey describe --data $Q --items Q1-Q3,Q12 --issued 320 --format json
ok "describe"
near "describe Q1 mean" 'j["items"][0]["mean"]' q.desc.Q1.mean
near "describe Q2 sd" 'j["items"][1]["sd"]' q.desc.Q2.sd
near "describe Q3 skewness type 2 (psych type=2)" 'j["items"][2]["skewness"]' q.desc.Q3.skew2
near "describe Q3 kurtosis type 2" 'j["items"][2]["kurtosis"]' q.desc.Q3.kurt2
near "describe Q12 skewness type 3 (psych default)" 'j["items"][3]["skewness_type3"]' q.desc.Q12.skew3
near "describe Q12 kurtosis type 3" 'j["items"][3]["kurtosis_type3"]' q.desc.Q12.kurt3
near "describe Q12 SE kurtosis" 'j["items"][3]["se_kurtosis"]' q.desc.Q12.se_kurt
near "describe Q12 n" 'j["items"][3]["n"]' q.desc.Q12.n 0
near "describe Q2 count of 3" '[f["count"] for f in j["items"][1]["frequencies"] if f["value"] == 3][0]' q.desc.Q2.count3 0
jis "describe response issued" 'j["response"]["issued"]' 320
jis "describe returned" 'j["response"]["returned"]' 300
run $EGDI survey describe --data $Q --items Q1 --labels "1=非常不同意,3=一般,5=非常同意"
has "describe labels in the frequency table" "非常同意"
run $EGDI survey describe --data $Q --items Q1 --labels "1=no,5=yes" --format json
jis "describe label in JSON" '[f.get("label") for f in j["items"][0]["frequencies"]]' "['no', None, None, None, 'yes']"
run $EGDI survey describe --data $Q --items Q1 --labels "one=no"
fails "describe bad --labels"
printf 'A1,A2\n3,1\n3,2\n3,4\n' >"$T/flat.csv"
run $EGDI survey describe --data "$T/flat.csv" --format json
jis "constant item: skewness null, not NaN" 'j["items"][0]["skewness"]' None
run $EGDI survey describe --data "$T/flat.csv"
hasnt "constant item: no nan in the table" "nan"
run $EGDI survey describe --data $Q --items Q1 --lang en
has "describe table" "Descriptive statistics"
has "describe frequencies" "Frequencies"

# ---- t-tests ------------------------------------------------------------------------
run $EGDI survey ttest --data $Q --y Q1 --group gender --format json
ok "ttest independent"
near "ttest Q1 pooled t (t.test var.equal=TRUE)" 'j["student"]["t"]' q.tt.Q1.student_t
near "ttest Q1 pooled p" 'j["student"]["p"]' q.tt.Q1.student_p
near "ttest Q1 Welch df" 'j["welch"]["df"]' q.tt.Q1.welch_df
near "ttest Q1 Welch CI high" 'j["welch"]["ci"][1]' q.tt.Q1.welch_ci.2
near "ttest Q1 Levene F" 'j["levene"]["F"]' q.tt.Q1.levene.1
near "ttest Q1 Levene df2" 'j["levene"]["df2"]' q.tt.Q1.levene.3
near "ttest Q1 Cohen d" 'j["cohen_d"]' q.tt.Q1.d
near "ttest Q1 group 1 n" 'j["groups"][0]["n"]' q.tt.Q1.n1 0
run $EGDI survey ttest --data $Q --scales $S/questionnaire_scales.csv --scale 1-5 --y D1 --group gender --format json
near "ttest on a scale score (D1)" 'j["student"]["t"]' q.tt.D1.student_t
near "ttest D1 Welch p" 'j["welch"]["p"]' q.tt.D1.welch_p
run $EGDI survey ttest --data $B --scales $S/bfi_scales.csv --scale 1-6 --y A --group gender --levels 1,2 --format json
near "ttest bfi A by gender" 'j["welch"]["t"]' b.tt.A.welch_t
run $EGDI survey ttest --data $Q --paired Q1,Q2 --format json
near "ttest paired t (t.test paired=TRUE)" 'j["t"]' q.paired.Q1Q2.t
near "ttest paired p" 'j["p"]' q.paired.Q1Q2.p
near "ttest paired n" 'j["n"]' q.paired.Q1Q2.n 0
near "ttest paired CI low" 'j["ci"][0]' q.paired.Q1Q2.ci.1
run $EGDI survey ttest --data $Q --y Q1 --mu 3 --format json
near "ttest one-sample t (t.test mu=3)" 'j["t"]' q.one.Q1.t
near "ttest one-sample CI of mean = CI of diff + mu" 'j["ci"][0] + 3' q.one.Q1.ci.1
run $EGDI survey ttest --data $Q --y Q5 --group group
fails "ttest with three groups and no --levels"
err_has "ttest lists the groups" "A, B, C"
run $EGDI survey ttest --data $Q --y Q5 --group group --levels A,C
ok "ttest --levels picks two groups"
has "ttest table" "独立样本 T 检验"

# long paired data
{
    echo "id,time,score"
    echo "1,pre,3"; echo "1,post,4"; echo "2,pre,2"; echo "2,post,4"
    echo "3,pre,5"; echo "3,post,5"; echo "4,post,2"; echo "4,pre,1"; echo "5,pre,3"
} >"$T/long.csv"
run $EGDI survey ttest --data "$T/long.csv" --y score --group time --pair-id id --levels post,pre --format json
ok "ttest paired long data"
# differences post - pre: 1, 2, 0, 1 -> mean 1, sd sqrt(2/3), t = 1 / (sqrt(2/3) / 2)
jis "ttest long pairs matched" 'j["n"]' 4
jis "ttest long t" 'round(j["t"], 12)' "$(python3 -c 'import math; print(round(1 / (math.sqrt(2/3) / 2), 12))')"

# ---- anova -----------------------------------------------------------------------------
run $EGDI survey anova --data $Q --y Q5 --group group --format json
ok "anova"
near "anova F (summary(aov))" 'j["F"]' q.anova.Q5.F
near "anova p" 'j["p"]' q.anova.Q5.p
near "anova df2" 'j["df2"]' q.anova.Q5.df2 0
near "anova eta2" 'j["eta2"]' q.anova.Q5.eta2
near "anova Levene F" 'j["levene"]["F"]' q.anova.Q5.levene.1
near "anova group C sd" 'j["groups"][2]["sd"]' q.anova.Q5.group_sd.3
run $EGDI survey anova --data $B --scales $S/bfi_scales.csv --scale 1-6 --y A --group education --format json
near "anova bfi A by education" 'j["F"]' b.anova.A.F
near "anova bfi group 5 mean" 'j["groups"][4]["mean"]' b.anova.A.group_mean.5
run $EGDI survey anova --data $Q --y Q5 --group group --lang en
has "anova table" "One-way ANOVA"

# ---- item lists ----------------------------------------------------------------------
run $EGDI survey alpha --data $Q --items "Q1 - Q3，Q12" --format json
jis "list: range with spaces and a full-width comma" '[i["item"] for i in j["items"]]' "['Q1', 'Q2', 'Q3', 'Q12']"
run $EGDI survey alpha --data $Q --items "Q2-Q4,Q3"
fails "list: an item listed twice"
err_has "listed twice named" '题项 "Q3" 列出了两次'
run $EGDI survey alpha --data $Q --items "q1-q3" --format json
jis "list: names match ignoring case (as import)" '[i["item"] for i in j["items"]]' "['Q1', 'Q2', 'Q3']"
run $EGDI survey alpha --data $Q --items Q4-Q1
fails "list: a backwards range"
err_has "backwards range explained" "与表中列的顺序相反"
run $EGDI survey alpha --data $Q --items Q1-Q4 --reverse Q9 --scale 1-5
fails "--reverse of an item not analysed"

# ---- errors ---------------------------------------------------------------------------------
printf 'id,A1,A2,A3\n1,1,2,3\n2,2,abc,4\n3,3,3,5\n' >"$T/bad.csv"
run $EGDI survey alpha --data "$T/bad.csv" --items A1-A3
fails "a text answer is an error"
err_has "it names the cell" "第 3 行，C 列"
err_has "it quotes the value" '"abc"'
run $EGDI survey alpha --data "$T/bad.csv"
ok "default items skip the column with text"
has "default items" "A3"
hasnt "the text column is not an item" "A2"
printf 'A1,A2,A3\n1,2,3\n2,7,4\n3,3,5\n4,4,4\n' >"$T/range.csv"
run $EGDI survey alpha --data "$T/range.csv" --scale 1-5
fails "an answer outside the scale"
err_has "outside names the cell" "第 3 行，B 列"
run $EGDI survey alpha --data "$T/range.csv" --reverse A1
fails "reverse without --scale"
err_has "reverse needs a scale" "--scale"
run $EGDI survey alpha --data "$T/range.csv" --items A1-A9
fails "unknown item"
err_has "unknown item named" '"A1-A9"' 
printf 'A1,A2,A3\n1,3,3\n2,3,4\n3,3,5\n4,3,4\n' >"$T/const.csv"
run $EGDI survey alpha --data "$T/const.csv"
fails "zero-variance item"
err_has "zero variance names the item" "A2"
run $EGDI survey items --data "$T/const.csv"
fails "items: zero-variance item"
printf 'A1,A2,A3\n1,,3\n2,,4\n3,,5\n' >"$T/empty.csv"
run $EGDI survey alpha --data "$T/empty.csv" --items A1-A3
fails "all-missing column"
err_has "all-missing names the item" "A2"
printf 'A1,A2,A3,A4\n1,2,3,4\n2,3,4,4\n3,3,5,1\n' >"$T/few.csv"
run $EGDI survey alpha --data "$T/few.csv"
fails "fewer respondents than items"
err_has "fewer respondents message" "受访者少于题项"
printf 'g,y\na,1\na,2\nb,3\n' >"$T/one.csv"
run $EGDI survey ttest --data "$T/one.csv" --y y --group g
fails "t-test with a group of one"
err_has "group of one named" "b 只有 1 个答案"
run $EGDI survey alpha --survey s2024
fails "--survey not available yet"
run $EGDI survey alpha --data $Q --items Q1-Q4 --format xml
fails "bad --format"
run $EGDI survey nosuch
fails "unknown subcommand"
run $EGDI survey alpha --data "$T/missing-file.csv"
fails "missing file"
run $EGDI survey items --data $Q --items Q1-Q12 --reverse Q4,Q8 --scale 1-5 --format json
hasnt "no NaN in JSON" "NaN"
finish
