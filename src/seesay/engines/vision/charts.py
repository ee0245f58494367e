"""Charts read from the OCR's boxes and the image's colours: the types they are read into, and
the helpers every kind of chart shares.

No model: bars are found as solid rectangles of one colour that share a baseline, a line as a
long thin run of one saturated colour. Each category label is paired with the bar (or point)
under or beside it *by position*, and each value with its bar by position too, so no category
can take another's value. A value printed on the chart is kept exactly as printed (``text``);
only where no value is printed is it read off the axis from the tick labels, and then it is
marked ``estimated``. A table is rows of OCR boxes whose cells line up in columns, with numbers
in its last column.

Contract: ``Chart`` and ``ChartPair`` are what every reader returns, ``Bar`` a bar found in
the pixels; ``center`` is a text line's centre, ``title_above`` the topmost word line above a
chart. Bars are found in :mod:`.bars` and read in :mod:`.bar_charts`, the value axis in
:mod:`.chart_axes`, the numbers printed on labels in :mod:`.label_numbers`; line charts are in
:mod:`.line_charts`, tables in :mod:`.tables`; :mod:`.chart_reader` tries each in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from seesay.engines.vision.label_numbers import parse_number
from seesay.engines.vision.text_reader import TextLine

__all__ = ["Bar", "Chart", "ChartPair", "center", "title_above"]


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
