"""WebVoice ``stt/`` (multipart audio) and ``translation/`` (the spec's 15 languages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, Field

from seesay.accounts.plans import CREDIT
from seesay.api.deps import Services
from seesay.api.idempotency import IdempotentRoute
from seesay.api.webvoice.deps import PREFIX, WebVoiceInference
from seesay.api.webvoice.errors import WEBVOICE_ERRORS
from seesay.api.wire_text import WireText
from seesay.engines import languages
from seesay.errors import UnsupportedLanguage
from seesay.services.webvoice.language import spec_language, stt_engine

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=["webvoice"], route_class=IdempotentRoute)


class SttOut(BaseModel):
    success: bool = True
    text: str
    language: str = Field(description="The detected or given language code.")
    duration: float
    credits_used: float
    credits_remaining: float


class TranslationIn(BaseModel):
    text: WireText
    source_language: str = Field("auto", description="auto (detected; else en) or a code.")
    target_language: str


class TranslationOut(BaseModel):
    success: bool = True
    translated_text: str
    source_language: str
    target_language: str
    text_length: int
    credits_used: float
    credits_remaining: float


@router.post("/stt/", response_model=SttOut, responses=WEBVOICE_ERRORS.metered)
def stt(
    audio: Annotated[UploadFile, File(description="MP3, WAV, M4A, FLAC...")],
    principal: WebVoiceInference,
    services: Services,
    language: Annotated[str | None, Form(description="Code, or empty/auto to detect.")] = None,
    provider: Annotated[str | None, Form(description="whisper_small (default)...")] = None,
) -> SttOut:
    engine = stt_engine(
        provider,
        services.settings.webvoice.stt_providers,
        services.transcription.engine_names(),
    )
    limit = services.transcription.limits.max_bytes
    data = audio.file.read(limit + 1)  # decode_audio refuses what is over the cap
    result = services.transcription.transcribe(
        principal, data, filename=audio.filename, language=language, engine=engine
    )
    return SttOut(
        text=result.text,
        language=result.language,
        duration=result.duration,
        credits_used=result.credits_used / CREDIT,
        credits_remaining=result.credits_remaining / CREDIT,
    )


@router.post("/translation/", response_model=TranslationOut, responses=WEBVOICE_ERRORS.metered)
def translation(
    body: TranslationIn, principal: WebVoiceInference, services: Services
) -> TranslationOut:
    target = spec_language(body.target_language, "target_language")
    auto = languages.is_auto(body.source_language)
    source = "auto" if auto else spec_language(body.source_language, "source_language")
    try:
        result = services.translation.translate(principal, body.text, target=target, source=source)
    except UnsupportedLanguage as exc:
        if not (auto and exc.param == "source"):
            raise
        # The spec: "auto, which defaults to en" when the language cannot be told.
        result = services.translation.translate(principal, body.text, target=target, source="en")
    return TranslationOut(
        translated_text=result.text,
        source_language=result.source,
        target_language=result.target,
        text_length=len(body.text),
        credits_used=result.credits_used / CREDIT,
        credits_remaining=result.credits_remaining / CREDIT,
    )
