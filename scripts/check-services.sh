#!/usr/bin/env bash
# The bare-machine path of scripts/services.sh, for real: with PostgreSQL and NATS wanted on two
# free ports where nothing listens, and a data folder of its own (not the checkout's .services/),
# it must start private ones there, use them again when sourced again (and another shell must
# not stop them), run the game on them (`the-button all` until /health/ready answers 200 and
# GET /v1/states/current answers), then stop them: both ports free again, no process left.
# Bounded: every wait has a deadline. Loopback only. Exits non-zero at the first failure.
#
#   scripts/check-services.sh [path/to/the-button]      (default: the debug build)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/env.sh
BIN="${1:-$TARGET_DIR/debug/the-button}"
[ -x "$BIN" ] || { echo "no binary at $BIN (build it first)"; exit 1; }

run="$(date +%s)_$$"
work="$(mktemp -d)"
# As root the private PostgreSQL runs as the postgres user, which must reach its folder.
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PG_PORT="$(free_port)"
NATS_PORT="$(free_port)"
WEB_PORT="$(free_port)"
while [ "$NATS_PORT" = "$PG_PORT" ]; do NATS_PORT="$(free_port)"; done
while [ "$WEB_PORT" = "$PG_PORT" ] || [ "$WEB_PORT" = "$NATS_PORT" ]; do WEB_PORT="$(free_port)"; done
export BUTTON_PG_PORT="$PG_PORT" BUTTON_NATS_PORT="$NATS_PORT" BUTTON_SERVICES_DIR="$work/services"
# Whatever the calling script found is not this check's.
unset BUTTON_PG_URL NATS_URL DATABASE_URL

