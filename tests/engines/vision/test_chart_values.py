"""Chart values paired with their own category by the real offline describer, on charts drawn
here with Pillow in the layouts where pairs were lost: labels OCR reads as one line, a value
label the line crosses, a tick label by the first bar, small values read off the axis."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

pytest.importorskip("onnxruntime")
pytest.importorskip("rapidocr")

from seesay.engines.vision.chart_axes import axis_fit, estimate

pytestmark = pytest.mark.slow

FRUIT = ["Pears", "Plums", "Grapes", "Lemons", "Cherries", "Melons", "Peaches"]


def _centred(draw: ImageDraw.ImageDraw, x: float, y: float, text: str, font: Any) -> None:
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    draw.text((x - (right - left) / 2, y), text, fill="black", font=font)


def _chart(
    kind: str,
    pairs: list[tuple[str, int]],
    *,
    size: tuple[int, int] = (1000, 700),
    top: int = 100,
    step: int = 20,
    labelled: bool = True,
    text_size: int = 20,
    colour: tuple[int, int, int] = (204, 0, 0),
    bar_width: float = 0.6,
) -> Image.Image:
    """A "bar" or "line" chart titled "Rainfall" on a 0..``top`` axis: each value printed over
    its bar or point when ``labelled``, else tick labels every ``step`` left of the axis."""
    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=text_size)
    _centred(draw, width / 2, 20, "Rainfall", ImageFont.load_default(size=32))
    left, right, y0, y1 = 110, width - 40, 90, height - 110
    draw.line((left, y0, left, y1), fill="black", width=2)
    draw.line((left, y1, right, y1), fill="black", width=2)
    if not labelled:
        for tick in range(0, top + 1, step):
            y = y1 - tick / top * (y1 - y0)
            draw.line((left - 6, y, left, y), fill="black", width=2)
            text_w = draw.textlength(str(tick), font=font)
            draw.text((left - 12 - text_w, y - 11), str(tick), fill="black", font=font)
    slot = (right - left) / len(pairs)
    points = []
    for i, (label, value) in enumerate(pairs):
        cx = left + slot * (i + 0.5)
        y = y1 - value / top * (y1 - y0)
        if kind == "bar":
            half = slot * bar_width / 2
            draw.rectangle((cx - half, y, cx + half, y1 - 1), fill=(52, 101, 164))
        points.append((cx, y))
        if labelled:
            _centred(draw, cx, y - 30, str(value), font)
        _centred(draw, cx, y1 + 10, label, font)
    if kind == "line":
        draw.line(points, fill=colour, width=3)
        for x, y in points:
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=colour)
    return image


def _pairs(perception: Any, image: Image.Image) -> tuple[list[tuple[str, Any, bool]], str]:
    result = perception.describe(image, "detailed", None, "en")
    (chart,) = result.findings["charts"]
    return [(p["label"], p["value"], p["estimated"]) for p in chart["pairs"]], result.text


def test_line_chart_labels_read_as_one_line_are_each_paired_with_their_point(
    perception: Any,
) -> None:
    # Crowded under a narrow chart, the seven labels touch: OCR reads them as one line,
    # "Pears Plums Grapes LemonsCherriesMelons Peaches". It was no chart at all.
    pairs = list(zip(FRUIT, [66, 15, 95, 95, 56, 99, 70], strict=True))
    read, text = _pairs(perception, _chart("line", pairs, size=(700, 560)))
    assert [label for label, _, _ in read] == FRUIT
    # Each value read is its own category's (one the line crosses may stay unread).
    assert all(got in (None, want) for (_, got, _), (_, want) in zip(read, pairs, strict=True))
    assert sum(got is not None for _, got, _ in read) >= 6
    assert "Pears: 66, Plums: 15, Grapes: 95, Lemons: 95" in text


def test_two_line_chart_labels_read_together_are_two_categories(perception: Any) -> None:
    # "February March" was said as one category with February's value; March's was lost.
    months = ["February", "March", "April", "May", "June", "July", "August"]
    pairs = list(zip(months, [90, 88, 57, 57, 20, 84, 81], strict=True))
    read, text = _pairs(perception, _chart("line", pairs, size=(800, 600), text_size=22))
    said = {label: value for label, value, _ in read}
    assert "February March" not in said
    assert said["February"] == 90
    assert said["March"] == 88
    assert "February: 90, March: 88, April: 57" in text


def _part_of(read: str, label: str) -> bool:
    """``read`` is (a garbled part of) ``label``: four letters of it in a row, and no more
    letters than it has, one astray allowed."""
    match = SequenceMatcher(None, read, label).find_longest_match()
    return match.size >= 4 and len(read) <= len(label) + 1


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TOUCHING = [57, 98, 65, 83, 54, 47, 89]


def test_bar_labels_read_as_one_line_are_each_paired_with_their_bar(perception: Any) -> None:
    # Seven bars on a narrow chart: "Wednesday" touches its neighbours and OCR reads one
    # line, "Monday Tuesda/ednesdahursday Friday Saturday Sunday". It was no chart at all.
    pairs = list(zip(DAYS, TOUCHING, strict=True))
    read, text = _pairs(perception, _chart("bar", pairs, size=(700, 560)))
    assert [value for _, value, _ in read] == TOUCHING
    assert all(_part_of(got, day) for (got, _, _), day in zip(read, DAYS, strict=True))
    said = {label: value for label, value, _ in read}
    for day in ("Monday", "Tuesday", "Friday", "Saturday", "Sunday"):
        assert said[day] == dict(pairs)[day]
    assert "Monday: 57, Tuesday: 98" in text
    assert "Friday: 54, Saturday: 47, Sunday: 89" in text


def test_two_bar_labels_run_together_are_two_categories(perception: Any) -> None:
    # "November" and "December" touch: "NovembΦrecember" was one category with December's
    # value, and November's 47 was lost.
    months = ["June", "July", "August", "September", "October", "November", "December"]
    pairs = list(zip(months, TOUCHING, strict=True))
    read, text = _pairs(perception, _chart("bar", pairs, size=(700, 560)))
    assert [value for _, value, _ in read] == TOUCHING
    assert all(_part_of(got, month) for (got, _, _), month in zip(read, months, strict=True))
    assert "June: 57, July: 98, August: 65" in text


def test_a_value_label_the_line_crosses_is_read_whole(perception: Any) -> None:
    # The line from Oslo's point down to Lima's crosses "236": read as "36", off Lima's
    # height, it was dropped ("Lima: not read"); read again with the line painted out.
    cities = ["Oslo", "Lima", "Cairo", "Delhi", "Tokyo", "Quito", "Accra"]
    pairs = list(zip(cities, [679, 236, 427, 299, 434, 279, 198], strict=True))
    read, text = _pairs(perception, _chart("line", pairs, top=800, colour=(52, 101, 164)))
    assert read == [(label, float(value), False) for label, value in pairs]
    assert "Oslo: 679, Lima: 236, Cairo: 427" in text


def test_a_tick_label_by_the_first_bar_is_not_taken_for_its_value(perception: Any) -> None:
    # Only the axis is labelled; "50", left of April's bar near the axis, was said as
    # April's value ("April: 50" for a bar 239 high).
    months = ["April", "May", "June", "July", "August"]
    pairs = list(zip(months, [239, 152, 68, 41, 168], strict=True))
    image = _chart("bar", pairs, size=(800, 600), top=250, step=50, labelled=False, bar_width=0.7)
    read, text = _pairs(perception, image)
    assert [label for label, _, _ in read] == months
    for (_, value, estimated), (_, want) in zip(read, pairs, strict=True):
        assert estimated is True
        assert abs(value - want) <= max(1.0, 0.03 * want)
    assert "April: 50" not in text
    assert "April: about" in text


def test_small_values_read_off_the_axis_are_said_as_closely_as_the_drawing_shows(
    perception: Any,
) -> None:
    # Rounded to a tenth of the ticks' step (5 on an axis every 50), 13 was said "about 15"
    # and 38 "about 40", though a unit is more than a pixel high.
    names = ["Cars", "Boats", "Trams", "Taxis"]
    pairs = list(zip(names, [193, 13, 205, 38], strict=True))
    image = _chart("bar", pairs, size=(900, 600), top=250, step=50, labelled=False)
    read, text = _pairs(perception, image)
    said = {label: value for label, value, _ in read}
    assert abs(said["Boats"] - 13) <= 1
    assert abs(said["Taxis"] - 38) <= 1
    assert "Boats: about 15" not in text


def test_an_axis_with_one_misread_tick_label_still_gives_the_scale() -> None:
    # "100" with its tick mark touching it reads "1001"; the other four agree on the scale.
    ticks = [(80.0, 1001.0), (160.0, 80.0), (240.0, 60.0), (320.0, 40.0), (400.0, 20.0)]
    fit = axis_fit(ticks)
    assert fit is not None
    assert estimate(fit, 120.0) == (90.0, "90")
    assert axis_fit(ticks[:3]) is None  # two labels do not outvote a third
