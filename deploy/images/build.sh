#!/usr/bin/env bash
# `make images`: builds the container image of every deployable (the gateway and each folder
# of services/) with podman, from docker/Dockerfile on the registry-free base image, and prints
# each image's size and build time. Layers are cached: a second run with no dependency change
# rebuilds only the code layers. Usage: build.sh [deployable...] (default all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. deploy/images/env.sh

bash deploy/images/install-podman.sh
bash deploy/images/base-image.sh

deployables=("$@")
if ((${#deployables[@]} == 0)); then
  deployables=(gateway)
  for dir in services/*/; do
    [[ -f "$dir/package.json" ]] && deployables+=("$(basename "$dir")")
  done
fi

# The machine's CA bundle lets npm inside the build reach the registry through the
# TLS-intercepting proxy; a build secret, so it never lands in a layer.
ca_bundle="${PORTICO_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
secret=()
[[ -f "$ca_bundle" ]] && secret=(--secret "id=ca,src=$ca_bundle")

report=()
for name in "${deployables[@]}"; do
  image="localhost/portico/$name:$PORTICO_IMAGE_TAG"
  started=$SECONDS
  echo "images: building $image" >&2
  # docker format keeps the HEALTHCHECK (the OCI format has no such field).
  if ! podman build --quiet --format docker --layers --network host "${secret[@]}" \
    --ignorefile docker/Dockerfile.dockerignore -f docker/Dockerfile \
    --build-arg "BASE_IMAGE=$PORTICO_LOCAL_BASE" --build-arg "SERVICE=$name" \
    -t "$image" . >/dev/null; then
    echo "images: building $image failed" >&2
    exit 1
  fi
  size=$(podman image inspect --format '{{.Size}}' "$image")
  report+=("$(printf '%-28s %4d MB %5d s' "$image" $((size / 1000 / 1000)) $((SECONDS - started)))")
done
printf 'images: %s\n' "${report[@]}"
