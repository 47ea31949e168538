#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (e2e/), which drive it with playwright-core:
# Playwright's own browser download cannot work on the project's machines. Idempotent: does
# nothing when /usr/bin/chromium is there, and refreshes the package lists only when apt does not
# know the package yet.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: $CHROMIUM is missing; run this script as root (it uses apt-get)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# One apt-get at a time (the other parts of a new machine may be installing beside this one).
apt_get() { "$(dirname "${BASH_SOURCE[0]}")/apt-get.sh" "$@"; }
candidate() { apt-cache policy chromium 2>/dev/null | awk '/Candidate:/ { print $2 }'; }
if [ -z "$(candidate)" ] || [ "$(candidate)" = "(none)" ]; then
  echo "install-browser: refreshing Debian's package lists"
  apt_get update -qq
fi
echo "install-browser: installing Debian's chromium"
# Fonts with Latin glyphs, so pages and screenshots render text as people see it.
apt_get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "install-browser: chromium $(dpkg-query -W -f='${Version}' chromium) at $CHROMIUM"
