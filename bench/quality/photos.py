"""Photos with subject labels: the photographs that ship inside scikit-image's wheel, each with
the words that name what it shows and how many people are in it.

There are only a dozen such photos, so fresh content comes from what a camera or a phone does
to a picture: each item is a random crop (70-100 % of each side), sometimes mirrored, resized,
made brighter or darker and saved as a JPEG of random quality. The labels are ours, written
from what each photo shows, never from what the describer says about it.

Scored, on the ``standard`` description a listener hears:

- ``subject_named``: a word naming the subject is said ("cat" for the cat photo);
- ``people``: the people counted (``findings["people"]``) are the people in the photo;
- ``sure_when_said``: a subject said without "probably", "possibly" or "may" is a right one (a
  wrong guess said as a fact is the worst thing a listener can be told).
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from typing import Any, Final

from PIL import Image, ImageEnhance

from bench.quality.registry import Item, Kind, register

__all__ = ["PHOTOS", "Photo", "make_photo", "score_photo"]


@dataclass(frozen=True, slots=True)
class Photo:
    """One of scikit-image's photos: its loader's name, the words that name its subject, and
    how many people it shows."""

    name: str
    subject: tuple[str, ...]
    people: int = 0


PHOTOS: Final[tuple[Photo, ...]] = (
    Photo("astronaut", ("person", "astronaut", "woman", "man"), people=1),
    Photo("camera", ("person", "man", "camera", "tripod", "photographer"), people=1),
    Photo("chelsea", ("cat", "kitten")),
    Photo("coffee", ("coffee", "espresso", "cup", "mug")),
    Photo("rocket", ("rocket", "launch", "spacecraft", "space shuttle", "missile")),
    Photo("hubble_deep_field", ("galaxies", "galaxy", "stars", "space", "night sky")),
    Photo("moon", ("moon", "crater", "craters", "lunar")),
    Photo("retina", ("eye", "retina")),
    Photo("coins", ("coin", "coins")),
    Photo("clock", ("clock",)),
    Photo("brick", ("brick", "bricks", "wall")),
    Photo("gravel", ("gravel", "stones", "pebbles")),
)

_HEDGE: Final = re.compile(r"\b(probably|possibly|may|might|perhaps|cannot tell)\b", re.I)
# The describer's opening claim: "This photo shows a cat, ...", "... shows an espresso".
_CLAIM: Final = re.compile(r"^[^.]*?\bshows?\b[^.]*", re.I)


def _load(name: str) -> Image.Image:
    import skimage.data

    return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")


def make_photo(rng: random.Random) -> Item:
    """A random photo, cropped, maybe mirrored, resized, lit and JPEG-compressed at random."""
    photo = rng.choice(PHOTOS)
    image = _load(photo.name)
    w, h = image.size
    cw, ch = round(w * rng.uniform(0.7, 1.0)), round(h * rng.uniform(0.7, 1.0))
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    image = image.crop((x, y, x + cw, y + ch))
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    scale = rng.uniform(0.8, 2.0)
    image = image.resize((round(cw * scale), round(ch * scale)), Image.Resampling.BICUBIC)
    image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.8, 1.2))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=rng.randint(60, 95))
    image = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return Item(image, "photo", {"photo": photo})


def score_photo(item: Item, result: Any) -> dict[str, float]:
    photo: Photo = item.truth["photo"]
    text = result.text.lower()
    named = any(re.search(rf"\b{re.escape(word)}\b", text) for word in photo.subject)
    claim = _CLAIM.search(result.text)
    unhedged_claim = claim is not None and _HEDGE.search(claim.group(0)) is None
    people = (result.findings or {}).get("people")
    return {
        "subject_named": float(named),
        "people": float(people == photo.people),
        "sure_when_said": float(named or not unhedged_claim),
    }


register(Kind("photo", make_photo, score_photo, detail="standard"))
