"""People, faces and the safety verdict: NudeNet's detector plus OpenCV's Haar face cascade.

NudeNet (``nudenet`` wheel, ``320n.onnx``, a YOLOv8-style detector) finds faces (FACE_FEMALE /
FACE_MALE) and covered or exposed body parts. We run its ONNX model on our own session with
vectorised post-processing: the package's per-row Python loop costs ~0.1 s per image, ours ~1 ms.
The Haar frontal-face cascade is a second, independent face finder that sees the whole work
image (NudeNet sees it at 320 px); a face counts once when both see it. OpenCV 5 has no cascade
classifier: with such a cv2, NudeNet finds faces alone (``finders`` says which run).
Exposed-body classes feed the safety verdict (the Image Describer spec's HARMFUL_CONTENT).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
from PIL import Image

from seesay.engines.ort_offline import disable_ort_telemetry

__all__ = ["Face", "PeopleDetector", "PeopleFindings", "SafetyVerdict"]

log = logging.getLogger(__name__)

_INPUT: Final = 320
_MIN_SCORE: Final = 0.25
_FACE_SCORE: Final = 0.4
# Exposed-body classes that make an image explicit (unsafe) or suggestive (caution).
_EXPLICIT: Final = frozenset(
    {
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "ANUS_EXPOSED",
        "FEMALE_BREAST_EXPOSED",
        "BUTTOCKS_EXPOSED",
    }
)
_SUGGESTIVE: Final = frozenset({"MALE_BREAST_EXPOSED", "BELLY_EXPOSED", "ARMPITS_EXPOSED"})
_EXPLICIT_SCORE: Final = 0.5
_SUGGESTIVE_SCORE: Final = 0.6

Box = tuple[int, int, int, int]  # x, y, width, height in original image pixels


@dataclass(frozen=True, slots=True)
class Face:
    box: Box
    score: float
    source: Literal["nudenet", "haar", "both"]
    presentation: Literal["female", "male"] | None = None


@dataclass(frozen=True, slots=True)
class SafetyVerdict:
    """``rating`` is ``safe``, ``suggestive`` or ``explicit``; ``flags`` are the classes seen."""

    rating: Literal["safe", "suggestive", "explicit"]
    flags: tuple[tuple[str, float], ...] = ()

    @property
    def harmful(self) -> bool:
        return self.rating == "explicit"


@dataclass(frozen=True, slots=True)
class PeopleFindings:
    faces: tuple[Face, ...]
    safety: SafetyVerdict
    body_parts: tuple[tuple[str, float], ...] = field(default=())

    @property
    def people(self) -> int:
        """People visible: one per face (bodies without faces are too ambiguous to count)."""
        return len(self.faces)


def _iou(a: Box, b: Box) -> float:
    ax2, ay2, bx2, by2 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0, min(ax2, bx2) - max(a[0], b[0]))
    ih = max(0, min(ay2, by2) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


class PeopleDetector:
    """Loaded detectors; ``detect`` is thread-safe (onnxruntime sessions and CascadeClassifier
    instances used read-only; OpenCV's detectMultiScale allocates per call)."""

    def __init__(self, *, threads: int = 1) -> None:
        disable_ort_telemetry()
        import cv2
        import nudenet
        import onnxruntime as ort
        from nudenet import nudenet as nudenet_module

        self._cv2 = cv2
        model = Path(nudenet.__file__).with_name("320n.onnx")
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._input = self._session.get_inputs()[0].name
        # Module-level "__labels" is not name-mangled; it is nudenet's class order.
        self._labels: list[str] = list(getattr(nudenet_module, "__labels"))
        self._haar: Any = None
        if hasattr(cv2, "CascadeClassifier"):
            cascades = Path(getattr(cv2, "data").haarcascades)  # noqa: B009 - untyped submodule
            cascade = cascades / "haarcascade_frontalface_default.xml"
            self._haar = cv2.CascadeClassifier(str(cascade))
            if self._haar.empty():
                raise FileNotFoundError(f"OpenCV Haar cascade missing: {cascade}")
        else:
            log.warning(
                "OpenCV %s has no Haar cascade classifier; NudeNet finds faces alone "
                "(pip install 'opencv-python-headless<5' restores the second finder)",
                cv2.__version__,
            )

    @property
    def finders(self) -> tuple[str, ...]:
        """The face finders that run: ``("nudenet", "haar")``, or NudeNet alone."""
        return ("nudenet", "haar") if self._haar is not None else ("nudenet",)

    def _nudenet(self, rgb: npt.NDArray[np.uint8]) -> list[tuple[str, float, Box]]:
        cv2 = self._cv2
        h, w = rgb.shape[:2]
        side = max(h, w)
        # Pad to a square at the bottom/right (as nudenet does) so boxes map back by one scale.
        padded = np.zeros((side, side, 3), dtype=np.uint8)
        padded[:h, :w] = rgb
        blob = cv2.resize(padded, (_INPUT, _INPUT), interpolation=cv2.INTER_AREA)
        x = (blob.astype(np.float32) / 255.0).transpose(2, 0, 1)[None]
        (out,) = self._session.run(None, {self._input: x})
        rows = np.asarray(out[0]).T  # (anchors, 4 + classes)
        scores = rows[:, 4:]
        cls = scores.argmax(axis=1)
        best = scores[np.arange(len(cls)), cls]
        keep = best >= _MIN_SCORE
        if not keep.any():
            return []
        rows, cls, best = rows[keep], cls[keep], best[keep]
        scale = side / _INPUT
        boxes = []
        for cx, cy, bw, bh in rows[:, :4] * scale:
            x0, y0 = max(0.0, cx - bw / 2), max(0.0, cy - bh / 2)
            boxes.append([int(x0), int(y0), int(min(bw, w - x0)), int(min(bh, h - y0))])
        picked = cv2.dnn.NMSBoxes(boxes, best.tolist(), _MIN_SCORE, 0.45)
        return [
            (self._labels[int(cls[i])], float(best[i]), tuple(boxes[i]))  # type: ignore[misc]
            for i in np.asarray(picked).reshape(-1)
        ]

    def _haar_faces(self, rgb: npt.NDArray[np.uint8]) -> list[Box]:
        cv2 = self._cv2
        if self._haar is None:
            return []
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        grey = cv2.equalizeHist(grey)
        min_side = max(24, min(grey.shape[:2]) // 12)
        found = self._haar.detectMultiScale(
            grey, scaleFactor=1.15, minNeighbors=6, minSize=(min_side, min_side)
        )
        return [tuple(int(v) for v in f) for f in found]  # type: ignore[misc]

    def detect(self, image: Image.Image) -> PeopleFindings:
        """Faces (merged from both detectors), exposed/covered body parts and the verdict.

        ``image`` should already be downscaled (about 640 px on the long side is plenty: the
        detector sees 320 px); boxes are in that image's pixels.
        """
        rgb = np.asarray(image.convert("RGB"))
        detections = self._nudenet(rgb)
        faces: list[Face] = []
        parts: list[tuple[str, float]] = []
        for label, score, box in detections:
            if label in ("FACE_FEMALE", "FACE_MALE"):
                if score >= _FACE_SCORE:
                    kind: Any = "female" if label == "FACE_FEMALE" else "male"
                    faces.append(Face(box, score, "nudenet", kind))
            else:
                parts.append((label, score))
        for box in self._haar_faces(rgb):
            match = next((i for i, f in enumerate(faces) if _iou(f.box, box) > 0.3), None)
            if match is None:
                # Haar alone is weaker evidence: it has no score, so give it a modest one.
                faces.append(Face(box, 0.5, "haar"))
            else:
                old = faces[match]
                faces[match] = Face(old.box, old.score, "both", old.presentation)
        flags = tuple(
            (label, round(score, 3))
            for label, score in parts
            if (label in _EXPLICIT and score >= _EXPLICIT_SCORE)
            or (label in _SUGGESTIVE and score >= _SUGGESTIVE_SCORE)
        )
        rating: Literal["safe", "suggestive", "explicit"] = "safe"
        if any(label in _EXPLICIT for label, _ in flags):
            rating = "explicit"
        elif flags:
            rating = "suggestive"
        faces.sort(key=lambda f: -f.score)
        return PeopleFindings(
            faces=tuple(faces),
            safety=SafetyVerdict(rating, flags),
            body_parts=tuple((label, round(score, 3)) for label, score in parts),
        )
