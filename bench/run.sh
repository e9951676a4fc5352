#!/usr/bin/env bash
# bench/run.sh — what `make bench` runs (issue 8; the PostgreSQL column is
# issue 9's).  Builds the province dataset under bench/data/ when missing,
# serves it with `guatu serve --quiet` on a free loopback port, and drives
# each key endpoint from a second process with wrk; then the same HTTP rows
# on a private PostgreSQL.  Also: nginx serving a 2 KB static file as the
# ceiling, the 50,000-project XLSX import, the province's weekly PDF, RSS,
# cold start, binary size and overload (503 + Retry-After, then recovery).
# Issue 21's rows: the first dashboard after a write against a raw SQL scan
# of the reports, Bearer token against session cookie, every read row again
# with a write every 100 ms beside it, and `guatu check rollups` after.
# Prints one Markdown table and writes it to bench/results/LATEST.md.
#
# Environment: B (build dir, default build), BENCH_DURATION (wrk -d, default
# 10s), BENCH_SKIP_PG=1 (SQLite only), BENCH_SCALE (province|district).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=${B:-build}
BIN=$(realpath "$B/guatu")
DUR=${BENCH_DURATION:-10s}
SCALE=${BENCH_SCALE:-province}
THREADS=2 CONNS=32
DATA=bench/data
OUT=bench/results/LATEST.md
mkdir -p "$DATA" bench/results
WORK=$(mktemp -d /tmp/guatu-bench.XXXXXX)
PGDIR=$(mktemp -d /tmp/guatu-bench-pg.XXXXXX)
chmod 755 "$PGDIR"
PIDS=()
PG_STARTED=0
cleanup() {
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill "$p" 2>/dev/null; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  [ "$PG_STARTED" = 1 ] && scripts/pg-test-server.sh stop "$PGDIR/pg"
  rm -rf "$WORK" "$PGDIR"
}
trap cleanup EXIT
log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- the dataset ----------------------------------------------------------
SRC_DB="$DATA/$SCALE.db"
if [ ! -f "$SRC_DB" ]; then
  log "generating the $SCALE dataset into $SRC_DB"
  rm -f "$SRC_DB.tmp" "$SRC_DB.tmp-wal" "$SRC_DB.tmp-shm"
  t0=$(ms_now)
  "$BIN" gen --scale "$SCALE" --db "$SRC_DB.tmp" >"$WORK/gen.out" || { cat "$WORK/gen.out"; exit 1; }
  GEN_SQLITE_S=$(awk -v a="$t0" -v b="$(ms_now)" 'BEGIN{printf "%.1f", (b-a)/1000}')
  cat "$WORK/gen.out"
  mv "$SRC_DB.tmp" "$SRC_DB"
  echo "$GEN_SQLITE_S" >"$DATA/$SCALE.gen-seconds"
fi
GEN_SQLITE_S=$(cat "$DATA/$SCALE.gen-seconds" 2>/dev/null || echo "?")
DB="$WORK/bench.db"
log "working copy of the dataset (writes must not touch $SRC_DB)"
cp "$SRC_DB" "$DB"
# The dataset's "today" is fixed (2026-11-15) and guatu has one clock
# (src/clock.h): every server, report and command below runs on that day, so
# the stored escalation levels, late flags and approval deadlines are
# already those of today and the escalation tick has no catch-up to do.
export GUATU_TODAY=2026-11-15
NPROJ=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM projects')
# the battle map of the county with the most projects
BM_UNIT=$(sqlite3 "$DB" "SELECT u.id FROM units u JOIN units c ON c.path LIKE u.path || '%' JOIN projects p ON p.unit_id = c.id
  WHERE u.kind = 'district' AND u.parent_id IS NOT NULL GROUP BY u.id ORDER BY COUNT(*) DESC LIMIT 1")
[ -n "$BM_UNIT" ] || BM_UNIT=1
PROJ_ID=$(sqlite3 "$DB" "SELECT project_id FROM nodes GROUP BY project_id ORDER BY COUNT(*) DESC, project_id LIMIT 1")
# the next month after the dataset's last reports: empty, so each POST inserts
PERIOD=$(sqlite3 "$DB" "SELECT MAX(period) FROM reports" | awk -F- '{m=$2+1; y=$1; if (m>12) {m=1; y++}; printf "%04d-%02d", y, m}')
RANK_MONTH=$(sqlite3 "$DB" "SELECT COALESCE(MAX(month), '2026-10') FROM tasks" 2>/dev/null || echo 2026-10)
# land acquisition and approvals (when the dataset has them): the household
# with the most items, and the unit user whose unit runs the most households
HAS_LAND=$(sqlite3 "$DB" "SELECT COUNT(*) FROM sqlite_master WHERE name = 'land_households'")
HH_ID=1 LAND_USER=""
if [ "$HAS_LAND" = 1 ]; then
  HH_ID=$(sqlite3 "$DB" "SELECT household_id FROM land_items GROUP BY household_id ORDER BY COUNT(*) DESC, household_id LIMIT 1")
  LAND_USER=$(sqlite3 "$DB" "SELECT u.login FROM users u JOIN projects p ON p.unit_id = u.unit_id JOIN land_households h ON h.project_id = p.id
    WHERE u.roles = 'unit' GROUP BY u.id ORDER BY COUNT(*) DESC, u.id LIMIT 1")
fi
[ -n "$HH_ID" ] || HH_ID=1

# ---- server helpers -------------------------------------------------------
SPID="" PORT=""
start_server() { # DBURL [extra serve args…]
  local url=$1; shift
  PORT=$(free_port)
  "$BIN" serve --db "$url" --listen "127.0.0.1:$PORT" --quiet "$@" >>"$WORK/server.log" 2>&1 &
  SPID=$!
  PIDS+=("$SPID")
  for _ in $(seq 1 400); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && return 0
    kill -0 "$SPID" 2>/dev/null || { echo "server died:"; tail -20 "$WORK/server.log"; return 1; }
    sleep 0.05
  done
  echo "server did not start"; return 1
}
stop_server() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null; SPID=""; }

# wrk → "req/s|p99 ms|non-2xx|total"
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }
run_wrk() { # URL LUA [conns]
  local url=$1 lua=$2 c=${3:-$CONNS} f="$WORK/wrk.$RANDOM"
  BENCH_THREADS=$THREADS wrk -t$THREADS -c"$c" -d"$DUR" --timeout 30s --latency -s "$lua" "$url" >"$f" 2>&1
  local rps p99 non2xx total
  rps=$(awk '/^Requests\/sec:/{printf "%.0f", $2}' "$f")
  p99=$(awk '$1=="99%"{print $2}' "$f" | to_ms)
  non2xx=$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$f")
  total=$(awk '/requests in/{print $1}' "$f")
  echo "${rps:-0}|${p99:-?}|${non2xx:-0}|${total:-0}"
  cp "$f" "$WORK/last-wrk.txt"
}

