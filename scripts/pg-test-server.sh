#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the tests, as a
# non-root user, in a temporary directory.  Prints the URL on stdout.
#   scripts/pg-test-server.sh start DIR   → postgres://guatu@127.0.0.1:PORT
#   scripts/pg-test-server.sh stop DIR
set -euo pipefail
cmd=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
run_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u guatu-test -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  if [ "$(id -u)" -eq 0 ] && ! id guatu-test >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin guatu-test
  fi
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown guatu-test "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
         shuf -i 20000-60000 -n 1)
  run_as "$bin/initdb" -D "$dir/data" -U guatu --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=on -c max_connections=200 -c shared_buffers=128MB" \
    start >/dev/null
  echo "$port" >"$dir/port"
  echo "postgres://guatu@127.0.0.1:$port"
  ;;
stop)
  [ -d "$dir/data" ] && run_as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
esac
