# shellcheck shell=bash disable=SC2034  # sourced by infra.sh, which reads the *_PORTS arrays
# Mailpit: an SMTP server that keeps every message and shows them through an HTTP API, so tests
# can read the emails the notifications service sends. `go install` works for it (no replace
# lines). A Go-only build has no web UI (that is a separate npm build); the API is all we use.

MAILPIT_MODULE=github.com/axllent/mailpit
MAILPIT_VERSION=v1.33.1
MAILPIT_SMTP_PORT=1025
MAILPIT_HTTP_PORT=8025
MAILPIT_PORTS=("$MAILPIT_SMTP_PORT" "$MAILPIT_HTTP_PORT")

mailpit_bin() { echo "$TOOLS_DIR/mailpit/bin/mailpit"; }

mailpit_fetch() { go_install_pinned mailpit "$MAILPIT_MODULE" "$MAILPIT_VERSION" "$(mailpit_bin)"; }

mailpit_start() {
  mkdir -p "$DATA_DIR/mailpit"
  start_detached mailpit "$(mailpit_bin)" \
    --smtp "127.0.0.1:$MAILPIT_SMTP_PORT" --listen "127.0.0.1:$MAILPIT_HTTP_PORT" \
    --database "$DATA_DIR/mailpit/mailpit.db" \
    --smtp-auth-accept-any --smtp-auth-allow-insecure --disable-version-check
}

mailpit_ready() { http_ok "http://127.0.0.1:$MAILPIT_HTTP_PORT/readyz"; }
mailpit_timeout() { echo 30; }
mailpit_where() { echo "smtp 127.0.0.1:$MAILPIT_SMTP_PORT, http 127.0.0.1:$MAILPIT_HTTP_PORT"; }
