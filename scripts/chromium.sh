#!/usr/bin/env bash
# Makes sure the browser tests have what they need: Debian's Chromium (/usr/bin/chromium) and the CJK fonts without
# which Korean renders as empty boxes. Installs them with apt-get when missing (as root, or through sudo).
# Playwright's own browser download is never used: it is blocked here, and Debian's package is what we test with.
set -euo pipefail
have() { [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null; }  # not grep -q: with pipefail, fc-list would die of SIGPIPE
have && exit 0
if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo -n); else
  echo "The browser tests need Debian's chromium and fonts-noto-cjk: apt-get install chromium fonts-noto-cjk (as root)." >&2
  exit 1
fi
echo "Installing chromium and fonts-noto-cjk with apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >&2
"${as_root[@]}" apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
have || { echo "chromium or fonts-noto-cjk is still missing after apt-get." >&2; exit 1; }
