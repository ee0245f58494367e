"""HTTP to one OpenAI-compatible chat provider: a JSON completion or an SSE stream.

Only the provider's own key goes upstream (``Authorization: Bearer``); nothing of the
caller's request headers is forwarded. Failures become sanitized domain errors: the message
names the provider and the HTTP status and never echoes the upstream body (it may hold
prompts, keys or internal details). The status hint is mapped for the caller:

======================  ==========================================
upstream answered       caller gets
======================  ==========================================
429                     429, with the upstream's Retry-After if any
400 404 409 413 422     400 (the provider refused this request)
401 402 403             502 (our configured credentials or account)
other / unreachable     502
read timeout            504 (``EngineTimeout``)
======================  ==========================================

Each exchange is a client span (``chat.upstream``, provider name and status) whose W3C
``traceparent`` goes upstream with the request.

Requests are not retried: a completion is not idempotent upstream and costs money there.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, suppress
from typing import Any

import httpx

from seesay.engines.upstream import parse_retry_after, provider_client
from seesay.errors import EngineTimeout, UpstreamError
from seesay.services.chat.settings import ProviderSettings
from seesay.tracing import SpanRecorder, Tracing

__all__ = ["ChatUpstream", "sse_events", "upstream_error"]

log = logging.getLogger(__name__)

_CLIENT_ERRORS = frozenset({400, 404, 409, 413, 422})


def upstream_error(provider: str, status: int, retry_after: float | None) -> UpstreamError:
    """The sanitized error for an upstream HTTP ``status`` (see the module table)."""
    if status == 429:
        message = f"The provider {provider} is rate limiting requests (HTTP 429)."
        hint = 429
    elif status in _CLIENT_ERRORS:
        message = f"The provider {provider} refused the request (HTTP {status})."
        hint = 400
    elif status in (401, 402, 403):
        message = f"The provider {provider} refused this server's credentials (HTTP {status})."
        hint = 502
    else:
        message = f"The provider {provider} failed (HTTP {status})."
        hint = 502
    wait = None if retry_after is None else max(1, round(retry_after))
    err = UpstreamError(message, upstream_status=status, retry_after=wait)
    err.status = hint
    err.details["upstream_status"] = status
    if wait is not None:
        err.details["retry_after"] = wait
    return err


class ChatUpstream:
    """One provider's pooled client; thread-safe."""

    def __init__(
        self,
        provider: ProviderSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        tracing: Tracing | None = None,
    ) -> None:
        self.name = provider.name
        self._tracing = tracing or Tracing()
        self._client = provider_client(
            provider,
            transport=transport,
            trust_env=False,  # never route provider traffic through an environment proxy
            headers={"Accept": "application/json"},
        )

    def close(self) -> None:
        self._client.close()

    def complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST a non-streaming completion; the parsed ``chat.completion`` object."""
        response = self._post(body, {}, stream=False)
        if not response.is_success:
            raise self._status(response)
        try:
            data = response.json()
        except ValueError as exc:
            raise UpstreamError(f"The provider {self.name} answered with invalid JSON.") from exc
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise UpstreamError(f"The provider {self.name} answered without choices.")
        return data

    def open_stream(self, body: dict[str, Any]) -> httpx.Response:
        """POST a streaming completion; the open 2xx response (close it when done)."""
        response = self._post(body, {"Accept": "text/event-stream"}, stream=True)
        if not response.is_success:
            with suppress(httpx.HTTPError):
                response.read()  # drain for the pool; the body itself is never used
            response.close()
            raise self._status(response)
        return response

    def _post(
        self, body: dict[str, Any], headers: dict[str, str], *, stream: bool
    ) -> httpx.Response:
        """POST ``body`` to chat/completions inside the exchange's client span, the trace
        context added to ``headers``; the response whatever its status (with ``stream`` its
        body still unread). Timeouts and unreachable providers raise here."""
        with self._span() as span:
            self._tracing.inject(headers)
            request = self._client.build_request(
                "POST", "chat/completions", json=body, headers=headers
            )
            try:
                response = self._client.send(request, stream=stream)
            except httpx.TimeoutException as exc:
                raise self._timeout() from exc
            except httpx.HTTPError as exc:
                raise UpstreamError(f"Could not reach the provider {self.name}.") from exc
            span.set({"http.response.status_code": response.status_code})
        return response

    def _span(self) -> AbstractContextManager[SpanRecorder]:
        """The client span of one exchange (until the response's headers, for a stream)."""
        return self._tracing.span(
            "chat.upstream",
            {"seesay.provider": self.name, "http.request.method": "POST"},
            kind="client",
        )

    def _status(self, response: httpx.Response) -> UpstreamError:
        log.warning("chat provider %s answered HTTP %s", self.name, response.status_code)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return upstream_error(self.name, response.status_code, retry_after)

    def _timeout(self) -> EngineTimeout:
        return EngineTimeout(f"The provider {self.name} did not answer in time.")


def sse_events(response: httpx.Response) -> Iterator[dict[str, Any] | None]:
    """The JSON events of an SSE body; ``None`` for ``data: [DONE]``. Comments and
    non-JSON data lines are skipped (providers send keep-alive comments)."""
    data: list[str] = []
    for line in response.iter_lines():
        if line.startswith("data:"):
            data.append(line[5:].lstrip())
            continue
        if line.strip() or not data:
            continue  # a comment, an event/id field, or a stray blank line
        payload, data = "\n".join(data), []
        if payload.strip() == "[DONE]":
            yield None
            return
        try:
            event = json.loads(payload)
        except ValueError:
            continue
        if isinstance(event, dict):
            yield event
    if data:  # a last event without its blank line
        payload = "\n".join(data)
        if payload.strip() == "[DONE]":
            yield None
        else:
            with suppress(ValueError):
                event = json.loads(payload)
                if isinstance(event, dict):
                    yield event
