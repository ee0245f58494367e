"""Sound effects and music as use cases: generate, encode, store; now or as jobs.

The generation steps are the registered calls ``sound.generate`` and ``music.compose`` (and
the job kinds ``sound`` and ``music``), so they run in this process embedded and on a worker
distributed; audio comes back as a blob id. Both are priced per started second of audio
(``sound_effect`` and ``music`` in the price table), held before generation and refunded if
it fails.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, cast

from seesay.accounts.service import Principal
from seesay.engines.base import Audio, Engine, MusicEngine, SoundEngine, Task
from seesay.errors import InvalidRequest
from seesay.jobs.contracts import Call, Contract, JobKind, JobOutcome
from seesay.jobs.handlers import Handlers, JobContext
from seesay.jobs.service import JobService
from seesay.jobs.store import JobView
from seesay.media.audio_encode import FORMATS
from seesay.services.audio_settings import SoundServiceSettings
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.speech import StoredAudio, store_audio

__all__ = [
    "AudioRequest",
    "GeneratedAudio",
    "Generation",
    "GenerationInput",
    "SoundKind",
    "SoundService",
]

SoundKind = Literal["sound", "music"]
_MAX_PROMPT = 2000


class GenerationInput(Contract):
    """The input of ``sound.generate`` and ``music.compose``, and their jobs' payload."""

    prompt: str
    duration: float
    format: str
    engine: str | None = None
    seed: int | None = None


class Generation(StoredAudio):
    """Generated audio in the store; ``details``: a sound engine's understood and ignored
    words, or a composer's plan."""

    details: dict[str, Any]


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


def _sound(engine: Engine, spec: GenerationInput) -> tuple[Audio, dict[str, Any]]:
    made = cast(SoundEngine, engine).generate(spec.prompt, spec.duration, spec.seed)
    return made.audio, {"understood": list(made.understood), "ignored": list(made.ignored)}


def _music(engine: Engine, spec: GenerationInput) -> tuple[Audio, dict[str, Any]]:
    made = cast(MusicEngine, engine).compose(spec.prompt, spec.duration, spec.seed)
    return made.audio, dict(made.plan)


@dataclass(frozen=True, slots=True)
class _Kind:
    """Everything that tells sound effects from music."""

    task: Task
    feature: str
    call: Call[GenerationInput, Generation]
    job: JobKind[GenerationInput]
    default: float
    maximum: float
    make: Callable[[Engine, GenerationInput], tuple[Audio, dict[str, Any]]]


class SoundService(EngineService):
    def __init__(
        self, parts: ServiceParts, jobs: JobService, settings: SoundServiceSettings
    ) -> None:
        super().__init__(parts)
        self._jobs = jobs
        self.settings = settings
        self._kinds: dict[SoundKind, _Kind] = {
            "sound": _Kind(
                Task.SOUND,
                "sound_effect",
                Call("sound.generate", GenerationInput, Generation),
                JobKind("sound", GenerationInput),
                settings.sound_default_seconds,
                settings.sound_max_seconds,
                _sound,
            ),
            "music": _Kind(
                Task.MUSIC,
                "music",
                Call("music.compose", GenerationInput, Generation),
                JobKind("music", GenerationInput),
                settings.music_default_seconds,
                settings.music_max_seconds,
                _music,
            ),
        }

    def register(self, handlers: Handlers) -> None:
        for kind in self._kinds.values():
            handlers.register_call(kind.call, partial(self._generate, kind))
            handlers.register_job(kind.job, partial(self._job, kind))

    # -- use cases ------------------------------------------------------------------------------

    def sound_effect(self, principal: Principal, req: AudioRequest) -> GeneratedAudio:
        return self.generate(principal, "sound", req)

    def music(self, principal: Principal, req: AudioRequest) -> GeneratedAudio:
        return self.generate(principal, "music", req)

    def generate(self, principal: Principal, kind: SoundKind, req: AudioRequest) -> GeneratedAudio:
        """Generate now; priced per started second, refunded if generation fails."""
        spec = self._input(self._kinds[kind], req)
        units = self.units(spec.duration)
        with self._metering.charge(principal, self._kinds[kind].feature, units) as charge:
            out = self._executor.call(self._kinds[kind].call, spec)
        return GeneratedAudio(
            blob_id=out.blob_id,
            duration=out.duration,
            format=out.format,
            mime_type=out.mime_type,
            engine=out.engine,
            details=dict(out.details),
            credits_used=charge.held.amount,
            credits_remaining=charge.remaining,
        )

    def submit(
        self,
        principal: Principal,
        kind: SoundKind,
        req: AudioRequest,
        *,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> JobView:
        """Generate as a job; the price is held now."""
        spec = self._input(self._kinds[kind], req)
        units = self.units(spec.duration)
        feature = self._kinds[kind].feature
        return self._jobs.submit(
            principal,
            self._kinds[kind].job,
            spec,
            feature=feature,
            amount=self._metering.prices.cost(feature, units),
            quantity=units,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
        )

    def seconds(self, kind: SoundKind, duration: float | None) -> float:
        """The duration a request of ``kind`` will have."""
        return self._validated_seconds(self._kinds[kind], duration)

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

    def _input(self, kind: _Kind, req: AudioRequest) -> GenerationInput:
        """Check the request before anything is charged; the call's input."""
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
        return GenerationInput(
            prompt=prompt,
            duration=self._validated_seconds(kind, req.duration),
            format=req.format,
            engine=req.engine or None,
            seed=req.seed,
        )

    # -- the inference steps ----------------------------------------------------------------

    def _generate(self, kind: _Kind, spec: GenerationInput) -> Generation:
        """``sound.generate`` / ``music.compose``: make the audio and keep it in the store."""
        with self._engines.lease(kind.task, spec.engine) as engine:
            audio, details = kind.make(engine, spec)
            name = engine.info.name
        stored = store_audio(self._storage, audio, spec.format, name)
        return Generation(**stored.model_dump(), details=details)

    def _job(self, kind: _Kind, _ctx: JobContext, spec: GenerationInput) -> JobOutcome:
        return JobOutcome(self._generate(kind, spec))
