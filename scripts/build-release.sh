#!/usr/bin/env bash
# Builds the release bundle into dist/ ($DIST if set): the app split into a
# main module (the shell, the router, the catalog, and the order API's catalog
# call) and modules for the other screens (a product and the cart, the
# checkout, after it, the gallery) and for the rest of the order API (the mock's orders, the HTTP
# client), each downloaded when first needed (src/pages/lazy.rs,
# src/api/lazy_api.rs).
#
#   scripts/build-release.sh                          # the default app, on the mock
#   scripts/build-release.sh --no-default-features   # shoppers' build for a real server
#   DIST=target/dist-shoppers scripts/build-release.sh --no-default-features
#
# Trunk cannot split a module (trunk-rs/trunk#1022), so this runs the steps itself:
#   1. Trunk: the page, CSS and images (index.html without its rust link)
#   2. cargo, with relocations kept, for wasm-split
#   3. wasm-split-cli: the main module, the split modules, shared chunks, the loader
#   4. wasm-bindgen on the main module; wasm-opt -Oz on every module
#   5. release-bundle: fingerprinted names, integrity, the start-up scripts, .br twins
#   6. prerender: the first screens of /, /cart, /checkout and each product,
#      drawn natively by the app's server renderer from the mock's catalog,
#      each into a page of its own (index.html, cart.html, checkout.html,
#      products/<id>.html; every other route gets shell.html), painted before
#      the wasm runs (crates/e2e/src/prerender.rs). Not in the
#      shoppers' build: its server draws them into the page it answers
#      (crates/order-api/src/pages.rs).
# `trunk serve` (scripts/dev.sh) still builds one module, unsplit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
export CARGO_INCREMENTAL=0

DIST="${DIST:-dist}"
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
WORK=target/release-bundle
rm -rf "$WORK/split" "$WORK/pkg"
mkdir -p "$WORK/split" "$WORK/pkg"

step "page, styles and images (Trunk, without the app)"
# The template's paths are relative to it; Trunk reads them from $WORK.
sed -e '/data-trunk rel="rust"/d' -e 's#href="\(style\|public\|locales\)#href="../../\1#' index.html > "$WORK/index.html"
trunk build --release --dist "$DIST" "$WORK/index.html"

step "the app's wasm (cargo, release, relocations kept for splitting)"
RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Clink-args=--emit-relocs" \
  cargo build --release --locked --target wasm32-unknown-unknown --bin checkout-app --features split "$@"
WASM="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/checkout-app.wasm"

step "split (wasm-split-cli), bind (wasm-bindgen), optimise (wasm-opt -Oz)"
wasm-split-cli --target web --out-name checkout-app "$WASM" "$WORK/split"
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-dir "$WORK/pkg" --out-name checkout-app "$WORK/split/checkout-app.wasm"
for f in "$WORK/split"/*; do
  [ "$(basename "$f")" = checkout-app.wasm ] || cp "$f" "$WORK/pkg/"
done
# The features rustc's wasm32 target enables by default.
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue)
for w in "$WORK/pkg"/*.wasm; do
  # (wasm-opt warns about each split module's names section; it drops it anyway.)
  wasm-opt -Oz "${WASM_OPT_FEATURES[@]}" "$w" -o "$w" 2>&1 | { grep -v "unknown name subsection" || true; }
done

step "fingerprints, integrity and start-up (release-bundle)"
cargo run --locked --quiet -p release-bundle -- "$WORK/pkg" "$DIST"

case " $* " in
  *" --no-default-features "*) ;;
  *)
    step "first screens drawn into pages of their own (prerender, natively)"
    cargo run --locked --quiet -p e2e --bin prerender -- "$DIST"
    ;;
esac