# Waits (up to 60 s) until the server is idle: a slow row leaves requests
# running after wrk stops, which would be counted against the next row.  On
# PostgreSQL the work is mostly in its backends, so their CPU counts too
# (guatu itself sits idle waiting on them: watching it alone let the next
# row start while 64 requests of closed connections were still queued, and
# every answer of the rows after was a 503).
busy_ticks() { # CPU ticks of the server and of the private PostgreSQL's processes
  local pm="" p t
  t=$(awk '{print $14 + $15}' "/proc/$SPID/stat" 2>/dev/null) || return 1
  [ "$PG_STARTED" = 1 ] && pm=$(head -1 "$PGDIR/pg/data/postmaster.pid" 2>/dev/null)
  if [ -n "$pm" ]; then
    for p in $pm $(pgrep -P "$pm"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  fi
  echo "$t"
}
drain() {
  local a b
  for _ in $(seq 1 60); do
    a=$(busy_ticks) || return 0
    sleep 1
    b=$(busy_ticks) || return 0
    [ $((b - a)) -lt 10 ] && return 0 # under 0.1 s of CPU in that second
  done
}
declare -A RES # RES[store:row] = "req/s|p99|non2xx|total" or "n/a …"
ROWS=(health projects project nodes battlemap battlemap_group dashboard problems rankings households households_unit household landprogress
  approvals approvalstats enterprises entrequests finneeds finstats leads attractionstats questions open311 write login)
declare -A ROWPATH=(
  [health]="/api/v1/health"
  [projects]="/api/v1/projects?level=province&stage=construction&per_page=20"
  [project]="/api/v1/projects/$PROJ_ID"
  [nodes]="/api/v1/projects/$PROJ_ID/nodes"
  [battlemap]="/api/v1/battlemap?unit=$BM_UNIT&year=2026&limit=3000"
  [battlemap_group]="/api/v1/battlemap?unit=$BM_UNIT&year=2026"
  [dashboard]="/api/v1/dashboard?year=2026&month=10"
  [problems]="/api/v1/problems?per_page=20"
  [rankings]="/api/v1/rankings?month=$RANK_MONTH"
  [households]="/api/v1/households?per_page=20"
  [households_unit]="/api/v1/households?per_page=20 (unit user ${LAND_USER:-none})"
  [household]="/api/v1/households/$HH_ID"
  [landprogress]="/api/v1/land-progress"
  [approvals]="/api/v1/approvals?per_page=20"
  [approvalstats]="/api/v1/approvals/stats"
  [enterprises]="/api/v1/enterprises?per_page=20"
  [entrequests]="/api/v1/enterprise-requests?per_page=20"
  [questions]="/api/v1/questions?per_page=20"
  [open311]="/open311/v2/requests.json"
  [finneeds]="/api/v1/financing-needs?per_page=20"
  [finstats]="/api/v1/financing/stats?year=2026"
  [leads]="/api/v1/leads?per_page=20"
  [attractionstats]="/api/v1/attraction/stats?year=2026"
  [write]="POST /api/v1/projects/{id}/reports"
  [login]="POST /api/v1/session"
)
declare -A ROUTE=( # as the route table (/api/v1/openapi.json) names them
  [health]=/api/v1/health [projects]=/api/v1/projects [project]="/api/v1/projects/{id}" [nodes]="/api/v1/projects/{id}/nodes"
  [battlemap]=/api/v1/battlemap [battlemap_group]=/api/v1/battlemap [dashboard]=/api/v1/dashboard [problems]=/api/v1/problems [rankings]=/api/v1/rankings
  [write]="/api/v1/projects/{id}/reports" [login]=/api/v1/session
  [households]=/api/v1/households [households_unit]=/api/v1/households [household]="/api/v1/households/{id}"
  [landprogress]=/api/v1/land-progress [approvals]=/api/v1/approvals [approvalstats]=/api/v1/approvals/stats
  [enterprises]=/api/v1/enterprises [entrequests]=/api/v1/enterprise-requests
  [questions]=/api/v1/questions [open311]=/open311/v2/requests.json
  [finneeds]=/api/v1/financing-needs [finstats]=/api/v1/financing/stats
  [leads]=/api/v1/leads [attractionstats]=/api/v1/attraction/stats
)
declare -A ROWTARGET=(
  [health]="≥ 50% of nginx req/s" [projects]="p99 < 10 ms" [project]="p99 < 10 ms" [nodes]="p99 < 10 ms"
  [battlemap]="p99 < 10 ms" [battlemap_group]="p99 < 10 ms" [dashboard]="p99 < 50 ms" [problems]="p99 < 10 ms" [rankings]="p99 < 10 ms"
  [households]="p99 < 10 ms" [households_unit]="p99 < 10 ms" [household]="p99 < 10 ms" [landprogress]="p99 < 50 ms"
  [approvals]="p99 < 10 ms" [approvalstats]="p99 < 50 ms" [enterprises]="p99 < 10 ms" [entrequests]="p99 < 10 ms"
  [approvals]="p99 < 10 ms" [approvalstats]="p99 < 50 ms" [questions]="p99 < 10 ms" [open311]="p99 < 50 ms"
  [finneeds]="p99 < 10 ms" [finstats]="p99 < 50 ms"
  [leads]="p99 < 10 ms" [attractionstats]="p99 < 50 ms"
  [write]="≥ 1,000 writes/s" [login]="tens/s (Argon2id)"
)

# ---- issue 21's rows ------------------------------------------------------
# A token list request against a cookie one, the first dashboard after a
# write against a raw scan of the reports, and every read row again with a
# write every 100 ms beside it.  Each is its own row: one that cannot be
# measured prints n/a and the run goes on.
LIST25=/api/v1/projects?per_page=25
LAST_PERIOD=$(sqlite3 "$DB" "SELECT MAX(period) FROM reports WHERE state = 'approved'")
RAW_SQL="SELECT p.unit_id, SUM(r.investment) FROM reports r JOIN projects p ON p.id = r.project_id
  WHERE r.state = 'approved' AND r.period = '$LAST_PERIOD' GROUP BY p.unit_id"
declare -A X # X[store:what] = a figure or "n/a …"

median() { sort -n | awk '{a[NR]=$1} END{if (!NR) exit; print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# Logs in as office and prints the session cookie ("guatu_session=…").
login_cookie() { # BASE
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d '{"login":"office","password":"bench1234"}' "$1/api/v1/session" |
    awk -F'[:;] *' 'tolower($1) == "set-cookie" && $2 ~ /^guatu_session=./ {print $2; exit}'
}
# The ids of up to N reports waiting for review (state submitted), oldest first.
submitted_reports() { # BASE TOKEN N
  curl -s -H "Authorization: Bearer $2" "$1/api/v1/reports?state=submitted&per_page=$3&sort=id" | jq -r '.items[]?.id' 2>/dev/null
}
# The raw scan: one month's approved investment per unit, straight from the
# reports table, in ms (median of 3; SQLite CLI's .timer, psql's \timing).
raw_scan_ms() { # STORE DBURL
  local i
  for i in 1 2 3; do
    if [ "$1" = sqlite ]; then
      printf '.output /dev/null\n.timer on\n%s;\n' "$RAW_SQL" | sqlite3 "$2" 2>&1 | awk '/^Run Time:/{printf "%.1f\n", $4 * 1000}'
    else
      psql -X -q "$2" -c '\timing on' -c "$RAW_SQL" 2>/dev/null | awk '/^Time:/{print $2}'
    fi
  done | median
}
# One approval through the API, then one dashboard request: its time in ms
# (median of 3 write+read pairs; the dashboard is requested once before
# each write so that only the write makes it stale).
first_dashboard_ms() { # BASE TOKEN
  local base=$1 tok=$2 id code url="$1${ROWPATH[dashboard]}" n=0
  for id in $(submitted_reports "$base" "$tok" 3); do
    curl -s -o /dev/null -H "Authorization: Bearer $tok" "$url"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
      -d '{"decision":"approve"}' "$base/api/v1/reports/$id/review")
    [ "$code" = 200 ] || continue
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $tok" -H 'Accept-Encoding: gzip' "$url" | awk '{printf "%.1f\n", $1 * 1000}'
    n=$((n + 1))
  done | median
}
issue21_rows() { # STORE DBURL BASE OFFICE_TOKEN
  local store=$1 url=$2 base=$3 tok=$4 cookie row
  # Bearer token against session cookie, the same list
  RES[$store:list_token]=$(GUATU_TOKEN=$tok run_wrk "$base$LIST25" bench/auth.lua)
  drain
  cookie=$(login_cookie "$base")
  if [ -n "$cookie" ]; then
    RES[$store:list_cookie]=$(GUATU_COOKIE=$cookie run_wrk "$base$LIST25" bench/cookie.lua)
  else
    RES[$store:list_cookie]="n/a (login failed)"
  fi
  log "$store $LIST25 token ${RES[$store:list_token]}, cookie ${RES[$store:list_cookie]}"
  drain
  # the first dashboard after a write, and the raw scan it is measured against
  X[$store:dash]=$(first_dashboard_ms "$base" "$tok")
  X[$store:scan]=$(raw_scan_ms "$store" "$url")
  log "$store first dashboard after a write: ${X[$store:dash]:-n/a} ms; raw scan ${X[$store:scan]:-n/a} ms"
  # the mixed load
  local wid wver wpid wout="$WORK/writer.$store"
  wid=$(submitted_reports "$base" "$tok" 10 | tail -1)
  wver=$([ -n "$wid" ] && curl -s -H "Authorization: Bearer $tok" "$base/api/v1/reports/$wid" | jq -r '.version // empty' 2>/dev/null)
  if [ -z "$wver" ]; then
    X[$store:writes]="n/a (no report waiting for review to correct)"
    return 0
  fi
  # the writer: one PATCH every 100 ms (bench/writer.lua), stopped with SIGINT so that wrk prints its counts
  GUATU_TOKEN=$tok BENCH_REPORT=$wid BENCH_REPORT_VERSION=$wver \
    wrk -t1 -c1 -d3600s --timeout 30s --latency -s bench/writer.lua "$base/api/v1/reports/$wid" >"$wout" 2>&1 &
  wpid=$!
  PIDS+=("$wpid")
  for row in "${ROWS[@]}"; do
    case $row in write | login) continue ;; esac
    [[ ${RES[$store:$row]:-n/a} == n/a* ]] && continue
    local t=$tok
    [ "$row" = households_unit ] && t=$unit_token
    RES[$store:mix:$row]=$(GUATU_TOKEN=$t run_wrk "$base${ROWPATH[$row]% (*}" bench/auth.lua)
    log "$store $row with writes: ${RES[$store:mix:$row]}"
  done
  kill -INT "$wpid" 2>/dev/null
  wait "$wpid" 2>/dev/null
  X[$store:writes]="$(awk '/requests in/{print $1}' "$wout") PATCHes (p99 $(awk '$1=="99%"{print $2}' "$wout" | to_ms) ms), $(awk '/Non-2xx or 3xx responses:/{print $NF}' "$wout" | grep . || echo 0) not 2xx"
  drain
}
# `guatu check rollups` (issue 21's roll-ups) after the write load, when the
# binary has the command.
check_rollups() { # DBURL
  if ! "$BIN" help 2>&1 | grep -q 'check rollups'; then
    echo "n/a (command missing)"
    return
  fi
  local out rc
  out=$("$BIN" check rollups --db "$1" 2>&1)
  rc=$?
  echo "exit $rc: $(printf '%s' "$out" | tail -3 | tr '\n' ' ' | cut -c1-200)"
}

