"""The one currency a receipt's bare prices are in, named in words.

A till receipt prints its currency once or twice ("TOTAL $11.55", "EUR" in a header) and its
item prices bare ("BREAD 2.50"), heard as plain decimals ("two point five zero"). The lines are
quoted as printed (what is read off an image is never rewritten inside quotes); the currency
they share is said once, after them: "Its prices are in dollars." ``bare_price_currency`` names
it where the receipt shows exactly one currency (a sign or a code) and some price goes without
it. Nothing is invented: a receipt with no currency, or with two, gets no such sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

__all__ = ["bare_price_currency"]

_NAMES: Final = {
    "$": "dollars",
    "€": "euros",
    "£": "pounds",
    "¥": "yen",
    "₹": "rupees",
    "₩": "won",
    "₽": "roubles",
    "₺": "lira",
    "USD": "US dollars",
    "EUR": "euros",
    "GBP": "pounds",
    "JPY": "yen",
    "INR": "rupees",
}
_CODES: Final = "USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|INR|BRL|MXN|SEK|NOK|DKK|PLN|CZK|HUF"
_CURRENCY: Final = re.compile(rf"[$€£¥₹₩₽₺]|\b(?:{_CODES})\b")


def bare_price_currency(lines: Sequence[str], prices: Sequence[str]) -> str | None:
    """The currency, in words ("dollars"; a code as printed, "CHF"), that every one of
    ``lines`` shows when it is the only one and some of the price cells ``prices`` go without
    it; None otherwise."""
    found = {m[0] for line in lines for m in _CURRENCY.finditer(line)}
    if len(found) != 1 or all(_CURRENCY.search(p) for p in prices):
        return None
    (cur,) = found
    return _NAMES.get(cur, cur)
