#!/usr/bin/env bash
# Installs what Data Patch needs on a fresh Debian machine that has Node.js 20 and npm:
# pnpm 12.4.2, the workspace's dependencies (better-sqlite3 is built against Debian's
# Node headers, since node-gyp cannot download them offline), and with --with-browser
# Debian's chromium for the Playwright end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    *) echo "bootstrap: unknown option $arg (known: --with-browser)" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "12.4.2" ]; then
  as_root npm install -g pnpm@12.4.2
fi

if [ "$with_browser" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

# Node's own headers, so native addons build without a download.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
pnpm install --frozen-lockfile
