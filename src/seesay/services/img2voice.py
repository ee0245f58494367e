"""The core job: an image in, its description spoken out.

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

``submit_batch`` (paid plans) holds one credit per image and queues the job kind
``img2voice.batch``; its handler works through the images one by one, reports progress, and
settles for the images that succeeded (each failed image is refunded).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, cast

from seesay.accounts.service import Principal
from seesay.engines import languages
from seesay.engines.base import Detail
from seesay.errors import InvalidRequest, SeeSayError, UnsupportedLanguage
from seesay.jobs.contracts import Call, Contract, JobKind, JobOutcome
from seesay.jobs.handlers import Handlers, JobContext, error_to_dict
from seesay.jobs.service import JobService
from seesay.jobs.store import JobView
from seesay.media.audio_encode import FORMATS, MIME_TYPES, STREAMABLE_FORMATS, encode_stream
from seesay.media.fetch import Fetcher
from seesay.media.images import decode_image
from seesay.services import image_input
from seesay.services.describe import (
    DESCRIBE,
    DescribeInput,
    DescribeOutput,
    DescribeRequest,
    DescribeResult,
    DescribeService,
    elapsed_ms,
    new_request_id,
    timed,
)
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.image_input import ImageInput
from seesay.services.speech import SpeechService, Synthesis, SynthesisInput

__all__ = [
    "MAX_BATCH_IMAGES",
    "BatchInput",
    "BatchProgress",
    "Img2VoiceRequest",
    "Img2VoiceResult",
    "Img2VoiceService",
    "Img2VoiceStream",
]

log = logging.getLogger(__name__)

MAX_BATCH_IMAGES: Final = 100
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


class BatchImage(Contract):
    """One image of a batch: a URL fetched by the job, or a blob stored at submission."""

    url: str | None = None
    blob: str | None = None
    mime_type: str | None = None
    param: str = "image_url"


class BatchInput(SpeakOptions):
    """The payload of an ``img2voice.batch`` job."""

    images: list[BatchImage]
    detail: Detail
    prompt: str | None = None
    language: str
    voice_asked: str | None = None  # what the caller named, shown as each result's voice_id


IMG2VOICE: Call[Img2VoiceInput, Img2VoiceOutput] = Call(
    "img2voice.run", Img2VoiceInput, Img2VoiceOutput
)
BATCH_JOB: JobKind[BatchInput] = JobKind("img2voice.batch", BatchInput)
BATCH_KIND: Final = BATCH_JOB.name


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
class _Checked:
    language: str
    voice: str | None  # what speaks, after the voice map
    asked: str | None  # what the caller named


class Img2VoiceService(EngineService):
    def __init__(
        self,
        parts: ServiceParts,
        describer: DescribeService,
        speech: SpeechService,
        jobs: JobService,
        fetcher: Fetcher,
        *,
        voice_map: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(parts)
        self._voice_map = {lang: dict(m) for lang, m in (voice_map or {}).items()}
        self._describer = describer
        self._speech = speech
        self._jobs = jobs
        self._fetcher = fetcher

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(IMG2VOICE, self.run_call)
        handlers.register_job(BATCH_JOB, self._batch_job)

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

    def validate(self, req: Img2VoiceRequest, *, formats: Sequence[str] = FORMATS) -> _Checked:
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
        return _Checked(language, self.voice_for(voice, language), voice)

    def supported_languages(self, voice: str | None = None) -> list[str]:
        return self._describer.supported(self._speaks(voice))

    # -- now ------------------------------------------------------------------------------------

    def speak(self, principal: Principal, req: Img2VoiceRequest) -> Img2VoiceResult:
        """Describe and speak now; one credit, refunded if any engine fails."""
        checked = self.validate(req)
        started = time.perf_counter()
        prepared, charge, stack = self._describer.begin(principal, FEATURE, req.image)
        with stack:
            described = self._describer.call_input(
                prepared, req.detail, req.prompt, checked.language
            )
            spec = Img2VoiceInput(
                **described.model_dump(), **self._speak_options(req, checked).model_dump()
            )
            out = self._executor.call(IMG2VOICE, spec)
        answer = self._describer.result(ID_PREFIX, out, prepared, started, charge)
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
                self._describer.call_input(prepared, req.detail, req.prompt, checked.language),
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

    @staticmethod
    def _speak_options(req: Img2VoiceRequest, checked: _Checked) -> SpeakOptions:
        return SpeakOptions(voice=checked.voice, format=req.format, speed=req.speed)

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

    # -- batch ----------------------------------------------------------------------------------

    def submit_batch(
        self,
        principal: Principal,
        images: Sequence[ImageInput],
        options: Img2VoiceRequest,
        *,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> JobView:
        """Queue up to 100 images (paid plans); one credit held per image.

        URLs are checked now (scheme, credentials, literal addresses) and fetched by the job;
        base64 images are decoded and checked now, so a bad one refuses the whole batch
        before anything is held.
        """
        principal.plan.require("batch")
        if not images:
            raise InvalidRequest("images must hold at least one image", param="images")
        if len(images) > MAX_BATCH_IMAGES:
            raise InvalidRequest(
                f"a batch holds at most {MAX_BATCH_IMAGES} images, not {len(images)}",
                param="images",
            )
        checked = self.validate(options)
        items: list[BatchImage] = []
        stored: list[str] = []
        try:
            for image in images:
                if image.url is not None:
                    url = self._fetcher.guard.check_url(image.url, param=image.param)
                    items.append(BatchImage(url=str(url), param=image.param))
                    continue
                loaded = image_input.load(image, self._fetcher)
                image_input.check(loaded, param=image.param)
                blob = self._storage.put(loaded.data, content_type="application/octet-stream")
                stored.append(blob)
                items.append(BatchImage(blob=blob, mime_type=loaded.mime_type, param=image.param))
            payload = BatchInput(
                images=items,
                detail=cast(Detail, options.detail),
                prompt=options.prompt,
                language=checked.language,
                voice_asked=checked.asked,
                **self._speak_options(options, checked).model_dump(),
            )
            return self._jobs.submit(
                principal,
                BATCH_JOB,
                payload,
                feature=FEATURE,
                amount=self._metering.prices.cost(FEATURE, len(items)),
                quantity=len(items),
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
            )
        except BaseException:
            for blob in stored:
                self._storage.delete(blob)
            raise

    def batch_size(self, job: JobView) -> int:
        """How many images the batch job ``job`` holds."""
        return len(BATCH_JOB.payload(job.payload).images)

    def _batch_job(self, ctx: JobContext, batch: BatchInput) -> JobOutcome:
        images = batch.images
        results = self._resumable(ctx.progress, len(images))
        for index in range(len(results), len(images)):  # after what an earlier attempt did
            started = time.perf_counter()
            try:
                out = self._batch_one(images[index], batch)
            except Exception as exc:  # one bad image must not stop the others
                results.append({"index": index, "status": "failed", "error": _public(exc)})
            else:
                speech = out.speech
                results.append(
                    {
                        "index": index,
                        "status": "completed",
                        "description": out.text,
                        "audio_blob": speech.blob_id,
                        "duration_seconds": speech.duration,
                        "voice_id": batch.voice_asked or speech.voice,
                        "voice": speech.voice,
                        "language": out.language,
                        "source_language": out.source_language,
                        "translated": out.translated,
                        "elapsed_ms": elapsed_ms(started),
                    }
                )
            ctx.report_progress(_progress(len(images), results).model_dump(mode="json"))
        for item in images:
            if item.blob is not None:
                self._storage.delete(item.blob)
        done = _progress(len(images), results)
        return JobOutcome(done, cost=self._metering.prices.cost(FEATURE, done.succeeded))

    def _resumable(self, progress: dict[str, Any] | None, total: int) -> list[dict[str, Any]]:
        """The results an earlier attempt reported, in order, up to the first that cannot be
        kept (its audio is gone): a retried batch goes on from there, and an image is neither
        spoken nor charged twice."""
        kept: list[dict[str, Any]] = []
        for index, item in enumerate((progress or {}).get("results") or []):
            if index >= total or not isinstance(item, dict) or item.get("index") != index:
                break
            audio = item.get("audio_blob")
            spoken = isinstance(audio, str) and self._storage.exists(audio)
            status = item.get("status")
            if not (status == "failed" or (status == "completed" and spoken)):
                break
            kept.append(item)
        return kept

    def _batch_one(self, item: BatchImage, batch: BatchInput) -> Img2VoiceOutput:
        options = batch.model_dump(exclude={"images", "voice_asked"})
        if item.blob is not None:
            return self.run_call(
                Img2VoiceInput(**options, image_blob=item.blob, mime_type=item.mime_type)
            )
        source = ImageInput(url=item.url, param=item.param)
        loaded = image_input.load(source, self._fetcher)
        image_input.check(loaded, param=source.param)
        blob = self._storage.put(loaded.data, content_type="application/octet-stream")
        try:
            return self.run_call(
                Img2VoiceInput(**options, image_blob=blob, mime_type=loaded.mime_type)
            )
        finally:
            self._storage.delete(blob)


class BatchProgress(Contract):
    """A batch's progress report, and its result once done. ``results`` holds one entry per
    image processed, in order: ``index``, ``status`` (completed or failed) and either the
    description, its ``audio_blob`` and voice, or the image's ``error``."""

    total: int
    processed: int
    succeeded: int
    failed: int
    results: list[dict[str, Any]]


def _progress(total: int, results: list[dict[str, Any]]) -> BatchProgress:
    ok = sum(1 for r in results if r["status"] == "completed")
    return BatchProgress(
        total=total,
        processed=len(results),
        succeeded=ok,
        failed=len(results) - ok,
        results=list(results),
    )


def _public(exc: BaseException) -> dict[str, Any]:
    """An image's error in native terms; ``type`` lets each surface map it to its own codes."""
    error = error_to_dict(exc)
    return {
        "code": error.get("code"),
        "message": error.get("message"),
        "param": error.get("param"),
        "type": error.get("type"),
    }
