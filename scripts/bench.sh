#!/usr/bin/env bash
# The opt-in benchmarks (not part of ./test.sh):
#   scripts/bench.sh tick [--sizes 10000,100000,1000000]          1. scheduler tick vs. stored reminders (+ PNG chart)
#   scripts/bench.sh delivery [--transports ServiceBus --meetings 500,1000]   2. delivery throughput and memory
#   scripts/bench.sh lateness [--set Delivery:MaxConcurrency=8]   3. lateness over a simulated day of 50,000 reminders
#   scripts/bench.sh registration [--clients 1,10,50]             4. registration latency through the local host
#   scripts/bench.sh events [--events 10000 --batch 1000]          5. SendGrid Event Webhook batches: time, storage requests
#   scripts/bench.sh commitments [--sizes 10000,100000]           6. one tick over 2 x N stored meetings + commitments: requests per due slot
# Each run gets an Azurite of its own (in memory, ports 20010-20012), builds in Release, prints a table and writes
# JSON (artifacts/bench-*.json unless --out). The latest figures and how to read them: docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/private-azurite.sh
start_private_azurite 20010 bench
export SUMMIT_BENCH_AZURITE_PID="$private_azurite" # the events benchmark reads Azurite's CPU time from /proc
dotnet build tests/Summit.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet tests/Summit.Benchmarks/bin/Release/net10.0/Summit.Benchmarks.dll "${@:-tick}"
