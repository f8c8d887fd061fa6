#!/bin/sh
# CLI tests of the report's unit x indicator tables as CSV files (issue 20):
# above --csv-cells values the Indicators, Matrix and Sources tables are
# written whole as indicators.csv, matrix.csv and sources.csv beside the
# workbook (UTF-8 with a BOM, one header row, the sheet's columns and values,
# numbers that read back exactly), the sheets and the page say where they
# are, the manifest lists them; below it nothing changes and the files of
# an earlier report are removed.
. tests/cli/lib.sh
D=$DATA/report
DB=$T/r.db
E() { "$EGDI" --db "$DB" "$@"; }
# field N of unit CODE's line in FILE (no quoted commas before field N)
field() { grep "^$2," "$1" | cut -d, -f"$3"; }
# the header row of a CSV file, without its BOM and line end
header() { tail -c +4 "$1" | head -1 | tr -d '\r'; }
# numerically equal (awk reads both as doubles)
eq() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 == b + 0 && a != "") }'; }

run E import units "$D/units.csv"
ok "units import"
run E import metrics "$D/metrics.csv" --round 2024
ok "metrics import"
run E score --round 2024
ok "score"

# --- below the threshold (4 departments, 2 regions, 19 indicators: 114
# values): no CSV file, as before ---
run E report --round 2024 --no-charts -o "$T/small"
ok "a small round's report"
hasnt "a small round's closing line names no CSV file" ".csv"
same "a small round writes no CSV file" "$(ls "$T/small" | grep -c '\.csv$')" 0
if grep -qF '.csv' "$T/small/report.sha256"; then fail "a small round's manifest lists no CSV"; else pass "a small round's manifest lists no CSV"; fi

# --- above it: the three tables as CSV files ---
run E report --round 2024 --no-charts --csv-cells 50 -o "$T/big"
ok "a report above --csv-cells"
has "the closing line names the CSV files" "indicators.csv、matrix.csv、sources.csv"
has "the closing line says why" "超过 50 个值"
for f in indicators.csv matrix.csv sources.csv; do
    if [ -s "$T/big/$f" ]; then pass "$f written"; else fail "$f written"; fi
    same "$f starts with a UTF-8 BOM" "$(head -c 3 "$T/big/$f" | od -An -tx1 | tr -d ' \n')" "efbbbf"
    # a header row, then every department (ranking order) and region
    same "$f has a header and 6 rows" "$(wc -l <"$T/big/$f" | tr -d ' ')" 7
    if grep -qF "  $f" "$T/big/report.sha256"; then pass "the manifest lists $f"; else fail "the manifest lists $f"; fi
done
same "the manifest checks" "$(cd "$T/big" && sha256sum -c --quiet report.sha256 && echo ok)" ok
same "matrix.csv has the Matrix sheet's columns" "$(header "$T/big/matrix.csv")" \
    "排名,代码,名称,所属地区,EGDI,发展阶段,CBII1,CBII2,CBII3,CBII4,GIRI1,GIRI2,GIRI3,GIRI4,GIRI5,GIRI6,GSI11,GSI12,GSI2,GSI3,GSI4,GSI5,GSI6,CBII5,GSI13"
same "indicators.csv has the Indicators sheet's columns" "$(header "$T/big/indicators.csv" | cut -d, -f1-5)" \
    "单位代码,单位名称,所属地区,CBII1,CBII2"
same "sources.csv has the Sources sheet's columns" "$(header "$T/big/sources.csv" | cut -d, -f1-6)" \
    "单位代码,单位名称,所属地区,来源文件,来源行,CBII1"
same "matrix.csv lists the departments in rank order" "$(tail -n +2 "$T/big/matrix.csv" | cut -d, -f1,2 | head -4 | tr '\n' ' ')" \
    "1,D1 2,D2 3,D3 4,D4 "
# the values are the store's, exactly (explain's JSON: 17 digits)
run E explain D2 --round 2024 --format json
egdi=$(sed -n 's/^  "egdi": \(.*\),$/\1/p' "$OUT")
giri4=$(awk '/"code": "GIRI4"/ { f = 1 } f && /"score":/ { gsub(/[",]/, ""); print $2; exit }' "$OUT")
got=$(grep '^2,D2,' "$T/big/matrix.csv" | sed 's/"[^"]*"//g' | cut -d, -f5)
if eq "$got" "$egdi"; then pass "matrix.csv: D2's index is explain's ($egdi)"; else fail "matrix.csv: D2's index $got is explain's $egdi"; fi
same "matrix.csv writes the shortest exact number" "$got" "64.66142857142856"
got=$(grep '^2,D2,' "$T/big/matrix.csv" | sed 's/"[^"]*"//g' | cut -d, -f14)
if eq "$got" "$giri4"; then pass "matrix.csv: D2's GIRI4 score is explain's ($giri4)"; else fail "matrix.csv: D2's GIRI4 score $got is explain's $giri4"; fi
run E explain D1 --round 2024 --format csv
same "indicators.csv: D1's GIRI6 raw value is explain's" \
    "$(sed 's/"[^"]*"//g' "$T/big/indicators.csv" | field /dev/stdin D1 13)" \
    "$(grep '^GIRI6,' "$OUT" | cut -d, -f3)"
same "sources.csv: D1's CBII1 came from metrics.csv!B4 (explain: ...metrics.csv!B4)" \
    "$(sed 's/"[^"]*"//g' "$T/big/sources.csv" | field /dev/stdin D1 6)|$(grep '^CBII1,' "$OUT" | cut -d, -f4 | sed 's|.*/||')" \
    "metrics.csv!B4|metrics.csv!B4"
same "a region without a value of an indicator is an empty field" \
    "$(tail -n +2 "$T/big/indicators.csv" | tr -d '\r' | grep -c ',,$')" 4
# text is data: a name a spreadsheet would run starts with an apostrophe
if grep -q "^D3,'@cmd," "$T/big/indicators.csv" && grep -qF "\"'=HYPERLINK(\"\"http://x\"\")\"" "$T/big/matrix.csv"; then
    pass "formula-like names are written as text"
else
    fail "formula-like names are written as text"
fi
# the workbook keeps the sheets, with a note naming each file
mkdir -p "$T/x" && (cd "$T/x" && unzip -q -o "$T/big/report.xlsx")
for f in indicators.csv matrix.csv sources.csv; do
    if grep -rqF "在与本工作簿同目录的 $f 中" "$T/x/xl"; then pass "the workbook names $f"; else fail "the workbook names $f"; fi
done
if grep -qF 'matrix.csv（得分）' "$T/big/report.html"; then pass "the page names the CSV files"; else fail "the page names the CSV files"; fi
# every unit is on the page here (fewer than the top 1,000): no "only the top"
if grep -qF '仅列出前' "$T/big/report.html"; then fail "the page says 'only the top' of all its units"; else pass "no 'only the top' when every unit is listed"; fi
run E report --round 2024 --no-charts --csv-cells 50 --lang en -o "$T/big-en"
has "in English too" "and the units x indicators tables as CSV files (more than 50 values): indicators.csv, matrix.csv, sources.csv"

# --- the same directory below the threshold: the old tables go ---
run E report --round 2024 --no-charts -o "$T/big"
ok "a smaller report into the same directory"
same "the CSV files of the earlier report are removed" "$(ls "$T/big" | grep -c '\.csv$')" 0
same "the manifest still checks" "$(cd "$T/big" && sha256sum -c --quiet report.sha256 && echo ok)" ok

run E report --round 2024 --csv-cells many -o "$T/bad"
fails "--csv-cells is a number"
finish
