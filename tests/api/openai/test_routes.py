"""The OpenAI surface over HTTP (in-process app): every route's success path and documented
errors in OpenAI's ``{"error": {message, type, param, code}}`` shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.speech import assert_heard
from support.upstream_openai import SECRET_MARKER, Upstream, start_upstream

pytestmark = pytest.mark.slow

HELLO = [{"role": "user", "content": "Hello"}]


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with start_upstream() as server:
        yield server


@pytest.fixture(scope="module")
def platform(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("openai"),
        providers=[
            {
                "name": "local",
                "base_url": upstream.base_url,
                "api_key": upstream.api_key,
                "models": [
                    "echo-model",
                    "fail-500",
                    "fail-429",
                    {"id": "free", "free": True, "upstream_model": "echo-model"},
                ],
            }
        ],
    )
    built = Platform.build(settings)
    yield built
    built.close()


@pytest.fixture(scope="module")
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform.settings, platform=platform)) as c:
        yield c


def auth(platform: Platform, credits: float = 100) -> tuple[dict[str, str], str]:
    key = make_key(platform, credits=credits)
    return {"Authorization": f"Bearer {key.key}"}, key.account_id


def assert_openai_error(body: Any, type_: str, code: str | None = None) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["type"] == type_
    if code is not None:
        assert body["error"]["code"] == code


@pytest.fixture(scope="module")
def speech_mp3(client: TestClient, platform: Platform) -> bytes:
    headers, _ = auth(platform)
    r = client.post(
        "/v1/audio/speech",
        headers=headers,
        json={
            "model": "tts-1",
            "input": "The quick brown fox jumps over the lazy dog.",
            "voice": "onyx",
        },
    )
    assert r.status_code == 200
    return r.content


# -- models ---------------------------------------------------------------------------------


def test_models_from_the_registry_and_the_provider_table(
    client: TestClient, platform: Platform
) -> None:
    headers, _ = auth(platform)
    r = client.get("/v1/models", headers=headers)
    assert r.status_code == 200
    ids = [m["id"] for m in r.json()["data"]]
    for expected in ("tts-1", "whisper-1", "whisper", "kokoro", "seesay-vision", "echo-model"):
        assert expected in ids
    assert client.get("/v1/models/whisper-1", headers=headers).json()["id"] == "whisper-1"
    missing = client.get("/v1/models/nope", headers=headers)
    assert missing.status_code == 404
    assert_openai_error(missing.json(), "invalid_request_error", "model_not_found")


def test_missing_key_is_an_openai_401_and_native_routes_keep_their_shape(
    client: TestClient,
) -> None:
    r = client.get("/v1/models")
    assert r.status_code == 401
    assert_openai_error(r.json(), "authentication_error", "invalid_api_key")
    native = client.get("/v1/account")
    assert native.status_code == 401
    assert "type" not in native.json()["error"]


# -- speech ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mime", "magic"),
    [
        ("mp3", "audio/mpeg", b""),
        ("wav", "audio/wav", b"RIFF"),
        ("flac", "audio/flac", b"fLaC"),
        ("opus", "audio/ogg", b"OggS"),
        ("aac", "audio/aac", b"\xff"),
        ("pcm", "audio/pcm", b""),
    ],
)
def test_speech_formats(
    client: TestClient, platform: Platform, fmt: str, mime: str, magic: bytes
) -> None:
    headers, account = auth(platform)
    text = "Hello from SeeSay."
    r = client.post(
        "/v1/audio/speech",
        headers=headers,
        json={
            "model": "gpt-4o-mini-tts",
            "input": text,
            "voice": "alloy",
            "response_format": fmt,
            "speed": 1.2,
            "instructions": "cheerful",
        },
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(mime)
    assert r.content.startswith(magic)
    assert len(r.content) > 1000
    assert platform.ledger.balances(account).total == 100_000 - len(text)


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [
        ({"model": "tts-1", "input": "", "voice": "alloy"}, 400, "text"),
        ({"model": "tts-1", "input": "x" * 4097, "voice": "alloy"}, 400, "text"),
        ({"model": "tts-1", "input": "Hi", "voice": "nobody-voice"}, 400, None),
        ({"model": "tts-1", "input": "Hi", "voice": "alloy", "speed": 9}, 400, "speed"),
        (
            {"model": "tts-1", "input": "Hi", "voice": "alloy", "response_format": "ogg"},
            400,
            "response_format",
        ),
        (
            {"model": "tts-1", "input": "Hi", "voice": "alloy", "stream_format": "sse"},
            400,
            "stream_format",
        ),
        ({"model": "tts-9", "input": "Hi", "voice": "alloy"}, 404, "model"),
        ({"input": "Hi", "voice": "alloy"}, 400, "model"),
    ],
)
def test_speech_errors_cost_nothing(
    client: TestClient, platform: Platform, body: dict[str, Any], status: int, param: str | None
) -> None:
    headers, account = auth(platform)
    r = client.post("/v1/audio/speech", headers=headers, json=body)
    assert r.status_code == status, r.text
    assert_openai_error(r.json(), "invalid_request_error")
    if param:
        assert r.json()["error"]["param"] == param
    assert platform.ledger.balances(account).total == 100_000


def test_speech_without_credits_is_402(client: TestClient, platform: Platform) -> None:
    headers, _ = auth(platform, credits=0)
    r = client.post(
        "/v1/audio/speech",
        headers=headers,
        json={"model": "tts-1", "input": "Hello", "voice": "alloy"},
    )
    assert r.status_code == 402
    assert_openai_error(r.json(), "insufficient_quota", "insufficient_quota")


def test_speech_with_an_idempotency_key_replays_without_a_second_charge(
    client: TestClient, platform: Platform
) -> None:
    headers, account = auth(platform)
    headers["Idempotency-Key"] = "speech-once"
    body = {"model": "tts-1", "input": "Only once.", "voice": "nova"}
    first = client.post("/v1/audio/speech", headers=headers, json=body)
    again = client.post("/v1/audio/speech", headers=headers, json=body)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.content == first.content
    assert platform.ledger.balances(account).total == 100_000 - len("Only once.")


# -- transcription --------------------------------------------------------------------------


def test_transcription_formats(client: TestClient, platform: Platform, speech_mp3: bytes) -> None:
    headers, _ = auth(platform)

    def post(**data: Any) -> Any:
        return client.post(
            "/v1/audio/transcriptions",
            headers=headers,
            files={"file": ("fox.mp3", speech_mp3, "audio/mpeg")},
            data={"model": "whisper-1", "language": "en", **data},
        )

    r = post()
    assert r.status_code == 200
    assert_heard("The quick brown fox jumps over the lazy dog.", r.json()["text"])
    assert_heard("The quick brown fox jumps over the lazy dog.", post(response_format="text").text)
    srt = post(response_format="srt").text
    assert srt.startswith("1\n00:00:0")
    assert " --> " in srt
    assert post(response_format="vtt").text.startswith("WEBVTT\n\n00:00:0")
    verbose = post(
        response_format="verbose_json", **{"timestamp_granularities[]": ["word", "segment"]}
    ).json()
    assert verbose["task"] == "transcribe"
    assert verbose["language"] == "english"
    assert verbose["segments"][0]["start"] == 0.0
    assert_heard(
        "The quick brown fox jumps over the lazy dog.",
        " ".join(w["word"] for w in verbose["words"]),
    )


def test_translation_endpoint(client: TestClient, platform: Platform, speech_mp3: bytes) -> None:
    headers, _ = auth(platform)
    r = client.post(
        "/v1/audio/translations",
        headers=headers,
        files={"file": ("fox.mp3", speech_mp3)},
        data={"model": "whisper-1", "response_format": "verbose_json"},
    )
    assert r.status_code == 200
    assert r.json()["task"] == "translate"
    assert_heard("The quick brown fox jumps over the lazy dog.", r.json()["text"], max_wer=0.34)


@pytest.mark.parametrize(
    ("data", "file", "status", "param"),
    [
        ({"model": "whisper-1"}, b"not audio", 400, "file"),
        ({"model": "whisper-9"}, None, 404, "model"),
        ({"model": "whisper-1", "language": "zz-bogus"}, None, 400, "language"),
        ({"model": "whisper-1", "response_format": "xml"}, None, 400, "response_format"),
        (
            {"model": "whisper-1", "timestamp_granularities[]": ["word"]},
            None,
            400,
            "timestamp_granularities",
        ),
        ({}, None, 400, "model"),
    ],
)
def test_transcription_errors_cost_nothing(
    client: TestClient,
    platform: Platform,
    speech_mp3: bytes,
    data: dict[str, Any],
    file: bytes | None,
    status: int,
    param: str,
) -> None:
    headers, account = auth(platform)
    r = client.post(
        "/v1/audio/transcriptions",
        headers=headers,
        files={"file": ("a.mp3", speech_mp3 if file is None else file)},
        data=data,
    )
    assert r.status_code == status, r.text
    assert_openai_error(r.json(), "invalid_request_error")
    assert r.json()["error"]["param"] == param
    assert platform.ledger.balances(account).total == 100_000


def test_transcription_without_a_file(client: TestClient, platform: Platform) -> None:
    headers, _ = auth(platform)
    r = client.post("/v1/audio/transcriptions", headers=headers, data={"model": "whisper-1"})
    assert r.status_code == 400
    assert r.json()["error"]["param"] == "file"


# -- chat -----------------------------------------------------------------------------------


def test_chat_errors(client: TestClient, platform: Platform, upstream: Upstream) -> None:
    headers, account = auth(platform)
    r = client.post(
        "/v1/chat/completions", headers=headers, json={"model": "fail-500", "messages": HELLO}
    )
    assert r.status_code == 502
    assert_openai_error(r.json(), "server_error", "upstream_error")
    assert SECRET_MARKER not in r.text
    assert "hunter2" not in r.text
    limited = client.post(
        "/v1/chat/completions",
        headers=headers,
        json={"model": "fail-429", "messages": HELLO, "stream": True},
    )
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    assert_openai_error(limited.json(), "rate_limit_error")
    assert SECRET_MARKER not in limited.text
    unknown = client.post(
        "/v1/chat/completions", headers=headers, json={"model": "nope", "messages": HELLO}
    )
    assert unknown.status_code == 404
    assert_openai_error(unknown.json(), "invalid_request_error", "model_not_found")
    empty = client.post(
        "/v1/chat/completions", headers=headers, json={"model": "echo-model", "messages": []}
    )
    assert empty.status_code == 400
    assert empty.json()["error"]["param"] == "messages"
    broken = client.post(
        "/v1/chat/completions",
        headers={**headers, "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert broken.status_code == 400
    assert platform.ledger.balances(account).total == 100_000


def test_free_model_429_after_20_a_minute(client: TestClient, platform: Platform) -> None:
    headers, _account = auth(platform, credits=0)
    body = {"model": "free", "messages": HELLO}
    for _ in range(20):
        assert client.post("/v1/chat/completions", headers=headers, json=body).status_code == 200
    r = client.post("/v1/chat/completions", headers=headers, json=body)
    assert r.status_code == 429
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert_openai_error(r.json(), "rate_limit_error", "rate_limit_exceeded")
