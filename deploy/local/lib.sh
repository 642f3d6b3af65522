# Shared by up.sh and down.sh: where the state lives and how a pidfile is trusted.
# shellcheck shell=bash
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
state="${EC_STATE_DIR:-$here/.state}"

# What each component's command line contains: a pidfile whose process is something else (the
# pid was reused after a crash or a reboot) is never signalled.
expected_cmd() {
  case "$1" in
    redis) echo redis-server ;;
    haproxy) echo haproxy ;;
    node*) echo packages/server/dist/main.js ;;
  esac
}

# Prints the pid of a component this script started, if it is still running.
running_pid() {
  local file="$state/$1.pid" pid
  [ -f "$file" ] || return 1
  pid="$(tr -dc 0-9 <"$file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(expected_cmd "$1")" || return 1
  fi
  echo "$pid"
}
