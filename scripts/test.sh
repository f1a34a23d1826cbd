#!/usr/bin/env bash
# Every check of `make test`, in order of speed; stops at the first failure.
# The last lines are the end-to-end runner's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format (cargo fmt --check)"
cargo fmt --all -- --check

step "clippy, host"
cargo clippy --workspace --all-targets --locked -q -- -D warnings

step "clippy, wasm32"
cargo clippy -p talkoo -p talkoo-core -p talkoo-store -p talkoo-engine -p talkoo-searchbench -p talkoo-verifier -p talkoo-web -p talkoo-sync --all-targets --target wasm32-unknown-unknown --locked -q -- -D warnings
# The badges module is the app crate with the badges-module feature.
cargo clippy -p talkoo --features badges-module --all-targets --target wasm32-unknown-unknown --locked -q -- -D warnings

step "native tests"
cargo test --workspace --locked -q

step "browser tests (wasm-bindgen-test in headless Chromium, IndexedDB)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p talkoo-store --test idb --target wasm32-unknown-unknown --locked

step "release build"
trunk build --release
# The same app built for a sub-path, for the end-to-end test that serves it from /talkoo/.
trunk build --release --public-url /talkoo/ --dist target/subpath/talkoo
# Without link-time optimisation, as the Makefile's serve-bin builds them.
CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  cargo build --release --locked -q -p talkoo-serve -p talkoo-swgen -p talkoo-feed -p talkoo-inbox -p talkoo-issuer

step "end-to-end tests (Playwright on system Chromium)"
node --test --test-concurrency=1 end2end/
