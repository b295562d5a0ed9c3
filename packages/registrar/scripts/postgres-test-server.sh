#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the SQL store tests (copied from ../shared/peers/postgres-start.sh,
# so the package is self-contained; installs Debian's postgresql when initdb is missing).
#   scripts/postgres-test-server.sh start [PORT]   # default 55432; prints the connection URL on stdout
#   scripts/postgres-test-server.sh stop
# Typical use (CI, or by hand):
#   export TSVOIP_TEST_POSTGRES_URL=$(packages/registrar/scripts/postgres-test-server.sh start)
#   node scripts/run-tests.mjs packages/registrar
#   packages/registrar/scripts/postgres-test-server.sh stop
# PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' user (created by the
# Debian package). Data lives in $PG_TEST_RUN_DIR/pg (default /tmp/tsvoip-registrar-pg) and is deleted by
# stop. Trust auth, loopback only, fsync off (test data only).
set -euo pipefail
RUN_DIR="${PG_TEST_RUN_DIR:-/tmp/tsvoip-registrar-pg}"; DATA="$RUN_DIR/pg"; PORT="${2:-55432}"
find_bin() { dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1)"; }
BIN=$(find_bin)
if [[ ! -x "$BIN/initdb" && "${1:-}" == start ]]; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  echo "postgres-test-server: installing postgresql (apt-get)" >&2
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends postgresql >/dev/null
  # Debian's package starts a cluster on 5432; this script runs its own, so stop that one.
  $SUDO pg_ctlcluster --force "$(ls /usr/lib/postgresql | tail -1)" main stop >/dev/null 2>&1 || true
  BIN=$(find_bin)
fi
[[ -x "$BIN/initdb" ]] || { echo "initdb not found: apt-get install -y postgresql" >&2; exit 2; }
as_pg() { if [[ $(id -u) == 0 ]]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "${1:-}" in
  start)
    mkdir -p "$RUN_DIR"; rm -rf "$DATA"; mkdir -p "$DATA"; [[ $(id -u) == 0 ]] && chown postgres "$DATA" "$RUN_DIR"
    as_pg "'$BIN/initdb' -D '$DATA' -A trust -U postgres >'$DATA.initdb.log' 2>&1"
    as_pg "'$BIN/pg_ctl' -D '$DATA' -l '$DATA/server.log' -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DATA' -c fsync=off\" start >/dev/null"
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    [[ -d "$DATA" ]] && as_pg "'$BIN/pg_ctl' -D '$DATA' -m fast -w stop >/dev/null" || true
    rm -rf "$DATA" "$DATA.initdb.log"
    ;;
  *) echo "usage: $0 start [PORT] | stop" >&2; exit 2 ;;
esac
