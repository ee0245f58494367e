"""The voice-cloning engines: offline signal-processing voice conversion of a bundled voice,
a remote ElevenLabs-compatible voice-add and text-to-speech API, and an in-process neural
model (SpeechT5 with speaker embeddings) from local folders.

``build(settings, ctx, tts)`` constructs the configured engines, unloaded, in preference
order; ``tts(name)`` returns a loaded speech engine (the registry's ``tts``), which the
conversion cloner speaks with. Nothing heavy is imported here.
"""

from __future__ import annotations

from seesay.engines.base import Engine, EngineContext
from seesay.engines.clone.settings import CloneSettings
from seesay.engines.clone.types import TtsGetter

__all__ = ["TtsGetter", "build"]


def build(settings: CloneSettings, ctx: EngineContext, tts: TtsGetter) -> list[Engine]:
    """Construct (without loading) the configured clone engines in preference order."""
    engines: list[Engine] = []
    for kind in dict.fromkeys(settings.engines):
        if kind == "conversion":
            from seesay.engines.clone.conversion import ConversionCloneEngine

            engines.append(
                ConversionCloneEngine(settings.conversion, tts, cache_dir=ctx.cache_dir / "clone")
            )
        elif kind == "elevenlabs":
            from seesay.engines.clone.elevenlabs import ElevenLabsCloneEngine

            engines.append(ElevenLabsCloneEngine(settings.elevenlabs))
        elif kind == "hf":
            from seesay.engines.clone.hf import HfCloneEngine

            engines.append(HfCloneEngine(settings.hf, ctx))
    return engines
