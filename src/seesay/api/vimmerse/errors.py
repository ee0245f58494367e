"""The Vimmerse error shapes (FastAPI's): ``{"detail": "..."}`` for Bad Request, Insufficient
Credit and the rest, and ``{"detail": [{"loc", "msg", "type"}]}`` with 422 for Validation Error.

| domain error                                  | HTTP | body                      |
|-----------------------------------------------|------|---------------------------|
| VimmerseValidation (a body field is missing,  | 422  | ``detail``: list of items |
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

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.accounts.plans import CREDIT
from seesay.errors import (
    ContentRejected,
    InsufficientCredits,
    InvalidRequest,
    SeeSayError,
)

__all__ = [
    "VIMMERSE_ERRORS",
    "VimmerseError",
    "VimmerseValidation",
    "VimmerseValidationError",
    "render_vimmerse_error",
]


class VimmerseValidation(InvalidRequest):
    """A request body that does not match the route's schema; rendered as FastAPI's 422."""

    code = "validation_error"
    status = 422

    def __init__(self, errors: Sequence[dict[str, Any]]) -> None:
        items: list[dict[str, Any]] = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in errors
        ]
        loc = [str(p) for p in (errors[0].get("loc", ()) if errors else ())]
        msg = items[0]["msg"] if items else "invalid request"
        param = ".".join(str(p) for p in loc[1:]) or None
        super().__init__(
            f"{param}: {msg}" if param else msg, param=param, details={"errors": items}
        )


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


def _status(exc: SeeSayError) -> int:
    if isinstance(exc, VimmerseValidation):
        return 422
    if isinstance(exc, InvalidRequest | ContentRejected):
        return 405 if exc.status == 405 else 400
    return exc.status


def render_vimmerse_error(request: Request, exc: SeeSayError) -> JSONResponse:
    status = _status(exc)
    if isinstance(exc, VimmerseValidation):
        return JSONResponse({"detail": exc.details["errors"]}, status_code=422)
    body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
    if isinstance(exc, InsufficientCredits):
        body["detail"] = "Insufficient Credit: " + exc.message
        body["credits"] = exc.available / CREDIT
        body["needed_credits"] = exc.needed / CREDIT
    elif status >= 500:
        body["detail"] = f"{exc.message} Retry the request."
    return JSONResponse(body, status_code=status)


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "Bad Request",
        401: "Missing or invalid X-Api-Key",
        402: "Insufficient Credit",
        422: "Validation Error",
        429: "Too many requests",
        500: "Internal error",
    }
    return {
        s: {
            "model": VimmerseValidationError if s == 422 else VimmerseError,
            "description": text[s],
        }
        for s in statuses
    }


class VIMMERSE_ERRORS:
    """``responses=`` tables for the routes of this surface."""

    generate = _responses(400, 401, 402, 422, 429, 500)
    estimate = _responses(400, 401, 422, 429, 500)
