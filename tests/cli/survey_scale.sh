#!/bin/sh
# Issue 20 (scale): several --y of `survey anova` in one read of the data
# give, each, what one --y gives (text and JSON); `survey describe` of
# answers as bytes and of the same answers as doubles (a column made to
# hold a fraction) prints the same frequency tables.
. tests/cli/lib.sh
Q=$DATA/survey/questionnaire.csv

# anova: --y Q1,Q2 = --y Q1 then --y Q2 (text), and the JSON results hold
# the objects of each
run "$EGDI" survey anova --data "$Q" --y Q1 --group group --posthoc tukey
ok "anova --y Q1"
cp "$OUT" "$T/one.txt"
run "$EGDI" survey anova --data "$Q" --y Q2 --group group --posthoc tukey
cat "$OUT" >> "$T/one.txt"
run "$EGDI" survey anova --data "$Q" --y Q1,Q2 --group group --posthoc tukey
ok "anova --y Q1,Q2"
same "anova with two --y prints what two runs print" "$(cmp -s "$OUT" "$T/one.txt" && echo same)" "same"
run "$EGDI" survey anova --data "$Q" --y Q1 --y Q2 --group group --posthoc tukey
same "anova --y Q1 --y Q2 = --y Q1,Q2" "$(cmp -s "$OUT" "$T/one.txt" && echo same)" "same"
run "$EGDI" survey anova --data "$Q" --y Q3 --group group --format json
cp "$OUT" "$T/q3.json"
run "$EGDI" survey anova --data "$Q" --y Q1,Q3 --group group --format json
ok "anova --y Q1,Q3 --format json"
same "anova JSON of several --y: {group, results} holding the objects one --y gives" \
    "$(python3 -c "import json; j=json.load(open('$OUT')); a=j['results']; b=json.load(open('$T/q3.json')); print(j['group'] == 'group' and len(a) == 2 and a[1] == b and a[0]['y'] == 'Q1')")" "True"
run "$EGDI" survey anova --data "$Q" --y Q1,nosuch --group group
fails "anova: an unknown --y among several is refused"
err_has "anova: names the unknown --y" "nosuch"

# describe: Q1..Q3 as bytes; the same answers with Q3 made doubles by a
# fraction in one extra row give the same table for Q1 and Q2 and, for Q3,
# the same counts plus the fraction
python3 - "$Q" "$T/frac.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
h = rows[0]
extra = ["" for _ in h]
extra[h.index("Q3")] = "2.5"
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows + [extra])
PY
run "$EGDI" survey describe --data "$Q" --items Q1-Q3 --format json
ok "describe of bytes"
cp "$OUT" "$T/bytes.json"
run "$EGDI" survey describe --data "$T/frac.csv" --items Q1-Q3 --format json
ok "describe with Q3 as doubles"
same "describe: the counts of byte and double columns agree" \
    "$(python3 - "$T/bytes.json" "$OUT" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
def freq(j, item):
    for it in j["items"]:
        if it["item"] == item:
            return [(f["value"], f["count"]) for f in it["frequencies"]]
fa, fb = freq(a, "Q3"), freq(b, "Q3")
print(freq(a, "Q1") == freq(b, "Q1") and [x for x in fb if x[0] != 2.5] == fa and (2.5, 1) in fb)
PY
)" "True"
finish
