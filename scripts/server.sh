#!/usr/bin/env bash
# Starts the app on the reference order server (crates/order-api) at
# http://127.0.0.1:8787, with its API under /api and its orders in
# order-api.sqlite3. Builds the release app first if dist/ is missing or older
# than its sources. Extra arguments go to the server, e.g.
#   scripts/server.sh --scenario card-declined --speed 3600
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

# Whether dist/ needs building: missing, or older than anything it is built from.
stale() {
  [ -f dist/index.html ] || return 0
  [ -n "$(find src crates/checkout-core/src crates/checkout-api/src crates/marketplace/src style locales public index.html \
    Cargo.toml Cargo.lock Trunk.toml -newer dist/index.html -print -quit 2>/dev/null)" ]
}

if stale; then
  printf '\033[1m==> %s\033[0m\n' "building the app (scripts/build-release.sh)" >&2
  bash scripts/build-release.sh
fi
# Its own profile: the release one, but unwinding (see Cargo.toml).
exec cargo run --profile server -p order-api -- --dist dist --db order-api.sqlite3 "$@"
