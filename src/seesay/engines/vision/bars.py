"""A bar chart's bars found in the pixels, without a model.

Contract: ``find_bars(rgb)`` returns the largest set of solid rectangles of one colour that
share a baseline and a thickness and do not overlap along the category axis (at least
``MIN_BARS`` of them, else none), ordered left to right (vertical bars) or top to bottom
(horizontal ones), and whether they stand vertically. ``colour_masks`` gives the masks of the
image's most frequent colours other than the background's.
"""

from __future__ import annotations

import itertools
from typing import Any, Final

import numpy as np

from seesay.engines.vision.charts import Bar

__all__ = ["MIN_BARS", "colour_masks", "find_bars"]

MIN_BARS: Final = 2


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
    if len(best) < MIN_BARS:
        return []
    best.sort(key=lambda s: s.x if vertical else s.y)
    # Bars do not overlap along the category axis.
    for a, b in itertools.pairwise(best):
        if (b.x < a.x + a.w) if vertical else (b.y < a.y + a.h):
            return []
    return best


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
