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
    "login_screen",
    "png_bytes",
    "qr_image",
    "receipt_image",
    "settings_screen",
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


def bar_chart(
    pairs: list[tuple[str, int]],
    *,
    labelled: bool = True,
    text_size: int = 22,
    x_title: str | None = None,
    labels_left: bool = False,
) -> Image.Image:
    """A vertical bar chart titled "Monthly sales": values printed over the bars, or only on
    the axis (ticks every 20) when not ``labelled``; labels and values ``text_size`` high;
    ``x_title`` centred under the labels; each label starts at its bar's left edge when
    ``labels_left``, else it is centred under it."""
    image = Image.new("RGB", (1000, 700), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=text_size)
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
        at = cx - slot * 0.3 if labels_left else cx - width / 2
        draw.text((at, base + 12), label, fill="black", font=font)
    if x_title:
        width = draw.textlength(x_title, font=font)
        draw.text(((left + right - width) / 2, base + 26 + 2 * text_size), x_title, "black", font)
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


Colour = tuple[int, int, int]
# page, ink, hint (placeholder text, outlines, a switch that is off), field
_LIGHT: dict[str, Colour] = {
    "page": (246, 247, 250),
    "ink": (25, 28, 33),
    "hint": (150, 154, 160),
    "field": (255, 255, 255),
}
_DARK: dict[str, Colour] = {
    "page": (24, 26, 31),
    "ink": (232, 234, 238),
    "hint": (120, 124, 132),
    "field": (40, 43, 50),
}


def login_screen(*, dark: bool = False) -> Image.Image:
    """A phone's sign-in screen: the title "Sign in", labelled fields "Email" and "Password"
    (empty, the first with a grey placeholder), a filled "Sign in" button and a blue "Forgot
    password?" link."""
    theme = _DARK if dark else _LIGHT
    image = Image.new("RGB", (720, 1280), theme["page"])
    draw = ImageDraw.Draw(image)
    body = ImageFont.load_default(size=30)
    draw.text((60, 150), "Sign in", fill=theme["ink"], font=ImageFont.load_default(size=64))
    draw.text((60, 260), "Welcome back to Harbor", fill=theme["ink"], font=body)
    for i, label in enumerate(("Email", "Password")):
        y = 360 + 170 * i
        draw.text((60, y), label, fill=theme["ink"], font=body)
        draw.rounded_rectangle(
            (60, y + 48, 660, y + 128), 10, fill=theme["field"], outline=theme["hint"], width=2
        )
        if i == 0:
            draw.text((84, y + 72), "you@example.com", fill=theme["hint"], font=body)
    draw.rounded_rectangle((60, 760, 660, 850), 14, fill=(37, 99, 235))
    width = draw.textlength("Sign in", font=body)
    draw.text((360 - width / 2, 788), "Sign in", fill="white", font=body)
    link = (96, 165, 250) if dark else (29, 78, 216)
    width = draw.textlength("Forgot password?", font=body)
    draw.text((360 - width / 2, 900), "Forgot password?", fill=link, font=body)
    return image


def settings_screen(*, dark: bool = False) -> Image.Image:
    """A desktop settings page: a top bar titled "Settings", the headings "Network" and
    "Account", switches "Wi-Fi" (on) and "Bluetooth" (off), a "Display name" field holding
    "Ann Lee", and the buttons "Save" (filled) and "Cancel" (outlined)."""
    theme = _DARK if dark else _LIGHT
    image = Image.new("RGB", (1280, 900), theme["page"])
    draw = ImageDraw.Draw(image)
    body = ImageFont.load_default(size=24)
    heading = ImageFont.load_default(size=34)
    accent = (37, 99, 235)
    draw.rectangle((0, 0, 1280, 80), fill=(30, 41, 59) if not dark else (45, 50, 60))
    draw.text((40, 22), "Settings", fill="white", font=ImageFont.load_default(size=36))
    draw.text((80, 130), "Network", fill=theme["ink"], font=heading)
    for i, (name, on) in enumerate((("Wi-Fi", True), ("Bluetooth", False))):
        y = 200 + 70 * i
        draw.text((80, y), name, fill=theme["ink"], font=body)
        track = accent if on else theme["hint"]
        draw.rounded_rectangle((1100, y - 4, 1172, y + 32), 18, fill=track)
        knob = 1154 if on else 1118
        draw.ellipse((knob - 14, y - 0, knob + 14, y + 28), fill="white")
    draw.text((80, 380), "Account", fill=theme["ink"], font=heading)
    draw.text((80, 450), "Display name", fill=theme["ink"], font=body)
    draw.rectangle((380, 436, 1000, 494), fill=theme["field"], outline=theme["hint"], width=2)
    draw.text((400, 450), "Ann Lee", fill=theme["ink"], font=body)
    draw.text(
        (80, 530), "Your name is shown to people you share with.", fill=theme["hint"], font=body
    )
    draw.rounded_rectangle((80, 620, 260, 680), 8, fill=accent)
    width = draw.textlength("Save", font=body)
    draw.text((170 - width / 2, 636), "Save", fill="white", font=body)
    draw.rounded_rectangle((290, 620, 470, 680), 8, outline=theme["ink"], width=2)
    width = draw.textlength("Cancel", font=body)
    draw.text((380 - width / 2, 636), "Cancel", fill=theme["ink"], font=body)
    return image
