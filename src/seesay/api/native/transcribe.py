"""``POST /v1/transcribe`` and ``POST /v1/translate``: speech to text and text translation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from seesay.api.deps import InferenceKey, Services
from seesay.api.idempotency import IdempotentRoute
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.wire_text import WireText

__all__ = ["router"]

router = APIRouter(
    prefix="/v1", tags=["speech to text", "translation"], route_class=IdempotentRoute
)


class WordOut(BaseModel):
    word: str
    start: float
    end: float
    probability: float | None = None


class SegmentOut(BaseModel):
    id: int
    start: float
    end: float
    text: str
    words: list[WordOut] = Field(default_factory=list)


class TranscriptionOut(BaseModel):
    object: Literal["transcription"] = "transcription"
    text: str
    language: str
    duration_seconds: float
    translated: bool = Field(description="True when the text was translated to English.")
    engine: str
    segments: list[SegmentOut]
    credits_used: float
    credits_remaining: float


@router.post("/transcribe", response_model=TranscriptionOut, responses=NATIVE_ERRORS.metered)
async def transcribe(
    principal: InferenceKey,
    services: Services,
    file: Annotated[UploadFile, File(description="MP3, WAV, M4A, FLAC, OGG or WebM audio.")],
    language: Annotated[str | None, Form(description="BCP-47 tag, or auto (default).")] = None,
    translate: Annotated[bool, Form(description="Give English text.")] = False,
    word_timestamps: Annotated[bool, Form()] = False,
    prompt: Annotated[str | None, Form(description="Context that guides spelling.")] = None,
    engine: Annotated[str | None, Form(description="A configured speech-to-text engine.")] = None,
) -> TranscriptionOut:
    data = await file.read()
    result = await run_in_threadpool(
        lambda: services.transcription.transcribe(
            principal,
            data,
            filename=file.filename,
            language=language,
            translate=translate,
            word_timestamps=word_timestamps,
            prompt=prompt,
            engine=engine,
        )
    )
    return TranscriptionOut(
        text=result.text,
        language=result.language,
        duration_seconds=round(result.duration, 3),
        translated=result.translated,
        engine=result.engine,
        segments=[SegmentOut.model_validate(s, from_attributes=True) for s in result.segments],
        credits_used=result.credits_used / 1000,
        credits_remaining=result.credits_remaining / 1000,
    )


class TranslateIn(BaseModel):
    text: WireText = Field(description="What to translate.")
    target: str = Field(description="BCP-47 tag of the language to translate into.")
    source: str = Field("auto", description="BCP-47 tag of the text, or auto to detect it.")


class TranslationOut(BaseModel):
    object: Literal["translation"] = "translation"
    text: str
    source: str
    target: str
    engine: str
    credits_used: float
    credits_remaining: float


@router.post("/translate", response_model=TranslationOut, responses=NATIVE_ERRORS.metered)
def translate(body: TranslateIn, principal: InferenceKey, services: Services) -> TranslationOut:
    result = services.translation.translate(
        principal, body.text, target=body.target, source=body.source
    )
    return TranslationOut(
        text=result.text,
        source=result.source,
        target=result.target,
        engine=result.engine,
        credits_used=result.credits_used / 1000,
        credits_remaining=result.credits_remaining / 1000,
    )
