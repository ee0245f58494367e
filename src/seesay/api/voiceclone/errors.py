"""The Voice Clone error shape, ``{"code", "error"}``, and its code table.

| domain error                                   | code                  | HTTP |
|------------------------------------------------|-----------------------|------|
| any InvalidRequest (bad file, text too long,   | INVALID_PARAMETERS    | 400  |
| PayloadTooLarge, validation), ContentRejected  |                       |      |
| Conflict, IdempotencyMismatch                  | INVALID_PARAMETERS    | 409, 422 |
| NotFound                                       | NOT_FOUND             | 404  |
| AuthenticationFailed                           | UNAUTHORIZED          | 401  |
| PermissionDenied                               | UNAUTHORIZED          | 403  |
| InsufficientCredits (+ credits, needCredits)   | USAGE_LIMIT_EXCEEDED  | 429  |
| RateLimited, ConcurrencyLimited                | RATE_LIMITED          | 429  |
| everything else                                | INTERNAL_ERROR        | 500  |

Decisions the spec leaves open: a body over the server's cap is the spec's "File size exceeds
20MB limit" with 400 (the spec has no 413); idempotency conflicts keep their 409/422 status
with INVALID_PARAMETERS; ``param`` names the offending field as an extra.

The spec puts ``X-RateLimit-*`` on *all* responses. An authenticated request is counted by
its key (the headers come from the middleware); a request refused before a key was known
(missing or bad key, unknown route, unreadable body) is counted per client address in its
own window, so its error carries the headers too and key guessing is throttled.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.accounts.limits import RateState
from seesay.accounts.plans import CREDIT
from seesay.api.deps import presented_key
from seesay.api.errors import WireCodes, caller_fixable, error_responses
from seesay.errors import (
    AuthenticationFailed,
    InsufficientCredits,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    SeeSayError,
)

__all__ = [
    "VOICECLONE_ERRORS",
    "VoiceCloneError",
    "credits_number",
    "render_voiceclone_error",
    "wire_error",
]


class VoiceCloneError(BaseModel):
    code: str
    error: str
    param: str | None = None
    credits: int | float | None = None
    needCredits: int | float | None = None


def credits_number(millicredits: int) -> float | int:
    """Credits as the spec shows them: whole numbers stay integers."""
    return millicredits // CREDIT if millicredits % CREDIT == 0 else millicredits / CREDIT


wire_error = WireCodes(
    rows=[
        (AuthenticationFailed, 401, "UNAUTHORIZED"),
        (PermissionDenied, 403, "UNAUTHORIZED"),
        (InsufficientCredits, 429, "USAGE_LIMIT_EXCEEDED"),
        (RateLimited, 429, "RATE_LIMITED"),
        (NotFound, 404, "NOT_FOUND"),
        *caller_fixable("INVALID_PARAMETERS"),
    ],
    client=(400, "INVALID_PARAMETERS"),
    server=(500, "INTERNAL_ERROR"),
)
"""The (HTTP status, code) of an error on this surface."""


def _message(request: Request, exc: SeeSayError, code: str) -> str:
    if code == "UNAUTHORIZED" and isinstance(exc, AuthenticationFailed):
        return "Authentication required" if presented_key(request) is None else "Invalid API key"
    if code == "USAGE_LIMIT_EXCEEDED":
        return "Insufficient credits"
    if isinstance(exc, PayloadTooLarge):
        return "File size exceeds 20MB limit"
    if code == "INTERNAL_ERROR":
        return "Internal server error"
    return exc.message


def _count_anonymous(request: Request) -> RateState | None:
    """Count a request refused before its key was known, per client address."""
    platform = getattr(request.app.state, "platform", None)
    if platform is None:
        return None
    ip = request.client.host if request.client else "unknown"
    limit = platform.settings.voice_clone.anonymous_requests_per_minute
    try:
        state: RateState = platform.rate_limiter.hit("voiceclone-anon", ip, limit)
    except RateLimited as limited:
        return RateState(limited.limit, 0, limited.reset)
    return state


def render_voiceclone_error(request: Request, exc: SeeSayError) -> JSONResponse:
    status, code = wire_error(exc)
    body: dict[str, Any] = {"code": code, "error": _message(request, exc, code)}
    if exc.param and code == "INVALID_PARAMETERS":
        body["param"] = exc.param
    if isinstance(exc, InsufficientCredits):
        body["credits"] = credits_number(exc.available)
        body["needCredits"] = credits_number(exc.needed)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    elif getattr(request.state, "rate", None) is None:
        rate = _count_anonymous(request)
        if rate is not None:
            headers.update(
                {
                    "X-RateLimit-Limit": str(rate.limit),
                    "X-RateLimit-Remaining": str(rate.remaining),
                    "X-RateLimit-Reset": str(rate.reset),
                }
            )
    return JSONResponse(body, status_code=status, headers=headers)


_responses = partial(
    error_responses,
    VoiceCloneError,
    {
        400: "INVALID_PARAMETERS",
        401: "UNAUTHORIZED: invalid or missing API key",
        404: "NOT_FOUND",
        429: "USAGE_LIMIT_EXCEEDED (insufficient credits) or RATE_LIMITED",
        500: "INTERNAL_ERROR",
    },
)


class VOICECLONE_ERRORS:
    """``responses=`` tables for the routes of this surface."""

    read = _responses(400, 401, 429, 500)
    lookup = _responses(401, 404, 429, 500)
    metered = _responses(400, 401, 404, 429, 500)
