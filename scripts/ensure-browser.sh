#!/usr/bin/env bash
# The web playground's browser tests drive Debian's chromium through Playwright's Python
# package (never a downloaded browser build). Install it with apt-get when it is missing and
# we may (root); otherwise say so: tests/web then skips with this reason.
set -u
CHROMIUM=${SEESAY_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: $CHROMIUM is missing and apt-get cannot run here; browser tests will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# fonts-inter: the playground's first-choice font, so screenshots look as designed.
if ! apt-get install -y -qq --no-install-recommends chromium fonts-inter >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends chromium fonts-inter >/dev/null 2>&1 ||
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
    echo "warning: could not install chromium with apt-get; browser tests will skip" >&2
fi
exit 0
