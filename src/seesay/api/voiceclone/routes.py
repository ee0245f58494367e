"""The Voice Clone routes: ``voice-clone``, ``voices``, ``tts``, ``tts/{speechId}``, ``credits``.

Routers stay thin: parse the wire shape, call ``platform.cloning``, render the spec's fields.
The key comes in ``Authorization: Bearer`` (``X-API-Key`` is accepted as well); every request
is counted against the key's per-minute window, so ``X-RateLimit-*`` are on every answer.

``consent`` (an extension the spec lacks): ``true`` records the uploader's explicit
confirmation that they may clone the voice; ``false`` is refused; leaving it out is accepted
(the spec's own examples send none) and recorded as consent implied by the API terms, unless
the operator sets ``SEESAY_VOICE_CLONE__REQUIRE_CONSENT=true``.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile

from seesay.accounts.service import Principal
from seesay.api.clone_fields import parse_consent, parse_cover, parse_tags
from seesay.api.deps import Services, key_dependencies
from seesay.api.idempotency import IdempotencyKey, IdempotentRoute
from seesay.api.urls import absolute_url
from seesay.api.voiceclone.errors import VOICECLONE_ERRORS, credits_number
from seesay.api.voiceclone.schemas import (
    CloneOut,
    CreditsBreakdown,
    CreditsOut,
    Pagination,
    SpeechDetail,
    SpeechOut,
    SpeechStatusOut,
    SpeechVoice,
    TtsIn,
    TtsOut,
    VoiceItem,
    VoiceListOut,
    VoiceOut,
    js_date,
)
from seesay.api.wire_text import WireText
from seesay.errors import InvalidRequest
from seesay.platform import Platform
from seesay.services.clone import CloneRequest
from seesay.services.clone_speech import CloneSpeechRequest, SpeechTask
from seesay.services.clone_voices import VoiceView

__all__ = ["PREFIX", "router"]

PREFIX = "/compat/voiceclone/api/v1"

_keys = key_dependencies("x-api-key")
VoiceCloneKey = Annotated[Principal, Depends(_keys.key)]
VoiceCloneSlot = Annotated[Principal, Depends(_keys.slot)]

router = APIRouter(prefix=PREFIX, tags=["Voice Clone (compatible)"], route_class=IdempotentRoute)


# -- parsing ------------------------------------------------------------------------------------


def _read_upload(upload: UploadFile | None, limit: int) -> bytes:
    if upload is None:
        raise InvalidRequest("voice file is required", param="voice")
    # One byte over the limit is enough for the service to say the file is too large.
    data: bytes = upload.file.read(limit + 1)
    return data


# -- rendering ----------------------------------------------------------------------------------


def _sample_url(request: Request, platform: Platform, voice: VoiceView) -> str | None:
    if not voice.sample_blob_id:
        return None
    return absolute_url(request, platform, platform.signer.url_path(voice.sample_blob_id))


def _voice_out(request: Request, platform: Platform, v: VoiceView) -> VoiceOut:
    return VoiceOut(
        id=v.id,
        title=v.title,
        description=v.description,
        coverImage=v.cover_image,
        audioUrl=_sample_url(request, platform, v),
        duration=v.duration,
        tags=list(v.tags),
        createdAt=js_date(v.created_at) or "",
        status=v.status,  # type: ignore[arg-type]
        type=v.type,  # type: ignore[arg-type]
        engine=v.engine,
        method=v.method,
    )


def _voice_item(request: Request, platform: Platform, v: VoiceView) -> VoiceItem:
    return VoiceItem(
        **_voice_out(request, platform, v).model_dump(),
        isPublic=v.is_public,
        popularity=v.popularity,
        usageCount=v.usage_count,
        updatedAt=js_date(v.updated_at) or "",
        language=v.language or None,
    )


def _speech_out(t: SpeechTask) -> SpeechOut:
    return SpeechOut(
        id=t.id,
        text=t.text,
        format=t.format,
        status=t.status,  # type: ignore[arg-type]
        creditsUsed=t.credits_used,
        createdAt=js_date(t.created_at) or "",
    )


def _speech_detail(request: Request, platform: Platform, t: SpeechTask) -> SpeechDetail:
    audio_url = None
    if t.blob_id:
        audio_url = absolute_url(request, platform, platform.signer.url_path(t.blob_id))
    return SpeechDetail(
        **_speech_out(t).model_dump(),
        updatedAt=js_date(t.updated_at) or "",
        audioUrl=audio_url,
        duration=t.duration,
        voice=SpeechVoice.model_validate(t.voice),
        error=(t.error or {}).get("message") if t.error else None,
    )


# -- routes -------------------------------------------------------------------------------------


@router.post("/voice-clone", response_model=CloneOut, responses=VOICECLONE_ERRORS.metered)
def voice_clone(
    request: Request,
    principal: VoiceCloneSlot,
    services: Services,
    voice: Annotated[UploadFile | None, File(description="MP3, WAV or WebM, max 20MB")] = None,
    title: Annotated[WireText | None, Form(max_length=200)] = None,
    description: Annotated[WireText | None, Form(description="At most 500 characters.")] = None,
    coverImage: Annotated[str | None, Form(description="Cover image URL.")] = None,
    tags: Annotated[str | None, Form(description="JSON array or comma-separated.")] = None,
    consent: Annotated[
        str | None,
        Form(description="true: you confirm you have the right to clone this voice."),
    ] = None,
) -> CloneOut:
    """Clone a voice from a sample: 1000 credits, refunded if cloning fails."""
    cloning = services.cloning
    req = CloneRequest(
        sample=_read_upload(voice, cloning.settings.max_sample_bytes),
        title=title,
        description=(description or "").strip(),
        tags=parse_tags(tags),
        cover_image=parse_cover(coverImage),
        consent=parse_consent(consent),
    )
    made = cloning.clone(principal, req, consent_required=cloning.settings.require_consent)
    return CloneOut(voiceId=made.id, voice=_voice_out(request, services, made))


@router.get("/voices", response_model=VoiceListOut, responses=VOICECLONE_ERRORS.read)
def list_voices(
    request: Request,
    principal: VoiceCloneKey,
    services: Services,
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    status: Literal["PROCESSING", "COMPLETED", "FAILED"] | None = None,
    type: Literal["USER", "SYSTEM"] | None = None,
    sortBy: Literal["createdAt", "updatedAt", "title", "duration", "popularity"] = "createdAt",
    sortOrder: Literal["asc", "desc"] = "desc",
) -> VoiceListOut:
    """Your cloned voices (USER) and the server's catalogue voices (SYSTEM)."""
    found = services.voice_library.list_voices(
        principal,
        page=page,
        limit=limit,
        status=status,
        type_=type,
        sort_by=sortBy,
        sort_order=sortOrder,
    )
    pages = math.ceil(found.total / limit)
    return VoiceListOut(
        voices=[_voice_item(request, services, v) for v in found.voices],
        pagination=Pagination(
            page=page,
            limit=limit,
            total=found.total,
            totalPages=pages,
            hasNext=page < pages,
            hasPrev=page > 1,
        ),
    )


