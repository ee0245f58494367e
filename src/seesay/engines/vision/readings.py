"""The codes and charts parts as ``findings.Reading``s: what the composer asks of them.

A ``CodesReading`` says every decoded code by its content and makes the image a "code" when a
code is the main thing in it (see ``CodesReading``); a ``ChartReading`` says the first chart
read (title, each category with its own value, the extremes, the trend) and makes the image a
"chart"; where no chart was read, a receipt or price list is read as a document
(``receipts``). Both leave out of the plain text reading the lines they already say: a
chart's labels and values, and the digits printed under a barcode. The wording itself lives
in ``readouts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from seesay.engines.base import Detail
from seesay.engines.vision.charts import Chart
from seesay.engines.vision.codes import Code
from seesay.engines.vision.readouts import chart_answer, chart_sentence, code_sentence, codes_answer
from seesay.engines.vision.receipts import ReceiptReading, read_receipt
from seesay.engines.vision.text_reader import TextLine

__all__ = ["ChartReading", "CodesReading", "ReceiptReading", "code_and_chart_readings"]

MAIN_CODE_SHARE: Final = 0.10  # a code this share of the image is its main thing


@dataclass(frozen=True, slots=True)
class CodesReading:
    """The codes decoded in one image; boxes are in ``frame`` (the work image's pixels);
    ``plain`` whether nothing else is in the image (``codes.plain_around``).

    The image's kind is "code" when a code is the main thing in it, and its content is then
    said first: when nothing else is there (a code on a plain ground, whatever its size), or
    when a code's printed symbol covers ``MAIN_CODE_SHARE`` of the image (a code held up to
    the camera, a ticket). A smaller code in a photo or on a poster leaves the image the kind
    of what is around it (kind None here): the photo is described and the code's content is
    still said after it. A barcode's height counts as half its width: the decoder reports a
    band across its bars, not their height. ``bench.quality.codes.is_main_code``
    labels the bench's images by the same rule.
    """

    codes: tuple[Code, ...]
    frame: tuple[int, int]
    lines: frozenset[int]  # text lines that are a code's printed content
    plain: bool = False

    topic = "codes"

    @property
    def kind(self) -> str | None:
        area = max(1, self.frame[0] * self.frame[1])
        big = any(_symbol_area(c) >= MAIN_CODE_SHARE * area for c in self.codes)
        return "code" if big or self.plain else None

    def sentences(self, detail: Detail) -> list[str]:
        said = code_sentence(self.codes, detail, self.frame)
        return [said] if said else []

    def answer(self, prompt: str) -> str | None:
        found = codes_answer(prompt, self.codes, self.frame)
        return found[0] if found else None

    def read_out(self) -> list[str]:
        return [c.content for c in self.codes]

    def used_lines(self) -> frozenset[int]:
        return self.lines


@dataclass(frozen=True, slots=True)
class ChartReading:
    """The first chart read in one image."""

    chart: Chart

    topic = "chart"
    kind = "chart"

    def sentences(self, detail: Detail) -> list[str]:
        return [chart_sentence(self.chart, detail)]

    def answer(self, prompt: str) -> str | None:
        found = chart_answer(prompt, [self.chart], "standard")
        return found[0] if found else None

    def read_out(self) -> list[str]:
        return [f"{p.label}: {p.text}" for p in self.chart.pairs if p.text is not None]

    def used_lines(self) -> frozenset[int]:
        return frozenset(self.chart.used)


def code_and_chart_readings(
    codes: list[Code] | None,
    charts: list[Chart] | None,
    text: list[TextLine] | None,
    frame: tuple[int, int],
    plain: bool = False,
) -> tuple[CodesReading | ChartReading | ReceiptReading, ...]:
    """The readings for what the codes and charts parts found (none for a part that did not
    look or found nothing: ``Findings.looked`` says which looked), and a receipt or price
    list in the text when the charts part looked and read no chart there; ``plain`` whether
    nothing but the codes is in the image."""
    out: list[CodesReading | ChartReading | ReceiptReading] = []
    if charts:
        out.append(ChartReading(charts[0]))
    elif charts is not None and text and (receipt := read_receipt(text)) is not None:
        out.append(ReceiptReading(receipt))
    if codes:
        contents = {c.content.replace(" ", "") for c in codes}
        lines = frozenset(
            i
            for i, line in enumerate(text or ())
            if line.text.replace(" ", "") in contents or any(_near(line.box, c.box) for c in codes)
        )
        out.append(CodesReading(tuple(codes), frame, lines, plain))
    return tuple(out)


def _symbol_area(code: Code) -> float:
    _, _, w, h = code.box
    return w * (h if code.kind != "barcode" else w / 2)


def _near(line: tuple[int, int, int, int], code: tuple[int, int, int, int]) -> bool:
    """A text line inside a code's box or just under it (a barcode's printed digits; a linear
    code's box can be a thin band across its bars, hence the reach by its width)."""
    x, y, w, h = line
    cx, cy, cw, ch = code
    below = ch + max(0.3 * ch, 0.4 * cw)
    return cx - 0.1 * cw <= x + w / 2 <= cx + 1.1 * cw and cy <= y + h / 2 <= cy + below
