#!/usr/bin/env bash
# Build the SeeSay container image (Dockerfile at the root) with podman or docker.
#   scripts/build-image.sh                  -> seesay:local
# Environment:
#   IMAGE       the tag to build (default seesay:local)
#   BASE_IMAGE  the base of both stages (default python:3.12-slim-bookworm)
#   CONTAINER   the engine command, words allowed (default: podman if it answers, else docker),
#               e.g. CONTAINER="podman --runtime runc --cgroup-manager=cgroupfs"
# When BASE_IMAGE is neither present nor pullable (no registry reachable), the base is built
# from Debian's own packages instead: Debian bookworm (python3 3.11 + venv) made by mmdebstrap
# and imported as seesay-base:bookworm, which is then passed as BASE_IMAGE. Nothing here
# changes the machine's configuration; it only runs the engine it finds.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${IMAGE:-seesay:local}
BASE_IMAGE=${BASE_IMAGE:-python:3.12-slim-bookworm}
DEBIAN_BASE=seesay-base:bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

if [ -z "${CONTAINER:-}" ]; then
  if command -v podman >/dev/null 2>&1 && podman info >/dev/null 2>&1; then
    CONTAINER=podman
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    CONTAINER=docker
  else
    echo "error: neither podman nor docker is usable here (installed and able to run):" >&2
    echo "       install one of them (Debian: apt-get install podman runc)" >&2
    exit 1
  fi
fi
read -r -a engine <<<"$CONTAINER"
build_flags=()
case "$(basename "${engine[0]}")" in
  # podman's default OCI format drops HEALTHCHECK; the docker format keeps it.
  podman) build_flags+=(--format docker) ;;
esac

# The CA bundle this machine's pip trusts (a TLS-inspecting proxy's, say) goes to the build as
# a secret: read from PIP_CERT, SSL_CERT_FILE or pip's own configuration, never written.
cert=${PIP_CERT:-${SSL_CERT_FILE:-}}
if [ -z "$cert" ] && command -v python3 >/dev/null 2>&1; then
  cert=$(python3 -m pip config list 2>/dev/null | sed -n "s/^global\.cert='\(.*\)'\$/\1/p" | tail -1)
fi
if [ -n "$cert" ] && [ -f "$cert" ]; then
  build_flags+=(--secret "id=pip_cert,src=$cert")
fi

have_image() { "${engine[@]}" image inspect "$1" >/dev/null 2>&1; }

debian_base() {
  if have_image "$DEBIAN_BASE"; then
    return
  fi
  if ! command -v mmdebstrap >/dev/null 2>&1; then
    echo "error: $BASE_IMAGE cannot be pulled and mmdebstrap is missing to build a Debian" >&2
    echo "       base instead (Debian: apt-get install mmdebstrap)" >&2
    exit 1
  fi
  echo "building $DEBIAN_BASE with mmdebstrap (Debian bookworm, python3 and venv)" >&2
  # No manuals, documentation (copyright notices kept) or translations: an image has no use
  # for them.
  mmdebstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    bookworm - \
    "deb $MIRROR bookworm main" \
    "deb $MIRROR bookworm-updates main" \
    "deb $SECURITY_MIRROR bookworm-security main" |
    "${engine[@]}" import --change 'CMD ["python3"]' - "$DEBIAN_BASE" >/dev/null
}

if ! have_image "$BASE_IMAGE"; then
  if ! "${engine[@]}" pull "$BASE_IMAGE" >/dev/null 2>&1; then
    echo "$BASE_IMAGE cannot be pulled here; using a Debian bookworm base instead" >&2
    debian_base
    BASE_IMAGE=$DEBIAN_BASE
  fi
fi

echo "building $IMAGE on $BASE_IMAGE with ${engine[*]}" >&2
image_id() { "${engine[@]}" image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true; }
replaced=$(image_id)
"${engine[@]}" build "${build_flags[@]}" --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE" .
# The image this build replaced, now untagged: removed unless a container still uses it (the
# build cache stays; only what no other image shares goes).
if [ -n "$replaced" ] && [ "$replaced" != "$(image_id)" ]; then
  "${engine[@]}" rmi "$replaced" >/dev/null 2>&1 || true
fi
