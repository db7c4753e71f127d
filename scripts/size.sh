#!/usr/bin/env bash
# Builds the release bundle and prints each file's size raw, gzip and brotli,
# with the sums. Pass --no-build to measure dist/ as it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
if [ "${1:-}" != "--no-build" ]; then
  bash scripts/build-release.sh
fi
cargo run --locked --quiet -p e2e --bin size-report -- dist
