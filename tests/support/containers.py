"""The SeeSay container image under a real container engine (podman here).

The engine command comes from ``SEESAY_TEST_CONTAINER`` (words allowed); the default is the
podman invocation that works on the test machines: runc (crun refuses their hybrid cgroups)
and the cgroupfs manager (no systemd). ``scripts/ensure-container-tools.sh`` installs podman,
runc and mmdebstrap and writes the containers.conf those machines need.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
ENGINE = shlex.split(
    os.environ.get("SEESAY_TEST_CONTAINER", "podman --runtime runc --cgroup-manager=cgroupfs")
)
IMAGE = os.environ.get("SEESAY_TEST_IMAGE", "seesay:local")
KEY_PATTERN = re.compile(r"\bseesay_live_[A-Za-z0-9_-]{20,}")


def engine(
    *args: str, timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the container engine; fails with its output when ``check`` and it fails."""
    done = subprocess.run(
        [*ENGINE, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(args[:3])} failed ({done.returncode}):\n{done.stderr}")
    return done


def build_image(timeout: float = 1800) -> float:
    """``scripts/build-image.sh`` (what ``make image`` runs) with the test's engine; seconds."""
    started = time.monotonic()
    done = subprocess.run(
        [str(ROOT / "scripts" / "build-image.sh")],
        env={**os.environ, "CONTAINER": shlex.join(ENGINE), "IMAGE": IMAGE},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"the image did not build:\n{done.stdout[-4000:]}\n{done.stderr}"
    return time.monotonic() - started


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


@contextmanager
def volume() -> Iterator[str]:
    """A fresh named volume, removed afterwards."""
    name = unique("seesay-test-data")
    engine("volume", "create", name)
    try:
        yield name
    finally:
        engine("volume", "rm", "-f", name, check=False)


@contextmanager
def container(*run_args: str, name: str | None = None) -> Iterator[str]:
    """``run -d`` the image with ``run_args`` (options, then ``IMAGE`` and its arguments are
    the caller's); yields the container's name and removes it afterwards."""
    name = name or unique("seesay-test")
    engine("run", "-d", "--name", name, *run_args)
    try:
        yield name
    finally:
        engine("rm", "-f", "-v", "-t", "5", name, check=False)


def logs(name: str) -> str:
    done = engine("logs", name, check=False)
    return done.stdout + done.stderr


def running(name: str) -> bool:
    done = engine("inspect", "--format", "{{.State.Running}}", name, check=False)
    return done.stdout.strip() == "true"


def wait_for(url: str, name: str, timeout: float = 120) -> float:
    """Seconds until ``url`` answers below 500; fails with the logs if the container stops."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        if not running(name):
            raise AssertionError(f"container {name} stopped:\n{logs(name)}")
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout} s:\n{logs(name)}")


def printed_keys(name: str) -> list[str]:
    """The API keys a container printed (the owner key, once, on its first start)."""
    return KEY_PATTERN.findall(logs(name))
