"""Receipts and price lists read as text: each line as printed, item then price, in order.

A till receipt or a menu's price list has the shape of a two-column table (names, then numbers)
but is no chart: its total is no category and no "highest value". ``read_receipt(lines)`` finds
one (see ``tables.is_price_list``) and ``ReceiptReading`` says it as a document, line by line:
``brief`` its title, how many items and its total; ``standard`` the lines, the first
``_STANDARD_ITEMS`` items then how many more, and every sum ("TOTAL 12.50") whatever the cut;
``detailed`` every line. The reading replaces the composer's own reading of the text. Lines are
quoted as printed; where the receipt shows one currency and prints some prices bare, it is named
once after them ("Its prices are in dollars.", see ``receipt_prices``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from seesay.engines.base import Detail
from seesay.engines.vision.label_numbers import parse_number
from seesay.engines.vision.receipt_prices import bare_price_currency
from seesay.engines.vision.tables import SUM, is_price_list, table_rows
from seesay.engines.vision.text_reader import TextLine

__all__ = ["Receipt", "ReceiptReading", "read_receipt"]

_STANDARD_ITEMS: Final = 15
_ASKS_TOTAL: Final = re.compile(r"(?i)\b(total|how much|cost|pay|paid|sum|price|bill)\b")


@dataclass(frozen=True, slots=True)
class Receipt:
    """The text of a receipt or price list. ``lines`` every row as printed, top to bottom
    (a row's cells joined by a space: "BREAD 2.50"); ``items`` the indices in ``lines`` of the
    priced rows that are not sums; ``sums`` those that are ("TOTAL 12.50"); ``currency`` the
    one currency its bare prices are in, in words ("dollars"), or None."""

    lines: tuple[str, ...]
    items: tuple[int, ...]
    sums: tuple[int, ...]
    used: frozenset[int]  # the text lines read
    currency: str | None = None

    @property
    def noun(self) -> str:
        return "receipt" if self.sums else "price list"

    @property
    def title(self) -> str | None:
        """The first line above the first item that is words, not a number or a date."""
        first = self.items[0] if self.items else len(self.lines)
        for line in self.lines[:first]:
            if sum(ch.isalpha() for ch in line) >= 3:
                return line
        return None


def read_receipt(lines: Sequence[TextLine]) -> Receipt | None:
    """The receipt or price list that ``lines`` (all the text of an image) are, or None."""
    rows = table_rows(lines)
    cells = [[text for text, _ in row] for row in rows]
    if not is_price_list(cells):
        return None
    said = tuple(" ".join(row) for row in cells)
    priced = [
        i
        for i, row in enumerate(cells)
        if len(row) >= 2 and parse_number(row[-1]) is not None and parse_number(row[0]) is None
    ]
    sums = tuple(i for i in priced if SUM.search(" ".join(cells[i][:-1])))
    items = tuple(i for i in priced if i not in sums)
    currency = bare_price_currency(said, [cells[i][-1] for i in priced])
    used = frozenset(i for row in rows for _, i in row)
    return Receipt(said, items, sums, used, currency)


def _quote(text: str) -> str:
    return '"' + text.strip().rstrip(".!?;:,") + '"'


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(frozen=True, slots=True)
class ReceiptReading:
    """A receipt or price list, said as a document read line by line."""

    receipt: Receipt

    topic = "text"
    kind = "document"

    def sentences(self, detail: Detail) -> list[str]:
        r = self.receipt
        title = r.title
        lead = f"This is a {r.noun}" + (f" titled {_quote(title)}" if title else "") + "."
        if detail == "brief":
            gist = f"It lists {_count(len(r.items), 'item')}"
            if r.sums:
                gist += "; it ends " + ", ".join(_quote(r.lines[i]) for i in r.sums)
            return [lead, gist + ".", *self._currency()]
        cut: set[int] = set()
        if detail == "standard" and len(r.items) > _STANDARD_ITEMS:
            cut = set(r.items[_STANDARD_ITEMS:])
        skip = r.lines.index(title) if title is not None else -1
        said: list[str] = []
        for i, line in enumerate(r.lines):
            if i in cut:
                if i == min(cut):
                    said.append(f"and {_count(len(cut), 'more item')}")
            elif i != skip:
                said.append(_quote(line))
        return [lead, "It reads, line by line: " + "; ".join(said) + ".", *self._currency()]

    def _currency(self) -> list[str]:
        cur = self.receipt.currency
        return [f"Its prices are in {cur}."] if cur else []

    def answer(self, prompt: str) -> str | None:
        r = self.receipt
        if r.sums and _ASKS_TOTAL.search(prompt):
            return f"The {r.noun} says " + ", ".join(_quote(r.lines[i]) for i in r.sums) + "."
        return None

    def read_out(self) -> list[str]:
        return list(self.receipt.lines)

    def used_lines(self) -> frozenset[int]:
        return self.receipt.used