http_rows() { # STORE DBURL
  local store=$1 url=$2
  start_server "$url" || return 1
  local base="http://127.0.0.1:$PORT"
  export GUATU_TOKEN
  GUATU_TOKEN=$("$BIN" token create --user office --name bench --db "$url" 2>"$WORK/token.err")
  if [ -z "$GUATU_TOKEN" ]; then cat "$WORK/token.err"; return 1; fi
  local office_token=$GUATU_TOKEN unit_token=""
  [ -n "$LAND_USER" ] && unit_token=$("$BIN" token create --user "$LAND_USER" --name bench --db "$url" 2>>"$WORK/token.err")
  export BENCH_PERIOD=$PERIOD BENCH_PROJECTS=$NPROJ
  curl -s "$base/api/v1/openapi.json" >"$WORK/openapi.json"
  for row in "${ROWS[@]}"; do
    # issue 21's rows go before the write and login rows: a login row leaves
    # Argon2id hashes queued that would starve the next row
    [ "$row" = write ] && issue21_rows "$store" "$url" "$base" "$office_token"
    local lua=bench/auth.lua path=${ROWPATH[$row]}
    GUATU_TOKEN=$office_token
    case $row in
      write) lua=bench/report.lua; path="/api/v1/projects/1/reports" ;;
      login) lua=bench/login.lua; path="/api/v1/session" ;;
      households_unit) path="/api/v1/households?per_page=20"
        if [ -z "$unit_token" ]; then RES[$store:$row]="n/a (no land data)"; continue; fi
        GUATU_TOKEN=$unit_token ;;
    esac
    # an endpoint this binary does not have yet is a row, not a failure
    if ! grep -qF "\"${ROUTE[$row]}\"" "$WORK/openapi.json"; then
      RES[$store:$row]="n/a (endpoint missing)"
      log "$store $row: endpoint missing"
      continue
    fi
    if [ "$row" = write ]; then
      # One report per project and period: a run longer than the projects
      # last would turn into 409 duplicates, so the write row runs 5 s.
      RES[$store:$row]=$(DUR=5s run_wrk "$base$path" "$lua")
    else
      RES[$store:$row]=$(run_wrk "$base$path" "$lua")
    fi
    log "$store $row: ${RES[$store:$row]} (req/s|p99 ms|non-2xx|requests)"
    drain
  done
  RSS[$store]=$(awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$SPID/status")
  stop_server
  X[$store:rollups]=$(check_rollups "$url")
}
declare -A RSS

