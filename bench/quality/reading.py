"""Kinds whose content is text to read: signs, printed pages, two-column pages and receipts.

Every item is drawn from random words of :data:`WORDS` in the installed fonts, so nothing can be
tuned to a known text; its ``truth["text"]`` is the text in reading order (a page's title, then
its paragraphs, the left column before the right one). Scored by word accuracy (1 - WER) of the
reading in ``findings["text"]["full"]``.
"""

from __future__ import annotations

import random
from typing import Any

from PIL import Image, ImageDraw

from bench.quality.registry import Item, Kind, register
from bench.quality.render import font, pick_font, roughen, text_size, wrap
from bench.quality.scoring import word_accuracy
from bench.quality.words import WORDS

__all__ = ["make_columns", "make_page", "make_receipt", "make_sign", "score_reading"]

_SIGN_COLOURS = (
    ((0, 110, 60), (255, 255, 255)),  # road sign green
    ((20, 60, 150), (255, 255, 255)),
    ((190, 20, 30), (255, 255, 255)),
    ((250, 205, 0), (0, 0, 0)),
    ((245, 245, 240), (20, 20, 20)),
    ((30, 30, 30), (250, 250, 250)),
)


def _words(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(n)]


def _sentence(rng: random.Random) -> str:
    words = _words(rng, rng.randint(4, 12))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 5)) -> list[str]:
    return " ".join(_sentence(rng) for _ in range(rng.randint(*sentences))).split()


