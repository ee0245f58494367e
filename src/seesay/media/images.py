"""Safe image decoding, used by every surface before an image reaches a vision engine.

``decode_image`` turns untrusted bytes into an RGB ``PIL.Image.Image`` with its EXIF orientation
applied, or raises :class:`seesay.errors.InvalidImage` with a message safe to show the caller.

Defences, in the order they run:

* a byte cap, before anything is parsed;
* an allow-list of formats identified by their magic bytes (the declared MIME type is only a
  hint: magic bytes win, so a PNG sent as ``image/jpeg`` is decoded as PNG, and a non-image sent
  as ``image/png`` is refused);
* the pixel cap and Pillow's decompression-bomb limit, checked from the header that
  ``Image.open`` reads lazily, i.e. before a single pixel buffer is allocated;
* a frame cap for animated formats (only the first frame is decoded);
* truncated or corrupt data is refused rather than padded with grey
  (``ImageFile.LOAD_TRUNCATED_IMAGES`` stays False);
* a bounded working size: no engine looks at more than ``DEFAULT_MAX_SIDE`` pixels on the long
  side (the offline describer works at 640, remote vision models take 1536), so a JPEG is
  decoded at a reduced scale by libjpeg itself (``draft``) and any other image is shrunk by an
  integer box filter straight after decoding, before a mode conversion copies it. Peak memory
  is then the decoded buffer once (at most ``max_pixels`` times the bytes of its mode) plus a
  small working image, where converting a full-size image used to cost several copies of it.

A high compression ratio is not refused on its own: a flat screenshot or diagram legitimately
reaches zlib's ~1000:1, which is exactly what a "decompression bomb" uses; the pixel cap and
the bounded working size are what keep such images cheap.
"""

from __future__ import annotations

import io
import struct
from typing import Final

from PIL import Image

from seesay.errors import InvalidImage

__all__ = [
    "ALLOWED_FORMATS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_FRAMES",
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_MAX_SIDE",
    "decode_image",
    "detect_non_image",
    "sniff_format",
]

DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS: Final = 40_000_000
DEFAULT_MAX_FRAMES: Final = 1_000
DEFAULT_MAX_SIDE: Final = 2048
_STRIP_PIXELS: Final = 2_000_000  # working buffer of the shrink step (~8 MB at 4 bytes a pixel)

# Pillow format name -> MIME types a client may declare for it.
ALLOWED_FORMATS: Final[dict[str, tuple[str, ...]]] = {
    "JPEG": ("image/jpeg", "image/jpg", "image/pjpeg"),
    "PNG": ("image/png", "image/x-png"),
    "WEBP": ("image/webp",),
    "BMP": ("image/bmp", "image/x-bmp", "image/x-ms-bmp"),
    "TIFF": ("image/tiff", "image/tif"),
    "GIF": ("image/gif",),
}

# Errors Pillow and its plugins raise on corrupt input; all of them mean "not a valid image".
_DECODE_ERRORS: Final = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    struct.error,  # a header cut short (e.g. a GIF's frame walk in ``n_frames``)
    TypeError,  # a TIFF whose directory lacks its dimensions ("Missing dimensions")
)

# Modes Pillow's ``reduce`` (an integer box filter) averages meaningfully. Palette and bilevel
# images would average palette indices, and 16-bit ones are not supported: those are
# subsampled (nearest neighbour) instead, which is only the first, coarse step.
_REDUCIBLE: Final = frozenset(
    {"L", "LA", "La", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "I", "F"}
)

