#!/usr/bin/env bash
# Installs whatever Talkoo's build or tests need and is missing; checks
# versions instead of reinstalling, so a second run takes seconds.
#   scripts/setup.sh build   what `make run` needs
#   scripts/setup.sh test    that, plus Chromium, chromedriver and the e2e packages
set -euo pipefail
mode=${1:-build}
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------
apt_needed=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || apt_needed+=("$2"); }
need_cmd gcc build-essential
need_cmd pkg-config pkg-config
need_cmd curl curl
need_cmd node nodejs
need_cmd npm npm
if [ "$mode" = test ]; then
  need_cmd chromium chromium
  need_cmd chromedriver chromium-driver
fi
if [ ${#apt_needed[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these Debian packages are missing: ${apt_needed[*]}" >&2
    echo "setup: install them as root, then run make again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y ${apt_needed[*]}" >&2
    exit 1
  fi
  say "installing Debian packages: ${apt_needed[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_needed[@]}"
fi

# --- Rust toolchain --------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing. Install Rust with rustup (https://rustup.rs), then run make again." >&2
  exit 1
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding rustup component $component"
    rustup component add "$component"
  fi
done

# Build tools are compiled without their release profiles' fat LTO and
# single codegen unit, which make the final link of trunk take minutes on
# one core; at opt-level 1 they are still far faster than the work they do
# (hashing and copying a few megabytes). `make test` must stay under 30
# minutes on a bare machine, and these installs are most of its set-up.
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1

# --- Trunk -----------------------------------------------------------------
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (several minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# --- wasm-bindgen-cli, exactly the version in Cargo.lock -------------------
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (about 4 minutes)"
  # Its lockfile wants webpki-roots 1.0.11, which the registry no longer
  # has, so `cargo install --locked` fails: build it from the unpacked crate
  # with that one dependency moved to 1.0.10.
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && cargo new -q fetcher && cd fetcher &&
    printf 'wasm-bindgen-cli = "=%s"\n' "$wb_version" >>Cargo.toml && cargo fetch -q)
  crate=$(ls -1 "$HOME"/.cargo/registry/cache/*/wasm-bindgen-cli-"$wb_version".crate | head -n 1)
  tar -xzf "$crate" -C "$work"
  (cd "$work/wasm-bindgen-cli-$wb_version" &&
    { cargo update -q -p webpki-roots@1.0.11 --precise 1.0.10 2>/dev/null || true; } &&
    cargo install --path . --locked --force)
fi

unset CARGO_PROFILE_RELEASE_LTO CARGO_PROFILE_RELEASE_CODEGEN_UNITS CARGO_PROFILE_RELEASE_OPT_LEVEL

# --- npm dev packages (wasm-opt from binaryen 132, terser, Playwright, axe-core)
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.talkoo-lock 2>/dev/null || true)" != "$lock_sum" ]; then
  say "installing npm dev packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >node_modules/.talkoo-lock
fi

# --- Rust dependencies, fetched so Trunk can build offline -----------------
cargo fetch --locked -q
say "everything needed for '$mode' is installed"
