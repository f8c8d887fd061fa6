#!/bin/sh
# bench/run.sh - `make bench`: builds bench/bench.c against $BUILD/libegdi.a,
# writes the workloads (fixed seeds) into a temporary directory, runs every
# step REPS times (default 5) and prints the table; the directory is removed
# at the end.  Not a test: nothing in `make check` is timed.
#
#   BUILD=build bench/run.sh [STEP...]     (REPS=N, BENCH_DIR=DIR to keep
#                                           the workloads between runs)
set -eu
BUILD=${BUILD:-build}
REPS=${REPS:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PKGS="gsl sqlite3 xlsxwriter libzip expat jansson libcrypto zlib"
mkdir -p "$BUILD/bench"
bin=$BUILD/bench/bench
if [ ! -x "$bin" ] || [ bench/bench.c -nt "$bin" ] || [ "$BUILD/libegdi.a" -nt "$bin" ]; then
    ${CC:-cc} -O2 -march=native -g -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
        -Wno-sign-conversion -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
        -I. $(pkg-config --cflags $PKGS) \
        -o "$bin" bench/bench.c "$BUILD/libegdi.a" $(pkg-config --libs $PKGS) -lcsv -lm
fi
if [ -n "${BENCH_DIR:-}" ]; then
    dir=$BENCH_DIR
    mkdir -p "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/egdi-bench.XXXXXX")
    trap 'rm -rf "$dir"' EXIT INT TERM
fi
if [ ! -s "$dir/units-2025.csv" ]; then
    echo "writing the workloads into $dir (fixed seeds) ..."
    "$bin" gen "$dir"
fi
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')  nproc: $(nproc)  cpu: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  reps: $REPS  command: make bench"
ls -l "$dir"/survey-200k.xlsx "$dir"/survey-200k.csv | awk '{printf "  %s %d bytes\n", $NF, $5}'
BENCH_SRC=$top "$bin" run "$dir" "$top/$BUILD/egdi" "$REPS" "$@"
# the peer step (issue 20): PSPP and R on the same file, when installed
peer=false
[ $# -eq 0 ] && peer=true
for s in "$@"; do [ "$s" = peer ] && peer=true; done
if $peer; then
    bench/peer.sh "$dir" "$top/$BUILD/egdi" "$REPS"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
