"""Keys of the OpenAI surface: ``Authorization: Bearer`` only, as OpenAI clients send."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from seesay.accounts.service import Principal
from seesay.api.deps import Services, authenticate, hold_inference_slot, presented_key

__all__ = ["OpenAIInferenceKey", "OpenAIKey"]

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")


def _principal(
    request: Request,
    platform: Services,
    _doc: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    return authenticate(request, platform, presented_key(request))


OpenAIKey = Annotated[Principal, Depends(_principal)]


def _inference(principal: OpenAIKey, platform: Services) -> Iterator[Principal]:
    yield from hold_inference_slot(principal, platform)


OpenAIInferenceKey = Annotated[Principal, Depends(_inference)]
