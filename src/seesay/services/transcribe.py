"""Speech to text as a use case: decode, price by the minute, transcribe (or translate to
English), settle.

Contract of :meth:`TranscribeService.transcribe`:
- the upload is decoded first (``media.audio_decode`` with the stt settings' byte and duration
  caps), and the language and engine are checked, all before anything is charged: bad input
  raises ``InvalidAudio`` / ``PayloadTooLarge`` / ``UnsupportedLanguage`` / ``InvalidRequest``
  and costs nothing;
- the price is ``transcription`` per *started* minute of decoded audio (the WebVoice spec bills
  a 10.5 s file as one minute), held before inference and settled after; an engine failure
  refunds it;
- inference is the registered call ``transcribe.run``: the upload travels to it as a blob id
  in the shared store (JSON in, JSON out), so it runs in this process in the embedded mode
  and on a worker in the distributed mode; the blob is deleted afterwards. Its deadline grows
  with the audio's length (``DeadlineSettings.transcribe_per_audio_second``); past it the call
  raises ``EngineTimeout`` and the hold is refunded.

``TranscriptionResult.credits_used`` / ``credits_remaining`` are millicredits (1 credit =
1000), like every service result; surfaces divide by 1000 for their wire format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

from seesay.accounts.service import Principal
from seesay.engines import languages
from seesay.engines.base import Segment, SttEngine, Task, Word
from seesay.engines.stt.settings import SttSettings
from seesay.errors import EngineUnavailable, InvalidRequest, UnsupportedLanguage
from seesay.jobs.contracts import Call, Contract
from seesay.jobs.handlers import Handlers
from seesay.media.audio_decode import AudioLimits, decode_audio, measure_audio
from seesay.services.engine_service import EngineService, ServiceParts

__all__ = ["MAX_PROMPT_CHARS", "TranscribeService", "TranscriptionResult", "billable_minutes"]

MAX_PROMPT_CHARS = 2000


class TranscribeInput(Contract):
    """The input of ``transcribe.run``: a stored upload and how to transcribe it."""

    blob_id: str
    language: str | None = None  # None: detect
    translate: bool = False
    word_timestamps: bool = False
    prompt: str | None = None
    engine: str | None = None


class TranscribeOutput(Contract):
    text: str
    language: str
    duration: float
    segments: tuple[Segment, ...]  # pydantic reads and writes the dataclasses as JSON
    engine: str


TRANSCRIBE: Call[TranscribeInput, TranscribeOutput] = Call(
    "transcribe.run", TranscribeInput, TranscribeOutput
)


@dataclass(frozen=True, slots=True)
class TranscriptionResult:
    """A transcript (or its English translation when ``translate`` was asked).

    ``language`` is the spoken language as a BCP-47 tag (detected or as asked), ``duration``
    the decoded audio's seconds, ``words`` the word timings flattened from ``segments`` (empty
    unless ``word_timestamps`` was asked), ``engine`` the stt engine's name.
    """

    text: str
    language: str
    duration: float
    segments: tuple[Segment, ...]
    words: tuple[Word, ...]
    engine: str
    credits_used: int
    credits_remaining: int
    translated: bool = False


def billable_minutes(seconds: float) -> int:
    """Started minutes of audio, at least one."""
    return max(1, math.ceil(seconds / 60.0 - 1e-9))


class TranscribeService(EngineService):
    def __init__(self, parts: ServiceParts, settings: SttSettings) -> None:
        super().__init__(parts)
        self._limits = AudioLimits(
            max_bytes=settings.max_upload_bytes, max_seconds=settings.max_audio_seconds
        )

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(TRANSCRIBE, self.run)

    @property
    def limits(self) -> AudioLimits:
        return self._limits

    def engine_names(self) -> list[str]:
        """The configured stt engines, default first."""
        return self._engines.names(Task.STT)

    # -- the use case ---------------------------------------------------------------------

    def transcribe(
        self,
        principal: Principal,
        audio_bytes: bytes,
        *,
        filename: str | None = None,
        language: str | None = None,
        translate: bool = False,
        word_timestamps: bool = False,
        prompt: str | None = None,
        engine: str | None = None,
    ) -> TranscriptionResult:
        """Transcribe ``audio_bytes`` (a whole file); ``language`` None/"auto" detects it.

        ``translate`` gives English text (Whisper's translate task). ``engine`` names a
        configured stt engine (None: the default). ``filename`` only names the stored upload's
        suffix; the format is always sniffed from the bytes.
        """
        name = self._check_engine(engine)
        tag = self._check_language(name, language)
        if prompt is not None and len(prompt) > MAX_PROMPT_CHARS:
            raise InvalidRequest(
                f"prompt is longer than {MAX_PROMPT_CHARS} characters", param="prompt"
            )
        seconds = measure_audio(audio_bytes, self._limits)
        minutes = billable_minutes(seconds)
        blob_id = self._storage.put(
            audio_bytes, content_type="application/octet-stream", suffix=_suffix(filename)
        )
        try:
            with self._metering.charge(principal, "transcription", minutes) as charge:
                out = self._executor.call(
                    TRANSCRIBE,
                    TranscribeInput(
                        blob_id=blob_id,
                        language=tag,
                        translate=translate,
                        word_timestamps=word_timestamps,
                        prompt=prompt or None,
                        engine=name,
                    ),
                    audio_seconds=seconds,
                )
        finally:
            self._storage.delete(blob_id)
        segments = out.segments
        return TranscriptionResult(
            text=out.text,
            language=out.language,
            duration=out.duration,
            segments=segments,
            words=tuple(w for s in segments for w in s.words),
            engine=out.engine,
            credits_used=charge.held.amount,
            credits_remaining=charge.remaining,
            translated=translate,
        )

    def _check_engine(self, engine: str | None) -> str:
        names = self._engines.names(Task.STT)
        if not names:
            raise EngineUnavailable("no speech-to-text engine is configured")
        if engine is None:
            return names[0]
        if engine not in names:
            raise InvalidRequest(
                f"unknown speech-to-text engine {engine!r}; configured: {', '.join(names)}",
                param="model",
            )
        return engine

    def _check_language(self, engine: str, language: str | None) -> str | None:
        if languages.is_auto(language):
            return None
        assert language is not None
        tag = languages.normalize(language)
        info = next(i for i in self._engines.infos(Task.STT) if i.name == engine)
        if info.languages and languages.best_match(tag, info.languages) is None:
            raise UnsupportedLanguage(
                f"the {engine} engine does not transcribe {tag}",
                param="language",
                details={"supported": list(info.languages)},
            )
        return tag

    # -- the inference step ---------------------------------------------------------------

    def run(self, spec: TranscribeInput) -> TranscribeOutput:
        """``transcribe.run``: decode the stored upload and transcribe it."""
        audio = decode_audio(self._storage.get(spec.blob_id), self._limits)
        with self._engines.lease(Task.STT, spec.engine) as leased:
            engine = cast(SttEngine, leased)
            transcript = engine.transcribe(
                audio,
                spec.language,
                translate=spec.translate,
                word_timestamps=spec.word_timestamps,
                prompt=spec.prompt,
            )
        return TranscribeOutput(
            text=transcript.text,
            language=transcript.language,
            duration=round(audio.duration, 3),
            segments=transcript.segments,
            engine=engine.info.name,
        )


def _suffix(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    ext = filename.rsplit(".", 1)[1].lower()
    return "." + ext if ext.isalnum() and len(ext) <= 10 and ext.isascii() else ""
