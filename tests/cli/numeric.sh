#!/bin/sh
# Numerically bad input through the real commands: zero-variance items, a
# singular correlation matrix, fewer respondents than items, a one-member
# group, an all-missing column, NaN / infinite cells in CSV and XLSX, an
# indicator with the same value for every unit under minmax and zscore, a
# region without departments.  Each gives one clear line naming the item,
# indicator, cell or unit, or a defined result; never "nan" or "inf" in a
# table, CSV, JSON or report, never a crash, and a refused import leaves the
# store unchanged.
. tests/cli/lib.sh
M=$DATA/models
DB=$T/n.db
E() { "$EGDI" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

# no_nan NAME: stdout and stderr hold no NaN or infinity (as printf writes
# them); a quoted cell value in an error message ("NaN") is what the file said
NANRE='(^|[^a-z])[-+]?(nan|inf|infinity)([^a-z]|$)'
no_nan() {
    if { cat "$OUT"; sed 's/"[^"]*"//g' "$ERR"; } | grep -qiE "$NANRE"; then
        fail "$1: no NaN or inf in the output"
        { cat "$OUT"; sed 's/"[^"]*"//g' "$ERR"; } | grep -iE "$NANRE" | head -3
    else
        pass "$1: no NaN or inf in the output"
    fi
}
# every printed form of a command: table, csv, json; each fails with one line
# holding TEXT, or succeeds without NaN
each_fails() { # NAME TEXT CMD...
    name=$1
    text=$2
    shift 2
    for f in table csv json; do
        run "$@" --format $f
        fails "$name ($f)"
        err_has "$name ($f): says why" "$text"
        no_nan "$name ($f)"
    done
}
each_ok() { # NAME CMD...
    name=$1
    shift
    for f in table csv json; do
        run "$@" --format $f
        ok "$name ($f)"
        no_nan "$name ($f)"
    done
}

# ---- questionnaires (generated: 40 answers to Q1-Q6, groups A/B) ----
awk 'BEGIN { srand(3); print "id,g,Q1,Q2,Q3,Q4,Q5,Q6"
    for (i = 1; i <= 40; i++) { b = int(rand() * 3); printf "%d,%s", i, i % 2 ? "A" : "B"
        for (j = 1; j <= 6; j++) printf ",%d", 1 + (b + int(rand() * 3)) % 5; print "" } }' >"$T/base.csv"
edit() { awk -F, 'BEGIN { OFS = "," } '"$1"' { print }' "$T/base.csv" >"$T/$2.csv"; }
edit 'NR > 1 { $5 = 3 }' zerovar       # Q3 always 3
edit 'NR > 1 { $6 = $3 }' singular     # Q4 = Q1
edit 'NR > 1 { $4 = "" }' missing      # Q2 never answered
edit 'NR == 2 { $2 = "C" } NR > 2 { $2 = "A" }' onemember
edit 'NR > 5 { next }' few             # 4 respondents, 6 items
edit 'NR == 3 { $3 = "NaN" }' bad1
edit 'NR == 4 { $4 = "inf" }' bad2
edit 'NR == 5 { $5 = "1e999" }' bad3
S() { "$EGDI" survey "$@"; }

each_ok "the base questionnaire" S alpha --data "$T/base.csv" --items Q1-Q6
for c in items alpha kmo efa; do
    each_fails "$c: a zero-variance item is named" "Q3 方差为零" \
        S $c --data "$T/zerovar.csv" --items Q1-Q6
done
each_ok "describe: a zero-variance item is described" S describe --data "$T/zerovar.csv" --items Q1-Q6
for c in kmo efa; do
    each_fails "$c: a singular correlation matrix names the item" \
        "相关矩阵奇异：Q4 是其前面题项的线性组合" S $c --data "$T/singular.csv" --items Q1-Q6
done
each_fails "efa ml: a singular correlation matrix names the item" \
    "相关矩阵奇异：Q4 是其前面题项的线性组合" S efa --extract ml --data "$T/singular.csv" --items Q1-Q6
