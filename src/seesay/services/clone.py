"""Voice cloning as a use case: a sample in, a COMPLETED (or, as a job, PROCESSING) voice out.

The caller's consent is checked and recorded, the sample is checked (MP3, WAV or WebM by its
bytes, at most 20 MB, decodable, long enough) before anything is charged, stored in the blob
store, and analysed by the registered call ``clone.analyse`` (in this process embedded, on a
worker distributed: the sample travels as a blob id). The voice row is written inside the
charge, so a failure anywhere refunds the 1000 credits. ``submit_clone`` does the same as the
job kind ``voice_clone`` (the voice stays PROCESSING until the job ends).

Language: analysis also asks a local speech-to-text engine that identifies languages which
language the sample speaks (kept in the profile as ``language``); speech in a clone
(``seesay.services.clone_speech``) falls back to it when the text's language is unclear.
Reading voices back is ``seesay.services.voice_library``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from seesay.accounts.service import Principal
from seesay.db.models import ClonedVoice
from seesay.engines.base import Audio, CloneEngine, SttEngine, Task
from seesay.engines.registry import EngineRegistry
from seesay.errors import InvalidAudio, InvalidRequest, SeeSayError
from seesay.jobs.contracts import Call, Contract, JobKind, JobOutcome
from seesay.jobs.handlers import Handlers, JobContext, error_to_dict
from seesay.jobs.service import JobService
from seesay.jobs.store import JobView
from seesay.media.audio_decode import AudioLimits, decode_audio
from seesay.services.audio_settings import CloneSettings
from seesay.services.clone_voices import (
    CONSENT_STATEMENT,
    SAMPLE_FORMATS,
    VoiceView,
    new_voice_id,
    sniff_sample_format,
)
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.voice_library import VoiceLibrary

__all__ = [
    "CLONE_JOB",
    "CloneRequest",
    "CloneService",
    "lease_clone_engine",
]

ANALYSIS_RATE = 24_000  # Hz: enough for F0 and the formants, cheaper than 44.1 kHz
# Whisper names the language from the start of the audio, and transcribing costs about as
# long as the audio on a small machine (4-6 s for a 6.5 s sample on 2 busy cores): the first
# 8 s are enough to tell. Below this probability the sample's language is left unknown.
SAMPLE_LANGUAGE_SECONDS = 8.0
SAMPLE_LANGUAGE_MIN_PROBABILITY = 0.5


@contextmanager
def lease_clone_engine(engines: EngineRegistry, name: str) -> Iterator[CloneEngine]:
    """The clone engine ``name`` (the first configured when empty), leased while in use."""
    with engines.lease(Task.CLONE, name or None) as engine:
        yield cast(CloneEngine, engine)


@dataclass(frozen=True, slots=True)
class CloneRequest:
    """A voice sample to clone, what to call the voice, and the caller's consent."""

    sample: bytes
    title: str | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    cover_image: str | None = None
    consent: bool | None = None  # None: not sent (the surface decides whether that is enough)


class SampleInput(Contract):
    """The input of ``clone.analyse`` and the payload of a ``voice_clone`` job (which also
    names the PROCESSING voice row it completes)."""

    blob_id: str
    engine: str | None = None
    voice_id: str | None = None
    title: str = ""


class Analysis(Contract):
    profile: dict[str, Any]  # ``VoiceProfile.to_json()``, plus the sample's ``language``
    duration: float


class ClonedVoiceOut(Contract):
    """The result of a ``voice_clone`` job."""

    voice_id: str
    voice: dict[str, Any]
    status: str
    duration: float
    method: str
    blob_id: str


ANALYSE: Call[SampleInput, Analysis] = Call("clone.analyse", SampleInput, Analysis)
CLONE_JOB: JobKind[SampleInput] = JobKind("voice_clone", SampleInput)


