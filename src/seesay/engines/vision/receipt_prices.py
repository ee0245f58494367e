"""A receipt's prices written out in full, so they are heard as prices.

A till receipt prints its currency once or twice ("TOTAL $11.55", "EUR" in a header) and its
item prices bare, and OCR drops a final zero or reads one as printed short ("2.5"). Said as
printed, "BREAD 2.5" is heard as "two point five", a measurement. ``full_prices`` gives each
price the currency the receipt shows, where it shows exactly one (a sign or a code, placed
before or after the amount as the receipt places it), and two decimals where the receipt's
prices have decimals at all: "BREAD 2.5" on a receipt that says "TOTAL $11.55" becomes
"BREAD $2.50" (said "two dollars and fifty cents"), and on one without a currency "BREAD 2.50"
(said "two point five zero", every digit as a screen reader says a decimal). Nothing is
invented: a receipt with no currency, or with two, gets none; one whose prices are whole numbers
(a café's board, yen) keeps them whole; a cell that is no plain amount is left as printed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

__all__ = ["full_prices"]

_CODES: Final = "USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|INR|BRL|MXN|SEK|NOK|DKK|PLN|CZK|HUF"
_CURRENCY: Final = rf"[$€£¥₹₩₽₺]|\b(?:{_CODES})\b"
_CURRENCY_RE: Final = re.compile(_CURRENCY)
# One price cell: a sign, a currency before or after, the whole part (thousands grouped or
# not) and a fraction of one or two digits after a point or a comma.
_AMOUNT: Final = re.compile(
    rf"^(?P<neg>[-−]?)(?:(?P<pre>{_CURRENCY}) ?)?"
    r"(?P<whole>\d{1,3}(?:[,.]\d{3})+|\d+)(?:(?P<mark>[.,])(?P<frac>\d{1,2}))?"
    rf"(?: ?(?P<post>{_CURRENCY}))?$"
)


def _currency(lines: Sequence[str]) -> tuple[str, bool] | None:
    """The one currency ``lines`` show, and whether it stands before its amounts; None when
    they show none or more than one."""
    found = {m[0] for line in lines for m in _CURRENCY_RE.finditer(line)}
    if len(found) != 1:
        return None
    (cur,) = found
    text = "\n".join(lines)
    before = re.search(rf"{re.escape(cur)} ?\d", text) is not None
    after = re.search(rf"\d ?{re.escape(cur)}", text) is not None
    if before == after:  # shown alone, or both ways: the usual place for its kind
        before = cur in "$£¥₹" or cur.isalpha()
    return cur, before


def full_prices(lines: Sequence[str], priced: Sequence[int], cells: Sequence[str]) -> list[str]:
    """``lines`` with the price ``cells[k]`` that ends line ``priced[k]`` written in full (see
    the module's doc); other lines as they were."""
    amounts = [_AMOUNT.match(cell.strip()) for cell in cells]
    marks = Counter(m["mark"] for m in amounts if m and m["mark"])
    mark = max(marks, key=lambda k: (marks[k], k == ".")) if marks else None
    currency = _currency(lines)
    out = list(lines)
    for i, cell, m in zip(priced, cells, amounts, strict=True):
        if m is None:
            continue
        amount = m["whole"]
        if m["mark"]:
            amount += m["mark"] + m["frac"].ljust(2, "0")
        elif mark and mark not in amount:
            amount += mark + "00"
        pre, post = m["pre"], m["post"]
        if currency and not (pre or post):
            cur, before = currency
            pre, post = (cur, None) if before else (None, cur)
        written = m["neg"] + (f"{pre} " if pre and pre.isalpha() else pre or "") + amount
        written += f" {post}" if post else ""
        line = lines[i]
        at = line.rfind(cell)
        out[i] = line[:at] + written + line[at + len(cell) :] if at >= 0 else line
    return out
