"""Line charts: one long thin run of a saturated colour over a row of category labels.

The row of labels is cut into one label per point (:mod:`.line_labels`: OCR reads neighbouring
labels as one line); each label's x is followed up to the line, where the point's height is
where the segments on either side meet. The value is the number printed next to that point
when there is one (kept as printed; one the line crossed and OCR misread is checked against
the point's height and read again with the line painted out), else read off the value axis's
tick labels (marked ``estimated``). Part of :mod:`seesay.engines.vision.charts`.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from typing import Final

import numpy as np
from PIL import Image

from seesay.engines.vision.chart_axes import axis_fit, estimate, tick_labels
from seesay.engines.vision.charts import Chart, ChartPair, center, title_above
from seesay.engines.vision.label_numbers import parse_number
from seesay.engines.vision.line_labels import categories
from seesay.engines.vision.text_reader import TextLine

__all__ = ["Reread", "read_line_chart"]

Reread = Callable[[Image.Image], list[TextLine]]

_OFF_SCALE: Final = 0.08  # a value this share of the spread off its point's height is misread


def _curve(image: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """The mask and box of the widest thin component of one saturated colour."""
    import cv2

    width = image.shape[1]
    best = None
    for mask in _saturated_masks(image):
        grown = cv2.dilate(mask.astype(np.uint8), np.ones((5, 5), np.uint8))
        n, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            if w < 0.3 * width or area > 0.35 * w * max(h, 1) or h < 4:
                continue
            if best is None or w > best[1][2]:
                best = ((labels == i) & mask, (x, y, w, h))
    return best


def _saturated_masks(image: np.ndarray, limit: int = 3) -> list[np.ndarray]:
    """Masks of the most frequent saturated hues: a plotted line is coloured, while axes,
    grid lines, text and their anti-aliased edges are black or grey. By hue, so the thin line's
    edges, paled by downscaling, still belong to it."""
    import cv2

    hsv = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2HSV)
    hue = hsv[:, :, 0].astype(np.int16)  # 0..179
    saturated = (hsv[:, :, 1] >= 60) & (hsv[:, :, 2] >= 40)
    total = saturated.size
    if saturated.sum() < 0.0005 * total:
        return []
    counts = np.bincount(hue[saturated] // 6, minlength=30)
    masks: list[np.ndarray] = []
    for b in np.argsort(counts)[::-1][:limit]:
        if counts[b] < 0.0005 * total:
            break
        centre = int(b) * 6 + 3
        near = np.abs(hue - centre)
        near = np.minimum(near, 180 - near)
        mask = saturated & (near <= 9)
        if not any((mask & m).sum() > 0.5 * mask.sum() for m in masks):
            masks.append(mask)
    return masks


def _height(mask: np.ndarray, x: int) -> float | None:
    """The middle of the line's pixels in column ``x``, or None when it has none there."""
    if not 0 <= x < mask.shape[1]:
        return None
    ys = np.nonzero(mask[:, x])[0]
    return float(ys.mean()) if ys.size else None


def _point(mask: np.ndarray, x: float, slot: float) -> tuple[float | None, float | None]:
    """The height of the line's point at about ``x``. A vertex's own column holds its marker
    and the start of both segments, which pull its middle up or down by a few pixels (a tenth
    of the values' spread on a small chart); each segment is followed from a little way off,
    past the marker, back to where the two meet (its x is only roughly ``x``: on a steep
    segment, a pixel aside is two up), or at an end of the line, to ``x``. With the height,
    the x where the segments met (None where they were not both found)."""
    near = max(4, round(0.12 * slot))
    segs = []  # (height at x, slope) of the segment on each side
    for side in (-1, 1):
        a = _height(mask, round(x) + side * near)
        b = _height(mask, round(x) + side * 2 * near)
        if a is not None and b is not None and abs(b - a) < 8 * near:
            slope = (b - a) / (side * near)
            segs.append((a - slope * side * near, slope))
    if len(segs) == 2:
        (yl, sl), (yr, sr) = segs
        if abs(sl - sr) > 0.05:
            t = max(-near, min(near, (yr - yl) / (sl - sr)))
            return float(yl + sl * t), x + t
        return float((yl + yr) / 2), None
    if segs:
        return float(segs[0][0]), None
    col = mask[:, max(0, int(x) - 2) : int(x) + 3]
    ys = np.nonzero(col.any(axis=1))[0]
    return (float(np.median(ys)) if ys.size else None), None


