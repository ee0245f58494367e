"""A request that fails its schema gets one domain error (``InvalidFields``, naming the field by
its path) that each surface renders in its own documented shape, whether FastAPI checked the
body or the route did."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.platform import Platform
from support.accounts import make_key

# (path, headers name for the key, JSON body, expected status, the field, its error body)
CASES: list[tuple[str, str, dict[str, Any], int, str, Any]] = [
    (  # FastAPI checks the body
        "/v1/speech",
        "X-API-Key",
        {"text": "hi", "speed": 9},
        400,
        "speed",
        lambda b: b["error"],
    ),
    (
        "/v1/audio/speech",
        "Authorization",
        {"model": "tts-1", "input": "hi", "voice": "alloy", "speed": 9},
        400,
        "speed",
        lambda b: b["error"],
    ),
    (
        "/compat/webvoice/api/v1/tts/",
        "X-API-Key",
        {"voice": "af_sarah", "text": "hi", "speed": 3},
        400,
        "speed",
        lambda b: b,
    ),
    (
        "/compat/voiceclone/api/v1/tts",
        "Authorization",
        {"voiceId": "v1"},
        400,
        "text",
        lambda b: b,
    ),
    (  # the route checks its body itself (JSON or multipart)
        "/compat/img2voice/v1/batch",
        "img2voice-api-key",
        {"images": [{"image_url": 5}]},
        400,
        "images.0.image_url",
        lambda b: b["error"],
    ),
]


def _headers(name: str, key: str) -> dict[str, str]:
    return {name: f"Bearer {key}" if name == "Authorization" else key}


@pytest.mark.parametrize(
    ("path", "header", "body", "status", "field", "error_of"),
    CASES,
    ids=[c[0].split("/")[2] if c[0].startswith("/compat") else c[0] for c in CASES],
)
def test_a_bad_field_is_named_in_the_surfaces_shape(
    client: TestClient,
    platform: Platform,
    path: str,
    header: str,
    body: dict[str, Any],
    status: int,
    field: str,
    error_of: Any,
) -> None:
    key = make_key(platform)
    r = client.post(path, json=body, headers=_headers(header, key.key))
    assert r.status_code == status, r.text
    error = error_of(r.json())
    assert error["param"] == field
    message = error.get("message") or error.get("error")
    assert message.startswith(f"{field}: "), message
    assert error["code"] in ("invalid_request", "INVALID_PARAMETERS")


def test_vimmerse_answers_fastapis_422_list(client: TestClient, platform: Platform) -> None:
    key = make_key(platform)
    r = client.post(
        "/compat/vimmerse/v2/audio/text-2-speech",
        json={"prompt": "hi", "language": "x" * 40},
        headers={"X-Api-Key": key.key},
    )
    assert r.status_code == 422, r.text
    [item] = r.json()["detail"]
    assert item["loc"] == ["body", "language"]
    assert item["type"] == "string_too_long"


def test_a_body_that_is_not_json_says_so(client: TestClient, platform: Platform) -> None:
    key = make_key(platform)
    r = client.post(
        "/v1/speech",
        content=b"{not json",
        headers={"X-API-Key": key.key, "Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == "The request body is not valid JSON."
