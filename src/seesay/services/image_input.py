"""Turning what a caller sent as "the image" into checked bytes, before anything is charged.

Three sources reach the services, whatever the surface:

* a URL: fetched by the platform's guarded fetcher (http/https only, every address checked,
  capped size, one deadline). Refusals are ``UnsafeUrl``/``InvalidRequest`` naming the caller's
  parameter (``image_url`` for img2voice, ``image`` for Image Describer);
* base64 text, with or without a ``data:image/...;base64,`` prefix; whitespace is ignored;
* uploaded bytes (a multipart file).

``load`` returns the bytes and the declared type; ``check`` decodes them with
:func:`seesay.media.images.decode_image`, which refuses anything that is not a whole,
reasonably sized JPEG/PNG/WebP/BMP/TIFF/GIF (magic bytes win over the declared type). Both
raise subclasses of :class:`seesay.errors.InvalidRequest` only.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Final

from PIL import Image

from seesay.errors import InvalidImage, InvalidRequest
from seesay.media.fetch import Fetcher
from seesay.media.images import DEFAULT_MAX_BYTES, decode_image, detect_non_image

__all__ = ["ImageInput", "LoadedImage", "check", "load", "looks_like_url"]

_DATA_URI: Final = re.compile(r"^data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[\w.+-]+)*);base64,", re.I)
_WHITESPACE: Final = re.compile(rb"\s+")
_BASE64_TEXT: Final = re.compile(rb"[A-Za-z0-9+/=_-]*")
# A URL of any scheme ("ftp://", "file://"): it goes to the fetcher, which names the refusal.
_URL: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{0,15}://")


def looks_like_url(text: str) -> bool:
    """Whether ``text`` is meant as a URL (any scheme) rather than base64 image data."""
    return bool(_URL.match(text.strip()))


@dataclass(frozen=True, slots=True)
class ImageInput:
    """Exactly one of ``url``, ``base64`` or ``data``; ``param`` is the caller's field name."""

    url: str | None = None
    base64: str | None = None
    data: bytes | None = None
    mime_type: str | None = None
    param: str = "image"

    @classmethod
    def from_text(cls, text: str, *, param: str, mime_type: str | None = None) -> ImageInput:
        """A form field that holds either a URL or base64 data (Image Describer's ``image``)."""
        text = text.strip()
        if looks_like_url(text):
            return cls(url=text, param=param)
        return cls(base64=text, mime_type=mime_type, param=param)


@dataclass(frozen=True, slots=True)
class LoadedImage:
    data: bytes
    mime_type: str | None
    source: str  # "url", "base64" or "upload"


def _b64decode(text: str, param: str, max_bytes: int) -> tuple[bytes, str | None]:
    declared = None
    match = _DATA_URI.match(text)
    if match:
        declared = (match.group(1) or "").lower() or None
        text = text[match.end() :]
    elif text.lower().startswith("data:"):
        raise InvalidImage("a data URI image must be base64 encoded", param=param)
    raw = _WHITESPACE.sub(b"", text.encode("ascii", errors="replace"))
    if not raw:
        raise InvalidImage("the image is empty", param=param)
    if len(raw) > (max_bytes // 3 + 1) * 4:
        raise InvalidImage(f"the image is over the limit of {max_bytes} bytes", param=param)
    raw = raw.replace(b"-", b"+").replace(b"_", b"/")  # URL-safe alphabet too
    raw += b"=" * (-len(raw) % 4)
    try:
        return base64.b64decode(raw, validate=True), declared
    except (binascii.Error, ValueError):
        raise InvalidImage(_not_base64(text, param), param=param) from None


def _not_base64(text: str, param: str) -> str:
    """Why ``text`` is refused: a file's own content (a .txt, an HTML page) sent where an image
    was expected is named as what it is, rather than as broken base64."""
    data = text.encode("utf-8", errors="replace")
    compact = _WHITESPACE.sub(b"", data)
    foreign = len(compact) - sum(len(run) for run in _BASE64_TEXT.findall(compact))
    # A typo in real base64 is a character or two in thousands; prose is full of them.
    if foreign > len(compact) // 100:
        kind = detect_non_image(data)
        if kind is not None:
            return f"{param} is {kind}, not an image"
    return "the image is not valid base64 data"


def load(
    source: ImageInput, fetcher: Fetcher, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> LoadedImage:
    """The image's bytes: fetched, base64-decoded or as uploaded. Raises InvalidRequest."""
    given = [x is not None for x in (source.url, source.base64, source.data)]
    if sum(given) != 1:
        raise InvalidRequest(
            "send exactly one image: a URL, base64 data or a file upload", param=source.param
        )
    if source.url is not None:
        fetched = fetcher.fetch(source.url, param=source.param, max_bytes=max_bytes)
        return LoadedImage(fetched.content, fetched.content_type, "url")
    if source.base64 is not None:
        data, declared = _b64decode(source.base64, source.param, max_bytes)
        return LoadedImage(data, declared or source.mime_type, "base64")
    assert source.data is not None
    return LoadedImage(source.data, source.mime_type, "upload")


def check(image: LoadedImage, *, param: str = "image") -> Image.Image:
    """Decode the image (the whole safety check) or raise InvalidImage naming ``param``."""
    try:
        return decode_image(image.data, declared_mime=image.mime_type)
    except InvalidImage as exc:
        exc.param = exc.param or param
        raise
