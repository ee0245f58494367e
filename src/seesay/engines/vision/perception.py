"""``seesay-perception``: the default offline describer, a perception stack composed into English.

There is no offline captioning model (``MODELS.md``), so this engine looks with several small
models that ship in wheels and writes what they found: an EfficientNet-Lite0 ImageNet classifier,
RapidOCR, NudeNet (faces and the safety verdict, with OpenCV's Haar face cascade), and model-free
color/lighting/layout analysis. Nothing imports torch.

Each part loads and fails on its own. A part that cannot load (a missing wheel, a broken model
file, an incompatible OpenCV) is recorded with the reason and left out; one that raises on a
given image is left out of that image's findings. The description is then written from the
parts that worked, and ``findings["unavailable"]`` names the parts that did not look, whose
findings keys are ``null``:

========== ================================== =============================================
part       model                              findings keys (``null`` when unavailable)
========== ================================== =============================================
labels     EfficientNet-Lite0 (ImageNet)      ``labels``, ``subject``
text       RapidOCR PP-OCRv6                  ``text``
people     NudeNet 320n                       ``people``, ``faces``, ``safety``
appearance none (color statistics)            ``colors``, ``lighting``, ``brightness``,
                                              ``orientation``, ``appearance``
codes      zxing-cpp (no model)               ``codes``
charts     none (bars, lines, tables from     ``charts`` (also null when the text part did
           the text boxes)                    not look)
========== ================================== =============================================

A part turned off in the settings (``ocr``, ``faces``) is unavailable in the same way. Without
the people part there is no safety verdict: ``safety`` is null, so nothing is refused as
harmful content.

Reading parts (QR codes and barcodes, charts, a document's layout) plug in through
``findings.Reading``: run the part in ``perceive`` beside the others, and hand what it read to
``Findings(readings=..., looked=...)`` (``looked`` names the reading parts that ran, so "no QR
code" is said only when one looked). The composer then says each reading's sentences, lets it
answer prompts first, and takes its kind; ``findings["read_out"]`` lists the strings read.
A screenshot is read by its title, headings and controls (``screens``) from the text boxes
and the pixels; ``findings["screen"]`` lists them (null when no control was found).

The engine is unavailable (``EngineUnavailable``) only when none of the three model parts
(labels, text, people) loaded: colors, codes and charts alone are not a description. A part
that failed to load is tried again when the engine next loads (after an idle unload, or a
restart). ``parts()`` reports each part for ``/readyz``.

The parts table and its loaders are in :mod:`.perception_parts`; the findings are written as
JSON by :mod:`.perception_findings`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final, TypeVar

from PIL import Image

from seesay.engines.base import Description, Detail, EngineContext, EngineInfo, Task
from seesay.engines.ort_offline import disable_ort_telemetry
from seesay.engines.vision.appearance import analyse_appearance
from seesay.engines.vision.codes import Code, plain_around
from seesay.engines.vision.compose import compose
from seesay.engines.vision.findings import Findings
from seesay.engines.vision.perception_findings import findings_dict
from seesay.engines.vision.perception_parts import (
    CORE_PARTS,
    Part,
    failure_reason,
    nothing_loaded,
    parts_table,
)
from seesay.engines.vision.readings import code_and_chart_readings
from seesay.engines.vision.screen_reading import with_screen
from seesay.engines.vision.subject import CONFIDENT, POSSIBLE, find_subject
from seesay.engines.vision.text_reader import scale_lines
from seesay.errors import EngineError, EngineUnavailable, UnsupportedLanguage

__all__ = ["ENGINE_NAME", "PerceptionEngine"]

log = logging.getLogger(__name__)

ENGINE_NAME: Final = "seesay-perception"
_WORK_SIDE: Final = 640  # detectors and OCR never need more pixels than this on the long side

T = TypeVar("T")


class PerceptionEngine:
    """The default vision engine. Thread-safe after :meth:`load`."""

    def __init__(self, ctx: EngineContext, *, ocr: bool = True, faces: bool = True) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()  # load/unload
        self._stats = threading.Lock()  # run-time failure counters
        self._parts = parts_table(ocr=ocr, faces=faces)
        self._pool: ThreadPoolExecutor | None = None
        self._info = EngineInfo(
            name=ENGINE_NAME,
            task=Task.VISION,
            model="efficientnet-lite0 + pp-ocrv6 + nudenet-320n + haar + zxing-cpp",
            licence="Apache-2.0 (EfficientNet-Lite0, PP-OCRv6, OpenCV, zxing-cpp); MIT (NudeNet)",
            local=True,
            languages=("en",),
            formats=("jpeg", "png", "webp", "bmp", "tiff", "gif"),
            description=(
                "Offline perception stack: ImageNet classes, text reading, faces, colors, "
                "lighting, QR codes and barcodes, charts and tables, and a safety verdict, "
                "written as English sentences."
            ),
            extra={"thresholds": {"confident": CONFIDENT, "possible": POSSIBLE}},
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def parts(self) -> dict[str, dict[str, Any]]:
        """Each part's status (``loaded``, ``failed`` with ``error``, ``not_loaded``,
        ``disabled``), model and run-time failures since it loaded."""
        with self._stats:
            return {name: part.report() for name, part in self._parts.items()}

    def load(self) -> None:
        """Load every wanted part on its own; a part that fails is recorded and left out.

        Raises ``EngineUnavailable`` when no model part loaded.
        """
        with self._lock:
            if self._pool is not None:
                return
            disable_ort_telemetry()
            for part in self._parts.values():
                if part.wanted:
                    self._load_part(part)
            models = [p for p in self._parts.values() if p.name in CORE_PARTS]
            if not any(p.state == "loaded" for p in models):
                self._drop_runners()
                raise EngineUnavailable(nothing_loaded(models))
            # OCR runs beside the classifier and detectors: each onnxruntime session keeps
            # one core busy, so the two halves overlap on a 2-core machine.
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="seesay-vision")

    def _load_part(self, part: Part) -> None:
        part.failures, part.last_failure, part.error, part.reason = 0, None, None, None
        try:
            part.runner = analyse_appearance if part.loader is None else part.loader(self._ctx)
        except Exception as exc:  # any failure of one part leaves the others standing
            part.runner, part.state = None, "failed"
            part.error, part.reason = type(exc).__name__, failure_reason(exc)
            log.warning("%s: the %s part did not load: %s", ENGINE_NAME, part.name, part.reason)
            return
        part.state = "loaded"

    def _drop_runners(self) -> None:
        for part in self._parts.values():
            part.runner = None
            if part.state == "loaded":
                part.state = "not_loaded"

    def unload(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
            self._pool = None
            self._drop_runners()

    def _run(self, part: Part, runner: Any, call: Callable[[Any], T]) -> T | None:
        """``call(runner)``, or None (recorded and logged) when the part is down or raises."""
        if runner is None:
            return None
        try:
            return call(runner)
        except Exception as exc:  # one part failing on this image leaves the others standing
            log.warning("%s: the %s part failed on an image", ENGINE_NAME, part.name, exc_info=exc)
            with self._stats:
                part.failures += 1
                part.last_failure = type(exc).__name__
            return None

    def perceive(self, image: Image.Image) -> Findings:
        """Run every available part on ``image`` (RGB, orientation applied)."""
        parts = self._parts
        pool = self._pool
        runners = {name: part.runner for name, part in parts.items()}
        if pool is None:
            raise EngineUnavailable(f"{ENGINE_NAME} is not loaded")
        image = image.convert("RGB")
        work = image.copy()
        work.thumbnail((_WORK_SIDE, _WORK_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
        text_future = None
        if runners["text"] is not None:
            # Text is read from the image as decoded, not the shrunk copy: small print shrunk
            # to _WORK_SIDE loses the spaces between its words. Boxes come back in work pixels.
            to_work = work.width / image.width
            text_future = pool.submit(
                self._run,
                parts["text"],
                runners["text"],
                lambda r: scale_lines(r.read(image), to_work),
            )
        codes_future = None
        if runners["codes"] is not None:
            codes_future = pool.submit(
                self._run, parts["codes"], runners["codes"], lambda r: r.read(image, work.size)
            )
        labels = self._run(parts["labels"], runners["labels"], lambda r: r.classify(image, 5))
        people = self._run(parts["people"], runners["people"], lambda r: r.detect(work))
        look = self._run(parts["appearance"], runners["appearance"], lambda r: r(image))
        text = text_future.result() if text_future is not None else None
        codes = codes_future.result() if codes_future is not None else None
        charts = None
        if text is not None:  # charts are read from the text's boxes
            reread = runners["text"].read
            charts = self._run(parts["charts"], runners["charts"], lambda r: r(work, text, reread))
        if labels is None and text is None and people is None:
            down = ", ".join(
                f"{p.name} ({p.last_failure or p.error or p.state})"
                for p in parts.values()
                if p.name in CORE_PARTS
            )
            raise EngineError(f"{ENGINE_NAME} could not look at this image: {down}")
        subject = find_subject(labels) if labels is not None else None
        found = Findings(
            labels,
            subject,
            text,
            people,
            look,
            image.size,
            frame=work.size,
            readings=code_and_chart_readings(
                codes, charts, text, work.size, bool(codes) and plain_around(work, _boxes(codes))
            ),
            looked=frozenset(
                name for name, found in (("codes", codes), ("charts", charts)) if found is not None
            ),
            codes=codes,
            charts=charts,
        )
        return with_screen(found, image)

    def describe(
        self, image: Any, detail: Detail, prompt: str | None, language: str
    ) -> Description:
        """Describe ``image`` in English; ``findings`` carries the structured evidence."""
        if language.split("-")[0].lower() != "en":
            raise UnsupportedLanguage(
                f"{ENGINE_NAME} writes English only; translate the result for {language!r}",
                details={"supported": ["en"]},
            )
        if not isinstance(image, Image.Image):
            raise EngineError("describe() needs a decoded PIL image")
        found = self.perceive(image)
        said = compose(found, detail, prompt)
        return Description(
            text=said.text,
            language="en",
            engine=ENGINE_NAME,
            model=self._info.model,
            # decode_image may have shrunk a large upload: boxes go back to the sender's pixels.
            findings=findings_dict(
                found,
                said.answered,
                scale=_sent_width(image) / max(1, _work_w(image)),
                read_out=said.read_out,
            ),
        )


def _boxes(codes: list[Code] | None) -> list[tuple[int, int, int, int]]:
    return [c.box for c in codes or ()]


def _sent_width(image: Image.Image) -> float:
    original = image.info.get("original_size")
    return float(original[0]) if isinstance(original, tuple) else float(image.size[0])


def _work_w(image: Image.Image) -> int:
    w, h = image.size
    return w if max(w, h) <= _WORK_SIDE else round(w * _WORK_SIDE / max(w, h))
