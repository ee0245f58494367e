"""``seesay-perception``: the default offline describer, a perception stack composed into English.

There is no offline captioning model (``MODELS.md``), so this engine looks with several small
models that ship in wheels and writes what they found: an EfficientNet-Lite0 ImageNet classifier,
RapidOCR, NudeNet (faces and the safety verdict), OpenCV's Haar face cascade, and model-free
color/lighting/layout analysis. Nothing imports torch.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any, Final

from PIL import Image

from seesay.engines.base import Description, Detail, EngineContext, EngineInfo, Task
from seesay.engines.ort_offline import disable_ort_telemetry
from seesay.engines.vision.appearance import analyse_appearance
from seesay.engines.vision.compose import CONFIDENT, POSSIBLE, Findings, compose, find_subject
from seesay.errors import EngineError, EngineUnavailable, UnsupportedLanguage

__all__ = ["ENGINE_NAME", "PerceptionEngine"]

ENGINE_NAME: Final = "seesay-perception"
_INSTALL_HINT: Final = "pip install 'seesay[vision]'"
_WORK_SIDE: Final = 640  # detectors and OCR never need more pixels than this on the long side


class PerceptionEngine:
    """The default vision engine. Thread-safe after :meth:`load`."""

    def __init__(self, ctx: EngineContext, *, ocr: bool = True, faces: bool = True) -> None:
        self._ctx = ctx
        self._want_ocr = ocr
        self._want_faces = faces
        self._lock = threading.Lock()
        self._classifier: Any = None
        self._reader: Any = None
        self._people: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self._info = EngineInfo(
            name=ENGINE_NAME,
            task=Task.VISION,
            model="efficientnet-lite0 + pp-ocrv4 + nudenet-320n + haar",
            licence="Apache-2.0 (EfficientNet-Lite0, PP-OCRv4, OpenCV); MIT (NudeNet)",
            local=True,
            languages=("en",),
            formats=("jpeg", "png", "webp", "bmp", "tiff", "gif"),
            description=(
                "Offline perception stack: ImageNet classes, text reading, faces, colors, "
                "lighting and a safety verdict, written as English sentences."
            ),
            extra={"thresholds": {"confident": CONFIDENT, "possible": POSSIBLE}},
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def load(self) -> None:
        """Import the runtimes and build the models; raises EngineUnavailable if not installed."""
        with self._lock:
            if self._classifier is not None:
                return
            disable_ort_telemetry()
            try:
                import cv2  # noqa: F401
                import onnxruntime  # noqa: F401

                from seesay.engines.vision.efficientnet import EfficientNetLite0

                classifier = EfficientNetLite0(threads=self._ctx.threads)
                reader = people = None
                if self._want_ocr:
                    from seesay.engines.vision.text_reader import TextReader

                    reader = TextReader(threads=1)
                if self._want_faces:
                    from seesay.engines.vision.people import PeopleDetector

                    people = PeopleDetector(threads=1)
            except ImportError as exc:
                raise EngineUnavailable(
                    f"the offline describer needs the vision extra ({exc.name} is missing): "
                    f"{_INSTALL_HINT}"
                ) from exc
            except (OSError, RuntimeError, ValueError) as exc:
                raise EngineUnavailable(f"the offline describer could not load: {exc}") from exc
            self._classifier, self._reader, self._people = classifier, reader, people
            # OCR runs beside the classifier and detectors: each onnxruntime session keeps
            # one core busy, so the two halves overlap on a 2-core machine.
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="seesay-vision")

    def unload(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
            self._classifier = self._reader = self._people = self._pool = None

    def perceive(self, image: Image.Image) -> Findings:
        """Run every component on ``image`` (RGB, orientation applied)."""
        classifier, reader, people, pool = self._classifier, self._reader, self._people, self._pool
        if classifier is None or pool is None:
            raise EngineUnavailable(f"{ENGINE_NAME} is not loaded")
        image = image.convert("RGB")
        work = image.copy()
        work.thumbnail((_WORK_SIDE, _WORK_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
        text_future = pool.submit(reader.read, work) if reader is not None else None
        labels = classifier.classify(image, top_k=5)
        seen = people.detect(work) if people is not None else None
        look = analyse_appearance(image)
        text = text_future.result() if text_future is not None else []
        if seen is None:
            from seesay.engines.vision.people import PeopleFindings, SafetyVerdict

            seen = PeopleFindings(faces=(), safety=SafetyVerdict("safe"))
        return Findings(labels, find_subject(labels), text, seen, look)

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
        text, answered = compose(found, detail, prompt)
        return Description(
            text=text,
            language="en",
            engine=ENGINE_NAME,
            model=self._info.model,
            findings=_findings_dict(found, answered, scale=image.size[0] / max(1, _work_w(image))),
        )


def _work_w(image: Image.Image) -> int:
    w, h = image.size
    return w if max(w, h) <= _WORK_SIDE else round(w * _WORK_SIDE / max(w, h))


def _box(box: tuple[int, int, int, int], scale: float) -> list[int]:
    return [round(v * scale) for v in box]


def _findings_dict(f: Findings, answered: bool, *, scale: float) -> dict[str, Any]:
    """JSON-ready findings; boxes are mapped back to the original image's pixels."""
    subject = None
    if f.subject is not None:
        subject = {
            "label": f.subject.label,
            "score": round(f.subject.score, 4),
            "certainty": f.subject.certainty,
            "group": f.subject.group,
        }
    return {
        "labels": [
            {"label": lb.name, "score": round(lb.score, 4), "index": lb.index} for lb in f.labels
        ],
        "subject": subject,
        "text": {
            "full": " ".join(line.text for line in f.text),
            "lines": [
                {"text": line.text, "score": round(line.score, 3), "box": _box(line.box, scale)}
                for line in f.text
            ],
        },
        "people": f.people.people,
        "faces": [
            {
                "box": _box(face.box, scale),
                "score": round(face.score, 3),
                "source": face.source,
                "presentation": face.presentation,
            }
            for face in f.people.faces
        ],
        "safety": {
            "rating": f.people.safety.rating,
            "harmful": f.people.safety.harmful,
            "flags": [{"label": k, "score": v} for k, v in f.people.safety.flags],
        },
        "colors": [{"name": n, "share": s} for n, s in f.look.colors],
        "lighting": f.look.lighting,
        "brightness": f.look.brightness,
        "orientation": f.look.orientation,
        "kind": f.kind,
        "size": [f.look.width, f.look.height],
        "prompt_answered": answered,
        "thresholds": {"confident": CONFIDENT, "possible": POSSIBLE},
        "appearance": {
            k: v for k, v in asdict(f.look).items() if k in ("flat_share", "white_share")
        },
    }
