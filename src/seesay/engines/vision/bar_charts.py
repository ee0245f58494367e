"""A bar chart read from its bars and the OCR's boxes: each category paired with its value.

Contract: ``read_bar_chart(rgb, lines, found)`` pairs each bar (:mod:`.bars`) with the label
under it (vertical bars) or left of it (horizontal ones) *by position*, and with the number
printed at its end, by position too, so no category can take another's value. A printed value
is kept exactly as printed; only where none is printed is it read off the axis from the tick
labels (:mod:`.chart_axes`) and marked ``estimated``. Returns None when the rectangles are
not a chart's bars: too few of them carry a label, or too few a value.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from seesay.engines.vision.bars import MIN_BARS, find_bars
from seesay.engines.vision.chart_axes import axis_fit, estimate, tick_labels
from seesay.engines.vision.charts import Bar, Chart, ChartPair, center, title_above
from seesay.engines.vision.label_cuts import cut_at
from seesay.engines.vision.label_numbers import parse_number
from seesay.engines.vision.text_reader import TextLine

__all__ = ["read_bar_chart"]


def read_bar_chart(
    image: np.ndarray, lines: Sequence[TextLine], found: tuple[list[Bar], bool] | None = None
) -> Chart | None:
    """The bar chart in ``image`` (RGB pixels) with its categories paired to values, or None.
    ``found``: what ``find_bars(image)`` gave, when it was already asked."""
    bars, vertical = found if found is not None else find_bars(image)
    if not bars:
        return None
    free = set(range(len(lines)))
    labels, label_lines, cut = _category_labels(image, lines, free, bars, vertical)
    if sum(1 for t in labels if t is not None) < max(MIN_BARS, len(bars) - 1):
        return None  # rectangles without a label each are not a chart's bars
    free -= label_lines
    # The axis's tick labels first: by the first bar, the one nearest the axis, a tick label
    # ("50" at the foot of a bar 239 high) can sit where that bar's value would be printed.
    edge = float(min(b.x for b in bars)) if vertical else float(max(b.y + b.h for b in bars))
    ticks, tick_used = tick_labels(lines, free, vertical, edge)
    fit = axis_fit(ticks)
    if fit is not None:
        free -= tick_used
    values = _value_labels(lines, free, bars, vertical)
    free -= {i for i in values if i is not None}
    pairs = []
    unlabelled = 0
    for bar, label, vi in zip(bars, labels, values, strict=True):
        if label is None:
            unlabelled += 1  # said as such, never left out silently
            continue
        if vi is not None:
            pairs.append(ChartPair(label, parse_number(lines[vi].text), lines[vi].text))
        elif fit is not None:
            value, text = estimate(fit, bar.y if vertical else bar.x + bar.w)
            pairs.append(ChartPair(label, value, text, estimated=True))
        else:
            pairs.append(ChartPair(label, None, None))
    if sum(p.value is not None for p in pairs) < max(MIN_BARS, len(pairs) - 1):
        return None  # no values to pair: filled boxes (a table's header), not a chart
    top = min([b.y for b in bars] + [lines[i].box[1] for i in values if i is not None])
    title, ti = title_above(lines, free, top)
    free.discard(ti)
    x0 = min(b.x for b in bars)
    y0 = min(b.y for b in bars)
    x1 = max(b.x + b.w for b in bars)
    y1 = max(b.y + b.h for b in bars)
    x_label, y_label = _axis_titles(lines, free, label_lines, vertical, (x0, y0, x1, y1))
    used = set(range(len(lines))) - free
    return Chart(
        "bar chart",
        title,
        tuple(pairs),
        x_label,
        y_label,
        "vertical" if vertical else "horizontal",
        frozenset(used),
        (x0, y0, x1 - x0, y1 - y0),
        unlabelled=unlabelled,
        cut=cut,
    )


def _category_labels(
    image: np.ndarray, lines: Sequence[TextLine], free: set[int], bars: list[Bar], vertical: bool
) -> tuple[list[str | None], set[int], int]:
    """For each bar, the text under it (vertical) or left of it (horizontal); the lines used;
    and how many labels were cut out of a longer line other than at a space. A line under
    several bars was read across their labels: it is cut at the midpoints between them, each
    piece going to its own bar. Where a bar's label was read again on its own (a crop under
    it), the better reading of the two is kept: a cut out of a garbled line can take a letter
    of its neighbour or lose one of its own ("SeptembeØctobe")."""
    gaps = [(b.cx - a.cx) if vertical else (b.cy - a.cy) for a, b in itertools.pairwise(bars)]
    slot = min(gaps) if gaps else (bars[0].w if vertical else bars[0].h) * 2
    cands: list[_Label] = []
    for i in free:
        x, y, w, h = lines[i].box
        cx, cy = center(lines[i])
        if vertical:
            base = bars[0].y + bars[0].h
            if not (base - 3 <= y <= base + 4 * h):
                continue
            under = [b for b in bars if x <= b.cx <= x + w]
            if len(under) >= 2:
                mids = [(a.cx + b.cx) / 2 for a, b in itertools.pairwise(under)]
                pieces = cut_at(image, lines[i], mids, slot / 3)
                cands += [
                    _Label(text, b.cx, i, y - base, h, not clean)
                    for b, (text, clean) in zip(under, pieces, strict=True)
                    if text
                ]
            else:
                cands.append(_Label(lines[i].text, cx, i, y - base, h, False))
        elif bars[0].x - 12 * h <= x + w <= bars[0].x + 3:
            cands.append(_Label(lines[i].text, cy, i, bars[0].x - (x + w), h, False))
    out: list[str | None] = []
    used: set[int] = set()
    taken: set[int] = set()
    cut = 0
    for bar in bars:
        centre = bar.cx if vertical else bar.cy
        near = [k for k, c in enumerate(cands) if k not in taken and abs(c.at - centre) < slot / 2]
        if not near:
            out.append(None)
            continue
        # Of the texts across from the bar, those nearest the bars: an axis title centred
        # under the middle bar lies further out than that bar's own label.
        first = min(near, key=lambda k: (round(cands[k].off / 4), abs(cands[k].at - centre)))
        row = [k for k in near if cands[k].off <= cands[first].off + cands[first].h / 2]
        best = first
        if any(cands[k].piece for k in row):
            best = max(row, key=lambda k: _reading(cands[k]))
        taken.add(best)
        out.append(cands[best].text)
        cut += cands[best].piece
        # The row's other readings of this label are the chart's too, not text beside it.
        used |= {cands[k].line for k in (row if cands[best].piece else [best])}
    return out, used, cut


@dataclass(frozen=True, slots=True)
class _Label:
    """A category label's text read across from a bar: its centre along the category axis,
    source line, distance from the bars' base, the line's height, and whether it was cut out
    of a longer line other than at a space."""

    text: str
    at: float
    line: int
    off: float
    h: int
    piece: bool


def _reading(label: _Label) -> tuple[bool, bool, int, int, bool]:
    """How well ``label`` reads a label, the better the greater: no capital after a small
    letter (a neighbour's first letter in a crop: "TuesdayV"), starting with a capital as
    labels do, more plain letters, fewer other signs (a cut through touching labels leaves
    "ß" of "rO"), and read whole rather than cut."""
    t = label.text
    plain = sum(c.isascii() and c.isalpha() for c in t)
    joined = re.search(r"[a-z][A-Z]", t) is not None
    return not joined, t[:1].isupper(), plain, -(len(t.replace(" ", "")) - plain), not label.piece


def _value_labels(
    lines: Sequence[TextLine], free: set[int], bars: list[Bar], vertical: bool
) -> list[int | None]:
    """For each bar, the number printed at its end (above or inside a vertical bar's top,
    right of or inside a horizontal bar's end)."""
    out: list[int | None] = []
    taken: set[int] = set()
    for bar in bars:
        best, dist = None, float("inf")
        for i in free - taken:
            if parse_number(lines[i].text) is None:
                continue
            x, y, _w, h = lines[i].box
            cx, cy = center(lines[i])
            if vertical:
                ok = bar.x - bar.w * 0.5 <= cx <= bar.x + bar.w * 1.5 and (
                    bar.y - 3 * h <= y + h <= bar.y + bar.h
                )
                d = abs(y + h - bar.y)
            else:
                ok = bar.y - bar.h * 0.5 <= cy <= bar.y + bar.h * 1.5 and (
                    bar.x <= x <= bar.x + bar.w + 3 * h
                )
                d = abs(x - (bar.x + bar.w))
            if ok and d < dist:
                best, dist = i, d
        out.append(best)
        if best is not None:
            taken.add(best)
    return out


def _axis_titles(
    lines: Sequence[TextLine],
    free: set[int],
    labels: set[int],
    vertical: bool,
    plot: tuple[int, int, int, int],
) -> tuple[str | None, str | None]:
    """The axis titles: a word line below the category labels (horizontal axis) and one left
    of the plot (vertical axis), when there are any."""
    x0, y0, x1, y1 = plot
    words = [i for i in free if parse_number(lines[i].text) is None]
    below_from = max([lines[i].box[1] + lines[i].box[3] for i in labels] + [y1])
    below = [
        i
        for i in words
        if lines[i].box[1] >= below_from - 2 and x0 - 40 <= center(lines[i])[0] <= x1 + 40
    ]
    left = [
        i
        for i in words
        if lines[i].box[0] + lines[i].box[2] < x0 and y0 <= center(lines[i])[1] <= y1
    ]
    if not vertical:
        left = [i for i in left if i not in labels]
    x_label = lines[min(below, key=lambda i: lines[i].box[1])].text if below else None
    y_label = lines[min(left, key=lambda i: lines[i].box[0])].text if left and vertical else None
    free -= set(below[:1]) | set(left[:1])
    return x_label, y_label
