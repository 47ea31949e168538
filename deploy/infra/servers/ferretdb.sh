# shellcheck shell=bash disable=SC2034  # sourced by infra.sh, which reads the *_PORTS arrays
# FerretDB 1.24: the MongoDB wire protocol for the services' mongoose code, stored in the
# PostgreSQL cluster of postgresql.sh (FERRETDB_HANDLER=sqlite keeps it in SQLite files instead:
# no PostgreSQL needed, but about six times slower under concurrent load).
# FerretDB panics at start unless its build/version/version.txt (generated from git by its own
# build tooling, absent from the module zip) holds a version. Neither `go install ...@v1.24.2`
# nor a throwaway module depending on it avoids that with Go 1.26 (the build info names FerretDB
# as the main module either way, which is what turns the check on). So the module source is
# taken from the Go module proxy, the missing file is written, and it is built in place with
# its own go.mod/go.sum.

FERRETDB_MODULE=github.com/FerretDB/FerretDB
FERRETDB_VERSION=v1.24.2
FERRETDB_PORT=${FERRETDB_PORT:-27017}
FERRETDB_DEBUG_PORT=${FERRETDB_DEBUG_PORT:-8088}
FERRETDB_HANDLER=${FERRETDB_HANDLER:-postgresql}
# FerretDB's Go collector ran whenever its heap doubled from a live heap of a few MB: under load it
# was a third of FerretDB's CPU (the rest mostly decoding PostgreSQL's JSON), which made it the
# floor of every benchmark. It collects only near this limit instead: 50 callers' raw finds went
# from 290–450/s to 680–830/s on two cores. The limit is soft: a larger live heap is still served.
FERRETDB_MEMORY_LIMIT=${FERRETDB_MEMORY_LIMIT:-512MiB}
FERRETDB_PORTS=("$FERRETDB_PORT" "$FERRETDB_DEBUG_PORT")

ferretdb_bin() { echo "$TOOLS_DIR/ferretdb/bin/ferretdb"; }

ferretdb_fetch() {
  if have_version ferretdb "$FERRETDB_VERSION" && [[ -x "$(ferretdb_bin)" ]]; then
    info "ferretdb $FERRETDB_VERSION: already built"
    return 0
  fi
  need_cmd go || return 1
  info "ferretdb $FERRETDB_VERSION: building"
  local bdir="$TOOLS_DIR/ferretdb-build" dir
  rm -rf "$bdir" && mkdir -p "$bdir" "$TOOLS_DIR/ferretdb/bin"
  fetch_step "$FERRETDB_MODULE@$FERRETDB_VERSION (module source)" \
    go mod download "$FERRETDB_MODULE@$FERRETDB_VERSION" || return 1
  dir=$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -d "$dir" ]] || { fail "ferretdb: module source of $FERRETDB_MODULE@$FERRETDB_VERSION not found"; return 1; }
  cp -R "$dir" "$bdir/src" && chmod -R u+w "$bdir/src"
  echo "$FERRETDB_VERSION" >"$bdir/src/build/version/version.txt"
  (
    cd "$bdir/src" || exit 1
    GOFLAGS=-mod=mod GOTOOLCHAIN=local fetch_step "$FERRETDB_MODULE@$FERRETDB_VERSION (go build)" \
      go build -trimpath -ldflags '-s -w' -o "$(ferretdb_bin)" ./cmd/ferretdb
  ) || return 1
  mark_version ferretdb "$FERRETDB_VERSION"
  rm -rf "$bdir"
}

# `up` starts these first (the storage must answer before FerretDB opens its connection pool).
ferretdb_needs() { [[ "$FERRETDB_HANDLER" == postgresql ]] && echo postgresql; }

ferretdb_start() {
  local storage
  mkdir -p "$DATA_DIR/ferretdb/state"
  if [[ "$FERRETDB_HANDLER" == sqlite ]]; then
    # The SQLite folder must exist and the URL must end in '/': one .sqlite file per database.
    mkdir -p "$DATA_DIR/ferretdb/sqlite"
    storage=(--handler=sqlite --sqlite-url="file:$DATA_DIR/ferretdb/sqlite/")
  else
    # FerretDB opens its database when it starts: wait for the cluster (started just before).
    if ! postgresql_ready; then
      server_pid postgresql >/dev/null || { fail "ferretdb: postgresql is not running (infra.sh up ferretdb starts both)"; return 1; }
      wait_ready postgresql "$(postgresql_timeout)" postgresql_ready || return 1
    fi
    postgresql_after_start || return 1
    # pgx's pool defaults to max(4, CPUs) connections, which caps concurrent requests at 4 on a
    # small machine; the cluster allows 200.
    storage=(--handler=postgresql --postgresql-url="$(postgresql_url)?pool_max_conns=50")
  fi
  GOGC=off GOMEMLIMIT="$FERRETDB_MEMORY_LIMIT" start_detached ferretdb "$(ferretdb_bin)" "${storage[@]}" \
    --state-dir="$DATA_DIR/ferretdb/state" \
    --listen-addr="127.0.0.1:$FERRETDB_PORT" \
    --debug-addr="127.0.0.1:$FERRETDB_DEBUG_PORT" \
    --telemetry=disable --log-level=info
}

# `reset ferretdb` forgets every database: on PostgreSQL they live in the cluster, not in
# .local/data/ferretdb, so its database is dropped too (created again by the next `up`).
ferretdb_reset() {
  [[ "$FERRETDB_HANDLER" == postgresql ]] || return 0
  if ! postgresql_ready; then
    warn "ferretdb: postgresql is not running, so its database $POSTGRES_DB was not dropped (infra.sh reset postgresql drops the whole cluster)"
    return 0
  fi
  info "ferretdb: dropping database $POSTGRES_DB in postgresql"
  "$(postgresql_bin_dir)/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -Atq \
    -c "DROP DATABASE IF EXISTS $POSTGRES_DB WITH (FORCE)"
}

ferretdb_ready() { http_ok "http://127.0.0.1:$FERRETDB_DEBUG_PORT/debug/readyz"; }
ferretdb_timeout() { echo 60; }
ferretdb_where() { echo "mongodb 127.0.0.1:$FERRETDB_PORT (debug $FERRETDB_DEBUG_PORT), on $FERRETDB_HANDLER"; }
