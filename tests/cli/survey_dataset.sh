#!/bin/sh
# One survey dataset (surveys/dataset.c) behind every path: the same file
# gives the same numbers by --data and after `egdi import survey`
# (percent answers, answer labels), frequency tables of reverse-keyed items
# show the answers as given, and the report's alpha per dimension is the
# alpha `egdi survey alpha --survey` prints, with its n.
. tests/cli/lib.sh
DB=$T/s.db
E() { "$EGDI" --db "$DB" "$@"; }
# jget EXPR: the value of a python expression on j = the JSON in $OUT
jget() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT" "$1"; }
run E init
ok "a fresh store"

# ---- a percent answer: one rule (5% is 5 points) on both paths ----------------
printf 'id,Q1,Q2\n1,1,2\n2,2,3\n3,5%%,4\n4,3,1\n5,2,2\n6,4,5\n' >"$T/pct.csv"
run "$EGDI" survey describe --data "$T/pct.csv" --items Q1-Q2 --format json
ok "describe --data with a 5% answer"
same "--data: Q1 mean (1+2+5+3+2+4)/6" "$(jget 'round(j["items"][0]["mean"], 12)')" "2.833333333333"
run E import survey "$T/pct.csv" --survey pct
ok "import the same file"
run E survey describe --survey pct --format json
same "--survey: Q1 mean as by --data (not 2.008: 5% read as 0.05)" \
    "$(jget 'round(j["items"][0]["mean"], 12)')" "2.833333333333"
run "$EGDI" survey describe --data "$T/pct.csv" --items Q1-Q2 --scale 1-4
fails "--data: 5% is outside the scale 1-4"
err_has "--data names the cell" "pct.csv，第 4 行，B 列"
run E import survey "$T/pct.csv" --survey pct4 --items Q1-Q2 --scale 1-4
same "import: 5% is outside the scale 1-4" "$RC" "1"
err_has "import names the same cell" 'pct.csv，第 4 行，B 列："5%"：超出答案量表'

# ---- answer labels in --data runs (--labels FILE, as the import takes it) ------
printf 'value,label\n1,非常不同意\n2,不同意\n3,一般\n4,同意\n5,非常同意\n' >"$T/labels.csv"
printf 'id,Q1,Q2,Q3\n1,1,2,4\n2,非常同意,3,5\n3,4,同意,3\n4,3,1,2\n5,2,2, 一般 \n6,5,不同意,1\n' >"$T/lab.csv"
run "$EGDI" survey describe --data "$T/lab.csv" --items Q1-Q3 --labels "$T/labels.csv" --format json
ok "describe --data --labels FILE"
cp "$OUT" "$T/data.json"
same "label answers become their codes (Q1: 1,5,4,3,2,5)" "$(jget 'j["items"][0]["mean"]')" "3.3333333333333335"
same "the frequency table labels the codes" \
    "$(jget '[(f["value"], f.get("label"), f["count"]) for f in j["items"][1]["frequencies"]]')" \
    "[(1.0, '非常不同意', 1), (2.0, '不同意', 3), (3.0, '一般', 1), (4.0, '同意', 1)]"
run E import survey "$T/lab.csv" --survey lab --labels "$T/labels.csv"
ok "import with the same labels"
run E survey describe --survey lab --format json
same "--data --labels and the import give the same descriptives" \
    "$(python3 -c "import json; a=json.load(open('$T/data.json')); b=json.load(open('$OUT')); print(a['items']==b['items'])")" "True"
run "$EGDI" survey alpha --data "$T/lab.csv" --items Q1-Q3 --labels "1=非常不同意,2=不同意,3=一般,4=同意,5=非常同意" --format json
ok "labels as a list, in another subcommand (alpha)"
same "alpha reads the same 6 respondents" "$(jget 'j["n"]')" "6"
printf 'id,Q1,Q2\n1,1,2\n2,很同意,3\n3,4,4\n' >"$T/unknown.csv"
run "$EGDI" survey alpha --data "$T/unknown.csv" --items Q1-Q2 --labels "$T/labels.csv"
fails "a text answer that is no label is an error"
err_has "it names file, row and column" "unknown.csv，第 3 行，B 列"
err_has "it quotes the value" '"很同意"'
err_has "it says why" "既不是数字，也不是答案标签之一"

# ---- describe of a reverse-keyed item: answers as given, marked (R) ---------------
Q=$DATA/survey/questionnaire.csv
run E import survey "$Q" --survey q --scale 1-5 --items Q1-Q12 --reverse Q4
ok "import the questionnaire with Q4 reverse-keyed"
ones=$(python3 -c "import csv; print(sum(1 for r in csv.DictReader(open('$Q')) if r['Q4'] == '1'))")
run E survey describe --survey q --items Q4 --labels "1=非常不同意,2=不同意,3=一般,4=同意,5=非常同意" --format json
ok "describe a stored reverse-keyed item"
same "JSON marks it reversed" "$(jget 'j["items"][0]["reversed"]')" "True"
same "answer 1 is counted as given, with its own label" \
    "$(jget '[(f["label"], f["count"], f["scored"]) for f in j["items"][0]["frequencies"] if f["value"] == 1]')" \
    "[('非常不同意', $ones, 5.0)]"
