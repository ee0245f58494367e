"""img2voice's error shape and table: ``{"error": {"code", "message", "param"}}``.

The domain tree maps onto the spec's eight codes:

| domain error                                        | code                | HTTP |
|-----------------------------------------------------|---------------------|------|
| AuthenticationFailed                                | invalid_api_key     | 401  |
| UnknownVoice                                        | invalid_voice       | 400  |
| UnsupportedLanguage                                 | invalid_language    | 400  |
| any other InvalidRequest (InvalidImage, UnsafeUrl,  | invalid_request     | 400  |
| PayloadTooLarge, ...), ContentRejected              |                     |      |
| RateLimited, ConcurrencyLimited                     | rate_limit_exceeded | 429  |
| InsufficientCredits                                 | quota_exceeded      | 402  |
| PermissionDenied, PlanRequired                      | plan_required       | 403  |
| everything else                                     | server_error        | 500  |

Decisions the spec leaves open: a body over the size cap is ``invalid_request`` with HTTP 400
(the table has no 413 row, and its clients treat every 400 as "fix the request"); an image the
safety check refuses is ``invalid_request`` 400 naming ``image``; an unknown route or batch id is
``invalid_request`` with the HTTP status that says so (404), as are idempotency conflicts (409,
422). ``retry_after`` is added on 429, with the ``Retry-After`` header.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.errors import (
    AuthenticationFailed,
    Conflict,
    ContentRejected,
    IdempotencyMismatch,
    InsufficientCredits,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    RateLimited,
    SeeSayError,
    UnknownVoice,
    UnsupportedLanguage,
)

__all__ = ["IMG2VOICE_ERRORS", "Img2VoiceError", "render_img2voice_error", "wire_error"]


class Img2VoiceErrorDetail(BaseModel):
    code: str
    message: str
    param: str | None = None
    retry_after: int | None = None


class Img2VoiceError(BaseModel):
    error: Img2VoiceErrorDetail


def wire_error(exc: SeeSayError) -> tuple[int, str]:
    """The (HTTP status, code) of ``exc`` on this surface."""
    if isinstance(exc, AuthenticationFailed):
        return 401, "invalid_api_key"
    if isinstance(exc, UnknownVoice):
        return 400, "invalid_voice"
    if isinstance(exc, UnsupportedLanguage):
        return 400, "invalid_language"
    if isinstance(exc, RateLimited):
        return 429, "rate_limit_exceeded"
    if isinstance(exc, InsufficientCredits):
        return 402, "quota_exceeded"
    if isinstance(exc, PermissionDenied):
        return 403, "plan_required"
    if isinstance(exc, NotFound | Conflict | IdempotencyMismatch):
        return exc.status, "invalid_request"
    if isinstance(exc, InvalidRequest | ContentRejected):
        return (405 if exc.status == 405 else 400), "invalid_request"
    if 400 <= exc.status < 500:  # e.g. a malformed multipart body Starlette refused
        return 400, "invalid_request"
    return 500, "server_error"


def render_img2voice_error(request: Request, exc: SeeSayError) -> JSONResponse:
    status, code = wire_error(exc)
    message = exc.message
    if code == "server_error":
        message = f"{exc.message} Retry the request; if it persists, contact the operator."
    if code == "quota_exceeded":
        message = "No image credits remaining. Purchase more credits to continue."
    body: dict[str, Any] = {"code": code, "message": message, "param": exc.param}
    if isinstance(exc, RateLimited):
        body["retry_after"] = exc.retry_after
    return JSONResponse({"error": body}, status_code=status)


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "invalid_request, invalid_voice or invalid_language",
        401: "invalid_api_key",
        402: "quota_exceeded",
        403: "plan_required",
        404: "invalid_request: no such batch",
        429: "rate_limit_exceeded (see Retry-After)",
        500: "server_error",
    }
    return {s: {"model": Img2VoiceError, "description": text[s]} for s in statuses}


class IMG2VOICE_ERRORS:
    """``responses=`` tables for the routes of this surface."""

    convert = _responses(400, 401, 402, 429, 500)
    batch = _responses(400, 401, 402, 403, 429, 500)
    batch_get = _responses(401, 404, 429, 500)
