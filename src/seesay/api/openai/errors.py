"""The OpenAI surface's error shape: ``{"error": {"message", "type", "param", "code"}}``.

Types follow OpenAI's: ``invalid_request_error`` (400, 404, 405, 413, 422),
``authentication_error`` (401), ``permission_error`` (403), ``insufficient_quota`` (402),
``rate_limit_error`` (429), ``server_error`` (5xx). Codes are SeeSay's stable codes, except
the ones OpenAI clients know: ``model_not_found`` for an unknown model and
``insufficient_quota``. A ``Retry-After`` header accompanies every 429, an upstream's
included.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.api.errors import error_responses
from seesay.errors import InsufficientCredits, NotFound, SeeSayError, UpstreamError

__all__ = ["OPENAI_ERRORS", "OpenAIErrorBody", "render_openai_error"]


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorBody(BaseModel):
    error: OpenAIErrorDetail


_TYPES = {
    401: "authentication_error",
    402: "insufficient_quota",
    403: "permission_error",
    429: "rate_limit_error",
}


def _type(status: int) -> str:
    return _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")


def render_openai_error(request: Request, exc: SeeSayError) -> JSONResponse:
    code = exc.code
    if isinstance(exc, NotFound) and exc.param == "model":
        code = "model_not_found"
    elif isinstance(exc, InsufficientCredits):
        code = "insufficient_quota"
    body: dict[str, Any] = {
        "message": exc.message,
        "type": _type(exc.status),
        "param": exc.param,
        "code": code,
    }
    headers: dict[str, str] = {}
    if isinstance(exc, UpstreamError) and exc.retry_after:
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse({"error": body}, status_code=exc.status, headers=headers)


_responses = partial(
    error_responses,
    OpenAIErrorBody,
    {
        400: "Invalid request",
        401: "Missing or invalid API key",
        402: "Not enough credits",
        403: "Not allowed",
        404: "Unknown model",
        409: "Idempotent request still running",
        413: "Request body too large",
        422: "Idempotency key reused with another body",
        429: "Rate limit (or an upstream provider's) exceeded; see Retry-After",
        500: "Internal error",
        502: "Upstream provider failed",
        503: "Engine unavailable",
        504: "Timed out",
    },
)


class OPENAI_ERRORS:
    """``responses=`` tables for the OpenAI routes."""

    listing = _responses(401, 404, 429, 500)
    paid = _responses(400, 401, 402, 409, 413, 422, 429, 500, 502, 503, 504)

    @staticmethod
    def with_ok(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
        """``paid`` plus a 200 entry naming the success media types."""
        ok: dict[str, Any] = {"description": description, "content": {m: {} for m in media_types}}
        return {200: ok, **OPENAI_ERRORS.paid}
