"""Dependencies as ``Annotated`` aliases: ``Services`` (the platform), ``CurrentKey`` (the
authenticated, rate-counted caller), ``InferenceKey`` (also holding a concurrency slot).

Surfaces with other key headers build their own aliases with ``principal_dependency``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from seesay.accounts.service import Principal
from seesay.platform import Platform

__all__ = [
    "CurrentKey",
    "InferenceKey",
    "Services",
    "get_platform",
    "hold_inference_slot",
    "presented_key",
    "principal_dependency",
]


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


Services = Annotated[Platform, Depends(get_platform)]

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
_x_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key header")


def presented_key(request: Request, *headers: str) -> str | None:
    """The key from ``Authorization: Bearer`` or the first of ``headers`` that is set."""
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    for name in headers:
        value = request.headers.get(name)
        if value:
            return value.strip()
    return None


def authenticate(request: Request, platform: Platform, key: str | None) -> Principal:
    """Authenticate and count the request against its account's per-minute window (plan
    limits belong to the account and mode, not to each key). A request is counted once:
    when an earlier step (the idempotency route) already authenticated this very key, its
    principal is reused."""
    done: tuple[str, Principal] | None = getattr(request.state, "authenticated", None)
    if done is not None and key is not None and done[0] == key:
        return done[1]
    principal = platform.accounts.authenticate(key)
    request.state.rate = platform.rate_limiter.hit(
        "rpm", principal.limit_key, principal.plan.requests_per_minute
    )
    request.state.principal = principal
    request.state.authenticated = (key, principal)
    return principal


def principal_dependency(*headers: str) -> Callable[..., Principal]:
    """A dependency authenticating with Bearer or one of ``headers``."""

    def dependency(request: Request, platform: Services) -> Principal:
        return authenticate(request, platform, presented_key(request, *headers))

    return dependency


def _native_principal(
    request: Request,
    platform: Services,
    _bearer_doc: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _key_doc: Annotated[str | None, Depends(_x_api_key)],
) -> Principal:
    return authenticate(request, platform, presented_key(request, "x-api-key"))


CurrentKey = Annotated[Principal, Depends(_native_principal)]


def hold_inference_slot(principal: Principal, platform: Platform) -> Iterator[Principal]:
    """Hold one of the account's (per mode) concurrent slots for the request."""
    with platform.concurrency.slot(principal.limit_key, principal.plan.concurrent_requests):
        yield principal


def _native_inference(principal: CurrentKey, platform: Services) -> Iterator[Principal]:
    yield from hold_inference_slot(principal, platform)


InferenceKey = Annotated[Principal, Depends(_native_inference)]
