#!/usr/bin/env bash
# What the container-image test (tests/deploy) needs on a test machine, set up as root:
# - podman, runc and mmdebstrap from Debian (no container registry is reachable from the test
#   machines, so `make image` builds its Debian bookworm base with mmdebstrap);
# - /etc/containers/containers.conf with `default_ulimits = []`: podman's default ulimits
#   (nofile, nproc) cannot be set inside these machines' sandbox, and every `podman run`
#   fails with "error setting rlimit type 7: operation not permitted", even with --ulimit host.
# The test itself runs podman with `--runtime runc --cgroup-manager=cgroupfs` (crun refuses
# the machines' hybrid cgroups; there is no systemd). `make image` never does any of this:
# it uses the podman or docker it finds, configured as their owner chose.
# A tool that cannot be installed fails this script (exit 1) and names it.
set -u
wanted=()
for tool in podman runc mmdebstrap; do
  command -v "$tool" >/dev/null 2>&1 || wanted+=("$tool")
done
# mmdebstrap's default (unshare) mode needs these to map users; uidmap also serves podman.
command -v newuidmap >/dev/null 2>&1 || wanted+=(uidmap)
CONF=/etc/containers/containers.conf
conf_ok() { [ -f "$CONF" ] && grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=[[:space:]]*\[\]' "$CONF"; }
[ ${#wanted[@]} -eq 0 ] && conf_ok && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  [ ${#wanted[@]} -gt 0 ] && echo "error: missing Debian packages: ${wanted[*]} (apt-get install them as root)" >&2
  conf_ok || echo "error: $CONF needs '[containers]' with 'default_ulimits = []'" >&2
  exit 1
fi
if [ ${#wanted[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  install() { apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
  if ! install "${wanted[@]}"; then
    apt-get update -qq >/dev/null 2>&1 || echo "warning: apt-get update failed" >&2
    install "${wanted[@]}" || { echo "error: apt-get could not install: ${wanted[*]}" >&2; exit 1; }
  fi
fi
if ! conf_ok; then
  mkdir -p "$(dirname "$CONF")"
  if [ -f "$CONF" ] && grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=' "$CONF"; then
    sed -i -E 's/^[[:space:]]*default_ulimits[[:space:]]*=.*/default_ulimits = []/' "$CONF"
  elif [ -f "$CONF" ] && grep -Eq '^\[containers\]' "$CONF"; then
    sed -i '/^\[containers\]/a default_ulimits = []' "$CONF"
  else
    printf '[containers]\ndefault_ulimits = []\n' >>"$CONF"
  fi
fi
