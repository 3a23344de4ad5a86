#!/usr/bin/env bash
# Every check a change must pass: formatting, lints for both feature sets, all tests, the build,
# and the end-to-end tests in Chromium. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
source scripts/env.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "rustfmt"
cargo fmt --all --check

say "clippy, server side (ssr)"
cargo clippy -p app -p pow-wasm -p server --all-targets --features app/ssr -- -D warnings

say "clippy, browser side (hydrate)"
cargo clippy -p app --all-targets --features app/hydrate -- -D warnings
cargo clippy -p frontend -p pow-wasm --target wasm32-unknown-unknown -- -D warnings

say "unit, property, golden and integration tests"
cargo test -p app -p pow-wasm -p server

say "cargo leptos build"
cargo leptos build

say "end-to-end tests (Playwright, Debian's Chromium)"
export BUTTON_BIN="$TARGET_DIR/debug/the-button"
(cd end2end && npx playwright test)
