#!/usr/bin/env bash
# `make dev`: every Portico service and the gateway on this machine, against the servers started by
# `make infra-up`, with one readable log stream, a demo clinic to log in to (deploy/local/seed.mjs)
# and a page showing the emails sent. The infrastructure keeps running when this stops
# (`make infra-down` stops it).
#
# Stopping: Ctrl-C, SIGINT or SIGTERM (to this script, to make, or to their process group) stops
# everything this script started. Each service runs in its own session, so only this script
# signals it, exactly once (a second signal would cut its graceful shutdown short); whatever has
# not exited after the services' grace period is killed. The log formatters ignore the signals and
# end when their service closes its output, so no service ever writes into a broken pipe.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. deploy/infra/env.sh

export LOG_LEVEL="${LOG_LEVEL:-info}"
HTTP_PORT="${HTTP_PORT:-8000}"
CONTACTS_GRPC_PORT="${CONTACTS_GRPC_PORT:-50051}"
AUTH_GRPC_PORT="${AUTH_GRPC_PORT:-50052}"
AUDIT_GRPC_PORT="${AUDIT_GRPC_PORT:-50053}"
APPOINTMENTS_GRPC_PORT="${APPOINTMENTS_GRPC_PORT:-50054}"
NOTIFICATIONS_GRPC_PORT="${NOTIFICATIONS_GRPC_PORT:-50055}"
DOCUMENTS_GRPC_PORT="${DOCUMENTS_GRPC_PORT:-50056}"
INSURANCE_GRPC_PORT="${INSURANCE_GRPC_PORT:-50057}"
BILLING_GRPC_PORT="${BILLING_GRPC_PORT:-50058}"
CONTACTS_METRICS_PORT="${CONTACTS_METRICS_PORT:-9464}"
GATEWAY_METRICS_PORT="${GATEWAY_METRICS_PORT:-9465}"
AUTH_METRICS_PORT="${AUTH_METRICS_PORT:-9466}"
AUDIT_METRICS_PORT="${AUDIT_METRICS_PORT:-9467}"
APPOINTMENTS_METRICS_PORT="${APPOINTMENTS_METRICS_PORT:-9468}"
NOTIFICATIONS_METRICS_PORT="${NOTIFICATIONS_METRICS_PORT:-9469}"
DOCUMENTS_METRICS_PORT="${DOCUMENTS_METRICS_PORT:-9470}"
INSURANCE_METRICS_PORT="${INSURANCE_METRICS_PORT:-9471}"
BILLING_METRICS_PORT="${BILLING_METRICS_PORT:-9472}"
MAIL_VIEWER_PORT="${MAIL_VIEWER_PORT:-8026}"
# Database names are <prefix>_<service> (contacts, auth, audit, appointments, notifications, documents, insurance, billing) and <prefix>_gateway.
DEV_DB_PREFIX="${DEV_DB_PREFIX:-portico}"
# The services' own default (SHUTDOWN_GRACE_MS), plus the 2 s they allow themselves beyond it.
export SHUTDOWN_GRACE_MS="${SHUTDOWN_GRACE_MS:-10000}"
stop_after_s=$((SHUTDOWN_GRACE_MS / 1000 + 3))
public_url="http://127.0.0.1:$HTTP_PORT"

pids=() names=() stopping="" seed_pid=""
banner_file=$(mktemp)

stop_all() {
  [[ -n "$stopping" ]] && return
  stopping=1
  trap '' INT TERM HUP
  echo
  echo "stopping Portico services..."
  local pid i deadline=$((SECONDS + stop_after_s))
  for pid in "${pids[@]}" $seed_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[i]}" 2>/dev/null; then
      echo "${names[i]} did not stop within ${stop_after_s}s; killing it"
      kill -KILL "${pids[i]}" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
  rm -f "$banner_file"
  echo "stopped. (The infrastructure is still running: make infra-down stops it.)"
}
on_signal() {
  stop_all
  exit 0
}
trap on_signal INT TERM HUP
trap stop_all EXIT

