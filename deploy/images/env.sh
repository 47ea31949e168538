# shellcheck shell=bash
# Shared by `make images`, the image tests and the base image script: where podman finds the
# project's settings, and the names and pins of the images. Source it from the repository root.
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/deploy/images/containers.conf}"
# The Node release every image runs (the same as .nvmrc and deploy/local/install-node.sh).
PORTICO_NODE_VERSION=24.21.0
# The npm release the local base image carries for the build stage (npm ci, npm run build).
PORTICO_NPM_VERSION=11.19.1
PORTICO_DEBIAN_SUITE=bookworm
# Built without any registry by deploy/images/base-image.sh; operators build on the official image.
# The last part counts changes to what base-image.sh puts in the image: raise it with each, so a
# machine that holds the previous base makes the new one instead of keeping it.
PORTICO_LOCAL_BASE="localhost/portico-node:${PORTICO_NODE_VERSION}-${PORTICO_DEBIAN_SUITE}-2"
# Images are tagged with this, so tests run exactly what `make images` just built.
PORTICO_IMAGE_TAG="${PORTICO_IMAGE_TAG:-dev}"
export PORTICO_NODE_VERSION PORTICO_NPM_VERSION PORTICO_DEBIAN_SUITE PORTICO_LOCAL_BASE PORTICO_IMAGE_TAG
