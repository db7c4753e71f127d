#!/usr/bin/env bash
# The performance benchmark: builds the release bundle, then prints, each next
# to its budget, the bundle's bytes and a first visit's, page-load times, a cart
# update in small and large carts, the orders list with 1,000 orders, memory
# after many route changes and Lighthouse's scores for the default build and
# the shoppers' build on the reference server, side by side (crates/e2e/src/bench).
# These are reported figures: one over its budget does not fail the run; the
# exit code is non-zero only if a measurement could not be made.
#
#   scripts/bench.sh [--no-build] [--skip-lighthouse] [--only loads,cart,orders,memory,lighthouse]
#
# --no-build measures dist/ as it is. Installs what is missing first, as the
# other scripts do, and Lighthouse into .tools/node. LIGHTHOUSE_REPORTS=dir
# keeps Lighthouse's JSON reports there (which element was the LCP, the long
# tasks, every request).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) args+=("$arg") ;;
  esac
done

source scripts/setup.sh
# The browser (and the other test tools) only when it is missing.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  source scripts/setup.sh --browser
fi
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

LIGHTHOUSE_VERSION="13"
if [ ! -x "$TOOLS/node/node_modules/.bin/lighthouse" ] \
   || ! grep -q "\"version\": \"$LIGHTHOUSE_VERSION\." "$TOOLS/node/node_modules/lighthouse/package.json" 2>/dev/null; then
  say "installing lighthouse $LIGHTHOUSE_VERSION into .tools/"
  mkdir -p "$TOOLS/node"
  # Without it the benchmark still runs; its Lighthouse section says why not.
  npm install --prefix "$TOOLS/node" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION" \
    || echo "lighthouse could not be installed" >&2
fi

if [ "$build" = 1 ]; then
  bash scripts/build-release.sh
  # The build a shop deploys, for Lighthouse on the reference server.
  DIST=target/dist-shoppers bash scripts/build-release.sh --no-default-features
fi
cargo run --locked --quiet -p e2e --bin bench -- ${args[@]+"${args[@]}"}
# The reference server under load (one buyer's long list polled while other
# requests wait), built as a shop runs it.
cargo run --locked --quiet --profile server -p order-api --example load
