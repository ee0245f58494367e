"""The core job: an image in, its description spoken out, for one image now.

``speak`` checks everything a caller can get wrong first (options, voice, language, then the
image itself: fetched or decoded, see :class:`DescribeService`), holds one ``img2voice`` credit,
and runs the registered call ``img2voice.run``: describe (and translate), then synthesize,
encode and store the audio, all on one machine, so the distributed mode costs one queue round
trip. Any failure after the hold refunds it.

A language is accepted when the description can be written in it (by the vision engine or a
translation engine) *and* a configured voice speaks it; otherwise ``UnsupportedLanguage`` lists
the languages for which both hold.

``stream`` answers the audio as it is synthesized: the description comes from ``describe.run``
(wherever inference runs), then the speech engine's sentence stream is encoded in this process.

Many images at once, as a job: ``seesay.services.img2voice_batch``.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from seesay.accounts.service import Principal
from seesay.engines import languages
from seesay.errors import InvalidRequest, SeeSayError, UnsupportedLanguage
from seesay.jobs.contracts import Call, Contract
from seesay.jobs.handlers import Handlers
from seesay.media.audio_encode import FORMATS, MIME_TYPES, STREAMABLE_FORMATS, encode_stream
from seesay.media.images import decode_image
from seesay.services.describe import DescribeService
from seesay.services.describe_contracts import (
    DESCRIBE,
    DescribeInput,
    DescribeOutput,
    DescribeRequest,
    DescribeResult,
    describe_input,
    describe_result,
    new_request_id,
    timed,
)
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.image_input import ImageInput
from seesay.services.speech import SpeechService, Synthesis, SynthesisInput

__all__ = [
    "FEATURE",
    "CheckedRequest",
    "Img2VoiceInput",
    "Img2VoiceOutput",
    "Img2VoiceRequest",
    "Img2VoiceResult",
    "Img2VoiceService",
    "Img2VoiceStream",
    "SpeakOptions",
    "speak_options",
]

log = logging.getLogger(__name__)

FEATURE: Final = "img2voice"
ID_PREFIX: Final = "i2v"  # of the ids of answers made now


class SpeakOptions(Contract):
    """How a description is spoken: the voice (after the voice map), format and speed."""

    voice: str | None = None
    format: str
    speed: float = 1.0


class Img2VoiceInput(DescribeInput, SpeakOptions):
    """The input of ``img2voice.run``: a stored image, how to describe it and to speak it."""


class Img2VoiceOutput(DescribeOutput):
    """The result of ``img2voice.run``: the description and its speech in the store."""

    speech: Synthesis


IMG2VOICE: Call[Img2VoiceInput, Img2VoiceOutput] = Call(
    "img2voice.run", Img2VoiceInput, Img2VoiceOutput
)


@dataclass(frozen=True, slots=True)
class Img2VoiceRequest:
    image: ImageInput
    voice: str | None = "eve"
    language: str = "en"
    detail: str = "standard"
    format: str = "mp3"
    prompt: str | None = None
    speed: float = 1.0


@dataclass(frozen=True, slots=True)
class Img2VoiceResult:
    """A description made now (its ``engines`` name the speech engine as ``tts``) and its
    speech, kept in the store and served at the signed ``url_path``."""

    described: DescribeResult
    speech: Synthesis
    url_path: str
    voice_requested: str | None  # what the caller named

    @property
    def voice_fallback(self) -> str | None:
        """Why another voice than the one asked for spoke, if one did."""
        return self.speech.reason or None


@dataclass(frozen=True, slots=True)
class Img2VoiceStream:
    """A streamed answer: the description, and who speaks it (``voice_fallback``: why
    another voice than the one asked for, as in a stored answer), are known before the first
    audio byte."""

    id: str
    described: DescribeOutput
    voice: str
    engine: str
    mime_type: str
    format: str
    chunks: Generator[bytes, None, None]
    voice_fallback: str | None = None


@dataclass(frozen=True, slots=True)
class CheckedRequest:
    """What ``Img2VoiceService.validate`` settled for a request."""

    language: str
    voice: str | None  # what speaks, after the voice map
    asked: str | None  # what the caller named


def speak_options(req: Img2VoiceRequest, checked: CheckedRequest) -> SpeakOptions:
    """How ``req`` is spoken, with the voice ``checked`` settled on."""
    return SpeakOptions(voice=checked.voice, format=req.format, speed=req.speed)


class Img2VoiceService(EngineService):
    def __init__(
        self,
        parts: ServiceParts,
        describer: DescribeService,
        speech: SpeechService,
        *,
        voice_map: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(parts)
        self._voice_map = {lang: dict(m) for lang, m in (voice_map or {}).items()}
        self._describer = describer
        self._speech = speech

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(IMG2VOICE, self.run_call)

    # -- checks before charging ---------------------------------------------------------------

    def voice_for(self, voice: str | None, language: str) -> str | None:
        """The voice that speaks ``voice`` in ``language``, after the configured map."""
        if not voice:
            return voice
        mapped = self._voice_map.get(languages.primary(language), {})
        return mapped.get(voice.lower(), voice)

    def _speaks(self, voice: str | None) -> Any:
        def speaks(tag: str) -> bool:
            try:
                self._speech.catalogue.resolve(self.voice_for(voice, tag), tag)
            except SeeSayError:
                return False
            return True

        return speaks

    def validate(
        self, req: Img2VoiceRequest, *, formats: Sequence[str] = FORMATS
    ) -> CheckedRequest:
        """Options, voice and language; raises before anything is fetched or charged."""
        self._describer.check_options(DescribeRequest(req.image, req.detail, req.prompt))
        if req.format not in formats:
            raise InvalidRequest(
                f"output_format must be one of {', '.join(formats)}", param="output_format"
            )
        if not 0.25 <= req.speed <= 4.0:
            raise InvalidRequest("speed must be between 0.25 and 4.0", param="speed")
        voice = (req.voice or "").strip() or None
        # UnknownVoice for a name nobody has; with no English voice configured at all, the
        # language check below says what works.
        with contextlib.suppress(UnsupportedLanguage):
            self._speech.catalogue.resolve(voice, "en")
        language = self._describer.resolve_language(
            req.language, req.prompt, also=self._speaks(voice)
        )
        return CheckedRequest(language, self.voice_for(voice, language), voice)

    def supported_languages(self, voice: str | None = None) -> list[str]:
        return self._describer.supported(self._speaks(voice))

    # -- now ------------------------------------------------------------------------------------

    def speak(self, principal: Principal, req: Img2VoiceRequest) -> Img2VoiceResult:
        """Describe and speak now; one credit, refunded if any engine fails."""
        checked = self.validate(req)
        started = time.perf_counter()
        prepared, charge, stack = self._describer.begin(principal, FEATURE, req.image)
        with stack:
            described = describe_input(prepared, req.detail, req.prompt, checked.language)
            spec = Img2VoiceInput(
                **described.model_dump(), **speak_options(req, checked).model_dump()
            )
            out = self._executor.call(IMG2VOICE, spec)
        answer = describe_result(ID_PREFIX, out, prepared, started, charge)
        return Img2VoiceResult(
            described=replace(answer, engines={**out.engines, "tts": out.speech.engine}),
            speech=out.speech,
            url_path=self._speech.signed_path(out.speech.blob_id),
            voice_requested=checked.asked,
        )

    def stream(self, principal: Principal, req: Img2VoiceRequest) -> Img2VoiceStream:
        """Describe now, then yield the audio sentence by sentence as it is synthesized.

        The credit is held until the stream ends: settled when the last chunk was produced,
        refunded when synthesis fails or the client goes away first.
        """
        checked = self.validate(req, formats=STREAMABLE_FORMATS)
        prepared, _, stack = self._describer.begin(principal, FEATURE, req.image)
        try:
            out = self._executor.call(
                DESCRIBE,
                describe_input(prepared, req.detail, req.prompt, checked.language),
            )
            # The lease lasts as long as the stream: the stack closes when it ends.
            resolved, engine = stack.enter_context(
                self._speech.speaker(checked.voice, checked.language)
            )
        except BaseException:
            stack.__exit__(*sys.exc_info())  # refunds the hold, deletes the upload
            raise

        def chunks() -> Generator[bytes, None, None]:
            with stack:  # settles on normal exit, refunds on an error or early close
                audio = engine.stream(out.text, resolved.voice_id, resolved.language, req.speed)
                yield from encode_stream(audio, req.format)

        return Img2VoiceStream(
            id=new_request_id(ID_PREFIX),
            described=out,
            voice=resolved.voice_id,
            engine=resolved.engine,
            mime_type=MIME_TYPES[req.format],
            format=req.format,
            chunks=chunks(),
            voice_fallback=resolved.reason or None,
        )

    # -- the inference step -------------------------------------------------------------------

    def run_call(self, spec: Img2VoiceInput) -> Img2VoiceOutput:
        """``img2voice.run``: describe the stored image, then speak it."""
        with_decode: dict[str, float] = {}
        with timed(with_decode, "worker_decode_ms"):
            image = decode_image(self._storage.get(spec.image_blob), declared_mime=spec.mime_type)
        out = self._describer.describe_image(image, spec.detail, spec.prompt, spec.language)
        timings = {**with_decode, **out.timings}
        with timed(timings, "speech_ms"):
            spoken = spec.model_dump(include=set(SpeakOptions.model_fields) | {"language"})
            speech = self._speech.synthesize_to_store(SynthesisInput(text=out.text, **spoken))
        return Img2VoiceOutput(**{**out.model_dump(), "timings": timings}, speech=speech)
