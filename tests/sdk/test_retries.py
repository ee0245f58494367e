"""Retries as a user sees them: 429 and 503 are tried again after the server's Retry-After,
every attempt of a POST carries the same Idempotency-Key, long waits are not waited out.

The server here is a tiny test-only app that answers a scripted sequence per path (real HTTP
through uvicorn for the sync client, httpx's ASGI transport for the async one)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import seesay_sdk
from seesay_sdk import errors
from support.live import serve_app

SPEECH = {
    "id": "spc_1",
    "object": "speech",
    "audio_url": "http://127.0.0.1/files/x?expires=1&sig=s",
    "duration_seconds": 1.2,
    "format": "mp3",
    "voice": "en_US-joe-medium",
    "engine": "piper",
    "language": "en",
    "credits_used": 0.1,
    "credits_remaining": 9.9,
}


def limited(
    retry_after: str | None, status: int = 429, code: str = "rate_limit_exceeded"
) -> Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    body = {"error": {"code": code, "message": "slow down", "param": None, "request_id": "req_1"}}
    return JSONResponse(body, status_code=status, headers=headers)


@dataclass
class FakeFlakyServer:
    """Answers each path from a queue of scripted responses, then 200 with ``ok``."""

    ok: dict[str, Any]
    script: dict[str, deque[Response]] = field(default_factory=dict)
    seen: list[tuple[float, str, str | None]] = field(default_factory=list)

    def app(self) -> Starlette:
        async def handle(request: Request) -> Response:
            await request.body()
            self.seen.append(
                (time.monotonic(), request.url.path, request.headers.get("idempotency-key"))
            )
            queue = self.script.get(request.url.path)
            if queue:
                return queue.popleft()
            return JSONResponse(self.ok.get(request.url.path, {}))

        async def healthz(_: Request) -> Response:
            return JSONResponse({"status": "ok"})

        return Starlette(
            routes=[
                Route("/healthz", healthz),
                Route("/v1/{rest:path}", handle, methods=["GET", "POST"]),
            ]
        )


@pytest.fixture
def flaky() -> FakeFlakyServer:
    return FakeFlakyServer(ok={"/v1/speech": SPEECH, "/v1/voices": {"object": "list", "data": []}})


@pytest.fixture
def live(flaky: FakeFlakyServer) -> Iterator[str]:
    with serve_app(flaky.app()) as base:
        flaky.seen.clear()
        yield base


def test_429_is_retried_after_retry_after_with_one_idempotency_key(
    flaky: FakeFlakyServer, live: str
) -> None:
    flaky.script["/v1/speech"] = deque([limited("1"), limited("1", status=503)])
    with seesay_sdk.Client(base_url=live, api_key="k", max_retries=2) as client:
        started = time.monotonic()
        speech = client.speech("Hello.")
        elapsed = time.monotonic() - started
    assert speech.voice == "en_US-joe-medium"
    assert [path for _, path, _ in flaky.seen] == ["/v1/speech"] * 3
    keys = {key for _, _, key in flaky.seen}
    assert len(keys) == 1, "every attempt carries the same key"
    assert next(iter(keys))
    gaps = [b[0] - a[0] for a, b in zip(flaky.seen, flaky.seen[1:], strict=False)]
    assert all(gap >= 0.95 for gap in gaps), gaps  # waited what Retry-After asked
    assert elapsed < 5


def test_the_callers_idempotency_key_is_kept(flaky: FakeFlakyServer, live: str) -> None:
    flaky.script["/v1/speech"] = deque([limited("0")])
    with seesay_sdk.Client(base_url=live, api_key="k") as client:
        client.speech("Hello.", idempotency_key="order-42")
    assert [key for _, _, key in flaky.seen] == ["order-42", "order-42"]


def test_gets_carry_no_idempotency_key_and_503_without_header_backs_off(
    flaky: FakeFlakyServer, live: str
) -> None:
    flaky.script["/v1/voices"] = deque([limited(None, status=503, code="engine_unavailable")])
    with seesay_sdk.Client(base_url=live, api_key="k") as client:
        assert client.voices() == []
    assert [key for _, _, key in flaky.seen] == [None, None]


def test_retries_run_out_into_the_typed_error(flaky: FakeFlakyServer, live: str) -> None:
    flaky.script["/v1/speech"] = deque([limited("0")] * 3)
    with (
        seesay_sdk.Client(base_url=live, api_key="k", max_retries=2) as client,
        pytest.raises(errors.RateLimitError) as caught,
    ):
        client.speech("Hello.")
    assert len(flaky.seen) == 3
    assert caught.value.retry_after == 0
    assert caught.value.request_id == "req_1"


def test_a_retry_after_over_the_cap_is_not_waited_out(flaky: FakeFlakyServer, live: str) -> None:
    flaky.script["/v1/speech"] = deque([limited("45")])
    with seesay_sdk.Client(base_url=live, api_key="k", max_retry_wait=10) as client:
        started = time.monotonic()
        with pytest.raises(errors.RateLimitError) as caught:
            client.speech("Hello.")
    assert time.monotonic() - started < 1
    assert caught.value.retry_after == 45
    assert len(flaky.seen) == 1


def test_no_retries_when_disabled_and_no_generated_key(flaky: FakeFlakyServer, live: str) -> None:
    flaky.script["/v1/speech"] = deque([limited("0", status=503, code="service_unavailable")])
    with (
        seesay_sdk.Client(base_url=live, api_key="k", max_retries=0) as client,
        pytest.raises(errors.ServerError) as caught,
    ):
        client.speech("Hello.")
    assert caught.value.status_code == 503
    assert caught.value.code == "service_unavailable"
    assert [key for _, _, key in flaky.seen] == [None]


def test_idempotency_in_progress_is_retried(flaky: FakeFlakyServer, live: str) -> None:
    flaky.script["/v1/speech"] = deque([limited(None, status=409, code="idempotency_in_progress")])
    with seesay_sdk.Client(base_url=live, api_key="k") as client:
        assert client.speech("Hello.").id == "spc_1"
    assert len(flaky.seen) == 2


def test_a_500_is_not_retried_and_a_plain_text_error_still_types(
    flaky: FakeFlakyServer, live: str
) -> None:
    flaky.script["/v1/speech"] = deque([Response("boom", status_code=500)])
    with (
        seesay_sdk.Client(base_url=live, api_key="k") as client,
        pytest.raises(errors.ServerError) as caught,
    ):
        client.speech("Hello.")
    assert caught.value.code == "http_500"
    assert caught.value.message == "boom"
    assert len(flaky.seen) == 1


@pytest.mark.anyio
async def test_async_client_honours_retry_after_too(flaky: FakeFlakyServer) -> None:
    flaky.script["/v1/speech"] = deque([limited("1")])
    transport = httpx.ASGITransport(app=flaky.app())
    async with (
        httpx.AsyncClient(transport=transport) as http,
        seesay_sdk.AsyncClient(
            base_url="http://testserver", api_key="k", http_client=http
        ) as client,
    ):
        started = time.monotonic()
        speech = await client.speech("Hello.")
    assert speech.id == "spc_1"
    assert time.monotonic() - started >= 0.95
    assert len({key for _, _, key in flaky.seen}) == 1
    assert len(flaky.seen) == 2
