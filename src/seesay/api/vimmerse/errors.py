"""The Vimmerse error shapes (FastAPI's): ``{"detail": "..."}`` for Bad Request, Insufficient
Credit and the rest, and ``{"detail": [{"loc", "msg", "type"}]}`` with 422 for Validation Error.

| domain error                                  | HTTP | body                      |
|-----------------------------------------------|------|---------------------------|
| InvalidFields (a body field is missing,       | 422  | ``detail``: list of items |
| of the wrong type or out of range)            |      |                           |
| any other InvalidRequest (unknown option,     | 400  | ``detail``: message       |
| unreadable audio, prompt the engine cannot    |      |                           |
| use, body too large), ContentRejected         |      |                           |
| AuthenticationFailed                          | 401  | ``detail``: message       |
| InsufficientCredits ("Insufficient Credit")   | 402  | ``detail`` + credits      |
| PermissionDenied                              | 403  |                           |
| NotFound                                      | 404  |                           |
| RateLimited                                   | 429  | with ``Retry-After``      |
| EngineError and the rest                      | 500, 502, 503, 504           |
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.accounts.plans import CREDIT
from seesay.api.errors import bad_request, error_responses
from seesay.errors import (
    ContentRejected,
    InsufficientCredits,
    InvalidFields,
    InvalidRequest,
    SeeSayError,
)

__all__ = [
    "VIMMERSE_ERRORS",
    "VimmerseError",
    "VimmerseValidationError",
    "render_vimmerse_error",
]


class VimmerseError(BaseModel):
    detail: str
    code: str | None = None
    credits: float | None = None
    needed_credits: float | None = None


class ValidationItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str | None = None


class VimmerseValidationError(BaseModel):
    detail: list[ValidationItem]


def render_vimmerse_error(request: Request, exc: SeeSayError) -> JSONResponse:
    if isinstance(exc, InvalidFields):
        return JSONResponse({"detail": exc.details["errors"]}, status_code=422)
    status = bad_request(exc) if isinstance(exc, InvalidRequest | ContentRejected) else exc.status
    body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
    if isinstance(exc, InsufficientCredits):
        body["detail"] = "Insufficient Credit: " + exc.message
        body["credits"] = exc.available / CREDIT
        body["needed_credits"] = exc.needed / CREDIT
    elif status >= 500:
        body["detail"] = f"{exc.message} Retry the request."
    return JSONResponse(body, status_code=status)


_responses = partial(
    error_responses,
    VimmerseError,
    {
        400: "Bad Request",
        401: "Missing or invalid X-Api-Key",
        402: "Insufficient Credit",
        422: "Validation Error",
        429: "Too many requests",
        500: "Internal error",
    },
    models={422: VimmerseValidationError},
)


class VIMMERSE_ERRORS:
    """``responses=`` tables for the routes of this surface."""

    generate = _responses(400, 401, 402, 422, 429, 500)
    estimate = _responses(400, 401, 422, 429, 500)
