#!/usr/bin/env bash
# Runs every test: installs Debian's Chromium and CJK fonts for the browser tests if missing (scripts/chromium.sh), and
# axe-core from npm for their accessibility checks (scripts/axe-core.sh),
# starts Azurite (in memory) if it is not already running, runs `dotnet test` on the solution, and stops the Azurite
# it started. Needs the .NET 10 SDK and Node.js 20 (npm) on PATH, and apt-get (as root or via sudo) the first time.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
scripts/chromium.sh
scripts/axe-core.sh         # the browser tests' accessibility checks inject it
scripts/azurite.sh install  # also when an Azurite already runs: the outage tests start private ones from .tools/
started=no
if [ "$(scripts/azurite.sh status)" != "running" ]; then
  scripts/azurite.sh start --in-memory
  started=yes
fi
cleanup() { [ "$started" = yes ] && scripts/azurite.sh stop || true; }
trap cleanup EXIT
dotnet test Summit.Functions.sln --nologo "$@"
