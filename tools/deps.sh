#!/bin/sh
# Installs the Debian packages egdi needs to build, test and draw charts,
# but only those that are missing; does nothing (quickly) when all are there.
# `tools/deps.sh bench` adds what only `make bench` uses (pspp).
# LibreOffice Writer is added only when soffice is missing (installed
# without recommends: the headless converter, no desktop).
set -e
PKGS="gcc make pkg-config libc6-dev
libgsl-dev libsqlite3-dev sqlite3 libxlsxwriter-dev libzip-dev zlib1g-dev
libexpat1-dev libcsv-dev libjansson-dev libssl-dev libcmocka-dev
gnuplot-nox fonts-noto-cjk chromium"
# `make bench` also wants GNU PSPP for its peer step (bench/peer.sh)
[ "${1:-}" = bench ] && PKGS="$PKGS pspp"
# tests/cli/paper.sh converts the paper tables to .docx with LibreOffice
# Writer (soffice); wanted only when no soffice is on the PATH already
command -v soffice >/dev/null 2>&1 || PKGS="$PKGS libreoffice-writer-nogui"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
