"""Fonts and text drawing shared by the generated kinds."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = ["font", "font_paths", "roughen", "wrap"]

_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
# Symbol and extreme-weight faces are not text a reader is expected to read.
_SKIP = ("Math", "ExtraLight", "Symbol", "Emoji")


@cache
def font_paths() -> tuple[Path, ...]:
    """TrueType fonts installed on this machine, sorted so a seed picks the same ones."""
    found = sorted(
        p
        for d in _FONT_DIRS
        if d.is_dir()
        for p in d.rglob("*.[ot]tf")
        if not any(s in p.name for s in _SKIP)
    )
    if not found:
        raise RuntimeError("no TrueType fonts found (apt-get install fonts-dejavu-core)")
    return tuple(found)


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def pick_font(rng: random.Random, *, bold: bool | None = None, mono: bool = True) -> Path:
    fonts = [p for p in font_paths() if mono or "Mono" not in p.name]
    if bold is not None:
        fonts = [p for p in fonts if ("Bold" in p.name) == bold] or fonts
    return rng.choice(fonts)


def wrap(words: list[str], face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words broken into lines no wider than ``width`` pixels."""
    lines: list[str] = []
    current: list[str] = []
    for word in words:
        trial = " ".join([*current, word])
        if current and face.getlength(trial) > width:
            lines.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def roughen(image: Image.Image, rng: random.Random) -> Image.Image:
    """A light blur and a JPEG round trip, as a photographed or scanned page has."""
    import io

    if rng.random() < 0.5:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=rng.randint(70, 92))
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def text_size(
    draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont
) -> tuple[int, int]:
    x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=face)
    return int(x1 - x0), int(y1 - y0)
