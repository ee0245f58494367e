"""WebVoice ``image/``, ``image-to-image/``, ``image-to-video/``, ``text-to-video/``:
forwarded to a configured local upstream with the provider's key; 503 naming the setting
when none is configured; credits held and refunded on upstream failure."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from support.media_upstream import MEDIA_KEY, MEDIA_SECRET, MP4, PNG, MediaUpstream, media_upstream
from support.webvoice import BASE, WebVoice


@pytest.fixture(scope="module")
def upstream() -> Iterator[MediaUpstream]:
    with media_upstream() as up:
        yield up


@pytest.fixture(scope="module")
def wv_overrides(upstream: MediaUpstream) -> dict[str, Any]:
    provider = {"base_url": upstream.base_url, "api_key": MEDIA_KEY}
    # image-to-image stays unconfigured: the 503 case.
    media = {"image": provider, "image_to_video": provider, "text_to_video": provider}
    return {"webvoice": {"media": media}}


def test_image_is_forwarded_with_the_provider_key_and_charged(
    wv: WebVoice, upstream: MediaUpstream
) -> None:
    key = wv.key(credits=10)
    body = {"prompt": "A red bicycle on a sunny street", "width": 1024, "height": 1024}
    r = wv.client.post(f"{BASE}/image/", json=body, headers=wv.headers(key))
    assert r.status_code == 200, r.text
    out = r.json()
    assert base64.b64decode(out["image"]) == PNG
    assert out["success"] is True
    assert out["credits_used"] == 7.0  # the spec's default image price, not the upstream's
    assert out["credits_remaining"] == 3.0
    sent = upstream.requests[-1]
    assert sent["path"] == "/api/v1/image/"
    assert sent["body"] == body
    assert sent["headers"]["Authorization"] == f"Bearer {MEDIA_KEY}"
    assert key.key not in json.dumps(sent)


def test_videos_are_priced_per_started_five_seconds(wv: WebVoice) -> None:
    key = wv.key(credits=100)
    r = wv.client.post(
        f"{BASE}/text-to-video/",
        json={"prompt": "Neon alley at night", "duration": 6},
        headers=wv.headers(key),
    )
    assert r.status_code == 200, r.text
    assert base64.b64decode(r.json()["video"]) == MP4
    assert r.json()["credits_used"] == 26.0  # 13 per started 5 s
    r = wv.client.post(
        f"{BASE}/image-to-video/",
        files={"image": ("ref.png", PNG, "image/png")},
        data={"prompt": "Slow pan", "duration": "5"},
        headers=wv.headers(key),
    )
    assert r.status_code == 200, r.text
    assert r.json()["credits_used"] == 15.0


def test_unconfigured_provider_is_503_naming_the_setting(wv: WebVoice) -> None:
    key = wv.key(credits=10)
    r = wv.client.post(
        f"{BASE}/image-to-image/",
        json={"prompt": "Replace the background", "images": ["https://example.com/a.jpg"]},
        headers=wv.headers(key),
    )
    assert r.status_code == 503
    assert r.json()["error"] == "Service Unavailable"
    assert "SEESAY_WEBVOICE__MEDIA__IMAGE_TO_IMAGE__BASE_URL" in r.json()["message"]
    assert wv.platform.ledger.balances(key.account_id).total == 10_000


def test_upstream_failures_are_sanitized_and_refunded(wv: WebVoice) -> None:
    key = wv.key(credits=10)
    for prompt, status in (("fail", 502), ("empty", 502), ("busy", 429)):
        r = wv.client.post(f"{BASE}/image/", json={"prompt": prompt}, headers=wv.headers(key))
        assert r.status_code == status, r.text
        assert MEDIA_SECRET not in r.text
        if status == 429:
            assert r.headers["Retry-After"] == "9"
    assert wv.platform.ledger.balances(key.account_id).total == 10_000


def test_media_request_errors(wv: WebVoice) -> None:
    key = wv.key(credits=10)
    h = wv.headers(key)
    cases = [
        ("image", {}),
        ("image", {"prompt": "   "}),
        ("image", {"prompt": "x", "num_images": 3}),
        ("image-to-video", {"prompt": "x"}),
        ("text-to-video", {"prompt": "x", "duration": 30}),
    ]
    for path, body in cases:
        r = wv.client.post(f"{BASE}/{path}/", json=body, headers=h)
        assert r.status_code == 400, (path, body, r.text)
    r = wv.client.post(f"{BASE}/image/", content=b"[1, 2]", headers=h)
    assert r.status_code == 400
    assert wv.client.post(f"{BASE}/image/", json={"prompt": "x"}).status_code == 401
    poor = wv.key(credits=1)
    r = wv.client.post(f"{BASE}/image/", json={"prompt": "x"}, headers=wv.headers(poor))
    assert r.status_code == 402
    assert wv.platform.ledger.balances(key.account_id).total == 10_000
