"""The remote OpenAI-compatible vision engine: unit tests on httpx.MockTransport, and an
integration test against a real local server process (tests/engines/vision/openai_server.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from pydantic import SecretStr

from seesay.engines.base import VisionEngine
from seesay.engines.vision.remote import RemoteVisionEngine
from seesay.engines.vision.settings import RemoteVisionSettings
from seesay.errors import EngineTimeout, UnsupportedLanguage, UpstreamError

RED = Image.new("RGB", (64, 48), (250, 0, 0))


def ok(content: str = "A red square.") -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "model": "m",
            "choices": [
                {"message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
            ],
        },
    )


def make(handler, **kw: object) -> tuple[RemoteVisionEngine, list[float]]:  # type: ignore[no-untyped-def]
    sleeps: list[float] = []
    settings = RemoteVisionSettings(
        base_url="http://127.0.0.1:9/v1", api_key=SecretStr("sk-test"), model="m", **kw
    )
    engine = RemoteVisionEngine(
        settings, transport=httpx.MockTransport(handler), sleep=sleeps.append
    )
    engine.load()
    return engine, sleeps


def test_request_shape_follows_the_chat_completions_protocol() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok()

    engine, _ = make(handler)
    assert isinstance(engine, VisionEngine)
    result = engine.describe(RED, "detailed", None, "es")
    assert result.text == "A red square."
    req = seen[0]
    assert req.url == "http://127.0.0.1:9/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer sk-test"
    body = json.loads(req.content)
    user = body["messages"][1]
    assert user["content"][0]["type"] == "text"
    assert "Spanish" in user["content"][0]["text"]
    assert "detail" in user["content"][0]["text"]
    assert user["content"][1]["image_url"]["url"].startswith("data:image/jpeg;base64,")


def test_retries_on_429_and_5xx_with_backoff_and_retry_after() -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(503),
            ok("done"),
        ]
    )
    engine, sleeps = make(lambda r: next(answers), retries=2, backoff=0.25)
    assert engine.describe(RED, "brief", None, "en").text == "done"
    assert sleeps == [2.0, 0.5]  # Retry-After honoured, then exponential backoff


def test_connection_errors_are_retried_then_mapped() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("refused", request=request)

    engine, sleeps = make(handler, retries=3, backoff=0.1)
    with pytest.raises(UpstreamError, match="could not reach"):
        engine.describe(RED, "brief", None, "en")
    assert calls == 4
    assert sleeps == [0.1, 0.2, 0.4]


def test_timeouts_become_engine_timeout() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    engine, _ = make(handler, retries=0)
    with pytest.raises(EngineTimeout):
        engine.describe(RED, "brief", None, "en")


def test_client_errors_are_not_retried_and_bodies_are_not_echoed() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(400, json={"error": {"message": "bad sk-LEAKED-KEY"}})

    engine, _ = make(handler, retries=3)
    with pytest.raises(UpstreamError) as info:
        engine.describe(RED, "brief", None, "en")
    assert calls == 1
    assert info.value.upstream_status == 400
    assert "LEAKED" not in str(info.value)


def test_malformed_answers_are_upstream_errors() -> None:
    engine, _ = make(lambda r: httpx.Response(200, json={"choices": []}))
    with pytest.raises(UpstreamError, match="malformed"):
        engine.describe(RED, "brief", None, "en")
    engine, _ = make(lambda r: httpx.Response(200, content=b"<html>"))
    with pytest.raises(UpstreamError, match="invalid JSON"):
        engine.describe(RED, "brief", None, "en")


def test_configured_languages_are_enforced() -> None:
    engine, _ = make(lambda r: ok(), languages=["en", "de"])
    assert engine.info.languages == ("en", "de")
    with pytest.raises(UnsupportedLanguage):
        engine.describe(RED, "brief", None, "ja")


# --- integration: a real server process on 127.0.0.1 ---------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port_file = tmp_path_factory.mktemp("srv") / "port"
    script = Path(__file__).with_name("openai_server.py")
    env = {**os.environ, "SEESAY_TEST_KEY": "sk-integration"}
    proc = subprocess.Popen([sys.executable, str(script), str(port_file)], env=env)
    try:
        deadline = time.monotonic() + 15
        while not (port_file.exists() and port_file.read_text()):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text()}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def real(base_url: str, model: str, **kw: object) -> RemoteVisionEngine:
    settings = RemoteVisionSettings(
        base_url=base_url, api_key=SecretStr("sk-integration"), model=model, **kw
    )
    engine = RemoteVisionEngine(settings)
    engine.load()
    return engine


def test_integration_image_and_prompt_reach_a_real_server(server: str) -> None:
    engine = real(server, "llava-test")
    result = engine.describe(RED, "brief", "What color is it?", "en")
    assert "64x48" in result.text
    assert "mean color 2" in result.text  # red channel ~250 after JPEG
    assert "What color is it?" in result.text
    assert result.findings["usage"]["total_tokens"] == 22
    assert result.model == "llava-test"
    engine.unload()


def test_integration_retry_after_503(server: str) -> None:
    engine = real(server, "flaky-1", retries=2, backoff=0.01)
    assert "64x48" in engine.describe(RED, "standard", "flaky prompt", "en").text


def test_integration_errors_and_timeouts(server: str) -> None:
    engine = real(server, "always-500", retries=1, backoff=0.01)
    with pytest.raises(UpstreamError) as info:
        engine.describe(RED, "brief", None, "en")
    assert info.value.upstream_status == 500
    assert "SECRET" not in info.value.message
    slow = real(server, "slow", retries=0, timeout=0.5)
    with pytest.raises(EngineTimeout):
        slow.describe(RED, "brief", None, "en")
    wrong_key = RemoteVisionEngine(RemoteVisionSettings(base_url=server, model="x"))
    with pytest.raises(UpstreamError, match="401"):
        wrong_key.describe(RED, "brief", None, "en")
