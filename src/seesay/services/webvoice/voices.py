"""WebVoice ``voices/``: the voice catalogue grouped by language.

Groups are keyed by the primary language subtag (``en``, ``it``), as the spec shows; a voice
that speaks several languages (a Kokoro voice speaking Japanese, English and Spanish) is
listed under each. Within a group voices come best first (the catalogue's own order).
"""

from __future__ import annotations

from functools import lru_cache

from seesay.engines import languages
from seesay.engines.base import VoiceInfo
from seesay.engines.tts.catalogue import VoiceCatalogue
from seesay.errors import InvalidRequest

__all__ = ["voice_entry", "voices_by_language"]


def voice_entry(voice: VoiceInfo) -> dict[str, str]:
    return {
        "id": voice.id,
        "name": voice.name,
        "gender": voice.gender,
        "language": voice.language,
        "engine": voice.engine,
    }


def _primary(tag: str) -> str:
    try:
        return languages.primary(tag)  # "cmn" -> "zh", "pt-BR" -> "pt"
    except InvalidRequest:
        return tag.split("-", 1)[0].lower()


@lru_cache(maxsize=8)
def _grouped(catalogue: VoiceCatalogue) -> dict[str, tuple[VoiceInfo, ...]]:
    groups: dict[str, dict[tuple[str, str], VoiceInfo]] = {}
    for tag in catalogue.languages():
        group = groups.setdefault(_primary(tag), {})
        for voice in catalogue.candidates(tag):
            group.setdefault((voice.engine, voice.id), voice)
    return {lang: tuple(group.values()) for lang, group in sorted(groups.items())}


def voices_by_language(
    catalogue: VoiceCatalogue, language: str | None = None
) -> dict[str, list[dict[str, str]]]:
    """``{language: [{id, name, ...}]}``; with ``language``, only that language's group."""
    if not language:
        return {lang: [voice_entry(v) for v in vs] for lang, vs in _grouped(catalogue).items()}
    try:
        tag = languages.normalize(language)
    except InvalidRequest as exc:
        exc.param = "language"
        raise
    found = catalogue.candidates(tag)
    return {_primary(tag): [voice_entry(v) for v in found]} if found else {}
