"""The music engines: offline algorithmic composition, and an in-process text-to-music model
(MusicGen family) from a local folder.

``build(settings, ctx)`` constructs the configured engines, unloaded, in preference order.
Nothing heavy is imported here: each engine imports its libraries in ``load()``.
"""

from __future__ import annotations

from seesay.engines.base import Engine, EngineContext
from seesay.engines.music.settings import MusicSettings

__all__ = ["build"]


def build(settings: MusicSettings, ctx: EngineContext) -> list[Engine]:
    """Construct (without loading) the configured music engines in preference order."""
    engines: list[Engine] = []
    for kind in dict.fromkeys(settings.engines):
        if kind == "algorithmic":
            from seesay.engines.music.algorithmic import AlgorithmicMusicEngine

            engines.append(AlgorithmicMusicEngine(settings.algorithmic))
        elif kind == "hf":
            from seesay.engines.music.hf import HfMusicEngine

            engines.append(HfMusicEngine(settings.hf, ctx))
    return engines
