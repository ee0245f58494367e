"""Pure ASGI middleware: request ids, metrics, rate-limit headers and body-size cap.

Kept as raw ASGI (not BaseHTTPMiddleware) so streamed responses pass through untouched and
the per-request overhead stays in microseconds.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seesay.accounts.limits import RateState
from seesay.metrics import Metrics

__all__ = ["BodySizeLimit", "RequestContext"]

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class RequestContext:
    """Assigns ``X-Request-Id`` (or keeps a sane incoming one), adds X-RateLimit-* headers
    when the request was counted, and records metrics by route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _SAFE_ID.match(incoming) else _new_id()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status_holder = [500]

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers.append((b"x-request-id", request_id.encode()))
                rate: RateState | None = state.get("rate")
                if rate is not None and b"x-ratelimit-limit" not in names:
                    headers += [
                        (b"x-ratelimit-limit", str(rate.limit).encode()),
                        (b"x-ratelimit-remaining", str(rate.remaining).encode()),
                        (b"x-ratelimit-reset", str(rate.reset).encode()),
                    ]
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.observe_request(
                scope["method"], template, status_holder[0], time.perf_counter() - started
            )


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` before they are spooled whole.

    The refusal is raised from ``receive`` as an HTTP 413 exception, at the first read when
    Content-Length already says too much, else as soon as the streamed body passes the cap;
    FastAPI re-raises HTTP exceptions from body parsing, so each surface's error renderer
    shapes the answer.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        too_big = bool(declared and declared.isdigit() and int(declared) > self.max_bytes)
        seen = 0
        limit = self.max_bytes
        detail = f"The request body exceeds {limit // (1024 * 1024)} MB."

        async def limited_receive() -> Message:
            nonlocal seen
            if too_big:
                raise HTTPException(413, detail)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, detail)
            return message

        await self.app(scope, limited_receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _new_id() -> str:
    return "req_" + secrets.token_hex(12)
