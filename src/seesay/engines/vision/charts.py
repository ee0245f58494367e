"""Charts read from the OCR's boxes and the image's colours: their types, shared helpers, bars.

No model: bars are found as solid rectangles of one colour that share a baseline, a line as a
long thin run of one saturated colour. Each category label is paired with the bar (or point)
under or beside it *by position*, and each value with its bar by position too, so no category
can take another's value. A value printed on the chart is kept exactly as printed (``text``);
only where no value is printed is it read off the axis from the tick labels, and then it is
marked ``estimated``. A table is rows of OCR boxes whose cells line up in columns, with numbers
in its last column.

Line charts are in :mod:`.line_charts`, tables in :mod:`.tables`; :mod:`.chart_reader` tries
each in turn.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from seesay.engines.vision.label_cuts import cut_at
from seesay.engines.vision.text_reader import TextLine

__all__ = [
    "Bar",
    "Chart",
    "ChartPair",
    "axis_fit",
    "center",
    "colour_masks",
    "estimate",
    "find_bars",
    "parse_number",
    "read_bar_chart",
    "tick_labels",
    "title_above",
]

_NUMBER: Final = re.compile(r"^[-+−]?[$€£¥]?\d+(?:[.,]\d+)*(?:\.\d+)?\s?[%kKmMbB$€£¥]?$")
_MIN_BARS: Final = 2
_MIN_TABLE_ROWS: Final = 3


@dataclass(frozen=True, slots=True)
class ChartPair:
    """One category and its value. ``text`` is the value exactly as printed (None when no
    value could be read); ``value`` its number; ``estimated`` when read off the axis; ``more``
    a wider table's other cells in the row, as printed."""

    label: str
    value: float | None
    text: str | None
    estimated: bool = False
    more: tuple[str, ...] = ()  # a table's cells between the label and the value


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart or table read from the image. ``kind`` is "bar chart", "line chart" or "table";
    ``orientation`` "vertical" or "horizontal" for bars; ``used`` the indices of the text
    lines that belong to it; ``box`` (x, y, width, height) of its plot area or rows."""

    kind: str
    title: str | None
    pairs: tuple[ChartPair, ...]
    x_label: str | None
    y_label: str | None
    orientation: str | None
    used: frozenset[int]
    box: tuple[int, int, int, int]
    columns: tuple[str, ...] = ()
    unlabelled: int = 0  # bars found whose category label could not be read
    cut: int = 0  # labels cut out of a line read across several bars, not at a space


def parse_number(text: str) -> float | None:
    """The number a label shows ("1,200" → 1200, "45%" → 45, "$3.50" → 3.5), or None."""
    t = text.strip().replace(" ", "")
    if not _NUMBER.match(t):
        return None
    t = t.replace("−", "-").strip("$€£¥%kKmMbB")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    elif t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")  # a decimal comma
    try:
        return float(t)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Bar:
    """A bar's rectangle (x, y, width, height) in the image's pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def center(line: TextLine) -> tuple[float, float]:
    x, y, w, h = line.box
    return x + w / 2, y + h / 2


