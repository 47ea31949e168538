#!/usr/bin/env bash
# `make dev`: every Portico service and the gateway on this machine, against the servers started by
# `make infra-up`, with one readable log stream. Ctrl-C stops what this script started (the
# infrastructure keeps running; `make infra-down` stops it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. deploy/infra/env.sh

export LOG_LEVEL="${LOG_LEVEL:-info}"
HTTP_PORT="${HTTP_PORT:-8000}"
pids=()

stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping Portico services..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped. (The infrastructure is still running: make infra-down stops it.)"
}
trap stop_all INT TERM EXIT

# Each process's JSON log lines become "name | level message", readable side by side.
run() {
  local name="$1"; shift
  (cd "$root" && exec env "$@") 2>&1 | node deploy/local/log-lines.mjs "$name" &
  pids+=("$!")
}

run contacts OTEL_SERVICE_NAME=contacts GRPC_PORT=50051 METRICS_PORT=9464 MONGO_DB=portico_contacts AUTH_GRPC_URL=127.0.0.1:50052 \
  node --import @portico/kit/telemetry/register services/contacts/dist/main.js
run auth OTEL_SERVICE_NAME=auth GRPC_PORT=50052 METRICS_PORT=9466 MONGO_DB=portico_auth \
  KEYCLOAK_CLIENT_SECRET=portico-auth-dev-secret \
  node --import @portico/kit/telemetry/register services/auth/dist/main.js
# Development-only secrets: the realm's dev client secret, and a sealing key made once per machine.
mkdir -p .local
[ -s .local/dev-session-secret ] || head -c 48 /dev/urandom | base64 | tr -d '\n' > .local/dev-session-secret
web_root=""
[ -f gateway/web/dist/index.html ] && web_root="WEB_ROOT=$root/gateway/web/dist"
run gateway OTEL_SERVICE_NAME=gateway HTTP_PORT="$HTTP_PORT" PUBLIC_URL="http://127.0.0.1:$HTTP_PORT" METRICS_PORT=9465 \
  CONTACTS_GRPC_URL=127.0.0.1:50051 AUTH_GRPC_URL=127.0.0.1:50052 MONGO_DB=portico_gateway OIDC_CLIENT_SECRET=portico-gateway-dev-secret \
  SESSION_SECRET="$(cat .local/dev-session-secret)" $web_root \
  node --import @portico/kit/telemetry/register gateway/dist/main.js

for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
cat <<TXT

  Portico is running.
    Portal and API:  http://127.0.0.1:$HTTP_PORT
    API reference:   http://127.0.0.1:$HTTP_PORT/api/docs
    Readiness:       http://127.0.0.1:$HTTP_PORT/readyz
    Keycloak:        $KEYCLOAK_URL (realm $KEYCLOAK_REALM)
    Mail (Mailpit):  $MAILPIT_URL
  Ctrl-C stops the services.

TXT
wait
