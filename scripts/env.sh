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
