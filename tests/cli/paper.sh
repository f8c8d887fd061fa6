#!/bin/sh
# `egdi survey report` (issue 17): the researcher's paper tables of the
# demo's stored survey - three-line HTML, one titled sheet per table, one
# CSV (UTF-8 BOM) and JSON file per table with clean headers, p a number
# with a separate significance column, item ids as given with a reversed
# column - and the same numbers as the survey commands print.
. tests/cli/lib.sh
"$EGDI" demo -o "$T/demo" >/dev/null 2>&1
DB=$T/demo/egdi.db
PD=$T/paper
run "$EGDI" --db "$DB" survey report --survey 公务员问卷 -o "$PD"
ok "survey report runs"
has "it says what it wrote" "12 张表（公务员问卷）已写入 $PD/：tables.html、tables.xlsx、csv/、json/"
same "12 three-line tables in the page" "$(grep -c '<table class="three-line"' "$PD/tables.html")" 12
if grep -q 'border-top:1.5pt solid #000;border-bottom:1.5pt solid #000' "$PD/tables.html" &&
    ! grep -q 'border-left\|border-right' "$PD/tables.html"; then
    pass "heavy rules above and below, no vertical rules"
else
    fail "heavy rules above and below, no vertical rules"
fi
if grep -q '<p class="caption" id="t02" [^>]*>表 2　项目分析（决断值）</p>' "$PD/tables.html"; then
    pass "each table is numbered and titled above it"
else
    fail "each table is numbered and titled above it"
fi
same "12 CSV files" "$(ls "$PD/csv" | wc -l | tr -d ' ')" 12
same "12 JSON files" "$(ls "$PD/json" | wc -l | tr -d ' ')" 12
same "a CSV starts with the UTF-8 BOM" "$(head -c 3 "$PD/csv/t02.csv" | od -An -tx1 | tr -d ' \n')" "efbbbf"
same "the item analysis has clean headers: p, then significance" \
    "$(head -1 "$PD/csv/t02.csv" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" \
    "题项,反向计分,决断值 CR,p,显著性,校正项总相关,删除后 α,结论"
# Q5 is reverse-keyed in the demo: its id as given, "是" in its own column
if grep -q '^Q5,是,12\.95' "$PD/csv/t02.csv"; then
    pass "item ids unaltered, reversed in its own column"
else
    fail "item ids unaltered, reversed in its own column"
fi
if grep -q '^Q1,否,14\.33[0-9]*,[0-9.]*e-[0-9]*,\*\*\*,' "$PD/csv/t02.csv"; then
    pass "p is a number, its stars in the next column"
else
    fail "p is a number, its stars in the next column"
fi
# the same critical ratio as `egdi survey items` prints (one home)
run "$EGDI" --db "$DB" survey items --survey 公务员问卷 --format csv
same "CR of Q1 as survey items prints it" \
    "$(grep '^Q1,' "$OUT" | head -1 | cut -d, -f8)" \
    "$(grep '^Q1,' "$PD/csv/t02.csv" | cut -d, -f3 | xargs printf '%.3f')"
# whole numbers are integers: items and N in the reliability table
same "reliability: 18 items, N = 466 as integers" \
    "$(sed -n 2p "$PD/csv/t03.csv" | cut -d, -f1-3)" "总量表,18,466"
if grep -q '<td [^>]*>18</td><td [^>]*>466</td>' "$PD/tables.html" && ! grep -q '466\.000' "$PD/tables.html"; then
    pass "the page prints whole numbers without decimals"
else
    fail "the page prints whole numbers without decimals"
fi
# JSON: numbers as numbers, p with its significance
if command -v jq >/dev/null 2>&1; then
    same "JSON row of Q1: id, reversed, CR number, p number, stars" \
        "$(jq -c '.rows[0][0:2] + [(.rows[0][2]|type), (.rows[0][3]|type), .rows[0][4]]' "$PD/json/t02.json")" \
        '["Q1","否","number","number","***"]'
