#!/usr/bin/env bash
# Runs The Button at http://127.0.0.1:3000 (release build) against the local PostgreSQL and
# NATS: migrate, reducer, watcher and web server in one process. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
source scripts/services.sh
scripts/build-worker.sh
# A release build runs as production, where a secret is required: keep one for this checkout.
if [ -z "${BUTTON_POW_SECRET:-}" ]; then
  [ -s .button-secret ] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > .button-secret)
  BUTTON_POW_SECRET="$(cat .button-secret)"
  export BUTTON_POW_SECRET
fi
# `the-button all`: migrate, then the reducer, the watcher and the web server in one process.
exec cargo leptos serve --release
