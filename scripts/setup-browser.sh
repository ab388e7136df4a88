#!/usr/bin/env bash
# Debian's Chromium for the browser-extension and report tests. Idempotent; when the
# machine cannot install it (not root, no apt), the browser tests skip with a reason
# outside CI and fail in CI.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null \
    || echo "setup-browser: could not install chromium" >&2
else
  echo "setup-browser: chromium missing; install Debian's chromium package for the browser tests" >&2
fi
exit 0
