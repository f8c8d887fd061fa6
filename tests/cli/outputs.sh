#!/bin/sh
# Output files appear whole or not at all.  Every file egdi writes (the
# rejects CSV of import --rejects, the factor scores of survey efa --scores,
# the model of model weights --write, the report, the demo) is written to a
# temporary name and renamed when complete.  On a full disk (a 256 KiB tmpfs,
# filled up, in a private mount namespace: `unshare -m`, needs root) and in a
# read-only directory (run as nobody with setpriv, since root ignores
# permissions) each fails with one clear line naming the file, leaves the
# old file as it was and no temporary file behind.  Special files are written
# directly (a rename would replace /dev/stdout or /dev/full themselves), and
# printed results on a full stdout fail too.
. tests/cli/lib.sh
# the messages read in English
EGDI_LANG=en
export EGDI_LANG
M=$DATA/models
DB=$T/o.db
E() { "$EGDI" --db "$DB" "$@"; }
SIM=$DATA/survey/sim12.csv
BAD=$DATA/import/metrics_bad.csv

run E import units "$M/units.csv"
ok "units"
run E import metrics "$M/metrics-2024.csv" --round 2024
ok "metrics"
run E score --round 2024
ok "score"
# the bad metrics need units NJ-FGW and NJ-GAJ (row 2 is rejected either way)
run E import units "$DATA/import/units.csv"
ok "more units"
printf 'item,CBII,GIRI,GSI\nCBII,1,2,2\nGIRI,1/2,1,1\nGSI,1/2,1,1\n' >"$T/ahp.csv"

# the commands: sh $W KIND PATH writes its file to PATH (a script, so that it
# runs the same under unshare and setpriv)
W=$T/w.sh
cat >"$W" <<EOF
case \$1 in
rejects) exec "$EGDI" --db "$DB" import metrics "$BAD" --model "$DATA/import/model.csv" --round 2030 --skip-bad-rows --replace --rejects "\$2" ;;
scores) exec "$EGDI" survey efa --data "$SIM" --factors 3 --scores "\$2" ;;
model) exec "$EGDI" model weights ahp "$T/ahp.csv" --parent EGDI --write "\$2" ;;
esac
EOF

# ---- they work, and leave only their file ----
for w in rejects scores model; do
    mkdir -p "$T/good-$w"
    run sh "$W" "$w" "$T/good-$w/out.csv"
    if [ -s "$T/good-$w/out.csv" ]; then pass "$w: file written"; else fail "$w: file written"; fi
    same "$w: nothing else in the directory" "$(ls -A "$T/good-$w")" "out.csv"
    same "$w: the file has the usual permissions (umask), not 0600" \
        "$(stat -c %a "$T/good-$w/out.csv")" "$(printf '%o' $((0666 & ~$(umask))))"
done

# ---- special files are written to, never replaced ----
# (our own FIFO, link and device node: a program that renamed over them
# would break nothing outside $T)
mkfifo "$T/fifo"
ln -s real.csv "$T/link"
[ "$(id -u)" -eq 0 ] && mknod "$T/full" c 1 7
for w in rejects scores model; do
    case $w in
    rejects) head="file,sheet,row,column,value,reason" ;;
    scores) head="row,F1,F2,F3" ;;
    model) head="code,parent" ;;
    esac
    cat "$T/fifo" >"$T/fifo.out" &
    reader=$!
    run sh "$W" "$w" "$T/fifo"
    if [ -p "$T/fifo" ]; then
        wait $reader
        pass "$w into a FIFO: it stays a FIFO"
    else
        kill $reader 2>/dev/null
        fail "$w into a FIFO: it stays a FIFO"
        rm -f "$T/fifo" && mkfifo "$T/fifo"
    fi
    same "$w into a FIFO: the reader gets the file" "$(grep -c "^$head" "$T/fifo.out")" 1
    sh "$W" "$w" /dev/fd/1 2>"$ERR" | cat >"$OUT"
    has "$w to /dev/fd/1: written to stdout" "$head"
    run sh "$W" "$w" "$T/link"
    if [ -L "$T/link" ]; then pass "$w through a link: the link stays"; else fail "$w through a link: the link stays"; fi
    same "$w through a link: its target is written" "$(grep -c "^$head" "$T/real.csv")" 1
    rm -f "$T/real.csv"
    if [ -c "$T/full" ]; then
        run sh "$W" "$w" "$T/full"
        [ $w = rejects ] || fails "$w to a full device fails with one line"
        err_has "$w to a full device: the disk is full" "$T/full\": the disk is full"
        if [ -c "$T/full" ]; then pass "$w: the device stays"; else fail "$w: the device stays"; fi
    fi
