"""A line chart's category labels: the row of labels under the line, cut into one label per
point where OCR read neighbouring labels as one line.

A line chart's categories are evenly spaced from its first point to its last. OCR often reads
neighbouring labels as one line ("February March", at times with no space: "LemonsCherries").
``categories(image, lines, row, ends)`` tries the ways to cut the row's lines into labels and
keeps the one with the most labels that keep that spacing (each word placed in its line by
:mod:`.label_cuts`, which bar charts share); the labels' x is then the evenly spaced grid
itself. Part of :mod:`seesay.engines.vision.line_charts`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Final

import numpy as np

from seesay.engines.vision.charts import center
from seesay.engines.vision.label_cuts import unjoin, word_edges
from seesay.engines.vision.text_reader import TextLine

__all__ = ["categories"]

_MAX_GROUPINGS: Final = 4096  # ways to group a row's words into labels worth trying
_SPACING: Final = 0.2  # how far (in steps) a label may sit off the evenly spaced categories
_ENDS: Final = 0.3  # and the first and last label off the line's ends (markers stick out)


def _groupings(n: int) -> Iterator[list[tuple[int, int]]]:
    """Every way to cut ``n`` words, in order, into runs: (first, last) word of each."""
    for cuts in itertools.product((False, True), repeat=n - 1):
        runs, first = [], 0
        for k, cut in enumerate(cuts):
            if cut:
                runs.append((first, k))
                first = k + 1
        runs.append((first, n - 1))
        yield runs


def _line_options(image: np.ndarray, line: TextLine) -> list[list[tuple[str, float]]]:
    """The ways ``line`` may hold category labels, each a list of (text, centre x): as it is,
    or its words (OCR reads neighbouring labels as one line, "February March", at times with
    no space, "LemonsCherries") cut into runs."""
    whole = [(line.text, center(line)[0])]
    text = unjoin(line).text
    spans, pos = [], 0
    for word in text.split():
        start = text.index(word, pos)
        pos = start + len(word)
        spans.append((start, pos))
    if len(spans) < 2:
        return [whole]
    edges = word_edges(image, line, text, spans)
    options = []
    for runs in _groupings(len(spans)):
        if len(runs) == 1:
            options.append(whole)
            continue
        options.append(
            [(text[spans[a][0] : spans[b][1]], (edges[a][0] + edges[b][1]) / 2) for a, b in runs]
        )
    return options


def _off_grid(xs: list[float], ends: tuple[float, float]) -> float | None:
    """How far (in steps) the centres ``xs`` lie off the evenly spaced grid that fits them
    best, or None when they do not keep an even spacing or the grid does not run from one end
    of the line to the other."""
    n = len(xs)
    if n < 2:
        return None
    step, first = np.polyfit(np.arange(n), np.array(xs), 1)
    if step <= 0:
        return None
    start, end = ends
    if abs(first - start) > _ENDS * step or abs(first + step * (n - 1) - end) > _ENDS * step:
        return None
    off = float(max(abs(x - (first + step * k)) for k, x in enumerate(xs)) / step)
    return off if off <= _SPACING else None


def categories(
    image: np.ndarray, lines: Sequence[TextLine], row: list[int], ends: tuple[float, float]
) -> list[tuple[str, float]]:
    """The category labels of ``row`` with their centres x, left to right. A line chart's
    categories are evenly spaced from its first point to its last (``ends``): of the ways to
    cut the row's lines into labels that keep that spacing, the one with the most labels
    (then the best kept); else the lines as they are."""
    ordered = sorted(row, key=lambda i: lines[i].box[0])
    options = [_line_options(image, lines[i]) for i in ordered]
    if np.prod([len(o) for o in options]) > _MAX_GROUPINGS:
        options = [[o[0], o[-1]] if len(o) > 1 else o for o in options]  # whole or all words
    best: list[tuple[str, float]] | None = None
    cost = (0, 0.0)
    for combo in itertools.product(*options):
        cats = [c for part in combo for c in part]
        off = _off_grid([x for _, x in cats], ends)
        # The most labels that keep the spacing: a long label read with its neighbours
        # ("Pears Plums Grapes" under the middle point) keeps it too, with fewer points.
        if off is not None and (len(cats), -off) > cost:
            best, cost = cats, (len(cats), -off)
    if best is None:
        return [(lines[i].text, center(lines[i])[0]) for i in ordered]
    return list(zip([t for t, _ in best], _grid([x for _, x in best], ends), strict=True))


def _grid(xs: list[float], ends: tuple[float, float]) -> list[float]:
    """The points' x under labels centred at ``xs``: evenly spaced from the line's first
    point to its last, each end inset by the same margin (a marker's radius, half the line's
    width), fitted to the labels. A label's centre is only roughly its point's x, the more so
    for one cut out of a longer line; on a steep segment a few pixels aside are many up."""
    start, end = ends
    n = len(xs)
    k = np.arange(n) / (n - 1)
    base = start + k * (end - start)
    u = 1 - 2 * k  # the margin moves the first point right, the last left
    margin = float(np.dot(np.array(xs) - base, u) / np.dot(u, u))
    margin = min(max(margin, 0.0), 0.3 * (end - start) / (n - 1))
    return [float(v) for v in base + margin * u]
