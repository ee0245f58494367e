"""Line charts: one long thin run of a saturated colour over a row of category labels.

Each category label's x is followed up to the line; the value is the number printed next to
that point when there is one (kept as printed), else read off the value axis's tick labels
(marked ``estimated``). Part of :mod:`seesay.engines.vision.charts`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from seesay.engines.vision.charts import (
    Chart,
    ChartPair,
    axis_fit,
    center,
    colour_masks,
    estimate,
    parse_number,
    tick_labels,
    title_above,
)
from seesay.engines.vision.text_reader import TextLine

__all__ = ["read_line_chart"]


def _curve(image: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """The mask and box of the widest thin component of one saturated colour."""
    import cv2

    _height, width = image.shape[:2]
    best = None
    for mask, colour in colour_masks(image, with_colour=True):
        if int(colour.max()) - int(colour.min()) < 50:  # black axes and grey grid lines
            continue
        grown = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8))
        n, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            if w < 0.3 * width or area > 0.35 * w * max(h, 1) or h < 4:
                continue
            if best is None or w > best[1][2]:
                best = ((labels == i) & mask, (x, y, w, h))
    return best


def _rows(lines: Sequence[TextLine], picks: list[int]) -> list[list[int]]:
    rows: list[list[int]] = []
    for i in sorted(picks, key=lambda k: center(lines[k])[1]):
        if rows and abs(center(lines[i])[1] - center(lines[rows[-1][0]])[1]) < lines[i].box[3] / 2:
            rows[-1].append(i)
        else:
            rows.append([i])
    return rows


def read_line_chart(image: np.ndarray, lines: Sequence[TextLine]) -> Chart | None:
    """The line chart in ``image`` with its categories paired to its values, or None."""
    found = _curve(image)
    if found is None:
        return None
    mask, (x0, y0, w0, h0) = found
    below = [i for i in range(len(lines)) if lines[i].box[1] >= y0 + h0 - 2]
    rows: list[list[int]] = [
        r
        for r in _rows(lines, below)
        if len(r) >= 2 and all(x0 - w0 * 0.2 <= center(lines[i])[0] <= x0 + w0 * 1.2 for i in r)
    ]
    if not rows:
        return None
    widest: list[int] = max(rows, key=len)
    row = sorted(widest, key=lambda i: lines[i].box[0])
    free = set(range(len(lines))) - set(row)
    xs = [center(lines[i])[0] for i in row]
    slot = min((b - a for a, b in itertools.pairwise(xs)), default=w0)
    points: list[float | None] = []
    for x in xs:
        col = mask[:, max(0, int(x) - 2) : int(x) + 3]
        ys = np.nonzero(col.any(axis=1))[0]
        points.append(float(np.median(ys)) if ys.size else None)
    if sum(p is not None for p in points) < 2:
        return None
    values: list[int | None] = []
    for x, py in zip(xs, points, strict=True):
        best, dist = None, float("inf")
        for i in free:
            if py is None or parse_number(lines[i].text) is None:
                continue
            cx, cy = center(lines[i])
            h = lines[i].box[3]
            if abs(cx - x) <= slot / 2 and abs(cy - py) <= 3 * h and abs(cy - py) < dist:
                best, dist = i, abs(cy - py)
        values.append(best)
        if best is not None:
            free.discard(best)
    fit = None
    if any(v is None for v in values):
        ticks, used = tick_labels(lines, free, True, float(x0))
        fit = axis_fit(ticks)
        if fit is not None:
            free -= used
    pairs = []
    for i, vi, py in zip(row, values, points, strict=True):
        if vi is not None:
            pairs.append(ChartPair(lines[i].text, parse_number(lines[vi].text), lines[vi].text))
        elif fit is not None and py is not None:
            value, text = estimate(fit, py)
            pairs.append(ChartPair(lines[i].text, value, text, estimated=True))
        else:
            pairs.append(ChartPair(lines[i].text, None, None))
    top = min([y0] + [lines[v].box[1] for v in values if v is not None])
    title, ti = title_above(lines, free, top)
    free.discard(ti)
    label_top = max(lines[i].box[1] + lines[i].box[3] for i in row)
    under = [
        i for i in free if lines[i].box[1] >= label_top - 2 and parse_number(lines[i].text) is None
    ]
    x_label = lines[min(under, key=lambda i: lines[i].box[1])].text if under else None
    free -= set(under[:1])
    return Chart(
        "line chart",
        title,
        tuple(pairs),
        x_label,
        None,
        None,
        frozenset(set(range(len(lines))) - free),
        (x0, y0, w0, h0),
    )
