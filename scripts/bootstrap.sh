#!/usr/bin/env bash
# Installs what Data Patch needs on a fresh Debian machine that has Node.js 20 and npm:
# pnpm 12.4.2, the workspace's dependencies (better-sqlite3 is built against Debian's
# Node headers, since node-gyp cannot download them offline), with --with-browser Debian's
# chromium for the Playwright end-to-end tests, and with --with-services a running PostgreSQL
# (127.0.0.1:5432) and Redis (127.0.0.1:6379) for the storage and several-process tests: each
# is started with Debian's own command only when it does not answer already.
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
with_services=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    --with-services) with_services=1 ;;
    *) echo "bootstrap: unknown option $arg (known: --with-browser, --with-services)" >&2; exit 2 ;;
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

postgres_answers() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

# Without one of the services, its tests say they are skipped and why; under CI=true they fail.
missing_service() {
  if [ "${CI:-}" = true ]; then echo "bootstrap: $1" >&2; exit 1; fi
  echo "bootstrap: $1; its tests will be skipped" >&2
}

if [ "$with_services" = 1 ]; then
  if ! postgres_answers; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      echo "bootstrap: starting PostgreSQL"
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
    fi
  fi
  if ! redis_answers; then
    if command -v redis-server >/dev/null 2>&1; then
      echo "bootstrap: starting Redis"
      as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    fi
  fi
  for _ in $(seq 1 60); do
    if postgres_answers && redis_answers; then break; fi
    sleep 0.5
  done
  postgres_answers || missing_service "PostgreSQL does not answer on 127.0.0.1:5432 (Debian: apt-get install postgresql, trust auth for 127.0.0.1, a database named test)"
  redis_answers || missing_service "Redis does not answer on 127.0.0.1:6379 (Debian: apt-get install redis-server)"
fi
