#!/usr/bin/env bash
# Browser test (issue 8): the phone visit page, end to end, in a real headless Chromium driven by Selenium.
#
#   bash Tests/Browser/run.sh
#
# Installs what is missing (Debian's chromium, chromium-driver and python3-selenium; pip's selenium if apt has
# none), builds asxh (debug), prepares a throw-away SQLite database with `asxh demo --no-serve`, serves it on a
# free loopback port, runs Tests/Browser/visit_flow.py against it and always stops the server.
# Exit status: that of the test (non-zero on any failure). Screenshots, page HTML and the browser console of a
# failed step go to $ASXH_BROWSER_ARTIFACTS (default /tmp); the server's log is printed on failure.
#
# Settings (environment): ASXH_BROWSER_PEOPLE (demo size, default 4000), ASXH_BUILD_JOBS (swift build -j, default:
# SwiftPM's), ASXH_BROWSER_KEEP=1 (keep the database and logs in the work folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
# The browser test uses its own SQLite file, never a PostgreSQL server named by the caller.
unset DATABASE_URL ASXH_DB

PEOPLE=${ASXH_BROWSER_PEOPLE:-8000}
say() { echo "== browser: $*"; }

# ---- 1. Chromium, its driver, Selenium ---------------------------------------------------------------------------
apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then return 1; fi
  if [ "$apt_updated" = 0 ]; then timeout 600 apt-get update -qq >/dev/null || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# Debian's python3 with Debian's Selenium first; any python3 that already has Selenium otherwise.
PY=""
for candidate in /usr/bin/python3 "$(command -v python3 || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c "import selenium" >/dev/null 2>&1; then PY=$candidate; break; fi
done
if [ -z "$PY" ] && [ -x /usr/bin/python3 ]; then missing+=(python3-selenium); fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt_install "${missing[@]}" || say "apt-get could not install ${missing[*]}"
fi
if [ -z "$PY" ]; then
  for candidate in /usr/bin/python3 "$(command -v python3 || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c "import selenium" >/dev/null 2>&1; then PY=$candidate; break; fi
  done
fi
if [ -z "$PY" ]; then
  PY=$(command -v python3)
  say "installing selenium with pip for $PY"
  timeout 600 "$PY" -m pip install -q "selenium>=4.6,<5"
fi
CHROMIUM=$(command -v chromium || echo /usr/bin/chromium)
CHROMEDRIVER=$(command -v chromedriver || echo /usr/bin/chromedriver)
for tool in "$CHROMIUM" "$CHROMEDRIVER"; do
  [ -x "$tool" ] || { echo "browser test: $tool is missing (apt-get install chromium chromium-driver)" >&2; exit 1; }
done
export CHROMIUM_BINARY=$CHROMIUM CHROMEDRIVER
say "$("$CHROMIUM" --version 2>/dev/null | head -n 1), $("$CHROMEDRIVER" --version | cut -d' ' -f1-2), python $("$PY" -c 'import sys, selenium; print("%d.%d" % sys.version_info[:2], "selenium", selenium.__version__)')"

# ---- 2. asxh ------------------------------------------------------------------------------------------------------
say "swift build --product asxh"
build_log=$(mktemp /tmp/asxh-browser-build.XXXXXX)
if ! swift build ${ASXH_BUILD_JOBS:+-j "$ASXH_BUILD_JOBS"} --product asxh >"$build_log" 2>&1; then
  grep -E "error:" "$build_log" | head -n 50 || true
  tail -n 20 "$build_log"
  rm -f "$build_log"
  exit 1
fi
rm -f "$build_log"
BIN_DIR=$(swift build --show-bin-path)

WORK=$(mktemp -d /tmp/asxh-browser.XXXXXX)
SERVER_PID=""
cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$status" != 0 ] && [ -f "$WORK/server.log" ]; then
    echo "== browser: end of the server's log ($WORK/server.log)"
    tail -n 40 "$WORK/server.log" || true
  fi
  if [ "${ASXH_BROWSER_KEEP:-0}" = 1 ] || [ "$status" != 0 ]; then
    echo "== browser: work folder kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The binary and its resource bundles, copied: a rebuild of .build meanwhile cannot change the server under test.
mkdir -p "$WORK/bin"
cp "$BIN_DIR/asxh" "$WORK/bin/asxh"
cp -R "$BIN_DIR"/asxh_*.resources "$WORK/bin/" 2>/dev/null || true
ASXH="$WORK/bin/asxh"

# ---- 3. A throw-away demo database ---------------------------------------------------------------------------------
DB="$WORK/asxh.sqlite"
say "asxh demo --no-serve --people $PEOPLE (SQLite $DB)"
if ! (cd "$WORK" && timeout 900 "$ASXH" demo --no-serve --people "$PEOPLE" --db "$DB" --out "$WORK/demo-data" >"$WORK/demo.log" 2>&1); then
  tail -n 40 "$WORK/demo.log"
  exit 1
fi
# A demo that only imports leaves every case 'imported': verify each list against the register extract, so that
# cases can be assigned (the test then sets up the working group through the pages).
if [ "$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM campaign_cases WHERE state <> ?", ("imported",)).fetchone()[0])' "$DB")" = 0 ]; then
  say "the demo verified nothing: asxh verify for each list"
  for list in "$WORK"/demo-data/danh-sach-*; do
    (cd "$WORK" && timeout 600 "$ASXH" verify --list "$(basename "$list")" --register "$WORK/demo-data/population-register.csv" --db "$DB" >>"$WORK/demo.log" 2>&1) \
      || { tail -n 40 "$WORK/demo.log"; exit 1; }
  done
fi

# ---- 4. The server, on a free loopback port -----------------------------------------------------------------------
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
say "asxh serve on $BASE"
(cd "$WORK" && exec "$ASXH" serve --hostname 127.0.0.1 --port "$PORT" --db "$DB" --env development) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
"$PY" - "$BASE/health" "$SERVER_PID" <<'EOF'
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 90
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("browser test: the server stopped before it answered")
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.3)
sys.exit("browser test: %s did not answer within 90 s" % url)
EOF

# ---- 5. The test ---------------------------------------------------------------------------------------------------
say "Tests/Browser/visit_flow.py"
timeout 900 "$PY" -u Tests/Browser/visit_flow.py --base-url "$BASE" --artifacts "${ASXH_BROWSER_ARTIFACTS:-/tmp}"
