"""Describing an image as a use case: fetch and check it, see it, write it in the asked language.

Order of work, so that nothing is charged for a request that is refused:

1. ``resolve_language``: the output language must be one the vision engine writes, or one a
   configured translation engine reaches from it; otherwise ``UnsupportedLanguage`` lists the
   languages that can be asked for.
2. ``prepare``: the image is loaded (guarded fetch, base64 or upload) and decoded once here, so
   a bad URL or a bad image is an ``InvalidRequest`` before any credit is held; the bytes go to
   the blob store, because the inference step may run on another machine.
3. ``describe``: one credit (price table feature ``describe``) is held, the registered call
   ``describe.run`` runs in this process (embedded) or on a worker (distributed), and the hold
   settles; any failure refunds it.

``describe.run`` (JSON in, JSON out) decodes the stored image, asks the default vision engine,
refuses the image when the engine's safety verdict says it is harmful (``ContentRejected``),
and translates when the engine does not write the asked language itself (the prompt into the
engine's language first, so a question asked in Portuguese is answered too), keeping the facts
read off the image (``engines.translate.facts``: numbers, codes, URLs, quotes, month names).

``language="auto"`` cannot be read off an image, so it means: the language of the caller's
prompt when one is given and detected and it can be written, else English.

The request, call and result types, and the helpers that shape them, are in
``seesay.services.describe_contracts``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import cast

from PIL import Image

from seesay.accounts.service import Principal
from seesay.engines import languages
from seesay.engines.base import Detail, EngineInfo, Task, TranslateEngine, VisionEngine
from seesay.engines.translate import select
from seesay.engines.translate.facts import translate_keeping_facts
from seesay.errors import (
    ContentRejected,
    EngineUnavailable,
    InvalidRequest,
    SeeSayError,
    UnsupportedLanguage,
)
from seesay.jobs.handlers import Handlers
from seesay.media.fetch import Fetcher
from seesay.media.images import decode_image
from seesay.services import image_input
from seesay.services.describe_contracts import (
    DESCRIBE,
    DETAILS,
    MAX_PROMPT_CHARS,
    DescribeInput,
    DescribeOutput,
    DescribeRequest,
    DescribeResult,
    PreparedImage,
    describe_input,
    describe_result,
    timed,
)
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.image_input import ImageInput
from seesay.services.metering import Charge

__all__ = ["DescribeService"]


class DescribeService(EngineService):
    def __init__(self, parts: ServiceParts, fetcher: Fetcher) -> None:
        super().__init__(parts)
        self._fetcher = fetcher

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(DESCRIBE, self.run_call)

    # -- checks before charging ---------------------------------------------------------------

    def _vision_info(self) -> EngineInfo:
        """The engine that will describe: the default one, or the first after it that did
        not fail to load (``describe_image`` falls back the same way)."""
        infos = self._engines.infos(Task.VISION)
        if not infos:
            raise EngineUnavailable("no vision engine is configured")
        working = [i for i in infos if self._engines.load_error(Task.VISION, i.name) is None]
        return (working or infos)[0]

    def _translators(self) -> list[TranslateEngine]:
        return self._engines.all_of(Task.TRANSLATE, TranslateEngine)  # type: ignore[type-abstract]

    def writable_languages(self) -> list[str] | None:
        """Languages a description can be written in (None: any, a multilingual engine)."""
        own = self._vision_info().languages
        if not own:
            return None
        out = list(own)
        for engine in self._translators():
            try:
                pairs = engine.pairs()
            except SeeSayError:
                continue
            if not pairs:
                return None  # an any-pair translator reaches every language
            for source, target in sorted(pairs):
                if any(languages.matches(source, o) for o in own) and target not in out:
                    out.append(target)
        return out

    def resolve_language(
        self,
        language: str | None,
        prompt: str | None = None,
        *,
        also: Callable[[str], bool] | None = None,
        param: str = "language",
    ) -> str:
        """The canonical output language, or ``UnsupportedLanguage`` naming those that work.

        ``also`` adds a condition (img2voice: a voice must speak it) that shares the message.
        """
        writable = self.writable_languages()

        def ok(tag: str) -> bool:
            writes = writable is None or any(languages.matches(tag, w) for w in writable)
            return writes and (also is None or also(tag))

        if languages.is_auto(language):
            detected = self._prompt_language(prompt, self.supported(also))
            return detected if detected and ok(detected) else "en"
        assert language is not None
        try:
            tag = languages.normalize(language)
        except UnsupportedLanguage:
            raise UnsupportedLanguage(
                f"{language!r} is not a valid BCP-47 language code; use one of "
                f'{_listed(self.supported(also))} or "auto"',
                param=param,
                details={"supported": self.supported(also)},
            ) from None
        if not ok(tag):
            supported = self.supported(also)
            raise UnsupportedLanguage(
                f"no configured engine can describe in {tag}; supported languages: "
                f"{_listed(supported)}",
                param=param,
                details={"supported": supported},
            )
        return tag

    @staticmethod
    def _prompt_language(prompt: str | None, candidates: list[str]) -> str | None:
        """The language of a prompt long enough to tell, among ``candidates``."""
        primaries = {languages.primary(tag) for tag in candidates}
        if not prompt or len(prompt.strip()) < 12 or len(primaries) < 2:
            return None
        try:
            return languages.detect(prompt, primaries)
        except (SeeSayError, ValueError):
            return None  # no detector installed: keep the default

    def supported(self, also: Callable[[str], bool] | None = None) -> list[str]:
        """The languages ``resolve_language`` accepts (filtered by ``also``)."""
        writable = self.writable_languages()
        if writable is None:
            writable = list(languages.COMMON_LANGUAGES)
        return [tag for tag in writable if also is None or also(tag)]

    def check_options(self, req: DescribeRequest) -> None:
        if req.detail not in DETAILS:
            raise InvalidRequest(f"detail must be one of {', '.join(DETAILS)}", param="detail")
        if req.prompt is not None and len(req.prompt) > MAX_PROMPT_CHARS:
            raise InvalidRequest(
                f"prompt is longer than {MAX_PROMPT_CHARS} characters", param="prompt"
            )

    def prepare(self, source: ImageInput) -> PreparedImage:
        """Load and decode the image, then store its bytes; nothing charged yet."""
        timings: dict[str, float] = {}
        with timed(timings, "fetch_ms"):
            loaded = image_input.load(source, self._fetcher)
        with timed(timings, "decode_ms"):
            image = image_input.check(loaded, param=source.param)
            width, height = image.size
        blob_id = self._storage.put(loaded.data, content_type="application/octet-stream")
        return PreparedImage(blob_id, loaded.mime_type, width, height, timings)

    def begin(
        self, principal: Principal, feature: str, image: ImageInput
    ) -> tuple[PreparedImage, Charge, ExitStack]:
        """Prepare ``image`` and hold one ``feature`` credit. Closing the stack settles the
        hold (refunds it when an error closes it) and deletes the stored image; a caller
        that streams keeps it open until the stream ends."""
        prepared = self.prepare(image)
        stack = ExitStack()
        stack.callback(self.discard, prepared)
        try:
            charge = stack.enter_context(self._metering.charge(principal, feature))
        except BaseException:
            stack.close()
            raise
        return prepared, charge, stack

    def discard(self, prepared: PreparedImage) -> None:
        # A leftover upload is harmless; the caller's answer matters more.
        with contextlib.suppress(SeeSayError):
            self._storage.delete(prepared.blob_id)

    # -- the use case -----------------------------------------------------------------------

    def describe(self, principal: Principal, req: DescribeRequest) -> DescribeResult:
        """Describe now; one ``describe`` credit, refunded if the engine fails."""
        self.check_options(req)
        language = self.resolve_language(req.language, req.prompt)
        started = time.perf_counter()
        prepared, charge, stack = self.begin(principal, "describe", req.image)
        with stack:
            out = self._executor.call(
                DESCRIBE, describe_input(prepared, req.detail, req.prompt, language)
            )
        return describe_result("desc", out, prepared, started, charge)

    # -- the inference step -----------------------------------------------------------------

    def run_call(self, spec: DescribeInput) -> DescribeOutput:
        """``describe.run``: the stored image described in ``spec.language``."""
        image = decode_image(self._storage.get(spec.image_blob), declared_mime=spec.mime_type)
        return self.describe_image(image, spec.detail, spec.prompt, spec.language)

    def describe_image(
        self, image: Image.Image, detail: Detail, prompt: str | None, language: str
    ) -> DescribeOutput:
        """See ``image`` and write the description in ``language``.

        The default vision engine describes it; when that engine cannot load (a pulled model
        that is broken, or chosen but not installed) the next one does, and the answer says
        so: ``engines.vision_fallback_from`` names the engine that failed and
        ``findings.fallback`` gives its reason."""
        skipped: list[tuple[str, str]] = []
        for info in self._engines.infos(Task.VISION):
            known = self._engines.load_error(Task.VISION, info.name)
            if known is not None:
                skipped.append((info.name, known))
                continue
            try:
                out = self._describe_with(info, image, detail, prompt, language)
            except EngineUnavailable as exc:
                if self._engines.load_error(Task.VISION, info.name) is None:
                    raise  # not a load failure: the engine's own error
                skipped.append((info.name, exc.message))
                continue
            if skipped:
                out.engines["vision_fallback_from"] = skipped[0][0]
                out.findings["fallback"] = {"from": skipped[0][0], "reason": skipped[0][1]}
            return out
        reasons = "; ".join(reason for _, reason in skipped)
        raise EngineUnavailable(f"no vision engine could load: {reasons or 'none configured'}")

    def _describe_with(
        self,
        info: EngineInfo,
        image: Image.Image,
        detail: Detail,
        prompt: str | None,
        language: str,
    ) -> DescribeOutput:
        timings: dict[str, float] = {}
        # A multilingual engine answers in the asked language itself; others write their own
        # first language and the description is translated.
        writes = not info.languages or any(languages.matches(language, t) for t in info.languages)
        asked = language if writes else info.languages[0]
        if prompt and info.languages:
            with timed(timings, "prompt_translate_ms"):
                prompt = self._prompt_in(prompt, asked)
        with timed(timings, "vision_ms"), self._engines.lease(Task.VISION, info.name) as engine:
            seen = cast(VisionEngine, engine).describe(image, detail, prompt, asked)
        findings = dict(seen.findings)
        safety = findings.get("safety")
        if isinstance(safety, dict) and safety.get("harmful"):
            raise ContentRejected(
                "harmful content detected in the image; it was not described",
                param="image",
                details={"rating": safety.get("rating")},
            )
        text, translator, source = seen.text, None, None
        if not languages.matches(language, seen.language):
            with timed(timings, "translate_ms"):
                # Numbers, codes, URLs and quoted text keep their values; months their names.
                done = translate_keeping_facts(self._engines, seen.text, seen.language, language)
            text, translator, source = done.text, done.engine, seen.language
        return DescribeOutput(
            text=text,
            language=language,
            source_language=source,
            translated=source is not None,
            findings=findings,
            engines={"vision": seen.engine, "vision_model": seen.model, "translate": translator},
            timings=timings,
        )

    def _prompt_in(self, prompt: str, language: str) -> str:
        """``prompt`` in ``language`` (the vision engine's own), so that a question asked in
        Portuguese is answered from the findings like one asked in English. A prompt whose
        language is unclear, or that no translator reaches, goes to the engine as it is."""
        sources: set[str] = set()
        for engine in self._translators():
            with contextlib.suppress(SeeSayError):
                pairs = engine.pairs()
                sources |= {
                    languages.primary(a) for a, b in pairs if languages.matches(b, language)
                }
        sources.add(languages.primary(language))
        found = self._prompt_language(prompt, sorted(sources))
        if found is None or languages.matches(found, language):
            return prompt
        try:
            return select.translate(self._engines, prompt, found, language).text
        except SeeSayError:
            return prompt


def _listed(tags: Sequence[str]) -> str:
    return ", ".join(tags) if tags else "none"
