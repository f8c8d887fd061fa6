#!/bin/sh
# Names from input files are data, never code: unit codes and names, survey
# names and item codes, indicator codes and names of a user's model that look
# like SQL, spreadsheet formulas (= + - @ first) or gnuplot commands go
# through import, score, rank, explain, survey, report and come out exactly
# as they went in: the store keeps its tables (statements are prepared, data
# bound), the workbook holds them as text cells (no <f> anywhere, chart
# references only point at cells), gnuplot never runs them, the rejects CSV
# neutralises them for spreadsheets.
. tests/cli/lib.sh
M=$DATA/models
DB=$T/i.db
E() { "$EGDI" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
tables() { q "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)"; }

R1="R1'); DROP TABLE unit;--"
R2='R2" OR 1=1 --'
cat >"$T/units.csv" <<'EOF'
code,name,kind,parent,level
"R1'); DROP TABLE unit;--","=HYPERLINK(""http://x"",""y"")",region,,1
"R2"" OR 1=1 --","@SUM(1+1)*cmd|' /C calc'!A0",region,,1
D1,"-2+3+cmd|' /C calc'!A0",department,"R1'); DROP TABLE unit;--",2
D2,"Robert'); DROP TABLE observation;--",department,"R2"" OR 1=1 --",2
+D3,"""; system(""touch pwned"") #",department,"R1'); DROP TABLE unit;--",2
D4,"`touch pwned2` line
break",department,"R2"" OR 1=1 --",2
EOF
# metrics for those units (values of the report fixture)
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
    NR == 2 { $1 = "\"R1'\''); DROP TABLE unit;--\"" } NR == 3 { $1 = "\"R2\"\" OR 1=1 --\"" }
    NR == 6 { $1 = "+D3" } NR == 7 { $1 = "D4" } NR <= 7 { print }' "$DATA/report/metrics.csv" >"$T/metrics.csv"
[ "$(wc -l <"$T/metrics.csv")" -eq 7 ] || sed -n '4,5p' "$T/metrics.csv" | sed 's/^D1,/+D3,/; s/^D2,/D4,/' >>"$T/metrics.csv"

BEFORE="import_batch missing_value model node_score observation round score_run setting survey survey_column survey_indicator survey_label survey_response survey_score uncertainty_run uncertainty_stage uncertainty_unit unit unit_node_score unit_score"
run E import units "$T/units.csv"
ok "units with SQL, formula and gnuplot names import"
same "the tables are all there" "$(tables)" "$BEFORE"
same "codes stored exactly" "$(q "SELECT code FROM unit ORDER BY id" | tr '\n' '|')" \
    "$R1|$R2|D1|D2|+D3|D4|"
same "a parent given by an SQL-looking code is found" \
    "$(q "SELECT p.code FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.code = 'D2'")" "$R2"
run E import metrics "$T/metrics.csv" --round 2024
ok "metrics for those units"
run E score --round 2024
ok "score"
run E rank --round 2024 --kind region --format json
ok "rank"
jcodes=$(python3 -c 'import json,sys; print("|".join(sorted(r["id"] for r in json.load(open(sys.argv[1]))["units"])))' "$OUT" 2>&1)
same "rank shows the SQL-looking codes as they are" "$jcodes" "$(printf '%s\n%s\n' "$R1" "$R2" | sort | tr '\n' '|' | sed 's/|$//')"
run E rank --round 2024 --kind region --format csv
ok "rank as CSV"
has "a formula-like name is neutralised in CSV" "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
has "an @ name is neutralised in CSV" "'@SUM(1+1)*cmd|' /C calc'!A0"
run E rank --round 2024 --kind region --format json
has "JSON keeps the name exactly" '"=HYPERLINK(\"http://x\",\"y\")"'
run E explain "$R1" --round 2024 --format json
ok "explain of an SQL-looking unit code"
has "explain names it" '"R1'"'"'); DROP TABLE unit;--"'
run E explain "x' OR '1'='1" --round 2024
fails "an SQL-looking unknown code is not found"
same "the tables are still all there" "$(tables)" "$BEFORE"
same "no unit lost" "$(q 'SELECT count(*) FROM unit')" 6

# ---- a survey with an SQL-looking name and formula / quote item codes ----
SN="s'; DELETE FROM survey; --"
awk 'BEGIN { srand(5); print "id,\"=cmd|x\",\"Q1\"\"; DROP TABLE survey;--\",+Q2,-Q3,@Q4,Q5,Q6"
    for (i = 1; i <= 60; i++) { b = int(rand() * 3); printf "%d,%s", i, i % 2 ? "=A1" : "+B1"
        for (j = 1; j <= 6; j++) printf ",%d", 1 + (b + int(rand() * 3)) % 5; print "" } }' >"$T/survey.csv"
ITEMS='"Q1""; DROP TABLE survey;--",+Q2,-Q3,@Q4,Q5,Q6'
run E import survey "$T/survey.csv" --survey "$SN" --round 2024 --scale 1-5
ok "a survey with an SQL-looking name imports"
same "its name is stored exactly" "$(q 'SELECT name FROM survey')" "$SN"
same "its item codes are stored exactly" "$(q 'SELECT group_concat(code, "|") FROM survey_column WHERE is_item = 1')" \
    'Q1"; DROP TABLE survey;--|+Q2|-Q3|@Q4|Q5|Q6'
# a name that would match every survey if it were spliced into SQL
run E import survey "$T/survey.csv" --survey "x' OR '1'='1" --round 2024 --scale 1-5 --replace
ok "a second survey named like an SQL condition imports"
same "it is a survey of its own" \
    "$(q "SELECT group_concat(name || ':' || (SELECT count(*) FROM survey_response r WHERE r.survey_id = s.id), '|') FROM survey s")" \
    "$SN:60|x' OR '1'='1:60"
run E survey alpha --survey "$SN" --format json
ok "survey alpha --survey with that name"
has "the quoted item code comes out in JSON" '"Q1\"; DROP TABLE survey;--"'
run E survey alpha --survey "y' OR '1'='1"
fails "an SQL-looking unknown survey is not found"
run E survey efa --survey "$SN" --extract pca --factors 2 --scores "$T/scores.csv"
ok "efa --scores of that survey"
same "the scores CSV has its header and 60 rows" "$(head -1 "$T/scores.csv")|$(($(wc -l <"$T/scores.csv") - 1))" "row,C1,C2|60"
same "the tables are still all there after the survey" "$(tables)" "$BEFORE"

# ---- the report: text cells only, gnuplot never runs a name ----
cd "$T" || exit 1
run E report --round 2024 --survey "$SN" -o "$T/rep"
cd - >/dev/null || exit 1
ok "report with every hostile name"
if [ -e "$T/pwned" ] || [ -e "$T/pwned2" ] || [ -e "$T/rep/pwned" ] || [ -e pwned ] || [ -e pwned2 ]; then
    fail "no name ran as a command"
else
    pass "no name ran as a command"
fi
mkdir -p "$T/x" && (cd "$T/x" && unzip -q -o "$T/rep/report.xlsx")
if grep -l "<f>\|<f " "$T"/x/xl/worksheets/*.xml >/dev/null 2>&1; then
    fail "no formula in any sheet"
else
    pass "no formula in any sheet"
fi
# every chart reference is a cell range of one of our sheets
bad=$(cat "$T"/x/xl/charts/*.xml 2>/dev/null | grep -o '<c:f>[^<]*</c:f>' |
    grep -vE "^<c:f>(Ranking|Regions|Stages|Indicators|Survey|Method|'[A-Za-z ]+')!\\\$[A-Z]+\\\$[0-9]+(:\\\$[A-Z]+\\\$[0-9]+)?</c:f>$")
same "chart references point at cells only" "$bad" ""
# text_cell NAME XML STRING: STRING is one of the workbook's shared strings
text_cell() {
    if python3 - "$2" "$3" <<'PY'; then pass "$1"; else fail "$1"; fi
import sys, xml.etree.ElementTree as ET
ns = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
root = ET.parse(sys.argv[1]).getroot()
texts = {''.join(t.text or '' for t in si.iter(ns + 't')) for si in root.iter(ns + 'si')}
sys.exit(0 if sys.argv[2] in texts else 1)
PY
}
for s in '=HYPERLINK("http://x","y")' "@SUM(1+1)*cmd|' /C calc'!A0" \
    "-2+3+cmd|' /C calc'!A0" "+D3" "$R1" "$R2" "+Q2" "-Q3" "@Q4" "$SN"; do
    text_cell "a text cell: $s" "$T/x/xl/sharedStrings.xml" "$s"
done
if grep -qF 'system(&quot;touch pwned&quot;)' "$T/rep/report.html" && grep -qF 'DROP TABLE unit;--' "$T/rep/report.html"; then
    pass "the names appear, escaped, in the page"
else
    fail "the names appear, escaped, in the page"
fi

# ---- a user's model with hostile indicator codes and names ----
mkdir -p "$T/evil"
cp data/models/jiangsu/stages.csv "$T/evil/"
sed 's/^name,jiangsu/name,=evil()/' data/models/jiangsu/settings.csv >"$T/evil/settings.csv"
sed 's~^GSI6,GSI,现行标准规范数量,standards and rules in force,~GSI6,GSI,"=HYPERLINK(""http://y"")","""; system(""touch pwned3"") #",~' \
    data/models/jiangsu/catalogue.csv >"$T/evil/catalogue.csv"
run "$EGDI" model check "$T/evil"
ok "a model with formula and gnuplot names is valid"
run E score --round 2024 --model "$T/evil"
ok "scored with it"
cd "$T" || exit 1
run E report --round 2024 --model "=evil()" --lang en -o "$T/rep2"
cd - >/dev/null || exit 1
ok "report with that model"
if [ -e "$T/pwned3" ]; then fail "no indicator name ran as a command"; else pass "no indicator name ran as a command"; fi
mkdir -p "$T/x2" && (cd "$T/x2" && unzip -q -o "$T/rep2/report.xlsx")
if grep -l "<f>\|<f " "$T"/x2/xl/worksheets/*.xml >/dev/null 2>&1; then
    fail "no formula in any sheet (model names)"
else
    pass "no formula in any sheet (model names)"
fi
text_cell "the model name is a text cell" "$T/x2/xl/sharedStrings.xml" "=evil()"
text_cell "an indicator name is a text cell" "$T/x2/xl/sharedStrings.xml" '"; system("touch pwned3") #'


# ---- the rejects CSV: values that look like formulas are neutralised ----
printf 'unit,CBII1,CBII2\nD1,=1+2,"@SUM(A1:A2)"\nD2,-5,"+cmd|x,y"\nD1,12,-abc\n' >"$T/bad.csv"
run E import metrics "$T/bad.csv" --round 2025 --rejects "$T/rej.csv"
same "the bad file is refused" "$RC" 1
same "formula-looking values get an apostrophe, numbers do not" \
    "$(cut -d, -f5- "$T/rej.csv" | sed 1d | cut -c1-14 | tr '\n' '|')" \
    "'=1+2,not a nu|'@SUM(A1:A2),n|-5,\"outside th|\"'+cmd|x,y\",no|'-abc,not a nu|,this unit app|"
finish
