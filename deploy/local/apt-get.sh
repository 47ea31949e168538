#!/usr/bin/env bash
# apt-get, one at a time. `make test` sets up a new machine's parts side by side (the servers,
# the browser, the image tools), and apt-get refuses to start while another apt-get holds Debian's
# package locks: this one waits for the other to finish instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$root/.local/run"
exec flock "$root/.local/run/apt.lock" apt-get "$@"
