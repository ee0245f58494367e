"""Image Describer's error shape: ``{"code": <int>, "msg": "<CONSTANT>", "succeed": false}``.

The spec's codes, with the HTTP statuses its examples imply (its Python example calls
``raise_for_status()`` and its Node example checks ``response.ok`` before reading ``msg``, so a
failure is never a 2xx):

| domain error                                   | code  | msg                  | HTTP |
|------------------------------------------------|-------|----------------------|------|
| InsufficientCredits                            | 10003 | INSUFFICIENT_CREDITS | 402  |
| InvalidRequest (bad image, URL, prompt, lang,  | 10004 | INVALID_PARAM        | 400  |
|   a body over the size cap)                    |       |                      |      |
| ContentRejected (the safety check)             | 10005 | HARMFUL_CONTENT      | 422  |
| AuthenticationFailed                           | 30001 | INVALID_API_KEY      | 401  |
| everything else                                | 500   | SERVER_ERROR         | 500  |

An image too large to accept is a bad image like any other: 400 with 10004, not a 413, which
the spec does not list. The spec has no rate-limit code; a limited request answers HTTP 429
with code 429, ``TOO_MANY_REQUESTS`` and ``Retry-After``. 30002 (request signatures) is never
sent: SeeSay keys are bearer secrets without signatures. ``data`` is present only on success,
as the spec says; ``detail`` carries the human-readable reason beside the spec's constant ``msg``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.api.errors import WireCodes, error_responses
from seesay.errors import (
    AuthenticationFailed,
    ContentRejected,
    InsufficientCredits,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    RateLimited,
    SeeSayError,
)

__all__ = ["DESCRIBER_ERRORS", "DescriberError", "render_describer_error", "wire_error"]


class DescriberError(BaseModel):
    code: int
    msg: str
    succeed: bool = False
    detail: str | None = None


def _param_status(exc: SeeSayError) -> int:
    return exc.status if exc.status in (405, 409, 422) else 400


_INVALID_PARAM = (10004, "INVALID_PARAM")
wire_error = WireCodes(
    rows=[
        (AuthenticationFailed, 401, (30001, "INVALID_API_KEY")),
        (InsufficientCredits, 402, (10003, "INSUFFICIENT_CREDITS")),
        (ContentRejected, 422, (10005, "HARMFUL_CONTENT")),
        (RateLimited, 429, (429, "TOO_MANY_REQUESTS")),
        (NotFound, 404, (404, "NOT_FOUND")),
        (PermissionDenied, 403, (403, "FORBIDDEN")),
        (InvalidRequest, _param_status, _INVALID_PARAM),
    ],
    client=(_param_status, _INVALID_PARAM),
    server=(500, (500, "SERVER_ERROR")),
)
"""(HTTP status, (spec code, msg)) of an error on this surface."""


def render_describer_error(request: Request, exc: SeeSayError) -> JSONResponse:
    status, (code, msg) = wire_error(exc)
    body: dict[str, Any] = {"code": code, "msg": msg, "succeed": False, "detail": exc.message}
    return JSONResponse(body, status_code=status)


_responses = partial(
    error_responses,
    DescriberError,
    {
        400: "10004 INVALID_PARAM",
        401: "30001 INVALID_API_KEY",
        402: "10003 INSUFFICIENT_CREDITS",
        422: "10005 HARMFUL_CONTENT",
        429: "TOO_MANY_REQUESTS (see Retry-After)",
        500: "500 SERVER_ERROR",
    },
)


class DESCRIBER_ERRORS:
    describe = _responses(400, 401, 402, 422, 429, 500)