def make_sign(rng: random.Random) -> Item:
    """1-3 lines of 1-3 words in a bold face, capitals or title case, on a sign's colours."""
    background, ink = rng.choice(_SIGN_COLOURS)
    width, height = rng.randint(900, 1400), rng.randint(500, 900)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    upper = rng.random() < 0.7
    lines = [
        " ".join(w.upper() if upper else w.capitalize() for w in _words(rng, rng.randint(1, 3)))
        for _ in range(rng.randint(1, 3))
    ]
    path = pick_font(rng, bold=True, mono=False)
    size = rng.randint(70, 130)
    face = font(path, size)
    while max(text_size(draw, line, face)[0] for line in lines) > width * 0.85 and size > 30:
        size -= 6
        face = font(path, size)
    gap = int(size * 1.4)
    y = (height - gap * len(lines)) // 2
    if rng.random() < 0.5:
        draw.rectangle((20, 20, width - 20, height - 20), outline=ink, width=8)
    for line in lines:
        w, _ = text_size(draw, line, face)
        draw.text(((width - w) // 2, y), line, fill=ink, font=face)
        y += gap
    return Item(roughen(image, rng), "sign", {"text": " ".join(lines), "lines": lines})


def _draw_block(
    draw: ImageDraw.ImageDraw, words: list[str], face: Any, x: int, y: int, width: int
) -> int:
    """Draw ``words`` wrapped to ``width`` from (x, y); returns the y below the block."""
    step = int(face.size * 1.45)
    for line in wrap(words, face, width):
        draw.text((x, y), line, fill=(15, 15, 15), font=face)
        y += step
    return y


def make_page(rng: random.Random) -> Item:
    """An A4 page at 150 dpi: a bold title, paragraphs, and sometimes a heading and a list."""
    width, height, margin = 1240, 1754, rng.randint(90, 140)
    image = Image.new("RGB", (width, height), (255, 255, 253))
    draw = ImageDraw.Draw(image)
    body = pick_font(rng, bold=False, mono=False)
    body_face = font(body, rng.randint(22, 30))
    title = " ".join(_words(rng, rng.randint(2, 5))).title()
    title_face = font(pick_font(rng, bold=True, mono=False), rng.randint(40, 54))
    draw.text((margin, margin), title, fill=(0, 0, 0), font=title_face)
    y = margin + int(title_face.size * 2)
    parts = [title]
    blocks: list[dict[str, Any]] = [{"type": "title", "text": title}]
    while y < height - margin - 300:
        if rng.random() < 0.25 and len(blocks) > 1:
            heading = " ".join(_words(rng, rng.randint(1, 4))).capitalize()
            hface = font(pick_font(rng, bold=True, mono=False), int(body_face.size * 1.3))
            draw.text((margin, y), heading, fill=(0, 0, 0), font=hface)
            y += int(hface.size * 1.8)
            items = [" ".join(_words(rng, rng.randint(2, 6))) for _ in range(rng.randint(2, 4))]
            for entry in items:
                draw.text((margin + 10, y), "\u2022", fill=(0, 0, 0), font=body_face)
                y = _draw_block(draw, entry.split(), body_face, margin + 45, y, width - 2 * margin)
            parts += [heading, *items]
            blocks += [{"type": "heading", "text": heading}, {"type": "list", "items": items}]
            y += int(body_face.size)
            continue
        words = _paragraph(rng)
        y = _draw_block(draw, words, body_face, margin, y, width - 2 * margin) + int(body_face.size)
        parts.append(" ".join(words))
        blocks.append({"type": "paragraph", "text": " ".join(words)})
    truth = {"text": " ".join(parts), "title": title, "blocks": blocks}
    return Item(roughen(image, rng), "document", truth)


def make_columns(rng: random.Random) -> Item:
    """A page with a title across it and two columns of paragraphs: the left column is read
    to its end before the right one starts."""
    width, height, margin, gutter = 1240, 1754, 100, rng.randint(50, 90)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    body_face = font(pick_font(rng, bold=False, mono=False), rng.randint(20, 26))
    title = " ".join(_words(rng, rng.randint(2, 5))).title()
    title_face = font(pick_font(rng, bold=True, mono=False), rng.randint(44, 56))
    draw.text((margin, margin), title, fill=(0, 0, 0), font=title_face)
    top = margin + int(title_face.size * 2.2)
    col_w = (width - 2 * margin - gutter) // 2
    parts = [title]
    for col in range(2):
        x, y = margin + col * (col_w + gutter), top
        while y < height - margin - 250:
            words = _paragraph(rng, (2, 4))
            y = _draw_block(draw, words, body_face, x, y, col_w) + int(body_face.size)
            parts.append(" ".join(words))
    return Item(roughen(image, rng), "document", {"text": " ".join(parts), "title": title})


def make_receipt(rng: random.Random) -> Item:
    """A till receipt: shop name, item lines with prices on the right, a total."""
    width = rng.randint(520, 640)
    n = rng.randint(4, 9)
    face = font(pick_font(rng, bold=False), rng.randint(22, 28))
    step = int(face.size * 1.6)
    height = 160 + step * (n + 5)
    image = Image.new("RGB", (width, height), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    shop = " ".join(_words(rng, rng.randint(1, 3))).upper()
    w, _ = text_size(draw, shop, face)
    draw.text(((width - w) // 2, 40), shop, fill=(10, 10, 10), font=face)
    date = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(20, 29)}"
    draw.text((40, 40 + step), date, fill=(10, 10, 10), font=face)
    lines = [shop, date]
    y = 40 + 3 * step
    total = 0
    for _ in range(n):
        name = " ".join(_words(rng, rng.randint(1, 2))).upper()
        cents = rng.randint(50, 4999)
        total += cents
        price = f"{cents // 100}.{cents % 100:02d}"
        draw.text((40, y), name, fill=(10, 10, 10), font=face)
        pw, _ = text_size(draw, price, face)
        draw.text((width - 40 - pw, y), price, fill=(10, 10, 10), font=face)
        lines.append(f"{name} {price}")
        y += step
    price = f"{total // 100}.{total % 100:02d}"
    draw.text((40, y + step // 2), "TOTAL", fill=(10, 10, 10), font=face)
    pw, _ = text_size(draw, price, face)
    draw.text((width - 40 - pw, y + step // 2), price, fill=(10, 10, 10), font=face)
    lines.append(f"TOTAL {price}")
    return Item(roughen(image, rng), "document", {"text": " ".join(lines), "lines": lines})


def score_reading(item: Item, result: Any) -> dict[str, float]:
    text = (result.findings or {}).get("text") or {}
    return {"word_acc": word_accuracy(item.truth["text"], text.get("full", ""))}


for _name, _make in (
    ("sign", make_sign),
    ("page", make_page),
    ("columns", make_columns),
    ("receipt", make_receipt),
):
    register(Kind(_name, _make, score_reading))
