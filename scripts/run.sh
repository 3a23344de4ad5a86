#!/usr/bin/env bash
# Runs The Button at http://127.0.0.1:3000 (release build). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
exec cargo leptos serve --release
