#!/bin/sh
# Runs every libFuzzer target (built by `make fuzz-build` into build-fuzz/fuzz/)
# for FUZZ_SECONDS each, at most FUZZ_JOBS (default 2) at a time, under nice.
# Each target fuzzes tests/fuzz/corpus/<target>/ with new inputs going to a
# scratch directory, which is then merged back (-merge=1) so only inputs that
# add coverage enter the corpus.  Crashes are left in build-fuzz/crashes/.
# Prints per target: execs/s and the number of corpus entries added.
#   FUZZ=csv,xlsx  run only those targets
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_JOBS=${FUZZ_JOBS:-2}
B=build-fuzz
out=$B/fuzz-runs
mkdir -p "$out" "$B/crashes"

targets=""
for f in "$B"/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    n=$(basename "$f"); n=${n#fuzz_}
    if [ -n "$FUZZ" ]; then
        case ",$FUZZ," in *",$n,"*) ;; *) continue ;; esac
    fi
    targets="$targets $n"
done

one() { # $1 = target name
    n=$1
    corpus=tests/fuzz/corpus/$n
    scratch=$out/$n.new
    rm -rf "$scratch"; mkdir -p "$scratch" "$corpus"
    dict=""
    [ -f "tests/fuzz/$n.dict" ] && dict="-dict=tests/fuzz/$n.dict"
    before=$(ls "$corpus" | wc -l)
    nice -n 19 "$B/fuzz/fuzz_$n" -max_total_time="$FUZZ_SECONDS" -max_len=65536 \
        -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 $dict \
        -artifact_prefix="$B/crashes/${n}-" "$scratch" "$corpus" >"$out/$n.log" 2>&1
    rc=$?
    nice -n 19 "$B/fuzz/fuzz_$n" -merge=1 "$corpus" "$scratch" >"$out/$n.merge.log" 2>&1
    after=$(ls "$corpus" | wc -l)
    execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$n.log" | tail -1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$n.log" | tail -1)
    status=clean; [ "$rc" -eq 0 ] || status="CRASH (see $out/$n.log)"
    echo "fuzz $n: ${FUZZ_SECONDS}s, $runs runs, $execs execs/s, $((after - before)) new corpus entries, $status"
}

rc=0
set -- $targets
while [ $# -gt 0 ]; do
    pids=""
    i=0
    while [ $# -gt 0 ] && [ $i -lt "$FUZZ_JOBS" ]; do
        one "$1" > "$out/$1.summary" &
        pids="$pids $!"
        shift; i=$((i + 1))
    done
    for p in $pids; do wait "$p"; done
done
for n in $targets; do
    cat "$out/$n.summary"
    grep -q CRASH "$out/$n.summary" && rc=1
done
exit $rc