else
    echo "skip: jq not found (JSON checked by grep only)"
    if grep -q '"columns": \["题项", "反向计分", "决断值 CR", "p", "显著性"' "$PD/json/t02.json"; then
        pass "JSON columns"
    else
        fail "JSON columns"
    fi
fi
# KMO and Bartlett: one row, p a number followed by its significance
# column; the same chi-square as `egdi survey kmo` (one home)
same "KMO table: columns with p and its significance" \
    "$(head -1 "$PD/csv/t04.csv" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" "KMO,Bartlett 近似卡方,df,p,显著性,有效样本（列删）"
run "$EGDI" --db "$DB" survey kmo --survey 公务员问卷 --format json
KMO_CHI2=$(grep -A1 '"bartlett"' "$OUT" | grep -o '"chi2": [0-9.]*' | cut -d' ' -f2)
same "KMO table: chi-square as survey kmo, p a number (0 when it underflows, as survey kmo), ***" \
    "$(sed -n 2p "$PD/csv/t04.csv" | tr -d '\r' | cut -d, -f2-6 | awk -F, '{printf "%.6f,%s,%s,%s,%s", $1, $2, $3, $4, $5}')" \
    "$(printf '%.6f' "$KMO_CHI2"),153,0,***,466"
# CFA fit: RMSEA's 90 % CI as two number columns on its row, as survey cfa
run "$EGDI" --db "$DB" survey cfa --survey 公务员问卷 --format json
CI_LO=$(grep -o '"rmsea_ci_lower": [0-9.e-]*' "$OUT" | cut -d' ' -f2)
CI_HI=$(grep -o '"rmsea_ci_upper": [0-9.e-]*' "$OUT" | cut -d' ' -f2)
same "fit table: RMSEA row with its 90% CI lower and upper as numbers (survey cfa's)" \
    "$(grep '^近似误差均方根 RMSEA,' "$PD/csv/t07.csv" | cut -d, -f3,4 | awk -F, '{printf "%.9f,%.9f", $1, $2}')" \
    "$(printf '%.9f,%.9f' "$CI_LO" "$CI_HI")"
if grep -q '\[' "$PD/csv/t07.csv" "$PD/csv/t08.csv"; then
    fail "no interval written as text \"[lo, hi]\" in the CSV"
else
    pass "no interval written as text \"[lo, hi]\" in the CSV"
fi
same "alpha's 95% CI as two columns" \
    "$(head -1 "$PD/csv/t08.csv" | sed 's/^\xef\xbb\xbf//' | cut -d, -f3-5)" "Cronbach α,α 95% 置信区间下限,α 95% 置信区间上限"
# the correlation matrix: r a number, its stars in a column of their own;
# the page keeps "0.366***" as a thesis prints it
same "correlation matrix columns: each r column followed by its significance" \
    "$(head -1 "$PD/csv/t12.csv" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" "量表,均值,标准差,1,1 显著性,2,2 显著性,3,3 显著性,4"
if grep -q '^2\. 互动,[0-9.]*,[0-9.]*,0\.36[0-9]*,\*\*\*,1,' "$PD/csv/t12.csv"; then
    pass "r(互动, 网站信息质量) a number, *** beside it, the diagonal 1"
else
    fail "r(互动, 网站信息质量) a number, *** beside it, the diagonal 1"
fi
if grep -q '>0\.366\*\*\*</td>' "$PD/tables.html"; then
    pass "the page shows 0.366*** in the cell"
else
    fail "the page shows 0.366*** in the cell"
fi
if command -v jq >/dev/null 2>&1; then
    same "JSON: r a number, stars a string, the blank upper triangle null" \
        "$(jq -c '[(.rows[1][3]|type), .rows[1][4], .rows[0][5]]' "$PD/json/t12.json")" '["number","***",null]'
fi
# the workbook: one sheet per table, titled
if unzip -p "$PD/tables.xlsx" xl/workbook.xml | grep -q 'name="表1".*name="表12"'; then
    pass "the workbook has one sheet per table"
else
    fail "the workbook has one sheet per table"
fi
if unzip -p "$PD/tables.xlsx" xl/sharedStrings.xml | grep -q '表 2　项目分析（决断值）'; then
    pass "each sheet carries its table's number and title"
