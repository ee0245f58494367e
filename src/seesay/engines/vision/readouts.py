"""How decoded codes and read charts are spoken.

Codes: the content is said as what it is — a URL as a web address ("a QR code with the web
address example.com/menu"), an EAN/UPC number as a product number grouped as it is printed,
an ISBN as an ISBN, other text quoted. ``brief`` and ``standard`` say the content; ``detailed``
adds where the code is.

Charts: the kind and title, the axis titles, then each category with its own value in the
chart's order ("January: 25, May: 58"), then the highest and lowest value and, for ordered
categories (months, days, years) and line charts, the trend. Values are said exactly as printed;
a value read off the axis is said as "about N". ``brief`` gives the title with the highest and
lowest, ``standard`` adds the first twelve pairs, ``detailed`` every pair and the axes.

Every category is said with a colon before its value and a printed month or weekday
abbreviation in full ("Mar" -> "March"): "March 58" is heard as a date ("March fifty-eighth")
once the speech normaliser has read it, and "Apr" as a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from seesay.engines.base import Detail
from seesay.engines.calendar_names import DAYS, MONTHS
from seesay.engines.vision.charts import Chart, ChartPair
from seesay.engines.vision.codes import Code

__all__ = [
    "chart_answer",
    "chart_sentence",
    "code_sentence",
    "codes_and_charts_findings",
    "codes_answer",
]

_STANDARD_PAIRS: Final = 12
_ORDERED: Final = re.compile(
    r"(?i)^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|q[1-4]"
    r"|week|day|month|year|\d{4}$|\d{1,2}$)"
)
_ABBREVIATED: Final = {name[:3].lower(): name for name in (*MONTHS, *DAYS)} | {
    "sept": "September",
    "tues": "Tuesday",
    "thur": "Thursday",
    "thurs": "Thursday",
}
_NUMBER_WORDS: Final = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")


def _where(box: tuple[int, int, int, int], size: tuple[int, int]) -> str:
    """ "at the top left", "in the centre", "at the bottom" from a box in a frame of ``size``."""
    x, y, w, h = box
    fx, fy = (x + w / 2) / max(1, size[0]), (y + h / 2) / max(1, size[1])
    col = "left" if fx < 1 / 3 else "right" if fx > 2 / 3 else ""
    row = "top" if fy < 1 / 3 else "bottom" if fy > 2 / 3 else ""
    if not col and not row:
        return "in the centre"
    if row and col:
        return f"at the {row} {col}"
    return f"at the {row or col}"


def _address(url: str) -> str:
    """A web address as said: without the scheme and a bare trailing slash."""
    return re.sub(r"(?i)^https?://", "", url.strip()).rstrip("/")


def _product_number(digits: str) -> str:
    """The digits grouped as printed under the bars: EAN-13 1+6+6, UPC-A 1+5+5+1, EAN-8 4+4."""
    if len(digits) == 13:
        return f"{digits[0]} {digits[1:7]} {digits[7:]}"
    if len(digits) == 12:
        return f"{digits[0]} {digits[1:6]} {digits[6:11]} {digits[11]}"
    if len(digits) == 8:
        return f"{digits[:4]} {digits[4:]}"
    return digits


def _wifi(content: str) -> str:
    fields = dict(re.findall(r"([STP]):((?:\\.|[^;])*)", content[5:]))
    name = fields.get("S", "").replace("\\", "")
    said = f'for the Wi-Fi network "{name}"' if name else "for a Wi-Fi network"
    if fields.get("P"):
        said += f' with the password "{fields["P"].replace(chr(92), "")}"'
    return said


def _one_code(code: Code) -> str:
    kind = code.kind
    what = code.content.strip()
    if code.meaning == "url":
        return f"a {kind} with the web address {_address(what)}"
    if code.meaning == "isbn":
        return f"a barcode with the ISBN {what}"
    if code.meaning == "product":
        return f"a barcode with the product number {_product_number(what)}"
    if code.meaning == "wifi":
        return f"a {kind} {_wifi(what)}"
    if code.meaning == "phone":
        return f"a {kind} with the phone number {what[4:]}"
    if code.meaning == "email":
        return f"a {kind} with the email address {what[7:]}"
    quoted = what if len(what) <= 200 else what[:197].rsplit(" ", 1)[0] + "..."
    return f'a {kind} that reads "{quoted.rstrip(".!?")}"'


def code_sentence(codes: Sequence[Code], detail: Detail, size: tuple[int, int]) -> str | None:
    """One sentence saying every code's content (and, when ``detailed``, where it is)."""
    if not codes:
        return None
    said = []
    for code in codes:
        phrase = _one_code(code)
        if detail == "detailed":
            phrase += f", {_where(code.box, size)}"
        said.append(phrase)
    if len(said) == 1:
        return f"There is {said[0]}."
    count = _NUMBER_WORDS[len(said)] if len(said) < len(_NUMBER_WORDS) else str(len(said))
    return f"There are {count} codes: " + "; ".join(said) + "."


