"""A bar chart's small print read again around its bars.

Sized for a chart's big title, the text detector's pass over the whole image can miss the
short labels under the bars and the values over them (a three-bar chart with a 30-pixel title
kept only its title and one value). Where the bars are known, the strip of labels and the
space over (or beside) each bar are cut out, enlarged and read on their own: a crop holds
only small print, so the detector sizes its pass for it.

A line read across several bars' labels (touching labels, "AugusSeptembeßctober") is cut at
the midpoints between the bars, and a cut may split a garbled label; each bar's label read on
its own in its crop is kept beside it, for the chart to keep the better reading.

Contract: ``read_around_bars(rgb, bars, vertical, lines, reread)`` returns the lines found
there that ``lines`` does not already hold (a label read again under a line that spans
several bars' labels counts as new), boxes in ``rgb``'s pixels.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

import numpy as np
from PIL import Image

from seesay.engines.vision.charts import Bar, center
from seesay.engines.vision.line_charts import Reread
from seesay.engines.vision.text_lines import TextLine

__all__ = ["read_around_bars"]

_ENLARGE: Final = 2  # a crop is read at twice its size: 10-pixel print becomes 20
_STRIP: Final = 0.07  # a label's space: this share of the image beyond the bars' base
_OVER: Final = 0.08  # the space over a bar's end where its value is printed


def read_around_bars(
    rgb: np.ndarray,
    bars: Sequence[Bar],
    vertical: bool,
    lines: Sequence[TextLine],
    reread: Reread,
) -> list[TextLine]:
    """The lines read in the crops around ``bars`` that are not among ``lines``."""
    found: list[TextLine] = []
    merged = [line for line in lines if vertical and _across_labels(line, bars)]
    for crop in _crops(rgb.shape[:2], bars, vertical):
        for line in _read_crop(rgb, crop, reread):
            seen = [s for s in (*lines, *found) if _inside(line, s)]
            if not seen or (vertical and all(s in merged for s in seen)):
                found.append(line)
    return found


def _across_labels(line: TextLine, bars: Sequence[Bar]) -> bool:
    """``line`` lies in the row of labels under vertical ``bars`` and spans two or more."""
    x, y, w, _ = line.box
    base = max(b.y + b.h for b in bars)
    return y >= base - 3 and sum(x <= b.cx <= x + w for b in bars) >= 2


def _crops(
    shape: tuple[int, ...], bars: Sequence[Bar], vertical: bool
) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of the space of each bar's label, then of the space at its end."""
    height, width = shape[0], shape[1]
    gaps = [(b.cx - a.cx) if vertical else (b.cy - a.cy) for a, b in itertools.pairwise(bars)]
    slot = min(gaps) if gaps else 2.0 * (bars[0].w if vertical else bars[0].h)
    if vertical:
        base = max(b.y + b.h for b in bars)
        below = max(_STRIP * height, 24)
        out = [
            (int(b.cx - slot / 2), base + 1, int(b.cx + slot / 2), int(base + below)) for b in bars
        ]
        over = max(_OVER * height, 24)
        out += [
            (int(b.x - 0.3 * b.w), int(b.y - over), int(b.x + 1.3 * b.w), b.y + 2) for b in bars
        ]
    else:
        left = min(b.x for b in bars)
        top, bottom = min(b.y for b in bars), max(b.y + b.h for b in bars)
        out = [(0, int(top - slot / 2), left - 1, int(bottom + slot / 2))]
        beside = max(_STRIP * width, 40)
        out += [
            (b.x + b.w - 2, int(b.y - 0.3 * b.h), int(b.x + b.w + beside), int(b.y + 1.3 * b.h))
            for b in bars
        ]
    return [
        (max(0, x0), max(0, y0), min(width, x1), min(height, y1))
        for x0, y0, x1, y1 in out
        if min(width, x1) - max(0, x0) >= 8 and min(height, y1) - max(0, y0) >= 8
    ]


def _read_crop(rgb: np.ndarray, crop: tuple[int, int, int, int], reread: Reread) -> list[TextLine]:
    x0, y0, x1, y1 = crop
    pixels = Image.fromarray(np.ascontiguousarray(rgb[y0:y1, x0:x1]))
    big = pixels.resize(
        (pixels.width * _ENLARGE, pixels.height * _ENLARGE), Image.Resampling.LANCZOS
    )
    out = []
    for line in reread(big):
        x, y, w, h = line.box
        box = (x // _ENLARGE + x0, y // _ENLARGE + y0, w // _ENLARGE, h // _ENLARGE)
        out.append(replace(line, box=box))
    return out


def _inside(line: TextLine, other: TextLine) -> bool:
    """``line``'s centre lies in ``other``'s box: the same text read twice."""
    cx, cy = center(line)
    x, y, w, h = other.box
    return x <= cx <= x + w and y <= cy <= y + h
