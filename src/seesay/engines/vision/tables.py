"""Simple tables from the OCR's boxes: rows of cells that line up in columns, numbers last.

A row is the lines whose centres share a height; a table is at least three consecutive rows
with the same number of cells (two or more) whose left edges line up column by column, and a
number in the last cell of every row after an optional header. A row that OCR read as one line
("January 25") is split before its final number. Part of :mod:`seesay.engines.vision.charts`.

Rows priced like a receipt or a price list (every value a price, or a row that is a total) are
no table: a total is no category, and its sum is no "highest value". ``is_price_list`` says
which; :mod:`.receipts` reads them as lines of text instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from seesay.engines.vision.charts import Chart, ChartPair, center, title_above
from seesay.engines.vision.label_numbers import parse_number
from seesay.engines.vision.text_reader import TextLine

__all__ = ["SUM", "is_price_list", "read_table", "table_rows"]

_MIN_ROWS: Final = 3
_TRAILING_NUMBER: Final = re.compile(r"^(.*\S)\s+(\S+)$")
# A price as printed on a till receipt or a menu: two decimals, or a currency sign.
_PRICE: Final = re.compile(
    r"^[-−]?(?:[$€£¥]\s?\d[\d,.]*|\d{1,3}(?:[ ,.]\d{3})*[.,]\d{2}(?:\s?[$€£¥]|\s?[A-Z]{1,3})?)$"
)
# Lines of a receipt that are sums, not items (English and the languages SeeSay reads most).
SUM: Final = re.compile(
    r"(?i)\b(total|sub-?total|sum|summe|gesamt|totale?|totaal|tax|vat|mwst|iva|tva|balance"
    r"|amount due|change|cash|card|tip|discount|rabatt)\b"
)

# One cell: (text, left x, source line)
_Cell = tuple[str, float, int]


def is_price_list(rows: Sequence[Sequence[str]]) -> bool:
    """Whether ``rows`` (each a row's cells, as printed) are a receipt's or a price list's:
    three or more rows end in a price, and every such value is a price or one of the rows is
    a sum ("TOTAL")."""
    priced = [row for row in rows if len(row) >= 2 and parse_number(row[-1]) is not None]
    if len(priced) < _MIN_ROWS:
        return False
    if any(SUM.search(" ".join(row[:-1])) for row in priced):
        return True
    return all(_PRICE.match(row[-1].strip()) for row in priced)


def table_rows(lines: Sequence[TextLine]) -> list[list[tuple[str, int]]]:
    """``lines`` grouped into rows, top to bottom, each row's cells left to right as (text,
    index of its line); a line read as "Label 12.50" is cut before its final number."""
    return [[(text, i) for text, _, i in row] for row in _rows(lines)]


def _rows(lines: Sequence[TextLine]) -> list[list[_Cell]]:
    rows: list[list[int]] = []
    for i in sorted(range(len(lines)), key=lambda k: center(lines[k])[1]):
        h = lines[i].box[3]
        if rows and abs(center(lines[i])[1] - center(lines[rows[-1][0]])[1]) < h / 2:
            rows[-1].append(i)
        else:
            rows.append([i])
    out: list[list[_Cell]] = []
    for row in rows:
        cells: list[_Cell] = [
            (lines[i].text, float(lines[i].box[0]), i)
            for i in sorted(row, key=lambda k: lines[k].box[0])
        ]
        m = _TRAILING_NUMBER.match(cells[0][0]) if len(cells) == 1 else None
        if m and parse_number(m.group(2)) is not None and parse_number(m.group(1)) is None:
            x, _, w, _ = lines[cells[0][2]].box
            at = x + w * (m.start(2) / max(1, len(cells[0][0])))
            cells = [(m.group(1), cells[0][1], cells[0][2]), (m.group(2), at, cells[0][2])]
        out.append(cells)
    return out


def _aligned(a: list[_Cell], b: list[_Cell], tol: float) -> bool:
    return len(a) == len(b) >= 2 and all(abs(x[1] - y[1]) <= tol for x, y in zip(a, b, strict=True))


def read_table(lines: Sequence[TextLine]) -> Chart | None:
    """The first simple table in ``lines``, or None."""
    if len(lines) < 2 * _MIN_ROWS:
        return None
    rows = _rows(lines)
    tol = 2.0 * max(line.box[3] for line in lines)
    start = 0
    while start < len(rows):
        end = start + 1
        while end < len(rows) and _aligned(rows[start], rows[end], tol):
            end += 1
        block = rows[start:end]
        table = _table(lines, block) if len(block) >= _MIN_ROWS else None
        if table is not None:
            return table
        start = end
    return None


def _table(lines: Sequence[TextLine], block: list[list[_Cell]]) -> Chart | None:
    if is_price_list([[cell[0] for cell in row] for row in block]):
        return None
    header = parse_number(block[0][-1][0]) is None
    data = block[1:] if header else block
    if len(data) < 2 or any(parse_number(row[-1][0]) is None for row in data):
        return None
    if all(parse_number(row[0][0]) is not None for row in data):
        return None  # a grid of numbers has no categories to pair
    pairs = tuple(
        ChartPair(
            row[0][0],
            parse_number(row[-1][0]),
            row[-1][0],
            more=tuple(cell[0] for cell in row[1:-1]),
        )
        for row in data
    )
    used = {cell[2] for row in block for cell in row}
    free = set(range(len(lines))) - used
    title, ti = title_above(lines, free, min(lines[c[2]].box[1] for c in block[0]))
    if ti >= 0:
        used.add(ti)
    boxes = [lines[i].box for i in used if i != ti]
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return Chart(
        "table",
        title,
        pairs,
        None,
        None,
        None,
        frozenset(used),
        (x0, y0, x1 - x0, y1 - y0),
        columns=tuple(cell[0] for cell in block[0]) if header else (),
    )
