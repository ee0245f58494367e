"""What the speech-to-text engines share: ``SttEngine.transcribe`` implemented once.

``SttBase.transcribe`` takes the protocol's arguments, turns ``auto`` (in any spelling, or
no language at all) into ``None`` (detect), and hands the engine's ``_transcribe`` the
language as asked otherwise and the rest of the request as one ``SttOptions``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from seesay.engines import languages
from seesay.engines.base import Audio, Transcript

__all__ = ["SttBase", "SttOptions"]


@dataclass(frozen=True, slots=True)
class SttOptions:
    """What a transcription asks besides the audio and its language: English text
    (``translate``), word timings, and a ``prompt`` that guides spelling."""

    translate: bool = False
    word_timestamps: bool = False
    prompt: str | None = None


class SttBase(ABC):
    """Base of the speech-to-text engines; subclasses provide ``_transcribe``."""

    def transcribe(
        self,
        audio: Audio,
        language: str | None,
        *,
        translate: bool = False,
        word_timestamps: bool = False,
        prompt: str | None = None,
    ) -> Transcript:
        """Transcribe ``audio``; ``language`` None or ``auto`` detects it. ``translate``
        gives English text. ``Transcript.language`` is the spoken language (BCP-47),
        detected or as asked."""
        asked = None if languages.is_auto(language) else language
        return self._transcribe(audio, asked, SttOptions(translate, word_timestamps, prompt))

    @abstractmethod
    def _transcribe(self, audio: Audio, language: str | None, options: SttOptions) -> Transcript:
        """Transcribe with ``language`` as the caller named it, or None to detect it."""
