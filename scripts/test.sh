#!/usr/bin/env bash
# Every check of `make test`, in order of speed; stops at the first failure.
# Each step says when it began, in seconds since the start. The last lines
# are the end-to-end runners' summaries.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
start=$SECONDS
step() { printf '\n\033[1m== %s\033[0m (at %ds)\n' "$*" $((SECONDS - start)); }

step "format (cargo fmt --check)"
cargo fmt --all -- --check

step "clippy, host"
cargo clippy --workspace --all-targets --locked -q -- -D warnings

step "clippy, wasm32"
# With the badges-module feature on, so that one run checks the badge
# pages too (the badges module is the app crate with that feature). No
# code is compiled only without a feature, so nothing goes unchecked; the
# check below keeps it so.
if grep -rn --include='*.rs' 'not(feature' src crates; then
  echo 'code compiled only without a feature is not linted for wasm32: lint it in a run of its own' >&2
  exit 1
fi
cargo clippy -p talkoo -p talkoo-core -p talkoo-store -p talkoo-engine -p talkoo-searchbench -p talkoo-verifier -p talkoo-web -p talkoo-sync \
  --features talkoo/badges-module --all-targets --target wasm32-unknown-unknown --locked -q -- -D warnings

step "native tests"
cargo test --workspace --locked -q
# The end-to-end tests run these tools; the tests above built all but the
# server, with the same dependencies.
cargo build --workspace --bins --locked -q

step "browser tests (wasm-bindgen-test in headless Chromium, IndexedDB)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p talkoo-store --test idb --target wasm32-unknown-unknown --locked

step "release build"
trunk build --release
# The same app built for a sub-path, for the end-to-end test that serves it
# from /talkoo/. It reuses the release build's wasm (the release cargo
# profile) but is not a `--release` build, so Trunk skips wasm-opt and
# minifying: the test is about addresses, and wasm-opt took a minute.
trunk build --cargo-profile release --public-url /talkoo/ --dist target/subpath/talkoo

step "end-to-end tests (Playwright on system Chromium)"
# Two test files at a time: one at a time left a core idle for most of the
# run (the tests wait on browsers, servers and timers), and each file starts
# its own servers and browsers on free ports. The tiny bench runs alone
# afterwards: it measures, and its figures mean nothing on a shared CPU.
others=()
for file in end2end/*.test.mjs; do
  [[ $file == end2end/bench.test.mjs ]] || others+=("$file")
done
TALKOO_BIN_DIR=target/debug node --test --test-concurrency=2 "${others[@]}"
TALKOO_BIN_DIR=target/debug node --test end2end/bench.test.mjs
