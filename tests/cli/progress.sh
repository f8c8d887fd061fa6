#!/bin/sh
# Progress on a terminal (issue 18, item 4): an import, scoring, the report,
# the Monte Carlo runs (the mediation bootstrap, uncertainty, sensitivity) write "label: N rows, R/s" / "label: P% D/T
# resamples, R/s" on stderr, rewritten in place and cleared at the end,
# only when stderr is a terminal (script(1) gives one); a pipe or a file gets
# none, nor does --quiet.  The library only calls a function
# (engine/core/progress.h); the command line prints.  EGDI_PROGRESS_AFTER=0
# shows it from the start (the default waits a second), so no test depends
# on how fast the machine is.
. tests/cli/lib.sh
EGDI_LANG=en
export EGDI_LANG
command -v script >/dev/null || { echo "script(1) missing"; exit 1; }
DB=$T/p.db
: >"$OUT"
: >"$ERR"
"$EGDI" --db "$DB" init >/dev/null
python3 -c '
import random
random.seed(1)
print("id,Q1,Q2,Q3")
for i in range(3000):
    a = random.randint(1, 5)
    print("%d,%d,%d,%d" % (i + 1, a, min(5, max(1, a + random.randint(-1, 1))), random.randint(1, 5)))' >"$T/q.csv"

# on a terminal: stderr is the pty, stdout goes to a file
tty_run() { # $1 = output file of the pty, rest = the command line (a string)
    o=$1
    shift
    EGDI_PROGRESS_AFTER=0 script -qec "$*" /dev/null >"$o" 2>&1
}
tty_run "$T/tty1" "'$EGDI' --db '$DB' import survey '$T/q.csv' --survey s1 --scale 1-5 >'$T/out1'"
RC=$?
ok "import on a terminal"
# the rows foretold from the bytes read (issue 18: a percentage and the
# rate): about a third of the file at row 1,024 of 3,000 (the first rows,
# with shorter ids, foretell a few more)
grep -Eq 'importing:  3[0-4]% 1024/3[0-3][0-9]{2} rows, ' "$T/tty1" &&
    pass "the progress line: percentage, rows and rate" ||
    fail "no progress line: $(tr '\r' '\n' <"$T/tty1" | head -3)"
grep -q 'importing: 100% 3000/3000 rows, ' "$T/tty1" && pass "at the end: 100% of the rows" ||
    fail "no progress line: $(od -c "$T/tty1" | head -3)"
grep -q "$(printf '\r\033\\[K')" "$T/tty1" && pass "the line is cleared at the end" || fail "not cleared"
grep -q 'importing' "$T/out1" && fail "progress on stdout" || pass "stdout has no progress"

EGDI_PROGRESS_AFTER=0 "$EGDI" --db "$DB" import survey "$T/q.csv" --survey s2 --scale 1-5 \
    >/dev/null 2>"$T/err2"
[ ! -s "$T/err2" ] && pass "stderr to a file: no progress" || fail "progress in a file: $(head -c 80 "$T/err2")"
EGDI_PROGRESS_AFTER=0 "$EGDI" --db "$DB" import survey "$T/q.csv" --survey s3 --scale 1-5 2>&1 \
    >/dev/null | cat >"$T/err3"
[ ! -s "$T/err3" ] && pass "stderr to a pipe: no progress" || fail "progress in a pipe"

tty_run "$T/tty4" "'$EGDI' --db '$DB' import survey '$T/q.csv' --survey s4 --scale 1-5 --quiet >/dev/null"
grep -q 'importing' "$T/tty4" && fail "--quiet still shows progress" || pass "--quiet: no progress"

tty_run "$T/tty5" "'$EGDI' --db '$DB' --lang zh import survey '$T/q.csv' --survey s5 --scale 1-5 >/dev/null"
grep -q '导入中: 100% 3000/3000 行, ' "$T/tty5" && pass "zh: 导入中" || fail "zh progress: $(od -c "$T/tty5" | head -3)"

# a Monte Carlo run: a percentage
tty_run "$T/tty6" "'$EGDI' --db '$DB' survey mediate --survey s1 --x Q1 --m Q2 --y Q3 --boot 2000 --threads 1 >'$T/out6'"
RC=$?
ok "mediate on a terminal"
grep -q 'bootstrap: 100% 2000/2000 resamples, ' "$T/tty6" && pass "the bootstrap's percentage" ||
    fail "no bootstrap progress: $(od -c "$T/tty6" | head -3)"
"$EGDI" --db "$DB" survey mediate --survey s1 --x Q1 --m Q2 --y Q3 --boot 2000 --threads 1 \
    >"$T/out7" 2>/dev/null
