#!/bin/sh
# Runs every test and ends with one line: "N passed, N failed".
#   unit tests   $BUILD/tests/test_*   (cmocka; each test case counts)
#   fuzz replay  $BUILD/tests/replay_* over tests/fuzz/corpus/<target>/
#   CLI tests    tests/cli/*.sh        (each check counts; see tests/cli/lib.sh)
# BUILD may name several build directories ("build build-san": `make check`
# runs the suite in the normal build, then under ASan+UBSan); the suite runs
# once in each and the last line sums them all.
BUILDS=${BUILD:-build}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # $1 = passes, $2 = failures
    passed=$((passed + $1))
    failed=$((failed + $2))
}

for BUILD in $BUILDS; do
export BUILD
EGDI="$(pwd)/$BUILD/egdi"
export EGDI
[ "$BUILDS" = "$BUILD" ] || echo "== tests in $BUILD"

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed before cmocka could count
    fi
    if [ "$f" -ne 0 ]; then
        echo "FAIL $(basename "$t"):"
        grep -E '^\[  (FAILED|ERROR)|^\[  FAILED|Error|error|failure' "$log" | head -20
    fi
    echo "unit $(basename "$t"): $p passed, $f failed"
    count "$p" "$f"
done

for t in "$BUILD"/tests/replay_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t" | sed 's/^replay_//')
    corpus="tests/fuzz/corpus/${name#fuzz_}"
    if "$t" "$corpus" >"$log" 2>&1; then
        echo "fuzz replay $name: $(tail -1 "$log")"
        count 1 0
    else
        echo "FAIL fuzz replay $name:"
        tail -5 "$log"
        count 0 1
    fi
done

for t in tests/cli/*.sh; do
    [ -f "$t" ] || continue
    case "$t" in */lib.sh) continue ;; esac
    sh "$t" >"$log" 2>&1
    rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$f" -ne 0 ]; then
        echo "FAIL $(basename "$t"):"
        grep -E '^(FAIL|  )' "$log" | head -40
    fi
    echo "cli $(basename "$t"): $p passed, $f failed"
    count "$p" "$f"
done

done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
