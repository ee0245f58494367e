"""``POST /v1/speech``: text to speech, now or as a job."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from seesay.accounts.service import Principal
from seesay.api.deps import InferenceKey, Services
from seesay.api.idempotency import IdempotencyKey, IdempotentRoute
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.native.jobs import job_out
from seesay.api.native.schemas import JobOut
from seesay.api.urls import absolute_url
from seesay.api.wire_text import WireText
from seesay.platform import Platform
from seesay.services.clone_speech import CloneSpeechRequest
from seesay.services.speech import SpeechRequest, SpeechResult

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["speech"], route_class=IdempotentRoute)


class SpeechIn(BaseModel):
    text: WireText = Field(description="What to say (up to 4096 characters; 20000 with async).")
    voice: str | None = Field(
        None, description="A voice id or alias (eve, ara, rex, sal, leo, af_sarah...)."
    )
    language: str = Field("en", description="BCP-47 tag, or auto to detect it from the text.")
    speed: float = Field(1.0, ge=0.25, le=4.0)
    format: Literal["mp3", "wav", "opus", "flac", "aac", "pcm"] = "mp3"
    async_: bool = Field(False, alias="async", description="Return a job instead of waiting.")
    webhook_url: str | None = Field(None, description="Called when an async job finishes.")


class SpeechOut(BaseModel):
    id: str
    object: Literal["speech"] = "speech"
    audio_url: str
    duration_seconds: float
    format: str
    voice: str
    engine: str
    language: str
    voice_fallback: str | None = Field(None, description="Why another voice spoke, if one did.")
    credits_used: float
    credits_remaining: float


@router.post(
    "/speech",
    response_model=SpeechOut | JobOut,
    responses=NATIVE_ERRORS.metered | {202: {"model": JobOut, "description": "Job accepted"}},
)
def create_speech(
    body: SpeechIn,
    request: Request,
    response: Response,
    principal: InferenceKey,
    services: Services,
    idempotency_key: IdempotencyKey = None,
) -> SpeechOut | JobOut:
    clone = services.clone_speech.owned_clone(principal, body.voice)
    if clone is not None:  # one of the caller's cloned voices speaks (priced per UTF-8 byte)
        return _clone_speech(body, request, response, principal, services, idempotency_key)
    req = SpeechRequest(body.text, body.voice, body.language, body.speed, body.format)
    if body.async_:
        job = services.speech.submit(
            principal, req, webhook_url=body.webhook_url, idempotency_key=idempotency_key
        )
        response.status_code = status.HTTP_202_ACCEPTED
        return job_out(request, services, job)
    return _speech_out(request, services, services.speech.speak(principal, req))


def _clone_speech(
    body: SpeechIn,
    request: Request,
    response: Response,
    principal: Principal,
    services: Platform,
    idempotency_key: str | None,
) -> SpeechOut | JobOut:
    req = CloneSpeechRequest(body.text, str(body.voice), body.format, body.language, body.speed)
    if body.async_:
        task = services.clone_speech.submit_speech(
            principal,
            req,
            webhook_url=body.webhook_url,
            idempotency_key=idempotency_key,
        )
        response.status_code = status.HTTP_202_ACCEPTED
        return job_out(request, services, services.jobs.get(principal, task.id))
    return _speech_out(request, services, services.clone_speech.speak(principal, req))


def _speech_out(request: Request, services: Platform, result: SpeechResult) -> SpeechOut:
    """The audio spoken now; ``voice_fallback`` says why another voice spoke, if one did (a
    clone speaks as itself: its ``reason`` is empty)."""
    return SpeechOut(
        id=result.blob_id.split(".")[0],
        audio_url=absolute_url(request, services, result.url_path),
        duration_seconds=result.duration,
        format=result.format,
        voice=result.voice,
        engine=result.engine,
        language=result.language,
        voice_fallback=result.reason or None,
        credits_used=result.credits_used / 1000,
        credits_remaining=result.credits_remaining / 1000,
    )
