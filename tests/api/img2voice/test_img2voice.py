"""The img2voice-compatible surface over HTTP (TestClient), against the real default engines:
one test per row of the spec's error table, SSRF refusals through ``image_url``, hostile
images, credits, multipart, batch."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.img2voice.helpers import (
    FakeVisionEngine,
    build_platform,
    decoded_seconds,
    image_server,
    install_tripwire,
    photo_jpeg,
    png_bomb_65_bytes,
)
from seesay.api import create_app
from seesay.platform import Platform
from support.accounts import make_key

pytestmark = pytest.mark.slow

URL = "/compat/img2voice/v1"
JPEG = photo_jpeg()
B64 = base64.b64encode(JPEG).decode()


def truncated_animation() -> bytes:
    """A three-frame GIF cut inside its second frame's header, where Pillow's frame count
    (``n_frames``) reads past the end."""
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "lime", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    data = buf.getvalue()
    second = data.index(b"\x21\xf9\x04", data.index(b"\x21\xf9\x04") + 1)
    return data[: second + 3]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    built = build_platform(tmp_path_factory.mktemp("i2v"))
    yield built
    built.close()


@pytest.fixture(scope="module")
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform.settings, platform=platform)) as test_client:
        yield test_client


def credits(platform: Platform, account_id: str) -> int:
    return platform.ledger.balances(account_id).total


def headers(key: str) -> dict[str, str]:
    return {"IMG2VOICE-API-KEY": key}


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return dict(body["error"])


# --- success --------------------------------------------------------------------------------


def test_base64_json_answers_every_spec_field_and_the_audio_plays(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=5)
    r = client.post(URL, headers=headers(key.key), json={"image_base64": B64, "voice_id": "rex"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {
        "id", "status", "description", "audio_url", "duration_seconds", "image_credits_used",
        "image_credits_remaining", "voice_id", "created_at",
    }  # fmt: skip
    assert body["status"] == "completed"
    assert "cat" in body["description"].lower()
    assert body["image_credits_used"] == 1
    assert body["image_credits_remaining"] == 4
    assert body["voice_id"] == "rex"
    assert body["created_at"].endswith("Z")
    assert "T" in body["created_at"]
    audio = client.get(body["audio_url"])  # signed: no key needed
    assert audio.status_code == 200
    assert audio.headers["content-type"] == "audio/mpeg"
    assert abs(decoded_seconds(audio.content) - body["duration_seconds"]) < 0.1
    assert credits(platform, key.account_id) == 4000


def test_multipart_upload_in_wav_translated_says_so(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=2)
    r = client.post(
        URL,
        headers=headers(key.key),
        files={"image": ("cat.jpg", JPEG, "image/jpeg")},
        data={"voice_id": "sal", "language": "pt-BR", "detail": "brief", "output_format": "wav"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["translated"] is True
    assert body["source_language"] == "en"
    assert "gato" in body["description"].lower()
    audio = client.get(body["audio_url"])
    assert audio.content[:4] == b"RIFF"
    assert abs(decoded_seconds(audio.content) - body["duration_seconds"]) < 0.05


# --- the error table, one row each --------------------------------------------------------


def test_invalid_api_key_401(client: TestClient) -> None:
    error(client.post(URL, json={"image_base64": B64}), 401, "invalid_api_key")
    error(client.post(URL, headers=headers("sk_live_nope"), json={}), 401, "invalid_api_key")


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({}, "image_url"),
        ({"image_base64": B64, "image_url": "http://127.0.0.1/x.png"}, "image_url"),
        ({"image_base64": "!!! not base64 !!!"}, "image_base64"),
        ({"image_base64": B64, "detail": "everything"}, "detail"),
        ({"image_base64": B64, "output_format": "ogg"}, "output_format"),
    ],
)
def test_invalid_request_400(
    platform: Platform, client: TestClient, body: dict[str, Any], param: str
) -> None:
    key = make_key(platform, credits=1)
    detail = error(client.post(URL, headers=headers(key.key), json=body), 400, "invalid_request")
    assert detail["param"] == param
    assert credits(platform, key.account_id) == 1000  # nothing taken for a refused request


def test_malformed_json_is_invalid_request(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=1)
    r = client.post(
        URL, headers={**headers(key.key), "Content-Type": "application/json"}, content=b"{oops"
    )
    error(r, 400, "invalid_request")


@pytest.mark.parametrize("route", [URL, f"{URL}/batch"])
@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_deeply_nested_json_is_invalid_request(
    platform: Platform, client: TestClient, route: str, depth: int
) -> None:
    key = make_key(platform, credits=1)
    nested = "[" * depth + "]" * depth
    r = client.post(
        route,
        headers={**headers(key.key), "Content-Type": "application/json"},
        content=f'{{"image_url": {nested}}}'.encode(),
    )
    assert "nests deeper" in error(r, 400, "invalid_request")["message"]
    assert credits(platform, key.account_id) == 1000


def test_invalid_voice_400(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=1)
    r = client.post(URL, headers=headers(key.key), json={"image_base64": B64, "voice_id": "bob"})
    detail = error(r, 400, "invalid_voice")
    assert detail["param"] == "voice_id"
    assert "eve, ara, rex, sal, leo" in detail["message"]


@pytest.mark.parametrize("language", ["not a language!", "de", "x-klingon"])
def test_invalid_language_400_names_the_supported_ones(
    platform: Platform, client: TestClient, language: str
) -> None:
    key = make_key(platform, credits=1)
    r = client.post(URL, headers=headers(key.key), json={"image_base64": B64, "language": language})
    detail = error(r, 400, "invalid_language")
    assert detail["param"] == "language"
    assert "en" in detail["message"]
    assert "es" in detail["message"]
    assert credits(platform, key.account_id) == 1000


def test_rate_limit_exceeded_429_with_retry_after(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, plan="free", credits=0)
    for _ in range(10):  # the free plan's 10 requests a minute (each refused cheaply)
        client.post(URL, headers=headers(key.key), json={})
    r = client.post(URL, headers=headers(key.key), json={})
    detail = error(r, 429, "rate_limit_exceeded")
    assert int(r.headers["Retry-After"]) >= 1
    assert detail["retry_after"] == int(r.headers["Retry-After"])


def test_quota_exceeded_402(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, plan="paid", credits=0)
    r = client.post(URL, headers=headers(key.key), json={"image_base64": B64})
    error(r, 402, "quota_exceeded")
    assert credits(platform, key.account_id) == 0


def test_plan_required_403_for_batch_on_a_free_key(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, plan="free", credits=0)
    before = credits(platform, key.account_id)
    r = client.post(
        f"{URL}/batch", headers=headers(key.key), json={"images": [{"image_base64": B64}]}
    )
    error(r, 403, "plan_required")
    assert credits(platform, key.account_id) == before


def test_server_error_500_refunds_the_credit(tmp_path: Path) -> None:
    failing = FakeVisionEngine(fail=True)
    platform = build_platform(tmp_path, warm=False, vision=failing)
    key = make_key(platform, credits=3)
    with TestClient(create_app(platform.settings, platform=platform)) as client:
        r = client.post(URL, headers=headers(key.key), json={"image_base64": B64})
    error(r, 500, "server_error")
    assert failing.calls == 1
    assert credits(platform, key.account_id) == 3000  # reserved, then refunded


# --- the image URL through the guarded fetcher ----------------------------------------------


SSRF_URLS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:{port}/cat.jpg",
    "http://[::ffff:127.0.0.1]:{port}/cat.jpg",
    "http://0x7f.1:{port}/cat.jpg",
    "http://2130706433:{port}/cat.jpg",
    "http://0.0.0.0:{port}/cat.jpg",
    "http://100.64.0.1/cat.jpg",
    "http://mixed.test:{port}/cat.jpg",
    "file:///etc/passwd",
    "ftp://127.0.0.1:{port}/cat.jpg",
    "http://user:pass@127.0.0.1:{port}/cat.jpg",
]


@pytest.mark.parametrize("template", SSRF_URLS)
def test_unsafe_image_urls_are_refused_without_a_connection(
    platform: Platform, client: TestClient, monkeypatch: pytest.MonkeyPatch, template: str
) -> None:
    net = install_tripwire(monkeypatch)
    net.names["mixed.test"] = ["93.184.216.34", "127.0.0.1"]  # public and loopback
    key = make_key(platform, credits=1)
    with image_server({"/cat.jpg": (JPEG, "image/jpeg")}) as server:
        url = template.format(port=server.server_address[1])
        r = client.post(URL, headers=headers(key.key), json={"image_url": url})
        connections = list(server.connections)
    detail = error(r, 400, "invalid_request")
    assert detail["param"] == "image_url"
    assert connections == []
    assert [c for c in net.connects if not c.startswith("127.")] == []
    assert credits(platform, key.account_id) == 1000


# --- hostile images -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("bomb.png", png_bomb_65_bytes(), "image/png"),
        ("cut.jpg", JPEG[: len(JPEG) // 2], "image/jpeg"),
        ("notes.png", b"this is a text file, not a picture\n" * 20, "image/png"),
        ("cut.gif", truncated_animation(), "image/gif"),
    ],
)
def test_hostile_images_are_400_not_500(
    platform: Platform, client: TestClient, name: str, data: bytes, mime: str
) -> None:
    key = make_key(platform, credits=1)
    r = client.post(URL, headers=headers(key.key), files={"image": (name, data, mime)})
    error(r, 400, "invalid_request")
    r = client.post(
        URL,
        headers=headers(key.key),
        json={"image_base64": base64.b64encode(data).decode(), "image_mime_type": mime},
    )
    error(r, 400, "invalid_request")
    assert credits(platform, key.account_id) == 1000


def test_a_body_over_the_cap_is_invalid_request_in_the_spec_shape(tmp_path: Path) -> None:
    platform = build_platform(tmp_path, warm=False, limits={"max_request_bytes": 100_000})
    key = make_key(platform, credits=1)
    with TestClient(create_app(platform.settings, platform=platform)) as client:
        big = base64.b64encode(b"\xff\xd8\xff" + b"\0" * 200_000).decode()
        r = client.post(URL, headers=headers(key.key), json={"image_base64": big})
        up = client.post(URL, headers=headers(key.key), files={"image": ("a.jpg", b"x" * 200_000)})
    error(r, 400, "invalid_request")
    error(up, 400, "invalid_request")
    platform.close()


# --- batch ----------------------------------------------------------------------------------


def test_batch_charges_one_credit_per_image_and_refunds_failed_ones(
    platform: Platform, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = install_tripwire(monkeypatch)
    net.names["cats.example"] = ["10.0.0.7"]  # a private address: refused when fetched
    key = make_key(platform, plan="paid", credits=10)
    images = [
        {"image_base64": B64},
        {"image_url": "http://cats.example/cat.jpg"},
        {"image_base64": B64, "image_mime_type": "image/png"},  # the bytes decide
    ]
    r = client.post(
        f"{URL}/batch", headers=headers(key.key), json={"images": images, "voice_id": "leo"}
    )
    assert r.status_code == 202, r.text
    batch = r.json()
    assert batch["status"] == "queued"
    assert batch["total"] == 3
    deadline = time.monotonic() + 120
    while batch["status"] not in ("completed", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        batch = client.get(f"{URL}/batch/{batch['id']}", headers=headers(key.key)).json()
    assert batch["status"] == "completed", batch
    assert (batch["succeeded"], batch["failed"], batch["processed"]) == (2, 1, 3)
    assert batch["image_credits_used"] == 2
    ok = [x for x in batch["results"] if x["status"] == "completed"]
    assert all(x["voice_id"] == "leo" and x["audio_url"] for x in ok)
    assert client.get(ok[0]["audio_url"]).status_code == 200
    failed = next(x for x in batch["results"] if x["status"] == "failed")
    assert failed["index"] == 1
    assert failed["error"]["code"] == "invalid_request"
    assert set(failed["error"]) == {"code", "message", "param"}  # the spec's codes only
    assert credits(platform, key.account_id) == 8000
    other = make_key(platform, plan="paid", credits=1)
    error(
        client.get(f"{URL}/batch/{batch['id']}", headers=headers(other.key)), 404, "invalid_request"
    )


def test_batch_refuses_more_than_100_images_and_bad_base64_before_charging(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, plan="paid", credits=200)
    many = {"images": [{"image_url": "https://example.com/a.png"}] * 101}
    error(client.post(f"{URL}/batch", headers=headers(key.key), json=many), 400, "invalid_request")
    bad = {"images": [{"image_base64": B64}, {"image_base64": "bm90IGFuIGltYWdl"}]}
    detail = error(
        client.post(f"{URL}/batch", headers=headers(key.key), json=bad), 400, "invalid_request"
    )
    assert detail["param"] == "images.1.image_base64"
    assert credits(platform, key.account_id) == 200_000