else
    fail "each sheet carries its table's number and title"
fi
# the sample profile first with --profile, as `egdi survey profile` counts
run "$EGDI" --db "$DB" survey report --survey 公务员问卷 --profile 性别,年龄段 -o "$T/paper-p"
ok "survey report --profile"
has "13 tables with the profile" "13 张表（公务员问卷）已写入"
run "$EGDI" --db "$DB" survey profile --survey 公务员问卷 --columns 性别 --format csv
same "a one-table survey CSV stays untitled: the header row first" "$(head -1 "$OUT" | cut -d, -f1-3)" "变量,类别,频数"
same "the profile table counts as survey profile does" \
    "$(sed -n 2p "$T/paper-p/csv/t01.csv" | cut -d, -f1-4 | tr -d '\r')" \
    "$(grep '^性别,女,' "$OUT" | cut -d, -f1-4 | tr -d '\r')"
if grep -rq '(null)' "$PD" "$T/paper-p"; then fail "no (null) in any table"; else pass "no (null) in any table"; fi
# English
run "$EGDI" --db "$DB" survey report --survey 公务员问卷 --lang en -o "$T/paper-en"
ok "survey report in English"
same "English headers" "$(head -1 "$T/paper-en/csv/t02.csv" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" \
    "item,reversed,CR,p,significance,corrected item-total r,alpha if deleted,verdict"
# missing -o is a usage error
run "$EGDI" --db "$DB" survey report --survey 公务员问卷
fails "no -o DIR is refused"
# egdi --bom: any --format csv output starts with one UTF-8 BOM
run "$EGDI" --bom --db "$DB" rank --round 2024 --format csv
same "--bom: rank's CSV starts with the BOM" "$(head -c 3 "$OUT" | od -An -tx1 | tr -d ' \n')" "efbbbf"
run "$EGDI" --bom --db "$DB" survey items --survey 公务员问卷 --format csv
same "--bom: one BOM for a command printing several tables" "$(grep -c "$(printf '\357\273\277')" "$OUT")" 1
run "$EGDI" --db "$DB" rank --round 2024 --format csv
same "without --bom the CSV is as before" "$(head -c 4 "$OUT")" "rank"
# --- group tests and regressions (issue 17): without the options, the
# page and the command say which tables were not made and how to make them
run "$EGDI" --db "$DB" survey report --survey 公务员问卷 -o "$T/paper-none"
ok "survey report without --group / --regress"
has "it names the group tests not produced and the option" "未生成： 差异分析（独立样本 t 检验、单因素方差分析）：请用 --group 列名"
has "it names the regression not produced and the option" '未生成： 回归分析：请用 --regress "Y ~ X1 + X2"'
if grep -q '<h2 id="omitted"[^>]*>未生成的表</h2>' "$T/paper-none/tables.html" &&
    grep -qF '<li>回归分析：请用 --regress &quot;Y ~ X1 + X2&quot;' "$T/paper-none/tables.html"; then
    pass "the page lists the tables not produced"
else
    fail "the page lists the tables not produced"
fi
PG=$T/paper-g
run "$EGDI" --db "$DB" survey report --survey 公务员问卷 --group 性别 --group 年龄段 \
    --regress "满意度 ~ 网站信息质量 + 互动 + 支撑体系 + 性别" -o "$PG"
ok "survey report --group --regress"
has "16 tables: + t-test, ANOVA, model summary, coefficients" "16 张表（公务员问卷）已写入"
hasnt "nothing left unproduced" "未生成"
same "t-test table: clean headers, p then its significance" \
    "$(head -1 "$PG/csv/t13.csv" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" \
    "维度,N,女 均值,女 标准差,男 均值,男 标准差,Levene 检验 p,t,df,p,显著性,Cohen's d"
same "ANOVA table: a mean and SD per group, F, df, p, significance, eta squared" \
    "$(head -1 "$PG/csv/t14.csv" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" \
    "维度,N,30-39岁 均值,30-39岁 标准差,30岁以下 均值,30岁以下 标准差,40-49岁 均值,40-49岁 标准差,50岁及以上 均值,50岁及以上 标准差,Levene 检验 p,F,df1,df2,p,显著性,η²"
