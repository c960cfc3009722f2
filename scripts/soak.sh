#!/usr/bin/env bash
# The opt-in soak run (not part of ./test.sh): 1,000 meetings x 20 participants x 3 reminders registered
# concurrently over HTTP against the local host, its clock walked through every due moment, 10 % cancelled midway.
# It gets an Azurite of its own (in memory, ports 20000-20002, so it neither disturbs nor inherits the data of
# another), builds in Release and writes artifacts/soak.json. Extra arguments go to the run:
#   --meetings N --participants N --clients N --cancel-every N --out FILE
# Results and what they mean: docs/reliability.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/azurite.sh install
log="$root/.tools/azurite-soak.log"
setsid .tools/azurite/node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --inMemoryPersistence \
  --blobHost 127.0.0.1 --blobPort 20000 --queueHost 127.0.0.1 --queuePort 20001 --tableHost 127.0.0.1 --tablePort 20002 \
  >"$log" 2>&1 < /dev/null &
azurite=$!
trap 'kill "$azurite" 2>/dev/null || true; sleep 1; kill -9 "$azurite" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/20002) 2>/dev/null && break; sleep 0.5; done
export SUMMIT_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:20000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:20001/devstoreaccount1;TableEndpoint=http://127.0.0.1:20002/devstoreaccount1;"
dotnet build tests/Summit.Soak -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet tests/Summit.Soak/bin/Release/net10.0/Summit.Soak.dll "$@"
