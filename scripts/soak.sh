#!/usr/bin/env bash
# The opt-in soak run (not part of ./test.sh): 1,000 meetings x 20 participants x 3 reminders registered
# concurrently over HTTP against the local host, its clock walked through every due moment, 10 % cancelled midway.
# Starts Azurite in memory if nothing runs, builds in Release, writes artifacts/soak.json. Extra arguments go to the
# run (--meetings N --participants N --clients N --cancel-every N --out FILE). Results: docs/reliability.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
started=no
cleanup() { if [ "$started" = yes ]; then scripts/azurite.sh stop; fi; }
trap cleanup EXIT
if [ "$(scripts/azurite.sh status)" != "running" ]; then started=yes; scripts/azurite.sh start --in-memory; fi
dotnet build tests/Summit.Soak -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet tests/Summit.Soak/bin/Release/net10.0/Summit.Soak.dll "$@"
