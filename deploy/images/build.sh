#!/usr/bin/env bash
# `make images`: builds the container image of every deployable (the gateway and each folder
# of services/) with podman, from docker/Dockerfile on the registry-free base image, and prints
# each image's size and build time and the time of the whole run. Layers are cached: a second
# run with no dependency change rebuilds only the code layers.
# The first deployable (the gateway) is built alone: its build makes every stage the images
# share (the dependencies, the compile, the web app, the runtime's Node), each once. The others
# then only add their own production dependencies and code, PORTICO_IMAGE_JOBS at a time
# (default 3). Measured on two busy cores: when cold, three at a time took about half the time
# per service of one at a time (their installs wait on the network); when warm, the same time
# (190 s one at a time, 200 s three at a time: podman's storage lock and the CPU are the limit).
# Usage: build.sh [deployable...] (default all)
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

jobs="${PORTICO_IMAGE_JOBS:-3}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
run_started=$SECONDS

# Builds one image; its podman output goes to a log shown only when it fails, its report line
# (image, size, seconds) to $logs/<name>.report.
build_one() {
  local name="$1" image="localhost/portico/$1:$PORTICO_IMAGE_TAG" started=$SECONDS size
  echo "images: building $image" >&2
  # docker format keeps the HEALTHCHECK (the OCI format has no such field). --jobs 2 runs the
  # stages that do not need each other (the web app and the compile) side by side.
  if ! podman build --quiet --jobs 2 --format docker --layers --network host "${secret[@]}" \
    --ignorefile docker/Dockerfile.dockerignore -f docker/Dockerfile \
    --build-arg "BASE_IMAGE=$PORTICO_LOCAL_BASE" --build-arg "SERVICE=$name" \
    -t "$image" . >"$logs/$name.log" 2>&1; then
    echo "images: building $image failed:" >&2
    tail -n 40 "$logs/$name.log" >&2
    return 1
  fi
  size=$(podman image inspect --format '{{.Size}}' "$image")
  printf '%-40s %4d MB %5d s\n' "$image" $((size / 1000 / 1000)) $((SECONDS - started)) >"$logs/$name.report"
}

build_one "${deployables[0]}"
failed=0
running=0
for name in "${deployables[@]:1}"; do
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
  build_one "$name" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
((failed == 0)) || exit 1
for name in "${deployables[@]}"; do
  printf 'images: %s\n' "$(cat "$logs/$name.report")"
done
printf 'images: %d images in %d s (%d at a time after the first)\n' "${#deployables[@]}" $((SECONDS - run_started)) "$jobs"
