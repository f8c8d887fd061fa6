#!/bin/sh
# Crash safety and concurrency of the store.
#
# 1. `egdi import` (units, metrics, survey) and `egdi score` are killed with
#    SIGKILL at seeded random moments over a generated workload; after each
#    kill the store passes PRAGMA integrity_check, holds every import either
#    whole or not at all (observations and responses per batch, units per
#    file, unit scores per score run), and the rerun succeeds.
# 2. Several `egdi import` processes on one store at once, also on a store
#    that does not exist yet (all of them create the schema and switch to WAL
#    at the same moment): every one succeeds, none says "locked" or "busy".
#
# Kill moments are drawn (awk srand, seed $CRASH_SEED, default 7) uniformly
# over 1.2 times the duration of an uninterrupted run of the same command, so
# they fall before, during and after the transaction; nothing is timed.
. tests/cli/lib.sh
SEED=${CRASH_SEED:-7}
KILLS=${CRASH_KILLS:-20}
NU=${CRASH_UNITS:-2500} # departments per generated file
DB=$T/crash.db
E() { "$EGDI" --db "$DB" "$@"; }
q() { sqlite3 "${CDB:-$DB}" "$1"; }
# the score kills run on their own store (SDB), whose units do not change

if ! command -v sqlite3 >/dev/null; then
    echo "sqlite3 (the command) is missing: install sqlite3"
    exit 1
fi

# ---- the workload ----
# units file k: 10 regions and $NU departments, codes prefixed "Uk-"
gen_units() {
    awk -v n="$NU" -v k="$1" 'BEGIN {
        print "code,name,kind,parent,level"
        for (r = 1; r <= 10; r++) printf "U%d-R%d,Region %d-%d,region,,1\n", k, r, k, r
        for (i = 1; i <= n; i++) printf "U%d-D%d,Department %d-%d,department,U%d-R%d,2\n", k, i, k, i, k, (i % 10) + 1
    }' >"$2"
}
# metrics for the units of file 0, one value per indicator (valid for jiangsu)
gen_metrics() {
    awk -v n="$NU" -v s="$1" 'BEGIN {
        srand(s)
        print "unit,CBII1,CBII2,CBII3,CBII4,GIRI1,GIRI2,GIRI3,GIRI4,GIRI5,GIRI6,GSI11,GSI12,GSI2,GSI3,GSI4,GSI5,GSI6"
        for (i = 1; i <= n; i++) {
            printf "U0-D%d", i
            for (k = 1; k <= 4; k++) printf ",%.1f", rand() * 100
            printf ",%.1f,%.1f,%d,%d,%.1f,%.2f", rand() * 100, rand() * 100, rand() * 200, rand() * 20, rand() * 100, 1 + rand() * 4
            printf ",%.2f,%.1f,%s,%.1f,%.1f,%.1f,%d\n", rand() * 1.5, rand() * 100, rand() < 0.5 ? "是" : "否", rand() * 4, rand() * 3, rand() * 100, rand() * 6
        }
    }' >"$2"
}
gen_survey() {
    awk -v n="$((NU * 4))" -v s="$1" 'BEGIN {
        srand(s)
        printf "id,gender"
        for (j = 1; j <= 20; j++) printf ",Q%d", j
        print ""
        for (i = 1; i <= n; i++) {
            printf "%d,%s", i, rand() < 0.5 ? "m" : "f"
            for (j = 1; j <= 20; j++) printf ",%d", 1 + int(rand() * 5)
            print ""
        }
    }' >"$2"
}
gen_units 0 "$T/units0.csv"
gen_metrics 1 "$T/metrics.csv"
gen_survey 2 "$T/survey.csv"

run E import units "$T/units0.csv"
ok "the base units import"
run E import metrics "$T/metrics.csv" --round 2024
ok "the base metrics import"
NOBS=$(q "SELECT count(*) FROM observation WHERE round = 2024")
same "the base metrics are all stored" "$NOBS" "$((NU * 17))"
run E score --round 2024
ok "the base score"
NSCORED=$(q "SELECT count(*) FROM unit_score")
NNODES=$(q "SELECT count(*) FROM unit_node_score")
SDB=$T/score.db
cp "$DB" "$SDB"

# seconds (3 decimals) an uninterrupted command takes; the store is left as
# it was by running it on a copy
duration() {
    cp "$(store_of "$1")" "$T/dur.db"
    shift
    rm -f "$T/dur.db-wal" "$T/dur.db-shm"
    a=$(date +%s.%N)
    "$EGDI" --db "$T/dur.db" "$@" >/dev/null 2>&1
    b=$(date +%s.%N)
    rm -f "$T/dur.db" "$T/dur.db-wal" "$T/dur.db-shm"
    awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }'
}

