#!/usr/bin/env bash
# npm packages that the compatible APIs' spec examples require (the Voice Clone spec's Node
# example uses axios and form-data), for the tests only: installed from tests/js's lockfile
# into tests/js/node_modules. Fails (exit 1) when npm is missing or the install fails, so the
# test that runs that example never quietly skips.
set -eu
cd "$(dirname "$0")/../tests/js"
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is missing (scripts/ensure-system-packages.sh --test installs it)" >&2
  exit 1
fi
# Nothing to do when the installed tree is newer than the lockfile (npm ci always starts afresh).
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
if ! npm ci --no-audit --no-fund --loglevel=error >/dev/null; then
  echo "error: npm ci failed in tests/js" >&2
  exit 1
fi
