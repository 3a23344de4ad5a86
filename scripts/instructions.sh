#!/usr/bin/env bash
# Instructions the web server spends per press, counted by valgrind's callgrind: repeatable for
# one binary and one load whatever else the machine is doing, so two builds can be compared
# where `scripts/bench.sh`'s CPU seconds swing by more than the difference. The web server runs
# under callgrind (about 50 times slower), a reducer beside it, on a nats-server and a
# PostgreSQL database of their own; counters are zeroed once the server is ready and dumped
# after the load, so start-up is not counted. Takes about a minute.
#
#   scripts/instructions.sh SERVE_BINARY [LOADGEN_BINARY]      (prints instructions per press)
#
# The load generator defaults to the `loadgen` beside the binary. Compare two builds with one:
#   scripts/instructions.sh old/the-button new/loadgen; scripts/instructions.sh new/the-button
# Then `callgrind_annotate` on the kept output (printed) shows where they go.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${1:?the web server binary}"
LOADGEN="${2:-$(dirname "$BIN")/loadgen}"
PRESSES="${PRESSES:-2000}"
RATE="${RATE:-50}"
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian: valgrind)"; exit 1; }
run="$(date +%s)_$$"
work="$(mktemp -d)"
out="${OUT:-$(mktemp -d)/callgrind.out}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NATS_PORT="$(free_port)"; WEB_PORT="$(free_port)"
export NATS_URL="nats://127.0.0.1:$NATS_PORT" BUTTON_RULES=server/bench-rules.json
export BUTTON_TRUSTED_PROXIES=127.0.0.1 BUTTON_RATE_LIMIT_PER_SECOND=1000000 BUTTON_RATE_LIMIT_BURST=1000000
# The difficulty policy off, as in scripts/bench.sh: the press path measured is the same as before it.
export BUTTON_DIFFICULTY_GAME_LEVELS="" BUTTON_DIFFICULTY_NETWORK_LEVELS=""
export LEPTOS_OUTPUT_NAME=the-button LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$WEB_PORT" LEPTOS_ENV=PROD RUST_LOG=warn
export BUTTON_POW_SECRET="instructions-secret-$run-0123456789"
# PostgreSQL where scripts/services.sh says it is, else the standard place.
BUTTON_PG_URL="${BUTTON_PG_URL:-postgres://postgres@127.0.0.1:5432}"
export DATABASE_URL="$BUTTON_PG_URL/button_instr_$run" BUTTON_NAMESPACE="instr_$run"
pids=()
cleanup() {
  { kill -9 "${pids[@]}"; wait; } 2>/dev/null
  psql -q "$BUTTON_PG_URL/postgres" -c "DROP DATABASE IF EXISTS button_instr_$run WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
/usr/sbin/nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$work/nats" >"$work/nats.log" 2>&1 &
pids+=($!); sleep 0.5
"$BIN" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
valgrind --tool=callgrind --callgrind-out-file="$out" "$BIN" serve >"$work/web.log" 2>&1 &
WEB_PID=$!; pids+=("$WEB_PID")
"$BIN" reducer >"$work/reducer.log" 2>&1 & pids+=($!)
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$WEB_PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
callgrind_control -z "$WEB_PID" >/dev/null 2>&1
"$LOADGEN" press --url "http://127.0.0.1:$WEB_PORT" --rate "$RATE" --seconds 1000 \
  --count "$PRESSES" --players "$PRESSES" --in-flight 20 | grep -E 'accepted|exactly once'
callgrind_control -d "$WEB_PID" >/dev/null 2>&1
sleep 1
total=$(callgrind_annotate "$out.1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
echo "web server: $total instructions for $PRESSES presses at $RATE/s: $((total / PRESSES)) per press"
echo "profile: $out.1"
