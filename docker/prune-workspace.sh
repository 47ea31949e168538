#!/bin/sh
# Used by docker/Dockerfile: turns the workspace in the current directory into what one
# deployable needs at run time, in two steps so the dependencies stay one cached layer while
# only code changes:
#   prune-workspace.sh deps <gateway|service>        on the package.json files and the lock:
#       installs that workspace's production dependencies and drops every workspace it does
#       not link to (the other deployables, the test helpers, the browser tests)
#   prune-workspace.sh code <gateway|service> <out>  once the build's dist folders are in
#       place: copies the dist folders of what is left into <out>, compiled tests excluded
set -eu
step="${1:-}"
service="${2:-}"
if [ -z "$service" ] || { [ "$step" != deps ] && [ "$step" != code ]; }; then
  echo "usage: prune-workspace.sh deps|code <gateway|service name> [out] (build with --build-arg SERVICE=...)" >&2
  exit 1
fi
case "$service" in
  gateway) dir=gateway ;;
  *) dir="services/$service" ;;
esac

if [ "$step" = code ]; then
  out="${3:?prune-workspace.sh code needs an output folder}"
  if [ ! -f "$dir/dist/main.js" ]; then
    echo "no built deployable at $dir (SERVICE=$service)" >&2
    exit 1
  fi
  for workspace in "$dir" packages/*; do
    [ -f "$workspace/package.json" ] || continue
    find "$workspace" -name node_modules -prune -o -type d -name dist -prune -print | while read -r dist; do
      mkdir -p "$out/$dist"
      cp -a "$dist/." "$out/$dist/"
    done
  done
  # Compiled tests are never loaded at run time.
  find "$out" -type f \( -name '*.test.js' -o -name '*.test.js.map' -o -name '*.test.d.ts' -o -name '*.test.d.ts.map' \) -delete
  exit 0
fi

if [ ! -f "$dir/package.json" ]; then
  echo "no deployable at $dir (SERVICE=$service)" >&2
  exit 1
fi
# The lock file's versions, production dependencies of this one workspace only; the
# workspace packages it uses (@portico/kit, @portico/contracts) are linked, not copied. The
# workspace is named by its package name: a folder would also select the workspaces inside it
# (gateway/web, whose React dependencies are bundled into its dist, not loaded by the gateway).
workspace_name=$(node -p 'require(process.argv[1]).name' "./$dir/package.json")
npm ci --omit=dev --workspace "$workspace_name" --include-workspace-root=false --ignore-scripts
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
[ -d services ] && rmdir services 2>/dev/null || true
# Files of the dependencies that nothing loads at run time, by kind (about 12 MB an image on
# top of the declarations):
# - type declarations (*.d.ts, *.d.mts, *.d.cts) and source maps: read only by TypeScript and
#   debuggers;
# - TypeScript sources some packages ship beside their JavaScript (zod, @grpc/grpc-js,
#   protobufjs): Node refuses to run TypeScript under node_modules, so no import reaches them;
# - Markdown (READMEs, changelogs, docs), licences and notices kept: text for people, never
#   imported.
find node_modules -type f \( \
  -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' -o -name '*.map' \
  -o \( -iname '*.md' ! -iname 'licen[cs]e*' ! -iname 'notice*' \) \
  \) -delete
# One fixed path for the runtime stage, whichever deployable this is.
ln -sfn "$dir" current
