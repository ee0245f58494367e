"""Native ``/v1/describe`` and ``/v1/img2voice``: richer results, streaming, idempotency."""

from __future__ import annotations

import base64
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from api.img2voice.helpers import decoded_seconds, photo_jpeg
from seesay.platform import Platform
from support.accounts import make_key

pytestmark = pytest.mark.slow

JPEG = photo_jpeg()
B64 = base64.b64encode(JPEG).decode()


def test_describe_returns_findings_engines_and_timings(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=3)
    r = client.post(
        "/v1/describe",
        headers={"X-API-Key": key.key},
        json={"image": "data:image/jpeg;base64," + B64, "prompt": "Is there any text?"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "description"
    assert body["findings"]["labels"][0]["label"] == "Egyptian cat"
    assert body["findings"]["safety"]["harmful"] is False
    assert body["findings"]["prompt_answered"] is True
    assert body["engines"]["vision"] == "seesay-perception"
    assert {"fetch_ms", "decode_ms", "vision_ms", "total_ms"} <= set(body["timings"])
    assert body["credits_used"] == 1
    assert body["credits_remaining"] == 2


def test_img2voice_multipart_names_the_voice_that_spoke(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=3)
    r = client.post(
        "/v1/img2voice",
        headers={"Authorization": f"Bearer {key.key}"},
        files={"image": ("cat.jpg", JPEG, "image/jpeg")},
        data={"voice": "rex", "language": "es", "format": "wav"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["translated"] is True
    assert body["source_language"] == "en"
    assert body["engines"]["translate"]
    assert body["engines"]["tts"] in ("kokoro", "espeak")  # who speaks Spanish here
    assert body["voice_requested"] == "rex"
    audio = client.get(body["audio_url"]).content
    assert abs(decoded_seconds(audio) - body["duration_seconds"]) < 0.05


def test_stream_answers_audio_with_the_description_in_headers(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=2)
    with client.stream(
        "POST",
        "/v1/img2voice",
        headers={"X-API-Key": key.key},
        json={"image_base64": B64, "voice": "leo", "stream": True},
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"] == "audio/mpeg"
        description = unquote(r.headers["x-seesay-description"])
        chunks = list(r.iter_bytes())
    assert "cat" in description.lower()
    assert r.headers["x-seesay-voice"] == "en_US-joe-medium"
    assert decoded_seconds(b"".join(chunks)) > 1.0
    assert platform.ledger.balances(key.account_id).total == 1000


def test_idempotent_retry_charges_once(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=3)
    headers = {"X-API-Key": key.key, "Idempotency-Key": "cat-1"}
    body = {"image_base64": B64, "detail": "brief"}
    first = client.post("/v1/describe", headers=headers, json=body)
    again = client.post("/v1/describe", headers=headers, json=body)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert platform.ledger.balances(key.account_id).total == 2000


def test_native_errors_keep_the_native_shape(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=1)
    r = client.post("/v1/describe", headers={"X-API-Key": key.key}, json={"image_base64": "eA=="})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_image"
    r = client.post(
        "/v1/img2voice",
        headers={"X-API-Key": key.key},
        json={"image_base64": B64, "voice": "nobody"},
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_voice"
    assert platform.ledger.balances(key.account_id).total == 1000