@router.post("/tts", response_model=TtsOut, responses=VOICECLONE_ERRORS.metered)
def create_speech(
    body: TtsIn,
    principal: VoiceCloneKey,
    services: Services,
    idempotency_key: IdempotencyKey = None,
) -> TtsOut:
    """Queue speech (status PROCESSING); poll ``tts/{speechId}``. One credit per UTF-8 byte."""
    task = services.clone_speech.submit_speech(
        principal,
        CloneSpeechRequest(body.text, body.voiceId, body.format),
        webhook_url=body.webhookUrl,
        idempotency_key=idempotency_key,
    )
    return TtsOut(speechId=task.id, creditsUsed=task.credits_used, speech=_speech_out(task))


@router.get("/tts/{speechId}", response_model=SpeechStatusOut, responses=VOICECLONE_ERRORS.lookup)
def speech_status(
    request: Request,
    principal: VoiceCloneKey,
    services: Services,
    speechId: Annotated[str, Path(max_length=64)],
) -> SpeechStatusOut:
    task = services.clone_speech.speech_task(principal, speechId)
    return SpeechStatusOut(speech=_speech_detail(request, services, task))


@router.get("/credits", response_model=CreditsOut, responses=VOICECLONE_ERRORS.read)
def credits_balance(principal: VoiceCloneKey, services: Services) -> CreditsOut:
    """regular = the plan's monthly pool, permanent = purchased credits."""
    balances = services.ledger.balances(principal.account_id, principal.mode)
    return CreditsOut(
        credits=credits_number(balances.total),
        breakdown=CreditsBreakdown(
            regular=credits_number(balances.monthly),
            permanent=credits_number(balances.purchased),
            resetAt=js_date(balances.reset_at),
        ),
    )
