# shellcheck shell=bash disable=SC2034  # sourced; the *_DIR variables are for the server files
# Shared helpers for deploy/infra/infra.sh and the per-server files in servers/.
# Sourced, never run. Everything lives under the gitignored .local/ at the repo root so that
# `rm -rf .local` is a full reset and nothing is written outside the work tree except the
# standard Go and Maven caches.

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$INFRA_DIR/../.." && pwd)
LOCAL_DIR="$REPO_ROOT/.local"
# A worktree's .local may be a link to another checkout's: servers are recognised by the real
# path in their command line, whichever checkout started them.
[[ -d "$LOCAL_DIR" ]] && LOCAL_DIR=$(cd "$LOCAL_DIR" && pwd -P)
TOOLS_DIR="$LOCAL_DIR/tools"
# INFRA_STATE_DIR (inside .local) runs a second set of servers beside the usual one, e.g. to try
# a server on other ports without touching the one everybody uses.
STATE_DIR="$LOCAL_DIR"
[[ -n "${INFRA_STATE_DIR:-}" ]] && STATE_DIR=$(mkdir -p "$INFRA_STATE_DIR" && cd "$INFRA_STATE_DIR" && pwd -P)
DATA_DIR="$STATE_DIR/data"
LOGS_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"

# Endpoint defaults (credentials included) come from one place, shared with the app and tests.
# shellcheck source=deploy/infra/env.sh
. "$INFRA_DIR/env.sh"

info() { printf '[infra %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
warn() { printf '[infra %s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { printf '[infra %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; return 1; }

need_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || { fail "required command '$c' is not installed"; return 1; }
  done
}

# Keycloak 26.5 needs Java 21+; the machine has Temurin 25 beside the default Java 17.
# Pick the newest Temurin/JDK >= 21 found under /usr/lib/jvm unless KC_JAVA_HOME is given.
find_java21_home() {
  if [[ -n "${KC_JAVA_HOME:-}" ]]; then echo "$KC_JAVA_HOME"; return 0; fi
  local d v best="" bestv=0
  for d in /usr/lib/jvm/temurin-*-jdk* /usr/lib/jvm/java-*-openjdk*; do
    [[ -x "$d/bin/java" ]] || continue
    v=$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if (( v >= 21 && v > bestv )); then best=$d; bestv=$v; fi
  done
  [[ -n "$best" ]] || { fail "no Java 21+ JDK found under /usr/lib/jvm (set KC_JAVA_HOME)"; return 1; }
  echo "$best"
}

# Kafka runs on the default java (17 is enough); KAFKA_JAVA_HOME overrides.
kafka_java() {
  if [[ -n "${KAFKA_JAVA_HOME:-}" ]]; then echo "$KAFKA_JAVA_HOME/bin/java"; else command -v java; fi
}

# Marker files make fetch idempotent: a tool is "there" only if its build finished and
# recorded the pinned version; a half-finished build is redone.
have_version() { [[ -f "$TOOLS_DIR/$1/.version" && "$(cat "$TOOLS_DIR/$1/.version")" == "$2" ]]; }
mark_version() { mkdir -p "$TOOLS_DIR/$1" && echo "$2" >"$TOOLS_DIR/$1/.version"; }

# Is something listening on 127.0.0.1:PORT? (bash /dev/tcp: no nc needed; a 0.0.0.0 bind answers too)
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Who holds a port, for the "already taken" message.
port_owner() {
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\))).*/\1/p' | head -1
}

http_ok() { curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null; }

pid_file() { echo "$RUN_DIR/$1.pid"; }
# Creates the logs folder on first use: on a new machine nothing under .local exists yet.
log_file() { mkdir -p "$LOGS_DIR" && echo "$LOGS_DIR/$1.log"; }