def _points(mask: np.ndarray, xs: list[float], slot: float) -> list[float | None]:
    """The line's height at each category's x in ``xs``. The first and last points have one
    segment each to follow back, so they are followed back to the x that the vertices found
    between them place them at, evenly spaced, where there are two such."""
    found = [_point(mask, x, slot) for x in xs]
    met = [(k, vx) for k, (_, vx) in enumerate(found) if vx is not None]
    if len(met) >= 2 and len(xs) >= 3:
        step, first = np.polyfit([k for k, _ in met], [vx for _, vx in met], 1)
        for k in (0, len(xs) - 1):
            if found[k][1] is None:
                found[k] = _point(mask, float(first + step * k), slot)
    return [y for y, _ in found]


def _rows(lines: Sequence[TextLine], picks: list[int]) -> list[list[int]]:
    rows: list[list[int]] = []
    for i in sorted(picks, key=lambda k: center(lines[k])[1]):
        if rows and abs(center(lines[i])[1] - center(lines[rows[-1][0]])[1]) < lines[i].box[3] / 2:
            rows[-1].append(i)
        else:
            rows.append([i])
    return rows


def _ends(mask: np.ndarray) -> tuple[float, float]:
    """The x of the line's first and last point: its leftmost and rightmost pixels."""
    cols = np.nonzero(mask.any(axis=0))[0]
    return float(cols[0]), float(cols[-1])


def _reread_value(
    image: np.ndarray,
    point: tuple[float, float],
    slot: float,
    line_h: float,
    reread: Reread,
    fits: Callable[[str], bool],
) -> str | None:
    """The number printed by a point that the first reading missed, when it ``fits`` the
    point's height: the line often crosses its label. A crop around the point is read again at
    twice the size, as it is (often enough) and then with every coloured pixel painted out:
    the label's black strokes stay whole, where painting out the line's own mask, grown to
    take its paled edges, also took the strokes it crossed ("236" read "36")."""
    import cv2

    x, y = point
    height, width = image.shape[:2]
    x0, x1 = max(0, int(x - slot / 2)), min(width, int(x + slot / 2))
    y0, y1 = max(0, int(y - 3 * line_h)), min(height, int(y + 3 * line_h))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    crop = np.ascontiguousarray(image[y0:y1, x0:x1])
    painted = crop.copy()
    coloured = cv2.cvtColor(crop, cv2.COLOR_RGB2HSV)[:, :, 1] >= 40
    painted[coloured] = np.median(crop.reshape(-1, 3), axis=0).astype(crop.dtype)
    for pixels in (crop, painted):
        big = Image.fromarray(pixels).resize((pixels.shape[1] * 2, pixels.shape[0] * 2))
        best, dist = None, float("inf")
        for found in reread(big):
            if parse_number(found.text) is None or not fits(found.text):
                continue
            cx, cy = center(found)
            d = abs(cy / 2 + y0 - y) + abs(cx / 2 + x0 - x)
            if d < dist:
                best, dist = found.text, d
        if best is not None:
            return best
    return None


