#!/usr/bin/env bash
# Installs (pinned, from npm, into .tools/) and starts Azurite if nothing answers on its table port yet.
# Usage: scripts/azurite.sh start [--in-memory] | stop | status | install
# Data lives in .azurite/ (git-ignored) unless --in-memory. Prints the PID file path on start.
set -euo pipefail
AZURITE_VERSION=3.37.0
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools/azurite"
data="$root/.azurite"
pidfile="$root/.tools/azurite.pid"
log="$root/.tools/azurite.log"

# Running = both services the app uses answer: Queue (10001) and Table (10002).
listening() { (exec 3<>/dev/tcp/127.0.0.1/10001) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; }
# The PID is still an Azurite process (a PID file can outlive its process, and PIDs are reused).
ours() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && { [ ! -d /proc ] || grep -q azurite "/proc/$1/cmdline" 2>/dev/null; }; }

install() {
  if [ ! -x "$tools/node_modules/.bin/azurite" ] || ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$tools/node_modules/azurite/package.json" 2>/dev/null; then
    echo "Installing Azurite $AZURITE_VERSION into .tools/azurite ..." >&2
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >&2
  fi
}

case "${1:-start}" in
  install)
    install
    ;;
  start)
    if listening; then echo "Azurite already answers on 127.0.0.1:10001-10002; using it." >&2; exit 0; fi
    install
    mkdir -p "$data" "$(dirname "$pidfile")"
    args=(--silent --skipApiVersionCheck --loose --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1)
    if [ "${2:-}" = "--in-memory" ]; then args+=(--inMemoryPersistence); else args+=(--location "$data"); fi
    # Its own session: Ctrl+C in the terminal reaches the app first, and Azurite is stopped after it (by "stop").
    if command -v setsid >/dev/null; then setsid "$tools/node_modules/.bin/azurite" "${args[@]}" >"$log" 2>&1 < /dev/null &
    else nohup "$tools/node_modules/.bin/azurite" "${args[@]}" >"$log" 2>&1 < /dev/null &
    fi
    echo $! >"$pidfile"
    for _ in $(seq 1 60); do listening && break; sleep 0.5; done
    listening || { echo "Azurite did not start; see $log" >&2; exit 1; }
    echo "Azurite $AZURITE_VERSION started (pid $(cat "$pidfile"))." >&2
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      pid="$(cat "$pidfile")"
      if ! ours "$pid"; then rm -f "$pidfile"; echo "Azurite (pid $pid) is no longer running." >&2; exit 0; fi
      kill "$pid" 2>/dev/null || true
      # Azurite can linger after TERM while it closes its servers; give it 5 s, then make sure.
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      if ours "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
      # Remove the PID file only if it is still ours (a new start may have replaced it meanwhile).
      [ "$(cat "$pidfile" 2>/dev/null)" = "$pid" ] && rm -f "$pidfile"
      echo "Azurite stopped." >&2
    fi
    ;;
  status)
    listening && echo "running" || echo "stopped"
    ;;
  *) echo "usage: $0 start [--in-memory] | stop | status | install" >&2; exit 2 ;;
esac
