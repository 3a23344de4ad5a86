#!/usr/bin/env bash
# Fault tests: under steady load, SIGKILL the reducer, a web server, and this script's own
# nats-server (restarted on its store), one at a time. After recovery every 202 must be counted
# exactly once, and live (SSE) clients must see the newest state. Bounded: about a minute.
# Loopback only. The last line is "N passed, N failed".
#
#   scripts/faults.sh [path/to/the-button [path/to/loadgen]]      (default: the debug builds)
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
BIN="${1:-$TARGET_DIR/debug/the-button}"
[ -x "$BIN" ] || { echo "no binary at $BIN (build it first)"; exit 1; }
LOADGEN="${2:-$(dirname "$BIN")/loadgen}"
[ -x "$LOADGEN" ] || { echo "no load generator at $LOADGEN (cargo build -p loadgen)"; exit 1; }

run="$(date +%s)_$$"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NATS_PORT="$(free_port)"
WEB_PORT="$(free_port)"
# PostgreSQL where scripts/services.sh says it is (the test command), else the standard place.
BUTTON_PG_URL="${BUTTON_PG_URL:-postgres://postgres@127.0.0.1:5432}"
export DATABASE_URL="$BUTTON_PG_URL/button_faults_$run"
export NATS_URL="nats://127.0.0.1:$NATS_PORT"
export BUTTON_NAMESPACE="faults_$run"
export BUTTON_POW_SECRET="fault tests' secret $run, not for production"
export BUTTON_RULES="server/bench-rules.json"
export BUTTON_TRUSTED_PROXIES="127.0.0.1"
export BUTTON_RATE_LIMIT_PER_SECOND=100000 BUTTON_RATE_LIMIT_BURST=100000
# The difficulty policy off: the load generator's players are a few /24s that would pay the
# flood's price (the policy has its own test, server/tests/integration/difficulty.rs).
export BUTTON_DIFFICULTY_GAME_LEVELS="" BUTTON_DIFFICULTY_NETWORK_LEVELS=""
export BUTTON_WATCHER_INTERVAL_MS=200
export LEPTOS_OUTPUT_NAME=the-button LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$WEB_PORT"
export RUST_LOG=warn

