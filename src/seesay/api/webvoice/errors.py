"""The WebVoice error shape: ``{"error": "<status phrase>", "message": "..."}``.

``error`` is the HTTP reason phrase the spec's table uses ("Bad Request", "Unauthorized",
"Payment Required", "Too Many Requests"...); ``code`` (SeeSay's stable identifier),
``param`` and ``success: false`` ride along for clients that want them. An upstream
provider's 429 is passed on as 429 with its ``Retry-After``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from seesay.api.errors import error_responses
from seesay.errors import SeeSayError, UpstreamError

__all__ = ["WEBVOICE_ERRORS", "WebVoiceError", "render_webvoice_error"]


class WebVoiceError(BaseModel):
    success: bool = False
    error: str
    message: str
    code: str
    param: str | None = None


def _status(exc: SeeSayError) -> tuple[int, dict[str, str]]:
    if isinstance(exc, UpstreamError) and exc.upstream_status == 429:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else {}
        return 429, headers
    return exc.status, {}


def render_webvoice_error(request: Request, exc: SeeSayError) -> JSONResponse:
    status, headers = _status(exc)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body = WebVoiceError(error=phrase, message=exc.message, code=exc.code, param=exc.param)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    phrases = {s: HTTPStatus(s).phrase for s in statuses}
    return error_responses(WebVoiceError, phrases, *sorted(statuses))


class WEBVOICE_ERRORS:
    """``responses=`` tables, so /openapi.json lists every error of each route."""

    public = _responses(400, 429, 500, 503)
    authed = _responses(400, 401, 429, 500)
    metered = _responses(400, 401, 402, 409, 413, 422, 429, 500, 502, 503, 504)
    responses = staticmethod(_responses)
