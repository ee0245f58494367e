"""Vimmerse uploads under attack (issue 12, item 8): a small FLAC that decodes to hours is
measured without holding it, refused past the cap, charged per started minute when accepted,
and each upload holds one of the plan's concurrent slots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from seesay.accounts.plans import CREDIT
from seesay.api import create_app
from seesay.platform import Platform
from seesay.services.vimmerse import MAX_UPLOAD_SECONDS
from seesay.settings import load_settings
from support.accounts import TestKey, make_key
from support.hostile_audio import silent_flac, wav_with_unknown_codec

BASE = "/compat/vimmerse/v2/audio"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, TestClient]]:
    tmp: Path = tmp_path_factory.mktemp("vimmerse-uploads")
    settings = load_settings(data_dir=tmp)
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            yield platform, client
    finally:
        platform.close()


def _upload(client: TestClient, key: TestKey, data: bytes, name: str = "a.flac") -> httpx.Response:
    return client.post(BASE, headers={"X-Api-Key": key.key}, files={"audio_file": (name, data)})


def _balance(platform: Platform, key: TestKey) -> int:
    return platform.ledger.balances(key.account_id).total


def test_an_upload_past_the_duration_cap_is_bad_request_and_free(
    env: tuple[Platform, TestClient],
) -> None:
    platform, client = env
    key = make_key(platform, plan="free", credits=0)  # the free plan's monthly credits only
    bomb = silent_flac(MAX_UPLOAD_SECONDS + 600)
    assert len(bomb) < 100_000  # hours of audio in a few tens of KB
    before = _balance(platform, key)
    answer = _upload(client, key, bomb)
    assert answer.status_code == 400, answer.text
    assert "longer than" in answer.json()["detail"]
    assert _balance(platform, key) == before


def test_an_accepted_upload_is_charged_per_started_minute_as_estimated(
    env: tuple[Platform, TestClient],
) -> None:
    platform, client = env
    key = make_key(platform, credits=100)
    seconds = 3 * 3600 + 5  # 181 started minutes
    estimate = client.post(
        f"{BASE}/estimate-credits",
        headers={"X-Api-Key": key.key},
        json={"app_name": "upload-audio", "option": "AutoA", "duration": 3600},
    ).json()
    assert estimate["breakdown"]["units"] == 60
    before = _balance(platform, key)
    answer = _upload(client, key, silent_flac(seconds))
    assert answer.status_code == 200, answer.text
    asset = answer.json()
    assert asset["duration"] == pytest.approx(seconds, abs=0.01)
    spent = before - _balance(platform, key)
    assert spent > 0  # real work is never free
    assert spent == 181 * estimate["breakdown"]["credits_per_unit"] * CREDIT
    assert asset["credits"] == pytest.approx(spent / CREDIT)


def test_an_upload_holds_a_concurrent_slot(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    key = make_key(platform, plan="free", credits=0)  # the free plan allows 1 at a time
    principal = platform.accounts.authenticate(key.key)
    with platform.concurrency.slot(principal.limit_key, 1):  # another request is running
        busy = _upload(client, key, silent_flac(60))
    assert busy.status_code == 429, busy.text
    assert _upload(client, key, silent_flac(60)).status_code == 200


def test_an_unknown_codec_is_bad_request(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    key = make_key(platform, credits=10)
    answer = _upload(client, key, wav_with_unknown_codec(), "a.wav")
    assert answer.status_code == 400, answer.text
    assert "codec" in answer.json()["detail"]