if grep -q '^466,[0-9.]*,[0-9.]*,[0-9.]*,[0-9.]*,26\.94[0-9]*,4,461,[0-9.]*e-20,\*\*\*,' "$PG/csv/t15.csv"; then
    pass "regression summary: p a number (e-20), *** in its own column"
else
    fail "regression summary: p a number (e-20), *** in its own column"
fi
if grep -q '<p class="caption" id="t16" [^>]*>表 16　回归分析结果（因变量：满意度）</p>' "$PG/tables.html"; then
    pass "the coefficients are table 16, titled with the dependent variable"
else
    fail "the coefficients are table 16, titled with the dependent variable"
fi
# the same numbers as survey ttest / anova / regress print (those are
# checked against R in survey.sh and survey_relations.sh), to 12 digits
if command -v jq >/dev/null 2>&1; then
    g12() { tr ',' '\n' | awk '{ if ($0 ~ /^"/) print; else printf "%.12g\n", $0 }' | paste -sd, -; }
    # 互动 by 性别: Levene p < .05, so Welch's row (as survey ttest selects)
    run "$EGDI" --db "$DB" survey ttest --survey 公务员问卷 --y 互动 --group 性别 --format json
    same "survey ttest selects Welch's row for 互动" "$(jq -r .selected "$OUT")" welch
    same "t-test of 互动 by 性别: N, means, Levene p, Welch's t, df, p and d as survey ttest" \
        "$(jq -r '[.rows[1][1,2,4,6,7,8,9,11]] | @csv' "$PG/json/t13.json" | g12)" \
        "$(jq -r '[.n, .groups[0].mean, .groups[1].mean, .levene.p, .welch.t, .welch.df, .welch.p, .cohen_d] | @csv' "$OUT" | g12)"
    # 网站信息质量: Levene p >= .05, Student's row
    run "$EGDI" --db "$DB" survey ttest --survey 公务员问卷 --y 网站信息质量 --group 性别 --format json
    same "t-test of 网站信息质量 by 性别: Student's t, df, p as survey ttest" \
        "$(jq -r '[.rows[0][7,8,9]] | @csv' "$PG/json/t13.json" | g12)" \
        "$(jq -r '[.student.t, .student.df, .student.p] | @csv' "$OUT" | g12)"
    run "$EGDI" --db "$DB" survey anova --survey 公务员问卷 --y 满意度 --group 年龄段 --format json
    same "ANOVA of 满意度 by 年龄段: N, a group's mean and SD, F, df, p, eta squared as survey anova" \
        "$(jq -r '[.rows[3][1,2,3,11,12,13,14,16]] | @csv' "$PG/json/t14.json" | g12)" \
        "$(jq -r '[.n, .groups[0].mean, .groups[0].sd, .F, .df1, .df2, .p, .eta2] | @csv' "$OUT" | g12)"
    run "$EGDI" --db "$DB" survey regress --survey 公务员问卷 --y 满意度 --x 网站信息质量,互动,支撑体系,性别 --format json
    same "regression summary: N, R2, adjusted R2, F, df, p, Durbin-Watson as survey regress" \
        "$(jq -r '[.rows[0][0,2,3,5,6,7,8,10]] | @csv' "$PG/json/t15.json" | g12)" \
        "$(jq -r '[.n] + [.models[0] | .r2, .adj_r2, .F, .df_reg, .df_res, .p, .dw] | @csv' "$OUT" | g12)"
    same "regression coefficients: 性别's dummy B, SE, Beta, t, p, CI, VIF as survey regress" \
        "$(jq -r '[.rows[4][0,1,2,3,4,5,7,8,10]] | @csv' "$PG/json/t16.json" | g12)" \
        "$(jq -r '.models[0].coefficients[4] | ["性别=男 (参照: 女)", .b, .se, .beta, .t, .p, .ci[0], .ci[1], .vif] | @csv' "$OUT" | g12)"
else
    echo "skip: jq not found, the group tests' and regression's numbers were not compared"
