"""Safe image decoding: allow-list, magic bytes, caps checked before decoding, bombs, truncation."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zlib

import pytest
from PIL import Image

from seesay.errors import InvalidImage
from seesay.media.images import decode_image, sniff_format


def _encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny, structurally valid PNG header that claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF"])
def test_every_allowed_format_decodes_to_rgb(fmt: str) -> None:
    src = Image.new("RGB", (40, 30), (200, 30, 30))
    out = decode_image(_encode(src, fmt))
    assert out.mode == "RGB"
    assert out.size == (40, 30)
    r, g, b = out.getpixel((20, 15))  # type: ignore[misc]
    assert r > 150
    assert g < 90
    assert b < 90


def test_magic_bytes_win_over_declared_type() -> None:
    data = _encode(Image.new("RGB", (8, 8), "blue"), "PNG")
    assert sniff_format(data) == "PNG"
    assert decode_image(data, declared_mime="image/jpeg").size == (8, 8)


def test_non_image_declared_as_image_is_refused() -> None:
    with pytest.raises(InvalidImage, match="declared as image/png"):
        decode_image(b"<html>not an image</html>", declared_mime="image/png")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 hello",
        b"\x00\x00\x01\x00" + b"\x00" * 40,  # ICO is not on the allow-list
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
)
def test_formats_outside_the_allow_list_are_refused(data: bytes) -> None:
    with pytest.raises(InvalidImage, match="unsupported"):
        decode_image(data)


def test_empty_and_oversized_payloads_are_refused() -> None:
    with pytest.raises(InvalidImage, match="empty"):
        decode_image(b"")
    data = _encode(Image.new("RGB", (64, 64)), "PNG")
    with pytest.raises(InvalidImage, match="over the limit"):
        decode_image(data, max_bytes=len(data) - 1)


def test_pixel_cap_is_checked_from_the_header_without_allocating() -> None:
    data = _png_claiming(100_000, 100_000)
    assert len(data) < 80
    tracemalloc.start()
    try:
        with pytest.raises(InvalidImage, match="pixels"):
            decode_image(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # a decoded 10 gigapixel image would need 30 GB


def test_pixel_cap_is_configurable() -> None:
    data = _encode(Image.new("RGB", (100, 100)), "JPEG")
    with pytest.raises(InvalidImage, match="100x100"):
        decode_image(data, max_pixels=9_999)
    assert decode_image(data, max_pixels=10_000).size == (100, 100)


def test_decompression_bomb_is_refused_even_under_a_generous_pixel_cap() -> None:
    # Pillow's own bomb limit applies even when the operator raises max_pixels.
    data = _png_claiming(20_000, 20_000)
    with pytest.raises(InvalidImage, match="decode safely"):
        decode_image(data, max_pixels=10**12)


def test_truncated_files_are_refused() -> None:
    data = _encode(Image.effect_noise((256, 256), 64).convert("RGB"), "JPEG", quality=90)
    with pytest.raises(InvalidImage, match="truncated or corrupt"):
        decode_image(data[: len(data) // 2])
    png = _encode(Image.effect_noise((256, 256), 64).convert("RGB"), "PNG")
    with pytest.raises(InvalidImage):
        decode_image(png[: len(png) // 2])


def test_gif_first_frame_and_frame_cap() -> None:
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "lime", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    out = decode_image(buf.getvalue())
    r, g, b = out.getpixel((8, 8))  # type: ignore[misc]
    assert r > 200
    assert g < 50
    assert b < 50
    with pytest.raises(InvalidImage, match="3 frames"):
        decode_image(buf.getvalue(), max_frames=2)


def test_exif_orientation_is_applied() -> None:
    src = Image.new("RGB", (60, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    out = decode_image(_encode(src, "JPEG", exif=exif.tobytes()))
    assert out.size == (20, 60)


def test_transparency_is_flattened_onto_white() -> None:
    src = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = decode_image(_encode(src, "PNG"))
    assert out.mode == "RGB"
    assert out.getpixel((5, 5)) == (255, 255, 255)


def test_sixteen_bit_greyscale_is_scaled_not_clipped() -> None:
    src = Image.new("I;16", (4, 1))
    src.putdata([0, 20_000, 40_000, 60_000])
    out = decode_image(_encode(src, "PNG"))
    values = [out.getpixel((x, 0))[0] for x in range(4)]  # type: ignore[index]
    assert values[0] == 0
    assert values[-1] == 255
    assert values == sorted(values)
    assert len(set(values)) == 4