# ---- nginx: the ceiling ----------------------------------------------------
log "nginx: a 2 KB static file"
mkdir -p "$WORK/www" "$WORK/nginx"
head -c 2048 /dev/urandom | base64 -w 0 | head -c 2048 >"$WORK/www/static.txt"
NGPORT=$(free_port)
cat >"$WORK/nginx.conf" <<EOF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$NGPORT; root $WORK/www; }
}
EOF
NGINX_RPS=0 NGINX_P99="?"
if nginx -c "$WORK/nginx.conf" -p "$WORK" 2>"$WORK/nginx/start.err"; then
  sleep 0.3
  IFS='|' read -r NGINX_RPS NGINX_P99 _ _ < <(run_wrk "http://127.0.0.1:$NGPORT/static.txt" bench/auth.lua)
  kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  rm -f "$WORK/nginx.pid"
else
  cat "$WORK/nginx/start.err"
fi
log "nginx: $NGINX_RPS req/s, p99 $NGINX_P99 ms"

# ---- SQLite: HTTP rows ----------------------------------------------------
log "SQLite: HTTP rows against $SCALE ($NPROJ projects), wrk -t$THREADS -c$CONNS -d$DUR"
http_rows sqlite "$DB"

# ---- overload ------------------------------------------------------------
log "overload: --max-connections 64, wrk -c 512"
start_server "$DB" --max-connections 64
OV_BASE="http://127.0.0.1:$PORT"
wrk -t$THREADS -c512 -d"$DUR" --timeout 30s --latency -s bench/overload.lua "$OV_BASE/api/v1/projects?level=province&stage=construction&per_page=20" >"$WORK/overload.txt" 2>&1 &
WRKPID=$!
wait $WRKPID
OV_TOTAL=$(awk '/requests in/{print $1}' "$WORK/overload.txt")
OV_NON2XX=$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$WORK/overload.txt")
OV_503=$(awk '/^shed-503:/{print $2}' "$WORK/overload.txt")
RETRY_AFTER=$(awk '/^retry-after:/{print $2}' "$WORK/overload.txt")
OV_ERRS=$(awk '/Socket errors:/{print}' "$WORK/overload.txt" | sed 's/^ *//')
ALIVE=no; kill -0 "$SPID" 2>/dev/null && ALIVE=yes
IFS='|' read -r REC_RPS REC_P99 REC_NON2XX _ < <(run_wrk "$OV_BASE/api/v1/projects?level=province&stage=construction&per_page=20" bench/auth.lua)
stop_server
log "overload: ${OV_TOTAL:-0} requests, ${OV_NON2XX:-0} non-2xx, Retry-After '${RETRY_AFTER}', alive $ALIVE; recovery $REC_RPS req/s, ${REC_NON2XX:-0} non-2xx"

