#!/usr/bin/env bash
# npm packages that the compatible APIs' spec examples require (the Voice Clone spec's Node
# example uses axios and form-data), for the tests only: installed from tests/js's lockfile
# into tests/js/node_modules when node and npm are present; otherwise the test that runs that
# example skips and says why.
set -u
cd "$(dirname "$0")/../tests/js" || exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "warning: npm is missing; the Node axios example test will skip" >&2
  exit 0
fi
# Skip when the installed tree is newer than the lockfile (npm ci always starts afresh).
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 ||
  echo "warning: npm ci failed in tests/js; the Node axios example test will skip" >&2
exit 0
