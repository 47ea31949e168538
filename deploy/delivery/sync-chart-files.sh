#!/usr/bin/env bash
# Copies files the Helm chart embeds (.Files.Get can only read inside the chart) from their
# source in deploy/ into charts/portico/files/. Run it after changing a source; the delivery
# tests fail while a copy differs from its source.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
files="$repo/charts/portico/files"
mkdir -p "$files"

copy() { # source (repo-relative) -> files/<name>
  local src="$repo/$1" dest="$files/$2"
  if [[ ! -f "$src" ]]; then
    echo "sync-chart-files: $1 does not exist yet; keeping charts/portico/files/$2" >&2
    return 0
  fi
  if cmp -s "$src" "$dest"; then
    echo "sync-chart-files: charts/portico/files/$2 is up to date" >&2
  else
    cp "$src" "$dest"
    echo "sync-chart-files: copied $1 -> charts/portico/files/$2" >&2
  fi
}

copy deploy/keycloak/portico-realm.json portico-realm.json
