"""The Image Describer-compatible surface over HTTP, against the real default engines: each
input form of ``image``, each of the spec's codes in its shape, hostile input."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFont

from api.img2voice.helpers import (
    FakeVisionEngine,
    build_platform,
    image_server,
    install_tripwire,
    photo_jpeg,
    png_bomb_65_bytes,
)
from seesay.api import create_app
from seesay.platform import Platform
from support.accounts import make_key

pytestmark = pytest.mark.slow

URL = "/compat/imagedescriber/api/openapi-v2/describe-image"
JPEG = photo_jpeg()
B64 = base64.b64encode(JPEG).decode()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    built = build_platform(tmp_path_factory.mktemp("id"), fetch={"allowed_hosts": ["127.0.0.1"]})
    yield built
    built.close()


@pytest.fixture(scope="module")
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform.settings, platform=platform)) as test_client:
        yield test_client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def form(**fields: Any) -> dict[str, Any]:
    """Plain (non-file) multipart fields, as curl --form 'name="value"' sends them."""
    return {name: (None, value) for name, value in fields.items()}


def failure(response: Any, status: int, code: int, msg: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert body["msg"] == msg
    assert body["succeed"] is False
    assert "data" not in body
    return dict(body)


def credits(platform: Platform, account_id: str) -> int:
    return platform.ledger.balances(account_id).total


def success(response: Any) -> str:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == 200
    assert body["succeed"] is True
    assert body["msg"] == "Success"
    content = body["data"]["content"]
    assert isinstance(content, str)
    return content


# --- 200 ----------------------------------------------------------------------------------


def test_image_as_url_base64_data_uri_and_file(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=10)
    prompt = "Briefly describe the content of the image"
    with image_server({"/000.jpg": (JPEG, "image/jpeg")}) as server:
        url = success(
            client.post(
                URL,
                headers=bearer(key.key),
                files=form(image=f"{server.base}/000.jpg", prompt=prompt, lang="en"),
            )
        )
    raw = success(client.post(URL, headers=bearer(key.key), files=form(image=B64, prompt=prompt)))
    uri = success(
        client.post(
            URL,
            headers=bearer(key.key),
            files=form(image="data:image/jpeg;base64," + B64, prompt=prompt),
        )
    )
    upload = success(
        client.post(
            URL,
            headers=bearer(key.key),
            files={"image": ("IMAGE.jpg", JPEG, "image/jpeg"), **form(prompt=prompt, lang="en")},
        )
    )
    for content in (url, raw, uri, upload):
        assert "cat" in content.lower()
    assert credits(platform, key.account_id) == 6000  # one per image


def test_the_prompt_steers_and_lang_translates(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=2)
    answer = success(
        client.post(
            URL, headers=bearer(key.key), files=form(image=B64, prompt="Is there any text in it?")
        )
    )
    assert answer.lower().startswith("i could not find any readable text")
    spanish = success(
        client.post(
            URL, headers=bearer(key.key), files=form(image=B64, prompt="Describe it", lang="es")
        )
    )
    assert "gato" in spanish.lower()


# --- errors, one per code -----------------------------------------------------------------


def test_30001_invalid_api_key(client: TestClient) -> None:
    failure(client.post(URL, files=form(image=B64, prompt="x")), 401, 30001, "INVALID_API_KEY")
    r = client.post(URL, headers=bearer("sk_nope"), files=form(image=B64, prompt="x"))
    failure(r, 401, 30001, "INVALID_API_KEY")


def test_10003_insufficient_credits(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, plan="paid", credits=0)
    r = client.post(URL, headers=bearer(key.key), files=form(image=B64, prompt="Describe"))
    failure(r, 402, 10003, "INSUFFICIENT_CREDITS")


@pytest.mark.parametrize(
    "fields",
    [
        {"image": B64},  # no prompt
        {"image": B64, "prompt": "   "},
        {"prompt": "Describe"},  # no image
        {"image": B64, "prompt": "Describe", "lang": "xx"},  # not one of the twelve
        {"image": B64, "prompt": "Describe", "lang": "zh"},  # one of them, no engine for it
        {"image": "not base64 at all!", "prompt": "Describe"},
        {"image": "ftp://127.0.0.1/000.jpg", "prompt": "Describe"},
        {"image": "http://169.254.169.254/latest/meta-data/", "prompt": "Describe"},
    ],
)
def test_10004_invalid_params_cost_nothing(
    platform: Platform, client: TestClient, monkeypatch: pytest.MonkeyPatch, fields: dict[str, str]
) -> None:
    install_tripwire(monkeypatch)
    key = make_key(platform, credits=1)
    body = failure(
        client.post(URL, headers=bearer(key.key), files=form(**fields)), 400, 10004, "INVALID_PARAM"
    )
    assert body["detail"]
    assert credits(platform, key.account_id) == 1000


def test_10004_lists_the_languages_that_work(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=1)
    r = client.post(
        URL, headers=bearer(key.key), files=form(image=B64, prompt="Describe", lang="ja")
    )
    body = failure(r, 400, 10004, "INVALID_PARAM")
    assert "en" in body["detail"]
    assert "es" in body["detail"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bomb.png", png_bomb_65_bytes()),
        ("cut.jpg", JPEG[: len(JPEG) // 2]),
        ("notes.png", b"just some text in a file named like a picture\n"),
    ],
)
def test_10004_for_hostile_files(
    platform: Platform, client: TestClient, name: str, data: bytes
) -> None:
    key = make_key(platform, credits=1)
    r = client.post(
        URL,
        headers=bearer(key.key),
        files={"image": (name, data, "image/png"), **form(prompt="Describe")},
    )
    failure(r, 400, 10004, "INVALID_PARAM")


def test_10005_harmful_content_from_the_safety_check_costs_nothing(tmp_path: Path) -> None:
    platform = build_platform(tmp_path, warm=False, vision=FakeVisionEngine(harmful=True))
    key = make_key(platform, credits=2)
    with TestClient(create_app(platform.settings, platform=platform)) as client:
        r = client.post(URL, headers=bearer(key.key), files=form(image=B64, prompt="Describe"))
    failure(r, 422, 10005, "HARMFUL_CONTENT")
    assert credits(platform, key.account_id) == 2000
    platform.close()


def test_500_server_error_on_an_engine_failure_refunds(tmp_path: Path) -> None:
    platform = build_platform(tmp_path, warm=False, vision=FakeVisionEngine(fail=True))
    key = make_key(platform, credits=2)
    with TestClient(create_app(platform.settings, platform=platform)) as client:
        r = client.post(URL, headers=bearer(key.key), files=form(image=B64, prompt="Describe"))
    failure(r, 500, 500, "SERVER_ERROR")
    assert credits(platform, key.account_id) == 2000
    platform.close()


def test_a_body_over_the_cap_is_400_10004_like_any_bad_image(tmp_path: Path) -> None:
    platform = build_platform(tmp_path, warm=False, limits={"max_request_bytes": 50_000})
    key = make_key(platform, credits=1)
    with TestClient(create_app(platform.settings, platform=platform)) as client:
        r = client.post(URL, headers=bearer(key.key), files=form(image=B64, prompt="Describe"))
    failure(r, 400, 10004, "INVALID_PARAM")
    assert credits(platform, key.account_id) == 1000
    platform.close()


def test_a_48_mb_image_file_is_400_10004_and_costs_nothing(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=1)
    big = JPEG + bytes(48 * 1024 * 1024 - len(JPEG))  # a JPEG padded to 48 MB
    r = client.post(
        URL,
        headers=bearer(key.key),
        files={"image": ("big.jpg", big, "image/jpeg"), **form(prompt="Describe")},
    )
    body = failure(r, 400, 10004, "INVALID_PARAM")
    assert "MB" in body["detail"]
    assert credits(platform, key.account_id) == 1000


def test_text_read_off_the_image_cannot_inject_markup(
    platform: Platform, client: TestClient
) -> None:
    from markdown_it import MarkdownIt

    image = Image.new("RGB", (1400, 300), "white")
    ImageDraw.Draw(image).text(
        (40, 100), "<script>alert(1)</script>", fill="black", font=ImageFont.load_default(size=64)
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    key = make_key(platform, credits=1)
    content = success(
        client.post(
            URL,
            headers=bearer(key.key),
            files={"image": ("sign.png", out.getvalue(), "image/png"), **form(prompt="Read it")},
        )
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content  # read, and shown as text
    assert "<script" not in content
    rendered = MarkdownIt("commonmark", {"html": True}).render(content)
    assert "<script" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


@pytest.mark.parametrize(
    ("name", "data", "mime", "named"),
    [
        ("notes.txt", b"Shopping list:\n- milk, eggs & bread.\n", "text/plain", "plain text"),
        ("page.html", b"<!DOCTYPE html><html><body>Hi</body></html>", "text/html", "HTML page"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf", "PDF"),
    ],
)
def test_10004_names_what_an_uploaded_non_image_is(
    platform: Platform, client: TestClient, name: str, data: bytes, mime: str, named: str
) -> None:
    key = make_key(platform, credits=1)
    r = client.post(
        URL, headers=bearer(key.key), files={"image": (name, data, mime), **form(prompt="Hi")}
    )
    detail = failure(r, 400, 10004, "INVALID_PARAM")["detail"]
    assert "not an image" in detail
    assert named in detail
    assert "base64" not in detail
    assert credits(platform, key.account_id) == 1000
