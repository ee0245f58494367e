"""The Vimmerse audio apps over SeeSay's services: options mapped to engines, credit
estimates from the one price table, uploads.

Each ``app_name`` is priced by one feature of the price table, and ``estimate`` computes
exactly what the generating call will hold:

| app_name        | feature        | units                                   |
|-----------------|----------------|-----------------------------------------|
| text-to-speech  | speech         | characters of the prompt                |
| text-to-audio   | sound_effect   | started seconds (duration, default 5)   |
| text-to-music   | music          | started seconds (the music default)     |
| upload-audio    | audio_upload   | started minutes of the decoded audio    |

An upload is decoded to be checked and measured (streamed: no sample is kept, so a small file
that expands to hours costs no memory), and that work is what its price pays for. Its estimate
takes the ``duration`` the client expects (default: one minute).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seesay.accounts.plans import CREDIT
from seesay.accounts.service import Principal
from seesay.engines import languages
from seesay.errors import InvalidRequest
from seesay.media.audio_decode import AudioLimits, measure_audio
from seesay.services.audio_settings import VimmerseSettings
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.sound import AudioRequest, GeneratedAudio, SoundService
from seesay.services.speech import SpeechRequest, SpeechResult, SpeechService
from seesay.services.transcribe import billable_minutes

__all__ = [
    "APPS",
    "AUTO_VOICE",
    "MAX_UPLOAD_SECONDS",
    "Estimate",
    "StoredUpload",
    "VimmerseService",
    "sniff_audio",
]

APPS = ("text-to-speech", "text-to-audio", "text-to-music", "upload-audio")
AUTO_VOICE = "AutoV"
MAX_UPLOAD_SECONDS = 4 * 3600.0  # the longest upload accepted, measured on the decoded audio
_FEATURES = {
    "text-to-speech": "speech",
    "text-to-audio": "sound_effect",
    "text-to-music": "music",
    "upload-audio": "audio_upload",
}


@dataclass(frozen=True, slots=True)
class Estimate:
    total_credits: float
    breakdown: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredUpload:
    blob_id: str
    mime_type: str
    duration: float
    credits_used: int  # millicredits


def sniff_audio(data: bytes) -> tuple[str, str] | None:
    """(suffix, MIME type) of an audio file from its first bytes, or None."""
    head = data[:64]
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav", "audio/wav"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm", "audio/webm"
    if head.startswith(b"fLaC"):
        return "flac", "audio/flac"
    if head.startswith(b"OggS"):
        return "ogg", "audio/ogg"
    if head[4:8] == b"ftyp":
        return "m4a", "audio/mp4"
    if head.startswith(b"ID3"):
        return "mp3", "audio/mp3"
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return ("aac", "audio/aac") if head[1] & 0x06 == 0 else ("mp3", "audio/mp3")
    return None


class VimmerseService(EngineService):
    """The Vimmerse audio surface's use cases over speech and sounds; it charges uploads
    itself, and estimates from the metering's own price table."""

    def __init__(
        self,
        parts: ServiceParts,
        speech: SpeechService,
        sounds: SoundService,
        settings: VimmerseSettings,
    ) -> None:
        super().__init__(parts)
        self._speech = speech
        self._sounds = sounds
        self.settings = settings

    # -- pricing ------------------------------------------------------------------------------

    def estimate(
        self,
        app_name: str,
        option: str,
        *,
        quantity: int = 1,
        prompt: str | None = None,
        duration: float | None = None,
    ) -> Estimate:
        """What ``quantity`` generations would hold, from the price table that charges."""
        if app_name not in APPS:
            raise InvalidRequest(f"app_name must be one of {', '.join(APPS)}", param="app_name")
        if quantity < 1:
            raise InvalidRequest("quantity must be at least 1", param="quantity")
        if app_name != "upload-audio":
            self._engine_for(app_name, option)
        feature = _FEATURES[app_name]
        if app_name == "text-to-speech":
            units = len((prompt or "").strip())
        elif app_name == "text-to-audio":
            units = self._sounds.units(self._sounds.seconds("sound", duration))
        elif app_name == "text-to-music":
            units = self._sounds.units(self._sounds.seconds("music", duration))
        else:
            units = billable_minutes(duration or 60.0)
        price = self._metering.prices[feature]
        each = price.cost(units)
        return Estimate(
            total_credits=each * quantity / CREDIT,
            breakdown={
                "app_name": app_name,
                "option": option,
                "feature": feature,
                "unit": price.unit,
                "units": units,
                "credits_per_unit": price.millicredits / CREDIT,
                "credits_per_item": each / CREDIT,
                "quantity": quantity,
            },
        )

    def _engine_for(self, app_name: str, option: str) -> str | None:
        table = {
            "text-to-speech": self.settings.tts_options,
            "text-to-audio": self.settings.sound_options,
            "text-to-music": self.settings.music_options,
        }[app_name]
        if option not in table:
            raise InvalidRequest(
                f"option {option!r} is not available for {app_name}; "
                f"options are {', '.join(table)}",
                param="option",
            )
        return table[option] or None

    # -- generation ---------------------------------------------------------------------------

    def speak(
        self, principal: Principal, prompt: str, voice: str, option: str, language: str
    ) -> SpeechResult:
        engine = self._engine_for("text-to-speech", option)
        asked = None if voice in ("", AUTO_VOICE) else voice
        # The spec's empty language is "auto-detected": a confident detection, else the
        # voice's, else the account's last, else English (SpeechService.language_for).
        language = language.strip() or self._speech.language_for(principal, prompt, asked)
        if asked is None and engine is not None:
            # The option names an engine: speak with its best voice for the language.
            picks = [
                v
                for v in self._speech.catalogue.candidates(languages.normalize(language))
                if v.engine == engine
            ]
            if not picks:
                raise InvalidRequest(
                    f"option {option!r} has no voice for {language!r}", param="language"
                )
            asked = picks[0].id
        return self._speech.speak(principal, SpeechRequest(prompt, asked, language, 1.0, "mp3"))

    def sound_effect(
        self, principal: Principal, prompt: str, duration: float | None, option: str
    ) -> GeneratedAudio:
        engine = self._engine_for("text-to-audio", option)
        req = AudioRequest(prompt, duration, "mp3", engine)
        return self._sounds.sound_effect(principal, req)

    def music(
        self, principal: Principal, prompt: str, duration: float | None, option: str
    ) -> GeneratedAudio:
        engine = self._engine_for("text-to-music", option)
        return self._sounds.music(principal, AudioRequest(prompt, duration, "wav", engine))

    def upload(self, principal: Principal, data: bytes) -> StoredUpload:
        """Store an audio file after decoding it whole (streamed, nothing kept) to check it and
        measure it; charged per started minute of decoded audio."""
        limits = AudioLimits(
            max_bytes=self.settings.max_upload_bytes, max_seconds=MAX_UPLOAD_SECONDS
        )
        kind = sniff_audio(data)
        if kind is None:
            raise InvalidRequest(
                "audio_file is not an audio file this server reads (MP3, WAV, M4A, FLAC, "
                "Ogg, WebM, AAC)",
                param="audio_file",
            )
        seconds = measure_audio(data, limits)
        suffix, mime = kind
        with self._metering.charge(principal, "audio_upload", billable_minutes(seconds)) as charge:
            blob_id = self._storage.put(data, content_type=mime, suffix="." + suffix)
        return StoredUpload(blob_id, mime, round(seconds, 3), charge.held.amount)
