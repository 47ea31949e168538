#!/usr/bin/env bash
# Proves the running Keycloak serves the portico realm the way the services expect:
#  - a user created through the admin API keeps its declared attributes (patients, clinic_id)
#    across an update (Keycloak 24+ silently drops attributes the user profile does not declare);
#  - the user cannot change those attributes through the account API (admin-only);
#  - a password-grant token from portico-gateway has aud portico-api, a patients ARRAY,
#    clinic_id and realm_access.roles;
#  - a token from portico-other lacks the portico-api audience (services must refuse it).
# Creates one throwaway user and deletes it on exit, whatever happens.
# Usage: deploy/infra/keycloak/smoke.sh   (Keycloak started by deploy/infra/infra.sh up keycloak)
set -euo pipefail

# shellcheck source=deploy/infra/env.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/env.sh"
for c in curl jq; do command -v "$c" >/dev/null || { echo "smoke: '$c' is required" >&2; exit 1; }; done

KC=$KEYCLOAK_URL
REALM=$KEYCLOAK_REALM
USERNAME="smoke-guardian-$$-$RANDOM"
PASSWORD="Smoke-pass-$RANDOM-$RANDOM!"
USER_ID=""
failures=0
passes=0

ok() { printf 'ok   - %s\n' "$*"; passes=$((passes + 1)); }
bad() { printf 'FAIL - %s\n' "$*"; failures=$((failures + 1)); }
check() { # check DESCRIPTION JQ_FILTER JSON  (filter must yield true)
  if [[ "$(jq -r "$2" <<<"$3")" == "true" ]]; then ok "$1"; else bad "$1 (got: $(jq -c . <<<"$3"))"; fi
}

