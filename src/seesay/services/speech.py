"""Text to speech as a use case: pick the voice, synthesize, encode, store, sign.

The synthesis step is the registered call ``speech.synthesize`` (and the job kind
``speech``), so it runs in this process in the embedded mode and on a worker in the
distributed mode; the audio travels back as a blob id in the shared store, never as bytes
through the queue.

The language of a request that does not name one (``auto``) is, in this order
(:meth:`SpeechService.language_for`): the text's own language when lingua is confident
(``languages.detect_confident``: enough letters and a clear lead, or a script that decides),
else the voice's language (a real voice's, or an alias's home language: ``if_sara`` speaks
Italian), else the language of the account's most recent successful speech, else English.
Short texts ("Open the door", "Format test.") thus never land on a language guessed from a
handful of letters. Every successful speech records its language for the account.

Who speaks is chosen by the voice catalogue and opened before speaking
(:meth:`SpeechService.speaker`): a voice whose files cannot be opened (a damaged pulled voice)
is passed over for the next best, and the answer says so (``fell_back``, ``reason``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from seesay.accounts.service import Principal
from seesay.engines import languages
from seesay.engines.base import Audio, EngineInfo, Task, TtsEngine
from seesay.engines.tts.catalogue import ResolvedVoice, VoiceCatalogue
from seesay.engines.tts.common import PreparesVoices
from seesay.errors import EngineUnavailable, InvalidRequest
from seesay.jobs.contracts import Call, Contract, JobKind, JobOutcome
from seesay.jobs.handlers import Handlers, JobContext
from seesay.jobs.service import JobService
from seesay.jobs.store import JobView
from seesay.media.audio_encode import FORMATS, encode
from seesay.services.account_language import AccountLanguages
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.metering import Charge
from seesay.storage import BlobStore, UrlSigner

__all__ = [
    "MAX_ASYNC_CHARS",
    "MAX_SYNC_CHARS",
    "SPEECH_JOB",
    "SYNTHESIZE",
    "SpeechRequest",
    "SpeechResult",
    "SpeechService",
    "SpokenJob",
    "StoredAudio",
    "Synthesis",
    "SynthesisInput",
    "store_audio",
]

MAX_SYNC_CHARS = 4096
MAX_ASYNC_CHARS = 20_000


class SynthesisInput(Contract):
    """The input of ``speech.synthesize`` and the payload of a ``speech`` job."""

    text: str
    voice: str | None = None
    language: str
    speed: float = 1.0
    format: str


class StoredAudio(Contract):
    """Audio encoded and kept in the blob store (its id, never its bytes, crosses the queue)."""

    blob_id: str
    duration: float
    format: str
    mime_type: str
    engine: str


class Synthesis(StoredAudio):
    """The result of ``speech.synthesize``: which voice spoke, in which language, and why
    another voice than the one asked for (``fell_back``, ``reason``)."""

    voice: str
    language: str
    fell_back: bool = False
    reason: str = ""


class SpokenJob(Contract):
    """The result of a finished speech job (``speech``, and ``clone_speech`` for a cloned
    voice), as ``GET /v1/jobs/{id}`` and its webhook show it: the names of the answer to a
    speech made now (``duration_seconds``, ``voice_fallback``). The audio is kept as its
    ``blob_id``, which the job presenter signs into ``audio_url`` each time it shows the job
    (a signed URL would expire while the job record lives on)."""

    blob_id: str
    duration_seconds: float
    format: str
    mime_type: str
    voice: str
    engine: str
    language: str
    voice_fallback: str | None = None

    @classmethod
    def of(cls, out: Synthesis) -> SpokenJob:
        return cls(
            blob_id=out.blob_id,
            duration_seconds=out.duration,
            format=out.format,
            mime_type=out.mime_type,
            voice=out.voice,
            engine=out.engine,
            language=out.language,
            voice_fallback=out.reason or None,
        )


SYNTHESIZE: Call[SynthesisInput, Synthesis] = Call("speech.synthesize", SynthesisInput, Synthesis)
SPEECH_JOB: JobKind[SynthesisInput] = JobKind("speech", SynthesisInput)


@dataclass(frozen=True, slots=True)
class SpeechRequest:
    text: str
    voice: str | None = None
    language: str = "en"
    speed: float = 1.0
    format: str = "mp3"

    def call_input(self) -> SynthesisInput:
        """The input of ``speech.synthesize`` (for a request already validated)."""
        return SynthesisInput(
            text=self.text,
            voice=self.voice,
            language=self.language,
            speed=self.speed,
            format=self.format,
        )


@dataclass(frozen=True, slots=True)
class SpeechResult:
    blob_id: str
    url_path: str
    duration: float
    format: str
    mime_type: str
    voice: str
    engine: str
    language: str
    fell_back: bool
    reason: str
    credits_used: int
    credits_remaining: int


class SpeechService(EngineService):
    def __init__(
        self,
        parts: ServiceParts,
        signer: UrlSigner,
        jobs: JobService,
        account_languages: AccountLanguages,
    ) -> None:
        super().__init__(parts)
        self._signer = signer
        self._jobs = jobs
        self._account_languages = account_languages
        self._catalogue: tuple[tuple[EngineInfo, ...], VoiceCatalogue] | None = None

    @property
    def catalogue(self) -> VoiceCatalogue:
        """The voices of the speech engines as they are now: rebuilt when an engine's info
        changes (a voice pulled with ``seesay models``), without a restart."""
        infos = tuple(self._engines.infos(Task.TTS))
        cached = self._catalogue
        if cached is None or cached[0] != infos:
            cached = self._catalogue = (infos, VoiceCatalogue(infos))
        return cached[1]

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(SYNTHESIZE, self.synthesize_to_store)
        handlers.register_job(SPEECH_JOB, self._job)

    # -- use cases ------------------------------------------------------------------------------

    def language_for(
        self,
        principal: Principal | None,
        text: str,
        voice: str | None,
        *,
        voice_language: str | None = None,
    ) -> str:
        """The language to speak ``text`` in when the caller did not name one (see the module
        doc). ``voice_language`` is the voice's own when the catalogue does not know it (a
        cloned voice's sample language); without a ``principal`` there is no account step."""
        found = languages.detect_confident(text)
        if found:
            return found
        own = voice_language or self.catalogue.home_language(voice)
        if own:
            return own
        last = self._account_languages.last(principal.account_id) if principal else None
        return last or "en"

    def remember(self, account_id: str, language: str) -> None:
        """Record ``language`` as the account's last speech language (after a success)."""
        self._account_languages.remember(account_id, language)

    def validate(
        self, req: SpeechRequest, *, max_chars: int, principal: Principal | None = None
    ) -> SpeechRequest:
        """Check the request before anything is charged; resolves the language tag (``auto``
        by :meth:`language_for`, for ``principal``'s account)."""
        text = req.text.strip()
        if not text:
            raise InvalidRequest("text must not be empty", param="text")
        if len(text) > max_chars:
            raise InvalidRequest(f"text is longer than {max_chars} characters", param="text")
        if not 0.25 <= req.speed <= 4.0:
            raise InvalidRequest("speed must be between 0.25 and 4.0", param="speed")
        if req.format not in FORMATS:
            raise InvalidRequest(
                f"format must be one of {', '.join(FORMATS)}", param="response_format"
            )
        language = req.language
        if languages.is_auto(language):
            language = self.language_for(principal, text, req.voice)
        language = languages.normalize(language)
        self.catalogue.resolve(req.voice, language)  # unknown voice / language: fail now
        return SpeechRequest(text, req.voice, language, req.speed, req.format)

    def speak(
        self, principal: Principal, req: SpeechRequest, *, max_chars: int = MAX_SYNC_CHARS
    ) -> SpeechResult:
        """Synthesize now; charged per character, refunded if synthesis fails."""
        req = self.validate(req, max_chars=max_chars, principal=principal)
        with self._metering.charge(principal, "speech", len(req.text)) as charge:
            out = self._executor.call(SYNTHESIZE, req.call_input())
        self.remember(principal.account_id, out.language)
        return self.result(out, charge)

    def submit(
        self,
        principal: Principal,
        req: SpeechRequest,
        *,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> JobView:
        req = self.validate(req, max_chars=MAX_ASYNC_CHARS, principal=principal)
        price = self._metering.prices.cost("speech", len(req.text))
        return self._jobs.submit(
            principal,
            SPEECH_JOB,
            req.call_input(),
            feature="speech",
            amount=price,
            quantity=len(req.text),
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
        )

    def signed_path(self, blob_id: str) -> str:
        return self._signer.url_path(blob_id)

    # -- the inference step -----------------------------------------------------------------

    @contextmanager
    def speaker(
        self, voice: str | None, language: str
    ) -> Iterator[tuple[ResolvedVoice, TtsEngine]]:
        """Who speaks ``language`` for the asked ``voice``, with its engine leased and the
        voice opened. A voice that cannot be opened is then known to the catalogue as such,
        which picks another (``fell_back``); a voice failing twice raises."""
        failed: set[tuple[str, str]] = set()
        while True:
            resolved = self.catalogue.resolve(voice, language)
            with self._engines.lease(Task.TTS, resolved.engine) as leased:
                engine = cast(TtsEngine, leased)
                if isinstance(engine, PreparesVoices):
                    try:
                        engine.prepare_voice(resolved.voice_id)
                    except EngineUnavailable:
                        key = (resolved.engine, resolved.voice_id)
                        if key in failed:
                            raise
                        failed.add(key)
                        continue
                yield resolved, engine
                return

    def synthesize_to_store(self, spec: SynthesisInput) -> Synthesis:
        """``speech.synthesize``: speak ``spec`` and keep the encoded audio in the store."""
        with self.speaker(spec.voice, spec.language) as (resolved, engine):
            audio = engine.synthesize(spec.text, resolved.voice_id, resolved.language, spec.speed)
        stored = store_audio(self._storage, audio, spec.format, resolved.engine)
        return Synthesis(
            **stored.model_dump(),
            voice=resolved.voice_id,
            language=resolved.language,
            fell_back=resolved.fell_back,
            reason=resolved.reason,
        )

    def _job(self, ctx: JobContext, spec: SynthesisInput) -> JobOutcome:
        out = self.synthesize_to_store(spec)
        self.remember(ctx.account_id, out.language)
        return JobOutcome(SpokenJob.of(out))

    def result(self, out: Synthesis, charge: Charge) -> SpeechResult:
        """The answer to a speech made now: ``out`` signed, and what ``charge`` took."""
        return SpeechResult(
            blob_id=out.blob_id,
            url_path=self._signer.url_path(out.blob_id),
            duration=out.duration,
            format=out.format,
            mime_type=out.mime_type,
            voice=out.voice,
            engine=out.engine,
            language=out.language,
            fell_back=out.fell_back,
            reason=out.reason,
            credits_used=charge.held.amount,
            credits_remaining=charge.remaining,
        )


def store_audio(storage: BlobStore, audio: Audio, fmt: str, engine: str) -> StoredAudio:
    """Encode ``audio`` as ``fmt`` and keep it in ``storage``."""
    encoded = encode(audio, fmt)
    blob_id = storage.put(encoded.data, content_type=encoded.mime_type, suffix="." + encoded.format)
    return StoredAudio(
        blob_id=blob_id,
        duration=round(encoded.duration, 3),
        format=encoded.format,
        mime_type=encoded.mime_type,
        engine=engine,
    )