def _said(label: str) -> str:
    """A category as said: a month or weekday abbreviation ("Apr", "Sept.") in full."""
    return _ABBREVIATED.get(label.strip().rstrip(".").lower(), label)


def _value(pair: ChartPair) -> str:
    if pair.text is None:
        return "not read"
    return f"about {pair.text}" if pair.estimated else pair.text


def _pair(pair: ChartPair, columns: Sequence[str]) -> str:
    if pair.more:
        heads = list(columns[1:]) if len(columns) == len(pair.more) + 2 else []
        cells = [*pair.more, _value(pair)]
        if heads:
            cells = [f"{h} {c}" for h, c in zip(heads, cells, strict=True)]
        return f"{_said(pair.label)}: " + ", ".join(cells)
    return f"{_said(pair.label)}: {_value(pair)}"


def _extremes(chart: Chart) -> str | None:
    known = [p for p in chart.pairs if p.value is not None]
    if len(known) < 2:
        return None
    high = max(known, key=lambda p: p.value or 0.0)
    low = min(known, key=lambda p: p.value or 0.0)
    if high.value == low.value:
        return f"All values are {_value(high)}."
    return (
        f"The highest is {_said(high.label)} at {_value(high)} "
        f"and the lowest {_said(low.label)} at {_value(low)}."
    )


def _trend(chart: Chart) -> str | None:
    """Rising, falling or mixed, for categories that have an order (or any line chart)."""
    pairs = [p for p in chart.pairs if p.value is not None]
    ordered = chart.kind == "line chart" or all(_ORDERED.match(p.label) for p in chart.pairs)
    if len(pairs) < 3 or not ordered:
        return None
    values = [p.value or 0.0 for p in pairs]
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    slope = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values)) / sum(
        (i - mean_x) ** 2 for i in range(n)
    )
    spread = max(values) - min(values)
    change = slope * (n - 1)
    first, last = _said(pairs[0].label), _said(pairs[-1].label)
    if spread == 0 or abs(change) < 0.25 * spread:
        return f"From {first} to {last} there is no clear trend."
    return f"From {first} to {last} the values {'rise' if change > 0 else 'fall'} overall."


