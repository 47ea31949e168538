#!/usr/bin/env bash
# Installs the pinned tools the delivery tests (test/delivery) use, into .local/tools of this
# repository: Helm built from the Go module proxy, and a Python venv with kubernetes-validate
# (Kubernetes JSON schemas), checkov (static security checks) and check-jsonschema (which
# vendors the Compose Specification schema). Idempotent: a tool already at its pinned version
# is left alone, so a second run takes a second.
set -euo pipefail

HELM_VERSION=v3.22.0
# Helm's Makefile stamps these through -ldflags; a plain `go install` would report
# Kubernetes v1.20 as the default capability and refuse charts with a newer kubeVersion.
# client-go v0.37 in Helm v3.22.0's go.mod -> Kubernetes 1.37.
HELM_K8S_MAJOR=1
HELM_K8S_MINOR=37
KUBERNETES_VALIDATE_VERSION=1.37.0
CHECKOV_VERSION=3.3.30
CHECK_JSONSCHEMA_VERSION=0.39.0

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$repo/.local/tools"
bin="$tools/bin"
venv="$tools/venv"
mkdir -p "$bin"

log() { printf 'install-tools: %s\n' "$*" >&2; }

# --- Helm ---------------------------------------------------------------------------------
if [[ -x "$bin/helm" ]] && "$bin/helm" version --template '{{.Version}}' 2>/dev/null | grep -qx "$HELM_VERSION"; then
  log "helm $HELM_VERSION already installed"
else
  log "building helm $HELM_VERSION with go install (a few minutes on 2 cores)"
  command -v go >/dev/null || { log "go is required to build helm"; exit 1; }
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ldflags+=" -X $pkg.k8sVersionMajor=$HELM_K8S_MAJOR -X $pkg.k8sVersionMinor=$HELM_K8S_MINOR"
  done
  CGO_ENABLED=0 GOBIN="$bin" GOFLAGS=-trimpath go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
fi

# --- Python tools ---------------------------------------------------------------------------
want="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION checkov==$CHECKOV_VERSION check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
stamp="$venv/.portico-tools"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  log "python tools already installed ($want)"
else
  log "installing $want into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check $want
  # Fail now, not in the tests, if a tool does not run; the stamp records a working install.
  "$venv/bin/kubernetes-validate" --version >/dev/null
  "$venv/bin/check-jsonschema" --version >/dev/null
  "$venv/bin/checkov" --version >/dev/null
  printf '%s' "$want" > "$stamp"
fi

log "ready: $bin/helm, $venv/bin/{kubernetes-validate,checkov,check-jsonschema}"
