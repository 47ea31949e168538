#!/usr/bin/env bash
# `make bench`: the contacts API benchmark against the real servers; prints its figures.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. deploy/infra/env.sh
node bench/contacts-list.mjs
