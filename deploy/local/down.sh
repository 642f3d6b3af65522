#!/usr/bin/env bash
# Stops what deploy/local/up.sh started (by its pidfiles in the state directory) and nothing
# else: HAProxy first, then the nodes (SIGTERM: they close their sockets with 1001 and exit),
# then Redis (SIGTERM: it flushes its AOF). `--purge` also removes the state directory (Redis'
# data, logs, the generated pepper). The PostgreSQL schema stays.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

stop() {
  local name=$1 pid waited=0
  if ! pid="$(running_pid "$name")"; then
    rm -f "$state/$name.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  # The nodes force their own exit after 10 s; anything still running after 15 s is killed.
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 150 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "deploy/local: $name (pid $pid) did not stop in 15 s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$state/$name.pid"
  echo "deploy/local: stopped $name (pid $pid)"
}

if [ -d "$state" ]; then
  stop haproxy
  stop node1 &
  stop node2 &
  wait
  stop redis
fi
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$state"
  echo "deploy/local: removed $state"
fi
