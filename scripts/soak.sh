#!/usr/bin/env bash
# The opt-in soak run (not part of ./test.sh): 1,000 meetings x 20 participants x 3 reminders that stay on, plus 111
# (a tenth of all) cancelled midway, registered concurrently over HTTP against the local host, its clock walked through every due moment.
# It gets an Azurite of its own (in memory, ports 20000-20002, so it neither disturbs nor inherits the data of
# another), builds in Release and writes artifacts/soak.json. Extra arguments go to the run:
#   --meetings N (that stay on) --cancelled N (more, cancelled midway) --participants N --clients N --out FILE
# Results and what they mean: docs/reliability.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/private-azurite.sh
start_private_azurite 20000 soak
dotnet build tests/Summit.Soak -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet tests/Summit.Soak/bin/Release/net10.0/Summit.Soak.dll "$@"
