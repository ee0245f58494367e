"""The remote OpenAI-compatible STT engine and the shared upstream client: unit tests with
``httpx.MockTransport``, integration tests against a real local server process."""

from __future__ import annotations

import io
import itertools
import json
import wave
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import numpy as np
import pytest
from pydantic import SecretStr

from engines.stt.servers import OPENAI_SERVER, running_server
from seesay.engines.base import Audio
from seesay.engines.deadline import Deadline, deadline_scope
from seesay.engines.stt.openai_remote import OpenAISttEngine, wav_bytes
from seesay.engines.stt.settings import OpenAISttSettings
from seesay.engines.upstream import RemoteSettings, UpstreamClient, parse_retry_after
from seesay.errors import EngineTimeout, UnsupportedLanguage, UpstreamError

AUDIO = Audio(samples=np.zeros(16_000, dtype=np.float32), sample_rate=16_000)

VERBOSE = {
    "task": "transcribe",
    "language": "english",
    "duration": 1.0,
    "text": " hello big world",
    "segments": [
        {"id": 0, "start": 0.0, "end": 0.5, "text": " hello", "avg_logprob": -0.1},
        {"id": 1, "start": 0.5, "end": 1.0, "text": " big world", "no_speech_prob": 0.1},
    ],
    "words": [
        {"word": "hello", "start": 0.0, "end": 0.4},
        {"word": "big", "start": 0.5, "end": 0.7},
        {"word": "world", "start": 0.7, "end": 1.0},
    ],
}


def engine_with(handler: httpx.MockTransport, **kw: object) -> OpenAISttEngine:
    settings = OpenAISttSettings(base_url="http://127.0.0.1:9/v1", backoff=0.0, **kw)  # type: ignore[arg-type]
    return OpenAISttEngine(settings, transport=handler)


def test_wav_bytes_round_trip() -> None:
    audio = Audio(samples=np.linspace(-1, 1, 800, dtype=np.float32), sample_rate=8000)
    with wave.open(io.BytesIO(wav_bytes(audio))) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (
            1,
            2,
            8000,
            800,
        )


def test_verbose_answer_maps_segments_words_and_language_name() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=VERBOSE)

    engine = engine_with(httpx.MockTransport(handle), api_key=SecretStr("sk-1"), model="m")
    result = engine.transcribe(AUDIO, "en-US", word_timestamps=True, prompt="names: Ada")
    assert result.text == "hello big world"
    assert result.language == "en"
    assert [s.text for s in result.segments] == ["hello", "big world"]
    assert [w.word for w in result.segments[1].words] == ["big", "world"]
    assert result.segments[0].avg_logprob == -0.1
    request = seen[0]
    assert request.url.path == "/v1/audio/transcriptions"
    assert request.headers["authorization"] == "Bearer sk-1"
    body = request.read()
    assert b'name="language"\r\n\r\nen\r\n' in body  # ISO 639-1, not en-US
    assert b"verbose_json" in body
    assert b"word" in body
    assert b"names: Ada" in body


def test_plain_json_without_language_is_detected_from_text() -> None:
    answer = {"text": "O gato está dormindo na cadeira vermelha perto da janela."}
    engine = engine_with(
        httpx.MockTransport(lambda r: httpx.Response(200, json=answer)), languages=["en", "pt"]
    )
    result = engine.transcribe(AUDIO, None)
    assert result.language == "pt"
    assert result.segments == ()
    assert result.duration == pytest.approx(1.0)


def test_verbose_refused_falls_back_to_json_once_and_remembers() -> None:
    formats: list[bytes] = []

    def handle(request: httpx.Request) -> httpx.Response:
        body = request.read()
        formats.append(b"verbose_json" if b"verbose_json" in body else b"json")
        if b"verbose_json" in body:
            return httpx.Response(400, json={"error": {"message": "no"}})
        return httpx.Response(200, json={"text": "hi"})

    engine = engine_with(httpx.MockTransport(handle))
    assert engine.transcribe(AUDIO, "en").text == "hi"
    assert engine.transcribe(AUDIO, "en").text == "hi"
    assert formats == [b"verbose_json", b"json", b"json"]


def test_translate_posts_to_translations_without_language() -> None:
    paths: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        assert b'name="language"' not in request.read()
        return httpx.Response(200, json={"text": "Good weather.", "language": "japanese"})

    result = engine_with(httpx.MockTransport(handle)).transcribe(AUDIO, "ja", translate=True)
    assert paths == ["/v1/audio/translations"]
    assert (result.text, result.language) == ("Good weather.", "ja")


def test_configured_languages_are_enforced() -> None:
    engine = engine_with(httpx.MockTransport(lambda r: httpx.Response(500)), languages=["en"])
    assert engine.info.languages == ("en",)
    with pytest.raises(UnsupportedLanguage):
        engine.transcribe(AUDIO, "ja")


def test_upstream_errors_never_echo_the_body() -> None:
    secret = "SECRET-UPSTREAM-DETAIL"
    engine = engine_with(
        httpx.MockTransport(lambda r: httpx.Response(500, json={"error": secret})), retries=1
    )
    with pytest.raises(UpstreamError) as info:
        engine.transcribe(AUDIO, "en")
    assert secret not in str(info.value)
    assert info.value.upstream_status == 500


def test_answer_without_text_is_an_upstream_error() -> None:
    engine = engine_with(httpx.MockTransport(lambda r: httpx.Response(200, json={"x": 1})))
    with pytest.raises(UpstreamError, match="without a text"):
        engine.transcribe(AUDIO, "en")


# ---- the shared upstream client ---------------------------------------------------------


