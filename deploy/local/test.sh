#!/usr/bin/env bash
# `make test`: every test against the real servers, ending with one line `N passed, N failed`.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. deploy/infra/env.sh
mkdir -p .local/reports
rm -f .local/reports/vitest.json
vitest run --reporter=default --reporter=json --outputFile.json=.local/reports/vitest.json "$@"
node deploy/local/test-summary.mjs .local/reports/vitest.json
