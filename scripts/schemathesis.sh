#!/usr/bin/env bash
# Tries the reference order server against its own contract, docs/openapi.json,
# with schemathesis: generated requests to every operation (a bounded number
# of examples each, a fixed seed so a run can be replayed), as a buyer with a
# token and as anyone. Fails on any 5xx, any status the document does not list,
# and any answer that breaks the document's schema. Part of scripts/test.sh.
#   bash scripts/schemathesis.sh [--max-examples N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
ST="${SCHEMATHESIS:-$TOOLS/py/bin/st}"
examples=20
if [ "${1:-}" = "--max-examples" ]; then examples="$2"; fi

cargo build --locked --quiet -p order-api
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
target/debug/order-api --db "$work/st.sqlite3" --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$port/api/now" >/dev/null 2>&1 && break
  sleep 0.1
done
new_token() {
  curl -fsS -X POST "http://127.0.0.1:$port/api/buyers" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# Revoking would end the token every other operation is tried with: it is
# tried last, on its own token.
for ops in "--exclude-operation-id revokeBuyer" "--include-operation-id revokeBuyer"; do
  # shellcheck disable=SC2086
  "$ST" run docs/openapi.json $ops \
    --url "http://127.0.0.1:$port/api" \
    --header "Authorization: Bearer $(new_token)" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$examples" \
    --seed 20261205 \
    --no-color
done
