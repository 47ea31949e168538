#!/bin/sh
# Used by docker/Dockerfile (prune stage): turns the workspace in the current directory into
# what one deployable needs at run time, in two steps so the install stays cached while only
# code changes:
#   prune-workspace.sh deps <gateway|service>  on the package.json files and the lock: installs
#                                               the production dependencies of that workspace
#   prune-workspace.sh trim <gateway|service>  once the built dist folders are in place: drops
#                                               every other deployable and unused workspace
set -eu
step="${1:-}"
service="${2:-}"
if [ -z "$service" ] || { [ "$step" != deps ] && [ "$step" != trim ]; }; then
  echo "usage: prune-workspace.sh deps|trim <gateway|service name> (build with --build-arg SERVICE=...)" >&2
  exit 1
fi
case "$service" in
  gateway) dir=gateway ;;
  *) dir="services/$service" ;;
esac

if [ "$step" = deps ]; then
  if [ ! -f "$dir/package.json" ]; then
    echo "no deployable at $dir (SERVICE=$service)" >&2
    exit 1
  fi
  # The lock file's versions, production dependencies of this one workspace only; the
  # workspace packages it uses (@portico/kit, @portico/contracts) are linked, not copied.
  npm ci --omit=dev --workspace "$dir" --include-workspace-root=false --ignore-scripts
  exit 0
fi

if [ ! -f "$dir/dist/main.js" ]; then
  echo "no built deployable at $dir (SERVICE=$service)" >&2
  exit 1
fi
# Workspace packages the deployable does not link to (test helpers, browser tests, the other
# deployables) never run here.
linked=$(find node_modules -maxdepth 2 -type l -exec readlink -f {} \;)
for workspace in packages/* services/* gateway e2e; do
  [ -d "$workspace" ] || continue
  [ "$workspace" = "$dir" ] && continue
  keep=no
  for target in $linked; do
    [ "$target" = "$(pwd)/$workspace" ] && keep=yes
  done
  [ "$keep" = yes ] || rm -rf "$workspace"
done
# Compiled tests and type declarations are never loaded at run time.
find . -name node_modules -prune -o -type f \( -name '*.test.js' -o -name '*.test.js.map' -o -name '*.test.d.ts' \) -print0 \
  | xargs -0 rm -f
# One fixed path for the runtime stage, whichever deployable this is.
ln -sfn "$dir" current
