"""Returned audio URLs never take their host from a forged ``Host`` header: without
``SEESAY_PUBLIC_BASE_URL`` they point at the address the request reached, a loopback name
the client used, or a host the operator trusts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.contracts import anything, json_job
from support.contracts import kind as job_kind
from support.live import serve_app


@pytest.fixture
def audio_job_server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """A real server with one finished job whose result holds stored audio: (base URL,
    API key, job id)."""
    settings = load_settings(data_dir=tmp_path, trusted_hosts="voice.example.org")
    platform = Platform.build(settings)
    blob = platform.storage.put(b"ID3 not really audio", content_type="audio/mpeg", suffix=".mp3")
    platform.handlers.register_job(
        job_kind("stored_audio"), json_job(lambda ctx, payload: {"blob_id": blob})
    )
    key = make_key(platform)
    try:
        with serve_app(create_app(settings, platform=platform)) as base:
            who = platform.accounts.authenticate(key.key)
            job = platform.jobs.submit(
                who, job_kind("stored_audio"), anything({}), feature="describe", amount=0
            )
            assert platform.jobs.wait(who, job.id, 10).status == "succeeded"
            yield base, key.key, job.id
    finally:
        platform.close()


def _audio_url(base: str, key: str, job_id: str, host: str) -> str:
    answer = httpx.get(
        f"{base}/v1/jobs/{job_id}", headers={"X-API-Key": key, "Host": host}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["result"]["audio_url"])


def test_a_forged_host_does_not_appear_in_a_returned_url(
    audio_job_server: tuple[str, str, str],
) -> None:
    base, key, job_id = audio_job_server
    url = _audio_url(base, key, job_id, "attacker.example:8000")
    assert "attacker.example" not in url
    assert url.startswith(base + "/")  # the address the request really reached
    assert httpx.get(url, timeout=10).content == b"ID3 not really audio"


def test_loopback_and_trusted_host_names_are_kept(
    audio_job_server: tuple[str, str, str],
) -> None:
    base, key, job_id = audio_job_server
    port = base.rsplit(":", 1)[1]
    assert _audio_url(base, key, job_id, f"localhost:{port}").startswith(
        f"http://localhost:{port}/"
    )
    assert _audio_url(base, key, job_id, "voice.example.org").startswith(
        "http://voice.example.org/"
    )
