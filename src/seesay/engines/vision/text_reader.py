"""Text in the image: RapidOCR (PP-OCRv6 on onnxruntime), tesseract as a fallback where installed.

RapidOCR's detector is the cheap "is there text at all" check: recognition only runs on the
boxes it finds, so a photo without text costs one detector pass. The detector sees the image at
most ``max_side`` pixels on its long side (RapidOCR's default upscales the *short* side to 736,
which made a 1 MP photo cost over a second on two cores).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image

from seesay.engines.ort_offline import disable_ort_telemetry

__all__ = ["TextLine", "TextReader"]

_MIN_LINE_SCORE: Final = 0.6
# A lone glyph is the typical false reading of a texture or a round shape (PP-OCRv6 reads the
# coffee cup photo as "8" at 0.89); it counts only when the recogniser is very sure.
_MIN_GLYPH_SCORE: Final = 0.95
_TESSERACT_TIMEOUT_S: Final = 10.0


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text read, with its box (x, y, width, height) in the given image's pixels."""

    text: str
    score: float
    box: tuple[int, int, int, int]


def _reading_order(lines: list[TextLine]) -> list[TextLine]:
    """Top-to-bottom, then left-to-right for lines sharing a row (half a line height apart)."""
    lines = sorted(lines, key=lambda t: t.box[1])
    rows: list[list[TextLine]] = []
    for line in lines:
        if rows and abs(line.box[1] - rows[-1][0].box[1]) < max(4, rows[-1][0].box[3] // 2):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [t for row in rows for t in sorted(row, key=lambda t: t.box[0])]


class TextReader:
    """Loaded OCR. ``read`` is thread-safe: RapidOCR keeps per-call state, so calls serialise."""

    def __init__(self, *, threads: int = 2, max_side: int = 640, use_tesseract: bool = True):
        disable_ort_telemetry()
        import rapidocr
        from rapidocr import RapidOCR

        # The models that ship in the wheel, named explicitly: RapidOCR downloads any model
        # it does not find, and this server never fetches anything at run time.
        models = Path(rapidocr.__file__).with_name("models")
        self._ocr: Any = RapidOCR(
            params={
                "Global.log_level": "error",  # not a warning per photo without text
                "Global.use_cls": False,  # upright text is the norm; the angle model costs per box
                "Global.text_score": 0.0,  # every line comes back; read() applies our threshold
                "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
                "Det.limit_side_len": max_side,
                "Det.limit_type": "max",
                "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
                "EngineConfig.onnxruntime.intra_op_num_threads": max(1, threads),
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        # RapidOCR builds its sessions on first use; build them now so a broken install fails
        # at load time, not in the first request.
        self._ocr._load_det_model()
        self._ocr._load_rec_model()
        self._lock = threading.Lock()
        self._tesseract = shutil.which("tesseract") if use_tesseract else None

    @property
    def engines(self) -> tuple[str, ...]:
        return ("rapidocr", "tesseract") if self._tesseract else ("rapidocr",)

    def read(self, image: Image.Image) -> list[TextLine]:
        """Lines of text in reading order; empty when none is found with confidence."""
        bgr = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
        with self._lock:
            output = self._ocr(bgr)
        found = output.boxes is not None and output.txts is not None and len(output.txts) > 0
        result = zip(output.boxes, output.txts, output.scores, strict=True) if found else ()
        lines: list[TextLine] = []
        for quad, text, score in result:
            text = str(text).strip()
            if not text or float(score) < _MIN_LINE_SCORE:
                continue
            if len(text) == 1 and float(score) < _MIN_GLYPH_SCORE:
                continue
            xs = [p[0] for p in quad]
            ys = [p[1] for p in quad]
            box = (int(min(xs)), int(min(ys)), int(max(xs) - min(xs)), int(max(ys) - min(ys)))
            lines.append(TextLine(text, float(score), box))
        if not lines and self._tesseract and found:
            # RapidOCR saw text-like regions but could not read them confidently: ask tesseract.
            lines = self._read_tesseract(image)
        return _reading_order(lines)

    def _read_tesseract(self, image: Image.Image) -> list[TextLine]:
        import io

        assert self._tesseract is not None
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="PNG")
        try:
            proc = subprocess.run(  # noqa: S603 - fixed binary path, no shell, our own PNG on stdin
                [self._tesseract, "stdin", "stdout", "--psm", "3", "tsv"],
                input=buf.getvalue(),
                capture_output=True,
                timeout=_TESSERACT_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return []
        if proc.returncode != 0:
            return []
        words: dict[tuple[int, int, int], list[tuple[str, float, tuple[int, int, int, int]]]] = {}
        for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
            cols = row.split("\t")
            if len(cols) != 12 or not cols[11].strip() or float(cols[10]) < 60:
                continue
            key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
            box = (int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]))
            words.setdefault(key, []).append((cols[11].strip(), float(cols[10]) / 100, box))
        lines = []
        for items in words.values():
            x0 = min(b[0] for _, _, b in items)
            y0 = min(b[1] for _, _, b in items)
            x1 = max(b[0] + b[2] for _, _, b in items)
            y1 = max(b[1] + b[3] for _, _, b in items)
            score = sum(s for _, s, _ in items) / len(items)
            lines.append(
                TextLine(" ".join(w for w, _, _ in items), score, (x0, y0, x1 - x0, y1 - y0))
            )
        return lines
