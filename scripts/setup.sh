#!/usr/bin/env bash
# Installs what building and testing the app needs, skipping whatever is already
# there, so a second run takes seconds. Sourced by dev.sh, test.sh and size.sh:
#   source scripts/setup.sh [--browser]
# Cargo tools go where `cargo install` puts them (~/.cargo/bin), npm tools into
# .tools/ (ignored by git), Chromium where apt puts it. Versions are pinned to
# ones known to install and work on these machines with rustc 1.95 (trunk 0.22
# needs a newer rustc; Debian's binaryen is too old).

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
AXE_VERSION="4.14.1"
DENY_VERSION="0.20.2"
WASM_SPLIT_VERSION="0.2.4"
SCHEMATHESIS_VERSION="4.32.5"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Each install says how long it took (a newcomer's first run is mostly these).
timed() {
  local started=$SECONDS
  "$@"
  printf '    (%d s)\n' $((SECONDS - started)) >&2
}

# The cargo-installed tools share most of their dependencies (clap, serde,
# tokio, ...): built once into one target folder instead of once per tool.
# Removed at the end of this script, so it costs no disk afterwards.
INSTALL_TARGET="$TOOLS/cargo-install-target"
cargo_install() { CARGO_TARGET_DIR="$INSTALL_TARGET" timed cargo install "$@"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust with rustup first (https://rustup.rs)" >&2
  exit 1
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (several minutes, once)"
  cargo_install --locked trunk --version "$TRUNK_VERSION"
fi

# The CLI must be exactly the wasm-bindgen version in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: its own lock file names a version the registry does not serve.
  cargo_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# Splits the release build's wasm into modules by route (scripts/build-release.sh).
# (It has no --version; cargo's list of installed crates says which one is there.)
if ! command -v wasm-split-cli >/dev/null || ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (a few minutes, once)"
  cargo_install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

if [ "${1:-}" = "--browser" ] && ! cargo deny --version 2>/dev/null | grep -q "cargo-deny $DENY_VERSION"; then
  say "installing cargo-deny $DENY_VERSION (a few minutes, once)"
  cargo_install --locked cargo-deny --version "$DENY_VERSION"
fi

# Debian's binaryen is too old for what rustc emits; npm's is current.
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION\b"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) into .tools/"
  mkdir -p "$TOOLS/node"
  timed npm install --prefix "$TOOLS/node" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and chromedriver"
    as_root apt-get update -qq
    timed as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # axe-core, injected into pages by the end-to-end accessibility checks.
  if [ ! -f "$TOOLS/node/node_modules/axe-core/axe.min.js" ] \
     || ! grep -q "\"version\": \"$AXE_VERSION\"" "$TOOLS/node/node_modules/axe-core/package.json"; then
    say "installing axe-core $AXE_VERSION into .tools/"
    mkdir -p "$TOOLS/node"
    timed npm install --prefix "$TOOLS/node" --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION"
  fi
  export AXE_CORE_JS="$TOOLS/node/node_modules/axe-core/axe.min.js"
  # schemathesis, which tries the reference server against docs/openapi.json
  # (scripts/schemathesis.sh), in a virtual environment of its own.
  if ! "$TOOLS/py/bin/st" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\b"; then
    say "installing schemathesis $SCHEMATHESIS_VERSION into .tools/py"
    python3 -m venv "$TOOLS/py"
    timed "$TOOLS/py/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  export SCHEMATHESIS="$TOOLS/py/bin/st"
  export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
  export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
fi

# Builds run with --offline (Trunk.toml), so every crate must be here first.
if ! cargo fetch --locked --quiet 2>/dev/null; then
  say "fetching crates"
  timed cargo fetch --locked
fi
rm -rf "$INSTALL_TARGET"