cmp -s "$T/out6" "$T/out7" && pass "the results are the same with and without progress" ||
    fail "the results differ with progress"

# ---- scoring, the report, uncertainty, sensitivity on the demo's store ----------
"$EGDI" demo -o "$T/demo" >/dev/null 2>&1
D=$T/demo/egdi.db
tty_run "$T/tty8" "'$EGDI' --db '$D' score --round 2024 >'$T/out8'"
# units three times over: read (a third), scored (two thirds), saved
grep -q 'scoring:  33% 533/1599 units, ' "$T/tty8" && pass "score: the round read" ||
    fail "no scoring progress: $(od -c "$T/tty8" | head -3)"
grep -q 'scoring: 100% 1599/1599 units, ' "$T/tty8" && pass "score: the units saved" ||
    fail "no scoring progress at the end: $(od -c "$T/tty8" | head -3)"
grep -q 'scoring' "$T/out8" && fail "score: progress on stdout" || pass "score: stdout has none"
tty_run "$T/tty9" "'$EGDI' --db '$D' report --round 2024 -o '$T/rep' --no-charts >/dev/null"
# rows: 534 for the charts, the page and publishing each (520 departments,
# 13 regions, the heading), 4 x 533 + 64 for the workbook
grep -q 'writing the report: 100% 3798/3798 rows, ' "$T/tty9" && pass "report: its rows" ||
    fail "no report progress: $(od -c "$T/tty9" | head -3)"
# scorecards: a page and a sheet per department and region, the index, publishing
tty_run "$T/tty9s" "'$EGDI' --db '$D' report --round 2024 -o '$T/rep' --no-charts --scorecards >/dev/null"
grep -q 'writing the scorecards: 100% 1068/1068 pages and sheets, ' "$T/tty9s" &&
    pass "report --scorecards: its pages and sheets" ||
    fail "no scorecard progress: $(od -c "$T/tty9s" | head -3)"
U="uncertainty --round 2024 --weights uniform:0.3 --draws 1500 --seed 3 --threads 2"
tty_run "$T/tty10" "'$EGDI' --db '$D' $U >'$T/out10'"
grep -q 'Monte Carlo:  34% 512/1500 draws, ' "$T/tty10" && pass "uncertainty: a wave of draws" ||
    fail "no uncertainty progress: $(od -c "$T/tty10" | head -3)"
grep -q 'Monte Carlo: 100% 1500/1500 draws, ' "$T/tty10" && pass "uncertainty: all the draws" ||
    fail "uncertainty progress does not end at 100%"
# shellcheck disable=SC2086
EGDI_PROGRESS_AFTER=0 "$EGDI" --db "$D" $U >"$T/out11" 2>"$T/err11"
[ ! -s "$T/err11" ] && pass "uncertainty, stderr to a file: no progress" || fail "uncertainty progress in a file"
same "uncertainty: the same table with and without progress" \
    "$(grep -v 'stored as' "$T/out10")" "$(grep -v 'stored as' "$T/out11")"
S="sensitivity --round 2024 --weights uniform:0.3 --base 256 --boot 10 --unit SZ37 --unit NJ26"
tty_run "$T/tty12" "'$EGDI' --db '$D' $S >'$T/out12'"
grep -q 'sensitivity: 100% 256/256 rows, ' "$T/tty12" && pass "sensitivity: the base rows" ||
    fail "no sensitivity progress: $(od -c "$T/tty12" | head -3)"
# then the bootstrap: 10 resamples for the mean shift and each of the two
# units, its rate its own
grep -q 'sensitivity: 100% 30/30 resamples, ' "$T/tty12" && pass "sensitivity: the bootstrap" ||
    fail "no bootstrap progress: $(tr '\r' '\n' <"$T/tty12" | tail -3)"
# shellcheck disable=SC2086
"$EGDI" --db "$D" $S >"$T/out13" 2>/dev/null
cmp -s "$T/out12" "$T/out13" && pass "sensitivity: the same output with and without progress" ||
    fail "sensitivity output differs with progress"
tty_run "$T/tty14" "'$EGDI' --db '$D' $U --quiet >/dev/null"
grep -q 'Monte Carlo' "$T/tty14" && fail "uncertainty --quiet shows progress" || pass "uncertainty --quiet: none"
tty_run "$T/tty15" "'$EGDI' --db '$D' --lang zh $S >/dev/null"
grep -q '敏感性分析: 100% 256/256 行, ' "$T/tty15" && pass "zh: 敏感性分析" || fail "zh sensitivity progress"
grep -q '敏感性分析: 100% 30/30 次, ' "$T/tty15" && pass "zh: the bootstrap" || fail "zh bootstrap progress"

finish