# Each process's JSON log lines become "name | level message", readable side by side. $! is the
# service itself (setsid execs it: a background job of a script is no process group leader).
run() {
  local name="$1"
  shift
  setsid env "$@" > >(exec node deploy/local/log-lines.mjs "$name") 2>&1 &
  pids+=("$!") names+=("$name")
}

run contacts OTEL_SERVICE_NAME=contacts GRPC_PORT="$CONTACTS_GRPC_PORT" METRICS_PORT="$CONTACTS_METRICS_PORT" MONGO_DB="${DEV_DB_PREFIX}_contacts" AUTH_GRPC_URL="127.0.0.1:$AUTH_GRPC_PORT" \
  node --import @portico/kit/telemetry/register services/contacts/dist/main.js
run auth OTEL_SERVICE_NAME=auth GRPC_PORT="$AUTH_GRPC_PORT" METRICS_PORT="$AUTH_METRICS_PORT" MONGO_DB="${DEV_DB_PREFIX}_auth" \
  KEYCLOAK_CLIENT_SECRET=portico-auth-dev-secret \
  node --import @portico/kit/telemetry/register services/auth/dist/main.js
run audit OTEL_SERVICE_NAME=audit GRPC_PORT="$AUDIT_GRPC_PORT" METRICS_PORT="$AUDIT_METRICS_PORT" MONGO_DB="${DEV_DB_PREFIX}_audit" \
  node --import @portico/kit/telemetry/register services/audit/dist/main.js
run appointments OTEL_SERVICE_NAME=appointments GRPC_PORT="$APPOINTMENTS_GRPC_PORT" METRICS_PORT="$APPOINTMENTS_METRICS_PORT" \
  MONGO_DB="${DEV_DB_PREFIX}_appointments" AUTH_GRPC_URL="127.0.0.1:$AUTH_GRPC_PORT" \
  node --import @portico/kit/telemetry/register services/appointments/dist/main.js
# Files go to a bucket of the documents service's own (it creates it at its first start).
run documents OTEL_SERVICE_NAME=documents GRPC_PORT="$DOCUMENTS_GRPC_PORT" METRICS_PORT="$DOCUMENTS_METRICS_PORT" \
  MONGO_DB="${DEV_DB_PREFIX}_documents" AUTH_GRPC_URL="127.0.0.1:$AUTH_GRPC_PORT" S3_BUCKET="${DOCUMENTS_BUCKET:-portico-documents}" \
  CONTACTS_GRPC_URL="127.0.0.1:$CONTACTS_GRPC_PORT" \
  node --import @portico/kit/telemetry/register services/documents/dist/main.js
# Payments go through the sandbox processor here: no card is ever charged.
run billing OTEL_SERVICE_NAME=billing GRPC_PORT="$BILLING_GRPC_PORT" METRICS_PORT="$BILLING_METRICS_PORT" \
  MONGO_DB="${DEV_DB_PREFIX}_billing" AUTH_GRPC_URL="127.0.0.1:$AUTH_GRPC_PORT" PAYMENT_PROCESSOR=sandbox \
  INSURANCE_GRPC_URL="127.0.0.1:$INSURANCE_GRPC_PORT" \
  node --import @portico/kit/telemetry/register services/billing/dist/main.js
# Reminders are looked for every 15 s here (a minute in production), so a demo reminder shows soon.
run notifications OTEL_SERVICE_NAME=notifications GRPC_PORT="$NOTIFICATIONS_GRPC_PORT" METRICS_PORT="$NOTIFICATIONS_METRICS_PORT" \
  MONGO_DB="${DEV_DB_PREFIX}_notifications" AUTH_GRPC_URL="127.0.0.1:$AUTH_GRPC_PORT" \
  NOTIFICATIONS_CLIENT_SECRET=portico-notifications-dev-secret REMINDER_SWEEP_INTERVAL_MS=15000 \
  node --import @portico/kit/telemetry/register services/notifications/dist/main.js
