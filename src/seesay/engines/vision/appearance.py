"""Cheap, model-free look of an image: named dominant colors, lighting, orientation, flatness.

Everything works on a 96 px thumbnail, so it costs a few milliseconds whatever the input size.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from PIL import Image

__all__ = ["Appearance", "analyse_appearance", "color_name", "orientation_of"]

_THUMB: Final = 96
_MIN_COLOR_SHARE: Final = 0.08

Lighting = Literal["dark", "dim", "normal", "bright"]
Orientation = Literal["landscape", "portrait", "square"]


@dataclass(frozen=True, slots=True)
class Appearance:
    width: int
    height: int
    orientation: Orientation
    lighting: Lighting
    brightness: float  # mean luma 0..1
    colors: tuple[tuple[str, float], ...]  # (name, share of pixels), largest first
    flat_share: float  # share in the 24 commonest exact colors, capped by repeats: high = rendered
    white_share: float  # share of near-white pixels: high with text = a document


def color_name(r: int, g: int, b: int) -> str:
    """A plain English color name for an sRGB color (the eleven basic terms plus a few)."""
    h, s, v = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    hue = h * 360
    if v < 0.18:
        return "black"
    if s < 0.14 or (s < 0.22 and v < 0.5):
        if v > 0.86:
            return "white"
        return "light gray" if v > 0.62 else "gray" if v > 0.36 else "dark gray"
    if 15 <= hue < 50 and v < 0.62:
        return "brown"
    if 20 <= hue < 55 and s < 0.35 and v >= 0.62:
        return "beige"
    if hue < 15 or hue >= 340:
        return "red" if v >= 0.35 else "brown"
    if hue < 42:
        return "orange"
    if hue < 68:
        return "yellow" if v >= 0.5 else "olive"
    if hue < 165:
        return "green"
    if hue < 195:
        return "teal"
    if hue < 255:
        return "blue"
    if hue < 290:
        return "purple"
    return "pink"


def orientation_of(width: int, height: int) -> Orientation:
    """Landscape, portrait, or square (within 10%)."""
    ratio = width / max(1, height)
    return "landscape" if ratio > 1.1 else "portrait" if ratio < 0.9 else "square"


def analyse_appearance(image: Image.Image) -> Appearance:
    """The look of ``image`` (RGB)."""
    width, height = image.size
    orientation = orientation_of(width, height)
    # Nearest-neighbour keeps exact colors, which is what tells flat graphics from photos.
    exact = np.asarray(image.convert("RGB").resize((_THUMB, _THUMB), Image.Resampling.NEAREST))
    flat_pixels = exact.reshape(-1, 3)
    packed = (
        flat_pixels[:, 0].astype(np.int32) << 16
        | flat_pixels[:, 1].astype(np.int32) << 8
        | flat_pixels[:, 2].astype(np.int32)
    )
    counts = np.sort(np.unique(packed, return_counts=True)[1])[::-1]
    # A grey photograph has few exact levels, so its 24 commonest cover most of it (a moon
    # scored 0.9); but neighbouring pixels of a photo differ, and those of a rendering repeat
    # (measured: 0.2-0.3 of grey photos' pixels equal their right neighbour, 0.76 and more
    # of rendered pages, screens, charts and signs).
    grid = packed.reshape(exact.shape[:2])
    repeats = float((grid[:, 1:] == grid[:, :-1]).mean())
    flat_share = min(float(counts[:24].sum() / packed.size), repeats)
    luma = flat_pixels @ np.array([0.299, 0.587, 0.114])
    brightness = float(luma.mean() / 255)
    lighting: Lighting = (
        "dark"
        if brightness < 0.22
        else "dim"
        if brightness < 0.38
        else "bright"
        if brightness > 0.72
        else "normal"
    )
    white_share = float((flat_pixels.min(axis=1) > 225).mean())

    smooth = image.convert("RGB").resize((_THUMB, _THUMB), Image.Resampling.BOX)
    palette = smooth.quantize(colors=8, method=Image.Quantize.MEDIANCUT)
    entries = palette.getpalette() or []
    shares: dict[str, float] = {}
    for count, index in palette.getcolors() or []:
        i = int(index)  # type: ignore[arg-type]  # P-mode colors are palette indices
        r, g, b = entries[3 * i : 3 * i + 3]
        name = color_name(r, g, b)
        shares[name] = shares.get(name, 0.0) + count / (_THUMB * _THUMB)
    colors = tuple(
        (name, round(share, 3))
        for name, share in sorted(shares.items(), key=lambda kv: -kv[1])
        if share >= _MIN_COLOR_SHARE
    )
    return Appearance(
        width, height, orientation, lighting, round(brightness, 3), colors, flat_share, white_share
    )
