#!/usr/bin/env bash
# One hash of everything the container image and its tests are made from: the Dockerfile, what
# it copies, the build script and tests/deploy. `make test` reruns the image tests when it
# changes (Makefile: test-image-if-changed). Contents and names count; caches do not.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  printf '%s\n' Dockerfile .dockerignore pyproject.toml README.md LICENSE THIRD_PARTY_NOTICES.md \
    compose.yaml deploy/Caddyfile scripts/build-image.sh scripts/ensure-container-tools.sh \
    tests/support/containers.py
  find src clients/python tests/deploy -type f -not -path '*/__pycache__/*' -not -name '*.pyc'
} | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-32