# EXIF orientation -> the transpose that shows the picture upright (as ImageOps.exif_transpose).
_ORIENTATION: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def sniff_format(data: bytes) -> str | None:
    """The allowed format ``data`` starts with (a Pillow format name), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if data.startswith(b"BM") and len(data) >= 26:
        return "BMP"
    return None


# What people send by mistake, by magic bytes, named for the error message.
_NON_IMAGES: Final = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg audio"),
    (b"fLaC", "FLAC audio"),
    (b"\x1a\x45\xdf\xa3", "WebM or Matroska media"),
    (b"8BPS", "a Photoshop image"),
    (b"\x00\x00\x01\x00", "an ICO image"),
)
_HEIF_BRANDS: Final = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"})


def _text_kind(data: bytes) -> str | None:
    head = data[:4096]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the 4 KB mark
            return None
        text = head[: exc.start].decode("utf-8")
    text = text.lstrip("\ufeff")
    if not text.strip() or not all(ch.isprintable() or ch in "\t\r\n" for ch in text):
        return None
    start = text.lstrip()[:256].lower()
    if "<svg" in start or ("<?xml" in start and "<svg" in text.lower()):
        return "an SVG drawing"
    if start.startswith(("<!doctype html", "<html")):
        return "an HTML page"
    if start.startswith(("{", "[")):
        return "JSON text"
    return "plain text"


def detect_non_image(data: bytes) -> str | None:
    """What ``data`` is when it is not a supported image ("plain text", "a PDF document", "a
    HEIC image ..."), for an error message; None when it cannot tell."""
    head = data[:64]
    if head[:4] == b"RIFF":
        return {b"WAVE": "WAV audio", b"AVI ": "AVI video"}.get(head[8:12])
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "a HEIC/HEIF image"
        if brand in (b"avif", b"avis"):
            return "an AVIF image"
        return "MP4 or QuickTime media"
    for magic, kind in _NON_IMAGES:
        if head.startswith(magic):
            return kind
    return _text_kind(data)


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB with transparency flattened onto white (what a viewer shows), high bit depths scaled."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # convert("L") clips 16-bit and float data to 0..255; scale by the real range instead.
        import numpy as np

        arr = np.asarray(image, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        scale = 255.0 / (hi - lo) if hi > lo else 0.0
        image = Image.fromarray(((arr - lo) * scale).astype(np.uint8), mode="L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def _shrink(image: Image.Image, max_side: int) -> Image.Image:
    """``image`` cut down by an integer factor so its long side is under ``2 * max_side``;
    the same object when it already is. The full-size buffer is never copied."""
    factor = max(image.size) // max_side
    if factor < 2:
        return image
    width, height = image.size
    size = (max(1, -(-width // factor)), max(1, -(-height // factor)))
    if image.mode not in _REDUCIBLE:
        return image.resize(size, Image.Resampling.NEAREST)
    # In strips of rows: Pillow premultiplies alpha for ``reduce`` by converting the whole
    # image first, which would be a second full-size buffer.
    rows = factor * max(1, _STRIP_PIXELS // (width * factor))
    out = Image.new(image.mode, size)
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(height, top + rows)))
        out.paste(strip.reduce(factor), (0, top // factor))
    return out


def _orientation(image: Image.Image) -> Image.Transpose | None:
    try:
        return _ORIENTATION.get(int(image.getexif().get(0x0112) or 1))
    except _DECODE_ERRORS:
        # A broken EXIF block should not cost the caller the picture; keep it unrotated.
        return None


def decode_image(
    data: bytes,
    *,
    declared_mime: str | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_frames: int = DEFAULT_MAX_FRAMES,
    max_side: int = DEFAULT_MAX_SIDE,
) -> Image.Image:
    """Decode untrusted ``data`` into an RGB image, EXIF orientation applied, at most
    ``max_side`` pixels on its long side (smaller images keep their size). The size the image
    was sent at is in ``info["original_size"]``.

    ``declared_mime`` (the Content-Type or data-URL type the client sent) never overrides the
    magic bytes; it only sharpens the error message when the bytes are not a supported image.
    Raises :class:`InvalidImage` on every refusal; never returns a partially decoded image.
    """
    if not data:
        raise InvalidImage("the image is empty")
    if len(data) > max_bytes:
        raise InvalidImage(
            f"the image is {len(data)} bytes, over the limit of {max_bytes} bytes",
            details={"max_bytes": max_bytes},
        )
    fmt = sniff_format(data)
    if fmt is None:
        declared = (declared_mime or "").split(";")[0].strip().lower()
        known = any(declared in mimes for mimes in ALLOWED_FORMATS.values())
        hint = f" (declared as {declared}, but the bytes are not one)" if known else ""
        kind = detect_non_image(data)
        if kind is None:
            what = "unsupported or unrecognised image format"
        elif kind.endswith(("image", "drawing")):
            what = f"unsupported image format: the file is {kind}"
        else:
            what = f"unsupported file: it is {kind}, not an image"
        raise InvalidImage(
            what + hint + "; supported: JPEG, PNG, WebP, BMP, TIFF, GIF",
            details={"supported": sorted(ALLOWED_FORMATS), "detected": kind},
        )
    try:
        # formats=[fmt] stops Pillow from trying every other plugin on hostile bytes.
        image = Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError as exc:
        raise InvalidImage("the image has too many pixels to decode safely") from exc
    except _DECODE_ERRORS as exc:
        raise InvalidImage(f"the {fmt} image could not be read: it is corrupt") from exc

    with image:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise InvalidImage("the image has no pixels")
        pixels = width * height
        if pixels > max_pixels:
            raise InvalidImage(
                f"the image is {width}x{height} pixels, over the limit of {max_pixels} pixels",
                details={"max_pixels": max_pixels},
            )
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse in both cases,
        # explicitly, rather than toggling the process-wide warnings filter from many threads.
        bomb_limit = Image.MAX_IMAGE_PIXELS
        if bomb_limit is not None and pixels > bomb_limit:
            raise InvalidImage("the image has too many pixels to decode safely")
        try:
            # n_frames walks the frame headers without decoding pixels (bounded by max_bytes);
            # on a truncated animation that walk is where the file ends early.
            frames = int(getattr(image, "n_frames", 1) or 1)
        except _DECODE_ERRORS as exc:
            raise InvalidImage(f"the {fmt} image is truncated or corrupt") from exc
        if frames > max_frames:
            raise InvalidImage(
                f"the image has {frames} frames, over the limit of {max_frames}",
                details={"max_frames": max_frames},
            )
        try:
            image.seek(0)
            turn = _orientation(image)
            if fmt == "JPEG":
                # libjpeg decodes at 1/2, 1/4 or 1/8 scale, never below the asked size.
                image.draft(None, (max_side, max_side))
            image.load()
            work = _shrink(image, max_side)
        except Image.DecompressionBombError as exc:
            raise InvalidImage("the image has too many pixels to decode safely") from exc
        except _DECODE_ERRORS as exc:
            raise InvalidImage(f"the {fmt} image is truncated or corrupt") from exc
        if work is not image:
            image.close()  # frees the full-size buffer before any conversion
        result = _to_rgb(work)
        if max(result.size) > max_side:
            result.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        if turn is not None:
            result = result.transpose(turn)
        if result is image:
            # Detach from the file object that the ``with`` block closes.
            result = image.copy()
    quarter_turns = (
        Image.Transpose.TRANSPOSE,
        Image.Transpose.ROTATE_270,
        Image.Transpose.TRANSVERSE,
        Image.Transpose.ROTATE_90,
    )
    # The size the sender sees: upright, as a viewer applying EXIF orientation shows it.
    result.info = {"original_size": (height, width) if turn in quarter_turns else (width, height)}
    return result
