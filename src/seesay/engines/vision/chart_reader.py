"""Charts and tables in an image: bars first, then a line, then a table (the first that fits).

Contract: ``read_charts(image, lines)`` returns the charts found (none or one today), each with
the indices of the text lines it used, so the rest can still be read as text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from seesay.engines.vision.charts import Chart, parse_number, read_bar_chart
from seesay.engines.vision.line_charts import Reread, read_line_chart
from seesay.engines.vision.tables import read_table
from seesay.engines.vision.text_reader import TextLine

__all__ = ["read_charts"]


def read_charts(
    image: Image.Image, lines: Sequence[TextLine], reread: Reread | None = None
) -> list[Chart]:
    """The charts and tables in ``image`` (the same pixels ``lines`` were read from).
    ``reread``, the text reader, may be asked to read a small crop again."""
    # A chart or table shows numbers: values, ticks or cells. Without two, most photos and
    # pages stop here, before any pixel is looked at.
    if len(lines) < 3 or sum(parse_number(line.text) is not None for line in lines) < 2:
        return []
    rgb = np.asarray(image.convert("RGB"))
    chart = read_bar_chart(rgb, lines) or read_line_chart(rgb, lines, reread) or read_table(lines)
    return [chart] if chart is not None else []
