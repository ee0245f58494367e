"""What the sync and async clients share: client options, the request description
(:class:`Call`), the retry policy and response decoding. No I/O happens here."""

from __future__ import annotations

import os
import random
import uuid
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from seesay_sdk._version import __version__
from seesay_sdk.errors import (
    APIConnectionError,
    APITimeoutError,
    retry_after_seconds,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "Call",
    "ClientOptions",
    "RetryPolicy",
    "parse",
]

DEFAULT_BASE_URL: Final = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT: Final = 120.0
#: Statuses worth trying again: the limit resets, the engine or backing service comes back.
RETRY_STATUSES: Final = frozenset({429, 503})

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Call:
    """One logical API call, built once and sent (possibly several times) by a client."""

    method: str
    path: str
    params: dict[str, Any] | None = None
    json: Any = None
    data: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    idempotency_key: str | None = None
    authenticated: bool = True
    headers: dict[str, str] = field(default_factory=dict)

    def request_headers(self, api_key: str | None, idempotency_key: str | None) -> dict[str, str]:
        headers = dict(self.headers)
        if self.authenticated and api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def logical_idempotency_key(self, retries_enabled: bool) -> str | None:
        """The key every attempt of this call carries: the caller's, or one made now for a
        POST that may be retried, so the server replays instead of charging twice."""
        if self.idempotency_key:
            return self.idempotency_key
        if self.method == "POST" and retries_enabled:
            return f"sdk-{uuid.uuid4().hex}"
        return None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to wait before trying a call again.

    Retried: connection failures and timeouts, 429 and 503 answers, and 409
    ``idempotency_in_progress`` (the first attempt is still running on the server). A
    ``Retry-After`` is honoured exactly when it is at most ``max_wait`` seconds; a longer one
    is not waited out (the error is raised at once, with ``retry_after`` set). Without one,
    the wait grows exponentially (0.5 s, 1 s, 2 s... up to 8 s) with jitter.
    """

    max_retries: int = 2
    max_wait: float = 30.0

    def backoff(self, attempt: int) -> float:
        return min(0.5 * 2.0**attempt, 8.0) * (0.75 + random.random() / 4)

    def delay_after_error(self, attempt: int) -> float | None:
        """Seconds to wait after a transport error on ``attempt`` (0-based), or None."""
        return self.backoff(attempt) if attempt < self.max_retries else None

    def delay_after_response(self, attempt: int, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying after an error ``response``, or None to give up."""
        if attempt >= self.max_retries:
            return None
        status = response.status_code
        if status == 409 and _error_code(response) == "idempotency_in_progress":
            return self.backoff(attempt)
        if status not in RETRY_STATUSES:
            return None
        retry_after = retry_after_seconds(response)
        if retry_after is None:
            return self.backoff(attempt)
        return retry_after if retry_after <= self.max_wait else None


def _error_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """Resolved client settings (environment fallbacks applied)."""

    base_url: str
    api_key: str | None
    timeout: float | httpx.Timeout
    retry: RetryPolicy
    headers: dict[str, str]

    @classmethod
    def resolve(
        cls,
        base_url: str | None,
        api_key: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        max_retry_wait: float,
        headers: dict[str, str] | None,
    ) -> ClientOptions:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        base = base_url or os.environ.get("SEESAY_BASE_URL") or DEFAULT_BASE_URL
        return cls(
            base_url=base.rstrip("/"),
            api_key=api_key if api_key is not None else os.environ.get("SEESAY_API_KEY"),
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            retry=RetryPolicy(max_retries=max_retries, max_wait=max_retry_wait),
            headers={
                "User-Agent": f"seesay-python/{__version__}",
                "Accept": "application/json",
                **(headers or {}),
            },
        )


def parse(response: httpx.Response, model: type[M]) -> M:
    return model.model_validate(response.json())


def parse_list(response: httpx.Response, model: type[M]) -> list[M]:
    """The ``data`` array of a ``{"object": "list", "data": [...]}`` answer."""
    body = response.json()
    items = body.get("data", []) if isinstance(body, dict) else body
    return TypeAdapter(list[model]).validate_python(items)  # type: ignore[valid-type]


def connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"request timed out: {exc}", request=request)
    return APIConnectionError(f"could not reach {request.url.host}: {exc}", request=request)