# The pid recorded for NAME if that process is alive AND is one of ours (its command line
# mentions this repo's .local folder), so a recycled pid after a reboot is not mistaken for it.
server_pid() {
  local f pid
  f=$(pid_file "$1")
  [[ -f "$f" ]] || return 1
  pid=$(cat "$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$LOCAL_DIR" || return 1
  echo "$pid"
}

# Start "$@" detached in its own session (setsid) so it survives the calling shell and CI step,
# and so `down` can signal the whole process group (kc.sh forks java, for instance).
# In a non-interactive shell a background job is not a group leader, so setsid does not fork
# and $! is the server's own pid.
start_detached() {
  local name=$1; shift
  mkdir -p "$LOGS_DIR" "$RUN_DIR"
  printf '\n===== %s start %s =====\n' "$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$(log_file "$name")"
  setsid nohup "$@" >>"$(log_file "$name")" 2>&1 </dev/null 9>&- &
  echo $! >"$(pid_file "$name")"
}

show_log_tail() {
  local f; f=$(log_file "$1")
  if [[ -f "$f" ]]; then
    printf -- '----- last 40 lines of %s -----\n' "${f#"$REPO_ROOT/"}" >&2
    tail -n 40 "$f" >&2
    printf -- '-----\n' >&2
  fi
}

# wait_ready NAME TIMEOUT_SECONDS CHECK_FUNCTION: poll until the check passes, the process dies,
# or time runs out (then show the log, since that is where the reason is).
wait_ready() {
  local name=$1 timeout=$2 check=$3 start=$SECONDS next_note=15 pid
  pid=$(cat "$(pid_file "$name")" 2>/dev/null)
  while ! "$check"; do
    # Alive is enough here: we started this pid a moment ago. (server_pid also wants our folder in
    # its command line, which a process just forked does not show until it has exec'd the server:
    # on a loaded machine that moment read as "exited during start-up" while Kafka went on starting.)
    if ! kill -0 "$pid" 2>/dev/null; then
      fail "$name exited during start-up"
      show_log_tail "$name"
      return 1
    fi
    if (( SECONDS - start >= timeout )); then
      fail "$name not ready after ${timeout}s (still running, pid $(cat "$(pid_file "$name")"))"
      show_log_tail "$name"
      return 1
    fi
    if (( SECONDS - start >= next_note )); then
      info "$name: still waiting for readiness ($((SECONDS - start))s)"
      next_note=$((next_note + 15))
    fi
    sleep 1
  done
  # Count from the start itself (the pid file's time), not from when we began waiting.
  local started; started=$(stat -c %Y "$(pid_file "$name")" 2>/dev/null || date +%s)
  info "$name ready ($(($(date +%s) - started))s after start)"
}

# Refuse to start when one of our ports is held by a process that is not ours: the server
# would fail or, worse, tests would talk to the wrong thing.
check_ports_free() {
  local name=$1 p owner; shift
  for p in "$@"; do
    if port_open "$p"; then
      owner=$(port_owner "$p")
      fail "cannot start $name: port 127.0.0.1:$p is already taken by another process${owner:+ ($owner)}, not by infra.sh. Stop it or free the port."
      return 1
    fi
  done
}

# Stop NAME: SIGTERM to its process group, wait, then SIGKILL. No-op when it is not running.
# A server may name another signal (NAME_stop_signal) and ask that only its main process gets it
# (NAME_signal_group returning false), when that process stops its children itself.
stop_server() {
  local name=$1 grace=${2:-30} pid i sig=TERM target
  if ! pid=$(server_pid "$name"); then
    rm -f "$(pid_file "$name")"
    info "$name: not running"
    return 0
  fi
  info "$name: stopping (pid $pid)"
  declare -F "${name}_stop_signal" >/dev/null && sig=$("${name}_stop_signal")
  target="-$pid"
  declare -F "${name}_signal_group" >/dev/null && ! "${name}_signal_group" && target=$pid
  kill "-$sig" -- "$target" 2>/dev/null || kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name did not stop within ${grace}s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  # Give the rest of the group (kc.sh's java, for instance) a moment to go as well.
  for ((i = 0; i < 50; i++)); do
    pgrep -g "$pid" >/dev/null 2>&1 || break
    sleep 0.2
  done
  rm -f "$(pid_file "$name")"
  info "$name: stopped"
}

# Run a fetch step, naming the artifact when it fails (a registry refusal or a network error
# should not look like a bug in the script).
fetch_step() {
  local what=$1; shift
  local out; out=$(mktemp)
  if ! "$@" >"$out" 2>&1; then
    fail "download/build of $what failed; output of: $*"
    tail -n 40 "$out" >&2
    rm -f "$out"
    return 1
  fi
  rm -f "$out"
}

# `go install MODULE@VERSION` into .local/tools/NAME/bin, unless that version is built already:
# for servers whose module builds that way (no replace lines), e.g. Mailpit and stripe-mock.
go_install_pinned() {
  local name=$1 module=$2 version=$3 bin=$4
  if have_version "$name" "$version" && [[ -x "$bin" ]]; then
    info "$name $version: already built"
    return 0
  fi
  need_cmd go || return 1
  info "$name $version: go install"
  mkdir -p "$TOOLS_DIR/$name/bin"
  GOBIN="$TOOLS_DIR/$name/bin" GOTOOLCHAIN=local \
    fetch_step "$module@$version" go install -trimpath -ldflags '-s -w' "$module@$version" || return 1
  mark_version "$name" "$version"
}

# Build a Go main package from a throwaway module under .local/tools/<name>-build. Used for
# modules that `go install pkg@version` cannot build (replace lines in their go.mod, or a
# generated file that only a build from a module dependency gets right).
go_build_pinned() {
  local name=$1 module=$2 version=$3 pkg=$4 out=$5
  local bdir="$TOOLS_DIR/$name-build"
  need_cmd go || return 1
  rm -rf "$bdir" && mkdir -p "$bdir" "$(dirname "$out")"
  (
    cd "$bdir" || exit 1
    export GOFLAGS=-mod=mod GOTOOLCHAIN=local
    fetch_step "$module@$version (go.mod init)" go mod init "local/$name-build" || exit 1
    # Copy the dependency's own replace lines: replace directives only apply in the main
    # module, so without them the build resolves different (sometimes broken) modules.
    local gomod
    gomod=$(go mod download -json "$module@$version" 2>/dev/null | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
    [[ -n "$gomod" && -f "$gomod" ]] || { fetch_step "$module@$version (go.mod)" go mod download -json "$module@$version"; exit 1; }
    local r
    while IFS= read -r r; do
      [[ -n "$r" ]] || continue
      info "$name: copying replace $r"
      go mod edit -replace "$r" || exit 1
    done < <(go_mod_replaces "$gomod")
    fetch_step "$module@$version (go get)" go get "$pkg@$version" || exit 1
    fetch_step "$module@$version (go build)" go build -trimpath -ldflags '-s -w' -o "$out" "$pkg" || exit 1
  )
}

# Print a go.mod's replace directives as OLD[@V]=NEW@V, skipping replacements by local
# directories (those cannot exist outside the author's machine).
go_mod_replaces() {
  awk '
    function emit(s,   a, n, lhs, rhs) {
      sub(/\/\/.*/, "", s)
      n = split(s, a, /[ \t]+=>[ \t]+/)
      if (n != 2) return
      gsub(/^[ \t]+|[ \t]+$/, "", a[1]); gsub(/^[ \t]+|[ \t]+$/, "", a[2])
      split(a[1], l, /[ \t]+/); split(a[2], r, /[ \t]+/)
      if (r[1] ~ /^(\.|\/)/) return
      lhs = l[1] (l[2] != "" ? "@" l[2] : "")
      print lhs "=" r[1] "@" r[2]
    }
    /^[ \t]*\/\// { next }
    inblock && /^[ \t]*\)/ { inblock = 0; next }
    inblock { emit($0); next }
    /^replace[ \t]*\(/ { inblock = 1; next }
    /^replace[ \t]/ { sub(/^replace[ \t]+/, ""); emit($0) }
  ' "$1"
}
