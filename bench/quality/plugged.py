"""The code and chart sets (``bench.quality.codes``, ``bench.quality.charts``) as registered
kinds, so one harness run prints them beside the reading kinds."""

from __future__ import annotations

import random
from typing import Any

from bench.quality.charts import ChartScore, make_chart, score_chart
from bench.quality.codes import CodeScore, make_code, score_code
from bench.quality.registry import Item, Kind, register

__all__: list[str] = []


def _code(rng: random.Random) -> Item:
    """A code image, labelled "code" when the code is the main thing in it, else "photo" (a
    small code in a photo: the photo is described and the code still said; ``codes_said``
    scores that)."""
    image, expected = make_code(rng)
    return Item(image, "code" if expected.main else "photo", {"expected": expected})


def _score_code(item: Item, result: Any) -> dict[str, float]:
    score = CodeScore()
    score_code(item.truth["expected"], result.findings or {}, result.text, score)
    return {"codes_decoded": float(score.decoded), "codes_said": float(score.said)}


def _chart(rng: random.Random) -> Item:
    image, expected = make_chart(rng)
    return Item(image, "chart", {"expected": expected})


def _score_chart(item: Item, result: Any) -> dict[str, float]:
    score = ChartScore()
    score_chart(item.truth["expected"], result.findings or {}, score)
    return {"chart_pairs": score.correct / max(1, score.pairs)}


register(Kind("code", _code, _score_code))
register(Kind("chart", _chart, _score_chart))
