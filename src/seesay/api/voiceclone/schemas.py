"""Wire schemas of the Voice Clone surface (field names as the spec spells them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from seesay.api.wire_text import WireText

__all__ = [
    "CloneOut",
    "CreditsBreakdown",
    "CreditsOut",
    "Pagination",
    "SpeechDetail",
    "SpeechOut",
    "SpeechStatusOut",
    "SpeechVoice",
    "TtsIn",
    "TtsOut",
    "VoiceItem",
    "VoiceListOut",
    "VoiceOut",
    "js_date",
]

Status = Literal["PROCESSING", "COMPLETED", "FAILED"]


def js_date(value: datetime | None) -> str | None:
    """``2024-01-01T00:00:00.000Z``, as JavaScript's ``toISOString`` writes it."""
    if value is None:
        return None
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


class VoiceOut(BaseModel):
    id: str
    title: str
    description: str
    coverImage: str | None
    audioUrl: str | None = Field(description="Signed URL of the uploaded sample.")
    duration: float = Field(description="Seconds of the sample.")
    tags: list[str]
    createdAt: str
    status: Status = "COMPLETED"
    type: Literal["USER", "SYSTEM"] = "USER"
    engine: str = Field("", description="The clone engine that made and speaks this voice.")
    method: str = Field("", description="What kind of cloning this is, in plain words.")


class CloneOut(BaseModel):
    success: bool = True
    voiceId: str
    voice: VoiceOut


class VoiceItem(BaseModel):
    id: str
    title: str
    description: str
    coverImage: str | None
    audioUrl: str | None
    duration: float
    status: Status
    type: Literal["USER", "SYSTEM"]
    isPublic: bool
    popularity: int
    tags: list[str]
    usageCount: int
    createdAt: str
    updatedAt: str
    engine: str = ""
    method: str = ""
    language: str | None = None


class Pagination(BaseModel):
    page: int
    limit: int
    total: int
    totalPages: int
    hasNext: bool
    hasPrev: bool


class VoiceListOut(BaseModel):
    success: bool = True
    voices: list[VoiceItem]
    pagination: Pagination


class TtsIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: WireText = Field(description="Text to speak, at most 5000 UTF-8 bytes (1 credit each).")
    voiceId: str = Field(description="Your cloned voice's id or a system voice's id.")
    format: Literal["mp3", "wav", "opus", "pcm"] = "mp3"
    webhookUrl: str | None = Field(
        None, description="Extension: POSTed a signed job event when the speech is done."
    )


class SpeechOut(BaseModel):
    id: str
    text: str
    format: str
    status: Status
    creditsUsed: int
    createdAt: str


class TtsOut(BaseModel):
    success: bool = True
    speechId: str
    creditsUsed: int
    speech: SpeechOut


class SpeechVoice(BaseModel):
    id: str
    title: str
    coverImage: str | None
    type: Literal["USER", "SYSTEM"]


class SpeechDetail(SpeechOut):
    audioUrl: str | None
    duration: float | None
    updatedAt: str
    voice: SpeechVoice
    error: str | None = Field(None, description="Why generation failed (FAILED only).")


class SpeechStatusOut(BaseModel):
    success: bool = True
    speech: SpeechDetail


class CreditsBreakdown(BaseModel):
    regular: int | float = Field(description="Monthly plan credits that reset.")
    permanent: int | float = Field(description="Purchased credits that never expire.")
    resetAt: str | None


class CreditsOut(BaseModel):
    success: bool = True
    credits: int | float
    breakdown: CreditsBreakdown
