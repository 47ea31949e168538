# shellcheck shell=bash disable=SC2034  # sourced by infra.sh, which reads the *_PORTS arrays
# PostgreSQL: the storage FerretDB keeps the services' MongoDB databases in. About six times
# faster than FerretDB's SQLite backend under concurrent load (see README.md), and the same
# FerretDB binary. A private cluster under .local/data, never the machine's own PostgreSQL.
#
# The server comes from Debian's `postgresql` package (installed with apt-get when missing and
# this runs as root). PostgreSQL refuses to run as root, so as root the cluster belongs to the
# `postgres` user the package creates and every server command runs as that user; as any other
# user it simply runs as that user.

POSTGRES_PORT=${POSTGRES_PORT:-5433}
POSTGRES_PORTS=("$POSTGRES_PORT")
POSTGRES_DB=ferretdb

postgresql_dir() { echo "$DATA_DIR/postgresql"; }

# The newest PostgreSQL under Debian's layout, unless POSTGRES_BIN_DIR names one.
postgresql_bin_dir() {
  if [[ -n "${POSTGRES_BIN_DIR:-}" ]]; then echo "$POSTGRES_BIN_DIR"; return 0; fi
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/postgres" && -x "$d/initdb" ]] && best=$d
  done
  # Versions sort as words: 9.6 would sort after 15, but nothing older than 13 is shipped now.
  [[ -n "$best" ]] && echo "$best"
}

# The prefix that runs a PostgreSQL command as the cluster's owner; setpriv execs, so a server
# started through it keeps the pid start_detached records.
POSTGRES_AS=()
(( EUID == 0 )) && POSTGRES_AS=(setpriv --reuid=postgres --regid=postgres --init-groups --reset-env --)

postgresql_fetch() {
  if [[ -n "$(postgresql_bin_dir)" ]]; then
    info "postgresql: $("$(postgresql_bin_dir)/postgres" --version) in $(postgresql_bin_dir)"
    return 0
  fi
  if (( EUID != 0 )) || ! command -v apt-get >/dev/null 2>&1; then
    fail "postgresql: no PostgreSQL server found under /usr/lib/postgresql; install Debian's 'postgresql' package (or set POSTGRES_BIN_DIR)"
    return 1
  fi
  info "postgresql: installing Debian's postgresql package"
  # The package may also create Debian's own cluster on 5432; ours is separate, on its own port.
  export DEBIAN_FRONTEND=noninteractive
  # One apt-get at a time: `make test` installs the browser and the image tools beside this.
  local apt_get="$REPO_ROOT/deploy/local/apt-get.sh"
  fetch_step "Debian package postgresql" "$apt_get" install -y --no-install-recommends postgresql ||
    { fetch_step "Debian package lists" "$apt_get" update &&
      fetch_step "Debian package postgresql" "$apt_get" install -y --no-install-recommends postgresql; } || return 1
  [[ -n "$(postgresql_bin_dir)" ]] || { fail "postgresql: installed, but no server under /usr/lib/postgresql"; return 1; }
}

# A new cluster on first start: trust authentication is safe only because it listens on
# 127.0.0.1 and its socket folder is private to the owner (-k inside the data folder).
postgresql_init() {
  local dir bin; dir=$(postgresql_dir); bin=$(postgresql_bin_dir)
  [[ -f "$dir/cluster/PG_VERSION" ]] && return 0
  info "postgresql: creating the cluster in ${dir#"$(dirname "$LOCAL_DIR")/"}"
  mkdir -p "$dir/cluster" "$dir/socket"
  chmod 700 "$dir/cluster"
  (( EUID == 0 )) && chown -R postgres:postgres "$dir"
  "${POSTGRES_AS[@]}" "$bin/initdb" -D "$dir/cluster" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >>"$(log_file postgresql)" 2>&1 ||
    { fail "postgresql: initdb failed"; show_log_tail postgresql; return 1; }
}

postgresql_start() {
  postgresql_init || return 1
  local dir; dir=$(postgresql_dir)
  # The server writes to the log file start_detached opens, so it needs no file of its own.
  # synchronous_commit=off: a crash may lose the last moments of commits but never corrupts the
  # cluster, and commits stop waiting for the disk (fsync stays on for that reason).
  start_detached postgresql "${POSTGRES_AS[@]}" "$(postgresql_bin_dir)/postgres" -D "$dir/cluster" -p "$POSTGRES_PORT" -k "$dir/socket" \
    -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB -c synchronous_commit=off
}

postgresql_ready() {
  "$(postgresql_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres 2>/dev/null
}

# FerretDB keeps everything in one database of the cluster.
postgresql_after_start() {
  local psql; psql="$(postgresql_bin_dir)/psql -h 127.0.0.1 -p $POSTGRES_PORT -U postgres -Atq"
  if [[ "$($psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_DB'")" != 1 ]]; then
    info "postgresql: creating database $POSTGRES_DB"
    $psql -d postgres -c "CREATE DATABASE $POSTGRES_DB" || { fail "postgresql: could not create database $POSTGRES_DB"; return 1; }
  fi
}

# SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client to leave; SIGINT (fast)
# rolls back open transactions and stops. Only the postmaster is signalled: it stops its children.
postgresql_stop_signal() { echo INT; }
postgresql_signal_group() { return 1; }

postgresql_url() { echo "postgres://postgres@127.0.0.1:$POSTGRES_PORT/$POSTGRES_DB"; }
postgresql_timeout() { echo 60; }
postgresql_where() { echo "postgresql 127.0.0.1:$POSTGRES_PORT"; }
