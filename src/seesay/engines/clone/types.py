"""Small shared types of the clone engines (kept apart so ``build`` imports nothing heavy)."""

from __future__ import annotations

from collections.abc import Callable

from seesay.engines.base import TtsEngine

__all__ = ["TtsGetter"]

#: ``tts(name)`` -> the loaded speech engine of that name (``EngineRegistry.tts``); raises
#: ``EngineUnavailable`` when no such engine is configured.
TtsGetter = Callable[[str], TtsEngine]