def _background(rgb: np.ndarray) -> np.ndarray:
    q = (rgb[::4, ::4] // 16).reshape(-1, 3).astype(np.int32)
    keys = q[:, 0] * 256 + q[:, 1] * 16 + q[:, 2]
    mode = int(np.bincount(keys).argmax())
    pick = keys == mode
    return np.asarray(rgb[::4, ::4].reshape(-1, 3)[pick].mean(axis=0))


def colour_masks(rgb: np.ndarray, *, limit: int = 6, with_colour: bool = False) -> list[Any]:
    """Masks of the image's most frequent colours other than the background's (with each
    colour, as ``(mask, colour)``, when ``with_colour``)."""
    bg = _background(rgb)
    q = (rgb // 24).reshape(-1, 3).astype(np.int32)
    keys = q[:, 0] * 4096 + q[:, 1] * 64 + q[:, 2]
    counts = np.bincount(keys)
    order = np.argsort(counts)[::-1][: limit + 4]
    masks: list[np.ndarray] = []
    colours: list[np.ndarray] = []
    flat = rgb.reshape(-1, 3).astype(np.int16)
    total = keys.size
    for key in order:
        if counts[key] < total * 0.0015:
            break
        colour = flat[keys == key].mean(axis=0)
        if np.abs(colour - bg).sum() < 60:
            continue
        mask = (np.abs(flat - colour).sum(axis=1) < 45).reshape(rgb.shape[:2])
        if any((mask & m).sum() > 0.5 * mask.sum() for m in masks):
            continue
        masks.append(mask)
        colours.append(colour)
        if len(masks) >= limit:
            break
    return list(zip(masks, colours, strict=True)) if with_colour else masks


def _rectangles(mask: np.ndarray) -> list[Bar]:
    import cv2

    solid = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=4)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if w >= 4 and h >= 3 and area >= 40 and area >= 0.85 * w * h:
            out.append(Bar(x, y, w, h))
    return out


def _aligned(rects: list[Bar], vertical: bool, tol: int) -> list[Bar]:
    """The largest set of rectangles sharing a baseline (bottom for vertical bars, left edge
    for horizontal ones) with similar thickness."""
    best: list[Bar] = []
    for r in rects:
        base = r.y + r.h if vertical else r.x
        thick = r.w if vertical else r.h
        group = [
            s
            for s in rects
            if abs((s.y + s.h if vertical else s.x) - base) <= tol
            and 0.7 * thick <= (s.w if vertical else s.h) <= 1.4 * thick
        ]
        if len(group) > len(best):
            best = group
    if len(best) < _MIN_BARS:
        return []
    best.sort(key=lambda s: s.x if vertical else s.y)
    # Bars do not overlap along the category axis.
    for a, b in itertools.pairwise(best):
        if (b.x < a.x + a.w) if vertical else (b.y < a.y + a.h):
            return []
    return best


def axis_fit(
    ticks: list[tuple[float, float]],
) -> tuple[float, float, float] | None:
    """(slope, intercept, step) mapping a pixel coordinate to a value, from (pixel, value)
    tick labels, or None when they do not lie on one straight scale. One label off the scale
    is left out when at least three others agree: OCR reads a tick mark touching its label as
    a digit ("1001" for "100-")."""
    fit = _straight_fit(ticks)
    if fit is None and len(ticks) >= 4:
        for k in range(len(ticks)):
            fit = _straight_fit(ticks[:k] + ticks[k + 1 :])
            if fit is not None:
                break
    return fit


def _straight_fit(ticks: list[tuple[float, float]]) -> tuple[float, float, float] | None:
    if len(ticks) < 2 or len({v for _, v in ticks}) < 2:
        return None
    px = np.array([p for p, _ in ticks])
    vals = np.array([v for _, v in ticks])
    slope, icpt = np.polyfit(px, vals, 1)
    span = float(vals.max() - vals.min())
    if span <= 0 or np.abs(slope * px + icpt - vals).max() > 0.03 * span:
        return None
    steps = np.diff(np.sort(vals))
    return float(slope), float(icpt), float(steps[steps > 0].min())


def _nice(x: float) -> float:
    """The number of the form 1, 2 or 5 times a power of ten nearest ``x`` (> 0)."""
    mag = 10 ** np.floor(np.log10(x))
    return float(min((g * mag for g in (1, 2, 5, 10)), key=lambda g: abs(g - x)))


def estimate(fit: tuple[float, float, float], pixel: float) -> tuple[float, str]:
    """The value at ``pixel`` on the axis ``fit``, and its text: rounded to what one pixel is
    worth (finer would claim a precision the drawing does not have), never coarser than a
    tenth of the ticks' step, and to whole numbers on an axis of whole numbers."""
    slope, icpt, step = fit
    value = slope * pixel + icpt
    grain = _nice(abs(slope)) if slope else 1.0
    if step > 0:
        grain = min(grain, _nice(step / 10))
    if float(step).is_integer():
        grain = max(grain, 1.0)
    value = round(value / grain) * grain
    text = f"{value:.0f}" if grain >= 1 else f"{value:g}"
    return float(text), text


def tick_labels(
    lines: Sequence[TextLine], free: set[int], vertical: bool, edge: float
) -> tuple[list[tuple[float, float]], set[int]]:
    """Numeric labels on the value axis: left of ``edge`` for vertical bars, below it for
    horizontal ones, lined up in one column (or row)."""
    cands = []
    for i in free:
        value = parse_number(lines[i].text)
        x, y, w, h = lines[i].box
        if value is None:
            continue
        if vertical and x + w <= edge + 2:
            cands.append((i, x + w, y + h / 2, value))
        elif not vertical and y >= edge - 2:
            cands.append((i, y, x + w / 2, value))
    if len(cands) < 2:
        return [], set()
    # The column (row) holding most labels: right edges (tops) within a few pixels.
    anchor = max(cands, key=lambda c: sum(abs(d[1] - c[1]) <= 8 for d in cands))
    picked = [c for c in cands if abs(c[1] - anchor[1]) <= 8]
    return [(c[2], c[3]) for c in picked], {c[0] for c in picked}


def title_above(lines: Sequence[TextLine], free: set[int], above: float) -> tuple[str | None, int]:
    cands = [
        i
        for i in free
        if lines[i].box[1] + lines[i].box[3] <= above + 2 and parse_number(lines[i].text) is None
    ]
    if not cands:
        return None, -1
    best = min(cands, key=lambda i: (lines[i].box[1], -lines[i].box[3]))
    return lines[best].text, best


def find_bars(image: np.ndarray) -> tuple[list[Bar], bool]:
    """The largest set of aligned solid rectangles of one colour in ``image`` (RGB pixels),
    left to right or top to bottom, and whether they stand vertically; none found: ([], True)."""
    height, width = image.shape[:2]
    best: tuple[list[Bar], bool] = ([], True)
    for mask in colour_masks(image):
        rects = _rectangles(mask)
        for vertical in (True, False):
            bars = _aligned(rects, vertical, tol=max(3, round(0.01 * max(height, width))))
            if len(bars) > len(best[0]):
                best = (bars, vertical)
    return best


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
    if sum(1 for t in labels if t is not None) < max(_MIN_BARS, len(bars) - 1):
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
    if sum(p.value is not None for p in pairs) < max(_MIN_BARS, len(pairs) - 1):
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
