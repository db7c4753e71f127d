#!/usr/bin/env bash
# Starts the app at http://127.0.0.1:8080 on the in-browser mock (no backend),
# installing the tools first if they are missing. Extra arguments go to trunk serve.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
exec trunk serve "$@"
