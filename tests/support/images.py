"""Images made in the tests: a sign photographed (noise, texture, uneven light), a printed page,
an app screenshot, and a photo from scikit-image's bundled data. Pillow's own font only, so the
images are the same on every machine."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def as_jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def as_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def sign_photo(lines: tuple[str, ...] = ("ROAD", "CLOSED"), seed: int = 1) -> Image.Image:
    """A sign on a post in front of a textured wall, with sensor noise and uneven light: what
    a phone camera makes, never the flat pixels of a screenshot."""
    rng = np.random.default_rng(seed)
    w, h = 960, 720
    yy, xx = np.mgrid[0:h, 0:w]
    wall = np.stack(
        [120 + 30 * np.sin(xx / 17.0), 110 + 25 * np.cos(yy / 11.0), 95 + 0 * xx], axis=-1
    )
    wall += rng.normal(0, 18, (h, w, 3))
    image = Image.fromarray(np.clip(wall, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.rectangle((455, 470, 505, 720), fill=(90, 90, 95))  # the post
    draw.rectangle((180, 140, 780, 480), fill=(200, 30, 30), outline=(250, 250, 250), width=10)
    big = font(110)
    for i, line in enumerate(lines):
        draw.text((230, 170 + i * 140), line, fill=(250, 250, 250), font=big)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    shade = np.linspace(0.75, 1.1, w)[None, :, None]  # light from the right
    pixels = np.asarray(image).astype(np.float32) * shade + rng.normal(0, 6, (h, w, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


PAGE_LINES = (
    "The garden opens at nine in the morning",
    "Visitors may walk on every path and lawn",
    "Dogs must stay on a lead near the pond",
    "The cafe closes one hour before the gates",
    "Tickets for children under five are free",
    "Please take your litter home with you",
)


def page(title: str = "Garden Rules", lines: tuple[str, ...] = PAGE_LINES) -> Image.Image:
    """A printed page: a title and lines of body text, black on white."""
    image = Image.new("RGB", (1000, 1300), "white")
    draw = ImageDraw.Draw(image)
    draw.text((80, 80), title, fill="black", font=font(52))
    body = font(32)
    for i, line in enumerate(lines):
        draw.text((80, 200 + i * 64), line, fill=(20, 20, 20), font=body)
    return image


def list_page() -> Image.Image:
    """A page that is mostly lists: a short paragraph, then headings over short "-" items.
    Most of its words, and most of its lines, are short."""
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    draw.text((110, 110), "Camp Checklist", fill="black", font=font(56))
    body, y = font(28), 230
    for line in (
        "Everything on this list fits in one rucksack if you pack the heavy things first,",
        "keep the stove and the fuel apart, and roll the clothes instead of folding them.",
        "Check each item off the night before you leave, and once more at the car park.",
    ):
        draw.text((110, y), line, fill=(30, 30, 30), font=body)
        y += 44
    sections = {
        "Sleeping": ("tent with poles", "warm sleeping bag", "thick inflatable mat"),
        "Cooking": ("small gas stove", "two fuel cans", "one cooking pot", "long wooden spoon"),
        "Clothes": ("light rain jacket", "thick wool socks", "a spare shirt", "wide sun hat"),
        "Tools": ("sharp pocket knife", "head torch batteries", "roll of tape"),
    }
    for heading, items in sections.items():
        y += 30
        draw.text((110, y), heading, fill="black", font=font(40))
        y += 70
        for item in items:
            draw.text((150, y), f"- {item}", fill=(30, 30, 30), font=body)
            y += 44
    return image


def structured_page() -> Image.Image:
    """A page of headings, short list items and paragraphs: more short lines than long ones,
    most of its words in the long ones."""
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    draw.text((110, 110), "Harbour Walks", fill="black", font=font(56))
    body, y = font(28), 230
    prose = (
        "The morning path follows the old harbour wall past the boats and the fish market,",
        "then climbs the steps to the lighthouse where the view reaches the far islands",
    )
    for section in ("Before you start", "On the way", "Coming back"):
        draw.text((110, y), section, fill="black", font=font(40))
        y += 70
        for item in ("bring warm clothes", "check the tide"):
            draw.text((150, y), f"- {item}", fill=(30, 30, 30), font=body)
            y += 44
        for line in (*prose, "in clear weather."):
            draw.text((110, y), line, fill=(30, 30, 30), font=body)
            y += 44
        y += 40
    return image


def screenshot() -> Image.Image:
    """An app's settings screen: a coloured title bar, a side menu, labels, fields, buttons."""
    image = Image.new("RGB", (1280, 800), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1280, 70), fill=(40, 90, 200))
    draw.text((24, 18), "Settings", fill="white", font=font(30))
    draw.rectangle((0, 70, 240, 800), fill=(228, 230, 235))
    small = font(22)
    for i, item in enumerate(("Account", "Privacy", "Network", "Display", "Sound")):
        draw.text((24, 100 + i * 50), item, fill=(30, 30, 30), font=small)
    for i, label in enumerate(("Display name", "Email address", "Phone number")):
        y = 110 + i * 90
        draw.text((290, y), label, fill=(30, 30, 30), font=small)
        draw.rectangle((520, y - 8, 1000, y + 34), fill="white", outline=(180, 180, 190), width=2)
    draw.rounded_rectangle((520, 420, 700, 470), 8, fill=(40, 90, 200))
    draw.text((560, 432), "Save", fill="white", font=small)
    draw.rounded_rectangle((730, 420, 910, 470), 8, fill=(220, 222, 228))
    draw.text((765, 432), "Cancel", fill=(30, 30, 30), font=small)
    return image


def skimage_photo(name: str) -> Image.Image:
    """A real photo that ships in the scikit-image wheel ("chelsea", "astronaut", ...)."""
    from skimage import data as skdata

    return Image.fromarray(getattr(skdata, name)()).convert("RGB")


def people_photo() -> Image.Image:
    """The astronaut (one person) copied side by side: two people, on the left and right."""
    one = skimage_photo("astronaut").resize((400, 400))
    image = Image.new("RGB", (1200, 420), (30, 30, 30))
    image.paste(one, (0, 10))
    image.paste(one, (800, 10))
    return image
