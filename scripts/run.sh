#!/usr/bin/env bash
# Runs The Button at http://127.0.0.1:3000 (release build) against PostgreSQL and NATS: migrate,
# reducer, watcher and web server in one process. Ctrl-C stops it, and then the PostgreSQL and
# NATS that scripts/services.sh started for it, if it started any.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
# Set before the services are started: whatever stops this script stops the private ones too.
trap stop_private_services EXIT
source scripts/services.sh
scripts/build-worker.sh
# A release build runs as production, where a secret is required: keep one for this checkout.
if [ -z "${BUTTON_POW_SECRET:-}" ]; then
  [ -s .button-secret ] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > .button-secret)
  BUTTON_POW_SECRET="$(cat .button-secret)"
  export BUTTON_POW_SECRET
fi
export DATABASE_URL="$BUTTON_PG_URL/button"
# `the-button all`: migrate, then the reducer, the watcher and the web server in one process.
# In the background, so that a signal reaches this script at once: it is passed on, and the
# services are stopped once the game has shut down.
# --precompress: the page's files are written gzipped and brotli'd once, at build time, and sent
# that way (leptos_axum's file service), rather than compressed for every visitor.
cargo leptos serve --release --precompress &
game=$!
forward() { # signal
  kill -s "$1" "$game" 2>/dev/null || true
  wait "$game" || true
  exit $((128 + $(kill -l "$1")))
}
trap 'forward INT' INT
trap 'forward TERM' TERM
wait "$game"