def chart_sentence(chart: Chart, detail: Detail) -> str:
    """The chart read out at ``detail``: its kind and title, pairs, extremes and trend."""
    article = "an" if chart.kind[0] in "aeiou" else "a"
    lead = f"This is {article} {chart.kind}"
    if chart.title:
        lead += f' titled "{chart.title.rstrip(".")}"'
    out = [lead + "."]
    if detail == "detailed":
        axes = []
        if chart.x_label:
            axes.append(f"the horizontal axis is {chart.x_label}")
        if chart.y_label:
            axes.append(f"the vertical axis is {chart.y_label}")
        if chart.kind == "table" and chart.columns:
            axes.append("its columns are " + ", ".join(chart.columns))
        if axes:
            said = " and ".join(axes)
            out.append(said[0].upper() + said[1:] + ".")
    if detail != "brief" and chart.pairs:
        shown = chart.pairs if detail == "detailed" else chart.pairs[:_STANDARD_PAIRS]
        said = ", ".join(_pair(p, chart.columns) for p in shown)
        if len(shown) < len(chart.pairs):
            said += f", and {len(chart.pairs) - len(shown)} more"
        out.append(said[0].upper() + said[1:] + ".")
        if chart.unlabelled:
            n = chart.unlabelled
            out.append(
                "One more bar has no readable label."
                if n == 1
                else f"{n} more bars have no readable label."
            )
    if extremes := _extremes(chart):
        out.append(extremes)
    if detail != "brief" and (trend := _trend(chart)):
        out.append(trend)
    return " ".join(out)


_CODE_PROMPT: Final = re.compile(r"(?i)\b(qr|bar ?codes?|codes?|scan|link|url|web ?address)\b")
_CHART_PROMPT: Final = re.compile(
    r"(?i)\b(chart|graph|plot|table|bars?|highest|lowest|largest|smallest|most|least|values?"
    r"|trend)\b"
)


def codes_answer(
    prompt: str, codes: Sequence[Code] | None, size: tuple[int, int]
) -> tuple[str, bool] | None:
    """(answer, answered) when ``prompt`` asks about codes; None when it does not."""
    if not _CODE_PROMPT.search(prompt):
        return None
    if codes is None:
        return "I could not look for codes: the code reader is unavailable.", False
    if not codes:
        return "I found no QR code or barcode in the image.", True
    return code_sentence(codes, "detailed", size) or "", True


def chart_answer(
    prompt: str, charts: Sequence[Chart] | None, detail: Detail
) -> tuple[str, bool] | None:
    """(answer, answered) when ``prompt`` asks about a chart and one was read; None otherwise
    (a question about the "highest bar" of a picture without a chart is left to the rest)."""
    if not charts or not _CHART_PROMPT.search(prompt):
        return None
    chart = charts[0]
    p = prompt.lower()
    known = [x for x in chart.pairs if x.value is not None]
    if known and re.search(r"\b(highest|largest|biggest|most|tallest|maximum|max)\b", p):
        top = max(known, key=lambda x: x.value or 0.0)
        return f"The highest is {_said(top.label)} at {_value(top)}.", True
    if known and re.search(r"\b(lowest|smallest|least|shortest|minimum|min)\b", p):
        low = min(known, key=lambda x: x.value or 0.0)
        return f"The lowest is {_said(low.label)} at {_value(low)}.", True
    return chart_sentence(chart, detail), True


def codes_and_charts_findings(
    codes: Sequence[Code] | None, charts: Sequence[Chart] | None, scale: float
) -> dict[str, Any]:
    """The ``codes`` and ``charts`` findings keys, JSON-ready, boxes scaled to the sender's
    pixels; each is null when its part did not look."""
    out: dict[str, Any] = {"codes": None, "charts": None}

    def box(b: tuple[int, int, int, int]) -> list[int]:
        return [round(v * scale) for v in b]

    if codes is not None:
        out["codes"] = [
            {
                "kind": c.kind,
                "format": c.symbology,
                "content": c.content,
                "meaning": c.meaning,
                "box": box(c.box),
            }
            for c in codes
        ]
    if charts is not None:
        out["charts"] = [
            {
                "kind": c.kind,
                "orientation": c.orientation,
                "title": c.title,
                "x_label": c.x_label,
                "y_label": c.y_label,
                "columns": list(c.columns),
                "unlabelled": c.unlabelled,
                "pairs": [
                    {
                        "label": p.label,
                        "value": p.value,
                        "text": p.text,
                        "estimated": p.estimated,
                        **({"more": list(p.more)} if p.more else {}),
                    }
                    for p in c.pairs
                ],
                "box": box(c.box),
            }
            for c in charts
        ]
    return out
