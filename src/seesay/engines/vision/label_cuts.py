"""Where each character of an OCR line lies, to cut a line that holds several chart labels.

OCR reads neighbouring category labels as one line ("February March", with no space
"LemonsCherries", and where the labels touch, garbled: "AugusSeptembeßctober"). A line's box
says where the whole text lies, not where each character does: each is placed by the rough
widths of the characters before it across the line's ink, and a boundary between labels is
moved to a blank run of columns near it where there is one, since the gaps between labels are
wider than a space. Line charts (:mod:`.line_labels`) cut at word boundaries into evenly
spaced labels; bar charts (:mod:`.charts`) cut at the midpoints between their bars.

Contract: ``word_edges`` gives each word's left and right x; ``cut_at`` cuts a line's text at
given x's, each piece with whether it was cut only at spaces (else it may be part of a label).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from seesay.engines.vision.text_reader import TextLine

__all__ = ["cut_at", "unjoin", "word_edges"]


def unjoin(line: TextLine) -> TextLine:
    """OCR sometimes drops the space between neighbouring labels ("WednesdayThursday"): put
    it back where a lower-case letter meets a capital."""
    return replace(line, text=re.sub(r"(?<=[a-z])(?=[A-Z])", " ", line.text))


def _char_width(c: str) -> float:
    """A character's rough width in a proportional font, in ems."""
    if c in "ijl.,:;|!'":
        return 0.3
    if c in "ftrI ":
        return 0.4
    if c in "mwMW":
        return 0.95
    return 0.75 if c.isupper() else 0.6


def _ink(image: np.ndarray, line: TextLine) -> tuple[np.ndarray, int, int]:
    """Which columns of ``line``'s box hold ink, and the first and past-last inked column."""
    x, y, w, h = line.box
    strip = image[max(0, y) : y + h, max(0, x) : x + w].astype(np.int16)
    ink = np.ones(max(1, w), bool)
    if strip.size:
        ground = np.median(strip.reshape(-1, 3), axis=0)
        ink = (np.abs(strip - ground).sum(axis=2) > 80).any(axis=0)
    cols = np.nonzero(ink)[0]
    lo, hi = (int(cols[0]), int(cols[-1]) + 1) if cols.size else (0, ink.size)
    return ink, lo, hi


def _char_bounds(image: np.ndarray, line: TextLine, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The x of each boundary between ``text``'s characters (len + 1 of them, the first and
    last at the ink's ends), and the line's ink columns."""
    ink, lo, hi = _ink(image, line)
    widths = np.cumsum([0.0, *(_char_width(c) for c in text)])
    per_em = (hi - lo) / max(widths[-1], 1e-6)
    return line.box[0] + lo + per_em * widths, ink


def _widest_blank(ink: np.ndarray, x0: int, guess: float, reach: float, least: int) -> float | None:
    """The middle x of the widest blank run of columns (``least`` wide or more) whose middle
    lies within ``reach`` of ``guess``, or None."""
    cols = np.nonzero(ink)[0]
    if not cols.size:
        return None
    best, widest = None, least - 1
    run_start = None
    for c in range(int(cols[0]), int(cols[-1]) + 2):
        blank = c <= cols[-1] and not ink[c]
        if blank and run_start is None:
            run_start = c
        elif not blank and run_start is not None:
            mid = x0 + (run_start + c) / 2
            if abs(mid - guess) <= reach and c - run_start > widest:
                best, widest = mid, c - run_start
            run_start = None
    return best


def word_edges(
    image: np.ndarray, line: TextLine, text: str, spans: list[tuple[int, int]]
) -> list[tuple[float, float]]:
    """Each word's (``spans``: start and end in ``text``) left and right x in ``line``: placed
    by the characters' rough widths, each boundary between words moved to the widest blank run
    (a quarter of the line's height wide or more) within a line's height of it."""
    bounds, ink = _char_bounds(image, line, text)
    x, _, _, h = line.box
    cuts = []
    for k in range(len(spans) - 1):
        guess = (bounds[spans[k][1]] + bounds[spans[k + 1][0]]) / 2
        blank = _widest_blank(ink, x, guess, h, max(2, h // 4))
        cuts.append(float(guess if blank is None else blank))
    edges = [float(bounds[0]), *cuts, float(bounds[-1])]
    return [(edges[k], edges[k + 1]) for k in range(len(spans))]


def cut_at(
    image: np.ndarray, line: TextLine, xs: Sequence[float], reach: float
) -> list[tuple[str, bool]]:
    """``line``'s text cut at each x of ``xs`` (left to right): into len(xs) + 1 pieces, each
    with whether both its ends are a space or the line's end. A cut goes to the space, else
    the lower-case letter meeting a capital, nearest it within ``reach`` pixels (a blank run
    of columns there places it better than the characters' widths do); else between the two
    characters nearest it, which may cut a garbled label in two."""
    text = line.text
    bounds, ink = _char_bounds(image, line, text)
    cuts: list[tuple[int, int, bool]] = []  # (end of a piece, start of the next, at a space)
    for x in xs:
        blank = _widest_blank(ink, line.box[0], x, reach, max(2, line.box[3] // 4))
        at = x if blank is None else blank
        done = cuts[-1][1] if cuts else 0
        spaces = [i for i in range(done, len(text)) if text[i] == " "]
        joins = [
            i for i in range(max(1, done), len(text)) if text[i - 1].islower() and text[i].isupper()
        ]
        space = min(spaces, key=lambda i: abs(bounds[i] + bounds[i + 1] - 2 * at), default=None)
        join = min(joins, key=lambda i: abs(bounds[i] - at), default=None)
        if space is not None and abs((bounds[space] + bounds[space + 1]) / 2 - at) <= reach:
            cuts.append((space, space + 1, True))
        elif join is not None and abs(bounds[join] - at) <= reach:
            cuts.append((join, join, False))
        else:
            i = int(np.clip(np.argmin(np.abs(bounds - at)), done, len(text)))
            cuts.append((i, i, False))
    pieces = []
    start, clean_start = 0, True
    for end, nxt, clean in [*cuts, (len(text), len(text), True)]:
        pieces.append((text[start:end].strip(), clean_start and clean))
        start, clean_start = max(start, nxt), clean
    return pieces
