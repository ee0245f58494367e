"""Pure ASGI middleware: request ids, the request log line, metrics, rate-limit headers and
body-size cap.

Kept as raw ASGI (not BaseHTTPMiddleware) so streamed responses pass through untouched and
the per-request overhead stays in microseconds.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seesay import logs
from seesay.accounts.limits import RateState
from seesay.metrics import Metrics

__all__ = ["BodySizeLimit", "RequestContext"]

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

request_log = logging.getLogger("seesay.request")


class RequestContext:
    """Assigns ``X-Request-Id`` (or keeps a sane incoming one), adds X-RateLimit-* headers
    when the request was counted, records metrics by route template, and logs one line per
    request: request id, account id (never the key), method, route template, status,
    latency and the credits it settled.

    The request runs under a log context (``seesay.logs``) so everything logged while it is
    served, and the jobs it submits, carry its id."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _acceptable_id(incoming) else _new_id()
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

        with logs.log_context(request_id) as context:
            try:
                await self.app(scope, receive, send_wrapper)
            finally:
                route = scope.get("route")
                template = getattr(route, "path", None) or "unmatched"
                seconds = time.perf_counter() - started
                self.metrics.observe_request(scope["method"], template, status_holder[0], seconds)
                principal = state.get("principal")
                if principal is not None:
                    context.account_id = principal.account_id
                logs.event(
                    request_log,
                    "request",
                    method=scope["method"],
                    route=template,
                    status=status_holder[0],
                    latency_ms=round(seconds * 1000, 1),
                    credits=context.millicredits / 1000,
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


def _acceptable_id(value: str) -> bool:
    """A caller's request id is kept when it is short and plain, and looks like no secret
    (it is logged everywhere: a key sent as a request id must not be)."""
    return bool(_SAFE_ID.match(value)) and logs.redact(value) == value


def _new_id() -> str:
    return "req_" + secrets.token_hex(12)
