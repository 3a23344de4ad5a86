#!/usr/bin/env bash
# Every check a change must pass: formatting, lints for both feature sets, all tests, the build,
# and the end-to-end tests in Chromium. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
source scripts/env.sh
# Set before the services are started: PostgreSQL and NATS started for this run stop with it.
trap stop_private_services EXIT
source scripts/services.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "rustfmt"
cargo fmt --all --check

say "clippy, server side (ssr)"
cargo clippy -p app -p pow-wasm -p server -p loadgen --all-targets --features app/ssr -- -D warnings

say "clippy, browser side (hydrate)"
cargo clippy -p app --all-targets --features app/hydrate -- -D warnings
cargo clippy -p frontend -p pow-wasm --target wasm32-unknown-unknown -- -D warnings

say "the operators' monitoring: alert rules (promtool, with their unit tests) and the dashboard"
scripts/check-monitoring.sh

say "the Kubernetes manifests, against the Kubernetes schemas (offline)"
scripts/check-kubernetes.sh

say "unit, property, golden and integration tests"
# Again here, as before every phase that talks to them: the machine's NATS has been seen gone by
# now (twice, after the builds above), with nothing in its log; it is started again if so.
ensure_services
cargo test -p app -p pow-wasm -p server -p loadgen

say "the Web Worker's proof-of-work WASM, and cargo leptos build"
scripts/build-worker.sh
node scripts/check-worker.mjs
cargo leptos build

say "a bare machine: private PostgreSQL and NATS on free ports, the game on them, all stopped after"
scripts/check-services.sh "$TARGET_DIR/debug/the-button"

say "end-to-end tests (Playwright, Debian's Chromium)"
ensure_services
# A database and a namespace of their own for this run; the database is dropped afterwards.
run_id="$(date +%s)_$$"
export BUTTON_BIN="$TARGET_DIR/debug/the-button"
export E2E_DATABASE_URL="$BUTTON_PG_URL/button_e2e_$run_id"
export E2E_NAMESPACE="e2e_$run_id"
drop_e2e_database() {
  if command -v psql >/dev/null; then
    psql -q "$BUTTON_PG_URL/postgres" \
      -c "DROP DATABASE IF EXISTS button_e2e_$run_id WITH (FORCE)" \
      -c "DROP DATABASE IF EXISTS button_e2e_${run_id}_reconnect WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap 'drop_e2e_database; stop_private_services' EXIT
(cd end2end && npx playwright test)

say "fault tests under load (SIGKILL reducer, web server, nats-server)"
ensure_services
scripts/faults.sh "$TARGET_DIR/debug/the-button"

say "the API contract, fuzzed (schemathesis against /openapi.json)"
ensure_services
scripts/api-fuzz.sh "$TARGET_DIR/debug/the-button"
