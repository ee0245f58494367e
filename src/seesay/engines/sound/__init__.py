"""The sound-effect engines: offline procedural synthesis, a remote ElevenLabs-compatible
sound-generation API, and an in-process text-to-audio model (MusicGen family).

``build(settings, ctx)`` constructs the configured engines, unloaded, in preference order.
Nothing heavy is imported here: each engine imports its libraries in ``load()``.
"""

from __future__ import annotations

from seesay.engines.base import Engine, EngineContext
from seesay.engines.sound.settings import SoundSettings

__all__ = ["build"]


def build(settings: SoundSettings, ctx: EngineContext) -> list[Engine]:
    """Construct (without loading) the configured sound engines in preference order."""
    engines: list[Engine] = []
    for kind in dict.fromkeys(settings.engines):
        if kind == "procedural":
            from seesay.engines.sound.procedural import ProceduralSoundEngine

            engines.append(ProceduralSoundEngine(settings.procedural))
        elif kind == "elevenlabs":
            from seesay.engines.sound.elevenlabs import ElevenLabsSoundEngine

            engines.append(ElevenLabsSoundEngine(settings.elevenlabs))
        elif kind == "hf":
            from seesay.engines.music.hf import HfSoundEngine

            engines.append(HfSoundEngine(settings.hf, ctx))
    return engines