done

# ---- a full disk ----
if [ "$(id -u)" -eq 0 ] && unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs '$T'" 2>/dev/null; then
    FD=$T/fd
    mkdir -p "$FD"
    # runs "$@" with a full disk at $FD holding an old out.csv and an old
    # report; keeps its exit status, stderr and what $FD holds afterwards
    full() {
        FD=$FD T=$T unshare -m sh -c '
            mount -t tmpfs -o size=256k tmpfs "$FD" || exit 99
            echo old >"$FD/out.csv"
            mkdir "$FD/rep" && echo old >"$FD/rep/report.html"
            head -c 1048576 /dev/zero >"$FD/filler" 2>/dev/null
            "$@" >"$T/full.out" 2>"$T/full.err"
            echo $? >"$T/full.rc"
            (cd "$FD" && find . ! -name filler | sort | tr "\n" " ") >"$T/full.ls"
            cat "$FD/out.csv" "$FD/rep/report.html" >"$T/full.old"
        ' sh "$@"
        RC=$(cat "$T/full.rc")
        cp "$T/full.out" "$OUT"
        cp "$T/full.err" "$ERR"
    }
    for w in rejects scores model; do
        full sh "$W" "$w" "$FD/out.csv"
        [ $w = rejects ] || fails "$w on a full disk fails with one line"
        same "$w on a full disk fails" "$RC" 1
        err_has "$w on a full disk: says so and names the file" "$FD/out.csv\": the disk is full"
        same "$w on a full disk: the old file is untouched, nothing left behind" \
            "$(cat "$T/full.ls")|$(cat "$T/full.old" | tr '\n' ' ')" \
            ". ./out.csv ./rep ./rep/report.html |old old "
    done
    full "$EGDI" --db "$DB" report --round 2024 -o "$FD/rep"
    fails "report on a full disk fails with one line"
    err_has "report on a full disk: says why" "cannot write the report into \"$FD/rep\": the disk is full"
    same "report on a full disk: the old report is untouched, nothing left behind" \
        "$(cat "$T/full.ls")|$(cat "$T/full.old" | tr '\n' ' ')" \
        ". ./out.csv ./rep ./rep/report.html |old old "
    full "$EGDI" demo -o "$FD/demo"
    # (libxlsxwriter prints its own [ERROR] lines before egdi's one line)
    same "demo on a full disk fails" "$RC" 1
    same "demo on a full disk: egdi's line says the disk is full" \
        "$(grep -v '^\[ERROR\]' "$ERR" | grep -c 'the disk is full')" 1
else
    echo "# not root or no unshare -m: the full-disk checks are skipped"
fi

# ---- a read-only directory ----
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    RO=$T/ro
    mkdir -p "$RO" && echo old >"$RO/out.csv"
    chmod 555 "$RO"
    chmod 777 "$T"
    chmod 666 "$DB" "$DB-wal" "$DB-shm" 2>/dev/null
    chmod -R a+rX "$T"
    nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    for w in rejects scores model; do
        run nobody sh "$W" "$w" "$RO/out.csv"
        [ $w = rejects ] || fails "$w into a read-only directory fails with one line"
        same "$w into a read-only directory fails" "$RC" 1
        err_has "$w into a read-only directory: names the file and why" "$RO/out.csv\": Permission denied"
        [ $w = rejects ] && err_has "rejects: says the good rows were imported" "the good rows were imported"
        same "$w into a read-only directory: the old file is untouched, nothing left behind" \
            "$(ls -A "$RO" | tr '\n' ' ')$(cat "$RO/out.csv")" "out.csv old"
    done
fi

# ---- printed results on a full stdout ----
for cmd in "rank --round 2024" "rank --round 2024 --format csv" "rank --round 2024 --format json" \
    "status" "explain D01 --round 2024"; do
    # shellcheck disable=SC2086
    E $cmd >/dev/full 2>"$ERR"
    RC=$?
    fails "$cmd to a full stdout fails with one line"
    err_has "$cmd to a full stdout says why" "cannot write the output"
done
"$EGDI" survey describe --data "$SIM" >/dev/full 2>"$ERR"
RC=$?
fails "survey describe to a full stdout fails with one line"
finish
