#!/usr/bin/env bash
# Runs Portico's real infrastructure servers on one machine without Docker (see README.md here).
#
#   deploy/infra/infra.sh fetch|up|down|status|reset [server...]
#
# servers: kafka keycloak postgresql ferretdb seaweedfs mailpit stripemock (default: all); `up ferretdb`
# also starts postgresql, which FerretDB stores its data in. Everything binds to
# 127.0.0.1; binaries, data, logs and pid files live under .local/ at the repo root.
#   fetch   download/build each pinned server (skips what is already there at that version)
#   up      fetch, then start each server detached and wait until it is ready
#           (a server already running and ready is left alone)
#   down    stop the servers (no-op for a stopped one); data is kept
#   status  one line per server: ready / running (not ready) / stopped, and its port
#   reset   down, then delete the server's data (Keycloak re-imports the realm on next up)
# Exit status is non-zero when any server fails to fetch, start or become ready.
set -uo pipefail

# shellcheck source=deploy/infra/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ALL_SERVERS=(kafka keycloak postgresql ferretdb seaweedfs mailpit stripemock)
for s in "${ALL_SERVERS[@]}"; do
  # shellcheck source=/dev/null
  . "$INFRA_DIR/servers/$s.sh"
done

usage() {
  sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

cmd=${1:-}
[[ -n "$cmd" ]] || usage
shift
servers=("$@")
[[ ${#servers[@]} -gt 0 ]] || servers=("${ALL_SERVERS[@]}")
for s in "${servers[@]}"; do
  [[ " ${ALL_SERVERS[*]} " == *" $s "* ]] || { echo "unknown server '$s' (known: ${ALL_SERVERS[*]})" >&2; exit 2; }
done

# Tools every command relies on (fetch-specific ones are checked by each server's fetch).
need_cmd curl setsid flock ss awk sed || exit 1

# One infra.sh at a time changes things (two `up`s racing would start a server twice or build
# into the same folder); status only reads. Servers are started with this fd closed.
if [[ "$cmd" != status ]]; then
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/infra.lock"
  if ! flock -n 9; then
    info "another infra.sh is running; waiting for it to finish"
    flock 9
  fi
fi

# Optional hook, defined by some servers (kafka creates its topics).
has_fn() { declare -F "$1" >/dev/null; }

ports_of() { local -n arr="${1^^}_PORTS"; echo "${arr[@]}"; }

fetch_one() {
  local s=$1 t0=$SECONDS
  "${s}_fetch" || return 1
  (( SECONDS - t0 > 2 )) && info "$s: fetch took $((SECONDS - t0))s"
  return 0
}

# Start phase: launch every server that is not running yet without waiting, so their start-ups
# overlap (Keycloak alone needs most of a minute); the wait phase then checks each one.
start_one() {
  local s=$1 pid
  if pid=$(server_pid "$s"); then
    info "$s: already running (pid $pid)"
    return 0
  fi
  # shellcheck disable=SC2046
  check_ports_free "$s" $(ports_of "$s") || return 1
  info "$s: starting ($("${s}_where"); log .local/logs/$s.log)"
  "${s}_start" || { fail "$s: could not be started"; show_log_tail "$s"; return 1; }
}

wait_one() {
  local s=$1
  if "${s}_ready"; then
    info "$s: ready"
  else
    wait_ready "$s" "$("${s}_timeout")" "${s}_ready" || return 1
  fi
  if has_fn "${s}_after_start"; then "${s}_after_start" || return 1; fi
}

status_one() {
  local s=$1 pid state
  if pid=$(server_pid "$s"); then
    if "${s}_ready"; then state=ready; else state="running (not ready)"; fi
    printf '%-10s %-20s pid %-8s %s\n' "$s" "$state" "$pid" "$("${s}_where")"
    [[ "$state" == ready ]]
  else
    printf '%-10s %-20s %-12s %s\n' "$s" stopped "" "$("${s}_where")"
    return 1
  fi
}

rc=0
case "$cmd" in
  fetch)
    for s in "${servers[@]}"; do fetch_one "$s" || rc=1; done
    ;;
  up)
    # A server's storage comes up with it, before it (ferretdb_needs names postgresql).
    wanted=()
    for s in "${servers[@]}"; do
      if has_fn "${s}_needs"; then
        for n in $("${s}_needs"); do [[ " ${wanted[*]} " == *" $n "* ]] || wanted+=("$n"); done
      fi
      [[ " ${wanted[*]} " == *" $s "* ]] || wanted+=("$s")
    done
    servers=("${wanted[@]}")
    # Fetch everything first (start-ups then overlap); a server whose fetch failed is not
    # started, the others still are, and the exit status says something failed.
    fetched=() started=()
    for s in "${servers[@]}"; do
      if fetch_one "$s"; then fetched+=("$s"); else rc=1; fi
    done
    for s in "${fetched[@]}"; do
      if start_one "$s"; then started+=("$s"); else rc=1; fi
    done
    for s in "${started[@]}"; do wait_one "$s" || rc=1; done
    ;;
  down)
    # Reverse order of start-up.
    for ((i = ${#servers[@]} - 1; i >= 0; i--)); do stop_server "${servers[i]}" || rc=1; done
    ;;
  status)
    # Exit 0 only if every named server is ready; scripts may use it as a health check.
    for s in "${servers[@]}"; do status_one "$s" || rc=1; done
    ;;
  reset)
    for s in "${servers[@]}"; do
      stop_server "$s" || rc=1
      info "$s: deleting .local/data/$s"
      rm -rf "${DATA_DIR:?}/$s"
      if has_fn "${s}_reset"; then "${s}_reset" || rc=1; fi
    done
    ;;
  *) usage ;;
esac

if (( rc != 0 )) && [[ "$cmd" != status ]]; then
  fail "infra.sh $cmd ${servers[*]}: failed (see messages above)"
fi
exit "$rc"
