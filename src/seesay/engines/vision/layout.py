"""Reading order and blocks: text lines grouped into columns, rows and blocks, the way a sighted
reader takes in a page: top to bottom, left to right, each column to its end before the next.

The page is cut recursively (an XY-cut): a region splits into columns at a vertical gutter, and
at a line that spans a gutter (a title above two columns) into the parts above, the line, and
below. What looks like a gutter but has the same rows on both sides (a receipt's item names and
prices, a table's cells) is not a column break: those regions are read row by row.

A leaf region's rows then form blocks: lines close together and of one size are one paragraph;
a short block of larger letters is a heading (the largest at the top of a page, its title); lines
starting with a bullet or a number are a list; rows of several cells are a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import Final, Literal

import numpy as np

from seesay.engines.vision.text_lines import TextLine

__all__ = ["Block", "BlockKind", "blocks", "is_bulleted", "reading_order", "strip_bullet"]

BlockKind = Literal["title", "heading", "paragraph", "list", "table"]

_BULLET: Final = re.compile(r"^\s*([•·●▪■◦‣*\-–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+\S")
_HEADING_RATIO: Final = 1.2  # letters this much taller than the body's are a heading
_PROSE_FILL: Final = 0.6  # prose lines fill most of their column's width


@dataclass(frozen=True, slots=True)
class Block:
    """A run of lines read together. ``rows`` are the lines row by row (a table's cells are
    the items of one row, left to right; other blocks have one line per row)."""

    kind: BlockKind
    rows: tuple[tuple[TextLine, ...], ...]

    @property
    def lines(self) -> list[TextLine]:
        return [line for row in self.rows for line in row]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


def _x0(t: TextLine) -> int:
    return t.box[0]


def _x1(t: TextLine) -> int:
    return t.box[0] + t.box[2]


def _y0(t: TextLine) -> int:
    return t.box[1]


def _y1(t: TextLine) -> int:
    return t.box[1] + t.box[3]


def _yc(t: TextLine) -> float:
    return t.box[1] + t.box[3] / 2


def _height(lines: list[TextLine]) -> float:
    return float(median(t.box[3] for t in lines)) if lines else 0.0


def _x_gaps(lines: list[TextLine]) -> list[tuple[int, int]]:
    """Empty x-intervals between the lines' merged horizontal extents."""
    spans = sorted((_x0(t), _x1(t)) for t in lines)
    gaps: list[tuple[int, int]] = []
    end = spans[0][1]
    for start, stop in spans[1:]:
        if start > end:
            gaps.append((end, start))
        end = max(end, stop)
    return gaps


def _rows(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines grouped into rows (vertical centres within half a line of the row's first line),
    top to bottom, each row left to right."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=_yc):
        if rows and abs(_yc(line) - _yc(rows[-1][0])) < max(4.0, rows[-1][0].box[3] / 2):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=_x0) for row in rows]


def _row_aligned(left: list[TextLine], right: list[TextLine]) -> bool:
    """True when most lines of the smaller side sit on a row of the other side (a table)."""
    small, big = (left, right) if len(left) <= len(right) else (right, left)
    paired = sum(any(_y0(b) <= _yc(s) <= _y1(b) for b in big) for s in small)
    return paired >= 0.7 * len(small)


def _is_prose(side: list[TextLine], gap: int) -> bool:
    """Whether ``side`` reads as a column of prose: lines of words of much the same width. A
    column of numbers (a receipt's prices) is a table's column, whatever its widths."""
    widths = [t.box[2] for t in side]
    worded = sum(any(ch.isalpha() for ch in t.text) for t in side)
    return (
        len(side) >= 3
        and 2 * worded >= len(side)
        and median(widths) >= _PROSE_FILL * max(widths) >= 1.5 * gap
    )


def _split_columns(lines: list[TextLine]) -> tuple[list[TextLine], list[TextLine]] | None:
    """The region cut at its widest gutter into (left, right), or None when it has no gutter
    that separates columns (rather than a table's cells)."""
    if len(lines) < 2:
        return None
    gaps = _x_gaps(lines)
    if not gaps:
        return None
    start, stop = max(gaps, key=lambda g: g[1] - g[0])
    width = stop - start
    if width < 0.5 * _height(lines):  # a gutter can be narrower than a line is high
        return None
    left = [t for t in lines if _x1(t) <= start]
    right = [t for t in lines if _x0(t) >= stop]
    if _is_prose(left, width) and _is_prose(right, width):
        return left, right
    if width < _height(lines) or _row_aligned(left, right):
        return None
    return (left, right) if width >= 2 * _height(lines) else None


def _gutter_crossed(lines: list[TextLine]) -> tuple[int, int] | None:
    """The widest x-interval crossed by the fewest lines (one, else two or three) with lines
    wholly on each side of it: a gutter that a title or a caption spans. The fewest, as the
    ragged ends of a column's lines make a wider interval that a few more lines cross."""
    left_edge = min(_x0(t) for t in lines)
    cover = np.zeros(max(_x1(t) for t in lines) - left_edge + 1, dtype=np.int32)
    for t in lines:
        cover[_x0(t) - left_edge : _x1(t) - left_edge] += 1
    for most in (1, 2, 3):
        low = np.concatenate(([False], cover <= most, [False]))
        edges = np.flatnonzero(np.diff(low.astype(np.int8)))
        best: tuple[int, int] | None = None
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            lo, hi = int(start) + left_edge, int(stop) + left_edge
            if hi - lo < _height(lines) or (best is not None and hi - lo <= best[1] - best[0]):
                continue
            if any(_x1(t) <= lo for t in lines) and any(_x0(t) >= hi for t in lines):
                best = (lo, hi)
        if best is not None:
            return best
    return None


