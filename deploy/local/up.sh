#!/usr/bin/env bash
# One command for deploy/compose.yaml's topology on this machine, from Debian packages instead of
# containers: a redis-server (AOF, hz 100), the PostgreSQL already running, two server nodes and
# HAProxy in front of them on one port. Stop it with deploy/local/down.sh.
#
# Settings (environment):
#   EC_LB_HOST / EC_LB_PORT   where HAProxy listens          127.0.0.1 / 8080
#   EC_NODE1_PORT / EC_NODE2_PORT   the nodes (127.0.0.1)    8081 / 8082
#   EC_REDIS_PORT             the redis-server (127.0.0.1)   6380
#   EC_STATE_DIR              pidfiles, logs, Redis' data     deploy/local/.state
#   EC_READY_TIMEOUT_S        how long each part may take to answer   30
#   DATABASE_URL              postgres://postgres@127.0.0.1:5432/test
#   DATABASE_SCHEMA           ec_deploy_local
#   PASSWORD_PEPPER           generated once into the state directory
# Every other server variable (README's configuration table) in the environment reaches both
# nodes as it is, e.g. ALLOWED_ORIGINS, BCRYPT_COST, METRICS_TOKEN.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

lb_host="${EC_LB_HOST:-127.0.0.1}"
lb_port="${EC_LB_PORT:-8080}"
node_ports=("${EC_NODE1_PORT:-8081}" "${EC_NODE2_PORT:-8082}")
redis_port="${EC_REDIS_PORT:-6380}"
timeout_s="${EC_READY_TIMEOUT_S:-30}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
export DATABASE_SCHEMA="${DATABASE_SCHEMA:-ec_deploy_local}"

fail() {
  echo "deploy/local: $*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null || fail "$1 is not installed. $2"
}
need node 'Install Node.js 20.'
need redis-server 'Install it: apt-get install redis-server (its system service need not run).'
need haproxy 'Install it: apt-get install haproxy (its system service need not run).'

mkdir -p "$state"
for name in redis node1 node2 haproxy; do
  if pid="$(running_pid "$name")"; then
    fail "$name is already running (pid $pid, state in $state): run deploy/local/down.sh first."
  fi
done

# Whatever fails from here on: say which part, show its log, stop what was started.
abort() {
  echo "deploy/local: $1 did not start; the end of $state/$2.log:" >&2
  tail -n 30 "$state/$2.log" >&2 || true
  bash "$here/down.sh" >&2 || true
  exit 1
}
trap 'echo "deploy/local: interrupted" >&2; bash "$here/down.sh" >&2; exit 130' INT TERM

start_bg() {
  local name=$1
  shift
  : >"$state/$name.log"
  nohup "$@" </dev/null >>"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

cd "$repo"
node "$here/free-ports.mjs" 127.0.0.1 EC_NODE1_PORT="${node_ports[0]}" \
  EC_NODE2_PORT="${node_ports[1]}" EC_REDIS_PORT="$redis_port"
node "$here/free-ports.mjs" "$lb_host" EC_LB_PORT="$lb_port"
if [ ! -f packages/server/dist/main.js ] || [ ! -f packages/widget/dist/ephemeral-chat.min.js ]; then
  echo "deploy/local: building (npm run build)…"
  npm run build >"$state/build.log" 2>&1 || {
    tail -n 30 "$state/build.log" >&2
    fail "npm run build failed (log: $state/build.log)."
  }
fi

if [ -z "${PASSWORD_PEPPER:-}" ]; then
  # One pepper for both nodes, kept across restarts: accounts outlive a restart.
  [ -s "$state/pepper" ] || (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$state/pepper")
  PASSWORD_PEPPER="$(cat "$state/pepper")"
fi
export PASSWORD_PEPPER

mkdir -p "$state/redis"
start_bg redis redis-server "$repo/deploy/redis.conf" --port "$redis_port" --bind 127.0.0.1 \
  --dir "$state/redis" --daemonize no
node "$here/wait.mjs" "redis://127.0.0.1:$redis_port" "$timeout_s" "$(cat "$state/redis.pid")" ||
  abort redis-server redis

# The first node runs the migrations: the second starts once it is ready.
for i in 1 2; do
  port="${node_ports[$((i - 1))]}"
  mkdir -p "$state/node$i"
  start_bg "node$i" env NODE_ENV=production HOST=127.0.0.1 PORT="$port" NODE_ID="node$i" \
    REDIS_URL="redis://127.0.0.1:$redis_port" TRUST_PROXY=true DATA_DIR="$state/node$i" \
    node --max-semi-space-size=64 packages/server/dist/main.js
  node "$here/wait.mjs" "http://127.0.0.1:$port/readyz" "$timeout_s" "$(cat "$state/node$i.pid")" ||
    abort "node$i" "node$i"
done

EC_LB_BIND="$lb_host:$lb_port" EC_NODE1="127.0.0.1:${node_ports[0]}" \
  EC_NODE2="127.0.0.1:${node_ports[1]}" start_bg haproxy haproxy -f "$repo/deploy/haproxy.cfg" -db
node "$here/wait.mjs" "http://127.0.0.1:$lb_port/readyz" "$timeout_s" "$(cat "$state/haproxy.pid")" ||
  abort haproxy haproxy

echo "ephemeral-chat is up at http://localhost:$lb_port — HAProxy in front of node1" \
  "(127.0.0.1:${node_ports[0]}) and node2 (127.0.0.1:${node_ports[1]}), Redis on" \
  "127.0.0.1:$redis_port, PostgreSQL schema $DATABASE_SCHEMA. Logs and pidfiles in $state;" \
  "stop it with deploy/local/down.sh."