fi
# bad input: one clear line, non-zero exit
run "$EGDI" --db "$DB" survey report --survey 公务员问卷 --group 不存在 -o "$T/paper-bad"
fails "an unknown --group column is refused"
err_has "the error names the column" "不存在"
run "$EGDI" --db "$DB" survey report --survey 公务员问卷 --regress "满意度 互动" -o "$T/paper-bad"
fails "a --regress without ~ is refused"
err_has "the error shows the form wanted" "--regress 须为模型 \"Y ~ X1 + X2\"，不是 '满意度 互动'"
# LibreOffice Writer opens the page with its tables intact (Writer's HTML
# import, saved as Word 2007 .docx): as many <w:tbl> as tables, a known cell,
# the three rules (1.5 pt = w:sz 12 above the header and below the last row,
# 0.75 pt = w:sz 6 under the header), no vertical rules, and no paragraph
# spacing inherited from the page's margin inside the cells
if command -v soffice >/dev/null 2>&1; then
    (cd "$T" && HOME="$T" timeout 180 soffice --headless --infilter="HTML (StarWriter)" \
        --convert-to 'docx:MS Word 2007 XML' --outdir "$T/docx" "$PD/tables.html" >/dev/null 2>&1)
    unzip -p "$T/docx/tables.docx" word/document.xml > "$T/docx/document.xml" 2>/dev/null
    DOCX=$T/docx/document.xml
    same "Writer converts the page with its 12 tables" \
        "$(grep -o '<w:tbl>' "$DOCX" | wc -l | tr -d ' ')" 12
    # the critical ratio of Q5 (table 2) as the CSV holds it, rounded as the
    # page prints it; table 2's title (Writer splits "表 2" into runs) right
    # above its table
    CR5=$(grep '^Q5,' "$PD/csv/t02.csv" | cut -d, -f3 | xargs printf '%.3f')
    if grep -q "<w:t>Q5</w:t></w:r></w:p></w:tc>.*<w:t>$CR5</w:t>" "$DOCX" && grep -q '<w:t>　项目分析（决断值）</w:t></w:r></w:p><w:tbl>' "$DOCX"; then
        pass "the .docx holds table 2's title and Q5's CR $CR5 in a cell"
    else
        fail "the .docx holds table 2's title and Q5's CR $CR5 in a cell"
    fi
    # first table: its header cells carry the top (12) and header (6) rules,
    # its last row the bottom rule (12)
    TBL1=$(sed 's#</w:tbl>#\n#g' "$DOCX" | grep '<w:tbl>' | head -1)
    HEAD1=$(printf '%s' "$TBL1" | sed 's#</w:tr>#\n#g' | head -1)
    LAST1=$(printf '%s' "$TBL1" | sed 's#</w:tr>#\n#g' | grep '<w:tc>' | tail -1)
    if printf '%s' "$HEAD1" | grep -q '<w:tcBorders><w:top w:val="single" w:sz="12"[^>]*/><w:bottom w:val="single" w:sz="6"' &&
        printf '%s' "$LAST1" | grep -q '<w:bottom w:val="single" w:sz="12"'; then
        pass "three-line rules survive in Word: 1.5 pt top and bottom, 0.75 pt under the header"
    else
        fail "three-line rules survive in Word: 1.5 pt top and bottom, 0.75 pt under the header"
    fi
    if grep -q '<w:left w:val="single"\|<w:right w:val="single"\|<w:insideV w:val="single"' "$DOCX"; then
        fail "no vertical rules in the .docx"
    else
        pass "no vertical rules in the .docx"
    fi
    if sed 's#</w:tc>#\n#g' "$DOCX" | grep '<w:tc>' | sed 's#.*<w:tc>##' | grep -q '<w:spacing w:before="[1-9]'; then
        fail "cells carry no paragraph spacing (rows stay one line high)"
    else
        pass "cells carry no paragraph spacing (rows stay one line high)"
    fi
else
    echo "skip: soffice not found, the Word/Writer check did not run (tools/deps.sh installs libreoffice-writer-nogui)"
fi
finish
