# Puts the project's tools on PATH; sourced by the other scripts (and by hand:
# `source scripts/env.sh`, then `trunk serve` works in that shell).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node/node_modules/.bin:$PATH"
# Trunk would otherwise ask the internet for a newer version at every start.
export TRUNK_SKIP_VERSION_CHECK=true
