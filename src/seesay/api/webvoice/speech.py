"""WebVoice ``tts/`` (inline base64 MP3) and ``voices/`` (grouped by language)."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from seesay.accounts.plans import CREDIT
from seesay.api.deps import Services
from seesay.api.idempotency import IdempotentRoute
from seesay.api.webvoice.deps import PREFIX, WebVoiceInference, WebVoiceKey
from seesay.api.webvoice.errors import WEBVOICE_ERRORS
from seesay.api.wire_text import WireText
from seesay.services.webvoice.voices import voices_by_language

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=["webvoice"], route_class=IdempotentRoute)


class TtsIn(BaseModel):
    text: WireText = Field(description="Text to speak (up to 4096 characters).")
    voice: str = Field(description="Voice id (af_sarah, if_sara... or any id from voices/).")
    language: str = Field("en", description="Language code (default en).")
    speed: float = Field(0.90, ge=0.5, le=2.0, description="0.5-2.0, default 0.90.")


class TtsOut(BaseModel):
    success: bool = True
    audio: str = Field(description="Base64-encoded MP3.")
    format: str
    duration: float
    credits_used: float
    credits_remaining: float
    voice: str = Field(description="The voice that spoke (the asked one or its stand-in).")
    language: str


class VoiceOut(BaseModel):
    id: str
    name: str
    gender: str
    language: str
    engine: str


class VoicesOut(BaseModel):
    success: bool = True
    voices: dict[str, list[VoiceOut]]


@router.post("/tts/", response_model=TtsOut, responses=WEBVOICE_ERRORS.metered)
def tts(body: TtsIn, principal: WebVoiceInference, services: Services) -> TtsOut:
    result = services.webvoice.tts.speak(
        principal, body.text, body.voice, body.language, body.speed
    )
    return TtsOut(
        audio=base64.b64encode(result.audio).decode("ascii"),
        format=result.format,
        duration=result.duration,
        credits_used=result.credits_used / CREDIT,
        credits_remaining=result.credits_remaining / CREDIT,
        voice=result.voice,
        language=result.language,
    )


@router.get("/voices/", response_model=VoicesOut, responses=WEBVOICE_ERRORS.authed)
def voices(
    _principal: WebVoiceKey,
    services: Services,
    language: str | None = Query(None, description="Only voices that speak this language."),
) -> VoicesOut:
    grouped = voices_by_language(services.speech.catalogue, language)
    return VoicesOut.model_validate({"voices": grouped})