run insurance OTEL_SERVICE_NAME=insurance GRPC_PORT="$INSURANCE_GRPC_PORT" METRICS_PORT="$INSURANCE_METRICS_PORT" \
  MONGO_DB="${DEV_DB_PREFIX}_insurance" AUTH_GRPC_URL="127.0.0.1:$AUTH_GRPC_PORT" \
  node --import @portico/kit/telemetry/register services/insurance/dist/main.js
# Development-only secrets: the realm's dev client secret, and a sealing key made once per machine.
mkdir -p .local
[ -s .local/dev-session-secret ] || head -c 48 /dev/urandom | base64 | tr -d '\n' >.local/dev-session-secret
web_root=""
[ -f gateway/web/dist/index.html ] && web_root="WEB_ROOT=$root/gateway/web/dist"
run gateway OTEL_SERVICE_NAME=gateway HTTP_PORT="$HTTP_PORT" PUBLIC_URL="$public_url" METRICS_PORT="$GATEWAY_METRICS_PORT" \
  CONTACTS_GRPC_URL="127.0.0.1:$CONTACTS_GRPC_PORT" AUTH_GRPC_URL="127.0.0.1:$AUTH_GRPC_PORT" AUDIT_GRPC_URL="127.0.0.1:$AUDIT_GRPC_PORT" \
  APPOINTMENTS_GRPC_URL="127.0.0.1:$APPOINTMENTS_GRPC_PORT" NOTIFICATIONS_GRPC_URL="127.0.0.1:$NOTIFICATIONS_GRPC_PORT" \
  INSURANCE_GRPC_URL="127.0.0.1:$INSURANCE_GRPC_PORT" BILLING_GRPC_URL="127.0.0.1:$BILLING_GRPC_PORT" \
  DOCUMENTS_GRPC_URL="127.0.0.1:$DOCUMENTS_GRPC_PORT" MONGO_DB="${DEV_DB_PREFIX}_gateway" \
  OIDC_CLIENT_SECRET=portico-gateway-dev-secret SESSION_SECRET="$(cat .local/dev-session-secret)" $web_root \
  node --import @portico/kit/telemetry/register gateway/dist/main.js
run mail MAIL_VIEWER_PORT="$MAIL_VIEWER_PORT" MAILPIT_URL="$MAILPIT_URL" node deploy/local/mail-viewer.mjs

# Something that exits during start-up (a server not up, a port taken) stops it all at once.
exited() {
  local i
  for i in "${!pids[@]}"; do
    kill -0 "${pids[i]}" 2>/dev/null || { echo "${names[i]} exited; stopping the others (see its lines above)" >&2 && return 0; }
  done
  return 1
}
ready=""
for _ in $(seq 1 120); do
  if curl -fsS "$public_url/readyz" >/dev/null 2>&1; then ready=1 && break; fi
  exited && exit 1
  sleep 0.5
done
[[ -n "$ready" ]] || { echo "the gateway did not become ready in 60 s; see its lines above" >&2; exit 1; }

# The demo clinic, through the gateway's staff API and Keycloak's admin API (idempotent). Waited
# for in the background, so a signal is handled at once rather than after the seed.
PUBLIC_URL="$public_url" node deploy/local/seed.mjs >"$banner_file" &
seed_pid=$!
if ! wait "$seed_pid"; then
  echo "the demo clinic could not be seeded (see the lines above); the services keep running" >&2
  : >"$banner_file"
fi
seed_pid=""

cat <<TXT

  Portico is running.
    Portal and API:  $public_url
    API reference:   $public_url/api/docs
    Readiness:       $public_url/readyz
    Emails sent:     http://127.0.0.1:$MAIL_VIEWER_PORT (development only; Mailpit's API: $MAILPIT_URL)
    Keycloak:        $KEYCLOAK_URL (realm $KEYCLOAK_REALM)
$(cat "$banner_file")
  Ctrl-C stops the services.

TXT

# Until a signal, or until a service exits by itself (then the rest stop too, instead of a
# portal half up).
wait -n "${pids[@]}" || true
exited || true
exit 1
