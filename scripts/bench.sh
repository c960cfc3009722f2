#!/usr/bin/env bash
# The opt-in benchmarks (not part of ./test.sh): scripts/bench.sh tick [--sizes 10000,100000,1000000]
# Each run gets an Azurite of its own (in memory, ports 20010-20012), builds in Release, prints a table and writes
# JSON (artifacts/bench-*.json) and the chart. The latest figures and how to read them: docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/azurite.sh install
log="$root/.tools/azurite-bench.log"
setsid .tools/azurite/node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --inMemoryPersistence \
  --blobHost 127.0.0.1 --blobPort 20010 --queueHost 127.0.0.1 --queuePort 20011 --tableHost 127.0.0.1 --tablePort 20012 \
  >"$log" 2>&1 < /dev/null &
azurite=$!
trap 'kill "$azurite" 2>/dev/null || true; sleep 1; kill -9 "$azurite" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/20012) 2>/dev/null && break; sleep 0.5; done
export SUMMIT_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:20010/devstoreaccount1;QueueEndpoint=http://127.0.0.1:20011/devstoreaccount1;TableEndpoint=http://127.0.0.1:20012/devstoreaccount1;"
dotnet build tests/Summit.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet tests/Summit.Benchmarks/bin/Release/net10.0/Summit.Benchmarks.dll "${@:-tick}"
