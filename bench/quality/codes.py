"""QR codes and barcodes made with known content, and a scorer for how many were decoded and said.

``make_code(rng)`` makes one image: a QR code (segno; a URL, free text or a Wi-Fi login) or an
EAN-13 barcode (python-barcode), at a random size, place and rotation, on a flat colour or one
of scikit-image's photos, sometimes blurred or saved as a JPEG, and returns
``(image, expected)``; ``expected.main`` says whether the code is the main thing in the image
(the image's kind is then "code"; a small code in a photo leaves it a photo whose code is still
said: ``is_main_code``). ``score_code`` counts a code as decoded when its content is in the
findings unchanged, and as said when the description says it the way a listener needs it
(the address, the grouped product number, the quoted text).

Run: ``python -m bench.quality.codes [--seed 11] [--count 20]``.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter

__all__ = ["CodeScore", "ExpectedCode", "make_code", "make_set", "score_code"]

_WORDS = tuple(
    [
        "menu",
        "table",
        "ticket",
        "garden",
        "museum",
        "hall",
        "river",
        "north",
        "coffee",
        "tea",
        "open",
        "room",
        "stage",
        "door",
    ]
)
_HOSTS = ("example.com", "example.org", "shop.example.net", "tickets.example.com")


@dataclass
class ExpectedCode:
    kind: str  # "qr" or "ean13"
    content: str
    said: str  # what the description must contain
    main: bool = True  # the code is the main thing in the image (see ``is_main_code``)


MAIN_SHARE = 0.10  # seesay.engines.vision.readings.MAIN_CODE_SHARE, the rule's threshold


def is_main_code(symbol: tuple[float, float], linear: bool, image: tuple[int, int]) -> bool:
    """Whether a code whose printed symbol (a QR code's modules, a barcode's bars, no margins)
    spans ``symbol`` (width, height of its upright bounding box) is the main thing in an image
    of size ``image`` that holds nothing else but a photo: it covers ``MAIN_SHARE`` of it. A
    barcode's height counts as half its width (the describer's decoder reports a band across
    the bars, not their height). On a plain background a code is always the main thing
    (``make_code``).
    """
    w, h = symbol
    h = w / 2 if linear else h
    return w * h >= MAIN_SHARE * image[0] * image[1]


def _ean13(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(12)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)


def make_code(rng: random.Random, kind: str | None = None) -> tuple[Image.Image, ExpectedCode]:
    """One image with one code of random content, size and placement."""
    kind = kind or rng.choice(("qr", "qr", "ean13"))
    if kind == "ean13":
        import barcode
        from barcode.writer import ImageWriter

        digits = _ean13(rng)
        code = barcode.get("ean13", digits[:12], writer=ImageWriter()).render().convert("RGB")
        said = f"product number {digits[0]} {digits[1:7]} {digits[7:]}"
        exp = ExpectedCode(kind, digits, said)
        symbol = _bars(code)
    else:
        import segno

        form = rng.choice(("url", "text", "wifi"))
        if form == "url":
            path = "/".join(rng.sample(_WORDS, rng.randint(1, 2)))
            content = f"https://{rng.choice(_HOSTS)}/{path}"
            said = f"web address {content.removeprefix('https://')}"
        elif form == "text":
            content = " ".join(rng.sample(_WORDS, rng.randint(2, 5))).capitalize()
            said = f'reads "{content}"'
        else:
            name = rng.choice(_WORDS).capitalize() + str(rng.randint(1, 99))
            content = f"WIFI:S:{name};T:WPA;P:{rng.choice(_WORDS)}{rng.randint(100, 999)};;"
            said = f'Wi-Fi network "{name}"'
        buf = io.BytesIO()
        qr, scale = segno.make(content, error=rng.choice("lmq")), rng.randint(4, 10)
        qr.save(buf, kind="png", scale=scale, border=4)
        code = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
        exp = ExpectedCode(kind, content, said)
        side = qr.symbol_size(scale=scale, border=0)[0]
        symbol = (float(side), float(side))
    width = rng.randint(max(code.width + 40, 500), max(code.width + 60, 1200))
    height = rng.randint(max(code.height + 40, 400), max(code.height + 60, 900))
    on_photo = rng.random() < 0.5
    if on_photo:  # on a photo (scikit-image's samples), as on a poster or a box
        from skimage import data as skdata

        name = rng.choice(("astronaut", "coffee", "chelsea", "rocket", "immunohistochemistry"))
        photo = Image.fromarray(getattr(skdata, name)()).convert("RGB")
        canvas = photo.resize((width, height))
    else:
        background = tuple(rng.randint(150, 255) for _ in range(3))
        canvas = Image.new("RGB", (width, height), background)  # type: ignore[arg-type]
    if rng.random() < 0.4:
        angle = rng.uniform(-12, 12)
        code = code.rotate(angle, expand=True, fillcolor=(255, 255, 255))
        canvas = canvas.resize((max(width, code.width + 20), max(height, code.height + 20)))
        cos, sin = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
        symbol = (symbol[0] * cos + symbol[1] * sin, symbol[0] * sin + symbol[1] * cos)
    exp.main = not on_photo or is_main_code(symbol, kind == "ean13", canvas.size)
    x = rng.randint(0, canvas.width - code.width)
    y = rng.randint(0, canvas.height - code.height)
    canvas.paste(code, (x, y))
    if rng.random() < 0.3:
        canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.2)))
    if rng.random() < 0.4:
        buf = io.BytesIO()
        canvas.save(buf, "JPEG", quality=rng.randint(60, 90))
        canvas = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return canvas, exp


def _bars(code: Image.Image) -> tuple[float, float]:
    """The size of a rendered barcode's bars: the rows of dark pixels as wide as the widest,
    without the digits printed under them or the margins."""
    import numpy as np

    dark = np.asarray(code.convert("L")) < 128
    counts = dark.sum(axis=1)
    rows = np.flatnonzero(counts >= 0.8 * counts.max())
    cols = np.flatnonzero(dark[rows].any(axis=0))
    return float(cols[-1] - cols[0] + 1), float(rows[-1] - rows[0] + 1)


def make_set(seed: int, count: int) -> list[tuple[Image.Image, ExpectedCode]]:
    """``count`` code images from ``seed``: the same seed always gives the same set."""
    rng = random.Random(seed)
    return [make_code(rng) for _ in range(count)]


@dataclass
class CodeScore:
    codes: int = 0
    decoded: int = 0  # content in the findings, unchanged
    said: int = 0  # said in the description as a listener needs it


def score_code(
    expected: ExpectedCode, findings: Mapping[str, Any], text: str, into: CodeScore
) -> None:
    into.codes += 1
    contents = [c["content"] for c in findings.get("codes") or ()]
    if expected.content in contents:
        into.decoded += 1
    if expected.said in text:
        into.said += 1


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
    by_kind: dict[str, CodeScore] = {}
    times = []
    for image, exp in make_set(args.seed, args.count):
        t = time.perf_counter()
        out = engine.describe(image, "standard", None, "en")
        times.append(time.perf_counter() - t)
        score_code(exp, out.findings or {}, out.text, by_kind.setdefault(exp.kind, CodeScore()))
        if args.verbose:
            print(exp.kind, repr(exp.content), "\n   ", out.text, file=sys.stderr)
    print(f"codes: seed {args.seed}, {args.count} images")
    print(f"{'kind':<6} {'codes':>6} {'decoded':>8} {'said':>6}")
    total = CodeScore()
    for kind, s in sorted(by_kind.items()):
        print(f"{kind:<6} {s.codes:>6} {s.decoded:>8} {s.said:>6}")
        total.codes, total.decoded, total.said = (
            total.codes + s.codes,
            total.decoded + s.decoded,
            total.said + s.said,
        )
    print(f"{'all':<6} {total.codes:>6} {total.decoded:>8} {total.said:>6}")
    times.sort()
    print(f"describe (standard): median {times[len(times) // 2] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
