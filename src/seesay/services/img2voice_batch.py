"""Img2voice for many images at once: a batch queued as a job, worked through image by image.

``submit_batch`` (paid plans) checks the options like a single request, checks every image
(URLs by scheme, credentials and literal addresses, to be fetched by the job; base64 images
decoded and stored now, so a bad one refuses the whole batch before anything is held), holds
one ``img2voice`` credit per image and queues the job kind ``img2voice.batch``. Its handler
runs ``img2voice.run`` for each image in turn, reports progress after each, and settles for
the images that succeeded (each failed image is refunded). A retried batch goes on after the
results an earlier attempt reported whose audio is still stored, so no image is spoken or
charged twice.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Final, cast

from seesay.accounts.service import Principal
from seesay.engines.base import Detail
from seesay.errors import InvalidRequest
from seesay.jobs.contracts import Contract, JobKind, JobOutcome
from seesay.jobs.handlers import Handlers, JobContext, error_to_dict
from seesay.jobs.service import JobService
from seesay.jobs.store import JobView
from seesay.media.fetch import Fetcher
from seesay.services import image_input
from seesay.services.describe_contracts import elapsed_ms
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.image_input import ImageInput
from seesay.services.img2voice import (
    FEATURE,
    Img2VoiceInput,
    Img2VoiceOutput,
    Img2VoiceRequest,
    Img2VoiceService,
    SpeakOptions,
    speak_options,
)

__all__ = [
    "BATCH_JOB",
    "BATCH_KIND",
    "MAX_BATCH_IMAGES",
    "BatchInput",
    "BatchProgress",
    "Img2VoiceBatches",
]

MAX_BATCH_IMAGES: Final = 100


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


BATCH_JOB: JobKind[BatchInput] = JobKind("img2voice.batch", BatchInput)
BATCH_KIND: Final = BATCH_JOB.name


class Img2VoiceBatches(EngineService):
    """Img2voice batches: queued with one credit held per image, run as a job."""

    def __init__(
        self,
        parts: ServiceParts,
        img2voice: Img2VoiceService,
        jobs: JobService,
        fetcher: Fetcher,
    ) -> None:
        super().__init__(parts)
        self._img2voice = img2voice
        self._jobs = jobs
        self._fetcher = fetcher

    def register(self, handlers: Handlers) -> None:
        handlers.register_job(BATCH_JOB, self._batch_job)

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
        checked = self._img2voice.validate(options)
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
                **speak_options(options, checked).model_dump(),
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
            return self._img2voice.run_call(
                Img2VoiceInput(**options, image_blob=item.blob, mime_type=item.mime_type)
            )
        source = ImageInput(url=item.url, param=item.param)
        loaded = image_input.load(source, self._fetcher)
        image_input.check(loaded, param=source.param)
        blob = self._storage.put(loaded.data, content_type="application/octet-stream")
        try:
            return self._img2voice.run_call(
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