def _scale(
    read: dict[int, str], points: Sequence[float | None]
) -> tuple[float, float, float] | None:
    """(slope, intercept, spread) of value against the points' heights, fitted robustly
    (Theil-Sen) from the values read, or None with fewer than three."""
    known = [
        (points[k], v)
        for k, t in read.items()
        if points[k] is not None and (v := parse_number(t)) is not None
    ]
    if len(known) < 3:
        return None
    slopes = [
        (b[1] - a[1]) / (b[0] - a[0])  # type: ignore[operator]
        for j, a in enumerate(known)
        for b in known[j + 1 :]
        if a[0] != b[0]
    ]
    if not slopes:
        return None
    slope = float(np.median(slopes))
    intercept = float(np.median([v - slope * y for y, v in known]))  # type: ignore[operator]
    # The spread of the values the line's points stand for, not only of those read: three
    # values close together must not make a far point's own value look off.
    heights = [y for y in points if y is not None]
    values = [v for _, v in known]
    spread = max(max(values) - min(values), abs(slope) * (max(heights) - min(heights)))
    return slope, intercept, spread


def _off_scale(
    read: dict[int, str],
    points: Sequence[float | None],
    scale: tuple[float, float, float] | None,
) -> list[int]:
    """The values that do not match their point's height (by more than _OFF_SCALE of the
    spread: "94" read for a crossed "394")."""
    if scale is None or scale[0] >= 0:  # values must grow upwards
        return []
    slope, intercept, spread = scale
    out = []
    for k, text in read.items():
        y, v = points[k], parse_number(text)
        if y is not None and v is not None and abs(slope * y + intercept - v) > _OFF_SCALE * spread:
            out.append(k)
    return out


def _on_scale(
    k: int,
    points: Sequence[float | None],
    scale: tuple[float, float, float] | None,
    text: str,
) -> bool:
    """Whether ``text``, read by point ``k``, matches its height."""
    return not _off_scale({k: text}, points, scale)


def read_line_chart(
    image: np.ndarray, lines: Sequence[TextLine], reread: Reread | None = None
) -> Chart | None:
    """The line chart in ``image`` with its categories paired to its values, or None.
    ``reread`` (the text reader) reads again the values the first reading missed."""
    found = _curve(image)
    if found is None:
        return None
    mask, (x0, y0, w0, h0) = found
    below = [i for i in range(len(lines)) if lines[i].box[1] >= y0 + h0 - 2]
    ends = _ends(mask)
    row: list[int] = []
    cats: list[tuple[str, float]] = []
    for r in _rows(lines, below):
        if not all(x0 - w0 * 0.2 <= center(lines[i])[0] <= x0 + w0 * 1.2 for i in r):
            continue
        found_cats = categories(image, lines, r, ends)
        if len(found_cats) > len(cats):
            row, cats = r, found_cats
    if len(cats) < 2:
        return None
    free = set(range(len(lines))) - set(row)
    xs = [x for _, x in cats]
    slot = min((b - a for a, b in itertools.pairwise(xs)), default=w0)
    points = _points(mask, xs, slot)
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
    read = {k: lines[vi].text for k, vi in enumerate(values) if vi is not None}
    scale = _scale(read, points)
    for k in _off_scale(read, points, scale):
        del read[k]  # a label the line crossed, read short ("94" for "394"): read it again
    if reread is not None and len(read) < len(values):
        line_h = float(np.median([lines[i].box[3] for i in row]))
        for k, (x, py) in enumerate(zip(xs, points, strict=True)):
            if k in read or py is None:
                continue
            fits = functools.partial(_on_scale, k, points, scale)
            text = _reread_value(image, (x, py), slot, line_h, reread, fits)
            if text is not None:
                read[k] = text
    fit = None
    if len(read) < len(values):
        ticks, used = tick_labels(lines, free, True, float(x0))
        fit = axis_fit(ticks)
        if fit is not None:
            free -= used
    pairs = []
    for k, ((label, _), py) in enumerate(zip(cats, points, strict=True)):
        if k in read:
            pairs.append(ChartPair(label, parse_number(read[k]), read[k]))
        elif fit is not None and py is not None:
            value, text = estimate(fit, py)
            pairs.append(ChartPair(label, value, text, estimated=True))
        else:
            pairs.append(ChartPair(label, None, None))
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
