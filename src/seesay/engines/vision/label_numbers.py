"""The numbers printed on a chart's labels, a table's cells and a receipt's lines.

Contract: ``parse_number(text)`` gives the number ``text`` shows when the whole of it is one
number (a sign, a currency sign, digits with thousands separators or one decimal comma, a
unit suffix such as ``%`` or ``k``), and None for any other text; the suffix is dropped, not
applied ("2k" is 2).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["parse_number"]

_NUMBER: Final = re.compile(r"^[-+−]?[$€£¥]?\d+(?:[.,]\d+)*(?:\.\d+)?\s?[%kKmMbB$€£¥]?$")


def parse_number(text: str) -> float | None:
    """The number a label shows ("1,200" → 1200, "45%" → 45, "$3.50" → 3.5), or None."""
    t = text.strip().replace(" ", "")
    if not _NUMBER.match(t):
        return None
    t = t.replace("−", "-").strip("$€£¥%kKmMbB")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    elif t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")  # a decimal comma
    try:
        return float(t)
    except ValueError:
        return None
