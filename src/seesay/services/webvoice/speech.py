"""WebVoice ``tts/``: speech returned inline as base64 MP3, priced per minute of audio.

Contract of :meth:`WebVoiceSpeech.speak`:
- the request is checked by the ``SpeechService`` (text, language, voice) before anything is
  charged; ``speed`` must be within the spec's 0.5-2.0; ``auto`` (or empty) language is
  ``SpeechService.language_for``'s, and a success records the account's last language;
- the price is ``speech_minute`` per *started* minute of produced audio (the spec's 0.5
  credits per minute; its example bills 2.5 s as 0.5). The audio's length is only known after
  synthesis, so a generous estimate is held first and the actual price settled after (a
  charge never exceeds what was held); a failure refunds everything;
- synthesis is the SpeechService's registered call ``speech.synthesize`` run through the
  executor (in process, or on a worker in the distributed mode); the stored audio is read back
  and deleted, since the caller gets the bytes inline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from seesay.accounts.service import Principal
from seesay.errors import InvalidRequest
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.speech import MAX_SYNC_CHARS, SYNTHESIZE, SpeechRequest, SpeechService

__all__ = ["MAX_SPEED", "MIN_SPEED", "TtsResult", "WebVoiceSpeech", "estimate_seconds"]

MIN_SPEED, MAX_SPEED = 0.5, 2.0
FEATURE = "speech_minute"
# Slowest plausible speaking rate at speed 1.0, in characters per second of audio; normal
# speech is 12-16. The estimate only sizes the hold, the charge is the measured length.
_SLOW_CHARS_PER_SECOND = 6.0


@dataclass(frozen=True, slots=True)
class TtsResult:
    audio: bytes
    format: str
    duration: float
    voice: str
    language: str
    credits_used: int  # millicredits
    credits_remaining: int


def estimate_seconds(text: str, speed: float) -> float:
    return len(text) / (_SLOW_CHARS_PER_SECOND * speed) + 2.0


def started_minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60.0 - 1e-9))


class WebVoiceSpeech(EngineService):
    def __init__(self, speech: SpeechService, parts: ServiceParts) -> None:
        super().__init__(parts)
        self._speech = speech

    def speak(
        self, principal: Principal, text: str, voice: str, language: str, speed: float
    ) -> TtsResult:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise InvalidRequest(
                f"speed must be between {MIN_SPEED} and {MAX_SPEED}", param="speed"
            )
        req = self._speech.validate(
            SpeechRequest(text, voice or None, language or "en", speed, "mp3"),
            max_chars=MAX_SYNC_CHARS,
            principal=principal,
        )
        price = self._metering.prices[FEATURE]
        held_minutes = started_minutes(estimate_seconds(req.text, req.speed))
        with self._metering.charge(
            principal, FEATURE, held_minutes, amount=price.cost(held_minutes)
        ) as charge:
            out = self._executor.call(SYNTHESIZE, req.call_input())
            blob_id = out.blob_id
            try:
                audio = self._storage.get(blob_id)
            finally:
                self._storage.delete(blob_id)
            charge.settle_for(price.cost(started_minutes(out.duration)))
        self._speech.remember(principal.account_id, out.language)
        return TtsResult(
            audio=audio,
            format=out.format,
            duration=out.duration,
            voice=out.voice,
            language=out.language,
            credits_used=min(charge.held.amount, charge.actual or 0),
            credits_remaining=charge.remaining,
        )
