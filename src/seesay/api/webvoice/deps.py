"""WebVoice authentication: the key in ``X-API-Key`` or ``Authorization: Bearer``.

A key in the query string (``?api_key=``) is refused even when a header carries one too: it
has already landed in access logs and browser history, and the spec refuses it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from seesay.accounts.service import Principal
from seesay.api.deps import BEARER, X_API_KEY, key_dependencies
from seesay.errors import AuthenticationFailed

__all__ = ["PREFIX", "WebVoiceInference", "WebVoiceKey", "client_ip"]

PREFIX = "/compat/webvoice/api/v1"
_QUERY_KEYS = ("api_key", "apikey", "key", "access_token", "token")


def _refuse_query_keys(request: Request) -> None:
    if any(name in request.query_params for name in _QUERY_KEYS):
        raise AuthenticationFailed(
            "API keys in query strings are not accepted (they end up in server logs and "
            "browser history). Send the key in the X-API-Key or Authorization: Bearer header.",
            param="api_key",
        )


_keys = key_dependencies("x-api-key", documented=(BEARER, X_API_KEY), refuse=_refuse_query_keys)
WebVoiceKey = Annotated[Principal, Depends(_keys.key)]
WebVoiceInference = Annotated[Principal, Depends(_keys.slot)]


def client_ip(request: Request) -> str:
    """The peer address (run uvicorn with --proxy-headers behind a trusted proxy)."""
    return request.client.host if request.client else "unknown"
