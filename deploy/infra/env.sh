# shellcheck shell=sh
# Endpoints of the local infrastructure started by deploy/infra/infra.sh, for the app and tests.
# Source it (`. deploy/infra/env.sh`); each variable is set only when not already set, so CI or a
# developer can point one thing elsewhere. The credentials are development-only defaults.

: "${KAFKA_BROKERS:=127.0.0.1:9092}"
: "${MONGO_URL:=mongodb://127.0.0.1:27017}"
: "${KEYCLOAK_URL:=http://127.0.0.1:8180}"
: "${KEYCLOAK_REALM:=portico}"
: "${OIDC_ISSUER:=$KEYCLOAK_URL/realms/$KEYCLOAK_REALM}"
: "${OIDC_AUDIENCE:=portico-api}"
: "${KEYCLOAK_ADMIN_USER:=admin}"
: "${KEYCLOAK_ADMIN_PASSWORD:=portico-dev-admin}"
: "${S3_ENDPOINT:=http://127.0.0.1:8333}"
: "${S3_ACCESS_KEY:=portico-dev}"
: "${S3_SECRET_KEY:=portico-dev-secret}"
: "${S3_REGION:=us-east-1}"
: "${SMTP_URL:=smtp://127.0.0.1:1025}"
: "${MAILPIT_URL:=http://127.0.0.1:8025}"
: "${STRIPE_API_URL:=http://127.0.0.1:12111}"

export KAFKA_BROKERS MONGO_URL KEYCLOAK_URL KEYCLOAK_REALM OIDC_ISSUER OIDC_AUDIENCE \
  KEYCLOAK_ADMIN_USER KEYCLOAK_ADMIN_PASSWORD S3_ENDPOINT S3_ACCESS_KEY S3_SECRET_KEY S3_REGION \
  SMTP_URL MAILPIT_URL STRIPE_API_URL
