#!/bin/sh
# The README's examples run as written on the demo store (issue 18): every
# command of its "Using it" block that reads no file of the user's own
# (units.xlsx, q.xlsx, hs.csv, matrix.csv) and does not build the store
# (demo, init, import) runs, from the repository, with EGDI_DB set to the
# demo's store, and exits 0.  Integer statistics (df, n) are integers in
# every format: JSON numbers without a fraction, table and CSV cells
# without decimals.
. tests/cli/lib.sh
EGDI_LANG=en
export EGDI_LANG
run "$EGDI" demo -o "$T/demo-out"
ok "the demo store"
EGDI_DB=$T/demo-out/egdi.db
export EGDI_DB

# the block after "## Using it", continuation lines joined, comments dropped
awk '/^## Using it/ { on = 1 } on && /^```sh/ { inb = 1; next } inb && /^```/ { exit } inb' README.md |
    sed -e ':a' -e '/\\$/{N;s/\\\n */ /;ba' -e '}' | sed 's/ \{2,\}# .*$//' | grep '^egdi ' >"$T/lines"
grep -vE ' (demo|init|import (units|metrics|survey))( |$)|units\.xlsx|q\.xlsx|hs\.csv|matrix\.csv' \
    "$T/lines" >"$T/runnable"
n=$(wc -l <"$T/runnable")
[ "$n" -ge 25 ] && pass "$n README commands to run" || fail "only $n README commands found"
cd "$T" && ln -s "$OLDPWD/tests" tests && cd "$OLDPWD" || exit 1
while IFS= read -r line; do
    (cd "$T" && eval "\"\$EGDI\" ${line#egdi }") >"$OUT" 2>"$ERR"
    RC=$?
    ok "README: $line"
done <"$T/runnable"

# ---- integers: df and n -----------------------------------------------------------
S=公务员问卷
for c in "survey ttest --survey $S --y 互动 --group 性别" \
    "survey anova --survey $S --y 支撑体系 --group 年龄段 --posthoc tukey" \
    "survey crosstab --survey $S --row 性别 --col 年龄段" "survey kmo --survey $S" \
    "survey efa --survey $S --extract ml --factors 4" \
    "survey regress --survey $S --y 互动 --block 性别,年龄段" "survey cfa --survey $S"; do
    # shellcheck disable=SC2086
    run "$EGDI" $c --format json
    bad=$(python3 -c '
import json, sys
keys = {"df", "df1", "df2", "df_reg", "df_res", "n", "baseline_df"}
welch = {"welch", "not_assumed", "unequal"}
bad = []
def walk(x, path):
    if isinstance(x, dict):
        for k, v in x.items():
            if k in keys and isinstance(v, float) and v == int(v):
                bad.append(".".join(path + [k]) + "=" + repr(v))
            walk(v, path + [k])
    elif isinstance(x, list):
        for i, v in enumerate(x):
            walk(v, path + [str(i)])
walk(json.load(open(sys.argv[1])), [])
print(" ".join(bad))' "$OUT")
    [ "$RC" -eq 0 ] && [ -z "$bad" ] && pass "JSON of $c: whole df and n are integers" ||
        fail "JSON of $c: $bad"
done
run "$EGDI" survey ttest --survey $S --y 互动 --group 性别 --format csv
same "ttest CSV: Student's df is 490" "$(sed -n 's/^equal assumed,[^,]*,[^,]*,[^,]*,\([^,]*\),.*/\1/p' "$OUT")" "490"
run "$EGDI" survey anova --survey $S --y 支撑体系 --group 年龄段 --format json
same "anova JSON: df1, df2" "$(jq -c '[.df1, .df2]' "$OUT")" "[3,488]"
run "$EGDI" survey crosstab --survey $S --row 性别 --col 年龄段 --format json
same "crosstab JSON: df" "$(jq -c '.df' "$OUT")" "3"

finish