admin_token() {
  curl -fsS --max-time 10 "$KC/realms/master/protocol/openid-connect/token" \
    -d grant_type=password -d client_id=admin-cli \
    --data-urlencode "username=$KEYCLOAK_ADMIN_USER" --data-urlencode "password=$KEYCLOAK_ADMIN_PASSWORD" |
    jq -r .access_token
}
admin() { # admin METHOD PATH [JSON]
  local args=(-fsS --max-time 10 -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" "$KC/admin/realms/$REALM$2")
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data "$3")
  curl "${args[@]}"
}
user_token() { # user_token CLIENT_ID SECRET -> token response JSON
  curl -fsS --max-time 10 "$KC/realms/$REALM/protocol/openid-connect/token" \
    -d grant_type=password -d "client_id=$1" -d "client_secret=$2" -d scope=openid \
    --data-urlencode "username=$USERNAME" --data-urlencode "password=$PASSWORD"
}
jwt_payload() { # base64url-decode the middle part of a JWT
  local p; p=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
  while (( ${#p} % 4 )); do p+="="; done
  base64 -d <<<"$p"
}

cleanup() {
  if [[ -n "$USER_ID" ]]; then
    ADMIN_TOKEN=$(admin_token) && admin DELETE "/users/$USER_ID" && echo "# deleted test user $USERNAME" ||
      echo "# WARNING: could not delete test user $USERNAME ($USER_ID)" >&2
  fi
}
trap cleanup EXIT

echo "# keycloak smoke against $KC realm $REALM"
ADMIN_TOKEN=$(admin_token)
[[ -n "$ADMIN_TOKEN" && "$ADMIN_TOKEN" != null ]] || { echo "smoke: no admin token" >&2; exit 1; }

# 1. Create a guardian with the attributes the auth service maintains.
create=$(jq -n --arg u "$USERNAME" --arg p "$PASSWORD" '{
  username: $u, enabled: true, emailVerified: true,
  email: ($u + "@example.test"), firstName: "Smoke", lastName: "Guardian",
  attributes: { patients: ["p1", "p2"], clinic_id: ["c1"] },
  credentials: [{ type: "password", value: $p, temporary: false }] }')
location=$(curl -fsS --max-time 10 -o /dev/null -D - -X POST -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' --data "$create" "$KC/admin/realms/$REALM/users" |
  tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
USER_ID=${location##*/}
[[ -n "$USER_ID" ]] || { echo "smoke: user creation returned no Location" >&2; exit 1; }
ok "created user $USERNAME"

role=$(admin GET /roles/guardian)
admin POST "/users/$USER_ID/role-mappings/realm" "[$role]"
ok "granted realm role guardian"

# 2. An update (GET, change, PUT back, as an admin client does) must keep the attributes.
user=$(admin GET "/users/$USER_ID")
admin PUT "/users/$USER_ID" "$(jq '.firstName = "Smoke-updated"' <<<"$user")"
user=$(admin GET "/users/$USER_ID")
check "attributes survive a user update" \
  '.firstName == "Smoke-updated" and .attributes.patients == ["p1","p2"] and .attributes.clinic_id == ["c1"]' "$user"

# 3. The user's own account API must neither show nor change admin-only attributes.
tok=$(user_token portico-gateway portico-gateway-dev-secret | jq -r .access_token)
acct=$(curl -fsS --max-time 10 -H "Authorization: Bearer $tok" -H 'Accept: application/json' "$KC/realms/$REALM/account" || echo '{}')
check "account API answers the user and hides patients/clinic_id" \
  ".username == \"$USERNAME\" and ((.attributes // {}) | (has(\"patients\") or has(\"clinic_id\")) | not)" "$acct"
attempt=$(jq -c '.attributes = ((.attributes // {}) + {patients: ["p9"], clinic_id: ["c9"]})' <<<"$acct")
# Keycloak either rejects the request or ignores the read-only attributes; both are fine.
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $tok" \
  -H 'Content-Type: application/json' --data "$attempt" "$KC/realms/$REALM/account" || true)
echo "# account API update attempt answered HTTP $code"
user=$(admin GET "/users/$USER_ID")
check "user cannot change patients/clinic_id via the account API" \
  '.attributes.patients == ["p1","p2"] and .attributes.clinic_id == ["c1"]' "$user"

# 4. The gateway's token carries what the services authorise with.
resp=$(user_token portico-gateway portico-gateway-dev-secret)
claims=$(jwt_payload "$(jq -r .access_token <<<"$resp")")
echo "# portico-gateway access token claims: $(jq -c '{iss, aud, azp, realm_access, patients, clinic_id, scope, exp_in: (.exp - .iat)}' <<<"$claims")"
check "iss is $OIDC_ISSUER" ".iss == \"$OIDC_ISSUER\"" "$claims"
check "aud contains $OIDC_AUDIENCE" "(.aud | if type == \"array\" then . else [.] end) | index(\"$OIDC_AUDIENCE\") != null" "$claims"
check "patients is an array [p1,p2]" '(.patients | type) == "array" and .patients == ["p1","p2"]' "$claims"
check "clinic_id is c1" '.clinic_id == "c1"' "$claims"
check "realm_access.roles contains guardian" '.realm_access.roles | index("guardian") != null' "$claims"
check "access token lifespan is 300 s" '(.exp - .iat) == 300' "$claims"
check "sub is present" '(.sub // "") != ""' "$claims"

# 5. A token from a client without the portico-api scope must not carry that audience.
other=$(jwt_payload "$(user_token portico-other portico-other-dev-secret | jq -r .access_token)")
echo "# portico-other access token claims: $(jq -c '{aud, azp, patients, clinic_id}' <<<"$other")"
check "portico-other token lacks audience $OIDC_AUDIENCE" \
  "(.aud // [] | if type == \"array\" then . else [.] end) | index(\"$OIDC_AUDIENCE\") == null" "$other"

# 6. The auth service's client can use the admin API with its service account.
sa=$(curl -fsS --max-time 10 "$KC/realms/$REALM/protocol/openid-connect/token" \
  -d grant_type=client_credentials -d client_id=portico-auth -d client_secret=portico-auth-dev-secret | jq -r .access_token)
found=$(curl -fsS --max-time 10 -H "Authorization: Bearer $sa" "$KC/admin/realms/$REALM/users?username=$USERNAME&exact=true" || echo '[]')
check "portico-auth service account can query users" "length == 1" "$found"

# 7. Realm policies: PKCE S256 required on the gateway, password policy, brute-force detection.
auth_redirect=$(curl -sS --max-time 10 -o /dev/null -w '%{redirect_url}' \
  "$KC/realms/$REALM/protocol/openid-connect/auth?client_id=portico-gateway&response_type=code&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fcallback&state=s1")
if [[ "$auth_redirect" == *"error=invalid_request"* && "$auth_redirect" == *code_challenge* ]]; then
  ok "authorization request without PKCE is refused"
else
  bad "authorization request without PKCE is refused (redirect: $auth_redirect)"
fi
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' --data '{"type":"password","value":"short-pw1","temporary":false}' \
  "$KC/admin/realms/$REALM/users/$USER_ID/reset-password")
if [[ "$code" == 400 ]]; then ok "password shorter than 12 is refused"; else bad "password shorter than 12 is refused (HTTP $code)"; fi
for _ in 1 2 3 4 5; do
  curl -sS --max-time 10 -o /dev/null "$KC/realms/$REALM/protocol/openid-connect/token" \
    -d grant_type=password -d client_id=portico-gateway -d client_secret=portico-gateway-dev-secret \
    --data-urlencode "username=$USERNAME" -d password=wrong-password-123
done
check "5 failed logins lock the user temporarily" '.disabled == true' \
  "$(admin GET "/attack-detection/brute-force/users/$USER_ID")"

echo "# keycloak smoke: $passes passed, $failures failed"
(( failures == 0 ))
