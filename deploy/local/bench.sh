#!/usr/bin/env bash
# `make bench`: the read path's benchmark against the real servers (bench/read-path.mjs); prints
# its figures. BENCH_LABEL names the run in the output, e.g. which FerretDB backend it measured.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. deploy/infra/env.sh
node bench/read-path.mjs
