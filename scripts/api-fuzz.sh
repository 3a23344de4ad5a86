#!/usr/bin/env bash
# The API contract, fuzzed: schemathesis (PyPI) against the served /openapi.json of a game of
# its own (own database and namespace on the local PostgreSQL and NATS). Every operation but the
# endless live stream, bounded in examples and time; loopback only. Exits non-zero on any finding.
#
#   scripts/api-fuzz.sh [path/to/the-button]      (default: the debug build)
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
BIN="${1:-$TARGET_DIR/debug/the-button}"
[ -x "$BIN" ] || { echo "no binary at $BIN (build it first)"; exit 1; }
[ -x "$SCHEMATHESIS" ] || { echo "schemathesis is missing: run scripts/setup.sh --browser"; exit 1; }

run="$(date +%s)_$$"
work="$(mktemp -d)"
WEB_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# PostgreSQL and NATS where scripts/services.sh says they are (the test command), else the
# standard places.
BUTTON_PG_URL="${BUTTON_PG_URL:-postgres://postgres@127.0.0.1:5432}"
export DATABASE_URL="$BUTTON_PG_URL/button_fuzz_$run"
export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
export BUTTON_NAMESPACE="fuzz_$run"
export BUTTON_POW_SECRET="API fuzzing's secret $run, not for production"
# The fuzzer sends many requests from one address: the limits under test are the contract's.
export BUTTON_RATE_LIMIT_PER_SECOND=100000 BUTTON_RATE_LIMIT_BURST=100000
export LEPTOS_OUTPUT_NAME=the-button LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$WEB_PORT"
export RUST_LOG=warn

cleanup() {
  { kill "${GAME_PID:-}"; wait; } 2>/dev/null
  psql -q "$BUTTON_PG_URL/postgres" \
    -c "DROP DATABASE IF EXISTS button_fuzz_$run WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

"$BIN" all >"$work/game.log" 2>&1 & GAME_PID=$!
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$WEB_PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$WEB_PORT/health/ready" >/dev/null \
  || { cat "$work/game.log"; echo "the game did not start"; exit 1; }

# Fixed seed: a finding reproduces with the same command.
"$SCHEMATHESIS" --config-file end2end/schemathesis.toml run "http://127.0.0.1:$WEB_PORT/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
  --exclude-path /v1/states/stream \
  --max-examples 40 --max-time 90 --request-timeout 10 --seed 20261201 \
  --generation-database none --no-color | tee "$work/fuzz.txt"
status=${PIPESTATUS[0]}
cases=$(sed -n 's/^ *\([0-9]*\) generated, .*/\1/p' "$work/fuzz.txt" | tail -1)
if [ "$status" -ne 0 ]; then
  echo "--- the game's log"; tail -50 "$work/game.log"
  echo "api-fuzz: 0 passed, 1 failed"
else
  echo "api-fuzz: ${cases:-0} passed, 0 failed"
fi
exit "$status"
