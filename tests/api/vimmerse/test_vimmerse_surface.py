"""The Vimmerse audio surface over HTTP: assets, estimates that equal the charge, the spec's
errors (Bad Request, Insufficient Credit, Validation Error), options mapped to engines."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.accounts.plans import CREDIT
from seesay.api import create_app
from seesay.media.audio_decode import AudioLimits, decode_audio
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.clone_samples import sample_bytes, spoken

BASE = "/compat/vimmerse/v2/audio"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, TestClient]]:
    tmp: Path = tmp_path_factory.mktemp("vimmerse")
    settings = load_settings(data_dir=tmp)
    platform = Platform.build(settings)
    with TestClient(create_app(settings, platform=platform)) as client:
        yield platform, client


def _key(platform: Platform, credits: float = 1000) -> tuple[dict[str, str], str]:
    key = make_key(platform, credits=credits)
    return {"X-Api-Key": key.key}, key.account_id


def _balance(platform: Platform, account_id: str) -> int:
    return platform.ledger.balances(account_id).total


def _download(client: TestClient, url: str) -> bytes:
    answer = client.get(url.replace("http://testserver", ""))
    assert answer.status_code == 200
    return answer.content


def _estimate(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    answer = client.post(f"{BASE}/estimate-credits", headers=headers, json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_every_generation_costs_what_was_estimated(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    headers, account = _key(platform)
    cases: list[tuple[str, dict[str, Any], str, str]] = [
        ("text-2-speech", {"prompt": "Hello from Vimmerse."}, "text-to-speech", "ElevenLabsTTS"),
        ("text-2-sound-effect", {"prompt": "rain", "duration": 2.5}, "text-to-audio", "AutoA"),
        ("text-2-music", {"prompt": "calm piano", "duration": 4}, "text-to-music", "Lyria"),
    ]
    for route, body, app_name, option in cases:
        extra = {k: v for k, v in body.items() if k in ("prompt", "duration")}
        estimate = _estimate(client, headers, app_name=app_name, option=option, **extra)
        before = _balance(platform, account)
        asset = client.post(f"{BASE}/{route}", headers=headers, json=body)
        assert asset.status_code == 200, asset.text
        spent = (before - _balance(platform, account)) / CREDIT
        assert spent == pytest.approx(estimate["total_credits"]), route
        assert asset.json()["credits"] == pytest.approx(estimate["total_credits"])
        assert asset.json()["app_name"] == app_name
    # Quantity multiplies; sound effects default to 5 seconds, one credit a started second.
    five = _estimate(client, headers, app_name="text-to-audio", option="AutoA", quantity=3)
    assert five["total_credits"] == 15
    assert five["breakdown"]["units"] == 5
    assert five["breakdown"]["quantity"] == 3
    # An upload is decoded to be checked and measured: priced per started minute (default 1).
    upload = _estimate(client, headers, app_name="upload-audio", option="AutoA")
    assert upload["breakdown"]["units"] == 1
    assert upload["total_credits"] == upload["breakdown"]["credits_per_unit"] > 0


def test_assets_have_the_spec_fields_and_real_audio(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    headers, account = _key(platform)
    sound = client.post(
        f"{BASE}/text-2-sound-effect", headers=headers, json={"prompt": "a door knock"}
    ).json()
    for field in ("id", "customer_id", "args", "status", "mime_type", "app_name", "credits"):
        assert field in sound
    assert sound["status"] == "success"
    assert sound["mime_type"] == "audio/mp3"
    assert sound["customer_id"] == account
    audio = decode_audio(_download(client, sound["results"][0]))
    assert audio.duration == pytest.approx(5.0, abs=0.1)  # the spec's default
    music = client.post(f"{BASE}/text-2-music", headers=headers, json={"prompt": "happy jazz"})
    assert music.json()["mime_type"] == "audio/wav"
    data = _download(client, music.json()["results"][0])
    with wave.open(io.BytesIO(data)) as wav:
        assert wav.getnframes() / wav.getframerate() == pytest.approx(30.0, abs=0.05)
    mp3 = sample_bytes(spoken(platform, "An upload."), "mp3")
    up = client.post(BASE, headers=headers, files={"audio_file": ("voiceover.mp3", mp3)})
    assert up.status_code == 200, up.text
    assert up.json()["app_name"] == "upload-audio"
    assert _download(client, up.json()["results"][0]) == mp3


def test_text_to_speech_options_and_language(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    headers, _ = _key(platform)
    spoken_ = client.post(
        f"{BASE}/text-2-speech",
        headers=headers,
        json={"prompt": "Buenos días, ¿cómo estás hoy?", "option": "ChirpTTS"},
    )
    assert spoken_.status_code == 200, spoken_.text
    assert spoken_.json()["args"]["language"] == "es"  # detected: language was empty
    decode_audio(_download(client, spoken_.json()["results"][0]), AudioLimits())
    unknown = client.post(
        f"{BASE}/text-2-speech", headers=headers, json={"prompt": "Hi", "option": "Polly"}
    )
    assert unknown.status_code == 400
    assert "option" in unknown.json()["detail"]


def test_validation_errors_are_fastapi_422(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    headers, _ = _key(platform)
    cases = [
        ("estimate-credits", {"option": "AutoA"}, ["body", "app_name"]),
        ("estimate-credits", {"app_name": "text-to-video", "option": "x"}, ["body", "app_name"]),
        ("text-2-speech", {"voice": "AutoV"}, ["body", "prompt"]),
        ("text-2-sound-effect", {"prompt": "rain", "duration": "long"}, ["body", "duration"]),
        ("text-2-music", {}, ["body", "prompt"]),
    ]
    for route, body, loc in cases:
        answer = client.post(f"{BASE}/{route}", headers=headers, json=body)
        assert answer.status_code == 422, route
        detail = answer.json()["detail"]
        assert isinstance(detail, list)
        assert detail[0]["loc"] == loc
        assert detail[0]["msg"]
        assert detail[0]["type"]
    no_file = client.post(BASE, headers=headers, data={"x": "y"})
    assert no_file.status_code == 422
    assert no_file.json()["detail"][0]["loc"] == ["body", "audio_file"]


def test_bad_requests_and_credit(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    headers, account = _key(platform)
    gibberish = client.post(
        f"{BASE}/text-2-sound-effect", headers=headers, json={"prompt": "zxqv blorp"}
    )
    assert gibberish.status_code == 400
    assert "describe one or more of" in gibberish.json()["detail"]
    too_long = client.post(
        f"{BASE}/text-2-sound-effect", headers=headers, json={"prompt": "rain", "duration": 99}
    )
    assert too_long.status_code == 400
    not_audio = client.post(BASE, headers=headers, files={"audio_file": ("a.mp3", b"nope")})
    assert not_audio.status_code == 400
    assert _balance(platform, account) == 1000 * CREDIT  # nothing charged
    poor, _ = _key(platform, credits=1)
    short = client.post(f"{BASE}/text-2-music", headers=poor, json={"prompt": "rock"})
    assert short.status_code == 402
    assert short.json()["detail"].startswith("Insufficient Credit")
    assert short.json()["needed_credits"] == 30
    assert short.json()["credits"] == 1
    anonymous = client.post(f"{BASE}/text-2-music", json={"prompt": "rock"})
    assert anonymous.status_code == 401
    assert "detail" in anonymous.json()
