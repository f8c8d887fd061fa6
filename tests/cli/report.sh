#!/bin/sh
# CLI tests of egdi report and egdi demo: files written, charts valid, names
# from input files never run as commands or formulas, failures leave nothing.
. tests/cli/lib.sh
D=$DATA/report
DB=$T/r.db
E() { "$EGDI" --db "$DB" "$@"; }
png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }

# --- the demo: the whole job on the built-in sample ---
run "$EGDI" demo -o "$T/demo"
ok "demo runs"
has "demo prints the ranking" "2024 年部门排名前 10"
has "demo prints the stage counts" "发展阶段分布"
has "demo prints the survey statistics" "KMO"
# each dimension's alpha with the rows it uses (those answering that
# dimension: 488 of 500 for 网站信息质量, as the report's reliability table)
has "demo prints each alpha's n" "α 网站信息质量      0.875（5 题，n = 488）"
has "demo says where the report is" "$T/demo/report/report.html"
for f in report.xlsx report.html; do
    if [ -s "$T/demo/report/$f" ]; then pass "demo wrote $f"; else fail "demo wrote $f"; fi
done
for c in ranking regions stages radar trend scree loadings; do
    if png "$T/demo/report/charts/$c.png"; then pass "chart $c.png is a PNG"; else fail "chart $c.png is a PNG"; fi
    if grep -q "<svg" "$T/demo/report/charts/$c.svg"; then pass "chart $c.svg is SVG"; else fail "chart $c.svg is SVG"; fi
done
# issue 17: both rounds' inputs, named relative to the store (no path of
# this machine), and the reason of every unit not ranked
H=$T/demo/report/report.html
if grep -qF '<tr><td class="n">2023</td><td>data/metrics_2023.xlsx</td>' "$H" &&
    grep -qF '<tr><td class="n">2024</td><td>data/metrics_2024.xlsx</td>' "$H" &&
    grep -qF '<tr><td class="n"></td><td>data/units.xlsx</td>' "$H"; then
    pass "the page lists both rounds' input files, relative to the store"
else
    fail "the page lists both rounds' input files, relative to the store"
fi
if grep -qF "$T" "$H"; then fail "no path of this machine in the page"; else pass "no path of this machine in the page"; fi
same "both units not ranked have their reason in the overview" 2 \
    "$(sed -n '/id="unrankable-table"/,/<\/table>/p' "$H" | grep -c '<td>数据覆盖率 7[69]% 低于模型要求的 80%；缺少：')"
run "$EGDI" survey describe --data "$T/demo/report/report.xlsx" --sheet Matrix --items CBII1 --format json
ok "the workbook's unit x indicator sheet reads back"
# one row per department (520) and per region with values (13); 5
# departments have no CBII1 value
has "the Matrix sheet holds a row per department and region" '"n_read": 533,'
has "the Matrix sheet holds the CBII1 scores" '"n": 528,'
# 520 departments: every table of the page lists every unit (the top-N
# note is for more than 1,000)
if grep -q 'top-note' "$H"; then fail "the demo's page lists every unit"; else pass "the demo's page lists every unit"; fi
# the raw values, wide (issue 20): the same rows, one column per indicator
run "$EGDI" survey describe --data "$T/demo/report/report.xlsx" --sheet Indicators --items CBII1,GSI6 --format json
ok "the wide Indicators sheet reads back"
has "the Indicators sheet holds a row per department and region" '"n_read": 533,'
has "the Indicators sheet holds the CBII1 raw values" '"n": 528,'
# scorecards: a page per department and per region, an index, a workbook
# with a sheet each
run "$EGDI" --db "$T/demo/egdi.db" report --round 2024 --compare 2023 --scorecards -o "$T/sc"
ok "report --scorecards"
has "it says where the scorecards are" \
    "520 个部门和 13 个地区的评分卡已写入 $T/sc/scorecards/"
same "533 pages, index.html and scorecards.xlsx" "$(ls "$T/sc/scorecards" | wc -l | tr -d ' ')" 535
if grep -qF '<a href="CZ01.html">常州市发展和改革委员会</a>' "$T/sc/scorecards/index.html" &&
    grep -qF '<a href="SZ.html">苏州市</a>' "$T/sc/scorecards/index.html"; then
    pass "the index links each department's and each region's page"
else
    fail "the index links each department's and each region's page"
fi
run "$EGDI" survey describe --data "$T/sc/scorecards/scorecards.xlsx" --sheet Index --items EGDI --format json
has "the scorecards workbook lists the 520 departments" '"n_read": 520,'
run "$EGDI" survey describe --data "$T/sc/scorecards/scorecards.xlsx" --sheet Regions --items EGDI --format json
has "the scorecards workbook lists the 13 regions" '"n_read": 13,'
# 苏州市's page: rank 1 of the 13 regions, its 40 departments by stage, and
# each indicator's 2023 score and change as `explain SZ --compare 2023`
# gives them (CBII1 67.60 -> 97.20; GIRI6 76.50 -> 66.87), its own
# effective weight 0.0180 for GIRI6 (the region part of the model)
SZ=$T/sc/scorecards/SZ.html
if grep -qF '<div>地区排名<b>1 / 13</b>' "$SZ"; then pass "a region's page ranks it among the regions"; else fail "a region's page ranks it among the regions"; fi
if grep -qF '<tr><td class="n">40</td><td class="n">0</td><td class="n">0</td><td class="n">4</td><td class="n">26</td><td class="n">10</td><td class="n">0</td></tr>' "$SZ"; then
    pass "a region's page counts its departments by stage"
else
    fail "a region's page counts its departments by stage"