def _split_at_spanning(lines: list[TextLine]) -> list[list[TextLine]] | None:
    """A region with a gutter that a few lines cross (a title or a figure caption above two
    columns): cut above and below each crossing line, when the rest forms columns."""
    if len(lines) < 5:
        return None
    gutter = _gutter_crossed(lines)
    if gutter is None:
        return None
    spanning = [t for t in lines if _x0(t) < gutter[1] and _x1(t) > gutter[0]]
    if not spanning or _split_columns([t for t in lines if t not in spanning]) is None:
        return None
    cuts = sorted(spanning, key=_y0)
    parts: list[list[TextLine]] = [[] for _ in range(2 * len(cuts) + 1)]
    for t in lines:
        if t in spanning:
            parts[2 * cuts.index(t) + 1].append(t)
            continue
        above = sum(_yc(t) > _yc(c) for c in cuts)
        parts[2 * above].append(t)
    return [p for p in parts if p]


def _regions(lines: list[TextLine], depth: int = 0) -> list[list[TextLine]]:
    """Leaf regions in reading order; each is read row by row."""
    if len(lines) < 2 or depth > 12:
        return [lines] if lines else []
    columns = _split_columns(lines)
    if columns is not None:
        return [r for side in columns for r in _regions(side, depth + 1)]
    parts = _split_at_spanning(lines)
    if parts is not None and len(parts) > 1:
        return [r for part in parts for r in _regions(part, depth + 1)]
    return [lines]


def reading_order(lines: list[TextLine]) -> list[TextLine]:
    """``lines`` in reading order: columns left to right, each top to bottom, rows left to
    right."""
    return [t for region in _regions(lines) for row in _rows(region) for t in row]


def is_bulleted(line: TextLine) -> bool:
    """Whether the line starts with a bullet or an item number ("•", "-", "1.", "a)")."""
    return _BULLET.match(line.text) is not None


def strip_bullet(text: str) -> str:
    """``text`` without its leading bullet glyph (item numbers are kept: they are content)."""
    return re.sub(r"^\s*[•·●▪■◦‣*\-–—]\s+", "", text)


def blocks(lines: list[TextLine]) -> list[Block]:
    """The text as blocks in reading order (``lines`` in any order)."""
    if not lines:
        return []
    body = _height(lines)
    out: list[Block] = []
    for region in _regions(lines):
        rows = _rows(region)
        multi = sum(len(row) > 1 for row in rows)
        if len(rows) >= 2 and multi >= max(2, 0.6 * len(rows)):
            out.append(Block("table", tuple(tuple(row) for row in rows)))
            continue
        merged = [row[0] if len(row) == 1 else _merged(row) for row in rows]
        # The usual line spacing: a low quantile, as a short page has nearly as many breaks
        # between blocks as lines within them.
        pitches = sorted(_yc(b) - _yc(a) for a, b in pairwise(merged))
        usual = pitches[int(0.3 * (len(pitches) - 1))] if pitches else 0.0
        current: list[TextLine] = []
        for line in merged:
            if current and _breaks(current, line, usual):
                out.append(_block(current, body, last=False))
                current = []
            current.append(line)
        if current:
            out.append(_block(current, body, last=True))
    if out and out[0].kind in ("heading", "paragraph") and len(out) > 1:
        first = out[0].lines
        tallest = max(t.box[3] for t in lines)
        if len(first) <= 2 and (out[0].kind == "heading" or first[0].box[3] >= 0.9 * tallest):
            out[0] = Block("title", out[0].rows)
    return out


def _merged(row: list[TextLine]) -> TextLine:
    """Cells of one row outside a table, read as one line."""
    x0, y0 = min(map(_x0, row)), min(map(_y0, row))
    x1, y1 = max(map(_x1, row)), max(map(_y1, row))
    return TextLine(
        " ".join(t.text for t in row),
        min(t.score for t in row),
        (x0, y0, x1 - x0, y1 - y0),
        tuple(w for t in row for w in t.words),
    )


def _breaks(current: list[TextLine], line: TextLine, usual_pitch: float) -> bool:
    """Whether ``line`` starts a new block after ``current``: further below the line above
    than the region's lines usually are (centre to centre: a box's top and bottom move with
    ascenders and descenders, its centre hardly), a change of letter size, or the start or the
    end of a list."""
    last = current[-1]
    h = min(last.box[3], line.box[3])
    pitch = _yc(line) - _yc(last)
    if pitch > max(1.4 * usual_pitch, usual_pitch + 0.5 * h):
        return True
    if max(last.box[3], line.box[3]) > 1.35 * h and pitch > 1.15 * usual_pitch:
        return True
    if is_bulleted(current[0]):  # a list goes on with bullets and their indented runovers
        return not (is_bulleted(line) or _x0(line) > _x0(current[0]) + 0.5 * h)
    return is_bulleted(line)


def _block(lines: list[TextLine], body: float, *, last: bool) -> Block:
    rows = tuple((t,) for t in lines)
    if is_bulleted(lines[0]):
        return Block("list", rows)
    taller = _height(lines) >= _HEADING_RATIO * body
    # A lone short line set apart, not ending a sentence, with more text below: a heading.
    short = len(lines) == 1 and len(lines[0].text.split()) <= 8
    unended = not lines[0].text.rstrip().endswith((".", ",", ";", ":", "!", "?"))
    if (len(lines) <= 2 and taller) or (short and unended and not last):
        return Block("heading", rows)
    return Block("paragraph", rows)
