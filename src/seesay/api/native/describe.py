"""``POST /v1/describe`` and ``POST /v1/img2voice``: the core job on the native API.

Inputs (JSON, or a multipart form with the file in ``image``): one of ``image_url``,
``image_base64`` (a data URI prefix is optional) or an ``image`` file; ``detail``, ``prompt``,
``language`` (BCP-47 or ``auto``); img2voice adds ``voice``, ``format``, ``speed`` and
``stream``. Results carry the structured findings, the engines and voice that ran, timings.

``stream=true`` answers the audio itself, chunked, as it is synthesized. The description is
known before the first audio byte, so it travels in response headers: ``X-SeeSay-Description``
(UTF-8, percent-encoded), ``X-SeeSay-Language``, ``X-SeeSay-Voice``, ``X-SeeSay-Engine``,
``X-SeeSay-Id`` and, when another voice than the asked one speaks, ``X-SeeSay-Voice-Fallback``
(the JSON answer's ``voice_fallback``; see ``api.stream_headers``). Streamed speech is
synthesized by the serving process (the description step still runs wherever inference runs);
the credit settles when the stream completes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from seesay.api.deps import InferenceKey, Services
from seesay.api.errors import parse_body
from seesay.api.idempotency import IdempotentRoute
from seesay.api.img2voice.body import Body, inline_schema, read_body
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.stream_headers import header_text, voice_fallback_headers
from seesay.api.urls import absolute_url
from seesay.api.wire_text import WireText
from seesay.errors import InvalidRequest
from seesay.services.describe_contracts import DescribeRequest, DescribeResult
from seesay.services.image_input import ImageInput
from seesay.services.img2voice import Img2VoiceRequest

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["describe"], route_class=IdempotentRoute)


class DescribeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    image_url: str | None = Field(None, description="http(s) URL of the image.")
    image_base64: str | None = Field(None, description="Base64 image; data URI prefix optional.")
    image_mime_type: str | None = Field(None, description="A hint; the bytes decide.")
    detail: Literal["brief", "standard", "detailed"] = "standard"
    prompt: WireText | None = Field(None, description="Steers the description (a question...).")
    language: str = Field("en", description="BCP-47 tag, or auto (the prompt's language).")


class Img2VoiceNativeIn(DescribeIn):
    voice: str | None = Field("eve", description="A voice id or alias (eve, ara, rex...).")
    format: Literal["mp3", "wav", "opus", "flac", "aac", "pcm"] = "mp3"
    speed: float = Field(1.0, ge=0.25, le=4.0)
    stream: bool = Field(False, description="Answer the audio as it is synthesized.")


class DescriptionOut(BaseModel):
    id: str
    object: Literal["description"] = "description"
    description: str
    language: str
    source_language: str | None = Field(None, description="Set when the text was translated.")
    translated: bool
    findings: dict[str, Any] = Field(description="Structured evidence (labels, text, faces...).")
    engines: dict[str, str | None]
    timings: dict[str, float] = Field(description="Milliseconds per step.")
    credits_used: float
    credits_remaining: float
    created_at: str


class Img2VoiceNativeOut(DescriptionOut):
    object: Literal["img2voice"] = "img2voice"  # type: ignore[assignment]
    audio_url: str
    duration_seconds: float
    format: str
    voice: str = Field(description="The engine voice that spoke.")
    voice_requested: str | None
    voice_fallback: str | None = Field(None, description="Why another voice spoke, if one did.")


M = TypeVar("M", bound=DescribeIn)


def _openapi(model: type[BaseModel]) -> dict[str, Any]:
    schema = inline_schema(model)
    form = {**schema, "properties": {"image": {"type": "string", "format": "binary"}}}
    form["properties"].update(schema["properties"])
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "multipart/form-data": {"schema": form},
            },
        }
    }


def _parse(model: type[M], body: Body) -> tuple[M, ImageInput]:
    fields = dict(body.fields)
    text_image = fields.pop("image", None)  # JSON or a form field: a URL or base64 text
    if not body.is_json:
        fields = {k: v for k, v in fields.items() if k in model.model_fields}
    parsed = parse_body(model, fields)
    upload = body.files.get("image")
    given = [x is not None for x in (parsed.image_url, parsed.image_base64, upload, text_image)]
    if sum(given) != 1:
        raise InvalidRequest(
            "send exactly one image: image_url, image_base64 or an image file", param="image"
        )
    if upload is not None:
        return parsed, ImageInput(data=upload.data, mime_type=upload.content_type, param="image")
    if isinstance(text_image, str):
        return parsed, ImageInput.from_text(text_image, param="image")
    if text_image is not None:
        raise InvalidRequest("image must be a URL, base64 text or a file", param="image")
    if parsed.image_url is not None:
        return parsed, ImageInput(url=parsed.image_url, param="image_url")
    return parsed, ImageInput(
        base64=parsed.image_base64, mime_type=parsed.image_mime_type, param="image_base64"
    )


def _described(result: DescribeResult) -> dict[str, Any]:
    """The fields a description and an img2voice answer share (credits in credits)."""
    return {
        "id": result.id,
        "description": result.text,
        "language": result.language,
        "source_language": result.source_language,
        "translated": result.translated,
        "findings": result.findings,
        "engines": result.engines,
        "timings": result.timings,
        "credits_used": result.credits_used / 1000,
        "credits_remaining": result.credits_remaining / 1000,
        "created_at": _iso(result.created_at),
    }


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@router.post(
    "/describe",
    response_model=DescriptionOut,
    responses=NATIVE_ERRORS.metered,
    openapi_extra=_openapi(DescribeIn),
    summary="Describe an image (one credit)",
)
async def describe(request: Request, principal: InferenceKey, services: Services) -> DescriptionOut:
    body = await read_body(request, max_bytes=services.settings.limits.max_request_bytes)
    parsed, image = _parse(DescribeIn, body)
    req = DescribeRequest(image, parsed.detail, parsed.prompt, parsed.language)
    result = await run_in_threadpool(services.describer.describe, principal, req)
    return DescriptionOut(**_described(result))


@router.post(
    "/img2voice",
    response_model=Img2VoiceNativeOut,
    responses=NATIVE_ERRORS.metered
    | {200: {"content": {"audio/mpeg": {}}, "description": "JSON, or audio with stream=true"}},
    openapi_extra=_openapi(Img2VoiceNativeIn),
    summary="Describe an image and speak it (one credit)",
)
async def img2voice(
    request: Request, principal: InferenceKey, services: Services
) -> Img2VoiceNativeOut | StreamingResponse:
    body = await read_body(request, max_bytes=services.settings.limits.max_request_bytes)
    parsed, image = _parse(Img2VoiceNativeIn, body)
    req = Img2VoiceRequest(
        image=image,
        voice=parsed.voice,
        language=parsed.language,
        detail=parsed.detail,
        format=parsed.format,
        prompt=parsed.prompt,
        speed=parsed.speed,
    )
    if parsed.stream:
        streamed = await run_in_threadpool(services.img2voice.stream, principal, req)
        headers = {
            "X-SeeSay-Id": streamed.id,
            "X-SeeSay-Description": header_text(streamed.described.text),
            "X-SeeSay-Language": streamed.described.language,
            "X-SeeSay-Voice": streamed.voice,
            "X-SeeSay-Engine": streamed.engine,
            **voice_fallback_headers(streamed.voice_fallback),
            "Cache-Control": "no-store",
        }
        return StreamingResponse(streamed.chunks, media_type=streamed.mime_type, headers=headers)
    result = await run_in_threadpool(services.img2voice.speak, principal, req)
    return Img2VoiceNativeOut(
        **_described(result.described),
        audio_url=absolute_url(request, services, result.url_path),
        duration_seconds=round(result.speech.duration, 3),
        format=result.speech.format,
        voice=result.speech.voice,
        voice_requested=result.voice_requested,
        voice_fallback=result.voice_fallback,
    )
