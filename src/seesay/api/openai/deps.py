"""Keys of the OpenAI surface: ``Authorization: Bearer`` only, as OpenAI clients send."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from seesay.accounts.service import Principal
from seesay.api.deps import BEARER, key_dependencies

__all__ = ["OpenAIInferenceKey", "OpenAIKey"]

_keys = key_dependencies(documented=(BEARER,))
OpenAIKey = Annotated[Principal, Depends(_keys.key)]
OpenAIInferenceKey = Annotated[Principal, Depends(_keys.slot)]
