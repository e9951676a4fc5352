#!/usr/bin/env bash
# Runs every test suite and ends with one line "N passed, M failed".
#   C unit tests (plain and under ASan+UBSan)
#   API tests on SQLite, on SQLite under ASan+UBSan, and on PostgreSQL;
#   the API tests again on SQLite with six other dates pinned (GUATU_TODAY)
#   browser tests in Debian's Chromium
# Suites print their own counts; this script adds them up.
set -uo pipefail
cd "$(dirname "$0")/.."
out=test-output
mkdir -p "$out"
passed=0 failed=0

count_line() { # "N passed, M failed" → add
  local line=$1
  if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
  fi
}

# Every suite runs under a bound (SUITE_LIMIT seconds, default 20 min; the
# whole run takes about 45 on 2 cores) so that one hung file (a server that
# never answers, a child left running) cannot hold CI past its 90 minutes.
# timeout signals the suite's whole process group: the servers it started go too.
suite() { # name, then command; TAP from node --test or our own count line
  local name=$1; shift
  echo "== $name"
  local log="$out/$name.log"
  local limit=${SUITE_LIMIT:-1200}
  timeout -k 30 "$limit" "$@" >"$log" 2>&1
  local rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "# suite $name stopped after ${limit}s (timeout, exit $rc)" >>"$log"
    echo "   stopped after ${limit}s: counted as failed"
    # (without a summary line it is counted below, as any suite without one)
    grep -qE '^# pass ' "$log" && failed=$((failed + 1))
  fi
  local p f
  p=$(grep -E '^# pass ' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail ' "$log" | tail -1 | awk '{print $3}')
  if [ -n "$p" ]; then
    passed=$((passed + p)); failed=$((failed + f))
    echo "   $p passed, $f failed"
  else
    local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    if [ -n "$line" ]; then count_line "$line"; echo "   $line"; else failed=$((failed + 1)); echo "   no result line"; fi
  fi
  if [ $rc -ne 0 ] || grep -qE '^not ok|[1-9][0-9]* failed' "$log"; then
    echo "   --- $name failed; last lines of $log:"
    grep -E '^not ok|error|Error|expected|actual' "$log" | head -40 | sed 's/^/   /'
    [ $rc -ne 0 ] && [ -z "$p" ] && failed=$((failed + 1))
  fi
}

for t in build/unit/test_*; do
  [ -x "$t" ] && suite "unit-$(basename "$t")" "$t"
done
for t in build/unit/asan-test_*; do
  [ -x "$t" ] && suite "unit-$(basename "$t")" env ASAN_OPTIONS=detect_leaks=1 "$t"
done

node_suite() { # name, env..., then test dir
  local name=$1; shift
  suite "$name" env "$@" node --test --test-reporter=tap --test-concurrency=2 --test-timeout=300000 tests/api/
}
if ls tests/api/*.test.mjs >/dev/null 2>&1; then
  node_suite api-sqlite GUATU_BIN=build/guatu
  node_suite api-sqlite-asan GUATU_BIN=build/asan/guatu ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    UBSAN_OPTIONS=print_stacktrace=1
  # Date sweep: the suites pin the date they assume (tests/api/lib.mjs, 2026-11-18);
  # they run again on SQLite with today pinned to a month's 1st, the report
  # deadline (25th) and the day after, a month's last day, New Year's Day and
  # a day inside the National Day holiday.
  for day in 2026-11-01 2026-11-25 2026-11-26 2026-11-30 2026-01-01 2026-10-03; do
    node_suite "api-sqlite-$day" GUATU_BIN=build/guatu GUATU_TODAY=$day
  done
  # PostgreSQL's port is picked free and bound a moment later: if another
  # process took it meanwhile, start again on a new port (three tries).
  pgurl=''
  for try in 1 2 3; do
    pgdir=$(mktemp -d /tmp/guatu-pg-XXXXXX)
    if pgurl=$(scripts/pg-test-server.sh start "$pgdir"); then break; fi
    pgurl=''
    echo "== api-postgresql: start $try failed"; tail -5 "$pgdir"/*.log 2>/dev/null
    scripts/pg-test-server.sh stop "$pgdir"; rm -rf "$pgdir"
  done
  if [ -n "$pgurl" ]; then
    node_suite api-postgresql GUATU_BIN=build/guatu GUATU_TEST_PG="$pgurl"
  else
    echo "== api-postgresql: could not start PostgreSQL"; cat "$pgdir"/*.log 2>/dev/null | tail -20; failed=$((failed + 1))
  fi
  scripts/pg-test-server.sh stop "$pgdir"
  rm -rf "$pgdir"
fi

if ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
  (cd tests && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }) >"$out/e2e-npm.log" 2>&1
  SUITE_LIMIT=${SUITE_LIMIT:-1800} suite e2e env GUATU_BIN=build/guatu node --test --test-reporter=tap --test-concurrency=1 --test-timeout=300000 tests/e2e/
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
