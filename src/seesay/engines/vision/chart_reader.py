"""Charts and tables in an image: bars first, then a line, then a table (the first that fits).

Contract: ``read_charts(image, lines)`` returns the charts found (none or one today), each with
the indices of the text lines it used, so the rest can still be read as text. A bar chart
whose labels or values the first reading missed, or whose labels it read run together, is
read again around its bars (``bar_labels``); the lines found so are the chart's own, beyond
the indices of ``lines``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PIL import Image

from seesay.engines.vision.bar_charts import read_bar_chart
from seesay.engines.vision.bar_labels import read_around_bars
from seesay.engines.vision.bars import find_bars
from seesay.engines.vision.charts import Bar, Chart
from seesay.engines.vision.label_numbers import parse_number
from seesay.engines.vision.line_charts import Reread, read_line_chart
from seesay.engines.vision.tables import read_table
from seesay.engines.vision.text_reader import TextLine

__all__ = ["read_charts"]


def read_charts(
    image: Image.Image, lines: Sequence[TextLine], reread: Reread | None = None
) -> list[Chart]:
    """The charts and tables in ``image`` (the same pixels ``lines`` were read from).
    ``reread``, the text reader, may be asked to read a small crop again."""
    numbers = sum(parse_number(line.text) is not None for line in lines)
    # A chart or table shows numbers: values, ticks or cells. Without two (one, when the
    # small print can be read again), most photos and pages stop here, before any pixel is
    # looked at.
    enough = len(lines) >= 3 and numbers >= 2
    if not enough and (reread is None or numbers < 1):
        return []
    rgb = np.asarray(image.convert("RGB"))
    bars = find_bars(rgb)
    chart = read_bar_chart(rgb, lines, bars) if enough else None
    if reread is not None and bars[0] and (chart is None or _incomplete(chart)):
        chart = _bars_read_again(rgb, lines, bars, reread) or chart
    if chart is None and enough:
        chart = read_line_chart(rgb, lines, reread) or read_table(lines)
    return [chart] if chart is not None else []


def _incomplete(chart: Chart) -> bool:
    # A label cut out of a line read across several bars may be garbled: read each again.
    return chart.unlabelled > 0 or chart.cut > 0 or any(p.value is None for p in chart.pairs)


def _bars_read_again(
    rgb: np.ndarray, lines: Sequence[TextLine], found: tuple[list[Bar], bool], reread: Reread
) -> Chart | None:
    """The bar chart read with the lines found again around its ``found`` bars, when that
    reads it; its ``used`` lines are only those of ``lines``."""
    more = read_around_bars(rgb, *found, lines, reread)
    if not more:
        return None
    chart = read_bar_chart(rgb, [*lines, *more], found)
    if chart is None:
        return None
    return replace(chart, used=frozenset(i for i in chart.used if i < len(lines)))