passed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() {
  echo "FAIL $*"
  for log in postgres.log nats.log initdb.log; do
    [ -s "$work/services/$log" ] && { echo "--- $log"; tail -n 20 "$work/services/$log"; }
  done
  [ -s "$work/game.log" ] && { echo "--- the game's log"; tail -n 30 "$work/game.log"; }
  echo "check-services: $passed passed, 1 failed"
  exit 1
}
# Bounded waits: tries a command every 0.2 s, COUNT times.
within() { # count command...
  local count="$1"; shift
  for _ in $(seq 1 "$count"); do "$@" && return 0; sleep 0.2; done
  return 1
}
# Whether the process runs (an exited child not yet reaped, a zombie, does not).
runs() { [ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
pg_pid() { sed -n 1p "$work/services/postgres/postmaster.pid" 2>/dev/null; }
nats_pid() { cat "$work/services/nats.pid" 2>/dev/null; }
# Whatever happens, nothing of this check is left running.
cleanup() {
  if runs "${GAME_PID:-}"; then kill -9 "$GAME_PID"; wait "$GAME_PID"; fi 2>/dev/null
  declare -F stop_private_services >/dev/null && stop_private_services 2>/dev/null
  # After a failed stop: by the pids the services wrote, never by name.
  for pid in "$(nats_pid)" "$(pg_pid)"; do
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$work/"; then
      kill -9 "$pid" 2>/dev/null
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

listening "$PG_PORT" && fail "port $PG_PORT was meant to be free"
listening "$NATS_PORT" && fail "port $NATS_PORT was meant to be free"

# ---- up: private ones on the wanted ports
source scripts/services.sh || fail "scripts/services.sh did not bring PostgreSQL and NATS up"
[ "$BUTTON_PG_URL" = "postgres://postgres@127.0.0.1:$PG_PORT" ] \
  || fail "BUTTON_PG_URL is $BUTTON_PG_URL, not on the wanted port $PG_PORT"
[ "$NATS_URL" = "nats://127.0.0.1:$NATS_PORT" ] || fail "NATS_URL is $NATS_URL, not on the wanted port $NATS_PORT"
pg="$(pg_pid)"
[ -f "$work/services/postgres/PG_VERSION" ] && runs "$pg" \
  && [ "$(sed -n 4p "$work/services/postgres/postmaster.pid")" = "$PG_PORT" ] \
  || fail "no private PostgreSQL runs from $work/services/postgres on port $PG_PORT"
pass "a private PostgreSQL (pid $pg) runs from the data folder on port $PG_PORT"
nats="$(nats_pid)"
runs "$nats" && tr '\0' ' ' <"/proc/$nats/cmdline" | grep -qF -- "-p $NATS_PORT -js -sd $work/services/nats" \
  || fail "no private nats-server runs with JetStream from $work/services/nats on port $NATS_PORT"
nats_state "$NATS_PORT" || fail "the NATS on port $NATS_PORT does not say JetStream is on"
pass "a private nats-server with JetStream (pid $nats) runs from the data folder on port $NATS_PORT"
if command -v psql >/dev/null; then
  [ "$(PGCONNECT_TIMEOUT=5 psql -qAt "$BUTTON_PG_URL/postgres" -c 'SELECT 1' 2>&1)" = 1 ] \
    || fail "psql cannot sign in as postgres at $BUTTON_PG_URL without a password"
  pass "psql signs in as postgres without a password"
fi

# ---- again: the same ones, and not another shell's to stop
source scripts/services.sh || fail "scripts/services.sh failed when sourced again"
[ "$(pg_pid)" = "$pg" ] && [ "$(nats_pid)" = "$nats" ] \
  && [ "$BUTTON_PG_URL" = "postgres://postgres@127.0.0.1:$PG_PORT" ] && [ "$NATS_URL" = "nats://127.0.0.1:$NATS_PORT" ] \
  || fail "sourced again, it did not use the same PostgreSQL and NATS"
pass "sourced again, it uses the same ones"
timeout 60 bash -c 'set -euo pipefail; source scripts/services.sh; stop_private_services' 2>"$work/other.log" \
  || { cat "$work/other.log"; fail "another shell could not use them"; }
runs "$pg" && runs "$nats" || fail "another shell that used them stopped them"
pass "another shell uses them and leaves them running"

# ---- the game on them
export DATABASE_URL="$BUTTON_PG_URL/button_check_$run" BUTTON_NAMESPACE="check_$run"
export LEPTOS_OUTPUT_NAME=the-button LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$WEB_PORT" LEPTOS_ENV=DEV RUST_LOG=warn
"$BIN" all >"$work/game.log" 2>&1 &
GAME_PID=$!
ready() { curl -fsS --max-time 2 "http://127.0.0.1:$WEB_PORT/health/ready" >/dev/null 2>&1; }
ready_or_gone() { ready || ! runs "$GAME_PID"; }
within 300 ready_or_gone
runs "$GAME_PID" || fail "the game on them exited"
ready || fail "the game on them did not answer 200 on /health/ready within 60 s"
pass "the game on them is ready (/health/ready: 200)"
status="$(curl -sS --max-time 5 -o "$work/state.json" -w '%{http_code}' "http://127.0.0.1:$WEB_PORT/v1/states/current")"
[ "$status" = 200 ] && grep -q '"server_time_ms"' "$work/state.json" \
  || fail "GET /v1/states/current answered $status: $(head -c 300 "$work/state.json" 2>/dev/null)"
pass "GET /v1/states/current answers 200 with a state"
kill -TERM "$GAME_PID"
game_gone() { ! runs "$GAME_PID"; }
within 150 game_gone || fail "the game did not stop within 30 s of SIGTERM"
wait "$GAME_PID" 2>/dev/null
GAME_PID=

# ---- down: both stopped, the ports free, nothing left
stop_private_services
ports_free() { ! listening "$PG_PORT" && ! listening "$NATS_PORT"; }
within 50 ports_free || fail "the ports are not free after stop_private_services"
! runs "$pg" && ! runs "$nats" || fail "PostgreSQL (pid $pg) or NATS (pid $nats) still runs after stop_private_services"
left="$(pgrep -a -f -- "$work/" || true)"
[ -z "$left" ] || fail "processes left: $left"
pass "stopped: ports $PG_PORT and $NATS_PORT free, no process left"
stop_private_services || fail "stop_private_services failed when called again"
pass "stop_private_services again does nothing"

echo "check-services: $passed passed, 0 failed"
