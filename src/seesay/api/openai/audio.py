"""``POST /v1/audio/speech``, ``/v1/audio/transcriptions`` and ``/v1/audio/translations``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from seesay.accounts.service import Principal
from seesay.api.deps import Services
from seesay.api.idempotency import IdempotencyKey, IdempotentRoute
from seesay.api.openai.deps import OpenAIInferenceKey
from seesay.api.openai.errors import OPENAI_ERRORS
from seesay.api.openai.models import stt_engine_for, tts_model_ok
from seesay.api.openai.transcripts import render_transcript
from seesay.api.stream_headers import voice_fallback_headers
from seesay.api.wire_text import WireText
from seesay.errors import InvalidRequest, NotFound
from seesay.media.audio_encode import MIME_TYPES
from seesay.platform import Platform
from seesay.services.speech import SpeechRequest

__all__ = ["router"]

router = APIRouter(prefix="/v1/audio", tags=["openai"], route_class=IdempotentRoute)

ResponseFormat = Literal["json", "text", "srt", "vtt", "verbose_json"]

# The form fields transcriptions and translations share, as OpenAI documents them.
AudioFile = Annotated[UploadFile, File(description="mp3, wav, m4a, flac, ogg, webm...")]
SttModel = Annotated[str, Form(description="whisper-1 or an stt engine name")]
Prompt = Annotated[str | None, Form()]
FormatField = Annotated[ResponseFormat, Form()]
Temperature = Annotated[float | None, Form(ge=0, le=1, description="Accepted.")]


class VoiceRef(BaseModel):
    id: str


class SpeechIn(BaseModel):
    model: str = Field(description="tts-1, tts-1-hd, gpt-4o-mini-tts or a speech engine name.")
    input: WireText = Field(description="The text to speak (up to 4096 characters).")
    voice: str | VoiceRef = Field(description="alloy, nova, ... or any SeeSay voice id.")
    response_format: Literal["mp3", "opus", "aac", "flac", "wav", "pcm"] = "mp3"
    speed: float = Field(1.0, ge=0.25, le=4.0)
    instructions: WireText | None = Field(None, description="Accepted and ignored.")
    stream_format: Literal["audio", "sse"] | None = Field(
        None, description="Only `audio` (the default) is supported."
    )


@router.post(
    "/speech",
    response_class=StreamingResponse,
    responses=OPENAI_ERRORS.with_ok(
        "The audio", *dict.fromkeys(m.split(";")[0] for m in MIME_TYPES.values())
    ),
)
def create_speech(
    body: SpeechIn,
    principal: OpenAIInferenceKey,
    services: Services,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Speak ``input``; the audio streams as it is synthesized (sent whole, and replayable,
    when the request carries an ``Idempotency-Key``). When another voice than the asked one
    speaks, ``X-SeeSay-Voice-Fallback`` says why (OpenAI's clients ignore the header)."""
    if not tts_model_ok(services, body.model):
        raise NotFound(f"The model `{body.model}` does not exist.", param="model")
    if body.stream_format == "sse":
        raise InvalidRequest(
            "stream_format 'sse' is not supported; use 'audio'", param="stream_format"
        )
    voice = body.voice.id if isinstance(body.voice, VoiceRef) else body.voice
    req = SpeechRequest(body.input, voice, "auto", body.speed, body.response_format)
    audio = services.speech_stream.open(principal, req, stream=idempotency_key is None)
    headers = voice_fallback_headers(audio.voice_fallback)
    if idempotency_key is not None:
        return Response(audio.read_all(), media_type=audio.mime_type, headers=headers)
    return StreamingResponse(audio.chunks, media_type=audio.mime_type, headers=headers)


def _transcribe(
    services: Platform,
    principal: Principal,
    file: UploadFile,
    model: str,
    prompt: str | None,
    response_format: str,
    *,
    language: str | None = None,
    granularities: list[str] | None = None,
    translate: bool = False,
) -> Response:
    engine = stt_engine_for(services, model)
    wanted = granularities or ["segment"]
    for g in wanted:
        if g not in ("word", "segment"):
            raise InvalidRequest(
                "timestamp_granularities[] items must be 'word' or 'segment'",
                param="timestamp_granularities",
            )
    if granularities and response_format != "verbose_json":
        raise InvalidRequest(
            "timestamp_granularities[] needs response_format 'verbose_json'",
            param="timestamp_granularities",
        )
    result = services.transcription.transcribe(
        principal,
        file.file.read(),
        filename=file.filename,
        language=language,
        translate=translate,
        word_timestamps="word" in wanted and response_format == "verbose_json",
        prompt=prompt,
        engine=engine,
    )
    return render_transcript(result, response_format, wanted)


_TRANSCRIPT_RESPONSES = OPENAI_ERRORS.with_ok(
    "json/verbose_json object, or text/srt/vtt as text",
    "application/json",
    "text/plain",
    "text/vtt",
)


@router.post("/transcriptions", responses=_TRANSCRIPT_RESPONSES)
def create_transcription(
    principal: OpenAIInferenceKey,
    services: Services,
    file: AudioFile,
    model: SttModel,
    language: Annotated[str | None, Form(description="ISO-639-1/BCP-47; empty: detect")] = None,
    prompt: Prompt = None,
    response_format: FormatField = "json",
    temperature: Temperature = None,
    timestamp_granularities: Annotated[
        list[str] | None, Form(alias="timestamp_granularities[]")
    ] = None,
) -> Response:
    return _transcribe(
        services,
        principal,
        file,
        model,
        prompt,
        response_format,
        language=language,
        granularities=timestamp_granularities,
    )


@router.post("/translations", responses=_TRANSCRIPT_RESPONSES)
def create_translation(
    principal: OpenAIInferenceKey,
    services: Services,
    file: AudioFile,
    model: SttModel,
    prompt: Prompt = None,
    response_format: FormatField = "json",
    temperature: Temperature = None,
) -> Response:
    """Speech in any language to English text."""
    return _transcribe(services, principal, file, model, prompt, response_format, translate=True)
