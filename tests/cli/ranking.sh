#!/bin/sh
# `egdi rank --compare` and `egdi report --compare` give the same previous
# ranks, previous stages, stage counts and transitions (issue 11): the
# previous stage is the one stored with the earlier round's score run, also
# when that round was scored with other stage bands, and wherever the
# earlier round's counts stand next to bands the output says that its bands
# were different and shows them.
#
# The store is the demo's (rounds 2023 and 2024).  2023 is re-scored with
# the jiangsu model whose first band reaches 45 (initial 45-60), 2024 with
# the built-in one (< 30).  Of the 520 departments, 86 were "preparation"
# and 161 "initial" in that 2023 run; today's bands applied to the 2023
# scores would say 10 and 237 (what `rank --compare` printed before).
. tests/cli/lib.sh
DB=$T/demo/egdi.db
E() { "$EGDI" --db "$DB" "$@"; }

run "$EGDI" demo -o "$T/demo" --lang en
ok "the demo store"
mkdir -p "$T/m45"
cp data/models/jiangsu/settings.csv data/models/jiangsu/catalogue.csv "$T/m45/"
sed -e 's/^\(preparation,.*\),,30$/\1,,45/' -e 's/^\(initial,.*\),30,60$/\1,45,60/' \
    data/models/jiangsu/stages.csv >"$T/m45/stages.csv"
run "$EGDI" model show "$T/m45" --lang en
has "the model's first band reaches 45" "score < 45"
run E score --round 2023 --model "$T/m45" --format json
ok "2023 scored with the < 45 bands"
has "that run's preparation count (departments and regions)" '"preparation": 86'
run E score --round 2024
ok "2024 scored with the built-in bands"

# ---- rank --compare -------------------------------------------------------
run E rank --round 2024 --compare 2023 --format json
ok "rank --compare, JSON"
cp "$OUT" "$T/rank.json"
# "stage=count ..." of transitions.counts.previous, in the model's order
counts() { # $1 = previous | current
    python3 -c 'import json,sys
t = json.load(open(sys.argv[1]))["transitions"]
print(" ".join("%s=%d" % (c, t["counts"][sys.argv[2]][c]) for c in t["stages"]))' \
        "$T/rank.json" "$1"
}
same "rank: 2023 counts are the stored run's" "$(counts previous)" \
    "preparation=86 initial=161 supporting=160 deepening=90 integration=23"
# (2024: the demo's GIRI6 comes from the questionnaire for 9 departments
# and is re-weighted away for the others, issue 15)
same "rank: 2024 counts" "$(counts current)" \
    "preparation=6 initial=190 supporting=169 deepening=118 integration=35"
same "rank: units' previous_stage agree with the counts" "$(python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
n = {}
for u in j["units"]:
    if u["previous_stage"]: n[u["previous_stage"]] = n.get(u["previous_stage"], 0) + 1
print(n.get("preparation"), n.get("initial"))' "$T/rank.json")" "86 161"
same "rank: JSON says the bands differ" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["transitions"]["same_bands"])' "$T/rank.json")" \
    "False"
run E rank --round 2024 --compare 2023 --lang en
has "rank: transition table" "stage transitions 2023 -> 2024 (rows: 2023)"
has "rank: stage counts line" "stage counts: preparation 86 -> 6, initial 161 -> 190"
has "rank: says the bands differ" "note: 2023 and 2024 were scored with different stage bands"
has "rank: shows 2023's bands" "2023: preparation < 45, initial 45 - 60, supporting 60 - 75"
run E rank --round 2024 --compare 2024 --lang en
hasnt "rank: no note when the bands are the same" "different stage bands"

# ---- the report ---------------------------------------------------------------
run E report --round 2024 --compare 2023 -o "$T/rep" --lang en --no-charts
ok "report --compare"
# the workbook's sheets as JSON: {sheet: [[cell text, ...], ...]}
python3 - "$T/rep/report.xlsx" >"$T/sheets.json" <<'PY'
import html, json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
ss = [html.unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S)))
      for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
wb = z.read("xl/workbook.xml").decode()
rels = {}
for rel in re.findall(r"<Relationship [^>]*>", z.read("xl/_rels/workbook.xml.rels").decode()):
    rels[re.search(r'Id="([^"]+)"', rel).group(1)] = re.search(r'Target="([^"]+)"', rel).group(1)
out = {}
for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', wb):
    rows = []
    for row in re.findall(r"<row [^>]*>(.*?)</row>", z.read("xl/" + rels[rid]).decode(), re.S):
        cells = {}
        for ref, attrs, body in re.findall(r'<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(.*?)</c>)', row, re.S):
            v = re.search(r"<v>(.*?)</v>", body or "")
            if not v:
                continue
            col = 0
            for ch in ref:
                col = col * 26 + ord(ch) - 64
            cells[col - 1] = ss[int(v.group(1))] if 't="s"' in attrs else v.group(1)
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    out[html.unescape(name)] = rows
json.dump(out, sys.stdout)
PY
# the Stages sheet: code -> units 2024, units 2023
stages() {
    python3 -c 'import json,sys
rows = json.load(open(sys.argv[1]))["Stages"]
h = rows[0]
cur, prev = h.index("units 2024"), h.index("units 2023")
print(" ".join("%s=%s" % (r[0], r[prev if sys.argv[2] == "previous" else cur])
               for r in rows[1:6]))' "$T/sheets.json" "$1"
}
same "report: 2023 counts are rank's" "$(stages previous)" "$(counts previous)"
same "report: 2024 counts are rank's" "$(stages current)" "$(counts current)"
same "report: the transition matrix is rank's" "$(python3 -c 'import json,sys
rows = json.load(open(sys.argv[1]))["Stages"]
at = [i for i, r in enumerate(rows) if r and r[0].startswith("Stage transitions")][0]
print([[int(float(x)) for x in r[1:6]] for r in rows[at + 2:at + 7]])' "$T/sheets.json")" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["transitions"]["matrix"])' "$T/rank.json")"
same "report: every department's previous rank and stage are rank's" "$(python3 -c 'import json,sys
rows = json.load(open(sys.argv[1]))["Ranking"]
h = rows[0]
c, pr, ps = h.index("code"), h.index("previous rank"), h.index("previous stage")
rep = {r[c]: (r[pr] and int(float(r[pr])), r[ps]) for r in rows[1:]}
rank = {u["id"]: (u["previous_rank"] or "", u["previous_stage"] or "")
        for u in json.load(open(sys.argv[2]))["units"]}
bad = sorted(k for k in rank if rep.get(k) != rank[k])
print(len(rank), "compared,", len(bad), "differ", " ".join(bad[:5]))' "$T/sheets.json" "$T/rank.json")" \
    "520 compared, 0 differ "
same "report: says the bands differ and shows 2023's" "$(python3 -c 'import json,sys
rows = json.load(open(sys.argv[1]))["Stages"]
at = [i for i, r in enumerate(rows) if r and "different stage bands" in r[0]][0]
print(rows[at][0].split(";")[0], "|", rows[at + 1][2], "|", rows[at + 2][2])' "$T/sheets.json")" \
    "Note: 2023 and 2024 were scored with different stage bands | < 45 | 45 – < 60"
finish
