"""Error rendering shared by every surface.

Each surface registers one ``ErrorRenderer`` for its URL prefix; the app's exception
handlers pick the renderer of the longest matching prefix, so one process can answer
img2voice-shaped errors under ``/compat/img2voice`` and native ones under ``/v1`` while
every error still comes from the one ``seesay.errors`` tree.

Here too, once for every surface: a request that fails its schema (FastAPI's own check or a
route's ``parse_body``) becomes the domain ``InvalidFields`` (``invalid_request``);
``WireCodes`` is a surface's table from the tree to its own (HTTP status, code); and
``error_responses`` documents a surface's error statuses in the OpenAPI document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from seesay.errors import (
    Conflict,
    ContentRejected,
    IdempotencyMismatch,
    InvalidFields,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    SeeSayError,
)

__all__ = [
    "ErrorRenderer",
    "ErrorRouter",
    "WireCodes",
    "bad_request",
    "caller_fixable",
    "error_responses",
    "install_error_handlers",
    "invalid_request",
    "own_status",
    "parse_body",
    "rate_limit_headers",
]

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


_LOCATIONS = frozenset({"body", "query", "header", "path", "cookie"})


def invalid_request(exc: ValidationError | RequestValidationError) -> InvalidRequest:
    """The domain error for input that failed a schema: ``InvalidFields``, whose ``param`` is
    the first failing field's path (``images.0.image_url``) and whose message names it, with
    every failure in ``details['errors']`` as ``{"loc", "msg", "type"}`` (FastAPI's shape:
    ``loc`` starts with where the field was, ``body`` for a route's own body check). A body
    that is not JSON at all is a plain ``InvalidRequest`` saying so."""
    failures: list[dict[str, Any]]
    if isinstance(exc, ValidationError):  # a route's own check of its body
        failures = [{**f, "loc": ("body", *f["loc"])} for f in exc.errors(include_url=False)]
    else:
        failures = [dict(f) for f in exc.errors()]
    if failures and failures[0].get("type") == "json_invalid":
        return InvalidRequest("The request body is not valid JSON.")
    items: list[dict[str, Any]] = [
        {"loc": list(f.get("loc", ())), "msg": str(f.get("msg", "")), "type": f.get("type")}
        for f in failures
    ]
    loc = items[0]["loc"] if items else []
    path = loc[1:] if loc and loc[0] in _LOCATIONS else loc
    param = ".".join(str(p) for p in path) or None
    msg = items[0]["msg"] if items else "invalid request"
    return InvalidFields(
        f"{param}: {msg}" if param else msg, param=param, details={"errors": items}
    )


M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M], data: Any) -> M:
    """``data`` (a JSON or form body) as ``model``, or ``invalid_request``'s error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_request(exc) from None


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


C = TypeVar("C")
Status = int | Callable[[SeeSayError], int]


def own_status(exc: SeeSayError) -> int:
    """The status the error itself suggests."""
    return exc.status


def bad_request(exc: SeeSayError) -> int:
    """400, or 405 for a method the route does not take (no other 4xx nuance)."""
    return 405 if exc.status == 405 else 400


Row = tuple[type[SeeSayError] | tuple[type[SeeSayError], ...], Status, C]


def caller_fixable(code: C) -> list[Row[C]]:
    """The rows the compat surfaces share for what the caller can fix, all under ``code``:
    a missing resource or a conflict keeps its status (404, 409, 422); other bad input is
    400 (405 for a method the route does not take)."""
    return [
        ((NotFound, Conflict, IdempotencyMismatch), own_status, code),
        ((InvalidRequest, ContentRejected), bad_request, code),
    ]


@dataclass(frozen=True)
class WireCodes(Generic[C]):
    """A surface's error table: the first row whose classes ``exc`` is an instance of gives
    its (status, code), else ``client`` for any other 4xx (a malformed body Starlette
    refused...), else ``server``. A status is a number or a function of the error."""

    rows: Sequence[Row[C]]
    client: tuple[Status, C]
    server: tuple[Status, C]

    def __call__(self, exc: SeeSayError) -> tuple[int, C]:
        found = next((row[1:] for row in self.rows if isinstance(exc, row[0])), None)
        status, code = found or (self.client if 400 <= exc.status < 500 else self.server)
        return (status if isinstance(status, int) else status(exc)), code


def error_responses(
    model: type[BaseModel],
    descriptions: Mapping[int, str],
    *statuses: int,
    models: Mapping[int, type[BaseModel]] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses=``: each of ``statuses`` with its description and body model
    (``models`` overrides the model for some statuses)."""
    return {
        s: {"model": (models or {}).get(s, model), "description": descriptions[s]} for s in statuses
    }


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
        return render(request, invalid_request(exc))

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
        return render(request, SeeSayError("Internal server error. Retry the request."))
