"""WebVoice ``stt/`` provider names and ``translation/``'s language list.

The spec names its STT providers after its hosted back ends (``whisper_small``,
``whisper_fast``...); ``webvoice.stt_providers`` maps each to a configured stt engine. A name
mapped to an engine that is not configured is a 503 naming the setting to change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from seesay.engines import languages
from seesay.errors import EngineUnavailable, InvalidRequest, UnsupportedLanguage

__all__ = ["TRANSLATION_LANGUAGES", "spec_language", "stt_engine"]

TRANSLATION_LANGUAGES = (
    "en",
    "it",
    "es",
    "fr",
    "de",
    "pt",
    "ru",
    "zh",
    "ja",
    "ko",
    "ar",
    "nl",
    "pl",
    "tr",
    "cs",
)


def stt_engine(
    provider: str | None, mapping: Mapping[str, str], configured: Sequence[str]
) -> str | None:
    """The stt engine for the spec's ``provider`` (None: the default engine)."""
    name = (provider or "").strip()
    if not name:
        return None
    if name not in mapping:
        raise InvalidRequest(
            f"unknown provider {name!r}; providers: {', '.join(sorted(mapping))}",
            param="provider",
        )
    engine = mapping[name]
    if engine not in configured:
        raise EngineUnavailable(
            f"provider {name} needs the speech-to-text engine {engine!r}, which is not "
            f"configured (configured: {', '.join(configured) or 'none'}); add it to "
            "SEESAY_ENGINES__STT__ENGINES or map the provider elsewhere with "
            "SEESAY_WEBVOICE__STT_PROVIDERS."
        )
    return engine


def spec_language(value: str, param: str) -> str:
    """``value`` if it is one of the spec's 15 translation languages (any region)."""
    try:
        code = languages.primary(value)
    except InvalidRequest:
        code = ""
    if code not in TRANSLATION_LANGUAGES:
        raise UnsupportedLanguage(
            f"{param} {value!r} is not supported; supported: {', '.join(TRANSLATION_LANGUAGES)}",
            param=param,
            details={"supported": list(TRANSLATION_LANGUAGES)},
        )
    return value