passed=0 failed=0
check() { # name, then a command that succeeds when the check passes
  local name="$1"; shift
  if "$@"; then echo "PASS $name"; passed=$((passed + 1)); else echo "FAIL $name"; failed=$((failed + 1)); fi
}
psql_value() { psql -qAt "$DATABASE_URL" -c "$1"; }
wait_ready() {
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$WEB_PORT/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
start_nats() { /usr/sbin/nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$work/nats" >"$work/nats.log" 2>&1 & NATS_PID=$!; sleep 0.5; }
start_web() { "$BIN" serve >>"$work/web.log" 2>&1 & WEB_PID=$!; }
start_reducer() { "$BIN" reducer >>"$work/reducer.log" 2>&1 & REDUCER_PID=$!; }
cleanup() {
  { kill -9 "${LOAD_PID:-}" "${WEB_PID:-}" "${REDUCER_PID:-}" "${WATCHER_PID:-}" "${NATS_PID:-}"
    wait; } 2>/dev/null
  psql -q "$BUTTON_PG_URL/postgres" -c "DROP DATABASE IF EXISTS button_faults_$run WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

start_nats
"$BIN" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; echo "0 passed, 1 failed"; exit 1; }
start_web
start_reducer
"$BIN" watcher >"$work/watcher.log" 2>&1 & WATCHER_PID=$!
wait_ready || { echo "the game did not start"; echo "0 passed, 1 failed"; exit 1; }

# Steady load for 30 s; its own final check says whether every 202 is in PostgreSQL once.
"$LOADGEN" --json press --url "http://127.0.0.1:$WEB_PORT" --rate 150 --seconds 30 --count 100000 \
  --players 2000 --in-flight 200 >"$work/load.json" 2>"$work/load.log" & LOAD_PID=$!

{
  sleep 5;  echo "-- SIGKILL the reducer";    kill -9 "$REDUCER_PID"; sleep 2; start_reducer
  sleep 5;  echo "-- SIGKILL the web server"; kill -9 "$WEB_PID";     sleep 1; start_web; wait_ready
  sleep 5;  echo "-- SIGKILL nats-server";    kill -9 "$NATS_PID";    sleep 2; start_nats; wait_ready
} 2>/dev/null
wait "$LOAD_PID"; load_status=$?; LOAD_PID=
cat "$work/load.log" "$work/load.json"; echo

accepted=$(report_value "$work/load.json" accepted)
# Presses sent while a process died may have been stored without an answer: they count too.
unanswered_taken=$(report_value "$work/load.json" unanswered.taken)
check "the load kept being accepted through the faults (${accepted:-0} presses)" test "${accepted:-0}" -gt 1000
check "every 202 is in PostgreSQL exactly once, no refused press was taken (load generator's check)" \
  test "$load_status" -eq 0
rows=$(psql_value "SELECT count(*) FROM presses")
counter=$(psql_value "SELECT coalesce(max(counter), 0) FROM states")
seqs=$(psql_value "SELECT count(DISTINCT seq) FROM presses")
expected=$(( ${accepted:-0} + ${unanswered_taken:-0} ))
check "counter ($counter) = presses rows ($rows) = 202s (${accepted:-0}) + unanswered but taken (${unanswered_taken:-?})" \
  test "$counter" = "$rows" -a "$rows" = "$expected" -a -n "$unanswered_taken"
check "no seq applied twice ($seqs distinct of $rows)" test "$seqs" = "$rows"
# Players' totals are written in the presses' transaction: through every kill they add up.
players_off=$(psql_value "SELECT count(*) FROM (SELECT player, count(*) AS n FROM presses
  WHERE player IS NOT NULL GROUP BY player) p FULL JOIN players USING (player)
  WHERE p.n IS DISTINCT FROM players.presses")
player_presses=$(psql_value "SELECT coalesce(sum(presses), 0) FROM players")
check "every player's total is their presses ($player_presses presses by players, $players_off off)" \
  test "$players_off" = 0 -a "$player_presses" -gt 0
# The leaderboards are the reducer's tally, written once the stream is quiet (or every few seconds):
# wait for it (at most 10 s) before comparing them with the presses.
for _ in $(seq 1 100); do
  [ "$(psql_value "SELECT count(*) FROM presses WHERE seq > (SELECT through_seq FROM tallied)")" = 0 ] && break
  sleep 0.1
done
minutes_off=$(psql_value "SELECT count(*) FROM (SELECT applied_at_ms - applied_at_ms % 60000 AS minute_ms,
  count(*) AS n FROM presses GROUP BY 1) p FULL JOIN (SELECT * FROM minutes WHERE presses > 0) m
  USING (minute_ms) WHERE p.n IS DISTINCT FROM m.presses")
scores_off=$(psql_value "SELECT count(*) FROM (SELECT player, count(*) AS n FROM presses
  WHERE player IS NOT NULL GROUP BY player) p FULL JOIN (SELECT * FROM scores
  WHERE period = 'all' AND board = 'presses') s USING (player) WHERE p.n IS DISTINCT FROM s.score")
check "the game's memory adds up: every minute's presses and every player's score ($minutes_off, $scores_off off)" \
  test "$minutes_off" = 0 -a "$scores_off" = 0
newest=$(psql_value "SELECT max(id) FROM states")
first_event=$(curl -sN --max-time 2 "http://127.0.0.1:$WEB_PORT/v1/states/stream" | sed -n 's/^id: *//p' | head -1)
check "a live client resumes at the newest state ($first_event = $newest)" test "${first_event:-x}" = "$newest"
resumed=$(curl -sN --max-time 2 -H "Last-Event-ID: $newest" "http://127.0.0.1:$WEB_PORT/v1/states/stream" | grep -c '^id:')
check "a client that has the newest state gets no repeat" test "$resumed" -eq 0

# Stop everything first, so that the summary is the last line.
cleanup
trap - EXIT
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
