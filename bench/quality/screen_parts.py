"""Drawing the smaller controls of a generated screen (``bench.quality.screens``): checkboxes and
radio buttons left of their label, a row of tabs with one selected, and icon buttons (menu,
close, add) whose glyph is their only label.

Each ``draw_*`` draws at a given place and returns the truth items it drew, as
``[role, label]`` in reading order, the state said in brackets the way the describer reports
it ("Remember me (checked)", "Home (selected)").
"""

from __future__ import annotations

import random

from PIL import ImageDraw, ImageFont

__all__ = ["ICONS", "draw_checkbox", "draw_icon_button", "draw_radios", "draw_tabs"]

Colour = tuple[int, int, int]
ICONS = ("Menu", "Close", "Add")


def draw_checkbox(
    draw: ImageDraw.ImageDraw,
    at: tuple[int, int],
    label: str,
    size: int,
    face: ImageFont.FreeTypeFont,
    theme: dict[str, Colour],
    accent: Colour,
    checked: bool,
) -> list[list[str]]:
    """A square as tall as the text left of ``label``: filled with a white tick when checked,
    an empty outline when not."""
    x, y = at
    side = size
    shape = (x, y, x + side, y + side)
    radius = random.Random(label).choice((0, 3, 5))
    if checked:
        draw.rounded_rectangle(shape, radius, fill=accent)
        tick = [(x + side * 0.22, y + side * 0.52), (x + side * 0.42, y + side * 0.72)]
        tick.append((x + side * 0.78, y + side * 0.3))
        draw.line(tick, fill="white", width=max(2, side // 8))
    else:
        draw.rounded_rectangle(shape, radius, fill=theme["field"], outline=theme["hint"], width=2)
    draw.text((x + side + size // 2, y - size // 10), label, fill=theme["ink"], font=face)
    return [["checkbox", f"{label} ({'checked' if checked else 'not checked'})"]]


def draw_radios(
    draw: ImageDraw.ImageDraw,
    at: tuple[int, int],
    labels: list[str],
    selected: int,
    size: int,
    face: ImageFont.FreeTypeFont,
    theme: dict[str, Colour],
    accent: Colour,
) -> tuple[list[list[str]], int]:
    """Radio buttons one under the other, the ``selected`` one with a dot in its ring; returns
    the items and the y below them."""
    x, y = at
    items = []
    for k, label in enumerate(labels):
        ring = (x, y, x + size, y + size)
        if k == selected:
            draw.ellipse(ring, fill=theme["field"], outline=accent, width=max(2, size // 10))
            inset = size * 0.28
            draw.ellipse((x + inset, y + inset, x + size - inset, y + size - inset), fill=accent)
        else:
            draw.ellipse(ring, fill=theme["field"], outline=theme["hint"], width=2)
        draw.text((x + size + size // 2, y - size // 10), label, fill=theme["ink"], font=face)
        state = "selected" if k == selected else "not selected"
        items.append(["radio", f"{label} ({state})"])
        y += int(size * 2)
    return items, y


def draw_tabs(
    draw: ImageDraw.ImageDraw,
    at: tuple[int, int],
    labels: list[str],
    selected: int,
    face: ImageFont.FreeTypeFont,
    theme: dict[str, Colour],
    accent: Colour,
    pill: bool,
) -> list[list[str]]:
    """A row of tab labels; the selected one underlined in the accent colour (or, as a
    ``pill``, on a filled rounded shape in white letters)."""
    x, y = at
    size = face.size
    items = []
    for k, label in enumerate(labels):
        x0, _, x1, _ = draw.textbbox((x, y), label, font=face)
        ink: Colour | str = theme["ink"]
        if k == selected and pill:
            draw.rounded_rectangle(
                (x0 - size, y - size // 2, x1 + size, y + int(size * 1.6)), size, fill=accent
            )
            ink = "white"
        elif k == selected:
            bar = y + int(size * 1.55)
            draw.rectangle((x0 - 4, bar, x1 + 4, bar + max(3, size // 7)), fill=accent)
            ink = accent
        draw.text((x, y), label, fill=ink, font=face)
        items.append(["tab", f"{label} (selected)" if k == selected else label])
        x = x1 + 3 * size
    return items


def draw_icon_button(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    icon: str,
    fill: Colour,
    ink: Colour | str,
    round_shape: bool,
) -> list[list[str]]:
    """An icon button: a filled square or circle with the glyph of ``icon`` (one of
    :data:`ICONS`) in ``ink``."""
    x0, y0, x1, y1 = box
    if round_shape:
        draw.ellipse(box, fill=fill)
    else:
        draw.rounded_rectangle(box, (x1 - x0) // 6, fill=fill)
    side = x1 - x0
    a, b = x0 + side * 0.3, x1 - side * 0.3
    c, d = y0 + side * 0.3, y1 - side * 0.3
    width = max(2, side // 12)
    if icon == "Menu":
        for yy in (c, (c + d) / 2, d):
            draw.line([(a, yy), (b, yy)], fill=ink, width=width)
    elif icon == "Close":
        draw.line([(a, c), (b, d)], fill=ink, width=width)
        draw.line([(a, d), (b, c)], fill=ink, width=width)
    else:
        draw.line([((a + b) / 2, c), ((a + b) / 2, d)], fill=ink, width=width)
        draw.line([(a, (c + d) / 2), (b, (c + d) / 2)], fill=ink, width=width)
    return [["button", icon]]
