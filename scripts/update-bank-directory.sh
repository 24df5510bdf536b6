#!/usr/bin/env bash
# Refreshes the bank directory shipped with ASXHCore (Sources/ASXHCore/Banking/Resources/vn-banks.csv) from the
# campaign's shared copy, after checking it: the exact header, five fields a row, a known status, and a 6-digit
# NAPAS BIN. A row with an empty BIN (a bank NAPAS does not route to, such as BIDC) is kept and reported:
# BankDirectory skips it, so it can be named in the file but never chosen as a payee bank.
# Usage: scripts/update-bank-directory.sh [source.csv]   (default: ../shared/data/vn-banks.csv beside the repo)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOURCE=${1:-"$ROOT/../shared/data/vn-banks.csv"}
TARGET="$ROOT/Sources/ASXHCore/Banking/Resources/vn-banks.csv"
HEADER="bin,short_name,name,swift_code,status"

[ -r "$SOURCE" ] || { echo "cannot read $SOURCE" >&2; exit 2; }
first=$(head -n 1 "$SOURCE" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//')
[ "$first" = "$HEADER" ] || { echo "unexpected header: '$first' (want '$HEADER')" >&2; exit 1; }

# Names hold no commas or quotes today; a quoted field would need a real CSV reader here and in BankDirectory.
awk -F',' -v header="$HEADER" '
    NR == 1 { next }
    { sub(/\r$/, "") }
    /^[[:space:]]*$/ { next }
    {
        if ($0 ~ /"/) { printf "line %d: quoted fields are not supported\n", NR > "/dev/stderr"; bad = 1; next }
        if (NF != 5) { printf "line %d: %d fields, want 5\n", NR, NF > "/dev/stderr"; bad = 1; next }
        if ($1 == "") { printf "line %d: %s has no BIN (kept, not selectable)\n", NR, $2 > "/dev/stderr" }
        else if ($1 !~ /^[0-9][0-9][0-9][0-9][0-9][0-9]$/) { printf "line %d: BIN \"%s\" is not 6 digits\n", NR, $1 > "/dev/stderr"; bad = 1 }
        if ($2 == "" || $3 == "") { printf "line %d: short name and name are required\n", NR > "/dev/stderr"; bad = 1 }
        if ($5 != "current" && $5 != "renamed" && $5 != "e-wallet") { printf "line %d: unknown status \"%s\"\n", NR, $5 > "/dev/stderr"; bad = 1 }
        if ($5 == "current" && $1 != "") { current[$1]++; if (current[$1] > 1) { printf "line %d: BIN %s has two current banks\n", NR, $1 > "/dev/stderr"; bad = 1 } }
        rows++
    }
    END {
        if (rows == 0) { print "no rows" > "/dev/stderr"; bad = 1 }
        exit bad
    }
' "$SOURCE" || { echo "not copied: fix $SOURCE first" >&2; exit 1; }

mkdir -p "$(dirname "$TARGET")"
tr -d '\r' < "$SOURCE" | sed '1s/^\xEF\xBB\xBF//' > "$TARGET.tmp"
mv "$TARGET.tmp" "$TARGET"
echo "copied $(($(wc -l < "$TARGET") - 1)) banks to ${TARGET#"$ROOT"/}"
