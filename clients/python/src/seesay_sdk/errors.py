"""Typed errors raised by the SeeSay SDK.

Every error the server answers has the native shape ``{"error": {code, message, param,
request_id}}``; the SDK raises the subclass of :class:`SeeSayAPIError` that matches the HTTP
status, with those fields as attributes::

    SeeSayError                      anything the SDK raises on purpose
    ├── APIConnectionError           the server could not be reached (no status)
    │   └── APITimeoutError          the request timed out
    ├── JobWaitTimeout               ``jobs.wait`` gave up before the job finished
    └── SeeSayAPIError               the server answered with an error status
        ├── InvalidRequestError      400, 413, 422
        ├── AuthenticationError      401
        ├── InsufficientCreditsError 402
        ├── PermissionDeniedError    403
        ├── NotFoundError            404
        ├── ConflictError            409
        ├── RateLimitError           429 (``retry_after`` seconds)
        └── ServerError              5xx

``code`` is the server's stable snake_case code (``invalid_voice``, ``plan_required``,
``concurrency_limit_exceeded``...), so finer cases are told apart by it.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "ConflictError",
    "InsufficientCreditsError",
    "InvalidRequestError",
    "JobWaitTimeout",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "SeeSayAPIError",
    "SeeSayError",
    "ServerError",
    "error_from_response",
]


class SeeSayError(Exception):
    """Base of every error the SDK raises on purpose."""


class APIConnectionError(SeeSayError):
    """No answer came back: the connection failed or broke before a response."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request took longer than the client's ``timeout``."""


class JobWaitTimeout(SeeSayError):
    """``jobs.wait`` reached its timeout; ``job`` is the last state seen."""

    def __init__(self, message: str, *, job: Any) -> None:
        super().__init__(message)
        self.message = message
        self.job = job


class SeeSayAPIError(SeeSayError):
    """The server answered with an error status.

    ``code``, ``message``, ``param`` and ``request_id`` come from the error body (or, for an
    answer without one, from the status); ``status_code`` is the HTTP status, ``body`` the
    decoded JSON (or ``None``) and ``response`` the raw :class:`httpx.Response`.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str,
        param: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(f"{status_code} {code}: {message}")
        self.message = message
        self.status_code = status_code
        self.code = code
        self.param = param
        self.request_id = request_id
        self.body = body
        self.response = response


class InvalidRequestError(SeeSayAPIError):
    """400, 413 or 422: the request was refused as it is; fix the input named by ``param``."""


class AuthenticationError(SeeSayAPIError):
    """401: the API key is missing, unknown or revoked."""


class InsufficientCreditsError(SeeSayAPIError):
    """402: the balance is below the request's price."""


class PermissionDeniedError(SeeSayAPIError):
    """403: the key may not do this (``code == "plan_required"``: the plan lacks it)."""


class NotFoundError(SeeSayAPIError):
    """404: no such resource for this account."""


class ConflictError(SeeSayAPIError):
    """409: a request with the same ``Idempotency-Key`` is still running."""


class RateLimitError(SeeSayAPIError):
    """429: a rate or concurrency limit; ``retry_after`` is the seconds to wait (or None)."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(SeeSayAPIError):
    """5xx: the server or an engine failed (503: unavailable, 504: timed out)."""


_BY_STATUS: dict[int, type[SeeSayAPIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: InvalidRequestError,
    422: InvalidRequestError,
    429: RateLimitError,
}


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` as seconds (delta-seconds form only), or None."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # an HTTP date: rare from SeeSay; treated as absent
    return max(0.0, seconds)


def error_from_response(response: httpx.Response) -> SeeSayAPIError:
    """The typed error for an error ``response`` (its body must have been read)."""
    status = response.status_code
    body: Any = None
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("error") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        code = str(detail.get("code") or f"http_{status}")
        message = str(detail.get("message") or response.reason_phrase)
        param = detail.get("param")
        request_id = detail.get("request_id")
    else:
        code = f"http_{status}"
        message = response.text[:500] or response.reason_phrase
        param, request_id = None, None
    request_id = request_id or response.headers.get("x-request-id")
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else SeeSayAPIError)
    kwargs: dict[str, Any] = {
        "status_code": status,
        "code": code,
        "param": param if isinstance(param, str) else None,
        "request_id": request_id if isinstance(request_id, str) else None,
        "body": body,
        "response": response,
    }
    if cls is RateLimitError:
        retry_after = retry_after_seconds(response)
        if retry_after is None and isinstance(detail, dict):
            raw = detail.get("retry_after")
            retry_after = float(raw) if isinstance(raw, int | float) else None
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)
