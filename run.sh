#!/usr/bin/env bash
# Runs the function app locally: Azurite for tables, local.settings.json from the sample when absent, a build, and
# `func start` in the build output (Azure Functions Core Tools). Ctrl+C stops the app and the Azurite this started.
# Until the local host of issue #3 lands, this needs Core Tools (`func`) and a Service Bus namespace (set
# ServiceBus__ConnectionString in local.settings.json); without `func` it stops with that explanation.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
[ -f local.settings.json ] || { cp local.settings.sample.json local.settings.json; echo "Created local.settings.json from the sample."; }
if ! command -v func >/dev/null 2>&1; then
  echo "Azure Functions Core Tools (func) is not installed, and the Core-Tools-free local host is not built yet (issue #3)." >&2
  echo "Install Core Tools v4 (https://learn.microsoft.com/azure/azure-functions/functions-run-local) and run ./run.sh again." >&2
  exit 1
fi
started=no
if [ "$(scripts/azurite.sh status)" != "running" ]; then scripts/azurite.sh start; started=yes; fi
trap '[ "$started" = yes ] && scripts/azurite.sh stop || true' EXIT
dotnet build src/Summit.Functions -c Debug --nologo -v quiet
cd src/Summit.Functions/bin/Debug/net10.0
func start --port "${PORT:-7071}"
