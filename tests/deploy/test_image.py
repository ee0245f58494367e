"""The container image (``Dockerfile``, built as ``make image`` builds it) run for real: it
serves on the default 0.0.0.0:8000, describes an image, keeps its owner key, credits, files and
signing secret across a restart on the same volume, and does not run as root.

Not in ``make pytest``: ``make test-image`` runs this folder, and ``make test`` runs that when
the image's inputs changed since it last passed (see the Makefile).
"""

from __future__ import annotations

import base64
import time

import httpx
import pytest

from api.img2voice.helpers import photo_jpeg
from support import containers as ct
from support.live import free_port

# A cold build downloads and installs about 1.5 GB of wheels; a warm one reuses every layer.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]


def image_id(tag: str) -> str:
    return ct.engine("image", "inspect", "--format", "{{.Id}}", tag).stdout.strip()


def test_a_rebuild_without_changes_reuses_every_layer(image: str) -> None:
    before = image_id(image)
    seconds = ct.build_image()
    print(f"\nrebuild without changes: {seconds:.1f} s")
    # Any layer built again would give the image a new id.
    assert image_id(image) == before


def test_serves_describes_and_keeps_its_data_across_a_restart_as_non_root(image: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    run = ("-p", f"127.0.0.1:{port}:8000")
    with ct.volume() as data:
        started = time.monotonic()
        with ct.container(*run, "-v", f"{data}:/data", image) as first:
            ct.wait_for(base + "/healthz", first)
            print(f"\ncontainer start to first answer: {time.monotonic() - started:.1f} s")
            (key,) = ct.printed_keys(first)
            headers = {"X-API-Key": key}

            # The server process (pid 1) runs as the image's own user, not root.
            status = ct.engine("exec", first, "cat", "/proc/1/status").stdout
            uids = next(line for line in status.splitlines() if line.startswith("Uid:"))
            assert uids.split()[1:] == ["10001"] * 4
            # It can write where pulled models go (a volume of its own in compose.yaml).
            ct.engine("exec", first, "touch", "/data/models/written-by-the-server-user")
            # The image's HEALTHCHECK, run the way the engine runs it.
            assert ct.engine("healthcheck", "run", first, check=False).returncode == 0

            described = httpx.post(
                base + "/v1/img2voice",
                json={"image_base64": base64.b64encode(photo_jpeg()).decode()},
                headers=headers,
                timeout=300,
            )
            assert described.status_code == 200, described.text
            result = described.json()
            assert "cat" in result["description"].lower()
            audio = httpx.get(result["audio_url"])
            assert audio.status_code == 200
            assert audio.headers["content-type"] == "audio/mpeg"
            account = httpx.get(base + "/v1/account", headers=headers).json()
            # The owner's starting 10,000 credits, less this description.
            assert 0 < account["balances"]["millicredits"] < 10_000_000

        with ct.container(*run, "-v", f"{data}:/data", image) as second:
            ct.wait_for(base + "/healthz", second)
            # The owner exists already: no new key is made or printed.
            assert ct.printed_keys(second) == []
            again = httpx.get(base + "/v1/account", headers=headers)
            assert again.status_code == 200, again.text
            assert again.json()["id"] == account["id"]
            assert again.json()["balances"] == account["balances"]
            # The stored audio and the signing secret survived: the old URL still serves it.
            kept = httpx.get(result["audio_url"])
            assert kept.status_code == 200
            assert kept.content == audio.content
            # Control: the key check is real, a made-up key is refused.
            wrong = {"X-API-Key": key[:-4] + "AAAA"}
            assert httpx.get(base + "/v1/account", headers=wrong).status_code == 401
