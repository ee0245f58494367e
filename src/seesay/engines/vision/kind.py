"""What kind of image this is, from the findings: photo, document, screenshot, chart, sign, code.

No model decides this; the evidence does (tested on rendered and photo-like images):

- a reading part that read the image whole (a QR code filling it, a chart) names its kind;
- ``document``: several lines of long, small text on a bright page, or many lines of prose
  on any background (a scanned or photographed page);
- ``screenshot``: several short lines of small text on *exact* flat colours (rendered pixels,
  which a camera never makes: a photographed sign has noise and texture, so it is never a
  screenshot);
- ``sign``: a few lines of large text, or a classifier label of a sign with some text;
- ``graphic``: flat colours and no text; ``photo``: everything else; ``image`` when the
  colour analysis did not run (nothing can be told apart without it).
"""

from __future__ import annotations

from statistics import median
from typing import Final

from seesay.engines.vision.findings import Findings

__all__ = ["BIG_TEXT", "FLAT", "KINDS", "image_kind"]

KINDS: Final = ("photo", "document", "screenshot", "chart", "sign", "code", "graphic", "image")

FLAT: Final = 0.55  # share of pixels in 24 exact colours: rendered, not photographed
BIG_TEXT: Final = 0.06  # a line this share of the frame height is sign-sized
_SIGN_LABELS: Final = frozenset({919, 920, 781})  # street sign, traffic light, scoreboard


def _words(text: str) -> int:
    """How many words ``text`` holds: a list's bullets and dashes are none."""
    return sum(any(ch.isalnum() for ch in token) for token in text.split())


def image_kind(f: Findings) -> str:
    """The kind of image ``f`` was seen in (one of ``KINDS``)."""
    for reading in f.readings:
        if reading.kind in KINDS:
            return str(reading.kind)
    look = f.look
    if look is None:
        return "image"
    flat = look.flat_share > FLAT
    # Lines without two letters or digits ("@@" read off a coin) say nothing about the kind,
    # nor do the lines a reading took as its own (a barcode's printed digits are no sign).
    taken = frozenset().union(*(r.used_lines() for r in f.readings))
    lines = [
        line
        for i, line in enumerate(f.text or ())
        if i not in taken and sum(ch.isalnum() for ch in line.text) >= 2
    ]
    if not lines:
        return "graphic" if flat else "photo"
    width, height = f.box_frame
    heights = [line.box[3] / max(1, height) for line in lines]
    widths = [line.box[2] / max(1, width) for line in lines]
    words = sum(_words(line.text) for line in lines)
    tall = median(heights)
    per_line = words / len(lines)
    bright = look.white_share > 0.35 or look.brightness > 0.7
    top = {lb.index for lb in (f.labels or [])[:3]}
    # Prose: most of the words stand in lines across half the frame (a page's headings and
    # list items are short, its paragraphs are not). A bullet is no word.
    prose = sum(_words(ln.text) for ln, w in zip(lines, widths, strict=True) if w > 0.5)
    # A paragraph: three lines across most of the frame (an app's lines are short; a page
    # that is mostly lists still has some).
    paragraph = sum(w > 0.6 for w in widths) >= 3
    wide = median(widths) > 0.3 or prose >= 0.6 * words or paragraph
    if len(lines) >= 3 and tall < BIG_TEXT and bright and per_line >= 3 and wide:
        return "document"
    if len(lines) >= 3 and tall < BIG_TEXT and flat:
        return "screenshot"
    if len(lines) <= 6 and words <= 24 and (tall >= BIG_TEXT or top & _SIGN_LABELS):
        return "sign"
    if len(lines) >= 3 and bright and words >= 12:
        return "document"
    if len(lines) >= 4 and words >= 20 and per_line >= 3:
        return "document"  # a page scanned or photographed: grey paper, but lines of prose
    return "graphic" if flat else "photo"
