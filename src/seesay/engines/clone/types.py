"""Small shared types of the clone engines (kept apart so ``build`` imports nothing heavy)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from seesay.engines.base import TtsEngine

__all__ = ["TtsGetter"]

#: ``with tts(name) as engine:`` holds the loaded speech engine of that name for the block (a
#: registry lease, so it is not unloaded under a conversion); raises ``EngineUnavailable``
#: when no such engine is configured.
TtsGetter = Callable[[str], AbstractContextManager[TtsEngine]]
