#!/usr/bin/env bash
# The Redis store and fleet tests run against a real redis-server (test/support/redis-server.ts);
# without one they skip, saying so. This installs it when it is missing and we can: as root with
# apt-get, or through passwordless sudo (GitHub's runners). Otherwise it says why and goes on
# (exit 0): the tests then print that they skipped and how to get it.
set -uo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis-server: redis-server is missing and apt-get is not available; the Redis tests will skip (install redis-server yourself)" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-redis-server: redis-server is missing and installing it needs root (or passwordless sudo); the Redis tests will skip (run: apt-get install -y redis-server)" >&2
  exit 0
fi
if ! { "${as_root[@]}" apt-get update && "${as_root[@]}" apt-get install -y redis-server; }; then
  echo "ensure-redis-server: apt-get install -y redis-server failed; the Redis tests will skip" >&2
fi
exit 0
