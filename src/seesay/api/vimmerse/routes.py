"""The Vimmerse audio routes under ``/compat/vimmerse/v2/audio``.

Every generation answers synchronously with the spec's asset object (the spec: "Generation
routes run synchronously by default (async_mode is not used on audio)"), so there is no poll
route. The key comes in ``X-Api-Key``. Bodies are checked against the schemas here so a bad
field is FastAPI's 422 ``Validation Error``, as Vimmerse answers it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Protocol

from fastapi import APIRouter, Body, Depends, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.types import DecoratedCallable
from pydantic import BaseModel, ConfigDict, Field

from seesay.accounts.plans import CREDIT
from seesay.accounts.service import Principal
from seesay.api.deps import Services, key_dependencies
from seesay.api.errors import invalid_request, parse_body
from seesay.api.idempotency import IdempotentRoute
from seesay.api.urls import absolute_url
from seesay.api.vimmerse.errors import VIMMERSE_ERRORS
from seesay.api.wire_text import WireText
from seesay.platform import Platform
from seesay.services.vimmerse import AUTO_VOICE

__all__ = ["PREFIX", "router"]

PREFIX = "/compat/vimmerse/v2/audio"

_keys = key_dependencies("x-api-key")
VimmerseKey = Annotated[Principal, Depends(_keys.key)]
VimmerseSlot = Annotated[Principal, Depends(_keys.slot)]

router = APIRouter(prefix=PREFIX, tags=["Vimmerse audio (compatible)"], route_class=IdempotentRoute)


# -- schemas ------------------------------------------------------------------------------------


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore")


class EstimateIn(_In):
    app_name: Literal["text-to-speech", "text-to-audio", "text-to-music", "upload-audio"]
    option: str = Field(min_length=1, max_length=64)
    quantity: int = Field(1, ge=1, le=1000)
    prompt: WireText | None = Field(None, max_length=20_000)
    duration: float | None = Field(None, gt=0, le=3600)
    voice: str | None = Field(None, max_length=100)


class SpeechIn(_In):
    prompt: WireText = Field(min_length=1, max_length=4096)
    voice: str = Field(AUTO_VOICE, max_length=100)
    option: str = Field("ElevenLabsTTS", max_length=64)
    language: str = Field("", max_length=35, description="e.g. en-US; detected when empty.")


class SoundEffectIn(_In):
    prompt: WireText = Field(min_length=1, max_length=2000)
    duration: float = Field(5.0, gt=0, le=600, description="Seconds (default 5).")
    option: str = Field("AutoA", max_length=64)


class MusicIn(_In):
    prompt: WireText = Field(min_length=1, max_length=2000)
    option: str = Field("Lyria", max_length=64)
    duration: float | None = Field(
        None, gt=0, le=600, description="Extension: seconds (default: the server's, 30)."
    )


class EstimateOut(BaseModel):
    total_credits: float
    breakdown: dict[str, Any]


class AssetOut(BaseModel):
    id: str
    customer_id: str
    primary_user_id: str
    args: dict[str, Any]
    thumbnails: list[str] = Field(default_factory=list)
    status: Literal["success"] = "success"
    mime_type: str
    app_name: str
    quantity: int = 1
    credits: float
    results: list[str] = Field(description="Signed audio URLs.")
    created_at: str
    updated_at: str
    history: list[Any] = Field(default_factory=list)
    duration: float | None = Field(None, description="Seconds of audio (extension).")
    engine: str | None = Field(None, description="The engine that made it (extension).")


def _body(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


JsonBody = Annotated[Any, Body()]  # checked by parse_body: its errors are Vimmerse's 422


class _Stored(Protocol):
    @property
    def blob_id(self) -> str: ...
    @property
    def mime_type(self) -> str: ...
    @property
    def duration(self) -> float: ...
    @property
    def credits_used(self) -> int: ...


def _asset(
    request: Request,
    platform: Platform,
    principal: Principal,
    app_name: str,
    args: dict[str, Any],
    stored: _Stored,
    started: datetime,
    engine: str | None = None,
    *,
    mime_type: str | None = None,
) -> AssetOut:
    """The spec's asset for audio made (or uploaded) since ``started`` by ``engine``; MP3 is
    named as the spec names it (``audio/mp3``) unless ``mime_type`` says otherwise."""
    url = absolute_url(request, platform, platform.signer.url_path(stored.blob_id))
    return AssetOut(
        id=str(uuid.uuid4()),
        customer_id=principal.account_id,
        primary_user_id=principal.key_id,
        args=args,
        mime_type=mime_type or _mime(stored.mime_type),
        app_name=app_name,
        credits=stored.credits_used / CREDIT,
        results=[url],
        created_at=started.isoformat(),
        updated_at=datetime.now(UTC).isoformat(),
        duration=stored.duration,
        engine=engine,
    )


def _mime(mime: str) -> str:
    return "audio/mp3" if mime == "audio/mpeg" else mime


def _generating(
    path: str, model: type[BaseModel]
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """The route of an endpoint at ``path`` that makes audio from a ``model`` JSON body (read
    by ``parse_body``, documented here) and answers an asset."""
    return router.post(
        path,
        response_model=AssetOut,
        responses=VIMMERSE_ERRORS.generate,
        openapi_extra=_body(model),
    )


# -- routes -------------------------------------------------------------------------------------


@router.post("", response_model=AssetOut, responses=VIMMERSE_ERRORS.generate)
def upload_audio(
    request: Request,
    principal: VimmerseSlot,
    services: Services,
    audio_file: Annotated[UploadFile | None, File(description="The audio file.")] = None,
) -> AssetOut:
    """Upload an audio file; the asset's ``results`` holds its URL. Decoding it to check and
    measure it is work: it holds one of the plan's concurrent slots and is charged per started
    minute of audio."""
    if audio_file is None:
        missing = {"loc": ("body", "audio_file"), "msg": "Field required", "type": "missing"}
        raise invalid_request(RequestValidationError([missing]))
    started = datetime.now(UTC)
    limit = services.vimmerse.settings.max_upload_bytes
    data = audio_file.file.read(limit + 1)
    stored = services.vimmerse.upload(principal, data)
    args = {"file_name": audio_file.filename or ""}
    # An upload keeps the type it was stored with.
    return _asset(
        request,
        services,
        principal,
        "upload-audio",
        args,
        stored,
        started,
        mime_type=stored.mime_type,
    )


@router.post(
    "/estimate-credits",
    response_model=EstimateOut,
    responses=VIMMERSE_ERRORS.estimate,
    openapi_extra=_body(EstimateIn),
)
def estimate_credits(
    principal: VimmerseKey, services: Services, body: JsonBody = None
) -> EstimateOut:
    """Credits a request would cost, from the same price table that charges it."""
    req = parse_body(EstimateIn, body)
    found = services.vimmerse.estimate(
        req.app_name, req.option, quantity=req.quantity, prompt=req.prompt, duration=req.duration
    )
    return EstimateOut(total_credits=found.total_credits, breakdown=found.breakdown)


@_generating("/text-2-speech", SpeechIn)
def text_to_speech(
    request: Request, principal: VimmerseSlot, services: Services, body: JsonBody = None
) -> AssetOut:
    """Speech from ``prompt`` (MP3)."""
    req = parse_body(SpeechIn, body)
    started = datetime.now(UTC)
    result = services.vimmerse.speak(principal, req.prompt, req.voice, req.option, req.language)
    args = {
        "prompt": req.prompt,
        "option": req.option,
        "voice": req.voice,
        "language": result.language,
        "speaker": result.voice,
    }
    return _asset(
        request, services, principal, "text-to-speech", args, result, started, result.engine
    )


@_generating("/text-2-sound-effect", SoundEffectIn)
def text_to_sound_effect(
    request: Request, principal: VimmerseSlot, services: Services, body: JsonBody = None
) -> AssetOut:
    """Sound effects from ``prompt``, ``duration`` seconds long (default 5), as MP3."""
    req = parse_body(SoundEffectIn, body)
    started = datetime.now(UTC)
    made = services.vimmerse.sound_effect(principal, req.prompt, req.duration, req.option)
    args = {
        "prompt": req.prompt,
        "option": req.option,
        "duration": req.duration,
        "understood": made.details.get("understood", []),
    }
    return _asset(request, services, principal, "text-to-audio", args, made, started, made.engine)


@_generating("/text-2-music", MusicIn)
def text_to_music(
    request: Request, principal: VimmerseSlot, services: Services, body: JsonBody = None
) -> AssetOut:
    """Music from ``prompt``, as WAV."""
    req = parse_body(MusicIn, body)
    started = datetime.now(UTC)
    made = services.vimmerse.music(principal, req.prompt, req.duration, req.option)
    args = {"prompt": req.prompt, "option": req.option, "plan": made.details}
    return _asset(request, services, principal, "text-to-music", args, made, started, made.engine)
