#!/bin/sh
# bench/peer.sh - the peer step of `make bench` (issue 20): the same
# analyses of the same file (DIR/survey-200k.csv, 200,000 x 40 five-point
# items) by egdi, GNU PSPP and R (psych), each tool a fresh process that
# reads the file and runs one analysis, as a user runs it; prints the wall
# time and peak RSS of each and the ratios peer / egdi.  A peer that is not
# installed is skipped (said so).  Not a test.
#
#   bench/peer.sh DIR EGDI [REPS]     (run.sh calls it for the step "peer")
#
# egdi runs REPS times (median); PSPP and R once each (they take seconds to
# minutes).  The ratios are of wall times; cpuxPSPP and cpuxR are the same
# of CPU times (user + sys: R's fread may use several threads), steadier
# on a machine shared with other jobs.  Targets (issue 20): alpha, EFA and KMO >= 30x faster than PSPP
# and R; describe >= 3x faster than PSPP's DESCRIPTIVES.
set -eu
dir=$1
egdi=$2
reps=${3:-3}
csv=$dir/survey-200k.csv
[ -s "$csv" ] || { echo "peer: no $csv (run bench/run.sh first)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/egdi-peer.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# time_of CMD...: "seconds peakKB cpuseconds" of one run (stdout and
# stderr dropped); cpuseconds = user + sys of the process and its threads
time_of() {
    /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >/dev/null 2>"$work/err" ||
        { echo "peer: failed: $*" >&2; sed -n 1,5p "$work/err" >&2; echo "nan 0 0"; return 0; }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$work/t"
}

# median_of N CMD...: the median "seconds peakKB" of N runs
median_of() {
    n=$1
    shift
    i=0
    : >"$work/runs"
    while [ "$i" -lt "$n" ]; do
        time_of "$@" >>"$work/runs"
        i=$((i + 1))
    done
    sort -n "$work/runs" | sed -n "$(((n + 1) / 2))p"
}

have_pspp=false
command -v pspp >/dev/null 2>&1 && have_pspp=true
have_r=false
if command -v Rscript >/dev/null 2>&1 &&
    Rscript -e 'quit(status = !requireNamespace("psych", quietly = TRUE))' >/dev/null 2>&1; then
    have_r=true
fi

# PSPP: the file as SPSS users read it, then one procedure
vars=""
k=1
while [ "$k" -le 40 ]; do
    vars="$vars Q$k F1.0"
    k=$((k + 1))
done
pspp_syntax() {
    cat <<EOF
GET DATA /TYPE=TXT /FILE='$csv' /ENCODING='UTF-8' /DELIMITERS="," /FIRSTCASE=2
  /VARIABLES= id F8.0 gender A1 age F3.0 dept A12 $vars.
$1
EOF
}
pspp_syntax "RELIABILITY /VARIABLES=Q1 TO Q40 /MODEL=ALPHA /SUMMARY=TOTAL." >"$work/alpha.sps"
pspp_syntax "FACTOR /VARIABLES=Q1 TO Q40 /EXTRACTION=PAF /CRITERIA=FACTORS(5) /ROTATION=VARIMAX." >"$work/efa.sps"
pspp_syntax "FACTOR /VARIABLES=Q1 TO Q40 /PRINT=KMO /CRITERIA=FACTORS(1)." >"$work/kmo.sps"
pspp_syntax "DESCRIPTIVES /VARIABLES=Q1 TO Q40 /STATISTICS=MEAN STDDEV MIN MAX SKEWNESS KURTOSIS." >"$work/describe.sps"

# R: data.table's fread when installed (else read.csv), then psych
r_script() {
    cat <<EOF
suppressMessages(library(psych))
f <- "$csv"
x <- if (requireNamespace("data.table", quietly = TRUE)) as.data.frame(data.table::fread(f)) else read.csv(f)
q <- x[, paste0("Q", 1:40)]
invisible($1)
EOF
}
r_script "psych::alpha(q)" >"$work/alpha.R"
r_script "psych::fa(q, nfactors = 5, fm = 'pa', rotate = 'varimax')" >"$work/efa.R"
r_script "psych::KMO(q)" >"$work/kmo.R"
r_script "psych::describe(q)" >"$work/describe.R"

echo "peer: $csv (200,000 x 40), egdi median of $reps, PSPP and R once each"
$have_pspp && echo "  PSPP: $(pspp --version 2>/dev/null | head -1)" || echo "  PSPP: not installed (apt-get install pspp)"
$have_r && echo "  R: $(Rscript --version 2>&1 | head -1); psych $(Rscript -e 'cat(as.character(packageVersion("psych")))')" ||
    echo "  R: not installed (or without psych)"
printf '%-9s %9s %6s %7s %9s %7s %8s %9s %7s %8s %8s %8s  %s\n' analysis egdi cpu RSS PSPP RSS xPSPP R RSS xR \
    cpuxPSPP cpuxR target
for a in alpha efa kmo describe; do
    case $a in
    alpha) set -- survey alpha --data "$csv" --items Q1-Q40; target=">=30x" ;;
    efa) set -- survey efa --data "$csv" --items Q1-Q40 --factors 5 --extract paf --rotate varimax; target=">=30x" ;;
    kmo) set -- survey kmo --data "$csv" --items Q1-Q40; target=">=30x" ;;
    describe) set -- survey describe --data "$csv" --items Q1-Q40; target=">=3x PSPP" ;;
    esac
    e=$(median_of "$reps" "$egdi" "$@")
    p="nan 0 0"
    r="nan 0 0"
    $have_pspp && p=$(time_of pspp -O format=txt -o "$work/out.txt" "$work/$a.sps")
    $have_r && r=$(time_of Rscript "$work/$a.R")
    echo "$a $e $p $r $target" | awk '{
        xp = ($5 == "nan" || $2 == 0) ? "-" : sprintf("%.1fx", $5 / $2);
        xr = ($8 == "nan" || $2 == 0) ? "-" : sprintf("%.1fx", $8 / $2);
        cp = ($5 == "nan" || $4 == 0) ? "-" : sprintf("%.1fx", $7 / $4);
        cr = ($8 == "nan" || $4 == 0) ? "-" : sprintf("%.1fx", $10 / $4);
        pp = $5 == "nan" ? "-" : sprintf("%.2fs", $5);
        rr = $8 == "nan" ? "-" : sprintf("%.2fs", $8);
        printf "%-9s %8.3fs %5.2fs %5.0fMB %9s %5.0fMB %8s %9s %5.0fMB %8s %8s %8s  %s %s\n", $1, $2,
               $4, $3 / 1024, pp, $6 / 1024, xp, rr, $9 / 1024, xr, cp, cr, $11, $12
    }'
done
