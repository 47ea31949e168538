#!/usr/bin/env bash
# Installs the container tools `make images` and the image tests use, from Debian at pinned
# versions: podman and buildah to build and run images without a Docker engine or a registry,
# runc (crun fails on these machines' hybrid cgroups), and mmdebstrap to make a base image
# from Debian's own packages. Idempotent: nothing is installed when every pin is in place.
# Needs root (apt-get); the settings the tools need are in containers.conf beside this file.
set -euo pipefail

# Debian 12 (bookworm) versions; a machine on another release says which one it lacks.
PINS=(
  podman=4.3.1+ds1-8+deb12u1+b3
  buildah=1.28.2+ds1-3+deb12u1+b3
  runc=1.1.5+ds1-1+deb12u1
  fuse-overlayfs=1.10-1
  slirp4netns=1.2.0-1
  uidmap=1:4.13+dfsg1-1+deb12u2
  mmdebstrap=1.3.5-7
)

missing=()
for pin in "${PINS[@]}"; do
  name="${pin%%=*}" want="${pin#*=}"
  have="$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null || true)"
  [[ "$have" == "$want" ]] || missing+=("$pin")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-podman: needs root to install ${missing[*]} with apt-get" >&2
  exit 1
fi
echo "install-podman: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# One apt-get at a time (the other parts of a new machine may be installing beside this one).
apt_get() { "$(dirname "${BASH_SOURCE[0]}")/../local/apt-get.sh" "$@"; }
apt_get update -qq
apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
