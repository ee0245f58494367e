"""Sound effects and music as use cases: generate, encode, store; now or as jobs.

The generation steps are the registered calls ``sound.generate`` and ``music.compose`` (and
the job kinds ``sound`` and ``music``), so they run in this process embedded and on a worker
distributed; audio comes back as a blob id. Both are priced per started second of audio
(``sound_effect`` and ``music`` in the price table), held before generation and refunded if
it fails.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

from seesay.accounts.service import Principal
from seesay.engines.base import MusicEngine, SoundEngine, Task
from seesay.engines.registry import EngineRegistry
from seesay.errors import InvalidRequest
from seesay.jobs.handlers import Handlers, JobContext
from seesay.jobs.service import InferenceExecutor, JobService
from seesay.jobs.store import JobView
from seesay.media.audio_encode import FORMATS, encode
from seesay.services.audio_settings import SoundServiceSettings
from seesay.services.metering import Metering
from seesay.storage import BlobStore

__all__ = ["MUSIC_JOB", "SOUND_JOB", "AudioRequest", "GeneratedAudio", "SoundService"]

SOUND_JOB = "sound"
MUSIC_JOB = "music"
_MAX_PROMPT = 2000


@dataclass(frozen=True, slots=True)
class AudioRequest:
    """A sound-effect or music request. ``duration`` None: the service's default."""

    prompt: str
    duration: float | None = None
    format: str = "mp3"
    engine: str | None = None
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class GeneratedAudio:
    blob_id: str
    duration: float
    format: str
    mime_type: str
    engine: str
    details: dict[str, Any]  # sound: understood/ignored words; music: the plan
    credits_used: int  # millicredits
    credits_remaining: int  # millicredits


@dataclass(frozen=True, slots=True)
class _Kind:
    task: Task
    feature: str
    call: str
    job: str
    default: float
    maximum: float


