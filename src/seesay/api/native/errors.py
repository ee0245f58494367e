"""The native surface's error shape: ``{"error": {code, message, param, request_id}}``."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.api.errors import error_responses
from seesay.errors import SeeSayError

__all__ = ["NATIVE_ERRORS", "ErrorBody", "render_native_error"]


class ErrorDetail(BaseModel):
    code: str
    message: str
    param: str | None = None
    request_id: str | None = None
    retry_after: int | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def render_native_error(request: Request, exc: SeeSayError) -> JSONResponse:
    body: dict[str, Any] = {
        "code": exc.code,
        "message": exc.message,
        "param": exc.param,
        "request_id": getattr(request.state, "request_id", None),
    }
    retry_after = exc.details.get("retry_after")
    if retry_after is not None:
        body["retry_after"] = retry_after
    return JSONResponse({"error": body}, status_code=exc.status)


_responses = partial(
    error_responses,
    ErrorBody,
    {
        400: "Invalid request",
        401: "Missing, malformed or revoked API key",
        402: "Not enough credits",
        403: "Not allowed (plan or signature)",
        404: "Not found",
        409: "Conflict (idempotent request still running)",
        413: "Request body too large",
        422: "Idempotency key reused with another body, or content rejected",
        429: "Rate or concurrency limit exceeded",
        500: "Internal error",
        502: "Upstream provider failed",
        503: "Engine or backing service unavailable",
        504: "Timed out",
    },
)


class NATIVE_ERRORS:
    """``responses=`` tables for routes, so the OpenAPI document lists every error."""

    public = _responses(400, 500)
    authed = _responses(400, 401, 429, 500)
    file = _responses(403, 404, 500)
    metered = _responses(400, 401, 402, 403, 409, 413, 422, 429, 500, 502, 503, 504)
    responses = staticmethod(_responses)
