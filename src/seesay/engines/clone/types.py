"""Small shared types and checks of the clone engines (kept apart so ``build`` imports
nothing heavy)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Final

from seesay.engines.base import TtsEngine, VoiceProfile
from seesay.errors import InvalidRequest

__all__ = ["SAMPLE_FORMATS", "TtsGetter", "check_text", "foreign_voice"]

#: The voice-sample formats every clone engine lists as its ``EngineInfo.formats``.
SAMPLE_FORMATS: Final = ("mp3", "wav", "webm", "ogg", "flac", "m4a")

#: ``with tts(name) as engine:`` holds the loaded speech engine of that name for the block (a
#: registry lease, so it is not unloaded under a conversion); raises ``EngineUnavailable``
#: when no such engine is configured.
TtsGetter = Callable[[str], AbstractContextManager[TtsEngine]]


def foreign_voice(profile: VoiceProfile, engine: str) -> InvalidRequest:
    """The error for a ``profile`` that ``engine`` did not make (or whose data it cannot use)."""
    return InvalidRequest(
        f"this voice was made by the {profile.engine} engine, not {engine}", param="voice"
    )


def check_text(text: str, max_chars: int) -> None:
    """``InvalidRequest`` (param ``text``) when ``text`` is blank or over ``max_chars``."""
    if not text.strip():
        raise InvalidRequest("there is no text to speak", param="text")
    if len(text) > max_chars:
        raise InvalidRequest(f"the text is longer than {max_chars} characters", param="text")