for c in items alpha; do
    each_fails "$c: fewer respondents than items" "4 名受访者，6 个题项" \
        S $c --data "$T/few.csv" --items Q1-Q6
done
for c in describe items alpha kmo efa; do
    each_fails "$c: an all-missing item is named" "题项 Q2 没有答案" \
        S $c --data "$T/missing.csv" --items Q1-Q6
done
each_fails "ttest: a one-member group is named" "C 只有 1 个答案" \
    S ttest --data "$T/onemember.csv" --y Q1 --group g
each_ok "anova: a one-member group is a defined result" \
    S anova --data "$T/onemember.csv" --y Q1 --group g
# two answers per group: Levene's F is 0/0
each_ok "anova: an undefined Levene test is said, not printed as nan" \
    S anova --data "$T/few.csv" --y Q1 --group g
run S anova --data "$T/few.csv" --y Q1 --group g --lang en
has "anova: the undefined Levene test is named" "Levene's test undefined"
for v in bad1:NaN bad2:inf bad3:1e999; do
    f=${v%%:*}
    each_fails "survey --data: a $f cell is refused with its cell" "中的 \"${v#*:}\"" \
        S describe --data "$T/$f.csv" --items Q1-Q6
done

# ---- imports: NaN and infinity never stored ----
run E import units "$M/units.csv"
ok "units"
for v in NaN nan inf -inf Infinity 1e999 -1e999 1e-999; do
    awk -F, -v v="$v" 'BEGIN { OFS = "," } NR == 3 { $2 = v } { print }' "$M/metrics-2024.csv" >"$T/m.csv"
    run E import metrics "$T/m.csv" --round 2024
    fails "metrics: \"$v\" is refused"
    err_has "metrics: \"$v\" is named with its cell" "m.csv，第 3 行，B 列：\"$v\""
    same "metrics: \"$v\": nothing stored" "$(q 'SELECT count(*) FROM observation')" 0
done
edit 'NR == 3 { $3 = "NaN" } NR == 4 { $4 = "-inf" }' survey_nan
run E import survey "$T/survey_nan.csv" --survey s --items Q1-Q6
same "survey import: NaN and -inf refused" "$RC" 1
err_has "survey import: the NaN cell is named" "第 3 行，C 列：\"NaN\""
err_has "survey import: the -inf cell is named" "第 4 行，D 列：\"-inf\""
same "survey import: nothing stored" "$(q 'SELECT count(*) FROM survey_response')" 0

