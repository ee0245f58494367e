"""``POST /v1/voices`` (clone a voice, as a job) and ``GET /v1/voices/{id}``.

A clone is private to the account (and key mode) that made it. The uploader must send
``consent=true``: the confirmation that they have the right to clone the voice is recorded
with the voice (when, the statement agreed to). The job costs the ``voice_clone`` price
(1000 credits), refunded if analysis fails; ``GET /v1/jobs/{id}`` and the optional signed
webhook report the outcome, and the job's result names the voice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Request, UploadFile, status
from pydantic import BaseModel, Field

from seesay.api.clone_fields import parse_consent, parse_cover, parse_tags
from seesay.api.deps import CurrentKey, Services
from seesay.api.idempotency import IdempotencyKey, IdempotentRoute
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.native.jobs import job_out
from seesay.api.native.schemas import JobOut
from seesay.api.urls import absolute_url
from seesay.errors import InvalidRequest
from seesay.platform import Platform
from seesay.services.clone import CloneRequest
from seesay.services.clone_voices import VoiceView

__all__ = ["CloneJobOut", "NativeVoiceOut", "native_voice", "router"]

router = APIRouter(prefix="/v1", tags=["voices"], route_class=IdempotentRoute)

_STATUS: dict[str, Literal["processing", "ready", "failed"]] = {
    "PROCESSING": "processing",
    "COMPLETED": "ready",
    "FAILED": "failed",
}


class ConsentOut(BaseModel):
    given_at: datetime
    statement: str
    how: Literal["explicit", "implied"]


class NativeVoiceOut(BaseModel):
    id: str
    object: Literal["voice"] = "voice"
    type: Literal["clone", "catalogue"]
    name: str
    description: str
    tags: list[str]
    cover_image: str | None
    status: Literal["processing", "ready", "failed"]
    engine: str
    method: str = Field(description="What kind of voice this is, in plain words.")
    base_voice: str = Field("", description="The bundled voice a conversion clone starts from.")
    duration_seconds: float = Field(description="Length of the uploaded sample.")
    usage_count: int
    sample_url: str | None = Field(None, description="Signed URL of the uploaded sample.")
    consent: ConsentOut | None = None
    error: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime


class CloneJobOut(JobOut):
    voice: NativeVoiceOut = Field(description="The voice, processing until the job ends.")


def native_voice(request: Request, platform: Platform, v: VoiceView) -> NativeVoiceOut:
    sample = None
    if v.sample_blob_id:
        sample = absolute_url(request, platform, platform.signer.url_path(v.sample_blob_id))
    consent = None
    if v.consent.get("at") is not None:
        consent = ConsentOut(
            given_at=v.consent["at"], statement=v.consent["statement"], how=v.consent["how"]
        )
    error = None
    if v.error:
        error = {"code": v.error.get("code"), "message": v.error.get("message")}
    return NativeVoiceOut(
        id=v.id,
        type="clone" if v.type == "USER" else "catalogue",
        name=v.title,
        description=v.description,
        tags=list(v.tags),
        cover_image=v.cover_image,
        status=_STATUS.get(v.status, "failed"),
        engine=v.engine,
        method=v.method,
        base_voice=v.base_voice,
        duration_seconds=v.duration,
        usage_count=v.usage_count,
        sample_url=sample,
        consent=consent,
        error=error,
        created_at=v.created_at,
        updated_at=v.updated_at,
    )


@router.post(
    "/voices",
    response_model=CloneJobOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses=NATIVE_ERRORS.metered,
)
def clone_voice(
    request: Request,
    principal: CurrentKey,
    services: Services,
    file: Annotated[
        UploadFile | None, File(description="Voice sample: MP3, WAV or WebM, max 20 MB.")
    ] = None,
    name: Annotated[str | None, Form(max_length=200)] = None,
    description: Annotated[str, Form(max_length=500)] = "",
    tags: Annotated[str | None, Form(description="JSON array or comma-separated.")] = None,
    cover_image: Annotated[str | None, Form()] = None,
    consent: Annotated[
        str | None,
        Form(description="Required, true: you have the right to clone this voice."),
    ] = None,
    webhook_url: Annotated[str | None, Form()] = None,
    idempotency_key: IdempotencyKey = None,
) -> CloneJobOut:
    """Clone a voice from a sample, as a job (1000 credits, refunded on failure)."""
    if file is None:
        raise InvalidRequest("file is required: the voice sample", param="file")
    cloning = services.cloning
    req = CloneRequest(
        sample=file.file.read(cloning.settings.max_sample_bytes + 1),
        title=name,
        description=description.strip(),
        tags=parse_tags(tags),
        cover_image=parse_cover(cover_image),
        consent=parse_consent(consent),
    )
    voice, job = cloning.submit_clone(
        principal, req, webhook_url=webhook_url, idempotency_key=idempotency_key
    )
    out = job_out(request, services, job)
    return CloneJobOut(**out.model_dump(), voice=native_voice(request, services, voice))


@router.get(
    "/voices/{voice_id}",
    response_model=NativeVoiceOut,
    responses=NATIVE_ERRORS.responses(401, 404, 429, 500),
)
def get_voice(
    request: Request,
    principal: CurrentKey,
    services: Services,
    voice_id: Annotated[str, Path(max_length=200)],
) -> NativeVoiceOut:
    """A clone of this account or a catalogue voice; another account's clone is 404."""
    return native_voice(request, services, services.voice_library.voice(principal, voice_id))
