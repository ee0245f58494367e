"""Voice cloning as a use case, and speech in cloned (or catalogue) voices as jobs.

Cloning: the caller's consent is checked and recorded, the sample is checked (MP3, WAV or
WebM by its bytes, at most 20 MB, decodable, long enough) before anything is charged, stored
in the blob store, and analysed by the registered call ``clone.analyse`` (in this process
embedded, on a worker distributed: the sample travels as a blob id). The voice row is written
inside the charge, so a failure anywhere refunds the 1000 credits. ``submit_clone`` does the
same as the job kind ``voice_clone`` (the voice stays PROCESSING until the job ends).

Speech: ``submit_speech`` checks the text (at most 5000 UTF-8 bytes), format and voice (the
caller's own COMPLETED clone, or a catalogue voice), reserves one credit per UTF-8 byte and
queues the job kind ``clone_speech``; the runner settles on success and refunds on failure.
A finished job counts one use of its voice, once however often it ran. ``speak`` does the
same synchronously for the native ``/v1/speech`` through the registered call
``clone.synthesize``.

Language: analysis also asks a local speech-to-text engine that identifies languages which
language the sample speaks (kept in the profile as ``language``). Speech in ``auto`` (the
Voice Clone spec has no language field) is in the text's language only when lingua is
confident, else in the sample's language (a clone made before this was recorded: its base
voice's), else the account's last, else English (``SpeechService.language_for``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from seesay.accounts.service import Principal
from seesay.db.models import ClonedVoice
from seesay.engines import languages
from seesay.engines.base import Audio, CloneEngine, SttEngine, Task, VoiceProfile
from seesay.errors import InvalidAudio, InvalidRequest, NotFound, SeeSayError
from seesay.jobs.contracts import Call, Contract, JobKind, JobOutcome
from seesay.jobs.handlers import Handlers, JobContext, error_to_dict
from seesay.jobs.service import JobService
from seesay.jobs.store import JobView
from seesay.media.audio_decode import AudioLimits, decode_audio
from seesay.services.audio_settings import CloneSettings
from seesay.services.clone_voices import (
    CONSENT_STATEMENT,
    SAMPLE_FORMATS,
    SYSTEM_VOICE_DATE,
    VoiceRepository,
    VoiceView,
    new_voice_id,
    sniff_sample_format,
)
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.speech import (
    SpeechResult,
    SpeechService,
    SpokenJob,
    Synthesis,
    SynthesisInput,
    store_audio,
)

__all__ = [
    "CLONE_JOB",
    "CLONE_SPEECH_FORMATS",
    "CLONE_SPEECH_JOB",
    "CloneRequest",
    "CloneService",
    "CloneSpeechRequest",
    "SpeechTask",
    "VoicePage",
]

CLONE_SPEECH_FORMATS = ("mp3", "wav", "opus", "pcm")
ANALYSIS_RATE = 24_000  # Hz: enough for F0 and the formants, cheaper than 44.1 kHz
# Whisper names the language from the start of the audio, and transcribing costs about as
# long as the audio on a small machine (4-6 s for a 6.5 s sample on 2 busy cores): the first
# 8 s are enough to tell. Below this probability the sample's language is left unknown.
SAMPLE_LANGUAGE_SECONDS = 8.0
SAMPLE_LANGUAGE_MIN_PROBABILITY = 0.5
SORT_KEYS = ("createdAt", "updatedAt", "title", "duration", "popularity")
_STATUS = {"queued": "PROCESSING", "running": "PROCESSING", "succeeded": "COMPLETED"}


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


ANALYSE: Call[SampleInput, Analysis] = Call("clone.analyse", SampleInput, Analysis)
CLONE_SYNTHESIZE: Call[CloneSpeechInput, Synthesis] = Call(
    "clone.synthesize", CloneSpeechInput, Synthesis
)
CLONE_JOB: JobKind[SampleInput] = JobKind("voice_clone", SampleInput)
CLONE_SPEECH_JOB: JobKind[CloneSpeechInput] = JobKind("clone_speech", CloneSpeechInput)


@dataclass(frozen=True, slots=True)
class CloneRequest:
    sample: bytes
    title: str | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    cover_image: str | None = None
    consent: bool | None = None  # None: not sent (the surface decides whether that is enough)


@dataclass(frozen=True, slots=True)
class CloneSpeechRequest:
    """Speech asked in ``voice_id`` (the caller's clone or a catalogue voice); ``language``
    auto: see the module doc."""

    text: str
    voice_id: str
    format: str = "mp3"
    language: str = "auto"
    speed: float = 1.0


@dataclass(frozen=True, slots=True)
class VoicePage:
    voices: list[VoiceView]
    total: int


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


class CloneService(EngineService):
    def __init__(
        self,
        repo: VoiceRepository,
        parts: ServiceParts,
        jobs: JobService,
        speech: SpeechService,
        settings: CloneSettings,
    ) -> None:
        super().__init__(parts)
        self.repo = repo
        self._jobs = jobs
        self._speech = speech
        self.settings = settings

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(ANALYSE, self.analyse)
        handlers.register_call(CLONE_SYNTHESIZE, self._synthesize)
        handlers.register_job(CLONE_JOB, self._clone_job)
        handlers.register_job(CLONE_SPEECH_JOB, self._speech_job)

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
                return self.repo.add(row)
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
        self.repo.add(row)
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
            return self.voice(principal, str(first)), job
        self.repo.set_job(row.id, job.id)
        return self.voice(principal, row.id), job

    def _discard(self, row: ClonedVoice) -> None:
        self.repo.delete(row.id)
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

    @contextmanager
    def _clone_engine(self, name: str) -> Iterator[CloneEngine]:
        with self._engines.lease(Task.CLONE, name or None) as engine:
            yield cast(CloneEngine, engine)

    # -- the inference steps ------------------------------------------------------------------

    def analyse(self, sample: SampleInput) -> Analysis:
        """``clone.analyse``: the stored sample's voice profile and duration."""
        audio = self._decode(self._storage.get(sample.blob_id))
        with self._clone_engine(sample.engine or "") as engine:
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
            self.repo.fail(voice_id, error_to_dict(exc))
            raise
        self.repo.complete(voice_id, out.profile, out.duration)
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

    # -- voices -------------------------------------------------------------------------------

    def voice(self, principal: Principal, voice_id: str) -> VoiceView:
        """The caller's clone or a catalogue voice; ``NotFound`` otherwise."""
        system = self._system_voice(voice_id)
        if system is not None:
            return system
        return self._reconciled(
            principal, self.repo.get(principal.account_id, principal.mode, voice_id)
        )

    def clones(self, principal: Principal) -> list[VoiceView]:
        return [
            self._reconciled(principal, v)
            for v in self.repo.for_account(principal.account_id, principal.mode)
        ]

    def list_voices(
        self,
        principal: Principal,
        *,
        page: int = 1,
        limit: int = 20,
        status: str | None = None,
        type_: str | None = None,
        sort_by: str = "createdAt",
        sort_order: str = "desc",
    ) -> VoicePage:
        """The caller's clones and the catalogue's voices, filtered, sorted and paged."""
        if sort_by not in SORT_KEYS:
            raise InvalidRequest(f"sortBy must be one of {', '.join(SORT_KEYS)}", param="sortBy")
        voices: list[VoiceView] = []
        if type_ in (None, "USER"):
            voices += self.clones(principal)
        if type_ in (None, "SYSTEM"):
            voices += self.system_voices()
        if status:
            voices = [v for v in voices if v.status == status]

        def key(v: VoiceView) -> Any:
            return {
                "createdAt": v.created_at,
                "updatedAt": v.updated_at,
                "title": v.title.lower(),
                "duration": v.duration,
                "popularity": v.popularity,
            }[sort_by]

        voices.sort(key=key, reverse=sort_order == "desc")
        start = (page - 1) * limit
        return VoicePage(voices[start : start + limit], len(voices))

    def system_voices(self) -> list[VoiceView]:
        """The catalogue voices that can speak (one that cannot be loaded is not offered)."""
        catalogue = self._speech.catalogue.available_voices()
        uses = self.repo.use_counts([v.id for v in catalogue])
        return [self._system_view(v.id, uses.get(v.id, 0)) for v in catalogue]

    def _system_voice(self, voice_id: str) -> VoiceView | None:
        if self._speech.catalogue.voice(voice_id) is None:
            return None
        return self._system_view(voice_id, self.repo.use_counts([voice_id]).get(voice_id, 0))

    def _system_view(self, voice_id: str, uses: int) -> VoiceView:
        v = self._speech.catalogue.voice(voice_id)
        assert v is not None
        return VoiceView(
            id=v.id,
            type="SYSTEM",
            title=v.name,
            description=v.description,
            status="COMPLETED",
            engine=v.engine,
            duration=0.0,
            usage_count=uses,
            created_at=SYSTEM_VOICE_DATE,
            updated_at=SYSTEM_VOICE_DATE,
            tags=tuple(t for t in (v.language, v.gender) if t),
            is_public=True,
            language=v.language,
            gender=v.gender,
            method="a bundled text-to-speech voice",
        )

    def _reconciled(self, principal: Principal, view: VoiceView) -> VoiceView:
        """A PROCESSING clone whose job failed or was cancelled is FAILED (the job runner,
        not this service, records job failures, so the voice catches up when read)."""
        if view.status != "PROCESSING" or not view.job_id:
            return view
        try:
            job = self._jobs.get(principal, view.job_id)
        except NotFound:
            return view
        if job.status in ("failed", "cancelled"):
            error = job.error or {"code": job.status, "message": f"the clone job was {job.status}"}
            self.repo.fail(view.id, error)
            return replace(view, status="FAILED", error=error)
        return view

    # -- speech ---------------------------------------------------------------------------------

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
        if size > self.settings.max_text_bytes:
            raise InvalidRequest(
                f"Text exceeds maximum length of {self.settings.max_text_bytes} bytes",
                param="text",
            )
        if req.format not in CLONE_SPEECH_FORMATS:
            raise InvalidRequest(
                f"format must be one of {', '.join(CLONE_SPEECH_FORMATS)}", param="format"
            )
        if not 0.25 <= req.speed <= 4.0:
            raise InvalidRequest("speed must be between 0.25 and 4.0", param="speed")
        voice = self.voice(principal, req.voice_id)
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
        self.repo.record_use(ctx.job_id, voice.id, ctx.account_id, clone=voice.type == "USER")
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
        with self._clone_engine(voice.engine or "") as engine:
            audio = engine.synthesize(spec.text, profile, spec.language, spec.speed)
            name = engine.info.name
        stored = store_audio(self._storage, audio, spec.format, name)
        return Synthesis(**stored.model_dump(), voice=voice.id, language=spec.language)

    # -- speech now, for the native API ------------------------------------------------------

    def owned_clone(self, principal: Principal, voice_id: str | None) -> VoiceView | None:
        """The caller's clone ``voice_id``, or None when it names no clone of theirs."""
        if not voice_id or not voice_id.startswith("cl") or self._system_voice(voice_id):
            return None
        try:
            return self.voice(principal, voice_id)
        except NotFound:
            return None

    def speak(self, principal: Principal, req: CloneSpeechRequest) -> SpeechResult:
        """Speak ``req`` now in the caller's clone (native ``/v1/speech``): one credit per
        UTF-8 byte, as clone speech costs everywhere, refunded if synthesis fails."""
        spec = self._speech_input(principal, req)
        with self._metering.charge(principal, "clone_speech", spec.credits) as charge:
            out = self._executor.call(CLONE_SYNTHESIZE, spec)
        self.repo.record_use(
            "sync_" + out.blob_id.split(".")[0], req.voice_id, principal.account_id, clone=True
        )
        self._speech.remember(principal.account_id, spec.language)
        return self._speech.result(out, charge)