# The store holds whole imports only: every batch's stored values are all
# there, no observation or response lacks its batch, every score run has all
# its unit and node scores.  Prints nothing when all is well.
check_whole() {
    CDB=${1:-$DB}
    q "PRAGMA integrity_check" | grep -vx ok | sed 's/^/integrity: /'
    q "PRAGMA foreign_key_check" | sed 's/^/foreign key: /'
    q "SELECT 'metrics batch ' || b.id || ' holds ' || count(o.id) || ' of ' || b.values_stored
         FROM import_batch b LEFT JOIN observation o ON o.batch_id = b.id
        WHERE b.kind = 'metrics' GROUP BY b.id
       HAVING count(o.id) <> b.values_stored OR b.values_stored <> $NOBS"
    q "SELECT 'survey batch ' || b.id || ' holds ' || count(r.resp_no) || ' of ' || b.rows_read
         FROM import_batch b LEFT JOIN survey_response r ON r.batch_id = b.id
        WHERE b.kind = 'survey' GROUP BY b.id
       HAVING count(r.resp_no) <> $((NU * 4)) OR b.rows_read <> $((NU * 4))"
    q "SELECT 'survey ' || s.name || ' has no import' FROM survey s
        WHERE NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.survey_id = s.id)"
    q "SELECT 'units file ' || substr(code, 1, instr(code, '-') - 1) || ': ' || count(*) || ' units'
         FROM unit GROUP BY substr(code, 1, instr(code, '-') - 1) HAVING count(*) <> $((NU + 10))"
    # (a --replace that finds every unit unchanged leaves them in their batch)
    q "SELECT 'units batch ' || b.id || ' has ' || count(u.id) || ' units'
         FROM import_batch b LEFT JOIN unit u ON u.batch_id = b.id
        WHERE b.kind = 'units' GROUP BY b.id HAVING count(u.id) NOT IN (0, $((NU + 10)))"
    q "SELECT 'score run ' || r.id || ': ' || (SELECT count(*) FROM unit_score WHERE run_id = r.id)
              || ' unit scores, ' || (SELECT count(*) FROM unit_node_score WHERE run_id = r.id) || ' node scores'
         FROM score_run r
        WHERE (SELECT count(*) FROM unit_score WHERE run_id = r.id) <> $NSCORED
           OR (SELECT count(*) FROM unit_node_score WHERE run_id = r.id) <> $NNODES"
    q "SELECT 'round ' || round || ': ' || count(*) || ' score runs' FROM score_run
        GROUP BY round, model_id HAVING count(*) <> 1"
}
same "the base store is whole" "$(check_whole)" ""

# ---- SIGKILL at random moments ----
# command i (0-based) of the kill loop, by kind: a new metrics round, a new
# survey, a new units file, or a new score of round 2024
kill_cmd() {
    case $(($1 % 4)) in
    0) echo "import metrics $T/metrics.csv --round $((2000 + $1))" ;;
    1) echo "import survey $T/survey.csv --survey s$1 --scale 1-5" ;;
    2) gen_units "$(($1 + 1))" "$T/units$(($1 + 1)).csv" && echo "import units $T/units$(($1 + 1)).csv" ;;
    3) echo "score --round 2024" ;;
    esac
}
store_of() { if [ $(($1 % 4)) -eq 3 ]; then echo "$SDB"; else echo "$DB"; fi; }
# the durations of each kind, on the current store
i=0
while [ $i -lt 4 ]; do
    eval "D$i=\$(duration $i $(kill_cmd $i))"
    i=$((i + 1))
done
echo "# uninterrupted: metrics ${D0}s, survey ${D1}s, units ${D2}s, score ${D3}s"
DELAYS=$(awk -v s="$SEED" -v n="$KILLS" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.4f ", rand() * 1.2 }')
i=0
midway=0
bad=""
for f in $DELAYS; do
    cmd=$(kill_cmd $i)
    eval "d=\$D$((i % 4))"
    delay=$(awk -v f="$f" -v d="$d" 'BEGIN { printf "%.3f", f * d }')
    # shellcheck disable=SC2086
    "$EGDI" --db "$(store_of $i)" $cmd >"$T/k.out" 2>"$T/k.err" &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    st=$?
    if [ "$st" -eq 137 ]; then
        midway=$((midway + 1))
    elif [ "$st" -ne 0 ]; then
        bad="$bad [$cmd: exit $st: $(cat "$T/k.err")]"
    fi
    problems=$(check_whole "$(store_of $i)")
    if [ -n "$problems" ]; then
        bad="$bad [after killing '$cmd' at ${delay}s: $problems]"
    fi
    # the rerun (replacing what the killed run may have finished)
    case "$cmd" in import*) extra=--replace ;; *) extra= ;; esac
    # shellcheck disable=SC2086
    if ! "$EGDI" --db "$(store_of $i)" $cmd $extra >"$T/k.out" 2>"$T/k.err"; then
        bad="$bad [rerun of '$cmd' failed: $(cat "$T/k.err")]"
    fi
    problems=$(check_whole "$(store_of $i)")
    if [ -n "$problems" ]; then
        bad="$bad [after the rerun of '$cmd': $problems]"
    fi
    i=$((i + 1))
