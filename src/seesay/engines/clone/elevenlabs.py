"""A remote ElevenLabs-compatible cloner: instant voice cloning over HTTP.

``analyse`` uploads the sample as WAV to ``POST {base_url}/voices/add`` (multipart: ``name``,
``description``, ``remove_background_noise``, ``files``) and keeps the returned ``voice_id``
in the profile; ``synthesize`` calls ``POST {base_url}/text-to-speech/{voice_id}`` with
``{"text", "model_id", "language_code", "voice_settings": {"speed"}}`` and
``?output_format=`` from the settings. The key is sent as ``xi-api-key``; retries, Retry-After
and error mapping are ``UpstreamClient``'s. A voice the provider no longer has (HTTP 404) is
``UnknownVoice``. The sample leaves this server: operators configure this engine knowingly.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Final

import httpx
import numpy as np

from seesay.engines.base import Audio, Task, VoiceProfile
from seesay.engines.clone.settings import ElevenLabsCloneSettings
from seesay.engines.clone.types import SAMPLE_FORMATS, check_text, foreign_voice
from seesay.engines.sound.xi import XiEngine, decode_xi_audio, format_rate
from seesay.engines.tts.common import check_speed, language_match
from seesay.engines.upstream import remote_info
from seesay.errors import (
    InvalidAudio,
    UnknownVoice,
    UnsupportedLanguage,
    UpstreamError,
)

__all__ = ["METHOD", "ElevenLabsCloneEngine"]

METHOD: Final = "neural instant voice cloning by a remote ElevenLabs-compatible service"
# ElevenLabs' voice_settings.speed range; the caller's speed is brought into it.
_REMOTE_SPEED: Final = (0.7, 1.2)
_VOICE_ID: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
MIN_SAMPLE_SECONDS: Final = 1.0


class ElevenLabsCloneEngine(XiEngine):
    """Cloning through an ElevenLabs-compatible API; ``transport`` is the test seam."""

    def __init__(
        self, settings: ElevenLabsCloneSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(settings, provider=settings.name, transport=transport)
        self._s = settings
        self._rate = format_rate(settings.output_format)
        self._info = remote_info(
            settings.name,
            Task.CLONE,
            settings.model_id,
            languages=tuple(settings.languages),
            formats=SAMPLE_FORMATS,
            description=(
                "Neural instant voice cloning by a remote ElevenLabs-compatible API at "
                f"{httpx.URL(settings.base_url).host} (the sample is uploaded there)"
            ),
            extra={"method": METHOD},
        )

    def analyse(self, sample: Audio) -> VoiceProfile:
        from seesay.media.audio_encode import encode

        if sample.duration < MIN_SAMPLE_SECONDS or not np.any(np.abs(sample.samples) > 1e-4):
            raise InvalidAudio(
                f"the voice sample must hold at least {MIN_SAMPLE_SECONDS:g} s of sound",
                param="voice",
            )
        wav = encode(sample, "wav").data
        digest = hashlib.sha256(wav).hexdigest()[:12]
        response = self.upstream().request(
            "POST",
            "voices/add",
            data={
                "name": f"seesay-{digest}",
                "description": "cloned through SeeSay",
                "remove_background_noise": str(self._s.remove_background_noise).lower(),
            },
            files={"files": (f"sample-{digest}.wav", wav, "audio/wav")},
        )
        answer = self.upstream().json(response)
        voice_id = answer.get("voice_id") if isinstance(answer, dict) else None
        if not isinstance(voice_id, str) or not _VOICE_ID.match(voice_id):
            raise UpstreamError(f"{self._s.name} answered without a usable voice_id")
        return VoiceProfile(
            engine=self._s.name,
            method=METHOD,
            base_voice=voice_id,
            sample_seconds=round(sample.duration, 3),
            data={
                "voice_id": voice_id,
                "requires_verification": bool(answer.get("requires_verification", False)),
            },
        )

    def _language(self, language: str) -> str:
        if self._s.languages and not any(
            language_match(language, tag) is not None for tag in self._s.languages
        ):
            raise UnsupportedLanguage(
                f"{self._s.name} does not speak {language!r}",
                param="language",
                details={"supported": list(self._s.languages)},
            )
        return language.split("-")[0].lower()

    def synthesize(self, text: str, profile: VoiceProfile, language: str, speed: float) -> Audio:
        voice_id = str(profile.data.get("voice_id", ""))
        if profile.engine != self._s.name or not _VOICE_ID.match(voice_id):
            raise foreign_voice(profile, self._s.name)
        check_text(text, self._s.max_text_chars)
        speed = float(np.clip(check_speed(speed), *_REMOTE_SPEED))
        body: dict[str, Any] = {
            "text": text,
            "model_id": self._s.model_id,
            "language_code": self._language(language),
            "voice_settings": {"speed": speed},
        }
        try:
            response = self.upstream().request(
                "POST",
                f"text-to-speech/{voice_id}?output_format={self._s.output_format}",
                json=body,
            )
        except UpstreamError as exc:
            if exc.upstream_status == 404:
                raise UnknownVoice(
                    f"{self._s.name} no longer has the voice {voice_id!r}", param="voice"
                ) from exc
            raise
        return decode_xi_audio(response.content, self._s.output_format, self._s.name)
