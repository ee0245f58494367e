"""Charts made with known content, and a scorer for how many of their values were paired right.

``make_chart(rng)`` draws one bar chart (vertical or horizontal), line chart or simple table with
random categories, values, colours, sizes and fonts, and returns ``(image, expected)``.
``score_chart(expected, findings)`` counts the categories whose value was read and paired with
them. ``main`` runs the real offline describer over a seeded set and prints a table.

Run: ``python -m bench.quality.charts [--seed 11] [--count 20]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

__all__ = ["ChartScore", "Expected", "make_chart", "make_set", "score_chart"]

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WORDS = [
    _MONTHS,
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    ["North", "South", "East", "West", "Central", "Coast", "Valley", "Harbour"],
    ["Apples", "Pears", "Plums", "Grapes", "Lemons", "Cherries", "Melons", "Peaches"],
    ["Oslo", "Lima", "Cairo", "Delhi", "Tokyo", "Quito", "Accra", "Perth"],
    ["Bikes", "Buses", "Trains", "Cars", "Boats", "Trams", "Taxis", "Vans"],
]
_TITLES = (
    "Monthly sales",
    "Visitors per day",
    "Rainfall",
    "Orders by region",
    "Fruit harvest",
    "Trips taken",
    "Survey results",
    "Energy use",
)
_UNITS = ("Sales", "Visitors", "Millimetres", "Orders", "Tonnes", "Trips", "Votes", "Kilowatts")
_COLOURS = (
    (52, 101, 164),
    (204, 0, 0),
    (78, 154, 6),
    (245, 121, 0),
    (117, 80, 123),
    (193, 125, 17),
    (32, 74, 135),
    (0, 128, 128),
)
_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
)


@dataclass
class Expected:
    """What a reader of the chart should report."""

    kind: str  # "bar", "hbar", "line" or "table"
    title: str
    pairs: list[tuple[str, float]]
    x_label: str | None = None
    y_label: str | None = None
    labelled: bool = True  # values printed on the chart (else read off the axis)
    extra: dict[str, Any] = field(default_factory=dict)


def _font(rng: random.Random, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    files = [f for f in _FONT_FILES if Path(f).exists()]
    if files and rng.random() < 0.75:
        return ImageFont.truetype(rng.choice(files), size)
    return ImageFont.load_default(size=size)


def _text_w(draw: ImageDraw.ImageDraw, text: str, font: Any) -> int:
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    return int(right - left)


def _nice_step(top: float) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500):
        if top / step <= 6:
            return step
    return 1000


def make_chart(rng: random.Random, kind: str | None = None) -> tuple[Image.Image, Expected]:
    """One chart with random content; ``kind`` is bar, hbar, line or table (random if None)."""
    kind = kind or rng.choice(("bar", "bar", "hbar", "line", "table"))
    n = rng.randint(3, 7)
    words = rng.choice(_WORDS)
    start = rng.randint(0, len(words) - n)
    cats = list(words[start : start + n])
    scale = rng.choice((100, 100, 250, 1000))
    values: list[float] = [rng.randint(max(1, scale // 20), scale) for _ in cats]
    title_i = rng.randrange(len(_TITLES))
    title = _TITLES[title_i]
    unit = _UNITS[title_i]
    if kind == "table":
        return _table(rng, title, unit, cats, values)
    labelled = kind == "line" or rng.random() < 0.6
    exp = Expected(kind, title, list(zip(cats, values, strict=True)), labelled=labelled)
    width, height = rng.choice(((800, 600), (900, 600), (1000, 700), (700, 560)))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small = _font(rng, rng.randint(18, 22))
    big = _font(rng, rng.randint(28, 34))
    colour = rng.choice(_COLOURS)
    draw.text(((width - _text_w(draw, title, big)) // 2, 20), title, fill="black", font=big)
    step = _nice_step(max(values))
    top = step * (int(max(values) // step) + 1)
    if kind == "hbar":
        exp.x_label = unit
        return _hbar(image, draw, exp, small, colour, step, top), exp
    exp.x_label = "Month" if words is _MONTHS else None
    exp.y_label = unit
    left, right, y0, y1 = 110, width - 40, 90, height - 110
    draw.line((left, y0, left, y1), fill="black", width=2)
    draw.line((left, y1, right, y1), fill="black", width=2)
    span = y1 - y0
    if not labelled:
        for tick in range(0, top + 1, step):
            y = y1 - tick / top * span
            draw.line((left - 6, y, left, y), fill="black", width=2)
            label = str(tick)
            draw.text(
                (left - 12 - _text_w(draw, label, small), y - 11), label, fill="black", font=small
            )
    slot = (right - left) / n
    bw = slot * rng.uniform(0.45, 0.7)
    points = []
    for i, (cat, value) in enumerate(zip(cats, values, strict=True)):
        cx = left + slot * (i + 0.5)
        y = y1 - value / top * span
        if kind == "bar":
            draw.rectangle((cx - bw / 2, y, cx + bw / 2, y1 - 1), fill=colour)
        else:
            points.append((cx, y))
        if labelled:
            label = f"{value:g}"
            draw.text(
                (cx - _text_w(draw, label, small) / 2, y - 30), label, fill="black", font=small
            )
        draw.text((cx - _text_w(draw, cat, small) / 2, y1 + 10), cat, fill="black", font=small)
    if kind == "line":
        draw.line(points, fill=colour, width=3)
        for x, y in points:
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=colour)
    if exp.x_label:
        draw.text(
            (left + (right - left - _text_w(draw, exp.x_label, small)) / 2, y1 + 50),
            exp.x_label,
            fill="black",
            font=small,
        )
    return image, exp


def _hbar(
    image: Image.Image,
    draw: ImageDraw.ImageDraw,
    exp: Expected,
    font: Any,
    colour: tuple[int, int, int],
    step: int,
    top: int,
) -> Image.Image:
    width, height = image.size
    cats = [c for c, _ in exp.pairs]
    left = 30 + max(_text_w(draw, c, font) for c in cats)
    right, y0, y1 = width - 90, 90, height - 80
    draw.line((left, y0, left, y1), fill="black", width=2)
    slot = (y1 - y0) / len(cats)
    for i, (cat, value) in enumerate(exp.pairs):
        cy = y0 + slot * (i + 0.5)
        bh = slot * 0.6
        x = left + value / top * (right - left)
        draw.rectangle((left + 1, cy - bh / 2, x, cy + bh / 2), fill=colour)
        draw.text((left - 12 - _text_w(draw, cat, font), cy - 11), cat, fill="black", font=font)
        if exp.labelled:
            draw.text((x + 8, cy - 11), f"{value:g}", fill="black", font=font)
    if not exp.labelled:
        draw.line((left, y1, right, y1), fill="black", width=2)
        for tick in range(0, top + 1, step):
            x = left + tick / top * (right - left)
            draw.line((x, y1, x, y1 + 6), fill="black", width=2)
            label = str(tick)
            draw.text((x - _text_w(draw, label, font) / 2, y1 + 10), label, fill="black", font=font)
    return image


def _table(
    rng: random.Random, title: str, unit: str, cats: list[str], values: list[float]
) -> tuple[Image.Image, Expected]:
    head = rng.choice(("Item", "Name", "Place", "Period"))
    exp = Expected("table", title, list(zip(cats, values, strict=True)))
    exp.extra["columns"] = [head, unit]
    font = _font(rng, rng.randint(20, 24))
    bold = _font(rng, 30)
    row_h = rng.randint(40, 50)
    width, height = 700, 140 + row_h * (len(cats) + 1)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((60, 25), title, fill="black", font=bold)
    x0, x1, x2 = 60, 360, 640
    y = 90
    grid = rng.random() < 0.5
    for r, (a, b) in enumerate([(head, unit)] + [(c, f"{v:g}") for c, v in exp.pairs]):
        if r == 0:
            draw.rectangle((x0, y, x2, y + row_h), fill=(225, 225, 225))
        if grid:
            draw.rectangle((x0, y, x2, y + row_h), outline="black")
            draw.line((x1, y, x1, y + row_h), fill="black")
        draw.text((x0 + 12, y + row_h / 2 - 12), a, fill="black", font=font)
        draw.text((x1 + 12, y + row_h / 2 - 12), b, fill="black", font=font)
        y += row_h
    return image, exp


def make_set(seed: int, count: int) -> list[tuple[Image.Image, Expected]]:
    """``count`` charts from ``seed``: the same seed always gives the same set."""
    rng = random.Random(seed)
    kinds = ("bar", "hbar", "line", "table")
    return [make_chart(rng, kinds[i % len(kinds)]) for i in range(count)]


@dataclass
class ChartScore:
    pairs: int = 0  # categories in the charts
    correct: int = 0  # read with their own value
    wrong: int = 0  # said with a value that is not theirs (worse than "not read")
    charts: int = 0
    found: int = 0  # charts recognised as charts
    titles: int = 0


def _close(read: float, want: float, exact: bool) -> bool:
    if exact:
        return read == want
    return abs(read - want) <= max(1.0, 0.03 * abs(want))


def score_chart(expected: Expected, findings: Mapping[str, Any], into: ChartScore) -> None:
    """Add one chart's result: a pair counts when the category's value equals what is printed
    (within 3 % of the true value when it is only read off the axis)."""
    into.charts += 1
    into.pairs += len(expected.pairs)
    charts = findings.get("charts") or []
    if not charts:
        return
    chart = charts[0]
    into.found += 1
    if (chart.get("title") or "").strip().lower() == expected.title.lower():
        into.titles += 1
    read = {
        str(p["label"]).strip().lower(): p["value"]
        for p in chart["pairs"]
        if p["value"] is not None
    }
    for cat, value in expected.pairs:
        got = read.get(cat.lower())
        if got is not None and _close(float(got), value, expected.labelled):
            into.correct += 1
        elif got is not None:
            into.wrong += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    from seesay.engines.base import EngineContext
    from seesay.engines.vision.perception import PerceptionEngine

    engine = PerceptionEngine(EngineContext(cache_dir=Path(tempfile.mkdtemp()), threads=2))
    engine.load()
    by_kind: dict[str, ChartScore] = {}
    times = []
    for image, exp in make_set(args.seed, args.count):
        t = time.perf_counter()
        out = engine.describe(image, "detailed", None, "en")
        times.append(time.perf_counter() - t)
        score_chart(exp, out.findings or {}, by_kind.setdefault(exp.kind, ChartScore()))
        if args.verbose:
            print(exp.kind, exp.pairs, "\n   ", out.text, file=sys.stderr)
    print(f"charts: seed {args.seed}, {args.count} images")
    print(
        f"{'kind':<7} {'charts':>6} {'found':>6} {'titles':>6} {'pairs':>6} {'correct':>8}"
        f" {'wrong':>6}"
    )
    total = ChartScore()
    for kind, s in sorted(by_kind.items()):
        print(
            f"{kind:<7} {s.charts:>6} {s.found:>6} {s.titles:>6} {s.pairs:>6} {s.correct:>8}"
            f" {s.wrong:>6}"
        )
        for name in ("pairs", "correct", "wrong", "charts", "found", "titles"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    share = total.correct / max(1, total.pairs)
    print(
        f"{'all':<7} {total.charts:>6} {total.found:>6} {total.titles:>6} {total.pairs:>6} "
        f"{total.correct:>8} {total.wrong:>6}  ({share:.3f} of pairs correct)"
    )
    times.sort()
    print(f"describe (detailed): median {times[len(times) // 2] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
