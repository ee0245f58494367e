"""A remote OpenAI-compatible ``POST {base_url}/audio/speech`` engine.

Each sentence (or group of sentences up to ``max_chars``) is one request, so ``stream`` yields
audio as soon as the first request returns. Retries, backoff, Retry-After and the mapping of
failures to ``UpstreamError`` / ``EngineTimeout`` (never echoing the upstream's body) are
``seesay.engines.upstream.UpstreamClient``'s. The answer is decoded to float32 mono: ``pcm``
(OpenAI's raw 16-bit LE at 24 kHz) directly, other formats through PyAV.

Text is sent as normalised by ``text.normalize`` for its language, like every engine, so money,
dates and abbreviations read the same whichever engine speaks.
"""

from __future__ import annotations

from typing import Any

import httpx

from seesay.engines.base import Audio, Task, VoiceInfo
from seesay.engines.tts.common import SentenceEngine
from seesay.engines.tts.settings import OpenAITtsSettings
from seesay.engines.upstream import RemoteEngine, decode_audio_answer, remote_info

__all__ = ["ANY_LANGUAGE", "OpenAISpeechEngine"]

# BCP-47 "multiple languages": the language of a voice of an any-language remote model.
ANY_LANGUAGE = "mul"


class OpenAISpeechEngine(RemoteEngine, SentenceEngine):
    """Speech from an OpenAI-compatible server; ``transport`` is the unit-test seam."""

    def __init__(
        self, settings: OpenAITtsSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        SentenceEngine.__init__(self)
        RemoteEngine.__init__(self, settings, provider=settings.name, transport=transport)
        self.settings = settings
        self.max_chars = settings.max_chars
        home = settings.languages[0] if settings.languages else ANY_LANGUAGE
        voices = tuple(
            VoiceInfo(
                id=v.id,
                name=v.name or v.id,
                language=home,
                gender=v.gender,
                engine=settings.name,
                sample_rate=settings.sample_rate,
                description=f"{settings.model} at {httpx.URL(settings.base_url).host}",
            )
            for v in settings.voices
        )
        self._info = remote_info(
            settings.name,
            Task.TTS,
            settings.model,
            languages=tuple(settings.languages),
            voices=voices,
            formats=("mp3", "wav", "opus", "flac", "aac", "pcm"),
            description="OpenAI-compatible /audio/speech endpoint",
            extra={"quality": {lang: settings.quality for lang in settings.languages or ["*"]}},
        )

    def _voice_languages(self, voice: VoiceInfo) -> tuple[str, ...]:
        return tuple(self.settings.languages)

    def check(self, voice_id: str, language: str) -> tuple[VoiceInfo, str]:
        if not self.settings.languages:  # any language: pass the caller's tag through
            return self.voice(voice_id), language
        return super().check(voice_id, language)

    def load(self) -> None:
        super().load()
        self._loaded = True

    def unload(self) -> None:
        self._loaded = False
        super().unload()

    def _speak(self, sentence: str, voice: VoiceInfo, language: str, speed: float) -> Audio:
        body: dict[str, Any] = {
            "model": self.settings.model,
            "input": sentence,
            "voice": voice.id,
            "response_format": self.settings.response_format,
            "speed": speed,
        }
        response = self.upstream().request("POST", "audio/speech", json=body)
        return decode_audio_answer(
            response.content,
            pcm16=self.settings.response_format == "pcm",
            rate=self.settings.sample_rate,
            provider=self.settings.name,
        )
