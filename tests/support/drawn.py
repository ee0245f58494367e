"""Images with known content drawn in the test: QR codes (segno), an EAN-13 (python-barcode),
a bar chart and a table (Pillow)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

__all__ = [
    "MONTHS",
    "bar_chart",
    "ean13_image",
    "line_chart",
    "png_bytes",
    "qr_image",
    "receipt_image",
    "table_image",
]

MONTHS = [("January", 25), ("February", 40), ("March", 95), ("April", 60), ("May", 58)]


def qr_image(content: str, *, size: int = 800, at: tuple[int, int] | None = None) -> Image.Image:
    import segno

    buf = io.BytesIO()
    segno.make(content, error="m").save(buf, kind="png", scale=10, border=4)
    code = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    canvas = Image.new("RGB", (size, size), (235, 235, 228))
    canvas.paste(code, at or ((size - code.width) // 2, (size - code.height) // 2))
    return canvas


def ean13_image(digits: str) -> Image.Image:
    import barcode
    from barcode.writer import ImageWriter

    rendered = barcode.get("ean13", digits, writer=ImageWriter()).render()
    return rendered.convert("RGB")


def bar_chart(pairs: list[tuple[str, int]], *, labelled: bool = True) -> Image.Image:
    """A vertical bar chart titled "Monthly sales": values printed over the bars, or only on
    the axis (ticks every 20) when not ``labelled``."""
    image = Image.new("RGB", (1000, 700), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    draw.text((380, 20), "Monthly sales", fill="black", font=ImageFont.load_default(size=34))
    left, right, top, base = 120, 960, 100, 590
    draw.line((left, top, left, base), fill="black", width=2)
    draw.line((left, base, right, base), fill="black", width=2)
    if not labelled:
        for tick in range(0, 101, 20):
            y = base - tick / 100 * (base - top)
            draw.line((left - 8, y, left, y), fill="black", width=2)
            draw.text((left - 55, y - 12), str(tick), fill="black", font=font)
    slot = (right - left) / len(pairs)
    for i, (label, value) in enumerate(pairs):
        cx = left + slot * (i + 0.5)
        y = base - value / 100 * (base - top)
        draw.rectangle((cx - slot * 0.3, y, cx + slot * 0.3, base - 1), fill=(52, 101, 164))
        if labelled:
            draw.text((cx - 12, y - 32), str(value), fill="black", font=font)
        width = draw.textlength(label, font=font)
        draw.text((cx - width / 2, base + 12), label, fill="black", font=font)
    return image


def line_chart(pairs: list[tuple[str, int]]) -> Image.Image:
    """A red line with round markers and each value printed above its point."""
    image = Image.new("RGB", (1000, 700), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    draw.text((380, 20), "Monthly sales", fill="black", font=ImageFont.load_default(size=34))
    left, right, top, base = 120, 960, 100, 590
    draw.line((left, top, left, base), fill="black", width=2)
    draw.line((left, base, right, base), fill="black", width=2)
    slot = (right - left) / len(pairs)
    points = []
    for i, (label, value) in enumerate(pairs):
        cx = left + slot * (i + 0.5)
        y = base - value / 100 * (base - top)
        points.append((cx, y))
        draw.text((cx - 12, y - 40), str(value), fill="black", font=font)
        width = draw.textlength(label, font=font)
        draw.text((cx - width / 2, base + 12), label, fill="black", font=font)
    draw.line(points, fill=(204, 0, 0), width=4)
    for x, y in points:
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=(204, 0, 0))
    return image


def table_image() -> Image.Image:
    image = Image.new("RGB", (700, 420), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=24)
    draw.text((60, 25), "Fruit harvest", fill="black", font=ImageFont.load_default(size=32))
    rows = [("Fruit", "Tonnes"), ("Apples", "120"), ("Pears", "75"), ("Plums", "210")]
    for r, (a, b) in enumerate(rows):
        y = 100 + r * 60
        draw.rectangle((60, y, 640, y + 60), outline="black")
        draw.line((360, y, 360, y + 60), fill="black")
        draw.text((75, y + 16), a, fill="black", font=font)
        draw.text((375, y + 16), b, fill="black", font=font)
    return image


RECEIPT = [("BREAD", "2.50"), ("MILK", "1.20"), ("APPLES", "3.75"), ("CHEESE", "4.10")]


def receipt_image(
    items: list[tuple[str, str]] = RECEIPT, total: str | None = "11.55"
) -> Image.Image:
    """A till receipt: shop name, date, item names on the left with prices on the right, then
    TOTAL (a price list when ``total`` is None)."""
    font = ImageFont.load_default(size=26)
    step = 44
    image = Image.new("RGB", (560, 260 + step * len(items)), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.text((190, 30), "CORNER SHOP", fill="black", font=font)
    draw.text((40, 30 + step), "12/03/2025", fill="black", font=font)
    rows = [*items, *([("TOTAL", total)] if total else [])]
    for i, (name, price) in enumerate(rows):
        y = 30 + step * (3 + i) + (step // 2 if name == "TOTAL" else 0)
        draw.text((40, y), name, fill="black", font=font)
        draw.text((520 - draw.textlength(price, font=font), y), price, fill="black", font=font)
    return image


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
