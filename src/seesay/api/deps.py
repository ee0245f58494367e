"""Dependencies as ``Annotated`` aliases: ``Services`` (the platform), ``CurrentKey`` (the
authenticated, rate-counted caller), ``InferenceKey`` (also holding a concurrency slot).

Every surface builds its two key dependencies with ``key_dependencies``: which headers may
carry the key, which security schemes the OpenAPI document shows, what to refuse first.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPBearer

from seesay import logs
from seesay.accounts.service import Principal
from seesay.platform import Platform

__all__ = [
    "BEARER",
    "X_API_KEY",
    "CurrentKey",
    "InferenceKey",
    "KeyDependencies",
    "Services",
    "authenticate",
    "get_platform",
    "hold_inference_slot",
    "key_dependencies",
    "presented_key",
]


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


Services = Annotated[Platform, Depends(get_platform)]


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
    logs.bind_account(principal.account_id)
    request.state.authenticated = (key, principal)
    return principal


@dataclass(frozen=True, slots=True)
class KeyDependencies:
    """A surface's key dependencies: ``key`` authenticates and counts the request;
    ``slot`` also holds one of the account's concurrent slots while the request runs."""

    key: Callable[..., Principal]
    slot: Callable[..., Iterator[Principal]]


def key_dependencies(
    *headers: str,
    documented: Sequence[HTTPBearer | APIKeyHeader] = (),
    refuse: Callable[[Request], None] | None = None,
) -> KeyDependencies:
    """Dependencies for a key in ``Authorization: Bearer`` or the first of ``headers`` set.

    ``documented`` security schemes are listed on the routes in the OpenAPI document (they
    read nothing themselves); ``refuse`` may raise for a request before its key is read.
    """

    def key(request: Request, platform: Platform, **_documented: object) -> Principal:
        if refuse is not None:
            refuse(request)
        return authenticate(request, platform, presented_key(request, *headers))

    def slot(principal: Principal, platform: Platform) -> Iterator[Principal]:
        yield from hold_inference_slot(principal, platform)

    schemes = {f"_scheme{i}": Annotated[object, Depends(s)] for i, s in enumerate(documented)}
    _inject(key, request=Request, platform=Services, **schemes)
    _inject(slot, principal=Annotated[Principal, Depends(key)], platform=Services)
    return KeyDependencies(key, slot)


def _inject(function: Callable[..., object], **parameters: object) -> None:
    """Set the signature FastAPI reads ``function``'s dependencies from: these are built at
    run time (a scheme per surface, the surface's own ``key``), so no ``def`` can spell them."""
    signature = inspect.Signature(
        [
            inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a)
            for n, a in parameters.items()
        ]
    )
    function.__signature__ = signature  # type: ignore[attr-defined]


def hold_inference_slot(principal: Principal, platform: Platform) -> Iterator[Principal]:
    """Hold one of the account's (per mode) concurrent slots for the request."""
    with platform.concurrency.slot(principal.limit_key, principal.plan.concurrent_requests):
        yield principal


BEARER = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
X_API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key header")

_native = key_dependencies("x-api-key", documented=(BEARER, X_API_KEY))
CurrentKey = Annotated[Principal, Depends(_native.key)]
InferenceKey = Annotated[Principal, Depends(_native.slot)]