done
echo "# $KILLS kills, $midway while the command ran"
same "every kill leaves a whole store and every rerun succeeds" "$bad" ""
if [ "$midway" -ge $((KILLS / 2)) ]; then
    pass "most kills hit a running command ($midway of $KILLS)"
else
    fail "most kills hit a running command (only $midway of $KILLS)"
fi
same "every killed metrics round is whole after its rerun" \
    "$(q "SELECT count(DISTINCT round) FROM observation WHERE round < 2024")" "$(((KILLS + 3) / 4))"
same "every killed survey is whole after its rerun" \
    "$(q "SELECT count(*) FROM survey")" "$(((KILLS + 2) / 4))"

# ---- several writers at once ----
# eight small files (the race is in the first second of a new store: the
# switch to WAL mode, which SQLite refuses at once instead of waiting when
# another process switched first; it showed in about 1 try in 70)
j=1
while [ $j -le 8 ]; do
    awk -v k=$j 'BEGIN { print "code,name,kind,parent,level"
        for (i = 1; i <= 200; i++) printf "F%d-D%d,n,department,,2\n", k, i }' >"$T/small$j.csv"
    j=$((j + 1))
done
fresh_bad=""
r=0
while [ $r -lt 40 ]; do
    rm -f "$T/fresh.db" "$T/fresh.db-wal" "$T/fresh.db-shm"
    pids=""
    k=1
    while [ $k -le 8 ]; do
        "$EGDI" --db "$T/fresh.db" import units "$T/small$k.csv" >/dev/null 2>"$T/f$k.err" &
        pids="$pids $!"
        k=$((k + 1))
    done
    for p in $pids; do wait "$p"; done
    for k in 1 2 3 4 5 6 7 8; do
        [ -s "$T/f$k.err" ] && fresh_bad="$fresh_bad [try $r: $(cat "$T/f$k.err")]"
    done
    n=$(sqlite3 "$T/fresh.db" "SELECT count(*) FROM unit")
    [ "$n" = 1600 ] || fresh_bad="$fresh_bad [try $r: $n units]"
    m=$(sqlite3 "$T/fresh.db" "PRAGMA journal_mode")
    [ "$m" = wal ] || fresh_bad="$fresh_bad [try $r: journal mode $m]"
    r=$((r + 1))
done
same "eight imports creating one new store at once all succeed (40 tries)" "$fresh_bad" ""

rm -f "$T/fresh.db" "$T/fresh.db-wal" "$T/fresh.db-shm"
"$EGDI" --db "$T/fresh.db" init >/dev/null 2>&1 &
p1=$!
"$EGDI" --db "$T/fresh.db" init >/dev/null 2>"$T/i2.err" &
p2=$!
wait $p1
s1=$?
wait $p2
s2=$?
same "two inits of one new store at once both succeed" "$s1 $s2" "0 0"

# two metrics imports and a score on the populated store at once; the
# expected score counts come from an uninterrupted score of a copy
cp "$DB" "$T/copy.db"
rm -f "$T/copy.db-wal" "$T/copy.db-shm"
"$EGDI" --db "$T/copy.db" score --round 2024 >/dev/null 2>&1
NSCORED=$(sqlite3 "$T/copy.db" "SELECT count(*) FROM unit_score")
NNODES=$(sqlite3 "$T/copy.db" "SELECT count(*) FROM unit_node_score")
"$EGDI" --db "$DB" import metrics "$T/metrics.csv" --round 2101 >"$T/m1.out" 2>"$T/m1.err" &
p1=$!
"$EGDI" --db "$DB" import metrics "$T/metrics.csv" --round 2102 >"$T/m2.out" 2>"$T/m2.err" &
p2=$!
"$EGDI" --db "$DB" score --round 2024 >"$T/m3.out" 2>"$T/m3.err" &
p3=$!
wait $p1
s1=$?
wait $p2
s2=$?
wait $p3
s3=$?
same "two imports and a score at once all succeed" "$s1 $s2 $s3" "0 0 0"
if grep -qiE 'locked|busy' "$T"/m?.err; then
    fail "no 'locked' or 'busy' message"
    cat "$T"/m?.err
else
    pass "no 'locked' or 'busy' message"
fi
same "the store is whole after them" "$(check_whole)" ""
finish
