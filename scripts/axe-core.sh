#!/usr/bin/env bash
# Installs axe-core (pinned, from npm, into .tools/axe-core) for the browser tests' accessibility checks, which inject
# its axe.min.js into each page. Usage: scripts/axe-core.sh [path]  (path: prints the script's path after installing).
set -euo pipefail
AXE_VERSION=4.14.1
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools/axe-core"
script="$tools/node_modules/axe-core/axe.min.js"
if [ ! -f "$script" ] || ! grep -q "\"version\": \"$AXE_VERSION\"" "$tools/node_modules/axe-core/package.json" 2>/dev/null; then
  echo "Installing axe-core $AXE_VERSION into .tools/axe-core ..." >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION" >&2
fi
[ "${1:-}" = "path" ] && echo "$script"
exit 0