class CloneService(EngineService):
    """Cloning a voice from a sample, now or as a ``voice_clone`` job."""

    def __init__(
        self,
        library: VoiceLibrary,
        parts: ServiceParts,
        jobs: JobService,
        settings: CloneSettings,
    ) -> None:
        super().__init__(parts)
        self._library = library
        self._repo = library.repo
        self._jobs = jobs
        self.settings = settings

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(ANALYSE, self.analyse)
        handlers.register_job(CLONE_JOB, self._clone_job)

    # -- cloning ------------------------------------------------------------------------------

    def clone(
        self, principal: Principal, req: CloneRequest, *, consent_required: bool
    ) -> VoiceView:
        """Clone now: 1000 credits, refunded if analysis or storing fails."""
        row = self._prepare(principal, req, consent_required=consent_required)
        try:
            with self._metering.charge(principal, "voice_clone", 1):
                out = self._executor.call(
                    ANALYSE, SampleInput(blob_id=row.sample_blob_id, engine=row.engine)
                )
                row.status = "COMPLETED"
                row.profile = out.profile
                row.duration = out.duration
                return self._repo.add(row)
        except BaseException:
            self._storage.delete(row.sample_blob_id)
            raise

    def submit_clone(
        self,
        principal: Principal,
        req: CloneRequest,
        *,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> tuple[VoiceView, JobView]:
        """Clone as a job; the voice is PROCESSING until the job finishes."""
        row = self._prepare(principal, req, consent_required=True)
        price = self._metering.prices.cost("voice_clone", 1)
        payload = SampleInput(
            blob_id=row.sample_blob_id, engine=row.engine, voice_id=row.id, title=row.title
        )
        # The row exists before the job can run, so the job always finds it to complete.
        self._repo.add(row)
        try:
            job = self._jobs.submit(
                principal,
                CLONE_JOB,
                payload,
                feature="voice_clone",
                amount=price,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
            )
        except BaseException:
            self._discard(row)
            raise
        first = CLONE_JOB.payload(job.payload).voice_id
        if first != row.id:  # an idempotent retry: the first voice
            self._discard(row)
            return self._library.voice(principal, str(first)), job
        self._repo.set_job(row.id, job.id)
        return self._library.voice(principal, row.id), job

    def _discard(self, row: ClonedVoice) -> None:
        self._repo.delete(row.id)
        self._storage.delete(row.sample_blob_id)

    def _prepare(
        self, principal: Principal, req: CloneRequest, *, consent_required: bool
    ) -> ClonedVoice:
        """Check everything the caller can fix, store the sample, build the PROCESSING row."""
        if req.consent is False or (req.consent is None and consent_required):
            raise InvalidRequest(
                "consent must be true: confirm that you have the right to clone this voice "
                f"({CONSENT_STATEMENT})",
                param="consent",
            )
        if len(req.description) > 500:
            raise InvalidRequest("description must be at most 500 characters", param="description")
        fmt = sniff_sample_format(req.sample, self.settings.max_sample_bytes)
        duration = self._decode(req.sample).duration
        if duration < self.settings.min_sample_seconds:
            raise InvalidAudio(
                f"the voice sample is {duration:.1f} s long; at least "
                f"{self.settings.min_sample_seconds:g} s of speech is needed",
                param="voice",
            )
        engine = self._engine_name()
        now = datetime.now(UTC)
        title = (req.title or "").strip()[:200] or f"Voice {now:%Y-%m-%d %H:%M:%S}"
        blob_id = self._storage.put(req.sample, content_type=SAMPLE_FORMATS[fmt], suffix="." + fmt)
        return ClonedVoice(
            id=new_voice_id(),
            account_id=principal.account_id,
            mode=principal.mode,
            title=title,
            description=req.description,
            tags=list(req.tags),
            cover_image=req.cover_image,
            status="PROCESSING",
            engine=engine,
            sample_blob_id=blob_id,
            sample_format=fmt,
            duration=round(duration, 3),
            usage_count=0,
            consent_at=now,
            consent_text=CONSENT_STATEMENT,
            consent_source="implied" if req.consent is None else "explicit",
            created_at=now,
            updated_at=now,
        )

    def _decode(self, data: bytes) -> Any:
        limits = AudioLimits(
            max_bytes=self.settings.max_sample_bytes,
            max_seconds=self.settings.max_sample_seconds,
            target_rate=ANALYSIS_RATE,
        )
        try:
            return decode_audio(data, limits)
        except InvalidAudio as exc:
            raise InvalidAudio(exc.message, param="voice", details=exc.details) from None

    def _engine_name(self) -> str:
        name = self.settings.engine
        if name is None:
            names = self._engines.names(Task.CLONE)
            name = names[0] if names else ""
        self._engines.get(Task.CLONE, name or None)  # EngineUnavailable before any charge
        return name

    # -- the inference steps ------------------------------------------------------------------

    def analyse(self, sample: SampleInput) -> Analysis:
        """``clone.analyse``: the stored sample's voice profile and duration."""
        audio = self._decode(self._storage.get(sample.blob_id))
        with lease_clone_engine(self._engines, sample.engine or "") as engine:
            profile = engine.analyse(audio).to_json()
        language = self._sample_language(audio)
        if language:
            profile["language"] = language
        return Analysis(profile=profile, duration=round(audio.duration, 3))

    def _sample_language(self, audio: Audio) -> str | None:
        """The language spoken in the sample, by the first local speech-to-text engine that
        identifies languages; None when there is none, it fails or it is unsure."""
        for info in self._engines.infos(Task.STT):
            if info.local and info.extra.get("detects_language"):
                head = round(SAMPLE_LANGUAGE_SECONDS * audio.sample_rate)
                try:
                    with self._engines.lease(Task.STT, info.name) as stt:
                        heard = cast(SttEngine, stt).transcribe(
                            Audio(audio.samples[:head], audio.sample_rate), None
                        )
                except SeeSayError:
                    return None
                sure = (heard.language_probability or 0.0) >= SAMPLE_LANGUAGE_MIN_PROBABILITY
                return heard.language if sure and heard.text.strip() else None
        return None

    def _clone_job(self, ctx: JobContext, sample: SampleInput) -> JobOutcome:
        voice_id = str(sample.voice_id)
        try:
            out = self.analyse(sample)
        except InvalidRequest as exc:  # a permanent failure: the job fails and is refunded
            self._repo.fail(voice_id, error_to_dict(exc))
            raise
        self._repo.complete(voice_id, out.profile, out.duration)
        return JobOutcome(
            ClonedVoiceOut(
                voice_id=voice_id,
                voice={"id": voice_id, "name": sample.title, "status": "ready"},
                status="COMPLETED",
                duration=out.duration,
                method=out.profile.get("method", ""),
                blob_id=sample.blob_id,
            )
        )