fi
if grep -qF '<tr><td>CBII1</td><td>核心业务信息化覆盖率</td><td class="n">97.2</td><td class="n">67.6</td><td class="n up">+29.6</td>' "$SZ" &&
    grep -qF '<tr><td>GIRI6</td><td>用户满意度（问卷均值）</td><td class="n">66.9</td><td class="n">76.5</td><td class="n down">&minus;9.6</td>' "$SZ"; then
    pass "each indicator shows its 2023 score and the change"
else
    fail "each indicator shows its 2023 score and the change"
fi
if grep -qF '<tr><td>GIRI6</td><td>用户满意度（问卷均值）</td><td class="n">66.9</td><td class="n">0.0180</td>' "$SZ"; then
    pass "a region's improvements use its own effective weights"
else
    fail "a region's improvements use its own effective weights"
fi
CZ=$T/sc/scorecards/CZ01.html
# (CZ01's CBII1: 64.00 -> 66.20 in `explain CZ01 --compare 2023`)
if grep -qF '<tr><td>CBII1</td><td>核心业务信息化覆盖率</td><td class="n">66.2</td><td class="n">64.0</td><td class="n up">+2.2</td>' "$CZ"; then
    pass "a department's page shows each indicator's 2023 score too"
else
    fail "a department's page shows each indicator's 2023 score too"
fi
run "$EGDI" survey describe --data "$T/demo/report/report.xlsx" --sheet Ranking --items EGDI --format json
ok "the report workbook reads back with egdi's own XLSX reader"
# 520 departments, two of them not rankable (no EGDI in the sheet): GIRI6
# comes from the questionnaire for 9 of them, so the others miss its weight
has "the Ranking sheet holds 520 departments: 518 with an EGDI" '"n": 518'
has "the Ranking sheet holds 520 departments: 2 not rankable" '"missing": 2'
run "$EGDI" --db "$T/demo/egdi.db" rank --round 2024 --format csv
ok "the demo store ranks from the database alone"
same "demo is deterministic: the same top unit twice" \
    "$(sed -n 2p "$OUT" | cut -d, -f2)" \
    "$("$EGDI" demo -o "$T/demo2" >/dev/null && "$EGDI" --db "$T/demo2/egdi.db" rank --round 2024 --format csv | sed -n 2p | cut -d, -f2)"
run "$EGDI" demo -o "$T/demo-en" --lang en
ok "demo in English"
has "English ranking title" "Top 10 departments, 2024"

# --- a report from a store with hostile names ---
run E import units "$D/units.csv"
ok "units with hostile names import"
run E import metrics "$D/metrics.csv" --round 2024
ok "metrics import"
run E score --round 2024
ok "score"
cd "$T" || exit 1
run E report --round 2024 -o "$T/rep"
ok "report written"
cd - >/dev/null || exit 1
if [ -e "$T/pwned" ] || [ -e "$T/rep/pwned" ] || [ -e pwned ]; then
    fail "a unit name ran as a gnuplot command"
else
    pass "a unit name never runs as a command"
fi
if grep -qF 'system(&quot;touch pwned&quot;)' "$T/rep/report.html"; then
    pass "the hostile name appears, escaped, in the page"
else
    fail "the hostile name appears, escaped, in the page"
fi
mkdir -p "$T/x" && (cd "$T/x" && unzip -q -o "$T/rep/report.xlsx")
if grep -q "<f>" "$T"/x/xl/worksheets/sheet*.xml; then
    fail "no formula in the workbook"
else
    pass "no formula in the workbook"
fi
if grep -qF "=HYPERLINK" "$T/x/xl/sharedStrings.xml"; then
    pass "a formula-like name is stored as text"
else
    fail "a formula-like name is stored as text"
fi

# --- --no-charts: none drawn, as asked, without a line for each ---
run "$EGDI" --db "$DB" report --round 2024 -o "$T/nocharts" --no-charts
ok "report --no-charts"
has "the closing line says none" "0 个图表"
if grep -qF "未绘制" "$ERR"; then fail "a line a chart: $(head -2 "$ERR")"; else pass "no line a chart"; fi

# --- no gnuplot: the workbook and the page still come out ---
run env PATH=/nonexistent "$EGDI" --db "$DB" report --round 2024 -o "$T/nognuplot"
ok "report without gnuplot succeeds"
err_has "the skipped charts are named with the reason" "图表 ranking 未绘制：未找到 gnuplot"
if [ -s "$T/nognuplot/report.xlsx" ] && [ -s "$T/nognuplot/report.html" ] && [ ! -e "$T/nognuplot/charts/ranking.png" ]; then
    pass "workbook and page written, no chart"
else
    fail "workbook and page written, no chart"
fi
if grep -q "<svg" "$T/nognuplot/report.html"; then
    pass "the page draws its own SVG chart without gnuplot"
else
    fail "the page draws its own SVG chart without gnuplot"
fi

# --- failures leave nothing behind ---
run E report --round 2023 -o "$T/rep2"
fails "an unscored round is refused"
run E report --round 2024 -o /dev/null/x
fails "an impossible output directory is refused"
err_has "the error names the directory" "/dev/null/x"
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$T/ro" && cp "$T/rep/report.html" "$T/ro/report.html" && chmod 555 "$T/ro"
    chmod 777 "$T" && chmod 666 "$DB" "$DB-wal" "$DB-shm" 2>/dev/null
    chmod -R a+rX "$T"
    run setpriv --reuid=65534 --regid=65534 --clear-groups "$EGDI" --db "$DB" report --round 2024 -o "$T/ro"
    fails "a read-only directory is refused"
    err_has "the error is about the directory" "$T/ro"
    same "the old report is untouched" "$(cmp -s "$T/rep/report.html" "$T/ro/report.html" && echo same)" "same"
    same "no partial file left" "$(ls -A "$T/ro" | tr '\n' ' ')" "report.html "
fi
finish
