"""The speech (TTS) engines: hibari, Piper, Kokoro, espeak-ng and a remote OpenAI-compatible
endpoint.

``build(settings, ctx)`` constructs the configured engines, unloaded, in preference order;
``VoiceCatalogue`` (``catalogue.py``) lists their voices and resolves the voice names callers
use. Nothing heavy is imported here: each engine imports its libraries in ``load()``.
"""

from __future__ import annotations

from seesay.engines.base import Engine, EngineContext
from seesay.engines.tts.settings import TtsSettings

__all__ = ["build"]


def build(settings: TtsSettings, ctx: EngineContext) -> list[Engine]:
    """Construct (without loading) the configured tts engines in preference order."""
    engines: list[Engine] = []
    for kind in dict.fromkeys(settings.engines):  # keep order, drop repeats
        if kind == "hibari":
            from seesay.engines.tts.hibari import HibariEngine, find_voices

            folder = settings.hibari.voices_dir or ctx.cache_dir / "hibari"
            engines.append(HibariEngine(ctx, find_voices(folder)))
        elif kind == "piper":
            from seesay.engines.tts.piper import PiperEngine, PiperVoiceFile, bundled_voice

            files = [bundled_voice()] if settings.piper.bundled else []
            files += [
                PiperVoiceFile(
                    model=v.model,
                    config=v.config or v.model.with_name(v.model.name + ".json"),
                    gender=v.gender,
                    name=v.name or v.model.stem,
                    licence="see the voice's model card",
                )
                for v in settings.piper.voices
            ]
            engines.append(
                PiperEngine(ctx, tuple(f for f in files if f is not None), ctx.model_store)
            )
        elif kind == "kokoro":
            from seesay.engines.tts.kokoro import KokoroEngine

            engines.append(KokoroEngine(ctx, ctx.model_store))
        elif kind == "espeak":
            from seesay.engines.tts.espeak import EspeakEngine

            engines.append(
                EspeakEngine(ctx, library=settings.espeak.library, data=settings.espeak.data)
            )
        elif kind == "openai":
            from seesay.engines.tts.remote import OpenAISpeechEngine

            engines.append(OpenAISpeechEngine(settings.openai))
    return engines
