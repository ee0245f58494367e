"""``POST /v1/sounds`` (sound effects) and ``POST /v1/music``, as jobs.

Each answers 202 with a job; ``GET /v1/jobs/{id}`` (or the optional signed webhook) gives
the result: a signed ``audio_url``, the duration, the engine, and what the engine made of the
prompt (the words a sound engine understood; a composer's plan). Priced per started second
(``sound_effect``, ``music``), held at submission and refunded if generation fails.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from seesay.accounts.service import Principal
from seesay.api.deps import CurrentKey, Services
from seesay.api.idempotency import IdempotencyKey, IdempotentRoute
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.native.jobs import job_out
from seesay.api.native.schemas import JobOut
from seesay.api.wire_text import WireText
from seesay.platform import Platform
from seesay.services.sound import AudioRequest, SoundKind

__all__ = ["MusicIn", "SoundIn", "router"]

router = APIRouter(prefix="/v1", tags=["sounds"], route_class=IdempotentRoute)

Format = Literal["mp3", "wav", "opus", "flac", "aac", "pcm"]


class _AudioIn(BaseModel):
    """What a sound and a music request share; each names its own prompt and defaults."""

    prompt: WireText
    duration_seconds: float | None
    format: Format
    engine: str | None
    seed: int | None
    webhook_url: str | None = Field(None, description="Called when the job finishes.")


class SoundIn(_AudioIn):
    prompt: WireText = Field(
        max_length=2000,
        description="Sounds to make, e.g. 'heavy rain with distant thunder'; see the engine's "
        "vocabulary in GET /v1/engines.",
    )
    duration_seconds: float | None = Field(None, description="Default 5 seconds.")
    format: Format = "mp3"
    engine: str | None = Field(None, description="A sound engine name; default: the first.")
    seed: int | None = Field(None, ge=0, description="Same seed, same audio (offline engines).")


class MusicIn(_AudioIn):
    prompt: WireText = Field(
        max_length=2000, description="Tempo, key, mood, genre, instruments, e.g. 'calm piano'."
    )
    duration_seconds: float | None = Field(None, description="Default 30 seconds.")
    format: Format = "wav"
    engine: str | None = Field(None, description="A music engine name; default: the first.")
    seed: int | None = Field(None, ge=0, description="Same seed, same music (offline engines).")


_ACCEPTED: dict[int | str, dict[str, Any]] = {202: {"model": JobOut, "description": "Job accepted"}}
_ROUTE: dict[str, Any] = {
    "response_model": JobOut,
    "status_code": status.HTTP_202_ACCEPTED,
    "responses": NATIVE_ERRORS.metered | _ACCEPTED,
}


def _submit(
    kind: SoundKind,
    body: _AudioIn,
    request: Request,
    principal: Principal,
    services: Platform,
    idempotency_key: str | None,
) -> JobOut:
    req = AudioRequest(body.prompt, body.duration_seconds, body.format, body.engine, body.seed)
    job = services.sounds.submit(
        principal, kind, req, webhook_url=body.webhook_url, idempotency_key=idempotency_key
    )
    return job_out(request, services, job)


@router.post("/sounds", **_ROUTE)
def create_sound(
    body: SoundIn,
    request: Request,
    principal: CurrentKey,
    services: Services,
    idempotency_key: IdempotencyKey = None,
) -> JobOut:
    """Sound effects from a prompt, as a job."""
    return _submit("sound", body, request, principal, services, idempotency_key)


@router.post("/music", **_ROUTE)
def create_music(
    body: MusicIn,
    request: Request,
    principal: CurrentKey,
    services: Services,
    idempotency_key: IdempotencyKey = None,
) -> JobOut:
    """Music from a prompt, as a job."""
    return _submit("music", body, request, principal, services, idempotency_key)
