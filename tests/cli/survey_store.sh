#!/bin/sh
# `egdi survey ... --survey NAME` on a stored survey gives the same numbers
# as the same analysis run straight on the file (--data).
. tests/cli/lib.sh
S=$DATA/survey
Q=$S/questionnaire.csv
SC=$S/questionnaire_scales.csv
DB=$T/q.db
E() { "$EGDI" --db "$DB" "$@"; }
# the JSON number at a python expression path, e.g. j['alpha']
jnum() { python3 -c "import json,sys; j=json.load(open('$OUT')); print(repr($1))"; }

run E import survey "$Q" --survey q --scale 1-5 --scales "$SC" --items Q1-Q12
ok "import the questionnaire with its scales"

for sub in alpha kmo; do
    run E survey $sub --survey q --format json
    ok "survey $sub --survey"
    cp "$OUT" "$T/stored.json"
    run "$EGDI" survey $sub --data "$Q" --items Q1-Q12 --scale 1-5 --scales "$SC" --format json
    ok "survey $sub --data"
    same "survey $sub: stored and file give the same JSON (but the source)" \
        "$(python3 -c "import json; a=json.load(open('$T/stored.json')); b=json.load(open('$OUT')); a.pop('source',None); b.pop('source',None); print(a==b)")" "True"
done

run E survey efa --survey q --factors 3 --extract paf --rotate varimax --format json
ok "survey efa --survey"
cp "$OUT" "$T/stored.json"
run "$EGDI" survey efa --data "$Q" --items Q1-Q12 --scale 1-5 --scales "$SC" --factors 3 --extract paf --rotate varimax --format json
same "efa: stored and file loadings agree" \
    "$(python3 -c "import json; a=json.load(open('$T/stored.json')); b=json.load(open('$OUT')); print(a['loadings']==b['loadings'] and a['n']==b['n'])")" "True"

run E survey ttest --survey q --y D1 --group gender --format json
ok "t-test on a stored scale score by a stored attribute"
cp "$OUT" "$T/stored.json"
run "$EGDI" survey ttest --data "$Q" --scale 1-5 --scales "$SC" --y D1 --group gender --format json
same "t-test: stored and file agree" \
    "$(python3 -c "import json; a=json.load(open('$T/stored.json')); b=json.load(open('$OUT')); a.pop('source',None); b.pop('source',None); print(a==b)")" "True"

run E survey alpha --survey nosuch
fails "an unknown survey is refused"
err_has "the error names the survey" '"nosuch"'
run E survey alpha --survey q --data "$Q"
fails "--survey and --data together are refused"
finish
