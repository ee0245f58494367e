"""``POST /compat/img2voice/v1`` (JSON or multipart) and the batch routes.

Routers stay thin: parse the wire shape, call ``platform.img2voice``, render the spec's fields.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from seesay.accounts.service import Principal
from seesay.api.deps import Services, key_dependencies
from seesay.api.errors import parse_body
from seesay.api.idempotency import IdempotencyKey, IdempotentRoute
from seesay.api.img2voice.body import Body, inline_schema, read_body
from seesay.api.img2voice.errors import IMG2VOICE_ERRORS, wire_error
from seesay.api.img2voice.schemas import (
    SPEC_VOICES,
    BatchCreateIn,
    BatchImageResult,
    BatchOut,
    Img2VoiceIn,
    Img2VoiceOut,
)
from seesay.api.urls import absolute_url, origin
from seesay.errors import InvalidRequest, NotFound, SeeSayError, UnknownVoice
from seesay.jobs.store import JobView
from seesay.services.image_input import ImageInput
from seesay.services.img2voice import Img2VoiceRequest
from seesay.services.img2voice_batch import BATCH_KIND

__all__ = ["PREFIX", "router"]

PREFIX = "/compat/img2voice/v1"

_keys = key_dependencies("img2voice-api-key")
Img2VoiceKey = Annotated[Principal, Depends(_keys.key)]
Img2VoiceSlot = Annotated[Principal, Depends(_keys.slot)]

router = APIRouter(prefix=PREFIX, tags=["img2voice (compatible)"], route_class=IdempotentRoute)


def _schema(model: type[BaseModel], *, multipart: bool) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": inline_schema(model)}}
    if multipart:
        form = inline_schema(model)
        form["properties"] = {
            "image": {"type": "string", "format": "binary", "description": "The image file."},
            **{k: v for k, v in form["properties"].items() if k != "image_base64"},
        }
        content["multipart/form-data"] = {"schema": form}
    return {"requestBody": {"required": True, "content": content}}


def _voice(voice_id: str) -> str:
    if voice_id.strip().lower() not in SPEC_VOICES:
        raise UnknownVoice(
            f"voice_id {voice_id!r} is not recognized. Valid values: {', '.join(SPEC_VOICES)}.",
            param="voice_id",
        )
    return voice_id.strip().lower()


def _image(url: str | None, b64: str | None, mime: str | None, param: str) -> ImageInput:
    given = [name for name, v in (("image_url", url), ("image_base64", b64)) if v]
    if len(given) != 1:
        raise InvalidRequest(
            "send exactly one of image_url, image_base64 or a multipart file in image",
            param=param,
        )
    if url:
        return ImageInput(url=url, param="image_url")
    return ImageInput(base64=b64, mime_type=mime or "image/jpeg", param="image_base64")


def _request(body: Body) -> Img2VoiceRequest:
    if body.is_json:
        fields = body.fields
    else:
        names = list(Img2VoiceIn.model_fields)
        fields = {n: t for n in names if n != "image" and (t := body.text(n)) is not None}
    parsed = parse_body(Img2VoiceIn, fields)
    upload = body.files.get("image")
    if upload is not None:
        if parsed.image_url or parsed.image_base64:
            raise InvalidRequest("send one image: a file, image_url or image_base64", param="image")
        image = ImageInput(data=upload.data, mime_type=upload.content_type, param="image")
    elif isinstance(body.fields.get("image"), str) and not body.is_json:
        image = ImageInput.from_text(body.fields["image"], param="image")
    else:
        image = _image(parsed.image_url, parsed.image_base64, parsed.image_mime_type, "image_url")
    return Img2VoiceRequest(
        image=image,
        voice=_voice(parsed.voice_id),
        language=parsed.language,
        detail=parsed.detail,
        format=parsed.output_format,
    )


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@router.post(
    "",
    response_model=Img2VoiceOut,
    response_model_exclude_none=True,
    responses=IMG2VOICE_ERRORS.convert,
    openapi_extra=_schema(Img2VoiceIn, multipart=True),
    summary="Describe an image and speak the description",
)
async def convert(request: Request, principal: Img2VoiceSlot, services: Services) -> Img2VoiceOut:
    body = await read_body(request, max_bytes=services.settings.limits.max_request_bytes)
    req = _request(body)
    result = await run_in_threadpool(services.img2voice.speak, principal, req)
    described = result.described
    return Img2VoiceOut(
        id=described.id,
        description=described.text,
        audio_url=absolute_url(request, services, result.url_path),
        duration_seconds=round(result.speech.duration, 3),
        image_credits_used=described.credits_used // 1000,
        image_credits_remaining=described.credits_remaining // 1000,
        voice_id=req.voice or "eve",
        created_at=_iso(described.created_at),
        source_language=described.source_language if described.translated else None,
        translated=True if described.translated else None,
    )


@router.post(
    "/batch",
    response_model=BatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses=IMG2VOICE_ERRORS.batch,
    openapi_extra=_schema(BatchCreateIn, multipart=False),
    summary="Queue up to 100 images (paid plans)",
)
async def create_batch(
    request: Request,
    principal: Img2VoiceKey,
    services: Services,
    idempotency_key: IdempotencyKey = None,
) -> BatchOut:
    principal.plan.require("batch")  # a free key learns this before its body is read
    body = await read_body(request, max_bytes=services.settings.limits.max_request_bytes)
    if not body.is_json:
        raise InvalidRequest("a batch is a JSON body with an images array")
    parsed = parse_body(BatchCreateIn, body.fields)
    images = [
        _image(item.image_url, item.image_base64, item.image_mime_type, f"images.{i}")
        for i, item in enumerate(parsed.images)
    ]
    images = [
        ImageInput(
            url=img.url, base64=img.base64, mime_type=img.mime_type, param=f"images.{i}.{img.param}"
        )
        for i, img in enumerate(images)
    ]
    options = Img2VoiceRequest(
        image=images[0] if images else ImageInput(data=b""),
        voice=_voice(parsed.voice_id),
        language=parsed.language,
        detail=parsed.detail,
        format=parsed.output_format,
    )
    job = await run_in_threadpool(
        lambda: services.img2voice_batches.submit_batch(
            principal,
            images,
            options,
            webhook_url=parsed.webhook_url,
            idempotency_key=idempotency_key,
        )
    )
    return _batch_out(request, services, job)


@router.get(
    "/batch/{batch_id}",
    response_model=BatchOut,
    responses=IMG2VOICE_ERRORS.batch_get,
    summary="Progress and per-image results of a batch",
)
def get_batch(
    batch_id: str, request: Request, principal: Img2VoiceKey, services: Services
) -> BatchOut:
    job = services.jobs.get(principal, batch_id)
    if job.kind != BATCH_KIND:
        raise NotFound("No such batch.")
    return _batch_out(request, services, job)


_STATUS = {
    "queued": "queued",
    "running": "processing",
    "succeeded": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
}


def _batch_item(item: dict[str, Any]) -> BatchImageResult:
    out = BatchImageResult.model_validate(item)
    if out.error:
        _, code = wire_error(SeeSayError.from_dict(out.error))
        out.error = {
            "code": code,
            "message": out.error.get("message"),
            "param": out.error.get("param"),
        }
    return out


def _batch_out(request: Request, services: Services, job: JobView) -> BatchOut:
    event = services.job_presenter.event(job, origin(request, services))
    state = event.get("result") or event.get("progress") or {}
    results = [_batch_item(item) for item in state.get("results") or []]
    total = services.img2voice_batches.batch_size(job)
    succeeded = int(state.get("succeeded") or 0)
    return BatchOut(
        id=event["id"],
        status=_STATUS[event["status"]],  # type: ignore[arg-type]
        total=total,
        processed=int(state.get("processed") or 0),
        succeeded=succeeded,
        failed=int(state.get("failed") or 0),
        image_credits_used=succeeded,
        results=results,
        created_at=event["created_at"],
        completed_at=event.get("finished_at"),
        error=event.get("error"),
    )
