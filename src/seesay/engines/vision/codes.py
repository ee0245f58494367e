"""QR codes and barcodes in the image, decoded with zxing-cpp (no model: a C++ decoder).

The decoder sees the image at most ``max_side`` pixels on its long side: a code small enough to
need more is rare in a photo someone points at it, and a 12 MP upload would cost ten times as
much. Each code comes back with its kind, its content and its box in the pixels of the image
the caller named as ``frame`` (the engine's work image), so its position can be said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from PIL import Image

__all__ = ["Code", "CodeReader", "classify_content", "plain_around"]

# zxing-cpp's format names, as a listener knows them.
_KIND_NAMES: Final[dict[str, str]] = {
    "QRCode": "QR code",
    "MicroQRCode": "QR code",
    "RMQRCode": "QR code",
    "QRCodeModel1": "QR code",
    "QRCodeModel2": "QR code",
    "DataMatrix": "Data Matrix code",
    "Aztec": "Aztec code",
    "AztecCode": "Aztec code",
    "AztecRune": "Aztec code",
    "PDF417": "PDF417 code",
    "CompactPDF417": "PDF417 code",
    "MicroPDF417": "PDF417 code",
    "MaxiCode": "MaxiCode",
}
# Product numbers: the digits printed under the bars, grouped as they are printed.
_PRODUCT_FORMATS: Final = frozenset({"EAN13", "EAN8", "UPCA", "UPCE", "ISBN"})


@dataclass(frozen=True, slots=True)
class Code:
    """One decoded code. ``kind`` is what to call it ("QR code", "barcode"), ``symbology`` the
    exact format ("QR Code", "EAN-13"), ``content`` the decoded text unchanged, ``meaning`` what
    the content is ("url", "product", "isbn", "wifi", "phone", "email", "text") and ``box``
    (x, y, width, height) in the frame's pixels."""

    kind: str
    symbology: str
    content: str
    meaning: str
    box: tuple[int, int, int, int]


def classify_content(content: str, format_name: str) -> str:
    """What ``content`` is, by its form: a web address, a product number, and so on."""
    text = content.strip()
    if format_name in _PRODUCT_FORMATS and text.isdigit():
        return "isbn" if len(text) == 13 and text.startswith(("978", "979")) else "product"
    if re.match(r"(?i)^(https?://|www\.)\S+$", text):
        return "url"
    if text.upper().startswith("WIFI:"):
        return "wifi"
    if re.match(r"(?i)^tel:\+?[\d\s().-]+$", text):
        return "phone"
    if re.match(r"(?i)^mailto:\S+@\S+$", text):
        return "email"
    return "text"


def _kind(format_name: str) -> str:
    return _KIND_NAMES.get(format_name, "barcode")


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether the centre of either box lies in the other."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return (bx <= ax + aw / 2 <= bx + bw and by <= ay + ah / 2 <= by + bh) or (
        ax <= bx + bw / 2 <= ax + aw and ay <= by + bh / 2 <= ay + ah
    )


class CodeReader:
    """Loaded zxing-cpp. ``read`` is thread-safe (the decoder keeps no state between calls)."""

    def __init__(self, *, max_side: int = 1280) -> None:
        import zxingcpp

        self._zx: Any = zxingcpp
        self._max_side = max_side

    def read(self, image: Image.Image, frame: tuple[int, int]) -> list[Code]:
        """Every code found in ``image``, boxes scaled to a ``frame`` (width, height) view of
        the same picture, in reading order (top to bottom, then left to right)."""
        gray = image.convert("L")
        if max(gray.size) > self._max_side:
            gray.thumbnail((self._max_side, self._max_side), Image.Resampling.BILINEAR)
        found = self._zx.read_barcodes(np.ascontiguousarray(np.asarray(gray)))
        sx, sy = frame[0] / gray.size[0], frame[1] / gray.size[1]
        codes: list[Code] = []
        seen: set[tuple[str, str]] = set()
        for barcode in found:
            if not barcode.valid or not barcode.text:
                continue
            name = barcode.format.name
            key = (name, barcode.text)
            if key in seen:  # the same code found twice (rotated and upright passes)
                continue
            pos = barcode.position
            points = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
            xs, ys = [p.x * sx for p in points], [p.y * sy for p in points]
            box = (
                round(min(xs)),
                round(min(ys)),
                max(1, round(max(xs) - min(xs))),
                max(1, round(max(ys) - min(ys))),
            )
            if any(c.symbology == str(barcode.format) and _overlap(c.box, box) for c in codes):
                # Two readings of one code disagree (a blurred EAN read twice with different
                # digits): the first pass, on the image as it is, is the one to trust.
                continue
            seen.add(key)
            codes.append(
                Code(
                    kind=_kind(name),
                    symbology=str(barcode.format),
                    content=barcode.text,
                    meaning=classify_content(barcode.text, name),
                    box=box,
                )
            )
        return sorted(codes, key=lambda c: (c.box[1] // max(1, frame[1] // 8), c.box[0]))


def plain_around(image: Image.Image, boxes: list[tuple[int, int, int, int]]) -> bool:
    """Whether ``image`` shows nothing but its codes (``boxes`` in its pixels): outside them
    and their margins (a quiet zone, a barcode's printed digits) it is one even colour, as a
    code on a plain ground is; a photo, a poster's words or a page's lines are not."""
    gray = image.convert("L")
    gray.thumbnail((128, 128), Image.Resampling.BILINEAR)
    a = np.asarray(gray, dtype=np.float64)
    sx, sy = gray.size[0] / image.size[0], gray.size[1] / image.size[1]
    rest = np.ones(a.shape, bool)
    for x, y, w, h in boxes:
        grow = 0.25 * max(w, h)
        x0, y0 = int((x - grow) * sx), int((y - grow) * sy)
        x1, y1 = int((x + w + grow) * sx) + 1, int((y + h + grow + 0.3 * w) * sy) + 1
        rest[max(0, y0) : y1, max(0, x0) : x1] = False
    if rest.mean() < 0.2:
        return True  # the codes fill the image
    around = a[rest]
    return bool((np.abs(around - np.median(around)) <= 12).mean() >= 0.97)
