"""Typed results of the SeeSay SDK: pydantic models of the native API's JSON.

Models accept fields they do not know (``extra="allow"``), so a newer server never breaks an
older SDK; the extra fields are kept on the model (``model.model_extra``). Credits are in
credits (floats), as on the wire.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Account",
    "Balances",
    "CreatedKey",
    "Description",
    "Engine",
    "Img2Voice",
    "Job",
    "JobError",
    "Key",
    "Plan",
    "Segment",
    "Speech",
    "Transcription",
    "Translation",
    "Usage",
    "UsageDay",
    "UsageFeature",
    "Voice",
    "Word",
]

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
TERMINAL_STATUSES: frozenset[str] = frozenset({"succeeded", "failed", "cancelled"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=())


class Plan(_Model):
    name: str
    requests_per_minute: int
    concurrent_requests: int
    monthly_credits: float
    features: list[str] = Field(default_factory=list)


class Balances(_Model):
    mode: Literal["live", "test"]
    credits: float
    millicredits: int
    monthly: float
    purchased: float
    reset_at: datetime | None = None


class UsageDay(_Model):
    date: str
    requests: int
    credits: float


class UsageFeature(_Model):
    feature: str
    requests: int
    credits: float


class Usage(_Model):
    days: int
    by_feature: list[UsageFeature] = Field(default_factory=list)
    by_day: list[UsageDay] = Field(default_factory=list)


class Account(_Model):
    id: str
    name: str
    email: str | None = None
    plan: Plan
    key_mode: Literal["live", "test"]
    balances: Balances
    usage: Usage
    webhook_secret: str
    created_at: datetime


class Key(_Model):
    id: str
    name: str
    mode: Literal["live", "test"]
    hint: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class CreatedKey(Key):
    key: str = Field(description="The secret; shown once.")


class JobError(_Model):
    code: str | None = None
    message: str | None = None
    param: str | None = None


class Job(_Model):
    """An async job. ``result`` holds the finished work; a speech job's says what a
    :class:`Speech` says, by the same names (``audio_url``, ``duration_seconds``, ``format``,
    ``voice``, ``engine``, ``language``, ``voice_fallback``), beside the stored ``blob_id``."""

    id: str
    object: Literal["job"] = "job"
    kind: str
    status: JobStatus
    result: dict[str, Any] | None = None
    error: JobError | None = None
    progress: dict[str, Any] | None = None
    attempts: int = 0
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None

    @property
    def done(self) -> bool:
        """Whether the job reached a final state (succeeded, failed or cancelled)."""
        return self.status in TERMINAL_STATUSES

    @property
    def audio_url(self) -> str | None:
        """The signed audio URL of a finished speech-producing job, if any."""
        url = (self.result or {}).get("audio_url")
        return url if isinstance(url, str) else None


class Speech(_Model):
    id: str
    audio_url: str
    duration_seconds: float
    format: str
    voice: str
    engine: str
    language: str
    voice_fallback: str | None = None
    credits_used: float
    credits_remaining: float


class Voice(_Model):
    id: str
    name: str
    language: str
    gender: str
    engine: str
    sample_rate: int
    description: str = ""
    type: str = "catalogue"
    status: str = "ready"
    #: Why a catalogue voice cannot be loaded (``status`` ``failed``); another voice speaks
    #: when it is asked for.
    load_error: str | None = None


class Engine(_Model):
    name: str
    task: str
    model: str
    licence: str
    local: bool
    languages: list[str] = Field(default_factory=list)
    voices: int = 0
    formats: list[str] = Field(default_factory=list)
    description: str = ""


class Description(_Model):
    """What ``POST /v1/describe`` answers: the text, findings, engines and timings."""

    id: str
    description: str
    language: str
    source_language: str | None = None
    translated: bool = False
    findings: dict[str, Any] = Field(default_factory=dict)
    engines: dict[str, Any] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    credits_used: float = 0.0
    credits_remaining: float = 0.0
    created_at: datetime | None = None


class Img2Voice(Description):
    """What ``POST /v1/img2voice`` answers: a description and the signed URL of its audio."""

    audio_url: str
    duration_seconds: float
    format: str = "mp3"
    voice: str = Field(description="The engine voice that spoke.")
    voice_requested: str | None = None
    voice_fallback: str | None = None


class Word(_Model):
    word: str
    start: float
    end: float
    probability: float | None = None


class Segment(_Model):
    id: int
    start: float
    end: float
    text: str
    words: list[Word] = Field(default_factory=list)


class Transcription(_Model):
    """A transcript (English text when ``translated``), with segment timings."""

    text: str
    language: str
    duration_seconds: float = 0.0
    translated: bool = False
    segments: list[Segment] = Field(default_factory=list)
    engine: str | None = None
    credits_used: float = 0.0
    credits_remaining: float = 0.0

    @property
    def words(self) -> list[Word]:
        """Word timings of every segment (asked with ``word_timestamps=True``)."""
        return [w for s in self.segments for w in s.words]


class Translation(_Model):
    text: str
    source: str
    target: str
    engine: str | None = None
    credits_used: float = 0.0
    credits_remaining: float = 0.0
