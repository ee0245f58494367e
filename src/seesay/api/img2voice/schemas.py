"""Wire schemas of the img2voice surface, field for field as the spec names them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "SPEC_VOICES",
    "BatchCreateIn",
    "BatchImageIn",
    "BatchImageResult",
    "BatchOut",
    "Img2VoiceIn",
    "Img2VoiceOut",
]

SPEC_VOICES = ("eve", "ara", "rex", "sal", "leo")


class _Options(BaseModel):
    model_config = ConfigDict(extra="ignore")

    voice_id: str = Field("eve", description="Voice: eve, ara, rex, sal, or leo.")
    language: str = Field("en", description='BCP-47 code (e.g. "en", "es") or "auto".')
    detail: Literal["brief", "standard", "detailed"] = Field(
        "standard",
        description="brief (1-2 sentences), standard (2-3), detailed (all the text read, "
        "places and second guesses).",
    )
    output_format: Literal["mp3", "wav"] = "mp3"


class Img2VoiceIn(_Options):
    """JSON body (multipart: the same fields, the file in ``image``)."""

    image_url: str | None = Field(None, description="Public HTTP/HTTPS URL of the image.")
    image_base64: str | None = Field(None, description="Base64 image data (no data URI prefix).")
    image_mime_type: str | None = Field(
        None, description="MIME type of the base64 image; a hint, the bytes decide."
    )


class Img2VoiceOut(BaseModel):
    id: str
    status: Literal["completed"] = "completed"
    description: str
    audio_url: str = Field(description="Signed URL of the audio, valid for 24 hours.")
    duration_seconds: float = Field(description="Length of the generated audio in seconds.")
    image_credits_used: int = 1
    image_credits_remaining: int
    voice_id: str
    created_at: str = Field(description="ISO 8601 time the request was processed.")
    source_language: str | None = Field(None, description="Only when translated.")
    translated: bool | None = Field(None, description="Only when translated (then true).")


class BatchImageIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    image_url: str | None = None
    image_base64: str | None = None
    image_mime_type: str | None = None


class BatchCreateIn(_Options):
    images: list[BatchImageIn] = Field(description="1 to 100 images.")
    webhook_url: str | None = Field(
        None, description="POSTed the batch when it finishes (signed, see the native docs)."
    )


class BatchImageResult(BaseModel):
    index: int
    status: Literal["completed", "failed"]
    description: str | None = None
    audio_url: str | None = None
    duration_seconds: float | None = None
    voice_id: str | None = None
    source_language: str | None = None
    translated: bool | None = None
    error: dict[str, Any] | None = None


class BatchOut(BaseModel):
    id: str
    object: Literal["batch"] = "batch"
    status: Literal["queued", "processing", "completed", "failed", "cancelled"]
    total: int
    processed: int
    succeeded: int
    failed: int
    image_credits_used: int = Field(description="Credits kept: one per image that succeeded.")
    results: list[BatchImageResult]
    created_at: str
    completed_at: str | None = None
    error: dict[str, Any] | None = None