class SoundService:
    def __init__(
        self,
        engines: EngineRegistry,
        storage: BlobStore,
        metering: Metering,
        executor: InferenceExecutor,
        jobs: JobService,
        settings: SoundServiceSettings,
    ) -> None:
        self._engines = engines
        self._storage = storage
        self._metering = metering
        self._executor = executor
        self._jobs = jobs
        self.settings = settings
        self._sound = _Kind(
            Task.SOUND,
            "sound_effect",
            "sound.generate",
            SOUND_JOB,
            settings.sound_default_seconds,
            settings.sound_max_seconds,
        )
        self._music = _Kind(
            Task.MUSIC,
            "music",
            "music.compose",
            MUSIC_JOB,
            settings.music_default_seconds,
            settings.music_max_seconds,
        )

    def register(self, handlers: Handlers) -> None:
        handlers.register_call("sound.generate", self.generate_to_store)
        handlers.register_call("music.compose", self.compose_to_store)
        handlers.register_job(SOUND_JOB, lambda _ctx, p: self.generate_to_store(p))
        handlers.register_job(MUSIC_JOB, self._music_job)

    # -- use cases ------------------------------------------------------------------------------

    def sound_effect(self, principal: Principal, req: AudioRequest) -> GeneratedAudio:
        return self._now(principal, self._sound, req)

    def music(self, principal: Principal, req: AudioRequest) -> GeneratedAudio:
        return self._now(principal, self._music, req)

    def submit_sound(self, principal: Principal, req: AudioRequest, **job: Any) -> JobView:
        return self._submit(principal, self._sound, req, **job)

    def submit_music(self, principal: Principal, req: AudioRequest, **job: Any) -> JobView:
        return self._submit(principal, self._music, req, **job)

    def seconds(self, kind: str, duration: float | None) -> float:
        """The duration a request of ``kind`` (``sound`` or ``music``) will have."""
        return self._validated_seconds(self._sound if kind == "sound" else self._music, duration)

    def units(self, seconds: float) -> int:
        """Priced units: started seconds."""
        return max(1, math.ceil(seconds - 1e-9))

    # -- internals --------------------------------------------------------------------------

    def _validated_seconds(self, kind: _Kind, duration: float | None) -> float:
        seconds = kind.default if duration is None else float(duration)
        low = self.settings.min_seconds
        if not (math.isfinite(seconds) and low <= seconds <= kind.maximum):
            raise InvalidRequest(
                f"duration must be between {low:g} and {kind.maximum:g} seconds",
                param="duration",
            )
        return seconds

    def _payload(self, kind: _Kind, req: AudioRequest) -> dict[str, Any]:
        prompt = req.prompt.strip()
        if not prompt:
            raise InvalidRequest("prompt must not be empty", param="prompt")
        if len(prompt) > _MAX_PROMPT:
            raise InvalidRequest(f"prompt is longer than {_MAX_PROMPT} characters", param="prompt")
        if req.format not in FORMATS:
            raise InvalidRequest(f"format must be one of {', '.join(FORMATS)}", param="format")
        if req.seed is not None and req.seed < 0:
            raise InvalidRequest("seed must be zero or positive", param="seed")
        if req.engine and not self._engines.has(kind.task, req.engine):
            known = ", ".join(self._engines.names(kind.task)) or "none"
            raise InvalidRequest(
                f"no {kind.task.value} engine named {req.engine!r} (configured: {known})",
                param="engine",
            )
        return {
            "prompt": prompt,
            "duration": self._validated_seconds(kind, req.duration),
            "format": req.format,
            "engine": req.engine or None,
            "seed": req.seed,
        }

    def _now(self, principal: Principal, kind: _Kind, req: AudioRequest) -> GeneratedAudio:
        payload = self._payload(kind, req)
        units = self.units(payload["duration"])
        with self._metering.charge(principal, kind.feature, units) as charge:
            out = self._executor.call(kind.call, payload)
        return GeneratedAudio(
            blob_id=out["blob_id"],
            duration=float(out["duration"]),
            format=out["format"],
            mime_type=out["mime_type"],
            engine=out["engine"],
            details=dict(out["details"]),
            credits_used=charge.held.amount,
            credits_remaining=charge.remaining,
        )

    def _submit(
        self,
        principal: Principal,
        kind: _Kind,
        req: AudioRequest,
        *,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> JobView:
        payload = self._payload(kind, req)
        units = self.units(payload["duration"])
        return self._jobs.submit(
            principal,
            kind.job,
            payload,
            feature=kind.feature,
            amount=self._metering.prices.cost(kind.feature, units),
            quantity=units,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
        )

    # -- the inference steps ----------------------------------------------------------------

    def generate_to_store(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Call ``sound.generate``: JSON in, ``{blob_id, duration, ..., details}`` out."""
        with self._engines.lease(Task.SOUND, payload.get("engine")) as leased:
            engine = cast(SoundEngine, leased)
            result = engine.generate(
                str(payload["prompt"]), float(payload["duration"]), payload.get("seed")
            )
        details = {"understood": list(result.understood), "ignored": list(result.ignored)}
        return self._store(result.audio, str(payload["format"]), engine.info.name, details)

    def compose_to_store(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Call ``music.compose``: JSON in, ``{blob_id, duration, ..., details}`` out."""
        with self._engines.lease(Task.MUSIC, payload.get("engine")) as leased:
            engine = cast(MusicEngine, leased)
            result = engine.compose(
                str(payload["prompt"]), float(payload["duration"]), payload.get("seed")
            )
        return self._store(
            result.audio, str(payload["format"]), engine.info.name, dict(result.plan)
        )

    def _music_job(self, _ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        return self.compose_to_store(payload)

    def _store(self, audio: Any, fmt: str, engine: str, details: dict[str, Any]) -> dict[str, Any]:
        encoded = encode(audio, fmt)
        blob_id = self._storage.put(
            encoded.data, content_type=encoded.mime_type, suffix="." + encoded.format
        )
        return {
            "blob_id": blob_id,
            "duration": round(encoded.duration, 3),
            "format": encoded.format,
            "mime_type": encoded.mime_type,
            "engine": engine,
            "details": details,
        }