mean_r=$(jget 'repr(j["items"][0]["mean"])')
run "$EGDI" survey describe --data "$Q" --items Q4 --reverse Q4 --scale 1-5 --format json
same "its mean is the reversed one, as --data --reverse gives it" "$(jget 'repr(j["items"][0]["mean"])')" "$mean_r"
run E survey describe --survey q --items Q4 --labels "1=非常不同意,2=不同意,3=一般,4=同意,5=非常同意"
has "the table marks the item (R)" "Q4 (R)"
has "the table says the statistics are of the reversed answers" "反向计分后"
has "the frequency row: answer 1, its label, its count" "$(printf 'Q4 (R)       1  非常不同意    %s' "$ones")"

# ---- the report's alpha per dimension = egdi survey alpha --survey ----------------
# 60 respondents; dimension D1 (A1-A3) complete, D2 (B1-B3) with B2 missing
# in every 7th row: listwise per scale, D1 uses 60 rows and D2 52.
python3 - "$T/dims.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,A1,A2,A3,B1,B2,B3\n")
    for i in range(1, 61):
        t1, t2 = (i * 37) % 60 / 15.0, (i * 23 + 7) % 60 / 15.0  # two traits, 0..4
        def ans(t, k):
            return 1 + min(4, max(0, round(t + ((i * k * 13) % 7 - 3) / 3.0)))
        a = [ans(t1, k) for k in (1, 2, 3)]
        b = [ans(t2, k) for k in (4, 5, 6)]
        if i % 7 == 0:
            b[1] = ""
        f.write(",".join(str(v) for v in [i] + a + b) + "\n")
PY
printf 'scale,item,reversed\nD1,A1,0\nD1,A2,0\nD1,A3,0\nD2,B1,0\nD2,B2,0\nD2,B3,0\n' >"$T/dims_scales.csv"
R=$DATA/report
run E import units "$R/units.csv"
ok "units for a report"
run E import metrics "$R/metrics.csv" --round 2024
ok "metrics for a report"
run E score --round 2024
ok "score the round"
run E import survey "$T/dims.csv" --survey dims --round 2024 --scale 1-5 --scales "$T/dims_scales.csv"
ok "import the survey of the round with its dimensions"
run E survey alpha --survey dims --format json
ok "survey alpha --survey"
cp "$OUT" "$T/alpha.json"
same "alpha: D1 uses every row, D2 the rows answering B1-B3" \
    "$(jget '[(s["scale"], s["n"]) for s in j["scales"]]')" "[('D1', 60), ('D2', 52)]"
run E report --round 2024 -o "$T/rep" --lang en --no-charts
ok "report with the survey"
# the Reliability table of the Survey sheet: [scale, items, N, alpha, std alpha]
python3 - "$T/rep/report.xlsx" >"$T/rel.txt" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
ss = [re.sub(r"<[^>]+>", "", m) for m in
      re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
wb = z.read("xl/workbook.xml").decode()
rid = re.search(r'<sheet name="Survey" sheetId="\d+" r:id="(rId\d+)"', wb).group(1)
rels = z.read("xl/_rels/workbook.xml.rels").decode()
target = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid, rels) or \
         re.search(r'Target="([^"]+)"[^>]*Id="%s"' % rid, rels)
sheet = z.read("xl/" + target.group(1)).decode()
rows = []
for r in re.findall(r"<row [^>]*>(.*?)</row>", sheet, re.S):
    cells = []
    for attrs, body in re.findall(r"<c ([^>]*?)(?:/>|>(.*?)</c>)", r, re.S):
        v = re.search(r"<v>(.*?)</v>", body or "")
        v = v.group(1) if v else ""
        cells.append(ss[int(v)] if 't="s"' in attrs and v else v)
    rows.append(cells)
title = [i for i, r in enumerate(rows) if r and r[0].startswith("Reliability")][0]
print(rows[title][0])
print("|".join(rows[title + 1]))
for r in rows[title + 2:]:
    # (blank rows are not in the sheet: the table ends at a row of another
    # width, the next table's title)
    if not r or not r[0] or len(r) != len(rows[title + 1]):
        break
    print("|".join(r))
PY
has_rel() { if grep -qF -- "$2" "$T/rel.txt"; then pass "$1"; else fail "$1 (no '$2' in $(cat "$T/rel.txt"))"; fi; }
has_rel "the reliability table says which rows each alpha uses" "listwise per scale"
has_rel "it has an N column" "scale|items|N|"
for k in 0 1; do
    want=$(python3 -c "import json; s=json.load(open('$T/alpha.json'))['scales'][$k]; print(s['scale'], s['n'], s['alpha'])")
    got=$(awk -F'|' -v s="D$((k + 1))" '$1 == s { print $1, $3, $4 }' "$T/rel.txt")
    same "report D$((k + 1)): n and alpha as survey alpha --survey" \
        "$(python3 -c "w='$want'.split(); g='$got'.split(); print(len(g) == 3 and w[:2] == g[:2] and abs(float(w[2]) - float(g[2])) <= 1e-12)")" "True"
done
want=$(python3 -c "import json; j=json.load(open('$T/alpha.json')); print(j['n'], j['alpha'])")
got=$(awk -F'|' '$1 == "all items" { print $3, $4 }' "$T/rel.txt")
same "report all items: n and alpha as survey alpha --survey" \
    "$(python3 -c "w='$want'.split(); g='$got'.split(); print(len(g) == 2 and w[0] == g[0] and abs(float(w[1]) - float(g[1])) <= 1e-12)")" "True"

# ---- help from the tables -----------------------------------------------------------
run "$EGDI" survey alpha --help
ok "survey help"
hasnt "no stale line about --survey" "not available yet"
has "--survey is documented" "--survey NAME"
has "--labels is an option of every subcommand" "--labels FILE|LIST"
run "$EGDI" survey describe --help
has "describe's own options" "--issued N"
finish
