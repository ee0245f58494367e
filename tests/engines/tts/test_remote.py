"""The remote OpenAI-compatible speech engine, against a real server process on 127.0.0.1
(``speech_server.py``) and, for the request shape, an ``httpx.MockTransport``."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from pydantic import SecretStr

from seesay.engines.tts.remote import OpenAISpeechEngine
from seesay.engines.tts.settings import OpenAITtsSettings, RemoteVoice
from seesay.errors import EngineTimeout, UnknownVoice, UpstreamError

KEY = "sk-test-remote-speech"
SERVER = Path(__file__).with_name("speech_server.py")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(SERVER), KEY], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def engine(base_url: str, **overrides: object) -> OpenAISpeechEngine:
    settings = OpenAITtsSettings(
        base_url=base_url,
        api_key=SecretStr(KEY),
        model="tts-1",
        voices=[RemoteVoice(id="nova", gender="female"), RemoteVoice(id="onyx", gender="male")],
        backoff=0.05,
        **overrides,  # type: ignore[arg-type]
    )
    e = OpenAISpeechEngine(settings)
    e.load()
    return e


def requests_seen(base_url: str) -> int:
    return int(httpx.get(f"{base_url}/requests").json()["requests"])


@pytest.mark.parametrize("fmt", ["pcm", "wav"])
def test_synthesize_through_a_real_server(base_url: str, fmt: str) -> None:
    e = engine(base_url, response_format=fmt)
    audio = e.synthesize("one two three four five", "nova", "en", 1.0)
    assert audio.sample_rate == 24_000
    assert audio.duration == pytest.approx(0.5, abs=0.05)  # the server's 0.1 s a word
    faster = e.synthesize("one two three four five", "nova", "en", 2.0)
    assert faster.duration == pytest.approx(0.25, abs=0.05)


def test_stream_sends_one_request_per_sentence(base_url: str) -> None:
    e = engine(base_url)
    before = requests_seen(base_url)
    chunks = list(e.stream("First one here. Second one. Third.", "onyx", "en", 1.0))
    assert len(chunks) == 3
    assert requests_seen(base_url) - before == 3


def test_retry_after_is_honoured(base_url: str) -> None:
    e = engine(base_url)
    t0 = time.monotonic()
    audio = e.synthesize(f"[busy] please wait {time.time()}", "nova", "en", 1.0)
    assert time.monotonic() - t0 >= 0.9  # waited the server's Retry-After: 1
    assert audio.duration > 0


def test_upstream_failure_does_not_echo_the_body(base_url: str) -> None:
    e = engine(base_url, retries=0)
    with pytest.raises(UpstreamError) as err:
        e.synthesize("[crash] now", "nova", "en", 1.0)
    assert err.value.upstream_status == 500
    assert "s3cr3t" not in str(err.value)
    assert "s3cr3t" not in repr(err.value.details)


def test_wrong_key(base_url: str) -> None:
    e = OpenAISpeechEngine(
        OpenAITtsSettings(base_url=base_url, api_key=SecretStr("wrong"), retries=0)
    )
    e.load()
    with pytest.raises(UpstreamError) as err:
        e.synthesize("hello", "nova", "en", 1.0)
    assert err.value.upstream_status == 401
    assert "wrong" not in err.value.message


def test_timeout(base_url: str) -> None:
    e = engine(base_url, timeout=0.5, retries=0)
    with pytest.raises(EngineTimeout):
        e.synthesize("[slow] hello", "nova", "en", 1.0)


def test_unknown_voice_is_refused_before_any_request(base_url: str) -> None:
    with pytest.raises(UnknownVoice):
        engine(base_url).synthesize("hello", "shimmer", "en", 1.0)


def test_request_shape() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        t = np.arange(2400) / 24_000
        return httpx.Response(
            200, content=(np.sin(2 * np.pi * 300 * t) * 9000).astype("<i2").tobytes()
        )

    settings = OpenAITtsSettings(
        base_url="http://127.0.0.1:9/v1", api_key=SecretStr(KEY), model="tts-1-hd"
    )
    e = OpenAISpeechEngine(settings, transport=httpx.MockTransport(handler))
    e.load()
    audio = e.synthesize("It costs $3.50.", "alloy", "en", 1.25)
    assert audio.duration == pytest.approx(0.1, abs=0.002)
    (request,) = seen
    assert request.url == "http://127.0.0.1:9/v1/audio/speech"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert json.loads(request.content) == {
        "model": "tts-1-hd",
        "input": "It costs three dollars and fifty cents.",
        "voice": "alloy",
        "response_format": "pcm",
        "speed": 1.25,
    }
    assert e.info.local is False
    assert e.info.languages == ()  # any language
