"""Text in the image: RapidOCR (PP-OCRv6 on onnxruntime), tesseract as a fallback where installed.

How a page is read, and why (measured in ``bench/quality``):

* The detector is the cheap "is there text at all" check. It first sees the image at most
  ``max_side`` pixels on its long side, so a photo without text costs one small detector pass.
  When the lines it finds are small at that scale (a printed page shrunk to 640 pixels has
  5-8 pixel letters) it looks again at the scale that makes them readable, up to full size.
* The recogniser reads each line from the image at the size it was given, never from the shrunk
  copy: PP-OCRv6 reads words correctly separated from crops where letters are 20 or more pixels
  high, and runs them together ("ROADCLOSED") when they are 6-8 pixels high. Its cost depends on a
  line's aspect ratio, not its pixel count (every crop is scaled to 48 pixels high), so reading
  from the full image costs the same as reading from the shrunk one.
* RapidOCR's own per-word scores pair the n-th word with the n-th character's score (3.10), so
  the word scores here are computed from the recogniser's per-character confidences.
* Lines come back in reading order (:mod:`seesay.engines.vision.layout`): columns and blocks
  top to bottom, each column read to its end before the next.

A word whose weakest character scores under ``UNSURE`` is marked ``unsure``: it is said as
"possibly ...", never dropped and never presented as certain. A line under ``_MIN_LINE_SCORE``
overall is noise (a texture read as letters) and is left out.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median
from typing import Any, Final

import numpy as np
from PIL import Image

from seesay.engines.ort_offline import disable_ort_telemetry
from seesay.engines.vision.layout import reading_order
from seesay.engines.vision.text_lines import UNSURE, TextLine, Word, scale_lines

__all__ = ["UNSURE", "TextLine", "TextReader", "Word", "scale_lines"]

_MIN_LINE_SCORE: Final = 0.6
# A lone glyph is the typical false reading of a texture or a round shape (PP-OCRv6 reads the
# coffee cup photo as "8" at 0.89); it counts only when the recogniser is very sure.
_MIN_GLYPH_SCORE: Final = 0.95
_TESSERACT_TIMEOUT_S: Final = 10.0
# Lines this many detector pixels high or more are all found (a page's 18-pixel print shrunk
# to 640 is); smaller ones make the detector look again at a larger scale, chosen so lines
# become about _GOOD_LINE_PX high (measured: at 5 pixels it finds a quarter of the lines).
_SMALL_LINE_PX: Final = 7
_GOOD_LINE_PX: Final = 12
_MAX_DETECT_SIDE: Final = 2048
_MIN_SHORT_SIDE: Final = 480
_SPLIT_LINES: Final = 8  # from this many lines on, recognition is shared by two sessions


def _words(text: str, confs: list[float], line_score: float) -> tuple[Word, ...]:
    """Split ``text`` on spaces; each word scores its weakest character's confidence (the
    recogniser gives one confidence per character of ``text``, spaces included)."""
    if len(confs) != len(text):
        return tuple(Word(w, line_score) for w in text.split())
    words: list[Word] = []
    start = None
    for i, ch in enumerate([*text, " "]):
        if ch != " " and start is None:
            start = i
        elif ch == " " and start is not None:
            words.append(Word(text[start:i], float(min(confs[start:i]))))
            start = None
    return tuple(words)


def _line_shaped(quad: np.ndarray) -> bool:
    width = float(np.linalg.norm(quad[1] - quad[0]))
    height = float(np.linalg.norm(quad[3] - quad[0]))
    return width >= 2 * height


class TextReader:
    """Loaded OCR. ``read`` is thread-safe: RapidOCR keeps per-call state, so calls serialise."""

    def __init__(
        self,
        *,
        threads: int = 2,
        max_side: int = 640,
        use_tesseract: bool = True,
        split_pages: bool = True,
    ):
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
                # One line per run: RapidOCR pads each batch of lines to its widest, and the
                # padding costs as much as text (measured: a fifth of a page's recognition
                # time, the same words read). Short lines keep the model's 320-pixel minimum:
                # with less, a short number misreads ("243" as "247").
                "Rec.rec_batch_num": 1,
                "EngineConfig.onnxruntime.intra_op_num_threads": max(1, threads),
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        # RapidOCR builds its sessions on first use; build them now so a broken install fails
        # at load time, not in the first request.
        self._det: Any = self._ocr._load_det_model()
        self._rec: Any = self._ocr._load_rec_model()
        self._max_side = max_side
        # A second recogniser (one more session of the same model, about 50 MB) reads half of
        # a page's lines on the other core: a page is 40-70 lines, and recognition is nearly
        # all of its cost. A photo's few lines stay on one core beside the other detectors.
        self._rec2: Any = None
        self._pool: ThreadPoolExecutor | None = None
        if split_pages:
            from rapidocr.ch_ppocr_rec import TextRecognizer

            self._rec2 = TextRecognizer(self._ocr.cfg.Rec)
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seesay-ocr")
        self._lock = threading.Lock()
        self._tesseract = shutil.which("tesseract") if use_tesseract else None

    @property
    def engines(self) -> tuple[str, ...]:
        return ("rapidocr", "tesseract") if self._tesseract else ("rapidocr",)

    def read(self, image: Image.Image) -> list[TextLine]:
        """Lines of text in reading order, boxes in ``image``'s pixels; empty when none is
        found with confidence. Give the image at the size it was sent (up to the decoder's
        bound): small print is read from it, not from a shrunk copy."""
        import cv2

        rgb = np.asarray(image if image.mode == "RGB" else image.convert("RGB"))
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)  # no Python-held copy of a full photo
        with self._lock:
            quads = self._detect(bgr)
            found = len(quads) > 0
            lines = self._recognise(bgr, quads) if found else []
        if not lines and self._tesseract and any(_line_shaped(q) for q in quads):
            # RapidOCR saw line-shaped regions but could not read them confidently: ask
            # tesseract. Only line-shaped ones: most photos have one blob-shaped false region
            # (a cat's face), and tesseract on a whole photo costs more than the rest of it.
            lines = self._read_tesseract(image)
        return reading_order(lines)

    def _detect(self, bgr: np.ndarray) -> list[np.ndarray]:
        """Text line quadrilaterals in ``bgr``'s pixels: one pass at ``max_side``, a second at
        a larger scale when the lines found are too small to have been found reliably."""
        long_side, short_side = max(bgr.shape[:2]), min(bgr.shape[:2])
        # A tall phone screenshot shrunk to max_side on its long side is 300 pixels wide, and
        # thin strokes vanish; its short side is kept at _MIN_SHORT_SIDE where it has that.
        tall = round(_MIN_SHORT_SIDE * long_side / max(1, short_side))
        side = min(long_side, _MAX_DETECT_SIDE, max(self._max_side, tall))
        quads = self._detect_at(bgr, side)
        if quads and side < long_side:
            heights = [float(q[:, 1].max() - q[:, 1].min()) for q in quads]
            line_px = median(heights) * side / long_side
            if line_px < _SMALL_LINE_PX:
                bigger = min(long_side, _MAX_DETECT_SIDE, round(side * _GOOD_LINE_PX / line_px))
                if bigger > side * 1.2:
                    quads = self._detect_at(bgr, bigger) or quads
        return quads

    def _detect_at(self, bgr: np.ndarray, side: int) -> list[np.ndarray]:
        self._det.limit_side_len = side
        out = self._det(bgr)
        return [] if out.boxes is None else list(out.boxes)

    def _recognise(self, bgr: np.ndarray, quads: list[np.ndarray]) -> list[TextLine]:
        from rapidocr.ch_ppocr_rec import TextRecInput
        from rapidocr.utils.process_img import get_rotate_crop_image

        crops = [get_rotate_crop_image(bgr, q.astype(np.float32).copy()) for q in quads]

        def run(rec: Any, part: list[np.ndarray]) -> list[tuple[str, float, list[float]]]:
            out = rec(TextRecInput(img=part, return_word_box=True))
            if out.txts is None:
                return [("", 0.0, [])] * len(part)
            infos = out.word_results if len(out.word_results) == len(out.txts) else None
            return [
                (str(raw), float(score), list(getattr(infos[i], "confs", None) or []))
                if infos
                else (str(raw), float(score), [])
                for i, (raw, score) in enumerate(zip(out.txts, out.scores, strict=True))
            ]

        if len(crops) >= _SPLIT_LINES and self._pool is not None:
            # A page: every other line goes to the second recogniser on the other core.
            other = self._pool.submit(run, self._rec2, crops[1::2])
            mine = run(self._rec, crops[0::2])
            theirs = other.result()
            read = [mine[i // 2] if i % 2 == 0 else theirs[i // 2] for i in range(len(crops))]
        else:
            read = run(self._rec, crops)
        lines: list[TextLine] = []
        for quad, (raw, score, confs) in zip(quads, read, strict=True):
            words = _words(str(raw), confs, score)
            text = " ".join(w.text for w in words)
            if not text or score < _MIN_LINE_SCORE:
                continue
            # A lone glyph is judged by its own confidence: the line's score also counts what
            # the recogniser read as blanks beside it (a checkbox before a one-letter label).
            if len(text) == 1 and words[0].score < _MIN_GLYPH_SCORE:
                continue
            xs, ys = quad[:, 0], quad[:, 1]
            box = (int(xs.min()), int(ys.min()), int(xs.max() - xs.min()), int(ys.max() - ys.min()))
            lines.append(TextLine(text, score, box, words))
        return lines

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
                TextLine(
                    " ".join(w for w, _, _ in items),
                    score,
                    (x0, y0, x1 - x0, y1 - y0),
                    tuple(Word(w, s) for w, s, _ in items),
                )
            )
        return lines
