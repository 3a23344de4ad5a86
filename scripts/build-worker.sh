#!/usr/bin/env bash
# Builds the proof-of-work WASM that the browser's Web Worker runs (pow-wasm, the same Rust code
# the server verifies with) into public/worker/, where cargo-leptos serves it from /worker/.
# cargo-leptos has no pre-build hook, so run.sh and test.sh call this first (and so should you,
# once, before `cargo leptos watch`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# WASM SIMD (simd128): the solver hashes four nonces per vector instruction. Chromium has it since
# 91, Firefox since 89, Safari since 16.4; a browser without it cannot load the worker's WASM.
# Only this build gets the flag.
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128" \
  cargo build -p pow-wasm --lib --target wasm32-unknown-unknown --profile worker
wasm-bindgen --target web --no-typescript --out-dir public/worker \
  "$TARGET_DIR/wasm32-unknown-unknown/worker/pow_wasm.wasm"
# Speed matters more than bytes here: every hash counts while a player waits.
wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals public/worker/pow_wasm_bg.wasm -o public/worker/pow_wasm_bg.wasm
