#!/usr/bin/env bash
# Runs every test, installing the tools first if they are missing:
#   1. native tests of the crates (domain rules, message files, test support);
#   2. browser tests of the app (wasm-bindgen-test in headless Chromium);
#   3. end-to-end journeys: the release bundle, served on loopback, driven in
#      headless Chromium through chromedriver;
#   4. the shoppers' build (no mock): its budget and the journeys over HTTP.
# Every suite runs even when an earlier one failed; the exit code is non-zero if
# any failed. The last lines name each suite's result.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS
source scripts/setup.sh --browser
set +e
results=("ok      tools ready ($((SECONDS - started)) s)")

# One-shot runs gain nothing from incremental caches, and they double the size
# of the workspace crates on disk; set CARGO_INCREMENTAL=1 to keep them.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
disk() { df -h --output=avail . | tail -1 | tr -d ' '; }
echo "disk free before the tests: $(disk)"

# Each suite's result with how long it took, listed again at the end.
run() {
  local name="$1"; shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  local began=$SECONDS
  "$@"
  local rc=$? took=$((SECONDS - began))
  if [ $rc -eq 0 ]; then results+=("ok      $name ($took s)"); else results+=("FAILED  $name (exit $rc, $took s)"); fi
  echo "(disk free after this suite: $(disk))"
  return 0
}

run "native tests: domain rules (checkout-core), the contract and its HTTP client (checkout-api), the order service and the mock (marketplace), the release build's last step (release-bundle)" \
  cargo test --locked -p checkout-core -p checkout-api -p marketplace -p release-bundle
native_server() {
  cargo test --locked -p order-api && cargo test --locked -p checkout-app --lib --features ssr
}
run "native tests: the reference order server, one contract suite on the mock and over HTTP (order-api); the app's screens drawn natively (checkout-app, ssr)" \
  native_server
run "the reference server tried against docs/openapi.json: no 5xx, no status or answer the document does not allow (schemathesis)" \
  bash scripts/schemathesis.sh
run "native tests: test support and message files (e2e crate)" \
  cargo test --locked -p e2e --lib --bins --test locales --test tokens --test source_rules

run "dependency policy: one registry, allowed licences, bans (cargo deny; advisories need a network)" \
  cargo deny --locked check bans licenses sources

# Per test binary; the hostile-input corpus runs about a minute.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-240}"
run "browser tests (wasm-bindgen-test, headless Chromium)" \
  cargo test --locked -p checkout-app --target wasm32-unknown-unknown

run "release bundle, split by route (scripts/build-release.sh)" bash scripts/build-release.sh
run "end-to-end journeys on the mock and over HTTP, and axe-core checks (headless Chromium, release bundle)" \
  cargo test --locked -p e2e --test budgets --test journeys --test accessibility --test server_journeys -- --test-threads=2
run "chaos: 100 checkouts on a flaky mock, 30 through a fault-injecting proxy (headless Chromium)" \
  cargo test --locked -p e2e --test chaos -- --test-threads=1 --nocapture

# The build a shop deploys on its own order server (no mock, no gallery), in a
# folder of its own so that dist/ stays the default app.
shoppers_build() {
  DIST=target/dist-shoppers bash scripts/build-release.sh --no-default-features &&
    E2E_DIST="$PWD/target/dist-shoppers" cargo test --locked -p e2e --test budgets --test server_journeys -- --test-threads=2
}
run "shoppers' build (no mock): built, its first visit within budget, the journeys over HTTP" shoppers_build

printf '\n\033[1m==> summary\033[0m\n'
echo "disk: target/ holds $(du -sh target 2>/dev/null | cut -f1), $(disk) free"
printf '%s\n' "${results[@]}"
failed=0
for r in "${results[@]}"; do [[ $r == FAILED* ]] && failed=$((failed + 1)); done
passed=$(( ${#results[@]} - failed ))
echo "steps: $passed passed, $failed failed, in $((SECONDS - started)) s"
[ "$failed" -eq 0 ]
