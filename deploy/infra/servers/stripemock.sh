# shellcheck shell=bash disable=SC2034  # sourced by infra.sh, which reads the *_PORTS arrays
# stripe-mock: Stripe's own mock of its API, which the billing service's Stripe adapter is tested
# against. It validates every request against Stripe's OpenAPI description and answers fixtures;
# it keeps no state. `go install` works for it (no replace lines).

STRIPE_MOCK_MODULE=github.com/stripe/stripe-mock
STRIPE_MOCK_VERSION=v0.203.0
STRIPE_MOCK_HTTP_PORT=12111
STRIPE_MOCK_HTTPS_PORT=12112
STRIPE_MOCK_PORTS=("$STRIPE_MOCK_HTTP_PORT" "$STRIPE_MOCK_HTTPS_PORT")

stripemock_bin() { echo "$TOOLS_DIR/stripemock/bin/stripe-mock"; }

stripemock_fetch() { go_install_pinned stripemock "$STRIPE_MOCK_MODULE" "$STRIPE_MOCK_VERSION" "$(stripemock_bin)"; }

stripemock_start() {
  # It always opens an HTTPS listener too (all interfaces unless told): both stay on loopback.
  start_detached stripemock "$(stripemock_bin)" -http-addr "127.0.0.1:$STRIPE_MOCK_HTTP_PORT" -https-addr "127.0.0.1:$STRIPE_MOCK_HTTPS_PORT"
}

# Any answer from its API means it is up; it answers 401 without an API key.
stripemock_ready() { curl -s -o /dev/null "http://127.0.0.1:$STRIPE_MOCK_HTTP_PORT/v1/charges" -H 'Authorization: Bearer sk_test_123'; }
stripemock_timeout() { echo 20; }
stripemock_where() { echo "http 127.0.0.1:$STRIPE_MOCK_HTTP_PORT (https $STRIPE_MOCK_HTTPS_PORT)"; }