# ---- cold start ----------------------------------------------------------
log "cold start: process start → first 200 on /health, 10 runs"
COLD=()
for i in $(seq 1 10); do
  p=$(free_port)
  t0=$(date +%s%N)
  "$BIN" serve --db "$DB" --listen "127.0.0.1:$p" --quiet >>"$WORK/server.log" 2>&1 &
  cp_pid=$!
  for _ in $(seq 1 5000); do curl -sf -o /dev/null "http://127.0.0.1:$p/api/v1/health" && break; sleep 0.002; done
  t1=$(date +%s%N)
  kill $cp_pid; wait $cp_pid 2>/dev/null
  COLD+=($(( (t1 - t0) / 1000000 )))
done
COLD_MS=$(printf '%s\n' "${COLD[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
log "cold start median ${COLD_MS} ms (${COLD[*]})"

# ---- weekly report PDF ---------------------------------------------------
WEEK=2026-W46
if "$BIN" report --help >/dev/null 2>&1; then
  t0=$(ms_now)
  # --timings: each step's wall and CPU time, in the log (where a slow run spends it)
  if "$BIN" report weekly --week $WEEK --format pdf --out "$WORK/weekly.pdf" --db "$DB" --timings >"$WORK/weekly.log" 2>&1; then
    PDF_S=$(awk -v a="$t0" -v b="$(ms_now)" 'BEGIN{printf "%.2f", (b-a)/1000}')
    grep -E ' wall .* cpu ' "$WORK/weekly.log" >&2
    PDF_KB=$(( $(stat -c %s "$WORK/weekly.pdf") / 1024 ))
    PDF="${PDF_S} s (${PDF_KB} KB)"
  else
    PDF="failed: $(tail -1 "$WORK/weekly.log")"
  fi
else
  PDF="n/a (command missing)"
fi
log "weekly PDF: $PDF"

# ---- XLSX import of the whole project library -----------------------------
IMPORT="n/a (command missing)" IMPORT_S=""
if "$BIN" import --help >/dev/null 2>&1 && "$BIN" export --help >/dev/null 2>&1; then
  log "export $NPROJ projects to XLSX, import them into a copy without projects"
  t0=$(ms_now)
  "$BIN" export projects --format xlsx --out "$WORK/projects.xlsx" --db "$SRC_DB" >"$WORK/export.log" 2>&1
  EXPORT_S=$(awk -v a="$t0" -v b="$(ms_now)" 'BEGIN{printf "%.1f", (b-a)/1000}')
  # units and users stay (the import looks them up by name); every table
  # that hangs off projects is emptied (foreign keys off: a plain truncate)
  cp "$SRC_DB" "$WORK/import.db"
  {
    echo "PRAGMA foreign_keys=OFF; BEGIN;"
    sqlite3 "$WORK/import.db" "SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
      WHERE m.type = 'table' AND f.\"table\" IN ('projects', 'nodes', 'reports', 'problems', 'tasks', 'meetings', 'agenda_items')" |
      sed 's/.*/DELETE FROM &;/'
    echo "DELETE FROM projects; COMMIT; VACUUM;"
  } | sqlite3 "$WORK/import.db"
  t0=$(ms_now)
  if "$BIN" import projects "$WORK/projects.xlsx" --db "$WORK/import.db" >"$WORK/import.log" 2>&1; then
    IMPORT_S=$(awk -v a="$t0" -v b="$(ms_now)" 'BEGIN{printf "%.1f", (b-a)/1000}')
    IMPORT="$IMPORT_S s ($(sqlite3 "$WORK/import.db" 'SELECT COUNT(*) FROM projects') projects; export took $EXPORT_S s)"
  else
    IMPORT="failed: $(tail -3 "$WORK/import.log" | tr '\n' ' ')"
  fi
  rm -f "$WORK/import.db"
fi
log "import: $IMPORT"

# ---- PostgreSQL ------------------------------------------------------------
GEN_PG_S="" PG_VERSION=""
if [ "${BENCH_SKIP_PG:-0}" != 1 ]; then
  log "PostgreSQL: private server, guatu gen --scale $SCALE into it"
  if PGURL=$(scripts/pg-test-server.sh start "$PGDIR/pg"); then
    PG_STARTED=1
    PGPORT=$(cat "$PGDIR/pg/port")
    createdb -h 127.0.0.1 -p "$PGPORT" -U guatu bench
    PG_VERSION=$(psql -h 127.0.0.1 -p "$PGPORT" -U guatu -d bench -Atc 'SHOW server_version' | awk '{print $1}')
    t0=$(ms_now)
    if "$BIN" gen --scale "$SCALE" --db "$PGURL/bench" >"$WORK/gen-pg.out" 2>"$WORK/gen-pg.err"; then
      GEN_PG_S=$(awk -v a="$t0" -v b="$(ms_now)" 'BEGIN{printf "%.1f", (b-a)/1000}')
      log "PostgreSQL dataset in $GEN_PG_S s"
      http_rows pg "$PGURL/bench"
    else
      tail -5 "$WORK/gen-pg.err"
    fi
  fi
fi

# ---- the table ---------------------------------------------------------------
BIN_KB=$(( $(stat -c %s "$BIN") / 1024 ))
STRIPPED_KB=$(strip -o "$WORK/guatu.stripped" "$BIN" 2>/dev/null && echo $(( $(stat -c %s "$WORK/guatu.stripped") / 1024 )))
cell() { # STORE ROW → "req/s · p99"
  local v=${RES[$1:$2]:-}
  [ -z "$v" ] && { echo "—"; return; }
  [[ $v == n/a* ]] && { echo "$v"; return; }
  IFS='|' read -r rps p99 non2xx total <<<"$v"
  local s="$rps req/s · p99 $p99 ms"
  [ "${non2xx:-0}" != 0 ] && s="$s · $non2xx non-2xx of $total"
  echo "$s"
}
ok() { # STORE ROW → ✓ / ✗ / blank
  local v=${RES[$1:$2]:-}
  [ -z "$v" ] || [[ $v == n/a* ]] && { echo ""; return; }
  IFS='|' read -r rps p99 non2xx total <<<"$v"
  case $2 in
    health) awk -v a="$rps" -v b="$NGINX_RPS" 'BEGIN{print (b > 0 && a >= 0.5 * b) ? "✓" : "✗"}' ;;
    dashboard) awk -v p="$p99" 'BEGIN{print (p < 50) ? "✓" : "✗"}' ;;
    write) awk -v a="$rps" -v n="${non2xx:-0}" 'BEGIN{print (a >= 1000 && n == 0) ? "✓" : "✗"}' ;;
    login) echo "" ;; # informational: the cost is the Argon2id setting
    landprogress|approvalstats|finstats|attractionstats|open311) awk -v p="$p99" -v n="${non2xx:-0}" 'BEGIN{print (p < 50 && n == 0) ? "✓" : "✗"}' ;;
    *) awk -v p="$p99" -v n="${non2xx:-0}" 'BEGIN{print (p < 10 && n == 0) ? "✓" : "✗"}' ;;
  esac
}
ratio() { # STORE → guatu/nginx for /health
  local v=${RES[$1:health]:-}
  [ -z "$v" ] || [[ $v == n/a* ]] && { echo "—"; return; }
  awk -v a="${v%%|*}" -v b="$NGINX_RPS" 'BEGIN{ if (b > 0) printf "%.0f%%", 100 * a / b; else print "—"}'
}
MODEL=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)
SQLITE_VERSION=$(sqlite3 --version | awk '{print $1}')
DBSIZE=$(( $(stat -c %s "$SRC_DB") / 1048576 ))
{
  echo "# guatu benchmark — $SCALE dataset"
  echo
  echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'). How to read it: docs/bench.md."
  echo
  echo "Machine: $(nproc) × $MODEL, $MEM RAM, Linux $(uname -r); SQLite $SQLITE_VERSION; PostgreSQL ${PG_VERSION:-not run}."
  echo "Load: wrk -t$THREADS -c$CONNS -d$DUR --latency from a second process on loopback; the server: \`guatu serve --quiet\` (4 threads)."
  echo "Dataset: \`guatu gen --scale $SCALE\` — $(sqlite3 "$SRC_DB" "SELECT (SELECT COUNT(*) FROM projects) || ' projects, ' || (SELECT COUNT(*) FROM nodes) || ' nodes, ' || (SELECT COUNT(*) FROM reports) || ' reports, ' || (SELECT COUNT(*) FROM units) || ' units, ' || (SELECT COUNT(*) FROM users) || ' users'"); SQLite file $DBSIZE MB."
  echo "The new modules' lists in it: $(for tn in land_households:households approvals:approvals leads:leads enterprises:enterprises \
    enterprise_requests:requests questions:questions fin_needs:'financing needs'; do
    n=$(sqlite3 "$SRC_DB" "SELECT COUNT(*) FROM ${tn%%:*}" 2>/dev/null) || n="no table"
    printf '%s %s, ' "${tn#*:}" "$n"
  done | sed 's/, $/./')"
  echo
  echo "| what | SQLite | PostgreSQL | target | met (SQLite / PG) |"
  echo "|---|---|---|---|---|"
  echo "| nginx, 2 KB static file (the ceiling) | $NGINX_RPS req/s · p99 $NGINX_P99 ms | | | |"
  for row in "${ROWS[@]}"; do
    label="${ROWPATH[$row]}"
    [ "$row" = write ] && label="POST a new progress report ($PERIOD, full durability)"
    [ "$row" = login ] && label="POST /api/v1/session (login, Argon2id)"
    echo "| \`$label\` | $(cell sqlite "$row") | $(cell pg "$row") | ${ROWTARGET[$row]} | $(ok sqlite "$row") / $(ok pg "$row") |"
  done
  echo "| guatu/nginx req/s, \`/api/v1/health\` | $(ratio sqlite) | $(ratio pg) | ≥ 50% | $(ok sqlite health) / $(ok pg health) |"
  echo "| server RSS after the run | ${RSS[sqlite]:-?} MB | ${RSS[pg]:-—} MB | < 300 MB | $(awk -v a="${RSS[sqlite]:-999}" 'BEGIN{print a < 300 ? "✓" : "✗"}') / $([ -n "${RSS[pg]:-}" ] && awk -v a="${RSS[pg]}" 'BEGIN{print a < 300 ? "✓" : "✗"}') |"
  echo "| \`guatu gen --scale $SCALE\` | ${GEN_SQLITE_S} s | ${GEN_PG_S:-—} s | well under 120 s | $(awk -v a="$GEN_SQLITE_S" 'BEGIN{print (a+0 > 0 && a < 120) ? "✓" : ""}') / $([ -n "$GEN_PG_S" ] && awk -v a="$GEN_PG_S" 'BEGIN{print a < 120 ? "✓" : "✗"}') |"
  echo "| XLSX import of the project library | $IMPORT | | < 10 s | $([ -n "$IMPORT_S" ] && awk -v a="$IMPORT_S" 'BEGIN{print a < 10 ? "✓" : "✗"}') |"
  echo "| weekly dispatch report PDF, whole $SCALE (\`guatu report weekly --week $WEEK\`) | $PDF | | | |"
  echo "| cold start (process start → first 200 on /health, median of 10) | ${COLD_MS} ms | | < 200 ms | $(awk -v a="$COLD_MS" 'BEGIN{print a < 200 ? "✓" : "✗"}') |"
  echo "| binary size | ${BIN_KB} KB (${STRIPPED_KB:-?} KB stripped) | | | |"
  # issue 21's rows
  fig() { local v=${X[$1]:-}; echo "${v:-n/a}"; }
  dash_cell() { # STORE
    local d=${X[$1:dash]:-} s=${X[$1:scan]:-}
    [ -z "$d" ] && { echo "n/a"; return; }
    [ -z "$s" ] && { echo "dashboard $d ms · scan n/a"; return; }
    awk -v d="$d" -v s="$s" 'BEGIN{printf "dashboard %s ms · raw scan %s ms · ratio %.2f", d, s, (s > 0) ? d / s : 0}'
  }
  dash_ok() { # STORE
    local d=${X[$1:dash]:-} s=${X[$1:scan]:-}
    [ -n "$d" ] && [ -n "$s" ] && awk -v d="$d" -v s="$s" 'BEGIN{print (d <= s / 10) ? "✓" : "✗"}'
  }
  vs_nginx() { # STORE ROW → "0.42× nginx"
    local v=${RES[$1:$2]:-}
    [ -z "$v" ] || [[ $v == n/a* ]] && { echo "${v:-—}"; return; }
    awk -v a="${v%%|*}" -v b="$NGINX_RPS" 'BEGIN{if (b > 0) printf "%.2f× nginx", a / b; else print "—"}'
  }
  half_nginx() { # STORE ROW
    local v=${RES[$1:$2]:-}
    [ -z "$v" ] || [[ $v == n/a* ]] || [ "${NGINX_RPS:-0}" = 0 ] && return
    awk -v a="${v%%|*}" -v b="$NGINX_RPS" 'BEGIN{print (a >= 0.5 * b) ? "✓" : "✗"}'
  }
  echo "| first (uncached) dashboard after a write (an approval) vs raw per-unit scan of $LAST_PERIOD's approved reports | $(dash_cell sqlite) | $(dash_cell pg) | ≤ 1/10 of the scan | $(dash_ok sqlite) / $(dash_ok pg) |"
  for how in token cookie; do
    label="\`$LIST25\`, Bearer token"
    [ $how = cookie ] && label="\`$LIST25\`, session cookie"
    echo "| $label | $(cell sqlite list_$how) · $(vs_nginx sqlite list_$how) | $(cell pg list_$how) · $(vs_nginx pg list_$how) | ≥ 0.5× nginx req/s | $(half_nginx sqlite list_$how) / $(half_nginx pg list_$how) |"
  done
  tc() { # STORE → token req/s ÷ cookie req/s
    local a=${RES[$1:list_token]:-} b=${RES[$1:list_cookie]:-}
    [ -z "$a" ] || [ -z "$b" ] || [[ $a == n/a* ]] || [[ $b == n/a* ]] && { echo "—"; return; }
    awk -v a="${a%%|*}" -v b="${b%%|*}" 'BEGIN{if (b > 0) printf "%.2f", a / b; else print "—"}'
  }
  echo "| Bearer token ÷ session cookie req/s, \`$LIST25\` | $(tc sqlite) | $(tc pg) | ≥ 1 (a token as fast as a session) | |"
  echo "| \`guatu check rollups\` after the write load | $(fig sqlite:rollups) | $(fig pg:rollups) | no difference | |"
  echo
  echo "**Mixed load**: every read row again (wrk -c$CONNS -d$DUR) while a report is corrected (PATCH) every 100 ms beside it — SQLite: $(fig sqlite:writes); PostgreSQL: $(fig pg:writes)."
  echo
  echo "| read row | SQLite p99 alone | SQLite p99 with writes | PostgreSQL p99 alone | PostgreSQL p99 with writes | target | met (SQLite / PG) |"
  echo "|---|---|---|---|---|---|---|"
  p99of() { local v=${RES[$1]:-}; [ -z "$v" ] && { echo "—"; return; }; [[ $v == n/a* ]] && { echo "$v"; return; }; IFS='|' read -r _ p n t <<<"$v"; [ "${n:-0}" != 0 ] && echo "$p ms · $n non-2xx of $t" || echo "$p ms"; }
  mixok() { local v=${RES[$1]:-}; [ -z "$v" ] || [[ $v == n/a* ]] && return; IFS='|' read -r _ p n _ <<<"$v"; awk -v p="$p" -v n="${n:-0}" 'BEGIN{print (p < 10 && n == 0) ? "✓" : "✗"}'; }
  for row in "${ROWS[@]}"; do
    case $row in write | login) continue ;; esac
    [ -z "${RES[sqlite:mix:$row]:-}${RES[pg:mix:$row]:-}" ] && continue
    echo "| \`${ROWPATH[$row]}\` | $(p99of "sqlite:$row") | $(p99of "sqlite:mix:$row") | $(p99of "pg:$row") | $(p99of "pg:mix:$row") | p99 < 10 ms | $(mixok "sqlite:mix:$row") / $(mixok "pg:mix:$row") |"
  done
  echo
  echo "**Overload** (\`guatu serve --max-connections 64\`, wrk -c 512 -d$DUR on the project list): ${OV_TOTAL:-0} requests, ${OV_NON2XX:-0} answered non-2xx, ${OV_503:-0} of them 503, ${OV_ERRS:-no socket errors}; a 503 carried \`Retry-After: ${RETRY_AFTER:-(none seen)}\`; server still up: $ALIVE. Right after, a normal run (-c$CONNS): $REC_RPS req/s, p99 $REC_P99 ms, ${REC_NON2XX:-0} non-2xx."
  echo
  [ -f bench/analysis.md ] && cat bench/analysis.md
} >"$OUT.new"
mv "$OUT.new" "$OUT"
echo
cat "$OUT"
