"""Speech in cloned (or catalogue) voices: queued as jobs, or now for the native API.

``submit_speech`` checks the text (at most 5000 UTF-8 bytes), format and voice (the caller's
own COMPLETED clone, or a catalogue voice), reserves one credit per UTF-8 byte and queues the
job kind ``clone_speech``; the runner settles on success and refunds on failure. A finished
job counts one use of its voice, once however often it ran. ``speak`` does the same
synchronously for the native ``/v1/speech`` through the registered call ``clone.synthesize``.

Language: speech in ``auto`` (the Voice Clone spec has no language field) is in the text's
language only when lingua is confident, else in the sample's language (a clone made before
this was recorded: its base voice's), else the account's last, else English
(``SpeechService.language_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from seesay.accounts.service import Principal
from seesay.engines import languages
from seesay.engines.base import VoiceProfile
from seesay.errors import InvalidRequest, NotFound
from seesay.jobs.contracts import Call, Contract, JobKind, JobOutcome
from seesay.jobs.handlers import Handlers, JobContext
from seesay.jobs.service import JobService
from seesay.jobs.store import JobView
from seesay.services.audio_settings import CloneSettings
from seesay.services.clone import lease_clone_engine
from seesay.services.clone_voices import VoiceView
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.speech import (
    SpeechResult,
    SpeechService,
    SpokenJob,
    Synthesis,
    SynthesisInput,
    store_audio,
)
from seesay.services.voice_library import VoiceLibrary

__all__ = [
    "CLONE_SPEECH_FORMATS",
    "CLONE_SPEECH_JOB",
    "CloneSpeechInput",
    "CloneSpeechRequest",
    "CloneSpeechService",
    "SpeakingVoice",
    "SpeechTask",
]

CLONE_SPEECH_FORMATS = ("mp3", "wav", "opus", "pcm")
_STATUS = {"queued": "PROCESSING", "running": "PROCESSING", "succeeded": "COMPLETED"}


@dataclass(frozen=True, slots=True)
class CloneSpeechRequest:
    """Speech asked in ``voice_id`` (the caller's clone or a catalogue voice); ``language``
    auto: see the module doc."""

    text: str
    voice_id: str
    format: str = "mp3"
    language: str = "auto"
    speed: float = 1.0


class SpeakingVoice(Contract):
    """The voice a clone speech speaks in, as the job keeps it: a clone with its profile, or
    a catalogue voice (``type`` SYSTEM)."""

    id: str
    title: str
    coverImage: str | None = None
    type: str
    engine: str | None = None
    profile: dict[str, Any] | None = None

    def public(self) -> dict[str, Any]:
        """What the Voice Clone surface shows of it."""
        return self.model_dump(exclude={"profile", "engine"})


class CloneSpeechInput(Contract):
    """The input of ``clone.synthesize`` and the payload of a ``clone_speech`` job."""

    text: str
    format: str
    language: str
    credits: int  # one per UTF-8 byte of ``text``
    voice: SpeakingVoice
    speed: float = 1.0


CLONE_SYNTHESIZE: Call[CloneSpeechInput, Synthesis] = Call(
    "clone.synthesize", CloneSpeechInput, Synthesis
)
CLONE_SPEECH_JOB: JobKind[CloneSpeechInput] = JobKind("clone_speech", CloneSpeechInput)


@dataclass(frozen=True, slots=True)
class SpeechTask:
    """A ``clone_speech`` job as the Voice Clone surface shows it."""

    id: str
    text: str
    format: str
    status: str  # PROCESSING | COMPLETED | FAILED
    credits_used: int  # credits (one per UTF-8 byte)
    created_at: datetime
    updated_at: datetime
    voice: dict[str, Any]
    blob_id: str | None = None
    duration: float | None = None
    error: dict[str, Any] | None = None


class CloneSpeechService(EngineService):
    """Speech in the caller's clones and the catalogue voices, as jobs or now."""

    def __init__(
        self,
        library: VoiceLibrary,
        parts: ServiceParts,
        jobs: JobService,
        speech: SpeechService,
        settings: CloneSettings,
    ) -> None:
        super().__init__(parts)
        self._library = library
        self._jobs = jobs
        self._speech = speech
        self._settings = settings

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(CLONE_SYNTHESIZE, self._synthesize)
        handlers.register_job(CLONE_SPEECH_JOB, self._speech_job)

    # -- as a job -----------------------------------------------------------------------------

    def submit_speech(
        self,
        principal: Principal,
        req: CloneSpeechRequest,
        *,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> SpeechTask:
        """Queue ``req``; one credit per UTF-8 byte of its text, held now."""
        payload = self._speech_input(principal, req)
        job = self._jobs.submit(
            principal,
            CLONE_SPEECH_JOB,
            payload,
            feature="clone_speech",
            amount=self._metering.prices.cost("clone_speech", payload.credits),
            quantity=payload.credits,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
        )
        return self._task(job)

    def speech_task(self, principal: Principal, speech_id: str) -> SpeechTask:
        """A speech job of the caller's account; another account's id is ``NotFound``."""
        try:
            job = self._jobs.get(principal, speech_id)
        except NotFound:
            job = None
        if job is None or job.kind != CLONE_SPEECH_JOB.name:
            raise NotFound("Speech not found or access denied", param="speechId")
        return self._task(job)

    def _speech_input(self, principal: Principal, req: CloneSpeechRequest) -> CloneSpeechInput:
        """Check text, format and voice before anything is charged; the job/call payload."""
        size = len(req.text.encode("utf-8"))
        if not req.text.strip():
            raise InvalidRequest("text must not be empty", param="text")
        if size > self._settings.max_text_bytes:
            raise InvalidRequest(
                f"Text exceeds maximum length of {self._settings.max_text_bytes} bytes",
                param="text",
            )
        if req.format not in CLONE_SPEECH_FORMATS:
            raise InvalidRequest(
                f"format must be one of {', '.join(CLONE_SPEECH_FORMATS)}", param="format"
            )
        if not 0.25 <= req.speed <= 4.0:
            raise InvalidRequest("speed must be between 0.25 and 4.0", param="speed")
        voice = self._library.voice(principal, req.voice_id)
        if voice.status != "COMPLETED":
            raise NotFound("Voice not found or not available", param="voiceId")
        language = req.language
        if languages.is_auto(language):
            language = self._speech.language_for(
                principal, req.text, voice.id, voice_language=self._voice_language(voice)
            )
        return CloneSpeechInput(
            text=req.text,
            format=req.format,
            language=languages.normalize(language),
            credits=size,
            speed=req.speed,
            voice=SpeakingVoice(
                id=voice.id,
                title=voice.title,
                coverImage=voice.cover_image,
                type=voice.type,
                engine=voice.engine,
                profile=voice.profile,
            ),
        )

    def _voice_language(self, voice: VoiceView) -> str | None:
        """A clone's language: its sample's, else (an older clone) its base voice's."""
        if voice.type != "USER":
            return None  # a catalogue voice: the catalogue knows its language
        base = voice.base_voice.rpartition("/")[2]
        return voice.language or self._speech.catalogue.home_language(base or None)

    @staticmethod
    def _task(job: JobView) -> SpeechTask:
        spec = CLONE_SPEECH_JOB.payload(job.payload)
        result = job.result or {}
        return SpeechTask(
            id=job.id,
            text=spec.text,
            format=spec.format,
            status=_STATUS.get(job.status, "FAILED"),
            credits_used=spec.credits,
            created_at=job.created_at,
            updated_at=job.finished_at or job.started_at or job.created_at,
            voice=spec.voice.public(),
            blob_id=result.get("blob_id") if job.status == "succeeded" else None,
            # ``duration``: a job finished before results took the public names (SpokenJob).
            duration=result.get("duration_seconds", result.get("duration"))
            if job.status == "succeeded"
            else None,
            error=job.error if job.status in ("failed", "cancelled") else None,
        )

    def _speech_job(self, ctx: JobContext, spec: CloneSpeechInput) -> JobOutcome:
        out = self._synthesize(spec)
        voice = spec.voice
        self._library.repo.record_use(
            ctx.job_id, voice.id, ctx.account_id, clone=voice.type == "USER"
        )
        self._speech.remember(ctx.account_id, out.language)
        return JobOutcome(SpokenJob.of(out))

    def _synthesize(self, spec: CloneSpeechInput) -> Synthesis:
        """``clone.synthesize`` (and the speech job's body): speak ``spec.text`` in
        ``spec.voice`` (a clone with its profile, or a catalogue voice); the audio is stored
        and its blob id returned."""
        voice = spec.voice
        if voice.type == "SYSTEM":
            spoken = spec.model_dump(include={"text", "language", "speed", "format"})
            return self._speech.synthesize_to_store(SynthesisInput(voice=voice.id, **spoken))
        profile = VoiceProfile.from_json(voice.profile or {})
        with lease_clone_engine(self._engines, voice.engine or "") as engine:
            audio = engine.synthesize(spec.text, profile, spec.language, spec.speed)
            name = engine.info.name
        stored = store_audio(self._storage, audio, spec.format, name)
        return Synthesis(**stored.model_dump(), voice=voice.id, language=spec.language)

    # -- speech now, for the native API ------------------------------------------------------

    def owned_clone(self, principal: Principal, voice_id: str | None) -> VoiceView | None:
        """The caller's clone ``voice_id``, or None when it names no clone of theirs."""
        if not voice_id or not voice_id.startswith("cl") or self._library.system_voice(voice_id):
            return None
        try:
            return self._library.voice(principal, voice_id)
        except NotFound:
            return None

    def speak(self, principal: Principal, req: CloneSpeechRequest) -> SpeechResult:
        """Speak ``req`` now in the caller's clone (native ``/v1/speech``): one credit per
        UTF-8 byte, as clone speech costs everywhere, refunded if synthesis fails."""
        spec = self._speech_input(principal, req)
        with self._metering.charge(principal, "clone_speech", spec.credits) as charge:
            out = self._executor.call(CLONE_SYNTHESIZE, spec)
        self._library.repo.record_use(
            "sync_" + out.blob_id.split(".")[0], req.voice_id, principal.account_id, clone=True
        )
        self._speech.remember(principal.account_id, spec.language)
        return self._speech.result(out, charge)
