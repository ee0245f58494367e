"""The pixel evidence ``screens.read_screen`` reads a screen by: closed, nearly rectangular
outlines (boxes) in the colour-edge map, the colours in and around them, a line's letters (their
colour, contrast, extent and size), a switch's knob and an app bar across the top.

Measured on screens drawn with random labels, sizes and colours in light and dark themes
(``bench/quality``): see ``screens`` for how these make controls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

__all__ = [
    "Box",
    "Ink",
    "centre",
    "clipped",
    "find_boxes",
    "holds",
    "in_top_bar",
    "ink_of",
    "is_filled",
    "is_link_ink",
    "ring_colour",
    "scaled",
    "switch_on",
    "within",
]

_EDGE: Final = 14  # a colour step this large (0-255, any channel) is an edge
_RECTANGULAR: Final = 0.8  # a box's outline encloses this share of its bounding rectangle
_FILLED: Final = 30  # a button's inside differs this much from its surroundings
_ROUND: Final = 0.7  # a circle fills pi/4 of its bounding square

Box = tuple[int, int, int, int]


def find_boxes(rgb: np.ndarray, body: float) -> tuple[list[Box], frozenset[Box]]:
    """Closed, nearly rectangular outlines in ``rgb``, outermost of each nested pair kept, and
    which of them are small circles (``body`` the text's line height says what is small)."""
    import cv2

    def most(diff: np.ndarray) -> np.ndarray:  # the largest channel difference per pixel
        c = cv2.split(diff)
        return np.asarray(cv2.max(cv2.max(c[0], c[1]), c[2]))

    # cv2 on uint8, not numpy on int16: the same edges a twentieth of the time (a page's
    # 2 MP took 0.1 s, on the request's critical path).
    edge = np.zeros(rgb.shape[:2], np.uint8)
    edge[:, :-1] = most(cv2.absdiff(rgb[:, 1:], rgb[:, :-1])) > _EDGE
    edge[:-1, :] |= most(cv2.absdiff(rgb[1:], rgb[:-1])) > _EDGE
    contours, _ = cv2.findContours(edge, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    height, width = int(rgb.shape[0]), int(rgb.shape[1])
    found: list[Box] = []
    round_: set[Box] = set()
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w < 12 or h < 8 or x <= 0 or y <= 0 or x + w >= width or y + h >= height:
            continue  # specks, and bars or panels running off the screen's edge
        share = cv2.contourArea(contour) / (w * h)
        if share < _RECTANGULAR:
            if not (share >= _ROUND and 0.8 <= w / h <= 1.25 and h <= 3 * body):
                continue
            round_.add((x, y, w, h))
        found.append((x, y, w, h))
    found.sort(key=lambda b: -b[2] * b[3])
    kept: list[Box] = []
    for b in found:
        slack = max(4, round(0.12 * b[3]))
        if not any(within(b, k, slack) and k[3] - b[3] <= 2 * slack for k in kept):
            kept.append(b)
    return kept, frozenset(round_)


def within(inner: Box, outer: Box, slack: int = 0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[0] + inner[2] <= outer[0] + outer[2] + slack
        and inner[1] + inner[3] <= outer[1] + outer[3] + slack
    )


def centre(b: Box) -> tuple[float, float]:
    return b[0] + b[2] / 2, b[1] + b[3] / 2


def holds(box: Box, line: Box) -> bool:
    """Whether ``line`` is written inside ``box``. The reader's box of a line may overhang a
    tight button a little (its detector pads the letters), so up to a tenth wider counts."""
    cx, cy = centre(line)
    inside = box[0] < cx < box[0] + box[2] and box[1] < cy < box[1] + box[3]
    return inside and line[2] < 1.1 * box[2]


def ring_colour(rgb: np.ndarray, box: Box, inset: int) -> np.ndarray:
    """The median colour of a one-pixel ring ``inset`` pixels inside ``box`` (outside when
    negative)."""
    x, y, w, h = box
    x0, y0 = max(0, x + inset), max(0, y + inset)
    x1, y1 = min(rgb.shape[1] - 1, x + w - 1 - inset), min(rgb.shape[0] - 1, y + h - 1 - inset)
    if x1 <= x0 or y1 <= y0:
        ring = rgb[min(y0, rgb.shape[0] - 1), min(x0, rgb.shape[1] - 1)][None, :]
    else:
        ring = np.concatenate([rgb[y0, x0:x1], rgb[y1, x0:x1], rgb[y0:y1, x0], rgb[y0:y1, x1]])
    out: np.ndarray = np.median(ring.astype(np.float64), axis=0)
    return out


@dataclass(frozen=True, slots=True)
class Ink:
    """A line's letters: their colour, their contrast with the ground around them, where they
    are (x0, x1) and how tall from the top of the tallest letter to the baseline (descenders,
    being sparse, left out, so "Privacy" is no taller than "Account")."""

    colour: np.ndarray
    contrast: float
    x0: int
    x1: int
    size: int


def ink_of(rgb: np.ndarray, box: Box) -> Ink:
    x, y, w, h = box
    x, y = max(0, x), max(0, y)
    crop = rgb[y : y + h, x : x + w]
    if crop.size == 0:
        return Ink(np.zeros(3), 0.0, x, x + w, h)
    # uint8 arithmetic: every line of a page is looked at, on the request's critical path.
    ground = np.full_like(crop, np.round(ring_colour(rgb, box, 1)).astype(np.uint8))
    far = np.abs(crop.astype(np.int16) - ground).max(axis=2).astype(np.float64)
    top = float(np.percentile(far, 99))
    letters = far >= 0.5 * top if top > 0 else np.ones(far.shape, bool)
    # A box's border caught in the line's box is no letter: rules across it are left out.
    letters[letters.mean(axis=1) > 0.8, :] = False
    letters[:, letters.mean(axis=0) > 0.8] = False
    rows, cols = letters.sum(axis=1), np.flatnonzero(letters.any(axis=0))
    inked = np.flatnonzero(rows >= 2)
    solid = np.flatnonzero(rows >= 0.35 * rows.max())
    if not len(inked) or not len(cols):
        return Ink(np.zeros(3), 0.0, x, x + w, h)
    colour = (crop[far >= 0.7 * top] if top > 0 else crop.reshape(-1, 3)).mean(axis=0)
    size = int(solid[-1] - inked[0] + 1)
    return Ink(colour, top, x + int(cols[0]), x + int(cols[-1]) + 1, size)


def is_link_ink(colour: np.ndarray) -> bool:
    import colorsys

    hue, sat, val = colorsys.rgb_to_hsv(*(colour / 255.0))
    return sat > 0.35 and val > 0.3 and 0.5 <= hue <= 0.75  # blue, the colour of links


def switch_on(rgb: np.ndarray, box: Box) -> bool:
    """Whether a switch's knob (the end that differs from the track's middle) is at its right."""
    x, y, w, h = box
    row = rgb[y + h // 2].astype(np.float64)
    mid, left, right = row[x + w // 2], row[x + w // 5], row[x + 4 * w // 5]
    return bool(np.abs(mid - left).max() < np.abs(mid - right).max())


def clipped(line: Box, box: Box, inset: int) -> Box:
    """``line`` cut to ``box`` less ``inset`` pixels on each side."""
    x0, y0 = max(line[0], box[0] + inset), max(line[1], box[1] + inset)
    x1 = min(line[0] + line[2], box[0] + box[2] - inset)
    y1 = min(line[1] + line[3], box[1] + box[3] - inset)
    return (x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def is_filled(rgb: np.ndarray, box: Box) -> bool:
    """Whether the inside of ``box`` differs from what is around it (a filled button)."""
    inner, outer = ring_colour(rgb, box, 3), ring_colour(rgb, box, -3)
    return float(np.abs(inner - outer).max()) > _FILLED


def scaled(box: Box, factor: float) -> Box:
    x, y, w, h = (round(v * factor) for v in box)
    return (x, y, w, h)


def in_top_bar(rgb: np.ndarray, box: Box) -> bool:
    """A line on a coloured band across the top of the screen (an app bar)."""
    height, width = rgb.shape[:2]
    cy = int(centre(box)[1])
    if cy > 0.2 * height:
        return False
    ground = ring_colour(rgb, box, -2)
    page = np.median(rgb[int(0.5 * height) :: 7, ::7].reshape(-1, 3), axis=0)
    ends = rgb[cy, [1, width - 2]].astype(np.float64)
    return bool(
        np.abs(ground - page).max() > _FILLED and (np.abs(ends - ground).max(axis=1) < 20).all()
    )
