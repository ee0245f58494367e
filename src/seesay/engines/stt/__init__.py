"""The speech-to-text engines: faster-whisper with the bundled models, and a remote
OpenAI-compatible transcription API. Heavy imports happen in each engine's ``load()``."""

from __future__ import annotations

from seesay.engines.base import Engine, EngineContext
from seesay.engines.stt.settings import SttSettings

__all__ = ["build"]


def build(settings: SttSettings, ctx: EngineContext) -> list[Engine]:
    """Construct (without loading) the configured stt engines in preference order."""
    engines: list[Engine] = []
    for kind in dict.fromkeys(settings.engines):  # keep order, drop repeats
        if kind == "whisper":
            from seesay.engines.stt.whisper import WhisperEngine

            engines.append(WhisperEngine(settings.whisper, ctx))
        elif kind == "openai":
            from seesay.engines.stt.openai_remote import OpenAISttEngine

            engines.append(OpenAISttEngine(settings.openai))
    return engines
