#!/bin/sh
# Used by docker/Dockerfile (prune stage): turns the built workspace in the current directory
# into what one deployable needs at run time. Usage: prune-workspace.sh <gateway|service name>
set -eu
service="${1:-}"
if [ -z "$service" ]; then
  echo "build with --build-arg SERVICE=<gateway|service name>" >&2
  exit 1
fi
case "$service" in
  gateway) dir=gateway ;;
  *) dir="services/$service" ;;
esac
if [ ! -f "$dir/package.json" ] || [ ! -f "$dir/dist/main.js" ]; then
  echo "no built deployable at $dir (SERVICE=$service)" >&2
  exit 1
fi
# Reinstall from the lock file with the production dependencies of this one workspace;
# the workspace packages it uses (@portico/kit, @portico/contracts) stay linked.
npm ci --omit=dev --workspace "$dir" --include-workspace-root=false --ignore-scripts
# Drop what never runs: the other deployables, sources, tests, build info, repo material.
for other in gateway services/*; do
  [ "$other" = "$dir" ] || rm -rf "$other"
done
find . -name node_modules -prune -o \
  \( -name src -o -name test -o -name '*.tsbuildinfo' -o -name 'tsconfig*.json' \) -print0 \
  | xargs -0 rm -rf
rm -rf .git .github e2e docs deploy charts docker proto .local
# One fixed path for the runtime stage, whichever deployable this is.
ln -s "$dir" current
