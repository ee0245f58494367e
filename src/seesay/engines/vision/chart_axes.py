"""A chart's value axis: its numeric tick labels, the straight scale they lie on, and values
read off that scale.

Contract: ``tick_labels`` picks the numeric labels lined up along the value axis and gives
them as (pixel, value); ``axis_fit`` fits them to one straight scale (or None); ``estimate``
reads the value at a pixel on that scale, rounded to the precision the drawing has. Used by
bar charts (:mod:`.bar_charts`) and line charts (:mod:`.line_charts`) where no value is
printed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from seesay.engines.vision.label_numbers import parse_number
from seesay.engines.vision.text_reader import TextLine

__all__ = ["axis_fit", "estimate", "tick_labels"]


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
