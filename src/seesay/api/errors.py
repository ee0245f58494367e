"""Error rendering shared by every surface.

Each surface registers one ``ErrorRenderer`` for its URL prefix; the app's exception
handlers pick the renderer of the longest matching prefix, so one process can answer
img2voice-shaped errors under ``/compat/img2voice`` and native ones under ``/v1`` while
every error still comes from the one ``seesay.errors`` tree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from seesay.errors import (
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    SeeSayError,
)

__all__ = ["ErrorRenderer", "ErrorRouter", "install_error_handlers", "rate_limit_headers"]

log = logging.getLogger("seesay.api")

ErrorRenderer = Callable[[Request, SeeSayError], Response]


@dataclass
class ErrorRouter:
    default: ErrorRenderer
    by_prefix: list[tuple[str, ErrorRenderer]] = field(default_factory=list)

    def register(self, prefix: str, renderer: ErrorRenderer) -> None:
        self.by_prefix.append((prefix.rstrip("/"), renderer))
        self.by_prefix.sort(key=lambda item: len(item[0]), reverse=True)

    def renderer_for(self, path: str) -> ErrorRenderer:
        for prefix, renderer in self.by_prefix:
            if path == prefix or path.startswith(prefix + "/"):
                return renderer
        return self.default


def rate_limit_headers(exc: SeeSayError) -> dict[str, str]:
    if not isinstance(exc, RateLimited):
        return {}
    headers = {"Retry-After": str(exc.retry_after), "X-RateLimit-Limit": str(exc.limit)}
    headers["X-RateLimit-Remaining"] = str(exc.remaining)
    if exc.reset:
        headers["X-RateLimit-Reset"] = str(exc.reset)
    return headers


def _validation_error(exc: RequestValidationError) -> InvalidRequest:
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "header", "path")]
    param = ".".join(loc) or None
    msg = str(first.get("msg", "invalid request"))
    if first.get("type") == "json_invalid":
        return InvalidRequest("The request body is not valid JSON.")
    return InvalidRequest(f"{param}: {msg}" if param else msg, param=param)


def _http_error(exc: StarletteHTTPException) -> SeeSayError:
    if exc.status_code == 404:
        return NotFound("No such route.")
    if exc.status_code == 405:
        not_allowed: SeeSayError = InvalidRequest("Method not allowed on this route.")
        not_allowed.status = 405
        return not_allowed
    if exc.status_code == 413:
        return PayloadTooLarge(str(exc.detail))
    if exc.status_code == 403:
        return PermissionDenied(str(exc.detail))
    err = SeeSayError(str(exc.detail))
    err.status = exc.status_code
    err.code = "http_error"
    return err


def install_error_handlers(app: FastAPI, router: ErrorRouter) -> None:
    def render(request: Request, exc: SeeSayError) -> Response:
        response = router.renderer_for(request.url.path)(request, exc)
        for name, value in rate_limit_headers(exc).items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(SeeSayError)
    async def _domain(request: Request, exc: SeeSayError) -> Response:
        return render(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return render(request, _validation_error(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return render(request, _http_error(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error(
            "unhandled error on %s %s (request %s)",
            request.method,
            request.url.path,
            getattr(request.state, "request_id", "-"),
            exc_info=exc,
        )
        response = render(request, SeeSayError("Internal server error. Retry the request."))
        if not isinstance(response, JSONResponse):
            return response
        return response