def client_with(handler: httpx.MockTransport, sleeps: list[float], **kw: object) -> UpstreamClient:
    settings = RemoteSettings(base_url="http://127.0.0.1:9/api", **kw)  # type: ignore[arg-type]
    return UpstreamClient(
        settings, provider="the test service", transport=handler, sleep=sleeps.append
    )


def test_retries_with_backoff_and_retry_after() -> None:
    answers = iter(
        [
            httpx.Response(503),
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    sleeps: list[float] = []
    client = client_with(httpx.MockTransport(lambda r: next(answers)), sleeps, backoff=0.25)
    response = client.request("POST", "/things", json={})
    assert response.json() == {"ok": True}
    assert sleeps == [0.25, 3.0]  # backoff first, then the upstream's Retry-After


def test_retry_after_over_the_cap_is_not_waited_for() -> None:
    sleeps: list[float] = []
    handler = httpx.MockTransport(lambda r: httpx.Response(429, headers={"Retry-After": "600"}))
    with pytest.raises(UpstreamError) as info:
        client_with(handler, sleeps).request("GET", "x")
    assert sleeps == []
    assert info.value.upstream_status == 429
    assert info.value.retry_after == 600


def test_gives_up_after_retries_and_maps_auth_errors() -> None:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(502)

    with pytest.raises(UpstreamError, match="HTTP 502"):
        client_with(httpx.MockTransport(handle), [], retries=2, backoff=0).request("GET", "x")
    assert len(calls) == 3
    handler = httpx.MockTransport(lambda r: httpx.Response(401, text="bad key sk-123"))
    with pytest.raises(UpstreamError, match="credentials") as info:
        client_with(handler, []).request("GET", "x")
    assert "sk-123" not in str(info.value)


def test_connection_errors_retry_then_fail_and_read_timeouts_do_not_retry() -> None:
    calls: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append("c")
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(UpstreamError, match="could not reach"):
        client_with(httpx.MockTransport(refuse), [], retries=1).request("GET", "x")
    assert calls == ["c", "c"]

    def slow(request: httpx.Request) -> httpx.Response:
        calls.append("t")
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(EngineTimeout):
        client_with(httpx.MockTransport(slow), [], retries=3).request("GET", "x")
    assert calls.count("t") == 1


def test_base_url_path_is_kept() -> None:
    urls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json={})

    client_with(httpx.MockTransport(handle), []).request("GET", "/languages")
    assert urls == ["http://127.0.0.1:9/api/languages"]


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", lambda: now) == 30.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# ---- against a real local server process ------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server(OPENAI_SERVER) as url:
        yield url


def real_engine(server: str, **kw: object) -> OpenAISttEngine:
    settings = OpenAISttSettings(base_url=f"{server}/v1", backoff=0.0, **kw)  # type: ignore[arg-type]
    engine = OpenAISttEngine(settings)
    engine.load()
    return engine


def last(server: str) -> dict[str, object]:
    return json.loads(httpx.get(f"{server}/_last").text)  # type: ignore[no-any-return]


@pytest.mark.slow
def test_server_transcription_with_words(server: str) -> None:
    engine = real_engine(server, api_key=SecretStr("test-key"), model="needs-key")
    result = engine.transcribe(AUDIO, "pt-BR", word_timestamps=True)
    assert result.text == "received 16000 samples at 16000 hertz"
    assert result.language == "pt"
    assert len(result.segments) == 2
    words = [w for s in result.segments for w in s.words]
    assert [w.word for w in words] == result.text.split()
    assert all(a.end <= b.start + 1e-9 for a, b in itertools.pairwise(words))
    seen = last(server)
    assert seen["authorization"] == "Bearer test-key"
    assert seen["fields"]["language"] == "pt"  # type: ignore[index]
    assert seen["fields"]["timestamp_granularities[]"] == ["segment", "word"]  # type: ignore[index]
    engine.unload()


@pytest.mark.slow
def test_server_errors_and_retries(server: str) -> None:
    with pytest.raises(UpstreamError, match="credentials"):
        real_engine(server, model="needs-key", api_key=SecretStr("wrong")).transcribe(AUDIO, "en")
    # 503 with Retry-After: 0 on every other call: one retry succeeds.
    assert real_engine(server, model="flaky").transcribe(AUDIO, "en").text.startswith("received")
    with pytest.raises(UpstreamError) as info:
        real_engine(server, model="broken", retries=1).transcribe(AUDIO, "en")
    assert "SECRET" not in info.value.message
    with pytest.raises(EngineTimeout):
        real_engine(server, model="slow", timeout=0.5).transcribe(AUDIO, "en")


@pytest.mark.slow
def test_server_plain_json_fallback_and_translation(server: str) -> None:
    engine = real_engine(server, model="plain-only")
    assert engine.transcribe(AUDIO, "en").segments == ()
    assert last(server)["fields"]["response_format"] == "json"  # type: ignore[index]
    translated = real_engine(server).transcribe(AUDIO, None, translate=True)
    assert last(server)["path"] == "/v1/audio/translations"
    assert translated.language == "en"


@pytest.mark.slow
def test_server_exchange_ends_at_the_request_deadline(server: str) -> None:
    engine = real_engine(server, model="slow", timeout=120.0)  # the server sleeps 2 s
    with deadline_scope(Deadline.after(0.5, "transcription")), pytest.raises(EngineTimeout):
        engine.transcribe(AUDIO, "en")
    # Past the deadline no exchange starts at all.
    with (
        deadline_scope(Deadline.after(0.0, "transcription")),
        pytest.raises(EngineTimeout, match="transcription did not finish"),
    ):
        real_engine(server).transcribe(AUDIO, "en")
