# shellcheck shell=bash disable=SC2034  # sourced by infra.sh, which reads the *_PORTS arrays
# Keycloak: the identity provider (OIDC login for the gateway, admin API for the auth service).
# The full server distribution is published to Maven Central as keycloak-quarkus-dist (zip).
# Keycloak 26.5 needs Java 21+, so it runs on the Temurin JDK found under /usr/lib/jvm.
# Dev mode (H2 database in .local/data/keycloak) with the realm imported from
# deploy/keycloak/portico-realm.json on first start; an existing realm is never overwritten
# (`infra.sh reset keycloak` to re-import after editing the realm file).

KEYCLOAK_VERSION=26.5.6
KEYCLOAK_PORT=8180            # 8080 is the usual default; keep clear of other local servers
KEYCLOAK_MGMT_PORT=9000       # health and metrics (management interface)
KEYCLOAK_PORTS=("$KEYCLOAK_PORT" "$KEYCLOAK_MGMT_PORT")
KEYCLOAK_HEAP=${KEYCLOAK_HEAP:-"-Xms128m -Xmx768m"}

keycloak_home() { echo "$TOOLS_DIR/keycloak"; }

keycloak_fetch() {
  if have_version keycloak "$KEYCLOAK_VERSION" && [[ -x "$(keycloak_home)/bin/kc.sh" ]]; then
    info "keycloak $KEYCLOAK_VERSION: already fetched"
    return 0
  fi
  need_cmd mvn unzip || return 1
  local dl="$TOOLS_DIR/keycloak-download" home
  home=$(keycloak_home)
  info "keycloak $KEYCLOAK_VERSION: fetching org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip with Maven"
  rm -rf "$dl" && mkdir -p "$dl"
  fetch_step "Keycloak $KEYCLOAK_VERSION distribution (org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip)" \
    mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
    -DoutputDirectory="$dl" -Dmdep.overWriteReleases=true || return 1
  info "keycloak: unpacking"
  fetch_step "Keycloak $KEYCLOAK_VERSION distribution (unzip)" \
    unzip -q -o "$dl/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" -d "$dl" || return 1
  rm -rf "$home"
  mv "$dl/keycloak-$KEYCLOAK_VERSION" "$home"
  rm -rf "$dl"
  # Keep the server's state (H2 database, import folder, tmp) with the other servers' data,
  # so `.local/data` is the one thing to delete for a clean slate and a refetch keeps users.
  rm -rf "$home/data"
  ln -s "../../data/keycloak" "$home/data"
  mark_version keycloak "$KEYCLOAK_VERSION"
}

keycloak_start() {
  local java_home
  java_home=$(find_java21_home) || return 1
  mkdir -p "$DATA_DIR/keycloak/import"
  # Offered on every start; Keycloak imports it only while the realm does not exist yet.
  cp "$REPO_ROOT/deploy/keycloak/portico-realm.json" "$DATA_DIR/keycloak/import/portico-realm.json"
  # Portico's sign-in and email theme, read from the repository (start-dev does not cache
  # themes, so an edit shows on the next page load).
  ln -sfn "$REPO_ROOT/deploy/keycloak/themes/portico" "$(keycloak_home)/themes/portico"
  # The bootstrap admin is created only on the very first start (empty database).
  # --add-opens: on Java 24+ the jboss-threads thread-local reset needs it; without it worker
  # threads die with IllegalAccessError (seen at shutdown with Java 25).
  # Concurrent logins of one user: Keycloak 26 refuses a login while another of the same user is
  # in flight ("user_temporarily_disabled" with no failure before it). Tests sign the same person
  # in from a browser and for API tokens at once, and a busy machine made that refusal a flaky
  # test; locally they are allowed. Failed-login lockout is unchanged, and clusters keep the default.
  JAVA_HOME="$java_home" \
    KC_SPI_BRUTE_FORCE_PROTECTOR_DEFAULT_BRUTE_FORCE_DETECTOR_ALLOW_CONCURRENT_REQUESTS=true \
    JAVA_OPTS_KC_HEAP="$KEYCLOAK_HEAP" \
    JAVA_OPTS_APPEND="--add-opens=java.base/java.lang=ALL-UNNAMED" \
    KC_BOOTSTRAP_ADMIN_USERNAME="$KEYCLOAK_ADMIN_USER" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
    start_detached keycloak "$(keycloak_home)/bin/kc.sh" start-dev \
    --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
    --http-management-port="$KEYCLOAK_MGMT_PORT" \
    --health-enabled=true --import-realm
}

# Ready = the health check says so AND the portico realm answers (the import has run).
keycloak_ready() {
  http_ok "http://127.0.0.1:$KEYCLOAK_MGMT_PORT/health/ready" &&
    http_ok "http://127.0.0.1:$KEYCLOAK_PORT/realms/portico/.well-known/openid-configuration"
}
# The first start builds the Quarkus application (~1-2 min on 2 cores).
keycloak_timeout() { echo 240; }
keycloak_where() { echo "http 127.0.0.1:$KEYCLOAK_PORT (management $KEYCLOAK_MGMT_PORT)"; }

# A realm imported before the repository's realm gained a role or a client (Keycloak imports the
# file only into a new realm) gets what is missing, e.g. the notifications service's client.
# Needs Node, which a machine running the servers for `make dev` or `make test` has; skipped
# with a note when it is not there yet.
keycloak_after_start() {
  local node_bin="$REPO_ROOT/.local/tools/node/bin/node"
  [[ -x "$node_bin" ]] || node_bin=$(command -v node || true)
  if [[ -z "$node_bin" ]]; then
    warn "keycloak: no node yet; the realm's additions (deploy/keycloak/realm-additions.mjs) were not checked"
    return 0
  fi
  KEYCLOAK_URL="http://127.0.0.1:$KEYCLOAK_PORT" KEYCLOAK_ADMIN_USER="$KEYCLOAK_ADMIN_USER" KEYCLOAK_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
    "$node_bin" "$REPO_ROOT/deploy/keycloak/realm-additions.mjs" || { fail "keycloak: could not bring the realm up to date"; return 1; }
}
