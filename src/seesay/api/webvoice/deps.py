"""WebVoice authentication: the key in ``X-API-Key`` or ``Authorization: Bearer``.

A key in the query string (``?api_key=``) is refused even when a header carries one too: it
has already landed in access logs and browser history, and the spec refuses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from seesay.accounts.service import Principal
from seesay.api.deps import Services, authenticate, hold_inference_slot, presented_key
from seesay.errors import AuthenticationFailed

__all__ = ["PREFIX", "WebVoiceInference", "WebVoiceKey", "client_ip"]

PREFIX = "/compat/webvoice/api/v1"
_QUERY_KEYS = ("api_key", "apikey", "key", "access_token", "token")

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
_x_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key header")


def _principal(
    request: Request,
    platform: Services,
    _bearer_doc: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _key_doc: Annotated[str | None, Depends(_x_api_key)],
) -> Principal:
    if any(name in request.query_params for name in _QUERY_KEYS):
        raise AuthenticationFailed(
            "API keys in query strings are not accepted (they end up in server logs and "
            "browser history). Send the key in the X-API-Key or Authorization: Bearer header.",
            param="api_key",
        )
    return authenticate(request, platform, presented_key(request, "x-api-key"))


WebVoiceKey = Annotated[Principal, Depends(_principal)]


def _inference(principal: WebVoiceKey, platform: Services) -> Iterator[Principal]:
    yield from hold_inference_slot(principal, platform)


WebVoiceInference = Annotated[Principal, Depends(_inference)]


def client_ip(request: Request) -> str:
    """The peer address (run uvicorn with --proxy-headers behind a trusted proxy)."""
    return request.client.host if request.client else "unknown"