# XLSX number cells <v>NaN</v>, <v>1e999</v>, <v>-Infinity</v> (built here)
xlsx() { # OUT VALUE: a one-sheet workbook: unit,CBII1 / R1,VALUE
    python3 - "$1" "$2" <<'PY'
import sys, zipfile
out, v = sys.argv[1], sys.argv[2]
rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
book = ('<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
brels = ('<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
         '</Relationships>')
sheet = ('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c>'
         '<c r="B1" t="inlineStr"><is><t>CBII1</t></is></c></row><row r="2"><c r="A2" '
         't="inlineStr"><is><t>R1</t></is></c><c r="B2"><v>' + v + '</v></c></row>'
         '</sheetData></worksheet>')
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in (('_rels/.rels', rels), ('xl/workbook.xml', book),
                       ('xl/_rels/workbook.xml.rels', brels),
                       ('xl/worksheets/sheet1.xml', sheet)):
        z.writestr(name, data)
PY
}
xlsx "$T/ok.xlsx" 42
run E import metrics "$T/ok.xlsx" --round 2023
ok "xlsx: the hand-built workbook imports"
same "xlsx: its value is stored" "$(q 'SELECT value FROM observation WHERE round = 2023')" "42.0"
for v in NaN nan 1e999 -1e999 INF -Infinity; do
    xlsx "$T/bad.xlsx" "$v"
    run E import metrics "$T/bad.xlsx" --round 2022
    fails "xlsx: <v>$v</v> is refused"
    err_has "xlsx: <v>$v</v> is named with its cell" "第 2 行，B 列"
    same "xlsx: <v>$v</v>: nothing stored" "$(q 'SELECT count(*) FROM observation WHERE round = 2022')" 0
done

# ---- scoring: identical values under minmax and zscore ----
mkdir -p "$T/mm"
cp data/models/jiangsu/settings.csv data/models/jiangsu/stages.csv "$T/mm/"
sed -i 's/^name,jiangsu/name,mm/' "$T/mm/settings.csv"
sed 's/^CBII1,CBII,\(.*\),goalpost,0,100,/CBII1,CBII,\1,minmax,,,/;
     s/^GIRI1,GIRI,\(.*\),goalpost,0,100,/GIRI1,GIRI,\1,zscore,,,/' \
    data/models/jiangsu/catalogue.csv >"$T/mm/catalogue.csv"
run "$EGDI" model check "$T/mm"
ok "a model with minmax and zscore rules"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $2 = "50" } { print }' "$M/metrics-2024.csv" >"$T/same1.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $7 = "50" } { print }' "$M/metrics-2024.csv" >"$T/same2.csv"
run E import metrics "$T/same1.csv" --round 2024
ok "equal CBII1 imported"
run E import metrics "$T/same2.csv" --round 2025
ok "equal GIRI1 imported"
run E score --round 2024 --model "$T/mm"
fails "minmax over equal values fails"
err_has "minmax: the indicator is named" "指标 CBII1"
err_has "minmax: says why" "无法进行最小-最大标准化"
no_nan "minmax"
run E score --round 2025 --model "$T/mm"
fails "zscore over equal values fails"
err_has "zscore: the indicator is named" "指标 GIRI1"
no_nan "zscore"
same "no score run is stored" "$(q 'SELECT count(*) FROM score_run')" 0
run E rank --round 2024
fails "rank of the unscored round says so"
err_has "rank: not scored" "年度尚未评分"
run E report --round 2024 -o "$T/rep"
fails "report of the unscored round says so"
run "$EGDI" rank --data "$T/same1.csv" --model "$T/mm" --id unit
fails "rank --data: minmax over equal values fails"
err_has "rank --data: the indicator is named" "指标 CBII1"
# goalpost (fixed min and max) gives the equal values a defined score
run E score --round 2024
ok "jiangsu (goalpost) scores equal values"
no_nan "score"

# ---- a region without departments: scores, explain, rank, report ----
echo "R3,无部门市,region,,1" >"$T/r3.csv"
sed -i '1i code,name,kind,parent,level' "$T/r3.csv"
run E import units "$T/r3.csv"
ok "a region without departments"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } $1 == "R1" { $1 = "R3"; print }' "$M/metrics-2024.csv" >"$T/r3m.csv"
run E import metrics "$T/r3m.csv" --round 2026
ok "its metrics"
run E score --round 2026
ok "scored"
each_ok "explain a region without departments" E explain R3 --round 2026
run E explain R3 --round 2026 --format table
has "explain says it has no department scores" "（无部门得分：仅地区级 "
run E explain R3 --round 2026 --format table --lang en
has "en: explain says it has no department scores" "(no department scores: region "
each_ok "rank with a region without departments" E rank --round 2026 --kind region
run E report --round 2026 -o "$T/rep26" --no-charts
ok "report with a region without departments"
if grep -qiE '>[-+]?(nan|inf)<|[^a-z](nan|inf)[^a-z]' "$T/rep26/report.html"; then
    fail "report.html holds no NaN"
else
    pass "report.html holds no NaN"
fi
mkdir -p "$T/x" && (cd "$T/x" && unzip -q -o "$T/rep26/report.xlsx")
if grep -qiE '<v>[-+]?(nan|inf)' "$T"/x/xl/worksheets/*.xml || grep -qiE '<t[^>]*>[-+]?(nan|inf)</t>' "$T/x/xl/sharedStrings.xml"; then
    fail "report.xlsx holds no NaN"
else
    pass "report.xlsx holds no NaN"
fi
finish
