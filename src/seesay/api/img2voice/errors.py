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

from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.api.errors import WireCodes, caller_fixable, error_responses
from seesay.errors import (
    AuthenticationFailed,
    InsufficientCredits,
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


wire_error = WireCodes(
    rows=[
        (AuthenticationFailed, 401, "invalid_api_key"),
        (UnknownVoice, 400, "invalid_voice"),
        (UnsupportedLanguage, 400, "invalid_language"),
        (RateLimited, 429, "rate_limit_exceeded"),
        (InsufficientCredits, 402, "quota_exceeded"),
        (PermissionDenied, 403, "plan_required"),
        *caller_fixable("invalid_request"),
    ],
    client=(400, "invalid_request"),
    server=(500, "server_error"),
)
"""The (HTTP status, code) of an error on this surface."""


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


_responses = partial(
    error_responses,
    Img2VoiceError,
    {
        400: "invalid_request, invalid_voice or invalid_language",
        401: "invalid_api_key",
        402: "quota_exceeded",
        403: "plan_required",
        404: "invalid_request: no such batch",
        429: "rate_limit_exceeded (see Retry-After)",
        500: "server_error",
    },
)


class IMG2VOICE_ERRORS:
    """``responses=`` tables for the routes of this surface."""

    convert = _responses(400, 401, 402, 429, 500)
    batch = _responses(400, 401, 402, 403, 429, 500)
    batch_get = _responses(401, 404, 429, 500)
